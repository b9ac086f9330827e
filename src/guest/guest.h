/* SPDX-License-Identifier: MIT */
/*
 * A process guest of a virtio-snd device: what the Linux virtio_snd driver does, done by a
 * process over vhost-user (vhost-user/frontend.h) so that tools and tests can use vadspd
 * without a virtual machine.
 *
 * vguest_connect() connects to a back-end's socket, negotiates the features, creates guest
 * memory, starts the four queues, gives the event queue its buffers and reads the whole card
 * (configuration space; every jack, stream, channel map and control, with enumerated item
 * names) into struct vguest_card. Then:
 * - control requests go one at a time over the control queue (vguest_request() for any
 *   bytes; typed helpers for PCM and control requests), waiting for each reply;
 * - audio moves through struct vguest_io, one per stream: a ring of period-sized I/O
 *   messages in guest memory laid out as the specification wants ({le32 stream_id}, the
 *   audio, {le32 status, le32 latency_bytes}), submitted in order and reaped in order,
 *   as the Linux driver does;
 * - events are collected from the event queue, whose buffers are given back at once.
 *
 * Functions return 0 (or a count) or -errno. A device status other than S_OK becomes an
 * errno through vguest_status_errno() (BAD_MSG -EINVAL, NOT_SUPP -EOPNOTSUPP, IO_ERR -EIO)
 * and is kept for vguest_last_status(). One struct vguest is used by one thread.
 */
#ifndef VADSP_GUEST_GUEST_H
#define VADSP_GUEST_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snd/virtio-snd.h"

struct vguest;
struct vguest_io;
struct vu_front;

/* Defaults of struct vguest_options. */
#define VGUEST_QUEUE_SIZE	256u
#define VGUEST_MEM_SIZE		(32u << 20)
#define VGUEST_EVENT_BUFFERS	32u
#define VGUEST_TIMEOUT_MS	5000

/* Largest request and response of the control queue the guest sends and reads. */
#define VGUEST_REQ_MAX		(8u + 8u + VIRTIO_SND_CTL_TLV_MAX)
#define VGUEST_RESP_MAX		(4u + VIRTIO_SND_CTL_TLV_MAX)

/**
 * struct vguest_options - how the guest sets itself up (zero fields take the defaults)
 * @no_controls: do not acknowledge VIRTIO_SND_F_CTLS even when offered
 * @queue_size: entries per queue (a power of two; default VGUEST_QUEUE_SIZE)
 * @mem_size: bytes of guest memory (default VGUEST_MEM_SIZE)
 * @event_buffers: buffers kept on the event queue (default VGUEST_EVENT_BUFFERS)
 * @timeout_ms: longest wait for a reply or a completion (default VGUEST_TIMEOUT_MS)
 * @no_event_idx: do not negotiate VIRTIO_F_EVENT_IDX (a driver that notifies on every chain)
 * @sof_ipc3: acknowledge VADSP_SND_F_SOF_IPC3 (ipc/vfe.h) when the device offers it: the
 *            card then reads empty, the event queue gets buffers of
 *            VADSP_SND_EVT_SOF_IPC_MIN bytes and IPC goes through guest/sof.h
 */
struct vguest_options {
	bool no_controls;
	unsigned int queue_size;
	uint64_t mem_size;
	unsigned int event_buffers;
	int timeout_ms;
	bool sof_ipc3;
	bool no_event_idx;
};

/* One jack, as JACK_INFO answered (host byte order). */
struct vguest_jack {
	uint32_t nid;
	uint32_t features;
	uint32_t defconf;
	uint32_t caps;
	bool connected;
};

/* One stream, as PCM_INFO answered. */
struct vguest_stream {
	uint32_t nid;
	uint32_t features;
	uint64_t formats;
	uint64_t rates;
	uint8_t direction;
	uint8_t channels_min;
	uint8_t channels_max;
};

/* One channel map, as CHMAP_INFO answered. */
struct vguest_chmap {
	uint32_t nid;
	uint8_t direction;
	uint8_t channels;
	uint8_t positions[VIRTIO_SND_CHMAP_MAX_SIZE];
};

