// SPDX-License-Identifier: MIT
/*
 * SOF IPC3 validator and codec: framing (short, long, lying size fields, id bits), unknown
 * and privileged global and command types, exact sizes of every fixed message, each
 * COMP_NEW / BUFFER_NEW / PIPE_NEW / PCM_PARAMS / control / PM field rule with the reason
 * it reports, the UUID extension, binary data in parts, the reply encoders byte by byte,
 * encode/decode round trips, and every message ipc-gen produces for the firmware-sof-signed
 * topologies and the project's own (accepted, and re-encoded byte for byte).
 *
 * Real files are read from /lib/firmware/intel/sof-tplg (VADSP_SOF_TPLG_DIR overrides);
 * the project's topologies from VADSP_TOPOLOGY_DIR (set by meson).
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipc/ipc3-check.h"
#include "tplg/ipc-gen.h"
#include "tplg/tplg.h"
#include "util/compiler.h"
#include "util/le.h"

#define SOF_TPLG_DIR_DEFAULT	"/lib/firmware/intel/sof-tplg"

static struct ipc3_msg out;	/* decoded result (big: keep off the stack) */

/* Validate @len bytes; on an expected failure also check the reason mentions @why. */
static void expect(const void *buf, size_t len, enum ipc3_origin origin, int err, const char *why)
{
	int ret = ipc3_check(buf, len, origin, &out);

	if (ret != err)
		fail_msg("expected %d, got %d (%s)", err, ret, out.reason);
	if (err == 0) {
		assert_string_equal(out.reason, "");
		return;
	}
	assert_non_null(out.reason);
	if (why && !strstr(out.reason, why))
		fail_msg("reason '%s' does not mention '%s'", out.reason, why);
}

static size_t encode(const struct ipc3_msg *m, uint8_t *buf)
{
	int n = ipc3_encode(m, buf, IPC3_MSG_MAX_SIZE);

	if (n < 0)
		fail_msg("encode %s: %d", ipc3_cmd_name(m->cmd), n);
	return (size_t)n;
}

/* Encode @m, replace the 32-bit field at @off with @val and expect @err / @why. */
static void expect_field(const struct ipc3_msg *m, size_t off, uint32_t val, int err,
			 const char *why)
{
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	size_t n = encode(m, buf);

	assert_true(off + 4 <= n);
	put_le32(buf + off, val);
	expect(buf, n, IPC3_ORIGIN_GUEST, err, why);
}

/* A valid message must be accepted and decode back to what was encoded. */
static void expect_round_trip(const struct ipc3_msg *m)
{
	uint8_t a[IPC3_MSG_MAX_SIZE], b[IPC3_MSG_MAX_SIZE];
	size_t n = encode(m, a);

	expect(a, n, IPC3_ORIGIN_GUEST, 0, NULL);
	assert_int_equal(out.cmd, m->cmd);
	assert_int_equal(out.size, n);
	assert_int_equal(out.data_size, m->data_size);
	assert_memory_equal(out.data, m->data, m->data_size);
	assert_int_equal(encode(&out, b), n);
	assert_memory_equal(a, b, n);
}

/* ---------------------------------------------------------------------------------------- */
/* Templates: valid messages                                                                 */

static struct ipc3_msg comp_tmpl(uint32_t type)
{
	struct ipc3_msg m = { .cmd = IPC3_TPLG_COMP_NEW };
	struct ipc3_msg_comp *c = &m.u.comp;

	c->id = 7;
	c->type = type;
	c->pipeline_id = 2;
	c->frame_fmt = IPC3_FRAME_S32_LE;
	c->periods_sink = 2;
	c->xrun_action = IPC3_XRUN_UNDER_ZERO;
	switch (type) {
	case IPC3_COMP_HOST:
		c->u.host.direction = IPC3_STREAM_CAPTURE;
		c->u.host.dmac_config = 5;
		break;
	case IPC3_COMP_DAI:
		c->u.dai.direction = IPC3_STREAM_PLAYBACK;
		c->u.dai.index = 1;
		c->u.dai.type = IPC3_DAI_IMX_SAI;
		break;
	case IPC3_COMP_VOLUME:
		c->u.volume.channels = 2;
		c->u.volume.min_value = 0x28;
		c->u.volume.max_value = IPC3_VOLUME_Q8_16_ONE;
		c->u.volume.ramp = IPC3_VOLUME_LINEAR_ZC;
		c->u.volume.initial_ramp = 20;
		break;
	case IPC3_COMP_SRC:
		c->u.src.source_rate = 44100;
		c->u.src.sink_rate = 48000;
		break;
	case IPC3_COMP_ASRC:
		c->u.asrc.source_rate = 44100;
		c->u.asrc.sink_rate = 48000;
		c->u.asrc.asynchronous_mode = 1;
		break;
	case IPC3_COMP_TONE:
		c->u.tone.sample_rate = 48000;
		c->u.tone.frequency = 997 << 16;
		c->u.tone.amplitude = 0x0ccccccd;
		break;
	case IPC3_COMP_EQ_IIR:
		c->u.process.type = IPC3_PROCESS_EQIIR;
		m.data_size = 24;
		for (uint32_t i = 0; i < m.data_size; i++)
			m.data[i] = (uint8_t)(i * 7 + 1);
		break;
	case IPC3_COMP_MUX:
		c->u.process.type = IPC3_PROCESS_MUX;
		break;
	case IPC3_COMP_DEMUX:
		c->u.process.type = IPC3_PROCESS_DEMUX;
		m.data_size = 8;
		break;
	default:
		break;
	}
	return m;
}

static struct ipc3_msg buffer_tmpl(void)
{
	struct ipc3_msg m = { .cmd = IPC3_TPLG_BUFFER_NEW };

	m.u.buffer = (struct ipc3_msg_buffer){ .id = 3, .pipeline_id = 1, .size = 768,
					       .caps = 0x61 };
	return m;
}

static struct ipc3_msg pipe_tmpl(void)
{
	struct ipc3_msg m = { .cmd = IPC3_TPLG_PIPE_NEW };

	m.u.pipe = (struct ipc3_msg_pipe){ .comp_id = 5, .pipeline_id = 1, .sched_id = 4,
					   .period = 1000, .period_mips = 5000 };
	return m;
}

static struct ipc3_msg pcm_tmpl(void)
{
	struct ipc3_msg m = { .cmd = IPC3_STREAM_PCM_PARAMS };
	struct ipc3_msg_pcm_params *p = &m.u.pcm;

	p->comp_id = 0;
	p->buffer_pages = 4;
	p->buffer_size = 4 * 1536;
	p->direction = IPC3_STREAM_PLAYBACK;
	p->frame_fmt = IPC3_FRAME_S16_LE;
	p->rate = 48000;
	p->stream_tag = 1;
	p->channels = 2;
	p->sample_valid_bytes = 2;
	p->sample_container_bytes = 2;
	p->host_period_bytes = 1536;
	for (uint32_t i = 0; i < IPC3_STREAM_CHMAP_MAX; i++)
		p->chmap[i] = (uint16_t)(i + 3);
	return m;
}

static struct ipc3_msg value_tmpl(uint32_t cmd, uint32_t n)
{
	struct ipc3_msg m = { .cmd = cmd };
	struct ipc3_msg_ctrl *c = &m.u.ctrl;

