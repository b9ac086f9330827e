// SPDX-License-Identifier: MIT
/*
 * The topology parser on real files and on hand-made ones:
 * - every topology in Debian's firmware-sof-signed parses, with statistics of what the
 *   files hold (block, widget, control types, tokens) and what the parser leaves unused;
 * - sof-imx8-wm8960.tplg gives exactly the widgets, tokens, controls, routes and PCM of
 *   the reference notes;
 * - hand-made files with every block type, and ABI 4 layouts, read back field by field.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test-tplg-build.h"
#include "test-tplg-util.h"
#include "tplg/model.h"
#include "tplg/tplg.h"

/* ---- statistics over the real files ---- */

struct tok_stat {
	char ctx[24];
	uint32_t token;
	uint32_t type;
	uint32_t count;
	uint32_t unknown;
};

struct stats {
	uint32_t blocks[16];		/* by type, 0 = vendor/other */
	uint32_t widgets[TPLG_DAPM_LAST + 1];
	uint32_t kctl[4][70];		/* [control type][ops.info] */
	uint32_t db_scales;
	uint32_t abi_layout[6];
	uint32_t streams, streams_with_host;
	uint32_t sof_abi_3_22_1;
	struct tok_stat toks[400];
	size_t num_toks;
	uint32_t tuples, unknown;
};

static void stat_priv(struct stats *s, const char *ctx, const struct tplg_priv *priv)
{
	for (uint32_t i = 0; i < priv->num_tuples; i++) {
		const struct tplg_tuple *t = &priv->tuples[i];
		struct tok_stat *e = NULL;

		for (size_t j = 0; j < s->num_toks; j++)
			if (s->toks[j].token == t->token && s->toks[j].type == t->type &&
			    strcmp(s->toks[j].ctx, ctx) == 0)
				e = &s->toks[j];
		if (!e) {
			assert_true(s->num_toks < sizeof(s->toks) / sizeof(s->toks[0]));
			e = &s->toks[s->num_toks++];
			snprintf(e->ctx, sizeof(e->ctx), "%s", ctx);
			e->token = t->token;
			e->type = t->type;
		}
		e->count++;
		if (!t->known)
			e->unknown++;
	}
}

static void stat_file(struct stats *s, const struct tplg *t, const struct tplg_model *m)
{
	char ctx[24];

	for (uint32_t i = 0; i < t->num_blocks; i++)
		s->blocks[t->blocks[i].type <= 12 ? t->blocks[i].type : 0]++;
	for (uint32_t i = 0; i < t->num_widgets; i++) {
		const struct tplg_widget *w = &t->widgets[i];

		s->widgets[w->id]++;
		snprintf(ctx, sizeof(ctx), "widget %s", tplg_widget_type_name(w->id));
		stat_priv(s, ctx, &w->priv);
	}
	for (uint32_t i = 0; i < t->num_kcontrols; i++) {
		const struct tplg_kcontrol *k = &t->kcontrols[i];

		if (k->ops.info < 70)
			s->kctl[k->type][k->ops.info]++;
		if (k->tlv.db_scale)
			s->db_scales++;
		snprintf(ctx, sizeof(ctx), "control %s", tplg_block_type_name(k->type));
		if (k->type != TPLG_BLOCK_BYTES)
			stat_priv(s, ctx, &k->priv);
	}
	for (uint32_t i = 0; i < t->num_pcms; i++) {
		stat_priv(s, "pcm", &t->pcms[i].priv);
		s->abi_layout[t->pcms[i].layout_abi]++;
	}
	for (uint32_t i = 0; i < t->num_links; i++)
		stat_priv(s, "link", &t->links[i].priv);
	for (uint32_t i = 0; i < t->num_dais; i++)
		stat_priv(s, "dai", &t->dais[i].priv);
	for (uint32_t i = 0; i < m->num_pcms; i++) {
		for (int d = 0; d < 2; d++) {
			if (!m->pcms[i].stream[d].present)
				continue;
			s->streams++;
			if (m->pcms[i].stream[d].host_widget >= 0)
				s->streams_with_host++;
		}
	}
	s->tuples += t->num_tuples;
	s->unknown += t->num_unknown_tuples;
}

static int cmp_tok(const void *a, const void *b)
{
	const struct tok_stat *x = a, *y = b;
	int c = strcmp(x->ctx, y->ctx);

	if (c)
		return c;
	return (x->token > y->token) - (x->token < y->token);
}

