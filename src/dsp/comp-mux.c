// SPDX-License-Identifier: MIT
/*
 * Mux and demux components: channel routing by SOF's mux configuration (kernels/mux.h).
 *
 * The configuration blob comes with COMP_NEW (a process component) or later through
 * dsp_comp_set_data(); params fail without one. As in SOF, configuration stream s is the
 * buffer whose pipeline id is pipeline_id[s]: a mux's inputs, a demux's outputs.
 *
 * Mux: one output of map[0].channels channels; an input whose pipeline is not running (or
 * not connected) reads as silence. Each run moves a period, or less when a running input
 * has less. Demux: one input; each output gets the input routed by its stream's map; outputs
 * whose consuming pipeline is not running are skipped, and each run moves what the input
 * holds (up to the room of the running outputs). A demux may gain and lose outputs while it
 * runs (guests capturing from a shared DAI), up to DSP_DEMUX_MAX_STREAMS routed ones.
 *
 * A demux's period does not search its configuration: each output's stream index is looked
 * up on the control path (params, a new configuration, a schedule rebuild after a connect or
 * disconnect) and kept per output with the pipeline id it was found for. An output the
 * control path has not seen yet is looked up once in the period and kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/buffer.h"
#include "dsp/comp.h"
#include "dsp/kernels/mux.h"
#include "dsp/pipeline.h"

_Static_assert(8u + 16u * DSP_DEMUX_MAX_STREAMS <= DSP_CTRL_DATA_MAX,
	       "a demux blob of DSP_DEMUX_MAX_STREAMS streams must fit a control's data");

/* The stream a demux output routes by, for the pipeline id it was looked up for. */
struct demux_out {
	uint32_t pipeline_id;
	int32_t stream;		/* configuration stream index, or -1: not routed */
	bool known;
};

struct mux_priv {
	bool demux;
	bool has_cfg;
	struct dsp_mux_config cfg;
	struct dsp_mux_config next;		/* a new configuration being checked */
	uint8_t blob[DSP_CTRL_DATA_MAX];
	uint32_t blob_size;
	dsp_route_fn route;
	int32_t input_of[DSP_MUX_MAX_STREAMS];	/* mux: input index per stream, or -1 */
	uint8_t *zero;				/* a period of silence, DSP_MAX_CHANNELS wide */
	struct demux_out *outs;			/* demux: per output index */
	uint32_t outs_cap;
};

static int stream_of(const struct dsp_mux_config *cfg, uint32_t pipeline_id)
{
	uint32_t s;

	for (s = 0; s < cfg->streams; s++)
		if (cfg->pipeline_id[s] == pipeline_id)
			return (int)s;
	return -1;
}

/*
 * Demux, control path: look up every output's stream under the current configuration, with
 * room for all outputs when memory allows (outputs past the room are looked up per period).
 */
static void demux_index(struct dsp_comp *c)
{
	struct mux_priv *mp = c->priv;
	uint32_t i;

	if (c->n_out > mp->outs_cap) {
		struct demux_out *o = realloc(mp->outs, (size_t)c->n_out * sizeof(*o));

		if (o) {
			mp->outs = o;
			mp->outs_cap = c->n_out;
		}
	}
	for (i = 0; i < mp->outs_cap; i++) {
		struct demux_out *o = &mp->outs[i];

		o->known = i < c->n_out;
		if (!o->known)
			continue;
		o->pipeline_id = c->out[i]->obj.pipeline_id;
		o->stream = stream_of(&mp->cfg, o->pipeline_id);
	}
}

/* Demux, period path: the stream of output @i (buffer @b), or -1. */
static int demux_stream(struct mux_priv *mp, uint32_t i, const struct dsp_buffer *b)
{
	struct demux_out *o;

	if (i >= mp->outs_cap)
		return stream_of(&mp->cfg, b->obj.pipeline_id);
	o = &mp->outs[i];
	if (!o->known || o->pipeline_id != b->obj.pipeline_id) {
		o->pipeline_id = b->obj.pipeline_id;
		o->stream = stream_of(&mp->cfg, o->pipeline_id);
		o->known = true;
	}
	return o->stream;
}

