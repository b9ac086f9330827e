// SPDX-License-Identifier: MIT
/*
 * `vadsp tplg`: topology files. Subcommands: dump, check and ipc (cmd-tplg-ipc.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vadsp.h"
#include "tplg/dump.h"
#include "tplg/model.h"
#include "tplg/tplg.h"
#include "util/compiler.h"

struct tplg_subcmd {
	const char *name;
	const char *args;
	const char *summary;
	int (*run)(int argc, char **argv);
};

static int cmd_dump(int argc, char **argv);
static int cmd_check(int argc, char **argv);

static const struct tplg_subcmd subcmds[] = {
	{ "dump", "FILE [--json]",
	  "print a topology: manifest, blocks, widgets with tokens and controls, routes, PCMs, links, DAIs",
	  cmd_dump },
	{ "check", "FILE...",
	  "parse each file and build its guest model; one line per file, OK or the error",
	  cmd_check },
	{ "ipc", "FILE [--bin] [--base ID] [--static]",
	  "print the SOF IPC3 messages that load FILE in sending order",
	  vadsp_tplg_ipc_run },
};

static void tplg_help(FILE *out)
{
	fputs("Usage: vadsp tplg SUBCOMMAND [ARGS...]\n"
	      "\n"
	      "ALSA/SOF topology files (.tplg, ASoC ABI 4 and 5).\n"
	      "\n"
	      "Subcommands:\n", out);
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(subcmds); i++)
		fprintf(out, "  %s %s\n      %s\n", subcmds[i].name, subcmds[i].args,
			subcmds[i].summary);
	fputs("\n"
	      "Exit status: 0 success; 1 a file could not be read or is malformed (ipc: or cannot\n"
	      "be converted); 2 usage error.\n",
	      out);
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

static int VADSP_PRINTF(1, 2) usage(const char *fmt, ...)
{
	va_list ap;

	fputs("vadsp tplg: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see vadsp tplg --help)\n", stderr);
	return VADSP_EXIT_USAGE;
}

static int cmd_dump(int argc, char **argv)
{
	const char *file = NULL;
	struct tplg_error err;
	struct tplg *t;
	bool json = false;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (is_help(argv[i]))
			return printf("Usage: vadsp tplg dump FILE [--json]\n"), VADSP_EXIT_OK;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage("dump: unknown option '%s'", argv[i]);
		else if (file)
			return usage("dump: one file at a time ('%s' is extra)", argv[i]);
		else
			file = argv[i];
	}
	if (!file)
		return usage("dump: no file given");
	ret = tplg_load_file(file, &t, &err);
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", file, err.msg);
		return VADSP_EXIT_FAIL;
	}
	if (!json)
		printf("file: %s (%zu bytes)\n", file, t->size);
	ret = json ? tplg_dump_json(stdout, t) : tplg_dump_text(stdout, t);
	tplg_free(t);
	if (fflush(stdout) != 0 || ret < 0) {
		fprintf(stderr, "vadsp tplg dump: cannot write the output\n");
		return VADSP_EXIT_FAIL;
	}
	return VADSP_EXIT_OK;
}

static int check_one(const char *file)
{
	struct tplg_model *m = NULL;
	struct tplg_error err;
	struct tplg *t;
	int ret;

	ret = tplg_load_file(file, &t, &err);
	if (ret == 0) {
		ret = tplg_model_build(t, &m, &err);
		if (ret == 0)
			printf("%s: OK (%u blocks, %u widgets, %u controls, %u routes, %u PCMs, %u links, %u DAIs)\n",
			       file, t->num_blocks, t->num_widgets, t->num_kcontrols, t->num_routes,
			       t->num_pcms, t->num_links, t->num_dais);
		tplg_model_free(m);
		tplg_free(t);
	}
	if (ret < 0)
		printf("%s: error: %s\n", file, err.msg[0] ? err.msg : strerror(-ret));
	return ret;
}

static int cmd_check(int argc, char **argv)
{
	int failed = 0, files = 0;

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i]))
			return printf("Usage: vadsp tplg check FILE...\n"), VADSP_EXIT_OK;
		if (argv[i][0] == '-' && argv[i][1])
			return usage("check: unknown option '%s'", argv[i]);
	}
	for (int i = 1; i < argc; i++) {
		files++;
		if (check_one(argv[i]) < 0)
			failed++;
	}
	if (files == 0)
		return usage("check: no file given");
	if (fflush(stdout) != 0)
		return VADSP_EXIT_FAIL;
	return failed ? VADSP_EXIT_FAIL : VADSP_EXIT_OK;
}

static int tplg_run(int argc, char **argv)
{
	if (argc < 2) {
		tplg_help(stderr);
		return VADSP_EXIT_USAGE;
	}
	if (is_help(argv[1])) {
		tplg_help(stdout);
		return VADSP_EXIT_OK;
	}
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(subcmds); i++)
		if (strcmp(argv[1], subcmds[i].name) == 0)
			return subcmds[i].run(argc - 1, argv + 1);
	return usage("unknown subcommand '%s'", argv[1]);
}

const struct vadsp_cmd vadsp_cmd_tplg = {
	.name = "tplg",
	.summary = "topology files: dump, check, ipc",
	.run = tplg_run,
	.help = tplg_help,
};
