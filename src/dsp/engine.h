/* SPDX-License-Identifier: MIT */
/*
 * The DSP engine: components, buffers and pipelines executed as SOF firmware executes IPC3.
 *
 * Objects. Components, buffers and pipelines share one id space, as in SOF: every id is
 * unique within an engine (-EEXIST otherwise). Guests are kept apart by the caller, which
 * gives each guest a range of ids; the engine only needs them unique. A pipeline is named by
 * the id of its scheduler widget (desc.comp_id, as PIPE_FREE and PIPE_COMPLETE name it) and
 * carries a pipeline_id that its components and buffers quote.
 *
 * Building a graph (the IPC3 TPLG messages):
 *   dsp_comp_new(), dsp_buffer_new(), dsp_pipeline_new()   in any order
 *   dsp_connect(source, sink)          exactly one side is a buffer; a buffer has at most one
 *                                      source and one sink
 *   dsp_pipeline_complete()            gathers the components and buffers whose pipeline_id
 *                                      is the pipeline's, resolves the scheduling component
 *                                      (sched_id) and checks the graph (below); the pipeline
 *                                      becomes READY
 *
 * Streams (the IPC3 STREAM messages). dsp_pcm_params() on a host component sets its stream
 * (format, rate, channels, host buffer) and propagates it through the host's pipeline and
 * through every connected pipeline without a host component of its own that is not yet
 * prepared (a shared mixer's or demux's pipeline): downstream for playback, upstream for
 * capture. Pipelines that are already prepared keep their formats; where pipelines meet, the
 * buffer between them carries the producer's format and the consumer converts. Then every
 * component involved is prepared (kernels chosen, memory allocated) and the pipelines go to
 * PREPARE. dsp_pipeline_params() does the same for a pipeline without a host (a tone
 * generator, or a host-side mixer/DAI pipeline configured before any guest plays).
 *
 * Formats. A buffer's format is its producer's: a host writes the PCM format, a DAI the
 * DAI's format (desc.fmt; the bound I/O converts to its own), a processing component its
 * configured desc.fmt (SOF's comp config frame_fmt), or the format of its (first) input when
 * desc.fmt is DSP_COMP_FMT_INHERIT. Every consumer converts from its input buffer's format
 * (format.h's conversion kernels) when it differs from the format it works in. Rates and
 * channel counts pass through unchanged except across src (rate) and mux/demux (channels);
 * a component whose inputs disagree on rate or channels, or a DAI bound to I/O of another
 * rate or channel count, makes params fail with -EINVAL.
 *
 * State machine (SOF's, per pipeline; all components of a pipeline share its state):
 *   INIT     created, not complete             -> READY by dsp_pipeline_complete()
 *   READY    complete, no stream               -> PREPARE by params
 *   PREPARE  params set, stopped               -> ACTIVE by START; -> READY by dsp_pcm_free()
 *   ACTIVE   running                           -> PREPARE by STOP; -> PAUSED by PAUSE
 *   PAUSED   paused                            -> ACTIVE by RELEASE; -> PREPARE by STOP
 * XRUN is accepted in PREPARE, PAUSED and ACTIVE and changes no state: it stops the data path
 * of a running pipeline until the next STOP/START (or PAUSE/RELEASE), as a firmware xrun
 * does. A trigger in any other state fails with -EINVAL and changes nothing. A trigger on a
 * host component applies to its pipeline and to the connected host-less pipelines that the
 * stream reaches (START starts those not yet running; STOP and PAUSE stop those that no
 * other running pipeline still feeds), so a shared mixer runs while any guest plays into it.
 *
 * Scheduling. dsp_engine_tick() runs one period: every ACTIVE pipeline, each a whole number
 * of engine periods long, runs when its period is due, in dependency order (a pipeline that
 * feeds a buffer consumed in another pipeline runs first; then by priority, lower first; then
 * by creation). Within a pipeline components run from the sources to the sinks. A pipeline
 * moves rate * period frames per run (fractional counts are spread, 44.1 kHz at 1 ms moves
 * 44 or 45 frames). Nothing in a tick allocates, locks, logs above debug level or blocks.
 * There is no clock inside the engine: the caller calls tick on its clock (an endpoint's
 * wake-up) or as fast as it likes (free-wheeling: tests, benchmarks, the offline testbench).
 * A mixer fed by pipelines that run before it in the same ticks lets them add their period
 * to its sum as soon as they ran (early mixing, dsp_engine_mix_stats()); the sums and their
 * order are the mixer's own, so the output is the same bit for bit.
 *
 * Xruns. Detected at host components (playback: the guest ring has less than a period;
 * capture: no room in the ring for a period) and at DAIs (playback: less than a period
 * reaches the DAI, or the I/O refuses it; capture: the I/O has no period, or the next
 * buffer no room). The detecting component's xrun_action (SOF's bits) decides:
 *   DSP_XRUN_UNDER_ZERO   an underrun is filled with silence and the stream goes on
 *   DSP_XRUN_OVER_NULL    an overrun drops what does not fit and the stream goes on
 *   otherwise (DSP_XRUN_STOP, or a bit for the other kind of xrun)
 *                         the pipeline's data path stops (state stays ACTIVE, as SOF's XRUN
 *                         trigger leaves it) once xruns add up to more than the pipeline's
 *                         xrun_limit_us (0: at the first); silence is produced until then
 * Every xrun is counted in the stream position of the host components the pipeline serves
 * and queued as a DSP_EVENT_XRUN event.
 *
 * Threads. The engine is not thread-safe: all calls on one engine, dsp_engine_tick()
 * included, come from one thread at a time. The intended owner is the real-time data
 * thread: the control thread hands it IPC work to run between ticks (STYLE rule 6).
 * Allocation happens only in the building and params calls (and dsp_pcm_free() frees).
 * Triggers, controls, host data and tick do not allocate.
 *
 * Errors: -ENODEV for an id that names nothing, -EINVAL for an id of the wrong kind or a
 * request the object's state or shape forbids, -EEXIST for a duplicate id, -EBUSY for
 * changing or freeing something a prepared or running pipeline uses, -ENOMEM.
 */