static int mux_common_new(struct dsp_comp *c, const struct dsp_comp_desc *d, bool demux)
{
	struct mux_priv *mp = calloc(1, sizeof(*mp));
	int ret;

	if (!mp)
		return -ENOMEM;
	c->priv = mp;
	mp->demux = demux;
	if (demux)
		c->max_out = DSP_COMP_MANY;
	else
		c->max_in = DSP_MUX_MAX_STREAMS;
	if (d->process.data && d->process.size) {
		if (d->process.size > DSP_CTRL_DATA_MAX)
			return -EINVAL;
		ret = dsp_mux_config_parse(&mp->cfg, d->process.data, d->process.size, demux);
		if (ret)
			return ret;
		memcpy(mp->blob, d->process.data, d->process.size);
		mp->blob_size = d->process.size;
		mp->has_cfg = true;
	}
	return 0;
}

static int mux_new(struct dsp_comp *c, const struct dsp_comp_desc *d)
{
	return mux_common_new(c, d, false);
}

static int demux_new(struct dsp_comp *c, const struct dsp_comp_desc *d)
{
	return mux_common_new(c, d, true);
}

static void mux_reset(struct dsp_comp *c)
{
	struct mux_priv *mp = c->priv;

	free(mp->zero);
	mp->zero = NULL;
}

static void mux_free(struct dsp_comp *c)
{
	struct mux_priv *mp = c->priv;

	if (mp) {
		mux_reset(c);
		free(mp->outs);
	}
	free(mp);
	c->priv = NULL;
}

/*
 * Check @cfg against the mux's inputs; fill @input_of and @out (the output stream).
 * @fmt is the working format (or DSP_COMP_FMT_INHERIT to take the first input's).
 */
static int mux_check(const struct dsp_comp *c, const struct dsp_mux_config *cfg, uint32_t fmt,
		     int32_t *input_of, struct dsp_stream *out)
{
	uint32_t chans[DSP_MUX_MAX_STREAMS];
	bool have = false;
	uint32_t i, s;

	for (s = 0; s < DSP_MUX_MAX_STREAMS; s++) {
		input_of[s] = -1;
		chans[s] = DSP_MAX_CHANNELS;
	}
	for (i = 0; i < c->n_in; i++) {
		const struct dsp_buffer *b = c->in[i];
		int si = stream_of(cfg, b->obj.pipeline_id);

		if (si < 0 || input_of[si] >= 0)
			return -EINVAL;
		input_of[si] = (int32_t)i;
		if (!b->has_stream)
			continue;
		chans[si] = b->stream.channels;
		if (!have) {
			*out = b->stream;
			have = true;
		} else if (b->stream.rate != out->rate) {
			return -EINVAL;
		}
	}
	if (!have)
		return -EINVAL;
	if (dsp_route_check(&cfg->map[0], cfg->streams, chans))
		return -EINVAL;
	if (fmt != DSP_COMP_FMT_INHERIT)
		out->fmt = fmt;
	out->channels = cfg->map[0].channels;
	return 0;
}

/* Check @cfg against a demux's input and outputs. */
static int demux_check(const struct dsp_comp *c, const struct dsp_mux_config *cfg)
{
	uint32_t ch = c->stream.channels, i;

	for (i = 0; i < c->n_out; i++) {
		int s = stream_of(cfg, c->out[i]->obj.pipeline_id);

		if (s < 0 || dsp_route_check(&cfg->map[s], 1, &ch))
			return -EINVAL;
	}
	return 0;
}

