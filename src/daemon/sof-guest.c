// SPDX-License-Identifier: MIT
/*
 * A DSP-aware guest's SOF IPC3 session (sof-guest.h; docs/protocol.md section 4).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/sof-guest.h"
#include "ipc/ipc3-check.h"
#include "ipc/ipc3-exec.h"
#include "util/le.h"
#include "util/log.h"
#include "util/time.h"

#define LOG		"sof"
#define SG_IDS		HOSTDSP_GUEST_ID_COUNT
#define SG_PIPES	HOSTDSP_GUEST_PIPE_COUNT
#define SG_STREAMS	VADSP_VFE_MAX_STREAMS
#define SG_RING_PERIODS	4u		/* host ring: engine periods, as backend-dsp.c */
#define SG_ABI		0x03016001u	/* SOF ABI 3.22.1 */

/* Wire offsets (ipc/ipc3.h layouts). */
#define OFF_COMP_ID		offsetof(struct ipc3_comp, id)
#define OFF_COMP_TYPE		offsetof(struct ipc3_comp, type)
#define OFF_COMP_PIPE		offsetof(struct ipc3_comp, pipeline_id)
#define OFF_DAI_TYPE		offsetof(struct ipc3_comp_dai, type)
#define OFF_PIPE_PIPE		offsetof(struct ipc3_pipe_new, pipeline_id)
#define OFF_PIPE_SCHED		offsetof(struct ipc3_pipe_new, sched_id)
#define OFF_PCM_PARAMS		offsetof(struct ipc3_pcm_params, params)
#define OFF_PCM_BUFSIZE		(OFF_PCM_PARAMS + \
				 offsetof(struct ipc3_stream_params, buffer) + \
				 offsetof(struct ipc3_host_buffer, size))
#define OFF_PCM_PERIOD		(OFF_PCM_PARAMS + \
				 offsetof(struct ipc3_stream_params, host_period_bytes))
#define OFF_REPLY_ERROR		offsetof(struct ipc3_reply, error)
#define OFF_POSN_OFFSET		offsetof(struct ipc3_pcm_params_reply, posn_offset)

/* What a guest id names. */
enum sg_kind {
	SG_NONE = 0,
	SG_COMP,
	SG_BUFFER,
	SG_PIPE,		/* created in the engine */
	SG_PIPE_LATER,		/* created at its PIPE_COMPLETE (its scheduler unknown yet) */
	SG_CP,			/* a connection point: no engine object */
};

struct sg_obj {
	uint8_t kind;		/* enum sg_kind */
	uint8_t pipe;		/* the guest's pipeline id */
	uint16_t cp;		/* SG_CP: the connection-point widget's ordinal */
	uint32_t type;		/* SG_COMP: enum ipc3_comp_type */
	uint32_t peer;		/* SG_CP: the buffer connected to it, 0: none */
};

/* A connection-point widget of the guest topology, in file order. */
struct sg_cpw {
	char name[TPLG_NAME_LEN];
	bool playback;
};

struct sg_stream {
	bool used;
	bool running;		/* started and not stopped (for POWER_STATUS 0) */
	struct sof_guest_stream st;
};

struct sof_guest {
	struct sof_guest_config cfg;
	struct hostdsp_guest *g;
	uint32_t id_base;
	uint32_t pipe_base;
	bool reset_seen;	/* the guest knows its topology is gone (reset_status given) */
	bool no_period;		/* the PCM_PARAMS being run had host_period_bytes 0 */
	struct sg_obj objs[SG_IDS];
	uint8_t later[SG_IDS][sizeof(struct ipc3_pipe_new)];	/* SG_PIPE_LATER messages */
	struct sg_cpw *cpw;
	uint32_t num_cpw;
	struct sg_stream streams[SG_STREAMS];
	struct ipc3_msg msg;
	uint8_t buf[IPC3_MSG_MAX_SIZE];
};

/* ---------------------------------------------------------------------------------------- */
/* Engine-thread commands                                                                    */

static int sg_call(struct sof_guest *sg, int (*fn)(void *arg), void *arg)
{
	if (sg->cfg.call)
		return sg->cfg.call(sg->cfg.call_ctx, fn, arg);
	return fn(arg);
}

struct sg_exec_cmd {
	struct sof_guest *sg;
	const void *req;
	size_t len;
	void *reply;
	size_t cap;
	int sid;		/* a trigger's stream, or -1 */
	uint32_t cmd;
};

/* The reply's error field. */
static int32_t sg_reply_error(const void *reply)
{
	return (int32_t)get_le32((const uint8_t *)reply + OFF_REPLY_ERROR);
}

static int sg_exec_run(void *arg)
{
	struct sg_exec_cmd *c = arg;
	int n = hostdsp_guest_exec(c->sg->g, c->req, c->len, c->reply, c->cap);

	if (n >= (int)sizeof(struct ipc3_reply) && c->sid >= 0 && !sg_reply_error(c->reply) &&
	    c->sg->cfg.ops && c->sg->cfg.ops->trigger)
		c->sg->cfg.ops->trigger(c->sg->cfg.ops_data, (uint32_t)c->sid, c->cmd);
	return n;
}

