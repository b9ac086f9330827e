/* SPDX-License-Identifier: MIT */
/*
 * A DSP-aware process guest: vadsp's SOF IPC3 extension of virtio-snd (docs/protocol.md
 * section 4), driven over a struct vguest that acknowledged VADSP_SND_F_SOF_IPC3
 * (vguest_options.sof_ipc3), the way the Linux SOF driver drives a DSP.
 *
 * vguest_sof_open() runs 4.11's start: TPLG_VFE_COMP_ID (magic and version checked, the id
 * base and counts kept), PM_VFE_POWER_STATUS {1}, TPLG_VFE_GET from offset 0 until the end,
 * the topology parsed (src/tplg) and sent as IPC3 with the id base (tplg/ipc-gen.h), each
 * connection-point widget (a dai_in/dai_out with VADSP_TKN_CP_NAME) sent as a DAI of type
 * VADSP_DAI_CONNECTION_POINT with dai_index its ordinal among those widgets in file order,
 * direction 0 for dai_in and 1 for dai_out.
 *
 * A stream is one direction of one topology PCM: vguest_sof_stream_open() sends
 * STREAM_PCM_PARAMS to the PCM's host component (the aif_in of a playback, the aif_out of a
 * capture) and opens a ring of I/O messages (struct vguest_io, guest.h) that carry the
 * stream id the reply named in posn_offset. Audio then moves with vguest_io_submit() and
 * vguest_io_reap() exactly as for a plain stream; triggers, positions and xruns go through
 * the functions below. Position and xrun notifications (event VADSP_SND_EVT_SOF_IPC) are
 * taken from the event queue by vguest_sof_events() and recorded in each stream's status.
 *
 * Power: vguest_sof_power(off) stops the device's streams (the topology stays);
 * vguest_sof_power(on) sends POWER_STATUS {1}; when the device answers reset_status 1 (its
 * DSP lost the guest's objects: PM_CTX_SAVE, a management reset) the topology is sent
 * again, and either way every open stream gets its PCM_PARAMS again (its ring carries the
 * id of the new reply; a stream that kept its parameters keeps its id) and is left
 * prepared: the caller starts it again.
 *
 * Functions return 0 (or a count) or -errno: an IPC3 reply's error field is returned as
 * it is (a negative errno), a device status other than S_OK as vguest_status_errno(), a
 * reply that does not parse as -EPROTO. One struct vguest_sof is used by one thread, the
 * one that uses its struct vguest.
 */
#ifndef VADSP_GUEST_SOF_H
#define VADSP_GUEST_SOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest/guest.h"
#include "ipc/ipc3-check.h"
#include "tplg/model.h"
#include "tplg/tplg.h"

struct vguest_sof;
struct vguest_sof_stream;

/**
 * struct vguest_sof_ranges - what TPLG_VFE_COMP_ID answered (4.5)
 * @comp_id_base: first component, buffer and pipeline id of the guest
 * @comp_id_count: ids from @comp_id_base
 * @pipeline_count: pipeline ids are 0 .. @pipeline_count - 1
 * @max_streams: streams with parameters at once
 * @abi: the SOF ABI word the device speaks
 */
struct vguest_sof_ranges {
	uint32_t comp_id_base;
	uint32_t comp_id_count;
	uint32_t pipeline_count;
	uint32_t max_streams;
	uint32_t abi;
};

/**
 * vguest_sof_open() - start a SOF session on @g and load the guest topology
 * @out: the session
 * @g: a guest whose card has sof_negotiated set; must outlive the session
 *
 * Return: 0; -EOPNOTSUPP when @g did not negotiate the extension; -EPROTO when the device
 * is not vadsp's (magic, version, a malformed reply); -EFBIG for a topology beyond 1 MiB;
 * -EINVAL for a topology that does not parse or convert; the first IPC error of the
 * topology's messages; or -errno.
 */
int vguest_sof_open(struct vguest_sof **out, struct vguest *g);

/**
 * vguest_sof_close() - free every stream still open (STREAM_PCM_FREE, ring closed) and
 * the session (NULL allowed)
 *
 * The topology stays on the device until the guest disconnects (vguest_close()), which
 * frees all of it (4.9).
 */
void vguest_sof_close(struct vguest_sof *s);

/**
 * vguest_sof_ranges() - the guest's id ranges
 */
const struct vguest_sof_ranges *vguest_sof_ranges(const struct vguest_sof *s);

/**
 * vguest_sof_tplg() - the guest topology fetched with VFE_GET
 */
const struct tplg *vguest_sof_tplg(const struct vguest_sof *s);

/**
 * vguest_sof_model() - the PCMs, controls and endpoints of that topology
 */
const struct tplg_model *vguest_sof_model(const struct vguest_sof *s);

/**
 * vguest_sof_topology_msgs() - IPC3 messages vguest_sof_load() sends (for tests and dumps)
 */
unsigned int vguest_sof_topology_msgs(const struct vguest_sof *s);

