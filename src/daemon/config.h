/* SPDX-License-Identifier: MIT */
/*
 * vadspd's configuration: which guests it serves (each with its name, vhost-user socket,
 * guest topology and limits), the host topology with the endpoint of each host DAI, and
 * daemon settings (log level, management socket). docs/configuration.md is the reference
 * for the file format; in short:
 *
 *   # comment
 *   [daemon]
 *   log-level = info
 *   mgmt-socket = /run/vadsp/mgmt.sock
 *
 *   [host]
 *   topology = /usr/share/vadsp/topology/host.tplg
 *   dai.DAI0.OUT = file:/var/lib/vadsp/out.wav
 *
 *   [guest vm1]
 *   socket = /run/vadsp/vm1.sock
 *   topology = /usr/share/vadsp/topology/stereo.tplg
 *   controls = yes
 *
 * Two stages, so that the parser can be fuzzed without touching files:
 * vadspd_config_parse() reads the text (syntax, keys, values, sections, cross-checks
 * between lines) and vadspd_config_check() loads what the lines name (the guest topologies,
 * the host topology and its DAIs). Both fail on the first problem with a message
 * "FILE:LINE: what is wrong", before the daemon listens anywhere.
 */
#ifndef VADSP_DAEMON_CONFIG_H
#define VADSP_DAEMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/log.h"

struct vsnd_card_desc;

/* Bounds of the file format. */
#define VADSPD_CONFIG_FILE_MAX		(1u << 20)	/* bytes */
#define VADSPD_CONFIG_LINE_MAX		4096u		/* bytes per line (no newline) */
#define VADSPD_CONFIG_GUESTS_MAX	64u
#define VADSPD_CONFIG_DAIS_MAX		64u
#define VADSPD_GUEST_NAME_MAX		32u		/* characters */
#define VADSPD_SOCKET_PATH_MAX		107u		/* what fits sockaddr_un */

/* Largest queue size a guest may be given (the sound device's own limit). */
#define VADSPD_QUEUE_SIZE_MAX		1024u
/* Most connections one guest socket may be given. */
#define VADSPD_CONNECTIONS_MAX		64u

/**
 * struct vadspd_guest_config - one guest
 * @name: its name (letters, digits, '-', '_', '.'; at most VADSPD_GUEST_NAME_MAX)
 * @socket: the vhost-user socket vadspd listens on for it (NULL: --fd serves it)
 * @topology: its guest topology file, or NULL for the empty card
 * @controls: offer VIRTIO_SND_F_CTLS
 * @allow_unsealed_memory: accept guest memory not sealed against shrinking
 * @max_connections: connections served at once on @socket (more are refused)
 * @max_streams: largest number of streams its topology may give (0: no limit)
 * @queue_size: largest virtqueue size accepted (a power of two, at most 1024)
 * @line: line of its section header
 * @socket_line: line of socket= (0 when not from a file)
 * @topology_line: line of topology= (0 when not from a file)
 * @max_streams_line: line of max-streams= (0 when not given)
 * @sof: offer the SOF IPC3 extension (docs/protocol.md section 4); needs @topology and the
 *       host DSP ([host] with its topology and DAI endpoints)
 * @sof_line: line of sof= (0 when not from a file)
 * @desc: the card of @topology, set by vadspd_config_check() (NULL: empty card)
 */
struct vadspd_guest_config {
	char name[VADSPD_GUEST_NAME_MAX + 1];
	char *socket;
	char *topology;
	bool controls;
	bool allow_unsealed_memory;
	unsigned int max_connections;
	unsigned int max_streams;
	unsigned int queue_size;
	unsigned int line;
	unsigned int socket_line;
	unsigned int topology_line;
	unsigned int max_streams_line;
	bool sof;
	unsigned int sof_line;
	struct vsnd_card_desc *desc;
};

/**
 * struct vadspd_dai_config - the endpoint of one host DAI
 * @name: the DAI widget's name in the host topology
 * @spec: the endpoint spec string (src/io/io.h: null, file:PATH, alsa:PCM, pipewire...)
 * @line: its line
 */