/* Execute @req for the guest; @sid >= 0: a trigger of that stream. Return the reply length. */
static int sg_exec(struct sof_guest *sg, const void *req, size_t len, void *reply, size_t cap,
		   int sid)
{
	struct sg_exec_cmd c = {
		.sg = sg, .req = req, .len = len, .reply = reply, .cap = cap, .sid = sid,
		.cmd = len >= 8 ? get_le32((const uint8_t *)req + 4) : 0,
	};
	int n = sg_call(sg, sg_exec_run, &c);

	/* The engine says -ENODEV for an id that names nothing: -ENOENT for the guest. */
	if (n >= (int)sizeof(struct ipc3_reply) && sg_reply_error(reply) == -ENODEV)
		put_le32((uint8_t *)reply + OFF_REPLY_ERROR, (uint32_t)-ENOENT);
	return n;
}

/* Send a request vadsp builds itself (a stop) as the guest; return its error. */
static int sg_exec_simple(struct sof_guest *sg, uint32_t cmd, uint32_t id, int sid)
{
	uint8_t req[sizeof(struct ipc3_stream)], reply[IPC3_MSG_MAX_SIZE];
	int n;

	put_le32(req, sizeof(req));
	put_le32(req + 4, cmd);
	put_le32(req + 8, id);
	n = sg_exec(sg, req, sizeof(req), reply, sizeof(reply), sid);
	return n < (int)sizeof(struct ipc3_reply) ? -EPROTO : sg_reply_error(reply);
}

struct sg_cp_cmd {
	struct hostdsp_guest *g;
	struct hostdsp *h;
	const char *name;
	bool playback;
	uint32_t buffer;
	uint32_t pipeline;
	uint32_t sched;		/* COMP_FREE: the point's pipeline (comp_id), 0: not created */
};

static int sg_cp_run(void *arg)
{
	struct sg_cp_cmd *c = arg;

	return hostdsp_guest_cp_connect(c->g, c->name, c->playback, c->buffer, c->pipeline);
}

/* COMP_FREE of a connection point: refused as for any component of a prepared or running
 * pipeline; otherwise its buffer leaves the host mixer / demux now. */
static int sg_cp_free_run(void *arg)
{
	struct sg_cp_cmd *c = arg;

	if (c->sched && dsp_comp_state(hostdsp_engine(c->h), c->sched) >= DSP_STATE_PREPARE)
		return -EBUSY;
	if (!c->buffer)
		return 0;
	return hostdsp_guest_cp_disconnect(c->g, c->name, c->playback, c->buffer, c->pipeline);
}

static int sg_cp_release_run(void *arg)
{
	struct sg_cp_cmd *c = arg;

	hostdsp_guest_cp_release(c->g, c->pipeline);
	return 0;
}

static int sg_reset_run(void *arg)
{
	return hostdsp_guest_reset(arg);
}

static int sg_detach_run(void *arg)
{
	return hostdsp_guest_detach(arg);
}

struct sg_posn_cmd {
	struct hostdsp *h;
	uint32_t id;
	struct dsp_stream_posn posn;
};

static int sg_posn_run(void *arg)
{
	struct sg_posn_cmd *c = arg;

	return dsp_stream_position(hostdsp_engine(c->h), c->id, &c->posn);
}

struct sg_open_cmd {
	struct hostdsp *h;
	uint32_t slot;
	struct hostdsp_guest **out;
};

static int sg_open_run(void *arg)
{
	struct sg_open_cmd *c = arg;

	return hostdsp_guest_open(c->h, c->slot, c->out);
}

/* ---------------------------------------------------------------------------------------- */
/* Session                                                                                   */

static int sg_find_cps(struct sof_guest *sg)
{
	const struct tplg *t = sg->cfg.tplg;

	if (!t)
		return 0;
	sg->cpw = calloc(t->num_widgets ? t->num_widgets : 1, sizeof(*sg->cpw));
	if (!sg->cpw)
		return -ENOMEM;
	for (uint32_t w = 0; w < t->num_widgets; w++) {
		const struct tplg_widget *wd = &t->widgets[w];

		if ((wd->id != TPLG_DAPM_DAI_IN && wd->id != TPLG_DAPM_DAI_OUT) ||
		    !wd->tokens.vadsp.cp_name[0])
			continue;
		memcpy(sg->cpw[sg->num_cpw].name, wd->tokens.vadsp.cp_name, TPLG_NAME_LEN);
		sg->cpw[sg->num_cpw].name[TPLG_NAME_LEN - 1] = '\0';
		sg->cpw[sg->num_cpw++].playback = wd->id == TPLG_DAPM_DAI_IN;
	}
	return 0;
}

