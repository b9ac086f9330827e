// SPDX-License-Identifier: MIT
/*
 * Level meter (level.h).
 *
 * Integer formats are brought to 24-bit values (S16 << 8, S24 as is, S32 >> 8). The samples
 * are taken eight at a time with one accumulator per position (level_run()).
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "dsp/kernels/level.h"
#include "dsp/kernels/simd.h"
#include "util/compiler.h"

#define LEVEL_FS24		8388608.0	/* 2^23: 24-bit full scale */
#define LEVEL_S24_LO		(-8388608)
#define LEVEL_FLOAT_CAP		1048576.0f	/* 2^20: a NaN or a huge float counts as this */
#define LEVEL_READ_TRIES	100000u	/* a reader's attempts before -EAGAIN */
#define LEVEL_WINDOW_MAX	(1u << 17)	/* frames in a window, at most */

static void level_clear(struct dsp_level *l)
{
	l->frames = 0;
	memset(l->peak, 0, sizeof(l->peak));
	memset(l->sq, 0, sizeof(l->sq));
	memset(l->clip, 0, sizeof(l->clip));
}

static uint32_t float_bits(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return u;
}

static float bits_float(uint32_t u)
{
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

/* Publish the figures of the window just completed (or of none, after init), then clear. */
static void level_publish(struct dsp_level *l)
{
	float peak[DSP_MAX_CHANNELS] = { 0 }, ms[DSP_MAX_CHANNELS] = { 0 };
	uint32_t clip[DSP_MAX_CHANNELS] = { 0 };
	uint32_t seq = atomic_load_explicit(&l->seq, memory_order_relaxed);

	if (l->frames) {
		bool fl = l->fmt == DSP_FMT_FLOAT;
		double scale = fl ? 1.0 : LEVEL_FS24;
		double pk[DSP_MAX_CHANNELS] = { 0 }, sq[DSP_MAX_CHANNELS] = { 0 };

		/* Position j holds channel j % channels. */
		for (uint32_t j = 0; j < l->lanes; j++) {
			uint32_t c = j % l->channels;

			pk[c] = VADSP_MAX(pk[c], fl ? (double)bits_float(l->peak[j]) :
						      (double)l->peak[j]);
			sq[c] += l->sq[j];
			clip[c] += l->clip[j];
		}
		for (uint32_t c = 0; c < l->channels; c++) {
			peak[c] = (float)(pk[c] / scale);
			ms[c] = (float)(sq[c] / (scale * scale) / l->frames);
		}
	}
	if (l->frames) {
		l->windows++;
		for (uint32_t c = 0; c < l->channels; c++)
			l->clipped_total += clip[c];
	}
	atomic_store_explicit(&l->seq, seq + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&l->p_fmt, l->fmt, memory_order_relaxed);
	atomic_store_explicit(&l->p_channels, l->channels, memory_order_relaxed);
	atomic_store_explicit(&l->p_rate, l->rate, memory_order_relaxed);
	atomic_store_explicit(&l->p_window, l->window_frames, memory_order_relaxed);
	atomic_store_explicit(&l->p_windows, l->windows, memory_order_relaxed);
	atomic_store_explicit(&l->p_clipped_total, l->clipped_total, memory_order_relaxed);
	for (uint32_t c = 0; c < DSP_MAX_CHANNELS; c++) {
		atomic_store_explicit(&l->p_peak[c], float_bits(peak[c]), memory_order_relaxed);
		atomic_store_explicit(&l->p_ms[c], float_bits(ms[c]), memory_order_relaxed);
		atomic_store_explicit(&l->p_clipped[c], clip[c], memory_order_relaxed);
	}
	atomic_store_explicit(&l->seq, seq + 2, memory_order_release);
	level_clear(l);
}

/* One sample as a 24-bit value (S16 << 8, S24 sign-extended from its low bits, S32 >> 8). */
static inline int32_t load24(const uint8_t *p, uint32_t fmt)
{
	int16_t h;
	int32_t w;

	if (fmt == DSP_FMT_S16_LE) {
		memcpy(&h, p, sizeof(h));
		return (int32_t)h * 256;
	}
	memcpy(&w, p, sizeof(w));
	if (fmt == DSP_FMT_S24_4LE)
		return (int32_t)((uint32_t)w << 8) >> 8;
	return w >> 8;
}

/* The largest positive 24-bit value that counts as clipped. */
static inline int32_t clip_hi(uint32_t fmt)
{
	return fmt == DSP_FMT_S16_LE ? 32767 * 256 : 8388607;
}

/*
 * Samples are taken eight at a time, four positions per GNU C vector (gcc and clang lower
 * them to SSE2 on the baseline x86-64 target, to plain code elsewhere): a loop the compilers
 * do not vectorise on their own, because of the per-position accumulators. Position p of a
 * feed (p < lanes, lanes = lcm(channels, 8)) holds channel p % channels. Squares are summed
 * in float within one feed (at most a window: the rounding stays below 1e-4 relative) and
 * added to the double sums at its end. A FLOAT peak is kept as the bits of a non-negative
 * float, which order as integers do.
 */
typedef int32_t level_v4i __attribute__((vector_size(16)));
typedef uint32_t level_v4u __attribute__((vector_size(16)));
typedef int16_t level_v4h __attribute__((vector_size(8)));
typedef float level_v4f __attribute__((vector_size(16)));

#define LEVEL_VECS	(DSP_LEVEL_POSITIONS / 4)

static inline level_v4i level_load4(const uint8_t *p, uint32_t fmt)
{
	level_v4h h;
	level_v4i x;

	if (fmt == DSP_FMT_S16_LE) {
		memcpy(&h, p, sizeof(h));
		return __builtin_convertvector(h, level_v4i) * 256;
	}
	memcpy(&x, p, sizeof(x));
	if (fmt == DSP_FMT_S24_4LE)
		return (level_v4i)((level_v4u)x << 8) >> 8;
	return x >> 8;
}

/* Four integer samples into positions' peak, squares and clip counts. */
static inline void level_step_int(level_v4i x, int32_t hi, level_v4i *pk, level_v4f *sq,
				  level_v4i *cl)
{
	level_v4i s = x >> 31, a = (x ^ s) - s, m = a > *pk;
	level_v4f f = __builtin_convertvector(x, level_v4f);

	*pk = (a & m) | (*pk & ~m);
	*sq += f * f;
	*cl -= (x >= hi) | (x <= LEVEL_S24_LO);
}

/* Four FLOAT samples: |x|, >= 1.0 or NaN clipped, NaN and huge values counted as the cap. */
static inline void level_step_float(level_v4f x, level_v4i *pk, level_v4f *sq, level_v4i *cl)
{
	const level_v4f one = { 1.0f, 1.0f, 1.0f, 1.0f };
	const level_v4f cap = { LEVEL_FLOAT_CAP, LEVEL_FLOAT_CAP, LEVEL_FLOAT_CAP,
				LEVEL_FLOAT_CAP };
	level_v4i a = (level_v4i)x & 0x7fffffff, m;

	*cl -= ~((level_v4f)a < one);
	m = (level_v4f)a <= cap;
	a = (a & m) | ((level_v4i)cap & ~m);
	m = a > *pk;
	*pk = (a & m) | (*pk & ~m);
	*sq += (level_v4f)a * (level_v4f)a;
}

/* FLOAT: |x| with a NaN or anything beyond LEVEL_FLOAT_CAP as the cap; @clip counts >= 1. */
static inline float level_fabs(float x, uint32_t *clip)
{
	x = fabsf(x);
	if (!(x < 1.0f)) {
		(*clip)++;
		if (!(x <= LEVEL_FLOAT_CAP))
			x = LEVEL_FLOAT_CAP;
	}
	return x;
}

/* One sample at position @j, the plain way (the samples after the last group of eight). */
static inline void level_one(struct dsp_level *l, const uint8_t *p, uint32_t fmt, uint32_t j)
{
	if (fmt == DSP_FMT_FLOAT) {
		float x;

		memcpy(&x, p, sizeof(x));
		x = level_fabs(x, &l->clip[j]);
		l->peak[j] = VADSP_MAX(l->peak[j], float_bits(x));
		l->sq[j] += (double)x * x;
	} else {
		int32_t x = load24(p, fmt);
		uint32_t u = (uint32_t)(x < 0 ? -x : x);

		l->peak[j] = VADSP_MAX(l->peak[j], u);
		l->sq[j] += (double)x * x;
		l->clip[j] += (uint32_t)((x >= clip_hi(fmt)) | (x <= LEVEL_S24_LO));
	}
}

/* @samples samples (whole frames) of @fmt over @lanes positions (8, 24, 40 or 56). */
static DSP_ALWAYS_INLINE void
level_run(struct dsp_level *l, const uint8_t *p, size_t samples, uint32_t fmt, uint32_t lanes)
{
	const size_t sb = dsp_fmt_sample_bytes(fmt);
	const int32_t hi = clip_hi(fmt);
	level_v4i pk[LEVEL_VECS], cl[LEVEL_VECS];
	level_v4f sq[LEVEL_VECS];
	uint32_t pos = 0;
	size_t i = 0;

	memcpy(pk, l->peak, lanes * sizeof(uint32_t));
	memcpy(cl, l->clip, lanes * sizeof(uint32_t));
	memset(sq, 0, lanes * sizeof(float));
	for (; i + 8 <= samples; i += 8) {
		for (unsigned int h = 0; h < 2; h++) {
			const uint8_t *q = p + (i + 4 * h) * sb;
			uint32_t v = pos / 4 + h;

			if (fmt == DSP_FMT_FLOAT) {
				level_v4f x;

				memcpy(&x, q, sizeof(x));
				level_step_float(x, &pk[v], &sq[v], &cl[v]);
			} else {
				level_step_int(level_load4(q, fmt), hi, &pk[v], &sq[v], &cl[v]);
			}
		}
		pos += 8;
		if (pos == lanes)
			pos = 0;
	}
	memcpy(l->peak, pk, lanes * sizeof(uint32_t));
	memcpy(l->clip, cl, lanes * sizeof(uint32_t));
	for (uint32_t j = 0; j < lanes; j++)
		l->sq[j] += (double)sq[j / 4][j % 4];
	for (uint32_t j = pos; i < samples; i++, j++)
		level_one(l, p + i * sb, fmt, j);
}

#if DSP_HAVE_AVX2
/*
 * The AVX2 build: the same arithmetic on eight positions per vector (every lane count is a
 * multiple of eight), so each position's sums take the same values in the same order as in
 * level_run(): both builds give the same figures, bit for bit.
 */
typedef int32_t level_v8i __attribute__((vector_size(32)));
typedef uint32_t level_v8u __attribute__((vector_size(32)));
typedef int16_t level_v8h __attribute__((vector_size(16)));
typedef float level_v8f __attribute__((vector_size(32)));

static DSP_TARGET_AVX2 DSP_ALWAYS_INLINE void
level_run8(struct dsp_level *l, const uint8_t *p, size_t samples, uint32_t fmt, uint32_t lanes)
{
	const size_t sb = dsp_fmt_sample_bytes(fmt);
	const int32_t hi = clip_hi(fmt);
	const level_v8f one = { 1, 1, 1, 1, 1, 1, 1, 1 };
	const level_v8f cap = { LEVEL_FLOAT_CAP, LEVEL_FLOAT_CAP, LEVEL_FLOAT_CAP,
				LEVEL_FLOAT_CAP, LEVEL_FLOAT_CAP, LEVEL_FLOAT_CAP,
				LEVEL_FLOAT_CAP, LEVEL_FLOAT_CAP };
	level_v8i pk[DSP_LEVEL_POSITIONS / 8], cl[DSP_LEVEL_POSITIONS / 8];
	level_v8f sq[DSP_LEVEL_POSITIONS / 8];
	uint32_t pos = 0;
	size_t i = 0;

	memcpy(pk, l->peak, lanes * sizeof(uint32_t));
	memcpy(cl, l->clip, lanes * sizeof(uint32_t));
	memset(sq, 0, lanes * sizeof(float));
	for (; i + 8 <= samples; i += 8) {
		const uint8_t *q = p + i * sb;
		uint32_t v = pos / 8;
		level_v8i a, m;

		if (fmt == DSP_FMT_FLOAT) {
			level_v8f x;

			memcpy(&x, q, sizeof(x));
			a = (level_v8i)x & 0x7fffffff;
			cl[v] -= ~((level_v8f)a < one);
			m = (level_v8f)a <= cap;
			a = (a & m) | ((level_v8i)cap & ~m);
			sq[v] += (level_v8f)a * (level_v8f)a;
		} else {
			level_v8i x, sgn;
			level_v8f f;

			if (fmt == DSP_FMT_S16_LE) {
				level_v8h h;

				memcpy(&h, q, sizeof(h));
				x = __builtin_convertvector(h, level_v8i) * 256;
			} else {
				memcpy(&x, q, sizeof(x));
				x = fmt == DSP_FMT_S24_4LE ? (level_v8i)((level_v8u)x << 8) >> 8 :
							    x >> 8;
			}
			sgn = x >> 31;
			a = (x ^ sgn) - sgn;
			f = __builtin_convertvector(x, level_v8f);
			sq[v] += f * f;
			cl[v] -= (x >= hi) | (x <= LEVEL_S24_LO);
		}
		m = a > pk[v];
		pk[v] = (a & m) | (pk[v] & ~m);
		pos += 8;
		if (pos == lanes)
			pos = 0;
	}
	memcpy(l->peak, pk, lanes * sizeof(uint32_t));
	memcpy(l->clip, cl, lanes * sizeof(uint32_t));
	for (uint32_t j = 0; j < lanes; j++)
		l->sq[j] += (double)sq[j / 8][j % 8];
	for (uint32_t j = pos; i < samples; i++, j++)
		level_one(l, p + i * sb, fmt, j);
}
#endif

/*
 * The instances (STYLE rule 8: picked once, at dsp_level_init_isa(), by format, positions
 * and instruction set): each format with 8 positions (1, 2, 4, 8 channels) or l->lanes,
 * built for the baseline target and for AVX2.
 */
#define LEVEL_FN(name, target, run, fmt, lanes)					\
	static target void name(struct dsp_level *l, const uint8_t *p, size_t n)	\
	{										\
		run(l, p, n, fmt, lanes);						\
	}

LEVEL_FN(level_s16_8, , level_run, DSP_FMT_S16_LE, 8)
LEVEL_FN(level_s24_8, , level_run, DSP_FMT_S24_4LE, 8)
LEVEL_FN(level_s32_8, , level_run, DSP_FMT_S32_LE, 8)
LEVEL_FN(level_float_8, , level_run, DSP_FMT_FLOAT, 8)
LEVEL_FN(level_s16_n, , level_run, DSP_FMT_S16_LE, l->lanes)
LEVEL_FN(level_s24_n, , level_run, DSP_FMT_S24_4LE, l->lanes)
LEVEL_FN(level_s32_n, , level_run, DSP_FMT_S32_LE, l->lanes)
LEVEL_FN(level_float_n, , level_run, DSP_FMT_FLOAT, l->lanes)
#if DSP_HAVE_AVX2
LEVEL_FN(level_s16_8_avx2, DSP_TARGET_AVX2, level_run8, DSP_FMT_S16_LE, 8)
LEVEL_FN(level_s24_8_avx2, DSP_TARGET_AVX2, level_run8, DSP_FMT_S24_4LE, 8)
LEVEL_FN(level_s32_8_avx2, DSP_TARGET_AVX2, level_run8, DSP_FMT_S32_LE, 8)
LEVEL_FN(level_float_8_avx2, DSP_TARGET_AVX2, level_run8, DSP_FMT_FLOAT, 8)
LEVEL_FN(level_s16_n_avx2, DSP_TARGET_AVX2, level_run8, DSP_FMT_S16_LE, l->lanes)
LEVEL_FN(level_s24_n_avx2, DSP_TARGET_AVX2, level_run8, DSP_FMT_S24_4LE, l->lanes)
LEVEL_FN(level_s32_n_avx2, DSP_TARGET_AVX2, level_run8, DSP_FMT_S32_LE, l->lanes)
LEVEL_FN(level_float_n_avx2, DSP_TARGET_AVX2, level_run8, DSP_FMT_FLOAT, l->lanes)
#else
#define level_s16_8_avx2	NULL
#define level_s24_8_avx2	NULL
#define level_s32_8_avx2	NULL
#define level_float_8_avx2	NULL
#define level_s16_n_avx2	NULL
#define level_s24_n_avx2	NULL
#define level_s32_n_avx2	NULL
#define level_float_n_avx2	NULL
#endif

/* [isa column][8 positions or not][format] */
static const dsp_level_fn level_table[2][2][DSP_FMT_COUNT] = {
	[DSP_ISA_C] = {
		{ level_s16_n, level_s24_n, level_s32_n, level_float_n },
		{ level_s16_8, level_s24_8, level_s32_8, level_float_8 },
	},
	[DSP_ISA_AVX2] = {
		{ level_s16_n_avx2, level_s24_n_avx2, level_s32_n_avx2, level_float_n_avx2 },
		{ level_s16_8_avx2, level_s24_8_avx2, level_s32_8_avx2, level_float_8_avx2 },
	},
};

int dsp_level_init_isa(struct dsp_level *l, uint32_t fmt, uint32_t channels, uint32_t rate,
		       uint32_t isa)
{
	bool ok = dsp_fmt_valid(fmt) && channels >= 1 && channels <= DSP_MAX_CHANNELS &&
		  rate >= 1 && rate <= 10u * LEVEL_WINDOW_MAX && dsp_isa_supported(isa);

	l->fmt = ok ? fmt : 0;
	l->channels = ok ? channels : 0;
	l->rate = ok ? rate : 0;
	l->window_frames = ok ? VADSP_MAX(1u, rate * DSP_LEVEL_WINDOW_MS / 1000u) : 0;
	/* lcm(channels, 8): a whole number of frames and of groups of eight samples. */
	l->lanes = ok ? (8 % channels == 0 ? 8 : channels * 8 / (channels % 2 ? 1 : 2)) : 8;
	l->measure = ok ? level_table[dsp_isa_column(isa)][l->lanes == 8][fmt] : NULL;
	if (!l->measure)
		l->channels = 0;
	l->windows = 0;
	l->clipped_total = 0;
	level_clear(l);
	/* Even again if @l held anything (the writer never leaves it odd). */
	atomic_store_explicit(&l->seq, (atomic_load_explicit(&l->seq, memory_order_relaxed) | 1u) +
			      1u, memory_order_relaxed);
	level_publish(l);
	return l->channels ? 0 : -EINVAL;
}

int dsp_level_init(struct dsp_level *l, uint32_t fmt, uint32_t channels, uint32_t rate)
{
	return dsp_level_init_isa(l, fmt, channels, rate, dsp_isa_best());
}

void dsp_level_feed(struct dsp_level *l, const void *buf, uint32_t frames)
{
	const uint8_t *p = buf;
	size_t fb;

	if (!l->channels)
		return;
	fb = dsp_fmt_frame_bytes(l->fmt, l->channels);
	while (frames) {
		uint32_t n = VADSP_MIN(frames, l->window_frames - l->frames);

		l->measure(l, p, (size_t)n * l->channels);
		l->frames += n;
		p += (size_t)n * fb;
		frames -= n;
		if (l->frames == l->window_frames)
			level_publish(l);
	}
}

int dsp_level_read(const struct dsp_level *cl, struct dsp_level_snapshot *out)
{
	/* Only atomic loads: the cast drops a const that C11's atomic loads do not take. */
	struct dsp_level *l = (struct dsp_level *)cl;

	for (unsigned int tries = 0; tries < LEVEL_READ_TRIES; tries++) {
		uint32_t s1, s2;

		/* A writer preempted mid-publication needs the CPU: give it after a few spins. */
		if (tries >= 64)
			nanosleep(&(struct timespec){ .tv_nsec = 1000 }, NULL);
		s1 = atomic_load_explicit(&l->seq, memory_order_acquire);
		if (s1 & 1)
			continue;
		out->fmt = atomic_load_explicit(&l->p_fmt, memory_order_relaxed);
		out->channels = atomic_load_explicit(&l->p_channels, memory_order_relaxed);
		out->rate = atomic_load_explicit(&l->p_rate, memory_order_relaxed);
		out->window_frames = atomic_load_explicit(&l->p_window, memory_order_relaxed);
		out->windows = atomic_load_explicit(&l->p_windows, memory_order_relaxed);
		out->clipped_total = atomic_load_explicit(&l->p_clipped_total,
							  memory_order_relaxed);
		for (uint32_t c = 0; c < DSP_MAX_CHANNELS; c++) {
			out->peak[c] = bits_float(atomic_load_explicit(&l->p_peak[c],
								       memory_order_relaxed));
			out->ms[c] = bits_float(atomic_load_explicit(&l->p_ms[c],
								     memory_order_relaxed));
			out->clipped[c] = atomic_load_explicit(&l->p_clipped[c],
							       memory_order_relaxed);
		}
		atomic_thread_fence(memory_order_acquire);
		s2 = atomic_load_explicit(&l->seq, memory_order_relaxed);
		if (s1 == s2)
			return 0;
	}
	return -EAGAIN;
}

int dsp_level_db_centi(double ratio, bool power, int32_t *out)
{
	double db;

	if (!(ratio > 0.0) || !isfinite(ratio))
		return -ERANGE;
	db = (power ? 1000.0 : 2000.0) * log10(ratio);
	if (db < -100000.0 || db > 100000.0)
		return -ERANGE;
	*out = (int32_t)lrint(db);
	return 0;
}
