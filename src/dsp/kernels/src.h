/* SPDX-License-Identifier: MIT */
/*
 * Sample rate conversion for a period-driven engine.
 *
 * A converter is created at prepare for one stream (format, channels, input and output rate)
 * and a largest input chunk. Each tick the engine hands it whatever input frames it has (up to
 * that chunk) and gets back all the output that input produces: the whole input is always
 * consumed, the output count varies around in_frames * out_rate / in_rate, and
 * dsp_src_max_out() bounds it. All memory (the library's state and the float scratch
 * buffers) is allocated at prepare; dsp_src_process() does not allocate.
 *
 * Two engines wrap the two libraries: libspeexdsp's resampler (DSP_SRC_SPEEX, quality 0..10)
 * and libsoxr (DSP_SRC_SOXR, quality a SOXR_* recipe 0..6: QQ, LQ, MQ, 16, 20 (HQ), 24,
 * 28 bits (VHQ)), both in single-precision float. Integer streams are converted to float
 * and back with the format kernels (format.h): exact for S16 and S24, 24-bit precise for S32.
 * DSP_SRC_ENGINE_DEFAULT / DSP_SRC_QUALITY_DEFAULT are the engine's choice; bench/dsp-src.c
 * measures both (docs in the module's report).
 */
#ifndef VADSP_DSP_KERNELS_SRC_H
#define VADSP_DSP_KERNELS_SRC_H

#include <stdint.h>

#include "dsp/format.h"

enum dsp_src_engine {
	DSP_SRC_SPEEX = 0,
	DSP_SRC_SOXR = 1,
};

#define DSP_SRC_ENGINE_DEFAULT	DSP_SRC_SPEEX
#define DSP_SRC_QUALITY_DEFAULT	-1	/* the engine's own default (speex 8, soxr HQ) */

#define DSP_SRC_RATE_MIN	8000u
#define DSP_SRC_RATE_MAX	192000u
#define DSP_SRC_CHUNK_MAX	65536u	/* largest input chunk, frames */

struct dsp_src_params {
	uint32_t engine;	/* enum dsp_src_engine */
	int32_t quality;	/* engine specific, or DSP_SRC_QUALITY_DEFAULT */
	uint32_t fmt;		/* enum dsp_fmt, same in and out */
	uint32_t channels;	/* 1..DSP_MAX_CHANNELS */
	uint32_t in_rate;	/* DSP_SRC_RATE_MIN..DSP_SRC_RATE_MAX */
	uint32_t out_rate;
	uint32_t max_in_frames;	/* largest chunk per dsp_src_process(), 1..DSP_SRC_CHUNK_MAX */
};

struct dsp_src;

/* One resampling library behind the converter (STYLE rule 7). */
struct dsp_src_ops {
	const char *name;
	/* Create the library state for s->params; quality already resolved. */
	int (*create)(struct dsp_src *s, int32_t quality);
	/*
	 * Resample @in_frames interleaved float frames into @out (room for @out_cap frames),
	 * consuming all of them. Return the frames written or -errno.
	 */
	int (*process)(struct dsp_src *s, const float *in, uint32_t in_frames, float *out,
		       uint32_t out_cap);
	/* Forget the signal history (as if freshly created). */
	void (*reset)(struct dsp_src *s);
	/*
	 * Output frames one call may produce beyond ceil(in * out_rate / in_rate) for chunks of
	 * up to @max_in frames (what the library holds back and releases later).
	 */
	uint32_t (*out_margin)(const struct dsp_src *s, uint32_t max_in);
	/* Delay the library reports, in output frames. */
	double (*delay)(const struct dsp_src *s);
	void (*destroy)(struct dsp_src *s);
};

struct dsp_src {
	const struct dsp_src_ops *ops;
	struct dsp_src_params params;
	int32_t quality;		/* resolved */
	void *lib;			/* library state */
	uint32_t max_out_base;		/* ceil(max_in_frames * out_rate / in_rate) */
	uint32_t max_out_frames;	/* max_out_base + the library's margin */
	float *in_buf;			/* max_in_frames * channels, integer formats only */
	float *out_buf;			/* max_out_frames * channels */
	dsp_convert_fn to_float;
	dsp_convert_fn from_float;
};

/**
 * dsp_src_prepare() - create a converter
 * @s: state to fill (free it with dsp_src_free())
 * @p: stream parameters
 *
 * Return: 0, -EINVAL for parameters out of range, -ENOMEM.
 */
int dsp_src_prepare(struct dsp_src *s, const struct dsp_src_params *p);

/* Most output frames that @in_frames input frames can produce in one call. */
uint32_t dsp_src_max_out(const struct dsp_src *s, uint32_t in_frames);

/**
 * dsp_src_process() - convert one chunk
 * @s: prepared converter
 * @in: @in_frames interleaved frames in the stream format
 * @in_frames: 0..max_in_frames
 * @out: output, same format
 * @out_cap: room at @out in frames; at least dsp_src_max_out(@s, @in_frames)
 *
 * Real-time safe: no allocation, no locks, no logging.
 *
 * Return: frames written, or -EINVAL (chunk too large, @out_cap too small).
 */
int dsp_src_process(struct dsp_src *s, const void *in, uint32_t in_frames, void *out,
		    uint32_t out_cap);

/* The converter's delay as its library reports it, in output frames. */
double dsp_src_delay(const struct dsp_src *s);

/* Forget the signal history (after a stream restart). */
void dsp_src_reset(struct dsp_src *s);

/* Free everything dsp_src_prepare() allocated; safe on a zeroed or freed state. */
void dsp_src_free(struct dsp_src *s);

/* The engines' ops (src-speex.c, src-soxr.c). */
extern const struct dsp_src_ops dsp_src_speex_ops;
extern const struct dsp_src_ops dsp_src_soxr_ops;

#endif /* VADSP_DSP_KERNELS_SRC_H */
