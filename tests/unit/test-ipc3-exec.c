// SPDX-License-Identifier: MIT
/*
 * SOF IPC3 executor: the IPC validation suite. Each hostile or mistaken request is sent as
 * bytes through ipc3_exec_msg() into a real DSP engine and the reply's error is checked:
 * wrong sizes (short, long, a lying size field), unknown command types, privileged types
 * from a guest, unknown ids, duplicate ids, connections without a buffer, impossible rates
 * and channel counts, triggers in the wrong state, PCM_PARAMS on a non-host component,
 * freeing a running pipeline, bad control element counts, a bad ABI header in a binary
 * SET_DATA, ids outside the caller's range. The positive path loads sof-imx8-wm8960.tplg
 * from ipc-gen message by message, then runs PCM_PARAMS, START, audio, POSITION, controls,
 * STOP and PCM_FREE, and a reset (and PM_CTX_SAVE) frees everything so the topology loads
 * again. Binary data travels in parts both ways.
 *
 * The real file is read from /lib/firmware/intel/sof-tplg (VADSP_SOF_TPLG_DIR overrides).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dsp/engine.h"
#include "ipc/ipc3-check.h"
#include "ipc/ipc3-exec.h"
#include "tplg/ipc-gen.h"
#include "tplg/tplg.h"
#include "util/compiler.h"
#include "util/le.h"

#define SOF_TPLG_DIR_DEFAULT	"/lib/firmware/intel/sof-tplg"

/* The wm8960 playback pipeline's ids, as ipc-gen numbers them. */
#define HOST_ID		0
#define VOL_ID		1
#define BUF_A		2
#define BUF_B		3
#define DAI_ID		4
#define PIPE_ID		5
#define PIPELINE	1

struct fx {
	struct dsp_engine *e;
	struct ipc3_exec *x;
	uint8_t reply[IPC3_MSG_MAX_SIZE];
	int reply_len;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(dsp_engine_create(&f->e, NULL), 0);
	assert_int_equal(ipc3_exec_create(&f->x, f->e, NULL), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ipc3_exec_reset(f->x);
	ipc3_exec_destroy(f->x);
	dsp_engine_destroy(f->e);
	free(f);
	return 0;
}

/* Send raw bytes; return the reply's error. */
static int32_t send_raw(struct fx *f, const void *buf, size_t len, enum ipc3_origin origin)
{
	uint32_t cmd;
	int32_t err;

	memset(f->reply, 0xcc, sizeof(f->reply));
	f->reply_len = ipc3_exec_msg(f->x, buf, len, origin, f->reply, sizeof(f->reply));
	assert_true(f->reply_len >= 12);
	assert_int_equal(ipc3_reply_error(f->reply, (size_t)f->reply_len, &err), 0);
	/* Every reply is a REPLY but the position, which is a position message. */
	cmd = get_le32(f->reply + 4);
	assert_true(cmd == IPC3_REPLY || ipc3_cmd_base(cmd) == IPC3_STREAM_POSITION);
	/* An error is always the 12-byte plain reply. */
	if (err)
		assert_int_equal(f->reply_len, 12);
	return err;
}

static int32_t send(struct fx *f, const struct ipc3_msg *m)
{
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	int n = ipc3_encode(m, buf, sizeof(buf));

	assert_true(n > 0);
	return send_raw(f, buf, (size_t)n, IPC3_ORIGIN_GUEST);
}

static int32_t send_id(struct fx *f, uint32_t cmd, uint32_t id)
{
	struct ipc3_msg m = { .cmd = cmd };

	m.u.id = id;
	return send(f, &m);
}

static int32_t send_connect(struct fx *f, uint32_t source, uint32_t sink)
{
	struct ipc3_msg m = { .cmd = IPC3_TPLG_COMP_CONNECT };

	m.u.connect = (struct ipc3_msg_connect){ .source_id = source, .sink_id = sink };
	return send(f, &m);
}

static struct ipc3_msg comp(uint32_t type, uint32_t id, uint32_t pipeline)
{
	struct ipc3_msg m = { .cmd = IPC3_TPLG_COMP_NEW };

	m.u.comp.id = id;
	m.u.comp.type = type;
	m.u.comp.pipeline_id = pipeline;
	m.u.comp.frame_fmt = IPC3_FRAME_S32_LE;
	m.u.comp.periods_sink = 2;
	switch (type) {
	case IPC3_COMP_VOLUME:
		m.u.comp.u.volume.channels = 2;
		m.u.comp.u.volume.max_value = IPC3_VOLUME_Q8_16_ONE;
		break;
	case IPC3_COMP_DAI:
		m.u.comp.u.dai.type = IPC3_DAI_IMX_SAI;
		m.u.comp.u.dai.index = 1;
		break;
	default:
		break;
	}
	return m;
}

static struct ipc3_msg buffer(uint32_t id, uint32_t pipeline)
{
	struct ipc3_msg m = { .cmd = IPC3_TPLG_BUFFER_NEW };

	m.u.buffer = (struct ipc3_msg_buffer){ .id = id, .pipeline_id = pipeline, .size = 768,
					       .caps = 0x61 };
	return m;
}

static struct ipc3_msg pipe(uint32_t comp_id, uint32_t pipeline, uint32_t sched)
{
	struct ipc3_msg m = { .cmd = IPC3_TPLG_PIPE_NEW };

