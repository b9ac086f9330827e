// SPDX-License-Identifier: MIT
/*
 * PCM formats and rates, as tables keyed by the virtio code.
 */
#include <stdbool.h>

#include "snd/pcm-caps.h"
#include "snd/virtio-snd.h"
#include "util/compiler.h"

/*
 * ALSA's format numbers (SNDRV_PCM_FORMAT_*: the bit of the FMTBIT mask), the physical
 * sample width, and one sample of silence as ALSA defines it (little-endian).
 */
struct format_info {
	int alsa;			/* -1: no ALSA format is offered for it */
	uint8_t bytes;
	const char *name;
	uint8_t silence[8];
};

static const struct format_info formats[VIRTIO_SND_PCM_FMT_COUNT] = {
	[VIRTIO_SND_PCM_FMT_IMA_ADPCM] = { -1, 0, "IMA_ADPCM", { 0 } },
	[VIRTIO_SND_PCM_FMT_MU_LAW] = { 20, 1, "MU_LAW", { 0x7f } },
	[VIRTIO_SND_PCM_FMT_A_LAW] = { 21, 1, "A_LAW", { 0x55 } },
	[VIRTIO_SND_PCM_FMT_S8] = { 0, 1, "S8", { 0 } },
	[VIRTIO_SND_PCM_FMT_U8] = { 1, 1, "U8", { 0x80 } },
	[VIRTIO_SND_PCM_FMT_S16] = { 2, 2, "S16", { 0 } },
	[VIRTIO_SND_PCM_FMT_U16] = { 4, 2, "U16", { 0x00, 0x80 } },
	[VIRTIO_SND_PCM_FMT_S18_3] = { 40, 3, "S18_3", { 0 } },
	[VIRTIO_SND_PCM_FMT_U18_3] = { 42, 3, "U18_3", { 0x00, 0x00, 0x02 } },
	[VIRTIO_SND_PCM_FMT_S20_3] = { 36, 3, "S20_3", { 0 } },
	[VIRTIO_SND_PCM_FMT_U20_3] = { 38, 3, "U20_3", { 0x00, 0x00, 0x08 } },
	[VIRTIO_SND_PCM_FMT_S24_3] = { 32, 3, "S24_3", { 0 } },
	[VIRTIO_SND_PCM_FMT_U24_3] = { 34, 3, "U24_3", { 0x00, 0x00, 0x80 } },
	[VIRTIO_SND_PCM_FMT_S20] = { 25, 4, "S20", { 0 } },
	[VIRTIO_SND_PCM_FMT_U20] = { 27, 4, "U20", { 0x00, 0x00, 0x08, 0x00 } },
	[VIRTIO_SND_PCM_FMT_S24] = { 6, 4, "S24", { 0 } },
	[VIRTIO_SND_PCM_FMT_U24] = { 8, 4, "U24", { 0x00, 0x00, 0x80, 0x00 } },
	[VIRTIO_SND_PCM_FMT_S32] = { 10, 4, "S32", { 0 } },
	[VIRTIO_SND_PCM_FMT_U32] = { 12, 4, "U32", { 0x00, 0x00, 0x00, 0x80 } },
	[VIRTIO_SND_PCM_FMT_FLOAT] = { 14, 4, "FLOAT", { 0 } },
	[VIRTIO_SND_PCM_FMT_FLOAT64] = { 16, 8, "FLOAT64", { 0 } },
	[VIRTIO_SND_PCM_FMT_DSD_U8] = { 48, 1, "DSD_U8", { 0x69 } },
	[VIRTIO_SND_PCM_FMT_DSD_U16] = { 49, 2, "DSD_U16", { 0x69, 0x69 } },
	[VIRTIO_SND_PCM_FMT_DSD_U32] = { 50, 4, "DSD_U32", { 0x69, 0x69, 0x69, 0x69 } },
	[VIRTIO_SND_PCM_FMT_IEC958_SUBFRAME] = { 18, 4, "IEC958_SUBFRAME", { 0 } },
};

/* Each virtio rate: its frequency and the ALSA rate bit that names it (-1: none). */
struct rate_info {
	uint32_t hz;
	int alsa_bit;
};

static const struct rate_info rates[VIRTIO_SND_PCM_RATE_COUNT] = {
	[VIRTIO_SND_PCM_RATE_5512] = { 5512, 0 },
	[VIRTIO_SND_PCM_RATE_8000] = { 8000, 1 },
	[VIRTIO_SND_PCM_RATE_11025] = { 11025, 2 },
	[VIRTIO_SND_PCM_RATE_16000] = { 16000, 3 },
	[VIRTIO_SND_PCM_RATE_22050] = { 22050, 4 },
	[VIRTIO_SND_PCM_RATE_32000] = { 32000, 5 },
	[VIRTIO_SND_PCM_RATE_44100] = { 44100, 6 },
	[VIRTIO_SND_PCM_RATE_48000] = { 48000, 7 },
	[VIRTIO_SND_PCM_RATE_64000] = { 64000, 8 },
	[VIRTIO_SND_PCM_RATE_88200] = { 88200, 9 },
	[VIRTIO_SND_PCM_RATE_96000] = { 96000, 10 },
	[VIRTIO_SND_PCM_RATE_176400] = { 176400, 11 },
	[VIRTIO_SND_PCM_RATE_192000] = { 192000, 12 },
	[VIRTIO_SND_PCM_RATE_384000] = { 384000, 14 },
	[VIRTIO_SND_PCM_RATE_12000] = { 12000, 17 },
	[VIRTIO_SND_PCM_RATE_24000] = { 24000, 18 },
};

uint64_t vsnd_formats_from_alsa(uint64_t alsa_formats)
{
	uint64_t out = 0;

	for (unsigned int i = 0; i < VADSP_ARRAY_SIZE(formats); i++)
		if (formats[i].alsa >= 0 && (alsa_formats >> formats[i].alsa) & 1)
			out |= 1ull << i;
	return out;
}

uint64_t vsnd_rates_from_alsa(uint32_t alsa_rates, uint32_t rate_min, uint32_t rate_max)
{
	bool range = !alsa_rates ||
		     (alsa_rates & (VSND_ALSA_RATE_CONTINUOUS | VSND_ALSA_RATE_KNOT));
	uint64_t out = 0;

	for (unsigned int i = 0; i < VADSP_ARRAY_SIZE(rates); i++) {
		bool named = (alsa_rates >> rates[i].alsa_bit) & 1;
		bool in_range = range && rates[i].hz >= rate_min && rates[i].hz <= rate_max;

		if (named || in_range)
			out |= 1ull << i;
	}
	return out;
}

unsigned int vsnd_format_sample_bytes(unsigned int format)
{
	return format < VADSP_ARRAY_SIZE(formats) ? formats[format].bytes : 0;
}

const uint8_t *vsnd_format_silence(unsigned int format)
{
	if (!vsnd_format_sample_bytes(format))
		return NULL;
	return formats[format].silence;
}

const char *vsnd_format_name(unsigned int format)
{
	return format < VADSP_ARRAY_SIZE(formats) ? formats[format].name : "?";
}

uint32_t vsnd_rate_hz(unsigned int rate)
{
	return rate < VADSP_ARRAY_SIZE(rates) ? rates[rate].hz : 0;
}
