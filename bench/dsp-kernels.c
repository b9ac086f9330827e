// SPDX-License-Identifier: MIT
/*
 * Cost of the plain C processing kernels on one engine tick: 1 ms of 48 kHz stereo (48
 * frames), against a memcpy of the same bytes measured in the same run.
 *
 * For each kernel, format and instruction-set variant the CPU runs (c = plain C for the
 * baseline target, avx2 = the same C built for AVX2) it prints nanoseconds per tick and the
 * ratio to memcpy of the kernel's output bytes. The buffers stay in cache (the engine's
 * working set for one pipeline is a few hundred bytes), so the figures are the kernels'
 * compute cost.
 *
 * Usage: bench-dsp-kernels [ticks (default 2000000)]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dsp/format.h"
#include "dsp/kernels/eq-iir.h"
#include "dsp/kernels/mix.h"
#include "dsp/kernels/mux.h"
#include "dsp/kernels/volume.h"
#include "util/le.h"

#define FRAMES		48u
#define CH		2u
#define SAMPLES		(FRAMES * CH)

static unsigned long ticks;
static volatile uint32_t sink;

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Keeps the compiler from dropping work whose result is never read. */
static void use(const void *p)
{
	sink += *(const volatile uint8_t *)p;
}

static _Alignas(64) uint8_t src_a[SAMPLES * 4], src_b[SAMPLES * 4], dst[SAMPLES * 4];
static _Alignas(64) uint8_t acc[SAMPLES * DSP_MIX_ACC_BYTES];

/* A wide mix: MANY sources of one period each. */
#define MANY		64u
static _Alignas(64) uint8_t many[MANY][SAMPLES * 4];
static const void *many_ptrs[MANY];

static double bench_memcpy(size_t bytes)
{
	double t0 = now_ns();
	unsigned long i;

	for (i = 0; i < ticks; i++) {
		memcpy(dst, src_a + (i & 1), bytes);
		use(dst);
	}
	return (now_ns() - t0) / (double)ticks;
}

static const char *const isa_names[DSP_ISA_COUNT] = { "c", "avx2", "avx512" };

static void report(const char *what, uint32_t fmt, uint32_t isa, double ns, double base)
{
	printf("%-22s %-6s %-5s %8.1f ns/tick %6.2fx memcpy\n", what, dsp_fmt_name(fmt),
	       isa_names[isa], ns, ns / base);
}

static void fill(void)
{
	unsigned int i, k;

	for (i = 0; i < SAMPLES * 4; i++) {
		src_a[i] = (uint8_t)(i * 37 + 11);
		src_b[i] = (uint8_t)(i * 91 + 3);
	}
	for (k = 0; k < MANY; k++) {
		memcpy(many[k], k & 1 ? src_b : src_a, sizeof(many[k]));
		many_ptrs[k] = many[k];
	}
}

/* Float buffers need real floats, not random bit patterns (NaNs and denormals). */
static void fill_float(void)
{
	unsigned int i, k;

	for (i = 0; i < SAMPLES; i++) {
		((float *)src_a)[i] = (float)sin(i * 0.1) * 0.5f;
		((float *)src_b)[i] = (float)cos(i * 0.07) * 0.5f;
	}
	for (k = 0; k < MANY; k++)
		memcpy(many[k], k & 1 ? src_b : src_a, sizeof(many[k]));
}

static struct dsp_eq_iir eq;

static int eq_prepare(uint32_t fmt)
{
	/* one peaking section (1 kHz, +3 dB, Q 1), the common shape of a speaker EQ */
	static const int32_t coef[7] = { -961957402, 2018283537, 938899767, -2018283537,
					 1096799459, 0, 16384 };
	uint8_t blob[28 + 8 + 24 + 28];
	struct dsp_eq_iir_config cfg;
	size_t n = 0;
	unsigned int i;
	const int32_t words[] = { 0, 2, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0 };

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++, n += 4)
		put_le32(blob + n, (uint32_t)words[i]);
	for (i = 0; i < 7; i++, n += 4)
		put_le32(blob + n, (uint32_t)coef[i]);
	put_le32(blob, (uint32_t)n);
	if (dsp_eq_iir_parse(&cfg, blob, n))
		return -1;
	return dsp_eq_iir_prepare(&eq, &cfg, fmt, CH);
}

