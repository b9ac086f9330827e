// SPDX-License-Identifier: MIT
/*
 * `vadsp top MGMT-SOCKET [--once]`: a live view of vadspd from its management socket: every
 * guest, its connections, and each connection's streams with state, parameters, position
 * and xruns. Each refresh sends {"cmd":"list"} and prints the reply as a table, then, when
 * the shared DSP runs, {"cmd":"levels"}: peak and RMS per channel of every host DAI endpoint
 * and guest stream over the last 100 ms. A DSP-aware guest's stream (the SOF IPC3
 * extension, "sof":true) is named "SOF comp N" after its host component; its state is the
 * SOF one its triggers left (PREPARE, ACTIVE, PAUSED).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "vadsp.h"
#include "daemon/json.h"
#include "daemon/mgmt.h"

#define TOP_TIMEOUT_MS	5000

static void top_help(FILE *out)
{
	fputs("Usage: vadsp top [OPTION]... MGMT-SOCKET\n"
	      "Show what vadspd is doing, from its management socket (vadspd --mgmt-socket, or\n"
	      "mgmt-socket in its configuration): every guest, its connections, and their\n"
	      "streams with state, format, rate, channels, position (frames), messages pending\n"
	      "and xruns; with vadspd's shared DSP, the peak and RMS level (dBFS) per channel of\n"
	      "each host DAI endpoint and guest stream over the last 100 ms. A DSP-aware guest's\n"
	      "streams (SOF IPC3 extension) show as 'SOF comp N' (N: the guest's host component)\n"
	      "with the SOF states PREPARE, ACTIVE and PAUSED. Refreshes every second until\n"
	      "interrupted.\n"
	      "\n"
	      "  -1, --once            print once and exit\n"
	      "  -d, --delay=SECONDS   seconds between refreshes (default 1)\n"
	      "  -h, --help            print this help and exit\n"
	      "\n"
	      "Exit status: 0 success, 1 failure (no daemon, an error reply), 2 usage error.\n",
	      out);
}

static int top_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

/* Send a request line and read the reply line into *@buf (grown as needed). */
static int top_ask(int fd, const char *req, char **buf, size_t *cap, size_t *len)
{
	size_t n = strlen(req), off = 0;

	while (off < n) {
		ssize_t w = send(fd, req + off, n - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		off += (size_t)w;
	}
	*len = 0;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		char *nl;
		ssize_t r;
		int ret;

		if (*len + 4096 > *cap) {
			size_t c = *cap ? *cap * 2 : 65536;
			char *b;

			if (c > MGMT_REPLY_MAX + 65536)
				return -EMSGSIZE;
			b = realloc(*buf, c);
			if (!b)
				return -ENOMEM;
			*buf = b;
			*cap = c;
		}
		ret = poll(&pfd, 1, TOP_TIMEOUT_MS);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return -errno;
		if (ret == 0)
			return -ETIMEDOUT;
		r = recv(fd, *buf + *len, *cap - *len - 1, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ECONNRESET;
		nl = memchr(*buf + *len, '\n', (size_t)r);
		*len += (size_t)r;
		if (nl) {
			*len = (size_t)(nl - *buf);
			(*buf)[*len] = '\0';
			return 0;
		}
	}
}

/* Member @key of object @obj as a string ("-" when absent or not a string). */
static const char *str_of(const struct json_doc *d, int obj, const char *key, char *buf,
			  size_t size)
{
	int t = obj < 0 ? -1 : json_obj_get(d, (uint32_t)obj, key);

	if (t < 0 || json_string(d, (uint32_t)t, buf, size) < 0)
		snprintf(buf, size, "-");
	return buf;
}

static int64_t int_of(const struct json_doc *d, int obj, const char *key)
{
	int t = obj < 0 ? -1 : json_obj_get(d, (uint32_t)obj, key);
	int64_t v = -1;

	if (t < 0 || json_int(d, (uint32_t)t, &v) < 0)
		return -1;
	return v;
}

/* A number column: "-" for a value the reply did not have. */
static const char *num(int64_t v, char *buf, size_t size)
{
	if (v < 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%" PRId64, v);
	return buf;
}

/* A stream's name: a SOF IPC3 guest's stream ("sof":true) by its host component. */
static const char *stream_name(const struct json_doc *d, int s, char *buf, size_t size)
{
	int sof = s < 0 ? -1 : json_obj_get(d, (uint32_t)s, "sof");

	if (sof >= 0 && d->toks[sof].type == JSON_TRUE) {
		snprintf(buf, size, "SOF comp %" PRId64, int_of(d, s, "comp_id"));
		return buf;
	}
	return str_of(d, s, "name", buf, size);
}

static void print_stream(const struct json_doc *d, int s)
{
	int params = json_obj_get(d, (uint32_t)s, "params");
	char name[64], dir[16], state[16], format[16], n[6][24], ans[24];
	int64_t rate = -1, ch = -1, frames = int_of(d, s, "frames");
	int64_t ans_us = int_of(d, s, "answer_max_us");

	if (params >= 0 && d->toks[params].type == JSON_OBJECT) {
		str_of(d, params, "format", format, sizeof(format));
		rate = int_of(d, params, "rate");
		ch = int_of(d, params, "channels");
	} else {
		snprintf(format, sizeof(format), "-");
	}
	/* the longest the guest took to answer a completion, in ms */
	if (ans_us < 0)
		snprintf(ans, sizeof(ans), "-");
	else
		snprintf(ans, sizeof(ans), "%.1f", (double)ans_us / 1000.0);
	printf(" %3s %-16.16s %-8s %-10s %-6s %6s %3s %12s %9.3f %5s %5s %7s\n",
	       num(int_of(d, s, "id"), n[0], sizeof(n[0])), stream_name(d, s, name, sizeof(name)),
	       str_of(d, s, "direction", dir, sizeof(dir)),
	       str_of(d, s, "state", state, sizeof(state)), format,
	       num(rate, n[1], sizeof(n[1])), num(ch, n[2], sizeof(n[2])),
	       num(frames, n[3], sizeof(n[3])),
	       rate > 0 && frames >= 0 ? (double)frames / (double)rate : 0.0,
	       num(int_of(d, s, "pending"), n[4], sizeof(n[4])),
	       num(int_of(d, s, "xruns"), n[5], sizeof(n[5])), ans);
}

static int top_render(const char *text, size_t len)
{
	size_t max = len / 2 + 4;
	struct json_tok *toks = calloc(max, sizeof(*toks));
	struct json_doc d;
	char err[160], name[64], buf[256];
	int guests, ret;
	time_t now = time(NULL);
	struct tm tm;

	if (!toks)
		return -ENOMEM;
	ret = json_parse(&d, text, len, toks, (uint32_t)max, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "vadsp top: the daemon's reply is not JSON: %s\n", err);
		goto out;
	}
	if (toks[0].type != JSON_OBJECT) {
		fprintf(stderr, "vadsp top: the daemon's reply is not an object\n");
		ret = -EPROTO;
		goto out;
	}
	if (json_obj_get(&d, 0, "error") >= 0) {
		fprintf(stderr, "vadsp top: the daemon answered: %s\n",
			str_of(&d, 0, "error", buf, sizeof(buf)));
		ret = -EPROTO;
		goto out;
	}
	guests = json_obj_get(&d, 0, "guests");
	if (guests < 0 || toks[guests].type != JSON_ARRAY) {
		fprintf(stderr, "vadsp top: the daemon's reply has no guest list\n");
		ret = -EPROTO;
		goto out;
	}
	localtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	printf("vadspd: %u guest%s at %s\n", toks[guests].size, toks[guests].size == 1 ? "" : "s",
	       buf);
	printf("%-16s %5s %3s %-16s %-8s %-10s %-6s %6s %3s %12s %9s %5s %5s %7s\n", "GUEST",
	       "CONN", "ID", "STREAM", "DIR", "STATE", "FORMAT", "RATE", "CH", "FRAMES", "SECONDS",
	       "PEND", "XRUNS", "ANSWER");
	for (uint32_t i = 0; i < toks[guests].size; i++) {
		int g = json_arr_get(&d, (uint32_t)guests, i);
		int conns = json_obj_get(&d, (uint32_t)g, "connections");
		uint32_t nconn = conns >= 0 && toks[conns].type == JSON_ARRAY ?
				 toks[conns].size : 0;

		str_of(&d, g, "name", name, sizeof(name));
		if (!nconn) {
			printf("%-16s %5s     (not connected; %" PRId64 " refused)\n", name, "-",
			       int_of(&d, g, "refused"));
			continue;
		}
		for (uint32_t k = 0; k < nconn; k++) {
			int c = json_arr_get(&d, (uint32_t)conns, k);
			int streams = json_obj_get(&d, (uint32_t)c, "streams");
			uint32_t ns = streams >= 0 && toks[streams].type == JSON_ARRAY ?
				      toks[streams].size : 0;

			if (!ns)
				printf("%-16s %5" PRId64 "     (no streams)\n", name,
				       int_of(&d, c, "id"));
			for (uint32_t s = 0; s < ns; s++) {
				printf("%-16s %5" PRId64, name, int_of(&d, c, "id"));
				print_stream(&d, json_arr_get(&d, (uint32_t)streams, s));
			}
		}
	}
	fflush(stdout);
	ret = 0;
out:
	free(toks);
	return ret;
}

/* A meter object's figures: "peak/rms" in dBFS per channel ("-inf" for silence) and clips. */
static void level_text(const struct json_doc *d, int lvl, char *out, size_t size)
{
	int peak = lvl >= 0 ? json_obj_get(d, (uint32_t)lvl, "peak_dbfs_centi") : -1;
	int rms = lvl >= 0 ? json_obj_get(d, (uint32_t)lvl, "rms_dbfs_centi") : -1;
	size_t n = 0;

	if (lvl < 0 || d->toks[lvl].type != JSON_OBJECT || peak < 0 || rms < 0 ||
	    d->toks[peak].type != JSON_ARRAY || d->toks[rms].type != JSON_ARRAY) {
		snprintf(out, size, "-");
		return;
	}
	if (int_of(d, lvl, "windows") <= 0) {
		snprintf(out, size, "(measuring)");
		return;
	}
	out[0] = '\0';
	for (uint32_t c = 0; c < d->toks[peak].size && n < size; c++) {
		int64_t v[2];
		char t[2][16];

		for (int k = 0; k < 2; k++) {
			int e = json_arr_get(d, (uint32_t)(k ? rms : peak), c);

			if (e < 0 || json_int(d, (uint32_t)e, &v[k]) < 0)
				snprintf(t[k], sizeof(t[k]), "-inf");
			else
				snprintf(t[k], sizeof(t[k]), "%.2f", (double)v[k] / 100.0);
		}
		n += (size_t)snprintf(out + n, size - n, "%s%s/%s", c ? "  " : "", t[0], t[1]);
	}
	if (n < size)
		snprintf(out + n, size - n, "  clipped %" PRId64, int_of(d, lvl, "clipped_total"));
}

/* The "levels" reply as a table: host DAI endpoints, then guest streams with a meter. */
static int top_render_levels(const char *text, size_t len)
{
	size_t max = len / 2 + 4;
	struct json_tok *toks = calloc(max, sizeof(*toks));
	struct json_doc d;
	char err[160], name[64], dir[16], levels[512];
	int dais, guests, ret;

	if (!toks)
		return -ENOMEM;
	ret = json_parse(&d, text, len, toks, (uint32_t)max, err, sizeof(err));
	if (ret < 0 || toks[0].type != JSON_OBJECT || json_obj_get(&d, 0, "error") >= 0) {
		/* No shared DSP (or an older daemon): no levels to show. */
		free(toks);
		return 0;
	}
	dais = json_obj_get(&d, 0, "dais");
	guests = json_obj_get(&d, 0, "guests");
	printf("\n%-16s %5s %3s %-16s %-8s %s\n", "LEVELS", "CONN", "ID", "NAME", "DIR",
	       "PEAK/RMS dBFS per channel (last 100 ms)");
	for (uint32_t i = 0; dais >= 0 && toks[dais].type == JSON_ARRAY && i < toks[dais].size;
	     i++) {
		int a = json_arr_get(&d, (uint32_t)dais, i);

		level_text(&d, json_obj_get(&d, (uint32_t)a, "level"), levels, sizeof(levels));
		printf("%-16s %5s %3s %-16.16s %-8s %s\n", "host", "-", "-",
		       str_of(&d, a, "name", name, sizeof(name)),
		       str_of(&d, a, "direction", dir, sizeof(dir)), levels);
	}
	for (uint32_t i = 0; guests >= 0 && toks[guests].type == JSON_ARRAY &&
	     i < toks[guests].size; i++) {
		int g = json_arr_get(&d, (uint32_t)guests, i);
		int conns = json_obj_get(&d, (uint32_t)g, "connections");
		char gname[64];

		str_of(&d, g, "name", gname, sizeof(gname));
		for (uint32_t k = 0; conns >= 0 && toks[conns].type == JSON_ARRAY &&
		     k < toks[conns].size; k++) {
			int c = json_arr_get(&d, (uint32_t)conns, k);
			int streams = json_obj_get(&d, (uint32_t)c, "streams");

			for (uint32_t s = 0; streams >= 0 && toks[streams].type == JSON_ARRAY &&
			     s < toks[streams].size; s++) {
				int st = json_arr_get(&d, (uint32_t)streams, s);
				int lvl = json_obj_get(&d, (uint32_t)st, "level");
				char n[2][24];

				if (lvl < 0 || toks[lvl].type != JSON_OBJECT)
					continue;
				level_text(&d, lvl, levels, sizeof(levels));
				printf("%-16s %5s %3s %-16.16s %-8s %s\n", gname,
				       num(int_of(&d, c, "id"), n[0], sizeof(n[0])),
				       num(int_of(&d, st, "id"), n[1], sizeof(n[1])),
				       stream_name(&d, st, name, sizeof(name)),
				       str_of(&d, st, "direction", dir, sizeof(dir)), levels);
			}
		}
	}
	fflush(stdout);
	free(toks);
	return 0;
}

static int top_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, '1' },
		{ "delay", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool once = false, tty = isatty(STDOUT_FILENO);
	double delay = 1.0;
	size_t cap = 0, len = 0;
	char *buf = NULL, *end;
	int ch, fd, ret;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":1d:h", longopts, NULL)) != -1) {
		switch (ch) {
		case '1':
			once = true;
			break;
		case 'd':
			errno = 0;
			delay = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(delay >= 0.1) || delay > 3600) {
				fprintf(stderr, "vadsp top: --delay: '%s' is not 0.1 to 3600 "
					"seconds\n", optarg);
				return VADSP_EXIT_USAGE;
			}
			break;
		case 'h':
			top_help(stdout);
			return VADSP_EXIT_OK;
		case ':':
			fprintf(stderr, "vadsp top: option '%s' needs a value\n", argv[optind - 1]);
			return VADSP_EXIT_USAGE;
		default:
			fprintf(stderr, "vadsp top: unknown option '%s' (see --help)\n",
				argv[optind - 1]);
			return VADSP_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "vadsp top: give the MGMT-SOCKET (see --help)\n");
		return VADSP_EXIT_USAGE;
	}
	fd = top_connect(argv[optind]);
	if (fd < 0) {
		fprintf(stderr, "vadsp top: %s: %s\n", argv[optind], strerror(-fd));
		return VADSP_EXIT_FAIL;
	}
	for (;;) {
		struct timespec ts = {
			.tv_sec = (time_t)delay,
			.tv_nsec = (long)((delay - (double)(time_t)delay) * 1e9),
		};

		ret = top_ask(fd, "{\"cmd\":\"list\"}\n", &buf, &cap, &len);
		if (ret < 0) {
			fprintf(stderr, "vadsp top: %s: %s\n", argv[optind],
				ret == -ECONNRESET ? "the daemon closed the connection" :
						     strerror(-ret));
			break;
		}
		if (!once && tty)
			fputs("\033[H\033[2J", stdout);
		ret = top_render(buf, len);
		if (ret == 0) {
			ret = top_ask(fd, "{\"cmd\":\"levels\"}\n", &buf, &cap, &len);
			if (ret == 0)
				ret = top_render_levels(buf, len);
			if (ret < 0)
				fprintf(stderr, "vadsp top: %s: levels: %s\n", argv[optind],
					strerror(-ret));
		}
		if (ret < 0 || once)
			break;
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	free(buf);
	close(fd);
	return ret < 0 ? VADSP_EXIT_FAIL : VADSP_EXIT_OK;
}

const struct vadsp_cmd vadsp_cmd_top = {
	.name = "top",
	.summary = "a live view of vadspd's guests and streams (management socket)",
	.run = top_run,
	.help = top_help,
};
