/* SPDX-License-Identifier: MIT */
/*
 * The ALSA endpoint against real libasound PCMs: the `file` plugin over the `null` plugin,
 * defined in a private configuration that the test writes and names in ALSA_CONFIG_PATH
 * (after the system's alsa.conf). No sound card is involved.
 *
 * Playback: the bytes the engine wrote are exactly the bytes the file plugin stored.
 * Capture: the file plugin's infile comes out of io_endpoint_read() exactly.
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
		cmocka_unit_test(test_bad_pcm_names_and_parameters_fail_cleanly),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
