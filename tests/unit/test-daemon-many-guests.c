// SPDX-License-Identifier: MIT
/*
 * Many guests on one shared host DSP: vadspd with the host topology (topology/host.tplg),
 * a looped input file on DAI0.IN and eight process guests (src/guest) on the stereo
 * topology, all attached at once. Every guest records the host input while half of them
 * also play; each recording is the input file sample for sample (after the capture
 * volume's start ramp), and the host output file carries the players' sum, exactly.
 *
 * Each guest's capture pipeline is one more output of the host's capture demux (DEMUX2.0),
 * past SOF's four streams. VADSP_TEST_GUESTS (2..64) sets another guest count, to measure
 * how many attach and run at once; the test suite runs the default.
 *
 * No timing is asserted: queues are deep (16 periods of 20 ms each way) so that a loaded
 * machine does not starve a stream, and every wait is bounded by WAIT_MS.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "snd/virtio-snd.h"
#include "vadspd-test-util.h"

#define WAIT_MS		10000
#define PERIOD_FRAMES	960u			/* 20 ms */
#define PERIOD		(PERIOD_FRAMES * 4u)	/* S16 stereo */
#define DEPTH		16u			/* messages queued per stream: 320 ms */
#define SKIP		2000u			/* frames: the volume start ramp and more */
#define RATE		48000u
#define LOOP		(RATE / 2)		/* input file frames: looped twice a second */
#define RECORD		(50u * PERIOD_FRAMES)	/* 1 s per guest */
#define GUESTS		8u
#define GUESTS_MAX	64u			/* vadspd's guests and host DSP slots */

struct guest {
	struct vguest *g;
	struct vguest_io *cap;
	struct vguest_io *play;		/* NULL: records only */
	int16_t level;			/* the constant it plays */
	int16_t *rec;
	uint32_t got;			/* frames recorded */
};

/* vadspd: host.tplg, DAI0.OUT into out.wav, DAI0.IN from a looped in.wav, @n stereo guests. */
static void start(struct vt_daemon *d, uint32_t n)
{
	const struct vt_daemon_opts o = {
		.name = "many", .host = true, .in_frames = LOOP, .in_loop = true, .guests = n,
	};

	vt_daemon_start(d, &o);
}

static void open_stream(struct vguest *g, uint32_t stream, struct vguest_io **io)
{
	struct vguest_pcm_params prm = {
		.buffer_bytes = DEPTH * PERIOD, .period_bytes = PERIOD, .channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};

	assert_int_equal(vguest_pcm_set_params(g, stream, &prm), 0);
	assert_int_equal(vguest_pcm_prepare(g, stream), 0);
	assert_int_equal(vguest_io_open(g, stream, PERIOD, DEPTH, io), 0);
}

/* Keep the playback queue full (until the recording is done); reap what completed. */
static bool play_step(struct guest *q)
{
	struct vguest_io_done done;
	int16_t buf[PERIOD_FRAMES * 2];
	bool moved = false;

	for (uint32_t i = 0; i < PERIOD_FRAMES * 2; i++)
		buf[i] = q->level;
	while (q->got < RECORD && vguest_io_in_flight(q->play) < DEPTH) {
		assert_int_equal(vguest_io_submit(q->play, buf, PERIOD), 0);
		moved = true;
	}
	while (vguest_io_in_flight(q->play) && vguest_io_reap(q->play, &done, 0) == 1) {
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
		moved = true;
	}
	return moved;
}

/* Take what the capture queue completed; give the message back until RECORD frames. */
static bool capture_step(struct guest *q)
{
	struct vguest_io_done done;
	bool moved = false;

	while (q->got < RECORD && vguest_io_reap(q->cap, &done, 0) == 1) {
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
		assert_int_equal(done.bytes, PERIOD);
		memcpy(q->rec + (size_t)q->got * 2, done.data, PERIOD);
		q->got += PERIOD_FRAMES;
		assert_int_equal(vguest_io_submit(q->cap, NULL, PERIOD), 0);
		moved = true;
	}
	return moved;
}

/*
 * The recording past its start ramp is the looped file from some frame on, both channels.
 * Return the differing frames.
 */
