// SPDX-License-Identifier: MIT
/*
 * The shared host DSP: host topology and guest topologies in one engine (hostdsp.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/hostdsp.h"
#include "dsp/kernels/mux.h"
#include "ipc/ipc3-check.h"
#include "ipc/ipc3-exec.h"
#include "tplg/ipc-gen.h"
#include "tplg/wire.h"
#include "util/le.h"
#include "util/log.h"

/* Wire offsets in the generated messages (ipc/ipc3.h layouts). */
#define HD_OFF_ID		8u	/* comp.id, pipe_new.comp_id, connect.source_id */
#define HD_OFF_PIPELINE		16u	/* comp.pipeline_id */
#define HD_OFF_PIPE_PIPELINE	12u	/* pipe_new.pipeline_id */
#define HD_OFF_PIPE_SCHED	16u	/* pipe_new.sched_id */
#define HD_OFF_SINK		12u	/* connect.sink_id */

/* Where a connection point attaches: the mixer (playback) or demux (capture) id. */
struct hostdsp_cp {
	char name[TPLG_NAME_LEN];
	uint32_t attach_id;
	uint32_t pipeline;	/* the connection point's pipeline_id */
	bool playback;
};

/* A widget the executor created: its name and engine id. */
struct hostdsp_obj {
	char name[TPLG_NAME_LEN];
	uint32_t id;
	uint32_t type;		/* enum tplg_dapm_id */
	uint32_t index;		/* the widget's pipeline (block index) */
};

struct hostdsp {
	struct dsp_engine *engine;
	struct ipc3_exec *x;
	struct hostdsp_obj *objs;
	uint32_t num_objs;
	struct hostdsp_cp *cps;
	uint32_t num_cps;
	struct hostdsp_guest *slots[HOSTDSP_MAX_SLOTS];
	uint8_t demux_blob[DSP_CTRL_DATA_MAX];	/* hd_demux_add/del's copy, off the stack */
};

struct hostdsp_guest {
	struct hostdsp *h;
	struct ipc3_exec *x;
	uint32_t slot;
	struct hostdsp_obj *objs;
	uint32_t num_objs;
};

static int hd_send(struct ipc3_exec *x, const void *req, size_t len, void *reply, size_t cap)
{
	int32_t err;
	int n = ipc3_exec_msg(x, req, len, IPC3_ORIGIN_HOST, reply, cap);

	if (n < 0 || ipc3_reply_error(reply, (size_t)n, &err) < 0)
		return -EPROTO;
	return err;
}

/* Id of the object created for widget @w by @seq, or -ENOENT. */
static int hd_widget_id(const struct tplg_ipc_seq *seq, uint32_t w)
{
	for (uint32_t i = 0; i < seq->num_msgs; i++) {
		const struct tplg_ipc_msg *m = &seq->msgs[i];

		if ((m->cmd == IPC3_TPLG_COMP_NEW || m->cmd == IPC3_TPLG_BUFFER_NEW ||
		     m->cmd == IPC3_TPLG_PIPE_NEW) &&
		    m->widget >= 0 && (uint32_t)m->widget == w)
			return (int)get_le32(m->data + HD_OFF_ID);
	}
	return -ENOENT;
}

/* Record every created component and buffer of @seq by widget name. */
static int hd_record(const struct tplg *t, const struct tplg_ipc_seq *seq,
		     struct hostdsp_obj **objs, uint32_t *num)
{
	*objs = calloc(t->num_widgets ? t->num_widgets : 1, sizeof(**objs));
	if (!*objs)
		return -ENOMEM;
	*num = 0;
	for (uint32_t w = 0; w < t->num_widgets; w++) {
		int id = hd_widget_id(seq, w);

		if (id < 0)
			continue;
		memcpy((*objs)[*num].name, t->widgets[w].name, TPLG_NAME_LEN);
		(*objs)[*num].name[TPLG_NAME_LEN - 1] = '\0';
		(*objs)[*num].id = (uint32_t)id;
		(*objs)[*num].index = t->widgets[w].index;
		(*objs)[(*num)++].type = t->widgets[w].id;
	}
	return 0;
}

static int hd_find(const struct hostdsp_obj *objs, uint32_t num, const char *name,
		   uint32_t type_a, uint32_t type_b)
{
	for (uint32_t i = 0; i < num; i++)
		if (!strcmp(objs[i].name, name) &&
		    (type_a == UINT32_MAX || objs[i].type == type_a || objs[i].type == type_b))
			return (int)objs[i].id;
	return -ENOENT;
}

