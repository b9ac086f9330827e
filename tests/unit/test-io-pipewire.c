/* SPDX-License-Identifier: MIT */
/*
 * The PipeWire endpoint against a real PipeWire daemon that this test starts privately
 * (tests/io/pipewire-null.conf: a null sink, no session manager) in a temporary
 * XDG_RUNTIME_DIR.
 *
 * The round trip: a playback endpoint linked to the null sink plays a known signal; a
 * capture endpoint linked to the sink's monitor ports records it; the recording holds the
 * signal sample for sample (S16 survives PipeWire's float conversion exactly). That proves
 * the stream was linked, driven by the graph clock, that the eventfd clock woke the engine,
 * and that the ring carried every frame in order both ways. Also: underruns are counted and
 * recovered, a missing target or daemon fails the open cleanly, and a daemon that dies
 * under a running stream wakes the engine with -EIO.
 *
 * Exit code 77 (skipped) when the pipewire binary is not installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/io.h"

#define PERIOD		256
#define CHANNELS	2
#define RATE		48000
#define SINK		"vadsp-null-sink"

static char tmpdir[64];
static char logpath[128];
static pid_t daemon_pid = -1;

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void dump_daemon_log(void)
{
	char line[512];
	FILE *f = fopen(logpath, "r");

	if (!f)
		return;
	fprintf(stderr, "--- pipewire daemon log ---\n");
	while (fgets(line, sizeof(line), f))
		fputs(line, stderr);
	fclose(f);
}

static int start_daemon(void **state)
{
	const char *conf = getenv("VADSP_PW_CONF");
	char sock[128];
	struct stat st;

	if (!conf) {
		fprintf(stderr, "VADSP_PW_CONF is not set\n");
		return -1;
	}
	strcpy(tmpdir, "/tmp/vadsp-io-pw-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(logpath, sizeof(logpath), "%s/pipewire.log", tmpdir);
	snprintf(sock, sizeof(sock), "%s/pipewire-0", tmpdir);
	setenv("XDG_RUNTIME_DIR", tmpdir, 1);
	setenv("PIPEWIRE_RUNTIME_DIR", tmpdir, 1);
	unsetenv("PIPEWIRE_REMOTE");

	daemon_pid = fork();
	if (daemon_pid < 0)
		return -1;
	if (daemon_pid == 0) {
		int fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		/* Never outlive the test, even one killed by a sanitizer or a timeout. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("pipewire", "pipewire", "-c", conf, (char *)NULL);
		_exit(127);
	}
	/* Wait for the socket; the bound only catches a daemon that never comes up. */
	for (int i = 0; i < 1000; i++) {
		int status;

		if (stat(sock, &st) == 0)
			return 0;
		if (waitpid(daemon_pid, &status, WNOHANG) == daemon_pid) {
			daemon_pid = -1;
			dump_daemon_log();
			return -1;
		}
		sleep_ms(10);
	}
	dump_daemon_log();
	return -1;
}

