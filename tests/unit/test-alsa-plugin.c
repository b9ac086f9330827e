// SPDX-License-Identifier: MIT
/*
 * The ALSA plugin (src/alsa-plugin) through libasound's own API against a real vadspd: a
 * [host] section on host.tplg writing out.wav and reading a looped in.wav, a guest on
 * stereo.tplg (plain, and with sof = yes for the DSP-aware mode). libasound finds the built
 * module through a private configuration named in ALSA_CONFIG_PATH.
 *
 * What is proved: an application's poll loop (non-blocking, the PCM's poll descriptors and
 * revents) plays bit-exact into the host output and records the host input sample for
 * sample, waking about once per period (no busy loop) and seeing a hardware pointer that
 * moves by whole messages; a drain plays the last partial period; an application that stops
 * writing gets an xrun and recovers with prepare; the device's own xrun report is one with
 * the stop threshold at the boundary; vadspd stopped (SIGSTOP) is an xrun, not a hang;
 * pause holds the pointer and resume plays on; a buffer of no whole number of periods plays
 * bit-exact; the hw constraints and channel map are the stream's; a socket that does not
 * exist fails at open.
 *
 * Output checks as in test-daemon-vadspd-dsp.c: stereo.tplg at 0 dB, S16 in, s32 out (each
 * sample << 16), the first SKIP frames (the volume's start ramp) left out.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

#include <alsa/asoundlib.h>

#include "vadspd-test-util.h"

#define WAIT_MS		10000
#define RATE		48000u
#define PERIOD		480u		/* frames */
#define PERIODS		8u		/* 80 ms: a loaded machine does not underrun */
#define SKIP		2000u
#define IN_FRAMES	(4u * RATE)	/* the host's input file, looped */

struct daemon {
	pid_t pid;
	char dir[64];
	char path[8][160];
};

enum { P_CONF, P_LOG, P_OUT, P_IN, P_SOCK, P_MGMT };

static pid_t running;
static struct daemon current;	/* a copy: its files go when a test fails midway */
static bool have_current;
static char conf_dir[64];

/* A signal that never repeats within a test: no false alignment over long runs. */
static int16_t sig(uint64_t i)
{
	return (int16_t)((i * 7919u + (i >> 7) * 13u) % 50000u - 25000);
}

static void start(struct daemon *d, bool sof)
{
	const char *exe = getenv("VADSPD_EXE"), *topo = getenv("VADSP_TOPOLOGY_DIR");
	static const char *const names[] = { "vadspd.conf", "vadspd.log", "out.wav", "in.wav",
					     "vm1.sock", "mgmt.sock" };
	FILE *f;

	assert_non_null(exe);
	assert_non_null(topo);
	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "/tmp/vadsp-alsa-plugin-XXXXXX");
	assert_non_null(mkdtemp(d->dir));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		snprintf(d->path[i], sizeof(d->path[i]), "%s/%s", d->dir, names[i]);
	vt_write_wav(d->path[P_IN], IN_FRAMES, sig);
	f = fopen(d->path[P_CONF], "w");
	assert_non_null(f);
	fprintf(f, "[daemon]\nmgmt-socket = %s\n", d->path[P_MGMT]);
	fprintf(f, "[host]\ntopology = %s/host.tplg\ndai.DAI0.OUT = file:%s\n"
		"dai.DAI0.IN = file:%s?loop\n"
		"[guest vm1]\nsocket = %s\ntopology = %s/stereo.tplg\n%s",
		topo, d->path[P_OUT], d->path[P_IN], d->path[P_SOCK], topo,
		sof ? "sof = yes\n" : "");
	fclose(f);
	d->pid = vt_spawn(exe, d->path[P_CONF], d->path[P_LOG]);
	running = d->pid;
	current = *d;
	have_current = true;
	/* vadspd opens the management socket after every guest socket listens (a probe of
	 * the guest socket itself would be its front-end for a moment). */
	vt_wait_listening(d->path[P_MGMT], WAIT_MS);
}

static void remove_files(const struct daemon *d)
{
	for (size_t i = 0; i < sizeof(d->path) / sizeof(d->path[0]); i++)
		if (d->path[i][0])
			unlink(d->path[i]);
	rmdir(d->dir);
	have_current = false;
}

/* SIGTERM (the WAV header is finished), then the left channel of out.wav. */
static int32_t *stop_and_read(struct daemon *d, uint32_t *frames)
{
	int32_t *left;

	vt_terminate(d->pid, &running);
	left = vt_read_wav_left(d->path[P_OUT], false, frames);
	remove_files(d);
	return left;
}

