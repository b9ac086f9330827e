/* SPDX-License-Identifier: MIT */
/*
 * The component framework: objects, components and the engine that holds them.
 *
 * Private to src/dsp: engine.h is the public interface. Every object (component, buffer,
 * pipeline) embeds a struct dsp_obj and lives in the engine's id table. A component
 * type is a `static const struct dsp_comp_ops` (STYLE rule 7) in its own comp-<type>.c.
 *
 * The life of a component, as the framework drives it:
 *   new        control path, from dsp_comp_new(): parse the descriptor, allocate private
 *              state. May fail.
 *   params     control path, when a stream reaches it: read the streams of its input
 *              buffers (and, for sources, the requested stream), choose the format it works
 *              in, set the streams of its output buffers. No allocation, no side effect
 *              beyond c->stream and the output buffers' streams: the framework may call it
 *              again on a prepared component (a demux gaining an output). May fail.
 *   prepare    control path, after every buffer has its stream and storage: choose
 *              kernels, allocate scratch. May fail; reset undoes it.
 *   trigger    when the pipeline's effective state changes (START, STOP, PAUSE, RELEASE).
 *              Must not fail or allocate.
 *   copy       the period path: move what it can from its inputs to its outputs. Never
 *              allocates, locks or blocks.
 *   set_ctrl, get_ctrl   controls; set_ctrl must not allocate (it runs between ticks).
 *   reset      back to READY: release what prepare allocated.
 *   free       release everything new allocated.
 */
#ifndef VADSP_DSP_COMP_H
#define VADSP_DSP_COMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dsp/arena.h"
#include "dsp/engine.h"
#include "dsp/format.h"
#include "util/compiler.h"
#include "util/ringbuf.h"

struct dsp_buffer;
struct dsp_pipeline;
struct dsp_comp;
struct dsp_run;
struct dsp_task;

enum dsp_obj_kind {
	DSP_OBJ_COMP = 1,
	DSP_OBJ_BUFFER = 2,
	DSP_OBJ_PIPELINE = 3,
};

/**
 * struct dsp_obj - what every object starts with
 * @id: unique id
 * @kind: enum dsp_obj_kind
 * @pipeline_id: the pipeline id it quotes (a pipeline: its own)
 * @core: recorded
 * @seq: creation order, for deterministic ordering
 * @pipe: the complete pipeline it belongs to, or NULL
 */
struct dsp_obj {
	uint32_t id;
	uint32_t kind;
	uint32_t pipeline_id;
	uint32_t core;
	uint64_t seq;
	struct dsp_pipeline *pipe;
};

/* A stream: what travels through a buffer. */
struct dsp_stream {
	uint32_t fmt;
	uint32_t rate;
	uint32_t channels;
};

/**
 * struct dsp_params_ctx - what a params pass carries
 * @e: the engine
 * @rate: rate requested for sources (PCM rate, or the pipeline's)
 * @channels: channels requested for sources
 * @direction: the stream's direction
 * @pcm: the host's parameters (dsp_pcm_params()), or NULL for dsp_pipeline_params()
 * @host: the host component the pass started from, or NULL
 */
struct dsp_params_ctx {
	struct dsp_engine *e;
	uint32_t rate;
	uint32_t channels;
	uint32_t direction;
	const struct dsp_pcm_params *pcm;
	struct dsp_comp *host;
};

enum dsp_ctrl_op {
	DSP_CTRL_OP_VALUES = 1,
	DSP_CTRL_OP_DATA = 2,
};

/**
 * struct dsp_ctrl - one control request to a component
 * @op: enum dsp_ctrl_op
 * @cmd: enum dsp_ctrl_cmd (values)
 * @values: @n channel/value pairs (set: read; get: values filled in)
 * @n: count, at most DSP_MAX_CHANNELS
 * @data: set: the blob; get: room for it
 * @size: set: blob bytes; get: room in bytes, and the blob's size on return
 */