	c->comp_id = 1;
	c->type = cmd == IPC3_COMP_SET_VALUE ? IPC3_CTRL_VALUE_CHAN_SET : IPC3_CTRL_VALUE_CHAN_GET;
	c->cmd = IPC3_CTRL_CMD_VOLUME;
	c->num_elems = n;
	for (uint32_t i = 0; i < n; i++)
		c->chanv[i] = (struct ipc3_chan_value){ .channel = i, .value = 0x8000 + i };
	return m;
}

static struct ipc3_msg data_tmpl(uint32_t cmd, uint32_t bytes)
{
	struct ipc3_msg m = { .cmd = cmd };
	struct ipc3_msg_ctrl *c = &m.u.ctrl;

	c->comp_id = 1;
	c->type = cmd == IPC3_COMP_SET_DATA ? IPC3_CTRL_DATA_SET : IPC3_CTRL_DATA_GET;
	c->cmd = IPC3_CTRL_CMD_BINARY;
	c->num_elems = bytes;
	c->abi_size = bytes;
	c->abi = ipc3_abi_version(3, 22, 1);
	m.data_size = bytes;
	for (uint32_t i = 0; i < bytes; i++)
		m.data[i] = (uint8_t)(0xa0 ^ i);
	return m;
}

static struct ipc3_msg id_tmpl(uint32_t cmd, uint32_t id)
{
	struct ipc3_msg m = { .cmd = cmd };

	m.u.id = id;
	return m;
}

/* ---------------------------------------------------------------------------------------- */
/* Framing                                                                                   */

static void short_messages_are_refused(void **state)
{
	uint8_t buf[8] = { 0 };

	put_le32(buf, 8);
	put_le32(buf + 4, IPC3_TPLG_COMP_FREE);
	expect(NULL, 12, IPC3_ORIGIN_GUEST, -EINVAL, "shorter");
	expect(buf, 0, IPC3_ORIGIN_GUEST, -EINVAL, "shorter");
	expect(buf, 7, IPC3_ORIGIN_GUEST, -EINVAL, "shorter");
	/* A complete header of a command that needs an id: the size is wrong. */
	expect(buf, 8, IPC3_ORIGIN_GUEST, -EINVAL, "size is not 12");
}

static void messages_longer_than_384_bytes_are_refused(void **state)
{
	uint8_t buf[IPC3_MSG_MAX_SIZE + 4] = { 0 };

	put_le32(buf, sizeof(buf));
	put_le32(buf + 4, IPC3_COMP_SET_DATA);
	expect(buf, IPC3_MSG_MAX_SIZE + 1, IPC3_ORIGIN_GUEST, -EINVAL, "384");
	expect(buf, sizeof(buf), IPC3_ORIGIN_GUEST, -EINVAL, "384");
}

static void a_size_field_that_lies_is_refused(void **state)
{
	struct ipc3_msg m = id_tmpl(IPC3_STREAM_TRIG_START, 4);
	uint8_t buf[IPC3_MSG_MAX_SIZE] = { 0 };
	size_t n = encode(&m, buf);

	expect(buf, n, IPC3_ORIGIN_GUEST, 0, NULL);
	/* Claims more than was received. */
	put_le32(buf, 16);
	expect(buf, n, IPC3_ORIGIN_GUEST, -EINVAL, "differs");
	/* Claims less than was received. */
	put_le32(buf, 8);
	expect(buf, n, IPC3_ORIGIN_GUEST, -EINVAL, "differs");
	/* Claims the maximum. */
	put_le32(buf, IPC3_MSG_MAX_SIZE);
	expect(buf, n, IPC3_ORIGIN_GUEST, -EINVAL, "differs");
	/* Agrees with the bytes, but the command has a fixed size. */
	put_le32(buf, 16);
	expect(buf, 16, IPC3_ORIGIN_GUEST, -EINVAL, "size is not 12");
}

static void an_id_in_the_command_word_is_refused(void **state)
{
	struct ipc3_msg m = id_tmpl(IPC3_STREAM_POSITION, 4);
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	size_t n = encode(&m, buf);

	put_le32(buf + 4, IPC3_STREAM_POSITION | 4);
	expect(buf, n, IPC3_ORIGIN_GUEST, -EINVAL, "id field");
}

static void unknown_global_and_command_types_are_refused(void **state)
{
	static const struct {
		uint32_t cmd;
		const char *why;
	} cases[] = {
		{ 0x00000000u, "unknown global type" },
		{ 0xe0000000u, "unknown global type" },
		{ 0xf0010000u, "unknown global type" },
		{ IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x004), "unknown topology command" },
		{ IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x000), "unknown topology command" },
		{ IPC3_TPLG_VFE_GET, "unknown topology command" },
		{ IPC3_CMD_(IPC3_GLB_PM_MSG, 0x009), "unknown PM command" },
		{ IPC3_CMD_(IPC3_GLB_COMP_MSG, 0x006), "unknown component command" },
		{ IPC3_CMD_(IPC3_GLB_STREAM_MSG, 0x00b), "unknown stream command" },
		{ IPC3_CMD_(IPC3_GLB_STREAM_MSG, 0xfff), "unknown stream command" },
		/* Messages that only travel DSP -> host, and ones the firmware never runs. */
		{ IPC3_REPLY, "DSP -> host" },
		{ IPC3_FW_READY, "DSP -> host" },
		{ IPC3_STREAM_PCM_PARAMS_REPLY, "DSP -> host" },
		{ IPC3_COMP_NOTIFICATION, "DSP -> host" },
		{ IPC3_CMD_(IPC3_GLB_COMPOUND, 0), "COMPOUND" },
		{ IPC3_TPLG_PIPE_CONNECT, "PIPE_CONNECT" },
		{ IPC3_PM_CLK_SET, "clock" },
		{ IPC3_PM_CLK_GET, "clock" },
		{ IPC3_PM_CLK_REQ, "clock" },
		{ IPC3_STREAM_TRIG_DRAIN, "DRAIN" },
	};
	uint8_t buf[12] = { 0 };

	for (size_t i = 0; i < VADSP_ARRAY_SIZE(cases); i++) {
		put_le32(buf, sizeof(buf));
		put_le32(buf + 4, cases[i].cmd);
		expect(buf, sizeof(buf), IPC3_ORIGIN_HOST, -EINVAL, cases[i].why);
	}
}

static void privileged_global_types_are_refused_to_guests(void **state)
{
	static const uint32_t glb[] = { IPC3_GLB_DAI_MSG, IPC3_GLB_TRACE_MSG, IPC3_GLB_GDB_DEBUG,
					IPC3_GLB_TEST_MSG, IPC3_GLB_PROBE, IPC3_GLB_DEBUG };
	uint8_t buf[IPC3_MSG_MAX_SIZE] = { 0 };

	for (size_t i = 0; i < VADSP_ARRAY_SIZE(glb); i++) {
		/* Whatever the command type or size: refused on the global type alone. */
		put_le32(buf, 64);
		put_le32(buf + 4, ipc3_cmd(glb[i], 1, 0));
		expect(buf, 64, IPC3_ORIGIN_GUEST, -EACCES, "not for guests");
		expect(buf, 64, IPC3_ORIGIN_HOST, -EOPNOTSUPP, "not implemented");
		put_le32(buf, 8);
		put_le32(buf + 4, ipc3_cmd(glb[i], 0x7ff, 3));
		expect(buf, 8, IPC3_ORIGIN_GUEST, -EACCES, "not for guests");
	}
	put_le32(buf, 8);
	put_le32(buf + 4, IPC3_DAI_CONFIG);
	expect(buf, 8, IPC3_ORIGIN_GUEST, -EACCES, NULL);
	put_le32(buf + 4, IPC3_TRACE_DMA_PARAMS);
	expect(buf, 8, IPC3_ORIGIN_GUEST, -EACCES, NULL);
}

