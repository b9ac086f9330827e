// SPDX-License-Identifier: MIT
/*
 * Volume kernels against a reference computed here: exact Q8.16 gains per format with
 * rounding (halves up) and saturation; linear and log ramps (first block at the old gain,
 * monotonic, on a straight line in gain or in dB, landing exactly on the target in the ramp
 * time); zero-crossing variants move gain steps onto sign changes; mute; the envelope does not
 * depend on how a period is split; the TLV dB table matches the Linux SOF driver's arithmetic.
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

#include "dsp/kernels/volume.h"

#define RATE		48000u

/* floor(n / d) for d > 0, without relying on shifts. */
static int64_t floor_div(int64_t n, int64_t d)
{
	int64_t q = n / d;

	if (n % d != 0 && n < 0)
		q--;
	return q;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Reference gain: round(x * g / 65536) with halves up, saturated to [lo, hi]. */
static int64_t ref_gain(int64_t x, int32_t g, int64_t lo, int64_t hi)
{
	return clamp64(floor_div(x * g + 32768, 65536), lo, hi);
}

static const int32_t test_gains[] = {
	0, 1, 2, 0x7fff, 0x8000, 0x8001, 0x10000, 0x10001, 0x18000, 0x20000, 0x40000, 0x123456,
	DSP_VOL_MAX,
};

static uint32_t rng = 1;

static uint32_t rnd(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng ^ (rng >> 15);
}

static void gain_kernels_match_the_reference_in_every_format(void **state)
{
	enum { FRAMES = 2000 };
	static int16_t s16[FRAMES * 8], o16[FRAMES * 8];
	static int32_t s32[FRAMES * 8], o32[FRAMES * 8];
	static float f[FRAMES * 8], of[FRAMES * 8];
	static struct dsp_gain gp;
	uint32_t isa, ch, gi;
	size_t i;

	for (i = 0; i < FRAMES * 8; i++) {
		uint32_t r = rnd();

		s16[i] = i < 6 ? (int16_t[]){ 32767, -32768, 1, -1, 0, -2 }[i] : (int16_t)r;
		s32[i] = i < 6 ? (int32_t[]){ INT32_MAX, INT32_MIN, 1, -1, 32768, -32768 }[i] :
			(int32_t)r;
		f[i] = (float)((int32_t)r / 2147483648.0);
	}
	for (isa = 0; isa < DSP_ISA_COUNT; isa++) {
		if (!dsp_isa_supported(isa))
			continue;
		/* every channel count, so the pattern blocks end at every possible place */
		for (ch = 1; ch <= 8; ch++) {
			for (gi = 0; gi < sizeof(test_gains) / sizeof(test_gains[0]); gi++) {
				int32_t g[8];
				uint32_t c, frames = FRAMES - ch * 7;

				for (c = 0; c < 8; c++)
					g[c] = test_gains[(gi + c * 5) % 13];
				dsp_gain_set(&gp, ch, g);

				dsp_gain_func_isa(DSP_FMT_S16_LE, isa)(o16, s16, frames, &gp);
				for (i = 0; i < frames * ch; i++)
					assert_int_equal(o16[i], ref_gain(s16[i], g[i % ch], INT16_MIN,
									  INT16_MAX));

				dsp_gain_func_isa(DSP_FMT_S32_LE, isa)(o32, s32, frames, &gp);
				for (i = 0; i < frames * ch; i++)
					assert_int_equal(o32[i], ref_gain(s32[i], g[i % ch], INT32_MIN,
									  INT32_MAX));

				/* S24: the input's top byte is garbage; output is sign-extended */
				dsp_gain_func_isa(DSP_FMT_S24_4LE, isa)(o32, s32, frames, &gp);
				for (i = 0; i < frames * ch; i++) {
					int64_t x = ((int64_t)(s32[i] & 0xffffff) ^ 0x800000) - 0x800000;

					assert_int_equal(o32[i], ref_gain(x, g[i % ch], -8388608, 8388607));
				}

				dsp_gain_func_isa(DSP_FMT_FLOAT, isa)(of, f, frames, &gp);
				for (i = 0; i < frames * ch; i++) {
					double want = (double)f[i] * g[i % ch] / 65536.0;

					assert_true(fabs(of[i] - want) <= fabs(want) * 1.2e-7);
				}
			}
		}
	}
	/* named cases: -6 dB rounds half up, saturation */
	{
		int16_t in[4] = { 3, -3, 32767, -32768 }, out[4];
		int32_t half[1] = { 0x8000 }, big[1] = { 0x20000 };

		dsp_gain_set(&gp, 1, half);
		dsp_gain_func(DSP_FMT_S16_LE)(out, in, 4, &gp);
		assert_int_equal(out[0], 2);	/* 1.5 -> 2 */
		assert_int_equal(out[1], -1);	/* -1.5 -> -1 */
		dsp_gain_set(&gp, 1, big);
		dsp_gain_func(DSP_FMT_S16_LE)(out, in, 4, &gp);
		assert_int_equal(out[2], 32767);
		assert_int_equal(out[3], -32768);
	}
	assert_null(dsp_gain_func(4));
	assert_null(dsp_gain_func_isa(0, DSP_ISA_COUNT));
}

enum { VAR_FRAMES = 203 };
static uint32_t var_in[VAR_FRAMES * 8];

/* Random words, a fifth of them at full scale (for float: every class of value). */
static void fill_var_in(void)
{
	size_t i;

	for (i = 0; i < VAR_FRAMES * 8; i++) {
		uint32_t r = rnd();

		var_in[i] = i % 5 == 0 ? (r & 1 ? 0x7fffffffu : 0x80000000u) : r ^ (rnd() << 16);
	}
}

/* Gain kernel variant @isa against the C one for @frames frames of @g. */
static void check_gain_variant(uint32_t fmt, uint32_t isa, const struct dsp_gain *g,
			       uint32_t frames)
{
	static uint32_t want[VAR_FRAMES * 8], got[VAR_FRAMES * 8];
	size_t bytes = (size_t)frames * g->channels * dsp_fmt_sample_bytes(fmt);

	memset(want, 0xa5, sizeof(want));
	memset(got, 0xa5, sizeof(got));
	dsp_gain_func_isa(fmt, DSP_ISA_C)(want, var_in, frames, g);
	dsp_gain_func_isa(fmt, isa)(got, var_in, frames, g);
	assert_memory_equal(got, want, sizeof(want));
	/* in place */
	memcpy(got, var_in, bytes);
	dsp_gain_func_isa(fmt, isa)(got, got, frames, g);
	assert_memory_equal(got, want, bytes);
}

/* Eight gains, one per channel, from a list, starting at @gi. */
static void pick_gains(struct dsp_gain *gp, uint32_t ch, const int32_t *list, uint32_t n,
		       uint32_t gi, uint32_t stride)
{
	int32_t g[8];
	uint32_t c;

	for (c = 0; c < 8; c++)
		g[c] = list[(gi + c * stride) % n];
	dsp_gain_set(gp, ch, g);
}

/*
 * Every variant of every format's gain kernel against the plain C one, bit for bit: each
 * channel count, lengths ending everywhere inside a SIMD vector and a gain block, gains from
 * 0 to DSP_VOL_MAX and beyond (the kernel takes any int32 pattern), inputs at full scale and
 * random (for float: every class of value), in place and not.
 */
static void every_gain_variant_matches_the_c_kernel_bit_for_bit(void **state)
{
	static const int32_t gains[] = { 0, 1, 0x7fff, 0x8000, 0x10000, 0x10001, 0x5a827,
					 DSP_VOL_MAX, 0x7fffffff, -1, -0x10000, INT32_MIN };
	static struct dsp_gain gp;
	uint32_t isa, fmt, ch, gi, frames;

	(void)state;
	fill_var_in();
	for (isa = 1; isa < DSP_ISA_COUNT; isa++) {
		if (!dsp_isa_supported(isa))
			continue;
		for (fmt = 0; fmt < DSP_FMT_COUNT; fmt++) {
			for (ch = 1; ch <= 8; ch++) {
				for (gi = 0; gi < 12; gi++) {
					pick_gains(&gp, ch, gains, 12, gi, 7);
					for (frames = 0; frames <= VAR_FRAMES;
					     frames += frames < 70 ? 1 : 19)
						check_gain_variant(fmt, isa, &gp, frames);
				}
			}
		}
	}
}

/* True if two accumulators of @n samples hold the same values (any NaN equals any NaN). */
static bool same_acc(uint32_t fmt, const void *a, const void *b, size_t n)
{
	size_t i;

	if (fmt != DSP_FMT_FLOAT)
		return !memcmp(a, b, n * sizeof(int64_t));
	for (i = 0; i < n; i++) {
		double x = ((const double *)a)[i], y = ((const double *)b)[i];

		if ((x != x && y != y) || !memcmp(&x, &y, sizeof(x)))
			continue;
		return false;
	}
	return true;
}

/*
 * Gain-and-accumulate variant @isa against the C gain kernel then the C accumulating kernel,
 * both onto an accumulator holding an earlier source @prev.
 */
static void check_gain_acc(uint32_t fmt, uint32_t isa, const struct dsp_gain *g,
			   uint32_t frames, const uint32_t *prev)
{
	static uint32_t out[VAR_FRAMES * 8];
	static int64_t want[VAR_FRAMES * 8], got[VAR_FRAMES * 8];
	dsp_mix_acc_fn add = dsp_mix_acc_func_isa(fmt, DSP_ISA_C);
	size_t n = (size_t)frames * g->channels;
	const void *p = prev;

	memset(want, 0, sizeof(want));
	add(want, &p, 1, n);
	memcpy(got, want, sizeof(got));

	dsp_gain_func_isa(fmt, DSP_ISA_C)(out, var_in, frames, g);
	p = out;
	add(want, &p, 1, n);
	dsp_gain_acc_func_isa(fmt, isa)(got, var_in, frames, g);
	assert_true(same_acc(fmt, got, want, VAR_FRAMES * 8));
}

/*
 * dsp_vol_accumulate() at steady gains (@level on the left, -6 dB or 0 dB on the right,
 * muted) against dsp_vol_process() then the accumulating kernel.
 */
static void check_vol_accumulate(uint32_t fmt, int32_t left, int32_t right, bool mute)
{
	static uint32_t out[200];
	static int64_t want[200], got[200];
	const void *p = out;
	struct dsp_vol v;

	assert_int_equal(dsp_vol_init(&v, DSP_VOL_RAMP_LINEAR, 0, 0, 0), 0);
	assert_int_equal(dsp_vol_set(&v, 0, left), 0);
	assert_int_equal(dsp_vol_set(&v, 1, right), 0);
	if (mute) {
		assert_int_equal(dsp_vol_set_mute(&v, 0, true), 0);
		assert_int_equal(dsp_vol_set_mute(&v, 1, true), 0);
	}
	assert_int_equal(dsp_vol_prepare(&v, fmt, 2, RATE), 0);
	memset(want, 0, sizeof(want));
	memset(got, 0, sizeof(got));
	dsp_vol_process(&v, out, var_in, 100);
	dsp_mix_acc_func(fmt)(want, &p, 1, 200);
	assert_int_equal(dsp_vol_accumulate(&v, got, var_in, 100), 0);
	assert_true(same_acc(fmt, got, want, 200));
}

/*
 * Gain and accumulate, every variant, adds to a mixer's accumulator exactly what the C gain
 * kernel writes (then added by the C accumulating kernel); and dsp_vol_accumulate() adds what
 * dsp_vol_process() writes, at a gain, at 0 dB and muted, and refuses while a ramp runs.
 */
static void gain_and_accumulate_adds_what_the_gain_kernel_writes(void **state)
{
	static const int32_t gains[] = { 0, 1, 0x8000, 0x10000, 0x5a827, DSP_VOL_MAX, -0x10000 };
	static uint32_t prev[VAR_FRAMES * 8];
	static int64_t acc[200];
	static struct dsp_gain gp;
	struct dsp_vol v;
	uint32_t isa, fmt, ch, gi, frames;
	size_t i;

	(void)state;
	fill_var_in();
	for (i = 0; i < VAR_FRAMES * 8; i++)
		prev[i] = rnd() ^ (rnd() << 16);
	for (fmt = 0; fmt < DSP_FMT_COUNT; fmt++) {
		for (isa = 0; isa < DSP_ISA_COUNT; isa++) {
			if (!dsp_isa_supported(isa))
				continue;
			for (ch = 1; ch <= 8; ch++) {
				for (gi = 0; gi < 7; gi++) {
					pick_gains(&gp, ch, gains, 7, gi, 3);
					for (frames = 0; frames <= VAR_FRAMES;
					     frames += frames < 40 ? 1 : 27)
						check_gain_acc(fmt, isa, &gp, frames, prev);
				}
			}
		}

		check_vol_accumulate(fmt, 0x5a827, 0x8000, false);
		check_vol_accumulate(fmt, 0x10000, 0x10000, false);	/* adds the input */
		check_vol_accumulate(fmt, 0x10000, 0x8000, false);
		check_vol_accumulate(fmt, 0x2000, 0x8000, true);	/* adds nothing */

		/* not while a ramp runs */
		assert_int_equal(dsp_vol_init(&v, DSP_VOL_RAMP_LINEAR, 10, 0, 0), 0);
		assert_int_equal(dsp_vol_prepare(&v, fmt, 2, RATE), 0);
		dsp_vol_start(&v);
		memset(acc, 0, sizeof(acc));
		assert_int_equal(dsp_vol_accumulate(&v, acc, var_in, 100), -EAGAIN);
		for (i = 0; i < 200; i++)
			assert_true(acc[i] == 0);
	}
	assert_null(dsp_gain_acc_func(4));
	assert_null(dsp_gain_acc_func_isa(0, DSP_ISA_COUNT));
}

/*
 * Run @frames frames of a constant input through @v in calls of @chunk frames (S32, all
 * channels the same value) and record the gain applied to each frame (channel 0).
 */
static void record_gains(struct dsp_vol *v, uint32_t frames, uint32_t chunk, int32_t *gains)
{
	uint32_t ch = v->channels, done = 0, i;
	int32_t *in = malloc((size_t)chunk * ch * sizeof(int32_t));
	int32_t *out = malloc((size_t)chunk * ch * sizeof(int32_t));

	for (i = 0; i < chunk * ch; i++)
		in[i] = 1 << 16;	/* output = gain exactly (x * g / 2^16) */
	while (done < frames) {
		uint32_t n = frames - done < chunk ? frames - done : chunk;

		dsp_vol_process(v, out, in, n);
		for (i = 0; i < n; i++)
			gains[done + i] = out[i * ch];
		done += n;
	}
	free(in);
	free(out);
}

/* First frame at which gains[] reaches @target and stays there; -1 if never. */
static int32_t settle_frame(const int32_t *gains, uint32_t n, int32_t target)
{
	int32_t f = -1;
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (gains[i] != target)
			f = -1;
		else if (f < 0)
			f = (int32_t)i;
	}
	return f;
}

