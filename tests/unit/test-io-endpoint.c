/* SPDX-License-Identifier: MIT */
/*
 * The generic endpoint layer: spec strings, parameter limits, the kind table and the
 * start/stop/transfer state machine, exercised through the null endpoint.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "io/io.h"

static const struct io_params base_params = {
	.direction = IO_DIR_PLAYBACK,
	.format = IO_FMT_S16_LE,
	.rate = 48000,
	.channels = 2,
	.period_frames = 48,
	.flags = IO_FLAG_FREE_RUN,
};

static void test_spec_splits_kind_argument_and_options(void **state)
{
	struct io_spec s;

	assert_int_equal(io_spec_parse("null", &s), 0);
	assert_string_equal(s.kind, "null");
	assert_null(s.arg);
	assert_int_equal(s.n_opts, 0);

	/* The argument keeps its own ':' (ALSA names); options start at the last '?'. */
	assert_int_equal(io_spec_parse("alsa:plughw:0,0", &s), 0);
	assert_string_equal(s.kind, "alsa");
	assert_string_equal(s.arg, "plughw:0,0");

	assert_int_equal(io_spec_parse("pipewire:sink.a?link&name=vadsp-x", &s), 0);
	assert_string_equal(s.kind, "pipewire");
	assert_string_equal(s.arg, "sink.a");
	assert_int_equal(s.n_opts, 2);
	assert_string_equal(io_spec_opt(&s, "link"), "");
	assert_string_equal(io_spec_opt(&s, "name"), "vadsp-x");
	assert_null(io_spec_opt(&s, "loop"));

	assert_int_equal(io_spec_parse("file:/tmp/a?b.wav?loop", &s), 0);
	assert_string_equal(s.arg, "/tmp/a?b.wav");
	assert_non_null(io_spec_opt(&s, "loop"));

	/* "KIND:" has no argument. */
	assert_int_equal(io_spec_parse("pipewire:", &s), 0);
	assert_null(s.arg);
}

static void test_spec_rejects_malformed_strings(void **state)
{
	static char huge[IO_SPEC_MAX + 8];
	struct io_spec s;

	assert_int_equal(io_spec_parse("", &s), -EINVAL);
	assert_int_equal(io_spec_parse(":x", &s), -EINVAL);
	assert_int_equal(io_spec_parse("Null", &s), -EINVAL);
	assert_int_equal(io_spec_parse("null?=1", &s), -EINVAL);
	assert_int_equal(io_spec_parse("null?a&a", &s), -EINVAL);
	assert_int_equal(io_spec_parse("null?a&b&c&d&e&f&g&h&i", &s), -EINVAL);
	assert_int_equal(io_spec_parse(NULL, &s), -EINVAL);
	memset(huge, 'a', sizeof(huge) - 1);
	assert_int_equal(io_spec_parse(huge, &s), -ENAMETOOLONG);
}

static void test_open_checks_every_parameter(void **state)
{
	struct io_endpoint *ep = (void *)1;
	struct io_params p;

	p = base_params;
	p.rate = IO_RATE_MIN - 1;
	assert_int_equal(io_endpoint_open("null", &p, &ep), -EINVAL);
	assert_null(ep);
	p = base_params;
	p.rate = IO_RATE_MAX + 1;
	assert_int_equal(io_endpoint_open("null", &p, &ep), -EINVAL);
	p = base_params;
	p.channels = 0;
	assert_int_equal(io_endpoint_open("null", &p, &ep), -EINVAL);
	p.channels = IO_CHANNELS_MAX + 1;
	assert_int_equal(io_endpoint_open("null", &p, &ep), -EINVAL);
	p = base_params;
	p.period_frames = 0;
	assert_int_equal(io_endpoint_open("null", &p, &ep), -EINVAL);
	p.period_frames = IO_PERIOD_FRAMES_MAX + 1;
	assert_int_equal(io_endpoint_open("null", &p, &ep), -EINVAL);
	p = base_params;
	p.periods = IO_PERIODS_MAX + 1;
	assert_int_equal(io_endpoint_open("null", &p, &ep), -EINVAL);
	p = base_params;
	p.format = (enum io_format)IO_FORMAT_COUNT;
	assert_int_equal(io_endpoint_open("null", &p, &ep), -EINVAL);
	p = base_params;
	p.direction = (enum io_direction)2;
	assert_int_equal(io_endpoint_open("null", &p, &ep), -EINVAL);
	p = base_params;
	p.flags = 0x80;
	assert_int_equal(io_endpoint_open("null", &p, &ep), -EINVAL);
	/* null takes neither an argument nor options. */
	assert_int_equal(io_endpoint_open("null:x", &base_params, &ep), -EINVAL);
	assert_int_equal(io_endpoint_open("null?loop", &base_params, &ep), -EINVAL);

	assert_int_equal(io_endpoint_open("null", &base_params, &ep), 0);
	assert_int_equal(io_endpoint_params(ep)->periods, IO_PERIODS_DEFAULT);
	assert_string_equal(io_endpoint_kind(ep), "null");
	io_endpoint_close(ep);
}

