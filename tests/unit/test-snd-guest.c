// SPDX-License-Identifier: MIT
/*
 * The sound device from a guest's side: a process guest (vu_front, its own memory and
 * rings) against vadsp's vhost-user server running the device on another thread, with the
 * `stereo` card. Proves: configuration space and queries over the control queue; a flood
 * of queued requests answered in order; I/O messages routed or refused (TX on a capture
 * stream, bad ids, streams not prepared, malformed layouts, no room for the status); the
 * null backend playing and recording (silence) in place; RELEASE held until the backend
 * has given back every I/O message, with later requests waiting behind it; SET_PARAMS and
 * PREPARE refused while I/O is in flight; a stopped queue cancelling the backend's I/O;
 * events delivered through the event queue; and a second guest unaffected by a hostile
 * first one that is dropped.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "snd/card.h"
#include "snd/ctl-msg.h"
#include "snd/device.h"
#include "snd/virtio-snd.h"
#include "test-snd-util.h"
#include "util/le.h"
#include "virtio/virtio-ring.h"

#define WAIT_MS		5000
#define PERIOD		3840u		/* 20 ms of 48 kHz S16 stereo */
#define BUFFER		(4 * PERIOD)

/* ------------------------------------------------------------------------------------------
 * A backend that holds every I/O message until the test gives them back
 * ------------------------------------------------------------------------------------------ */

#define HOLD_MAX	64

struct vsnd_backend {
	struct vsnd_card *card;
	struct vsnd_pcm_io *held[HOLD_MAX];
	unsigned int num_held;
	unsigned int cancels;
	unsigned int releases;
};

/* The last card opened on the holding backend (one guest per test uses it). */
static struct vsnd_backend *hold;

static int hold_open(struct vsnd_backend **out, const struct vsnd_backend_config *cfg)
{
	struct vsnd_backend *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	b->card = cfg->card;
	hold = b;
	*out = b;
	return 0;
}

static void hold_close(struct vsnd_backend *b)
{
	if (hold == b)
		hold = NULL;
	free(b);
}

static int hold_io_submit(struct vsnd_backend *b, struct vsnd_pcm_io *io)
{
	if (b->num_held == HOLD_MAX)
		return -EIO;
	b->held[b->num_held++] = io;
	return 0;
}

/* Give back every message of @stream (all when @stream is -1); capture gets 0x11 bytes. */
static void give_back(struct vsnd_backend *b, int64_t stream, int err)
{
	unsigned int k = 0;

	for (unsigned int i = 0; i < b->num_held; i++) {
		struct vsnd_pcm_io *io = b->held[i];

		if (stream >= 0 && io->stream != (uint32_t)stream) {
			b->held[k++] = io;
			continue;
		}
		for (unsigned int s = 0; s < io->nseg; s++)
			memset(io->seg[s].iov_base, 0x11, io->seg[s].iov_len);
		vsnd_pcm_io_done(b->card, io, err, io->bytes, 1234);
	}
	b->num_held = k;
}

static int hold_release(struct vsnd_backend *b, uint32_t stream)
{
	(void)stream;
	b->releases++;
	return 0;	/* keeps the messages: the test gives them back later */
}

static void hold_io_cancel(struct vsnd_backend *b, uint32_t stream)
{
	b->cancels++;
	give_back(b, stream, -ECANCELED);
}

static const struct vsnd_backend_ops hold_ops = {
	.name = "hold",
	.open = hold_open,
	.close = hold_close,
	.release = hold_release,
	.io_submit = hold_io_submit,
	.io_cancel = hold_io_cancel,
};

static void give_back_all(void *arg)
{
	(void)arg;
	give_back(hold, -1, 0);
}

/* Make the card take what is waiting on the control queue, then report its state. */
struct probe {
	uint32_t stream;
	bool held;
	enum vsnd_pcm_state state;
	uint32_t pending;
	unsigned int num_held;
};

