// SPDX-License-Identifier: MIT
/*
 * `vadsp testbench -t TOPOLOGY -i in.wav -o out.wav`: run a topology offline.
 *
 * The topology is parsed, converted to the IPC3 sequence the Linux SOF driver would send
 * (tplg/ipc-gen.h), and every message goes through the IPC3 validator and executor
 * (ipc/ipc3-exec.h) into a DSP engine, as vadspd applies a topology. Then, for playback:
 * PCM_PARAMS and TRIG_START on the playback host components, in.wav is fed to them and
 * what reaches the first playback DAI is written to out.wav. For capture (a topology
 * without playback hosts, or --capture): in.wav feeds the capture DAIs and the first
 * capture host's stream is written to out.wav. Both WAV files go through the file
 * endpoint (io/io.h) running free; the engine ticks as fast as it can, so a run is
 * bit-exact and repeatable.
 *
 * Rates: the input side runs at in.wav's rate; the output side at the sink rate of a
 * sample rate converter in the output's pipeline (the DAI's for playback, the host's for
 * capture) when the topology fixes one, else at in.wav's rate (--out-rate overrides).
 * The PCM format is in.wav's (16-bit, 24-bit in 32, 32-bit or float); out.wav has the
 * same. Controls (--set NAME=V[,V...]) are kcontrols of the topology set by
 * COMP_SET_VALUE before the stream starts: volume controls take ALSA steps, converted to
 * Q8.16 gains with the TLV dB scale exactly as the driver does; switches 0 or 1; enums an
 * item index. One value sets every channel.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "vadsp.h"
#include "dsp/engine.h"
#include "io/io.h"
#include "ipc/ipc3-check.h"
#include "ipc/ipc3-exec.h"
#include "tplg/ipc-gen.h"
#include "tplg/tplg.h"
#include "util/compiler.h"
#include "util/le.h"

#define TB_MAX_COMPS		64
#define TB_MAX_SETS		32
#define TB_MAX_SELECT		8
#define TB_PERIOD_US		1000u
#define TB_HOST_PERIODS		4u

/* A component of the loaded topology, as its COMP_NEW said. */
struct tb_comp {
	uint32_t id;
	uint32_t type;
	uint32_t pipeline_id;
	uint32_t direction;		/* host and dai */
	uint32_t sink_rate;		/* src / asrc */
	int32_t widget;			/* index in tplg.widgets */
	struct io_endpoint *ep;		/* DAI: its bound file; playback host: in.wav */
	uint64_t limit;			/* output DAI: frames still wanted */
	struct tb_run *run;
};

struct tb_opts {
	const char *tplg;
	const char *in;
	const char *out;
	const char *ipc_out;
	const char *sets[TB_MAX_SETS];
	uint32_t num_sets;
	const char *hosts[TB_MAX_SELECT];
	uint32_t num_hosts;
	const char *dai;
	uint64_t frames;		/* 0: from the input */
	uint32_t out_rate;		/* 0: derived */
	int direction;			/* -1: derived */
	bool verbose;
};

struct tb_run {
	struct tb_opts o;
	struct tplg *t;
	struct tplg_ipc_seq *seq;
	struct dsp_engine *e;
	struct ipc3_exec *x;
	FILE *ipc_log;
	struct tb_comp comps[TB_MAX_COMPS];
	uint32_t num_comps;
	struct {
		uint32_t pipeline_id;
		uint32_t period_us;
	} pipes[TB_MAX_COMPS];
	uint32_t num_pipes;
	/* input */
	uint32_t in_rate;
	uint32_t channels;
	uint64_t in_frames;
	enum io_format fmt;
	uint32_t frame_bytes;
	/* the run */
	uint32_t direction;
	uint32_t out_rate;
	struct tb_comp *hosts[TB_MAX_SELECT];
	uint32_t num_hosts;
	struct tb_comp *out_dai;	/* playback */
	struct io_endpoint *out_ep;	/* capture: out.wav from the host */
	uint64_t want;			/* output frames to produce */
	uint64_t written;		/* output frames written */
	uint8_t *scratch;
	uint32_t scratch_frames;
};

