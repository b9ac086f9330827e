/* SPDX-License-Identifier: MIT */
/*
 * Sound files for `vadsp play` and `vadsp record`: libsndfile reads and writes in the
 * guest's sample formats, and the format numbers of the two kinds of guest.
 *
 * A plain guest names formats by virtio-snd code (VIRTIO_SND_PCM_FMT_S16, S24, S32,
 * FLOAT), a DSP-aware one by SOF IPC3 frame format (IPC3_FRAME_S16_LE, S24_4LE, S32_LE,
 * FLOAT); the functions here take the virtio code and the two maps convert. S24 is 24 bits
 * in the low bytes of 32, as both specifications have it; libsndfile's ints are full scale,
 * so S24 samples are shifted on the way.
 */
#ifndef VADSP_TOOLS_AUDIO_FILE_H
#define VADSP_TOOLS_AUDIO_FILE_H

#include <stdint.h>

#include <sndfile.h>

/* The virtio format closest to a libsndfile format (SF_INFO.format). */
uint8_t vadsp_file_format(int sf_format);

/* The libsndfile subformat (SF_FORMAT_PCM_16...) that holds a virtio format exactly. */
int vadsp_file_subformat(uint8_t format);

/**
 * vadsp_file_read() - read frames of a sound file in a virtio format
 * @sf: the file
 * @format: VIRTIO_SND_PCM_FMT_S16, S24, S32 or FLOAT
 * @buf: room for @frames frames of @channels
 * @frames: the most to read
 * @channels: the file's channel count
 *
 * Return: frames read (0 at the end).
 */
sf_count_t vadsp_file_read(SNDFILE *sf, uint8_t format, void *buf, sf_count_t frames,
			   unsigned int channels);

/**
 * vadsp_file_write() - write frames in a virtio format to a sound file
 * @sf: the file
 * @format: as for vadsp_file_read()
 * @data: the frames; S24 samples are shifted in place
 * @frames: how many
 * @channels: the file's channel count
 *
 * Return: frames written.
 */
sf_count_t vadsp_file_write(SNDFILE *sf, uint8_t format, void *data, sf_count_t frames,
			    unsigned int channels);

/* The IPC3 frame format of a virtio format (S16 for anything else). */
uint32_t vadsp_ipc3_frame_fmt(uint8_t format);

/* The virtio format of an IPC3 frame format (S16 for anything else). */
uint8_t vadsp_virtio_format(uint32_t frame_fmt);

/* Parse a decimal in [@min, @max]. Return: 0, or -EINVAL. */
int vadsp_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *v);

#endif /* VADSP_TOOLS_AUDIO_FILE_H */