static void probe_card(void *arg)
{
	struct probe *p = arg;
	struct vsnd_card *card = hold->card;

	vsnd_card_queue_kick(card, VSND_VQ_CONTROL);
	vsnd_card_queue_kick(card, VSND_VQ_TX);
	vsnd_card_queue_kick(card, VSND_VQ_RX);
	p->held = card->held;
	p->state = card->streams[p->stream].state;
	p->pending = card->streams[p->stream].pending;
	p->num_held = hold->num_held;
}

/* ------------------------------------------------------------------------------------------
 * Fixture
 * ------------------------------------------------------------------------------------------ */

static struct vsnd_card_desc *stereo;

struct fixture {
	struct sndt_server *srv;
	struct sndt_guest g;
};

static struct fixture *start(const struct vsnd_backend_ops *backend, bool clock)
{
	struct vsnd_options o = { .controls = true, .desc = stereo, .backend = backend };
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->srv = sndt_server_start(&o, clock);
	sndt_guest_connect(&f->g, f->srv, true, 256);
	return f;
}

static void finish(struct fixture *f)
{
	if (f->g.fe)
		sndt_guest_close(&f->g);
	sndt_server_stop(f->srv);
	free(f);
}

static int group_setup(void **state)
{
	(void)state;
	stereo = sndt_desc("stereo");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	vsnd_card_desc_free(stereo);
	return 0;
}

static struct sndt_resp resp;

static uint32_t request(struct sndt_guest *g, const void *req, size_t len)
{
	return sndt_guest_request(g, req, len, VSND_CTL_RESP_MAX, &resp);
}

static void configure(struct sndt_guest *g, uint32_t stream, bool prepare)
{
	uint8_t req[24];

	sndt_set_params(req, stream, BUFFER, PERIOD, 2, VIRTIO_SND_PCM_FMT_S16,
			VIRTIO_SND_PCM_RATE_48000, 0);
	assert_int_equal(request(g, req, 24), VIRTIO_SND_S_OK);
	if (prepare)
		assert_int_equal(request(g, req, sndt_pcm(req, VIRTIO_SND_R_PCM_PREPARE, stream)),
				 VIRTIO_SND_S_OK);
}

static uint32_t pcm(struct sndt_guest *g, uint32_t code, uint32_t stream)
{
	uint8_t req[8];

	return request(g, req, sndt_pcm(req, code, stream));
}

/*
 * One I/O message in guest memory: xfer header, data, status. @queue is where it goes,
 * @data_len the audio bytes (readable on txq, writable on rxq), @status_len the writable
 * bytes for the status (8 normally).
 */
struct io_msg {
	struct vu_front_buf xfer, data, status;
};

static void send_io(struct sndt_guest *g, struct io_msg *m, unsigned int queue,
		    uint32_t stream, uint32_t data_len, uint32_t status_len)
{
	struct vring_buf out[2], in[2];
	unsigned int nout = 0, nin = 0;

	m->xfer = sndt_guest_alloc(g, 4);
	put_le32(m->xfer.host, stream);
	out[nout++] = (struct vring_buf){ m->xfer.gpa, 4 };
	if (data_len) {
		m->data = sndt_guest_alloc(g, data_len);
		memset(m->data.host, 0xa5, data_len);
		if (queue == VSND_VQ_TX)
			out[nout++] = (struct vring_buf){ m->data.gpa, data_len };
		else
			in[nin++] = (struct vring_buf){ m->data.gpa, data_len };
	}
	if (status_len) {
		m->status = sndt_guest_alloc(g, status_len);
		memset(m->status.host, 0xee, status_len);
		in[nin++] = (struct vring_buf){ m->status.gpa, status_len };
	}
	assert_true(vu_front_queue_add(g->fe, queue, out, nout, in, nin, m) >= 0);
	assert_true(vu_front_queue_kick(g->fe, queue) >= 0);
}

static uint32_t io_status(const struct io_msg *m)
{
	return get_le32(m->status.host);
}

/* Reap the next completion on @queue: it must be @m. */
static uint32_t reap_io(struct sndt_guest *g, unsigned int queue, struct io_msg *m)
{
	uint32_t used = 0xdead;

	assert_ptr_equal(sndt_guest_reap(g, queue, &used, WAIT_MS), m);
	return used;
}

/* ------------------------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------------------------ */

