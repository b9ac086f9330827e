// SPDX-License-Identifier: MIT
/*
 * The management socket without the daemon: the request parser (every command, every kind
 * of refusal with its message) and the line server on a real unix socket with a test
 * handler (one reply per request line in order, malformed and overlong lines answered with
 * an error while the connection goes on, blank lines ignored, a last line without newline,
 * the client limit, a client that does not read, replies over the size limit, the socket
 * file's mode and replacement).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/mgmt.h"
#include "util/loop.h"

static struct mgmt_request req;
static char err[256];

static int parse(const char *line)
{
	return mgmt_request_parse(line, strlen(line), &req, err, sizeof(err));
}

static void refused(const char *line, const char *what)
{
	if (parse(line) != -EINVAL || !strstr(err, what))
		fail_msg("for %s: expected '%s', got '%s'", line, what, err);
}

/* ------------------------------------------------------------------------------------------
 * Requests
 * ------------------------------------------------------------------------------------------ */

static void every_command_parses(void **state)
{
	(void)state;
	assert_int_equal(parse("{\"cmd\":\"list\"}"), 0);
	assert_int_equal(req.cmd, MGMT_LIST);
	assert_string_equal(req.guest, "");
	assert_int_equal(parse(" { \"guest\" : \"vm1\", \"cmd\" : \"list\" } "), 0);
	assert_string_equal(req.guest, "vm1");

	assert_int_equal(parse("{\"cmd\":\"get\",\"guest\":\"a\",\"control\":\"Master Playback "
			       "Volume\",\"index\":2,\"connection\":7}"), 0);
	assert_int_equal(req.cmd, MGMT_GET);
	assert_string_equal(req.control, "Master Playback Volume");
	assert_int_equal(req.control_id, -1);
	assert_int_equal(req.index, 2);
	assert_int_equal(req.connection, 7);
	assert_int_equal(parse("{\"cmd\":\"get\",\"guest\":\"a\",\"control\":3}"), 0);
	assert_int_equal(req.control_id, 3);
	assert_string_equal(req.control, "");
	assert_int_equal(req.connection, -1);

	assert_int_equal(parse("{\"cmd\":\"set\",\"guest\":\"a\",\"control\":0,\"value\":-5}"), 0);
	assert_int_equal(req.cmd, MGMT_SET);
	assert_int_equal(req.num_values, 1);
	assert_int_equal(req.values[0].kind, MGMT_VALUE_INT);
	assert_int_equal(req.values[0].n, -5);
	assert_int_equal(parse("{\"cmd\":\"set\",\"guest\":\"a\",\"control\":0,"
			       "\"value\":[9,9,9,9]}"), 0);
	assert_int_equal(parse("{\"cmd\":\"set\",\"guest\":\"a\",\"control\":0,"
			       "\"value\":[1,true,false,\"Line\"]}"), 0);
	assert_int_equal(req.values[3].n, 0);	/* nothing left from the request before */
	assert_int_equal(req.num_values, 4);
	assert_int_equal(req.values[1].kind, MGMT_VALUE_BOOL);
	assert_int_equal(req.values[1].n, 1);
	assert_int_equal(req.values[2].n, 0);
	assert_int_equal(req.values[3].kind, MGMT_VALUE_STRING);
	assert_string_equal(req.values[3].s, "Line");

	assert_int_equal(parse("{\"cmd\":\"jack\",\"guest\":\"a\",\"jack\":1,\"connected\":false}"),
			 0);
	assert_int_equal(req.cmd, MGMT_JACK);
	assert_int_equal(req.jack_id, 1);
	assert_false(req.connected);
	assert_int_equal(parse("{\"cmd\":\"jack\",\"guest\":\"a\",\"jack\":\"main-out\","
			       "\"connected\":true}"), 0);
	assert_string_equal(req.jack, "main-out");
	assert_int_equal(req.jack_id, -1);
	assert_true(req.connected);

	assert_int_equal(parse("{\"cmd\":\"levels\"}"), 0);
	assert_int_equal(req.cmd, MGMT_LEVELS);
	/* Escapes in names decode. */
	assert_int_equal(parse("{\"cmd\":\"l\\u0069st\",\"guest\":\"v\\u006d1\"}"), 0);
	assert_string_equal(req.guest, "vm1");
}

