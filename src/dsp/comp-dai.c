// SPDX-License-Identifier: MIT
/*
 * DAI component: where a pipeline meets the host's audio hardware (an endpoint).
 *
 * A DAI works in its configured format (desc.fmt; DSP_COMP_FMT_INHERIT: its input's for
 * playback, the I/O's or S32 for capture). Each run moves one period between its buffer and
 * the bound struct dsp_dai_io, converting to and from the I/O's format. Without I/O it
 * discards playback and captures silence, still one period per run, so a pipeline can run
 * with nothing attached. Playback short of a period is an underrun, an I/O that refuses a
 * period an overrun (playback) or underrun (capture), no room in the next buffer an overrun
 * (capture); dsp_comp_xrun() applies the xrun action.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/buffer.h"
#include "dsp/comp.h"
#include "dsp/kernels/src.h"
#include "dsp/pipeline.h"

struct dai_priv {
	uint32_t type;
	uint32_t index;
	bool bound;
	struct dsp_dai_io io;
	dsp_convert_fn to_io;		/* work format -> I/O format, or NULL */
	dsp_convert_fn from_io;		/* I/O format -> work format, or NULL */
	uint8_t *stage;			/* a period in the work format */
	uint8_t *io_buf;		/* a period in the I/O format */
	uint32_t frame_bytes;		/* work format */
	uint64_t frames;		/* moved since creation */
};

static int dai_new(struct dsp_comp *c, const struct dsp_comp_desc *d)
{
	struct dai_priv *dp;

	if (d->dai.direction > DSP_DIR_CAPTURE)
		return -EINVAL;
	dp = calloc(1, sizeof(*dp));
	if (!dp)
		return -ENOMEM;
	c->priv = dp;
	c->direction = d->dai.direction;
	dp->type = d->dai.type;
	dp->index = d->dai.index;
	c->max_in = c->direction == DSP_DIR_PLAYBACK ? 1 : 0;
	c->max_out = c->direction == DSP_DIR_CAPTURE ? 1 : 0;
	return 0;
}

static void dai_reset(struct dsp_comp *c)
{
	struct dai_priv *dp = c->priv;

	free(dp->stage);
	free(dp->io_buf);
	dp->stage = NULL;
	dp->io_buf = NULL;
	dp->to_io = dp->from_io = NULL;
}

static void dai_free(struct dsp_comp *c)
{
	if (c->priv)
		dai_reset(c);
	free(c->priv);
	c->priv = NULL;
}

static int dai_params(struct dsp_comp *c, const struct dsp_params_ctx *ctx)
{
	struct dai_priv *dp = c->priv;
	struct dsp_stream s;

	if (c->direction == DSP_DIR_PLAYBACK) {
		if (c->n_in != 1 || !c->in[0]->has_stream)
			return -EINVAL;
		s = c->in[0]->stream;
		if (c->fmt != DSP_COMP_FMT_INHERIT)
			s.fmt = c->fmt;
		if (dp->bound && (s.rate != dp->io.rate || s.channels != dp->io.channels))
			return -EINVAL;
	} else {
		if (c->n_out != 1)
			return -EINVAL;
		s.rate = dp->bound ? dp->io.rate : ctx->rate;
		s.channels = dp->bound ? dp->io.channels : ctx->channels;
		if (c->fmt != DSP_COMP_FMT_INHERIT)
			s.fmt = c->fmt;
		else
			s.fmt = dp->bound ? dp->io.fmt : DSP_FMT_S32_LE;
		dsp_buffer_set_stream(c->out[0], s.fmt, s.rate, s.channels);
	}
	c->stream = s;
	dsp_comp_set_period(c, s.rate);
	return 0;
}

static int dai_prepare(struct dsp_comp *c)
{
	struct dai_priv *dp = c->priv;
	uint32_t frames = c->period_frames;

	dp->frame_bytes = (uint32_t)dsp_fmt_frame_bytes(c->stream.fmt, c->stream.channels);
	dp->stage = calloc(frames, dp->frame_bytes);
	if (!dp->stage)
		return -ENOMEM;
	if (dp->bound && dp->io.fmt != c->stream.fmt) {
		dp->to_io = dsp_convert_func(c->stream.fmt, dp->io.fmt);
		dp->from_io = dsp_convert_func(dp->io.fmt, c->stream.fmt);
		dp->io_buf = calloc(frames, dsp_fmt_frame_bytes(dp->io.fmt, c->stream.channels));
		if (!dp->io_buf || !dp->to_io || !dp->from_io) {
			dai_reset(c);
			return -ENOMEM;
		}
	}
	return 0;
}

static void dai_trigger(struct dsp_comp *c, uint32_t cmd)
{
	if (cmd == DSP_COMP_START)
		dsp_comp_period_restart(c);
}