#ifndef VADSP_DSP_ENGINE_H
#define VADSP_DSP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dsp/format.h"

struct dsp_engine;

/* ---------------------------------------------------------------------------------------- */
/* Engine                                                                                    */

#define DSP_ENGINE_PERIOD_US_DEFAULT	1000u
#define DSP_ENGINE_RATE_DEFAULT		48000u
#define DSP_ENGINE_PERIOD_US_MIN	125u
#define DSP_ENGINE_PERIOD_US_MAX	100000u

/**
 * struct dsp_engine_config - engine parameters
 * @period_us: the tick in microseconds (DSP_ENGINE_PERIOD_US_MIN..MAX); 0: 1000
 * @rate: rate of pipelines that no params reach (DSP_SRC_RATE_MIN..MAX); 0: 48000
 * @events: capacity of the event queue (0: 1024); events beyond it are counted and dropped
 * @late_mix: mixers add every input in their own run, never earlier (no early mixing, see
 *	dsp_engine_mix_stats()); the output is the same either way, so this is for comparison
 */
struct dsp_engine_config {
	uint32_t period_us;
	uint32_t rate;
	uint32_t events;
	bool late_mix;
};

/**
 * dsp_engine_create() - create an empty engine
 * @out: the new engine
 * @cfg: parameters, or NULL for the defaults
 *
 * Return: 0, -EINVAL for parameters out of range, -ENOMEM.
 */
int dsp_engine_create(struct dsp_engine **out, const struct dsp_engine_config *cfg);

/**
 * dsp_engine_destroy() - free an engine and everything in it, running or not
 * @e: the engine, or NULL
 */
void dsp_engine_destroy(struct dsp_engine *e);

/* The tick in microseconds. */
uint32_t dsp_engine_period_us(const struct dsp_engine *e);

/**
 * dsp_engine_tick() - run one period of every due, active pipeline
 * @e: the engine
 *
 * Real-time safe: no allocation, no locks, no blocking.
 *
 * Return: the number of pipelines that ran.
 */
int dsp_engine_tick(struct dsp_engine *e);

/* Ticks run since the engine was created. */
uint64_t dsp_engine_ticks(const struct dsp_engine *e);

/**
 * struct dsp_mix_stats - how the mixers took their inputs, period by period
 * @direct: periods a producer (a volume) added straight to a mixer's sum, never written out
 * @fused: of those, periods whose whole pipeline (a host lending its ring to that volume) ran
 *	in one call rather than component by component
 * @early: periods a producer handed over right after writing them, in the same tick
 * @late: periods a mixer added in its own run
 *
 * A mixer that runs after the pipelines feeding it can have them add their output to its sum
 * as soon as they ran (early mixing), while it is in the cache; the mixer then only adds what
 * nobody handed over. The sums are the same bit for bit (dsp_engine_config.late_mix turns it
 * off for comparison).
 */
