// SPDX-License-Identifier: MIT
/*
 * The guest-facing model: PCMs with their limits and host widgets, controls with ranges,
 * dB scales, items and the widget and channels they drive, connection-point endpoints and
 * their directions, and what a guest cannot be given.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test-tplg-build.h"
#include "test-tplg-util.h"
#include "tplg/model.h"
#include "tplg/tplg.h"

static void wm8960_model(void **state)
{
	struct tplg_model *m;
	struct tplg_error err;
	struct tplg *t;

	assert_int_equal(tplg_load_file(WM8960, &t, &err), 0);
	assert_int_equal(tplg_model_build(t, &m, &err), 0);

	assert_int_equal(m->num_pcms, 1);
	assert_string_equal(m->pcms[0].name, "Port0");
	assert_int_equal(m->pcms[0].id, 0);
	for (int d = 0; d < 2; d++) {
		const struct tplg_model_stream *s = &m->pcms[0].stream[d];
		const struct tplg_stream_caps *c = &t->pcms[0].caps[d];

		assert_true(s->present);
		assert_true(s->formats == c->formats);
		assert_int_equal(s->rate_min, c->rate_min);
		assert_int_equal(s->rate_max, c->rate_max);
		assert_int_equal(s->channels_min, c->channels_min);
		assert_int_equal(s->channels_max, c->channels_max);
		assert_int_equal(s->period_bytes_max, c->period_size_max);
		assert_int_equal(s->buffer_bytes_max, c->buffer_size_max);
	}
	/* PCM0P (widget 0, pipeline 1) plays, PCM0C (widget 6, pipeline 2) captures. */
	assert_int_equal(m->pcms[0].stream[0].host_widget, 0);
	assert_int_equal(m->pcms[0].stream[0].pipeline, 1);
	assert_int_equal(m->pcms[0].stream[1].host_widget, 6);
	assert_int_equal(m->pcms[0].stream[1].pipeline, 2);

	assert_int_equal(m->num_controls, 2);
	assert_string_equal(m->controls[0].name, "1 Master Playback Volume");
	assert_int_equal(m->controls[0].type, TPLG_MODEL_CTL_INTEGER);
	assert_int_equal(m->controls[0].min, 0);
	assert_int_equal(m->controls[0].max, 32);
	assert_int_equal(m->controls[0].step, 1);
	assert_true(m->controls[0].has_db);
	assert_int_equal(m->controls[0].db_min, -6400);
	assert_int_equal(m->controls[0].db_step, 200);
	assert_int_equal(m->controls[0].widget, 1);
	assert_int_equal(m->controls[0].pipeline, 1);
	assert_int_equal(m->controls[0].count, t->kcontrols[0].mixer.num_channels);
	assert_int_equal(m->controls[1].max, 80);
	assert_int_equal(m->controls[1].db_min, -5000);
	assert_int_equal(m->controls[1].widget, 7);
	assert_int_equal(m->controls[1].pipeline, 2);
	assert_int_equal(m->num_endpoints, 0);
	tplg_model_free(m);
	tplg_free(t);
}

static void priv_cp(struct tb *p, const char *cp)
{
	tb_free(p);
	if (cp)
		tb_string_tuple(p, VADSP_TKN_CP_NAME, cp);
}

