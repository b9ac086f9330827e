// SPDX-License-Identifier: MIT
/*
 * vadspd's running state: guests, their servers and connections, the management socket's
 * answers, signals. See daemon.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "daemon/backend-dsp.h"
#include "daemon/daemon.h"
#include "daemon/hostdsp-run.h"
#include "daemon/hostdsp.h"
#include "daemon/sof-guest.h"
#include "daemon/levels.h"
#include "ipc/ipc3.h"
#include "snd/card.h"
#include "snd/device.h"
#include "snd/pcm-caps.h"
#include "tplg/tplg.h"
#include "util/compiler.h"
#include "util/log.h"
#include "util/loop.h"
#include "vhost-user/backend.h"

#define LOG "vadspd"

struct vadspd_conn {
	struct vu_dev *dev;
	struct vadspd_conn *next;
};

/**
 * struct vadspd_guest - one configured guest
 * @opts: its sound device options; first, because the vhost-user server's data pointer is
 *        a struct vsnd_options (device.h) and the guest is found from it
 * @d: the daemon
 * @cfg: its configuration
 * @server: its vhost-user server
 * @conns: its connections, oldest first
 * @num_conns: how many
 * @refused: connections refused by max-connections
 */
struct vadspd_guest {
	struct vsnd_options opts;
	struct vadspd *d;
	const struct vadspd_guest_config *cfg;
	struct vu_server *server;
	struct vadspd_conn *conns;
	unsigned int num_conns;
	uint64_t refused;
	struct tplg *tplg;
	uint8_t *tplg_bytes;		/* the topology file, for the SOF IPC3 extension */
	struct vadspd_dsp_guest dsp;
};

/* A descriptor a guest's server or device watches, with the callback to run. */
struct vadspd_watch {
	struct vadspd_guest *guest;
	vu_watch_fn fn;
	void *data;
};

struct vadspd {
	struct vadsp_loop *loop;
	const struct vadspd_config *cfg;
	struct vadspd_guest *guests;
	unsigned int num_guests;
	struct vu_dev_ops dev_ops;
	struct vadspd_watch **watches;	/* indexed by fd */
	unsigned int num_watches;
	struct mgmt_server *mgmt;
	int signal_fd;
	bool single_connection;		/* --fd: exit when that connection ends */
	struct tplg *host_tplg;		/* [host]: the shared DSP and its data thread */
	struct hostdsp *hostdsp;
	struct hostdsp_run *run;
	bool slots[HOSTDSP_MAX_SLOTS];
};

/* ------------------------------------------------------------------------------------------
 * Watching descriptors for a guest, with its name as the log context
 * ------------------------------------------------------------------------------------------ */

static void watch_event(void *data, int fd, uint32_t events)
{
	struct vadspd_watch *w = data;
	vu_watch_fn fn = w->fn;
	void *arg = w->data;
	const char *prev = vadsp_log_set_context(w->guest->cfg->name);

	/* @w may be freed by the callback (it may stop watching its own fd). */
	fn(arg, fd, events);
	vadsp_log_set_context(prev);
}

static int guest_watch_add(void *loop, int fd, uint32_t events, vu_watch_fn fn, void *data)
{
	struct vadspd_guest *g = loop;
	struct vadspd *d = g->d;
	struct vadspd_watch *w;
	int ret;

	if (fd < 0)
		return -EINVAL;
	if ((unsigned int)fd >= d->num_watches) {
		unsigned int n = d->num_watches ? d->num_watches : 64;
		struct vadspd_watch **arr;

		while (n <= (unsigned int)fd)
			n *= 2;
		arr = realloc(d->watches, n * sizeof(*arr));
		if (!arr)
			return -ENOMEM;
		memset(arr + d->num_watches, 0, (n - d->num_watches) * sizeof(*arr));
		d->watches = arr;
		d->num_watches = n;
	}
	if (d->watches[fd])
		return -EEXIST;
	w = malloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	*w = (struct vadspd_watch){ .guest = g, .fn = fn, .data = data };
	ret = vadsp_loop_add(d->loop, fd, events, watch_event, w);
	if (ret < 0) {
		free(w);
		return ret;
	}
	d->watches[fd] = w;
	return 0;
}

static void guest_watch_del(void *loop, int fd)
{
	struct vadspd_guest *g = loop;
	struct vadspd *d = g->d;

	if (fd < 0 || (unsigned int)fd >= d->num_watches || !d->watches[fd])
		return;
	vadsp_loop_del(d->loop, fd);
	free(d->watches[fd]);
	d->watches[fd] = NULL;
}

static const struct vu_watch_ops guest_watch_ops = {
	.add = guest_watch_add,
	.del = guest_watch_del,
};

/* ------------------------------------------------------------------------------------------
 * Connections: the sound device's callbacks, with max-connections and tracking
 * ------------------------------------------------------------------------------------------ */

static struct vadspd_guest *guest_of(struct vu_dev *dev)
{
	struct vsnd_options *o = vu_server_get_data(vu_dev_server(dev));

	return vadsp_container_of(o, struct vadspd_guest, opts);
}

