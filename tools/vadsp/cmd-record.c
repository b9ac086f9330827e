// SPDX-License-Identifier: MIT
/*
 * `vadsp record SOCKET [--stream N] [--seconds S] FILE.wav`: record from a virtio-snd
 * device as its guest does: SET_PARAMS and PREPARE, a buffer of empty period-sized I/O
 * messages queued on the rx queue, START, then each completed message written to the file
 * and queued again until enough frames came, STOP and RELEASE (which gives back what is
 * still queued).
 *
 * With --sof the guest is DSP-aware (guest/sof.h, docs/protocol.md section 4): it
 * negotiates the SOF IPC3 extension, loads the topology the host supplies, and records
 * through the capture host component of a topology PCM (PCM_PARAMS, TRIG_START, the same
 * I/O messages under the stream id of the reply, TRIG_STOP, PCM_FREE).
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

#define RECORD_STALL_MS	5000
#define RECORD_POLL_MS	200

static volatile sig_atomic_t record_interrupted;

static void record_on_signal(int sig)
{
	(void)sig;
	record_interrupted = 1;
}

static void record_help(FILE *out)
{
	fputs("Usage: vadsp record [OPTION]... SOCKET FILE\n"
	      "Record from the vhost-user sound device at SOCKET into the WAV file FILE, as its\n"
	      "guest: period-sized I/O messages on the rx queue, each written out and queued\n"
	      "again when the device has filled it.\n"
	      "\n"
	      "  -s, --stream=N        the capture stream (default: the first one)\n"
	      "  -d, --seconds=S       record S seconds (decimals allowed)\n"
	      "  -N, --frames=N        record N frames\n"
	      "                        (without either: until SIGINT or SIGTERM)\n"
	      "  -f, --format=FORMAT   S16, S24, S32 or FLOAT (default: the first of these the\n"
	      "                        stream offers)\n"
	      "  -r, --rate=HZ         frames per second (default 48000 when offered)\n"
	      "  -c, --channels=N      channels (default 2, within what the stream offers)\n"
	      "  -p, --period-ms=MS    period length in milliseconds (default 10)\n"
	      "  -n, --periods=N       periods in the buffer (default 4)\n"
	      "  -S, --sof             be a DSP-aware guest: negotiate vadsp's SOF IPC3\n"
	      "                        extension, load the guest topology the host supplies\n"
	      "                        and record through a PCM of it (vadspd: sof = yes)\n"
	      "  -P, --pcm=NAME        with --sof: the topology PCM (default: the first with\n"
	      "                        capture)\n"
	      "  -h, --help            print this help and exit\n"
	      "\n"
	      "On success prints \"recorded N frames ...\". Exit status: 0 success, 1 failure,\n"
	      "2 usage error.\n", out);
}

struct record_opts {
	bool sof;
	const char *pcm;
	int stream;
	int format;
	uint32_t rate;
	unsigned int channels;
	uint64_t frames;		/* 0: until interrupted */
	double seconds;			/* < 0: not given */
	uint32_t period_ms;
	unsigned int periods;
	const char *socket;
	const char *file;
};

static int record_usage(const char *what, const char *arg)
{
	fprintf(stderr, "vadsp record: %s '%s' (see --help)\n", what, arg);
	return VADSP_EXIT_USAGE;
}

