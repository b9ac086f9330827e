/* SPDX-License-Identifier: MIT */
/*
 * The sound card: what a guest sees (the description, built once from its topology) and one
 * guest's instance of it (stream states, control values, jack states, pending events, I/O in
 * flight).
 *
 * Description (struct vsnd_card_desc, card-tplg.c). Built from a guest topology's model
 * (src/tplg/model.h) and owning all its memory, so the topology may be freed afterwards:
 * - streams: each PCM in file order gives its playback stream, then its capture stream. The
 *   hda_fn_nid of both is the PCM's id, so the Linux driver makes them one ALSA PCM device
 *   (numbered by the id) with a playback and a capture substream;
 * - chmaps: one per stream, for its largest channel count (chmap.c has the positions);
 * - jacks: one per topology endpoint attached to a host connection point (a guest dai_in or
 *   dai_out carrying VADSP_TKN_CP_NAME): a line out for playback, a line in for capture. It
 *   is connected while the host connection point is there (vsnd_card_jack_set());
 * - controls: each topology control in load order (ctl.c has the mapping).
 *
 * Instance (struct vsnd_card, card.c). One per guest connection. The modules share it:
 * ctl-msg.c (control queue and request table), pcm.c (PCM requests and the state machine),
 * pcm-msg.c (tx/rx queues), jack.c, chmap.c, ctl.c (control elements), event.c (event
 * queue). Everything runs on one thread (the device's event loop). The transport is reached
 * through struct vsnd_card_host, so the requests can be driven without one (unit tests,
 * fuzzing).
 */
#ifndef VADSP_SND_CARD_H
#define VADSP_SND_CARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snd/stream-backend.h"
#include "snd/virtio-snd.h"
#include "virtio/vring.h"

struct tplg;
struct tplg_model;

/* Largest cards the device builds (the topology is refused beyond). */
#define VSND_MAX_STREAMS	64
#define VSND_MAX_JACKS		64
#define VSND_MAX_CONTROLS	512

/* Largest control request read (TLV_WRITE: header, TLV header, 64 KiB of TLV). */
#define VSND_CTL_REQ_MAX	(sizeof(struct vsnd_ctl_hdr) + 8 + VIRTIO_SND_CTL_TLV_MAX)
/* Largest control response written (a TLV read, or every control's info). */
#define VSND_CTL_RESP_MAX	(sizeof(struct vsnd_hdr) + VIRTIO_SND_CTL_TLV_MAX)

/* Events waiting for an event queue buffer. */
#define VSND_EVENT_QUEUE	64

/* Streams of the SOF IPC3 extension (docs/protocol.md 4.7: max_streams). */
#define VSND_SOF_STREAMS	16
/* Largest IPC3 message carried by the extension (request, reply or notification). */
#define VSND_SOF_MSG_MAX	384

/**
 * enum vsnd_pcm_state - a stream's state: the last request that succeeded on it
 * @VSND_PCM_NONE: no parameters yet (only SET_PARAMS is allowed)
 */
enum vsnd_pcm_state {
	VSND_PCM_NONE,
	VSND_PCM_SET_PARAMS,
	VSND_PCM_PREPARE,
	VSND_PCM_START,
	VSND_PCM_STOP,
	VSND_PCM_RELEASE,
	VSND_PCM_STATE_COUNT,
};

/**
 * struct vsnd_stream_desc - one stream
 * @nid: hda_fn_nid (the topology PCM's id)
 * @direction: VIRTIO_SND_D_OUTPUT or VIRTIO_SND_D_INPUT
 * @channels_min: fewest channels (at least 1)
 * @channels_max: most channels (at most 255)
 * @features: VIRTIO_SND_PCM_F_* offered
 * @formats: VIRTIO_SND_PCM_FMT_* bitmap (non-zero)
 * @rates: VIRTIO_SND_PCM_RATE_* bitmap (non-zero)
 * @period_bytes_min: smallest period accepted
 * @period_bytes_max: largest period accepted
 * @buffer_bytes_min: smallest buffer accepted
 * @buffer_bytes_max: largest buffer accepted
 * @periods_min: fewest periods per buffer
 * @periods_max: most periods per buffer
 * @positions: channel map for @channels_max channels (VIRTIO_SND_CHMAP_*)
 * @name: the topology PCM's name, for log messages
 * @pcm_id: the topology PCM's id
 * @host_widget: topology index of the aif widget serving the stream, or -1
 * @pipeline: that widget's pipeline (block index), 0 if none
 */
