// SPDX-License-Identifier: MIT
/*
 * Sine tone generator (see tone.h).
 */
#include <errno.h>
#include <math.h>

#include "dsp/kernels/tone.h"

#define TONE_RATE_MAX	768000u
#define TWO_PI		6.283185307179586476925

void dsp_tone_init(struct dsp_tone *t)
{
	uint32_t c;

	*t = (struct dsp_tone){ .fmt = DSP_FMT_S32_LE };
	for (c = 0; c < DSP_MAX_CHANNELS; c++) {
		t->freq[c] = DSP_TONE_FREQ_DEFAULT;
		t->ampl[c] = DSP_TONE_AMPL_DEFAULT;
	}
}

/* Phase increment for @freq (Q16.16) at @rate: round(f * 2^32 / rate), f < rate / 2. */
static uint32_t tone_step(uint32_t freq, uint32_t rate)
{
	return (uint32_t)((((uint64_t)freq << 16) + rate / 2) / rate);
}

static bool tone_freq_ok(uint32_t freq, uint32_t rate)
{
	/* f < rate / 2, compared in Q16.16 */
	return (uint64_t)freq * 2 < (uint64_t)rate << 16;
}

int dsp_tone_set(struct dsp_tone *t, uint32_t channel, uint32_t freq_q16, int32_t ampl_q31)
{
	if (channel >= DSP_MAX_CHANNELS)
		return -EINVAL;
	if (t->rate && !tone_freq_ok(freq_q16, t->rate))
		return -EINVAL;
	t->freq[channel] = freq_q16;
	t->ampl[channel] = ampl_q31;
	if (t->rate)
		t->step[channel] = tone_step(freq_q16, t->rate);
	return 0;
}

int dsp_tone_set_mute(struct dsp_tone *t, uint32_t channel, bool mute)
{
	if (channel >= DSP_MAX_CHANNELS)
		return -EINVAL;
	t->mute[channel] = mute;
	return 0;
}

/* The next sample of channel @c as a fraction of full scale, advancing its phase. */
static double tone_next(struct dsp_tone *t, uint32_t c)
{
	double x = 0;

	if (!t->mute[c])
		x = t->ampl[c] / 2147483648.0 * sin(t->phase[c] * (TWO_PI / 4294967296.0));
	t->phase[c] += t->step[c];
	return x;
}

static int32_t tone_to_int(double x, double scale, int32_t min, int32_t max)
{
	double d = x * scale;

	if (d >= max)
		return max;
	if (d <= min)
		return min;
	return (int32_t)(d < 0 ? d - 0.5 : d + 0.5);
}

/* One generator per format; @expr turns x (a fraction of full scale) into a sample. */
#define TONE_KERNEL(name, type, expr) \
	static void name(struct dsp_tone *t, void *dstv, uint32_t frames) \
	{ \
		type *dst = dstv; \
		uint32_t n = t->channels, f, c; \
		for (f = 0; f < frames; f++) { \
			for (c = 0; c < n; c++) { \
				double x = tone_next(t, c); \
				*dst++ = (type)(expr); \
			} \
		} \
	}

TONE_KERNEL(tone_s16, int16_t, tone_to_int(x, 32768.0, INT16_MIN, INT16_MAX))
TONE_KERNEL(tone_s24, int32_t, tone_to_int(x, 8388608.0, DSP_S24_MIN, DSP_S24_MAX))
TONE_KERNEL(tone_s32, int32_t, tone_to_int(x, 2147483648.0, INT32_MIN, INT32_MAX))
TONE_KERNEL(tone_float, float, x)

static const dsp_tone_fn tone_table[DSP_FMT_COUNT] = {
	[DSP_FMT_S16_LE] = tone_s16,
	[DSP_FMT_S24_4LE] = tone_s24,
	[DSP_FMT_S32_LE] = tone_s32,
	[DSP_FMT_FLOAT] = tone_float,
};

void dsp_tone_process(struct dsp_tone *t, void *dst, uint32_t frames)
{
	t->gen(t, dst, frames);
}

int dsp_tone_prepare(struct dsp_tone *t, uint32_t fmt, uint32_t channels, uint32_t rate)
{
	uint32_t c;

	if (!dsp_fmt_valid(fmt) || !channels || channels > DSP_MAX_CHANNELS || !rate ||
	    rate > TONE_RATE_MAX)
		return -EINVAL;
	for (c = 0; c < channels; c++)
		if (!tone_freq_ok(t->freq[c], rate))
			return -EINVAL;
	t->gen = tone_table[fmt];
	t->fmt = fmt;
	t->channels = channels;
	t->rate = rate;
	for (c = 0; c < channels; c++) {
		t->step[c] = tone_step(t->freq[c], rate);
		t->phase[c] = 0;
	}
	return 0;
}