int sof_guest_create(struct sof_guest **out, const struct sof_guest_config *cfg)
{
	struct sof_guest *sg;
	struct sg_open_cmd oc;
	int ret;

	if (!cfg->h || cfg->slot >= HOSTDSP_MAX_SLOTS ||
	    cfg->topology_size > VADSP_VFE_TOPOLOGY_MAX || (!cfg->topology && cfg->topology_size))
		return -EINVAL;
	sg = calloc(1, sizeof(*sg));
	if (!sg)
		return -ENOMEM;
	sg->cfg = *cfg;
	sg->id_base = HOSTDSP_GUEST_ID_BASE * (cfg->slot + 1);
	sg->pipe_base = HOSTDSP_GUEST_PIPE_BASE * (cfg->slot + 1);
	ret = sg_find_cps(sg);
	if (ret < 0)
		goto fail;
	oc = (struct sg_open_cmd){ .h = cfg->h, .slot = cfg->slot, .out = &sg->g };
	ret = sg_call(sg, sg_open_run, &oc);
	if (ret < 0)
		goto fail;
	*out = sg;
	return 0;
fail:
	free(sg->cpw);
	free(sg);
	return ret;
}

static void sg_stream_close(struct sof_guest *sg, uint32_t sid)
{
	struct sg_stream *s = &sg->streams[sid];

	if (!s->used)
		return;
	if (sg->cfg.ops && sg->cfg.ops->close)
		sg->cfg.ops->close(sg->cfg.ops_data, sid);
	memset(s, 0, sizeof(*s));
}

int sof_guest_reset(struct sof_guest *sg)
{
	int ret;

	for (uint32_t i = 0; i < SG_STREAMS; i++) {
		struct sg_stream *s = &sg->streams[i];

		if (!s->used)
			continue;
		sg_exec_simple(sg, IPC3_STREAM_TRIG_STOP, s->st.host_id, (int)i);
		sg_stream_close(sg, i);
	}
	ret = sg_call(sg, sg_reset_run, sg->g);
	memset(sg->objs, 0, sizeof(sg->objs));
	sg->reset_seen = false;
	return ret;
}

void sof_guest_destroy(struct sof_guest *sg)
{
	if (!sg)
		return;
	sof_guest_reset(sg);
	sg_call(sg, sg_detach_run, sg->g);
	free(sg->cpw);
	free(sg);
}

uint32_t sof_guest_objects(const struct sof_guest *sg)
{
	return hostdsp_guest_objects(sg->g);
}

uint32_t sof_guest_streams(const struct sof_guest *sg)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < SG_STREAMS; i++)
		n += sg->streams[i].used;
	return n;
}

/* ---------------------------------------------------------------------------------------- */
/* Replies                                                                                   */

static int sg_reply(void *reply, size_t cap, int err)
{
	return ipc3_encode_reply(reply, cap, ipc3_exec_reply_errno(err));
}

static bool sg_in_range(const struct sof_guest *sg, uint32_t id)
{
	return id >= sg->id_base && id - sg->id_base < SG_IDS;
}

static struct sg_obj *sg_obj(struct sof_guest *sg, uint32_t id)
{
	return &sg->objs[id - sg->id_base];
}

static int sg_stream_of(const struct sof_guest *sg, uint32_t host_id)
{
	for (uint32_t i = 0; i < SG_STREAMS; i++)
		if (sg->streams[i].used && sg->streams[i].st.host_id == host_id)
			return (int)i;
	return -1;
}

/* ---------------------------------------------------------------------------------------- */
/* VFE messages                                                                              */

static int sg_vfe_get(struct sof_guest *sg, const uint8_t *req, size_t len, uint8_t *reply,
		      size_t cap)
{
	uint32_t off, n, total = (uint32_t)sg->cfg.topology_size;

	if (len != sizeof(struct vadsp_vfe_get) || get_le32(req + 12))
		return sg_reply(reply, cap, -EINVAL);
	if (!sg->cfg.topology)
		return sg_reply(reply, cap, -ENOENT);
	off = get_le32(req + 8);
	if (off > total)
		return sg_reply(reply, cap, -ERANGE);
	n = VADSP_MIN(total - off, (uint32_t)VADSP_VFE_GET_CHUNK_MAX);
	put_le32(reply, (uint32_t)sizeof(struct vadsp_vfe_get_reply) + n);
	put_le32(reply + 4, IPC3_REPLY);
	put_le32(reply + 8, 0);
	put_le32(reply + 12, total);
	put_le32(reply + 16, off);
	put_le32(reply + 20, n);
	memcpy(reply + sizeof(struct vadsp_vfe_get_reply), sg->cfg.topology + off, n);
	return (int)(sizeof(struct vadsp_vfe_get_reply) + n);
}

