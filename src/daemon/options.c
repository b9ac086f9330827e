// SPDX-License-Identifier: MIT
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/config.h"
#include "daemon/options.h"

enum {
	OPT_SOCKET_PATH = 256,
	OPT_FD,
	OPT_PRINT_CAPABILITIES,
	OPT_CONTROLS,
	OPT_SOF,
	OPT_TOPOLOGY,
	OPT_ALLOW_UNSEALED,
	OPT_CONFIG,
	OPT_MGMT_SOCKET,
	OPT_LOG_LEVEL,
};

static const struct option long_options[] = {
	{ "socket-path", required_argument, NULL, OPT_SOCKET_PATH },
	{ "fd", required_argument, NULL, OPT_FD },
	{ "print-capabilities", no_argument, NULL, OPT_PRINT_CAPABILITIES },
	{ "controls", no_argument, NULL, OPT_CONTROLS },
	{ "sof", no_argument, NULL, OPT_SOF },
	{ "topology", required_argument, NULL, OPT_TOPOLOGY },
	{ "allow-unsealed-memory", no_argument, NULL, OPT_ALLOW_UNSEALED },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "mgmt-socket", required_argument, NULL, OPT_MGMT_SOCKET },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void vadspd_print_help(FILE *out)
{
	fputs("Usage: vadspd --socket-path=PATH | --fd=FDNUM [OPTION]...\n"
	      "       vadspd --config=FILE [--mgmt-socket=PATH] [--log-level=LEVEL]\n"
	      "Serve virtual audio devices to virtual machines as a vhost-user back-end for\n"
	      "QEMU's vhost-user-snd-pci device.\n"
	      "\n"
	      "  --config=FILE          serve the guests FILE describes, each on its own socket\n"
	      "                         with its own topology and limits (see vadspd(8) and\n"
	      "                         docs/configuration.md); excludes the guest options below\n"
	      "  --mgmt-socket=PATH     answer JSON management requests on the unix socket PATH\n"
	      "                         (overrides the configuration's mgmt-socket)\n"
	      "  --log-level=LEVEL      error, warning, info (default) or debug; overrides -v,\n"
	      "                         -q and the configuration's log-level\n"
	      "\n"
	      "One guest from the command line (without --config):\n"
	      "  --socket-path=PATH     listen on the unix socket PATH; every connection is a\n"
	      "                         guest with its own sound device\n"
	      "  --fd=FDNUM             serve the already connected socket FDNUM and exit when\n"
	      "                         it closes\n"
	      "  --controls             offer VIRTIO_SND_F_CTLS (start QEMU with the device\n"
	      "                         property controls=on exactly when this is given)\n"
	      "  --topology=FILE        give every guest the card of the guest topology FILE\n"
	      "                         (.tplg): its PCMs, controls, jacks and channel maps;\n"
	      "                         without it the card is empty\n"
	      "  --sof                  offer the SOF IPC3 extension (feature bit 23); it needs\n"
	      "                         the host DSP, so only a guest of --config can use it\n"
	      "  --allow-unsealed-memory\n"
	      "                         accept guest memory that is not sealed against\n"
	      "                         shrinking (e.g. QEMU's memory-backend-file); only for\n"
	      "                         front-ends trusted not to truncate it while mapped\n"
	      "  --print-capabilities   print the back-end's capabilities as JSON and exit\n"
	      "  -v, --verbose          also log debug messages (every vhost-user request)\n"
	      "  -q, --quiet            log only warnings and errors\n"
	      "  -h, --help             print this help and exit\n"
	      "  -V, --version          print the version and exit\n"
	      "\n"
	      "vadspd stays in the foreground and exits cleanly on SIGTERM or SIGINT.\n"
	      "Exit status: 0 on a clean exit, 1 on a runtime failure, 2 on a usage error.\n",
	      out);
}

static int parse_fd(const char *s, int *fd)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > INT_MAX)
		return -EINVAL;
	*fd = (int)v;
	return 0;
}

