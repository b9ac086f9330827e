// SPDX-License-Identifier: MIT
/*
 * A DSP-aware guest's IPC session (src/daemon/sof-guest.h) on the shared host DSP
 * (topology/host.tplg), in process and without the data thread: the guest's topology
 * (topology/stereo.tplg as ipc-gen sends it, connection points rewritten as
 * docs/protocol.md 4.6 says) loads and is freed back to nothing by PM_CTX_SAVE and at the
 * end of the session; stream ids; power status; and the hostile suite: every rule of 4.3 to
 * 4.6 answered with its documented error, the guest's state unchanged after each refusal.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/config.h"
#include "daemon/hostdsp.h"
#include "daemon/sof-guest.h"
#include "ipc/ipc3-check.h"
#include "ipc/vfe.h"
#include "tplg/ipc-gen.h"
#include "tplg/tplg.h"
#include "util/le.h"

#define PERIOD	1920u		/* 10 ms of S16 stereo at 48 kHz */

/* What the stream ops saw. */
struct rec {
	uint32_t opened;	/* bit per stream id */
	uint32_t closed;
	uint32_t opens, closes, starts, stops;
	bool stream_open[VADSP_VFE_MAX_STREAMS];
};

struct fix {
	struct tplg *host;
	struct tplg *guest;
	struct hostdsp *h;
	uint8_t *file;
	size_t file_size;
	struct rec rec;
	struct sof_guest *sg;
	uint32_t base;
	uint32_t play_host, rec_host;
	uint32_t cp_play, cp_rec;	/* the guest's connection-point ids */
	uint32_t play_buf;		/* the buffer feeding the playback connection point */
	uint32_t rec_buf;		/* the buffer the capture connection point feeds */
};