struct dsp_mix_stats {
	uint64_t direct;
	uint64_t fused;
	uint64_t early;
	uint64_t late;
};

/**
 * dsp_engine_mix_stats() - add up how every mixer of the engine took its inputs
 * @e: the engine
 * @st: filled in
 */
void dsp_engine_mix_stats(struct dsp_engine *e, struct dsp_mix_stats *st);

/* ---------------------------------------------------------------------------------------- */
/* Components                                                                                */

/* Component types: SOF's numbers (enum ipc3_comp_type). */
enum dsp_comp_type {
	DSP_COMP_HOST = 1,
	DSP_COMP_DAI = 2,
	DSP_COMP_VOLUME = 5,
	DSP_COMP_MIXER = 6,
	DSP_COMP_MUX = 7,
	DSP_COMP_SRC = 8,
	DSP_COMP_TONE = 10,
	DSP_COMP_EQ_IIR = 13,
	DSP_COMP_DEMUX = 18,
};

/* Stream directions: SOF's numbers. */
enum dsp_direction {
	DSP_DIR_PLAYBACK = 0,
	DSP_DIR_CAPTURE = 1,
};

/* xrun_action bits: SOF's numbers. */
#define DSP_XRUN_STOP		0x1u
#define DSP_XRUN_UNDER_ZERO	0x2u
#define DSP_XRUN_OVER_NULL	0x4u

/* desc.fmt of a processing component: work in the format of the (first) input. */
#define DSP_COMP_FMT_INHERIT	0xffffffffu

/* desc.volume.initial_gain: SOF's start value, 0 dB limited to [min, max]. */
#define DSP_VOLUME_GAIN_DEFAULT	(-1)

/**
 * struct dsp_comp_desc - a component to create (what IPC3 COMP_NEW carries)
 * @id: unique id
 * @type: enum dsp_comp_type
 * @pipeline_id: the pipeline it belongs to (joined at dsp_pipeline_complete())
 * @core: DSP core (recorded; the engine runs every pipeline on the calling thread)
 * @fmt: the format it produces (enum dsp_fmt; SOF's comp config frame_fmt), or
 *	DSP_COMP_FMT_INHERIT for processing components. Ignored for a host (its PCM format).
 * @xrun_action: DSP_XRUN_* bits (host and DAI)
 * @periods_sink: SOF's periods_sink (recorded)
 * @periods_source: SOF's periods_source (recorded)
 * @host.direction: enum dsp_direction
 * @dai.direction: enum dsp_direction
 * @dai.type: SOF DAI type (recorded)
 * @dai.index: SOF DAI index (recorded)
 * @volume.channels: control channels (1..DSP_MAX_CHANNELS)
 * @volume.min_value: minimum gain, Q8.16 (see dsp_vol_init())
 * @volume.max_value: maximum gain, Q8.16
 * @volume.ramp: enum dsp_vol_ramp
 * @volume.ramp_ms: ramp time in milliseconds (0: none)
 * @volume.initial_gain: Q8.16 gain of every channel, or DSP_VOLUME_GAIN_DEFAULT
 * @src.source_rate: input rate, or 0 for the rate of the stream
 * @src.sink_rate: output rate, or 0 for the rate of the DAI it leads to (playback) or the
 *	PCM (capture)
 * @tone.sample_rate: rate, or 0 for the stream's
 * @tone.frequency: Hz, Q16.16, or 0 for 997 Hz
 * @tone.amplitude: Q1.31 fraction of full scale, or 0 for 0.1
 * @process.data: configuration blob without the ABI header, or NULL (EQ IIR: required;
 *	mux/demux: may come later through dsp_comp_set_data())
 * @process.size: its size in bytes
 *
 * Mixer, mux, demux and eq_iir use @process (mixer: nothing).
 */
struct dsp_comp_desc {
	uint32_t id;
	uint32_t type;
	uint32_t pipeline_id;
	uint32_t core;
	uint32_t fmt;
	uint32_t xrun_action;
	uint32_t periods_sink;
	uint32_t periods_source;
	union {
		struct {
			uint32_t direction;
		} host;
		struct {
			uint32_t direction;
			uint32_t type;
			uint32_t index;
		} dai;
		struct {
			uint32_t channels;
			int32_t min_value;
			int32_t max_value;
			uint32_t ramp;
			uint32_t ramp_ms;
			int32_t initial_gain;
		} volume;
		struct {
			uint32_t source_rate;
			uint32_t sink_rate;
		} src;
		struct {
			uint32_t sample_rate;
			uint32_t frequency;
			int32_t amplitude;
		} tone;
		struct {
			const void *data;
			uint32_t size;
		} process;
	};
};

