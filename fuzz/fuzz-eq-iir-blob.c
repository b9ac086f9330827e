// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the EQ IIR configuration blob parser (dsp/kernels/eq-iir.h).
 *
 * Input: the blob itself. Whatever the parser accepts must respect the limits it promises
 * (channel, response and section counts, assignments, shifts, gains); an accepted blob is
 * then prepared in every format for 1..8 channels and runs 64 frames of audio derived from
 * the input, whose outputs must stay in the format's range (S24 sign-extended). Sanitizers
 * catch any out-of-bounds read or undefined arithmetic on the way.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dsp/kernels/eq-iir.h"

#define FRAMES	64u

static FILE *report;
static struct dsp_eq_iir eq;

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(report, "fuzz-eq-iir-blob: check failed at %s:%d: %s\n", __FILE__, \
				__LINE__, #cond); \
			fflush(report); \
			abort(); \
		} \
	} while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd = dup(STDERR_FILENO);

	/* The parser logs every rejection to stderr: keep a separate stream for reports. */
	report = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!report)
		report = stderr;
	return 0;
}

static void check_config(const struct dsp_eq_iir_config *cfg)
{
	uint32_t i, r, s;

	CHECK(cfg->channels_in_config >= 1 && cfg->channels_in_config <= DSP_MAX_CHANNELS);
	CHECK(cfg->responses <= DSP_EQ_IIR_MAX_RESPONSES);
	for (i = 0; i < cfg->channels_in_config; i++)
		CHECK(cfg->assign[i] == -1 ||
		      (cfg->assign[i] >= 0 && (uint32_t)cfg->assign[i] < cfg->responses));
	for (r = 0; r < cfg->responses; r++) {
		const struct dsp_eq_iir_response *resp = &cfg->response[r];

		CHECK(resp->sections >= 1 && resp->sections <= DSP_EQ_IIR_MAX_SECTIONS);
		CHECK(resp->in_series >= 1 && resp->sections % resp->in_series == 0);
		for (s = 0; s < resp->sections; s++) {
			CHECK(resp->coef[s][DSP_EQ_IIR_SHIFT] >= DSP_EQ_IIR_SHIFT_MIN &&
			      resp->coef[s][DSP_EQ_IIR_SHIFT] <= DSP_EQ_IIR_SHIFT_MAX);
			CHECK(resp->coef[s][DSP_EQ_IIR_GAIN] >= INT16_MIN &&
			      resp->coef[s][DSP_EQ_IIR_GAIN] <= INT16_MAX);
		}
	}
}

static void run_audio(const struct dsp_eq_iir_config *cfg, const uint8_t *data, size_t size)
{
	static int32_t buf[FRAMES * DSP_MAX_CHANNELS];
	static float fbuf[FRAMES * DSP_MAX_CHANNELS];
	uint32_t fmt, ch, i;

	for (fmt = 0; fmt < DSP_FMT_COUNT; fmt++) {
		ch = 1 + (uint32_t)(size + fmt) % DSP_MAX_CHANNELS;
		CHECK(dsp_eq_iir_prepare(&eq, cfg, fmt, ch) == 0);
		for (i = 0; i < FRAMES * ch; i++) {
			/* loud, input-derived samples, with full-scale extremes mixed in */
			uint32_t v = (uint32_t)data[i % size] * 0x01010101u;

			if (i % 7 == 3)
				v = i & 8 ? 0x7fffffffu : 0x80000000u;
			buf[i] = (int32_t)v;
			fbuf[i] = (float)((int32_t)v / 2147483648.0);
		}
		if (fmt == DSP_FMT_FLOAT) {
			dsp_eq_iir_process(&eq, fbuf, fbuf, FRAMES);
			continue;
		}
		dsp_eq_iir_process(&eq, buf, buf, FRAMES);
		if (fmt == DSP_FMT_S24_4LE)
			for (i = 0; i < FRAMES * ch; i++)
				CHECK(buf[i] >= DSP_S24_MIN && buf[i] <= DSP_S24_MAX);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dsp_eq_iir_config cfg;
	uint8_t *copy;

	/* An exact-size heap copy, so reading one byte too far is caught. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (dsp_eq_iir_parse(&cfg, copy, size) == 0) {
		check_config(&cfg);
		run_audio(&cfg, copy, size);
	}
	free(copy);
	return 0;
}
