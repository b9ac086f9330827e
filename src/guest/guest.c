// SPDX-License-Identifier: MIT
/*
 * The process guest: connection, feature negotiation, guest memory and queues, the control
 * queue, reading the card, and the event queue. See guest.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guest/internal.h"
#include "ipc/vfe.h"
#include "util/le.h"
#include "virtio/virtio-ring.h"

int64_t vguest_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int vguest_deadline_left(int64_t deadline)
{
	int64_t left = deadline - vguest_now_ms();

	return left < 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int)left;
}

int vguest_status_errno(uint32_t status)
{
	switch (status) {
	case VIRTIO_SND_S_OK:
		return 0;
	case VIRTIO_SND_S_BAD_MSG:
		return -EINVAL;
	case VIRTIO_SND_S_NOT_SUPP:
		return -EOPNOTSUPP;
	case VIRTIO_SND_S_IO_ERR:
		return -EIO;
	default:
		return -EPROTO;
	}
}

uint32_t vguest_last_status(const struct vguest *g)
{
	return g->last_status;
}

const struct vguest_card *vguest_card(const struct vguest *g)
{
	return &g->card;
}

struct vu_front *vguest_front(struct vguest *g)
{
	return g->fe;
}

/* --- completions */

static int post_event_buffer(struct vguest *g, unsigned int i)
{
	struct vring_buf in = { g->events.gpa + (uint64_t)i * g->event_size, g->event_size };

	/* The token is the buffer's number plus one (tokens are non-NULL). */
	return vu_front_queue_add(g->fe, VSND_VQ_EVENT, NULL, 0, &in, 1,
				  (void *)(uintptr_t)(i + 1));
}

static void pump_events(struct vguest *g)
{
	uint32_t len;
	void *tok;
	bool reposted = false;

	while ((tok = vu_front_queue_get_used(g->fe, VSND_VQ_EVENT, &len))) {
		unsigned int i = (unsigned int)((uintptr_t)tok - 1);
		const uint8_t *e;

		if (i >= g->opts.event_buffers)
			continue;
		e = (const uint8_t *)g->events.host + (size_t)i * g->event_size;
		if (len >= sizeof(struct vsnd_event) && len <= g->event_size) {
			uint32_t code = get_le32(e), data = get_le32(e + 4);
			bool ipc = code == VADSP_SND_EVT_SOF_IPC && g->kept_msg;

			/* A notification must be whole: 8 + size bytes, size a message's. */
			if (ipc && (data < sizeof(struct ipc3_cmd_hdr) || data > IPC3_MSG_MAX_SIZE ||
				    len != 8 + data)) {
				g->events_lost++;
			} else if (g->kept_count == VGUEST_EVENTS_KEPT) {
				g->events_lost++;
			} else {
				unsigned int k = (g->kept_head + g->kept_count) % VGUEST_EVENTS_KEPT;

				g->kept[k].code = code;
				g->kept[k].data = data;
				if (ipc)
					memcpy(g->kept_msg[k], e + 8, data);
				g->kept_count++;
			}
		}
		if (post_event_buffer(g, i) >= 0)
			reposted = true;
	}
	if (reposted)
		vu_front_queue_kick(g->fe, VSND_VQ_EVENT);
}

void vguest_pump(struct vguest *g, unsigned int idx)
{
	uint32_t len;
	void *tok;

	if (idx == VSND_VQ_EVENT) {
		pump_events(g);
		return;
	}
	while ((tok = vu_front_queue_get_used(g->fe, idx, &len))) {
		struct vguest_slot *s = tok;

		if (idx != VSND_VQ_TX && idx != VSND_VQ_RX)
			continue;	/* a stale control reply: nothing waits for it */
		s->done = true;
		s->used = len;
	}
}

uint64_t vguest_events_lost(const struct vguest *g)
{
	return g->events_lost;
}

int vguest_event_next_msg(struct vguest *g, struct vguest_event *ev, void *msg, size_t room,
			  int timeout_ms)
{
	int64_t deadline = vguest_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);

	for (;;) {
		int ret;

		pump_events(g);
		if (g->kept_count) {
			unsigned int k = g->kept_head;

			*ev = g->kept[k];
			g->kept_head = (g->kept_head + 1) % VGUEST_EVENTS_KEPT;
			g->kept_count--;
			if (ev->code != VADSP_SND_EVT_SOF_IPC || !g->kept_msg || !msg)
				return 1;
			if (ev->data > room)
				return -EMSGSIZE;
			memcpy(msg, g->kept_msg[k], ev->data);
			return 1;
		}
		if (timeout_ms <= 0 || vguest_deadline_left(deadline) == 0)
			return 0;
		ret = vu_front_queue_wait(g->fe, VSND_VQ_EVENT, vguest_deadline_left(deadline));
		if (ret < 0)
			return ret;
	}
}

