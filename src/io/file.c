// SPDX-License-Identifier: MIT
/*
 * The file endpoint (libsndfile).
 *
 * Playback writes a WAV file whose sample format follows the stream: S16_LE -> 16-bit PCM,
 * S24_4LE -> 24-bit PCM, S32_LE -> 32-bit PCM, FLOAT -> 32-bit float, so what the engine
 * writes is stored bit-exactly. The header is finished when the endpoint is closed.
 *
 * Capture reads any file libsndfile can read whose rate and channel count match the stream
 * (nothing is resampled or remixed here: a mismatch fails the open with -EINVAL); libsndfile
 * converts the sample format. After the last frame the endpoint delivers silence and
 * reports eof, or with "?loop" starts again from the first frame.
 *
 * Both are paced by the timerfd virtual device of clock.c, or free-running.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "io/internal.h"
#include "util/compiler.h"
#include "util/log.h"

struct io_file {
	struct io_endpoint base;
	struct io_vclock clock;
	SNDFILE *sf;
	bool loop;
	bool eof;
	int32_t *scratch;	/* one buffer of S24_4LE <-> libsndfile int samples */
	uint32_t scratch_frames;
};

static struct io_file *to_file(struct io_endpoint *ep)
{
	return vadsp_container_of(ep, struct io_file, base);
}

static int file_subformat(enum io_format fmt)
{
	switch (fmt) {
	case IO_FMT_S16_LE:
		return SF_FORMAT_PCM_16;
	case IO_FMT_S24_4LE:
		return SF_FORMAT_PCM_24;
	case IO_FMT_S32_LE:
		return SF_FORMAT_PCM_32;
	case IO_FMT_FLOAT:
		return SF_FORMAT_FLOAT;
	}
	return 0;
}

static int file_open(const struct io_spec *spec, const struct io_params *params,
		     struct io_endpoint **out)
{
	static const char *const known[] = { "loop", NULL };
	bool capture = params->direction == IO_DIR_CAPTURE;
	SF_INFO info = { 0 };
	struct io_file *f;
	int ret;

	if (!spec->arg || io_spec_check_opts(spec, known) < 0)
		return -EINVAL;
	if (io_spec_opt(spec, "loop") && !capture)
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	io_base_init(&f->base, &io_file_ops, params);
	f->loop = io_spec_opt(spec, "loop") != NULL;
	ret = io_vclock_init(&f->clock, params);
	if (ret < 0)
		goto err_free;

	if (params->format == IO_FMT_S24_4LE) {
		/* Free-running transfers are not bounded by the buffer; convert in pieces. */
		f->scratch_frames = params->period_frames * params->periods;
		f->scratch = calloc((size_t)f->scratch_frames * params->channels,
				    sizeof(*f->scratch));
		ret = -ENOMEM;
		if (!f->scratch)
			goto err_clock;
	}

	errno = 0;
	if (capture) {
		f->sf = sf_open(spec->arg, SFM_READ, &info);
	} else {
		info.samplerate = (int)params->rate;
		info.channels = (int)params->channels;
		info.format = SF_FORMAT_WAV | file_subformat(params->format);
		f->sf = sf_open(spec->arg, SFM_WRITE, &info);
	}
	if (!f->sf) {
		/* A system error keeps the errno of the failed open(); anything else is a file
		 * libsndfile cannot read or a format it cannot write. */
		int err = errno;

		vadsp_err("io", "file %s: %s", spec->arg, sf_strerror(NULL));
		ret = sf_error(NULL) == SF_ERR_SYSTEM && err > 0 ? -err : -EINVAL;
		goto err_scratch;
	}
	if (capture && (info.samplerate != (int)params->rate ||
			info.channels != (int)params->channels)) {
		vadsp_err("io", "file %s: %d Hz %d channels, the stream wants %u Hz %u channels",
			  spec->arg, info.samplerate, info.channels, params->rate,
			  params->channels);
		ret = -EINVAL;
		goto err_sf;
	}
	*out = &f->base;
	return 0;

err_sf:
	sf_close(f->sf);
err_scratch:
	free(f->scratch);
err_clock:
	io_vclock_fini(&f->clock);
err_free:
	free(f);
	return ret;
}

static void file_close(struct io_endpoint *ep)
{
	struct io_file *f = to_file(ep);

	sf_close(f->sf);
	free(f->scratch);
	io_vclock_fini(&f->clock);
	free(f);
}

static int file_start(struct io_endpoint *ep)
{
	return io_vclock_start(&to_file(ep)->clock);
}

static int file_stop(struct io_endpoint *ep)
{
	io_vclock_stop(&to_file(ep)->clock);
	return 0;
}

static int file_clock_fd(struct io_endpoint *ep)
{
	return to_file(ep)->clock.fd;
}

