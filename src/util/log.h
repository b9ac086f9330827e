/* SPDX-License-Identifier: MIT */
/*
 * Logging to stderr with a level threshold.
 *
 * The real-time path never logs above debug level (and debug is compiled in but off by
 * default), see STYLE rule 5. Messages that describe a guest's mistake name the guest's
 * connection so an administrator can tell guests apart.
 */
#ifndef VADSP_UTIL_LOG_H
#define VADSP_UTIL_LOG_H

#include "util/compiler.h"

enum vadsp_log_level {
	VADSP_LOG_ERROR,
	VADSP_LOG_WARN,
	VADSP_LOG_INFO,
	VADSP_LOG_DEBUG,
};

/**
 * vadsp_log_set_level() - set the most verbose level that is printed
 * @level: messages above this level are dropped
 */
void vadsp_log_set_level(enum vadsp_log_level level);

/**
 * vadsp_log_get_level() - the current threshold
 *
 * Return: the most verbose level that is printed.
 */
enum vadsp_log_level vadsp_log_get_level(void);

/**
 * vadsp_log_set_context() - name what the calling thread works for, such as a guest
 * @context: printed in brackets after the level of every message this thread logs from
 *           now on ("info: [vm1] snd: ..."), or NULL for none; it must stay valid while set
 *
 * Return: the previous context, to restore it afterwards.
 */
const char *vadsp_log_set_context(const char *context);

/**
 * vadsp_log() - print one message at @level, prefixed with the level and @module
 * @level: severity
 * @module: short subsystem name, such as "vhost-user"
 * @fmt: printf format; a trailing newline is added
 */
void vadsp_log(enum vadsp_log_level level, const char *module, const char *fmt, ...)
	VADSP_PRINTF(3, 4);

#define vadsp_err(mod, ...)	vadsp_log(VADSP_LOG_ERROR, mod, __VA_ARGS__)
#define vadsp_warn(mod, ...)	vadsp_log(VADSP_LOG_WARN, mod, __VA_ARGS__)
#define vadsp_info(mod, ...)	vadsp_log(VADSP_LOG_INFO, mod, __VA_ARGS__)
#define vadsp_dbg(mod, ...) \
	do { \
		if (VADSP_UNLIKELY(vadsp_log_get_level() >= VADSP_LOG_DEBUG)) \
			vadsp_log(VADSP_LOG_DEBUG, mod, __VA_ARGS__); \
	} while (0)

#endif /* VADSP_UTIL_LOG_H */
