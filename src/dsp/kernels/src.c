// SPDX-License-Identifier: MIT
/*
 * Sample rate converter front end: parameter checks, float scratch buffers, format
 * conversion and dispatch to a library (see src.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/kernels/src.h"
#include "util/compiler.h"

static const struct dsp_src_ops *const src_engines[] = {
	[DSP_SRC_SPEEX] = &dsp_src_speex_ops,
#ifdef VADSP_HAVE_SOXR
	[DSP_SRC_SOXR] = &dsp_src_soxr_ops,
#endif
};

/* Default quality per engine (see src.h for why). */
static const int32_t src_quality_default[] = {
	[DSP_SRC_SPEEX] = 7,
	[DSP_SRC_SOXR] = 4,	/* SOXR_HQ */
};

uint32_t dsp_src_max_out(const struct dsp_src *s, uint32_t in_frames)
{
	/*
	 * in * out / in_rate rounded up, plus what a library may hold back from the previous
	 * call and release now (a few frames for speex; soxr's block is covered by the margin
	 * the library needs, measured in bench/dsp-src.c).
	 */
	uint64_t n = ((uint64_t)in_frames * s->params.out_rate + s->params.in_rate - 1) /
		     s->params.in_rate;

	return (uint32_t)(n + s->max_out_frames - s->max_out_base);
}

int dsp_src_prepare(struct dsp_src *s, const struct dsp_src_params *p)
{
	uint64_t base;
	int ret;

	memset(s, 0, sizeof(*s));
	if (p->engine >= VADSP_ARRAY_SIZE(src_engines) || !src_engines[p->engine] ||
	    !dsp_fmt_valid(p->fmt) ||
	    !p->channels || p->channels > DSP_MAX_CHANNELS ||
	    p->in_rate < DSP_SRC_RATE_MIN || p->in_rate > DSP_SRC_RATE_MAX ||
	    p->out_rate < DSP_SRC_RATE_MIN || p->out_rate > DSP_SRC_RATE_MAX ||
	    !p->max_in_frames || p->max_in_frames > DSP_SRC_CHUNK_MAX)
		return -EINVAL;

	s->params = *p;
	s->ops = src_engines[p->engine];
	s->quality = p->quality == DSP_SRC_QUALITY_DEFAULT ? src_quality_default[p->engine] :
							     p->quality;
	base = ((uint64_t)p->max_in_frames * p->out_rate + p->in_rate - 1) / p->in_rate;
	s->max_out_base = (uint32_t)base;
	s->max_out_frames = (uint32_t)base + s->ops->out_margin(s, p->max_in_frames);

	s->out_buf = calloc((size_t)s->max_out_frames * p->channels, sizeof(float));
	if (!s->out_buf)
		goto nomem;
	if (p->fmt != DSP_FMT_FLOAT) {
		s->in_buf = calloc((size_t)p->max_in_frames * p->channels, sizeof(float));
		if (!s->in_buf)
			goto nomem;
	}
	s->to_float = dsp_convert_func(p->fmt, DSP_FMT_FLOAT);
	s->from_float = dsp_convert_func(DSP_FMT_FLOAT, p->fmt);

	ret = s->ops->create(s, s->quality);
	if (ret) {
		dsp_src_free(s);
		return ret;
	}
	return 0;
nomem:
	dsp_src_free(s);
	return -ENOMEM;
}

int dsp_src_process(struct dsp_src *s, const void *in, uint32_t in_frames, void *out,
		    uint32_t out_cap)
{
	uint32_t ch = s->params.channels;
	const float *fin = in;
	int n;

	if (in_frames > s->params.max_in_frames || out_cap < dsp_src_max_out(s, in_frames))
		return -EINVAL;
	if (s->params.fmt != DSP_FMT_FLOAT) {
		s->to_float(s->in_buf, in, (size_t)in_frames * ch);
		fin = s->in_buf;
	}
	n = s->ops->process(s, fin, in_frames, s->out_buf,
			    VADSP_MIN(out_cap, s->max_out_frames));
	if (n <= 0)
		return n;
	s->from_float(out, s->out_buf, (size_t)n * ch);
	return n;
}

double dsp_src_delay(const struct dsp_src *s)
{
	return s->ops->delay(s);
}

int dsp_src_reset(struct dsp_src *s)
{
	return s->ops->reset(s);
}

void dsp_src_free(struct dsp_src *s)
{
	if (s->ops && s->lib)
		s->ops->destroy(s);
	free(s->in_buf);
	free(s->out_buf);
	memset(s, 0, sizeof(*s));
}
