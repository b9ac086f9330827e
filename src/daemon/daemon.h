/* SPDX-License-Identifier: MIT */
/*
 * vadspd's running state: one event loop serving every guest of the configuration (one
 * vhost-user server each, with its own sound device options), the management socket and
 * the termination signals.
 *
 * Every guest is a vhost-user server whose data pointer is the guest's struct vsnd_options
 * (device.h). The daemon watches file descriptors for each guest through its own watcher,
 * so that every callback about a guest (vhost-user messages, queue kicks, the null
 * backend's clock) runs with the guest's name as the log context: each log line about a
 * guest names it. Each guest's connections are tracked, so that the management socket can
 * reach their cards and max-connections can be enforced.
 */
#ifndef VADSP_DAEMON_DAEMON_H
#define VADSP_DAEMON_DAEMON_H

#include "daemon/config.h"
#include "daemon/mgmt.h"

struct vadspd;

/**
 * vadspd_new() - set up every guest's socket and the management socket
 * @out: the daemon
 * @cfg: a checked configuration (vadspd_config_check()); it must outlive the daemon
 * @fd: -1, or a connected socket to serve as the only guest's single connection (--fd):
 *      the configuration must then have one guest, without a socket; vadspd_run() returns
 *      when that connection closes
 *
 * Return: 0, or -errno after logging which socket could not be set up.
 */
int vadspd_new(struct vadspd **out, const struct vadspd_config *cfg, int fd);

/**
 * vadspd_run() - serve until SIGTERM or SIGINT (or, with --fd, the connection's end)
 *
 * Return: 0, or -errno when the event loop failed.
 */
int vadspd_run(struct vadspd *d);

/**
 * vadspd_free() - close every socket and connection (NULL is allowed)
 */
void vadspd_free(struct vadspd *d);

/**
 * vadspd_mgmt_handle() - answer one management request (the mgmt_handler of the daemon)
 * @data: the struct vadspd
 * @req: the request
 * @out: receives the reply
 * @err: receives the reason of a failure
 * @err_len: size of @err
 *
 * Return: 0 or -errno.
 */
int vadspd_mgmt_handle(void *data, const struct mgmt_request *req, struct json_out *out,
		       char *err, size_t err_len);

#endif /* VADSP_DAEMON_DAEMON_H */
