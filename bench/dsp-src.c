// SPDX-License-Identifier: MIT
/*
 * Rate conversion: quality, latency and cost of libspeexdsp and libsoxr through dsp_src, the
 * way the engine drives them (1 ms input chunks, all output taken each tick).
 *
 * For each conversion and engine/quality it prints:
 *   thd+n     THD+N of a 997 Hz sine at -1 dBFS (float), dB relative to the sine
 *   worst     the worst THD+N over a stepped sine sweep across the passband
 *   ripple    max - min gain over the sweep (20 Hz .. 0.8 x the lower Nyquist), dB
 *   edge      gain at 0.9 x the lower Nyquist, dB
 *   bw        the -0.1 dB bandwidth as a fraction of the lower Nyquist (0.01 steps)
 *   alias     for downsampling: the strongest output from input sines between 1.02 x the
 *             output Nyquist and 0.98 x the input Nyquist, dB relative to the input (more
 *             negative is better)
 *   lat       latency in output frames: the output position of an impulse minus its input
 *             position (scaled), plus the signal held inside at steady state
 *   margin    most output frames one call produced beyond ceil(in * out / in_rate)
 *   cost      CPU time per 1 ms tick, stereo S32 (with the format conversion), ns, and
 *             the percentage of one core per stream
 *
 * The engine's choice and the reasons are in src/dsp/kernels/src.h.
 *
 * Usage: bench-dsp-src [seconds-of-audio-for-cost (default 10)]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dsp/kernels/src.h"

#define TWO_PI	6.283185307179586476925

struct conv {
	unsigned int in_rate, out_rate;
};

static const struct conv convs[] = {
	{ 48000, 16000 }, { 16000, 48000 }, { 44100, 48000 }, { 48000, 44100 }, { 8000, 48000 },
};

struct setting {
	unsigned int engine;
	int quality;
	const char *name;
};

static const struct setting settings[] = {
	{ DSP_SRC_SPEEX, 3, "speex q3" },
	{ DSP_SRC_SPEEX, 5, "speex q5" },
	{ DSP_SRC_SPEEX, 6, "speex q6" },
	{ DSP_SRC_SPEEX, 7, "speex q7" },
	{ DSP_SRC_SPEEX, 8, "speex q8" },
	{ DSP_SRC_SPEEX, 10, "speex q10" },
#ifdef VADSP_HAVE_SOXR
	{ DSP_SRC_SOXR, 1, "soxr LQ" },
	{ DSP_SRC_SOXR, 2, "soxr MQ" },
	{ DSP_SRC_SOXR, 4, "soxr HQ" },
	{ DSP_SRC_SOXR, 6, "soxr VHQ" },
	{ DSP_SRC_SOXR, 4 | 0x30, "soxr HQmin" },	/* SOXR_MINIMUM_PHASE */
#endif
};

/* Input frames for tick @k at @rate so that the total is exact over time (44.1 -> 44/45). */
static unsigned int tick_frames(unsigned int rate, unsigned long k)
{
	return (unsigned int)((unsigned long long)rate * (k + 1) / 1000 -
			      (unsigned long long)rate * k / 1000);
}

/*
 * Run @in_total frames of mono float @in through a fresh converter in 1 ms chunks; output
 * to @out (room for @out_room). Returns output frames, sets *margin.
 */
static size_t run(const struct setting *st, const struct conv *cv, const float *in,
		  size_t in_total, float *out, size_t out_room, int *margin, double *lib_delay)
{
	struct dsp_src_params p = {
		.engine = st->engine, .quality = st->quality, .fmt = DSP_FMT_FLOAT, .channels = 1,
		.in_rate = cv->in_rate, .out_rate = cv->out_rate,
		.max_in_frames = cv->in_rate / 1000 + 1,
	};
	struct dsp_src s;
	size_t ip = 0, op = 0;
	unsigned long k;

	*margin = -1000;
	if (dsp_src_prepare(&s, &p)) {
		fprintf(stderr, "prepare failed\n");
		exit(1);
	}
	for (k = 0; ip < in_total; k++) {
		unsigned int n = tick_frames(cv->in_rate, k);
		unsigned int base;
		int got;

		if (n > in_total - ip)
			n = (unsigned int)(in_total - ip);
		if (op + dsp_src_max_out(&s, n) > out_room)
			break;
		got = dsp_src_process(&s, in + ip, n, out + op, dsp_src_max_out(&s, n));
		if (got < 0) {
			fprintf(stderr, "process failed: %d\n", got);
			exit(1);
		}
		base = (unsigned int)(((unsigned long long)n * cv->out_rate + cv->in_rate - 1) /
				      cv->in_rate);
		if (got - (int)base > *margin)
			*margin = got - (int)base;
		ip += n;
		op += (size_t)got;
	}
	*lib_delay = dsp_src_delay(&s);
	dsp_src_free(&s);
	return op;
}

