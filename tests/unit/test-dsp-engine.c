// SPDX-License-Identifier: MIT
/*
 * DSP engine graph, state machine and bookkeeping through engine.h: every error a request can
 * get (duplicate ids, unknown ids, connect without a buffer, pcm params on a non-host, a
 * trigger in the wrong state, freeing a running pipeline, graphs that cannot complete) with
 * its -errno and no side effect; stream positions advancing by a period per tick, wrapping
 * host positions and POSITION events; the xrun actions (silence, drop, stop, the xrun limit,
 * the XRUN trigger); scheduling in data-flow order and at a pipeline's own period; fractional
 * periods; controls; freeing in any order SOF allows; a buffer disconnected from a running
 * mixer or demux and connected again.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dsp/engine.h"
#include "test-dsp-engine-util.h"
#include "util/compiler.h"

#define PERIOD	48u

static struct dsp_engine *engine(void)
{
	struct dsp_engine *e = NULL;

	assert_int_equal(dsp_engine_create(&e, NULL), 0);
	return e;
}

static void engine_config_is_checked(void **state)
{
	struct dsp_engine_config bad_period = { .period_us = 50 };
	struct dsp_engine_config bad_rate = { .rate = 1000 };
	struct dsp_engine_config ok = { .period_us = 2000, .rate = 44100, .events = 16 };
	struct dsp_engine *e = NULL;

	(void)state;
	assert_int_equal(dsp_engine_create(&e, &bad_period), -EINVAL);
	assert_int_equal(dsp_engine_create(&e, &bad_rate), -EINVAL);
	assert_int_equal(dsp_engine_create(&e, &ok), 0);
	assert_int_equal(dsp_engine_period_us(e), 2000);
	assert_int_equal(dsp_engine_tick(e), 0);
	assert_int_equal(dsp_engine_ticks(e), 1);
	dsp_engine_destroy(e);
	dsp_engine_destroy(NULL);
}

static void duplicate_ids_are_refused_with_eexist(void **state)
{
	struct dsp_engine *e = engine();

	(void)state;
	assert_int_equal(t_host(e, 1, 1, DSP_DIR_PLAYBACK, 0), 0);
	assert_int_equal(t_host(e, 1, 1, DSP_DIR_PLAYBACK, 0), -EEXIST);
	assert_int_equal(t_buf(e, 1, 1), -EEXIST);
	assert_int_equal(t_pipe(e, 1, 1, 1), -EEXIST);
	assert_int_equal(t_buf(e, 2, 1), 0);
	assert_int_equal(t_volume(e, 2, 1, DSP_FMT_S32_LE, 0x10000), -EEXIST);
	assert_int_equal(t_pipe(e, 3, 1, 1), 0);
	/* A second pipeline with the same pipeline_id. */
	assert_int_equal(t_pipe(e, 4, 1, 1), -EEXIST);
	assert_int_equal(dsp_comp_state(e, 4), -ENODEV);
	dsp_engine_destroy(e);
}

static void bad_descriptors_are_refused_with_einval(void **state)
{
	struct dsp_engine *e = engine();
	struct dsp_comp_desc unknown = { .id = 1, .type = 9 };
	struct dsp_comp_desc bad_fmt = { .id = 1, .type = DSP_COMP_VOLUME, .fmt = 7 };
	struct dsp_comp_desc bad_dir = { .id = 1, .type = DSP_COMP_HOST, .host = { 2 } };
	struct dsp_comp_desc eq_no_blob = { .id = 1, .type = DSP_COMP_EQ_IIR };
	struct dsp_comp_desc bad_ramp = {
		.id = 1, .type = DSP_COMP_VOLUME, .fmt = DSP_FMT_S32_LE,
		.volume = { .channels = 2, .ramp = 9 },
	};
	struct dsp_comp_desc bad_src = { .id = 1, .type = DSP_COMP_SRC, .src = { 1000, 0 } };
	struct dsp_buffer_desc empty = { .id = 2, .size = 0 };
	struct dsp_pipeline_desc odd_period = { .comp_id = 3, .pipeline_id = 1, .period_us = 1500 };
	uint8_t junk[16] = { 0 };
	struct dsp_comp_desc bad_mux = {
		.id = 1, .type = DSP_COMP_MUX, .fmt = DSP_FMT_S32_LE,
		.process = { .data = junk, .size = sizeof(junk) },
	};

	(void)state;
	assert_int_equal(dsp_comp_new(e, &unknown), -EINVAL);
	assert_int_equal(dsp_comp_new(e, &bad_fmt), -EINVAL);
	assert_int_equal(dsp_comp_new(e, &bad_dir), -EINVAL);
	assert_int_equal(dsp_comp_new(e, &eq_no_blob), -EINVAL);
	assert_int_equal(dsp_comp_new(e, &bad_ramp), -EINVAL);
	assert_int_equal(dsp_comp_new(e, &bad_src), -EINVAL);
	assert_int_equal(dsp_comp_new(e, &bad_mux), -EINVAL);
	assert_int_equal(dsp_buffer_new(e, &empty), -EINVAL);
	assert_int_equal(dsp_pipeline_new(e, &odd_period), -EINVAL);
	/* Nothing of it exists. */
	assert_int_equal(dsp_comp_state(e, 1), -ENODEV);
	assert_int_equal(dsp_comp_state(e, 2), -ENODEV);
	assert_int_equal(dsp_comp_state(e, 3), -ENODEV);
	dsp_engine_destroy(e);
}

