// SPDX-License-Identifier: MIT
/*
 * Volume kernels, ramps and dB helpers (arithmetic described in volume.h).
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "dsp/kernels/simd.h"
#include "dsp/kernels/volume.h"
#include "ipc/ipc3.h"
#include "util/compiler.h"

_Static_assert(DSP_VOL_RAMP_LINEAR == (int)IPC3_VOLUME_LINEAR, "ramp numbers");
_Static_assert(DSP_VOL_RAMP_LOG == (int)IPC3_VOLUME_LOG, "ramp numbers");
_Static_assert(DSP_VOL_RAMP_LINEAR_ZC == (int)IPC3_VOLUME_LINEAR_ZC, "ramp numbers");
_Static_assert(DSP_VOL_RAMP_LOG_ZC == (int)IPC3_VOLUME_LOG_ZC, "ramp numbers");
_Static_assert(DSP_VOL_0DB == IPC3_VOLUME_Q8_16_ONE, "0 dB");

#define VOL_RAMP_MS_MAX		60000u
#define VOL_RATE_MAX		768000u

/* ---------------------------------------------------------------------------------------- */
/* Gain kernels                                                                              */

/*
 * The kernels run over blocks of whole frames (up to DSP_GAIN_BLOCK samples) against the
 * gain pattern of struct dsp_gain, expanded once per gain change, so the inner loop is one
 * flat, vectorisable pass whatever the channel count.
 */
void dsp_gain_set(struct dsp_gain *g, uint32_t channels, const int32_t *gain)
{
	uint32_t f, c, i;

	if (!channels || channels > DSP_MAX_CHANNELS)
		channels = 1;
	g->channels = channels;
	g->frames_per_block = DSP_GAIN_BLOCK / channels;
	g->no_clip = true;
	for (c = 0; c < channels; c++)
		g->no_clip = g->no_clip && gain[c] >= 0 && gain[c] <= DSP_VOL_0DB;
	for (f = 0; f < g->frames_per_block; f++) {
		for (c = 0; c < channels; c++) {
			i = f * channels + c;
			g->q[i] = gain[c];
			g->hi[i] = gain[c] >> 16;
			g->lo[i] = gain[c] & 0xffff;
			g->f[i] = (float)gain[c] * (1.0f / (float)DSP_VOL_0DB);
		}
	}
}

/*
 * S16 in 32-bit arithmetic, exactly: with g = hi * 2^16 + lo (0 <= lo < 2^16),
 * floor((x g + 2^15) / 2^16) = x hi + floor((x lo + 2^15) / 2^16), and both terms fit.
 */
static DSP_ALWAYS_INLINE void gain_s16_body(void *dstv, const void *srcv, uint32_t frames,
					    const struct dsp_gain *g)
{
	const int16_t *src = srcv;
	int16_t *dst = dstv;
	uint32_t ch = g->channels, fpb = g->frames_per_block, i;

	while (frames) {
		uint32_t f = VADSP_MIN(frames, fpb), n = f * ch;

		for (i = 0; i < n; i++) {
			int32_t x = src[i];
			int32_t y = x * g->hi[i] + ((x * g->lo[i] + 32768) >> 16);

			dst[i] = (int16_t)(y > INT16_MAX ? INT16_MAX : y < INT16_MIN ? INT16_MIN : y);
		}
		src += n;
		dst += n;
		frames -= f;
	}
}

static DSP_ALWAYS_INLINE void gain_s24_body(void *dstv, const void *srcv, uint32_t frames,
					    const struct dsp_gain *g)
{
	const int32_t *src = srcv;
	int32_t *dst = dstv;
	uint32_t ch = g->channels, fpb = g->frames_per_block, i;

	while (frames) {
		uint32_t f = VADSP_MIN(frames, fpb), n = f * ch;

		for (i = 0; i < n; i++) {
			int64_t p = (int64_t)dsp_s24_get(src[i]) * g->q[i];

			dst[i] = dsp_sat24(dsp_shift_rnd(p, DSP_VOL_Q));
		}
		src += n;
		dst += n;
		frames -= f;
	}
}

static DSP_ALWAYS_INLINE void gain_s32_body(void *dstv, const void *srcv, uint32_t frames,
					    const struct dsp_gain *g)
{
	const int32_t *src = srcv;
	int32_t *dst = dstv;
	uint32_t ch = g->channels, fpb = g->frames_per_block, i;

	while (frames) {
		uint32_t f = VADSP_MIN(frames, fpb), n = f * ch;

		for (i = 0; i < n; i++) {
			int64_t p = (int64_t)src[i] * g->q[i];

			dst[i] = dsp_sat32(dsp_shift_rnd(p, DSP_VOL_Q));
		}
		src += n;
		dst += n;
		frames -= f;
	}
}

static DSP_ALWAYS_INLINE void gain_float_body(void *dstv, const void *srcv, uint32_t frames,
					      const struct dsp_gain *g)
{
	const float *src = srcv;
	float *dst = dstv;
	uint32_t ch = g->channels, fpb = g->frames_per_block, i;

	while (frames) {
		uint32_t f = VADSP_MIN(frames, fpb), n = f * ch;

		for (i = 0; i < n; i++)
			dst[i] = src[i] * g->f[i];
		src += n;
		dst += n;
		frames -= f;
	}
}

/*
 * Gain and accumulate (dsp_gain_acc_fn): the same sample arithmetic as the bodies above, the
 * result added to an accumulator of int64_t (integer formats) or double (FLOAT) as the mixing
 * kernels add a sample.
 */