/* The route of @t whose @sink (or source) widget is @w; -1 if none. */
static int hd_route_to(const struct tplg *t, uint32_t w, bool by_sink)
{
	for (uint32_t i = 0; i < t->num_routes; i++)
		if ((by_sink ? t->routes[i].sink_widget : t->routes[i].source_widget) == w)
			return (int)i;
	return -1;
}

/*
 * The host's connection points: playback CP (aif_in) -> buffer -> attach (mixer); capture
 * attach (demux) -> buffer -> CP (aif_out).
 */
static int hd_find_cps(struct hostdsp *h, const struct tplg *t, const struct tplg_ipc_seq *seq)
{
	h->cps = calloc(t->num_widgets ? t->num_widgets : 1, sizeof(*h->cps));
	if (!h->cps)
		return -ENOMEM;
	for (uint32_t w = 0; w < t->num_widgets; w++) {
		const struct tplg_widget *wd = &t->widgets[w];
		bool playback = wd->id == TPLG_DAPM_AIF_IN;
		int r1, r2, id;
		uint32_t buf;

		if (!wd->tokens.vadsp.cp_name[0] || (!playback && wd->id != TPLG_DAPM_AIF_OUT))
			continue;
		r1 = hd_route_to(t, w, !playback);
		if (r1 < 0)
			goto bad;
		buf = playback ? t->routes[r1].sink_widget : t->routes[r1].source_widget;
		r2 = hd_route_to(t, buf, !playback);
		if (r2 < 0)
			goto bad;
		id = hd_widget_id(seq, playback ? t->routes[r2].sink_widget :
					      t->routes[r2].source_widget);
		if (id < 0)
			goto bad;
		memcpy(h->cps[h->num_cps].name, wd->tokens.vadsp.cp_name, TPLG_NAME_LEN);
		h->cps[h->num_cps].name[TPLG_NAME_LEN - 1] = '\0';
		h->cps[h->num_cps].attach_id = (uint32_t)id;
		h->cps[h->num_cps].pipeline = wd->index;
		h->cps[h->num_cps++].playback = playback;
		continue;
bad:
		vadsp_err("hostdsp", "connection point '%s' (%s) has no buffer and mixer/demux",
			  wd->tokens.vadsp.cp_name, wd->name);
		return -EINVAL;
	}
	return 0;
}

int hostdsp_create(struct hostdsp **out, const struct tplg *host, uint32_t period_us,
		   uint32_t rate)
{
	struct dsp_engine_config ecfg = { .period_us = period_us, .rate = rate };
	uint8_t reply[IPC3_MSG_MAX_SIZE];
	struct tplg_ipc_seq *seq = NULL;
	struct tplg_error err;
	struct hostdsp *h;
	int ret;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	ret = dsp_engine_create(&h->engine, &ecfg);
	if (ret < 0)
		goto fail;
	ret = ipc3_exec_create(&h->x, h->engine, NULL);
	if (ret < 0)
		goto fail;
	ret = tplg_ipc_build(host, NULL, &seq, &err);
	if (ret < 0) {
		vadsp_err("hostdsp", "host topology: %s", err.msg);
		goto fail;
	}
	for (uint32_t i = 0; i < seq->num_msgs; i++) {
		ret = hd_send(h->x, seq->msgs[i].data, seq->msgs[i].size, reply, sizeof(reply));
		if (ret) {
			vadsp_err("hostdsp", "host topology: %s: %s", seq->msgs[i].desc,
				  strerror(-ret));
			ret = -EINVAL;
			goto fail;
		}
	}
	ret = hd_record(host, seq, &h->objs, &h->num_objs);
	if (ret < 0)
		goto fail;
	ret = hd_find_cps(h, host, seq);
	if (ret < 0)
		goto fail;
	tplg_ipc_seq_free(seq);
	*out = h;
	return 0;
fail:
	tplg_ipc_seq_free(seq);
	hostdsp_destroy(h);
	return ret;
}

void hostdsp_destroy(struct hostdsp *h)
{
	if (!h)
		return;
	if (h->x) {
		ipc3_exec_reset(h->x);
		ipc3_exec_destroy(h->x);
	}
	dsp_engine_destroy(h->engine);
	free(h->objs);
	free(h->cps);
	free(h);
}

