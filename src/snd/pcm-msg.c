// SPDX-License-Identifier: MIT
/*
 * I/O messages on the tx and rx queues.
 *
 * A message is a device-readable struct vsnd_pcm_xfer {le32 stream_id}, the audio
 * (device-readable on txq, device-writable on rxq), then a device-writable struct
 * vsnd_pcm_status {le32 status, le32 latency_bytes} in its last 8 bytes. What the device
 * accepts, in the order it checks:
 *   - the writable part is shorter than the status: nothing can be reported, the chain is
 *     returned at once with used length 0;
 *   - the readable part is shorter than the xfer header, the stream id is out of range, the
 *     stream's direction is not the queue's (a playback stream on rxq, a capture stream on
 *     txq), a txq message whose writable part is more than the status, an rxq message whose
 *     readable part is more than the xfer header, no audio, or audio that is not a whole
 *     number of frames of the stream's parameters: completed at once with S_BAD_MSG (the
 *     message itself is malformed or misaddressed);
 *   - the stream is not in PREPARE, START or STOP state (no parameters, parameters not yet
 *     prepared, or released): completed at once with S_IO_ERR (the message is well formed
 *     but the stream cannot transfer);
 *   - otherwise the message goes to the backend, its audio as a view of guest memory
 *     (struct vsnd_pcm_io), until the backend gives it back (vsnd_pcm_io_done()).
 * Messages completed at once have used length 8 (no audio recorded).
 *
 * Each stream times its driver: from a completion to the driver's next message for the
 * stream (struct vsnd_stream's answers).
 *
 * Each queue has a pool of messages, one per ring entry, allocated when the queue starts:
 * a ring never has more chains in flight than entries, so taking a message never fails
 * and nothing is allocated per message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "snd/card.h"
#include "snd/ctl-msg.h"
#include "snd/virtio-snd.h"
#include "util/le.h"
#include "util/log.h"
#include "util/time.h"

#define LOG "snd"

/* An 8-byte status cannot span more segments than it has bytes (empty ones are skipped). */
#define STATUS_SEGS	sizeof(struct vsnd_pcm_status)

struct vsnd_io_msg {
	struct vsnd_pcm_io io;		/* what the backend holds */
	uint16_t head;
	uint8_t queue;
	bool busy;
	struct vsnd_io_msg *next_free;
	unsigned int nstatus;
	struct iovec status[STATUS_SEGS];
	struct iovec data[VRING_CHAIN_MAX_SEGS];
};

static struct vsnd_io_pool *pool_of(struct vsnd_card *card, unsigned int idx)
{
	return &card->io[idx == VSND_VQ_TX ? 0 : 1];
}

int vsnd_pcm_msg_pool_init(struct vsnd_card *card, unsigned int idx, unsigned int num)
{
	struct vsnd_io_pool *pool = pool_of(card, idx);

	if (pool->msgs)
		vsnd_pcm_msg_cancel(card, idx);
	pool->msgs = calloc(num, sizeof(*pool->msgs));
	if (!pool->msgs)
		return -ENOMEM;
	pool->num = num;
	pool->free = NULL;
	for (unsigned int i = num; i-- > 0;) {
		pool->msgs[i].next_free = pool->free;
		pool->free = &pool->msgs[i];
	}
	pool->in_use = 0;
	pool->cancelling = false;
	return 0;
}

static struct vsnd_io_msg *msg_get(struct vsnd_io_pool *pool)
{
	struct vsnd_io_msg *m = pool->free;

	if (!m)
		return NULL;
	pool->free = m->next_free;
	m->busy = true;
	pool->in_use++;
	return m;
}

static void msg_put(struct vsnd_io_pool *pool, struct vsnd_io_msg *m)
{
	m->busy = false;
	m->next_free = pool->free;
	pool->free = m;
	pool->in_use--;
}

/*
 * Describe bytes [@off, @off + @len) of the segments @seg[0..@n) in @out (at most @max
 * entries). Return the number of entries used; the caller has checked that the bytes
 * exist, and a chain never has more than VRING_CHAIN_MAX_SEGS segments.
 */
static unsigned int slice(const struct iovec *seg, unsigned int n, size_t off, size_t len,
			  struct iovec *out, unsigned int max)
{
	unsigned int k = 0;

	for (unsigned int i = 0; i < n && len && k < max; i++) {
		size_t l = seg[i].iov_len;

		if (off >= l) {
			off -= l;
			continue;
		}
		out[k].iov_base = (uint8_t *)seg[i].iov_base + off;
		out[k].iov_len = VADSP_MIN(l - off, len);
		len -= out[k].iov_len;
		off = 0;
		k++;
	}
	return k;
}

