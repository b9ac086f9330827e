// SPDX-License-Identifier: MIT
/*
 * The DSP stream backend: a guest's streams played into / recorded from the shared host
 * engine (backend-dsp.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "daemon/backend-dsp.h"
#include "daemon/sof-guest.h"
#include "dsp/kernels/level.h"
#include "ipc/ipc3-check.h"
#include "snd/card.h"
#include "snd/virtio-snd.h"
#include "tplg/ipc-gen.h"
#include "util/le.h"
#include "util/log.h"
#include "util/ringbuf.h"
#include "util/time.h"
#include "vhost-user/backend.h"

#define LOG			"dsp-backend"
#define DSPB_RING_MSGS		4096u	/* I/O messages held per stream, at most (more: IO_ERR) */
#define DSPB_HOST_PERIODS	4u	/* host ring: engine periods */
#define DSPB_PENDING		64u	/* playback messages in the host ring at once, at most */
/* The last message of a stream, held back (dspb_hold()): */
#define DSPB_HOLD_TICK_NS	2000000ll	/* looked at every 2 ms */
#define DSPB_HOLD_GRACE_NS	20000000ll	/* 20 ms after the driver took every other */
#define DSPB_HOLD_NOIDX_NS	50000000ll	/* 50 ms without EVENT_IDX */
#define DSPB_HOLD_MAX_NS	1000000000ll	/* 1 s at most */

/* A message given back by the data thread. */
struct dspb_done {
	struct vsnd_pcm_io *io;
	uint32_t latency_bytes;
	bool played;			/* played or recorded, not given back unplayed */
};

/* The completion rings hold a power of two of bytes (util/ringbuf.h). */
_Static_assert((sizeof(struct dspb_done) & (sizeof(struct dspb_done) - 1)) == 0,
	       "struct dspb_done must be a power of two of bytes");

/* A playback message all in the host ring, given back once the engine consumed @end. */
struct dspb_pending {
	struct vsnd_pcm_io *io;
	uint64_t end;
};

struct dspb_stream {
	struct dspb *b;
	uint32_t idx;
	bool playback;
	int host_id;			/* engine id of the guest's host component; <0: none */
	bool has_params;
	bool prepared;
	bool paused;			/* loop: STOP paused it, the next START releases it */
	struct vsnd_pcm_params params;
	uint32_t frame_fmt;		/* enum ipc3_frame_fmt */
	uint32_t ring_bytes;		/* host ring size */
	struct dsp_level level;		/* data thread: the audio crossing the ring edge */
	/* data thread only, changed by commands */
	bool running;
	struct vsnd_pcm_io *cur;
	uint64_t written;		/* playback: frames put in the host ring since START */
	struct dspb_pending pend[DSPB_PENDING];	/* playback: in the ring, not yet consumed */
	uint32_t pend_head, pend_count;
	struct hostdsp_hook hook;
	bool hooked;
	uint64_t xruns_seen;		/* data: the engine's xrun count last looked at */
	bool xrun_armed;		/* data: the next xrun is reported */
	_Atomic uint32_t xrun_posted;	/* data -> loop: xruns reported */
	uint32_t xrun_taken;		/* loop: of those, passed to the device */
	/* loop -> data: struct vsnd_pcm_io pointers */
	struct vadsp_ringbuf in;
	uint8_t *in_mem;
	uint32_t held;			/* loop: messages submitted and not given back */
	struct dspb_done deferred;	/* loop: the last completion, held back (io NULL: none) */
	int64_t defer_ns;		/* loop: when it was held back */
	int64_t caught_up_ns;		/* loop: since when the driver took every other (0: not) */
	uint16_t hold_mark;		/* loop: the queue's used index when it was held back */
	uint32_t last_latency;		/* loop: latency_bytes of the last completion */
	uint32_t max_latency;		/* loop: the largest since prepare */
	uint64_t completed;		/* loop: messages given back */
	/* data -> loop: struct dspb_done */
	struct vadsp_ringbuf out;
	uint8_t *out_mem;
	/* SOF IPC3 extension streams (the end of this file) */
	bool ext;
	uint32_t trig;			/* the last trigger that succeeded (IPC3 cmd), 0: none */
	uint32_t posn_bytes;		/* position notification period, bytes (0: none) */
	uint64_t posn_next;		/* data: host bytes at which the next one is due */
	struct vadsp_ringbuf notes;	/* data -> loop: struct dspb_note */
	uint8_t *notes_mem;
};

struct dspb {
	struct vsnd_card *card;
	const struct vsnd_card_desc *desc;
	const struct vu_watch_ops *watch;
	void *loop;
	struct vadspd_dsp_guest *dg;
	struct hostdsp_guest *g;
	int slot;
	int done_fd;
	int hold_fd;			/* timerfd: looks at held-back completions */
	bool hold_watched;
	uint32_t holding;		/* streams with one held back */
	uint32_t num_streams;
	struct dspb_stream *streams;
	bool sof_mode;			/* the extension was acknowledged: streams are @ext */
	struct sof_guest *sof;		/* its session, from the guest's first IPC on */
	struct dspb_stream ext[VADSP_VFE_MAX_STREAMS];
};

static bool dspb_ext_notes(struct dsp_engine *e, struct dspb_stream *s, bool xrun);
static void dspb_drain_ext(struct dspb *b);
static void dspb_ext_give_back(struct dspb_stream *s);

/* ---------------------------------------------------------------------------------------- */
/* Data thread                                                                               */

static void dspb_give(struct dspb_stream *s, struct vsnd_pcm_io *io, uint32_t latency,
		      bool played)
{
	struct dspb_done d = {
		.io = io, .latency_bytes = latency, .played = played,
	};

	/* The ring holds more entries than messages can be held (io_submit): never full. */
	vadsp_ringbuf_write(&s->out, &d, sizeof(d));
}

/* A message given back unplayed (flushed). */
static void dspb_complete(struct dspb_stream *s, struct vsnd_pcm_io *io, uint32_t latency)
{
	dspb_give(s, io, latency, false);
}

/* A message taken from the loop: the guest is feeding again, the next xrun is reported. */
static bool dspb_take(struct dspb_stream *s)
{
	if (vadsp_ringbuf_read(&s->in, &s->cur, sizeof(s->cur)) < 0) {
		s->cur = NULL;
		return false;
	}
	s->xrun_armed = true;
	return true;
}

/*
 * A virtio-snd stream plays on through an xrun, as its guest expects: Linux's virtio_snd
 * cannot restart a stream the device stopped (it waits for completions, then fails with
 * EIO). The engine stops a pipeline at an xrun (SOF's STOP action within the topology's
 * limit), so the stream is paused and released at once, which lifts the stop and keeps its
 * positions, ring and buffers. A DSP-aware guest (SOF extension) restarts its own streams.
 */
static void dspb_xrun_resume(struct dsp_engine *e, struct dspb_stream *s)
{
	if (s->ext)
		return;
	if (dsp_trigger(e, (uint32_t)s->host_id, DSP_TRIGGER_PAUSE) == 0)
		dsp_trigger(e, (uint32_t)s->host_id, DSP_TRIGGER_RELEASE);
}