static void test_unknown_kinds_and_free_running_real_devices_are_not_supported(void **state)
{
	struct io_endpoint *ep;

	assert_int_equal(io_endpoint_open("jack:system", &base_params, &ep), -ENOTSUP);
	assert_null(ep);
	/* ALSA and PipeWire have real clocks; they cannot free-wheel. */
	assert_int_equal(io_endpoint_open("alsa:null", &base_params, &ep), -ENOTSUP);
	assert_int_equal(io_endpoint_open("pipewire", &base_params, &ep), -ENOTSUP);
}

static void test_state_machine_refuses_out_of_order_calls(void **state)
{
	struct io_endpoint *ep;
	struct io_status st;
	int16_t buf[2 * 48] = { 0 };

	assert_int_equal(io_endpoint_open("null", &base_params, &ep), 0);
	/* Stopped: no transfers, stop is a no-op. */
	assert_int_equal(io_endpoint_write(ep, buf, 48), -EBADFD);
	assert_int_equal(io_endpoint_clock_ack(ep), -EBADFD);
	assert_int_equal(io_endpoint_avail(ep), -EBADFD);
	assert_int_equal(io_endpoint_stop(ep), 0);

	assert_int_equal(io_endpoint_start(ep), 0);
	assert_int_equal(io_endpoint_start(ep), -EBUSY);
	/* A playback endpoint cannot be read. */
	assert_int_equal(io_endpoint_read(ep, buf, 48), -EINVAL);
	assert_int_equal(io_endpoint_write(ep, NULL, 48), -EINVAL);
	assert_int_equal(io_endpoint_write(ep, buf, 0), 0);
	assert_int_equal(io_endpoint_write(ep, buf, 48), 48);
	io_endpoint_get_status(ep, &st);
	assert_int_equal(st.state, IO_STATE_RUNNING);
	assert_int_equal(st.frames, 48);

	assert_int_equal(io_endpoint_stop(ep), 0);
	io_endpoint_get_status(ep, &st);
	assert_int_equal(st.state, IO_STATE_STOPPED);
	assert_int_equal(io_endpoint_write(ep, buf, 48), -EBADFD);
	/* Restart is allowed; the frame count runs on. */
	assert_int_equal(io_endpoint_start(ep), 0);
	assert_int_equal(io_endpoint_write(ep, buf, 48), 48);
	io_endpoint_get_status(ep, &st);
	assert_int_equal(st.frames, 96);
	io_endpoint_close(ep);	/* closes while running */
}

static void test_format_sizes_and_names(void **state)
{
	assert_int_equal(io_format_bytes(IO_FMT_S16_LE), 2);
	assert_int_equal(io_format_bytes(IO_FMT_S24_4LE), 4);
	assert_int_equal(io_format_bytes(IO_FMT_S32_LE), 4);
	assert_int_equal(io_format_bytes(IO_FMT_FLOAT), 4);
	assert_int_equal(io_format_bytes((enum io_format)9), 0);
	assert_string_equal(io_format_name(IO_FMT_S24_4LE), "S24_4LE");
	assert_string_equal(io_format_name((enum io_format)9), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_splits_kind_argument_and_options),
		cmocka_unit_test(test_spec_rejects_malformed_strings),
		cmocka_unit_test(test_open_checks_every_parameter),
		cmocka_unit_test(test_unknown_kinds_and_free_running_real_devices_are_not_supported),
		cmocka_unit_test(test_state_machine_refuses_out_of_order_calls),
		cmocka_unit_test(test_format_sizes_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
