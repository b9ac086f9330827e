// SPDX-License-Identifier: MIT
/*
 * vadspd: the vadsp daemon. The command line and the configuration file give the guests;
 * everything is checked (the file line by line, then the topologies it names) before any
 * socket listens; then one event loop serves every guest, the management socket and the
 * termination signals (daemon.c).
 *
 * Exit status: 0 after a clean exit, 1 on a runtime failure (including a bad --topology,
 * as before configuration files existed), 2 on a usage error or a bad configuration file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/config.h"
#include "daemon/daemon.h"
#include "daemon/options.h"
#include "snd/card.h"
#include "util/log.h"

/* The one guest of a command line without --config. */
#define CLI_GUEST_NAME	"default"

static int config_from_options(struct vadspd_config *cfg, const struct vadspd_options *opts)
{
	struct vadspd_guest_config *g;

	memset(cfg, 0, sizeof(*cfg));
	cfg->log_level = VADSP_LOG_INFO;
	g = vadspd_config_add_guest(cfg, CLI_GUEST_NAME, opts->socket_path,
				    opts->device.topology);
	if (!g)
		return -ENOMEM;
	g->controls = opts->device.controls;
	g->sof = opts->device.sof;
	g->allow_unsealed_memory = opts->allow_unsealed_memory;
	g->max_connections = 0;		/* as many as come, as before --config existed */
	return 0;
}

int main(int argc, char **argv)
{
	struct vadspd_options opts;
	struct vadspd_config cfg;
	struct vadspd *d = NULL;
	char err[1024];
	int ret;

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
	if (opts.config) {
		ret = vadspd_config_load(&cfg, opts.config, err, sizeof(err));
		if (ret == 0)
			ret = vadspd_config_check(&cfg, err, sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "vadspd: %s\n", err);
			vadspd_config_free(&cfg);
			return 2;
		}
	} else {
		if (opts.device.sof) {
			fprintf(stderr, "vadspd: --sof: the SOF IPC3 extension needs the host DSP: "
				"a [host] section with topology=FILE and dai.NAME endpoints (use "
				"--config and sof = yes)\n");
			return 2;
		}
		if (config_from_options(&cfg, &opts) < 0) {
			fprintf(stderr, "vadspd: out of memory\n");
			return 1;
		}
		if (cfg.guests[0].topology &&
		    vsnd_card_desc_load(cfg.guests[0].topology, &cfg.guests[0].desc, err,
					sizeof(err)) < 0) {
			fprintf(stderr, "vadspd: cannot use the topology: %s\n", err);
			vadspd_config_free(&cfg);
			return 1;
		}
	}
	if (opts.mgmt_socket) {
		free(cfg.mgmt_socket);
		cfg.mgmt_socket = strdup(opts.mgmt_socket);
		if (!cfg.mgmt_socket) {
			vadspd_config_free(&cfg);
			return 1;
		}
	}
	vadsp_log_set_level(vadspd_options_log_level(&opts, cfg.has_log_level ?
							    (int)cfg.log_level : -1));
	ret = vadspd_new(&d, &cfg, opts.config ? -1 : opts.fd);
	if (ret == 0)
		ret = vadspd_run(d);
	vadspd_free(d);
	vadspd_config_free(&cfg);
	return ret < 0 ? 1 : 0;
}