/* Report a new engine xrun of @s (once until the next message); true when reported. */
static bool dspb_check_xrun(struct dsp_engine *e, struct dspb_stream *s)
{
	struct dsp_stream_posn posn;

	if (dsp_stream_position(e, (uint32_t)s->host_id, &posn) < 0 ||
	    posn.xruns == s->xruns_seen)
		return false;
	s->xruns_seen = posn.xruns;
	dspb_xrun_resume(e, s);
	if (!s->xrun_armed)
		return false;
	s->xrun_armed = false;
	atomic_fetch_add_explicit(&s->xrun_posted, 1, memory_order_release);
	return true;
}

/* Copy up to @frames frames of @io (from io->done) into the host ring. */
static uint32_t dspb_feed_one(struct dsp_engine *e, struct dspb_stream *s, struct vsnd_pcm_io *io,
			      uint32_t frames)
{
	uint32_t fb = s->params.frame_bytes, moved = 0, skip = io->done;
	uint8_t frame[64];

	for (unsigned int i = 0; i < io->nseg && moved < frames; i++) {
		const uint8_t *p = io->seg[i].iov_base;
		size_t len = io->seg[i].iov_len;

		if (skip >= len) {
			skip -= (uint32_t)len;
			continue;
		}
		p += skip;
		len -= skip;
		skip = 0;
		while (len >= fb && moved < frames) {
			uint32_t n = (uint32_t)VADSP_MIN(len / fb, (size_t)(frames - moved));
			int w = dsp_host_write(e, (uint32_t)s->host_id, p, n);

			if (w <= 0)
				return moved;
			dsp_level_feed(&s->level, p, (uint32_t)w);
			moved += (uint32_t)w;
			io->done += (uint32_t)w * fb;
			p += (size_t)w * fb;
			len -= (size_t)w * fb;
		}
		if (len && moved < frames && len < fb && fb <= sizeof(frame) &&
		    i + 1 < io->nseg) {
			/* A frame split across two segments goes through @frame. */
			uint32_t first = (uint32_t)len, rest = fb - first, got = 0;

			memcpy(frame, p, first);
			for (unsigned int j = i + 1; j < io->nseg && got < rest; j++) {
				uint32_t c = (uint32_t)VADSP_MIN(io->seg[j].iov_len,
								 (size_t)(rest - got));

				memcpy(frame + first + got, io->seg[j].iov_base, c);
				got += c;
			}
			if (got == rest && dsp_host_write(e, (uint32_t)s->host_id, frame, 1) == 1) {
				dsp_level_feed(&s->level, frame, 1);
				moved++;
				io->done += fb;
				/* continue from the next segment with the consumed bytes skipped */
				return moved + dspb_feed_one(e, s, io, frames - moved);
			}
			return moved;
		}
	}
	return moved;
}

/* Tell the loop thread there are completions or xruns to pass on. */
static void dspb_signal(struct dspb_stream *s)
{
	uint64_t v = 1;

	if (write(s->b->done_fd, &v, sizeof(v)) < 0)
		s->running = s->running;	/* nothing to do: the loop polls anyway */
}

/*
 * Before a tick: copy what the guest has queued into the host ring, as far as it has room,
 * so that a message that came in just before the tick is played in it.
 */
static void dspb_play_before(void *opaque, struct dsp_engine *e)
{
	struct dspb_stream *s = opaque;
	int avail;

	if (!s->running)
		return;
	avail = dsp_host_avail(e, (uint32_t)s->host_id);
	while (avail > 0 && s->pend_count < DSPB_PENDING) {
		uint32_t n;

		if (!s->cur && !dspb_take(s))
			break;
		n = dspb_feed_one(e, s, s->cur, (uint32_t)avail);
		avail -= (int)n;
		s->written += n;
		if (s->cur->done >= s->cur->bytes) {
			struct dspb_pending *p = &s->pend[(s->pend_head + s->pend_count++) %
							  DSPB_PENDING];

			p->io = s->cur;
			p->end = s->written;
			s->cur = NULL;
		} else if (!n) {
			break;
		}
	}
}

/*
 * Right after a tick: give back the messages it took the last of, and report its xrun, so
 * that the guest has them a whole tick earlier than the next tick would tell it.
 */
static void dspb_play_after(void *opaque, struct dsp_engine *e)
{
	struct dspb_stream *s = opaque;
	uint32_t fb = s->params.frame_bytes;
	struct dsp_stream_posn posn;
	bool signal = false, xrun;

	if (!s->running)
		return;
	/* Give back the messages the engine has consumed in full, before the xrun that may have
	 * followed them in the same tick (a padded last period) is posted: dspb_drain(). */
	if (s->pend_count && dsp_stream_position(e, (uint32_t)s->host_id, &posn) == 0) {
		int64_t dl = hostdsp_run_delay_frames(s->b->dg->run);

		while (s->pend_count && s->pend[s->pend_head].end <= posn.host_frames) {
			/* Still ahead of the listener: what the ring holds, and the endpoint. */
			uint64_t lat = (s->written - posn.host_frames) * fb +
				       (uint64_t)(dl > 0 ? dl : 0) * fb;

			dspb_give(s, s->pend[s->pend_head].io,
				  (uint32_t)VADSP_MIN(lat, (uint64_t)UINT32_MAX), true);
			s->pend_head = (s->pend_head + 1) % DSPB_PENDING;
			s->pend_count--;
			signal = true;
		}
	}
	xrun = dspb_check_xrun(e, s);
	if (s->ext)
		xrun = dspb_ext_notes(e, s, xrun);
	if (signal || xrun)
		dspb_signal(s);
}

/* Right after a tick: fill the guest's messages with what it recorded. */
static void dspb_capture_after(void *opaque, struct dsp_engine *e)
{
	struct dspb_stream *s = opaque;
	uint32_t fb = s->params.frame_bytes;
	bool signal = false;
	int ready;

	if (!s->running)
		return;
	signal = dspb_check_xrun(e, s);
	if (s->ext)
		signal = dspb_ext_notes(e, s, signal);
	ready = dsp_host_avail(e, (uint32_t)s->host_id);
	while (ready > 0) {
		struct vsnd_pcm_io *io;

		if (!s->cur && !dspb_take(s))
			break;
		io = s->cur;
		/* Segments hold whole frames for capture in practice; a split frame ends it. */
		for (unsigned int i = 0, skip = io->done; i < io->nseg && ready > 0; i++) {
			size_t len = io->seg[i].iov_len;
			uint32_t n;
			int r;

			if (skip >= len) {
				skip -= (uint32_t)len;
				continue;
			}
			n = (uint32_t)VADSP_MIN((len - skip) / fb, (size_t)ready);
			if (!n) {
				io->done = io->bytes;	/* cannot fill a split frame: end here */
				break;
			}
			r = dsp_host_read(e, (uint32_t)s->host_id,
					  (uint8_t *)io->seg[i].iov_base + skip, n);
			if (r <= 0) {
				ready = 0;
				break;
			}
			dsp_level_feed(&s->level, (uint8_t *)io->seg[i].iov_base + skip,
				       (uint32_t)r);
			io->done += (uint32_t)r * fb;
			ready -= r;
			skip = 0;
		}
		if (io->done >= io->bytes) {
			int64_t dl = hostdsp_run_delay_frames(s->b->dg->run);

			dspb_give(s, io, (uint32_t)((dl > 0 ? (uint64_t)dl : 0) * fb), true);
			s->cur = NULL;
			signal = true;
		}
	}
	if (signal)
		dspb_signal(s);
}

