// SPDX-License-Identifier: MIT
/*
 * Rate conversion through libsoxr (float32 interleaved, one thread).
 *
 * Quality: a soxr recipe 0..6 (SOXR_QQ .. SOXR_VHQ), optionally or'ed with SOXR_MINIMUM_PHASE
 * or SOXR_INTERMEDIATE_PHASE. The DFT sizes are set to their minimum (2^8) because the engine
 * feeds 1 ms chunks: soxr's default sizes hold back 35 ms and more before the first output.
 * soxr still works in blocks: it consumes every chunk but releases output in bursts; capped at
 * the steady output per call it keeps the excess inside, which shows as latency.
 */
#include <errno.h>

#include <soxr.h>

#include "dsp/kernels/src.h"

static int soxr_engine_create(struct dsp_src *s, int32_t quality)
{
	soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
	unsigned long recipe = (unsigned long)quality & 0xfu;
	unsigned long phase = (unsigned long)quality & ~0xful;
	soxr_quality_spec_t q;
	soxr_runtime_spec_t rt = soxr_runtime_spec(1);
	soxr_error_t err = NULL;
	soxr_t st;

	if (quality < 0 || recipe > SOXR_VHQ ||
	    (phase != SOXR_LINEAR_PHASE && phase != SOXR_INTERMEDIATE_PHASE &&
	     phase != SOXR_MINIMUM_PHASE))
		return -EINVAL;
	q = soxr_quality_spec(recipe | phase, 0);
	rt.log2_min_dft_size = 8;
	rt.log2_large_dft_size = 8;

	st = soxr_create(s->params.in_rate, s->params.out_rate, s->params.channels, &err, &io, &q,
			 &rt);
	if (!st || err) {
		if (st)
			soxr_delete(st);
		return -EINVAL;
	}
	s->lib = st;
	return 0;
}

static int soxr_engine_process(struct dsp_src *s, const float *in, uint32_t in_frames, float *out,
			       uint32_t out_cap)
{
	size_t idone = 0, odone = 0;
	soxr_error_t err;

	err = soxr_process(s->lib, in, in_frames, &idone, out, out_cap, &odone);
	if (err)
		return -EINVAL;
	if (idone != in_frames)
		return -ENOSPC;
	return (int)odone;
}

static int soxr_engine_reset(struct dsp_src *s)
{
	return soxr_clear(s->lib) ? -ENOMEM : 0;
}

static uint32_t soxr_engine_margin(const struct dsp_src *s, uint32_t max_in)
{
	return 2;
}

static double soxr_engine_delay(const struct dsp_src *s)
{
	return soxr_delay(s->lib);
}

static void soxr_engine_destroy(struct dsp_src *s)
{
	soxr_delete(s->lib);
	s->lib = NULL;
}

const struct dsp_src_ops dsp_src_soxr_ops = {
	.name = "soxr",
	.create = soxr_engine_create,
	.process = soxr_engine_process,
	.reset = soxr_engine_reset,
	.out_margin = soxr_engine_margin,
	.delay = soxr_engine_delay,
	.destroy = soxr_engine_destroy,
};
