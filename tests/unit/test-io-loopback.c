/* SPDX-License-Identifier: MIT */
/*
 * The loopback endpoint: what playback writes comes out of capture `delay` frames later,
 * exactly, in either order of write and read per tick; the capture clock follows playback;
 * overruns are counted; pairing rules are enforced.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "io/io.h"

#define PERIOD		64		/* 32 buffers of 2 periods, S32 stereo: a 32 KiB ring, 64 periods */
#define CHANNELS	2

static struct io_params params(enum io_direction dir, uint32_t flags)
{
	struct io_params p = {
		.direction = dir,
		.format = IO_FMT_S32_LE,
		.rate = 48000,
		.channels = CHANNELS,
		.period_frames = PERIOD,
		.flags = flags,
	};
	return p;
}

/* Frame n of the test signal: nonzero, distinct per frame and channel. */
static int32_t sample(uint32_t n, uint32_t c)
{
	return (int32_t)(n * 2 + 1) * (c ? -1 : 1);
}

static void fill_period(int32_t *buf, uint32_t first)
{
	for (uint32_t i = 0; i < PERIOD; i++)
		for (uint32_t c = 0; c < CHANNELS; c++)
			buf[i * CHANNELS + c] = sample(first + i, c);
}

/* Check capture frames [first, first + PERIOD) against playback delayed by @delay. */
static void check_period(const int32_t *buf, uint32_t first, uint32_t delay)
{
	for (uint32_t i = 0; i < PERIOD; i++) {
		uint32_t n = first + i;

		for (uint32_t c = 0; c < CHANNELS; c++) {
			int32_t want = n < delay ? 0 : sample(n - delay, c);

			if (buf[i * CHANNELS + c] != want)
				fail_msg("capture frame %u channel %u: %d, want %d", n, c,
					 buf[i * CHANNELS + c], want);
		}
	}
}

static void run_lockstep(const char *cap_spec, uint32_t delay, bool read_first)
{
	struct io_params pp = params(IO_DIR_PLAYBACK, IO_FLAG_FREE_RUN);
	struct io_params cp = params(IO_DIR_CAPTURE, IO_FLAG_FREE_RUN);
	int32_t out[PERIOD * CHANNELS], in[PERIOD * CHANNELS];
	struct io_endpoint *play, *cap;
	struct io_status st;

	assert_int_equal(io_endpoint_open("loopback:lat", &pp, &play), 0);
	assert_int_equal(io_endpoint_open(cap_spec, &cp, &cap), 0);
	assert_int_equal(io_endpoint_start(cap), 0);
	assert_int_equal(io_endpoint_start(play), 0);
	for (uint32_t t = 0; t < 100; t++) {
		int64_t lag;

		fill_period(out, t * PERIOD);
		if (read_first) {
			assert_int_equal(io_endpoint_read(cap, in, PERIOD), PERIOD);
			assert_int_equal(io_endpoint_write(play, out, PERIOD), PERIOD);
		} else {
			assert_int_equal(io_endpoint_write(play, out, PERIOD), PERIOD);
			assert_int_equal(io_endpoint_read(cap, in, PERIOD), PERIOD);
		}
		check_period(in, t * PERIOD, delay);
		/* After each whole tick the capture side's delay is the configured lag. */
		assert_int_equal(io_endpoint_delay(cap, &lag), 0);
		assert_int_equal(lag, delay);
	}
	io_endpoint_get_status(cap, &st);
	assert_int_equal(st.xruns, 0);
	assert_int_equal(st.frames, 100 * PERIOD);
	io_endpoint_close(play);
	io_endpoint_close(cap);
}

static void test_capture_hears_playback_one_period_later_by_default(void **state)
{
	run_lockstep("loopback:lat", PERIOD, false);
	run_lockstep("loopback:lat", PERIOD, true);
}

static void test_capture_hears_playback_after_the_configured_delay(void **state)
{
	/* Not a multiple of the period: the delay is exact to the frame. */
	run_lockstep("loopback:lat?delay=100", 100, true);
	run_lockstep("loopback:lat?delay=100", 100, false);
	run_lockstep("loopback:lat?delay=0", 0, false);
}