static void malformed_requests_are_refused_with_a_reason(void **state)
{
	static char big[8192];
	size_t n = 0;

	(void)state;
	refused("", "malformed JSON: empty document");
	refused("{\"cmd\":\"list\"", "malformed JSON: unexpected end");
	refused("{\"cmd\":\"list\"}x", "malformed JSON: text after the value");
	refused("[\"list\"]", "a request is a JSON object, not array");
	refused("\"list\"", "a request is a JSON object, not string");
	refused("{}", "no \"cmd\" (list, get, set, jack or levels)");
	refused("{\"cmd\":1}", "unknown \"cmd\"");
	refused("{\"cmd\":\"lists\"}", "unknown \"cmd\" \"lists\"");
	refused("{\"cmd\":\"list\",\"x\":1}", "unknown member \"x\"");
	refused("{\"cmd\":\"list\",\"cmd\":\"list\"}", "member \"cmd\" given twice");
	refused("{\"cmd\":\"list\",\"control\":1}", "\"list\" takes no \"control\"");
	refused("{\"cmd\":\"levels\",\"value\":1}", "\"levels\" takes no \"value\"");
	refused("{\"cmd\":\"get\",\"guest\":\"a\"}", "\"get\" needs \"control\"");
	refused("{\"cmd\":\"get\",\"control\":1}", "\"get\" needs \"guest\"");
	refused("{\"cmd\":\"set\",\"guest\":\"a\",\"control\":1}", "\"set\" needs \"value\"");
	refused("{\"cmd\":\"jack\",\"guest\":\"a\",\"jack\":1}", "\"jack\" needs \"connected\"");
	refused("{\"cmd\":\"list\",\"guest\":1}", "\"guest\" must be a string, not number");
	refused("{\"cmd\":\"list\",\"guest\":\"\"}", "\"guest\" is empty");
	refused("{\"cmd\":\"list\",\"guest\":\"0123456789012345678901234567890123\"}",
		"\"guest\" is longer than 32 bytes");
	refused("{\"cmd\":\"list\",\"guest\":\"a\\u0000b\"}", "\"guest\" holds a NUL");
	refused("{\"cmd\":\"get\",\"guest\":\"a\",\"control\":1,\"connection\":0}",
		"\"connection\" must be a whole number from 1 to 4294967295");
	refused("{\"cmd\":\"get\",\"guest\":\"a\",\"control\":1,\"connection\":4294967296}",
		"\"connection\" must be");
	refused("{\"cmd\":\"get\",\"guest\":\"a\",\"control\":1,\"connection\":\"1\"}",
		"\"connection\" must be");
	refused("{\"cmd\":\"get\",\"guest\":\"a\",\"control\":true}",
		"\"control\" must be a name (string) or an id (number)");
	refused("{\"cmd\":\"get\",\"guest\":\"a\",\"control\":-1}", "\"control\" must be a whole");
	refused("{\"cmd\":\"get\",\"guest\":\"a\",\"control\":1.5}", "\"control\" must be a whole");
	refused("{\"cmd\":\"get\",\"guest\":\"a\",\"control\":1,\"index\":1}",
		"\"index\" goes with a control name, not an id");
	refused("{\"cmd\":\"get\",\"guest\":\"a\",\"control\":\"x\",\"index\":-1}",
		"\"index\" must be a whole number");
	refused("{\"cmd\":\"set\",\"guest\":\"a\",\"control\":1,\"value\":null}",
		"a value must be a number, a boolean or an item name, not null");
	refused("{\"cmd\":\"set\",\"guest\":\"a\",\"control\":1,\"value\":{}}", "not object");
	refused("{\"cmd\":\"set\",\"guest\":\"a\",\"control\":1,\"value\":[[1]]}", "not array");
	refused("{\"cmd\":\"set\",\"guest\":\"a\",\"control\":1,\"value\":[]}",
		"\"value\" must hold 1 to 128 values");
	refused("{\"cmd\":\"set\",\"guest\":\"a\",\"control\":1,\"value\":2147483648}",
		"a value must be a whole number that fits 32 bits");
	refused("{\"cmd\":\"set\",\"guest\":\"a\",\"control\":1,\"value\":0.5}", "fits 32 bits");
	refused("{\"cmd\":\"set\",\"guest\":\"a\",\"control\":1,\"value\":\"0123456789012345678"
		"9012345678901234567890123456789012345678901234\"}", "\"value\" is longer than 63");
	refused("{\"cmd\":\"jack\",\"guest\":\"a\",\"jack\":[],\"connected\":true}",
		"\"jack\" must be a name (string) or an id (number)");
	refused("{\"cmd\":\"jack\",\"guest\":\"a\",\"jack\":0,\"connected\":1}",
		"\"connected\" must be true or false");
	/* 129 values; and a request of more than 512 JSON values at all. */
	n = (size_t)snprintf(big, sizeof(big), "{\"cmd\":\"set\",\"guest\":\"a\",\"control\":1,"
			     "\"value\":[");
	for (int i = 0; i < 129; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "%s%d", i ? "," : "", i);
	snprintf(big + n, sizeof(big) - n, "]}");
	refused(big, "\"value\" must hold 1 to 128 values");
	n = (size_t)snprintf(big, sizeof(big), "{\"cmd\":\"list\",\"guest\":[");
	for (int i = 0; i < 600; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "%s1", i ? "," : "");
	snprintf(big + n, sizeof(big) - n, "]}");
	refused(big, "malformed JSON: more than 512 values");
}