/* The data thread's work for @s around each tick. */
static void dspb_hook_init(struct dspb_stream *s)
{
	s->hook.before = s->playback ? dspb_play_before : NULL;
	s->hook.after = s->playback ? dspb_play_after : dspb_capture_after;
	s->hook.opaque = s;
}

/* ---------------------------------------------------------------------------------------- */
/* Commands (run on the data thread between ticks)                                           */

struct dspb_cmd {
	struct dspb_stream *s;
	uint32_t what;			/* IPC3 command */
};

static int dspb_ipc(struct dspb_stream *s, const struct ipc3_msg *m)
{
	uint8_t buf[IPC3_MSG_MAX_SIZE], reply[IPC3_MSG_MAX_SIZE];
	int n = ipc3_encode(m, buf, sizeof(buf));

	if (n < 0)
		return n;
	return hostdsp_guest_ipc(s->b->g, buf, (size_t)n, reply, sizeof(reply));
}

static int dspb_cmd_run(void *arg)
{
	struct dspb_cmd *c = arg;
	struct dspb_stream *s = c->s;
	struct ipc3_msg m = { .cmd = c->what };
	struct dsp_stream_posn posn;
	int ret;

	if (c->what == IPC3_STREAM_PCM_PARAMS) {
		struct ipc3_msg_pcm_params *p = &m.u.pcm;
		uint32_t sample = s->params.frame_bytes / s->params.channels;

		p->comp_id = (uint32_t)s->host_id;
		p->direction = s->playback ? IPC3_STREAM_PLAYBACK : IPC3_STREAM_CAPTURE;
		p->frame_fmt = s->frame_fmt;
		p->rate = s->params.rate_hz;
		p->channels = s->params.channels;
		p->sample_container_bytes = (uint16_t)sample;
		p->sample_valid_bytes = (uint16_t)(s->frame_fmt == IPC3_FRAME_S24_4LE ? 3 : sample);
		p->host_period_bytes = s->ring_bytes / DSPB_HOST_PERIODS;
		p->buffer_size = s->ring_bytes;
		p->buffer_pages = (s->ring_bytes + 4095) / 4096;
		dsp_level_init(&s->level, s->frame_fmt, s->params.channels, s->params.rate_hz);
		s->xruns_seen = 0;	/* params reset the engine's count */
		return dspb_ipc(s, &m);
	}
	m.u.id = (uint32_t)s->host_id;
	ret = dspb_ipc(s, &m);
	if (c->what == IPC3_STREAM_TRIG_START && !ret) {
		/* START resets the positions; messages STOP dropped from the ring go back now. */
		s->written = 0;
		for (uint32_t i = 0; i < s->pend_count; i++) {
			struct dspb_pending *p = &s->pend[(s->pend_head + i) % DSPB_PENDING];

			p->end = 0;
		}
	}
	if ((c->what == IPC3_STREAM_TRIG_START || c->what == IPC3_STREAM_TRIG_RELEASE) && !ret) {
		/* RELEASE goes on from where PAUSE left: positions, ring and messages kept. */
		s->running = true;
		/* Xruns before this START are not this run's; the first of this run is reported. */
		if (dsp_stream_position(hostdsp_engine(hostdsp_run_dsp(s->b->dg->run)),
					(uint32_t)s->host_id, &posn) == 0)
			s->xruns_seen = posn.xruns;
		s->xrun_armed = true;
	}
	if (c->what == IPC3_STREAM_TRIG_STOP || c->what == IPC3_STREAM_TRIG_PAUSE ||
	    c->what == IPC3_STREAM_PCM_FREE)
		s->running = false;
	return ret;
}

static int dspb_cmd(struct dspb_stream *s, uint32_t what)
{
	struct dspb_cmd c = { s, what };

	return hostdsp_run_call(s->b->dg->run, dspb_cmd_run, &c);
}

/* Take every message the data thread holds for @s back into the out ring. */
static int dspb_cmd_flush(void *arg)
{
	struct dspb_stream *s = arg;
	struct vsnd_pcm_io *io;

	s->running = false;
	for (; s->pend_count; s->pend_count--) {
		dspb_complete(s, s->pend[s->pend_head].io, 0);
		s->pend_head = (s->pend_head + 1) % DSPB_PENDING;
	}
	if (s->cur) {
		dspb_complete(s, s->cur, 0);
		s->cur = NULL;
	}
	while (vadsp_ringbuf_read(&s->in, &io, sizeof(io)) == sizeof(io))
		dspb_complete(s, io, 0);
	return 0;
}

static int dspb_cmd_attach(void *arg)
{
	struct dspb *b = arg;

	return hostdsp_guest_attach(hostdsp_run_dsp(b->dg->run), b->dg->topology,
				    (uint32_t)b->slot, &b->g);
}

static int dspb_cmd_detach(void *arg)
{
	struct dspb *b = arg;
	int ret = hostdsp_guest_detach(b->g);

	b->g = NULL;
	return ret;
}

/* ---------------------------------------------------------------------------------------- */
/* Loop thread                                                                               */

static void dspb_hold_timer(struct dspb *b, bool on)
{
	struct itimerspec its = { 0 };

	if (on) {
		its.it_value.tv_nsec = DSPB_HOLD_TICK_NS;
		its.it_interval.tv_nsec = DSPB_HOLD_TICK_NS;
	}
	if (timerfd_settime(b->hold_fd, 0, &its, NULL) < 0)
		vadsp_warn(LOG, "hold timer: %s", strerror(errno));
}

/* Hand a completion to the device. */
static void dspb_done(struct dspb *b, struct dspb_stream *s, const struct dspb_done *d)
{
	if (d->latency_bytes) {
		s->last_latency = d->latency_bytes;
		s->max_latency = VADSP_MAX(s->max_latency, d->latency_bytes);
		s->completed++;
	}
	vsnd_pcm_io_done(b->card, d->io, 0, s->playback ? 0 : d->io->done, d->latency_bytes);
}

/* Report xruns the data thread posted (@xruns, read by the caller) not reported yet. */
static void dspb_report_xruns(struct dspb *b, struct dspb_stream *s, uint32_t xruns)
{
	if (xruns != s->xrun_taken) {
		s->xrun_taken = xruns;
		vsnd_pcm_xrun(b->card, s->idx);
	}
}

/* The queue @s's messages travel on (NULL while it is stopped). */
static struct vring *dspb_queue(struct dspb *b, const struct dspb_stream *s)
{
	return vsnd_card_queue(b->card, s->playback ? VSND_VQ_TX : VSND_VQ_RX);
}

