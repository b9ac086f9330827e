// SPDX-License-Identifier: MIT
/*
 * Host component: where a guest's stream enters or leaves the DSP.
 *
 * The frames travel through an SPSC ring (util/ringbuf.h) in the PCM format, allocated at
 * params: at least the guest's buffer and four periods, rounded up to a power of two; the
 * caller may queue no more than the larger of the guest's buffer and two periods. Each run
 * moves one period (rate * period) between the ring and the pipeline's first (playback) or
 * last (capture) buffer, converting nothing: the buffer next to a playback host carries the
 * PCM format, and a capture host's input is converted to it by its buffer.
 *
 * When a whole playback period is queued and the host's consumer runs in the same pipeline,
 * the host lends the ring's bytes to its buffer instead of copying them (dsp_buffer_lend();
 * a period that wraps at the ring's end has its head copied to a period's room after the end
 * first); the space returns to the guest when the pipeline's period is over (the post step),
 * so the guest never sees the difference.
 *
 * Position: frames moved through the ring since START, and as SOF reports it, the byte
 * count modulo the host buffer; wallclock counts periods of stream time (frames) while
 * running, whether or not data was there. A POSITION event is queued each time another
 * period_bytes have moved.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/buffer.h"
#include "dsp/comp.h"
#include "dsp/pipeline.h"
#include "dsp/sched.h"
#include "util/ringbuf.h"

/* The fields each period reads come first: one cache line (the struct is aligned to it). */
struct host_priv {
	struct vadsp_ringbuf ring;
	uint32_t frame_bytes;
	uint32_t lent;			/* bytes of the ring lent this period */
	uint64_t host_frames;
	uint64_t wallclock;
	uint64_t next_event;		/* host bytes at which the next POSITION is due */
	uint32_t period_bytes;		/* pcm.period_bytes */
	bool playback;			/* c->direction, here in the line the period reads */
	bool can_lend;			/* playback: the consumer runs in this pipeline */
	uint8_t *ring_mem;
	uint32_t ring_size;
	uint32_t ring_tail;		/* bytes after the ring (a period) for a wrapped loan */
	struct dsp_pcm_params pcm;
	bool has_pcm;
	uint32_t limit_frames;		/* most frames the caller may queue */
	uint64_t xruns;
	uint32_t xrun_comp_id;
	int32_t xrun_size;
	struct dsp_comp *dai;
	uint64_t dai_start;
};

_Static_assert(offsetof(struct host_priv, ring_mem) <= DSP_CACHE_LINE,
	       "a host's period path reads one cache line");

static int host_new(struct dsp_comp *c, const struct dsp_comp_desc *d)
{
	struct host_priv *hp;

	if (d->host.direction > DSP_DIR_CAPTURE)
		return -EINVAL;
	hp = dsp_arena_alloc(&c->engine->arena, sizeof(*hp));
	if (!hp)
		return -ENOMEM;
	c->priv = hp;
	c->direction = d->host.direction;
	hp->playback = c->direction == DSP_DIR_PLAYBACK;
	c->max_in = c->direction == DSP_DIR_CAPTURE ? 1 : 0;
	c->max_out = c->direction == DSP_DIR_PLAYBACK ? 1 : 0;
	return 0;
}

static void host_free(struct dsp_comp *c)
{
	struct host_priv *hp = c->priv;

	if (hp)
		dsp_arena_free(&c->engine->arena, hp->ring_mem, hp->ring_size + hp->ring_tail);
	dsp_arena_free(&c->engine->arena, hp, sizeof(*hp));
	c->priv = NULL;
}

static int host_params(struct dsp_comp *c, const struct dsp_params_ctx *ctx)
{
	struct host_priv *hp = c->priv;
	const struct dsp_pcm_params *pcm;

	if (ctx->host == c) {
		hp->pcm = *ctx->pcm;
		hp->has_pcm = true;
	} else if (!hp->has_pcm) {
		return -EINVAL;
	}
	pcm = &hp->pcm;
	c->stream.fmt = pcm->fmt;
	c->stream.rate = pcm->rate;
	c->stream.channels = pcm->channels;
	dsp_comp_set_period(c, pcm->rate);

	if (c->direction == DSP_DIR_PLAYBACK) {
		if (c->n_out != 1)
			return -EINVAL;
		dsp_buffer_set_stream(c->out[0], pcm->fmt, pcm->rate, pcm->channels);
		return 0;
	}
	if (c->n_in != 1 || !c->in[0]->has_stream)
		return -EINVAL;
	if (c->in[0]->stream.rate != pcm->rate || c->in[0]->stream.channels != pcm->channels)
		return -EINVAL;
	return 0;
}

