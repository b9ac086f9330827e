// SPDX-License-Identifier: MIT
/*
 * Pipelines: completion, params propagation and the state machine (see pipeline.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "dsp/buffer.h"
#include "dsp/pipeline.h"
#include "dsp/sched.h"
#include "util/log.h"

#define NO_STATE	(-1)

/* Self-state transitions: trigger_next[state][cmd] (STYLE rule 11). */
static const int8_t trigger_next[DSP_STATE_ACTIVE + 1][DSP_TRIGGER_XRUN + 1] = {
	[DSP_STATE_INIT] = { NO_STATE, NO_STATE, NO_STATE, NO_STATE, NO_STATE },
	[DSP_STATE_READY] = { NO_STATE, NO_STATE, NO_STATE, NO_STATE, NO_STATE },
	[2] = { NO_STATE, NO_STATE, NO_STATE, NO_STATE, NO_STATE },
	[DSP_STATE_PREPARE] = {
		[DSP_TRIGGER_START] = DSP_STATE_ACTIVE,
		[DSP_TRIGGER_STOP] = NO_STATE,
		[DSP_TRIGGER_PAUSE] = NO_STATE,
		[DSP_TRIGGER_RELEASE] = NO_STATE,
		[DSP_TRIGGER_XRUN] = DSP_STATE_PREPARE,
	},
	[DSP_STATE_PAUSED] = {
		[DSP_TRIGGER_START] = NO_STATE,
		[DSP_TRIGGER_STOP] = DSP_STATE_PREPARE,
		[DSP_TRIGGER_PAUSE] = NO_STATE,
		[DSP_TRIGGER_RELEASE] = DSP_STATE_ACTIVE,
		[DSP_TRIGGER_XRUN] = DSP_STATE_PAUSED,
	},
	[DSP_STATE_ACTIVE] = {
		[DSP_TRIGGER_START] = NO_STATE,
		[DSP_TRIGGER_STOP] = DSP_STATE_PREPARE,
		[DSP_TRIGGER_PAUSE] = DSP_STATE_PAUSED,
		[DSP_TRIGGER_RELEASE] = NO_STATE,
		[DSP_TRIGGER_XRUN] = DSP_STATE_ACTIVE,
	},
};

/* ---------------------------------------------------------------------------------------- */
/* Small growable arrays (control path)                                                      */

