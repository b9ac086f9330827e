// SPDX-License-Identifier: MIT
/*
 * Mixing kernels (arithmetic described in mix.h).
 *
 * Each kernel works through the samples in chunks: it accumulates every source into a small
 * accumulator on the stack, source after source (sequential reads the compiler vectorises),
 * and only then writes the chunk to @dst, so @dst may alias a source.
 */
#include "dsp/kernels/mix.h"
#include "dsp/kernels/simd.h"
#include "util/compiler.h"

#define MIX_CHUNK	256u

/* An int32 accumulator holds the exact sum of up to 65536 S16 samples. */
#define MIX_S16_I32_SOURCES_MAX	65536u

/*
 * @acc_t accumulator, @src_t samples; @load reads a sample s, @store turns the sum a into a
 * sample. The first source initialises the accumulator.
 */
#define MIX_BODY(name, src_t, acc_t, load, store) \
	static DSP_ALWAYS_INLINE void name##_body(void *dstv, const void *const *srcs, \
						  uint32_t nsrc, size_t samples) \
	{ \
		src_t *dst = dstv; \
		size_t off, i; \
		uint32_t k; \
		for (off = 0; off < samples; off += MIX_CHUNK) { \
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

MIX_BODY(mix_s16_i32, int16_t, int32_t, s, a > INT16_MAX ? INT16_MAX : a < INT16_MIN ? INT16_MIN : a)
MIX_BODY(mix_s16_i64, int16_t, int64_t, s, dsp_sat16(a))
MIX_BODY(mix_s24, int32_t, int64_t, dsp_s24_get(s), dsp_sat24(a))
MIX_BODY(mix_s32, int32_t, int64_t, s, dsp_sat32(a))
MIX_BODY(mix_float, float, double, s, a)

static DSP_ALWAYS_INLINE void mix_s16_body(void *dst, const void *const *srcs, uint32_t nsrc,
					   size_t samples)
{
	if (nsrc <= MIX_S16_I32_SOURCES_MAX)
		mix_s16_i32_body(dst, srcs, nsrc, samples);
	else
		mix_s16_i64_body(dst, srcs, nsrc, samples);
}

#define MIX_VARIANTS(name) \
	static void name##_c(void *dst, const void *const *srcs, uint32_t nsrc, size_t samples) \
	{ \
		name##_body(dst, srcs, nsrc, samples); \
	} \
	MIX_VARIANT_AVX2(name)

#if DSP_HAVE_AVX2
#define MIX_VARIANT_AVX2(name) \
	DSP_TARGET_AVX2 static void name##_avx2(void *dst, const void *const *srcs, \
						uint32_t nsrc, size_t samples) \
	{ \
		name##_body(dst, srcs, nsrc, samples); \
	}
#define AVX2(name)	name##_avx2
#else
#define MIX_VARIANT_AVX2(name)
#define AVX2(name)	name##_c
#endif

MIX_VARIANTS(mix_s16)
MIX_VARIANTS(mix_s24)
MIX_VARIANTS(mix_s32)
MIX_VARIANTS(mix_float)

static const dsp_mix_fn mix_table[DSP_ISA_COUNT][DSP_FMT_COUNT] = {
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

dsp_mix_fn dsp_mix_func_isa(uint32_t fmt, uint32_t isa)
{
	return dsp_fmt_valid(fmt) && isa < DSP_ISA_COUNT ? mix_table[isa][fmt] : NULL;
}

dsp_mix_fn dsp_mix_func(uint32_t fmt)
{
	return dsp_mix_func_isa(fmt, dsp_isa_best());
}