static int stop_daemon(void **state)
{
	char cmd[128];

	if (daemon_pid > 0) {
		kill(daemon_pid, SIGTERM);
		waitpid(daemon_pid, NULL, 0);
		daemon_pid = -1;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct io_params params(enum io_direction dir)
{
	struct io_params p = {
		.direction = dir,
		.format = IO_FMT_S16_LE,
		.rate = RATE,
		.channels = CHANNELS,
		.period_frames = PERIOD,
	};
	return p;
}

/* Frame n of the test signal as an integer: nonzero, different per channel. */
static int sample(uint32_t n, uint32_t c)
{
	int v = (int)(n % 30000) + 1;

	return c ? -v : v;
}

/* @v (|v| < 32768) in @fmt, scaled so that PipeWire's float path carries it exactly. */
static void put(enum io_format fmt, void *buf, uint32_t k, int v)
{
	switch (fmt) {
	case IO_FMT_S16_LE:
		((int16_t *)buf)[k] = (int16_t)v;
		break;
	case IO_FMT_S24_4LE:
		((int32_t *)buf)[k] = v * 200 + (v & 0x3f);	/* uses all 24 bits' range */
		break;
	case IO_FMT_S32_LE:
		((int32_t *)buf)[k] = v * 65536;
		break;
	case IO_FMT_FLOAT:
		((float *)buf)[k] = (float)v / 32768.0f;
		break;
	}
}

static bool sample_is(enum io_format fmt, const void *buf, uint32_t k, int v)
{
	uint8_t want[4];
	uint32_t b = io_format_bytes(fmt);

	put(fmt, want, 0, v);
	return !memcmp((const uint8_t *)buf + k * b, want, b);
}

/*
 * Links and the graph settle asynchronously after the streams start, so the first cycles
 * may not reach the monitor yet. Playback therefore sends a marker (a constant, MARK) until
 * capture hears it: from then on the path is up end to end. It then sends GAP periods of
 * silence and the signal, and everything from the end of the marker on must arrive exactly.
 */
#define MARK	7
#define GAP	4

static void check_round_trip(enum io_format fmt)
{
	enum { SIGNAL_PERIODS = 100, SIGNAL = SIGNAL_PERIODS * PERIOD,
	       MAX_CAPTURE = 16 * RATE };
	static uint32_t rec[MAX_CAPTURE * CHANNELS];
	uint32_t out[PERIOD * CHANNELS];
	struct io_params pp = params(IO_DIR_PLAYBACK), cp = params(IO_DIR_CAPTURE);
	struct io_endpoint *play = NULL, *cap = NULL;
	struct pollfd pfd[2] = { { .events = POLLIN }, { .events = POLLIN } };
	uint32_t fb = io_format_bytes(fmt) * CHANNELS;
	struct io_status st;
	uint32_t written = 0, recorded = 0, sig_at = UINT32_MAX;
	uint32_t mark_seen = UINT32_MAX, mark_end = UINT32_MAX, first = UINT32_MAX;
	int64_t delay;

	/* A deep buffer (8 periods): this test is about every frame arriving, not latency,
	 * and must not underrun on a loaded machine. */
	pp.periods = 8;
	cp.periods = 8;
	pp.format = fmt;
	cp.format = fmt;
	assert_int_equal(io_endpoint_open("pipewire:" SINK "?link&name=vadsp-test-rec", &cp,
					  &cap), 0);
	assert_int_equal(io_endpoint_open("pipewire:" SINK "?link&name=vadsp-test-play", &pp,
					  &play), 0);
	pfd[0].fd = io_endpoint_clock_fd(play);
	pfd[1].fd = io_endpoint_clock_fd(cap);
	assert_true(pfd[0].fd >= 0 && pfd[1].fd >= 0);
	assert_int_equal(io_endpoint_start(cap), 0);
	assert_int_equal(io_endpoint_start(play), 0);

	while (first == UINT32_MAX || recorded < first + SIGNAL) {
		int n;

		if (poll(pfd, 2, 5000) <= 0) {
			dump_daemon_log();
			fail_msg("no clock from PipeWire: wrote %u, recorded %u", written,
				 recorded);
		}
		if (pfd[0].revents & POLLIN) {
			n = io_endpoint_clock_ack(play);
			assert_true(n >= 0);
			for (int i = 0; i < n; i++, written += PERIOD) {
				if (mark_seen != UINT32_MAX && sig_at == UINT32_MAX)
					sig_at = written + GAP * PERIOD;
				for (uint32_t f = 0; f < PERIOD; f++) {
					uint32_t w = written + f;

					for (uint32_t c = 0; c < CHANNELS; c++)
						put(fmt, out, f * CHANNELS + c,
						    sig_at == UINT32_MAX ? (c ? -MARK : MARK) :
						    w >= sig_at && w - sig_at < SIGNAL ?
						    sample(w - sig_at, c) : 0);
				}
				assert_int_equal(io_endpoint_write(play, out, PERIOD), PERIOD);
			}
			assert_int_equal(io_endpoint_delay(play, &delay), 0);
			assert_true(delay >= 0);
		}
		if (pfd[1].revents & POLLIN) {
			uint32_t before = recorded;

			n = io_endpoint_clock_ack(cap);
			assert_true(n >= 0);
			for (int i = 0; i < n; i++) {
				if (recorded + PERIOD > MAX_CAPTURE) {
					dump_daemon_log();
					fail_msg("the signal never arrived in %u frames", recorded);
				}
				assert_int_equal(io_endpoint_read(cap, (uint8_t *)rec +
								  recorded * fb, PERIOD),
						 PERIOD);
				recorded += PERIOD;
			}
			for (uint32_t f = before; f < recorded && first == UINT32_MAX; f++) {
				bool mark = sample_is(fmt, rec, f * CHANNELS, MARK);

				if (mark_seen == UINT32_MAX && mark)
					mark_seen = f;
				else if (mark_seen != UINT32_MAX && mark_end == UINT32_MAX && !mark)
					mark_end = f;
				else if (mark_end != UINT32_MAX &&
					 !sample_is(fmt, rec, f * CHANNELS, 0))
					first = f;
			}
		}
	}

	/* After the marker: silence, then every frame of the signal, exactly. */
	for (uint32_t f = mark_end; f < first; f++)
		for (uint32_t c = 0; c < CHANNELS; c++)
			if (!sample_is(fmt, rec, f * CHANNELS + c, 0))
				fail_msg("%s: recorded frame %u between marker and signal is "
					 "not silence", io_format_name(fmt), f);
	for (uint32_t f = 0; f < SIGNAL; f++)
		for (uint32_t c = 0; c < CHANNELS; c++)
			if (!sample_is(fmt, rec, (first + f) * CHANNELS + c, sample(f, c))) {
				struct io_status ps, cs;

				io_endpoint_get_status(play, &ps);
				io_endpoint_get_status(cap, &cs);
				fail_msg("%s: recorded frame %u channel %u differs from the "
					 "played one (%llu underruns, %llu overruns)",
					 io_format_name(fmt), f, c,
					 (unsigned long long)ps.xruns,
					 (unsigned long long)cs.xruns);
			}
	/* The gap arrived whole too: the signal starts GAP periods after the marker. */
	assert_int_equal(first - mark_end, GAP * PERIOD);

	io_endpoint_get_status(play, &st);
	assert_int_equal(st.frames, written);
	assert_int_equal(st.state, IO_STATE_RUNNING);
	io_endpoint_get_status(cap, &st);
	assert_int_equal(st.frames, recorded);
	io_endpoint_close(play);
	io_endpoint_close(cap);
}

static void test_a_played_signal_comes_back_from_the_sink_monitor_exactly(void **state)
{
	check_round_trip(IO_FMT_S16_LE);
}

static void test_s24_s32_and_float_come_back_exactly_too(void **state)
{
	check_round_trip(IO_FMT_S24_4LE);
	/* PipeWire carries S32 as float and keeps 24 of its 32 bits: the S32 signal has
	 * its low 16 bits clear, so it must still arrive exactly. */
	check_round_trip(IO_FMT_S32_LE);
	check_round_trip(IO_FMT_FLOAT);
}

static void test_a_playback_underrun_is_counted_and_recovered(void **state)
{
	struct io_params pp = params(IO_DIR_PLAYBACK);
	int16_t out[PERIOD * CHANNELS] = { 0 };
	struct pollfd pfd = { .events = POLLIN };
	struct io_endpoint *play;
	struct io_status st;
	int cycles = 0, n;

	assert_int_equal(io_endpoint_open("pipewire:" SINK "?link&name=vadsp-test-xrun", &pp,
					  &play), 0);
	pfd.fd = io_endpoint_clock_fd(play);
	assert_int_equal(io_endpoint_start(play), 0);
	/* Prime once, then let the graph run dry: the first cycle after the primed data is
	 * gone finds an empty ring. The clock keeps ticking once per cycle regardless. */
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_true(io_endpoint_clock_ack(play) >= 1);
	assert_int_equal(io_endpoint_write(play, out, PERIOD), PERIOD);
	io_endpoint_get_status(play, &st);
	assert_int_equal(st.xruns, 0);
	do {
		assert_int_equal(poll(&pfd, 1, 5000), 1);
		assert_true(io_endpoint_clock_ack(play) >= 0);
		io_endpoint_get_status(play, &st);
	} while (st.xruns == 0 && ++cycles < 1000);
	assert_true(st.xruns >= 1);

	/* Recovered: the engine writes again and the clock keeps going. */
	for (cycles = 0; cycles < 10; cycles++) {
		assert_int_equal(poll(&pfd, 1, 5000), 1);
		n = io_endpoint_clock_ack(play);
		assert_true(n >= 0);
		for (int i = 0; i < n; i++)
			assert_int_equal(io_endpoint_write(play, out, PERIOD), PERIOD);
	}
	io_endpoint_get_status(play, &st);
	assert_true(st.frames > PERIOD);
	io_endpoint_close(play);
}

static void test_stop_and_start_again(void **state)
{
	struct io_params cp = params(IO_DIR_CAPTURE);
	int16_t in[PERIOD * CHANNELS];
	struct pollfd pfd = { .events = POLLIN };
	struct io_endpoint *cap;

	assert_int_equal(io_endpoint_open("pipewire:" SINK "?link&name=vadsp-test-restart", &cp,
					  &cap), 0);
	pfd.fd = io_endpoint_clock_fd(cap);
	for (int round = 0; round < 2; round++) {
		int got = 0;

		assert_int_equal(io_endpoint_start(cap), 0);
		while (got < 4) {
			int n;

			assert_int_equal(poll(&pfd, 1, 5000), 1);
			n = io_endpoint_clock_ack(cap);
			assert_true(n >= 0);
			for (int i = 0; i < n; i++, got++)
				assert_int_equal(io_endpoint_read(cap, in, PERIOD), PERIOD);
		}
		assert_int_equal(io_endpoint_stop(cap), 0);
		assert_int_equal(io_endpoint_read(cap, in, PERIOD), -EBADFD);
	}
	io_endpoint_close(cap);
}

static void test_a_missing_target_or_daemon_fails_the_open(void **state)
{
	struct io_params pp = params(IO_DIR_PLAYBACK);
	struct io_endpoint *ep;
	char empty[128];

	assert_int_equal(io_endpoint_open("pipewire:vadsp-no-such-node?link", &pp, &ep),
			 -ENOENT);
	assert_null(ep);
	/* Linking needs a target. */
	assert_int_equal(io_endpoint_open("pipewire?link", &pp, &ep), -EINVAL);
	assert_int_equal(io_endpoint_open("pipewire:" SINK "?colour=red", &pp, &ep), -EINVAL);

	/* No daemon behind this runtime directory. */
	snprintf(empty, sizeof(empty), "%s/empty", tmpdir);
	assert_int_equal(mkdir(empty, 0700), 0);
	setenv("PIPEWIRE_RUNTIME_DIR", empty, 1);
	setenv("XDG_RUNTIME_DIR", empty, 1);
	assert_true(io_endpoint_open("pipewire:" SINK, &pp, &ep) < 0);
	assert_null(ep);
	setenv("PIPEWIRE_RUNTIME_DIR", tmpdir, 1);
	setenv("XDG_RUNTIME_DIR", tmpdir, 1);
}

/* Last: it takes the daemon down. */
static void test_a_daemon_that_goes_away_is_reported_as_an_io_error(void **state)
{
	struct io_params pp = params(IO_DIR_PLAYBACK);
	int16_t out[PERIOD * CHANNELS] = { 0 };
	struct pollfd pfd = { .events = POLLIN };
	struct io_endpoint *play;
	int n = 0;

	assert_int_equal(io_endpoint_open("pipewire:" SINK "?link&name=vadsp-test-gone", &pp,
					  &play), 0);
	pfd.fd = io_endpoint_clock_fd(play);
	assert_int_equal(io_endpoint_start(play), 0);
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_true(io_endpoint_clock_ack(play) > 0);
	assert_int_equal(io_endpoint_write(play, out, PERIOD), PERIOD);

	kill(daemon_pid, SIGKILL);
	waitpid(daemon_pid, NULL, 0);
	daemon_pid = -1;
	/* The clock wakes the engine once more, to tell it. */
	for (int i = 0; i < 1000 && n >= 0; i++) {
		assert_int_equal(poll(&pfd, 1, 5000), 1);
		n = io_endpoint_clock_ack(play);
	}
	assert_int_equal(n, -EIO);
	assert_int_equal(io_endpoint_write(play, out, PERIOD), -EIO);
	assert_int_equal(io_endpoint_avail(play), -EIO);
	assert_int_equal(io_endpoint_stop(play), 0);
	assert_int_equal(io_endpoint_start(play), -EIO);
	io_endpoint_close(play);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_played_signal_comes_back_from_the_sink_monitor_exactly),
		cmocka_unit_test(test_s24_s32_and_float_come_back_exactly_too),
		cmocka_unit_test(test_a_playback_underrun_is_counted_and_recovered),
		cmocka_unit_test(test_stop_and_start_again),
		cmocka_unit_test(test_a_missing_target_or_daemon_fails_the_open),
		cmocka_unit_test(test_a_daemon_that_goes_away_is_reported_as_an_io_error),
	};

	if (system("command -v pipewire >/dev/null 2>&1") != 0) {
		fprintf(stderr, "pipewire is not installed: skipped\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, start_daemon, stop_daemon);
}