#define GAIN_ACC_BODY(name, src_t, acc_t, expr) \
	static DSP_ALWAYS_INLINE void name##_acc_body(void *accv, const void *srcv, \
						      uint32_t frames, const struct dsp_gain *g) \
	{ \
		const src_t *src = srcv; \
		acc_t *acc = accv; \
		uint32_t ch = g->channels, fpb = g->frames_per_block, i; \
		while (frames) { \
			uint32_t f = VADSP_MIN(frames, fpb), n = f * ch; \
			for (i = 0; i < n; i++) { \
				src_t s = src[i]; \
				acc[i] += (expr); \
			} \
			src += n; \
			acc += n; \
			frames -= f; \
		} \
	}

static DSP_ALWAYS_INLINE int32_t gain_s16_one(int32_t x, int32_t hi, int32_t lo)
{
	int32_t y = x * hi + ((x * lo + 32768) >> 16);

	return y > INT16_MAX ? INT16_MAX : y < INT16_MIN ? INT16_MIN : y;
}

GAIN_ACC_BODY(gain_s16, int16_t, int64_t, gain_s16_one(s, g->hi[i], g->lo[i]))
GAIN_ACC_BODY(gain_s24, int32_t, int64_t,
	      dsp_sat24(dsp_shift_rnd((int64_t)dsp_s24_get(s) * g->q[i], DSP_VOL_Q)))
GAIN_ACC_BODY(gain_s32, int32_t, int64_t, dsp_sat32(dsp_shift_rnd((int64_t)s * g->q[i], DSP_VOL_Q)))
GAIN_ACC_BODY(gain_float, float, double, (double)(s * g->f[i]))

#define GAIN_C(name) \
	static void name##_c(void *dst, const void *src, uint32_t frames, \
			     const struct dsp_gain *g) \
	{ \
		name##_body(dst, src, frames, g); \
	} \
	static void name##_acc_c(void *acc, const void *src, uint32_t frames, \
				 const struct dsp_gain *g) \
	{ \
		name##_acc_body(acc, src, frames, g); \
	}

GAIN_C(gain_s16)
GAIN_C(gain_s24)
GAIN_C(gain_s32)
GAIN_C(gain_float)

#if DSP_HAVE_AVX2
/*
 * AVX2 builds. S16 and FLOAT are the C bodies compiled for AVX2 (the compiler vectorises
 * them). S24 and S32 need 64-bit products, which the compiler builds from scalar multiplies;
 * they are written with intrinsics instead: _mm256_mul_epi32 forms the exact 64-bit products
 * of the even 32-bit lanes, and of the odd ones after a shift, and the rounding, saturation and
 * shift are done on those as the C body does them (see gain_i32x8()), so the results are
 * identical.
 */
#include <immintrin.h>

DSP_TARGET_AVX2 static void gain_s16_avx2(void *dst, const void *src, uint32_t frames,
					  const struct dsp_gain *g)
{
	gain_s16_body(dst, src, frames, g);
}

DSP_TARGET_AVX2 static void gain_float_avx2(void *dst, const void *src, uint32_t frames,
					    const struct dsp_gain *g)
{
	gain_float_body(dst, src, frames, g);
}

DSP_TARGET_AVX2 static void gain_s16_acc_avx2(void *acc, const void *src, uint32_t frames,
					      const struct dsp_gain *g)
{
	gain_s16_acc_body(acc, src, frames, g);
}

/*
 * Where 8 is a multiple of the channel count, every group of 8 samples from the start has
 * the pattern's first 8 gains: the kernels below then load them once for the whole call
 * instead of walking the pattern block by block.
 */
static DSP_ALWAYS_INLINE bool gain_vec8(const struct dsp_gain *g)
{
	return (0x116u >> g->channels) & 1;	/* 1, 2, 4 or 8 (not a division) */
}

/* Eight float samples at @i times @gv, added to the accumulator as the mixer adds them. */
DSP_TARGET_AVX2 static DSP_ALWAYS_INLINE void gain_float_acc8(double *acc, const float *src,
							       __m256 gv)
{
	__m256 y = _mm256_mul_ps(_mm256_loadu_ps(src), gv);
	__m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(y));
	__m256d hi = _mm256_cvtps_pd(_mm256_extractf128_ps(y, 1));

	lo = _mm256_add_pd(_mm256_loadu_pd(acc), lo);
	hi = _mm256_add_pd(_mm256_loadu_pd(acc + 4), hi);
	_mm256_storeu_pd(acc, lo);
	_mm256_storeu_pd(acc + 4, hi);
}

/* Float, a pattern that does not repeat every 8 samples: block by block. */
DSP_TARGET_AVX2 static __attribute__((noinline)) void gain_float_acc_blocks(double *acc,
									     const float *src,
									     uint32_t frames,
									     const struct dsp_gain *g)
{
	uint32_t ch = g->channels, fpb = g->frames_per_block, i;

	while (frames) {
		uint32_t f = VADSP_MIN(frames, fpb), n = f * ch;

		for (i = 0; i + 8 <= n; i += 8)
			gain_float_acc8(acc + i, src + i, _mm256_load_ps(g->f + i));
		for (; i < n; i++)
			acc[i] += (double)(src[i] * g->f[i]);
		src += n;
		acc += n;
		frames -= f;
	}
}

/*
 * Float: the products as the gain kernel rounds them, widened and added as the mixer adds.
 * The common patterns (1, 2, 4 or 8 channels) take a short path, 16 samples a turn.
 */