static void unknown_ids_get_enodev_and_wrong_kinds_einval(void **state)
{
	struct dsp_engine *e = engine();
	struct dsp_ctrl_value v = { 0, 0x10000 };
	struct dsp_stream_posn posn;
	uint8_t buf[8];

	(void)state;
	assert_int_equal(t_playback(e, 10, 1, DSP_FMT_S32_LE, DSP_FMT_S32_LE, 0x10000, 0), 0);
	assert_int_equal(dsp_comp_free(e, 99), -ENODEV);
	assert_int_equal(dsp_buffer_free(e, 99), -ENODEV);
	assert_int_equal(dsp_pipeline_free(e, 99), -ENODEV);
	assert_int_equal(dsp_pipeline_complete(e, 99), -ENODEV);
	assert_int_equal(dsp_connect(e, 99, 11), -ENODEV);
	assert_int_equal(dsp_connect(e, 11, 99), -ENODEV);
	assert_int_equal(t_pcm(e, 99, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), -ENODEV);
	assert_int_equal(dsp_pcm_free(e, 99), -ENODEV);
	assert_int_equal(dsp_trigger(e, 99, DSP_TRIGGER_START), -ENODEV);
	assert_int_equal(dsp_comp_set_values(e, 99, DSP_CTRL_VOLUME, &v, 1), -ENODEV);
	assert_int_equal(dsp_comp_get_values(e, 99, DSP_CTRL_VOLUME, &v, 1), -ENODEV);
	assert_int_equal(dsp_comp_set_data(e, 99, buf, sizeof(buf)), -ENODEV);
	assert_int_equal(dsp_comp_get_data(e, 99, buf, sizeof(buf)), -ENODEV);
	assert_int_equal(dsp_stream_position(e, 99, &posn), -ENODEV);
	assert_int_equal(dsp_host_write(e, 99, buf, 1), -ENODEV);
	assert_int_equal(dsp_host_read(e, 99, buf, 1), -ENODEV);
	assert_int_equal(dsp_host_avail(e, 99), -ENODEV);
	assert_int_equal(dsp_dai_bind(e, 99, NULL), -ENODEV);
	assert_int_equal(dsp_pipeline_params(e, 99, 48000, 2), -ENODEV);

	/* Ids of another kind of object. */
	assert_int_equal(dsp_comp_free(e, 11), -EINVAL);	/* a buffer */
	assert_int_equal(dsp_comp_free(e, 15), -EINVAL);	/* a pipeline */
	assert_int_equal(dsp_buffer_free(e, 12), -EINVAL);	/* a volume */
	assert_int_equal(dsp_pipeline_free(e, 12), -EINVAL);
	assert_int_equal(dsp_pipeline_complete(e, 11), -EINVAL);
	assert_int_equal(dsp_trigger(e, 12, DSP_TRIGGER_START), -EINVAL);
	assert_int_equal(dsp_trigger(e, 15, DSP_TRIGGER_START), -EINVAL);	/* has a host */
	assert_int_equal(dsp_stream_position(e, 12, &posn), -EINVAL);
	assert_int_equal(dsp_host_write(e, 12, buf, 1), -EINVAL);
	assert_int_equal(dsp_host_read(e, 10, buf, 1), -EINVAL);		/* playback host */
	assert_int_equal(dsp_host_write(e, 10, buf, 1), -EBADFD);		/* not prepared */
	assert_int_equal(dsp_host_avail(e, 10), -EBADFD);
	assert_int_equal(dsp_dai_bind(e, 12, NULL), -EINVAL);
	assert_int_equal(dsp_pipeline_params(e, 15, 48000, 2), -EINVAL);	/* has a host */
	assert_int_equal(dsp_comp_set_values(e, 11, DSP_CTRL_VOLUME, &v, 1), -EINVAL);
	assert_int_equal(dsp_comp_set_values(e, 10, DSP_CTRL_VOLUME, &v, 1), -EINVAL);
	assert_int_equal(dsp_comp_set_data(e, 12, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(dsp_comp_get_data(e, 12, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(dsp_comp_set_values(e, 12, DSP_CTRL_ENUM, &v, 1), -EINVAL);
	dsp_engine_destroy(e);
}

static void connect_needs_exactly_one_buffer(void **state)
{
	struct dsp_engine *e = engine();

	(void)state;
	assert_int_equal(t_host(e, 1, 1, DSP_DIR_PLAYBACK, 0), 0);
	assert_int_equal(t_volume(e, 2, 1, DSP_FMT_S32_LE, 0x10000), 0);
	assert_int_equal(t_buf(e, 3, 1), 0);
	assert_int_equal(t_buf(e, 4, 1), 0);
	assert_int_equal(t_pipe(e, 5, 1, 1), 0);
	assert_int_equal(dsp_connect(e, 1, 2), -EINVAL);	/* component -> component */
	assert_int_equal(dsp_connect(e, 3, 4), -EINVAL);	/* buffer -> buffer */
	assert_int_equal(dsp_connect(e, 5, 3), -EINVAL);	/* a pipeline */
	assert_int_equal(dsp_connect(e, 1, 3), 0);
	assert_int_equal(dsp_connect(e, 1, 4), -EINVAL);	/* a host has one output */
	assert_int_equal(dsp_connect(e, 2, 3), -EINVAL);	/* buffer 3 has its source */
	assert_int_equal(dsp_connect(e, 3, 1), -EINVAL);	/* a playback host has no input */
	assert_int_equal(dsp_connect(e, 3, 2), 0);
	assert_int_equal(dsp_connect(e, 4, 2), -EINVAL);	/* volume: one input */
	dsp_engine_destroy(e);
}

static void complete_checks_the_graph(void **state)
{
	struct dsp_engine *e = engine();
	const uint32_t loop[] = { 20, 21, 22, 23, 20 };
	struct dsp_pipeline_desc bad_sched = { .comp_id = 9, .pipeline_id = 3, .sched_id = 77 };

	(void)state;
	/* No component at all. */
	assert_int_equal(t_pipe(e, 5, 1, 1), 0);
	assert_int_equal(dsp_pipeline_complete(e, 5), -EINVAL);
	assert_int_equal(dsp_comp_state(e, 5), DSP_STATE_INIT);

	/* A volume with nothing after it. */
	assert_int_equal(t_host(e, 1, 1, DSP_DIR_PLAYBACK, 0), 0);
	assert_int_equal(t_buf(e, 2, 1), 0);
	assert_int_equal(t_volume(e, 3, 1, DSP_FMT_S32_LE, 0x10000), 0);
	assert_int_equal(dsp_connect(e, 1, 2), 0);
	assert_int_equal(dsp_connect(e, 2, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 5), -EINVAL);
	/* A buffer with no sink. */
	assert_int_equal(t_buf(e, 4, 1), 0);
	assert_int_equal(dsp_connect(e, 3, 4), 0);
	assert_int_equal(dsp_pipeline_complete(e, 5), -EINVAL);
	/* Then a DAI: complete. */
	assert_int_equal(t_dai(e, 6, 1, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 0), 0);
	assert_int_equal(dsp_connect(e, 4, 6), 0);
	assert_int_equal(dsp_pipeline_complete(e, 5), 0);
	assert_int_equal(dsp_comp_state(e, 5), DSP_STATE_READY);
	assert_int_equal(dsp_comp_state(e, 3), DSP_STATE_READY);
	/* A stray component in the pipeline, connected to nothing of it. */
	assert_int_equal(t_dai(e, 7, 1, DSP_DIR_CAPTURE, DSP_FMT_S32_LE, 0), 0);
	assert_int_equal(dsp_pipeline_complete(e, 5), -EINVAL);
	assert_int_equal(dsp_comp_state(e, 5), DSP_STATE_INIT);
	assert_int_equal(dsp_comp_free(e, 7), 0);
	assert_int_equal(dsp_pipeline_complete(e, 5), 0);

	/* The scheduling component must exist. */
	assert_int_equal(dsp_pipeline_new(e, &bad_sched), 0);
	assert_int_equal(t_host(e, 8, 3, DSP_DIR_PLAYBACK, 0), 0);
	assert_int_equal(t_buf(e, 10, 3), 0);
	assert_int_equal(t_dai(e, 11, 3, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 0), 0);
	assert_int_equal(dsp_connect(e, 8, 10), 0);
	assert_int_equal(dsp_connect(e, 10, 11), 0);
	assert_int_equal(dsp_pipeline_complete(e, 9), -EINVAL);

	/* A cycle: mixer -> buffer -> volume -> buffer -> mixer. */
	assert_int_equal(t_simple(e, 20, DSP_COMP_MIXER, 2, DSP_FMT_S32_LE), 0);
	assert_int_equal(t_buf(e, 21, 2), 0);
	assert_int_equal(t_volume(e, 22, 2, DSP_FMT_S32_LE, 0x10000), 0);
	assert_int_equal(t_buf(e, 23, 2), 0);
	assert_int_equal(t_pipe(e, 24, 2, 20), 0);
	assert_int_equal(t_chain(e, loop, 5), 0);
	assert_int_equal(dsp_pipeline_complete(e, 24), -EINVAL);

	/* Two hosts in one pipeline. */
	assert_int_equal(t_host(e, 30, 4, DSP_DIR_PLAYBACK, 0), 0);
	assert_int_equal(t_buf(e, 31, 4), 0);
	assert_int_equal(t_simple(e, 32, DSP_COMP_MIXER, 4, DSP_FMT_S32_LE), 0);
	assert_int_equal(t_host(e, 33, 4, DSP_DIR_PLAYBACK, 0), 0);
	assert_int_equal(t_buf(e, 34, 4), 0);
	assert_int_equal(t_buf(e, 35, 4), 0);
	assert_int_equal(t_dai(e, 36, 4, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 0), 0);
	assert_int_equal(t_pipe(e, 37, 4, 36), 0);
	assert_int_equal(dsp_connect(e, 30, 31), 0);
	assert_int_equal(dsp_connect(e, 31, 32), 0);
	assert_int_equal(dsp_connect(e, 33, 34), 0);
	assert_int_equal(dsp_connect(e, 34, 32), 0);
	assert_int_equal(dsp_connect(e, 32, 35), 0);
	assert_int_equal(dsp_connect(e, 35, 36), 0);
	assert_int_equal(dsp_pipeline_complete(e, 37), -EINVAL);
	dsp_engine_destroy(e);
}

static void pcm_params_errors_change_nothing(void **state)
{
	struct dsp_engine *e = engine();
	struct dsp_pcm_params p = {
		.direction = DSP_DIR_PLAYBACK, .fmt = DSP_FMT_S32_LE, .rate = 48000, .channels = 2,
	};
	struct dsp_pcm_params bad;
	struct t_io io = { 0 };

	(void)state;
	/* Host not in a complete pipeline. */
	assert_int_equal(t_host(e, 1, 9, DSP_DIR_PLAYBACK, 0), 0);
	assert_int_equal(dsp_pcm_params(e, 1, &p), -EINVAL);

	assert_int_equal(t_playback(e, 10, 1, DSP_FMT_S32_LE, DSP_FMT_S32_LE, 0x10000, 0), 0);
	/* On a volume, a buffer, a DAI, a pipeline. */
	assert_int_equal(dsp_pcm_params(e, 12, &p), -EINVAL);
	assert_int_equal(dsp_pcm_params(e, 11, &p), -EINVAL);
	assert_int_equal(dsp_pcm_params(e, 14, &p), -EINVAL);
	assert_int_equal(dsp_pcm_params(e, 15, &p), -EINVAL);
	/* Impossible streams. */
	bad = p;
	bad.direction = DSP_DIR_CAPTURE;
	assert_int_equal(dsp_pcm_params(e, 10, &bad), -EINVAL);
	bad = p;
	bad.rate = 4000;
	assert_int_equal(dsp_pcm_params(e, 10, &bad), -EINVAL);
	bad = p;
	bad.rate = 384000;
	assert_int_equal(dsp_pcm_params(e, 10, &bad), -EINVAL);
	bad = p;
	bad.channels = 0;
	assert_int_equal(dsp_pcm_params(e, 10, &bad), -EINVAL);
	bad = p;
	bad.channels = 9;
	assert_int_equal(dsp_pcm_params(e, 10, &bad), -EINVAL);
	bad = p;
	bad.fmt = 4;
	assert_int_equal(dsp_pcm_params(e, 10, &bad), -EINVAL);
	/* A DAI bound to I/O at another rate: propagation fails, nothing is prepared. */
	assert_int_equal(t_bind(e, 14, &io, DSP_FMT_S32_LE, 44100, 2), 0);
	assert_int_equal(dsp_pcm_params(e, 10, &p), -EINVAL);
	assert_int_equal(dsp_comp_state(e, 15), DSP_STATE_READY);
	assert_int_equal(dsp_host_avail(e, 10), -EBADFD);
	assert_int_equal(dsp_dai_bind(e, 14, NULL), 0);

	assert_int_equal(dsp_pcm_params(e, 10, &p), 0);
	assert_int_equal(dsp_comp_state(e, 15), DSP_STATE_PREPARE);
	assert_int_equal(dsp_comp_state(e, 12), DSP_STATE_PREPARE);
	/* Again while prepared; binding the prepared DAI. */
	assert_int_equal(dsp_pcm_params(e, 10, &p), -EBUSY);
	assert_int_equal(t_bind(e, 14, &io, DSP_FMT_S32_LE, 48000, 2), -EBUSY);
	assert_int_equal(dsp_pcm_free(e, 10), 0);
	assert_int_equal(dsp_comp_state(e, 15), DSP_STATE_READY);
	assert_int_equal(dsp_pcm_free(e, 10), 0);	/* nothing to free: fine */
	dsp_engine_destroy(e);
}

static void triggers_follow_the_sof_state_machine(void **state)
{
	struct dsp_engine *e = engine();

	(void)state;
	assert_int_equal(t_playback(e, 10, 1, DSP_FMT_S32_LE, DSP_FMT_S32_LE, 0x10000,
				    DSP_XRUN_UNDER_ZERO), 0);
	/* READY: no trigger is allowed. */
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), -EINVAL);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_XRUN), -EINVAL);
	assert_int_equal(dsp_comp_state(e, 10), DSP_STATE_READY);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	/* PREPARE: only START (and XRUN). */
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_STOP), -EINVAL);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_PAUSE), -EINVAL);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_RELEASE), -EINVAL);
	assert_int_equal(dsp_trigger(e, 10, 17), -EINVAL);
	assert_int_equal(dsp_comp_state(e, 10), DSP_STATE_PREPARE);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_comp_state(e, 10), DSP_STATE_ACTIVE);
	assert_int_equal(dsp_comp_state(e, 13), DSP_STATE_ACTIVE);	/* a buffer */
	/* ACTIVE: not START or RELEASE. */
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), -EINVAL);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_RELEASE), -EINVAL);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_PAUSE), 0);
	assert_int_equal(dsp_comp_state(e, 10), DSP_STATE_PAUSED);
	/* PAUSED: RELEASE or STOP. */
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_PAUSE), -EINVAL);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), -EINVAL);
	assert_int_equal(dsp_engine_tick(e), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_RELEASE), 0);
	assert_int_equal(dsp_engine_tick(e), 1);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_STOP), 0);
	assert_int_equal(dsp_comp_state(e, 10), DSP_STATE_PREPARE);
	assert_int_equal(dsp_engine_tick(e), 0);
	/* Pause then stop. */
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_PAUSE), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_STOP), 0);
	assert_int_equal(dsp_comp_state(e, 10), DSP_STATE_PREPARE);
	dsp_engine_destroy(e);
}

