// SPDX-License-Identifier: MIT
/*
 * DSP-aware process guests (src/guest/sof.h) against vadspd with `sof = yes`, end to end
 * (the 2020 scenario): the host supplies each guest's topology (topology/stereo.tplg) from
 * its configuration; a guest fetches it, loads it with its id base, its connection points
 * attached to the host topology (topology/host.tplg: DAI0.OUT into a WAV file, DAI0.IN from
 * one), and then:
 * - plays and records at the same time: the host's output file holds what it played bit
 *   for bit at 0 dB, its recording holds the host's input file sample for sample, and
 *   position notifications arrive;
 * - is powered off and on without a DSP reset (reset_status 0: parameters again, topology
 *   kept) and after one (PM_CTX_SAVE frees all its objects, as the management socket's "sof"
 *   shows; reset_status 1: the whole topology sent again), and plays on each time;
 * - runs dry: one xrun notification (negative size), positions up to what it played;
 * - is killed mid-stream (SIGKILL of a child process) while a second guest plays: the
 *   second guest's audio stays bit-exact, vadspd shows the first one gone, and a new guest
 *   on its socket gets the same id range back and loads the topology again, with exactly as
 *   many objects in the shared DSP as the first one had (management socket "sof").
 *
 * Tolerance as in test-daemon-vadspd-dsp.c: none after the stereo topology's 20 ms volume
 * start ramp (SKIP frames); the guests play S16, the host writes s32le, so an output sample
 * is the input sample << 16 (or the sum of two guests').
 */
#include <errno.h>
#include <fcntl.h>
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
#include "vadspd-test-util.h"

#define WAIT_MS		10000
#define PERIOD_FRAMES	480u
#define PERIOD		(PERIOD_FRAMES * 4u)	/* S16 stereo */
#define SKIP		2000u			/* frames: the volume start ramp and more */
#define RATE		48000u
/* 320 ms queued, all of it before TRIG_START: a guest process held off the CPU on a loaded
 * machine must not starve a stream (an underrun stops its pipeline and loses audio that the
 * bit-exact checks want); 120 ms was not enough. */
#define PERIODS		32u

/* vadspd: host.tplg with DAI0.OUT into out.wav and DAI0.IN from in.wav (4 s of the ramp
 * signal); vm1 and vm2 on stereo.tplg with the SOF IPC3 extension. */
static void start(struct vt_daemon *d)
{
	const struct vt_daemon_opts o = {
		.name = "sof", .host = true, .in_frames = 4 * RATE, .guests = 2,
		.guest = { { .lines = "sof = yes\n" }, { .lines = "sof = yes\n" } },
	};

	vt_daemon_start(d, &o);
}

static const struct vguest_sof_params stereo = {
	.rate = RATE, .channels = 2, .frame_fmt = IPC3_FRAME_S16_LE, .period_bytes = PERIOD,
	.periods = PERIODS,
};

/* A playing stream: @sample(i) for frame i on both channels. */
struct player {
	struct vguest_sof *s;
	struct vguest_sof_stream *st;
	struct vguest_io *io;
	int16_t (*sample)(uint64_t i);
	uint64_t frame;
	unsigned int sent, n, ring;
	bool started;
};

static void player_open_deep(struct player *p, struct vt_sof_guest *sg,
			     int16_t (*sample)(uint64_t), unsigned int periods, unsigned int ring)
{
	struct vguest_sof_params prm = stereo;

	memset(p, 0, sizeof(*p));
	p->s = sg->s;
	p->sample = sample;
	p->n = periods;
	p->ring = ring;
	prm.periods = ring;
	assert_int_equal(vguest_sof_stream_open(sg->s, 0, TPLG_MODEL_PLAYBACK, &prm, &p->st),
			 0);
	p->io = vguest_sof_stream_io(p->st);
}

static void player_open(struct player *p, struct vt_sof_guest *sg,
			int16_t (*sample)(uint64_t), unsigned int periods)
{
	player_open_deep(p, sg, sample, periods, PERIODS);
}

/* Keep the ring full, start once it is, reap one message if @wait_ms allows. Return
 * false when everything is played. */
