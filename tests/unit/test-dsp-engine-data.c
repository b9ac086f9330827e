// SPDX-License-Identifier: MIT
/*
 * DSP engine data path: small graphs built through engine.h and run free-wheeling, their
 * output compared with a plain reference computation or with the kernel run directly on the
 * same input: volume gains (bit-exact, with saturation), format conversion where components
 * and pipelines meet, a mixer fed by two guest pipelines (exact sums, saturation, guests
 * stopping), a partial period played padded before an xrun stops the pipeline, a demux
 * splitting a capture DAI between two guests, a mux interleaving two guests into one DAI,
 * rate conversion 48k -> 16k,
 * a tone generator pipeline and an EQ IIR with a blob changed while running.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dsp/engine.h"
#include "dsp/kernels/eq-iir.h"
#include "dsp/kernels/src.h"
#include "dsp/kernels/tone.h"
#include "dsp/kernels/volume.h"
#include "test-dsp-engine-util.h"
#include "util/compiler.h"
#include "util/le.h"

#define PERIOD	48u	/* frames per 1 ms tick at 48 kHz */

static struct dsp_engine *engine(void)
{
	struct dsp_engine *e = NULL;

	assert_int_equal(dsp_engine_create(&e, NULL), 0);
	return e;
}

static void record_into(struct t_io *io, size_t bytes)
{
	memset(io, 0, sizeof(*io));
	io->rec = calloc(1, bytes);
	io->rec_cap = bytes;
	assert_non_null(io->rec);
}

/* ---------------------------------------------------------------------------------------- */

static void volume_gain_through_a_pipeline_equals_the_reference(void **state)
{
	enum { TICKS = 20 };
	static int32_t in[TICKS * PERIOD * 2];
	const struct dsp_ctrl_value gains[2] = { { 0, 0x12345 }, { 1, 0x0c000 } };
	struct dsp_engine *e = engine();
	struct dsp_stream_posn posn;
	struct t_io io;
	uint32_t seed = 1, i, t;
	const int32_t *out;

	(void)state;
	for (i = 0; i < VADSP_ARRAY_SIZE(in); i++)
		in[i] = (int32_t)t_rand(&seed);
	in[0] = INT32_MAX;	/* saturates at gain > 1 */
	in[2] = INT32_MIN;
	record_into(&io, sizeof(in));
	assert_int_equal(t_playback(e, 10, 1, DSP_FMT_S32_LE, DSP_FMT_S32_LE,
				    DSP_VOLUME_GAIN_DEFAULT, 0), 0);
	assert_int_equal(dsp_comp_set_values(e, 12, DSP_CTRL_VOLUME, gains, 2), 0);
	assert_int_equal(t_bind(e, 14, &io, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	for (t = 0; t < TICKS; t++) {
		assert_int_equal(dsp_host_write(e, 10, in + t * PERIOD * 2, PERIOD), (int)PERIOD);
		assert_int_equal(dsp_engine_tick(e), 1);
	}
	assert_int_equal(io.rec_len, sizeof(in));
	out = (const int32_t *)io.rec;
	for (i = 0; i < VADSP_ARRAY_SIZE(in); i++)
		assert_int_equal(out[i], t_gain32(in[i], (int32_t)gains[i % 2].value));
	assert_int_equal(out[0], INT32_MAX);

	assert_int_equal(dsp_stream_position(e, 10, &posn), 0);
	assert_int_equal(posn.host_frames, TICKS * PERIOD);
	assert_int_equal(posn.dai_frames, TICKS * PERIOD);
	assert_int_equal(posn.dai_posn, TICKS * PERIOD * 8);
	assert_int_equal(posn.wallclock, TICKS * PERIOD);
	assert_int_equal(posn.wallclock_hz, 48000);
	assert_int_equal(posn.xruns, 0);
	free(io.rec);
	dsp_engine_destroy(e);
}

/*
 * A playback host with part of a period queued (a stream's last 40 frames) plays it padded
 * with silence, though its xrun action is STOP with no allowance: the underrun is counted,
 * the pipeline runs the period to the DAI, and the next period, with nothing queued, stops
 * it. Released, it plays on with no frame held back.
 */
static void a_partial_period_is_played_padded_before_the_xrun_stops(void **state)
{
	enum { FULL = 2 * PERIOD, PART = 40 };
	static int32_t in[(FULL + PART + PERIOD) * 2];
	struct dsp_engine *e = engine();
	struct dsp_stream_posn posn;
	struct t_io io;
	uint32_t seed = 7, i, t;
	const int32_t *out;

	(void)state;
	for (i = 0; i < VADSP_ARRAY_SIZE(in); i++)
		in[i] = (int32_t)(t_rand(&seed) | 1);	/* never silence */
	record_into(&io, sizeof(in) + 4 * PERIOD * 8);
	assert_int_equal(t_playback(e, 10, 1, DSP_FMT_S32_LE, DSP_FMT_S32_LE,
				    DSP_VOLUME_GAIN_DEFAULT, 0), 0);
	assert_int_equal(t_bind(e, 14, &io, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_host_write(e, 10, in, FULL + PART), (int)(FULL + PART));
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	for (t = 0; t < 3; t++)
		dsp_engine_tick(e);
	/* Two periods, then the 40 frames and 8 of silence, all at the DAI. */
	assert_int_equal(io.rec_len, 3 * PERIOD * 8);
	out = (const int32_t *)io.rec;
	for (i = 0; i < (FULL + PART) * 2; i++)
		assert_int_equal(out[i], in[i]);
	for (; i < 3 * PERIOD * 2; i++)
		assert_int_equal(out[i], 0);
	assert_int_equal(dsp_stream_position(e, 10, &posn), 0);
	assert_int_equal(posn.host_frames, FULL + PART);
	assert_int_equal(posn.xruns, 1);
	assert_int_equal(posn.xrun_size, -(int32_t)((PERIOD - PART) * 8));
	/* Nothing queued: the STOP action, at the host (the DAI does not run that period). */
	dsp_engine_tick(e);
	assert_int_equal(io.rec_len, 3 * PERIOD * 8);
	assert_int_equal(dsp_stream_position(e, 10, &posn), 0);
	assert_int_equal(posn.xruns, 2);
	assert_int_equal(posn.host_frames, FULL + PART);
	/* Released with a period queued: that period comes next, nothing older in front of it. */
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_PAUSE), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_RELEASE), 0);
	assert_int_equal(dsp_host_write(e, 10, in + (FULL + PART) * 2, PERIOD), (int)PERIOD);
	io.rec_len = 0;
	dsp_engine_tick(e);
	assert_int_equal(io.rec_len, PERIOD * 8);
	assert_memory_equal(io.rec, in + (FULL + PART) * 2, PERIOD * 8);
	free(io.rec);
	dsp_engine_destroy(e);
}

static int16_t ref_s32_to_s16(int32_t x)
{
	int64_t y = ((int64_t)x + 0x8000) >> 16;

	return (int16_t)(y > INT16_MAX ? INT16_MAX : y);
}