	m.u.pipe = (struct ipc3_msg_pipe){ .comp_id = comp_id, .pipeline_id = pipeline,
					   .sched_id = sched, .period = 1000,
					   .period_mips = 5000 };
	return m;
}

static struct ipc3_msg pcm(uint32_t comp_id, uint32_t direction, uint32_t rate,
			   uint16_t channels)
{
	struct ipc3_msg m = { .cmd = IPC3_STREAM_PCM_PARAMS };
	struct ipc3_msg_pcm_params *p = &m.u.pcm;

	p->comp_id = comp_id;
	p->direction = direction;
	p->frame_fmt = IPC3_FRAME_S16_LE;
	p->rate = rate;
	p->channels = channels;
	p->sample_valid_bytes = 2;
	p->sample_container_bytes = 2;
	p->host_period_bytes = 2u * channels * (rate / 1000);
	p->buffer_size = 4 * p->host_period_bytes;
	return m;
}

static struct ipc3_msg set_values(uint32_t comp_id, uint32_t cmd, uint32_t n,
				  const uint32_t *values)
{
	struct ipc3_msg m = { .cmd = IPC3_COMP_SET_VALUE };

	m.u.ctrl.comp_id = comp_id;
	m.u.ctrl.type = IPC3_CTRL_VALUE_CHAN_SET;
	m.u.ctrl.cmd = cmd;
	m.u.ctrl.num_elems = n;
	for (uint32_t i = 0; i < n; i++)
		m.u.ctrl.chanv[i] = (struct ipc3_chan_value){ .channel = i, .value = values[i] };
	return m;
}

/* host -> buffer -> volume -> buffer -> dai, completed: the wm8960 playback pipeline. */
static void build_playback(struct fx *f)
{
	struct ipc3_msg m;

	m = comp(IPC3_COMP_HOST, HOST_ID, PIPELINE);
	assert_int_equal(send(f, &m), 0);
	assert_int_equal(f->reply_len, 20);
	assert_int_equal(get_le32(f->reply + 12), HOST_ID);
	m = comp(IPC3_COMP_VOLUME, VOL_ID, PIPELINE);
	assert_int_equal(send(f, &m), 0);
	m = buffer(BUF_A, PIPELINE);
	assert_int_equal(send(f, &m), 0);
	assert_int_equal(get_le32(f->reply + 12), BUF_A);
	m = buffer(BUF_B, PIPELINE);
	assert_int_equal(send(f, &m), 0);
	m = comp(IPC3_COMP_DAI, DAI_ID, PIPELINE);
	assert_int_equal(send(f, &m), 0);
	m = pipe(PIPE_ID, PIPELINE, DAI_ID);
	assert_int_equal(send(f, &m), 0);
	assert_int_equal(get_le32(f->reply + 12), PIPE_ID);
	assert_int_equal(send_connect(f, HOST_ID, BUF_A), 0);
	assert_int_equal(send_connect(f, BUF_A, VOL_ID), 0);
	assert_int_equal(send_connect(f, VOL_ID, BUF_B), 0);
	assert_int_equal(send_connect(f, BUF_B, DAI_ID), 0);
	assert_int_equal(send_id(f, IPC3_TPLG_PIPE_COMPLETE, PIPE_ID), 0);
	assert_int_equal(ipc3_exec_objects(f->x), 6);
}

static void start_playback(struct fx *f)
{
	struct ipc3_msg m = pcm(HOST_ID, IPC3_STREAM_PLAYBACK, 48000, 2);

	assert_int_equal(send(f, &m), 0);
	assert_int_equal(f->reply_len, 20);
	assert_int_equal(get_le32(f->reply + 12), HOST_ID);
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_START, HOST_ID), 0);
	assert_int_equal(dsp_comp_state(f->e, PIPE_ID), DSP_STATE_ACTIVE);
}

/* ---------------------------------------------------------------------------------------- */
/* Framing and types                                                                         */

static void wrong_sizes_are_refused_with_einval(void **state)
{
	struct fx *f = *state;
	struct ipc3_msg m = comp(IPC3_COMP_HOST, 9, 1);
	uint8_t buf[IPC3_MSG_MAX_SIZE + 16] = { 0 };
	int n = ipc3_encode(&m, buf, IPC3_MSG_MAX_SIZE);

	/* Short: the header alone, a cut message, and less than a header. */
	assert_int_equal(send_raw(f, buf, 4, IPC3_ORIGIN_GUEST), -EINVAL);
	put_le32(buf, 40);
	assert_int_equal(send_raw(f, buf, 40, IPC3_ORIGIN_GUEST), -EINVAL);
	/* Long: a host component with 8 extra bytes, and beyond the maximum message. */
	put_le32(buf, (uint32_t)n + 8);
	assert_int_equal(send_raw(f, buf, (size_t)n + 8, IPC3_ORIGIN_GUEST), -EINVAL);
	put_le32(buf, IPC3_MSG_MAX_SIZE + 4);
	assert_int_equal(send_raw(f, buf, IPC3_MSG_MAX_SIZE + 4, IPC3_ORIGIN_GUEST), -EINVAL);
	/* The size field lies, both ways. */
	put_le32(buf, (uint32_t)n + 4);
	assert_int_equal(send_raw(f, buf, (size_t)n, IPC3_ORIGIN_GUEST), -EINVAL);
	put_le32(buf, (uint32_t)n - 4);
	assert_int_equal(send_raw(f, buf, (size_t)n, IPC3_ORIGIN_GUEST), -EINVAL);
	/* Nothing was created by any of these; the honest message works. */
	assert_int_equal(dsp_comp_state(f->e, 9), -ENODEV);
	put_le32(buf, (uint32_t)n);
	assert_int_equal(send_raw(f, buf, (size_t)n, IPC3_ORIGIN_GUEST), 0);
	assert_int_equal(dsp_comp_state(f->e, 9), DSP_STATE_INIT);
}

static void unknown_command_types_are_refused(void **state)
{
	struct fx *f = *state;
	uint8_t buf[12] = { 0 };
	static const uint32_t cmds[] = {
		0x00000000u, 0xf0000000u, IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x7ff),
		IPC3_CMD_(IPC3_GLB_COMP_MSG, 0), IPC3_CMD_(IPC3_GLB_STREAM_MSG, 0x00b),
		IPC3_CMD_(IPC3_GLB_PM_MSG, 0x100), IPC3_REPLY, IPC3_FW_READY,
		IPC3_STREAM_TRIG_DRAIN, IPC3_TPLG_PIPE_CONNECT,
	};

	for (size_t i = 0; i < VADSP_ARRAY_SIZE(cmds); i++) {
		put_le32(buf, sizeof(buf));
		put_le32(buf + 4, cmds[i]);
		assert_int_equal(send_raw(f, buf, sizeof(buf), IPC3_ORIGIN_GUEST), -EINVAL);
	}
}