static void tb_usage(FILE *out)
{
	fputs("Usage: vadsp testbench -t TOPOLOGY -i IN.wav -o OUT.wav [options]\n"
	      "\n"
	      "Run a topology offline, as fast as possible and bit-exactly: load it through the\n"
	      "IPC3 validator into a DSP engine, feed IN.wav to its host components and write\n"
	      "what reaches the DAI to OUT.wav (playback), or feed IN.wav to its DAIs and write\n"
	      "the host's stream (capture).\n"
	      "\n"
	      "  -t, --topology FILE     the .tplg file\n"
	      "  -i, --input FILE        input WAV (any format libsndfile reads; 16-bit, 24-bit,\n"
	      "                          32-bit or float samples are kept as they are)\n"
	      "  -o, --output FILE       output WAV, in the input's sample format\n"
	      "  -s, --set NAME=V[,V..]  set a control before the stream starts (repeatable);\n"
	      "                          volume: ALSA steps; switch: 0/1; enum: item index\n"
	      "  -n, --frames N          output frames to write (default: the input's length)\n"
	      "      --host NAME         feed (playback) or record (capture) this host widget\n"
	      "                          (repeatable; default: every playback host, or the\n"
	      "                          first capture host)\n"
	      "      --dai NAME          the playback DAI to record (default: the first one)\n"
	      "      --capture           run the capture direction\n"
	      "      --playback          run the playback direction (the default when the\n"
	      "                          topology has a playback host)\n"
	      "      --out-rate HZ       rate of the output side (default: a converter's fixed\n"
	      "                          output rate, or the input's rate)\n"
	      "      --ipc-out FILE      also write every IPC3 request sent, back to back\n"
	      "  -v, --verbose           print the messages and a summary to stderr\n", out);
}

/* Report a usage error; return -EINVAL for tb_parse_args() to pass on. */
static int tb_fail_usage(const char *what, const char *arg)
{
	fprintf(stderr, "vadsp testbench: %s%s%s (see vadsp testbench --help)\n", what,
		arg ? " " : "", arg ? arg : "");
	return -EINVAL;
}

static int tb_parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || *end || n > max)
		return -EINVAL;
	*v = n;
	return 0;
}