/* A guest topology: one duplex PCM, playback to "speakers", capture from @mic_cp. */
static void guest(struct tb *b, uint32_t pcm2_id, const char *play_cp, const char *mic_cp)
{
	static const char *const texts[] = { "Flat", "Warm" };
	const uint8_t blob[16] = { 1 };
	const struct tb_counts c = { 4, 9, 0, 2, 0, 0 };
	struct tb p = { 0 };
	size_t blk;

	tb_manifest(b, &c, NULL, 0);
	blk = tb_block_begin(b, TPLG_BLOCK_DAPM_WIDGET, 1, 5, 5);
	tb_widget(b, TPLG_DAPM_AIF_IN, "PCM0P", "Guest Playback", 0, NULL);
	tb_widget(b, TPLG_DAPM_BUFFER, "BUF1.0", "", 0, NULL);
	tb_widget(b, TPLG_DAPM_PGA, "PGA1.0", "", 2, NULL);
	tb_mixer(b, "Guest Volume", 100, 2, -10000, 100, NULL);
	tb_mixer(b, "Guest Switch", 1, 2, 0, 0, NULL);
	priv_cp(&p, play_cp);
	tb_widget(b, TPLG_DAPM_DAI_IN, "GUEST.OUT", "", 0, &p);
	tb_widget(b, TPLG_DAPM_SCHEDULER, "PIPELINE.1", "GUEST.OUT", 0, NULL);
	tb_block_end(b, blk);

	blk = tb_block_begin(b, TPLG_BLOCK_DAPM_WIDGET, 2, 4, 5);
	tb_widget(b, TPLG_DAPM_AIF_OUT, "PCM0C", "Guest Capture", 0, NULL);
	tb_widget(b, TPLG_DAPM_EFFECT, "EQ2.0", "", 2, NULL);
	tb_enum(b, "Guest EQ Mode", 2, texts);
	tb_bytes_ctl(b, "Guest EQ Coefs", 512, blob, sizeof(blob));
	priv_cp(&p, mic_cp);
	tb_widget(b, TPLG_DAPM_DAI_OUT, "GUEST.IN", "", 0, &p);
	tb_widget(b, TPLG_DAPM_SCHEDULER, "PIPELINE.2", "GUEST.IN", 0, NULL);
	tb_block_end(b, blk);

	blk = tb_block_begin(b, TPLG_BLOCK_PCM, 0, 2, 5);
	tb_pcm(b, "Guest", 0, "Guest Playback", "Guest Capture", NULL);
	tb_pcm(b, "Unserved", pcm2_id, "No Such Stream", NULL, NULL);
	tb_block_end(b, blk);
	tb_free(&p);
}

static int build(const struct tb *b, struct tplg **t, struct tplg_model **m,
		 struct tplg_error *err)
{
	int ret = tplg_parse(b->buf, b->len, t, err);

	assert_int_equal(ret, 0);
	return tplg_model_build(*t, m, err);
}

static void guest_topology_model(void **state)
{
	struct tb b = { 0 };
	struct tplg_model *m;
	struct tplg_error err;
	struct tplg *t;

	guest(&b, 1, "speakers", "mic");
	assert_int_equal(build(&b, &t, &m, &err), 0);

	assert_int_equal(m->num_pcms, 2);
	assert_true(m->pcms[0].stream[0].present);
	assert_true(m->pcms[0].stream[1].present);
	assert_int_equal(m->pcms[0].stream[0].host_widget, 0);
	assert_int_equal(m->pcms[0].stream[0].pipeline, 1);
	assert_int_equal(m->pcms[0].stream[1].host_widget, 5);
	assert_int_equal(m->pcms[0].stream[1].pipeline, 2);
	assert_int_equal(m->pcms[0].stream[0].channels_max, 2);
	assert_int_equal(m->pcms[0].stream[1].channels_max, 4);
	assert_int_equal(m->pcms[0].stream[0].sig_bits, 24);
	assert_int_equal(m->pcms[0].stream[0].periods_max, 16);
	assert_true(m->pcms[0].stream[0].formats == ((1u << 2) | (1u << 10)));
	/* A stream no aif widget serves has no host widget; an absent one is absent. */
	assert_int_equal(m->pcms[1].id, 1);
	assert_int_equal(m->pcms[1].stream[0].host_widget, -1);
	assert_false(m->pcms[1].stream[1].present);

	assert_int_equal(m->num_controls, 4);
	assert_string_equal(m->controls[0].name, "Guest Volume");
	assert_int_equal(m->controls[0].type, TPLG_MODEL_CTL_INTEGER);
	assert_int_equal(m->controls[0].max, 100);
	assert_int_equal(m->controls[0].count, 2);
	assert_int_equal(m->controls[0].channel_map[0], 3);
	assert_int_equal(m->controls[0].channel_map[1], 4);
	assert_true(m->controls[0].has_db);
	assert_int_equal(m->controls[0].db_min, -10000);
	assert_int_equal(m->controls[0].db_step, 100);
	assert_true(m->controls[0].db_mute);
	assert_int_equal(m->controls[0].widget, 2);
	assert_int_equal(m->controls[1].type, TPLG_MODEL_CTL_BOOLEAN);
	assert_int_equal(m->controls[1].max, 1);
	assert_false(m->controls[1].has_db);
	assert_int_equal(m->controls[2].type, TPLG_MODEL_CTL_ENUMERATED);
	assert_int_equal(m->controls[2].num_items, 2);
	assert_int_equal(m->controls[2].max, 1);
	assert_string_equal(m->controls[2].items[1], "Warm");
	assert_int_equal(m->controls[2].widget, 6);
	assert_int_equal(m->controls[2].pipeline, 2);
	assert_int_equal(m->controls[3].type, TPLG_MODEL_CTL_BYTES);
	assert_int_equal(m->controls[3].count, 512);

	assert_int_equal(m->num_endpoints, 2);
	assert_string_equal(m->endpoints[0].cp_name, "speakers");
	assert_int_equal(m->endpoints[0].widget, 3);
	assert_int_equal(m->endpoints[0].widget_id, TPLG_DAPM_DAI_IN);
	assert_int_equal(m->endpoints[0].direction, TPLG_MODEL_PLAYBACK);
	assert_int_equal(m->endpoints[0].pipeline, 1);
	assert_string_equal(m->endpoints[1].cp_name, "mic");
	assert_int_equal(m->endpoints[1].direction, TPLG_MODEL_CAPTURE);
	assert_int_equal(m->endpoints[1].pipeline, 2);
	tplg_model_free(m);
	tplg_free(t);
	tb_free(&b);

	/* One name for both directions is fine: a duplex point. */
	guest(&b, 1, "headset", "headset");
	assert_int_equal(build(&b, &t, &m, &err), 0);
	assert_int_equal(m->num_endpoints, 2);
	tplg_model_free(m);
	tplg_free(t);
	tb_free(&b);
}

