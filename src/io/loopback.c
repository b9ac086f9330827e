// SPDX-License-Identifier: MIT
/*
 * The loopback endpoint: "loopback:NAME" opened for playback feeds "loopback:NAME" opened
 * for capture, in the same process, for latency measurements and tests.
 *
 * The two ends of a name share a pair: an SPSC ring (src/util/ringbuf.h) that the playback
 * end produces into and the capture end consumes from, and an eventfd that is the capture
 * end's clock. The playback end is paced by a timerfd virtual device exactly like null.
 *
 * The delay. When the capture end starts it drops whatever is queued and owes the engine
 * `delay` frames of silence (option ?delay=N on the capture spec, default one period) before
 * the ring's data. An engine that, from the start of both ends, writes a period to playback
 * and reads a period from capture on each tick, in either order, so hears at capture frame n
 * the frame that playback wrote as frame n - delay (silence for n < delay). With read before
 * write on each tick the delay must be at least one period, or the first read finds nothing.
 *
 * Xruns: a playback write that finds the ring full (the capture end is running but not
 * reading) drops the write and counts an overrun on the capture end; while the capture end
 * is not running playback is simply discarded. A capture read of more than is queued returns
 * -EAGAIN.
 *
 * Both ends must be opened with the same format, rate, channels, period and periods; one
 * playback and one capture end per name. The ring holds 32 buffers (rounded up to a power
 * of two) and the delay may be at most 16 buffers.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "io/internal.h"
#include "util/compiler.h"
#include "util/log.h"
#include "util/ringbuf.h"

#define LOOPBACK_NAME_MAX	64
#define LOOPBACK_RING_BUFFERS	32u
#define LOOPBACK_DELAY_BUFFERS	16u

struct io_loop_pair {
	struct io_loop_pair *next;
	char name[LOOPBACK_NAME_MAX];
	struct io_params params;	/* direction ignored */
	bool has_playback;
	bool has_capture;
	int efd;			/* the capture end's clock */
	_Atomic bool capture_running;
	_Atomic uint64_t capture_xruns;
	struct vadsp_ringbuf ring;
	uint8_t *ring_mem;
};

struct io_loopback {
	struct io_endpoint base;
	struct io_loop_pair *pair;
	struct io_vclock clock;		/* playback end only */
	uint32_t delay;			/* capture end: frames of silence owed at start */
	uint32_t pending;		/* capture end: silence still owed */
};

/* Pairs by name; only open and close take the lock. */
static pthread_mutex_t loop_lock = PTHREAD_MUTEX_INITIALIZER;
static struct io_loop_pair *loop_pairs;

static struct io_loopback *to_loop(struct io_endpoint *ep)
{
	return vadsp_container_of(ep, struct io_loopback, base);
}

static bool pair_params_match(const struct io_params *a, const struct io_params *b)
{
	return a->format == b->format && a->rate == b->rate && a->channels == b->channels &&
	       a->period_frames == b->period_frames && a->periods == b->periods;
}

static uint32_t pow2_at_least(uint64_t v)
{
	uint32_t p = 1;

	while (p < v && p < (1u << 31))
		p <<= 1;
	return p;
}

static void pair_free(struct io_loop_pair *pair)
{
	if (pair->efd >= 0)
		close(pair->efd);
	free(pair->ring_mem);
	free(pair);
}

/* Find or create the pair for @name and claim one end of it. Called with loop_lock held. */
static int pair_claim(const char *name, const struct io_params *params,
		      struct io_loop_pair **out)
{
	bool capture = params->direction == IO_DIR_CAPTURE;
	struct io_loop_pair *pair;
	uint64_t ring_bytes;

	for (pair = loop_pairs; pair; pair = pair->next)
		if (!strcmp(pair->name, name))
			break;
	if (pair) {
		if (capture ? pair->has_capture : pair->has_playback)
			return -EBUSY;
		if (!pair_params_match(&pair->params, params))
			return -EINVAL;
		goto claim;
	}