struct dsp_engine *hostdsp_engine(struct hostdsp *h)
{
	return h->engine;
}

int hostdsp_dai_id(const struct hostdsp *h, const char *name)
{
	return hd_find(h->objs, h->num_objs, name, TPLG_DAPM_DAI_IN, TPLG_DAPM_DAI_OUT);
}

int hostdsp_dai_playback(const struct hostdsp *h, const char *name)
{
	if (hd_find(h->objs, h->num_objs, name, TPLG_DAPM_DAI_IN, TPLG_DAPM_DAI_IN) >= 0)
		return 1;
	return hostdsp_dai_id(h, name) >= 0 ? 0 : -ENOENT;
}

const char *hostdsp_dai_name(const struct hostdsp *h, unsigned int i)
{
	for (uint32_t j = 0; j < h->num_objs; j++)
		if ((h->objs[j].type == TPLG_DAPM_DAI_IN || h->objs[j].type == TPLG_DAPM_DAI_OUT) &&
		    i-- == 0)
			return h->objs[j].name;
	return NULL;
}

int hostdsp_dai_pipeline(const struct hostdsp *h, const char *name)
{
	int id = hostdsp_dai_id(h, name);

	if (id < 0)
		return id;
	for (uint32_t i = 0; i < h->num_objs; i++)
		if (h->objs[i].id == (uint32_t)id)
			for (uint32_t j = 0; j < h->num_objs; j++)
				if (h->objs[j].type == TPLG_DAPM_SCHEDULER &&
				    h->objs[j].index == h->objs[i].index)
					return (int)h->objs[j].id;
	return -ENOENT;
}

static const struct hostdsp_cp *hd_cp(const struct hostdsp *h, const char *name, bool playback)
{
	for (uint32_t i = 0; i < h->num_cps; i++)
		if (h->cps[i].playback == playback && !strcmp(h->cps[i].name, name))
			return &h->cps[i];
	return NULL;
}

static bool hd_is_cp_dai(const struct tplg *t, int32_t w)
{
	const struct tplg_widget *wd;

	if (w < 0 || (uint32_t)w >= t->num_widgets)
		return false;
	wd = &t->widgets[w];
	return (wd->id == TPLG_DAPM_DAI_IN || wd->id == TPLG_DAPM_DAI_OUT) &&
	       wd->tokens.vadsp.cp_name[0];
}

/* The host (aif) component of guest pipeline block @index, or -ENOENT. */
static int hd_pipe_host(const struct tplg *t, const struct tplg_ipc_seq *seq, uint32_t index)
{
	for (uint32_t w = 0; w < t->num_widgets; w++)
		if ((t->widgets[w].id == TPLG_DAPM_AIF_IN || t->widgets[w].id == TPLG_DAPM_AIF_OUT) &&
		    t->widgets[w].index == index)
			return hd_widget_id(seq, w);
	return -ENOENT;
}

/*
 * A demux routes an output by the pipeline_id of the buffer it feeds (its configuration
 * blob: 8-byte header, 16-byte stream entries, dsp/kernels/mux.h). A guest capture
 * pipeline attached to a connection point takes the routing of that point's own stream:
 * its entry is copied under the guest's pipeline_id. The demux takes DSP_DEMUX_MAX_STREAMS
 * entries, the host's own connection points included.
 */
static int hd_demux_add(struct hostdsp *h, const struct hostdsp_cp *cp, uint32_t pipeline)
{
	uint8_t *blob = h->demux_blob;
	int n = dsp_comp_get_data(h->engine, cp->attach_id, blob, sizeof(h->demux_blob));
	uint32_t streams;

	if (n < 8)
		return -EINVAL;
	streams = get_le16(blob + 4);
	if ((uint32_t)n != 8 + 16 * streams)
		return -EINVAL;
	for (uint32_t i = 0; i < streams; i++)
		if (get_le32(blob + 8 + 16 * i) == pipeline)
			return 0;	/* routed already (the pipeline's buffer came again) */
	if (streams >= DSP_DEMUX_MAX_STREAMS)
		return -ENOSPC;
	for (uint32_t i = 0; i < streams; i++) {
		if (get_le32(blob + 8 + 16 * i) != cp->pipeline)
			continue;
		memcpy(blob + 8 + 16 * streams, blob + 8 + 16 * i, 16);
		put_le32(blob + 8 + 16 * streams, pipeline);
		put_le16(blob + 4, (uint16_t)(streams + 1));
		return dsp_comp_set_data(h->engine, cp->attach_id, blob, 8 + 16 * (streams + 1));
	}
	return -EINVAL;
}