/**
 * struct vguest_ctl - one control, as CTL_INFO (and ENUM_ITEMS) answered
 * @name: NUL-terminated
 * @min: INTEGER/INTEGER64 minimum (BOOLEAN: 0)
 * @max: maximum (BOOLEAN: 1)
 * @step: step
 * @items: ENUMERATED: number of items
 * @item_names: ENUMERATED: @items NUL-terminated names (NULL otherwise)
 */
struct vguest_ctl {
	uint32_t nid;
	uint32_t role;
	uint32_t type;
	uint32_t access;
	uint32_t count;
	uint32_t index;
	char name[VIRTIO_SND_CTL_NAME_SIZE + 1];
	int64_t min;
	int64_t max;
	int64_t step;
	uint32_t items;
	char (*item_names)[VIRTIO_SND_CTL_ENUM_ITEM_SIZE + 1];
};

/**
 * struct vguest_card - the device as the guest read it
 * @controls_negotiated: VIRTIO_SND_F_CTLS was acknowledged (then @controls is read)
 * @sof_negotiated: VADSP_SND_F_SOF_IPC3 was acknowledged (docs/protocol.md section 4)
 */
struct vguest_card {
	bool controls_negotiated;
	bool sof_negotiated;
	uint32_t num_jacks;
	uint32_t num_streams;
	uint32_t num_chmaps;
	uint32_t num_controls;
	struct vguest_jack *jacks;
	struct vguest_stream *streams;
	struct vguest_chmap *chmaps;
	struct vguest_ctl *controls;
};

/**
 * vguest_connect() - connect to the back-end at @path and read its card
 * @out: the guest
 * @path: the vhost-user socket
 * @opts: options, or NULL for the defaults
 *
 * Return: 0, or -errno (of the connection, the handshake, or a query the device refused).
 */
int vguest_connect(struct vguest **out, const char *path, const struct vguest_options *opts);

/**
 * vguest_close() - stop the queues, close the connection and free everything (NULL allowed)
 *
 * Every struct vguest_io of the guest must have been closed.
 */
void vguest_close(struct vguest *g);

/**
 * vguest_card() - the card read at connect time
 */
const struct vguest_card *vguest_card(const struct vguest *g);

/**
 * vguest_front() - the vhost-user front-end underneath (for tests that go lower)
 */
struct vu_front *vguest_front(struct vguest *g);

/**
 * vguest_status_errno() - 0 for S_OK, -EINVAL for S_BAD_MSG, -EOPNOTSUPP for S_NOT_SUPP,
 * -EIO for S_IO_ERR, -EPROTO for anything else
 */
int vguest_status_errno(uint32_t status);

/**
 * vguest_last_status() - the status of the last control request or I/O message reaped
 */
uint32_t vguest_last_status(const struct vguest *g);

/**
 * vguest_request() - send one control request and wait for its reply
 * @g: the guest
 * @req: request bytes (at most VGUEST_REQ_MAX)
 * @len: their number
 * @resp: receives the response, status first (may be NULL when @room is 0)
 * @room: response buffer size offered to the device (at most VGUEST_RESP_MAX)
 * @used: optional: the used length the device returned
 *
 * Return: the status word (VIRTIO_SND_S_*; 0 when the device wrote fewer than 4 bytes),
 * or -errno when the transport failed (-ETIMEDOUT without a reply in time); -EPROTO when
 * the device used more than @room or answered a status word above INT32_MAX, which no
 * return value could tell from an errno (vguest_last_status() still has it).
 */
int vguest_request(struct vguest *g, const void *req, size_t len, void *resp, size_t room,
		   uint32_t *used);

struct vring_buf;

/**
 * vguest_chain() - make one chain of any shape available on a queue and wait for it
 * @g: the guest
 * @queue: VSND_VQ_CONTROL, VSND_VQ_TX or VSND_VQ_RX
 * @out: device-readable buffers, in guest memory (vu_front_alloc() on vguest_front())
 * @nout: their number
 * @in: device-writable buffers
 * @nin: their number
 * @used: receives the used length the device returned
 *
 * For tests that send what a driver would not: response buffers of any size or split in
 * pieces, misaddressed or malformed I/O messages. One such chain at a time; the guest's
 * I/O rings may have messages in flight on the same queue meanwhile (their completions are
 * kept for vguest_io_reap()). A chain that timed out must not have its buffers reused.
 *
 * Return: 0 once the device returned the chain, -ETIMEDOUT without it in the guest's
 * timeout, -EBUSY while an earlier chain that timed out is still with the device, or
 * -errno of the queue.
 */
