// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>

#include "util/log.h"

static enum vadsp_log_level log_level = VADSP_LOG_INFO;
static _Thread_local const char *log_context;

static const char *const level_names[] = {
	[VADSP_LOG_ERROR] = "error",
	[VADSP_LOG_WARN] = "warning",
	[VADSP_LOG_INFO] = "info",
	[VADSP_LOG_DEBUG] = "debug",
};

void vadsp_log_set_level(enum vadsp_log_level level)
{
	log_level = level;
}

enum vadsp_log_level vadsp_log_get_level(void)
{
	return log_level;
}

const char *vadsp_log_set_context(const char *context)
{
	const char *prev = log_context;

	log_context = context;
	return prev;
}

void vadsp_log(enum vadsp_log_level level, const char *module, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One write per message, so lines from several threads do not interleave. */
	if (log_context)
		fprintf(stderr, "%s: [%s] %s: %s\n", level_names[level], log_context, module,
			line);
	else
		fprintf(stderr, "%s: %s: %s\n", level_names[level], module, line);
}
