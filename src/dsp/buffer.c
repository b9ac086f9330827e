// SPDX-License-Identifier: MIT
/*
 * Buffers: storage and streams (the queue operations are inline in buffer.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "dsp/buffer.h"

void dsp_buffer_set_stream(struct dsp_buffer *b, uint32_t fmt, uint32_t rate, uint32_t channels)
{
	b->has_stream = true;
	b->stream.fmt = fmt;
	b->stream.rate = rate;
	b->stream.channels = channels;
	b->frame_bytes = (uint32_t)dsp_fmt_frame_bytes(fmt, channels);
}

int dsp_buffer_setup(struct dsp_buffer *b, uint32_t consumer_fmt, bool stage)
{
	uint32_t fb = b->frame_bytes;
	uint32_t cap, sfb = 0;
	bool want_stage;
	dsp_convert_fn conv = NULL;
	uint8_t *data, *st = NULL;

	if (!b->has_stream || !fb)
		return -EINVAL;
	cap = b->size / fb;
	if (cap < b->min_frames)
		cap = b->min_frames;
	if (cap == 0)
		return -EINVAL;

	if (consumer_fmt != DSP_COMP_FMT_INHERIT && consumer_fmt != b->stream.fmt) {
		conv = dsp_convert_func(b->stream.fmt, consumer_fmt);
		if (!conv)
			return -EINVAL;
	}
	want_stage = conv || stage;
	if (want_stage) {
		uint32_t sfmt = consumer_fmt != DSP_COMP_FMT_INHERIT ? consumer_fmt : b->stream.fmt;

		sfb = (uint32_t)dsp_fmt_frame_bytes(sfmt, b->stream.channels);
	}

	/* Keep the storage when it already fits exactly. */
	if (b->data && b->cap == cap && b->data_frame_bytes == fb && b->rd == 0 && b->wr == 0 &&
	    (!want_stage || (b->stage && b->stage_frame_bytes == sfb))) {
		data = b->data;
	} else {
		data = calloc(cap, fb);
		if (!data)
			return -ENOMEM;
		if (want_stage) {
			st = calloc(cap, sfb);
			if (!st) {
				free(data);
				return -ENOMEM;
			}
		}
		dsp_buffer_release(b);
		b->data = data;
		b->stage = st;
		b->cap = cap;
		b->data_frame_bytes = fb;
	}
	if (!want_stage && b->stage) {
		free(b->stage);
		b->stage = NULL;
	}
	b->stage_frame_bytes = want_stage ? sfb : 0;
	b->conv = conv;
	b->rd = b->wr = 0;
	return 0;
}

void dsp_buffer_release(struct dsp_buffer *b)
{
	free(b->data);
	free(b->stage);
	b->data = NULL;
	b->stage = NULL;
	b->cap = 0;
	b->data_frame_bytes = 0;
	b->rd = b->wr = 0;
	b->conv = NULL;
	b->stage_frame_bytes = 0;
}
