// SPDX-License-Identifier: MIT
/*
 * Rate conversion, driven as the engine drives it (1 ms input chunks, all output taken),
 * measured against stated thresholds with stepped sine sweeps:
 *   default engine (speexdsp, quality 7), 48k->16k, 16k->48k, 44.1k->48k, 48k->44.1k:
 *     THD+N of every sweep tone (50 Hz .. 0.85 x the lower Nyquist, -6 dBFS) below -100 dB
 *     in FLOAT and S32, below -85 dB in S16 (quantising a -6 dBFS tone to 16 bits on the
 *     way in and again on the way out alone gives about -89 dB);
 *     passband ripple over the sweep below 0.05 dB; gain at 0.9 x Nyquist above -0.1 dB;
 *     for downsampling, tones between 1.05 x the output Nyquist and the input Nyquist
 *     attenuated by more than 95 dB;
 *   the impulse comes out where dsp_src_delay() says (within 1.5 frames), each chunk gives
 *   its share of output (ceil(in * ratio) + margin at most, never a burst), and the totals
 *   stay within a frame of the ideal;
 *   no allocation inside dsp_src_process();
 *   bad parameters are refused; reset restarts the signal history.
 * The soxr engine is checked for correctness (frequency, THD+N, whole input consumed).
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

#include "dsp/kernels/src.h"

#define PI	3.14159265358979323846

/* ---------------------------------------------------------------------------------------- */
/* Counting allocations                                                                      */

static volatile long allocations;
static volatile int counting;

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TEST_UNDER_ASAN 1
#endif

#ifdef TEST_UNDER_ASAN
/* ASan owns malloc; it calls these hooks on every allocation. */
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*f)(const volatile void *));

static void on_malloc(const volatile void *p, size_t n)
{
	if (counting)
		allocations++;
}

static void on_free(const volatile void *p)
{
}

static void count_setup(void)
{
	__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}
#else
/* Interpose the allocator: the test program's definitions win over libc's for every DSO. */
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t m);
void *__libc_realloc(void *p, size_t n);
void *malloc(size_t n);
void *calloc(size_t n, size_t m);
void *realloc(void *p, size_t n);

void *malloc(size_t n)
{
	if (counting)
		allocations++;
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
	if (counting)
		allocations++;
	return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
	if (counting)
		allocations++;
	return __libc_realloc(p, n);
}

static void count_setup(void)
{
}
#endif

/* ---------------------------------------------------------------------------------------- */
/* Driving and measuring                                                                     */

struct rates {
	uint32_t in, out;
};

static const struct rates conversions[] = {
	{ 48000, 16000 }, { 16000, 48000 }, { 44100, 48000 }, { 48000, 44100 },
};

/* Input frames of 1 ms tick @k: the engine's 44/45 pattern at 44.1 kHz. */
static uint32_t tick_frames(uint32_t rate, uint32_t k)
{
	return (uint32_t)((uint64_t)rate * (k + 1) / 1000 - (uint64_t)rate * k / 1000);
}

/*
 * Convert @in_n mono frames of @in (doubles in [-1, 1]) through a converter in @fmt and
 * return the output as doubles in @out (room @out_room); checks the per-chunk output bound.
 */
static size_t convert(uint32_t engine, uint32_t fmt, const struct rates *r, const double *in,
		      size_t in_n, double *out, size_t out_room)
{
	struct dsp_src_params p = {
		.engine = engine, .quality = DSP_SRC_QUALITY_DEFAULT, .fmt = fmt, .channels = 1,
		.in_rate = r->in, .out_rate = r->out, .max_in_frames = r->in / 1000 + 1,
	};
	double scale = fmt == DSP_FMT_S16_LE ? 32768.0 : fmt == DSP_FMT_S32_LE ? 2147483648.0 :
		       fmt == DSP_FMT_S24_4LE ? 8388608.0 : 1.0;
	static int32_t ibuf[64], obuf[256];
	static int16_t ibuf16[64], obuf16[256];
	static float ibuff[64], obuff[256];
	struct dsp_src s;
	size_t ip = 0, op = 0, i;
	uint32_t k;

	assert_int_equal(dsp_src_prepare(&s, &p), 0);
	for (k = 0; ip < in_n; k++) {
		uint32_t n = tick_frames(r->in, k);
		uint32_t cap = dsp_src_max_out(&s, n);
		void *ib = fmt == DSP_FMT_S16_LE ? (void *)ibuf16 :
			   fmt == DSP_FMT_FLOAT ? (void *)ibuff : (void *)ibuf;
		void *ob = fmt == DSP_FMT_S16_LE ? (void *)obuf16 :
			   fmt == DSP_FMT_FLOAT ? (void *)obuff : (void *)obuf;
		int got;

		if (n > in_n - ip)
			n = (uint32_t)(in_n - ip);
		for (i = 0; i < n; i++) {
			double x = in[ip + i] * scale;

			if (fmt == DSP_FMT_S16_LE)
				ibuf16[i] = (int16_t)lrint(fmin(x, 32767));
			else if (fmt == DSP_FMT_FLOAT)
				ibuff[i] = (float)x;
			else
				ibuf[i] = (int32_t)lrint(fmin(x, scale - 1));
		}
		assert_true(cap <= 256);
		got = dsp_src_process(&s, ib, n, ob, cap);
		assert_true(got >= 0 && (uint32_t)got <= cap);
		assert_true(op + (size_t)got <= out_room);
		for (i = 0; i < (size_t)got; i++)
			out[op + i] = (fmt == DSP_FMT_S16_LE ? obuf16[i] :
				       fmt == DSP_FMT_FLOAT ? obuff[i] : obuf[i]) / scale;
		ip += n;
		op += (size_t)got;
	}
	dsp_src_free(&s);
	return op;
}