int vguest_chain(struct vguest *g, unsigned int queue, const struct vring_buf *out,
		 unsigned int nout, const struct vring_buf *in, unsigned int nin,
		 uint32_t *used);

/* --- PCM requests (Return: 0 or the status as -errno) */

/**
 * struct vguest_pcm_params - SET_PARAMS
 * @format: VIRTIO_SND_PCM_FMT_*
 * @rate: VIRTIO_SND_PCM_RATE_*
 */
struct vguest_pcm_params {
	uint32_t buffer_bytes;
	uint32_t period_bytes;
	uint32_t features;
	uint8_t channels;
	uint8_t format;
	uint8_t rate;
};

int vguest_pcm_set_params(struct vguest *g, uint32_t stream,
			  const struct vguest_pcm_params *params);
int vguest_pcm_prepare(struct vguest *g, uint32_t stream);
int vguest_pcm_start(struct vguest *g, uint32_t stream);
int vguest_pcm_stop(struct vguest *g, uint32_t stream);
int vguest_pcm_release(struct vguest *g, uint32_t stream);

/* --- Controls */

/**
 * struct vguest_ctl_value - a control's value (CTL_READ, CTL_WRITE)
 * @values: INTEGER, BOOLEAN, ENUMERATED: one per channel (the control's count of them)
 * @bytes: the 512 bytes of the value as sent (BYTES controls: the data)
 */
struct vguest_ctl_value {
	int32_t values[VIRTIO_SND_CTL_VALUE_SIZE / 4];
	uint8_t bytes[VIRTIO_SND_CTL_VALUE_SIZE];
};

/**
 * vguest_ctl_find() - the id of control @name with element index @index
 *
 * Return: the id, or -ENOENT.
 */
int vguest_ctl_find(const struct vguest *g, const char *name, uint32_t index);

/**
 * vguest_ctl_read() - CTL_READ of control @id
 *
 * Return: 0 or -errno.
 */
int vguest_ctl_read(struct vguest *g, uint32_t id, struct vguest_ctl_value *v);

/**
 * vguest_ctl_write() - CTL_WRITE of control @id: @v->values for INTEGER, BOOLEAN and
 * ENUMERATED controls, @v->bytes for the others
 *
 * Return: 0 or -errno.
 */
int vguest_ctl_write(struct vguest *g, uint32_t id, const struct vguest_ctl_value *v);

/**
 * vguest_ctl_db_scale() - the dB scale of control @id (TLV_READ of a DB_SCALE)
 * @g: the guest
 * @id: control id
 * @min: dB at the minimum, 0.01 dB
 * @step: dB per step, 0.01 dB
 * @mute: whether the minimum mutes
 *
 * Return: 0; -EOPNOTSUPP when the control has no TLV to read; -ENOENT when its TLV is not
 * a dB scale; or -errno.
 */
int vguest_ctl_db_scale(struct vguest *g, uint32_t id, int32_t *min, int32_t *step,
			bool *mute);

/* --- Events */

/**
 * struct vguest_event - one event
 * @code: VIRTIO_SND_EVT_*, or VADSP_SND_EVT_SOF_IPC
 * @data: the event's data word; VADSP_SND_EVT_SOF_IPC: the size of the IPC3 message
 */
struct vguest_event {
	uint32_t code;
	uint32_t data;
};

/**
 * vguest_event_next() - the next event from the event queue
 * @g: the guest
 * @ev: receives it
 * @timeout_ms: longest wait; 0 only looks
 *
 * An IPC3 notification (VADSP_SND_EVT_SOF_IPC) comes with its size in @ev->data and its
 * message left out; vguest_event_next_msg() gives it.
 *
 * Return: 1 with @ev filled, 0 when none came in time, or -errno.
 */
int vguest_event_next(struct vguest *g, struct vguest_event *ev, int timeout_ms);

/**
 * vguest_event_next_msg() - the next event, with the IPC3 message of a notification
 * @g: the guest
 * @ev: receives the event
 * @msg: receives the message of a VADSP_SND_EVT_SOF_IPC event (@ev->data bytes)
 * @room: size of @msg (IPC3_MSG_MAX_SIZE holds any)
 * @timeout_ms: longest wait; 0 only looks
 *
 * Return: 1 with @ev (and @msg) filled, 0 when none came in time, -EMSGSIZE when the
 * message does not fit @room (the event is consumed), or -errno.
 */
