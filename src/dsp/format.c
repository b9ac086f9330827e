// SPDX-License-Identifier: MIT
/*
 * Sample format conversion kernels and their tables (see format.h for the arithmetic).
 */
#include <string.h>

#include "dsp/format.h"
#include "dsp/kernels/simd.h"
#include "ipc/ipc3.h"
#include "util/compiler.h"

_Static_assert(DSP_FMT_S16_LE == (int)IPC3_FRAME_S16_LE, "S16_LE number");
_Static_assert(DSP_FMT_S24_4LE == (int)IPC3_FRAME_S24_4LE, "S24_4LE number");
_Static_assert(DSP_FMT_S32_LE == (int)IPC3_FRAME_S32_LE, "S32_LE number");
_Static_assert(DSP_FMT_FLOAT == (int)IPC3_FRAME_FLOAT, "FLOAT number");
_Static_assert(sizeof(float) == 4, "FLOAT samples are 32-bit IEEE floats");

const char *dsp_fmt_name(uint32_t fmt)
{
	static const char *const names[DSP_FMT_COUNT] = {
		[DSP_FMT_S16_LE] = "s16le",
		[DSP_FMT_S24_4LE] = "s24le",
		[DSP_FMT_S32_LE] = "s32le",
		[DSP_FMT_FLOAT] = "float",
	};

	return dsp_fmt_valid(fmt) ? names[fmt] : "invalid";
}

bool dsp_isa_supported(uint32_t isa)
{
	switch (isa) {
	case DSP_ISA_C:
		return true;
#if DSP_HAVE_AVX2
	case DSP_ISA_AVX2:
		return __builtin_cpu_supports("avx2");
	case DSP_ISA_AVX512:
		return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("avx512f") &&
		       __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
		       __builtin_cpu_supports("avx512bw");
#endif
	default:
		return false;
	}
}

enum dsp_isa dsp_isa_best(void)
{
	if (dsp_isa_supported(DSP_ISA_AVX512))
		return DSP_ISA_AVX512;
	return dsp_isa_supported(DSP_ISA_AVX2) ? DSP_ISA_AVX2 : DSP_ISA_C;
}

void dsp_silence(void *dst, enum dsp_fmt fmt, size_t samples)
{
	memset(dst, 0, samples * dsp_fmt_sample_bytes(fmt));
}

/*
 * Float to integer with @scale = 2^15, 2^23 or 2^31: round half away from zero, clamp, NaN
 * to 0. The product is exact in double (a float has 24 significant bits).
 */
static DSP_ALWAYS_INLINE int32_t float_to_int(float x, double scale, int32_t min, int32_t max)
{
	double d;

	if (x != x)
		return 0;
	d = (double)x * scale;
	if (d >= (double)max)
		return max;
	if (d <= (double)min)
		return min;
	return (int32_t)(d < 0 ? d - 0.5 : d + 0.5);
}

/* Narrowing shift with rounding, in 32 bits: (x >> (n - 1)) + 1 cannot overflow. */
static DSP_ALWAYS_INLINE int32_t rnd32(int32_t x, unsigned int n)
{
	return ((x >> (n - 1)) + 1) >> 1;
}

static DSP_ALWAYS_INLINE int32_t sat16_32(int32_t x)
{
	return x > INT16_MAX ? INT16_MAX : x < INT16_MIN ? INT16_MIN : x;
}

static DSP_ALWAYS_INLINE int32_t sat24_32(int32_t x)
{
	return x > DSP_S24_MAX ? DSP_S24_MAX : x < DSP_S24_MIN ? DSP_S24_MIN : x;
}

#define SCALE_Q15	32768.0
#define SCALE_Q23	8388608.0
#define SCALE_Q31	2147483648.0

/*
 * One kernel per (source, destination) pair: @expr computes dst[i] from s = src[i]. Each is
 * built as plain C (name##_c) and, on x86-64, for AVX2 (name##_avx2), except the float to
 * integer ones, whose NaN test and clamping keep the compiler from vectorising them: an AVX2
 * build of those measured no faster (bench-dsp-kernels), so they exist only as C.
 */
#define CONVERT_KERNEL(name, src_t, dst_t, expr) \
	CONVERT_KERNEL_C(name, src_t, dst_t, expr) \
	CONVERT_KERNEL_AVX2(name)

#define CONVERT_KERNEL_C(name, src_t, dst_t, expr) \
	static DSP_ALWAYS_INLINE void name##_body(void *dstv, const void *srcv, size_t samples) \
	{ \
		const src_t *src = srcv; \
		dst_t *dst = dstv; \
		size_t i; \
		for (i = 0; i < samples; i++) { \
			src_t s = src[i]; \
			dst[i] = (dst_t)(expr); \
		} \
	} \
	static void name##_c(void *dst, const void *src, size_t samples) \
	{ \
		name##_body(dst, src, samples); \
	}

#if DSP_HAVE_AVX2
#define CONVERT_KERNEL_AVX2(name) \
	DSP_TARGET_AVX2 static void name##_avx2(void *dst, const void *src, size_t samples) \
	{ \
		name##_body(dst, src, samples); \
	}
#define AVX2(name)	name##_avx2
#else
#define CONVERT_KERNEL_AVX2(name)
#define AVX2(name)	name##_c
#endif

static void copy16(void *dst, const void *src, size_t samples)
{
	if (dst != src)
		memmove(dst, src, samples * 2);
}

