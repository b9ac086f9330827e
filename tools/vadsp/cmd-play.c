// SPDX-License-Identifier: MIT
/*
 * `vadsp play SOCKET [--stream N] FILE.wav`: play a sound file into a virtio-snd device as
 * its guest does: SET_PARAMS and PREPARE, the first buffer of period-sized I/O messages
 * queued, START, then each completed message refilled and sent again until the file ends,
 * the rest drained, STOP and RELEASE.
 *
 * With --sof the guest is DSP-aware (guest/sof.h, docs/protocol.md section 4): it
 * negotiates the SOF IPC3 extension, fetches and loads its topology, and plays through the
 * topology PCM's host component (PCM_PARAMS, TRIG_START, the same I/O messages under the
 * stream id of the reply, TRIG_STOP, PCM_FREE). --record FILE then also records the same
 * PCM's capture at the same time, for as many frames as the file has (duplex).
 *
 * The stream's format is the file's when the stream offers it (16, 24 or 32-bit integer,
 * float), else the first of S16, S32, S24, FLOAT it offers; libsndfile converts. The file's
 * rate and channel count must be ones the stream offers: nothing is resampled or remixed.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "vadsp.h"
#include "audio-file.h"
#include "guest/guest.h"
#include "guest/sof.h"
#include "util/compiler.h"
#include "util/le.h"

/* Longest wait for one message while the stream runs. */
#define PLAY_STALL_MS	5000
/* How often an interrupted wait looks at the signal flag. */
#define PLAY_POLL_MS	200

static volatile sig_atomic_t play_interrupted;

static void play_on_signal(int sig)
{
	(void)sig;
	play_interrupted = 1;
}

static void play_help(FILE *out)
{
	fputs("Usage: vadsp play [OPTION]... SOCKET FILE\n"
	      "Play the sound file FILE (WAV, or any format libsndfile reads) into the\n"
	      "vhost-user sound device at SOCKET, as its guest: period-sized I/O messages on\n"
	      "the tx queue, each refilled when the device completes it.\n"
	      "\n"
	      "  -s, --stream=N        the playback stream (default: the first one)\n"
	      "  -f, --format=FORMAT   S16, S24, S32 or FLOAT (default: the file's when the\n"
	      "                        stream offers it)\n"
	      "  -p, --period-ms=MS    period length in milliseconds (default 10)\n"
	      "  -n, --periods=N       periods in the buffer (default 4)\n"
	      "  -S, --sof             be a DSP-aware guest: negotiate vadsp's SOF IPC3\n"
	      "                        extension, load the guest topology the host supplies\n"
	      "                        and play through a PCM of it (vadspd: sof = yes)\n"
	      "  -P, --pcm=NAME        with --sof: the topology PCM (default: the first with\n"
	      "                        playback)\n"
	      "  -R, --record=FILE     with --sof: record the PCM's capture into the WAV file\n"
	      "                        FILE at the same time, as many frames as FILE plays\n"
	      "  -h, --help            print this help and exit\n"
	      "\n"
	      "The file's rate and channel count must be ones the stream offers. On success\n"
	      "prints \"played N frames ...\" (with --record also \"recorded N frames ...\");\n"
	      "SIGINT or SIGTERM stops early (still exit 0).\n"
	      "Exit status: 0 success, 1 failure, 2 usage error.\n", out);
}

static int parse_format(const char *s, uint8_t *f)
{
	static const struct {
		const char *name;
		uint8_t format;
	} names[] = {
		{ "S16", VIRTIO_SND_PCM_FMT_S16 }, { "S24", VIRTIO_SND_PCM_FMT_S24 },
		{ "S32", VIRTIO_SND_PCM_FMT_S32 }, { "FLOAT", VIRTIO_SND_PCM_FMT_FLOAT },
	};

	for (size_t i = 0; i < VADSP_ARRAY_SIZE(names); i++) {
		if (!strcmp(s, names[i].name)) {
			*f = names[i].format;
			return 0;
		}
	}
	return -EINVAL;
}