DSP_TARGET_AVX2 static void gain_float_acc_avx2(void *accv, const void *srcv, uint32_t frames,
						const struct dsp_gain *g)
{
	const float *src = srcv;
	double *acc = accv;
	uint32_t n = frames * g->channels, i;
	__m256 gv;

	if (!gain_vec8(g)) {
		gain_float_acc_blocks(acc, src, frames, g);
		return;
	}
	gv = _mm256_load_ps(g->f);
	for (i = 0; i + 16 <= n; i += 16) {
		gain_float_acc8(acc + i, src + i, gv);
		gain_float_acc8(acc + i + 8, src + i + 8, gv);
	}
	if (i + 8 <= n) {
		gain_float_acc8(acc + i, src + i, gv);
		i += 8;
	}
	for (; i < n; i++)
		acc[i] += (double)(src[i] * g->f[i % 8]);
}

/*
 * Eight samples @x times eight Q8.16 gains @q: floor((x q + 2^15) / 2^16) saturated to
 * [@lo, @hi] / 2^16. With p = x q + 2^15 (exact in 64 bits) clamped to [@lo, @hi] (the
 * range's ends times 2^16, plus 0xffff at the top), bits 16..47 of p are the result. With
 * @clip false (every gain in [0, 0 dB]) |x q| <= |x| 2^16 and nothing can need clamping.
 */
DSP_TARGET_AVX2 static DSP_ALWAYS_INLINE __m256i gain_i32x8(__m256i x, __m256i q, __m256i lo,
							    __m256i hi, bool clip)
{
	const __m256i half = _mm256_set1_epi64x(1 << 15);
	__m256i pe = _mm256_add_epi64(_mm256_mul_epi32(x, q), half);
	__m256i po = _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(x, 32),
						       _mm256_srli_epi64(q, 32)), half);

	if (clip) {
		pe = _mm256_blendv_epi8(pe, hi, _mm256_cmpgt_epi64(pe, hi));
		pe = _mm256_blendv_epi8(pe, lo, _mm256_cmpgt_epi64(lo, pe));
		po = _mm256_blendv_epi8(po, hi, _mm256_cmpgt_epi64(po, hi));
		po = _mm256_blendv_epi8(po, lo, _mm256_cmpgt_epi64(lo, po));
	}
	return _mm256_blend_epi32(_mm256_srli_epi64(pe, 16), _mm256_slli_epi64(po, 16), 0xaa);
}

/*
 * Eight S32 or S24 samples at @src (@s24: sign-extended from their low 24 bits first) times
 * the gains @q: stored to @dst, or with @acc added to it (int64) instead.
 */
DSP_TARGET_AVX2 static DSP_ALWAYS_INLINE void gain_i32_8(int32_t *dst, int64_t *acc,
							  const int32_t *src, __m256i q,
							  __m256i lo, __m256i hi, bool s24,
							  bool clip)
{
	__m256i x = _mm256_loadu_si256((const __m256i *)src), y, y0, y1;

	if (s24)
		x = _mm256_srai_epi32(_mm256_slli_epi32(x, 8), 8);
	y = gain_i32x8(x, q, lo, hi, clip);
	if (!acc) {
		_mm256_storeu_si256((__m256i *)dst, y);
		return;
	}
	y0 = _mm256_cvtepi32_epi64(_mm256_castsi256_si128(y));
	y1 = _mm256_cvtepi32_epi64(_mm256_extracti128_si256(y, 1));
	y0 = _mm256_add_epi64(_mm256_loadu_si256((const __m256i *)acc), y0);
	y1 = _mm256_add_epi64(_mm256_loadu_si256((const __m256i *)(acc + 4)), y1);
	_mm256_storeu_si256((__m256i *)acc, y0);
	_mm256_storeu_si256((__m256i *)(acc + 4), y1);
}

/*
 * Eight samples added to the accumulator when no gain can saturate (every gain in [0, 0 dB]):
 * the samples widened to 64-bit lanes first, so the products come out in sample order. With
 * |x q| <= 2^47, p = x q + 2^15 + 2^47 is not negative and p >> 16 (a logical shift) is the
 * C body's result plus 2^31. @q0 and @q1: the first and last four gains, widened the same way.
 */
DSP_TARGET_AVX2 static DSP_ALWAYS_INLINE void gain_i32_acc8(int64_t *acc, const int32_t *src,
							     __m256i q0, __m256i q1, bool s24)
{
	const __m256i bias = _mm256_set1_epi64x((1ll << 15) + (1ll << 47));
	const __m256i off = _mm256_set1_epi64x(1ll << 31);
	__m128i xl = _mm_loadu_si128((const __m128i *)src);
	__m128i xh = _mm_loadu_si128((const __m128i *)(src + 4));
	__m256i y0, y1;

	if (s24) {
		xl = _mm_srai_epi32(_mm_slli_epi32(xl, 8), 8);
		xh = _mm_srai_epi32(_mm_slli_epi32(xh, 8), 8);
	}
	y0 = _mm256_add_epi64(_mm256_mul_epi32(_mm256_cvtepi32_epi64(xl), q0), bias);
	y1 = _mm256_add_epi64(_mm256_mul_epi32(_mm256_cvtepi32_epi64(xh), q1), bias);
	y0 = _mm256_sub_epi64(_mm256_srli_epi64(y0, 16), off);
	y1 = _mm256_sub_epi64(_mm256_srli_epi64(y1, 16), off);
	_mm256_storeu_si256((__m256i *)acc,
			    _mm256_add_epi64(_mm256_loadu_si256((const __m256i *)acc), y0));
	_mm256_storeu_si256((__m256i *)(acc + 4),
			    _mm256_add_epi64(_mm256_loadu_si256((const __m256i *)(acc + 4)), y1));
}