static void linear_ramp_is_a_monotonic_line_ending_on_target_in_time(void **state)
{
	enum { N = RATE / 10 };
	int32_t *g = malloc(N * sizeof(int32_t));
	struct dsp_vol v;
	int32_t settle, target = 0x2000, start = 0x10000;
	uint32_t i;

	/* legacy range (min = max = 0): a change takes the whole ramp time, 20 ms */
	assert_int_equal(dsp_vol_init(&v, DSP_VOL_RAMP_LINEAR, 20, 0, 0), 0);
	assert_int_equal(dsp_vol_prepare(&v, DSP_FMT_S32_LE, 2, RATE), 0);
	assert_int_equal(dsp_vol_get_current(&v, 0), start);
	assert_int_equal(dsp_vol_set(&v, 0, target), 0);
	assert_int_equal(dsp_vol_set(&v, 1, target), 0);
	assert_true(dsp_vol_ramping(&v));
	record_gains(&v, N, 48, g);

	/* the first update block (125 us = 6 frames) still has the old gain */
	for (i = 0; i < 6; i++)
		assert_int_equal(g[i], start);
	for (i = 1; i < N; i++)
		assert_true(g[i] <= g[i - 1]);
	settle = settle_frame(g, N, target);
	/* 20 ms = 960 frames, within one update block and the slope's rounding */
	assert_true(settle >= 960 - 12 && settle <= 960 + 12);
	/* on the straight line from start to target over 20 ms, up to one block behind */
	for (i = 0; i < (uint32_t)settle; i++) {
		double t = (double)i / RATE * 1000.0;
		double line = start + (target - start) * t / 20.0;
		double line_prev = start + (target - start) * (t - 6.0 / 48) / 20.0;

		assert_true(g[i] >= line - 200 && g[i] <= line_prev + 200);
	}
	assert_false(dsp_vol_ramping(&v));
	free(g);
}

