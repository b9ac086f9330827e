/* SPDX-License-Identifier: MIT */
/*
 * The virtio-snd device model behind vhost-user: one instance per guest connection.
 *
 * This first version describes a card with no jacks, streams, channel maps or controls.
 * It negotiates features, serves the configuration space, and answers every request on
 * the control queue and every I/O message on the tx/rx queues with the status the
 * specification requires for an element that does not exist (BAD_MSG) or a request code it
 * does not know (NOT_SUPP). Streams, controls and jacks come from a guest topology in a
 * later version.
 */
#ifndef VADSP_SND_DEVICE_H
#define VADSP_SND_DEVICE_H

#include <stdbool.h>

#include "vhost-user/backend.h"

/**
 * struct vsnd_options - how the device presents itself
 * @controls: offer VIRTIO_SND_F_CTLS (QEMU needs `controls=on` exactly when this is set)
 */
struct vsnd_options {
	bool controls;
};

/**
 * vsnd_device_info() - the vhost-user facts (queue count and sizes, config size)
 * @opts: device options
 * @info: filled in
 */
void vsnd_device_info(const struct vsnd_options *opts, struct vu_dev_info *info);

/**
 * vsnd_device_ops - the vhost-user device callbacks of the sound device
 *
 * The server's data pointer (vu_server_new()'s @data) must point to a struct vsnd_options.
 */
extern const struct vu_dev_ops vsnd_device_ops;

#endif /* VADSP_SND_DEVICE_H */