/* Where frame 0 of sig() is in @l: near its first sound (the ramp starts at gain 0, so the
 * signal's first frame is at most a few frames early), matched past the ramp. */
static uint32_t find_start(const int32_t *l, uint32_t n)
{
	uint32_t first = UINT32_MAX, off = UINT32_MAX;

	for (uint32_t i = 0; i < n && first == UINT32_MAX; i++)
		if (l[i])
			first = i;
	assert_int_not_equal(first, UINT32_MAX);
	for (uint32_t o = first > 64 ? first - 64 : 0; o <= first && off == UINT32_MAX; o++) {
		bool ok = o + SKIP + 100 < n;

		for (uint32_t i = SKIP; i < SKIP + 100 && ok; i++)
			ok = l[o + i] == (int32_t)sig(i) * 65536;
		if (ok)
			off = o;
	}
	assert_int_not_equal(off, UINT32_MAX);
	return off;
}

/* Frames [SKIP, @count) of sig() in @l: how many differ. */
static uint32_t played_bit_exact(const int32_t *l, uint32_t n, uint32_t count)
{
	uint32_t off = find_start(l, n), bad = 0;

	assert_true(off + count <= n);
	for (uint32_t i = SKIP; i < count; i++) {
		if (l[off + i] != (int32_t)sig(i) * 65536 && bad < 5)
			print_message("frame %u: %d, not %d\n", i, l[off + i] / 65536, sig(i));
		bad += l[off + i] != (int32_t)sig(i) * 65536;
	}
	print_message("first frame at %u, %u frames compared, %u differ\n", off, count - SKIP,
		      bad);
	return bad;
}

static snd_pcm_t *open_pcm(const struct daemon *d, bool sof, snd_pcm_stream_t dir, int mode)
{
	char name[256];
	snd_pcm_t *pcm = NULL;

	snprintf(name, sizeof(name), "vadsp:SOCKET=%s,SOF=%s", d->path[P_SOCK],
		 sof ? "yes" : "no");
	assert_int_equal(snd_pcm_open(&pcm, name, dir, mode), 0);
	return pcm;
}

static void set_params(snd_pcm_t *pcm)
{
	snd_pcm_hw_params_t *hw;

	snd_pcm_hw_params_alloca(&hw);
	assert_true(snd_pcm_hw_params_any(pcm, hw) >= 0);
	assert_int_equal(snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED), 0);
	assert_int_equal(snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S16_LE), 0);
	assert_int_equal(snd_pcm_hw_params_set_channels(pcm, hw, 2), 0);
	assert_int_equal(snd_pcm_hw_params_set_rate(pcm, hw, RATE, 0), 0);
	assert_int_equal(snd_pcm_hw_params_set_period_size(pcm, hw, PERIOD, 0), 0);
	assert_int_equal(snd_pcm_hw_params_set_buffer_size(pcm, hw, PERIOD * PERIODS), 0);
	assert_int_equal(snd_pcm_hw_params(pcm, hw), 0);
}

/* Wait on the PCM's descriptors; return the revents libasound makes of them. */
static unsigned short poll_pcm(snd_pcm_t *pcm)
{
	struct pollfd pfd[4];
	unsigned short revents = 0;
	int n = snd_pcm_poll_descriptors_count(pcm);

	assert_true(n > 0 && n <= 4);
	assert_int_equal(snd_pcm_poll_descriptors(pcm, pfd, (unsigned int)n), n);
	assert_true(poll(pfd, (nfds_t)n, WAIT_MS) > 0);
	assert_int_equal(snd_pcm_poll_descriptors_revents(pcm, pfd, (unsigned int)n, &revents),
			 0);
	return revents;
}

/*
 * The hardware pointer moves by whole messages (full periods while the stream runs), and
 * the delay is what is queued plus the device's latency (well under 100 ms here).
 */
static void check_pointer(snd_pcm_t *pcm, uint32_t written, unsigned int *looks)
{
	snd_pcm_sframes_t avail = snd_pcm_avail_update(pcm), delay = -1;

	assert_true(avail >= 0 && avail <= (snd_pcm_sframes_t)(PERIOD * PERIODS));
	assert_int_equal((written + (uint32_t)avail - PERIOD * PERIODS) % PERIOD, 0);
	assert_int_equal(snd_pcm_delay(pcm, &delay), 0);
	assert_true(delay >= 0 && delay <= (snd_pcm_sframes_t)(PERIOD * PERIODS + RATE / 10));
	(*looks)++;
}

