// SPDX-License-Identifier: MIT
/*
 * vadspd as a process, driven by process guests (src/guest) and its management socket:
 * a bad configuration is refused with exit status 2 and FILE:LINE before any socket
 * exists; two guests of one configuration each see their own topology; management
 * requests list, read and set controls (the guest gets CTL_NOTIFY and reads the new
 * value), switch jacks (the guest gets the jack events), and answer malformed or
 * impossible requests with an error while the daemon goes on; the null backend consumes a
 * played stream and fills a recorded one, every frame counted, and times how long the guest
 * took to answer each completion with its next message; max-connections refuses a
 * second front-end and queue-size larger rings; every log line about a guest names it;
 * SIGTERM ends the daemon with status 0 and removes its sockets; --socket-path alone works
 * as before.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "util/le.h"
#include "vadspd-test-reply.h"
#include "vadspd-test-util.h"

#define WAIT_MS		10000
#define PERIOD_FRAMES	960u
#define PERIOD		(PERIOD_FRAMES * 4u)	/* S16 stereo: 20 ms */
/* Playback keeps the caps' largest buffer in flight, 16 periods (320 ms), all of it before
 * START: the stream must not underrun (an xrun the test checks there is none of) when the
 * test process is held off the CPU on a loaded machine; 40 ms was not enough. */
#define PLAY_DEPTH	16u

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The usual configuration: vm1 stereo, vm2 multi, both with controls, a management socket. */
static void start_two(struct vt_daemon *d)
{
	static const struct vt_daemon_opts o = {
		.name = "test", .log_level = "info", .host = true, .out_null = true, .guests = 2,
		.guest = {
			{ .lines = "controls = yes\n" },
			{ .topology = "multi", .lines = "controls = yes\nmax-connections = 1\n" },
		},
	};

	vt_daemon_start(d, &o);
	assert_true(exists(d->sock[0]) && exists(d->sock[1]));
}

/* ------------------------------------------------------------------------------------------
 * A management client
 * ------------------------------------------------------------------------------------------ */

/* A connection to the management socket, for requests vt_mgmt() cannot send. */
static int mgmt_fd(const struct vt_daemon *d)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memcpy(a.sun_path, d->mgmt, strlen(d->mgmt) + 1);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

static void expect_error(const char *what)
{
	if (vt_at("error") < 0 || !strstr(vt_str_at("error"), what))
		fail_msg("expected an error with '%s', got %s", what, vt_reply());
}

static struct vguest *guest(const char *path)
{
	struct vguest *g;
	int ret = vguest_connect(&g, path, NULL);

	if (ret < 0)
		fail_msg("cannot connect a guest to %s: %s", path, strerror(-ret));
	return g;
}

/* ------------------------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------------------------ */

static void bad_configuration_exits_2_before_anything_listens(void **state)
{
	struct vt_daemon d;
	const char *args[] = { "--config", NULL, NULL };
	char text[1024];
	char *log;

	(void)state;
	vt_daemon_init(&d, "test");
	args[1] = d.conf;
	/* A bad line after a good guest: nothing of the good guest may exist. */
	snprintf(text, sizeof(text), "[daemon]\nmgmt-socket = %s\n[guest vm1]\nsocket = %s\n"
		 "[guest vm2]\nsocket = %s\nmax-streams = many\n", d.mgmt, d.sock[0], d.sock[1]);
	vt_write_file(d.conf, text);
	vt_daemon_spawn(&d, args);
	assert_int_equal(vt_daemon_reap(&d, WAIT_MS), 2);
	log = vt_daemon_log(&d);
	if (!strstr(log, "vadspd.conf:7: max-streams: 'many' is not a whole number"))
		fail_msg("log: %s", log);
	assert_false(exists(d.sock[0]));
	assert_false(exists(d.sock[1]));
	assert_false(exists(d.mgmt));

	/* A topology that cannot be read is a configuration error too, with its line. */
	snprintf(text, sizeof(text), "[daemon]\nmgmt-socket = %s\n[guest vm1]\nsocket = %s\n"
		 "[guest vm2]\nsocket = %s\ntopology = %s/none.tplg\n", d.mgmt, d.sock[0],
		 d.sock[1], d.dir);
	vt_write_file(d.conf, text);
	vt_daemon_spawn(&d, args);
	assert_int_equal(vt_daemon_reap(&d, WAIT_MS), 2);
	log = vt_daemon_log(&d);
	if (!strstr(log, "vadspd.conf:7: guest 'vm2': "))
		fail_msg("log: %s", log);
	assert_false(exists(d.sock[0]));
	assert_false(exists(d.mgmt));

	/* A missing file, and a usage error. */
	unlink(d.conf);
	vt_daemon_spawn(&d, args);
	assert_int_equal(vt_daemon_reap(&d, WAIT_MS), 2);
	assert_non_null(strstr(vt_daemon_log(&d), "vadspd.conf: No such file or directory"));
	args[0] = "--config=/x";
	args[1] = "--socket-path=/y";
	vt_daemon_spawn(&d, args);
	assert_int_equal(vt_daemon_reap(&d, WAIT_MS), 2);
	assert_non_null(strstr(vt_daemon_log(&d), "--socket-path is a guest's setting"));
	vt_daemon_stop(&d, NULL);
}