static void guest_reads_the_card_through_config_and_control_queue(void **state)
{
	struct fixture *f = start(NULL, false);
	uint8_t cfg[16], req[16];

	(void)state;
	assert_int_equal(vu_front_get_config(f->g.fe, 0, cfg, 16), 0);
	assert_int_equal(get_le32(cfg), 2);		/* jacks */
	assert_int_equal(get_le32(cfg + 4), 2);		/* streams */
	assert_int_equal(get_le32(cfg + 8), 2);		/* chmaps */
	assert_int_equal(get_le32(cfg + 12), 4);	/* controls */
	sndt_query(req, VIRTIO_SND_R_PCM_INFO, 0, 2, 32);
	assert_int_equal(request(&f->g, req, 16), VIRTIO_SND_S_OK);
	assert_int_equal(resp.used, 4 + 64);
	assert_int_equal(resp.data[32 + offsetof(struct vsnd_pcm_info, direction)],
			 VIRTIO_SND_D_INPUT);
	sndt_query(req, VIRTIO_SND_R_CTL_INFO, 0, 4, 96);
	assert_int_equal(request(&f->g, req, 16), VIRTIO_SND_S_OK);
	assert_string_equal((char *)resp.data + offsetof(struct vsnd_ctl_info, name),
			    "Master Playback Volume");
	/* A response buffer of 3 bytes gets nothing; none at all gets nothing either. */
	assert_int_equal(sndt_guest_request(&f->g, req, 16, 3, &resp), 0);
	assert_int_equal(resp.used, 0);
	assert_int_equal(sndt_guest_request(&f->g, req, 16, 0, &resp), 0);
	assert_int_equal(resp.used, 0);
	finish(f);
}

static void request_flood_is_answered_in_order(void **state)
{
	enum { N = 120 };
	struct fixture *f = start(NULL, false);
	struct vu_front_buf rq[N], rs[N];
	uint32_t used;

	(void)state;
	for (unsigned int i = 0; i < N; i++) {
		struct vring_buf out, in;

		rq[i] = sndt_guest_alloc(&f->g, 16);
		rs[i] = sndt_guest_alloc(&f->g, 4 + 96);
		memset(rs[i].host, 0xa5, 4 + 96);
		switch (i % 4) {
		case 0:	/* PCM_INFO of stream (i / 4) % 2 */
			sndt_query(rq[i].host, VIRTIO_SND_R_PCM_INFO, (i / 4) % 2, 1, 32);
			break;
		case 1:	/* CTL_INFO of control (i / 4) % 4 */
			sndt_query(rq[i].host, VIRTIO_SND_R_CTL_INFO, (i / 4) % 4, 1, 96);
			break;
		case 2:	/* a stream that does not exist */
			sndt_pcm(rq[i].host, VIRTIO_SND_R_PCM_PREPARE, 2 + i);
			break;
		default: /* an unknown code */
			put_le32(rq[i].host, 0x0999);
			break;
		}
		out = (struct vring_buf){ rq[i].gpa, 16 };
		in = (struct vring_buf){ rs[i].gpa, 4 + 96 };
		assert_true(vu_front_queue_add(f->g.fe, VSND_VQ_CONTROL, &out, 1, &in, 1,
					       &rq[i]) >= 0);
	}
	assert_true(vu_front_queue_kick(f->g.fe, VSND_VQ_CONTROL) >= 0);
	for (unsigned int i = 0; i < N; i++) {
		static const uint32_t want[4] = {
			VIRTIO_SND_S_OK, VIRTIO_SND_S_OK, VIRTIO_SND_S_BAD_MSG,
			VIRTIO_SND_S_NOT_SUPP,
		};
		static const uint32_t want_used[4] = { 4 + 32, 4 + 96, 4, 4 };
		const uint8_t *r = rs[i].host;

		assert_ptr_equal(sndt_guest_reap(&f->g, VSND_VQ_CONTROL, &used, WAIT_MS), &rq[i]);
		assert_int_equal(get_le32(r), want[i % 4]);
		assert_int_equal(used, want_used[i % 4]);
		if (i % 4 == 0)
			assert_int_equal(r[4 + offsetof(struct vsnd_pcm_info, direction)],
					 (i / 4) % 2);
		if (i % 4 == 1)
			assert_int_equal(get_le32(r + 4 + offsetof(struct vsnd_ctl_info, role)),
					 (i / 4) % 2 ? VIRTIO_SND_CTL_ROLE_MUTE :
						       VIRTIO_SND_CTL_ROLE_VOLUME);
	}
	finish(f);
}

