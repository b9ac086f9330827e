// SPDX-License-Identifier: MIT
/*
 * vadspd's configuration file: a full example read into every field; every way a line can
 * be wrong refused with "FILE:LINE: message" naming that line; whole-file checks naming the
 * line at fault; and the second stage that loads the topologies the lines name (guest
 * topologies, max-streams, the host topology and its DAIs).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/config.h"
#include "snd/card.h"

static char err[1024];

static const char *topo(const char *name)
{
	static char paths[4][512];
	static unsigned int next;
	const char *dir = getenv("VADSP_TOPOLOGY_DIR");
	char *p = paths[next++ % 4];

	assert_non_null(dir);
	snprintf(p, sizeof(paths[0]), "%s/%s.tplg", dir, name);
	return p;
}

static int parse(struct vadspd_config *cfg, const char *text)
{
	return vadspd_config_parse(cfg, text, strlen(text), "t.conf", err, sizeof(err));
}

/* @text must be refused with exactly "t.conf:@line: ..." containing @what. */
static void refused_at(const char *text, unsigned int line, const char *what)
{
	struct vadspd_config cfg;
	char prefix[32];

	if (line)
		snprintf(prefix, sizeof(prefix), "t.conf:%u: ", line);
	else
		snprintf(prefix, sizeof(prefix), "t.conf: ");
	assert_int_equal(parse(&cfg, text), -EINVAL);
	if (strncmp(err, prefix, strlen(prefix)) || !strstr(err, what))
		fail_msg("for:\n%s\nexpected '%s...%s', got '%s'", text, prefix, what, err);
	vadspd_config_free(&cfg);
}

static void full_example_fills_every_field(void **state)
{
	static const char text[] =
		"# vadspd configuration\n"
		"\n"
		"[daemon]\n"
		"log-level = debug\n"
		"mgmt-socket = /run/vadsp/mgmt.sock\n"
		"\n"
		"[host]\n"
		"  topology =   /usr/share/vadsp/topology/host.tplg  \n"
		"dai.DAI0.OUT = file:/var/lib/vadsp/out#1.wav\n"
		"dai.DAI0.IN=null\r\n"
		"[guest vm1]\n"
		"socket = /run/vadsp/vm1.sock\n"
		"topology = /usr/share/vadsp/topology/stereo.tplg\n"
		"controls = yes\n"
		"max-connections = 2\n"
		"max-streams = 8\n"
		"queue-size = 256\n"
		"allow-unsealed-memory = on\n"
		"\t# indented comment\n"
		"[guest vm-2.b_c]\n"
		"socket=/run/vadsp/vm2.sock";	/* no newline at the end */
	struct vadspd_config cfg;
	const struct vadspd_guest_config *g;

	(void)state;
	assert_int_equal(parse(&cfg, text), 0);
	assert_string_equal(cfg.path, "t.conf");
	assert_true(cfg.has_log_level);
	assert_int_equal(cfg.log_level, VADSP_LOG_DEBUG);
	assert_string_equal(cfg.mgmt_socket, "/run/vadsp/mgmt.sock");
	assert_int_equal(cfg.mgmt_socket_line, 5);
	assert_int_equal(cfg.host_line, 7);
	assert_string_equal(cfg.host_topology, "/usr/share/vadsp/topology/host.tplg");
	assert_int_equal(cfg.host_topology_line, 8);
	assert_int_equal(cfg.num_dais, 2);
	assert_string_equal(cfg.dais[0].name, "DAI0.OUT");
	assert_string_equal(cfg.dais[0].spec, "file:/var/lib/vadsp/out#1.wav");
	assert_int_equal(cfg.dais[0].line, 9);
	assert_string_equal(cfg.dais[1].name, "DAI0.IN");
	assert_string_equal(cfg.dais[1].spec, "null");
	assert_int_equal(cfg.num_guests, 2);
	g = &cfg.guests[0];
	assert_string_equal(g->name, "vm1");
	assert_int_equal(g->line, 11);
	assert_string_equal(g->socket, "/run/vadsp/vm1.sock");
	assert_int_equal(g->socket_line, 12);
	assert_string_equal(g->topology, "/usr/share/vadsp/topology/stereo.tplg");
	assert_int_equal(g->topology_line, 13);
	assert_true(g->controls);
	assert_int_equal(g->max_connections, 2);
	assert_int_equal(g->max_streams, 8);
	assert_int_equal(g->max_streams_line, 16);
	assert_int_equal(g->queue_size, 256);
	assert_true(g->allow_unsealed_memory);
	assert_null(g->desc);
	g = &cfg.guests[1];
	assert_string_equal(g->name, "vm-2.b_c");
	assert_string_equal(g->socket, "/run/vadsp/vm2.sock");
	assert_null(g->topology);
	/* Defaults. */
	assert_false(g->controls);
	assert_false(g->allow_unsealed_memory);
	assert_int_equal(g->max_connections, 1);
	assert_int_equal(g->max_streams, 0);
	assert_int_equal(g->queue_size, 1024);
	vadspd_config_free(&cfg);
}