static void test_zero_delay_with_read_first_finds_nothing_yet(void **state)
{
	struct io_params pp = params(IO_DIR_PLAYBACK, IO_FLAG_FREE_RUN);
	struct io_params cp = params(IO_DIR_CAPTURE, IO_FLAG_FREE_RUN);
	int32_t buf[PERIOD * CHANNELS] = { 0 };
	struct io_endpoint *play, *cap;

	assert_int_equal(io_endpoint_open("loopback:z", &pp, &play), 0);
	assert_int_equal(io_endpoint_open("loopback:z?delay=0", &cp, &cap), 0);
	assert_int_equal(io_endpoint_start(cap), 0);
	assert_int_equal(io_endpoint_start(play), 0);
	assert_int_equal(io_endpoint_read(cap, buf, PERIOD), -EAGAIN);
	assert_int_equal(io_endpoint_write(play, buf, PERIOD), PERIOD);
	assert_int_equal(io_endpoint_read(cap, buf, PERIOD), PERIOD);
	io_endpoint_close(cap);
	io_endpoint_close(play);
}

static void test_capture_clock_is_driven_by_playback_writes(void **state)
{
	struct io_params pp = params(IO_DIR_PLAYBACK, 0);
	struct io_params cp = params(IO_DIR_CAPTURE, 0);
	int32_t out[PERIOD * CHANNELS], in[PERIOD * CHANNELS];
	struct io_endpoint *play, *cap;
	struct pollfd pfd[2] = { { .events = POLLIN }, { .events = POLLIN } };
	uint32_t written = 0, read = 0;

	assert_int_equal(io_endpoint_open("loopback:clk", &pp, &play), 0);
	assert_int_equal(io_endpoint_open("loopback:clk?delay=0", &cp, &cap), 0);
	pfd[0].fd = io_endpoint_clock_fd(play);
	pfd[1].fd = io_endpoint_clock_fd(cap);
	assert_true(pfd[0].fd >= 0 && pfd[1].fd >= 0 && pfd[0].fd != pfd[1].fd);
	assert_int_equal(io_endpoint_start(cap), 0);
	/* No delay and nothing written: capture's clock is quiet. */
	assert_int_equal(poll(&pfd[1], 1, 0), 0);
	assert_int_equal(io_endpoint_start(play), 0);

	/* The playback timerfd paces; capture wakes because playback wrote. */
	while (read < 30) {
		int n;

		assert_true(poll(pfd, 2, 5000) > 0);
		if (pfd[0].revents & POLLIN) {
			n = io_endpoint_clock_ack(play);
			assert_true(n >= 0);
			for (int i = 0; i < n; i++, written++) {
				fill_period(out, written * PERIOD);
				assert_int_equal(io_endpoint_write(play, out, PERIOD), PERIOD);
			}
		}
		if (pfd[1].revents & POLLIN) {
			n = io_endpoint_clock_ack(cap);
			assert_true(n >= 1);
			for (int i = 0; i < n; i++, read++) {
				assert_int_equal(io_endpoint_read(cap, in, PERIOD), PERIOD);
				check_period(in, read * PERIOD, 0);
			}
		}
	}
	assert_true(written >= read);
	io_endpoint_close(play);
	io_endpoint_close(cap);
}