static struct tplg *load(const char *name)
{
	struct tplg_error err;
	struct tplg *t = NULL;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", getenv("VADSP_TOPOLOGY_DIR"), name);
	if (tplg_load_file(path, &t, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	return t;
}

static int rec_open(void *data, uint32_t sid, const struct sof_guest_stream *st)
{
	struct rec *r = data;

	assert_true(sid < VADSP_VFE_MAX_STREAMS);
	assert_false(r->stream_open[sid]);
	assert_true(st->frame_bytes == 4 && st->rate == 48000 && st->ring_bytes > 0);
	r->stream_open[sid] = true;
	r->opened |= 1u << sid;
	r->opens++;
	return 0;
}

static void rec_trigger(void *data, uint32_t sid, uint32_t cmd)
{
	struct rec *r = data;

	assert_true(r->stream_open[sid]);
	if (cmd == IPC3_STREAM_TRIG_START)
		r->starts++;
	if (cmd == IPC3_STREAM_TRIG_STOP)
		r->stops++;
}

static void rec_close(void *data, uint32_t sid)
{
	struct rec *r = data;

	assert_true(r->stream_open[sid]);
	r->stream_open[sid] = false;
	r->closed |= 1u << sid;
	r->closes++;
}

static const struct sof_guest_stream_ops rec_ops = {
	.open = rec_open,
	.trigger = rec_trigger,
	.close = rec_close,
};

static void session(struct fix *f, uint32_t slot, struct sof_guest **out, bool topology)
{
	struct sof_guest_config cfg = {
		.h = f->h,
		.slot = slot,
		.topology = topology ? f->file : NULL,
		.topology_size = topology ? f->file_size : 0,
		.tplg = f->guest,
		.ops = &rec_ops,
		.ops_data = &f->rec,
	};

	assert_int_equal(sof_guest_create(out, &cfg), 0);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	char path[512];

	assert_non_null(f);
	f->host = load("host.tplg");
	f->guest = load("stereo.tplg");
	snprintf(path, sizeof(path), "%s/stereo.tplg", getenv("VADSP_TOPOLOGY_DIR"));
	assert_int_equal(sof_guest_read_topology(path, &f->file, &f->file_size), 0);
	assert_int_equal(hostdsp_create(&f->h, f->host, 1000, 48000), 0);
	session(f, 0, &f->sg, true);
	f->base = HOSTDSP_GUEST_ID_BASE;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	sof_guest_destroy(f->sg);
	hostdsp_destroy(f->h);
	tplg_free(f->host);
	tplg_free(f->guest);
	free(f->file);
	free(f);
	return 0;
}

/* Send @len bytes; return the reply's error field (the reply in @reply if given). */
static int32_t raw(struct sof_guest *sg, const void *msg, size_t len, uint8_t *reply)
{
	uint8_t r[IPC3_MSG_MAX_SIZE];
	int n = sof_guest_ipc(sg, msg, len, r, sizeof(r));

	assert_true(n >= 12);
	assert_int_equal(get_le32(r), (uint32_t)n);
	if (reply)
		memcpy(reply, r, sizeof(r));
	return (int32_t)get_le32(r + 8);
}

static int32_t send(struct sof_guest *sg, const struct ipc3_msg *m, uint8_t *reply)
{
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	int n = ipc3_encode(m, buf, sizeof(buf));

	assert_true(n > 0);
	return raw(sg, buf, (size_t)n, reply);
}

static int32_t send_id(struct sof_guest *sg, uint32_t cmd, uint32_t id)
{
	struct ipc3_msg m = { .cmd = cmd };

	m.u.id = id;
	return send(sg, &m, NULL);
}

static bool is_cp(const struct tplg *t, int32_t w)
{
	return w >= 0 && t->widgets[w].tokens.vadsp.cp_name[0] &&
	       (t->widgets[w].id == TPLG_DAPM_DAI_IN || t->widgets[w].id == TPLG_DAPM_DAI_OUT);
}

/* The guest topology as the guest sends it (4.11 step 5). */
static void load_topology(struct fix *f, struct sof_guest *sg, uint32_t base)
{
	struct tplg_ipc_opts opts = { .id_base = base };
	struct tplg_ipc_seq *seq;
	const struct tplg *t = f->guest;
	struct tplg_error err;

	assert_int_equal(tplg_ipc_build(t, &opts, &seq, &err), 0);
	for (uint32_t i = 0; i < seq->num_msgs; i++) {
		struct tplg_ipc_msg *m = &seq->msgs[i];
		const struct tplg_widget *w = m->widget >= 0 ? &t->widgets[m->widget] : NULL;

		if (m->cmd == IPC3_TPLG_COMP_NEW && is_cp(t, m->widget)) {
			uint32_t ord = 0;

			for (int32_t k = 0; k < m->widget; k++)
				ord += is_cp(t, k);
			put_le32(m->data + offsetof(struct ipc3_comp_dai, type),
				 VADSP_DAI_CONNECTION_POINT);
			put_le32(m->data + offsetof(struct ipc3_comp_dai, dai_index), ord);
			if (w->id == TPLG_DAPM_DAI_IN)
				f->cp_play = get_le32(m->data + 8);
			else
				f->cp_rec = get_le32(m->data + 8);
		}
		if (m->cmd == IPC3_TPLG_COMP_CONNECT && m->route >= 0 &&
		    is_cp(t, (int32_t)t->routes[m->route].sink_widget))
			f->play_buf = get_le32(m->data + 8);
		if (m->cmd == IPC3_TPLG_COMP_CONNECT && m->route >= 0 &&
		    is_cp(t, (int32_t)t->routes[m->route].source_widget))
			f->rec_buf = get_le32(m->data + 12);
		if (raw(sg, m->data, m->size, NULL) != 0)
			fail_msg("%s refused", m->desc);
		if (w && m->cmd == IPC3_TPLG_COMP_NEW && !strcmp(w->name, "PCM0P"))
			f->play_host = get_le32(m->data + 8);
		if (w && m->cmd == IPC3_TPLG_COMP_NEW && !strcmp(w->name, "PCM0C"))
			f->rec_host = get_le32(m->data + 8);
	}
	tplg_ipc_seq_free(seq);
}

static struct ipc3_msg pcm_msg(uint32_t host, bool playback)
{
	struct ipc3_msg m = { .cmd = IPC3_STREAM_PCM_PARAMS };

	m.u.pcm = (struct ipc3_msg_pcm_params){
		.comp_id = host,
		.direction = playback ? IPC3_STREAM_PLAYBACK : IPC3_STREAM_CAPTURE,
		.frame_fmt = IPC3_FRAME_S16_LE,
		.rate = 48000,
		.channels = 2,
		.sample_valid_bytes = 2,
		.sample_container_bytes = 2,
		.host_period_bytes = PERIOD,
		.buffer_size = 4 * PERIOD,
	};
	return m;
}

/* PCM_PARAMS; the stream id, or the error. */
static int32_t pcm_params(struct sof_guest *sg, uint32_t host, bool playback)
{
	struct ipc3_msg m = pcm_msg(host, playback);
	uint8_t reply[IPC3_MSG_MAX_SIZE];
	int32_t err = send(sg, &m, reply);

	if (err)
		return err;
	assert_int_equal(get_le32(reply), 20);
	return (int32_t)get_le32(reply + 16);
}

static uint32_t power(struct sof_guest *sg, uint32_t on)
{
	uint8_t req[12], reply[IPC3_MSG_MAX_SIZE];

	put_le32(req, 12);
	put_le32(req + 4, IPC3_PM_VFE_POWER_STATUS);
	put_le32(req + 8, on);
	assert_int_equal(raw(sg, req, 12, reply), 0);
	return get_le32(reply + 12);
}

static struct dsp_engine *eng(struct fix *f)
{
	return hostdsp_engine(f->h);
}

/* ---------------------------------------------------------------------------------------- */

static void topology_loads_and_pm_ctx_save_frees_it_all(void **state)
{
	struct fix *f = *state;
	struct ipc3_msg m = { .cmd = IPC3_PM_CTX_SAVE };
	uint32_t objs;

	assert_int_equal(power(f->sg, 1), 1);
	assert_int_equal(power(f->sg, 1), 0);
	load_topology(f, f->sg, f->base);
	objs = sof_guest_objects(f->sg);
	assert_true(objs >= 10);
	assert_true(dsp_comp_state(eng(f), f->play_host) >= 0);
	/* Stream ids: the lowest free first; parameters again keep the id. */
	assert_int_equal(pcm_params(f->sg, f->play_host, true), 0);
	assert_int_equal(pcm_params(f->sg, f->rec_host, false), 1);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_PCM_FREE, f->play_host), 0);
	assert_int_equal(f->rec.closed, 1u);
	assert_int_equal(pcm_params(f->sg, f->play_host, true), 0);
	assert_int_equal(sof_guest_streams(f->sg), 2);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_START, f->play_host), 0);
	assert_int_equal(f->rec.starts, 1);
	assert_int_equal(dsp_comp_state(eng(f), f->play_host), DSP_STATE_ACTIVE);
	/* The firmware's power down: everything goes, in order, streams first. */
	assert_int_equal(send(f->sg, &m, NULL), 0);
	assert_int_equal(f->rec.opens, f->rec.closes);
	assert_int_equal(sof_guest_streams(f->sg), 0);
	assert_int_equal(sof_guest_objects(f->sg), 0);
	for (uint32_t id = f->base; id < f->base + objs + 4; id++)
		assert_int_equal(dsp_comp_state(eng(f), id), -ENODEV);
	/* The guest is told, and loads its whole topology again. */
	assert_int_equal(power(f->sg, 1), 1);
	load_topology(f, f->sg, f->base);
	assert_int_equal(sof_guest_objects(f->sg), objs);
	assert_int_equal(pcm_params(f->sg, f->play_host, true), 0);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_START, f->play_host), 0);
	/* The end of the session: the slot is free again and nothing of it is left. */
	sof_guest_destroy(f->sg);
	f->sg = NULL;
	for (uint32_t id = f->base; id < f->base + objs + 4; id++)
		assert_int_equal(dsp_comp_state(eng(f), id), -ENODEV);
	session(f, 0, &f->sg, true);
	load_topology(f, f->sg, f->base);
}

