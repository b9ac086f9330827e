// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the topology parser and the guest model.
 *
 * The input is a topology file. A file the parser accepts must hold together: every route
 * names widgets in range, every widget's controls lie inside the control array and point
 * back at it, counts stay within their fixed arrays, strings are terminated; its model is
 * then built and both dumps are written (to /dev/null), which walks every parsed field.
 * A rejected file must come with a message in printable ASCII (names from the file are
 * escaped).
 *
 * Seeds (fuzz/corpus/tplg/): four of the smallest topologies of Debian's firmware-sof-signed
 * 2.2.4 (sof-*.tplg, BSD-3-Clause firmware data), and every-block-type.tplg and abi4.tplg,
 * written by tests/unit/test-tplg.c when VADSP_TPLG_CORPUS names a directory.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tplg/dump.h"
#include "tplg/model.h"
#include "tplg/tplg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink;

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "invariant failed: %s\n", #cond); \
			abort(); \
		} \
	} while (0)

static void check_str(const char *s, size_t len)
{
	CHECK(memchr(s, '\0', len) != NULL);
}

static void check_msg(const char *msg)
{
	CHECK(msg[0] != '\0');
	for (const unsigned char *c = (const unsigned char *)msg; *c; c++)
		CHECK(*c >= 0x20 && *c < 0x7f);
}

static void check(const struct tplg *t)
{
	for (uint32_t i = 0; i < t->num_routes; i++) {
		const struct tplg_route *r = &t->routes[i];

		CHECK(r->sink_widget < t->num_widgets);
		CHECK(r->source_widget < t->num_widgets);
		CHECK(strcmp(t->widgets[r->sink_widget].name, r->sink) == 0);
		CHECK(strcmp(t->widgets[r->source_widget].name, r->source) == 0);
		CHECK(r->block < t->num_blocks);
	}
	for (uint32_t i = 0; i < t->num_widgets; i++) {
		const struct tplg_widget *w = &t->widgets[i];

		CHECK(w->id <= TPLG_DAPM_LAST);
		check_str(w->name, sizeof(w->name));
		check_str(w->sname, sizeof(w->sname));
		CHECK(w->priv.num_unknown <= w->priv.num_tuples);
		if (w->num_kcontrols) {
			CHECK(w->kcontrols >= t->kcontrols);
			CHECK(w->kcontrols + w->num_kcontrols <= t->kcontrols + t->num_kcontrols);
			for (uint32_t k = 0; k < w->num_kcontrols; k++)
				CHECK(w->kcontrols[k].widget == (int32_t)i);
		}
		if (w->priv.size)
			CHECK(w->priv.data >= t->data &&
			      w->priv.data + w->priv.size <= t->data + t->size);
	}
	for (uint32_t i = 0; i < t->num_kcontrols; i++) {
		const struct tplg_kcontrol *k = &t->kcontrols[i];

		CHECK(k->type == TPLG_BLOCK_MIXER || k->type == TPLG_BLOCK_ENUM ||
		      k->type == TPLG_BLOCK_BYTES);
		CHECK(k->mixer.num_channels <= TPLG_MAX_CHAN);
		CHECK(k->enm.num_channels <= TPLG_MAX_CHAN);
		CHECK(k->enm.items <= TPLG_NUM_TEXTS);
		CHECK(k->widget < (int32_t)t->num_widgets);
		check_str(k->name, sizeof(k->name));
	}
	for (uint32_t i = 0; i < t->num_pcms; i++)
		CHECK(t->pcms[i].num_streams <= TPLG_STREAM_CONFIG_MAX);
	for (uint32_t i = 0; i < t->num_links; i++) {
		CHECK(t->links[i].num_streams <= TPLG_STREAM_CONFIG_MAX);
		CHECK(t->links[i].num_hw_configs <= TPLG_HW_CONFIG_MAX);
		CHECK(t->links[i].tokens.num_pdm <= TPLG_DMIC_PDM_MAX);
	}
	for (uint32_t i = 0; i < t->num_blocks; i++)
		CHECK((uint64_t)t->blocks[i].payload_offset + t->blocks[i].payload_size <= t->size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tplg_model *m = NULL;
	struct tplg_error err;
	struct tplg *t = NULL;
	int ret;

	if (!sink) {
		sink = fopen("/dev/null", "w");
		if (!sink)
			abort();
	}
	ret = tplg_parse(data, size, &t, &err);
	if (ret < 0) {
		CHECK(ret == -EINVAL || ret == -ENOMEM);
		CHECK(t == NULL);
		check_msg(err.msg);
		return 0;
	}
	check(t);
	ret = tplg_model_build(t, &m, &err);
	if (ret == 0) {
		CHECK(m->num_pcms == t->num_pcms);
		CHECK(m->num_controls == t->num_kcontrols);
		for (uint32_t i = 0; i < m->num_endpoints; i++)
			CHECK(m->endpoints[i].widget < t->num_widgets);
		tplg_model_free(m);
	} else {
		check_msg(err.msg);
	}
	CHECK(tplg_dump_text(sink, t) == 0);
	CHECK(tplg_dump_json(sink, t) == 0);
	tplg_free(t);
	return 0;
}
