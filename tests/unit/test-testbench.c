// SPDX-License-Identifier: MIT
/*
 * `vadsp testbench` end to end: generated WAV files through the project's topologies and
 * sof-imx8-wm8960.tplg, compared with references computed here: the output is repeatable
 * (two runs give identical files), a 0 dB volume passes the input bit for bit (after the
 * volume's start ramp and the pipeline's latency, which is measured), a control set with
 * --set changes the level by the dB its TLV scale says (and sample by sample within an LSB
 * of the input times that gain), a switch mutes, a mixer sums two pipelines (one with a
 * 5 ms period), an IIR EQ matches
 * a double-precision biquad of the topology's coefficients, a sample rate converter keeps
 * the level and the tone, and the capture direction works as well. Usage errors exit 2,
 * failures 1.
 *
 * VADSP_EXE names the vadsp binary and VADSP_TOPOLOGY_DIR the compiled topologies (meson
 * sets both); the real files come from /lib/firmware/intel/sof-tplg (VADSP_SOF_TPLG_DIR).
 * host.tplg is not run: its connection points put two host components in one pipeline,
 * which the engine does not complete.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sndfile.h>

extern char **environ;

#define RATE		48000
#define SOF_TPLG_DIR_DEFAULT	"/lib/firmware/intel/sof-tplg"

static char tmpdir[64];

struct wav {
	int rate;
	int channels;
	int64_t frames;
	int16_t *s;		/* interleaved */
};

/* ---------------------------------------------------------------------------------------- */
/* Files and processes                                                                       */

