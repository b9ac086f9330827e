// SPDX-License-Identifier: MIT
/*
 * DSP sample formats: every conversion against a reference computed here in double precision
 * (floor(x / 2^n + 1/2) for narrowing, exact scaling for widening), extremes and saturation,
 * float NaN and clamping, S24 containers with garbage in the top byte, and round trips.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dsp/format.h"
#include "util/compiler.h"

/* Reference: round a real to the nearest integer, halves up, then clamp. */
/* Every test runs once per instruction-set variant this CPU supports. */
static uint32_t isa;

static dsp_convert_fn convert(uint32_t from, uint32_t to)
{
	return dsp_convert_func_isa(from, to, isa);
}

static int64_t ref_round_half_up(double v, int64_t min, int64_t max)
{
	double r = floor(v + 0.5);

	if (r > (double)max)
		return max;
	if (r < (double)min)
		return min;
	return (int64_t)r;
}

/* Reference: float to integer, halves away from zero, clamped, NaN to 0. */
static int64_t ref_float_to_int(float f, double scale, int64_t min, int64_t max)
{
	double v, r;

	if (isnan(f))
		return 0;
	v = (double)f * scale;
	r = v < 0 ? ceil(v - 0.5) : floor(v + 0.5);
	if (r > (double)max)
		return max;
	if (r < (double)min)
		return min;
	return (int64_t)r;
}

/* A deterministic spread of 32-bit values: extremes, small values and a pseudo-random walk. */
static void fill_s32(int32_t *v, size_t n)
{
	static const int32_t fixed[] = {
		0, 1, -1, 2, -2, 32767, 32768, -32768, -32769, 65535, 65536, -65536, 98304,
		-98304, 163840, INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1,
		INT32_MAX - 32767, INT32_MAX - 32768, 0x7fff8000, 0x7fff7fff, 0x7ffffe80,
		(int32_t)0x80008000, 127, 128, -128, -129, 0x7fffff80, 0x7fffff7f,
	};
	uint32_t x = 12345;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i < VADSP_ARRAY_SIZE(fixed)) {
			v[i] = fixed[i];
			continue;
		}
		x = x * 1664525u + 1013904223u;
		v[i] = (int32_t)x >> (i % 24);
	}
}

static void every_pair_has_a_kernel_and_bad_formats_have_none(void **state)
{
	uint32_t a, b;

	for (a = 0; a < DSP_FMT_COUNT; a++)
		for (b = 0; b < DSP_FMT_COUNT; b++)
			assert_non_null(dsp_convert_func(a, b));
	assert_null(dsp_convert_func(4, 0));
	assert_null(dsp_convert_func(0, 4));
	assert_null(dsp_convert_func(UINT32_MAX, DSP_FMT_S16_LE));
	assert_null(dsp_convert_func_isa(0, 0, DSP_ISA_COUNT));
	assert_true(dsp_isa_supported(DSP_ISA_C));
	assert_false(dsp_isa_supported(DSP_ISA_COUNT));
	assert_true(dsp_isa_supported(dsp_isa_best()));
	assert_string_equal(dsp_fmt_name(DSP_FMT_S24_4LE), "s24le");
	assert_string_equal(dsp_fmt_name(9), "invalid");
	assert_int_equal(dsp_fmt_sample_bytes(DSP_FMT_S16_LE), 2);
	assert_int_equal(dsp_fmt_frame_bytes(DSP_FMT_FLOAT, 6), 24);
}

static void s16_widens_exactly_to_every_format_isa(void)
{
	int16_t in[65536];
	int32_t s24[65536], s32[65536];
	float f[65536];
	int i;

	for (i = 0; i < 65536; i++)
		in[i] = (int16_t)(i - 32768);
	convert(DSP_FMT_S16_LE, DSP_FMT_S24_4LE)(s24, in, 65536);
	convert(DSP_FMT_S16_LE, DSP_FMT_S32_LE)(s32, in, 65536);
	convert(DSP_FMT_S16_LE, DSP_FMT_FLOAT)(f, in, 65536);
	for (i = 0; i < 65536; i++) {
		assert_int_equal(s24[i], (int64_t)in[i] * 256);
		assert_int_equal(s32[i], (int64_t)in[i] * 65536);
		assert_true((double)f[i] == (double)in[i] / 32768.0);
	}
}

