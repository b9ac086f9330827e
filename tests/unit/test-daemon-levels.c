// SPDX-License-Identifier: MIT
/*
 * vadspd's "levels" management request with the shared DSP running (a [host] section with a
 * file endpoint on DAI0.OUT and a null one on DAI0.IN): a process guest plays a 1 kHz sine at
 * -6.02 dBFS, and the reply shows peak -6.02 and RMS -9.03 dBFS (within 0.1 dB) on both
 * channels for the guest's playback stream and for the host DAI it plays into; the idle
 * capture DAI is silent (null levels), a stream never prepared has no meter, a guest that
 * does not exist is an error. A guest recording from a host input file of a -12.04 dBFS sine
 * sees -12.04 / -15.05 dBFS at the capture DAI and at its capture stream. `vadsp top --once`
 * prints the same figures.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "snd/virtio-snd.h"
#include "vadspd-test-reply.h"
#include "vadspd-test-util.h"

#define WAIT_MS		10000
#define PERIOD_FRAMES	960u
#define PERIOD		(PERIOD_FRAMES * 4u)	/* S16 stereo: 20 ms */
/* Periods in flight, all queued before START: 320 ms (the stereo caps' largest buffer), so
 * that a guest process held off the CPU on a loaded machine does not underrun (80 ms was not
 * always enough); the engine's silence would break the measured runs and levels. */
#define QUEUE		16u
#define RATE		48000u

/* vadspd: DAI0.OUT into out.wav, DAI0.IN from the WAV file @in or null. */
static void start_in(struct vt_daemon *d, const char *in)
{
	const struct vt_daemon_opts o = {
		.name = "levels", .host = true, .in = in ? in : "null", .guests = 1,
		.guest = { { .lines = "controls = yes\n" } },
	};

	vt_daemon_start(d, &o);
}

static void start(struct vt_daemon *d)
{
	start_in(d, NULL);
}

/* ------------------------------------------------------------------------------------------
 * The management client
 * ------------------------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------------------------
 * A playing guest
 * ------------------------------------------------------------------------------------------ */

struct player {
	struct vguest *g;
	struct vguest_io *io;
	uint64_t frame;
	bool started;
};

/* A 1 kHz sine of amplitude 0.5 (16384): peak -6.02 dBFS, RMS -9.03 dBFS. */
static int16_t sine(uint64_t i)
{
	return (int16_t)lrint(16384.0 * sin(2.0 * M_PI * 1000.0 * (double)i / RATE));
}

static void player_open(struct player *p, const char *sock)
{
	struct vguest_pcm_params prm = {
		.buffer_bytes = QUEUE * PERIOD, .period_bytes = PERIOD, .channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};

	memset(p, 0, sizeof(*p));
	assert_int_equal(vguest_connect(&p->g, sock, NULL), 0);
	assert_int_equal(vguest_pcm_set_params(p->g, 0, &prm), 0);
	assert_int_equal(vguest_pcm_prepare(p->g, 0), 0);
	assert_int_equal(vguest_io_open(p->g, 0, PERIOD, QUEUE, &p->io), 0);
}

/* Keep QUEUE periods queued, start once they are, wait for one to complete. */
static void player_step(struct player *p)
{
	struct vguest_io_done done;
	int16_t buf[PERIOD_FRAMES * 2];

	while (vguest_io_in_flight(p->io) < QUEUE) {
		for (uint32_t i = 0; i < PERIOD_FRAMES; i++)
			buf[2 * i] = buf[2 * i + 1] = sine(p->frame + i);
		assert_int_equal(vguest_io_submit(p->io, buf, PERIOD), 0);
		p->frame += PERIOD_FRAMES;
	}
	if (!p->started) {
		assert_int_equal(vguest_pcm_start(p->g, 0), 0);
		p->started = true;
	}
	assert_int_equal(vguest_io_reap(p->io, &done, WAIT_MS), 1);
	assert_int_equal(done.status, VIRTIO_SND_S_OK);
}

static void player_close(struct player *p)
{
	assert_int_equal(vguest_pcm_stop(p->g, 0), 0);
	assert_int_equal(vguest_pcm_release(p->g, 0), 0);
	vguest_io_close(p->io);
	vguest_close(p->g);
}

