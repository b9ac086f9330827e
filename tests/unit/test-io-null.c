/* SPDX-License-Identifier: MIT */
/*
 * The null endpoint and the timerfd virtual device behind null, file and loopback playback:
 * the clock paces whole periods, playback is offered a buffer of room at start, capture is
 * silence, an engine that falls a buffer behind gets an xrun, free-running never waits.
 *
 * Nothing here asserts how long anything took. The clock is counted: periods reported by
 * io_endpoint_clock_ack() against periods transferred. The tests that wait on purpose rely
 * only on a sleep lasting at least as long as asked.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>

#include <cmocka.h>

#include "io/io.h"

#define PERIOD		48		/* 1 ms at 48 kHz */
#define CHANNELS	2

static struct io_params params(enum io_direction dir, uint32_t period, uint32_t flags)
{
	struct io_params p = {
		.direction = dir,
		.format = IO_FMT_S16_LE,
		.rate = 48000,
		.channels = CHANNELS,
		.period_frames = period,
		.flags = flags,
	};
	return p;
}

/* Wait for the clock (a generous bound that only catches a dead clock), then ack it. */
static int wait_periods(struct io_endpoint *ep)
{
	struct pollfd pfd = { .fd = io_endpoint_clock_fd(ep), .events = POLLIN };

	assert_true(pfd.fd >= 0);
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	return io_endpoint_clock_ack(ep);
}

static void test_capture_clock_delivers_counted_periods_of_silence(void **state)
{
	struct io_params p = params(IO_DIR_CAPTURE, PERIOD, 0);
	int16_t buf[PERIOD * CHANNELS];
	struct io_endpoint *ep;
	struct io_status st;
	unsigned int reported = 0, read = 0, wakeups = 0;

	assert_int_equal(io_endpoint_open("null", &p, &ep), 0);
	assert_int_equal(io_endpoint_start(ep), 0);
	/* Nothing is captured before the first period boundary has passed. */
	while (read < 50) {
		int n = wait_periods(ep);

		assert_true(n >= 0);
		wakeups++;
		reported += (unsigned int)n;
		for (int i = 0; i < n; i++) {
			memset(buf, 0x55, sizeof(buf));
			assert_int_equal(io_endpoint_read(ep, buf, PERIOD), PERIOD);
			for (unsigned int s = 0; s < PERIOD * CHANNELS; s++)
				assert_int_equal(buf[s], 0);
			read++;
		}
		/* What is left never exceeds the device's buffer. */
		assert_true(io_endpoint_avail(ep) <= 2 * PERIOD);
	}
	assert_int_equal(reported, read);
	assert_true(wakeups <= read);
	io_endpoint_get_status(ep, &st);
	assert_int_equal(st.frames, (uint64_t)read * PERIOD);
	assert_true(st.delay >= 0 && st.delay <= 2 * PERIOD);
	io_endpoint_close(ep);
}