static void freeing_running_objects_is_refused_with_ebusy(void **state)
{
	struct dsp_engine *e = engine();

	(void)state;
	assert_int_equal(t_playback(e, 10, 1, DSP_FMT_S32_LE, DSP_FMT_S32_LE, 0x10000,
				    DSP_XRUN_UNDER_ZERO), 0);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_pipeline_free(e, 15), -EBUSY);
	assert_int_equal(dsp_comp_free(e, 12), -EBUSY);
	assert_int_equal(dsp_buffer_free(e, 11), -EBUSY);
	assert_int_equal(dsp_pipeline_complete(e, 15), -EBUSY);
	assert_int_equal(dsp_pcm_free(e, 10), -EBUSY);
	assert_int_equal(t_buf(e, 16, 1), 0);
	assert_int_equal(dsp_connect(e, 12, 16), -EINVAL);	/* volume has its output */
	assert_int_equal(dsp_connect(e, 16, 14), -EINVAL);	/* the DAI has its input */
	assert_int_equal(dsp_engine_tick(e), 1);
	/* Stopped but still prepared: still busy. */
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_STOP), 0);
	assert_int_equal(dsp_pipeline_free(e, 15), -EBUSY);
	assert_int_equal(dsp_comp_free(e, 14), -EBUSY);
	assert_int_equal(dsp_pcm_free(e, 10), 0);
	assert_int_equal(dsp_comp_state(e, 15), DSP_STATE_READY);
	/* Now everything goes, the pipeline first as the 2020 teardown does. */
	assert_int_equal(dsp_pipeline_free(e, 15), 0);
	assert_int_equal(dsp_comp_state(e, 12), DSP_STATE_INIT);
	assert_int_equal(dsp_engine_tick(e), 0);
	assert_int_equal(dsp_buffer_free(e, 16), 0);
	assert_int_equal(dsp_comp_free(e, 10), 0);
	assert_int_equal(dsp_buffer_free(e, 11), 0);
	assert_int_equal(dsp_comp_free(e, 12), 0);
	assert_int_equal(dsp_buffer_free(e, 13), 0);
	assert_int_equal(dsp_comp_free(e, 14), 0);
	assert_int_equal(dsp_comp_state(e, 10), -ENODEV);
	dsp_engine_destroy(e);
}