static int record_parse(int argc, char **argv, struct record_opts *o)
{
	static const struct option longopts[] = {
		{ "stream", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 'd' },
		{ "frames", required_argument, NULL, 'N' },
		{ "format", required_argument, NULL, 'f' },
		{ "rate", required_argument, NULL, 'r' },
		{ "channels", required_argument, NULL, 'c' },
		{ "period-ms", required_argument, NULL, 'p' },
		{ "periods", required_argument, NULL, 'n' },
		{ "sof", no_argument, NULL, 'S' },
		{ "pcm", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	char *end;
	int ch;

	*o = (struct record_opts){ .stream = -1, .format = -1, .seconds = -1, .period_ms = 10,
				   .periods = 4 };
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":s:d:N:f:r:c:p:n:SP:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (vadsp_parse_uint(optarg, 0, 1023, &v) < 0)
				return record_usage("--stream: not a stream id:", optarg);
			o->stream = (int)v;
			break;
		case 'd':
			errno = 0;
			o->seconds = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(o->seconds > 0) ||
			    o->seconds > 86400.0)
				return record_usage("--seconds: not 0 to 86400 seconds:", optarg);
			break;
		case 'N':
			if (vadsp_parse_uint(optarg, 1, UINT32_MAX, &v) < 0)
				return record_usage("--frames: not a frame count:", optarg);
			o->frames = v;
			break;
		case 'f':
			if (!strcmp(optarg, "S16"))
				o->format = VIRTIO_SND_PCM_FMT_S16;
			else if (!strcmp(optarg, "S24"))
				o->format = VIRTIO_SND_PCM_FMT_S24;
			else if (!strcmp(optarg, "S32"))
				o->format = VIRTIO_SND_PCM_FMT_S32;
			else if (!strcmp(optarg, "FLOAT"))
				o->format = VIRTIO_SND_PCM_FMT_FLOAT;
			else
				return record_usage("--format: not S16, S24, S32 or FLOAT:",
						    optarg);
			break;
		case 'r':
			if (vadsp_parse_uint(optarg, 1, 384000, &v) < 0 ||
			    vguest_rate_code((uint32_t)v) < 0)
				return record_usage("--rate: not a virtio-snd rate:", optarg);
			o->rate = (uint32_t)v;
			break;
		case 'c':
			if (vadsp_parse_uint(optarg, 1, 255, &v) < 0)
				return record_usage("--channels: not 1 to 255:", optarg);
			o->channels = (unsigned int)v;
			break;
		case 'p':
			if (vadsp_parse_uint(optarg, 1, 1000, &v) < 0)
				return record_usage("--period-ms: not 1 to 1000:", optarg);
			o->period_ms = (uint32_t)v;
			break;
		case 'n':
			if (vadsp_parse_uint(optarg, 2, 64, &v) < 0)
				return record_usage("--periods: not 2 to 64:", optarg);
			o->periods = (unsigned int)v;
			break;
		case 'S':
			o->sof = true;
			break;
		case 'P':
			o->pcm = optarg;
			break;
		case 'h':
			record_help(stdout);
			return -1;
		case ':':
			return record_usage("this option needs a value:", argv[optind - 1]);
		default:
			return record_usage("unknown option", argv[optind - 1]);
		}
	}
	if (o->frames && o->seconds > 0) {
		fprintf(stderr, "vadsp record: give --seconds or --frames, not both\n");
		return VADSP_EXIT_USAGE;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "vadsp record: give SOCKET and FILE (see --help)\n");
		return VADSP_EXIT_USAGE;
	}
	if (!o->sof && o->pcm) {
		fprintf(stderr, "vadsp record: --pcm needs --sof\n");
		return VADSP_EXIT_USAGE;
	}
	if (o->sof && o->stream >= 0) {
		fprintf(stderr, "vadsp record: --stream is for the plain device; with --sof "
			"give --pcm\n");
		return VADSP_EXIT_USAGE;
	}
	o->socket = argv[optind];
	o->file = argv[optind + 1];
	return 0;
}

/* Wait for the oldest message. Return 1, 0 when interrupted, or -errno. */
static int record_reap(struct vguest_io *io, struct vguest_io_done *done)
{
	int waited = 0;

	for (;;) {
		int ret = vguest_io_reap(io, done, RECORD_POLL_MS);

		if (ret < 0)
			return ret;
		if (ret > 0)
			break;
		if (record_interrupted)
			return 0;
		waited += RECORD_POLL_MS;
		if (waited >= RECORD_STALL_MS)
			return -ETIMEDOUT;
	}
	if (done->status != VIRTIO_SND_S_OK) {
		fprintf(stderr, "vadsp record: the device completed a message with status "
			"0x%04x\n", done->status);
		return -EIO;
	}
	return 1;
}