static void minimal_file_gets_defaults(void **state)
{
	struct vadspd_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "[guest a]\nsocket = /tmp/a.sock\n"), 0);
	assert_false(cfg.has_log_level);
	assert_int_equal(cfg.log_level, VADSP_LOG_INFO);
	assert_null(cfg.mgmt_socket);
	assert_null(cfg.host_topology);
	assert_int_equal(cfg.num_dais, 0);
	assert_int_equal(cfg.num_guests, 1);
	vadspd_config_free(&cfg);
}

static void booleans_take_every_spelling(void **state)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	struct vadspd_config cfg;
	char text[128];

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		snprintf(text, sizeof(text), "[guest a]\nsocket=/a\ncontrols=%s\n", yes[i]);
		assert_int_equal(parse(&cfg, text), 0);
		assert_true(cfg.guests[0].controls);
		vadspd_config_free(&cfg);
		snprintf(text, sizeof(text), "[guest a]\nsocket=/a\ncontrols=%s\n", no[i]);
		assert_int_equal(parse(&cfg, text), 0);
		assert_false(cfg.guests[0].controls);
		vadspd_config_free(&cfg);
	}
}

static void line_syntax_errors_name_their_line(void **state)
{
	(void)state;
	refused_at("socket = /a\n", 1, "'socket' is outside a section");
	refused_at("# c\n\n[guest a]\nsocket /a\n", 4, "expected KEY = VALUE");
	refused_at("[guest a]\n= /a\n", 2, "a key is missing before '='");
	refused_at("[guest a]\nsocket =   \n", 2, "socket has an empty value");
	refused_at("[guest a\n", 1, "must end with ']'");
	refused_at("[guests a]\n", 1, "unknown section [guests a]");
	refused_at("[]\n", 1, "unknown section []");
	refused_at("[daemon x]\n", 1, "[daemon] takes no name");
	refused_at("[daemon]\n[host]\n[daemon]\n", 3, "[daemon] appears twice (first at line 1)");
	refused_at("[host]\n\n[host]\n", 3, "[host] appears twice (first at line 1)");
	refused_at("[guest]\n", 1, "[guest] needs a name");
	refused_at("[guest a/b]\n", 1, "guest name 'a/b' is not 1 to 32 letters");
	refused_at("[guest 0123456789012345678901234567890123]\n", 1, "is not 1 to 32");
	refused_at("[guest a]\nsocket=/a\n[guest a]\n", 3,
		   "guest 'a' appears twice (first at line 1)");
	refused_at("[host]\ntopology=/h\ndai.X\x1d = null\n", 3,
		   "a control character (0x1d) at column 6");
	refused_at("[guest a]\nsocket = /a\rb\n", 2, "a control character (0x0d) at column 12");
	refused_at("[guest a]\nsocket = /a\tb\n", 2, "a tab inside a key or a value");
	refused_at("[guest a]\nsock\tet = /a\n", 2, "a tab inside a key or a value");
}

