/* SPDX-License-Identifier: MIT */
/*
 * Volume: per-channel Q8.16 linear gain with mute and ramps, and the dB helpers.
 *
 * Gain arithmetic (bit-exact with SOF's generic volume code): a gain g is Q8.16 (0 dB =
 * 0x10000, at most DSP_VOL_MAX, about +42 dB). An integer sample x of any format is
 * multiplied in 64 bits and shifted back by 16 bits rounding halves upward, then saturated:
 *   S16:  y = sat16(floor(x * g / 2^16 + 1/2))
 *   S24:  y = sat24(floor(sext24(x) * g / 2^16 + 1/2))     (stored sign-extended)
 *   S32:  y = sat32(floor(x * g / 2^16 + 1/2))
 *   FLOAT: y = x * (g / 65536.0f), no clamping (float keeps the headroom; the conversion to
 *          an integer format clamps).
 * (The S16 kernel gets the same values in 32-bit arithmetic, see volume.c.) At exactly 0 dB
 * on every channel the volume copies, and at 0 it writes silence.
 * Input and output have the same format; conversion is a separate kernel (format.h).
 *
 * Ramps. A new target gain is reached over time, updated in blocks: the gain is constant
 * within a block of update_frames frames and recomputed at each block boundary. As in SOF,
 * the block is 125/250/500/1000 us for ramps shorter than 32/64/128 ms / longer. The
 * envelope depends only on the frame count since the ramp began, not on how a period is
 * split between process calls.
 *   LINEAR    SOF's linear ramp, exactly: the slope is computed once per change in Q8.16 per
 *             1/8 ms (rounded), the gain at time t (in 1/8 ms, from frames * 8000 / rate) is
 *             start + slope * t, clamped at the target. A control change ramps at a constant
 *             rate: the configured ramp time is the time for the whole [min, max] range
 *             (or for the change itself when min == max == 0). dsp_vol_start() instead ramps
 *             every channel from the minimum to its target in exactly the ramp time, as SOF
 *             does at stream start.
 *   LOG       vadsp's own (SOF firmware defines the number but rejects it): the gain moves on
 *             a straight line in dB from start to target in exactly the ramp time; a zero
 *             end point is replaced by DSP_VOL_LOG_FLOOR_DB, and the last block lands on the
 *             exact target (0 for mute).
 *   *_ZC      as above, but while a ramp is running each block ends early at the last zero
 *             crossing (sign change of the sum of the channels, as SOF tests it) inside the
 *             block, so gain steps fall on zero crossings; a block without a crossing runs
 *             whole. The envelope is the same function of elapsed frames; only the block
 *             boundaries move. This approximates SOF's LINEAR_ZC (which searches from the
 *             end of the block the same way).
 * A ramp time of 0 applies changes at once.
 *
 * Mute (SOF's switch control): muting remembers the target and ramps to 0; a volume set
 * while muted only updates the remembered target; unmuting ramps back to it.
 *
 * No allocation anywhere; the state is one fixed-size struct.
 */
#ifndef VADSP_DSP_KERNELS_VOLUME_H
#define VADSP_DSP_KERNELS_VOLUME_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "dsp/format.h"
#include "dsp/kernels/mix.h"

#define DSP_VOL_Q		16
#define DSP_VOL_0DB		0x10000		/* 1.0 in Q8.16 */
#define DSP_VOL_MAX		0x7fffff	/* SOF's VOL_MAX: (1 << 23) - 1, about +42.1 dB */
#define DSP_VOL_LOG_FLOOR_DB	(-90.0)		/* where a log ramp from/to silence starts/ends */

/* Ramp shapes: SOF's numbers (enum ipc3_volume_ramp). */
enum dsp_vol_ramp {
	DSP_VOL_RAMP_LINEAR = 0,
	DSP_VOL_RAMP_LOG = 1,
	DSP_VOL_RAMP_LINEAR_ZC = 2,
	DSP_VOL_RAMP_LOG_ZC = 3,
};

