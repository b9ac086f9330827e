// SPDX-License-Identifier: MIT
/*
 * EQ IIR: the parser accepts the real blob of sof-imx8-eq-iir-wm8960.tplg and hand-built
 * blobs, and rejects every single malformation with -EINVAL; the fixed-point cascade is
 * bit-exact with a plain reference of SOF's DF2T arithmetic written here; and the measured
 * magnitude response of a cascade of designed biquads (peaking, shelf, low-pass) matches the
 * design within 0.02 dB (S32, S24, FLOAT) or 0.05 dB (S16) at frequencies across the band.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dsp/kernels/eq-iir.h"
#include "util/le.h"

#define RATE	48000.0
#define PI	3.14159265358979323846
#define TPLG	"/lib/firmware/intel/sof-tplg/sof-imx8-eq-iir-wm8960.tplg"

/* ---------------------------------------------------------------------------------------- */
/* Designed biquads (RBJ audio EQ cookbook) and blob building                               */

struct biquad {
	double b0, b1, b2, a1, a2;	/* normalised: a0 = 1, H = B(z) / (1 + a1 z^-1 + a2 z^-2) */
};

static struct biquad peaking(double f0, double db, double q)
{
	double A = pow(10, db / 40), w = 2 * PI * f0 / RATE, al = sin(w) / (2 * q);
	double a0 = 1 + al / A;

	return (struct biquad){ (1 + al * A) / a0, -2 * cos(w) / a0, (1 - al * A) / a0,
				-2 * cos(w) / a0, (1 - al / A) / a0 };
}

static struct biquad lowshelf(double f0, double db)
{
	double A = pow(10, db / 40), w = 2 * PI * f0 / RATE, al = sin(w) / 2 * sqrt(2);
	double c = cos(w), s = 2 * sqrt(A) * al;
	double a0 = (A + 1) + (A - 1) * c + s;

	return (struct biquad){ A * ((A + 1) - (A - 1) * c + s) / a0,
				2 * A * ((A - 1) - (A + 1) * c) / a0,
				A * ((A + 1) - (A - 1) * c - s) / a0,
				-2 * ((A - 1) + (A + 1) * c) / a0,
				((A + 1) + (A - 1) * c - s) / a0 };
}

static struct biquad lowpass(double f0, double q)
{
	double w = 2 * PI * f0 / RATE, al = sin(w) / (2 * q), c = cos(w), a0 = 1 + al;

	return (struct biquad){ (1 - c) / 2 / a0, (1 - c) / a0, (1 - c) / 2 / a0, -2 * c / a0,
				(1 - al) / a0 };
}

/* |H(f)| of one designed biquad. */
static double biquad_mag(const struct biquad *b, double f)
{
	double w = 2 * PI * f / RATE;
	double nr = b->b0 + b->b1 * cos(w) + b->b2 * cos(2 * w);
	double ni = -b->b1 * sin(w) - b->b2 * sin(2 * w);
	double dr = 1 + b->a1 * cos(w) + b->a2 * cos(2 * w);
	double di = -b->a1 * sin(w) - b->a2 * sin(2 * w);

	return sqrt((nr * nr + ni * ni) / (dr * dr + di * di));
}

static int32_t q30(double v)
{
	return (int32_t)lrint(v * 1073741824.0);
}

struct blob {
	uint8_t b[DSP_EQ_IIR_MAX_SIZE + 64];
	size_t n;
};

static void put(struct blob *bl, int32_t w)
{
	put_le32(bl->b + bl->n, (uint32_t)w);
	bl->n += 4;
}

static void blob_begin(struct blob *bl, uint32_t channels, uint32_t responses,
		       const int32_t *assign)
{
	uint32_t i;

	bl->n = 0;
	put(bl, 0);	/* size, patched by blob_end */
	put(bl, (int32_t)channels);
	put(bl, (int32_t)responses);
	for (i = 0; i < 4; i++)
		put(bl, 0);
	for (i = 0; i < channels; i++)
		put(bl, assign[i]);
}

static void blob_response(struct blob *bl, uint32_t sections, uint32_t in_series)
{
	uint32_t i;

	put(bl, (int32_t)sections);
	put(bl, (int32_t)in_series);
	for (i = 0; i < 4; i++)
		put(bl, 0);
}

/* One section in SOF's order and sign convention: a2, a1 negated. */
static void blob_biquad(struct blob *bl, const struct biquad *q, int32_t shift, int32_t gain)
{
	put(bl, q30(-q->a2));
	put(bl, q30(-q->a1));
	put(bl, q30(q->b2));
	put(bl, q30(q->b1));
	put(bl, q30(q->b0));
	put(bl, shift);
	put(bl, gain);
}

