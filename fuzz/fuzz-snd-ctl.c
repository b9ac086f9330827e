// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the sound device's control queue handler.
 *
 * The cards are built once from real topologies: the project's `stereo`, `multi` and
 * `voice`, compiled by the build into <build>/topology/ (found from $VADSP_TOPOLOGY_DIR, or
 * next to this program: ../topology/), plus the empty card. An input is:
 *   byte 0        bits 0-1 the card (stereo, multi, voice, empty), bit 2 VIRTIO_SND_F_CTLS
 *                 negotiated, bit 3 queue mode (below)
 *   then records  {le16 response buffer size, le16 request size, request bytes}
 * and runs on a fresh card (null backend without a clock), so a sequence of requests can
 * walk the PCM state machine and the control values. Each request and response buffer is
 * allocated at exactly its size, so a read or write past either is an ASan report. After
 * each request: the used length is 0 for a buffer shorter than the status, otherwise at
 * least the status and at most the buffer; the status is one of the four; an error status
 * comes with nothing but itself; and every stream is in a valid state.
 *
 * Queue mode (bit 3) drives the same card through its four virtqueues, as a driver does:
 * split rings of 64 entries in one region of guest memory, the driver side in this
 * process (vring_drv), the card serving the device side on each kick. Records are
 *   {u8 0, le16 response size, u8 pieces, le16 request size, request bytes}
 *           a control request, its response buffer in 1 + pieces % 4 writable pieces;
 *   {u8 1, u8 flags, u8 stream, le16 audio bytes, u8 status bytes}
 *           an I/O message: flags bit 0 rxq (else txq), bit 1 stream id 0xffffffff, bit 2
 *           no header; {le32 stream} readable, the audio (readable on txq, writable on
 *           rxq), then status % 16 writable bytes;
 *   {u8 2, u8 size}  an event queue buffer of size % 16 bytes;
 *   {u8 3, u8 jack, u8 connected}  a jack's host connection point comes or goes;
 *   {u8 4, u8 queue}  queue % 4 stops and starts again where it was (its I/O is cancelled,
 *                     a held reply dropped); queue 4..255: a device reset
 * so that RELEASE waits for I/O in flight, SET_PARAMS and PREPARE meet pending messages,
 * I/O meets every stream state, and events wait for buffers. After every record each
 * completion is checked: control replies in order, used length within the buffer (0 below
 * the status, nothing written then), a valid status alone on errors; I/O used length 0
 * below 8 writable bytes, else 8 (playback) or 8 plus at most the audio (capture) with a
 * valid status; events 0 or 8 bytes with a known code. The card must never fail the
 * connection: every chain the target builds is well formed.
 *
 * Seeds (fuzz/corpus/snd-ctl/): what a Linux guest sends at probe (every info query,
 * enum items), a playback and a capture stream's life cycle, control reads, writes and TLV
 * requests, and illegal transitions; written by fuzz/corpus/snd-ctl/make-seeds.py.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snd/card.h"
#include "snd/ctl-msg.h"
#include "snd/virtio-snd.h"
#include "util/le.h"
#include "util/log.h"
#include "virtio/vring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "invariant failed: %s\n", #cond); \
			abort(); \
		} \
	} while (0)

static const char *const names[] = { "stereo", "multi", "voice" };
static struct vsnd_card_desc *descs[4];

static void load_cards(void)
{
	const char *env = getenv("VADSP_TOPOLOGY_DIR");
	char dir[PATH_MAX], exe[PATH_MAX];

	if (env) {
		snprintf(dir, sizeof(dir), "%s", env);
	} else {
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		CHECK(n > 0);
		exe[n] = '\0';
		snprintf(dir, sizeof(dir), "%s/../topology", dirname(exe));
	}
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(names); i++) {
		char path[PATH_MAX + 32], err[600];

		snprintf(path, sizeof(path), "%s/%s.tplg", dir, names[i]);
		if (vsnd_card_desc_load(path, &descs[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "fuzz-snd-ctl: %s (set VADSP_TOPOLOGY_DIR)\n", err);
			abort();
		}
	}
	descs[3] = (struct vsnd_card_desc *)&vsnd_card_desc_empty;
	vadsp_log_set_level(VADSP_LOG_ERROR);
}

static void check_response(const struct vsnd_card *card, const uint8_t *resp, size_t resp_len,
			   int used)
{
	uint32_t status;

	CHECK(used != -EINPROGRESS);	/* nothing is in flight without queues */
	CHECK(used >= 0 && (size_t)used <= resp_len);
	if (resp_len < sizeof(struct vsnd_hdr)) {
		CHECK(used == 0);
		return;
	}
	CHECK((size_t)used >= sizeof(struct vsnd_hdr));
	status = get_le32(resp);
	CHECK(status >= VIRTIO_SND_S_OK && status <= VIRTIO_SND_S_IO_ERR);
	if (status != VIRTIO_SND_S_OK)
		CHECK(used == sizeof(struct vsnd_hdr));
	for (uint32_t i = 0; i < card->desc->num_streams; i++)
		CHECK(card->streams[i].state < VSND_PCM_STATE_COUNT);
}