static void host_points_take_their_pipeline_direction(void **state)
{
	const struct tb_counts c = { 0, 7, 0, 0, 0, 0 };
	struct tb b = { 0 }, p = { 0 };
	struct tplg_model *m;
	struct tplg_error err;
	struct tplg *t;
	size_t blk;

	tb_manifest(&b, &c, NULL, 0);
	blk = tb_block_begin(&b, TPLG_BLOCK_DAPM_WIDGET, 10, 2, 5);
	priv_cp(&p, "speakers");
	tb_widget(&b, TPLG_DAPM_MIXER, "MIXER10", "", 0, &p);
	tb_widget(&b, TPLG_DAPM_DAI_IN, "SSP0.OUT", "", 0, NULL);
	tb_block_end(&b, blk);
	blk = tb_block_begin(&b, TPLG_BLOCK_DAPM_WIDGET, 11, 2, 5);
	priv_cp(&p, "mic");
	tb_widget(&b, TPLG_DAPM_EFFECT, "DEMUX11", "", 0, &p);
	tb_widget(&b, TPLG_DAPM_DAI_OUT, "SSP0.IN", "", 0, NULL);
	tb_block_end(&b, blk);
	/* A point in a pipeline with no DAI or host widget has no direction. */
	blk = tb_block_begin(&b, TPLG_BLOCK_DAPM_WIDGET, 12, 1, 5);
	priv_cp(&p, "loose");
	tb_widget(&b, TPLG_DAPM_BUFFER, "BUF12", "", 0, &p);
	tb_block_end(&b, blk);
	/* Host stream widgets are points by their own type, whatever their pipeline holds. */
	blk = tb_block_begin(&b, TPLG_BLOCK_DAPM_WIDGET, 13, 2, 5);
	priv_cp(&p, "aux-out");
	tb_widget(&b, TPLG_DAPM_AIF_IN, "CP.aux-out", "aux-out", 0, &p);
	priv_cp(&p, "aux-in");
	tb_widget(&b, TPLG_DAPM_AIF_OUT, "CP.aux-in", "aux-in", 0, &p);
	tb_block_end(&b, blk);

	assert_int_equal(build(&b, &t, &m, &err), 0);
	assert_int_equal(m->num_pcms, 0);
	assert_string_equal(m->endpoints[0].cp_name, "speakers");
	assert_int_equal(m->endpoints[0].widget_id, TPLG_DAPM_MIXER);
	assert_int_equal(m->endpoints[0].direction, TPLG_MODEL_PLAYBACK);
	assert_int_equal(m->endpoints[1].direction, TPLG_MODEL_CAPTURE);
	assert_int_equal(m->endpoints[1].pipeline, 11);
	assert_int_equal(m->endpoints[2].direction, TPLG_MODEL_DIR_UNKNOWN);
	assert_string_equal(tplg_model_dir_name(m->endpoints[2].direction), "unknown");
	assert_int_equal(m->num_endpoints, 5);
	assert_int_equal(m->endpoints[3].direction, TPLG_MODEL_PLAYBACK);
	assert_int_equal(m->endpoints[4].direction, TPLG_MODEL_CAPTURE);
	assert_int_equal(m->endpoints[4].widget_id, TPLG_DAPM_AIF_OUT);
	tplg_model_free(m);
	tplg_free(t);
	tb_free(&b);
	tb_free(&p);
}

