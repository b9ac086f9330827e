// SPDX-License-Identifier: MIT
/*
 * The PipeWire endpoint: one pw_stream, with its own pw_thread_loop, per endpoint.
 *
 * PipeWire is the clock. The stream's process callback runs in PipeWire's data thread once
 * per graph cycle (PW_STREAM_FLAG_RT_PROCESS). It moves that cycle's audio between
 * PipeWire's buffer and an SPSC ring (src/util/ringbuf.h) shared with the engine thread, then
 * signals an eventfd: the endpoint's clock. The engine wakes, calls io_endpoint_clock_ack()
 * and refills (playback) or drains (capture) the ring a period at a time. So the engine runs
 * once per graph cycle, one cycle behind it, without ever taking a lock that the data thread
 * holds.
 *
 * Playback keeps the ring topped up to a target of max(periods, quantum + one period) frames,
 * where the quantum is what the last cycle asked for: enough to survive one cycle, no more.
 * io_endpoint_start() signals the clock once so the engine fills the ring before the first
 * cycle. A cycle that finds fewer frames than it needs plays silence for the rest and counts
 * an underrun (only after the engine's first write). A capture cycle whose data does not fit
 * in the ring drops it and counts an overrun.
 *
 * Without a session manager nothing links a new stream. With the option "link" the endpoint
 * does what a session manager would: it sets the stream's ports up in DSP mode (one float
 * port per channel) and links them to TARGET's ports itself (playback: our outputs to
 * TARGET's inputs; capture: TARGET's outputs, a sink's monitor ports or a source's outputs, to
 * our inputs), channel i to port i. Otherwise the stream asks for TARGET with target.object
 * and leaves linking to the session manager.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <pipewire/pipewire.h>
#include <spa/param/audio/format-utils.h>
#include <spa/pod/builder.h>
#include <spa/utils/result.h>

#include "io/internal.h"
#include "util/compiler.h"
#include "util/log.h"
#include "util/ringbuf.h"

#define PW_QUANTUM_MAX		8192u	/* PipeWire's default largest quantum */
#define PW_WAIT_SECONDS		5	/* longest wait for any one answer from the daemon */
#define PW_PORTS_MAX		512u	/* ports remembered from the registry (link mode) */
#define PW_PORT_ATTEMPTS	50	/* registry round trips waiting for our ports */

struct io_pw_port {
	uint32_t id;
	uint32_t node;
	uint32_t index;		/* port.id: the port's number on its node */
	bool output;
};

struct io_pw {
	struct io_endpoint base;

	struct pw_thread_loop *loop;
	struct pw_context *context;
	struct pw_core *core;
	struct spa_hook core_listener;
	struct pw_stream *stream;
	struct spa_hook stream_listener;

	/* Set on the loop thread, read with the loop locked. */
	enum pw_stream_state state;
	int pending_seq;
	int done_seq;
	int error;		/* first error the daemon reported, -errno */

	/* Link mode. */
	bool link;
	char *target;
	struct pw_registry *registry;
	struct spa_hook registry_listener;
	uint32_t target_node;
	struct io_pw_port *ports;
	uint32_t n_ports;
	struct pw_proxy *links[IO_CHANNELS_MAX];
	uint32_t n_links;

	/* Shared between the data thread and the engine thread. */
	int efd;
	struct vadsp_ringbuf ring;
	uint8_t *ring_mem;
	uint32_t ring_frames;
	_Atomic uint32_t quantum;	/* frames the last cycle moved */
	_Atomic uint64_t xruns;
	_Atomic bool primed;		/* playback: the engine wrote since start */
	_Atomic bool broken;		/* the stream failed or was disconnected */
};

static struct io_pw *to_pw(struct io_endpoint *ep)
{
	return vadsp_container_of(ep, struct io_pw, base);
}