/* Write the status and return the message to the driver. */
static void complete(struct vsnd_card *card, struct vring *vq, struct vsnd_io_msg *m, int err,
		     uint32_t bytes, uint32_t latency)
{
	uint8_t st[sizeof(struct vsnd_pcm_status)];
	uint32_t used = sizeof(st);
	size_t off = 0;

	put_le32(st, vsnd_status_from_errno(err));
	put_le32(st + 4, latency);
	for (unsigned int i = 0; i < m->nstatus; i++) {
		memcpy(m->status[i].iov_base, st + off, m->status[i].iov_len);
		off += m->status[i].iov_len;
	}
	if (m->queue == VSND_VQ_RX)
		used += VADSP_MIN(bytes, m->io.bytes);
	if (vring_dev_push(vq, m->head, used) < 0)
		vsnd_card_fail(card, "I/O queue broken");
	vsnd_card_pushed(card, m->queue);
}

/* A message for @s came in: it answers the completions since the last one, if any. */
static void answer_count(struct vsnd_stream *s)
{
	uint64_t ns, lim = VSND_ANSWER_BIN0_US * 1000ull;
	unsigned int i = 0;

	if (!s->answer_from_ns)
		return;
	ns = vadsp_now_ns() - s->answer_from_ns;
	s->answer_from_ns = 0;
	while (i + 1 < VSND_ANSWER_BINS && ns > lim) {
		lim <<= 1;
		i++;
	}
	s->answers[i]++;
	s->answer_max_ns = VADSP_MAX(s->answer_max_ns, ns);
}

/*
 * Check a popped chain and fill @m's views. Return 0 when it is to go to the backend,
 * -ENOSPC when no status can be written, or -errno for the status it completes with.
 */
static int parse(struct vsnd_card *card, unsigned int idx, const struct vring_chain *c,
		 struct vsnd_io_msg *m)
{
	const struct iovec *rd = c->seg, *wr = c->seg + c->nout;
	uint8_t xfer[sizeof(struct vsnd_pcm_xfer)];
	const struct vsnd_stream *s;
	uint32_t id, data_len;
	bool tx = idx == VSND_VQ_TX;

	if (c->in_bytes < sizeof(struct vsnd_pcm_status))
		return -ENOSPC;
	m->nstatus = slice(wr, c->nin, c->in_bytes - sizeof(struct vsnd_pcm_status),
			   sizeof(struct vsnd_pcm_status), m->status, STATUS_SEGS);
	if (vring_chain_read(c, 0, xfer, sizeof(xfer)) != sizeof(xfer))
		return -EBADMSG;
	id = get_le32(xfer);
	if (id >= vsnd_io_streams(card))
		return -ENOENT;
	/* An extension stream without parameters does not exist (docs/protocol.md 4.7). */
	if (card->sof && vsnd_io_stream(card, id)->state == VSND_PCM_NONE)
		return -ENOENT;
	if (vsnd_io_dir(card, id) != (tx ? VIRTIO_SND_D_OUTPUT : VIRTIO_SND_D_INPUT))
		return -EINVAL;
	if (tx) {
		if (c->in_bytes != sizeof(struct vsnd_pcm_status))
			return -EBADMSG;
		data_len = c->out_bytes - sizeof(xfer);
	} else {
		if (c->out_bytes != sizeof(xfer))
			return -EBADMSG;
		data_len = c->in_bytes - sizeof(struct vsnd_pcm_status);
	}
	s = vsnd_io_stream(card, id);
	if (s->state != VSND_PCM_PREPARE && s->state != VSND_PCM_START &&
	    s->state != VSND_PCM_STOP)
		return -EIO;
	if (!data_len || data_len % s->params.frame_bytes)
		return -EBADMSG;
	m->io.stream = id;
	m->io.bytes = data_len;
	if (tx)
		m->io.nseg = slice(rd, c->nout, sizeof(xfer), data_len, m->data,
				   VRING_CHAIN_MAX_SEGS);
	else
		m->io.nseg = slice(wr, c->nin, 0, data_len, m->data, VRING_CHAIN_MAX_SEGS);
	m->io.seg = m->data;
	m->io.next = NULL;
	m->io.done = 0;
	return 0;
}