struct play_opts {
	bool sof;
	const char *pcm;
	const char *record;
	int stream;
	int format;		/* -1: from the file */
	uint32_t period_ms;
	unsigned int periods;
	const char *socket;
	const char *file;
};

static int play_parse(int argc, char **argv, struct play_opts *o)
{
	static const struct option longopts[] = {
		{ "stream", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "period-ms", required_argument, NULL, 'p' },
		{ "periods", required_argument, NULL, 'n' },
		{ "sof", no_argument, NULL, 'S' },
		{ "pcm", required_argument, NULL, 'P' },
		{ "record", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	uint8_t f;
	int ch;

	*o = (struct play_opts){ .stream = -1, .format = -1, .period_ms = 10, .periods = 4 };
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":s:f:p:n:SP:R:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (vadsp_parse_uint(optarg, 0, 1023, &v) < 0) {
				fprintf(stderr, "vadsp play: --stream: '%s' is not a stream id\n",
					optarg);
				return VADSP_EXIT_USAGE;
			}
			o->stream = (int)v;
			break;
		case 'f':
			if (parse_format(optarg, &f) < 0) {
				fprintf(stderr, "vadsp play: --format: '%s' is not S16, S24, S32 "
					"or FLOAT\n", optarg);
				return VADSP_EXIT_USAGE;
			}
			o->format = f;
			break;
		case 'p':
			if (vadsp_parse_uint(optarg, 1, 1000, &v) < 0) {
				fprintf(stderr, "vadsp play: --period-ms: '%s' is not 1 to 1000\n",
					optarg);
				return VADSP_EXIT_USAGE;
			}
			o->period_ms = (uint32_t)v;
			break;
		case 'n':
			if (vadsp_parse_uint(optarg, 2, 64, &v) < 0) {
				fprintf(stderr, "vadsp play: --periods: '%s' is not 2 to 64\n",
					optarg);
				return VADSP_EXIT_USAGE;
			}
			o->periods = (unsigned int)v;
			break;
		case 'S':
			o->sof = true;
			break;
		case 'P':
			o->pcm = optarg;
			break;
		case 'R':
			o->record = optarg;
			break;
		case 'h':
			play_help(stdout);
			return -1;
		case ':':
			fprintf(stderr, "vadsp play: option '%s' needs a value\n",
				argv[optind - 1]);
			return VADSP_EXIT_USAGE;
		default:
			fprintf(stderr, "vadsp play: unknown option '%s' (see --help)\n",
				argv[optind - 1]);
			return VADSP_EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "vadsp play: give SOCKET and FILE (see --help)\n");
		return VADSP_EXIT_USAGE;
	}
	if (!o->sof && (o->pcm || o->record)) {
		fprintf(stderr, "vadsp play: --pcm and --record need --sof\n");
		return VADSP_EXIT_USAGE;
	}
	if (o->sof && o->stream >= 0) {
		fprintf(stderr, "vadsp play: --stream is for the plain device; with --sof give "
			"--pcm\n");
		return VADSP_EXIT_USAGE;
	}
	o->socket = argv[optind];
	o->file = argv[optind + 1];
	return 0;
}

/* Wait for the oldest message. Return 1, 0 when interrupted, or -errno. */
static int play_reap(struct vguest_io *io)
{
	struct vguest_io_done done;
	int waited = 0;

	for (;;) {
		int ret = vguest_io_reap(io, &done, PLAY_POLL_MS);

		if (ret < 0)
			return ret;
		if (ret > 0)
			break;
		if (play_interrupted)
			return 0;
		waited += PLAY_POLL_MS;
		if (waited >= PLAY_STALL_MS)
			return -ETIMEDOUT;
	}
	if (done.status != VIRTIO_SND_S_OK) {
		fprintf(stderr, "vadsp play: the device completed a message with status 0x%04x\n",
			done.status);
		return -EIO;
	}
	return 1;
}