/* One sample, as gain_i32_8() does it, with the C body's arithmetic. */
static DSP_ALWAYS_INLINE void gain_i32_1(int32_t *dst, int64_t *acc, int32_t s, int32_t q,
					 bool s24)
{
	const int64_t min = s24 ? DSP_S24_MIN : INT32_MIN, max = s24 ? DSP_S24_MAX : INT32_MAX;
	int64_t x = s24 ? dsp_s24_get(s) : s;
	int64_t y = dsp_shift_rnd(x * q, DSP_VOL_Q);

	y = y > max ? max : y < min ? min : y;
	if (acc)
		*acc += y;
	else
		*dst = (int32_t)y;
}

/*
 * S32 and S24 (@s24: inputs sign-extended from their low 24 bits, results saturated to 24).
 * With @acc the results are added to it (int64) instead of being stored to @dstv. The
 * common patterns (1, 2, 4 or 8 channels: gain_vec8()) take a short path, 16 samples a turn;
 * the others go block by block (gain_i32_blocks()).
 */
DSP_TARGET_AVX2 static DSP_ALWAYS_INLINE void gain_i32_vec8(int32_t *dst, int64_t *acc,
							     const int32_t *src, uint32_t frames,
							     const struct dsp_gain *g, bool s24,
							     bool clip)
{
	const int64_t min = s24 ? DSP_S24_MIN : INT32_MIN, max = s24 ? DSP_S24_MAX : INT32_MAX;
	const __m256i lo = _mm256_set1_epi64x(min * 65536);
	const __m256i hi = _mm256_set1_epi64x(max * 65536 + 0xffff);
	const __m256i q = _mm256_loadu_si256((const __m256i *)g->q);
	uint32_t n = frames * g->channels, i;

	if (acc && !clip) {
		const __m256i q0 = _mm256_cvtepi32_epi64(_mm256_castsi256_si128(q));
		const __m256i q1 = _mm256_cvtepi32_epi64(_mm256_extracti128_si256(q, 1));

		for (i = 0; i + 16 <= n; i += 16) {
			gain_i32_acc8(acc + i, src + i, q0, q1, s24);
			gain_i32_acc8(acc + i + 8, src + i + 8, q0, q1, s24);
		}
		if (i + 8 <= n) {
			gain_i32_acc8(acc + i, src + i, q0, q1, s24);
			i += 8;
		}
		for (; i < n; i++)
			gain_i32_1(NULL, acc + i, src[i], g->q[i % 8], s24);
		return;
	}
	for (i = 0; i + 16 <= n; i += 16) {
		gain_i32_8(dst ? dst + i : NULL, acc ? acc + i : NULL, src + i, q, lo, hi, s24, clip);
		gain_i32_8(dst ? dst + i + 8 : NULL, acc ? acc + i + 8 : NULL, src + i + 8, q, lo, hi,
			   s24, clip);
	}
	if (i + 8 <= n) {
		gain_i32_8(dst ? dst + i : NULL, acc ? acc + i : NULL, src + i, q, lo, hi, s24, clip);
		i += 8;
	}
	for (; i < n; i++)
		gain_i32_1(dst ? dst + i : NULL, acc ? acc + i : NULL, src[i], g->q[i % 8], s24);
}

DSP_TARGET_AVX2 static __attribute__((noinline)) void gain_i32_blocks(int32_t *dst,
								       int64_t *acc,
								       const int32_t *src,
								       uint32_t frames,
								       const struct dsp_gain *g,
								       bool s24)
{
	const int64_t min = s24 ? DSP_S24_MIN : INT32_MIN, max = s24 ? DSP_S24_MAX : INT32_MAX;
	const __m256i lo = _mm256_set1_epi64x(min * 65536);
	const __m256i hi = _mm256_set1_epi64x(max * 65536 + 0xffff);
	const bool clip = true;
	uint32_t ch = g->channels, fpb = g->frames_per_block, i;

	while (frames) {
		uint32_t f = VADSP_MIN(frames, fpb), n = f * ch;

		for (i = 0; i + 8 <= n; i += 8) {
			__m256i q = _mm256_loadu_si256((const __m256i *)(g->q + i));

			gain_i32_8(dst ? dst + i : NULL, acc ? acc + i : NULL, src + i, q, lo, hi,
				   s24, clip);
		}
		for (; i < n; i++)
			gain_i32_1(dst ? dst + i : NULL, acc ? acc + i : NULL, src[i], g->q[i], s24);
		src += n;
		if (acc)
			acc += n;
		else
			dst += n;
		frames -= f;
	}
}

/* The kernels: the short path without the clamping when no gain can saturate a result. */
#define GAIN_I32_AVX2(name, acc_t, s24) \
	DSP_TARGET_AVX2 static void name(void *out, const void *src, uint32_t frames, \
					 const struct dsp_gain *g) \
	{ \
		int32_t *dst = acc_t ? NULL : out; \
		int64_t *acc = acc_t ? out : NULL; \
		if (!gain_vec8(g)) \
			gain_i32_blocks(dst, acc, src, frames, g, s24); \
		else if (g->no_clip) \
			gain_i32_vec8(dst, acc, src, frames, g, s24, false); \
		else \
			gain_i32_vec8(dst, acc, src, frames, g, s24, true); \
	}

GAIN_I32_AVX2(gain_s32_avx2, false, false)
GAIN_I32_AVX2(gain_s24_avx2, false, true)
GAIN_I32_AVX2(gain_s32_acc_avx2, true, false)
GAIN_I32_AVX2(gain_s24_acc_avx2, true, true)