static void two_guests_each_see_their_own_topology(void **state)
{
	struct vt_daemon d;
	struct vguest *g1, *g2;
	const struct vguest_card *c1, *c2;

	(void)state;
	start_two(&d);
	g1 = guest(d.sock[0]);
	g2 = guest(d.sock[1]);
	c1 = vguest_card(g1);
	c2 = vguest_card(g2);
	assert_int_equal(c1->num_streams, 2);
	assert_int_equal(c1->num_controls, 4);
	assert_string_equal(c1->controls[0].name, "Master Playback Volume");
	assert_int_equal(c2->num_streams, 3);
	assert_int_equal(c2->num_controls, 7);
	assert_string_equal(c2->controls[0].name, "Music Playback Volume");
	vt_ask(&d, "{\"cmd\":\"list\"}");
	assert_true(vt_bool_at("ok"));
	assert_string_equal(vt_str_at("guests.0.name"), "vm1");
	assert_string_equal(vt_str_at("guests.0.socket"), d.sock[0]);
	assert_int_equal(vt_num_at("guests.0.streams"), 2);
	assert_true(vt_bool_at("guests.0.connected"));
	assert_int_equal(vt_count_at("guests.0.connections"), 1);
	assert_string_equal(vt_str_at("guests.0.connections.0.streams.1.direction"), "capture");
	assert_string_equal(vt_str_at("guests.0.connections.0.streams.0.state"), "NONE");
	assert_string_equal(vt_str_at("guests.0.connections.0.controls.0.name"),
			    "Master Playback Volume");
	assert_string_equal(vt_str_at("guests.1.name"), "vm2");
	assert_int_equal(vt_num_at("guests.1.streams"), 3);
	assert_string_equal(vt_str_at("guests.1.connections.0.streams.2.name"), "Mic");
	assert_string_equal(vt_str_at("guests.1.connections.0.jacks.0.cp"), "main-out");
	/* A list of one guest. */
	vt_ask(&d, "{\"cmd\":\"list\",\"guest\":\"vm2\"}");
	assert_int_equal(vt_count_at("guests"), 1);
	assert_string_equal(vt_str_at("guests.0.name"), "vm2");
	vguest_close(g1);
	vguest_close(g2);
	vt_daemon_stop(&d, NULL);
}

