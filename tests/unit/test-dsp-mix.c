// SPDX-License-Identifier: MIT
/*
 * Mixer kernels against sums computed here: exact sums of K sources with one saturation at
 * the end (so opposite overloads cancel), S24 inputs with garbage top bytes, float sums
 * without clamping, the sink aliasing a source, spans longer than the kernel's chunk, and
 * zero sources giving silence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dsp/kernels/mix.h"
#include "util/compiler.h"

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
	a[0][N - 1] = 0.5f;	/* the last sum is above full scale whatever the random values */
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

/*
 * Sample @s of test source @k: random bits (for float: every class of value, from denormals
 * to infinities and NaNs with any payload, so that NaNs meet), or full scale, or small values,
 * or floats whose double sums round; @kind picks which.
 */
#define TEST_KINDS	5

static uint32_t test_word(uint32_t kind, uint32_t k, uint32_t s)
{
	uint32_t r = rnd();

	switch (kind % TEST_KINDS) {
	case 0:
		return r ^ (rnd() << 16);
	case 1:
		return r & 1 ? 0x7fffffffu : 0x80000000u;
	case 2:
		return (uint32_t)((int32_t)r >> 20);
	case 3:
		/* floats within a few octaves of full scale, either sign */
		return (r & 0x80ffffffu) | ((uint32_t)(120 + r % 12) << 23);
	default:
		/*
		 * floats: every third source near 1, the others +/-2^40 times a mantissa that
		 * depends only on the sample, so the large terms cancel exactly and how much of
		 * the small ones survives depends on the order of the additions
		 */
		if (k % 3 == 2)
			return (r & 0x807fffffu) | (127u << 23);
		return (k % 3 ? 0x80000000u : 0) | (167u << 23) | (s * 2654435761u >> 9);
	}
}

/*
 * True if @n samples of format @fmt are the same bits, except that any NaN equals any NaN:
 * when two NaNs meet in a sum, which payload comes out is up to the compiler's choice of
 * operand order (in the C kernel as in the SIMD ones), so it is no property of the kernel.
 */
static bool same_samples(uint32_t fmt, const void *a, const void *b, size_t n)
{
	size_t i;

	if (fmt != DSP_FMT_FLOAT)
		return !memcmp(a, b, n * dsp_fmt_sample_bytes(fmt));
	for (i = 0; i < n; i++) {
		float x = ((const float *)a)[i], y = ((const float *)b)[i];

		if (x != x && y != y)
			continue;
		if (memcmp(&x, &y, sizeof(x)))
			return false;
	}
	return true;
}

/* Test sources: source counts around the SIMD block and far beyond, spans ending anywhere. */
enum { K = 300, S = 300 };
static const uint32_t counts[] = { 0, 1, 2, 3, 8, 9, 33, K };
static const size_t spans[] = { 0, 1, 3, 4, 7, 31, 32, 33, 63, 64, 65, 95, 96, 97, 128, 255,
				256, 257, S };
static uint32_t bufs[K][S];
static const void *srcs[K];

static void fill_sources(uint32_t kind)
{
	uint32_t k, si;

	for (k = 0; k < K; k++) {
		for (si = 0; si < S; si++)
			bufs[k][si] = test_word(kind, k, si);
		srcs[k] = bufs[k];
	}
}

/* Variant @v against the C kernel: @n sources of @len samples of format @fmt. */
static void check_variant(uint32_t fmt, uint32_t v, uint32_t n, size_t len)
{
	static uint32_t want[S], got[S], alias_want[S];
	size_t sb = dsp_fmt_sample_bytes(fmt);

	memset(want, 0xa5, sizeof(want));
	memset(got, 0xa5, sizeof(got));
	dsp_mix_func_isa(fmt, DSP_ISA_C)(want, srcs, n, len);
	dsp_mix_func_isa(fmt, v)(got, srcs, n, len);
	assert_true(same_samples(fmt, got, want, len));
	/* past the span: untouched */
	assert_memory_equal((uint8_t *)got + len * sb, (uint8_t *)want + len * sb,
			    sizeof(want) - len * sb);
	if (!n)
		return;
	/* into its last source, in place */
	memcpy(alias_want, bufs[n - 1], len * sb);
	dsp_mix_func_isa(fmt, v)(bufs[n - 1], srcs, n, len);
	assert_true(same_samples(fmt, bufs[n - 1], want, len));
	memcpy(bufs[n - 1], alias_want, len * sb);
}

/*
 * Every variant of every format's kernel against the plain C one, bit for bit: source counts
 * around the SIMD block and far beyond it, spans that end everywhere inside a block, and a
 * sink that is one of its sources.
 */
static void every_variant_matches_the_c_kernel_bit_for_bit(void **state)
{
	uint32_t fmt, v, ci, si, kind;

	(void)state;
	for (kind = 0; kind < TEST_KINDS; kind++) {
		fill_sources(kind);
		for (fmt = 0; fmt < DSP_FMT_COUNT; fmt++)
			for (v = 1; v < DSP_ISA_COUNT; v++)
				for (ci = 0; ci < VADSP_ARRAY_SIZE(counts); ci++)
					for (si = 0; si < VADSP_ARRAY_SIZE(spans); si++)
						if (dsp_isa_supported(v))
							check_variant(fmt, v, counts[ci],
								      spans[si]);
	}
}

