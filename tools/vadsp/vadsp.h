/* SPDX-License-Identifier: MIT */
/*
 * The vadsp command-line tool: its commands.
 *
 * main.c dispatches `vadsp COMMAND ...` through a table of struct vadsp_cmd; each command
 * lives in its own cmd-*.c file and parses its own arguments. To add a command (play,
 * record, ctl, info, testbench, top), write cmd-<name>.c with a vadsp_cmd_<name>
 * definition, declare it here and list it in main.c's table.
 *
 * Exit status of every command: 0 success, 1 failure, 2 usage error.
 */
#ifndef VADSP_TOOLS_VADSP_H
#define VADSP_TOOLS_VADSP_H

#include <stdio.h>

#define VADSP_EXIT_OK		0
#define VADSP_EXIT_FAIL		1
#define VADSP_EXIT_USAGE	2

/**
 * struct vadsp_cmd - one top-level command
 * @name: what follows `vadsp` on the command line
 * @summary: one line for `vadsp --help`
 * @run: runs the command with argv[0] = @name; returns an exit status
 * @help: prints the command's own --help text
 */
struct vadsp_cmd {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
	void (*help)(FILE *out);
};

/* `vadsp tplg`: topology files (tools/vadsp/cmd-tplg.c). */
extern const struct vadsp_cmd vadsp_cmd_tplg;

/* `vadsp testbench`: run a topology offline (tools/vadsp/cmd-testbench.c). */
extern const struct vadsp_cmd vadsp_cmd_testbench;

/* `vadsp info`, `ctl`, `play`, `record`: a guest of a vadspd socket (cmd-<name>.c); play
 * and record need libsndfile. `vadsp top`: the management socket's live view (cmd-top.c). */
extern const struct vadsp_cmd vadsp_cmd_info;
extern const struct vadsp_cmd vadsp_cmd_ctl;
extern const struct vadsp_cmd vadsp_cmd_play;
extern const struct vadsp_cmd vadsp_cmd_record;
extern const struct vadsp_cmd vadsp_cmd_top;

/* `vadsp tplg ipc` (tools/vadsp/cmd-tplg-ipc.c); argv[0] = "ipc". */
int vadsp_tplg_ipc_run(int argc, char **argv);

#endif /* VADSP_TOOLS_VADSP_H */