/*
 * Whether @d, just given back by the data thread, is held back instead of completed.
 *
 * Linux's virtio_snd (6.x) keeps its position modulo the buffer and measures progress as
 * the difference between two readings of it (snd_pcm_indirect), taken when its work item or
 * the application looks. When every message it queued completes between two readings (a
 * guest that did not run for a buffer time: a TCG guest at 1 ms periods, a host under load),
 * a whole buffer reads as no progress: it believes the device still holds a buffer, queues
 * nothing more, and ALSA fails the stream with EIO 100 ms later. So the completion that
 * leaves the device with nothing of a stream, played (or recorded) on time, is held back
 * until the driver queues another message, or, with EVENT_IDX, until the driver has taken
 * every earlier completion (its used_event caught up: it read them) and DSPB_HOLD_GRACE_NS
 * more have passed for it to look at its position; without EVENT_IDX DSPB_HOLD_NOIDX_NS;
 * DSPB_HOLD_MAX_NS at most. An xrun met meanwhile is reported after it; RELEASE and a
 * cancel complete it at once. A DSP-aware guest counts positions itself: never held.
 */
static bool dspb_hold(struct dspb *b, struct dspb_stream *s, const struct dspb_done *d)
{
	struct vring *vq;

	if (s->ext || !d->played || s->held || s->deferred.io)
		return false;
	/* The earlier completions, this stream's and the others' on its queue, are before it. */
	vq = dspb_queue(b, s);
	s->hold_mark = vq ? vq->used_idx : 0;
	s->deferred = *d;
	s->defer_ns = (int64_t)vadsp_now_ns();
	s->caught_up_ns = 0;
	if (!b->holding++)
		dspb_hold_timer(b, true);
	return true;
}

/* Complete the held-back message of @s, then report the xruns that waited for it. */
static void dspb_unhold(struct dspb *b, struct dspb_stream *s)
{
	struct dspb_done d = s->deferred;

	if (!d.io)
		return;
	s->deferred.io = NULL;
	if (!--b->holding)
		dspb_hold_timer(b, false);
	dspb_done(b, s, &d);
	dspb_report_xruns(b, s, atomic_load_explicit(&s->xrun_posted, memory_order_acquire));
}

static void dspb_on_hold(void *data, int fd, uint32_t events)
{
	struct dspb *b = data;
	int64_t now = (int64_t)vadsp_now_ns();
	uint64_t v;

	(void)events;
	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		vadsp_warn(LOG, "hold timer: %s", strerror(errno));
	for (uint32_t i = 0; i < b->num_streams && b->holding; i++) {
		struct dspb_stream *s = &b->streams[i];
		struct vring *vq;
		int up;

		if (!s->deferred.io)
			continue;
		vq = dspb_queue(b, s);
		up = vq ? vring_dev_driver_caught_up(vq, s->hold_mark) : -ENODEV;
		if (up == 1 && !s->caught_up_ns)
			s->caught_up_ns = now;
		else if (up == 0)
			s->caught_up_ns = 0;
		if (now - s->defer_ns >= DSPB_HOLD_MAX_NS ||
		    (up == 1 && now - s->caught_up_ns >= DSPB_HOLD_GRACE_NS) ||
		    (up < 0 && now - s->defer_ns >= DSPB_HOLD_NOIDX_NS))
			dspb_unhold(b, s);
	}
}

static void dspb_drain(struct dspb *b)
{
	for (uint32_t i = 0; i < b->num_streams; i++) {
		struct dspb_stream *s = &b->streams[i];
		struct dspb_done d;
		uint32_t xruns;

		/* Read before the completions: the data thread gives back what it played before
		 * it reports the xrun that follows, so those are all completed first. */
		xruns = atomic_load_explicit(&s->xrun_posted, memory_order_acquire);
		while (vadsp_ringbuf_read(&s->out, &d, sizeof(d)) == sizeof(d)) {
			s->held--;
			if (!dspb_hold(b, s, &d))
				dspb_done(b, s, &d);
		}
		/* An xrun met while the last message is held back is reported after it. */
		if (!s->deferred.io)
			dspb_report_xruns(b, s, xruns);
	}
}

static void dspb_on_done(void *data, int fd, uint32_t events)
{
	struct dspb *b = data;
	uint64_t v;

	(void)events;
	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		vadsp_warn(LOG, "completion eventfd: %s", strerror(errno));
	dspb_drain(b);
	dspb_drain_ext(b);
}

static int dspb_slot_get(struct vadspd_dsp_guest *dg)
{
	for (uint32_t i = 0; i < HOSTDSP_MAX_SLOTS; i++)
		if (!dg->slots[i]) {
			dg->slots[i] = true;
			return (int)i;
		}
	return -EBUSY;
}

static void dspb_close(struct vsnd_backend *vb);

static int dspb_open(struct vsnd_backend **out, const struct vsnd_backend_config *cfg)
{
	struct dspb *b = calloc(1, sizeof(*b));
	int ret;

	if (!b)
		return -ENOMEM;
	b->card = cfg->card;
	b->desc = cfg->desc;
	b->watch = cfg->watch;
	b->loop = cfg->loop;
	b->dg = cfg->data;
	b->done_fd = -1;
	b->hold_fd = -1;
	b->slot = -1;
	if (!b->dg || !b->dg->run || !b->watch) {
		free(b);
		return -EINVAL;
	}
	b->num_streams = cfg->desc->num_streams;
	b->streams = calloc(b->num_streams ? b->num_streams : 1, sizeof(*b->streams));
	b->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	b->hold_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (!b->streams || b->done_fd < 0 || b->hold_fd < 0) {
		ret = -ENOMEM;
		goto fail;
	}
	for (uint32_t i = 0; i < b->num_streams; i++) {
		struct dspb_stream *s = &b->streams[i];

		s->b = b;
		s->idx = i;
		s->playback = cfg->desc->streams[i].direction == VIRTIO_SND_D_OUTPUT;
		s->host_id = -1;
		s->in_mem = malloc(DSPB_RING_MSGS * sizeof(void *));
		s->out_mem = malloc(DSPB_RING_MSGS * sizeof(struct dspb_done));
		if (!s->in_mem || !s->out_mem) {
			ret = -ENOMEM;
			goto fail;
		}
		vadsp_ringbuf_init(&s->in, s->in_mem, DSPB_RING_MSGS * sizeof(void *));
		vadsp_ringbuf_init(&s->out, s->out_mem, DSPB_RING_MSGS * sizeof(struct dspb_done));
		dspb_hook_init(s);
	}
	ret = dspb_slot_get(b->dg);
	if (ret < 0) {
		vadsp_err(LOG, "no free guest slot in the host DSP");
		goto fail;
	}
	b->slot = ret;
	ret = hostdsp_run_call(b->dg->run, dspb_cmd_attach, b);
	if (ret < 0) {
		vadsp_err(LOG, "cannot load the guest topology into the host DSP: %s",
			  strerror(-ret));
		goto fail;
	}
	for (uint32_t i = 0; i < b->num_streams; i++) {
		const struct vsnd_stream_desc *sd = &cfg->desc->streams[i];

		if (sd->host_widget >= 0)
			b->streams[i].host_id = (int)(HOSTDSP_GUEST_ID_BASE * ((uint32_t)b->slot + 1) +
						      (uint32_t)sd->host_widget);
	}
	ret = b->watch->add(b->loop, b->done_fd, VU_WATCH_IN, dspb_on_done, b);
	if (ret < 0)
		goto fail;
	ret = b->watch->add(b->loop, b->hold_fd, VU_WATCH_IN, dspb_on_hold, b);
	if (ret < 0)
		goto fail;
	b->hold_watched = true;
	vadsp_info(LOG, "guest topology loaded into the host DSP (slot %d, ids from %u)", b->slot,
		   HOSTDSP_GUEST_ID_BASE * ((uint32_t)b->slot + 1));
	*out = (struct vsnd_backend *)b;
	return 0;
fail:
	dspb_close((struct vsnd_backend *)b);
	return ret;
}