static int record(struct vguest *g, const struct record_opts *o)
{
	const struct vguest_card *card = vguest_card(g);
	struct vguest_pcm_params p;
	struct vguest_want want;
	struct vguest_io *io = NULL;
	struct vguest_io_done done;
	SF_INFO info = { 0 };
	SNDFILE *sf = NULL;
	uint8_t format;
	uint32_t frame_bytes;
	uint64_t want_frames, recorded = 0;
	bool started = false;
	void *buf = NULL;
	char why[160];
	int stream, ret;

	stream = vguest_stream_pick(card, VIRTIO_SND_D_INPUT, o->stream);
	if (stream < 0) {
		fprintf(stderr, "vadsp record: %s\n", stream == -EINVAL ?
			"that stream is a playback stream" : "no such capture stream");
		return VADSP_EXIT_FAIL;
	}
	format = (uint8_t)o->format;
	want = (struct vguest_want){
		.rate_hz = o->rate,
		.channels = o->channels,
		.formats = &format,
		.num_formats = o->format >= 0 ? 1 : 0,
		.period_us = o->period_ms * 1000,
		.periods = o->periods,
	};
	ret = vguest_params_choose(&card->streams[stream], &want, &p, why, sizeof(why));
	if (ret < 0) {
		fprintf(stderr, "vadsp record: stream %d: %s\n", stream, why);
		return VADSP_EXIT_FAIL;
	}
	frame_bytes = p.channels * vguest_format_bytes(p.format);
	want_frames = o->frames;
	if (o->seconds > 0)
		want_frames = (uint64_t)(o->seconds * vguest_rate_hz(p.rate) + 0.5);
	if (o->seconds > 0 && !want_frames)
		want_frames = 1;
	info.samplerate = (int)vguest_rate_hz(p.rate);
	info.channels = p.channels;
	info.format = SF_FORMAT_WAV | vadsp_file_subformat(p.format);
	sf = sf_open(o->file, SFM_WRITE, &info);
	if (!sf) {
		fprintf(stderr, "vadsp record: %s: %s\n", o->file, sf_strerror(NULL));
		return VADSP_EXIT_FAIL;
	}
	ret = vguest_pcm_set_params(g, (uint32_t)stream, &p);
	if (ret == 0)
		ret = vguest_pcm_prepare(g, (uint32_t)stream);
	if (ret < 0) {
		fprintf(stderr, "vadsp record: stream %d refused %s %u Hz %u ch, period %u bytes: "
			"%s\n", stream, vguest_format_name(p.format), vguest_rate_hz(p.rate),
			p.channels, p.period_bytes, strerror(-ret));
		sf_close(sf);
		return VADSP_EXIT_FAIL;
	}
	ret = vguest_io_open(g, (uint32_t)stream, p.period_bytes, o->periods, &io);
	buf = malloc(p.period_bytes);
	if (ret < 0 || !buf) {
		fprintf(stderr, "vadsp record: cannot set up the I/O messages: %s\n",
			strerror(ret < 0 ? -ret : ENOMEM));
		ret = -ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; i < o->periods; i++) {
		ret = vguest_io_submit(io, NULL, p.period_bytes);
		if (ret < 0)
			goto out;
	}
	ret = vguest_pcm_start(g, (uint32_t)stream);
	if (ret < 0) {
		fprintf(stderr, "vadsp record: START refused: %s\n", strerror(-ret));
		goto out;
	}
	started = true;
	while (!want_frames || recorded < want_frames) {
		uint64_t frames;

		ret = record_reap(io, &done);
		if (ret <= 0)
			break;
		frames = done.bytes / frame_bytes;
		if (want_frames && frames > want_frames - recorded)
			frames = want_frames - recorded;
		memcpy(buf, done.data, frames * frame_bytes);
		if (vadsp_file_write(sf, p.format, buf, (sf_count_t)frames, p.channels) !=
		    (sf_count_t)frames) {
			fprintf(stderr, "vadsp record: %s: %s\n", o->file, sf_strerror(sf));
			ret = -EIO;
			break;
		}
		recorded += frames;
		ret = vguest_io_submit(io, NULL, p.period_bytes);
		if (ret < 0)
			break;
	}
	if (ret > 0)
		ret = 0;
out:
	if (ret == -ETIMEDOUT)
		fprintf(stderr, "vadsp record: the device completed nothing for %d ms\n",
			RECORD_STALL_MS);
	else if (ret < 0 && ret != -EIO && ret != -ENOMEM)
		fprintf(stderr, "vadsp record: %s\n", strerror(-ret));
	if (started)
		vguest_pcm_stop(g, (uint32_t)stream);
	vguest_pcm_release(g, (uint32_t)stream);
	if (io)
		while (vguest_io_in_flight(io) && vguest_io_reap(io, &done, 1000) > 0)
			;
	vguest_io_close(io);
	free(buf);
	if (sf_close(sf) != 0 && ret == 0) {
		fprintf(stderr, "vadsp record: %s: cannot finish the file\n", o->file);
		ret = -EIO;
	}
	if (ret == 0)
		printf("recorded %" PRIu64 " frames (%s, %u Hz, %u channels) from stream %d to "
		       "%s%s\n", recorded, vguest_format_name(p.format), vguest_rate_hz(p.rate),
		       p.channels, stream, o->file, record_interrupted ? ", interrupted" : "");
	return ret == 0 ? VADSP_EXIT_OK : VADSP_EXIT_FAIL;
}

