// SPDX-License-Identifier: MIT
/*
 * Tone component: a sine generator as a pipeline source (kernels/tone.h).
 *
 * Rate: desc.tone.sample_rate or the stream's; channels: the stream's; format: its own
 * (S32 when DSP_COMP_FMT_INHERIT). Every channel plays desc.tone.frequency (Q16.16 Hz) at
 * desc.tone.amplitude (Q1.31), SOF's 997 Hz at 0.1 when they are 0. Each run writes a
 * period. Control: SWITCH per channel (0 mutes; the phase keeps running).
 */
#include <errno.h>
#include <stdlib.h>

#include "dsp/buffer.h"
#include "dsp/comp.h"
#include "dsp/kernels/src.h"
#include "dsp/kernels/tone.h"

struct tone_priv {
	struct dsp_tone tone;
	uint32_t sample_rate;
};

static int tone_new(struct dsp_comp *c, const struct dsp_comp_desc *d)
{
	struct tone_priv *tp;
	uint32_t freq = d->tone.frequency ? d->tone.frequency : DSP_TONE_FREQ_DEFAULT;
	int32_t ampl = d->tone.amplitude ? d->tone.amplitude : DSP_TONE_AMPL_DEFAULT;
	uint32_t i;

	if (d->tone.sample_rate && (d->tone.sample_rate < DSP_SRC_RATE_MIN ||
				    d->tone.sample_rate > DSP_SRC_RATE_MAX))
		return -EINVAL;
	tp = calloc(1, sizeof(*tp));
	if (!tp)
		return -ENOMEM;
	c->priv = tp;
	c->max_in = 0;
	tp->sample_rate = d->tone.sample_rate;
	dsp_tone_init(&tp->tone);
	for (i = 0; i < DSP_MAX_CHANNELS; i++)
		if (dsp_tone_set(&tp->tone, i, freq, ampl))
			return -EINVAL;
	return 0;
}

static void tone_free(struct dsp_comp *c)
{
	free(c->priv);
	c->priv = NULL;
}

static int tone_params(struct dsp_comp *c, const struct dsp_params_ctx *ctx)
{
	struct tone_priv *tp = c->priv;
	struct dsp_stream s = {
		.fmt = c->fmt != DSP_COMP_FMT_INHERIT ? c->fmt : DSP_FMT_S32_LE,
		.rate = tp->sample_rate ? tp->sample_rate : ctx->rate,
		.channels = ctx->channels,
	};

	if (c->n_out != 1)
		return -EINVAL;
	c->stream = s;
	dsp_comp_set_period(c, s.rate);
	dsp_buffer_set_stream(c->out[0], s.fmt, s.rate, s.channels);
	return 0;
}

static int tone_prepare(struct dsp_comp *c)
{
	struct tone_priv *tp = c->priv;

	return dsp_tone_prepare(&tp->tone, c->stream.fmt, c->stream.channels, c->stream.rate);
}

static void tone_trigger(struct dsp_comp *c, uint32_t cmd)
{
	if (cmd == DSP_COMP_START)
		dsp_comp_period_restart(c);
}

static void tone_copy(struct dsp_comp *c)
{
	struct tone_priv *tp = c->priv;
	struct dsp_buffer *out = c->out[0];
	uint32_t frames = VADSP_MIN(dsp_comp_run_frames(c), dsp_buffer_room(out));

	if (!frames)
		return;
	dsp_tone_process(&tp->tone, dsp_buffer_write_ptr(out, frames), frames);
	dsp_buffer_produce(out, frames);
}

static int tone_set_ctrl(struct dsp_comp *c, struct dsp_ctrl *ctl)
{
	struct tone_priv *tp = c->priv;
	uint32_t i;

	if (ctl->op != DSP_CTRL_OP_VALUES || ctl->cmd != DSP_CTRL_SWITCH)
		return -EINVAL;
	for (i = 0; i < ctl->n; i++)
		if (ctl->values[i].channel >= DSP_MAX_CHANNELS)
			return -EINVAL;
	for (i = 0; i < ctl->n; i++)
		dsp_tone_set_mute(&tp->tone, ctl->values[i].channel, ctl->values[i].value == 0);
	return 0;
}

static int tone_get_ctrl(struct dsp_comp *c, struct dsp_ctrl *ctl)
{
	struct tone_priv *tp = c->priv;
	uint32_t i;

	if (ctl->op != DSP_CTRL_OP_VALUES || ctl->cmd != DSP_CTRL_SWITCH)
		return -EINVAL;
	for (i = 0; i < ctl->n; i++)
		if (ctl->values[i].channel >= DSP_MAX_CHANNELS)
			return -EINVAL;
	for (i = 0; i < ctl->n; i++)
		ctl->values[i].value = !tp->tone.mute[ctl->values[i].channel];
	return 0;
}

const struct dsp_comp_ops dsp_tone_ops = {
	.type = DSP_COMP_TONE,
	.name = "tone",
	.new = tone_new,
	.free = tone_free,
	.params = tone_params,
	.prepare = tone_prepare,
	.trigger = tone_trigger,
	.copy = tone_copy,
	.set_ctrl = tone_set_ctrl,
	.get_ctrl = tone_get_ctrl,
};
