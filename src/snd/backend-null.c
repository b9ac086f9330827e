// SPDX-License-Identifier: MIT
/*
 * The null stream backend: what a card runs on when no DSP engine is attached (see
 * stream-backend.h for what it does and does not do).
 *
 * Each stream keeps its messages in arrival order. While the stream runs, its position
 * advances with a monotonic clock: position = (now - anchor) * rate frames. A message
 * completes once the position has passed its last frame; a capture message is filled with
 * silence first. The anchor is set at START so that the position continues from where
 * STOP left it, and again whenever a message arrives after the stream ran dry (the clock
 * waits for the guest instead of running ahead). A timerfd per running stream wakes the
 * card every period (the stream's period_bytes, at least 1 ms) and once at the next due
 * completion; position arithmetic, not the tick count, decides what completes, so timer
 * lateness never accumulates.
 *
 * Without a watcher (no event loop: unit tests, the fuzz target) nothing waits: messages
 * complete as soon as the stream is started, or at once when it already is.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "snd/card.h"
#include "snd/pcm-caps.h"
#include "snd/stream-backend.h"
#include "util/log.h"
#include "util/time.h"
#include "vhost-user/backend.h"

#define LOG "snd-null"

#define NSEC_PER_SEC	1000000000ull
#define MIN_TICK_NS	1000000ull

struct null_stream {
	struct vsnd_backend *b;
	uint32_t id;
	uint8_t direction;
	struct vsnd_pcm_params params;
	bool running;
	bool dry;			/* ran out of messages while running */
	struct vsnd_pcm_io *head;	/* messages, oldest first */
	struct vsnd_pcm_io *tail;
	uint64_t consumed;		/* frames completed since PREPARE */
	uint64_t anchor_ns;		/* clock time of frame 0 */
	int timer_fd;
};

struct vsnd_backend {
	struct vsnd_card *card;
	const struct vu_watch_ops *watch;
	void *loop;
	uint32_t num_streams;
	struct null_stream *streams;
};

static uint64_t frames_to_ns(const struct null_stream *s, uint64_t frames)
{
	return frames * NSEC_PER_SEC / s->params.rate_hz;
}

static uint32_t msg_frames(const struct null_stream *s, const struct vsnd_pcm_io *io)
{
	return io->bytes / s->params.frame_bytes;
}

static void fill_silence(const struct null_stream *s, const struct vsnd_pcm_io *io)
{
	const uint8_t *pat = vsnd_format_silence(s->params.format);
	unsigned int n = vsnd_format_sample_bytes(s->params.format);
	unsigned int k = 0;

	for (unsigned int i = 0; i < io->nseg; i++) {
		uint8_t *p = io->seg[i].iov_base;

		for (size_t j = 0; j < io->seg[i].iov_len; j++) {
			p[j] = pat[k];
			k = k + 1 == n ? 0 : k + 1;
		}
	}
}

static struct vsnd_pcm_io *pop(struct null_stream *s)
{
	struct vsnd_pcm_io *io = s->head;

	if (io) {
		s->head = io->next;
		if (!s->head)
			s->tail = NULL;
		io->next = NULL;
	}
	return io;
}

/* Complete the oldest message: it has been played, or recorded (as silence). */
static void complete_head(struct null_stream *s)
{
	struct vsnd_pcm_io *io = pop(s);
	bool capture = s->direction == VIRTIO_SND_D_INPUT;

	s->consumed += msg_frames(s, io);
	if (capture)
		fill_silence(s, io);
	vsnd_pcm_io_done(s->b->card, io, 0, capture ? io->bytes : 0, 0);
	vsnd_pcm_period_elapsed(s->b->card, s->id);
}

/* Give every message back unplayed (release, cancel). */
static void flush(struct null_stream *s, int err)
{
	struct vsnd_pcm_io *io;

	while ((io = pop(s)))
		vsnd_pcm_io_done(s->b->card, io, err, 0, 0);
}

static void disarm(struct null_stream *s)
{
	struct itimerspec its = { 0 };

	if (s->timer_fd >= 0)
		timerfd_settime(s->timer_fd, 0, &its, NULL);
}