/*
 * AVX-512 builds of gain-and-accumulate, for the common patterns (gain_vec8(); the others
 * take the AVX2 build): eight samples at a time in 512-bit registers. Float: eight products
 * widened to double in one instruction. S32 and S24: the samples widened to 64-bit lanes,
 * multiplied (exact), the C body's floor((x q + 2^15) / 2^16) by an arithmetic 64-bit shift,
 * clamped first when a gain could saturate; the results are in sample order.
 */
DSP_TARGET_AVX512 static void gain_float_acc_avx512(void *accv, const void *srcv,
						    uint32_t frames, const struct dsp_gain *g)
{
	const float *src = srcv;
	double *acc = accv;
	uint32_t n = frames * g->channels, i;
	__m256 gv;

	if (!gain_vec8(g)) {
		gain_float_acc_avx2(accv, srcv, frames, g);
		return;
	}
	gv = _mm256_load_ps(g->f);
	for (i = 0; i + 8 <= n; i += 8) {
		__m256 y = _mm256_mul_ps(_mm256_loadu_ps(src + i), gv);

		_mm512_storeu_pd(acc + i, _mm512_add_pd(_mm512_loadu_pd(acc + i),
							_mm512_cvtps_pd(y)));
	}
	for (; i < n; i++)
		acc[i] += (double)(src[i] * g->f[i % 8]);
}

DSP_TARGET_AVX512 static DSP_ALWAYS_INLINE void gain_i32_acc_avx512(int64_t *acc,
								     const int32_t *src,
								     uint32_t frames,
								     const struct dsp_gain *g,
								     bool s24, bool clip)
{
	const int64_t min = s24 ? DSP_S24_MIN : INT32_MIN, max = s24 ? DSP_S24_MAX : INT32_MAX;
	const __m512i lo = _mm512_set1_epi64(min * 65536);
	const __m512i hi = _mm512_set1_epi64(max * 65536 + 0xffff);
	const __m512i half = _mm512_set1_epi64(1 << 15);
	const __m512i q = _mm512_cvtepi32_epi64(_mm256_loadu_si256((const __m256i *)g->q));
	uint32_t n = frames * g->channels, i;

	for (i = 0; i + 8 <= n; i += 8) {
		__m256i x = _mm256_loadu_si256((const __m256i *)(src + i));
		__m512i p;

		if (s24)
			x = _mm256_srai_epi32(_mm256_slli_epi32(x, 8), 8);
		p = _mm512_add_epi64(_mm512_mul_epi32(_mm512_cvtepi32_epi64(x), q), half);
		if (clip)
			p = _mm512_min_epi64(_mm512_max_epi64(p, lo), hi);
		_mm512_storeu_si512(acc + i, _mm512_add_epi64(_mm512_loadu_si512(acc + i),
							      _mm512_srai_epi64(p, 16)));
	}
	for (; i < n; i++)
		gain_i32_1(NULL, acc + i, src[i], g->q[i % 8], s24);
}

#define GAIN_I32_ACC_AVX512(name, s24) \
	DSP_TARGET_AVX512 static void name##_acc_avx512(void *acc, const void *src, \
							uint32_t frames, \
							const struct dsp_gain *g) \
	{ \
		if (!gain_vec8(g)) \
			name##_acc_avx2(acc, src, frames, g); \
		else if (g->no_clip) \
			gain_i32_acc_avx512(acc, src, frames, g, s24, false); \
		else \
			gain_i32_acc_avx512(acc, src, frames, g, s24, true); \
	}

GAIN_I32_ACC_AVX512(gain_s32, false)
GAIN_I32_ACC_AVX512(gain_s24, true)
#define AVX512(name)	name##_avx512
#define AVX2(name)	name##_avx2
#else
#define AVX2(name)	name##_c
#define AVX512(name)	name##_c
#endif

static const dsp_gain_fn gain_table[DSP_ISA_AVX2 + 1][DSP_FMT_COUNT] = {
	[DSP_ISA_C] = {
		[DSP_FMT_S16_LE] = gain_s16_c,
		[DSP_FMT_S24_4LE] = gain_s24_c,
		[DSP_FMT_S32_LE] = gain_s32_c,
		[DSP_FMT_FLOAT] = gain_float_c,
	},
	[DSP_ISA_AVX2] = {
		[DSP_FMT_S16_LE] = AVX2(gain_s16),
		[DSP_FMT_S24_4LE] = AVX2(gain_s24),
		[DSP_FMT_S32_LE] = AVX2(gain_s32),
		[DSP_FMT_FLOAT] = AVX2(gain_float),
	},
};

static const dsp_gain_acc_fn gain_acc_table[DSP_ISA_COUNT][DSP_FMT_COUNT] = {
	[DSP_ISA_C] = {
		[DSP_FMT_S16_LE] = gain_s16_acc_c,
		[DSP_FMT_S24_4LE] = gain_s24_acc_c,
		[DSP_FMT_S32_LE] = gain_s32_acc_c,
		[DSP_FMT_FLOAT] = gain_float_acc_c,
	},
	[DSP_ISA_AVX2] = {
		[DSP_FMT_S16_LE] = AVX2(gain_s16_acc),
		[DSP_FMT_S24_4LE] = AVX2(gain_s24_acc),
		[DSP_FMT_S32_LE] = AVX2(gain_s32_acc),
		[DSP_FMT_FLOAT] = AVX2(gain_float_acc),
	},
	[DSP_ISA_AVX512] = {
		[DSP_FMT_S16_LE] = AVX2(gain_s16_acc),
		[DSP_FMT_S24_4LE] = AVX512(gain_s24_acc),
		[DSP_FMT_S32_LE] = AVX512(gain_s32_acc),
		[DSP_FMT_FLOAT] = AVX512(gain_float_acc),
	},
};

