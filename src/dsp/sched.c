// SPDX-License-Identifier: MIT
/*
 * The scheduler: run order (a topological sort with a priority heap) and the tick.
 */
#include <errno.h>
#include <stdlib.h>

#include "dsp/buffer.h"
#include "dsp/pipeline.h"
#include "dsp/sched.h"
#include "util/log.h"

/* Runs first: lower priority value, then earlier creation. */
static bool sched_before(const struct dsp_pipeline *a, const struct dsp_pipeline *b)
{
	if (a->desc.priority != b->desc.priority)
		return a->desc.priority < b->desc.priority;
	return a->obj.seq < b->obj.seq;
}

struct sched_heap {
	struct dsp_pipeline **v;
	uint32_t n;
};

static void heap_push(struct sched_heap *h, struct dsp_pipeline *p)
{
	uint32_t i = h->n++;

	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (!sched_before(p, h->v[parent]))
			break;
		h->v[i] = h->v[parent];
		i = parent;
	}
	h->v[i] = p;
}

static struct dsp_pipeline *heap_pop(struct sched_heap *h)
{
	struct dsp_pipeline *top = h->v[0];
	struct dsp_pipeline *last = h->v[--h->n];
	uint32_t i = 0;

	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		struct dsp_pipeline *best = last;

		if (l < h->n && sched_before(h->v[l], best)) {
			m = l;
			best = h->v[l];
		}
		if (r < h->n && sched_before(h->v[r], best))
			m = r;
		if (m == i)
			break;
		h->v[i] = h->v[m];
		i = m;
	}
	if (h->n)
		h->v[i] = last;
	return top;
}

/* The pipeline that reads buffer @b, if it is another complete pipeline than @p. */
static struct dsp_pipeline *edge_target(const struct dsp_pipeline *p, const struct dsp_buffer *b)
{
	struct dsp_pipeline *q = b->sink ? b->sink->obj.pipe : NULL;

	return q && q != p && q->complete ? q : NULL;
}

static void relax(struct dsp_pipeline *p, struct sched_heap *h)
{
	uint32_t i, j;

	for (i = 0; i < p->n_comps; i++) {
		struct dsp_comp *c = p->comps[i];

		for (j = 0; j < c->n_out; j++) {
			struct dsp_pipeline *q = edge_target(p, c->out[j]);

			if (q && q->indeg && --q->indeg == 0)
				heap_push(h, q);
		}
	}
}

/* The run table and task list for pipelines in @order. */
static int build_runs(struct dsp_engine *e, struct dsp_pipeline **order, uint32_t n)
{
	struct dsp_run *runs = calloc(n ? n : 1, sizeof(*runs));
	struct dsp_task *tasks;
	uint32_t ntasks = 0, i, j, k = 0;

	for (i = 0; i < n; i++)
		for (j = 0; j < order[i]->n_comps; j++)
			ntasks += 1 + (order[i]->comps[j]->ops->post != NULL);
	tasks = calloc(ntasks ? ntasks : 1, sizeof(*tasks));
	if (!runs || !tasks) {
		free(runs);
		free(tasks);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct dsp_pipeline *p = order[i];

		runs[i].p = p;
		runs[i].go = p->running;
		runs[i].div = p->period_div;
		runs[i].first = k;
		for (j = 0; j < p->n_comps; j++) {
			tasks[k].fn = p->comps[j]->ops->copy;
			tasks[k++].c = p->comps[j];
		}
		runs[i].n_copy = p->n_comps;
		for (j = 0; j < p->n_comps; j++)
			if (p->comps[j]->ops->post) {
				tasks[k].fn = p->comps[j]->ops->post;
				tasks[k++].c = p->comps[j];
				runs[i].n_post++;
			}
	}
	/* (A pipeline leaving the table had its index cleared by dsp_pipeline_uncomplete().) */
	for (i = 0; i < n; i++)
		order[i]->run_index = i;
	free(e->runs);
	free(e->tasks);
	e->runs = runs;
	e->tasks = tasks;
	return 0;
}

/*
 * The period path's shortcuts that depend on the run order: forget them on every buffer a
 * scheduled component writes, then let the components that plan decide again.
 */
static void plan_all(struct dsp_engine *e)
{
	uint32_t i, j, k;

	for (i = 0; i < e->nsched; i++) {
		struct dsp_pipeline *p = e->sched[i];

		for (j = 0; j < p->n_comps; j++)
			for (k = 0; k < p->comps[j]->n_out; k++)
				p->comps[j]->out[k]->mix_into = NULL;
	}
	for (i = 0; i < e->nsched; i++) {
		struct dsp_pipeline *p = e->sched[i];

		for (j = 0; j < p->n_comps; j++)
			if (p->comps[j]->ops->plan)
				p->comps[j]->ops->plan(p->comps[j]);
	}
}

