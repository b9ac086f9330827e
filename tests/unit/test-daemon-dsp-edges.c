// SPDX-License-Identifier: MIT
/*
 * The edges of a plain virtio-snd stream on the shared DSP: vadspd with a [host] section and a
 * file endpoint (topology/host.tplg), a process guest on topology/stereo.tplg playing
 * vt_ramp_signal(), the host's output WAV file read back.
 *
 * - A stream stopped and started again (PCM_STOP then PCM_START: what Linux's virtio_snd does
 *   for ALSA's pause) plays on from where it stopped: the output with the pause's silence
 *   left out is the guest's signal, not a frame lost or repeated, and the volume's start ramp
 *   does not run again.
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
#define MSG_FRAMES	1000u			/* not a multiple of the engine's 48 */
#define MSG		(MSG_FRAMES * 4u)	/* S16 stereo */
#define DEPTH		16u			/* messages with the device: 333 ms */
#define SKIP		2000u			/* frames: the volume start ramp and more */
#define RATE		48000u

struct daemon {
	char dir[64];
	char conf[128];
	char log[128];
	char out[128];
	char vm[128];
	char mgmt[128];
};

/* vadspd: host.tplg with DAI0.OUT into out.wav, one guest "vm" on stereo.tplg. */
static void start(struct daemon *d)
{
	const char *exe = getenv("VADSPD_EXE");
	char text[2048];

	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "/tmp/vadspd-edges-XXXXXX");
	assert_non_null(mkdtemp(d->dir));
	snprintf(d->conf, sizeof(d->conf), "%s/vadspd.conf", d->dir);
	snprintf(d->log, sizeof(d->log), "%s/vadspd.log", d->dir);
	snprintf(d->out, sizeof(d->out), "%s/out.wav", d->dir);
	snprintf(d->vm, sizeof(d->vm), "%s/vm.sock", d->dir);
	snprintf(d->mgmt, sizeof(d->mgmt), "%s/mgmt.sock", d->dir);
	snprintf(text, sizeof(text),
		 "[daemon]\nmgmt-socket = %s\n"
		 "[host]\ntopology = %s\ndai.DAI0.OUT = file:%s\ndai.DAI0.IN = null\n"
		 "[guest vm]\nsocket = %s\ntopology = %s\n",
		 d->mgmt, vt_topology("host"), d->out, d->vm, vt_topology("stereo"));
	vt_write_file(d->conf, text);
	assert_non_null(exe);
	vt_running = vt_spawn(exe, d->conf, d->log);
	/* vadspd opens the management socket after every guest socket listens. */
	vt_wait_listening(d->mgmt, WAIT_MS);
}

/* SIGTERM (the WAV header is finished), then read the left channel of out.wav. */
static int32_t *stop_and_read(struct daemon *d, uint32_t *frames)
{
	int32_t *left;

	vt_terminate(vt_running, &vt_running);
	left = vt_read_wav_left(d->out, true, frames);
	unlink(d->out);
	unlink(d->conf);
	unlink(d->log);
	unlink(d->vm);
	unlink(d->mgmt);
	rmdir(d->dir);
	return left;
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
	struct daemon d;
	struct player p;
	uint32_t n, off, at, k = SKIP, bad = 0, gap = 0, longest_gap = 0, run = 0;
	int32_t *l;

	(void)state;
	start(&d);
	player_open(&p, d.vm, total);
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
	l = stop_and_read(&d, &n);
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

/* The guest sends @total frames in messages of MSG_FRAMES; all of them reach the output. */
static void play_to_the_end(uint64_t total)
{
	struct daemon d;
	struct player p;
	uint32_t n, off, bad = 0, last = 0;
	int32_t *l;

	start(&d);
	player_open(&p, d.vm, total);
	player_fill(&p);
	assert_int_equal(vguest_pcm_start(p.g, 0), 0);
	while (player_step(&p))
		;
	/* Every message completed: ALSA's drain is over, the driver stops and releases. */
	player_close(&p);
	l = stop_and_read(&d, &n);
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
		cmocka_unit_test_teardown(a_last_piece_shorter_than_a_period_is_played,
					  vt_teardown),
		cmocka_unit_test_teardown(a_stream_of_one_short_message_is_played_whole,
					  vt_teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