static void poll_loop_playback(bool sof)
{
	const uint32_t total = 150 * PERIOD;	/* 1.5 s */
	int16_t buf[PERIOD * 2];
	struct daemon d;
	snd_pcm_t *pcm;
	uint32_t written = 0, n;
	unsigned int polls = 0, wakes = 0, looks = 0;
	int32_t *l;

	start(&d, sof);
	pcm = open_pcm(&d, sof, SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK);
	set_params(pcm);
	while (written < total) {
		snd_pcm_sframes_t avail = snd_pcm_avail_update(pcm);

		assert_true(avail >= 0);
		if (avail >= (snd_pcm_sframes_t)PERIOD) {
			for (uint32_t i = 0; i < PERIOD; i++)
				buf[2 * i] = buf[2 * i + 1] = sig(written + i);
			assert_int_equal(snd_pcm_writei(pcm, buf, PERIOD), PERIOD);
			written += PERIOD;
			continue;
		}
		if (snd_pcm_state(pcm) == SND_PCM_STATE_RUNNING)
			check_pointer(pcm, written, &looks);
		polls++;
		if (poll_pcm(pcm) & POLLOUT) {
			wakes++;
			/* POLLOUT means what it says. */
			assert_true(snd_pcm_avail_update(pcm) >= (snd_pcm_sframes_t)PERIOD);
		}
	}
	assert_int_equal(snd_pcm_nonblock(pcm, 0), 0);
	assert_int_equal(snd_pcm_drain(pcm), 0);
	assert_int_equal(snd_pcm_state(pcm), SND_PCM_STATE_SETUP);
	assert_int_equal(snd_pcm_close(pcm), 0);
	l = stop_and_read(&d, &n);
	print_message("%u polls, %u with POLLOUT, %u pointer looks for %u periods\n", polls,
		      wakes, looks, total / PERIOD);
	/* The loop waited in poll() for most periods, and woke about once per period
	 * completed: nothing spins. */
	assert_true(wakes >= total / PERIOD / 2);
	assert_true(polls <= 3 * (total / PERIOD));
	assert_int_equal(played_bit_exact(l, n, total), 0);
	free(l);
}

static void poll_loop_playback_arrives_bit_exact_without_spinning(void **state)
{
	(void)state;
	poll_loop_playback(false);
}

static void sof_poll_loop_playback_arrives_bit_exact_without_spinning(void **state)
{
	(void)state;
	poll_loop_playback(true);
}

static void poll_loop_capture(bool sof)
{
	const uint32_t total = 100 * PERIOD;	/* 1 s */
	int16_t *rec = calloc((size_t)total * 2, sizeof(int16_t));
	struct daemon d;
	snd_pcm_t *pcm;
	uint32_t got = 0, first = UINT32_MAX, at = UINT32_MAX, bad = 0, n;
	unsigned int polls = 0;

	assert_non_null(rec);
	start(&d, sof);
	pcm = open_pcm(&d, sof, SND_PCM_STREAM_CAPTURE, SND_PCM_NONBLOCK);
	set_params(pcm);
	assert_int_equal(snd_pcm_start(pcm), 0);
	while (got < total) {
		snd_pcm_sframes_t r = snd_pcm_readi(pcm, rec + (size_t)got * 2, total - got);

		if (r == -EAGAIN) {
			polls++;
			poll_pcm(pcm);
			continue;
		}
		assert_true(r > 0);
		got += (uint32_t)r;
	}
	assert_int_equal(snd_pcm_drop(pcm), 0);
	assert_int_equal(snd_pcm_close(pcm), 0);
	free(stop_and_read(&d, &n));
	print_message("%u polls for %u periods\n", polls, total / PERIOD);
	assert_true(polls <= 3 * (total / PERIOD));
	for (uint32_t i = 0; i < total && first == UINT32_MAX; i++)
		if (rec[2 * i])
			first = i;
	assert_int_not_equal(first, UINT32_MAX);
	assert_true(first + SKIP + 2000 < total);
	/* 2000 frames to align: shorter runs of the signal recur at other offsets. */
	for (uint32_t k = 0; k < IN_FRAMES && at == UINT32_MAX; k++) {
		bool ok = true;

		for (uint32_t i = 0; i < 2000 && ok; i++)
			ok = rec[2 * (first + SKIP + i)] == sig((k + i) % IN_FRAMES);
		if (ok)
			at = k;
	}
	assert_int_not_equal(at, UINT32_MAX);
	for (uint32_t i = first + SKIP; i < total; i++)
		bad += rec[2 * i] != sig((at + i - first - SKIP) % IN_FRAMES) ||
		       rec[2 * i + 1] != rec[2 * i];
	print_message("file frame %u at frame %u, %u frames compared, %u differ\n", at,
		      first + SKIP, total - first - SKIP, bad);
	assert_int_equal(bad, 0);
	free(rec);
}