static void blob_end(struct blob *bl)
{
	put_le32(bl->b, (uint32_t)bl->n);
}

/* ---------------------------------------------------------------------------------------- */
/* Plain reference of SOF's fixed-point DF2T                                                 */

/* floor(v / 2^n + 1/2) */
static int64_t ref_round(int64_t v, int n)
{
	int64_t d = (int64_t)1 << n, q = v / d;

	if (v % d != 0 && v < 0)
		q--;
	/* q = floor(v / d); round up when the remainder is at least half */
	return (v - q * d) * 2 >= d ? q + 1 : q;
}

static int64_t ref_sat(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

struct ref_section {
	int64_t s0, s1;
};

/* Sum of products, wrapping at 64 bits as the firmware's registers do. */
static int64_t wsum(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

/* One Q1.31 sample through a response (coefficients straight from the parsed config). */
static int32_t ref_df2t(const struct dsp_eq_iir_response *r, struct ref_section *st, int32_t x)
{
	int64_t out = 0;
	uint32_t g, i;

	for (g = 0; g < r->sections / r->in_series; g++) {
		int64_t v = x;

		for (i = 0; i < r->in_series; i++) {
			uint32_t s = g * r->in_series + i;
			const int32_t *c = r->coef[s];
			int64_t y;

			y = ref_sat(ref_round(wsum(c[DSP_EQ_IIR_B0] * v, st[s].s0), 30),
				    INT32_MIN, INT32_MAX);
			st[s].s0 = wsum(wsum(st[s].s1, c[DSP_EQ_IIR_B1] * v),
					c[DSP_EQ_IIR_A1] * y);
			st[s].s1 = wsum(c[DSP_EQ_IIR_B2] * v, c[DSP_EQ_IIR_A2] * y);
			v = ref_sat(ref_round(c[DSP_EQ_IIR_GAIN] * y, 14 + c[DSP_EQ_IIR_SHIFT]),
				    INT32_MIN, INT32_MAX);
		}
		out = ref_sat(out + v, INT32_MIN, INT32_MAX);
	}
	return (int32_t)out;
}

/* ---------------------------------------------------------------------------------------- */
/* Measurement                                                                               */

/* Amplitude of a sine of @w rad/sample in @y by least squares (sin, cos, DC). */
static double sine_amplitude(const double *y, size_t n, double w)
{
	double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0, a, b, det;
	size_t i;

	/* a zero-mean window of whole periods keeps DC out of the fit */
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
	return sqrt(a * a + b * b);
}

/*
 * Gain in dB that @eq (prepared for @fmt, 1 channel) applies to a sine of @f Hz at
 * amplitude @ampl, measured after the filter settles.
 */
static double measure_gain_db(struct dsp_eq_iir *eq, uint32_t fmt, double f, double ampl)
{
	enum { N = 24000, SKIP = 12000 };
	static int32_t i32[N];
	static int16_t i16[N];
	static float fl[N];
	static double y[N];
	double scale = fmt == DSP_FMT_S16_LE ? 32768.0 : fmt == DSP_FMT_S24_4LE ? 8388608.0 :
		       fmt == DSP_FMT_S32_LE ? 2147483648.0 : 1.0;
	size_t i, n;

	dsp_eq_iir_reset(eq);
	for (i = 0; i < N; i++) {
		double x = ampl * sin(2 * PI * f * i / RATE) * scale;

		if (fmt == DSP_FMT_S16_LE)
			i16[i] = (int16_t)lrint(x);
		else if (fmt == DSP_FMT_FLOAT)
			fl[i] = (float)x;
		else
			i32[i] = (int32_t)lrint(x);
	}
	{
		void *buf = fmt == DSP_FMT_S16_LE ? (void *)i16 :
			    fmt == DSP_FMT_FLOAT ? (void *)fl : (void *)i32;
		size_t sb = dsp_fmt_sample_bytes(fmt);

		for (i = 0; i < N; i += 48)
			dsp_eq_iir_process(eq, (char *)buf + i * sb, (char *)buf + i * sb, 48);
	}
	for (i = 0; i < N; i++)
		y[i] = (fmt == DSP_FMT_S16_LE ? i16[i] : fmt == DSP_FMT_FLOAT ? fl[i] : i32[i]) /
		       scale;
	/* whole periods of the tone */
	n = (size_t)(floor((N - SKIP) * f / RATE) * RATE / f);
	return 20 * log10(sine_amplitude(y + SKIP, n, 2 * PI * f / RATE) / ampl);
}

/* ---------------------------------------------------------------------------------------- */
/* Tests                                                                                     */

/* The EQ blob in the real topology: find the ABI header of the bytes control. */
static size_t tplg_eq_blob(uint8_t *out, size_t room)
{
	static uint8_t file[16384];
	FILE *fp = fopen(TPLG, "rb");
	size_t n, i;

	if (!fp)
		return 0;
	n = fread(file, 1, sizeof(file), fp);
	fclose(fp);
	for (i = 0; i + 32 <= n; i++) {
		uint32_t size;

		if (get_le32(file + i) != 0x00464F53u)	/* "SOF\0": sof_abi_hdr magic */
			continue;
		size = get_le32(file + i + 8);
		if (size > room || i + 32 + size > n)
			continue;
		memcpy(out, file + i + 32, size);
		return size;
	}
	return 0;
}

static void parses_the_real_wm8960_eq_blob(void **state)
{
	uint8_t blob[DSP_EQ_IIR_MAX_SIZE];
	struct dsp_eq_iir_config cfg;
	static struct dsp_eq_iir eq;
	size_t n = tplg_eq_blob(blob, sizeof(blob));
	const int32_t *c;
	double want_db, f;

	if (!n)
		skip();	/* firmware-sof-signed not installed */
	assert_int_equal(n, 88);
	assert_int_equal(dsp_eq_iir_parse(&cfg, blob, n), 0);
	assert_int_equal(cfg.channels_in_config, 2);
	assert_int_equal(cfg.responses, 1);
	assert_int_equal(cfg.assign[0], 0);
	assert_int_equal(cfg.assign[1], 0);
	assert_int_equal(cfg.response[0].sections, 1);
	assert_int_equal(cfg.response[0].in_series, 1);
	c = cfg.response[0].coef[0];
	/* a flat section: b0 = 0.501 (-6 dB) and output gain 1.995 (+6 dB) */
	assert_int_equal(c[DSP_EQ_IIR_B0], 538145694);
	assert_int_equal(c[DSP_EQ_IIR_GAIN], 32690);
	assert_int_equal(c[DSP_EQ_IIR_A1] | c[DSP_EQ_IIR_A2] | c[DSP_EQ_IIR_B1] |
			 c[DSP_EQ_IIR_B2] | c[DSP_EQ_IIR_SHIFT], 0);
	want_db = 20 * log10(538145694 / 1073741824.0 * 32690 / 16384.0);
	assert_int_equal(dsp_eq_iir_prepare(&eq, &cfg, DSP_FMT_S32_LE, 1), 0);
	for (f = 100; f < 20000; f *= 3)
		assert_true(fabs(measure_gain_db(&eq, DSP_FMT_S32_LE, f, 0.5) - want_db) < 0.001);
}

/* A 3-section cascade: +6 dB peak at 1 kHz, -4 dB shelf below 200 Hz, low-pass at 8 kHz. */
static void designed_cascade(struct biquad *q)
{
	q[0] = peaking(1000, 6, 1.0);
	q[1] = lowshelf(200, -4);
	q[2] = lowpass(8000, 0.7071);
}

static void magnitude_response_matches_the_designed_biquads(void **state)
{
	static const double freqs[] = { 50, 150, 400, 800, 1000, 1250, 3000, 6000, 8000, 12000,
					16000 };
	struct biquad q[3];
	struct blob bl;
	struct dsp_eq_iir_config cfg;
	static struct dsp_eq_iir eq;
	const int32_t assign[1] = { 0 };
	uint32_t fmt, i, s;

	designed_cascade(q);
	blob_begin(&bl, 1, 1, assign);
	blob_response(&bl, 3, 3);
	for (s = 0; s < 3; s++)
		blob_biquad(&bl, &q[s], 0, 16384);
	blob_end(&bl);
	assert_int_equal(dsp_eq_iir_parse(&cfg, bl.b, bl.n), 0);

	for (fmt = 0; fmt < DSP_FMT_COUNT; fmt++) {
		double tol = fmt == DSP_FMT_S16_LE ? 0.05 : 0.02;

		assert_int_equal(dsp_eq_iir_prepare(&eq, &cfg, fmt, 1), 0);
		for (i = 0; i < sizeof(freqs) / sizeof(freqs[0]); i++) {
			double want = 0, got;

			for (s = 0; s < 3; s++)
				want += 20 * log10(biquad_mag(&q[s], freqs[i]));
			/* -12 dBFS input leaves room for the +6 dB peak */
			got = measure_gain_db(&eq, fmt, freqs[i], 0.25);
			assert_true(fabs(got - want) < tol);
		}
	}
}

static void fixed_point_matches_the_sof_reference_bit_for_bit(void **state)
{
	enum { CH = 3, N = 3000 };
	struct biquad q[3];
	struct blob bl;
	struct dsp_eq_iir_config cfg;
	static struct dsp_eq_iir eq;
	static int32_t in[N * CH], out[N * CH];
	static int16_t in16[N * CH], out16[N * CH];
	struct ref_section st[CH][DSP_EQ_IIR_MAX_SECTIONS];
	/* ch 0: series cascade with a shift; ch 1: two parallel groups; ch 2: bypass */
	const int32_t assign[CH] = { 0, 1, -1 };
	uint32_t rng = 99, i, c, fmt, s;

	designed_cascade(q);
	blob_begin(&bl, CH, 2, assign);
	blob_response(&bl, 3, 3);
	blob_biquad(&bl, &q[0], 1, 29000);
	blob_biquad(&bl, &q[1], -2, 5000);
	blob_biquad(&bl, &q[2], 0, 16384);
	blob_response(&bl, 2, 1);
	blob_biquad(&bl, &q[0], 0, 16384);
	blob_biquad(&bl, &q[2], 0, -16384);
	blob_end(&bl);
	assert_int_equal(dsp_eq_iir_parse(&cfg, bl.b, bl.n), 0);

	for (i = 0; i < N * CH; i++) {
		rng = rng * 1664525u + 1013904223u;
		/* loud noise with bursts at full scale to reach saturation */
		in[i] = (i / 500) % 3 == 2 ? (int32_t)(rng & 0x80000000u ? INT32_MIN : INT32_MAX) :
						(int32_t)rng >> 1;
		in16[i] = (int16_t)(in[i] >> 16);
	}
	for (fmt = DSP_FMT_S16_LE; fmt <= DSP_FMT_S32_LE; fmt++) {
		assert_int_equal(dsp_eq_iir_prepare(&eq, &cfg, fmt, CH), 0);
		if (fmt == DSP_FMT_S16_LE)
			dsp_eq_iir_process(&eq, out16, in16, N);
		else
			dsp_eq_iir_process(&eq, out, in, N);
		memset(st, 0, sizeof(st));
		for (i = 0; i < N; i++) {
			for (c = 0; c < CH; c++) {
				int32_t x, y;
				int64_t want;

				if (fmt == DSP_FMT_S16_LE)
					x = in16[i * CH + c] * 65536;
				else if (fmt == DSP_FMT_S24_4LE)
					x = (int32_t)((uint32_t)in[i * CH + c] << 8);
				else
					x = in[i * CH + c];
				y = assign[c] < 0 ? x : ref_df2t(&cfg.response[assign[c]], st[c], x);
				if (fmt == DSP_FMT_S16_LE)
					want = ref_sat(ref_round(y, 16), INT16_MIN, INT16_MAX);
				else if (fmt == DSP_FMT_S24_4LE)
					want = ref_sat(ref_round(y, 8), -8388608, 8388607);
				else
					want = y;
				assert_int_equal(fmt == DSP_FMT_S16_LE ? out16[i * CH + c] :
					out[i * CH + c], want);
			}
		}
	}
	/* and reset really forgets: the same input gives the same output again */
	for (s = 0; s < 2; s++) {
		static int32_t again[N * CH];

		dsp_eq_iir_reset(&eq);
		dsp_eq_iir_process(&eq, again, in, N);
		assert_memory_equal(again, out, sizeof(again));
	}
}

static void extra_stream_channels_reuse_the_last_assignment(void **state)
{
	struct biquad q = peaking(2000, -10, 2);
	struct blob bl;
	struct dsp_eq_iir_config cfg;
	static struct dsp_eq_iir eq;
	const int32_t assign[2] = { -1, 0 };
	int32_t in[4 * 100], out[4 * 100];
	uint32_t i;

	blob_begin(&bl, 2, 1, assign);
	blob_response(&bl, 1, 1);
	blob_biquad(&bl, &q, 0, 16384);
	blob_end(&bl);
	assert_int_equal(dsp_eq_iir_parse(&cfg, bl.b, bl.n), 0);
	assert_int_equal(dsp_eq_iir_prepare(&eq, &cfg, DSP_FMT_S32_LE, 4), 0);
	for (i = 0; i < 400; i++)
		in[i] = (int32_t)(1e9 * sin(i / 4 * 0.3));
	dsp_eq_iir_process(&eq, out, in, 100);
	for (i = 0; i < 100; i++) {
		assert_int_equal(out[i * 4 + 0], in[i * 4 + 0]);	/* bypass */
		assert_int_equal(out[i * 4 + 2], out[i * 4 + 1]);	/* same filter as ch 1 */
		assert_int_equal(out[i * 4 + 3], out[i * 4 + 1]);
	}
	assert_true(out[50 * 4 + 1] != in[50 * 4 + 1]);
}

/* A valid two-response blob; the malformation tests corrupt one field of it at a time. */
static void good_blob(struct blob *bl)
{
	struct biquad q = peaking(1000, 3, 1);
	const int32_t assign[2] = { 0, 1 };

	blob_begin(bl, 2, 2, assign);
	blob_response(bl, 2, 2);
	blob_biquad(bl, &q, 0, 16384);
	blob_biquad(bl, &q, 0, 16384);
	blob_response(bl, 1, 1);
	blob_biquad(bl, &q, 0, 16384);
	blob_end(bl);
}

/* Word offsets in good_blob(). */
enum {
	W_SIZE = 0, W_CHANNELS = 1, W_RESPONSES = 2, W_ASSIGN0 = 7, W_ASSIGN1 = 8,
	W_R0_SECTIONS = 9, W_R0_SERIES = 10, W_R0_S0 = 15,
	W_R1_SECTIONS = 15 + 14, W_R1_SERIES = 30, W_R1_S0 = 35,
};

static int parse_with(int word, int32_t value)
{
	struct blob bl;
	struct dsp_eq_iir_config cfg;

	good_blob(&bl);
	put_le32(bl.b + 4 * word, (uint32_t)value);
	return dsp_eq_iir_parse(&cfg, bl.b, bl.n);
}

static void every_malformed_field_is_rejected(void **state)
{
	struct dsp_eq_iir_config cfg;
	struct blob bl;

	good_blob(&bl);
	assert_int_equal(dsp_eq_iir_parse(&cfg, bl.b, bl.n), 0);
	/* lengths */
	assert_int_equal(dsp_eq_iir_parse(&cfg, bl.b, bl.n - 4), -EINVAL);
	assert_int_equal(dsp_eq_iir_parse(&cfg, bl.b, bl.n - 1), -EINVAL);
	assert_int_equal(dsp_eq_iir_parse(&cfg, bl.b, 24), -EINVAL);
	assert_int_equal(dsp_eq_iir_parse(&cfg, bl.b, 0), -EINVAL);
	assert_int_equal(parse_with(W_SIZE, (int32_t)bl.n + 4), -EINVAL);
	put_le32(bl.b + bl.n, 0);	/* a trailing word the size field covers */
	put_le32(bl.b, (uint32_t)bl.n + 4);
	assert_int_equal(dsp_eq_iir_parse(&cfg, bl.b, bl.n + 4), -EINVAL);
	/* counts */
	assert_int_equal(parse_with(W_CHANNELS, 0), -EINVAL);
	assert_int_equal(parse_with(W_CHANNELS, 9), -EINVAL);
	assert_int_equal(parse_with(W_CHANNELS, -1), -EINVAL);
	assert_int_equal(parse_with(W_CHANNELS, 3), -EINVAL);	/* shifts everything */
	assert_int_equal(parse_with(W_RESPONSES, 9), -EINVAL);
	assert_int_equal(parse_with(W_RESPONSES, 3), -EINVAL);	/* third runs off the end */
	assert_int_equal(parse_with(W_RESPONSES, 1), -EINVAL);	/* assign 1 now undefined */
	assert_int_equal(parse_with(W_ASSIGN0, 2), -EINVAL);
	assert_int_equal(parse_with(W_ASSIGN0, -2), -EINVAL);
	assert_int_equal(parse_with(W_ASSIGN1, INT32_MIN), -EINVAL);
	assert_int_equal(parse_with(W_ASSIGN1, -1), 0);	/* bypass is fine */
	/* sections */
	assert_int_equal(parse_with(W_R0_SECTIONS, 0), -EINVAL);
	assert_int_equal(parse_with(W_R0_SECTIONS, 12), -EINVAL);
	assert_int_equal(parse_with(W_R0_SECTIONS, 3), -EINVAL);	/* not a multiple of 2 */
	assert_int_equal(parse_with(W_R0_SECTIONS, 0x40000001), -EINVAL);
	assert_int_equal(parse_with(W_R1_SECTIONS, 2), -EINVAL);	/* runs off the end */
	assert_int_equal(parse_with(W_R0_SERIES, 0), -EINVAL);
	assert_int_equal(parse_with(W_R0_SERIES, 3), -EINVAL);
	assert_int_equal(parse_with(W_R1_SERIES, 2), -EINVAL);
	assert_int_equal(parse_with(W_R0_SERIES, 1), 0);	/* two parallel sections */
	/* shift and gain */
	assert_int_equal(parse_with(W_R0_S0 + DSP_EQ_IIR_SHIFT, -14), -EINVAL);
	assert_int_equal(parse_with(W_R0_S0 + DSP_EQ_IIR_SHIFT, 50), -EINVAL);
	assert_int_equal(parse_with(W_R1_S0 + DSP_EQ_IIR_SHIFT, INT32_MIN), -EINVAL);
	assert_int_equal(parse_with(W_R0_S0 + DSP_EQ_IIR_SHIFT, -13), 0);
	assert_int_equal(parse_with(W_R0_S0 + DSP_EQ_IIR_SHIFT, 49), 0);
	assert_int_equal(parse_with(W_R1_S0 + DSP_EQ_IIR_GAIN, 32768), -EINVAL);
	assert_int_equal(parse_with(W_R1_S0 + DSP_EQ_IIR_GAIN, -32769), -EINVAL);
	assert_int_equal(parse_with(W_R1_S0 + DSP_EQ_IIR_GAIN, -32768), 0);
	/* any coefficient value is acceptable */
	assert_int_equal(parse_with(W_R0_S0 + DSP_EQ_IIR_A1, INT32_MIN), 0);
}

/* 8 channels, 8 responses: 11 sections, then @r1 sections, then 1 section each. */
static void big_blob(struct blob *bl, uint32_t r1)
{
	struct biquad q = lowpass(5000, 0.7);
	const int32_t assign[8] = { 7, 6, 5, 4, 3, 2, 1, 0 };
	uint32_t r, s, n;

	blob_begin(bl, 8, 8, assign);
	for (r = 0; r < 8; r++) {
		n = r == 0 ? 11 : r == 1 ? r1 : 1;
		blob_response(bl, n, n);
		for (s = 0; s < n; s++)
			blob_biquad(bl, &q, 0, 16384);
	}
	blob_end(bl);
}

static void limits_are_accepted_and_prepare_checks_its_input(void **state)
{
	struct blob bl;
	struct dsp_eq_iir_config cfg;
	static struct dsp_eq_iir eq;

	big_blob(&bl, 10);
	assert_int_equal(bl.n, 1008);
	assert_int_equal(dsp_eq_iir_parse(&cfg, bl.b, bl.n), 0);
	assert_int_equal(cfg.response[0].sections, 11);
	assert_int_equal(cfg.response[1].sections, 10);
	assert_int_equal(cfg.assign[0], 7);
	assert_int_equal(dsp_eq_iir_prepare(&eq, &cfg, DSP_FMT_S24_4LE, 8), 0);
	assert_int_equal(dsp_eq_iir_prepare(&eq, &cfg, 4, 2), -EINVAL);
	assert_int_equal(dsp_eq_iir_prepare(&eq, &cfg, DSP_FMT_S16_LE, 0), -EINVAL);
	assert_int_equal(dsp_eq_iir_prepare(&eq, &cfg, DSP_FMT_S16_LE, 9), -EINVAL);
	cfg.assign[0] = 8;
	assert_int_equal(dsp_eq_iir_prepare(&eq, &cfg, DSP_FMT_S16_LE, 2), -EINVAL);
	/* well formed but 1036 bytes: over SOF's 1024-byte limit */
	big_blob(&bl, 11);
	assert_int_equal(bl.n, 1036);
	assert_int_equal(dsp_eq_iir_parse(&cfg, bl.b, bl.n), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_the_real_wm8960_eq_blob),
		cmocka_unit_test(magnitude_response_matches_the_designed_biquads),
		cmocka_unit_test(fixed_point_matches_the_sof_reference_bit_for_bit),
		cmocka_unit_test(extra_stream_channels_reuse_the_last_assignment),
		cmocka_unit_test(every_malformed_field_is_rejected),
		cmocka_unit_test(limits_are_accepted_and_prepare_checks_its_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