/* Peak -602 and RMS -903 (0.01 dBFS) within 0.1 dB on both channels of the meter at @path. */
static void expect_sine_level(const char *path)
{
	char key[192];

	for (int c = 0; c < 2; c++) {
		int64_t peak, rms;

		snprintf(key, sizeof(key), "%s.peak_dbfs_centi.%d", path, c);
		peak = vt_num_at(key);
		snprintf(key, sizeof(key), "%s.rms_dbfs_centi.%d", path, c);
		rms = vt_num_at(key);
		print_message("%s channel %d: peak %.2f dBFS, RMS %.2f dBFS\n", path, c,
			      peak / 100.0, rms / 100.0);
		assert_true(llabs(peak - -602) <= 10);
		assert_true(llabs(rms - -903) <= 10);
		snprintf(key, sizeof(key), "%s.clipped.%d", path, c);
		assert_int_equal(vt_num_at(key), 0);
	}
	snprintf(key, sizeof(key), "%s.windows", path);
	assert_true(vt_num_at(key) >= 1);
	snprintf(key, sizeof(key), "%s.window_ms", path);
	assert_int_equal(vt_num_at(key), 100);
}

static void levels_show_a_minus_6_dbfs_sine_at_the_guest_stream_and_the_host_dai(void **state)
{
	struct vt_daemon d;
	struct player p;

	(void)state;
	start(&d);
	/* Before anyone plays: the output DAI runs silent, the guest has no connection. */
	vt_ask(&d, "{\"cmd\":\"levels\"}");
	assert_int_equal(vt_num_at("window_ms"), 100);
	assert_string_equal(vt_str_at("dais.0.name"), "DAI0.OUT");
	assert_string_equal(vt_str_at("dais.0.direction"), "playback");
	assert_string_equal(vt_str_at("dais.1.name"), "DAI0.IN");
	assert_string_equal(vt_str_at("dais.1.direction"), "capture");
	assert_string_equal(vt_str_at("guests.0.name"), "vm1");
	assert_int_equal(vt_count_at("guests.0.connections"), 0);

	player_open(&p, d.sock[0]);
	/* 0.6 s played (the 20 ms volume ramp long past), then ask while it plays on. */
	for (int i = 0; i < 30; i++)
		player_step(&p);
	vt_ask(&d, "{\"cmd\":\"levels\",\"guest\":\"vm1\"}");
	assert_string_equal(vt_str_at("guests.0.connections.0.streams.0.state"), "START");
	assert_string_equal(vt_str_at("guests.0.connections.0.streams.0.level.format"), "s16le");
	assert_int_equal(vt_num_at("guests.0.connections.0.streams.0.level.rate"), RATE);
	assert_int_equal(vt_num_at("guests.0.connections.0.streams.0.level.channels"), 2);
	expect_sine_level("guests.0.connections.0.streams.0.level");
	assert_string_equal(vt_str_at("dais.0.level.format"), "s32le");
	expect_sine_level("dais.0.level");
	/* The null capture endpoint gives silence: minus infinity, written null. */
	assert_true(vt_num_at("dais.1.level.windows") >= 1);
	assert_true(vt_null_at("dais.1.level.peak_dbfs_centi.0"));
	assert_true(vt_null_at("dais.1.level.rms_dbfs_centi.1"));
	/* The capture stream was never prepared: no meter. */
	assert_string_equal(vt_str_at("guests.0.connections.0.streams.1.direction"), "capture");
	assert_true(vt_null_at("guests.0.connections.0.streams.1.level"));
	for (int i = 0; i < 5; i++)
		player_step(&p);
	player_close(&p);

	vt_ask(&d, "{\"cmd\":\"levels\",\"guest\":\"vm9\"}");
	assert_true(vt_at("error") >= 0);
	assert_non_null(strstr(vt_str_at("error"), "no guest \"vm9\""));
	vt_daemon_stop(&d, NULL);
}

/* The recorded input (written as a 48 kHz stereo WAV): a 1 kHz sine of amplitude 0.25. */
static int16_t half_sine(uint64_t i)
{
	return (int16_t)(sine(i) / 2);
}