/* Least-squares sine fit at @w: amplitude and residual-to-signal power ratio. */
static void fit(const double *y, size_t n, double w, double *amp, double *noise_ratio)
{
	double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0, a, b, det, res = 0, sig = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double s = sin(w * i), c = cos(w * i);

		ss += s * s;
		cc += c * c;
		sc += s * c;
		ys += y[i] * s;
		yc += y[i] * c;
	}
	det = ss * cc - sc * sc;
	a = (ys * cc - yc * sc) / det;
	b = (yc * ss - ys * sc) / det;
	for (i = 0; i < n; i++) {
		double f = a * sin(w * i) + b * cos(w * i);

		res += (y[i] - f) * (y[i] - f);
		sig += f * f;
	}
	*amp = sqrt(a * a + b * b);
	*noise_ratio = res / sig;
}

struct tone {
	double gain_db, thdn_db;
};

/* A tone of @f Hz at @ampl through the converter: its gain and THD+N after settling. */
static struct tone run_tone(uint32_t engine, uint32_t fmt, const struct rates *r, double f,
			    double ampl)
{
	size_t in_n = r->in * 3 / 10, out_room = in_n * r->out / r->in + 1024;
	double *in = malloc(in_n * sizeof(double)), *out = malloc(out_room * sizeof(double));
	size_t i, got, skip = r->out / 10, n;
	double amp, nr;
	struct tone t;

	for (i = 0; i < in_n; i++)
		in[i] = ampl * sin(2 * PI * f * i / r->in);
	got = convert(engine, fmt, r, in, in_n, out, out_room);
	/* a window of whole periods after 100 ms, stopping short of the tail */
	n = (size_t)(floor((got - skip - r->out / 50) * f / r->out) * r->out / f);
	if (n < 100)
		n = got - skip - r->out / 50;
	fit(out + skip, n, 2 * PI * f / r->out, &amp, &nr);
	t.gain_db = 20 * log10(amp / ampl);
	t.thdn_db = 10 * log10(nr);
	free(in);
	free(out);
	return t;
}

/* ---------------------------------------------------------------------------------------- */
/* Tests                                                                                     */

static void default_engine_meets_thd_n_ripple_and_alias_thresholds(void **state)
{
	static const uint32_t fmts[] = { DSP_FMT_FLOAT, DSP_FMT_S32_LE, DSP_FMT_S16_LE };
	size_t c, fi;

	for (c = 0; c < sizeof(conversions) / sizeof(conversions[0]); c++) {
		const struct rates *r = &conversions[c];
		double nyq = (r->in < r->out ? r->in : r->out) / 2.0;

		for (fi = 0; fi < sizeof(fmts) / sizeof(fmts[0]); fi++) {
			uint32_t fmt = fmts[fi];
			double thdn_max = fmt == DSP_FMT_S16_LE ? -85.0 : -100.0;
			double gmin = 1e9, gmax = -1e9, f;
			struct tone t;

			for (f = 50.0; f <= 0.85 * nyq; f *= 1.6) {
				t = run_tone(DSP_SRC_ENGINE_DEFAULT, fmt, r, f, 0.5);
				print_message("%u->%u %s %7.1f Hz: gain %+.4f dB, THD+N %.1f dB\n",
					      r->in, r->out, dsp_fmt_name(fmt), f, t.gain_db,
					      t.thdn_db);
				assert_true(t.thdn_db < thdn_max);
				gmin = fmin(gmin, t.gain_db);
				gmax = fmax(gmax, t.gain_db);
			}
			assert_true(gmax - gmin < 0.05);
			assert_true(fabs(gmax) < 0.05);
			if (fmt != DSP_FMT_FLOAT)
				continue;
			t = run_tone(DSP_SRC_ENGINE_DEFAULT, fmt, r, 0.9 * nyq, 0.5);
			assert_true(t.gain_db > -0.1);
			if (r->out < r->in) {
				double lo = 1.05 * r->out / 2.0, hi = 0.98 * r->in / 2.0;

				for (f = lo; f <= hi; f += (hi - lo) / 3) {
					t = run_tone(DSP_SRC_ENGINE_DEFAULT, fmt, r, f, 0.5);
					print_message("%u->%u alias from %.0f Hz: %.1f dB\n", r->in,
						      r->out, f, t.gain_db);
					assert_true(t.gain_db < -95.0);
				}
			}
		}
	}
}

