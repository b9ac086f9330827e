// SPDX-License-Identifier: MIT
/*
 * vadspd's configuration file: a line-oriented, INI-like format (docs/configuration.md).
 *
 * The parser walks the text line by line with explicit bounds: a line is at most
 * VADSPD_CONFIG_LINE_MAX bytes, the file at most VADSPD_CONFIG_FILE_MAX, a NUL byte is
 * refused. Each line is a comment, blank, a section header or KEY = VALUE. Keys are looked
 * up in one table per section kind ({key, kind of value, where it goes}); the first problem
 * ends the parse with "FILE:LINE: message". Checks that need the whole file (a guest
 * without a socket, two guests on one socket) run after the last line and name the line
 * that is wrong.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/config.h"
#include "io/io.h"
#include "snd/card.h"
#include "tplg/tplg.h"
#include "tplg/wire.h"
#include "util/compiler.h"

/* Defaults of a guest (docs/configuration.md). */
#define GUEST_DEFAULT_CONNECTIONS	1u
#define GUEST_DEFAULT_QUEUE_SIZE	1024u

enum section_kind {
	SECTION_NONE,
	SECTION_DAEMON,
	SECTION_HOST,
	SECTION_GUEST,
};

static const char *const section_names[] = {
	[SECTION_NONE] = "",
	[SECTION_DAEMON] = "daemon",
	[SECTION_HOST] = "host",
	[SECTION_GUEST] = "guest",
};

enum value_kind {
	VALUE_PATH,		/* a non-empty file name */
	VALUE_SOCKET,		/* a path that fits sockaddr_un */
	VALUE_BOOL,
	VALUE_UINT,		/* decimal, within [min, max] */
	VALUE_POW2,		/* a power of two within [min, max] */
	VALUE_LOG_LEVEL,
};

/* Where a key's value goes: which struct (by section) and the field's offset. */
struct key_desc {
	const char *key;
	enum value_kind kind;
	size_t offset;			/* in struct vadspd_config or vadspd_guest_config */
	size_t line_offset;		/* where its line number goes, or SIZE_MAX */
	unsigned int min;
	unsigned int max;
};

#define NO_LINE SIZE_MAX

#define KEY(k, kind_, field, line_field) \
	{ .key = (k), .kind = (kind_), .offset = (field), .line_offset = (line_field) }
#define KEY_RANGE(k, kind_, field, line_field, lo, hi) \
	{ .key = (k), .kind = (kind_), .offset = (field), .line_offset = (line_field), \
	  .min = (lo), .max = (hi) }
#define CFG(f)		offsetof(struct vadspd_config, f)
#define GUEST(f)	offsetof(struct vadspd_guest_config, f)

static const struct key_desc daemon_keys[] = {
	KEY("log-level", VALUE_LOG_LEVEL, CFG(log_level), NO_LINE),
	KEY("mgmt-socket", VALUE_SOCKET, CFG(mgmt_socket), CFG(mgmt_socket_line)),
};

static const struct key_desc host_keys[] = {
	KEY("topology", VALUE_PATH, CFG(host_topology), CFG(host_topology_line)),
};

static const struct key_desc guest_keys[] = {
	KEY("socket", VALUE_SOCKET, GUEST(socket), GUEST(socket_line)),
	KEY("topology", VALUE_PATH, GUEST(topology), GUEST(topology_line)),
	KEY("controls", VALUE_BOOL, GUEST(controls), NO_LINE),
	KEY("allow-unsealed-memory", VALUE_BOOL, GUEST(allow_unsealed_memory), NO_LINE),
	KEY_RANGE("max-connections", VALUE_UINT, GUEST(max_connections), NO_LINE, 1,
		  VADSPD_CONNECTIONS_MAX),
	KEY_RANGE("max-streams", VALUE_UINT, GUEST(max_streams), GUEST(max_streams_line), 1,
		  VSND_MAX_STREAMS),
	KEY_RANGE("queue-size", VALUE_POW2, GUEST(queue_size), NO_LINE, 16,
		  VADSPD_QUEUE_SIZE_MAX),
	KEY("sof", VALUE_BOOL, GUEST(sof), GUEST(sof_line)),
};

static const char *const log_level_names[] = {
	[VADSP_LOG_ERROR] = "error",
	[VADSP_LOG_WARN] = "warning",
	[VADSP_LOG_INFO] = "info",
	[VADSP_LOG_DEBUG] = "debug",
};