/* Least-squares fit of a*sin + b*cos + c at @w rad/sample; returns residual power ratio. */
static double fit_sine(const float *y, size_t n, double w, double *amp, double *phase)
{
	double m[3][4] = { { 0 } };
	double r = 0, sig = 0, a, b, c;
	size_t i;
	int j, k, l;

	for (i = 0; i < n; i++) {
		double v[3] = { sin(w * (double)i), cos(w * (double)i), 1.0 };

		for (j = 0; j < 3; j++) {
			for (k = 0; k < 3; k++)
				m[j][k] += v[j] * v[k];
			m[j][3] += v[j] * y[i];
		}
	}
	for (j = 0; j < 3; j++) {
		for (k = j + 1; k < 3; k++) {
			double f = m[k][j] / m[j][j];

			for (l = j; l < 4; l++)
				m[k][l] -= f * m[j][l];
		}
	}
	c = m[2][3] / m[2][2];
	b = (m[1][3] - m[1][2] * c) / m[1][1];
	a = (m[0][3] - m[0][1] * b - m[0][2] * c) / m[0][0];
	for (i = 0; i < n; i++) {
		double fit = a * sin(w * (double)i) + b * cos(w * (double)i);
		double e = y[i] - fit - c;

		r += e * e;
		sig += fit * fit;
	}
	*amp = sqrt(a * a + b * b);
	*phase = atan2(b, a);
	return sig > 0 ? r / sig : 1.0;
}

struct tone_result {
	double thdn_db, gain_db;
};

static struct tone_result measure_tone(const struct setting *st, const struct conv *cv,
				       double freq, double ampl, int *margin)
{
	size_t in_n = cv->in_rate / 2 + cv->in_rate / 10;	/* 0.6 s */
	size_t out_room = in_n * cv->out_rate / cv->in_rate + 4096;
	float *in = malloc(in_n * sizeof(float)), *out = malloc(out_room * sizeof(float));
	size_t i, got, skip;
	double amp, ph, r, d;
	struct tone_result res;

	for (i = 0; i < in_n; i++)
		in[i] = (float)(ampl * sin(TWO_PI * freq * (double)i / cv->in_rate));
	got = run(st, cv, in, in_n, out, out_room, margin, &d);
	skip = cv->out_rate / 10;	/* 100 ms: past the filter's start-up */
	r = fit_sine(out + skip, got - skip - cv->out_rate / 100, TWO_PI * freq / cv->out_rate,
		     &amp, &ph);
	res.thdn_db = 10 * log10(r);
	res.gain_db = 20 * log10(amp / ampl);
	free(in);
	free(out);
	return res;
}

/* Real-time latency in output frames from an impulse, plus the steady-state backlog. */
static double measure_latency(const struct setting *st, const struct conv *cv)
{
	size_t in_n = cv->in_rate / 5;	/* 200 ms */
	size_t out_room = in_n * cv->out_rate / cv->in_rate + 4096;
	float *in = calloc(in_n, sizeof(float)), *out = calloc(out_room, sizeof(float));
	/* impulse at an input frame that maps to a whole output frame (100 ms) */
	size_t i0 = cv->in_rate / 10, i, peak = 0, got;
	double best = 0, lat, backlog, d;
	int margin;

	in[i0] = 1.0f;
	got = run(st, cv, in, in_n, out, out_room, &margin, &d);
	for (i = 0; i < got; i++) {
		if (fabs(out[i]) > best) {
			best = fabs(out[i]);
			peak = i;
		}
	}
	/* Backlog: input fed minus output produced, in output frames, at the end. */
	backlog = (double)in_n * cv->out_rate / cv->in_rate - (double)got;
	lat = (double)peak - (double)i0 * cv->out_rate / cv->in_rate + backlog;
	free(in);
	free(out);
	return lat;
}