/* Every fixed-size request: its exact size is accepted, one word more or less is not. */
static void fixed_size_requests_need_their_exact_size(void **state)
{
	static const uint32_t id_cmds[] = {
		IPC3_TPLG_COMP_FREE, IPC3_TPLG_BUFFER_FREE, IPC3_TPLG_PIPE_FREE,
		IPC3_TPLG_PIPE_COMPLETE, IPC3_STREAM_PCM_FREE, IPC3_STREAM_TRIG_START,
		IPC3_STREAM_TRIG_STOP, IPC3_STREAM_TRIG_PAUSE, IPC3_STREAM_TRIG_RELEASE,
		IPC3_STREAM_TRIG_XRUN, IPC3_STREAM_POSITION,
	};
	struct ipc3_msg msgs[VADSP_ARRAY_SIZE(id_cmds) + 9];
	size_t n = 0;

	for (size_t i = 0; i < VADSP_ARRAY_SIZE(id_cmds); i++)
		msgs[n++] = id_tmpl(id_cmds[i], (uint32_t)(100 + i));
	msgs[n++] = buffer_tmpl();
	msgs[n++] = pipe_tmpl();
	msgs[n] = (struct ipc3_msg){ .cmd = IPC3_TPLG_COMP_CONNECT };
	msgs[n++].u.connect = (struct ipc3_msg_connect){ .source_id = 2, .sink_id = 1 };
	msgs[n] = (struct ipc3_msg){ .cmd = IPC3_PM_CTX_SAVE };
	msgs[n++].u.pm.ctx_size = 4096;
	msgs[n++] = (struct ipc3_msg){ .cmd = IPC3_PM_CTX_RESTORE };
	msgs[n++] = (struct ipc3_msg){ .cmd = IPC3_PM_CTX_SIZE };
	msgs[n] = (struct ipc3_msg){ .cmd = IPC3_PM_CORE_ENABLE };
	msgs[n++].u.pm.enable_mask = 1;
	msgs[n] = (struct ipc3_msg){ .cmd = IPC3_PM_GATE };
	msgs[n++].u.pm.flags = 1;
	msgs[n++] = value_tmpl(IPC3_COMP_SET_VALUE, 2);
	assert_int_equal(n, VADSP_ARRAY_SIZE(msgs));

	for (size_t i = 0; i < n; i++) {
		uint8_t buf[IPC3_MSG_MAX_SIZE] = { 0 };
		size_t len = encode(&msgs[i], buf);

		expect_round_trip(&msgs[i]);
		put_le32(buf, (uint32_t)len - 4);
		expect(buf, len - 4, IPC3_ORIGIN_GUEST, -EINVAL, NULL);
		put_le32(buf, (uint32_t)len + 4);
		expect(buf, len + 4, IPC3_ORIGIN_GUEST, -EINVAL, NULL);
	}
	/* The decoded id-only messages carry their id. */
	expect_round_trip(&msgs[3]);
	assert_int_equal(out.u.id, 103);
}

/* ---------------------------------------------------------------------------------------- */
/* Topology                                                                                  */

static void every_component_type_round_trips(void **state)
{
	static const uint32_t types[] = {
		IPC3_COMP_HOST, IPC3_COMP_DAI, IPC3_COMP_VOLUME, IPC3_COMP_MIXER, IPC3_COMP_SRC,
		IPC3_COMP_ASRC, IPC3_COMP_TONE, IPC3_COMP_EQ_IIR, IPC3_COMP_DEMUX,
	};
	static const uint32_t sizes[] = { 76, 80, 84, 64, 76, 96, 100, 124, 108 };

	for (size_t i = 0; i < VADSP_ARRAY_SIZE(types); i++) {
		struct ipc3_msg m = comp_tmpl(types[i]);
		uint8_t buf[IPC3_MSG_MAX_SIZE];

		assert_int_equal(encode(&m, buf), sizes[i]);
		expect_round_trip(&m);
		assert_memory_equal(&out.u.comp, &m.u.comp, sizeof(m.u.comp));
	}
}

static void mux_and_demux_come_short_or_as_process_components(void **state)
{
	struct ipc3_msg m = comp_tmpl(IPC3_COMP_MUX);
	uint8_t buf[IPC3_MSG_MAX_SIZE];

	/* The Linux driver's mux widget: the 64-byte struct ipc3_comp_mux. */
	m.u.comp.short_mux = true;
	assert_int_equal(encode(&m, buf), 64);
	expect_round_trip(&m);
	assert_true(out.u.comp.short_mux);
	assert_int_equal(out.u.comp.u.process.type, IPC3_PROCESS_MUX);
	/* An effect widget of process type MUX: the process layout with its blob. */
	m.u.comp.short_mux = false;
	m.data_size = 12;
	assert_int_equal(encode(&m, buf), 112);
	expect_round_trip(&m);
	assert_false(out.u.comp.short_mux);
	/* A DEMUX comp type claiming process type MUX. */
	m.u.comp.type = IPC3_COMP_DEMUX;
	expect_field(&m, offsetof(struct ipc3_comp, type), IPC3_COMP_DEMUX, -EINVAL,
		     "does not match the component type");
}

static void the_uuid_extension_is_16_bytes_at_the_end(void **state)
{
	struct ipc3_msg m = comp_tmpl(IPC3_COMP_VOLUME);
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	size_t n;

	m.u.comp.has_uuid = true;
	for (int i = 0; i < IPC3_COMP_UUID_SIZE; i++)
		m.u.comp.uuid[i] = (uint8_t)(0xb0 + i);
	n = encode(&m, buf);
	assert_int_equal(n, 100);	/* volume 84 + UUID, as the kernel sends it */
	assert_memory_equal(buf + 84, m.u.comp.uuid, IPC3_COMP_UUID_SIZE);
	expect_round_trip(&m);
	assert_true(out.u.comp.has_uuid);
	assert_memory_equal(out.u.comp.uuid, m.u.comp.uuid, IPC3_COMP_UUID_SIZE);

	/* Other extension lengths, aligned or not. */
	for (uint32_t ext = 1; ext <= 20; ext++) {
		if (ext == 16)
			continue;
		put_le32(buf + offsetof(struct ipc3_comp, ext_data_length), ext);
		expect(buf, n, IPC3_ORIGIN_GUEST, -EINVAL, "ext_data_length");
	}
	/* A UUID that eats into the component: the message is too short for both. */
	put_le32(buf + offsetof(struct ipc3_comp, ext_data_length), 16);
	put_le32(buf, 84);
	expect(buf, 84, IPC3_ORIGIN_GUEST, -EINVAL, "not 84");
	/* The smallest component with a UUID that overlaps its own header. */
	m = comp_tmpl(IPC3_COMP_MIXER);
	n = encode(&m, buf);
	put_le32(buf + offsetof(struct ipc3_comp, ext_data_length), 16);
	expect(buf, n, IPC3_ORIGIN_GUEST, -EINVAL, "overlaps");
}