static void narrowing_rounds_half_up_and_saturates_isa(void)
{
	enum { N = 4096 };
	int32_t *in = malloc(N * sizeof(int32_t)), *s24 = malloc(N * sizeof(int32_t));
	int32_t *back = malloc(N * sizeof(int32_t));
	int16_t *s16 = malloc(N * sizeof(int16_t));
	size_t i;

	fill_s32(in, N);
	convert(DSP_FMT_S32_LE, DSP_FMT_S16_LE)(s16, in, N);
	convert(DSP_FMT_S32_LE, DSP_FMT_S24_4LE)(s24, in, N);
	for (i = 0; i < N; i++) {
		assert_int_equal(s16[i], ref_round_half_up(in[i] / 65536.0, INT16_MIN, INT16_MAX));
		assert_int_equal(s24[i], ref_round_half_up(in[i] / 256.0, -8388608, 8388607));
	}
	/* S24 -> S16 from the S24 values just produced */
	convert(DSP_FMT_S24_4LE, DSP_FMT_S16_LE)(s16, s24, N);
	for (i = 0; i < N; i++)
		assert_int_equal(s16[i], ref_round_half_up(s24[i] / 256.0, INT16_MIN, INT16_MAX));

	/* the named extremes */
	in[0] = INT32_MAX;
	in[1] = INT32_MIN;
	in[2] = 0x7fff8000;	/* 32767.5 LSB: rounds up to 32768, saturates */
	in[3] = 0x00018000;	/* 1.5 -> 2 */
	in[4] = -0x00018000;	/* -1.5 -> -1 (halves go up) */
	convert(DSP_FMT_S32_LE, DSP_FMT_S16_LE)(s16, in, 5);
	assert_int_equal(s16[0], 32767);
	assert_int_equal(s16[1], -32768);
	assert_int_equal(s16[2], 32767);
	assert_int_equal(s16[3], 2);
	assert_int_equal(s16[4], -1);
	convert(DSP_FMT_S32_LE, DSP_FMT_S24_4LE)(back, in, 2);
	assert_int_equal(back[0], 8388607);
	assert_int_equal(back[1], -8388608);
	free(in);
	free(s24);
	free(back);
	free(s16);
}

static void s24_reads_low_bits_and_writes_sign_extended_isa(void)
{
	/* garbage in the top byte must be ignored */
	int32_t in[4] = { (int32_t)0xab800000, 0x12000001, (int32_t)0xff7fffff, 0x00ffffff };
	int32_t out[4], s32[4];
	int16_t s16[4];
	float f[4];

	convert(DSP_FMT_S24_4LE, DSP_FMT_S24_4LE)(out, in, 4);
	assert_int_equal(out[0], -8388608);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 8388607);
	assert_int_equal(out[3], -1);
	convert(DSP_FMT_S24_4LE, DSP_FMT_S32_LE)(s32, in, 4);
	assert_int_equal(s32[0], INT32_MIN);
	assert_int_equal(s32[1], 256);
	assert_int_equal(s32[2], 0x7fffff00);
	assert_int_equal(s32[3], -256);
	convert(DSP_FMT_S24_4LE, DSP_FMT_S16_LE)(s16, in, 4);
	assert_int_equal(s16[0], -32768);
	assert_int_equal(s16[1], 0);
	assert_int_equal(s16[2], 32767);
	assert_int_equal(s16[3], 0);	/* -1/256 LSB rounds up to 0 */
	convert(DSP_FMT_S24_4LE, DSP_FMT_FLOAT)(f, in, 4);
	assert_true(f[0] == -1.0f);
	assert_true((double)f[3] == -1.0 / 8388608.0);

	/* every S24 value written by a conversion has a sign-extended top byte */
	{
		float fin[3] = { -1.0f, 0.999f, -0.5f };

		convert(DSP_FMT_FLOAT, DSP_FMT_S24_4LE)(out, fin, 3);
		assert_int_equal((uint32_t)out[0] >> 24, 0xff);
		assert_int_equal((uint32_t)out[1] >> 24, 0x00);
		assert_int_equal((uint32_t)out[2] >> 24, 0xff);
	}
}

