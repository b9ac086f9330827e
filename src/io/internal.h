/* SPDX-License-Identifier: MIT */
/*
 * Shared between the endpoint kinds of src/io; not for other modules.
 */
#ifndef VADSP_IO_INTERNAL_H
#define VADSP_IO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "io/io.h"

/**
 * io_base_init() - fill the common part of a new endpoint
 * @ep: the embedded struct io_endpoint
 * @ops: the kind
 * @params: the checked parameters (periods already defaulted)
 */
void io_base_init(struct io_endpoint *ep, const struct io_endpoint_ops *ops,
		  const struct io_params *params);

/*
 * A virtual device clocked by a timerfd: the clock of null, file and loopback playback.
 *
 * It keeps the frames transferable now (room for playback, data for capture) in a buffer of
 * params.periods periods. Every period boundary (start time + k * period_frames / rate,
 * computed exactly, so there is no drift) adds one period. When the engine falls so far
 * behind that more than a buffer would be due, the excess is dropped and counted as one xrun.
 * A playback device starts consuming only once the engine has filled its buffer, as an ALSA
 * PCM with start_threshold = buffer size does; a capture device starts at io_vclock_start().
 * Free-running, there is no timerfd and everything is always transferable.
 * While the device runs, its timerfd is periodic (clock.c), so acknowledging a tick
 * costs one read() of the fd.
 */
struct io_vclock {
	int fd;			/* timerfd, -1 when free-running */
	bool free_run;
	bool playback;
	bool ticking;		/* the virtual device is consuming/producing */
	uint32_t rate;
	uint32_t period;	/* frames */
	uint32_t buffer;	/* frames: periods * period */
	struct timespec t0;	/* CLOCK_MONOTONIC when ticking started */
	uint64_t ticks;		/* period boundaries passed since t0, as last seen */
	uint64_t interval_ns;	/* the period, rounded up: the timer's interval */
	bool periodic;		/* the timer expires every interval_ns */
	uint64_t expired;	/* periodic: boundary of the last expiry read */
	uint64_t next_ns;	/* periodic: the next expiry, from t0 */
	uint32_t avail;		/* frames transferable now */
	uint64_t xruns;
};

/**
 * io_vclock_init() - set up a stopped clock for @params (creates the timerfd)
 *
 * Return: 0 or -errno of timerfd_create().
 */
int io_vclock_init(struct io_vclock *c, const struct io_params *params);

/** io_vclock_fini() - close the timerfd */
void io_vclock_fini(struct io_vclock *c);

/**
 * io_vclock_start() - playback: a whole buffer of room, readable at once; capture: empty,
 * ticking from now
 *
 * Return: 0 or -errno of timerfd_settime().
 */
int io_vclock_start(struct io_vclock *c);

/** io_vclock_stop() - disarm; the clock stays quiet until io_vclock_start() */
void io_vclock_stop(struct io_vclock *c);

/**
 * io_vclock_ack() - consume the timerfd, bring the device up to now, re-arm the timer
 * only if it is not set for the next boundary
 *
 * Return: whole periods transferable now (1 when free-running).
 */
int io_vclock_ack(struct io_vclock *c);

/**
 * io_vclock_avail() - bring the device up to now
 *
 * Return: frames transferable now (INT32_MAX when free-running).
 */
int io_vclock_avail(struct io_vclock *c);

/**
 * io_vclock_take() - account for @frames transferred
 *
 * Return: 0, -EAGAIN (nothing accounted) when fewer are transferable now, or -EINVAL
 * when @frames exceeds the buffer.
 */
int io_vclock_take(struct io_vclock *c, uint32_t frames);

/**
 * io_vclock_delay() - playback: frames queued and not yet consumed; capture: frames
 * produced and not yet read (0 when free-running)
 */
int64_t io_vclock_delay(struct io_vclock *c);

/**
 * io_fill_silence() - write @frames frames of digital silence in @fmt (all formats: zeros)
 */
void io_fill_silence(void *buf, uint32_t frames, uint32_t frame_bytes);

#endif /* VADSP_IO_INTERNAL_H */
