/* SPDX-License-Identifier: MIT */
/*
 * The sound device's data path, seen from the device: what a stream backend is given and
 * what it gives back.
 *
 * The device (src/snd) owns the virtio side: it checks every request and every I/O message,
 * runs the PCM state machine and keeps the control values. Whatever moves audio (the DSP
 * engine, or the null backend in backend-null.c when no engine is attached) is a
 * `static const struct vsnd_backend_ops` behind this interface. One backend instance serves
 * one guest's card.
 *
 * Calls into the backend. The device calls set_params, prepare, start, stop and release
 * only for transitions its state machine allowed, after checking the parameters against
 * the stream's capabilities; a negative return fails the request (the status comes from the
 * errno, see vsnd_status_from_errno()) and the stream keeps its previous state.
 * io_submit hands over one I/O message whose audio is a view of guest memory (struct
 * vsnd_pcm_io, no copy); the backend owns the message until it gives it back with
 * vsnd_pcm_io_done(). Messages arrive only for streams in PREPARE, START or STOP state.
 *
 * Giving messages back. Playback: complete a message once its audio has been consumed
 * (played) in full. Capture: complete it once it is full, its audio written in place in
 * @seg. release() must give back every message of the stream the backend holds (at once or
 * soon after: the device holds the guest's RELEASE reply until the last one is back, and
 * serves no further control request meanwhile). io_cancel() must give back every message of
 * the stream before it returns (the queue is stopping; the statuses are not delivered).
 *
 * Threads. Everything here runs on the thread that runs the device (the control thread's
 * event loop): the ops are called there, and the vsnd_pcm_* completions must be called
 * there too. A backend that works on another thread (the engine's data thread) posts its
 * completions back to this one. Completions may be called from inside an op (io_submit or
 * release completing at once).
 */
#ifndef VADSP_SND_STREAM_BACKEND_H
#define VADSP_SND_STREAM_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

struct vsnd_backend;
struct vsnd_card;
struct vsnd_card_desc;
struct vu_watch_ops;

/**
 * struct vsnd_pcm_params - a stream's parameters, as the driver set them (checked)
 * @buffer_bytes: ring buffer size in the guest
 * @period_bytes: period size; divides @buffer_bytes
 * @features: VIRTIO_SND_PCM_F_* bits the driver enabled
 * @channels: channel count, within the stream's range
 * @format: VIRTIO_SND_PCM_FMT_* the stream offers
 * @rate: VIRTIO_SND_PCM_RATE_* the stream offers
 * @rate_hz: @rate in frames per second
 * @frame_bytes: bytes per frame (@channels samples); @buffer_bytes and @period_bytes are
 *               multiples of it
 */
struct vsnd_pcm_params {
	uint32_t buffer_bytes;
	uint32_t period_bytes;
	uint32_t features;
	uint8_t channels;
	uint8_t format;
	uint8_t rate;
	uint32_t rate_hz;
	uint32_t frame_bytes;
};

/**
 * struct vsnd_pcm_io - one I/O message while a backend holds it
 * @stream: stream id
 * @bytes: audio bytes in @seg: a non-zero whole number of frames
 * @nseg: number of @seg
 * @seg: the audio in guest memory, in order: read it (playback) or write it (capture) in
 *       place; valid until the message is given back
 * @next: free for the backend's own use (a queue link) while it holds the message
 * @done: free for the backend's own use (bytes handled so far)
 */
struct vsnd_pcm_io {
	uint32_t stream;
	uint32_t bytes;
	unsigned int nseg;
	const struct iovec *seg;
	struct vsnd_pcm_io *next;
	uint32_t done;
};

/**
 * struct vsnd_ctl_values - a control's value as handed to the backend
 * @count: number of @values (integer, boolean, enumerated controls), or bytes in @blob
 * @values: the values, one per channel, within the control's range (NULL for bytes)
 * @blob: the data of a bytes control (NULL for the others)
 */