static void formats_are_converted_where_components_meet(void **state)
{
	enum { TICKS = 8, N = TICKS * PERIOD * 2 };
	static int16_t in16[N];
	static int32_t in32[N];
	struct dsp_engine *e = engine();
	struct t_io io;
	uint32_t seed = 7, i, t;
	const int32_t *out32;
	const int16_t *out16;
	const int32_t gain = 0x0b505;	/* about -3 dB */

	(void)state;
	for (i = 0; i < N; i++) {
		in16[i] = (int16_t)t_rand(&seed);
		in32[i] = (int32_t)t_rand(&seed);
	}
	in32[4] = INT32_MAX;	/* rounds up past S16 full scale: saturates */

	/* S16 PCM -> volume in S16 -> DAI working in S32 -> I/O in S24. */
	record_into(&io, N * 4);
	assert_int_equal(t_playback(e, 10, 1, DSP_COMP_FMT_INHERIT, DSP_FMT_S32_LE, gain, 0), 0);
	assert_int_equal(t_bind(e, 14, &io, DSP_FMT_S24_4LE, 48000, 2), 0);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S16_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	for (t = 0; t < TICKS; t++) {
		assert_int_equal(dsp_host_write(e, 10, in16 + t * PERIOD * 2, PERIOD), (int)PERIOD);
		dsp_engine_tick(e);
	}
	assert_int_equal(io.rec_len, N * 4);
	out32 = (const int32_t *)io.rec;
	for (i = 0; i < N; i++)
		assert_int_equal(out32[i], (int32_t)t_gain16(in16[i], gain) * 256);
	free(io.rec);

	/* S32 PCM -> volume working in S16 (rounds and saturates its input) -> DAI in S16. */
	record_into(&io, N * 2);
	assert_int_equal(t_playback(e, 20, 2, DSP_FMT_S16_LE, DSP_FMT_S16_LE, gain, 0), 0);
	assert_int_equal(t_bind(e, 24, &io, DSP_FMT_S16_LE, 48000, 2), 0);
	assert_int_equal(t_pcm(e, 20, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 20, DSP_TRIGGER_START), 0);
	for (t = 0; t < TICKS; t++) {
		assert_int_equal(dsp_host_write(e, 20, in32 + t * PERIOD * 2, PERIOD), (int)PERIOD);
		dsp_engine_tick(e);
	}
	assert_int_equal(io.rec_len, N * 2);
	out16 = (const int16_t *)io.rec;
	for (i = 0; i < N; i++)
		assert_int_equal(out16[i], t_gain16(ref_s32_to_s16(in32[i]), gain));
	free(io.rec);
	dsp_engine_destroy(e);
}

/* ---------------------------------------------------------------------------------------- */

/*
 * Host mixer pipeline 1: mixer 100 -> buffer 101 -> DAI 102 (pipeline comp 103), created
 * first. Guest pipelines 2 and 3: host (base) -> buffer -> volume -> buffer (in the guest's
 * pipeline) -> mixer 100; scheduled by the DAI as in the 2020 design.
 */
static void build_mixer_graph(struct dsp_engine *e, struct t_io *io)
{
	uint32_t g;

	assert_int_equal(t_mixer_out(e, 100, 1, DSP_FMT_S32_LE), 0);
	assert_int_equal(t_bind(e, 102, io, DSP_FMT_S32_LE, 48000, 2), 0);

	for (g = 2; g <= 3; g++) {
		uint32_t b = g * 100;
		const uint32_t ids[] = { b, b + 1, b + 2, b + 3, 100 };
		uint32_t vfmt = g == 2 ? DSP_COMP_FMT_INHERIT : DSP_FMT_S32_LE;

		assert_int_equal(t_host(e, b, g, DSP_DIR_PLAYBACK, DSP_XRUN_UNDER_ZERO), 0);
		assert_int_equal(t_buf(e, b + 1, g), 0);
		assert_int_equal(t_volume(e, b + 2, g, vfmt, 0x10000), 0);
		assert_int_equal(t_buf(e, b + 3, g), 0);
		assert_int_equal(t_pipe(e, b + 4, g, 102), 0);
		assert_int_equal(t_chain(e, ids, 5), 0);
		assert_int_equal(dsp_pipeline_complete(e, b + 4), 0);
	}
}

static void mixer_sums_two_guests_exactly_with_saturation(void **state)
{
	enum { TICKS = 6, N = TICKS * PERIOD * 2 };
	static int16_t a[N];
	static int32_t b[N];
	struct dsp_engine *e = engine();
	struct t_io io;
	uint32_t seed = 99, i, t;
	const int32_t *out;

	(void)state;
	for (i = 0; i < N; i++) {
		a[i] = (int16_t)t_rand(&seed);
		b[i] = (int32_t)t_rand(&seed);
	}
	a[0] = INT16_MAX;
	b[0] = INT32_MAX;	/* sum saturates high */
	a[1] = INT16_MIN;
	b[1] = INT32_MIN;	/* and low */
	record_into(&io, 3 * N * 4);
	build_mixer_graph(e, &io);

	/* Guest A plays S16 into the S32 mixer, guest B S32. */
	assert_int_equal(t_pcm(e, 200, DSP_DIR_PLAYBACK, DSP_FMT_S16_LE, 48000, 2), 0);
	assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_PREPARE);
	assert_int_equal(t_pcm(e, 300, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 200, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_ACTIVE);
	assert_int_equal(dsp_trigger(e, 300, DSP_TRIGGER_START), 0);

	for (t = 0; t < TICKS; t++) {
		assert_int_equal(dsp_host_write(e, 200, a + t * PERIOD * 2, PERIOD), (int)PERIOD);
		assert_int_equal(dsp_host_write(e, 300, b + t * PERIOD * 2, PERIOD), (int)PERIOD);
		assert_int_equal(dsp_engine_tick(e), 3);
		/* The guests ran before the mixer: their period is out in the same tick. */
		assert_int_equal(io.rec_len, (t + 1) * PERIOD * 8);
	}
	out = (const int32_t *)io.rec;
	for (i = 0; i < N; i++)
		assert_int_equal(out[i], t_sat32((int64_t)a[i] * 65536 + b[i]));
	assert_int_equal(out[0], INT32_MAX);
	assert_int_equal(out[1], INT32_MIN);

	/* A stops: the mixer goes on with B alone. */
	assert_int_equal(dsp_trigger(e, 200, DSP_TRIGGER_STOP), 0);
	assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_ACTIVE);
	assert_int_equal(dsp_host_write(e, 300, b, PERIOD), (int)PERIOD);
	assert_int_equal(dsp_engine_tick(e), 2);
	out = (const int32_t *)(io.rec + N * 4);
	for (i = 0; i < PERIOD * 2; i++)
		assert_int_equal(out[i], b[i]);

	/* B pauses: the mixer pauses with its last holder, and resumes with it. */
	assert_int_equal(dsp_trigger(e, 300, DSP_TRIGGER_PAUSE), 0);
	assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_PAUSED);
	assert_int_equal(dsp_engine_tick(e), 0);
	assert_int_equal(dsp_trigger(e, 300, DSP_TRIGGER_RELEASE), 0);
	assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_ACTIVE);
	assert_int_equal(dsp_trigger(e, 300, DSP_TRIGGER_STOP), 0);
	assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_PREPARE);

	/* PCM free of both releases the mixer pipeline. */
	assert_int_equal(dsp_pcm_free(e, 200), 0);
	assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_PREPARE);
	assert_int_equal(dsp_pcm_free(e, 300), 0);
	assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_READY);
	free(io.rec);
	dsp_engine_destroy(e);
}