static int guest_connect(struct vu_dev *dev)
{
	struct vadspd_guest *g = guest_of(dev);
	struct vadspd_conn *c, **tail;
	int ret;

	if (g->cfg->max_connections && g->num_conns >= g->cfg->max_connections) {
		g->refused++;
		vadsp_warn(LOG, "refusing connection %u: %u open, max-connections is %u",
			   vu_dev_id(dev), g->num_conns, g->cfg->max_connections);
		return -EBUSY;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	ret = vsnd_device_ops.connect(dev);
	if (ret < 0) {
		free(c);
		return ret;
	}
	c->dev = dev;
	for (tail = &g->conns; *tail; tail = &(*tail)->next)
		;
	*tail = c;
	g->num_conns++;
	return 0;
}

static void guest_disconnect(struct vu_dev *dev)
{
	struct vadspd_guest *g = guest_of(dev);

	vsnd_device_ops.disconnect(dev);
	for (struct vadspd_conn **pp = &g->conns; *pp; pp = &(*pp)->next) {
		struct vadspd_conn *c = *pp;

		if (c->dev == dev) {
			*pp = c->next;
			free(c);
			g->num_conns--;
			break;
		}
	}
}

/* ------------------------------------------------------------------------------------------
 * Set-up and the loop
 * ------------------------------------------------------------------------------------------ */

static void on_signal(void *data, int fd, uint32_t events)
{
	struct vadspd *d = data;
	struct signalfd_siginfo si;

	(void)events;
	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return;
	vadsp_info(LOG, "%s received, shutting down", strsignal((int)si.ssi_signo));
	vadsp_loop_quit(d->loop);
}

static int setup_signals(struct vadspd *d)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	/* A guest or management client that disconnects mid-write must not kill the daemon. */
	signal(SIGPIPE, SIG_IGN);
	d->signal_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (d->signal_fd < 0)
		return -errno;
	return vadsp_loop_add(d->loop, d->signal_fd, VADSP_LOOP_IN, on_signal, d);
}

static void on_idle(void *data)
{
	struct vadspd *d = data;

	if (d->single_connection && d->guests[0].num_conns == 0) {
		vadsp_info(LOG, "the guest's connection closed, exiting");
		vadsp_loop_quit(d->loop);
	}
}

static int guest_setup(struct vadspd *d, struct vadspd_guest *g,
		       const struct vadspd_guest_config *gc, int fd)
{
	struct vu_dev_info info;
	const char *prev;
	int ret;

	g->d = d;
	g->cfg = gc;
	g->opts = (struct vsnd_options){
		.controls = gc->controls,
		.topology = gc->topology,
		.desc = gc->desc,
		.watch = &guest_watch_ops,	/* stream backends run their clocks here */
		.loop = g,
	};
	if (d->run && gc->topology) {
		struct tplg_error terr;

		ret = tplg_load_file(gc->topology, &g->tplg, &terr);
		if (ret < 0) {
			vadsp_err(LOG, "%s: %s", gc->topology, terr.msg);
			return ret;
		}
		g->dsp = (struct vadspd_dsp_guest){
			.run = d->run, .topology = g->tplg, .slots = d->slots,
		};
		g->opts.backend = &vsnd_backend_dsp;
		g->opts.backend_data = &g->dsp;
		if (gc->sof) {
			ret = sof_guest_read_topology(gc->topology, &g->tplg_bytes,
						      &g->dsp.topology_size);
			if (ret < 0)
				return ret;
			g->dsp.topology_bytes = g->tplg_bytes;
			g->opts.sof = true;
		}
	} else if (gc->sof) {
		vadsp_err(LOG, "the SOF IPC3 extension needs the host DSP with DAI endpoints");
		return -EINVAL;
	}
	vsnd_device_info(&g->opts, &info);
	info.allow_unsealed_memory = gc->allow_unsealed_memory;
	if (gc->queue_size && gc->queue_size < info.max_queue_size)
		info.max_queue_size = gc->queue_size;
	prev = vadsp_log_set_context(gc->name);
	ret = vu_server_new(&g->server, &info, &d->dev_ops, &guest_watch_ops, g, &g->opts);
	if (ret < 0) {
		vadsp_err(LOG, "cannot create the vhost-user server: %s", strerror(-ret));
		goto out;
	}
	if (fd >= 0) {
		ret = vu_server_adopt(g->server, fd, NULL);
		if (ret < 0)
			vadsp_err(LOG, "cannot serve fd %d: %s", fd, strerror(-ret));
		goto out;
	}
	ret = vu_server_listen(g->server, gc->socket);
	if (ret < 0) {
		vadsp_err(LOG, "cannot listen on %s: %s", gc->socket, strerror(-ret));
		goto out;
	}
	vadsp_info(LOG, "listening on %s: %s, %u streams, %u jacks, %u controls%s", gc->socket,
		   gc->topology ? gc->topology : "empty card",
		   gc->desc ? gc->desc->num_streams : 0, gc->desc ? gc->desc->num_jacks : 0,
		   gc->desc ? gc->desc->num_controls : 0,
		   gc->controls ? " (VIRTIO_SND_F_CTLS offered)" : "");
out:
	vadsp_log_set_context(prev);
	return ret;
}