static void dspb_close(struct vsnd_backend *vb)
{
	struct dspb *b = (struct dspb *)vb;

	if (!b)
		return;
	sof_guest_destroy(b->sof);	/* closes its streams */
	for (uint32_t i = 0; i < VADSP_VFE_MAX_STREAMS; i++) {
		free(b->ext[i].in_mem);
		free(b->ext[i].out_mem);
		free(b->ext[i].notes_mem);
	}
	for (uint32_t i = 0; i < b->num_streams && b->streams; i++) {
		struct dspb_stream *s = &b->streams[i];

		if (s->hooked)
			hostdsp_run_hook_del(b->dg->run, &s->hook);
	}
	if (b->g)
		hostdsp_run_call(b->dg->run, dspb_cmd_detach, b);
	if (b->slot >= 0)
		b->dg->slots[b->slot] = false;
	if (b->done_fd >= 0) {
		b->watch->del(b->loop, b->done_fd);
		close(b->done_fd);
	}
	if (b->hold_watched)
		b->watch->del(b->loop, b->hold_fd);
	if (b->hold_fd >= 0)
		close(b->hold_fd);
	for (uint32_t i = 0; i < b->num_streams && b->streams; i++) {
		free(b->streams[i].in_mem);
		free(b->streams[i].out_mem);
	}
	free(b->streams);
	free(b);
}

static struct dspb_stream *dspb_stream(struct vsnd_backend *vb, uint32_t stream)
{
	struct dspb *b = (struct dspb *)vb;

	if (b->sof_mode)
		return stream < VADSP_VFE_MAX_STREAMS && b->ext[stream].prepared ?
		       &b->ext[stream] : NULL;
	return stream < b->num_streams ? &b->streams[stream] : NULL;
}

static int dspb_frame_fmt(uint8_t format)
{
	switch (format) {
	case VIRTIO_SND_PCM_FMT_S16:
		return IPC3_FRAME_S16_LE;
	case VIRTIO_SND_PCM_FMT_S24:
		return IPC3_FRAME_S24_4LE;
	case VIRTIO_SND_PCM_FMT_S32:
		return IPC3_FRAME_S32_LE;
	case VIRTIO_SND_PCM_FMT_FLOAT:
		return IPC3_FRAME_FLOAT;
	default:
		return -EINVAL;
	}
}

static int dspb_set_params(struct vsnd_backend *vb, uint32_t stream,
			   const struct vsnd_pcm_params *params)
{
	struct dspb_stream *s = dspb_stream(vb, stream);
	int fmt;

	if (!s || s->host_id < 0)
		return -EINVAL;
	fmt = dspb_frame_fmt(params->format);
	if (fmt < 0)
		return -EINVAL;
	s->params = *params;
	s->frame_fmt = (uint32_t)fmt;
	s->has_params = true;
	return 0;
}

static int dspb_unprepare(struct dspb_stream *s)
{
	int ret = 0;

	if (s->hooked) {
		hostdsp_run_hook_del(s->b->dg->run, &s->hook);
		s->hooked = false;
	}
	if (s->prepared)
		ret = dspb_cmd(s, IPC3_STREAM_PCM_FREE);
	s->prepared = false;
	s->paused = false;
	return ret;
}

static int dspb_prepare(struct vsnd_backend *vb, uint32_t stream)
{
	struct dspb_stream *s = dspb_stream(vb, stream);
	struct dsp_engine *e;
	uint32_t period_frames;
	int ret;

	if (!s || !s->has_params)
		return -EINVAL;
	dspb_unprepare(s);
	e = hostdsp_engine(hostdsp_run_dsp(s->b->dg->run));
	period_frames = (uint32_t)(((uint64_t)s->params.rate_hz * dsp_engine_period_us(e) +
				    999999u) / 1000000u);
	s->ring_bytes = DSPB_HOST_PERIODS * period_frames * s->params.frame_bytes;
	ret = dspb_cmd(s, IPC3_STREAM_PCM_PARAMS);
	if (ret < 0) {
		vadsp_warn(LOG, "stream %u: PCM_PARAMS: %s", stream, strerror(-ret));
		return ret;
	}
	s->prepared = true;
	hostdsp_run_hook_add(s->b->dg->run, &s->hook);
	s->hooked = true;
	return 0;
}

/*
 * The device's STOP is the pipeline's PAUSE, and a START after it RELEASE: the driver may
 * START again (Linux's virtio_snd does for ALSA's pause) with its messages still queued, and
 * the stream plays on from the frame it stopped at, the audio already in the host ring
 * included (a pipeline STOP empties it) and the volume's start ramp not run again. RELEASE
 * stops the pipeline for good.
 */
static int dspb_start(struct vsnd_backend *vb, uint32_t stream)
{
	struct dspb_stream *s = dspb_stream(vb, stream);
	int ret;

	if (!s || !s->prepared)
		return -EINVAL;
	ret = dspb_cmd(s, s->paused ? IPC3_STREAM_TRIG_RELEASE : IPC3_STREAM_TRIG_START);
	if (!ret)
		s->paused = false;
	return ret;
}

static int dspb_stop(struct vsnd_backend *vb, uint32_t stream)
{
	struct dspb_stream *s = dspb_stream(vb, stream);
	int ret;

	if (!s || !s->prepared)
		return -EINVAL;
	ret = dspb_cmd(s, IPC3_STREAM_TRIG_PAUSE);
	if (!ret)
		s->paused = true;
	return ret;
}

static void dspb_give_back(struct dspb_stream *s)
{
	hostdsp_run_call(s->b->dg->run, dspb_cmd_flush, s);
	/* A message played before the flush and not drained yet is held back here: last. */
	dspb_drain(s->b);
	dspb_unhold(s->b, s);
}

static int dspb_release(struct vsnd_backend *vb, uint32_t stream)
{
	struct dspb_stream *s = dspb_stream(vb, stream);

	if (!s)
		return -EINVAL;
	if (s->prepared)
		dspb_cmd(s, IPC3_STREAM_TRIG_STOP);
	s->paused = false;
	dspb_give_back(s);
	if (s->completed && s->params.frame_bytes && s->params.rate_hz)
		vadsp_info(LOG, "stream %u: released after %" PRIu64 " messages; latency at most "
			   "%u bytes (%.2f ms), last %u bytes (%.2f ms)", stream, s->completed,
			   s->max_latency,
			   1000.0 * s->max_latency / s->params.frame_bytes / s->params.rate_hz,
			   s->last_latency,
			   1000.0 * s->last_latency / s->params.frame_bytes / s->params.rate_hz);
	s->completed = 0;
	s->max_latency = 0;
	dspb_unprepare(s);
	return 0;
}