int vguest_event_next(struct vguest *g, struct vguest_event *ev, int timeout_ms)
{
	return vguest_event_next_msg(g, ev, NULL, 0, timeout_ms);
}

/* --- control queue */

int vguest_request(struct vguest *g, const void *req, size_t len, void *resp, size_t room,
		   uint32_t *used)
{
	struct vring_buf out, in;
	int64_t deadline;
	uint32_t got = 0;
	int ret;

	if (len > VGUEST_REQ_MAX || room > VGUEST_RESP_MAX || (room && !resp))
		return -EINVAL;
	memcpy(g->req.host, req, len);
	memset(g->resp.host, 0, room);
	out = (struct vring_buf){ g->req.gpa, (uint32_t)len };
	in = (struct vring_buf){ g->resp.gpa, (uint32_t)room };
	ret = vu_front_queue_add(g->fe, VSND_VQ_CONTROL, &out, 1, &in, room ? 1 : 0, g);
	if (ret < 0)
		return ret;
	ret = vu_front_queue_kick(g->fe, VSND_VQ_CONTROL);
	if (ret < 0)
		return ret;
	deadline = vguest_now_ms() + g->opts.timeout_ms;
	for (;;) {
		void *tok = vu_front_queue_get_used(g->fe, VSND_VQ_CONTROL, &got);

		if (tok == g)
			break;
		if (tok)
			continue;
		if (vguest_deadline_left(deadline) == 0)
			return -ETIMEDOUT;
		ret = vu_front_queue_wait(g->fe, VSND_VQ_CONTROL, vguest_deadline_left(deadline));
		if (ret < 0)
			return ret;
	}
	if (got > room)
		return -EPROTO;
	if (room)
		memcpy(resp, g->resp.host, got);
	if (used)
		*used = got;
	g->last_status = got >= 4 ? get_le32(g->resp.host) : 0;
	/* A status word with the top bit set would read as a negative errno. */
	if (g->last_status > INT32_MAX)
		return -EPROTO;
	return (int)g->last_status;
}

int vguest_chain(struct vguest *g, unsigned int queue, const struct vring_buf *out,
		 unsigned int nout, const struct vring_buf *in, unsigned int nin,
		 uint32_t *used)
{
	int64_t deadline;
	int ret;

	if (queue != VSND_VQ_CONTROL && queue != VSND_VQ_TX && queue != VSND_VQ_RX)
		return -EINVAL;
	if (!g->chain) {
		g->chain = calloc(1, sizeof(*g->chain));
		if (!g->chain)
			return -ENOMEM;
	}
	if (g->chain_busy) {
		/* The chain that timed out may have come back since. */
		if (queue == VSND_VQ_CONTROL) {
			uint32_t len;
			void *tok;

			while ((tok = vu_front_queue_get_used(g->fe, queue, &len)))
				if (tok == g->chain)
					g->chain->done = true;
		} else {
			vguest_pump(g, queue);
		}
		if (!g->chain->done)
			return -EBUSY;
		g->chain_busy = false;
	}
	/* The token is a slot, so that vguest_pump() marks it like an I/O message. */
	memset(g->chain, 0, sizeof(*g->chain));
	ret = vu_front_queue_add(g->fe, queue, out, nout, in, nin, g->chain);
	if (ret < 0)
		return ret;
	g->chain_busy = true;
	ret = vu_front_queue_kick(g->fe, queue);
	if (ret < 0)
		return ret;
	deadline = vguest_now_ms() + g->opts.timeout_ms;
	for (;;) {
		if (queue == VSND_VQ_CONTROL) {
			uint32_t len;
			void *tok;

			/* Control replies nothing waits for any more are dropped, as in
			 * vguest_request(). */
			while ((tok = vu_front_queue_get_used(g->fe, queue, &len)))
				if (tok == g->chain) {
					g->chain->done = true;
					g->chain->used = len;
				}
		} else {
			vguest_pump(g, queue);
		}
		if (g->chain->done)
			break;
		if (vguest_deadline_left(deadline) == 0)
			return -ETIMEDOUT;
		ret = vu_front_queue_wait(g->fe, queue, vguest_deadline_left(deadline));
		if (ret < 0)
			return ret;
	}
	g->chain_busy = false;
	if (used)
		*used = g->chain->used;
	return 0;
}