static void linear_ramp_rate_follows_the_min_max_range(void **state)
{
	enum { N = RATE / 5 };
	int32_t *g = malloc(N * sizeof(int32_t));
	struct dsp_vol v;
	int32_t settle;

	/* 100 ms for the whole [0, 1.0] range: half the range takes about 50 ms */
	assert_int_equal(dsp_vol_init(&v, DSP_VOL_RAMP_LINEAR, 100, 0, 0x10000), 0);
	assert_int_equal(dsp_vol_prepare(&v, DSP_FMT_S32_LE, 1, RATE), 0);
	assert_int_equal(dsp_vol_set(&v, 0, 0x8000), 0);
	record_gains(&v, N, 48, g);
	settle = settle_frame(g, N, 0x8000);
	assert_true(settle >= 2400 - 48 && settle <= 2400 + 48);	/* update block 500 us */
	free(g);
}

static void stream_start_ramps_from_min_to_target_in_the_ramp_time(void **state)
{
	enum { N = RATE / 10 };
	int32_t *g = malloc(N * sizeof(int32_t));
	struct dsp_vol v;
	int32_t settle;
	uint32_t i;

	assert_int_equal(dsp_vol_init(&v, DSP_VOL_RAMP_LINEAR, 40, 0x100, 0x40000), 0);
	assert_int_equal(dsp_vol_set(&v, 0, 0x8000), 0);	/* before prepare: just stored */
	assert_int_equal(dsp_vol_prepare(&v, DSP_FMT_S32_LE, 1, RATE), 0);
	assert_int_equal(dsp_vol_get_current(&v, 0), 0x8000);
	dsp_vol_start(&v);
	assert_int_equal(dsp_vol_get_current(&v, 0), 0x100);
	record_gains(&v, N, 96, g);
	assert_int_equal(g[0], 0x100);
	for (i = 1; i < N; i++)
		assert_true(g[i] >= g[i - 1]);
	settle = settle_frame(g, N, 0x8000);
	/* fixed-time ramp: 40 ms = 1920 frames, update block 250 us = 12 frames */
	assert_true(settle >= 1920 - 24 && settle <= 1920 + 24);
	free(g);
}