static int play(struct vguest *g, const struct play_opts *o, SNDFILE *sf, const SF_INFO *info)
{
	const struct vguest_card *card = vguest_card(g);
	struct vguest_pcm_params p;
	struct vguest_want want = { 0 };
	struct vguest_io *io = NULL;
	uint8_t formats[2];
	uint32_t frame_bytes, period_frames, *sizes = NULL;
	uint64_t played = 0;
	unsigned int head = 0;
	bool started = false, eof = false;
	void *buf = NULL;
	char why[160];
	int stream, ret;

	stream = vguest_stream_pick(card, VIRTIO_SND_D_OUTPUT, o->stream);
	if (stream < 0) {
		fprintf(stderr, "vadsp play: %s\n", stream == -EINVAL ?
			"that stream is a capture stream" : "no such playback stream");
		return VADSP_EXIT_FAIL;
	}
	formats[0] = o->format >= 0 ? (uint8_t)o->format : vadsp_file_format(info->format);
	want = (struct vguest_want){
		.rate_hz = (uint32_t)info->samplerate,
		.channels = (unsigned int)info->channels,
		.formats = formats,
		.num_formats = 1,
		.period_us = o->period_ms * 1000,
		.periods = o->periods,
	};
	ret = vguest_params_choose(&card->streams[stream], &want, &p, why, sizeof(why));
	if (ret < 0 && o->format < 0) {
		want.num_formats = 0;	/* any format the stream offers: libsndfile converts */
		ret = vguest_params_choose(&card->streams[stream], &want, &p, why, sizeof(why));
	}
	if (ret < 0) {
		fprintf(stderr, "vadsp play: stream %d cannot play %s: %s\n", stream, o->file, why);
		return VADSP_EXIT_FAIL;
	}
	frame_bytes = p.channels * vguest_format_bytes(p.format);
	period_frames = p.period_bytes / frame_bytes;
	ret = vguest_pcm_set_params(g, (uint32_t)stream, &p);
	if (ret == 0)
		ret = vguest_pcm_prepare(g, (uint32_t)stream);
	if (ret < 0) {
		fprintf(stderr, "vadsp play: stream %d refused %s %u Hz %u ch, period %u bytes: "
			"%s\n", stream, vguest_format_name(p.format), vguest_rate_hz(p.rate),
			p.channels, p.period_bytes, strerror(-ret));
		return VADSP_EXIT_FAIL;
	}
	ret = vguest_io_open(g, (uint32_t)stream, p.period_bytes, o->periods, &io);
	buf = malloc(p.period_bytes);
	sizes = calloc(o->periods, sizeof(*sizes));
	if (ret < 0 || !buf || !sizes) {
		fprintf(stderr, "vadsp play: cannot set up the I/O messages: %s\n",
			strerror(ret < 0 ? -ret : ENOMEM));
		ret = -ENOMEM;
		goto out;
	}
	while (!play_interrupted) {
		/* Fill every free message; start once the buffer is full (or the file ended). */
		while (!eof && vguest_io_in_flight(io) < o->periods) {
			sf_count_t n = vadsp_file_read(sf, p.format, buf, period_frames, p.channels);
			unsigned int slot = (head + vguest_io_in_flight(io)) % o->periods;

			if (n <= 0) {
				eof = true;
				break;
			}
			ret = vguest_io_submit(io, buf, (uint32_t)n * frame_bytes);
			if (ret < 0)
				goto out;
			sizes[slot] = (uint32_t)n;
		}
		if (!started && vguest_io_in_flight(io)) {
			ret = vguest_pcm_start(g, (uint32_t)stream);
			if (ret < 0) {
				fprintf(stderr, "vadsp play: START refused: %s\n", strerror(-ret));
				goto out;
			}
			started = true;
		}
		if (!vguest_io_in_flight(io))
			break;
		ret = play_reap(io);
		if (ret < 0)
			goto out;
		if (ret == 0)
			break;
		/* A playback message is consumed whole: its frames are the ones submitted. */
		played += sizes[head];
		head = (head + 1) % o->periods;
	}
	ret = 0;
out:
	if (ret == -ETIMEDOUT)
		fprintf(stderr, "vadsp play: the device completed nothing for %d ms\n",
			PLAY_STALL_MS);
	else if (ret < 0 && ret != -EIO && ret != -ENOMEM)
		fprintf(stderr, "vadsp play: %s\n", strerror(-ret));
	if (started)
		vguest_pcm_stop(g, (uint32_t)stream);
	vguest_pcm_release(g, (uint32_t)stream);
	/* RELEASE gave back what was still queued (an interrupted run). */
	if (io) {
		struct vguest_io_done done;

		while (vguest_io_in_flight(io) && vguest_io_reap(io, &done, 1000) > 0)
			;
	}
	vguest_io_close(io);
	free(buf);
	free(sizes);
	if (ret == 0)
		printf("played %" PRIu64 " frames (%s, %u Hz, %u channels, %u-frame periods) on "
		       "stream %d%s\n", played, vguest_format_name(p.format),
		       vguest_rate_hz(p.rate), p.channels, period_frames, stream,
		       play_interrupted ? ", interrupted" : "");
	return ret == 0 ? VADSP_EXIT_OK : VADSP_EXIT_FAIL;
}