static void power_off_stops_running_streams_and_keeps_the_topology(void **state)
{
	struct fix *f = *state;
	uint32_t objs;

	assert_int_equal(power(f->sg, 1), 1);
	load_topology(f, f->sg, f->base);
	objs = sof_guest_objects(f->sg);
	assert_int_equal(pcm_params(f->sg, f->play_host, true), 0);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_START, f->play_host), 0);
	assert_int_equal(power(f->sg, 0), 0);
	assert_int_equal(f->rec.stops, 1);
	assert_int_equal(dsp_comp_state(eng(f), f->play_host), DSP_STATE_PREPARE);
	assert_int_equal(power(f->sg, 1), 0);		/* kept */
	assert_int_equal(sof_guest_objects(f->sg), objs);
	/* The guest resumes its stream with parameters again: the same id, a new ring. */
	assert_int_equal(pcm_params(f->sg, f->play_host, true), 0);
	assert_int_equal(f->rec.closes, 1);
	assert_int_equal(f->rec.opens, 2);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_START, f->play_host), 0);
	/* Not while it runs. */
	assert_int_equal(pcm_params(f->sg, f->play_host, true), -EBUSY);
	assert_int_equal(dsp_comp_state(eng(f), f->play_host), DSP_STATE_ACTIVE);
}

