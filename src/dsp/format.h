/* SPDX-License-Identifier: MIT */
/*
 * Sample formats of the DSP and conversion between them.
 *
 * The four formats are SOF's frame formats (enum ipc3_frame_fmt, same numbers):
 *
 *   S16_LE    int16_t, full scale [-32768, 32767]
 *   S24_4LE   int32_t container holding a 24-bit sample in its low 24 bits, full scale
 *             [-8388608, 8388607]. As in SOF, readers use only the low 24 bits and sign-extend
 *             them (whatever the top byte holds); writers always store the value sign-extended,
 *             so the top byte is 0x00 or 0xff.
 *   S32_LE    int32_t, full scale [-2^31, 2^31 - 1]
 *   FLOAT     32-bit IEEE float, full scale [-1.0, +1.0]
 *
 * Frames are interleaved: sample i of channel c is at index i * channels + c. Samples are in
 * host byte order, which is the little-endian order the formats name on the hosts vadsp runs
 * on. Buffers handed to kernels are aligned to their sample size.
 *
 * Every kernel (here and in kernels/) works on contiguous spans. A component whose ring
 * buffer wraps calls it once per contiguous piece; the stateful ones (volume ramps, EQ, tone,
 * rate conversion) carry their state across calls, so how a period is split does not change
 * the output (only a zero-crossing ramp's step positions depend on it).
 *
 * Integer values are fractions of full scale: S16 is Q1.15, S24 Q1.23, S32 Q1.31. A float
 * sample is the same fraction (int / 2^15, 2^23 or 2^31).
 *
 * Conversions (dsp_convert_func()):
 *   - widening integer conversions shift left and are exact;
 *   - narrowing integer conversions round to nearest, halves upward (+0.5 LSB then floor,
 *     SOF's Q_SHIFT_RND), and saturate: S32 0x7fffffff -> S16 32767;
 *   - integer -> float divides by 2^15, 2^23 or 2^31; exact for S16 and S24, rounded to the
 *     nearest float for S32;
 *   - float -> integer multiplies by 2^15, 2^23 or 2^31, rounds to nearest with halves away
 *     from zero, clamps to the integer range (so +1.0 gives the maximum), and turns NaN into 0;
 *   - the same format in and out copies (S24 input is normalised: sign-extended).
 */
#ifndef VADSP_DSP_FORMAT_H
#define VADSP_DSP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Frame formats; the numbers are SOF's (checked against ipc/ipc3.h in format.c). */
enum dsp_fmt {
	DSP_FMT_S16_LE = 0,
	DSP_FMT_S24_4LE = 1,
	DSP_FMT_S32_LE = 2,
	DSP_FMT_FLOAT = 3,
};

#define DSP_FMT_COUNT		4u

/* Most channels a stream may have (SOF's PLATFORM_MAX_CHANNELS). */
#define DSP_MAX_CHANNELS	8u

#define DSP_S24_MAX		8388607
#define DSP_S24_MIN		(-8388608)

/* True if @fmt is one of enum dsp_fmt (a wire value may be anything). */
static inline bool dsp_fmt_valid(uint32_t fmt)
{
	return fmt < DSP_FMT_COUNT;
}

/* Bytes per sample: 2 for S16_LE, 4 for the others. @fmt must be valid. */
static inline unsigned int dsp_fmt_sample_bytes(enum dsp_fmt fmt)
{
	return fmt == DSP_FMT_S16_LE ? 2u : 4u;
}

/* Bytes per interleaved frame of @channels channels. */
static inline size_t dsp_fmt_frame_bytes(enum dsp_fmt fmt, unsigned int channels)
{
	return (size_t)dsp_fmt_sample_bytes(fmt) * channels;
}

/**
 * dsp_fmt_name() - a short name for a format
 * @fmt: a format number, valid or not
 *
 * Return: "s16le", "s24le", "s32le", "float" (the topology token strings) or "invalid".
 */
const char *dsp_fmt_name(uint32_t fmt);

/* ---------------------------------------------------------------------------------------- */
/* Fixed-point helpers shared by the kernels                                                 */