/* Peak -1204 and RMS -1505 (0.01 dBFS) within 0.1 dB on both channels of @path's meter. */
static void expect_quarter_sine_level(const char *path)
{
	char key[192];

	for (int c = 0; c < 2; c++) {
		int64_t peak, rms;

		snprintf(key, sizeof(key), "%s.peak_dbfs_centi.%d", path, c);
		peak = vt_num_at(key);
		snprintf(key, sizeof(key), "%s.rms_dbfs_centi.%d", path, c);
		rms = vt_num_at(key);
		print_message("%s channel %d: peak %.2f dBFS, RMS %.2f dBFS\n", path, c,
			      peak / 100.0, rms / 100.0);
		assert_true(llabs(peak - -1204) <= 10);
		assert_true(llabs(rms - -1505) <= 10);
	}
}

static void levels_show_a_recorded_sine_at_the_capture_dai_and_the_guest_stream(void **state)
{
	struct vguest_pcm_params prm = {
		.buffer_bytes = QUEUE * PERIOD, .period_bytes = PERIOD, .channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};
	char in[] = "/tmp/vadspd-levels-in-XXXXXX.wav";
	struct vguest_io_done done;
	struct vguest_io *io;
	struct vguest *g;
	struct vt_daemon d;
	int fd = mkstemps(in, 4);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	vt_write_wav(in, 4 * RATE, half_sine);
	start_in(&d, in);
	assert_int_equal(vguest_connect(&g, d.sock[0], NULL), 0);
	assert_int_equal(vguest_pcm_set_params(g, 1, &prm), 0);
	assert_int_equal(vguest_pcm_prepare(g, 1), 0);
	assert_int_equal(vguest_io_open(g, 1, PERIOD, QUEUE, &io), 0);
	for (unsigned int i = 0; i < QUEUE; i++)
		assert_int_equal(vguest_io_submit(io, NULL, PERIOD), 0);
	assert_int_equal(vguest_pcm_start(g, 1), 0);
	for (int i = 0; i < 30; i++) {		/* 0.6 s recorded */
		assert_int_equal(vguest_io_reap(io, &done, WAIT_MS), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
		assert_int_equal(vguest_io_submit(io, NULL, PERIOD), 0);
	}
	vt_ask(&d, "{\"cmd\":\"levels\"}");
	assert_string_equal(vt_str_at("dais.1.name"), "DAI0.IN");
	expect_quarter_sine_level("dais.1.level");
	assert_string_equal(vt_str_at("guests.0.connections.0.streams.1.direction"), "capture");
	assert_string_equal(vt_str_at("guests.0.connections.0.streams.1.level.format"), "s16le");
	expect_quarter_sine_level("guests.0.connections.0.streams.1.level");
	assert_int_equal(vguest_pcm_stop(g, 1), 0);
	assert_int_equal(vguest_pcm_release(g, 1), 0);
	vguest_io_close(io);
	vguest_close(g);
	vt_daemon_stop(&d, NULL);
	unlink(in);
}

/* `vadsp top --once` prints the DAI's and the stream's levels. */
static void vadsp_top_prints_the_levels(void **state)
{
	const char *exe = getenv("VADSP_EXE");
	struct vt_daemon d;
	struct player p;
	char cmd[512], line[512];
	unsigned int dai_lines = 0, stream_lines = 0;
	FILE *f;

	(void)state;
	assert_non_null(exe);
	start(&d);
	player_open(&p, d.sock[0]);
	for (int i = 0; i < 30; i++)
		player_step(&p);
	snprintf(cmd, sizeof(cmd), "%s top --once %s", exe, d.mgmt);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		print_message("%s", line);
		if (strstr(line, "DAI0.OUT") && strstr(line, "-6.0") && strstr(line, "-9.0"))
			dai_lines++;
		if (!strncmp(line, "vm1", 3) && strstr(line, "playback") && strstr(line, "-6.0") &&
		    strstr(line, "-9.0"))
			stream_lines++;
	}
	assert_int_equal(pclose(f), 0);
	player_close(&p);
	vt_daemon_stop(&d, NULL);
	assert_int_equal(dai_lines, 1);
	assert_int_equal(stream_lines, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(
			levels_show_a_minus_6_dbfs_sine_at_the_guest_stream_and_the_host_dai,
			vt_teardown),
		cmocka_unit_test_teardown(
			levels_show_a_recorded_sine_at_the_capture_dai_and_the_guest_stream,
			vt_teardown),
		cmocka_unit_test_teardown(vadsp_top_prints_the_levels, vt_teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
