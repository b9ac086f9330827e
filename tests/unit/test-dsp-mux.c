// SPDX-License-Identifier: MIT
/*
 * Mux/demux routing against a reference lookup done here, per format: every output channel
 * equals its routed input channel or is silent; SOF mux/demux configuration blobs turn into
 * the documented maps (mux: mask per input channel -> output channel; demux: mask per output
 * channel -> input channel) and malformed ones are rejected. A demux takes up to
 * DSP_DEMUX_MAX_STREAMS outputs (a mux still four inputs, as SOF): in the engine, one DAI
 * feeds a hundred capture pipelines, each bit-exact, while running takes new routes, loses
 * an output and gains another.
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
#include "dsp/kernels/mux.h"
#include "test-dsp-engine-util.h"
#include "util/le.h"

#define FRAMES	37
#define PERIOD	48u	/* frames per 1 ms tick at 48 kHz */

/* Sample value that names stream s, channel c, frame f. */
static int32_t tag(uint32_t s, uint32_t c, uint32_t f)
{
	return (int32_t)(0x1000000u * (s + 1) + 0x10000u * c + f) * (f & 1 ? -1 : 1);
}

static void routes_copy_the_named_channels_in_every_format(void **state)
{
	static int32_t in32[3][FRAMES * 4], out32[FRAMES * 6];
	static int16_t in16[3][FRAMES * 4], out16[FRAMES * 6];
	const uint32_t src_ch[3] = { 2, 4, 1 };
	struct dsp_route_src srcs[3];
	struct dsp_route_map map = {
		.channels = 6,
		.route = {
			{ 1, 3 }, { 0, 0 }, { DSP_ROUTE_NONE, 0 }, { 2, 0 }, { 1, 0 }, { 0, 1 },
		},
	};
	uint32_t fmt, s, c, f;

	for (s = 0; s < 3; s++)
		for (f = 0; f < FRAMES; f++)
			for (c = 0; c < src_ch[s]; c++) {
				in32[s][f * src_ch[s] + c] = tag(s, c, f);
				in16[s][f * src_ch[s] + c] = (int16_t)(tag(s, c, f) >> 12);
			}
	assert_int_equal(dsp_route_check(&map, 3, src_ch), 0);
	for (fmt = 0; fmt < DSP_FMT_COUNT; fmt++) {
		bool wide = fmt != DSP_FMT_S16_LE;

		for (s = 0; s < 3; s++) {
			srcs[s].data = wide ? (const void *)in32[s] : (const void *)in16[s];
			srcs[s].channels = src_ch[s];
		}
		memset(out32, 0x77, sizeof(out32));
		memset(out16, 0x77, sizeof(out16));
		dsp_route_func(fmt)(wide ? (void *)out32 : (void *)out16, &map, srcs, FRAMES);
		for (f = 0; f < FRAMES; f++) {
			for (c = 0; c < 6; c++) {
				const struct dsp_route *r = &map.route[c];
				int64_t want = 0, got;

				if (r->stream != DSP_ROUTE_NONE) {
					want = tag(r->stream, r->channel, f);
					if (!wide)
						want >>= 12;
					else if (fmt == DSP_FMT_S24_4LE)
						want = ((want & 0xffffff) ^ 0x800000) - 0x800000;
				}
				got = wide ? out32[f * 6 + c] : out16[f * 6 + c];
				assert_int_equal(got, want);
			}
		}
	}
	assert_null(dsp_route_func(4));
}

static void route_maps_are_checked_against_the_inputs(void **state)
{
	const uint32_t src_ch[2] = { 2, 1 };
	struct dsp_route_map map = { .channels = 2, .route = { { 0, 1 }, { 1, 0 } } };

	assert_int_equal(dsp_route_check(&map, 2, src_ch), 0);
	map.route[1].channel = 1;	/* stream 1 has one channel */
	assert_int_equal(dsp_route_check(&map, 2, src_ch), -EINVAL);
	map.route[1] = (struct dsp_route){ 2, 0 };	/* no stream 2 */
	assert_int_equal(dsp_route_check(&map, 2, src_ch), -EINVAL);
	map.route[1] = (struct dsp_route){ DSP_ROUTE_NONE, 200 };
	assert_int_equal(dsp_route_check(&map, 2, src_ch), 0);
	map.channels = 0;
	assert_int_equal(dsp_route_check(&map, 2, src_ch), -EINVAL);
	map.channels = 9;
	assert_int_equal(dsp_route_check(&map, 2, src_ch), -EINVAL);
}

