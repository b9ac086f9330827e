// SPDX-License-Identifier: MIT
/*
 * Mixing kernels (arithmetic described in mix.h).
 *
 * The plain C kernels, the reference, work through the samples in chunks: each accumulates
 * every source into a small accumulator on the stack, source after source, and only then
 * writes the chunk to @dst, so @dst may alias a source. The accumulating kernels (mix.h,
 * "mixing in steps") add their sources to the caller's accumulator the same way.
 */
#include <stdbool.h>

#include "dsp/kernels/mix.h"
#include "dsp/kernels/simd.h"
#include "util/compiler.h"

#define MIX_CHUNK	256u

/* An int32 accumulator holds the exact sum of up to 65536 S16 samples. */
#define MIX_S16_I32_SOURCES_MAX	65536u

/*
 * @acc_t accumulator, @src_t samples; @load reads a sample s, @store turns the sum a into a
 * sample. name##_body() mixes samples [@start, @samples) of every source into @dst;
 * MIX_ACC_BODY's name##_acc_body() adds them to an accumulator of @acc_t instead (int64 for
 * S16 too: any number of sources, over any number of calls) and name##_out_body() stores one.
 */
#define MIX_BODY(name, src_t, acc_t, load, store) \
	static DSP_ALWAYS_INLINE void name##_body(void *dstv, const void *const *srcs, \
						  uint32_t nsrc, size_t start, size_t samples) \
	{ \
		src_t *dst = dstv; \
		size_t off, i; \
		uint32_t k; \
		for (off = start; off < samples; off += MIX_CHUNK) { \
			size_t n = VADSP_MIN(samples - off, (size_t)MIX_CHUNK); \
			acc_t acc[MIX_CHUNK]; \
			for (i = 0; i < n; i++) \
				acc[i] = 0; \
			for (k = 0; k < nsrc; k++) { \
				const src_t *sp = (const src_t *)srcs[k] + off; \
				for (i = 0; i < n; i++) { \
					src_t s = sp[i]; \
					acc[i] += (load); \
				} \
			} \
			for (i = 0; i < n; i++) { \
				acc_t a = acc[i]; \
				dst[off + i] = (src_t)(store); \
			} \
		} \
	}

#define MIX_ACC_BODY(name, src_t, acc_t, load, store) \
	static DSP_ALWAYS_INLINE void name##_acc_body(void *accv, const void *const *srcs, \
						      uint32_t nsrc, size_t start, \
						      size_t samples) \
	{ \
		acc_t *acc = accv; \
		size_t i; \
		uint32_t k; \
		for (k = 0; k < nsrc; k++) { \
			const src_t *sp = srcs[k]; \
			for (i = start; i < samples; i++) { \
				src_t s = sp[i]; \
				acc[i] += (load); \
			} \
		} \
	} \
	static DSP_ALWAYS_INLINE void name##_out_body(void *dstv, const void *accv, \
						      size_t samples) \
	{ \
		const acc_t *acc = accv; \
		src_t *dst = dstv; \
		size_t i; \
		for (i = 0; i < samples; i++) { \
			acc_t a = acc[i]; \
			dst[i] = (src_t)(store); \
		} \
	}

MIX_BODY(mix_s16_i32, int16_t, int32_t, s, a > INT16_MAX ? INT16_MAX : a < INT16_MIN ? INT16_MIN : a)
MIX_BODY(mix_s16_i64, int16_t, int64_t, s, dsp_sat16(a))
MIX_BODY(mix_s24, int32_t, int64_t, dsp_s24_get(s), dsp_sat24(a))
MIX_BODY(mix_s32, int32_t, int64_t, s, dsp_sat32(a))
MIX_BODY(mix_float, float, double, s, a)
MIX_ACC_BODY(mix_s16, int16_t, int64_t, s, dsp_sat16(a))
MIX_ACC_BODY(mix_s24, int32_t, int64_t, dsp_s24_get(s), dsp_sat24(a))
MIX_ACC_BODY(mix_s32, int32_t, int64_t, s, dsp_sat32(a))
MIX_ACC_BODY(mix_float, float, double, s, a)

