/* SPDX-License-Identifier: MIT */
/*
 * Buffers: the queues between components.
 *
 * A buffer connects one producer (its source component) to one consumer (its sink). It
 * carries the producer's stream (format, rate, channels) and holds frames in a linear array:
 * the frames queued are [rd, wr). Readers get one contiguous span; a writer that needs more
 * room at the end than is left moves the queued frames to the front first (a few frames at
 * most in steady state, where each period empties the buffer and the indices return to 0).
 * So every kernel works on contiguous spans and never on a wrapped one.
 *
 * A producer whose frames already sit contiguously in memory of its own (a host's ring) may
 * lend them instead of copying: dsp_buffer_lend() points an empty buffer at them for one
 * period, dsp_buffer_unlend() ends the loan after the consumer ran, copying into the buffer's
 * own storage whatever the consumer left.
 *
 * When the consumer works in another format, or asks for staging (the mixer), the buffer
 * also has a staging area of the same capacity in the consumer's format: dsp_buffer_input()
 * converts into it.
 *
 * Storage is allocated when a stream is prepared and kept until the buffer is freed (it is
 * reallocated only if a later stream needs a different size). One thread uses a buffer (the
 * engine's), so there is no synchronisation.
 */
#ifndef VADSP_DSP_BUFFER_H
#define VADSP_DSP_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dsp/comp.h"
#include "dsp/format.h"
#include "dsp/kernels/volume.h"

/**
 * struct dsp_buffer - a buffer
 * @data: storage
 * @conv: conversion to the consumer's format, or NULL
 * @stage: staging area (@cap frames of the consumer's format), or NULL
 * @own: the buffer's own storage while @data points at lent frames, else NULL
 * @mix_into: the sum of the mixer reading it, when its producer hands its frames over early
 *	(comp.h, "Early mixing"); set by the mixer's plan
 * @cap: capacity in frames
 * @rd: first queued frame
 * @wr: one past the last queued frame
 * @frame_bytes: bytes per frame of @stream
 * @own_cap: capacity of @own in frames
 * @stage_frame_bytes: bytes per frame in @stage
 * @mix_taken: the tick (engine tick count) in which the producer last handed it over
 * @source: producer, or NULL
 * @sink: consumer, or NULL
 * @stream: the producer's stream
 * @has_stream: @stream is set
 * @obj: id and pipeline
 * @size: requested bytes (BUFFER_NEW)
 * @caps: recorded
 * @flags: recorded
 * @min_frames: capacity the producer and consumer asked for during params
 * @data_frame_bytes: the frame size @data was allocated for
 * @mark: scratch for graph walks
 *
 * What the period path reads comes first: the first cache line, then the second (buffers
 * are allocated aligned to it).
 */
struct dsp_buffer {
	uint8_t *data;
	dsp_convert_fn conv;
	uint8_t *stage;
	uint8_t *own;
	struct dsp_mix_sum *mix_into;
	uint32_t cap;
	uint32_t rd;
	uint32_t wr;
	uint32_t frame_bytes;
	uint32_t own_cap;
	uint32_t stage_frame_bytes;
	uint64_t mix_taken;
	struct dsp_comp *source;
	struct dsp_comp *sink;
	struct dsp_stream stream;
	bool has_stream;
	struct dsp_obj obj;
	uint32_t size;
	uint32_t caps;
	uint32_t flags;
	uint32_t min_frames;
	uint32_t data_frame_bytes;
	uint32_t mark;
};

_Static_assert(offsetof(struct dsp_buffer, mix_taken) == DSP_CACHE_LINE,
	       "the period path's fields of struct dsp_buffer fill its first cache line");

/* Frames queued. */
static inline uint32_t dsp_buffer_avail(const struct dsp_buffer *b)
{
	return b->wr - b->rd;
}

/* Frames that can be added. */
static inline uint32_t dsp_buffer_room(const struct dsp_buffer *b)
{
	return b->cap - (b->wr - b->rd);
}

/* The first queued frame (in the buffer's own format). */
static inline const void *dsp_buffer_read_ptr(const struct dsp_buffer *b)
{
	return b->data + (size_t)b->rd * b->frame_bytes;
}

/* Drop @frames queued frames (at most dsp_buffer_avail()). */
static inline void dsp_buffer_consume(struct dsp_buffer *b, uint32_t frames)
{
	b->rd += frames;
	if (b->rd == b->wr)
		b->rd = b->wr = 0;
}

/*
 * Where to write @frames frames (at most dsp_buffer_room()); call dsp_buffer_produce()
 * after writing. Moves the queued frames to the front when the tail is too short.
 */
static inline void *dsp_buffer_write_ptr(struct dsp_buffer *b, uint32_t frames)
{
	if (b->cap - b->wr < frames && b->rd) {
		memmove(b->data, b->data + (size_t)b->rd * b->frame_bytes,
			(size_t)(b->wr - b->rd) * b->frame_bytes);
		b->wr -= b->rd;
		b->rd = 0;
	}
	return b->data + (size_t)b->wr * b->frame_bytes;
}