/* The parser's state. */
struct cfg_parser {
	struct vadspd_config *cfg;
	const char *path;
	char *err;
	size_t err_len;
	unsigned int line;
	enum section_kind section;
	struct vadspd_guest_config *guest;	/* the current [guest NAME] */
	unsigned int daemon_line;
	/* Lines of the keys seen in the current section (0: not yet), indexed like its table,
	 * and the dai.NAME keys of [host] are checked against cfg->dais. */
	unsigned int seen[16];
};

static int VADSP_PRINTF(5, 0) fail_at(char *err, size_t err_len, const char *path,
				      unsigned int line, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (!path)
		snprintf(err, err_len, "%s", msg);
	else if (line)
		snprintf(err, err_len, "%s:%u: %s", path, line, msg);
	else
		snprintf(err, err_len, "%s: %s", path, msg);
	return -EINVAL;
}

static int VADSP_PRINTF(3, 4) fail(struct cfg_parser *p, unsigned int line, const char *fmt,
				   ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fail_at(p->err, p->err_len, p->path, line, fmt, ap);
	va_end(ap);
	return ret;
}

/* Quote at most 60 bytes of a user string for a message, escaping what is not printable. */
static const char *quote(char *buf, size_t size, const char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 5 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == 60) {
			o += (size_t)snprintf(buf + o, size - o, "...");
			break;
		}
		if (c < 0x20 || c == 0x7f || c == '\\')
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static void trim(const char **s, size_t *len)
{
	while (*len && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

static bool guest_name_valid(const char *s, size_t len)
{
	if (len == 0 || len > VADSPD_GUEST_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

int vadspd_log_level_parse(const char *s, enum vadsp_log_level *level)
{
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(log_level_names); i++) {
		if (!strcmp(s, log_level_names[i])) {
			*level = (enum vadsp_log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

static void guest_defaults(struct vadspd_guest_config *g)
{
	g->max_connections = GUEST_DEFAULT_CONNECTIONS;
	g->queue_size = GUEST_DEFAULT_QUEUE_SIZE;
}

struct vadspd_guest_config *vadspd_config_add_guest(struct vadspd_config *cfg, const char *name,
						    const char *socket, const char *topology)
{
	struct vadspd_guest_config *arr, *g;

	if (cfg->num_guests >= VADSPD_CONFIG_GUESTS_MAX)
		return NULL;
	arr = realloc(cfg->guests, (cfg->num_guests + 1) * sizeof(*arr));
	if (!arr)
		return NULL;
	cfg->guests = arr;
	g = &arr[cfg->num_guests];
	memset(g, 0, sizeof(*g));
	guest_defaults(g);
	snprintf(g->name, sizeof(g->name), "%s", name);
	if ((socket && !(g->socket = strdup(socket))) ||
	    (topology && !(g->topology = strdup(topology)))) {
		free(g->socket);
		free(g->topology);
		return NULL;
	}
	cfg->num_guests++;
	return g;
}

/* --- one line */

static int parse_section(struct cfg_parser *p, const char *s, size_t len)
{
	char q[256];
	const char *name;
	size_t name_len, word_len;
	enum section_kind kind = SECTION_NONE;

	if (len < 2 || s[len - 1] != ']')
		return fail(p, p->line, "a section header must end with ']'");
	s++;
	len -= 2;
	trim(&s, &len);
	for (word_len = 0; word_len < len && !is_space(s[word_len]); word_len++)
		;
	for (size_t i = 1; i < VADSP_ARRAY_SIZE(section_names); i++)
		if (word_len == strlen(section_names[i]) &&
		    !memcmp(s, section_names[i], word_len))
			kind = (enum section_kind)i;
	if (kind == SECTION_NONE)
		return fail(p, p->line, "unknown section [%s] (known: [daemon], [host], "
			    "[guest NAME])", quote(q, sizeof(q), s, len));
	name = s + word_len;
	name_len = len - word_len;
	trim(&name, &name_len);
	memset(p->seen, 0, sizeof(p->seen));
	p->section = kind;
	p->guest = NULL;
	switch (kind) {
	case SECTION_DAEMON:
	case SECTION_HOST: {
		unsigned int *first = kind == SECTION_DAEMON ? &p->daemon_line : &p->cfg->host_line;

		if (name_len)
			return fail(p, p->line, "[%s] takes no name", section_names[kind]);
		if (*first)
			return fail(p, p->line, "[%s] appears twice (first at line %u)",
				    section_names[kind], *first);
		*first = p->line;
		return 0;
	}
	case SECTION_GUEST:
		break;
	default:
		return -EINVAL;
	}
	if (!name_len)
		return fail(p, p->line, "[guest] needs a name: [guest NAME]");
	if (!guest_name_valid(name, name_len))
		return fail(p, p->line, "guest name '%s' is not 1 to %u letters, digits, '-', "
			    "'_' or '.'", quote(q, sizeof(q), name, name_len),
			    VADSPD_GUEST_NAME_MAX);
	for (unsigned int i = 0; i < p->cfg->num_guests; i++) {
		const struct vadspd_guest_config *g = &p->cfg->guests[i];

		if (strlen(g->name) == name_len && !memcmp(g->name, name, name_len))
			return fail(p, p->line, "guest '%s' appears twice (first at line %u)",
				    g->name, g->line);
	}
	if (p->cfg->num_guests >= VADSPD_CONFIG_GUESTS_MAX)
		return fail(p, p->line, "more than %u guests", VADSPD_CONFIG_GUESTS_MAX);
	memcpy(q, name, name_len);
	q[name_len] = '\0';
	p->guest = vadspd_config_add_guest(p->cfg, q, NULL, NULL);
	if (!p->guest)
		return -ENOMEM;
	p->guest->line = p->line;
	return 0;
}

static int parse_uint(struct cfg_parser *p, const char *key, const char *v, unsigned int min,
		      unsigned int max, unsigned int *out)
{
	char q[128];
	unsigned long n = 0;
	size_t i;

	for (i = 0; v[i]; i++) {
		if (v[i] < '0' || v[i] > '9' || n > max)
			break;
		n = n * 10 + (unsigned long)(v[i] - '0');
	}
	if (i == 0 || v[i] || (v[0] == '0' && v[1]) || n < min || n > max)
		return fail(p, p->line, "%s: '%s' is not a whole number from %u to %u", key,
			    quote(q, sizeof(q), v, strlen(v)), min, max);
	*out = (unsigned int)n;
	return 0;
}

static int parse_value(struct cfg_parser *p, const struct key_desc *k, void *base,
		       const char *v)
{
	char q[128];
	void *field = (char *)base + k->offset;

	switch (k->kind) {
	case VALUE_SOCKET:
		if (strlen(v) > VADSPD_SOCKET_PATH_MAX)
			return fail(p, p->line, "%s: a socket path is at most %u bytes (this one "
				    "has %zu)", k->key, VADSPD_SOCKET_PATH_MAX, strlen(v));
		/* fall through */
	case VALUE_PATH: {
		char *copy = strdup(v);

		if (!copy)
			return -ENOMEM;
		*(char **)field = copy;
		return 0;
	}
	case VALUE_BOOL:
		if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") ||
		    !strcmp(v, "1")) {
			*(bool *)field = true;
			return 0;
		}
		if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off") ||
		    !strcmp(v, "0")) {
			*(bool *)field = false;
			return 0;
		}
		return fail(p, p->line, "%s: '%s' is not yes or no (or true/false, on/off, 1/0)",
			    k->key, quote(q, sizeof(q), v, strlen(v)));
	case VALUE_UINT:
	case VALUE_POW2: {
		unsigned int n = 0;
		int ret = parse_uint(p, k->key, v, k->min, k->max, &n);

		if (ret < 0)
			return ret;
		if (k->kind == VALUE_POW2 && (n & (n - 1)))
			return fail(p, p->line, "%s: %u is not a power of two", k->key, n);
		*(unsigned int *)field = n;
		return 0;
	}
	case VALUE_LOG_LEVEL:
		if (vadspd_log_level_parse(v, field) < 0)
			return fail(p, p->line, "%s: '%s' is not error, warning, info or debug",
				    k->key, quote(q, sizeof(q), v, strlen(v)));
		p->cfg->has_log_level = true;
		return 0;
	}
	return -EINVAL;
}

/* Endpoint kinds of src/io and what their spec takes (a mirror of their open checks). */
struct endpoint_kind {
	const char *kind;
	int arg;			/* 1 required, 0 optional, -1 forbidden */
	const char *what;		/* what the argument is */
	const char *const opts[3];	/* known options */
};

static const struct endpoint_kind endpoint_kinds[] = {
	{ "null", -1, NULL, { NULL } },
	{ "file", 1, "a WAV file", { "loop", NULL } },
	{ "alsa", 1, "an ALSA PCM name", { NULL } },
	{ "pipewire", 0, NULL, { "link", "name", NULL } },
	{ "loopback", 1, "a loopback name", { "delay", NULL } },
};

static const struct endpoint_kind *endpoint_kind_find(const char *kind)
{
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(endpoint_kinds); i++)
		if (!strcmp(endpoint_kinds[i].kind, kind))
			return &endpoint_kinds[i];
	return NULL;
}

static int check_endpoint(struct cfg_parser *p, const char *dai, const char *v)
{
	const struct endpoint_kind *k;
	struct io_spec *spec;
	char q[128];
	int ret;

	spec = malloc(sizeof(*spec));
	if (!spec)
		return -ENOMEM;
	ret = io_spec_parse(v, spec);
	if (ret < 0) {
		ret = fail(p, p->line, "dai.%s: '%s' is not an endpoint spec "
			   "KIND[:ARG][?KEY[=VALUE]&...] (%s)", dai,
			   quote(q, sizeof(q), v, strlen(v)),
			   ret == -ENAMETOOLONG ? "too long" :
			   "a kind of a-z, 0-9, '-', '_', distinct option keys, at most 8 options");
		goto out;
	}
	k = endpoint_kind_find(spec->kind);
	if (!k) {
		ret = fail(p, p->line, "dai.%s: unknown endpoint kind '%s' (known: null, file, "
			   "alsa, pipewire, loopback)", dai, spec->kind);
		goto out;
	}
	if (k->arg > 0 && !spec->arg) {
		ret = fail(p, p->line, "dai.%s: %s needs %s: %s:ARG", dai, k->kind, k->what,
			   k->kind);
		goto out;
	}
	if (k->arg < 0 && spec->arg) {
		ret = fail(p, p->line, "dai.%s: %s takes no argument", dai, k->kind);
		goto out;
	}
	if (io_spec_check_opts(spec, k->opts) < 0) {
		ret = fail(p, p->line, "dai.%s: unknown option for %s (known: %s%s%s)", dai,
			   k->kind, k->opts[0] ? k->opts[0] : "none", k->opts[1] ? ", " : "",
			   k->opts[1] ? k->opts[1] : "");
		goto out;
	}
	if (!strcmp(k->kind, "pipewire") && io_spec_opt(spec, "link") && !spec->arg) {
		ret = fail(p, p->line, "dai.%s: pipewire?link needs a target: pipewire:TARGET?link",
			   dai);
		goto out;
	}
	ret = 0;
out:
	free(spec);
	return ret;
}

static int parse_dai(struct cfg_parser *p, const char *name, size_t name_len, const char *v)
{
	struct vadspd_config *cfg = p->cfg;
	struct vadspd_dai_config *arr, *d;
	char q[128];
	int ret;

	if (name_len == 0 || name_len >= TPLG_NAME_LEN)
		return fail(p, p->line, "dai.NAME: the DAI name must be 1 to %u bytes",
			    TPLG_NAME_LEN - 1);
	for (unsigned int i = 0; i < cfg->num_dais; i++)
		if (strlen(cfg->dais[i].name) == name_len &&
		    !memcmp(cfg->dais[i].name, name, name_len))
			return fail(p, p->line, "dai.%s given twice (first at line %u)",
				    cfg->dais[i].name, cfg->dais[i].line);
	if (cfg->num_dais >= VADSPD_CONFIG_DAIS_MAX)
		return fail(p, p->line, "more than %u dai entries", VADSPD_CONFIG_DAIS_MAX);
	quote(q, sizeof(q), name, name_len);
	ret = check_endpoint(p, q, v);
	if (ret < 0)
		return ret;
	arr = realloc(cfg->dais, (cfg->num_dais + 1) * sizeof(*arr));
	if (!arr)
		return -ENOMEM;
	cfg->dais = arr;
	d = &arr[cfg->num_dais];
	d->name = strndup(name, name_len);
	d->spec = strdup(v);
	d->line = p->line;
	if (!d->name || !d->spec) {
		free(d->name);
		free(d->spec);
		return -ENOMEM;
	}
	cfg->num_dais++;
	return 0;
}

static int parse_key(struct cfg_parser *p, const char *s, size_t len)
{
	const char *eq = memchr(s, '=', len);
	const struct key_desc *table;
	size_t n, key_len, value_len;
	const char *key, *value;
	char q[128], v[VADSPD_CONFIG_LINE_MAX + 1];
	void *base;

	if (!eq)
		return fail(p, p->line, "expected KEY = VALUE, a [section] or a # comment, got "
			    "'%s'", quote(q, sizeof(q), s, len));
	key = s;
	key_len = (size_t)(eq - s);
	value = eq + 1;
	value_len = len - key_len - 1;
	trim(&key, &key_len);
	trim(&value, &value_len);
	if (!key_len)
		return fail(p, p->line, "a key is missing before '='");
	if (p->section == SECTION_NONE)
		return fail(p, p->line, "'%s' is outside a section: start with [daemon], [host] "
			    "or [guest NAME]", quote(q, sizeof(q), key, key_len));
	if (!value_len)
		return fail(p, p->line, "%s has an empty value", quote(q, sizeof(q), key, key_len));
	if (memchr(key, '\t', key_len) || memchr(value, '\t', value_len))
		return fail(p, p->line, "a tab inside a key or a value");
	memcpy(v, value, value_len);
	v[value_len] = '\0';
	if (strlen(v) != value_len)
		return -EINVAL;		/* NUL bytes were refused before */

	if (p->section == SECTION_HOST && key_len >= 4 && !memcmp(key, "dai.", 4))
		return parse_dai(p, key + 4, key_len - 4, v);

	switch (p->section) {
	case SECTION_DAEMON:
		table = daemon_keys;
		n = VADSP_ARRAY_SIZE(daemon_keys);
		base = p->cfg;
		break;
	case SECTION_HOST:
		table = host_keys;
		n = VADSP_ARRAY_SIZE(host_keys);
		base = p->cfg;
		break;
	default:
		table = guest_keys;
		n = VADSP_ARRAY_SIZE(guest_keys);
		base = p->guest;
		break;
	}
	_Static_assert(VADSP_ARRAY_SIZE(guest_keys) <=
		       VADSP_ARRAY_SIZE(((struct cfg_parser *)0)->seen),
		       "seen[] holds every key of a section");
	for (size_t i = 0; i < n; i++) {
		const struct key_desc *k = &table[i];
		int ret;

		if (strlen(k->key) != key_len || memcmp(k->key, key, key_len))
			continue;
		if (p->seen[i])
			return fail(p, p->line, "%s given twice in this section (first at line %u)",
				    k->key, p->seen[i]);
		p->seen[i] = p->line;
		ret = parse_value(p, k, base, v);
		if (ret < 0)
			return ret;
		if (k->line_offset != NO_LINE)
			*(unsigned int *)((char *)base + k->line_offset) = p->line;
		return 0;
	}
	{
		char known[256];
		size_t o = 0;

		for (size_t i = 0; i < n && o < sizeof(known); i++)
			o += (size_t)snprintf(known + o, sizeof(known) - o, "%s%s", i ? ", " : "",
					      table[i].key);
		if (p->section == SECTION_HOST && o < sizeof(known))
			snprintf(known + o, sizeof(known) - o, ", dai.NAME");
		return fail(p, p->line, "unknown key '%s' in [%s] (known: %s)",
			    quote(q, sizeof(q), key, key_len), section_names[p->section], known);
	}
}

static int parse_line(struct cfg_parser *p, const char *s, size_t len)
{
	const char *line = s;

	trim(&s, &len);
	if (len == 0 || s[0] == '#')
		return 0;
	/* Tabs and spaces separate; no other control character belongs in a name or a path. */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(p, p->line, "a control character (0x%02x) at column %zu", c,
				    (size_t)(s - line) + i + 1);
	}
	if (s[0] == '[')
		return parse_section(p, s, len);
	return parse_key(p, s, len);
}

/* --- whole-file checks */

static int check_whole(struct cfg_parser *p)
{
	struct vadspd_config *cfg = p->cfg;

	if (cfg->num_guests == 0)
		return fail(p, 0, "no guest: add a [guest NAME] section with socket=PATH");
	if (cfg->num_dais && !cfg->host_topology)
		return fail(p, cfg->dais[0].line, "dai.%s needs the host topology: topology=FILE "
			    "in [host]", cfg->dais[0].name);
	for (unsigned int i = 0; i < cfg->num_guests; i++) {
		const struct vadspd_guest_config *g = &cfg->guests[i];

		if (!g->socket)
			return fail(p, g->line, "[guest %s] has no socket=PATH", g->name);
		if (cfg->mgmt_socket && !strcmp(cfg->mgmt_socket, g->socket))
			return fail(p, g->socket_line, "socket %s is also the mgmt-socket "
				    "(line %u)", g->socket, cfg->mgmt_socket_line);
		for (unsigned int j = 0; j < i; j++)
			if (!strcmp(cfg->guests[j].socket, g->socket))
				return fail(p, g->socket_line, "socket %s is also the socket "
					    "of guest '%s' (line %u)", g->socket,
					    cfg->guests[j].name, cfg->guests[j].socket_line);
	}
	return 0;
}

int vadspd_config_parse(struct vadspd_config *cfg, const char *text, size_t len,
			const char *path, char *err, size_t err_len)
{
	struct cfg_parser p = {
		.cfg = cfg, .path = path, .err = err, .err_len = err_len,
	};
	size_t pos = 0;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	cfg->log_level = VADSP_LOG_INFO;
	if (err_len)
		err[0] = '\0';
	if (path && !(cfg->path = strdup(path)))
		return -ENOMEM;
	p.path = cfg->path;
	if (len > VADSPD_CONFIG_FILE_MAX)
		return fail(&p, 0, "larger than %u bytes", VADSPD_CONFIG_FILE_MAX);
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - s) : len - pos;

		p.line++;
		if (line_len > VADSPD_CONFIG_LINE_MAX)
			return fail(&p, p.line, "line longer than %u bytes",
				    VADSPD_CONFIG_LINE_MAX);
		if (memchr(s, '\0', line_len))
			return fail(&p, p.line, "a NUL byte: this is not a text file");
		ret = parse_line(&p, s, line_len);
		if (ret < 0)
			return ret;
		pos += line_len + (nl ? 1 : 0);
	}
	return check_whole(&p);
}

int vadspd_config_load(struct vadspd_config *cfg, const char *path, char *err, size_t err_len)
{
	struct stat st;
	char *text;
	ssize_t n;
	size_t got = 0;
	int fd, ret;

	memset(cfg, 0, sizeof(*cfg));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, err_len, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ret = fstat(fd, &st) < 0 ? -errno : -EINVAL;
		snprintf(err, err_len, "%s: %s", path,
			 ret == -EINVAL ? "not a regular file" : strerror(-ret));
		close(fd);
		return ret;
	}
	if (st.st_size > (off_t)VADSPD_CONFIG_FILE_MAX) {
		snprintf(err, err_len, "%s: larger than %u bytes", path, VADSPD_CONFIG_FILE_MAX);
		close(fd);
		return -EFBIG;
	}
	text = malloc(VADSPD_CONFIG_FILE_MAX + 1);
	if (!text) {
		close(fd);
		return -ENOMEM;
	}
	/* Read up to one byte more than allowed, so a file that grew is still caught. */
	while (got <= VADSPD_CONFIG_FILE_MAX) {
		n = read(fd, text + got, VADSPD_CONFIG_FILE_MAX + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			snprintf(err, err_len, "%s: %s", path, strerror(-ret));
			free(text);
			close(fd);
			return ret;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	ret = vadspd_config_parse(cfg, text, got, path, err, err_len);
	free(text);
	return ret;
}

/* --- what the lines name */

static int VADSP_PRINTF(5, 6) check_fail(const struct vadspd_config *cfg, unsigned int line,
					 char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail_at(err, err_len, cfg->path, line, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool spec_has_option(const char *spec, const char *key)
{
	struct io_spec *s = malloc(sizeof(*s));
	bool has;

	if (!s)
		return false;
	has = io_spec_parse(spec, s) == 0 && io_spec_opt(s, key);
	free(s);
	return has;
}

static int check_host(struct vadspd_config *cfg, char *err, size_t err_len)
{
	struct tplg_error terr;
	struct tplg *t = NULL;
	int ret;

	if (!cfg->host_topology)
		return 0;
	ret = tplg_load_file(cfg->host_topology, &t, &terr);
	if (ret < 0)
		return check_fail(cfg, cfg->host_topology_line, err, err_len,
				  "host topology: %s", terr.msg);
	for (unsigned int i = 0; i < cfg->num_dais; i++) {
		const struct vadspd_dai_config *d = &cfg->dais[i];
		int w = -ENOENT;

		for (uint32_t j = 0; j < t->num_widgets; j++) {
			const struct tplg_widget *wd = &t->widgets[j];

			if (strcmp(wd->name, d->name))
				continue;
			w = (int)j;
			if (wd->id == TPLG_DAPM_DAI_IN || wd->id == TPLG_DAPM_DAI_OUT)
				break;
		}
		if (w < 0) {
			ret = check_fail(cfg, d->line, err, err_len, "dai.%s: the host topology %s "
					 "has no widget of that name", d->name, cfg->host_topology);
			goto out;
		}
		if (t->widgets[w].id != TPLG_DAPM_DAI_IN && t->widgets[w].id != TPLG_DAPM_DAI_OUT) {
			ret = check_fail(cfg, d->line, err, err_len, "dai.%s: that widget is a %s, "
					 "not a DAI (dai_in or dai_out)", d->name,
					 tplg_widget_type_name(t->widgets[w].id));
			goto out;
		}
		/* A playback DAI (dai_in) writes its file; only a capture one can loop it. */
		if (t->widgets[w].id == TPLG_DAPM_DAI_IN && spec_has_option(d->spec, "loop")) {
			ret = check_fail(cfg, d->line, err, err_len, "dai.%s: a playback DAI "
					 "writes its file; ?loop is for capture DAIs", d->name);
			goto out;
		}
	}
	ret = 0;
out:
	tplg_free(t);
	return ret;
}

int vadspd_config_check(struct vadspd_config *cfg, char *err, size_t err_len)
{
	struct stat st;
	char why[600];
	int ret;

	for (unsigned int i = 0; i < cfg->num_guests; i++) {
		const struct vadspd_guest_config *g = &cfg->guests[i];

		if (!g->sof)
			continue;
		if (!g->topology)
			return check_fail(cfg, g->sof_line, err, err_len, "guest '%s': the SOF IPC3 "
					  "extension (sof) needs the guest's topology (topology=FILE)",
					  g->name);
		if (!cfg->host_topology || !cfg->num_dais)
			return check_fail(cfg, g->sof_line, err, err_len, "guest '%s': the SOF IPC3 "
					  "extension (sof) needs the host DSP: a [host] section with "
					  "topology=FILE and dai.NAME endpoints%s", g->name,
					  cfg->path ? "" : " (use --config)");
		if (stat(g->topology, &st) == 0 && st.st_size > (1 << 20))
			return check_fail(cfg, g->sof_line, err, err_len, "guest '%s': the "
					  "topology %s is larger than the 1 MiB a SOF IPC3 guest may "
					  "fetch", g->name, g->topology);
	}
	for (unsigned int i = 0; i < cfg->num_guests; i++) {
		struct vadspd_guest_config *g = &cfg->guests[i];

		if (!g->topology || g->desc)
			continue;
		ret = vsnd_card_desc_load(g->topology, &g->desc, why, sizeof(why));
		if (ret < 0) {
			check_fail(cfg, g->topology_line, err, err_len, "guest '%s': %s", g->name,
				   why);
			return ret;
		}
		if (g->max_streams && g->desc->num_streams > g->max_streams)
			return check_fail(cfg, g->max_streams_line, err, err_len,
					  "guest '%s': the topology %s gives %u streams, more than "
					  "max-streams %u", g->name, g->topology,
					  g->desc->num_streams, g->max_streams);
	}
	return check_host(cfg, err, err_len);
}

void vadspd_config_free(struct vadspd_config *cfg)
{
	for (unsigned int i = 0; i < cfg->num_guests; i++) {
		free(cfg->guests[i].socket);
		free(cfg->guests[i].topology);
		vsnd_card_desc_free(cfg->guests[i].desc);
	}
	for (unsigned int i = 0; i < cfg->num_dais; i++) {
		free(cfg->dais[i].name);
		free(cfg->dais[i].spec);
	}
	free(cfg->guests);
	free(cfg->dais);
	free(cfg->path);
	free(cfg->mgmt_socket);
	free(cfg->host_topology);
	memset(cfg, 0, sizeof(*cfg));
}