struct dsp_ctrl {
	uint32_t op;
	uint32_t cmd;
	struct dsp_ctrl_value *values;
	uint32_t n;
	void *data;
	uint32_t size;
};

/* Component-level triggers (effective state changes of its pipeline). */
enum dsp_comp_trigger {
	DSP_COMP_START = 1,
	DSP_COMP_STOP = 2,
	DSP_COMP_PAUSE = 3,
	DSP_COMP_RELEASE = 4,
};

/**
 * struct dsp_comp_ops - one component type (see the top of this file)
 * @type: enum dsp_comp_type
 * @name: short name for logs
 * @stage_inputs: the framework gives every input buffer a staging area in the work format
 *	(b->stage) even when no conversion is needed (the mixer pads short inputs there)
 * @mix_early: its copy hands its output to the mixer that reads it, in the same tick, when
 *	the mixer's plan allows it (the buffer's mix_into is set; see "Early mixing" below)
 * @new: create from @d; set c->max_in / c->max_out; return 0 or -errno
 * @free: free what @new allocated (also after a failed @new)
 * @params: see above; return 0 or -errno
 * @prepare: see above; return 0 or -errno
 * @trigger: optional
 * @accept: optional; a prepared component is offered a new input stream (buffer @b, its
 *	stream set) from a pipeline being prepared: return 0 to take it (a mixer or mux joined
 *	by another guest), -EINVAL if it does not fit. Without it such a stream is refused.
 * @copy: the period's work
 * @post: optional; runs after every component of the pipeline ran its period (also when an
 *	xrun stopped the pipeline in it): a host ends the loan of its ring here
 * @set_ctrl: optional; -EINVAL when absent
 * @get_ctrl: optional; -EINVAL when absent
 * @reset: optional; undo @prepare
 * @plan: optional; control path, after every schedule rebuild: decide what in the period path
 *	depends on the run order (the mixer's early inputs)
 */
struct dsp_comp_ops {
	uint32_t type;
	const char *name;
	bool stage_inputs;
	bool mix_early;
	int (*new)(struct dsp_comp *c, const struct dsp_comp_desc *d);
	void (*free)(struct dsp_comp *c);
	int (*params)(struct dsp_comp *c, const struct dsp_params_ctx *ctx);
	int (*prepare)(struct dsp_comp *c);
	void (*trigger)(struct dsp_comp *c, uint32_t cmd);
	int (*accept)(struct dsp_comp *c, const struct dsp_buffer *b);
	void (*copy)(struct dsp_comp *c);
	void (*post)(struct dsp_comp *c);
	int (*set_ctrl)(struct dsp_comp *c, struct dsp_ctrl *ctl);
	int (*get_ctrl)(struct dsp_comp *c, struct dsp_ctrl *ctl);
	void (*reset)(struct dsp_comp *c);
	void (*plan)(struct dsp_comp *c);
};

#define DSP_COMP_MANY	UINT32_MAX

/**
 * struct dsp_comp - a component instance
 * @priv: type specific state
 * @in: input buffers, in connection order (@in_one until a second one comes)
 * @out: output buffers (@out_one until a second one comes)
 * @in_one: storage for the first input
 * @out_one: storage for the first output
 * @n_in: count
 * @n_out: count
 * @period_fixed: frames per run are constant (@period_frames)
 * @prefetch_lines: cache lines at @prefetch_at
 * @period_frames: frames per run, rounded up
 * @prefetch_at: what the next run reads besides what the first cache line points at (a
 *	host's next period in its ring, a volume's gain pattern), for the tick to fetch it ahead
 *	into the cache; NULL if nothing
 * @rate_period: stream rate * pipeline period in us
 * @period_acc: remainder accumulator for fractional periods
 * @stream: the stream it works on (set by params): its format, rate and channels
 * @in_ptrs: scratch of @cap_in pointers for copy (the mixer's source list)
 * @obj: id, pipeline, ...
 * @ops: its type
 * @engine: the engine it lives in
 * @fmt: configured output format (desc.fmt) or DSP_COMP_FMT_INHERIT
 * @xrun_action: DSP_XRUN_* bits
 * @direction: stream direction (host and DAI)
 * @max_in: inputs it accepts (DSP_COMP_MANY: any number)
 * @max_out: outputs it accepts
 * @cap_in: room in @in and @in_ptrs
 * @cap_out: room in @out
 * @prepared: prepare succeeded and reset has not run since
 * @mark: scratch for graph walks (generation marks)
 * @indeg: scratch for topological sorts
 *
 * The fields the period path reads come first: one cache line (components are allocated
 * aligned to it).
 */