/* [host]: load the host topology into one engine, bind its DAIs, start the data thread. */
static int host_dsp_setup(struct vadspd *d)
{
	const struct vadspd_config *cfg = d->cfg;
	struct hostdsp_run_dai *dais;
	struct tplg_error terr;
	int ret;

	if (!cfg->num_dais) {
		vadsp_info(LOG, "host topology %s without DAI endpoints: guests use the null "
			   "backend", cfg->host_topology);
		return 0;
	}
	ret = tplg_load_file(cfg->host_topology, &d->host_tplg, &terr);
	if (ret < 0) {
		vadsp_err(LOG, "%s: %s", cfg->host_topology, terr.msg);
		return ret;
	}
	ret = hostdsp_create(&d->hostdsp, d->host_tplg, 0, 0);
	if (ret < 0)
		return ret;
	dais = calloc(cfg->num_dais, sizeof(*dais));
	if (!dais)
		return -ENOMEM;
	for (unsigned int i = 0; i < cfg->num_dais; i++)
		dais[i] = (struct hostdsp_run_dai){ cfg->dais[i].name, cfg->dais[i].spec };
	ret = hostdsp_run_start(&d->run, d->hostdsp, dais, cfg->num_dais);
	free(dais);
	if (ret < 0)
		return ret;
	vadsp_info(LOG, "host DSP: %s, %u DAI endpoint%s, clocked by dai.%s = %s",
		   cfg->host_topology, cfg->num_dais, cfg->num_dais == 1 ? "" : "s",
		   cfg->dais[0].name, cfg->dais[0].spec);
	return 0;
}

int vadspd_new(struct vadspd **out, const struct vadspd_config *cfg, int fd)
{
	struct vadspd *d;
	int ret;

	*out = NULL;
	if (fd >= 0 && cfg->num_guests != 1)
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->cfg = cfg;
	d->signal_fd = -1;
	d->dev_ops = vsnd_device_ops;
	d->dev_ops.connect = guest_connect;
	d->dev_ops.disconnect = guest_disconnect;
	d->loop = vadsp_loop_new();
	d->guests = calloc(cfg->num_guests, sizeof(*d->guests));
	if (!d->loop || !d->guests) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = setup_signals(d);
	if (ret < 0) {
		vadsp_err(LOG, "cannot set up signal handling: %s", strerror(-ret));
		goto fail;
	}
	if (cfg->host_topology) {
		ret = host_dsp_setup(d);
		if (ret < 0)
			goto fail;
	}
	for (unsigned int i = 0; i < cfg->num_guests; i++) {
		ret = guest_setup(d, &d->guests[i], &cfg->guests[i], fd);
		if (ret < 0)
			goto fail;
		d->num_guests++;
	}
	if (fd >= 0) {
		d->single_connection = true;
		vadsp_loop_set_idle(d->loop, on_idle, d);
	}
	if (cfg->mgmt_socket) {
		ret = mgmt_server_new(&d->mgmt, d->loop, cfg->mgmt_socket, vadspd_mgmt_handle, d);
		if (ret < 0) {
			vadsp_err(LOG, "cannot listen on the management socket %s: %s",
				  cfg->mgmt_socket, strerror(-ret));
			goto fail;
		}
		vadsp_info(LOG, "management socket %s", cfg->mgmt_socket);
	}
	*out = d;
	return 0;
fail:
	vadspd_free(d);
	return ret;
}

int vadspd_run(struct vadspd *d)
{
	int ret = vadsp_loop_run(d->loop);

	if (ret < 0)
		vadsp_err(LOG, "event loop failed: %s", strerror(-ret));
	return ret;
}

void vadspd_free(struct vadspd *d)
{
	if (!d)
		return;
	mgmt_server_free(d->mgmt);
	for (unsigned int i = 0; i < d->num_guests; i++) {
		const char *prev = vadsp_log_set_context(d->guests[i].cfg->name);

		vu_server_free(d->guests[i].server);
		vadsp_log_set_context(prev);
	}
	/* Guests that failed half-way may still hold a server. */
	if (d->guests && d->num_guests < d->cfg->num_guests && d->guests[d->num_guests].server)
		vu_server_free(d->guests[d->num_guests].server);
	hostdsp_run_stop(d->run);
	hostdsp_destroy(d->hostdsp);
	tplg_free(d->host_tplg);
	for (unsigned int i = 0; d->guests && i < d->cfg->num_guests; i++) {
		tplg_free(d->guests[i].tplg);
		free(d->guests[i].tplg_bytes);
	}
	if (d->signal_fd >= 0) {
		vadsp_loop_del(d->loop, d->signal_fd);
		close(d->signal_fd);
	}
	for (unsigned int i = 0; i < d->num_watches; i++)
		free(d->watches[i]);
	free(d->watches);
	free(d->guests);
	vadsp_loop_free(d->loop);
	free(d);
}

/* ------------------------------------------------------------------------------------------
 * Management requests
 * ------------------------------------------------------------------------------------------ */

static int mfail(char *err, size_t err_len, int ret, const char *fmt, ...) VADSP_PRINTF(4, 5);

static int mfail(char *err, size_t err_len, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	return ret;
}

static struct vadspd_guest *find_guest(struct vadspd *d, const char *name)
{
	for (unsigned int i = 0; i < d->num_guests; i++)
		if (!strcmp(d->guests[i].cfg->name, name))
			return &d->guests[i];
	return NULL;
}

static const struct vsnd_card_desc *guest_desc(const struct vadspd_guest *g)
{
	return g->cfg->desc ? g->cfg->desc : &vsnd_card_desc_empty;
}

static const char *dir_name(uint8_t direction)
{
	return direction == VIRTIO_SND_D_OUTPUT ? "playback" : "capture";
}