static void privileged_types_are_refused_to_guests_and_unsupported_for_the_host(void **state)
{
	struct fx *f = *state;
	uint8_t buf[64] = { 0 };

	put_le32(buf, sizeof(buf));
	put_le32(buf + 4, IPC3_DAI_CONFIG);
	assert_int_equal(send_raw(f, buf, sizeof(buf), IPC3_ORIGIN_GUEST), -EACCES);
	assert_int_equal(send_raw(f, buf, sizeof(buf), IPC3_ORIGIN_HOST), -EOPNOTSUPP);
	put_le32(buf + 4, IPC3_TRACE_DMA_PARAMS);
	assert_int_equal(send_raw(f, buf, sizeof(buf), IPC3_ORIGIN_GUEST), -EACCES);
	put_le32(buf + 4, ipc3_cmd(IPC3_GLB_PROBE, 1, 0));
	assert_int_equal(send_raw(f, buf, sizeof(buf), IPC3_ORIGIN_GUEST), -EACCES);
	put_le32(buf + 4, ipc3_cmd(IPC3_GLB_DEBUG, 1, 0));
	assert_int_equal(send_raw(f, buf, sizeof(buf), IPC3_ORIGIN_GUEST), -EACCES);
}

/* ---------------------------------------------------------------------------------------- */
/* Ids                                                                                       */

static void unknown_ids_are_refused_with_enodev(void **state)
{
	struct fx *f = *state;
	const uint32_t v[2] = { 0x10000, 0x10000 };
	struct ipc3_msg m;

	build_playback(f);
	assert_int_equal(send_id(f, IPC3_TPLG_COMP_FREE, 99), -ENODEV);
	assert_int_equal(send_id(f, IPC3_TPLG_BUFFER_FREE, 99), -ENODEV);
	assert_int_equal(send_id(f, IPC3_TPLG_PIPE_FREE, 99), -ENODEV);
	assert_int_equal(send_id(f, IPC3_TPLG_PIPE_COMPLETE, 99), -ENODEV);
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_START, 99), -ENODEV);
	assert_int_equal(send_id(f, IPC3_STREAM_PCM_FREE, 99), -ENODEV);
	assert_int_equal(send_id(f, IPC3_STREAM_POSITION, 99), -ENODEV);
	assert_int_equal(send_connect(f, 99, BUF_A), -ENODEV);
	assert_int_equal(send_connect(f, HOST_ID, 99), -ENODEV);
	m = pcm(99, IPC3_STREAM_PLAYBACK, 48000, 2);
	assert_int_equal(send(f, &m), -ENODEV);
	m = set_values(99, IPC3_CTRL_CMD_VOLUME, 2, v);
	assert_int_equal(send(f, &m), -ENODEV);
}

static void duplicate_ids_are_refused_with_eexist(void **state)
{
	struct fx *f = *state;
	struct ipc3_msg m;

	build_playback(f);
	m = comp(IPC3_COMP_VOLUME, VOL_ID, PIPELINE);
	assert_int_equal(send(f, &m), -EEXIST);
	/* One id space: a buffer may not take a component's id, nor a pipeline a buffer's. */
	m = buffer(HOST_ID, PIPELINE);
	assert_int_equal(send(f, &m), -EEXIST);
	m = pipe(BUF_A, 7, DAI_ID);
	assert_int_equal(send(f, &m), -EEXIST);
	/* Two pipelines may not share a pipeline_id. */
	m = pipe(20, PIPELINE, DAI_ID);
	assert_int_equal(send(f, &m), -EEXIST);
	assert_int_equal(ipc3_exec_objects(f->x), 6);
}

static void connect_without_a_buffer_is_refused(void **state)
{
	struct fx *f = *state;
	struct ipc3_msg m;

	m = comp(IPC3_COMP_HOST, 10, 2);
	assert_int_equal(send(f, &m), 0);
	m = comp(IPC3_COMP_VOLUME, 11, 2);
	assert_int_equal(send(f, &m), 0);
	m = buffer(12, 2);
	assert_int_equal(send(f, &m), 0);
	m = buffer(13, 2);
	assert_int_equal(send(f, &m), 0);
	/* Component to component, buffer to buffer. */
	assert_int_equal(send_connect(f, 10, 11), -EINVAL);
	assert_int_equal(send_connect(f, 12, 13), -EINVAL);
	/* A buffer takes one source. */
	assert_int_equal(send_connect(f, 10, 12), 0);
	assert_int_equal(send_connect(f, 11, 12), -EINVAL);
	/* Connecting to oneself never reaches the engine. */
	assert_int_equal(send_connect(f, 12, 12), -EINVAL);
}