int vadspd_parse_options(struct vadspd_options *opts, int argc, char **argv, FILE *err)
{
	int c;

	memset(opts, 0, sizeof(*opts));
	opts->action = VADSPD_RUN;
	opts->fd = -1;
	opts->verbosity = 1;
	opts->log_level = -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vqhV", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_SOCKET_PATH:
			if (!*optarg) {
				fprintf(err, "vadspd: --socket-path needs a non-empty path\n");
				return -EINVAL;
			}
			opts->socket_path = optarg;
			break;
		case OPT_FD:
			if (parse_fd(optarg, &opts->fd)) {
				fprintf(err, "vadspd: --fd: '%s' is not a file descriptor number\n",
					optarg);
				return -EINVAL;
			}
			break;
		case OPT_PRINT_CAPABILITIES:
			opts->action = VADSPD_PRINT_CAPABILITIES;
			break;
		case OPT_CONTROLS:
			opts->device.controls = true;
			break;
		case OPT_SOF:
			opts->device.sof = true;
			break;
		case OPT_TOPOLOGY:
			if (!*optarg) {
				fprintf(err, "vadspd: --topology needs a file name\n");
				return -EINVAL;
			}
			opts->device.topology = optarg;
			break;
		case OPT_ALLOW_UNSEALED:
			opts->allow_unsealed_memory = true;
			break;
		case OPT_CONFIG:
			if (!*optarg) {
				fprintf(err, "vadspd: --config needs a file name\n");
				return -EINVAL;
			}
			opts->config = optarg;
			break;
		case OPT_MGMT_SOCKET:
			if (!*optarg || strlen(optarg) > VADSPD_SOCKET_PATH_MAX) {
				fprintf(err, "vadspd: --mgmt-socket needs a path of 1 to %u "
					"bytes\n", VADSPD_SOCKET_PATH_MAX);
				return -EINVAL;
			}
			opts->mgmt_socket = optarg;
			break;
		case OPT_LOG_LEVEL: {
			enum vadsp_log_level level;

			if (vadspd_log_level_parse(optarg, &level) < 0) {
				fprintf(err, "vadspd: --log-level: '%s' is not error, warning, "
					"info or debug\n", optarg);
				return -EINVAL;
			}
			opts->log_level = (int)level;
			break;
		}
		case 'v':
			opts->verbosity++;
			opts->verbosity_given = true;
			break;
		case 'q':
			opts->verbosity = 0;
			opts->verbosity_given = true;
			break;
		case 'h':
			opts->action = VADSPD_HELP;
			return 0;
		case 'V':
			opts->action = VADSPD_VERSION;
			return 0;
		case ':':
			fprintf(err, "vadspd: option '%s' needs an argument\n", argv[optind - 1]);
			return -EINVAL;
		default:
			fprintf(err, "vadspd: unknown option '%s' (see --help)\n",
				argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(err, "vadspd: unexpected argument '%s' (see --help)\n", argv[optind]);
		return -EINVAL;
	}
	if (opts->action != VADSPD_RUN)
		return 0;
	if (opts->config) {
		const char *other = opts->socket_path ? "--socket-path" :
				    opts->fd >= 0 ? "--fd" :
				    opts->device.topology ? "--topology" :
				    opts->device.controls ? "--controls" :
				    opts->device.sof ? "--sof" :
				    opts->allow_unsealed_memory ? "--allow-unsealed-memory" : NULL;

		if (other) {
			fprintf(err, "vadspd: %s is a guest's setting: with --config, set it in "
				"the guest's section of the file\n", other);
			return -EINVAL;
		}
		return 0;
	}
	if (opts->socket_path && opts->fd >= 0) {
		fprintf(err, "vadspd: --socket-path and --fd exclude each other\n");
		return -EINVAL;
	}
	if (!opts->socket_path && opts->fd < 0) {
		fprintf(err, "vadspd: give --socket-path=PATH, --fd=FDNUM or --config=FILE "
			"(see --help)\n");
		return -EINVAL;
	}
	return 0;
}

enum vadsp_log_level vadspd_options_log_level(const struct vadspd_options *opts,
					      int config_level)
{
	static const enum vadsp_log_level by_verbosity[] = {
		VADSP_LOG_WARN, VADSP_LOG_INFO, VADSP_LOG_DEBUG,
	};

	if (opts->log_level >= 0)
		return (enum vadsp_log_level)opts->log_level;
	if (opts->verbosity_given)
		return by_verbosity[VADSP_MIN(opts->verbosity, 2)];
	if (config_level >= 0)
		return (enum vadsp_log_level)config_level;
	return VADSP_LOG_INFO;
}