dsp_gain_acc_fn dsp_gain_acc_func_isa(uint32_t fmt, uint32_t isa)
{
	return dsp_fmt_valid(fmt) && isa < DSP_ISA_COUNT ? gain_acc_table[isa][fmt] : NULL;
}

dsp_gain_acc_fn dsp_gain_acc_func(uint32_t fmt)
{
	return dsp_gain_acc_func_isa(fmt, dsp_isa_best());
}

dsp_gain_fn dsp_gain_func_isa(uint32_t fmt, uint32_t isa)
{
	return dsp_fmt_valid(fmt) && isa < DSP_ISA_COUNT ? gain_table[dsp_isa_column(isa)][fmt] :
							 NULL;
}

dsp_gain_fn dsp_gain_func(uint32_t fmt)
{
	return dsp_gain_func_isa(fmt, dsp_isa_best());
}

/* ---------------------------------------------------------------------------------------- */
/* Ramps                                                                                     */

static bool ramp_is_log(const struct dsp_vol *v)
{
	return v->ramp_type == DSP_VOL_RAMP_LOG || v->ramp_type == DSP_VOL_RAMP_LOG_ZC;
}

static bool ramp_is_zc(const struct dsp_vol *v)
{
	return v->ramp_type == DSP_VOL_RAMP_LINEAR_ZC || v->ramp_type == DSP_VOL_RAMP_LOG_ZC;
}

static int32_t clamp_gain(int32_t g)
{
	return g < 0 ? 0 : g > DSP_VOL_MAX ? DSP_VOL_MAX : g;
}

/* log2 of a gain for the LOG ramp, with silence raised to the floor. */
static double log_gain(int32_t g)
{
	static const double floor_log2 = DSP_VOL_LOG_FLOOR_DB / 20.0 * 3.321928094887362 + 16.0;
	double l = g > 0 ? log2((double)g) : floor_log2;

	return l < floor_log2 ? floor_log2 : l;
}

/*
 * After cur[] changed: whether a ramp still runs, what the steady state does, and the gain
 * pattern for cur[] (expanded here, so the period path never checks it).
 */
static void cur_changed(struct dsp_vol *v)
{
	bool unity = true, silent = true;
	uint32_t c;

	v->ramping = false;
	for (c = 0; c < v->channels; c++) {
		if (v->cur[c] != v->target[c])
			v->ramping = true;
		unity = unity && v->cur[c] == DSP_VOL_0DB;
		silent = silent && v->cur[c] == 0;
	}
	v->steady = silent ? DSP_VOL_SILENT : unity ? DSP_VOL_UNITY : DSP_VOL_GAIN;
	if (v->channels)
		dsp_gain_set(&v->gain, v->channels, v->cur);
}

/*
 * Restart the ramp clock: every channel ramps from where it is now. @constant_rate: a
 * control change (SOF's constant-rate ramp) rather than the stream-start ramp.
 */
static void ramp_restart(struct dsp_vol *v, bool constant_rate)
{
	uint32_t c;

	v->elapsed = 0;
	if (!v->channels)
		return;
	if (v->ramp_ms == 0) {
		for (c = 0; c < DSP_MAX_CHANNELS; c++)
			v->cur[c] = v->target[c];
		cur_changed(v);
		return;
	}
	v->log_frames = (uint32_t)((uint64_t)v->ramp_ms * v->rate / 1000u);
	if (!v->log_frames)
		v->log_frames = 1;
	for (c = 0; c < v->channels; c++) {
		int32_t delta = v->target[c] - v->cur[c];
		int32_t mag = delta < 0 ? -delta : delta;
		int32_t coef;

		v->start[c] = v->cur[c];
		v->log_start[c] = log_gain(v->cur[c]);
		v->log_end[c] = log_gain(v->target[c]);

		/* SOF's slope: per ms rounded, then per 1/8 ms rounded, at least 1. */
		coef = constant_rate && v->ramp_range > 0 ? v->ramp_range : mag;
		coef = (int32_t)(((int64_t)2 * coef / v->ramp_ms + 1) >> 1);
		coef = ((coef >> 2) + 1) >> 1;
		if (coef < 1)
			coef = 1;
		v->slope[c] = delta < 0 ? -coef : coef;
	}
	cur_changed(v);
}

/* New gains at a block boundary, from the frames elapsed since the ramp started. */
static void ramp_update(struct dsp_vol *v)
{
	uint32_t c;

	if (ramp_is_log(v)) {
		double x = (double)v->elapsed / v->log_frames;

		for (c = 0; c < v->channels; c++) {
			double l;

			if (v->cur[c] == v->target[c])
				continue;
			if (x >= 1.0) {
				v->cur[c] = v->target[c];
				continue;
			}
			l = v->log_start[c] + (v->log_end[c] - v->log_start[c]) * x;
			v->cur[c] = clamp_gain((int32_t)lrint(exp2(l)));
		}
	} else {
		/* SOF: ramp time in 1/8 ms, truncated; gain = start + time * slope. */
		int64_t t8 = (int64_t)(v->elapsed * 8000u / v->rate);

		for (c = 0; c < v->channels; c++) {
			int64_t g;

			if (v->cur[c] == v->target[c])
				continue;
			g = v->start[c] + t8 * v->slope[c];
			if (v->slope[c] > 0) {
				if (g >= v->target[c] || g >= v->vol_max)
					g = v->target[c];
			} else {
				if (g <= 0 || g <= v->target[c] || g <= v->vol_min)
					g = v->target[c];
			}
			v->cur[c] = (int32_t)g;
		}
	}
	cur_changed(v);
}