struct vsnd_ctl_values {
	uint32_t count;
	const int32_t *values;
	const uint8_t *blob;
};

/**
 * struct vsnd_backend_config - what a backend instance is opened with
 * @card: the card, to pass back to the vsnd_pcm_* completions
 * @desc: the card's description (streams, controls, jacks, and what they came from)
 * @watch: the device thread's fd watcher, or NULL when there is none (then a backend that
 *         needs a clock must do without: the null backend completes at once)
 * @loop: first argument of @watch's callbacks
 * @data: vsnd_options.backend_data
 */
struct vsnd_backend_config {
	struct vsnd_card *card;
	const struct vsnd_card_desc *desc;
	const struct vu_watch_ops *watch;
	void *loop;
	void *data;
};

/**
 * struct vsnd_backend_ops - a stream backend
 * @name: short name for log messages
 * @open: create the instance for one card; return 0 or -errno
 * @close: free it; every I/O message has been cancelled first
 * @set_params: @stream gets new parameters (SET_PARAMS); it holds no I/O message
 * @prepare: get @stream ready to move audio with its parameters (PREPARE); it holds no I/O
 * @start: start moving audio (START)
 * @stop: stop moving audio, keeping what is queued (STOP)
 * @release: the stream is released (RELEASE): give back every message it holds
 * @io_submit: take one I/O message; return 0 when taken, or -errno to have the device
 *             complete it at once with that error
 * @io_cancel: give back, before returning, every message of @stream (queue stop, reset)
 * @ctl_write: @control gets a new value (from the guest or from the daemon); return 0 or
 *             -errno (the value is then not taken)
 * @sof_enable: the SOF IPC3 extension (docs/protocol.md section 4) was acknowledged (@on)
 *              or dropped (a device reset, features without it); also called with @on
 *              when the control queue stops. Any IPC session ends for good first (its
 *              objects freed in order; its streams' I/O has been cancelled); with @on the
 *              next sof_ipc starts a new one, without it the backend serves the card
 * @sof_ipc: one IPC3 message (framed: hdr.size == @len, 8..384 bytes) of the extension;
 *           write its reply into @reply (@cap >= 384 bytes) and return its length, or
 *           -errno when no reply can be given (S_IO_ERR)
 *
 * Every op may be NULL except @open and @close: a NULL op accepts (io_submit: completes
 * the message at once with S_OK and nothing played or recorded).
 */
struct vsnd_backend_ops {
	const char *name;
	int (*open)(struct vsnd_backend **out, const struct vsnd_backend_config *cfg);
	void (*close)(struct vsnd_backend *b);
	int (*set_params)(struct vsnd_backend *b, uint32_t stream,
			  const struct vsnd_pcm_params *params);
	int (*prepare)(struct vsnd_backend *b, uint32_t stream);
	int (*start)(struct vsnd_backend *b, uint32_t stream);
	int (*stop)(struct vsnd_backend *b, uint32_t stream);
	int (*release)(struct vsnd_backend *b, uint32_t stream);
	int (*io_submit)(struct vsnd_backend *b, struct vsnd_pcm_io *io);
	void (*io_cancel)(struct vsnd_backend *b, uint32_t stream);
	int (*ctl_write)(struct vsnd_backend *b, uint32_t control,
			 const struct vsnd_ctl_values *value);
	int (*sof_enable)(struct vsnd_backend *b, bool on);
	int (*sof_ipc)(struct vsnd_backend *b, const uint8_t *req, size_t len, uint8_t *reply,
		       size_t cap);
};

/**
 * vsnd_backend_null - the backend used when no engine is attached
 *
 * It is not the DSP: nothing is processed or heard. Playback messages are consumed at the
 * stream's real rate on a timerfd clock (a message completes when the clock has passed its
 * last frame) and capture messages are filled with the format's silence at the real rate,
 * so that a guest really plays and records against it. Without a watcher
 * (vsnd_backend_config.watch NULL, as in unit tests) every message completes as soon as its
 * stream is started. latency_bytes is 0: nothing is queued after a completion. Control
 * writes are accepted and have no effect. No xrun is reported: when a playback stream runs
 * dry the clock waits for the next message instead of counting an underrun.
 */