/* Samples in one gain pattern block (whole frames of up to DSP_MAX_CHANNELS channels). */
#define DSP_GAIN_BLOCK		64u

/*
 * Per-channel gains expanded into the pattern the kernels run against (one entry per sample
 * position of a block), with the split and float forms precomputed. Rebuild it with
 * dsp_gain_set() when a gain changes; the kernels then have no per-call setup. The arrays
 * are aligned to 32 bytes (a SIMD vector: its first 8 entries are in one cache line), so a
 * struct that holds one must be allocated with that alignment.
 */
struct dsp_gain {
	uint32_t channels;
	uint32_t frames_per_block;
	bool no_clip;				/* all in [0, 0 dB]: no result saturates */
	_Alignas(32) float f[DSP_GAIN_BLOCK];	/* q / 65536 */
	int32_t q[DSP_GAIN_BLOCK];		/* Q8.16 */
	int32_t hi[DSP_GAIN_BLOCK];		/* q >> 16 */
	int32_t lo[DSP_GAIN_BLOCK];		/* q & 0xffff */
};

/**
 * dsp_gain_set() - expand per-channel gains
 * @g: pattern to fill
 * @channels: 1..DSP_MAX_CHANNELS
 * @gain: gain[c] for channel c, Q8.16 (0..DSP_VOL_MAX)
 */
void dsp_gain_set(struct dsp_gain *g, uint32_t channels, const int32_t *gain);

/* Apply @g to @frames frames of g->channels channels. @dst may equal @src. */
typedef void (*dsp_gain_fn)(void *dst, const void *src, uint32_t frames,
			    const struct dsp_gain *g);

/**
 * dsp_gain_func() - the gain kernel for a format, for the best instruction set of this CPU
 * @fmt: sample format
 *
 * Return: the kernel, or NULL for an invalid format.
 */
dsp_gain_fn dsp_gain_func(uint32_t fmt);

/* The gain kernel built for @isa (enum dsp_isa; see dsp_convert_func_isa()), or NULL. */
dsp_gain_fn dsp_gain_func_isa(uint32_t fmt, uint32_t isa);

/*
 * Apply @g to @frames frames and add the results to a mixer's accumulator (mix.h, "mixing in
 * steps"): acc[i] += y[i] for the y[i] the gain kernel writes, so the same as the gain kernel
 * followed by the accumulating mix kernel on its output, without writing the output.
 */
typedef void (*dsp_gain_acc_fn)(void *acc, const void *src, uint32_t frames,
				const struct dsp_gain *g);

/**
 * dsp_gain_acc_func() - the gain-and-accumulate kernel for a format, for the best
 * instruction set of this CPU
 * @fmt: sample format
 *
 * Return: the kernel, or NULL for an invalid format.
 */
dsp_gain_acc_fn dsp_gain_acc_func(uint32_t fmt);

/* The gain-and-accumulate kernel built for @isa, or NULL. */
dsp_gain_acc_fn dsp_gain_acc_func_isa(uint32_t fmt, uint32_t isa);

/* What the steady state (no ramp) does. */
enum dsp_vol_steady {
	DSP_VOL_GAIN,		/* the gain kernel */
	DSP_VOL_UNITY,		/* 0 dB on every channel: a copy */
	DSP_VOL_SILENT,		/* 0 on every channel: silence */
};

/*
 * Volume component state. Fields are private to volume.c; read them through the getters.
 * What a steady period reads comes first (one cache line, then the gain pattern's start).
 */