static uint32_t check_recording(const int16_t *rec, uint32_t n, uint32_t who)
{
	uint32_t first = UINT32_MAX, off = UINT32_MAX, start, bad = 0;

	for (uint32_t i = 0; i < n && first == UINT32_MAX; i++)
		if (rec[2 * i])
			first = i;
	if (first == UINT32_MAX) {
		print_error("guest %u recorded silence\n", who);
		return n;
	}
	start = first + SKIP;
	if (start + 100 >= n) {
		print_error("guest %u: sound only from frame %u of %u\n", who, first, n);
		return n;
	}
	for (uint32_t k = 0; k < LOOP && off == UINT32_MAX; k++) {
		bool ok = true;

		for (uint32_t i = 0; i < 100 && ok; i++)
			ok = rec[2 * (start + i)] == vt_ramp_signal((k + i) % LOOP);
		if (ok)
			off = k;
	}
	if (off == UINT32_MAX) {
		print_error("guest %u: the recording is not the input file\n", who);
		return n;
	}
	for (uint32_t i = start; i < n; i++)
		bad += rec[2 * i] != vt_ramp_signal((off + i - start) % LOOP) ||
		       rec[2 * i + 1] != rec[2 * i];
	print_message("guest %u: file frame %u at frame %u, %u frames compared, %u differ\n",
		      who, off, start, n - start, bad);
	return bad;
}

static uint32_t guest_count(void)
{
	const char *s = getenv("VADSP_TEST_GUESTS");
	unsigned long n = s ? strtoul(s, NULL, 10) : GUESTS;

	return n >= 2 && n <= GUESTS_MAX ? (uint32_t)n : GUESTS;
}

static void eight_guests_record_the_host_input_bit_exact_while_half_play(void **state)
{
	static struct vt_daemon d;
	static struct guest q[GUESTS_MAX];
	uint32_t n = guest_count(), players = n / 2, frames = 0, bad = 0, done = 0, run;
	int32_t sum = 0, *l;

	(void)state;
	memset(q, 0, sizeof(q));
	start(&d, n);
	/* All of them attached first, then set up, then started. */
	for (uint32_t i = 0; i < n; i++) {
		int ret = vguest_connect(&q[i].g, d.sock[i], NULL);

		if (ret)
			fail_msg("guest %u of %u: connect: %d", i + 1, n, ret);
	}
	for (uint32_t i = 0; i < n; i++) {
		q[i].rec = calloc((size_t)RECORD * 2, sizeof(int16_t));
		assert_non_null(q[i].rec);
		open_stream(q[i].g, 1, &q[i].cap);
		for (uint32_t m = 0; m < DEPTH; m++)
			assert_int_equal(vguest_io_submit(q[i].cap, NULL, PERIOD), 0);
		if (i < players) {
			q[i].level = (int16_t)(100 + 50 * (i % 4));
			sum += q[i].level;
			open_stream(q[i].g, 0, &q[i].play);
			play_step(&q[i]);
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(vguest_pcm_start(q[i].g, 1), 0);
		if (q[i].play)
			assert_int_equal(vguest_pcm_start(q[i].g, 0), 0);
	}
	/* Round robin without blocking on any one guest; bounded by WAIT_MS of no progress. */
	for (int idle_ms = 0; done < n; ) {
		bool moved = false;

		done = 0;
		for (uint32_t i = 0; i < n; i++) {
			moved |= capture_step(&q[i]);
			if (q[i].play)
				moved |= play_step(&q[i]);
			done += q[i].got >= RECORD;
		}
		if (moved) {
			idle_ms = 0;
			continue;
		}
		if (++idle_ms > WAIT_MS)
			fail_msg("no progress for %d ms (%u of %u guests done)", WAIT_MS, done, n);
		usleep(1000);
	}
	for (uint32_t i = 0; i < n; i++) {
		struct vguest_io_done dn;

		if (q[i].play) {
			while (vguest_io_in_flight(q[i].play))
				assert_int_equal(vguest_io_reap(q[i].play, &dn, WAIT_MS), 1);
			assert_int_equal(vguest_pcm_stop(q[i].g, 0), 0);
			assert_int_equal(vguest_pcm_release(q[i].g, 0), 0);
			vguest_io_close(q[i].play);
		}
		assert_int_equal(vguest_pcm_stop(q[i].g, 1), 0);
		assert_int_equal(vguest_pcm_release(q[i].g, 1), 0);
		vguest_io_close(q[i].cap);
		vguest_close(q[i].g);
	}
	l = vt_daemon_stop(&d, &frames);
	for (uint32_t i = 0; i < n; i++) {
		bad += check_recording(q[i].rec, RECORD, i + 1);
		free(q[i].rec);
	}
	run = vt_longest_run(l, frames, sum * 65536);
	print_message("%u guests, %u playing: their sum %d for %u frames of %u in the output\n",
		      n, players, sum, run, frames);
	free(l);
	assert_int_equal(bad, 0);
	/* The players overlap for about 1 s (they play while all record), summed exactly. */
	assert_true(run >= RATE / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(
			eight_guests_record_the_host_input_bit_exact_while_half_play,
			vt_teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