static int dspb_io_submit(struct vsnd_backend *vb, struct vsnd_pcm_io *io)
{
	struct dspb_stream *s = dspb_stream(vb, io->stream);

	if (!s || !s->prepared)
		return -EIO;
	/* The one held back goes first: the driver is feeding again. */
	dspb_unhold(s->b, s);
	/* Every held message fits the completion ring: it can never overflow. */
	if (s->held >= DSPB_RING_MSGS - 1)
		return -EIO;
	io->done = 0;
	if (vadsp_ringbuf_write(&s->in, &io, sizeof(io)) < 0)
		return -EIO;
	s->held++;
	return 0;
}

static void dspb_io_cancel(struct vsnd_backend *vb, uint32_t stream)
{
	struct dspb_stream *s = dspb_stream(vb, stream);

	if (s && s->ext)
		dspb_ext_give_back(s);
	else if (s)
		dspb_give_back(s);
}

int vadspd_dsp_stream_level(struct vsnd_backend *vb, uint32_t stream,
			    struct dsp_level_snapshot *out)
{
	struct dspb_stream *s = dspb_stream(vb, stream);

	return s ? dsp_level_read(&s->level, out) : -ENOENT;
}

struct dspb_ctl_cmd {
	struct dsp_engine *e;
	uint32_t comp;
	uint32_t cmd;
	struct dsp_ctrl_value v[DSP_MAX_CHANNELS];
	uint32_t n;
};

static int dspb_cmd_ctl(void *arg)
{
	struct dspb_ctl_cmd *c = arg;

	return dsp_comp_set_values(c->e, c->comp, c->cmd, c->v, c->n);
}

/* A bytes control's data for one component: COMP_SET_DATA messages. */
struct dspb_data_cmd {
	struct dspb *b;
	uint32_t comp;
	uint32_t abi_type;
	uint32_t abi;
	const uint8_t *data;
	uint32_t size;
};

/* Send the data in parts of at most one message each, as SOF's driver does. */
static int dspb_cmd_data(void *arg)
{
	const uint32_t room = IPC3_MSG_MAX_SIZE - (uint32_t)(sizeof(struct ipc3_ctrl_data) +
							    sizeof(struct ipc3_abi_hdr));
	struct dspb_data_cmd *c = arg;
	uint8_t buf[IPC3_MSG_MAX_SIZE], reply[IPC3_MSG_MAX_SIZE];
	struct ipc3_msg m;
	uint32_t off = 0;

	for (uint32_t idx = 0;; idx++) {
		uint32_t n = VADSP_MIN(c->size - off, room);
		int len, ret;

		memset(&m, 0, sizeof(m));
		m.cmd = IPC3_COMP_SET_DATA;
		m.u.ctrl = (struct ipc3_msg_ctrl){
			.comp_id = c->comp, .type = IPC3_CTRL_DATA_SET,
			.cmd = IPC3_CTRL_CMD_BINARY, .num_elems = n,
			.elems_remaining = c->size - off - n, .msg_index = idx,
			.abi_type = c->abi_type, .abi_size = c->size, .abi = c->abi,
		};
		memcpy(m.data, c->data + off, n);
		m.data_size = n;
		len = ipc3_encode(&m, buf, sizeof(buf));
		if (len < 0)
			return len;
		ret = hostdsp_guest_ipc(c->b->g, buf, (size_t)len, reply, sizeof(reply));
		if (ret < 0)
			return ret;
		off += n;
		if (off >= c->size)
			return 0;
	}
}

/*
 * A bytes control of a guest component (an EQ's coefficients, a mux's routes): SOF's layout,
 * a 32-byte ABI header then header.size bytes of data, which go to the component as SOF's
 * driver sends them (COMP_SET_DATA through the guest's executor, which checks them like any
 * guest IPC). A header that is not SOF's (magic, ABI major) or that claims more data than
 * the value holds is -EBADMSG (S_BAD_MSG); data the executor or the component refuses is
 * -EIO (S_IO_ERR). Either way the component keeps running what it had, and the device
 * keeps the old value.
 */
static int dspb_ctl_bytes(struct dspb *b, uint32_t comp, const struct vsnd_ctl_values *value)
{
	const uint32_t hdr = (uint32_t)sizeof(struct ipc3_abi_hdr);
	struct dspb_data_cmd c = { .b = b, .comp = comp };
	int ret;

	if (!value->blob || value->count < hdr ||
	    get_le32(value->blob + offsetof(struct ipc3_abi_hdr, magic)) != IPC3_ABI_MAGIC)
		return -EBADMSG;
	c.abi_type = get_le32(value->blob + offsetof(struct ipc3_abi_hdr, type));
	c.abi = get_le32(value->blob + offsetof(struct ipc3_abi_hdr, abi));
	c.size = get_le32(value->blob + offsetof(struct ipc3_abi_hdr, size));
	if (!ipc3_abi_compatible(IPC3_ABI_VERSION, c.abi) || !c.size || c.size > value->count - hdr)
		return -EBADMSG;
	c.data = value->blob + hdr;
	ret = hostdsp_run_call(b->dg->run, dspb_cmd_data, &c);
	if (ret < 0)
		vadsp_dbg(LOG, "bytes control for component %u: %u bytes refused: %s", comp,
			  c.size, strerror(-ret));
	return ret == -ENOMEM ? ret : ret < 0 ? -EIO : 0;
}

/*
 * A volume (integer with a dB scale) or switch (boolean) control of a guest pga: the
 * engine's volume component gets the Q8.16 gains, converted as the SOF driver does, or the
 * switch values. A bytes control goes to its component (dspb_ctl_bytes()). Enumerated
 * controls are accepted and not applied (no component of the engine takes one).
 */
static int dspb_ctl_write(struct vsnd_backend *vb, uint32_t control,
			  const struct vsnd_ctl_values *value)
{
	struct dspb *b = (struct dspb *)vb;
	const struct vsnd_card_desc *desc = b->desc;
	const struct vsnd_ctl_desc *cd;
	struct dspb_ctl_cmd c = { 0 };
	int ret;

	if (!desc || control >= desc->num_controls || (!value->values && !value->blob))
		return 0;
	cd = &desc->controls[control];
	if (cd->widget < 0 || !b->g)
		return 0;
	c.e = hostdsp_engine(hostdsp_run_dsp(b->dg->run));
	c.comp = HOSTDSP_GUEST_ID_BASE * ((uint32_t)b->slot + 1) + (uint32_t)cd->widget;
	c.n = (uint32_t)VADSP_MIN(value->count, DSP_MAX_CHANNELS);
	if (cd->type == VIRTIO_SND_CTL_TYPE_INTEGER && cd->has_db) {
		c.cmd = DSP_CTRL_VOLUME;
		for (uint32_t i = 0; i < c.n; i++) {
			c.v[i].channel = i;
			ret = tplg_ipc_volume_gain((uint32_t)value->values[i], cd->db_min,
						   cd->db_step, cd->db_mute, &c.v[i].value);
			if (ret < 0)
				return ret;
		}
	} else if (cd->type == VIRTIO_SND_CTL_TYPE_BOOLEAN) {
		c.cmd = DSP_CTRL_SWITCH;
		for (uint32_t i = 0; i < c.n; i++)
			c.v[i] = (struct dsp_ctrl_value){ i, value->values[i] ? 1u : 0u };
	} else if (cd->type == VIRTIO_SND_CTL_TYPE_BYTES) {
		return dspb_ctl_bytes(b, c.comp, value);
	} else {
		return 0;
	}
	ret = hostdsp_run_call(b->dg->run, dspb_cmd_ctl, &c);
	if (ret == -ENODEV || ret == -EINVAL)
		return 0;	/* not a component with that control: kept as a value only */
	return ret;
}

