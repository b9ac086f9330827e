// SPDX-License-Identifier: MIT
/*
 * vadspd with a [host] section and a file endpoint: process guests (src/guest) play
 * through the shared DSP (topology/host.tplg, guests on topology/stereo.tplg) and what they
 * play is read back from the host's output WAV file.
 *
 * Tolerance: none after the stereo topology's 20 ms volume start ramp; the guests play
 * S16, the host writes s32le, so an output sample is the input sample << 16 (or a sum of
 * them for two guests). The first 2000 frames after the first sound are skipped (ramp).
 * Capture: a host input file (DAI0.IN) reaches a guest recording S16, sample for sample.
 *
 * Every guest keeps its whole buffer with the device (DEPTH messages of 20 ms: 320 ms, the
 * most stereo.tplg's PCM allows) and queues it all before START. A bit-exact comparison must
 * not depend on the test process being scheduled every few milliseconds: a starved guest
 * underruns and the engine plays silence, so on a loaded machine a 40 ms buffer was not
 * enough.
 */
#include <errno.h>
#include <fcntl.h>
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
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "snd/virtio-snd.h"
#include "vadspd-test-util.h"

#define WAIT_MS		10000
#define PERIOD_FRAMES	960u
#define PERIOD		(PERIOD_FRAMES * 4u)	/* S16 stereo: 20 ms */
#define PER_S		(48000u / PERIOD_FRAMES)	/* periods per second */
#define DEPTH		16u			/* messages with the device: 320 ms */
#define SKIP		2000u			/* frames: the volume start ramp and more */
#define RATE		48000u

/* vadspd: host.tplg with DAI0.OUT into out.wav, DAI0.IN from @in (or null), vm1 and vm2 on
 * stereo.tplg. */
static void start_in(struct vt_daemon *d, const char *in)
{
	const struct vt_daemon_opts o = {
		.name = "dsp", .host = true, .in = in ? in : "null", .guests = 2,
		.guest = { { .lines = "controls = yes\n" }, { .lines = "controls = yes\n" } },
	};

	vt_daemon_start(d, &o);
}

static void start(struct vt_daemon *d)
{
	start_in(d, NULL);
}

/* A guest playing: @sample(i) for frame i on both channels. */
struct player {
	struct vguest *g;
	struct vguest_io *io;
	int16_t (*sample)(uint64_t i);
	uint64_t frame;
	unsigned int sent, n;
	bool started;
};

static void player_open(struct player *p, const char *sock, int16_t (*sample)(uint64_t),
			unsigned int periods)
{
	struct vguest_pcm_params prm = {
		.buffer_bytes = DEPTH * PERIOD, .period_bytes = PERIOD, .channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};

	memset(p, 0, sizeof(*p));
	assert_int_equal(vguest_connect(&p->g, sock, NULL), 0);
	p->sample = sample;
	p->n = periods;
	assert_int_equal(vguest_pcm_set_params(p->g, 0, &prm), 0);
	assert_int_equal(vguest_pcm_prepare(p->g, 0), 0);
	assert_int_equal(vguest_io_open(p->g, 0, PERIOD, DEPTH, &p->io), 0);
}

/* Keep the queue full, start once it is, reap one message. Return false when done. */
static bool player_step(struct player *p)
{
	struct vguest_io_done done;
	int16_t buf[PERIOD_FRAMES * 2];

	while (p->sent < p->n && vguest_io_in_flight(p->io) < DEPTH) {
		for (uint32_t i = 0; i < PERIOD_FRAMES; i++)
			buf[2 * i] = buf[2 * i + 1] = p->sample(p->frame + i);
		assert_int_equal(vguest_io_submit(p->io, buf, PERIOD), 0);
		p->frame += PERIOD_FRAMES;
		p->sent++;
	}
	if (!p->started) {
		assert_int_equal(vguest_pcm_start(p->g, 0), 0);
		p->started = true;
	}
	if (!vguest_io_in_flight(p->io))
		return false;
	assert_int_equal(vguest_io_reap(p->io, &done, WAIT_MS), 1);
	assert_int_equal(done.status, VIRTIO_SND_S_OK);
	return true;
}

static void player_close(struct player *p)
{
	assert_int_equal(vguest_pcm_stop(p->g, 0), 0);
	assert_int_equal(vguest_pcm_release(p->g, 0), 0);
	vguest_io_close(p->io);
	vguest_close(p->g);
}

static int16_t dc_a(uint64_t i)
{
	(void)i;
	return 1000;
}

static int16_t dc_b(uint64_t i)
{
	(void)i;
	return 3000;
}

