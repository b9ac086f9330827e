// SPDX-License-Identifier: MIT
/*
 * virtio-snd device callbacks for the vhost-user back-end.
 *
 * Each connection owns a card (card.h). The card reaches the connection's queues through
 * struct vsnd_card_host. A guest that breaks a queue's rules is dropped with vu_dev_fail():
 * at once when that happens inside a vhost-user callback (the library tears the connection
 * down after the callback), otherwise (a backend clock's callback, where tearing down would
 * free the card under its caller) the card stops touching its queues at once and the drop
 * happens from a fresh event loop callback.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "snd/card.h"
#include "snd/device.h"
#include "snd/virtio-snd.h"
#include "ipc/vfe.h"
#include "util/log.h"
#include "virtio/virtio-ring.h"

#define LOG "snd"

/* QEMU's vhost-user-snd creates 64-entry queues; allow larger front-ends up to this. */
#define VSND_MAX_QUEUE_SIZE	1024

struct vsnd_conn {
	struct vu_dev *dev;
	const struct vsnd_options *opts;
	struct vsnd_card *card;
	unsigned int in_callback;	/* inside a vhost-user callback */
	int fail_fd;			/* eventfd for a drop outside callbacks, or -1 */
	char fail_why[96];
};

static const struct vsnd_options *conn_options(struct vu_dev *dev)
{
	return vu_server_get_data(vu_dev_server(dev));
}

int vsnd_options_load(struct vsnd_options *opts, char *err, size_t err_len)
{
	opts->desc = NULL;
	if (!opts->topology)
		return 0;
	return vsnd_card_desc_load(opts->topology, &opts->desc, err, err_len);
}

void vsnd_options_release(struct vsnd_options *opts)
{
	vsnd_card_desc_free(opts->desc);
	opts->desc = NULL;
}

void vsnd_device_info(const struct vsnd_options *opts, struct vu_dev_info *info)
{
	info->name = "virtio-snd";
	info->num_queues = VSND_VQ_NUM;
	info->max_queue_size = VSND_MAX_QUEUE_SIZE;
	info->config_size = opts->controls ? sizeof(struct vsnd_config) :
					     VSND_CONFIG_SIZE_NO_CTLS;
}

struct vsnd_card *vsnd_device_card(struct vu_dev *dev)
{
	struct vsnd_conn *c = vu_dev_get_priv(dev);

	return c ? c->card : NULL;
}

static struct vring *host_queue(void *data, unsigned int idx)
{
	struct vsnd_conn *c = data;

	return vu_dev_queue(c->dev, idx);
}

static void host_notify(void *data, unsigned int idx)
{
	struct vsnd_conn *c = data;

	vu_dev_queue_notify(c->dev, idx);
}

static void on_fail_event(void *data, int fd, uint32_t events)
{
	struct vsnd_conn *c = data;
	const struct vsnd_options *o = c->opts;
	char why[sizeof(c->fail_why)];
	uint64_t v;

	(void)events;
	if (read(fd, &v, sizeof(v)) < 0)
		v = 0;
	memcpy(why, c->fail_why, sizeof(why));
	o->watch->del(o->loop, fd);
	close(fd);
	c->fail_fd = -1;
	/* Tears the connection (and @c) down before returning. */
	vu_dev_fail(c->dev, why);
}

static void host_fail(void *data, const char *why)
{
	struct vsnd_conn *c = data;
	const struct vsnd_options *o = c->opts;
	uint64_t one = 1;
	int fd;

	if (c->in_callback) {
		vu_dev_fail(c->dev, why);
		return;
	}
	if (c->fail_fd >= 0 || !o->watch)
		return;		/* already on its way, or no loop to do it from */
	snprintf(c->fail_why, sizeof(c->fail_why), "%s", why);
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fd < 0 || o->watch->add(o->loop, fd, VU_WATCH_IN, on_fail_event, c) < 0) {
		vadsp_err(LOG, "guest %u: cannot schedule dropping the connection (%s)",
			  vu_dev_id(c->dev), why);
		if (fd >= 0)
			close(fd);
		return;
	}
	c->fail_fd = fd;
	if (write(fd, &one, sizeof(one)) < 0)
		vadsp_err(LOG, "guest %u: eventfd write failed", vu_dev_id(c->dev));
}

static const struct vsnd_card_host conn_host = {
	.queue = host_queue,
	.notify = host_notify,
	.fail = host_fail,
};