struct dsp_vol {
	/* period path */
	dsp_gain_fn gain_fn;
	dsp_gain_acc_fn gain_acc_fn;	/* dsp_vol_accumulate() */
	dsp_mix_acc_fn add_fn;		/* dsp_vol_accumulate() at 0 dB */
	dsp_convert_fn copy_fn;		/* 0 dB on every channel */
	uint32_t fmt;
	uint32_t channels;
	bool ramping;
	uint32_t steady;		/* enum dsp_vol_steady, for cur[] */
	struct dsp_gain gain;		/* cur[] expanded */
	/* configuration (dsp_vol_init) */
	uint32_t ramp_type;
	uint32_t ramp_ms;
	int32_t vol_min;
	int32_t vol_max;
	int32_t ramp_range;		/* vol_max - vol_min, or 0 in SOF's legacy mode */
	/* stream (dsp_vol_prepare) */
	uint32_t rate;
	uint32_t update_frames;		/* ramp block length */
	/* ramp */
	uint32_t block_left;		/* frames left in the current block */
	uint64_t elapsed;		/* frames since the ramp (re)started */
	int32_t cur[DSP_MAX_CHANNELS];	/* gain applied now */
	int32_t target[DSP_MAX_CHANNELS];
	int32_t start[DSP_MAX_CHANNELS];	/* gain when the ramp started */
	int32_t slope[DSP_MAX_CHANNELS];	/* LINEAR: Q8.16 per 1/8 ms */
	double log_start[DSP_MAX_CHANNELS];	/* LOG: log2 of start and target gains */
	double log_end[DSP_MAX_CHANNELS];
	uint32_t log_frames;			/* LOG: ramp length in frames */
	/* mute */
	bool muted[DSP_MAX_CHANNELS];
	int32_t unmuted[DSP_MAX_CHANNELS];	/* target to restore on unmute */
};

/**
 * dsp_vol_init() - configure a volume component (SOF's COMP_NEW for a volume)
 * @v: state to initialise
 * @ramp_type: enum dsp_vol_ramp
 * @ramp_ms: ramp time in milliseconds (0: no ramp); at most 60000
 * @min_value: minimum gain (Q8.16); 0 with @max_value 0 selects SOF's legacy full range
 * @max_value: maximum gain (Q8.16); values beyond DSP_VOL_MAX are limited to it
 *
 * Every channel's target starts at 0 dB limited to [min, max]. As in SOF, gains set later are
 * limited to [0, DSP_VOL_MAX], not to [min, max]; min and max set the ramp rate.
 *
 * Return: 0, or -EINVAL for an unknown ramp type, a ramp time too long or min > max.
 */
int dsp_vol_init(struct dsp_vol *v, uint32_t ramp_type, uint32_t ramp_ms, int32_t min_value,
		 int32_t max_value);

/**
 * dsp_vol_prepare() - choose the kernel for a stream
 * @v: initialised state
 * @fmt: sample format (same in and out)
 * @channels: 1..DSP_MAX_CHANNELS
 * @rate: frames per second, 1..768000
 *
 * Current gains jump to their targets (no ramp); call dsp_vol_start() to ramp in as SOF does
 * when a stream starts.
 *
 * Return: 0, or -EINVAL.
 */
int dsp_vol_prepare(struct dsp_vol *v, uint32_t fmt, uint32_t channels, uint32_t rate);

/**
 * dsp_vol_start() - ramp every channel from the minimum gain to its target in the ramp time
 * @v: prepared state
 */
void dsp_vol_start(struct dsp_vol *v);

/**
 * dsp_vol_set() - set a channel's target gain (SOF's volume control)
 * @v: initialised state
 * @channel: 0..DSP_MAX_CHANNELS - 1
 * @gain: Q8.16; negative values count as 0, values above DSP_VOL_MAX as DSP_VOL_MAX
 *
 * Starts a ramp toward the new target once prepared; before that the gain is just stored.
 *
 * Return: 0, or -EINVAL for a channel out of range.
 */
int dsp_vol_set(struct dsp_vol *v, uint32_t channel, int32_t gain);

/**
 * dsp_vol_set_mute() - mute or unmute a channel (SOF's switch control, value 0 = mute)
 * @v: initialised state
 * @channel: 0..DSP_MAX_CHANNELS - 1
 * @mute: true to mute
 *
 * Return: 0, or -EINVAL for a channel out of range.
 */
int dsp_vol_set_mute(struct dsp_vol *v, uint32_t channel, bool mute);

