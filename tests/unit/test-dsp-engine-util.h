/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the DSP engine tests: building graphs through engine.h in one line per object,
 * a DAI I/O that records playback and plays back prepared capture frames, and the plain
 * reference arithmetic the outputs are checked against.
 */
#ifndef VADSP_TEST_DSP_ENGINE_UTIL_H
#define VADSP_TEST_DSP_ENGINE_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/engine.h"

static inline int t_host(struct dsp_engine *e, uint32_t id, uint32_t pipe, uint32_t dir,
			 uint32_t xrun_action)
{
	struct dsp_comp_desc d = {
		.id = id, .type = DSP_COMP_HOST, .pipeline_id = pipe, .fmt = DSP_FMT_S32_LE,
		.xrun_action = xrun_action, .host = { .direction = dir },
	};

	return dsp_comp_new(e, &d);
}

static inline int t_dai(struct dsp_engine *e, uint32_t id, uint32_t pipe, uint32_t dir,
			uint32_t fmt, uint32_t xrun_action)
{
	struct dsp_comp_desc d = {
		.id = id, .type = DSP_COMP_DAI, .pipeline_id = pipe, .fmt = fmt,
		.xrun_action = xrun_action, .dai = { .direction = dir, .type = 5, .index = 1 },
	};

	return dsp_comp_new(e, &d);
}

static inline int t_volume(struct dsp_engine *e, uint32_t id, uint32_t pipe, uint32_t fmt,
			   int32_t gain)
{
	struct dsp_comp_desc d = {
		.id = id, .type = DSP_COMP_VOLUME, .pipeline_id = pipe, .fmt = fmt,
		.volume = { .channels = 2, .min_value = 0, .max_value = 0x7fffff, .ramp = 0,
			    .ramp_ms = 0, .initial_gain = gain },
	};

	return dsp_comp_new(e, &d);
}

static inline int t_simple(struct dsp_engine *e, uint32_t id, uint32_t type, uint32_t pipe,
			   uint32_t fmt)
{
	struct dsp_comp_desc d = { .id = id, .type = type, .pipeline_id = pipe, .fmt = fmt };

	return dsp_comp_new(e, &d);
}

static inline int t_blob_comp(struct dsp_engine *e, uint32_t id, uint32_t type, uint32_t pipe,
			      uint32_t fmt, const void *blob, uint32_t size)
{
	struct dsp_comp_desc d = {
		.id = id, .type = type, .pipeline_id = pipe, .fmt = fmt,
		.process = { .data = blob, .size = size },
	};

	return dsp_comp_new(e, &d);
}

static inline int t_buf(struct dsp_engine *e, uint32_t id, uint32_t pipe)
{
	struct dsp_buffer_desc d = { .id = id, .pipeline_id = pipe, .size = 768, .caps = 0x61 };

	return dsp_buffer_new(e, &d);
}

static inline int t_pipe(struct dsp_engine *e, uint32_t comp_id, uint32_t pipe,
			 uint32_t sched_id)
{
	struct dsp_pipeline_desc d = {
		.comp_id = comp_id, .pipeline_id = pipe, .sched_id = sched_id, .period_us = 1000,
		.priority = 0, .period_mips = 5000,
	};

	return dsp_pipeline_new(e, &d);
}

/*
 * host (base) -> buffer (base + 1) -> volume (base + 2) -> buffer (base + 3) -> DAI (base + 4),
 * scheduled by the DAI, pipeline comp_id base + 5, all in pipeline @pipe; playback.
 */
static inline int t_chain(struct dsp_engine *e, const uint32_t *ids, size_t n);

static inline int t_playback(struct dsp_engine *e, uint32_t base, uint32_t pipe,
			     uint32_t vol_fmt, uint32_t dai_fmt, int32_t gain, uint32_t xrun)
{
	const uint32_t ids[] = { base, base + 1, base + 2, base + 3, base + 4 };
	int ret;

	ret = t_host(e, base, pipe, DSP_DIR_PLAYBACK, xrun);
	ret = ret ? ret : t_buf(e, base + 1, pipe);
	ret = ret ? ret : t_volume(e, base + 2, pipe, vol_fmt, gain);
	ret = ret ? ret : t_buf(e, base + 3, pipe);
	ret = ret ? ret : t_dai(e, base + 4, pipe, DSP_DIR_PLAYBACK, dai_fmt, 0);
	ret = ret ? ret : t_pipe(e, base + 5, pipe, base + 4);
	ret = ret ? ret : t_chain(e, ids, 5);
	return ret ? ret : dsp_pipeline_complete(e, base + 5);
}