static void comp_new_fields_are_range_checked(void **state)
{
	const struct {
		uint32_t type;
		size_t off;
		uint32_t val;
		const char *why;
	} cases[] = {
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp, core), IPC3_CHECK_CORES, "core" },
		{ IPC3_COMP_HOST, 28 + offsetof(struct ipc3_comp_config, hdr.size), 32, "config hdr.size" },
		{ IPC3_COMP_HOST, 28 + offsetof(struct ipc3_comp_config, frame_fmt), 4, "frame format" },
		{ IPC3_COMP_HOST, 28 + offsetof(struct ipc3_comp_config, periods_sink), 65, "periods" },
		{ IPC3_COMP_HOST, 28 + offsetof(struct ipc3_comp_config, periods_source), ~0u, "periods" },
		{ IPC3_COMP_HOST, 28 + offsetof(struct ipc3_comp_config, xrun_action), 8, "xrun" },
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp_host, direction), 2, "host direction" },
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp_host, no_irq), 2, "no_irq" },
		{ IPC3_COMP_DAI, offsetof(struct ipc3_comp_dai, direction), 2, "dai direction" },
		{ IPC3_COMP_DAI, offsetof(struct ipc3_comp_dai, type), IPC3_DAI_AMD_HS + 1, "dai type" },
		{ IPC3_COMP_VOLUME, offsetof(struct ipc3_comp_volume, channels), 0, "channels" },
		{ IPC3_COMP_VOLUME, offsetof(struct ipc3_comp_volume, channels), 9, "channels" },
		{ IPC3_COMP_VOLUME, offsetof(struct ipc3_comp_volume, min_value), 0x10001, "min_value above" },
		{ IPC3_COMP_VOLUME, offsetof(struct ipc3_comp_volume, max_value), 0x80000000u, "signed" },
		{ IPC3_COMP_VOLUME, offsetof(struct ipc3_comp_volume, ramp), 4, "ramp type" },
		{ IPC3_COMP_VOLUME, offsetof(struct ipc3_comp_volume, initial_ramp), 10001, "10 s" },
		{ IPC3_COMP_SRC, offsetof(struct ipc3_comp_src, source_rate), 7999, "src rate" },
		{ IPC3_COMP_SRC, offsetof(struct ipc3_comp_src, sink_rate), 192001, "src rate" },
		{ IPC3_COMP_ASRC, offsetof(struct ipc3_comp_asrc, source_rate), 1, "asrc rate" },
		{ IPC3_COMP_ASRC, offsetof(struct ipc3_comp_asrc, asynchronous_mode), 2, "mode" },
		{ IPC3_COMP_ASRC, offsetof(struct ipc3_comp_asrc, operation_mode), 2, "mode" },
		{ IPC3_COMP_TONE, offsetof(struct ipc3_comp_tone, sample_rate), 4000, "tone rate" },
		{ IPC3_COMP_TONE, offsetof(struct ipc3_comp_tone, sample_rate), ~0u, "tone rate" },
		{ IPC3_COMP_TONE, offsetof(struct ipc3_comp_tone, frequency), ~0u, "negative" },
		{ IPC3_COMP_TONE, offsetof(struct ipc3_comp_tone, amplitude), 0x80000000u, "negative" },
		{ IPC3_COMP_EQ_IIR, offsetof(struct ipc3_comp_process, size), 25, "process size" },
		{ IPC3_COMP_EQ_IIR, offsetof(struct ipc3_comp_process, size), ~0u, "process size" },
		{ IPC3_COMP_EQ_IIR, offsetof(struct ipc3_comp_process, type), IPC3_PROCESS_EQFIR,
		  "does not match" },
		{ IPC3_COMP_EQ_IIR, offsetof(struct ipc3_comp_process, type), 10, "unknown process" },
		/* Component types that COMP_NEW never creates, or that do not exist. */
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp, type), IPC3_COMP_SG_HOST, "type unknown" },
		{ IPC3_COMP_DAI, offsetof(struct ipc3_comp, type), IPC3_COMP_SG_DAI, "type unknown" },
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp, type), 9, "type unknown" },
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp, type), 11, "type unknown" },
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp, type), IPC3_COMP_BUFFER, "type unknown" },
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp, type), 23, "type unknown" },
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp, type), ~0u, "type unknown" },
		/* A type whose structure has another size. */
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp, type), IPC3_COMP_VOLUME, "not 84" },
		{ IPC3_COMP_VOLUME, offsetof(struct ipc3_comp, type), IPC3_COMP_HOST, "not 76" },
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp, type), IPC3_COMP_DAI, "not 80" },
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp, type), IPC3_COMP_MIXER, "not 64" },
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp, type), IPC3_COMP_ASRC, "not 96" },
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp, type), IPC3_COMP_TONE, "not 100" },
		{ IPC3_COMP_VOLUME, offsetof(struct ipc3_comp, type), IPC3_COMP_SRC, "not 76" },
		{ IPC3_COMP_HOST, offsetof(struct ipc3_comp, type), IPC3_COMP_EQ_IIR, "shorter than 100" },
	};

	for (size_t i = 0; i < VADSP_ARRAY_SIZE(cases); i++) {
		struct ipc3_msg m = comp_tmpl(cases[i].type);

		expect_round_trip(&m);
		expect_field(&m, cases[i].off, cases[i].val, -EINVAL, cases[i].why);
	}
}

static void comp_new_boundaries_are_accepted(void **state)
{
	struct ipc3_msg m = comp_tmpl(IPC3_COMP_VOLUME);

	m.u.comp.u.volume.channels = IPC3_CHECK_CHANNELS_MAX;
	m.u.comp.u.volume.min_value = m.u.comp.u.volume.max_value = 0x7fffffff;
	m.u.comp.u.volume.initial_ramp = IPC3_CHECK_RAMP_MS_MAX;
	m.u.comp.u.volume.ramp = IPC3_VOLUME_LOG_ZC;
	m.u.comp.core = IPC3_CHECK_CORES - 1;
	m.u.comp.periods_sink = m.u.comp.periods_source = IPC3_CHECK_PERIODS_MAX;
	m.u.comp.xrun_action = 7;
	m.u.comp.frame_fmt = IPC3_FRAME_FLOAT;
	expect_round_trip(&m);

	m = comp_tmpl(IPC3_COMP_SRC);
	m.u.comp.u.src.source_rate = IPC3_CHECK_RATE_MIN;
	m.u.comp.u.src.sink_rate = IPC3_CHECK_RATE_MAX;
	expect_round_trip(&m);
	m.u.comp.u.src.source_rate = m.u.comp.u.src.sink_rate = 0;	/* from the stream */
	expect_round_trip(&m);

	m = comp_tmpl(IPC3_COMP_DAI);
	m.u.comp.u.dai.type = IPC3_DAI_AMD_HS;
	expect_round_trip(&m);

	/* The largest process component that fits one message. */
	m = comp_tmpl(IPC3_COMP_EQ_IIR);
	m.data_size = IPC3_MSG_MAX_SIZE - 100;
	expect_round_trip(&m);
}

static void type_none_needs_a_uuid_and_process_type_none(void **state)
{
	struct ipc3_msg m = comp_tmpl(IPC3_COMP_NONE);
	uint8_t buf[IPC3_MSG_MAX_SIZE];

	/* As real topologies send DRC or RTNR: found by UUID in the firmware. */
	m.data_size = 20;
	m.u.comp.has_uuid = true;
	m.u.comp.uuid[0] = 0x42;
	expect_round_trip(&m);
	m.u.comp.has_uuid = false;
	expect(buf, encode(&m, buf), IPC3_ORIGIN_GUEST, -EINVAL, "needs process type NONE and a UUID");
	m.u.comp.has_uuid = true;
	m.u.comp.u.process.type = IPC3_PROCESS_EQIIR;
	expect(buf, encode(&m, buf), IPC3_ORIGIN_GUEST, -EINVAL, "needs process type NONE and a UUID");
}