/* Remove the demux entries of pipelines [@base, @base + @count). */
static void hd_demux_del(struct hostdsp *h, uint32_t base, uint32_t count)
{
	for (uint32_t c = 0; c < h->num_cps; c++) {
		uint8_t *blob = h->demux_blob;
		int n;
		uint32_t streams, kept = 0;

		if (h->cps[c].playback)
			continue;
		n = dsp_comp_get_data(h->engine, h->cps[c].attach_id, blob, sizeof(h->demux_blob));
		if (n < 8)
			continue;
		streams = get_le16(blob + 4);
		if ((uint32_t)n != 8 + 16 * streams)
			continue;
		for (uint32_t i = 0; i < streams; i++) {
			uint32_t p = get_le32(blob + 8 + 16 * i);

			if (p >= base && p - base < count)
				continue;
			memmove(blob + 8 + 16 * kept++, blob + 8 + 16 * i, 16);
		}
		if (kept == streams)
			continue;
		put_le16(blob + 4, (uint16_t)kept);
		if (dsp_comp_set_data(h->engine, h->cps[c].attach_id, blob, 8 + 16 * kept) < 0)
			vadsp_warn("hostdsp", "demux %u: removing a guest's routing failed",
				   h->cps[c].attach_id);
	}
}

/*
 * Apply one generated message for a guest: skipped (connection-point DAI), replaced by a
 * direct connection to the host mixer/demux, or remapped and sent.
 */
static int hd_guest_msg(struct hostdsp_guest *g, const struct tplg *t,
			const struct tplg_ipc_seq *seq, const struct tplg_ipc_msg *m,
			uint32_t pipe_base)
{
	uint8_t data[IPC3_MSG_MAX_SIZE], reply[IPC3_MSG_MAX_SIZE];
	int ret;

	if (m->cmd == IPC3_TPLG_COMP_NEW && hd_is_cp_dai(t, m->widget))
		return 0;
	if (m->size > sizeof(data) ||
	    (m->size < HD_OFF_SINK + 4 && m->cmd == IPC3_TPLG_COMP_CONNECT) ||
	    (m->size < HD_OFF_PIPELINE + 4 && (m->cmd == IPC3_TPLG_COMP_NEW ||
	     m->cmd == IPC3_TPLG_BUFFER_NEW || m->cmd == IPC3_TPLG_PIPE_NEW)))
		return -EINVAL;
	memcpy(data, m->data, m->size);

	if (m->cmd == IPC3_TPLG_COMP_CONNECT && m->route >= 0 &&
	    (uint32_t)m->route < t->num_routes) {
		const struct tplg_route *r = &t->routes[m->route];
		bool to_cp = hd_is_cp_dai(t, (int32_t)r->sink_widget);
		bool from_cp = hd_is_cp_dai(t, (int32_t)r->source_widget);
		const struct hostdsp_cp *cp;
		const struct tplg_widget *dai;

		if (to_cp || from_cp) {
			dai = &t->widgets[to_cp ? r->sink_widget : r->source_widget];
			cp = hd_cp(g->h, dai->tokens.vadsp.cp_name, to_cp);
			if (!cp) {
				vadsp_err("hostdsp", "guest %u: '%s' names connection point '%s', "
					  "which the host topology lacks", g->slot, dai->name,
					  dai->tokens.vadsp.cp_name);
				return -EINVAL;
			}
			ret = to_cp ? dsp_connect(g->h->engine, get_le32(data + HD_OFF_ID),
						  cp->attach_id) :
				      dsp_connect(g->h->engine, cp->attach_id,
						  get_le32(data + HD_OFF_SINK));
			if (!ret && from_cp)
				ret = hd_demux_add(g->h, cp, pipe_base +
						   t->widgets[r->sink_widget].index);
			if (ret < 0)
				vadsp_err("hostdsp", "guest %u: attaching '%s' to '%s': %s",
					  g->slot, dai->name, cp->name, strerror(-ret));
			return ret;
		}
	}
	if (m->cmd == IPC3_TPLG_COMP_NEW || m->cmd == IPC3_TPLG_BUFFER_NEW) {
		put_le32(data + HD_OFF_PIPELINE, pipe_base + get_le32(data + HD_OFF_PIPELINE));
	} else if (m->cmd == IPC3_TPLG_PIPE_NEW) {
		uint32_t sched = get_le32(data + HD_OFF_PIPE_SCHED);
		uint32_t index = get_le32(data + HD_OFF_PIPE_PIPELINE);

		/* A pipeline scheduled by a connection-point DAI: its host schedules it. */
		for (uint32_t w = 0; w < t->num_widgets; w++)
			if (hd_is_cp_dai(t, (int32_t)w) && seq->id_base + w == sched) {
				ret = hd_pipe_host(t, seq, index);
				if (ret < 0)
					return -EINVAL;
				put_le32(data + HD_OFF_PIPE_SCHED, (uint32_t)ret);
			}
		put_le32(data + HD_OFF_PIPE_PIPELINE, pipe_base + index);
	}
	ret = hd_send(g->x, data, m->size, reply, sizeof(reply));
	if (ret)
		vadsp_err("hostdsp", "guest %u: %s: %s", g->slot, m->desc, strerror(-ret));
	return ret;
}