static void log_ramp_is_straight_in_db_and_ends_exactly(void **state)
{
	enum { N = RATE / 10 };
	int32_t *g = malloc(N * sizeof(int32_t));
	struct dsp_vol v;
	int32_t settle, start = 0x10000, target = 0x1000;	/* 0 dB -> -24.08 dB */
	uint32_t i;

	assert_int_equal(dsp_vol_init(&v, DSP_VOL_RAMP_LOG, 50, 0, 0), 0);
	assert_int_equal(dsp_vol_prepare(&v, DSP_FMT_S32_LE, 1, RATE), 0);
	assert_int_equal(dsp_vol_set(&v, 0, target), 0);
	record_gains(&v, N, 48, g);
	for (i = 1; i < N; i++)
		assert_true(g[i] <= g[i - 1]);
	settle = settle_frame(g, N, target);
	assert_true(settle >= 2400 - 24 && settle <= 2400 + 24);	/* 50 ms, 500 us blocks */
	/* at every block start, the dB value is on the line, within half a Q8.16 step */
	for (i = 24; i < (uint32_t)settle; i += 24) {
		double frac = (double)i / 2400.0;
		double want = 20 * log10((double)start / 65536) * (1 - frac) +
			      20 * log10((double)target / 65536) * frac;
		double got = 20 * log10((double)g[i] / 65536);

		assert_true(fabs(got - want) < 0.01);
	}
	/* mute through a log ramp reaches exactly 0 at the end */
	assert_int_equal(dsp_vol_set_mute(&v, 0, true), 0);
	record_gains(&v, N, 48, g);
	assert_true(g[100] > 0);
	assert_int_equal(g[N - 1], 0);
	settle = settle_frame(g, N, 0);
	assert_true(settle >= 2400 - 24 && settle <= 2400 + 24);
	free(g);
}