int vguest_event_next_msg(struct vguest *g, struct vguest_event *ev, void *msg, size_t room,
			  int timeout_ms);

/**
 * vguest_events_lost() - events dropped because VGUEST_EVENTS_KEPT were waiting
 */
uint64_t vguest_events_lost(const struct vguest *g);

/* --- Audio */

/**
 * struct vguest_io_done - a completed I/O message
 * @status: VIRTIO_SND_S_*
 * @latency_bytes: what the device reported
 * @bytes: capture: audio bytes written into the message; playback: 0
 * @data: capture: the audio (valid until the message is submitted again)
 */
struct vguest_io_done {
	uint32_t status;
	uint32_t latency_bytes;
	uint32_t bytes;
	const void *data;
};

/**
 * vguest_io_open() - I/O messages for @stream: @periods messages of @period_bytes of audio
 * @g: the guest
 * @stream: the stream id (its direction picks the tx or the rx queue)
 * @period_bytes: audio bytes per message
 * @periods: messages (at most a third of the queue size: each takes three descriptors)
 * @out: the new ring
 *
 * Guest memory for a stream's messages is kept and reused by a later ring of the same or a
 * smaller size.
 *
 * Return: 0, -ENOENT for a stream that does not exist, -EINVAL, -ENOMEM when guest memory
 * is exhausted.
 */
int vguest_io_open(struct vguest *g, uint32_t stream, uint32_t period_bytes,
		   unsigned int periods, struct vguest_io **out);

/**
 * vguest_io_open_id() - I/O messages for a stream the card does not list (a stream set up
 * with SOF IPC3's PCM_PARAMS, whose reply names the id)
 * @g: the guest
 * @stream: the stream id the messages carry
 * @direction: VIRTIO_SND_D_OUTPUT (tx queue) or VIRTIO_SND_D_INPUT (rx queue)
 * @period_bytes: audio bytes per message
 * @periods: messages, as for vguest_io_open()
 * @out: the new ring
 *
 * At most VGUEST_IO_ID_RINGS such rings are open at once.
 *
 * Return: 0, -EINVAL, -EBUSY when VGUEST_IO_ID_RINGS are open, -ENOMEM.
 */
int vguest_io_open_id(struct vguest *g, uint32_t stream, uint8_t direction,
		      uint32_t period_bytes, unsigned int periods, struct vguest_io **out);

/* Rings of vguest_io_open_id() open at once. */
#define VGUEST_IO_ID_RINGS	32u

/**
 * vguest_io_set_stream() - the stream id messages submitted from now on carry (a SOF
 * stream whose parameters were set again after a DSP reset may get another id)
 */
void vguest_io_set_stream(struct vguest_io *io, uint32_t stream);

/**
 * vguest_io_submit() - hand one message to the device
 * @io: the ring
 * @data: playback: @bytes of audio, copied into the message; capture: NULL
 * @bytes: audio bytes, 1 to period_bytes (capture: room offered)
 *
 * Return: 0; -EAGAIN when every message is with the device; -EINVAL; or -errno of the queue.
 */
int vguest_io_submit(struct vguest_io *io, const void *data, uint32_t bytes);

/**
 * vguest_io_reap() - wait for the oldest message still with the device to complete
 * @io: the ring
 * @done: receives its outcome (also for statuses other than S_OK)
 * @timeout_ms: longest wait; negative: the guest's timeout
 *
 * Return: 1 with @done filled, 0 when nothing is submitted or it did not complete in time
 * (vguest_io_in_flight() tells which), or -errno of the transport.
 */
int vguest_io_reap(struct vguest_io *io, struct vguest_io_done *done, int timeout_ms);

/**
 * vguest_io_in_flight() - messages with the device
 */
unsigned int vguest_io_in_flight(const struct vguest_io *io);

/**
 * vguest_io_poll_fd() - a descriptor for the caller's own poll() (POLLIN)
 *
 * The call eventfd of @io's queue (shared by every ring on that queue): it becomes readable
 * when the device completes a message after vguest_io_arm() returned 0. For event loops
 * (an ALSA plugin's poll descriptors); vguest_io_reap() does its own waiting.
 *
 * Return: the descriptor (owned by the guest: poll it, never close it), or -errno.
 */
