// SPDX-License-Identifier: MIT
/*
 * The DSP engine's period path does not allocate: malloc, calloc, realloc, aligned_alloc and
 * posix_memalign are wrapped at link time (-Wl,--wrap) for everything linked statically into
 * this program (the engine and the kernels), and counted while a graph with every component
 * type runs: ticks, host data, triggers, controls and events. Building the graph and setting
 * params allocate, which shows the wrappers count. (Libraries linked dynamically, such as
 * libspeexdsp, are outside the wrap; the rate converter's own no-allocation test covers it.)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dsp/engine.h"
#include "test-dsp-engine-util.h"
#include "util/compiler.h"
#include "util/le.h"

#define PERIOD	48u

static unsigned long allocations;

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_aligned_alloc(size_t align, size_t size);
int __real_posix_memalign(void **p, size_t align, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void *__wrap_aligned_alloc(size_t align, size_t size);
int __wrap_posix_memalign(void **p, size_t align, size_t size);

void *__wrap_malloc(size_t size)
{
	allocations++;
	return __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	allocations++;
	return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	allocations++;
	return __real_realloc(p, size);
}

void *__wrap_aligned_alloc(size_t align, size_t size)
{
	allocations++;
	return __real_aligned_alloc(align, size);
}

int __wrap_posix_memalign(void **p, size_t align, size_t size)
{
	allocations++;
	return __real_posix_memalign(p, align, size);
}

/* A one-section EQ blob (2 channels, response 0: y = 0.5 x + 0.5 x'). */
static uint32_t eq_blob(uint8_t *b)
{
	const int32_t bq[7] = { 0, 0, 0, 0x20000000, 0x20000000, 0, 0x4000 };
	uint32_t i;

	memset(b, 0, 88);
	put_le32(b, 88);
	put_le32(b + 4, 2);
	put_le32(b + 8, 1);
	put_le32(b + 36, 1);
	put_le32(b + 40, 1);
	for (i = 0; i < 7; i++)
		put_le32(b + 60 + 4 * i, (uint32_t)bq[i]);
	return 88;
}

/* Demux blob: pipeline 5 gets input channels 1, 0. */
static uint32_t demux_blob(uint8_t *b)
{
	memset(b, 0, 24);
	put_le16(b + 4, 1);
	put_le32(b + 8, 5);
	b[8 + 5] = 1 << 1;
	b[8 + 6] = 1 << 0;
	return 24;
}

/*
 * Playback: guest A (pipeline 2: host, volume with a log ramp, EQ) and guest B (pipeline 3:
 * host, SRC 44.1k -> 48k) and guest D (pipeline 7: host, volume, the mixer's input, so
 * mixed early) into a mixer (pipeline 1) -> DAI; a tone (pipeline 4) into the same mixer.
 * Capture: DAI -> demux (pipeline 6) -> guest C (pipeline 5).
 */
