// SPDX-License-Identifier: MIT
/*
 * Mixer kernels against sums computed here: exact sums of K sources with one saturation at
 * the end (so opposite overloads cancel), S24 inputs with garbage top bytes, float sums
 * without clamping, the sink aliasing a source, spans longer than the kernel's chunk, and
 * zero sources giving silence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dsp/kernels/mix.h"

#define MAXK	8
#define N	1000	/* more than one internal chunk */

/* Every test runs once per instruction-set variant this CPU supports. */
static uint32_t isa;

static dsp_mix_fn dsp_mix_func_isa_t(uint32_t fmt)
{
	return dsp_mix_func_isa(fmt, isa);
}

static uint32_t rng = 7;

static uint32_t rnd(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng ^ (rng >> 13);
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void integer_sums_saturate_once_per_format_isa(void)
{
	static int16_t a16[MAXK][N], o16[N];
	static int32_t a32[MAXK][N], o32[N];
	const void *srcs[MAXK];
	uint32_t k, nsrc;
	size_t i;

	for (k = 0; k < MAXK; k++) {
		for (i = 0; i < N; i++) {
			uint32_t r = rnd();

			/* mostly loud values, so sums overflow often */
			a16[k][i] = (int16_t)r;
			a32[k][i] = (int32_t)(r << (k & 1));
		}
	}
	for (nsrc = 1; nsrc <= MAXK; nsrc++) {
		for (k = 0; k < nsrc; k++)
			srcs[k] = a16[k];
		dsp_mix_func_isa_t(DSP_FMT_S16_LE)(o16, srcs, nsrc, N);
		for (i = 0; i < N; i++) {
			int64_t sum = 0;

			for (k = 0; k < nsrc; k++)
				sum += a16[k][i];
			assert_int_equal(o16[i], clamp(sum, INT16_MIN, INT16_MAX));
		}

		for (k = 0; k < nsrc; k++)
			srcs[k] = a32[k];
		dsp_mix_func_isa_t(DSP_FMT_S32_LE)(o32, srcs, nsrc, N);
		for (i = 0; i < N; i++) {
			int64_t sum = 0;

			for (k = 0; k < nsrc; k++)
				sum += a32[k][i];
			assert_int_equal(o32[i], clamp(sum, INT32_MIN, INT32_MAX));
		}

		/* S24: only the low 24 bits count, sign-extended; the top byte is garbage */
		dsp_mix_func_isa_t(DSP_FMT_S24_4LE)(o32, srcs, nsrc, N);
		for (i = 0; i < N; i++) {
			int64_t sum = 0;

			for (k = 0; k < nsrc; k++)
				sum += ((int64_t)(a32[k][i] & 0xffffff) ^ 0x800000) - 0x800000;
			assert_int_equal(o32[i], clamp(sum, -8388608, 8388607));
		}
	}

	/* named: overloads that cancel are not clipped on the way */
	{
		int16_t x[3] = { 30000, 30000, -30000 }, y[3] = { 30000, -30000, -30000 };
		int16_t z[3] = { -30000, 1, 0 }, out[3];
		const void *three[3] = { x, y, z };

		dsp_mix_func_isa_t(DSP_FMT_S16_LE)(out, three, 3, 3);
		assert_int_equal(out[0], 30000);
		assert_int_equal(out[1], 1);
		assert_int_equal(out[2], -32768);
	}
}

static void float_sums_are_exact_and_not_clamped_isa(void)
{
	float a[3][N], out[N];
	const void *srcs[3] = { a[0], a[1], a[2] };
	size_t i;

	for (i = 0; i < N; i++) {
		a[0][i] = (float)((int32_t)rnd() / 2147483648.0);
		a[1][i] = 0.75f;
		a[2][i] = (float)i / N;
	}
	dsp_mix_func_isa_t(DSP_FMT_FLOAT)(out, srcs, 3, N);
	for (i = 0; i < N; i++) {
		double want = (double)a[0][i] + a[1][i] + a[2][i];

		assert_true(out[i] == (float)want);
	}
	assert_true(out[N - 1] > 1.0f);	/* headroom kept */
}

static void sink_may_be_a_source_and_no_sources_is_silence_isa(void)
{
	int32_t a[N], b[N], want[N];
	const void *srcs[2] = { a, b };
	size_t i;

	for (i = 0; i < N; i++) {
		a[i] = (int32_t)rnd() >> 2;
		b[i] = (int32_t)rnd() >> 2;
		want[i] = a[i] + b[i];
	}
	dsp_mix_func_isa_t(DSP_FMT_S32_LE)(a, srcs, 2, N);
	assert_memory_equal(a, want, sizeof(want));

	memset(a, 0x5a, sizeof(a));
	dsp_mix_func_isa_t(DSP_FMT_S32_LE)(a, srcs, 0, N);
	for (i = 0; i < N; i++)
		assert_int_equal(a[i], 0);
	assert_null(dsp_mix_func(4));
	assert_null(dsp_mix_func_isa(0, DSP_ISA_COUNT));
}

static void many_sources_sum_exactly_isa(void)
{
	enum { K = 300, S = 64 };
	static int32_t bufs[K][S];
	static const void *srcs[K];
	int32_t out[S];
	size_t i, k;

	/*
	 * Even samples: 300 full-scale S24 sources, far beyond a 32-bit accumulator, saturate.
	 * Odd samples: 150 at the maximum then 150 at the minimum sum exactly to -150 (a
	 * 32-bit running sum would have overflowed half way).
	 */
	for (k = 0; k < K; k++) {
		for (i = 0; i < S; i++)
			bufs[k][i] = !(i & 1) || k < K / 2 ? 8388607 : -8388608;
		srcs[k] = bufs[k];
	}
	dsp_mix_func_isa_t(DSP_FMT_S24_4LE)(out, srcs, K, S);
	for (i = 0; i < S; i++)
		assert_int_equal(out[i], i & 1 ? -150 : 8388607);
	for (k = 0; k < K; k++)
		for (i = 0; i < S; i++)
			bufs[k][i] = !(i & 1) || k < K / 2 ? INT32_MAX : INT32_MIN;
	dsp_mix_func_isa_t(DSP_FMT_S32_LE)(out, srcs, K, S);
	for (i = 0; i < S; i++)
		assert_int_equal(out[i], i & 1 ? -150 : INT32_MAX);
}

static void integer_sums_saturate_once_per_format(void **state)
{
	for (isa = 0; isa < DSP_ISA_COUNT; isa++)
		if (dsp_isa_supported(isa))
			integer_sums_saturate_once_per_format_isa();
}

static void float_sums_are_exact_and_not_clamped(void **state)
{
	for (isa = 0; isa < DSP_ISA_COUNT; isa++)
		if (dsp_isa_supported(isa))
			float_sums_are_exact_and_not_clamped_isa();
}

static void sink_may_be_a_source_and_no_sources_is_silence(void **state)
{
	for (isa = 0; isa < DSP_ISA_COUNT; isa++)
		if (dsp_isa_supported(isa))
			sink_may_be_a_source_and_no_sources_is_silence_isa();
}

static void many_sources_sum_exactly(void **state)
{
	for (isa = 0; isa < DSP_ISA_COUNT; isa++)
		if (dsp_isa_supported(isa))
			many_sources_sum_exactly_isa();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integer_sums_saturate_once_per_format),
		cmocka_unit_test(float_sums_are_exact_and_not_clamped),
		cmocka_unit_test(sink_may_be_a_source_and_no_sources_is_silence),
		cmocka_unit_test(many_sources_sum_exactly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
