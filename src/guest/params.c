// SPDX-License-Identifier: MIT
/*
 * Choosing a stream and SET_PARAMS values the stream offers, for players and recorders.
 */
#include <errno.h>
#include <stdio.h>

#include "guest/guest.h"
#include "util/compiler.h"

#define DEFAULT_RATE_HZ		48000u
#define DEFAULT_CHANNELS	2u
#define DEFAULT_PERIOD_US	10000u
#define DEFAULT_PERIODS		4u

int vguest_stream_pick(const struct vguest_card *card, uint8_t direction, int requested)
{
	if (requested >= 0) {
		if ((uint32_t)requested >= card->num_streams)
			return -ENOENT;
		return card->streams[requested].direction == direction ? requested : -EINVAL;
	}
	for (uint32_t i = 0; i < card->num_streams; i++)
		if (card->streams[i].direction == direction)
			return (int)i;
	return -ENOENT;
}

int vguest_params_choose(const struct vguest_stream *s, const struct vguest_want *want,
			 struct vguest_pcm_params *out, char *err, size_t err_len)
{
	static const uint8_t default_formats[] = {
		VIRTIO_SND_PCM_FMT_S16, VIRTIO_SND_PCM_FMT_S32, VIRTIO_SND_PCM_FMT_S24,
		VIRTIO_SND_PCM_FMT_FLOAT,
	};
	const uint8_t *formats = want->num_formats ? want->formats : default_formats;
	unsigned int num_formats = want->num_formats ? want->num_formats :
						       VADSP_ARRAY_SIZE(default_formats);
	uint32_t rate_hz = want->rate_hz, period_us, frames, frame_bytes;
	unsigned int channels = want->channels, periods;
	int rate = -1, format = -1;

	if (!rate_hz) {
		rate = vguest_rate_code(DEFAULT_RATE_HZ);
		if (!(s->rates & (1ull << rate))) {
			rate = -1;
			for (uint8_t r = 0; r < VIRTIO_SND_PCM_RATE_COUNT; r++)
				if ((s->rates & (1ull << r)) &&
				    (rate < 0 || vguest_rate_hz(r) < vguest_rate_hz((uint8_t)rate)))
					rate = r;
		}
	} else {
		rate = vguest_rate_code(rate_hz);
		if (rate >= 0 && !(s->rates & (1ull << rate)))
			rate = -1;
	}
	if (rate < 0) {
		if (rate_hz)
			snprintf(err, err_len, "the stream does not offer %u Hz", rate_hz);
		else
			snprintf(err, err_len, "the stream offers no rate");
		return -ENOTSUP;
	}
	rate_hz = vguest_rate_hz((uint8_t)rate);
	if (!channels)
		channels = VADSP_MAX(VADSP_MIN(DEFAULT_CHANNELS, s->channels_max), s->channels_min);
	if (channels < s->channels_min || channels > s->channels_max) {
		snprintf(err, err_len, "the stream takes %u to %u channels, not %u",
			 s->channels_min, s->channels_max, channels);
		return -ENOTSUP;
	}
	for (unsigned int i = 0; i < num_formats && format < 0; i++)
		if (formats[i] < 64 && (s->formats & (1ull << formats[i])))
			format = formats[i];
	if (format < 0) {
		snprintf(err, err_len, "the stream offers none of the formats wanted (first: %s)",
			 vguest_format_name(formats[0]));
		return -ENOTSUP;
	}
	period_us = want->period_us ? want->period_us : DEFAULT_PERIOD_US;
	periods = want->periods ? want->periods : DEFAULT_PERIODS;
	frames = (uint32_t)(((uint64_t)rate_hz * period_us + 500000) / 1000000);
	if (!frames)
		frames = 1;
	frame_bytes = channels * vguest_format_bytes((uint8_t)format);
	*out = (struct vguest_pcm_params){
		.period_bytes = frames * frame_bytes,
		.buffer_bytes = frames * frame_bytes * periods,
		.channels = (uint8_t)channels,
		.format = (uint8_t)format,
		.rate = (uint8_t)rate,
	};
	return 0;
}
