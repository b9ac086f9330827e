// SPDX-License-Identifier: MIT
/*
 * The device's part of the SOF IPC3 extension (docs/protocol.md section 4; ipc/vfe.h).
 *
 * With VADSP_SND_F_SOF_IPC3 acknowledged the card reads empty (ctl-msg.c answers jack,
 * PCM, chmap and control requests as for an empty card) and:
 * - the control request VADSP_SND_R_SOF_IPC carries one IPC3 message to the stream
 *   backend's sof_ipc op, framed as 4.2 says: S_BAD_MSG for fewer than 4 + 8 readable
 *   bytes, hdr.size other than the readable bytes minus 4 or above 384, or a writable part
 *   below 4 + 384 bytes; S_NOT_SUPP without the extension; else S_OK and the reply. Before
 *   a TRIG_START or TRIG_RELEASE the tx and rx queues are served, so that audio the guest
 *   queued before it is with the backend when the stream starts;
 * - tx/rx messages name the extension's streams (VSND_SOF_STREAMS), which the backend
 *   opens when PCM_PARAMS succeeds (vsnd_sof_stream_set()) and closes at PCM_FREE; a
 *   message naming a stream without parameters is S_BAD_MSG (pcm-msg.c);
 * - the event queue carries the backend's IPC3 notifications (vsnd_sof_notify(); event.c
 *   writes them as {le32 code, le32 size, msg}).
 */
#include <errno.h>
#include <string.h>

#include "ipc/ipc3.h"
#include "ipc/vfe.h"
#include "snd/card.h"
#include "snd/virtio-snd.h"
#include "util/le.h"
#include "util/log.h"

#define LOG "snd"

uint32_t vsnd_io_streams(const struct vsnd_card *card)
{
	return card->sof ? VSND_SOF_STREAMS : card->desc->num_streams;
}

struct vsnd_stream *vsnd_io_stream(struct vsnd_card *card, uint32_t id)
{
	return card->sof ? &card->sof_streams[id] : &card->streams[id];
}

uint8_t vsnd_io_dir(const struct vsnd_card *card, uint32_t id)
{
	return card->sof ? card->sof_dir[id] : card->desc->streams[id].direction;
}

int vsnd_sof_set(struct vsnd_card *card, bool on)
{
	int ret = 0;

	vsnd_card_enter(card);
	if (on && !card->sof) {
		/* The card's own streams end: their ids name the extension's from now on. */
		for (uint32_t i = 0; i < card->desc->num_streams; i++) {
			struct vsnd_stream *s = &card->streams[i];

			if (s->state != VSND_PCM_NONE && s->state != VSND_PCM_RELEASE &&
			    card->backend_ops->release)
				card->backend_ops->release(card->backend, i);
			memset(s, 0, sizeof(*s));
		}
	}
	if (on) {
		card->sof = true;
		memset(card->sof_streams, 0, sizeof(card->sof_streams));
	}
	if (card->backend_ops->sof_enable)
		ret = card->backend_ops->sof_enable(card->backend, on);
	if (!on) {
		card->sof = false;
		memset(card->sof_streams, 0, sizeof(card->sof_streams));
		/* Notifications of the session that ended are not for the next driver. */
		for (unsigned int i = 0; i < card->num_events;) {
			if (card->events[i].size) {
				memmove(&card->events[i], &card->events[i + 1],
					(card->num_events - i - 1) * sizeof(card->events[0]));
				card->num_events--;
			} else {
				i++;
			}
		}
	}
	vsnd_card_leave(card);
	return ret;
}

int vsnd_sof_ipc(struct vsnd_card *card, const uint8_t *req, size_t req_len, uint8_t *resp,
		 size_t resp_len, size_t *len)
{
	size_t hdr = sizeof(struct vsnd_hdr);
	uint32_t size;
	int n;

	if (!card->sof)
		return -EOPNOTSUPP;
	if (req_len < hdr + 8 || resp_len < hdr + VSND_SOF_MSG_MAX)
		return -EBADMSG;
	size = get_le32(req + hdr);
	if (size != req_len - hdr || size > VSND_SOF_MSG_MAX)
		return -EBADMSG;
	if (!card->backend_ops->sof_ipc)
		return -EIO;
	/* Audio queued before a start reaches the backend first, even when its queue's kick
	 * is served after this request (a playback start ahead of its audio underruns). */
	if (get_le32(req + hdr + 4) == IPC3_STREAM_TRIG_START ||
	    get_le32(req + hdr + 4) == IPC3_STREAM_TRIG_RELEASE) {
		vsnd_pcm_msg_serve(card, VSND_VQ_TX);
		vsnd_pcm_msg_serve(card, VSND_VQ_RX);
	}
	n = card->backend_ops->sof_ipc(card->backend, req + hdr, size, resp + hdr,
				       resp_len - hdr);
	if (n < 0 || (size_t)n > resp_len - hdr) {
		vadsp_warn(LOG, "backend %s failed an IPC message: %s", card->backend_ops->name,
			   strerror(n < 0 ? -n : EOVERFLOW));
		return -EIO;
	}
	*len = (size_t)n;
	return 0;
}

int vsnd_sof_stream_set(struct vsnd_card *card, uint32_t id, uint8_t direction,
			uint32_t frame_bytes)
{
	struct vsnd_stream *s;

	if (!card->sof || id >= VSND_SOF_STREAMS || !frame_bytes ||
	    (direction != VIRTIO_SND_D_OUTPUT && direction != VIRTIO_SND_D_INPUT))
		return -EINVAL;
	s = &card->sof_streams[id];
	s->state = VSND_PCM_PREPARE;
	s->params.frame_bytes = frame_bytes;
	/* A new stream (or new parameters): its counts are its own (the management socket). */
	s->xruns = s->periods = s->completed = s->frames = 0;
	memset(s->answers, 0, sizeof(s->answers));
	s->answer_from_ns = s->answer_max_ns = 0;
	card->sof_dir[id] = direction;
	return 0;
}

void vsnd_sof_stream_clear(struct vsnd_card *card, uint32_t id)
{
	if (!card->sof || id >= VSND_SOF_STREAMS)
		return;
	card->sof_streams[id].state = VSND_PCM_NONE;
}

void vsnd_sof_stream_xrun(struct vsnd_card *card, uint32_t id)
{
	if (card->sof && id < VSND_SOF_STREAMS)
		card->sof_streams[id].xruns++;
}

void vsnd_sof_notify(struct vsnd_card *card, const void *msg, uint32_t size, bool replace)
{
	struct vsnd_pending_event *ev;
	uint32_t cmd;

	if (!card->sof || size < 8 || size > VSND_SOF_MSG_MAX)
		return;
	cmd = get_le32((const uint8_t *)msg + 4);
	vsnd_card_enter(card);
	ev = NULL;
	if (replace)
		for (unsigned int i = 0; i < card->num_events && !ev; i++)
			if (card->events[i].size && get_le32(card->events[i].msg + 4) == cmd)
				ev = &card->events[i];
	if (!ev && card->num_events == VSND_EVENT_QUEUE) {
		card->events_dropped++;
	} else {
		if (!ev)
			ev = &card->events[card->num_events++];
		ev->code = VADSP_SND_EVT_SOF_IPC;
		ev->data = size;
		ev->size = size;
		memcpy(ev->msg, msg, size);
	}
	vsnd_card_leave(card);
}