static const char *ctl_type_name(uint32_t type)
{
	switch (type) {
	case VIRTIO_SND_CTL_TYPE_BOOLEAN:
		return "boolean";
	case VIRTIO_SND_CTL_TYPE_INTEGER:
		return "integer";
	case VIRTIO_SND_CTL_TYPE_INTEGER64:
		return "integer64";
	case VIRTIO_SND_CTL_TYPE_ENUMERATED:
		return "enumerated";
	case VIRTIO_SND_CTL_TYPE_BYTES:
		return "bytes";
	default:
		return "other";
	}
}

/*
 * What a stream has moved: frames and messages completed, held, xruns; how fast its driver
 * answered completions (plain and SOF).
 */
static void put_stream_counts(struct json_out *o, const struct vsnd_stream *s)
{
	json_kv_uint(o, "frames", s->frames);
	json_kv_uint(o, "messages", s->completed);
	json_kv_uint(o, "pending", s->pending);
	json_kv_uint(o, "xruns", s->xruns);
	json_key(o, "answers");
	json_arr_begin(o);
	for (unsigned int i = 0; i < VSND_ANSWER_BINS; i++)
		json_uint64(o, s->answers[i]);
	json_arr_end(o);
	json_kv_uint(o, "answer_max_us", s->answer_max_ns / 1000u);
}

static void put_stream(struct json_out *o, const struct vsnd_card *card, uint32_t i)
{
	const struct vsnd_stream_desc *sd = &card->desc->streams[i];
	const struct vsnd_stream *s = &card->streams[i];

	json_obj_begin(o);
	json_kv_uint(o, "id", i);
	json_kv_str(o, "name", sd->name);
	json_kv_str(o, "direction", dir_name(sd->direction));
	json_kv_str(o, "state", vsnd_pcm_state_name(s->state));
	json_key(o, "params");
	if (s->state == VSND_PCM_NONE) {
		json_null(o);
	} else {
		json_obj_begin(o);
		json_kv_str(o, "format", vsnd_format_name(s->params.format));
		json_kv_uint(o, "rate", s->params.rate_hz);
		json_kv_uint(o, "channels", s->params.channels);
		json_kv_uint(o, "buffer_bytes", s->params.buffer_bytes);
		json_kv_uint(o, "period_bytes", s->params.period_bytes);
		json_obj_end(o);
	}
	put_stream_counts(o, s);
	json_obj_end(o);
}

/* A SOF IPC3 guest's audio format by the names plain streams' formats have. */
static const char *sof_format_name(uint32_t frame_fmt)
{
	switch (frame_fmt) {
	case IPC3_FRAME_S16_LE:
		return vsnd_format_name(VIRTIO_SND_PCM_FMT_S16);
	case IPC3_FRAME_S24_4LE:
		return vsnd_format_name(VIRTIO_SND_PCM_FMT_S24);
	case IPC3_FRAME_S32_LE:
		return vsnd_format_name(VIRTIO_SND_PCM_FMT_S32);
	case IPC3_FRAME_FLOAT:
		return vsnd_format_name(VIRTIO_SND_PCM_FMT_FLOAT);
	default:
		return "?";
	}
}

/* The members a SOF IPC3 guest's stream has in "list" and "levels" before their own. */
static void put_sof_stream_head(struct json_out *o, uint32_t sid,
				const struct vadspd_dsp_sof_stream *st)
{
	json_kv_uint(o, "id", sid);
	json_kv_bool(o, "sof", true);
	json_kv_uint(o, "comp_id", st->comp_id);
	json_kv_str(o, "direction", st->playback ? "playback" : "capture");
	json_kv_str(o, "state", st->state);
}

/* A SOF IPC3 guest's stream: its PCM_PARAMS, and the counts of the card's extension stream. */
static void put_sof_stream(struct json_out *o, const struct vsnd_card *card, uint32_t sid,
			   const struct vadspd_dsp_sof_stream *st)
{
	json_obj_begin(o);
	put_sof_stream_head(o, sid, st);
	json_key(o, "params");
	json_obj_begin(o);
	json_kv_str(o, "format", sof_format_name(st->frame_fmt));
	json_kv_uint(o, "rate", st->rate);
	json_kv_uint(o, "channels", st->channels);
	json_kv_uint(o, "ring_bytes", st->ring_bytes);
	json_kv_uint(o, "host_period_bytes", st->posn_bytes);
	json_obj_end(o);
	put_stream_counts(o, &card->sof_streams[sid]);
	json_obj_end(o);
}

/* A connection's streams: a SOF IPC3 guest's (those with parameters), or the card's. */
static void put_streams(struct json_out *o, const struct vsnd_card *card)
{
	json_key(o, "streams");
	json_arr_begin(o);
	if (card->sof) {
		for (uint32_t i = 0; i < VSND_SOF_STREAMS; i++) {
			struct vadspd_dsp_sof_stream st;

			if (card->backend_ops == &vsnd_backend_dsp &&
			    vadspd_dsp_sof_stream(card->backend, i, &st) == 0)
				put_sof_stream(o, card, i, &st);
		}
	} else {
		for (uint32_t i = 0; i < card->desc->num_streams; i++)
			put_stream(o, card, i);
	}
	json_arr_end(o);
}