/* ---------------------------------------------------------------------------------------- */
/* Queue mode                                                                                */

#define QSIZE		64u
#define MEM_SIZE	(512u << 10)
#define RING_AREA	(16u << 10)		/* the four rings, then buffers */
#define MAX_CHAINS	4096u
#define FILL		0xa5

/* What the target remembers of a chain it made available. */
struct chain {
	unsigned int queue;
	uint32_t seq;			/* control: order of submission */
	uint32_t room;			/* writable bytes */
	uint64_t resp;			/* offset of the first writable byte (one block) */
	uint32_t audio;			/* I/O: audio bytes */
};

struct qfuzz {
	uint8_t *mem;
	struct vring_mem map;
	struct vring_drv drv[VSND_VQ_NUM];
	struct vring dev[VSND_VQ_NUM];
	bool running[VSND_VQ_NUM];
	struct vsnd_card *card;
	struct chain chains[MAX_CHAINS];
	unsigned int nchains;
	uint64_t next;			/* bump allocator in mem */
	uint32_t ctl_sent, ctl_done;
	bool ctl_dropped;		/* a control queue stop or reset may have dropped replies */
};

static struct qfuzz q;

static struct vring *q_queue(void *data, unsigned int idx)
{
	(void)data;
	return idx < VSND_VQ_NUM && q.running[idx] ? &q.dev[idx] : NULL;
}

static void q_notify(void *data, unsigned int idx)
{
	(void)data;
	(void)idx;
}

static void q_fail(void *data, const char *why)
{
	(void)data;
	fprintf(stderr, "the card failed a well-formed connection: %s\n", why);
	abort();
}

static const struct vsnd_card_host q_host = {
	.queue = q_queue,
	.notify = q_notify,
	.fail = q_fail,
};

static const uint64_t q_features = (1ull << 32) | (1ull << 29);	/* VERSION_1, EVENT_IDX */

static void q_dev_attach(unsigned int idx, uint16_t last_avail)
{
	struct vring_drv *d = &q.drv[idx];

	CHECK(vring_dev_init(&q.dev[idx], &q.map, QSIZE, q.mem + d->desc_gpa,
			     q.mem + d->avail_gpa, q.mem + d->used_gpa, q_features,
			     last_avail) == 0);
	q.running[idx] = true;
}

static void q_setup(void)
{
	struct vring_mem_region r = { 0 };
	uint64_t ring = (vring_drv_ring_bytes(QSIZE) + 4095) & ~4095ull;

	if (!q.mem) {
		q.mem = aligned_alloc(4096, MEM_SIZE);
		CHECK(q.mem);
	}
	memset(q.mem, 0, RING_AREA);
	memset(&q.map, 0, sizeof(q.map));
	r.gpa = 0;
	r.size = MEM_SIZE;
	r.uva = (uint64_t)(uintptr_t)q.mem;
	r.host = q.mem;
	CHECK(vring_mem_add(&q.map, &r) == 0);
	CHECK(ring * VSND_VQ_NUM <= RING_AREA);
	for (unsigned int i = 0; i < VSND_VQ_NUM; i++) {
		CHECK(vring_drv_init(&q.drv[i], QSIZE, q.mem + i * ring, i * ring, q_features) == 0);
		q_dev_attach(i, 0);
	}
	q.nchains = 0;
	q.next = RING_AREA;
	q.ctl_sent = q.ctl_done = 0;
	q.ctl_dropped = false;
}

static void q_teardown(void)
{
	vsnd_card_free(q.card);
	q.card = NULL;
	for (unsigned int i = 0; i < VSND_VQ_NUM; i++) {
		vring_drv_fini(&q.drv[i]);
		q.running[i] = false;
	}
}

/* @len bytes of guest memory (16-byte aligned), or UINT64_MAX when it is used up. */
static uint64_t q_alloc(uint32_t len)
{
	uint64_t at = q.next;

	if (at + len > MEM_SIZE)
		return UINT64_MAX;
	q.next = (at + len + 15) & ~15ull;
	return at;
}