/* Build a SOF mux config blob: @n streams with pipeline ids and 8 masks each. */
static size_t build_blob(uint8_t *b, uint32_t n, const uint32_t *pipe, const uint8_t (*mask)[8])
{
	uint32_t s;

	memset(b, 0, 8 + 16 * n);
	put_le16(b + 0, 1);	/* deprecated frame format */
	put_le16(b + 2, 2);	/* deprecated channels */
	put_le16(b + 4, (uint16_t)n);
	for (s = 0; s < n; s++) {
		put_le32(b + 8 + 16 * s, pipe[s]);
		b[8 + 16 * s + 4] = 2;
		memcpy(b + 8 + 16 * s + 5, mask[s], 8);
	}
	return 8 + 16 * n;
}

static void sof_mux_config_becomes_one_output_map(void **state)
{
	uint8_t blob[8 + 16 * 4];
	const uint32_t pipe[2] = { 10, 11 };
	/* stream 0: in 0 -> out 0, in 1 -> out 2; stream 1: in 0 -> out 1, in 1 -> out 3 */
	const uint8_t mask[2][8] = { { 0x01, 0x04 }, { 0x02, 0x08 } };
	struct dsp_mux_config cfg;
	size_t n = build_blob(blob, 2, pipe, mask);

	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, false), 0);
	assert_int_equal(cfg.streams, 2);
	assert_int_equal(cfg.pipeline_id[0], 10);
	assert_int_equal(cfg.pipeline_id[1], 11);
	assert_int_equal(cfg.map[0].channels, 4);
	assert_int_equal(cfg.map[0].route[0].stream, 0);
	assert_int_equal(cfg.map[0].route[0].channel, 0);
	assert_int_equal(cfg.map[0].route[1].stream, 1);
	assert_int_equal(cfg.map[0].route[1].channel, 0);
	assert_int_equal(cfg.map[0].route[2].stream, 0);
	assert_int_equal(cfg.map[0].route[2].channel, 1);
	assert_int_equal(cfg.map[0].route[3].stream, 1);
	assert_int_equal(cfg.map[0].route[3].channel, 1);
	assert_int_equal(cfg.map[0].route[4].stream, DSP_ROUTE_NONE);
}

static void sof_demux_config_becomes_one_map_per_output(void **state)
{
	uint8_t blob[8 + 16 * 4];
	const uint32_t pipe[2] = { 3, 4 };
	/* out stream 0: ch 0 <- in 1, ch 1 <- in 0; out stream 1: ch 0 <- in 3 */
	const uint8_t mask[2][8] = { { 0x02, 0x01 }, { 0x08 } };
	struct dsp_mux_config cfg;
	size_t n = build_blob(blob, 2, pipe, mask);
	int32_t in[FRAMES * 4], out[FRAMES * 2];
	struct dsp_route_src src = { in, 4 };
	uint32_t f, c;

	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, true), 0);
	assert_int_equal(cfg.map[0].channels, 2);
	assert_int_equal(cfg.map[1].channels, 1);
	assert_int_equal(cfg.map[1].route[0].stream, 0);
	assert_int_equal(cfg.map[1].route[0].channel, 3);

	/* and the demux moves the right samples */
	for (f = 0; f < FRAMES; f++)
		for (c = 0; c < 4; c++)
			in[f * 4 + c] = tag(0, c, f);
	dsp_route_func(DSP_FMT_S32_LE)(out, &cfg.map[0], &src, FRAMES);
	for (f = 0; f < FRAMES; f++) {
		assert_int_equal(out[f * 2 + 0], tag(0, 1, f));
		assert_int_equal(out[f * 2 + 1], tag(0, 0, f));
	}
	dsp_route_func(DSP_FMT_S32_LE)(out, &cfg.map[1], &src, FRAMES);
	for (f = 0; f < FRAMES; f++)
		assert_int_equal(out[f], tag(0, 3, f));
}

