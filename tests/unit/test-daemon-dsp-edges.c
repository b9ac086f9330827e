// SPDX-License-Identifier: MIT
/*
 * The edges of a plain virtio-snd stream on the shared DSP: vadspd with a [host] section and a
 * file endpoint (topology/host.tplg), a process guest on topology/stereo.tplg playing
 * vt_ramp_signal(), the host's output WAV file read back.
 *
 * - A stream stopped and started again (PCM_STOP then PCM_START: what Linux's virtio_snd does
 *   for ALSA's pause) plays on from where it stopped: the output with the pause's silence
 *   left out is the guest's signal, not a frame lost or repeated, and the volume's start ramp
 *   does not run again. A capture stream paused so records on: what it records is the host's
 *   input file (DAI0.IN) in order, one jump forward over the pause, no silence and no ramp.
 * - The last piece of a stream, shorter than one engine period (1 ms: 48 frames), is played
 *   (the period padded with silence) before its message completes: the guest's messages hold
 *   1000 frames, not a multiple of the period, and the stream ends 40 frames into a period.
 *
 * Tolerance: none after the stereo topology's 20 ms volume start ramp (SKIP frames); the guest
 * plays S16, the host writes s32le, so an output sample is the input sample << 16.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "snd/virtio-snd.h"
#include "vadspd-test-util.h"

#define WAIT_MS		VT_WAIT_MS
#define MSG_FRAMES	1000u			/* not a multiple of the engine's 48 */
#define MSG		(MSG_FRAMES * 4u)	/* S16 stereo */
#define DEPTH		16u			/* messages with the device: 333 ms */
#define SKIP		2000u			/* frames: the volume start ramp and more */
#define RATE		48000u

/* vadspd: host.tplg with DAI0.OUT into out.wav, DAI0.IN @in_frames of vt_ramp_signal() (0:
 * null), one guest vm1 on stereo.tplg. */
static void start(struct vt_daemon *d, uint32_t in_frames)
{
	const struct vt_daemon_opts o = {
		.name = "edges", .host = true, .in = "null", .in_frames = in_frames, .guests = 1,
	};

	vt_daemon_start(d, &o);
}

/* A guest playing vt_ramp_signal() in messages of MSG_FRAMES frames, @frames in all. */
struct player {
	struct vguest *g;
	struct vguest_io *io;
	uint64_t frame;
	uint64_t frames;
};

static void player_open(struct player *p, const char *sock, uint64_t frames)
{
	struct vguest_pcm_params prm = {
		.buffer_bytes = DEPTH * MSG, .period_bytes = MSG, .channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};

	memset(p, 0, sizeof(*p));
	assert_int_equal(vguest_connect(&p->g, sock, NULL), 0);
	p->frames = frames;
	assert_int_equal(vguest_pcm_set_params(p->g, 0, &prm), 0);
	assert_int_equal(vguest_pcm_prepare(p->g, 0), 0);
	assert_int_equal(vguest_io_open(p->g, 0, MSG, DEPTH, &p->io), 0);
}

/* Submit the next messages until DEPTH are with the device or the signal is all sent. */
static void player_fill(struct player *p)
{
	int16_t buf[MSG_FRAMES * 2];

	while (p->frame < p->frames && vguest_io_in_flight(p->io) < DEPTH) {
		uint32_t n = (uint32_t)(p->frames - p->frame < MSG_FRAMES ?
					p->frames - p->frame : MSG_FRAMES);

		for (uint32_t i = 0; i < n; i++)
			buf[2 * i] = buf[2 * i + 1] = vt_ramp_signal(p->frame + i);
		assert_int_equal(vguest_io_submit(p->io, buf, n * 4u), 0);
		p->frame += n;
	}
}

/* Reap the oldest message (it must complete S_OK) and keep the queue full. */
static bool player_step(struct player *p)
{
	struct vguest_io_done done;

	if (!vguest_io_in_flight(p->io))
		return false;
	assert_int_equal(vguest_io_reap(p->io, &done, WAIT_MS), 1);
	assert_int_equal(done.status, VIRTIO_SND_S_OK);
	player_fill(p);
	return true;
}

static void player_close(struct player *p)
{
	assert_int_equal(vguest_pcm_stop(p->g, 0), 0);
	assert_int_equal(vguest_pcm_release(p->g, 0), 0);
	vguest_io_close(p->io);
	vguest_close(p->g);
}

/* Where the guest's frame 0 is in @l: SKIP..SKIP+100 match there, a few frames before the
 * first sound at most (the volume's ramp starts at gain 0); fails the test if nowhere. */
