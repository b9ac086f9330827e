/* SPDX-License-Identifier: MIT */
/*
 * The ALSA endpoint against real libasound PCMs: the `file` plugin over the `null` plugin,
 * defined in a private configuration that the test writes and names in ALSA_CONFIG_PATH
 * (after the system's alsa.conf). No sound card is involved.
 *
 * Playback: the bytes the engine wrote are exactly the bytes the file plugin stored.
 * Capture: the file plugin's infile comes out of io_endpoint_read() exactly.
 *
 * Xruns need a PCM that runs in real time: test-io-alsa-plugin.c is one (an ioplug loaded
 * from VADSP_ALSA_FAKE_PLUGIN). An engine that stops feeding it gets an underrun (playback)
 * or overrun (capture), counted, recovered, and the stream runs on.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/io.h"

#define PERIOD		64
#define CHANNELS	2
#define RATE		48000

static char tmpdir[64];
static char out_path[128], in_path[128];

static int setup(void **state)
{
	char conf[128], env[512];
	FILE *f;

	strcpy(tmpdir, "/tmp/vadsp-io-alsa-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(out_path, sizeof(out_path), "%s/out.raw", tmpdir);
	snprintf(in_path, sizeof(in_path), "%s/in.raw", tmpdir);
	snprintf(conf, sizeof(conf), "%s/asoundrc", tmpdir);
	f = fopen(conf, "w");
	if (!f)
		return -1;
	fprintf(f,
		"pcm.vadsp_test_out {\n"
		"	type file\n"
		"	slave.pcm { type null }\n"
		"	file \"%s\"\n"
		"	format raw\n"
		"}\n"
		"pcm.vadsp_test_in {\n"
		"	type file\n"
		"	slave.pcm { type null }\n"
		"	file \"/dev/null\"\n"
		"	infile \"%s\"\n"
		"	format raw\n"
		"}\n", out_path, in_path);
	if (getenv("VADSP_ALSA_FAKE_PLUGIN"))
		fprintf(f,
			"pcm_type.vadsp_fake { lib \"%s\" }\n"
			"pcm.vadsp_test_rt { type vadsp_fake }\n",
			getenv("VADSP_ALSA_FAKE_PLUGIN"));
	fclose(f);
	/* Before libasound reads any configuration in this process. */
	snprintf(env, sizeof(env), "/usr/share/alsa/alsa.conf:%s", conf);
	return setenv("ALSA_CONFIG_PATH", env, 1);
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct io_params params(enum io_direction dir, enum io_format fmt)
{
	struct io_params p = {
		.direction = dir,
		.format = fmt,
		.rate = RATE,
		.channels = CHANNELS,
		.period_frames = PERIOD,
	};
	return p;
}