int vguest_simple(struct vguest *g, uint32_t code, uint32_t id, void *resp, size_t room,
		  uint32_t *used)
{
	uint8_t req[8], status[4];
	int ret;

	put_le32(req, code);
	put_le32(req + 4, id);
	if (!resp) {
		resp = status;
		room = sizeof(status);
	}
	ret = vguest_request(g, req, sizeof(req), resp, room, used);
	return ret < 0 ? ret : vguest_status_errno((uint32_t)ret);
}

/* --- reading the card */

/* One info query in pieces that fit the response buffer; @fill decodes each item. */
static int query(struct vguest *g, uint32_t code, uint32_t count, uint32_t size, void *arr,
		 void (*fill)(void *arr, uint32_t i, const uint8_t *item))
{
	uint32_t per = (VGUEST_RESP_MAX - 4) / size;
	uint8_t *resp;
	int ret = 0;

	resp = malloc(VGUEST_RESP_MAX);
	if (!resp)
		return -ENOMEM;
	for (uint32_t start = 0; start < count; start += per) {
		uint32_t n = count - start < per ? count - start : per;
		uint8_t req[16];
		uint32_t used = 0;

		put_le32(req, code);
		put_le32(req + 4, start);
		put_le32(req + 8, n);
		put_le32(req + 12, size);
		ret = vguest_request(g, req, sizeof(req), resp, 4 + (size_t)n * size, &used);
		if (ret < 0)
			break;
		ret = vguest_status_errno((uint32_t)ret);
		if (ret == 0 && used != 4 + n * size)
			ret = -EPROTO;
		if (ret < 0)
			break;
		for (uint32_t i = 0; i < n; i++)
			fill(arr, start + i, resp + 4 + (size_t)i * size);
	}
	free(resp);
	return ret;
}

static void fill_jack(void *arr, uint32_t i, const uint8_t *p)
{
	struct vguest_jack *j = (struct vguest_jack *)arr + i;

	j->nid = get_le32(p + offsetof(struct vsnd_jack_info, hdr));
	j->features = get_le32(p + offsetof(struct vsnd_jack_info, features));
	j->defconf = get_le32(p + offsetof(struct vsnd_jack_info, hda_reg_defconf));
	j->caps = get_le32(p + offsetof(struct vsnd_jack_info, hda_reg_caps));
	j->connected = p[offsetof(struct vsnd_jack_info, connected)] != 0;
}

static void fill_stream(void *arr, uint32_t i, const uint8_t *p)
{
	struct vguest_stream *s = (struct vguest_stream *)arr + i;

	s->nid = get_le32(p + offsetof(struct vsnd_pcm_info, hdr));
	s->features = get_le32(p + offsetof(struct vsnd_pcm_info, features));
	s->formats = get_le64(p + offsetof(struct vsnd_pcm_info, formats));
	s->rates = get_le64(p + offsetof(struct vsnd_pcm_info, rates));
	s->direction = p[offsetof(struct vsnd_pcm_info, direction)];
	s->channels_min = p[offsetof(struct vsnd_pcm_info, channels_min)];
	s->channels_max = p[offsetof(struct vsnd_pcm_info, channels_max)];
}

static void fill_chmap(void *arr, uint32_t i, const uint8_t *p)
{
	struct vguest_chmap *c = (struct vguest_chmap *)arr + i;

	c->nid = get_le32(p + offsetof(struct vsnd_chmap_info, hdr));
	c->direction = p[offsetof(struct vsnd_chmap_info, direction)];
	c->channels = p[offsetof(struct vsnd_chmap_info, channels)];
	memcpy(c->positions, p + offsetof(struct vsnd_chmap_info, positions),
	       VIRTIO_SND_CHMAP_MAX_SIZE);
}