static void a_stalled_mixer_holds_guest_data_back_without_loss(void **state)
{
	enum { N = 200 * PERIOD * 2 };
	static int32_t in[N];
	const uint32_t guest[] = { 200, 201, 202, 203, 100 };
	struct dsp_engine *e = engine();
	struct dsp_stream_posn posn;
	uint32_t seed = 21, i, t, fed = 0;
	struct t_io io;
	const int32_t *out;

	(void)state;
	for (i = 0; i < N; i++)
		in[i] = (int32_t)t_rand(&seed);
	record_into(&io, sizeof(in));
	assert_int_equal(t_mixer_out(e, 100, 1, DSP_FMT_S32_LE), 0);
	assert_int_equal(t_bind(e, 102, &io, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_pipeline_params(e, 103, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 103, DSP_TRIGGER_START), 0);
	assert_int_equal(t_host(e, 200, 2, DSP_DIR_PLAYBACK, 0), 0);
	assert_int_equal(t_buf(e, 201, 2), 0);
	assert_int_equal(t_volume(e, 202, 2, DSP_FMT_S32_LE, 0x10000), 0);
	assert_int_equal(t_buf(e, 203, 2), 0);
	assert_int_equal(t_pipe(e, 204, 2, 102), 0);
	assert_int_equal(t_chain(e, guest, 5), 0);
	assert_int_equal(dsp_pipeline_complete(e, 204), 0);
	assert_int_equal(t_pcm(e, 200, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 200, DSP_TRIGGER_START), 0);

	for (t = 0; t < 150; t++) {
		int w = dsp_host_write(e, 200, in + fed * 2, VADSP_MIN(N / 2 - fed, 2 * PERIOD));

		assert_true(w >= 0);
		fed += (uint32_t)w;
		/* The host side stops moving data for 20 ticks: the guest's buffers fill, the
		 * guest's host takes less and less from its ring, nothing is lost. */
		if (t == 10)
			assert_int_equal(dsp_trigger(e, 103, DSP_TRIGGER_XRUN), 0);
		if (t == 30) {
			assert_int_equal(dsp_trigger(e, 103, DSP_TRIGGER_PAUSE), 0);
			assert_int_equal(dsp_trigger(e, 103, DSP_TRIGGER_RELEASE), 0);
		}
		dsp_engine_tick(e);
	}
	assert_int_equal(dsp_stream_position(e, 200, &posn), 0);
	assert_int_equal(posn.xruns, 0);
	assert_int_equal(io.rec_len, (150 - 20) * PERIOD * 8);
	out = (const int32_t *)io.rec;
	for (i = 0; i < io.rec_len / 4; i++)
		assert_int_equal(out[i], in[i]);
	free(io.rec);
	dsp_engine_destroy(e);
}

/* ---------------------------------------------------------------------------------------- */
/* Early mixing                                                                              */

/* A float near 2^@e2 with mantissa bits from @r and sign from @neg. */
static float t_float(int e2, uint32_t r, bool neg)
{
	uint32_t bits = (uint32_t)(127 + e2) << 23 | (r & 0x7fffffu) | (neg ? 0x80000000u : 0);
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

/*
 * Three FLOAT guests into a FLOAT mixer, each period added by the guest's volume straight to
 * the mixer's sum: the output is, sample by sample, 0 + (double)(x0 * g0) + (double)(x1 * g1)
 * + (double)(x2 * g2) in that order (the gains as floats, q / 65536), rounded once to float.
 * The inputs make the order visible: guest 0 at -6 dB cancels guest 1 exactly, so guest 2's
 * small values survive only if they are added last.
 */
static void volumes_add_their_period_straight_into_the_mixers_sum(void **state)
{
	enum { TICKS = 8, N = TICKS * PERIOD * 2 };
	static float x[3][N];
	const int32_t gain[3] = { 0x8000, 0x10000, 0x4000 };
	struct dsp_engine *e = engine();
	struct dsp_mix_stats st;
	struct t_io io;
	uint32_t seed = 5, i, g, t;
	const float *out;

	(void)state;
	for (i = 0; i < N; i++) {
		uint32_t r = t_rand(&seed);

		x[0][i] = t_float(31, r, r & 1);
		x[1][i] = -t_float(30, r, r & 1);
		x[2][i] = t_float(-3, t_rand(&seed), r & 2);
	}
	record_into(&io, sizeof(x[0]));
	assert_int_equal(t_mixer_out(e, 100, 1, DSP_FMT_FLOAT), 0);
	assert_int_equal(t_bind(e, 102, &io, DSP_FMT_FLOAT, 48000, 2), 0);
	for (g = 0; g < 3; g++) {
		uint32_t b = 200 + 10 * g;
		const uint32_t ids[] = { b, b + 1, b + 2, b + 3, 100 };

		assert_int_equal(t_host(e, b, g + 2, DSP_DIR_PLAYBACK, DSP_XRUN_UNDER_ZERO), 0);
		assert_int_equal(t_buf(e, b + 1, g + 2), 0);
		assert_int_equal(t_volume(e, b + 2, g + 2, DSP_COMP_FMT_INHERIT, gain[g]), 0);
		assert_int_equal(t_buf(e, b + 3, g + 2), 0);
		assert_int_equal(t_pipe(e, b + 4, g + 2, 102), 0);
		assert_int_equal(t_chain(e, ids, 5), 0);
		assert_int_equal(dsp_pipeline_complete(e, b + 4), 0);
		assert_int_equal(t_pcm(e, b, DSP_DIR_PLAYBACK, DSP_FMT_FLOAT, 48000, 2), 0);
		assert_int_equal(dsp_trigger(e, b, DSP_TRIGGER_START), 0);
	}
	for (t = 0; t < TICKS; t++) {
		for (g = 0; g < 3; g++)
			assert_int_equal(dsp_host_write(e, 200 + 10 * g, x[g] + t * PERIOD * 2,
							PERIOD), (int)PERIOD);
		assert_int_equal(dsp_engine_tick(e), 4);
	}
	assert_int_equal(io.rec_len, sizeof(x[0]));
	out = (const float *)io.rec;
	for (i = 0; i < N; i++) {
		double sum = 0;
		float want;

		for (g = 0; g < 3; g++)
			sum += (double)(x[g][i] * ((float)gain[g] * (1.0f / 65536.0f)));
		want = (float)sum;
		assert_memory_equal(&out[i], &want, sizeof(want));
		assert_true(out[i] == x[2][i] * 0.25f);	/* guests 0 and 1 cancelled */
	}
	dsp_engine_mix_stats(e, &st);
	assert_int_equal(st.direct, 3 * TICKS);
	assert_int_equal(st.early, 0);
	assert_int_equal(st.late, 0);
	free(io.rec);
	dsp_engine_destroy(e);
}

/*
 * The early-mixing comparison rig: one engine as configured, the same graph and the same
 * calls on a second engine with late_mix set, and every result compared.
 */
#define RIG_GUESTS	4u
#define RIG_TICKS	400u
#define RIG_SRC		(64u * PERIOD * 2u)

struct rig {
	struct dsp_engine *e[2];
	struct t_io io[2];
	uint32_t fmt;			/* the mixer's */
	uint32_t pcm[RIG_GUESTS];	/* each guest's */
	uint32_t src[RIG_GUESTS][RIG_SRC];
	uint32_t pos[RIG_GUESTS];	/* frames written from src */
	bool playing[RIG_GUESTS];
	bool paused[RIG_GUESTS];
	uint64_t events;		/* compared */
};

static int t_volume_ramp(struct dsp_engine *e, uint32_t id, uint32_t pipe, uint32_t ramp,
			 uint32_t ramp_ms, int32_t gain)
{
	struct dsp_comp_desc d = {
		.id = id, .type = DSP_COMP_VOLUME, .pipeline_id = pipe,
		.fmt = DSP_COMP_FMT_INHERIT,
		.volume = { .channels = 2, .min_value = 0, .max_value = 0x7fffff, .ramp = ramp,
			    .ramp_ms = ramp_ms, .initial_gain = gain },
	};

	return dsp_comp_new(e, &d);
}

/* The engine a RIG_BOTH() call runs on, and the first one's answer. */
static struct dsp_engine *e_;
static int rig_first;

static int rig_same(int second)
{
	assert_int_equal(second, rig_first);
	return second;
}

/* The same call (on e_) on both engines; both must answer the same. Returns the answer. */
#define RIG_BOTH(r, call) \
	(e_ = (r)->e[0], rig_first = (call), e_ = (r)->e[1], rig_same(call))

/*
 * Mixer pipeline 1 (mixer 100 -> 101 -> DAI 102, started on its own) and four guests
 * (host -> buffer -> volume -> buffer -> mixer; pipelines 2..5, created in that order):
 * guest 0 at a steady gain, guest 1 (guest 0 negated, in step with it) with a linear ramp,
 * guest 2 with a log ramp and in S16 (converted where it meets the mixer), guest 3 at 0 dB
 * with the STOP xrun action. With @swap, guest 3's buffer joins the mixer second, so the
 * mixer's input order is not the run order.
 */
static void rig_build(struct rig *r, uint32_t fmt, bool swap)
{
	static const uint32_t connect_order[2][RIG_GUESTS] = { { 0, 1, 2, 3 }, { 0, 3, 1, 2 } };
	static const uint32_t ramp[RIG_GUESTS] = {
		DSP_VOL_RAMP_LINEAR, DSP_VOL_RAMP_LINEAR, DSP_VOL_RAMP_LOG, DSP_VOL_RAMP_LINEAR,
	};
	static const uint32_t ramp_ms[RIG_GUESTS] = { 0, 4, 4, 0 };
	const uint32_t host_side[] = { 100, 101, 102 };
	uint32_t k, g, i, seed = 77;

	r->fmt = fmt;
	r->events = 0;
	for (g = 0; g < RIG_GUESTS; g++) {
		r->pcm[g] = g == 2 ? DSP_FMT_S16_LE : fmt;
		r->pos[g] = 0;
		r->playing[g] = false;
		r->paused[g] = false;
		for (i = 0; i < RIG_SRC; i++) {
			uint32_t v = t_rand(&seed);

			if (r->pcm[g] != DSP_FMT_FLOAT) {
				r->src[g][i] = v;
				continue;
			}
			/*
			 * guest 1 plays guest 0 negated: in step, at the same gain, their large
			 * values cancel exactly, and how much of guest 3's small ones is kept
			 * depends on whether they are added before or after that
			 */
			{
				static const int exps[] = { 28, 0, -28 };
				float f = t_float(g == 3 ? -3 : exps[i % 3], v, v & 1);

				if (g == 1)
					memcpy(&f, &r->src[0][i], sizeof(f)), f = -f;
				memcpy(&r->src[g][i], &f, sizeof(f));
			}
		}
	}
	for (k = 0; k < 2; k++) {
		struct dsp_engine_config cfg = { .late_mix = k == 1 };
		struct dsp_engine *e = NULL;

		assert_int_equal(dsp_engine_create(&e, &cfg), 0);
		r->e[k] = e;
		record_into(&r->io[k], (size_t)RIG_TICKS * PERIOD * 8);
		assert_int_equal(t_simple(e, 100, DSP_COMP_MIXER, 1, fmt), 0);
		assert_int_equal(t_buf(e, 101, 1), 0);
		assert_int_equal(t_dai(e, 102, 1, DSP_DIR_PLAYBACK, fmt, DSP_XRUN_UNDER_ZERO), 0);
		assert_int_equal(t_pipe(e, 103, 1, 102), 0);
		assert_int_equal(t_chain(e, host_side, 3), 0);
		assert_int_equal(dsp_pipeline_complete(e, 103), 0);
		assert_int_equal(t_bind(e, 102, &r->io[k], fmt, 48000, 2), 0);
		assert_int_equal(dsp_pipeline_params(e, 103, 48000, 2), 0);
		assert_int_equal(dsp_trigger(e, 103, DSP_TRIGGER_START), 0);
		for (g = 0; g < RIG_GUESTS; g++) {
			uint32_t b = 200 + 10 * g, pipe = g + 2;
			const uint32_t ids[] = { b, b + 1, b + 2, b + 3 };

			assert_int_equal(t_host(e, b, pipe, DSP_DIR_PLAYBACK,
						g == 3 ? 0 : DSP_XRUN_UNDER_ZERO), 0);
			assert_int_equal(t_buf(e, b + 1, pipe), 0);
			assert_int_equal(t_volume_ramp(e, b + 2, pipe, ramp[g], ramp_ms[g],
						       g == 3 ? 0x10000 : 0x9000), 0);
			assert_int_equal(t_buf(e, b + 3, pipe), 0);
			assert_int_equal(t_pipe(e, b + 4, pipe, 102), 0);
			assert_int_equal(t_chain(e, ids, 4), 0);
		}
		for (g = 0; g < RIG_GUESTS; g++) {
			uint32_t b = 200 + 10 * connect_order[swap][g];

			assert_int_equal(dsp_connect(e, b + 3, 100), 0);
		}
		for (g = 0; g < RIG_GUESTS; g++) {
			uint32_t b = 200 + 10 * g;

			struct dsp_pcm_params pcm = {
				.direction = DSP_DIR_PLAYBACK, .fmt = r->pcm[g], .rate = 48000,
				.channels = 2,
				/* a POSITION event every two periods or so */
				.period_bytes = 93 * (uint32_t)dsp_fmt_frame_bytes(r->pcm[g], 2),
			};

			assert_int_equal(dsp_pipeline_complete(e, b + 4), 0);
			assert_int_equal(dsp_pcm_params(e, b, &pcm), 0);
		}
	}
}

/* Guest @g writes @n frames (what fits) on both engines. */
static void rig_write(struct rig *r, uint32_t g, uint32_t n)
{
	size_t fb = dsp_fmt_frame_bytes(r->pcm[g], 2);
	uint32_t frames_in_src = RIG_SRC * 4 / (uint32_t)fb, at = r->pos[g] % frames_in_src;
	const uint8_t *p = (const uint8_t *)r->src[g] + (size_t)at * fb;
	int w;

	n = VADSP_MIN(n, frames_in_src - at);
	w = RIG_BOTH(r, dsp_host_write(e_, 200 + 10 * g, p, n));
	assert_true(w >= 0);
	r->pos[g] += (uint32_t)w;
}

/* Both engines queued the same events (positions, xruns) in the same order. */
static void rig_compare_events(struct rig *r)
{
	struct dsp_event a, b;
	int ra, rb;

	do {
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		ra = dsp_engine_next_event(r->e[0], &a);
		rb = dsp_engine_next_event(r->e[1], &b);
		assert_int_equal(ra, rb);
		assert_memory_equal(&a, &b, sizeof(a));
		r->events += ra > 0;
	} while (ra > 0);
}

/* A script of writes, controls and triggers, the same on both engines. */
static void rig_run(struct rig *r)
{
	static const uint32_t sizes[] = { 48, 48, 48, 48, 0, 20, 96, 47, 49 };
	uint32_t seed = 3, t, g;

	for (t = 0; t < RIG_TICKS; t++) {
		uint32_t rnd = t_rand(&seed);

		for (g = 0; g < RIG_GUESTS; g++) {
			/* guests 0 and 1 keep in step */
			uint32_t b = 200 + 10 * g, ph = g == 1 ? 0 : g;

			/* guests start at different ticks, and some stop and start again */
			if (!r->playing[g] && t >= 3 * ph && t % 37 != 36) {
				rig_write(r, g, PERIOD);
				RIG_BOTH(r, dsp_trigger(e_, b, DSP_TRIGGER_START));
				r->playing[g] = true;
			} else if (r->playing[g] && !r->paused[g] && (t + 11 * ph) % 97 == 96) {
				RIG_BOTH(r, dsp_trigger(e_, b, DSP_TRIGGER_STOP));
				r->playing[g] = false;
				continue;
			}
			if (!r->playing[g])
				continue;
			if (g == 3 && t % 29 == 3) {
				/* after an xrun stopped it (STOP action) */
				RIG_BOTH(r, dsp_trigger(e_, b, DSP_TRIGGER_STOP));
				RIG_BOTH(r, dsp_trigger(e_, b, DSP_TRIGGER_START));
			}
			if ((t + ph) % 41 == 13 && !r->paused[g]) {
				RIG_BOTH(r, dsp_trigger(e_, b, DSP_TRIGGER_PAUSE));
				r->paused[g] = true;
			} else if ((t + ph) % 41 == 20 && r->paused[g]) {
				RIG_BOTH(r, dsp_trigger(e_, b, DSP_TRIGGER_RELEASE));
				r->paused[g] = false;
			}
			rig_write(r, g, sizes[(rnd >> (4 * ph)) % VADSP_ARRAY_SIZE(sizes)]);
		}
		if (t % 17 == 5) {
			/* a new gain on one guest (guests 0 and 1 alike), sometimes above 0 dB */
			struct dsp_ctrl_value v[2] = {
				{ 0, rnd % 0x20000 }, { 1, (rnd >> 8) % 0x18000 },
			};

			g = rnd % RIG_GUESTS;
			RIG_BOTH(r, dsp_comp_set_values(e_, 202 + 10 * g, DSP_CTRL_VOLUME, v, 2));
			if (g < 2)
				RIG_BOTH(r, dsp_comp_set_values(e_, 212 - 10 * g, DSP_CTRL_VOLUME,
								v, 2));
		}
		if (t % 23 == 7) {
			/* guest 3 mutes or unmutes */
			struct dsp_ctrl_value v[2] = { { 0, t % 2 }, { 1, t % 2 } };

			RIG_BOTH(r, dsp_comp_set_values(e_, 232, DSP_CTRL_SWITCH, v, 2));
		}
		/* the mixer's side stalls (its pipeline stopped by an xrun), then goes on */
		if (t % 53 == 30)
			RIG_BOTH(r, dsp_trigger(e_, 103, DSP_TRIGGER_XRUN));
		if (t % 53 == 40) {
			RIG_BOTH(r, dsp_trigger(e_, 103, DSP_TRIGGER_PAUSE));
			RIG_BOTH(r, dsp_trigger(e_, 103, DSP_TRIGGER_RELEASE));
		}
		RIG_BOTH(r, dsp_engine_tick(e_));
		rig_compare_events(r);
	}
}

static void rig_compare_and_free(struct rig *r)
{
	struct dsp_stream_posn pa, pb;
	uint32_t g, k;

	assert_true(r->io[0].rec_len > RIG_TICKS / 2 * PERIOD * dsp_fmt_frame_bytes(r->fmt, 2));
	assert_true(r->events > RIG_TICKS);
	assert_int_equal(r->io[0].rec_len, r->io[1].rec_len);
	assert_memory_equal(r->io[0].rec, r->io[1].rec, r->io[0].rec_len);
	for (g = 0; g < RIG_GUESTS; g++) {
		assert_int_equal(dsp_stream_position(r->e[0], 200 + 10 * g, &pa), 0);
		assert_int_equal(dsp_stream_position(r->e[1], 200 + 10 * g, &pb), 0);
		assert_memory_equal(&pa, &pb, sizeof(pa));
	}
	for (k = 0; k < 2; k++) {
		free(r->io[k].rec);
		dsp_engine_destroy(r->e[k]);
	}
}

/*
 * Early mixing changes nothing: in every format, with guests at steady gains (added
 * straight to the sum, by the volume's copy or by the guest's whole period in one call),
 * ramping (processed, then handed over), converted at the mixer's input, muted, at 0 dB,
 * writing full, short, empty and double periods, paused, stopped, stopped by their own xrun,
 * and with the mixer's side stalling so that periods queue up, the output, every stream
 * position and every event are bit for bit those of an engine that mixes every input in the
 * mixer's own run, and the early paths were taken. For FLOAT with the mixer's input
 * order differing from the run order, nothing is mixed early (the double sums depend on the
 * order); the integer sums do not, and still are.
 */
static void early_mixing_gives_the_same_output_as_mixing_late(void **state)
{
	static struct rig r;
	struct dsp_mix_stats st[2];
	uint32_t fmt, swap;

	(void)state;
	for (fmt = 0; fmt < DSP_FMT_COUNT; fmt++) {
		for (swap = 0; swap < 2; swap++) {
			rig_build(&r, fmt, swap);
			rig_run(&r);
			dsp_engine_mix_stats(r.e[0], &st[0]);
			dsp_engine_mix_stats(r.e[1], &st[1]);
			rig_compare_and_free(&r);

			assert_int_equal(st[1].direct + st[1].early, 0);
			assert_true(st[1].late > RIG_TICKS);
			if (swap && fmt == DSP_FMT_FLOAT) {
				assert_int_equal(st[0].direct + st[0].early, 0);
				continue;
			}
			assert_true(st[0].direct > RIG_TICKS / 4);
			assert_true(st[0].fused > RIG_TICKS / 4);
			assert_true(st[0].fused < st[0].direct);	/* and by the tasks */
			assert_true(st[0].early > RIG_TICKS / 4);
			assert_true(st[0].late < st[0].direct);
		}
	}
}

/* ---------------------------------------------------------------------------------------- */

/* SOF's mux config: 8-byte header, then per stream {u32 pipeline id, u8 channels, u8 mask[8],
 * u8 reserved[3]}. */
static uint32_t mux_blob(uint8_t *blob, uint32_t n, const uint32_t *pipe, const uint8_t (*mask)[8])
{
	uint32_t s;

	memset(blob, 0, 8 + 16 * n);
	put_le16(blob + 4, (uint16_t)n);
	for (s = 0; s < n; s++) {
		put_le32(blob + 8 + 16 * s, pipe[s]);
		memcpy(blob + 8 + 16 * s + 5, mask[s], 8);
	}
	return 8 + 16 * n;
}

static void demux_splits_a_capture_dai_between_two_guests(void **state)
{
	enum { TICKS = 5, N = TICKS * PERIOD };
	static int16_t dai_in[N * 4];
	static int32_t got_a[N * 2];
	static int16_t got_b[N * 2];
	const uint32_t pipes[2] = { 2, 3 };
	const uint8_t masks[2][8] = { { 1 << 0, 1 << 1 }, { 1 << 3, 1 << 2 } };
	const uint32_t front[] = { 100, 101, 102 };
	struct dsp_engine *e = engine();
	uint8_t blob[8 + 16 * 2];
	uint32_t size = mux_blob(blob, 2, pipes, masks), seed = 5, i, t;
	struct t_io io = { 0 };

	(void)state;
	for (i = 0; i < N * 4; i++)
		dai_in[i] = (int16_t)t_rand(&seed);
	io.play = (const uint8_t *)dai_in;
	io.play_len = sizeof(dai_in);

	assert_int_equal(t_dai(e, 100, 1, DSP_DIR_CAPTURE, DSP_FMT_S32_LE, 0), 0);
	assert_int_equal(t_buf(e, 101, 1), 0);
	assert_int_equal(t_blob_comp(e, 102, DSP_COMP_DEMUX, 1, DSP_COMP_FMT_INHERIT, blob, size),
			 0);
	assert_int_equal(t_pipe(e, 103, 1, 100), 0);
	assert_int_equal(t_chain(e, front, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 103), 0);
	assert_int_equal(t_bind(e, 100, &io, DSP_FMT_S16_LE, 48000, 4), 0);
	assert_int_equal(t_guest(e, 200, 2, DSP_DIR_CAPTURE, 102, 100), 0);
	assert_int_equal(t_guest(e, 300, 3, DSP_DIR_CAPTURE, 102, 100), 0);

	/* A captures S32, B S16 (converted back from the demux's S32). */
	assert_int_equal(t_pcm(e, 200, DSP_DIR_CAPTURE, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_PREPARE);
	assert_int_equal(t_pcm(e, 300, DSP_DIR_CAPTURE, DSP_FMT_S16_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 200, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_trigger(e, 300, DSP_TRIGGER_START), 0);
	for (t = 0; t < TICKS; t++) {
		assert_int_equal(dsp_engine_tick(e), 3);
		assert_int_equal(dsp_host_avail(e, 200), (int)PERIOD);
		assert_int_equal(dsp_host_read(e, 200, got_a + t * PERIOD * 2, PERIOD),
				 (int)PERIOD);
		assert_int_equal(dsp_host_read(e, 300, got_b + t * PERIOD * 2, PERIOD),
				 (int)PERIOD);
	}
	for (i = 0; i < N; i++) {
		assert_int_equal(got_a[2 * i], dai_in[4 * i] * 65536);
		assert_int_equal(got_a[2 * i + 1], dai_in[4 * i + 1] * 65536);
		assert_int_equal(got_b[2 * i], dai_in[4 * i + 3]);
		assert_int_equal(got_b[2 * i + 1], dai_in[4 * i + 2]);
	}
	dsp_engine_destroy(e);
}

static void mux_interleaves_two_guests_into_one_dai(void **state)
{
	enum { TICKS = 6, N = TICKS * PERIOD };
	static int32_t a[N * 2];
	static int16_t b[N * 2];
	const uint32_t pipes[2] = { 2, 3 };
	/* Mux masks: input channel i of stream s goes to output channel k when bit k is set. */
	const uint8_t masks[2][8] = { { 1 << 0, 1 << 1 }, { 1 << 3, 1 << 2 } };
	const uint32_t out[] = { 100, 101, 102 };
	struct dsp_engine *e = engine();
	uint8_t blob[8 + 16 * 2];
	uint32_t size = mux_blob(blob, 2, pipes, masks), seed = 8, i, t;
	struct t_io io;
	const int32_t *got;

	(void)state;
	for (i = 0; i < N * 2; i++) {
		a[i] = (int32_t)t_rand(&seed);
		b[i] = (int16_t)t_rand(&seed);
	}
	record_into(&io, 2 * N * 16);
	assert_int_equal(t_blob_comp(e, 100, DSP_COMP_MUX, 1, DSP_FMT_S32_LE, blob, size), 0);
	assert_int_equal(t_buf(e, 101, 1), 0);
	assert_int_equal(t_dai(e, 102, 1, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, DSP_XRUN_UNDER_ZERO),
			 0);
	assert_int_equal(t_pipe(e, 103, 1, 102), 0);
	assert_int_equal(t_chain(e, out, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 103), 0);
	assert_int_equal(t_bind(e, 102, &io, DSP_FMT_S32_LE, 48000, 4), 0);
	assert_int_equal(t_guest(e, 200, 2, DSP_DIR_PLAYBACK, 100, 102), 0);
	assert_int_equal(t_guest(e, 300, 3, DSP_DIR_PLAYBACK, 100, 102), 0);

	/* A prepares the mux; B (S16) joins it prepared. */
	assert_int_equal(t_pcm(e, 200, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(t_pcm(e, 300, DSP_DIR_PLAYBACK, DSP_FMT_S16_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 200, DSP_TRIGGER_START), 0);
	/* B not started yet: its output channels are silent. */
	assert_int_equal(dsp_host_write(e, 200, a, PERIOD), (int)PERIOD);
	assert_int_equal(dsp_engine_tick(e), 2);
	got = (const int32_t *)io.rec;
	for (i = 0; i < PERIOD; i++) {
		assert_int_equal(got[4 * i], a[2 * i]);
		assert_int_equal(got[4 * i + 1], a[2 * i + 1]);
		assert_int_equal(got[4 * i + 2], 0);
		assert_int_equal(got[4 * i + 3], 0);
	}
	assert_int_equal(dsp_trigger(e, 300, DSP_TRIGGER_START), 0);
	for (t = 1; t < TICKS; t++) {
		assert_int_equal(dsp_host_write(e, 200, a + t * PERIOD * 2, PERIOD), (int)PERIOD);
		assert_int_equal(dsp_host_write(e, 300, b + t * PERIOD * 2, PERIOD), (int)PERIOD);
		assert_int_equal(dsp_engine_tick(e), 3);
	}
	assert_int_equal(io.rec_len, N * 16);
	for (i = PERIOD; i < N; i++) {
		assert_int_equal(got[4 * i], a[2 * i]);
		assert_int_equal(got[4 * i + 1], a[2 * i + 1]);
		assert_int_equal(got[4 * i + 2], b[2 * i + 1] * 65536);
		assert_int_equal(got[4 * i + 3], b[2 * i] * 65536);
	}
	free(io.rec);
	dsp_engine_destroy(e);
}

/* ---------------------------------------------------------------------------------------- */

/* Power of @x at @freq (Goertzel), normalised by the length. */
static double tone_power(const int32_t *x, uint32_t n, double freq, double rate)
{
	double w = 2 * M_PI * freq / rate, c = 2 * cos(w), s1 = 0, s2 = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		double s0 = x[i] / 2147483648.0 + c * s1 - s2;

		s2 = s1;
		s1 = s0;
	}
	return (s1 * s1 + s2 * s2 - c * s1 * s2) * 2 / ((double)n * n);
}

static void src_converts_48k_to_16k_as_the_kernel_does(void **state)
{
	enum { TICKS = 300, OUT = TICKS * 16 };
	static int32_t in[TICKS * PERIOD], ref[OUT + 256];
	const uint32_t ids[] = { 10, 11, 12, 13, 14 };
	struct dsp_comp_desc src = {
		.id = 12, .type = DSP_COMP_SRC, .pipeline_id = 1, .fmt = DSP_COMP_FMT_INHERIT,
		.src = { .source_rate = 48000, .sink_rate = 16000 },
	};
	struct dsp_src_params p = {
		.engine = DSP_SRC_ENGINE_DEFAULT, .quality = DSP_SRC_QUALITY_DEFAULT,
		.fmt = DSP_FMT_S32_LE, .channels = 1, .in_rate = 48000, .out_rate = 16000,
		.max_in_frames = 2 * PERIOD + 2,
	};
	struct dsp_engine *e = engine();
	struct dsp_src kernel = { 0 };
	struct dsp_stream_posn posn;
	uint32_t i, t, nref = 0;
	struct t_io io;
	const int32_t *out;
	double total = 0, at1k;

	(void)state;
	for (i = 0; i < VADSP_ARRAY_SIZE(in); i++)
		in[i] = (int32_t)lrint(0.5 * 2147483647.0 * sin(2 * M_PI * 1000.0 * i / 48000));
	record_into(&io, sizeof(ref));
	assert_int_equal(t_host(e, 10, 1, DSP_DIR_PLAYBACK, 0), 0);
	assert_int_equal(t_buf(e, 11, 1), 0);
	assert_int_equal(dsp_comp_new(e, &src), 0);
	assert_int_equal(t_buf(e, 13, 1), 0);
	assert_int_equal(t_dai(e, 14, 1, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, DSP_XRUN_UNDER_ZERO), 0);
	assert_int_equal(t_pipe(e, 15, 1, 14), 0);
	assert_int_equal(t_chain(e, ids, 5), 0);
	assert_int_equal(dsp_pipeline_complete(e, 15), 0);
	assert_int_equal(t_bind(e, 14, &io, DSP_FMT_S32_LE, 16000, 1), 0);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 1), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	for (t = 0; t < TICKS; t++) {
		assert_int_equal(dsp_host_write(e, 10, in + t * PERIOD, PERIOD), (int)PERIOD);
		dsp_engine_tick(e);
	}
	/* 16 frames out per 1 ms tick, every tick, no xrun. */
	assert_int_equal(io.rec_len, OUT * 4);
	assert_int_equal(dsp_stream_position(e, 10, &posn), 0);
	assert_int_equal(posn.xruns, 0);
	assert_int_equal(posn.dai_frames, OUT);

	/* The same converter fed the same 1 ms chunks gives the same samples. */
	assert_int_equal(dsp_src_prepare(&kernel, &p), 0);
	for (t = 0; t < TICKS; t++) {
		int r = dsp_src_process(&kernel, in + t * PERIOD, PERIOD, ref + nref,
					dsp_src_max_out(&kernel, PERIOD));

		assert_true(r >= 0);
		nref += (uint32_t)r;
	}
	dsp_src_free(&kernel);
	assert_true(nref >= OUT);
	out = (const int32_t *)io.rec;
	for (i = 0; i < OUT; i++)
		assert_int_equal(out[i], ref[i]);

	/* And it is a clean 1 kHz tone at 16 kHz after the filter settles (last 200 ms). */
	for (i = OUT - 3200; i < OUT; i++)
		total += (out[i] / 2147483648.0) * (out[i] / 2147483648.0);
	total /= 3200;
	at1k = tone_power(out + OUT - 3200, 3200, 1000, 16000);
	assert_true(fabs(10 * log10(total / 0.125)) < 0.1);	/* 0.5 amplitude: 0.125 power */
	assert_true(at1k / total > 0.9999);
	free(io.rec);
	dsp_engine_destroy(e);
}

/* ---------------------------------------------------------------------------------------- */

static void tone_pipeline_matches_the_generator(void **state)
{
	enum { TICKS = 10, N = TICKS * PERIOD * 2 };
	static int32_t ref[N];
	struct dsp_comp_desc tone = {
		.id = 100, .type = DSP_COMP_TONE, .pipeline_id = 1, .fmt = DSP_FMT_S32_LE,
		.tone = { .frequency = 440u << 16, .amplitude = 0x40000000 },
	};
	const uint32_t ids[] = { 100, 101, 102 };
	struct dsp_engine *e = engine();
	struct dsp_tone gen;
	struct t_io io;
	uint32_t t, c;

	(void)state;
	record_into(&io, sizeof(ref));
	assert_int_equal(dsp_comp_new(e, &tone), 0);
	assert_int_equal(t_buf(e, 101, 1), 0);
	assert_int_equal(t_dai(e, 102, 1, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 0), 0);
	assert_int_equal(t_pipe(e, 103, 1, 102), 0);
	assert_int_equal(t_chain(e, ids, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 103), 0);
	assert_int_equal(t_bind(e, 102, &io, DSP_FMT_S32_LE, 48000, 2), 0);
	/* A pipeline without a host gets its stream and triggers by its own id. */
	assert_int_equal(dsp_pipeline_params(e, 103, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 103, DSP_TRIGGER_START), 0);
	for (t = 0; t < TICKS; t++)
		assert_int_equal(dsp_engine_tick(e), 1);

	dsp_tone_init(&gen);
	for (c = 0; c < 2; c++)
		assert_int_equal(dsp_tone_set(&gen, c, 440u << 16, 0x40000000), 0);
	assert_int_equal(dsp_tone_prepare(&gen, DSP_FMT_S32_LE, 2, 48000), 0);
	dsp_tone_process(&gen, ref, TICKS * PERIOD);
	assert_int_equal(io.rec_len, sizeof(ref));
	assert_memory_equal(io.rec, ref, sizeof(ref));

	assert_int_equal(dsp_trigger(e, 103, DSP_TRIGGER_STOP), 0);
	assert_int_equal(dsp_pcm_free(e, 103), 0);
	assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_READY);
	free(io.rec);
	dsp_engine_destroy(e);
}

/* ---------------------------------------------------------------------------------------- */

/* An EQ IIR blob: 2 channels on response 0, one biquad {a2, a1, b2, b1, b0, shift, gain}. */
static uint32_t eq_blob(uint8_t *b, const int32_t *bq)
{
	uint32_t off = 0, i;

	memset(b, 0, 96);
	put_le32(b + 4, 2);		/* channels_in_config */
	put_le32(b + 8, 1);		/* number_of_responses */
	off = 28;
	put_le32(b + off, 0);		/* assign_response[0] */
	put_le32(b + off + 4, 0);	/* assign_response[1] */
	off += 8;
	put_le32(b + off, 1);		/* num_sections */
	put_le32(b + off + 4, 1);	/* num_sections_in_series */
	off += 24;
	for (i = 0; i < 7; i++)
		put_le32(b + off + 4 * i, (uint32_t)bq[i]);
	off += 28;
	put_le32(b, off);
	return off;
}

static void eq_iir_pipeline_matches_the_kernel_and_takes_a_new_blob(void **state)
{
	enum { TICKS = 12, HALF = 6, N = TICKS * PERIOD * 2 };
	static int32_t in[N], ref[N];
	/* A one-pole low-pass (y = 0.25 x + 0.75 y') and a two-tap average. */
	const int32_t lp[7] = { 0, 0x30000000, 0, 0, 0x10000000, 0, 0x4000 };
	const int32_t avg[7] = { 0, 0, 0, 0x20000000, 0x20000000, 1, 0x7fff };
	const uint32_t ids[] = { 10, 11, 12, 13, 14 };
	struct dsp_engine *e = engine();
	struct dsp_eq_iir_config cfg;
	struct dsp_eq_iir *eq = calloc(1, sizeof(*eq));
	uint8_t blob[96], back[128];
	uint32_t size = eq_blob(blob, lp), seed = 3, i, t;
	struct t_io io;

	(void)state;
	assert_non_null(eq);
	for (i = 0; i < N; i++)
		in[i] = (int32_t)t_rand(&seed) / 2;
	record_into(&io, sizeof(ref));
	assert_int_equal(t_host(e, 10, 1, DSP_DIR_PLAYBACK, 0), 0);
	assert_int_equal(t_buf(e, 11, 1), 0);
	assert_int_equal(t_blob_comp(e, 12, DSP_COMP_EQ_IIR, 1, DSP_COMP_FMT_INHERIT, blob, size),
			 0);
	assert_int_equal(t_buf(e, 13, 1), 0);
	assert_int_equal(t_dai(e, 14, 1, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 0), 0);
	assert_int_equal(t_pipe(e, 15, 1, 14), 0);
	assert_int_equal(t_chain(e, ids, 5), 0);
	assert_int_equal(dsp_pipeline_complete(e, 15), 0);
	assert_int_equal(t_bind(e, 14, &io, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_comp_get_data(e, 12, back, sizeof(back)), (int)size);
	assert_memory_equal(back, blob, size);
	assert_int_equal(dsp_comp_get_data(e, 12, back, size - 1), -ENOSPC);

	for (t = 0; t < TICKS; t++) {
		if (t == HALF) {
			uint8_t blob2[96];
			uint32_t size2 = eq_blob(blob2, avg);

			assert_int_equal(dsp_comp_set_data(e, 12, blob2, size2), 0);
			assert_int_equal(dsp_comp_get_data(e, 12, back, sizeof(back)), (int)size2);
			assert_memory_equal(back, blob2, size2);
		}
		assert_int_equal(dsp_host_write(e, 10, in + t * PERIOD * 2, PERIOD), (int)PERIOD);
		dsp_engine_tick(e);
	}
	/* A malformed blob is refused and changes nothing. */
	put_le32(blob, size + 4);
	assert_int_equal(dsp_comp_set_data(e, 12, blob, size), -EINVAL);

	/* Reference: the kernel on the first half with the low-pass, then a freshly prepared
	 * one with the average (a new blob clears the delay lines). */
	size = eq_blob(blob, lp);
	assert_int_equal(dsp_eq_iir_parse(&cfg, blob, size), 0);
	assert_int_equal(dsp_eq_iir_prepare(eq, &cfg, DSP_FMT_S32_LE, 2), 0);
	dsp_eq_iir_process(eq, ref, in, HALF * PERIOD);
	size = eq_blob(blob, avg);
	assert_int_equal(dsp_eq_iir_parse(&cfg, blob, size), 0);
	assert_int_equal(dsp_eq_iir_prepare(eq, &cfg, DSP_FMT_S32_LE, 2), 0);
	dsp_eq_iir_process(eq, ref + HALF * PERIOD * 2, in + HALF * PERIOD * 2,
			   (TICKS - HALF) * PERIOD);
	assert_int_equal(io.rec_len, sizeof(ref));
	assert_memory_equal(io.rec, ref, sizeof(ref));
	free(eq);
	free(io.rec);
	dsp_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(volume_gain_through_a_pipeline_equals_the_reference),
		cmocka_unit_test(a_partial_period_is_played_padded_before_the_xrun_stops),
		cmocka_unit_test(formats_are_converted_where_components_meet),
		cmocka_unit_test(mixer_sums_two_guests_exactly_with_saturation),
		cmocka_unit_test(a_stalled_mixer_holds_guest_data_back_without_loss),
		cmocka_unit_test(volumes_add_their_period_straight_into_the_mixers_sum),
		cmocka_unit_test(early_mixing_gives_the_same_output_as_mixing_late),
		cmocka_unit_test(demux_splits_a_capture_dai_between_two_guests),
		cmocka_unit_test(mux_interleaves_two_guests_into_one_dai),
		cmocka_unit_test(src_converts_48k_to_16k_as_the_kernel_does),
		cmocka_unit_test(tone_pipeline_matches_the_generator),
		cmocka_unit_test(eq_iir_pipeline_matches_the_kernel_and_takes_a_new_blob),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