static void make_signal(uint8_t *buf, size_t bytes, uint32_t seed)
{
	uint32_t x = seed;

	for (size_t i = 0; i < bytes; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
}

static int wait_periods(struct io_endpoint *ep)
{
	struct pollfd pfd = { .fd = io_endpoint_clock_fd(ep), .events = POLLIN };

	assert_true(pfd.fd >= 0);
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	return io_endpoint_clock_ack(ep);
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void check_playback(enum io_format fmt)
{
	enum { PERIODS = 40 };
	uint32_t fb = io_format_bytes(fmt) * CHANNELS;
	static uint8_t sig[PERIODS * PERIOD * 8], back[PERIODS * PERIOD * 8 + 1];
	struct io_params p = params(IO_DIR_PLAYBACK, fmt);
	struct io_endpoint *ep;
	struct io_status st;
	uint32_t done = 0;
	FILE *f;

	make_signal(sig, PERIODS * PERIOD * fb, 7 + fmt);
	if (fmt == IO_FMT_S24_4LE) {
		/* S24_4LE: 24 significant bits, sign-extended into the top byte. */
		int32_t *s = (int32_t *)sig;

		for (uint32_t i = 0; i < PERIODS * PERIOD * CHANNELS; i++)
			s[i] = (int32_t)((uint32_t)s[i] << 8) >> 8;
	}
	unlink(out_path);
	assert_int_equal(io_endpoint_open("alsa:vadsp_test_out", &p, &ep), 0);
	assert_int_equal(io_endpoint_start(ep), 0);
	while (done < PERIODS) {
		int n = wait_periods(ep);

		assert_true(n >= 0);
		for (int i = 0; i < n && done < PERIODS; i++, done++)
			assert_int_equal(io_endpoint_write(ep, sig + done * PERIOD * fb, PERIOD),
					 PERIOD);
	}
	io_endpoint_get_status(ep, &st);
	assert_int_equal(st.frames, PERIODS * PERIOD);
	assert_int_equal(st.xruns, 0);
	io_endpoint_close(ep);

	/* The file plugin wrote exactly what the endpoint was given, in order. */
	assert_int_equal(file_size(out_path), PERIODS * PERIOD * fb);
	f = fopen(out_path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(back, 1, sizeof(back), f), PERIODS * PERIOD * fb);
	fclose(f);
	assert_memory_equal(back, sig, PERIODS * PERIOD * fb);
}

static void test_playback_bytes_land_in_the_file_plugin_s16(void **state)
{
	check_playback(IO_FMT_S16_LE);
}

static void test_playback_bytes_land_in_the_file_plugin_s24_s32_float(void **state)
{
	check_playback(IO_FMT_S24_4LE);
	check_playback(IO_FMT_S32_LE);
	check_playback(IO_FMT_FLOAT);
}

static void test_capture_reads_the_file_plugin_infile(void **state)
{
	enum { PERIODS = 30 };
	uint32_t fb = 2 * CHANNELS;
	static uint8_t sig[PERIODS * PERIOD * 4], got[PERIOD * 4];
	struct io_params p = params(IO_DIR_CAPTURE, IO_FMT_S16_LE);
	struct io_endpoint *ep;
	struct io_status st;
	uint32_t done = 0;
	FILE *f;

	make_signal(sig, sizeof(sig), 99);
	f = fopen(in_path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(sig, 1, sizeof(sig), f), sizeof(sig));
	fclose(f);

	assert_int_equal(io_endpoint_open("alsa:vadsp_test_in", &p, &ep), 0);
	assert_int_equal(io_endpoint_start(ep), 0);
	while (done < PERIODS) {
		int n = wait_periods(ep);

		assert_true(n >= 0);
		for (int i = 0; i < n && done < PERIODS; i++, done++) {
			assert_int_equal(io_endpoint_read(ep, got, PERIOD), PERIOD);
			if (memcmp(got, sig + done * PERIOD * fb, PERIOD * fb))
				fail_msg("period %u differs from the infile", done);
		}
	}
	io_endpoint_get_status(ep, &st);
	assert_int_equal(st.frames, PERIODS * PERIOD);
	io_endpoint_close(ep);
}

static void test_stop_and_restart_keeps_playback_flowing(void **state)
{
	uint32_t fb = 2 * CHANNELS;
	static uint8_t sig[8 * PERIOD * 4];
	struct io_params p = params(IO_DIR_PLAYBACK, IO_FMT_S16_LE);
	struct io_endpoint *ep;
	uint32_t done = 0;

	make_signal(sig, sizeof(sig), 3);
	unlink(out_path);
	assert_int_equal(io_endpoint_open("alsa:vadsp_test_out", &p, &ep), 0);
	for (int round = 0; round < 2; round++) {
		uint32_t stop_at = done + 4;

		assert_int_equal(io_endpoint_start(ep), 0);
		while (done < stop_at) {
			int n = wait_periods(ep);

			for (int i = 0; i < n && done < stop_at; i++, done++)
				assert_int_equal(io_endpoint_write(ep, sig + done * PERIOD * fb,
								   PERIOD), PERIOD);
		}
		assert_int_equal(io_endpoint_stop(ep), 0);
	}
	io_endpoint_close(ep);
	/* Both rounds' data reached the plugin (the file plugin stores on commit). */
	assert_int_equal(file_size(out_path), 8 * PERIOD * fb);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Move @periods periods through @ep as its clock allows (a bound on wake-ups catches a
 * stream that stopped moving). For capture, check the plugin's counting pattern. */
static void run_periods(struct io_endpoint *ep, uint32_t periods)
{
	bool playback = io_endpoint_params(ep)->direction == IO_DIR_PLAYBACK;
	int16_t buf[256 * CHANNELS] = { 0 };
	uint32_t done = 0;

	for (int wakeups = 0; done < periods; wakeups++) {
		int n;

		if (wakeups > 100000)
			fail_msg("the stream stopped moving after %u periods", done);
		n = wait_periods(ep);
		assert_true(n >= 0);
		for (int i = 0; i < n && done < periods; i++, done++) {
			if (playback) {
				assert_int_equal(io_endpoint_write(ep, buf, 256), 256);
				continue;
			}
			assert_int_equal(io_endpoint_read(ep, buf, 256), 256);
			/* Consecutive frames count up by one (modulo the pattern's wrap). */
			for (int k = 1; k < 256; k++)
				if (buf[k * CHANNELS] != buf[(k - 1) * CHANNELS] + 1 &&
				    buf[k * CHANNELS] != 1)
					fail_msg("captured frame %d breaks the pattern", k);
		}
	}
}

static void check_xrun_recovery(enum io_direction dir)
{
	struct io_params p = params(dir, IO_FMT_S16_LE);
	struct io_endpoint *ep;
	struct io_status st;
	uint64_t before;
	uint32_t extra = 0;
	int n;

	if (!getenv("VADSP_ALSA_FAKE_PLUGIN"))
		skip();
	p.period_frames = 256;		/* 5.3 ms; the buffer is 2 periods */
	assert_int_equal(io_endpoint_open("alsa:vadsp_test_rt", &p, &ep), 0);
	assert_int_equal(io_endpoint_start(ep), 0);
	run_periods(ep, 10);
	/* Playback runs once its buffer is full: a loaded machine may have made it underrun
	 * in run_periods() already, and a recovered PCM waits prepared for its refill, where
	 * it could not underrun again. Fill it, so that it runs whatever happened before. */
	if (dir == IO_DIR_PLAYBACK) {
		int16_t buf[256 * CHANNELS] = { 0 };

		for (int i = 0; (n = io_endpoint_clock_ack(ep)) > 0; i++) {
			assert_true(i < 1000);
			for (int k = 0; k < n; k++, extra++)
				assert_int_equal(io_endpoint_write(ep, buf, 256), 256);
		}
		assert_int_equal(n, 0);
	}
	io_endpoint_get_status(ep, &st);
	before = st.xruns;
	/* Stop serving the device for ten times its buffer. */
	sleep_ms(100);
	assert_true(io_endpoint_clock_ack(ep) >= 0);
	io_endpoint_get_status(ep, &st);
	assert_true(st.xruns >= before + 1);
	/* Recovered: the stream starts again and keeps moving. */
	run_periods(ep, 20);
	io_endpoint_get_status(ep, &st);
	assert_int_equal(st.frames, (30 + extra) * 256);
	io_endpoint_close(ep);
}

static void test_playback_underrun_is_counted_and_recovered(void **state)
{
	check_xrun_recovery(IO_DIR_PLAYBACK);
}

static void test_capture_overrun_is_counted_and_recovered(void **state)
{
	check_xrun_recovery(IO_DIR_CAPTURE);
}

static void test_bad_pcm_names_and_parameters_fail_cleanly(void **state)
{
	struct io_params p = params(IO_DIR_PLAYBACK, IO_FMT_S16_LE);
	struct io_endpoint *ep;

	assert_int_equal(io_endpoint_open("alsa", &p, &ep), -EINVAL);
	assert_int_equal(io_endpoint_open("alsa:vadsp_no_such_pcm", &p, &ep), -ENOENT);
	assert_null(ep);
	assert_int_equal(io_endpoint_open("alsa:vadsp_test_out?x=1", &p, &ep), -EINVAL);
	/* A PCM has a real clock: it cannot free-wheel. */
	p.flags = IO_FLAG_FREE_RUN;
	assert_int_equal(io_endpoint_open("alsa:vadsp_test_out", &p, &ep), -ENOTSUP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_playback_bytes_land_in_the_file_plugin_s16),
		cmocka_unit_test(test_playback_bytes_land_in_the_file_plugin_s24_s32_float),
		cmocka_unit_test(test_capture_reads_the_file_plugin_infile),
		cmocka_unit_test(test_stop_and_restart_keeps_playback_flowing),
		cmocka_unit_test(test_playback_underrun_is_counted_and_recovered),
		cmocka_unit_test(test_capture_overrun_is_counted_and_recovered),
		cmocka_unit_test(test_bad_pcm_names_and_parameters_fail_cleanly),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
