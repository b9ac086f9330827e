// SPDX-License-Identifier: MIT
/*
 * A DSP-aware guest's streams (the SOF IPC3 extension, `sof = yes`) in vadspd's management
 * socket and in `vadsp top`: a process guest (src/guest/sof.h) on topology/stereo.tplg
 * against vadspd with the shared DSP (host.tplg, DAI0.OUT into a WAV file, DAI0.IN null).
 *
 * - "list" shows a stream from its PCM_PARAMS to its PCM_FREE, marked "sof", with the
 *   stream id and host component the guest's IPC knows, its direction, the state its
 *   triggers left (PREPARE, ACTIVE, PAUSED), format, rate, channels, host period, frames of
 *   the messages completed, messages, pending and xruns (one, once it runs dry); a SOF
 *   connection lists no stream of the card's topology (the guest does not see them);
 * - "levels" shows the same streams with their meter: a -6.02 dBFS sine measured in the
 *   guest's S16 at peak -6.02 and RMS -9.03 dBFS;
 * - a guest killed mid-stream leaves no stream behind;
 * - `vadsp top --once` prints the stream as a SOF stream, with its level.
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
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "guest/sof.h"
#include "snd/virtio-snd.h"
#include "vadspd-test-reply.h"
#include "vadspd-test-util.h"

#define WAIT_MS		10000
#define PERIOD_FRAMES	480u
#define PERIOD		(PERIOD_FRAMES * 4u)	/* S16 stereo: 10 ms */
/* All of a test's audio is queued before TRIG_START (320 ms): a guest process held off the
 * CPU cannot make the stream run dry before the test means it to. */
#define PERIODS		32u
#define RATE		48000u

/* vadspd: DAI0.OUT into out.wav, DAI0.IN null; vm1 on stereo.tplg with the extension. */
static void start(struct vt_daemon *d)
{
	static const struct vt_daemon_opts o = {
		.name = "sof-streams", .host = true, .in = "null", .guests = 1,
		.guest = { { .lines = "sof = yes\n" } },
	};

	vt_daemon_start(d, &o);
}

/* ------------------------------------------------------------------------------------------
 * The management client
 * ------------------------------------------------------------------------------------------ */

/* vt_ask(); the reply must not be an error. */
static void ask(const struct vt_daemon *d, const char *req)
{
	vt_ask(d, req);
	if (vt_at("error") >= 0)
		fail_msg("%s answered %s", req, vt_reply());
}

/* "list" of vm1: its one connection's streams are at "guests.0.connections.0.streams". */
#define STREAMS		"guests.0.connections.0.streams"

/* The index in STREAMS (of "list" or "levels") of the stream with id @sid, or -1. */
static int stream_index(uint32_t sid)
{
	char path[128];

	for (uint32_t i = 0; i < vt_count_at(STREAMS); i++) {
		snprintf(path, sizeof(path), STREAMS ".%u.id", i);
		if (vt_num_at(path) == (int64_t)sid)
			return (int)i;
	}
	return -1;
}

/* Member @m of the stream at index @i of STREAMS. */
static const char *sm(int i, const char *m)
{
	static char path[4][128];
	static unsigned int k;

	k = (k + 1) % 4;
	assert_true(i >= 0);
	snprintf(path[k], sizeof(path[k]), STREAMS ".%d.%s", i, m);
	return path[k];
}