static void malformed_mux_configs_are_rejected(void **state)
{
	uint8_t blob[8 + 16 * 5];
	const uint32_t pipe[5] = { 1, 2, 3, 4, 5 }, same[2] = { 7, 7 };
	const uint8_t ok[5][8] = { { 1 }, { 2 }, { 4 }, { 8 }, { 16 } };
	const uint8_t two_bits[1][8] = { { 0x03 } };
	const uint8_t clash[2][8] = { { 0x01 }, { 0x01 } };
	struct dsp_mux_config cfg;
	size_t n;

	n = build_blob(blob, 2, pipe, ok);
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n - 1, false), -EINVAL);
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n + 16, false), -EINVAL);
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, 4, false), -EINVAL);
	n = build_blob(blob, 5, pipe, ok);	/* five streams: more than SOF allows */
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, false), -EINVAL);
	n = build_blob(blob, 0, pipe, ok);
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, false), -EINVAL);
	n = build_blob(blob, 1, pipe, two_bits);
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, true), -EINVAL);
	n = build_blob(blob, 2, same, ok);
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, false), -EINVAL);
	n = build_blob(blob, 2, pipe, clash);	/* mux: two inputs into output 0 */
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, false), -EINVAL);
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, true), 0);	/* demux: fine */
}

/* Demux output stream s of @n: channel 0 takes input channel s % 4, channel 1 another one. */
static void wide_demux_masks(uint8_t (*mask)[8], uint32_t *pipe, uint32_t n, uint32_t shift)
{
	uint32_t s;

	for (s = 0; s < n; s++) {
		memset(mask[s], 0, 8);
		mask[s][0] = (uint8_t)(1u << ((s + shift) % 4));
		mask[s][1] = (uint8_t)(1u << ((s / 4 + shift + 1) % 4));
		pipe[s] = 100 + s;
	}
}

static uint32_t want_channel(uint32_t s, uint32_t c, uint32_t shift)
{
	return c ? (s / 4 + shift + 1) % 4 : (s + shift) % 4;
}

static void demux_config_of_a_hundred_outputs_routes_each_exactly(void **state)
{
	enum { N = 100 };
	static uint8_t blob[8 + 16 * N], mask[N][8];
	static struct dsp_mux_config cfg;
	static int32_t in[FRAMES * 4], out[FRAMES * 2];
	uint32_t pipe[N], s, f, c;
	struct dsp_route_src src = { in, 4 };
	size_t n;

	(void)state;
	wide_demux_masks(mask, pipe, N, 0);
	n = build_blob(blob, N, pipe, (const uint8_t (*)[8])mask);
	assert_int_equal(n, 8 + 16 * N);
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, true), 0);
	assert_int_equal(cfg.streams, N);
	for (f = 0; f < FRAMES; f++)
		for (c = 0; c < 4; c++)
			in[f * 4 + c] = tag(0, c, f);
	for (s = 0; s < N; s++) {
		assert_int_equal(cfg.pipeline_id[s], 100 + s);
		assert_int_equal(cfg.map[s].channels, 2);
		memset(out, 0x55, sizeof(out));
		dsp_route_func(DSP_FMT_S32_LE)(out, &cfg.map[s], &src, FRAMES);
		for (f = 0; f < FRAMES; f++)
			for (c = 0; c < 2; c++)
				assert_int_equal(out[f * 2 + c], tag(0, want_channel(s, c, 0), f));
	}
	/* a mux of the same blob: far more inputs than SOF's four */
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, false), -EINVAL);
}

static void stream_limits_are_four_for_a_mux_and_wider_for_a_demux(void **state)
{
	enum { N = DSP_DEMUX_MAX_STREAMS + 1 };
	static uint8_t blob[8 + 16 * N], mask[N][8];
	static struct dsp_mux_config cfg;
	uint32_t pipe[N];
	size_t n;

	(void)state;
	assert_true(8 + 16 * DSP_DEMUX_MAX_STREAMS <= DSP_CTRL_DATA_MAX);
	wide_demux_masks(mask, pipe, N, 0);
	n = build_blob(blob, DSP_DEMUX_MAX_STREAMS, pipe, (const uint8_t (*)[8])mask);
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, true), 0);
	assert_int_equal(cfg.streams, DSP_DEMUX_MAX_STREAMS);
	assert_int_equal(cfg.pipeline_id[DSP_DEMUX_MAX_STREAMS - 1],
			 100 + DSP_DEMUX_MAX_STREAMS - 1);
	n = build_blob(blob, N, pipe, (const uint8_t (*)[8])mask);	/* one past the limit */
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, true), -EINVAL);
	/* the last of 128 streams repeats the first's pipeline */
	pipe[DSP_DEMUX_MAX_STREAMS - 1] = pipe[0];
	n = build_blob(blob, DSP_DEMUX_MAX_STREAMS, pipe, (const uint8_t (*)[8])mask);
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, true), -EINVAL);
	/* 128 streams, the size saying 127 */
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n - 16, true), -EINVAL);

	/* a mux: four inputs, not five (SOF's IPC3 limit), whatever the demux takes */
	for (uint32_t s = 0; s < 5; s++) {
		memset(mask[s], 0, 8);
		mask[s][0] = (uint8_t)(1u << s);
		pipe[s] = 10 + s;
	}
	n = build_blob(blob, 4, pipe, (const uint8_t (*)[8])mask);
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, false), 0);
	assert_int_equal(cfg.map[0].channels, 4);
	n = build_blob(blob, 5, pipe, (const uint8_t (*)[8])mask);
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, false), -EINVAL);
	assert_int_equal(dsp_mux_config_parse(&cfg, blob, n, true), 0);
}

