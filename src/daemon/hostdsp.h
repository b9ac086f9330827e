/* SPDX-License-Identifier: MIT */
/*
 * The shared host DSP: one engine (dsp/engine.h) holding vadspd's host topology and the
 * pipelines of every guest that has a topology.
 *
 * The host topology is applied through an unrestricted IPC3 executor (ipc/ipc3-exec.h),
 * as the SOF driver would send it (tplg/ipc-gen.h, id base 0). Each guest gets a slot: an
 * executor limited to ids [HOSTDSP_GUEST_ID_BASE * (slot + 1), + HOSTDSP_GUEST_ID_COUNT)
 * and to pipeline ids [HOSTDSP_GUEST_PIPE_BASE * (slot + 1), + HOSTDSP_GUEST_PIPE_COUNT),
 * holding at most HOSTDSP_GUEST_BUFFER_BUDGET bytes of buffers (-ENOMEM past it, so no
 * guest can take the host's memory a megabyte per BUFFER_NEW); its topology is generated with that id base and every pipeline_id in it is remapped
 * (guest pipeline p becomes pipe_base + p), so two guests with the same topology coexist.
 *
 * Connection points. A guest dai_in / dai_out widget naming a connection point
 * (VADSP_TKN_CP_NAME) is not created. Instead:
 * - playback: the guest buffer that fed that DAI is connected (dsp_connect()) as a new
 *   input of the mixer the host connection point's pipeline feeds (MIXER1.0 in
 *   topology/host.conf). The engine allows a new mixer input while the mixer runs, so a
 *   guest joins while others play; its PCM_PARAMS then prepares only its own pipeline
 *   (the mixer's pipeline keeps its format; the mixer converts its input).
 * - capture: the guest buffer that the DAI fed is connected as a new output of the demux
 *   feeding the host connection point's pipeline (DEMUX2.0).
 * The host's own connection-point pipelines (CP.main-out -> BUF3.0) stay in the engine,
 * idle; they mark where guests attach.
 * A guest pipeline scheduled by such a DAI is scheduled by its host component instead.
 * hostdsp_guest_cp_disconnect() detaches such a buffer again (dsp_disconnect()): the mixer
 * input or demux output is free at once, the buffer stays the guest's.
 * hostdsp_guest_detach() runs ipc3_exec_reset(): the guest's streams stop, its buffers
 * leave the mixer / demux (which keep running for the other guests), all it created is
 * freed.
 *
 * Threads: like the engine, not thread-safe; every call here runs on the thread that owns
 * the engine (the data thread between ticks, or the only thread in tests).
 */
#ifndef VADSP_DAEMON_HOSTDSP_H
#define VADSP_DAEMON_HOSTDSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dsp/engine.h"
#include "tplg/tplg.h"

#define HOSTDSP_GUEST_ID_BASE		1000u
#define HOSTDSP_GUEST_ID_COUNT		1000u
#define HOSTDSP_GUEST_PIPE_BASE		100u
#define HOSTDSP_GUEST_PIPE_COUNT	100u
#define HOSTDSP_MAX_SLOTS		64u
/* Bytes of DSP buffers (BUFFER_NEW) one guest may hold at once. */
#define HOSTDSP_GUEST_BUFFER_BUDGET	(4u << 20)

struct hostdsp;
struct hostdsp_guest;

/**
 * hostdsp_create() - create the engine and apply the host topology
 * @out: the new host DSP
 * @host: the host topology (copied what is needed; the caller keeps ownership)
 * @period_us: engine period (0: DSP_ENGINE_PERIOD_US_DEFAULT)
 * @rate: engine rate (0: DSP_ENGINE_RATE_DEFAULT)
 *
 * Return: 0; -EINVAL when the topology fails to load (logged); -ENOMEM.
 */
int hostdsp_create(struct hostdsp **out, const struct tplg *host, uint32_t period_us,
		   uint32_t rate);

/**
 * hostdsp_destroy() - free the engine and everything in it
 * @h: the host DSP, or NULL; its guests must be detached first
 */
