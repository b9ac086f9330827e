/* SPDX-License-Identifier: MIT */
/*
 * The file endpoint: what the engine writes lands bit-exactly in a WAV file that libsndfile
 * reads back (each of the four formats), capture delivers a file's frames exactly, then
 * silence with eof, or the file again with ?loop, and bad files and parameters fail cleanly.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sndfile.h>

#include "io/io.h"

#define PERIOD		48
#define CHANNELS	2
#define RATE		48000

static char tmpdir[64];

static int setup(void **state)
{
	strcpy(tmpdir, "/tmp/vadsp-io-file-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void path_for(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", tmpdir, name);
}

static struct io_params params(enum io_direction dir, enum io_format fmt, uint32_t flags)
{
	struct io_params p = {
		.direction = dir,
		.format = fmt,
		.rate = RATE,
		.channels = CHANNELS,
		.period_frames = PERIOD,
		.flags = flags,
	};
	return p;
}

/* A signal that covers each format's range and differs per channel and frame. */
static void make_signal(enum io_format fmt, void *buf, uint32_t frames)
{
	for (uint32_t i = 0; i < frames; i++) {
		for (uint32_t c = 0; c < CHANNELS; c++) {
			uint32_t k = i * CHANNELS + c;

			switch (fmt) {
			case IO_FMT_S16_LE:
				((int16_t *)buf)[k] = (int16_t)((i * 1237u + c * 20011u) % 65536u -
								32768);
				break;
			case IO_FMT_S24_4LE:
				((int32_t *)buf)[k] = (int32_t)((i * 7919u + c * 104729u) %
								16777216u) - 8388608;
				break;
			case IO_FMT_S32_LE:
				((uint32_t *)buf)[k] = i * 2654435761u + c * 40503u;
				break;
			case IO_FMT_FLOAT:
				((float *)buf)[k] = 0.9f * sinf(0.013f * (float)i + (float)c);
				break;
			}
		}
	}
	if (fmt == IO_FMT_S24_4LE && frames > 1) {
		((int32_t *)buf)[0] = -8388608;
		((int32_t *)buf)[1] = 8388607;
	}
}

/* Read the whole file with libsndfile in the stream's representation. */
static uint32_t sndfile_read_back(const char *path, enum io_format fmt, void *out,
				  uint32_t max_frames, SF_INFO *info)
{
	SNDFILE *sf;
	sf_count_t got = 0;

	memset(info, 0, sizeof(*info));
	sf = sf_open(path, SFM_READ, info);
	assert_non_null(sf);
	assert_true(info->frames <= max_frames);
	switch (fmt) {
	case IO_FMT_S16_LE:
		got = sf_readf_short(sf, out, max_frames);
		break;
	case IO_FMT_S24_4LE:
		got = sf_readf_int(sf, out, max_frames);
		for (sf_count_t k = 0; k < got * CHANNELS; k++)
			((int32_t *)out)[k] >>= 8;
		break;
	case IO_FMT_S32_LE:
		got = sf_readf_int(sf, out, max_frames);
		break;
	case IO_FMT_FLOAT:
		got = sf_readf_float(sf, out, max_frames);
		break;
	}
	sf_close(sf);
	return (uint32_t)got;
}

/* Write @frames frames through a free-running playback endpoint, a period at a time. */
static void write_file(const char *path, enum io_format fmt, const void *sig, uint32_t frames)
{
	struct io_params p = params(IO_DIR_PLAYBACK, fmt, IO_FLAG_FREE_RUN);
	char spec[128];
	struct io_endpoint *ep;
	uint32_t fb = io_format_bytes(fmt) * CHANNELS;

	snprintf(spec, sizeof(spec), "file:%s", path);
	assert_int_equal(io_endpoint_open(spec, &p, &ep), 0);
	assert_int_equal(io_endpoint_start(ep), 0);
	for (uint32_t done = 0; done < frames;) {
		uint32_t n = frames - done < PERIOD ? frames - done : PERIOD;

		assert_int_equal(io_endpoint_write(ep, (const uint8_t *)sig + done * fb, n), n);
		done += n;
	}
	io_endpoint_close(ep);
}

static void check_playback_is_bit_exact(enum io_format fmt, int subformat)
{
	enum { PERIODS = 25, FRAMES = PERIODS * PERIOD };
	static uint32_t sig[FRAMES * CHANNELS], back[FRAMES * CHANNELS + 64];
	uint32_t fb = io_format_bytes(fmt) * CHANNELS;
	char path[128];
	SF_INFO info;

	path_for(path, sizeof(path), io_format_name(fmt));
	make_signal(fmt, sig, FRAMES);
	write_file(path, fmt, sig, FRAMES);
	memset(back, 0xa5, sizeof(back));
	assert_int_equal(sndfile_read_back(path, fmt, back, FRAMES + 32, &info), FRAMES);
	assert_int_equal(info.samplerate, RATE);
	assert_int_equal(info.channels, CHANNELS);
	assert_int_equal(info.format, SF_FORMAT_WAV | subformat);
	assert_memory_equal(back, sig, FRAMES * fb);
}