static uint32_t find_start(const int32_t *l, uint32_t n)
{
	uint32_t first = vt_first_sound(l, n);

	for (uint32_t o = first > 64 ? first - 64 : 0; o <= first; o++) {
		bool ok = o + SKIP + 100 < n;

		for (uint32_t i = SKIP; i < SKIP + 100 && ok; i++)
			ok = l[o + i] == (int32_t)vt_ramp_signal(i) * 65536;
		if (ok)
			return o;
	}
	fail_msg("the guest's signal is not in the output (first sound at %u)", first);
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void stop_and_start_again_plays_on_without_losing_a_frame(void **state)
{
	const uint64_t total = 3 * RATE / 2;	/* 1.5 s */
	struct vt_daemon d;
	struct player p;
	uint32_t n, off, at, k = SKIP, bad = 0, gap = 0, longest_gap = 0, run = 0;
	int32_t *l;

	(void)state;
	start(&d, 0);
	player_open(&p, d.sock[0], total);
	player_fill(&p);
	assert_int_equal(vguest_pcm_start(p.g, 0), 0);
	for (unsigned int i = 0; i < 24 && player_step(&p); i++)	/* about 0.5 s */
		;
	/* ALSA's pause on virtio_snd: STOP, then START again; the queued messages stay. */
	assert_int_equal(vguest_pcm_stop(p.g, 0), 0);
	sleep_ms(100);
	assert_int_equal(vguest_pcm_start(p.g, 0), 0);
	while (player_step(&p))
		;
	player_close(&p);
	l = vt_daemon_stop(&d, &n);
	off = find_start(l, n);
	/*
	 * Walk the output from the guest's frame SKIP on: each frame is the next one of the
	 * signal, or silence of the pause (a zero that is not the next frame).
	 */
	for (at = off + SKIP; at < n && k < total; at++) {
		int32_t want = (int32_t)vt_ramp_signal(k) * 65536;

		if (l[at] == want) {
			k++;
			run = 0;
			continue;
		}
		if (l[at] == 0) {
			gap++;
			run++;
			longest_gap = run > longest_gap ? run : longest_gap;
			continue;
		}
		if (bad++ < 4)
			print_message("output frame %u: %d, the guest's frame %u is %d\n", at,
				      l[at], k, want);
	}
	print_message("frames %u..%u found in order, %u silent frames between them (longest "
		      "run %u), %u frames that are neither\n", SKIP, k, gap, longest_gap, bad);
	assert_int_equal(bad, 0);
	assert_int_equal(k, total);
	/* The pause is there (100 ms), as one stretch of silence. */
	assert_true(longest_gap >= RATE / 20);
	assert_true(gap - longest_gap < 64);
	free(l);
}

/* The frame k of the input file from which @n frames of @rec (left and right) are the file,
 * searched in [@from, @from + @span); UINT32_MAX if none. */
static uint32_t find_in_file(const int16_t *rec, uint32_t n, uint32_t from, uint32_t span)
{
	for (uint32_t k = from; k < from + span; k++) {
		bool ok = true;

		for (uint32_t i = 0; i < n && ok; i++)
			ok = rec[2 * i] == vt_ramp_signal(k + i) && rec[2 * i + 1] == rec[2 * i];
		if (ok)
			return k;
	}
	return UINT32_MAX;
}

static void capture_stopped_and_started_again_records_on(void **state)
{
	const struct vguest_pcm_params prm = {
		.buffer_bytes = DEPTH * MSG, .period_bytes = MSG, .channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};
	const uint32_t want = 48 * MSG_FRAMES, in_frames = 10 * RATE;	/* 1 s of 10 s */
	int16_t *rec = calloc((size_t)want * 2, sizeof(int16_t));
	struct vguest_io_done done;
	struct vguest_io *io;
	struct vguest *g;
	struct vt_daemon d;
	uint32_t got = 0, first = UINT32_MAX, k, jumps = 0, jumped = 0, j;
	bool paused = false;

	(void)state;
	assert_non_null(rec);
	start(&d, in_frames);
	assert_int_equal(vguest_connect(&g, d.sock[0], NULL), 0);
	assert_int_equal(vguest_pcm_set_params(g, 1, &prm), 0);
	assert_int_equal(vguest_pcm_prepare(g, 1), 0);
	assert_int_equal(vguest_io_open(g, 1, MSG, DEPTH, &io), 0);
	for (unsigned int i = 0; i < DEPTH; i++)
		assert_int_equal(vguest_io_submit(io, NULL, MSG), 0);
	assert_int_equal(vguest_pcm_start(g, 1), 0);
	while (got < want) {
		if (got >= want / 2 && !paused) {
			assert_int_equal(vguest_pcm_stop(g, 1), 0);
			sleep_ms(100);
			assert_int_equal(vguest_pcm_start(g, 1), 0);
			paused = true;
		}
		assert_int_equal(vguest_io_reap(io, &done, WAIT_MS), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
		assert_int_equal(done.bytes, MSG);
		memcpy(rec + (size_t)got * 2, done.data, MSG);
		got += MSG_FRAMES;
		assert_int_equal(vguest_io_submit(io, NULL, MSG), 0);
	}
	assert_int_equal(vguest_pcm_stop(g, 1), 0);
	assert_int_equal(vguest_pcm_release(g, 1), 0);
	vguest_io_close(io);
	vguest_close(g);
	vt_daemon_stop(&d, NULL);
	for (uint32_t i = 0; i < want && first == UINT32_MAX; i++)
		if (rec[2 * i])
			first = i;
	assert_true(first < want / 4);
	/*
	 * From past the volume's ramp on, each frame is the file's next one, but for one jump
	 * forward over the pause (the host's input ran on meanwhile): no silence, no ramp.
	 */
	j = first + SKIP;
	k = find_in_file(rec + 2 * j, 100, 0, in_frames);
	assert_int_not_equal(k, UINT32_MAX);
	for (; j + 100 <= want; j++, k++) {
		uint32_t next;

		if (rec[2 * j] == vt_ramp_signal(k) && rec[2 * j + 1] == rec[2 * j])
			continue;
		next = find_in_file(rec + 2 * j, 100, k, RATE);
		print_message("recorded frame %u: %d, file frame %u is %d; the file again from "
			      "frame %d\n", j, rec[2 * j], k, vt_ramp_signal(k),
			      next == UINT32_MAX ? -1 : (int)next);
		assert_int_not_equal(next, UINT32_MAX);
		jumps++;
		jumped += next - k;
		k = next;
	}
	print_message("recorded %u frames, file frames in order from frame %u on, %u jump(s) "
		      "forward, %u frames skipped\n", want, first + SKIP, jumps, jumped);
	assert_true(jumps <= 1);
	free(rec);
}

/* The guest sends @total frames in messages of MSG_FRAMES; all of them reach the output. */
static void play_to_the_end(uint64_t total)
{
	struct vt_daemon d;
	struct player p;
	uint32_t n, off, bad = 0, last = 0;
	int32_t *l;

	start(&d, 0);
	player_open(&p, d.sock[0], total);
	player_fill(&p);
	assert_int_equal(vguest_pcm_start(p.g, 0), 0);
	while (player_step(&p))
		;
	/* Every message completed: ALSA's drain is over, the driver stops and releases. */
	player_close(&p);
	l = vt_daemon_stop(&d, &n);
	for (uint32_t i = n; i-- > 0;)
		if (l[i]) {
			last = i;
			break;
		}
	if (total > SKIP + 100) {
		off = find_start(l, n);
		for (uint32_t i = SKIP; i < total; i++)
			bad += off + i >= n || l[off + i] != (int32_t)vt_ramp_signal(i) * 65536;
		print_message("%" PRIu64 " frames sent in messages of %u, %" PRIu64
			      " compared, %u differ or are missing; last sound %u frames after "
			      "the first frame\n", total, MSG_FRAMES, total - SKIP, bad, last - off);
		assert_int_equal(bad, 0);
		/* Only the padding's silence follows. */
		assert_int_equal(last, off + total - 1);
	} else {
		/* All in the volume's ramp: the sound lasts as long as the signal. */
		uint32_t first = vt_first_sound(l, n);

		print_message("%" PRIu64 " frames sent, sound from frame %u to %u (%u frames)\n",
			      total, first, last, last - first + 1);
		assert_true(last - first + 1 <= total);
		assert_true(last - first + 1 >= total - 64);
		assert_true(last - first + 1 > total - total % 48);
	}
	free(l);
}

static void a_last_piece_shorter_than_a_period_is_played(void **state)
{
	(void)state;
	play_to_the_end(25 * MSG_FRAMES);	/* 520 periods and 40 frames */
}

static void a_stream_of_one_short_message_is_played_whole(void **state)
{
	(void)state;
	play_to_the_end(MSG_FRAMES);		/* 20 periods and 40 frames */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(stop_and_start_again_plays_on_without_losing_a_frame,
					  vt_teardown),
		cmocka_unit_test_teardown(capture_stopped_and_started_again_records_on,
					  vt_teardown),
		cmocka_unit_test_teardown(a_last_piece_shorter_than_a_period_is_played,
					  vt_teardown),
		cmocka_unit_test_teardown(a_stream_of_one_short_message_is_played_whole,
					  vt_teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