static void copy32(void *dst, const void *src, size_t samples)
{
	if (dst != src)
		memmove(dst, src, samples * 4);
}

/* From S16. */
CONVERT_KERNEL(s16_to_s24, int16_t, int32_t, (int32_t)s * 256)
CONVERT_KERNEL(s16_to_s32, int16_t, int32_t, (int32_t)s * 65536)
CONVERT_KERNEL(s16_to_float, int16_t, float, (float)s * (1.0f / 32768.0f))

/* From S24 (low 24 bits, sign-extended on read). */
CONVERT_KERNEL(s24_to_s16, int32_t, int16_t, sat16_32(rnd32(dsp_s24_get(s), 8)))
CONVERT_KERNEL(s24_to_s24, int32_t, int32_t, dsp_s24_get(s))
CONVERT_KERNEL(s24_to_s32, int32_t, int32_t, (int32_t)((uint32_t)s << 8))
CONVERT_KERNEL(s24_to_float, int32_t, float, (float)dsp_s24_get(s) * (1.0f / 8388608.0f))

/* From S32. */
CONVERT_KERNEL(s32_to_s16, int32_t, int16_t, sat16_32(rnd32(s, 16)))
CONVERT_KERNEL(s32_to_s24, int32_t, int32_t, sat24_32(rnd32(s, 8)))
CONVERT_KERNEL(s32_to_float, int32_t, float, (float)s * (1.0f / 2147483648.0f))

/* From FLOAT (plain C only, see above). */
CONVERT_KERNEL_C(float_to_s16, float, int16_t, float_to_int(s, SCALE_Q15, INT16_MIN, INT16_MAX))
CONVERT_KERNEL_C(float_to_s24, float, int32_t,
		 float_to_int(s, SCALE_Q23, DSP_S24_MIN, DSP_S24_MAX))
CONVERT_KERNEL_C(float_to_s32, float, int32_t,
		 float_to_int(s, SCALE_Q31, INT32_MIN, INT32_MAX))

/* [isa][from][to] */
static const dsp_convert_fn convert_table[DSP_ISA_AVX2 + 1][DSP_FMT_COUNT][DSP_FMT_COUNT] = {
	[DSP_ISA_C] = {
		[DSP_FMT_S16_LE] = {
			[DSP_FMT_S16_LE] = copy16,
			[DSP_FMT_S24_4LE] = s16_to_s24_c,
			[DSP_FMT_S32_LE] = s16_to_s32_c,
			[DSP_FMT_FLOAT] = s16_to_float_c,
		},
		[DSP_FMT_S24_4LE] = {
			[DSP_FMT_S16_LE] = s24_to_s16_c,
			[DSP_FMT_S24_4LE] = s24_to_s24_c,
			[DSP_FMT_S32_LE] = s24_to_s32_c,
			[DSP_FMT_FLOAT] = s24_to_float_c,
		},
		[DSP_FMT_S32_LE] = {
			[DSP_FMT_S16_LE] = s32_to_s16_c,
			[DSP_FMT_S24_4LE] = s32_to_s24_c,
			[DSP_FMT_S32_LE] = copy32,
			[DSP_FMT_FLOAT] = s32_to_float_c,
		},
		[DSP_FMT_FLOAT] = {
			[DSP_FMT_S16_LE] = float_to_s16_c,
			[DSP_FMT_S24_4LE] = float_to_s24_c,
			[DSP_FMT_S32_LE] = float_to_s32_c,
			[DSP_FMT_FLOAT] = copy32,
		},
	},
	[DSP_ISA_AVX2] = {
		[DSP_FMT_S16_LE] = {
			[DSP_FMT_S16_LE] = copy16,
			[DSP_FMT_S24_4LE] = AVX2(s16_to_s24),
			[DSP_FMT_S32_LE] = AVX2(s16_to_s32),
			[DSP_FMT_FLOAT] = AVX2(s16_to_float),
		},
		[DSP_FMT_S24_4LE] = {
			[DSP_FMT_S16_LE] = AVX2(s24_to_s16),
			[DSP_FMT_S24_4LE] = AVX2(s24_to_s24),
			[DSP_FMT_S32_LE] = AVX2(s24_to_s32),
			[DSP_FMT_FLOAT] = AVX2(s24_to_float),
		},
		[DSP_FMT_S32_LE] = {
			[DSP_FMT_S16_LE] = AVX2(s32_to_s16),
			[DSP_FMT_S24_4LE] = AVX2(s32_to_s24),
			[DSP_FMT_S32_LE] = copy32,
			[DSP_FMT_FLOAT] = AVX2(s32_to_float),
		},
		[DSP_FMT_FLOAT] = {
			[DSP_FMT_S16_LE] = float_to_s16_c,
			[DSP_FMT_S24_4LE] = float_to_s24_c,
			[DSP_FMT_S32_LE] = float_to_s32_c,
			[DSP_FMT_FLOAT] = copy32,
		},
	},
};

dsp_convert_fn dsp_convert_func_isa(uint32_t from, uint32_t to, uint32_t isa)
{
	if (!dsp_fmt_valid(from) || !dsp_fmt_valid(to) || isa >= DSP_ISA_COUNT)
		return NULL;
	return convert_table[dsp_isa_column(isa)][from][to];
}

dsp_convert_fn dsp_convert_func(uint32_t from, uint32_t to)
{
	return dsp_convert_func_isa(from, to, dsp_isa_best());
}