/* "list" shows stream @st of vm1 with these direction, state and counts. */
static void expect_listed(const struct vt_daemon *d, struct vguest_sof_stream *st,
			  const char *direction, const char *state)
{
	int i;

	ask(d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
	i = stream_index(vguest_sof_stream_id(st));
	if (i < 0)
		fail_msg("stream %u not listed: %s", vguest_sof_stream_id(st), vt_reply());
	assert_true(vt_bool_at(sm(i, "sof")));
	assert_int_equal(vt_num_at(sm(i, "comp_id")), vguest_sof_stream_comp_id(st));
	assert_string_equal(vt_str_at(sm(i, "direction")), direction);
	assert_string_equal(vt_str_at(sm(i, "state")), state);
	assert_string_equal(vt_str_at(sm(i, "params.format")), "S16");
	assert_int_equal(vt_num_at(sm(i, "params.rate")), RATE);
	assert_int_equal(vt_num_at(sm(i, "params.channels")), 2);
	assert_int_equal(vt_num_at(sm(i, "params.host_period_bytes")), PERIOD);
	assert_true(vt_num_at(sm(i, "params.ring_bytes")) > 0);
	assert_int_equal(vt_num_at(sm(i, "params.ring_bytes")) % 4, 0);
	/* A stream of the card's topology would have a "name": none is listed. */
	assert_true(vt_at(sm(i, "name")) < 0);
}

/* ------------------------------------------------------------------------------------------
 * The guest
 * ------------------------------------------------------------------------------------------ */

static const struct vguest_sof_params stereo = {
	.rate = RATE, .channels = 2, .frame_fmt = IPC3_FRAME_S16_LE, .period_bytes = PERIOD,
	.periods = PERIODS,
};

/* A 1 kHz sine of amplitude 0.5 (16384): peak -6.02 dBFS, RMS -9.03 dBFS. */
static int16_t sine(uint64_t i)
{
	return (int16_t)lrint(16384.0 * sin(2.0 * M_PI * 1000.0 * (double)i / RATE));
}

/* Queue @periods periods of the sine on @io, from frame 0. */
static void queue_sine(struct vguest_io *io, unsigned int periods)
{
	int16_t buf[PERIOD_FRAMES * 2];

	for (unsigned int p = 0; p < periods; p++) {
		for (uint32_t i = 0; i < PERIOD_FRAMES; i++)
			buf[2 * i] = buf[2 * i + 1] = sine((uint64_t)p * PERIOD_FRAMES + i);
		assert_int_equal(vguest_io_submit(io, buf, PERIOD), 0);
	}
}

/* Each channel's level at "levels" stream @i: peak -6.02 and RMS -9.03 dBFS (+-0.1 dB). */
static void expect_sine_level(int i)
{
	char path[32];

	assert_true(vt_num_at(sm(i, "level.windows")) > 0);
	assert_int_equal(vt_num_at(sm(i, "level.channels")), 2);
	assert_int_equal(vt_num_at(sm(i, "level.rate")), RATE);
	for (int c = 0; c < 2; c++) {
		snprintf(path, sizeof(path), "level.peak_dbfs_centi.%d", c);
		assert_in_range(vt_num_at(sm(i, path)), -612, -592);
		snprintf(path, sizeof(path), "level.rms_dbfs_centi.%d", c);
		assert_in_range(vt_num_at(sm(i, path)), -913, -893);
	}
}

/* ------------------------------------------------------------------------------------------
 * The tests
 * ------------------------------------------------------------------------------------------ */

static void sof_streams_are_listed_from_pcm_params_to_pcm_free(void **state)
{
	struct vguest_sof_stream *ps, *cs;
	struct vguest_sof_stream_status status;
	struct vguest_io_done done;
	struct vguest_io *pio;
	struct vt_daemon d;
	struct vt_sof_guest sg;
	int i;

	(void)state;
	start(&d);
	vt_sof_guest_open(&sg, d.sock[0]);
	/* The topology is loaded, no stream has parameters: none is listed. */
	ask(&d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
	assert_true(vt_num_at("guests.0.connections.0.sof.objects") > 0);
	assert_int_equal(vt_count_at(STREAMS), 0);
	ask(&d, "{\"cmd\":\"levels\",\"guest\":\"vm1\"}");
	assert_int_equal(vt_count_at(STREAMS), 0);

	/* PCM_PARAMS: listed, PREPARE, nothing moved yet. */
	assert_int_equal(vguest_sof_stream_open(sg.s, 0, TPLG_MODEL_PLAYBACK, &stereo, &ps), 0);
	assert_int_equal(vguest_sof_stream_open(sg.s, 0, TPLG_MODEL_CAPTURE, &stereo, &cs), 0);
	assert_int_not_equal(vguest_sof_stream_id(ps), vguest_sof_stream_id(cs));
	expect_listed(&d, ps, "playback", "PREPARE");
	assert_int_equal(vt_count_at(STREAMS), 2);
	i = stream_index(vguest_sof_stream_id(ps));
	assert_int_equal(vt_num_at(sm(i, "frames")), 0);
	assert_int_equal(vt_num_at(sm(i, "messages")), 0);
	assert_int_equal(vt_num_at(sm(i, "pending")), 0);
	assert_int_equal(vt_num_at(sm(i, "xruns")), 0);
	expect_listed(&d, cs, "capture", "PREPARE");
	assert_int_equal(vt_num_at("guests.0.connections.0.sof.streams"), 2);
	/* "levels": both, metered from their PCM_PARAMS on (no window yet). */
	ask(&d, "{\"cmd\":\"levels\",\"guest\":\"vm1\"}");
	assert_int_equal(vt_count_at(STREAMS), 2);
	i = stream_index(vguest_sof_stream_id(ps));
	assert_true(vt_bool_at(sm(i, "sof")));
	assert_int_equal(vt_num_at(sm(i, "comp_id")), vguest_sof_stream_comp_id(ps));
	assert_string_equal(vt_str_at(sm(i, "direction")), "playback");
	assert_string_equal(vt_str_at(sm(i, "state")), "PREPARE");
	assert_int_equal(vt_num_at(sm(i, "level.windows")), 0);
	i = stream_index(vguest_sof_stream_id(cs));
	assert_string_equal(vt_str_at(sm(i, "direction")), "capture");

	/* Triggers: START, PAUSE, RELEASE with the audio queued; the state follows. */
	pio = vguest_sof_stream_io(ps);
	queue_sine(pio, PERIODS);
	assert_int_equal(vguest_sof_stream_trigger(ps, IPC3_STREAM_TRIG_START), 0);
	expect_listed(&d, ps, "playback", "ACTIVE");
	assert_int_equal(vguest_sof_stream_trigger(ps, IPC3_STREAM_TRIG_PAUSE), 0);
	expect_listed(&d, ps, "playback", "PAUSED");
	assert_int_equal(vguest_sof_stream_trigger(ps, IPC3_STREAM_TRIG_RELEASE), 0);
	expect_listed(&d, ps, "playback", "ACTIVE");
	/* Every message completes: frames and messages count them all. */
	for (unsigned int k = 0; k < PERIODS; k++) {
		assert_int_equal(vguest_io_reap(pio, &done, WAIT_MS), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
	}
	expect_listed(&d, ps, "playback", "ACTIVE");
	print_message("%s\n", vt_reply());
	i = stream_index(vguest_sof_stream_id(ps));
	assert_int_equal(vt_num_at(sm(i, "frames")), PERIODS * PERIOD_FRAMES);
	assert_int_equal(vt_num_at(sm(i, "messages")), PERIODS);
	assert_int_equal(vt_num_at(sm(i, "pending")), 0);
	/* 320 ms of the sine: three whole windows of it, in the guest's S16. */
	ask(&d, "{\"cmd\":\"levels\",\"guest\":\"vm1\"}");
	expect_sine_level(stream_index(vguest_sof_stream_id(ps)));
	/* Nothing more comes: the stream runs dry, one xrun, as the guest is told. */
	vguest_sof_stream_status(ps, &status);
	for (int waited = 0; status.xruns == 0 && waited < WAIT_MS; waited += 50) {
		assert_true(vguest_sof_events(sg.s, 50) >= 0);
		vguest_sof_stream_status(ps, &status);
	}
	assert_int_equal(status.xruns, 1);
	ask(&d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
	assert_int_equal(vt_num_at(sm(stream_index(vguest_sof_stream_id(ps)), "xruns")), 1);
	assert_int_equal(vt_num_at(sm(stream_index(vguest_sof_stream_id(cs)), "xruns")), 0);

	/* The capture stream: START with messages queued, then STOP: PREPARE again. */
	for (unsigned int k = 0; k < PERIODS; k++)
		assert_int_equal(vguest_io_submit(vguest_sof_stream_io(cs), NULL, PERIOD), 0);
	assert_int_equal(vguest_sof_stream_trigger(cs, IPC3_STREAM_TRIG_START), 0);
	expect_listed(&d, cs, "capture", "ACTIVE");
	assert_int_equal(vguest_sof_stream_trigger(cs, IPC3_STREAM_TRIG_STOP), 0);
	expect_listed(&d, cs, "capture", "PREPARE");

	/* PCM_FREE: the stream goes from "list" and "levels"; the other stays. */
	assert_int_equal(vguest_sof_stream_close(ps), 0);
	ask(&d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
	assert_int_equal(vt_count_at(STREAMS), 1);
	assert_string_equal(vt_str_at(sm(0, "direction")), "capture");
	assert_int_equal(vt_num_at(sm(0, "id")), vguest_sof_stream_id(cs));
	ask(&d, "{\"cmd\":\"levels\",\"guest\":\"vm1\"}");
	assert_int_equal(vt_count_at(STREAMS), 1);
	assert_string_equal(vt_str_at(sm(0, "direction")), "capture");
	assert_int_equal(vguest_sof_stream_close(cs), 0);
	ask(&d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
	assert_int_equal(vt_count_at(STREAMS), 0);
	assert_int_equal(vt_num_at("guests.0.connections.0.sof.streams"), 0);
	ask(&d, "{\"cmd\":\"levels\",\"guest\":\"vm1\"}");
	assert_int_equal(vt_count_at(STREAMS), 0);
	vt_sof_guest_close(&sg);
	vt_daemon_stop(&d, NULL);
}

/* The child guest: queues the sine, starts, tells the parent, then waits to be killed. */
static void child_guest(const char *sock, int fd)
{
	struct vguest_sof_stream *st;
	struct vt_sof_guest sg;
	uint32_t sid;

	vt_sof_guest_open(&sg, sock);
	assert_int_equal(vguest_sof_stream_open(sg.s, 0, TPLG_MODEL_PLAYBACK, &stereo, &st), 0);
	queue_sine(vguest_sof_stream_io(st), PERIODS);
	assert_int_equal(vguest_sof_stream_trigger(st, IPC3_STREAM_TRIG_START), 0);
	sid = vguest_sof_stream_id(st);
	if (write(fd, &sid, sizeof(sid)) != sizeof(sid))
		_exit(1);
	for (;;)
		pause();
}

static void a_killed_guest_leaves_no_sof_stream(void **state)
{
	struct vt_daemon d;
	uint32_t sid = UINT32_MAX;
	int status, waited;
	pid_t child;

	(void)state;
	start(&d);
	child = vt_fork_guest(child_guest, d.sock[0], &sid);
	ask(&d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
	assert_int_equal(vt_count_at(STREAMS), 1);
	assert_int_equal(vt_num_at(sm(0, "id")), sid);
	assert_true(vt_bool_at(sm(0, "sof")));
	assert_string_equal(vt_str_at(sm(0, "state")), "ACTIVE");
	ask(&d, "{\"cmd\":\"levels\",\"guest\":\"vm1\"}");
	assert_int_equal(vt_count_at(STREAMS), 1);
	/* The guest goes mid-stream: its connection, and with it the stream, goes. */
	kill(child, SIGKILL);
	assert_int_equal(waitpid(child, &status, 0), child);
	for (waited = 0; waited < WAIT_MS; waited += 20) {
		ask(&d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
		if (!vt_count_at("guests.0.connections"))
			break;
		usleep(20000);
	}
	assert_int_equal(vt_count_at("guests.0.connections"), 0);
	assert_false(vt_bool_at("guests.0.connected"));
	ask(&d, "{\"cmd\":\"levels\",\"guest\":\"vm1\"}");
	assert_int_equal(vt_count_at("guests.0.connections"), 0);
	vt_daemon_stop(&d, NULL);
}

/* `vadsp top --once` prints the SOF stream's line and its level. */
static void vadsp_top_shows_a_sof_stream(void **state)
{
	const char *exe = getenv("VADSP_EXE");
	struct vguest_sof_stream *st;
	struct vguest_io_done done;
	struct vt_daemon d;
	struct vt_sof_guest sg;
	char cmd[512], line[512], id[64];
	unsigned int stream_lines = 0, level_lines = 0;
	FILE *f;

	(void)state;
	assert_non_null(exe);
	start(&d);
	vt_sof_guest_open(&sg, d.sock[0]);
	assert_int_equal(vguest_sof_stream_open(sg.s, 0, TPLG_MODEL_PLAYBACK, &stereo, &st), 0);
	queue_sine(vguest_sof_stream_io(st), PERIODS);
	assert_int_equal(vguest_sof_stream_trigger(st, IPC3_STREAM_TRIG_START), 0);
	/* All of it played: three windows of the sine measured. */
	for (unsigned int k = 0; k < PERIODS; k++)
		assert_int_equal(vguest_io_reap(vguest_sof_stream_io(st), &done, WAIT_MS), 1);
	snprintf(id, sizeof(id), " %u SOF comp %u ", vguest_sof_stream_id(st),
		 vguest_sof_stream_comp_id(st));
	snprintf(cmd, sizeof(cmd), "%s top --once %s", exe, d.mgmt);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		print_message("%s", line);
		if (strncmp(line, "vm1 ", 4) || !strstr(line, id))
			continue;
		if (strstr(line, " playback ACTIVE ") && strstr(line, " S16 ") &&
		    strstr(line, " 48000 ") && strstr(line, " 15360 "))
			stream_lines++;
		if (strstr(line, "-6.0") && strstr(line, "-9.0"))
			level_lines++;
	}
	assert_int_equal(pclose(f), 0);
	vt_sof_guest_close(&sg);
	vt_daemon_stop(&d, NULL);
	assert_int_equal(stream_lines, 1);
	assert_int_equal(level_lines, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(sof_streams_are_listed_from_pcm_params_to_pcm_free,
					  vt_teardown),
		cmocka_unit_test_teardown(a_killed_guest_leaves_no_sof_stream, vt_teardown),
		cmocka_unit_test_teardown(vadsp_top_shows_a_sof_stream, vt_teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