/* ---------------------------------------------------------------------------------------- */

enum { G = 100, TICKS1 = 4, TICKS2 = 3, TICKS3 = 2, TICKS4 = 3 };
#define G_HOST(g)	(1000 + 10 * (g))
#define G_BUF(g)	(1001 + 10 * (g))
#define G_PIPE(g)	(1002 + 10 * (g))

/*
 * Read a tick of capture host @host, routed as demux stream @s of wide_demux_masks(@shift),
 * and check it against the DAI's frames [@frame0, + PERIOD).
 */
static void check_guest(struct dsp_engine *e, uint32_t host, const int16_t *dai_in,
			uint32_t frame0, uint32_t s, uint32_t shift)
{
	int32_t got[PERIOD * 2];
	uint32_t f, c;

	assert_int_equal(dsp_host_avail(e, host), (int)PERIOD);
	assert_int_equal(dsp_host_read(e, host, got, PERIOD), (int)PERIOD);
	for (f = 0; f < PERIOD; f++)
		for (c = 0; c < 2; c++) {
			int32_t want = dai_in[(frame0 + f) * 4 + want_channel(s, c, shift)];

			assert_int_equal(got[f * 2 + c], want * 65536);
		}
}

/* Guests [@from, G). */
static void check_guests(struct dsp_engine *e, const int16_t *dai_in, uint32_t frame0,
			 uint32_t shift, uint32_t from)
{
	for (uint32_t g = from; g < G; g++)
		check_guest(e, G_HOST(g), dai_in, frame0, g, shift);
}