static bool player_step(struct player *p, int wait_ms)
{
	struct vguest_io_done done;
	int16_t buf[PERIOD_FRAMES * 2];
	int ret;

	while (p->sent < p->n && vguest_io_in_flight(p->io) < p->ring) {
		for (uint32_t i = 0; i < PERIOD_FRAMES; i++)
			buf[2 * i] = buf[2 * i + 1] = p->sample(p->frame + i);
		assert_int_equal(vguest_io_submit(p->io, buf, PERIOD), 0);
		p->frame += PERIOD_FRAMES;
		p->sent++;
	}
	if (!p->started) {
		assert_int_equal(vguest_sof_stream_trigger(p->st, IPC3_STREAM_TRIG_START), 0);
		p->started = true;
	}
	if (!vguest_io_in_flight(p->io))
		return false;
	/* Wait in slices, following the notifications: an xrun may have stopped the stream
	 * (its pipeline's xrun limit), which a guest restarts; the bit-exact checks tell
	 * whether audio was lost. */
	for (int waited = 0;; waited += 20) {
		int slice = wait_ms - waited < 20 ? wait_ms - waited : 20;

		assert_true(vguest_sof_events(p->s, 0) >= 0);
		ret = vguest_sof_stream_recover(p->st);
		assert_true(ret >= 0);
		if (ret > 0)
			print_message("xrun after %u messages: restarted\n",
				      p->sent - vguest_io_in_flight(p->io));
		ret = vguest_io_reap(p->io, &done, slice > 0 ? slice : 0);
		assert_true(ret >= 0);
		if (ret == 1 || waited + 20 > wait_ms)
			break;
	}
	if (ret == 1) {
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
	} else if (wait_ms >= WAIT_MS) {
		struct vguest_sof_stream_status st;

		while (vguest_sof_events(p->s, 0) > 0)
			;
		vguest_sof_stream_status(p->st, &st);
		fail_msg("the stream stalled after %u messages (%llu positions, the last at "
			 "byte %llu, %llu xruns)", p->sent - vguest_io_in_flight(p->io),
			 (unsigned long long)st.positions, (unsigned long long)st.posn.host_posn,
			 (unsigned long long)st.xruns);
	}
	return true;
}

/* Play everything still to play and wait until the device has consumed it. */
static void player_drain(struct player *p)
{
	while (player_step(p, WAIT_MS))
		;
}

static int16_t dc_1000(uint64_t i)
{
	(void)i;
	return 1000;
}

static int16_t dc_2000(uint64_t i)
{
	(void)i;
	return 2000;
}

static int16_t dc_3000(uint64_t i)
{
	(void)i;
	return 3000;
}

/* Where vt_ramp_signal() frame 0 lies in @l (with @extra added to every sample). */
static uint32_t align_ramp(const int32_t *l, uint32_t n, int32_t extra)
{
	(void)vt_first_sound(l, n);
	for (uint32_t o = 0; o < n; o++) {
		bool ok = o + SKIP + 100 < n;

		for (uint32_t i = SKIP; i < SKIP + 100 && ok; i++)
			ok = l[o + i] == ((int32_t)vt_ramp_signal(i) + extra) * 65536;
		if (ok)
			return o;
	}
	fail_msg("the output never is the ramp signal");
	return 0;
}

