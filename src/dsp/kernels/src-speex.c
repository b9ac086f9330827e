// SPDX-License-Identifier: MIT
/*
 * Rate conversion through libspeexdsp's resampler (float, interleaved).
 */
#include <errno.h>

#include <speex/speex_resampler.h>

#include "dsp/kernels/src.h"

static int speex_create(struct dsp_src *s, int32_t quality)
{
	int err = 0;
	SpeexResamplerState *st;

	if (quality < SPEEX_RESAMPLER_QUALITY_MIN || quality > SPEEX_RESAMPLER_QUALITY_MAX)
		return -EINVAL;
	st = speex_resampler_init(s->params.channels, s->params.in_rate, s->params.out_rate,
				  quality, &err);
	if (!st)
		return err == RESAMPLER_ERR_ALLOC_FAILED ? -ENOMEM : -EINVAL;
	/*
	 * No skip_zeros(): the output starts with the filter's delay worth of silence, so
	 * every chunk yields its full share of output from the first tick on.
	 */
	s->lib = st;
	return 0;
}

static int speex_process(struct dsp_src *s, const float *in, uint32_t in_frames, float *out,
			 uint32_t out_cap)
{
	spx_uint32_t in_len = in_frames, out_len = out_cap;
	int err;

	err = speex_resampler_process_interleaved_float(s->lib, in, &in_len, out, &out_len);
	if (err != RESAMPLER_ERR_SUCCESS)
		return -EINVAL;
	/* With room for max_out frames speex always takes the whole chunk. */
	if (in_len != in_frames)
		return -ENOSPC;
	return (int)out_len;
}

/*
 * A new state rather than speex_resampler_reset_mem(): in speexdsp 1.2.1 that clears
 * channels * (filt_len - 1) history samples, but each channel's history is mem_alloc_size
 * long, so channels after the first keep stale samples and the next output is not silent.
 */
static int speex_reset(struct dsp_src *s)
{
	SpeexResamplerState *old = s->lib;
	int ret;

	ret = speex_create(s, s->quality);
	if (ret) {
		s->lib = old;
		return ret;
	}
	speex_resampler_destroy(old);
	return 0;
}

static uint32_t speex_margin(const struct dsp_src *s, uint32_t max_in)
{
	/* One frame from the fractional phase; one more for safety. */
	return 2;
}

static double speex_delay(const struct dsp_src *s)
{
	return speex_resampler_get_output_latency(s->lib);
}

static void speex_destroy(struct dsp_src *s)
{
	speex_resampler_destroy(s->lib);
	s->lib = NULL;
}

const struct dsp_src_ops dsp_src_speex_ops = {
	.name = "speexdsp",
	.create = speex_create,
	.process = speex_process,
	.reset = speex_reset,
	.out_margin = speex_margin,
	.delay = speex_delay,
	.destroy = speex_destroy,
};