static enum spa_audio_format pw_format(enum io_format fmt)
{
	switch (fmt) {
	case IO_FMT_S16_LE:
		return SPA_AUDIO_FORMAT_S16_LE;
	case IO_FMT_S24_4LE:
		return SPA_AUDIO_FORMAT_S24_32_LE;
	case IO_FMT_S32_LE:
		return SPA_AUDIO_FORMAT_S32_LE;
	case IO_FMT_FLOAT:
		return SPA_AUDIO_FORMAT_F32_LE;
	}
	return SPA_AUDIO_FORMAT_UNKNOWN;
}

/* --- data thread */

static void pw_on_process_playback(struct io_pw *p)
{
	uint32_t fb = p->base.frame_bytes;
	struct pw_buffer *b = pw_stream_dequeue_buffer(p->stream);
	struct spa_data *d;
	uint32_t want, have, take;

	if (!b)
		return;
	d = &b->buffer->datas[0];
	if (!d->data || !d->chunk) {
		pw_stream_queue_buffer(p->stream, b);
		return;
	}
	want = d->maxsize / fb;
	if (b->requested && b->requested < want)
		want = (uint32_t)b->requested;
	else if (!b->requested)
		want = VADSP_MIN(want, p->base.params.period_frames * p->base.params.periods);
	have = vadsp_ringbuf_readable(&p->ring) / fb;
	take = VADSP_MIN(want, have);
	if (take)
		vadsp_ringbuf_read(&p->ring, d->data, take * fb);
	if (take < want) {
		io_fill_silence((uint8_t *)d->data + (size_t)take * fb, want - take, fb);
		if (atomic_load_explicit(&p->primed, memory_order_acquire))
			atomic_fetch_add_explicit(&p->xruns, 1, memory_order_relaxed);
	}
	d->chunk->offset = 0;
	d->chunk->stride = (int32_t)fb;
	d->chunk->size = want * fb;
	pw_stream_queue_buffer(p->stream, b);
	atomic_store_explicit(&p->quantum, want, memory_order_relaxed);
	eventfd_write(p->efd, 1);
}

static void pw_on_process_capture(struct io_pw *p)
{
	uint32_t fb = p->base.frame_bytes;
	struct pw_buffer *b = pw_stream_dequeue_buffer(p->stream);
	struct spa_data *d;
	uint32_t offset, size;

	if (!b)
		return;
	d = &b->buffer->datas[0];
	if (d->data && d->chunk) {
		/* The chunk comes from another process: keep it inside the buffer. */
		offset = VADSP_MIN(d->chunk->offset, d->maxsize);
		size = VADSP_MIN(d->chunk->size, d->maxsize - offset);
		size -= size % fb;
		if (size && vadsp_ringbuf_write(&p->ring, (uint8_t *)d->data + offset, size) < 0)
			atomic_fetch_add_explicit(&p->xruns, 1, memory_order_relaxed);
		atomic_store_explicit(&p->quantum, size / fb, memory_order_relaxed);
	}
	pw_stream_queue_buffer(p->stream, b);
	eventfd_write(p->efd, 1);
}

static void pw_on_process(void *data)
{
	struct io_pw *p = data;

	if (p->base.params.direction == IO_DIR_PLAYBACK)
		pw_on_process_playback(p);
	else
		pw_on_process_capture(p);
}

/* --- loop thread */

static void pw_on_state_changed(void *data, enum pw_stream_state old,
				enum pw_stream_state state, const char *error)
{
	struct io_pw *p = data;

	p->state = state;
	if (state == PW_STREAM_STATE_ERROR || (state == PW_STREAM_STATE_UNCONNECTED &&
					       old != PW_STREAM_STATE_UNCONNECTED)) {
		if (error)
			vadsp_warn("io", "pipewire stream: %s", error);
		if (!p->error)
			p->error = -EIO;
		atomic_store(&p->broken, true);
		eventfd_write(p->efd, 1);	/* wake the engine to see it */
	}
	pw_thread_loop_signal(p->loop, false);
}

