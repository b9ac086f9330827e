/* SPDX-License-Identifier: MIT */
/*
 * The DSP stream backend (struct vsnd_backend_ops, snd/stream-backend.h): a guest card's
 * streams on the shared host engine (hostdsp.h, driven by the data thread of
 * hostdsp-run.h).
 *
 * open loads the guest's topology into the engine in a free slot (its pipelines attach to
 * the host connection points); close detaches it (ipc3_exec_reset(): everything it
 * created goes, the other guests keep playing). prepare sends PCM_PARAMS for the stream's
 * host component in the guest's virtio format (S16, S24 in 32, S32, FLOAT: the engine
 * converts at the ring edge into the pipeline's format) with a host ring of four engine
 * periods; start and stop are TRIG_START / TRIG_STOP. An I/O message goes, by pointer,
 * through a lock-free ring to the data thread, which copies its audio straight from guest
 * memory into the host ring (playback, before each tick) or from the host ring into guest
 * memory (capture, right after each tick) as room or data appears. A message is given back
 * right after the tick that took its last frame out of the host ring (playback) or filled
 * it (capture), not a tick later: the data thread queues it on a second ring and
 * signals an eventfd that the device's loop watches; the loop thread calls
 * vsnd_pcm_io_done() there. latency_bytes: playback, the host ring's fill after the message
 * plus the output endpoint's delay; capture, the endpoint's delay. release and io_cancel
 * stop the stream and give back every message at once.
 *
 * Xruns: the data thread compares each running stream's engine xrun count (its host
 * component's position, dsp_stream_position()) right after every tick. A playback underrun
 * (the guest stopped feeding while started) or a capture overrun (no message to fill) is
 * reported once: the loop thread calls vsnd_pcm_xrun(), which counts it in the stream's
 * xruns (the management socket's "xruns") and sends PCM_XRUN when the driver enabled
 * EVT_XRUNS. Then the stream reports no further xrun until the guest submits its next
 * message (or starts the stream again): one report per episode, however many engine
 * periods it lasts. The engine's xrun stop is lifted at once (the stream is paused and
 * released), so the stream plays on as soon as the guest feeds it again.
 */
#ifndef VADSP_DAEMON_BACKEND_DSP_H
#define VADSP_DAEMON_BACKEND_DSP_H

#include <stdbool.h>

#include "daemon/hostdsp-run.h"
#include "dsp/kernels/level.h"
#include "snd/stream-backend.h"
#include "tplg/tplg.h"

/**
 * struct vadspd_dsp_guest - vsnd_options.backend_data for vsnd_backend_dsp
 * @run: the host DSP's data thread
 * @topology: the guest's topology, loaded (kept by the daemon)
 * @slots: HOSTDSP_MAX_SLOTS flags shared by all guests of the daemon: slots in use
 * @topology_bytes: the topology file's bytes, for the SOF IPC3 extension's VFE_GET (NULL
 *                  when the extension is not offered)
 * @topology_size: their number
 */
struct vadspd_dsp_guest {
	struct hostdsp_run *run;
	const struct tplg *topology;
	bool *slots;
	const uint8_t *topology_bytes;
	size_t topology_size;
};

extern const struct vsnd_backend_ops vsnd_backend_dsp;

/**
 * vadspd_dsp_stream_level() - the level of a stream's audio where it crosses the host ring
 * (what the guest played, before any processing; what it records, after), as of the last
 * complete window (dsp/kernels/level.h). The meter is set up at each PCM_PARAMS in the
 * stream's format. Loop thread (the backend must stay open meanwhile).
 * @b: an instance of vsnd_backend_dsp
 * @stream: the stream
 * @out: filled in (0 channels before the stream's first PCM_PARAMS)
 *
 * Return: 0; -ENOENT for a stream the card lacks; -EAGAIN (dsp_level_read()).
 */
int vadspd_dsp_stream_level(struct vsnd_backend *b, uint32_t stream,
			    struct dsp_level_snapshot *out);

/**
 * vadspd_dsp_sof_counts() - a SOF IPC3 guest's session: the objects it has in the engine and
 * its streams with parameters. Loop thread.
 * @b: an instance of vsnd_backend_dsp
 * @objects: receives the objects (executor objects: components, buffers, pipelines)
 * @streams: receives the streams
 *
 * Return: 0; -ENOENT when the card has no session (extension not acknowledged, no IPC yet).
 */
int vadspd_dsp_sof_counts(struct vsnd_backend *b, uint32_t *objects, uint32_t *streams);

/**
 * struct vadspd_dsp_sof_stream - a SOF IPC3 guest's stream as its PCM_PARAMS set it up
 * @comp_id: the guest's host component (the id its IPC names)
 * @playback: its direction
 * @state: "PREPARE" (parameters, or TRIG_STOP), "ACTIVE" (TRIG_START or TRIG_RELEASE) or
 *         "PAUSED" (TRIG_PAUSE): as the guest's last trigger that succeeded left it (an
 *         xrun stops the pipeline in the engine without changing it: the guest restarts)
 * @frame_fmt: enum ipc3_frame_fmt of the guest's audio
 * @channels: channels
 * @rate: frames per second
 * @ring_bytes: the engine's host ring
 * @posn_bytes: the position notification period (host_period_bytes; 0: none)
 */
struct vadspd_dsp_sof_stream {
	uint32_t comp_id;
	bool playback;
	const char *state;
	uint32_t frame_fmt;
	uint32_t channels;
	uint32_t rate;
	uint32_t ring_bytes;
	uint32_t posn_bytes;
};

/**
 * vadspd_dsp_sof_stream() - a SOF IPC3 guest's stream @sid (the stream id its PCM_PARAMS
 * reply named), from its PCM_PARAMS until its PCM_FREE. Loop thread.
 * @b: an instance of vsnd_backend_dsp
 * @sid: the stream id
 * @out: filled in
 *
 * Its level is vadspd_dsp_stream_level(@b, @sid); its counts (frames, messages, xruns) are
 * the card's extension stream @sid (vsnd_card.sof_streams).
 *
 * Return: 0; -ENOENT when the extension is not acknowledged or @sid has no parameters.
 */
int vadspd_dsp_sof_stream(struct vsnd_backend *b, uint32_t sid,
			  struct vadspd_dsp_sof_stream *out);

#endif /* VADSP_DAEMON_BACKEND_DSP_H */
