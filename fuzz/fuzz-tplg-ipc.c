// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the topology -> IPC3 conversion.
 *
 * The input is a topology file; a file the parser accepts is converted twice (all
 * pipelines with id base 0, then static pipelines only with a base near the top of the id
 * space). A conversion either fails with a message and no sequence, or yields messages
 * that hold together: each at most 384 bytes with a header that matches it, component ids
 * and every id a message refers to inside the topology's range, COMP_NEW extensions of 0
 * or 16 bytes that fit the message, a buffer at one end of every COMP_CONNECT, and no
 * more messages than widgets twice plus routes. Error messages and descriptions are
 * printable ASCII whatever the names in the file hold.
 *
 * Seeds (fuzz/corpus/tplg-ipc/): the project's four topologies as the build compiles them
 * (host, stereo, multi, voice), and from Debian's firmware-sof-signed 2.2.4 (BSD-3-Clause
 * firmware data) sof-imx8-wm8960 (volumes, UUIDs) and sof-imx8-eq-iir-wm8960 (a process
 * component with its blob).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/ipc3.h"
#include "tplg/ipc-gen.h"
#include "tplg/tplg.h"
#include "util/le.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "invariant failed: %s\n", #cond); \
			abort(); \
		} \
	} while (0)

/* Messages and descriptions are printable ASCII: names from the file are escaped. */
static void check_text(const char *s, size_t size)
{
	CHECK(memchr(s, '\0', size) != NULL);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		CHECK(*c >= 0x20 && *c < 0x7f);
}

static bool in_range(const struct tplg_ipc_seq *seq, uint32_t id)
{
	return id >= seq->id_base && id - seq->id_base < seq->num_ids;
}

static void check(const struct tplg *t, const struct tplg_ipc_seq *seq)
{
	CHECK(seq->num_ids == t->num_widgets);
	CHECK(seq->num_msgs <= 2ull * t->num_widgets + t->num_routes);
	for (uint32_t i = 0; i < seq->num_msgs; i++) {
		const struct tplg_ipc_msg *m = &seq->msgs[i];
		uint32_t ext;

		CHECK(m->size >= sizeof(struct ipc3_free) && m->size <= IPC3_MSG_MAX_SIZE);
		CHECK(get_le32(m->data) == m->size);
		CHECK(get_le32(m->data + 4) == m->cmd);
		check_text(m->desc, sizeof(m->desc));
		switch (m->cmd) {
		case IPC3_TPLG_COMP_NEW:
			CHECK(m->size >= sizeof(struct ipc3_comp_mixer));
			ext = get_le32(m->data + offsetof(struct ipc3_comp, ext_data_length));
			CHECK(ext == 0 || ext == sizeof(struct ipc3_comp_ext));
			CHECK(m->size >= sizeof(struct ipc3_comp_mixer) + ext);
			/* fall through */
		case IPC3_TPLG_BUFFER_NEW:
			CHECK(in_range(seq, get_le32(m->data + offsetof(struct ipc3_comp, id))));
			CHECK(m->widget >= 0 && (uint32_t)m->widget < t->num_widgets);
			break;
		case IPC3_TPLG_PIPE_NEW:
			CHECK(m->size == sizeof(struct ipc3_pipe_new));
			CHECK(in_range(seq, get_le32(m->data + offsetof(struct ipc3_pipe_new, comp_id))));
			CHECK(in_range(seq, get_le32(m->data + offsetof(struct ipc3_pipe_new, sched_id))));
			break;
		case IPC3_TPLG_COMP_CONNECT: {
			uint32_t src = get_le32(m->data + 8), sink = get_le32(m->data + 12);

			CHECK(in_range(seq, src) && in_range(seq, sink));
			CHECK(t->widgets[src - seq->id_base].id == TPLG_DAPM_BUFFER ||
			      t->widgets[sink - seq->id_base].id == TPLG_DAPM_BUFFER);
			CHECK(m->route >= 0 && (uint32_t)m->route < t->num_routes);
			break;
		}
		case IPC3_TPLG_PIPE_COMPLETE:
			CHECK(in_range(seq, get_le32(m->data + 8)));
			break;
		default:
			CHECK(!"unexpected command");
		}
	}
}

static void convert(const struct tplg *t, const struct tplg_ipc_opts *opts)
{
	struct tplg_ipc_seq *seq = NULL;
	struct tplg_error err;
	int ret;

	err.msg[0] = '\0';
	ret = tplg_ipc_build(t, opts, &seq, &err);
	if (ret < 0) {
		CHECK(ret == -EINVAL || ret == -ERANGE || ret == -ENOMEM);
		CHECK(seq == NULL);
		CHECK(err.msg[0] != '\0');
		check_text(err.msg, sizeof(err.msg));
		return;
	}
	check(t, seq);
	tplg_ipc_seq_free(seq);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tplg_ipc_opts high = { .id_base = UINT32_MAX - 4096, .static_only = true };
	struct tplg_error err;
	struct tplg *t = NULL;

	if (tplg_parse(data, size, &t, &err) < 0)
		return 0;
	convert(t, NULL);
	if (t->num_widgets <= 4097)
		convert(t, &high);
	tplg_free(t);
	return 0;
}