/* Buffers past an executor's budget are refused before the engine allocates them. */
static void buffers_past_the_budget_are_refused_with_enomem(void **state)
{
	struct fx *f = *state;
	const struct ipc3_exec_config cfg = { .id_base = 100, .id_count = 100,
					      .pipe_base = 10, .pipe_count = 10,
					      .buffer_budget = 3u << 20 };
	uint8_t buf[IPC3_MSG_MAX_SIZE], reply[IPC3_MSG_MAX_SIZE];
	struct ipc3_exec *guest;
	struct ipc3_msg m;
	int32_t err;
	int n, r;

	assert_int_equal(ipc3_exec_create(&guest, f->e, &cfg), 0);
	/* Three 1 MiB buffers fill the budget; a fourth, even of one byte, is refused. */
	for (uint32_t i = 0; i < 4; i++) {
		m = buffer(100 + i, 10);
		m.u.buffer.size = i < 3 ? IPC3_CHECK_BUFFER_MAX : 1;
		n = ipc3_encode(&m, buf, sizeof(buf));
		r = ipc3_exec_msg(guest, buf, (size_t)n, IPC3_ORIGIN_GUEST, reply, sizeof(reply));
		if (i < 3) {
			assert_int_equal(r, 20);
			continue;
		}
		assert_int_equal(r, 12);
		assert_int_equal(ipc3_reply_error(reply, 12, &err), 0);
		assert_int_equal(err, -ENOMEM);
	}
	assert_int_equal(dsp_comp_state(f->e, 103), -ENODEV);
	assert_int_equal(ipc3_exec_objects(guest), 3);
	assert_true(ipc3_exec_buffer_bytes(guest) == 3ull * IPC3_CHECK_BUFFER_MAX);
	/* BUFFER_FREE gives its bytes back: the small one fits now. */
	m = (struct ipc3_msg){ .cmd = IPC3_TPLG_BUFFER_FREE };
	m.u.id = 101;
	n = ipc3_encode(&m, buf, sizeof(buf));
	r = ipc3_exec_msg(guest, buf, (size_t)n, IPC3_ORIGIN_GUEST, reply, sizeof(reply));
	assert_int_equal(r, 12);
	assert_int_equal(ipc3_reply_error(reply, 12, &err), 0);
	assert_int_equal(err, 0);
	assert_true(ipc3_exec_buffer_bytes(guest) == 2ull * IPC3_CHECK_BUFFER_MAX);
	m = buffer(103, 10);
	m.u.buffer.size = 1;
	n = ipc3_encode(&m, buf, sizeof(buf));
	assert_int_equal(ipc3_exec_msg(guest, buf, (size_t)n, IPC3_ORIGIN_GUEST, reply,
				       sizeof(reply)), 20);
	/* A reset frees everything and the whole budget. */
	assert_int_equal(ipc3_exec_reset(guest), 0);
	assert_int_equal(ipc3_exec_objects(guest), 0);
	assert_true(ipc3_exec_buffer_bytes(guest) == 0);
	ipc3_exec_destroy(guest);
}

static void ids_outside_the_callers_range_are_refused(void **state)
{
	struct fx *f = *state;
	const struct ipc3_exec_config cfg = { .id_base = 100, .id_count = 100,
					      .pipe_base = 10, .pipe_count = 10 };
	const uint32_t v[2] = { 0, 0 };
	struct ipc3_exec *guest;
	uint8_t buf[IPC3_MSG_MAX_SIZE], reply[IPC3_MSG_MAX_SIZE];
	struct ipc3_msg msgs[9];
	int32_t err;

	build_playback(f);	/* the host's, through the unlimited executor */
	assert_int_equal(ipc3_exec_create(&guest, f->e, &cfg), 0);
	msgs[0] = comp(IPC3_COMP_HOST, 5, 10);		/* id out of range */
	msgs[1] = comp(IPC3_COMP_HOST, 150, PIPELINE);	/* pipeline_id out of range */
	msgs[2] = buffer(200, 10);
	msgs[3] = pipe(150, 10, DAI_ID);		/* sched_id out of range */
	msgs[4] = set_values(VOL_ID, IPC3_CTRL_CMD_VOLUME, 2, v);
	msgs[5] = pcm(HOST_ID, IPC3_STREAM_PLAYBACK, 48000, 2);
	msgs[6] = (struct ipc3_msg){ .cmd = IPC3_TPLG_COMP_CONNECT };
	msgs[6].u.connect = (struct ipc3_msg_connect){ .source_id = 150, .sink_id = BUF_A };
	msgs[7] = (struct ipc3_msg){ .cmd = IPC3_TPLG_PIPE_FREE };
	msgs[7].u.id = PIPE_ID;
	msgs[8] = (struct ipc3_msg){ .cmd = IPC3_STREAM_TRIG_START };
	msgs[8].u.id = HOST_ID;
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(msgs); i++) {
		int n = ipc3_encode(&msgs[i], buf, sizeof(buf));
		int r = ipc3_exec_msg(guest, buf, (size_t)n, IPC3_ORIGIN_GUEST, reply,
				      sizeof(reply));

		assert_int_equal(r, 12);
		assert_int_equal(ipc3_reply_error(reply, 12, &err), 0);
		assert_int_equal(err, -EACCES);
	}
	/* The host's objects are untouched; the guest's own range works. */
	assert_int_equal(dsp_comp_state(f->e, PIPE_ID), DSP_STATE_READY);
	msgs[0] = comp(IPC3_COMP_HOST, 150, 10);
	assert_int_equal(ipc3_encode(&msgs[0], buf, sizeof(buf)), 76);
	assert_int_equal(ipc3_exec_msg(guest, buf, 76, IPC3_ORIGIN_GUEST, reply, sizeof(reply)),
			 20);
	assert_int_equal(ipc3_exec_objects(guest), 1);
	assert_int_equal(ipc3_exec_reset(guest), 0);
	assert_int_equal(dsp_comp_state(f->e, 150), -ENODEV);
	assert_int_equal(ipc3_exec_objects(f->x), 6);
	ipc3_exec_destroy(guest);
	/* A range that wraps is refused. */
	const struct ipc3_exec_config bad = { .id_base = UINT32_MAX, .id_count = 2 };

	assert_int_equal(ipc3_exec_create(&guest, f->e, &bad), -EINVAL);
}

/* ---------------------------------------------------------------------------------------- */
/* Streams                                                                                   */

static void impossible_rates_and_channel_counts_are_refused(void **state)
{
	struct fx *f = *state;
	struct ipc3_msg m;

	build_playback(f);
	m = pcm(HOST_ID, IPC3_STREAM_PLAYBACK, 48000, 2);
	m.u.pcm.rate = 7999;
	assert_int_equal(send(f, &m), -EINVAL);
	m.u.pcm.rate = 384000;
	assert_int_equal(send(f, &m), -EINVAL);
	m = pcm(HOST_ID, IPC3_STREAM_PLAYBACK, 48000, 9);
	assert_int_equal(send(f, &m), -EINVAL);
	m = pcm(HOST_ID, IPC3_STREAM_PLAYBACK, 48000, 2);
	m.u.pcm.channels = 0;
	assert_int_equal(send(f, &m), -EINVAL);
	/* The stream's direction must be the host's. */
	m = pcm(HOST_ID, IPC3_STREAM_CAPTURE, 48000, 2);
	assert_int_equal(send(f, &m), -EINVAL);
	assert_int_equal(dsp_comp_state(f->e, PIPE_ID), DSP_STATE_READY);
	/* A volume with more channels than a stream has controls is fine; 9 is not. */
	m = comp(IPC3_COMP_VOLUME, 30, 3);
	m.u.comp.u.volume.channels = 9;
	assert_int_equal(send(f, &m), -EINVAL);
}