static void poll_loop_capture_records_the_host_input_bit_exact(void **state)
{
	(void)state;
	poll_loop_capture(false);
}

static void sof_poll_loop_capture_records_the_host_input_bit_exact(void **state)
{
	(void)state;
	poll_loop_capture(true);
}

/* Blocking writes of sig(from ..< from + count), in pieces of 700 frames (not periods). */
static void write_frames(snd_pcm_t *pcm, uint32_t from, uint32_t count)
{
	int16_t buf[700 * 2];

	for (uint32_t done = 0; done < count;) {
		uint32_t k = count - done < 700 ? count - done : 700;

		for (uint32_t i = 0; i < k; i++)
			buf[2 * i] = buf[2 * i + 1] = sig(from + done + i);
		assert_int_equal(snd_pcm_writei(pcm, buf, k), (snd_pcm_sframes_t)k);
		done += k;
	}
}

static void drain_plays_the_last_partial_period(void **state)
{
	/* Half a period after the last whole one: 240 frames, five of the engine's 1 ms periods
	 * (the DSP plays whole engine periods: a last piece shorter than one is not heard). */
	const uint32_t total = 20 * PERIOD + 240;
	struct daemon d;
	snd_pcm_t *pcm;
	uint32_t n;
	int32_t *l;

	(void)state;
	start(&d, false);
	pcm = open_pcm(&d, false, SND_PCM_STREAM_PLAYBACK, 0);
	set_params(pcm);
	write_frames(pcm, 0, total);
	assert_int_equal(snd_pcm_drain(pcm), 0);
	assert_int_equal(snd_pcm_close(pcm), 0);
	l = stop_and_read(&d, &n);
	/* Up to the last frame: the 240 after the last whole period were played too. */
	assert_int_equal(played_bit_exact(l, n, total), 0);
	free(l);
}

/*
 * libasound's refinement of an ioplug PCM may settle on a buffer that is not whole periods
 * (aplay -B 33333: 1599 frames of 399-frame periods). The ring is then cut into periods
 * and a last short piece; playback stays bit-exact.
 */
static void a_buffer_of_no_whole_number_of_periods_plays_bit_exact(bool sof)
{
	const uint32_t total = 100 * PERIOD;
	snd_pcm_hw_params_t *hw;
	snd_pcm_uframes_t period = 399, buffer = 1599;
	struct daemon d;
	snd_pcm_t *pcm;
	uint32_t n;
	int32_t *l;

	start(&d, sof);
	pcm = open_pcm(&d, sof, SND_PCM_STREAM_PLAYBACK, 0);
	snd_pcm_hw_params_alloca(&hw);
	assert_true(snd_pcm_hw_params_any(pcm, hw) >= 0);
	assert_int_equal(snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED), 0);
	assert_int_equal(snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S16_LE), 0);
	assert_int_equal(snd_pcm_hw_params_set_channels(pcm, hw, 2), 0);
	assert_int_equal(snd_pcm_hw_params_set_rate(pcm, hw, RATE, 0), 0);
	assert_int_equal(snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &buffer), 0);
	assert_int_equal(snd_pcm_hw_params_set_period_size_near(pcm, hw, &period, NULL), 0);
	assert_int_equal(snd_pcm_hw_params(pcm, hw), 0);
	assert_int_equal(snd_pcm_hw_params_get_buffer_size(hw, &buffer), 0);
	assert_int_equal(snd_pcm_hw_params_get_period_size(hw, &period, NULL), 0);
	print_message("buffer %lu frames, period %lu\n", buffer, period);
	assert_int_not_equal(buffer % period, 0);
	write_frames(pcm, 0, total);
	assert_int_equal(snd_pcm_drain(pcm), 0);
	assert_int_equal(snd_pcm_close(pcm), 0);
	l = stop_and_read(&d, &n);
	assert_int_equal(played_bit_exact(l, n, total), 0);
	free(l);
}

static void a_buffer_of_no_whole_number_of_periods_plays_bit_exact_plain(void **state)
{
	(void)state;
	a_buffer_of_no_whole_number_of_periods_plays_bit_exact(false);
}

