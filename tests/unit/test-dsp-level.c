// SPDX-License-Identifier: MIT
/*
 * The level meter (dsp/kernels/level.h): peak and RMS of known signals in every format,
 * per channel, across window boundaries and odd feeds; clipping counts; silence; a reader on
 * another thread always sees one window's figures whole.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dsp/kernels/level.h"
#include "util/compiler.h"

#define RATE	48000u
#define WINDOW	(RATE / 10u)

/* Store @v (a fraction of full scale) as sample @i of @buf in @fmt. */
static void put_sample(void *buf, size_t i, uint32_t fmt, double v)
{
	switch (fmt) {
	case DSP_FMT_S16_LE: {
		int16_t s = (int16_t)fmax(-32768.0, fmin(32767.0, lrint(v * 32768.0)));

		memcpy((uint8_t *)buf + 2 * i, &s, 2);
		break;
	}
	case DSP_FMT_S24_4LE: {
		int32_t s = (int32_t)fmax(-8388608.0, fmin(8388607.0, lrint(v * 8388608.0)));

		s &= 0xffffff;		/* the top byte is ignored: leave it 0 */
		memcpy((uint8_t *)buf + 4 * i, &s, 4);
		break;
	}
	case DSP_FMT_S32_LE: {
		int32_t s = (int32_t)fmax(-2147483648.0, fmin(2147483647.0,
							      llrint(v * 2147483648.0)));

		memcpy((uint8_t *)buf + 4 * i, &s, 4);
		break;
	}
	default: {
		float s = (float)v;

		memcpy((uint8_t *)buf + 4 * i, &s, 4);
		break;
	}
	}
}

static double db_of(float ratio, bool power)
{
	int32_t c;

	assert_int_equal(dsp_level_db_centi(ratio, power, &c), 0);
	return c / 100.0;
}

/* A 1 kHz sine of @amp on every channel c scaled by gains[c], @frames frames, in @fmt. */
static uint8_t *sine(uint32_t fmt, uint32_t channels, const double *gains, uint32_t frames,
		     double amp)
{
	uint8_t *buf = malloc(dsp_fmt_frame_bytes(fmt, channels) * frames + 1);

	assert_non_null(buf);
	for (uint32_t f = 0; f < frames; f++)
		for (uint32_t c = 0; c < channels; c++)
			put_sample(buf + 1, (size_t)f * channels + c, fmt,
				   amp * gains[c] * sin(2.0 * M_PI * 1000.0 * f / RATE));
	return buf;
}

static void a_minus_6_dbfs_sine_reads_peak_minus_6_and_rms_minus_9_in_every_format(void **st)
{
	const double gains[2] = { 1.0, 0.1 };	/* right channel 20 dB lower */

	(void)st;
	for (uint32_t fmt = 0; fmt < DSP_FMT_COUNT; fmt++) {
		struct dsp_level l;
		struct dsp_level_snapshot s;
		uint32_t frames = 3 * WINDOW + 500, done = 0;
		uint8_t *buf = sine(fmt, 2, gains, frames, 0.5);
		size_t fb = dsp_fmt_frame_bytes(fmt, 2);

		memset(&l, 0xa5, sizeof(l));
		assert_int_equal(dsp_level_init(&l, fmt, 2, RATE), 0);
		/* Odd pieces, from an unaligned buffer (buf + 1). */
		for (uint32_t n = 37; done < frames; n = n * 3 % 1001 + 1) {
			n = n < frames - done ? n : frames - done;
			dsp_level_feed(&l, buf + 1 + done * fb, n);
			done += n;
		}
		assert_int_equal(dsp_level_read(&l, &s), 0);
		assert_int_equal(s.channels, 2);
		assert_int_equal(s.rate, RATE);
		assert_int_equal(s.window_frames, WINDOW);
		assert_int_equal(s.windows, 3);
		print_message("%s: peak %.3f / %.3f dBFS, rms %.3f / %.3f dBFS\n",
			      dsp_fmt_name(fmt), db_of(s.peak[0], false), db_of(s.peak[1], false),
			      db_of(s.ms[0], true), db_of(s.ms[1], true));
		assert_true(fabs(db_of(s.peak[0], false) - 20 * log10(0.5)) < 0.1);
		assert_true(fabs(db_of(s.ms[0], true) - 20 * log10(0.5 / sqrt(2))) < 0.1);
		assert_true(fabs(db_of(s.peak[1], false) - 20 * log10(0.05)) < 0.1);
		assert_true(fabs(db_of(s.ms[1], true) - 20 * log10(0.05 / sqrt(2))) < 0.1);
		assert_int_equal(s.clipped[0] + s.clipped[1], 0);
		assert_int_equal(s.clipped_total, 0);
		free(buf);
	}
}