/*
 * Fraction of gain steps that fall on a sign change of the channel sum, for a ramp of @type
 * over a 5 kHz sine (a crossing every 4.8 frames, so 6-frame blocks rarely land on one).
 */
static double zc_aligned_fraction(uint32_t type)
{
	enum { CH = 3, N = RATE / 20 };
	int32_t *in = malloc((size_t)N * CH * sizeof(int32_t));
	int32_t *out = malloc((size_t)N * CH * sizeof(int32_t));
	struct dsp_vol v;
	uint32_t i, c, steps = 0, aligned = 0;

	/* channels 0 and 1 cancel in the sum and show the gain; channel 2 sets the sign */
	for (i = 0; i < N; i++) {
		in[i * CH + 0] = 1 << 20;
		in[i * CH + 1] = -(1 << 20);
		in[i * CH + 2] = (int32_t)(1e8 * sin(6.283185307 * 5000.0 * (i + 0.3) / RATE));
	}
	assert_int_equal(dsp_vol_init(&v, type, 20, 0, 0), 0);
	assert_int_equal(dsp_vol_prepare(&v, DSP_FMT_S32_LE, CH, RATE), 0);
	for (c = 0; c < CH; c++)
		assert_int_equal(dsp_vol_set(&v, c, 0x3000), 0);
	for (i = 0; i < N; i += 40)
		dsp_vol_process(&v, out + (size_t)i * CH, in + (size_t)i * CH, 40);
	for (i = 1; i < N; i++) {
		bool neg_prev = in[(i - 1) * CH + 2] < 0, neg = in[i * CH + 2] < 0;

		if (out[i * CH] == out[(i - 1) * CH])
			continue;
		steps++;
		aligned += neg != neg_prev;
	}
	/* either way the ramp ends on the target */
	assert_true(steps > 20);
	assert_int_equal(out[(N - 1) * CH], ref_gain(1 << 20, 0x3000, INT32_MIN, INT32_MAX));
	free(in);
	free(out);
	return (double)aligned / steps;
}