static void guest_playback_arrives_bit_exact_in_the_host_file(void **state)
{
	struct vt_daemon d;
	struct player p;
	uint32_t n, first, off = UINT32_MAX, bad = 0, checked = 0;
	int32_t *l;

	(void)state;
	start(&d);
	player_open(&p, d.sock[0], vt_ramp_signal, 3 * PER_S / 2);	/* 1.5 s */
	while (player_step(&p))
		;
	player_close(&p);
	l = vt_daemon_stop(&d, &n);
	first = vt_first_sound(l, n);
	/* The ramp starts at gain 0: the signal's first frame is at most a few frames early. */
	for (uint32_t o = first > 64 ? first - 64 : 0; o <= first && off == UINT32_MAX; o++) {
		bool ok = o + SKIP + 100 < n;

		for (uint32_t i = SKIP; i < SKIP + 100 && ok; i++)
			ok = l[o + i] == (int32_t)vt_ramp_signal(i) * 65536;
		if (ok)
			off = o;
	}
	assert_int_not_equal(off, UINT32_MAX);
	for (uint32_t i = SKIP; i < 3 * RATE / 2 && off + i < n; i++, checked++)
		bad += l[off + i] != (int32_t)vt_ramp_signal(i) * 65536;
	print_message("first frame at %u, %u frames compared, %u differ\n", off, checked, bad);
	assert_true(checked >= 3 * RATE / 2 - SKIP);
	assert_int_equal(bad, 0);
	free(l);
}

static double rms_db(const int32_t *l, uint32_t from, uint32_t count)
{
	double s = 0;

	for (uint32_t i = from; i < from + count; i++)
		s += ((double)l[i] / 2147483648.0) * ((double)l[i] / 2147483648.0);
	return 10.0 * log10(s / count);
}

static int16_t sine(uint64_t i)
{
	return (int16_t)lrint(16384.0 * sin(2.0 * M_PI * 1000.0 * (double)i / RATE));
}

static void guest_volume_change_shows_in_the_output_level(void **state)
{
	struct vguest_ctl_value v = { 0 };
	struct vt_daemon d;
	struct player p;
	uint32_t n, first;
	double before, after;
	int id;
	int32_t *l;

	(void)state;
	start(&d);
	player_open(&p, d.sock[0], sine, 2 * PER_S);		/* 2 s */
	id = vguest_ctl_find(p.g, "Master Playback Volume", 0);
	assert_true(id >= 0);
	for (unsigned int i = 0; i < PER_S && player_step(&p); i++)
		;
	v.values[0] = v.values[1] = 54;			/* -64 dB + 54 x 1 dB = -10 dB */
	assert_int_equal(vguest_ctl_write(p.g, (uint32_t)id, &v), 0);
	while (player_step(&p))
		;
	player_close(&p);
	l = vt_daemon_stop(&d, &n);
	first = vt_first_sound(l, n);
	assert_true(n > first + 2 * RATE);
	/* 0.2 .. 0.6 s: before; 1.5 .. 1.9 s: after (the change went out near 1 s). */
	before = rms_db(l, first + RATE / 5, 2 * RATE / 5);
	after = rms_db(l, first + 3 * RATE / 2, 2 * RATE / 5);
	print_message("before %.2f dBFS, after %.2f dBFS, change %.2f dB\n", before, after,
		      after - before);
	assert_true(fabs(before - 20.0 * log10(0.5 / sqrt(2.0))) < 0.05);
	assert_true(fabs((after - before) + 10.0) < 0.05);
	free(l);
}