struct vsnd_stream_desc {
	uint32_t nid;
	uint8_t direction;
	uint8_t channels_min;
	uint8_t channels_max;
	uint32_t features;
	uint64_t formats;
	uint64_t rates;
	uint32_t period_bytes_min;
	uint32_t period_bytes_max;
	uint32_t buffer_bytes_min;
	uint32_t buffer_bytes_max;
	uint32_t periods_min;
	uint32_t periods_max;
	uint8_t positions[VIRTIO_SND_CHMAP_MAX_SIZE];
	char name[VIRTIO_SND_CTL_NAME_SIZE];
	uint32_t pcm_id;
	int32_t host_widget;
	uint32_t pipeline;
};

/**
 * struct vsnd_jack_desc - one jack
 * @nid: hda_fn_nid: the nid of the stream on the endpoint's pipeline, else 0
 * @direction: VIRTIO_SND_D_OUTPUT (a line out) or VIRTIO_SND_D_INPUT (a line in)
 * @defconf: HDA pin default configuration
 * @caps: HDA pin capabilities
 * @stream: id of the stream on the endpoint's pipeline, or -1
 * @cp_name: the host connection point the endpoint attaches to
 * @widget: topology index of the endpoint widget
 */
struct vsnd_jack_desc {
	uint32_t nid;
	uint8_t direction;
	uint32_t defconf;
	uint32_t caps;
	int32_t stream;
	char cp_name[VIRTIO_SND_CTL_NAME_SIZE];
	uint32_t widget;
};

/**
 * struct vsnd_ctl_desc - one control element
 * @name: element name (NUL-terminated)
 * @nid: hda_fn_nid: the nid of the stream on the control's pipeline, else 0
 * @role: VIRTIO_SND_CTL_ROLE_*
 * @type: VIRTIO_SND_CTL_TYPE_* (BOOLEAN, INTEGER, ENUMERATED or BYTES)
 * @access: VIRTIO_SND_CTL_ACCESS_* bitmap
 * @count: values per element (channels; bytes of a BYTES control, at most 512)
 * @index: element index: how many earlier controls have the same name
 * @min: smallest value (INTEGER, BOOLEAN)
 * @max: largest value (INTEGER, BOOLEAN)
 * @step: value step (INTEGER)
 * @items: number of enumerated items
 * @item_names: @items names, VIRTIO_SND_CTL_ENUM_ITEM_SIZE bytes each, NUL-padded
 * @has_db: a dB scale applies (TLV_READ gives it)
 * @db_min: dB at @min, 0.01 dB
 * @db_step: dB per step, 0.01 dB
 * @db_mute: @min mutes
 * @init: initial value of every channel (INTEGER, BOOLEAN, ENUMERATED)
 * @blob_max: largest data of a BYTES control
 * @blob_init: initial data of a BYTES control (@blob_init_len bytes)
 * @blob_init_len: its length
 * @widget: topology index of the widget it drives, or -1
 * @pipeline: that widget's pipeline
 * @kcontrol: topology index of the control
 */
struct vsnd_ctl_desc {
	char name[VIRTIO_SND_CTL_NAME_SIZE];
	uint32_t nid;
	uint32_t role;
	uint32_t type;
	uint32_t access;
	uint32_t count;
	uint32_t index;
	int32_t min;
	int32_t max;
	int32_t step;
	uint32_t items;
	uint8_t (*item_names)[VIRTIO_SND_CTL_ENUM_ITEM_SIZE];
	bool has_db;
	int32_t db_min;
	int32_t db_step;
	bool db_mute;
	int32_t init;
	uint32_t blob_max;
	uint8_t *blob_init;
	uint32_t blob_init_len;
	int32_t widget;
	uint32_t pipeline;
	uint32_t kcontrol;
};

/**
 * struct vsnd_card_desc - what a guest sees; chmaps are one per stream
 */