static void fill_ctl(void *arr, uint32_t i, const uint8_t *p)
{
	struct vguest_ctl *c = (struct vguest_ctl *)arr + i;
	const uint8_t *v = p + offsetof(struct vsnd_ctl_info, value);

	c->nid = get_le32(p + offsetof(struct vsnd_ctl_info, hdr));
	c->role = get_le32(p + offsetof(struct vsnd_ctl_info, role));
	c->type = get_le32(p + offsetof(struct vsnd_ctl_info, type));
	c->access = get_le32(p + offsetof(struct vsnd_ctl_info, access));
	c->count = get_le32(p + offsetof(struct vsnd_ctl_info, count));
	c->index = get_le32(p + offsetof(struct vsnd_ctl_info, index));
	memcpy(c->name, p + offsetof(struct vsnd_ctl_info, name), VIRTIO_SND_CTL_NAME_SIZE);
	c->name[VIRTIO_SND_CTL_NAME_SIZE] = '\0';
	switch (c->type) {
	case VIRTIO_SND_CTL_TYPE_BOOLEAN:
		c->min = 0;
		c->max = 1;
		c->step = 1;
		break;
	case VIRTIO_SND_CTL_TYPE_INTEGER:
		c->min = (int32_t)get_le32(v);
		c->max = (int32_t)get_le32(v + 4);
		c->step = (int32_t)get_le32(v + 8);
		break;
	case VIRTIO_SND_CTL_TYPE_INTEGER64:
		c->min = (int64_t)get_le64(v);
		c->max = (int64_t)get_le64(v + 8);
		c->step = (int64_t)get_le64(v + 16);
		break;
	case VIRTIO_SND_CTL_TYPE_ENUMERATED:
		c->items = get_le32(v);
		break;
	default:
		break;
	}
}

static int read_enum_items(struct vguest *g, struct vguest_ctl *c, uint32_t id)
{
	size_t room = 4 + (size_t)c->items * VIRTIO_SND_CTL_ENUM_ITEM_SIZE;
	uint8_t *resp;
	uint32_t used = 0;
	int ret;

	if (c->items == 0)
		return 0;
	if (c->items > VGUEST_ITEMS_MAX || room > VGUEST_RESP_MAX)
		return -EPROTO;
	c->item_names = calloc(c->items, sizeof(*c->item_names));
	resp = malloc(room);
	if (!c->item_names || !resp) {
		free(resp);
		return -ENOMEM;
	}
	ret = vguest_simple(g, VIRTIO_SND_R_CTL_ENUM_ITEMS, id, resp, room, &used);
	if (ret == 0 && used != room)
		ret = -EPROTO;
	for (uint32_t k = 0; ret == 0 && k < c->items; k++)
		memcpy(c->item_names[k], resp + 4 + (size_t)k * VIRTIO_SND_CTL_ENUM_ITEM_SIZE,
		       VIRTIO_SND_CTL_ENUM_ITEM_SIZE);
	free(resp);
	return ret;
}

static int read_card(struct vguest *g)
{
	struct vguest_card *card = &g->card;
	uint8_t cfg[sizeof(struct vsnd_config)];
	int ret;

	card->controls_negotiated = vu_front_features(g->fe) & (1ull << VIRTIO_SND_F_CTLS);
	card->sof_negotiated = vu_front_features(g->fe) & (1ull << VADSP_SND_F_SOF_IPC3);
	ret = vu_front_get_config(g->fe, 0, cfg, card->controls_negotiated ?
			sizeof(struct vsnd_config) : VSND_CONFIG_SIZE_NO_CTLS);
	if (ret < 0)
		return ret;
	card->num_jacks = get_le32(cfg + offsetof(struct vsnd_config, jacks));
	card->num_streams = get_le32(cfg + offsetof(struct vsnd_config, streams));
	card->num_chmaps = get_le32(cfg + offsetof(struct vsnd_config, chmaps));
	card->num_controls = card->controls_negotiated ?
			     get_le32(cfg + offsetof(struct vsnd_config, controls)) : 0;
	if (card->num_jacks > VGUEST_ELEMENTS_MAX || card->num_streams > VGUEST_ELEMENTS_MAX ||
	    card->num_chmaps > VGUEST_ELEMENTS_MAX || card->num_controls > VGUEST_ELEMENTS_MAX)
		return -EPROTO;
	card->jacks = calloc(card->num_jacks + 1, sizeof(*card->jacks));
	card->streams = calloc(card->num_streams + 1, sizeof(*card->streams));
	card->chmaps = calloc(card->num_chmaps + 1, sizeof(*card->chmaps));
	card->controls = calloc(card->num_controls + 1, sizeof(*card->controls));
	g->mem = calloc(card->num_streams + VGUEST_IO_ID_RINGS, sizeof(*g->mem));
	if (!card->jacks || !card->streams || !card->chmaps || !card->controls || !g->mem)
		return -ENOMEM;
	ret = query(g, VIRTIO_SND_R_JACK_INFO, card->num_jacks, sizeof(struct vsnd_jack_info),
		    card->jacks, fill_jack);
	if (ret == 0)
		ret = query(g, VIRTIO_SND_R_PCM_INFO, card->num_streams,
			    sizeof(struct vsnd_pcm_info), card->streams, fill_stream);
	if (ret == 0)
		ret = query(g, VIRTIO_SND_R_CHMAP_INFO, card->num_chmaps,
			    sizeof(struct vsnd_chmap_info), card->chmaps, fill_chmap);
	if (ret == 0)
		ret = query(g, VIRTIO_SND_R_CTL_INFO, card->num_controls,
			    sizeof(struct vsnd_ctl_info), card->controls, fill_ctl);
	for (uint32_t i = 0; ret == 0 && i < card->num_controls; i++)
		if (card->controls[i].type == VIRTIO_SND_CTL_TYPE_ENUMERATED)
			ret = read_enum_items(g, &card->controls[i], i);
	return ret;
}

