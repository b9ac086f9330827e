// SPDX-License-Identifier: MIT
/*
 * A plain virtio-snd stream's last message on the shared DSP: vadspd with a [host] section
 * (null endpoints), a process guest on topology/stereo.tplg (topology/multi.tplg for two
 * playback streams on one queue) with 10 ms messages; playback, and capture once.
 *
 * The completion that would leave the device with nothing of the stream is held back
 * (docs/protocol.md 3.7, "The last message"): until the guest queues another message; with
 * EVENT_IDX until the guest has taken every earlier completion (its used_event caught up)
 * and 20 ms more; without EVENT_IDX 50 ms; 1 s at most. Linux's virtio_snd reads a whole
 * buffer completed between two of its position readings as no progress and stalls. The xrun
 * the stream meets meanwhile is reported after that completion; RELEASE gives it back at
 * once.
 *
 * The guest library publishes used_event only when it waits for a completion
 * (vguest_io_reap() with a timeout and nothing ready), so a test decides when it has
 * "taken" the earlier completions. Times are lower bounds where a hold is measured (a
 * loaded machine only makes them longer) and generous upper bounds elsewhere.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "snd/virtio-snd.h"
#include "vadspd-test-util.h"

#define PERIOD_FRAMES	480u			/* 10 ms */
#define PERIOD		(PERIOD_FRAMES * 4u)	/* S16 stereo */
#define PERIODS		4u
#define GRACE_MS	20	/* after the guest took the earlier completions */
#define NOIDX_MS	50	/* without EVENT_IDX */
#define MAX_MS		1000	/* at most */
#define WAIT_MS		10000

