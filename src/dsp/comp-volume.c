// SPDX-License-Identifier: MIT
/*
 * Volume component: per-channel Q8.16 gain with ramps and mute (kernels/volume.h).
 *
 * It works in its configured format (or its input's), converting its input when it differs,
 * and writes that format. Controls: VOLUME (Q8.16 per channel, read back as the target) and
 * SWITCH (0 mutes) on channels below desc.volume.channels. A stream start ramps every
 * channel in from the minimum gain, as SOF does.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/buffer.h"
#include "dsp/comp.h"
#include "dsp/kernels/volume.h"

struct volume_priv {
	struct dsp_vol vol;	/* first: dsp_volume_take() (buffer.h) reads it */
	uint32_t channels;	/* control channels */
};

_Static_assert(offsetof(struct volume_priv, vol) == 0, "a volume's state starts with its dsp_vol");

static int volume_new(struct dsp_comp *c, const struct dsp_comp_desc *d)
{
	struct volume_priv *vp;
	uint32_t ch = d->volume.channels ? d->volume.channels : DSP_MAX_CHANNELS;
	uint32_t i;
	int ret;

	if (ch > DSP_MAX_CHANNELS)
		return -EINVAL;
	/* aligned: the period path reads one cache line and the start of the gain pattern */
	vp = dsp_arena_alloc(&c->engine->arena, sizeof(*vp));
	if (!vp)
		return -ENOMEM;
	c->priv = vp;
	vp->channels = ch;
	ret = dsp_vol_init(&vp->vol, d->volume.ramp, d->volume.ramp_ms, d->volume.min_value,
			   d->volume.max_value);
	if (ret)
		return ret;
	if (d->volume.initial_gain >= 0)
		for (i = 0; i < DSP_MAX_CHANNELS; i++)
			dsp_vol_set(&vp->vol, i, d->volume.initial_gain);
	return 0;
}

static void volume_free(struct dsp_comp *c)
{
	dsp_arena_free(&c->engine->arena, c->priv, sizeof(struct volume_priv));
	c->priv = NULL;
}

static int volume_params(struct dsp_comp *c, const struct dsp_params_ctx *ctx)
{
	struct dsp_stream s;

	(void)ctx;
	if (c->n_in != 1 || c->n_out != 1 || !c->in[0]->has_stream)
		return -EINVAL;
	s = c->in[0]->stream;
	if (c->fmt != DSP_COMP_FMT_INHERIT)
		s.fmt = c->fmt;
	c->stream = s;
	dsp_buffer_set_stream(c->out[0], s.fmt, s.rate, s.channels);
	return 0;
}

static int volume_prepare(struct dsp_comp *c)
{
	struct volume_priv *vp = c->priv;
	const struct dsp_gain *g = &vp->vol.gain;

	/* the start of the gain pattern the format's kernel reads, for the tick to prefetch */
	c->prefetch_at = c->stream.fmt == DSP_FMT_FLOAT ? (const void *)g->f :
			 c->stream.fmt == DSP_FMT_S16_LE ? (const void *)g->hi : (const void *)g->q;
	c->prefetch_lines = 1;
	return dsp_vol_prepare(&vp->vol, c->stream.fmt, c->stream.channels, c->stream.rate);
}

static void volume_trigger(struct dsp_comp *c, uint32_t cmd)
{
	struct volume_priv *vp = c->priv;

	if (cmd == DSP_COMP_START)
		dsp_vol_start(&vp->vol);
}

static void volume_copy(struct dsp_comp *c)
{
	struct volume_priv *vp = c->priv;
	struct dsp_buffer *in = dsp_comp_in1(c), *out = dsp_comp_out1(c);
	uint32_t frames = VADSP_MIN(dsp_buffer_avail(in), dsp_buffer_room(out));
	struct dsp_mix_sum *sum = out->mix_into;
	uint32_t take = sum ? dsp_mix_frames(sum) : 0;
	void *dst;

	/*
	 * A mixer takes up to @take frames of @out in this tick (comp.h, "Early mixing"): when
	 * @out is empty and this run's frames fit, it would take all of them as they are, so
	 * they go straight into its sum (in the steady state; a ramp is processed, then added).
	 */
	if (take && frames <= take && !dsp_buffer_avail(out) && dsp_mix_direct(out) &&
	    !dsp_vol_accumulate(&vp->vol, sum->acc, dsp_buffer_input(in, frames), frames)) {
		dsp_buffer_consume(in, frames);
		dsp_mix_added(sum, out);
		return;
	}
	if (frames) {
		dst = dsp_buffer_write_ptr(out, frames);
		dsp_vol_process(&vp->vol, dst, dsp_buffer_input(in, frames), frames);
		dsp_buffer_consume(in, frames);
		dsp_buffer_produce(out, frames);
	}
	if (take)
		dsp_mix_take(sum, out);
}

static int volume_set_ctrl(struct dsp_comp *c, struct dsp_ctrl *ctl)
{
	struct volume_priv *vp = c->priv;
	uint32_t i;

	if (ctl->op != DSP_CTRL_OP_VALUES ||
	    (ctl->cmd != DSP_CTRL_VOLUME && ctl->cmd != DSP_CTRL_SWITCH))
		return -EINVAL;
	for (i = 0; i < ctl->n; i++)
		if (ctl->values[i].channel >= vp->channels)
			return -EINVAL;
	for (i = 0; i < ctl->n; i++) {
		uint32_t ch = ctl->values[i].channel, v = ctl->values[i].value;

		if (ctl->cmd == DSP_CTRL_VOLUME)
			dsp_vol_set(&vp->vol, ch, v > DSP_VOL_MAX ? DSP_VOL_MAX : (int32_t)v);
		else
			dsp_vol_set_mute(&vp->vol, ch, v == 0);
	}
	return 0;
}

static int volume_get_ctrl(struct dsp_comp *c, struct dsp_ctrl *ctl)
{
	struct volume_priv *vp = c->priv;
	uint32_t i;

	if (ctl->op != DSP_CTRL_OP_VALUES ||
	    (ctl->cmd != DSP_CTRL_VOLUME && ctl->cmd != DSP_CTRL_SWITCH))
		return -EINVAL;
	for (i = 0; i < ctl->n; i++)
		if (ctl->values[i].channel >= vp->channels)
			return -EINVAL;
	for (i = 0; i < ctl->n; i++) {
		uint32_t ch = ctl->values[i].channel;

		if (ctl->cmd == DSP_CTRL_VOLUME)
			ctl->values[i].value = (uint32_t)dsp_vol_get_target(&vp->vol, ch);
		else
			ctl->values[i].value = !dsp_vol_get_mute(&vp->vol, ch);
	}
	return 0;
}

const struct dsp_comp_ops dsp_volume_ops = {
	.type = DSP_COMP_VOLUME,
	.name = "volume",
	.mix_early = true,
	.new = volume_new,
	.free = volume_free,
	.params = volume_params,
	.prepare = volume_prepare,
	.trigger = volume_trigger,
	.copy = volume_copy,
	.set_ctrl = volume_set_ctrl,
	.get_ctrl = volume_get_ctrl,
};