static void components_can_go_before_their_pipeline(void **state)
{
	struct dsp_engine *e = engine();
	uint32_t round;

	(void)state;
	for (round = 0; round < 2; round++) {
		/* The same ids again after a teardown: they are free. */
		assert_int_equal(t_playback(e, 10, 1, DSP_FMT_S32_LE, DSP_FMT_S32_LE, 0x10000,
					    DSP_XRUN_UNDER_ZERO), 0);
		assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
		assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
		assert_int_equal(dsp_engine_tick(e), 1);
		assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_STOP), 0);
		assert_int_equal(dsp_pcm_free(e, 10), 0);
		/* A component out of a complete pipeline sends it back to INIT. */
		assert_int_equal(dsp_comp_free(e, 12), 0);
		assert_int_equal(dsp_comp_state(e, 15), DSP_STATE_INIT);
		assert_int_equal(dsp_pipeline_complete(e, 15), -EINVAL);
		assert_int_equal(dsp_engine_tick(e), 0);
		assert_int_equal(dsp_buffer_free(e, 13), 0);
		assert_int_equal(dsp_comp_free(e, 14), 0);
		assert_int_equal(dsp_buffer_free(e, 11), 0);
		assert_int_equal(dsp_comp_free(e, 10), 0);
		assert_int_equal(dsp_pipeline_free(e, 15), 0);
	}
	dsp_engine_destroy(e);
}

/* ---------------------------------------------------------------------------------------- */

static void positions_advance_by_a_period_per_tick(void **state)
{
	enum { TICKS = 10 };
	static int32_t frames[PERIOD * 2 * TICKS];
	struct dsp_pcm_params p = {
		.direction = DSP_DIR_PLAYBACK, .fmt = DSP_FMT_S32_LE, .rate = 48000, .channels = 2,
		.buffer_bytes = 3 * PERIOD * 8, .period_bytes = 2 * PERIOD * 8,
	};
	struct dsp_engine *e = engine();
	struct dsp_stream_posn posn;
	struct dsp_event ev;
	uint32_t t, positions = 0;

	(void)state;
	assert_int_equal(t_playback(e, 10, 1, DSP_FMT_S32_LE, DSP_FMT_S16_LE, 0x10000, 0), 0);
	assert_int_equal(dsp_pcm_params(e, 10, &p), 0);
	assert_int_equal(dsp_stream_position(e, 10, &posn), 0);
	assert_int_equal(posn.host_frames, 0);
	/* The guest may queue its buffer (three periods), no more. */
	assert_int_equal(dsp_host_avail(e, 10), 3 * PERIOD);
	assert_int_equal(dsp_host_write(e, 10, frames, 4 * PERIOD), 3 * PERIOD);
	assert_int_equal(dsp_host_avail(e, 10), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	for (t = 1; t <= TICKS; t++) {
		assert_int_equal(dsp_host_write(e, 10, frames, PERIOD), t == 1 ? 0 : (int)PERIOD);
		assert_int_equal(dsp_engine_tick(e), 1);
		assert_int_equal(dsp_stream_position(e, 10, &posn), 0);
		assert_int_equal(posn.host_frames, t * PERIOD);
		assert_int_equal(posn.host_posn, (t * PERIOD * 8) % (3 * PERIOD * 8));
		assert_int_equal(posn.dai_frames, t * PERIOD);
		assert_int_equal(posn.dai_posn, t * PERIOD * 4);	/* the DAI works in S16 */
		assert_int_equal(posn.wallclock, t * PERIOD);
		assert_int_equal(posn.xruns, 0);
	}
	/* A POSITION event every two periods. */
	while (dsp_engine_next_event(e, &ev) == 1) {
		assert_int_equal(ev.type, DSP_EVENT_POSITION);
		assert_int_equal(ev.host_id, 10);
		positions++;
		assert_int_equal(ev.posn.host_frames, positions * 2 * PERIOD);
	}
	assert_int_equal(positions, TICKS / 2);
	assert_int_equal(dsp_engine_events_dropped(e), 0);

	/* START again restarts the positions. */
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_STOP), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_stream_position(e, 10, &posn), 0);
	assert_int_equal(posn.host_frames, 0);
	assert_int_equal(posn.dai_frames, 0);
	dsp_engine_destroy(e);
}

static void fractional_periods_are_spread_over_ticks(void **state)
{
	struct dsp_engine *e = engine();
	struct dsp_stream_posn posn;
	uint64_t last = 0;
	uint32_t t;

	(void)state;
	assert_int_equal(t_playback(e, 10, 1, DSP_FMT_S32_LE, DSP_FMT_S32_LE, 0x10000,
				    DSP_XRUN_UNDER_ZERO), 0);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 44100, 2), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	for (t = 1; t <= 20; t++) {
		uint64_t step;

		dsp_engine_tick(e);
		assert_int_equal(dsp_stream_position(e, 10, &posn), 0);
		step = posn.wallclock - last;
		last = posn.wallclock;
		assert_true(step == 44 || step == 45);
		assert_int_equal(posn.dai_frames, posn.wallclock);
		assert_int_equal(posn.wallclock, t * 44100 / 1000);
	}
	dsp_engine_destroy(e);
}