struct player {
	struct vt_daemon d;
	uint32_t stream;
	struct vguest *g;
	struct vguest_io *io;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* S16 stereo 48 kHz in 10 ms periods, PCM_XRUN events asked for. */
static const struct vguest_pcm_params stereo_s16 = {
	.buffer_bytes = PERIODS * PERIOD, .period_bytes = PERIOD, .channels = 2,
	.features = 1u << VIRTIO_SND_PCM_F_EVT_XRUNS,
	.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
};

/* vadspd and one guest on stereo.tplg with @stream (0 plays, 1 records) prepared. */
static void player_open_on(struct player *p, uint32_t stream, const struct vguest_options *gopts)
{
	const struct vt_daemon_opts o = {
		.name = "hold", .host = true, .out_null = true, .in = "null", .guests = 1,
	};

	memset(p, 0, sizeof(*p));
	p->stream = stream;
	vt_daemon_start(&p->d, &o);
	assert_int_equal(vguest_connect(&p->g, p->d.sock[0], gopts), 0);
	assert_int_equal(vguest_pcm_set_params(p->g, stream, &stereo_s16), 0);
	assert_int_equal(vguest_pcm_prepare(p->g, stream), 0);
	assert_int_equal(vguest_io_open(p->g, stream, PERIOD, PERIODS, &p->io), 0);
}

static void submit(struct player *p)
{
	int16_t buf[PERIOD_FRAMES * 2];

	for (uint32_t i = 0; i < PERIOD_FRAMES * 2; i++)
		buf[i] = (int16_t)(i * 37);
	assert_int_equal(vguest_io_submit(p->io, buf, PERIOD), 0);
}

/* player_open_on() stream 0, queue @n periods and start it. */
static void player_play(struct player *p, const struct vguest_options *gopts, unsigned int n)
{
	player_open_on(p, 0, gopts);
	for (unsigned int i = 0; i < n; i++)
		submit(p);
	assert_int_equal(vguest_pcm_start(p->g, 0), 0);
}

/* Reap one message within @timeout_ms (it must complete S_OK); its time, or -1 if none. */
static int64_t reap(struct player *p, int timeout_ms)
{
	struct vguest_io_done done;
	int ret = vguest_io_reap(p->io, &done, timeout_ms);

	assert_true(ret >= 0);
	if (!ret)
		return -1;
	assert_int_equal(done.status, VIRTIO_SND_S_OK);
	return now_ms();
}

/* The next event within @timeout_ms must be a PCM_XRUN of the player's stream. */
static void expect_xrun(struct player *p, int timeout_ms)
{
	struct vguest_event ev;

	assert_int_equal(vguest_event_next(p->g, &ev, timeout_ms), 1);
	assert_int_equal(ev.code, VIRTIO_SND_EVT_PCM_XRUN);
	assert_int_equal(ev.data, p->stream);
}

static void no_event(struct player *p)
{
	struct vguest_event ev;

	assert_int_equal(vguest_event_next(p->g, &ev, 0), 0);
}

/* Messages of stream 0 the device has completed (the management socket's "messages"). */
static unsigned long completed(struct player *p)
{
	char *json = vt_mgmt(&p->d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
	const char *at = strstr(json, "\"direction\":\"playback\"");
	unsigned long n;

	assert_non_null(at);
	at = strstr(at, "\"messages\":");
	assert_non_null(at);
	n = strtoul(at + strlen("\"messages\":"), NULL, 10);
	free(json);
	return n;
}

static void player_close(struct player *p)
{
	assert_int_equal(vguest_pcm_stop(p->g, p->stream), 0);
	assert_int_equal(vguest_pcm_release(p->g, p->stream), 0);
	vguest_io_close(p->io);
	vguest_close(p->g);
	vt_daemon_stop(&p->d, NULL);
}

/*
 * Two messages done, the last one held: the guest takes the first without waiting, the last
 * is still held, then comes back 20 ms after the guest waited for it (used_event published),
 * followed by the xrun the stream met. Closes the player.
 */
static void take_first_then_last_after_grace(struct player *p, const char *what)
{
	int64_t taken, back;

	taken = reap(p, 0);
	assert_true(taken > 0);
	assert_int_equal(reap(p, 0), -1);
	back = reap(p, WAIT_MS);
	assert_true(back > 0);
	print_message("last %s message back %lld ms after the guest took the first\n", what,
		      (long long)(back - taken));
	assert_true(back - taken >= GRACE_MS - 3);
	assert_true(back - taken < MAX_MS);
	expect_xrun(p, WAIT_MS);
	player_close(p);
}

/*
 * Two messages: the first goes back as it plays; the second, the last, stays while the guest
 * has not taken the first (however long: 300 ms here), and goes back 20 ms after it has
 * (taking a used entry publishes used_event). The xrun between them is reported after it.
 */
static void the_last_message_waits_for_the_guest_to_take_the_others(void **state)
{
	struct player p;

	(void)state;
	player_play(&p, NULL, 2);
	/* Both played after 20 ms; the guest does not look at its queue meanwhile. */
	sleep_ms(300);
	assert_int_equal(completed(&p), 1);
	no_event(&p);		/* the xrun waits for the held message */
	take_first_then_last_after_grace(&p, "playback");
}

/* A guest that never takes the others gets its last message after 1 s. */
static void the_hold_ends_after_a_second(void **state)
{
	struct player p;

	(void)state;
	player_play(&p, NULL, 2);
	sleep_ms(MAX_MS - 200);
	assert_int_equal(completed(&p), 1);
	sleep_ms(400);
	assert_int_equal(completed(&p), 2);
	assert_true(reap(&p, 0) > 0);
	assert_true(reap(&p, 0) > 0);
	expect_xrun(&p, WAIT_MS);
	player_close(&p);
}

/* Without EVENT_IDX nothing tells what the guest took: 50 ms after it played. */
static void without_event_idx_the_hold_is_50_ms(void **state)
{
	const struct vguest_options o = { .no_event_idx = true };
	struct player p;
	int64_t t1, t2;

	(void)state;
	player_play(&p, &o, 2);
	t1 = reap(&p, WAIT_MS);
	t2 = reap(&p, WAIT_MS);
	print_message("last message back %lld ms after the first\n", (long long)(t2 - t1));
	assert_true(t2 - t1 >= 10 + NOIDX_MS - 5);
	assert_true(t2 - t1 < MAX_MS);
	expect_xrun(&p, WAIT_MS);
	player_close(&p);
}

/* The held message goes back as soon as the guest queues another one. */
static void a_new_message_releases_the_held_one(void **state)
{
	struct player p;
	int64_t sent, back;

	(void)state;
	player_play(&p, NULL, 1);
	sleep_ms(25);			/* played, held */
	assert_int_equal(reap(&p, 0), -1);
	sent = now_ms();
	submit(&p);
	back = reap(&p, WAIT_MS);
	print_message("held message back %lld ms after the next was queued\n",
		      (long long)(back - sent));
	assert_true(back - sent < GRACE_MS);
	/* The stream ran dry before the second message came: one xrun, after the first. */
	expect_xrun(&p, WAIT_MS);
	/* The second is now the last: held in its turn, until the guest has taken the first
	 * (this reap waits: used_event catches up) and 20 ms more. */
	assert_true(reap(&p, WAIT_MS) - back >= GRACE_MS - 3);
	player_close(&p);
}

/* RELEASE gives the held message back before it answers. */
static void release_gives_the_held_message_back(void **state)
{
	struct player p;

	(void)state;
	player_play(&p, NULL, 1);
	sleep_ms(25);
	assert_int_equal(reap(&p, 0), -1);
	assert_int_equal(vguest_pcm_stop(p.g, 0), 0);
	assert_int_equal(vguest_pcm_release(p.g, 0), 0);
	assert_true(reap(&p, 0) > 0);
	vguest_io_close(p.io);
	vguest_close(p.g);
	vt_daemon_stop(&p.d, NULL);
}

/*
 * Two playback streams on the transmit queue (topology/multi.tplg, "Music" and
 * "Notifications"): the one that ends waits for the guest to take the completions that came
 * before its last message, not the later ones of the stream that plays on. The guest takes
 * the other stream's completions every 15 ms, so one of them is almost always waiting; the
 * ended stream's message goes back 20 ms after the guest took what came before it, long
 * before the 1 s cap.
 */
static void another_streams_later_completions_do_not_hold_it(void **state)
{
	const struct vt_daemon_opts o = {
		.name = "hold2", .host = true, .out_null = true, .guests = 1,
		.guest = { { .topology = "multi" } },
	};
	struct player p, other;
	struct vguest_io_done done;
	int64_t start, back = -1;

	(void)state;
	memset(&p, 0, sizeof(p));
	vt_daemon_start(&p.d, &o);
	assert_int_equal(vguest_connect(&p.g, p.d.sock[0], NULL), 0);
	other = p;
	for (uint32_t i = 0; i < 2; i++) {
		assert_int_equal(vguest_pcm_set_params(p.g, i, &stereo_s16), 0);
		assert_int_equal(vguest_pcm_prepare(p.g, i), 0);
	}
	assert_int_equal(vguest_io_open(p.g, 0, PERIOD, PERIODS, &p.io), 0);
	assert_int_equal(vguest_io_open(p.g, 1, PERIOD, PERIODS, &other.io), 0);
	submit(&p);
	while (vguest_io_in_flight(other.io) < PERIODS)
		submit(&other);
	assert_int_equal(vguest_pcm_start(p.g, 1), 0);
	assert_int_equal(vguest_pcm_start(p.g, 0), 0);
	start = now_ms();
	while (back < 0 && now_ms() - start < 2 * MAX_MS) {
		sleep_ms(15);
		/* Take every completion (waiting: used_event published), queue as many again. */
		while (vguest_io_reap(other.io, &done, 0) == 1)
			;
		assert_true(vguest_io_reap(other.io, &done, 1) >= 0);
		while (vguest_io_in_flight(other.io) < PERIODS)
			submit(&other);
		if (reap(&p, 0) > 0)
			back = now_ms();
	}
	print_message("ended stream's last message back %lld ms after START\n",
		      (long long)(back - start));
	assert_true(back > 0);
	assert_true(back - start < MAX_MS / 2);
	for (uint32_t i = 0; i < 2; i++) {
		assert_int_equal(vguest_pcm_stop(p.g, i), 0);
		assert_int_equal(vguest_pcm_release(p.g, i), 0);
	}
	vguest_io_close(other.io);
	vguest_io_close(p.io);
	vguest_close(p.g);
	vt_daemon_stop(&p.d, NULL);
}

/*
 * A capture stream's last filled message is held back the same way: the guest queued two,
 * took the first without waiting, and gets the second 20 ms after it waits (used_event
 * published); the overflow that follows is reported after it.
 */
static void a_capture_streams_last_message_is_held_too(void **state)
{
	struct player p;

	(void)state;
	player_open_on(&p, 1, NULL);
	assert_int_equal(vguest_io_submit(p.io, NULL, PERIOD), 0);
	assert_int_equal(vguest_io_submit(p.io, NULL, PERIOD), 0);
	assert_int_equal(vguest_pcm_start(p.g, 1), 0);
	sleep_ms(300);		/* both filled after 20 ms */
	no_event(&p);
	take_first_then_last_after_grace(&p, "capture");
}

/*
 * A guest that goes away with its last message held back (the queue stops: io_cancel) gets
 * it given back with the rest: the device keeps no message and leaks none, and vadspd
 * serves the next connection.
 */
static void a_disconnect_gives_the_held_message_back(void **state)
{
	struct player p;
	const char *log;

	(void)state;
	player_play(&p, NULL, 1);
	sleep_ms(25);
	assert_int_equal(reap(&p, 0), -1);
	vguest_io_close(p.io);
	vguest_close(p.g);
	sleep_ms(200);		/* past the 50 ms a lost timer would wait */
	log = vt_daemon_log(&p.d);
	if (strstr(log, "kept") || strstr(log, "leaking") || strstr(log, "does not hold"))
		vt_daemon_print_log(&p.d);
	assert_null(strstr(log, "kept"));
	assert_null(strstr(log, "leaking"));
	assert_null(strstr(log, "does not hold"));
	assert_int_equal(vguest_connect(&p.g, p.d.sock[0], NULL), 0);
	vguest_close(p.g);
	vt_daemon_stop(&p.d, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(the_last_message_waits_for_the_guest_to_take_the_others,
					  vt_teardown),
		cmocka_unit_test_teardown(the_hold_ends_after_a_second, vt_teardown),
		cmocka_unit_test_teardown(without_event_idx_the_hold_is_50_ms, vt_teardown),
		cmocka_unit_test_teardown(a_new_message_releases_the_held_one, vt_teardown),
		cmocka_unit_test_teardown(release_gives_the_held_message_back, vt_teardown),
		cmocka_unit_test_teardown(another_streams_later_completions_do_not_hold_it,
					  vt_teardown),
		cmocka_unit_test_teardown(a_capture_streams_last_message_is_held_too, vt_teardown),
		cmocka_unit_test_teardown(a_disconnect_gives_the_held_message_back, vt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
