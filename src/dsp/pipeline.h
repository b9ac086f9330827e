/* SPDX-License-Identifier: MIT */
/*
 * Pipelines: completion (membership and graph checks), stream params and their propagation,
 * and the state machine.
 *
 * States. A pipeline has its own state machine (@self_state, SOF's: INIT, READY, PREPARE,
 * PAUSED, ACTIVE), driven by the calls made on it: params on its host (or on itself when it
 * has none), triggers, PCM free. It also "holds" the host-less pipelines its stream reaches
 * (@group): a guest pipeline holds the shared mixer pipeline it plays into. Every pipeline
 * counts the holders that have it prepared, paused and running (itself included when it is
 * its own holder), and its effective @state, the one the scheduler and the components see,
 * follows from the counts: ACTIVE if any holder runs, else PAUSED if any is paused, else
 * PREPARE if any has it prepared, else READY (or INIT before completion). So a shared mixer
 * starts with the first guest that starts and stops with the last one that stops.
 *
 * Allowed self-state transitions are a table (STYLE rule 11), checked before any side
 * effect.
 */
#ifndef VADSP_DSP_PIPELINE_H
#define VADSP_DSP_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "dsp/buffer.h"
#include "dsp/comp.h"

/**
 * struct dsp_pipeline - a pipeline
 * @obj: obj.id is the pipeline's comp_id, obj.pipeline_id its pipeline_id
 * @desc: as created
 * @period_div: its period in engine ticks
 * @complete: completed (members joined) and not undone since
 * @self_state: its own state (enum dsp_state)
 * @state: effective state
 * @n_prep: holders that have it prepared (PREPARE, PAUSED or ACTIVE)
 * @n_paused: holders that are PAUSED
 * @n_active: holders that are ACTIVE
 * @sched_comp: the component sched_id names (resolved at completion)
 * @host: its host component, or NULL
 * @comps: member components from sources to sinks
 * @n_comps: count
 * @bufs: member buffers
 * @n_bufs: count
 * @group: the pipelines it holds while prepared: itself first, then the host-less
 *	pipelines its stream reaches (set by params, kept until PCM free)
 * @n_group: count
 * @served: host components whose streams run through it (for xrun accounting)
 * @n_served: count
 * @cap_served: room
 * @xrun_stopped: the data path stopped after an xrun (until START or RELEASE)
 * @running: ACTIVE and not stopped by an xrun: its components move data (see
 *	dsp_pipeline_gate())
 * @run_index: its entry in the engine's run table, or UINT32_MAX
 * @xrun_us: xrun time accumulated toward desc.xrun_limit_us
 * @mark: scratch for graph walks
 * @indeg: scratch for scheduling
 */
struct dsp_pipeline {
	struct dsp_obj obj;
	bool running;
	bool xrun_stopped;
	struct dsp_pipeline_desc desc;
	uint32_t period_div;
	bool complete;
	uint32_t self_state;
	uint32_t state;
	uint32_t n_prep;
	uint32_t n_paused;
	uint32_t n_active;
	struct dsp_comp *sched_comp;
	struct dsp_comp *host;
	struct dsp_comp **comps;
	uint32_t n_comps;
	struct dsp_buffer **bufs;
	uint32_t n_bufs;
	struct dsp_pipeline **group;
	uint32_t n_group;
	struct dsp_comp **served;
	uint32_t n_served;
	uint32_t cap_served;
	uint32_t run_index;
	uint64_t xrun_us;
	uint32_t mark;
	uint32_t indeg;
};

/* True if the pipeline that produces into @b is running (its data path not stopped). */
static inline bool dsp_buffer_producer_running(const struct dsp_buffer *b)
{
	return b->source && b->source->obj.pipe && b->source->obj.pipe->running;
}

/* True if the pipeline that consumes from @b is running. */
static inline bool dsp_buffer_consumer_running(const struct dsp_buffer *b)
{
	return b->sink && b->sink->obj.pipe && b->sink->obj.pipe->running;
}

/* True if @p is prepared, paused or running (its graph may not change). */
static inline bool dsp_pipeline_busy(const struct dsp_pipeline *p)
{
	return p && p->state >= DSP_STATE_PREPARE;
}

/**
 * dsp_pipeline_do_complete() - join members, check the graph, order the components
 * @e: the engine
 * @p: a pipeline that is not prepared
 *
 * Return: 0 or -errno (the pipeline is INIT afterwards then).
 */
int dsp_pipeline_do_complete(struct dsp_engine *e, struct dsp_pipeline *p);

/**
 * dsp_pipeline_uncomplete() - back to INIT: members leave, the schedule forgets it
 * @e: the engine
 * @p: a pipeline that is not prepared
 */
void dsp_pipeline_uncomplete(struct dsp_engine *e, struct dsp_pipeline *p);

/**
 * dsp_pipeline_prepare() - params: propagate a stream from @p and prepare
 * @e: the engine
 * @p: a READY pipeline
 * @ctx: the stream (ctx->host set for a host's PCM params)
 *
 * Return: 0 or -errno (nothing is prepared then).
 */
int dsp_pipeline_prepare(struct dsp_engine *e, struct dsp_pipeline *p,
			 const struct dsp_params_ctx *ctx);

/**
 * dsp_pipeline_unprepare() - PCM free: release @p's hold on itself and its group
 * @e: the engine
 * @p: a pipeline in PREPARE or PAUSED (self state)
 */
void dsp_pipeline_unprepare(struct dsp_engine *e, struct dsp_pipeline *p);

/**
 * dsp_pipeline_trigger() - a trigger on @p as a holder
 * @e: the engine
 * @p: the pipeline
 * @cmd: enum dsp_trigger
 *
 * Return: 0, or -EINVAL when the self state does not allow @cmd (nothing changes).
 */
int dsp_pipeline_trigger(struct dsp_engine *e, struct dsp_pipeline *p, uint32_t cmd);

/**
 * dsp_pipeline_gate() - recompute @running after a change of state or of @xrun_stopped
 * @e: the engine
 * @p: the pipeline
 *
 * Also updates the scheduler's copy of it. Period path safe.
 */
void dsp_pipeline_gate(struct dsp_engine *e, struct dsp_pipeline *p);

/* Free a pipeline's arrays (the object itself is freed by the engine). */
void dsp_pipeline_destroy(struct dsp_pipeline *p);

#endif /* VADSP_DSP_PIPELINE_H */