static int sg_vfe_comp_id(struct sof_guest *sg, size_t len, uint8_t *reply, size_t cap)
{
	/* magic, version, comp_id_base, comp_id_count, pipeline_count, max_streams, abi */
	const uint32_t v[] = {
		VADSP_VFE_MAGIC, VADSP_VFE_VERSION, sg->id_base, SG_IDS, SG_PIPES, SG_STREAMS,
		SG_ABI,
	};

	if (len != sizeof(struct ipc3_cmd_hdr))
		return sg_reply(reply, cap, -EINVAL);
	put_le32(reply, sizeof(struct vadsp_vfe_comp_id_reply));
	put_le32(reply + 4, IPC3_REPLY);
	put_le32(reply + 8, 0);
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(v); i++)
		put_le32(reply + sizeof(struct ipc3_reply) + 4 * i, v[i]);
	return sizeof(struct vadsp_vfe_comp_id_reply);
}

static int sg_power(struct sof_guest *sg, const uint8_t *req, size_t len, uint8_t *reply,
		    size_t cap)
{
	uint32_t power, status = IPC3_VFE_TOPOLOGY_KEPT;

	if (len != sizeof(struct vadsp_vfe_power))
		return sg_reply(reply, cap, -EINVAL);
	power = get_le32(req + 8);
	if (power == IPC3_VFE_POWER_OFF) {
		for (uint32_t i = 0; i < SG_STREAMS; i++) {
			if (!sg->streams[i].used || !sg->streams[i].running)
				continue;
			sg_exec_simple(sg, IPC3_STREAM_TRIG_STOP, sg->streams[i].st.host_id,
				       (int)i);
			sg->streams[i].running = false;
		}
	} else if (power == IPC3_VFE_POWER_ON) {
		if (!sg->reset_seen)
			status = IPC3_VFE_TOPOLOGY_RESET;
		sg->reset_seen = true;
	} else {
		return sg_reply(reply, cap, -EINVAL);
	}
	put_le32(reply, sizeof(struct vadsp_vfe_power_reply));
	put_le32(reply + 4, IPC3_REPLY);
	put_le32(reply + 8, 0);
	put_le32(reply + 12, status);
	return sizeof(struct vadsp_vfe_power_reply);
}

/* ---------------------------------------------------------------------------------------- */
/* Topology messages                                                                         */

/* COMP_NEW, BUFFER_NEW: range, pipeline and uniqueness, then the rewritten message. */
static int sg_new(struct sof_guest *sg, const struct ipc3_msg *m, bool cp, uint8_t *reply,
		  size_t cap)
{
	bool buffer = m->cmd == IPC3_TPLG_BUFFER_NEW;
	uint32_t id = buffer ? m->u.buffer.id : m->u.comp.id;
	uint32_t pipe = buffer ? m->u.buffer.pipeline_id : m->u.comp.pipeline_id;
	struct sg_obj *o;
	int n;

	if (!sg_in_range(sg, id) || pipe >= SG_PIPES)
		return sg_reply(reply, cap, -EACCES);
	o = sg_obj(sg, id);
	if (o->kind != SG_NONE)
		return sg_reply(reply, cap, -EEXIST);
	if (cp) {
		uint32_t ord = m->u.comp.u.dai.index;

		if (ord >= sg->num_cpw)
			return sg_reply(reply, cap, -EACCES);
		if (sg->cpw[ord].playback != (m->u.comp.u.dai.direction == IPC3_STREAM_PLAYBACK))
			return sg_reply(reply, cap, -EINVAL);
		*o = (struct sg_obj){ .kind = SG_CP, .pipe = (uint8_t)pipe, .cp = (uint16_t)ord };
		return ipc3_encode_comp_reply(reply, cap, id);
	}
	put_le32(sg->buf + OFF_COMP_PIPE, sg->pipe_base + pipe);
	n = sg_exec(sg, sg->buf, m->size, reply, cap, -1);
	if (n >= (int)sizeof(struct ipc3_reply) && !sg_reply_error(reply))
		*o = (struct sg_obj){ .kind = buffer ? SG_BUFFER : SG_COMP, .pipe = (uint8_t)pipe,
				      .type = buffer ? IPC3_COMP_BUFFER : m->u.comp.type };
	return n;
}

static int sg_pipe_new(struct sof_guest *sg, const struct ipc3_msg *m, uint8_t *reply,
		       size_t cap)
{
	const struct ipc3_msg_pipe *p = &m->u.pipe;
	struct sg_obj *o;
	int n;

	if (!sg_in_range(sg, p->comp_id) || !sg_in_range(sg, p->sched_id) ||
	    p->pipeline_id >= SG_PIPES)
		return sg_reply(reply, cap, -EACCES);
	o = sg_obj(sg, p->comp_id);
	if (o->kind != SG_NONE)
		return sg_reply(reply, cap, -EEXIST);
	for (uint32_t i = 0; i < SG_IDS; i++)
		if ((sg->objs[i].kind == SG_PIPE || sg->objs[i].kind == SG_PIPE_LATER) &&
		    sg->objs[i].pipe == p->pipeline_id)
			return sg_reply(reply, cap, -EEXIST);
	put_le32(sg->buf + OFF_PIPE_PIPE, sg->pipe_base + p->pipeline_id);
	/* Scheduled by a connection point, or by what is not there yet (which may become
	 * one): created at PIPE_COMPLETE, when its host component is known. */
	if (sg_obj(sg, p->sched_id)->kind == SG_NONE || sg_obj(sg, p->sched_id)->kind == SG_CP) {
		memcpy(sg->later[p->comp_id - sg->id_base], sg->buf, sizeof(struct ipc3_pipe_new));
		*o = (struct sg_obj){ .kind = SG_PIPE_LATER, .pipe = (uint8_t)p->pipeline_id };
		return ipc3_encode_comp_reply(reply, cap, p->comp_id);
	}
	n = sg_exec(sg, sg->buf, m->size, reply, cap, -1);
	if (n >= (int)sizeof(struct ipc3_reply) && !sg_reply_error(reply))
		*o = (struct sg_obj){ .kind = SG_PIPE, .pipe = (uint8_t)p->pipeline_id };
	return n;
}