/*
 * Every format and channel count (8 positions for 1, 2, 4, 8 channels; 24, 40 or 56 for 3, 5,
 * 6, 7), fed in pieces of 37 frames (not a multiple of eight samples for odd counts).
 */
static void each_channel_is_measured_on_its_own_for_every_channel_count(void **st)
{
	(void)st;
	for (uint32_t k = 0; k < DSP_FMT_COUNT * DSP_MAX_CHANNELS; k++) {
		uint32_t fmt = k / DSP_MAX_CHANNELS, ch = k % DSP_MAX_CHANNELS + 1;
		size_t fb = dsp_fmt_frame_bytes(fmt, ch);
		double gains[DSP_MAX_CHANNELS];
		struct dsp_level l = { 0 };
		struct dsp_level_snapshot s;
		uint8_t *buf;

		for (uint32_t c = 0; c < ch; c++)
			gains[c] = pow(10.0, -(double)c * 3.0 / 20.0);	/* 0, -3, -6 ... dB */
		buf = sine(fmt, ch, gains, WINDOW, 1.0);
		assert_int_equal(dsp_level_init(&l, fmt, ch, RATE), 0);
		for (uint32_t f = 0; f < WINDOW; f += 37)
			dsp_level_feed(&l, buf + 1 + f * fb, VADSP_MIN(37u, WINDOW - f));
		assert_int_equal(dsp_level_read(&l, &s), 0);
		assert_int_equal(s.windows, 1);
		for (uint32_t c = 0; c < ch; c++) {
			assert_true(fabs(db_of(s.peak[c], false) + 3.0 * c) < 0.05);
			assert_true(fabs(db_of(s.ms[c], true) + 3.0 * c + 3.0103) < 0.05);
		}
		/* The full-scale channel 0 touches full scale at its crests. */
		assert_true(s.clipped[0] > 0);
		for (uint32_t c = 1; c < ch; c++)
			assert_int_equal(s.clipped[c], 0);
		free(buf);
	}
}

/*
 * Every build the CPU runs (AVX2: eight positions per vector) gives the plain C build's
 * figures bit for bit, on random samples of every format and channel count (including NaNs,
 * infinities and huge values for FLOAT, and full-scale values), fed in random pieces.
 */
static void every_build_reads_what_the_plain_c_one_reads(void **st)
{
	unsigned int builds = 0;

	(void)st;
	srand(7);
	for (uint32_t isa = 1; isa < DSP_ISA_COUNT; isa++) {
		if (!dsp_isa_supported(isa))
			continue;
		builds++;
		for (uint32_t k = 0; k < DSP_FMT_COUNT * DSP_MAX_CHANNELS; k++) {
			uint32_t fmt = k / DSP_MAX_CHANNELS, ch = k % DSP_MAX_CHANNELS + 1;
			uint32_t frames = 2 * 480 + 77, done = 0;
			size_t fb = dsp_fmt_frame_bytes(fmt, ch);
			uint8_t *buf = malloc(fb * frames);
			struct dsp_level ref = { 0 }, var = { 0 };
			struct dsp_level_snapshot a, b;

			assert_non_null(buf);
			for (size_t i = 0; i < fb * frames; i++)
				buf[i] = (uint8_t)rand();
			for (uint32_t i = 0; i < frames * ch; i += 7) {
				static const float odd[] = { NAN, INFINITY, -INFINITY, 3e38f, 1.0f,
							     -1.0f };

				if (fmt == DSP_FMT_FLOAT)
					memcpy(buf + 4 * i, &odd[i % 6], 4);
				else
					put_sample(buf, i, fmt, i % 2 ? 1.0 : -1.0);
			}
			if (fmt == DSP_FMT_FLOAT)	/* the rest: ordinary samples */
				for (uint32_t i = 0; i < frames * ch; i++)
					if (i % 7)
						put_sample(buf, i, fmt,
							   (rand() % 20001 - 10000) / 8000.0);
			/* 480 frames a window: 4800 Hz */
			assert_int_equal(dsp_level_init_isa(&ref, fmt, ch, 4800, DSP_ISA_C), 0);
			assert_int_equal(dsp_level_init_isa(&var, fmt, ch, 4800, isa), 0);
			while (done < frames) {
				uint32_t n = (uint32_t)rand() % 200 + 1;

				n = VADSP_MIN(n, frames - done);
				dsp_level_feed(&ref, buf + done * fb, n);
				dsp_level_feed(&var, buf + done * fb, n);
				done += n;
			}
			assert_int_equal(dsp_level_read(&ref, &a), 0);
			assert_int_equal(dsp_level_read(&var, &b), 0);
			assert_int_equal(a.windows, 2);
			assert_int_equal(b.windows, 2);
			assert_memory_equal(a.peak, b.peak, sizeof(a.peak));
			assert_memory_equal(a.ms, b.ms, sizeof(a.ms));
			assert_memory_equal(a.clipped, b.clipped, sizeof(a.clipped));
			assert_int_equal(a.clipped_total, b.clipped_total);
			assert_true(a.clipped_total > 0);
			free(buf);
		}
	}
	print_message("%u builds besides plain C compared\n", builds);
}

