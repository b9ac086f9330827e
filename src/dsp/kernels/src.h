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
 * 28 bits (VHQ), optionally with SOXR_MINIMUM_PHASE or SOXR_INTERMEDIATE_PHASE), both in
 * single-precision float. Integer streams are converted to float and back with the format
 * kernels (format.h): exact for S16 and S24, 24-bit precise for S32.
 *
 * The engine's converter is speexdsp at quality 7 (DSP_SRC_ENGINE_DEFAULT with
 * DSP_SRC_QUALITY_DEFAULT). Measured with bench-dsp-src (1 ms chunks, release build, one core
 * of the development machine; worst THD+N over a stepped sweep, float):
 *
 *                 speex q7                              soxr HQ (DFT sizes 2^8)
 *   48k->16k      -138 dB, alias -104 dB, 64 fr 4.0 ms   -137 dB, alias -141 dB, 240 fr 15 ms
 *   16k->48k      -112 dB,             192 fr 4.0 ms     -134 dB,              720 fr 15 ms
 *   44.1k->48k    -107 dB,              70 fr 1.5 ms     -133 dB,              401 fr 8.4 ms
 *   48k->44.1k    -112 dB, alias -104 dB, 66 fr 1.5 ms   -133 dB, alias -138 dB, 328 fr 7.4 ms
 *   passband      flat (< 0.01 dB) to 0.91 x Nyquist     flat to 0.93 x Nyquist
 *   cost/tick     1.7-2.2 us (integer ratios),           0.5-1.0 us
 *                 9.6-9.9 us (44.1k <-> 48k), stereo
 *
 * soxr is 2-10 times cheaper and cleaner, but it works in blocks: fed 1 ms at a time it holds
 * back 7-75 ms of signal and releases output in bursts (the wrapper caps each call at the
 * chunk's share, so the excess waits inside soxr: that is in the latency above), and it
 * allocates inside soxr_process() (96-168 allocations per 2000 ticks in test-dsp-src).
 * speexdsp produces each chunk's share of output on every call, its latency is the filter's
 * half length (1.5-4 ms), and it never allocates after creation. Quality 7 is
 * the lowest speexdsp setting that is flat to 0.9 x Nyquist (q6: -0.1 to -0.2 dB there) and
 * keeps THD+N and aliasing below -100 dB, i.e. transparent for 16-bit audio, at about 1.6
 * times the cost and latency of q5. soxr stays as an optional engine (built when libsoxr is
 * found) for the comparison and for offline use where latency does not matter.
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
#define DSP_SRC_QUALITY_DEFAULT	-1	/* the engine's own default (speex 7, soxr HQ) */

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
	/* Forget the signal history: afterwards it behaves as if freshly created. */
	int (*reset)(struct dsp_src *s);
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

/**
 * dsp_src_reset() - forget the signal history (a stream restart)
 * @s: prepared converter
 *
 * Afterwards the converter produces exactly what a freshly prepared one would. Not real-time
 * safe: the speexdsp engine re-creates its state, because speex_resampler_reset_mem() (1.2.1)
 * clears only part of the history of channels after the first.
 *
 * Return: 0, or -ENOMEM (the converter is unchanged then).
 */
int dsp_src_reset(struct dsp_src *s);

/* Free everything dsp_src_prepare() allocated; safe on a zeroed or freed state. */
void dsp_src_free(struct dsp_src *s);

/* The engines' ops (src-speex.c, src-soxr.c). */
extern const struct dsp_src_ops dsp_src_speex_ops;
extern const struct dsp_src_ops dsp_src_soxr_ops;

#endif /* VADSP_DSP_KERNELS_SRC_H */