static uint32_t pow2_at_least(uint32_t n)
{
	uint32_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* Playback: where the next period lies in the ring, for the tick to prefetch it. */
static void host_prefetch_next(struct dsp_comp *c)
{
	struct host_priv *hp = c->priv;
	uint32_t rd = atomic_load_explicit(&hp->ring.read_index, memory_order_relaxed);
	uint32_t off = rd & (hp->ring.size - 1);
	uint32_t span = off % DSP_CACHE_LINE + c->period_frames * hp->frame_bytes;

	if (!hp->playback)
		return;
	c->prefetch_at = hp->ring.data + off - off % DSP_CACHE_LINE;
	c->prefetch_lines = (uint8_t)VADSP_MIN((span + DSP_CACHE_LINE - 1) / DSP_CACHE_LINE, 16u);
}

static int host_prepare(struct dsp_comp *c)
{
	struct host_priv *hp = c->priv;
	uint32_t fb = (uint32_t)dsp_fmt_frame_bytes(hp->pcm.fmt, hp->pcm.channels);
	uint32_t buf_frames = hp->pcm.buffer_bytes / fb;
	uint32_t size, tail = c->period_frames * fb;

	if (!buf_frames)
		buf_frames = 4 * c->period_frames;
	hp->limit_frames = buf_frames > 2 * c->period_frames ? buf_frames : 2 * c->period_frames;
	size = pow2_at_least(VADSP_MAX(hp->limit_frames, 4 * c->period_frames) * fb);
	if (hp->ring_size != size || hp->ring_tail != tail) {
		/* cache-line aligned, so that a period spans as few lines as it can */
		uint8_t *mem = dsp_arena_alloc(&c->engine->arena, (size_t)size + tail);

		if (!mem)
			return -ENOMEM;
		dsp_arena_free(&c->engine->arena, hp->ring_mem, hp->ring_size + hp->ring_tail);
		hp->ring_mem = mem;
		hp->ring_size = size;
		hp->ring_tail = tail;
	}
	vadsp_ringbuf_init(&hp->ring, hp->ring_mem, size);
	hp->frame_bytes = fb;
	hp->host_frames = 0;
	hp->wallclock = 0;
	hp->xruns = 0;
	hp->xrun_comp_id = 0;
	hp->xrun_size = 0;
	hp->period_bytes = hp->pcm.period_bytes;
	hp->next_event = hp->period_bytes;
	hp->can_lend = c->direction == DSP_DIR_PLAYBACK && c->out[0]->sink &&
		       c->out[0]->sink->obj.pipe == c->obj.pipe;
	hp->lent = 0;
	host_prefetch_next(c);
	return 0;
}

static void host_trigger(struct dsp_comp *c, uint32_t cmd)
{
	struct host_priv *hp = c->priv;

	switch (cmd) {
	case DSP_COMP_START:
		hp->host_frames = 0;
		hp->wallclock = 0;
		hp->next_event = hp->period_bytes;
		hp->dai_start = hp->dai ? dsp_dai_frames(hp->dai) : 0;
		dsp_comp_period_restart(c);
		/* Capture starts empty; playback keeps what the guest queued before START. */
		if (c->direction == DSP_DIR_CAPTURE)
			vadsp_ringbuf_reset(&hp->ring);
		break;
	case DSP_COMP_STOP:
		vadsp_ringbuf_reset(&hp->ring);
		host_prefetch_next(c);
		break;
	default:
		break;
	}
}

static void host_reset(struct dsp_comp *c)
{
	struct host_priv *hp = c->priv;

	dsp_arena_free(&c->engine->arena, hp->ring_mem, hp->ring_size + hp->ring_tail);
	hp->ring_mem = NULL;
	hp->ring_size = 0;
	hp->ring_tail = 0;
	c->prefetch_at = NULL;
	hp->has_pcm = false;
	hp->dai = NULL;
}

void dsp_host_posn(const struct dsp_comp *c, struct dsp_stream_posn *posn)
{
	const struct host_priv *hp = c->priv;
	uint64_t buf_bytes;

	memset(posn, 0, sizeof(*posn));
	if (!hp->ring_mem)
		return;
	buf_bytes = hp->pcm.buffer_bytes ? hp->pcm.buffer_bytes :
		(uint64_t)hp->limit_frames * hp->frame_bytes;
	posn->host_frames = hp->host_frames;
	posn->host_posn = hp->host_frames * hp->frame_bytes % buf_bytes;
	if (hp->dai) {
		posn->dai_frames = dsp_dai_frames(hp->dai) - hp->dai_start;
		posn->dai_posn = posn->dai_frames * dsp_dai_frame_bytes(hp->dai);
	}
	posn->wallclock = hp->wallclock;
	posn->wallclock_hz = hp->pcm.rate;
	posn->xruns = hp->xruns;
	posn->xrun_comp_id = hp->xrun_comp_id;
	posn->xrun_size = hp->xrun_size;
}

static __attribute__((noinline)) void host_event(struct dsp_comp *c, uint32_t type)
{
	struct dsp_event ev = { .type = type, .host_id = c->obj.id };

	dsp_host_posn(c, &ev.posn);
	dsp_engine_post(c->engine, &ev);
}

void dsp_host_note_xrun(struct dsp_comp *c, uint32_t comp_id, int32_t bytes)
{
	struct host_priv *hp = c->priv;

	hp->xruns++;
	hp->xrun_comp_id = comp_id;
	hp->xrun_size = bytes;
	host_event(c, DSP_EVENT_XRUN);
}

void dsp_host_set_dai(struct dsp_comp *c, struct dsp_comp *dai)
{
	struct host_priv *hp = c->priv;

	hp->dai = dai;
	hp->dai_start = dai ? dsp_dai_frames(dai) : 0;
}

static void host_moved(struct dsp_comp *c, uint32_t frames)
{
	struct host_priv *hp = c->priv;

	hp->host_frames += frames;
	if (hp->period_bytes && hp->host_frames * hp->frame_bytes >= hp->next_event) {
		while (hp->host_frames * hp->frame_bytes >= hp->next_event)
			hp->next_event += hp->period_bytes;
		host_event(c, DSP_EVENT_POSITION);
	}
}

/*
 * Playback without a loan: copy what the ring has, and silence for the rest (an underrun).
 * Part of a period (a stream's last frames, or a guest a little late) is played padded with
 * silence whatever the xrun action: the underrun is counted, and only a period with nothing
 * queued applies the action, so that no frame is left behind in a stopped pipeline.
 */
static __attribute__((noinline)) void host_copy_ring(struct dsp_comp *c, uint32_t frames,
						     uint32_t readable)
{
	struct host_priv *hp = c->priv;
	struct dsp_buffer *out = dsp_comp_out1(c);
	uint32_t fb = hp->frame_bytes;
	uint32_t n;
	uint8_t *dst;

	if (frames > dsp_buffer_room(out))
		frames = dsp_buffer_room(out);
	n = readable >= frames * fb ? frames : readable / fb;
	dst = dsp_buffer_write_ptr(out, frames);
	if (n)
		vadsp_ringbuf_read(&hp->ring, dst, n * fb);
	if (n < frames) {
		if (n)
			dsp_comp_note_xrun(c, true, frames - n);
		else if (!dsp_comp_xrun(c, true, frames))
			return;
		dsp_silence(dst + (size_t)n * fb, hp->pcm.fmt,
			    (size_t)(frames - n) * hp->pcm.channels);
	}
	dsp_buffer_produce(out, frames);
	host_moved(c, n);
}

/*
 * After the pipeline's period: end the loan, the ring space goes back to the guest; note where
 * the next period will be read.
 */
static void host_post(struct dsp_comp *c)
{
	struct host_priv *hp = c->priv;

	if (hp->lent) {
		dsp_buffer_unlend(dsp_comp_out1(c));
		vadsp_ringbuf_skip(&hp->ring, hp->lent);
		hp->lent = 0;
	}
	host_prefetch_next(c);
}

static uint32_t host_room(struct host_priv *hp)
{
	uint32_t queued = vadsp_ringbuf_fill(&hp->ring) / hp->frame_bytes;
	uint32_t room = vadsp_ringbuf_writable(&hp->ring) / hp->frame_bytes;

	if (queued >= hp->limit_frames)
		return 0;
	return VADSP_MIN(room, hp->limit_frames - queued);
}

static __attribute__((noinline)) void host_copy_capture(struct dsp_comp *c)
{
	struct host_priv *hp = c->priv;
	struct dsp_buffer *in = dsp_comp_in1(c);
	uint32_t frames = dsp_comp_run_frames(c);
	uint32_t n = VADSP_MIN(dsp_buffer_avail(in), frames);
	uint32_t room, w = n;
	const void *src;

	hp->wallclock += frames;
	if (!n)
		return;
	room = host_room(hp);
	if (room < n) {
		if (!dsp_comp_xrun(c, false, n - room))
			return;
		w = room;
	}
	src = dsp_buffer_input(in, n);
	if (w)
		vadsp_ringbuf_write(&hp->ring, src, w * hp->frame_bytes);
	dsp_buffer_consume(in, n);
	host_moved(c, w);
}

/*
 * A period that wraps at the ring's end: its head, at the start of the ring, is copied to the
 * room after the end, so that the period lies contiguously there. (Those bytes are queued:
 * the guest does not write them again before the period is over.)
 */
static __attribute__((noinline)) bool host_unwrap(struct host_priv *hp, uint32_t off,
						  uint32_t need)
{
	uint32_t head = off + need - hp->ring.size;

	if (need > hp->ring_tail)
		return false;
	memcpy(hp->ring.data + hp->ring.size, hp->ring.data, head);
	return true;
}

/*
 * Playback: a whole period is queued and the buffer after the host is empty, so the ring's
 * bytes are lent to it (the common case); else copied.
 */
static void host_copy_playback(struct dsp_comp *c)
{
	struct host_priv *hp = c->priv;
	struct dsp_buffer *out = dsp_comp_out1(c);
	uint32_t frames = dsp_comp_run_frames(c);
	uint32_t need = frames * hp->frame_bytes;
	uint32_t off = atomic_load_explicit(&hp->ring.read_index, memory_order_relaxed) &
		       (hp->ring.size - 1);
	uint32_t readable = vadsp_ringbuf_readable(&hp->ring);

	hp->wallclock += frames;
	if (readable >= need && hp->can_lend && frames && !dsp_buffer_avail(out) &&
	    (off + need <= hp->ring.size || host_unwrap(hp, off, need))) {
		dsp_buffer_lend(out, hp->ring.data + off, frames);
		hp->lent = need;
		host_moved(c, frames);
		return;
	}
	host_copy_ring(c, frames, readable);
}

/*
 * The whole period of a pipeline that is this playback host and a volume whose output a
 * mixer takes early (host_plan()), in one call: when a whole period is queued (contiguous,
 * or unwrapped) and the volume takes it straight into the mixer's sum from the ring, what
 * host_copy(), the volume's copy and host_post() would do, without the loan (which would be
 * over by the end of the period, the buffer empty as before). Else nothing: the tasks run.
 */
static bool host_fused(struct dsp_comp *c, struct dsp_comp *v)
{
	struct host_priv *hp = c->priv;
	struct dsp_buffer *out = dsp_comp_out1(c);
	uint32_t frames = c->period_frames;
	uint32_t need = frames * hp->frame_bytes;
	uint32_t rd = atomic_load_explicit(&hp->ring.read_index, memory_order_relaxed);
	uint32_t wr = atomic_load_explicit(&hp->ring.write_index, memory_order_acquire);
	uint32_t off = rd & (hp->ring.size - 1);

	if (!c->period_fixed || !frames || out->conv || dsp_buffer_avail(out) || wr - rd < need ||
	    (off + need > hp->ring.size && !host_unwrap(hp, off, need)) ||
	    !dsp_volume_take(v, hp->ring.data + off, frames))
		return false;
	hp->wallclock += frames;
	/* the ring space goes back to the guest (vadsp_ringbuf_skip(), known to fit) */
	atomic_store_explicit(&hp->ring.read_index, rd + need, memory_order_release);
	host_moved(c, frames);
	host_prefetch_next(c);
	return true;
}

/* A pipeline that is this playback host and a volume: its periods may run in one call. */
static void host_plan(struct dsp_comp *c)
{
	struct dsp_pipeline *p = c->obj.pipe;
	struct dsp_comp *v;

	if (c->direction != DSP_DIR_PLAYBACK || !p || p->n_comps != 2 || p->comps[0] != c ||
	    c->n_out != 1)
		return;
	v = p->comps[1];
	if (v->ops != &dsp_volume_ops || c->out[0]->sink != v || v->n_out != 1)
		return;
	dsp_sched_fuse(c->engine, p, host_fused, c, v);
}

static void host_copy(struct dsp_comp *c)
{
	const struct host_priv *hp = c->priv;

	if (hp->playback)
		host_copy_playback(c);
	else
		host_copy_capture(c);
}

const struct dsp_comp_ops dsp_host_ops = {
	.type = DSP_COMP_HOST,
	.name = "host",
	.new = host_new,
	.free = host_free,
	.params = host_params,
	.prepare = host_prepare,
	.trigger = host_trigger,
	.copy = host_copy,
	.post = host_post,
	.reset = host_reset,
	.plan = host_plan,
};

/* ---------------------------------------------------------------------------------------- */
/* Public data path and position (engine.h)                                                  */

static int host_lookup(struct dsp_engine *e, uint32_t id, struct dsp_comp **out)
{
	struct dsp_obj *o = dsp_obj_find(e, id);
	struct dsp_comp *c = dsp_comp_find(e, id);

	if (!o)
		return -ENODEV;
	if (!c || c->ops->type != DSP_COMP_HOST)
		return -EINVAL;
	*out = c;
	return 0;
}

int dsp_host_avail(struct dsp_engine *e, uint32_t host_id)
{
	struct host_priv *hp;
	struct dsp_comp *c;
	int ret = host_lookup(e, host_id, &c);

	if (ret)
		return ret;
	hp = c->priv;
	if (!hp->ring_mem)
		return -EBADFD;
	if (c->direction == DSP_DIR_PLAYBACK)
		return (int)host_room(hp);
	return (int)(vadsp_ringbuf_readable(&hp->ring) / hp->frame_bytes);
}

int dsp_host_write(struct dsp_engine *e, uint32_t host_id, const void *frames, uint32_t count)
{
	struct host_priv *hp;
	struct dsp_comp *c;
	uint32_t n;
	int ret = host_lookup(e, host_id, &c);

	if (ret)
		return ret;
	hp = c->priv;
	if (c->direction != DSP_DIR_PLAYBACK || (count && !frames))
		return -EINVAL;
	if (!hp->ring_mem)
		return -EBADFD;
	n = VADSP_MIN(count, host_room(hp));
	if (n)
		vadsp_ringbuf_write(&hp->ring, frames, n * hp->frame_bytes);
	return (int)n;
}

int dsp_host_read(struct dsp_engine *e, uint32_t host_id, void *frames, uint32_t count)
{
	struct host_priv *hp;
	struct dsp_comp *c;
	uint32_t n;
	int ret = host_lookup(e, host_id, &c);

	if (ret)
		return ret;
	hp = c->priv;
	if (c->direction != DSP_DIR_CAPTURE || (count && !frames))
		return -EINVAL;
	if (!hp->ring_mem)
		return -EBADFD;
	n = VADSP_MIN(count, vadsp_ringbuf_readable(&hp->ring) / hp->frame_bytes);
	if (n)
		vadsp_ringbuf_read(&hp->ring, frames, n * hp->frame_bytes);
	return (int)n;
}

int dsp_stream_position(const struct dsp_engine *e, uint32_t host_id,
			struct dsp_stream_posn *posn)
{
	struct dsp_comp *c;
	int ret = host_lookup((struct dsp_engine *)e, host_id, &c);

	if (ret)
		return ret;
	dsp_host_posn(c, posn);
	return 0;
}