struct dsp_comp {
	void *priv;
	struct dsp_buffer **in;
	struct dsp_buffer **out;
	struct dsp_buffer *in_one;
	struct dsp_buffer *out_one;
	uint32_t n_in;
	uint32_t n_out;
	bool period_fixed;
	uint8_t prefetch_lines;
	uint32_t period_frames;
	const void *prefetch_at;
	uint64_t rate_period;
	uint64_t period_acc;
	struct dsp_stream stream;
	const void **in_ptrs;
	struct dsp_obj obj;
	const struct dsp_comp_ops *ops;
	struct dsp_engine *engine;
	uint32_t fmt;
	uint32_t xrun_action;
	uint32_t direction;
	uint32_t max_in;
	uint32_t max_out;
	uint32_t cap_in;
	uint32_t cap_out;
	bool prepared;
	uint32_t mark;
	uint32_t indeg;
};

#define DSP_CACHE_LINE	64u
_Static_assert(offsetof(struct dsp_comp, rate_period) == DSP_CACHE_LINE,
	       "the period path's fields of struct dsp_comp fill its first cache line");

/**
 * struct dsp_engine - the engine (private; see engine.h)
 * @period_us: tick
 * @rate: default rate
 * @ticks: ticks run
 * @seq: creation counter
 * @gen: generation counter for graph walks (marks equal to it are set)
 * @slots: open-addressing id table (linear probing), @nslots a power of two
 * @nslots: table size
 * @count: objects in the table
 * @pipes: every pipeline (complete or not), in no particular order
 * @npipes: count
 * @cap_pipes: room in @pipes
 * @sched: complete pipelines in run order
 * @nsched: count
 * @runs: per pipeline of @sched, what the tick needs (struct dsp_run, sched.h)
 * @tasks: the copy and post calls of all of them, in order (struct dsp_task, sched.h)
 * @events: event queue (struct dsp_event records)
 * @event_mem: its storage
 * @events_dropped: events lost to a full queue
 * @late_mix: no early mixing (dsp_engine_config.late_mix)
 * @arena: memory for what the period path touches (arena.h)
 */
struct dsp_engine {
	uint32_t period_us;
	uint32_t rate;
	uint64_t ticks;
	uint64_t seq;
	uint32_t gen;
	struct dsp_obj **slots;
	uint32_t nslots;
	uint32_t count;
	struct dsp_pipeline **pipes;
	uint32_t npipes;
	uint32_t cap_pipes;
	struct dsp_pipeline **sched;
	uint32_t nsched;
	struct dsp_run *runs;
	struct dsp_task *tasks;
	struct vadsp_ringbuf events;
	uint8_t *event_mem;
	uint64_t events_dropped;
	bool late_mix;
	struct dsp_arena arena;
};

/* ---------------------------------------------------------------------------------------- */
/* Object table (engine.c)                                                                   */

/* The object with @id, or NULL. */
struct dsp_obj *dsp_obj_find(const struct dsp_engine *e, uint32_t id);

/* The component with @id, or NULL (also when @id is another kind of object). */
struct dsp_comp *dsp_comp_find(const struct dsp_engine *e, uint32_t id);

/* Call @fn on every object (in table order); stops at the first non-zero return. */
int dsp_obj_for_each(struct dsp_engine *e, int (*fn)(struct dsp_obj *o, void *arg), void *arg);

/* ---------------------------------------------------------------------------------------- */
/* Component framework (comp.c)                                                              */