static void plays_and_records_at_once_bit_exact(void **state)
{
	const uint32_t want = 100 * PERIOD_FRAMES;	/* 1 s of capture */
	int16_t *rec = calloc((size_t)want * 2, sizeof(int16_t));
	struct vguest_sof_stream *cst;
	struct vguest_sof_stream_status status;
	struct vguest_io *cio;
	struct vguest_io_done done;
	struct vt_daemon d;
	struct vt_sof_guest sg;
	struct player p;
	uint32_t got = 0, n, off, bad = 0, checked = 0, first = UINT32_MAX, coff = UINT32_MAX;
	int32_t *l;

	(void)state;
	assert_non_null(rec);
	start(&d);
	vt_sof_guest_open(&sg, d.sock[0]);
	player_open(&p, &sg, vt_ramp_signal, 150);		/* 1.5 s */
	assert_int_equal(vguest_sof_stream_open(sg.s, 0, TPLG_MODEL_CAPTURE, &stereo, &cst), 0);
	assert_int_not_equal(vguest_sof_stream_id(cst), vguest_sof_stream_id(p.st));
	cio = vguest_sof_stream_io(cst);
	for (unsigned int i = 0; i < PERIODS; i++)
		assert_int_equal(vguest_io_submit(cio, NULL, PERIOD), 0);
	assert_int_equal(vguest_sof_stream_trigger(cst, IPC3_STREAM_TRIG_START), 0);
	for (;;) {
		bool more = player_step(&p, 2);
		int wait = more ? 0 : WAIT_MS, ret;

		while (got < want && (ret = vguest_io_reap(cio, &done, wait)) == 1) {
			assert_int_equal(done.status, VIRTIO_SND_S_OK);
			assert_int_equal(done.bytes, PERIOD);
			memcpy(rec + (size_t)got * 2, done.data, PERIOD);
			got += PERIOD_FRAMES;
			if (got + PERIODS * PERIOD_FRAMES <= want)
				assert_int_equal(vguest_io_submit(cio, NULL, PERIOD), 0);
			wait = 0;
		}
		assert_true(vguest_sof_events(sg.s, 0) >= 0);
		if (!more && got >= want)
			break;
		if (!more && wait)
			fail_msg("the capture stalled at %u frames", got);
	}
	vguest_sof_stream_status(p.st, &status);
	print_message("playback: %llu position notifications, last host_posn %llu, %llu "
		      "xruns\n", (unsigned long long)status.positions,
		      (unsigned long long)status.posn.host_posn,
		      (unsigned long long)status.xruns);
	assert_true(status.positions > 0);
	assert_true(status.posn.host_posn > 0);
	assert_true(status.posn.host_posn <= 150ull * PERIOD);
	assert_int_equal(status.posn.host_posn % PERIOD, 0);
	assert_int_equal(vguest_sof_stream_trigger(p.st, IPC3_STREAM_TRIG_STOP), 0);
	assert_int_equal(vguest_sof_stream_trigger(cst, IPC3_STREAM_TRIG_STOP), 0);
	assert_int_equal(vguest_sof_stream_close(cst), 0);
	assert_int_equal(vguest_sof_stream_close(p.st), 0);
	vt_sof_guest_close(&sg);
	l = vt_daemon_stop(&d, &n);
	/* Playback: the host file holds the ramp signal, << 16, from SKIP on. */
	off = align_ramp(l, n, 0);
	for (uint32_t i = SKIP; i < 150 * PERIOD_FRAMES && off + i < n; i++, checked++)
		bad += l[off + i] != (int32_t)vt_ramp_signal(i) * 65536;
	print_message("playback: first frame at %u, %u frames compared, %u differ\n", off,
		      checked, bad);
	assert_true(checked >= 150 * PERIOD_FRAMES - SKIP);
	assert_int_equal(bad, 0);
	free(l);
	/* Capture: the recording is the host's input file, from where it joined. */
	for (uint32_t i = 0; i < want && first == UINT32_MAX; i++)
		if (rec[2 * i])
			first = i;
	assert_int_not_equal(first, UINT32_MAX);
	/* The ramp signal repeats some 100-frame stretches (every 28406 frames): every place
	 * that matches is a candidate, the recording must be the file from one of them. */
	bad = UINT32_MAX;
	for (uint32_t k = 0; k < 3 * RATE && bad; k++) {
		bool ok = first + SKIP + 100 < want;
		uint32_t b = 0;

		for (uint32_t i = 0; i < 100 && ok; i++)
			ok = rec[2 * (first + SKIP + i)] == vt_ramp_signal(k + i);
		if (!ok)
			continue;
		for (uint32_t i = first + SKIP; i < want; i++)
			b += rec[2 * i] != vt_ramp_signal(k + i - first - SKIP) ||
			     rec[2 * i + 1] != rec[2 * i];
		if (b < bad) {
			bad = b;
			coff = k;
		}
	}
	assert_int_not_equal(coff, UINT32_MAX);
	print_message("capture: %u frames, file frame %u at frame %u, %u compared, %u differ\n",
		      want, coff, first + SKIP, want - first - SKIP, bad);
	assert_int_equal(bad, 0);
	free(rec);
}

