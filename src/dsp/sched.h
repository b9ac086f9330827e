/* SPDX-License-Identifier: MIT */
/*
 * The scheduler: the order pipelines run in, and the tick.
 *
 * The order is computed on the control path whenever the graph changes (a pipeline is
 * completed or freed, a connection made or undone): a topological order of the complete
 * pipelines along the data flow (a pipeline whose component writes a buffer that a
 * component of another pipeline reads runs before it), ties broken by priority (lower
 * first) and then creation order. A cycle between pipelines (a loop through buffers) is
 * broken at the pipeline that comes first by priority and creation, with a warning.
 *
 * The tick walks that order and runs each active, due pipeline's components from its
 * sources to its sinks. It does not allocate: the order array is sized on the control path.
 */
#ifndef VADSP_DSP_SCHED_H
#define VADSP_DSP_SCHED_H

#include "dsp/comp.h"

/* One call of the tick: a component's copy or post. */
struct dsp_task {
	void (*fn)(struct dsp_comp *c);
	struct dsp_comp *c;
};

/*
 * A pipeline as the tick sees it, in run order: whether it runs (@go mirrors
 * pipeline->running), every how many ticks, and its tasks: @n_copy copies from @first, then
 * @n_post posts; @runs counts the periods it ran. @fused, when a component's plan set it
 * (dsp_sched_fuse()), runs the whole period in one call on @fused_c and @fused_d (two of its
 * components), and returns false, having done nothing, when it cannot: the tasks run then.
 */
struct dsp_run {
	struct dsp_pipeline *p;
	uint64_t runs;
	bool go;
	uint32_t div;
	uint32_t first;
	uint32_t n_copy;
	uint32_t n_post;
	bool (*fused)(struct dsp_comp *c, struct dsp_comp *d);
	struct dsp_comp *fused_c;
	struct dsp_comp *fused_d;
};

/**
 * dsp_sched_rebuild() - recompute the run order
 * @e: the engine
 *
 * Control path.
 *
 * Return: 0 or -ENOMEM (the old order stays then).
 */
int dsp_sched_rebuild(struct dsp_engine *e);

/**
 * dsp_sched_fuse() - let one call run a pipeline's whole period
 * @e: the engine
 * @p: a scheduled pipeline
 * @fn: the call; it must do exactly what the pipeline's tasks would (or nothing, returning
 *	false)
 * @c: its first argument
 * @d: its second argument
 *
 * For a component's plan op (after a schedule rebuild).
 */
void dsp_sched_fuse(struct dsp_engine *e, struct dsp_pipeline *p,
		    bool (*fn)(struct dsp_comp *c, struct dsp_comp *d), struct dsp_comp *c,
		    struct dsp_comp *d);

/**
 * dsp_sched_runs_now() - whether a pipeline runs in the tick under way
 * @e: the engine, in dsp_sched_tick()
 * @p: a pipeline
 *
 * Return: true if @p is scheduled, running and due in this tick (what the tick checks before
 * running it; it cannot change within the tick before @p runs unless a component of @p
 * stops it).
 */
bool dsp_sched_runs_now(const struct dsp_engine *e, const struct dsp_pipeline *p);

/**
 * dsp_sched_tick() - run one engine period
 * @e: the engine
 *
 * Return: pipelines run.
 */
int dsp_sched_tick(struct dsp_engine *e);

#endif /* VADSP_DSP_SCHED_H */
