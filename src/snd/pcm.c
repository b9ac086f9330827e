// SPDX-License-Identifier: MIT
/*
 * PCM streams: PCM_INFO and the state machine of SET_PARAMS, PREPARE, RELEASE, START, STOP.
 *
 * The state machine is the table below (VIRTIO 1.2 5.14.6.6.1), plus the state of a stream
 * that has never had parameters, from which only SET_PARAMS leads. A request the table does
 * not allow is S_BAD_MSG and changes nothing; the check comes before any other effect.
 * Beyond the specification, RELEASE of a released stream is S_OK and reaches no backend:
 * Linux's virtio_snd sends RELEASE again when a stream is opened while I/O messages of its
 * last use were in flight (a player killed mid-stream, whose close did not wait for the
 * first RELEASE's reply); refusing it failed that open with EINVAL.
 *
 * Beyond the table, each request checks:
 *   SET_PARAMS  features only among those the stream offers (and never the SHMEM ones);
 *               channels, format and rate among those the stream offers; period_bytes and
 *               buffer_bytes whole numbers of frames, period_bytes dividing buffer_bytes,
 *               both within the stream's limits, and buffer / period within its period
 *               count limits (S_BAD_MSG otherwise);
 *   SET_PARAMS, PREPARE  no I/O message of the stream in flight (S_BAD_MSG otherwise: the
 *               driver releases first, as Linux does);
 *   RELEASE     the reply waits until the backend has given back every I/O message of the
 *               stream (ctl-msg.c holds it; no other control request is served meanwhile);
 *   START       first takes the I/O messages waiting on the stream's queue, so that what
 *               the driver queued before START reaches the backend before it starts.
 * Then the backend performs the request; if it fails the status comes from its errno and
 * the stream keeps its state. A stream's parameters stay until the next SET_PARAMS, so
 * PREPARE after RELEASE reuses them.
 */
#include <errno.h>
#include <string.h>

#include "snd/card.h"
#include "snd/ctl-msg.h"
#include "snd/pcm-caps.h"
#include "snd/virtio-snd.h"
#include "util/le.h"
#include "util/log.h"

#define LOG "snd"

#define REQ_BIT(code)	(1u << ((code) - VIRTIO_SND_R_PCM_SET_PARAMS))

/* Which requests each state allows. */
static const unsigned int allowed[VSND_PCM_STATE_COUNT] = {
	[VSND_PCM_NONE] = REQ_BIT(VIRTIO_SND_R_PCM_SET_PARAMS),
	[VSND_PCM_SET_PARAMS] = REQ_BIT(VIRTIO_SND_R_PCM_SET_PARAMS) |
				REQ_BIT(VIRTIO_SND_R_PCM_PREPARE),
	[VSND_PCM_PREPARE] = REQ_BIT(VIRTIO_SND_R_PCM_SET_PARAMS) |
			     REQ_BIT(VIRTIO_SND_R_PCM_PREPARE) |
			     REQ_BIT(VIRTIO_SND_R_PCM_START) |
			     REQ_BIT(VIRTIO_SND_R_PCM_RELEASE),
	[VSND_PCM_START] = REQ_BIT(VIRTIO_SND_R_PCM_STOP),
	[VSND_PCM_STOP] = REQ_BIT(VIRTIO_SND_R_PCM_START) | REQ_BIT(VIRTIO_SND_R_PCM_RELEASE),
	[VSND_PCM_RELEASE] = REQ_BIT(VIRTIO_SND_R_PCM_SET_PARAMS) |
			     REQ_BIT(VIRTIO_SND_R_PCM_PREPARE) |
			     REQ_BIT(VIRTIO_SND_R_PCM_RELEASE),
};

