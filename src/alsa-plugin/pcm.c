// SPDX-License-Identifier: MIT
/*
 * The ALSA side of the plugin: libasound's ioplug callbacks and the PCM definition
 * ("type vadsp"; see vplug.h and docs/endpoints.md).
 *
 * The application writes (reads) through the transfer callback into (out of) the staging
 * ring, a buffer of buffer_size frames at the same offsets as libasound's. Playback hands
 * the staged frames to the device a period at a time, each message ending on a period
 * boundary of the ring (a shorter one when draining, or when the device would otherwise have
 * nothing to play); capture keeps messages with the device for the free part of the ring
 * and copies each completed one to where the hardware pointer is.
 *
 * The hardware pointer counts frames of completed messages from prepare, reported up to the
 * boundary (SND_PCM_IOPLUG_FLAG_BOUNDARY_WA), so that a whole buffer completing between two
 * looks is counted. An xrun is what ALSA calls one: avail at the stop threshold while
 * running. Waiting is poll() on the call eventfd of the stream's queue (armed each time the
 * pointer is read) and on the vhost-user socket, whose hang-up is reported as POLLERR.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "alsa-plugin/vplug.h"
#include "util/compiler.h"
#include "vhost-user/frontend.h"

/* Poll descriptors: the ring's completions, the event queue, the stall watchdog, the socket
 * (a hang-up; last). */
#define VPLUG_POLL_FDS		4
#define VPLUG_POLL_SOCKET	3

int vplug_give_back(struct vguest_io *ring)
{
	struct vguest_io_done done;

	while (vguest_io_in_flight(ring)) {
		int ret = vguest_io_reap(ring, &done, VPLUG_GIVE_BACK_MS);

		if (ret < 0)
			return ret;
		if (ret == 0)
			return -ETIMEDOUT;
	}
	return 0;
}

static struct vplug *vplug_of(snd_pcm_ioplug_t *io)
{
	return io->private_data;
}