static DSP_ALWAYS_INLINE void mix_s16_body(void *dst, const void *const *srcs, uint32_t nsrc,
					   size_t start, size_t samples)
{
	if (nsrc <= MIX_S16_I32_SOURCES_MAX)
		mix_s16_i32_body(dst, srcs, nsrc, start, samples);
	else
		mix_s16_i64_body(dst, srcs, nsrc, start, samples);
}

#define MIX_C(name) \
	static void name##_c(void *dst, const void *const *srcs, uint32_t nsrc, size_t samples) \
	{ \
		name##_body(dst, srcs, nsrc, 0, samples); \
	} \
	static void name##_acc_c(void *acc, const void *const *srcs, uint32_t nsrc, \
				 size_t samples) \
	{ \
		name##_acc_body(acc, srcs, nsrc, 0, samples); \
	} \
	static void name##_out_c(void *dst, const void *acc, size_t samples) \
	{ \
		name##_out_body(dst, acc, samples); \
	}

MIX_C(mix_s16)
MIX_C(mix_s24)
MIX_C(mix_s32)
MIX_C(mix_float)

#if DSP_HAVE_AVX2
/*
 * AVX2 kernels, written with intrinsics: built from the bodies above, the compiler does not
 * keep the accumulator in registers across the loop over sources (it reloads and stores it
 * for every source, and for float runs most sources through a scalar loop). These hold a
 * block of MIX_BLOCK samples in 256-bit registers, add every source to them, and only then
 * store the block (as samples, or back to the caller's accumulator), so @dst may still alias
 * a source. Every sample gets the same additions as in the plain C kernel, in the same order
 * and the same accumulator type, so the results are identical. What is left after the last
 * whole block goes through the C body (built for AVX2).
 */
#include <immintrin.h>

#define MIX_BLOCK	32u
#define MIX_ACCS	8	/* 256-bit registers of 4 accumulators (int64 or double) */

static DSP_ALWAYS_INLINE __m128i mix_load128(const void *p)
{
	return _mm_loadu_si128((const __m128i *)p);
}

/* Saturate 64-bit lanes to [lo, hi]. */
DSP_TARGET_AVX2 static DSP_ALWAYS_INLINE __m256i mix_clamp64(__m256i a, __m256i lo, __m256i hi)
{
	a = _mm256_blendv_epi8(a, hi, _mm256_cmpgt_epi64(a, hi));
	return _mm256_blendv_epi8(a, lo, _mm256_cmpgt_epi64(lo, a));
}

/* The low 32 bits of the 64-bit lanes of @a then of @b: 8 int32. */
DSP_TARGET_AVX2 static DSP_ALWAYS_INLINE __m256i mix_narrow64(__m256i a, __m256i b)
{
	const __m256i even = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);

	a = _mm256_permutevar8x32_epi32(a, even);
	b = _mm256_permutevar8x32_epi32(b, even);
	return _mm256_permute2x128_si256(a, b, 0x20);
}

enum mix_int {
	MIX_S16,
	MIX_S24,
	MIX_S32,
};

/* Four samples at @p, as int64. */
DSP_TARGET_AVX2 static DSP_ALWAYS_INLINE __m256i mix_load4(const void *p, enum mix_int fmt)
{
	__m128i x;

	if (fmt == MIX_S16)
		return _mm256_cvtepi16_epi64(_mm_loadl_epi64((const __m128i *)p));
	x = mix_load128(p);
	if (fmt == MIX_S24)
		x = _mm_srai_epi32(_mm_slli_epi32(x, 8), 8);
	return _mm256_cvtepi32_epi64(x);
}

