// SPDX-License-Identifier: MIT
/*
 * A guest's bytes control reaches the shared DSP: vadspd with a [host] section and a file
 * endpoint, a process guest on topology/multi.tplg playing DC into its "Music" PCM, whose
 * pipeline runs an IIR equaliser with the bytes control "Music EQ" (SOF's layout: a 32-byte
 * ABI header, then the EQ configuration). The topology's EQ is a high-pass, so DC does not
 * pass; the guest then writes (TLV_WRITE, {id, length, data}) a pass-through configuration
 * and the host file holds the input sample for sample; then a 0.5 gain biquad, and the file
 * holds exactly half. Malformed values (a header without SOF's magic, a header claiming more
 * data than sent) are S_BAD_MSG, a configuration the EQ refuses is S_IO_ERR, and after all
 * three the output is still exactly half and TLV_READ answers the 0.5 gain blob.
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
#include <unistd.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "snd/virtio-snd.h"
#include "util/le.h"
#include "vadspd-test-util.h"

#define WAIT_MS		10000
#define PERIOD_FRAMES	960u
#define PERIOD		(PERIOD_FRAMES * 4u)	/* S16 stereo: 20 ms */
/* Periods in flight, all queued before START: 320 ms (the stereo caps' largest buffer), so
 * that a guest process held off the CPU on a loaded machine does not underrun (80 ms was not
 * always enough); the engine's silence would break the measured runs and levels. */
#define QUEUE		16u
#define RATE		48000u
#define DC		1000

/* vadspd: DAI0.OUT into out.wav; vm1 on multi.tplg with controls. */
static void start(struct vt_daemon *d)
{
	const struct vt_daemon_opts o = {
		.name = "bytes", .host = true, .guests = 1,
		.guest = { { .topology = "multi", .lines = "controls = yes\n" } },
	};

	vt_daemon_start(d, &o);
}

/* ------------------------------------------------------------------------------------------
 * EQ IIR blobs: SOF's ABI header, then struct sof_eq_iir_config (kernels/eq-iir.h)
 * ------------------------------------------------------------------------------------------ */

#define ABI_MAGIC	0x00464f53u
#define ABI_3_23_1	0x03017001u

struct blob {
	uint8_t b[512];
	uint32_t len;
};

static void put_word(struct blob *x, uint32_t w)
{
	put_le32(x->b + x->len, w);
	x->len += 4;
}

/* The header, and the configuration's first words: size, channels, responses, reserved. */
static void eq_begin(struct blob *x, uint32_t responses)
{
	memset(x, 0, sizeof(*x));
	put_word(x, ABI_MAGIC);
	put_word(x, 0);			/* type */
	put_word(x, 0);			/* size: eq_end() */
	put_word(x, ABI_3_23_1);
	x->len += 16;			/* reserved */
	put_word(x, 0);			/* config size: eq_end() */
	put_word(x, 2);			/* channels_in_config */
	put_word(x, responses);
	x->len += 16;
}

static void eq_end(struct blob *x)
{
	put_le32(x->b + 8, x->len - 32);
	put_le32(x->b + 32, x->len - 32);
}

/* Both channels bypassed: the output is the input. */
static void eq_bypass(struct blob *x)
{
	eq_begin(x, 0);
	put_word(x, (uint32_t)-1);
	put_word(x, (uint32_t)-1);
	eq_end(x);
}

/* One biquad y = b0 x with b0 0.5 (Q2.30), gain 1.0 (Q2.14), for both channels. */
static void eq_half(struct blob *x, int32_t assign)
{
	eq_begin(x, 1);
	put_word(x, (uint32_t)assign);
	put_word(x, (uint32_t)assign);
	put_word(x, 1);			/* num_sections */
	put_word(x, 1);			/* num_sections_in_series */
	x->len += 16;
	put_word(x, 0);			/* a2 */
	put_word(x, 0);			/* a1 */
	put_word(x, 0);			/* b2 */
	put_word(x, 0);			/* b1 */
	put_word(x, 0x20000000);	/* b0 = 0.5 */
	put_word(x, 0);			/* output_shift */
	put_word(x, 0x4000);		/* output_gain = 1.0 */
	eq_end(x);
}

/* TLV_WRITE of @len bytes of @data as control @id: the status. */
static uint32_t tlv_write(struct vguest *g, uint32_t id, const void *data, uint32_t len,
			  uint32_t claimed)
{
	uint8_t req[16 + 512], resp[4];
	uint32_t used = 0;

	put_le32(req, VIRTIO_SND_R_CTL_TLV_WRITE);
	put_le32(req + 4, id);
	put_le32(req + 8, id);
	put_le32(req + 12, claimed);
	memcpy(req + 16, data, len);
	vguest_request(g, req, 16 + len, resp, sizeof(resp), &used);
	assert_int_equal(used, 4);
	return get_le32(resp);
}

/* TLV_READ of control @id: its data into @x. */
static void tlv_read(struct vguest *g, uint32_t id, struct blob *x)
{
	uint8_t req[8], resp[4 + 8 + 1024];
	uint32_t used = 0;

	put_le32(req, VIRTIO_SND_R_CTL_TLV_READ);
	put_le32(req + 4, id);
	vguest_request(g, req, sizeof(req), resp, sizeof(resp), &used);
	assert_true(used >= 12);
	assert_int_equal(get_le32(resp), VIRTIO_SND_S_OK);
	x->len = get_le32(resp + 8);
	assert_true(x->len <= sizeof(x->b) && 12 + x->len <= used);
	memcpy(x->b, resp + 12, x->len);
}

