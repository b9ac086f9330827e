// SPDX-License-Identifier: MIT
/*
 * `vadsp tplg ipc FILE`: the SOF IPC3 messages that load a topology, one line each, or
 * with --bin the raw message bytes back to back.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vadsp.h"
#include "ipc/ipc3.h"
#include "tplg/ipc-gen.h"
#include "tplg/tplg.h"

static void ipc_usage(FILE *out)
{
	fputs("Usage: vadsp tplg ipc FILE [--bin] [--base ID] [--static]\n"
	      "\n"
	      "Print the SOF IPC3 messages the Linux SOF driver sends to load FILE, in sending\n"
	      "order: one line per message with its command, size in bytes and key fields.\n"
	      "\n"
	      "  --bin      write the raw messages, back to back, instead (not to a terminal)\n"
	      "  --base ID  component id of the first widget (default 0)\n"
	      "  --static   leave out dynamic pipelines, as the driver does at load time\n", out);
}

static int ipc_fail_usage(const char *what, const char *arg)
{
	fprintf(stderr, "vadsp tplg ipc: %s '%s' (see vadsp tplg ipc --help)\n", what, arg);
	return VADSP_EXIT_USAGE;
}

static int parse_id(const char *s, uint32_t *v)
{
	unsigned long long n;
	char *end;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || *end || n > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)n;
	return 0;
}

int vadsp_tplg_ipc_run(int argc, char **argv)
{
	struct tplg_ipc_opts opts = { 0 };
	struct tplg_ipc_seq *seq = NULL;
	const char *file = NULL;
	struct tplg_error err;
	struct tplg *t;
	bool bin = false;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--bin") == 0) {
			bin = true;
		} else if (strcmp(argv[i], "--static") == 0) {
			opts.static_only = true;
		} else if (strcmp(argv[i], "--base") == 0) {
			if (i + 1 >= argc)
				return ipc_fail_usage("--base needs a value after", argv[i]);
			if (parse_id(argv[++i], &opts.id_base) < 0)
				return ipc_fail_usage("bad component id", argv[i]);
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			ipc_usage(stdout);
			return VADSP_EXIT_OK;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return ipc_fail_usage("unknown option", argv[i]);
		} else if (file) {
			return ipc_fail_usage("one file at a time; extra", argv[i]);
		} else {
			file = argv[i];
		}
	}
	if (!file) {
		ipc_usage(stderr);
		return VADSP_EXIT_USAGE;
	}
	if (bin && isatty(STDOUT_FILENO)) {
		fputs("vadsp tplg ipc: --bin writes binary; redirect it to a file or pipe\n", stderr);
		return VADSP_EXIT_USAGE;
	}

	ret = tplg_load_file(file, &t, &err);
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", file, err.msg);
		return VADSP_EXIT_FAIL;
	}
	ret = tplg_ipc_build(t, &opts, &seq, &err);
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", file, err.msg[0] ? err.msg : strerror(-ret));
		tplg_free(t);
		return VADSP_EXIT_FAIL;
	}
	for (uint32_t i = 0; i < seq->num_msgs; i++) {
		const struct tplg_ipc_msg *m = &seq->msgs[i];

		if (bin)
			fwrite(m->data, 1, m->size, stdout);
		else
			printf("%-20s %4u  %s\n", ipc3_cmd_name(m->cmd), m->size, m->desc);
	}
	tplg_ipc_seq_free(seq);
	tplg_free(t);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("vadsp tplg ipc: cannot write the output\n", stderr);
		return VADSP_EXIT_FAIL;
	}
	return VADSP_EXIT_OK;
}
