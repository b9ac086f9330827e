// SPDX-License-Identifier: MIT
/*
 * DSP engine data path: small graphs built through engine.h and run free-wheeling, their
 * output compared with a plain reference computation or with the kernel run directly on the
 * same input: volume gains (bit-exact, with saturation), format conversion where components
 * and pipelines meet, a mixer fed by two guest pipelines (exact sums, saturation, guests
 * stopping), a demux splitting a capture DAI between two guests, a mux interleaving two
 * guests into one DAI, rate conversion 48k -> 16k,
 * a tone generator pipeline and an EQ IIR with a blob changed while running.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dsp/engine.h"
#include "dsp/kernels/eq-iir.h"
#include "dsp/kernels/src.h"
#include "dsp/kernels/tone.h"
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
	const uint32_t host_side[] = { 100, 101, 102 };
	uint32_t g;

	assert_int_equal(t_simple(e, 100, DSP_COMP_MIXER, 1, DSP_FMT_S32_LE), 0);
	assert_int_equal(t_buf(e, 101, 1), 0);
	assert_int_equal(t_dai(e, 102, 1, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 0), 0);
	assert_int_equal(t_pipe(e, 103, 1, 102), 0);
	assert_int_equal(t_chain(e, host_side, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 103), 0);
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
	const uint32_t host_side[] = { 100, 101, 102 };
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
	assert_int_equal(t_simple(e, 100, DSP_COMP_MIXER, 1, DSP_FMT_S32_LE), 0);
	assert_int_equal(t_buf(e, 101, 1), 0);
	assert_int_equal(t_dai(e, 102, 1, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 0), 0);
	assert_int_equal(t_pipe(e, 103, 1, 102), 0);
	assert_int_equal(t_chain(e, host_side, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 103), 0);
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
	const uint32_t to_a[] = { 102, 201, 200 }, to_b[] = { 102, 301, 300 };
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
	assert_int_equal(t_host(e, 200, 2, DSP_DIR_CAPTURE, 0), 0);
	assert_int_equal(t_buf(e, 201, 2), 0);
	assert_int_equal(t_pipe(e, 204, 2, 100), 0);
	assert_int_equal(t_chain(e, to_a, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 204), 0);
	assert_int_equal(t_host(e, 300, 3, DSP_DIR_CAPTURE, 0), 0);
	assert_int_equal(t_buf(e, 301, 3), 0);
	assert_int_equal(t_pipe(e, 304, 3, 100), 0);
	assert_int_equal(t_chain(e, to_b, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 304), 0);

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
	const uint32_t ga[] = { 200, 201, 100 }, gb[] = { 300, 301, 100 };
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
	assert_int_equal(t_host(e, 200, 2, DSP_DIR_PLAYBACK, 0), 0);
	assert_int_equal(t_buf(e, 201, 2), 0);
	assert_int_equal(t_pipe(e, 204, 2, 102), 0);
	assert_int_equal(t_chain(e, ga, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 204), 0);
	assert_int_equal(t_host(e, 300, 3, DSP_DIR_PLAYBACK, 0), 0);
	assert_int_equal(t_buf(e, 301, 3), 0);
	assert_int_equal(t_pipe(e, 304, 3, 102), 0);
	assert_int_equal(t_chain(e, gb, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 304), 0);

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
		cmocka_unit_test(formats_are_converted_where_components_meet),
		cmocka_unit_test(mixer_sums_two_guests_exactly_with_saturation),
		cmocka_unit_test(a_stalled_mixer_holds_guest_data_back_without_loss),
		cmocka_unit_test(demux_splits_a_capture_dai_between_two_guests),
		cmocka_unit_test(mux_interleaves_two_guests_into_one_dai),
		cmocka_unit_test(src_converts_48k_to_16k_as_the_kernel_does),
		cmocka_unit_test(tone_pipeline_matches_the_generator),
		cmocka_unit_test(eq_iir_pipeline_matches_the_kernel_and_takes_a_new_blob),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