/* Create a pipeline left for its PIPE_COMPLETE; 0 or the error. */
static int sg_pipe_create(struct sof_guest *sg, uint32_t comp_id)
{
	uint8_t *msg = sg->later[comp_id - sg->id_base];
	uint8_t reply[IPC3_MSG_MAX_SIZE];
	uint32_t sched = get_le32(msg + OFF_PIPE_SCHED);
	struct sg_obj *o = sg_obj(sg, comp_id);
	int n;

	if (sg_in_range(sg, sched) && sg_obj(sg, sched)->kind == SG_CP) {
		/* Its host component schedules it: the host DSP keeps the clock. */
		uint32_t host = 0;

		for (uint32_t i = 0; i < SG_IDS && !host; i++)
			if (sg->objs[i].kind == SG_COMP && sg->objs[i].pipe == o->pipe &&
			    sg->objs[i].type == IPC3_COMP_HOST)
				host = sg->id_base + i;
		if (!host)
			return -EINVAL;
		put_le32(msg + OFF_PIPE_SCHED, host);
	}
	n = sg_exec(sg, msg, sizeof(struct ipc3_pipe_new), reply, sizeof(reply), -1);
	if (n < (int)sizeof(struct ipc3_reply))
		return -EPROTO;
	if (sg_reply_error(reply))
		return sg_reply_error(reply);
	o->kind = SG_PIPE;
	return 0;
}

static int sg_connect(struct sof_guest *sg, const struct ipc3_msg *m, uint8_t *reply,
		      size_t cap)
{
	uint32_t src = m->u.connect.source_id, sink = m->u.connect.sink_id;
	struct sg_obj *so, *ko, *cp, *buf;
	struct sg_cp_cmd c;
	int ret;

	if (!sg_in_range(sg, src) || !sg_in_range(sg, sink))
		return sg_reply(reply, cap, -EACCES);
	so = sg_obj(sg, src);
	ko = sg_obj(sg, sink);
	if (so->kind != SG_CP && ko->kind != SG_CP)
		return sg_exec(sg, sg->buf, m->size, reply, cap, -1);
	cp = ko->kind == SG_CP ? ko : so;
	buf = ko->kind == SG_CP ? so : ko;
	if (buf->kind == SG_NONE)
		return sg_reply(reply, cap, -ENOENT);
	if (buf->kind != SG_BUFFER)
		return sg_reply(reply, cap, -EINVAL);
	/* buffer -> point plays, point -> buffer records: as the point's widget. */
	if (sg->cpw[cp->cp].playback != (cp == ko))
		return sg_reply(reply, cap, -EINVAL);
	if (cp->peer)
		return sg_reply(reply, cap, -EBUSY);
	c = (struct sg_cp_cmd){
		.g = sg->g, .name = sg->cpw[cp->cp].name, .playback = cp == ko,
		.buffer = cp == ko ? src : sink, .pipeline = sg->pipe_base + buf->pipe,
	};
	ret = sg_call(sg, sg_cp_run, &c);
	if (ret == -ENODEV)
		ret = -ENOENT;
	if (!ret)
		cp->peer = c.buffer;
	return sg_reply(reply, cap, ret);
}

/* COMP_FREE of connection point @cp: 0 when it is detached, or the error. */
static int sg_cp_free(struct sof_guest *sg, const struct sg_obj *cp)
{
	struct sg_cp_cmd c = {
		.g = sg->g, .h = sg->cfg.h, .name = sg->cpw[cp->cp].name,
		.playback = sg->cpw[cp->cp].playback, .buffer = cp->peer,
	};

	for (uint32_t i = 0; i < SG_IDS && !c.sched; i++)
		if (sg->objs[i].kind == SG_PIPE && sg->objs[i].pipe == cp->pipe)
			c.sched = sg->id_base + i;
	if (cp->peer)
		c.pipeline = sg->pipe_base + sg_obj(sg, cp->peer)->pipe;
	return sg_call(sg, sg_cp_free_run, &c);
}

