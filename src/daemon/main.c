// SPDX-License-Identifier: MIT
/*
 * vadspd: the vadsp daemon. One event loop serves the vhost-user sockets of every guest
 * and the termination signals.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "daemon/options.h"
#include "snd/device.h"
#include "util/log.h"
#include "util/loop.h"
#include "vhost-user/backend.h"

#define LOG "vadspd"

struct vadspd {
	struct vadsp_loop *loop;
	struct vu_server *server;
	int signal_fd;
	bool single_connection;		/* --fd: exit when that connection ends */
	int exit_status;
};

static void on_signal(void *data, int fd, uint32_t events)
{
	struct vadspd *d = data;
	struct signalfd_siginfo si;

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
	/* A guest that disconnects mid-write must not kill the daemon. */
	signal(SIGPIPE, SIG_IGN);
	d->signal_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (d->signal_fd < 0)
		return -errno;
	return vadsp_loop_add(d->loop, d->signal_fd, VADSP_LOOP_IN, on_signal, d);
}

static void on_idle(void *data)
{
	struct vadspd *d = data;

	if (d->single_connection && vu_server_connections(d->server) == 0) {
		vadsp_info(LOG, "the guest's connection closed, exiting");
		vadsp_loop_quit(d->loop);
	}
}

static int run(const struct vadspd_options *opts)
{
	struct vadspd d = { .signal_fd = -1 };
	struct vsnd_options device = opts->device;
	struct vu_dev_info info;
	int ret;

	d.loop = vadsp_loop_new();
	if (!d.loop)
		return -ENOMEM;
	ret = setup_signals(&d);
	if (ret < 0) {
		vadsp_err(LOG, "cannot set up signal handling: %s", strerror(-ret));
		goto out;
	}
	/* Stream backends run their clocks on this loop. */
	device.watch = &vadsp_loop_watch_ops;
	device.loop = d.loop;
	vsnd_device_info(&device, &info);
	info.allow_unsealed_memory = opts->allow_unsealed_memory;
	ret = vu_server_new(&d.server, &info, &vsnd_device_ops, &vadsp_loop_watch_ops, d.loop,
			    &device);
	if (ret < 0) {
		vadsp_err(LOG, "cannot create the vhost-user server: %s", strerror(-ret));
		goto out;
	}
	if (opts->socket_path) {
		ret = vu_server_listen(d.server, opts->socket_path);
		if (ret < 0) {
			vadsp_err(LOG, "cannot listen on %s: %s", opts->socket_path,
				  strerror(-ret));
			goto out;
		}
		vadsp_info(LOG, "listening on %s", opts->socket_path);
	} else {
		ret = vu_server_adopt(d.server, opts->fd, NULL);
		if (ret < 0) {
			vadsp_err(LOG, "cannot serve fd %d: %s", opts->fd, strerror(-ret));
			goto out;
		}
		d.single_connection = true;
		vadsp_loop_set_idle(d.loop, on_idle, &d);
	}
	ret = vadsp_loop_run(d.loop);
	if (ret < 0)
		vadsp_err(LOG, "event loop failed: %s", strerror(-ret));
out:
	if (d.server)
		vu_server_free(d.server);
	if (d.signal_fd >= 0) {
		vadsp_loop_del(d.loop, d.signal_fd);
		close(d.signal_fd);
	}
	vadsp_loop_free(d.loop);
	return ret;
}

int main(int argc, char **argv)
{
	struct vadspd_options opts;
	char err[600];
	int ret;
	static const enum vadsp_log_level levels[] = {
		VADSP_LOG_WARN, VADSP_LOG_INFO, VADSP_LOG_DEBUG,
	};

	if (vadspd_parse_options(&opts, argc, argv, stderr) < 0)
		return 2;
	switch (opts.action) {
	case VADSPD_HELP:
		vadspd_print_help(stdout);
		return 0;
	case VADSPD_VERSION:
		printf("vadspd %s\n", VADSP_VERSION);
		return 0;
	case VADSPD_PRINT_CAPABILITIES:
		printf("{\n  \"type\": \"sound\",\n  \"features\": []\n}\n");
		return 0;
	case VADSPD_RUN:
		break;
	}
	vadsp_log_set_level(levels[VADSP_MIN(opts.verbosity, 2)]);
	if (vsnd_options_load(&opts.device, err, sizeof(err)) < 0) {
		fprintf(stderr, "vadspd: cannot use the topology: %s\n", err);
		return 1;
	}
	ret = run(&opts);
	vsnd_options_release(&opts.device);
	return ret < 0 ? 1 : 0;
}
