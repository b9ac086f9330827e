// SPDX-License-Identifier: MIT
/*
 * virtio-snd device callbacks for the vhost-user back-end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "snd/ctl-msg.h"
#include "snd/device.h"
#include "snd/virtio-snd.h"
#include "util/le.h"
#include "util/log.h"
#include "virtio/virtio-ring.h"

#define LOG "snd"

/* QEMU's vhost-user-snd creates 64-entry queues; allow larger front-ends up to this. */
#define VSND_MAX_QUEUE_SIZE	1024
/* Control requests we read: the largest fixed request is CTL_WRITE (8 + 512 bytes). */
#define VSND_CTL_REQ_MAX	1024

struct vsnd_conn {
	struct vu_dev *dev;
	const struct vsnd_options *opts;
	struct vsnd_card card;
};

static const struct vsnd_options *conn_options(struct vu_dev *dev)
{
	return vu_server_get_data(vu_dev_server(dev));
}

void vsnd_device_info(const struct vsnd_options *opts, struct vu_dev_info *info)
{
	info->name = "virtio-snd";
	info->num_queues = VSND_VQ_NUM;
	info->max_queue_size = VSND_MAX_QUEUE_SIZE;
	info->config_size = opts->controls ? sizeof(struct vsnd_config) :
					     VSND_CONFIG_SIZE_NO_CTLS;
}

static int vsnd_connect(struct vu_dev *dev)
{
	struct vsnd_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->dev = dev;
	c->opts = conn_options(dev);
	vu_dev_set_priv(dev, c);
	vadsp_info(LOG, "guest %u connected", vu_dev_id(dev));
	return 0;
}

static void vsnd_disconnect(struct vu_dev *dev)
{
	struct vsnd_conn *c = vu_dev_get_priv(dev);

	vadsp_info(LOG, "guest %u disconnected", vu_dev_id(dev));
	vu_dev_set_priv(dev, NULL);
	free(c);
}

static uint64_t vsnd_get_features(struct vu_dev *dev)
{
	uint64_t f = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_INDIRECT_DESC |
		     1ull << VIRTIO_F_EVENT_IDX;

	if (conn_options(dev)->controls)
		f |= 1ull << VIRTIO_SND_F_CTLS;
	return f;
}

static int vsnd_set_features(struct vu_dev *dev, uint64_t features)
{
	struct vsnd_conn *c = vu_dev_get_priv(dev);

	c->card.controls_negotiated = features & (1ull << VIRTIO_SND_F_CTLS);
	return 0;
}

static int vsnd_get_config(struct vu_dev *dev, uint32_t offset, uint8_t *buf, uint32_t len)
{
	struct vsnd_conn *c = vu_dev_get_priv(dev);
	uint8_t cfg[sizeof(struct vsnd_config)];
	uint32_t size = c->opts->controls ? sizeof(cfg) : VSND_CONFIG_SIZE_NO_CTLS;

	if (offset > size || len > size - offset)
		return -EINVAL;
	put_le32(cfg + offsetof(struct vsnd_config, jacks), c->card.jacks);
	put_le32(cfg + offsetof(struct vsnd_config, streams), c->card.streams);
	put_le32(cfg + offsetof(struct vsnd_config, chmaps), c->card.chmaps);
	put_le32(cfg + offsetof(struct vsnd_config, controls), c->card.controls);
	memcpy(buf, cfg + offset, len);
	return 0;
}

static void serve_controlq(struct vsnd_conn *c, struct vring *vq)
{
	uint8_t req[VSND_CTL_REQ_MAX], resp[sizeof(struct vsnd_hdr)];
	struct vring_chain chain;
	int ret;

	while ((ret = vring_dev_pop(vq, &chain)) > 0) {
		size_t req_len = vring_chain_read(&chain, 0, req, sizeof(req));
		size_t resp_len = vsnd_ctl_handle(&c->card, req, req_len, resp,
						  VADSP_MIN(sizeof(resp), chain.in_bytes));

		vring_chain_write(&chain, 0, resp, resp_len);
		vring_dev_push(vq, chain.head, resp_len);
	}
	if (ret < 0)
		vu_dev_fail(c->dev, "control queue broken");
	else
		vu_dev_queue_notify(c->dev, VSND_VQ_CONTROL);
}

/*
 * An I/O message is {xfer header, data} readable then {data, status} writable. With no
 * streams every message names a stream that does not exist: complete it with BAD_MSG.
 */
static void serve_pcmq(struct vsnd_conn *c, struct vring *vq, unsigned int idx)
{
	struct vring_chain chain;
	uint8_t status[sizeof(struct vsnd_pcm_status)];
	uint8_t xfer[sizeof(struct vsnd_pcm_xfer)];
	int ret;

	while ((ret = vring_dev_pop(vq, &chain)) > 0) {
		uint32_t used = 0;
		int err = -EBADMSG;

		if (vring_chain_read(&chain, 0, xfer, sizeof(xfer)) == sizeof(xfer) &&
		    get_le32(xfer) >= c->card.streams)
			err = -ENOENT;
		if (chain.in_bytes >= sizeof(status)) {
			put_le32(status, vsnd_status_from_errno(err));
			put_le32(status + 4, 0);
			vring_chain_write(&chain, chain.in_bytes - sizeof(status), status,
					  sizeof(status));
			used = sizeof(status);
		}
		vring_dev_push(vq, chain.head, used);
	}
	if (ret < 0)
		vu_dev_fail(c->dev, idx == VSND_VQ_TX ? "tx queue broken" : "rx queue broken");
	else
		vu_dev_queue_notify(c->dev, idx);
}

static void vsnd_queue_kick(struct vu_dev *dev, unsigned int idx)
{
	struct vsnd_conn *c = vu_dev_get_priv(dev);
	struct vring *vq = vu_dev_queue(dev, idx);

	if (!vq)
		return;
	switch (idx) {
	case VSND_VQ_CONTROL:
		serve_controlq(c, vq);
		break;
	case VSND_VQ_EVENT:
		/* The driver's buffers wait here until there is an event to report. */
		break;
	case VSND_VQ_TX:
	case VSND_VQ_RX:
		serve_pcmq(c, vq, idx);
		break;
	default:
		break;
	}
}

static void vsnd_queue_start(struct vu_dev *dev, unsigned int idx)
{
	vadsp_dbg(LOG, "guest %u: queue %u started", vu_dev_id(dev), idx);
	/* Requests may already be waiting (QEMU kicks once right after SET_VRING_KICK). */
	vsnd_queue_kick(dev, idx);
}

static void vsnd_queue_stop(struct vu_dev *dev, unsigned int idx)
{
	vadsp_dbg(LOG, "guest %u: queue %u stopped", vu_dev_id(dev), idx);
}

static void vsnd_reset(struct vu_dev *dev)
{
	struct vsnd_conn *c = vu_dev_get_priv(dev);

	c->card.controls_negotiated = false;
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
