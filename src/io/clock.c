// SPDX-License-Identifier: MIT
/*
 * The timerfd-driven virtual device shared by null, file and loopback playback (see
 * internal.h). Period boundaries are derived from the start time and a frame count with
 * integer arithmetic, never accumulated, so a clock at 44100 Hz with 48-frame periods (a
 * period of 1088435.37 ns) does not drift.
 *
 * The timerfd is periodic: armed once for the next boundary with the period, rounded up to
 * a nanosecond, as its interval, so that a tick costs the read() of the fd and no re-arm.
 * Its expiries are the boundaries themselves when a period is a whole number of
 * nanoseconds (any whole number of microseconds at 48 kHz); otherwise each one is later
 * than its boundary by less than a nanosecond more than the one before, never earlier, and
 * the timer is re-armed on the exact boundary once that lag would pass VCLOCK_LAG_MAX_NS
 * (every 1.7 s at 44100 Hz with 48-frame periods). The accounting never depends on the
 * timer: it reads CLOCK_MONOTONIC against the boundaries.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "io/internal.h"

#define NSEC_PER_SEC	1000000000ull
#define VCLOCK_LAG_MAX_NS 1000u

void io_base_init(struct io_endpoint *ep, const struct io_endpoint_ops *ops,
		  const struct io_params *params)
{
	ep->ops = ops;
	ep->params = *params;
	ep->frame_bytes = io_format_bytes(params->format) * params->channels;
	ep->state = IO_STATE_STOPPED;
	ep->frames = 0;
}

void io_fill_silence(void *buf, uint32_t frames, uint32_t frame_bytes)
{
	memset(buf, 0, (size_t)frames * frame_bytes);
}

int io_vclock_init(struct io_vclock *c, const struct io_params *params)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->free_run = params->flags & IO_FLAG_FREE_RUN;
	c->playback = params->direction == IO_DIR_PLAYBACK;
	c->rate = params->rate;
	c->period = params->period_frames;
	c->buffer = params->period_frames * params->periods;
	/* Rounded up, the timer never expires before a boundary. */
	c->interval_ns = ((uint64_t)c->period * NSEC_PER_SEC + c->rate - 1) / c->rate;
	if (c->free_run)
		return 0;
	c->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (c->fd < 0)
		return -errno;
	return 0;
}