static void print_stats(struct stats *s, uint32_t files)
{
	printf("statistics over %u files:\n  block types:", files);
	for (uint32_t i = 0; i < 16; i++)
		if (s->blocks[i])
			printf(" %s %u", i ? tplg_block_type_name(i) : "other", s->blocks[i]);
	printf("\n  widget types:");
	for (uint32_t i = 0; i <= TPLG_DAPM_LAST; i++)
		if (s->widgets[i])
			printf(" %s %u", tplg_widget_type_name(i), s->widgets[i]);
	printf("\n  control types (type/info):");
	for (uint32_t ty = 0; ty < 4; ty++)
		for (uint32_t in = 0; in < 70; in++)
			if (s->kctl[ty][in])
				printf(" %s/%s %u", tplg_block_type_name(ty), tplg_ctl_info_name(in),
				       s->kctl[ty][in]);
	printf("; %u with a dB scale\n", s->db_scales);
	printf("  PCM element layouts: ABI 5 %u, ABI 4 %u; PCM streams %u, %u served by an aif widget\n",
	       s->abi_layout[5], s->abi_layout[4], s->streams, s->streams_with_host);
	printf("  tuples %u, unknown to the parser %u\n  tokens seen (context token name type count [unknown]):\n",
	       s->tuples, s->unknown);
	qsort(s->toks, s->num_toks, sizeof(s->toks[0]), cmp_tok);
	for (size_t i = 0; i < s->num_toks; i++) {
		const struct tok_stat *e = &s->toks[i];
		const char *name = tplg_token_name(e->token);

		printf("    %-20s %5u %-32s %-6s %5u", e->ctx, e->token, name ? name : "?",
		       tplg_tuple_type_name(e->type), e->count);
		if (e->unknown)
			printf(" unknown %u", e->unknown);
		printf("\n");
	}
}

static int is_tplg(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".tplg") == 0;
}

static void every_real_topology_parses(void **state)
{
	const char *dir = sof_tplg_dir();
	struct dirent **list = NULL;
	struct stats *s = calloc(1, sizeof(*s));
	int n, failed = 0;

	assert_non_null(s);
	n = scandir(dir, &list, is_tplg, alphasort);
	if (n != SOF_TPLG_COUNT) {
		fprintf(stderr, "%s holds %d .tplg files, expected %d (Debian firmware-sof-signed 2.2.4): run scripts/install-deps\n",
			dir, n, SOF_TPLG_COUNT);
		fail_msg("%d topology files in %s, want %d: run scripts/install-deps", n, dir,
			 SOF_TPLG_COUNT);
	}
	for (int i = 0; i < n; i++) {
		char path[512];
		struct tplg_model *m = NULL;
		struct tplg_error err;
		struct tplg *t = NULL;
		int ret;

		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		ret = tplg_load_file(path, &t, &err);
		if (ret == 0)
			ret = tplg_model_build(t, &m, &err);
		if (ret < 0) {
			printf("FAIL %s: %s\n", path, err.msg);
			failed++;
		} else {
			assert_true(t->manifest.present);
			assert_true(t->manifest.has_sof_abi);
			if (t->manifest.sof_abi_major == 3 && t->manifest.sof_abi_minor == 22 &&
			    t->manifest.sof_abi_patch == 1)
				s->sof_abi_3_22_1++;
			/* Every route end is a widget of the file. */
			for (uint32_t r = 0; r < t->num_routes; r++) {
				assert_true(t->routes[r].sink_widget < t->num_widgets);
				assert_true(t->routes[r].source_widget < t->num_widgets);
			}
			stat_file(s, t, m);
		}
		tplg_model_free(m);
		tplg_free(t);
		free(list[i]);
	}
	free(list);
	print_stats(s, (uint32_t)n);
	printf("  files with SOF ABI 3.22.1: %u\n", s->sof_abi_3_22_1);
	assert_int_equal(failed, 0);
	/* firmware-sof-signed 2.2.4: ASoC ABI 5 layouts, SOF ABI 3.22.1 everywhere */
	assert_int_equal(s->abi_layout[4], 0);
	assert_int_equal(s->sof_abi_3_22_1, SOF_TPLG_COUNT);
	free(s);
}

/* ---- sof-imx8-wm8960.tplg against the reference notes ---- */

static const struct tplg_kcontrol *widget_ctl(const struct tplg *t, uint32_t w)
{
	assert_int_equal(t->widgets[w].num_kcontrols, 1);
	return &t->widgets[w].kcontrols[0];
}

static bool has_route(const struct tplg *t, const char *source, const char *sink)
{
	int so = tplg_find_widget(t, source, 0), si = tplg_find_widget(t, sink, 0);

	for (uint32_t i = 0; i < t->num_routes; i++)
		if (strcmp(t->routes[i].source, source) == 0 &&
		    strcmp(t->routes[i].sink, sink) == 0)
			return (int)t->routes[i].source_widget == so &&
			       (int)t->routes[i].sink_widget == si;
	return false;
}

