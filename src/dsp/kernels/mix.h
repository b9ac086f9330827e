/* SPDX-License-Identifier: MIT */
/*
 * Mixer: the sum of K sources into one sink, with saturation.
 *
 * All sources and the sink have the same format and channel count (the mixer component
 * converts first if they do not). Each output sample is the exact sum of the K input samples,
 * accumulated in a wider type, then saturated once to the format's range:
 *   S16    sum in int64, y = sat16(sum)
 *   S24    inputs sign-extended from their low 24 bits, sum in int64, y = sat24(sum),
 *          stored sign-extended
 *   S32    sum in int64, y = sat32(sum)
 *   FLOAT  sum in double, rounded once to float, not clamped (a float stream carries headroom
 *          until it is converted to an integer format, which clamps)
 * With no sources the sink gets silence. This is SOF's mixer arithmetic (its S16 and S24
 * paths accumulate in int32, which is the same for fewer than 256 sources).
 */
#ifndef VADSP_DSP_KERNELS_MIX_H
#define VADSP_DSP_KERNELS_MIX_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/format.h"

/*
 * Mix @nsrc sources (srcs[0..nsrc-1], each @samples samples = frames * channels) into @dst.
 * @dst may be one of the sources.
 */
typedef void (*dsp_mix_fn)(void *dst, const void *const *srcs, uint32_t nsrc, size_t samples);

/**
 * dsp_mix_func() - the mixing kernel for a format, for the best instruction set of this CPU
 * @fmt: sample format
 *
 * Return: the kernel, or NULL for an invalid format.
 */
dsp_mix_fn dsp_mix_func(uint32_t fmt);

/* The mixing kernel built for @isa (enum dsp_isa; see dsp_convert_func_isa()), or NULL. */
dsp_mix_fn dsp_mix_func_isa(uint32_t fmt, uint32_t isa);

/*
 * Mixing in steps, for a mixer whose sources do not all arrive at once: an accumulator of
 * DSP_MIX_ACC_BYTES per sample (int64_t for S16, S24 and S32, double for FLOAT), zeroed, takes
 * the sources over one call or several (dsp_mix_acc_fn adds its sources in order), and
 * dsp_mix_out_fn saturates and stores the sum once. Adding the sources of a dsp_mix_fn call in
 * the same order, in any number of calls, gives its result bit for bit (the sums are exact in
 * int64, and the double additions are the same ones in the same order). Adding a source of
 * zeros changes nothing, so a short source may also be added short.
 */
#define DSP_MIX_ACC_BYTES	8u

/* acc[i] += srcs[0][i] + ... + srcs[nsrc - 1][i] (added in that order), i < @samples. */
typedef void (*dsp_mix_acc_fn)(void *acc, const void *const *srcs, uint32_t nsrc,
			       size_t samples);

/* dst[i] = the sample for acc[i] (saturated to the format's range; FLOAT rounded). */
typedef void (*dsp_mix_out_fn)(void *dst, const void *acc, size_t samples);

/**
 * dsp_mix_acc_func() - the accumulating kernel for a format, for the best instruction set
 * @fmt: sample format
 *
 * Return: the kernel, or NULL for an invalid format.
 */
dsp_mix_acc_fn dsp_mix_acc_func(uint32_t fmt);

/* The accumulating kernel built for @isa, or NULL. */
dsp_mix_acc_fn dsp_mix_acc_func_isa(uint32_t fmt, uint32_t isa);

/**
 * dsp_mix_out_func() - the kernel that turns an accumulator into samples of a format
 * @fmt: sample format
 *
 * Return: the kernel, or NULL for an invalid format.
 */
dsp_mix_out_fn dsp_mix_out_func(uint32_t fmt);

/* The storing kernel built for @isa, or NULL. */
dsp_mix_out_fn dsp_mix_out_func_isa(uint32_t fmt, uint32_t isa);

#endif /* VADSP_DSP_KERNELS_MIX_H */
