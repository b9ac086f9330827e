// SPDX-License-Identifier: MIT
/*
 * Channel maps: one per stream, for the stream's largest channel count.
 *
 * The positions are the standard ALSA layouts (the order of HDA and of ALSA's own standard
 * maps), counted up from stereo:
 *   1 MONO
 *   2 FL FR
 *   3 FL FR FC
 *   4 FL FR RL RR
 *   5 FL FR RL RR FC
 *   6 FL FR RL RR FC LFE                  (5.1)
 *   7 FL FR RL RR FC LFE RC               (6.1)
 *   8 FL FR RL RR FC LFE SL SR            (7.1)
 * Channels 9 to 18 are NONE (unspecified); the map carries at most 18 positions.
 */
#include <string.h>

#include "snd/card.h"
#include "snd/ctl-msg.h"
#include "snd/virtio-snd.h"
#include "util/le.h"

static const uint8_t std_maps[8][8] = {
	{ VIRTIO_SND_CHMAP_MONO },
	{ VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR },
	{ VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR, VIRTIO_SND_CHMAP_FC },
	{ VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR, VIRTIO_SND_CHMAP_RL, VIRTIO_SND_CHMAP_RR },
	{ VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR, VIRTIO_SND_CHMAP_RL, VIRTIO_SND_CHMAP_RR,
	  VIRTIO_SND_CHMAP_FC },
	{ VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR, VIRTIO_SND_CHMAP_RL, VIRTIO_SND_CHMAP_RR,
	  VIRTIO_SND_CHMAP_FC, VIRTIO_SND_CHMAP_LFE },
	{ VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR, VIRTIO_SND_CHMAP_RL, VIRTIO_SND_CHMAP_RR,
	  VIRTIO_SND_CHMAP_FC, VIRTIO_SND_CHMAP_LFE, VIRTIO_SND_CHMAP_RC },
	{ VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR, VIRTIO_SND_CHMAP_RL, VIRTIO_SND_CHMAP_RR,
	  VIRTIO_SND_CHMAP_FC, VIRTIO_SND_CHMAP_LFE, VIRTIO_SND_CHMAP_SL, VIRTIO_SND_CHMAP_SR },
};

/**
 * vsnd_chmap_standard() - the standard positions for @channels channels
 * @channels: 1 to 255
 * @positions: VIRTIO_SND_CHMAP_MAX_SIZE entries, filled (NONE beyond the channels)
 */
void vsnd_chmap_standard(unsigned int channels, uint8_t *positions)
{
	memset(positions, VIRTIO_SND_CHMAP_NONE, VIRTIO_SND_CHMAP_MAX_SIZE);
	if (channels >= 1 && channels <= 8)
		memcpy(positions, std_maps[channels - 1], channels);
}

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