/* ---------------------------------------------------------------------------------------- */
/* The SOF IPC3 extension (docs/protocol.md section 4; sof-guest.h)                        */

#define DSPB_NOTES		64u	/* notifications waiting for the loop, per stream */
#define DSPB_GIVEN_BACK		UINT32_MAX	/* latency_bytes of a flushed message: IO_ERR */

/* A notification of an extension stream, from the data thread. */
struct dspb_note {
	uint32_t xrun;			/* 1: an xrun, 0: a position */
	int32_t xrun_size;
	uint32_t xrun_comp;
	uint32_t pad;
	uint64_t bytes;			/* host bytes since START */
	uint64_t dai_bytes;
	uint64_t time_ns;		/* CLOCK_MONOTONIC */
	uint64_t pad2[3];		/* a power of two, for the ring */
};
_Static_assert(sizeof(struct dspb_note) == 64, "dspb_note fills the ring exactly");

/* Data thread: a new xrun (@xrun) or a crossed position period becomes a note. */
static bool dspb_ext_notes(struct dsp_engine *e, struct dspb_stream *s, bool xrun)
{
	struct dsp_stream_posn p;
	struct dspb_note n = { 0 };
	bool posn;

	if (dsp_stream_position(e, (uint32_t)s->host_id, &p) < 0)
		return xrun;
	n.bytes = p.host_frames * s->params.frame_bytes;
	posn = s->posn_bytes && n.bytes >= s->posn_next;
	if (!xrun && !posn)
		return false;
	n.time_ns = vadsp_now_ns();
	n.dai_bytes = n.bytes;		/* 4.8: dai_posn counts as host_posn does */
	if (posn) {
		s->posn_next = (n.bytes / s->posn_bytes + 1) * s->posn_bytes;
		/* A full ring (the loop lags) drops it: positions are coalesced anyway. */
		vadsp_ringbuf_write(&s->notes, &n, sizeof(n));
	}
	if (xrun) {
		n.xrun = 1;
		n.xrun_size = p.xrun_size;
		n.xrun_comp = p.xrun_comp_id;
		vadsp_ringbuf_write(&s->notes, &n, sizeof(n));
	}
	return true;
}

/* Loop thread: completions and notifications of the extension streams. */
static void dspb_drain_ext(struct dspb *b)
{
	for (uint32_t i = 0; i < VADSP_VFE_MAX_STREAMS; i++) {
		struct dspb_stream *s = &b->ext[i];
		struct dspb_done d;
		struct dspb_note n;
		uint32_t xruns;

		if (!s->out_mem)
			continue;
		while (vadsp_ringbuf_read(&s->out, &d, sizeof(d)) == sizeof(d)) {
			bool flushed = d.latency_bytes == DSPB_GIVEN_BACK;

			s->held--;
			vsnd_pcm_io_done(b->card, d.io, flushed ? -EIO : 0,
					 s->playback ? 0 : d.io->done, flushed ? 0 : d.latency_bytes);
		}
		while (vadsp_ringbuf_read(&s->notes, &n, sizeof(n)) == sizeof(n)) {
			struct ipc3_posn p = {
				.comp_id = (uint32_t)s->host_id,
				.flags = IPC3_TIME_HOST_SYNC | IPC3_TIME_DAI_SYNC |
					 IPC3_TIME_WALL_SYNC | IPC3_TIME_STAMP_SYNC,
				.wallclock_hz = 1000000000u,
				.timestamp_ns = 1,
				.host_posn = n.bytes,
				.dai_posn = n.dai_bytes,
				.comp_posn = n.bytes,
				.wallclock = n.time_ns,
				.timestamp = n.time_ns,
				.xrun_comp_id = n.xrun ? n.xrun_comp : 0,
				.xrun_size = n.xrun ? n.xrun_size : 0,
			};
			uint8_t msg[sizeof(struct ipc3_stream_posn)];

			if (ipc3_encode_posn(msg, sizeof(msg), &p) < 0)
				continue;
			if (n.xrun)
				put_le32(msg + 4, IPC3_STREAM_TRIG_XRUN | (uint32_t)s->host_id);
			vsnd_sof_notify(b->card, msg, sizeof(msg), !n.xrun);
		}
		/* Counted for the management socket ("xruns"); the guest has its notification. */
		xruns = atomic_load_explicit(&s->xrun_posted, memory_order_acquire);
		if (xruns != s->xrun_taken) {
			s->xrun_taken = xruns;
			vsnd_sof_stream_xrun(b->card, i);
		}
	}
}

/* Data thread: take back every message of @s, each completing with IO_ERR. */
static int dspb_ext_flush_run(void *arg)
{
	struct dspb_stream *s = arg;
	struct vsnd_pcm_io *io;

	s->running = false;
	for (; s->pend_count; s->pend_count--) {
		dspb_complete(s, s->pend[s->pend_head].io, DSPB_GIVEN_BACK);
		s->pend_head = (s->pend_head + 1) % DSPB_PENDING;
	}
	if (s->cur) {
		dspb_complete(s, s->cur, DSPB_GIVEN_BACK);
		s->cur = NULL;
	}
	while (vadsp_ringbuf_read(&s->in, &io, sizeof(io)) == sizeof(io))
		dspb_complete(s, io, DSPB_GIVEN_BACK);
	return 0;
}

static void dspb_ext_give_back(struct dspb_stream *s)
{
	hostdsp_run_call(s->b->dg->run, dspb_ext_flush_run, s);
	dspb_drain_ext(s->b);
}

static int dspb_ext_open(void *data, uint32_t sid, const struct sof_guest_stream *st)
{
	struct dspb *b = data;
	struct dspb_stream *s = &b->ext[sid];

	if (!s->in_mem) {
		s->in_mem = malloc(DSPB_RING_MSGS * sizeof(void *));
		s->out_mem = malloc(DSPB_RING_MSGS * sizeof(struct dspb_done));
		s->notes_mem = malloc(DSPB_NOTES * sizeof(struct dspb_note));
		if (!s->in_mem || !s->out_mem || !s->notes_mem) {
			free(s->in_mem);
			free(s->out_mem);
			free(s->notes_mem);
			s->in_mem = s->out_mem = s->notes_mem = NULL;
			return -ENOMEM;
		}
	}
	/* Not hooked (a new stream, or closed before): the data thread does not see it. */
	vadsp_ringbuf_init(&s->in, s->in_mem, DSPB_RING_MSGS * sizeof(void *));
	vadsp_ringbuf_init(&s->out, s->out_mem, DSPB_RING_MSGS * sizeof(struct dspb_done));
	vadsp_ringbuf_init(&s->notes, s->notes_mem, DSPB_NOTES * sizeof(struct dspb_note));
	s->b = b;
	s->idx = sid;
	s->ext = true;
	s->playback = st->playback;
	s->host_id = (int)st->host_id;
	s->trig = 0;
	s->frame_fmt = st->frame_fmt;
	s->ring_bytes = st->ring_bytes;
	s->posn_bytes = st->posn_bytes;
	s->posn_next = st->posn_bytes;
	memset(&s->params, 0, sizeof(s->params));
	s->params.frame_bytes = st->frame_bytes;
	s->params.rate_hz = st->rate;
	s->params.channels = (uint8_t)(st->frame_bytes /
				       (st->frame_fmt == IPC3_FRAME_S16_LE ? 2u : 4u));
	dsp_level_init(&s->level, s->frame_fmt, s->params.channels, st->rate);
	s->running = false;
	s->cur = NULL;
	s->written = 0;
	s->pend_head = s->pend_count = 0;
	s->held = 0;
	s->xruns_seen = 0;
	s->xrun_armed = false;
	dspb_hook_init(s);
	s->prepared = true;
	hostdsp_run_hook_add(b->dg->run, &s->hook);
	s->hooked = true;
	return vsnd_sof_stream_set(b->card, sid, st->playback ? VIRTIO_SND_D_OUTPUT :
					     VIRTIO_SND_D_INPUT, st->frame_bytes);
}