static void sof_a_buffer_of_no_whole_number_of_periods_plays_bit_exact(void **state)
{
	(void)state;
	a_buffer_of_no_whole_number_of_periods_plays_bit_exact(true);
}

static void an_application_that_stops_writing_gets_an_xrun_and_recovers(void **state)
{
	const uint32_t total = 100 * PERIOD;
	struct daemon d;
	snd_pcm_t *pcm;
	snd_pcm_sframes_t avail = 0;
	uint32_t n;
	int32_t *l;

	(void)state;
	start(&d, false);
	pcm = open_pcm(&d, false, SND_PCM_STREAM_PLAYBACK, 0);
	set_params(pcm);
	/* A buffer of silence starts the stream (start threshold: the buffer); then nothing. */
	{
		int16_t zero[PERIOD * PERIODS * 2] = { 0 };

		assert_int_equal(snd_pcm_writei(pcm, zero, PERIOD * PERIODS), PERIOD * PERIODS);
	}
	assert_int_equal(snd_pcm_state(pcm), SND_PCM_STATE_RUNNING);
	/* (snd_pcm_wait() would return at once: a period is free as soon as one completes.) */
	for (int i = 0; i < 500 && avail >= 0; i++) {
		usleep(10000);
		avail = snd_pcm_avail_update(pcm);
	}
	assert_int_equal(avail, -EPIPE);
	assert_int_equal(snd_pcm_state(pcm), SND_PCM_STATE_XRUN);
	assert_int_equal(snd_pcm_writei(pcm, &avail, 1), -EPIPE);
	/* prepare recovers: the signal that follows arrives whole. */
	assert_int_equal(snd_pcm_prepare(pcm), 0);
	write_frames(pcm, 0, total);
	assert_int_equal(snd_pcm_drain(pcm), 0);
	assert_int_equal(snd_pcm_close(pcm), 0);
	l = stop_and_read(&d, &n);
	assert_int_equal(played_bit_exact(l, n, total), 0);
	free(l);
}

/*
 * Frames [SKIP, @count) of sig() in @l, in order, with runs of silence (a pause) taken out:
 * how many differ; *@gaps receives the number of such runs. After a gap the stream may
 * start again with the volume's ramp (plain STOP and START restart the pipeline): there
 * the signal must go on where it stopped, give or take the frames the ramp leaves at 0 and
 * at most @lost frames the device dropped, and match exactly from SKIP frames on.
 */
static uint32_t played_across_gaps(const int32_t *l, uint32_t n, uint32_t count, uint32_t lost,
				   uint32_t *gaps)
{
	uint32_t i = find_start(l, n) + SKIP, k = SKIP, bad = 0, zeros = 0;

	*gaps = 0;
	for (; i < n && k < count; i++) {
		if (l[i] == 0) {
			zeros++;
			continue;
		}
		/* sig() has no two zeros in a row: a longer run is silence, a lone one is sig(). */
		if (zeros == 1)
			bad += sig(k++) != 0;
		if (zeros > 1) {
			uint32_t at = UINT32_MAX;

			/* Output i is sig(c) for some c from k on (k itself when the device kept
			 * every frame and the ramp left none at 0). */
			(*gaps)++;
			for (uint32_t c = k; c <= k + lost + 64 && at == UINT32_MAX; c++) {
				bool ok = i + SKIP + 100 < n;

				for (uint32_t j = SKIP; j < SKIP + 100 && ok; j++)
					ok = l[i + j] == (int32_t)sig(c + j) * 65536;
				if (ok)
					at = c;
			}
			assert_int_not_equal(at, UINT32_MAX);
			print_message("after the gap at frame %u: %u frames dropped or at 0\n", k,
				      at - k);
			i += SKIP;
			k = at + SKIP;
		}
		zeros = 0;
		if (l[i] != (int32_t)sig(k) * 65536 && bad < 5)
			print_message("frame %u (output %u): %d, not %d\n", k, i, l[i] / 65536,
				      sig(k));
		bad += l[i] != (int32_t)sig(k) * 65536;
		k++;
	}
	print_message("%u frames found, %u gaps, %u differ\n", k, *gaps, bad);
	assert_int_equal(k, count);
	return bad;
}

