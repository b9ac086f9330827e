/* SPDX-License-Identifier: MIT */
/*
 * PCM formats and rates: virtio-snd codes, the ALSA (topology) bits they come from, sample
 * sizes and silence.
 *
 * Topology stream caps carry SNDRV_PCM_FMTBIT_* and SNDRV_PCM_RATE_* masks. Every virtio
 * format but IMA_ADPCM (not a linear sample format: no fixed frame size) has an ALSA
 * format. Rates: the classic ALSA rate bits 0..14 (5512 .. 384000 Hz; 352800 has no virtio
 * code), Linux's extended bits 17 (12000 Hz) and 18 (24000 Hz) for the two VIRTIO 1.4
 * rates, and a continuous range (SNDRV_PCM_RATE_CONTINUOUS or _KNOT, or no rate bits at
 * all): every virtio rate between rate_min and rate_max, 12000 and 24000 included.
 */
#ifndef VADSP_SND_PCM_CAPS_H
#define VADSP_SND_PCM_CAPS_H

#include <stdint.h>

/* ALSA rate mask bits that mean "a range": CONTINUOUS and KNOT. */
#define VSND_ALSA_RATE_CONTINUOUS	(1u << 30)
#define VSND_ALSA_RATE_KNOT		(1u << 31)

/**
 * vsnd_formats_from_alsa() - virtio format bitmap for an SNDRV_PCM_FMTBIT_* mask
 */
uint64_t vsnd_formats_from_alsa(uint64_t alsa_formats);

/**
 * vsnd_rates_from_alsa() - virtio rate bitmap for an SNDRV_PCM_RATE_* mask and a range
 * @alsa_rates: the mask
 * @rate_min: lowest rate in Hz (used for a range)
 * @rate_max: highest rate in Hz (used for a range)
 */
uint64_t vsnd_rates_from_alsa(uint32_t alsa_rates, uint32_t rate_min, uint32_t rate_max);

/**
 * vsnd_format_sample_bytes() - bytes per sample of VIRTIO_SND_PCM_FMT_@format
 *
 * Return: 1 to 8, or 0 for IMA_ADPCM and codes out of range.
 */
unsigned int vsnd_format_sample_bytes(unsigned int format);

/**
 * vsnd_format_silence() - the bytes of one silent sample of VIRTIO_SND_PCM_FMT_@format
 *
 * Return: vsnd_format_sample_bytes() bytes (little-endian), or NULL when that is 0.
 */
const uint8_t *vsnd_format_silence(unsigned int format);

/**
 * vsnd_format_name() - "S16", "FLOAT", ... for log messages ("?" when out of range)
 */
const char *vsnd_format_name(unsigned int format);

/**
 * vsnd_rate_hz() - frames per second of VIRTIO_SND_PCM_RATE_@rate, or 0 when out of range
 */
uint32_t vsnd_rate_hz(unsigned int rate);

#endif /* VADSP_SND_PCM_CAPS_H */