/*
 * S24 and S32 (and S16 into an accumulator): int64 accumulators, blocks [0, @whole). With
 * @acc NULL the sums start at zero and are stored to @dst saturated to [@lo, @hi]; otherwise
 * they start from @acc and go back there.
 */
DSP_TARGET_AVX2 static DSP_ALWAYS_INLINE void mix_i64_avx2(int32_t *dst, int64_t *acc,
							    const void *const *srcs, uint32_t nsrc,
							    size_t whole, enum mix_int fmt,
							    int64_t lo, int64_t hi)
{
	const __m256i vlo = _mm256_set1_epi64x(lo), vhi = _mm256_set1_epi64x(hi);
	const size_t sb = fmt == MIX_S16 ? 2 : 4;
	size_t off;
	uint32_t k;
	int j;

	for (off = 0; off < whole; off += MIX_BLOCK) {
		__m256i a[MIX_ACCS];

		for (j = 0; j < MIX_ACCS; j++)
			a[j] = acc ? _mm256_loadu_si256((const __m256i *)(acc + off + 4 * j)) :
				     _mm256_setzero_si256();
		for (k = 0; k < nsrc; k++) {
			const uint8_t *sp = (const uint8_t *)srcs[k] + off * sb;

			for (j = 0; j < MIX_ACCS; j++)
				a[j] = _mm256_add_epi64(a[j], mix_load4(sp + 4 * j * sb, fmt));
		}
		if (acc) {
			for (j = 0; j < MIX_ACCS; j++)
				_mm256_storeu_si256((__m256i *)(acc + off + 4 * j), a[j]);
			continue;
		}
		for (j = 0; j < MIX_ACCS; j += 2) {
			__m256i y = mix_narrow64(mix_clamp64(a[j], vlo, vhi),
						 mix_clamp64(a[j + 1], vlo, vhi));

			_mm256_storeu_si256((__m256i *)(dst + off + 4 * j), y);
		}
	}
}

DSP_TARGET_AVX2 static void mix_s32_avx2(void *dst, const void *const *srcs, uint32_t nsrc,
					 size_t samples)
{
	size_t whole = samples - samples % MIX_BLOCK;

	mix_i64_avx2(dst, NULL, srcs, nsrc, whole, MIX_S32, INT32_MIN, INT32_MAX);
	mix_s32_body(dst, srcs, nsrc, whole, samples);
}

DSP_TARGET_AVX2 static void mix_s24_avx2(void *dst, const void *const *srcs, uint32_t nsrc,
					 size_t samples)
{
	size_t whole = samples - samples % MIX_BLOCK;

	mix_i64_avx2(dst, NULL, srcs, nsrc, whole, MIX_S24, DSP_S24_MIN, DSP_S24_MAX);
	mix_s24_body(dst, srcs, nsrc, whole, samples);
}

#define MIX_ACC_AVX2(name, fmt) \
	DSP_TARGET_AVX2 static void name##_acc_avx2(void *acc, const void *const *srcs, \
						    uint32_t nsrc, size_t samples) \
	{ \
		size_t whole = samples - samples % MIX_BLOCK; \
		mix_i64_avx2(NULL, acc, srcs, nsrc, whole, fmt, 0, 0); \
		name##_acc_body(acc, srcs, nsrc, whole, samples); \
	}

MIX_ACC_AVX2(mix_s16, MIX_S16)
MIX_ACC_AVX2(mix_s24, MIX_S24)
MIX_ACC_AVX2(mix_s32, MIX_S32)

/*
 * S16: int32 accumulators of 8 samples (exact up to MIX_S16_I32_SOURCES_MAX sources); half as
 * many registers, so that a block is MIX_BLOCK samples as in the other formats.
 */