/* --- --sof: a DSP-aware guest */

/* The capture half of a duplex run. */
struct sof_capture {
	struct vguest_sof_stream *st;
	struct vguest_io *io;
	SNDFILE *sf;
	struct vguest_sof_params p;
	uint32_t frame_bytes;
	uint64_t want;		/* frames to record */
	uint64_t recorded;
	uint64_t asked;		/* frames of the messages submitted */
	void *buf;
};

/* Queue empty messages while frames are still wanted. */
static int sof_capture_fill(struct sof_capture *c)
{
	uint32_t period_frames = c->p.period_bytes / c->frame_bytes;

	while (c->asked < c->want && vguest_io_in_flight(c->io) < c->p.periods) {
		int ret = vguest_io_submit(c->io, NULL, c->p.period_bytes);

		if (ret < 0)
			return ret;
		c->asked += period_frames;
	}
	return 0;
}

/* Write every completed capture message out (waiting @timeout_ms for the first); refill. */
static int sof_capture_step(struct sof_capture *c, int timeout_ms)
{
	struct vguest_io_done done;
	int ret;

	while (vguest_io_in_flight(c->io) &&
	       (ret = vguest_io_reap(c->io, &done, timeout_ms)) != 0) {
		uint64_t frames;

		if (ret < 0)
			return ret;
		if (done.status != VIRTIO_SND_S_OK) {
			fprintf(stderr, "vadsp play: a capture message came back with status "
				"0x%04x\n", done.status);
			return -EIO;
		}
		frames = VADSP_MIN((uint64_t)done.bytes / c->frame_bytes, c->want - c->recorded);
		memcpy(c->buf, done.data, frames * c->frame_bytes);
		if (vadsp_file_write(c->sf, vadsp_virtio_format(c->p.frame_fmt), c->buf, (sf_count_t)frames,
				     c->p.channels) != (sf_count_t)frames) {
			fprintf(stderr, "vadsp play: %s\n", sf_strerror(c->sf));
			return -EIO;
		}
		c->recorded += frames;
		timeout_ms = 0;
	}
	return sof_capture_fill(c);
}

/* Open the capture half: the same PCM's capture, the playback's parameters. */
static int sof_capture_open(struct vguest_sof *s, unsigned int pcm,
			    const struct vguest_sof_params *p, const char *file, uint64_t want,
			    struct sof_capture *c)
{
	SF_INFO info = { 0 };
	int ret;

