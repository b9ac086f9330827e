/* SPDX-License-Identifier: MIT */
/*
 * The virtio-snd device model behind vhost-user: one card per guest connection.
 *
 * The card a guest sees comes from a guest topology (vsnd_options_load(); card.h says what
 * maps to what); without one the card is empty (no jacks, streams, channel maps or
 * controls), which a Linux guest probes as a card with a control device only. Each
 * connection gets its own instance of the card (stream states, control values, jack
 * states) and its own stream backend instance: the null backend (stream-backend.h) unless
 * the options name another.
 */
#ifndef VADSP_SND_DEVICE_H
#define VADSP_SND_DEVICE_H

#include <stdbool.h>
#include <stddef.h>

#include "vhost-user/backend.h"

struct vsnd_backend_ops;
struct vsnd_card;
struct vsnd_card_desc;

/**
 * struct vsnd_options - how the device presents itself
 * @controls: offer VIRTIO_SND_F_CTLS (QEMU needs `controls=on` exactly when this is set)
 * @topology: guest topology file (--topology), or NULL for the empty card
 * @desc: the card description; vsnd_options_load() sets it from @topology (NULL: empty)
 * @backend: stream backend, or NULL for the null backend
 * @backend_data: passed to the backend's open
 * @watch: the event loop's fd watcher, for backend clocks; NULL: no clock (the null
 *         backend then completes I/O as soon as a stream runs)
 * @loop: first argument of @watch's callbacks
 * @sof: offer VADSP_SND_F_SOF_IPC3 (the backend must implement the sof_* ops)
 */
struct vsnd_options {
	bool controls;
	bool sof;
	const char *topology;
	struct vsnd_card_desc *desc;
	const struct vsnd_backend_ops *backend;
	void *backend_data;
	const struct vu_watch_ops *watch;
	void *loop;
};

/**
 * vsnd_options_load() - read the topology the options name and describe its card
 * @opts: options; @opts->desc is set (left NULL without a topology)
 * @err: receives a one-line reason on failure
 * @err_len: size of @err
 *
 * Return: 0, or -errno with @err filled in.
 */
int vsnd_options_load(struct vsnd_options *opts, char *err, size_t err_len);

/**
 * vsnd_options_release() - free what vsnd_options_load() built
 */
void vsnd_options_release(struct vsnd_options *opts);

/**
 * vsnd_device_info() - the vhost-user facts (queue count and sizes, config size)
 * @opts: device options
 * @info: filled in
 */
void vsnd_device_info(const struct vsnd_options *opts, struct vu_dev_info *info);

/**
 * vsnd_device_card() - the card of a connection (for host-side control and jack changes:
 * vsnd_card_ctl_set(), vsnd_card_jack_set()), or NULL
 */
struct vsnd_card *vsnd_device_card(struct vu_dev *dev);

/**
 * vsnd_device_ops - the vhost-user device callbacks of the sound device
 *
 * The server's data pointer (vu_server_new()'s @data) must point to a struct vsnd_options
 * that outlives the server.
 */
extern const struct vu_dev_ops vsnd_device_ops;

#endif /* VADSP_SND_DEVICE_H */