static void float_to_int_clamps_rounds_and_zeroes_nan_isa(void)
{
	float in[] = {
		NAN, -NAN, INFINITY, -INFINITY, 1.0f, -1.0f, 2.0f, -2.0f, 0.0f, -0.0f,
		0.5f / 32768, -0.5f / 32768, 1.5f / 32768, 2.5f / 32768, -2.5f / 32768,
		0.49999f / 32768, 0.999999f, -0.999999f, 1e-30f, 3e38f, -3e38f, 0.25f,
	};
	enum { N = sizeof(in) / sizeof(in[0]) };
	int16_t s16[N];
	int32_t s24[N], s32[N];
	size_t i;

	convert(DSP_FMT_FLOAT, DSP_FMT_S16_LE)(s16, in, N);
	convert(DSP_FMT_FLOAT, DSP_FMT_S24_4LE)(s24, in, N);
	convert(DSP_FMT_FLOAT, DSP_FMT_S32_LE)(s32, in, N);
	for (i = 0; i < N; i++) {
		assert_int_equal(s16[i], ref_float_to_int(in[i], 32768.0, INT16_MIN, INT16_MAX));
		assert_int_equal(s24[i], ref_float_to_int(in[i], 8388608.0, -8388608, 8388607));
		assert_int_equal(s32[i], ref_float_to_int(in[i], 2147483648.0, INT32_MIN,
							  INT32_MAX));
	}
	/* spelled out: NaN -> 0, +1.0 -> max, -1.0 -> min, halves away from zero */
	assert_int_equal(s16[0], 0);
	assert_int_equal(s32[1], 0);
	assert_int_equal(s16[4], 32767);
	assert_int_equal(s32[4], INT32_MAX);
	assert_int_equal(s16[5], -32768);
	assert_int_equal(s24[5], -8388608);
	assert_int_equal(s16[10], 1);
	assert_int_equal(s16[11], -1);
	assert_int_equal(s16[13], 3);
	assert_int_equal(s16[14], -3);
}

static void round_trips_are_lossless_where_the_format_allows_isa(void)
{
	enum { N = 65536 };
	int16_t *s16 = malloc(N * sizeof(int16_t)), *s16b = malloc(N * sizeof(int16_t));
	int32_t *s24 = malloc(N * sizeof(int32_t)), *s24b = malloc(N * sizeof(int32_t));
	int32_t *s32 = malloc(N * sizeof(int32_t)), *s32b = malloc(N * sizeof(int32_t));
	float *f = malloc(N * sizeof(float));
	size_t i;

	for (i = 0; i < N; i++) {
		s16[i] = (int16_t)(i - 32768);
		/* a walk over the whole 24-bit range, both ends included */
		s24[i] = i == 0 ? -8388608 : i == N - 1 ? 8388607 :
			(int32_t)(((int64_t)i * 16777215 / (N - 1)) - 8388608);
	}
	/* S16 -> float -> S16, S16 -> S32 -> S16, S16 -> S24 -> S16 */
	convert(DSP_FMT_S16_LE, DSP_FMT_FLOAT)(f, s16, N);
	convert(DSP_FMT_FLOAT, DSP_FMT_S16_LE)(s16b, f, N);
	assert_memory_equal(s16, s16b, N * sizeof(int16_t));
	convert(DSP_FMT_S16_LE, DSP_FMT_S32_LE)(s32, s16, N);
	convert(DSP_FMT_S32_LE, DSP_FMT_S16_LE)(s16b, s32, N);
	assert_memory_equal(s16, s16b, N * sizeof(int16_t));
	convert(DSP_FMT_S16_LE, DSP_FMT_S24_4LE)(s24b, s16, N);
	convert(DSP_FMT_S24_4LE, DSP_FMT_S16_LE)(s16b, s24b, N);
	assert_memory_equal(s16, s16b, N * sizeof(int16_t));

	/* S24 -> float -> S24 and S24 -> S32 -> S24 */
	convert(DSP_FMT_S24_4LE, DSP_FMT_FLOAT)(f, s24, N);
	convert(DSP_FMT_FLOAT, DSP_FMT_S24_4LE)(s24b, f, N);
	assert_memory_equal(s24, s24b, N * sizeof(int32_t));
	convert(DSP_FMT_S24_4LE, DSP_FMT_S32_LE)(s32, s24, N);
	convert(DSP_FMT_S32_LE, DSP_FMT_S24_4LE)(s24b, s32, N);
	assert_memory_equal(s24, s24b, N * sizeof(int32_t));

	/* S32 -> float -> S32 keeps 24 significant bits: error at most half a float ulp */
	fill_s32(s32, N);
	convert(DSP_FMT_S32_LE, DSP_FMT_FLOAT)(f, s32, N);
	convert(DSP_FMT_FLOAT, DSP_FMT_S32_LE)(s32b, f, N);
	for (i = 0; i < N; i++) {
		int64_t err = (int64_t)s32b[i] - s32[i];
		int64_t mag = llabs((int64_t)s32[i]);
		int64_t ulp = mag >= (1 << 24) ? (int64_t)1 << (64 - __builtin_clzll(mag) - 24) : 1;

		assert_true(llabs(err) <= ulp / 2 + (s32[i] == INT32_MAX));
	}

	/* same-format copies are identity, also in place */
	memcpy(s32b, s32, N * sizeof(int32_t));
	convert(DSP_FMT_S32_LE, DSP_FMT_S32_LE)(s32b, s32b, N);
	assert_memory_equal(s32, s32b, N * sizeof(int32_t));
	free(s16);
	free(s16b);
	free(s24);
	free(s24b);
	free(s32);
	free(s32b);
	free(f);
}

