// SPDX-License-Identifier: MIT
/*
 * Cost of the level meter (dsp/kernels/level.h) on one period: 1 ms of 48 kHz audio (48
 * frames) per format and channel count, for the plain C and the AVX2 builds, against a memcpy
 * of the same bytes in the same run (the ratio is the best build's).
 * The meter publishes a window every 100 periods; that cost is included, averaged.
 *
 * Usage: bench-dsp-level [periods (default 2000000)]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dsp/kernels/level.h"

#define FRAMES		48u

static unsigned long periods;
static _Alignas(64) uint8_t src[FRAMES * DSP_MAX_CHANNELS * 4], dst[sizeof(src)];
static void *(*volatile copy_fn)(void *, const void *, size_t) = memcpy;
static volatile uint32_t sink;

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* A 1 kHz sine at -6 dBFS (a float source with denormals would measure the FPU's assists). */
static void fill(uint32_t fmt, uint32_t samples)
{
	for (uint32_t i = 0; i < samples; i++) {
		double v = 0.5 * sin(2.0 * M_PI * i / 48.0);
		int32_t w = (int32_t)lrint(v * (fmt == DSP_FMT_S24_4LE ? 8388608.0 : 2147483648.0));
		int16_t h = (int16_t)lrint(v * 32768.0);
		float f = (float)v;

		if (fmt == DSP_FMT_S16_LE)
			memcpy(src + 2 * i, &h, 2);
		else if (fmt == DSP_FMT_FLOAT)
			memcpy(src + 4 * i, &f, 4);
		else
			memcpy(src + 4 * i, &w, 4);
	}
}

static double bench_memcpy(size_t bytes)
{
	double best = 1e30;

	for (int run = 0; run < 3; run++) {
		double t0 = now_ns();

		for (unsigned long i = 0; i < periods; i++) {
			copy_fn(dst, src, bytes);
			sink += dst[i % bytes];
		}
		best = fmin(best, (now_ns() - t0) / (double)periods);
	}
	return best;
}

static double bench_level(uint32_t fmt, uint32_t ch, uint32_t isa)
{
	static struct dsp_level l;
	struct dsp_level_snapshot s;
	double best = 1e30;

	for (int run = 0; run < 3; run++) {
		double t0;

		dsp_level_init_isa(&l, fmt, ch, 48000, isa);
		t0 = now_ns();
		for (unsigned long i = 0; i < periods; i++)
			dsp_level_feed(&l, src, FRAMES);
		best = fmin(best, (now_ns() - t0) / (double)periods);
	}
	dsp_level_read(&l, &s);
	sink += (uint32_t)s.windows;
	return best;
}

int main(int argc, char **argv)
{
	static const struct { uint32_t fmt, ch; } cases[] = {
		{ DSP_FMT_S16_LE, 2 }, { DSP_FMT_S24_4LE, 2 }, { DSP_FMT_S32_LE, 2 },
		{ DSP_FMT_FLOAT, 2 }, { DSP_FMT_S32_LE, 1 }, { DSP_FMT_S32_LE, 6 },
		{ DSP_FMT_S32_LE, 8 },
	};

	periods = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000000ul;
	if (!periods)
		periods = 1;
	printf("level meter, 48 frames (1 ms at 48 kHz) per period, %lu periods, best of 3\n",
	       periods);
	printf("%-8s %3s %10s %10s %10s %6s\n", "format", "ch", "memcpy ns", "c ns", "avx2 ns",
	       "ratio");
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		size_t bytes = dsp_fmt_frame_bytes(cases[k].fmt, cases[k].ch) * FRAMES;
		double m, t, a;

		fill(cases[k].fmt, cases[k].ch * FRAMES);
		m = bench_memcpy(bytes);
		t = bench_level(cases[k].fmt, cases[k].ch, DSP_ISA_C);
		a = dsp_isa_supported(DSP_ISA_AVX2) ?
		    bench_level(cases[k].fmt, cases[k].ch, DSP_ISA_AVX2) : 0.0;
		printf("%-8s %3u %10.1f %10.1f %10.1f %6.2f\n", dsp_fmt_name(cases[k].fmt),
		       cases[k].ch, m, t, a, (a > 0.0 ? a : t) / m);
	}
	return sink == 0xdeadbeef;
}
