/* SPDX-License-Identifier: MIT */
/*
 * vadspd's command line.
 */
#ifndef VADSP_DAEMON_OPTIONS_H
#define VADSP_DAEMON_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "snd/device.h"

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
 * @device: how the sound device presents itself
 * @allow_unsealed_memory: accept guest memory not sealed against shrinking
 */
struct vadspd_options {
	enum vadspd_action action;
	const char *socket_path;
	int fd;
	int verbosity;
	struct vsnd_options device;
	bool allow_unsealed_memory;
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

#endif /* VADSP_DAEMON_OPTIONS_H */
