/* SPDX-License-Identifier: MIT */
/*
 * IIR equaliser: SOF's EQ IIR configuration blob and its biquad cascades.
 *
 * The blob (SOF src/include/user/eq.h, struct sof_eq_iir_config), little-endian, packed, in
 * 32-bit words:
 *   u32 size                  bytes of the whole blob (the ABI header excluded)
 *   u32 channels_in_config    1..8
 *   u32 number_of_responses   0..8
 *   u32 reserved[4]
 *   s32 assign_response[channels_in_config]   -1 = bypass, else a response index
 *   then number_of_responses responses, each:
 *     u32 num_sections            1..11 biquads
 *     u32 num_sections_in_series  1..num_sections, dividing num_sections
 *     u32 reserved[4]
 *     num_sections biquads of 7 s32: a2, a1, b2, b1, b0 (Q2.30), output_shift (right shifts,
 *     negative = left), output_gain (Q2.14)
 * Stream channels past channels_in_config reuse the last channel's assignment (SOF does so).
 *
 * The biquad is SOF's direct form II transposed with the feedback coefficients stored
 * negated:   y = b0 x + s0;  s0' = s1 + b1 x + a1 y;  s1' = b2 x + a2 y
 * i.e. H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 - a1 z^-1 - a2 z^-2), followed by the section
 * gain: out = y * output_gain / 2^14 / 2^output_shift. Sections run in series in groups of
 * num_sections_in_series; the outputs of the groups (each fed the same input) are summed.
 *
 * Fixed-point arithmetic, bit-exact with SOF's generic iir_df2t() (as in SOF 2.2, the
 * firmware Debian ships; later SOF switched the EQ to a direct form I with 32-bit state,
 * which rounds differently): samples are Q1.31 (S16 << 16, S24 << 8, S32 as is), the state
 * is 64-bit Q3.61; y = sat32(round(b0 x + s0, 30 bits)); the gain stage is
 * sat32(round(gain * y, 14 + shift bits)); group sums saturate to 32 bits; the result goes
 * back to S16 / S24 with SOF's rounding (round half up) and saturation. Rounding is
 * floor(v / 2^n + 1/2). Unlike SOF 2.2 (which fed each later parallel group the previous
 * group's output), every group takes the input sample, as current SOF does. Intermediate
 * 64-bit sums wrap instead of overflowing (only hostile coefficients get there).
 *
 * FLOAT streams run the same cascade in double precision with the coefficients converted
 * exactly (Q2.30 / 2^30 ...), with no saturation.
 *
 * The parser is strict: every count is checked against the blob size before it is used, the
 * size field must equal the blob length, the responses must end exactly at the end of the
 * blob, an assignment must be -1 or a defined response, output_shift must be within
 * [-13, 49] (what SOF's arithmetic can shift) and output_gain a 16-bit value.
 */
#ifndef VADSP_DSP_KERNELS_EQ_IIR_H
#define VADSP_DSP_KERNELS_EQ_IIR_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/format.h"

#define DSP_EQ_IIR_MAX_SIZE		1024u	/* SOF_EQ_IIR_MAX_SIZE */
#define DSP_EQ_IIR_MAX_RESPONSES	8u	/* SOF_EQ_IIR_MAX_RESPONSES */
#define DSP_EQ_IIR_MAX_SECTIONS		11u	/* SOF_EQ_IIR_BIQUADS_MAX */
#define DSP_EQ_IIR_SHIFT_MIN		(-13)
#define DSP_EQ_IIR_SHIFT_MAX		49

/* Word index of each biquad parameter (the blob's order). */
enum dsp_eq_iir_coef {
	DSP_EQ_IIR_A2,
	DSP_EQ_IIR_A1,
	DSP_EQ_IIR_B2,
	DSP_EQ_IIR_B1,
	DSP_EQ_IIR_B0,
	DSP_EQ_IIR_SHIFT,
	DSP_EQ_IIR_GAIN,
	DSP_EQ_IIR_NCOEF,
};

struct dsp_eq_iir_response {
	uint32_t sections;
	uint32_t in_series;
	int32_t coef[DSP_EQ_IIR_MAX_SECTIONS][DSP_EQ_IIR_NCOEF];
};

/* A parsed blob. */
struct dsp_eq_iir_config {
	uint32_t channels_in_config;
	uint32_t responses;
	int32_t assign[DSP_MAX_CHANNELS];	/* -1 or a response index */
	struct dsp_eq_iir_response response[DSP_EQ_IIR_MAX_RESPONSES];
};

/**
 * dsp_eq_iir_parse() - parse and check an EQ IIR configuration blob
 * @cfg: result (written only on success)
 * @blob: the blob, starting at its size field (after any 32-byte ABI header)
 * @size: bytes available at @blob
 *
 * Return: 0, or -EINVAL with a message logged naming what is wrong.
 */
int dsp_eq_iir_parse(struct dsp_eq_iir_config *cfg, const void *blob, size_t size);

struct dsp_eq_iir;

/* Process @frames frames from @src to @dst (same format; @dst may equal @src). */
typedef void (*dsp_eq_iir_fn)(struct dsp_eq_iir *eq, void *dst, const void *src,
			      uint32_t frames);

/* A prepared equaliser: owns a copy of its coefficients and its delay lines. */
struct dsp_eq_iir {
	dsp_eq_iir_fn fn;
	uint32_t fmt;
	uint32_t channels;
	struct dsp_eq_iir_config cfg;
	int32_t resp[DSP_MAX_CHANNELS];		/* response per stream channel, -1 = bypass */
	int64_t delay[DSP_MAX_CHANNELS][DSP_EQ_IIR_MAX_SECTIONS][2];
	/* FLOAT: b0, b1, b2, a1, a2, output scale per section, and the state */
	double fcoef[DSP_EQ_IIR_MAX_RESPONSES][DSP_EQ_IIR_MAX_SECTIONS][6];
	double fdelay[DSP_MAX_CHANNELS][DSP_EQ_IIR_MAX_SECTIONS][2];
};

/**
 * dsp_eq_iir_prepare() - set up an equaliser for a stream
 * @eq: state to fill
 * @cfg: a configuration from dsp_eq_iir_parse() (copied)
 * @fmt: sample format (same in and out)
 * @channels: 1..DSP_MAX_CHANNELS
 *
 * The delay lines start at zero.
 *
 * Return: 0, or -EINVAL.
 */
int dsp_eq_iir_prepare(struct dsp_eq_iir *eq, const struct dsp_eq_iir_config *cfg, uint32_t fmt,
		       uint32_t channels);

/* Clear the delay lines (silence history). */
void dsp_eq_iir_reset(struct dsp_eq_iir *eq);

/* Run the equaliser on @frames frames. Real-time safe. */
static inline void dsp_eq_iir_process(struct dsp_eq_iir *eq, void *dst, const void *src,
				      uint32_t frames)
{
	eq->fn(eq, dst, src, frames);
}

#endif /* VADSP_DSP_KERNELS_EQ_IIR_H */