static int tb_parse_args(int argc, char **argv, struct tb_opts *o)
{
	enum { OPT_HOST = 256, OPT_DAI, OPT_CAPTURE, OPT_PLAYBACK, OPT_OUT_RATE, OPT_IPC_OUT };
	static const struct option longopts[] = {
		{ "topology", required_argument, NULL, 't' },
		{ "input", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "set", required_argument, NULL, 's' },
		{ "frames", required_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "host", required_argument, NULL, OPT_HOST },
		{ "dai", required_argument, NULL, OPT_DAI },
		{ "capture", no_argument, NULL, OPT_CAPTURE },
		{ "playback", no_argument, NULL, OPT_PLAYBACK },
		{ "out-rate", required_argument, NULL, OPT_OUT_RATE },
		{ "ipc-out", required_argument, NULL, OPT_IPC_OUT },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->direction = -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:i:o:s:n:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			o->tplg = optarg;
			break;
		case 'i':
			o->in = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 's':
			if (o->num_sets == TB_MAX_SETS)
				return tb_fail_usage("too many --set options", NULL);
			if (!strchr(optarg, '='))
				return tb_fail_usage("--set needs NAME=VALUE, not", optarg);
			o->sets[o->num_sets++] = optarg;
			break;
		case 'n':
			if (tb_parse_u64(optarg, UINT32_MAX, &v) < 0 || v == 0)
				return tb_fail_usage("bad frame count", optarg);
			o->frames = v;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			tb_usage(stdout);
			return 1;
		case OPT_HOST:
			if (o->num_hosts == TB_MAX_SELECT)
				return tb_fail_usage("too many --host options", NULL);
			o->hosts[o->num_hosts++] = optarg;
			break;
		case OPT_DAI:
			o->dai = optarg;
			break;
		case OPT_CAPTURE:
			o->direction = IPC3_STREAM_CAPTURE;
			break;
		case OPT_PLAYBACK:
			o->direction = IPC3_STREAM_PLAYBACK;
			break;
		case OPT_OUT_RATE:
			if (tb_parse_u64(optarg, IPC3_CHECK_RATE_MAX, &v) < 0 ||
			    v < IPC3_CHECK_RATE_MIN)
				return tb_fail_usage("bad rate", optarg);
			o->out_rate = (uint32_t)v;
			break;
		case OPT_IPC_OUT:
			o->ipc_out = optarg;
			break;
		case ':':
			return tb_fail_usage("missing value for", argv[optind - 1]);
		default:
			return tb_fail_usage("unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return tb_fail_usage("unexpected argument", argv[optind]);
	if (!o->tplg || !o->in || !o->out)
		return tb_fail_usage("-t, -i and -o are required", NULL);
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* IPC                                                                                       */

/* Send one request through the executor; return the reply's error (0 on success). */
static int tb_send_raw(struct tb_run *r, const void *req, size_t len, const char *what)
{
	uint8_t reply[IPC3_MSG_MAX_SIZE];
	int32_t err;
	int n;

	if (r->ipc_log && fwrite(req, 1, len, r->ipc_log) != len) {
		fprintf(stderr, "vadsp testbench: %s: write failed\n", r->o.ipc_out);
		return -EIO;
	}
	n = ipc3_exec_msg(r->x, req, len, IPC3_ORIGIN_HOST, reply, sizeof(reply));
	if (n < 0 || ipc3_reply_error(reply, (size_t)n, &err) < 0)
		err = -EPROTO;
	if (r->o.verbose)
		fprintf(stderr, "ipc %-22s %3zu bytes -> %d %s\n", ipc3_cmd_name(get_le32(
			(const uint8_t *)req + 4)), len, err, what);
	if (err)
		fprintf(stderr, "vadsp testbench: %s (%s) failed: %s\n",
			ipc3_cmd_name(get_le32((const uint8_t *)req + 4)), what, strerror(-err));
	return err;
}

static int tb_send(struct tb_run *r, const struct ipc3_msg *m, const char *what)
{
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	int n = ipc3_encode(m, buf, sizeof(buf));

	if (n < 0)
		return n;
	return tb_send_raw(r, buf, (size_t)n, what);
}

static int tb_send_id(struct tb_run *r, uint32_t cmd, uint32_t id, const char *what)
{
	struct ipc3_msg m = { .cmd = cmd };

	m.u.id = id;
	return tb_send(r, &m, what);
}

/* Remember what a COMP_NEW created, and each pipeline's period. */
static int tb_record(struct tb_run *r, const struct tplg_ipc_msg *msg)
{
	static struct ipc3_msg m;
	struct tb_comp *c;

	if ((msg->cmd != IPC3_TPLG_COMP_NEW && msg->cmd != IPC3_TPLG_PIPE_NEW) ||
	    ipc3_check(msg->data, msg->size, IPC3_ORIGIN_HOST, &m) < 0)
		return 0;
	if (msg->cmd == IPC3_TPLG_PIPE_NEW) {
		if (r->num_pipes == TB_MAX_COMPS)
			return -E2BIG;
		r->pipes[r->num_pipes].pipeline_id = m.u.pipe.pipeline_id;
		r->pipes[r->num_pipes++].period_us = m.u.pipe.period;
		return 0;
	}
	if (r->num_comps == TB_MAX_COMPS) {
		fprintf(stderr, "vadsp testbench: more than %u components\n", TB_MAX_COMPS);
		return -E2BIG;
	}
	c = &r->comps[r->num_comps++];
	memset(c, 0, sizeof(*c));
	c->id = m.u.comp.id;
	c->type = m.u.comp.type;
	c->pipeline_id = m.u.comp.pipeline_id;
	c->widget = msg->widget;
	c->run = r;
	if (c->type == IPC3_COMP_HOST)
		c->direction = m.u.comp.u.host.direction;
	else if (c->type == IPC3_COMP_DAI)
		c->direction = m.u.comp.u.dai.direction;
	else if (c->type == IPC3_COMP_SRC)
		c->sink_rate = m.u.comp.u.src.sink_rate;
	else if (c->type == IPC3_COMP_ASRC)
		c->sink_rate = m.u.comp.u.asrc.sink_rate;
	return 0;
}

static const char *tb_name(const struct tb_run *r, const struct tb_comp *c)
{
	return c->widget >= 0 && (uint32_t)c->widget < r->t->num_widgets ?
	       r->t->widgets[c->widget].name : "?";
}

static int tb_load(struct tb_run *r)
{
	struct tplg_error err;
	int ret;

	ret = tplg_load_file(r->o.tplg, &r->t, &err);
	if (ret < 0) {
		fprintf(stderr, "vadsp testbench: %s\n", err.msg);
		return ret;
	}
	ret = tplg_ipc_build(r->t, NULL, &r->seq, &err);
	if (ret < 0) {
		fprintf(stderr, "vadsp testbench: %s: %s\n", r->o.tplg, err.msg);
		return ret;
	}
	for (uint32_t i = 0; i < r->seq->num_msgs; i++) {
		const struct tplg_ipc_msg *msg = &r->seq->msgs[i];

		ret = tb_send_raw(r, msg->data, msg->size, msg->desc);
		if (ret < 0)
			return ret;
		ret = tb_record(r, msg);
		if (ret < 0)
			return ret;
	}
	/* Load order, as the driver numbers widgets. */
	for (uint32_t i = 1; i < r->num_comps; i++)
		for (uint32_t j = i; j > 0 && r->comps[j - 1].id > r->comps[j].id; j--) {
			struct tb_comp tmp = r->comps[j];

			r->comps[j] = r->comps[j - 1];
			r->comps[j - 1] = tmp;
		}
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Controls                                                                                  */

static int tb_set_control(struct tb_run *r, const char *spec)
{
	const char *eq = strchr(spec, '=');
	size_t name_len = (size_t)(eq - spec);
	const struct tplg_kcontrol *kc = NULL;
	uint32_t widget = 0, n = 0, steps[IPC3_CHECK_CHANNELS_MAX], channels;
	struct ipc3_msg m = { .cmd = IPC3_COMP_SET_VALUE };
	const char *p = eq + 1;

	for (uint32_t w = 0; w < r->t->num_widgets && !kc; w++)
		for (uint32_t k = 0; k < r->t->widgets[w].num_kcontrols; k++) {
			const struct tplg_kcontrol *c = &r->t->widgets[w].kcontrols[k];

			if (strlen(c->name) == name_len && strncmp(c->name, spec, name_len) == 0) {
				kc = c;
				widget = w;
				break;
			}
		}
	if (!kc) {
		fprintf(stderr, "vadsp testbench: no control '%.*s' in %s\n", (int)name_len, spec,
			r->o.tplg);
		return -ENOENT;
	}
	while (n < IPC3_CHECK_CHANNELS_MAX) {
		uint64_t v;
		char num[32];
		size_t len = strcspn(p, ",");

		if (len == 0 || len >= sizeof(num))
			break;
		memcpy(num, p, len);
		num[len] = '\0';
		if (tb_parse_u64(num, UINT32_MAX, &v) < 0)
			break;
		steps[n++] = (uint32_t)v;
		p += len;
		if (*p != ',')
			break;
		p++;
	}
	if (n == 0 || *p) {
		fprintf(stderr, "vadsp testbench: bad value in --set %s\n", spec);
		return -EINVAL;
	}

	m.u.ctrl.comp_id = r->seq->id_base + widget;
	m.u.ctrl.type = IPC3_CTRL_VALUE_CHAN_SET;
	if (kc->type == TPLG_BLOCK_MIXER) {
		channels = kc->mixer.num_channels;
		m.u.ctrl.cmd = kc->mixer.max > 1 ? IPC3_CTRL_CMD_VOLUME : IPC3_CTRL_CMD_SWITCH;
	} else if (kc->type == TPLG_BLOCK_ENUM) {
		channels = kc->enm.num_channels;
		m.u.ctrl.cmd = IPC3_CTRL_CMD_ENUM;
	} else {
		fprintf(stderr, "vadsp testbench: control '%s' is not a mixer or enum\n",
			kc->name);
		return -EINVAL;
	}
	if (channels == 0 || channels > IPC3_CHECK_CHANNELS_MAX || (n != 1 && n != channels)) {
		fprintf(stderr, "vadsp testbench: control '%s' has %u channels, %u values given\n",
			kc->name, channels, n);
		return -EINVAL;
	}
	m.u.ctrl.num_elems = channels;
	for (uint32_t ch = 0; ch < channels; ch++) {
		uint32_t step = steps[n == 1 ? 0 : ch], value = step;
		int ret;

		if (kc->type == TPLG_BLOCK_MIXER && step > kc->mixer.max) {
			fprintf(stderr, "vadsp testbench: control '%s' takes 0..%u, not %u\n",
				kc->name, kc->mixer.max, step);
			return -ERANGE;
		}
		if (m.u.ctrl.cmd == IPC3_CTRL_CMD_VOLUME) {
			if (!kc->tlv.db_scale) {
				fprintf(stderr, "vadsp testbench: control '%s' has no dB scale\n",
					kc->name);
				return -EINVAL;
			}
			ret = tplg_ipc_volume_gain(step, kc->tlv.db_min, kc->tlv.db_step,
						   kc->tlv.db_mute, &value);
			if (ret < 0)
				return ret;
		}
		m.u.ctrl.chanv[ch] = (struct ipc3_chan_value){ .channel = ch, .value = value };
	}
	return tb_send(r, &m, spec);
}

/* ---------------------------------------------------------------------------------------- */
/* Streams                                                                                   */

static int tb_read_input_info(struct tb_run *r)
{
	SF_INFO info = { 0 };
	SNDFILE *sf = sf_open(r->o.in, SFM_READ, &info);

	if (!sf) {
		fprintf(stderr, "vadsp testbench: %s: %s\n", r->o.in, sf_strerror(NULL));
		return -ENOENT;
	}
	sf_close(sf);
	switch (info.format & SF_FORMAT_SUBMASK) {
	case SF_FORMAT_PCM_24:
		r->fmt = IO_FMT_S24_4LE;
		break;
	case SF_FORMAT_PCM_32:
		r->fmt = IO_FMT_S32_LE;
		break;
	case SF_FORMAT_FLOAT:
	case SF_FORMAT_DOUBLE:
		r->fmt = IO_FMT_FLOAT;
		break;
	default:
		r->fmt = IO_FMT_S16_LE;
		break;
	}
	if (info.samplerate < (int)IPC3_CHECK_RATE_MIN || info.samplerate > (int)IPC3_CHECK_RATE_MAX ||
	    info.channels < 1 || info.channels > (int)IPC3_CHECK_CHANNELS_MAX || info.frames <= 0) {
		fprintf(stderr, "vadsp testbench: %s: %d Hz, %d channels, %" PRId64
			" frames: not something a pipeline takes\n", r->o.in, info.samplerate,
			info.channels, (int64_t)info.frames);
		return -EINVAL;
	}
	r->in_rate = (uint32_t)info.samplerate;
	r->channels = (uint32_t)info.channels;
	r->in_frames = (uint64_t)info.frames;
	r->frame_bytes = io_format_bytes(r->fmt) * r->channels;
	return 0;
}

static uint32_t tb_period_frames(uint32_t rate)
{
	return (rate * TB_PERIOD_US + 999999u) / 1000000u;
}

/* Frames a pipeline moves per run: its period (the engine's tick if none is known). */
static uint32_t tb_pipe_frames(const struct tb_run *r, uint32_t pipeline_id, uint32_t rate)
{
	uint64_t us = TB_PERIOD_US;

	for (uint32_t i = 0; i < r->num_pipes; i++)
		if (r->pipes[i].pipeline_id == pipeline_id && r->pipes[i].period_us)
			us = r->pipes[i].period_us;
	return (uint32_t)(((uint64_t)rate * us + 999999u) / 1000000u);
}

/* The fixed output rate of a converter in @pipeline_id, or 0. */
static uint32_t tb_converter_rate(const struct tb_run *r, uint32_t pipeline_id)
{
	for (uint32_t i = 0; i < r->num_comps; i++)
		if ((r->comps[i].type == IPC3_COMP_SRC || r->comps[i].type == IPC3_COMP_ASRC) &&
		    r->comps[i].pipeline_id == pipeline_id && r->comps[i].sink_rate)
			return r->comps[i].sink_rate;
	return 0;
}

static bool tb_has(const struct tb_run *r, uint32_t type, uint32_t direction)
{
	for (uint32_t i = 0; i < r->num_comps; i++)
		if (r->comps[i].type == type && r->comps[i].direction == direction)
			return true;
	return false;
}

static struct tb_comp *tb_find(struct tb_run *r, uint32_t type, uint32_t direction,
			       const char *name)
{
	for (uint32_t i = 0; i < r->num_comps; i++) {
		struct tb_comp *c = &r->comps[i];

		if (c->type == type && c->direction == direction &&
		    (!name || strcmp(tb_name(r, c), name) == 0))
			return c;
	}
	return NULL;
}

static int tb_open_file(struct tb_run *r, const char *path, enum io_direction dir,
			uint32_t rate, struct io_endpoint **ep)
{
	const struct io_params p = {
		.direction = dir,
		.format = r->fmt,
		.rate = rate,
		.channels = r->channels,
		.period_frames = tb_period_frames(rate),
		.periods = 4,
		.flags = IO_FLAG_FREE_RUN,
	};
	char spec[IO_SPEC_MAX];
	int ret;

	if (snprintf(spec, sizeof(spec), "file:%s", path) >= (int)sizeof(spec))
		return -ENAMETOOLONG;
	ret = io_endpoint_open(spec, &p, ep);
	if (ret < 0) {
		fprintf(stderr, "vadsp testbench: %s: %s\n", path, strerror(-ret));
		return ret;
	}
	ret = io_endpoint_start(*ep);
	if (ret < 0)
		fprintf(stderr, "vadsp testbench: %s: start: %s\n", path, strerror(-ret));
	return ret;
}

/* DAI I/O: the output DAI writes out.wav, up to the frames wanted; input DAIs read in.wav. */
static int tb_dai_write(void *opaque, const void *buf, uint32_t frames)
{
	struct tb_comp *c = opaque;
	struct tb_run *r = c->run;
	uint32_t n = (uint32_t)VADSP_MIN((uint64_t)frames, r->want - r->written);
	int ret;

	if (n == 0)
		return (int)frames;
	ret = io_endpoint_write(c->ep, buf, n);
	if (ret < 0)
		return ret;
	r->written += n;
	return (int)frames;
}

static int tb_dai_read(void *opaque, void *buf, uint32_t frames)
{
	struct tb_comp *c = opaque;

	return io_endpoint_read(c->ep, buf, frames);
}

static int tb_bind(struct tb_run *r, struct tb_comp *c, uint32_t rate)
{
	const struct dsp_dai_io io = {
		.write = tb_dai_write,
		.read = tb_dai_read,
		.opaque = c,
		.fmt = (uint32_t)r->fmt,
		.rate = rate,
		.channels = r->channels,
	};
	int ret = dsp_dai_bind(r->e, c->id, &io);

	if (ret < 0)
		fprintf(stderr, "vadsp testbench: binding DAI '%s': %s\n", tb_name(r, c),
			strerror(-ret));
	return ret;
}

static int tb_params(struct tb_run *r, struct tb_comp *host, uint32_t rate)
{
	struct ipc3_msg m = { .cmd = IPC3_STREAM_PCM_PARAMS };
	struct ipc3_msg_pcm_params *p = &m.u.pcm;
	uint32_t sample = io_format_bytes(r->fmt);

	p->comp_id = host->id;
	p->direction = r->direction;
	p->frame_fmt = (uint32_t)r->fmt;
	p->rate = rate;
	p->channels = (uint16_t)r->channels;
	p->sample_container_bytes = (uint16_t)sample;
	p->sample_valid_bytes = (uint16_t)(r->fmt == IO_FMT_S24_4LE ? 3 : sample);
	p->host_period_bytes = tb_pipe_frames(r, host->pipeline_id, rate) * r->frame_bytes;
	p->buffer_size = TB_HOST_PERIODS * p->host_period_bytes;
	p->buffer_pages = (p->buffer_size + 4095) / 4096;
	return tb_send(r, &m, tb_name(r, host));
}

static int tb_setup(struct tb_run *r)
{
	bool playback;
	int ret;

	playback = r->o.direction >= 0 ? r->o.direction == IPC3_STREAM_PLAYBACK :
					  tb_has(r, IPC3_COMP_HOST, IPC3_STREAM_PLAYBACK);
	r->direction = playback ? IPC3_STREAM_PLAYBACK : IPC3_STREAM_CAPTURE;

	/* Hosts: the named ones, else every playback host or the first capture host. */
	if (r->o.num_hosts) {
		for (uint32_t i = 0; i < r->o.num_hosts; i++) {
			struct tb_comp *h = tb_find(r, IPC3_COMP_HOST, r->direction, r->o.hosts[i]);

			if (!h) {
				fprintf(stderr, "vadsp testbench: no %s host '%s'\n",
					playback ? "playback" : "capture", r->o.hosts[i]);
				return -ENOENT;
			}
			r->hosts[r->num_hosts++] = h;
		}
	} else {
		for (uint32_t i = 0; i < r->num_comps && r->num_hosts < TB_MAX_SELECT; i++)
			if (r->comps[i].type == IPC3_COMP_HOST &&
			    r->comps[i].direction == r->direction &&
			    (playback || r->num_hosts == 0))
				r->hosts[r->num_hosts++] = &r->comps[i];
	}
	if (r->num_hosts == 0) {
		fprintf(stderr, "vadsp testbench: %s has no %s host\n", r->o.tplg,
			playback ? "playback" : "capture");
		return -ENOENT;
	}
	if (!playback && r->num_hosts > 1) {
		fprintf(stderr, "vadsp testbench: capture records one host\n");
		return -EINVAL;
	}

	if (playback) {
		r->out_dai = tb_find(r, IPC3_COMP_DAI, IPC3_STREAM_PLAYBACK, r->o.dai);
		if (!r->out_dai) {
			fprintf(stderr, "vadsp testbench: no playback DAI%s%s\n",
				r->o.dai ? " " : "", r->o.dai ? r->o.dai : "");
			return -ENOENT;
		}
		r->out_rate = r->o.out_rate ? r->o.out_rate :
			      tb_converter_rate(r, r->out_dai->pipeline_id);
		if (!r->out_rate)
			r->out_rate = r->in_rate;
		ret = tb_open_file(r, r->o.out, IO_DIR_PLAYBACK, r->out_rate, &r->out_dai->ep);
		if (ret < 0)
			return ret;
		ret = tb_bind(r, r->out_dai, r->out_rate);
		if (ret < 0)
			return ret;
		/* Each host reads in.wav on its own: pipelines with other periods drain
		 * their rings at other times. */
		for (uint32_t i = 0; i < r->num_hosts; i++) {
			ret = tb_open_file(r, r->o.in, IO_DIR_CAPTURE, r->in_rate,
					   &r->hosts[i]->ep);
			if (ret < 0)
				return ret;
			ret = tb_params(r, r->hosts[i], r->in_rate);
			if (ret < 0)
				return ret;
		}
	} else {
		if (r->o.dai) {
			fprintf(stderr, "vadsp testbench: --dai names a playback DAI\n");
			return -EINVAL;
		}
		r->out_rate = r->o.out_rate ? r->o.out_rate :
			      tb_converter_rate(r, r->hosts[0]->pipeline_id);
		if (!r->out_rate)
			r->out_rate = r->in_rate;
		/* Every capture DAI reads in.wav. */
		for (uint32_t i = 0; i < r->num_comps; i++) {
			struct tb_comp *c = &r->comps[i];

			if (c->type != IPC3_COMP_DAI || c->direction != IPC3_STREAM_CAPTURE)
				continue;
			ret = tb_open_file(r, r->o.in, IO_DIR_CAPTURE, r->in_rate, &c->ep);
			if (ret < 0)
				return ret;
			ret = tb_bind(r, c, r->in_rate);
			if (ret < 0)
				return ret;
		}
		ret = tb_open_file(r, r->o.out, IO_DIR_PLAYBACK, r->out_rate, &r->out_ep);
		if (ret < 0)
			return ret;
		ret = tb_params(r, r->hosts[0], r->out_rate);
		if (ret < 0)
			return ret;
	}
	r->want = r->o.frames ? r->o.frames :
		  (r->in_frames * r->out_rate + r->in_rate / 2) / r->in_rate;
	r->scratch_frames = 4 * tb_period_frames(VADSP_MAX(r->in_rate, r->out_rate));
	r->scratch = calloc(r->scratch_frames, r->frame_bytes);
	if (!r->scratch)
		return -ENOMEM;
	for (uint32_t i = 0; i < r->num_hosts; i++) {
		ret = tb_send_id(r, IPC3_STREAM_TRIG_START, r->hosts[i]->id,
				 tb_name(r, r->hosts[i]));
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Playback: top up every host's ring from its reader of in.wav (silence after the end). */
static int tb_feed(struct tb_run *r)
{
	uint32_t period = tb_period_frames(r->in_rate);

	for (uint32_t i = 0; i < r->num_hosts; i++) {
		struct tb_comp *h = r->hosts[i];
		int ret;

		for (;;) {
			ret = dsp_host_avail(r->e, h->id);
			if (ret < 0)
				return ret;
			if ((uint32_t)ret < period)
				break;
			ret = io_endpoint_read(h->ep, r->scratch, period);
			if (ret < 0)
				return ret;
			ret = dsp_host_write(r->e, h->id, r->scratch, period);
			if (ret < 0)
				return ret;
			if ((uint32_t)ret != period)
				return -EIO;
		}
	}
	return 0;
}

/* Capture: move what the host produced to out.wav, up to the frames wanted. */
static int tb_drain(struct tb_run *r)
{
	for (;;) {
		uint32_t want = (uint32_t)VADSP_MIN((uint64_t)r->scratch_frames,
						    r->want - r->written);
		int n, ret;

		if (want == 0)
			return 0;
		n = dsp_host_read(r->e, r->hosts[0]->id, r->scratch, want);
		if (n <= 0)
			return n;
		ret = io_endpoint_write(r->out_ep, r->scratch, (uint32_t)n);
		if (ret < 0)
			return ret;
		r->written += (uint64_t)n;
	}
}

static int tb_loop(struct tb_run *r)
{
	/* Enough ticks for the output plus the pipeline's latency, and then some. */
	uint64_t limit = r->want * 1000000u / r->out_rate / TB_PERIOD_US + 1000;
	uint64_t ticks = 0;
	int ret;

	while (r->written < r->want) {
		if (ticks++ > limit) {
			fprintf(stderr, "vadsp testbench: only %" PRIu64 " of %" PRIu64
				" frames came out after %" PRIu64 " periods\n", r->written, r->want,
				ticks - 1);
			return -ETIMEDOUT;
		}
		if (r->direction == IPC3_STREAM_PLAYBACK) {
			ret = tb_feed(r);
			if (ret < 0) {
				fprintf(stderr, "vadsp testbench: feeding the hosts: %s\n",
					strerror(-ret));
				return ret;
			}
		}
		dsp_engine_tick(r->e);
		if (r->direction == IPC3_STREAM_CAPTURE) {
			ret = tb_drain(r);
			if (ret < 0) {
				fprintf(stderr, "vadsp testbench: reading the host: %s\n",
					strerror(-ret));
				return ret;
			}
		}
	}
	return 0;
}

static void tb_summary(struct tb_run *r)
{
	for (uint32_t i = 0; i < r->num_hosts; i++) {
		struct dsp_stream_posn p;

		if (dsp_stream_position(r->e, r->hosts[i]->id, &p) < 0)
			continue;
		fprintf(stderr, "host %u '%s': %" PRIu64 " frames, %" PRIu64 " xruns\n",
			r->hosts[i]->id, tb_name(r, r->hosts[i]), p.host_frames, p.xruns);
	}
	fprintf(stderr, "%s: %" PRIu64 " frames at %u Hz, %u channels, %s; %" PRIu64
		" periods\n", r->o.out, r->written, r->out_rate, r->channels,
		io_format_name(r->fmt), dsp_engine_ticks(r->e));
}

static void tb_teardown(struct tb_run *r)
{
	if (r->x) {
		for (uint32_t i = 0; i < r->num_hosts; i++)
			if (dsp_comp_state(r->e, r->hosts[i]->id) == DSP_STATE_ACTIVE)
				tb_send_id(r, IPC3_STREAM_TRIG_STOP, r->hosts[i]->id,
					   tb_name(r, r->hosts[i]));
		for (uint32_t i = 0; i < r->num_hosts; i++)
			if (dsp_comp_state(r->e, r->hosts[i]->id) == DSP_STATE_PREPARE)
				tb_send_id(r, IPC3_STREAM_PCM_FREE, r->hosts[i]->id,
					   tb_name(r, r->hosts[i]));
		ipc3_exec_reset(r->x);
		ipc3_exec_destroy(r->x);
	}
	dsp_engine_destroy(r->e);
	for (uint32_t i = 0; i < r->num_comps; i++)
		io_endpoint_close(r->comps[i].ep);
	io_endpoint_close(r->out_ep);
	if (r->ipc_log)
		fclose(r->ipc_log);
	tplg_ipc_seq_free(r->seq);
	tplg_free(r->t);
	free(r->scratch);
}

static int tb_run(int argc, char **argv)
{
	struct dsp_engine_config ecfg = { .period_us = TB_PERIOD_US };
	struct tb_run *r = calloc(1, sizeof(*r));
	int ret;

	if (!r)
		return VADSP_EXIT_FAIL;
	/* 1: --help was printed; -EINVAL: a usage error was reported. */
	ret = tb_parse_args(argc, argv, &r->o);
	if (ret) {
		free(r);
		return ret > 0 ? VADSP_EXIT_OK : VADSP_EXIT_USAGE;
	}
	ret = tb_read_input_info(r);
	if (ret < 0)
		goto out;
	if (r->o.ipc_out) {
		r->ipc_log = fopen(r->o.ipc_out, "wb");
		if (!r->ipc_log) {
			fprintf(stderr, "vadsp testbench: %s: %s\n", r->o.ipc_out, strerror(errno));
			ret = -errno;
			goto out;
		}
	}
	ecfg.rate = r->in_rate;
	ret = dsp_engine_create(&r->e, &ecfg);
	if (ret < 0) {
		fprintf(stderr, "vadsp testbench: engine: %s\n", strerror(-ret));
		goto out;
	}
	ret = ipc3_exec_create(&r->x, r->e, NULL);
	if (ret < 0)
		goto out;
	ret = tb_load(r);
	if (ret < 0)
		goto out;
	for (uint32_t i = 0; i < r->o.num_sets && ret == 0; i++)
		ret = tb_set_control(r, r->o.sets[i]);
	if (ret < 0)
		goto out;
	ret = tb_setup(r);
	if (ret < 0)
		goto out;
	ret = tb_loop(r);
	if (ret == 0 && r->o.verbose)
		tb_summary(r);
out:
	tb_teardown(r);
	free(r);
	return ret < 0 ? VADSP_EXIT_FAIL : VADSP_EXIT_OK;
}

const struct vadsp_cmd vadsp_cmd_testbench = {
	.name = "testbench",
	.summary = "run a topology offline: WAV in, WAV out",
	.run = tb_run,
	.help = tb_usage,
};