static void bad_io_messages_are_refused_with_the_right_status(void **state)
{
	struct fixture *f = start(NULL, false);
	struct io_msg m[12];

	(void)state;
	configure(&f->g, 0, true);	/* playback, prepared */
	configure(&f->g, 1, false);	/* capture, parameters only */

	/* TX on the capture stream, TX on a stream that does not exist, RX on playback. */
	send_io(&f->g, &m[0], VSND_VQ_TX, 1, PERIOD, 8);
	assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &m[0]), 8);
	assert_int_equal(io_status(&m[0]), VIRTIO_SND_S_BAD_MSG);
	send_io(&f->g, &m[1], VSND_VQ_TX, 2, PERIOD, 8);
	assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &m[1]), 8);
	assert_int_equal(io_status(&m[1]), VIRTIO_SND_S_BAD_MSG);
	send_io(&f->g, &m[2], VSND_VQ_RX, 0, PERIOD, 8);
	assert_int_equal(reap_io(&f->g, VSND_VQ_RX, &m[2]), 8);
	assert_int_equal(io_status(&m[2]), VIRTIO_SND_S_BAD_MSG);
	/* Capture stream not prepared: a well-formed message it cannot take. */
	send_io(&f->g, &m[3], VSND_VQ_RX, 1, PERIOD, 8);
	assert_int_equal(reap_io(&f->g, VSND_VQ_RX, &m[3]), 8);
	assert_int_equal(io_status(&m[3]), VIRTIO_SND_S_IO_ERR);
	/* Half a frame, no audio at all, a txq message with more than a status writable. */
	send_io(&f->g, &m[4], VSND_VQ_TX, 0, PERIOD + 2, 8);
	assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &m[4]), 8);
	assert_int_equal(io_status(&m[4]), VIRTIO_SND_S_BAD_MSG);
	send_io(&f->g, &m[5], VSND_VQ_TX, 0, 0, 8);
	assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &m[5]), 8);
	assert_int_equal(io_status(&m[5]), VIRTIO_SND_S_BAD_MSG);
	send_io(&f->g, &m[6], VSND_VQ_TX, 0, PERIOD, 16);
	assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &m[6]), 8);
	assert_int_equal(get_le32((uint8_t *)m[6].status.host + 8), VIRTIO_SND_S_BAD_MSG);
	/* No room for a status: returned with nothing written. */
	send_io(&f->g, &m[7], VSND_VQ_TX, 0, PERIOD, 7);
	assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &m[7]), 0);
	assert_int_equal(((uint8_t *)m[7].status.host)[0], 0xee);
	/* An xfer header cut short (2 readable bytes). */
	{
		struct vu_front_buf x = sndt_guest_alloc(&f->g, 16);
		struct vring_buf out = { x.gpa, 2 }, in = { x.gpa + 8, 8 };

		m[8].status = (struct vu_front_buf){ (uint8_t *)x.host + 8, x.gpa + 8, 8 };
		assert_true(vu_front_queue_add(f->g.fe, VSND_VQ_TX, &out, 1, &in, 1, &m[8]) >= 0);
		assert_true(vu_front_queue_kick(f->g.fe, VSND_VQ_TX) >= 0);
		assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &m[8]), 8);
		assert_int_equal(io_status(&m[8]), VIRTIO_SND_S_BAD_MSG);
	}
	/* The stream's state is untouched by all that: a good message still plays. */
	send_io(&f->g, &m[9], VSND_VQ_TX, 0, PERIOD, 8);
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_START, 0), VIRTIO_SND_S_OK);
	assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &m[9]), 8);
	assert_int_equal(io_status(&m[9]), VIRTIO_SND_S_OK);
	finish(f);
}