	c->p = *p;
	c->frame_bytes = vguest_sof_frame_bytes(p);
	c->want = want;
	info.samplerate = (int)p->rate;
	info.channels = (int)p->channels;
	info.format = SF_FORMAT_WAV | vadsp_file_subformat(vadsp_virtio_format(p->frame_fmt));
	c->sf = sf_open(file, SFM_WRITE, &info);
	if (!c->sf) {
		fprintf(stderr, "vadsp play: %s: %s\n", file, sf_strerror(NULL));
		return -EIO;
	}
	c->buf = malloc(p->period_bytes);
	if (!c->buf)
		return -ENOMEM;
	ret = vguest_sof_stream_open(s, pcm, TPLG_MODEL_CAPTURE, p, &c->st);
	if (ret < 0) {
		fprintf(stderr, "vadsp play: the capture of PCM '%s' refused %s %u Hz %u ch: %s\n",
			vguest_sof_model(s)->pcms[pcm].name,
			vguest_sof_frame_fmt_name(p->frame_fmt), p->rate, p->channels,
			strerror(-ret));
		return ret;
	}
	c->io = vguest_sof_stream_io(c->st);
	return sof_capture_fill(c);
}

static int sof_capture_close(struct sof_capture *c)
{
	int ret = 0;

	if (c->st) {
		vguest_sof_stream_trigger(c->st, IPC3_STREAM_TRIG_STOP);
		vguest_sof_stream_close(c->st);
	}
	if (c->sf && sf_close(c->sf) != 0)
		ret = -EIO;
	free(c->buf);
	return ret;
}

/* After an xrun the DSP may have stopped the stream: restart it, as ALSA recovers. */
static int sof_recover(struct vguest_sof_stream *st, const char *what)
{
	struct vguest_sof_stream_status status;
	int ret = vguest_sof_stream_recover(st);

	if (ret > 0) {
		vguest_sof_stream_status(st, &status);
		fprintf(stderr, "vadsp play: %s xrun (%d bytes) at byte %" PRIu64 ": restarted\n",
			what, status.xrun.xrun_size, status.xrun.host_posn);
	} else if (ret < 0) {
		fprintf(stderr, "vadsp play: the %s did not restart after an xrun: %s\n", what,
			strerror(-ret));
	}
	return ret;
}