/* Connect a chain: ids[0] -> ids[1] -> ... (alternating components and buffers). */
static inline int t_chain(struct dsp_engine *e, const uint32_t *ids, size_t n)
{
	size_t i;
	int ret;

	for (i = 0; i + 1 < n; i++) {
		ret = dsp_connect(e, ids[i], ids[i + 1]);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * A mixer's output: mixer @base -> buffer @base + 1 -> playback DAI @base + 2, all of format
 * @fmt in pipeline @pipe (comp_id @base + 3) scheduled by the DAI; complete.
 */
static inline int t_mixer_out(struct dsp_engine *e, uint32_t base, uint32_t pipe, uint32_t fmt)
{
	const uint32_t ids[] = { base, base + 1, base + 2 };
	int ret;

	ret = t_simple(e, base, DSP_COMP_MIXER, pipe, fmt);
	ret = ret ? ret : t_buf(e, base + 1, pipe);
	ret = ret ? ret : t_dai(e, base + 2, pipe, DSP_DIR_PLAYBACK, fmt, 0);
	ret = ret ? ret : t_pipe(e, base + 3, pipe, base + 2);
	ret = ret ? ret : t_chain(e, ids, 3);
	return ret ? ret : dsp_pipeline_complete(e, base + 3);
}

/*
 * A guest's pipeline @pipe joined to the shared component @shared (a mixer, mux or demux of
 * another pipeline): host @host -> buffer @host + 1 -> @shared on playback, @shared -> buffer
 * @host + 1 -> host @host on capture; pipeline comp_id @host + 4 scheduled by @sched; complete.
 */
static inline int t_guest(struct dsp_engine *e, uint32_t host, uint32_t pipe, uint32_t dir,
			  uint32_t shared, uint32_t sched)
{
	const uint32_t play[] = { host, host + 1, shared }, cap[] = { shared, host + 1, host };
	int ret;

	ret = t_host(e, host, pipe, dir, 0);
	ret = ret ? ret : t_buf(e, host + 1, pipe);
	ret = ret ? ret : t_pipe(e, host + 4, pipe, sched);
	ret = ret ? ret : t_chain(e, dir == DSP_DIR_PLAYBACK ? play : cap, 3);
	return ret ? ret : dsp_pipeline_complete(e, host + 4);
}

static inline int t_pcm(struct dsp_engine *e, uint32_t host, uint32_t dir, uint32_t fmt,
			uint32_t rate, uint32_t channels)
{
	struct dsp_pcm_params p = {
		.direction = dir, .fmt = fmt, .rate = rate, .channels = channels,
		.buffer_bytes = 0, .period_bytes = 0,
	};

	return dsp_pcm_params(e, host, &p);
}

/* A DAI I/O: records what playback writes; capture reads from a prepared array. */
struct t_io {
	uint8_t *rec;		/* recorded playback bytes */
	size_t rec_len;
	size_t rec_cap;
	const uint8_t *play;	/* capture source bytes */
	size_t play_len;
	size_t play_pos;
	uint32_t frame_bytes;
	bool refuse;		/* answer -EAGAIN */
	uint64_t calls;
};

static inline int t_io_write(void *opaque, const void *buf, uint32_t frames)
{
	struct t_io *io = opaque;
	size_t n = (size_t)frames * io->frame_bytes;

	io->calls++;
	if (io->refuse)
		return -EAGAIN;
	if (io->rec_len + n <= io->rec_cap) {
		memcpy(io->rec + io->rec_len, buf, n);
		io->rec_len += n;
	}
	return (int)frames;
}

static inline int t_io_read(void *opaque, void *buf, uint32_t frames)
{
	struct t_io *io = opaque;
	size_t n = (size_t)frames * io->frame_bytes;

	io->calls++;
	if (io->refuse || io->play_pos + n > io->play_len)
		return -EAGAIN;
	memcpy(buf, io->play + io->play_pos, n);
	io->play_pos += n;
	return (int)frames;
}

static inline int t_bind(struct dsp_engine *e, uint32_t dai, struct t_io *io, uint32_t fmt,
			 uint32_t rate, uint32_t channels)
{
	struct dsp_dai_io d = {
		.write = t_io_write, .read = t_io_read, .opaque = io, .fmt = fmt, .rate = rate,
		.channels = channels,
	};

	io->frame_bytes = (uint32_t)dsp_fmt_frame_bytes(fmt, channels);
	return dsp_dai_bind(e, dai, &d);
}

/* A deterministic pseudo-random sequence (xorshift32). */
static inline uint32_t t_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* SOF's volume arithmetic, written out: sat(floor(x * g / 2^16 + 1/2)). */
static inline int32_t t_gain32(int32_t x, int32_t g)
{
	int64_t y = ((int64_t)x * g + 0x8000) >> 16;

	return y > INT32_MAX ? INT32_MAX : y < INT32_MIN ? INT32_MIN : (int32_t)y;
}

static inline int16_t t_gain16(int16_t x, int32_t g)
{
	int64_t y = ((int64_t)x * g + 0x8000) >> 16;

	return (int16_t)(y > INT16_MAX ? INT16_MAX : y < INT16_MIN ? INT16_MIN : y);
}

static inline int32_t t_sat32(int64_t x)
{
	return x > INT32_MAX ? INT32_MAX : x < INT32_MIN ? INT32_MIN : (int32_t)x;
}

#endif /* VADSP_TEST_DSP_ENGINE_UTIL_H */