static void pause_stops_the_pointer_and_resume_plays_on(bool sof)
{
	const uint32_t total = 100 * PERIOD;
	struct daemon d;
	snd_pcm_t *pcm;
	snd_pcm_sframes_t before, after;
	uint32_t n, gaps;
	int32_t *l;

	start(&d, sof);
	pcm = open_pcm(&d, sof, SND_PCM_STREAM_PLAYBACK, 0);
	set_params(pcm);
	write_frames(pcm, 0, total / 2);
	assert_int_equal(snd_pcm_state(pcm), SND_PCM_STATE_RUNNING);
	assert_int_equal(snd_pcm_pause(pcm, 1), 0);
	assert_int_equal(snd_pcm_state(pcm), SND_PCM_STATE_PAUSED);
	before = snd_pcm_avail_update(pcm);
	usleep(200000);
	after = snd_pcm_avail_update(pcm);
	/* Paused: no message completes (a little may have finished before the pause took). */
	assert_true(before >= 0 && after >= before);
	assert_true(after - before <= (snd_pcm_sframes_t)PERIOD);
	assert_int_equal(snd_pcm_state(pcm), SND_PCM_STATE_PAUSED);
	assert_int_equal(snd_pcm_pause(pcm, 0), 0);
	assert_int_equal(snd_pcm_state(pcm), SND_PCM_STATE_RUNNING);
	write_frames(pcm, total / 2, total / 2);
	assert_int_equal(snd_pcm_drain(pcm), 0);
	assert_int_equal(snd_pcm_close(pcm), 0);
	l = stop_and_read(&d, &n);
	/* Every frame, in order, around the silence of the pause. */
	/* A plain STOP drops what the DSP's host ring held (its latency, 4 engine periods):
	 * the device's doing, as for a virtual machine's driver. */
	assert_int_equal(played_across_gaps(l, n, total, sof ? 0 : 4 * 48, &gaps), 0);
	assert_true(gaps >= 1);
	free(l);
}

static void pause_stops_the_pointer_and_resume_plays_on_plain(void **state)
{
	(void)state;
	pause_stops_the_pointer_and_resume_plays_on(false);
}

static void sof_pause_stops_the_pointer_and_resume_plays_on(void **state)
{
	(void)state;
	pause_stops_the_pointer_and_resume_plays_on(true);
}

/*
 * With the stop threshold at the boundary libasound never calls an xrun itself; the device
 * does when the stream runs dry (PCM_XRUN, STREAM_TRIG_XRUN), and the pointer passes it
 * on, as a virtual machine's driver does.
 */
static void a_device_xrun_is_reported_without_a_stop_threshold(bool sof)
{
	snd_pcm_sw_params_t *sw;
	snd_pcm_uframes_t boundary;
	snd_pcm_sframes_t avail = 0;
	int16_t buf[PERIOD * PERIODS * 2];
	struct daemon d;
	snd_pcm_t *pcm;
	uint32_t n;

	start(&d, sof);
	pcm = open_pcm(&d, sof, SND_PCM_STREAM_PLAYBACK, 0);
	set_params(pcm);
	snd_pcm_sw_params_alloca(&sw);
	assert_int_equal(snd_pcm_sw_params_current(pcm, sw), 0);
	assert_int_equal(snd_pcm_sw_params_get_boundary(sw, &boundary), 0);
	assert_int_equal(snd_pcm_sw_params_set_stop_threshold(pcm, sw, boundary), 0);
	assert_int_equal(snd_pcm_sw_params(pcm, sw), 0);
	for (uint32_t i = 0; i < PERIOD * PERIODS; i++)
		buf[2 * i] = buf[2 * i + 1] = sig(i);
	assert_int_equal(snd_pcm_writei(pcm, buf, PERIOD * PERIODS), PERIOD * PERIODS);
	assert_int_equal(snd_pcm_state(pcm), SND_PCM_STATE_RUNNING);
	for (int i = 0; i < 500 && avail >= 0; i++) {
		usleep(10000);
		avail = snd_pcm_avail_update(pcm);
	}
	assert_int_equal(avail, -EPIPE);
	assert_int_equal(snd_pcm_state(pcm), SND_PCM_STATE_XRUN);
	/* prepare and a new start play again. */
	assert_int_equal(snd_pcm_prepare(pcm), 0);
	write_frames(pcm, 0, 50 * PERIOD);
	assert_int_equal(snd_pcm_drain(pcm), 0);
	assert_int_equal(snd_pcm_close(pcm), 0);
	free(stop_and_read(&d, &n));
}

static void a_device_xrun_is_reported_without_a_stop_threshold_plain(void **state)
{
	(void)state;
	a_device_xrun_is_reported_without_a_stop_threshold(false);
}

static void sof_a_device_xrun_is_reported_without_a_stop_threshold(void **state)
{
	(void)state;
	a_device_xrun_is_reported_without_a_stop_threshold(true);
}