static int play_sof(struct vguest_sof *s, const struct play_opts *o, SNDFILE *sf,
		    const SF_INFO *info)
{
	struct vguest_sof_params p;
	struct vguest_sof_want want;
	struct vguest_sof_stream *st = NULL;
	struct vguest_sof_stream_status status;
	struct sof_capture cap = { 0 };
	struct vguest_io_done done;
	struct vguest_io *io;
	uint32_t fmts[1], frame_bytes, period_frames, *sizes = NULL;
	uint64_t played = 0;
	uint32_t stream_id, comp_id;
	unsigned int head = 0;
	bool started = false, eof = false;
	int64_t waited = 0;
	void *buf = NULL;
	char why[160];
	int pcm, ret;

	pcm = vguest_sof_pcm_find(s, o->pcm, TPLG_MODEL_PLAYBACK);
	if (pcm < 0 || (o->record && vguest_sof_pcm_find(s, vguest_sof_model(s)->pcms[pcm].name,
							  TPLG_MODEL_CAPTURE) != pcm)) {
		fprintf(stderr, "vadsp play: the topology has no PCM %s%s%swith playback%s\n",
			o->pcm ? "'" : "", o->pcm ? o->pcm : "", o->pcm ? "' " : "",
			o->record ? " and capture" : "");
		return VADSP_EXIT_FAIL;
	}
	fmts[0] = vadsp_ipc3_frame_fmt(o->format >= 0 ? (uint8_t)o->format : vadsp_file_format(info->format));
	want = (struct vguest_sof_want){
		.rate = (uint32_t)info->samplerate, .channels = (uint32_t)info->channels,
		.frame_fmts = fmts, .num_fmts = 1, .period_us = o->period_ms * 1000,
		.periods = o->periods,
	};
	ret = vguest_sof_params_choose(s, (unsigned int)pcm, TPLG_MODEL_PLAYBACK, &want, &p, why,
				       sizeof(why));
	if (ret == -ENOTSUP && o->format < 0) {
		want.num_fmts = 0;	/* any format the PCM allows: libsndfile converts */
		ret = vguest_sof_params_choose(s, (unsigned int)pcm, TPLG_MODEL_PLAYBACK, &want,
					       &p, why, sizeof(why));
	}
	if (ret < 0) {
		fprintf(stderr, "vadsp play: PCM '%s' cannot play %s: %s\n",
			vguest_sof_model(s)->pcms[pcm].name, o->file, why);
		return VADSP_EXIT_FAIL;
	}
	frame_bytes = vguest_sof_frame_bytes(&p);
	period_frames = p.period_bytes / frame_bytes;
	ret = vguest_sof_stream_open(s, (unsigned int)pcm, TPLG_MODEL_PLAYBACK, &p, &st);
	if (ret < 0) {
		fprintf(stderr, "vadsp play: PCM '%s' refused %s %u Hz %u ch, period %u bytes: "
			"%s\n", vguest_sof_model(s)->pcms[pcm].name,
			vguest_sof_frame_fmt_name(p.frame_fmt), p.rate, p.channels,
			p.period_bytes, strerror(-ret));
		return VADSP_EXIT_FAIL;
	}
	io = vguest_sof_stream_io(st);
	buf = malloc(p.period_bytes);
	sizes = calloc(p.periods, sizeof(*sizes));
	if (!buf || !sizes) {
		ret = -ENOMEM;
		goto out;
	}
	if (o->record) {
		ret = sof_capture_open(s, (unsigned int)pcm, &p, o->record,
				       info->frames > 0 ? (uint64_t)info->frames : 0, &cap);
		if (ret < 0)
			goto out;
	}
	while (!play_interrupted) {
		/* Fill every free message; start once the buffer is full (or the file ended). */
		while (!eof && vguest_io_in_flight(io) < p.periods) {
			sf_count_t n = vadsp_file_read(sf, vadsp_virtio_format(p.frame_fmt), buf,
						   period_frames, p.channels);
			unsigned int slot = (head + vguest_io_in_flight(io)) % p.periods;

			if (n <= 0) {
				eof = true;
				break;
			}
			ret = vguest_io_submit(io, buf, (uint32_t)n * frame_bytes);
			if (ret < 0)
				goto out;
			sizes[slot] = (uint32_t)n;
		}
		if (!started && vguest_io_in_flight(io)) {
			ret = vguest_sof_stream_trigger(st, IPC3_STREAM_TRIG_START);
			if (ret == 0 && cap.st)
				ret = vguest_sof_stream_trigger(cap.st, IPC3_STREAM_TRIG_START);
			if (ret < 0) {
				fprintf(stderr, "vadsp play: TRIG_START refused: %s\n",
					strerror(-ret));
				goto out;
			}
			started = true;
		}
		/* Everything played: the stream runs dry now until TRIG_STOP, and the xrun that
		 * may bring is the end of the file, not one to count (or recover from). */
		if (eof && !vguest_io_in_flight(io) && !cap.st)
			break;
		ret = vguest_sof_events(s, 0);
		if (ret >= 0)
			ret = sof_recover(st, "playback");
		if (ret >= 0 && cap.st)
			ret = sof_recover(cap.st, "capture");
		if (ret < 0)
			goto out;
		if (cap.st) {
			ret = sof_capture_step(&cap, 0);
			if (ret < 0)
				goto out;
		}
		if (!vguest_io_in_flight(io)) {
			/* Played: the capture goes on until it has as many frames. */
			if (!cap.st || cap.recorded >= cap.want || !vguest_io_in_flight(cap.io))
				break;
			ret = sof_capture_step(&cap, PLAY_POLL_MS);
			if (ret < 0)
				goto out;
			continue;
		}
		ret = vguest_io_reap(io, &done, cap.st ? 2 : PLAY_POLL_MS);
		if (ret < 0)
			goto out;
		if (ret == 0) {
			waited += cap.st ? 2 : PLAY_POLL_MS;
			if (waited >= PLAY_STALL_MS) {
				ret = -ETIMEDOUT;
				goto out;
			}
			continue;
		}
		waited = 0;
		if (done.status != VIRTIO_SND_S_OK) {
			ret = -EIO;
			goto out;
		}
		/* A playback message is consumed whole: its frames are the ones submitted. */
		played += sizes[head];
		head = (head + 1) % p.periods;
	}
	ret = 0;
out:
	vguest_sof_stream_status(st, &status);
	if (ret == -ETIMEDOUT)
		fprintf(stderr, "vadsp play: the device completed nothing for %d ms (after %"
			PRIu64 " frames, %s; %" PRIu64 " positions, the last at byte %" PRIu64
			", %" PRIu64 " xruns)\n", PLAY_STALL_MS, played,
			started ? "started" : "not started", status.positions,
			status.posn.host_posn, status.xruns);
	else if (ret == -EIO)
		fprintf(stderr, "vadsp play: the device completed a message with an error\n");
	else if (ret < 0)
		fprintf(stderr, "vadsp play: %s\n", strerror(-ret));
	if (started)
		vguest_sof_stream_trigger(st, IPC3_STREAM_TRIG_STOP);
	stream_id = vguest_sof_stream_id(st);
	comp_id = vguest_sof_stream_comp_id(st);
	vguest_sof_stream_close(st);	/* PCM_FREE gives back what was still queued */
	if (sof_capture_close(&cap) < 0 && ret == 0) {
		fprintf(stderr, "vadsp play: %s: cannot finish the file\n", o->record);
		ret = -EIO;
	}
	free(buf);
	free(sizes);
	if (ret == 0) {
		printf("played %" PRIu64 " frames (%s, %u Hz, %u channels, %u-frame periods) on "
		       "PCM '%s' (SOF stream %u, host component %u), %" PRIu64 " positions, "
		       "%" PRIu64 " xruns%s\n", played, vguest_sof_frame_fmt_name(p.frame_fmt),
		       p.rate, p.channels, period_frames, vguest_sof_model(s)->pcms[pcm].name,
		       stream_id, comp_id, status.positions,
		       status.xruns, play_interrupted ? ", interrupted" : "");
		if (o->record)
			printf("recorded %" PRIu64 " frames to %s\n", cap.recorded, o->record);
	}
	return ret == 0 ? VADSP_EXIT_OK : VADSP_EXIT_FAIL;
}