/* COMP_FREE, BUFFER_FREE, PIPE_FREE, PIPE_COMPLETE. */
static int sg_id_msg(struct sof_guest *sg, const struct ipc3_msg *m, uint8_t *reply, size_t cap)
{
	uint32_t id = m->u.id;
	struct sg_obj *o;
	int n, ret;

	if (!sg_in_range(sg, id))
		return sg_reply(reply, cap, -EACCES);
	o = sg_obj(sg, id);
	if (o->kind == SG_NONE)
		return sg_reply(reply, cap, -ENOENT);
	if (o->kind == SG_CP) {
		if (m->cmd != IPC3_TPLG_COMP_FREE)
			return sg_reply(reply, cap, -EINVAL);
		ret = sg_cp_free(sg, o);
		if (!ret)
			memset(o, 0, sizeof(*o));
		return sg_reply(reply, cap, ret);
	}
	if (o->kind == SG_PIPE_LATER) {
		if (m->cmd == IPC3_TPLG_PIPE_FREE) {
			memset(o, 0, sizeof(*o));
			return sg_reply(reply, cap, 0);
		}
		if (m->cmd != IPC3_TPLG_PIPE_COMPLETE)
			return sg_reply(reply, cap, -EINVAL);
		ret = sg_pipe_create(sg, id);
		if (ret)
			return sg_reply(reply, cap, ret);
	}
	n = sg_exec(sg, sg->buf, m->size, reply, cap, -1);
	if (n >= (int)sizeof(struct ipc3_reply) && !sg_reply_error(reply) &&
	    (m->cmd == IPC3_TPLG_COMP_FREE || m->cmd == IPC3_TPLG_BUFFER_FREE ||
	     m->cmd == IPC3_TPLG_PIPE_FREE)) {
		for (uint32_t i = 0; i < SG_IDS; i++) {
			struct sg_cp_cmd c = { .g = sg->g, .pipeline = sg->pipe_base + o->pipe };

			if (sg->objs[i].kind != SG_CP || sg->objs[i].peer != id)
				continue;
			sg->objs[i].peer = 0;
			/* A capture buffer leaves the demux: its routing goes with it. */
			if (!sg->cpw[sg->objs[i].cp].playback)
				sg_call(sg, sg_cp_release_run, &c);
		}
		memset(o, 0, sizeof(*o));
	}
	return n;
}

/* ---------------------------------------------------------------------------------------- */
/* Streams                                                                                   */

static uint32_t sg_sample_bytes(uint32_t frame_fmt)
{
	return frame_fmt == IPC3_FRAME_S16_LE ? 2 : 4;
}

static int sg_pcm_params(struct sof_guest *sg, const struct ipc3_msg *m, uint8_t *reply,
			 size_t cap)
{
	const struct ipc3_msg_pcm_params *pp = &m->u.pcm;
	struct sof_guest_stream st;
	struct sg_obj *o;
	uint32_t period_frames;
	int sid, n, ret;

	if (!sg_in_range(sg, pp->comp_id))
		return sg_reply(reply, cap, -EACCES);
	o = sg_obj(sg, pp->comp_id);
	if (o->kind == SG_NONE)
		return sg_reply(reply, cap, -ENOENT);
	if (o->kind != SG_COMP || o->type != IPC3_COMP_HOST)
		return sg_reply(reply, cap, -EINVAL);
	st = (struct sof_guest_stream){
		.host_id = pp->comp_id,
		.playback = pp->direction == IPC3_STREAM_PLAYBACK,
		.frame_fmt = pp->frame_fmt,
		.frame_bytes = sg_sample_bytes(pp->frame_fmt) * pp->channels,
		.rate = pp->rate,
		.posn_bytes = pp->no_stream_position || sg->no_period ? 0 : pp->host_period_bytes,
	};
	if ((pp->frame_fmt != IPC3_FRAME_S16_LE && pp->frame_fmt != IPC3_FRAME_S24_4LE &&
	     pp->frame_fmt != IPC3_FRAME_S32_LE && pp->frame_fmt != IPC3_FRAME_FLOAT) ||
	    pp->host_period_bytes % st.frame_bytes ||
	    pp->sample_container_bytes != sg_sample_bytes(pp->frame_fmt))
		return sg_reply(reply, cap, -EINVAL);
	sid = sg_stream_of(sg, pp->comp_id);
	if (sid >= 0) {
		/* Parameters again (a resume): the stream keeps its id and gets a new ring;
		 * the engine refuses while it runs (-EBUSY). */
		ret = sg_exec_simple(sg, IPC3_STREAM_PCM_FREE, pp->comp_id, -1);
		if (ret)
			return sg_reply(reply, cap, ret);
		sg_stream_close(sg, (uint32_t)sid);
	}
	for (uint32_t i = 0; i < SG_STREAMS && sid < 0; i++)
		if (!sg->streams[i].used)
			sid = (int)i;
	if (sid < 0)
		return sg_reply(reply, cap, -ENOSPC);
	/* The engine's host ring: four engine periods, as for the plain device's streams. */
	period_frames = (uint32_t)(((uint64_t)pp->rate *
				    dsp_engine_period_us(hostdsp_engine(sg->cfg.h)) + 999999u) /
				   1000000u);
	st.ring_bytes = SG_RING_PERIODS * period_frames * st.frame_bytes;
	put_le32(sg->buf + OFF_PCM_BUFSIZE, st.ring_bytes);
	put_le32(sg->buf + OFF_PCM_PERIOD, st.ring_bytes / SG_RING_PERIODS);
	n = sg_exec(sg, sg->buf, m->size, reply, cap, -1);
	if (n < (int)sizeof(struct ipc3_pcm_params_reply) || sg_reply_error(reply))
		return n;
	sg->streams[sid].used = true;
	sg->streams[sid].st = st;
	if (sg->cfg.ops && sg->cfg.ops->open) {
		ret = sg->cfg.ops->open(sg->cfg.ops_data, (uint32_t)sid, &st);
		if (ret < 0) {
			sg_stream_close(sg, (uint32_t)sid);
			sg_exec_simple(sg, IPC3_STREAM_PCM_FREE, pp->comp_id, -1);
			return sg_reply(reply, cap, ret);
		}
	}
	put_le32(reply + OFF_POSN_OFFSET, (uint32_t)sid);
	return n;
}