/* Data thread, right after a trigger of the stream succeeded in the engine. */
static void dspb_ext_trigger(void *data, uint32_t sid, uint32_t cmd)
{
	struct dspb *b = data;
	struct dspb_stream *s = &b->ext[sid];
	struct dsp_stream_posn posn;

	s->trig = cmd;		/* read by the loop thread once the command has run */
	switch (cmd) {
	case IPC3_STREAM_TRIG_START:
		/* START resets the positions; messages STOP left in the ring go back now. */
		s->written = 0;
		for (uint32_t i = 0; i < s->pend_count; i++)
			s->pend[(s->pend_head + i) % DSPB_PENDING].end = 0;
		s->posn_next = s->posn_bytes;
		if (dsp_stream_position(hostdsp_engine(hostdsp_run_dsp(b->dg->run)),
					(uint32_t)s->host_id, &posn) == 0)
			s->xruns_seen = posn.xruns;
		s->xrun_armed = true;
		s->running = true;
		break;
	case IPC3_STREAM_TRIG_RELEASE:
		s->running = true;
		break;
	default:
		s->running = false;
		break;
	}
}

static void dspb_ext_close(void *data, uint32_t sid)
{
	struct dspb *b = data;
	struct dspb_stream *s = &b->ext[sid];

	if (s->hooked) {
		hostdsp_run_hook_del(b->dg->run, &s->hook);
		s->hooked = false;
	}
	if (s->prepared)
		dspb_ext_give_back(s);
	s->prepared = false;
	vsnd_sof_stream_clear(b->card, sid);
}

static const struct sof_guest_stream_ops dspb_ext_ops = {
	.open = dspb_ext_open,
	.trigger = dspb_ext_trigger,
	.close = dspb_ext_close,
};

static int dspb_sof_call(void *ctx, int (*fn)(void *arg), void *arg)
{
	return hostdsp_run_call(ctx, fn, arg);
}

static int dspb_sof_enable(struct vsnd_backend *vb, bool on)
{
	struct dspb *b = (struct dspb *)vb;
	int ret = 0;

	sof_guest_destroy(b->sof);	/* a session ends for good */
	b->sof = NULL;
	if (on && !b->sof_mode) {
		/* The guest loads its topology itself: the one vadspd loaded for it goes. */
		for (uint32_t i = 0; i < b->num_streams; i++)
			if (b->streams[i].prepared || b->streams[i].hooked)
				dspb_release(vb, i);
		if (b->g)
			hostdsp_run_call(b->dg->run, dspb_cmd_detach, b);
		b->sof_mode = true;
	} else if (!on && b->sof_mode) {
		b->sof_mode = false;
		ret = hostdsp_run_call(b->dg->run, dspb_cmd_attach, b);
		if (ret < 0)
			vadsp_err(LOG, "cannot load the guest topology into the host DSP again: %s",
				  strerror(-ret));
	}
	return ret;
}

int vadspd_dsp_sof_counts(struct vsnd_backend *vb, uint32_t *objects, uint32_t *streams)
{
	struct dspb *b = (struct dspb *)vb;

	if (!b->sof)
		return -ENOENT;
	*objects = sof_guest_objects(b->sof);
	*streams = sof_guest_streams(b->sof);
	return 0;
}

int vadspd_dsp_sof_stream(struct vsnd_backend *vb, uint32_t sid,
			  struct vadspd_dsp_sof_stream *out)
{
	struct dspb *b = (struct dspb *)vb;
	const struct dspb_stream *s;

	if (!b->sof_mode || sid >= VADSP_VFE_MAX_STREAMS || !b->ext[sid].prepared)
		return -ENOENT;
	s = &b->ext[sid];
	*out = (struct vadspd_dsp_sof_stream){
		.comp_id = (uint32_t)s->host_id,
		.playback = s->playback,
		.state = "PREPARE",
		.frame_fmt = s->frame_fmt,
		.channels = s->params.channels,
		.rate = s->params.rate_hz,
		.ring_bytes = s->ring_bytes,
		.posn_bytes = s->posn_bytes,
	};
	if (s->trig == IPC3_STREAM_TRIG_START || s->trig == IPC3_STREAM_TRIG_RELEASE)
		out->state = "ACTIVE";
	else if (s->trig == IPC3_STREAM_TRIG_PAUSE)
		out->state = "PAUSED";
	return 0;
}

static int dspb_sof_ipc(struct vsnd_backend *vb, const uint8_t *req, size_t len,
			uint8_t *reply, size_t cap)
{
	struct dspb *b = (struct dspb *)vb;
	int ret;

	if (!b->sof_mode)
		return -EOPNOTSUPP;
	if (!b->sof) {
		struct sof_guest_config cfg = {
			.h = hostdsp_run_dsp(b->dg->run),
			.slot = (uint32_t)b->slot,
			.topology = b->dg->topology_bytes,
			.topology_size = b->dg->topology_size,
			.tplg = b->dg->topology,
			.call = dspb_sof_call,
			.call_ctx = b->dg->run,
			.ops = &dspb_ext_ops,
			.ops_data = b,
		};

		ret = sof_guest_create(&b->sof, &cfg);
		if (ret < 0) {
			vadsp_err(LOG, "cannot start the guest's IPC session: %s", strerror(-ret));
			return ret;
		}
		vadsp_info(LOG, "SOF IPC3 session in slot %d (ids from %u)", b->slot,
			   HOSTDSP_GUEST_ID_BASE * ((uint32_t)b->slot + 1));
	}
	return sof_guest_ipc(b->sof, req, len, reply, cap);
}

const struct vsnd_backend_ops vsnd_backend_dsp = {
	.name = "dsp",
	.open = dspb_open,
	.close = dspb_close,
	.set_params = dspb_set_params,
	.prepare = dspb_prepare,
	.start = dspb_start,
	.stop = dspb_stop,
	.release = dspb_release,
	.io_submit = dspb_io_submit,
	.io_cancel = dspb_io_cancel,
	.ctl_write = dspb_ctl_write,
	.sof_enable = dspb_sof_enable,
	.sof_ipc = dspb_sof_ipc,
};