struct vsnd_card_desc {
	uint32_t num_streams;
	struct vsnd_stream_desc *streams;
	uint32_t num_jacks;
	struct vsnd_jack_desc *jacks;
	uint32_t num_controls;
	struct vsnd_ctl_desc *controls;
};

/**
 * vsnd_card_desc_empty - a card with no jacks, streams, channel maps or controls
 */
extern const struct vsnd_card_desc vsnd_card_desc_empty;

/**
 * vsnd_card_desc_build() - describe the card a guest topology gives
 * @t: the parsed topology
 * @m: its guest model (tplg_model_build())
 * @out: receives the description (free with vsnd_card_desc_free()); it does not refer to
 *       @t or @m
 * @err: receives a one-line reason on failure
 * @err_len: size of @err
 *
 * Return: 0; -EINVAL for a topology the device cannot present (a stream without a format
 * or rate virtio-snd can express, more than VSND_MAX_* elements); -ENOMEM.
 */
int vsnd_card_desc_build(const struct tplg *t, const struct tplg_model *m,
			 struct vsnd_card_desc **out, char *err, size_t err_len);

/**
 * vsnd_card_desc_load() - read a topology file and describe its card
 * @path: the .tplg file
 * @out: receives the description
 * @err: receives a one-line reason on failure (naming the file)
 * @err_len: size of @err
 *
 * Return: 0, or the -errno of reading, parsing, modelling or describing it.
 */
int vsnd_card_desc_load(const char *path, struct vsnd_card_desc **out, char *err,
			size_t err_len);

/**
 * vsnd_card_desc_free() - free a description from vsnd_card_desc_build() (NULL is allowed)
 */
void vsnd_card_desc_free(struct vsnd_card_desc *desc);

/**
 * struct vsnd_card_host - how a card reaches its transport (the vhost-user connection)
 * @queue: the device side of started queue @idx, or NULL
 * @notify: signal the driver that queue @idx has new used buffers (if it wants to know)
 * @fail: the guest broke the rules: drop its connection
 */
struct vsnd_card_host {
	struct vring *(*queue)(void *data, unsigned int idx);
	void (*notify)(void *data, unsigned int idx);
	void (*fail)(void *data, const char *why);
};

/*
 * An event waiting for an event queue buffer: {code, data}, or with @size a SOF IPC3
 * notification {code, size, msg} (sof.c).
 */
struct vsnd_pending_event {
	uint32_t code;
	uint32_t data;
	uint32_t size;
	uint8_t msg[VSND_SOF_MSG_MAX];
};

/* Bins of struct vsnd_stream's answer times: up to 0.25, 0.5, 1, 2, 4, 8, 16 ms, longer. */
#define VSND_ANSWER_BINS	8
#define VSND_ANSWER_BIN0_US	250u

/* One I/O message while it is away from its queue (pcm-msg.c). */
struct vsnd_io_msg;

/* The messages of one of the two I/O queues (pcm-msg.c). */
struct vsnd_io_pool {
	struct vsnd_io_msg *msgs;
	unsigned int num;
	struct vsnd_io_msg *free;
	unsigned int in_use;
	bool cancelling;
};

/**
 * struct vsnd_stream - one stream of one guest
 * @state: enum vsnd_pcm_state
 * @params: the parameters of the last SET_PARAMS (kept until the next one)
 * @pending: I/O messages the backend holds
 * @xruns: xruns the backend reported
 * @periods: periods the backend reported elapsed
 * @completed: I/O messages completed
 * @frames: frames played (playback) or recorded (capture) by messages completed with S_OK,
 *          since the card was created
 * @answer_from_ns: when (CLOCK_MONOTONIC) the first completion the driver has not answered
 *          with a new message for the stream was made, 0 for none
 * @answers: how long the driver took from a completion to its next message for the stream
 *          (while the stream is started, or an extension stream is set up): bin i counts
 *          times of at most VSND_ANSWER_BIN0_US << i, the last bin every longer one
 * @answer_max_ns: the longest of them
 *
 * A driver keeps a stream playing only while it answers each completion within its buffer
 * time less a period; @answers shows how close to that it runs.
 */
