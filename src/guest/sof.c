// SPDX-License-Identifier: MIT
/*
 * The DSP-aware guest: a SOF IPC3 session over the process guest (see sof.h and
 * docs/protocol.md section 4). Requests are built with ipc3_encode() or, for the three VFE
 * messages, byte by byte at the offsets of their packed structs (ipc/vfe.h); every reply is
 * checked against its expected size before a field of it is read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest/internal.h"
#include "guest/sof.h"
#include "ipc/vfe.h"
#include "tplg/ipc-gen.h"
#include "tplg/wire.h"
#include "util/compiler.h"
#include "util/le.h"
#include "util/log.h"

/* How long a stream's close waits for the messages PCM_FREE gives back. */
#define SOF_DRAIN_MS	1000

struct vguest_sof_stream {
	struct vguest_sof *s;
	struct vguest_sof_stream *next;
	uint32_t comp_id;
	unsigned int direction;		/* TPLG_MODEL_PLAYBACK / _CAPTURE */
	struct vguest_sof_params p;
	uint32_t id;
	struct vguest_io *io;
	struct vguest_sof_stream_status status;
	uint64_t xruns_recovered;	/* status.xruns at the last recovery */
};

struct vguest_sof {
	struct vguest *g;
	struct vguest_sof_ranges r;
	uint8_t *file;			/* the topology's bytes */
	size_t file_size;
	struct tplg *t;
	struct tplg_model *model;
	struct tplg_ipc_seq *seq;
	struct vguest_sof_stream *streams;
	uint64_t other_events;
	uint8_t req[4 + IPC3_MSG_MAX_SIZE];
	uint8_t resp[4 + IPC3_MSG_MAX_SIZE];
};

const struct vguest_sof_ranges *vguest_sof_ranges(const struct vguest_sof *s)
{
	return &s->r;
}

const struct tplg *vguest_sof_tplg(const struct vguest_sof *s)
{
	return s->t;
}

const struct tplg_model *vguest_sof_model(const struct vguest_sof *s)
{
	return s->model;
}

unsigned int vguest_sof_topology_msgs(const struct vguest_sof *s)
{
	return s->seq ? s->seq->num_msgs : 0;
}

/* --- one message */

int vguest_sof_ipc(struct vguest_sof *s, const void *msg, size_t len, void *reply,
		   size_t room, size_t *reply_len)
{
	uint32_t used = 0, size;
	int ret;

	if (len < sizeof(struct ipc3_cmd_hdr) || len > IPC3_MSG_MAX_SIZE)
		return -EINVAL;
	put_le32(s->req, VADSP_SND_R_SOF_IPC);
	memcpy(s->req + 4, msg, len);
	ret = vguest_request(s->g, s->req, 4 + len, s->resp, sizeof(s->resp), &used);
	if (ret < 0)
		return ret;
	ret = vguest_status_errno((uint32_t)ret);
	if (ret < 0)
		return ret;
	if (used < 4 + sizeof(struct ipc3_reply))
		return -EPROTO;
	size = get_le32(s->resp + 4 + offsetof(struct ipc3_cmd_hdr, size));
	if (size != used - 4)
		return -EPROTO;
	if (reply_len)
		*reply_len = size;
	ret = (int32_t)get_le32(s->resp + 4 + offsetof(struct ipc3_reply, error));
	/* 0 or a negative errno; anything else is no answer (and no errno to negate). */
	if (ret > 0 || ret < -4095)
		return -EPROTO;
	if (reply) {
		if (size > room)
			return ret < 0 ? ret : -EMSGSIZE;
		memcpy(reply, s->resp + 4, size);
	}
	return ret;
}

/* A message of just a header and @words 32-bit fields; the reply must be @want bytes. */
static int ipc_words(struct vguest_sof *s, uint32_t cmd, const uint32_t *words,
		     unsigned int n, void *reply, size_t want)
{
	uint8_t msg[sizeof(struct ipc3_cmd_hdr) + 4 * 4];
	size_t len = sizeof(struct ipc3_cmd_hdr) + 4 * (size_t)n, got = 0;
	int ret;

	if (n > 4)
		return -EINVAL;
	put_le32(msg, (uint32_t)len);
	put_le32(msg + 4, cmd);
	for (unsigned int i = 0; i < n; i++)
		put_le32(msg + 8 + 4 * i, words[i]);
	ret = vguest_sof_ipc(s, msg, len, reply, want, &got);
	if (ret == 0 && got != want)
		return -EPROTO;
	return ret;
}

