// SPDX-License-Identifier: MIT
/*
 * DSP engine cost per 1 ms tick against the number of concurrent guest pipelines, and the
 * baseline it is measured against: a memcpy of the same bytes, in the same run.
 *
 * The graph, as vadspd builds it for N playing guests: one host pipeline, mixer -> buffer ->
 * DAI (bound to an I/O callback that copies each period out, as an endpoint does), and N
 * guest pipelines, host -> buffer -> volume -> buffer -> that mixer. Streams are 48 kHz
 * stereo, one format everywhere: FLOAT, then S32_LE (the format SOF topologies use inside
 * the DSP), so each guest moves 48 frames = 384 bytes per tick; the volumes apply -6 dB
 * (not 0 dB, where the volume kernel only copies). Each tick the benchmark writes one period
 * into every guest's host ring (what the vhost-user side does with the guest's TX buffers)
 * and calls dsp_engine_tick().
 *
 * Baseline: the bytes the guests' pipelines move in a tick, copied once: N calls of the C
 * library's memcpy for 384 bytes, period g from slot g of one array to slot g of another
 * (called through a pointer, so that the compiler cannot put its own, slower copy in its
 * place). Both arrays stay in the cache from round to round, as the periods the tick reads
 * are (just written by the host-ring writes). They are one allocation, the destination half
 * a page off the source modulo 4 KiB: a copy whose loads and stores share their offsets
 * within a page (which two separate allocations of the same size often do) runs up to
 * twice as slow on this machine for no reason of its own (4K aliasing). Which physical pages
 * an allocation gets also moves the copy's speed by up to a tenth at N = 1000 (how they
 * spread over the cache's sets), so the copy runs on three such allocations in turn and the
 * fastest counts. Engine and baseline run in alternating blocks of ticks so that load from
 * other processes falls on both alike; each tick and each baseline round is timed on its
 * own and the figures are the medians over all of them (for the baseline: the smallest of
 * the three placements' medians).
 *
 * Printed per N: the tick (engine alone) and the host-ring writes in microseconds, the tick
 * as a fraction of the 1 ms period and as a ratio to the memcpy baseline, and the floor the
 * processing kernels set: the same kernels the engine runs for the same work (N volumes
 * adding their period to one mixer's sum, dsp_vol_accumulate(), and the sum stored once),
 * nothing else. N grows until the tick passes 1 ms, then bisects: the result is how many
 * such pipelines one core keeps up with. Targets: 1000 pipelines in real time on one core
 * and a tick within 4x the memcpy. The run checks the mixed output of the last tick against
 * the expected sum and fails (exit 1) if it is wrong; missing a target is reported, not
 * failed. It also reports how the mixer took the guests' periods (dsp_engine_mix_stats():
 * added straight by the volumes, or otherwise).
 *
 * Usage: bench-dsp-engine [max pipelines (default 24000)]
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dsp/engine.h"
#include "dsp/kernels/mix.h"
#include "dsp/kernels/volume.h"
#include "util/compiler.h"

#define RATE		48000u
#define CH		2u
#define FRAMES		48u
#define PERIOD_BYTES	(FRAMES * CH * 4u)
#define GAIN		0x8000	/* -6 dB */
#define BLOCKS		15u
#define PLACEMENTS	3u	/* of the baseline's buffers (BLOCKS is a multiple) */
#define BLOCK_BUDGET_NS	40e6	/* each block runs about this long */

/*
 * The baseline's copy is the C library's memcpy, called: through a volatile pointer, so that
 * the compiler cannot replace it with a copy of its own for the constant size (gcc's inline
 * 16-byte moves took 10-14 ns per period here, glibc's memcpy about 7).
 */
static void *(*volatile libc_memcpy)(void *, const void *, size_t) = memcpy;

struct sink {
	uint8_t last[PERIOD_BYTES];
	uint64_t periods;
};