/* TRIG_*, PCM_FREE, POSITION. */
static int sg_stream_msg(struct sof_guest *sg, const struct ipc3_msg *m, uint8_t *reply,
			 size_t cap)
{
	uint32_t id = m->u.id;
	int sid, n;

	if (!sg_in_range(sg, id))
		return sg_reply(reply, cap, -EACCES);
	if (sg_obj(sg, id)->kind == SG_NONE)
		return sg_reply(reply, cap, -ENOENT);
	sid = sg_stream_of(sg, id);
	if (m->cmd == IPC3_STREAM_PCM_FREE && sid >= 0) {
		/* Stopped first, its messages given back (S_IO_ERR), then freed. */
		if (sg->streams[sid].running)
			sg_exec_simple(sg, IPC3_STREAM_TRIG_STOP, id, sid);
		sg_stream_close(sg, (uint32_t)sid);
		return sg_exec(sg, sg->buf, m->size, reply, cap, -1);
	}
	n = sg_exec(sg, sg->buf, m->size, reply, cap, sid);
	if (m->cmd == IPC3_STREAM_POSITION && sid >= 0 &&
	    n == (int)sizeof(struct ipc3_stream_posn) && !sg_reply_error(reply)) {
		/* As the notifications count (4.8): bytes since START, monotonic time. */
		struct sg_posn_cmd c = { .h = sg->cfg.h, .id = id };
		uint64_t bytes, now;

		if (sg_call(sg, sg_posn_run, &c) == 0) {
			bytes = c.posn.host_frames * sg->streams[sid].st.frame_bytes;
			now = vadsp_now_ns();
			put_le32(reply + offsetof(struct ipc3_stream_posn, wallclock_hz),
				 1000000000u);
			put_le64(reply + offsetof(struct ipc3_stream_posn, host_posn), bytes);
			put_le64(reply + offsetof(struct ipc3_stream_posn, dai_posn), bytes);
			put_le64(reply + offsetof(struct ipc3_stream_posn, comp_posn), bytes);
			put_le64(reply + offsetof(struct ipc3_stream_posn, wallclock), now);
			put_le64(reply + offsetof(struct ipc3_stream_posn, timestamp), now);
		}
	}
	if (sid >= 0 && n >= (int)sizeof(struct ipc3_reply) && !sg_reply_error(reply)) {
		if (m->cmd == IPC3_STREAM_TRIG_START || m->cmd == IPC3_STREAM_TRIG_RELEASE)
			sg->streams[sid].running = true;
		else if (m->cmd == IPC3_STREAM_TRIG_STOP || m->cmd == IPC3_STREAM_TRIG_PAUSE)
			sg->streams[sid].running = false;
	}
	return n;
}

/* Controls: the id in range and created by the guest. */
static int sg_ctrl(struct sof_guest *sg, const struct ipc3_msg *m, uint8_t *reply, size_t cap)
{
	uint32_t id = m->u.ctrl.comp_id;

	if (!sg_in_range(sg, id))
		return sg_reply(reply, cap, -EACCES);
	if (sg_obj(sg, id)->kind != SG_COMP)
		return sg_reply(reply, cap, sg_obj(sg, id)->kind == SG_NONE ? -ENOENT : -EINVAL);
	return sg_exec(sg, sg->buf, m->size, reply, cap, -1);
}

/* ---------------------------------------------------------------------------------------- */