static void triggers_in_the_wrong_state_are_refused(void **state)
{
	struct fx *f = *state;
	struct ipc3_msg m;

	build_playback(f);
	/* READY: no stream yet. */
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_START, HOST_ID), -EINVAL);
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_STOP, HOST_ID), -EINVAL);
	m = pcm(HOST_ID, IPC3_STREAM_PLAYBACK, 48000, 2);
	assert_int_equal(send(f, &m), 0);
	assert_int_equal(dsp_comp_state(f->e, PIPE_ID), DSP_STATE_PREPARE);
	/* PREPARE: only START. */
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_PAUSE, HOST_ID), -EINVAL);
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_RELEASE, HOST_ID), -EINVAL);
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_STOP, HOST_ID), -EINVAL);
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_START, HOST_ID), 0);
	/* ACTIVE: no second START, no RELEASE, no second params. */
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_START, HOST_ID), -EINVAL);
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_RELEASE, HOST_ID), -EINVAL);
	assert_int_equal(send(f, &m), -EBUSY);
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_PAUSE, HOST_ID), 0);
	assert_int_equal(dsp_comp_state(f->e, PIPE_ID), DSP_STATE_PAUSED);
	/* PAUSED: no second PAUSE, no START. */
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_PAUSE, HOST_ID), -EINVAL);
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_START, HOST_ID), -EINVAL);
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_RELEASE, HOST_ID), 0);
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_STOP, HOST_ID), 0);
	assert_int_equal(dsp_comp_state(f->e, PIPE_ID), DSP_STATE_PREPARE);
	/* A trigger on a buffer is not a stream. */
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_START, BUF_A), -EINVAL);
}

static void pcm_params_on_a_non_host_component_is_refused(void **state)
{
	struct fx *f = *state;
	struct ipc3_msg m;

	build_playback(f);
	m = pcm(VOL_ID, IPC3_STREAM_PLAYBACK, 48000, 2);
	assert_int_equal(send(f, &m), -EINVAL);
	m = pcm(DAI_ID, IPC3_STREAM_PLAYBACK, 48000, 2);
	assert_int_equal(send(f, &m), -EINVAL);
	m = pcm(BUF_A, IPC3_STREAM_PLAYBACK, 48000, 2);
	assert_int_equal(send(f, &m), -EINVAL);
	m = pcm(PIPE_ID, IPC3_STREAM_PLAYBACK, 48000, 2);
	assert_int_equal(send(f, &m), -EINVAL);
	assert_int_equal(dsp_comp_state(f->e, PIPE_ID), DSP_STATE_READY);
	/* And on a host whose pipeline is not complete. */
	m = comp(IPC3_COMP_HOST, 40, 4);
	assert_int_equal(send(f, &m), 0);
	m = pcm(40, IPC3_STREAM_PLAYBACK, 48000, 2);
	assert_int_equal(send(f, &m), -EINVAL);
}

static void freeing_a_running_pipeline_is_refused(void **state)
{
	struct fx *f = *state;

	build_playback(f);
	start_playback(f);
	assert_int_equal(send_id(f, IPC3_TPLG_PIPE_FREE, PIPE_ID), -EBUSY);
	assert_int_equal(send_id(f, IPC3_TPLG_COMP_FREE, VOL_ID), -EBUSY);
	assert_int_equal(send_id(f, IPC3_TPLG_BUFFER_FREE, BUF_A), -EBUSY);
	assert_int_equal(send_id(f, IPC3_STREAM_PCM_FREE, HOST_ID), -EBUSY);
	/* Kinds are checked too: PIPE_FREE of a component, COMP_FREE of a buffer. */
	assert_int_equal(send_id(f, IPC3_TPLG_PIPE_FREE, VOL_ID), -EINVAL);
	assert_int_equal(send_id(f, IPC3_TPLG_COMP_FREE, BUF_A), -EINVAL);
	assert_int_equal(dsp_comp_state(f->e, PIPE_ID), DSP_STATE_ACTIVE);
	/* Stopped and freed in order, everything goes. */
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_STOP, HOST_ID), 0);
	assert_int_equal(send_id(f, IPC3_TPLG_PIPE_FREE, PIPE_ID), -EBUSY);	/* prepared */
	assert_int_equal(send_id(f, IPC3_STREAM_PCM_FREE, HOST_ID), 0);
	assert_int_equal(send_id(f, IPC3_TPLG_PIPE_FREE, PIPE_ID), 0);
	assert_int_equal(send_id(f, IPC3_TPLG_BUFFER_FREE, BUF_A), 0);
	assert_int_equal(send_id(f, IPC3_TPLG_COMP_FREE, VOL_ID), 0);
	assert_int_equal(ipc3_exec_objects(f->x), 3);
}

/* ---------------------------------------------------------------------------------------- */
/* Controls                                                                                  */