static void full_scale_samples_are_counted_as_clipped(void **st)
{
	struct dsp_level l = { 0 };
	struct dsp_level_snapshot s;
	int16_t buf[2 * 100];
	float fbuf[4] = { 1.0f, -0.5f, NAN, INFINITY };

	(void)st;
	/* S16: 32767 and -32768 clip, 32766 does not. */
	for (int i = 0; i < 100; i++) {
		buf[2 * i] = i % 2 ? 32767 : -32768;
		buf[2 * i + 1] = 32766;
	}
	assert_int_equal(dsp_level_init(&l, DSP_FMT_S16_LE, 2, 1000), 0);	/* 100 frames */
	dsp_level_feed(&l, buf, 100);
	assert_int_equal(dsp_level_read(&l, &s), 0);
	assert_int_equal(s.windows, 1);
	assert_int_equal(s.clipped[0], 100);
	assert_int_equal(s.clipped[1], 0);
	assert_int_equal(s.clipped_total, 100);
	assert_true(fabs(db_of(s.peak[0], false)) < 0.001);
	assert_true(fabs(db_of(s.ms[0], true)) < 0.001);
	dsp_level_feed(&l, buf, 100);
	assert_int_equal(dsp_level_read(&l, &s), 0);
	assert_int_equal(s.clipped_total, 200);
	/* FLOAT: 1.0, NaN and infinity clip; a NaN does not poison the sums. */
	assert_int_equal(dsp_level_init(&l, DSP_FMT_FLOAT, 1, 40), 0);	/* 4 frames */
	dsp_level_feed(&l, fbuf, 4);
	assert_int_equal(dsp_level_read(&l, &s), 0);
	assert_int_equal(s.clipped[0], 3);
	assert_true(isfinite(s.ms[0]) && s.ms[0] > 1.0f);
	assert_int_equal(s.clipped_total, 3);
}

static void silence_has_no_level_and_nothing_is_reported_before_a_window_completes(void **st)
{
	struct dsp_level l = { 0 };
	struct dsp_level_snapshot s;
	int32_t zero[2 * 64] = { 0 };
	int32_t c;

	(void)st;
	assert_int_equal(dsp_level_init(&l, DSP_FMT_S32_LE, 2, RATE), 0);
	assert_int_equal(dsp_level_read(&l, &s), 0);
	assert_int_equal(s.windows, 0);
	for (uint32_t f = 0; f + 64 <= WINDOW - 64; f += 64)
		dsp_level_feed(&l, zero, 64);
	assert_int_equal(dsp_level_read(&l, &s), 0);
	assert_int_equal(s.windows, 0);
	dsp_level_feed(&l, zero, 64);
	dsp_level_feed(&l, zero, 64);
	assert_int_equal(dsp_level_read(&l, &s), 0);
	assert_int_equal(s.windows, 1);
	assert_true(s.peak[0] == 0.0f && s.ms[1] == 0.0f);
	assert_int_equal(dsp_level_db_centi(s.peak[0], false, &c), -ERANGE);
	assert_int_equal(dsp_level_db_centi(s.ms[0], true, &c), -ERANGE);
	assert_int_equal(dsp_level_db_centi(NAN, true, &c), -ERANGE);
	/* The smallest S32 step the meter sees (2^-23) is about -138.47 dBFS. */
	assert_int_equal(dsp_level_db_centi(1.0 / 8388608.0, false, &c), 0);
	assert_int_equal(c, -13847);
}