static void a_pipeline_runs_at_its_own_period(void **state)
{
	struct dsp_pipeline_desc slow = {
		.comp_id = 15, .pipeline_id = 1, .sched_id = 14, .period_us = 2000,
	};
	const uint32_t ids[] = { 10, 11, 14 };
	struct dsp_engine *e = engine();
	struct dsp_stream_posn posn;
	uint32_t t;

	(void)state;
	assert_int_equal(t_host(e, 10, 1, DSP_DIR_PLAYBACK, DSP_XRUN_UNDER_ZERO), 0);
	assert_int_equal(t_buf(e, 11, 1), 0);
	assert_int_equal(t_dai(e, 14, 1, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, DSP_XRUN_UNDER_ZERO), 0);
	assert_int_equal(dsp_pipeline_new(e, &slow), 0);
	assert_int_equal(t_chain(e, ids, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 15), 0);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	for (t = 0; t < 10; t++)
		assert_int_equal(dsp_engine_tick(e), t % 2 == 0);
	assert_int_equal(dsp_stream_position(e, 10, &posn), 0);
	assert_int_equal(posn.wallclock, 5 * 2 * PERIOD);
	dsp_engine_destroy(e);
}

/* ---------------------------------------------------------------------------------------- */

static void underrun_with_under_zero_plays_silence_and_counts(void **state)
{
	static int32_t in[PERIOD * 2];
	struct dsp_engine *e = engine();
	struct dsp_stream_posn posn;
	struct dsp_event ev;
	struct t_io io = { 0 };
	uint32_t i, xruns = 0;
	const int32_t *out;

	(void)state;
	for (i = 0; i < PERIOD * 2; i++)
		in[i] = (int32_t)(i + 1) * 1000;
	io.rec = calloc(1, 3 * PERIOD * 8);
	io.rec_cap = 3 * PERIOD * 8;
	assert_int_equal(t_playback(e, 10, 1, DSP_FMT_S32_LE, DSP_FMT_S32_LE, 0x10000,
				    DSP_XRUN_UNDER_ZERO), 0);
	assert_int_equal(t_bind(e, 14, &io, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	/* Half a period, then nothing for two ticks. */
	assert_int_equal(dsp_host_write(e, 10, in, PERIOD / 2), (int)PERIOD / 2);
	for (i = 0; i < 3; i++)
		assert_int_equal(dsp_engine_tick(e), 1);
	assert_int_equal(io.rec_len, 3 * PERIOD * 8);
	out = (const int32_t *)io.rec;
	for (i = 0; i < 3 * PERIOD * 2; i++)
		assert_int_equal(out[i], i < PERIOD ? in[i] : 0);
	assert_int_equal(dsp_stream_position(e, 10, &posn), 0);
	assert_int_equal(posn.xruns, 3);
	assert_int_equal(posn.xrun_comp_id, 10);
	assert_int_equal(posn.xrun_size, -(int32_t)(PERIOD * 8));
	assert_int_equal(posn.host_frames, PERIOD / 2);
	assert_int_equal(posn.wallclock, 3 * PERIOD);
	while (dsp_engine_next_event(e, &ev) == 1)
		if (ev.type == DSP_EVENT_XRUN)
			xruns++;
	assert_int_equal(xruns, 3);
	assert_int_equal(dsp_comp_state(e, 15), DSP_STATE_ACTIVE);
	free(io.rec);
	dsp_engine_destroy(e);
}

static void underrun_with_stop_stops_the_data_path_until_restart(void **state)
{
	static int32_t in[PERIOD * 2];
	struct dsp_engine *e = engine();
	struct dsp_stream_posn posn;

	(void)state;
	assert_int_equal(t_playback(e, 10, 1, DSP_FMT_S32_LE, DSP_FMT_S32_LE, 0x10000,
				    DSP_XRUN_STOP), 0);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_host_write(e, 10, in, PERIOD), (int)PERIOD);
	assert_int_equal(dsp_engine_tick(e), 1);
	assert_int_equal(dsp_engine_tick(e), 1);	/* the underrun: the pipeline stops in it */
	assert_int_equal(dsp_engine_tick(e), 0);
	assert_int_equal(dsp_stream_position(e, 10, &posn), 0);
	assert_int_equal(posn.xruns, 1);
	assert_int_equal(posn.dai_frames, PERIOD);
	/* The state stays ACTIVE, as SOF's xrun leaves it; STOP and START recover. */
	assert_int_equal(dsp_comp_state(e, 15), DSP_STATE_ACTIVE);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_STOP), 0);
	assert_int_equal(dsp_host_write(e, 10, in, PERIOD), (int)PERIOD);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_engine_tick(e), 1);
	assert_int_equal(dsp_stream_position(e, 10, &posn), 0);
	assert_int_equal(posn.host_frames, PERIOD);
	assert_int_equal(posn.xruns, 1);
	dsp_engine_destroy(e);
}

static void xrun_limit_tolerates_short_xruns(void **state)
{
	struct dsp_pipeline_desc pd = {
		.comp_id = 15, .pipeline_id = 1, .sched_id = 14, .xrun_limit_us = 2500,
	};
	const uint32_t ids[] = { 10, 11, 14 };
	struct dsp_engine *e = engine();
	struct dsp_stream_posn posn;

	(void)state;
	assert_int_equal(t_host(e, 10, 1, DSP_DIR_PLAYBACK, DSP_XRUN_STOP), 0);
	assert_int_equal(t_buf(e, 11, 1), 0);
	assert_int_equal(t_dai(e, 14, 1, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 0), 0);
	assert_int_equal(dsp_pipeline_new(e, &pd), 0);
	assert_int_equal(t_chain(e, ids, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 15), 0);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	/* 1, 2 ms of underrun: within 2.5 ms, silence goes out; 3 ms: stopped. */
	assert_int_equal(dsp_engine_tick(e), 1);
	assert_int_equal(dsp_engine_tick(e), 1);
	assert_int_equal(dsp_engine_tick(e), 1);
	assert_int_equal(dsp_engine_tick(e), 0);
	assert_int_equal(dsp_stream_position(e, 10, &posn), 0);
	assert_int_equal(posn.xruns, 3);
	assert_int_equal(posn.dai_frames, 2 * PERIOD);
	dsp_engine_destroy(e);
}

static void xrun_trigger_stops_the_data_path_and_keeps_the_state(void **state)
{
	struct dsp_engine *e = engine();

	(void)state;
	assert_int_equal(t_playback(e, 10, 1, DSP_FMT_S32_LE, DSP_FMT_S32_LE, 0x10000,
				    DSP_XRUN_UNDER_ZERO), 0);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_XRUN), 0);	/* PREPARE: allowed */
	assert_int_equal(dsp_comp_state(e, 15), DSP_STATE_PREPARE);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_engine_tick(e), 1);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_XRUN), 0);
	assert_int_equal(dsp_comp_state(e, 15), DSP_STATE_ACTIVE);
	assert_int_equal(dsp_engine_tick(e), 0);
	/* PAUSE / RELEASE restart the data path. */
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_PAUSE), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_RELEASE), 0);
	assert_int_equal(dsp_engine_tick(e), 1);
	dsp_engine_destroy(e);
}