/* Complete what is due and wake up again for the next due message. */
static void advance(struct null_stream *s)
{
	uint64_t now = vadsp_now_ns(), due_ns, period_ns;
	struct itimerspec its = { 0 };

	if (!s->running)
		return;
	if (!s->b->watch) {
		while (s->head)
			complete_head(s);
		return;
	}
	while (s->running && s->head &&
	       s->anchor_ns + frames_to_ns(s, s->consumed + msg_frames(s, s->head)) <= now)
		complete_head(s);
	if (!s->running)
		return;
	if (!s->head) {
		s->dry = true;
		disarm(s);
		return;
	}
	due_ns = s->anchor_ns + frames_to_ns(s, s->consumed + msg_frames(s, s->head));
	period_ns = frames_to_ns(s, s->params.period_bytes / s->params.frame_bytes);
	if (period_ns < MIN_TICK_NS)
		period_ns = MIN_TICK_NS;
	its.it_value.tv_sec = (time_t)(due_ns / NSEC_PER_SEC);
	its.it_value.tv_nsec = (long)(due_ns % NSEC_PER_SEC);
	its.it_interval.tv_sec = (time_t)(period_ns / NSEC_PER_SEC);
	its.it_interval.tv_nsec = (long)(period_ns % NSEC_PER_SEC);
	timerfd_settime(s->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void on_timer(void *data, int fd, uint32_t events)
{
	struct null_stream *s = data;
	uint64_t ticks;

	(void)events;
	if (read(fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		vadsp_dbg(LOG, "stream %u: timer read failed: %s", s->id, strerror(errno));
	/* Completions inside: let the card do its deferred work once, after all of them. */
	vsnd_card_enter(s->b->card);
	advance(s);
	vsnd_card_leave(s->b->card);
}

static int null_open(struct vsnd_backend **out, const struct vsnd_backend_config *cfg)
{
	struct vsnd_backend *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	b->card = cfg->card;
	b->watch = cfg->watch;
	b->loop = cfg->loop;
	b->num_streams = cfg->desc->num_streams;
	b->streams = calloc(b->num_streams ? b->num_streams : 1, sizeof(*b->streams));
	if (!b->streams) {
		free(b);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < b->num_streams; i++) {
		b->streams[i].b = b;
		b->streams[i].id = i;
		b->streams[i].direction = cfg->desc->streams[i].direction;
		b->streams[i].timer_fd = -1;
	}
	*out = b;
	return 0;
}

static void null_close(struct vsnd_backend *b)
{
	for (uint32_t i = 0; i < b->num_streams; i++) {
		struct null_stream *s = &b->streams[i];

		if (s->timer_fd >= 0) {
			b->watch->del(b->loop, s->timer_fd);
			close(s->timer_fd);
		}
	}
	free(b->streams);
	free(b);
}

static int null_set_params(struct vsnd_backend *b, uint32_t stream,
			   const struct vsnd_pcm_params *params)
{
	b->streams[stream].params = *params;
	return 0;
}

static int null_prepare(struct vsnd_backend *b, uint32_t stream)
{
	struct null_stream *s = &b->streams[stream];

	s->consumed = 0;
	s->dry = false;
	if (b->watch && s->timer_fd < 0) {
		int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		int ret;

		if (fd < 0)
			return -errno;
		ret = b->watch->add(b->loop, fd, VU_WATCH_IN, on_timer, s);
		if (ret < 0) {
			close(fd);
			return ret;
		}
		s->timer_fd = fd;
	}
	return 0;
}

static int null_start(struct vsnd_backend *b, uint32_t stream)
{
	struct null_stream *s = &b->streams[stream];

	s->running = true;
	s->dry = false;
	s->anchor_ns = vadsp_now_ns() - frames_to_ns(s, s->consumed);
	advance(s);
	return 0;
}

static int null_stop(struct vsnd_backend *b, uint32_t stream)
{
	struct null_stream *s = &b->streams[stream];

	s->running = false;
	disarm(s);
	return 0;
}

static int null_release(struct vsnd_backend *b, uint32_t stream)
{
	struct null_stream *s = &b->streams[stream];

	s->running = false;
	disarm(s);
	flush(s, 0);
	return 0;
}

static int null_io_submit(struct vsnd_backend *b, struct vsnd_pcm_io *io)
{
	struct null_stream *s = &b->streams[io->stream];
	bool was_empty = !s->head;

	io->next = NULL;
	if (s->tail)
		s->tail->next = io;
	else
		s->head = io;
	s->tail = io;
	if (s->running && was_empty) {
		if (s->dry)
			s->anchor_ns = vadsp_now_ns() - frames_to_ns(s, s->consumed);
		s->dry = false;
		advance(s);
	}
	return 0;
}

static void null_io_cancel(struct vsnd_backend *b, uint32_t stream)
{
	flush(&b->streams[stream], -ECANCELED);
}

static int null_ctl_write(struct vsnd_backend *b, uint32_t control,
			  const struct vsnd_ctl_values *value)
{
	(void)b;
	(void)control;
	(void)value;
	return 0;
}

const struct vsnd_backend_ops vsnd_backend_null = {
	.name = "null",
	.open = null_open,
	.close = null_close,
	.set_params = null_set_params,
	.prepare = null_prepare,
	.start = null_start,
	.stop = null_stop,
	.release = null_release,
	.io_submit = null_io_submit,
	.io_cancel = null_io_cancel,
	.ctl_write = null_ctl_write,
};