void hostdsp_destroy(struct hostdsp *h);

/* The engine, for ticking, binding DAIs and stream data. */
struct dsp_engine *hostdsp_engine(struct hostdsp *h);

/**
 * hostdsp_dai_id() - the component id of a host DAI widget
 * @h: the host DSP
 * @name: the widget name, e.g. "DAI0.OUT"
 *
 * Return: the id (>= 0); -ENOENT if the host topology has no DAI widget of that name.
 */
int hostdsp_dai_id(const struct hostdsp *h, const char *name);

/**
 * hostdsp_dai_name() - the name of the @i-th DAI widget of the host topology
 * @h: the host DSP
 * @i: from 0
 *
 * Return: the name, or NULL past the last DAI.
 */
const char *hostdsp_dai_name(const struct hostdsp *h, unsigned int i);

/**
 * hostdsp_dai_pipeline() - the pipeline comp_id of a host DAI's pipeline
 * @h: the host DSP
 * @name: the DAI widget name
 *
 * Return: the id (>= 0); -ENOENT.
 */
int hostdsp_dai_pipeline(const struct hostdsp *h, const char *name);

/**
 * hostdsp_dai_playback() - whether a host DAI plays (dai_in widget) or captures (dai_out)
 * @h: the host DSP
 * @name: the widget name
 *
 * Return: 1 playback, 0 capture, -ENOENT.
 */
int hostdsp_dai_playback(const struct hostdsp *h, const char *name);

/**
 * hostdsp_guest_attach() - load a guest topology into the engine and attach it
 * @h: the host DSP
 * @t: the guest topology (not kept)
 * @slot: the guest's slot, below HOSTDSP_MAX_SLOTS, unused by another attached guest
 * @out: the attached guest
 *
 * Return: 0; -EBUSY for a slot in use; -EINVAL for a bad slot, a connection point the host
 * lacks, or a message the executor refuses (the guest's partial load is undone); -ENOMEM.
 */
int hostdsp_guest_attach(struct hostdsp *h, const struct tplg *t, uint32_t slot,
			 struct hostdsp_guest **out);

/**
 * hostdsp_guest_detach() - remove everything a guest created, and free it
 * @g: the guest, or NULL
 *
 * Return: 0; otherwise the first error of ipc3_exec_reset() (logged; the guest is freed
 * anyway, objects the engine refused stay in it).
 */
int hostdsp_guest_detach(struct hostdsp_guest *g);

/**
 * hostdsp_guest_ipc() - run one IPC3 request for a guest (vadspd's own, ORIGIN_HOST)
 * @g: the guest
 * @req: request bytes
 * @len: their length
 * @reply: room for the reply, at least IPC3_MSG_MAX_SIZE bytes
 * @cap: bytes at @reply
 *
 * The guest's executor applies its id and pipeline ranges.
 *
 * Return: the reply's error field (0 or -errno); -EPROTO if no reply could be read.
 */
int hostdsp_guest_ipc(struct hostdsp_guest *g, const void *req, size_t len, void *reply,
		      size_t cap);

/**
 * hostdsp_guest_open() - give a DSP-aware guest its slot, empty (no topology loaded)
 * @h: the host DSP
 * @slot: the guest's slot, below HOSTDSP_MAX_SLOTS, unused by another attached guest
 * @out: the guest; its executor has the slot's id and pipeline ranges
 *
 * The guest sends its own IPC (hostdsp_guest_exec()); hostdsp_guest_detach() ends it.
 *
 * Return: 0; -EBUSY for a slot in use; -EINVAL for a bad slot; -ENOMEM.
 */
int hostdsp_guest_open(struct hostdsp *h, uint32_t slot, struct hostdsp_guest **out);

