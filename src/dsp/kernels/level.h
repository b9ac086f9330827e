/* SPDX-License-Identifier: MIT */
/*
 * Level meter: peak and RMS per channel over fixed windows, and a count of samples at full
 * scale, measured by the data thread and read by any other thread.
 *
 * The data thread feeds the audio as it passes (dsp_level_feed(): interleaved frames of the
 * meter's format, any split, no allocation, no lock, no system call). Every @window_frames
 * frames (DSP_LEVEL_WINDOW_MS of audio at the meter's rate) it publishes the window's figures
 * and starts the next window. A reader (dsp_level_read(), any thread) gets the last complete
 * window, consistent across channels: the figures are published through a sequence counter
 * (a seqlock with atomic words: the writer never waits; a reader retries while a publication
 * is under way).
 *
 * Figures, relative to full scale (S16 32768, S24 2^23, S32 2^31, FLOAT 1.0):
 *   peak     the largest |sample| in the window;
 *   ms       the mean of the squares over the window (RMS = sqrt(ms)), so a full-scale square
 *            wave is 0 dBFS RMS and a full-scale sine -3.01 dBFS RMS;
 *   clipped  samples at the format's full scale: S16 32767 or -32768, S24 8388607 or -8388608,
 *            S32 within 2^8 of its limits (the integer formats are measured at 24-bit
 *            precision: S32 samples lose their low 8 bits, which moves a level by less than
 *            2^-23 of full scale), FLOAT |x| >= 1.0 (or not a number).
 * Squares are summed in float within one feed and in double across feeds (integer formats
 * at 24-bit precision); a FLOAT sample that is not a number or beyond 2^20 counts as 2^20.
 */
#ifndef VADSP_DSP_KERNELS_LEVEL_H
#define VADSP_DSP_KERNELS_LEVEL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dsp/format.h"

#define DSP_LEVEL_WINDOW_MS	100u
#define DSP_LEVEL_POSITIONS	56u	/* lcm(channels, 8) accumulators at most (7 channels) */

/**
 * struct dsp_level_snapshot - the last complete window of a meter
 * @fmt: the meter's format
 * @channels: channels measured (0: the meter is not configured)
 * @rate: frames per second
 * @window_frames: frames in a window
 * @windows: windows completed since the meter was configured (0: no figures yet)
 * @peak: per channel, the largest |sample| as a fraction of full scale
 * @ms: per channel, the mean square as a fraction of full scale squared
 * @clipped: per channel, samples at full scale in the window
 * @clipped_total: samples at full scale in every window since the meter was configured
 */
struct dsp_level_snapshot {
	uint32_t fmt;
	uint32_t channels;
	uint32_t rate;
	uint32_t window_frames;
	uint64_t windows;
	float peak[DSP_MAX_CHANNELS];
	float ms[DSP_MAX_CHANNELS];
	uint32_t clipped[DSP_MAX_CHANNELS];
	uint64_t clipped_total;
};

struct dsp_level;

/* Measure @samples samples (whole frames) from @p into the current window (level.c). */
typedef void (*dsp_level_fn)(struct dsp_level *l, const uint8_t *p, size_t samples);

/*
 * struct dsp_level - one meter. The first part is the data thread's own; the second is what
 * it publishes (only atomics, so readers on other threads are race-free).
 */
struct dsp_level {
	/* data thread */
	uint32_t fmt;
	uint32_t channels;
	uint32_t rate;
	uint32_t window_frames;
	uint32_t frames;		/* in the current window */
	uint32_t lanes;			/* positions: lcm(channels, 8) */
	dsp_level_fn measure;		/* picked at init: format, positions, instruction set */
	uint64_t windows;
	uint64_t clipped_total;
	uint32_t peak[DSP_LEVEL_POSITIONS];	/* per position: 24-bit magnitude, or float bits */
	uint32_t clip[DSP_LEVEL_POSITIONS];
	double sq[DSP_LEVEL_POSITIONS];		/* per position: sum of squares */
	/* published */
	_Atomic uint32_t seq;		/* odd while a window is being published */
	_Atomic uint32_t p_fmt, p_channels, p_rate, p_window;
	_Atomic uint64_t p_windows, p_clipped_total;
	_Atomic uint32_t p_peak[DSP_MAX_CHANNELS];	/* float bits */
	_Atomic uint32_t p_ms[DSP_MAX_CHANNELS];	/* float bits */
	_Atomic uint32_t p_clipped[DSP_MAX_CHANNELS];
};

/**
 * dsp_level_init() - (re)configure a meter and clear its figures (data thread, or before the
 * data thread sees the meter)
 * @l: the meter (may be all zero bytes before)
 * @fmt: enum dsp_fmt of the audio it will be fed
 * @channels: 1..DSP_MAX_CHANNELS
 * @rate: frames per second (sets the window: DSP_LEVEL_WINDOW_MS of audio, at least 1 frame)
 *
 * Return: 0; -EINVAL for a bad format, channel count or rate (the meter is then off: fed
 * audio is ignored, dsp_level_read() reports 0 channels).
 */
int dsp_level_init(struct dsp_level *l, uint32_t fmt, uint32_t channels, uint32_t rate);

/**
 * dsp_level_init_isa() - dsp_level_init() with the kernels built for @isa (enum dsp_isa), for
 * tests and benchmarks; dsp_level_init() picks the best the CPU runs
 *
 * Return: 0; -EINVAL as dsp_level_init(), or for an @isa this CPU does not run.
 */
int dsp_level_init_isa(struct dsp_level *l, uint32_t fmt, uint32_t channels, uint32_t rate,
		       uint32_t isa);

/**
 * dsp_level_feed() - measure @frames interleaved frames (data thread)
 * @l: the meter
 * @buf: the audio, in the meter's format and channel count; need not be aligned
 * @frames: how many frames (0 is allowed)
 *
 * Real-time safe: no allocation, lock, system call or logging.
 */
void dsp_level_feed(struct dsp_level *l, const void *buf, uint32_t frames);

/**
 * dsp_level_read() - the last complete window (any thread)
 * @l: the meter
 * @out: filled in
 *
 * A reader that finds a publication under way spins a little, then yields the CPU between
 * attempts (the writer may have been preempted in the middle of one).
 *
 * Return: 0; -EAGAIN when the writer kept publishing through 100000 attempts (not seen in
 * practice: a publication takes well under a microsecond every DSP_LEVEL_WINDOW_MS).
 */
int dsp_level_read(const struct dsp_level *l, struct dsp_level_snapshot *out);

/**
 * dsp_level_db_centi() - a linear fraction of full scale in 0.01 dB, rounded
 * @ratio: a fraction of full scale (amplitude: 20 log10), or of full scale squared when
 *         @power (10 log10)
 * @power: whether @ratio is a power (mean square) rather than an amplitude
 * @out: the level in 0.01 dBFS
 *
 * Return: 0; -ERANGE for 0 (digital silence: minus infinity) or a value that is not a
 * finite positive number.
 */
int dsp_level_db_centi(double ratio, bool power, int32_t *out);

#endif /* VADSP_DSP_KERNELS_LEVEL_H */