static void buffer_new_is_checked(void **state)
{
	struct ipc3_msg m = buffer_tmpl();

	expect_round_trip(&m);
	assert_int_equal(out.u.buffer.size, 768);
	assert_int_equal(out.u.buffer.caps, 0x61);
	expect_field(&m, offsetof(struct ipc3_buffer, size), 0, -EINVAL, "size 0");
	expect_field(&m, offsetof(struct ipc3_buffer, size), IPC3_CHECK_BUFFER_MAX + 1, -EINVAL,
		     "1 MiB");
	expect_field(&m, offsetof(struct ipc3_buffer, comp.type), IPC3_COMP_HOST, -EINVAL,
		     "not BUFFER");
	expect_field(&m, offsetof(struct ipc3_buffer, comp.ext_data_length), 16, -EINVAL,
		     "no extension");
	expect_field(&m, offsetof(struct ipc3_buffer, comp.core), 8, -EINVAL, "core");
	m.u.buffer.size = IPC3_CHECK_BUFFER_MAX;
	expect_round_trip(&m);
}

static void pipe_new_is_checked(void **state)
{
	struct ipc3_msg m = pipe_tmpl();

	expect_round_trip(&m);
	assert_int_equal(out.u.pipe.sched_id, 4);
	assert_int_equal(out.u.pipe.period, 1000);
	expect_field(&m, offsetof(struct ipc3_pipe_new, period), 0, -EINVAL, "period 0");
	expect_field(&m, offsetof(struct ipc3_pipe_new, period), IPC3_CHECK_PERIOD_US_MAX + 1,
		     -EINVAL, "1 s");
	expect_field(&m, offsetof(struct ipc3_pipe_new, time_domain), 2, -EINVAL, "time_domain");
	expect_field(&m, offsetof(struct ipc3_pipe_new, core), 8, -EINVAL, "core");
	m.u.pipe.time_domain = 1;
	m.u.pipe.period = IPC3_CHECK_PERIOD_US_MAX;
	expect_round_trip(&m);
}

static void connect_to_itself_is_refused(void **state)
{
	struct ipc3_msg m = { .cmd = IPC3_TPLG_COMP_CONNECT };

	m.u.connect = (struct ipc3_msg_connect){ .source_id = 9, .sink_id = 10 };
	expect_round_trip(&m);
	expect_field(&m, offsetof(struct ipc3_pipe_comp_connect, sink_id), 9, -EINVAL,
		     "same id");
}

/* ---------------------------------------------------------------------------------------- */
/* Streams                                                                                   */

#define PP(field)	(offsetof(struct ipc3_pcm_params, params) + \
			 offsetof(struct ipc3_stream_params, field))

static void expect_pcm_field16(const struct ipc3_msg *m, size_t off, uint16_t val,
			       const char *why)
{
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	size_t n = encode(m, buf);

	put_le16(buf + off, val);
	expect(buf, n, IPC3_ORIGIN_GUEST, -EINVAL, why);
}

static void pcm_params_sizes_follow_the_firmware(void **state)
{
	struct ipc3_msg m = pcm_tmpl();
	uint8_t buf[IPC3_MSG_MAX_SIZE] = { 0 };
	size_t n;

	expect_round_trip(&m);
	assert_memory_equal(&out.u.pcm, &m.u.pcm, sizeof(m.u.pcm));
	n = encode(&m, buf);
	assert_int_equal(n, 108);
	/* hdr.size == 108 + ext and params.hdr.size == 84 + ext. */
	put_le32(buf + PP(hdr.size), 88);
	expect(buf, n, IPC3_ORIGIN_GUEST, -EINVAL, "params.hdr.size");
	put_le32(buf + PP(hdr.size), 84);
	put_le16(buf + PP(ext_data_length), 4);
	expect(buf, n, IPC3_ORIGIN_GUEST, -EINVAL, "108 + ext");
	put_le32(buf, 112);
	expect(buf, 112, IPC3_ORIGIN_GUEST, -EINVAL, "params.hdr.size");
	put_le32(buf + PP(hdr.size), 88);
	expect(buf, 112, IPC3_ORIGIN_GUEST, 0, NULL);
	assert_int_equal(out.data_size, 4);
	/* Extension data must be whole words. */
	m.data_size = 6;
	expect(buf, encode(&m, buf), IPC3_ORIGIN_GUEST, -EINVAL, "multiple of 4");
	m.data_size = 8;
	m.data[0] = 0x5a;
	expect_round_trip(&m);
	/* Shorter than the structure at all. */
	put_le32(buf, 100);
	expect(buf, 100, IPC3_ORIGIN_GUEST, -EINVAL, "shorter than 108");
}

static void pcm_params_refuses_impossible_streams(void **state)
{
	struct ipc3_msg m = pcm_tmpl();

	expect_field(&m, PP(direction), 2, -EINVAL, "direction");
	expect_field(&m, PP(frame_fmt), 4, -EINVAL, "frame format");
	expect_field(&m, PP(buffer_fmt), 1, -EINVAL, "interleaved");
	expect_field(&m, PP(rate), 0, -EINVAL, "rate");
	expect_field(&m, PP(rate), 7999, -EINVAL, "rate");
	expect_field(&m, PP(rate), 192001, -EINVAL, "rate");
	expect_field(&m, PP(rate), ~0u, -EINVAL, "rate");
	expect_pcm_field16(&m, PP(channels), 0, "channels");
	expect_pcm_field16(&m, PP(channels), 9, "channels");
	expect_pcm_field16(&m, PP(channels), 0xffff, "channels");
	expect_pcm_field16(&m, PP(sample_container_bytes), 4, "container");
	expect_pcm_field16(&m, PP(sample_valid_bytes), 0, "sample_valid_bytes");
	expect_pcm_field16(&m, PP(sample_valid_bytes), 3, "sample_valid_bytes");
	expect_field(&m, PP(host_period_bytes), 0, -EINVAL, "host_period_bytes");
	expect_field(&m, PP(host_period_bytes), 1538, -EINVAL, "host_period_bytes");
	expect_field(&m, PP(buffer.size), 0, -EINVAL, "whole number of periods");
	expect_field(&m, PP(buffer.size), 1024, -EINVAL, "whole number of periods");
	expect_field(&m, PP(buffer.size), 3 * 1536 + 4, -EINVAL, "whole number of periods");
	expect_field(&m, PP(buffer.size), 1536 * 10923, -EINVAL, "16 MiB");
	expect_pcm_field16(&m, PP(no_stream_position), 2, "no_stream_position");

	/* The boundaries, and S24_4LE (24 valid bits in 4 bytes). */
	m.u.pcm.rate = IPC3_CHECK_RATE_MIN;
	expect_round_trip(&m);
	m.u.pcm.rate = IPC3_CHECK_RATE_MAX;
	m.u.pcm.channels = 8;
	m.u.pcm.frame_fmt = IPC3_FRAME_S24_4LE;
	m.u.pcm.sample_container_bytes = 4;
	m.u.pcm.sample_valid_bytes = 3;
	m.u.pcm.host_period_bytes = 32 * 48;
	m.u.pcm.buffer_size = m.u.pcm.host_period_bytes;
	expect_round_trip(&m);
	/* S16 in a 4-byte container is not S16. */
	m.u.pcm.frame_fmt = IPC3_FRAME_S16_LE;
	expect_field(&m, PP(frame_fmt), IPC3_FRAME_S16_LE, -EINVAL, "container");
}

/* ---------------------------------------------------------------------------------------- */
/* Controls                                                                                  */

