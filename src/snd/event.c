// SPDX-License-Identifier: MIT
/*
 * The event queue: the driver leaves writable buffers there; each one that holds at least
 * 8 bytes is completed with one event {le32 code, le32 data} and used length 8.
 *
 * Events wait in the card (VSND_EVENT_QUEUE of them, oldest first) until there is a buffer.
 * A CTL_NOTIFY or PCM_XRUN event equal to one still waiting is not queued again (the
 * driver re-reads the value, or the xrun flag is already set); jack events are kept in
 * order, as each one changes state. When the queue is full a new event is dropped and
 * counted (events_dropped). A buffer shorter than 8 bytes is returned with used length 0
 * and the event stays queued.
 *
 * With the SOF IPC3 extension an event may also be an IPC3 notification (sof.c),
 * {le32 VADSP_SND_EVT_SOF_IPC, le32 size, msg[size]}, used length 8 + size: a buffer shorter
 * than that is returned with used length 0 and the notification is dropped (4.8).
 */
#include <errno.h>
#include <string.h>

#include "snd/card.h"
#include "snd/virtio-snd.h"
#include "util/le.h"
#include "util/log.h"

#define LOG "snd"

static bool coalesces(uint32_t code)
{
	return code == VIRTIO_SND_EVT_CTL_NOTIFY || code == VIRTIO_SND_EVT_PCM_XRUN;
}

void vsnd_event_post(struct vsnd_card *card, uint32_t code, uint32_t data)
{
	if (coalesces(code))
		for (unsigned int i = 0; i < card->num_events; i++)
			if (card->events[i].code == code && card->events[i].data == data)
				return;
	if (card->num_events == VSND_EVENT_QUEUE) {
		card->events_dropped++;
		return;
	}
	card->events[card->num_events].code = code;
	card->events[card->num_events].data = data;
	card->events[card->num_events].size = 0;
	card->num_events++;
}

void vsnd_event_flush(struct vsnd_card *card)
{
	struct vring *vq = vsnd_card_queue(card, VSND_VQ_EVENT);
	struct vring_chain chain;
	unsigned int sent = 0;
	int ret = 0;

	if (!vq)
		return;
	while (sent < card->num_events && (ret = vring_dev_pop(vq, &chain)) > 0) {
		uint8_t ev[sizeof(struct vsnd_event)];
		uint32_t used = 0;

		if (card->events[sent].size) {
			const struct vsnd_pending_event *e = &card->events[sent];

			if (chain.in_bytes >= sizeof(ev) + e->size) {
				put_le32(ev, e->code);
				put_le32(ev + 4, e->size);
				vring_chain_write(&chain, 0, ev, sizeof(ev));
				vring_chain_write(&chain, sizeof(ev), e->msg, e->size);
				used = (uint32_t)sizeof(ev) + e->size;
			}
			sent++;		/* too short a buffer drops it */
		} else if (chain.in_bytes >= sizeof(ev)) {
			put_le32(ev, card->events[sent].code);
			put_le32(ev + 4, card->events[sent].data);
			vring_chain_write(&chain, 0, ev, sizeof(ev));
			used = sizeof(ev);
			sent++;
		}
		if (vring_dev_push(vq, chain.head, used) < 0)
			ret = -EIO;
		vsnd_card_pushed(card, VSND_VQ_EVENT);
		if (ret < 0)
			break;
	}
	if (sent) {
		memmove(card->events, card->events + sent,
			(card->num_events - sent) * sizeof(card->events[0]));
		card->num_events -= sent;
	}
	if (ret < 0)
		vsnd_card_fail(card, "event queue broken");
}