static double measure_cost(const struct setting *st, const struct conv *cv, double seconds)
{
	struct dsp_src_params p = {
		.engine = st->engine, .quality = st->quality, .fmt = DSP_FMT_S32_LE, .channels = 2,
		.in_rate = cv->in_rate, .out_rate = cv->out_rate,
		.max_in_frames = cv->in_rate / 1000 + 1,
	};
	unsigned long ticks = (unsigned long)(seconds * 1000), k;
	int32_t in[2 * 200], out[2 * 2000];
	struct timespec t0, t1;
	struct dsp_src s;
	double ns;
	unsigned int i;

	for (i = 0; i < 2 * 200; i++)
		in[i] = (int32_t)(1e9 * sin(i * 0.05));
	if (dsp_src_prepare(&s, &p))
		exit(1);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	for (k = 0; k < ticks; k++) {
		unsigned int n = tick_frames(cv->in_rate, k);

		if (dsp_src_process(&s, in, n, out, dsp_src_max_out(&s, n)) < 0)
			exit(1);
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
	dsp_src_free(&s);
	ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	return ns / (double)ticks;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 10.0;
	size_t c, s;

	printf("%-14s %-10s %7s %7s %7s %7s %5s %7s %7s %6s %8s %6s\n", "conversion", "engine",
	       "thd+n", "worst", "ripple", "edge", "bw", "alias", "lat", "margin", "ns/tick",
	       "%core");
	for (c = 0; c < sizeof(convs) / sizeof(convs[0]); c++) {
		const struct conv *cv = &convs[c];
		double nyq = (cv->in_rate < cv->out_rate ? cv->in_rate : cv->out_rate) / 2.0;

		for (s = 0; s < sizeof(settings) / sizeof(settings[0]); s++) {
			const struct setting *st = &settings[s];
			struct tone_result r = measure_tone(st, cv, 997.0, 0.891, &(int){ 0 });
			double gmin = 1e9, gmax = -1e9, worst = -1e9, alias = -1e9, f, cost, lat;
			double bw = 0;
			char label[32];
			int margin = -1000, m;

			for (f = 20.0; f <= 0.8 * nyq; f *= 1.25) {
				struct tone_result t = measure_tone(st, cv, f, 0.5, &m);

				gmin = fmin(gmin, t.gain_db);
				gmax = fmax(gmax, t.gain_db);
				worst = fmax(worst, t.thdn_db);
				if (m > margin)
					margin = m;
			}
			r.gain_db = measure_tone(st, cv, 0.9 * nyq, 0.5, &m).gain_db;
			for (f = 0.80; f < 0.995; f += 0.01) {
				if (measure_tone(st, cv, f * nyq, 0.5, &m).gain_db < -0.1)
					break;
				bw = f;
			}
			if (cv->out_rate < cv->in_rate) {
				double lo = 1.02 * nyq, hi = 0.98 * cv->in_rate / 2.0;

				for (f = lo; f <= hi; f += (hi - lo) / 4) {
					struct tone_result t = measure_tone(st, cv, f, 0.5, &m);

					alias = fmax(alias, t.gain_db);
				}
			}
			lat = measure_latency(st, cv);
			cost = measure_cost(st, cv, seconds);
			snprintf(label, sizeof(label), "%u->%u", cv->in_rate, cv->out_rate);
			printf("%-14s %-10s %7.1f %7.1f %7.3f %7.2f %5.2f ", label, st->name,
			       r.thdn_db, worst, gmax - gmin, r.gain_db, bw);
			if (cv->out_rate < cv->in_rate)
				printf("%7.1f ", alias);
			else
				printf("%7s ", "-");
			printf("%7.1f %6d %8.0f %6.2f\n", lat, margin, cost, cost / 1e6 * 100);
			fflush(stdout);
		}
	}
	return 0;
}
