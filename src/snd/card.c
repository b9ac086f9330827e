// SPDX-License-Identifier: MIT
/*
 * One guest's card: creation, reset, the queues, and the work deferred to the outermost
 * entry point.
 *
 * Entry points (a queue kick, a backend completion, a host-side control or jack change)
 * bracket their work with vsnd_card_enter()/vsnd_card_leave(). Pushing used buffers only
 * records which queues to notify; when the outermost entry point leaves, the card answers a
 * RELEASE whose I/O has all come back, serves the control queue again if it was waiting for
 * that, delivers waiting events and notifies each queue once. So a backend may complete
 * I/O from inside any op without the card recursing into itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "snd/card.h"
#include "snd/ctl-msg.h"
#include "util/le.h"
#include "util/log.h"

#define LOG "snd"

const struct vsnd_card_desc vsnd_card_desc_empty = { 0 };

int vsnd_card_new(struct vsnd_card **out, const struct vsnd_card_config *cfg)
{
	const struct vsnd_card_desc *d = cfg->desc;
	struct vsnd_backend_config bcfg;
	struct vsnd_card *card;
	int ret = -ENOMEM;

	card = calloc(1, sizeof(*card));
	if (!card)
		return -ENOMEM;
	card->desc = d;
	card->host = cfg->host;
	card->host_data = cfg->host_data;
	card->backend_ops = cfg->backend ? cfg->backend : &vsnd_backend_null;
	card->streams = calloc(d->num_streams ? d->num_streams : 1, sizeof(*card->streams));
	card->jack_connected = calloc(d->num_jacks ? d->num_jacks : 1,
				      sizeof(*card->jack_connected));
	card->req = malloc(VSND_CTL_REQ_MAX);
	card->resp = malloc(VSND_CTL_RESP_MAX);
	if (!card->streams || !card->jack_connected || !card->req || !card->resp)
		goto fail;
	for (uint32_t i = 0; i < d->num_jacks; i++)
		card->jack_connected[i] = true;
	ret = vsnd_ctl_init_values(card);
	if (ret < 0)
		goto fail;
	bcfg = (struct vsnd_backend_config){
		.card = card,
		.desc = d,
		.watch = cfg->watch,
		.loop = cfg->loop,
		.data = cfg->backend_data,
	};
	ret = card->backend_ops->open(&card->backend, &bcfg);
	if (ret < 0) {
		vadsp_err(LOG, "cannot open the %s stream backend: %s", card->backend_ops->name,
			  strerror(-ret));
		goto fail;
	}
	*out = card;
	return 0;
fail:
	vsnd_ctl_free_values(card);
	free(card->streams);
	free(card->jack_connected);
	free(card->req);
	free(card->resp);
	free(card);
	return ret;
}

/* Release every stream in the backend and forget its state. */
static void release_streams(struct vsnd_card *card)
{
	for (uint32_t i = 0; i < card->desc->num_streams; i++) {
		struct vsnd_stream *s = &card->streams[i];

		if (s->state != VSND_PCM_NONE && s->state != VSND_PCM_RELEASE &&
		    card->backend_ops->release)
			card->backend_ops->release(card->backend, i);
		memset(s, 0, sizeof(*s));
	}
}

void vsnd_card_free(struct vsnd_card *card)
{
	if (!card)
		return;
	card->depth++;		/* nothing deferred runs any more */
	vsnd_pcm_msg_cancel(card, VSND_VQ_TX);
	vsnd_pcm_msg_cancel(card, VSND_VQ_RX);
	release_streams(card);
	card->backend_ops->close(card->backend);
	vsnd_ctl_free_values(card);
	free(card->streams);
	free(card->jack_connected);
	free(card->req);
	free(card->resp);
	free(card);
}

void vsnd_card_reset(struct vsnd_card *card)
{
	vsnd_card_enter(card);
	vsnd_pcm_msg_cancel(card, VSND_VQ_TX);
	vsnd_pcm_msg_cancel(card, VSND_VQ_RX);
	release_streams(card);
	card->held = false;
	card->resume_ctlq = false;
	card->num_events = 0;
	card->to_notify = 0;
	card->controls_negotiated = false;
	if (card->sof)
		vsnd_sof_set(card, false);
	vsnd_card_leave(card);
}

