// SPDX-License-Identifier: MIT
/*
 * The management socket: request parsing and the line-framed JSON server. See mgmt.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/mgmt.h"
#include "util/compiler.h"
#include "util/log.h"
#include "util/loop.h"

#define LOG "mgmt"

/* ------------------------------------------------------------------------------------------
 * Requests
 * ------------------------------------------------------------------------------------------ */

enum member {
	M_CMD,
	M_GUEST,
	M_CONNECTION,
	M_CONTROL,
	M_INDEX,
	M_VALUE,
	M_JACK,
	M_CONNECTED,
	M_COUNT,
};

static const char *const member_names[M_COUNT] = {
	[M_CMD] = "cmd",
	[M_GUEST] = "guest",
	[M_CONNECTION] = "connection",
	[M_CONTROL] = "control",
	[M_INDEX] = "index",
	[M_VALUE] = "value",
	[M_JACK] = "jack",
	[M_CONNECTED] = "connected",
};

#define BIT(m) (1u << (m))

/* Each command with the members it takes and the ones it needs. */
static const struct {
	const char *name;
	enum mgmt_cmd cmd;
	unsigned int allowed;
	unsigned int required;
} commands[] = {
	{ "list", MGMT_LIST, BIT(M_CMD) | BIT(M_GUEST), BIT(M_CMD) },
	{ "get", MGMT_GET, BIT(M_CMD) | BIT(M_GUEST) | BIT(M_CONNECTION) | BIT(M_CONTROL) |
	  BIT(M_INDEX), BIT(M_CMD) | BIT(M_GUEST) | BIT(M_CONTROL) },
	{ "set", MGMT_SET, BIT(M_CMD) | BIT(M_GUEST) | BIT(M_CONNECTION) | BIT(M_CONTROL) |
	  BIT(M_INDEX) | BIT(M_VALUE), BIT(M_CMD) | BIT(M_GUEST) | BIT(M_CONTROL) | BIT(M_VALUE) },
	{ "jack", MGMT_JACK, BIT(M_CMD) | BIT(M_GUEST) | BIT(M_CONNECTION) | BIT(M_JACK) |
	  BIT(M_CONNECTED), BIT(M_CMD) | BIT(M_GUEST) | BIT(M_JACK) | BIT(M_CONNECTED) },
	{ "levels", MGMT_LEVELS, BIT(M_CMD) | BIT(M_GUEST), BIT(M_CMD) },
};

static int req_fail(char *err, size_t err_len, const char *fmt, ...) VADSP_PRINTF(3, 4);

