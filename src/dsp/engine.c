// SPDX-License-Identifier: MIT
/*
 * The DSP engine's public interface (engine.h): the object table, building calls, streams,
 * triggers, controls and events. Component types live in comp-*.c, pipelines in
 * pipeline.c, the scheduler in sched.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/buffer.h"
#include "dsp/comp.h"
#include "dsp/engine.h"
#include "dsp/kernels/src.h"
#include "dsp/pipeline.h"
#include "dsp/sched.h"
#include "util/log.h"

#define ENGINE_EVENTS_DEFAULT	1024u
#define ENGINE_EVENTS_MAX	(1u << 20)

/* ---------------------------------------------------------------------------------------- */
/* Object table: open addressing, linear probing, backward-shift deletion                    */

static uint32_t id_hash(uint32_t id)
{
	id ^= id >> 16;
	id *= 0x7feb352du;
	id ^= id >> 15;
	id *= 0x846ca68bu;
	id ^= id >> 16;
	return id;
}

struct dsp_obj *dsp_obj_find(const struct dsp_engine *e, uint32_t id)
{
	uint32_t mask = e->nslots - 1, i;

	if (!e->nslots)
		return NULL;
	for (i = id_hash(id) & mask; e->slots[i]; i = (i + 1) & mask)
		if (e->slots[i]->id == id)
			return e->slots[i];
	return NULL;
}

struct dsp_comp *dsp_comp_find(const struct dsp_engine *e, uint32_t id)
{
	struct dsp_obj *o = dsp_obj_find(e, id);

	return o && o->kind == DSP_OBJ_COMP ? vadsp_container_of(o, struct dsp_comp, obj) : NULL;
}

static void table_place(struct dsp_obj **slots, uint32_t nslots, struct dsp_obj *o)
{
	uint32_t mask = nslots - 1, i;

	for (i = id_hash(o->id) & mask; slots[i]; i = (i + 1) & mask)
		;
	slots[i] = o;
}

static int table_insert(struct dsp_engine *e, struct dsp_obj *o)
{
	if ((e->count + 1) * 2 > e->nslots) {
		uint32_t n = e->nslots ? e->nslots * 2 : 64, i;
		struct dsp_obj **slots = calloc(n, sizeof(*slots));

		if (!slots)
			return -ENOMEM;
		for (i = 0; i < e->nslots; i++)
			if (e->slots[i])
				table_place(slots, n, e->slots[i]);
		free(e->slots);
		e->slots = slots;
		e->nslots = n;
	}
	table_place(e->slots, e->nslots, o);
	e->count++;
	o->seq = ++e->seq;
	return 0;
}

static void table_remove(struct dsp_engine *e, uint32_t id)
{
	uint32_t mask = e->nslots - 1, i, j;

	for (i = id_hash(id) & mask; e->slots[i]; i = (i + 1) & mask)
		if (e->slots[i]->id == id)
			break;
	if (!e->slots[i])
		return;
	e->slots[i] = NULL;
	e->count--;
	/* Move later entries of the run back into the gap when their home allows it. */
	for (j = (i + 1) & mask; e->slots[j]; j = (j + 1) & mask) {
		uint32_t home = id_hash(e->slots[j]->id) & mask;

		if (((j - home) & mask) >= ((j - i) & mask)) {
			e->slots[i] = e->slots[j];
			e->slots[j] = NULL;
			i = j;
		}
	}
}

int dsp_obj_for_each(struct dsp_engine *e, int (*fn)(struct dsp_obj *o, void *arg), void *arg)
{
	uint32_t i;
	int ret;

	for (i = 0; i < e->nslots; i++)
		if (e->slots[i]) {
			ret = fn(e->slots[i], arg);
			if (ret)
				return ret;
		}
	return 0;
}

static struct dsp_pipeline *pipeline_find(const struct dsp_engine *e, uint32_t id)
{
	struct dsp_obj *o = dsp_obj_find(e, id);