static void put_control(struct json_out *o, const struct vsnd_card *card, uint32_t i,
			bool details)
{
	const struct vsnd_ctl_desc *cd = &card->desc->controls[i];
	struct vsnd_ctl_values v;

	json_obj_begin(o);
	json_kv_uint(o, "id", i);
	json_kv_str(o, "name", cd->name);
	json_kv_uint(o, "index", cd->index);
	json_kv_str(o, "type", ctl_type_name(cd->type));
	if (details) {
		json_kv_uint(o, "count", cd->count);
		if (cd->type == VIRTIO_SND_CTL_TYPE_INTEGER ||
		    cd->type == VIRTIO_SND_CTL_TYPE_BOOLEAN) {
			json_kv_int(o, "min", cd->min);
			json_kv_int(o, "max", cd->max);
			json_kv_int(o, "step", cd->step);
		}
		if (cd->has_db) {
			json_kv_int(o, "db_min_centi", cd->db_min);
			json_kv_int(o, "db_step_centi", cd->db_step);
			json_kv_bool(o, "db_mute", cd->db_mute);
		}
		if (cd->type == VIRTIO_SND_CTL_TYPE_ENUMERATED) {
			json_key(o, "items");
			json_arr_begin(o);
			for (uint32_t k = 0; k < cd->items; k++)
				json_strn(o, (const char *)cd->item_names[k],
					  VIRTIO_SND_CTL_ENUM_ITEM_SIZE);
			json_arr_end(o);
		}
	}
	if (vsnd_card_ctl_get(card, i, &v) == 0) {
		if (cd->type == VIRTIO_SND_CTL_TYPE_BYTES) {
			json_kv_uint(o, "bytes", v.count);
		} else {
			json_key(o, "values");
			json_arr_begin(o);
			for (uint32_t k = 0; k < v.count; k++)
				json_int64(o, v.values[k]);
			json_arr_end(o);
		}
	}
	json_obj_end(o);
}

static void put_jack(struct json_out *o, const struct vsnd_card *card, uint32_t i)
{
	const struct vsnd_jack_desc *jd = &card->desc->jacks[i];

	json_obj_begin(o);
	json_kv_uint(o, "id", i);
	json_kv_str(o, "cp", jd->cp_name);
	json_kv_str(o, "direction", dir_name(jd->direction));
	json_kv_bool(o, "connected", card->jack_connected[i]);
	json_obj_end(o);
}

static void put_connection(struct json_out *o, struct vu_dev *dev)
{
	const struct vsnd_card *card = vsnd_device_card(dev);

	json_obj_begin(o);
	json_kv_uint(o, "id", vu_dev_id(dev));
	if (card) {
		json_kv_bool(o, "controls_negotiated", card->controls_negotiated);
		if (card->sof) {
			uint32_t objects = 0, streams = 0;

			/* The SOF IPC3 extension's session, once the guest sent IPC. */
			json_key(o, "sof");
			if (card->backend_ops == &vsnd_backend_dsp &&
			    vadspd_dsp_sof_counts(card->backend, &objects, &streams) == 0) {
				json_obj_begin(o);
				json_kv_uint(o, "objects", objects);
				json_kv_uint(o, "streams", streams);
				json_obj_end(o);
			} else {
				json_null(o);
			}
		}
		put_streams(o, card);
		json_key(o, "jacks");
		json_arr_begin(o);
		for (uint32_t i = 0; i < card->desc->num_jacks; i++)
			put_jack(o, card, i);
		json_arr_end(o);
		json_key(o, "controls");
		json_arr_begin(o);
		for (uint32_t i = 0; i < card->desc->num_controls; i++)
			put_control(o, card, i, false);
		json_arr_end(o);
	}
	json_obj_end(o);
}

static int handle_list(struct vadspd *d, const struct mgmt_request *req, struct json_out *o,
		       char *err, size_t err_len)
{
	if (req->guest[0] && !find_guest(d, req->guest))
		return mfail(err, err_len, -ENOENT, "no guest \"%s\"", req->guest);
	json_obj_begin(o);
	json_kv_bool(o, "ok", true);
	json_key(o, "guests");
	json_arr_begin(o);
	for (unsigned int i = 0; i < d->num_guests; i++) {
		const struct vadspd_guest *g = &d->guests[i];
		const struct vsnd_card_desc *desc = guest_desc(g);

		if (req->guest[0] && strcmp(req->guest, g->cfg->name))
			continue;
		json_obj_begin(o);
		json_kv_str(o, "name", g->cfg->name);
		json_key(o, "socket");
		if (g->cfg->socket)
			json_str(o, g->cfg->socket);
		else
			json_null(o);
		json_key(o, "topology");
		if (g->cfg->topology)
			json_str(o, g->cfg->topology);
		else
			json_null(o);
		json_kv_bool(o, "controls", g->cfg->controls);
		json_kv_uint(o, "streams", desc->num_streams);
		json_kv_uint(o, "jacks", desc->num_jacks);
		json_kv_uint(o, "max_connections", g->cfg->max_connections);
		json_kv_uint(o, "refused", g->refused);
		json_kv_bool(o, "connected", g->num_conns > 0);
		json_key(o, "connections");
		json_arr_begin(o);
		for (const struct vadspd_conn *c = g->conns; c; c = c->next)
			put_connection(o, c->dev);
		json_arr_end(o);
		json_obj_end(o);
	}
	json_arr_end(o);
	json_obj_end(o);
	return 0;
}