/* The state each request leads to. */
static const enum vsnd_pcm_state next_state[] = {
	[VIRTIO_SND_R_PCM_SET_PARAMS - VIRTIO_SND_R_PCM_SET_PARAMS] = VSND_PCM_SET_PARAMS,
	[VIRTIO_SND_R_PCM_PREPARE - VIRTIO_SND_R_PCM_SET_PARAMS] = VSND_PCM_PREPARE,
	[VIRTIO_SND_R_PCM_RELEASE - VIRTIO_SND_R_PCM_SET_PARAMS] = VSND_PCM_RELEASE,
	[VIRTIO_SND_R_PCM_START - VIRTIO_SND_R_PCM_SET_PARAMS] = VSND_PCM_START,
	[VIRTIO_SND_R_PCM_STOP - VIRTIO_SND_R_PCM_SET_PARAMS] = VSND_PCM_STOP,
};

static const char *const state_names[VSND_PCM_STATE_COUNT] = {
	[VSND_PCM_NONE] = "NONE",
	[VSND_PCM_SET_PARAMS] = "SET_PARAMS",
	[VSND_PCM_PREPARE] = "PREPARE",
	[VSND_PCM_START] = "START",
	[VSND_PCM_STOP] = "STOP",
	[VSND_PCM_RELEASE] = "RELEASE",
};

/* Feature bits a stream may offer and a driver may enable. */
#define SHMEM_FEATURES	((1u << VIRTIO_SND_PCM_F_SHMEM_HOST) | \
			 (1u << VIRTIO_SND_PCM_F_SHMEM_GUEST))

const char *vsnd_pcm_state_name(enum vsnd_pcm_state state)
{
	return state < VSND_PCM_STATE_COUNT ? state_names[state] : "?";
}

void vsnd_pcm_info(const struct vsnd_card *card, uint32_t id, uint8_t *out)
{
	const struct vsnd_stream_desc *s = &card->desc->streams[id];

	memset(out, 0, sizeof(struct vsnd_pcm_info));
	put_le32(out + offsetof(struct vsnd_pcm_info, hdr), s->nid);
	put_le32(out + offsetof(struct vsnd_pcm_info, features), s->features);
	put_le64(out + offsetof(struct vsnd_pcm_info, formats), s->formats);
	put_le64(out + offsetof(struct vsnd_pcm_info, rates), s->rates);
	out[offsetof(struct vsnd_pcm_info, direction)] = s->direction;
	out[offsetof(struct vsnd_pcm_info, channels_min)] = s->channels_min;
	out[offsetof(struct vsnd_pcm_info, channels_max)] = s->channels_max;
}

/* The state machine: may request @code run on stream @id now? */
static int check_transition(const struct vsnd_card *card, uint32_t id, uint32_t code)
{
	enum vsnd_pcm_state st = card->streams[id].state;

	if (!(allowed[st] & REQ_BIT(code))) {
		vadsp_dbg(LOG, "stream %u: request 0x%04x refused in state %s", id, code,
			  vsnd_pcm_state_name(st));
		return -EBADFD;
	}
	return 0;
}

static int check_params(const struct vsnd_stream_desc *d, const uint8_t *req,
			struct vsnd_pcm_params *p)
{
	unsigned int sample;
	uint32_t periods;

	p->buffer_bytes = get_le32(req + offsetof(struct vsnd_pcm_set_params, buffer_bytes));
	p->period_bytes = get_le32(req + offsetof(struct vsnd_pcm_set_params, period_bytes));
	p->features = get_le32(req + offsetof(struct vsnd_pcm_set_params, features));
	p->channels = req[offsetof(struct vsnd_pcm_set_params, channels)];
	p->format = req[offsetof(struct vsnd_pcm_set_params, format)];
	p->rate = req[offsetof(struct vsnd_pcm_set_params, rate)];

	if (p->features & ~d->features)
		return -EINVAL;
	if (p->channels < d->channels_min || p->channels > d->channels_max)
		return -EINVAL;
	if (p->format >= 64 || !(d->formats >> p->format & 1))
		return -EINVAL;
	if (p->rate >= 64 || !(d->rates >> p->rate & 1))
		return -EINVAL;
	sample = vsnd_format_sample_bytes(p->format);
	p->rate_hz = vsnd_rate_hz(p->rate);
	if (!sample || !p->rate_hz)
		return -EINVAL;
	p->frame_bytes = sample * p->channels;
	if (!p->period_bytes || !p->buffer_bytes)
		return -EINVAL;
	if (p->period_bytes % p->frame_bytes || p->buffer_bytes % p->period_bytes)
		return -EINVAL;
	if (p->period_bytes < d->period_bytes_min || p->period_bytes > d->period_bytes_max)
		return -EINVAL;
	if (p->buffer_bytes < d->buffer_bytes_min || p->buffer_bytes > d->buffer_bytes_max)
		return -EINVAL;
	periods = p->buffer_bytes / p->period_bytes;
	if (periods < d->periods_min || periods > d->periods_max)
		return -EINVAL;
	return 0;
}

