// SPDX-License-Identifier: MIT
/*
 * Mixer component: sums its inputs into one output (kernels/mix.h), one period per run.
 *
 * Inputs are buffers from other pipelines (guest streams) and may come and go while the
 * mixer runs. Each run mixes the inputs whose producing pipeline is running: an input with
 * less than a period is padded with silence (in its staging area), an input from a stopped
 * or paused pipeline is left alone. With no running input the mixer writes silence, so the
 * pipeline after it keeps its pace. All inputs must share the mixer's rate and channel
 * count; their formats are converted to the mixer's (its configured format, or its first
 * input's, or S32 when it starts without inputs).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/buffer.h"
#include "dsp/comp.h"
#include "dsp/kernels/mix.h"
#include "dsp/pipeline.h"

struct mixer_priv {
	dsp_mix_fn mix;
};

static int mixer_new(struct dsp_comp *c, const struct dsp_comp_desc *d)
{
	(void)d;
	c->priv = calloc(1, sizeof(struct mixer_priv));
	if (!c->priv)
		return -ENOMEM;
	c->max_in = DSP_COMP_MANY;
	return 0;
}

static void mixer_free(struct dsp_comp *c)
{
	free(c->priv);
	c->priv = NULL;
}

static int mixer_params(struct dsp_comp *c, const struct dsp_params_ctx *ctx)
{
	struct dsp_stream s = { .fmt = DSP_COMP_FMT_INHERIT, .rate = ctx->rate,
				.channels = ctx->channels };
	bool have = false;
	uint32_t i;

	if (c->n_out != 1)
		return -EINVAL;
	for (i = 0; i < c->n_in; i++) {
		const struct dsp_buffer *b = c->in[i];

		if (!b->has_stream)
			continue;
		if (!have) {
			s = b->stream;
			have = true;
		} else if (b->stream.rate != s.rate || b->stream.channels != s.channels) {
			return -EINVAL;
		}
	}
	if (c->fmt != DSP_COMP_FMT_INHERIT)
		s.fmt = c->fmt;
	else if (!have)
		s.fmt = DSP_FMT_S32_LE;
	c->stream = s;
	dsp_comp_set_period(c, s.rate);
	dsp_buffer_set_stream(c->out[0], s.fmt, s.rate, s.channels);
	return 0;
}

static int mixer_prepare(struct dsp_comp *c)
{
	struct mixer_priv *mp = c->priv;

	mp->mix = dsp_mix_func(c->stream.fmt);
	return mp->mix ? 0 : -EINVAL;
}

/* A guest joining a prepared mixer must match its rate and channel count. */
static int mixer_accept(struct dsp_comp *c, const struct dsp_buffer *b)
{
	if (b->stream.rate != c->stream.rate || b->stream.channels != c->stream.channels)
		return -EINVAL;
	return 0;
}

static void mixer_trigger(struct dsp_comp *c, uint32_t cmd)
{
	if (cmd == DSP_COMP_START)
		dsp_comp_period_restart(c);
}

static void mixer_copy(struct dsp_comp *c)
{
	struct mixer_priv *mp = c->priv;
	struct dsp_buffer *out = c->out[0];
	uint32_t frames = VADSP_MIN(dsp_comp_run_frames(c), dsp_buffer_room(out));
	uint32_t ch = c->stream.channels, nsrc = 0, i;
	void *dst = dsp_buffer_write_ptr(out, frames);

	for (i = 0; i < c->n_in; i++) {
		struct dsp_buffer *b = c->in[i];
		uint32_t n;

		/* Hundreds of inputs: fetch ahead what the next ones will need. */
		if (i + 8 < c->n_in)
			__builtin_prefetch(c->in[i + 8]);
		if (i + 4 < c->n_in) {
			const struct dsp_buffer *ahead = c->in[i + 4];

			__builtin_prefetch(ahead->source);
			__builtin_prefetch(ahead->data);
		}
		if (!b->stage || !dsp_buffer_producer_running(b))
			continue;
		n = VADSP_MIN(dsp_buffer_avail(b), frames);
		if (n == frames && !b->conv) {
			c->in_ptrs[nsrc++] = dsp_buffer_read_ptr(b);
		} else {
			if (b->conv)
				b->conv(b->stage, dsp_buffer_read_ptr(b), (size_t)n * ch);
			else
				memcpy(b->stage, dsp_buffer_read_ptr(b),
				       (size_t)n * b->frame_bytes);
			dsp_silence(b->stage + (size_t)n * b->stage_frame_bytes, c->stream.fmt,
				    (size_t)(frames - n) * ch);
			c->in_ptrs[nsrc++] = b->stage;
		}
		/* The frames stay in place until the producer's next run. */
		dsp_buffer_consume(b, n);
	}
	mp->mix(dst, c->in_ptrs, nsrc, (size_t)frames * ch);
	dsp_buffer_produce(out, frames);
}

const struct dsp_comp_ops dsp_mixer_ops = {
	.type = DSP_COMP_MIXER,
	.name = "mixer",
	.stage_inputs = true,
	.new = mixer_new,
	.free = mixer_free,
	.params = mixer_params,
	.prepare = mixer_prepare,
	.trigger = mixer_trigger,
	.accept = mixer_accept,
	.copy = mixer_copy,
};