static void mgmt_sof(const struct vt_daemon *d, const char *guest, unsigned int *objects,
		     unsigned int *streams);

static void power_off_and_on_with_and_without_a_dsp_reset(void **state)
{
	struct vt_daemon d;
	struct vt_sof_guest sg;
	struct player p;
	uint32_t reset = 9, n, runs[3];
	unsigned int msgs, objects, now, streams;
	int32_t *l;

	(void)state;
	start(&d);
	vt_sof_guest_open(&sg, d.sock[0]);
	msgs = vguest_sof_topology_msgs(sg.s);
	player_open(&p, &sg, dc_1000, 60);		/* 0.6 s each time */
	player_drain(&p);
	/* Suspend and resume with the DSP keeping the topology. */
	assert_int_equal(vguest_sof_power(sg.s, false, &reset), 0);
	assert_int_equal(reset, 0);
	assert_int_equal(vguest_sof_power(sg.s, true, &reset), 0);
	assert_int_equal(reset, IPC3_VFE_TOPOLOGY_KEPT);
	p.sample = dc_2000;
	p.n += 60;
	p.started = false;
	player_drain(&p);
	/* Suspend with the DSP's power-down: everything of the guest is freed; on resume the
	 * guest sends its topology again (the same messages) and plays on. */
	mgmt_sof(&d, "vm1", &objects, &streams);
	assert_true(objects > 0);
	assert_int_equal(streams, 1);
	assert_int_equal(vguest_sof_power(sg.s, false, &reset), 0);
	assert_int_equal(vguest_sof_ctx_save(sg.s), 0);
	mgmt_sof(&d, "vm1", &now, &streams);
	assert_int_equal(now, 0);
	assert_int_equal(streams, 0);
	assert_int_equal(vguest_sof_power(sg.s, true, &reset), 0);
	assert_int_equal(reset, IPC3_VFE_TOPOLOGY_RESET);
	assert_int_equal(vguest_sof_topology_msgs(sg.s), msgs);
	mgmt_sof(&d, "vm1", &now, &streams);
	assert_int_equal(now, objects);
	assert_int_equal(streams, 1);
	p.sample = dc_3000;
	p.n += 60;
	p.started = false;
	player_drain(&p);
	/* The topology is loaded: loading it again is refused, ids exist (4.3). */
	assert_int_equal(vguest_sof_load(sg.s), -EEXIST);
	assert_int_equal(vguest_sof_stream_close(p.st), 0);
	vt_sof_guest_close(&sg);
	l = vt_daemon_stop(&d, &n);
	runs[0] = vt_longest_run(l, n, 1000 * 65536);
	runs[1] = vt_longest_run(l, n, 2000 * 65536);
	runs[2] = vt_longest_run(l, n, 3000 * 65536);
	print_message("runs at 1000, 2000, 3000: %u, %u, %u frames\n", runs[0], runs[1], runs[2]);
	/* Each 0.6 s part is heard whole at 0 dB (less the start ramp of the first). */
	assert_true(runs[0] >= 60 * PERIOD_FRAMES - SKIP);
	assert_true(runs[1] >= 60 * PERIOD_FRAMES - SKIP);
	assert_true(runs[2] >= 60 * PERIOD_FRAMES - SKIP);
	free(l);
}