/* Check every completion the card has pushed. */
static void q_reap(void)
{
	for (unsigned int idx = 0; idx < VSND_VQ_NUM; idx++) {
		struct chain *c;
		uint32_t used;

		while ((c = vring_drv_get_used(&q.drv[idx], &used))) {
			const uint8_t *w = q.mem + c->resp;

			CHECK(c->queue == idx);
			CHECK(used <= c->room);
			if (idx == VSND_VQ_CONTROL) {
				/* Answered in order; a stop or reset drops a held reply. */
				CHECK(c->seq == q.ctl_done || (q.ctl_dropped && c->seq > q.ctl_done));
				q.ctl_done = c->seq + 1;
				if (c->room < 4) {
					CHECK(used == 0);
					for (uint32_t i = 0; i < c->room; i++)
						CHECK(w[i] == FILL);
					continue;
				}
				CHECK(used >= 4);
				CHECK(get_le32(w) >= VIRTIO_SND_S_OK &&
				      get_le32(w) <= VIRTIO_SND_S_IO_ERR);
				if (get_le32(w) != VIRTIO_SND_S_OK)
					CHECK(used == 4);
			} else if (idx == VSND_VQ_EVENT) {
				CHECK(used == (c->room >= 8 ? 8u : 0u));
				if (used) {
					uint32_t code = get_le32(w);

					CHECK(code == VIRTIO_SND_EVT_JACK_CONNECTED ||
					      code == VIRTIO_SND_EVT_JACK_DISCONNECTED ||
					      code == VIRTIO_SND_EVT_PCM_XRUN ||
					      code == VIRTIO_SND_EVT_CTL_NOTIFY);
				}
			} else if (c->room < 8) {
				CHECK(used == 0);
			} else {
				const uint8_t *st = w + c->room - 8;

				CHECK(get_le32(st) >= VIRTIO_SND_S_OK &&
				      get_le32(st) <= VIRTIO_SND_S_IO_ERR);
				if (idx == VSND_VQ_TX || get_le32(st) != VIRTIO_SND_S_OK)
					CHECK(used == 8);
				else
					CHECK(used >= 8);
			}
		}
	}
	for (uint32_t i = 0; i < q.card->desc->num_streams; i++)
		CHECK(q.card->streams[i].state < VSND_PCM_STATE_COUNT);
}

static struct chain *q_chain(unsigned int queue)
{
	struct chain *c;

	if (q.nchains == MAX_CHAINS)
		return NULL;
	c = &q.chains[q.nchains];
	memset(c, 0, sizeof(*c));
	c->queue = queue;
	return c;
}

/* Make @c available on its queue with the buffers given, and kick. */
static void q_submit(struct chain *c, const struct vring_buf *out, unsigned int nout,
		     const struct vring_buf *in, unsigned int nin)
{
	if (vring_drv_add(&q.drv[c->queue], out, nout, in, nin, c) < 0)
		return;		/* the ring is full (or the chain empty): the record is skipped */
	q.nchains++;
	if (c->queue == VSND_VQ_CONTROL)
		q.ctl_sent++;
	vring_drv_kick_prepare(&q.drv[c->queue]);
	vsnd_card_queue_kick(q.card, c->queue);
}

static size_t q_control(const uint8_t *p, size_t left)
{
	uint32_t room, len, pieces;
	struct vring_buf out[1], in[4];
	unsigned int nin = 0;
	struct chain *c;
	uint64_t req;

	if (left < 5)
		return left;
	room = get_le16(p) % 4200;
	pieces = 1 + p[2] % 4;
	len = (uint32_t)VADSP_MIN((size_t)get_le16(p + 3), left - 5);
	c = q_chain(VSND_VQ_CONTROL);
	req = q_alloc(len);
	if (c)
		c->resp = q_alloc(room);
	if (!c || req == UINT64_MAX || c->resp == UINT64_MAX)
		return 5 + len;
	memcpy(q.mem + req, p + 5, len);
	memset(q.mem + c->resp, FILL, room);
	c->room = room;
	c->seq = q.ctl_sent;
	out[0] = (struct vring_buf){ req, len };
	for (uint32_t i = 0, at = 0; i < pieces && room; i++) {
		uint32_t n = i + 1 < pieces ? room / pieces : room - at;

		in[nin++] = (struct vring_buf){ c->resp + at, n };
		at += n;
	}
	q_submit(c, out, len ? 1 : 0, in, nin);
	return 5 + len;
}

static size_t q_io(const uint8_t *p, size_t left)
{
	struct vring_buf out[2], in[2];
	unsigned int nout = 0, nin = 0;
	uint32_t audio, status;
	bool rx;
	struct chain *c;
	uint64_t hdr, buf;

	if (left < 5)
		return left;
	rx = p[0] & 1;
	audio = get_le16(p + 2) % 8200;
	status = p[4] % 16;
	c = q_chain(rx ? VSND_VQ_RX : VSND_VQ_TX);
	hdr = q_alloc(4);
	buf = q_alloc(audio + status);
	if (!c || hdr == UINT64_MAX || buf == UINT64_MAX)
		return 5;
	put_le32(q.mem + hdr, p[0] & 2 ? 0xffffffffu : p[1]);
	memset(q.mem + buf, FILL, audio + status);
	if (!(p[0] & 4))
		out[nout++] = (struct vring_buf){ hdr, 4 };
	if (audio) {
		if (rx)
			in[nin++] = (struct vring_buf){ buf, audio };
		else
			out[nout++] = (struct vring_buf){ buf, audio };
	}
	if (status)
		in[nin++] = (struct vring_buf){ buf + audio, status };
	c->audio = audio;
	c->room = (rx ? audio : 0) + status;
	c->resp = rx ? buf : buf + audio;
	q_submit(c, out, nout, in, nin);
	return 5;
}