/**
 * hostdsp_guest_exec() - run one IPC3 request of the guest itself (IPC3_ORIGIN_GUEST)
 * @g: the guest
 * @req: request bytes
 * @len: their length
 * @reply: room for the reply, at least IPC3_MSG_MAX_SIZE bytes
 * @cap: bytes at @reply
 *
 * Return: the reply's length (see ipc3_exec_msg()); -ENOSPC.
 */
int hostdsp_guest_exec(struct hostdsp_guest *g, const void *req, size_t len, void *reply,
		       size_t cap);

/**
 * hostdsp_guest_reset() - free everything the guest created (ipc3_exec_reset()) and its
 * demux routing; the guest keeps its slot
 * @g: the guest
 *
 * Return: 0, or the first error of ipc3_exec_reset().
 */
int hostdsp_guest_reset(struct hostdsp_guest *g);

/**
 * hostdsp_guest_cp_release() - a capture buffer attached with hostdsp_guest_cp_connect()
 * is gone: its pipeline's demux routing goes too
 * @g: the guest
 * @pipeline: the buffer's engine pipeline_id (one of the guest's; others are ignored)
 */
void hostdsp_guest_cp_release(struct hostdsp_guest *g, uint32_t pipeline);

/* Objects the guest's executor created and has not freed. */
uint32_t hostdsp_guest_objects(const struct hostdsp_guest *g);

/**
 * hostdsp_guest_cp_connect() - attach a guest buffer to a host connection point
 * @g: the guest
 * @cp: the host point's name (VADSP_TKN_CP_NAME)
 * @playback: the buffer plays into the point (a new mixer input) or records from it (a
 *            new demux output, routed like the point's own stream)
 * @buffer: the guest buffer's id
 * @pipeline: the buffer's engine pipeline_id (the demux routes by it)
 *
 * Return: 0; -ENOENT when the host has no point of that name; -EINVAL when its point of
 * that name has the other direction, or the engine refuses the connection; -EBUSY; -ENOSPC
 * when the demux has no room for another stream.
 */
int hostdsp_guest_cp_connect(struct hostdsp_guest *g, const char *cp, bool playback,
			     uint32_t buffer, uint32_t pipeline);

/**
 * hostdsp_guest_cp_disconnect() - detach a guest buffer from a host connection point
 * @g: the guest
 * @cp: the host point's name
 * @playback: as given to hostdsp_guest_cp_connect()
 * @buffer: the guest buffer's id
 * @pipeline: the buffer's engine pipeline_id (capture: its demux routing goes too)
 *
 * The mixer's input (or the demux's output) is free at once; the buffer stays, and its
 * pipeline goes back to INIT (dsp_disconnect()).
 *
 * Return: 0; -ENOENT when the host has no point of that name and direction; -EINVAL when the
 * buffer is not attached there; -EBUSY while the buffer's pipeline is prepared or running.
 */
int hostdsp_guest_cp_disconnect(struct hostdsp_guest *g, const char *cp, bool playback,
				uint32_t buffer, uint32_t pipeline);

/**
 * hostdsp_cp_connections() - how many buffers a host connection point's mixer (playback)
 * or demux (capture) has attached, the host's own included
 * @h: the host DSP
 * @cp: the point's name
 * @playback: its direction
 *
 * Return: the count; -ENOENT.
 */
int hostdsp_cp_connections(const struct hostdsp *h, const char *cp, bool playback);

/**
 * hostdsp_guest_host_id() - the component id of a guest's host (aif) widget
 * @g: the guest
 * @name: the widget name, e.g. "PCM0P"
 *
 * Return: the id (>= 0); -ENOENT.
 */
int hostdsp_guest_host_id(const struct hostdsp_guest *g, const char *name);

/**
 * hostdsp_guest_comp_id() - the engine id of any widget the guest topology created
 * @g: the guest
 * @name: the widget name, e.g. "PGA1.0"
 *
 * Return: the id (>= 0); -ENOENT (also for the connection-point DAIs, never created).
 */
int hostdsp_guest_comp_id(const struct hostdsp_guest *g, const char *name);

#endif /* VADSP_DAEMON_HOSTDSP_H */