/* What a guest in @slot may address and hold (see the top of hostdsp.h). */
static struct ipc3_exec_config hd_slot_config(uint32_t slot)
{
	return (struct ipc3_exec_config){
		.id_base = HOSTDSP_GUEST_ID_BASE * (slot + 1),
		.id_count = HOSTDSP_GUEST_ID_COUNT,
		.pipe_base = HOSTDSP_GUEST_PIPE_BASE * (slot + 1),
		.pipe_count = HOSTDSP_GUEST_PIPE_COUNT,
		.buffer_budget = HOSTDSP_GUEST_BUFFER_BUDGET,
	};
}

int hostdsp_guest_attach(struct hostdsp *h, const struct tplg *t, uint32_t slot,
			 struct hostdsp_guest **out)
{
	const struct ipc3_exec_config xcfg = hd_slot_config(slot);
	struct tplg_ipc_opts opts = { .id_base = xcfg.id_base };
	struct tplg_ipc_seq *seq = NULL;
	struct hostdsp_guest *g;
	struct tplg_error err;
	int ret;

	if (slot >= HOSTDSP_MAX_SLOTS)
		return -EINVAL;
	if (h->slots[slot])
		return -EBUSY;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->h = h;
	g->slot = slot;
	ret = ipc3_exec_create(&g->x, h->engine, &xcfg);
	if (ret < 0)
		goto fail;
	ret = tplg_ipc_build(t, &opts, &seq, &err);
	if (ret < 0) {
		vadsp_err("hostdsp", "guest %u topology: %s", slot, err.msg);
		goto fail;
	}
	if (seq->num_ids > HOSTDSP_GUEST_ID_COUNT) {
		ret = -EINVAL;
		goto fail;
	}
	for (uint32_t i = 0; i < seq->num_msgs; i++) {
		ret = hd_guest_msg(g, t, seq, &seq->msgs[i], xcfg.pipe_base);
		if (ret) {
			ret = ret < 0 ? ret : -EINVAL;
			goto fail;
		}
	}
	ret = hd_record(t, seq, &g->objs, &g->num_objs);
	if (ret < 0)
		goto fail;
	/* The connection-point DAIs were never created. */
	for (uint32_t i = 0; i < g->num_objs; i++)
		for (uint32_t w = 0; w < t->num_widgets; w++)
			if (hd_is_cp_dai(t, (int32_t)w) && !strcmp(g->objs[i].name,
								   t->widgets[w].name))
				g->objs[i].name[0] = '\0';
	tplg_ipc_seq_free(seq);
	h->slots[slot] = g;
	*out = g;
	return 0;
fail:
	tplg_ipc_seq_free(seq);
	if (g->x) {
		ipc3_exec_reset(g->x);
		ipc3_exec_destroy(g->x);
	}
	hd_demux_del(h, xcfg.pipe_base, xcfg.pipe_count);
	free(g->objs);
	free(g);
	return ret;
}

int hostdsp_guest_open(struct hostdsp *h, uint32_t slot, struct hostdsp_guest **out)
{
	const struct ipc3_exec_config xcfg = hd_slot_config(slot);
	struct hostdsp_guest *g;
	int ret;

	if (slot >= HOSTDSP_MAX_SLOTS)
		return -EINVAL;
	if (h->slots[slot])
		return -EBUSY;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->h = h;
	g->slot = slot;
	ret = ipc3_exec_create(&g->x, h->engine, &xcfg);
	if (ret < 0) {
		free(g);
		return ret;
	}
	h->slots[slot] = g;
	*out = g;
	return 0;
}