static int req_fail(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A string member of at most @size - 1 bytes. */
static int get_string(const struct json_doc *doc, int tok, const char *member, char *buf,
		      size_t size, char *err, size_t err_len)
{
	int ret;

	if (doc->toks[tok].type != JSON_STRING)
		return req_fail(err, err_len, "\"%s\" must be a string, not %s", member,
				json_type_name(doc->toks[tok].type));
	ret = json_string(doc, (uint32_t)tok, buf, size);
	if (ret == -ENOSPC)
		return req_fail(err, err_len, "\"%s\" is longer than %zu bytes", member, size - 1);
	if (ret < 0)
		return req_fail(err, err_len, "\"%s\" holds a NUL character", member);
	if (ret == 0)
		return req_fail(err, err_len, "\"%s\" is empty", member);
	return 0;
}

static int get_uint(const struct json_doc *doc, int tok, const char *member, int64_t min,
		    int64_t max, int64_t *v, char *err, size_t err_len)
{
	if (doc->toks[tok].type != JSON_NUMBER || json_int(doc, (uint32_t)tok, v) < 0 ||
	    *v < min || *v > max)
		return req_fail(err, err_len, "\"%s\" must be a whole number from %lld to %lld",
				member, (long long)min, (long long)max);
	return 0;
}

/* A name (string) or an id (number) member. */
static int get_name_or_id(const struct json_doc *doc, int tok, const char *member, char *buf,
			  size_t size, int64_t *id, char *err, size_t err_len)
{
	buf[0] = '\0';
	*id = -1;
	if (doc->toks[tok].type == JSON_NUMBER)
		return get_uint(doc, tok, member, 0, UINT32_MAX, id, err, err_len);
	if (doc->toks[tok].type != JSON_STRING)
		return req_fail(err, err_len, "\"%s\" must be a name (string) or an id (number)",
				member);
	return get_string(doc, tok, member, buf, size, err, err_len);
}

static int get_value(const struct json_doc *doc, int tok, struct mgmt_value *v, char *err,
		     size_t err_len)
{
	v->n = 0;
	v->s[0] = '\0';
	switch (doc->toks[tok].type) {
	case JSON_NUMBER:
		v->kind = MGMT_VALUE_INT;
		if (json_int(doc, (uint32_t)tok, &v->n) < 0 || v->n < INT32_MIN ||
		    v->n > INT32_MAX)
			return req_fail(err, err_len, "a value must be a whole number that fits "
					"32 bits");
		return 0;
	case JSON_TRUE:
	case JSON_FALSE:
		v->kind = MGMT_VALUE_BOOL;
		v->n = doc->toks[tok].type == JSON_TRUE;
		return 0;
	case JSON_STRING:
		v->kind = MGMT_VALUE_STRING;
		return get_string(doc, tok, "value", v->s, sizeof(v->s), err, err_len);
	default:
		return req_fail(err, err_len, "a value must be a number, a boolean or an item "
				"name, not %s", json_type_name(doc->toks[tok].type));
	}
}

static int get_values(const struct json_doc *doc, int tok, struct mgmt_request *req,
		      char *err, size_t err_len)
{
	const struct json_tok *t = &doc->toks[tok];

	if (t->type != JSON_ARRAY) {
		req->num_values = 1;
		return get_value(doc, tok, &req->values[0], err, err_len);
	}
	if (t->size == 0 || t->size > MGMT_VALUES_MAX)
		return req_fail(err, err_len, "\"value\" must hold 1 to %u values",
				MGMT_VALUES_MAX);
	req->num_values = t->size;
	for (uint32_t i = 0, k = (uint32_t)tok + 1; i < t->size; i++, k = doc->toks[k].next) {
		int ret = get_value(doc, (int)k, &req->values[i], err, err_len);

		if (ret < 0)
			return ret;
	}
	return 0;
}

int mgmt_request_parse(const char *line, size_t len, struct mgmt_request *req, char *err,
		       size_t err_len)
{
	struct json_tok toks[MGMT_REQUEST_TOKENS];
	struct json_doc doc;
	int at[M_COUNT];
	char jerr[160], cmd[16];
	unsigned int seen = 0;
	size_t c;
	int ret;

	memset(req, 0, offsetof(struct mgmt_request, values));
	req->connection = -1;
	req->control_id = -1;
	req->jack_id = -1;
	req->num_values = 0;
	req->jack[0] = '\0';
	req->connected = false;
	ret = json_parse(&doc, line, len, toks, MGMT_REQUEST_TOKENS, jerr, sizeof(jerr));
	if (ret < 0)
		return req_fail(err, err_len, "malformed JSON: %s", jerr);
	if (toks[0].type != JSON_OBJECT)
		return req_fail(err, err_len, "a request is a JSON object, not %s",
				json_type_name(toks[0].type));
	for (uint32_t i = 0, k = 1; i < toks[0].size; i++, k = toks[k + 1].next) {
		enum member m;

		for (m = 0; m < M_COUNT; m++)
			if (json_string_eq(&doc, k, member_names[m]))
				break;
		if (m == M_COUNT) {
			char name[40];

			if (json_string(&doc, k, name, sizeof(name)) < 0)
				snprintf(name, sizeof(name), "(a long name)");
			return req_fail(err, err_len, "unknown member \"%s\"", name);
		}
		if (seen & BIT(m))
			return req_fail(err, err_len, "member \"%s\" given twice", member_names[m]);
		seen |= BIT(m);
		at[m] = (int)k + 1;
	}
	if (!(seen & BIT(M_CMD)))
		return req_fail(err, err_len, "no \"cmd\" (list, get, set, jack or levels)");
	if (toks[at[M_CMD]].type != JSON_STRING ||
	    json_string(&doc, (uint32_t)at[M_CMD], cmd, sizeof(cmd)) < 0)
		return req_fail(err, err_len, "unknown \"cmd\" (list, get, set, jack or levels)");
	for (c = 0; c < VADSP_ARRAY_SIZE(commands); c++)
		if (!strcmp(cmd, commands[c].name))
			break;
	if (c == VADSP_ARRAY_SIZE(commands))
		return req_fail(err, err_len, "unknown \"cmd\" \"%s\" (list, get, set, jack or "
				"levels)", cmd);
	req->cmd = commands[c].cmd;
	for (enum member m = 0; m < M_COUNT; m++) {
		if ((seen & BIT(m)) && !(commands[c].allowed & BIT(m)))
			return req_fail(err, err_len, "\"%s\" takes no \"%s\"", cmd,
					member_names[m]);
		if (!(seen & BIT(m)) && (commands[c].required & BIT(m)))
			return req_fail(err, err_len, "\"%s\" needs \"%s\"", cmd, member_names[m]);
	}
	if (seen & BIT(M_GUEST)) {
		ret = get_string(&doc, at[M_GUEST], "guest", req->guest, sizeof(req->guest), err,
				 err_len);
		if (ret < 0)
			return ret;
	}
	if (seen & BIT(M_CONNECTION)) {
		ret = get_uint(&doc, at[M_CONNECTION], "connection", 1, UINT32_MAX,
			       &req->connection, err, err_len);
		if (ret < 0)
			return ret;
	}
	if (seen & BIT(M_CONTROL)) {
		ret = get_name_or_id(&doc, at[M_CONTROL], "control", req->control,
				     sizeof(req->control), &req->control_id, err, err_len);
		if (ret < 0)
			return ret;
	}
	if (seen & BIT(M_INDEX)) {
		int64_t v;

		if (req->control_id >= 0)
			return req_fail(err, err_len, "\"index\" goes with a control name, "
					"not an id");
		ret = get_uint(&doc, at[M_INDEX], "index", 0, UINT32_MAX, &v, err, err_len);
		if (ret < 0)
			return ret;
		req->index = (uint32_t)v;
	}
	if (seen & BIT(M_VALUE)) {
		ret = get_values(&doc, at[M_VALUE], req, err, err_len);
		if (ret < 0)
			return ret;
	}
	if (seen & BIT(M_JACK)) {
		ret = get_name_or_id(&doc, at[M_JACK], "jack", req->jack, sizeof(req->jack),
				     &req->jack_id, err, err_len);
		if (ret < 0)
			return ret;
	}
	if (seen & BIT(M_CONNECTED)) {
		uint8_t t = toks[at[M_CONNECTED]].type;

		if (t != JSON_TRUE && t != JSON_FALSE)
			return req_fail(err, err_len, "\"connected\" must be true or false");
		req->connected = t == JSON_TRUE;
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * Server
 * ------------------------------------------------------------------------------------------ */

struct mgmt_client {
	struct mgmt_server *srv;
	int fd;
	char in[MGMT_LINE_MAX + 1];
	size_t in_len;
	bool discarding;		/* skipping the rest of an overlong line */
	bool eof;			/* the client sent everything it will send */
	char *out;
	size_t out_len;
	size_t out_off;
	size_t out_cap;
	uint32_t events;		/* what the loop watches now */
	struct mgmt_client *next;
};

struct mgmt_server {
	struct vadsp_loop *loop;
	int fd;
	char *path;
	mgmt_handler fn;
	void *data;
	struct mgmt_client *clients;
	unsigned int nclients;
	struct json_out reply;
	struct mgmt_request req;
};

static void client_event(void *data, int fd, uint32_t events);

static void client_close(struct mgmt_client *c)
{
	struct mgmt_server *s = c->srv;

	for (struct mgmt_client **pp = &s->clients; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	s->nclients--;
	if (c->events)
		vadsp_loop_del(s->loop, c->fd);
	close(c->fd);
	free(c->out);
	free(c);
}

static int client_queue(struct mgmt_client *c, const char *s, size_t n)
{
	size_t need;

	if (c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	need = c->out_len + n;
	if (need > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		char *buf;

		while (cap < need)
			cap *= 2;
		buf = realloc(c->out, cap);
		if (!buf)
			return -ENOMEM;
		c->out = buf;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, s, n);
	c->out_len += n;
	return 0;
}

/* Send what is queued. Return: 0 when all sent, 1 when more waits, -errno when broken. */
static int client_flush(struct mgmt_client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		if (n < 0)
			return -errno;
		c->out_off += (size_t)n;
	}
	c->out_off = c->out_len = 0;
	if (c->out_cap > 65536) {
		/* A large reply went out: give its memory back. */
		free(c->out);
		c->out = NULL;
		c->out_cap = 0;
	}
	return 0;
}

static void reply_error(struct mgmt_server *s, const char *msg)
{
	json_out_reset(&s->reply);
	json_obj_begin(&s->reply);
	json_kv_str(&s->reply, "error", msg);
	json_obj_end(&s->reply);
}

static int handle_line(struct mgmt_client *c, const char *line, size_t len)
{
	struct mgmt_server *s = c->srv;
	char err[256];
	int ret;

	/* A blank line is not a request. */
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	if (!len)
		return 0;
	json_out_reset(&s->reply);
	err[0] = '\0';
	ret = mgmt_request_parse(line, len, &s->req, err, sizeof(err));
	if (ret == 0) {
		ret = s->fn(s->data, &s->req, &s->reply, err, sizeof(err));
		if (ret == 0 && json_out_finish(&s->reply) < 0) {
			snprintf(err, sizeof(err), "the reply would exceed %u bytes",
				 MGMT_REPLY_MAX);
			ret = -ENOSPC;
		}
	}
	if (ret < 0) {
		if (!err[0])
			snprintf(err, sizeof(err), "%s", strerror(-ret));
		reply_error(s, err);
	}
	if (json_out_finish(&s->reply) < 0)
		reply_error(s, "out of memory");
	if (json_out_finish(&s->reply) < 0)
		return -ENOMEM;
	ret = client_queue(c, s->reply.buf, s->reply.len);
	return ret < 0 ? ret : client_queue(c, "\n", 1);
}

/* Answer complete lines while no reply waits to be sent. Return 0 or -errno. */
static int client_process(struct mgmt_client *c)
{
	while (c->out_off == c->out_len) {
		char *nl = memchr(c->in, '\n', c->in_len);
		size_t used;
		int ret;

		if (!nl) {
			if (c->discarding) {
				c->in_len = 0;
			} else if (c->in_len > MGMT_LINE_MAX) {
				char msg[80];

				snprintf(msg, sizeof(msg), "request longer than %u bytes",
					 MGMT_LINE_MAX);
				reply_error(c->srv, msg);
				c->in_len = 0;
				c->discarding = true;
				ret = client_queue(c, c->srv->reply.buf, c->srv->reply.len);
				if (ret < 0 || client_queue(c, "\n", 1) < 0)
					return -ENOMEM;
			} else if (c->eof && c->in_len) {
				/* The last request may lack its newline. */
				ret = handle_line(c, c->in, c->in_len);
				c->in_len = 0;
				if (ret < 0)
					return ret;
			}
			return 0;
		}
		used = (size_t)(nl - c->in) + 1;
		if (c->discarding) {
			c->discarding = false;
		} else {
			ret = handle_line(c, c->in, (size_t)(nl - c->in));
			if (ret < 0)
				return ret;
		}
		memmove(c->in, c->in + used, c->in_len - used);
		c->in_len -= used;
	}
	return 0;
}

/* Watch what the client's state needs; close it when it is done. Return false if closed. */
static bool client_update(struct mgmt_client *c)
{
	bool pending = c->out_off < c->out_len;
	uint32_t want = pending ? VADSP_LOOP_OUT : (c->eof ? 0 : VADSP_LOOP_IN);

	if (!want) {
		client_close(c);
		return false;
	}
	if (want == c->events)
		return true;
	if (c->events)
		vadsp_loop_del(c->srv->loop, c->fd);
	c->events = 0;
	if (vadsp_loop_add(c->srv->loop, c->fd, want, client_event, c) < 0) {
		client_close(c);
		return false;
	}
	c->events = want;
	return true;
}

static void client_event(void *data, int fd, uint32_t events)
{
	struct mgmt_client *c = data;
	int ret;

	if (events & VADSP_LOOP_IN) {
		ssize_t n = recv(fd, c->in + c->in_len, sizeof(c->in) - c->in_len, MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		if (n < 0) {
			client_close(c);
			return;
		}
		if (n == 0)
			c->eof = true;
		c->in_len += (size_t)n;
	} else if ((events & (VADSP_LOOP_ERR | VADSP_LOOP_HUP)) && !(events & VADSP_LOOP_OUT)) {
		client_close(c);
		return;
	}
	/* Send, answer what came in, send again; repeat while replies leave at once. */
	for (;;) {
		ret = client_flush(c);
		if (ret < 0) {
			client_close(c);
			return;
		}
		if (ret > 0)
			break;
		ret = client_process(c);
		if (ret < 0) {
			vadsp_warn(LOG, "client dropped: %s", strerror(-ret));
			client_close(c);
			return;
		}
		if (c->out_off == c->out_len)
			break;
	}
	client_update(c);
}

static void listen_event(void *data, int fd, uint32_t events)
{
	struct mgmt_server *s = data;
	struct mgmt_client *c;
	int cfd;

	(void)events;
	cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (cfd < 0)
		return;
	if (s->nclients >= MGMT_CLIENTS_MAX) {
		char msg[96];
		int n = snprintf(msg, sizeof(msg), "{\"error\":\"too many management clients "
				 "(at most %u)\"}\n", MGMT_CLIENTS_MAX);

		if (send(cfd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
			vadsp_dbg(LOG, "refused client: %s", strerror(errno));
		close(cfd);
		vadsp_warn(LOG, "refused a client: %u are connected", s->nclients);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(cfd);
		return;
	}
	c->srv = s;
	c->fd = cfd;
	c->next = s->clients;
	s->clients = c;
	s->nclients++;
	client_update(c);
	vadsp_dbg(LOG, "client connected (%u)", s->nclients);
}

int mgmt_server_new(struct mgmt_server **out, struct vadsp_loop *loop, const char *path,
		    mgmt_handler fn, void *data)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct mgmt_server *s;
	struct stat st;
	int ret;

	*out = NULL;
	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	/* Replace a stale socket, never another kind of file. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return -EEXIST;
		unlink(path);
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->loop = loop;
	s->fn = fn;
	s->data = data;
	json_out_init(&s->reply, MGMT_REPLY_MAX);
	s->path = strdup(path);
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (!s->path || s->fd < 0) {
		ret = s->path ? -errno : -ENOMEM;
		goto fail;
	}
	if (bind(s->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		ret = -errno;
		goto fail;
	}
	if (chmod(path, 0600) < 0 || listen(s->fd, 16) < 0) {
		ret = -errno;
		unlink(path);
		goto fail;
	}
	ret = vadsp_loop_add(loop, s->fd, VADSP_LOOP_IN, listen_event, s);
	if (ret < 0) {
		unlink(path);
		goto fail;
	}
	*out = s;
	return 0;
fail:
	if (s->fd >= 0)
		close(s->fd);
	free(s->path);
	free(s);
	return ret;
}

unsigned int mgmt_server_clients(const struct mgmt_server *s)
{
	return s->nclients;
}

void mgmt_server_free(struct mgmt_server *s)
{
	if (!s)
		return;
	while (s->clients)
		client_close(s->clients);
	vadsp_loop_del(s->loop, s->fd);
	close(s->fd);
	unlink(s->path);
	free(s->path);
	json_out_free(&s->reply);
	free(s);
}