static void build(struct dsp_engine *e, struct t_io *play, struct t_io *cap)
{
	const uint32_t out[] = { 100, 101, 102 };
	const uint32_t a[] = { 200, 201, 202, 203, 205, 206, 100 };
	const uint32_t b[] = { 300, 301, 302, 303, 100 };
	const uint32_t t[] = { 400, 401, 100 };
	const uint32_t d[] = { 700, 701, 702, 703, 100 };
	const uint32_t c_front[] = { 600, 601, 602 }, c[] = { 602, 501, 500 };
	struct dsp_comp_desc vol = {
		.id = 202, .type = DSP_COMP_VOLUME, .pipeline_id = 2, .fmt = DSP_FMT_S32_LE,
		.volume = { .channels = 2, .min_value = 0, .max_value = 0x10000, .ramp = 1,
			    .ramp_ms = 20, .initial_gain = 0x8000 },
	};
	struct dsp_comp_desc vol_d = {
		.id = 702, .type = DSP_COMP_VOLUME, .pipeline_id = 7, .fmt = DSP_FMT_S32_LE,
		.volume = { .channels = 2, .min_value = 0, .max_value = 0x10000, .ramp = 1,
			    .ramp_ms = 8, .initial_gain = 0x6000 },
	};
	struct dsp_comp_desc src = {
		.id = 302, .type = DSP_COMP_SRC, .pipeline_id = 3, .fmt = DSP_FMT_S32_LE,
		.src = { .source_rate = 44100, .sink_rate = 48000 },
	};
	struct dsp_comp_desc tone = {
		.id = 400, .type = DSP_COMP_TONE, .pipeline_id = 4, .fmt = DSP_FMT_S16_LE,
	};
	uint8_t blob[96];
	uint32_t size;

	assert_int_equal(t_simple(e, 100, DSP_COMP_MIXER, 1, DSP_FMT_S32_LE), 0);
	assert_int_equal(t_buf(e, 101, 1), 0);
	assert_int_equal(t_dai(e, 102, 1, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, DSP_XRUN_UNDER_ZERO),
			 0);
	assert_int_equal(t_pipe(e, 103, 1, 102), 0);
	assert_int_equal(t_chain(e, out, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 103), 0);
	assert_int_equal(t_bind(e, 102, play, DSP_FMT_S16_LE, 48000, 2), 0);

	assert_int_equal(t_host(e, 200, 2, DSP_DIR_PLAYBACK, DSP_XRUN_UNDER_ZERO), 0);
	assert_int_equal(t_buf(e, 201, 2), 0);
	assert_int_equal(dsp_comp_new(e, &vol), 0);
	assert_int_equal(t_buf(e, 203, 2), 0);
	size = eq_blob(blob);
	assert_int_equal(t_blob_comp(e, 205, DSP_COMP_EQ_IIR, 2, DSP_COMP_FMT_INHERIT, blob, size),
			 0);
	assert_int_equal(t_buf(e, 206, 2), 0);
	assert_int_equal(t_pipe(e, 204, 2, 102), 0);
	assert_int_equal(t_chain(e, a, 7), 0);
	assert_int_equal(dsp_pipeline_complete(e, 204), 0);

	assert_int_equal(t_host(e, 300, 3, DSP_DIR_PLAYBACK, DSP_XRUN_UNDER_ZERO), 0);
	assert_int_equal(t_buf(e, 301, 3), 0);
	assert_int_equal(dsp_comp_new(e, &src), 0);
	assert_int_equal(t_buf(e, 303, 3), 0);
	assert_int_equal(t_pipe(e, 304, 3, 102), 0);
	assert_int_equal(t_chain(e, b, 5), 0);
	assert_int_equal(dsp_pipeline_complete(e, 304), 0);

	assert_int_equal(t_host(e, 700, 7, DSP_DIR_PLAYBACK, DSP_XRUN_UNDER_ZERO), 0);
	assert_int_equal(t_buf(e, 701, 7), 0);
	assert_int_equal(dsp_comp_new(e, &vol_d), 0);
	assert_int_equal(t_buf(e, 703, 7), 0);
	assert_int_equal(t_pipe(e, 704, 7, 102), 0);
	assert_int_equal(t_chain(e, d, 5), 0);
	assert_int_equal(dsp_pipeline_complete(e, 704), 0);

	assert_int_equal(dsp_comp_new(e, &tone), 0);
	assert_int_equal(t_buf(e, 401, 4), 0);
	assert_int_equal(t_pipe(e, 403, 4, 102), 0);
	assert_int_equal(t_chain(e, t, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 403), 0);

	assert_int_equal(t_dai(e, 600, 6, DSP_DIR_CAPTURE, DSP_FMT_S32_LE, DSP_XRUN_UNDER_ZERO), 0);
	assert_int_equal(t_buf(e, 601, 6), 0);
	size = demux_blob(blob);
	assert_int_equal(t_blob_comp(e, 602, DSP_COMP_DEMUX, 6, DSP_COMP_FMT_INHERIT, blob, size),
			 0);
	assert_int_equal(t_pipe(e, 603, 6, 600), 0);
	assert_int_equal(t_chain(e, c_front, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 603), 0);
	assert_int_equal(t_bind(e, 600, cap, DSP_FMT_S16_LE, 48000, 2), 0);
	assert_int_equal(t_host(e, 500, 5, DSP_DIR_CAPTURE, DSP_XRUN_OVER_NULL), 0);
	assert_int_equal(t_buf(e, 501, 5), 0);
	assert_int_equal(t_pipe(e, 504, 5, 600), 0);
	assert_int_equal(t_chain(e, c, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 504), 0);
}