/**
 * vguest_sof_ipc() - send one IPC3 message and wait for its reply
 * @s: the session
 * @msg: the message, starting with its struct ipc3_cmd_hdr (hdr.size bytes, 8..384)
 * @len: bytes at @msg (== hdr.size)
 * @reply: receives the reply (may be NULL)
 * @room: size of @reply
 * @reply_len: optional: the reply's length (its hdr.size)
 *
 * Return: the reply's error field (0 or a negative errno); -EINVAL for a device status
 * S_BAD_MSG (framing), -EOPNOTSUPP for S_NOT_SUPP; -EPROTO for a reply shorter than a
 * struct ipc3_reply, whose hdr.size disagrees with the used length or whose error field is
 * neither 0 nor an errno (-4095..-1); -EMSGSIZE when the
 * reply does not fit @room (the error field still counts); or -errno of the transport.
 */
int vguest_sof_ipc(struct vguest_sof *s, const void *msg, size_t len, void *reply,
		   size_t room, size_t *reply_len);

/**
 * vguest_sof_load() - send the topology: every widget, route and PIPE_COMPLETE
 *
 * vguest_sof_open() and vguest_sof_power() call it; a test may call it to see -EEXIST.
 *
 * Return: 0, or the first error (the messages after it are not sent).
 */
int vguest_sof_load(struct vguest_sof *s);

/**
 * vguest_sof_pcm_find() - the topology PCM to use for @direction
 * @s: the session
 * @name: the PCM's name, or NULL for the first PCM that has @direction
 * @direction: TPLG_MODEL_PLAYBACK or TPLG_MODEL_CAPTURE
 *
 * Return: the PCM's index in vguest_sof_model()->pcms; -ENOENT when none (or @name lacks
 * @direction or a host component for it).
 */
int vguest_sof_pcm_find(const struct vguest_sof *s, const char *name, unsigned int direction);

/**
 * struct vguest_sof_params - a stream's PCM_PARAMS and I/O ring
 * @rate: frames per second (8000..192000)
 * @channels: 1..8
 * @frame_fmt: IPC3_FRAME_S16_LE, IPC3_FRAME_S24_4LE, IPC3_FRAME_S32_LE or IPC3_FRAME_FLOAT
 * @period_bytes: audio bytes of each I/O message, and host_period_bytes (a whole number
 *                of frames)
 * @periods: I/O messages in the ring (the host buffer is @periods x @period_bytes)
 * @no_position: ask for no position notifications (no_stream_position 1)
 */
struct vguest_sof_params {
	uint32_t rate;
	uint32_t channels;
	uint32_t frame_fmt;
	uint32_t period_bytes;
	unsigned int periods;
	bool no_position;
};

/**
 * vguest_sof_frame_bytes() - bytes per frame of @p (0 for an unknown format)
 */
uint32_t vguest_sof_frame_bytes(const struct vguest_sof_params *p);

/**
 * struct vguest_sof_want - what a player or recorder wants of a PCM
 * @rate: frames per second (0: 48000)
 * @channels: channels (0: 2)
 * @frame_fmts: IPC3_FRAME_* in order of preference (the first the PCM's caps allow wins);
 *              @num_fmts 0 takes the first of S16_LE, S32_LE, S24_4LE, FLOAT they allow
 * @num_fmts: entries of @frame_fmts
 * @period_us: period length in microseconds (0: 10 ms)
 * @periods: I/O messages (0: 4)
 */
struct vguest_sof_want {
	uint32_t rate;
	uint32_t channels;
	const uint32_t *frame_fmts;
	unsigned int num_fmts;
	uint32_t period_us;
	unsigned int periods;
};

/**
 * vguest_sof_params_choose() - parameters for @want within PCM @pcm's caps for @direction
 * (its formats, rate and channel range, as the topology's stream caps give them)
 * @s: the session
 * @pcm: index in vguest_sof_model()->pcms
 * @direction: TPLG_MODEL_PLAYBACK or TPLG_MODEL_CAPTURE
 * @want: what is wanted
 * @out: filled in (no_position false)
 * @err: receives why nothing fits
 * @err_len: its size
 *
 * Return: 0; -ENOENT when the PCM lacks @direction; -ENOTSUP with @err saying which of
 * rate, channels and format the caps do not allow.
 */
int vguest_sof_params_choose(const struct vguest_sof *s, unsigned int pcm,
			     unsigned int direction, const struct vguest_sof_want *want,
			     struct vguest_sof_params *out, char *err, size_t err_len);

/**
 * vguest_sof_frame_fmt_name() - "S16_LE", "S24_4LE", "S32_LE", "FLOAT" ("?" otherwise)
 */
const char *vguest_sof_frame_fmt_name(uint32_t frame_fmt);