/* The ops of a component type, or NULL. */
const struct dsp_comp_ops *dsp_comp_ops_get(uint32_t type);

/* True if @c's pipeline is prepared, paused or running. */
bool dsp_comp_busy(const struct dsp_comp *c);

/* The pipeline's period in us for @c (the engine's tick outside a pipeline). */
uint32_t dsp_comp_period_us(const struct dsp_comp *c);

/**
 * dsp_comp_set_period() - set the frames-per-run bookkeeping for a rate
 * @c: component
 * @rate: its stream rate
 *
 * Call from params or prepare of components that produce or consume a period per run.
 */
void dsp_comp_set_period(struct dsp_comp *c, uint32_t rate);

/*
 * The input and output of a component that takes at most one of each (max_in and max_out 1):
 * its lists are then always its *_one storage, one load fewer on the period path.
 */
static inline struct dsp_buffer *dsp_comp_in1(const struct dsp_comp *c)
{
	return c->in_one;
}

static inline struct dsp_buffer *dsp_comp_out1(const struct dsp_comp *c)
{
	return c->out_one;
}

/* Frames this run moves (fractional periods spread over runs). Period path. */
static inline uint32_t dsp_comp_run_frames(struct dsp_comp *c)
{
	uint32_t f;

	if (c->period_fixed)
		return c->period_frames;
	c->period_acc += c->rate_period;
	f = (uint32_t)(c->period_acc / 1000000u);
	c->period_acc -= (uint64_t)f * 1000000u;
	return f;
}

/* Restart the fractional period sequence (stream start). */
static inline void dsp_comp_period_restart(struct dsp_comp *c)
{
	c->period_acc = 0;
}

/**
 * dsp_comp_note_xrun() - count an xrun at a component, without its xrun action
 * @c: the component that saw it
 * @under: underrun (true) or overrun
 * @frames: frames missing or dropped
 *
 * Period path. Counts the xrun in every host stream the pipeline serves and queues events,
 * as dsp_comp_xrun() does; the pipeline goes on whatever the action.
 */
void dsp_comp_note_xrun(struct dsp_comp *c, bool under, uint32_t frames);

/**
 * dsp_comp_xrun() - report an xrun at a component and apply its xrun action
 * @c: the component that saw it
 * @under: underrun (true) or overrun
 * @frames: frames missing or dropped
 *
 * Period path. Counts the xrun in every host stream the pipeline serves and queues
 * events.
 *
 * Return: true if the stream goes on (the caller fills silence or drops), false if the
 * pipeline's data path stopped (the caller returns at once).
 */
bool dsp_comp_xrun(struct dsp_comp *c, bool under, uint32_t frames);

/* Queue an event (period path). */
void dsp_engine_post(struct dsp_engine *e, const struct dsp_event *ev);

/* The types (comp-*.c). */
extern const struct dsp_comp_ops dsp_host_ops;
extern const struct dsp_comp_ops dsp_dai_ops;
extern const struct dsp_comp_ops dsp_volume_ops;
extern const struct dsp_comp_ops dsp_mixer_ops;
extern const struct dsp_comp_ops dsp_mux_ops;
extern const struct dsp_comp_ops dsp_demux_ops;
extern const struct dsp_comp_ops dsp_src_ops;
extern const struct dsp_comp_ops dsp_tone_ops;
extern const struct dsp_comp_ops dsp_eq_iir_ops;

/* ---------------------------------------------------------------------------------------- */
/* Early mixing (comp-mixer.c)                                                               */