static int mux_params(struct dsp_comp *c, const struct dsp_params_ctx *ctx)
{
	struct mux_priv *mp = c->priv;
	struct dsp_stream s;
	uint32_t i;
	int ret;

	(void)ctx;
	if (!mp->has_cfg)
		return -EINVAL;
	if (!mp->demux) {
		if (c->n_out != 1)
			return -EINVAL;
		ret = mux_check(c, &mp->cfg, c->fmt, mp->input_of, &s);
		if (ret)
			return ret;
		c->stream = s;
		dsp_comp_set_period(c, s.rate);
		dsp_buffer_set_stream(c->out[0], s.fmt, s.rate, s.channels);
		return 0;
	}
	if (c->n_in != 1 || !c->in[0]->has_stream)
		return -EINVAL;
	s = c->in[0]->stream;
	if (c->fmt != DSP_COMP_FMT_INHERIT)
		s.fmt = c->fmt;
	c->stream = s;
	ret = demux_check(c, &mp->cfg);
	if (ret)
		return ret;
	for (i = 0; i < c->n_out; i++) {
		int si = stream_of(&mp->cfg, c->out[i]->obj.pipeline_id);

		dsp_buffer_set_stream(c->out[i], s.fmt, s.rate, mp->cfg.map[si].channels);
	}
	dsp_comp_set_period(c, s.rate);
	demux_index(c);
	return 0;
}

static int mux_prepare(struct dsp_comp *c)
{
	struct mux_priv *mp = c->priv;

	mp->route = dsp_route_func(c->stream.fmt);
	if (!mp->route)
		return -EINVAL;
	if (!mp->demux) {
		mp->zero = calloc(c->period_frames ? c->period_frames : 1,
				  (size_t)DSP_MAX_CHANNELS * sizeof(int32_t));
		if (!mp->zero)
			return -ENOMEM;
	}
	return 0;
}

/* A stream joining a prepared mux: same rate, and the routes must find their channels. */
static int mux_accept(struct dsp_comp *c, const struct dsp_buffer *b)
{
	struct mux_priv *mp = c->priv;
	uint32_t chans[DSP_MUX_MAX_STREAMS], s;

	if (b->stream.rate != c->stream.rate)
		return -EINVAL;
	for (s = 0; s < DSP_MUX_MAX_STREAMS; s++) {
		const struct dsp_buffer *in = mp->input_of[s] >= 0 ? c->in[mp->input_of[s]] : NULL;

		chans[s] = in == b ? b->stream.channels :
			   in && in->has_stream ? in->stream.channels : DSP_MAX_CHANNELS;
	}
	return dsp_route_check(&mp->cfg.map[0], mp->cfg.streams, chans) ? -EINVAL : 0;
}

static void mux_trigger(struct dsp_comp *c, uint32_t cmd)
{
	if (cmd == DSP_COMP_START)
		dsp_comp_period_restart(c);
}

static void mux_copy(struct dsp_comp *c)
{
	struct mux_priv *mp = c->priv;
	struct dsp_route_src srcs[DSP_MUX_MAX_STREAMS];
	struct dsp_buffer *out = c->out[0];
	uint32_t frames = VADSP_MIN(dsp_comp_run_frames(c), dsp_buffer_room(out));
	bool live[DSP_MUX_MAX_STREAMS];
	uint32_t s;

	for (s = 0; s < mp->cfg.streams; s++) {
		struct dsp_buffer *b = mp->input_of[s] >= 0 ? c->in[mp->input_of[s]] : NULL;

		live[s] = b && b->has_stream && dsp_buffer_producer_running(b);
		if (live[s])
			frames = VADSP_MIN(frames, dsp_buffer_avail(b));
	}
	if (!frames)
		return;
	for (s = 0; s < mp->cfg.streams; s++) {
		struct dsp_buffer *b = live[s] ? c->in[mp->input_of[s]] : NULL;

		srcs[s].data = b ? dsp_buffer_input(b, frames) : mp->zero;
		srcs[s].channels = b ? b->stream.channels : DSP_MAX_CHANNELS;
	}
	mp->route(dsp_buffer_write_ptr(out, frames), &mp->cfg.map[0], srcs, frames);
	for (s = 0; s < mp->cfg.streams; s++)
		if (live[s])
			dsp_buffer_consume(c->in[mp->input_of[s]], frames);
	dsp_buffer_produce(out, frames);
}