static void keys_and_values_are_checked(void **state)
{
	char text[8192], path[200];

	(void)state;
	refused_at("[guest a]\nsockt = /a\n", 2,
		   "unknown key 'sockt' in [guest] (known: socket, topology, controls");
	refused_at("[daemon]\nsocket = /a\n", 2,
		   "unknown key 'socket' in [daemon] (known: log-level, mgmt-socket)");
	refused_at("[host]\nfile = x\n", 2, "(known: topology, dai.NAME)");
	refused_at("[guest a]\nsocket = /a\nsocket = /b\n", 3,
		   "socket given twice in this section (first at line 2)");
	refused_at("[guest a]\nsocket=/a\ncontrols = maybe\n", 3,
		   "controls: 'maybe' is not yes or no");
	refused_at("[guest a]\nsocket=/a\nmax-connections = 0\n", 3,
		   "max-connections: '0' is not a whole number from 1 to 64");
	refused_at("[guest a]\nsocket=/a\nmax-connections = 65\n", 3, "from 1 to 64");
	refused_at("[guest a]\nsocket=/a\nmax-connections = 01\n", 3, "'01' is not a whole");
	refused_at("[guest a]\nsocket=/a\nmax-connections = -1\n", 3, "'-1' is not a whole");
	refused_at("[guest a]\nsocket=/a\nmax-connections = 99999999999999999999\n", 3,
		   "is not a whole number");
	refused_at("[guest a]\nsocket=/a\nmax-streams = 65\n", 3,
		   "max-streams: '65' is not a whole number from 1 to 64");
	refused_at("[guest a]\nsocket=/a\nqueue-size = 100\n", 3,
		   "queue-size: 100 is not a power of two");
	refused_at("[guest a]\nsocket=/a\nqueue-size = 2048\n", 3, "from 16 to 1024");
	refused_at("[daemon]\nlog-level = loud\n", 2,
		   "log-level: 'loud' is not error, warning, info or debug");
	memset(path, 'p', sizeof(path));
	path[0] = '/';
	path[108] = '\0';
	snprintf(text, sizeof(text), "[guest a]\nsocket = %s\n", path);
	refused_at(text, 2, "socket: a socket path is at most 107 bytes (this one has 108)");
	snprintf(text, sizeof(text), "[daemon]\nmgmt-socket = %s\n", path);
	refused_at(text, 2, "mgmt-socket: a socket path is at most 107 bytes");
}

static void endpoint_specs_are_checked(void **state)
{
	char text[300];

	(void)state;
	refused_at("[host]\ntopology=/h\ndai.X = Bad!\n", 3, "dai.X: 'Bad!' is not an endpoint");
	refused_at("[host]\ntopology=/h\ndai.X = jack:out\n", 3,
		   "dai.X: unknown endpoint kind 'jack' (known: null, file, alsa, pipewire");
	refused_at("[host]\ntopology=/h\ndai.X = file\n", 3, "dai.X: file needs a WAV file");
	refused_at("[host]\ntopology=/h\ndai.X = alsa:\n", 3, "alsa needs an ALSA PCM name");
	refused_at("[host]\ntopology=/h\ndai.X = null:x\n", 3, "dai.X: null takes no argument");
	refused_at("[host]\ntopology=/h\ndai.X = file:/o.wav?rate=4\n", 3,
		   "dai.X: unknown option for file (known: loop)");
	refused_at("[host]\ntopology=/h\ndai.X = pipewire?link\n", 3,
		   "pipewire?link needs a target");
	refused_at("[host]\ntopology=/h\ndai.X = null\ndai.X = null\n", 4,
		   "dai.X given twice (first at line 3)");
	refused_at("[host]\ntopology=/h\ndai. = null\n", 3, "the DAI name must be 1 to 43");
	snprintf(text, sizeof(text), "[host]\ntopology=/h\ndai.%044d = null\n", 0);
	refused_at(text, 3, "the DAI name must be 1 to 43 bytes");
	refused_at("[guest a]\ndai.X = null\n", 2, "unknown key 'dai.X' in [guest]");
}

static void whole_file_checks_name_the_line_at_fault(void **state)
{
	(void)state;
	refused_at("", 0, "no guest: add a [guest NAME] section");
	refused_at("[daemon]\nlog-level=info\n", 0, "no guest");
	refused_at("[guest a]\ncontrols=yes\n", 1, "[guest a] has no socket=PATH");
	refused_at("[guest a]\nsocket=/s\n[guest b]\n\nsocket = /s\n", 5,
		   "socket /s is also the socket of guest 'a' (line 2)");
	refused_at("[daemon]\nmgmt-socket=/m\n[guest a]\nsocket=/m\n", 4,
		   "socket /m is also the mgmt-socket (line 2)");
	refused_at("[host]\ndai.DAI0.OUT = null\n[guest a]\nsocket=/a\n", 2,
		   "dai.DAI0.OUT needs the host topology: topology=FILE in [host]");
}