int dsp_sched_rebuild(struct dsp_engine *e)
{
	struct {
		struct dsp_pipeline **v;
		uint32_t n;
	} all = { 0 };
	struct sched_heap heap = { 0 };
	struct dsp_pipeline **order;
	uint32_t i, j, k, n_order = 0;
	uint32_t gen = ++e->gen;
	int ret;

	all.v = calloc(e->npipes ? e->npipes : 1, sizeof(*all.v));
	heap.v = calloc(e->npipes ? e->npipes : 1, sizeof(*heap.v));
	order = calloc(e->npipes ? e->npipes : 1, sizeof(*order));
	if (!all.v || !heap.v || !order) {
		free(all.v);
		free(heap.v);
		free(order);
		return -ENOMEM;
	}
	for (i = 0; i < e->npipes; i++)
		if (e->pipes[i]->complete)
			all.v[all.n++] = e->pipes[i];

	for (i = 0; i < all.n; i++)
		all.v[i]->indeg = 0;
	for (i = 0; i < all.n; i++) {
		struct dsp_pipeline *p = all.v[i];

		for (j = 0; j < p->n_comps; j++)
			for (k = 0; k < p->comps[j]->n_out; k++) {
				struct dsp_pipeline *q = edge_target(p, p->comps[j]->out[k]);

				if (q)
					q->indeg++;
			}
	}
	for (i = 0; i < all.n; i++)
		if (!all.v[i]->indeg)
			heap_push(&heap, all.v[i]);

	while (n_order < all.n) {
		struct dsp_pipeline *p;

		if (!heap.n) {
			/* A cycle: release its first pipeline by priority and creation. */
			struct dsp_pipeline *first = NULL;

			for (i = 0; i < all.n; i++)
				if (all.v[i]->mark != gen &&
				    (!first || sched_before(all.v[i], first)))
					first = all.v[i];
			vadsp_warn("dsp", "pipelines form a cycle; pipeline %u runs first",
				   first->obj.id);
			first->indeg = 0;
			heap_push(&heap, first);
		}
		p = heap_pop(&heap);
		if (p->mark == gen)
			continue;
		p->mark = gen;
		order[n_order++] = p;
		relax(p, &heap);
	}

	free(all.v);
	free(heap.v);
	ret = build_runs(e, order, n_order);
	if (ret) {
		free(order);
		return ret;
	}
	free(e->sched);
	e->sched = order;
	e->nsched = n_order;
	plan_all(e);
	return 0;
}

bool dsp_sched_runs_now(const struct dsp_engine *e, const struct dsp_pipeline *p)
{
	const struct dsp_run *r;

	if (!p || p->run_index >= e->nsched)
		return false;
	r = &e->runs[p->run_index];
	return r->p == p && r->go && (r->div <= 1 || (e->ticks - 1) % r->div == 0);
}

/*
 * Prefetch what a pipeline's period will touch, in steps so that no step waits for a load:
 * three pipelines ahead its components, two ahead what their first cache line points at
 * (private state and first output buffer, and the input a host will read from its ring).
 */
static inline void prefetch_comps(const struct dsp_task *tasks, const struct dsp_run *r)
{
	uint32_t j;

	if (!r->go)
		return;
	if (r->fused) {
		/* (a run in one call touches just these two) */
		__builtin_prefetch(r->fused_c);
		__builtin_prefetch(r->fused_d);
		return;
	}
	for (j = 0; j < r->n_copy; j++)
		__builtin_prefetch(tasks[r->first + j].c);
}

static inline void prefetch_comp_links(const struct dsp_comp *c)
{
	const char *p = c->prefetch_at;
	uint32_t l;

	__builtin_prefetch(c->priv);
	if (c->n_out)
		__builtin_prefetch(c->out[0], 1);
	if (!p)
		return;
	for (l = 0; l < c->prefetch_lines; l++)
		__builtin_prefetch(p + (size_t)l * DSP_CACHE_LINE);
}

static inline void prefetch_links(const struct dsp_task *tasks, const struct dsp_run *r)
{
	uint32_t j;

	if (!r->go)
		return;
	if (r->fused) {
		prefetch_comp_links(r->fused_c);
		prefetch_comp_links(r->fused_d);
		return;
	}
	for (j = 0; j < r->n_copy; j++)
		prefetch_comp_links(tasks[r->first + j].c);
}

void dsp_sched_fuse(struct dsp_engine *e, struct dsp_pipeline *p,
		    bool (*fn)(struct dsp_comp *c, struct dsp_comp *d), struct dsp_comp *c,
		    struct dsp_comp *d)
{
	if (p->run_index < e->nsched && e->runs[p->run_index].p == p) {
		e->runs[p->run_index].fused = fn;
		e->runs[p->run_index].fused_c = c;
		e->runs[p->run_index].fused_d = d;
	}
}

int dsp_sched_tick(struct dsp_engine *e)
{
	/* (No copy or post rebuilds the schedule: the tables stay put for the whole tick.) */
	struct dsp_run *runs = e->runs;
	const struct dsp_task *tasks = e->tasks;
	uint32_t n = e->nsched, i, j;
	uint64_t tick = e->ticks++;
	int ran = 0;

	for (i = 0; i < n; i++) {
		struct dsp_run *r = &runs[i];
		const struct dsp_task *t;
		uint32_t n_copy, n_post;

		if (i + 3 < n)
			prefetch_comps(tasks, &runs[i + 3]);
		if (i + 2 < n)
			prefetch_links(tasks, &runs[i + 2]);
		if (!r->go)
			continue;
		if (r->div > 1 && tick % r->div)
			continue;
		if (r->fused && r->fused(r->fused_c, r->fused_d)) {
			r->runs++;
			ran++;
			continue;
		}
		t = tasks + r->first;
		n_copy = r->n_copy;
		n_post = r->n_post;
		for (j = 0; j < n_copy; j++) {
			t[j].fn(t[j].c);
			if (!r->go)
				break;
		}
		for (j = 0; j < n_post; j++)
			t[n_copy + j].fn(t[n_copy + j].c);
		r->runs++;
		ran++;
	}
	return ran;
}