/* The longest run of frames equal to @v. */
static uint32_t longest_run(const int32_t *l, uint32_t from, uint32_t to, int32_t v)
{
	uint32_t best = 0, run = 0;

	for (uint32_t i = from; i < to; i++) {
		run = l[i] == v ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

static void two_guests_are_mixed_and_one_leaving_leaves_the_other_playing(void **state)
{
	struct vt_daemon d;
	struct player a, b;
	uint32_t n, mixed, alone, after_mix = 0;
	int32_t *l;

	(void)state;
	start(&d);
	player_open(&a, d.sock[0], dc_a, 5 * PER_S / 2);	/* 2.5 s */
	player_open(&b, d.sock[1], dc_b, 10 * PER_S);
	for (unsigned int i = 0; i < PER_S; i++) {
		assert_true(player_step(&a));
		assert_true(player_step(&b));
	}
	/* Guest b's front-end goes away mid-stream, without STOP or RELEASE. */
	vguest_io_close(b.io);
	vguest_close(b.g);
	while (player_step(&a))
		;
	player_close(&a);
	l = vt_daemon_stop(&d, &n);
	mixed = longest_run(l, 0, n, (1000 + 3000) * 65536);
	for (uint32_t i = n; i-- > 0;)
		if (l[i] == (1000 + 3000) * 65536) {
			after_mix = i + 1;
			break;
		}
	alone = longest_run(l, after_mix, n, 1000 * 65536);
	print_message("mixed run %u frames, guest a alone afterwards %u frames\n", mixed, alone);
	/* About 1 s of both, summed exactly; then about 1.5 s of guest a alone. */
	assert_true(mixed >= RATE / 2);
	assert_true(alone >= RATE);
	/* Guest b alone never reaches the output (it started after a and left before it). */
	assert_int_equal(longest_run(l, 0, n, 3000 * 65536) > RATE / 10, 0);
	free(l);
}

/* A 16-bit stereo 48 kHz WAV of @frames frames of vt_ramp_signal() on both channels. */
static void guest_capture_receives_the_host_input_file_bit_exact(void **state)
{
	struct vguest_pcm_params prm = {
		.buffer_bytes = DEPTH * PERIOD, .period_bytes = PERIOD, .channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};
	const uint32_t want = PER_S * PERIOD_FRAMES;	/* 1 s of a 4 s input file */
	char in[] = "/tmp/vadspd-dsp-in-XXXXXX.wav";
	int16_t *rec = calloc((size_t)want * 2, sizeof(int16_t));
	struct vguest_io_done done;
	struct vguest_io *io;
	struct vguest *g;
	struct vt_daemon d;
	uint32_t got = 0, first = UINT32_MAX, off = UINT32_MAX, bad = 0, n;
	int fd = mkstemps(in, 4);

	(void)state;
	assert_non_null(rec);
	assert_true(fd >= 0);
	close(fd);
	vt_write_wav(in, 4 * RATE, vt_ramp_signal);
	start_in(&d, in);
	assert_int_equal(vguest_connect(&g, d.sock[0], NULL), 0);
	assert_int_equal(vguest_pcm_set_params(g, 1, &prm), 0);
	assert_int_equal(vguest_pcm_prepare(g, 1), 0);
	assert_int_equal(vguest_io_open(g, 1, PERIOD, DEPTH, &io), 0);
	for (unsigned int i = 0; i < DEPTH; i++)
		assert_int_equal(vguest_io_submit(io, NULL, PERIOD), 0);
	assert_int_equal(vguest_pcm_start(g, 1), 0);
	while (got < want) {
		assert_int_equal(vguest_io_reap(io, &done, WAIT_MS), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
		assert_int_equal(done.bytes, PERIOD);
		memcpy(rec + (size_t)got * 2, done.data, PERIOD);
		got += PERIOD_FRAMES;
		assert_int_equal(vguest_io_submit(io, NULL, PERIOD), 0);
	}
	assert_int_equal(vguest_pcm_stop(g, 1), 0);
	assert_int_equal(vguest_pcm_release(g, 1), 0);
	vguest_io_close(io);
	vguest_close(g);
	free(vt_daemon_stop(&d, &n));
	unlink(in);
	for (uint32_t i = 0; i < want && first == UINT32_MAX; i++)
		if (rec[2 * i])
			first = i;
	assert_int_not_equal(first, UINT32_MAX);
	/* Where the recording is the file: found by a run of 100 frames past the ramp. */
	for (uint32_t k = 0; k < RATE && off == UINT32_MAX; k++) {
		bool ok = first + SKIP + 100 < want;

		for (uint32_t i = 0; i < 100 && ok; i++)
			ok = rec[2 * (first + SKIP + i)] == vt_ramp_signal(k + i);
		if (ok)
			off = k;
	}
	assert_int_not_equal(off, UINT32_MAX);
	for (uint32_t i = first + SKIP; i < want; i++)
		bad += rec[2 * i] != vt_ramp_signal(off + i - first - SKIP) ||
		       rec[2 * i + 1] != rec[2 * i];
	print_message("recorded %u frames, file frame %u at frame %u, %u frames compared, "
		      "%u differ\n", want, off, first + SKIP, want - first - SKIP, bad);
	assert_int_equal(bad, 0);
	free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(guest_playback_arrives_bit_exact_in_the_host_file,
					  vt_teardown),
		cmocka_unit_test_teardown(guest_volume_change_shows_in_the_output_level,
					  vt_teardown),
		cmocka_unit_test_teardown(
			two_guests_are_mixed_and_one_leaving_leaves_the_other_playing,
			vt_teardown),
		cmocka_unit_test_teardown(guest_capture_receives_the_host_input_file_bit_exact,
					  vt_teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