static void wm8960_matches_the_reference(void **state)
{
	static const struct {
		const char *name;
		uint32_t id;
		uint32_t pipeline;
	} want[] = {
		{ "PCM0P", TPLG_DAPM_AIF_IN, 1 },	{ "PGA1.0", TPLG_DAPM_PGA, 1 },
		{ "BUF1.0", TPLG_DAPM_BUFFER, 1 },	{ "BUF1.1", TPLG_DAPM_BUFFER, 1 },
		{ "SAI1.OUT", TPLG_DAPM_DAI_IN, 1 },	{ "PIPELINE.1", TPLG_DAPM_SCHEDULER, 1 },
		{ "PCM0C", TPLG_DAPM_AIF_OUT, 2 },	{ "PGA2.0", TPLG_DAPM_PGA, 2 },
		{ "BUF2.0", TPLG_DAPM_BUFFER, 2 },	{ "BUF2.1", TPLG_DAPM_BUFFER, 2 },
		{ "SAI1.IN", TPLG_DAPM_DAI_OUT, 2 },	{ "PIPELINE.2", TPLG_DAPM_SCHEDULER, 2 },
	};
	static const struct {
		uint32_t offset, type, index, count;
	} blocks[] = {
		{ 0, TPLG_BLOCK_MANIFEST, 0, 1 },	  { 151, TPLG_BLOCK_DAPM_WIDGET, 1, 6 },
		{ 1955, TPLG_BLOCK_DAPM_WIDGET, 2, 6 },	  { 3719, TPLG_BLOCK_PCM, 0, 1 },
		{ 4667, TPLG_BLOCK_BACKEND_LINK, 0, 1 }, { 6459, TPLG_BLOCK_DAPM_GRAPH, 1, 4 },
		{ 7023, TPLG_BLOCK_DAPM_GRAPH, 2, 4 },
	};
	const struct tplg_kcontrol *k;
	struct tplg_error err;
	struct tplg *t;

	assert_int_equal(tplg_load_file(WM8960, &t, &err), 0);
	assert_int_equal(t->size, 7587);
	assert_int_equal(t->manifest.sof_abi_major, 3);
	assert_int_equal(t->manifest.sof_abi_minor, 22);
	assert_int_equal(t->manifest.sof_abi_patch, 1);
	assert_int_equal(t->manifest.priv.size, 3);

	assert_int_equal(t->num_blocks, 7);
	for (uint32_t i = 0; i < 7; i++) {
		assert_int_equal(t->blocks[i].offset, blocks[i].offset);
		assert_int_equal(t->blocks[i].type, blocks[i].type);
		assert_int_equal(t->blocks[i].index, blocks[i].index);
		assert_int_equal(t->blocks[i].count, blocks[i].count);
		assert_int_equal(t->blocks[i].abi, 5);
	}
	/* A 115-byte manifest payload: blocks are not padded. */
	assert_int_equal(t->blocks[0].payload_size, 115);

	assert_int_equal(t->num_widgets, 12);
	for (uint32_t i = 0; i < 12; i++) {
		const struct tplg_widget *w = &t->widgets[i];

		assert_int_equal(strncmp(w->name, want[i].name, strlen(want[i].name)), 0);
		assert_int_equal(w->id, want[i].id);
		assert_int_equal(w->index, want[i].pipeline);
		if (w->id == TPLG_DAPM_BUFFER) {
			assert_int_equal(w->tokens.buffer.size, 768);
			assert_int_equal(w->tokens.buffer.caps, 0x61);
		}
		if (w->id == TPLG_DAPM_SCHEDULER) {
			assert_int_equal(w->tokens.sched.period, 1000);
			assert_int_equal(w->tokens.sched.priority, 0);
			assert_int_equal(w->tokens.sched.core, 0);
			assert_int_equal(w->tokens.sched.mips, 5000);
			assert_int_equal(w->tokens.sched.frames, 0);
			assert_int_equal(w->tokens.sched.time_domain, 0);
			assert_false(w->tokens.sched.dynamic);
		}
		if (w->id == TPLG_DAPM_PGA || w->id == TPLG_DAPM_DAI_IN ||
		    w->id == TPLG_DAPM_DAI_OUT) {
			assert_string_equal(w->tokens.comp.format_name, "s32le");
			assert_int_equal(w->tokens.comp.format, TPLG_FRAME_S32_LE);
			assert_true(w->tokens.comp.has_uuid);
		}
		if (w->id == TPLG_DAPM_DAI_IN || w->id == TPLG_DAPM_DAI_OUT) {
			assert_string_equal(w->tokens.dai.type_name, "SAI");
			assert_int_equal(w->tokens.dai.type, TPLG_DAI_SAI);
			assert_int_equal(w->tokens.dai.index, 1);
			assert_int_equal(w->tokens.dai.direction, w->id == TPLG_DAPM_DAI_IN ? 0 : 1);
		}
		assert_int_equal(w->priv.num_unknown, 0);
	}
	/* Each scheduler's sname names the DAI widget that drives its pipeline. */
	assert_int_equal(tplg_find_widget(t, t->widgets[5].sname, 1), 4);
	assert_int_equal(tplg_find_widget(t, t->widgets[11].sname, 2), 10);

	k = widget_ctl(t, 1);
	assert_string_equal(k->name, "1 Master Playback Volume");
	assert_int_equal(k->type, TPLG_BLOCK_MIXER);
	assert_int_equal(k->ops.info, TPLG_CTL_VOLSW);
	assert_int_equal(k->ops.get, SOF_TPLG_KCTL_VOL_ID);
	assert_int_equal(k->mixer.max, 32);
	assert_true(k->tlv.db_scale);
	assert_int_equal(k->tlv.db_min, -6400);
	assert_int_equal(k->tlv.db_step, 200);
	assert_int_equal(k->widget, 1);
	assert_int_equal(t->widgets[1].tokens.volume.ramp_type, 2);
	assert_int_equal(t->widgets[1].tokens.volume.ramp_ms, 20);

	k = widget_ctl(t, 7);
	assert_string_equal(k->name, "2 Master Capture Volume");
	assert_int_equal(k->mixer.max, 80);
	assert_int_equal(k->tlv.db_min, -5000);
	assert_int_equal(k->tlv.db_step, 100);
	assert_int_equal(t->widgets[7].tokens.volume.ramp_type, 0);
	assert_int_equal(t->widgets[7].tokens.volume.ramp_ms, 250);
	assert_int_equal(t->num_kcontrols, 2);

	assert_int_equal(t->num_routes, 8);
	assert_true(has_route(t, "PCM0P", "BUF1.0"));
	assert_true(has_route(t, "BUF1.0", "PGA1.0"));
	assert_true(has_route(t, "PGA1.0", "BUF1.1"));
	assert_true(has_route(t, "BUF1.1", "SAI1.OUT"));
	assert_true(has_route(t, "SAI1.IN", "BUF2.1"));
	assert_true(has_route(t, "BUF2.1", "PGA2.0"));
	assert_true(has_route(t, "PGA2.0", "BUF2.0"));
	assert_true(has_route(t, "BUF2.0", "PCM0C"));
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(t->routes[i].index, i < 4 ? 1 : 2);

	assert_int_equal(t->num_pcms, 1);
	assert_string_equal(t->pcms[0].pcm_name, "Port0");
	assert_int_equal(t->pcms[0].pcm_id, 0);
	assert_true(t->pcms[0].playback);
	assert_true(t->pcms[0].capture);
	assert_int_equal(t->pcms[0].layout_abi, 5);
	/* The aif widgets serve the PCM's streams by name. */
	assert_string_equal(t->pcms[0].caps[0].name, t->widgets[0].sname);
	assert_string_equal(t->pcms[0].caps[1].name, t->widgets[6].sname);

	assert_int_equal(t->num_links, 1);
	assert_int_equal(t->links[0].type, TPLG_BLOCK_BACKEND_LINK);
	assert_int_equal(t->links[0].tokens.dai.type, TPLG_DAI_SAI);
	assert_int_equal(t->links[0].tokens.dai.index, 1);
	assert_int_equal(t->links[0].num_hw_configs, 1);
	assert_int_equal(t->num_dais, 0);
	assert_int_equal(t->num_unknown_tuples, 0);
	tplg_free(t);
}