static int sink_write(void *opaque, const void *buf, uint32_t frames)
{
	struct sink *s = opaque;

	memcpy(s->last, buf, (size_t)frames * CH * 4);
	s->periods++;
	return (int)frames;
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define CHECK(expr) \
	do { \
		int r_ = (expr); \
		if (r_ < 0) { \
			fprintf(stderr, "bench-dsp-engine: %s failed: %s\n", #expr, \
				strerror(-r_)); \
			exit(1); \
		} \
	} while (0)

/* Ids: host side 1..4; guest g uses 100 + 10 g .. 100 + 10 g + 4, pipeline id g + 2. */
static uint32_t fmt = DSP_FMT_S32_LE;

static struct dsp_engine *build(uint32_t n, struct sink *sink)
{
	struct dsp_engine *e = NULL;
	struct dsp_comp_desc mixer = { .id = 1, .type = DSP_COMP_MIXER, .pipeline_id = 1,
				       .fmt = fmt };
	struct dsp_comp_desc dai = { .id = 3, .type = DSP_COMP_DAI, .pipeline_id = 1,
				     .fmt = fmt, .xrun_action = DSP_XRUN_UNDER_ZERO,
				     .dai = { .direction = DSP_DIR_PLAYBACK } };
	struct dsp_buffer_desc buf = { .id = 2, .pipeline_id = 1, .size = 2 * PERIOD_BYTES };
	struct dsp_pipeline_desc pipe = { .comp_id = 4, .pipeline_id = 1, .sched_id = 3 };
	struct dsp_dai_io io = { .write = sink_write, .opaque = sink, .fmt = fmt,
				 .rate = RATE, .channels = CH };
	struct dsp_pcm_params pcm = { .direction = DSP_DIR_PLAYBACK, .fmt = fmt,
				      .rate = RATE, .channels = CH,
				      .buffer_bytes = 4 * PERIOD_BYTES };
	uint32_t g;

	CHECK(dsp_engine_create(&e, NULL));
	CHECK(dsp_comp_new(e, &mixer));
	CHECK(dsp_buffer_new(e, &buf));
	CHECK(dsp_comp_new(e, &dai));
	CHECK(dsp_pipeline_new(e, &pipe));
	CHECK(dsp_connect(e, 1, 2));
	CHECK(dsp_connect(e, 2, 3));
	CHECK(dsp_pipeline_complete(e, 4));
	CHECK(dsp_dai_bind(e, 3, &io));

	for (g = 0; g < n; g++) {
		uint32_t id = 100 + 10 * g, pid = g + 2;
		struct dsp_comp_desc host = { .id = id, .type = DSP_COMP_HOST, .pipeline_id = pid,
					      .xrun_action = DSP_XRUN_UNDER_ZERO,
					      .host = { .direction = DSP_DIR_PLAYBACK } };
		struct dsp_comp_desc vol = { .id = id + 2, .type = DSP_COMP_VOLUME,
					     .pipeline_id = pid, .fmt = fmt,
					     .volume = { .channels = CH, .max_value = 0x10000,
							 .initial_gain = GAIN } };
		struct dsp_buffer_desc b1 = { .id = id + 1, .pipeline_id = pid,
					      .size = 2 * PERIOD_BYTES };
		struct dsp_buffer_desc b2 = { .id = id + 3, .pipeline_id = pid,
					      .size = 2 * PERIOD_BYTES };
		struct dsp_pipeline_desc gp = { .comp_id = id + 4, .pipeline_id = pid,
						.sched_id = 3 };

		CHECK(dsp_comp_new(e, &host));
		CHECK(dsp_buffer_new(e, &b1));
		CHECK(dsp_comp_new(e, &vol));
		CHECK(dsp_buffer_new(e, &b2));
		CHECK(dsp_pipeline_new(e, &gp));
		CHECK(dsp_connect(e, id, id + 1));
		CHECK(dsp_connect(e, id + 1, id + 2));
		CHECK(dsp_connect(e, id + 2, id + 3));
		CHECK(dsp_connect(e, id + 3, 1));
		CHECK(dsp_pipeline_complete(e, id + 4));
		CHECK(dsp_pcm_params(e, id, &pcm));
		CHECK(dsp_trigger(e, id, DSP_TRIGGER_START));
	}
	return e;
}

/* Sample i of guest g: a ramp, different per guest, small enough that N of them never clip. */
static int32_t sample(uint32_t g, uint32_t i)
{
	return (int32_t)((g % 7 + 1) * 1000 + i);
}

static void fill_period(void *p, uint32_t g)
{
	uint32_t i;

	for (i = 0; i < FRAMES * CH; i++) {
		if (fmt == DSP_FMT_FLOAT)
			((float *)p)[i] = (float)sample(g, i) / 2147483648.0f;
		else
			((int32_t *)p)[i] = sample(g, i);
	}
}

/* The last tick's output must be every guest's period at -6 dB, summed. */
static int check_output(const uint8_t *last, uint32_t n)
{
	uint32_t i, g;

	for (i = 0; i < FRAMES * CH; i++) {
		if (fmt == DSP_FMT_FLOAT) {
			double expect = 0, got = ((const float *)last)[i];

			for (g = 0; g < n; g++)
				expect += (float)sample(g, i) / 2147483648.0f * 0.5f;
			if (got < expect * (1 - 1e-6) || got > expect * (1 + 1e-6))
				goto bad;
			continue;
		} else {
			int64_t expect = 0;

			for (g = 0; g < n; g++)
				expect += ((int64_t)sample(g, i) * GAIN + 0x8000) >> 16;
			if (((const int32_t *)last)[i] != (int32_t)expect)
				goto bad;
		}
	}
	return 0;
bad:
	fprintf(stderr, "bench-dsp-engine: N=%u: sample %u of the mixed output is wrong\n", n, i);
	return -1;
}

struct result {
	double tick_us;
	double write_us;
	double memcpy_us;
	double kernels_us;
	double direct;		/* share of periods added straight to the mixer's sum */
};

/*
 * The floor set by the processing kernels alone: for N guests, the kernels the engine runs
 * for them, no engine around them: N volumes (-6 dB, 48 frames each, separate states and
 * inputs) adding their period to one mixer's sum (dsp_vol_accumulate()), and the sum stored
 * once. Median over rounds.
 */
static double measure_kernels(uint32_t n, uint32_t rounds)
{
	struct dsp_vol *v = aligned_alloc(64, VADSP_ALIGN_UP(n * sizeof(*v), (size_t)64));
	uint8_t *in = malloc((size_t)n * PERIOD_BYTES);
	double *t = malloc((size_t)rounds * sizeof(*t)), m;
	_Alignas(64) uint8_t acc[FRAMES * CH * DSP_MIX_ACC_BYTES];
	uint8_t out[PERIOD_BYTES];
	dsp_mix_out_fn store = dsp_mix_out_func(fmt);
	uint32_t g, r;

	if (!v || !in || !t) {
		fprintf(stderr, "bench-dsp-engine: out of memory\n");
		exit(1);
	}
	for (g = 0; g < n; g++) {
		fill_period(in + (size_t)g * PERIOD_BYTES, g);
		CHECK(dsp_vol_init(&v[g], 0, 0, 0, 0x10000));
		CHECK(dsp_vol_set(&v[g], 0, GAIN));
		CHECK(dsp_vol_set(&v[g], 1, GAIN));
		CHECK(dsp_vol_prepare(&v[g], fmt, CH, RATE));
	}
	for (r = 0; r < rounds; r++) {
		double a = now_ns();

		memset(acc, 0, sizeof(acc));
		for (g = 0; g < n; g++)
			CHECK(dsp_vol_accumulate(&v[g], acc, in + (size_t)g * PERIOD_BYTES, FRAMES));
		store(out, acc, FRAMES * CH);
		__asm__ __volatile__("" : : "r"(out) : "memory");
		t[r] = (now_ns() - a) / 1000;
	}
	m = median(t, rounds);
	free(v);
	free(in);
	free(t);
	return m;
}

static int measure(uint32_t n, struct result *res)
{
	struct sink sink = { .periods = 0 };
	struct dsp_engine *e = build(n, &sink);
	size_t bytes = (size_t)n * PERIOD_BYTES, span = (bytes + 4095) / 4096 * 4096;
	uint8_t *periods = malloc(bytes);
	/*
	 * Baseline: source and destination in one block, half a page apart modulo 4 KiB; in
	 * PLACEMENTS blocks allocated side by side (so on different physical pages), the
	 * fastest counting (an unlucky placement in the caches makes a copy slower, not the
	 * engine faster).
	 */
	uint8_t *copy_mem[PLACEMENTS], *src, *dst;
	double *tick, *wr, *cp[PLACEMENTS];
	uint32_t ticks_per_block, total, b, t, g, p, k = 0, kp[PLACEMENTS] = { 0 };
	struct dsp_mix_stats st;
	double t0;

	if (!periods) {
		fprintf(stderr, "bench-dsp-engine: out of memory\n");
		exit(1);
	}
	for (g = 0; g < n; g++)
		fill_period(periods + (size_t)g * PERIOD_BYTES, g);
	for (p = 0; p < PLACEMENTS; p++) {
		copy_mem[p] = aligned_alloc(4096, 2 * span + 4096);
		if (!copy_mem[p]) {
			fprintf(stderr, "bench-dsp-engine: out of memory\n");
			exit(1);
		}
		memcpy(copy_mem[p], periods, bytes);
		memset(copy_mem[p] + span + 2048, 0, bytes);
	}

	/* Calibrate: a block lasts about BLOCK_BUDGET_NS. */
	t0 = now_ns();
	for (t = 0; t < 20; t++) {
		for (g = 0; g < n; g++)
			dsp_host_write(e, 100 + 10 * g, periods + (size_t)g * PERIOD_BYTES, FRAMES);
		dsp_engine_tick(e);
	}
	ticks_per_block = (uint32_t)(BLOCK_BUDGET_NS / ((now_ns() - t0) / 20));
	if (ticks_per_block < 5)
		ticks_per_block = 5;
	total = ticks_per_block * BLOCKS;
	tick = malloc(total * sizeof(*tick));
	wr = malloc(total * sizeof(*wr));
	if (!tick || !wr) {
		fprintf(stderr, "bench-dsp-engine: out of memory\n");
		exit(1);
	}
	for (p = 0; p < PLACEMENTS; p++) {
		cp[p] = malloc(total * sizeof(*cp[p]));
		if (!cp[p]) {
			fprintf(stderr, "bench-dsp-engine: out of memory\n");
			exit(1);
		}
	}

	/*
	 * Alternating blocks of engine ticks and of baseline copies; every tick and every
	 * baseline round is timed on its own and the medians are reported, so that a tick in
	 * which another process took the CPU does not count.
	 */
	for (b = 0; b < BLOCKS; b++) {
		for (t = 0; t < ticks_per_block; t++) {
			double a = now_ns(), m, z;

			for (g = 0; g < n; g++)
				dsp_host_write(e, 100 + 10 * g, periods + (size_t)g * PERIOD_BYTES,
					       FRAMES);
			m = now_ns();
			dsp_engine_tick(e);
			z = now_ns();
			tick[k + t] = (z - m) / 1000;
			wr[k + t] = (m - a) / 1000;
		}
		p = b % PLACEMENTS;
		src = copy_mem[p];
		dst = copy_mem[p] + span + 2048;
		for (t = 0; t < ticks_per_block; t++) {
			void *(*copy)(void *, const void *, size_t) = libc_memcpy;
			double a = now_ns();

			for (g = 0; g < n; g++)
				copy(dst + (size_t)g * PERIOD_BYTES, src + (size_t)g * PERIOD_BYTES,
				     PERIOD_BYTES);
			__asm__ __volatile__("" : : "r"(dst) : "memory");
			cp[p][kp[p]++] = (now_ns() - a) / 1000;
		}
		k += ticks_per_block;
	}
	res->tick_us = median(tick, total);
	res->write_us = median(wr, total);
	res->memcpy_us = median(cp[0], kp[0]);
	for (p = 1; p < PLACEMENTS; p++)
		res->memcpy_us = VADSP_MIN(res->memcpy_us, median(cp[p], kp[p]));
	res->kernels_us = measure_kernels(n, ticks_per_block * 3);
	free(tick);
	free(wr);
	for (p = 0; p < PLACEMENTS; p++)
		free(cp[p]);

	if (check_output(sink.last, n))
		return -1;
	dsp_engine_mix_stats(e, &st);
	res->direct = (double)st.direct / (double)(st.direct + st.early + st.late);
	dsp_engine_destroy(e);
	free(periods);
	for (p = 0; p < PLACEMENTS; p++)
		free(copy_mem[p]);
	return 0;
}

static void print_row(uint32_t n, const struct result *r)
{
	printf("%6u %10.2f %10.2f %10.2f %8.1f%% %8.2fx %11.3f %11.2f %8.2fx %7.1f%%\n", n,
	       r->tick_us, r->write_us, r->memcpy_us, r->tick_us / 10, r->tick_us / r->memcpy_us,
	       r->tick_us / n, r->kernels_us, r->kernels_us / r->memcpy_us, r->direct * 100);
	fflush(stdout);
}

/*
 * One format: a ladder of N until the tick passes 1 ms, then a bisection between the last N
 * under 1 ms and the first above it. Returns -1 if an output check failed.
 */
static int run(uint32_t max_n)
{
	static const uint32_t ladder[] = { 1, 10, 100, 250, 500, 1000, 2000, 3000, 4000, 6000,
					   8000, 12000, 16000, 24000 };
	uint32_t under = 0, over = 0, i;
	double ratio_1000 = 0, frac_1000 = 0;
	struct result r;

	printf("\nDSP engine, %s: N guest pipelines host -> volume -> mixer -> DAI, 48 kHz stereo, "
	       "1 ms ticks\n", fmt == DSP_FMT_FLOAT ? "FLOAT" : "S32_LE");
	printf("%6s %10s %10s %10s %9s %9s %11s %11s %9s %8s\n", "N", "tick us", "writes us",
	       "memcpy us", "of 1 ms", "x memcpy", "us/pipeline", "kernels us", "x memcpy",
	       "direct");
	for (i = 0; i < VADSP_ARRAY_SIZE(ladder) && ladder[i] <= max_n; i++) {
		uint32_t n = ladder[i];

		if (measure(n, &r))
			return -1;
		print_row(n, &r);
		if (n == 1000) {
			ratio_1000 = r.tick_us / r.memcpy_us;
			frac_1000 = r.tick_us / 1000;
		}
		if (r.tick_us >= 1000) {
			over = n;
			break;
		}
		under = n;
	}
	/* Narrow down where one core stops keeping up. */
	while (over && over - under > VADSP_MAX(under / 16, 50u)) {
		uint32_t n = under + (over - under) / 2;

		if (measure(n, &r))
			return -1;
		print_row(n, &r);
		if (r.tick_us >= 1000)
			over = n;
		else
			under = n;
	}
	if (over)
		printf("one core keeps up with %u such pipelines (the tick passes 1 ms by %u)\n",
		       under, over);
	else
		printf("one core keeps up with at least %u such pipelines (largest measured)\n",
		       under);
	if (ratio_1000 > 0)
		printf("at N=1000: %.1f%% of the tick, %.2fx memcpy; targets (1000 pipelines under "
		       "1 ms, <= 4x memcpy): %s, %s\n", frac_1000 * 100, ratio_1000,
		       frac_1000 < 1 ? "met" : "MISSED", ratio_1000 <= 4 ? "met" : "MISSED");
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t max_n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 24000;
	cpu_set_t one;
	int cpu = sched_getcpu();

	/* One core: stay where we started. */
	if (cpu >= 0) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		sched_setaffinity(0, sizeof(one), &one);
	}
	fmt = DSP_FMT_FLOAT;
	if (run(max_n))
		return 1;
	fmt = DSP_FMT_S32_LE;
	return run(max_n) ? 1 : 0;
}
