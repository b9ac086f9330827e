/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the sound device tests: cards from the project's topologies, control
 * requests built and answered in one call, and a process guest (vu_front) driving a
 * vhost-user server that runs the sound device on its own thread.
 */
#ifndef VADSP_TESTS_SND_UTIL_H
#define VADSP_TESTS_SND_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snd/card.h"
#include "snd/device.h"
#include "vhost-user/frontend.h"

/* ------------------------------------------------------------------------------------------
 * Cards without a transport
 * ------------------------------------------------------------------------------------------ */

/**
 * sndt_desc() - the description of $VADSP_TOPOLOGY_DIR/@name.tplg (asserts on failure)
 */
struct vsnd_card_desc *sndt_desc(const char *name);

/**
 * sndt_topology_path() - $VADSP_TOPOLOGY_DIR/@name.tplg in a static buffer
 */
const char *sndt_topology_path(const char *name);

/**
 * sndt_card() - a card of @desc with no transport, on @backend (NULL: null backend without
 * a clock), VIRTIO_SND_F_CTLS negotiated when @ctls
 */
struct vsnd_card *sndt_card(const struct vsnd_card_desc *desc,
			    const struct vsnd_backend_ops *backend, void *backend_data, bool ctls);

/**
 * struct sndt_resp - a response as the device wrote it
 * @status: the status word (0 when nothing was written)
 * @used: the used length vsnd_ctl_handle() returned
 * @data: the bytes after the status
 */
struct sndt_resp {
	uint32_t status;
	int used;
	uint8_t data[VSND_CTL_RESP_MAX];
};

/**
 * sndt_call() - answer @req (@len bytes) with a response buffer of @room bytes
 */
uint32_t sndt_call(struct vsnd_card *card, const void *req, size_t len, size_t room,
		   struct sndt_resp *resp);

/* Request builders: they fill @buf and return the request length. */
size_t sndt_query(uint8_t *buf, uint32_t code, uint32_t start, uint32_t count, uint32_t size);
size_t sndt_pcm(uint8_t *buf, uint32_t code, uint32_t stream);
size_t sndt_set_params(uint8_t *buf, uint32_t stream, uint32_t buffer_bytes,
		       uint32_t period_bytes, uint8_t channels, uint8_t format, uint8_t rate,
		       uint32_t features);
size_t sndt_ctl(uint8_t *buf, uint32_t code, uint32_t control);

/**
 * sndt_status() - answer @req with a generous response buffer and return its status
 */
uint32_t sndt_status(struct vsnd_card *card, const void *req, size_t len);

/* ------------------------------------------------------------------------------------------
 * A process guest against a vhost-user server on another thread
 * ------------------------------------------------------------------------------------------ */

struct sndt_server;

/**
 * sndt_server_start() - run a vhost-user server with the sound device on a new thread
 * @opts: device options (copied; desc and backend as given, watch and loop are the
 *        server thread's when @clock is true, else NULL)
 * @clock: give backends the server loop's watcher (real-time null backend)
 *
 * Return: the server (asserts on failure).
 */
struct sndt_server *sndt_server_start(const struct vsnd_options *opts, bool clock);

/**
 * sndt_server_stop() - stop the thread and free everything (the server must have no
 * connection left, or they are closed)
 */
void sndt_server_stop(struct sndt_server *srv);

/**
 * sndt_server_run() - run @fn(@arg) on the server thread and wait for it
 */
void sndt_server_run(struct sndt_server *srv, void (*fn)(void *arg), void *arg);

/**
 * sndt_server_path() - the server's socket path
 */
const char *sndt_server_path(const struct sndt_server *srv);

/**
 * struct sndt_guest - a process guest with its four queues started
 * @fe: the front-end
 * @ctl_req: scratch guest memory for control requests (VSND_CTL_REQ_MAX bytes)
 * @ctl_resp: scratch guest memory for control responses (VSND_CTL_RESP_MAX bytes)
 */
struct sndt_guest {
	struct vu_front *fe;
	struct vu_front_buf ctl_req;
	struct vu_front_buf ctl_resp;
};

/**
 * sndt_guest_connect() - connect, negotiate (VIRTIO_SND_F_CTLS when @ctls), create 4 MiB of
 * memory and start the four queues with @num entries
 */
void sndt_guest_connect(struct sndt_guest *g, struct sndt_server *srv, bool ctls,
			unsigned int num);

/**
 * sndt_guest_close() - close the connection
 */
void sndt_guest_close(struct sndt_guest *g);

/**
 * sndt_guest_request() - send one control request and wait for its reply
 * @g: guest
 * @req: request bytes
 * @len: their length
 * @room: response buffer size
 * @resp: receives the response (copied out of guest memory) and the used length
 *
 * Return: the status word.
 */
uint32_t sndt_guest_request(struct sndt_guest *g, const void *req, size_t len, size_t room,
			    struct sndt_resp *resp);

/**
 * sndt_guest_reap() - wait up to @timeout_ms for one used chain on queue @idx
 * @len: set to its used length
 *
 * Return: its token, or NULL on timeout.
 */
void *sndt_guest_reap(struct sndt_guest *g, unsigned int idx, uint32_t *len, int timeout_ms);

/**
 * sndt_guest_alloc() - @len bytes of guest memory (asserts)
 */
struct vu_front_buf sndt_guest_alloc(struct sndt_guest *g, uint64_t len);

#endif /* VADSP_TESTS_SND_UTIL_H */