/* A request ipc3_encode() writes; the reply must be @want bytes (0: any reply). */
static int ipc_encoded(struct vguest_sof *s, const struct ipc3_msg *m, void *reply,
		       size_t want)
{
	uint8_t msg[IPC3_MSG_MAX_SIZE];
	size_t got = 0;
	int len, ret;

	len = ipc3_encode(m, msg, sizeof(msg));
	if (len < 0)
		return len;
	ret = vguest_sof_ipc(s, msg, (size_t)len, reply, want, &got);
	if (ret == 0 && want && got != want)
		return -EPROTO;
	return ret;
}

static void posn_decode(const uint8_t *b, struct ipc3_posn *p)
{
#define P32(f) get_le32(b + offsetof(struct ipc3_stream_posn, f))
#define P64(f) get_le64(b + offsetof(struct ipc3_stream_posn, f))
	p->comp_id = P32(comp_id);
	p->flags = P32(flags);
	p->wallclock_hz = P32(wallclock_hz);
	p->timestamp_ns = P32(timestamp_ns);
	p->host_posn = P64(host_posn);
	p->dai_posn = P64(dai_posn);
	p->comp_posn = P64(comp_posn);
	p->wallclock = P64(wallclock);
	p->timestamp = P64(timestamp);
	p->xrun_comp_id = P32(xrun_comp_id);
	p->xrun_size = (int32_t)P32(xrun_size);
#undef P32
#undef P64
}

/* --- the session's start */

static int comp_id_query(struct vguest_sof *s)
{
	uint8_t r[sizeof(struct vadsp_vfe_comp_id_reply)];
	int ret;

	ret = ipc_words(s, IPC3_TPLG_VFE_COMP_ID, NULL, 0, r, sizeof(r));
	if (ret < 0)
		return ret;
#define R32(f) get_le32(r + offsetof(struct vadsp_vfe_comp_id_reply, f))
	if (R32(magic) != VADSP_VFE_MAGIC || R32(version) != VADSP_VFE_VERSION) {
		vadsp_err("guest-sof", "the device is not vadsp's (magic 0x%08x version %u)",
			  R32(magic), R32(version));
		return -EPROTO;
	}
	s->r.comp_id_base = R32(comp_id_base);
	s->r.comp_id_count = R32(comp_id_count);
	s->r.pipeline_count = R32(pipeline_count);
	s->r.max_streams = R32(max_streams);
	s->r.abi = R32(abi);
#undef R32
	if (!s->r.comp_id_count || !s->r.pipeline_count ||
	    s->r.comp_id_base > UINT32_MAX - s->r.comp_id_count)
		return -EPROTO;
	return 0;
}

static int power_status(struct vguest_sof *s, uint32_t power, uint32_t *reset_status)
{
	uint8_t r[sizeof(struct vadsp_vfe_power_reply)];
	int ret;

	ret = ipc_words(s, IPC3_PM_VFE_POWER_STATUS, &power, 1, r, sizeof(r));
	if (ret < 0)
		return ret;
	*reset_status = get_le32(r + offsetof(struct vadsp_vfe_power_reply, reset_status));
	return *reset_status > IPC3_VFE_TOPOLOGY_RESET ? -EPROTO : 0;
}