static void control_bytes_in_names_are_escaped_in_messages(void **state)
{
	struct tb b = { 0 };
	struct tplg_model *m = NULL;
	struct tplg_error err;
	struct tplg *t;

	guest(&b, 0, "speakers", "mic");
	assert_int_equal(tplg_parse(b.buf, b.len, &t, &err), 0);
	snprintf(t->pcms[1].pcm_name, sizeof(t->pcms[1].pcm_name), "Un\tserved\x7f");
	assert_int_equal(tplg_model_build(t, &m, &err), -EINVAL);
	assert_null(m);
	assert_non_null(strstr(err.msg,
			       "pcm 'Un\\x09served\\x7f' has id 0, already used by pcm 'Guest'"));
	tplg_free(t);
	tb_free(&b);
}

static void what_a_guest_cannot_be_given_is_rejected(void **state)
{
	struct tb b = { 0 };
	struct tplg_model *m = NULL;
	struct tplg_error err;
	struct tplg *t;

	guest(&b, 0, "speakers", "mic");
	assert_int_equal(build(&b, &t, &m, &err), -EINVAL);
	assert_null(m);
	assert_non_null(strstr(err.msg, "pcm 'Unserved' has id 0, already used by pcm 'Guest'"));
	assert_int_equal(err.block_type, TPLG_BLOCK_PCM);
	tplg_free(t);
	tb_free(&b);

	guest(&b, 1, "speakers", "");
	assert_int_equal(build(&b, &t, &m, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "widget 7 'GUEST.IN': connection-point name (token 16000) is empty"));
	assert_int_equal(err.block, 2);
	tplg_free(t);
	tb_free(&b);

	/* Two playback endpoints on one point. */
	{
		const struct tb_counts c = { 0, 2, 0, 0, 0, 0 };
		struct tb p = { 0 };
		size_t blk;

		tb_manifest(&b, &c, NULL, 0);
		blk = tb_block_begin(&b, TPLG_BLOCK_DAPM_WIDGET, 1, 2, 5);
		tb_string_tuple(&p, VADSP_TKN_CP_NAME, "speakers");
		tb_widget(&b, TPLG_DAPM_DAI_IN, "A.OUT", "", 0, &p);
		tb_widget(&b, TPLG_DAPM_DAI_IN, "B.OUT", "", 0, &p);
		tb_block_end(&b, blk);
		tb_free(&p);
	}
	assert_int_equal(build(&b, &t, &m, &err), -EINVAL);
	assert_non_null(strstr(err.msg,
			       "widget 1 'B.OUT': playback connection point 'speakers' is already used by widget 0 'A.OUT'"));
	tplg_free(t);
	tb_free(&b);

	/* The token written as a number is not a name. */
	{
		const struct tb_counts c = { 0, 1, 0, 0, 0, 0 };
		const uint32_t w[] = { VADSP_TKN_CP_NAME, 3 };
		struct tb p = { 0 };
		size_t blk;

		tb_manifest(&b, &c, NULL, 0);
		blk = tb_block_begin(&b, TPLG_BLOCK_DAPM_WIDGET, 1, 1, 5);
		tb_words(&p, TPLG_TUPLE_WORD, 1, w);
		tb_widget(&b, TPLG_DAPM_DAI_OUT, "A.IN", "", 0, &p);
		tb_block_end(&b, blk);
		tb_free(&p);
	}
	assert_int_equal(build(&b, &t, &m, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "is empty or not a string"));
	tplg_free(t);
	tb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wm8960_model),
		cmocka_unit_test(guest_topology_model),
		cmocka_unit_test(host_points_take_their_pipeline_direction),
		cmocka_unit_test(what_a_guest_cannot_be_given_is_rejected),
		cmocka_unit_test(control_bytes_in_names_are_escaped_in_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