	ring_bytes = (uint64_t)params->period_frames * params->periods *
		     LOOPBACK_RING_BUFFERS * io_format_bytes(params->format) * params->channels;
	if (ring_bytes > (1u << 30))
		return -EINVAL;
	pair = calloc(1, sizeof(*pair));
	if (!pair)
		return -ENOMEM;
	strcpy(pair->name, name);
	pair->params = *params;
	pair->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	pair->ring_mem = calloc(1, pow2_at_least(ring_bytes));
	if (pair->efd < 0 || !pair->ring_mem) {
		int ret = pair->efd < 0 ? -errno : -ENOMEM;

		pair_free(pair);
		return ret;
	}
	vadsp_ringbuf_init(&pair->ring, pair->ring_mem, pow2_at_least(ring_bytes));
	pair->next = loop_pairs;
	loop_pairs = pair;
claim:
	if (capture)
		pair->has_capture = true;
	else
		pair->has_playback = true;
	*out = pair;
	return 0;
}

/* Give up one end; free the pair with its last end. Called with loop_lock held. */
static void pair_release(struct io_loop_pair *pair, enum io_direction dir)
{
	struct io_loop_pair **pp;

	if (dir == IO_DIR_CAPTURE)
		pair->has_capture = false;
	else
		pair->has_playback = false;
	if (pair->has_capture || pair->has_playback)
		return;
	for (pp = &loop_pairs; *pp; pp = &(*pp)->next)
		if (*pp == pair) {
			*pp = pair->next;
			break;
		}
	pair_free(pair);
}

static int parse_delay(const struct io_spec *spec, const struct io_params *params,
		       uint32_t *delay)
{
	const char *v = io_spec_opt(spec, "delay");
	uint64_t max = (uint64_t)params->period_frames * params->periods * LOOPBACK_DELAY_BUFFERS;
	unsigned long long n;
	char *end;

	*delay = params->period_frames;
	if (!v)
		return 0;
	if (params->direction != IO_DIR_CAPTURE || *v < '0' || *v > '9')
		return -EINVAL;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || *end || n > max)
		return -EINVAL;
	*delay = (uint32_t)n;
	return 0;
}

static int loop_open(const struct io_spec *spec, const struct io_params *params,
		     struct io_endpoint **out)
{
	static const char *const known[] = { "delay", NULL };
	struct io_loopback *l;
	uint32_t delay;
	int ret;

	if (!spec->arg || strlen(spec->arg) >= LOOPBACK_NAME_MAX ||
	    io_spec_check_opts(spec, known) < 0)
		return -EINVAL;
	ret = parse_delay(spec, params, &delay);
	if (ret < 0)
		return ret;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	io_base_init(&l->base, &io_loopback_ops, params);
	l->delay = delay;
	l->clock.fd = -1;
	if (params->direction == IO_DIR_PLAYBACK) {
		ret = io_vclock_init(&l->clock, params);
		if (ret < 0)
			goto err_free;
	}
	pthread_mutex_lock(&loop_lock);
	ret = pair_claim(spec->arg, params, &l->pair);
	pthread_mutex_unlock(&loop_lock);
	if (ret < 0) {
		vadsp_err("io", "loopback:%s: %s", spec->arg,
			  ret == -EBUSY ? "this end is already open" :
			  "the two ends need the same format, rate, channels and period");
		goto err_clock;
	}
	*out = &l->base;
	return 0;

err_clock:
	io_vclock_fini(&l->clock);
err_free:
	free(l);
	return ret;
}

static void loop_close(struct io_endpoint *ep)
{
	struct io_loopback *l = to_loop(ep);

	pthread_mutex_lock(&loop_lock);
	pair_release(l->pair, ep->params.direction);
	pthread_mutex_unlock(&loop_lock);
	io_vclock_fini(&l->clock);
	free(l);
}

static void loop_signal(struct io_loop_pair *pair)
{
	eventfd_write(pair->efd, 1);
}

static int loop_start(struct io_endpoint *ep)
{
	struct io_loopback *l = to_loop(ep);
	struct io_loop_pair *pair = l->pair;

	if (ep->params.direction == IO_DIR_PLAYBACK)
		return io_vclock_start(&l->clock);
	/* The consumer may drop what is queued at any time. */
	vadsp_ringbuf_skip(&pair->ring, vadsp_ringbuf_readable(&pair->ring));
	l->pending = l->delay;
	atomic_store_explicit(&pair->capture_running, true, memory_order_release);
	if (l->pending >= ep->params.period_frames)
		loop_signal(pair);
	return 0;
}

