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
 *
 * The sum builds up in an accumulator (kernels/mix.h, "mixing in steps"), opened once per
 * tick: by the first producer that hands its input over early (comp.h, "Early mixing"), or by
 * the mixer's own run; the run adds the inputs nobody took and stores the sum.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/buffer.h"
#include "dsp/comp.h"
#include "dsp/kernels/mix.h"
#include "dsp/pipeline.h"
#include "dsp/sched.h"

struct mixer_priv {
	struct dsp_mix_sum sum;
	dsp_mix_acc_fn add;
	dsp_mix_out_fn out;
	size_t acc_bytes;	/* the size sum.acc was allocated with */
};

static int mixer_new(struct dsp_comp *c, const struct dsp_comp_desc *d)
{
	struct mixer_priv *mp;

	(void)d;
	mp = dsp_arena_alloc(&c->engine->arena, sizeof(*mp));
	if (!mp)
		return -ENOMEM;
	mp->sum.mixer = c;
	mp->sum.ticks = &c->engine->ticks;
	c->priv = mp;
	c->max_in = DSP_COMP_MANY;
	return 0;
}

/* No input is handed over early any more. */
static void mixer_unplan(struct dsp_comp *c)
{
	struct mixer_priv *mp = c->priv;
	uint32_t i;

	for (i = 0; i < c->n_in; i++)
		if (c->in[i]->mix_into == &mp->sum)
			c->in[i]->mix_into = NULL;
}

/* (Inputs keep their mix_into: without an accumulator, dsp_mix_open() says 0.) */
static void mixer_reset(struct dsp_comp *c)
{
	struct mixer_priv *mp = c->priv;

	dsp_arena_free(&c->engine->arena, mp->sum.acc, mp->acc_bytes);
	mp->sum.acc = NULL;
	mp->sum.tick = 0;
	mp->sum.frames = 0;
}