static void set_changes_the_guests_control_and_notifies_it(void **state)
{
	struct vt_daemon d;
	struct vguest *g;
	struct vguest_event ev;
	struct vguest_ctl_value v;

	(void)state;
	start_two(&d);
	g = guest(d.sock[0]);
	vt_ask(&d, "{\"cmd\":\"get\",\"guest\":\"vm1\",\"control\":\"Master Playback Volume\"}");
	assert_int_equal(vt_num_at("control.max"), vguest_card(g)->controls[0].max);
	assert_int_equal(vt_num_at("control.values.0"), vguest_card(g)->controls[0].max);
	vt_ask(&d, "{\"cmd\":\"set\",\"guest\":\"vm1\",\"control\":\"Master Playback Volume\","
		"\"value\":[10,20]}");
	assert_true(vt_bool_at("ok"));
	assert_true(vt_bool_at("connections.0.changed"));
	assert_int_equal(vt_num_at("control.values.1"), 20);
	assert_int_equal(vguest_event_next(g, &ev, WAIT_MS), 1);
	assert_int_equal(ev.code, VIRTIO_SND_EVT_CTL_NOTIFY);
	assert_int_equal(ev.data & 0xffff, 0);			/* control 0 */
	assert_int_equal(ev.data >> 16, 1u << VIRTIO_SND_CTL_EVT_MASK_VALUE);
	assert_int_equal(vguest_ctl_read(g, 0, &v), 0);
	assert_int_equal(v.values[0], 10);
	assert_int_equal(v.values[1], 20);
	/* The same value again: nothing changes, nothing is sent. */
	vt_ask(&d, "{\"cmd\":\"set\",\"guest\":\"vm1\",\"control\":0,\"value\":[10,20]}");
	assert_false(vt_bool_at("connections.0.changed"));
	/* One value sets every channel; a switch takes a boolean. */
	vt_ask(&d, "{\"cmd\":\"set\",\"guest\":\"vm1\",\"control\":\"Master Playback Switch\","
		"\"value\":false}");
	assert_true(vt_bool_at("connections.0.changed"));
	assert_int_equal(vguest_event_next(g, &ev, WAIT_MS), 1);
	assert_int_equal(ev.code, VIRTIO_SND_EVT_CTL_NOTIFY);
	assert_int_equal(ev.data & 0xffff, 1);
	assert_int_equal(vguest_event_next(g, &ev, 100), 0);	/* only one event each */
	assert_int_equal(vguest_ctl_read(g, 1, &v), 0);
	assert_int_equal(v.values[0], 0);
	assert_int_equal(v.values[1], 0);
	/* Values the control does not take: an error, and no change. */
	vt_ask(&d, "{\"cmd\":\"set\",\"guest\":\"vm1\",\"control\":0,\"value\":1000}");
	expect_error("control \"Master Playback Volume\": 1000 is not in 0..");
	vt_ask(&d, "{\"cmd\":\"set\",\"guest\":\"vm1\",\"control\":0,\"value\":[1,2,3]}");
	expect_error("has 2 values: give 1 (for all) or 2");
	vt_ask(&d, "{\"cmd\":\"set\",\"guest\":\"vm1\",\"control\":1,\"value\":\"loud\"}");
	expect_error("is a switch");
	assert_int_equal(vguest_event_next(g, &ev, 100), 0);
	assert_int_equal(vguest_ctl_read(g, 0, &v), 0);
	assert_int_equal(v.values[0], 10);
	vguest_close(g);
	vt_daemon_stop(&d, NULL);
}

static void jack_changes_reach_the_guest_as_events(void **state)
{
	struct vt_daemon d;
	struct vguest *g;
	struct vguest_event ev;
	uint8_t req[16], resp[4 + 24];

	(void)state;
	start_two(&d);
	g = guest(d.sock[0]);
	assert_true(vguest_card(g)->jacks[0].connected);
	vt_ask(&d, "{\"cmd\":\"jack\",\"guest\":\"vm1\",\"jack\":0,\"connected\":false}");
	assert_true(vt_bool_at("connections.0.changed"));
	assert_false(vt_bool_at("jack.connected"));
	assert_int_equal(vguest_event_next(g, &ev, WAIT_MS), 1);
	assert_int_equal(ev.code, VIRTIO_SND_EVT_JACK_DISCONNECTED);
	assert_int_equal(ev.data, 0);
	/* JACK_INFO agrees. */
	put_le32(req, VIRTIO_SND_R_JACK_INFO);
	put_le32(req + 4, 0);
	put_le32(req + 8, 1);
	put_le32(req + 12, 24);
	assert_int_equal(vguest_request(g, req, 16, resp, sizeof(resp), NULL), VIRTIO_SND_S_OK);
	assert_int_equal(resp[4 + offsetof(struct vsnd_jack_info, connected)], 0);
	/* By its connection point's name; the capture jack. */
	vt_ask(&d, "{\"cmd\":\"jack\",\"guest\":\"vm1\",\"jack\":\"main-out\",\"connected\":true}");
	assert_true(vt_bool_at("connections.0.changed"));
	assert_int_equal(vguest_event_next(g, &ev, WAIT_MS), 1);
	assert_int_equal(ev.code, VIRTIO_SND_EVT_JACK_CONNECTED);
	assert_int_equal(ev.data, 0);
	vt_ask(&d, "{\"cmd\":\"jack\",\"guest\":\"vm1\",\"jack\":1,\"connected\":false}");
	assert_int_equal(vguest_event_next(g, &ev, WAIT_MS), 1);
	assert_int_equal(ev.code, VIRTIO_SND_EVT_JACK_DISCONNECTED);
	assert_int_equal(ev.data, 1);
	vt_ask(&d, "{\"cmd\":\"jack\",\"guest\":\"vm1\",\"jack\":1,\"connected\":false}");
	assert_false(vt_bool_at("connections.0.changed"));
	vt_ask(&d, "{\"cmd\":\"jack\",\"guest\":\"vm1\",\"jack\":2,\"connected\":false}");
	expect_error("guest \"vm1\" has no jack 2 (it has 2)");
	vt_ask(&d, "{\"cmd\":\"jack\",\"guest\":\"vm1\",\"jack\":\"nowhere\",\"connected\":true}");
	expect_error("no jack on the connection point \"nowhere\"");
	assert_int_equal(vguest_event_next(g, &ev, 100), 0);
	vguest_close(g);
	vt_daemon_stop(&d, NULL);
}

