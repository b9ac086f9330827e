// SPDX-License-Identifier: MIT
/*
 * SOF IPC3 executor: validated requests -> DSP engine calls -> replies.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/ipc3-exec.h"
#include "util/compiler.h"
#include "util/le.h"
#include "util/log.h"

enum exec_obj_kind {
	EXEC_OBJ_COMP,
	EXEC_OBJ_BUFFER,
	EXEC_OBJ_PIPE,
};

/* An object this executor created. */
struct exec_obj {
	uint32_t id;
	uint32_t kind;		/* enum exec_obj_kind */
	uint32_t type;		/* component type (EXEC_OBJ_COMP) */
	uint32_t bytes;		/* buffer size (EXEC_OBJ_BUFFER), counted in buffer_bytes */
};

/* A binary control blob arriving in parts. */
struct exec_blob {
	bool active;
	uint32_t comp_id;
	uint32_t size;		/* whole blob */
	uint32_t received;
	uint32_t next_index;	/* msg_index of the next part */
	uint8_t *buf;
};

struct ipc3_exec {
	struct dsp_engine *engine;
	struct ipc3_exec_config cfg;
	struct exec_obj *objs;
	uint32_t num_objs;
	uint32_t cap_objs;
	uint64_t buffer_bytes;	/* sum of the buffers' bytes */
	struct exec_blob blob;
	uint8_t scratch[DSP_CTRL_DATA_MAX];
	struct ipc3_msg msg;	/* the request being executed (too big for a stack frame) */
};

int32_t ipc3_exec_reply_errno(int err)
{
	if (err >= 0)
		return 0;
	if (err >= -4095)
		return err;
	return -EIO;
}

int ipc3_exec_create(struct ipc3_exec **out, struct dsp_engine *engine,
		     const struct ipc3_exec_config *cfg)
{
	struct ipc3_exec *x;

	if (!engine)
		return -EINVAL;
	if (cfg && ((uint64_t)cfg->id_base + cfg->id_count > (uint64_t)UINT32_MAX + 1 ||
		    (uint64_t)cfg->pipe_base + cfg->pipe_count > (uint64_t)UINT32_MAX + 1))
		return -EINVAL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->engine = engine;
	if (cfg)
		x->cfg = *cfg;
	*out = x;
	return 0;
}

static void blob_drop(struct ipc3_exec *x)
{
	free(x->blob.buf);
	memset(&x->blob, 0, sizeof(x->blob));
}

void ipc3_exec_destroy(struct ipc3_exec *x)
{
	if (!x)
		return;
	blob_drop(x);
	free(x->objs);
	free(x);
}

uint32_t ipc3_exec_objects(const struct ipc3_exec *x)
{
	return x->num_objs;
}

uint64_t ipc3_exec_buffer_bytes(const struct ipc3_exec *x)
{
	return x->buffer_bytes;
}

/* ---------------------------------------------------------------------------------------- */
/* Ownership                                                                                 */

static bool id_ok(const struct ipc3_exec *x, uint32_t id)
{
	return x->cfg.id_count == 0 || (id >= x->cfg.id_base &&
					(uint64_t)id < (uint64_t)x->cfg.id_base + x->cfg.id_count);
}

static bool pipe_ok(const struct ipc3_exec *x, uint32_t pipeline_id)
{
	return x->cfg.pipe_count == 0 ||
	       (pipeline_id >= x->cfg.pipe_base &&
		(uint64_t)pipeline_id < (uint64_t)x->cfg.pipe_base + x->cfg.pipe_count);
}