static void test_playback_s16_lands_bit_exact_in_a_16_bit_wav(void **state)
{
	check_playback_is_bit_exact(IO_FMT_S16_LE, SF_FORMAT_PCM_16);
}

static void test_playback_s24_lands_bit_exact_in_a_24_bit_wav(void **state)
{
	check_playback_is_bit_exact(IO_FMT_S24_4LE, SF_FORMAT_PCM_24);
}

static void test_playback_s32_lands_bit_exact_in_a_32_bit_wav(void **state)
{
	check_playback_is_bit_exact(IO_FMT_S32_LE, SF_FORMAT_PCM_32);
}

static void test_playback_float_lands_bit_exact_in_a_float_wav(void **state)
{
	check_playback_is_bit_exact(IO_FMT_FLOAT, SF_FORMAT_FLOAT);
}

/* Capture of a 200-frame file (not a whole number of periods) in @fmt. */
static void check_capture(enum io_format fmt, bool loop)
{
	enum { FILE_FRAMES = 200, READS = 12 };
	static uint32_t sig[FILE_FRAMES * CHANNELS], got[PERIOD * CHANNELS];
	static const uint8_t zero[8];
	uint32_t fb = io_format_bytes(fmt) * CHANNELS;
	struct io_params p = params(IO_DIR_CAPTURE, fmt, IO_FLAG_FREE_RUN);
	struct io_endpoint *ep;
	struct io_status st;
	char path[128], spec[160];
	uint32_t pos = 0;

	path_for(path, sizeof(path), "capture.wav");
	make_signal(fmt, sig, FILE_FRAMES);
	write_file(path, fmt, sig, FILE_FRAMES);
	snprintf(spec, sizeof(spec), "file:%s%s", path, loop ? "?loop" : "");
	assert_int_equal(io_endpoint_open(spec, &p, &ep), 0);
	assert_int_equal(io_endpoint_start(ep), 0);
	for (int r = 0; r < READS; r++) {
		memset(got, 0x5a, sizeof(got));
		assert_int_equal(io_endpoint_read(ep, got, PERIOD), PERIOD);
		for (uint32_t i = 0; i < PERIOD; i++, pos++) {
			const uint8_t *g = (const uint8_t *)got + i * fb;
			const uint8_t *want = (const uint8_t *)sig + (pos % FILE_FRAMES) * fb;

			if (!loop && pos >= FILE_FRAMES)
				want = zero;
			if (memcmp(g, want, fb))
				fail_msg("%s%s: frame %u is wrong", io_format_name(fmt),
					 loop ? " looped" : "", pos);
		}
	}
	io_endpoint_get_status(ep, &st);
	assert_int_equal(st.eof, !loop);
	assert_int_equal(st.frames, READS * PERIOD);
	io_endpoint_close(ep);
}

static void test_capture_gives_the_file_then_silence_and_eof(void **state)
{
	check_capture(IO_FMT_S16_LE, false);
	check_capture(IO_FMT_S24_4LE, false);
	check_capture(IO_FMT_S32_LE, false);
	check_capture(IO_FMT_FLOAT, false);
}

static void test_capture_with_loop_starts_the_file_over(void **state)
{
	check_capture(IO_FMT_S16_LE, true);
	check_capture(IO_FMT_S24_4LE, true);
	check_capture(IO_FMT_FLOAT, true);
}

static void test_capture_converts_sample_format_through_libsndfile(void **state)
{
	/* A 16-bit file read as FLOAT: libsndfile's normalisation, x / 32768. */
	static int16_t sig[PERIOD * CHANNELS];
	float got[PERIOD * CHANNELS];
	struct io_params p = params(IO_DIR_CAPTURE, IO_FMT_FLOAT, IO_FLAG_FREE_RUN);
	struct io_endpoint *ep;
	char path[128], spec[160];

	path_for(path, sizeof(path), "s16-as-float.wav");
	make_signal(IO_FMT_S16_LE, sig, PERIOD);
	write_file(path, IO_FMT_S16_LE, sig, PERIOD);
	snprintf(spec, sizeof(spec), "file:%s", path);
	assert_int_equal(io_endpoint_open(spec, &p, &ep), 0);
	assert_int_equal(io_endpoint_start(ep), 0);
	assert_int_equal(io_endpoint_read(ep, got, PERIOD), PERIOD);
	for (int k = 0; k < PERIOD * CHANNELS; k++)
		assert_true(got[k] == (float)sig[k] / 32768.0f);
	io_endpoint_close(ep);
}