static void capture_overrun_with_over_null_drops_and_goes_on(void **state)
{
	const uint32_t ids[] = { 20, 21, 22 };
	struct dsp_pcm_params p = {
		.direction = DSP_DIR_CAPTURE, .fmt = DSP_FMT_S16_LE, .rate = 48000, .channels = 2,
		.buffer_bytes = 2 * PERIOD * 4,
	};
	struct dsp_engine *e = engine();
	struct dsp_stream_posn posn;
	int16_t got[PERIOD * 2];
	uint32_t t;

	(void)state;
	/* Unbound capture DAI (silence) -> buffer -> capture host that nobody reads. */
	assert_int_equal(t_dai(e, 20, 1, DSP_DIR_CAPTURE, DSP_FMT_S32_LE, 0), 0);
	assert_int_equal(t_buf(e, 21, 1), 0);
	assert_int_equal(t_host(e, 22, 1, DSP_DIR_CAPTURE, DSP_XRUN_OVER_NULL), 0);
	assert_int_equal(t_pipe(e, 23, 1, 20), 0);
	assert_int_equal(t_chain(e, ids, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 23), 0);
	assert_int_equal(dsp_pcm_params(e, 22, &p), 0);
	assert_int_equal(dsp_trigger(e, 22, DSP_TRIGGER_START), 0);
	for (t = 0; t < 5; t++)
		assert_int_equal(dsp_engine_tick(e), 1);
	assert_int_equal(dsp_stream_position(e, 22, &posn), 0);
	assert_int_equal(posn.xruns, 3);		/* ticks 3, 4 and 5 found the ring full */
	assert_int_equal(posn.xrun_size, (int32_t)(PERIOD * 4));
	assert_int_equal(posn.host_frames, 2 * PERIOD);
	assert_int_equal(posn.dai_frames, 5 * PERIOD);
	assert_int_equal(dsp_host_avail(e, 22), 2 * PERIOD);
	assert_int_equal(dsp_host_read(e, 22, got, PERIOD), (int)PERIOD);
	assert_int_equal(dsp_engine_tick(e), 1);
	assert_int_equal(dsp_stream_position(e, 22, &posn), 0);
	assert_int_equal(posn.xruns, 3);
	assert_int_equal(posn.host_frames, 3 * PERIOD);
	dsp_engine_destroy(e);
}

static void a_full_event_queue_counts_what_it_drops(void **state)
{
	struct dsp_engine_config cfg = { .events = 4 };
	struct dsp_engine *e = NULL;
	struct dsp_event ev;
	uint32_t n = 0, t;

	(void)state;
	assert_int_equal(dsp_engine_create(&e, &cfg), 0);
	assert_int_equal(t_playback(e, 10, 1, DSP_FMT_S32_LE, DSP_FMT_S32_LE, 0x10000,
				    DSP_XRUN_UNDER_ZERO), 0);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	for (t = 0; t < 10; t++)
		dsp_engine_tick(e);
	while (dsp_engine_next_event(e, &ev) == 1)
		n++;
	assert_true(n >= 4);
	assert_int_equal(n + dsp_engine_events_dropped(e), 10);
	dsp_engine_destroy(e);
}

/* ---------------------------------------------------------------------------------------- */