static void volume_values_are_set_and_read_back(void **state)
{
	struct fx *f = *state;
	const uint32_t v[2] = { 0x8000, 0x4000 };
	struct ipc3_msg m = set_values(VOL_ID, IPC3_CTRL_CMD_VOLUME, 2, v);
	uint8_t req[IPC3_MSG_MAX_SIZE];
	int n;

	build_playback(f);
	assert_int_equal(send(f, &m), 0);
	assert_int_equal(f->reply_len, 92 + 16);
	m.cmd = IPC3_COMP_GET_VALUE;
	m.u.ctrl.type = IPC3_CTRL_VALUE_CHAN_GET;
	m.u.ctrl.chanv[0].value = m.u.ctrl.chanv[1].value = 0;
	n = ipc3_encode(&m, req, sizeof(req));
	assert_int_equal(send_raw(f, req, (size_t)n, IPC3_ORIGIN_GUEST), 0);
	/* The reply is as long as the request and carries the gains. */
	assert_int_equal(f->reply_len, n);
	assert_int_equal(get_le32(f->reply + 92), 0);
	assert_int_equal(get_le32(f->reply + 96), 0x8000);
	assert_int_equal(get_le32(f->reply + 100), 1);
	assert_int_equal(get_le32(f->reply + 104), 0x4000);
	/* Mute through the switch and back. */
	const uint32_t off[2] = { 0, 0 };

	m = set_values(VOL_ID, IPC3_CTRL_CMD_SWITCH, 2, off);
	assert_int_equal(send(f, &m), 0);
}

static void bad_control_element_counts_are_refused(void **state)
{
	struct fx *f = *state;
	const uint32_t v[3] = { 0x10000, 0x10000, 0x10000 };
	struct ipc3_msg m = set_values(VOL_ID, IPC3_CTRL_CMD_VOLUME, 2, v);
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	int n;

	build_playback(f);
	/* num_elems disagrees with the size. */
	n = ipc3_encode(&m, buf, sizeof(buf));
	put_le32(buf + offsetof(struct ipc3_ctrl_data, num_elems), 3);
	assert_int_equal(send_raw(f, buf, (size_t)n, IPC3_ORIGIN_GUEST), -EINVAL);
	put_le32(buf + offsetof(struct ipc3_ctrl_data, num_elems), 0);
	assert_int_equal(send_raw(f, buf, (size_t)n, IPC3_ORIGIN_GUEST), -EINVAL);
	/* A third channel on a two-channel volume: the engine refuses. */
	m = set_values(VOL_ID, IPC3_CTRL_CMD_VOLUME, 3, v);
	assert_int_equal(send(f, &m), -EINVAL);
	/* Values on a component that has no control of that kind. */
	m = set_values(HOST_ID, IPC3_CTRL_CMD_VOLUME, 2, v);
	assert_int_equal(send(f, &m), -EINVAL);
	m = set_values(VOL_ID, IPC3_CTRL_CMD_ENUM, 2, v);
	assert_int_equal(send(f, &m), -EINVAL);
}

/* A valid EQ IIR blob of @sections flat biquads in series for two channels. */
static uint32_t eq_blob(uint8_t *b, uint32_t sections)
{
	uint32_t w = 0, size = 4 * (7 + 2 + 6 + 7 * sections);

	memset(b, 0, size);
	put_le32(b + 4 * w++, size);
	put_le32(b + 4 * w++, 2);	/* channels_in_config */
	put_le32(b + 4 * w++, 1);	/* number_of_responses */
	w += 4;
	put_le32(b + 4 * w++, 0);	/* assign: response 0 */
	put_le32(b + 4 * w++, 0);
	put_le32(b + 4 * w++, sections);
	put_le32(b + 4 * w++, sections);
	w += 4;
	for (uint32_t s = 0; s < sections; s++) {
		w += 4;				/* a2, a1, b2, b1 = 0 */
		put_le32(b + 4 * w++, 1u << 30);	/* b0 = 1.0 */
		w++;				/* shift 0 */
		put_le32(b + 4 * w++, 0x4000);	/* gain 1.0 */
	}
	assert_int_equal(4 * w, size);
	return size;
}

static void binary_data_travels_in_parts_both_ways(void **state)
{
	struct fx *f = *state;
	uint8_t blob[512], got[512];
	uint32_t size, sent = 0, part = IPC3_MSG_MAX_SIZE - 124, idx = 0;
	struct ipc3_msg m = comp(IPC3_COMP_EQ_IIR, 50, 6);

	m.u.comp.u.process.type = IPC3_PROCESS_EQIIR;
	m.data_size = eq_blob(m.data, 1);
	assert_int_equal(send(f, &m), 0);

	size = eq_blob(blob, 11);
	assert_true(size > part);	/* two parts */
	while (sent < size) {
		uint32_t n = VADSP_MIN(part, size - sent);

		m = (struct ipc3_msg){ .cmd = IPC3_COMP_SET_DATA };
		m.u.ctrl = (struct ipc3_msg_ctrl){ .comp_id = 50, .type = IPC3_CTRL_DATA_SET,
						   .cmd = IPC3_CTRL_CMD_BINARY, .num_elems = n,
						   .elems_remaining = size - sent - n,
						   .msg_index = idx++, .abi_size = size,
						   .abi = IPC3_ABI_VERSION };
		memcpy(m.data, blob + sent, n);
		m.data_size = n;
		assert_int_equal(send(f, &m), 0);
		assert_int_equal(f->reply_len, 124 + n);
		sent += n;
	}
	assert_int_equal(dsp_comp_get_data(f->e, 50, got, sizeof(got)), size);
	assert_memory_equal(got, blob, size);

	/* Read it back in parts. */
	memset(got, 0, sizeof(got));
	for (sent = 0, idx = 0; sent < size; idx++) {
		uint32_t n = VADSP_MIN(part, size - sent);

		m = (struct ipc3_msg){ .cmd = IPC3_COMP_GET_DATA };
		m.u.ctrl = (struct ipc3_msg_ctrl){ .comp_id = 50, .type = IPC3_CTRL_DATA_GET,
						   .cmd = IPC3_CTRL_CMD_BINARY, .num_elems = n,
						   .elems_remaining = size - sent - n,
						   .msg_index = idx, .abi_size = size,
						   .abi = IPC3_ABI_VERSION };
		m.data_size = n;
		assert_int_equal(send(f, &m), 0);
		assert_int_equal(f->reply_len, 124 + n);
		assert_int_equal(get_le32(f->reply + 92 + 8), size);	/* abi size */
		memcpy(got + sent, f->reply + 124, n);
		sent += n;
	}
	assert_memory_equal(got, blob, size);

	/* A second part with no first one, or out of order, is refused. */
	m = (struct ipc3_msg){ .cmd = IPC3_COMP_SET_DATA };
	m.u.ctrl = (struct ipc3_msg_ctrl){ .comp_id = 50, .type = IPC3_CTRL_DATA_SET,
					   .cmd = IPC3_CTRL_CMD_BINARY, .num_elems = 100,
					   .elems_remaining = 0, .msg_index = 1, .abi_size = size,
					   .abi = IPC3_ABI_VERSION };
	m.data_size = 100;
	assert_int_equal(send(f, &m), -EINVAL);
	/* A malformed blob in one message: the engine's parser refuses, nothing changes. */
	m = (struct ipc3_msg){ .cmd = IPC3_COMP_SET_DATA };
	m.u.ctrl = (struct ipc3_msg_ctrl){ .comp_id = 50, .type = IPC3_CTRL_DATA_SET,
					   .cmd = IPC3_CTRL_CMD_BINARY, .num_elems = 60,
					   .abi_size = 60, .abi = IPC3_ABI_VERSION };
	memset(m.data, 0xff, 60);
	m.data_size = 60;
	assert_int_equal(send(f, &m), -EINVAL);
	assert_int_equal(dsp_comp_get_data(f->e, 50, got, sizeof(got)), size);
}