static void test_clocked_playback_writes_every_period_it_was_given(void **state)
{
	enum { PERIODS = 30 };
	static int16_t sig[PERIODS * PERIOD * CHANNELS], back[PERIODS * PERIOD * CHANNELS];
	struct io_params p = params(IO_DIR_PLAYBACK, IO_FMT_S16_LE, 0);
	struct io_endpoint *ep;
	struct pollfd pfd = { .events = POLLIN };
	char path[128], spec[160];
	uint32_t done = 0;
	SF_INFO info;

	path_for(path, sizeof(path), "clocked.wav");
	snprintf(spec, sizeof(spec), "file:%s", path);
	make_signal(IO_FMT_S16_LE, sig, PERIODS * PERIOD);
	assert_int_equal(io_endpoint_open(spec, &p, &ep), 0);
	pfd.fd = io_endpoint_clock_fd(ep);
	assert_true(pfd.fd >= 0);
	assert_int_equal(io_endpoint_start(ep), 0);
	while (done < PERIODS) {
		int n;

		assert_int_equal(poll(&pfd, 1, 5000), 1);
		n = io_endpoint_clock_ack(ep);
		assert_true(n >= 0);
		for (int i = 0; i < n && done < PERIODS; i++, done++)
			assert_int_equal(io_endpoint_write(ep, sig + done * PERIOD * CHANNELS,
							   PERIOD), PERIOD);
	}
	io_endpoint_close(ep);
	assert_int_equal(sndfile_read_back(path, IO_FMT_S16_LE, back, PERIODS * PERIOD, &info),
			 PERIODS * PERIOD);
	assert_memory_equal(back, sig, sizeof(sig));
}

static void test_bad_files_and_options_fail_cleanly(void **state)
{
	struct io_params cap = params(IO_DIR_CAPTURE, IO_FMT_S16_LE, IO_FLAG_FREE_RUN);
	struct io_params play = params(IO_DIR_PLAYBACK, IO_FMT_S16_LE, IO_FLAG_FREE_RUN);
	static int16_t sig[PERIOD * CHANNELS];
	struct io_endpoint *ep;
	char path[128], spec[160];
	FILE *f;

	assert_int_equal(io_endpoint_open("file", &cap, &ep), -EINVAL);
	snprintf(spec, sizeof(spec), "file:%s/missing.wav", tmpdir);
	assert_int_equal(io_endpoint_open(spec, &cap, &ep), -ENOENT);
	assert_int_equal(io_endpoint_open("file:/nonexistent-dir/x.wav", &play, &ep), -ENOENT);
	snprintf(spec, sizeof(spec), "file:%s/out.wav?loop", tmpdir);
	assert_int_equal(io_endpoint_open(spec, &play, &ep), -EINVAL);
	snprintf(spec, sizeof(spec), "file:%s/out.wav?shuffle", tmpdir);
	assert_int_equal(io_endpoint_open(spec, &play, &ep), -EINVAL);

	/* Not a sound file. */
	path_for(path, sizeof(path), "junk.wav");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is not a RIFF file at all, just text", f);
	fclose(f);
	snprintf(spec, sizeof(spec), "file:%s", path);
	assert_int_equal(io_endpoint_open(spec, &cap, &ep), -EINVAL);

	/* Rate and channel count must match the stream. */
	path_for(path, sizeof(path), "stereo48k.wav");
	write_file(path, IO_FMT_S16_LE, sig, PERIOD);
	snprintf(spec, sizeof(spec), "file:%s", path);
	cap.rate = 44100;
	assert_int_equal(io_endpoint_open(spec, &cap, &ep), -EINVAL);
	cap.rate = RATE;
	cap.channels = 1;
	assert_int_equal(io_endpoint_open(spec, &cap, &ep), -EINVAL);
	cap.channels = CHANNELS;
	assert_int_equal(io_endpoint_open(spec, &cap, &ep), 0);
	io_endpoint_close(ep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_playback_s16_lands_bit_exact_in_a_16_bit_wav),
		cmocka_unit_test(test_playback_s24_lands_bit_exact_in_a_24_bit_wav),
		cmocka_unit_test(test_playback_s32_lands_bit_exact_in_a_32_bit_wav),
		cmocka_unit_test(test_playback_float_lands_bit_exact_in_a_float_wav),
		cmocka_unit_test(test_capture_gives_the_file_then_silence_and_eof),
		cmocka_unit_test(test_capture_with_loop_starts_the_file_over),
		cmocka_unit_test(test_capture_converts_sample_format_through_libsndfile),
		cmocka_unit_test(test_clocked_playback_writes_every_period_it_was_given),
		cmocka_unit_test(test_bad_files_and_options_fail_cleanly),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