static void bad_requests_get_errors_and_the_daemon_goes_on(void **state)
{
	struct vt_daemon d;
	int fd;

	(void)state;
	start_two(&d);
	vt_ask(&d, "{\"cmd\":\"get\",\"guest\":\"vm1\",\"control\":0}");
	expect_error("guest \"vm1\" is not connected");
	vt_ask(&d, "{\"cmd\":\"get\",\"guest\":\"vm9\",\"control\":0}");
	expect_error("no guest \"vm9\"");
	vt_ask(&d, "{\"cmd\":\"list\",\"guest\":\"vm9\"}");
	expect_error("no guest \"vm9\"");
	vt_ask(&d, "{\"cmd\":\"get\",\"guest\":\"vm1\",\"control\":\"Volume\"}");
	expect_error("guest \"vm1\" has no control \"Volume\" index 0");
	vt_ask(&d, "{\"cmd\":\"get\",\"guest\":\"vm1\",\"control\":99}");
	expect_error("guest \"vm1\" has no control 99 (it has 4)");
	/* The shared DSP runs (a null DAI endpoint): levels answer, for a guest that exists. */
	vt_ask(&d, "{\"cmd\":\"levels\"}");
	assert_string_equal(vt_str_at("dais.0.name"), "DAI0.OUT");
	vt_ask(&d, "{\"cmd\":\"levels\",\"guest\":\"vm9\"}");
	expect_error("no guest \"vm9\"");
	vt_ask(&d, "{\"cmd\":\"list\"");
	expect_error("malformed JSON");
	vt_ask(&d, "{\"cmd\":\"reboot\"}");
	expect_error("unknown \"cmd\" \"reboot\"");
	/* A client that vanishes mid-request and one that sends garbage bytes. */
	fd = mgmt_fd(&d);
	assert_int_equal(send(fd, "{\"cmd\":", 7, MSG_NOSIGNAL), 7);
	close(fd);
	fd = mgmt_fd(&d);
	assert_int_equal(send(fd, "\x00\xff\x01\n", 4, MSG_NOSIGNAL), 4);
	close(fd);
	vt_ask(&d, "{\"cmd\":\"list\"}");
	assert_true(vt_bool_at("ok"));
	vt_daemon_stop(&d, NULL);
}

/* Play @n full periods and one half period on stream 0; return the frames submitted. While
 * the last messages are still queued (the stream cannot have run dry yet), vadspd's list
 * shows no xrun for it. */