/**
 * dsp_comp_new() - create a component
 * @e: the engine
 * @desc: what to create; blobs are copied
 *
 * Return: 0; -EEXIST for a used id; -EINVAL for an unknown type or bad parameters (a
 * malformed blob, a bad direction, an unsupported rate); -ENOMEM.
 */
int dsp_comp_new(struct dsp_engine *e, const struct dsp_comp_desc *desc);

/**
 * dsp_comp_free() - free a component and disconnect it from its buffers
 * @e: the engine
 * @id: component id
 *
 * A complete pipeline that loses a component goes back to INIT (complete it again).
 *
 * Return: 0; -ENODEV; -EINVAL if @id is not a component; -EBUSY if its pipeline is
 * prepared or running.
 */
int dsp_comp_free(struct dsp_engine *e, uint32_t id);

/* SOF's component states. */
enum dsp_state {
	DSP_STATE_INIT = 0,
	DSP_STATE_READY = 1,
	DSP_STATE_PREPARE = 3,
	DSP_STATE_PAUSED = 4,
	DSP_STATE_ACTIVE = 5,
};

/**
 * dsp_comp_state() - the state of a component, buffer (its pipeline's) or pipeline
 * @e: the engine
 * @id: any id
 *
 * Objects outside a complete pipeline are INIT.
 *
 * Return: enum dsp_state, or -ENODEV.
 */
int dsp_comp_state(const struct dsp_engine *e, uint32_t id);

/* ---------------------------------------------------------------------------------------- */
/* Buffers and connections                                                                   */

/**
 * struct dsp_buffer_desc - a buffer to create (IPC3 BUFFER_NEW)
 * @id: unique id
 * @pipeline_id: the pipeline it belongs to
 * @core: recorded
 * @size: bytes; the buffer holds at least this much and at least two periods of its stream
 * @caps: SOF capability bits (recorded)
 * @flags: SOF flags (recorded)
 */
struct dsp_buffer_desc {
	uint32_t id;
	uint32_t pipeline_id;
	uint32_t core;
	uint32_t size;
	uint32_t caps;
	uint32_t flags;
};

#define DSP_BUFFER_SIZE_MAX	(16u << 20)

/**
 * dsp_buffer_new() - create a buffer
 * @e: the engine
 * @desc: what to create
 *
 * Memory is allocated when a stream is prepared.
 *
 * Return: 0, -EEXIST, -EINVAL (size 0 or above DSP_BUFFER_SIZE_MAX), -ENOMEM.
 */
int dsp_buffer_new(struct dsp_engine *e, const struct dsp_buffer_desc *desc);

/**
 * dsp_buffer_free() - free a buffer and disconnect it
 * @e: the engine
 * @id: buffer id
 *
 * Complete pipelines it belonged to or was connected to go back to INIT, except a mixer's
 * or demux's pipeline that loses one of its many inputs or outputs (see dsp_disconnect()).
 *
 * Return: 0; -ENODEV; -EINVAL if @id is not a buffer; -EBUSY if a prepared or running
 * pipeline uses it.
 */
int dsp_buffer_free(struct dsp_engine *e, uint32_t id);

/**
 * dsp_connect() - connect a component and a buffer (IPC3 COMP_CONNECT)
 * @e: the engine
 * @source_id: the upstream object
 * @sink_id: the downstream object
 *
 * Exactly one of the two must be a buffer. A buffer has one source and one sink; hosts,
 * DAIs and tone have one output or input on their stream side, volume, src and eq_iir one
 * of each, a mixer and a mux many inputs, a demux many outputs.
 *
 * Return: 0; -ENODEV for an unknown id; -EINVAL for two components, two buffers, a
 * pipeline id, a side that is already connected, or a component that takes no more
 * connections on that side; -EBUSY when either object's pipeline is prepared or running.
 */
int dsp_connect(struct dsp_engine *e, uint32_t source_id, uint32_t sink_id);

