/* SPDX-License-Identifier: MIT */
/*
 * vadspd's command line.
 */
#ifndef VADSP_DAEMON_OPTIONS_H
#define VADSP_DAEMON_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "snd/device.h"
#include "util/log.h"

enum vadspd_action {
	VADSPD_RUN,
	VADSPD_HELP,
	VADSPD_VERSION,
	VADSPD_PRINT_CAPABILITIES,
};

/**
 * struct vadspd_options - what the command line asked for
 * @action: what to do
 * @socket_path: listen here (--socket-path), or NULL
 * @fd: serve this connected socket (--fd), or -1
 * @verbosity: 0 warnings and errors, 1 info (default), 2 debug
 * @verbosity_given: -v or -q was given
 * @device: how the sound device presents itself
 * @allow_unsealed_memory: accept guest memory not sealed against shrinking
 * @config: the configuration file (--config), or NULL
 * @mgmt_socket: the management socket (--mgmt-socket), or NULL
 * @log_level: --log-level, or -1 when not given
 */
struct vadspd_options {
	enum vadspd_action action;
	const char *socket_path;
	int fd;
	int verbosity;
	bool verbosity_given;
	struct vsnd_options device;
	bool allow_unsealed_memory;
	const char *config;
	const char *mgmt_socket;
	int log_level;
};

/**
 * vadspd_parse_options() - parse argv
 * @opts: filled in
 * @argc: argument count
 * @argv: arguments (kept referenced by @opts)
 * @err: where to print a usage error
 *
 * Return: 0, or -EINVAL after printing why to @err.
 */
int vadspd_parse_options(struct vadspd_options *opts, int argc, char **argv, FILE *err);

/**
 * vadspd_print_help() - print --help text
 */
void vadspd_print_help(FILE *out);

/**
 * vadspd_options_log_level() - the log level the command line and the configuration ask for
 * @opts: the command line
 * @config_level: the configuration's [daemon] log-level, or -1 when it has none
 *
 * --log-level wins, then -v/-q, then the configuration; the default is info.
 */
enum vadsp_log_level vadspd_options_log_level(const struct vadspd_options *opts,
					      int config_level);

#endif /* VADSP_DAEMON_OPTIONS_H */
