// SPDX-License-Identifier: MIT
/*
 * vadspd's command line: the vhost-user back-end program conventions and usage errors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/options.h"

/* Parse a NULL-terminated argument list; usage errors go to a scratch stream. */
static int parse(struct vadspd_options *o, char *buf, size_t bufsz, ...)
{
	char *argv[16] = { "vadspd" };
	int argc = 1, ret;
	FILE *err = fmemopen(buf, bufsz, "w");
	va_list ap;

	assert_non_null(err);
	va_start(ap, bufsz);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	memset(buf, 0, bufsz);
	ret = vadspd_parse_options(o, argc, argv, err);
	fclose(err);
	return ret;
}

static void socket_path_runs_the_server(void **state)
{
	struct vadspd_options o;
	char msg[256];

	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=/tmp/x.sock", NULL), 0);
	assert_int_equal(o.action, VADSPD_RUN);
	assert_string_equal(o.socket_path, "/tmp/x.sock");
	assert_int_equal(o.fd, -1);
	assert_false(o.device.controls);
	assert_false(o.allow_unsealed_memory);
	assert_int_equal(o.verbosity, 1);
}

static void fd_takes_a_number(void **state)
{
	struct vadspd_options o;
	char msg[256];

	assert_int_equal(parse(&o, msg, sizeof(msg), "--fd=7", "--controls", "-v", NULL), 0);
	assert_int_equal(o.fd, 7);
	assert_null(o.socket_path);
	assert_true(o.device.controls);
	assert_int_equal(o.verbosity, 2);
	assert_int_equal(parse(&o, msg, sizeof(msg), "--fd=seven", NULL), -EINVAL);
	assert_non_null(strstr(msg, "not a file descriptor"));
	assert_int_equal(parse(&o, msg, sizeof(msg), "--fd=-1", NULL), -EINVAL);
}

static void socket_and_fd_exclude_each_other(void **state)
{
	struct vadspd_options o;
	char msg[256];

	assert_int_equal(parse(&o, msg, sizeof(msg), "--fd=3", "--socket-path=/x", NULL),
			 -EINVAL);
	assert_non_null(strstr(msg, "exclude"));
}

static void a_transport_is_required(void **state)
{
	struct vadspd_options o;
	char msg[256];

	assert_int_equal(parse(&o, msg, sizeof(msg), NULL), -EINVAL);
	assert_non_null(strstr(msg, "--socket-path"));
	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=", NULL), -EINVAL);
}

static void print_capabilities_needs_no_transport(void **state)
{
	struct vadspd_options o;
	char msg[256];

	assert_int_equal(parse(&o, msg, sizeof(msg), "--print-capabilities", NULL), 0);
	assert_int_equal(o.action, VADSPD_PRINT_CAPABILITIES);
	assert_int_equal(parse(&o, msg, sizeof(msg), "--help", NULL), 0);
	assert_int_equal(o.action, VADSPD_HELP);
	assert_int_equal(parse(&o, msg, sizeof(msg), "-V", NULL), 0);
	assert_int_equal(o.action, VADSPD_VERSION);
}

static void unknown_options_and_arguments_are_refused(void **state)
{
	struct vadspd_options o;
	char msg[256];

	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=/x", "--bogus", NULL),
			 -EINVAL);
	assert_non_null(strstr(msg, "unknown option '--bogus'"));
	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=/x", "extra", NULL),
			 -EINVAL);
	assert_non_null(strstr(msg, "unexpected argument 'extra'"));
	assert_int_equal(parse(&o, msg, sizeof(msg), "--fd", NULL), -EINVAL);
	assert_non_null(strstr(msg, "needs an argument"));
}

static void unsealed_memory_is_opt_in(void **state)
{
	struct vadspd_options o;
	char msg[256];

	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=/x",
			       "--allow-unsealed-memory", NULL), 0);
	assert_true(o.allow_unsealed_memory);
}

static void topology_names_a_file(void **state)
{
	struct vadspd_options o;
	char msg[256];

	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=/x", NULL), 0);
	assert_null(o.device.topology);
	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=/x",
			       "--topology=/usr/share/vadsp/topology/stereo.tplg", NULL), 0);
	assert_string_equal(o.device.topology, "/usr/share/vadsp/topology/stereo.tplg");
	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=/x", "--topology=", NULL),
			 -EINVAL);
	assert_non_null(strstr(msg, "--topology needs a file name"));
}

static void quiet_lowers_verbosity(void **state)
{
	struct vadspd_options o;
	char msg[256];

	assert_int_equal(parse(&o, msg, sizeof(msg), "-q", "--socket-path=/x", NULL), 0);
	assert_int_equal(o.verbosity, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(socket_path_runs_the_server),
		cmocka_unit_test(fd_takes_a_number),
		cmocka_unit_test(socket_and_fd_exclude_each_other),
		cmocka_unit_test(a_transport_is_required),
		cmocka_unit_test(print_capabilities_needs_no_transport),
		cmocka_unit_test(unknown_options_and_arguments_are_refused),
		cmocka_unit_test(unsealed_memory_is_opt_in),
		cmocka_unit_test(topology_names_a_file),
		cmocka_unit_test(quiet_lowers_verbosity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