static void null_backend_plays_and_records_silence_in_place(void **state)
{
	struct fixture *f = start(NULL, false);
	struct io_msg tx[4], rx[4];

	(void)state;
	configure(&f->g, 0, true);
	configure(&f->g, 1, true);
	/* Pre-buffered playback and capture buffers wait for START. */
	for (int i = 0; i < 4; i++) {
		send_io(&f->g, &tx[i], VSND_VQ_TX, 0, PERIOD, 8);
		send_io(&f->g, &rx[i], VSND_VQ_RX, 1, PERIOD, 8);
	}
	assert_null(vu_front_queue_get_used(f->g.fe, VSND_VQ_TX, &(uint32_t){ 0 }));
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_START, 0), VIRTIO_SND_S_OK);
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_START, 1), VIRTIO_SND_S_OK);
	for (int i = 0; i < 4; i++) {
		static const uint8_t zero[PERIOD];

		assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &tx[i]), 8);
		assert_int_equal(io_status(&tx[i]), VIRTIO_SND_S_OK);
		assert_int_equal(get_le32((uint8_t *)tx[i].status.host + 4), 0);
		/* Capture: used = status + the bytes recorded; S16 silence is zero. */
		assert_int_equal(reap_io(&f->g, VSND_VQ_RX, &rx[i]), 8 + PERIOD);
		assert_int_equal(io_status(&rx[i]), VIRTIO_SND_S_OK);
		assert_memory_equal(rx[i].data.host, zero, PERIOD);
	}
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_STOP, 0), VIRTIO_SND_S_OK);
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_RELEASE, 0), VIRTIO_SND_S_OK);
	finish(f);
}

static void release_waits_for_pending_io(void **state)
{
	struct fixture *f = start(&hold_ops, false);
	struct probe p = { .stream = 0 };
	struct vu_front_buf rq[2], rs[2];
	struct io_msg m[3];
	uint32_t used;

	(void)state;
	configure(&f->g, 0, true);
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_START, 0), VIRTIO_SND_S_OK);
	for (int i = 0; i < 3; i++)
		send_io(&f->g, &m[i], VSND_VQ_TX, 0, PERIOD, 8);
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_STOP, 0), VIRTIO_SND_S_OK);

	/* RELEASE, then a query behind it. */
	for (int i = 0; i < 2; i++) {
		struct vring_buf out, in;

		rq[i] = sndt_guest_alloc(&f->g, 16);
		rs[i] = sndt_guest_alloc(&f->g, 4 + 32);
		if (i == 0)
			sndt_pcm(rq[i].host, VIRTIO_SND_R_PCM_RELEASE, 0);
		else
			sndt_query(rq[i].host, VIRTIO_SND_R_PCM_INFO, 0, 1, 32);
		out = (struct vring_buf){ rq[i].gpa, 16 };
		in = (struct vring_buf){ rs[i].gpa, 4 + 32 };
		assert_true(vu_front_queue_add(f->g.fe, VSND_VQ_CONTROL, &out, 1, &in, 1,
					       &rq[i]) >= 0);
	}
	assert_true(vu_front_queue_kick(f->g.fe, VSND_VQ_CONTROL) >= 0);
	sndt_server_run(f->srv, probe_card, &p);
	/* The stream is released, its three messages still out: the reply is held, and the
	 * query behind it is not taken yet. */
	assert_true(p.held);
	assert_int_equal(p.state, VSND_PCM_RELEASE);
	assert_int_equal(p.pending, 3);
	assert_int_equal(p.num_held, 3);
	assert_int_equal(hold->releases, 1);
	assert_null(vu_front_queue_get_used(f->g.fe, VSND_VQ_CONTROL, &used));
	assert_null(vu_front_queue_get_used(f->g.fe, VSND_VQ_TX, &used));

	/* The backend gives the messages back: they complete, then RELEASE, then the query. */
	sndt_server_run(f->srv, give_back_all, NULL);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &m[i]), 8);
		assert_int_equal(io_status(&m[i]), VIRTIO_SND_S_OK);
		assert_int_equal(get_le32((uint8_t *)m[i].status.host + 4), 1234);
	}
	assert_ptr_equal(sndt_guest_reap(&f->g, VSND_VQ_CONTROL, &used, WAIT_MS), &rq[0]);
	assert_int_equal(used, 4);
	assert_int_equal(get_le32(rs[0].host), VIRTIO_SND_S_OK);
	assert_ptr_equal(sndt_guest_reap(&f->g, VSND_VQ_CONTROL, &used, WAIT_MS), &rq[1]);
	assert_int_equal(used, 4 + 32);
	assert_int_equal(get_le32(rs[1].host), VIRTIO_SND_S_OK);
	/* Messages after RELEASE are refused: the stream cannot transfer. */
	send_io(&f->g, &m[0], VSND_VQ_TX, 0, PERIOD, 8);
	assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &m[0]), 8);
	assert_int_equal(io_status(&m[0]), VIRTIO_SND_S_IO_ERR);
	finish(f);
}