static void impulse_delay_and_output_pacing_match_the_converter(void **state)
{
	size_t c;

	for (c = 0; c < sizeof(conversions) / sizeof(conversions[0]); c++) {
		const struct rates *r = &conversions[c];
		struct dsp_src_params p = {
			.engine = DSP_SRC_ENGINE_DEFAULT, .quality = DSP_SRC_QUALITY_DEFAULT,
			.fmt = DSP_FMT_FLOAT, .channels = 2, .in_rate = r->in, .out_rate = r->out,
			.max_in_frames = r->in / 1000 + 1,
		};
		static float in[2 * 64], out[2 * 256];
		struct dsp_src s;
		uint64_t in_total = 0, out_total = 0;
		/* an input frame that falls exactly on an output frame: 20 ms in */
		uint64_t impulse = r->in / 50, peak_at = 0;
		double peak = 0, delay, ideal;
		uint32_t k, i;

		assert_int_equal(dsp_src_prepare(&s, &p), 0);
		delay = dsp_src_delay(&s);
		for (k = 0; k < 1000; k++) {
			uint32_t n = tick_frames(r->in, k);
			uint32_t ideal_n = (uint32_t)(((uint64_t)n * r->out + r->in - 1) / r->in);
			int got;

			memset(in, 0, sizeof(in));
			if (impulse >= in_total && impulse < in_total + n)
				in[2 * (impulse - in_total) + 1] = 1.0f;	/* right channel */
			got = dsp_src_process(&s, in, n, out, dsp_src_max_out(&s, n));
			/* paced: at most one frame more than the chunk's share, never a burst */
			assert_true(got >= (int)ideal_n - 2 && got <= (int)ideal_n + 1);
			for (i = 0; i < (uint32_t)got; i++) {
				assert_true(out[2 * i] == 0.0f);	/* left stays silent */
				if (fabs(out[2 * i + 1]) > peak) {
					peak = fabs(out[2 * i + 1]);
					peak_at = out_total + i;
				}
			}
			in_total += n;
			out_total += (uint64_t)got;
		}
		ideal = (double)in_total * r->out / r->in;
		assert_true(fabs((double)out_total - ideal) <= 1.0);
		print_message("%u->%u: impulse at output %.1f frames late, reported delay %.1f\n",
			      r->in, r->out, (double)peak_at - (double)impulse * r->out / r->in,
			      delay);
		/* a low-pass at the lower Nyquist spreads the impulse over in / out frames */
		assert_true(peak > 0.5 * (r->out < r->in ? (double)r->out / r->in : 1.0));
		assert_true(fabs((double)peak_at - (double)impulse * r->out / r->in - delay) <= 1.5);
		dsp_src_free(&s);
	}
}

static void processing_does_not_allocate(void **state)
{
	size_t c;

	count_setup();
	for (c = 0; c < sizeof(conversions) / sizeof(conversions[0]); c++) {
		const struct rates *r = &conversions[c];
		uint32_t engine;

		for (engine = DSP_SRC_SPEEX; engine <= DSP_SRC_SOXR; engine++) {
			struct dsp_src_params p = {
				.engine = engine, .quality = DSP_SRC_QUALITY_DEFAULT,
				.fmt = DSP_FMT_S24_4LE, .channels = 8, .in_rate = r->in,
				.out_rate = r->out, .max_in_frames = r->in / 1000 + 1,
			};
			static int32_t in[8 * 64], out[8 * 256];
			struct dsp_src s;
			uint32_t k, i;

			if (dsp_src_prepare(&s, &p) == -EINVAL && engine == DSP_SRC_SOXR)
				continue;	/* built without libsoxr */
			for (i = 0; i < 8 * 64; i++)
				in[i] = (int32_t)(4e6 * sin(i * 0.01));
			allocations = 0;
			counting = 1;
			for (k = 0; k < 2000; k++) {
				uint32_t n = tick_frames(r->in, k);

				assert_true(dsp_src_process(&s, in, n, out,
							    dsp_src_max_out(&s, n)) >= 0);
			}
			counting = 0;
			print_message("%u->%u engine %u: %ld allocations in 2000 ticks\n", r->in,
				      r->out, engine, allocations);
			if (engine == DSP_SRC_SPEEX)
				assert_int_equal(allocations, 0);
			dsp_src_free(&s);
		}
	}
	/* the counter itself works */
	counting = 1;
	free(malloc(16));
	counting = 0;
	assert_true(allocations > 0);
}