struct vsnd_stream {
	enum vsnd_pcm_state state;
	struct vsnd_pcm_params params;
	uint32_t pending;
	uint64_t xruns;
	uint64_t periods;
	uint64_t completed;
	uint64_t frames;
	uint64_t answer_from_ns;
	uint64_t answers[VSND_ANSWER_BINS];
	uint64_t answer_max_ns;
};

/**
 * struct vsnd_ctl_state - one control's current value
 * @values: one per channel (INTEGER, BOOLEAN, ENUMERATED), desc count of them
 * @blob: the data of a BYTES control (desc blob_max bytes of room)
 * @blob_len: its length
 */
struct vsnd_ctl_state {
	int32_t *values;
	uint8_t *blob;
	uint32_t blob_len;
};

/**
 * struct vsnd_card - one guest's card
 * @desc: its description (outlives the card)
 * @controls_negotiated: VIRTIO_SND_F_CTLS was acknowledged
 * @host: the transport, or NULL (no queues: requests only through vsnd_ctl_handle())
 * @host_data: first argument of @host's callbacks
 * @backend_ops: the stream backend
 * @backend: its instance
 * @streams: desc->num_streams
 * @jack_connected: desc->num_jacks
 * @ctls: desc->num_controls
 * @req: the control request being handled (VSND_CTL_REQ_MAX bytes)
 * @resp: its response (VSND_CTL_RESP_MAX bytes)
 * @held: a control request whose reply waits (RELEASE with I/O pending)
 * @held_chain: its chain (valid while @held)
 * @held_stream: the stream it waits for
 * @held_from_queue: @held_chain is from the control queue (else a direct call holds it)
 * @io: the tx and rx queues' messages ([0] tx, [1] rx)
 * @events: events waiting for an event queue buffer, oldest first
 * @num_events: how many
 * @events_dropped: events lost because @events was full
 * @depth: nesting of entry points; deferred work runs when the outermost one returns
 * @to_notify: bitmap of queues with new used buffers
 * @stopping: bitmap of queues being stopped (not touched any more)
 * @broken: the guest broke a queue's rules: no queue is touched any more
 * @resume_ctlq: the control queue is to be served again (a held reply was sent)
 * @sof: the SOF IPC3 extension (VADSP_SND_F_SOF_IPC3) was acknowledged: the card reads
 *       empty, the control queue carries IPC, tx/rx carry @sof_streams (sof.c)
 * @sof_streams: the extension's streams: PREPARE once their PCM_PARAMS succeeded, NONE
 *               otherwise
 * @sof_dir: their directions (VIRTIO_SND_D_*)
 */
struct vsnd_card {
	const struct vsnd_card_desc *desc;
	bool controls_negotiated;
	const struct vsnd_card_host *host;
	void *host_data;
	const struct vsnd_backend_ops *backend_ops;
	struct vsnd_backend *backend;
	struct vsnd_stream *streams;
	bool *jack_connected;
	struct vsnd_ctl_state *ctls;
	uint8_t *req;
	uint8_t *resp;
	bool held;
	struct vring_chain held_chain;
	uint32_t held_stream;
	bool held_from_queue;
	struct vsnd_io_pool io[2];
	struct vsnd_pending_event events[VSND_EVENT_QUEUE];
	unsigned int num_events;
	uint64_t events_dropped;
	unsigned int depth;
	unsigned int to_notify;
	unsigned int stopping;
	bool broken;
	bool resume_ctlq;
	bool sof;
	struct vsnd_stream sof_streams[VSND_SOF_STREAMS];
	uint8_t sof_dir[VSND_SOF_STREAMS];
};

/**
 * struct vsnd_card_config - how a card instance is created
 * @desc: its description (must outlive the card)
 * @host: the transport, or NULL
 * @host_data: first argument of @host's callbacks
 * @backend: stream backend, or NULL for vsnd_backend_null
 * @backend_data: vsnd_backend_config.data
 * @watch: fd watcher for the backend, or NULL
 * @loop: first argument of @watch's callbacks
 */
struct vsnd_card_config {
	const struct vsnd_card_desc *desc;
	const struct vsnd_card_host *host;
	void *host_data;
	const struct vsnd_backend_ops *backend;
	void *backend_data;
	const struct vu_watch_ops *watch;
	void *loop;
};