static void a_starved_stream_reports_one_xrun(void **state)
{
	struct vguest_sof_stream_status st;
	struct vguest_io_done done;
	struct vt_daemon d;
	struct vt_sof_guest sg;
	struct player p;
	uint32_t n;

	(void)state;
	start(&d);
	vt_sof_guest_open(&sg, d.sock[0]);
	/* All 20 messages are queued before TRIG_START (the ring holds PERIODS): the stream
	 * cannot run dry before its last one, however the machine schedules this process. */
	player_open(&p, &sg, vt_ramp_signal, 20);
	assert_true(p.n <= p.ring);
	player_step(&p, 0);
	assert_int_equal(p.sent, 20);
	/* Reaped without restarting the stream (player_step would restart it at the xrun that
	 * may already have come with the last completion): one episode, from its start. */
	while (vguest_io_in_flight(p.io)) {
		assert_int_equal(vguest_io_reap(p.io, &done, WAIT_MS), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
	}
	/* Nothing more comes: the host ring runs dry while the stream runs. */
	vguest_sof_stream_status(p.st, &st);
	for (int waited = 0; st.xruns == 0 && waited < WAIT_MS; waited += 50) {
		assert_true(vguest_sof_events(sg.s, 50) >= 0);
		vguest_sof_stream_status(p.st, &st);
	}
	assert_int_equal(st.xruns, 1);
	assert_int_equal(st.xrun.comp_id, vguest_sof_stream_comp_id(p.st));
	assert_int_equal(st.xrun.xrun_comp_id, vguest_sof_stream_comp_id(p.st));
	assert_true(st.xrun.xrun_size < 0);
	/* One notification per episode: the stream stays dry, nothing more comes. */
	while (vguest_sof_events(sg.s, 300) > 0)
		;
	vguest_sof_stream_status(p.st, &st);
	assert_int_equal(st.xruns, 1);
	print_message("xrun_size %d, %llu positions, last host_posn %llu\n", st.xrun.xrun_size,
		      (unsigned long long)st.positions, (unsigned long long)st.posn.host_posn);
	/* Positions count from TRIG_START in whole periods: all 20 played. */
	assert_true(st.positions >= 19);
	assert_int_equal(st.posn.host_posn, 20ull * PERIOD);
	assert_int_equal(vguest_sof_stream_close(p.st), 0);
	vt_sof_guest_close(&sg);
	free(vt_daemon_stop(&d, &n));
}

/* vadspd's list of @guest into @buf (cut at @room), blanks dropped (the checks do not depend
 * on the spacing). */
static void mgmt_list(const struct vt_daemon *d, const char *guest, char *buf, size_t room)
{
	char req[96], *text, *p, *q = buf;

	snprintf(req, sizeof(req), "{\"cmd\":\"list\",\"guest\":\"%s\"}", guest);
	text = vt_mgmt(d, req);
	for (p = text; *p && q < buf + room - 1; p++)
		if (*p != ' ')
			*q++ = *p;
	*q = '\0';
	free(text);
}

/* Whether vadspd lists @guest as connected. */
static bool mgmt_connected(const struct vt_daemon *d, const char *guest)
{
	char buf[16384];

	mgmt_list(d, guest, buf, sizeof(buf));
	if (strstr(buf, "\"connected\":true"))
		return true;
	assert_non_null(strstr(buf, "\"connected\":false"));
	return false;
}

/* The objects and streams @guest's (one) SOF session has in the shared DSP. */
static void mgmt_sof(const struct vt_daemon *d, const char *guest, unsigned int *objects,
		     unsigned int *streams)
{
	char buf[16384];
	const char *p;

	mgmt_list(d, guest, buf, sizeof(buf));
	p = strstr(buf, "\"sof\":{\"objects\":");
	if (!p)
		fail_msg("no SOF session listed for %s: %s", guest, buf);
	assert_int_equal(sscanf(p, "\"sof\":{\"objects\":%u,\"streams\":%u", objects, streams),
			 2);
}

/* The child guest: plays 1000 on vm1 until killed; tells the parent its id base once it
 * plays. */
static void child_guest(const char *sock, int fd)
{
	struct vt_sof_guest sg;
	struct player p;
	uint32_t base;

	vt_sof_guest_open(&sg, sock);
	/* 320 ms of messages: a busy machine never starves a while b starts. */
	player_open_deep(&p, &sg, dc_1000, UINT32_MAX, 32);
	for (int i = 0; i < 10; i++)
		player_step(&p, WAIT_MS);
	base = vguest_sof_ranges(sg.s)->comp_id_base;
	if (write(fd, &base, sizeof(base)) != sizeof(base))
		_exit(1);
	for (;;)
		player_step(&p, WAIT_MS);
}

static void a_killed_guest_is_freed_and_the_other_plays_on_bit_exact(void **state)
{
	struct vt_daemon d;
	struct vt_sof_guest b, again;
	struct player pb;
	uint32_t n, off, base = 0, mixed = 0, alone = 0, other = 0, last_mixed = 0;
	unsigned int objects, streams, objects_again;
	int status;
	pid_t child;
	int32_t *l;

	(void)state;
	start(&d);
	child = vt_fork_guest(child_guest, d.sock[0], &base);
	/* Guest b plays 3 s; a dies 1 s in. */
	vt_sof_guest_open(&b, d.sock[1]);
	assert_int_not_equal(vguest_sof_ranges(b.s)->comp_id_base, base);
	/* 320 ms of messages: b never runs dry while this thread also asks vadspd. */
	player_open_deep(&pb, &b, vt_ramp_signal, 300, 32);
	for (int i = 0; i < 100; i++)
		assert_true(player_step(&pb, WAIT_MS));
	/* a's session holds its topology's objects and one stream. */
	mgmt_sof(&d, "vm1", &objects, &streams);
	print_message("a's session: %u objects, %u streams\n", objects, streams);
	assert_true(objects > 0);
	assert_int_equal(streams, 1);
	kill(child, SIGKILL);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status));
	/* vadspd sees a's connection end and frees what a created. */
	for (int waited = 0; mgmt_connected(&d, "vm1"); waited += 5) {
		assert_true(waited < WAIT_MS);
		for (unsigned int k = 0; k < pb.ring; k++)
			assert_true(player_step(&pb, 0));
		usleep(5000);
	}
	/* A new guest on vm1 gets the freed id range back and loads the same topology (its
	 * ids would exist otherwise: -EEXIST). */
	vt_sof_guest_open(&again, d.sock[0]);
	assert_int_equal(vguest_sof_ranges(again.s)->comp_id_base, base);
	/* Exactly the topology's objects again, none left over from a; b's stream still. */
	mgmt_sof(&d, "vm1", &objects_again, &streams);
	assert_int_equal(objects_again, objects);
	assert_int_equal(streams, 0);
	mgmt_sof(&d, "vm2", &objects_again, &streams);
	assert_int_equal(objects_again, objects);
	assert_int_equal(streams, 1);
	vt_sof_guest_close(&again);
	player_drain(&pb);
	assert_int_equal(vguest_sof_stream_close(pb.st), 0);
	vt_sof_guest_close(&b);
	l = vt_daemon_stop(&d, &n);
	/* Every frame of b's 3 s is b's signal, plus a's 1000 while a lived, never anything
	 * else; a was there for about 1 s of it and b alone for the rest. */
	off = align_ramp(l, n, 1000);
	for (uint32_t i = SKIP; i < 300 * PERIOD_FRAMES && off + i < n; i++) {
		int32_t v = (int32_t)vt_ramp_signal(i) * 65536;

		if (l[off + i] == v + 1000 * 65536) {
			mixed++;
			last_mixed = i;
		} else if (l[off + i] == v) {
			alone++;
		} else {
			other++;
		}
	}
	print_message("b with a: %u frames, b alone: %u, other: %u, a left at b's frame %u\n",
		      mixed, alone, other, last_mixed);
	assert_int_equal(other, 0);
	assert_true(mixed >= RATE / 2);
	assert_true(alone >= RATE);
	/* a never comes back: b alone for the last 1.5 s at least (b played 3 s, a died 1 s
	 * in; every frame is b's or b's plus a's). */
	assert_int_equal(mixed + alone, 300 * PERIOD_FRAMES - SKIP);
	assert_true(last_mixed < 150 * PERIOD_FRAMES);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(plays_and_records_at_once_bit_exact, vt_teardown),
		cmocka_unit_test_teardown(power_off_and_on_with_and_without_a_dsp_reset,
					  vt_teardown),
		cmocka_unit_test_teardown(a_starved_stream_reports_one_xrun, vt_teardown),
		cmocka_unit_test_teardown(a_killed_guest_is_freed_and_the_other_plays_on_bit_exact,
					  vt_teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