/* A volume component in @pipe with id @id (a valid COMP_NEW otherwise). */
static struct ipc3_msg volume(uint32_t id, uint32_t pipe)
{
	struct ipc3_msg m = { .cmd = IPC3_TPLG_COMP_NEW };

	m.u.comp.id = id;
	m.u.comp.type = IPC3_COMP_VOLUME;
	m.u.comp.pipeline_id = pipe;
	m.u.comp.frame_fmt = IPC3_FRAME_S32_LE;
	m.u.comp.periods_sink = 2;
	m.u.comp.periods_source = 2;
	m.u.comp.u.volume.channels = 2;
	m.u.comp.u.volume.max_value = 0x10000;
	return m;
}

static struct ipc3_msg cp(uint32_t id, uint32_t ordinal, uint32_t direction)
{
	struct ipc3_msg m = { .cmd = IPC3_TPLG_COMP_NEW };

	m.u.comp.id = id;
	m.u.comp.type = IPC3_COMP_DAI;
	m.u.comp.pipeline_id = 50;
	m.u.comp.frame_fmt = IPC3_FRAME_S32_LE;
	m.u.comp.periods_sink = 2;
	m.u.comp.periods_source = 2;
	m.u.comp.u.dai.direction = direction;
	m.u.comp.u.dai.index = ordinal;
	m.u.comp.u.dai.type = 1;	/* SSP: replaced below for a connection point */
	return m;
}

/* COMP_NEW of a connection point (type 0x4350), which ipc3_encode() cannot write. */
static int32_t send_cp(struct sof_guest *sg, uint32_t id, uint32_t ordinal, uint32_t direction,
		       uint32_t type)
{
	struct ipc3_msg m = cp(id, ordinal, direction);
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	int n = ipc3_encode(&m, buf, sizeof(buf));

	assert_true(n > 0);
	put_le32(buf + offsetof(struct ipc3_comp_dai, type), type);
	return raw(sg, buf, (size_t)n, NULL);
}

static int32_t connect_ids(struct sof_guest *sg, uint32_t src, uint32_t sink)
{
	struct ipc3_msg m = { .cmd = IPC3_TPLG_COMP_CONNECT };

	m.u.connect.source_id = src;
	m.u.connect.sink_id = sink;
	return send(sg, &m, NULL);
}

static int32_t hdr_only(struct sof_guest *sg, uint32_t cmd, uint32_t size)
{
	uint8_t buf[IPC3_MSG_MAX_SIZE] = { 0 };

	put_le32(buf, size);
	put_le32(buf + 4, cmd);
	return raw(sg, buf, size, NULL);
}