struct vadspd_dai_config {
	char *name;
	char *spec;
	unsigned int line;
};

/**
 * struct vadspd_config - the whole configuration
 * @path: the file it came from (for messages), or NULL for the command line
 * @log_level: [daemon] log-level
 * @has_log_level: @log_level was given
 * @mgmt_socket: [daemon] mgmt-socket, or NULL for none
 * @mgmt_socket_line: its line
 * @host_topology: [host] topology, or NULL
 * @host_topology_line: its line
 * @host_line: line of the [host] header (0: no such section)
 * @dais: [host] dai.NAME entries, in file order
 * @num_dais: how many
 * @guests: the guests, in file order
 * @num_guests: how many
 */
struct vadspd_config {
	char *path;
	enum vadsp_log_level log_level;
	bool has_log_level;
	char *mgmt_socket;
	unsigned int mgmt_socket_line;
	char *host_topology;
	unsigned int host_topology_line;
	unsigned int host_line;
	struct vadspd_dai_config *dais;
	unsigned int num_dais;
	struct vadspd_guest_config *guests;
	unsigned int num_guests;
};

/**
 * vadspd_config_parse() - parse the text of a configuration file
 * @cfg: filled in (free with vadspd_config_free(), also after a failure)
 * @text: the file's bytes (need not be NUL-terminated)
 * @len: their number
 * @path: the file name used in messages
 * @err: receives "PATH:LINE: message" on failure
 * @err_len: size of @err
 *
 * Nothing is opened: topology files are only named here.
 *
 * Return: 0; -EINVAL with @err filled in; -ENOMEM.
 */
int vadspd_config_parse(struct vadspd_config *cfg, const char *text, size_t len,
			const char *path, char *err, size_t err_len);

/**
 * vadspd_config_load() - read and parse a configuration file
 * @cfg: filled in (free with vadspd_config_free(), also after a failure)
 * @path: the file
 * @err: receives "PATH: message" or "PATH:LINE: message" on failure
 * @err_len: size of @err
 *
 * Return: 0, -EFBIG above VADSPD_CONFIG_FILE_MAX, the -errno of reading it, or
 * vadspd_config_parse()'s errors.
 */
int vadspd_config_load(struct vadspd_config *cfg, const char *path, char *err, size_t err_len);

/**
 * vadspd_config_add_guest() - add a guest that does not come from a file (the command line)
 * @cfg: the configuration
 * @name: its name
 * @socket: its socket path (copied), or NULL
 * @topology: its topology file (copied), or NULL
 *
 * The guest gets the defaults (see docs/configuration.md); its fields may be set afterwards.
 *
 * Return: the guest, or NULL when out of memory or VADSPD_CONFIG_GUESTS_MAX is reached.
 */
struct vadspd_guest_config *vadspd_config_add_guest(struct vadspd_config *cfg, const char *name,
						    const char *socket, const char *topology);

/**
 * vadspd_config_check() - load and check what the configuration names
 * @cfg: a parsed configuration
 * @err: receives "PATH:LINE: message" (or just the message for the command line)
 * @err_len: size of @err
 *
 * Loads every guest's topology into its card description (each guest's @desc), checking
 * max-streams, and the host topology, checking that every dai.NAME names a DAI widget of
 * it. On failure the descriptions loaded so far stay for vadspd_config_free().
 *
 * Return: 0, or a -errno with @err filled in.
 */
int vadspd_config_check(struct vadspd_config *cfg, char *err, size_t err_len);

/**
 * vadspd_config_free() - free everything the configuration holds (not @cfg itself)
 */
void vadspd_config_free(struct vadspd_config *cfg);

/**
 * vadspd_log_level_parse() - "error", "warning", "info" or "debug"
 * @s: the name
 * @level: set on success
 *
 * Return: 0, or -EINVAL for any other string.
 */
int vadspd_log_level_parse(const char *s, enum vadsp_log_level *level);

#endif /* VADSP_DAEMON_CONFIG_H */