static void dai_copy_playback(struct dsp_comp *c)
{
	struct dai_priv *dp = c->priv;
	struct dsp_buffer *in = c->in[0];
	uint32_t frames = dsp_comp_run_frames(c);
	uint32_t n = VADSP_MIN(dsp_buffer_avail(in), frames);
	const void *src = n ? dsp_buffer_input(in, n) : NULL;
	size_t samples = (size_t)frames * c->stream.channels;

	if (n < frames) {
		if (!dsp_comp_xrun(c, true, frames - n)) {
			dsp_buffer_consume(in, n);
			return;
		}
		if (n)
			memcpy(dp->stage, src, (size_t)n * dp->frame_bytes);
		dsp_silence(dp->stage + (size_t)n * dp->frame_bytes, c->stream.fmt,
			    (size_t)(frames - n) * c->stream.channels);
		src = dp->stage;
	}
	if (dp->bound) {
		const void *buf = src;
		int r;

		if (dp->to_io) {
			dp->to_io(dp->io_buf, src, samples);
			buf = dp->io_buf;
		}
		r = dp->io.write(dp->io.opaque, buf, frames);
		if (r != (int)frames && !dsp_comp_xrun(c, false, frames)) {
			dsp_buffer_consume(in, n);
			return;
		}
	}
	dsp_buffer_consume(in, n);
	dp->frames += frames;
}

static void dai_copy_capture(struct dsp_comp *c)
{
	struct dai_priv *dp = c->priv;
	struct dsp_buffer *out = c->out[0];
	uint32_t frames = dsp_comp_run_frames(c);
	uint32_t room = dsp_buffer_room(out);
	uint32_t w = VADSP_MIN(frames, room);
	const void *src = dp->stage;
	uint8_t *dst;

	if (room < frames && !dsp_comp_xrun(c, false, frames - room))
		return;
	dst = dsp_buffer_write_ptr(out, w);
	if (dp->bound) {
		bool direct = !dp->from_io && w == frames;
		void *buf = dp->from_io ? (void *)dp->io_buf : direct ? (void *)dst : dp->stage;
		int r = dp->io.read(dp->io.opaque, buf, frames);

		if (r != (int)frames) {
			if (!dsp_comp_xrun(c, true, frames))
				return;
			dsp_silence(dp->stage, c->stream.fmt, (size_t)frames * c->stream.channels);
			direct = false;
		} else if (dp->from_io) {
			dp->from_io(dp->stage, dp->io_buf, (size_t)frames * c->stream.channels);
		}
		if (!direct)
			memcpy(dst, src, (size_t)w * dp->frame_bytes);
	} else {
		dsp_silence(dst, c->stream.fmt, (size_t)w * c->stream.channels);
	}
	dsp_buffer_produce(out, w);
	dp->frames += frames;
}

static void dai_copy(struct dsp_comp *c)
{
	if (c->direction == DSP_DIR_PLAYBACK)
		dai_copy_playback(c);
	else
		dai_copy_capture(c);
}

const struct dsp_comp_ops dsp_dai_ops = {
	.type = DSP_COMP_DAI,
	.name = "dai",
	.new = dai_new,
	.free = dai_free,
	.params = dai_params,
	.prepare = dai_prepare,
	.trigger = dai_trigger,
	.copy = dai_copy,
	.reset = dai_reset,
};

uint64_t dsp_dai_frames(const struct dsp_comp *c)
{
	const struct dai_priv *dp = c->priv;

	return dp->frames;
}

uint32_t dsp_dai_frame_bytes(const struct dsp_comp *c)
{
	return (uint32_t)dsp_fmt_frame_bytes(c->stream.fmt, c->stream.channels);
}

uint32_t dsp_dai_io_rate(const struct dsp_comp *c)
{
	const struct dai_priv *dp = c->priv;

	return dp->bound ? dp->io.rate : 0;
}

int dsp_dai_bind(struct dsp_engine *e, uint32_t dai_id, const struct dsp_dai_io *io)
{
	struct dsp_obj *o = dsp_obj_find(e, dai_id);
	struct dsp_comp *c = dsp_comp_find(e, dai_id);
	struct dai_priv *dp;

	if (!o)
		return -ENODEV;
	if (!c || c->ops->type != DSP_COMP_DAI)
		return -EINVAL;
	if (dsp_comp_busy(c))
		return -EBUSY;
	dp = c->priv;
	if (!io) {
		dp->bound = false;
		memset(&dp->io, 0, sizeof(dp->io));
		return 0;
	}
	if ((c->direction == DSP_DIR_PLAYBACK ? !io->write : !io->read) ||
	    !dsp_fmt_valid(io->fmt) || io->rate < DSP_SRC_RATE_MIN ||
	    io->rate > DSP_SRC_RATE_MAX || !io->channels || io->channels > DSP_MAX_CHANNELS)
		return -EINVAL;
	dp->io = *io;
	dp->bound = true;
	return 0;
}
