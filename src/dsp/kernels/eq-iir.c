// SPDX-License-Identifier: MIT
/*
 * EQ IIR blob parser and DF2T biquad cascades (see eq-iir.h).
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "dsp/kernels/eq-iir.h"
#include "util/le.h"
#include "util/log.h"

#define EQ_CONFIG_HDR_WORDS	7u	/* size, channels, responses, reserved[4] */
#define EQ_RESPONSE_HDR_WORDS	6u	/* sections, in_series, reserved[4] */

/* ---------------------------------------------------------------------------------------- */
/* Parser                                                                                    */

/* A cursor over the blob's 32-bit words, never past @nwords. */
struct eq_reader {
	const uint8_t *p;
	uint32_t nwords;
	uint32_t pos;
};

static bool eq_have(const struct eq_reader *r, uint32_t words)
{
	return words <= r->nwords - r->pos;
}

static int32_t eq_word(struct eq_reader *r)
{
	return (int32_t)get_le32(r->p + 4u * r->pos++);
}

static int eq_parse_response(struct dsp_eq_iir_response *resp, struct eq_reader *r, uint32_t idx)
{
	uint32_t sections, in_series, s, k;

	if (!eq_have(r, EQ_RESPONSE_HDR_WORDS)) {
		vadsp_err("dsp", "eq_iir: response %u header past the end of the blob", idx);
		return -EINVAL;
	}
	sections = (uint32_t)eq_word(r);
	in_series = (uint32_t)eq_word(r);
	r->pos += 4;	/* reserved */
	if (!sections || sections > DSP_EQ_IIR_MAX_SECTIONS) {
		vadsp_err("dsp", "eq_iir: response %u has %u sections (1..%u)", idx, sections,
			  DSP_EQ_IIR_MAX_SECTIONS);
		return -EINVAL;
	}
	if (!in_series || in_series > sections || sections % in_series) {
		vadsp_err("dsp", "eq_iir: response %u: %u sections in series of %u", idx,
			  sections, in_series);
		return -EINVAL;
	}
	if (!eq_have(r, sections * DSP_EQ_IIR_NCOEF)) {
		vadsp_err("dsp", "eq_iir: response %u: %u sections past the end of the blob", idx,
			  sections);
		return -EINVAL;
	}
	resp->sections = sections;
	resp->in_series = in_series;
	for (s = 0; s < sections; s++) {
		int32_t *c = resp->coef[s];

		for (k = 0; k < DSP_EQ_IIR_NCOEF; k++)
			c[k] = eq_word(r);
		if (c[DSP_EQ_IIR_SHIFT] < DSP_EQ_IIR_SHIFT_MIN ||
		    c[DSP_EQ_IIR_SHIFT] > DSP_EQ_IIR_SHIFT_MAX) {
			vadsp_err("dsp", "eq_iir: response %u section %u: output shift %d", idx, s,
				  c[DSP_EQ_IIR_SHIFT]);
			return -EINVAL;
		}
		if (c[DSP_EQ_IIR_GAIN] < INT16_MIN || c[DSP_EQ_IIR_GAIN] > INT16_MAX) {
			vadsp_err("dsp", "eq_iir: response %u section %u: gain %d is not Q2.14",
				  idx, s, c[DSP_EQ_IIR_GAIN]);
			return -EINVAL;
		}
	}
	return 0;
}