/**
 * vsnd_card_new() - create a guest's card: streams without parameters, controls at their
 * initial values, jacks connected, its backend opened
 * @out: the new card
 * @cfg: how
 *
 * Return: 0, -ENOMEM, or the backend's open error.
 */
int vsnd_card_new(struct vsnd_card **out, const struct vsnd_card_config *cfg);

/**
 * vsnd_card_free() - cancel all I/O, close the backend and free the card (NULL is allowed)
 */
void vsnd_card_free(struct vsnd_card *card);

/**
 * vsnd_card_reset() - the driver reset the device
 *
 * I/O is cancelled, every stream is released and forgets its parameters, pending events
 * and a held reply are dropped, VIRTIO_SND_F_CTLS is forgotten. Control values and jack
 * states stay: they belong to the host side, not to the driver.
 */
void vsnd_card_reset(struct vsnd_card *card);

/**
 * vsnd_card_config_space() - the configuration space
 * @card: the card
 * @cfg: filled with the element counts (little-endian)
 */
void vsnd_card_config_space(const struct vsnd_card *card, struct vsnd_config *cfg);

/**
 * vsnd_card_queue_start() - queue @idx started: serve what is waiting on it
 *
 * Return: 0, or -ENOMEM when the I/O queue's messages cannot be allocated.
 */
int vsnd_card_queue_start(struct vsnd_card *card, unsigned int idx);

/**
 * vsnd_card_queue_kick() - the driver kicked queue @idx
 */
void vsnd_card_queue_kick(struct vsnd_card *card, unsigned int idx);

/**
 * vsnd_card_queue_stop() - queue @idx stops: after this the card does not touch it
 *
 * I/O messages of a stopping tx/rx queue are cancelled in the backend and dropped; a reply
 * held on the control queue is dropped (the RELEASE itself goes on).
 */
void vsnd_card_queue_stop(struct vsnd_card *card, unsigned int idx);

/**
 * vsnd_card_jack_set() - the host connection point of @jack came or went
 * @card: the card
 * @jack: jack id
 * @connected: whether it is there
 *
 * A change is sent as a JACK_CONNECTED or JACK_DISCONNECTED event.
 *
 * Return: 1 when the state changed, 0 when it was already so, -ENOENT for a bad id.
 */
int vsnd_card_jack_set(struct vsnd_card *card, uint32_t jack, bool connected);

/**
 * vsnd_card_ctl_set() - change a control's value from the host side (not the guest)
 * @card: the card
 * @control: control id
 * @value: the new value: desc count values, or up to blob_max bytes for a BYTES control
 *
 * The value is checked like a guest's CTL_WRITE, given to the backend, kept, and a change
 * is sent to the guest as a CTL_NOTIFY event (mask VALUE).
 *
 * Return: 1 when the value changed, 0 when it was the same, -ENOENT for a bad id, -EINVAL
 * for a value out of range or of the wrong size, or the backend's error.
 */
int vsnd_card_ctl_set(struct vsnd_card *card, uint32_t control,
		      const struct vsnd_ctl_values *value);

/**
 * vsnd_card_ctl_get() - a control's current value
 * @card: the card
 * @control: control id
 * @value: filled with a view of the value, valid until it changes
 *
 * Return: 0, or -ENOENT for a bad id.
 */
int vsnd_card_ctl_get(const struct vsnd_card *card, uint32_t control,
		      struct vsnd_ctl_values *value);

/* ------------------------------------------------------------------------------------------
 * Shared between the card's modules
 * ------------------------------------------------------------------------------------------ */

/**
 * vsnd_card_enter() / vsnd_card_leave() - bracket an entry point into the card
 *
 * Work that must not run nested (queue notifications, a held reply, serving the control
 * queue again, delivering events) is recorded and done when the outermost entry point
 * leaves.
 */
void vsnd_card_enter(struct vsnd_card *card);
void vsnd_card_leave(struct vsnd_card *card);

/**
 * vsnd_card_queue() - the device side of started queue @idx, or NULL
 */
struct vring *vsnd_card_queue(struct vsnd_card *card, unsigned int idx);

/**
 * vsnd_card_pushed() - record that queue @idx has new used buffers to notify
 */
void vsnd_card_pushed(struct vsnd_card *card, unsigned int idx);