static void hostile_messages_get_the_documented_errors(void **state)
{
	struct fix *f = *state;
	struct sof_guest *other, *bare;
	struct ipc3_msg m;
	uint8_t buf[IPC3_MSG_MAX_SIZE], reply[IPC3_MSG_MAX_SIZE];
	uint32_t objs, obase = 2 * HOSTDSP_GUEST_ID_BASE, host_mixer = 0;
	int n;

	load_topology(f, f->sg, f->base);
	objs = sof_guest_objects(f->sg);
	session(f, 1, &other, true);

	/* Ids outside the range; another guest's ids; pipeline ids past 100. */
	m = volume(5, 1);
	assert_int_equal(send(f->sg, &m, NULL), -EACCES);
	m = volume(f->base + HOSTDSP_GUEST_ID_COUNT, 1);
	assert_int_equal(send(f->sg, &m, NULL), -EACCES);
	m = volume(obase + 900, 1);
	assert_int_equal(send(f->sg, &m, NULL), -EACCES);
	m = volume(obase + 900, 1);
	assert_int_equal(send(other, &m, NULL), 0);		/* the other guest's own */
	assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, obase + 900), -EACCES);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_START, obase + 900), -EACCES);
	m = volume(f->base + 900, HOSTDSP_GUEST_PIPE_COUNT);
	assert_int_equal(send(f->sg, &m, NULL), -EACCES);
	/* Unique ids; ids in range that are not there. */
	m = volume(f->play_host, 1);
	assert_int_equal(send(f->sg, &m, NULL), -EEXIST);
	assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->base + 999), -ENOENT);
	assert_int_equal(send_id(f->sg, IPC3_TPLG_BUFFER_FREE, f->base + 998), -ENOENT);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_START, f->base + 997), -ENOENT);

	/* Sizes: one byte short of the structure, one byte past it (hdr.size agreeing). */
	m = volume(f->base + 900, 1);
	n = ipc3_encode(&m, buf, sizeof(buf));
	assert_true(n > 12);
	put_le32(buf, (uint32_t)n - 1);
	assert_int_equal(raw(f->sg, buf, (size_t)n - 1, NULL), -EINVAL);
	put_le32(buf, (uint32_t)n + 1);
	buf[n] = 0;
	assert_int_equal(raw(f->sg, buf, (size_t)n + 1, NULL), -EINVAL);
	assert_int_equal(hdr_only(f->sg, IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x0ff), 8), -EINVAL);

	/* The privileged services. */
	assert_int_equal(hdr_only(f->sg, IPC3_DAI_CONFIG, 8), -EACCES);
	assert_int_equal(hdr_only(f->sg, IPC3_DAI_CONFIG, 64), -EACCES);
	assert_int_equal(hdr_only(f->sg, IPC3_TRACE_DMA_PARAMS, 8), -EACCES);
	assert_int_equal(hdr_only(f->sg, IPC3_CMD_(IPC3_GLB_GDB_DEBUG, 0), 8), -EACCES);
	assert_int_equal(hdr_only(f->sg, IPC3_CMD_(IPC3_GLB_TEST_MSG, 1), 8), -EACCES);
	assert_int_equal(hdr_only(f->sg, IPC3_CMD_(IPC3_GLB_PROBE, 1), 8), -EACCES);
	assert_int_equal(hdr_only(f->sg, IPC3_CMD_(IPC3_GLB_DEBUG, 1), 8), -EACCES);
	/* Not requests vadsp executes. */
	assert_int_equal(hdr_only(f->sg, IPC3_CMD_(IPC3_GLB_COMPOUND, 0), 8), -EINVAL);
	assert_int_equal(hdr_only(f->sg, IPC3_TPLG_PIPE_CONNECT, 16), -EINVAL);
	assert_int_equal(hdr_only(f->sg, IPC3_CMD_(IPC3_GLB_REPLY, 0), 12), -EINVAL);

	/* DAIs: only connection points, of an ordinal the topology has, in its direction. */
	assert_int_equal(send_cp(f->sg, f->base + 900, 0, 0, 1), -EACCES);	/* SSP */
	assert_int_equal(send_cp(f->sg, f->base + 900, 0, 0, 99), -EACCES);
	assert_int_equal(send_cp(f->sg, f->base + 900, 2, 0, VADSP_DAI_CONNECTION_POINT),
			 -EACCES);
	assert_int_equal(send_cp(f->sg, f->base + 900, 0, 1, VADSP_DAI_CONNECTION_POINT),
			 -EINVAL);
	/* A second connect to the same connection point. */
	assert_int_equal(connect_ids(f->sg, f->play_buf, f->cp_play), -EBUSY);
	/* Host components are outside every guest's range. */
	for (uint32_t id = 0; id < 64 && !host_mixer; id++)
		if (dsp_comp_state(eng(f), id) >= 0)
			host_mixer = id;
	assert_true(host_mixer > 0);
	assert_int_equal(connect_ids(f->sg, f->play_buf, host_mixer), -EACCES);
	assert_int_equal(connect_ids(f->sg, host_mixer, f->play_buf), -EACCES);
	assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, host_mixer), -EACCES);
	/* A connection point is not a buffer's other end for anything but a buffer. */
	assert_int_equal(connect_ids(f->sg, f->play_host, f->cp_play), -EINVAL);
	/* Streams: PCM_PARAMS to what is not a host component. */
	assert_int_equal(pcm_params(f->sg, f->play_buf, true), -EINVAL);

	/* VFE messages. */
	memset(buf, 0, 16);
	put_le32(buf, 16);
	put_le32(buf + 4, IPC3_TPLG_VFE_GET);
	put_le32(buf + 8, (uint32_t)f->file_size + 1);
	assert_int_equal(raw(f->sg, buf, 16, NULL), -ERANGE);
	put_le32(buf + 8, (uint32_t)f->file_size);
	assert_int_equal(raw(f->sg, buf, 16, reply), 0);
	assert_int_equal(get_le32(reply + 20), 0);			/* n = 0: the end */
	put_le32(buf + 8, 0);
	put_le32(buf + 12, 7);
	assert_int_equal(raw(f->sg, buf, 16, NULL), -EINVAL);		/* reserved */
	put_le32(buf + 12, 0);
	put_le32(buf, 20);
	assert_int_equal(raw(f->sg, buf, 20, NULL), -EINVAL);		/* size */
	assert_int_equal(hdr_only(f->sg, IPC3_TPLG_VFE_COMP_ID, 12), -EINVAL);
	put_le32(buf, 12);
	put_le32(buf + 4, IPC3_PM_VFE_POWER_STATUS);
	put_le32(buf + 8, 2);
	assert_int_equal(raw(f->sg, buf, 12, NULL), -EINVAL);
	session(f, 2, &bare, false);
	put_le32(buf, 16);
	put_le32(buf + 4, IPC3_TPLG_VFE_GET);
	put_le32(buf + 8, 0);
	assert_int_equal(raw(bare, buf, 16, NULL), -ENOENT);		/* no topology */
	sof_guest_destroy(bare);

	/* PM messages that change nothing. */
	memset(&m, 0, sizeof(m));
	m.cmd = IPC3_PM_GATE;
	assert_int_equal(send(f->sg, &m, NULL), 0);
	m.cmd = IPC3_PM_CTX_RESTORE;
	assert_int_equal(send(f->sg, &m, NULL), 0);
	m.cmd = IPC3_PM_CORE_ENABLE;
	m.u.pm.enable_mask = 1;
	assert_int_equal(send(f->sg, &m, NULL), 0);

	/* None of it changed anything. */
	assert_int_equal(sof_guest_objects(f->sg), objs);
	assert_int_equal(sof_guest_objects(other), 1);
	assert_int_equal(pcm_params(f->sg, f->play_host, true), 0);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_START, f->play_host), 0);
	/* A trigger the state does not allow. */
	assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_RELEASE, f->play_host), -EINVAL);
	/* Freeing what runs. */
	assert_int_equal(send_id(f->sg, IPC3_TPLG_BUFFER_FREE, f->play_buf), -EBUSY);
	sof_guest_destroy(other);
}

