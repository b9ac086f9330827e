// SPDX-License-Identifier: MIT
/*
 * Sound files for `vadsp play` and `vadsp record` (audio-file.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "audio-file.h"
#include "ipc/ipc3.h"
#include "snd/virtio-snd.h"

uint8_t vadsp_file_format(int sf_format)
{
	switch (sf_format & SF_FORMAT_SUBMASK) {
	case SF_FORMAT_PCM_24:
		return VIRTIO_SND_PCM_FMT_S24;
	case SF_FORMAT_PCM_32:
		return VIRTIO_SND_PCM_FMT_S32;
	case SF_FORMAT_FLOAT:
	case SF_FORMAT_DOUBLE:
		return VIRTIO_SND_PCM_FMT_FLOAT;
	default:
		return VIRTIO_SND_PCM_FMT_S16;
	}
}

int vadsp_file_subformat(uint8_t format)
{
	switch (format) {
	case VIRTIO_SND_PCM_FMT_S24:
		return SF_FORMAT_PCM_24;
	case VIRTIO_SND_PCM_FMT_S32:
		return SF_FORMAT_PCM_32;
	case VIRTIO_SND_PCM_FMT_FLOAT:
		return SF_FORMAT_FLOAT;
	default:
		return SF_FORMAT_PCM_16;
	}
}

sf_count_t vadsp_file_read(SNDFILE *sf, uint8_t format, void *buf, sf_count_t frames,
			   unsigned int channels)
{
	int32_t *s = buf;
	sf_count_t n;

	switch (format) {
	case VIRTIO_SND_PCM_FMT_S16:
		return sf_readf_short(sf, buf, frames);
	case VIRTIO_SND_PCM_FMT_FLOAT:
		return sf_readf_float(sf, buf, frames);
	default:
		n = sf_readf_int(sf, buf, frames);
		if (format == VIRTIO_SND_PCM_FMT_S24)
			for (sf_count_t i = 0; i < n * (sf_count_t)channels; i++)
				s[i] >>= 8;
		return n;
	}
}

sf_count_t vadsp_file_write(SNDFILE *sf, uint8_t format, void *data, sf_count_t frames,
			    unsigned int channels)
{
	int32_t *s = data;

	switch (format) {
	case VIRTIO_SND_PCM_FMT_S16:
		return sf_writef_short(sf, data, frames);
	case VIRTIO_SND_PCM_FMT_FLOAT:
		return sf_writef_float(sf, data, frames);
	case VIRTIO_SND_PCM_FMT_S24:
		for (sf_count_t i = 0; i < frames * (sf_count_t)channels; i++)
			s[i] = (int32_t)((uint32_t)s[i] << 8);
		return sf_writef_int(sf, data, frames);
	default:
		return sf_writef_int(sf, data, frames);
	}
}

uint32_t vadsp_ipc3_frame_fmt(uint8_t format)
{
	switch (format) {
	case VIRTIO_SND_PCM_FMT_S24:
		return IPC3_FRAME_S24_4LE;
	case VIRTIO_SND_PCM_FMT_S32:
		return IPC3_FRAME_S32_LE;
	case VIRTIO_SND_PCM_FMT_FLOAT:
		return IPC3_FRAME_FLOAT;
	default:
		return IPC3_FRAME_S16_LE;
	}
}

uint8_t vadsp_virtio_format(uint32_t frame_fmt)
{
	switch (frame_fmt) {
	case IPC3_FRAME_S24_4LE:
		return VIRTIO_SND_PCM_FMT_S24;
	case IPC3_FRAME_S32_LE:
		return VIRTIO_SND_PCM_FMT_S32;
	case IPC3_FRAME_FLOAT:
		return VIRTIO_SND_PCM_FMT_FLOAT;
	default:
		return VIRTIO_SND_PCM_FMT_S16;
	}
}

int vadsp_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return (errno || end == s || *end || s[0] == '-' || *v < min || *v > max) ? -EINVAL : 0;
}