/* Queue @frames frames written at dsp_buffer_write_ptr(). */
static inline void dsp_buffer_produce(struct dsp_buffer *b, uint32_t frames)
{
	b->wr += frames;
}

/*
 * @frames queued frames in the consumer's format: the buffer's own frames, or a conversion
 * of them in the staging area. Does not consume.
 */
static inline const void *dsp_buffer_input(struct dsp_buffer *b, uint32_t frames)
{
	if (!b->conv)
		return dsp_buffer_read_ptr(b);
	b->conv(b->stage, dsp_buffer_read_ptr(b), (size_t)frames * b->stream.channels);
	return b->stage;
}

/*
 * Point an empty buffer at @frames frames that its producer keeps elsewhere, for the consumer
 * to read this period without a copy. Period path.
 */
static inline void dsp_buffer_lend(struct dsp_buffer *b, const void *frames_at, uint32_t frames)
{
	b->own = b->data;
	b->own_cap = b->cap;
	b->data = (uint8_t *)frames_at;
	b->cap = frames;
	b->rd = 0;
	b->wr = frames;
}

/*
 * End a loan: the frames the consumer did not take move into the buffer's own storage (which
 * holds at least two periods). Period path.
 */
static inline void dsp_buffer_unlend(struct dsp_buffer *b)
{
	uint32_t left = b->wr - b->rd;

	if (VADSP_UNLIKELY(left))
		memcpy(b->own, b->data + (size_t)b->rd * b->frame_bytes,
		       (size_t)left * b->frame_bytes);
	b->data = b->own;
	b->cap = b->own_cap;
	b->own = NULL;
	b->rd = 0;
	b->wr = left;
}

/* True if the mixer reading @b reads its frames as they are (no conversion) and mixes it. */
static inline bool dsp_mix_direct(const struct dsp_buffer *b)
{
	return b->stage && !b->conv;
}

/* The producer added what the mixer takes from @b this tick to @s itself, leaving @b empty. */
static inline void dsp_mix_added(struct dsp_mix_sum *s, struct dsp_buffer *b)
{
	b->mix_taken = s->tick;
	s->taken++;
	s->stats.direct++;
}

/**
 * dsp_volume_take() - a volume takes a period straight into the sum of the mixer after it
 * @c: a volume component (its private state starts with its struct dsp_vol)
 * @src: @frames frames of its input, as its input buffer would hold them
 * @frames: frames
 *
 * What its copy does when its input buffer holds @src and its output goes straight into the
 * mixer's sum (comp.h, "Early mixing"), without the input buffer: for a pipeline that runs
 * its period in one call (a host lending its ring to the volume, comp-host.c). Period path.
 *
 * Return: true if done; false if the copy would not go straight into the sum now (nothing
 * done then).
 */
static inline bool dsp_volume_take(struct dsp_comp *c, const void *src, uint32_t frames)
{
	struct dsp_vol *v = c->priv;
	struct dsp_buffer *out = dsp_comp_out1(c);
	struct dsp_mix_sum *sum = out->mix_into;
	uint32_t take;

	/* the volume copy's first branch, for an input buffer holding exactly @frames at @src */
	if (!sum || dsp_buffer_avail(out) || !dsp_mix_direct(out) ||
	    frames > dsp_buffer_room(out))
		return false;
	take = dsp_mix_frames(sum);
	if (!take || frames > take || dsp_vol_accumulate(v, sum->acc, src, frames))
		return false;
	dsp_mix_added(sum, out);
	sum->stats.fused++;
	return true;
}

/* Empty the buffer. */
static inline void dsp_buffer_clear(struct dsp_buffer *b)
{
	b->rd = b->wr = 0;
}

/**
 * dsp_buffer_setup() - give a buffer storage for its stream and its consumer
 * @b: a buffer whose stream is set
 * @consumer_fmt: the format its consumer works in, or DSP_COMP_FMT_INHERIT if unknown yet
 * @stage: whether the consumer wants a staging area regardless of formats
 *
 * Control path. Capacity: the larger of the requested size and b->min_frames.
 *
 * Return: 0, -EINVAL, -ENOMEM (the buffer keeps its old storage then).
 */
int dsp_buffer_setup(struct dsp_buffer *b, uint32_t consumer_fmt, bool stage);

/* Free the storage (control path). */
void dsp_buffer_release(struct dsp_buffer *b);

/* Set the stream a producer writes (control path, params). */
void dsp_buffer_set_stream(struct dsp_buffer *b, uint32_t fmt, uint32_t rate, uint32_t channels);

/* Ask for room of at least @frames frames (params). */
static inline void dsp_buffer_need(struct dsp_buffer *b, uint32_t frames)
{
	if (b->min_frames < frames)
		b->min_frames = frames;
}

#endif /* VADSP_DSP_BUFFER_H */