int hostdsp_guest_exec(struct hostdsp_guest *g, const void *req, size_t len, void *reply,
		       size_t cap)
{
	return ipc3_exec_msg(g->x, req, len, IPC3_ORIGIN_GUEST, reply, cap);
}

int hostdsp_guest_reset(struct hostdsp_guest *g)
{
	int ret = ipc3_exec_reset(g->x);

	if (ret < 0)
		vadsp_warn("hostdsp", "guest %u: reset left %u objects: %s", g->slot,
			   ipc3_exec_objects(g->x), strerror(-ret));
	hd_demux_del(g->h, HOSTDSP_GUEST_PIPE_BASE * (g->slot + 1), HOSTDSP_GUEST_PIPE_COUNT);
	return ret;
}

void hostdsp_guest_cp_release(struct hostdsp_guest *g, uint32_t pipeline)
{
	uint32_t base = HOSTDSP_GUEST_PIPE_BASE * (g->slot + 1);

	if (pipeline >= base && pipeline - base < HOSTDSP_GUEST_PIPE_COUNT)
		hd_demux_del(g->h, pipeline, 1);
}

uint32_t hostdsp_guest_objects(const struct hostdsp_guest *g)
{
	return ipc3_exec_objects(g->x);
}

int hostdsp_guest_cp_connect(struct hostdsp_guest *g, const char *cp, bool playback,
			     uint32_t buffer, uint32_t pipeline)
{
	const struct hostdsp_cp *p = hd_cp(g->h, cp, playback);
	int ret;

	if (!p)
		return hd_cp(g->h, cp, !playback) ? -EINVAL : -ENOENT;
	if (playback)
		return dsp_connect(g->h->engine, buffer, p->attach_id);
	ret = dsp_connect(g->h->engine, p->attach_id, buffer);
	if (!ret)
		ret = hd_demux_add(g->h, p, pipeline);
	return ret;
}

int hostdsp_guest_cp_disconnect(struct hostdsp_guest *g, const char *cp, bool playback,
				uint32_t buffer, uint32_t pipeline)
{
	const struct hostdsp_cp *p = hd_cp(g->h, cp, playback);
	int ret;

	if (!p)
		return -ENOENT;
	if (playback)
		return dsp_disconnect(g->h->engine, buffer, p->attach_id);
	ret = dsp_disconnect(g->h->engine, p->attach_id, buffer);
	if (!ret)
		hostdsp_guest_cp_release(g, pipeline);
	return ret;
}

int hostdsp_cp_connections(const struct hostdsp *h, const char *cp, bool playback)
{
	const struct hostdsp_cp *p = hd_cp(h, cp, playback);

	if (!p)
		return -ENOENT;
	return dsp_comp_connections(h->engine, p->attach_id, playback);
}

int hostdsp_guest_detach(struct hostdsp_guest *g)
{
	int ret;

	if (!g)
		return 0;
	ret = ipc3_exec_reset(g->x);
	if (ret < 0)
		vadsp_warn("hostdsp", "guest %u: reset left %u objects: %s", g->slot,
			   ipc3_exec_objects(g->x), strerror(-ret));
	ipc3_exec_destroy(g->x);
	hd_demux_del(g->h, HOSTDSP_GUEST_PIPE_BASE * (g->slot + 1), HOSTDSP_GUEST_PIPE_COUNT);
	g->h->slots[g->slot] = NULL;
	free(g->objs);
	free(g);
	return ret;
}

int hostdsp_guest_ipc(struct hostdsp_guest *g, const void *req, size_t len, void *reply,
		      size_t cap)
{
	return hd_send(g->x, req, len, reply, cap);
}

int hostdsp_guest_host_id(const struct hostdsp_guest *g, const char *name)
{
	return hd_find(g->objs, g->num_objs, name, TPLG_DAPM_AIF_IN, TPLG_DAPM_AIF_OUT);
}

int hostdsp_guest_comp_id(const struct hostdsp_guest *g, const char *name)
{
	return name[0] ? hd_find(g->objs, g->num_objs, name, UINT32_MAX, UINT32_MAX) : -ENOENT;
}