static void zero_crossing_ramps_step_at_sign_changes(void **state)
{
	/*
	 * With ZC, a step misses a crossing only when a block (or the part of it left in a
	 * process call) has none inside; without ZC steps fall where the blocks end.
	 */
	assert_true(zc_aligned_fraction(DSP_VOL_RAMP_LINEAR_ZC) > 0.8);
	assert_true(zc_aligned_fraction(DSP_VOL_RAMP_LOG_ZC) > 0.8);
	assert_true(zc_aligned_fraction(DSP_VOL_RAMP_LINEAR) < 0.4);
}

static void mute_remembers_the_volume_and_unmute_ramps_back(void **state)
{
	enum { N = RATE / 10 };
	int32_t *g = malloc(N * sizeof(int32_t));
	struct dsp_vol v;

	assert_int_equal(dsp_vol_init(&v, DSP_VOL_RAMP_LINEAR, 10, 0, 0), 0);
	assert_int_equal(dsp_vol_prepare(&v, DSP_FMT_S32_LE, 1, RATE), 0);
	assert_int_equal(dsp_vol_set_mute(&v, 0, true), 0);
	assert_true(dsp_vol_get_mute(&v, 0));
	record_gains(&v, N, 48, g);
	assert_int_equal(g[N - 1], 0);
	assert_int_equal(dsp_vol_get_target(&v, 0), 0x10000);

	/* a volume change while muted is remembered but stays silent */
	assert_int_equal(dsp_vol_set(&v, 0, 0x4000), 0);
	assert_int_equal(dsp_vol_get_target(&v, 0), 0x4000);
	record_gains(&v, N, 48, g);
	assert_int_equal(settle_frame(g, N, 0), 0);

	assert_int_equal(dsp_vol_set_mute(&v, 0, false), 0);
	record_gains(&v, N, 48, g);
	assert_true(g[0] == 0 && g[N - 1] == 0x4000);
	assert_true(settle_frame(g, N, 0x4000) > 0);

	assert_int_equal(dsp_vol_set(&v, DSP_MAX_CHANNELS, 0), -EINVAL);
	assert_int_equal(dsp_vol_set_mute(&v, 99, true), -EINVAL);
	free(g);
}