static int loop_stop(struct io_endpoint *ep)
{
	struct io_loopback *l = to_loop(ep);
	eventfd_t v;

	if (ep->params.direction == IO_DIR_PLAYBACK) {
		io_vclock_stop(&l->clock);
		return 0;
	}
	atomic_store_explicit(&l->pair->capture_running, false, memory_order_release);
	eventfd_read(l->pair->efd, &v);
	return 0;
}

static int loop_clock_fd(struct io_endpoint *ep)
{
	struct io_loopback *l = to_loop(ep);

	return ep->params.direction == IO_DIR_PLAYBACK ? l->clock.fd : l->pair->efd;
}

/* Capture end: frames available (silence owed plus queued data). */
static uint32_t loop_capture_avail(struct io_loopback *l)
{
	return l->pending + vadsp_ringbuf_readable(&l->pair->ring) / l->base.frame_bytes;
}

static int loop_clock_ack(struct io_endpoint *ep)
{
	struct io_loopback *l = to_loop(ep);
	eventfd_t v;

	if (ep->params.direction == IO_DIR_PLAYBACK)
		return io_vclock_ack(&l->clock);
	/* Clear first: a write that lands meanwhile signals again. */
	eventfd_read(l->pair->efd, &v);
	return (int)(loop_capture_avail(l) / ep->params.period_frames);
}

static int loop_avail(struct io_endpoint *ep)
{
	struct io_loopback *l = to_loop(ep);

	if (ep->params.direction == IO_DIR_PLAYBACK)
		return io_vclock_avail(&l->clock);
	return (int)loop_capture_avail(l);
}

static int loop_write(struct io_endpoint *ep, const void *buf, uint32_t frames)
{
	struct io_loopback *l = to_loop(ep);
	struct io_loop_pair *pair = l->pair;
	uint32_t bytes = frames * ep->frame_bytes;
	int ret = io_vclock_take(&l->clock, frames);

	if (ret < 0)
		return ret;
	if (!atomic_load_explicit(&pair->capture_running, memory_order_acquire))
		return (int)frames;
	if (vadsp_ringbuf_write(&pair->ring, buf, bytes) < 0)
		atomic_fetch_add_explicit(&pair->capture_xruns, 1, memory_order_relaxed);
	else
		loop_signal(pair);
	return (int)frames;
}

static int loop_read(struct io_endpoint *ep, void *buf, uint32_t frames)
{
	struct io_loopback *l = to_loop(ep);
	uint32_t silence;
	uint8_t *out = buf;

	if (frames > l->pair->ring.size / ep->frame_bytes + l->delay)
		return -EINVAL;
	if (frames > loop_capture_avail(l))
		return -EAGAIN;
	silence = VADSP_MIN(frames, l->pending);
	io_fill_silence(out, silence, ep->frame_bytes);
	l->pending -= silence;
	out += (size_t)silence * ep->frame_bytes;
	if (frames > silence)
		vadsp_ringbuf_read(&l->pair->ring, out, (frames - silence) * ep->frame_bytes);
	return (int)frames;
}

static int loop_delay(struct io_endpoint *ep, int64_t *frames)
{
	struct io_loopback *l = to_loop(ep);

	if (ep->params.direction == IO_DIR_PLAYBACK)
		*frames = io_vclock_delay(&l->clock);
	else
		*frames = loop_capture_avail(l);
	return 0;
}

static uint64_t loop_xruns(struct io_endpoint *ep)
{
	struct io_loopback *l = to_loop(ep);

	if (ep->params.direction == IO_DIR_PLAYBACK)
		return l->clock.xruns;
	return atomic_load_explicit(&l->pair->capture_xruns, memory_order_relaxed);
}

const struct io_endpoint_ops io_loopback_ops = {
	.kind = "loopback",
	.free_run = true,
	.open = loop_open,
	.close = loop_close,
	.start = loop_start,
	.stop = loop_stop,
	.clock_fd = loop_clock_fd,
	.clock_ack = loop_clock_ack,
	.avail = loop_avail,
	.write = loop_write,
	.read = loop_read,
	.delay = loop_delay,
	.xruns = loop_xruns,
};