static void feeders_run_before_the_pipeline_they_feed(void **state)
{
	/* The mixer pipeline is created first and has the best priority; the guest
	 * pipeline created after it must still run first in each tick. */
	struct dsp_pipeline_desc mixer_pd = {
		.comp_id = 103, .pipeline_id = 1, .sched_id = 102, .priority = 0,
	};
	struct dsp_pipeline_desc guest_pd = {
		.comp_id = 204, .pipeline_id = 2, .sched_id = 102, .priority = 7,
	};
	const uint32_t host_side[] = { 100, 101, 102 }, guest[] = { 200, 201, 100 };
	static int32_t in[PERIOD * 2];
	struct dsp_engine *e = engine();
	struct t_io io = { 0 };
	uint32_t i;

	(void)state;
	for (i = 0; i < PERIOD * 2; i++)
		in[i] = 12345 + (int32_t)i;
	io.rec = calloc(1, PERIOD * 8);
	io.rec_cap = PERIOD * 8;
	assert_int_equal(t_simple(e, 100, DSP_COMP_MIXER, 1, DSP_FMT_S32_LE), 0);
	assert_int_equal(t_buf(e, 101, 1), 0);
	assert_int_equal(t_dai(e, 102, 1, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 0), 0);
	assert_int_equal(dsp_pipeline_new(e, &mixer_pd), 0);
	assert_int_equal(t_chain(e, host_side, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 103), 0);
	assert_int_equal(t_bind(e, 102, &io, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(t_host(e, 200, 2, DSP_DIR_PLAYBACK, 0), 0);
	assert_int_equal(t_buf(e, 201, 2), 0);
	assert_int_equal(dsp_pipeline_new(e, &guest_pd), 0);
	assert_int_equal(t_chain(e, guest, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 204), 0);
	assert_int_equal(t_pcm(e, 200, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_host_write(e, 200, in, PERIOD), (int)PERIOD);
	assert_int_equal(dsp_trigger(e, 200, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_engine_tick(e), 2);
	assert_int_equal(io.rec_len, PERIOD * 8);
	assert_memory_equal(io.rec, in, sizeof(in));
	free(io.rec);
	dsp_engine_destroy(e);
}

static void a_guest_joins_and_leaves_a_running_mixer(void **state)
{
	const uint32_t guest[] = { 200, 201, 100 };
	struct dsp_engine *e = engine();
	uint32_t round;

	(void)state;
	assert_int_equal(t_mixer_out(e, 100, 1, DSP_FMT_S32_LE), 0);
	/* The host side runs on its own (silence). */
	assert_int_equal(dsp_pipeline_params(e, 103, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 103, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_engine_tick(e), 1);

	for (round = 0; round < 2; round++) {
		assert_int_equal(t_host(e, 200, 2, DSP_DIR_PLAYBACK, DSP_XRUN_UNDER_ZERO), 0);
		assert_int_equal(t_buf(e, 201, 2), 0);
		assert_int_equal(t_pipe(e, 204, 2, 102), 0);
		assert_int_equal(t_chain(e, guest, 3), 0);
		assert_int_equal(dsp_pipeline_complete(e, 204), 0);
		/* A guest at another rate cannot join the 48 kHz mixer. */
		assert_int_equal(t_pcm(e, 200, DSP_DIR_PLAYBACK, DSP_FMT_S16_LE, 44100, 2),
				 -EINVAL);
		assert_int_equal(t_pcm(e, 200, DSP_DIR_PLAYBACK, DSP_FMT_S16_LE, 48000, 2), 0);
		assert_int_equal(dsp_trigger(e, 200, DSP_TRIGGER_START), 0);
		assert_int_equal(dsp_engine_tick(e), 2);
		assert_int_equal(dsp_trigger(e, 200, DSP_TRIGGER_STOP), 0);
		/* The host side was started on its own: it keeps running. */
		assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_ACTIVE);
		assert_int_equal(dsp_pcm_free(e, 200), 0);
		assert_int_equal(dsp_pipeline_free(e, 204), 0);
		assert_int_equal(dsp_buffer_free(e, 201), 0);	/* leaves the running mixer */
		assert_int_equal(dsp_comp_free(e, 200), 0);
		assert_int_equal(dsp_engine_tick(e), 1);
	}
	/* The mixer pipeline itself cannot go while it runs. */
	assert_int_equal(dsp_pcm_free(e, 103), -EBUSY);
	assert_int_equal(dsp_trigger(e, 103, DSP_TRIGGER_STOP), 0);
	assert_int_equal(dsp_pcm_free(e, 103), 0);
	assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_READY);
	dsp_engine_destroy(e);
}

/*
 * A connected guest buffer leaves a running mixer without being freed: the mixer's input is
 * free at once and taken again by the same buffer, while another guest's stream through the
 * mixer stays bit-exact. Not while the leaving guest's pipeline is prepared (-EBUSY).
 */
static void a_buffer_disconnects_from_a_running_mixer_and_connects_again(void **state)
{
	enum { TICKS = 12 };
	static int32_t in[TICKS * PERIOD * 2];
	struct dsp_engine *e = engine();
	struct t_io io = { 0 };
	uint32_t i, t, seed = 3;

	(void)state;
	for (i = 0; i < TICKS * PERIOD * 2; i++)
		in[i] = (int32_t)(t_rand(&seed) >> 4) - (1 << 27);
	io.rec = calloc(1, sizeof(in));
	io.rec_cap = sizeof(in);
	assert_int_equal(t_mixer_out(e, 100, 1, DSP_FMT_S32_LE), 0);
	assert_int_equal(t_bind(e, 102, &io, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_pipeline_params(e, 103, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 103, DSP_TRIGGER_START), 0);
	/* Guest A joins and stays idle; guest B plays. */
	assert_int_equal(t_guest(e, 200, 2, DSP_DIR_PLAYBACK, 100, 200), 0);
	assert_int_equal(t_guest(e, 300, 3, DSP_DIR_PLAYBACK, 100, 300), 0);
	assert_int_equal(t_pcm(e, 300, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 300, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_comp_connections(e, 100, true), 2);
	assert_int_equal(dsp_comp_connections(e, 100, false), 1);

	for (t = 0; t < TICKS; t++) {
		assert_int_equal(dsp_host_write(e, 300, in + (size_t)t * PERIOD * 2, PERIOD),
				 (int)PERIOD);
		assert_true(dsp_engine_tick(e) >= 2);
		if (t == 2) {
			/* Not while A's own pipeline is prepared. */
			assert_int_equal(t_pcm(e, 200, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000,
					       2), 0);
			assert_int_equal(dsp_disconnect(e, 201, 100), -EBUSY);
			assert_int_equal(dsp_comp_connections(e, 100, true), 2);
			assert_int_equal(dsp_pcm_free(e, 200), 0);
			/* What is not a connection, or not this one. */
			assert_int_equal(dsp_disconnect(e, 100, 201), -EINVAL);
			assert_int_equal(dsp_disconnect(e, 200, 100), -EINVAL);
			assert_int_equal(dsp_disconnect(e, 201, 102), -EINVAL);
			assert_int_equal(dsp_disconnect(e, 201, 999), -ENODEV);
			assert_int_equal(dsp_comp_connections(e, 201, true), -EINVAL);
			assert_int_equal(dsp_comp_connections(e, 999, true), -ENODEV);
			/* A leaves: its slot is free, its pipeline must complete again. */
			assert_int_equal(dsp_disconnect(e, 201, 100), 0);
			assert_int_equal(dsp_comp_connections(e, 100, true), 1);
			assert_int_equal(dsp_comp_state(e, 204), DSP_STATE_INIT);
			assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_ACTIVE);
			assert_int_equal(dsp_disconnect(e, 201, 100), -EINVAL);
			assert_int_equal(dsp_pipeline_complete(e, 204), -EINVAL);
		}
		if (t == 5) {
			/* ... and comes back to the same mixer. */
			assert_int_equal(dsp_connect(e, 201, 100), 0);
			assert_int_equal(dsp_comp_connections(e, 100, true), 2);
			assert_int_equal(dsp_pipeline_complete(e, 204), 0);
			assert_int_equal(t_pcm(e, 200, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000,
					       2), 0);
		}
	}
	assert_int_equal(io.rec_len, sizeof(in));
	assert_memory_equal(io.rec, in, sizeof(in));
	/* An idle mixer pipeline stays complete as guests leave it, by disconnect or free. */
	assert_int_equal(dsp_pcm_free(e, 200), 0);
	assert_int_equal(dsp_trigger(e, 300, DSP_TRIGGER_STOP), 0);
	assert_int_equal(dsp_pcm_free(e, 300), 0);
	assert_int_equal(dsp_trigger(e, 103, DSP_TRIGGER_STOP), 0);
	assert_int_equal(dsp_pcm_free(e, 103), 0);
	assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_READY);
	assert_int_equal(dsp_disconnect(e, 201, 100), 0);
	assert_int_equal(dsp_buffer_free(e, 301), 0);
	assert_int_equal(dsp_comp_connections(e, 100, true), 0);
	assert_int_equal(dsp_comp_state(e, 103), DSP_STATE_READY);
	assert_int_equal(dsp_comp_state(e, 204), DSP_STATE_INIT);
	assert_int_equal(dsp_comp_state(e, 304), DSP_STATE_INIT);
	free(io.rec);
	dsp_engine_destroy(e);
}

/* The same on the capture side: a buffer leaves a running demux and joins it again. */
static void a_buffer_disconnects_from_a_running_demux_and_connects_again(void **state)
{
	enum { TICKS = 8 };
	const uint32_t front[] = { 110, 111, 112 };
	static int32_t dai_in[TICKS * PERIOD * 2];
	uint8_t blob[8 + 2 * 16] = { 0 };
	struct dsp_engine *e = engine();
	struct t_io io = { 0 };
	uint32_t i, t, seed = 5;

	(void)state;
	for (i = 0; i < TICKS * PERIOD * 2; i++)
		dai_in[i] = (int32_t)(t_rand(&seed) >> 4);
	io.play = (const uint8_t *)dai_in;
	io.play_len = sizeof(dai_in);
	/* Two streams, pipelines 2 and 3, each both channels in order (mux.h's layout). */
	blob[0] = 1;
	blob[2] = 2;
	blob[4] = 2;
	for (i = 0; i < 2; i++) {
		blob[8 + 16 * i] = (uint8_t)(2 + i);
		blob[8 + 16 * i + 4] = 2;
		blob[8 + 16 * i + 5] = 1;
		blob[8 + 16 * i + 6] = 2;
	}
	assert_int_equal(t_dai(e, 110, 1, DSP_DIR_CAPTURE, DSP_FMT_S32_LE, 0), 0);
	assert_int_equal(t_buf(e, 111, 1), 0);
	assert_int_equal(t_blob_comp(e, 112, DSP_COMP_DEMUX, 1, DSP_COMP_FMT_INHERIT, blob,
				     sizeof(blob)), 0);
	assert_int_equal(t_pipe(e, 113, 1, 110), 0);
	assert_int_equal(t_chain(e, front, 3), 0);
	assert_int_equal(dsp_pipeline_complete(e, 113), 0);
	assert_int_equal(t_bind(e, 110, &io, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(t_guest(e, 200, 2, DSP_DIR_CAPTURE, 112, 200), 0);
	assert_int_equal(t_guest(e, 300, 3, DSP_DIR_CAPTURE, 112, 300), 0);
	assert_int_equal(t_pcm(e, 300, DSP_DIR_CAPTURE, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 300, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_comp_connections(e, 112, false), 2);

	for (t = 0; t < TICKS; t++) {
		int32_t got[PERIOD * 2];

		assert_true(dsp_engine_tick(e) >= 2);
		assert_int_equal(dsp_host_read(e, 300, got, PERIOD), (int)PERIOD);
		assert_memory_equal(got, dai_in + (size_t)t * PERIOD * 2, sizeof(got));
		if (t == 1) {
			assert_int_equal(t_pcm(e, 200, DSP_DIR_CAPTURE, DSP_FMT_S32_LE, 48000, 2),
					 0);
			assert_int_equal(dsp_disconnect(e, 112, 201), -EBUSY);
			assert_int_equal(dsp_pcm_free(e, 200), 0);
			assert_int_equal(dsp_disconnect(e, 201, 112), -EINVAL);
			assert_int_equal(dsp_disconnect(e, 112, 201), 0);
			assert_int_equal(dsp_comp_connections(e, 112, false), 1);
			assert_int_equal(dsp_comp_state(e, 113), DSP_STATE_ACTIVE);
		}
		if (t == 4) {
			assert_int_equal(dsp_connect(e, 112, 201), 0);
			assert_int_equal(dsp_comp_connections(e, 112, false), 2);
			assert_int_equal(dsp_pipeline_complete(e, 204), 0);
			assert_int_equal(t_pcm(e, 200, DSP_DIR_CAPTURE, DSP_FMT_S32_LE, 48000, 2),
					 0);
			assert_int_equal(dsp_trigger(e, 200, DSP_TRIGGER_START), 0);
		}
		if (t > 4) {
			/* A records the same frames as B once it runs again. */
			assert_int_equal(dsp_host_read(e, 200, got, PERIOD), (int)PERIOD);
			assert_memory_equal(got, dai_in + (size_t)t * PERIOD * 2, sizeof(got));
		}
	}
	dsp_engine_destroy(e);
}

/* ---------------------------------------------------------------------------------------- */

static void volume_and_mute_controls_apply_and_read_back(void **state)
{
	static int32_t in[PERIOD * 2];
	const struct dsp_ctrl_value set[2] = { { 0, 0x8000 }, { 1, 0x20000 } };
	const struct dsp_ctrl_value mute[1] = { { 1, 0 } };
	const struct dsp_ctrl_value beyond[1] = { { 2, 0x10000 } };
	struct dsp_ctrl_value get[2] = { { 0, 0 }, { 1, 0 } };
	struct dsp_engine *e = engine();
	struct t_io io = { 0 };
	const int32_t *out;
	uint32_t i;

	(void)state;
	for (i = 0; i < PERIOD * 2; i++)
		in[i] = (int32_t)(i * 7919 + 1) << 8;
	io.rec = calloc(1, 2 * PERIOD * 8);
	io.rec_cap = 2 * PERIOD * 8;
	assert_int_equal(t_playback(e, 10, 1, DSP_FMT_S32_LE, DSP_FMT_S32_LE, 0x10000,
				    DSP_XRUN_UNDER_ZERO), 0);
	assert_int_equal(t_bind(e, 14, &io, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(t_pcm(e, 10, DSP_DIR_PLAYBACK, DSP_FMT_S32_LE, 48000, 2), 0);
	assert_int_equal(dsp_trigger(e, 10, DSP_TRIGGER_START), 0);
	assert_int_equal(dsp_comp_set_values(e, 12, DSP_CTRL_VOLUME, set, 2), 0);
	assert_int_equal(dsp_comp_set_values(e, 12, DSP_CTRL_VOLUME, beyond, 1), -EINVAL);
	assert_int_equal(dsp_comp_get_values(e, 12, DSP_CTRL_VOLUME, get, 2), 0);
	assert_int_equal(get[0].value, 0x8000);
	assert_int_equal(get[1].value, 0x20000);
	assert_int_equal(dsp_host_write(e, 10, in, PERIOD), (int)PERIOD);
	assert_int_equal(dsp_engine_tick(e), 1);
	/* Mute channel 1: it goes silent, its volume reads back unchanged. */
	assert_int_equal(dsp_comp_set_values(e, 12, DSP_CTRL_SWITCH, mute, 1), 0);
	assert_int_equal(dsp_comp_get_values(e, 12, DSP_CTRL_SWITCH, get, 2), 0);
	assert_int_equal(get[0].value, 1);
	assert_int_equal(get[1].value, 0);
	assert_int_equal(dsp_comp_get_values(e, 12, DSP_CTRL_VOLUME, get, 2), 0);
	assert_int_equal(get[1].value, 0x20000);
	assert_int_equal(dsp_host_write(e, 10, in, PERIOD), (int)PERIOD);
	assert_int_equal(dsp_engine_tick(e), 1);
	out = (const int32_t *)io.rec;
	for (i = 0; i < PERIOD * 2; i++) {
		int32_t g = i % 2 ? 0x20000 : 0x8000;

		assert_int_equal(out[i], t_gain32(in[i], g));
		assert_int_equal(out[PERIOD * 2 + i], i % 2 ? 0 : t_gain32(in[i], g));
	}
	free(io.rec);
	dsp_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(engine_config_is_checked),
		cmocka_unit_test(duplicate_ids_are_refused_with_eexist),
		cmocka_unit_test(bad_descriptors_are_refused_with_einval),
		cmocka_unit_test(unknown_ids_get_enodev_and_wrong_kinds_einval),
		cmocka_unit_test(connect_needs_exactly_one_buffer),
		cmocka_unit_test(complete_checks_the_graph),
		cmocka_unit_test(pcm_params_errors_change_nothing),
		cmocka_unit_test(triggers_follow_the_sof_state_machine),
		cmocka_unit_test(freeing_running_objects_is_refused_with_ebusy),
		cmocka_unit_test(components_can_go_before_their_pipeline),
		cmocka_unit_test(positions_advance_by_a_period_per_tick),
		cmocka_unit_test(fractional_periods_are_spread_over_ticks),
		cmocka_unit_test(a_pipeline_runs_at_its_own_period),
		cmocka_unit_test(underrun_with_under_zero_plays_silence_and_counts),
		cmocka_unit_test(underrun_with_stop_stops_the_data_path_until_restart),
		cmocka_unit_test(xrun_limit_tolerates_short_xruns),
		cmocka_unit_test(xrun_trigger_stops_the_data_path_and_keeps_the_state),
		cmocka_unit_test(capture_overrun_with_over_null_drops_and_goes_on),
		cmocka_unit_test(a_full_event_queue_counts_what_it_drops),
		cmocka_unit_test(feeders_run_before_the_pipeline_they_feed),
		cmocka_unit_test(a_guest_joins_and_leaves_a_running_mixer),
		cmocka_unit_test(a_buffer_disconnects_from_a_running_mixer_and_connects_again),
		cmocka_unit_test(a_buffer_disconnects_from_a_running_demux_and_connects_again),
		cmocka_unit_test(volume_and_mute_controls_apply_and_read_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