#define CD(field)	offsetof(struct ipc3_ctrl_data, field)

static void value_controls_need_matching_element_counts(void **state)
{
	struct ipc3_msg m = value_tmpl(IPC3_COMP_SET_VALUE, 2);
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	size_t n;

	expect_round_trip(&m);
	assert_int_equal(out.u.ctrl.chanv[1].value, 0x8001);
	n = encode(&m, buf);
	assert_int_equal(n, 92 + 16);
	/* num_elems says 3 but two pairs came, and the other way round. */
	put_le32(buf + CD(num_elems), 3);
	expect(buf, n, IPC3_ORIGIN_GUEST, -EINVAL, "92 + 8 * num_elems");
	put_le32(buf + CD(num_elems), 1);
	expect(buf, n, IPC3_ORIGIN_GUEST, -EINVAL, "92 + 8 * num_elems");
	expect_field(&m, CD(num_elems), 0, -EINVAL, "1..8");
	expect_field(&m, CD(num_elems), 9, -EINVAL, "1..8");
	expect_field(&m, CD(num_elems), 0x20000000u, -EINVAL, "1..8");
	/* No room for a ninth channel even when the size agrees. */
	m = value_tmpl(IPC3_COMP_SET_VALUE, 8);
	n = encode(&m, buf);
	put_le32(buf + CD(num_elems), 9);
	put_le32(buf, (uint32_t)n + 8);
	expect(buf, n + 8, IPC3_ORIGIN_GUEST, -EINVAL, "1..8");
	expect_round_trip(&m);

	m = value_tmpl(IPC3_COMP_SET_VALUE, 2);
	expect_field(&m, CD(data) + 8, 8, -EINVAL, "channel beyond 7");
	expect_field(&m, CD(elems_remaining), 1, -EINVAL, "never split");
	expect_field(&m, CD(msg_index), 1, -EINVAL, "never split");
	expect_field(&m, CD(type), IPC3_CTRL_VALUE_CHAN_GET, -EINVAL, "does not match");
	expect_field(&m, CD(type), IPC3_CTRL_DATA_SET, -EINVAL, "does not match");
	expect_field(&m, CD(cmd), IPC3_CTRL_CMD_BINARY, -EINVAL, "SET/GET_DATA");
	expect_field(&m, CD(cmd), 4, -EINVAL, "unknown control cmd");
	m.u.ctrl.type = IPC3_CTRL_VALUE_COMP_SET;
	m.u.ctrl.cmd = IPC3_CTRL_CMD_SWITCH;
	expect_round_trip(&m);

	/* GET: values are what the DSP fills in, channels are not judged. */
	m = value_tmpl(IPC3_COMP_GET_VALUE, 2);
	m.u.ctrl.chanv[0].channel = 99;
	expect_round_trip(&m);
	expect_field(&m, CD(type), IPC3_CTRL_VALUE_CHAN_SET, -EINVAL, "does not match");
}

static void binary_data_needs_a_valid_abi_header(void **state)
{
	struct ipc3_msg m = data_tmpl(IPC3_COMP_SET_DATA, 40);
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	size_t abi = CD(data);
	size_t n;

	expect_round_trip(&m);
	assert_int_equal(out.u.ctrl.abi_size, 40);
	n = encode(&m, buf);
	assert_int_equal(n, 92 + 32 + 40);
	assert_int_equal(get_le32(buf + abi), IPC3_ABI_MAGIC);
	expect_field(&m, abi + offsetof(struct ipc3_abi_hdr, magic), 0x00464f54u, -EINVAL, "magic");
	expect_field(&m, abi + offsetof(struct ipc3_abi_hdr, magic), 0, -EINVAL, "magic");
	expect_field(&m, abi + offsetof(struct ipc3_abi_hdr, abi), ipc3_abi_version(4, 0, 0),
		     -EINVAL, "ABI major");
	expect_field(&m, abi + offsetof(struct ipc3_abi_hdr, abi), ipc3_abi_version(2, 23, 1),
		     -EINVAL, "ABI major");
	expect_field(&m, abi + offsetof(struct ipc3_abi_hdr, size), 41, -EINVAL, "blob size");
	expect_field(&m, abi + offsetof(struct ipc3_abi_hdr, size), 39, -EINVAL, "blob size");
	expect_field(&m, CD(num_elems), 39, -EINVAL, "num_elems does not match");
	expect_field(&m, CD(num_elems), 0xffffffffu, -EINVAL, "num_elems does not match");
	expect_field(&m, CD(cmd), IPC3_CTRL_CMD_VOLUME, -EINVAL, "binary controls only");
	expect_field(&m, CD(type), IPC3_CTRL_DATA_GET, -EINVAL, "does not match");
	/* Any minor version of ABI 3 goes. */
	m.u.ctrl.abi = ipc3_abi_version(3, 4095, 4095);
	expect_round_trip(&m);
	/* Too short for the ABI header. */
	put_le32(buf, 120);
	expect(buf, 120, IPC3_ORIGIN_GUEST, -EINVAL, "ABI header");
	/* GET_DATA carries the same header. */
	m = data_tmpl(IPC3_COMP_GET_DATA, 0);
	expect_round_trip(&m);
	expect_field(&m, abi, 0, -EINVAL, "magic");
}

static void binary_data_in_parts_must_add_up(void **state)
{
	struct ipc3_msg m = data_tmpl(IPC3_COMP_SET_DATA, IPC3_MSG_MAX_SIZE - 124);

	/* First part of a 1000-byte blob: 260 bytes here, 740 to follow. */
	m.u.ctrl.abi_size = 1000;
	m.u.ctrl.elems_remaining = 1000 - m.u.ctrl.num_elems;
	expect_round_trip(&m);
	expect_field(&m, CD(elems_remaining), 741, -EINVAL, "blob size");
	/* Second part: 260 more, 480 to follow. */
	m.u.ctrl.msg_index = 1;
	m.u.ctrl.elems_remaining = 480;
	expect_round_trip(&m);
	/* A part that reaches past the end. */
	expect_field(&m, CD(elems_remaining), 741, -EINVAL, "beyond the blob");
	expect_field(&m, CD(elems_remaining), 0xffffffffu, -EINVAL, "beyond the blob");
	/* The whole blob is bounded. */
	expect_field(&m, CD(data) + offsetof(struct ipc3_abi_hdr, size), IPC3_CHECK_BLOB_MAX + 1,
		     -EINVAL, "64 KiB");
}

static void pm_messages_are_checked(void **state)
{
	struct ipc3_msg m = { .cmd = IPC3_PM_CORE_ENABLE };

	m.u.pm.enable_mask = 0xff;
	expect_round_trip(&m);
	expect_field(&m, offsetof(struct ipc3_pm_core_config, enable_mask), 0x100, -EINVAL,
		     "core beyond 7");
	m = (struct ipc3_msg){ .cmd = IPC3_PM_GATE };
	m.u.pm.flags = 3;
	expect_round_trip(&m);
	assert_int_equal(out.u.pm.flags, 3);
}

/* ---------------------------------------------------------------------------------------- */
/* Replies                                                                                   */