/* VFE_GET from offset 0 until n = 0. */
static int fetch_topology(struct vguest_sof *s)
{
	uint8_t r[IPC3_MSG_MAX_SIZE];
	uint32_t offset = 0, total = 0;
	bool first = true;

	for (;;) {
		uint32_t words[2] = { offset, 0 };
		size_t got = 0;
		uint8_t msg[sizeof(struct vadsp_vfe_get)];
		uint32_t t, o, n;
		int ret;

		put_le32(msg, sizeof(msg));
		put_le32(msg + 4, IPC3_TPLG_VFE_GET);
		put_le32(msg + 8, words[0]);
		put_le32(msg + 12, words[1]);
		ret = vguest_sof_ipc(s, msg, sizeof(msg), r, sizeof(r), &got);
		if (ret < 0)
			return ret;
		if (got < sizeof(struct vadsp_vfe_get_reply))
			return -EPROTO;
		t = get_le32(r + offsetof(struct vadsp_vfe_get_reply, total));
		o = get_le32(r + offsetof(struct vadsp_vfe_get_reply, offset));
		n = get_le32(r + offsetof(struct vadsp_vfe_get_reply, n));
		if (first) {
			if (t > VADSP_VFE_TOPOLOGY_MAX)
				return -EFBIG;
			total = t;
			s->file = malloc(total ? total : 1);
			if (!s->file)
				return -ENOMEM;
			first = false;
		}
		/* The file does not change while the connection lasts: any change is a fault. */
		if (t != total || o != offset || n > VADSP_VFE_GET_CHUNK_MAX ||
		    got != sizeof(struct vadsp_vfe_get_reply) + n || n > total - offset)
			return -EPROTO;
		if (n == 0) {
			if (offset != total)
				return -EPROTO;
			break;
		}
		memcpy(s->file + offset, r + sizeof(struct vadsp_vfe_get_reply), n);
		offset += n;
	}
	s->file_size = total;
	return 0;
}

/* Connection points: each dai widget carrying VADSP_TKN_CP_NAME becomes a DAI of type
 * VADSP_DAI_CONNECTION_POINT numbered in file order, with the widget's direction (4.6). */
static int mark_connection_points(struct vguest_sof *s)
{
	const struct tplg *t = s->t;
	uint32_t *ordinal = calloc(t->num_widgets + 1, sizeof(*ordinal));
	uint32_t next = 0;

	if (!ordinal)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->num_widgets; i++) {
		const struct tplg_widget *w = &t->widgets[i];

		if ((w->id == TPLG_DAPM_DAI_IN || w->id == TPLG_DAPM_DAI_OUT) &&
		    w->tokens.vadsp.cp_name[0])
			ordinal[i] = ++next;	/* 0: not a connection point */
	}
	for (uint32_t k = 0; k < s->seq->num_msgs; k++) {
		struct tplg_ipc_msg *m = &s->seq->msgs[k];
		const struct tplg_widget *w;

		if (m->cmd != IPC3_TPLG_COMP_NEW || m->widget < 0 ||
		    (uint32_t)m->widget >= t->num_widgets || !ordinal[m->widget] ||
		    m->size < sizeof(struct ipc3_comp_dai) ||
		    get_le32(m->data + offsetof(struct ipc3_comp, type)) != IPC3_COMP_DAI)
			continue;
		w = &t->widgets[m->widget];
		put_le32(m->data + offsetof(struct ipc3_comp_dai, type),
			 VADSP_DAI_CONNECTION_POINT);
		put_le32(m->data + offsetof(struct ipc3_comp_dai, dai_index),
			 ordinal[m->widget] - 1);
		put_le32(m->data + offsetof(struct ipc3_comp_dai, direction),
			 w->id == TPLG_DAPM_DAI_IN ? IPC3_STREAM_PLAYBACK : IPC3_STREAM_CAPTURE);
	}
	free(ordinal);
	return 0;
}

static int build_topology(struct vguest_sof *s)
{
	struct tplg_ipc_opts opts = { .id_base = s->r.comp_id_base };
	struct tplg_error err;
	int ret;

	ret = tplg_parse(s->file, s->file_size, &s->t, &err);
	if (ret == 0)
		ret = tplg_model_build(s->t, &s->model, &err);
	if (ret == 0)
		ret = tplg_ipc_build(s->t, &opts, &s->seq, &err);
	if (ret < 0) {
		vadsp_err("guest-sof", "the guest topology: %s", err.msg);
		return ret == -ENOMEM ? ret : -EINVAL;
	}
	if (s->seq->num_ids > s->r.comp_id_count) {
		vadsp_err("guest-sof", "the guest topology needs %u ids, the device gives %u",
			  s->seq->num_ids, s->r.comp_id_count);
		return -ENOSPC;
	}
	return mark_connection_points(s);
}