static size_t q_event(const uint8_t *p, size_t left)
{
	struct vring_buf in[1];
	struct chain *c;

	if (left < 1)
		return left;
	c = q_chain(VSND_VQ_EVENT);
	if (!c)
		return 1;
	c->room = p[0] % 16;
	c->resp = q_alloc(c->room ? c->room : 1);
	if (c->resp == UINT64_MAX || !c->room)
		return 1;
	in[0] = (struct vring_buf){ c->resp, c->room };
	q_submit(c, NULL, 0, in, 1);
	return 1;
}

/* Queue @idx starts again where it stopped (what it held is forgotten). */
static void q_reattach(unsigned int idx)
{
	q.running[idx] = false;
	q_dev_attach(idx, q.dev[idx].last_avail_idx);
	CHECK(vsnd_card_queue_start(q.card, idx) == 0);
}

static void q_restart(unsigned int idx)
{
	q.ctl_dropped |= idx == VSND_VQ_CONTROL || idx >= VSND_VQ_NUM;
	if (idx >= VSND_VQ_NUM) {
		bool ctls = q.card->controls_negotiated;

		/* A device reset, then the driver sets the queues up again (as after a
		 * vhost-user RESET_DEVICE). */
		vsnd_card_reset(q.card);
		q.card->controls_negotiated = ctls;
		for (unsigned int i = 0; i < VSND_VQ_NUM; i++)
			q_reattach(i);
		return;
	}
	/* The card forgets what it holds: the driver's chains it took never come back. */
	vsnd_card_queue_stop(q.card, idx);
	q_reattach(idx);
}

static void run_queues(const uint8_t *data, size_t size, const struct vsnd_card_desc *desc,
		       bool ctls)
{
	struct vsnd_card_config cfg = { .desc = desc, .host = &q_host };
	size_t off = 1;

	q_setup();
	CHECK(vsnd_card_new(&q.card, &cfg) == 0);
	q.card->controls_negotiated = ctls;
	for (unsigned int i = 0; i < VSND_VQ_NUM; i++)
		CHECK(vsnd_card_queue_start(q.card, i) == 0);
	while (off < size) {
		const uint8_t *p = data + off + 1;
		size_t left = size - off - 1;

		switch (data[off] % 5) {
		case 0:
			off += 1 + q_control(p, left);
			break;
		case 1:
			off += 1 + q_io(p, left);
			break;
		case 2:
			off += 1 + q_event(p, left);
			break;
		case 3:
			if (left >= 2 && desc->num_jacks)
				vsnd_card_jack_set(q.card, p[0] % desc->num_jacks, p[1] & 1);
			off += 1 + VADSP_MIN(left, (size_t)2);
			break;
		default:
			if (left >= 1)
				q_restart(p[0] % 8 < VSND_VQ_NUM ? p[0] % 8 : VSND_VQ_NUM);
			off += 1 + VADSP_MIN(left, (size_t)1);
			break;
		}
		q_reap();
	}
	q_teardown();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsnd_card_config cfg = { 0 };
	struct vsnd_card *card = NULL;
	size_t off = 1;

	if (!descs[0])
		load_cards();
	if (size < 1)
		return 0;
	if (data[0] & 8) {
		run_queues(data, size, descs[data[0] & 3], data[0] & 4);
		return 0;
	}
	cfg.desc = descs[data[0] & 3];
	CHECK(vsnd_card_new(&card, &cfg) == 0);
	card->controls_negotiated = data[0] & 4;
	while (size - off >= 4) {
		size_t resp_len = get_le16(data + off);
		size_t req_len = VADSP_MIN((size_t)get_le16(data + off + 2), size - off - 4);
		uint8_t *req = malloc(req_len ? req_len : 1);
		uint8_t *resp = malloc(resp_len ? resp_len : 1);
		int used;

		CHECK(req && resp);
		memcpy(req, data + off + 4, req_len);
		used = vsnd_ctl_handle(card, req, req_len, resp, resp_len);
		check_response(card, resp, resp_len, used);
		free(req);
		free(resp);
		off += 4 + req_len;
	}
	vsnd_card_free(card);
	return 0;
}