static void replies_are_wire_exact(void **state)
{
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	int32_t err = 1;

	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(ipc3_encode_reply(buf, sizeof(buf), -ENODEV), 12);
	assert_int_equal(get_le32(buf), 12);
	assert_int_equal(get_le32(buf + 4), 0x10000000u);
	assert_int_equal((int32_t)get_le32(buf + 8), -ENODEV);
	assert_int_equal(ipc3_reply_error(buf, 12, &err), 0);
	assert_int_equal(err, -ENODEV);
	assert_int_equal(ipc3_reply_error(buf, 16, &err), -EINVAL);
	assert_int_equal(ipc3_reply_error(buf, 8, &err), -EINVAL);
	assert_int_equal(ipc3_encode_reply(buf, 11, 0), -ENOSPC);

	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(ipc3_encode_comp_reply(buf, sizeof(buf), 0x1234), 20);
	assert_int_equal(get_le32(buf), 20);
	assert_int_equal(get_le32(buf + 4), IPC3_REPLY);
	assert_int_equal(get_le32(buf + 8), 0);
	assert_int_equal(get_le32(buf + 12), 0x1234);
	assert_int_equal(get_le32(buf + 16), 0);
	assert_int_equal(ipc3_encode_comp_reply(buf, 19, 1), -ENOSPC);

	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(ipc3_encode_pcm_params_reply(buf, sizeof(buf), 6, 0x80), 20);
	assert_int_equal(get_le32(buf), 20);
	assert_int_equal(get_le32(buf + 4), IPC3_REPLY);
	assert_int_equal(get_le32(buf + 8), 0);
	assert_int_equal(get_le32(buf + 12), 6);
	assert_int_equal(get_le32(buf + 16), 0x80);
}

static void position_replies_carry_every_field(void **state)
{
	const struct ipc3_posn p = {
		.comp_id = 6, .flags = 7, .wallclock_hz = 48000, .timestamp_ns = 1,
		.host_posn = 0x0102030405060708ull, .dai_posn = 0x1112131415161718ull,
		.comp_posn = 0x2122232425262728ull, .wallclock = 0x3132333435363738ull,
		.timestamp = 0x4142434445464748ull, .xrun_comp_id = 4, .xrun_size = -64,
	};
	uint8_t buf[IPC3_MSG_MAX_SIZE];

	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(ipc3_encode_posn(buf, sizeof(buf), &p), 76);
	assert_int_equal(get_le32(buf), 76);
	assert_int_equal(get_le32(buf + 4), 0x600a0006u);
	assert_int_equal(get_le32(buf + 8), 0);
	assert_int_equal(get_le32(buf + 12), 6);
	assert_int_equal(get_le32(buf + 16), 7);
	assert_int_equal(get_le32(buf + 20), 48000);
	assert_int_equal(get_le32(buf + 24), 1);
	assert_int_equal(get_le64(buf + 28), p.host_posn);
	assert_int_equal(get_le64(buf + 36), p.dai_posn);
	assert_int_equal(get_le64(buf + 44), p.comp_posn);
	assert_int_equal(get_le64(buf + 52), p.wallclock);
	assert_int_equal(get_le64(buf + 60), p.timestamp);
	assert_int_equal(get_le32(buf + 68), 4);
	assert_int_equal((int32_t)get_le32(buf + 72), -64);
	assert_int_equal(buf[76], 0xee);
	assert_int_equal(ipc3_encode_posn(buf, 75, &p), -ENOSPC);
}

static void control_replies_echo_the_request(void **state)
{
	struct ipc3_msg m = value_tmpl(IPC3_COMP_GET_VALUE, 3);
	const struct ipc3_chan_value v[3] = { { 0, 0x10000 }, { 1, 0x20000 }, { 2, 0x30000 } };
	uint8_t req[IPC3_MSG_MAX_SIZE], buf[IPC3_MSG_MAX_SIZE];
	uint8_t part[40];
	size_t n;

	m.u.ctrl.index = 5;
	n = encode(&m, req);
	expect(req, n, IPC3_ORIGIN_GUEST, 0, NULL);
	assert_int_equal(ipc3_encode_ctrl_reply(buf, sizeof(buf), &out, v, NULL, 0), n);
	assert_int_equal(get_le32(buf), n);
	assert_int_equal(get_le32(buf + 4), IPC3_REPLY);
	assert_int_equal(get_le32(buf + 8), 0);
	/* Everything after the reply header echoes the request but the values. */
	assert_memory_equal(buf + 12, req + 12, CD(data) - 12);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(get_le32(buf + CD(data) + 8 * i), i);
		assert_int_equal(get_le32(buf + CD(data) + 8 * i + 4), v[i].value);
	}

	m = data_tmpl(IPC3_COMP_GET_DATA, 40);
	n = encode(&m, req);
	expect(req, n, IPC3_ORIGIN_GUEST, 0, NULL);
	for (size_t i = 0; i < sizeof(part); i++)
		part[i] = (uint8_t)(0x30 + i);
	assert_int_equal(ipc3_encode_ctrl_reply(buf, sizeof(buf), &out, NULL, part, 200), n);
	assert_int_equal(get_le32(buf + CD(num_elems)), 40);
	assert_int_equal(get_le32(buf + CD(data) + offsetof(struct ipc3_abi_hdr, magic)),
			 IPC3_ABI_MAGIC);
	assert_int_equal(get_le32(buf + CD(data) + offsetof(struct ipc3_abi_hdr, size)), 200);
	assert_int_equal(get_le32(buf + CD(data) + offsetof(struct ipc3_abi_hdr, abi)),
			 IPC3_ABI_VERSION);
	assert_memory_equal(buf + 124, part, sizeof(part));
	/* Not a control request. */
	m = pipe_tmpl();
	assert_int_equal(ipc3_encode_ctrl_reply(buf, sizeof(buf), &m, NULL, NULL, 0), -EINVAL);
	/* No room. */
	assert_int_equal(ipc3_encode_ctrl_reply(buf, n - 1, &out, NULL, NULL, 0), -ENOSPC);
}

static void encode_refuses_what_it_cannot_write(void **state)
{
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	struct ipc3_msg m = comp_tmpl(IPC3_COMP_EQ_IIR);

	m.data_size = IPC3_MSG_MAX_SIZE - 99;
	assert_int_equal(ipc3_encode(&m, buf, sizeof(buf)), -EINVAL);
	m = comp_tmpl(9);
	assert_int_equal(ipc3_encode(&m, buf, sizeof(buf)), -EINVAL);
	m = (struct ipc3_msg){ .cmd = IPC3_DAI_CONFIG };
	assert_int_equal(ipc3_encode(&m, buf, sizeof(buf)), -EINVAL);
	m = pipe_tmpl();
	assert_int_equal(ipc3_encode(&m, buf, 47), -ENOSPC);
	m = value_tmpl(IPC3_COMP_SET_VALUE, 2);
	m.u.ctrl.num_elems = 9;
	assert_int_equal(ipc3_encode(&m, buf, sizeof(buf)), -EINVAL);
	m = data_tmpl(IPC3_COMP_SET_DATA, 0);
	m.data_size = IPC3_MSG_MAX_SIZE - 123;
	assert_int_equal(ipc3_encode(&m, buf, sizeof(buf)), -EINVAL);
	m = pcm_tmpl();
	m.data_size = IPC3_MSG_MAX_SIZE - 107;
	assert_int_equal(ipc3_encode(&m, buf, sizeof(buf)), -EINVAL);
}

/* ---------------------------------------------------------------------------------------- */
/* Real topologies                                                                           */

static const char *sof_dir(void)
{
	const char *d = getenv("VADSP_SOF_TPLG_DIR");

	return d && *d ? d : SOF_TPLG_DIR_DEFAULT;
}