/* --- --sof: a DSP-aware guest */

static int record_sof(struct vguest_sof *s, const struct record_opts *o)
{
	struct vguest_sof_params p;
	struct vguest_sof_stream *st = NULL;
	struct vguest_sof_stream_status status;
	struct vguest_io_done done;
	struct vguest_io *io;
	uint32_t fmt = vadsp_ipc3_frame_fmt((uint8_t)o->format), frame_bytes, period_frames, stream_id, comp_id;
	struct vguest_sof_want want = {
		.rate = o->rate, .channels = o->channels, .frame_fmts = &fmt,
		.num_fmts = o->format >= 0 ? 1 : 0, .period_us = o->period_ms * 1000,
		.periods = o->periods,
	};
	uint64_t want_frames, recorded = 0, asked = 0;
	SF_INFO info = { 0 };
	SNDFILE *sf = NULL;
	bool started = false;
	void *buf = NULL;
	char why[160];
	int pcm, ret;

	pcm = vguest_sof_pcm_find(s, o->pcm, TPLG_MODEL_CAPTURE);
	if (pcm < 0) {
		fprintf(stderr, "vadsp record: the topology has no PCM %s%s%swith capture\n",
			o->pcm ? "'" : "", o->pcm ? o->pcm : "", o->pcm ? "' " : "");
		return VADSP_EXIT_FAIL;
	}
	ret = vguest_sof_params_choose(s, (unsigned int)pcm, TPLG_MODEL_CAPTURE, &want, &p, why,
				       sizeof(why));
	if (ret < 0) {
		fprintf(stderr, "vadsp record: PCM '%s': %s\n",
			vguest_sof_model(s)->pcms[pcm].name, why);
		return VADSP_EXIT_FAIL;
	}
	frame_bytes = vguest_sof_frame_bytes(&p);
	period_frames = p.period_bytes / frame_bytes;
	want_frames = o->frames;
	if (o->seconds > 0)
		want_frames = (uint64_t)(o->seconds * p.rate + 0.5);
	if (o->seconds > 0 && !want_frames)
		want_frames = 1;
	info.samplerate = (int)p.rate;
	info.channels = (int)p.channels;
	info.format = SF_FORMAT_WAV | vadsp_file_subformat(vadsp_virtio_format(p.frame_fmt));
	sf = sf_open(o->file, SFM_WRITE, &info);
	if (!sf) {
		fprintf(stderr, "vadsp record: %s: %s\n", o->file, sf_strerror(NULL));
		return VADSP_EXIT_FAIL;
	}
	ret = vguest_sof_stream_open(s, (unsigned int)pcm, TPLG_MODEL_CAPTURE, &p, &st);
	if (ret < 0) {
		fprintf(stderr, "vadsp record: PCM '%s' refused %s %u Hz %u ch, period %u bytes: "
			"%s\n", vguest_sof_model(s)->pcms[pcm].name,
			vguest_sof_frame_fmt_name(p.frame_fmt), p.rate, p.channels,
			p.period_bytes, strerror(-ret));
		sf_close(sf);
		return VADSP_EXIT_FAIL;
	}
	io = vguest_sof_stream_io(st);
	buf = malloc(p.period_bytes);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; i < p.periods && (!want_frames || asked < want_frames); i++) {
		ret = vguest_io_submit(io, NULL, p.period_bytes);
		if (ret < 0)
			goto out;
		asked += period_frames;
	}
	ret = vguest_sof_stream_trigger(st, IPC3_STREAM_TRIG_START);
	if (ret < 0) {
		fprintf(stderr, "vadsp record: TRIG_START refused: %s\n", strerror(-ret));
		goto out;
	}
	started = true;
	while (!want_frames || recorded < want_frames) {
		uint64_t frames;
		int waited = 0;

		/* Wait for the oldest message, following notifications meanwhile: after an
		 * xrun the DSP may have stopped the stream, which is then restarted. */
		for (;;) {
			ret = vguest_io_reap(io, &done, RECORD_POLL_MS);
			if (ret != 0 || record_interrupted)
				break;
			waited += RECORD_POLL_MS;
			if (waited >= RECORD_STALL_MS) {
				ret = -ETIMEDOUT;
				break;
			}
			vguest_sof_events(s, 0);
			ret = vguest_sof_stream_recover(st);
			if (ret > 0) {
				vguest_sof_stream_status(st, &status);
				fprintf(stderr, "vadsp record: xrun (%d bytes) at byte %" PRIu64
					": restarted\n", status.xrun.xrun_size,
					status.xrun.host_posn);
			} else if (ret < 0) {
				fprintf(stderr, "vadsp record: no restart after an xrun: %s\n",
					strerror(-ret));
				break;
			}
		}
		if (ret <= 0)
			break;
		if (done.status != VIRTIO_SND_S_OK) {
			fprintf(stderr, "vadsp record: the device completed a message with status "
				"0x%04x\n", done.status);
			ret = -EIO;
			break;
		}
		vguest_sof_events(s, 0);
		frames = done.bytes / frame_bytes;
		if (want_frames && frames > want_frames - recorded)
			frames = want_frames - recorded;
		memcpy(buf, done.data, frames * frame_bytes);
		if (vadsp_file_write(sf, vadsp_virtio_format(p.frame_fmt), buf, (sf_count_t)frames,
				 p.channels) != (sf_count_t)frames) {
			fprintf(stderr, "vadsp record: %s: %s\n", o->file, sf_strerror(sf));
			ret = -EIO;
			break;
		}
		recorded += frames;
		if (!want_frames || asked < want_frames) {
			ret = vguest_io_submit(io, NULL, p.period_bytes);
			if (ret < 0)
				break;
			asked += period_frames;
		}
	}
	if (ret > 0)
		ret = 0;
