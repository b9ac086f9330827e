// SPDX-License-Identifier: MIT
/*
 * Mixing kernels (arithmetic described in mix.h).
 *
 * Each kernel works through the samples in chunks: it accumulates every source into a small
 * accumulator on the stack, source after source (sequential reads the compiler vectorises),
 * and only then writes the chunk to @dst, so @dst may alias a source.
 */
#include "dsp/kernels/mix.h"
#include "util/compiler.h"

#define MIX_CHUNK	256u

/* An int32 accumulator holds the exact sum of up to 65536 S16 samples. */
#define MIX_S16_I32_SOURCES_MAX	65536u

static void mix_s16(void *dstv, const void *const *srcs, uint32_t nsrc, size_t samples)
{
	int16_t *dst = dstv;
	size_t off, i;
	uint32_t k;

	for (off = 0; off < samples; off += MIX_CHUNK) {
		size_t n = VADSP_MIN(samples - off, (size_t)MIX_CHUNK);

		if (nsrc <= MIX_S16_I32_SOURCES_MAX) {
			int32_t acc[MIX_CHUNK] = { 0 };

			for (k = 0; k < nsrc; k++) {
				const int16_t *s = (const int16_t *)srcs[k] + off;

				for (i = 0; i < n; i++)
					acc[i] += s[i];
			}
			for (i = 0; i < n; i++)
				dst[off + i] = (int16_t)dsp_sat16(acc[i]);
		} else {
			int64_t acc[MIX_CHUNK] = { 0 };

			for (k = 0; k < nsrc; k++) {
				const int16_t *s = (const int16_t *)srcs[k] + off;

				for (i = 0; i < n; i++)
					acc[i] += s[i];
			}
			for (i = 0; i < n; i++)
				dst[off + i] = (int16_t)dsp_sat16(acc[i]);
		}
	}
}

static void mix_s24(void *dstv, const void *const *srcs, uint32_t nsrc, size_t samples)
{
	int32_t *dst = dstv;
	size_t off, i;
	uint32_t k;

	for (off = 0; off < samples; off += MIX_CHUNK) {
		size_t n = VADSP_MIN(samples - off, (size_t)MIX_CHUNK);
		int64_t acc[MIX_CHUNK] = { 0 };

		for (k = 0; k < nsrc; k++) {
			const int32_t *s = (const int32_t *)srcs[k] + off;

			for (i = 0; i < n; i++)
				acc[i] += dsp_s24_get(s[i]);
		}
		for (i = 0; i < n; i++)
			dst[off + i] = dsp_sat24(acc[i]);
	}
}

static void mix_s32(void *dstv, const void *const *srcs, uint32_t nsrc, size_t samples)
{
	int32_t *dst = dstv;
	size_t off, i;
	uint32_t k;

	for (off = 0; off < samples; off += MIX_CHUNK) {
		size_t n = VADSP_MIN(samples - off, (size_t)MIX_CHUNK);
		int64_t acc[MIX_CHUNK] = { 0 };

		for (k = 0; k < nsrc; k++) {
			const int32_t *s = (const int32_t *)srcs[k] + off;

			for (i = 0; i < n; i++)
				acc[i] += s[i];
		}
		for (i = 0; i < n; i++)
			dst[off + i] = dsp_sat32(acc[i]);
	}
}

static void mix_float(void *dstv, const void *const *srcs, uint32_t nsrc, size_t samples)
{
	float *dst = dstv;
	size_t off, i;
	uint32_t k;

	for (off = 0; off < samples; off += MIX_CHUNK) {
		size_t n = VADSP_MIN(samples - off, (size_t)MIX_CHUNK);
		double acc[MIX_CHUNK] = { 0 };

		for (k = 0; k < nsrc; k++) {
			const float *s = (const float *)srcs[k] + off;

			for (i = 0; i < n; i++)
				acc[i] += s[i];
		}
		for (i = 0; i < n; i++)
			dst[off + i] = (float)acc[i];
	}
}

static const dsp_mix_fn mix_table[DSP_FMT_COUNT] = {
	[DSP_FMT_S16_LE] = mix_s16,
	[DSP_FMT_S24_4LE] = mix_s24,
	[DSP_FMT_S32_LE] = mix_s32,
	[DSP_FMT_FLOAT] = mix_float,
};

dsp_mix_fn dsp_mix_func(uint32_t fmt)
{
	return dsp_fmt_valid(fmt) ? mix_table[fmt] : NULL;
}
