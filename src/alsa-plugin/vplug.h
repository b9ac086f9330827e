/* SPDX-License-Identifier: MIT */
/*
 * The ALSA PCM plugin "vadsp" (libasound_module_pcm_vadsp.so): an ioplug PCM whose audio
 * goes to a vadspd guest socket through a process guest (src/guest), so that any ALSA
 * program can play and record through vadspd.
 *
 * pcm.c holds what ALSA sees: hw constraints, the application's buffer (a copy of it, the
 * "staging ring"), the pointer, poll descriptors, delay, drain. It moves audio through one
 * struct vguest_io (period-sized I/O messages) and leaves the stream's control requests to
 * a mode (struct vplug_mode_ops):
 * - plain (mode-plain.c): a stock virtio-snd driver: SET_PARAMS, PREPARE, START, STOP,
 *   RELEASE on one of the device's streams;
 * - sof (mode-sof.c): the DSP-aware guest of docs/protocol.md section 4 (guest/sof.h): the
 *   guest topology loaded over IPC3, PCM_PARAMS, triggers and PCM_FREE on one of its PCMs.
 *
 * Timing is the device's: the hardware pointer advances when the device completes an I/O
 * message (playback: consumed by the DSP; capture: filled), the poll descriptor is the
 * queue's call eventfd, and delay adds the latency_bytes of the last completion.
 */
#ifndef VADSP_ALSA_PLUGIN_VPLUG_H
#define VADSP_ALSA_PLUGIN_VPLUG_H

#include <stdbool.h>
#include <stdint.h>

#include <alsa/asoundlib.h>
#include <alsa/pcm_external.h>

#include "guest/guest.h"

/* Most rates and formats a stream offers (virtio-snd has 16 rates and 25 formats). */
#define VPLUG_MAX_RATES		32u
#define VPLUG_MAX_FORMATS	32u
/* Most channels of a frame (virtio-snd counts them in a byte). */
#define VPLUG_MAX_CHANNELS	255u

/* Periods per buffer: at most a third of the guest's queue (three descriptors each). */
#define VPLUG_QUEUE_SIZE	256u
#define VPLUG_PERIODS_LIMIT	(VPLUG_QUEUE_SIZE / 3u)
#define VPLUG_BUFFER_LIMIT	(4u << 20)

/*
 * Period and buffer limits the plain device does not tell (virtio-snd's PCM_INFO has none;
 * vadspd takes them from the topology's PCM capabilities): by default those of the
 * project's topologies, else the PCM definition's period_bytes_min, period_bytes_max,
 * buffer_bytes_max, periods_max.
 */
#define VPLUG_DEF_PERIOD_BYTES_MIN	192u
#define VPLUG_DEF_PERIOD_BYTES_MAX	16384u
#define VPLUG_DEF_BUFFER_BYTES_MAX	65536u
#define VPLUG_DEF_PERIODS_MAX		16u

/* Shortest time without a completion that is a stall (the watchdog: at least twice the
 * buffer); longest for the device to give back messages after RELEASE or PCM_FREE. */
#define VPLUG_STALL_MS		5000
/* Recoveries of a stream the device's own xruns stopped, between two completions. */
#define VPLUG_RECOVERIES	4
#define VPLUG_GIVE_BACK_MS	1000

/**
 * struct vplug_config - the PCM definition's fields
 * @socket: the vhost-user socket of a vadspd guest
 * @stream: plain: the virtio-snd stream id; sof: the index of the topology PCM; -1: the
 *          first one that has the PCM's direction
 * @sof: use the SOF IPC3 extension (the DSP-aware guest) instead of the plain device
 * @period_bytes_min: the limits of struct vplug_caps, when the definition gives them (0:
 * @period_bytes_max:  the mode's own)
 * @buffer_bytes_max:
 * @periods_max:
 */
struct vplug_config {
	const char *socket;
	long stream;
	bool sof;
	long period_bytes_min;
	long period_bytes_max;
	long buffer_bytes_max;
	long periods_max;
};

/**
 * struct vplug_caps - what the stream takes, as the mode found it
 * @formats: ALSA formats
 * @rates: frames per second, ascending
 * @channels_min: fewest channels
 * @channels_max: most channels
 * @period_bytes_min: smallest period (0: VPLUG_DEF_PERIOD_BYTES_MIN)
 * @period_bytes_max: largest period (0: VPLUG_DEF_PERIOD_BYTES_MAX)
 * @buffer_bytes_max: largest buffer (0: VPLUG_DEF_BUFFER_BYTES_MAX)
 * @periods_min: fewest periods per buffer (0: 2)
 * @periods_max: most periods per buffer (0: VPLUG_DEF_PERIODS_MAX)
 * @chmap_channels: channels of the stream's channel map (0: it has none)
 * @chmap: its positions (SND_CHMAP_*, which virtio-snd's VIRTIO_SND_CHMAP_* mirror)
 */
struct vplug_caps {
	snd_pcm_format_t formats[VPLUG_MAX_FORMATS];
	unsigned int num_formats;
	unsigned int rates[VPLUG_MAX_RATES];
	unsigned int num_rates;
	unsigned int channels_min;
	unsigned int channels_max;
	unsigned int period_bytes_min;
	unsigned int period_bytes_max;
	unsigned int buffer_bytes_max;
	unsigned int periods_min;
	unsigned int periods_max;
	unsigned int chmap_channels;
	uint8_t chmap[VIRTIO_SND_CHMAP_MAX_SIZE];
};

/**
 * struct vplug_hw - what the application chose (hw_params)
 * @period_bytes: audio bytes of each I/O message
 * @periods: messages per buffer
 */