extern const struct vsnd_backend_ops vsnd_backend_null;

/**
 * vsnd_pcm_io_done() - give an I/O message back to the device
 * @card: the card
 * @io: the message, as io_submit received it
 * @err: 0 (S_OK) or -errno (the status comes from vsnd_status_from_errno(), -EIO: IO_ERR)
 * @bytes: capture: bytes written into the message from its start (at most io->bytes);
 *         ignored for playback
 * @latency_bytes: bytes of audio still between this message and the listener (playback)
 *                 or the source (capture); the guest's runtime delay
 *
 * The message is completed on its queue (status written, used length 8 for playback,
 * 8 + @bytes for capture) and the driver notified. Once a stream's last message is back,
 * a RELEASE waiting for it is answered.
 */
void vsnd_pcm_io_done(struct vsnd_card *card, struct vsnd_pcm_io *io, int err, uint32_t bytes,
		      uint32_t latency_bytes);

/**
 * vsnd_pcm_xrun() - report an underrun (playback) or overrun (capture) of @stream
 * @card: the card
 * @stream: stream id
 *
 * Counted, and sent as a PCM_XRUN event when the driver enabled VIRTIO_SND_PCM_F_EVT_XRUNS
 * in the stream's parameters. Ignored for a stream id out of range.
 */
void vsnd_pcm_xrun(struct vsnd_card *card, uint32_t stream);

/**
 * vsnd_pcm_period_elapsed() - report that a period of @stream was played or recorded
 * @card: the card
 * @stream: stream id
 *
 * Counted. With message-based transport (the only one offered) a completed message is the
 * elapsed period for the driver, so no PCM_PERIOD_ELAPSED event is sent: the specification
 * sends it only for shared-memory streams (VIRTIO_SND_PCM_F_EVT_SHMEM_PERIODS).
 */
void vsnd_pcm_period_elapsed(struct vsnd_card *card, uint32_t stream);

/**
 * vsnd_sof_stream_set() - extension stream @id has parameters: tx/rx messages may name it
 * @card: the card
 * @id: below VSND_SOF_STREAMS
 * @direction: VIRTIO_SND_D_OUTPUT or VIRTIO_SND_D_INPUT
 * @frame_bytes: bytes per frame of its audio
 *
 * Its counts (frames, messages, xruns: struct vsnd_stream) start again from zero.
 *
 * Return: 0; -EINVAL for a bad id or values, or when the extension is not negotiated.
 */
int vsnd_sof_stream_set(struct vsnd_card *card, uint32_t id, uint8_t direction,
			uint32_t frame_bytes);

/**
 * vsnd_sof_stream_clear() - extension stream @id has no parameters any more (its I/O has
 * been given back)
 */
void vsnd_sof_stream_clear(struct vsnd_card *card, uint32_t id);

/**
 * vsnd_sof_stream_xrun() - count an xrun of extension stream @id (its "xruns"); the backend
 * tells the guest itself, with an IPC3 notification (vsnd_sof_notify())
 */
void vsnd_sof_stream_xrun(struct vsnd_card *card, uint32_t id);

/**
 * vsnd_sof_notify() - queue a SOF IPC3 notification for the event queue (4.8)
 * @card: the card
 * @msg: the IPC3 message (its hdr.size is @size)
 * @size: 8..VSND_SOF_MSG_MAX
 * @replace: a waiting notification with the same command word is replaced (its place in
 *           the queue kept) instead of queueing another
 *
 * Ignored without the extension; dropped (counted) when 64 events wait.
 */
void vsnd_sof_notify(struct vsnd_card *card, const void *msg, uint32_t size, bool replace);

#endif /* VADSP_SND_STREAM_BACKEND_H */