/* A capture buffer attached to the host demux again and again takes one routing entry, not
 * one per attach: the demux's few entries are shared by every guest. */
static void capture_buffer_reattached_many_times_keeps_one_demux_route(void **state)
{
	struct fix *f = *state;
	struct ipc3_msg m = { .cmd = IPC3_TPLG_BUFFER_NEW };
	struct sof_guest *other;

	load_topology(f, f->sg, f->base);
	assert_true(f->rec_buf > f->base);
	m.u.buffer = (struct ipc3_msg_buffer){ .id = f->rec_buf, .pipeline_id = 2, .size = 768,
					       .caps = 0x61 };
	for (int i = 0; i < 8; i++) {
		assert_int_equal(send_id(f->sg, IPC3_TPLG_BUFFER_FREE, f->rec_buf), 0);
		assert_int_equal(send(f->sg, &m, NULL), 0);
		assert_int_equal(connect_ids(f->sg, f->cp_rec, f->rec_buf), 0);
	}
	/* Another guest still gets its capture attached. */
	session(f, 1, &other, true);
	load_topology(f, other, 2 * HOSTDSP_GUEST_ID_BASE);
	sof_guest_destroy(other);
}

/* Sixteen streams may have parameters at once (4.10); the seventeenth is -ENOSPC. */
static void a_seventeenth_stream_is_refused(void **state)
{
	struct fix *f = *state;

	for (uint32_t k = 0; k <= VADSP_VFE_MAX_STREAMS; k++) {
		uint32_t id = f->base + 100 + 4 * k, pipe = 10 + k;
		struct ipc3_msg m = { .cmd = IPC3_TPLG_PIPE_NEW };

		m.u.pipe = (struct ipc3_msg_pipe){ .comp_id = id, .pipeline_id = pipe,
						   .sched_id = id + 3, .period = 1000,
						   .time_domain = 1 };
		assert_int_equal(send(f->sg, &m, NULL), 0);
		memset(&m, 0, sizeof(m));
		m.cmd = IPC3_TPLG_COMP_NEW;
		m.u.comp.id = id + 1;
		m.u.comp.type = IPC3_COMP_HOST;
		m.u.comp.pipeline_id = pipe;
		m.u.comp.frame_fmt = IPC3_FRAME_S32_LE;
		m.u.comp.periods_sink = 2;
		m.u.comp.periods_source = 2;
		assert_int_equal(send(f->sg, &m, NULL), 0);
		memset(&m, 0, sizeof(m));
		m.cmd = IPC3_TPLG_BUFFER_NEW;
		m.u.buffer = (struct ipc3_msg_buffer){ .id = id + 2, .pipeline_id = pipe,
						       .size = 768, .caps = 0x61 };
		assert_int_equal(send(f->sg, &m, NULL), 0);
		assert_int_equal(send_cp(f->sg, id + 3, 0, 0, VADSP_DAI_CONNECTION_POINT), 0);
		assert_int_equal(connect_ids(f->sg, id + 1, id + 2), 0);
		assert_int_equal(connect_ids(f->sg, id + 2, id + 3), 0);
		assert_int_equal(send_id(f->sg, IPC3_TPLG_PIPE_COMPLETE, id), 0);
		assert_int_equal(pcm_params(f->sg, id + 1, true),
				 k < VADSP_VFE_MAX_STREAMS ? (int32_t)k : -ENOSPC);
	}
	assert_int_equal(sof_guest_streams(f->sg), VADSP_VFE_MAX_STREAMS);
	/* One freed, the seventeenth gets its id. */
	assert_int_equal(send_id(f->sg, IPC3_STREAM_PCM_FREE, f->base + 100 + 4 * 5 + 1), 0);
	assert_int_equal(pcm_params(f->sg, f->base + 100 + 4 * 16 + 1, true), 5);
}