/* The control a request names, in @desc. */
static int find_control(const struct vsnd_card_desc *desc, const struct mgmt_request *req,
			const char *guest, char *err, size_t err_len)
{
	if (req->control_id >= 0) {
		if ((uint64_t)req->control_id >= desc->num_controls)
			return mfail(err, err_len, -ENOENT, "guest \"%s\" has no control %lld (it "
				     "has %u)", guest, (long long)req->control_id,
				     desc->num_controls);
		return (int)req->control_id;
	}
	for (uint32_t i = 0; i < desc->num_controls; i++)
		if (!strcmp(desc->controls[i].name, req->control) &&
		    desc->controls[i].index == req->index)
			return (int)i;
	return mfail(err, err_len, -ENOENT, "guest \"%s\" has no control \"%s\" index %u", guest,
		     req->control, req->index);
}

/* The connections a request addresses: one by id, or all; @one picks the oldest instead. */
static int pick_connections(struct vadspd_guest *g, const struct mgmt_request *req, bool one,
			    struct vu_dev **devs, unsigned int max, char *err, size_t err_len)
{
	unsigned int n = 0;

	if (!g->conns)
		return mfail(err, err_len, -ENOTCONN, "guest \"%s\" is not connected: its card "
			     "exists only while a front-end is connected", g->cfg->name);
	for (const struct vadspd_conn *c = g->conns; c && n < max; c = c->next) {
		if (req->connection >= 0 && vu_dev_id(c->dev) != (uint64_t)req->connection)
			continue;
		devs[n++] = c->dev;
		if (one)
			break;
	}
	if (!n)
		return mfail(err, err_len, -ENOENT, "guest \"%s\" has no connection %lld",
			     g->cfg->name, (long long)req->connection);
	return (int)n;
}

static int handle_get(struct vadspd *d, const struct mgmt_request *req, struct json_out *o,
		      char *err, size_t err_len)
{
	struct vadspd_guest *g = find_guest(d, req->guest);
	struct vu_dev *dev;
	int id, ret;

	if (!g)
		return mfail(err, err_len, -ENOENT, "no guest \"%s\"", req->guest);
	id = find_control(guest_desc(g), req, g->cfg->name, err, err_len);
	if (id < 0)
		return id;
	ret = pick_connections(g, req, true, &dev, 1, err, err_len);
	if (ret < 0)
		return ret;
	json_obj_begin(o);
	json_kv_bool(o, "ok", true);
	json_kv_str(o, "guest", g->cfg->name);
	json_kv_uint(o, "connection", vu_dev_id(dev));
	json_key(o, "control");
	put_control(o, vsnd_device_card(dev), (uint32_t)id, true);
	json_obj_end(o);
	return 0;
}

/* A "set"'s values as the control's: @out gets desc count values. */
static int set_values(const struct vsnd_ctl_desc *cd, const struct mgmt_request *req,
		      int32_t *out, char *err, size_t err_len)
{
	if (cd->type == VIRTIO_SND_CTL_TYPE_BYTES)
		return mfail(err, err_len, -EOPNOTSUPP, "control \"%s\" holds bytes: those are not "
			     "set through the management socket", cd->name);
	if (cd->type != VIRTIO_SND_CTL_TYPE_INTEGER && cd->type != VIRTIO_SND_CTL_TYPE_BOOLEAN &&
	    cd->type != VIRTIO_SND_CTL_TYPE_ENUMERATED)
		return mfail(err, err_len, -EOPNOTSUPP, "control \"%s\" has a type the daemon does "
			     "not set", cd->name);
	if (req->num_values != 1 && req->num_values != cd->count)
		return mfail(err, err_len, -EINVAL, "control \"%s\" has %u value%s: give 1 (for "
			     "all) or %u", cd->name, cd->count, cd->count == 1 ? "" : "s",
			     cd->count);
	for (uint32_t ch = 0; ch < cd->count; ch++) {
		const struct mgmt_value *v = &req->values[req->num_values == 1 ? 0 : ch];
		int64_t n = v->n;

		switch (cd->type) {
		case VIRTIO_SND_CTL_TYPE_BOOLEAN:
			if (v->kind == MGMT_VALUE_STRING || n < 0 || n > 1)
				return mfail(err, err_len, -EINVAL, "control \"%s\" is a switch: "
					     "give true, false, 1 or 0", cd->name);
			break;
		case VIRTIO_SND_CTL_TYPE_INTEGER:
			if (v->kind != MGMT_VALUE_INT)
				return mfail(err, err_len, -EINVAL, "control \"%s\" takes numbers",
					     cd->name);
			if (n < cd->min || n > cd->max ||
			    (cd->step > 1 && (n - cd->min) % cd->step))
				return mfail(err, err_len, -ERANGE, "control \"%s\": %lld is not "
					     "in %d..%d (step %d)", cd->name, (long long)n,
					     cd->min, cd->max, cd->step);
			break;
		default:	/* ENUMERATED: an item's index or name */
			if (v->kind == MGMT_VALUE_STRING) {
				uint32_t k;

				for (k = 0; k < cd->items; k++)
					if (!strncmp((const char *)cd->item_names[k], v->s,
						     VIRTIO_SND_CTL_ENUM_ITEM_SIZE))
						break;
				if (k == cd->items)
					return mfail(err, err_len, -EINVAL, "control \"%s\" has no "
						     "item \"%s\"", cd->name, v->s);
				n = k;
			} else if (v->kind != MGMT_VALUE_INT || n < 0 || n >= cd->items) {
				return mfail(err, err_len, -ERANGE, "control \"%s\": give an item "
					     "name or an index below %u", cd->name, cd->items);
			}
			break;
		}
		out[ch] = (int32_t)n;
	}
	return 0;
}