/* The target gain a control reads back (the remembered one while muted), or 0 if invalid. */
int32_t dsp_vol_get_target(const struct dsp_vol *v, uint32_t channel);

/* The gain being applied now, or 0 for an invalid channel. */
int32_t dsp_vol_get_current(const struct dsp_vol *v, uint32_t channel);

/* True if @channel is muted. */
bool dsp_vol_get_mute(const struct dsp_vol *v, uint32_t channel);

/* True while a ramp is in progress. */
bool dsp_vol_ramping(const struct dsp_vol *v);

/**
 * dsp_vol_process() - apply the volume to @frames frames
 * @v: prepared state
 * @dst: output (may equal @src)
 * @src: input, same format and channel count
 * @frames: frames to process
 *
 * Real-time safe: no allocation, no locks, no logging.
 */
void dsp_vol_process(struct dsp_vol *v, void *dst, const void *src, uint32_t frames);

/**
 * dsp_vol_accumulate() - apply the volume to @frames frames and add them to a mix accumulator
 * @v: prepared state
 * @acc: a mixer's accumulator (kernels/mix.h) for @frames frames of the stream's format
 * @src: input
 * @frames: frames to process
 *
 * Adds exactly what dsp_vol_process() would write (the samples at 0 dB, nothing for
 * silence), for a mixer that sums it, without writing it out. Only in the steady state: while
 * a ramp runs the gain changes within a period, and the caller processes and then adds.
 * Real-time safe.
 *
 * Return: 0, or -EAGAIN while a ramp runs (nothing done).
 */
static inline int dsp_vol_accumulate(struct dsp_vol *v, void *acc, const void *src,
				     uint32_t frames)
{
	if (v->ramping)
		return -EAGAIN;
	if (v->steady == DSP_VOL_GAIN) {
		v->gain_acc_fn(acc, src, frames, &v->gain);
	} else if (v->steady == DSP_VOL_UNITY) {
		/* the copy's samples (S24 normalised), which the mixer reads the same way */
		v->add_fn(acc, &src, 1, (size_t)frames * v->channels);
	}
	/* silence: adding zeros changes no sum */
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* dB helpers                                                                                */

/**
 * dsp_vol_tlv_gain() - the Q8.16 gain for an ALSA control value with a dB-scale TLV
 * @value: control value (0..max)
 * @min_cdb: TLV minimum in 0.01 dB (e.g. -6400)
 * @step_cdb: TLV step in 0.01 dB (e.g. 200)
 * @mute: TLV mute flag: value 0 means silence
 *
 * Computes exactly what the Linux SOF driver puts in its volume table, so a guest sees the
 * same gains as on real hardware: the dB value is min_cdb / 100 + value * step_cdb / 100 in
 * whole dB (C integer division), the gain is 10^(1/20) in Q16 (73533) raised to that power by
 * repeated rounded Q16 multiplication (the inverse, 2^32 / power truncated, for negative dB),
 * and when the step is exactly 0.50 dB odd values are multiplied by 10^(1/40) (69419, Q16).
 *
 * Return: the gain (Q8.16 as an unsigned 32-bit value, as the driver sends it).
 */
uint32_t dsp_vol_tlv_gain(uint32_t value, int32_t min_cdb, int32_t step_cdb, bool mute);

/**
 * dsp_vol_db_to_gain() - the nearest Q8.16 gain for a level in dB
 * @db: level; -inf and NaN give 0
 *
 * Return: round(65536 * 10^(db / 20)) limited to [0, DSP_VOL_MAX].
 */
int32_t dsp_vol_db_to_gain(double db);

/**
 * dsp_vol_gain_to_db() - the level of a Q8.16 gain in dB
 * @gain: Q8.16 gain
 *
 * Return: 20 * log10(gain / 65536), -INFINITY for gain <= 0.
 */
double dsp_vol_gain_to_db(int32_t gain);

#endif /* VADSP_DSP_KERNELS_VOLUME_H */
