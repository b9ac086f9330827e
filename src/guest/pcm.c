// SPDX-License-Identifier: MIT
/*
 * The guest's PCM requests and its I/O message rings (txq for playback, rxq for capture).
 *
 * A ring's message i lies at a fixed place in guest memory: {le32 stream_id}, then
 * period_bytes of audio, then {le32 status, le32 latency_bytes}. A playback message is the
 * chain (header, audio) readable + (status) writable; a capture message is (header)
 * readable + (audio, status) writable, so the device writes the audio in place and the
 * status in the last 8 bytes. Messages are submitted and reaped in ring order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "guest/internal.h"
#include "util/compiler.h"
#include "util/le.h"

#define STATUS_BYTES	((uint32_t)sizeof(struct vsnd_pcm_status))
#define XFER_BYTES	((uint32_t)sizeof(struct vsnd_pcm_xfer))

int vguest_pcm_set_params(struct vguest *g, uint32_t stream,
			  const struct vguest_pcm_params *p)
{
	uint8_t req[sizeof(struct vsnd_pcm_set_params)] = { 0 };
	uint8_t status[4];
	int ret;

	put_le32(req + offsetof(struct vsnd_pcm_set_params, hdr.hdr.code),
		 VIRTIO_SND_R_PCM_SET_PARAMS);
	put_le32(req + offsetof(struct vsnd_pcm_set_params, hdr.stream_id), stream);
	put_le32(req + offsetof(struct vsnd_pcm_set_params, buffer_bytes), p->buffer_bytes);
	put_le32(req + offsetof(struct vsnd_pcm_set_params, period_bytes), p->period_bytes);
	put_le32(req + offsetof(struct vsnd_pcm_set_params, features), p->features);
	req[offsetof(struct vsnd_pcm_set_params, channels)] = p->channels;
	req[offsetof(struct vsnd_pcm_set_params, format)] = p->format;
	req[offsetof(struct vsnd_pcm_set_params, rate)] = p->rate;
	ret = vguest_request(g, req, sizeof(req), status, sizeof(status), NULL);
	return ret < 0 ? ret : vguest_status_errno((uint32_t)ret);
}

int vguest_pcm_prepare(struct vguest *g, uint32_t stream)
{
	return vguest_simple(g, VIRTIO_SND_R_PCM_PREPARE, stream, NULL, 0, NULL);
}

int vguest_pcm_start(struct vguest *g, uint32_t stream)
{
	return vguest_simple(g, VIRTIO_SND_R_PCM_START, stream, NULL, 0, NULL);
}

int vguest_pcm_stop(struct vguest *g, uint32_t stream)
{
	return vguest_simple(g, VIRTIO_SND_R_PCM_STOP, stream, NULL, 0, NULL);
}

int vguest_pcm_release(struct vguest *g, uint32_t stream)
{
	return vguest_simple(g, VIRTIO_SND_R_PCM_RELEASE, stream, NULL, 0, NULL);
}

static uint64_t slot_size(uint32_t period_bytes)
{
	return ((uint64_t)XFER_BYTES + period_bytes + STATUS_BYTES + 63) & ~(uint64_t)63;
}

/* A ring of @periods messages in @mem for @stream on @queue. */
static int io_new(struct vguest *g, struct vguest_stream_mem *mem, uint32_t stream,
		  unsigned int queue, uint32_t period_bytes, unsigned int periods,
		  struct vguest_io **out)
{
	struct vguest_io *io;
	uint64_t need;
	int ret;

	*out = NULL;
	if (!period_bytes || period_bytes > VIRTIO_SND_CTL_TLV_MAX * 64u || !periods ||
	    periods > g->opts.queue_size / 3)
		return -EINVAL;
	if (mem->busy)
		return -EBUSY;
	need = slot_size(period_bytes) * periods;
	if (mem->buf.len < need) {
		ret = vu_front_alloc(g->fe, need, 64, &mem->buf);
		if (ret < 0) {
			mem->buf.len = 0;
			return ret;
		}
	}
	io = calloc(1, sizeof(*io));
	if (io)
		io->slots = calloc(periods, sizeof(*io->slots));
	if (!io || !io->slots) {
		free(io);
		return -ENOMEM;
	}
	io->g = g;
	io->mem = mem;
	io->stream = stream;
	io->queue = queue;
	io->period_bytes = period_bytes;
	io->periods = periods;
	for (unsigned int i = 0; i < periods; i++) {
		io->slots[i].io = io;
		io->slots[i].host = (uint8_t *)mem->buf.host + slot_size(period_bytes) * i;
		io->slots[i].gpa = mem->buf.gpa + slot_size(period_bytes) * i;
	}
	mem->busy = true;
	*out = io;
	return 0;
}

int vguest_io_open(struct vguest *g, uint32_t stream, uint32_t period_bytes,
		   unsigned int periods, struct vguest_io **out)
{
	*out = NULL;
	if (stream >= g->card.num_streams)
		return -ENOENT;
	return io_new(g, &g->mem[stream], stream,
		      g->card.streams[stream].direction == VIRTIO_SND_D_OUTPUT ? VSND_VQ_TX :
										 VSND_VQ_RX,
		      period_bytes, periods, out);
}