static void set_params_and_prepare_wait_for_io_to_come_back(void **state)
{
	struct fixture *f = start(&hold_ops, false);
	struct probe p = { .stream = 1 };
	struct io_msg m;
	uint8_t req[24];

	(void)state;
	configure(&f->g, 1, true);
	send_io(&f->g, &m, VSND_VQ_RX, 1, PERIOD, 8);
	sndt_server_run(f->srv, probe_card, &p);
	assert_int_equal(p.pending, 1);
	/* PREPARE -> SET_PARAMS and PREPARE -> PREPARE are in the table, but not with a
	 * capture buffer out: the driver must release first. */
	sndt_set_params(req, 1, BUFFER, PERIOD, 2, VIRTIO_SND_PCM_FMT_S16,
			VIRTIO_SND_PCM_RATE_48000, 0);
	assert_int_equal(request(&f->g, req, 24), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_PREPARE, 1), VIRTIO_SND_S_BAD_MSG);
	sndt_server_run(f->srv, probe_card, &p);
	assert_int_equal(p.state, VSND_PCM_PREPARE);
	sndt_server_run(f->srv, give_back_all, NULL);
	/* The capture buffer comes back filled in place; used = 8 + bytes recorded. */
	assert_int_equal(reap_io(&f->g, VSND_VQ_RX, &m), 8 + PERIOD);
	assert_int_equal(((uint8_t *)m.data.host)[PERIOD - 1], 0x11);
	assert_int_equal(request(&f->g, req, 24), VIRTIO_SND_S_OK);
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_PREPARE, 1), VIRTIO_SND_S_OK);
	finish(f);
}

static void stopping_a_queue_cancels_its_io_in_the_backend(void **state)
{
	struct fixture *f = start(&hold_ops, false);
	struct probe p = { .stream = 0 };
	struct io_msg m[2];

	(void)state;
	configure(&f->g, 0, true);
	send_io(&f->g, &m[0], VSND_VQ_TX, 0, PERIOD, 8);
	send_io(&f->g, &m[1], VSND_VQ_TX, 0, PERIOD, 8);
	sndt_server_run(f->srv, probe_card, &p);
	assert_int_equal(p.num_held, 2);
	assert_int_equal(vu_front_queue_stop(f->g.fe, VSND_VQ_TX, NULL), 0);
	sndt_server_run(f->srv, probe_card, &p);
	assert_int_equal(p.num_held, 0);
	assert_int_equal(p.pending, 0);
	assert_int_equal(hold->cancels, 1);
	/* Cancelled messages are not completed: the ring is the driver's again. */
	assert_int_equal(((uint8_t *)m[0].status.host)[0], 0xee);
	/* Nothing is pending any more: RELEASE is answered at once. */
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_RELEASE, 0), VIRTIO_SND_S_OK);
	finish(f);
}

struct host_change {
	uint32_t jack;
	bool connected;
	uint32_t control;
	int32_t value;
};

static void change_from_host(void *arg)
{
	struct host_change *c = arg;
	int32_t v[2] = { c->value, c->value };
	struct vsnd_ctl_values val = { .count = 2, .values = v };

	assert_int_equal(vsnd_card_jack_set(hold->card, c->jack, c->connected), 1);
	assert_int_equal(vsnd_card_ctl_set(hold->card, c->control, &val), 1);
}