static const char *path_in(const char *name)
{
	static char buf[4][256];
	static int i;
	char *p = buf[i++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", tmpdir, name);
	return p;
}

static const char *own(const char *name)
{
	static char buf[512];
	const char *d = getenv("VADSP_TOPOLOGY_DIR");

	if (!d || !*d)
		fail_msg("VADSP_TOPOLOGY_DIR is not set (meson sets it)");
	snprintf(buf, sizeof(buf), "%s/%s", d, name);
	return buf;
}

static const char *wm8960(void)
{
	static char buf[512];
	const char *d = getenv("VADSP_SOF_TPLG_DIR");

	snprintf(buf, sizeof(buf), "%s/sof-imx8-wm8960.tplg", d && *d ? d : SOF_TPLG_DIR_DEFAULT);
	if (access(buf, R_OK) != 0) {
		print_message("%s: not readable, skipped\n", buf);
		return NULL;
	}
	return buf;
}

/* Run vadsp with @args (NULL-terminated); return its exit status. */
static int run(const char *const *args)
{
	const char *exe = getenv("VADSP_EXE");
	char *argv[32];
	int n = 0, status;
	pid_t pid;

	if (!exe || !*exe)
		fail_msg("VADSP_EXE is not set (meson sets it)");
	argv[n++] = (char *)exe;
	argv[n++] = (char *)"testbench";
	while (*args && n < 31)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	assert_int_equal(posix_spawn(&pid, exe, NULL, NULL, argv, environ), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

#define RUN(...)	run((const char *const[]){ __VA_ARGS__, NULL })

static void write_wav(const char *path, int rate, int channels, int64_t frames,
		      double (*gen)(int64_t i, int ch))
{
	SF_INFO info = { .samplerate = rate, .channels = channels,
			 .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
	int16_t *s = malloc((size_t)frames * (size_t)channels * sizeof(*s));
	SNDFILE *sf = sf_open(path, SFM_WRITE, &info);

	assert_non_null(s);
	assert_non_null(sf);
	for (int64_t i = 0; i < frames; i++)
		for (int ch = 0; ch < channels; ch++)
			s[i * channels + ch] = (int16_t)lrint(gen(i, ch) * 32767.0);
	assert_int_equal(sf_writef_short(sf, s, frames), frames);
	sf_close(sf);
	free(s);
}

static struct wav read_wav(const char *path)
{
	SF_INFO info = { 0 };
	SNDFILE *sf = sf_open(path, SFM_READ, &info);
	struct wav w;

	if (!sf)
		fail_msg("%s: %s", path, sf_strerror(NULL));
	assert_int_equal(info.format & SF_FORMAT_SUBMASK, SF_FORMAT_PCM_16);
	w.rate = info.samplerate;
	w.channels = info.channels;
	w.frames = info.frames;
	w.s = malloc((size_t)(w.frames ? w.frames : 1) * (size_t)w.channels * sizeof(*w.s));
	assert_non_null(w.s);
	assert_int_equal(sf_readf_short(sf, w.s, w.frames), w.frames);
	sf_close(sf);
	return w;
}

static void same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int ca, cb;
	long n = 0;

	assert_non_null(fa);
	assert_non_null(fb);
	do {
		ca = fgetc(fa);
		cb = fgetc(fb);
		if (ca != cb)
			fail_msg("%s and %s differ at byte %ld", a, b, n);
		n++;
	} while (ca != EOF);
	fclose(fa);
	fclose(fb);
	assert_true(n > 44);
}

/* ---------------------------------------------------------------------------------------- */
/* Signals and references                                                                    */

/* Left 997 Hz at -6 dBFS, right 1499 Hz at -9 dBFS: channel swaps show. */
static double tones(int64_t i, int ch)
{
	double f = ch ? 1499.0 : 997.0, a = ch ? 0.354 : 0.5;

	return a * sin(2.0 * M_PI * f * (double)i / RATE);
}

/* Both channels at -12 dBFS, so that a sum of two does not clip. */
static double quiet_tones(int64_t i, int ch)
{
	return 0.5 * tones(i, ch);
}

static double mono_1k(int64_t i, int ch)
{
	return 0.25 * sin(2.0 * M_PI * 1000.0 * (double)i / RATE);
}

/*
 * The lag at which @out starts repeating @in times @gain exactly (within @tol LSB) over
 * every frame from @from on; -1 if there is none within 20 ms.
 */
static int find_lag(const struct wav *in, const struct wav *out, int64_t from, double gain,
		    int tol)
{
	for (int lag = 0; lag < RATE / 50; lag++) {
		int64_t bad = 0;

		for (int64_t i = from; i + lag < out->frames && i < in->frames && !bad; i++)
			for (int ch = 0; ch < in->channels; ch++) {
				double ref = in->s[i * in->channels + ch] * gain;
				int16_t got = out->s[(i + lag) * out->channels + ch];

				if (fabs(got - ref) > tol + 0.5)
					bad++;
			}
		if (!bad)
			return lag;
	}
	return -1;
}

static double rms(const struct wav *w, int ch, int64_t from, int64_t to)
{
	double sum = 0;

	for (int64_t i = from; i < to; i++) {
		double v = w->s[i * w->channels + ch];

		sum += v * v;
	}
	return sqrt(sum / (double)(to - from));
}

static double level_db(const struct wav *out, const struct wav *in, int ch, int64_t from)
{
	return 20.0 * log10(rms(out, ch, from, out->frames) / rms(in, ch, from, out->frames));
}

/* Goertzel power of @f in channel 0 of @w, from frame @from on. */
static double tone_power(const struct wav *w, double f, int64_t from)
{
	double k = 2.0 * cos(2.0 * M_PI * f / w->rate), s1 = 0, s2 = 0;

	for (int64_t i = from; i < w->frames; i++) {
		double s0 = w->s[i * w->channels] + k * s1 - s2;

		s2 = s1;
		s1 = s0;
	}
	return s1 * s1 + s2 * s2 - k * s1 * s2;
}

/* ---------------------------------------------------------------------------------------- */

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vadsp-testbench-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	write_wav(path_in("tones.wav"), RATE, 2, RATE / 2, tones);
	write_wav(path_in("quiet.wav"), RATE, 2, RATE / 2, quiet_tones);
	write_wav(path_in("long.wav"), RATE, 2, RATE, tones);
	write_wav(path_in("mono.wav"), RATE, 1, RATE / 2, mono_1k);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Frames of start ramp to leave out: the topology's ramp length and a margin. */
#define AFTER_MS(ms)	((int64_t)(ms) * RATE / 1000)

static void wm8960_playback_is_repeatable_and_bit_exact_at_0db(void **state)
{
	const char *t = wm8960();
	struct wav in, a;
	int lag;

	if (!t)
		skip();
	assert_int_equal(RUN("-t", t, "-i", path_in("tones.wav"), "-o", path_in("a.wav")), 0);
	assert_int_equal(RUN("-t", t, "-i", path_in("tones.wav"), "-o", path_in("b.wav")), 0);
	same_file(path_in("a.wav"), path_in("b.wav"));
	in = read_wav(path_in("tones.wav"));
	a = read_wav(path_in("a.wav"));
	assert_int_equal(a.rate, RATE);
	assert_int_equal(a.channels, 2);
	assert_int_equal(a.frames, in.frames);
	/* PGA1.0 starts at 0 dB (its range tops out there) after a 20 ms ramp. */
	lag = find_lag(&in, &a, AFTER_MS(40), 1.0, 0);
	print_message("wm8960 playback latency: %d frames\n", lag);
	assert_true(lag >= 0);
	free(in.s);
	free(a.s);
}

static void wm8960_volume_control_changes_the_level_by_its_db(void **state)
{
	const char *t = wm8960();
	struct wav in, out;
	double g = pow(10.0, -12.0 / 20.0);
	int lag;

	if (!t)
		skip();
	/* Step 26 of -64 dB + 2 dB/step: -12 dB. */
	assert_int_equal(RUN("-t", t, "-i", path_in("tones.wav"), "-o", path_in("m12.wav"),
			     "--set", "1 Master Playback Volume=26"), 0);
	in = read_wav(path_in("tones.wav"));
	out = read_wav(path_in("m12.wav"));
	for (int ch = 0; ch < 2; ch++) {
		double db = level_db(&out, &in, ch, AFTER_MS(60));

		print_message("channel %d: %.4f dB\n", ch, db);
		assert_true(fabs(db + 12.0) < 0.05);
	}
	lag = find_lag(&in, &out, AFTER_MS(60), g, 1);
	assert_true(lag >= 0);
	free(out.s);
	/* Per channel: left -12 dB, right -2 dB (step 31). */
	assert_int_equal(RUN("-t", t, "-i", path_in("tones.wav"), "-o", path_in("lr.wav"),
			     "--set", "1 Master Playback Volume=26,31"), 0);
	out = read_wav(path_in("lr.wav"));
	assert_true(fabs(level_db(&out, &in, 0, AFTER_MS(60)) + 12.0) < 0.05);
	assert_true(fabs(level_db(&out, &in, 1, AFTER_MS(60)) + 2.0) < 0.05);
	free(out.s);
	free(in.s);
}

static void wm8960_capture_runs_the_other_direction(void **state)
{
	const char *t = wm8960();
	struct wav in, out;
	int lag;

	if (!t)
		skip();
	assert_int_equal(RUN("-t", t, "--capture", "-i", path_in("long.wav"), "-o",
			     path_in("cap.wav")), 0);
	in = read_wav(path_in("long.wav"));
	out = read_wav(path_in("cap.wav"));
	assert_int_equal(out.frames, in.frames);
	/* PGA2.0: 0 dB within -50..+30 dB, after its 250 ms ramp. */
	lag = find_lag(&in, &out, AFTER_MS(300), 1.0, 0);
	print_message("wm8960 capture latency: %d frames\n", lag);
	assert_true(lag >= 0);
	/* +10 dB: step 60 of -50 dB + 1 dB/step. */
	free(out.s);
	assert_int_equal(RUN("-t", t, "--capture", "-i", path_in("quiet.wav"), "-o",
			     path_in("cap10.wav"), "--set", "2 Master Capture Volume=60"), 0);
	free(in.s);
	in = read_wav(path_in("quiet.wav"));
	out = read_wav(path_in("cap10.wav"));
	assert_true(fabs(level_db(&out, &in, 0, AFTER_MS(300)) - 10.0) < 0.05);
	free(out.s);
	free(in.s);
}

static void stereo_topology_volume_and_switch(void **state)
{
	const char *t = own("stereo.tplg");
	struct wav in, out;
	char tpath[512];

	snprintf(tpath, sizeof(tpath), "%s", t);
	in = read_wav(path_in("tones.wav"));
	assert_int_equal(RUN("-t", tpath, "-i", path_in("tones.wav"), "-o", path_in("s0.wav")),
			 0);
	out = read_wav(path_in("s0.wav"));
	assert_true(find_lag(&in, &out, AFTER_MS(40), 1.0, 0) >= 0);
	free(out.s);
	/* Step 58 of -64 dB + 1 dB/step: -6 dB. */
	assert_int_equal(RUN("-t", tpath, "-i", path_in("tones.wav"), "-o", path_in("s6.wav"),
			     "--set", "Master Playback Volume=58"), 0);
	out = read_wav(path_in("s6.wav"));
	assert_true(fabs(level_db(&out, &in, 0, AFTER_MS(60)) + 6.0) < 0.05);
	assert_true(fabs(level_db(&out, &in, 1, AFTER_MS(60)) + 6.0) < 0.05);
	assert_true(find_lag(&in, &out, AFTER_MS(60), pow(10.0, -6.0 / 20.0), 1) >= 0);
	free(out.s);
	/* The switch mutes. */
	assert_int_equal(RUN("-t", tpath, "-i", path_in("tones.wav"), "-o", path_in("sm.wav"),
			     "--set", "Master Playback Switch=0"), 0);
	out = read_wav(path_in("sm.wav"));
	for (int64_t i = AFTER_MS(60) * 2; i < out.frames * 2; i++)
		assert_int_equal(out.s[i], 0);
	free(out.s);
	free(in.s);
}

/* The 80 Hz high-pass of multi.conf, in double precision. */
static void biquad_reference(const struct wav *in, struct wav *ref)
{
	const double b0 = 0x3f8720b4 / 1073741824.0, b1 = (int32_t)0x80f1be99 / 1073741824.0,
		     b2 = 0x3f8720b4 / 1073741824.0, a1 = 0x7f0d5d1e / 1073741824.0,
		     a2 = (int32_t)0xc0f0da50 / 1073741824.0;

	*ref = *in;
	ref->s = malloc((size_t)in->frames * (size_t)in->channels * sizeof(*ref->s));
	assert_non_null(ref->s);
	for (int ch = 0; ch < in->channels; ch++) {
		double s0 = 0, s1 = 0;

		for (int64_t i = 0; i < in->frames; i++) {
			double x = in->s[i * in->channels + ch], y = b0 * x + s0;

			s0 = s1 + b1 * x + a1 * y;
			s1 = b2 * x + a2 * y;
			ref->s[i * in->channels + ch] = (int16_t)lrint(y);
		}
	}
}

static void multi_topology_eq_matches_its_biquad(void **state)
{
	char tpath[512];
	struct wav in, out, ref;
	int lag;

	snprintf(tpath, sizeof(tpath), "%s", own("multi.tplg"));
	in = read_wav(path_in("tones.wav"));
	/* Both playback hosts are fed; DAI1.OUT carries PCM0P through volume and EQ. */
	assert_int_equal(RUN("-t", tpath, "-i", path_in("tones.wav"), "-o", path_in("eq.wav")),
			 0);
	out = read_wav(path_in("eq.wav"));
	biquad_reference(&in, &ref);
	lag = find_lag(&ref, &out, AFTER_MS(60), 1.0, 2);
	print_message("multi EQ latency: %d frames\n", lag);
	assert_true(lag >= 0);
	/* ...and the filter did something: its phase shift at 1 kHz moves every sample. */
	assert_int_equal(find_lag(&in, &out, AFTER_MS(60), 1.0, 2), -1);
	free(out.s);
	/* DAI2.OUT carries PCM1P through a volume only. */
	assert_int_equal(RUN("-t", tpath, "-i", path_in("tones.wav"), "-o", path_in("n.wav"),
			     "--dai", "DAI2.OUT"), 0);
	out = read_wav(path_in("n.wav"));
	assert_true(find_lag(&in, &out, AFTER_MS(60), 1.0, 0) >= 0);
	free(out.s);
	free(ref.s);
	free(in.s);
}

static void wm8960_mixer_topology_sums_two_pipelines(void **state)
{
	const char *t = wm8960();
	char tpath[512];
	struct wav in, out;
	int lag;

	if (!t)
		skip();
	/* sof-imx8-wm8960-mixer.tplg: PCM0P (1 ms) and PCM1P (5 ms pipeline) into a mixer. */
	snprintf(tpath, sizeof(tpath), "%s", t);
	strcpy(strstr(tpath, "wm8960.tplg"), "wm8960-mixer.tplg");
	in = read_wav(path_in("quiet.wav"));
	assert_int_equal(RUN("-t", tpath, "-i", path_in("quiet.wav"), "-o", path_in("mix.wav")),
			 0);
	out = read_wav(path_in("mix.wav"));
	assert_int_equal(out.frames, in.frames);
	/* Both hosts carry the input: the mixer doubles it, exactly, once both run. */
	lag = find_lag(&in, &out, AFTER_MS(50), 2.0, 0);
	print_message("wm8960-mixer latency: %d frames\n", lag);
	assert_true(lag >= 0);
	free(out.s);
	/* One host only: the mixer passes it through. */
	assert_int_equal(RUN("-t", tpath, "-i", path_in("quiet.wav"), "-o", path_in("mix1.wav"),
			     "--host", "PCM1P"), 0);
	out = read_wav(path_in("mix1.wav"));
	assert_true(find_lag(&in, &out, AFTER_MS(50), 1.0, 0) >= 0);
	free(out.s);
	free(in.s);
}

/*
 * host.tplg: each playback connection point has a pipeline of its own feeding the mixer in
 * front of the DAI; the capture DAI's demux serves one pipeline per capture connection point.
 */
static void host_topology_mixes_and_demuxes_connection_points(void **state)
{
	struct wav in, out;

	in = read_wav(path_in("quiet.wav"));
	/* One connection point alone reaches the DAI unchanged. */
	assert_int_equal(RUN("-t", own("host.tplg"), "-i", path_in("quiet.wav"), "-o",
			     path_in("host-main.wav"), "--host", "CP.main-out"), 0);
	same_file(path_in("quiet.wav"), path_in("host-main.wav"));
	assert_int_equal(RUN("-t", own("host.tplg"), "-i", path_in("quiet.wav"), "-o",
			     path_in("host-aux.wav"), "--host", "CP.aux-out"), 0);
	same_file(path_in("quiet.wav"), path_in("host-aux.wav"));
	/* Both carry the input: the mixer doubles it, exactly. */
	assert_int_equal(RUN("-t", own("host.tplg"), "-i", path_in("quiet.wav"), "-o",
			     path_in("host-both.wav")), 0);
	out = read_wav(path_in("host-both.wav"));
	assert_int_equal(out.frames, in.frames);
	assert_int_equal(find_lag(&in, &out, 0, 2.0, 0), 0);
	free(out.s);
	/* Capture: every connection point gets the DAI's stereo stream, bit for bit. */
	assert_int_equal(RUN("-t", own("host.tplg"), "-i", path_in("quiet.wav"), "-o",
			     path_in("host-main-in.wav"), "--capture", "--host", "CP.main-in"), 0);
	same_file(path_in("quiet.wav"), path_in("host-main-in.wav"));
	assert_int_equal(RUN("-t", own("host.tplg"), "-i", path_in("quiet.wav"), "-o",
			     path_in("host-aux-in.wav"), "--capture", "--host", "CP.aux-in"), 0);
	same_file(path_in("quiet.wav"), path_in("host-aux-in.wav"));
	free(in.s);
}

static void voice_topology_converts_the_rate_and_keeps_the_tone(void **state)
{
	char tpath[512];
	struct wav in, out;
	double db;

	snprintf(tpath, sizeof(tpath), "%s", own("voice.tplg"));
	assert_int_equal(RUN("-t", tpath, "-i", path_in("mono.wav"), "-o", path_in("v.wav")), 0);
	in = read_wav(path_in("mono.wav"));
	out = read_wav(path_in("v.wav"));
	assert_int_equal(out.rate, 16000);
	assert_int_equal(out.channels, 1);
	assert_int_equal(out.frames, in.frames / 3);
	/* 0 dB through the converter: the 1 kHz tone at the same level, nothing else. */
	db = 20.0 * log10(rms(&out, 0, out.frames / 2, out.frames) /
			  rms(&in, 0, in.frames / 2, in.frames));
	print_message("voice: %.3f dB\n", db);
	assert_true(fabs(db) < 0.1);
	assert_true(tone_power(&out, 1000.0, out.frames / 2) >
		    1000.0 * tone_power(&out, 3000.0, out.frames / 2));
	free(out.s);
	free(in.s);
}

static void usage_errors_exit_2_and_failures_exit_1(void **state)
{
	char tpath[512];

	snprintf(tpath, sizeof(tpath), "%s", own("stereo.tplg"));
	assert_int_equal(RUN("-i", path_in("tones.wav"), "-o", path_in("x.wav")), 2);
	assert_int_equal(RUN("-t", tpath, "-i", path_in("tones.wav")), 2);
	assert_int_equal(RUN("-t", tpath, "-i", path_in("tones.wav"), "-o", path_in("x.wav"),
			     "--bogus"), 2);
	assert_int_equal(RUN("-t", tpath, "-i", path_in("tones.wav"), "-o", path_in("x.wav"),
			     "--set", "novalue"), 2);
	assert_int_equal(RUN("--help"), 0);
	assert_int_equal(RUN("-t", tpath, "-i", path_in("missing.wav"), "-o", path_in("x.wav")),
			 1);
	assert_int_equal(RUN("-t", path_in("missing.tplg"), "-i", path_in("tones.wav"), "-o",
			     path_in("x.wav")), 1);
	assert_int_equal(RUN("-t", tpath, "-i", path_in("tones.wav"), "-o", path_in("x.wav"),
			     "--set", "No Such Control=1"), 1);
	assert_int_equal(RUN("-t", tpath, "-i", path_in("tones.wav"), "-o", path_in("x.wav"),
			     "--set", "Master Playback Volume=65"), 1);
	assert_int_equal(RUN("-t", tpath, "-i", path_in("tones.wav"), "-o", path_in("x.wav"),
			     "--host", "PCM9"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wm8960_playback_is_repeatable_and_bit_exact_at_0db),
		cmocka_unit_test(wm8960_volume_control_changes_the_level_by_its_db),
		cmocka_unit_test(wm8960_capture_runs_the_other_direction),
		cmocka_unit_test(stereo_topology_volume_and_switch),
		cmocka_unit_test(multi_topology_eq_matches_its_biquad),
		cmocka_unit_test(wm8960_mixer_topology_sums_two_pipelines),
		cmocka_unit_test(host_topology_mixes_and_demuxes_connection_points),
		cmocka_unit_test(voice_topology_converts_the_rate_and_keeps_the_tone),
		cmocka_unit_test(usage_errors_exit_2_and_failures_exit_1),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