static void a_bad_abi_header_in_set_data_is_refused(void **state)
{
	struct fx *f = *state;
	struct ipc3_msg m = comp(IPC3_COMP_EQ_IIR, 50, 6);
	uint8_t buf[IPC3_MSG_MAX_SIZE], got[512];
	size_t abi = offsetof(struct ipc3_ctrl_data, data);
	uint32_t size;
	int n;

	m.u.comp.u.process.type = IPC3_PROCESS_EQIIR;
	m.data_size = eq_blob(m.data, 1);
	size = m.data_size;
	assert_int_equal(send(f, &m), 0);

	m = (struct ipc3_msg){ .cmd = IPC3_COMP_SET_DATA };
	m.u.ctrl = (struct ipc3_msg_ctrl){ .comp_id = 50, .type = IPC3_CTRL_DATA_SET,
					   .cmd = IPC3_CTRL_CMD_BINARY, .abi = IPC3_ABI_VERSION };
	m.data_size = m.u.ctrl.num_elems = m.u.ctrl.abi_size = eq_blob(m.data, 2);
	n = ipc3_encode(&m, buf, sizeof(buf));
	put_le32(buf + abi + offsetof(struct ipc3_abi_hdr, magic), 0x12345678);
	assert_int_equal(send_raw(f, buf, (size_t)n, IPC3_ORIGIN_GUEST), -EINVAL);
	n = ipc3_encode(&m, buf, sizeof(buf));
	put_le32(buf + abi + offsetof(struct ipc3_abi_hdr, abi), ipc3_abi_version(4, 0, 0));
	assert_int_equal(send_raw(f, buf, (size_t)n, IPC3_ORIGIN_GUEST), -EINVAL);
	n = ipc3_encode(&m, buf, sizeof(buf));
	put_le32(buf + abi + offsetof(struct ipc3_abi_hdr, size), 4);
	assert_int_equal(send_raw(f, buf, (size_t)n, IPC3_ORIGIN_GUEST), -EINVAL);
	/* The blob in place is still the first one. */
	assert_int_equal(dsp_comp_get_data(f->e, 50, got, sizeof(got)), size);
	/* The honest message goes through. */
	n = ipc3_encode(&m, buf, sizeof(buf));
	assert_int_equal(send_raw(f, buf, (size_t)n, IPC3_ORIGIN_GUEST), 0);
	assert_int_equal(dsp_comp_get_data(f->e, 50, got, sizeof(got)), m.data_size);
}

/* ---------------------------------------------------------------------------------------- */
/* The positive path: a real topology                                                        */

static struct tplg_ipc_seq *wm8960_seq(struct tplg **t)
{
	const char *d = getenv("VADSP_SOF_TPLG_DIR");
	struct tplg_ipc_seq *seq = NULL;
	struct tplg_error err;
	char path[1024];

	snprintf(path, sizeof(path), "%s/sof-imx8-wm8960.tplg",
		 d && *d ? d : SOF_TPLG_DIR_DEFAULT);
	if (tplg_load_file(path, t, &err) < 0) {
		print_message("%s: %s: skipped\n", path, err.msg);
		return NULL;
	}
	assert_int_equal(tplg_ipc_build(*t, NULL, &seq, &err), 0);
	return seq;
}

static void load_seq(struct fx *f, const struct tplg_ipc_seq *seq)
{
	for (uint32_t i = 0; i < seq->num_msgs; i++) {
		int32_t err = send_raw(f, seq->msgs[i].data, seq->msgs[i].size,
				       IPC3_ORIGIN_GUEST);

		if (err)
			fail_msg("message %u (%s): error %d", i, seq->msgs[i].desc, err);
		if (seq->msgs[i].cmd == IPC3_TPLG_COMP_NEW ||
		    seq->msgs[i].cmd == IPC3_TPLG_BUFFER_NEW ||
		    seq->msgs[i].cmd == IPC3_TPLG_PIPE_NEW)
			assert_int_equal(f->reply_len, 20);
		else
			assert_int_equal(f->reply_len, 12);
	}
}