static void events_reach_the_event_queue(void **state)
{
	struct fixture *f = start(&hold_ops, false);
	struct host_change c = { .jack = 1, .connected = false, .control = 2, .value = 33 };
	struct vu_front_buf ev[3];
	uint32_t used;

	(void)state;
	/* A buffer too small for an event, then two good ones. */
	for (int i = 0; i < 3; i++) {
		struct vring_buf in;

		ev[i] = sndt_guest_alloc(&f->g, 8);
		memset(ev[i].host, 0xee, 8);
		in = (struct vring_buf){ ev[i].gpa, i == 0 ? 4 : 8 };
		assert_true(vu_front_queue_add(f->g.fe, VSND_VQ_EVENT, NULL, 0, &in, 1,
					       &ev[i]) >= 0);
	}
	assert_true(vu_front_queue_kick(f->g.fe, VSND_VQ_EVENT) >= 0);
	sndt_server_run(f->srv, change_from_host, &c);
	assert_ptr_equal(sndt_guest_reap(&f->g, VSND_VQ_EVENT, &used, WAIT_MS), &ev[0]);
	assert_int_equal(used, 0);
	assert_ptr_equal(sndt_guest_reap(&f->g, VSND_VQ_EVENT, &used, WAIT_MS), &ev[1]);
	assert_int_equal(used, 8);
	assert_int_equal(get_le32(ev[1].host), VIRTIO_SND_EVT_JACK_DISCONNECTED);
	assert_int_equal(get_le32((uint8_t *)ev[1].host + 4), 1);
	assert_ptr_equal(sndt_guest_reap(&f->g, VSND_VQ_EVENT, &used, WAIT_MS), &ev[2]);
	assert_int_equal(get_le32(ev[2].host), VIRTIO_SND_EVT_CTL_NOTIFY);
	assert_int_equal(get_le16((uint8_t *)ev[2].host + 4), 2);	/* control_id */
	assert_int_equal(get_le16((uint8_t *)ev[2].host + 6), 1);	/* mask: VALUE */
	/* The guest reads the new value. */
	{
		uint8_t req[8];

		sndt_ctl(req, VIRTIO_SND_R_CTL_READ, 2);
		assert_int_equal(request(&f->g, req, 8), VIRTIO_SND_S_OK);
		assert_int_equal(get_le32(resp.data), 33);
	}
	finish(f);
}

static void null_backend_runs_on_a_real_clock(void **state)
{
	struct fixture *f = start(NULL, true);
	struct io_msg tx[3], rx[3];

	(void)state;
	configure(&f->g, 0, true);
	configure(&f->g, 1, true);
	for (int i = 0; i < 3; i++) {
		send_io(&f->g, &tx[i], VSND_VQ_TX, 0, PERIOD, 8);
		send_io(&f->g, &rx[i], VSND_VQ_RX, 1, PERIOD, 8);
	}
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_START, 0), VIRTIO_SND_S_OK);
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_START, 1), VIRTIO_SND_S_OK);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &tx[i]), 8);
		assert_int_equal(io_status(&tx[i]), VIRTIO_SND_S_OK);
		assert_int_equal(reap_io(&f->g, VSND_VQ_RX, &rx[i]), 8 + PERIOD);
		assert_int_equal(((uint8_t *)rx[i].data.host)[0], 0);
	}
	/* Messages still queued when the stream is released come back before the reply. */
	send_io(&f->g, &tx[0], VSND_VQ_TX, 0, PERIOD, 8);
	send_io(&f->g, &tx[1], VSND_VQ_TX, 0, PERIOD, 8);
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_STOP, 0), VIRTIO_SND_S_OK);
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_RELEASE, 0), VIRTIO_SND_S_OK);
	assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &tx[0]), 8);
	assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &tx[1]), 8);
	finish(f);
}