out:
	if (ret == -ETIMEDOUT)
		fprintf(stderr, "vadsp record: the device completed nothing for %d ms\n",
			RECORD_STALL_MS);
	else if (ret < 0 && ret != -EIO)
		fprintf(stderr, "vadsp record: %s\n", strerror(-ret));
	if (started)
		vguest_sof_stream_trigger(st, IPC3_STREAM_TRIG_STOP);
	vguest_sof_stream_status(st, &status);
	stream_id = vguest_sof_stream_id(st);
	comp_id = vguest_sof_stream_comp_id(st);
	vguest_sof_stream_close(st);	/* PCM_FREE gives back what is still queued */
	free(buf);
	if (sf_close(sf) != 0 && ret == 0) {
		fprintf(stderr, "vadsp record: %s: cannot finish the file\n", o->file);
		ret = -EIO;
	}
	if (ret == 0)
		printf("recorded %" PRIu64 " frames (%s, %u Hz, %u channels) from PCM '%s' (SOF "
		       "stream %u, host component %u) to %s, %" PRIu64 " positions, %" PRIu64
		       " xruns%s\n", recorded, vguest_sof_frame_fmt_name(p.frame_fmt), p.rate,
		       p.channels, vguest_sof_model(s)->pcms[pcm].name, stream_id, comp_id,
		       o->file, status.positions, status.xruns,
		       record_interrupted ? ", interrupted" : "");
	return ret == 0 ? VADSP_EXIT_OK : VADSP_EXIT_FAIL;
}

static int record_run(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = record_on_signal };
	struct record_opts o;
	struct vguest_options gopts = { 0 };
	struct vguest_sof *s = NULL;
	struct vguest *g;
	int ret;

	ret = record_parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? VADSP_EXIT_OK : ret;
	gopts.sof_ipc3 = o.sof;
	ret = vguest_connect(&g, o.socket, &gopts);
	if (ret < 0) {
		fprintf(stderr, "vadsp record: %s: %s\n", o.socket, strerror(-ret));
		return VADSP_EXIT_FAIL;
	}
	if (o.sof) {
		ret = vguest_sof_open(&s, g);
		if (ret < 0) {
			fprintf(stderr, "vadsp record: %s: %s\n", o.socket,
				ret == -EOPNOTSUPP ? "the device does not offer the SOF IPC3 "
				"extension (vadspd: sof = yes)" : strerror(-ret));
			vguest_close(g);
			return VADSP_EXIT_FAIL;
		}
	}
	record_interrupted = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = o.sof ? record_sof(s, &o) : record(g, &o);
	vguest_sof_close(s);
	vguest_close(g);
	return ret;
}

const struct vadsp_cmd vadsp_cmd_record = {
	.name = "record",
	.summary = "record from a vadspd guest socket into a WAV file, as the guest",
	.run = record_run,
	.help = record_help,
};