/* vadspd stopped (SIGSTOP) holds our messages and completes none: after the watchdog's
 * time the application's wait ends in an xrun, not a hang; once vadspd runs again, prepare
 * recovers. */
static void a_device_that_stops_completing_is_an_xrun_not_a_hang(void **state)
{
	struct daemon d;
	snd_pcm_t *pcm;
	snd_pcm_sframes_t avail = 0;
	uint32_t n;
	int i;

	(void)state;
	start(&d, false);
	pcm = open_pcm(&d, false, SND_PCM_STREAM_PLAYBACK, 0);
	set_params(pcm);
	write_frames(pcm, 0, PERIOD * PERIODS);
	assert_int_equal(snd_pcm_state(pcm), SND_PCM_STATE_RUNNING);
	assert_int_equal(kill(d.pid, SIGSTOP), 0);
	/* Each wait returns when the descriptors say so: a completion, or the watchdog. */
	for (i = 0; i < 40 && avail >= 0; i++) {
		snd_pcm_wait(pcm, 1000);
		avail = snd_pcm_avail_update(pcm);
		if (avail >= (snd_pcm_sframes_t)PERIOD) {
			/* What completed before the stop: keep the buffer full. */
			write_frames(pcm, 0, (uint32_t)avail / PERIOD * PERIOD);
		}
	}
	assert_int_equal(kill(d.pid, SIGCONT), 0);
	print_message("xrun after %d waits of at most 1 s\n", i);
	assert_int_equal(avail, -EPIPE);
	assert_int_equal(snd_pcm_prepare(pcm), 0);
	write_frames(pcm, 0, 50 * PERIOD);
	assert_int_equal(snd_pcm_drain(pcm), 0);
	assert_int_equal(snd_pcm_close(pcm), 0);
	free(stop_and_read(&d, &n));
}

/* The PCM offers one channel map, front left and right, and has it once set up (stereo). */
static void expect_stereo_chmap(snd_pcm_t *pcm)
{
	snd_pcm_chmap_query_t **maps = snd_pcm_query_chmaps(pcm);
	snd_pcm_chmap_t *map;

	assert_non_null(maps);
	assert_non_null(maps[0]);
	assert_null(maps[1]);
	assert_int_equal(maps[0]->map.channels, 2);
	assert_int_equal(maps[0]->map.pos[0], SND_CHMAP_FL);
	assert_int_equal(maps[0]->map.pos[1], SND_CHMAP_FR);
	snd_pcm_free_chmaps(maps);
	set_params(pcm);
	map = snd_pcm_get_chmap(pcm);
	assert_non_null(map);
	assert_int_equal(map->channels, 2);
	assert_int_equal(map->pos[0], SND_CHMAP_FL);
	assert_int_equal(map->pos[1], SND_CHMAP_FR);
	free(map);
}

static void constraints_and_channel_map_are_the_streams_and_a_missing_socket_fails(void **state)
{
	snd_pcm_hw_params_t *hw;
	struct daemon d;
	snd_pcm_t *pcm = NULL;
	uint32_t n;
	char name[256];

	(void)state;
	start(&d, false);
	pcm = open_pcm(&d, false, SND_PCM_STREAM_PLAYBACK, 0);
	snd_pcm_hw_params_alloca(&hw);
	assert_true(snd_pcm_hw_params_any(pcm, hw) >= 0);
	/* stereo.tplg: S16_LE and S32_LE, 48000 Hz, 2 channels. */
	assert_int_equal(snd_pcm_hw_params_test_format(pcm, hw, SND_PCM_FORMAT_S16_LE), 0);
	assert_int_equal(snd_pcm_hw_params_test_format(pcm, hw, SND_PCM_FORMAT_S32_LE), 0);
	assert_true(snd_pcm_hw_params_test_format(pcm, hw, SND_PCM_FORMAT_U8) < 0);
	assert_true(snd_pcm_hw_params_test_format(pcm, hw, SND_PCM_FORMAT_FLOAT_LE) < 0);
	assert_int_equal(snd_pcm_hw_params_test_rate(pcm, hw, 48000, 0), 0);
	assert_true(snd_pcm_hw_params_test_rate(pcm, hw, 44100, 0) < 0);
	assert_int_equal(snd_pcm_hw_params_test_channels(pcm, hw, 2), 0);
	assert_true(snd_pcm_hw_params_test_channels(pcm, hw, 1) < 0);
	assert_true(snd_pcm_hw_params_test_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED) == 0);
	/* The stream's channel map (CHMAP_INFO): front left, front right. */
	expect_stereo_chmap(pcm);
	assert_int_equal(snd_pcm_close(pcm), 0);
	free(stop_and_read(&d, &n));

	snprintf(name, sizeof(name), "vadsp:%s/none.sock", conf_dir);
	pcm = NULL;
	assert_int_equal(snd_pcm_open(&pcm, name, SND_PCM_STREAM_PLAYBACK, 0), -ENOENT);
	assert_null(pcm);
}

