// SPDX-License-Identifier: MIT
/*
 * Level meter (level.h).
 *
 * Integer formats are brought to 24-bit values (S16 << 8, S24 as is, S32 >> 8). When the
 * channel count divides 8, the samples are taken eight at a time with one accumulator per
 * position (position p holds channel p % channels), in vectors; other channel counts go
 * frame by frame.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "dsp/kernels/level.h"
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

		/* Position j holds channel j % channels (flat) or channel j. */
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

int dsp_level_init(struct dsp_level *l, uint32_t fmt, uint32_t channels, uint32_t rate)
{
	bool ok = dsp_fmt_valid(fmt) && channels >= 1 && channels <= DSP_MAX_CHANNELS &&
		  rate >= 1 && rate <= 10u * LEVEL_WINDOW_MAX;

	l->fmt = ok ? fmt : 0;
	l->channels = ok ? channels : 0;
	l->rate = ok ? rate : 0;
	l->window_frames = ok ? VADSP_MAX(1u, rate * DSP_LEVEL_WINDOW_MS / 1000u) : 0;
	l->lanes = 8 % VADSP_MAX(channels, 1u) == 0 ? 8 : channels;
	l->windows = 0;
	l->clipped_total = 0;
	level_clear(l);
	/* Even again if @l held anything (the writer never leaves it odd). */
	atomic_store_explicit(&l->seq, (atomic_load_explicit(&l->seq, memory_order_relaxed) | 1u) +
			      1u, memory_order_relaxed);
	level_publish(l);
	return ok ? 0 : -EINVAL;
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
 * The flat path works on four positions at a time in GNU C vectors (gcc and clang lower them
 * to SSE2 on the baseline x86-64 target, to plain code elsewhere): a loop the compilers do
 * not vectorise on their own, because of the per-position accumulators. Squares are summed
 * in float within one call (at most a window: the rounding stays below 1e-4 relative) and
 * added to the double sums at its end.
 */
typedef int32_t level_v4i __attribute__((vector_size(16)));
typedef uint32_t level_v4u __attribute__((vector_size(16)));
typedef int16_t level_v4h __attribute__((vector_size(8)));
typedef float level_v4f __attribute__((vector_size(16)));

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

/* Integer samples, eight positions at a time (channels divides 8). */
static inline void level_flat(struct dsp_level *l, const uint8_t *p, size_t samples,
			      uint32_t fmt)
{
	const size_t sb = dsp_fmt_sample_bytes(fmt);
	const int32_t hi = clip_hi(fmt);
	level_v4i pk[2], cl[2];
	level_v4f sq[2] = { { 0 }, { 0 } };
	size_t i = 0;

	memcpy(pk, l->peak, sizeof(pk));
	memcpy(cl, l->clip, sizeof(cl));
	for (; i + 8 <= samples; i += 8) {
		for (unsigned int h = 0; h < 2; h++) {
			level_v4i x = level_load4(p + (i + 4 * h) * sb, fmt);
			level_v4i s = x >> 31, a = (x ^ s) - s, m = a > pk[h];
			level_v4f f = __builtin_convertvector(x, level_v4f);

			pk[h] = (a & m) | (pk[h] & ~m);
			sq[h] += f * f;
			cl[h] -= (x >= hi) | (x <= LEVEL_S24_LO);
		}
	}
	memcpy(l->peak, pk, sizeof(pk));
	memcpy(l->clip, cl, sizeof(cl));
	for (unsigned int j = 0; j < 8; j++)
		l->sq[j] += (double)sq[j / 4][j % 4];
	for (unsigned int j = 0; i < samples; i++, j++) {
		int32_t x = load24(p + i * sb, fmt);
		uint32_t u = (uint32_t)(x < 0 ? -x : x);

		l->peak[j] = VADSP_MAX(l->peak[j], u);
		l->sq[j] += (double)x * x;
		l->clip[j] += (uint32_t)((x >= hi) | (x <= LEVEL_S24_LO));
	}
}

/* Integer samples, frame by frame (3, 5, 6 or 7 channels). */
static void level_frames(struct dsp_level *l, const uint8_t *p, uint32_t frames)
{
	const size_t sb = dsp_fmt_sample_bytes(l->fmt);
	const int32_t hi = clip_hi(l->fmt);

	for (uint32_t f = 0; f < frames; f++) {
		for (uint32_t c = 0; c < l->channels; c++, p += sb) {
			int32_t x = load24(p, l->fmt);
			uint32_t u = (uint32_t)(x < 0 ? -x : x);

			l->peak[c] = VADSP_MAX(l->peak[c], u);
			l->sq[c] += (double)x * x;
			l->clip[c] += (uint32_t)((x >= hi) | (x <= LEVEL_S24_LO));
		}
	}
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

/*
 * FLOAT. The peak is kept as the bits of a non-negative float, which order as integers do.
 * Flat: four positions at a time as in level_flat(); otherwise channel c of each frame.
 */
static void level_float(struct dsp_level *l, const uint8_t *p, uint32_t frames)
{
	size_t samples = (size_t)frames * l->channels, i = 0;

	if (l->lanes == 8) {
		const level_v4f one = { 1.0f, 1.0f, 1.0f, 1.0f };
		const level_v4f cap = { LEVEL_FLOAT_CAP, LEVEL_FLOAT_CAP, LEVEL_FLOAT_CAP,
					LEVEL_FLOAT_CAP };
		level_v4i pk[2], cl[2];
		level_v4f sq[2] = { { 0 }, { 0 } };

		memcpy(pk, l->peak, sizeof(pk));
		memcpy(cl, l->clip, sizeof(cl));
		for (; i + 8 <= samples; i += 8) {
			for (unsigned int h = 0; h < 2; h++) {
				level_v4f x;
				level_v4i a, m;

				memcpy(&x, p + (i + 4 * h) * sizeof(float), sizeof(x));
				a = (level_v4i)x & 0x7fffffff;
				cl[h] -= ~((level_v4f)a < one);		/* >= 1, or NaN */
				m = (level_v4f)a <= cap;		/* not NaN, not huge */
				a = (a & m) | ((level_v4i)cap & ~m);
				m = a > pk[h];
				pk[h] = (a & m) | (pk[h] & ~m);
				sq[h] += (level_v4f)a * (level_v4f)a;
			}
		}
		memcpy(l->peak, pk, sizeof(pk));
		memcpy(l->clip, cl, sizeof(cl));
		for (unsigned int j = 0; j < 8; j++)
			l->sq[j] += (double)sq[j / 4][j % 4];
		for (unsigned int j = 0; i < samples; i++, j++) {
			float x;

			memcpy(&x, p + i * sizeof(float), sizeof(x));
			x = level_fabs(x, &l->clip[j]);
			l->peak[j] = VADSP_MAX(l->peak[j], float_bits(x));
			l->sq[j] += (double)x * x;
		}
		return;
	}
	for (uint32_t f = 0; f < frames; f++) {
		for (uint32_t c = 0; c < l->channels; c++, p += sizeof(float)) {
			float x;

			memcpy(&x, p, sizeof(x));
			x = level_fabs(x, &l->clip[c]);
			l->peak[c] = VADSP_MAX(l->peak[c], float_bits(x));
			l->sq[c] += (double)x * x;
		}
	}
}

static void level_measure(struct dsp_level *l, const uint8_t *p, uint32_t frames)
{
	size_t samples = (size_t)frames * l->channels;

	if (l->fmt == DSP_FMT_FLOAT)
		level_float(l, p, frames);
	else if (l->lanes != 8)
		level_frames(l, p, frames);
	else if (l->fmt == DSP_FMT_S16_LE)
		level_flat(l, p, samples, DSP_FMT_S16_LE);
	else if (l->fmt == DSP_FMT_S24_4LE)
		level_flat(l, p, samples, DSP_FMT_S24_4LE);
	else
		level_flat(l, p, samples, DSP_FMT_S32_LE);
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

		level_measure(l, p, n);
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