/* PCM_FREE of a running stream: stopped, its audio given back (the close op), then freed. */
static void pcm_free_stops_closes_then_frees(void **state)
{
	struct fix *f = *state;

	load_topology(f, f->sg, f->base);
	assert_int_equal(pcm_params(f->sg, f->play_host, true), 0);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_START, f->play_host), 0);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_PCM_FREE, f->play_host), 0);
	assert_int_equal(f->rec.stops, 1);
	assert_int_equal(f->rec.closes, 1);
	assert_int_equal(sof_guest_streams(f->sg), 0);
	assert_int_equal(dsp_comp_state(eng(f), f->play_host), DSP_STATE_READY);
	/* The freed pipeline can be freed in turn; the id it had is free again. */
	assert_int_equal(pcm_params(f->sg, f->rec_host, false), 0);
}

/* The fuzzer's seeds are what they claim: valid messages, every one answered 0. */
static void fuzz_seeds_are_valid_sessions(void **state)
{
	static const char *const seeds[] = { "stereo-load", "stereo-stream" };
	struct fix *f = *state;

	for (size_t k = 0; k < sizeof(seeds) / sizeof(seeds[0]); k++) {
		uint8_t *data;
		size_t size, pos = 0;
		unsigned int msgs = 0;
		char path[512];

		snprintf(path, sizeof(path), "%s/%s", getenv("VADSP_SOF_CORPUS"), seeds[k]);
		assert_int_equal(sof_guest_read_topology(path, &data, &size), 0);
		while (pos < size) {
			uint32_t len = get_le32(data + pos);

			assert_true(len >= 8 && len <= size - pos);
			if (raw(f->sg, data + pos, len, NULL) != 0)
				fail_msg("%s: message %u (cmd 0x%08x) refused", seeds[k], msgs,
					 get_le32(data + pos + 4));
			pos += len;
			msgs++;
		}
		assert_true(msgs >= 20);
		free(data);
		sof_guest_destroy(f->sg);
		session(f, 0, &f->sg, true);
	}
}

