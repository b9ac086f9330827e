// SPDX-License-Identifier: MIT
/*
 * The component framework: the table of types, period bookkeeping and xrun handling.
 */
#include <errno.h>

#include "dsp/buffer.h"
#include "dsp/comp.h"
#include "dsp/pipeline.h"
#include "util/compiler.h"

static const struct dsp_comp_ops *const comp_types[] = {
	&dsp_host_ops,
	&dsp_dai_ops,
	&dsp_volume_ops,
	&dsp_mixer_ops,
	&dsp_mux_ops,
	&dsp_demux_ops,
	&dsp_src_ops,
	&dsp_tone_ops,
	&dsp_eq_iir_ops,
};

const struct dsp_comp_ops *dsp_comp_ops_get(uint32_t type)
{
	size_t i;

	for (i = 0; i < VADSP_ARRAY_SIZE(comp_types); i++)
		if (comp_types[i]->type == type)
			return comp_types[i];
	return NULL;
}

bool dsp_comp_busy(const struct dsp_comp *c)
{
	return dsp_pipeline_busy(c->obj.pipe);
}

uint32_t dsp_comp_period_us(const struct dsp_comp *c)
{
	if (c->obj.pipe && c->obj.pipe->desc.period_us)
		return c->obj.pipe->desc.period_us;
	return c->engine->period_us;
}

void dsp_comp_set_period(struct dsp_comp *c, uint32_t rate)
{
	c->rate_period = (uint64_t)rate * dsp_comp_period_us(c);
	c->period_fixed = c->rate_period % 1000000u == 0;
	c->period_frames = (uint32_t)((c->rate_period + 999999u) / 1000000u);
	c->period_acc = 0;
}

void dsp_comp_note_xrun(struct dsp_comp *c, bool under, uint32_t frames)
{
	struct dsp_pipeline *p = c->obj.pipe;
	uint64_t bytes = (uint64_t)frames * dsp_fmt_frame_bytes(c->stream.fmt, c->stream.channels);
	int32_t size = bytes > INT32_MAX ? INT32_MAX : (int32_t)bytes;
	uint32_t i;

	for (i = 0; p && i < p->n_served; i++)
		dsp_host_note_xrun(p->served[i], c->obj.id, under ? -size : size);
}

bool dsp_comp_xrun(struct dsp_comp *c, bool under, uint32_t frames)
{
	struct dsp_pipeline *p = c->obj.pipe;

	if (!p)
		return false;
	dsp_comp_note_xrun(c, under, frames);

	if (under && (c->xrun_action & DSP_XRUN_UNDER_ZERO))
		return true;
	if (!under && (c->xrun_action & DSP_XRUN_OVER_NULL))
		return true;

	/* STOP: once the xruns add up to more than the pipeline's limit. */
	if (c->stream.rate)
		p->xrun_us += ((uint64_t)frames * 1000000u + c->stream.rate - 1) / c->stream.rate;
	else
		p->xrun_us += 1;
	if (p->xrun_us > p->desc.xrun_limit_us) {
		p->xrun_stopped = true;
		dsp_pipeline_gate(c->engine, p);
		return false;
	}
	return true;
}