static int vsnd_connect(struct vu_dev *dev)
{
	const struct vsnd_options *o = conn_options(dev);
	struct vsnd_card_config cfg;
	struct vsnd_conn *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return -ENOMEM;
	c->dev = dev;
	c->opts = o;
	c->fail_fd = -1;
	cfg = (struct vsnd_card_config){
		.desc = o->desc ? o->desc : &vsnd_card_desc_empty,
		.host = &conn_host,
		.host_data = c,
		.backend = o->backend,
		.backend_data = o->backend_data,
		.watch = o->watch,
		.loop = o->loop,
	};
	ret = vsnd_card_new(&c->card, &cfg);
	if (ret < 0) {
		free(c);
		return ret;
	}
	vu_dev_set_priv(dev, c);
	vadsp_info(LOG, "guest %u connected: %u streams, %u jacks, %u controls",
		   vu_dev_id(dev), cfg.desc->num_streams, cfg.desc->num_jacks,
		   cfg.desc->num_controls);
	return 0;
}

static void vsnd_disconnect(struct vu_dev *dev)
{
	struct vsnd_conn *c = vu_dev_get_priv(dev);

	vadsp_info(LOG, "guest %u disconnected", vu_dev_id(dev));
	vu_dev_set_priv(dev, NULL);
	if (!c)
		return;
	vsnd_card_free(c->card);
	if (c->fail_fd >= 0) {
		c->opts->watch->del(c->opts->loop, c->fail_fd);
		close(c->fail_fd);
	}
	free(c);
}

static uint64_t vsnd_get_features(struct vu_dev *dev)
{
	uint64_t f = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_INDIRECT_DESC |
		     1ull << VIRTIO_F_EVENT_IDX;

	if (conn_options(dev)->controls)
		f |= 1ull << VIRTIO_SND_F_CTLS;
	if (conn_options(dev)->sof)
		f |= 1ull << VADSP_SND_F_SOF_IPC3;
	return f;
}

static int vsnd_set_features(struct vu_dev *dev, uint64_t features)
{
	struct vsnd_conn *c = vu_dev_get_priv(dev);

	bool sof = features & (1ull << VADSP_SND_F_SOF_IPC3);
	int ret = 0;

	c->card->controls_negotiated = features & (1ull << VIRTIO_SND_F_CTLS);
	if (sof != c->card->sof) {
		c->in_callback++;
		ret = vsnd_sof_set(c->card, sof);
		c->in_callback--;
	}
	return ret;
}

static int vsnd_get_config(struct vu_dev *dev, uint32_t offset, uint8_t *buf, uint32_t len)
{
	struct vsnd_conn *c = vu_dev_get_priv(dev);
	struct vsnd_config cfg;
	uint32_t size = c->opts->controls ? sizeof(cfg) : VSND_CONFIG_SIZE_NO_CTLS;

	if (offset > size || len > size - offset)
		return -EINVAL;
	vsnd_card_config_space(c->card, &cfg);
	memcpy(buf, (const uint8_t *)&cfg + offset, len);
	return 0;
}

static void vsnd_queue_start(struct vu_dev *dev, unsigned int idx)
{
	struct vsnd_conn *c = vu_dev_get_priv(dev);

	vadsp_dbg(LOG, "guest %u: queue %u started", vu_dev_id(dev), idx);
	c->in_callback++;
	if (vsnd_card_queue_start(c->card, idx) < 0)
		vu_dev_fail(dev, "out of memory for the I/O queue");
	c->in_callback--;
}

static void vsnd_queue_stop(struct vu_dev *dev, unsigned int idx)
{
	struct vsnd_conn *c = vu_dev_get_priv(dev);

	vadsp_dbg(LOG, "guest %u: queue %u stopped", vu_dev_id(dev), idx);
	c->in_callback++;
	vsnd_card_queue_stop(c->card, idx);
	c->in_callback--;
}

static void vsnd_queue_kick(struct vu_dev *dev, unsigned int idx)
{
	struct vsnd_conn *c = vu_dev_get_priv(dev);

	c->in_callback++;
	vsnd_card_queue_kick(c->card, idx);
	c->in_callback--;
}

static void vsnd_reset(struct vu_dev *dev)
{
	struct vsnd_conn *c = vu_dev_get_priv(dev);

	c->in_callback++;
	vsnd_card_reset(c->card);
	c->in_callback--;
}

const struct vu_dev_ops vsnd_device_ops = {
	.connect = vsnd_connect,
	.disconnect = vsnd_disconnect,
	.get_features = vsnd_get_features,
	.set_features = vsnd_set_features,
	.get_config = vsnd_get_config,
	.queue_start = vsnd_queue_start,
	.queue_stop = vsnd_queue_stop,
	.queue_kick = vsnd_queue_kick,
	.reset = vsnd_reset,
};
