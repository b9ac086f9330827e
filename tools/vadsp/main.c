// SPDX-License-Identifier: MIT
/*
 * vadsp: the vadsp client. `vadsp COMMAND [ARGS]`; see vadsp(1).
 */
#include <stdio.h>
#include <string.h>

#include "vadsp.h"
#include "util/compiler.h"

static const struct vadsp_cmd *const commands[] = {
	&vadsp_cmd_tplg,
#ifdef VADSP_HAVE_TESTBENCH
	&vadsp_cmd_testbench,
#endif
	&vadsp_cmd_info,
	&vadsp_cmd_ctl,
#ifdef VADSP_HAVE_SNDFILE
	&vadsp_cmd_play,
	&vadsp_cmd_record,
#endif
	&vadsp_cmd_top,
};

static void print_help(FILE *out)
{
	fputs("Usage: vadsp [--help | --version] COMMAND [ARGS...]\n"
	      "       vadsp help COMMAND\n"
	      "\n"
	      "The vadsp client: topology tools, the offline testbench, a guest of vadspd\n"
	      "(info, ctl, play, record) and a live view of it (top).\n"
	      "\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fputs("\n"
	      "Run `vadsp COMMAND --help` for a command's options. Exit status: 0 success,\n"
	      "1 failure, 2 usage error.\n", out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_help(stderr);
		return VADSP_EXIT_USAGE;
	}
	if (strcmp(argv[1], "help") == 0 && argc > 2) {
		for (size_t i = 0; i < VADSP_ARRAY_SIZE(commands); i++) {
			if (strcmp(argv[2], commands[i]->name) == 0) {
				commands[i]->help(stdout);
				return VADSP_EXIT_OK;
			}
		}
		fprintf(stderr, "vadsp: unknown command '%s' (see vadsp --help)\n", argv[2]);
		return VADSP_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		print_help(stdout);
		return VADSP_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("vadsp %s\n", VADSP_VERSION);
		return VADSP_EXIT_OK;
	}
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i]->name) == 0)
			return commands[i]->run(argc - 1, argv + 1);
	fprintf(stderr, "vadsp: unknown command '%s' (see vadsp --help)\n", argv[1]);
	return VADSP_EXIT_USAGE;
}