/* ------------------------------------------------------------------------------------------
 * Server
 * ------------------------------------------------------------------------------------------ */

struct server {
	struct vadsp_loop *loop;
	struct mgmt_server *srv;
	pthread_t thread;
	char dir[64];
	char path[128];
	unsigned int handled;
};

/* list: {"ok":true,"n":N}; get: an error; set: a reply over the limit; levels: 4 KiB. */
static int handler(void *data, const struct mgmt_request *r, struct json_out *out, char *e,
		   size_t e_len)
{
	struct server *s = data;
	static char filler[4097];

	s->handled++;
	switch (r->cmd) {
	case MGMT_LIST:
		json_obj_begin(out);
		json_kv_bool(out, "ok", true);
		json_kv_uint(out, "n", s->handled);
		json_obj_end(out);
		return 0;
	case MGMT_GET:
		snprintf(e, e_len, "no guest \"%s\"", r->guest);
		return -ENOENT;
	case MGMT_SET:
		json_arr_begin(out);
		memset(filler, 'x', sizeof(filler) - 1);
		for (unsigned int i = 0; i <= MGMT_REPLY_MAX / 4096; i++)
			json_str(out, filler);
		json_arr_end(out);
		return 0;
	default:
		memset(filler, 'y', sizeof(filler) - 1);
		json_obj_begin(out);
		json_kv_str(out, "fill", filler);
		json_obj_end(out);
		return 0;
	}
}

static void *server_main(void *data)
{
	struct server *s = data;

	vadsp_loop_run(s->loop);
	return NULL;
}

static struct server *server_start(void)
{
	struct server *s = calloc(1, sizeof(*s));
	struct stat st;

	assert_non_null(s);
	snprintf(s->dir, sizeof(s->dir), "/tmp/vadsp-mgmt-XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(s->path, sizeof(s->path), "%s/mgmt.sock", s->dir);
	s->loop = vadsp_loop_new();
	assert_non_null(s->loop);
	assert_int_equal(mgmt_server_new(&s->srv, s->loop, s->path, handler, s), 0);
	assert_int_equal(stat(s->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(pthread_create(&s->thread, NULL, server_main, s), 0);
	return s;
}

static void server_stop(struct server *s)
{
	vadsp_loop_quit(s->loop);
	pthread_join(s->thread, NULL);
	mgmt_server_free(s->srv);
	assert_int_equal(access(s->path, F_OK), -1);	/* the socket file is gone */
	vadsp_loop_free(s->loop);
	rmdir(s->dir);
	free(s);
}

static int client(const struct server *s)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_true(strlen(s->path) < sizeof(a.sun_path));
	memcpy(a.sun_path, s->path, strlen(s->path) + 1);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

#define send_str(fd, s) send_all((fd), (s), strlen(s))

static void send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		assert_true(n > 0);
		buf += n;
		len -= (size_t)n;
	}
}

/* Read one line (without its newline) into @buf; return its length, -1 at EOF. */
static long read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char *nl;
		ssize_t r;