static int ptr_push(void ***v, uint32_t *n, uint32_t *cap, void *p)
{
	if (*n == *cap) {
		uint32_t ncap = *cap ? *cap * 2 : 8;
		void **nv = realloc(*v, (size_t)ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = p;
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Completion                                                                                */

struct members {
	uint32_t pipeline_id;
	void **comps;
	uint32_t n_comps;
	uint32_t cap_comps;
	void **bufs;
	uint32_t n_bufs;
	uint32_t cap_bufs;
	int err;
};

static int collect_member(struct dsp_obj *o, void *arg)
{
	struct members *m = arg;

	if (o->pipeline_id != m->pipeline_id)
		return 0;
	if (o->kind == DSP_OBJ_COMP)
		m->err = ptr_push(&m->comps, &m->n_comps, &m->cap_comps,
				  vadsp_container_of(o, struct dsp_comp, obj));
	else if (o->kind == DSP_OBJ_BUFFER)
		m->err = ptr_push(&m->bufs, &m->n_bufs, &m->cap_bufs,
				  vadsp_container_of(o, struct dsp_buffer, obj));
	return m->err;
}

static int cmp_seq(const void *a, const void *b)
{
	const struct dsp_obj *x = *(struct dsp_obj *const *)a;
	const struct dsp_obj *y = *(struct dsp_obj *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Can @c end a pipeline on its input side with no input inside it? */
static bool natural_source(const struct dsp_comp *c)
{
	switch (c->ops->type) {
	case DSP_COMP_HOST:
		return c->direction == DSP_DIR_PLAYBACK;
	case DSP_COMP_DAI:
		return c->direction == DSP_DIR_CAPTURE;
	case DSP_COMP_TONE:
	case DSP_COMP_MIXER:
	case DSP_COMP_MUX:
		return true;
	default:
		return false;
	}
}

static bool natural_sink(const struct dsp_comp *c)
{
	switch (c->ops->type) {
	case DSP_COMP_HOST:
		return c->direction == DSP_DIR_CAPTURE;
	case DSP_COMP_DAI:
		return c->direction == DSP_DIR_PLAYBACK;
	case DSP_COMP_DEMUX:
		return true;
	default:
		return false;
	}
}

static bool is_member(const struct dsp_pipeline *p, const struct dsp_obj *o)
{
	return o && o->pipeline_id == p->obj.pipeline_id && o->kind != DSP_OBJ_PIPELINE;
}

/* Internal edge: @b is a member and so are both its ends. */
static bool internal_buffer(const struct dsp_pipeline *p, const struct dsp_buffer *b)
{
	return is_member(p, &b->obj) && b->source && b->sink && is_member(p, &b->source->obj) &&
	       is_member(p, &b->sink->obj);
}

/* Every member reachable from the first component, ignoring direction? */
static bool members_connected(struct dsp_engine *e, const struct dsp_pipeline *p,
			      struct members *m)
{
	uint32_t gen = ++e->gen;
	struct dsp_comp **stack;
	uint32_t top = 0, seen = 0, i;
	bool ok;

	stack = calloc(m->n_comps, sizeof(*stack));
	if (!stack)
		return false;
	stack[top++] = m->comps[0];
	((struct dsp_comp *)m->comps[0])->mark = gen;
	seen++;
	while (top) {
		struct dsp_comp *c = stack[--top];
		struct dsp_buffer *const *lists[2] = { c->in, c->out };
		uint32_t counts[2] = { c->n_in, c->n_out };
		uint32_t l;

		for (l = 0; l < 2; l++)
			for (i = 0; i < counts[l]; i++) {
				struct dsp_buffer *b = lists[l][i];
				struct dsp_comp *o = l == 0 ? b->source : b->sink;

				if (!is_member(p, &b->obj))
					continue;
				b->mark = gen;
				if (o && is_member(p, &o->obj) && o->mark != gen) {
					o->mark = gen;
					seen++;
					stack[top++] = o;
				}
			}
	}
	ok = seen == m->n_comps;
	for (i = 0; ok && i < m->n_bufs; i++)
		ok = ((struct dsp_buffer *)m->bufs[i])->mark == gen;
	free(stack);
	return ok;
}

/* Order the member components from sources to sinks (Kahn). Return -EINVAL on a cycle. */
static int order_members(const struct dsp_pipeline *p, struct members *m, struct dsp_comp **out)
{
	uint32_t head = 0, tail = 0, i, j;

	for (i = 0; i < m->n_comps; i++) {
		struct dsp_comp *c = m->comps[i];

		c->indeg = 0;
		for (j = 0; j < c->n_in; j++)
			if (internal_buffer(p, c->in[j]))
				c->indeg++;
		if (!c->indeg)
			out[tail++] = c;
	}
	while (head < tail) {
		struct dsp_comp *c = out[head++];

		for (j = 0; j < c->n_out; j++) {
			struct dsp_buffer *b = c->out[j];

			if (internal_buffer(p, b) && --b->sink->indeg == 0)
				out[tail++] = b->sink;
		}
	}
	return tail == m->n_comps ? 0 : -EINVAL;
}

void dsp_pipeline_uncomplete(struct dsp_engine *e, struct dsp_pipeline *p)
{
	uint32_t i;

	if (!p->complete)
		return;
	for (i = 0; i < p->n_comps; i++)
		p->comps[i]->obj.pipe = NULL;
	for (i = 0; i < p->n_bufs; i++)
		p->bufs[i]->obj.pipe = NULL;
	free(p->comps);
	free(p->bufs);
	p->comps = NULL;
	p->bufs = NULL;
	p->n_comps = p->n_bufs = 0;
	p->host = NULL;
	p->sched_comp = NULL;
	p->complete = false;
	p->self_state = p->state = DSP_STATE_INIT;
	p->running = false;
	p->run_index = UINT32_MAX;
	if (dsp_sched_rebuild(e))
		vadsp_warn("dsp", "out of memory rebuilding the schedule");
}

static int complete_check(struct dsp_engine *e, struct dsp_pipeline *p, struct members *m,
			  struct dsp_comp **order)
{
	struct dsp_comp *host = NULL;
	uint32_t i, j;

	if (!m->n_comps) {
		vadsp_warn("dsp", "pipeline %u: no component has pipeline id %u", p->obj.id,
			   p->obj.pipeline_id);
		return -EINVAL;
	}
	p->sched_comp = dsp_comp_find(e, p->desc.sched_id);
	if (!p->sched_comp) {
		vadsp_warn("dsp", "pipeline %u: scheduling component %u not found", p->obj.id,
			   p->desc.sched_id);
		return -EINVAL;
	}
	for (i = 0; i < m->n_bufs; i++) {
		struct dsp_buffer *b = m->bufs[i];

		if (!b->source || !b->sink) {
			vadsp_warn("dsp", "pipeline %u: buffer %u is not connected on both sides",
				   p->obj.id, b->obj.id);
			return -EINVAL;
		}
	}
	for (i = 0; i < m->n_comps; i++) {
		struct dsp_comp *c = m->comps[i];
		bool internal_in = false, internal_out = false;

		if (c->ops->type == DSP_COMP_HOST) {
			if (host) {
				vadsp_warn("dsp", "pipeline %u: two host components", p->obj.id);
				return -EINVAL;
			}
			host = c;
		}
		for (j = 0; j < c->n_in; j++)
			internal_in |= internal_buffer(p, c->in[j]);
		for (j = 0; j < c->n_out; j++)
			internal_out |= internal_buffer(p, c->out[j]);
		if (!internal_in && !natural_source(c) && !c->n_in) {
			vadsp_warn("dsp", "pipeline %u: %s %u has no input", p->obj.id,
				   c->ops->name, c->obj.id);
			return -EINVAL;
		}
		if (!internal_out && !natural_sink(c) && !c->n_out) {
			vadsp_warn("dsp", "pipeline %u: %s %u has no output", p->obj.id,
				   c->ops->name, c->obj.id);
			return -EINVAL;
		}
	}
	if (!members_connected(e, p, m)) {
		vadsp_warn("dsp", "pipeline %u: its members are not all connected", p->obj.id);
		return -EINVAL;
	}
	if (order_members(p, m, order)) {
		vadsp_warn("dsp", "pipeline %u: its components form a cycle", p->obj.id);
		return -EINVAL;
	}
	p->host = host;
	return 0;
}

int dsp_pipeline_do_complete(struct dsp_engine *e, struct dsp_pipeline *p)
{
	struct members m = { .pipeline_id = p->obj.pipeline_id };
	struct dsp_comp **order = NULL;
	uint32_t i;
	int ret;

	dsp_pipeline_uncomplete(e, p);
	dsp_obj_for_each(e, collect_member, &m);
	if (m.err) {
		ret = m.err;
		goto out;
	}
	if (m.n_comps)
		qsort(m.comps, m.n_comps, sizeof(*m.comps), cmp_seq);
	if (m.n_bufs)
		qsort(m.bufs, m.n_bufs, sizeof(*m.bufs), cmp_seq);
	order = calloc(m.n_comps ? m.n_comps : 1, sizeof(*order));
	if (!order) {
		ret = -ENOMEM;
		goto out;
	}
	ret = complete_check(e, p, &m, order);
	if (ret)
		goto out;

	p->comps = order;
	p->n_comps = m.n_comps;
	p->bufs = (struct dsp_buffer **)m.bufs;
	p->n_bufs = m.n_bufs;
	m.bufs = NULL;
	order = NULL;
	for (i = 0; i < p->n_comps; i++)
		p->comps[i]->obj.pipe = p;
	for (i = 0; i < p->n_bufs; i++)
		p->bufs[i]->obj.pipe = p;
	p->complete = true;
	p->self_state = p->state = DSP_STATE_READY;
	p->n_prep = p->n_paused = p->n_active = 0;
	ret = dsp_sched_rebuild(e);
	if (ret)
		dsp_pipeline_uncomplete(e, p);
out:
	if (ret)
		p->sched_comp = NULL;
	free(order);
	free(m.comps);
	free(m.bufs);
	return ret;
}

void dsp_pipeline_destroy(struct dsp_pipeline *p)
{
	free(p->comps);
	free(p->bufs);
	free(p->group);
	free(p->served);
	p->comps = NULL;
	p->bufs = NULL;
	p->group = NULL;
	p->served = NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Effective state                                                                           */

static void comps_trigger(struct dsp_pipeline *q, uint32_t cmd)
{
	uint32_t i;

	for (i = 0; i < q->n_comps; i++)
		if (q->comps[i]->ops->trigger)
			q->comps[i]->ops->trigger(q->comps[i], cmd);
}

/* Empty the member buffers and everything the members write. */
static void clear_buffers(struct dsp_pipeline *q)
{
	uint32_t i, j;

	for (i = 0; i < q->n_bufs; i++)
		dsp_buffer_clear(q->bufs[i]);
	for (i = 0; i < q->n_comps; i++)
		for (j = 0; j < q->comps[i]->n_out; j++)
			dsp_buffer_clear(q->comps[i]->out[j]);
}

/* Back to READY: undo prepare, forget streams. */
static void reset_pipeline(struct dsp_pipeline *q)
{
	uint32_t i, j;

	for (i = 0; i < q->n_comps; i++) {
		struct dsp_comp *c = q->comps[i];

		if (c->prepared && c->ops->reset)
			c->ops->reset(c);
		c->prepared = false;
		for (j = 0; j < c->n_out; j++) {
			dsp_buffer_clear(c->out[j]);
			c->out[j]->has_stream = false;
		}
	}
	q->xrun_stopped = false;
	q->xrun_us = 0;
}

void dsp_pipeline_gate(struct dsp_engine *e, struct dsp_pipeline *p)
{
	p->running = p->state == DSP_STATE_ACTIVE && !p->xrun_stopped;
	if (p->run_index < e->nsched && e->runs[p->run_index].p == p)
		e->runs[p->run_index].go = p->running;
}

static void update_state(struct dsp_engine *e, struct dsp_pipeline *q)
{
	uint32_t old = q->state, st;

	if (q->n_active)
		st = DSP_STATE_ACTIVE;
	else if (q->n_paused)
		st = DSP_STATE_PAUSED;
	else if (q->n_prep)
		st = DSP_STATE_PREPARE;
	else
		st = q->complete ? DSP_STATE_READY : DSP_STATE_INIT;
	if (st != old) {
		q->state = st;
		if (st == DSP_STATE_ACTIVE && old == DSP_STATE_PAUSED) {
			comps_trigger(q, DSP_COMP_RELEASE);
		} else if (st == DSP_STATE_ACTIVE) {
			comps_trigger(q, DSP_COMP_START);
		} else if (st == DSP_STATE_PAUSED) {
			comps_trigger(q, DSP_COMP_PAUSE);
		} else {
			if (old == DSP_STATE_ACTIVE || old == DSP_STATE_PAUSED) {
				comps_trigger(q, DSP_COMP_STOP);
				clear_buffers(q);
			}
			if (st <= DSP_STATE_READY)
				reset_pipeline(q);
		}
	}
	dsp_pipeline_gate(e, q);
}

int dsp_pipeline_trigger(struct dsp_engine *e, struct dsp_pipeline *p, uint32_t cmd)
{
	uint32_t old = p->self_state, i;
	int next;

	if (cmd > DSP_TRIGGER_XRUN || old > DSP_STATE_ACTIVE)
		return -EINVAL;
	next = trigger_next[old][cmd];
	if (next == NO_STATE)
		return -EINVAL;
	if (cmd == DSP_TRIGGER_XRUN) {
		if (p->state == DSP_STATE_ACTIVE)
			p->xrun_stopped = true;
		dsp_pipeline_gate(e, p);
		return 0;
	}

	p->self_state = (uint32_t)next;
	for (i = 0; i < p->n_group; i++) {
		struct dsp_pipeline *q = p->group[i];

		if (old == DSP_STATE_ACTIVE)
			q->n_active--;
		else if (old == DSP_STATE_PAUSED)
			q->n_paused--;
		if (next == DSP_STATE_ACTIVE)
			q->n_active++;
		else if (next == DSP_STATE_PAUSED)
			q->n_paused++;
		if (cmd == DSP_TRIGGER_START || cmd == DSP_TRIGGER_RELEASE) {
			q->xrun_stopped = false;
			q->xrun_us = 0;
		}
		update_state(e, q);
	}
	return 0;
}

void dsp_pipeline_unprepare(struct dsp_engine *e, struct dsp_pipeline *p)
{
	uint32_t i, j;

	for (i = 0; i < p->n_group; i++) {
		struct dsp_pipeline *q = p->group[i];

		if (p->self_state == DSP_STATE_PAUSED)
			q->n_paused--;
		else if (p->self_state == DSP_STATE_ACTIVE)
			q->n_active--;
		q->n_prep--;
		if (p->host)
			for (j = 0; j < q->n_served; j++)
				if (q->served[j] == p->host) {
					q->served[j] = q->served[--q->n_served];
					break;
				}
		update_state(e, q);
	}
	p->self_state = DSP_STATE_READY;
	free(p->group);
	p->group = NULL;
	p->n_group = 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Params                                                                                    */

struct walk {
	struct dsp_pipeline **group;	/* pipelines the stream reaches, @p first */
	uint32_t n_group;
	uint32_t cap_group;
	struct dsp_comp **comps;	/* components of the involved (READY) pipelines */
	uint32_t n_comps;
	uint32_t cap_comps;
	uint32_t gen;			/* marks of involved components */
};

static int group_add(struct walk *w, struct dsp_pipeline *q, uint32_t gen)
{
	if (!q || q->mark == gen || !q->complete || q->host)
		return 0;
	q->mark = gen;
	return ptr_push((void ***)&w->group, &w->n_group, &w->cap_group, q);
}

/* The pipelines a stream from @p reaches in its direction through host-less pipelines. */
static int walk_group(struct dsp_engine *e, struct dsp_pipeline *p, uint32_t direction,
		      struct walk *w)
{
	uint32_t gen = ++e->gen;
	uint32_t i, j, k;
	int ret;

	p->mark = gen;
	ret = ptr_push((void ***)&w->group, &w->n_group, &w->cap_group, p);
	for (i = 0; !ret && i < w->n_group; i++) {
		struct dsp_pipeline *q = w->group[i];

		for (j = 0; !ret && j < q->n_comps; j++) {
			struct dsp_comp *c = q->comps[j];

			if (direction == DSP_DIR_PLAYBACK) {
				for (k = 0; !ret && k < c->n_out; k++) {
					struct dsp_buffer *b = c->out[k];

					ret = group_add(w, b->obj.pipe, gen);
					if (!ret && b->sink)
						ret = group_add(w, b->sink->obj.pipe, gen);
				}
			} else {
				for (k = 0; !ret && k < c->n_in; k++) {
					struct dsp_buffer *b = c->in[k];

					ret = group_add(w, b->obj.pipe, gen);
					if (!ret && b->source)
						ret = group_add(w, b->source->obj.pipe, gen);
				}
			}
		}
	}
	return ret;
}

/* Involved components (of READY pipelines in the group) in data-flow order. */
static int order_involved(struct dsp_engine *e, struct walk *w)
{
	struct dsp_comp **all = NULL, **order;
	uint32_t n = 0, cap = 0, head = 0, tail = 0, i, j;
	uint32_t gen = ++e->gen;
	int ret = 0;

	for (i = 0; !ret && i < w->n_group; i++) {
		struct dsp_pipeline *q = w->group[i];

		if (q->state != DSP_STATE_READY)
			continue;
		for (j = 0; !ret && j < q->n_comps; j++) {
			q->comps[j]->mark = gen;
			ret = ptr_push((void ***)&all, &n, &cap, q->comps[j]);
		}
	}
	if (ret)
		goto fail;
	order = calloc(n ? n : 1, sizeof(*order));
	if (!order) {
		ret = -ENOMEM;
		goto fail;
	}
	/* In-degrees counting involved producers only. */
	for (i = 0; i < n; i++) {
		struct dsp_comp *c = all[i];
		uint32_t deg = 0;

		for (j = 0; j < c->n_in; j++)
			if (c->in[j]->source && c->in[j]->source->mark == gen)
				deg++;
		c->indeg = deg;
		if (!deg)
			order[tail++] = c;
	}
	while (head < tail) {
		struct dsp_comp *c = order[head++];

		for (j = 0; j < c->n_out; j++) {
			struct dsp_comp *d = c->out[j]->sink;

			if (d && d->mark == gen && --d->indeg == 0)
				order[tail++] = d;
		}
	}
	free(all);
	if (tail != n) {
		free(order);
		vadsp_warn("dsp", "params: the components form a cycle");
		return -EINVAL;
	}
	w->comps = order;
	w->n_comps = n;
	w->cap_comps = n;
	w->gen = gen;
	return 0;
fail:
	free(all);
	return ret;
}

static bool involved(const struct walk *w, const struct dsp_comp *c)
{
	return c && c->mark == w->gen;
}

/* The format a buffer's consumer reads in, if known. */
static uint32_t consumer_fmt(const struct walk *w, const struct dsp_buffer *b)
{
	if (b->sink && (involved(w, b->sink) || b->sink->prepared))
		return b->sink->stream.fmt;
	return DSP_COMP_FMT_INHERIT;
}

static uint32_t frames_per_period(uint32_t rate, uint32_t period_us)
{
	return (uint32_t)(((uint64_t)rate * period_us + 999999u) / 1000000u);
}

static int setup_buffer(const struct walk *w, struct dsp_buffer *b)
{
	uint32_t period = 0, frames;

	if (!b->has_stream)
		return 0;
	if (b->source)
		period = dsp_comp_period_us(b->source);
	if (b->sink && dsp_comp_period_us(b->sink) > period)
		period = dsp_comp_period_us(b->sink);
	frames = frames_per_period(b->stream.rate, period);
	/* Room for a period written while up to two more are queued, plus rounding. */
	dsp_buffer_need(b, 3 * frames + 2);
	return dsp_buffer_setup(b, consumer_fmt(w, b), b->sink && b->sink->ops->stage_inputs);
}

/* Params over the involved components, then boundary checks, storage and prepare. */
static int prepare_involved(struct walk *w, const struct dsp_params_ctx *ctx)
{
	uint32_t i, j;
	int ret;

	for (i = 0; i < w->n_comps; i++)
		for (j = 0; j < w->comps[i]->n_out; j++) {
			w->comps[i]->out[j]->has_stream = false;
			w->comps[i]->out[j]->min_frames = 0;
		}

	for (i = 0; i < w->n_comps; i++) {
		struct dsp_comp *c = w->comps[i];

		/* An input from a prepared producer that has not described it yet (a demux
		 * output that joined later): let the producer describe its outputs again. */
		for (j = 0; j < c->n_in; j++) {
			struct dsp_comp *s = c->in[j]->source;

			if (!c->in[j]->has_stream && s && s->prepared && !involved(w, s)) {
				ret = s->ops->params(s, ctx);
				if (ret)
					return ret;
			}
		}
		ret = c->ops->params(c, ctx);
		if (ret) {
			vadsp_warn("dsp", "params: %s %u refused the stream (%d)", c->ops->name,
				   c->obj.id, ret);
			return ret;
		}
	}

	/* Where the stream enters a prepared pipeline, its consumer must take it. */
	for (i = 0; i < w->n_comps; i++)
		for (j = 0; j < w->comps[i]->n_out; j++) {
			struct dsp_buffer *b = w->comps[i]->out[j];
			struct dsp_comp *d = b->sink;

			if (!b->has_stream || !d || involved(w, d) || !d->prepared)
				continue;
			if (!d->ops->accept || d->ops->accept(d, b)) {
				vadsp_warn("dsp", "params: %s %u (%u Hz, %u ch, prepared) "
					   "cannot take %u Hz, %u ch from buffer %u",
					   d->ops->name, d->obj.id, d->stream.rate,
					   d->stream.channels, b->stream.rate,
					   b->stream.channels, b->obj.id);
				return -EINVAL;
			}
		}

	for (i = 0; i < w->n_comps; i++) {
		struct dsp_comp *c = w->comps[i];

		for (j = 0; j < c->n_out; j++) {
			ret = setup_buffer(w, c->out[j]);
			if (ret)
				return ret;
		}
		for (j = 0; j < c->n_in; j++) {
			if (involved(w, c->in[j]->source))
				continue;	/* done as an output above */
			ret = setup_buffer(w, c->in[j]);
			if (ret)
				return ret;
		}
	}

	for (i = 0; i < w->n_comps; i++) {
		struct dsp_comp *c = w->comps[i];

		ret = c->ops->prepare(c);
		if (ret) {
			vadsp_warn("dsp", "params: %s %u: prepare failed (%d)", c->ops->name,
				   c->obj.id, ret);
			return ret;
		}
		c->prepared = true;
	}
	return 0;
}

/* The first DAI in the group, for a host's dai_posn. */
static struct dsp_comp *group_dai(const struct walk *w)
{
	uint32_t i, j;

	for (i = 0; i < w->n_group; i++)
		for (j = 0; j < w->group[i]->n_comps; j++)
			if (w->group[i]->comps[j]->ops->type == DSP_COMP_DAI)
				return w->group[i]->comps[j];
	return NULL;
}

int dsp_pipeline_prepare(struct dsp_engine *e, struct dsp_pipeline *p,
			 const struct dsp_params_ctx *ctx)
{
	struct walk w = { 0 };
	uint32_t i;
	int ret;

	ret = walk_group(e, p, ctx->direction, &w);
	if (!ret)
		ret = order_involved(e, &w);
	if (ret)
		goto fail;
	ret = prepare_involved(&w, ctx);
	if (ret)
		goto fail_reset;

	/* Reserve the served lists before committing anything. */
	if (ctx->host)
		for (i = 0; i < w.n_group; i++) {
			struct dsp_pipeline *q = w.group[i];

			ret = ptr_push((void ***)&q->served, &q->n_served, &q->cap_served,
				       ctx->host);
			if (ret) {
				while (i--)
					w.group[i]->n_served--;
				goto fail_reset;
			}
		}

	for (i = 0; i < w.n_group; i++) {
		struct dsp_pipeline *q = w.group[i];

		q->n_prep++;
		update_state(e, q);
	}
	p->self_state = DSP_STATE_PREPARE;
	p->group = w.group;
	p->n_group = w.n_group;
	if (ctx->host)
		dsp_host_set_dai(ctx->host, group_dai(&w));
	free(w.comps);
	return 0;

fail_reset:
	for (i = 0; i < w.n_comps; i++) {
		struct dsp_comp *c = w.comps[i];
		uint32_t j;

		if (c->prepared && c->ops->reset)
			c->ops->reset(c);
		c->prepared = false;
		for (j = 0; j < c->n_out; j++)
			c->out[j]->has_stream = false;
	}
fail:
	free(w.comps);
	free(w.group);
	return ret;
}