static int handle_set(struct vadspd *d, const struct mgmt_request *req, struct json_out *o,
		      char *err, size_t err_len)
{
	struct vadspd_guest *g = find_guest(d, req->guest);
	struct vu_dev *devs[VADSPD_CONNECTIONS_MAX];
	int32_t values[VIRTIO_SND_CTL_VALUE_SIZE / 4];
	int changed[VADSPD_CONNECTIONS_MAX];
	const struct vsnd_ctl_desc *cd;
	struct vsnd_ctl_values v;
	const char *prev;
	int id, n, ret = 0;

	if (!g)
		return mfail(err, err_len, -ENOENT, "no guest \"%s\"", req->guest);
	id = find_control(guest_desc(g), req, g->cfg->name, err, err_len);
	if (id < 0)
		return id;
	cd = &guest_desc(g)->controls[id];
	if (cd->count > VADSP_ARRAY_SIZE(values))
		return mfail(err, err_len, -EOPNOTSUPP, "control \"%s\" has too many values",
			     cd->name);
	ret = set_values(cd, req, values, err, err_len);
	if (ret < 0)
		return ret;
	n = pick_connections(g, req, false, devs, VADSP_ARRAY_SIZE(devs), err, err_len);
	if (n < 0)
		return n;
	v = (struct vsnd_ctl_values){ .count = cd->count, .values = values };
	prev = vadsp_log_set_context(g->cfg->name);
	for (int i = 0; i < n; i++) {
		changed[i] = vsnd_card_ctl_set(vsnd_device_card(devs[i]), (uint32_t)id, &v);
		if (changed[i] < 0) {
			ret = mfail(err, err_len, changed[i], "connection %u refused the value of "
				    "\"%s\": %s", vu_dev_id(devs[i]), cd->name,
				    strerror(-changed[i]));
			break;
		}
		if (changed[i])
			vadsp_info(LOG, "connection %u: control %d '%s' set from the management "
				   "socket", vu_dev_id(devs[i]), id, cd->name);
	}
	vadsp_log_set_context(prev);
	if (ret < 0)
		return ret;
	json_obj_begin(o);
	json_kv_bool(o, "ok", true);
	json_kv_str(o, "guest", g->cfg->name);
	json_key(o, "control");
	put_control(o, vsnd_device_card(devs[0]), (uint32_t)id, false);
	json_key(o, "connections");
	json_arr_begin(o);
	for (int i = 0; i < n; i++) {
		json_obj_begin(o);
		json_kv_uint(o, "id", vu_dev_id(devs[i]));
		json_kv_bool(o, "changed", changed[i] > 0);
		json_obj_end(o);
	}
	json_arr_end(o);
	json_obj_end(o);
	return 0;
}

static int handle_jack(struct vadspd *d, const struct mgmt_request *req, struct json_out *o,
		       char *err, size_t err_len)
{
	struct vadspd_guest *g = find_guest(d, req->guest);
	struct vu_dev *devs[VADSPD_CONNECTIONS_MAX];
	int changed[VADSPD_CONNECTIONS_MAX];
	const struct vsnd_card_desc *desc;
	const char *prev;
	int64_t jack = -1;
	int n;

	if (!g)
		return mfail(err, err_len, -ENOENT, "no guest \"%s\"", req->guest);
	desc = guest_desc(g);
	if (req->jack_id >= 0) {
		if ((uint64_t)req->jack_id >= desc->num_jacks)
			return mfail(err, err_len, -ENOENT, "guest \"%s\" has no jack %lld (it has "
				     "%u)", g->cfg->name, (long long)req->jack_id,
				     desc->num_jacks);
		jack = req->jack_id;
	} else {
		for (uint32_t i = 0; i < desc->num_jacks && jack < 0; i++)
			if (!strcmp(desc->jacks[i].cp_name, req->jack))
				jack = i;
		if (jack < 0)
			return mfail(err, err_len, -ENOENT, "guest \"%s\" has no jack on the "
				     "connection point \"%s\"", g->cfg->name, req->jack);
	}
	n = pick_connections(g, req, false, devs, VADSP_ARRAY_SIZE(devs), err, err_len);
	if (n < 0)
		return n;
	prev = vadsp_log_set_context(g->cfg->name);
	for (int i = 0; i < n; i++) {
		changed[i] = vsnd_card_jack_set(vsnd_device_card(devs[i]), (uint32_t)jack,
						req->connected);
		if (changed[i] > 0)
			vadsp_info(LOG, "connection %u: jack %lld (%s) %s from the management "
				   "socket", vu_dev_id(devs[i]), (long long)jack,
				   desc->jacks[jack].cp_name,
				   req->connected ? "connected" : "disconnected");
	}
	vadsp_log_set_context(prev);
	json_obj_begin(o);
	json_kv_bool(o, "ok", true);
	json_kv_str(o, "guest", g->cfg->name);
	json_key(o, "jack");
	put_jack(o, vsnd_device_card(devs[0]), (uint32_t)jack);
	json_key(o, "connections");
	json_arr_begin(o);
	for (int i = 0; i < n; i++) {
		json_obj_begin(o);
		json_kv_uint(o, "id", vu_dev_id(devs[i]));
		json_kv_bool(o, "changed", changed[i] > 0);
		json_obj_end(o);
	}
	json_arr_end(o);
	json_obj_end(o);
	return 0;
}

