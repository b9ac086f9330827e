// SPDX-License-Identifier: MIT
/*
 * The sound device's part of the SOF IPC3 extension (src/snd/sof.c), on a card of
 * topology/stereo.tplg without a transport and with a recording stream backend: the card
 * reads empty once the extension is on, the IPC request's framing statuses (docs/protocol.md
 * 4.2) and the backend's reply carried, notifications queued and coalesced (4.8), extension
 * stream ids, and the end of a session on a device reset and on a stop of the control queue.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipc/ipc3.h"
#include "ipc/vfe.h"
#include "snd/card.h"
#include "snd/ctl-msg.h"
#include "snd/virtio-snd.h"
#include "test-snd-util.h"
#include "util/le.h"

/* What the backend saw. */
struct seen {
	unsigned int enables;
	bool last_on;
	unsigned int ipcs;
	uint32_t last_len;
	int fail;		/* sof_ipc returns this when non-zero */
	unsigned int releases;
};

struct fake {
	struct seen *seen;
	struct vsnd_card *card;
};

static int fake_open(struct vsnd_backend **out, const struct vsnd_backend_config *cfg)
{
	struct fake *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	f->seen = cfg->data;
	f->card = cfg->card;
	*out = (struct vsnd_backend *)f;
	return 0;
}

static void fake_close(struct vsnd_backend *b)
{
	free(b);
}

static int fake_enable(struct vsnd_backend *b, bool on)
{
	struct fake *f = (struct fake *)b;

	f->seen->enables++;
	f->seen->last_on = on;
	return 0;
}

static void posn(uint8_t *msg, uint32_t cmd, uint32_t comp, uint64_t bytes);

/*
 * A reply of 12 + 4 bytes: error 0 and the request's command word after the header. A
 * STREAM_POSITION request also has a position notification of its component sent.
 */
static int fake_ipc(struct vsnd_backend *b, const uint8_t *req, size_t len, uint8_t *reply,
		    size_t cap)
{
	struct fake *f = (struct fake *)b;

	assert_true(cap >= IPC3_MSG_MAX_SIZE);
	assert_int_equal(get_le32(req), len);
	f->seen->ipcs++;
	f->seen->last_len = (uint32_t)len;
	if (f->seen->fail)
		return f->seen->fail;
	put_le32(reply, 16);
	put_le32(reply + 4, IPC3_REPLY);
	put_le32(reply + 8, 0);
	put_le32(reply + 12, get_le32(req + 4));
	if (get_le32(req + 4) == IPC3_STREAM_POSITION && len >= 12) {
		uint8_t msg[76];

		posn(msg, IPC3_STREAM_POSITION, get_le32(req + 8), f->seen->ipcs);
		vsnd_sof_notify(f->card, msg, sizeof(msg), true);
	}
	return 16;
}

static int fake_release(struct vsnd_backend *b, uint32_t stream)
{
	struct fake *f = (struct fake *)b;

	assert_int_equal(stream, 0);
	f->seen->releases++;
	return 0;
}

static const struct vsnd_backend_ops fake_ops = {
	.release = fake_release,
	.name = "fake",
	.open = fake_open,
	.close = fake_close,
	.sof_enable = fake_enable,
	.sof_ipc = fake_ipc,
};

struct fix {
	struct vsnd_card_desc *desc;
	struct vsnd_card *card;
	struct seen seen;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->desc = sndt_desc("stereo");
	f->card = sndt_card(f->desc, &fake_ops, &f->seen, false);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	vsnd_card_free(f->card);
	vsnd_card_desc_free(f->desc);
	free(f);
	return 0;
}

/* {0x0f00; message of @size bytes with hdr.size @hdr_size}, @room bytes of response. */
static uint32_t ipc_req(struct fix *f, uint32_t size, uint32_t hdr_size, size_t room,
			struct sndt_resp *resp)
{
	uint8_t req[4 + 512] = { 0 };

	put_le32(req, VADSP_SND_R_SOF_IPC);
	put_le32(req + 4, hdr_size);
	put_le32(req + 8, IPC3_TPLG_VFE_COMP_ID);
	return sndt_call(f->card, req, 4 + size, room, resp);
}