static void test_playback_into_a_capture_that_does_not_read_counts_overruns(void **state)
{
	struct io_params pp = params(IO_DIR_PLAYBACK, IO_FLAG_FREE_RUN);
	struct io_params cp = params(IO_DIR_CAPTURE, IO_FLAG_FREE_RUN);
	int32_t buf[PERIOD * CHANNELS] = { 0 };
	struct io_endpoint *play, *cap;
	struct io_status st;
	int avail;

	assert_int_equal(io_endpoint_open("loopback:ovr", &pp, &play), 0);
	assert_int_equal(io_endpoint_open("loopback:ovr", &cp, &cap), 0);
	assert_int_equal(io_endpoint_start(play), 0);
	/* Capture not running yet: playback is discarded, nothing queues up. */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(io_endpoint_write(play, buf, PERIOD), PERIOD);
	assert_int_equal(io_endpoint_start(cap), 0);
	assert_int_equal(io_endpoint_avail(cap), PERIOD);	/* only the delay's silence */
	io_endpoint_get_status(cap, &st);
	assert_int_equal(st.xruns, 0);

	/* Running but not reading: the ring (32 buffers) fills, further writes overrun. */
	for (int i = 0; i < 100; i++)
		assert_int_equal(io_endpoint_write(play, buf, PERIOD), PERIOD);
	io_endpoint_get_status(cap, &st);
	assert_int_equal(st.xruns, 100 - 64);
	avail = io_endpoint_avail(cap);
	assert_int_equal(avail, PERIOD + 64 * PERIOD);
	/* Reading drains it and playback flows again. */
	for (int i = 0; i < 65; i++)
		assert_int_equal(io_endpoint_read(cap, buf, PERIOD), PERIOD);
	assert_int_equal(io_endpoint_read(cap, buf, PERIOD), -EAGAIN);
	assert_int_equal(io_endpoint_write(play, buf, PERIOD), PERIOD);
	assert_int_equal(io_endpoint_read(cap, buf, PERIOD), PERIOD);
	io_endpoint_get_status(cap, &st);
	assert_int_equal(st.xruns, 100 - 64);
	io_endpoint_close(play);
	io_endpoint_close(cap);
}

static void test_pairing_rules_are_enforced(void **state)
{
	struct io_params pp = params(IO_DIR_PLAYBACK, IO_FLAG_FREE_RUN);
	struct io_params cp = params(IO_DIR_CAPTURE, IO_FLAG_FREE_RUN);
	struct io_endpoint *play, *cap, *other;

	assert_int_equal(io_endpoint_open("loopback", &pp, &play), -EINVAL);
	assert_int_equal(io_endpoint_open("loopback:p?delay=5", &pp, &play), -EINVAL);
	assert_int_equal(io_endpoint_open("loopback:p?delay=-1", &cp, &cap), -EINVAL);
	assert_int_equal(io_endpoint_open("loopback:p?delay=1000000", &cp, &cap), -EINVAL);
	assert_int_equal(io_endpoint_open("loopback:p", &pp, &play), 0);
	/* One playback end per name. */
	assert_int_equal(io_endpoint_open("loopback:p", &pp, &other), -EBUSY);
	/* The capture end must match. */
	cp.rate = 44100;
	assert_int_equal(io_endpoint_open("loopback:p", &cp, &cap), -EINVAL);
	cp.rate = 48000;
	cp.format = IO_FMT_S16_LE;
	assert_int_equal(io_endpoint_open("loopback:p", &cp, &cap), -EINVAL);
	cp.format = IO_FMT_S32_LE;
	assert_int_equal(io_endpoint_open("loopback:p", &cp, &cap), 0);
	assert_int_equal(io_endpoint_open("loopback:p", &cp, &other), -EBUSY);
	/* Another name is another pair. */
	assert_int_equal(io_endpoint_open("loopback:q", &pp, &other), 0);
	io_endpoint_close(other);
	/* Closing one end keeps the pair for the other; closing both frees the name. */
	io_endpoint_close(play);
	assert_int_equal(io_endpoint_open("loopback:p", &pp, &play), 0);
	io_endpoint_close(play);
	io_endpoint_close(cap);
	cp.rate = 44100;
	assert_int_equal(io_endpoint_open("loopback:p", &cp, &cap), 0);
	io_endpoint_close(cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_hears_playback_one_period_later_by_default),
		cmocka_unit_test(test_capture_hears_playback_after_the_configured_delay),
		cmocka_unit_test(test_zero_delay_with_read_first_finds_nothing_yet),
		cmocka_unit_test(test_capture_clock_is_driven_by_playback_writes),
		cmocka_unit_test(test_playback_into_a_capture_that_does_not_read_counts_overruns),
		cmocka_unit_test(test_pairing_rules_are_enforced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