/* ------------------------------------------------------------------------------------------
 * Playing
 * ------------------------------------------------------------------------------------------ */

struct player {
	struct vguest *g;
	struct vguest_io *io;
	bool started;
};

static void play_steps(struct player *p, int steps)
{
	int16_t buf[PERIOD_FRAMES * 2];
	struct vguest_io_done done;

	for (uint32_t i = 0; i < PERIOD_FRAMES * 2; i++)
		buf[i] = DC;
	for (int k = 0; k < steps; k++) {
		while (vguest_io_in_flight(p->io) < QUEUE)
			assert_int_equal(vguest_io_submit(p->io, buf, PERIOD), 0);
		if (!p->started) {
			assert_int_equal(vguest_pcm_start(p->g, 0), 0);
			p->started = true;
		}
		assert_int_equal(vguest_io_reap(p->io, &done, WAIT_MS), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
	}
}

/* The longest run of @v in @l, and where it starts. */
static uint32_t longest_run(const int32_t *l, uint32_t n, int32_t v, uint32_t *at)
{
	uint32_t best = 0, run = 0;

	for (uint32_t i = 0; i < n; i++) {
		run = l[i] == v ? run + 1 : 0;
		if (run > best) {
			best = run;
			*at = i + 1 - run;
		}
	}
	return best;
}

static void eq_bytes_written_by_the_guest_become_the_engines_coefficients(void **state)
{
	struct vguest_pcm_params prm = {
		.buffer_bytes = QUEUE * PERIOD, .period_bytes = PERIOD, .channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};
	struct blob bypass, half, bad, got;
	struct player p = { 0 };
	struct vt_daemon d;
	uint32_t n = 0, first = UINT32_MAX, pass_at = 0, half_at = 0, pass, halved;
	int32_t *l;
	int id;

	(void)state;
	eq_bypass(&bypass);
	eq_half(&half, 0);
	start(&d);
	assert_int_equal(vguest_connect(&p.g, d.sock[0], NULL), 0);
	id = vguest_ctl_find(p.g, "Music EQ", 0);
	assert_true(id >= 0);
	assert_int_equal(vguest_pcm_set_params(p.g, 0, &prm), 0);
	assert_int_equal(vguest_pcm_prepare(p.g, 0), 0);
	assert_int_equal(vguest_io_open(p.g, 0, PERIOD, QUEUE, &p.io), 0);

	play_steps(&p, 25);			/* 0.5 s through the topology's high-pass */
	assert_int_equal(tlv_write(p.g, (uint32_t)id, bypass.b, bypass.len, bypass.len),
			 VIRTIO_SND_S_OK);
	play_steps(&p, 40);			/* 0.8 s passed through */
	assert_int_equal(tlv_write(p.g, (uint32_t)id, half.b, half.len, half.len),
			 VIRTIO_SND_S_OK);
	play_steps(&p, 35);
	/* Not SOF's magic: S_BAD_MSG. */
	bad = bypass;
	bad.b[0] ^= 0xff;
	assert_int_equal(tlv_write(p.g, (uint32_t)id, bad.b, bad.len, bad.len),
			 VIRTIO_SND_S_BAD_MSG);
	/* A header claiming 400 bytes of configuration in a 68-byte value: S_BAD_MSG. */
	bad = bypass;
	put_le32(bad.b + 8, 400);
	assert_int_equal(tlv_write(p.g, (uint32_t)id, bad.b, bad.len, bad.len),
			 VIRTIO_SND_S_BAD_MSG);
	/* Well formed, but assigning response 3 of 1: the EQ refuses it, S_IO_ERR. */
	eq_half(&bad, 3);
	assert_int_equal(tlv_write(p.g, (uint32_t)id, bad.b, bad.len, bad.len),
			 VIRTIO_SND_S_IO_ERR);
	tlv_read(p.g, (uint32_t)id, &got);
	assert_int_equal(got.len, half.len);
	assert_memory_equal(got.b, half.b, half.len);
	play_steps(&p, 50);			/* 1 s more at half */
	assert_int_equal(vguest_pcm_stop(p.g, 0), 0);
	assert_int_equal(vguest_pcm_release(p.g, 0), 0);
	vguest_io_close(p.io);
	vguest_close(p.g);

	l = vt_daemon_stop(&d, &n);
	for (uint32_t i = 0; i < n && first == UINT32_MAX; i++)
		if (l[i])
			first = i;
	assert_int_not_equal(first, UINT32_MAX);
	pass = longest_run(l, n, DC * 65536, &pass_at);
	halved = longest_run(l, n, DC / 2 * 65536, &half_at);
	print_message("sound from frame %u; input exactly from frame %u for %u frames; "
		      "half exactly from frame %u for %u frames\n", first, pass_at, pass,
		      half_at, halved);
	/* The high-pass did not pass DC exactly: the exact input came with the bypass. */
	assert_true(pass_at >= first + RATE / 4);
	assert_true(pass >= RATE / 2);			/* 0.8 s written, 0.5 s at least */
	/* Half from the second write to the end, through the three refused writes. */
	assert_true(half_at >= pass_at + pass);
	assert_true(halved >= RATE * 3 / 2);		/* 1.7 s written, 1.5 s at least */
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(
			eq_bytes_written_by_the_guest_become_the_engines_coefficients,
			vt_teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