/*
 * Parse and check a configuration whose "%s" stand for the topology directory; return
 * vadspd_config_check()'s result, @err its message.
 */
static int config(const char *tmpl, char *err, size_t err_len)
{
	const char *dir = getenv("VADSP_TOPOLOGY_DIR");
	struct vadspd_config cfg;
	char text[2048];
	size_t n = 0;
	int ret;

	for (const char *p = tmpl; *p && n + strlen(dir) + 1 < sizeof(text); p++) {
		if (p[0] == '%' && p[1] == 's') {
			memcpy(text + n, dir, strlen(dir));
			n += strlen(dir);
			p++;
		} else {
			text[n++] = *p;
		}
	}
	text[n] = '\0';
	memset(&cfg, 0, sizeof(cfg));
	err[0] = '\0';
	ret = vadspd_config_parse(&cfg, text, strlen(text), "t.conf", err, err_len);
	if (!ret)
		ret = vadspd_config_check(&cfg, err, err_len);
	if (!ret)
		assert_true(cfg.guests[0].sof);
	vadspd_config_free(&cfg);
	return ret;
}

/* sof = yes needs the guest topology and the host DSP; the message says which is missing. */
static void sof_needs_a_topology_and_the_host_dsp(void **state)
{
	char err[600];

	(void)state;
	assert_int_equal(config("[host]\ntopology = %s/host.tplg\ndai.DAI0.OUT = null\n"
				"[guest a]\nsocket = /tmp/a.sock\ntopology = %s/stereo.tplg\n"
				"sof = yes\n", err, sizeof(err)), 0);
	assert_int_equal(config("[host]\ntopology = %s/host.tplg\ndai.DAI0.OUT = null\n"
				"[guest a]\nsocket = /tmp/a.sock\nsof = yes\n", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "t.conf:6: guest 'a': the SOF IPC3 extension (sof) needs "
			       "the guest's topology"));
	assert_int_equal(config("[guest a]\nsocket = /tmp/a.sock\ntopology = %s/stereo.tplg\n"
				"sof = yes\n", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "t.conf:4: guest 'a': the SOF IPC3 extension (sof) needs "
			       "the host DSP"));
	assert_int_equal(config("[host]\ntopology = %s/host.tplg\n[guest a]\n"
				"socket = /tmp/a.sock\ntopology = %s/stereo.tplg\nsof = yes\n",
				err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "needs the host DSP"));
	assert_int_equal(config("[guest a]\nsocket = /tmp/a.sock\nsof = maybe\n", err,
				sizeof(err)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(topology_loads_and_pm_ctx_save_frees_it_all, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			power_off_stops_running_streams_and_keeps_the_topology, setup, teardown),
		cmocka_unit_test_setup_teardown(hostile_messages_get_the_documented_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(pcm_free_stops_closes_then_frees, setup, teardown),
		cmocka_unit_test_setup_teardown(a_seventeenth_stream_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
			capture_buffer_reattached_many_times_keeps_one_demux_route, setup,
			teardown),
		cmocka_unit_test_setup_teardown(fuzz_seeds_are_valid_sessions, setup, teardown),
		cmocka_unit_test(sof_needs_a_topology_and_the_host_dsp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