static inline int32_t dsp_sat16(int64_t x)
{
	return x > INT16_MAX ? INT16_MAX : x < INT16_MIN ? INT16_MIN : (int32_t)x;
}

static inline int32_t dsp_sat24(int64_t x)
{
	return x > DSP_S24_MAX ? DSP_S24_MAX : x < DSP_S24_MIN ? DSP_S24_MIN : (int32_t)x;
}

static inline int32_t dsp_sat32(int64_t x)
{
	return x > INT32_MAX ? INT32_MAX : x < INT32_MIN ? INT32_MIN : (int32_t)x;
}

/* The 24-bit sample held in the low bits of an S24_4LE container, sign-extended. */
static inline int32_t dsp_s24_get(int32_t x)
{
	return (int32_t)((uint32_t)x << 8) >> 8;
}

/*
 * Arithmetic shift right by @shift (1..63) rounding to nearest, halves upward:
 * floor(x / 2^shift + 1/2). This is SOF's Q_SHIFT_RND.
 */
static inline int64_t dsp_shift_rnd(int64_t x, unsigned int shift)
{
	return ((x >> (shift - 1)) + 1) >> 1;
}

/* @x * 2^@shift for a possibly negative @x, without the undefined signed left shift. */
static inline int64_t dsp_shl64(int64_t x, unsigned int shift)
{
	return (int64_t)((uint64_t)x << shift);
}

/* ---------------------------------------------------------------------------------------- */
/* Instruction sets                                                                          */

/*
 * The instruction sets a kernel can be built for (see kernels/simd.h). Every *_func() picks
 * the best variant the CPU runs; the *_func_isa() forms give a given variant, for tests and
 * benchmarks.
 */
enum dsp_isa {
	DSP_ISA_C = 0,		/* plain C for the baseline target: the reference */
	DSP_ISA_AVX2 = 1,	/* the same C compiled for AVX2 (x86-64 only) */
	DSP_ISA_AVX512 = 2,	/* AVX-512 F, VL, DQ and BW, for the kernels that gain from it
				   (the others: their AVX2 build); x86-64 only */
};

#define DSP_ISA_COUNT	3u

/*
 * The column of a kernel table for @isa, for the tables that have no AVX-512 builds (their
 * AVX2 builds serve on such CPUs).
 */
static inline uint32_t dsp_isa_column(uint32_t isa)
{
	return isa == DSP_ISA_AVX512 ? DSP_ISA_AVX2 : isa;
}

/* True if @isa is known and this CPU runs it. */
bool dsp_isa_supported(uint32_t isa);

/* The best instruction set this CPU runs. */
enum dsp_isa dsp_isa_best(void);

/* ---------------------------------------------------------------------------------------- */
/* Conversion                                                                                */

/* Convert @samples samples (frames * channels) from one format to another. */
typedef void (*dsp_convert_fn)(void *dst, const void *src, size_t samples);

/**
 * dsp_convert_func() - the conversion kernel between two formats
 * @from: source format
 * @to: destination format
 *
 * Chosen once at prepare time. Source and destination must not overlap unless they are the
 * same pointer and the formats have the same sample size.
 *
 * Return: the kernel, or NULL if either format is invalid.
 */
dsp_convert_fn dsp_convert_func(uint32_t from, uint32_t to);

/**
 * dsp_convert_func_isa() - a conversion kernel built for a given instruction set
 * @from: source format
 * @to: destination format
 * @isa: enum dsp_isa; call only what dsp_isa_supported() allows
 *
 * Return: the kernel (the plain C one where @isa has no variant of its own), or NULL if a
 * format or @isa is invalid.
 */
dsp_convert_fn dsp_convert_func_isa(uint32_t from, uint32_t to, uint32_t isa);

/**
 * dsp_silence() - write silence
 * @dst: destination
 * @fmt: its format (zero bits are silence in every format)
 * @samples: samples to write
 */
void dsp_silence(void *dst, enum dsp_fmt fmt, size_t samples);

#endif /* VADSP_DSP_FORMAT_H */