int vguest_io_poll_fd(const struct vguest_io *io);

/**
 * vguest_io_arm() - prepare to sleep on vguest_io_poll_fd()
 * @io: the ring
 *
 * Asks the device to signal the next completion, drains the descriptor and takes the
 * completions already there (vguest_io_reap() with a timeout of 0 then returns them).
 *
 * Return: 0 when armed and @io's oldest message has not completed (sleep on the
 * descriptor); 1 when it has (reap, then arm again before sleeping); -ECONNRESET when the
 * back-end closed the connection, -EIO when it broke the ring, or -errno.
 */
int vguest_io_arm(struct vguest_io *io);

/**
 * vguest_io_close() - free the ring (NULL allowed); messages still with the device are
 * forgotten (their memory is not reused by this guest)
 */
void vguest_io_close(struct vguest_io *io);

/* --- Choosing a stream and its parameters */

/**
 * vguest_stream_pick() - the stream to use for @direction
 * @card: the card
 * @direction: VIRTIO_SND_D_OUTPUT or VIRTIO_SND_D_INPUT
 * @requested: a stream id asked for, or -1 for the first stream of @direction
 *
 * Return: the stream id; -ENOENT when there is no such stream (or none of @direction);
 * -EINVAL when @requested has the other direction.
 */
int vguest_stream_pick(const struct vguest_card *card, uint8_t direction, int requested);

/**
 * struct vguest_want - what a player or recorder wants of a stream
 * @rate_hz: frames per second, or 0 for 48000 Hz when offered, else the lowest rate offered
 * @channels: channel count, or 0 for 2 clamped into the stream's range
 * @formats: VIRTIO_SND_PCM_FMT_* in order of preference (the first the stream offers is
 *           taken); @num_formats 0 takes the first of S16, S32, S24, FLOAT it offers
 * @num_formats: entries of @formats
 * @period_us: period length in microseconds (0: 10 ms)
 * @periods: periods per buffer (0: 4)
 */
struct vguest_want {
	uint32_t rate_hz;
	unsigned int channels;
	const uint8_t *formats;
	unsigned int num_formats;
	uint32_t period_us;
	unsigned int periods;
};

/**
 * vguest_params_choose() - SET_PARAMS for @want on @stream
 * @stream: the stream, as PCM_INFO described it
 * @want: what is wanted
 * @out: filled in (features 0)
 * @err: receives why nothing fits
 * @err_len: its size
 *
 * Return: 0, or -ENOTSUP with @err saying which of rate, channels and format the stream
 * does not offer.
 */
int vguest_params_choose(const struct vguest_stream *stream, const struct vguest_want *want,
			 struct vguest_pcm_params *out, char *err, size_t err_len);

/* --- Names, for printing */

/**
 * vguest_chmap_position_name() - "FL", "FR", "LFE"... ("?" beyond the table)
 */
const char *vguest_chmap_position_name(uint8_t position);

/**
 * vguest_ctl_type_name() - "BOOLEAN", "INTEGER", ... ("?" beyond the table)
 */
const char *vguest_ctl_type_name(uint32_t type);

/**
 * vguest_ctl_role_name() - "UNDEFINED", "VOLUME", "MUTE", "GAIN" ("?" beyond)
 */
const char *vguest_ctl_role_name(uint32_t role);

/**
 * vguest_format_bytes() - bytes per sample of VIRTIO_SND_PCM_FMT_@format (0: none)
 */
unsigned int vguest_format_bytes(uint8_t format);

/**
 * vguest_format_name() - "S16", "FLOAT", ... ("?" out of range)
 */
const char *vguest_format_name(uint8_t format);

/**
 * vguest_rate_hz() - frames per second of VIRTIO_SND_PCM_RATE_@rate (0 out of range)
 */
uint32_t vguest_rate_hz(uint8_t rate);

/**
 * vguest_rate_code() - the VIRTIO_SND_PCM_RATE_* of @hz, or -EINVAL
 */
int vguest_rate_code(uint32_t hz);

#endif /* VADSP_GUEST_GUEST_H */