int sof_guest_ipc(struct sof_guest *sg, const void *req, size_t len, void *reply, size_t cap)
{
	const uint8_t *r = req;
	uint8_t *out = reply;
	struct ipc3_msg *m = &sg->msg;
	bool dai = false, cp = false;
	uint32_t cmd;
	int ret;

	if (cap < IPC3_MSG_MAX_SIZE)
		return -ENOSPC;
	if (len < sizeof(struct ipc3_cmd_hdr) || len > IPC3_MSG_MAX_SIZE || get_le32(r) != len)
		return -EINVAL;
	cmd = get_le32(r + 4);
	switch (cmd) {
	case IPC3_TPLG_VFE_GET:
		return sg_vfe_get(sg, r, len, out, cap);
	case IPC3_TPLG_VFE_COMP_ID:
		return sg_vfe_comp_id(sg, len, out, cap);
	case IPC3_PM_VFE_POWER_STATUS:
		return sg_power(sg, r, len, out, cap);
	default:
		break;
	}
	memcpy(sg->buf, r, len);
	/* A DAI is only ever a connection point, whose type the validator does not know:
	 * validate it as a DAI of type 0. */
	if (cmd == IPC3_TPLG_COMP_NEW && len >= sizeof(struct ipc3_comp_dai) &&
	    get_le32(r + OFF_COMP_TYPE) == IPC3_COMP_DAI) {
		dai = true;
		cp = get_le32(r + OFF_DAI_TYPE) == VADSP_DAI_CONNECTION_POINT;
		put_le32(sg->buf + OFF_DAI_TYPE, 0);
	}
	/* host_period_bytes 0 means no positions (4.7); the validator wants a period. */
	sg->no_period = cmd == IPC3_STREAM_PCM_PARAMS && len >= sizeof(struct ipc3_pcm_params) &&
			!get_le32(r + OFF_PCM_PERIOD);
	if (sg->no_period)
		put_le32(sg->buf + OFF_PCM_PERIOD, get_le32(r + OFF_PCM_BUFSIZE));
	ret = ipc3_check(sg->buf, len, IPC3_ORIGIN_GUEST, m);
	if (ret < 0) {
		vadsp_dbg(LOG, "slot %u: refused %s: %s", sg->cfg.slot, ipc3_cmd_name(cmd),
			  m->reason);
		return sg_reply(out, cap, ret);
	}
	if (dai && !cp)
		return sg_reply(out, cap, -EACCES);
	switch (m->cmd) {
	case IPC3_TPLG_COMP_NEW:
	case IPC3_TPLG_BUFFER_NEW:
		return sg_new(sg, m, cp, out, cap);
	case IPC3_TPLG_PIPE_NEW:
		return sg_pipe_new(sg, m, out, cap);
	case IPC3_TPLG_COMP_CONNECT:
		return sg_connect(sg, m, out, cap);
	case IPC3_TPLG_COMP_FREE:
	case IPC3_TPLG_BUFFER_FREE:
	case IPC3_TPLG_PIPE_FREE:
	case IPC3_TPLG_PIPE_COMPLETE:
		return sg_id_msg(sg, m, out, cap);
	case IPC3_STREAM_PCM_PARAMS:
		return sg_pcm_params(sg, m, out, cap);
	case IPC3_STREAM_PCM_FREE:
	case IPC3_STREAM_TRIG_START:
	case IPC3_STREAM_TRIG_STOP:
	case IPC3_STREAM_TRIG_PAUSE:
	case IPC3_STREAM_TRIG_RELEASE:
	case IPC3_STREAM_TRIG_XRUN:
	case IPC3_STREAM_POSITION:
		return sg_stream_msg(sg, m, out, cap);
	case IPC3_COMP_SET_VALUE:
	case IPC3_COMP_GET_VALUE:
	case IPC3_COMP_SET_DATA:
	case IPC3_COMP_GET_DATA:
		return sg_ctrl(sg, m, out, cap);
	case IPC3_PM_CTX_SAVE:
		/* The firmware's power down: the guest's topology is gone. */
		return sg_reply(out, cap, sof_guest_reset(sg));
	default:
		/* PM_CTX_RESTORE, PM_CTX_SIZE, PM_CORE_ENABLE, PM_GATE: accepted. */
		return sg_exec(sg, sg->buf, len, out, cap, -1);
	}
}

int sof_guest_read_topology(const char *path, uint8_t **out, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n;
	int ret;

	if (!f) {
		ret = -errno;
		vadsp_err(LOG, "%s: %s", path, strerror(-ret));
		return ret;
	}
	buf = malloc(VADSP_VFE_TOPOLOGY_MAX + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, VADSP_VFE_TOPOLOGY_MAX + 1, f);
	ret = ferror(f) ? -EIO : 0;
	fclose(f);
	if (!ret && n > VADSP_VFE_TOPOLOGY_MAX)
		ret = -EFBIG;
	if (ret < 0) {
		vadsp_err(LOG, "%s: %s", path, ret == -EFBIG ? "larger than the 1 MiB a guest may "
			  "fetch" : strerror(-ret));
		free(buf);
		return ret;
	}
	*out = buf;
	*size = n;
	return 0;
}