/*
 * A mixer sums its inputs into an accumulator (kernels/mix.h, "mixing in steps") and stores
 * the sum once. What it does with each input when it runs (take up to a period, pad it with
 * silence, add it, consume it) depends only on that buffer, on the frames the mixer takes in
 * this tick and on whether the producer's pipeline runs; so the producer can do it for the
 * mixer as soon as it has run, while its output is still in the cache, and when its output
 * buffer is empty it can add its samples straight to the sum without writing them at all (a
 * volume does: dsp_vol_accumulate()). The mixer then only adds the inputs nobody took.
 *
 * The mixer's plan (the plan op, after each schedule rebuild and when it is prepared) sets
 * b->mix_into on the inputs for which this gives its own result exactly:
 *   - the mixer is the first component of its pipeline and its output is read in that
 *     pipeline, so nothing changes between the start of a tick and its run what it will take;
 *   - the producer has the mix_early op flag, is the last component of another complete
 *     pipeline with the same period, scheduled before the mixer's, so it runs in the same
 *     ticks, before it, and nothing in its pipeline can stop it after it ran;
 *   - for FLOAT, whose double sums depend on the order of the additions: those inputs come
 *     first in the mixer's input order and their pipelines run in that order (else no input
 *     is taken early), so every input is added in the mixer's order.
 * The producer calls dsp_mix_frames() in its copy (0: the mixer does not run in this tick, do
 * nothing more), then either adds its output itself to s->acc (and calls dsp_mix_added(), if
 * the buffer is empty and the mixer reads it as it is: dsp_mix_direct()) or writes it to the
 * buffer as usual and calls dsp_mix_take(). Period path, all of them.
 */

/**
 * struct dsp_mix_sum - a mixer's sum for one tick, as the producers feeding it see it
 * @tick: the tick (engine tick count) it is open for
 * @ticks: the engine's tick count
 * @acc: the accumulator (kernels/mix.h), or NULL while the mixer is not prepared
 * @frames: the frames the mixer takes in @tick (0: it does not run in it)
 * @taken: inputs handed over in @tick
 * @mixer: the mixer
 * @stats: how its inputs were taken
 *
 * The mixer owns it; b->mix_into points at it from the inputs its plan allows, and only while
 * the buffer's sink is that mixer.
 */
struct dsp_mix_sum {
	uint64_t tick;
	const uint64_t *ticks;
	uint8_t *acc;
	uint32_t frames;
	uint32_t taken;
	struct dsp_comp *mixer;
	struct dsp_mix_stats stats;
};

/* Open @s for the tick under way (the first producer to ask): returns s->frames. */
uint32_t dsp_mix_open(struct dsp_mix_sum *s);

/* The frames the mixer takes from an input in this tick, or 0 if it does not run in it. */
static inline uint32_t dsp_mix_frames(struct dsp_mix_sum *s)
{
	return s->tick == *s->ticks ? s->frames : dsp_mix_open(s);
}

/* (dsp_mix_direct() and dsp_mix_added() are in buffer.h.) */

/* Do now what the mixer will do with @b in this tick (after the producer wrote to @b). */
void dsp_mix_take(struct dsp_mix_sum *s, struct dsp_buffer *b);

/* Add a mixer's counts to @st (control path). */
void dsp_mixer_stats(const struct dsp_comp *c, struct dsp_mix_stats *st);

/* ---------------------------------------------------------------------------------------- */
/* Host and DAI helpers other files need (comp-host.c, comp-dai.c)                           */

/* Fill @posn from a host component (zero before params). */
void dsp_host_posn(const struct dsp_comp *host, struct dsp_stream_posn *posn);

/* Count an xrun in a host's position and queue its event (period path). */
void dsp_host_note_xrun(struct dsp_comp *host, uint32_t comp_id, int32_t bytes);

/* Record @dai as the DAI a host's stream reaches (for dai_posn). */
void dsp_host_set_dai(struct dsp_comp *host, struct dsp_comp *dai);

/* Frames a DAI moved since its pipeline was created, and its bytes per frame. */
uint64_t dsp_dai_frames(const struct dsp_comp *dai);
uint32_t dsp_dai_frame_bytes(const struct dsp_comp *dai);

/* The rate of the I/O bound to a DAI, or 0 when none is bound. */
uint32_t dsp_dai_io_rate(const struct dsp_comp *dai);

#endif /* VADSP_DSP_COMP_H */
