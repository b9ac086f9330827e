// SPDX-License-Identifier: MIT
/*
 * Tone generator against a sine computed here: every sample within one LSB of
 * A sin(2 pi n f / fs) in each format, the frequency exact to the phase step, independent
 * channels, mute keeping the phase, SOF's defaults, and frequencies at Nyquist refused.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dsp/kernels/tone.h"

#define RATE	48000u
#define PI	3.14159265358979323846

/* Reference sample n of a tone of @f Hz and amplitude @a (fraction of full scale). */
static double ref_tone(double f, double a, uint32_t n)
{
	/* the generator's frequency is quantised to the 2^-32 turn phase step */
	double step = floor(f * 4294967296.0 / RATE + 0.5) / 4294967296.0;
	double turns = fmod(step * n, 1.0);

	return a * sin(2 * PI * turns);
}

static void every_format_matches_the_reference_sine(void **state)
{
	enum { N = 4800, CH = 2 };
	static int32_t s32[N * CH];
	static int16_t s16[N * CH];
	static float fl[N * CH];
	struct dsp_tone t;
	uint32_t fmt, i, c;
	const double freq[CH] = { 997.0, 11025.5 }, ampl[CH] = { 0.5, -0.999 };

	for (fmt = 0; fmt < DSP_FMT_COUNT; fmt++) {
		void *buf = fmt == DSP_FMT_S16_LE ? (void *)s16 :
			    fmt == DSP_FMT_FLOAT ? (void *)fl : (void *)s32;
		double scale = fmt == DSP_FMT_S16_LE ? 32768.0 :
			       fmt == DSP_FMT_S24_4LE ? 8388608.0 : 2147483648.0;

		dsp_tone_init(&t);
		for (c = 0; c < CH; c++)
			assert_int_equal(dsp_tone_set(&t, c, (uint32_t)(freq[c] * 65536),
						      (int32_t)(ampl[c] * 2147483648.0)), 0);
		assert_int_equal(dsp_tone_prepare(&t, fmt, CH, RATE), 0);
		/* in uneven pieces: the phase carries over */
		dsp_tone_process(&t, buf, 1000);
		dsp_tone_process(&t, (char *)buf + 1000 * CH * dsp_fmt_sample_bytes(fmt), N - 1000);
		for (i = 0; i < N; i++) {
			for (c = 0; c < CH; c++) {
				double want = ref_tone(freq[c], ampl[c], i);
				double got;

				if (fmt == DSP_FMT_FLOAT) {
					assert_true(fabs(fl[i * CH + c] - want) < 1e-6);
					continue;
				}
				got = fmt == DSP_FMT_S16_LE ? s16[i * CH + c] : s32[i * CH + c];
				/* rounding plus the last bits of a 31-bit amplitude */
				assert_true(fabs(got - want * scale) <= 1.0 + scale / 2147483648.0);
			}
		}
	}
}

static void defaults_are_sofs_997_hz_at_minus_20_db(void **state)
{
	enum { N = 480 };
	struct dsp_tone t;
	int32_t out[N];
	uint32_t i;
	int32_t peak = 0;

	dsp_tone_init(&t);
	assert_int_equal(t.freq[3], 997u << 16);
	assert_int_equal(dsp_tone_prepare(&t, DSP_FMT_S32_LE, 1, RATE), 0);
	dsp_tone_process(&t, out, N);
	for (i = 0; i < N; i++) {
		assert_true(fabs(out[i] - ref_tone(997.0, 0.1, i) * 2147483648.0) <= 2.0);
		if (abs(out[i]) > peak)
			peak = abs(out[i]);
	}
	/* -20 dBFS peak */
	assert_true(fabs(20 * log10(peak / 2147483648.0) + 20.0) < 0.05);
}

static void mute_silences_a_channel_and_keeps_its_phase(void **state)
{
	enum { N = 300 };
	struct dsp_tone t;
	int32_t out[N * 2];
	uint32_t i;

	dsp_tone_init(&t);
	assert_int_equal(dsp_tone_set(&t, 1, 440u << 16, 1 << 30), 0);
	assert_int_equal(dsp_tone_prepare(&t, DSP_FMT_S32_LE, 2, RATE), 0);
	assert_int_equal(dsp_tone_set_mute(&t, 1, true), 0);
	dsp_tone_process(&t, out, 100);
	for (i = 0; i < 100; i++)
		assert_int_equal(out[i * 2 + 1], 0);
	assert_int_equal(dsp_tone_set_mute(&t, 1, false), 0);
	dsp_tone_process(&t, out + 200, N - 100);
	for (i = 100; i < N; i++)
		assert_true(fabs(out[i * 2 + 1] - ref_tone(440.0, 0.5, i) * 2147483648.0) <= 2.0);
	/* channel 0 was never muted */
	for (i = 0; i < N; i++)
		assert_true(fabs(out[i * 2] - ref_tone(997.0, 0.1, i) * 2147483648.0) <= 2.0);
}

static void frequencies_at_nyquist_are_refused(void **state)
{
	struct dsp_tone t;

	dsp_tone_init(&t);
	assert_int_equal(dsp_tone_set(&t, 0, 24000u << 16, 1 << 30), 0);	/* not yet */
	assert_int_equal(dsp_tone_prepare(&t, DSP_FMT_S16_LE, 1, RATE), -EINVAL);
	assert_int_equal(dsp_tone_set(&t, 0, (24000u << 16) - 1, 1 << 30), 0);
	assert_int_equal(dsp_tone_prepare(&t, DSP_FMT_S16_LE, 1, RATE), 0);
	assert_int_equal(dsp_tone_set(&t, 0, 24000u << 16, 1 << 30), -EINVAL);
	assert_int_equal(dsp_tone_set(&t, 8, 1000u << 16, 1 << 30), -EINVAL);
	assert_int_equal(dsp_tone_set_mute(&t, 8, true), -EINVAL);
	assert_int_equal(dsp_tone_prepare(&t, 5, 1, RATE), -EINVAL);
	assert_int_equal(dsp_tone_prepare(&t, DSP_FMT_S16_LE, 0, RATE), -EINVAL);
	assert_int_equal(dsp_tone_prepare(&t, DSP_FMT_S16_LE, 1, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_format_matches_the_reference_sine),
		cmocka_unit_test(defaults_are_sofs_997_hz_at_minus_20_db),
		cmocka_unit_test(mute_silences_a_channel_and_keeps_its_phase),
		cmocka_unit_test(frequencies_at_nyquist_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