/* Every message of @path's IPC sequence is accepted and re-encodes byte for byte. */
static uint32_t check_file(const char *path)
{
	struct tplg_ipc_seq *seq = NULL;
	struct tplg_error err;
	struct tplg *t = NULL;
	uint32_t n;

	if (tplg_load_file(path, &t, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	if (tplg_ipc_build(t, NULL, &seq, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	for (uint32_t i = 0; i < seq->num_msgs; i++) {
		const struct tplg_ipc_msg *msg = &seq->msgs[i];
		uint8_t buf[IPC3_MSG_MAX_SIZE];
		int ret = ipc3_check(msg->data, msg->size, IPC3_ORIGIN_GUEST, &out);

		if (ret < 0)
			fail_msg("%s: message %u (%s) refused: %d %s", path, i, msg->desc, ret,
				 out.reason);
		if (encode(&out, buf) != msg->size || memcmp(buf, msg->data, msg->size))
			fail_msg("%s: message %u (%s) does not re-encode", path, i, msg->desc);
	}
	n = seq->num_msgs;
	tplg_ipc_seq_free(seq);
	tplg_free(t);
	return n;
}

static void firmware_topologies_are_accepted_message_by_message(void **state)
{
	struct dirent **names;
	uint32_t files = 0, msgs = 0;
	int n = scandir(sof_dir(), &names, NULL, alphasort);

	if (n < 0) {
		print_message("no %s: skipped\n", sof_dir());
		skip();
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t len = strlen(name);
		char path[1024];

		if (len > 5 && strcmp(name + len - 5, ".tplg") == 0) {
			snprintf(path, sizeof(path), "%s/%s", sof_dir(), name);
			msgs += check_file(path);
			files++;
		}
		free(names[i]);
	}
	free(names);
	print_message("%u topologies, %u messages accepted\n", files, msgs);
	assert_true(files > 0);
}

static void wm8960_sequence_decodes_to_the_reference_values(void **state)
{
	struct tplg_ipc_seq *seq = NULL;
	struct tplg_error err;
	struct tplg *t = NULL;
	char path[1024];
	uint32_t hosts = 0, volumes = 0, buffers = 0, pipes = 0, dais = 0, connects = 0;

	snprintf(path, sizeof(path), "%s/sof-imx8-wm8960.tplg", sof_dir());
	if (tplg_load_file(path, &t, &err) < 0) {
		print_message("%s: %s: skipped\n", path, err.msg);
		skip();
	}
	assert_int_equal(tplg_ipc_build(t, NULL, &seq, &err), 0);
	for (uint32_t i = 0; i < seq->num_msgs; i++) {
		assert_int_equal(ipc3_check(seq->msgs[i].data, seq->msgs[i].size,
					    IPC3_ORIGIN_GUEST, &out), 0);
		switch (out.cmd) {
		case IPC3_TPLG_COMP_NEW:
			if (out.u.comp.type == IPC3_COMP_HOST) {
				hosts++;
				assert_int_equal(out.u.comp.u.host.direction,
						 out.u.comp.id == 0 ? IPC3_STREAM_PLAYBACK :
								      IPC3_STREAM_CAPTURE);
				assert_true(out.u.comp.id == 0 || out.u.comp.id == 6);
			} else if (out.u.comp.type == IPC3_COMP_VOLUME) {
				volumes++;
				assert_true(out.u.comp.id == 1 || out.u.comp.id == 7);
				assert_int_equal(out.u.comp.u.volume.channels, 2);
				assert_int_equal(out.u.comp.u.volume.ramp,
						 out.u.comp.id == 1 ? 2 : 0);
				assert_int_equal(out.u.comp.u.volume.initial_ramp,
						 out.u.comp.id == 1 ? 20 : 250);
				/* Playback tops out at 0 dB, capture at +30 dB. */
				if (out.u.comp.id == 1)
					assert_int_equal(out.u.comp.u.volume.max_value,
							 IPC3_VOLUME_Q8_16_ONE);
				else
					assert_true(out.u.comp.u.volume.max_value >
						    31 * IPC3_VOLUME_Q8_16_ONE);
			} else if (out.u.comp.type == IPC3_COMP_DAI) {
				dais++;
				assert_int_equal(out.u.comp.u.dai.type, IPC3_DAI_IMX_SAI);
				assert_int_equal(out.u.comp.u.dai.index, 1);
			}
			assert_true(out.u.comp.has_uuid);
			break;
		case IPC3_TPLG_BUFFER_NEW:
			buffers++;
			assert_int_equal(out.u.buffer.size, 768);
			assert_int_equal(out.u.buffer.caps, 0x61);
			break;
		case IPC3_TPLG_PIPE_NEW:
			pipes++;
			assert_int_equal(out.u.pipe.period, 1000);
			assert_int_equal(out.u.pipe.sched_id, out.u.pipe.comp_id == 5 ? 4 : 10);
			break;
		case IPC3_TPLG_COMP_CONNECT:
			connects++;
			break;
		default:
			break;
		}
	}
	assert_int_equal(hosts, 2);
	assert_int_equal(volumes, 2);
	assert_int_equal(dais, 2);
	assert_int_equal(buffers, 4);
	assert_int_equal(pipes, 2);
	assert_int_equal(connects, 8);
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

static void own_topologies_are_accepted_message_by_message(void **state)
{
	static const char *const files[] = { "host.tplg", "stereo.tplg", "multi.tplg",
					     "voice.tplg" };
	const char *d = getenv("VADSP_TOPOLOGY_DIR");

	if (!d || !*d)
		fail_msg("VADSP_TOPOLOGY_DIR is not set (meson sets it)");
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(files); i++) {
		char path[1024];

		snprintf(path, sizeof(path), "%s/%s", d, files[i]);
		assert_true(check_file(path) > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(short_messages_are_refused),
		cmocka_unit_test(messages_longer_than_384_bytes_are_refused),
		cmocka_unit_test(a_size_field_that_lies_is_refused),
		cmocka_unit_test(an_id_in_the_command_word_is_refused),
		cmocka_unit_test(unknown_global_and_command_types_are_refused),
		cmocka_unit_test(privileged_global_types_are_refused_to_guests),
		cmocka_unit_test(fixed_size_requests_need_their_exact_size),
		cmocka_unit_test(every_component_type_round_trips),
		cmocka_unit_test(mux_and_demux_come_short_or_as_process_components),
		cmocka_unit_test(the_uuid_extension_is_16_bytes_at_the_end),
		cmocka_unit_test(comp_new_fields_are_range_checked),
		cmocka_unit_test(comp_new_boundaries_are_accepted),
		cmocka_unit_test(type_none_needs_a_uuid_and_process_type_none),
		cmocka_unit_test(buffer_new_is_checked),
		cmocka_unit_test(pipe_new_is_checked),
		cmocka_unit_test(connect_to_itself_is_refused),
		cmocka_unit_test(pcm_params_sizes_follow_the_firmware),
		cmocka_unit_test(pcm_params_refuses_impossible_streams),
		cmocka_unit_test(value_controls_need_matching_element_counts),
		cmocka_unit_test(binary_data_needs_a_valid_abi_header),
		cmocka_unit_test(binary_data_in_parts_must_add_up),
		cmocka_unit_test(pm_messages_are_checked),
		cmocka_unit_test(replies_are_wire_exact),
		cmocka_unit_test(position_replies_carry_every_field),
		cmocka_unit_test(control_replies_echo_the_request),
		cmocka_unit_test(encode_refuses_what_it_cannot_write),
		cmocka_unit_test(firmware_topologies_are_accepted_message_by_message),
		cmocka_unit_test(wm8960_sequence_decodes_to_the_reference_values),
		cmocka_unit_test(own_topologies_are_accepted_message_by_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