struct vplug_hw {
	snd_pcm_format_t format;
	unsigned int rate;
	unsigned int channels;
	uint32_t period_bytes;
	unsigned int periods;
};

struct vplug;

/* An xrun the device reported: the stream goes on (a glitch), or it stopped (it moves only
 * once restarted). */
#define VPLUG_XRUN_GLITCH	1
#define VPLUG_XRUN_STOPPED	2

/**
 * struct vplug_mode_ops - how a mode drives the device's stream
 * @name: for messages
 * @open: connect to @cfg->socket, find the stream, fill @caps (the mode's state goes in
 *        p->mode); on failure the mode has freed what it made
 * @close: stop and free everything (the connection too)
 * @hw_params: check (and, where the mode can, tell the device) the application's choice;
 *             the stream ends up idle
 * @prepare: bring the stream to prepared with no message in flight; *@ring receives the
 *           I/O ring to use (the same as before, or a new one: the old one is then gone)
 * @start: start the stream
 * @pause: pause (@enable) or resume the stream; its messages stay with the device
 * @stop: stop the stream and take back every message in flight (the ring may be closed:
 *        prepare gives one again)
 * @hw_free: as @stop, and forget the application's choice
 * @events: take the events waiting on the event queue without waiting; return
 *          VPLUG_XRUN_GLITCH or VPLUG_XRUN_STOPPED when one reported an xrun of the
 *          stream, else 0, or -errno
 * @recover: start a stream an xrun stopped again, its messages kept (NULL: the mode's
 *           streams never stop on an xrun)
 */
struct vplug_mode_ops {
	const char *name;
	int (*open)(struct vplug *p, const struct vplug_config *cfg, struct vplug_caps *caps);
	void (*close)(struct vplug *p);
	int (*hw_params)(struct vplug *p, const struct vplug_hw *hw);
	int (*prepare)(struct vplug *p, struct vguest_io **ring);
	int (*start)(struct vplug *p);
	int (*pause)(struct vplug *p, bool enable);
	int (*stop)(struct vplug *p);
	int (*hw_free)(struct vplug *p);
	int (*events)(struct vplug *p);
	int (*recover)(struct vplug *p);
};

extern const struct vplug_mode_ops vplug_mode_plain;
extern const struct vplug_mode_ops vplug_mode_sof;

/**
 * struct vplug - one open PCM
 * @io: libasound's part (first: the callbacks get it)
 * @ops: the mode
 * @mode: the mode's state
 * @g: the process guest (the mode connects it)
 * @ring: the I/O messages, from @ops->prepare (NULL until then and after @ops->stop)
 * @playback: the PCM's direction
 * @hw: the application's choice
 * @frame_bytes: bytes per frame
 * @period_frames: frames per period (and per full message)
 * @buffer_frames: frames of the application's buffer (@hw.periods periods)
 * @buf: the staging ring, @buffer_frames frames: the application's buffer
 * @msg_frames: frames of each message in flight, in ring order from @msg_head
 * @msg_head: the oldest message in flight
 * @in_flight: messages with the device
 * @hw_pos: frames completed since prepare (the hardware pointer, not wrapped)
 * @sent: playback: frames handed to the device; capture: @hw_pos plus the frames asked of
 *        the device in messages still in flight
 * @latency_bytes: latency_bytes of the last completion
 * @latency_at_ns: when it came (CLOCK_MONOTONIC)
 * @started: the device's stream runs
 * @device_xrun: the device reported an xrun since prepare (an ALSA xrun while running)
 * @starved: the last completion left the device no message of ours
 * @progress_ns: the last completion, start or resume (CLOCK_MONOTONIC)
 * @timer_fd: the stall watchdog (a timerfd, one of the poll descriptors)
 * @timer_due: when it is set to fire (0: disarmed)
 * @recheck_ns: after a recovery, when to look whether the stream moves again (0: none)
 * @recoveries: recoveries since the last completion
 * @error: a failure of the connection or the device: every later call fails with it
 * @avail_min: sw_params: poll wakes the application at this many frames available
 * @stop_threshold: sw_params: an xrun is this many frames available while running
 * @boundary: sw_params: where the pointers wrap
 * @chmap_channels: the stream's channel map (struct vplug_caps), for the chmap callbacks
 * @chmap: its positions
 */
struct vplug {
	snd_pcm_ioplug_t io;
	const struct vplug_mode_ops *ops;
	void *mode;
	struct vguest *g;
	struct vguest_io *ring;
	bool playback;
	struct vplug_hw hw;
	uint32_t frame_bytes;
	snd_pcm_uframes_t period_frames;
	snd_pcm_uframes_t buffer_frames;
	uint8_t *buf;
	uint32_t *msg_frames;
	unsigned int msg_head;
	unsigned int in_flight;
	uint64_t hw_pos;
	uint64_t sent;
	uint32_t latency_bytes;
	int64_t latency_at_ns;
	bool started;
	bool device_xrun;
	bool starved;
	int64_t progress_ns;
	int timer_fd;
	int64_t timer_due;
	int64_t recheck_ns;
	unsigned int recoveries;
	int error;
	snd_pcm_uframes_t avail_min;
	snd_pcm_uframes_t stop_threshold;
	snd_pcm_uframes_t boundary;
	unsigned int chmap_channels;
	uint8_t chmap[VIRTIO_SND_CHMAP_MAX_SIZE];
};

/**
 * vplug_give_back() - reap every message of @ring still in flight (after RELEASE or
 * PCM_FREE, which return them all), waiting at most VPLUG_GIVE_BACK_MS for each
 *
 * Return: 0 once none is in flight, -ETIMEDOUT, or -errno of the transport.
 */
int vplug_give_back(struct vguest_io *ring);

#endif /* VADSP_ALSA_PLUGIN_VPLUG_H */