/* SOF=yes: the topology has no channel map; the PCM gives the standard one, front left and
 * right for the stereo PCM, as vadspd's CHMAP_INFO does for a stock driver. */
static void sof_channel_map_is_the_standard_one(void **state)
{
	struct daemon d;
	snd_pcm_t *pcm;
	uint32_t n;

	(void)state;
	start(&d, true);
	pcm = open_pcm(&d, true, SND_PCM_STREAM_PLAYBACK, 0);
	expect_stereo_chmap(pcm);
	assert_int_equal(snd_pcm_close(pcm), 0);
	free(stop_and_read(&d, &n));
}

static int kill_leftover(void **state)
{
	(void)state;
	if (running > 0) {
		kill(running, SIGCONT);
		kill(running, SIGKILL);
		waitpid(running, NULL, 0);
		running = 0;
	}
	if (have_current)
		remove_files(&current);
	return 0;
}

/* libasound reads ALSA_CONFIG_PATH once: the private configuration comes first. */
static int alsa_setup(void **state)
{
	const char *plugin = getenv("VADSP_ALSA_PLUGIN"), *conf = getenv("VADSP_ALSA_PLUGIN_CONF");
	char path[128], env[512];
	FILE *f;

	(void)state;
	if (!plugin || !conf)
		return -1;
	strcpy(conf_dir, "/tmp/vadsp-alsa-conf-XXXXXX");
	if (!mkdtemp(conf_dir))
		return -1;
	snprintf(path, sizeof(path), "%s/asoundrc", conf_dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "pcm_type.vadsp {\n\tlib \"%s\"\n}\n<%s>\n", plugin, conf);
	fclose(f);
	snprintf(env, sizeof(env), "/usr/share/alsa/alsa.conf:%s", path);
	return setenv("ALSA_CONFIG_PATH", env, 1);
}

static int alsa_teardown(void **state)
{
	char path[128];

	(void)state;
	snd_config_update_free_global();
	snprintf(path, sizeof(path), "%s/asoundrc", conf_dir);
	unlink(path);
	rmdir(conf_dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(poll_loop_playback_arrives_bit_exact_without_spinning,
					  kill_leftover),
		cmocka_unit_test_teardown(poll_loop_capture_records_the_host_input_bit_exact,
					  kill_leftover),
		cmocka_unit_test_teardown(drain_plays_the_last_partial_period, kill_leftover),
		cmocka_unit_test_teardown(
			an_application_that_stops_writing_gets_an_xrun_and_recovers,
			kill_leftover),
		cmocka_unit_test_teardown(pause_stops_the_pointer_and_resume_plays_on_plain,
					  kill_leftover),
		cmocka_unit_test_teardown(
			a_buffer_of_no_whole_number_of_periods_plays_bit_exact_plain,
			kill_leftover),
		cmocka_unit_test_teardown(a_device_xrun_is_reported_without_a_stop_threshold_plain,
					  kill_leftover),
		cmocka_unit_test_teardown(a_device_that_stops_completing_is_an_xrun_not_a_hang,
					  kill_leftover),
		cmocka_unit_test_teardown(
			constraints_and_channel_map_are_the_streams_and_a_missing_socket_fails,
			kill_leftover),
		cmocka_unit_test_teardown(
			sof_poll_loop_playback_arrives_bit_exact_without_spinning, kill_leftover),
		cmocka_unit_test_teardown(sof_poll_loop_capture_records_the_host_input_bit_exact,
					  kill_leftover),
		cmocka_unit_test_teardown(sof_pause_stops_the_pointer_and_resume_plays_on,
					  kill_leftover),
		cmocka_unit_test_teardown(
			sof_a_buffer_of_no_whole_number_of_periods_plays_bit_exact,
			kill_leftover),
		cmocka_unit_test_teardown(sof_a_device_xrun_is_reported_without_a_stop_threshold,
					  kill_leftover),
		cmocka_unit_test_teardown(sof_channel_map_is_the_standard_one, kill_leftover),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, alsa_setup, alsa_teardown);
}