static void silence_is_zero_in_every_format(void **state)
{
	float f[8];
	int16_t s[8];
	size_t i;

	memset(f, 0x55, sizeof(f));
	memset(s, 0x55, sizeof(s));
	dsp_silence(f, DSP_FMT_FLOAT, 8);
	dsp_silence(s, DSP_FMT_S16_LE, 8);
	for (i = 0; i < 8; i++) {
		assert_true(f[i] == 0.0f);
		assert_int_equal(s[i], 0);
	}
}

static void s16_widens_exactly_to_every_format(void **state)
{
	for (isa = 0; isa < DSP_ISA_COUNT; isa++)
		if (dsp_isa_supported(isa))
			s16_widens_exactly_to_every_format_isa();
}

static void narrowing_rounds_half_up_and_saturates(void **state)
{
	for (isa = 0; isa < DSP_ISA_COUNT; isa++)
		if (dsp_isa_supported(isa))
			narrowing_rounds_half_up_and_saturates_isa();
}

static void s24_reads_low_bits_and_writes_sign_extended(void **state)
{
	for (isa = 0; isa < DSP_ISA_COUNT; isa++)
		if (dsp_isa_supported(isa))
			s24_reads_low_bits_and_writes_sign_extended_isa();
}

static void float_to_int_clamps_rounds_and_zeroes_nan(void **state)
{
	for (isa = 0; isa < DSP_ISA_COUNT; isa++)
		if (dsp_isa_supported(isa))
			float_to_int_clamps_rounds_and_zeroes_nan_isa();
}

static void round_trips_are_lossless_where_the_format_allows(void **state)
{
	for (isa = 0; isa < DSP_ISA_COUNT; isa++)
		if (dsp_isa_supported(isa))
			round_trips_are_lossless_where_the_format_allows_isa();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_pair_has_a_kernel_and_bad_formats_have_none),
		cmocka_unit_test(s16_widens_exactly_to_every_format),
		cmocka_unit_test(narrowing_rounds_half_up_and_saturates),
		cmocka_unit_test(s24_reads_low_bits_and_writes_sign_extended),
		cmocka_unit_test(float_to_int_clamps_rounds_and_zeroes_nan),
		cmocka_unit_test(round_trips_are_lossless_where_the_format_allows),
		cmocka_unit_test(silence_is_zero_in_every_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
