// SPDX-License-Identifier: MIT
/*
 * Rate conversion component (kernels/src.h: libspeexdsp at the engine's default quality).
 *
 * The output rate is desc.src.sink_rate, or when that is 0: for playback the rate of the
 * I/O bound to the DAI the output leads to (else the engine's rate); for capture the PCM's
 * rate. desc.src.source_rate, when set, must match the input. Each run converts all the
 * input it holds, up to two input periods, producing what that input yields (the count
 * varies around in * out_rate / in_rate). Equal rates pass the frames through. The
 * converter is created at params and freed at PCM free; a STOP/START keeps its history.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/buffer.h"
#include "dsp/comp.h"
#include "dsp/kernels/src.h"

struct src_priv {
	uint32_t source_rate;
	uint32_t sink_rate;
	uint32_t in_rate;
	uint32_t out_rate;
	uint32_t max_in;	/* frames per call */
	bool passthrough;
	struct dsp_src src;
};

static int src_new(struct dsp_comp *c, const struct dsp_comp_desc *d)
{
	struct src_priv *sp;

	if ((d->src.source_rate && (d->src.source_rate < DSP_SRC_RATE_MIN ||
				    d->src.source_rate > DSP_SRC_RATE_MAX)) ||
	    (d->src.sink_rate && (d->src.sink_rate < DSP_SRC_RATE_MIN ||
				  d->src.sink_rate > DSP_SRC_RATE_MAX)))
		return -EINVAL;
	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	c->priv = sp;
	sp->source_rate = d->src.source_rate;
	sp->sink_rate = d->src.sink_rate;
	return 0;
}

static void src_reset(struct dsp_comp *c)
{
	struct src_priv *sp = c->priv;

	dsp_src_free(&sp->src);
	memset(&sp->src, 0, sizeof(sp->src));
}

static void src_free(struct dsp_comp *c)
{
	if (c->priv)
		src_reset(c);
	free(c->priv);
	c->priv = NULL;
}

/* Playback: the rate of the DAI downstream, following single-output components. */
static uint32_t downstream_dai_rate(const struct dsp_comp *c)
{
	uint32_t hops;

	for (hops = 0; c && hops < 64; hops++) {
		if (c->ops->type == DSP_COMP_DAI)
			return dsp_dai_io_rate(c);
		if (c->n_out != 1)
			break;
		c = c->out[0]->sink;
	}
	return 0;
}

static int src_params(struct dsp_comp *c, const struct dsp_params_ctx *ctx)
{
	struct src_priv *sp = c->priv;
	struct dsp_stream s;
	uint32_t out_rate = sp->sink_rate, frames;

	if (c->n_in != 1 || c->n_out != 1 || !c->in[0]->has_stream)
		return -EINVAL;
	s = c->in[0]->stream;
	if (sp->source_rate && sp->source_rate != s.rate)
		return -EINVAL;
	if (!out_rate) {
		if (ctx->direction == DSP_DIR_CAPTURE && ctx->pcm)
			out_rate = ctx->rate;
		else
			out_rate = downstream_dai_rate(c->out[0]->sink);
		if (!out_rate)
			out_rate = ctx->e->rate;
	}
	if (c->fmt != DSP_COMP_FMT_INHERIT)
		s.fmt = c->fmt;
	c->stream = s;
	sp->in_rate = s.rate;
	sp->out_rate = out_rate;
	dsp_comp_set_period(c, s.rate);
	sp->max_in = 2 * c->period_frames + 2;
	frames = (uint32_t)(((uint64_t)sp->max_in * out_rate + s.rate - 1) / s.rate);
	dsp_buffer_set_stream(c->out[0], s.fmt, out_rate, s.channels);
	/* Output of a full chunk on top of what is queued, plus the converter's margin. */
	dsp_buffer_need(c->out[0], 2 * frames + 64);
	return 0;
}

static int src_prepare(struct dsp_comp *c)
{
	struct src_priv *sp = c->priv;
	struct dsp_src_params p = {
		.engine = DSP_SRC_ENGINE_DEFAULT,
		.quality = DSP_SRC_QUALITY_DEFAULT,
		.fmt = c->stream.fmt,
		.channels = c->stream.channels,
		.in_rate = sp->in_rate,
		.out_rate = sp->out_rate,
		.max_in_frames = sp->max_in,
	};

	sp->passthrough = sp->in_rate == sp->out_rate;
	if (sp->passthrough)
		return 0;
	return dsp_src_prepare(&sp->src, &p);
}

static void src_copy(struct dsp_comp *c)
{
	struct src_priv *sp = c->priv;
	struct dsp_buffer *in = c->in[0], *out = c->out[0];
	uint32_t n = VADSP_MIN(dsp_buffer_avail(in), sp->max_in);
	uint32_t room = dsp_buffer_room(out), max_out;
	int r;

	if (sp->passthrough) {
		n = VADSP_MIN(n, room);
		if (n) {
			memcpy(dsp_buffer_write_ptr(out, n), dsp_buffer_input(in, n),
			       (size_t)n * out->frame_bytes);
			dsp_buffer_consume(in, n);
			dsp_buffer_produce(out, n);
		}
		return;
	}
	while (n && dsp_src_max_out(&sp->src, n) > room)
		n /= 2;
	if (!n)
		return;
	max_out = dsp_src_max_out(&sp->src, n);
	r = dsp_src_process(&sp->src, dsp_buffer_input(in, n), n,
			    dsp_buffer_write_ptr(out, max_out), max_out);
	dsp_buffer_consume(in, n);
	if (r > 0)
		dsp_buffer_produce(out, (uint32_t)r);
}

const struct dsp_comp_ops dsp_src_ops = {
	.type = DSP_COMP_SRC,
	.name = "src",
	.new = src_new,
	.free = src_free,
	.params = src_params,
	.prepare = src_prepare,
	.copy = src_copy,
	.reset = src_reset,
};