/**
 * dsp_disconnect() - undo a dsp_connect() (a guest leaving a shared mixer or demux)
 * @e: the engine
 * @source_id: the upstream object
 * @sink_id: the downstream object
 *
 * Both objects stay; the component's input (or output) slot is free again at once. The
 * same rules as dsp_connect() apply: a prepared mixer loses an input and a prepared demux an
 * output while they run, but the buffer's own pipeline must be neither prepared nor
 * running. A complete pipeline that loses the connection goes back to INIT (complete it
 * again), as when one of its objects is freed, except a mixer's or demux's pipeline that
 * loses one of its many inputs or outputs: it stays as it is, ready for the next guest.
 *
 * Return: 0; -ENODEV for an unknown id; -EINVAL unless exactly one of the two is a buffer
 * connected to the other in that direction; -EBUSY when either object's pipeline is
 * prepared or running (other than a mixer's or demux's, as above).
 */
int dsp_disconnect(struct dsp_engine *e, uint32_t source_id, uint32_t sink_id);

/**
 * dsp_comp_connections() - how many buffers a component has connected
 * @e: the engine
 * @id: component id
 * @inputs: count its inputs (true) or its outputs (false)
 *
 * Return: the count; -ENODEV; -EINVAL if @id is not a component.
 */
int dsp_comp_connections(const struct dsp_engine *e, uint32_t id, bool inputs);

/* ---------------------------------------------------------------------------------------- */
/* Pipelines                                                                                 */

/**
 * struct dsp_pipeline_desc - a pipeline to create (IPC3 PIPE_NEW)
 * @comp_id: unique id of the pipeline (its scheduler widget)
 * @pipeline_id: the id its components and buffers quote; unique among pipelines
 * @sched_id: the component that drives its schedule (resolved at complete)
 * @core: recorded
 * @period_us: period, a multiple of the engine's tick; 0: the tick
 * @priority: lower runs first among independent pipelines
 * @period_mips: recorded
 * @frames_per_sched: recorded (the period comes from @period_us and the rate)
 * @xrun_limit_us: xruns tolerated before the STOP action (see the top of this file)
 * @time_domain: SOF's 0 DMA / 1 timer (recorded; the engine has no clock of its own)
 */
struct dsp_pipeline_desc {
	uint32_t comp_id;
	uint32_t pipeline_id;
	uint32_t sched_id;
	uint32_t core;
	uint32_t period_us;
	uint32_t priority;
	uint32_t period_mips;
	uint32_t frames_per_sched;
	uint32_t xrun_limit_us;
	uint32_t time_domain;
};

/**
 * dsp_pipeline_new() - create a pipeline (state INIT)
 * @e: the engine
 * @desc: what to create
 *
 * Return: 0; -EEXIST for a used comp_id or pipeline_id; -EINVAL for a period that is not
 * a multiple of the tick (or above DSP_ENGINE_PERIOD_US_MAX); -ENOMEM.
 */
int dsp_pipeline_new(struct dsp_engine *e, const struct dsp_pipeline_desc *desc);

/**
 * dsp_pipeline_complete() - finish a pipeline (IPC3 PIPE_COMPLETE)
 * @e: the engine
 * @comp_id: the pipeline's comp_id
 *
 * Joins every component and buffer with the pipeline's pipeline_id, resolves sched_id, and
 * checks: at least one component; members connected to one another; no cycle; every end
 * of the pipeline is a host, a DAI, a tone, or a connection into another pipeline (a buffer
 * or component connected to an object of another pipeline_id); no buffer left unconnected.
 * Completing a READY pipeline again re-checks it.
 *
 * Return: 0; -ENODEV; -EINVAL if @comp_id is not a pipeline, sched_id names nothing, or a
 * check fails; -EBUSY when the pipeline is prepared or running; -ENOMEM.
 */
int dsp_pipeline_complete(struct dsp_engine *e, uint32_t comp_id);

/**
 * dsp_pipeline_free() - free a pipeline (IPC3 PIPE_FREE)
 * @e: the engine
 * @comp_id: the pipeline's comp_id
 *
 * Its components and buffers stay (free them separately, before or after); they are out of
 * any schedule until a pipeline with their pipeline_id is created and completed again.
 *
 * Return: 0; -ENODEV; -EINVAL if @comp_id is not a pipeline; -EBUSY when it is prepared or
 * running.
 */
int dsp_pipeline_free(struct dsp_engine *e, uint32_t comp_id);

/* ---------------------------------------------------------------------------------------- */
/* Streams                                                                                   */