/**
 * vsnd_card_fail() - the guest broke the queue rules: drop the connection
 */
void vsnd_card_fail(struct vsnd_card *card, const char *why);

/**
 * vsnd_event_post() - queue an event for the driver
 * @card: the card
 * @code: VIRTIO_SND_EVT_*
 * @data: the event's data word (jack or stream id; for CTL_NOTIFY control_id | mask << 16)
 *
 * An event equal to one still waiting is not queued twice. It is delivered when the
 * outermost entry point leaves, if the event queue has a buffer.
 */
void vsnd_event_post(struct vsnd_card *card, uint32_t code, uint32_t data);

/**
 * vsnd_event_flush() - write waiting events into the event queue's buffers
 */
void vsnd_event_flush(struct vsnd_card *card);

/**
 * vsnd_pcm_msg_serve() - take every I/O message waiting on tx/rx queue @idx
 */
void vsnd_pcm_msg_serve(struct vsnd_card *card, unsigned int idx);

/**
 * vsnd_pcm_msg_pool_init() - allocate messages for queue @idx (size @num)
 *
 * Return: 0 or -ENOMEM.
 */
int vsnd_pcm_msg_pool_init(struct vsnd_card *card, unsigned int idx, unsigned int num);

/**
 * vsnd_pcm_msg_cancel() - cancel every message of tx/rx queue @idx and free its pool
 */
void vsnd_pcm_msg_cancel(struct vsnd_card *card, unsigned int idx);

/**
 * vsnd_ctlq_serve() - answer the control queue's requests until it is empty or a reply is
 * held
 */
void vsnd_ctlq_serve(struct vsnd_card *card);

/**
 * vsnd_ctl_held_done() - the stream a held reply waits for has no I/O left: answer it
 */
void vsnd_ctl_held_done(struct vsnd_card *card);

/**
 * vsnd_sof_set() - the extension was acknowledged (@on) or not (a reset, new features)
 * @card: the card
 * @on: the new state
 *
 * Its streams' I/O is cancelled and the backend's sof_enable op told (which ends a
 * session).
 *
 * Return: 0, or the backend's error.
 */
int vsnd_sof_set(struct vsnd_card *card, bool on);

/**
 * vsnd_sof_ipc() - answer the extension's control request (docs/protocol.md 4.2)
 * @card: the card
 * @req: the request ({le32 code; IPC3 message})
 * @req_len: its readable bytes
 * @resp: the response ({le32 status; reply}); the status is written by the caller
 * @resp_len: its writable bytes
 * @len: receives the reply's length after the status
 *
 * Return: 0 (S_OK); -EOPNOTSUPP without the extension; -EBADMSG for bad framing; -EIO when
 * the backend failed.
 */
int vsnd_sof_ipc(struct vsnd_card *card, const uint8_t *req, size_t req_len, uint8_t *resp,
		 size_t resp_len, size_t *len);

/**
 * vsnd_io_streams() / vsnd_io_stream() / vsnd_io_dir() - the streams tx/rx messages name:
 * the card's, or with the extension its VSND_SOF_STREAMS streams
 */
uint32_t vsnd_io_streams(const struct vsnd_card *card);
struct vsnd_stream *vsnd_io_stream(struct vsnd_card *card, uint32_t id);
uint8_t vsnd_io_dir(const struct vsnd_card *card, uint32_t id);

/**
 * vsnd_jack_pin_config() - the HDA pin default configuration and capabilities of jack
 * number @index of direction @direction (jack.c)
 */
void vsnd_jack_pin_config(uint8_t direction, uint32_t index, uint32_t *defconf,
			  uint32_t *caps);

/**
 * vsnd_pcm_state_name() - "NONE", "SET_PARAMS", ... for log messages
 */
const char *vsnd_pcm_state_name(enum vsnd_pcm_state state);

/**
 * vsnd_ctl_init_values() - set every control of a new card to its initial value
 *
 * Return: 0 or -ENOMEM.
 */
int vsnd_ctl_init_values(struct vsnd_card *card);

/**
 * vsnd_ctl_free_values() - free what vsnd_ctl_init_values() allocated
 */
void vsnd_ctl_free_values(struct vsnd_card *card);

#endif /* VADSP_SND_CARD_H */
