/* SPDX-License-Identifier: MIT */
/*
 * The host DSP's real-time data thread.
 *
 * hostdsp_run_start() opens each configured host DAI endpoint (io/io.h) in the host
 * topology's stream format (s32le, the engine's rate, 2 channels, one engine period per
 * endpoint period), binds the DAI to it and starts a thread that owns the engine from then
 * on. The thread sleeps in poll() on the first endpoint's clock fd and on a command
 * eventfd. On a clock wake-up it runs, for every period the endpoint reports, one
 * dsp_engine_tick() framed by the registered hooks (stream feeders: guest audio into the
 * host rings before it; completed messages, captured audio and xruns right after it, so
 * that a guest hears of them in the tick they happened). Nothing on that path allocates,
 * locks or logs. The thread runs
 * SCHED_FIFO at priority 60, or at $VADSPD_DSP_PRIORITY (1 to 99; 0: SCHED_OTHER), when the
 * system permits; a refusal is logged and not fatal.
 *
 * Everything else that touches the engine (loading a guest topology, PCM_PARAMS,
 * triggers, controls, adding a hook) is a command: hostdsp_run_call() hands a function to
 * the thread, which runs it between two ticks, and waits for its result. Only one thread
 * (vadspd's control thread) may call hostdsp_run_call(). Commands may allocate: they run
 * where the engine's building calls must run, outside the tick.
 */
#ifndef VADSP_DAEMON_HOSTDSP_RUN_H
#define VADSP_DAEMON_HOSTDSP_RUN_H

#include <stdint.h>

#include "daemon/hostdsp.h"
#include "dsp/kernels/level.h"

struct hostdsp_run;

/* One DAI endpoint: the host DAI widget name and the endpoint spec (io/io.h). */
struct hostdsp_run_dai {
	const char *name;
	const char *spec;
};

/**
 * struct hostdsp_hook - work the data thread does around every tick
 * @before: called before the tick (what the tick is to take: a guest's audio), or NULL
 * @after: called right after it (what the tick gave: positions, captured audio, xruns), or NULL
 * @opaque: their argument
 * @next: list link (owned by the runner while registered)
 *
 * Neither may allocate, lock, block or log.
 */
struct hostdsp_hook {
	void (*before)(void *opaque, struct dsp_engine *e);
	void (*after)(void *opaque, struct dsp_engine *e);
	void *opaque;
	struct hostdsp_hook *next;
};

/**
 * hostdsp_run_start() - bind the host DAIs to their endpoints and start the data thread
 * @out: the runner
 * @h: the host DSP (owned by the caller; outlives the runner)
 * @dais: @n DAI endpoints; the first one's clock drives the engine
 * @n: at least 1
 *
 * Return: 0; -ENOENT for a DAI name the host topology lacks; an endpoint's -errno (logged);
 * -ENOMEM; -EAGAIN when the thread cannot be created.
 */
int hostdsp_run_start(struct hostdsp_run **out, struct hostdsp *h,
		      const struct hostdsp_run_dai *dais, unsigned int n);

/**
 * hostdsp_run_stop() - stop the thread, unbind and close the endpoints, free the runner
 * @r: the runner, or NULL
 *
 * Hooks must have been removed. The host DSP stays (the engine is the caller's again).
 */
void hostdsp_run_stop(struct hostdsp_run *r);

/**
 * hostdsp_run_call() - run @fn(@arg, engine owner) on the data thread between two ticks
 * @r: the runner
 * @fn: the command
 * @arg: its argument
 *
 * Control thread only; waits for the command to have run.
 *
 * Return: what @fn returned.
 */
int hostdsp_run_call(struct hostdsp_run *r, int (*fn)(void *arg), void *arg);

/**
 * hostdsp_run_hook_add() - register a hook (control thread; runs as a command)
 * @r: the runner
 * @hook: not registered yet; stays the caller's memory until removed
 */
void hostdsp_run_hook_add(struct hostdsp_run *r, struct hostdsp_hook *hook);

/**
 * hostdsp_run_hook_del() - unregister a hook; once it returns the hook no longer runs
 * @r: the runner
 * @hook: a registered hook (or one never registered: nothing happens)
 */
void hostdsp_run_hook_del(struct hostdsp_run *r, struct hostdsp_hook *hook);

/* The host DSP the runner drives. */
struct hostdsp *hostdsp_run_dsp(struct hostdsp_run *r);

/**
 * hostdsp_run_delay_frames() - frames queued in the clock endpoint (its delay), as last seen
 * by the data thread; any thread may read it.
 * @r: the runner
 */
int64_t hostdsp_run_delay_frames(struct hostdsp_run *r);

/**
 * hostdsp_run_dai_level() - the level of the @i-th DAI endpoint's audio (what the endpoint
 * was given for playback, what it gave for capture), as of the last complete window
 * (dsp/kernels/level.h); any thread may ask.
 * @r: the runner
 * @i: the endpoint, in hostdsp_run_start()'s order
 * @out: filled in
 *
 * Return: 0; -ENOENT past the last endpoint; -EAGAIN (dsp_level_read()).
 */
int hostdsp_run_dai_level(struct hostdsp_run *r, unsigned int i, struct dsp_level_snapshot *out);

#endif /* VADSP_DAEMON_HOSTDSP_RUN_H */