/**
 * struct dsp_pcm_params - a host component's stream (IPC3 PCM_PARAMS, in host order)
 * @direction: enum dsp_direction; must be the host component's
 * @fmt: enum dsp_fmt of the frames the caller exchanges
 * @rate: frames per second (DSP_SRC_RATE_MIN..DSP_SRC_RATE_MAX, i.e. 8000..192000)
 * @channels: 1..DSP_MAX_CHANNELS
 * @buffer_bytes: the guest's buffer (ALSA buffer); the host ring holds at least this, and
 *	host_posn wraps at it; 0: four periods
 * @period_bytes: position events are queued each time this many bytes have moved (SOF's
 *	host_period_bytes); 0: none
 */
struct dsp_pcm_params {
	uint32_t direction;
	uint32_t fmt;
	uint32_t rate;
	uint32_t channels;
	uint32_t buffer_bytes;
	uint32_t period_bytes;
};

#define DSP_HOST_BUFFER_MAX	(16u << 20)

/**
 * dsp_pcm_params() - set a host component's stream and prepare its pipelines
 * @e: the engine
 * @host_id: a host component
 * @p: the stream
 *
 * See the top of this file for propagation and formats. The host's ring is allocated here.
 *
 * Return: 0; -ENODEV; -EINVAL if @host_id is not a host, its pipeline is not complete, a
 * parameter is out of range or the direction differs from the host's, or formats cannot be
 * propagated; -EBUSY if the pipeline is already prepared or running (dsp_pcm_free() first);
 * -ENOMEM. On failure nothing is prepared.
 */
int dsp_pcm_params(struct dsp_engine *e, uint32_t host_id, const struct dsp_pcm_params *p);

/**
 * dsp_pcm_free() - release a host's stream (IPC3 PCM_FREE)
 * @e: the engine
 * @id: a host component, or the comp_id of a pipeline without a host (undoing
 *	dsp_pipeline_params())
 *
 * Resets its pipeline to READY, and the host-less pipelines its stream reached that no
 * other stream still holds. Freeing a READY stream does nothing.
 *
 * Return: 0; -ENODEV; -EINVAL for another kind of id; -EBUSY while ACTIVE (stop it first).
 */
int dsp_pcm_free(struct dsp_engine *e, uint32_t id);

/**
 * dsp_pipeline_params() - set the stream of a pipeline that has no host component
 * @e: the engine
 * @comp_id: the pipeline's comp_id
 * @rate: frames per second; 0: the engine's rate
 * @channels: 1..DSP_MAX_CHANNELS
 *
 * Sources in it (a tone; a capture DAI not bound to I/O) produce @channels at @rate; its
 * formats come from its components. Propagates and prepares like dsp_pcm_params().
 *
 * Return: as dsp_pcm_params(); -EINVAL also when the pipeline has a host component or is
 * not complete; -EBUSY when it is already prepared (also when a stream reaching it did).
 */
int dsp_pipeline_params(struct dsp_engine *e, uint32_t comp_id, uint32_t rate,
			uint32_t channels);

/* Triggers: SOF's stream commands. */
enum dsp_trigger {
	DSP_TRIGGER_START,
	DSP_TRIGGER_STOP,
	DSP_TRIGGER_PAUSE,
	DSP_TRIGGER_RELEASE,
	DSP_TRIGGER_XRUN,
};

/**
 * dsp_trigger() - start, stop, pause, release or xrun a stream
 * @e: the engine
 * @id: a host component (its stream), or the comp_id of a pipeline without a host
 * @cmd: enum dsp_trigger
 *
 * START resets the stream positions and the volume ramps, as a stream start does in SOF.
 * STOP empties the pipeline's buffers. Triggers do not allocate.
 *
 * Return: 0; -ENODEV; -EINVAL for another kind of id, an unknown command, or a command the
 * state does not allow (nothing changes then).
 */
int dsp_trigger(struct dsp_engine *e, uint32_t id, uint32_t cmd);

/* ---------------------------------------------------------------------------------------- */
/* Host data path                                                                            */

/*
 * A host component's frames travel through a single-producer/single-consumer ring sized at
 * dsp_pcm_params(): for playback the caller writes and the tick reads, for capture the tick
 * writes and the caller reads. Frames are in the PCM format. Only whole frames move.
 * These calls may come from the engine's thread (between ticks) or, for one host
 * component, from one other thread concurrently with ticks, as long as no building, params
 * or trigger call runs at the same time (START and STOP empty the ring).
 */

