// SPDX-License-Identifier: MIT
/*
 * vadspd's command line: the vhost-user back-end program conventions and usage errors,
 * --config against the guest options, --log-level and its precedence, --mgmt-socket.
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

static void config_file_replaces_the_guest_options(void **state)
{
	static const char *const guest_options[] = {
		"--socket-path=/x", "--fd=3", "--topology=/t.tplg", "--controls",
		"--allow-unsealed-memory",
	};
	struct vadspd_options o;
	char msg[256];

	assert_int_equal(parse(&o, msg, sizeof(msg), "--config=/etc/vadspd.conf", NULL), 0);
	assert_int_equal(o.action, VADSPD_RUN);
	assert_string_equal(o.config, "/etc/vadspd.conf");
	assert_null(o.socket_path);
	for (size_t i = 0; i < sizeof(guest_options) / sizeof(guest_options[0]); i++) {
		assert_int_equal(parse(&o, msg, sizeof(msg), "--config=/c", guest_options[i], NULL),
				 -EINVAL);
		assert_non_null(strstr(msg, "is a guest's setting: with --config, set it in the "
					    "guest's section"));
	}
	assert_int_equal(parse(&o, msg, sizeof(msg), "--config=", NULL), -EINVAL);
	assert_non_null(strstr(msg, "--config needs a file name"));
}

static void log_level_names_a_level_and_wins(void **state)
{
	struct vadspd_options o;
	char msg[256];

	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=/x", NULL), 0);
	assert_int_equal(o.log_level, -1);
	assert_int_equal(vadspd_options_log_level(&o, -1), VADSP_LOG_INFO);
	/* Without an option the configuration's level applies. */
	assert_int_equal(vadspd_options_log_level(&o, VADSP_LOG_ERROR), VADSP_LOG_ERROR);
	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=/x", "-v", NULL), 0);
	assert_int_equal(vadspd_options_log_level(&o, VADSP_LOG_ERROR), VADSP_LOG_DEBUG);
	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=/x", "-q", NULL), 0);
	assert_int_equal(vadspd_options_log_level(&o, VADSP_LOG_DEBUG), VADSP_LOG_WARN);
	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=/x", "-v",
			       "--log-level=error", NULL), 0);
	assert_int_equal(vadspd_options_log_level(&o, VADSP_LOG_DEBUG), VADSP_LOG_ERROR);
	assert_int_equal(parse(&o, msg, sizeof(msg), "--config=/c", "--log-level=warning", NULL),
			 0);
	assert_int_equal(vadspd_options_log_level(&o, VADSP_LOG_DEBUG), VADSP_LOG_WARN);
	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=/x", "--log-level=verbose",
			       NULL), -EINVAL);
	assert_non_null(strstr(msg, "'verbose' is not error, warning, info or debug"));
}

static void mgmt_socket_must_fit_a_socket_address(void **state)
{
	struct vadspd_options o;
	char msg[256], arg[200];

	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=/x", "--mgmt-socket=/m",
			       NULL), 0);
	assert_string_equal(o.mgmt_socket, "/m");
	snprintf(arg, sizeof(arg), "--mgmt-socket=/%0107d", 0);
	assert_int_equal(parse(&o, msg, sizeof(msg), "--socket-path=/x", arg, NULL), -EINVAL);
	assert_non_null(strstr(msg, "--mgmt-socket needs a path of 1 to 107 bytes"));
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
		cmocka_unit_test(config_file_replaces_the_guest_options),
		cmocka_unit_test(log_level_names_a_level_and_wins),
		cmocka_unit_test(mgmt_socket_must_fit_a_socket_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