void io_vclock_fini(struct io_vclock *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Frames of the device's rate elapsed between t0 and @now. */
static uint64_t vclock_frames_at(const struct io_vclock *c, const struct timespec *now)
{
	int64_t sec = now->tv_sec - c->t0.tv_sec;
	int64_t nsec = now->tv_nsec - c->t0.tv_nsec;

	if (nsec < 0) {
		nsec += NSEC_PER_SEC;
		sec--;
	}
	if (sec < 0)
		return 0;
	return (uint64_t)sec * c->rate + (uint64_t)nsec * c->rate / NSEC_PER_SEC;
}

/* Nanoseconds from t0 to period boundary @k (rounded up to the next nanosecond). */
static uint64_t vclock_boundary_ns(const struct io_vclock *c, uint64_t k)
{
	uint64_t frames = k * c->period;
	uint64_t rem = frames % c->rate;

	return frames / c->rate * NSEC_PER_SEC + (rem * NSEC_PER_SEC + c->rate - 1) / c->rate;
}

static void vclock_arm_now(struct io_vclock *c)
{
	/* A relative expiry of 1 ns makes the fd readable straight away. */
	struct itimerspec its = { .it_value = { .tv_sec = 0, .tv_nsec = 1 } };

	c->periodic = false;
	timerfd_settime(c->fd, 0, &its, NULL);
}

static void vclock_disarm(struct io_vclock *c)
{
	struct itimerspec its = { 0 };

	c->periodic = false;
	timerfd_settime(c->fd, 0, &its, NULL);
}

/* Expire on boundary ticks + 1 and every interval_ns after it. */
static void vclock_arm_next(struct io_vclock *c)
{
	uint64_t ns = vclock_boundary_ns(c, c->ticks + 1);
	struct itimerspec its = {
		.it_value = c->t0,
		.it_interval = {
			.tv_sec = (time_t)(c->interval_ns / NSEC_PER_SEC),
			.tv_nsec = (long)(c->interval_ns % NSEC_PER_SEC),
		},
	};

	its.it_value.tv_sec += (time_t)(ns / NSEC_PER_SEC);
	its.it_value.tv_nsec += (long)(ns % NSEC_PER_SEC);
	if (its.it_value.tv_nsec >= (long)NSEC_PER_SEC) {
		its.it_value.tv_nsec -= (long)NSEC_PER_SEC;
		its.it_value.tv_sec++;
	}
	c->periodic = true;
	c->expired = c->ticks;
	c->next_ns = ns;
	timerfd_settime(c->fd, TFD_TIMER_ABSTIME, &its, NULL);
}

/*
 * Whether the periodic timer's next expiry is the one for boundary ticks + 1, no more than
 * VCLOCK_LAG_MAX_NS after it. It is not when a boundary was counted before the timer
 * expired for it (the fd was read just before the boundary, the clock looked at just after).
 */
static bool vclock_on_time(const struct io_vclock *c)
{
	return c->periodic && c->expired == c->ticks &&
	       c->next_ns - vclock_boundary_ns(c, c->ticks + 1) <= VCLOCK_LAG_MAX_NS;
}

/* Credit the periods whose boundaries passed since the last look. */
static void vclock_advance(struct io_vclock *c)
{
	struct timespec now;
	uint64_t k, total;

	if (!c->ticking)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	k = vclock_frames_at(c, &now) / c->period;
	if (k <= c->ticks)
		return;
	total = c->avail + (k - c->ticks) * c->period;
	c->ticks = k;
	if (total > c->buffer) {
		/* Playback ran dry or capture overflowed: skip what could not be kept. */
		c->xruns++;
		total = c->buffer;
	}
	c->avail = (uint32_t)total;
}

static void vclock_begin_ticking(struct io_vclock *c)
{
	clock_gettime(CLOCK_MONOTONIC, &c->t0);
	c->ticks = 0;
	c->ticking = true;
}

int io_vclock_start(struct io_vclock *c)
{
	c->ticking = false;
	c->ticks = 0;
	if (c->free_run)
		return 0;
	if (c->playback) {
		c->avail = c->buffer;
		vclock_arm_now(c);
	} else {
		c->avail = 0;
		vclock_begin_ticking(c);
		vclock_arm_next(c);
	}
	return 0;
}

void io_vclock_stop(struct io_vclock *c)
{
	c->ticking = false;
	c->avail = 0;
	if (c->fd >= 0)
		vclock_disarm(c);
}

int io_vclock_ack(struct io_vclock *c)
{
	uint64_t expirations;

	if (c->free_run)
		return 1;
	/* Clear the fd first so a boundary passing meanwhile still wakes the engine. */
	if (read(c->fd, &expirations, sizeof(expirations)) < 0) {
		if (errno != EAGAIN)
			return -errno;
		expirations = 0;
	}
	if (c->periodic) {
		c->expired += expirations;
		c->next_ns += expirations * c->interval_ns;
	}
	vclock_advance(c);
	if (c->ticking && !vclock_on_time(c))
		vclock_arm_next(c);
	else if (!c->ticking)
		vclock_disarm(c);
	return (int)(c->avail / c->period);
}

int io_vclock_avail(struct io_vclock *c)
{
	if (c->free_run)
		return INT32_MAX;
	vclock_advance(c);
	return (int)c->avail;
}

int io_vclock_take(struct io_vclock *c, uint32_t frames)
{
	if (c->free_run)
		return 0;
	if (frames > c->buffer)
		return -EINVAL;
	vclock_advance(c);
	if (frames > c->avail)
		return -EAGAIN;
	c->avail -= frames;
	if (c->playback && !c->ticking && c->avail == 0) {
		/* The buffer is full: the virtual device starts consuming it now. */
		vclock_begin_ticking(c);
		vclock_arm_next(c);
	}
	return 0;
}

int64_t io_vclock_delay(struct io_vclock *c)
{
	if (c->free_run)
		return 0;
	vclock_advance(c);
	return c->playback ? (int64_t)c->buffer - c->avail : (int64_t)c->avail;
}