int vsnd_pcm_set_params(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r)
{
	struct vsnd_stream *s = &card->streams[id];
	struct vsnd_pcm_params p;
	int ret;

	(void)r;
	ret = check_transition(card, id, VIRTIO_SND_R_PCM_SET_PARAMS);
	if (ret < 0)
		return ret;
	ret = check_params(&card->desc->streams[id], r->req, &p);
	if (ret < 0) {
		vadsp_dbg(LOG, "stream %u: SET_PARAMS refused (buffer %u period %u ch %u fmt %u "
			  "rate %u features 0x%x)", id, p.buffer_bytes, p.period_bytes, p.channels,
			  p.format, p.rate, p.features);
		return ret;
	}
	if (s->pending)
		return -EBUSY;
	if (card->backend_ops->set_params) {
		ret = card->backend_ops->set_params(card->backend, id, &p);
		if (ret < 0)
			return ret;
	}
	s->params = p;
	s->state = VSND_PCM_SET_PARAMS;
	vadsp_dbg(LOG, "stream %u: params %u ch %s %u Hz, buffer %u period %u", id, p.channels,
		  vsnd_format_name(p.format), p.rate_hz, p.buffer_bytes, p.period_bytes);
	return 0;
}

/* PREPARE, START, STOP, RELEASE: a transition and a backend op. */
static int trigger(struct vsnd_card *card, uint32_t id, uint32_t code,
		   int (*op)(struct vsnd_backend *b, uint32_t stream))
{
	struct vsnd_stream *s = &card->streams[id];
	int ret;

	ret = check_transition(card, id, code);
	if (ret < 0)
		return ret;
	if (code == VIRTIO_SND_R_PCM_PREPARE && s->pending)
		return -EBUSY;
	/* Messages the driver queued before START go to the backend first, even when their
	 * queue's kick is served after this request (kicks come in no set order). */
	if (code == VIRTIO_SND_R_PCM_START)
		vsnd_pcm_msg_serve(card, card->desc->streams[id].direction == VIRTIO_SND_D_OUTPUT ?
				   VSND_VQ_TX : VSND_VQ_RX);
	/* A released stream has nothing left for the backend to release. */
	if (op && !(code == VIRTIO_SND_R_PCM_RELEASE && s->state == VSND_PCM_RELEASE)) {
		ret = op(card->backend, id);
		if (ret < 0) {
			vadsp_warn(LOG, "stream %u: backend %s failed request 0x%04x: %s", id,
				   card->backend_ops->name, code, strerror(-ret));
			return ret;
		}
	}
	s->state = next_state[code - VIRTIO_SND_R_PCM_SET_PARAMS];
	s->answer_from_ns = 0;	/* a stopped stream waits for nothing */
	return 0;
}

int vsnd_pcm_prepare(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r)
{
	(void)r;
	return trigger(card, id, VIRTIO_SND_R_PCM_PREPARE, card->backend_ops->prepare);
}

int vsnd_pcm_start(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r)
{
	(void)r;
	return trigger(card, id, VIRTIO_SND_R_PCM_START, card->backend_ops->start);
}

int vsnd_pcm_stop(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r)
{
	(void)r;
	return trigger(card, id, VIRTIO_SND_R_PCM_STOP, card->backend_ops->stop);
}

int vsnd_pcm_release(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r)
{
	int ret;

	(void)r;
	ret = trigger(card, id, VIRTIO_SND_R_PCM_RELEASE, card->backend_ops->release);
	if (ret < 0)
		return ret;
	/* Every I/O message of the stream must be completed before the reply. */
	return card->streams[id].pending ? -EINPROGRESS : 0;
}