static void test_playback_is_offered_a_full_buffer_then_one_period_per_tick(void **state)
{
	struct io_params p = params(IO_DIR_PLAYBACK, PERIOD, 0);
	int16_t buf[PERIOD * CHANNELS] = { 0 };
	struct io_endpoint *ep;
	struct io_status st;
	unsigned int written = 0;

	p.periods = 3;
	assert_int_equal(io_endpoint_open("null", &p, &ep), 0);
	assert_int_equal(io_endpoint_start(ep), 0);
	/* The prefill: the device has not started, its whole buffer is room. */
	assert_int_equal(wait_periods(ep), 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(io_endpoint_write(ep, buf, PERIOD), PERIOD);
	written = 3;
	io_endpoint_get_status(ep, &st);
	assert_true(st.delay > 0 && st.delay <= 3 * PERIOD);
	/* From now on room comes back as the device consumes. */
	while (written < 40) {
		int n = wait_periods(ep);

		assert_true(n >= 0 && n <= 3);
		for (int i = 0; i < n; i++)
			assert_int_equal(io_endpoint_write(ep, buf, PERIOD), PERIOD);
		written += (unsigned int)n;
	}
	io_endpoint_get_status(ep, &st);
	assert_int_equal(st.frames, (uint64_t)written * PERIOD);
	io_endpoint_close(ep);
}

static void test_playback_write_beyond_the_buffer_waits_for_the_device(void **state)
{
	/* 65536-frame periods at 8 kHz: 8 s each, so the device consumes nothing while this
	 * test runs. */
	struct io_params p = params(IO_DIR_PLAYBACK, IO_PERIOD_FRAMES_MAX, 0);
	static int16_t buf[IO_PERIOD_FRAMES_MAX * CHANNELS];
	struct io_endpoint *ep;

	p.rate = 8000;
	p.periods = 2;
	assert_int_equal(io_endpoint_open("null", &p, &ep), 0);
	assert_int_equal(io_endpoint_start(ep), 0);
	assert_int_equal(io_endpoint_avail(ep), 2 * IO_PERIOD_FRAMES_MAX);
	assert_int_equal(io_endpoint_write(ep, buf, IO_PERIOD_FRAMES_MAX), IO_PERIOD_FRAMES_MAX);
	assert_int_equal(io_endpoint_write(ep, buf, IO_PERIOD_FRAMES_MAX), IO_PERIOD_FRAMES_MAX);
	assert_int_equal(io_endpoint_write(ep, buf, 1), -EAGAIN);
	assert_int_equal(io_endpoint_avail(ep), 0);
	assert_int_equal(io_endpoint_clock_ack(ep), 0);
	io_endpoint_close(ep);
}

static void test_capture_that_falls_a_buffer_behind_counts_an_xrun(void **state)
{
	struct io_params p = params(IO_DIR_CAPTURE, PERIOD, 0);
	int16_t buf[PERIOD * CHANNELS];
	/* 10 periods of sleep against a 2-period buffer. */
	struct timespec nap = { .tv_nsec = 10 * 1000000 };
	struct io_endpoint *ep;
	struct io_status st;

	assert_int_equal(io_endpoint_open("null", &p, &ep), 0);
	assert_int_equal(io_endpoint_start(ep), 0);
	io_endpoint_get_status(ep, &st);
	assert_int_equal(st.xruns, 0);
	while (nanosleep(&nap, &nap) < 0 && errno == EINTR)
		;
	/* The device kept only a buffer's worth: two periods, not ten. */
	assert_int_equal(io_endpoint_clock_ack(ep), 2);
	io_endpoint_get_status(ep, &st);
	assert_int_equal(st.xruns, 1);
	/* And it recovered: the two periods are there to read. */
	assert_int_equal(io_endpoint_read(ep, buf, PERIOD), PERIOD);
	assert_int_equal(io_endpoint_read(ep, buf, PERIOD), PERIOD);
	io_endpoint_close(ep);
}

static void test_an_endpoint_that_is_not_the_clock_needs_no_ack(void **state)
{
	struct io_params p = params(IO_DIR_CAPTURE, PERIOD, 0);
	int16_t buf[PERIOD * CHANNELS];
	struct timespec nap = { .tv_nsec = 3 * 1000000 };
	struct io_endpoint *ep;

	assert_int_equal(io_endpoint_open("null", &p, &ep), 0);
	assert_int_equal(io_endpoint_start(ep), 0);
	/* At least three boundaries pass; the buffer keeps two periods of them. */
	while (nanosleep(&nap, &nap) < 0 && errno == EINTR)
		;
	assert_int_equal(io_endpoint_avail(ep), 2 * PERIOD);
	assert_int_equal(io_endpoint_read(ep, buf, PERIOD), PERIOD);
	assert_int_equal(io_endpoint_read(ep, buf, PERIOD), PERIOD);
	io_endpoint_close(ep);
}

static void test_free_running_null_never_waits(void **state)
{
	struct io_params p = params(IO_DIR_PLAYBACK, PERIOD, IO_FLAG_FREE_RUN);
	struct io_params c = params(IO_DIR_CAPTURE, PERIOD, IO_FLAG_FREE_RUN);
	int16_t buf[PERIOD * CHANNELS];
	struct io_endpoint *play, *cap;
	struct io_status st;

	assert_int_equal(io_endpoint_open("null", &p, &play), 0);
	assert_int_equal(io_endpoint_open("null", &c, &cap), 0);
	assert_int_equal(io_endpoint_clock_fd(play), -ENOTSUP);
	assert_int_equal(io_endpoint_start(play), 0);
	assert_int_equal(io_endpoint_start(cap), 0);
	assert_int_equal(io_endpoint_clock_ack(play), 1);
	for (int i = 0; i < 10000; i++) {
		assert_int_equal(io_endpoint_read(cap, buf, PERIOD), PERIOD);
		assert_int_equal(io_endpoint_write(play, buf, PERIOD), PERIOD);
	}
	io_endpoint_get_status(play, &st);
	assert_int_equal(st.frames, 10000u * PERIOD);
	assert_int_equal(st.xruns, 0);
	assert_int_equal(st.delay, 0);
	io_endpoint_close(play);
	io_endpoint_close(cap);
}

static void test_stop_silences_the_clock(void **state)
{
	struct io_params p = params(IO_DIR_CAPTURE, PERIOD, 0);
	struct io_endpoint *ep;
	struct pollfd pfd;

	assert_int_equal(io_endpoint_open("null", &p, &ep), 0);
	pfd.fd = io_endpoint_clock_fd(ep);
	pfd.events = POLLIN;
	assert_int_equal(io_endpoint_start(ep), 0);
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_int_equal(io_endpoint_stop(ep), 0);
	/* The expiry that was pending is gone and no new one is armed. */
	assert_int_equal(poll(&pfd, 1, 20), 0);
	io_endpoint_close(ep);
}

/*
 * wait_periods() for a running clock: a wake-up brings at least one period, unless an xrun
 * since the last one (@xruns, updated) dropped a period the timer still had to expire for.
 */
static int wait_new_periods(struct io_endpoint *ep, uint64_t *xruns)
{
	int n = wait_periods(ep);
	struct io_status st;

	io_endpoint_get_status(ep, &st);
	assert_true(n >= 1 || st.xruns > *xruns);
	*xruns = st.xruns;
	return n;
}

/* The interval of the endpoint's timerfd in nanoseconds, 0 when it is not periodic. */
static uint64_t timer_interval_ns(struct io_endpoint *ep)
{
	struct itimerspec its;

	assert_int_equal(timerfd_gettime(io_endpoint_clock_fd(ep), &its), 0);
	return (uint64_t)its.it_interval.tv_sec * 1000000000u + (uint64_t)its.it_interval.tv_nsec;
}

static void test_a_running_clock_is_a_periodic_timer_that_survives_a_late_ack(void **state)
{
	struct io_params p = params(IO_DIR_CAPTURE, PERIOD, 0);
	int16_t buf[PERIOD * CHANNELS];
	struct timespec nap = { .tv_nsec = 10 * 1000000 };
	struct io_endpoint *ep;
	unsigned int read = 0;
	uint64_t xruns = 0;

	assert_int_equal(io_endpoint_open("null", &p, &ep), 0);
	assert_int_equal(timer_interval_ns(ep), 0);
	assert_int_equal(io_endpoint_start(ep), 0);
	/* 48 frames at 48 kHz: exactly 1 ms, so every expiry is a boundary. */
	assert_int_equal(timer_interval_ns(ep), 1000000);
	while (read < 20) {
		int n = wait_new_periods(ep, &xruns);

		for (int i = 0; i < n; i++)
			assert_int_equal(io_endpoint_read(ep, buf, PERIOD), PERIOD);
		read += (unsigned int)n;
	}
	/* Ten boundaries pass unacknowledged; the buffer keeps two periods, the clock runs on. */
	while (nanosleep(&nap, &nap) < 0 && errno == EINTR)
		;
	assert_int_equal(wait_new_periods(ep, &xruns), 2);
	assert_int_equal(io_endpoint_read(ep, buf, PERIOD), PERIOD);
	assert_int_equal(io_endpoint_read(ep, buf, PERIOD), PERIOD);
	for (int i = 0; i < 5; i++) {
		int n = wait_new_periods(ep, &xruns);

		assert_true(n <= 2);
		for (int j = 0; j < n; j++)
			assert_int_equal(io_endpoint_read(ep, buf, PERIOD), PERIOD);
	}
	assert_int_equal(timer_interval_ns(ep), 1000000);
	assert_int_equal(io_endpoint_stop(ep), 0);
	assert_int_equal(timer_interval_ns(ep), 0);
	io_endpoint_close(ep);
}

static void test_a_period_of_a_fraction_of_a_nanosecond_never_wakes_early(void **state)
{
	/*
	 * One frame at 44100 Hz is 22675.74 ns: the timer's interval is rounded up, and its
	 * expiries fall ever later behind the boundaries until it is set on one again (after
	 * a few thousand periods). A wake-up before its boundary would find no period.
	 */
	struct io_params p = params(IO_DIR_CAPTURE, 1, 0);
	int16_t buf[IO_PERIODS_MAX * CHANNELS];
	struct io_endpoint *ep;
	unsigned int read = 0;
	uint64_t xruns = 0;

	p.rate = 44100;
	p.periods = IO_PERIODS_MAX;
	assert_int_equal(io_endpoint_open("null", &p, &ep), 0);
	assert_int_equal(io_endpoint_start(ep), 0);
	assert_int_equal(timer_interval_ns(ep), 22676);
	while (read < 20000) {
		int n = wait_new_periods(ep, &xruns);

		assert_true(n >= 0 && n <= (int)IO_PERIODS_MAX);
		if (n)
			assert_int_equal(io_endpoint_read(ep, buf, (uint32_t)n), n);
		read += (unsigned int)n;
	}
	io_endpoint_close(ep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_clock_delivers_counted_periods_of_silence),
		cmocka_unit_test(test_playback_is_offered_a_full_buffer_then_one_period_per_tick),
		cmocka_unit_test(test_playback_write_beyond_the_buffer_waits_for_the_device),
		cmocka_unit_test(test_capture_that_falls_a_buffer_behind_counts_an_xrun),
		cmocka_unit_test(test_an_endpoint_that_is_not_the_clock_needs_no_ack),
		cmocka_unit_test(test_free_running_null_never_waits),
		cmocka_unit_test(test_stop_silences_the_clock),
		cmocka_unit_test(test_a_running_clock_is_a_periodic_timer_that_survives_a_late_ack),
		cmocka_unit_test(test_a_period_of_a_fraction_of_a_nanosecond_never_wakes_early),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
