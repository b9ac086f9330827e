// SPDX-License-Identifier: MIT
/*
 * EQ IIR component: SOF's IIR equaliser as a process component (kernels/eq-iir.h).
 *
 * The configuration blob (without its ABI header) comes with COMP_NEW and may be replaced
 * through dsp_comp_set_data(); a running equaliser switches to a new blob at once, with its
 * delay lines cleared. It works in its configured format (or its input's). A stream start
 * clears the delay lines.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/buffer.h"
#include "dsp/comp.h"
#include "dsp/kernels/eq-iir.h"

struct eq_priv {
	struct dsp_eq_iir_config cfg;
	struct dsp_eq_iir_config staging;
	struct dsp_eq_iir eq;
	uint8_t blob[DSP_EQ_IIR_MAX_SIZE];
	uint32_t blob_size;
};

static int eq_new(struct dsp_comp *c, const struct dsp_comp_desc *d)
{
	struct eq_priv *ep;
	int ret;

	if (!d->process.data || !d->process.size || d->process.size > DSP_EQ_IIR_MAX_SIZE)
		return -EINVAL;
	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	c->priv = ep;
	ret = dsp_eq_iir_parse(&ep->cfg, d->process.data, d->process.size);
	if (ret)
		return ret;
	memcpy(ep->blob, d->process.data, d->process.size);
	ep->blob_size = d->process.size;
	return 0;
}

static void eq_free(struct dsp_comp *c)
{
	free(c->priv);
	c->priv = NULL;
}

static int eq_params(struct dsp_comp *c, const struct dsp_params_ctx *ctx)
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

static int eq_prepare(struct dsp_comp *c)
{
	struct eq_priv *ep = c->priv;

	return dsp_eq_iir_prepare(&ep->eq, &ep->cfg, c->stream.fmt, c->stream.channels);
}

static void eq_trigger(struct dsp_comp *c, uint32_t cmd)
{
	struct eq_priv *ep = c->priv;

	if (cmd == DSP_COMP_START)
		dsp_eq_iir_reset(&ep->eq);
}

static void eq_copy(struct dsp_comp *c)
{
	struct eq_priv *ep = c->priv;
	struct dsp_buffer *in = c->in[0], *out = c->out[0];
	uint32_t frames = VADSP_MIN(dsp_buffer_avail(in), dsp_buffer_room(out));
	void *dst;

	if (!frames)
		return;
	dst = dsp_buffer_write_ptr(out, frames);
	dsp_eq_iir_process(&ep->eq, dst, dsp_buffer_input(in, frames), frames);
	dsp_buffer_consume(in, frames);
	dsp_buffer_produce(out, frames);
}

static int eq_set_ctrl(struct dsp_comp *c, struct dsp_ctrl *ctl)
{
	struct eq_priv *ep = c->priv;
	int ret;

	if (ctl->op != DSP_CTRL_OP_DATA || ctl->size > DSP_EQ_IIR_MAX_SIZE)
		return -EINVAL;
	ret = dsp_eq_iir_parse(&ep->staging, ctl->data, ctl->size);
	if (ret)
		return ret;
	if (c->prepared) {
		ret = dsp_eq_iir_prepare(&ep->eq, &ep->staging, c->stream.fmt,
					 c->stream.channels);
		if (ret) {
			/* Keep running the old response. */
			dsp_eq_iir_prepare(&ep->eq, &ep->cfg, c->stream.fmt, c->stream.channels);
			return ret;
		}
	}
	ep->cfg = ep->staging;
	memcpy(ep->blob, ctl->data, ctl->size);
	ep->blob_size = ctl->size;
	return 0;
}

static int eq_get_ctrl(struct dsp_comp *c, struct dsp_ctrl *ctl)
{
	struct eq_priv *ep = c->priv;

	if (ctl->op != DSP_CTRL_OP_DATA)
		return -EINVAL;
	if (ctl->size < ep->blob_size)
		return -ENOSPC;
	memcpy(ctl->data, ep->blob, ep->blob_size);
	ctl->size = ep->blob_size;
	return 0;
}

const struct dsp_comp_ops dsp_eq_iir_ops = {
	.type = DSP_COMP_EQ_IIR,
	.name = "eq_iir",
	.new = eq_new,
	.free = eq_free,
	.params = eq_params,
	.prepare = eq_prepare,
	.trigger = eq_trigger,
	.copy = eq_copy,
	.set_ctrl = eq_set_ctrl,
	.get_ctrl = eq_get_ctrl,
};