/* ---- hand-made files ---- */

/*
 * With VADSP_TPLG_CORPUS=DIR set, the hand-made files are also written to DIR: this is how
 * the synthetic seeds of fuzz/corpus/tplg/ were made.
 */
static void save_corpus(const char *name, const struct tb *b)
{
	const char *dir = getenv("VADSP_TPLG_CORPUS");
	char path[512];
	FILE *f;

	if (!dir || !dir[0])
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->buf, 1, b->len, f), b->len);
	assert_int_equal(fclose(f), 0);
}

static const uint8_t test_uuid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

/* Private data of a widget: comp tokens, plus whatever @extra adds. */
static void comp_priv(struct tb *p, const char *format)
{
	const uint32_t words[] = {
		SOF_TKN_COMP_PERIOD_SINK_COUNT, 2, SOF_TKN_COMP_PERIOD_SOURCE_COUNT, 3,
		SOF_TKN_COMP_CORE_ID, 1,
	};

	tb_uuid_tuple(p, SOF_TKN_COMP_UUID, test_uuid);
	tb_words(p, TPLG_TUPLE_WORD, 3, words);
	if (format)
		tb_string_tuple(p, SOF_TKN_COMP_FORMAT, format);
}

static void every_block_type_reads_back(void **state)
{
	static const char *const texts[] = { "Off", "Low", "High" };
	const uint8_t abi[3] = { 3, 23, 1 };
	const uint8_t blob[40] = { 0x53, 0x4f, 0x46, 0, 9, 9, 9 };
	const struct tb_counts counts = { 6, 5, 2, 1, 3, 1 };
	struct tb b = { 0 }, p = { 0 }, led = { 0 };
	struct tplg_error err;
	struct tplg *t;
	size_t blk;

	tb_manifest(&b, &counts, abi, sizeof(abi));

	/* Control blocks: a mixer with LED tokens, an enum, a bytes control. */
	{
		const uint32_t ledw[] = { SOF_TKN_MUTE_LED_USE, 1, SOF_TKN_MUTE_LED_DIRECTION, 1 };

		tb_words(&led, TPLG_TUPLE_WORD, 2, ledw);
	}
	blk = tb_block_begin(&b, TPLG_BLOCK_MIXER, 9, 1, 5);
	tb_mixer(&b, "Mute Switch", 1, 2, 0, 0, &led);
	tb_block_end(&b, blk);
	blk = tb_block_begin(&b, TPLG_BLOCK_ENUM, 9, 1, 5);
	tb_enum(&b, "Mode", 3, texts);
	tb_block_end(&b, blk);
	blk = tb_block_begin(&b, TPLG_BLOCK_BYTES, 9, 1, 5);
	tb_bytes_ctl(&b, "Coefs", 256, blob, sizeof(blob));
	tb_block_end(&b, blk);

	/* Widgets of pipeline 3. */
	blk = tb_block_begin(&b, TPLG_BLOCK_DAPM_WIDGET, 3, 5, 5);
	tb_free(&p);
	comp_priv(&p, NULL);
	tb_widget(&b, TPLG_DAPM_AIF_IN, "PCM3P", "Stream 3", 0, &p);
	tb_free(&p);
	{
		const uint32_t w[] = { SOF_TKN_BUF_SIZE, 3840, SOF_TKN_BUF_CAPS, 0x65 };

		tb_words(&p, TPLG_TUPLE_WORD, 2, w);
	}
	tb_widget(&b, TPLG_DAPM_BUFFER, "BUF3.0", "", 0, &p);
	tb_free(&p);
	comp_priv(&p, "s16le");
	{
		const uint32_t w[] = { SOF_TKN_VOLUME_RAMP_STEP_TYPE, 1,
				       SOF_TKN_VOLUME_RAMP_STEP_MS, 40 };

		tb_words(&p, TPLG_TUPLE_WORD, 2, w);
	}
	tb_widget(&b, TPLG_DAPM_PGA, "PGA3.0", "", 3, &p);
	tb_mixer(&b, "3 Volume", 100, 2, -9000, 90, NULL);
	tb_enum(&b, "3 Curve", 3, texts);
	tb_bytes_ctl(&b, "3 Data", 64, blob, 8);
	tb_free(&p);
	comp_priv(&p, "s24le");
	tb_string_tuple(&p, SOF_TKN_DAI_TYPE, "SSP");
	{
		const uint32_t w[] = { SOF_TKN_DAI_INDEX, 2, SOF_TKN_DAI_DIRECTION, 0 };
		const uint32_t unknown[] = { 12345, 7 };

		tb_words(&p, TPLG_TUPLE_WORD, 2, w);
		tb_words(&p, TPLG_TUPLE_SHORT, 1, unknown);
	}
	tb_string_tuple(&p, VADSP_TKN_CP_NAME, "speakers");
	tb_widget(&b, TPLG_DAPM_DAI_IN, "SSP2.OUT", "ssp2-link", 0, &p);
	tb_free(&p);
	{
		const uint32_t w[] = { SOF_TKN_SCHED_PERIOD, 500, SOF_TKN_SCHED_PRIORITY, 1,
				       SOF_TKN_SCHED_MIPS, 100, SOF_TKN_SCHED_CORE, 0,
				       SOF_TKN_SCHED_FRAMES, 48, SOF_TKN_SCHED_TIME_DOMAIN, 1 };
		const uint32_t dyn[] = { SOF_TKN_SCHED_DYNAMIC_PIPELINE, 1 };

		tb_words(&p, TPLG_TUPLE_WORD, 6, w);
		tb_words(&p, TPLG_TUPLE_BOOL, 1, dyn);
	}
	tb_widget(&b, TPLG_DAPM_SCHEDULER, "PIPELINE.3", "SSP2.OUT", 0, &p);
	tb_block_end(&b, blk);

	blk = tb_block_begin(&b, TPLG_BLOCK_DAPM_GRAPH, 3, 2, 5);
	tb_route(&b, "BUF3.0", "", "PCM3P");
	tb_route(&b, "PGA3.0", "3 Volume", "BUF3.0");
	tb_block_end(&b, blk);

	tb_free(&p);
	{
		const uint32_t w[] = { SOF_TKN_STREAM_CAPTURE_COMPATIBLE_D0I3, 1 };

		tb_words(&p, TPLG_TUPLE_BOOL, 1, w);
	}
	blk = tb_block_begin(&b, TPLG_BLOCK_PCM, 0, 1, 5);
	tb_pcm(&b, "Speaker", 3, "Stream 3", NULL, &p);
	tb_block_end(&b, blk);

	/* One link of each link block type; the back end carries SSP and DMIC PDM tokens. */
	tb_free(&p);
	tb_string_tuple(&p, SOF_TKN_DAI_TYPE, "SSP");
	{
		const uint32_t ssp[] = { SOF_TKN_INTEL_SSP_SAMPLE_BITS, 24,
					 SOF_TKN_INTEL_SSP_QUIRKS, 0x40 };
		const uint32_t mclk[] = { SOF_TKN_INTEL_SSP_MCLK_ID, 1 };
		const uint32_t pdm0[] = { SOF_TKN_INTEL_DMIC_PDM_CTRL_ID, 0,
					  SOF_TKN_INTEL_DMIC_PDM_MIC_A_ENABLE, 1 };
		const uint32_t pdm1[] = { SOF_TKN_INTEL_DMIC_PDM_CTRL_ID, 1,
					  SOF_TKN_INTEL_DMIC_PDM_MIC_B_ENABLE, 1 };

		tb_words(&p, TPLG_TUPLE_WORD, 2, ssp);
		tb_words(&p, TPLG_TUPLE_SHORT, 1, mclk);
		tb_words(&p, TPLG_TUPLE_SHORT, 2, pdm0);
		tb_words(&p, TPLG_TUPLE_SHORT, 2, pdm1);
	}
	blk = tb_block_begin(&b, TPLG_BLOCK_BACKEND_LINK, 0, 1, 5);
	tb_link(&b, "ssp2-link", 2, &p);
	tb_block_end(&b, blk);
	blk = tb_block_begin(&b, TPLG_BLOCK_DAI_LINK, 0, 1, 5);
	tb_link(&b, "fe-link", 3, NULL);
	tb_block_end(&b, blk);
	blk = tb_block_begin(&b, TPLG_BLOCK_CODEC_LINK, 0, 1, 5);
	tb_link(&b, "codec-link", 4, NULL);
	tb_block_end(&b, blk);
	blk = tb_block_begin(&b, TPLG_BLOCK_DAI, 0, 1, 5);
	tb_dai(&b, "SSP2 Pin", 2);
	tb_block_end(&b, blk);
	blk = tb_block_begin(&b, TPLG_BLOCK_PDATA, 0, 0, 5);
	tb_put(&b, "pdata", 5);
	tb_block_end(&b, blk);
	blk = tb_block_begin(&b, TPLG_BLOCK_VENDOR_FW, 0, 0, 5);
	tb_put(&b, "firmware bytes", 14);
	tb_block_end(&b, blk);

	save_corpus("every-block-type.tplg", &b);
	assert_int_equal(tplg_parse(b.buf, b.len, &t, &err), 0);

	assert_int_equal(t->num_blocks, 13);
	assert_int_equal(t->blocks[11].type, TPLG_BLOCK_PDATA);
	assert_int_equal(t->blocks[12].type, TPLG_BLOCK_VENDOR_FW);
	assert_memory_equal(t->blocks[12].payload, "firmware bytes", 14);
	assert_int_equal(t->blocks[12].payload_size, 14);
	assert_int_equal(t->manifest.sof_abi_minor, 23);

	/* Controls: three blocks, then the PGA's three, in load order. */
	assert_int_equal(t->num_kcontrols, 6);
	assert_int_equal(t->kcontrols[0].type, TPLG_BLOCK_MIXER);
	assert_int_equal(t->kcontrols[0].widget, -1);
	assert_int_equal(t->kcontrols[0].index, 9);
	assert_int_equal(t->kcontrols[0].mixer.led.use, 1);
	assert_int_equal(t->kcontrols[0].mixer.led.direction, 1);
	assert_int_equal(t->kcontrols[0].priv.num_unknown, 0);
	assert_false(t->kcontrols[0].tlv.db_scale);
	assert_int_equal(t->kcontrols[1].type, TPLG_BLOCK_ENUM);
	assert_int_equal(t->kcontrols[1].enm.items, 3);
	assert_string_equal(t->kcontrols[1].enm.texts[2], "High");
	assert_int_equal(t->kcontrols[1].enm.values[2], 20);
	assert_int_equal(t->kcontrols[2].type, TPLG_BLOCK_BYTES);
	assert_int_equal(t->kcontrols[2].bytes.max, 256);
	assert_int_equal(t->kcontrols[2].bytes.ext_ops.put, SOF_TPLG_KCTL_BYTES_ID);
	assert_int_equal(t->kcontrols[2].priv.size, sizeof(blob));
	assert_memory_equal(t->kcontrols[2].priv.data, blob, sizeof(blob));
	assert_int_equal(t->kcontrols[2].priv.num_tuples, 0);

	assert_int_equal(t->num_widgets, 5);
	assert_int_equal(t->widgets[0].tokens.comp.period_sink_count, 2);
	assert_int_equal(t->widgets[0].tokens.comp.period_source_count, 3);
	assert_int_equal(t->widgets[0].tokens.comp.core, 1);
	assert_memory_equal(t->widgets[0].tokens.comp.uuid, test_uuid, 16);
	/* No format token: the default. */
	assert_int_equal(t->widgets[0].tokens.comp.format, TPLG_FRAME_S32_LE);
	assert_int_equal(t->widgets[1].tokens.buffer.size, 3840);
	assert_int_equal(t->widgets[1].tokens.buffer.caps, 0x65);
	assert_int_equal(t->widgets[1].tokens.groups, 1u << TPLG_TKG_BUFFER);

	assert_int_equal(t->widgets[2].tokens.comp.format, TPLG_FRAME_S16_LE);
	assert_int_equal(t->widgets[2].tokens.volume.ramp_type, 1);
	assert_int_equal(t->widgets[2].tokens.volume.ramp_ms, 40);
	assert_int_equal(t->widgets[2].num_kcontrols, 3);
	assert_ptr_equal(t->widgets[2].kcontrols, &t->kcontrols[3]);
	assert_string_equal(t->widgets[2].kcontrols[0].name, "3 Volume");
	assert_int_equal(t->widgets[2].kcontrols[0].mixer.max, 100);
	assert_int_equal(t->widgets[2].kcontrols[0].mixer.num_channels, 2);
	assert_int_equal(t->widgets[2].kcontrols[0].mixer.channel[1].id, 4);
	assert_true(t->widgets[2].kcontrols[0].tlv.db_scale);
	assert_int_equal(t->widgets[2].kcontrols[0].tlv.db_min, -9000);
	assert_int_equal(t->widgets[2].kcontrols[0].tlv.db_step, 90);
	assert_true(t->widgets[2].kcontrols[0].tlv.db_mute);
	assert_int_equal(t->widgets[2].kcontrols[1].type, TPLG_BLOCK_ENUM);
	assert_int_equal(t->widgets[2].kcontrols[2].type, TPLG_BLOCK_BYTES);
	assert_int_equal(t->widgets[2].kcontrols[2].priv.size, 8);
	assert_int_equal(t->widgets[2].kcontrols[2].widget, 2);

	assert_int_equal(t->widgets[3].tokens.comp.format, TPLG_FRAME_S24_4LE);
	assert_int_equal(t->widgets[3].tokens.dai.type, TPLG_DAI_SSP);
	assert_int_equal(t->widgets[3].tokens.dai.index, 2);
	assert_string_equal(t->widgets[3].tokens.vadsp.cp_name, "speakers");
	/* The token no table knows is kept and counted. */
	assert_int_equal(t->widgets[3].priv.num_unknown, 1);
	assert_non_null(tplg_priv_find(&t->widgets[3].priv, 12345));
	assert_int_equal(tplg_priv_find(&t->widgets[3].priv, 12345)->value, 7);
	assert_int_equal(t->num_unknown_tuples, 1);

	assert_int_equal(t->widgets[4].tokens.sched.period, 500);
	assert_int_equal(t->widgets[4].tokens.sched.priority, 1);
	assert_int_equal(t->widgets[4].tokens.sched.mips, 100);
	assert_int_equal(t->widgets[4].tokens.sched.frames, 48);
	assert_int_equal(t->widgets[4].tokens.sched.time_domain, 1);
	assert_true(t->widgets[4].tokens.sched.dynamic);
	assert_int_equal(t->widgets[4].index, 3);

	assert_int_equal(t->num_routes, 2);
	assert_int_equal(t->routes[1].source_widget, 1);
	assert_int_equal(t->routes[1].sink_widget, 2);
	assert_string_equal(t->routes[1].control, "3 Volume");

	assert_int_equal(t->num_pcms, 1);
	assert_int_equal(t->pcms[0].pcm_id, 3);
	assert_true(t->pcms[0].playback);
	assert_false(t->pcms[0].capture);
	assert_int_equal(t->pcms[0].caps[0].sig_bits, 24);
	assert_int_equal(t->pcms[0].caps[0].period_size_max, 16384);
	assert_true(t->pcms[0].tokens.capture_d0i3);
	assert_false(t->pcms[0].tokens.playback_d0i3);

	assert_int_equal(t->num_links, 3);
	assert_int_equal(t->links[0].type, TPLG_BLOCK_BACKEND_LINK);
	assert_int_equal(t->links[1].type, TPLG_BLOCK_DAI_LINK);
	assert_int_equal(t->links[2].type, TPLG_BLOCK_CODEC_LINK);
	assert_string_equal(t->links[0].name, "ssp2-link");
	assert_int_equal(t->links[0].hw_configs[0].mclk_rate, 12288000);
	assert_int_equal(t->links[0].default_hw_config_id, 7);
	assert_int_equal(t->links[0].tokens.dai.type, TPLG_DAI_SSP);
	assert_int_equal(t->links[0].tokens.ssp.sample_bits, 24);
	assert_int_equal(t->links[0].tokens.ssp.quirks, 0x40);
	assert_int_equal(t->links[0].tokens.ssp.mclk_id, 1);
	assert_int_equal(t->links[0].tokens.num_pdm, 2);
	assert_int_equal(t->links[0].tokens.pdm[0].enable_mic_a, 1);
	assert_int_equal(t->links[0].tokens.pdm[0].enable_mic_b, 0);
	assert_int_equal(t->links[0].tokens.pdm[1].id, 1);
	assert_int_equal(t->links[0].tokens.pdm[1].enable_mic_b, 1);

	assert_int_equal(t->num_dais, 1);
	assert_string_equal(t->dais[0].dai_name, "SSP2 Pin");
	assert_int_equal(t->dais[0].dai_id, 2);
	assert_int_equal(t->dais[0].caps[0].channels_max, 2);

	tplg_free(t);
	tb_free(&b);
	tb_free(&p);
	tb_free(&led);
}