static void mixer_free(struct dsp_comp *c)
{
	if (c->priv)
		mixer_reset(c);
	dsp_arena_free(&c->engine->arena, c->priv, sizeof(struct mixer_priv));
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

/* True if input @b may be handed over early (comp.h, "Early mixing"), the mixer being in @p. */
static bool early_input(const struct dsp_pipeline *p, const struct dsp_buffer *b)
{
	const struct dsp_comp *s = b->source;
	const struct dsp_pipeline *q = s ? s->obj.pipe : NULL;

	return s && s->ops->mix_early && s->n_out == 1 && q && q != p && q->complete &&
	       q->run_index < p->run_index && q->n_comps && q->comps[q->n_comps - 1] == s &&
	       q->period_div == p->period_div;
}

static void mixer_plan(struct dsp_comp *c)
{
	struct mixer_priv *mp = c->priv;
	const struct dsp_pipeline *p = c->obj.pipe;
	bool in_order = true, late = false, seen = false;
	uint32_t i, last = 0;

	mixer_unplan(c);
	if (c->engine->late_mix || !mp->sum.acc || !p || !p->complete ||
	    p->run_index == UINT32_MAX || !p->n_comps || p->comps[0] != c || !c->out[0]->sink ||
	    c->out[0]->sink->obj.pipe != p)
		return;
	for (i = 0; i < c->n_in; i++) {
		const struct dsp_buffer *b = c->in[i];

		if (!early_input(p, b)) {
			late = true;
			continue;
		}
		if (late || (seen && b->source->obj.pipe->run_index <= last))
			in_order = false;
		last = b->source->obj.pipe->run_index;
		seen = true;
	}
	/* Double sums depend on the order of the additions: all early, in order, or none. */
	if (c->stream.fmt == DSP_FMT_FLOAT && !in_order)
		return;
	for (i = 0; i < c->n_in; i++)
		if (early_input(p, c->in[i]))
			c->in[i]->mix_into = &mp->sum;
}

static int mixer_prepare(struct dsp_comp *c)
{
	struct mixer_priv *mp = c->priv;
	size_t bytes = (size_t)c->period_frames * c->stream.channels * DSP_MIX_ACC_BYTES;

	mp->add = dsp_mix_acc_func(c->stream.fmt);
	mp->out = dsp_mix_out_func(c->stream.fmt);
	if (!mp->add || !mp->out)
		return -EINVAL;
	dsp_arena_free(&c->engine->arena, mp->sum.acc, mp->acc_bytes);
	/* cache-line aligned: the kernels read it many times a period */
	mp->sum.acc = dsp_arena_alloc(&c->engine->arena, bytes);
	mp->acc_bytes = bytes;
	if (!mp->sum.acc)
		return -ENOMEM;
	mp->sum.tick = 0;
	mp->sum.frames = 0;
	mixer_plan(c);
	return 0;
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

/* Start the tick's sum: @frames frames of zeros. */
static void mixer_open(struct dsp_comp *c, struct dsp_mix_sum *s, uint32_t frames)
{
	s->tick = *s->ticks;
	s->frames = frames;
	s->taken = 0;
	memset(s->acc, 0, (size_t)frames * c->stream.channels * DSP_MIX_ACC_BYTES);
}

/*
 * The frames mixer_copy() takes in this tick, before it runs: what dsp_comp_run_frames() will
 * return, limited by the room in the output (which only the mixer and its pipeline touch).
 */
static uint32_t mixer_frames_ahead(const struct dsp_comp *c)
{
	uint32_t f;

	if (!dsp_sched_runs_now(c->engine, c->obj.pipe))
		return 0;
	if (c->period_fixed)
		f = c->period_frames;
	else
		f = (uint32_t)((c->period_acc + c->rate_period) / 1000000u);
	return VADSP_MIN(f, dsp_buffer_room(c->out[0]));
}

uint32_t dsp_mix_open(struct dsp_mix_sum *s)
{
	struct dsp_comp *c = s->mixer;

	if (!s->acc) {
		s->tick = *s->ticks;
		s->frames = 0;
		return 0;
	}
	mixer_open(c, s, mixer_frames_ahead(c));
	return s->frames;
}

/*
 * Input @b's share of a mix of @frames frames: NULL if it is not mixed (no storage, or its
 * producer does not run), else @frames frames in the mixer's format (the buffer's own, or
 * converted and padded with silence in its staging area). Consumes what it takes (the frames
 * stay in place until the producer's next run).
 */
static const void *mixer_input(const struct dsp_comp *c, struct dsp_buffer *b, uint32_t frames)
{
	uint32_t ch = c->stream.channels, n;
	const void *p;

	if (!b->stage || !dsp_buffer_producer_running(b))
		return NULL;
	n = VADSP_MIN(dsp_buffer_avail(b), frames);
	if (n == frames && !b->conv) {
		p = dsp_buffer_read_ptr(b);
	} else {
		if (b->conv)
			b->conv(b->stage, dsp_buffer_read_ptr(b), (size_t)n * ch);
		else
			memcpy(b->stage, dsp_buffer_read_ptr(b), (size_t)n * b->frame_bytes);
		dsp_silence(b->stage + (size_t)n * b->stage_frame_bytes, c->stream.fmt,
			    (size_t)(frames - n) * ch);
		p = b->stage;
	}
	dsp_buffer_consume(b, n);
	return p;
}

void dsp_mix_take(struct dsp_mix_sum *s, struct dsp_buffer *b)
{
	struct dsp_comp *c = s->mixer;
	struct mixer_priv *mp = c->priv;
	uint32_t frames = dsp_mix_frames(s);
	const void *p;

	if (!frames)
		return;
	p = mixer_input(c, b, frames);
	if (p) {
		mp->add(s->acc, &p, 1, (size_t)frames * c->stream.channels);
		s->stats.early++;
	}
	b->mix_taken = s->tick;
	s->taken++;
}

void dsp_mixer_stats(const struct dsp_comp *c, struct dsp_mix_stats *st)
{
	const struct mixer_priv *mp = c->priv;

	st->direct += mp->sum.stats.direct;
	st->fused += mp->sum.stats.fused;
	st->early += mp->sum.stats.early;
	st->late += mp->sum.stats.late;
}

static void mixer_copy(struct dsp_comp *c)
{
	struct mixer_priv *mp = c->priv;
	struct dsp_mix_sum *s = &mp->sum;
	struct dsp_buffer *out = c->out[0];
	uint32_t frames = VADSP_MIN(dsp_comp_run_frames(c), dsp_buffer_room(out));
	uint32_t ch = c->stream.channels, nsrc = 0, i;
	size_t samples = (size_t)frames * ch;
	uint64_t now = *s->ticks;
	void *dst = dsp_buffer_write_ptr(out, frames);

	if (s->tick != now)
		mixer_open(c, s, frames);
	else if (s->frames < frames)	/* cannot happen (mixer_frames_ahead()) */
		memset(s->acc + (size_t)s->frames * ch * DSP_MIX_ACC_BYTES, 0,
		       (samples - (size_t)s->frames * ch) * DSP_MIX_ACC_BYTES);

	/* The inputs no producer handed over, in order. */
	if (s->taken < c->n_in) {
		for (i = 0; i < c->n_in; i++) {
			struct dsp_buffer *b = c->in[i];
			const void *p;

			/* Hundreds of inputs: fetch ahead what the next ones will need. */
			if (i + 8 < c->n_in)
				__builtin_prefetch(c->in[i + 8]);
			if (i + 4 < c->n_in) {
				const struct dsp_buffer *ahead = c->in[i + 4];

				__builtin_prefetch(ahead->source);
				__builtin_prefetch(ahead->data);
			}
			if (b->mix_taken == now)
				continue;
			p = mixer_input(c, b, frames);
			if (p)
				c->in_ptrs[nsrc++] = p;
		}
		if (nsrc)
			mp->add(s->acc, c->in_ptrs, nsrc, samples);
		s->stats.late += nsrc;
	}
	mp->out(dst, s->acc, samples);
	s->frames = 0;	/* a producer that would run later in this tick adds nothing */
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
	.reset = mixer_reset,
	.plan = mixer_plan,
};