/*
 * The accumulating kernel of variant @v against one C mix: @n sources of @len samples added
 * in groups of every size.
 */
static void check_steps(uint32_t fmt, uint32_t v, uint32_t n, size_t len)
{
	static int64_t acc[S];
	static uint32_t want[S], got[S];
	uint32_t k = 0, step = 0;

	dsp_mix_func_isa(fmt, DSP_ISA_C)(want, srcs, n, len);
	memset(acc, 0, sizeof(acc));
	while (k < n) {
		uint32_t g = step++ % 4 ? rnd() % 40 : 1;

		if (g > n - k)
			g = n - k;
		dsp_mix_acc_func_isa(fmt, v)(acc, srcs + k, g, len);
		k += g;
	}
	dsp_mix_out_func(fmt)(got, acc, len);
	assert_true(same_samples(fmt, got, want, len));
}

/* Sources 0 and 1 added whole, source 2 only its first 37 samples: as if padded with 0. */
static void check_short(uint32_t fmt, uint32_t v)
{
	static int64_t acc[S];
	static uint32_t want[S], got[S], padded[S];
	const void *three[3] = { srcs[0], srcs[1], padded };
	dsp_mix_acc_fn add = dsp_mix_acc_func_isa(fmt, v);

	memset(padded, 0, sizeof(padded));
	memcpy(padded, srcs[2], 37 * dsp_fmt_sample_bytes(fmt));
	dsp_mix_func_isa(fmt, DSP_ISA_C)(want, three, 3, 100);
	memset(acc, 0, sizeof(acc));
	add(acc, srcs, 2, 100);
	add(acc, srcs + 2, 1, 37);
	dsp_mix_out_func(fmt)(got, acc, 100);
	assert_true(same_samples(fmt, got, want, 100));
}

static void mixing_in_steps_equals_one_mix_bit_for_bit(void **state)
{
	uint32_t fmt, v, ci, si, kind;

	(void)state;
	for (kind = 0; kind < TEST_KINDS; kind++) {
		fill_sources(kind);
		for (fmt = 0; fmt < DSP_FMT_COUNT; fmt++) {
			for (v = 0; v < DSP_ISA_COUNT; v++) {
				if (!dsp_isa_supported(v))
					continue;
				for (ci = 0; ci < VADSP_ARRAY_SIZE(counts); ci++)
					for (si = 0; si < VADSP_ARRAY_SIZE(spans); si++)
						check_steps(fmt, v, counts[ci], spans[si]);
				check_short(fmt, v);
			}
		}
	}
	assert_null(dsp_mix_acc_func(4));
	assert_null(dsp_mix_acc_func_isa(0, DSP_ISA_COUNT));
	assert_null(dsp_mix_out_func(4));
}

/*
 * Storing a sum: every variant of every format's kernel writes what the C one writes, for
 * accumulators from small to far beyond the format's range (saturation) and, for float,
 * doubles of every class (rounding to float, overflow to infinity, NaN).
 */
static void storing_the_sum_is_the_same_in_every_variant(void **state)
{
	enum { A = 259 };
	static int64_t acc[A];
	static uint32_t want[A], got[A];
	uint32_t fmt, v, kind;
	size_t i, n;

	(void)state;
	for (kind = 0; kind < 3; kind++) {
		for (i = 0; i < A; i++) {
			uint64_t r = (uint64_t)rnd() << 32 | rnd();

			/* random bits; beyond int32 and 24 bits; near the edges */
			acc[i] = kind == 0 ? (int64_t)r : kind == 1 ? (int64_t)r >> 28 :
				 (int64_t)(r % 5) - 2 + (i & 1 ? INT32_MAX : -8388608);
		}
		for (fmt = 0; fmt < DSP_FMT_COUNT; fmt++) {
			for (v = 1; v < DSP_ISA_COUNT; v++) {
				if (!dsp_isa_supported(v))
					continue;
				for (n = 0; n <= A; n += n < 40 ? 1 : 73) {
					memset(want, 0xa5, sizeof(want));
					memset(got, 0xa5, sizeof(got));
					dsp_mix_out_func_isa(fmt, DSP_ISA_C)(want, acc, n);
					dsp_mix_out_func_isa(fmt, v)(got, acc, n);
					assert_true(same_samples(fmt, got, want, n));
					/* past the span: untouched */
					assert_memory_equal((uint8_t *)got +
							    n * dsp_fmt_sample_bytes(fmt),
							    (uint8_t *)want +
							    n * dsp_fmt_sample_bytes(fmt),
							    sizeof(want) -
							    n * dsp_fmt_sample_bytes(fmt));
				}
			}
		}
	}
	assert_null(dsp_mix_out_func_isa(0, DSP_ISA_COUNT));
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
		cmocka_unit_test(every_variant_matches_the_c_kernel_bit_for_bit),
		cmocka_unit_test(mixing_in_steps_equals_one_mix_bit_for_bit),
		cmocka_unit_test(storing_the_sum_is_the_same_in_every_variant),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