/**
 * vguest_sof_stream_open() - prepare a stream of PCM @pcm
 * @s: the session
 * @pcm: index in vguest_sof_model()->pcms
 * @direction: TPLG_MODEL_PLAYBACK or TPLG_MODEL_CAPTURE
 * @p: parameters
 * @out: the stream
 *
 * Sends STREAM_PCM_PARAMS to the PCM's host component and opens its I/O ring.
 *
 * Return: 0; -ENOENT when the PCM has no host component for @direction; -EBUSY when that
 * component already has an open stream here; -EINVAL for parameters out of range; the
 * IPC error; or -errno.
 */
int vguest_sof_stream_open(struct vguest_sof *s, unsigned int pcm, unsigned int direction,
			   const struct vguest_sof_params *p, struct vguest_sof_stream **out);

/**
 * vguest_sof_stream_close() - STREAM_PCM_FREE (the device stops the stream and gives its
 * pending messages back), then close the ring (NULL allowed)
 *
 * Return: 0, or the error of PCM_FREE (the stream is freed here anyway).
 */
int vguest_sof_stream_close(struct vguest_sof_stream *st);

/**
 * vguest_sof_stream_io() - the stream's ring of I/O messages
 */
struct vguest_io *vguest_sof_stream_io(struct vguest_sof_stream *st);

/**
 * vguest_sof_stream_id() - the stream id of the last PCM_PARAMS reply
 */
uint32_t vguest_sof_stream_id(const struct vguest_sof_stream *st);

/**
 * vguest_sof_stream_comp_id() - the stream's host component id
 */
uint32_t vguest_sof_stream_comp_id(const struct vguest_sof_stream *st);

/**
 * vguest_sof_stream_trigger() - STREAM_TRIG_START, _STOP, _PAUSE or _RELEASE
 * @st: the stream
 * @cmd: IPC3_STREAM_TRIG_*
 *
 * Return: 0 or the IPC error (-EINVAL for a trigger the stream's state does not allow).
 */
int vguest_sof_stream_trigger(struct vguest_sof_stream *st, uint32_t cmd);

/**
 * vguest_sof_stream_position() - STREAM_POSITION: the stream's position now
 *
 * Return: 0 or -errno.
 */
int vguest_sof_stream_position(struct vguest_sof_stream *st, struct ipc3_posn *posn);

/**
 * struct vguest_sof_stream_status - what the notifications said about a stream
 * @positions: position notifications received
 * @posn: the last one
 * @xruns: xrun notifications received
 * @xrun: the last one (xrun_size negative for an underrun)
 * @running: started and not stopped or paused (as this guest triggered it)
 */
struct vguest_sof_stream_status {
	uint64_t positions;
	struct ipc3_posn posn;
	uint64_t xruns;
	struct ipc3_posn xrun;
	bool running;
};

/**
 * vguest_sof_stream_status() - copy the stream's status
 */
void vguest_sof_stream_status(const struct vguest_sof_stream *st,
			      struct vguest_sof_stream_status *out);

/**
 * vguest_sof_stream_recover() - restart a running stream after an xrun notification
 * @st: the stream
 *
 * The engine stops a pipeline whose xruns exceed its limit (PIPE_NEW's xrun_limit_usecs)
 * until it is started again, as SOF's firmware does; a guest recovers as ALSA does, with a
 * stop and a start: TRIG_STOP then TRIG_START (queued messages stay queued). Call it after
 * vguest_sof_events().
 *
 * Return: 1 when the stream was restarted, 0 when no xrun came since the last call (or the
 * stream does not run), or the error of a trigger.
 */
int vguest_sof_stream_recover(struct vguest_sof_stream *st);

/**
 * vguest_sof_events() - take the notifications waiting on the event queue
 * @s: the session
 * @timeout_ms: longest wait for the first one; 0 only looks
 *
 * Position and xrun notifications update the status of the stream whose host component
 * they name; others are counted and dropped.
 *
 * Return: notifications taken, or -errno.
 */
int vguest_sof_events(struct vguest_sof *s, int timeout_ms);

/**
 * vguest_sof_power() - PM_VFE_POWER_STATUS
 * @s: the session
 * @on: resume (true) or suspend (false)
 * @reset_status: optional: receives the reply's reset_status (0 when suspending)
 *
 * Suspending stops every stream on the device. Resuming sends the topology again when the
 * reply's reset_status is 1, then PCM_PARAMS for every open stream (with reset_status 0 a
 * stream the suspend left prepared may answer -EBUSY: it kept its parameters and id, which
 * is no error); the streams are left prepared, for the caller to start.
 *
 * Return: 0 or the first error.
 */
int vguest_sof_power(struct vguest_sof *s, bool on, uint32_t *reset_status);

/**
 * vguest_sof_ctx_save() - PM_CTX_SAVE: the DSP's power-down, which frees everything the
 * guest created on it (4.9); the next vguest_sof_power(on) answers reset_status 1
 *
 * Return: 0 or -errno.
 */
int vguest_sof_ctx_save(struct vguest_sof *s);

#endif /* VADSP_GUEST_SOF_H */