static void extension_card_reads_empty_and_carries_ipc(void **state)
{
	struct fix *f = *state;
	struct sndt_resp r;
	struct vsnd_config cfg;
	uint8_t q[64];

	/* Without the extension: S_NOT_SUPP, the plain card, whose stream 0 gets prepared. */
	assert_int_equal(sndt_call(f->card, q, sndt_set_params(q, 0, 4 * 1920, 1920, 2,
							       VIRTIO_SND_PCM_FMT_S16,
							       VIRTIO_SND_PCM_RATE_48000, 0),
				   4, &r), VIRTIO_SND_S_OK);
	assert_int_equal(sndt_call(f->card, q, sndt_pcm(q, VIRTIO_SND_R_PCM_PREPARE, 0), 4, &r),
			 VIRTIO_SND_S_OK);
	assert_int_equal(ipc_req(f, 8, 8, 4 + 384, &r), VIRTIO_SND_S_NOT_SUPP);
	assert_int_equal(r.used, 4);
	vsnd_card_config_space(f->card, &cfg);
	assert_int_equal(le32_to_cpu(cfg.streams), 2);
	assert_int_equal(f->seen.ipcs, 0);

	assert_int_equal(vsnd_sof_set(f->card, true), 0);
	assert_int_equal(f->seen.enables, 1);
	assert_true(f->seen.last_on);
	/* The card's prepared stream was released first, while its id still named it. */
	assert_int_equal(f->seen.releases, 1);
	assert_int_equal(f->card->streams[0].state, VSND_PCM_NONE);
	vsnd_card_config_space(f->card, &cfg);
	assert_int_equal(cfg.jacks | cfg.streams | cfg.chmaps | cfg.controls, 0);
	assert_int_equal(sndt_call(f->card, q, sndt_query(q, VIRTIO_SND_R_PCM_INFO, 0, 1,
							  sizeof(struct vsnd_pcm_info)),
				   1024, &r), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(sndt_call(f->card, q, sndt_pcm(q, VIRTIO_SND_R_PCM_PREPARE, 0), 1024,
				   &r), VIRTIO_SND_S_BAD_MSG);

	/* Framing (4.2): each S_BAD_MSG, used length 4, nothing executed. */
	assert_int_equal(ipc_req(f, 7, 7, 4 + 384, &r), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(r.used, 4);
	assert_int_equal(ipc_req(f, 8, 12, 4 + 384, &r), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(ipc_req(f, 12, 8, 4 + 384, &r), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(ipc_req(f, 388, 388, 4 + 384, &r), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(ipc_req(f, 8, 8, 4 + 383, &r), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(r.used, 4);
	assert_int_equal(f->seen.ipcs, 0);
	/* Carried: S_OK, used length 4 + the reply's hdr.size. */
	assert_int_equal(ipc_req(f, 8, 8, 4 + 384, &r), VIRTIO_SND_S_OK);
	assert_int_equal(r.used, 4 + 16);
	assert_int_equal(get_le32(r.data), 16);
	assert_int_equal(get_le32(r.data + 12), IPC3_TPLG_VFE_COMP_ID);
	assert_int_equal(ipc_req(f, 384, 384, 4 + 384, &r), VIRTIO_SND_S_OK);
	assert_int_equal(f->seen.last_len, 384);
	/* A backend that cannot answer: S_IO_ERR. */
	f->seen.fail = -ENOMEM;
	assert_int_equal(ipc_req(f, 8, 8, 4 + 384, &r), VIRTIO_SND_S_IO_ERR);
	assert_int_equal(r.used, 4);
}

static void posn(uint8_t *msg, uint32_t cmd, uint32_t comp, uint64_t bytes)
{
	memset(msg, 0, 76);
	put_le32(msg, 76);
	put_le32(msg + 4, cmd | comp);
	put_le32(msg + 12, comp);
	put_le64(msg + 28, bytes);
}

static void notifications_coalesce_positions_and_drop_beyond_64(void **state)
{
	struct fix *f = *state;
	struct vsnd_card *c = f->card;
	uint8_t msg[76];

	posn(msg, IPC3_STREAM_POSITION, 1000, 1);
	vsnd_sof_notify(c, msg, sizeof(msg), true);
	assert_int_equal(c->num_events, 0);		/* no extension: ignored */
	assert_int_equal(vsnd_sof_set(c, true), 0);
	vsnd_sof_notify(c, msg, sizeof(msg), true);
	posn(msg, IPC3_STREAM_POSITION, 1010, 5);
	vsnd_sof_notify(c, msg, sizeof(msg), true);
	posn(msg, IPC3_STREAM_POSITION, 1000, 2);
	vsnd_sof_notify(c, msg, sizeof(msg), true);	/* replaces 1000's, keeps its place */
	posn(msg, IPC3_STREAM_TRIG_XRUN, 1000, 3);
	vsnd_sof_notify(c, msg, sizeof(msg), false);
	vsnd_sof_notify(c, msg, sizeof(msg), false);	/* an xrun is never replaced */
	assert_int_equal(c->num_events, 4);
	assert_int_equal(c->events[0].code, VADSP_SND_EVT_SOF_IPC);
	assert_int_equal(c->events[0].size, 76);
	assert_int_equal(get_le32(c->events[0].msg + 4), IPC3_STREAM_POSITION | 1000);
	assert_int_equal(get_le64(c->events[0].msg + 28), 2);
	assert_int_equal(get_le32(c->events[1].msg + 4), IPC3_STREAM_POSITION | 1010);
	assert_int_equal(get_le32(c->events[2].msg + 4), IPC3_STREAM_TRIG_XRUN | 1000);
	/* Sizes outside 8..384 are not notifications. */
	vsnd_sof_notify(c, msg, 4, false);
	vsnd_sof_notify(c, msg, 385, false);
	assert_int_equal(c->num_events, 4);
	for (uint32_t i = 0; i < 100; i++) {
		posn(msg, IPC3_STREAM_TRIG_XRUN, 1100 + i, i);
		vsnd_sof_notify(c, msg, sizeof(msg), false);
	}
	assert_int_equal(c->num_events, VSND_EVENT_QUEUE);
	assert_int_equal(c->events_dropped, 4 + 100 - VSND_EVENT_QUEUE);
	/* A device reset drops what waits. */
	vsnd_card_reset(c);
	assert_int_equal(c->num_events, 0);
}

static void reset_and_control_queue_stop_end_the_session(void **state)
{
	struct fix *f = *state;
	struct vsnd_card *c = f->card;
	uint8_t msg[76];

	assert_int_equal(vsnd_sof_set(c, true), 0);
	assert_int_equal(vsnd_sof_stream_set(c, 3, VIRTIO_SND_D_OUTPUT, 4), 0);
	posn(msg, IPC3_STREAM_POSITION, 1000, 1);
	vsnd_sof_notify(c, msg, sizeof(msg), true);
	/* The control queue stops: the session ends for good, the extension stays. */
	vsnd_card_queue_stop(c, VSND_VQ_CONTROL);
	assert_int_equal(f->seen.enables, 2);
	assert_true(f->seen.last_on);
	assert_true(c->sof);
	/* A device reset: the extension is forgotten with the session and its notifications. */
	vsnd_card_reset(c);
	assert_int_equal(f->seen.enables, 3);
	assert_false(f->seen.last_on);
	assert_false(c->sof);
	assert_int_equal(c->num_events, 0);
	assert_int_equal(c->sof_streams[3].state, VSND_PCM_NONE);
	/* Without the extension a reset tells the backend nothing. */
	vsnd_card_reset(c);
	assert_int_equal(f->seen.enables, 3);
}

static void extension_stream_ids_are_checked(void **state)
{
	struct fix *f = *state;
	struct vsnd_card *c = f->card;

	assert_int_equal(vsnd_sof_stream_set(c, 0, VIRTIO_SND_D_OUTPUT, 4), -EINVAL);
	assert_int_equal(vsnd_sof_set(c, true), 0);
	assert_int_equal(vsnd_sof_stream_set(c, VSND_SOF_STREAMS, VIRTIO_SND_D_OUTPUT, 4),
			 -EINVAL);
	assert_int_equal(vsnd_sof_stream_set(c, 0, 7, 4), -EINVAL);
	assert_int_equal(vsnd_sof_stream_set(c, 0, VIRTIO_SND_D_INPUT, 0), -EINVAL);
	assert_int_equal(vsnd_sof_stream_set(c, 15, VIRTIO_SND_D_INPUT, 8), 0);
	assert_int_equal(vsnd_io_streams(c), VSND_SOF_STREAMS);
	assert_int_equal(vsnd_io_dir(c, 15), VIRTIO_SND_D_INPUT);
	assert_int_equal(vsnd_io_stream(c, 15)->state, VSND_PCM_PREPARE);
	assert_int_equal(vsnd_io_stream(c, 15)->params.frame_bytes, 8);
	vsnd_sof_stream_clear(c, 15);
	assert_int_equal(vsnd_io_stream(c, 15)->state, VSND_PCM_NONE);
	assert_int_equal(vsnd_sof_set(c, false), 0);
	assert_int_equal(vsnd_io_streams(c), 2);	/* the card's own again */
}

/* Through the queues: a notification meets an event buffer too short for it (used length 0,
 * dropped), then one of 8 + 384 bytes ({code, size, msg}, used length 8 + size). */
static void notifications_on_the_event_queue(void **state)
{
	struct vsnd_options o = { .backend = &fake_ops };
	uint64_t want = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_EVENT_IDX |
			1ull << VADSP_SND_F_SOF_IPC3;
	struct sndt_server *srv;
	struct sndt_guest g;
	struct sndt_resp r;
	struct vu_front_buf small, big;
	struct vring_buf b;
	struct seen seen = { 0 };
	uint8_t req[4 + 12];
	uint32_t used;
	void *tok;

	(void)state;
	o.desc = sndt_desc("stereo");
	o.sof = true;
	o.backend_data = &seen;
	srv = sndt_server_start(&o, false);
	memset(&g, 0, sizeof(g));
	assert_int_equal(vu_front_connect(&g.fe, sndt_server_path(srv)), 0);
	assert_int_equal(vu_front_negotiate(g.fe, want, VU_FRONT_DEFAULT_PROTOCOL_FEATURES), 0);
	assert_int_equal(vu_front_mem_create(g.fe, 4u << 20, 1), 0);
	for (unsigned int q = 0; q < VSND_VQ_NUM; q++)
		assert_int_equal(vu_front_queue_start(g.fe, q, 64), 0);
	g.ctl_req = sndt_guest_alloc(&g, VSND_CTL_REQ_MAX);
	g.ctl_resp = sndt_guest_alloc(&g, VSND_CTL_RESP_MAX);
	small = sndt_guest_alloc(&g, 8 + 75);
	big = sndt_guest_alloc(&g, VADSP_SND_EVT_SOF_IPC_MIN);

	put_le32(req, VADSP_SND_R_SOF_IPC);
	put_le32(req + 4, 12);
	put_le32(req + 8, IPC3_STREAM_POSITION);
	put_le32(req + 12, 1000);
	b = (struct vring_buf){ small.gpa, (uint32_t)small.len };
	assert_int_equal(vu_front_queue_add(g.fe, VSND_VQ_EVENT, NULL, 0, &b, 1, &small), 0);
	assert_true(vu_front_queue_kick(g.fe, VSND_VQ_EVENT) >= 0);
	assert_int_equal(sndt_guest_request(&g, req, sizeof(req), 4 + 384, &r), VIRTIO_SND_S_OK);
	assert_int_equal(r.used, 4 + 16);
	tok = sndt_guest_reap(&g, VSND_VQ_EVENT, &used, 5000);
	assert_ptr_equal(tok, &small);
	assert_int_equal(used, 0);
	/* Dropped: a big buffer gets nothing until the next notification. */
	b = (struct vring_buf){ big.gpa, (uint32_t)big.len };
	assert_int_equal(vu_front_queue_add(g.fe, VSND_VQ_EVENT, NULL, 0, &b, 1, &big), 0);
	assert_true(vu_front_queue_kick(g.fe, VSND_VQ_EVENT) >= 0);
	assert_null(sndt_guest_reap(&g, VSND_VQ_EVENT, &used, 100));
	put_le32(req + 12, 1010);
	assert_int_equal(sndt_guest_request(&g, req, sizeof(req), 4 + 384, &r), VIRTIO_SND_S_OK);
	tok = sndt_guest_reap(&g, VSND_VQ_EVENT, &used, 5000);
	assert_ptr_equal(tok, &big);
	assert_int_equal(used, 8 + 76);
	assert_int_equal(get_le32(big.host), VADSP_SND_EVT_SOF_IPC);
	assert_int_equal(get_le32((uint8_t *)big.host + 4), 76);
	assert_int_equal(get_le32((uint8_t *)big.host + 8), 76);
	assert_int_equal(get_le32((uint8_t *)big.host + 12), IPC3_STREAM_POSITION | 1010);
	assert_int_equal(get_le32((uint8_t *)big.host + 8 + 12), 1010);
	sndt_guest_close(&g);
	sndt_server_stop(srv);
	vsnd_card_desc_free(o.desc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(extension_card_reads_empty_and_carries_ipc, setup,
						teardown),
		cmocka_unit_test_setup_teardown(notifications_coalesce_positions_and_drop_beyond_64,
						setup, teardown),
		cmocka_unit_test_setup_teardown(reset_and_control_queue_stop_end_the_session, setup,
						teardown),
		cmocka_unit_test_setup_teardown(extension_stream_ids_are_checked, setup, teardown),
		cmocka_unit_test(notifications_on_the_event_queue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