/**
 * dsp_host_avail() - frames the caller can move now
 * @e: the engine
 * @host_id: a prepared host component
 *
 * Return: playback: room in frames; capture: frames ready; -ENODEV; -EINVAL if not a
 * host; -EBADFD when no stream is prepared.
 */
int dsp_host_avail(struct dsp_engine *e, uint32_t host_id);

/**
 * dsp_host_write() - playback: queue frames for the engine
 * @e: the engine
 * @host_id: a prepared playback host component
 * @frames: @count interleaved frames in the PCM format
 * @count: frames offered
 *
 * Return: frames queued (fewer than @count when the ring fills), -ENODEV, -EINVAL (not a
 * playback host), -EBADFD (no stream prepared).
 */
int dsp_host_write(struct dsp_engine *e, uint32_t host_id, const void *frames, uint32_t count);

/**
 * dsp_host_read() - capture: take frames the engine produced
 * @e: the engine
 * @host_id: a prepared capture host component
 * @frames: room for @count frames
 * @count: frames wanted
 *
 * Return: frames read (fewer when fewer are ready), -ENODEV, -EINVAL, -EBADFD.
 */
int dsp_host_read(struct dsp_engine *e, uint32_t host_id, void *frames, uint32_t count);

/**
 * struct dsp_stream_posn - a host component's stream position (IPC3 POSITION)
 * @host_frames: frames moved through the host ring since START (monotonic)
 * @host_posn: bytes, as SOF reports it: the host's byte count modulo the host buffer
 * @dai_frames: frames the DAI the stream reaches moved since START (0 without one)
 * @dai_posn: the same in bytes of that DAI's buffer format
 * @wallclock: frames of stream time elapsed while running (ticks * period frames)
 * @wallclock_hz: the stream's rate (the unit of @wallclock)
 * @xruns: xruns on this stream since params
 * @xrun_comp_id: component of the last xrun
 * @xrun_size: bytes of the last xrun, negative for an underrun
 */
struct dsp_stream_posn {
	uint64_t host_frames;
	uint64_t host_posn;
	uint64_t dai_frames;
	uint64_t dai_posn;
	uint64_t wallclock;
	uint32_t wallclock_hz;
	uint64_t xruns;
	uint32_t xrun_comp_id;
	int32_t xrun_size;
};

/**
 * dsp_stream_position() - read a host component's stream position
 * @e: the engine
 * @host_id: a host component
 * @posn: filled in (zero before the first params)
 *
 * Return: 0, -ENODEV, -EINVAL if not a host.
 */
int dsp_stream_position(const struct dsp_engine *e, uint32_t host_id,
			struct dsp_stream_posn *posn);

/* ---------------------------------------------------------------------------------------- */
/* DAI I/O                                                                                   */

/**
 * struct dsp_dai_io - where a DAI's frames go (or come from)
 * @write: playback: take exactly @frames frames from @buf or none; return @frames, or
 *	-EAGAIN when there is no room (an xrun), or another -errno
 * @read: capture: fill @buf with exactly @frames frames or none; return @frames, or -EAGAIN
 *	when there is not enough (an xrun), or another -errno
 * @opaque: first argument of the calls
 * @fmt: enum dsp_fmt of @buf
 * @rate: frames per second; the stream reaching the DAI must have it
 * @channels: channel count; the stream reaching the DAI must have it
 *
 * Called from dsp_engine_tick(), so they must not block or allocate. This is io.h's
 * io_endpoint_write()/io_endpoint_read() contract: an endpoint binds with two one-line
 * wrappers. A DAI without I/O discards playback and captures silence.
 */
struct dsp_dai_io {
	int (*write)(void *opaque, const void *buf, uint32_t frames);
	int (*read)(void *opaque, void *buf, uint32_t frames);
	void *opaque;
	uint32_t fmt;
	uint32_t rate;
	uint32_t channels;
};

/**
 * dsp_dai_bind() - bind a DAI component to I/O, or unbind it
 * @e: the engine
 * @dai_id: a DAI component
 * @io: copied; NULL to unbind
 *
 * Return: 0; -ENODEV; -EINVAL if not a DAI, or @io lacks the call its direction needs or
 * has an invalid format, rate or channel count; -EBUSY while the DAI's pipeline is
 * prepared or running.
 */
int dsp_dai_bind(struct dsp_engine *e, uint32_t dai_id, const struct dsp_dai_io *io);

