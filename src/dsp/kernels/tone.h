/* SPDX-License-Identifier: MIT */
/*
 * Tone generator: a sine per channel.
 *
 * Parameters follow SOF's tone component: frequency in Hz as Q16.16, amplitude as a Q1.31
 * fraction of full scale (SOF's defaults: 997 Hz at 0.1, i.e. -20 dBFS). Each channel has its
 * own frequency, amplitude and mute. The phase is a 32-bit accumulator (one turn = 2^32)
 * advanced by round(f * 2^32 / rate) per frame, so the frequency resolution is rate / 2^32 Hz
 * and the phase never drifts; the sample is amplitude * sin(2 pi phase / 2^32) computed in
 * double precision and written through the format's rounding rules (format.h), so an S24 or
 * S32 tone has no distortion above the format's own quantisation. Frequencies at or above
 * Nyquist are refused. A frequency or amplitude change applies from the next frame, phase
 * continuous.
 *
 * Not modelled from SOF's tone: frequency and amplitude sweeps (freq_mult, ampl_mult), tone
 * length/period/repeats and its amplitude ramp.
 */
#ifndef VADSP_DSP_KERNELS_TONE_H
#define VADSP_DSP_KERNELS_TONE_H

#include <stdbool.h>
#include <stdint.h>

#include "dsp/format.h"

#define DSP_TONE_FREQ_DEFAULT	(997u << 16)	/* 997 Hz, Q16.16 */
#define DSP_TONE_AMPL_DEFAULT	214748365	/* 0.1 in Q1.31 */

struct dsp_tone;

/* Generator for one format, chosen at prepare. */
typedef void (*dsp_tone_fn)(struct dsp_tone *t, void *dst, uint32_t frames);

struct dsp_tone {
	dsp_tone_fn gen;
	uint32_t fmt;
	uint32_t channels;
	uint32_t rate;
	uint32_t freq[DSP_MAX_CHANNELS];	/* Q16.16 Hz */
	int32_t ampl[DSP_MAX_CHANNELS];		/* Q1.31 */
	bool mute[DSP_MAX_CHANNELS];
	uint32_t phase[DSP_MAX_CHANNELS];
	uint32_t step[DSP_MAX_CHANNELS];
};

/* Defaults on every channel (997 Hz, 0.1 amplitude, unmuted, phase 0). */
void dsp_tone_init(struct dsp_tone *t);

/**
 * dsp_tone_prepare() - set the stream format
 * @t: state
 * @fmt: output format
 * @channels: 1..DSP_MAX_CHANNELS
 * @rate: frames per second, 1..768000
 *
 * Return: 0, or -EINVAL (also when a channel's frequency is at or above rate / 2).
 */
int dsp_tone_prepare(struct dsp_tone *t, uint32_t fmt, uint32_t channels, uint32_t rate);

/**
 * dsp_tone_set() - set a channel's frequency and amplitude
 * @t: state
 * @channel: 0..DSP_MAX_CHANNELS - 1
 * @freq_q16: frequency in Hz, Q16.16
 * @ampl_q31: amplitude, Q1.31 fraction of full scale (negative inverts the phase)
 *
 * Return: 0, or -EINVAL for a channel out of range or, once prepared, a frequency at or above
 * Nyquist.
 */
int dsp_tone_set(struct dsp_tone *t, uint32_t channel, uint32_t freq_q16, int32_t ampl_q31);

/* Mute (silence, phase keeps running) or unmute a channel; -EINVAL for a bad channel. */
int dsp_tone_set_mute(struct dsp_tone *t, uint32_t channel, bool mute);

/**
 * dsp_tone_process() - generate @frames frames into @dst
 * @t: prepared state
 * @dst: output, t->channels channels of t->fmt
 * @frames: frames to write
 */
void dsp_tone_process(struct dsp_tone *t, void *dst, uint32_t frames);

#endif /* VADSP_DSP_KERNELS_TONE_H */
