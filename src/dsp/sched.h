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
 * dsp_sched_tick() - run one engine period
 * @e: the engine
 *
 * Return: pipelines run.
 */
int dsp_sched_tick(struct dsp_engine *e);

#endif /* VADSP_DSP_SCHED_H */