static int64_t vplug_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Frames the device still holds ahead of the listener: the latency_bytes of the last
 * completion, less the time since it came (the device plays them at the stream's rate).
 */
static snd_pcm_uframes_t vplug_latency_left(const struct vplug *p)
{
	int64_t frames, gone;

	if (!p->frame_bytes || !p->latency_bytes)
		return 0;
	frames = p->latency_bytes / p->frame_bytes;
	gone = (vplug_now_ns() - p->latency_at_ns) * (int64_t)p->hw.rate / 1000000000;
	return frames > gone ? (snd_pcm_uframes_t)(frames - gone) : 0;
}

/* Forget the messages in flight: the mode took them back (stop) or never had any. */
static void vplug_idle(struct vplug *p)
{
	p->msg_head = 0;
	p->in_flight = 0;
	p->started = false;
	p->starved = false;
	p->recheck_ns = 0;
	p->recoveries = 0;
}

/* From prepare on: pointers at 0, nothing staged. */
static void vplug_reset(struct vplug *p)
{
	vplug_idle(p);
	p->hw_pos = 0;
	p->sent = 0;
	p->latency_bytes = 0;
}

/* --- moving audio */

static int vplug_submit(struct vplug *p, const void *data, snd_pcm_uframes_t frames)
{
	int ret = vguest_io_submit(p->ring, data, (uint32_t)(frames * p->frame_bytes));

	if (ret < 0)
		return ret;
	p->msg_frames[(p->msg_head + p->in_flight) % p->hw.periods] = (uint32_t)frames;
	p->in_flight++;
	p->sent += frames;
	return 0;
}

/*
 * Frames from @pos to the end of its piece of the ring: the ring is cut into periods from
 * its start, the last piece shorter when the buffer is not whole periods (libasound's
 * refinement of an ioplug PCM does not always keep it so). A message is at most a piece.
 */
static snd_pcm_uframes_t vplug_piece_left(const struct vplug *p, uint64_t pos)
{
	snd_pcm_uframes_t at = pos % p->buffer_frames;
	snd_pcm_uframes_t end = (at / p->period_frames + 1) * p->period_frames;

	return VADSP_MIN(end, p->buffer_frames) - at;
}

/*
 * Playback: hand the device what the application wrote up to @appl: whole pieces, and
 * less only when @flush, when draining, or when the device runs with nothing else to play.
 */
static int vplug_play_fill(struct vplug *p, uint64_t appl, bool flush)
{
	while (p->in_flight < p->hw.periods && appl > p->sent) {
		snd_pcm_uframes_t room = vplug_piece_left(p, p->sent);
		snd_pcm_uframes_t n = VADSP_MIN((snd_pcm_uframes_t)(appl - p->sent), room);
		int ret;

		if (n < room && !flush && p->io.state != SND_PCM_STATE_DRAINING &&
		    !(p->started && p->in_flight == 0))
			break;
		ret = vplug_submit(p, p->buf + (p->sent % p->buffer_frames) * p->frame_bytes, n);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Capture: keep the device filling messages for the free part of the ring. */
static int vplug_capture_fill(struct vplug *p, uint64_t appl)
{
	while (p->in_flight < p->hw.periods && p->sent >= appl &&
	       p->sent - appl + vplug_piece_left(p, p->sent) <= p->buffer_frames) {
		int ret = vplug_submit(p, NULL, vplug_piece_left(p, p->sent));

		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Capture: @frames frames of @data go to the ring at the hardware pointer. */
static void vplug_capture_store(struct vplug *p, const uint8_t *data, snd_pcm_uframes_t frames)
{
	snd_pcm_uframes_t at = p->hw_pos % p->buffer_frames;
	snd_pcm_uframes_t first = VADSP_MIN(frames, p->buffer_frames - at);

	memcpy(p->buf + at * p->frame_bytes, data, first * p->frame_bytes);
	memcpy(p->buf, data + first * p->frame_bytes, (frames - first) * p->frame_bytes);
}

/* Take every completed message. Return 0, or -EPIPE for a message the device failed. */
static int vplug_reap(struct vplug *p)
{
	struct vguest_io_done done;

	while (p->in_flight && vguest_io_reap(p->ring, &done, 0) == 1) {
		snd_pcm_uframes_t frames = p->msg_frames[p->msg_head];

		p->msg_head = (p->msg_head + 1) % p->hw.periods;
		p->in_flight--;
		if (done.status != VIRTIO_SND_S_OK) {
			SNDERR("vadsp: the device completed a message with status 0x%04x",
			       done.status);
			return -EPIPE;
		}
		p->latency_bytes = done.latency_bytes;
		p->latency_at_ns = vplug_now_ns();
		p->progress_ns = p->latency_at_ns;
		p->starved = p->started && p->in_flight == 0;
		p->recheck_ns = 0;
		p->recoveries = 0;
		if (!p->playback) {
			snd_pcm_uframes_t got = VADSP_MIN(done.bytes / p->frame_bytes, frames);

			vplug_capture_store(p, done.data, got);
			p->sent -= frames - got;
			frames = got;
		}
		p->hw_pos += frames;
	}
	return 0;
}

/*
 * The stall watchdog: while the device holds messages of a running stream, the timer
 * fires VPLUG_STALL_MS (at least twice the buffer) after its last completion, so that a
 * device that stopped completing wakes the application's poll() with an xrun.
 */
static int64_t vplug_stall_ns(const struct vplug *p)
{
	int64_t buffer_ns = (int64_t)p->buffer_frames * 1000000000 / (p->hw.rate ? p->hw.rate : 1);

	return VADSP_MAX((int64_t)VPLUG_STALL_MS * 1000000, 2 * buffer_ns);
}

static void vplug_watchdog(struct vplug *p)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	int64_t due = 0;

	if (p->started && p->in_flight && p->io.state == SND_PCM_STATE_RUNNING) {
		due = p->progress_ns + vplug_stall_ns(p);
		if (p->recheck_ns && p->recheck_ns < due)
			due = p->recheck_ns;
	}
	if (due == p->timer_due)
		return;
	if (due) {
		its.it_value.tv_sec = (time_t)(due / 1000000000);
		its.it_value.tv_nsec = (long)(due % 1000000000);
	}
	timerfd_settime(p->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
	p->timer_due = due;
}

/* The device completed nothing for the watchdog's time while holding our messages. */
static bool vplug_stalled(const struct vplug *p)
{
	return p->started && p->in_flight && vplug_now_ns() - p->progress_ns >= vplug_stall_ns(p);
}

/*
 * Start a stream the device's xrun stopped again (the device's own xrun: ours were still
 * queued). The xrun may go on and stop it once more without a new report: until the next
 * completion it is looked at again every two periods (and 10 ms), at most
 * VPLUG_RECOVERIES times, after which it is the application's xrun.
 */
static void vplug_recover(struct vplug *p)
{
	int64_t period_ns = (int64_t)p->period_frames * 1000000000 / (p->hw.rate ? p->hw.rate : 1);

	if (!p->ops->recover || p->recoveries >= VPLUG_RECOVERIES || p->ops->recover(p) < 0) {
		p->device_xrun = true;
		p->recheck_ns = 0;
		return;
	}
	p->recoveries++;
	p->recheck_ns = vplug_now_ns() + 2 * period_ns + 10000000;
}

/*
 * Bring the pointer up to date with the device and keep it fed (the application's pointer
 * is @appl), then arm the poll descriptor. Return 0; -EPIPE when the device failed a
 * message (an xrun: prepare recovers); or -errno of the connection, which stays.
 */
static int vplug_update(struct vplug *p, uint64_t appl, bool flush)
{
	if (p->error)
		return p->error;
	if (!p->ring)
		return 0;
	for (unsigned int round = 0; round < 64; round++) {
		/* Completions first, then events. An xrun the device reports is the
		 * application's when the device's last completion left it nothing of ours (it
		 * starved, or had no message to fill). Reported while it still holds our messages
		 * (its own hand-over was late: at a start, or on a loaded host), it is the
		 * device's: it plays on, or, if the xrun stopped its stream, is started again with
		 * our messages kept. */
		int ret = vplug_reap(p), ev, armed;

		if (ret < 0)
			return ret;	/* -EPIPE: a message the device failed */
		ev = p->ops->events(p);
		if (ev > 0 && p->starved)
			p->device_xrun = true;
		else if (ev == VPLUG_XRUN_STOPPED && p->io.state == SND_PCM_STATE_RUNNING)
			vplug_recover(p);
		else if (p->recheck_ns && vplug_now_ns() >= p->recheck_ns &&
			 p->io.state == SND_PCM_STATE_RUNNING)
			vplug_recover(p);	/* nothing completed since: it stopped again */
		ret = ev < 0 ? ev : p->playback ? vplug_play_fill(p, appl, flush) :
						  vplug_capture_fill(p, appl);
		vplug_watchdog(p);
		/* Both descriptors armed: completions, and events (an xrun completes nothing). */
		if (ret >= 0)
			ret = vguest_io_arm(p->ring);
		if (ret >= 0) {
			armed = vu_front_queue_wait(vguest_front(p->g), VSND_VQ_EVENT, 0);
			ret = armed < 0 ? armed : ret | armed;
		}
		if (ret < 0) {
			SNDERR("vadsp: the connection to the device failed: %s", strerror(-ret));
			p->error = ret == -ECONNRESET ? -ENODEV : ret;
			return p->error;
		}
		if (ret == 0)
			break;
	}
	return 0;
}

/* Frames the application may write (playback) or read (capture). */
static int64_t vplug_avail(const struct vplug *p, uint64_t appl)
{
	if (p->playback)
		return (int64_t)p->buffer_frames - (int64_t)(appl - p->hw_pos);
	return (int64_t)(p->hw_pos - appl);
}

/* --- ioplug callbacks */

static snd_pcm_sframes_t vplug_pointer(snd_pcm_ioplug_t *io)
{
	struct vplug *p = vplug_of(io);
	int ret = vplug_update(p, io->appl_ptr, false);

	if (ret < 0)
		return ret;
	/* An xrun: avail at the stop threshold while running, and (playback) nothing left in
	 * the device either: while the latency it reported with the last completion has not
	 * played out, it still has audio (a device that completes messages as it takes them
	 * into a buffer of its own is not starved when they have all completed). */
	if (io->state == SND_PCM_STATE_RUNNING &&
	    vplug_avail(p, io->appl_ptr) >= (int64_t)p->stop_threshold &&
	    (!p->playback || vplug_latency_left(p) == 0))
		return -EPIPE;
	/* An xrun the device reported (PCM_XRUN, STREAM_TRIG_XRUN): the stream may not move
	 * again until it is restarted, as a virtual machine's driver does (prepare). */
	if (io->state == SND_PCM_STATE_RUNNING && p->device_xrun)
		return -EPIPE;
	if (io->state == SND_PCM_STATE_RUNNING && vplug_stalled(p)) {
		SNDERR("vadsp: the device completed nothing for %lld ms: an xrun",
		       (long long)(vplug_stall_ns(p) / 1000000));
		return -EPIPE;
	}
	return (snd_pcm_sframes_t)(p->hw_pos % p->boundary);
}

static snd_pcm_sframes_t vplug_transfer(snd_pcm_ioplug_t *io,
					const snd_pcm_channel_area_t *areas,
					snd_pcm_uframes_t offset, snd_pcm_uframes_t size)
{
	struct vplug *p = vplug_of(io);
	snd_pcm_channel_area_t ring[VPLUG_MAX_CHANNELS];
	unsigned int bits = snd_pcm_format_physical_width(io->format);
	snd_pcm_uframes_t done = 0;
	int ret;

	if (p->error)
		return p->error;
	if (io->channels > VPLUG_MAX_CHANNELS || size > p->buffer_frames)
		return -EINVAL;
	for (unsigned int c = 0; c < io->channels; c++)
		ring[c] = (snd_pcm_channel_area_t){ p->buf, c * bits, io->channels * bits };
	/* @offset is in the application's areas; the ring is at the application pointer, and
	 * a transfer may wrap at its end. */
	while (done < size) {
		snd_pcm_uframes_t at = (io->appl_ptr + done) % p->buffer_frames;
		snd_pcm_uframes_t n = VADSP_MIN(size - done, p->buffer_frames - at);

		if (p->playback)
			snd_pcm_areas_copy(ring, at, areas, offset + done, io->channels, n,
					   io->format);
		else
			snd_pcm_areas_copy(areas, offset + done, ring, at, io->channels, n,
					   io->format);
		done += n;
	}
	ret = vplug_update(p, io->appl_ptr + size, false);
	return ret < 0 ? ret : (snd_pcm_sframes_t)size;
}

static int vplug_start(snd_pcm_ioplug_t *io)
{
	struct vplug *p = vplug_of(io);
	int ret;

	if (p->error)
		return p->error;
	if (!p->ring)
		return -EBADFD;
	/* Whatever is staged goes first, even less than a period: the device starts on it. */
	ret = vplug_update(p, io->appl_ptr, true);
	if (ret < 0)
		return ret;
	ret = p->ops->start(p);
	if (ret < 0) {
		SNDERR("vadsp: the device refused to start the stream: %s", strerror(-ret));
		return ret;
	}
	p->started = true;
	p->progress_ns = vplug_now_ns();
	return vplug_update(p, io->appl_ptr, false);
}

static int vplug_pause(snd_pcm_ioplug_t *io, int enable)
{
	struct vplug *p = vplug_of(io);
	int ret;

	if (p->error)
		return p->error;
	if (!p->ring || !p->started)
		return -EBADFD;
	ret = p->ops->pause(p, enable != 0);
	if (ret < 0) {
		SNDERR("vadsp: the device refused to %s the stream: %s",
		       enable ? "pause" : "resume", strerror(-ret));
		return ret;
	}
	/* While paused nothing plays: what the device held at the pause counts down from the
	 * resume. */
	if (enable)
		p->latency_bytes = (uint32_t)(vplug_latency_left(p) * p->frame_bytes);
	p->latency_at_ns = vplug_now_ns();
	p->progress_ns = p->latency_at_ns;
	return vplug_update(p, io->appl_ptr, false);
}

static int vplug_stop(snd_pcm_ioplug_t *io)
{
	struct vplug *p = vplug_of(io);
	int ret = 0;

	if (p->ring) {
		ret = p->ops->stop(p);
		p->ring = NULL;
	}
	vplug_idle(p);
	vplug_watchdog(p);
	return p->error ? p->error : ret;
}

static int vplug_prepare(snd_pcm_ioplug_t *io)
{
	struct vplug *p = vplug_of(io);
	snd_pcm_sw_params_t *sw;
	int ret;

	if (p->error)
		return p->error;
	snd_pcm_sw_params_alloca(&sw);
	if (snd_pcm_sw_params_current(io->pcm, sw) == 0) {
		snd_pcm_sw_params_get_avail_min(sw, &p->avail_min);
		snd_pcm_sw_params_get_stop_threshold(sw, &p->stop_threshold);
		snd_pcm_sw_params_get_boundary(sw, &p->boundary);
	}
	vplug_reset(p);
	ret = p->ops->prepare(p, &p->ring);
	/* Events from before (an xrun of the last run) are not this run's. */
	if (ret == 0)
		ret = p->ops->events(p) < 0 ? -ENODEV : 0;
	p->device_xrun = false;
	vplug_watchdog(p);
	if (ret < 0) {
		p->ring = NULL;
		return ret;
	}
	/* Capture messages may wait in PREPARE: the device fills them from start. */
	return vplug_update(p, 0, false);
}

static int vplug_poll_descriptors(snd_pcm_ioplug_t *io, struct pollfd *pfd,
				  unsigned int space);

static int vplug_drain(snd_pcm_ioplug_t *io)
{
	struct vplug *p = vplug_of(io);

	if (!p->playback)
		return 0;
	for (;;) {
		struct pollfd pfd[VPLUG_POLL_FDS];
		int ret = vplug_update(p, io->appl_ptr, false);

		if (ret < 0)
			return ret;
		if (!p->started && p->in_flight) {
			ret = p->ops->start(p);
			if (ret < 0)
				return ret;
			p->started = true;
			p->progress_ns = vplug_now_ns();
			continue;
		}
		if (p->in_flight == 0 && p->hw_pos >= io->appl_ptr) {
			/* Everything completed: what the device still holds plays out too. */
			snd_pcm_uframes_t left = vplug_latency_left(p);
			struct timespec ts = {
				.tv_sec = (time_t)(left / p->hw.rate),
				.tv_nsec = (long)(left % p->hw.rate * 1000000000ull / p->hw.rate),
			};

			if (left && !io->nonblock)
				nanosleep(&ts, NULL);
			return 0;
		}
		if (p->device_xrun) {
			/* It stalled with audio still queued: what is left will not play. */
			SNDERR("vadsp: the device reported an xrun while draining");
			return -EPIPE;
		}
		if (vplug_stalled(p)) {
			SNDERR("vadsp: the device completed nothing for %lld ms while draining",
			       (long long)(vplug_stall_ns(p) / 1000000));
			return -EIO;
		}
		if (io->nonblock)
			return -EAGAIN;
		vplug_poll_descriptors(io, pfd, VPLUG_POLL_FDS);
		ret = poll(pfd, VPLUG_POLL_FDS, VPLUG_STALL_MS);
		if (ret < 0 && errno != EINTR)
			return -errno;
		if (ret == 0) {
			SNDERR("vadsp: the device completed nothing for %d ms while draining",
			       VPLUG_STALL_MS);
			return -EIO;
		}
		if (ret > 0 && pfd[VPLUG_POLL_SOCKET].revents) {
			SNDERR("vadsp: the device is gone");
			p->error = -ENODEV;
			return p->error;
		}
	}
}

static int vplug_hw_params(snd_pcm_ioplug_t *io, snd_pcm_hw_params_t *params)
{
	struct vplug *p = vplug_of(io);
	struct vplug_hw hw;
	snd_pcm_uframes_t b;
	int bits = snd_pcm_format_physical_width(io->format), ret;

	(void)params;
	if (p->error)
		return p->error;
	/* A buffer that is not whole periods is used whole; the device is told the whole
	 * periods in it (its last piece is a shorter message). */
	if (bits <= 0 || bits % 8 || !io->period_size || io->buffer_size < io->period_size)
		return -EINVAL;
	hw = (struct vplug_hw){
		.format = io->format,
		.rate = io->rate,
		.channels = io->channels,
		.period_bytes = (uint32_t)(io->period_size * io->channels * (unsigned int)bits / 8),
		.periods = (unsigned int)(io->buffer_size / io->period_size),
	};
	if (p->ring) {
		p->ops->stop(p);
		p->ring = NULL;
	}
	vplug_reset(p);
	ret = p->ops->hw_params(p, &hw);
	if (ret < 0)
		return ret;
	free(p->buf);
	free(p->msg_frames);
	p->hw = hw;
	p->frame_bytes = io->channels * (unsigned int)bits / 8;
	p->period_frames = io->period_size;
	p->buffer_frames = io->buffer_size;
	p->buf = calloc(p->buffer_frames, p->frame_bytes);
	p->msg_frames = calloc(hw.periods, sizeof(*p->msg_frames));
	if (!p->buf || !p->msg_frames)
		return -ENOMEM;
	/* libasound's defaults, until sw_params says otherwise. */
	p->avail_min = p->period_frames;
	p->stop_threshold = p->buffer_frames;
	for (b = p->buffer_frames; b * 2 <= (snd_pcm_uframes_t)LONG_MAX - p->buffer_frames;)
		b *= 2;
	p->boundary = b;
	return 0;
}

static int vplug_sw_params(snd_pcm_ioplug_t *io, snd_pcm_sw_params_t *params)
{
	struct vplug *p = vplug_of(io);

	snd_pcm_sw_params_get_avail_min(params, &p->avail_min);
	snd_pcm_sw_params_get_stop_threshold(params, &p->stop_threshold);
	snd_pcm_sw_params_get_boundary(params, &p->boundary);
	if (!p->avail_min)
		p->avail_min = 1;
	return 0;
}

static int vplug_hw_free(snd_pcm_ioplug_t *io)
{
	struct vplug *p = vplug_of(io);
	int ret = p->ops->hw_free(p);

	p->ring = NULL;
	vplug_idle(p);
	free(p->buf);
	free(p->msg_frames);
	p->buf = NULL;
	p->msg_frames = NULL;
	return ret;
}

static int vplug_delay(snd_pcm_ioplug_t *io, snd_pcm_sframes_t *delay)
{
	struct vplug *p = vplug_of(io);
	int ret = vplug_update(p, io->appl_ptr, false);
	int64_t queued;

	if (ret < 0)
		return ret;
	queued = p->playback ? (int64_t)(io->appl_ptr - p->hw_pos) :
			       (int64_t)(p->hw_pos - io->appl_ptr);
	*delay = (snd_pcm_sframes_t)queued + (snd_pcm_sframes_t)vplug_latency_left(p);
	return 0;
}

static int vplug_poll_descriptors_count(snd_pcm_ioplug_t *io)
{
	(void)io;
	return VPLUG_POLL_FDS;
}

static int vplug_poll_descriptors(snd_pcm_ioplug_t *io, struct pollfd *pfd, unsigned int space)
{
	struct vplug *p = vplug_of(io);

	if (space < VPLUG_POLL_FDS)
		return -EINVAL;
	/* Before prepare there is no ring: only events and the socket can wake. */
	pfd[0] = (struct pollfd){ p->ring ? vguest_io_poll_fd(p->ring) : -1, POLLIN, 0 };
	pfd[1] = (struct pollfd){ vu_front_queue_call_fd(vguest_front(p->g), VSND_VQ_EVENT),
				  POLLIN, 0 };
	pfd[2] = (struct pollfd){ p->timer_fd, POLLIN, 0 };
	pfd[VPLUG_POLL_SOCKET] = (struct pollfd){ vu_front_fd(vguest_front(p->g)), POLLIN, 0 };
	return VPLUG_POLL_FDS;
}

static int vplug_poll_revents(snd_pcm_ioplug_t *io, struct pollfd *pfd, unsigned int nfds,
			      unsigned short *revents)
{
	struct vplug *p = vplug_of(io);
	snd_pcm_sframes_t avail;

	if (nfds < VPLUG_POLL_FDS)
		return -EINVAL;
	*revents = 0;
	if (pfd[VPLUG_POLL_SOCKET].revents) {
		if (!p->error)
			SNDERR("vadsp: the device is gone");
		p->error = -ENODEV;
		*revents = POLLERR;
		return 0;
	}
	if (pfd[2].revents) {
		uint64_t ticks;

		/* The watchdog fired: the pointer callback judges it. */
		if (read(p->timer_fd, &ticks, sizeof(ticks)) < 0)
			ticks = 0;
		p->timer_due = 0;
	}
	/* Reaps, refills and arms the descriptor again (the pointer callback). */
	avail = snd_pcm_avail_update(io->pcm);
	if (avail < 0)
		*revents = POLLERR;
	else if ((snd_pcm_uframes_t)avail >= p->avail_min ||
		 io->state == SND_PCM_STATE_SETUP || io->state == SND_PCM_STATE_XRUN)
		*revents = p->playback ? POLLOUT : POLLIN;
	return 0;
}

/* The stream's one channel map, fixed, for its channel count. */
static snd_pcm_chmap_query_t **vplug_query_chmaps(snd_pcm_ioplug_t *io)
{
	struct vplug *p = vplug_of(io);
	snd_pcm_chmap_query_t **maps;

	if (!p->chmap_channels)
		return NULL;
	maps = calloc(2, sizeof(*maps));
	if (!maps)
		return NULL;
	maps[0] = calloc(1, sizeof(**maps) + p->chmap_channels * sizeof(unsigned int));
	if (!maps[0]) {
		free(maps);
		return NULL;
	}
	maps[0]->type = SND_CHMAP_TYPE_FIXED;
	maps[0]->map.channels = p->chmap_channels;
	for (unsigned int i = 0; i < p->chmap_channels; i++)
		maps[0]->map.pos[i] = p->chmap[i];
	return maps;
}

static snd_pcm_chmap_t *vplug_get_chmap(snd_pcm_ioplug_t *io)
{
	struct vplug *p = vplug_of(io);
	snd_pcm_chmap_t *map;

	if (!p->chmap_channels || io->channels != p->chmap_channels)
		return NULL;
	map = calloc(1, sizeof(*map) + p->chmap_channels * sizeof(unsigned int));
	if (!map)
		return NULL;
	map->channels = p->chmap_channels;
	for (unsigned int i = 0; i < p->chmap_channels; i++)
		map->pos[i] = p->chmap[i];
	return map;
}

static int vplug_close(snd_pcm_ioplug_t *io)
{
	struct vplug *p = vplug_of(io);

	p->ops->close(p);
	close(p->timer_fd);
	free(p->buf);
	free(p->msg_frames);
	free(p);
	return 0;
}

static void vplug_dump(snd_pcm_ioplug_t *io, snd_output_t *out)
{
	struct vplug *p = vplug_of(io);

	snd_output_printf(out, "vadsp PCM (%s mode)\n", p->ops->name);
	if (io->state != SND_PCM_STATE_OPEN) {
		snd_output_printf(out, "Its setup is:\n");
		snd_pcm_dump_setup(io->pcm, out);
	}
}

static const snd_pcm_ioplug_callback_t vplug_callbacks = {
	.start = vplug_start,
	.stop = vplug_stop,
	.pointer = vplug_pointer,
	.transfer = vplug_transfer,
	.close = vplug_close,
	.hw_params = vplug_hw_params,
	.hw_free = vplug_hw_free,
	.sw_params = vplug_sw_params,
	.prepare = vplug_prepare,
	.drain = vplug_drain,
	.pause = vplug_pause,
	.poll_descriptors_count = vplug_poll_descriptors_count,
	.poll_descriptors = vplug_poll_descriptors,
	.poll_revents = vplug_poll_revents,
	.dump = vplug_dump,
	.delay = vplug_delay,
	.query_chmaps = vplug_query_chmaps,
	.get_chmap = vplug_get_chmap,
};

/* --- constraints and the PCM definition */

static unsigned int vplug_pick(long configured, unsigned int mode, unsigned int def)
{
	return configured > 0 ? (unsigned int)configured : mode ? mode : def;
}

static int vplug_constrain(struct vplug *p, const struct vplug_config *cfg,
			   const struct vplug_caps *caps)
{
	/* mmap access: alsa-lib keeps a buffer of its own and hands each commit to transfer. */
	unsigned int access[] = { SND_PCM_ACCESS_RW_INTERLEAVED, SND_PCM_ACCESS_MMAP_INTERLEAVED };
	unsigned int formats[VPLUG_MAX_FORMATS], periods[VPLUG_PERIODS_LIMIT];
	unsigned int pmin = vplug_pick(cfg->period_bytes_min, caps->period_bytes_min,
				       VPLUG_DEF_PERIOD_BYTES_MIN);
	unsigned int pmax = vplug_pick(cfg->period_bytes_max, caps->period_bytes_max,
				       VPLUG_DEF_PERIOD_BYTES_MAX);
	unsigned int bmax = vplug_pick(cfg->buffer_bytes_max, caps->buffer_bytes_max,
				       VPLUG_DEF_BUFFER_BYTES_MAX);
	unsigned int nmin = VADSP_MAX(caps->periods_min, 2u);
	unsigned int nmax = vplug_pick(cfg->periods_max, caps->periods_max,
				       VPLUG_DEF_PERIODS_MAX);
	int ret;

	if (!caps->num_formats || !caps->num_rates || !caps->channels_min ||
	    caps->channels_min > caps->channels_max) {
		SNDERR("vadsp: the stream offers no format, rate or channel count ALSA can use");
		return -ENODEV;
	}
	nmax = VADSP_MIN(nmax, VPLUG_PERIODS_LIMIT);
	bmax = VADSP_MIN(bmax, VPLUG_BUFFER_LIMIT);
	pmax = VADSP_MIN(pmax, bmax / nmin);
	if (!pmin || pmin > pmax || nmin > nmax || (uint64_t)pmin * nmin > bmax) {
		SNDERR("vadsp: no period and buffer size fits (periods %u-%u bytes, %u-%u per "
		       "buffer of at most %u bytes)", pmin, pmax, nmin, nmax, bmax);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < caps->num_formats; i++)
		formats[i] = (unsigned int)caps->formats[i];
	ret = snd_pcm_ioplug_set_param_list(&p->io, SND_PCM_IOPLUG_HW_ACCESS,
					    VADSP_ARRAY_SIZE(access), access);
	if (ret == 0)
		ret = snd_pcm_ioplug_set_param_list(&p->io, SND_PCM_IOPLUG_HW_FORMAT,
						    caps->num_formats, formats);
	if (ret == 0)
		ret = snd_pcm_ioplug_set_param_list(&p->io, SND_PCM_IOPLUG_HW_RATE,
						    caps->num_rates, caps->rates);
	if (ret == 0)
		ret = snd_pcm_ioplug_set_param_minmax(&p->io, SND_PCM_IOPLUG_HW_CHANNELS,
						      caps->channels_min,
						      VADSP_MIN(caps->channels_max,
								VPLUG_MAX_CHANNELS));
	if (ret == 0)
		ret = snd_pcm_ioplug_set_param_minmax(&p->io, SND_PCM_IOPLUG_HW_PERIOD_BYTES,
						      pmin, pmax);
	/* A list, so that periods are whole: the buffer is whole periods (messages never
	 * straddle its end), which a range alone does not keep libasound's refinement to. */
	for (unsigned int n = nmin; ret == 0 && n <= nmax; n++)
		periods[n - nmin] = n;
	if (ret == 0)
		ret = snd_pcm_ioplug_set_param_list(&p->io, SND_PCM_IOPLUG_HW_PERIODS,
						    nmax - nmin + 1, periods);
	if (ret == 0)
		ret = snd_pcm_ioplug_set_param_minmax(&p->io, SND_PCM_IOPLUG_HW_BUFFER_BYTES,
						      pmin * nmin, bmax);
	return ret;
}

static int vplug_parse(snd_config_t *conf, struct vplug_config *cfg)
{
	snd_config_iterator_t i, next;

	*cfg = (struct vplug_config){ .stream = -1 };
	snd_config_for_each(i, next, conf) {
		snd_config_t *n = snd_config_iterator_entry(i);
		const char *id;
		int ret;

		if (snd_config_get_id(n, &id) < 0)
			continue;
		if (!strcmp(id, "comment") || !strcmp(id, "type") || !strcmp(id, "hint"))
			continue;
		if (!strcmp(id, "socket")) {
			if (snd_config_get_string(n, &cfg->socket) < 0) {
				SNDERR("vadsp: socket must be a string (the guest socket's path)");
				return -EINVAL;
			}
			continue;
		}
		if (!strcmp(id, "stream")) {
			if (snd_config_get_integer(n, &cfg->stream) < 0 || cfg->stream < -1 ||
			    cfg->stream > 4095) {
				SNDERR("vadsp: stream must be an integer from -1 to 4095");
				return -EINVAL;
			}
			continue;
		}
		if (!strcmp(id, "period_bytes_min") || !strcmp(id, "period_bytes_max") ||
		    !strcmp(id, "buffer_bytes_max") || !strcmp(id, "periods_max")) {
			long v;

			if (snd_config_get_integer(n, &v) < 0 || v < 0 || v > VPLUG_BUFFER_LIMIT) {
				SNDERR("vadsp: %s must be an integer from 0 to %u", id,
				       VPLUG_BUFFER_LIMIT);
				return -EINVAL;
			}
			if (!strcmp(id, "period_bytes_min"))
				cfg->period_bytes_min = v;
			else if (!strcmp(id, "period_bytes_max"))
				cfg->period_bytes_max = v;
			else if (!strcmp(id, "buffer_bytes_max"))
				cfg->buffer_bytes_max = v;
			else
				cfg->periods_max = v;
			continue;
		}
		if (!strcmp(id, "sof")) {
			ret = snd_config_get_bool(n);
			if (ret < 0) {
				SNDERR("vadsp: sof must be a boolean (yes/no)");
				return -EINVAL;
			}
			cfg->sof = ret;
			continue;
		}
		SNDERR("vadsp: unknown field %s", id);
		return -EINVAL;
	}
	if (!cfg->socket || !*cfg->socket) {
		SNDERR("vadsp: no socket given (the vadspd guest socket to connect to)");
		return -EINVAL;
	}
	return 0;
}

/* libasound looks the entry point up by name: declared here for -Wmissing-prototypes. */
int SND_PCM_PLUGIN_ENTRY(vadsp)(snd_pcm_t **pcmp, const char *name, snd_config_t *root,
				snd_config_t *conf, snd_pcm_stream_t stream, int mode);

SND_PCM_PLUGIN_DEFINE_FUNC(vadsp)
{
	struct vplug_config cfg;
	struct vplug_caps caps = { 0 };
	struct vplug *p;
	int ret;

	(void)root;
	ret = vplug_parse(conf, &cfg);
	if (ret < 0)
		return ret;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->playback = stream == SND_PCM_STREAM_PLAYBACK;
	p->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (p->timer_fd < 0) {
		ret = -errno;
		free(p);
		return ret;
	}
	p->ops = cfg.sof ? &vplug_mode_sof : &vplug_mode_plain;
	ret = p->ops->open(p, &cfg, &caps);
	if (ret < 0) {
		close(p->timer_fd);
		free(p);
		return ret;
	}
	p->io.version = SND_PCM_IOPLUG_VERSION;
	p->io.name = cfg.sof ? "vadsp (SOF IPC3 guest)" : "vadsp (virtio-snd guest)";
	p->io.flags = SND_PCM_IOPLUG_FLAG_BOUNDARY_WA | SND_PCM_IOPLUG_FLAG_MONOTONIC;
	p->io.poll_fd = -1;
	p->io.mmap_rw = 0;
	p->io.callback = &vplug_callbacks;
	p->io.private_data = p;
	ret = snd_pcm_ioplug_create(&p->io, name, stream, mode);
	if (ret < 0) {
		p->ops->close(p);
		close(p->timer_fd);
		free(p);
		return ret;
	}
	/* From here on snd_pcm_close() frees @p through vplug_close(). */
	p->chmap_channels = caps.chmap_channels;
	memcpy(p->chmap, caps.chmap, sizeof(p->chmap));
	ret = vplug_constrain(p, &cfg, &caps);
	if (ret < 0) {
		snd_pcm_ioplug_delete(&p->io);
		return ret;
	}
	*pcmp = p->io.pcm;
	return 0;
}

SND_PCM_PLUGIN_SYMBOL(vadsp);