static void abi4_layouts_are_converted(void **state)
{
	const struct tb_counts counts = { 0, 2, 1, 1, 1, 0 };
	struct tb b = { 0 };
	struct tplg_error err;
	struct tplg *t;
	size_t blk;

	tb_manifest_v4(&b, &counts);
	blk = tb_block_begin(&b, TPLG_BLOCK_DAPM_WIDGET, 1, 2, TPLG_ABI_V4);
	tb_widget(&b, TPLG_DAPM_AIF_IN, "PCM0P", "Old Playback", 0, NULL);
	tb_widget(&b, TPLG_DAPM_DAI_IN, "SSP0.OUT", "", 0, NULL);
	tb_block_end(&b, blk);
	blk = tb_block_begin(&b, TPLG_BLOCK_DAPM_GRAPH, 1, 1, TPLG_ABI_V4);
	tb_route(&b, "SSP0.OUT", "", "PCM0P");
	tb_block_end(&b, blk);
	blk = tb_block_begin(&b, TPLG_BLOCK_PCM, 0, 1, TPLG_ABI_V4);
	tb_pcm_v4(&b, "Old", 5, "Old Playback");
	tb_block_end(&b, blk);
	blk = tb_block_begin(&b, TPLG_BLOCK_BACKEND_LINK, 0, 1, TPLG_ABI_V4);
	tb_link_v4(&b, 9, 2);
	tb_block_end(&b, blk);

	save_corpus("abi4.tplg", &b);
	assert_int_equal(tplg_parse(b.buf, b.len, &t, &err), 0);
	assert_int_equal(t->blocks[0].abi, 4);
	assert_int_equal(t->manifest.layout_abi, 4);
	assert_int_equal(t->manifest.widget_elems, 2);
	assert_int_equal(t->manifest.dai_elems, 0);
	assert_false(t->manifest.has_sof_abi);

	assert_int_equal(t->num_pcms, 1);
	assert_int_equal(t->pcms[0].layout_abi, 4);
	assert_string_equal(t->pcms[0].pcm_name, "Old");
	assert_int_equal(t->pcms[0].pcm_id, 5);
	assert_int_equal(t->pcms[0].num_streams, 1);
	assert_int_equal(t->pcms[0].streams[0].rate, 48000);
	assert_string_equal(t->pcms[0].caps[0].name, "Old Playback");
	assert_int_equal(t->pcms[0].caps[0].rate_max, 96000);
	assert_int_equal(t->pcms[0].caps[0].channels_max, 8);
	assert_int_equal(t->pcms[0].caps[0].buffer_size_max, 4096);
	assert_int_equal(t->pcms[0].caps[0].sig_bits, 0);
	assert_int_equal(t->pcms[0].priv.size, 0);

	assert_int_equal(t->num_links, 1);
	assert_int_equal(t->links[0].layout_abi, 4);
	assert_int_equal(t->links[0].id, 9);
	assert_int_equal(t->links[0].num_streams, 2);
	assert_int_equal(t->links[0].streams[1].rate, 44101);
	assert_string_equal(t->links[0].name, "");
	assert_int_equal(t->links[0].num_hw_configs, 0);
	tplg_free(t);
	tb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_real_topology_parses),
		cmocka_unit_test(wm8960_matches_the_reference),
		cmocka_unit_test(every_block_type_reads_back),
		cmocka_unit_test(abi4_layouts_are_converted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