DSP_TARGET_AVX2 static void mix_s16_avx2(void *dstv, const void *const *srcs, uint32_t nsrc,
					 size_t samples)
{
	int16_t *dst = dstv;
	size_t off, whole = samples - samples % MIX_BLOCK;
	uint32_t k;
	int j;

	if (nsrc > MIX_S16_I32_SOURCES_MAX) {
		mix_s16_i64_body(dst, srcs, nsrc, 0, samples);
		return;
	}
	for (off = 0; off < whole; off += MIX_BLOCK) {
		__m256i a[MIX_ACCS / 2];

		for (j = 0; j < MIX_ACCS / 2; j++)
			a[j] = _mm256_setzero_si256();
		for (k = 0; k < nsrc; k++) {
			const int16_t *sp = (const int16_t *)srcs[k] + off;

			for (j = 0; j < MIX_ACCS / 2; j++) {
				__m256i x = _mm256_cvtepi16_epi32(mix_load128(sp + 8 * j));

				a[j] = _mm256_add_epi32(a[j], x);
			}
		}
		for (j = 0; j < MIX_ACCS / 2; j += 2) {
			/* packs saturates as the C kernel clamps; it interleaves the halves */
			__m256i y = _mm256_permute4x64_epi64(_mm256_packs_epi32(a[j], a[j + 1]),
							     0xd8);

			_mm256_storeu_si256((__m256i *)(dst + off + 8 * j), y);
		}
	}
	mix_s16_i32_body(dst, srcs, nsrc, whole, samples);
}

/* Float: double accumulators, blocks [0, @whole); @acc as in mix_i64_avx2(). */
DSP_TARGET_AVX2 static DSP_ALWAYS_INLINE void mix_float_blocks(float *dst, double *acc,
								const void *const *srcs,
								uint32_t nsrc, size_t whole)
{
	size_t off;
	uint32_t k;
	int j;

	for (off = 0; off < whole; off += MIX_BLOCK) {
		__m256d a[MIX_ACCS];

		for (j = 0; j < MIX_ACCS; j++)
			a[j] = acc ? _mm256_loadu_pd(acc + off + 4 * j) : _mm256_setzero_pd();
		for (k = 0; k < nsrc; k++) {
			const float *sp = (const float *)srcs[k] + off;

			for (j = 0; j < MIX_ACCS; j++) {
				__m256d x = _mm256_cvtps_pd(_mm_loadu_ps(sp + 4 * j));

				a[j] = _mm256_add_pd(a[j], x);
			}
		}
		for (j = 0; j < MIX_ACCS; j++) {
			if (acc)
				_mm256_storeu_pd(acc + off + 4 * j, a[j]);
			else
				_mm_storeu_ps(dst + off + 4 * j, _mm256_cvtpd_ps(a[j]));
		}
	}
}

DSP_TARGET_AVX2 static void mix_float_avx2(void *dst, const void *const *srcs, uint32_t nsrc,
					   size_t samples)
{
	size_t whole = samples - samples % MIX_BLOCK;

	mix_float_blocks(dst, NULL, srcs, nsrc, whole);
	mix_float_body(dst, srcs, nsrc, whole, samples);
}

/* Storing the sum, once per mixer and period: the C bodies, built for AVX2. */
#define MIX_OUT_AVX2(name) \
	DSP_TARGET_AVX2 static void name##_out_avx2(void *dst, const void *acc, size_t samples) \
	{ \
		name##_out_body(dst, acc, samples); \
	}

MIX_OUT_AVX2(mix_s16)
MIX_OUT_AVX2(mix_s24)
MIX_OUT_AVX2(mix_s32)
MIX_OUT_AVX2(mix_float)

DSP_TARGET_AVX2 static void mix_float_acc_avx2(void *acc, const void *const *srcs,
					       uint32_t nsrc, size_t samples)
{
	size_t whole = samples - samples % MIX_BLOCK;

	mix_float_blocks(NULL, acc, srcs, nsrc, whole);
	mix_float_acc_body(acc, srcs, nsrc, whole, samples);
}
#define AVX2(name)	name##_avx2
#else
#define AVX2(name)	name##_c
#endif