static void the_envelope_does_not_depend_on_call_sizes(void **state)
{
	enum { N = 6000 };
	int32_t *a = malloc(N * sizeof(int32_t)), *b = malloc(N * sizeof(int32_t));
	int32_t *c = malloc(N * sizeof(int32_t));
	struct dsp_vol v;
	uint32_t type;

	for (type = DSP_VOL_RAMP_LINEAR; type <= DSP_VOL_RAMP_LOG; type++) {
		assert_int_equal(dsp_vol_init(&v, type, 70, 0, 0), 0);
		assert_int_equal(dsp_vol_prepare(&v, DSP_FMT_S32_LE, 2, RATE), 0);
		dsp_vol_set(&v, 0, 0x345);
		record_gains(&v, N, 1, a);
		assert_int_equal(dsp_vol_init(&v, type, 70, 0, 0), 0);
		assert_int_equal(dsp_vol_prepare(&v, DSP_FMT_S32_LE, 2, RATE), 0);
		dsp_vol_set(&v, 0, 0x345);
		record_gains(&v, N, 48, b);
		assert_int_equal(dsp_vol_init(&v, type, 70, 0, 0), 0);
		assert_int_equal(dsp_vol_prepare(&v, DSP_FMT_S32_LE, 2, RATE), 0);
		dsp_vol_set(&v, 0, 0x345);
		record_gains(&v, N, 1001, c);
		assert_memory_equal(a, b, N * sizeof(int32_t));
		assert_memory_equal(a, c, N * sizeof(int32_t));
		assert_int_equal(a[N - 1], 0x345);
	}
	free(a);
	free(b);
	free(c);
}

static void zero_ramp_time_applies_at_once_and_bad_parameters_fail(void **state)
{
	struct dsp_vol v;
	int16_t in[2] = { 1000, -1000 }, out[2];

	/* at 0 dB the volume copies, normalising S24 as the gain kernel would */
	{
		int32_t x[4] = { (int32_t)0xab800000, 0x12000001, (int32_t)0xff7fffff, 5 }, y[4];

		assert_int_equal(dsp_vol_init(&v, DSP_VOL_RAMP_LINEAR, 0, 0, 0), 0);
		assert_int_equal(dsp_vol_prepare(&v, DSP_FMT_S24_4LE, 2, RATE), 0);
		dsp_vol_process(&v, y, x, 2);
		assert_int_equal(y[0], -8388608);
		assert_int_equal(y[1], 1);
		assert_int_equal(y[2], 8388607);
		assert_int_equal(y[3], 5);
		dsp_vol_set_mute(&v, 1, true);
		dsp_vol_set_mute(&v, 0, true);
		dsp_vol_process(&v, y, x, 2);
		assert_int_equal(y[0] | y[1] | y[2] | y[3], 0);
	}
	assert_int_equal(dsp_vol_init(&v, DSP_VOL_RAMP_LINEAR, 0, 0, 0), 0);
	assert_int_equal(dsp_vol_prepare(&v, DSP_FMT_S16_LE, 2, RATE), 0);
	assert_int_equal(dsp_vol_set(&v, 1, 0x8000), 0);
	assert_false(dsp_vol_ramping(&v));
	dsp_vol_process(&v, out, in, 1);
	assert_int_equal(out[0], 1000);
	assert_int_equal(out[1], -500);
	/* gains are limited to [0, DSP_VOL_MAX] */
	assert_int_equal(dsp_vol_set(&v, 0, -5), 0);
	assert_int_equal(dsp_vol_get_current(&v, 0), 0);
	assert_int_equal(dsp_vol_set(&v, 0, INT32_MAX), 0);
	assert_int_equal(dsp_vol_get_current(&v, 0), DSP_VOL_MAX);

	assert_int_equal(dsp_vol_init(&v, 4, 10, 0, 0), -EINVAL);
	assert_int_equal(dsp_vol_init(&v, 0, 100000, 0, 0), -EINVAL);
	assert_int_equal(dsp_vol_init(&v, 0, 10, 0x20000, 0x10000), -EINVAL);
	assert_int_equal(dsp_vol_init(&v, 0, 10, 0, 0), 0);
	assert_int_equal(dsp_vol_prepare(&v, 7, 2, RATE), -EINVAL);
	assert_int_equal(dsp_vol_prepare(&v, DSP_FMT_S16_LE, 0, RATE), -EINVAL);
	assert_int_equal(dsp_vol_prepare(&v, DSP_FMT_S16_LE, 9, RATE), -EINVAL);
	assert_int_equal(dsp_vol_prepare(&v, DSP_FMT_S16_LE, 2, 0), -EINVAL);
	/* the initial target is 0 dB limited to [min, max] */
	assert_int_equal(dsp_vol_init(&v, 0, 10, 0, 0x4000), 0);
	assert_int_equal(dsp_vol_get_target(&v, 3), 0x4000);
}