static void wm8960_topology_loads_and_streams(void **state)
{
	struct fx *f = *state;
	struct tplg *t = NULL;
	struct tplg_ipc_seq *seq = wm8960_seq(&t);
	int16_t frames[48 * 2];
	struct ipc3_msg m;
	uint32_t bytes = 0;

	if (!seq)
		skip();
	load_seq(f, seq);
	assert_int_equal(ipc3_exec_objects(f->x), 12);
	assert_int_equal(dsp_comp_state(f->e, 5), DSP_STATE_READY);
	assert_int_equal(dsp_comp_state(f->e, 11), DSP_STATE_READY);

	/* Playback: params, start, a second of audio, positions. */
	start_playback(f);
	for (int i = 0; i < 48 * 2; i++)
		frames[i] = (int16_t)(i * 300);
	for (int tick = 0; tick < 1000; tick++) {
		int n = dsp_host_write(f->e, HOST_ID, frames, 48);

		assert_true(n >= 0);
		bytes += (uint32_t)n * 4;
		dsp_engine_tick(f->e);
	}
	assert_true(bytes >= 4 * 48 * 990);
	assert_int_equal(send_id(f, IPC3_STREAM_POSITION, HOST_ID), 0);
	assert_int_equal(f->reply_len, 76);
	assert_int_equal(get_le32(f->reply + 4), IPC3_STREAM_POSITION | HOST_ID);
	assert_int_equal(get_le32(f->reply + 12), HOST_ID);
	assert_int_equal(get_le32(f->reply + 20), 48000);	/* wallclock_hz */
	assert_int_equal(get_le64(f->reply + 52), 48000);	/* wallclock: 1000 ticks */
	/* host_posn: whole frames, wrapped at the 768-byte host buffer */
	assert_true(get_le64(f->reply + 28) < 768);
	assert_int_equal(get_le64(f->reply + 28) % 4, 0);

	/* Capture at the same time on the second pipeline. */
	m = pcm(6, IPC3_STREAM_CAPTURE, 48000, 2);
	assert_int_equal(send(f, &m), 0);
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_START, 6), 0);
	for (int tick = 0; tick < 10; tick++)
		dsp_engine_tick(f->e);
	assert_true(dsp_host_avail(f->e, 6) > 0);

	/* Controls on the playback volume (id 1) while running. */
	const uint32_t half[2] = { 0x8000, 0x8000 };

	m = set_values(1, IPC3_CTRL_CMD_VOLUME, 2, half);
	assert_int_equal(send(f, &m), 0);

	/* Stop and free both streams. */
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_STOP, HOST_ID), 0);
	assert_int_equal(send_id(f, IPC3_STREAM_PCM_FREE, HOST_ID), 0);
	assert_int_equal(send_id(f, IPC3_STREAM_TRIG_STOP, 6), 0);
	assert_int_equal(send_id(f, IPC3_STREAM_PCM_FREE, 6), 0);
	assert_int_equal(dsp_comp_state(f->e, 5), DSP_STATE_READY);

	/* A reset removes it all; the same topology then loads again. */
	assert_int_equal(ipc3_exec_reset(f->x), 0);
	assert_int_equal(ipc3_exec_objects(f->x), 0);
	for (uint32_t id = 0; id < 12; id++)
		assert_int_equal(dsp_comp_state(f->e, id), -ENODEV);
	load_seq(f, seq);
	assert_int_equal(ipc3_exec_objects(f->x), 12);
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

static void pm_context_save_resets_a_running_topology(void **state)
{
	struct fx *f = *state;
	struct ipc3_msg m = { .cmd = IPC3_PM_CTX_SAVE };

	build_playback(f);
	start_playback(f);
	assert_int_equal(send(f, &m), 0);
	assert_int_equal(f->reply_len, 12);
	assert_int_equal(ipc3_exec_objects(f->x), 0);
	assert_int_equal(dsp_comp_state(f->e, HOST_ID), -ENODEV);
	/* The guest reloads after resume. */
	m = (struct ipc3_msg){ .cmd = IPC3_PM_CTX_RESTORE };
	assert_int_equal(send(f, &m), 0);
	build_playback(f);
	m = (struct ipc3_msg){ .cmd = IPC3_PM_GATE };
	assert_int_equal(send(f, &m), 0);
	m = (struct ipc3_msg){ .cmd = IPC3_PM_CORE_ENABLE };
	m.u.pm.enable_mask = 1;
	assert_int_equal(send(f, &m), 0);
	assert_int_equal(ipc3_exec_objects(f->x), 6);
}

static void errors_map_to_negative_errno_replies(void **state)
{
	struct fx *f = *state;
	uint8_t small[64];

	assert_int_equal(ipc3_exec_reply_errno(0), 0);
	assert_int_equal(ipc3_exec_reply_errno(20), 0);
	assert_int_equal(ipc3_exec_reply_errno(-EBUSY), -EBUSY);
	assert_int_equal(ipc3_exec_reply_errno(-4095), -4095);
	assert_int_equal(ipc3_exec_reply_errno(-4096), -EIO);
	assert_int_equal(ipc3_exec_reply_errno(INT_MIN), -EIO);
	/* A reply buffer smaller than the largest reply is refused outright. */
	assert_int_equal(ipc3_exec_msg(f->x, small, 12, IPC3_ORIGIN_GUEST, small,
				       sizeof(small)), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(wrong_sizes_are_refused_with_einval, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_command_types_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
			privileged_types_are_refused_to_guests_and_unsupported_for_the_host, setup,
			teardown),
		cmocka_unit_test_setup_teardown(unknown_ids_are_refused_with_enodev, setup, teardown),
		cmocka_unit_test_setup_teardown(duplicate_ids_are_refused_with_eexist, setup,
						teardown),
		cmocka_unit_test_setup_teardown(connect_without_a_buffer_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(buffers_past_the_budget_are_refused_with_enomem,
						setup, teardown),
		cmocka_unit_test_setup_teardown(ids_outside_the_callers_range_are_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(impossible_rates_and_channel_counts_are_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(triggers_in_the_wrong_state_are_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(pcm_params_on_a_non_host_component_is_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(freeing_a_running_pipeline_is_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(volume_values_are_set_and_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_control_element_counts_are_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(binary_data_travels_in_parts_both_ways, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_bad_abi_header_in_set_data_is_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(wm8960_topology_loads_and_streams, setup, teardown),
		cmocka_unit_test_setup_teardown(pm_context_save_resets_a_running_topology, setup,
						teardown),
		cmocka_unit_test_setup_teardown(errors_map_to_negative_errno_replies, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