static const dsp_mix_fn mix_table[DSP_ISA_AVX2 + 1][DSP_FMT_COUNT] = {
	[DSP_ISA_C] = {
		[DSP_FMT_S16_LE] = mix_s16_c,
		[DSP_FMT_S24_4LE] = mix_s24_c,
		[DSP_FMT_S32_LE] = mix_s32_c,
		[DSP_FMT_FLOAT] = mix_float_c,
	},
	[DSP_ISA_AVX2] = {
		[DSP_FMT_S16_LE] = AVX2(mix_s16),
		[DSP_FMT_S24_4LE] = AVX2(mix_s24),
		[DSP_FMT_S32_LE] = AVX2(mix_s32),
		[DSP_FMT_FLOAT] = AVX2(mix_float),
	},
};

static const dsp_mix_acc_fn mix_acc_table[DSP_ISA_AVX2 + 1][DSP_FMT_COUNT] = {
	[DSP_ISA_C] = {
		[DSP_FMT_S16_LE] = mix_s16_acc_c,
		[DSP_FMT_S24_4LE] = mix_s24_acc_c,
		[DSP_FMT_S32_LE] = mix_s32_acc_c,
		[DSP_FMT_FLOAT] = mix_float_acc_c,
	},
	[DSP_ISA_AVX2] = {
		[DSP_FMT_S16_LE] = AVX2(mix_s16_acc),
		[DSP_FMT_S24_4LE] = AVX2(mix_s24_acc),
		[DSP_FMT_S32_LE] = AVX2(mix_s32_acc),
		[DSP_FMT_FLOAT] = AVX2(mix_float_acc),
	},
};

static const dsp_mix_out_fn mix_out_table[DSP_ISA_AVX2 + 1][DSP_FMT_COUNT] = {
	[DSP_ISA_C] = {
		[DSP_FMT_S16_LE] = mix_s16_out_c,
		[DSP_FMT_S24_4LE] = mix_s24_out_c,
		[DSP_FMT_S32_LE] = mix_s32_out_c,
		[DSP_FMT_FLOAT] = mix_float_out_c,
	},
	[DSP_ISA_AVX2] = {
		[DSP_FMT_S16_LE] = AVX2(mix_s16_out),
		[DSP_FMT_S24_4LE] = AVX2(mix_s24_out),
		[DSP_FMT_S32_LE] = AVX2(mix_s32_out),
		[DSP_FMT_FLOAT] = AVX2(mix_float_out),
	},
};

dsp_mix_fn dsp_mix_func_isa(uint32_t fmt, uint32_t isa)
{
	return dsp_fmt_valid(fmt) && isa < DSP_ISA_COUNT ? mix_table[dsp_isa_column(isa)][fmt] :
							 NULL;
}

dsp_mix_fn dsp_mix_func(uint32_t fmt)
{
	return dsp_mix_func_isa(fmt, dsp_isa_best());
}

dsp_mix_acc_fn dsp_mix_acc_func_isa(uint32_t fmt, uint32_t isa)
{
	return dsp_fmt_valid(fmt) && isa < DSP_ISA_COUNT ?
	       mix_acc_table[dsp_isa_column(isa)][fmt] : NULL;
}

dsp_mix_acc_fn dsp_mix_acc_func(uint32_t fmt)
{
	return dsp_mix_acc_func_isa(fmt, dsp_isa_best());
}

dsp_mix_out_fn dsp_mix_out_func_isa(uint32_t fmt, uint32_t isa)
{
	return dsp_fmt_valid(fmt) && isa < DSP_ISA_COUNT ?
	       mix_out_table[dsp_isa_column(isa)][fmt] : NULL;
}

dsp_mix_out_fn dsp_mix_out_func(uint32_t fmt)
{
	return dsp_mix_out_func_isa(fmt, dsp_isa_best());
}