/* The Linux SOF driver's table, computed the long way: whole dB, Q16 powers of 10^(1/20). */
static uint32_t ref_tlv(uint32_t value, int32_t min_cdb, int32_t step_cdb, bool mute)
{
	int db = min_cdb / 100 + (int)(value * (uint32_t)step_cdb / 100);
	uint64_t p = 65536;
	int i;

	if (!value && mute)
		return 0;
	for (i = 0; i < abs(db); i++)
		p = (((p * 73533) >> 15) + 1) >> 1;
	if (db < 0)
		p = (1ull << 32) / p;
	if (step_cdb % 100 == 50 && step_cdb < 100 && (value & 1))
		p = (((p * 69419) >> 15) + 1) >> 1;
	return (uint32_t)p;
}

static void tlv_gains_match_the_sof_driver_table(void **state)
{
	uint32_t v;

	/* sof-imx8-wm8960: -64 dB, 2 dB steps, max 32, mute at 0 */
	assert_int_equal(dsp_vol_tlv_gain(0, -6400, 200, true), 0);
	assert_int_equal(dsp_vol_tlv_gain(32, -6400, 200, true), 65536);
	assert_int_equal(dsp_vol_tlv_gain(0, -6400, 200, false), ref_tlv(0, -6400, 200, false));
	/* one dB up and down: 10^(1/20) in Q16 and its truncated inverse */
	assert_int_equal(dsp_vol_tlv_gain(1, -100, 100, false), 65536);
	assert_int_equal(dsp_vol_tlv_gain(2, -100, 100, false), 73533);
	assert_int_equal(dsp_vol_tlv_gain(0, -100, 100, false), 58408);
	for (v = 0; v <= 80; v++) {
		double db = -50.0 + v;
		uint32_t g = dsp_vol_tlv_gain(v, -5000, 100, true);

		assert_int_equal(g, ref_tlv(v, -5000, 100, true));
		if (v) {
			assert_true(fabs(20 * log10(g / 65536.0) - db) < 0.05 + (db < -40 ? 0.1 : 0));
			assert_true(g > dsp_vol_tlv_gain(v - 1, -5000, 100, true));
		}
	}
	/* 0.5 dB steps: odd values get the extra 10^(1/40) */
	for (v = 1; v <= 40; v++) {
		uint32_t g = dsp_vol_tlv_gain(v, -2000, 50, false);

		assert_int_equal(g, ref_tlv(v, -2000, 50, false));
		assert_true(fabs(20 * log10(g / 65536.0) - (-20.0 + 0.5 * v)) < 0.05);
	}
}

static void db_and_gain_convert_both_ways(void **state)
{
	assert_int_equal(dsp_vol_db_to_gain(0.0), 0x10000);
	assert_int_equal(dsp_vol_db_to_gain(-6.0206), 0x8000);
	assert_int_equal(dsp_vol_db_to_gain(-INFINITY), 0);
	assert_int_equal(dsp_vol_db_to_gain(NAN), 0);
	assert_int_equal(dsp_vol_db_to_gain(60.0), DSP_VOL_MAX);
	assert_true(isinf(dsp_vol_gain_to_db(0)) && dsp_vol_gain_to_db(0) < 0);
	assert_true(fabs(dsp_vol_gain_to_db(0x20000) - 6.0206) < 1e-3);
	assert_true(fabs(dsp_vol_gain_to_db(dsp_vol_db_to_gain(-37.5)) + 37.5) < 0.01);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gain_kernels_match_the_reference_in_every_format),
		cmocka_unit_test(every_gain_variant_matches_the_c_kernel_bit_for_bit),
		cmocka_unit_test(gain_and_accumulate_adds_what_the_gain_kernel_writes),
		cmocka_unit_test(linear_ramp_is_a_monotonic_line_ending_on_target_in_time),
		cmocka_unit_test(linear_ramp_rate_follows_the_min_max_range),
		cmocka_unit_test(stream_start_ramps_from_min_to_target_in_the_ramp_time),
		cmocka_unit_test(log_ramp_is_straight_in_db_and_ends_exactly),
		cmocka_unit_test(zero_crossing_ramps_step_at_sign_changes),
		cmocka_unit_test(mute_remembers_the_volume_and_unmute_ramps_back),
		cmocka_unit_test(the_envelope_does_not_depend_on_call_sizes),
		cmocka_unit_test(zero_ramp_time_applies_at_once_and_bad_parameters_fail),
		cmocka_unit_test(tlv_gains_match_the_sof_driver_table),
		cmocka_unit_test(db_and_gain_convert_both_ways),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