/* --- connection */

int vguest_connect(struct vguest **out, const char *path, const struct vguest_options *opts)
{
	uint64_t want = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_EVENT_IDX |
			1ull << VIRTIO_F_INDIRECT_DESC;
	struct vguest *g;
	int ret;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	if (opts)
		g->opts = *opts;
	if (!g->opts.queue_size)
		g->opts.queue_size = VGUEST_QUEUE_SIZE;
	if (!g->opts.mem_size)
		g->opts.mem_size = VGUEST_MEM_SIZE;
	if (!g->opts.event_buffers)
		g->opts.event_buffers = VGUEST_EVENT_BUFFERS;
	if (g->opts.timeout_ms <= 0)
		g->opts.timeout_ms = VGUEST_TIMEOUT_MS;
	if (g->opts.event_buffers > g->opts.queue_size) {
		free(g);
		return -EINVAL;
	}
	if (!g->opts.no_controls)
		want |= 1ull << VIRTIO_SND_F_CTLS;
	if (g->opts.sof_ipc3)
		want |= 1ull << VADSP_SND_F_SOF_IPC3;
	if (g->opts.no_event_idx)
		want &= ~(1ull << VIRTIO_F_EVENT_IDX);
	g->event_size = sizeof(struct vsnd_event);
	ret = vu_front_connect(&g->fe, path);
	if (ret < 0) {
		free(g);
		return ret;
	}
	vu_front_set_reply_timeout(g->fe, g->opts.timeout_ms);
	ret = vu_front_negotiate(g->fe, want, VU_FRONT_DEFAULT_PROTOCOL_FEATURES);
	if (ret == 0 && (vu_front_features(g->fe) & (1ull << VADSP_SND_F_SOF_IPC3))) {
		/* Notifications carry an IPC3 message: room for the largest (4.1). */
		g->event_size = VADSP_SND_EVT_SOF_IPC_MIN;
		g->kept_msg = calloc(VGUEST_EVENTS_KEPT, sizeof(*g->kept_msg));
		if (!g->kept_msg)
			ret = -ENOMEM;
	}
	if (ret == 0)
		ret = vu_front_mem_create(g->fe, g->opts.mem_size, 1);
	for (unsigned int q = 0; ret == 0 && q < VSND_VQ_NUM; q++)
		ret = vu_front_queue_start(g->fe, q, g->opts.queue_size);
	if (ret == 0)
		ret = vu_front_alloc(g->fe, VGUEST_REQ_MAX, 64, &g->req);
	if (ret == 0)
		ret = vu_front_alloc(g->fe, VGUEST_RESP_MAX, 64, &g->resp);
	if (ret == 0)
		ret = vu_front_alloc(g->fe, (uint64_t)g->opts.event_buffers * g->event_size, 64,
				     &g->events);
	for (unsigned int i = 0; ret == 0 && i < g->opts.event_buffers; i++)
		ret = post_event_buffer(g, i) < 0 ? -ENOSPC : 0;
	if (ret == 0)
		ret = vu_front_queue_kick(g->fe, VSND_VQ_EVENT) < 0 ? -EIO : 0;
	if (ret == 0)
		ret = read_card(g);
	if (ret < 0) {
		vguest_close(g);
		return ret;
	}
	*out = g;
	return 0;
}

void vguest_close(struct vguest *g)
{
	if (!g)
		return;
	if (g->fe)
		vu_front_close(g->fe);
	for (uint32_t i = 0; g->card.controls && i < g->card.num_controls; i++)
		free(g->card.controls[i].item_names);
	free(g->card.jacks);
	free(g->card.streams);
	free(g->card.chmaps);
	free(g->card.controls);
	free(g->mem);
	free(g->chain);
	free(g->kept_msg);
	while (g->orphans) {
		struct vguest_orphans *o = g->orphans;

		g->orphans = o->next;
		free(o->slots);
		free(o);
	}
	free(g);
}