static int play_run(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = play_on_signal };
	struct play_opts o;
	struct vguest_options gopts = { 0 };
	struct vguest_sof *s = NULL;
	struct vguest *g;
	SF_INFO info = { 0 };
	SNDFILE *sf;
	int ret;

	ret = play_parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? VADSP_EXIT_OK : ret;
	sf = sf_open(o.file, SFM_READ, &info);
	if (!sf) {
		fprintf(stderr, "vadsp play: %s: %s\n", o.file, sf_strerror(NULL));
		return VADSP_EXIT_FAIL;
	}
	gopts.sof_ipc3 = o.sof;
	ret = vguest_connect(&g, o.socket, &gopts);
	if (ret < 0) {
		fprintf(stderr, "vadsp play: %s: %s\n", o.socket, strerror(-ret));
		sf_close(sf);
		return VADSP_EXIT_FAIL;
	}
	if (o.sof) {
		ret = vguest_sof_open(&s, g);
		if (ret < 0) {
			fprintf(stderr, "vadsp play: %s: %s\n", o.socket,
				ret == -EOPNOTSUPP ? "the device does not offer the SOF IPC3 "
				"extension (vadspd: sof = yes)" : strerror(-ret));
			vguest_close(g);
			sf_close(sf);
			return VADSP_EXIT_FAIL;
		}
	}
	play_interrupted = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = o.sof ? play_sof(s, &o, sf, &info) : play(g, &o, sf, &info);
	vguest_sof_close(s);
	vguest_close(g);
	sf_close(sf);
	return ret;
}

const struct vadsp_cmd vadsp_cmd_play = {
	.name = "play",
	.summary = "play a sound file into a vadspd guest socket, as the guest",
	.run = play_run,
	.help = play_help,
};