/* Every id and pipeline_id a request names lies in the executor's ranges. */
static bool owns(const struct ipc3_exec *x, const struct ipc3_msg *m)
{
	switch (m->cmd) {
	case IPC3_TPLG_COMP_NEW:
		return id_ok(x, m->u.comp.id) && pipe_ok(x, m->u.comp.pipeline_id);
	case IPC3_TPLG_BUFFER_NEW:
		return id_ok(x, m->u.buffer.id) && pipe_ok(x, m->u.buffer.pipeline_id);
	case IPC3_TPLG_PIPE_NEW:
		return id_ok(x, m->u.pipe.comp_id) && id_ok(x, m->u.pipe.sched_id) &&
		       pipe_ok(x, m->u.pipe.pipeline_id);
	case IPC3_TPLG_COMP_CONNECT:
		return id_ok(x, m->u.connect.source_id) && id_ok(x, m->u.connect.sink_id);
	case IPC3_STREAM_PCM_PARAMS:
		return id_ok(x, m->u.pcm.comp_id);
	case IPC3_COMP_SET_VALUE:
	case IPC3_COMP_GET_VALUE:
	case IPC3_COMP_SET_DATA:
	case IPC3_COMP_GET_DATA:
		return id_ok(x, m->u.ctrl.comp_id);
	case IPC3_PM_CTX_SAVE:
	case IPC3_PM_CTX_RESTORE:
	case IPC3_PM_CTX_SIZE:
	case IPC3_PM_CORE_ENABLE:
	case IPC3_PM_GATE:
		return true;
	default:
		return id_ok(x, m->u.id);	/* the id-only messages */
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Object list                                                                               */

static int obj_add(struct ipc3_exec *x, uint32_t id, uint32_t kind, uint32_t type,
		   uint32_t bytes)
{
	if (x->num_objs == x->cap_objs) {
		uint32_t cap = x->cap_objs ? x->cap_objs * 2 : 32;
		struct exec_obj *o = realloc(x->objs, cap * sizeof(*o));

		if (!o)
			return -ENOMEM;
		x->objs = o;
		x->cap_objs = cap;
	}
	x->objs[x->num_objs++] = (struct exec_obj){ .id = id, .kind = kind, .type = type,
						     .bytes = bytes };
	x->buffer_bytes += bytes;
	return 0;
}

static void obj_remove(struct ipc3_exec *x, uint32_t id)
{
	for (uint32_t i = 0; i < x->num_objs; i++) {
		if (x->objs[i].id == id) {
			x->buffer_bytes -= x->objs[i].bytes;
			memmove(&x->objs[i], &x->objs[i + 1],
				(x->num_objs - i - 1) * sizeof(x->objs[0]));
			x->num_objs--;
			return;
		}
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Topology                                                                                  */

static int exec_comp_new(struct ipc3_exec *x, const struct ipc3_msg *m)
{
	const struct ipc3_msg_comp *c = &m->u.comp;
	struct dsp_comp_desc d = {
		.id = c->id,
		.type = c->type,
		.pipeline_id = c->pipeline_id,
		.core = c->core,
		.fmt = c->frame_fmt,
		.xrun_action = c->xrun_action,
		.periods_sink = c->periods_sink,
		.periods_source = c->periods_source,
	};
	int ret;

	switch (c->type) {
	case IPC3_COMP_HOST:
		d.host.direction = c->u.host.direction;
		break;
	case IPC3_COMP_DAI:
		d.dai.direction = c->u.dai.direction;
		d.dai.type = c->u.dai.type;
		d.dai.index = c->u.dai.index;
		break;
	case IPC3_COMP_VOLUME:
		/* The validator keeps both gains within the signed range. */
		d.volume.channels = c->u.volume.channels;
		d.volume.min_value = (int32_t)c->u.volume.min_value;
		d.volume.max_value = (int32_t)c->u.volume.max_value;
		d.volume.ramp = c->u.volume.ramp;
		d.volume.ramp_ms = c->u.volume.initial_ramp;
		d.volume.initial_gain = DSP_VOLUME_GAIN_DEFAULT;
		break;
	case IPC3_COMP_SRC:
		d.src.source_rate = c->u.src.source_rate;
		d.src.sink_rate = c->u.src.sink_rate;
		break;
	case IPC3_COMP_TONE:
		d.tone.sample_rate = (uint32_t)c->u.tone.sample_rate;
		d.tone.frequency = (uint32_t)c->u.tone.frequency;
		d.tone.amplitude = c->u.tone.amplitude;
		break;
	case IPC3_COMP_MIXER:
		break;
	default:
		/* Process components (and short mux/demux, with no data). */
		d.process.data = m->data_size ? m->data : NULL;
		d.process.size = m->data_size;
		break;
	}
	ret = dsp_comp_new(x->engine, &d);
	if (ret < 0)
		return ret;
	ret = obj_add(x, c->id, EXEC_OBJ_COMP, c->type, 0);
	if (ret < 0)
		dsp_comp_free(x->engine, c->id);
	return ret;
}

static int exec_buffer_new(struct ipc3_exec *x, const struct ipc3_msg *m)
{
	const struct ipc3_msg_buffer *b = &m->u.buffer;
	struct dsp_buffer_desc d = {
		.id = b->id,
		.pipeline_id = b->pipeline_id,
		.core = b->core,
		.size = b->size,
		.caps = b->caps,
		.flags = b->flags,
	};
	int ret;

	if (x->cfg.buffer_budget && x->buffer_bytes + b->size > x->cfg.buffer_budget) {
		vadsp_dbg("ipc3", "buffer %u: %u bytes past the budget (%llu of %llu in use)",
			  b->id, b->size, (unsigned long long)x->buffer_bytes,
			  (unsigned long long)x->cfg.buffer_budget);
		return -ENOMEM;
	}
	ret = dsp_buffer_new(x->engine, &d);
	if (ret < 0)
		return ret;
	ret = obj_add(x, b->id, EXEC_OBJ_BUFFER, IPC3_COMP_BUFFER, b->size);
	if (ret < 0)
		dsp_buffer_free(x->engine, b->id);
	return ret;
}

static int exec_pipe_new(struct ipc3_exec *x, const struct ipc3_msg *m)
{
	const struct ipc3_msg_pipe *p = &m->u.pipe;
	struct dsp_pipeline_desc d = {
		.comp_id = p->comp_id,
		.pipeline_id = p->pipeline_id,
		.sched_id = p->sched_id,
		.core = p->core,
		.period_us = p->period,
		.priority = p->priority,
		.period_mips = p->period_mips,
		.frames_per_sched = p->frames_per_sched,
		.xrun_limit_us = p->xrun_limit_usecs,
		.time_domain = p->time_domain,
	};
	int ret = dsp_pipeline_new(x->engine, &d);

	if (ret < 0)
		return ret;
	ret = obj_add(x, p->comp_id, EXEC_OBJ_PIPE, 0, 0);
	if (ret < 0)
		dsp_pipeline_free(x->engine, p->comp_id);
	return ret;
}

static int exec_free(struct ipc3_exec *x, const struct ipc3_msg *m)
{
	int ret;

	switch (m->cmd) {
	case IPC3_TPLG_COMP_FREE:
		ret = dsp_comp_free(x->engine, m->u.id);
		break;
	case IPC3_TPLG_BUFFER_FREE:
		ret = dsp_buffer_free(x->engine, m->u.id);
		break;
	default:
		ret = dsp_pipeline_free(x->engine, m->u.id);
		break;
	}
	if (ret == 0)
		obj_remove(x, m->u.id);
	return ret;
}

/* ---------------------------------------------------------------------------------------- */
/* Streams                                                                                   */

static int exec_pcm_params(struct ipc3_exec *x, const struct ipc3_msg *m)
{
	const struct ipc3_msg_pcm_params *pp = &m->u.pcm;
	struct dsp_pcm_params p = {
		.direction = pp->direction,
		.fmt = pp->frame_fmt,
		.rate = pp->rate,
		.channels = pp->channels,
		.buffer_bytes = pp->buffer_size,
		.period_bytes = pp->host_period_bytes,
	};

	return dsp_pcm_params(x->engine, pp->comp_id, &p);
}

static int trigger_cmd(uint32_t cmd)
{
	switch (cmd) {
	case IPC3_STREAM_TRIG_START:
		return DSP_TRIGGER_START;
	case IPC3_STREAM_TRIG_STOP:
		return DSP_TRIGGER_STOP;
	case IPC3_STREAM_TRIG_PAUSE:
		return DSP_TRIGGER_PAUSE;
	case IPC3_STREAM_TRIG_RELEASE:
		return DSP_TRIGGER_RELEASE;
	default:
		return DSP_TRIGGER_XRUN;
	}
}

static int exec_position(struct ipc3_exec *x, const struct ipc3_msg *m, void *reply, size_t cap)
{
	struct dsp_stream_posn sp;
	struct ipc3_posn p;
	int ret = dsp_stream_position(x->engine, m->u.id, &sp);

	if (ret < 0)
		return ret;
	memset(&p, 0, sizeof(p));
	p.comp_id = m->u.id;
	p.flags = IPC3_TIME_HOST_SYNC | IPC3_TIME_DAI_SYNC | IPC3_TIME_WALL_SYNC;
	p.wallclock_hz = sp.wallclock_hz;
	p.host_posn = sp.host_posn;
	p.dai_posn = sp.dai_posn;
	p.comp_posn = sp.host_posn;
	p.wallclock = sp.wallclock;
	p.xrun_comp_id = sp.xrun_comp_id;
	p.xrun_size = sp.xrun_size;
	return ipc3_encode_posn(reply, cap, &p);
}

/* ---------------------------------------------------------------------------------------- */
/* Controls                                                                                  */

static int exec_set_value(struct ipc3_exec *x, const struct ipc3_msg *m)
{
	const struct ipc3_msg_ctrl *c = &m->u.ctrl;
	struct dsp_ctrl_value v[IPC3_CHECK_CHANNELS_MAX];

	for (uint32_t i = 0; i < c->num_elems; i++) {
		v[i].channel = c->chanv[i].channel;
		v[i].value = c->chanv[i].value;
	}
	return dsp_comp_set_values(x->engine, c->comp_id, c->cmd, v, c->num_elems);
}

static int exec_get_value(struct ipc3_exec *x, const struct ipc3_msg *m, void *reply, size_t cap)
{
	const struct ipc3_msg_ctrl *c = &m->u.ctrl;
	struct dsp_ctrl_value v[IPC3_CHECK_CHANNELS_MAX];
	struct ipc3_chan_value out[IPC3_CHECK_CHANNELS_MAX];
	int ret;

	/* As the firmware answers: channel i in element i. */
	for (uint32_t i = 0; i < c->num_elems; i++)
		v[i] = (struct dsp_ctrl_value){ .channel = i, .value = 0 };
	ret = dsp_comp_get_values(x->engine, c->comp_id, c->cmd, v, c->num_elems);
	if (ret < 0)
		return ret;
	for (uint32_t i = 0; i < c->num_elems; i++)
		out[i] = (struct ipc3_chan_value){ .channel = v[i].channel, .value = v[i].value };
	return ipc3_encode_ctrl_reply(reply, cap, m, out, NULL, 0);
}

/* Offset of a data part inside its blob. The validator keeps it within the blob. */
static uint32_t part_offset(const struct ipc3_msg_ctrl *c)
{
	return c->abi_size - c->elems_remaining - c->num_elems;
}

static int exec_set_data(struct ipc3_exec *x, const struct ipc3_msg *m)
{
	const struct ipc3_msg_ctrl *c = &m->u.ctrl;
	struct exec_blob *b = &x->blob;
	int ret;

	if (c->msg_index == 0) {
		blob_drop(x);	/* a new blob replaces one left unfinished */
		if (c->elems_remaining == 0)
			return dsp_comp_set_data(x->engine, c->comp_id, m->data, m->data_size);
		b->buf = malloc(c->abi_size);
		if (!b->buf)
			return -ENOMEM;
		b->active = true;
		b->comp_id = c->comp_id;
		b->size = c->abi_size;
	} else if (!b->active || b->comp_id != c->comp_id || b->next_index != c->msg_index ||
		   b->size != c->abi_size || part_offset(c) != b->received) {
		blob_drop(x);
		return -EINVAL;
	}
	memcpy(b->buf + b->received, m->data, m->data_size);
	b->received += m->data_size;
	b->next_index = c->msg_index + 1;
	if (c->elems_remaining)
		return 0;
	ret = dsp_comp_set_data(x->engine, b->comp_id, b->buf, b->size);
	blob_drop(x);
	return ret;
}

static int exec_get_data(struct ipc3_exec *x, const struct ipc3_msg *m, void *reply, size_t cap)
{
	const struct ipc3_msg_ctrl *c = &m->u.ctrl;
	uint8_t part[IPC3_MSG_MAX_SIZE];
	uint32_t off = part_offset(c), n = 0;
	int size;

	size = dsp_comp_get_data(x->engine, c->comp_id, x->scratch, sizeof(x->scratch));
	if (size < 0)
		return size;
	memset(part, 0, sizeof(part));
	if (off < (uint32_t)size)
		n = VADSP_MIN(c->num_elems, (uint32_t)size - off);
	if (n)
		memcpy(part, x->scratch + off, n);
	return ipc3_encode_ctrl_reply(reply, cap, m, NULL, part, (uint32_t)size);
}

/* ---------------------------------------------------------------------------------------- */

int ipc3_exec_reset(struct ipc3_exec *x)
{
	int first = 0, ret;
	uint32_t i;

	blob_drop(x);
	/* Streams first: a prepared or running pipeline refuses to be freed. */
	for (i = 0; i < x->num_objs; i++) {
		const struct exec_obj *o = &x->objs[i];

		if (o->kind == EXEC_OBJ_COMP && o->type == IPC3_COMP_HOST) {
			dsp_trigger(x->engine, o->id, DSP_TRIGGER_STOP);
			dsp_pcm_free(x->engine, o->id);
		} else if (o->kind == EXEC_OBJ_PIPE) {
			dsp_trigger(x->engine, o->id, DSP_TRIGGER_STOP);
		}
	}
	for (i = 0; i < x->num_objs;) {
		if (x->objs[i].kind != EXEC_OBJ_PIPE) {
			i++;
			continue;
		}
		ret = dsp_pipeline_free(x->engine, x->objs[i].id);
		if (ret < 0 && ret != -ENODEV) {
			first = first ? first : ret;
			i++;
			continue;
		}
		obj_remove(x, x->objs[i].id);
	}
	for (i = 0; i < x->num_objs;) {
		const struct exec_obj *o = &x->objs[i];

		if (o->kind == EXEC_OBJ_PIPE) {
			i++;
			continue;
		}
		ret = o->kind == EXEC_OBJ_BUFFER ? dsp_buffer_free(x->engine, o->id) :
						   dsp_comp_free(x->engine, o->id);
		if (ret < 0 && ret != -ENODEV) {
			first = first ? first : ret;
			i++;
			continue;
		}
		obj_remove(x, o->id);
	}
	return first;
}

/*
 * Execute a validated, owned request. Return: the reply length when the reply was written
 * here, 0 for a plain success reply, or a negative errno.
 */
static int execute(struct ipc3_exec *x, const struct ipc3_msg *m, void *reply, size_t cap)
{
	int ret;

	switch (m->cmd) {
	case IPC3_TPLG_COMP_NEW:
		ret = exec_comp_new(x, m);
		return ret < 0 ? ret : ipc3_encode_comp_reply(reply, cap, m->u.comp.id);
	case IPC3_TPLG_BUFFER_NEW:
		ret = exec_buffer_new(x, m);
		return ret < 0 ? ret : ipc3_encode_comp_reply(reply, cap, m->u.buffer.id);
	case IPC3_TPLG_PIPE_NEW:
		ret = exec_pipe_new(x, m);
		return ret < 0 ? ret : ipc3_encode_comp_reply(reply, cap, m->u.pipe.comp_id);
	case IPC3_TPLG_COMP_CONNECT:
		return dsp_connect(x->engine, m->u.connect.source_id, m->u.connect.sink_id);
	case IPC3_TPLG_PIPE_COMPLETE:
		return dsp_pipeline_complete(x->engine, m->u.id);
	case IPC3_TPLG_COMP_FREE:
	case IPC3_TPLG_BUFFER_FREE:
	case IPC3_TPLG_PIPE_FREE:
		return exec_free(x, m);
	case IPC3_STREAM_PCM_PARAMS:
		ret = exec_pcm_params(x, m);
		return ret < 0 ? ret : ipc3_encode_pcm_params_reply(reply, cap, m->u.pcm.comp_id, 0);
	case IPC3_STREAM_PCM_FREE:
		return dsp_pcm_free(x->engine, m->u.id);
	case IPC3_STREAM_TRIG_START:
	case IPC3_STREAM_TRIG_STOP:
	case IPC3_STREAM_TRIG_PAUSE:
	case IPC3_STREAM_TRIG_RELEASE:
	case IPC3_STREAM_TRIG_XRUN:
		return dsp_trigger(x->engine, m->u.id, (uint32_t)trigger_cmd(m->cmd));
	case IPC3_STREAM_POSITION:
		return exec_position(x, m, reply, cap);
	case IPC3_COMP_SET_VALUE:
		ret = exec_set_value(x, m);
		return ret < 0 ? ret : ipc3_encode_ctrl_reply(reply, cap, m, NULL, NULL, 0);
	case IPC3_COMP_GET_VALUE:
		return exec_get_value(x, m, reply, cap);
	case IPC3_COMP_SET_DATA:
		ret = exec_set_data(x, m);
		return ret < 0 ? ret : ipc3_encode_ctrl_reply(reply, cap, m, NULL, NULL,
							      m->u.ctrl.abi_size);
	case IPC3_COMP_GET_DATA:
		return exec_get_data(x, m, reply, cap);
	case IPC3_PM_CTX_SAVE:
		return ipc3_exec_reset(x);
	case IPC3_PM_CTX_RESTORE:
	case IPC3_PM_CTX_SIZE:
	case IPC3_PM_CORE_ENABLE:
	case IPC3_PM_GATE:
		return 0;
	default:
		/* ipc3_check() decodes nothing else. */
		return -EINVAL;
	}
}

int ipc3_exec_msg(struct ipc3_exec *x, const void *req, size_t len, enum ipc3_origin origin,
		  void *reply, size_t cap)
{
	struct ipc3_msg *m = &x->msg;
	int ret;

	if (cap < IPC3_MSG_MAX_SIZE)
		return -ENOSPC;
	ret = ipc3_check(req, len, origin, m);
	if (ret < 0) {
		vadsp_dbg("ipc3", "refused %s (%zu bytes): %s",
			  ipc3_cmd_name(req && len >= 8 ? get_le32((const uint8_t *)req + 4) : 0),
			  len, m->reason);
	} else if (!owns(x, m)) {
		ret = -EACCES;
		vadsp_dbg("ipc3", "refused %s: names an id outside the caller's range",
			  ipc3_cmd_name(m->cmd));
	} else {
		ret = execute(x, m, reply, cap);
		if (ret > 0)
			return ret;
		if (ret < 0)
			vadsp_dbg("ipc3", "%s failed: %d", ipc3_cmd_name(m->cmd), ret);
	}
	return ipc3_encode_reply(reply, cap, ipc3_exec_reply_errno(ret));
}