static const struct pw_stream_events pw_stream_events = {
	PW_VERSION_STREAM_EVENTS,
	.state_changed = pw_on_state_changed,
	.process = pw_on_process,
};

static void pw_on_core_done(void *data, uint32_t id, int seq)
{
	struct io_pw *p = data;

	if (id == PW_ID_CORE) {
		p->done_seq = seq;
		pw_thread_loop_signal(p->loop, false);
	}
}

static void pw_on_core_error(void *data, uint32_t id, int seq, int res, const char *message)
{
	struct io_pw *p = data;

	vadsp_warn("io", "pipewire: object %u: %s (%s)", id, message, spa_strerror(res));
	if (!p->error)
		p->error = res < 0 ? res : -EIO;
	if (id == PW_ID_CORE && res == -EPIPE) {
		atomic_store(&p->broken, true);
		eventfd_write(p->efd, 1);
	}
	pw_thread_loop_signal(p->loop, false);
}

static const struct pw_core_events pw_core_events = {
	PW_VERSION_CORE_EVENTS,
	.done = pw_on_core_done,
	.error = pw_on_core_error,
};

static bool dict_u32(const struct spa_dict *props, const char *key, uint32_t *out)
{
	const char *s = props ? spa_dict_lookup(props, key) : NULL;
	char *end;
	unsigned long v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static void pw_on_global(void *data, uint32_t id, uint32_t permissions, const char *type,
			 uint32_t version, const struct spa_dict *props)
{
	struct io_pw *p = data;
	struct io_pw_port port = { .id = id };
	const char *s;

	if (!props)
		return;
	if (!strcmp(type, PW_TYPE_INTERFACE_Node)) {
		s = spa_dict_lookup(props, PW_KEY_NODE_NAME);
		if (s && !strcmp(s, p->target))
			p->target_node = id;
		return;
	}
	if (strcmp(type, PW_TYPE_INTERFACE_Port) || p->n_ports == PW_PORTS_MAX)
		return;
	s = spa_dict_lookup(props, PW_KEY_PORT_DIRECTION);
	if (!s || !dict_u32(props, PW_KEY_NODE_ID, &port.node))
		return;
	port.output = !strcmp(s, "out");
	if (!dict_u32(props, PW_KEY_PORT_ID, &port.index))
		port.index = id;
	p->ports[p->n_ports++] = port;
}

static void pw_on_global_remove(void *data, uint32_t id)
{
	struct io_pw *p = data;

	if (id == p->target_node)
		p->target_node = SPA_ID_INVALID;
	for (uint32_t i = 0; i < p->n_ports; i++)
		if (p->ports[i].id == id) {
			p->ports[i] = p->ports[--p->n_ports];
			break;
		}
}

static const struct pw_registry_events pw_registry_events = {
	PW_VERSION_REGISTRY_EVENTS,
	.global = pw_on_global,
	.global_remove = pw_on_global_remove,
};

/* --- control path (loop locked) */

/* Wait until @done() or an error, at most PW_WAIT_SECONDS. */
static int pw_wait(struct io_pw *p, bool (*done)(struct io_pw *p))
{
	while (!done(p)) {
		if (p->error)
			return p->error;
		if (pw_thread_loop_timed_wait(p->loop, PW_WAIT_SECONDS) < 0)
			return done(p) ? 0 : -ETIMEDOUT;
	}
	return 0;
}

static bool pw_synced(struct io_pw *p)
{
	return p->done_seq == p->pending_seq;
}

static int pw_roundtrip(struct io_pw *p)
{
	p->pending_seq = pw_core_sync(p->core, PW_ID_CORE, p->pending_seq);
	return pw_wait(p, pw_synced);
}

static bool pw_stream_settled(struct io_pw *p)
{
	return p->state == PW_STREAM_STATE_PAUSED || p->state == PW_STREAM_STATE_STREAMING;
}

/* The ports of @node in direction @output, sorted by their number on the node. */
static uint32_t pw_collect_ports(struct io_pw *p, uint32_t node, bool output,
				 struct io_pw_port *out, uint32_t max)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < p->n_ports && n < max; i++)
		if (p->ports[i].node == node && p->ports[i].output == output)
			out[n++] = p->ports[i];
	for (uint32_t i = 1; i < n; i++)
		for (uint32_t j = i; j > 0 && out[j - 1].index > out[j].index; j--) {
			struct io_pw_port t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

static int pw_make_links(struct io_pw *p)
{
	bool playback = p->base.params.direction == IO_DIR_PLAYBACK;
	uint32_t ch = p->base.params.channels;
	struct io_pw_port ours[IO_CHANNELS_MAX], theirs[IO_CHANNELS_MAX];
	uint32_t self = pw_stream_get_node_id(p->stream);
	uint32_t n_ours = 0, n_theirs = 0;
	int ret;

	p->target_node = SPA_ID_INVALID;
	p->registry = pw_core_get_registry(p->core, PW_VERSION_REGISTRY, 0);
	if (!p->registry)
		return -errno;
	pw_registry_add_listener(p->registry, &p->registry_listener, &pw_registry_events, p);

	/* Our ports appear once the daemon has taken the port configuration. */
	for (int attempt = 0; attempt < PW_PORT_ATTEMPTS; attempt++) {
		ret = pw_roundtrip(p);
		if (ret < 0)
			return ret;
		n_ours = pw_collect_ports(p, self, playback, ours, IO_CHANNELS_MAX);
		if (p->target_node != SPA_ID_INVALID)
			n_theirs = pw_collect_ports(p, p->target_node, !playback, theirs,
						    IO_CHANNELS_MAX);
		if (n_ours == ch && n_theirs > 0)
			break;
		pw_thread_loop_unlock(p->loop);
		usleep(20000);
		pw_thread_loop_lock(p->loop);
	}
	if (p->target_node == SPA_ID_INVALID) {
		vadsp_err("io", "pipewire: no node named %s", p->target);
		return -ENOENT;
	}
	if (n_ours != ch || n_theirs == 0) {
		vadsp_err("io", "pipewire: %u of %u stream ports, %u %s ports on %s", n_ours, ch,
			  n_theirs, playback ? "input" : "output", p->target);
		return -ENOENT;
	}

	for (uint32_t i = 0; i < ch; i++) {
		const struct io_pw_port *out = playback ? &ours[i] : &theirs[i % n_theirs];
		const struct io_pw_port *in = playback ? &theirs[i % n_theirs] : &ours[i];
		struct pw_properties *props = pw_properties_new(PW_KEY_OBJECT_LINGER, "false",
								NULL);

		if (!props)
			return -ENOMEM;
		pw_properties_setf(props, PW_KEY_LINK_OUTPUT_NODE, "%u", out->node);
		pw_properties_setf(props, PW_KEY_LINK_OUTPUT_PORT, "%u", out->id);
		pw_properties_setf(props, PW_KEY_LINK_INPUT_NODE, "%u", in->node);
		pw_properties_setf(props, PW_KEY_LINK_INPUT_PORT, "%u", in->id);
		p->links[p->n_links] = pw_core_create_object(p->core, "link-factory",
							     PW_TYPE_INTERFACE_Link,
							     PW_VERSION_LINK, &props->dict, 0);
		pw_properties_free(props);
		if (!p->links[p->n_links])
			return -errno;
		p->n_links++;
	}
	ret = pw_roundtrip(p);
	/* The links are made (or failed); stop following the registry. */
	spa_hook_remove(&p->registry_listener);
	pw_proxy_destroy((struct pw_proxy *)p->registry);
	p->registry = NULL;
	return ret;
}

static int pw_connect_stream(struct io_pw *p, const struct io_spec *spec)
{
	const struct io_params *prm = &p->base.params;
	bool playback = prm->direction == IO_DIR_PLAYBACK;
	struct spa_audio_info_raw info = {
		.format = pw_format(prm->format),
		.rate = prm->rate,
		.channels = prm->channels,
	};
	const char *name = io_spec_opt(spec, "name");
	uint8_t pod_buf[1024];
	struct spa_pod_builder b = SPA_POD_BUILDER_INIT(pod_buf, sizeof(pod_buf));
	const struct spa_pod *params[1];
	struct pw_properties *props;
	enum pw_stream_flags flags;

	if (prm->channels == 1) {
		info.position[0] = SPA_AUDIO_CHANNEL_MONO;
	} else if (prm->channels == 2) {
		info.position[0] = SPA_AUDIO_CHANNEL_FL;
		info.position[1] = SPA_AUDIO_CHANNEL_FR;
	} else {
		for (uint32_t i = 0; i < prm->channels; i++)
			info.position[i] = SPA_AUDIO_CHANNEL_START_Aux + i;
	}

	props = pw_properties_new(PW_KEY_MEDIA_TYPE, "Audio",
				  PW_KEY_MEDIA_CATEGORY, playback ? "Playback" : "Capture",
				  PW_KEY_MEDIA_ROLE, "Production",
				  NULL);
	if (!props)
		return -ENOMEM;
	pw_properties_set(props, PW_KEY_NODE_NAME,
			  name && *name ? name : playback ? "vadsp-playback" : "vadsp-capture");
	pw_properties_setf(props, PW_KEY_NODE_LATENCY, "%u/%u", prm->period_frames, prm->rate);
	pw_properties_setf(props, PW_KEY_NODE_RATE, "1/%u", prm->rate);
	if (p->target)
		pw_properties_set(props, PW_KEY_TARGET_OBJECT, p->target);
	if (p->link) {
		pw_properties_set(props, PW_KEY_NODE_AUTOCONNECT, "false");
		pw_properties_set(props, "adapter.auto-port-config",
				  "{ mode = dsp monitor = false control = false position = preserve }");
	}
	p->stream = pw_stream_new(p->core, "vadsp", props);
	if (!p->stream)
		return -errno;
	pw_stream_add_listener(p->stream, &p->stream_listener, &pw_stream_events, p);

	params[0] = spa_format_audio_raw_build(&b, SPA_PARAM_EnumFormat, &info);
	flags = PW_STREAM_FLAG_MAP_BUFFERS | PW_STREAM_FLAG_RT_PROCESS | PW_STREAM_FLAG_INACTIVE;
	if (!p->link)
		flags |= PW_STREAM_FLAG_AUTOCONNECT;
	if (pw_stream_connect(p->stream, playback ? PW_DIRECTION_OUTPUT : PW_DIRECTION_INPUT,
			      PW_ID_ANY, flags, params, 1) < 0)
		return -EIO;
	return pw_wait(p, pw_stream_settled);
}

static void pw_free(struct io_pw *p)
{
	if (p->loop) {
		pw_thread_loop_lock(p->loop);
		for (uint32_t i = 0; i < p->n_links; i++)
			pw_proxy_destroy(p->links[i]);
		if (p->registry) {
			spa_hook_remove(&p->registry_listener);
			pw_proxy_destroy((struct pw_proxy *)p->registry);
		}
		if (p->stream)
			pw_stream_destroy(p->stream);
		if (p->core) {
			spa_hook_remove(&p->core_listener);
			pw_core_disconnect(p->core);
		}
		pw_thread_loop_unlock(p->loop);
		pw_thread_loop_stop(p->loop);
		if (p->context)
			pw_context_destroy(p->context);
		pw_thread_loop_destroy(p->loop);
	}
	if (p->efd >= 0)
		close(p->efd);
	free(p->ports);
	free(p->target);
	free(p->ring_mem);
	free(p);
	pw_deinit();
}

static int pw_open(const struct io_spec *spec, const struct io_params *params,
		   struct io_endpoint **out)
{
	static const char *const known[] = { "link", "name", NULL };
	struct io_pw *p;
	uint64_t ring_frames = 1, ring_bytes;
	int ret;

	if (io_spec_check_opts(spec, known) < 0)
		return -EINVAL;
	if (io_spec_opt(spec, "link") && !spec->arg)
		return -EINVAL;		/* linking needs a target */
	pw_init(NULL, NULL);
	p = calloc(1, sizeof(*p));
	if (!p) {
		pw_deinit();
		return -ENOMEM;
	}
	io_base_init(&p->base, &io_pipewire_ops, params);
	p->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ret = -errno;
	if (p->efd < 0)
		goto fail;
	p->link = io_spec_opt(spec, "link") != NULL;

	/* Room for the engine's buffer plus the largest quantum, twice. */
	while (ring_frames < 2 * ((uint64_t)params->period_frames * params->periods +
				  PW_QUANTUM_MAX))
		ring_frames <<= 1;
	ring_bytes = ring_frames * p->base.frame_bytes;
	ret = -ENOMEM;
	if (ring_bytes > (1u << 30))
		goto fail;
	p->ring_frames = (uint32_t)ring_frames;
	p->ring_mem = calloc(1, ring_bytes);
	if (!p->ring_mem)
		goto fail;
	vadsp_ringbuf_init(&p->ring, p->ring_mem, (uint32_t)ring_bytes);
	if (spec->arg) {
		p->target = strdup(spec->arg);
		if (!p->target)
			goto fail;
	}
	if (p->link) {
		p->ports = calloc(PW_PORTS_MAX, sizeof(*p->ports));
		if (!p->ports)
			goto fail;
	}

	p->loop = pw_thread_loop_new("vadsp-pw", NULL);
	if (!p->loop)
		goto fail;
	p->context = pw_context_new(pw_thread_loop_get_loop(p->loop), NULL, 0);
	if (!p->context)
		goto fail;
	ret = pw_thread_loop_start(p->loop);
	if (ret < 0)
		goto fail;

	pw_thread_loop_lock(p->loop);
	p->core = pw_context_connect(p->context, NULL, 0);
	if (!p->core) {
		ret = -errno;
		pw_thread_loop_unlock(p->loop);
		vadsp_err("io", "pipewire: cannot connect to the daemon: %s", strerror(-ret));
		goto fail;
	}
	pw_core_add_listener(p->core, &p->core_listener, &pw_core_events, p);
	ret = pw_connect_stream(p, spec);
	if (ret == 0 && p->link)
		ret = pw_make_links(p);
	pw_thread_loop_unlock(p->loop);
	if (ret < 0) {
		vadsp_err("io", "pipewire%s%s: %s", spec->arg ? ":" : "",
			  spec->arg ? spec->arg : "", strerror(-ret));
		goto fail;
	}
	*out = &p->base;
	return 0;

fail:
	pw_free(p);
	return ret;
}

static void pw_close(struct io_endpoint *ep)
{
	pw_free(to_pw(ep));
}

static int pw_start(struct io_endpoint *ep)
{
	struct io_pw *p = to_pw(ep);
	eventfd_t v;
	int ret;

	if (atomic_load(&p->broken))
		return -EIO;
	/* The stream is inactive: deactivating an exported node removes it from the data loop
	 * synchronously, so its process callback does not run and the ring is ours. */
	vadsp_ringbuf_reset(&p->ring);
	eventfd_read(p->efd, &v);
	atomic_store(&p->primed, false);
	atomic_store(&p->quantum, 0);
	pw_thread_loop_lock(p->loop);
	ret = pw_stream_set_active(p->stream, true);
	pw_thread_loop_unlock(p->loop);
	if (ret < 0)
		return ret;
	if (ep->params.direction == IO_DIR_PLAYBACK)
		eventfd_write(p->efd, 1);	/* fill the ring before the first cycle */
	return 0;
}

static int pw_stop(struct io_endpoint *ep)
{
	struct io_pw *p = to_pw(ep);
	eventfd_t v;
	int ret;

	pw_thread_loop_lock(p->loop);
	ret = pw_stream_set_active(p->stream, false);
	pw_thread_loop_unlock(p->loop);
	eventfd_read(p->efd, &v);
	return ret;
}

static int pw_clock_fd(struct io_endpoint *ep)
{
	return to_pw(ep)->efd;
}

/* Frames the engine may move now: room up to the fill target, or queued data. */
static int pw_avail_frames(struct io_pw *p)
{
	uint32_t fb = p->base.frame_bytes;
	uint32_t fill = vadsp_ringbuf_fill(&p->ring) / fb;
	uint32_t target;

	if (atomic_load_explicit(&p->broken, memory_order_relaxed))
		return -EIO;
	if (p->base.params.direction == IO_DIR_CAPTURE)
		return (int)fill;
	target = p->base.params.period_frames * p->base.params.periods;
	target = VADSP_MAX(target, atomic_load_explicit(&p->quantum, memory_order_relaxed) +
			   p->base.params.period_frames);
	target = VADSP_MIN(target, p->ring_frames);
	return fill >= target ? 0 : (int)(target - fill);
}

static int pw_clock_ack(struct io_endpoint *ep)
{
	struct io_pw *p = to_pw(ep);
	eventfd_t v;
	int avail;

	/* Clear first: a cycle that ends meanwhile signals again. */
	eventfd_read(p->efd, &v);
	avail = pw_avail_frames(p);
	return avail < 0 ? avail : avail / (int)ep->params.period_frames;
}

static int pw_avail(struct io_endpoint *ep)
{
	return pw_avail_frames(to_pw(ep));
}

static int pw_write(struct io_endpoint *ep, const void *buf, uint32_t frames)
{
	struct io_pw *p = to_pw(ep);

	if (atomic_load_explicit(&p->broken, memory_order_relaxed))
		return -EIO;
	if (frames > p->ring_frames)
		return -EINVAL;
	if (vadsp_ringbuf_write(&p->ring, buf, frames * ep->frame_bytes) < 0)
		return -EAGAIN;
	atomic_store_explicit(&p->primed, true, memory_order_release);
	return (int)frames;
}

static int pw_read(struct io_endpoint *ep, void *buf, uint32_t frames)
{
	struct io_pw *p = to_pw(ep);

	if (atomic_load_explicit(&p->broken, memory_order_relaxed))
		return -EIO;
	if (frames > p->ring_frames)
		return -EINVAL;
	if (vadsp_ringbuf_read(&p->ring, buf, frames * ep->frame_bytes) < 0)
		return -EAGAIN;
	return (int)frames;
}

static int pw_delay(struct io_endpoint *ep, int64_t *frames)
{
	struct io_pw *p = to_pw(ep);
	struct pw_time t;
	int64_t d = vadsp_ringbuf_fill(&p->ring) / ep->frame_bytes;

	if (ep->params.direction == IO_DIR_PLAYBACK &&
	    pw_stream_get_time_n(p->stream, &t, sizeof(t)) == 0 && t.rate.denom > 0 &&
	    t.delay > 0)
		d += t.delay * (int64_t)t.rate.num * ep->params.rate / t.rate.denom;
	*frames = d;
	return 0;
}

static uint64_t pw_xruns(struct io_endpoint *ep)
{
	return atomic_load_explicit(&to_pw(ep)->xruns, memory_order_relaxed);
}

const struct io_endpoint_ops io_pipewire_ops = {
	.kind = "pipewire",
	.free_run = false,
	.open = pw_open,
	.close = pw_close,
	.start = pw_start,
	.stop = pw_stop,
	.clock_fd = pw_clock_fd,
	.clock_ack = pw_clock_ack,
	.avail = pw_avail,
	.write = pw_write,
	.read = pw_read,
	.delay = pw_delay,
	.xruns = pw_xruns,
};