static void soxr_engine_converts_correctly_when_built(void **state)
{
	struct dsp_src_params p = {
		.engine = DSP_SRC_SOXR, .quality = DSP_SRC_QUALITY_DEFAULT, .fmt = DSP_FMT_FLOAT,
		.channels = 1, .in_rate = 48000, .out_rate = 16000, .max_in_frames = 48,
	};
	struct dsp_src s;
	int ret = dsp_src_prepare(&s, &p);
	struct tone t;

	if (ret == -EINVAL)
		skip();	/* built without libsoxr */
	assert_int_equal(ret, 0);
	dsp_src_free(&s);
	t = run_tone(DSP_SRC_SOXR, DSP_FMT_FLOAT, &conversions[0], 1000.0, 0.5);
	assert_true(fabs(t.gain_db) < 0.01);
	assert_true(t.thdn_db < -110.0);
}

static void bad_parameters_are_refused_and_reset_restarts(void **state)
{
	struct dsp_src_params good = {
		.engine = DSP_SRC_SPEEX, .quality = DSP_SRC_QUALITY_DEFAULT, .fmt = DSP_FMT_S16_LE,
		.channels = 2, .in_rate = 44100, .out_rate = 48000, .max_in_frames = 45,
	};
	struct dsp_src_params p;
	struct dsp_src s;
	static int16_t in[2 * 45], a[2 * 200], b[2 * 100], after_reset[4][2 * 100];
	int na, nb, i, b_fresh[4];

	p = good, p.engine = 7;
	assert_int_equal(dsp_src_prepare(&s, &p), -EINVAL);
	p = good, p.fmt = 4;
	assert_int_equal(dsp_src_prepare(&s, &p), -EINVAL);
	p = good, p.channels = 0;
	assert_int_equal(dsp_src_prepare(&s, &p), -EINVAL);
	p = good, p.channels = 9;
	assert_int_equal(dsp_src_prepare(&s, &p), -EINVAL);
	p = good, p.in_rate = 7999;
	assert_int_equal(dsp_src_prepare(&s, &p), -EINVAL);
	p = good, p.out_rate = 192001;
	assert_int_equal(dsp_src_prepare(&s, &p), -EINVAL);
	p = good, p.max_in_frames = 0;
	assert_int_equal(dsp_src_prepare(&s, &p), -EINVAL);
	p = good, p.quality = 11;
	assert_int_equal(dsp_src_prepare(&s, &p), -EINVAL);
	dsp_src_free(&s);	/* harmless on a refused state */

	/* each engine: chunk checks, and reset brings back the output of a fresh converter */
	for (p = good; p.engine <= DSP_SRC_SOXR; p.engine++) {
		if (dsp_src_prepare(&s, &p) == -EINVAL && p.engine == DSP_SRC_SOXR)
			break;	/* built without libsoxr */
		for (i = 0; i < 2 * 45; i++)
			in[i] = (int16_t)(i * 321);
		assert_int_equal(dsp_src_process(&s, in, 46, a, 100), -EINVAL);
		assert_int_equal(dsp_src_process(&s, in, 45, a, dsp_src_max_out(&s, 45) - 1),
				 -EINVAL);
		for (i = 0; i < 6; i++)
			na = dsp_src_process(&s, in, 45, a + 100 * (i % 2), 100);
		assert_int_equal(dsp_src_reset(&s), 0);
		for (i = 0; i < 4; i++) {
			na = dsp_src_process(&s, in, 45, a, 100);
			assert_true(na >= 0);
			if (i == 0 && p.engine == DSP_SRC_SPEEX)
				assert_true(na > 0);
			b_fresh[i] = na;
			memcpy(&after_reset[i][0], a, (size_t)na * 2 * sizeof(int16_t));
		}
		dsp_src_free(&s);
		assert_int_equal(dsp_src_prepare(&s, &p), 0);
		for (i = 0; i < 4; i++) {
			nb = dsp_src_process(&s, in, 45, b, 100);
			assert_int_equal(nb, b_fresh[i]);
			assert_memory_equal(b, &after_reset[i][0], (size_t)nb * 2 * sizeof(int16_t));
		}
		dsp_src_free(&s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_engine_meets_thd_n_ripple_and_alias_thresholds),
		cmocka_unit_test(impulse_delay_and_output_pacing_match_the_converter),
		cmocka_unit_test(processing_does_not_allocate),
		cmocka_unit_test(soxr_engine_converts_correctly_when_built),
		cmocka_unit_test(bad_parameters_are_refused_and_reset_restarts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
