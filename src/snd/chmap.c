// SPDX-License-Identifier: MIT
/*
 * Channel maps: one per stream, for the stream's largest channel count, in the standard
 * positions of snd/chmap-std.h.
 */
#include <string.h>

#include "snd/card.h"
#include "snd/ctl-msg.h"
#include "snd/virtio-snd.h"
#include "util/le.h"

void vsnd_chmap_info(const struct vsnd_card *card, uint32_t id, uint8_t *out)
{
	const struct vsnd_stream_desc *s = &card->desc->streams[id];
	unsigned int channels = VADSP_MIN(s->channels_max, VIRTIO_SND_CHMAP_MAX_SIZE);

	memset(out, 0, sizeof(struct vsnd_chmap_info));
	put_le32(out + offsetof(struct vsnd_chmap_info, hdr), s->nid);
	out[offsetof(struct vsnd_chmap_info, direction)] = s->direction;
	out[offsetof(struct vsnd_chmap_info, channels)] = (uint8_t)channels;
	memcpy(out + offsetof(struct vsnd_chmap_info, positions), s->positions,
	       VIRTIO_SND_CHMAP_MAX_SIZE);
}