static void a_bad_configuration_turns_the_meter_off(void **st)
{
	struct dsp_level l = { 0 };
	struct dsp_level_snapshot s;
	int16_t buf[16] = { 1000 };

	(void)st;
	assert_int_equal(dsp_level_init(&l, 7, 2, RATE), -EINVAL);
	dsp_level_feed(&l, buf, 8);
	assert_int_equal(dsp_level_read(&l, &s), 0);
	assert_int_equal(s.channels, 0);
	assert_int_equal(dsp_level_init(&l, DSP_FMT_S16_LE, DSP_MAX_CHANNELS + 1, RATE), -EINVAL);
	assert_int_equal(dsp_level_init(&l, DSP_FMT_S16_LE, 0, RATE), -EINVAL);
	assert_int_equal(dsp_level_init(&l, DSP_FMT_S16_LE, 2, 0), -EINVAL);
	dsp_level_feed(&l, buf, 8);
	assert_int_equal(dsp_level_read(&l, &s), 0);
	assert_int_equal(s.windows, 0);
}

/*
 * A writer publishing windows of constant samples (window k: every sample of channel c is
 * (k % 1000 + 1) * (c + 1) * 1000) while a reader checks that each snapshot is one window's:
 * channel c's peak is (c + 1) times channel 0's and its mean square (c + 1)^2 times.
 */
struct race {
	struct dsp_level l;
	_Atomic bool done;
};

static void *race_writer(void *arg)
{
	struct race *r = arg;
	int32_t buf[100 * 4];

	for (uint32_t k = 0; k < 20000; k++) {
		for (uint32_t f = 0; f < 100; f++)
			for (uint32_t c = 0; c < 4; c++)
				buf[4 * f + c] = (int32_t)((k % 1000 + 1) * (c + 1) * 1000);
		dsp_level_feed(&r->l, buf, 100);
	}
	atomic_store(&r->done, true);
	return NULL;
}

static void a_reader_on_another_thread_sees_whole_windows(void **st)
{
	struct race *r = calloc(1, sizeof(*r));
	pthread_t t;
	unsigned int reads = 0;

	(void)st;
	assert_non_null(r);
	assert_int_equal(dsp_level_init(&r->l, DSP_FMT_S24_4LE, 4, 1000), 0);	/* 100 frames */
	assert_int_equal(pthread_create(&t, NULL, race_writer, r), 0);
	while (!atomic_load(&r->done) || reads < 100) {
		struct dsp_level_snapshot s;

		assert_int_equal(dsp_level_read(&r->l, &s), 0);
		reads++;
		if (!s.windows)
			continue;
		for (uint32_t c = 1; c < 4; c++) {
			assert_true(s.peak[c] == s.peak[0] * (float)(c + 1) ||
				    fabsf(s.peak[c] / s.peak[0] - (float)(c + 1)) < 1e-6f);
			assert_true(fabsf(s.ms[c] / s.ms[0] - (float)((c + 1) * (c + 1))) < 1e-4f);
		}
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	print_message("%u consistent reads\n", reads);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			a_minus_6_dbfs_sine_reads_peak_minus_6_and_rms_minus_9_in_every_format),
		cmocka_unit_test(each_channel_is_measured_on_its_own_for_every_channel_count),
		cmocka_unit_test(every_build_reads_what_the_plain_c_one_reads),
		cmocka_unit_test(full_scale_samples_are_counted_as_clipped),
		cmocka_unit_test(
			silence_has_no_level_and_nothing_is_reported_before_a_window_completes),
		cmocka_unit_test(a_bad_configuration_turns_the_meter_off),
		cmocka_unit_test(a_reader_on_another_thread_sees_whole_windows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