		assert_int_equal(poll(&p, 1, 5000), 1);
		/* Look first, then take up to the newline: the next line stays queued. */
		r = recv(fd, buf + n, size - n - 1, MSG_PEEK);
		assert_true(r >= 0);
		if (r == 0)
			return n ? (long)n : -1;
		nl = memchr(buf + n, '\n', (size_t)r);
		if (nl)
			r = nl - (buf + n) + 1;
		assert_int_equal(recv(fd, buf + n, (size_t)r, 0), r);
		n += (size_t)r;
		if (nl) {
			buf[n - 1] = '\0';
			return (long)n - 1;
		}
		assert_true(n < size - 1);
	}
}

static char line[MGMT_REPLY_MAX + 65536];

static void each_request_line_gets_one_reply_in_order(void **state)
{
	struct server *s = server_start();
	int fd = client(s);

	(void)state;
	send_str(fd, "{\"cmd\":\"list\"}\n");
	assert_true(read_line(fd, line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"ok\":true,\"n\":1}");
	/* Three at once, with blank lines and CRLF in between. */
	send_str(fd, "{\"cmd\":\"list\"}\n\n  \r\n{\"cmd\":\"get\",\"guest\":\"zz\",\"control\":1}"
		 "\r\n{\"cmd\":\"list\"}\n");
	read_line(fd, line, sizeof(line));
	assert_string_equal(line, "{\"ok\":true,\"n\":2}");
	read_line(fd, line, sizeof(line));
	assert_string_equal(line, "{\"error\":\"no guest \\\"zz\\\"\"}");
	read_line(fd, line, sizeof(line));
	assert_string_equal(line, "{\"ok\":true,\"n\":4}");
	assert_int_equal(s->handled, 4);
	close(fd);
	server_stop(s);
}

static void malformed_and_overlong_lines_get_errors_and_the_client_stays(void **state)
{
	struct server *s = server_start();
	int fd = client(s);
	static char big[MGMT_LINE_MAX + 4096];

	(void)state;
	send_str(fd, "{\"cmd\":\n");
	read_line(fd, line, sizeof(line));
	assert_non_null(strstr(line, "{\"error\":\"malformed JSON: unexpected end at byte 7\"}"));
	send_str(fd, "\xff\xfe\n");
	read_line(fd, line, sizeof(line));
	assert_non_null(strstr(line, "{\"error\":\"malformed JSON:"));
	/* A line beyond the limit: one error, the rest of it skipped, then service again. */
	memset(big, 'a', sizeof(big));
	send_all(fd, big, sizeof(big));
	send_str(fd, "\n{\"cmd\":\"list\"}\n");
	read_line(fd, line, sizeof(line));
	assert_string_equal(line, "{\"error\":\"request longer than 65536 bytes\"}");
	read_line(fd, line, sizeof(line));
	assert_string_equal(line, "{\"ok\":true,\"n\":1}");
	/* A line exactly at the limit is read (and refused as JSON, not as too long). */
	memset(big, ' ', MGMT_LINE_MAX);
	memcpy(big, "{\"cmd\":\"list\"}", 14);
	big[MGMT_LINE_MAX] = '\n';
	send_all(fd, big, MGMT_LINE_MAX + 1);
	read_line(fd, line, sizeof(line));
	assert_string_equal(line, "{\"ok\":true,\"n\":2}");
	close(fd);
	server_stop(s);
}

static void a_last_line_without_newline_is_answered_before_close(void **state)
{
	struct server *s = server_start();
	int fd = client(s);

	(void)state;
	send_str(fd, "{\"cmd\":\"list\"}");
	shutdown(fd, SHUT_WR);
	assert_true(read_line(fd, line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"ok\":true,\"n\":1}");
	assert_int_equal(read_line(fd, line, sizeof(line)), -1);
	close(fd);
	server_stop(s);
}

static void clients_beyond_the_limit_are_turned_away(void **state)
{
	struct server *s = server_start();
	int fds[MGMT_CLIENTS_MAX], extra;

	(void)state;
	for (unsigned int i = 0; i < MGMT_CLIENTS_MAX; i++) {
		fds[i] = client(s);
		/* A round trip: the server has accepted it. */
		send_str(fds[i], "{\"cmd\":\"list\"}\n");
		assert_true(read_line(fds[i], line, sizeof(line)) > 0);
	}
	extra = client(s);
	assert_true(read_line(extra, line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"error\":\"too many management clients (at most 16)\"}");
	assert_int_equal(read_line(extra, line, sizeof(line)), -1);
	close(extra);
	close(fds[0]);
	/* Once one has left, a new client is served. */
	for (int tries = 0; tries < 50; tries++) {
		extra = client(s);
		send_str(extra, "{\"cmd\":\"list\"}\n");
		assert_true(read_line(extra, line, sizeof(line)) > 0);
		close(extra);
		if (strstr(line, "\"ok\":true"))
			break;
		usleep(10000);
	}
	assert_non_null(strstr(line, "\"ok\":true"));
	for (unsigned int i = 1; i < MGMT_CLIENTS_MAX; i++)
		close(fds[i]);
	server_stop(s);
}

static void a_client_that_does_not_read_holds_only_itself_back(void **state)
{
	enum { N = 400 };
	struct server *s = server_start();
	int slow = client(s), other;
	static char reqs[N * 17 + 1];
	size_t n = 0;

	(void)state;
	for (int i = 0; i < N; i++)
		n += (size_t)snprintf(reqs + n, sizeof(reqs) - n, "{\"cmd\":\"levels\"}\n");
	send_all(slow, reqs, n);	/* 400 replies of 4 KiB: more than the socket holds */
	other = client(s);
	send_str(other, "{\"cmd\":\"list\"}\n");
	assert_true(read_line(other, line, sizeof(line)) > 0);
	assert_non_null(strstr(line, "\"ok\":true"));
	close(other);
	for (int i = 0; i < N; i++) {
		assert_true(read_line(slow, line, sizeof(line)) > 4096);
		assert_int_equal(strncmp(line, "{\"fill\":\"yyyy", 13), 0);
	}
	close(slow);
	server_stop(s);
}

static void a_reply_over_the_limit_becomes_an_error(void **state)
{
	struct server *s = server_start();
	int fd = client(s);

	(void)state;
	send_str(fd, "{\"cmd\":\"set\",\"guest\":\"a\",\"control\":1,\"value\":1}\n");
	read_line(fd, line, sizeof(line));
	assert_string_equal(line, "{\"error\":\"the reply would exceed 8388608 bytes\"}");
	send_str(fd, "{\"cmd\":\"list\"}\n");
	read_line(fd, line, sizeof(line));
	assert_string_equal(line, "{\"ok\":true,\"n\":2}");
	close(fd);
	server_stop(s);
}

static void the_socket_path_replaces_only_a_stale_socket(void **state)
{
	struct vadsp_loop *loop = vadsp_loop_new();
	struct mgmt_server *srv;
	char dir[] = "/tmp/vadsp-mgmt-XXXXXX", path[128], longp[200];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.sock", dir);
	/* A regular file is never removed. */
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(mgmt_server_new(&srv, loop, path, handler, NULL), -EEXIST);
	unlink(path);
	/* A socket left behind is replaced. */
	assert_int_equal(mgmt_server_new(&srv, loop, path, handler, NULL), 0);
	assert_int_equal(mgmt_server_clients(srv), 0);
	mgmt_server_free(srv);
	assert_int_equal(mgmt_server_new(&srv, loop, path, handler, NULL), 0);
	mgmt_server_free(srv);
	memset(longp, 'x', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(mgmt_server_new(&srv, loop, longp, handler, NULL), -ENAMETOOLONG);
	snprintf(path, sizeof(path), "%s/no/such/dir/m.sock", dir);
	assert_int_equal(mgmt_server_new(&srv, loop, path, handler, NULL), -ENOENT);
	rmdir(dir);
	vadsp_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_command_parses),
		cmocka_unit_test(malformed_requests_are_refused_with_a_reason),
		cmocka_unit_test(each_request_line_gets_one_reply_in_order),
		cmocka_unit_test(malformed_and_overlong_lines_get_errors_and_the_client_stays),
		cmocka_unit_test(a_last_line_without_newline_is_answered_before_close),
		cmocka_unit_test(clients_beyond_the_limit_are_turned_away),
		cmocka_unit_test(a_client_that_does_not_read_holds_only_itself_back),
		cmocka_unit_test(a_reply_over_the_limit_becomes_an_error),
		cmocka_unit_test(the_socket_path_replaces_only_a_stale_socket),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