static void demux_copy(struct dsp_comp *c)
{
	struct mux_priv *mp = c->priv;
	struct dsp_buffer *in = c->in[0];
	uint32_t frames = dsp_buffer_avail(in), i;
	struct dsp_route_src src;

	for (i = 0; i < c->n_out; i++)
		if (c->out[i]->has_stream && dsp_buffer_consumer_running(c->out[i]))
			frames = VADSP_MIN(frames, dsp_buffer_room(c->out[i]));
	if (!frames)
		return;
	src.data = dsp_buffer_input(in, frames);
	src.channels = in->stream.channels;
	for (i = 0; i < c->n_out; i++) {
		struct dsp_buffer *b = c->out[i];
		int s;

		if (!b->has_stream || !b->data || !dsp_buffer_consumer_running(b))
			continue;
		s = demux_stream(mp, i, b);
		if (s < 0)
			continue;
		mp->route(dsp_buffer_write_ptr(b, frames), &mp->cfg.map[s], &src, frames);
		dsp_buffer_produce(b, frames);
	}
	dsp_buffer_consume(in, frames);
}

static int mux_set_ctrl(struct dsp_comp *c, struct dsp_ctrl *ctl)
{
	struct mux_priv *mp = c->priv;
	struct dsp_mux_config *cfg = &mp->next;
	int32_t input_of[DSP_MUX_MAX_STREAMS];
	struct dsp_stream s;
	int ret;

	if (ctl->op != DSP_CTRL_OP_DATA)
		return -EINVAL;
	ret = dsp_mux_config_parse(cfg, ctl->data, ctl->size, mp->demux);
	if (ret)
		return ret;
	if (c->prepared) {
		/* The new routes must fit the running streams. */
		if (mp->demux) {
			uint32_t i;

			ret = demux_check(c, cfg);
			for (i = 0; !ret && i < c->n_out; i++) {
				int si = stream_of(cfg, c->out[i]->obj.pipeline_id);

				if (c->out[i]->has_stream &&
				    cfg->map[si].channels != c->out[i]->stream.channels)
					ret = -EINVAL;
			}
		} else {
			ret = mux_check(c, cfg, c->stream.fmt, input_of, &s);
			if (!ret && s.channels != c->stream.channels)
				ret = -EINVAL;
			if (!ret)
				memcpy(mp->input_of, input_of, sizeof(input_of));
		}
		if (ret)
			return ret;
	}
	mp->cfg = *cfg;
	memcpy(mp->blob, ctl->data, ctl->size);
	mp->blob_size = ctl->size;
	mp->has_cfg = true;
	if (mp->demux)
		demux_index(c);
	return 0;
}

/* After a schedule rebuild (outputs connected or gone): index the demux's outputs again. */
static void demux_plan(struct dsp_comp *c)
{
	demux_index(c);
}

static int mux_get_ctrl(struct dsp_comp *c, struct dsp_ctrl *ctl)
{
	struct mux_priv *mp = c->priv;

	if (ctl->op != DSP_CTRL_OP_DATA)
		return -EINVAL;
	if (ctl->size < mp->blob_size)
		return -ENOSPC;
	if (mp->blob_size)
		memcpy(ctl->data, mp->blob, mp->blob_size);
	ctl->size = mp->blob_size;
	return 0;
}

const struct dsp_comp_ops dsp_mux_ops = {
	.type = DSP_COMP_MUX,
	.name = "mux",
	.new = mux_new,
	.free = mux_free,
	.params = mux_params,
	.prepare = mux_prepare,
	.trigger = mux_trigger,
	.accept = mux_accept,
	.copy = mux_copy,
	.set_ctrl = mux_set_ctrl,
	.get_ctrl = mux_get_ctrl,
	.reset = mux_reset,
};

const struct dsp_comp_ops dsp_demux_ops = {
	.type = DSP_COMP_DEMUX,
	.name = "demux",
	.new = demux_new,
	.free = mux_free,
	.params = mux_params,
	.prepare = mux_prepare,
	.copy = demux_copy,
	.set_ctrl = mux_set_ctrl,
	.get_ctrl = mux_get_ctrl,
	.reset = mux_reset,
	.plan = demux_plan,
};
