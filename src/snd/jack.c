// SPDX-License-Identifier: MIT
/*
 * Jacks: JACK_INFO, JACK_REMAP, and connection changes from the host side.
 *
 * A jack stands for a topology endpoint attached to a host connection point (card.h). It
 * is described as an HDA pin so that the Linux driver names and types it:
 *   default configuration: connectivity "jack" (bits 31:30 = 0), location unspecified,
 *     device line out (0x0) for a playback endpoint or line in (0x8) for a capture one
 *     (bits 23:20), connection type and colour unknown, presence detection available
 *     (misc bit 8 clear), association 1 + index % 14 (bits 7:4), sequence 0;
 *   capabilities: presence detect (bit 2) and output (bit 4) or input (bit 5).
 * Linux shows them as "Line Out Jack" and "Line Jack" controls. No jack can be remapped
 * (no VIRTIO_SND_JACK_F_REMAP): JACK_REMAP of an existing jack is NOT_SUPP.
 */
#include <errno.h>
#include <string.h>

#include "snd/card.h"
#include "snd/ctl-msg.h"
#include "snd/virtio-snd.h"
#include "util/le.h"

#define HDA_DEVICE_LINE_OUT	0x0u
#define HDA_DEVICE_LINE_IN	0x8u
#define HDA_DEFCFG_DEVICE_SHIFT	20
#define HDA_DEFCFG_ASSOC_SHIFT	4
#define HDA_PINCAP_PRES_DETECT	(1u << 2)
#define HDA_PINCAP_OUT		(1u << 4)
#define HDA_PINCAP_IN		(1u << 5)

void vsnd_jack_pin_config(uint8_t direction, uint32_t index, uint32_t *defconf,
			  uint32_t *caps)
{
	bool out = direction == VIRTIO_SND_D_OUTPUT;
	uint32_t device = out ? HDA_DEVICE_LINE_OUT : HDA_DEVICE_LINE_IN;

	*defconf = device << HDA_DEFCFG_DEVICE_SHIFT |
		   (1 + index % 14) << HDA_DEFCFG_ASSOC_SHIFT;
	*caps = HDA_PINCAP_PRES_DETECT | (out ? HDA_PINCAP_OUT : HDA_PINCAP_IN);
}

void vsnd_jack_info(const struct vsnd_card *card, uint32_t id, uint8_t *out)
{
	const struct vsnd_jack_desc *j = &card->desc->jacks[id];

	memset(out, 0, sizeof(struct vsnd_jack_info));
	put_le32(out + offsetof(struct vsnd_jack_info, hdr), j->nid);
	put_le32(out + offsetof(struct vsnd_jack_info, features), 0);
	put_le32(out + offsetof(struct vsnd_jack_info, hda_reg_defconf), j->defconf);
	put_le32(out + offsetof(struct vsnd_jack_info, hda_reg_caps), j->caps);
	out[offsetof(struct vsnd_jack_info, connected)] = card->jack_connected[id];
}

int vsnd_jack_remap(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r)
{
	(void)card;
	(void)id;
	(void)r;
	/* No jack offers VIRTIO_SND_JACK_F_REMAP. */
	return -EOPNOTSUPP;
}

int vsnd_card_jack_set(struct vsnd_card *card, uint32_t jack, bool connected)
{
	if (jack >= card->desc->num_jacks)
		return -ENOENT;
	if (card->jack_connected[jack] == connected)
		return 0;
	vsnd_card_enter(card);
	card->jack_connected[jack] = connected;
	vsnd_event_post(card, connected ? VIRTIO_SND_EVT_JACK_CONNECTED :
					  VIRTIO_SND_EVT_JACK_DISCONNECTED, jack);
	vsnd_card_leave(card);
	return 1;
}