static void second_guest_is_unaffected_by_a_hostile_first(void **state)
{
	struct fixture *f = start(NULL, false);
	struct sndt_guest bad;
	struct io_msg m[4];
	uint8_t req[8 + 512] = { 0 };
	struct vring_drv *q;
	int ret;

	(void)state;
	sndt_guest_connect(&bad, f->srv, true, 64);
	/* The hostile guest: its own volume, garbage requests, illegal transitions, I/O on
	 * the wrong queue... */
	sndt_ctl(req, VIRTIO_SND_R_CTL_WRITE, 0);
	put_le32(req + 8, 1);
	put_le32(req + 12, 1);
	assert_int_equal(request(&bad, req, sizeof(req)), VIRTIO_SND_S_OK);
	for (int i = 0; i < 50; i++) {
		memset(req, i * 37, 64);
		request(&bad, req, (size_t)(i % 24));
	}
	assert_int_equal(pcm(&bad, VIRTIO_SND_R_PCM_START, 0), VIRTIO_SND_S_BAD_MSG);
	configure(&bad, 1, true);
	send_io(&bad, &m[0], VSND_VQ_TX, 1, PERIOD, 8);
	assert_int_equal(reap_io(&bad, VSND_VQ_TX, &m[0]), 8);

	/* The good guest plays and sees its own controls. */
	configure(&f->g, 0, true);
	send_io(&f->g, &m[1], VSND_VQ_TX, 0, PERIOD, 8);
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_START, 0), VIRTIO_SND_S_OK);
	assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &m[1]), 8);
	assert_int_equal(io_status(&m[1]), VIRTIO_SND_S_OK);
	sndt_ctl(req, VIRTIO_SND_R_CTL_READ, 0);
	assert_int_equal(request(&f->g, req, 8), VIRTIO_SND_S_OK);
	assert_int_equal(get_le32(resp.data), 64);

	/* The hostile guest breaks its control ring (a descriptor pointing outside its
	 * memory): it is dropped. */
	q = vu_front_queue(bad.fe, VSND_VQ_CONTROL);
	{
		struct vring_buf out = { bad.ctl_req.gpa, 16 }, in = { bad.ctl_resp.gpa, 16 };
		int head = vu_front_queue_add(bad.fe, VSND_VQ_CONTROL, &out, 1, &in, 1, &bad);

		assert_true(head >= 0);
		q->desc[head].addr = cpu_to_le64(1ull << 50);
	}
	vu_front_queue_kick(bad.fe, VSND_VQ_CONTROL);
	/* A call signal left from earlier replies may come first: the chain is never used. */
	while ((ret = vu_front_queue_wait(bad.fe, VSND_VQ_CONTROL, WAIT_MS)) == 1)
		assert_null(vu_front_queue_get_used(bad.fe, VSND_VQ_CONTROL, &(uint32_t){ 0 }));
	assert_int_equal(ret, -ECONNRESET);

	/* The good guest goes on. */
	send_io(&f->g, &m[2], VSND_VQ_TX, 0, PERIOD, 8);
	assert_int_equal(reap_io(&f->g, VSND_VQ_TX, &m[2]), 8);
	assert_int_equal(io_status(&m[2]), VIRTIO_SND_S_OK);
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_STOP, 0), VIRTIO_SND_S_OK);
	assert_int_equal(pcm(&f->g, VIRTIO_SND_R_PCM_RELEASE, 0), VIRTIO_SND_S_OK);
	sndt_guest_close(&bad);
	finish(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(guest_reads_the_card_through_config_and_control_queue),
		cmocka_unit_test(request_flood_is_answered_in_order),
		cmocka_unit_test(bad_io_messages_are_refused_with_the_right_status),
		cmocka_unit_test(null_backend_plays_and_records_silence_in_place),
		cmocka_unit_test(release_waits_for_pending_io),
		cmocka_unit_test(set_params_and_prepare_wait_for_io_to_come_back),
		cmocka_unit_test(stopping_a_queue_cancels_its_io_in_the_backend),
		cmocka_unit_test(events_reach_the_event_queue),
		cmocka_unit_test(null_backend_runs_on_a_real_clock),
		cmocka_unit_test(second_guest_is_unaffected_by_a_hostile_first),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
