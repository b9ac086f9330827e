/* SPDX-License-Identifier: MIT */
/*
 * vadspd's management socket: a unix stream socket speaking one JSON request per line and
 * one JSON reply per line (docs/configuration.md, "Management socket", has the protocol).
 *
 * This file has the two halves that do not know about guests: the request parser
 * (mgmt_request_parse(): a line of JSON -> struct mgmt_request, strict about members and
 * types) and the socket server (framing, limits, back-pressure). The daemon answers parsed
 * requests through a handler (daemon.c).
 *
 * Limits per connection: a request line is at most MGMT_LINE_MAX bytes (a longer one is
 * answered with an error and skipped up to its newline); while a reply has not been read
 * by the client no further request of that client is read; at most MGMT_CLIENTS_MAX
 * clients at once (a further one gets an error line and is closed). Nothing a client
 * sends ends the daemon.
 */
#ifndef VADSP_DAEMON_MGMT_H
#define VADSP_DAEMON_MGMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/config.h"
#include "daemon/json.h"
#include "snd/virtio-snd.h"

struct vadsp_loop;
struct mgmt_server;

#define MGMT_LINE_MAX		65536u		/* bytes of one request, no newline */
#define MGMT_CLIENTS_MAX	16u
#define MGMT_REPLY_MAX		(8u << 20)	/* bytes of one reply */
#define MGMT_REQUEST_TOKENS	512u		/* JSON values in one request */
#define MGMT_VALUES_MAX		128u		/* values of a "set": most channels */
#define MGMT_STRING_MAX		64u		/* bytes of an enumerated item name */

enum mgmt_cmd {
	MGMT_LIST,
	MGMT_GET,
	MGMT_SET,
	MGMT_JACK,
	MGMT_LEVELS,
};

/**
 * struct mgmt_value - one value of a "set": a number, a boolean or an enumerated item name
 */
struct mgmt_value {
	enum { MGMT_VALUE_INT, MGMT_VALUE_BOOL, MGMT_VALUE_STRING } kind;
	int64_t n;
	char s[MGMT_STRING_MAX];
};

/**
 * struct mgmt_request - a checked request
 * @cmd: what is asked
 * @guest: the guest's name ("" when not given: list and levels cover every guest)
 * @connection: a connection id of that guest, or -1 for all (set, jack) / the oldest (get)
 * @control: a control by name ("" when given by id)
 * @control_id: a control by id, or -1 when given by name
 * @index: the element index among controls of the same name
 * @values: a "set"'s values: one (for every channel) or one per channel
 * @num_values: how many
 * @jack: a jack by its host connection point's name ("" when given by id)
 * @jack_id: a jack by id, or -1
 * @connected: a "jack"'s new state
 */
struct mgmt_request {
	enum mgmt_cmd cmd;
	char guest[VADSPD_GUEST_NAME_MAX + 1];
	int64_t connection;
	char control[VIRTIO_SND_CTL_NAME_SIZE];
	int64_t control_id;
	uint32_t index;
	struct mgmt_value values[MGMT_VALUES_MAX];
	unsigned int num_values;
	char jack[VIRTIO_SND_CTL_NAME_SIZE];
	int64_t jack_id;
	bool connected;
};

/**
 * mgmt_request_parse() - check one request line
 * @line: the line (without its newline; need not be NUL-terminated)
 * @len: its length
 * @req: filled in
 * @err: receives why it was refused (for the reply's "error")
 * @err_len: size of @err
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int mgmt_request_parse(const char *line, size_t len, struct mgmt_request *req, char *err,
		       size_t err_len);

/**
 * mgmt_handler - answers a parsed request
 * @data: the server's handler data
 * @req: the request
 * @out: an empty document: write the reply object here on success
 * @err: on failure, why (becomes {"error": ...})
 * @err_len: size of @err
 *
 * Return: 0 with the reply in @out, or -errno with @err filled in.
 */
typedef int (*mgmt_handler)(void *data, const struct mgmt_request *req, struct json_out *out,
			    char *err, size_t err_len);

/**
 * mgmt_server_new() - listen on @path (an existing socket file is replaced; mode 0600)
 * @out: the server
 * @loop: the event loop that serves it
 * @path: socket path
 * @fn: the handler
 * @data: its data
 *
 * Return: 0, -ENAMETOOLONG, or the -errno of socket(), bind() or listen().
 */
int mgmt_server_new(struct mgmt_server **out, struct vadsp_loop *loop, const char *path,
		    mgmt_handler fn, void *data);

/**
 * mgmt_server_clients() - how many clients are connected
 */
unsigned int mgmt_server_clients(const struct mgmt_server *s);

/**
 * mgmt_server_free() - close every client and the socket, and remove the socket file
 * (NULL is allowed)
 */
void mgmt_server_free(struct mgmt_server *s);

#endif /* VADSP_DAEMON_MGMT_H */