static int file_clock_ack(struct io_endpoint *ep)
{
	return io_vclock_ack(&to_file(ep)->clock);
}

static int file_avail(struct io_endpoint *ep)
{
	return io_vclock_avail(&to_file(ep)->clock);
}

/* Write @frames frames; return the count libsndfile took. */
static sf_count_t file_put(struct io_file *f, const void *buf, uint32_t frames)
{
	uint32_t ch = f->base.params.channels;

	switch (f->base.params.format) {
	case IO_FMT_S16_LE:
		return sf_writef_short(f->sf, buf, frames);
	case IO_FMT_S32_LE:
		return sf_writef_int(f->sf, buf, frames);
	case IO_FMT_FLOAT:
		return sf_writef_float(f->sf, buf, frames);
	case IO_FMT_S24_4LE: {
		/* libsndfile's int is full scale: move the 24 bits to the top. */
		const int32_t *in = buf;
		sf_count_t done = 0;

		while (frames) {
			uint32_t n = VADSP_MIN(frames, f->scratch_frames);
			sf_count_t got;

			for (uint32_t i = 0; i < n * ch; i++)
				f->scratch[i] = (int32_t)((uint32_t)in[i] << 8);
			got = sf_writef_int(f->sf, f->scratch, n);
			done += got;
			if (got != n)
				break;
			in += (size_t)n * ch;
			frames -= n;
		}
		return done;
	}
	}
	return 0;
}

/* Read up to @frames frames; return the count libsndfile gave. */
static sf_count_t file_get(struct io_file *f, void *buf, uint32_t frames)
{
	uint32_t ch = f->base.params.channels;

	switch (f->base.params.format) {
	case IO_FMT_S16_LE:
		return sf_readf_short(f->sf, buf, frames);
	case IO_FMT_S32_LE:
		return sf_readf_int(f->sf, buf, frames);
	case IO_FMT_FLOAT:
		return sf_readf_float(f->sf, buf, frames);
	case IO_FMT_S24_4LE: {
		int32_t *out = buf;
		sf_count_t done = 0;

		while (frames) {
			uint32_t n = VADSP_MIN(frames, f->scratch_frames);
			sf_count_t got = sf_readf_int(f->sf, f->scratch, n);

			if (got <= 0)
				break;
			/* Arithmetic shift: the result is sign-extended from bit 23. */
			for (sf_count_t i = 0; i < got * ch; i++)
				out[i] = f->scratch[i] >> 8;
			done += got;
			if (got != n)
				break;
			out += (size_t)n * ch;
			frames -= n;
		}
		return done;
	}
	}
	return 0;
}

static int file_write(struct io_endpoint *ep, const void *buf, uint32_t frames)
{
	struct io_file *f = to_file(ep);
	int ret = io_vclock_take(&f->clock, frames);

	if (ret < 0)
		return ret;
	if (file_put(f, buf, frames) != (sf_count_t)frames)
		return -EIO;
	return (int)frames;
}

static int file_read(struct io_endpoint *ep, void *buf, uint32_t frames)
{
	struct io_file *f = to_file(ep);
	uint8_t *out = buf;
	uint32_t left = frames;
	bool rewound = false;
	int ret = io_vclock_take(&f->clock, frames);

	if (ret < 0)
		return ret;
	while (left && !f->eof) {
		sf_count_t got = file_get(f, out, left);

		if (got < 0)
			return -EIO;
		if (got > 0) {
			out += (size_t)got * ep->frame_bytes;
			left -= (uint32_t)got;
			rewound = false;
			continue;
		}
		/* End of the file: start over, unless that just happened and gave nothing
		 * (an empty file), or give silence from now on. */
		if (f->loop && !rewound && sf_seek(f->sf, 0, SEEK_SET) == 0) {
			rewound = true;
			continue;
		}
		f->eof = true;
	}
	if (left)
		io_fill_silence(out, left, ep->frame_bytes);
	return (int)frames;
}

static int file_delay(struct io_endpoint *ep, int64_t *frames)
{
	*frames = io_vclock_delay(&to_file(ep)->clock);
	return 0;
}

static uint64_t file_xruns(struct io_endpoint *ep)
{
	return to_file(ep)->clock.xruns;
}

static bool file_eof(struct io_endpoint *ep)
{
	return to_file(ep)->eof;
}

const struct io_endpoint_ops io_file_ops = {
	.kind = "file",
	.free_run = true,
	.open = file_open,
	.close = file_close,
	.start = file_start,
	.stop = file_stop,
	.clock_fd = file_clock_fd,
	.clock_ack = file_clock_ack,
	.avail = file_avail,
	.write = file_write,
	.read = file_read,
	.delay = file_delay,
	.xruns = file_xruns,
	.eof = file_eof,
};