void vsnd_card_config_space(const struct vsnd_card *card, struct vsnd_config *cfg)
{
	const struct vsnd_card_desc *d = card->sof ? &vsnd_card_desc_empty : card->desc;

	cfg->jacks = cpu_to_le32(d->num_jacks);
	cfg->streams = cpu_to_le32(d->num_streams);
	cfg->chmaps = cpu_to_le32(d->num_streams);
	cfg->controls = cpu_to_le32(d->num_controls);
}

struct vring *vsnd_card_queue(struct vsnd_card *card, unsigned int idx)
{
	if (!card->host || card->broken || idx >= VSND_VQ_NUM || card->stopping & (1u << idx))
		return NULL;
	return card->host->queue(card->host_data, idx);
}

void vsnd_card_pushed(struct vsnd_card *card, unsigned int idx)
{
	card->to_notify |= 1u << idx;
}

void vsnd_card_fail(struct vsnd_card *card, const char *why)
{
	if (card->broken)
		return;
	card->broken = true;
	if (card->host)
		card->host->fail(card->host_data, why);
}

void vsnd_card_enter(struct vsnd_card *card)
{
	card->depth++;
}

void vsnd_card_leave(struct vsnd_card *card)
{
	if (card->depth > 1) {
		card->depth--;
		return;
	}
	/* Outermost: run what was deferred; it may defer more, so loop until quiet. */
	for (;;) {
		unsigned int notify;

		if (card->held && card->streams[card->held_stream].pending == 0) {
			vsnd_ctl_held_done(card);
			continue;
		}
		if (card->resume_ctlq) {
			card->resume_ctlq = false;
			vsnd_ctlq_serve(card);
			continue;
		}
		if (card->num_events)
			vsnd_event_flush(card);
		notify = card->to_notify;
		card->to_notify = 0;
		for (unsigned int i = 0; i < VSND_VQ_NUM; i++)
			if (notify & (1u << i) && card->host)
				card->host->notify(card->host_data, i);
		if (!card->to_notify && !card->resume_ctlq &&
		    !(card->held && card->streams[card->held_stream].pending == 0))
			break;
	}
	card->depth--;
}

int vsnd_card_queue_start(struct vsnd_card *card, unsigned int idx)
{
	struct vring *vq = vsnd_card_queue(card, idx);
	int ret = 0;

	if (!vq)
		return 0;
	if (idx == VSND_VQ_TX || idx == VSND_VQ_RX) {
		ret = vsnd_pcm_msg_pool_init(card, idx, vq->num);
		if (ret < 0)
			return ret;
	}
	/* Requests may already be waiting (QEMU kicks once right after SET_VRING_KICK). */
	vsnd_card_queue_kick(card, idx);
	return 0;
}

void vsnd_card_queue_kick(struct vsnd_card *card, unsigned int idx)
{
	vsnd_card_enter(card);
	switch (idx) {
	case VSND_VQ_CONTROL:
		vsnd_ctlq_serve(card);
		break;
	case VSND_VQ_EVENT:
		/* New buffers: events may be waiting for them. */
		vsnd_event_flush(card);
		break;
	case VSND_VQ_TX:
	case VSND_VQ_RX:
		vsnd_pcm_msg_serve(card, idx);
		break;
	default:
		break;
	}
	vsnd_card_leave(card);
}

void vsnd_card_queue_stop(struct vsnd_card *card, unsigned int idx)
{
	if (idx >= VSND_VQ_NUM)
		return;
	card->stopping |= 1u << idx;
	vsnd_card_enter(card);
	switch (idx) {
	case VSND_VQ_CONTROL:
		/* A held reply is not written: the ring is going away. */
		if (card->held && card->held_from_queue)
			card->held_from_queue = false;
		card->resume_ctlq = false;
		/* The extension's guest ends with its control queue (docs/protocol.md 4.9). */
		if (card->sof && card->backend_ops->sof_enable)
			card->backend_ops->sof_enable(card->backend, true);
		break;
	case VSND_VQ_TX:
	case VSND_VQ_RX:
		vsnd_pcm_msg_cancel(card, idx);
		break;
	default:
		break;
	}
	card->to_notify &= ~(1u << idx);
	vsnd_card_leave(card);
	card->stopping &= ~(1u << idx);
}