int vguest_io_open_id(struct vguest *g, uint32_t stream, uint8_t direction,
		      uint32_t period_bytes, unsigned int periods, struct vguest_io **out)
{
	struct vguest_stream_mem *extra = &g->mem[g->card.num_streams], *pick = NULL;
	uint64_t need = slot_size(period_bytes) * periods;

	*out = NULL;
	if (direction != VIRTIO_SND_D_OUTPUT && direction != VIRTIO_SND_D_INPUT)
		return -EINVAL;
	/* A free memory slot already large enough, else any free one. */
	for (unsigned int i = 0; i < VGUEST_IO_ID_RINGS; i++) {
		if (extra[i].busy)
			continue;
		if (!pick || (extra[i].buf.len >= need && pick->buf.len < need))
			pick = &extra[i];
	}
	if (!pick)
		return -EBUSY;
	return io_new(g, pick, stream,
		      direction == VIRTIO_SND_D_OUTPUT ? VSND_VQ_TX : VSND_VQ_RX,
		      period_bytes, periods, out);
}

void vguest_io_set_stream(struct vguest_io *io, uint32_t stream)
{
	io->stream = stream;
}

int vguest_io_submit(struct vguest_io *io, const void *data, uint32_t bytes)
{
	struct vguest_slot *s;
	struct vring_buf out[2], in[2];
	unsigned int nout = 0, nin = 0;
	uint64_t status_gpa;
	int ret;

	if (io->count == io->periods)
		return -EAGAIN;
	if (!bytes || bytes > io->period_bytes || (io->queue == VSND_VQ_TX && !data))
		return -EINVAL;
	s = &io->slots[(io->head + io->count) % io->periods];
	s->done = false;
	s->used = 0;
	put_le32(s->host, io->stream);
	memset(s->host + XFER_BYTES + io->period_bytes, 0, STATUS_BYTES);
	status_gpa = s->gpa + XFER_BYTES + io->period_bytes;
	out[nout++] = (struct vring_buf){ s->gpa, XFER_BYTES };
	if (io->queue == VSND_VQ_TX) {
		memcpy(s->host + XFER_BYTES, data, bytes);
		out[nout++] = (struct vring_buf){ s->gpa + XFER_BYTES, bytes };
	} else {
		in[nin++] = (struct vring_buf){ s->gpa + XFER_BYTES, bytes };
	}
	in[nin++] = (struct vring_buf){ status_gpa, STATUS_BYTES };
	ret = vu_front_queue_add(io->g->fe, io->queue, out, nout, in, nin, s);
	if (ret < 0)
		return ret;
	io->count++;
	ret = vu_front_queue_kick(io->g->fe, io->queue);
	return ret < 0 ? ret : 0;
}

int vguest_io_reap(struct vguest_io *io, struct vguest_io_done *done, int timeout_ms)
{
	struct vguest *g = io->g;
	struct vguest_slot *s;
	const uint8_t *st;
	int64_t deadline;

	if (!io->count)
		return 0;
	s = &io->slots[io->head];
	deadline = vguest_now_ms() + (timeout_ms < 0 ? g->opts.timeout_ms : timeout_ms);
	for (;;) {
		int ret;

		vguest_pump(g, io->queue);
		if (s->done)
			break;
		if (vguest_deadline_left(deadline) == 0)
			return 0;
		ret = vu_front_queue_wait(g->fe, io->queue, vguest_deadline_left(deadline));
		if (ret < 0)
			return ret;
	}
	st = s->host + XFER_BYTES + io->period_bytes;
	memset(done, 0, sizeof(*done));
	if (s->used >= STATUS_BYTES) {
		done->status = get_le32(st);
		done->latency_bytes = get_le32(st + 4);
	}
	if (io->queue == VSND_VQ_RX && s->used > STATUS_BYTES)
		done->bytes = VADSP_MIN(s->used - STATUS_BYTES, io->period_bytes);
	done->data = s->host + XFER_BYTES;
	g->last_status = done->status;
	io->head = (io->head + 1) % io->periods;
	io->count--;
	return 1;
}

unsigned int vguest_io_in_flight(const struct vguest_io *io)
{
	return io->count;
}

int vguest_io_poll_fd(const struct vguest_io *io)
{
	return vu_front_queue_call_fd(io->g->fe, io->queue);
}

/* Signals for completions of other rings on the queue may come in between: at most this
 * many rounds, then report 1 (a spurious wake-up costs one reap that finds nothing). */
#define ARM_ROUNDS	16

int vguest_io_arm(struct vguest_io *io)
{
	for (unsigned int i = 0; i < ARM_ROUNDS; i++) {
		/* With a timeout of 0: enable the call, drain a readable descriptor. */
		int ret = vu_front_queue_wait(io->g->fe, io->queue, 0);

		if (ret <= 0)
			return ret;
		vguest_pump(io->g, io->queue);
		if (io->count && io->slots[io->head].done)
			return 1;
	}
	return 1;
}

void vguest_io_close(struct vguest_io *io)
{
	struct vguest_stream_mem *mem;

	if (!io)
		return;
	mem = io->mem;
	mem->busy = false;
	if (io->count) {
		struct vguest_orphans *o = malloc(sizeof(*o));

		/* The device may still write these messages: never hand their memory out again,
		 * and keep the slots its completions point to. */
		mem->buf.len = 0;
		for (unsigned int i = 0; i < io->periods; i++)
			io->slots[i].io = NULL;
		if (o) {
			o->slots = io->slots;
			o->next = io->g->orphans;
			io->g->orphans = o;
		}
		io->slots = NULL;	/* without @o the slots leak rather than be reused */
	}
	free(io->slots);
	free(io);
}
