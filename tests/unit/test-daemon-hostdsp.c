// SPDX-License-Identifier: MIT
/*
 * The shared host DSP (src/daemon/hostdsp.h): topology/host.tplg with guests of
 * topology/stereo.tplg attached to its connection points, ticked free-running, the host
 * DAI bound to memory. A played signal arrives bit-exact, a volume change shows in dB, two
 * guests are mixed, and a guest detached mid-stream leaves the other playing.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/hostdsp.h"
#include "ipc/ipc3-check.h"
#include "tplg/tplg.h"

#define CH		2u
#define PERIOD		48u		/* frames per 1 ms tick at 48 kHz */
#define RAMP		(30u * PERIOD)	/* past the volume start ramp */
#define OUT_MAX		(48000u * 2u)	/* 2 s of output */

struct out {
	int32_t *buf;			/* OUT_MAX frames */
	uint32_t frames;
};

struct fix {
	struct tplg *host;
	struct tplg *guest;
	struct hostdsp *h;
	struct out out;
};

static struct tplg *load(const char *name)
{
	const char *dir = getenv("VADSP_TOPOLOGY_DIR");
	struct tplg_error err;
	struct tplg *t = NULL;
	char path[512];

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (tplg_load_file(path, &t, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	return t;
}

static int out_write(void *opaque, const void *buf, uint32_t frames)
{
	struct out *o = opaque;
	uint32_t n = frames;

	if (n > OUT_MAX - o->frames)
		n = OUT_MAX - o->frames;
	memcpy(o->buf + (size_t)o->frames * CH, buf, (size_t)n * CH * sizeof(int32_t));
	o->frames += n;
	return (int)frames;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct dsp_dai_io io = {
		.write = out_write,
		.fmt = DSP_FMT_S32_LE,
		.rate = 48000,
		.channels = CH,
	};
	int dai;

	assert_non_null(f);
	f->out.buf = calloc((size_t)OUT_MAX * CH, sizeof(int32_t));
	assert_non_null(f->out.buf);
	io.opaque = &f->out;
	f->host = load("host.tplg");
	f->guest = load("stereo.tplg");
	assert_int_equal(hostdsp_create(&f->h, f->host, 1000, 48000), 0);
	dai = hostdsp_dai_id(f->h, "DAI0.OUT");
	assert_true(dai >= 0);
	assert_int_equal(dsp_dai_bind(hostdsp_engine(f->h), (uint32_t)dai, &io), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	hostdsp_destroy(f->h);
	tplg_free(f->host);
	tplg_free(f->guest);
	free(f->out.buf);
	free(f);
	return 0;
}

static int send(struct hostdsp_guest *g, const struct ipc3_msg *m)
{
	uint8_t buf[IPC3_MSG_MAX_SIZE], reply[IPC3_MSG_MAX_SIZE];
	int n = ipc3_encode(m, buf, sizeof(buf));

	assert_true(n > 0);
	return hostdsp_guest_ipc(g, buf, (size_t)n, reply, sizeof(reply));
}

/* A guest on @slot with PCM0P prepared in S32_LE 48 kHz stereo and started. */
static struct hostdsp_guest *play(struct fix *f, uint32_t slot, int *host_id)
{
	struct ipc3_msg m = { .cmd = IPC3_STREAM_PCM_PARAMS };
	struct hostdsp_guest *g = NULL;

	assert_int_equal(hostdsp_guest_attach(f->h, f->guest, slot, &g), 0);
	*host_id = hostdsp_guest_host_id(g, "PCM0P");
	assert_true(*host_id >= 0);
	m.u.pcm.comp_id = (uint32_t)*host_id;
	m.u.pcm.direction = IPC3_STREAM_PLAYBACK;
	m.u.pcm.frame_fmt = IPC3_FRAME_S32_LE;
	m.u.pcm.rate = 48000;
	m.u.pcm.channels = CH;
	m.u.pcm.sample_container_bytes = 4;
	m.u.pcm.sample_valid_bytes = 4;
	m.u.pcm.host_period_bytes = PERIOD * CH * 4;
	m.u.pcm.buffer_size = 4 * m.u.pcm.host_period_bytes;
	m.u.pcm.buffer_pages = 1;
	assert_int_equal(send(g, &m), 0);
	memset(&m, 0, sizeof(m));
	m.cmd = IPC3_STREAM_TRIG_START;
	m.u.id = (uint32_t)*host_id;
	assert_int_equal(send(g, &m), 0);
	return g;
}

/* Sample @i of channel @ch of signal @k: a ramp pattern well below full scale. */
static int32_t sig(uint32_t k, uint64_t i, uint32_t ch)
{
	return (int32_t)(((i * 7919u + ch * 104729u + k * 31u) % 65536u) << 12) - (1 << 27);
}

/* Feed each playing guest its signal (from frame *pos) and tick once. */
static void tick(struct fix *f, struct hostdsp_guest **g, const int *host, uint64_t *pos,
		 uint32_t n)
{
	int32_t frames[PERIOD * 4 * CH];

	for (uint32_t k = 0; k < n; k++) {
		int room;

		if (!g[k])
			continue;
		room = dsp_host_avail(hostdsp_engine(f->h), (uint32_t)host[k]);
		assert_true(room >= 0);
		if ((uint32_t)room > PERIOD * 4)
			room = PERIOD * 4;
		for (int i = 0; i < room; i++)
			for (uint32_t c = 0; c < CH; c++)
				frames[(size_t)i * CH + c] = sig(k, pos[k] + (uint64_t)i, c);
		assert_int_equal(dsp_host_write(hostdsp_engine(f->h), (uint32_t)host[k], frames,
						(uint32_t)room), room);
		pos[k] += (uint64_t)room;
	}
	assert_true(dsp_engine_tick(hostdsp_engine(f->h)) >= 0);
}

/*
 * The delay, in frames, between what guest @k wrote and the output (@n guests summed):
 * the offset at which a run of 4 periods late in the output matches the signal.
 */
static uint32_t find_delay(const struct out *o, uint32_t n)
{
	const uint32_t at = 60 * PERIOD, run = 4 * PERIOD;

	for (uint32_t d = 0; d < 16 * PERIOD && at + d + run <= o->frames; d++) {
		bool ok = true;

		for (uint32_t i = at; i < at + run && ok; i++)
			for (uint32_t c = 0; c < CH && ok; c++) {
				int32_t want = 0;

				for (uint32_t k = 0; k < n; k++)
					want += sig(k, i, c);
				ok = o->buf[(size_t)(i + d) * CH + c] == want;
			}
		if (ok)
			return d;
	}
	fail_msg("the output never matches the signal (%u frames)", o->frames);
	return 0;
}

static double rms_db(const struct out *o, uint32_t from, uint32_t count)
{
	double sum = 0;

	for (uint32_t i = from; i < from + count; i++)
		for (uint32_t c = 0; c < CH; c++) {
			double v = o->buf[(size_t)i * CH + c] / 2147483648.0;

			sum += v * v;
		}
	return 10.0 * log10(sum / (count * CH));
}

static void test_guest_playback_arrives_bit_exact_at_host_dai(void **state)
{
	struct fix *f = *state;
	struct hostdsp_guest *g[1];
	uint64_t pos[1] = { 0 };
	int host[1];
	uint32_t start;

	g[0] = play(f, 0, &host[0]);
	for (int i = 0; i < 200; i++)
		tick(f, g, host, pos, 1);
	start = find_delay(&f->out, 1);
	print_message("delay through the engine: %u frames\n", start);
	assert_true(f->out.frames - start > 100 * PERIOD);
	/* After the volume's start ramp (20 ms in stereo.conf), every frame is the input's. */
	for (uint32_t i = RAMP; i + start < f->out.frames; i++)
		for (uint32_t c = 0; c < CH; c++)
			if (f->out.buf[(size_t)(i + start) * CH + c] != sig(0, i, c))
				fail_msg("frame %u ch %u: %d, sent %d", i, c,
					 f->out.buf[(size_t)(i + start) * CH + c], sig(0, i, c));
	assert_int_equal(hostdsp_guest_detach(g[0]), 0);
}

static void test_guest_volume_change_shows_in_output_db(void **state)
{
	struct fix *f = *state;
	struct dsp_ctrl_value half[CH] = { { 0, 0x8000 }, { 1, 0x8000 } };
	struct hostdsp_guest *g[1];
	uint64_t pos[1] = { 0 };
	int host[1], pga;
	double before, after;

	g[0] = play(f, 0, &host[0]);
	pga = hostdsp_guest_comp_id(g[0], "PGA1.0");
	assert_true(pga >= 0);
	for (int i = 0; i < 300; i++)
		tick(f, g, host, pos, 1);
	assert_int_equal(dsp_comp_set_values(hostdsp_engine(f->h), (uint32_t)pga, DSP_CTRL_VOLUME,
					     half, CH), 0);
	for (int i = 0; i < 600; i++)
		tick(f, g, host, pos, 1);
	before = rms_db(&f->out, 100 * PERIOD, 150 * PERIOD);
	after = rms_db(&f->out, 700 * PERIOD, 150 * PERIOD);
	print_message("level before %.2f dBFS, after %.2f dBFS (change %.2f dB)\n", before, after,
		      after - before);
	assert_true(fabs((after - before) - 20.0 * log10(0.5)) < 0.05);
	assert_int_equal(hostdsp_guest_detach(g[0]), 0);
}

static void test_two_guests_mix_and_detach_leaves_other_playing(void **state)
{
	struct fix *f = *state;
	struct hostdsp_guest *g[2];
	uint64_t pos[2] = { 0, 0 };
	int host[2];
	uint32_t start, n_before, tail;
	int64_t mismatches = 0;

	g[0] = play(f, 0, &host[0]);
	g[1] = play(f, 1, &host[1]);
	assert_int_not_equal(host[0], host[1]);
	for (int i = 0; i < 200; i++)
		tick(f, g, host, pos, 2);
	start = find_delay(&f->out, 2);
	/* Both started before the first tick: the output is the sum, frame for frame. */
	for (uint32_t i = RAMP; i + start < f->out.frames; i++)
		for (uint32_t c = 0; c < CH; c++)
			if (f->out.buf[(size_t)(i + start) * CH + c] != sig(0, i, c) + sig(1, i, c))
				mismatches++;
	assert_int_equal(mismatches, 0);

	/* Guest 1 goes away mid-stream; guest 0 goes on, alone. */
	assert_int_equal(hostdsp_guest_detach(g[1]), 0);
	g[1] = NULL;
	n_before = f->out.frames;
	for (int i = 0; i < 200; i++)
		tick(f, g, host, pos, 2);
	assert_true(f->out.frames > n_before + 150 * PERIOD);
	/* Well after the detach, every frame is guest 0's signal alone, in sequence. */
	tail = n_before + 10 * PERIOD;
	for (uint32_t i = tail; i < f->out.frames; i++)
		for (uint32_t c = 0; c < CH; c++)
			if (f->out.buf[(size_t)i * CH + c] != sig(0, i - start, c))
				mismatches++;
	assert_int_equal(mismatches, 0);
	/* The slot is free again: a new guest loads into it. */
	g[1] = play(f, 1, &host[1]);
	assert_int_equal(hostdsp_guest_detach(g[1]), 0);
	assert_int_equal(hostdsp_guest_detach(g[0]), 0);
}

static void test_guest_slot_in_use_is_refused(void **state)
{
	struct fix *f = *state;
	struct hostdsp_guest *a = NULL, *b = NULL;

	assert_int_equal(hostdsp_guest_attach(f->h, f->guest, 3, &a), 0);
	assert_int_equal(hostdsp_guest_attach(f->h, f->guest, 3, &b), -EBUSY);
	assert_int_equal(hostdsp_guest_attach(f->h, f->guest, HOSTDSP_MAX_SLOTS, &b), -EINVAL);
	assert_null(b);
	/* The CP DAI of the guest is not created. */
	assert_int_equal(hostdsp_guest_comp_id(a, "DAI1.OUT"), -ENOENT);
	assert_true(hostdsp_guest_comp_id(a, "BUF1.1") >= 0);
	assert_int_equal(hostdsp_guest_detach(a), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_guest_playback_arrives_bit_exact_at_host_dai,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_volume_change_shows_in_output_db,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_guests_mix_and_detach_leaves_other_playing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_slot_in_use_is_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