void vsnd_pcm_msg_serve(struct vsnd_card *card, unsigned int idx)
{
	struct vring *vq = vsnd_card_queue(card, idx);
	struct vsnd_io_pool *pool = pool_of(card, idx);
	struct vring_chain chain;
	int ret;

	if (!vq || !pool->msgs)
		return;
	while ((ret = vring_dev_pop(vq, &chain)) > 0) {
		struct vsnd_io_msg *m = msg_get(pool);
		struct vsnd_stream *s;
		int err;

		if (!m) {
			/* More chains in flight than ring entries: the ring itself prevents it. */
			vsnd_card_fail(card, "I/O queue has more chains in flight than entries");
			return;
		}
		m->head = chain.head;
		m->queue = (uint8_t)idx;
		m->nstatus = 0;
		err = parse(card, idx, &chain, m);
		if (err == -ENOSPC) {
			if (vring_dev_push(vq, chain.head, 0) < 0)
				vsnd_card_fail(card, "I/O queue broken");
			vsnd_card_pushed(card, idx);
			msg_put(pool, m);
			continue;
		}
		if (err) {
			vadsp_dbg(LOG, "I/O message on queue %u refused: %s", idx, strerror(-err));
			complete(card, vq, m, err, 0, 0);
			msg_put(pool, m);
			continue;
		}
		s = vsnd_io_stream(card, m->io.stream);
		s->pending++;
		answer_count(s);
		if (!card->backend_ops->io_submit) {
			vsnd_pcm_io_done(card, &m->io, 0, 0, 0);
			continue;
		}
		err = card->backend_ops->io_submit(card->backend, &m->io);
		if (err < 0)
			vsnd_pcm_io_done(card, &m->io, err, 0, 0);
	}
	if (ret < 0)
		vsnd_card_fail(card, idx == VSND_VQ_TX ? "tx queue broken" : "rx queue broken");
}

void vsnd_pcm_io_done(struct vsnd_card *card, struct vsnd_pcm_io *io, int err, uint32_t bytes,
		      uint32_t latency_bytes)
{
	struct vsnd_io_msg *m = vadsp_container_of(io, struct vsnd_io_msg, io);
	struct vsnd_io_pool *pool = pool_of(card, m->queue);
	struct vsnd_stream *s;
	struct vring *vq;

	if (!m->busy || io->stream >= vsnd_io_streams(card)) {
		vadsp_err(LOG, "backend %s gave back an I/O message it does not hold",
			  card->backend_ops->name);
		return;
	}
	vsnd_card_enter(card);
	s = vsnd_io_stream(card, io->stream);
	if (s->pending)
		s->pending--;
	s->completed++;
	/* The driver is to answer a completion of a running stream with its next message. */
	if (!err && !s->answer_from_ns && (s->state == VSND_PCM_START || card->sof))
		s->answer_from_ns = vadsp_now_ns();
	if (!err && s->params.frame_bytes)
		s->frames += (m->queue == VSND_VQ_TX ? io->bytes : VADSP_MIN(bytes, io->bytes)) /
			     s->params.frame_bytes;
	vq = vsnd_card_queue(card, m->queue);
	if (vq && !pool->cancelling)
		complete(card, vq, m, err, bytes, latency_bytes);
	msg_put(pool, m);
	vsnd_card_leave(card);
}

void vsnd_pcm_msg_cancel(struct vsnd_card *card, unsigned int idx)
{
	struct vsnd_io_pool *pool = pool_of(card, idx);
	uint8_t dir = idx == VSND_VQ_TX ? VIRTIO_SND_D_OUTPUT : VIRTIO_SND_D_INPUT;

	if (!pool->msgs)
		return;
	pool->cancelling = true;
	for (uint32_t i = 0; i < vsnd_io_streams(card); i++) {
		struct vsnd_stream *s = vsnd_io_stream(card, i);

		if (vsnd_io_dir(card, i) != dir || !s->pending)
			continue;
		if (card->backend_ops->io_cancel)
			card->backend_ops->io_cancel(card->backend, i);
		if (s->pending) {
			vadsp_err(LOG, "backend %s kept %u I/O messages of stream %u after cancel",
				  card->backend_ops->name, s->pending, i);
			s->pending = 0;
		}
	}
	if (pool->in_use) {
		/* The backend still points into these messages: never free them. */
		vadsp_err(LOG, "leaking %u I/O messages a backend did not give back",
			  pool->in_use);
		memset(pool, 0, sizeof(*pool));
		return;
	}
	free(pool->msgs);
	memset(pool, 0, sizeof(*pool));
}

void vsnd_pcm_xrun(struct vsnd_card *card, uint32_t stream)
{
	struct vsnd_stream *s;

	if (stream >= card->desc->num_streams)
		return;
	s = &card->streams[stream];
	s->xruns++;
	if (!(s->params.features & (1u << VIRTIO_SND_PCM_F_EVT_XRUNS)))
		return;
	vsnd_card_enter(card);
	vsnd_event_post(card, VIRTIO_SND_EVT_PCM_XRUN, stream);
	vsnd_card_leave(card);
}

void vsnd_pcm_period_elapsed(struct vsnd_card *card, uint32_t stream)
{
	if (stream < card->desc->num_streams)
		card->streams[stream].periods++;
}