static void bytes_that_are_not_lines_are_refused(void **state)
{
	struct vadspd_config cfg;
	static char text[VADSPD_CONFIG_LINE_MAX + 64];
	static const char with_nul[] = "[guest a]\nsocket=/a\0b\n";
	size_t n;

	(void)state;
	n = (size_t)snprintf(text, sizeof(text), "[guest a]\nsocket=/");
	memset(text + n, 'x', VADSPD_CONFIG_LINE_MAX);
	strcpy(text + n + VADSPD_CONFIG_LINE_MAX, "\n");
	refused_at(text, 2, "line longer than 4096 bytes");
	assert_int_equal(vadspd_config_parse(&cfg, with_nul, sizeof(with_nul) - 1, "t.conf", err,
					     sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.conf:2: a NUL byte: this is not a text file");
	vadspd_config_free(&cfg);
	assert_int_equal(vadspd_config_parse(&cfg, text, VADSPD_CONFIG_FILE_MAX + 1, "t.conf",
					     err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.conf: larger than 1048576 bytes");
	vadspd_config_free(&cfg);
}

static void too_many_guests_are_refused(void **state)
{
	static char text[16384];
	size_t n = 0;

	(void)state;
	for (unsigned int i = 0; i <= VADSPD_CONFIG_GUESTS_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "[guest g%u]\nsocket=/s%u\n", i,
				      i);
	refused_at(text, 2 * VADSPD_CONFIG_GUESTS_MAX + 1, "more than 64 guests");
}

static void load_reads_the_file_and_reports_missing_ones(void **state)
{
	char path[] = "/tmp/vadsp-cfg-XXXXXX";
	struct vadspd_config cfg;
	static const char text[] = "[guest a]\nsocket = /tmp/a.sock\nbad line\n";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	assert_int_equal(vadspd_config_load(&cfg, path, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":3: expected KEY = VALUE"));
	assert_int_equal(strncmp(err, path, strlen(path)), 0);
	vadspd_config_free(&cfg);
	unlink(path);
	assert_int_equal(vadspd_config_load(&cfg, path, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "No such file or directory"));
	vadspd_config_free(&cfg);
	assert_int_equal(vadspd_config_load(&cfg, "/tmp", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "/tmp: not a regular file");
	vadspd_config_free(&cfg);
}

/* Parse @text (with %s for topology paths filled in by the caller) and check it. */
static int check(const char *text, struct vadspd_config *cfg)
{
	assert_int_equal(parse(cfg, text), 0);
	return vadspd_config_check(cfg, err, sizeof(err));
}

static void check_loads_guest_topologies(void **state)
{
	struct vadspd_config cfg;
	char text[2048];

	(void)state;
	snprintf(text, sizeof(text),
		 "[host]\ntopology = %s\ndai.DAI0.OUT = file:/tmp/o.wav\ndai.DAI0.IN = "
		 "file:/tmp/i.wav?loop\n"
		 "[guest a]\nsocket=/a\ntopology=%s\nmax-streams=2\n"
		 "[guest b]\nsocket=/b\ntopology=%s\n[guest c]\nsocket=/c\n",
		 topo("host"), topo("stereo"), topo("multi"));
	assert_int_equal(check(text, &cfg), 0);
	assert_non_null(cfg.guests[0].desc);
	assert_int_equal(cfg.guests[0].desc->num_streams, 2);
	assert_int_equal(cfg.guests[0].desc->num_controls, 4);
	assert_non_null(cfg.guests[1].desc);
	assert_int_equal(cfg.guests[1].desc->num_streams, 3);
	assert_null(cfg.guests[2].desc);
	vadspd_config_free(&cfg);
}

static void check_names_the_line_of_what_it_cannot_use(void **state)
{
	struct vadspd_config cfg;
	char text[2048];

	(void)state;
	assert_int_equal(check("[guest a]\nsocket=/a\n\ntopology=/nonexistent.tplg\n", &cfg),
			 -ENOENT);
	assert_non_null(strstr(err, "t.conf:4: guest 'a': "));
	assert_non_null(strstr(err, "/nonexistent.tplg"));
	vadspd_config_free(&cfg);

	snprintf(text, sizeof(text), "[guest a]\nsocket=/a\ntopology=%s\nmax-streams = 1\n",
		 topo("stereo"));
	assert_int_equal(check(text, &cfg), -EINVAL);
	assert_non_null(strstr(err, "t.conf:4: guest 'a': the topology "));
	assert_non_null(strstr(err, "gives 2 streams, more than max-streams 1"));
	vadspd_config_free(&cfg);

	/* A guest topology that is no topology at all (the configuration file itself). */
	snprintf(text, sizeof(text), "[guest a]\nsocket=/a\ntopology=%s\n", topo("host"));
	assert_int_equal(parse(&cfg, text), 0);
	free(cfg.guests[0].topology);
	cfg.guests[0].topology = strdup("/etc/hostname");
	assert_true(vadspd_config_check(&cfg, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "t.conf:3: guest 'a': "));
	vadspd_config_free(&cfg);

	assert_int_equal(check("[host]\ntopology = /none.tplg\n[guest a]\nsocket=/a\n", &cfg),
			 -EINVAL);
	assert_non_null(strstr(err, "t.conf:2: host topology: "));
	vadspd_config_free(&cfg);

	snprintf(text, sizeof(text), "[host]\ntopology = %s\ndai.DAI9.OUT = null\n"
		 "[guest a]\nsocket=/a\n", topo("host"));
	assert_int_equal(check(text, &cfg), -EINVAL);
	assert_non_null(strstr(err, "t.conf:3: dai.DAI9.OUT: the host topology "));
	assert_non_null(strstr(err, "has no widget of that name"));
	vadspd_config_free(&cfg);

	snprintf(text, sizeof(text), "[host]\ntopology = %s\ndai.MIXER1.0 = null\n"
		 "[guest a]\nsocket=/a\n", topo("host"));
	assert_int_equal(check(text, &cfg), -EINVAL);
	assert_string_equal(err, "t.conf:3: dai.MIXER1.0: that widget is a mixer, not a DAI "
			    "(dai_in or dai_out)");
	vadspd_config_free(&cfg);

	snprintf(text, sizeof(text), "[host]\ntopology = %s\ndai.DAI0.OUT = file:/o.wav?loop\n"
		 "[guest a]\nsocket=/a\n", topo("host"));
	assert_int_equal(check(text, &cfg), -EINVAL);
	assert_string_equal(err, "t.conf:3: dai.DAI0.OUT: a playback DAI writes its file; ?loop "
			    "is for capture DAIs");
	vadspd_config_free(&cfg);
}

static void guests_added_from_the_command_line_have_no_lines(void **state)
{
	struct vadspd_config cfg = { 0 };
	struct vadspd_guest_config *g;

	(void)state;
	g = vadspd_config_add_guest(&cfg, "default", "/tmp/x.sock", "/nonexistent.tplg");
	assert_non_null(g);
	assert_string_equal(g->socket, "/tmp/x.sock");
	assert_int_equal(g->max_connections, 1);
	assert_true(vadspd_config_check(&cfg, err, sizeof(err)) < 0);
	/* No file: the message starts with what is wrong. */
	assert_int_equal(strncmp(err, "guest 'default': ", 17), 0);
	vadspd_config_free(&cfg);
}

static void log_levels_have_four_names(void **state)
{
	enum vadsp_log_level l;

	(void)state;
	assert_int_equal(vadspd_log_level_parse("error", &l), 0);
	assert_int_equal(l, VADSP_LOG_ERROR);
	assert_int_equal(vadspd_log_level_parse("warning", &l), 0);
	assert_int_equal(l, VADSP_LOG_WARN);
	assert_int_equal(vadspd_log_level_parse("info", &l), 0);
	assert_int_equal(l, VADSP_LOG_INFO);
	assert_int_equal(vadspd_log_level_parse("debug", &l), 0);
	assert_int_equal(l, VADSP_LOG_DEBUG);
	assert_int_equal(vadspd_log_level_parse("warn", &l), -EINVAL);
	assert_int_equal(vadspd_log_level_parse("", &l), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_example_fills_every_field),
		cmocka_unit_test(minimal_file_gets_defaults),
		cmocka_unit_test(booleans_take_every_spelling),
		cmocka_unit_test(line_syntax_errors_name_their_line),
		cmocka_unit_test(keys_and_values_are_checked),
		cmocka_unit_test(endpoint_specs_are_checked),
		cmocka_unit_test(whole_file_checks_name_the_line_at_fault),
		cmocka_unit_test(bytes_that_are_not_lines_are_refused),
		cmocka_unit_test(too_many_guests_are_refused),
		cmocka_unit_test(load_reads_the_file_and_reports_missing_ones),
		cmocka_unit_test(check_loads_guest_topologies),
		cmocka_unit_test(check_names_the_line_of_what_it_cannot_use),
		cmocka_unit_test(guests_added_from_the_command_line_have_no_lines),
		cmocka_unit_test(log_levels_have_four_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