int main(int argc, char **argv)
{
	uint32_t fmt, to, isa;
	unsigned long i;

	ticks = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000000ul;
	if (!ticks)
		ticks = 1;
	fill();
	for (fmt = 0; fmt < DSP_FMT_COUNT; fmt++) {
		size_t bytes = (size_t)SAMPLES * dsp_fmt_sample_bytes(fmt);
		double base, t0;
		const int32_t gains[CH] = { 0x8000, 0x12345 };
		static struct dsp_gain gp;
		const void *two[2] = { src_a, src_b };
		struct dsp_route_map swap = { .channels = 2, .route = { { 0, 1 }, { 0, 0 } } };
		struct dsp_route_src rs = { src_a, CH };
		dsp_route_fn route = dsp_route_func(fmt);

		if (fmt == DSP_FMT_FLOAT)
			fill_float();
		base = bench_memcpy(bytes);
		printf("%-22s %-6s %-5s %8.1f ns/tick (%zu bytes)\n", "memcpy", dsp_fmt_name(fmt),
		       "", base, bytes);

		for (isa = 0; isa < DSP_ISA_COUNT; isa++) {
			dsp_gain_fn gain = dsp_gain_func_isa(fmt, isa);
			dsp_gain_acc_fn gain_acc = dsp_gain_acc_func_isa(fmt, isa);
			dsp_mix_fn mix = dsp_mix_func_isa(fmt, isa);

			if (!dsp_isa_supported(isa))
				continue;
			dsp_gain_set(&gp, CH, gains);
			t0 = now_ns();
			for (i = 0; i < ticks; i++) {
				gain(dst, src_a, FRAMES, &gp);
				use(dst);
			}
			report("gain (2 ch)", fmt, isa, (now_ns() - t0) / (double)ticks, base);

			/* the same, added to a mixer's sum (what a volume feeding a mixer does) */
			t0 = now_ns();
			for (i = 0; i < ticks; i++) {
				gain_acc(acc, src_a, FRAMES, &gp);
				use(acc);
			}
			report("gain+accumulate (2 ch)", fmt, isa, (now_ns() - t0) / (double)ticks,
			       base);

			t0 = now_ns();
			for (i = 0; i < ticks; i++) {
				mix(dst, two, 2, SAMPLES);
				use(dst);
			}
			report("mix (2 sources)", fmt, isa, (now_ns() - t0) / (double)ticks, base);

			/* per source of a wide mix (sources in L1: the arithmetic's cost) */
			t0 = now_ns();
			for (i = 0; i < ticks / MANY; i++) {
				mix(dst, many_ptrs, MANY, SAMPLES);
				use(dst);
			}
			report("mix (per source of 64)", fmt, isa,
			       (now_ns() - t0) / (double)(ticks / MANY * MANY), base);

			for (to = 0; to < DSP_FMT_COUNT; to++) {
				dsp_convert_fn conv = dsp_convert_func_isa(fmt, to, isa);
				char what[32];

				if (to == fmt)
					continue;
				t0 = now_ns();
				for (i = 0; i < ticks; i++) {
					conv(dst, src_a, SAMPLES);
					use(dst);
				}
				snprintf(what, sizeof(what), "convert -> %s", dsp_fmt_name(to));
				report(what, fmt, isa, (now_ns() - t0) / (double)ticks, base);
			}
		}

		t0 = now_ns();
		for (i = 0; i < ticks; i++) {
			route(dst, &swap, &rs, FRAMES);
			use(dst);
		}
		report("route (swap)", fmt, DSP_ISA_C, (now_ns() - t0) / (double)ticks, base);

		if (eq_prepare(fmt) == 0) {
			t0 = now_ns();
			for (i = 0; i < ticks; i++) {
				dsp_eq_iir_process(&eq, dst, src_a, FRAMES);
				use(dst);
			}
			report("eq_iir (1 biquad)", fmt, DSP_ISA_C, (now_ns() - t0) / (double)ticks,
			       base);
		}
		fill();
	}
	return sink == 0xdeadbeef;
}