static uint64_t play(const struct vt_daemon *d, struct vguest *g, unsigned int n)
{
	struct vguest_pcm_params p = {
		.buffer_bytes = PLAY_DEPTH * PERIOD, .period_bytes = PERIOD, .channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};
	static uint8_t audio[PERIOD];
	struct vguest_io_done done;
	struct vguest_io *io;
	unsigned int sent = 0;
	uint64_t frames = 0;
	bool started = false, checked = false;

	assert_int_equal(vguest_pcm_set_params(g, 0, &p), 0);
	assert_int_equal(vguest_pcm_prepare(g, 0), 0);
	assert_int_equal(vguest_io_open(g, 0, PERIOD, PLAY_DEPTH, &io), 0);
	while (sent <= n || vguest_io_in_flight(io)) {
		while (sent <= n && vguest_io_in_flight(io) < PLAY_DEPTH) {
			uint32_t bytes = sent == n ? PERIOD / 2 : PERIOD;

			assert_int_equal(vguest_io_submit(io, audio, bytes), 0);
			frames += bytes / 4;
			sent++;
		}
		if (!started) {
			/* The buffer is full: start, as the driver does. */
			assert_int_equal(vguest_pcm_start(g, 0), 0);
			started = true;
		}
		if (sent > n && !checked) {
			vt_ask(d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
			assert_int_equal(vt_num_at("guests.0.connections.0.streams.0.xruns"), 0);
			checked = true;
		}
		assert_int_equal(vguest_io_reap(io, &done, WAIT_MS), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
	}
	assert_true(checked);
	assert_int_equal(vguest_pcm_stop(g, 0), 0);
	assert_int_equal(vguest_pcm_release(g, 0), 0);
	vguest_io_close(io);
	return frames;
}

static void null_backend_consumes_and_fills_every_frame(void **state)
{
	struct vt_daemon d;
	struct vguest *g;
	struct vguest_pcm_params p = {
		.buffer_bytes = 4 * PERIOD, .period_bytes = PERIOD, .channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};
	struct vguest_io_done done;
	struct vguest_io *io;
	uint64_t frames;

	(void)state;
	start_two(&d);
	g = guest(d.sock[0]);
	frames = play(&d, g, 30);
	assert_int_equal(frames, 30 * PERIOD_FRAMES + PERIOD_FRAMES / 2);
	vt_ask(&d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
	assert_int_equal(vt_num_at("guests.0.connections.0.streams.0.frames"), (int64_t)frames);
	assert_int_equal(vt_num_at("guests.0.connections.0.streams.0.messages"), 31);
	assert_int_equal(vt_num_at("guests.0.connections.0.streams.0.pending"), 0);
	/* It ran dry after its last message, before STOP came: an xrun then is physical (a
	 * test process held off the CPU there makes it), one at most. None before: play(). */
	assert_true(vt_num_at("guests.0.connections.0.streams.0.xruns") <= 1);
	assert_string_equal(vt_str_at("guests.0.connections.0.streams.0.state"), "RELEASE");
	assert_string_equal(vt_str_at("guests.0.connections.0.streams.0.params.format"), "S16");
	assert_int_equal(vt_num_at("guests.0.connections.0.streams.0.params.rate"), 48000);
	assert_int_equal(vt_num_at("guests.0.connections.0.streams.0.params.period_bytes"), PERIOD);

	/* Record 12 periods, all queued before START (no overrun whatever the load): every
	 * message comes back full (of silence). */
	p.buffer_bytes = PLAY_DEPTH * PERIOD;
	assert_int_equal(vguest_pcm_set_params(g, 1, &p), 0);
	assert_int_equal(vguest_pcm_prepare(g, 1), 0);
	assert_int_equal(vguest_io_open(g, 1, PERIOD, 12, &io), 0);
	for (int i = 0; i < 12; i++)
		assert_int_equal(vguest_io_submit(io, NULL, PERIOD), 0);
	assert_int_equal(vguest_pcm_start(g, 1), 0);
	for (int i = 0; i < 12; i++) {
		assert_int_equal(vguest_io_reap(io, &done, WAIT_MS), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
		assert_int_equal(done.bytes, PERIOD);
	}
	assert_int_equal(vguest_io_in_flight(io), 0);
	vt_ask(&d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
	assert_int_equal(vt_num_at("guests.0.connections.0.streams.1.frames"), 12 * PERIOD_FRAMES);
	assert_string_equal(vt_str_at("guests.0.connections.0.streams.1.state"), "START");
	assert_int_equal(vguest_pcm_stop(g, 1), 0);
	assert_int_equal(vguest_pcm_release(g, 1), 0);
	vguest_io_close(io);
	vguest_close(g);
	vt_daemon_stop(&d, NULL);
}

/* The answer-time bins of stream 0 in the last reply, and their sum. */
static int64_t answers(int64_t bins[8])
{
	int64_t sum = 0;

	for (int i = 0; i < 8; i++) {
		char path[64];

		snprintf(path, sizeof(path), "guests.0.connections.0.streams.0.answers.%d", i);
		bins[i] = vt_num_at(path);
		sum += bins[i];
	}
	return sum;
}

/*
 * One message in flight at a time: each completion is answered by the next message, SLOW
 * of them 30 ms after the guest had it (the last bin: longer than 16 ms), then FAST at once.
 * A message queued before START answers nothing.
 */
static void completions_answered_are_timed(void **state)
{
	enum { SLOW = 4, FAST = 6 };
	struct vguest_pcm_params p = {
		.buffer_bytes = 4 * PERIOD, .period_bytes = PERIOD, .channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};
	static uint8_t audio[PERIOD];
	struct timespec nap = { 0, 30 * 1000000 };
	struct vguest_io_done done;
	struct vguest_io *io;
	struct vt_daemon d;
	struct vguest *g;
	int64_t bins[8];

	(void)state;
	start_two(&d);
	g = guest(d.sock[0]);
	assert_int_equal(vguest_pcm_set_params(g, 0, &p), 0);
	assert_int_equal(vguest_pcm_prepare(g, 0), 0);
	assert_int_equal(vguest_io_open(g, 0, PERIOD, 1, &io), 0);
	assert_int_equal(vguest_io_submit(io, audio, PERIOD), 0);
	assert_int_equal(vguest_pcm_start(g, 0), 0);
	for (int i = 0; i < SLOW + FAST; i++) {
		assert_int_equal(vguest_io_reap(io, &done, WAIT_MS), 1);
		if (i < SLOW)
			nanosleep(&nap, NULL);
		assert_int_equal(vguest_io_submit(io, audio, PERIOD), 0);
	}
	assert_int_equal(vguest_io_reap(io, &done, WAIT_MS), 1);
	vt_ask(&d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
	assert_int_equal(answers(bins), SLOW + FAST);
	/* every slow answer, perhaps a fast one the test was held off the CPU for */
	assert_true(bins[7] >= SLOW);
	assert_true(vt_num_at("guests.0.connections.0.streams.0.answer_max_us") >= 30000);
	/* the last completion, not answered, and a stream stopped and started anew: nothing */
	assert_int_equal(vguest_pcm_stop(g, 0), 0);
	assert_int_equal(vguest_pcm_start(g, 0), 0);
	assert_int_equal(vguest_io_submit(io, audio, PERIOD), 0);
	assert_int_equal(vguest_io_reap(io, &done, WAIT_MS), 1);
	vt_ask(&d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
	assert_int_equal(answers(bins), SLOW + FAST);
	assert_int_equal(vguest_pcm_stop(g, 0), 0);
	assert_int_equal(vguest_pcm_release(g, 0), 0);
	vguest_io_close(io);
	vguest_close(g);
	vt_daemon_stop(&d, NULL);
}

static void max_connections_refuses_another_front_end(void **state)
{
	struct vt_daemon d;
	struct vguest *g, *g2 = NULL;

	(void)state;
	start_two(&d);
	g = guest(d.sock[1]);
	assert_true(vguest_connect(&g2, d.sock[1], NULL) < 0);
	assert_null(g2);
	vt_ask(&d, "{\"cmd\":\"list\",\"guest\":\"vm2\"}");
	assert_int_equal(vt_num_at("guests.0.refused"), 1);
	assert_int_equal(vt_count_at("guests.0.connections"), 1);
	assert_int_equal(vt_num_at("guests.0.max_connections"), 1);
	/* Once the first is gone, a new one is served. */
	vguest_close(g);
	for (int tries = 0; tries < 100 && !g2; tries++) {
		if (vguest_connect(&g2, d.sock[1], NULL) < 0)
			usleep(20000);
	}
	assert_non_null(g2);
	vguest_close(g2);
	vt_daemon_stop(&d, NULL);
}

static void queue_size_bounds_the_front_ends_rings(void **state)
{
	static const struct vt_daemon_opts o = {
		.name = "test", .guests = 1,
		.guest = { { .lines = "queue-size = 64\nmax-connections = 4\n" } },
	};
	struct vt_daemon d;
	struct vguest_options big = { .queue_size = 256 }, small = { .queue_size = 64 };
	struct vguest *g = NULL;

	(void)state;
	vt_daemon_start(&d, &o);
	assert_true(vguest_connect(&g, d.sock[0], &big) < 0);	/* SET_VRING_NUM 256 refused */
	assert_null(g);
	assert_int_equal(vguest_connect(&g, d.sock[0], &small), 0);
	assert_int_equal(vguest_card(g)->num_streams, 2);
	vguest_close(g);
	vt_daemon_stop(&d, NULL);
}

static void log_lines_name_their_guest_and_sigterm_cleans_up(void **state)
{
	struct vt_daemon d;
	struct vguest *g;
	char *log;

	(void)state;
	start_two(&d);
	g = guest(d.sock[0]);
	vguest_close(g);
	g = guest(d.sock[1]);
	vguest_close(g);
	vt_ask(&d, "{\"cmd\":\"list\"}");	/* a round trip: the disconnects are logged */
	kill(d.pid, SIGTERM);
	assert_int_equal(vt_daemon_reap(&d, WAIT_MS), 0);
	assert_false(exists(d.sock[0]));
	assert_false(exists(d.sock[1]));
	assert_false(exists(d.mgmt));
	log = vt_daemon_log(&d);
	if (!strstr(log, "info: [vm1] vadspd: listening on ") ||
	    !strstr(log, "info: [vm2] vadspd: listening on ") ||
	    !strstr(log, "info: [vm1] snd: guest 1 connected: 2 streams, 2 jacks, 4 controls") ||
	    !strstr(log, "info: [vm2] snd: guest 1 connected: 3 streams") ||
	    !strstr(log, "info: [vm1] vhost-user: virtio-snd#1: front-end connected") ||
	    !strstr(log, "info: [vm2] snd: guest 1 disconnected") ||
	    !strstr(log, "info: vadspd: host DSP: "))
		fail_msg("log:\n%s", log);
	/* Every line that mentions a connection names its guest. */
	for (char *line = log; *line;) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if ((strstr(line, "virtio-snd#") || strstr(line, "snd: guest")) &&
		    !strstr(line, "[vm1]") && !strstr(line, "[vm2]"))
			fail_msg("a line about a guest without its name: %s", line);
		if (!nl)
			break;
		line = nl + 1;
	}
	vt_daemon_stop(&d, NULL);
}

static void socket_path_alone_serves_one_guest_as_before(void **state)
{
	struct vt_daemon d;
	const char *args[] = { NULL, NULL, "--controls", NULL, "--log-level=debug", NULL };
	char a0[200], a1[600], a3[200];
	struct vguest *g, *g2;

	(void)state;
	vt_daemon_init(&d, "test");
	snprintf(a0, sizeof(a0), "--socket-path=%s", d.sock[0]);
	snprintf(a1, sizeof(a1), "--topology=%s", vt_topology("stereo"));
	snprintf(a3, sizeof(a3), "--mgmt-socket=%s", d.mgmt);
	args[0] = a0;
	args[1] = a1;
	args[3] = a3;
	vt_daemon_spawn(&d, args);
	vt_wait_listening(d.mgmt, WAIT_MS);
	g = guest(d.sock[0]);
	g2 = guest(d.sock[0]);	/* any number of connections, as before */
	assert_int_equal(vguest_card(g)->num_streams, 2);
	assert_int_equal(vguest_card(g2)->num_controls, 4);
	vt_ask(&d, "{\"cmd\":\"list\"}");
	assert_string_equal(vt_str_at("guests.0.name"), "default");
	assert_int_equal(vt_count_at("guests.0.connections"), 2);
	vguest_close(g);
	vguest_close(g2);
	assert_non_null(strstr(vt_daemon_log(&d), "debug: [default] vhost-user: "));
	vt_daemon_stop(&d, NULL);

	/* A topology that cannot be read: exit status 1, as before configuration files. */
	vt_daemon_init(&d, "test");
	snprintf(a0, sizeof(a0), "--socket-path=%s", d.sock[0]);
	snprintf(a1, sizeof(a1), "--topology=%s/none.tplg", d.dir);
	args[0] = a0;
	args[1] = a1;
	args[2] = NULL;
	vt_daemon_spawn(&d, args);
	assert_int_equal(vt_daemon_reap(&d, WAIT_MS), 1);
	assert_non_null(strstr(vt_daemon_log(&d), "vadspd: cannot use the topology: "));
	assert_false(exists(d.sock[0]));
	vt_daemon_stop(&d, NULL);
}

#define TEST(fn) cmocka_unit_test_teardown(fn, vt_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(bad_configuration_exits_2_before_anything_listens),
		TEST(two_guests_each_see_their_own_topology),
		TEST(set_changes_the_guests_control_and_notifies_it),
		TEST(jack_changes_reach_the_guest_as_events),
		TEST(bad_requests_get_errors_and_the_daemon_goes_on),
		TEST(null_backend_consumes_and_fills_every_frame),
		TEST(completions_answered_are_timed),
		TEST(max_connections_refuses_another_front_end),
		TEST(queue_size_bounds_the_front_ends_rings),
		TEST(log_lines_name_their_guest_and_sigterm_cleans_up),
		TEST(socket_path_alone_serves_one_guest_as_before),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