static void engine_demux_feeds_a_hundred_captures_as_routes_and_outputs_change(void **state)
{
	enum { N = (TICKS1 + TICKS2 + TICKS3 + TICKS4) * PERIOD };
	const uint32_t joined[] = { 12, 5001, 5000 };
	static int16_t dai_in[N * 4];
	static uint8_t blob[8 + 16 * (DSP_DEMUX_MAX_STREAMS + 1)], mask[G][8];
	const uint32_t front[] = { 10, 11, 12 };
	struct dsp_engine *e = NULL;
	struct t_io io = { 0 };
	uint32_t pipe[G], size, seed = 7, i, g, t;

	(void)state;
	for (i = 0; i < N * 4; i++)
		dai_in[i] = (int16_t)t_rand(&seed);
	io.play = (const uint8_t *)dai_in;
	io.play_len = sizeof(dai_in);
	wide_demux_masks(mask, pipe, G, 0);
	size = (uint32_t)build_blob(blob, G, pipe, (const uint8_t (*)[8])mask);

	assert_int_equal(dsp_engine_create(&e, NULL), 0);
	assert_int_equal(t_dai(e, 10, 1, DSP_DIR_CAPTURE, DSP_FMT_S32_LE, 0), 0);
	assert_int_equal(t_buf(e, 11, 1), 0);
	assert_int_equal(t_blob_comp(e, 12, DSP_COMP_DEMUX, 1, DSP_COMP_FMT_INHERIT, blob, size),
			 0);
	assert_int_equal(t_pipe(e, 13, 1, 10), 0);
	assert_int_equal(t_chain(e, front, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 13), 0);
	assert_int_equal(t_bind(e, 10, &io, DSP_FMT_S16_LE, 48000, 4), 0);
	for (g = 0; g < G; g++) {
		const uint32_t chain[] = { 12, G_BUF(g), G_HOST(g) };

		assert_int_equal(t_host(e, G_HOST(g), pipe[g], DSP_DIR_CAPTURE, 0), 0);
		assert_int_equal(t_buf(e, G_BUF(g), pipe[g]), 0);
		assert_int_equal(t_pipe(e, G_PIPE(g), pipe[g], 10), 0);
		assert_int_equal(t_chain(e, chain, 3), 0);
		assert_int_equal(dsp_pipeline_complete(e, G_PIPE(g)), 0);
		assert_int_equal(t_pcm(e, G_HOST(g), DSP_DIR_CAPTURE, DSP_FMT_S32_LE, 48000, 2), 0);
	}
	for (g = 0; g < G; g++)
		assert_int_equal(dsp_trigger(e, G_HOST(g), DSP_TRIGGER_START), 0);
	for (t = 0; t < TICKS1; t++) {
		assert_true(dsp_engine_tick(e) > 0);
		check_guests(e, dai_in, t * PERIOD, 0, 0);
	}

	/* Refused while running: a short blob, one past the limit, one without a running
	 * output's pipeline. */
	wide_demux_masks(mask, pipe, G, 1);
	size = (uint32_t)build_blob(blob, G, pipe, (const uint8_t (*)[8])mask);
	assert_int_equal(dsp_comp_set_data(e, 12, blob, size - 16), -EINVAL);
	put_le16(blob + 4, DSP_DEMUX_MAX_STREAMS + 1);
	assert_int_equal(dsp_comp_set_data(e, 12, blob, 8 + 16 * (DSP_DEMUX_MAX_STREAMS + 1)),
			 -EINVAL);
	size = (uint32_t)build_blob(blob, G - 1, pipe, (const uint8_t (*)[8])mask);
	assert_int_equal(dsp_comp_set_data(e, 12, blob, size), -EINVAL);
	size = (uint32_t)build_blob(blob, G, pipe, (const uint8_t (*)[8])mask);
	assert_int_equal(dsp_comp_set_data(e, 12, blob, size), 0);	/* new routes, shift 1 */
	for (t = TICKS1; t < TICKS1 + TICKS2; t++) {
		assert_true(dsp_engine_tick(e) > 0);
		check_guests(e, dai_in, t * PERIOD, 1, 0);
	}

	/*
	 * Guest 0 leaves (the demux's outputs shift in its list), then another pipeline (300)
	 * joins under new routes, its stream the first: everyone keeps their own routing.
	 */
	assert_int_equal(dsp_trigger(e, G_HOST(0), DSP_TRIGGER_STOP), 0);
	assert_int_equal(dsp_pcm_free(e, G_HOST(0)), 0);
	assert_int_equal(dsp_pipeline_free(e, G_PIPE(0)), 0);
	assert_int_equal(dsp_comp_free(e, G_HOST(0)), 0);
	assert_int_equal(dsp_buffer_free(e, G_BUF(0)), 0);
	for (t = TICKS1 + TICKS2; t < TICKS1 + TICKS2 + TICKS3; t++) {
		assert_true(dsp_engine_tick(e) > 0);
		check_guests(e, dai_in, t * PERIOD, 1, 1);
	}
	assert_int_equal(t_host(e, 5000, 300, DSP_DIR_CAPTURE, 0), 0);
	assert_int_equal(t_buf(e, 5001, 300), 0);
	assert_int_equal(t_pipe(e, 5002, 300, 10), 0);
	assert_int_equal(t_chain(e, joined, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 5002), 0);
	wide_demux_masks(mask, pipe, G, 1);
	pipe[0] = 300;
	mask[0][0] = 1u << 2;
	mask[0][1] = 1u << 3;	/* stream 0 of shift 2 */
	size = (uint32_t)build_blob(blob, G, pipe, (const uint8_t (*)[8])mask);
	assert_int_equal(dsp_comp_set_data(e, 12, blob, size), 0);
	assert_int_equal(t_pcm(e, 5000, DSP_DIR_CAPTURE, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 5000, DSP_TRIGGER_START), 0);
	for (t = TICKS1 + TICKS2 + TICKS3; t < N / PERIOD; t++) {
		assert_true(dsp_engine_tick(e) > 0);
		check_guests(e, dai_in, t * PERIOD, 1, 1);
		check_guest(e, 5000, dai_in, t * PERIOD, 0, 2);
	}
	dsp_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(routes_copy_the_named_channels_in_every_format),
		cmocka_unit_test(route_maps_are_checked_against_the_inputs),
		cmocka_unit_test(sof_mux_config_becomes_one_output_map),
		cmocka_unit_test(sof_demux_config_becomes_one_map_per_output),
		cmocka_unit_test(malformed_mux_configs_are_rejected),
		cmocka_unit_test(demux_config_of_a_hundred_outputs_routes_each_exactly),
		cmocka_unit_test(stream_limits_are_four_for_a_mux_and_wider_for_a_demux),
		cmocka_unit_test(engine_demux_feeds_a_hundred_captures_as_routes_and_outputs_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