/* ---------------------------------------------------------------------------------------- */
/* Controls                                                                                  */

/* Control commands: SOF's numbers (enum ipc3_ctrl_cmd). */
enum dsp_ctrl_cmd {
	DSP_CTRL_VOLUME = 0,	/* Q8.16 gain per channel (volume) */
	DSP_CTRL_ENUM = 1,	/* no component takes one yet: -EINVAL */
	DSP_CTRL_SWITCH = 2,	/* 1 on, 0 off per channel (volume: 0 mutes; tone: 0 mutes) */
};

/* One channel's value (IPC3 sof_ipc_ctrl_value_chan). */
struct dsp_ctrl_value {
	uint32_t channel;
	uint32_t value;
};

/**
 * dsp_comp_set_values() - set per-channel values (IPC3 COMP_SET_VALUE)
 * @e: the engine
 * @id: component id
 * @cmd: enum dsp_ctrl_cmd
 * @v: @n channel/value pairs
 * @n: count (at most DSP_MAX_CHANNELS)
 *
 * Applies at once, running or not (volume changes ramp). All pairs are checked first.
 *
 * Return: 0; -ENODEV; -EINVAL for a component without that control, a channel beyond the
 * control's channels or too many pairs.
 */
int dsp_comp_set_values(struct dsp_engine *e, uint32_t id, uint32_t cmd,
			const struct dsp_ctrl_value *v, uint32_t n);

/**
 * dsp_comp_get_values() - read per-channel values (IPC3 COMP_GET_VALUE)
 * @e: the engine
 * @id: component id
 * @cmd: enum dsp_ctrl_cmd
 * @v: @n pairs; each value is filled in for its channel
 * @n: count
 *
 * Volume reads back the target gain (the one to restore while muted).
 *
 * Return: 0, -ENODEV, -EINVAL.
 */
int dsp_comp_get_values(const struct dsp_engine *e, uint32_t id, uint32_t cmd,
			struct dsp_ctrl_value *v, uint32_t n);

#define DSP_CTRL_DATA_MAX	4096u

/**
 * dsp_comp_set_data() - set a configuration blob (IPC3 COMP_SET_DATA, BINARY)
 * @e: the engine
 * @id: component id (eq_iir, mux, demux)
 * @data: the blob without its ABI header
 * @size: bytes (at most DSP_CTRL_DATA_MAX)
 *
 * Parsed and checked before anything changes. A prepared component switches to it at once
 * (an EQ with its delay lines cleared; a mux or demux whose new routes do not fit its
 * streams fails with -EINVAL instead).
 *
 * Return: 0; -ENODEV; -EINVAL for a component without blobs or a malformed blob.
 */
int dsp_comp_set_data(struct dsp_engine *e, uint32_t id, const void *data, uint32_t size);

/**
 * dsp_comp_get_data() - read the configuration blob back (IPC3 COMP_GET_DATA)
 * @e: the engine
 * @id: component id
 * @buf: room for @cap bytes
 * @cap: room
 *
 * Return: the blob's size (0 if none was set), -ENODEV, -EINVAL for a component without
 * blobs, -ENOSPC when @cap is too small.
 */
int dsp_comp_get_data(const struct dsp_engine *e, uint32_t id, void *buf, uint32_t cap);

/* ---------------------------------------------------------------------------------------- */
/* Events                                                                                    */

enum dsp_event_type {
	DSP_EVENT_POSITION = 1,	/* a host moved another period_bytes (IPC3 POSITION) */
	DSP_EVENT_XRUN = 2,	/* an xrun on a host's stream (IPC3 TRIG_XRUN notification) */
};

/**
 * struct dsp_event - what the tick reports to the control side
 * @type: enum dsp_event_type
 * @host_id: the host component whose stream it concerns
 * @posn: the stream position when it happened
 */
struct dsp_event {
	uint32_t type;
	uint32_t host_id;
	struct dsp_stream_posn posn;
};

/**
 * dsp_engine_next_event() - take the oldest queued event
 * @e: the engine
 * @ev: filled in
 *
 * Return: 1 if an event was taken, 0 if none is queued.
 */
int dsp_engine_next_event(struct dsp_engine *e, struct dsp_event *ev);

/* Events dropped because the queue was full. */
uint64_t dsp_engine_events_dropped(const struct dsp_engine *e);

#endif /* VADSP_DSP_ENGINE_H */