int vguest_sof_load(struct vguest_sof *s)
{
	for (uint32_t k = 0; k < s->seq->num_msgs; k++) {
		const struct tplg_ipc_msg *m = &s->seq->msgs[k];
		int ret = vguest_sof_ipc(s, m->data, m->size, NULL, 0, NULL);

		if (ret < 0) {
			vadsp_err("guest-sof", "%s: %s", m->desc, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

int vguest_sof_open(struct vguest_sof **out, struct vguest *g)
{
	struct vguest_sof *s;
	uint32_t reset_status;
	int ret;

	*out = NULL;
	if (!vguest_card(g)->sof_negotiated)
		return -EOPNOTSUPP;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->g = g;
	ret = comp_id_query(s);
	if (ret == 0)
		ret = power_status(s, IPC3_VFE_POWER_ON, &reset_status);
	if (ret == 0)
		ret = fetch_topology(s);
	if (ret == 0)
		ret = build_topology(s);
	if (ret == 0)
		ret = vguest_sof_load(s);
	if (ret < 0) {
		vguest_sof_close(s);
		return ret;
	}
	*out = s;
	return 0;
}

void vguest_sof_close(struct vguest_sof *s)
{
	if (!s)
		return;
	while (s->streams)
		vguest_sof_stream_close(s->streams);
	tplg_ipc_seq_free(s->seq);
	tplg_model_free(s->model);
	tplg_free(s->t);
	free(s->file);
	free(s);
}

/* --- streams */

int vguest_sof_pcm_find(const struct vguest_sof *s, const char *name, unsigned int direction)
{
	if (direction > TPLG_MODEL_CAPTURE)
		return -ENOENT;
	for (uint32_t i = 0; i < s->model->num_pcms; i++) {
		const struct tplg_model_pcm *pcm = &s->model->pcms[i];

		if (name && strcmp(pcm->name, name))
			continue;
		if (pcm->stream[direction].present && pcm->stream[direction].host_widget >= 0)
			return (int)i;
		if (name)
			return -ENOENT;
	}
	return -ENOENT;
}

uint32_t vguest_sof_frame_bytes(const struct vguest_sof_params *p)
{
	switch (p->frame_fmt) {
	case IPC3_FRAME_S16_LE:
		return 2 * p->channels;
	case IPC3_FRAME_S24_4LE:
	case IPC3_FRAME_S32_LE:
	case IPC3_FRAME_FLOAT:
		return 4 * p->channels;
	default:
		return 0;
	}
}

/* SNDRV_PCM_FMTBIT_* of each IPC3 frame format (S24_4LE is ALSA's S24_LE). */
static const uint64_t frame_fmtbit[] = {
	[IPC3_FRAME_S16_LE] = 1ull << 2,
	[IPC3_FRAME_S24_4LE] = 1ull << 6,
	[IPC3_FRAME_S32_LE] = 1ull << 10,
	[IPC3_FRAME_FLOAT] = 1ull << 14,
};

const char *vguest_sof_frame_fmt_name(uint32_t frame_fmt)
{
	static const char *const names[] = {
		[IPC3_FRAME_S16_LE] = "S16_LE",
		[IPC3_FRAME_S24_4LE] = "S24_4LE",
		[IPC3_FRAME_S32_LE] = "S32_LE",
		[IPC3_FRAME_FLOAT] = "FLOAT",
	};

	return frame_fmt < VADSP_ARRAY_SIZE(names) ? names[frame_fmt] : "?";
}

int vguest_sof_params_choose(const struct vguest_sof *s, unsigned int pcm,
			     unsigned int direction, const struct vguest_sof_want *want,
			     struct vguest_sof_params *out, char *err, size_t err_len)
{
	static const uint32_t any[] = {
		IPC3_FRAME_S16_LE, IPC3_FRAME_S32_LE, IPC3_FRAME_S24_4LE, IPC3_FRAME_FLOAT,
	};
	const struct tplg_model_stream *c;
	const uint32_t *fmts = want->num_fmts ? want->frame_fmts : any;
	unsigned int nfmts = want->num_fmts ? want->num_fmts : VADSP_ARRAY_SIZE(any);
	uint32_t rate = want->rate ? want->rate : 48000;
	uint32_t channels = want->channels ? want->channels : 2;
	uint32_t period_us = want->period_us ? want->period_us : 10000;
	uint64_t frames;
	int fmt = -1;

	if (pcm >= s->model->num_pcms || direction > TPLG_MODEL_CAPTURE ||
	    !s->model->pcms[pcm].stream[direction].present) {
		snprintf(err, err_len, "the PCM has no %s", tplg_model_dir_name(direction));
		return -ENOENT;
	}
	c = &s->model->pcms[pcm].stream[direction];
	if (rate < IPC3_CHECK_RATE_MIN || rate > IPC3_CHECK_RATE_MAX ||
	    (c->rate_max && (rate < c->rate_min || rate > c->rate_max))) {
		snprintf(err, err_len, "rate %u Hz is outside %u-%u Hz", rate, c->rate_min,
			 c->rate_max);
		return -ENOTSUP;
	}
	if (channels > IPC3_CHECK_CHANNELS_MAX ||
	    (c->channels_max && (channels < c->channels_min || channels > c->channels_max))) {
		snprintf(err, err_len, "%u channels are outside %u-%u", channels,
			 c->channels_min, c->channels_max);
		return -ENOTSUP;
	}
	for (unsigned int i = 0; i < nfmts && fmt < 0; i++)
		if (fmts[i] < VADSP_ARRAY_SIZE(frame_fmtbit) &&
		    (!c->formats || (c->formats & frame_fmtbit[fmts[i]])))
			fmt = (int)fmts[i];
	if (fmt < 0) {
		snprintf(err, err_len, "no format asked for is allowed (formats 0x%llx)",
			 (unsigned long long)c->formats);
		return -ENOTSUP;
	}
	memset(out, 0, sizeof(*out));
	out->rate = rate;
	out->channels = channels;
	out->frame_fmt = (uint32_t)fmt;
	frames = (uint64_t)rate * period_us / 1000000;
	out->period_bytes = (uint32_t)(frames ? frames : 1) * vguest_sof_frame_bytes(out);
	out->periods = want->periods ? want->periods : 4;
	return 0;
}

static int pcm_params(struct vguest_sof_stream *st)
{
	struct vguest_sof *s = st->s;
	const struct vguest_sof_params *p = &st->p;
	uint8_t r[sizeof(struct ipc3_pcm_params_reply)];
	struct ipc3_msg m;
	uint32_t container = p->frame_fmt == IPC3_FRAME_S16_LE ? 2 : 4;
	uint32_t id;
	int ret;

	memset(&m, 0, sizeof(m));
	m.cmd = IPC3_STREAM_PCM_PARAMS;
	m.u.pcm.comp_id = st->comp_id;
	m.u.pcm.buffer_size = p->period_bytes * p->periods;	/* no pages: audio is messages */
	m.u.pcm.direction = st->direction == TPLG_MODEL_PLAYBACK ? IPC3_STREAM_PLAYBACK :
								  IPC3_STREAM_CAPTURE;
	m.u.pcm.frame_fmt = p->frame_fmt;
	m.u.pcm.rate = p->rate;
	m.u.pcm.channels = (uint16_t)p->channels;
	m.u.pcm.sample_container_bytes = (uint16_t)container;
	m.u.pcm.sample_valid_bytes = (uint16_t)(p->frame_fmt == IPC3_FRAME_S24_4LE ? 3 :
						container);
	m.u.pcm.host_period_bytes = p->period_bytes;
	m.u.pcm.no_stream_position = p->no_position ? 1 : 0;
	for (uint32_t c = 0; c < IPC3_STREAM_CHMAP_MAX; c++)
		m.u.pcm.chmap[c] = (uint16_t)c;
	ret = ipc_encoded(s, &m, r, sizeof(r));
	if (ret < 0)
		return ret;
	id = get_le32(r + offsetof(struct ipc3_pcm_params_reply, posn_offset));
	if (get_le32(r + offsetof(struct ipc3_pcm_params_reply, comp_id)) != st->comp_id ||
	    id >= s->r.max_streams)
		return -EPROTO;
	st->id = id;
	if (st->io)
		vguest_io_set_stream(st->io, id);
	return 0;
}

int vguest_sof_stream_open(struct vguest_sof *s, unsigned int pcm, unsigned int direction,
			   const struct vguest_sof_params *p, struct vguest_sof_stream **out)
{
	struct vguest_sof_stream *st;
	uint32_t frame = vguest_sof_frame_bytes(p);
	int32_t widget;
	int ret;

	*out = NULL;
	if (pcm >= s->model->num_pcms || direction > TPLG_MODEL_CAPTURE)
		return -ENOENT;
	widget = s->model->pcms[pcm].stream[direction].host_widget;
	if (!s->model->pcms[pcm].stream[direction].present || widget < 0)
		return -ENOENT;
	if (!frame || p->channels < 1 || p->channels > IPC3_CHECK_CHANNELS_MAX ||
	    !p->period_bytes || p->period_bytes % frame || !p->periods ||
	    (uint64_t)p->period_bytes * p->periods > IPC3_CHECK_HOST_BUFFER_MAX)
		return -EINVAL;
	for (st = s->streams; st; st = st->next)
		if (st->comp_id == s->r.comp_id_base + (uint32_t)widget)
			return -EBUSY;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->s = s;
	st->comp_id = s->r.comp_id_base + (uint32_t)widget;
	st->direction = direction;
	st->p = *p;
	ret = pcm_params(st);
	if (ret < 0) {
		free(st);
		return ret;
	}
	ret = vguest_io_open_id(s->g, st->id, direction == TPLG_MODEL_PLAYBACK ?
				VIRTIO_SND_D_OUTPUT : VIRTIO_SND_D_INPUT,
				p->period_bytes, p->periods, &st->io);
	if (ret < 0) {
		struct ipc3_msg m = { .cmd = IPC3_STREAM_PCM_FREE, .u.id = st->comp_id };

		ipc_encoded(s, &m, NULL, 0);
		free(st);
		return ret;
	}
	st->next = s->streams;
	s->streams = st;
	*out = st;
	return 0;
}

int vguest_sof_stream_close(struct vguest_sof_stream *st)
{
	struct ipc3_msg m = { .cmd = IPC3_STREAM_PCM_FREE };
	struct vguest_sof_stream **pp;
	struct vguest_io_done done;
	int ret;

	if (!st)
		return 0;
	m.u.id = st->comp_id;
	ret = ipc_encoded(st->s, &m, NULL, 0);
	/* PCM_FREE gave every pending message back before it replied. */
	while (vguest_io_in_flight(st->io) && vguest_io_reap(st->io, &done, SOF_DRAIN_MS) > 0)
		;
	vguest_io_close(st->io);
	for (pp = &st->s->streams; *pp; pp = &(*pp)->next) {
		if (*pp == st) {
			*pp = st->next;
			break;
		}
	}
	free(st);
	return ret;
}

struct vguest_io *vguest_sof_stream_io(struct vguest_sof_stream *st)
{
	return st->io;
}

uint32_t vguest_sof_stream_id(const struct vguest_sof_stream *st)
{
	return st->id;
}

uint32_t vguest_sof_stream_comp_id(const struct vguest_sof_stream *st)
{
	return st->comp_id;
}

int vguest_sof_stream_trigger(struct vguest_sof_stream *st, uint32_t cmd)
{
	struct ipc3_msg m = { .cmd = cmd };
	int ret;

	if (cmd != IPC3_STREAM_TRIG_START && cmd != IPC3_STREAM_TRIG_STOP &&
	    cmd != IPC3_STREAM_TRIG_PAUSE && cmd != IPC3_STREAM_TRIG_RELEASE)
		return -EINVAL;
	m.u.id = st->comp_id;
	ret = ipc_encoded(st->s, &m, NULL, 0);
	if (ret == 0)
		st->status.running = cmd == IPC3_STREAM_TRIG_START ||
				     cmd == IPC3_STREAM_TRIG_RELEASE;
	if (ret == 0 && st->status.running)
		st->xruns_recovered = st->status.xruns;	/* earlier xruns need no recovery */
	return ret;
}

int vguest_sof_stream_recover(struct vguest_sof_stream *st)
{
	int ret;

	if (st->status.xruns == st->xruns_recovered || !st->status.running)
		return 0;
	st->xruns_recovered = st->status.xruns;
	ret = vguest_sof_stream_trigger(st, IPC3_STREAM_TRIG_STOP);
	if (ret == 0)
		ret = vguest_sof_stream_trigger(st, IPC3_STREAM_TRIG_START);
	return ret < 0 ? ret : 1;
}

int vguest_sof_stream_position(struct vguest_sof_stream *st, struct ipc3_posn *posn)
{
	struct ipc3_msg m = { .cmd = IPC3_STREAM_POSITION };
	uint8_t r[sizeof(struct ipc3_stream_posn)];
	int ret;

	m.u.id = st->comp_id;
	ret = ipc_encoded(st->s, &m, r, sizeof(r));
	if (ret == 0)
		posn_decode(r, posn);
	return ret;
}

void vguest_sof_stream_status(const struct vguest_sof_stream *st,
			      struct vguest_sof_stream_status *out)
{
	*out = st->status;
}

/* --- notifications */

static void notification(struct vguest_sof *s, const uint8_t *msg, uint32_t size)
{
	uint32_t cmd = get_le32(msg + offsetof(struct ipc3_cmd_hdr, cmd));
	uint32_t base = ipc3_cmd_base(cmd);
	struct vguest_sof_stream *st;
	struct ipc3_posn p;

	if (size != sizeof(struct ipc3_stream_posn) ||
	    get_le32(msg + offsetof(struct ipc3_cmd_hdr, size)) != size ||
	    (base != IPC3_STREAM_POSITION && base != IPC3_STREAM_TRIG_XRUN)) {
		s->other_events++;
		return;
	}
	posn_decode(msg, &p);
	for (st = s->streams; st; st = st->next)
		if (st->comp_id == p.comp_id &&
		    (st->comp_id & IPC3_CMD_ID_MASK) == ipc3_cmd_id(cmd))
			break;
	if (!st) {
		s->other_events++;
		return;
	}
	if (base == IPC3_STREAM_POSITION) {
		st->status.positions++;
		st->status.posn = p;
	} else {
		st->status.xruns++;
		st->status.xrun = p;
	}
}

int vguest_sof_events(struct vguest_sof *s, int timeout_ms)
{
	uint8_t msg[IPC3_MSG_MAX_SIZE];
	int taken = 0;

	for (;;) {
		struct vguest_event ev;
		int ret = vguest_event_next_msg(s->g, &ev, msg, sizeof(msg),
						taken ? 0 : timeout_ms);

		if (ret == -EMSGSIZE) {
			s->other_events++;
			continue;
		}
		if (ret < 0)
			return ret;
		if (ret == 0)
			return taken;
		if (ev.code == VADSP_SND_EVT_SOF_IPC) {
			notification(s, msg, ev.data);
			taken++;
		} else {
			s->other_events++;
		}
	}
}

/* --- power */

int vguest_sof_power(struct vguest_sof *s, bool on, uint32_t *reset_status)
{
	uint32_t reset = 0;
	int ret;

	if (reset_status)
		*reset_status = 0;
	ret = power_status(s, on ? IPC3_VFE_POWER_ON : IPC3_VFE_POWER_OFF, &reset);
	if (ret < 0)
		return ret;
	for (struct vguest_sof_stream *st = s->streams; st; st = st->next)
		st->status.running = false;
	if (!on)
		return 0;
	if (reset_status)
		*reset_status = reset;
	if (reset == IPC3_VFE_TOPOLOGY_RESET) {
		ret = vguest_sof_load(s);
		if (ret < 0)
			return ret;
	}
	for (struct vguest_sof_stream *st = s->streams; st; st = st->next) {
		ret = pcm_params(st);
		/* Topology kept: a stream the suspend stopped is still prepared with its
		 * parameters and id, which the engine says with -EBUSY (PCM_PARAMS is taken
		 * only by a stream that has none). */
		if (ret == -EBUSY && reset == IPC3_VFE_TOPOLOGY_KEPT)
			ret = 0;
		if (ret < 0)
			return ret;
	}
	return 0;
}

int vguest_sof_ctx_save(struct vguest_sof *s)
{
	struct ipc3_msg m = { .cmd = IPC3_PM_CTX_SAVE };
	int ret;

	ret = ipc_encoded(s, &m, NULL, 0);
	if (ret == 0)
		for (struct vguest_sof_stream *st = s->streams; st; st = st->next)
			st->status.running = false;
	return ret;
}