int dsp_eq_iir_parse(struct dsp_eq_iir_config *out, const void *blob, size_t size)
{
	static struct dsp_eq_iir_config cfg_zero;
	struct dsp_eq_iir_config cfg = cfg_zero;
	struct eq_reader r = { .p = blob };
	uint32_t declared, i;
	int ret;

	if (size < EQ_CONFIG_HDR_WORDS * 4u || size > DSP_EQ_IIR_MAX_SIZE || size % 4u) {
		vadsp_err("dsp", "eq_iir: blob of %zu bytes (28..%u, a multiple of 4)", size,
			  DSP_EQ_IIR_MAX_SIZE);
		return -EINVAL;
	}
	r.nwords = (uint32_t)(size / 4u);
	declared = (uint32_t)eq_word(&r);
	cfg.channels_in_config = (uint32_t)eq_word(&r);
	cfg.responses = (uint32_t)eq_word(&r);
	r.pos += 4;	/* reserved */
	if (declared != size) {
		vadsp_err("dsp", "eq_iir: size field %u, blob %zu bytes", declared, size);
		return -EINVAL;
	}
	if (!cfg.channels_in_config || cfg.channels_in_config > DSP_MAX_CHANNELS) {
		vadsp_err("dsp", "eq_iir: %u channels in config (1..%u)", cfg.channels_in_config,
			  DSP_MAX_CHANNELS);
		return -EINVAL;
	}
	if (cfg.responses > DSP_EQ_IIR_MAX_RESPONSES) {
		vadsp_err("dsp", "eq_iir: %u responses (0..%u)", cfg.responses,
			  DSP_EQ_IIR_MAX_RESPONSES);
		return -EINVAL;
	}
	if (!eq_have(&r, cfg.channels_in_config)) {
		vadsp_err("dsp", "eq_iir: channel assignments past the end of the blob");
		return -EINVAL;
	}
	for (i = 0; i < cfg.channels_in_config; i++) {
		int32_t a = eq_word(&r);

		if (a < -1 || (a >= 0 && (uint32_t)a >= cfg.responses)) {
			vadsp_err("dsp", "eq_iir: channel %u assigned response %d of %u", i, a,
				  cfg.responses);
			return -EINVAL;
		}
		cfg.assign[i] = a;
	}
	for (i = 0; i < cfg.responses; i++) {
		ret = eq_parse_response(&cfg.response[i], &r, i);
		if (ret)
			return ret;
	}
	if (r.pos != r.nwords) {
		vadsp_err("dsp", "eq_iir: %u trailing bytes after the last response",
			  4u * (r.nwords - r.pos));
		return -EINVAL;
	}
	*out = cfg;
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Fixed-point DF2T cascade                                                                  */

/* 64-bit sum that wraps (two's complement) instead of overflowing. */
static inline int64_t wrap_add(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

/* One Q1.31 sample through a response; @d is the channel's delay line. */
static int32_t df2t(const struct dsp_eq_iir_response *resp, int64_t (*d)[2], int32_t x)
{
	int32_t out = 0;
	uint32_t g, s;

	for (g = 0; g < resp->sections; g += resp->in_series) {
		int32_t in = x;

		for (s = g; s < g + resp->in_series; s++) {
			const int32_t *c = resp->coef[s];
			int64_t *st = d[s];
			int64_t acc;
			int32_t y;

			acc = wrap_add((int64_t)c[DSP_EQ_IIR_B0] * in, st[0]);
			y = dsp_sat32(dsp_shift_rnd(acc, 30));
			st[0] = wrap_add(wrap_add(st[1], (int64_t)c[DSP_EQ_IIR_B1] * in),
					 (int64_t)c[DSP_EQ_IIR_A1] * y);
			st[1] = wrap_add((int64_t)c[DSP_EQ_IIR_B2] * in,
					 (int64_t)c[DSP_EQ_IIR_A2] * y);
			acc = (int64_t)c[DSP_EQ_IIR_GAIN] * y;
			in = dsp_sat32(dsp_shift_rnd(acc, (unsigned int)(14 + c[DSP_EQ_IIR_SHIFT])));
		}
		out = dsp_sat32((int64_t)out + in);
	}
	return out;
}

/*
 * Channel-major loops: each channel runs its whole span with its own response and delay
 * line. @load turns a stored sample into Q1.31, @store a Q1.31 result into a sample.
 */
#define EQ_KERNEL(name, type, load, store) \
	static void name(struct dsp_eq_iir *eq, void *dstv, const void *srcv, uint32_t frames) \
	{ \
		const type *src = srcv; \
		type *dst = dstv; \
		uint32_t n = eq->channels, c, f; \
		for (c = 0; c < n; c++) { \
			const struct dsp_eq_iir_response *resp = NULL; \
			if (eq->resp[c] >= 0) \
				resp = &eq->cfg.response[eq->resp[c]]; \
			for (f = 0; f < frames; f++) { \
				size_t i = (size_t)f * n + c; \
				int32_t x = (load); \
				int32_t y = resp ? df2t(resp, eq->delay[c], x) : x; \
				dst[i] = (type)(store); \
			} \
		} \
	}

EQ_KERNEL(eq_s16, int16_t, (int32_t)src[i] * 65536, dsp_sat16(dsp_shift_rnd(y, 16)))
EQ_KERNEL(eq_s24, int32_t, (int32_t)((uint32_t)src[i] << 8), dsp_sat24(dsp_shift_rnd(y, 8)))
EQ_KERNEL(eq_s32, int32_t, src[i], y)

/* ---------------------------------------------------------------------------------------- */
/* Float cascade                                                                             */

enum { F_B0, F_B1, F_B2, F_A1, F_A2, F_SCALE };

static void eq_float(struct dsp_eq_iir *eq, void *dstv, const void *srcv, uint32_t frames)
{
	const float *src = srcv;
	float *dst = dstv;
	uint32_t n = eq->channels, c, f, g, s;

	for (c = 0; c < n; c++) {
		int32_t ri = eq->resp[c];
		const struct dsp_eq_iir_response *resp;
		double (*st)[2] = eq->fdelay[c];

		if (ri < 0) {
			for (f = 0; f < frames; f++)
				dst[(size_t)f * n + c] = src[(size_t)f * n + c];
			continue;
		}
		resp = &eq->cfg.response[ri];
		for (f = 0; f < frames; f++) {
			size_t i = (size_t)f * n + c;
			double x = src[i], out = 0;

			for (g = 0; g < resp->sections; g += resp->in_series) {
				double in = x;

				for (s = g; s < g + resp->in_series; s++) {
					const double *k = eq->fcoef[ri][s];
					double y = k[F_B0] * in + st[s][0];

					st[s][0] = st[s][1] + k[F_B1] * in + k[F_A1] * y;
					st[s][1] = k[F_B2] * in + k[F_A2] * y;
					in = y * k[F_SCALE];
				}
				out += in;
			}
			dst[i] = (float)out;
		}
		/* Flush decaying state before it turns denormal (slow on x86). */
		for (s = 0; s < resp->sections; s++) {
			if (fabs(st[s][0]) < 1e-200)
				st[s][0] = 0;
			if (fabs(st[s][1]) < 1e-200)
				st[s][1] = 0;
		}
	}
}

static const dsp_eq_iir_fn eq_table[DSP_FMT_COUNT] = {
	[DSP_FMT_S16_LE] = eq_s16,
	[DSP_FMT_S24_4LE] = eq_s24,
	[DSP_FMT_S32_LE] = eq_s32,
	[DSP_FMT_FLOAT] = eq_float,
};

void dsp_eq_iir_reset(struct dsp_eq_iir *eq)
{
	memset(eq->delay, 0, sizeof(eq->delay));
	memset(eq->fdelay, 0, sizeof(eq->fdelay));
}

int dsp_eq_iir_prepare(struct dsp_eq_iir *eq, const struct dsp_eq_iir_config *cfg, uint32_t fmt,
		       uint32_t channels)
{
	uint32_t c, r, s;
	int32_t a = -1;

	if (!dsp_fmt_valid(fmt) || !channels || channels > DSP_MAX_CHANNELS ||
	    !cfg->channels_in_config || cfg->channels_in_config > DSP_MAX_CHANNELS ||
	    cfg->responses > DSP_EQ_IIR_MAX_RESPONSES)
		return -EINVAL;
	eq->cfg = *cfg;
	eq->fn = eq_table[fmt];
	eq->fmt = fmt;
	eq->channels = channels;
	for (c = 0; c < DSP_MAX_CHANNELS; c++) {
		if (c < cfg->channels_in_config)
			a = cfg->assign[c];
		if (a < -1 || (a >= 0 && (uint32_t)a >= cfg->responses))
			return -EINVAL;
		eq->resp[c] = a;
	}
	for (r = 0; r < cfg->responses; r++) {
		const struct dsp_eq_iir_response *resp = &cfg->response[r];

		if (!resp->sections || resp->sections > DSP_EQ_IIR_MAX_SECTIONS ||
		    !resp->in_series || resp->sections % resp->in_series)
			return -EINVAL;
		for (s = 0; s < resp->sections; s++) {
			const int32_t *k = resp->coef[s];
			double *fk = eq->fcoef[r][s];

			if (k[DSP_EQ_IIR_SHIFT] < DSP_EQ_IIR_SHIFT_MIN ||
			    k[DSP_EQ_IIR_SHIFT] > DSP_EQ_IIR_SHIFT_MAX)
				return -EINVAL;
			fk[F_B0] = k[DSP_EQ_IIR_B0] / 1073741824.0;
			fk[F_B1] = k[DSP_EQ_IIR_B1] / 1073741824.0;
			fk[F_B2] = k[DSP_EQ_IIR_B2] / 1073741824.0;
			fk[F_A1] = k[DSP_EQ_IIR_A1] / 1073741824.0;
			fk[F_A2] = k[DSP_EQ_IIR_A2] / 1073741824.0;
			fk[F_SCALE] = ldexp(k[DSP_EQ_IIR_GAIN] / 16384.0, -k[DSP_EQ_IIR_SHIFT]);
		}
	}
	dsp_eq_iir_reset(eq);
	return 0;
}