static void the_period_path_does_not_allocate(void **state)
{
	enum { TICKS = 1000 };
	static int16_t pcm_a[PERIOD * 2], pcm_b[45 * 2], cap_in[TICKS * PERIOD * 2];
	static int32_t pcm_d[PERIOD * 2];
	static int16_t cap_out[PERIOD * 2];
	static uint8_t rec[TICKS * PERIOD * 4];
	const struct dsp_ctrl_value vol[2] = { { 0, 0x4000 }, { 1, 0x10000 } };
	const struct dsp_ctrl_value mute[1] = { { 0, 0 } };
	struct dsp_ctrl_value get[2] = { { 0, 0 }, { 1, 0 } };
	struct t_io play = { .rec = rec, .rec_cap = sizeof(rec) };
	struct t_io cap = { .play = (const uint8_t *)cap_in, .play_len = sizeof(cap_in) };
	struct dsp_engine *e = NULL;
	struct dsp_stream_posn posn;
	struct dsp_mix_stats mix;
	struct dsp_event ev;
	uint32_t i, seed = 11, events = 0;
	unsigned long before;
	uint8_t blob[96];

	(void)state;
	for (i = 0; i < VADSP_ARRAY_SIZE(pcm_a); i++)
		pcm_a[i] = (int16_t)t_rand(&seed);
	for (i = 0; i < VADSP_ARRAY_SIZE(pcm_b); i++)
		pcm_b[i] = (int16_t)t_rand(&seed);
	for (i = 0; i < VADSP_ARRAY_SIZE(cap_in); i++)
		cap_in[i] = (int16_t)t_rand(&seed);
	for (i = 0; i < VADSP_ARRAY_SIZE(pcm_d); i++)
		pcm_d[i] = (int32_t)t_rand(&seed) >> 4;

	before = allocations;
	assert_int_equal(dsp_engine_create(&e, NULL), 0);
	build(e, &play, &cap);
	assert_int_equal(t_pcm(e, 200, DSP_DIR_PLAYBACK, DSP_FMT_S16_LE, 48000, 2), 0);
	assert_int_equal(t_pcm(e, 300, DSP_DIR_PLAYBACK, DSP_FMT_S16_LE, 44100, 2), 0);
	assert_int_equal(t_pcm(e, 700, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_pipeline_params(e, 403, 48000, 2), 0);
	assert_int_equal(t_pcm(e, 500, DSP_DIR_CAPTURE, DSP_FMT_S16_LE, 48000, 2), 0);
	/* Building and params allocate: the wrappers see the engine's allocations. */
	assert_true(allocations - before > 20);

	before = allocations;
	assert_int_equal(dsp_trigger(e, 200, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_trigger(e, 300, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_trigger(e, 700, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_trigger(e, 403, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_trigger(e, 500, DSP_TRIGGER_START), 0);
	for (i = 0; i < TICKS; i++) {
		assert_true(dsp_host_write(e, 200, pcm_a, PERIOD) >= 0);
		assert_true(dsp_host_write(e, 300, pcm_b, i % 10 == 9 ? 45 : 44) >= 0);
		assert_true(dsp_host_write(e, 700, pcm_d, i % 7 == 6 ? 30 : PERIOD) >= 0);
		assert_true(dsp_engine_tick(e) >= 5);
		assert_true(dsp_host_read(e, 500, cap_out, PERIOD) >= 0);
		assert_true(dsp_host_avail(e, 200) >= 0);
		if (i == 100) {
			assert_int_equal(dsp_comp_set_values(e, 202, DSP_CTRL_VOLUME, vol, 2), 0);
			assert_int_equal(dsp_comp_set_values(e, 702, DSP_CTRL_VOLUME, vol, 2), 0);
		}
		if (i == 200)
			assert_int_equal(dsp_comp_set_values(e, 202, DSP_CTRL_SWITCH, mute, 1), 0);
		if (i == 300) {
			assert_int_equal(dsp_trigger(e, 300, DSP_TRIGGER_PAUSE), 0);
			assert_int_equal(dsp_comp_set_data(e, 205, blob, eq_blob(blob)), 0);
		}
		if (i == 310)
			assert_int_equal(dsp_trigger(e, 300, DSP_TRIGGER_RELEASE), 0);
		if (i == 400) {
			assert_int_equal(dsp_trigger(e, 200, DSP_TRIGGER_STOP), 0);
			assert_int_equal(dsp_trigger(e, 200, DSP_TRIGGER_START), 0);
			assert_int_equal(dsp_trigger(e, 500, DSP_TRIGGER_XRUN), 0);
		}
		if (i == 401) {
			assert_int_equal(dsp_trigger(e, 500, DSP_TRIGGER_STOP), 0);
			assert_int_equal(dsp_trigger(e, 500, DSP_TRIGGER_START), 0);
		}
		assert_int_equal(dsp_comp_get_values(e, 202, DSP_CTRL_VOLUME, get, 2), 0);
		assert_int_equal(dsp_stream_position(e, 200, &posn), 0);
		while (dsp_engine_next_event(e, &ev) == 1)
			events++;
	}
	assert_int_equal(allocations - before, 0);

	/* It really ran: the DAI played every period and the capture guest got its frames. */
	assert_int_equal(play.rec_len, sizeof(rec));
	assert_int_equal(dsp_stream_position(e, 500, &posn), 0);
	assert_true(posn.host_frames > 0);
	assert_int_equal(get[0].value, 0x4000);
	/* Guest D was mixed early: straight into the sum, and after writing while ramping. */
	dsp_engine_mix_stats(e, &mix);
	assert_true(mix.direct > TICKS / 2);
	assert_true(mix.early > 0);
	(void)events;
	dsp_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_period_path_does_not_allocate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