	return o && o->kind == DSP_OBJ_PIPELINE ?
		vadsp_container_of(o, struct dsp_pipeline, obj) : NULL;
}

static struct dsp_buffer *buffer_of(struct dsp_obj *o)
{
	return o && o->kind == DSP_OBJ_BUFFER ?
		vadsp_container_of(o, struct dsp_buffer, obj) : NULL;
}

static struct dsp_comp *comp_of(struct dsp_obj *o)
{
	return o && o->kind == DSP_OBJ_COMP ? vadsp_container_of(o, struct dsp_comp, obj) : NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Engine                                                                                    */

static uint32_t pow2_at_least(uint64_t n)
{
	uint64_t p = 1;

	while (p < n)
		p <<= 1;
	return p > (1u << 31) ? 0 : (uint32_t)p;
}

int dsp_engine_create(struct dsp_engine **out, const struct dsp_engine_config *cfg)
{
	struct dsp_engine_config c = { 0 };
	struct dsp_engine *e;
	uint32_t ring;

	if (cfg)
		c = *cfg;
	if (!c.period_us)
		c.period_us = DSP_ENGINE_PERIOD_US_DEFAULT;
	if (!c.rate)
		c.rate = DSP_ENGINE_RATE_DEFAULT;
	if (!c.events)
		c.events = ENGINE_EVENTS_DEFAULT;
	if (c.period_us < DSP_ENGINE_PERIOD_US_MIN || c.period_us > DSP_ENGINE_PERIOD_US_MAX ||
	    c.rate < DSP_SRC_RATE_MIN || c.rate > DSP_SRC_RATE_MAX || c.events > ENGINE_EVENTS_MAX)
		return -EINVAL;

	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->period_us = c.period_us;
	e->rate = c.rate;
	e->late_mix = c.late_mix;
	ring = pow2_at_least((uint64_t)c.events * sizeof(struct dsp_event));
	e->event_mem = calloc(1, ring);
	if (!e->event_mem || vadsp_ringbuf_init(&e->events, e->event_mem, ring)) {
		free(e->event_mem);
		free(e);
		return -ENOMEM;
	}
	*out = e;
	return 0;
}

static void comp_destroy(struct dsp_comp *c)
{
	if (c->prepared && c->ops->reset)
		c->ops->reset(c);
	if (c->ops->free)
		c->ops->free(c);
	if (c->in != &c->in_one)
		free(c->in);
	free(c->in_ptrs);
	if (c->out != &c->out_one)
		free(c->out);
	dsp_arena_free(&c->engine->arena, c, sizeof(*c));
}

void dsp_engine_destroy(struct dsp_engine *e)
{
	uint32_t i;

	if (!e)
		return;
	for (i = 0; i < e->nslots; i++) {
		struct dsp_obj *o = e->slots[i];

		if (!o)
			continue;
		if (o->kind == DSP_OBJ_COMP) {
			comp_destroy(comp_of(o));
		} else if (o->kind == DSP_OBJ_BUFFER) {
			dsp_buffer_release(buffer_of(o));
			dsp_arena_free(&e->arena, buffer_of(o), sizeof(struct dsp_buffer));
		} else {
			struct dsp_pipeline *p = vadsp_container_of(o, struct dsp_pipeline, obj);

			dsp_pipeline_destroy(p);
			free(p);
		}
	}
	free(e->slots);
	free(e->pipes);
	free(e->sched);
	free(e->runs);
	free(e->tasks);
	free(e->event_mem);
	dsp_arena_release(&e->arena);
	free(e);
}

uint32_t dsp_engine_period_us(const struct dsp_engine *e)
{
	return e->period_us;
}

int dsp_engine_tick(struct dsp_engine *e)
{
	return dsp_sched_tick(e);
}

uint64_t dsp_engine_ticks(const struct dsp_engine *e)
{
	return e->ticks;
}

static int add_mix_stats(struct dsp_obj *o, void *arg)
{
	struct dsp_comp *c = comp_of(o);

	if (c && c->ops->type == DSP_COMP_MIXER)
		dsp_mixer_stats(c, arg);
	return 0;
}

void dsp_engine_mix_stats(struct dsp_engine *e, struct dsp_mix_stats *st)
{
	memset(st, 0, sizeof(*st));
	dsp_obj_for_each(e, add_mix_stats, st);
}

/* ---------------------------------------------------------------------------------------- */
/* Components                                                                                */

int dsp_comp_new(struct dsp_engine *e, const struct dsp_comp_desc *desc)
{
	const struct dsp_comp_ops *ops = dsp_comp_ops_get(desc->type);
	struct dsp_comp *c;
	int ret;

	if (dsp_obj_find(e, desc->id))
		return -EEXIST;
	if (!ops) {
		vadsp_warn("dsp", "component %u: unknown type %u", desc->id, desc->type);
		return -EINVAL;
	}
	if (desc->fmt != DSP_COMP_FMT_INHERIT && !dsp_fmt_valid(desc->fmt) &&
	    desc->type != DSP_COMP_HOST) {
		vadsp_warn("dsp", "component %u: invalid format %u", desc->id, desc->fmt);
		return -EINVAL;
	}
	c = dsp_arena_alloc(&e->arena, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->obj.id = desc->id;
	c->obj.kind = DSP_OBJ_COMP;
	c->obj.pipeline_id = desc->pipeline_id;
	c->obj.core = desc->core;
	c->ops = ops;
	c->engine = e;
	c->fmt = desc->fmt;
	c->xrun_action = desc->xrun_action & (DSP_XRUN_STOP | DSP_XRUN_UNDER_ZERO |
					      DSP_XRUN_OVER_NULL);
	c->max_in = 1;
	c->max_out = 1;
	ret = ops->new(c, desc);
	if (!ret)
		ret = table_insert(e, &c->obj);
	if (ret) {
		if (ops->free)
			ops->free(c);
		dsp_arena_free(&e->arena, c, sizeof(*c));
		return ret;
	}
	return 0;
}

/* Remove @b from @list (keeping the order). */
static void list_remove(struct dsp_buffer **list, uint32_t *n, struct dsp_buffer *b)
{
	uint32_t i;

	for (i = 0; i < *n; i++)
		if (list[i] == b) {
			memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof(*list));
			(*n)--;
			return;
		}
}

/* Does @b carry data between two complete pipelines (an edge of the schedule)? */
static bool schedule_edge(const struct dsp_buffer *b)
{
	return b->source && b->sink && b->source->obj.pipe && b->sink->obj.pipe &&
	       b->source->obj.pipe != b->sink->obj.pipe;
}

/*
 * Does @c take any number of buffers on that side (a mixer's inputs, a demux's outputs)? One
 * of them coming or going leaves @c's pipeline whole: guests join and leave shared pipelines.
 */
static bool shared_side(const struct dsp_comp *c, bool c_is_sink)
{
	return (c_is_sink ? c->max_in : c->max_out) == DSP_COMP_MANY;
}

/* A graph change inside a complete pipeline sends it back to INIT. */
static void touch_pipeline(struct dsp_engine *e, struct dsp_pipeline *p)
{
	if (p && p->complete && !dsp_pipeline_busy(p))
		dsp_pipeline_uncomplete(e, p);
}

int dsp_comp_free(struct dsp_engine *e, uint32_t id)
{
	struct dsp_obj *o = dsp_obj_find(e, id);
	struct dsp_comp *c = comp_of(o);
	uint32_t i;

	if (!o)
		return -ENODEV;
	if (!c)
		return -EINVAL;
	if (dsp_comp_busy(c))
		return -EBUSY;
	touch_pipeline(e, c->obj.pipe);
	for (i = 0; i < c->n_in; i++) {
		c->in[i]->sink = NULL;
		c->in[i]->mix_into = NULL;
		touch_pipeline(e, c->in[i]->obj.pipe);
	}
	for (i = 0; i < c->n_out; i++) {
		c->out[i]->source = NULL;
		touch_pipeline(e, c->out[i]->obj.pipe);
	}
	/* The schedule only had it through complete pipelines, which touch_pipeline() undid. */
	table_remove(e, id);
	comp_destroy(c);
	return 0;
}

int dsp_comp_state(const struct dsp_engine *e, uint32_t id)
{
	struct dsp_obj *o = dsp_obj_find(e, id);

	if (!o)
		return -ENODEV;
	if (o->kind == DSP_OBJ_PIPELINE)
		return (int)vadsp_container_of(o, struct dsp_pipeline, obj)->state;
	return o->pipe ? (int)o->pipe->state : DSP_STATE_INIT;
}

/* ---------------------------------------------------------------------------------------- */
/* Buffers and connections                                                                   */

int dsp_buffer_new(struct dsp_engine *e, const struct dsp_buffer_desc *desc)
{
	struct dsp_buffer *b;
	int ret;

	if (dsp_obj_find(e, desc->id))
		return -EEXIST;
	if (!desc->size || desc->size > DSP_BUFFER_SIZE_MAX)
		return -EINVAL;
	/* aligned: the period path reads its first cache line */
	b = dsp_arena_alloc(&e->arena, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->obj.id = desc->id;
	b->obj.kind = DSP_OBJ_BUFFER;
	b->obj.pipeline_id = desc->pipeline_id;
	b->obj.core = desc->core;
	b->size = desc->size;
	b->caps = desc->caps;
	b->flags = desc->flags;
	ret = table_insert(e, &b->obj);
	if (ret)
		dsp_arena_free(&e->arena, b, sizeof(*b));
	return ret;
}

/*
 * May @b be connected to or disconnected from @c now? Not while @b's pipeline or @c's is
 * prepared, except that a prepared mixer takes and loses inputs and a prepared demux
 * outputs (guests join and leave shared pipelines).
 */
static bool link_allowed(const struct dsp_buffer *b, const struct dsp_comp *c, bool c_is_sink)
{
	if (dsp_pipeline_busy(b->obj.pipe))
		return false;
	if (!dsp_comp_busy(c))
		return true;
	if (c_is_sink)
		return c->ops->type == DSP_COMP_MIXER;
	return c->ops->type == DSP_COMP_DEMUX;
}

/*
 * Room for one more entry in @list (which starts on @one, storage for a single entry, and
 * moves to the heap when it outgrows it); @ptrs, if given, grows along.
 */
static int grow_list(struct dsp_buffer ***list, struct dsp_buffer **one, uint32_t *cap,
		     uint32_t n, const void ***ptrs)
{
	struct dsp_buffer **nl;
	uint32_t ncap;

	if (ptrs && !*ptrs) {
		*ptrs = calloc(VADSP_MAX(*cap, 1u), sizeof(**ptrs));
		if (!*ptrs)
			return -ENOMEM;
	}
	if (n < *cap)
		return 0;
	if (!*cap) {
		*list = one;
		*cap = 1;
		return 0;
	}
	ncap = *cap * 2;
	if (ptrs) {
		const void **np = realloc(*ptrs, (size_t)ncap * sizeof(*np));

		if (!np)
			return -ENOMEM;
		*ptrs = np;
	}
	if (*list == one) {
		nl = malloc((size_t)ncap * sizeof(*nl));
		if (nl)
			memcpy(nl, one, (size_t)n * sizeof(*nl));
	} else {
		nl = realloc(*list, (size_t)ncap * sizeof(*nl));
	}
	if (!nl)
		return -ENOMEM;	/* @ptrs grew; @cap stays, so it is retried */
	*list = nl;
	*cap = ncap;
	return 0;
}

int dsp_buffer_free(struct dsp_engine *e, uint32_t id)
{
	struct dsp_obj *o = dsp_obj_find(e, id);
	struct dsp_buffer *b = buffer_of(o);

	if (!o)
		return -ENODEV;
	bool edge;

	if (!b)
		return -EINVAL;
	if ((b->source && !link_allowed(b, b->source, false)) ||
	    (b->sink && !link_allowed(b, b->sink, true)) || dsp_pipeline_busy(b->obj.pipe))
		return -EBUSY;
	edge = schedule_edge(b);
	touch_pipeline(e, b->obj.pipe);
	if (b->source) {
		if (!dsp_comp_busy(b->source) && !shared_side(b->source, false))
			touch_pipeline(e, b->source->obj.pipe);
		list_remove(b->source->out, &b->source->n_out, b);
	}
	if (b->sink) {
		if (!dsp_comp_busy(b->sink) && !shared_side(b->sink, true))
			touch_pipeline(e, b->sink->obj.pipe);
		list_remove(b->sink->in, &b->sink->n_in, b);
	}
	table_remove(e, id);
	dsp_buffer_release(b);
	dsp_arena_free(&e->arena, b, sizeof(*b));
	if (edge && dsp_sched_rebuild(e))
		vadsp_warn("dsp", "out of memory rebuilding the schedule");
	return 0;
}

int dsp_connect(struct dsp_engine *e, uint32_t source_id, uint32_t sink_id)
{
	struct dsp_obj *so = dsp_obj_find(e, source_id);
	struct dsp_obj *ko = dsp_obj_find(e, sink_id);
	struct dsp_buffer *b;
	struct dsp_comp *c;
	bool c_is_sink;
	int ret;

	if (!so || !ko)
		return -ENODEV;
	if (so->kind == DSP_OBJ_PIPELINE || ko->kind == DSP_OBJ_PIPELINE ||
	    so->kind == ko->kind) {
		vadsp_warn("dsp", "connect %u -> %u: exactly one side must be a buffer",
			   source_id, sink_id);
		return -EINVAL;
	}
	c_is_sink = so->kind == DSP_OBJ_BUFFER;
	b = buffer_of(c_is_sink ? so : ko);
	c = comp_of(c_is_sink ? ko : so);

	if (c_is_sink ? b->sink != NULL : b->source != NULL)
		return -EINVAL;
	if (c_is_sink ? c->n_in >= c->max_in : c->n_out >= c->max_out) {
		vadsp_warn("dsp", "connect %u -> %u: %s %u takes no more %s", source_id, sink_id,
			   c->ops->name, c->obj.id, c_is_sink ? "inputs" : "outputs");
		return -EINVAL;
	}
	if (!link_allowed(b, c, c_is_sink))
		return -EBUSY;

	if (c_is_sink) {
		ret = grow_list(&c->in, &c->in_one, &c->cap_in, c->n_in, &c->in_ptrs);
		if (ret)
			return ret;
		c->in[c->n_in++] = b;
		b->sink = c;
	} else {
		ret = grow_list(&c->out, &c->out_one, &c->cap_out, c->n_out, NULL);
		if (ret)
			return ret;
		c->out[c->n_out++] = b;
		b->source = c;
	}
	/* A new edge inside a complete pipeline needs a new completion. */
	if (b->obj.pipeline_id == c->obj.pipeline_id)
		touch_pipeline(e, c->obj.pipe);
	if (schedule_edge(b) && dsp_sched_rebuild(e))
		vadsp_warn("dsp", "out of memory rebuilding the schedule");
	return 0;
}

int dsp_disconnect(struct dsp_engine *e, uint32_t source_id, uint32_t sink_id)
{
	struct dsp_obj *so = dsp_obj_find(e, source_id);
	struct dsp_obj *ko = dsp_obj_find(e, sink_id);
	struct dsp_buffer *b;
	struct dsp_comp *c;
	bool c_is_sink, edge;

	if (!so || !ko)
		return -ENODEV;
	c_is_sink = so->kind == DSP_OBJ_BUFFER;
	b = buffer_of(c_is_sink ? so : ko);
	c = comp_of(c_is_sink ? ko : so);
	if (!b || !c || (c_is_sink ? b->sink != c : b->source != c))
		return -EINVAL;
	if (!link_allowed(b, c, c_is_sink))
		return -EBUSY;
	edge = schedule_edge(b);
	touch_pipeline(e, b->obj.pipe);
	if (!dsp_comp_busy(c) && !shared_side(c, c_is_sink))
		touch_pipeline(e, c->obj.pipe);
	if (c_is_sink) {
		list_remove(c->in, &c->n_in, b);
		b->sink = NULL;
		/* Its producer no longer adds to that mixer's sum. */
		b->mix_into = NULL;
	} else {
		list_remove(c->out, &c->n_out, b);
		b->source = NULL;
	}
	if (edge && dsp_sched_rebuild(e))
		vadsp_warn("dsp", "out of memory rebuilding the schedule");
	return 0;
}

int dsp_comp_connections(const struct dsp_engine *e, uint32_t id, bool inputs)
{
	struct dsp_obj *o = dsp_obj_find(e, id);
	struct dsp_comp *c = comp_of(o);

	if (!o)
		return -ENODEV;
	if (!c)
		return -EINVAL;
	return (int)(inputs ? c->n_in : c->n_out);
}

/* ---------------------------------------------------------------------------------------- */
/* Pipelines                                                                                 */

int dsp_pipeline_new(struct dsp_engine *e, const struct dsp_pipeline_desc *desc)
{
	struct dsp_pipeline *p;
	uint32_t period = desc->period_us ? desc->period_us : e->period_us, i;
	int ret;

	if (dsp_obj_find(e, desc->comp_id))
		return -EEXIST;
	for (i = 0; i < e->npipes; i++)
		if (e->pipes[i]->obj.pipeline_id == desc->pipeline_id)
			return -EEXIST;
	if (e->npipes == e->cap_pipes) {
		uint32_t cap = e->cap_pipes ? 2 * e->cap_pipes : 16;
		struct dsp_pipeline **np = realloc(e->pipes, (size_t)cap * sizeof(*np));

		if (!np)
			return -ENOMEM;
		e->pipes = np;
		e->cap_pipes = cap;
	}
	if (period > DSP_ENGINE_PERIOD_US_MAX || period % e->period_us) {
		vadsp_warn("dsp", "pipeline %u: period %u us is not a multiple of the %u us tick",
			   desc->comp_id, period, e->period_us);
		return -EINVAL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->obj.id = desc->comp_id;
	p->obj.kind = DSP_OBJ_PIPELINE;
	p->obj.pipeline_id = desc->pipeline_id;
	p->obj.core = desc->core;
	p->desc = *desc;
	p->desc.period_us = period;
	p->period_div = period / e->period_us;
	p->self_state = p->state = DSP_STATE_INIT;
	p->run_index = UINT32_MAX;
	ret = table_insert(e, &p->obj);
	if (ret) {
		free(p);
		return ret;
	}
	e->pipes[e->npipes++] = p;
	return 0;
}

int dsp_pipeline_complete(struct dsp_engine *e, uint32_t comp_id)
{
	struct dsp_obj *o = dsp_obj_find(e, comp_id);
	struct dsp_pipeline *p = pipeline_find(e, comp_id);

	if (!o)
		return -ENODEV;
	if (!p)
		return -EINVAL;
	if (dsp_pipeline_busy(p))
		return -EBUSY;
	return dsp_pipeline_do_complete(e, p);
}

int dsp_pipeline_free(struct dsp_engine *e, uint32_t comp_id)
{
	struct dsp_obj *o = dsp_obj_find(e, comp_id);
	struct dsp_pipeline *p = pipeline_find(e, comp_id);
	uint32_t i;

	if (!o)
		return -ENODEV;
	if (!p)
		return -EINVAL;
	if (dsp_pipeline_busy(p))
		return -EBUSY;
	dsp_pipeline_uncomplete(e, p);
	table_remove(e, comp_id);
	for (i = 0; i < e->npipes; i++)
		if (e->pipes[i] == p) {
			e->pipes[i] = e->pipes[--e->npipes];
			break;
		}
	dsp_pipeline_destroy(p);
	free(p);
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Streams                                                                                   */

static bool stream_valid(uint32_t rate, uint32_t channels)
{
	return rate >= DSP_SRC_RATE_MIN && rate <= DSP_SRC_RATE_MAX && channels >= 1 &&
	       channels <= DSP_MAX_CHANNELS;
}

int dsp_pcm_params(struct dsp_engine *e, uint32_t host_id, const struct dsp_pcm_params *pp)
{
	struct dsp_obj *o = dsp_obj_find(e, host_id);
	struct dsp_comp *c = comp_of(o);
	struct dsp_params_ctx ctx;
	struct dsp_pipeline *p;

	if (!o)
		return -ENODEV;
	if (!c || c->ops->type != DSP_COMP_HOST) {
		vadsp_warn("dsp", "pcm params: %u is not a host component", host_id);
		return -EINVAL;
	}
	p = c->obj.pipe;
	if (!p) {
		vadsp_warn("dsp", "pcm params: host %u is not in a complete pipeline", host_id);
		return -EINVAL;
	}
	if (p->self_state != DSP_STATE_READY)
		return -EBUSY;
	if (pp->direction != c->direction || !dsp_fmt_valid(pp->fmt) ||
	    !stream_valid(pp->rate, pp->channels) || pp->buffer_bytes > DSP_HOST_BUFFER_MAX ||
	    pp->period_bytes > DSP_HOST_BUFFER_MAX) {
		vadsp_warn("dsp", "pcm params: host %u: bad stream (dir %u fmt %u rate %u ch %u)",
			   host_id, pp->direction, pp->fmt, pp->rate, pp->channels);
		return -EINVAL;
	}
	ctx = (struct dsp_params_ctx){
		.e = e,
		.rate = pp->rate,
		.channels = pp->channels,
		.direction = pp->direction,
		.pcm = pp,
		.host = c,
	};
	return dsp_pipeline_prepare(e, p, &ctx);
}

/* The pipeline a stream call on @id addresses: a host's, or a host-less pipeline. */
static int stream_target(struct dsp_engine *e, uint32_t id, struct dsp_pipeline **out)
{
	struct dsp_obj *o = dsp_obj_find(e, id);
	struct dsp_comp *c = comp_of(o);

	if (!o)
		return -ENODEV;
	if (c) {
		if (c->ops->type != DSP_COMP_HOST)
			return -EINVAL;
		*out = c->obj.pipe;
		return 0;
	}
	if (o->kind != DSP_OBJ_PIPELINE)
		return -EINVAL;
	*out = vadsp_container_of(o, struct dsp_pipeline, obj);
	return (*out)->host ? -EINVAL : 0;
}

int dsp_pcm_free(struct dsp_engine *e, uint32_t id)
{
	struct dsp_pipeline *p = NULL;
	int ret = stream_target(e, id, &p);

	if (ret)
		return ret;
	if (!p || p->self_state < DSP_STATE_PREPARE)
		return 0;
	if (p->self_state == DSP_STATE_ACTIVE)
		return -EBUSY;
	dsp_pipeline_unprepare(e, p);
	return 0;
}

int dsp_pipeline_params(struct dsp_engine *e, uint32_t comp_id, uint32_t rate,
			uint32_t channels)
{
	struct dsp_obj *o = dsp_obj_find(e, comp_id);
	struct dsp_pipeline *p = pipeline_find(e, comp_id);
	struct dsp_params_ctx ctx;

	if (!o)
		return -ENODEV;
	if (!p || p->host || !p->complete)
		return -EINVAL;
	if (p->state != DSP_STATE_READY)
		return -EBUSY;
	if (!rate)
		rate = e->rate;
	if (!stream_valid(rate, channels))
		return -EINVAL;
	ctx = (struct dsp_params_ctx){
		.e = e,
		.rate = rate,
		.channels = channels,
		.direction = DSP_DIR_PLAYBACK,
	};
	return dsp_pipeline_prepare(e, p, &ctx);
}

int dsp_trigger(struct dsp_engine *e, uint32_t id, uint32_t cmd)
{
	struct dsp_pipeline *p = NULL;
	int ret = stream_target(e, id, &p);

	if (ret)
		return ret;
	if (!p || cmd > DSP_TRIGGER_XRUN)
		return -EINVAL;
	return dsp_pipeline_trigger(e, p, cmd);
}

/* ---------------------------------------------------------------------------------------- */
/* Controls                                                                                  */

static int ctrl_comp(const struct dsp_engine *e, uint32_t id, struct dsp_comp **out)
{
	struct dsp_obj *o = dsp_obj_find(e, id);

	if (!o)
		return -ENODEV;
	*out = comp_of(o);
	return *out ? 0 : -EINVAL;
}

int dsp_comp_set_values(struct dsp_engine *e, uint32_t id, uint32_t cmd,
			const struct dsp_ctrl_value *v, uint32_t n)
{
	struct dsp_ctrl_value vals[DSP_MAX_CHANNELS];
	struct dsp_ctrl ctl = { .op = DSP_CTRL_OP_VALUES, .cmd = cmd, .values = vals, .n = n };
	struct dsp_comp *c;
	int ret = ctrl_comp(e, id, &c);

	if (ret)
		return ret;
	if (n > DSP_MAX_CHANNELS || (n && !v) || !c->ops->set_ctrl)
		return -EINVAL;
	if (n)
		memcpy(vals, v, n * sizeof(*v));
	return c->ops->set_ctrl(c, &ctl);
}

int dsp_comp_get_values(const struct dsp_engine *e, uint32_t id, uint32_t cmd,
			struct dsp_ctrl_value *v, uint32_t n)
{
	struct dsp_ctrl ctl = { .op = DSP_CTRL_OP_VALUES, .cmd = cmd, .values = v, .n = n };
	struct dsp_comp *c;
	int ret = ctrl_comp(e, id, &c);

	if (ret)
		return ret;
	if (n > DSP_MAX_CHANNELS || (n && !v) || !c->ops->get_ctrl)
		return -EINVAL;
	return c->ops->get_ctrl(c, &ctl);
}

int dsp_comp_set_data(struct dsp_engine *e, uint32_t id, const void *data, uint32_t size)
{
	struct dsp_ctrl ctl = { .op = DSP_CTRL_OP_DATA, .data = (void *)data, .size = size };
	struct dsp_comp *c;
	int ret = ctrl_comp(e, id, &c);

	if (ret)
		return ret;
	if (!data || !size || size > DSP_CTRL_DATA_MAX || !c->ops->set_ctrl)
		return -EINVAL;
	return c->ops->set_ctrl(c, &ctl);
}

int dsp_comp_get_data(const struct dsp_engine *e, uint32_t id, void *buf, uint32_t cap)
{
	struct dsp_ctrl ctl = { .op = DSP_CTRL_OP_DATA, .data = buf, .size = cap };
	struct dsp_comp *c;
	int ret = ctrl_comp(e, id, &c);

	if (ret)
		return ret;
	if ((cap && !buf) || !c->ops->get_ctrl)
		return -EINVAL;
	ret = c->ops->get_ctrl(c, &ctl);
	return ret ? ret : (int)ctl.size;
}

/* ---------------------------------------------------------------------------------------- */
/* Events                                                                                    */

void dsp_engine_post(struct dsp_engine *e, const struct dsp_event *ev)
{
	if (vadsp_ringbuf_writable(&e->events) < sizeof(*ev)) {
		e->events_dropped++;
		return;
	}
	vadsp_ringbuf_write(&e->events, ev, sizeof(*ev));
}

int dsp_engine_next_event(struct dsp_engine *e, struct dsp_event *ev)
{
	if (vadsp_ringbuf_readable(&e->events) < sizeof(*ev))
		return 0;
	vadsp_ringbuf_read(&e->events, ev, sizeof(*ev));
	return 1;
}

uint64_t dsp_engine_events_dropped(const struct dsp_engine *e)
{
	return e->events_dropped;
}
