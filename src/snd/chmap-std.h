// SPDX-License-Identifier: MIT
/*
 * The standard channel positions for a channel count: the layouts of HDA and of ALSA's own
 * standard maps, counted up from stereo:
 *   1 MONO
 *   2 FL FR
 *   3 FL FR FC
 *   4 FL FR RL RR
 *   5 FL FR RL RR FC
 *   6 FL FR RL RR FC LFE                  (5.1)
 *   7 FL FR RL RR FC LFE RC               (6.1)
 *   8 FL FR RL RR FC LFE SL SR            (7.1)
 * Channels 9 to 18 are NONE (unspecified); a map carries at most 18 positions.
 *
 * Header-only: the device (snd/chmap.c: CHMAP_INFO of a topology stream) and the ALSA plugin's
 * DSP-aware mode (a SOF topology has no channel map) give the same positions.
 */
#ifndef VADSP_SND_CHMAP_STD_H
#define VADSP_SND_CHMAP_STD_H

#include <stdint.h>
#include <string.h>

#include "snd/virtio-snd.h"

/**
 * vsnd_chmap_standard() - the standard positions for @channels channels
 * @channels: 1 to 255
 * @positions: VIRTIO_SND_CHMAP_MAX_SIZE entries, filled (NONE beyond the channels)
 */
static inline void vsnd_chmap_standard(unsigned int channels, uint8_t *positions)
{
	static const uint8_t maps[8][8] = {
		{ VIRTIO_SND_CHMAP_MONO },
		{ VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR },
		{ VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR, VIRTIO_SND_CHMAP_FC },
		{ VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR, VIRTIO_SND_CHMAP_RL,
		  VIRTIO_SND_CHMAP_RR },
		{ VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR, VIRTIO_SND_CHMAP_RL,
		  VIRTIO_SND_CHMAP_RR, VIRTIO_SND_CHMAP_FC },
		{ VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR, VIRTIO_SND_CHMAP_RL,
		  VIRTIO_SND_CHMAP_RR, VIRTIO_SND_CHMAP_FC, VIRTIO_SND_CHMAP_LFE },
		{ VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR, VIRTIO_SND_CHMAP_RL,
		  VIRTIO_SND_CHMAP_RR, VIRTIO_SND_CHMAP_FC, VIRTIO_SND_CHMAP_LFE,
		  VIRTIO_SND_CHMAP_RC },
		{ VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR, VIRTIO_SND_CHMAP_RL,
		  VIRTIO_SND_CHMAP_RR, VIRTIO_SND_CHMAP_FC, VIRTIO_SND_CHMAP_LFE,
		  VIRTIO_SND_CHMAP_SL, VIRTIO_SND_CHMAP_SR },
	};

	memset(positions, VIRTIO_SND_CHMAP_NONE, VIRTIO_SND_CHMAP_MAX_SIZE);
	if (channels >= 1 && channels <= 8)
		memcpy(positions, maps[channels - 1], channels);
}

#endif
