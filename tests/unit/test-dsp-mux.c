// SPDX-License-Identifier: MIT
/*
 * Mux/demux routing against a reference lookup done here, per format: every output channel
 * equals its routed input channel or is silent; SOF mux/demux configuration blobs turn into
 * the documented maps (mux: mask per input channel -> output channel; demux: mask per output
 * channel -> input channel) and malformed ones are rejected.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dsp/kernels/mux.h"
#include "util/le.h"

#define FRAMES	37

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(routes_copy_the_named_channels_in_every_format),
		cmocka_unit_test(route_maps_are_checked_against_the_inputs),
		cmocka_unit_test(sof_mux_config_becomes_one_output_map),
		cmocka_unit_test(sof_demux_config_becomes_one_map_per_output),
		cmocka_unit_test(malformed_mux_configs_are_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