/* A stream's level: null unless the connection's streams run on the shared DSP. */
static void put_stream_level(struct json_out *o, const struct vsnd_card *card, uint32_t i)
{
	const struct vsnd_stream_desc *sd = &card->desc->streams[i];
	struct dsp_level_snapshot snap = { 0 };

	json_obj_begin(o);
	json_kv_uint(o, "id", i);
	json_kv_str(o, "name", sd->name);
	json_kv_str(o, "direction", dir_name(sd->direction));
	json_kv_str(o, "state", vsnd_pcm_state_name(card->streams[i].state));
	json_key(o, "level");
	if (card->backend_ops != &vsnd_backend_dsp ||
	    vadspd_dsp_stream_level(card->backend, i, &snap) < 0)
		snap.channels = 0;
	vadspd_levels_put(o, &snap);
	json_obj_end(o);
}

/* A connection's streams in "levels": a SOF IPC3 guest's (those with parameters), or the
 * card's. */
static void put_stream_levels(struct json_out *o, const struct vsnd_card *card)
{
	json_key(o, "streams");
	json_arr_begin(o);
	for (uint32_t k = 0; card && !card->sof && k < card->desc->num_streams; k++)
		put_stream_level(o, card, k);
	for (uint32_t k = 0; card && card->sof && k < VSND_SOF_STREAMS; k++) {
		struct dsp_level_snapshot snap = { 0 };
		struct vadspd_dsp_sof_stream st;

		if (card->backend_ops != &vsnd_backend_dsp ||
		    vadspd_dsp_sof_stream(card->backend, k, &st) < 0)
			continue;
		json_obj_begin(o);
		put_sof_stream_head(o, k, &st);
		json_key(o, "level");
		if (vadspd_dsp_stream_level(card->backend, k, &snap) < 0)
			snap.channels = 0;
		vadspd_levels_put(o, &snap);
		json_obj_end(o);
	}
	json_arr_end(o);
}

/* "levels": every host DAI endpoint, then every guest's (or G's) streams. */
static int handle_levels(struct vadspd *d, const struct mgmt_request *req, struct json_out *o,
			 char *err, size_t err_len)
{
	if (req->guest[0] && !find_guest(d, req->guest))
		return mfail(err, err_len, -ENOENT, "no guest \"%s\"", req->guest);
	if (!d->run)
		return mfail(err, err_len, -EOPNOTSUPP, "levels are not available: no shared DSP "
			     "runs (the configuration has no [host] section with DAI endpoints; "
			     "the null backend measures nothing)");
	json_obj_begin(o);
	json_kv_bool(o, "ok", true);
	json_kv_uint(o, "window_ms", DSP_LEVEL_WINDOW_MS);
	json_key(o, "dais");
	json_arr_begin(o);
	for (unsigned int i = 0; i < d->cfg->num_dais; i++) {
		struct dsp_level_snapshot snap = { 0 };

		if (hostdsp_run_dai_level(d->run, i, &snap) < 0)
			snap.channels = 0;
		json_obj_begin(o);
		json_kv_str(o, "name", d->cfg->dais[i].name);
		json_kv_str(o, "endpoint", d->cfg->dais[i].spec);
		json_kv_str(o, "direction", hostdsp_dai_playback(d->hostdsp,
								 d->cfg->dais[i].name) > 0 ?
					    "playback" : "capture");
		json_key(o, "level");
		vadspd_levels_put(o, &snap);
		json_obj_end(o);
	}
	json_arr_end(o);
	json_key(o, "guests");
	json_arr_begin(o);
	for (unsigned int i = 0; i < d->num_guests; i++) {
		const struct vadspd_guest *g = &d->guests[i];

		if (req->guest[0] && strcmp(req->guest, g->cfg->name))
			continue;
		json_obj_begin(o);
		json_kv_str(o, "name", g->cfg->name);
		json_key(o, "connections");
		json_arr_begin(o);
		for (const struct vadspd_conn *c = g->conns; c; c = c->next) {
			const struct vsnd_card *card = vsnd_device_card(c->dev);

			json_obj_begin(o);
			json_kv_uint(o, "id", vu_dev_id(c->dev));
			put_stream_levels(o, card);
			json_obj_end(o);
		}
		json_arr_end(o);
		json_obj_end(o);
	}
	json_arr_end(o);
	json_obj_end(o);
	return 0;
}

int vadspd_mgmt_handle(void *data, const struct mgmt_request *req, struct json_out *out,
		       char *err, size_t err_len)
{
	struct vadspd *d = data;

	switch (req->cmd) {
	case MGMT_LIST:
		return handle_list(d, req, out, err, err_len);
	case MGMT_GET:
		return handle_get(d, req, out, err, err_len);
	case MGMT_SET:
		return handle_set(d, req, out, err, err_len);
	case MGMT_JACK:
		return handle_jack(d, req, out, err, err_len);
	case MGMT_LEVELS:
		return handle_levels(d, req, out, err, err_len);
	}
	return mfail(err, err_len, -EINVAL, "unknown request");
}