/* True if the channel sum of frame @f is negative (SOF's zero-crossing test). */
static bool frame_negative(const struct dsp_vol *v, const void *src, uint32_t f)
{
	uint32_t n = v->channels, c;
	int64_t sum = 0;
	double fsum = 0;

	switch (v->fmt) {
	case DSP_FMT_S16_LE:
		for (c = 0; c < n; c++)
			sum += ((const int16_t *)src)[(size_t)f * n + c];
		return sum < 0;
	case DSP_FMT_S24_4LE:
		for (c = 0; c < n; c++)
			sum += dsp_s24_get(((const int32_t *)src)[(size_t)f * n + c]);
		return sum < 0;
	case DSP_FMT_S32_LE:
		for (c = 0; c < n; c++)
			sum += ((const int32_t *)src)[(size_t)f * n + c];
		return sum < 0;
	default:
		for (c = 0; c < n; c++)
			fsum += ((const float *)src)[(size_t)f * n + c];
		return fsum < 0;
	}
}

/*
 * Frames to process before the last zero crossing in the first @n frames of @src, or 0 if
 * there is none: the k in [1, n) with the largest k where frames k-1 and k differ in sign.
 */
static uint32_t last_zero_crossing(const struct dsp_vol *v, const void *src, uint32_t n)
{
	bool neg;
	uint32_t k;

	if (n < 2)
		return 0;
	neg = frame_negative(v, src, n - 1);
	for (k = n - 1; k > 0; k--) {
		bool prev = frame_negative(v, src, k - 1);

		if (prev != neg)
			return k;
		neg = prev;
	}
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Component state                                                                           */

int dsp_vol_init(struct dsp_vol *v, uint32_t ramp_type, uint32_t ramp_ms, int32_t min_value,
		 int32_t max_value)
{
	uint32_t c;
	int32_t initial;

	if (ramp_type > DSP_VOL_RAMP_LOG_ZC || ramp_ms > VOL_RAMP_MS_MAX)
		return -EINVAL;
	*v = (struct dsp_vol){ .ramp_type = ramp_type, .ramp_ms = ramp_ms };
	if (min_value || max_value) {
		v->vol_min = min_value < 0 ? 0 : min_value;
		v->vol_max = max_value > DSP_VOL_MAX ? DSP_VOL_MAX : max_value;
		if (v->vol_min > v->vol_max)
			return -EINVAL;
		v->ramp_range = v->vol_max - v->vol_min;
	} else {
		v->vol_min = 0;
		v->vol_max = DSP_VOL_MAX;
		v->ramp_range = 0;
	}
	initial = VADSP_MAX(VADSP_MIN(v->vol_max, DSP_VOL_0DB), v->vol_min);
	for (c = 0; c < DSP_MAX_CHANNELS; c++) {
		v->cur[c] = initial;
		v->target[c] = initial;
		v->start[c] = initial;
		v->unmuted[c] = initial;
	}
	return 0;
}

int dsp_vol_prepare(struct dsp_vol *v, uint32_t fmt, uint32_t channels, uint32_t rate)
{
	uint32_t us, c;

	if (!dsp_fmt_valid(fmt) || !channels || channels > DSP_MAX_CHANNELS || !rate ||
	    rate > VOL_RATE_MAX)
		return -EINVAL;
	v->gain_fn = dsp_gain_func(fmt);
	v->copy_fn = dsp_convert_func(fmt, fmt);
	v->gain_acc_fn = dsp_gain_acc_func(fmt);
	v->add_fn = dsp_mix_acc_func(fmt);
	v->fmt = fmt;
	v->channels = channels;
	v->rate = rate;

	/* SOF's ramp update period for the ramp length. */
	if (v->ramp_ms < 32)
		us = 125;
	else if (v->ramp_ms < 64)
		us = 250;
	else if (v->ramp_ms < 128)
		us = 500;
	else
		us = 1000;
	v->update_frames = (uint32_t)((uint64_t)rate * us / 1000000u);
	if (!v->update_frames)
		v->update_frames = 1;
	v->block_left = v->update_frames;

	for (c = 0; c < DSP_MAX_CHANNELS; c++)
		v->cur[c] = v->target[c];
	v->elapsed = 0;
	cur_changed(v);
	return 0;
}

void dsp_vol_start(struct dsp_vol *v)
{
	uint32_t c;

	if (!v->channels)
		return;
	for (c = 0; c < v->channels; c++)
		v->cur[c] = v->vol_min;
	v->block_left = v->update_frames;
	ramp_restart(v, false);
}

int dsp_vol_set(struct dsp_vol *v, uint32_t channel, int32_t gain)
{
	if (channel >= DSP_MAX_CHANNELS)
		return -EINVAL;
	gain = clamp_gain(gain);
	if (v->muted[channel]) {
		v->unmuted[channel] = gain;
		return 0;
	}
	v->unmuted[channel] = gain;
	v->target[channel] = gain;
	if (!v->channels || channel >= v->channels) {
		v->cur[channel] = gain;
		cur_changed(v);
		return 0;
	}
	ramp_restart(v, true);
	return 0;
}

int dsp_vol_set_mute(struct dsp_vol *v, uint32_t channel, bool mute)
{
	if (channel >= DSP_MAX_CHANNELS)
		return -EINVAL;
	if (mute == v->muted[channel])
		return 0;
	v->muted[channel] = mute;
	v->target[channel] = mute ? 0 : v->unmuted[channel];
	if (!v->channels || channel >= v->channels) {
		v->cur[channel] = v->target[channel];
		cur_changed(v);
		return 0;
	}
	ramp_restart(v, true);
	return 0;
}

int32_t dsp_vol_get_target(const struct dsp_vol *v, uint32_t channel)
{
	return channel < DSP_MAX_CHANNELS ? v->unmuted[channel] : 0;
}

int32_t dsp_vol_get_current(const struct dsp_vol *v, uint32_t channel)
{
	return channel < DSP_MAX_CHANNELS ? v->cur[channel] : 0;
}

bool dsp_vol_get_mute(const struct dsp_vol *v, uint32_t channel)
{
	return channel < DSP_MAX_CHANNELS && v->muted[channel];
}

bool dsp_vol_ramping(const struct dsp_vol *v)
{
	return v->ramping;
}

/* Apply the current gains to @frames frames. */
static void vol_apply(struct dsp_vol *v, void *dst, const void *src, uint32_t frames)
{
	v->gain_fn(dst, src, frames, &v->gain);
}

/* Steady state: a copy at 0 dB, silence at 0, else the gain kernel. */
static void vol_steady(struct dsp_vol *v, void *dst, const void *src, uint32_t frames)
{
	size_t samples = (size_t)frames * v->channels;

	if (v->steady == DSP_VOL_SILENT)
		dsp_silence(dst, v->fmt, samples);
	else if (v->steady == DSP_VOL_UNITY)
		v->copy_fn(dst, src, samples);	/* S24 is normalised as the kernel would */
	else
		vol_apply(v, dst, src, frames);
}

void dsp_vol_process(struct dsp_vol *v, void *dst, const void *src, uint32_t frames)
{
	size_t frame_bytes = dsp_fmt_frame_bytes(v->fmt, v->channels);
	const char *in = src;
	char *out = dst;

	while (frames) {
		uint32_t n, zc;
		bool block_end;

		if (!v->ramping) {
			vol_steady(v, out, in, frames);
			return;
		}
		n = VADSP_MIN(frames, v->block_left);
		block_end = n == v->block_left;
		if (ramp_is_zc(v)) {
			zc = last_zero_crossing(v, in, n);
			if (zc) {
				n = zc;
				block_end = true;
			}
		}
		vol_apply(v, out, in, n);
		in += n * frame_bytes;
		out += n * frame_bytes;
		frames -= n;
		v->elapsed += n;
		v->block_left -= n;
		if (block_end) {
			v->block_left = v->update_frames;
			ramp_update(v);
		}
	}
}

/* ---------------------------------------------------------------------------------------- */
/* dB helpers                                                                                */

#define TLV_Q				16
#define TLV_TWENTIETH_ROOT_OF_TEN	73533u	/* 10^(1/20) in Q16 */
#define TLV_FORTIETH_ROOT_OF_TEN	69419u	/* 10^(1/40) in Q16 */
#define TLV_HALF_DB_STEP		50

/* Drop @bits fractional bits of an unsigned product, rounding halves up; 32-bit result. */
static uint32_t tlv_round_shift(uint64_t x, unsigned int bits)
{
	return (uint32_t)(((x >> (bits - 1)) + 1) >> 1);
}

/* 10^(db/20) in Q16 by repeated multiplication, as the Linux SOF driver computes it. */
static uint32_t tlv_pow(int32_t db)
{
	uint32_t p = 1u << TLV_Q;
	uint32_t n = db < 0 ? (uint32_t)-(int64_t)db : (uint32_t)db;
	uint32_t i;

	/* Beyond +/-200 dB the 32-bit value has long overflowed or reached 0; stop there. */
	if (n > 200)
		n = 200;
	for (i = 0; i < n; i++)
		p = tlv_round_shift((uint64_t)p * TLV_TWENTIETH_ROOT_OF_TEN, TLV_Q);
	if (db >= 0)
		return p;
	if (!p)
		return 0;
	return (uint32_t)((1ull << (2 * TLV_Q)) / p);
}

uint32_t dsp_vol_tlv_gain(uint32_t value, int32_t min_cdb, int32_t step_cdb, bool mute)
{
	int64_t db;
	uint32_t gain;

	if (value == 0 && mute)
		return 0;
	db = (int64_t)(min_cdb / 100) + (int64_t)value * step_cdb / 100;
	if (db > INT32_MAX)
		db = INT32_MAX;
	if (db < INT32_MIN)
		db = INT32_MIN;
	gain = tlv_pow((int32_t)db);
	/* The driver's test for a 0.5 dB step is step - step / 100 == 50. */
	if (step_cdb - step_cdb / 100 == TLV_HALF_DB_STEP && (value & 1))
		gain = tlv_round_shift((uint64_t)gain * TLV_FORTIETH_ROOT_OF_TEN, TLV_Q);
	return gain;
}

int32_t dsp_vol_db_to_gain(double db)
{
	double g;

	if (db != db)
		return 0;
	g = 65536.0 * pow(10.0, db / 20.0);
	if (g >= DSP_VOL_MAX)
		return DSP_VOL_MAX;
	return (int32_t)(g + 0.5);
}

double dsp_vol_gain_to_db(int32_t gain)
{
	if (gain <= 0)
		return -INFINITY;
	return 20.0 * log10((double)gain / 65536.0);
}
