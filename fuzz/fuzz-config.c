// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for vadspd's configuration file parser (src/daemon/config.c).
 *
 * The input is the text of a configuration file. Whatever it is, the parser returns 0 or
 * -EINVAL (or -ENOMEM) and frees cleanly. A refusal comes with "fuzz.conf:" and a message
 * free of control characters (bytes from the file are escaped). An accepted file must hold
 * together: at least one guest, each with a valid name and a socket path that fits a
 * socket address, no two guests on one socket nor on the management socket, every dai
 * entry with a spec the endpoint layer parses and a host topology, and every line number
 * within the file. Files named are never opened (the second stage is not run).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/config.h"
#include "io/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "invariant failed: %s\n", #cond); \
			abort(); \
		} \
	} while (0)

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > VADSPD_GUEST_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("-_.", s[i])))
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct io_spec spec;
	struct vadspd_config cfg;
	char err[1024];
	unsigned int lines = 1;
	int ret;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	ret = vadspd_config_parse(&cfg, (const char *)data, size, "fuzz.conf", err, sizeof(err));
	CHECK(ret == 0 || ret == -EINVAL || ret == -ENOMEM);
	if (ret == -EINVAL) {
		CHECK(!strncmp(err, "fuzz.conf:", 10));
		for (const char *p = err; *p; p++)
			CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
	}
	if (ret == 0) {
		CHECK(cfg.num_guests >= 1 && cfg.num_guests <= VADSPD_CONFIG_GUESTS_MAX);
		CHECK(cfg.num_dais <= VADSPD_CONFIG_DAIS_MAX);
		CHECK(!cfg.num_dais || cfg.host_topology);
		CHECK(!cfg.mgmt_socket || (strlen(cfg.mgmt_socket) <= VADSPD_SOCKET_PATH_MAX &&
					   cfg.mgmt_socket_line <= lines));
		CHECK((unsigned int)cfg.log_level <= VADSP_LOG_DEBUG);
		for (unsigned int i = 0; i < cfg.num_guests; i++) {
			const struct vadspd_guest_config *g = &cfg.guests[i];

			CHECK(name_ok(g->name));
			CHECK(g->socket && *g->socket &&
			      strlen(g->socket) <= VADSPD_SOCKET_PATH_MAX);
			CHECK(g->line >= 1 && g->line <= lines && g->socket_line <= lines);
			CHECK(!g->topology || *g->topology);
			CHECK(g->max_connections >= 1 &&
			      g->max_connections <= VADSPD_CONNECTIONS_MAX);
			CHECK(g->queue_size >= 16 && g->queue_size <= VADSPD_QUEUE_SIZE_MAX &&
			      !(g->queue_size & (g->queue_size - 1)));
			CHECK(!g->desc);
			CHECK(!cfg.mgmt_socket || strcmp(cfg.mgmt_socket, g->socket));
			for (unsigned int j = 0; j < i; j++) {
				CHECK(strcmp(cfg.guests[j].socket, g->socket));
				CHECK(strcmp(cfg.guests[j].name, g->name));
			}
		}
		for (unsigned int i = 0; i < cfg.num_dais; i++) {
			CHECK(*cfg.dais[i].name && cfg.dais[i].line <= lines);
			CHECK(io_spec_parse(cfg.dais[i].spec, &spec) == 0);
			for (unsigned int j = 0; j < i; j++)
				CHECK(strcmp(cfg.dais[j].name, cfg.dais[i].name));
		}
	}
	vadspd_config_free(&cfg);
	return 0;
}
