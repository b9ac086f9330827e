// SPDX-License-Identifier: MIT
/*
 * SOF IPC3 validator and codec.
 *
 * Rules, by command (every failure is -EINVAL unless noted; "==" sizes are exact, the
 * firmware itself accepts any size up to 384 and zero-fills what is missing):
 *
 * Framing    8 <= bytes <= 384; hdr.size == bytes received; the command word's id field is
 *            0; its global and command types are known. DAI, TRACE, GDB, TEST, PROBE and
 *            DEBUG: -EACCES from a guest, -EOPNOTSUPP from the host. REPLY, FW_READY,
 *            PCM_PARAMS_REPLY and COMP_NOTIFICATION travel DSP -> host only; COMPOUND,
 *            PIPE_CONNECT, PM_CLK_* and TRIG_DRAIN are not executed by the firmware.
 * COMP_NEW   size - ext == the type's structure (process types: 100 + process.size);
 *            ext_data_length 0 or 16 (the UUID); config.hdr.size == 36; core < 8;
 *            frame_fmt 0..3; periods_sink/source <= 64; xrun_action only bits 0..2.
 *            Types: host, dai, volume, mixer, mux, demux, src, asrc, tone and the process
 *            types (EQ IIR/FIR, keyword detect, KPB, selector, DC block, smart amp,
 *            module adapter); the process type must be the one the comp type stands for.
 *            Type NONE only as a process component of process type NONE with a UUID
 *            extension: the firmware picks such a component's driver by UUID (DRC, RTNR,
 *            codec adapters in real topologies).
 *            host: direction 0/1, no_irq 0/1. dai: direction 0/1, type 0..11.
 *            volume: channels 1..8, min <= max <= 0x7fffffff (signed Q8.16), ramp 0..3,
 *            initial_ramp <= 10000 ms.
 *            src/asrc: rates 0 (from the stream) or 8000..192000; asrc modes 0/1.
 *            tone: sample_rate 0 or 8000..192000, frequency/amplitude/length/period/
 *            repeats >= 0.
 * BUFFER_NEW == 44; comp.type BUFFER; no extension; core < 8; size 1..1 MiB.
 * PIPE_NEW   == 48; core < 8; period 1..1000000 us; time_domain 0/1.
 * COMP_CONNECT == 16; source != sink.
 * COMP_FREE, BUFFER_FREE, PIPE_FREE, PIPE_COMPLETE, PCM_FREE, TRIG_*, POSITION == 12.
 * PCM_PARAMS hdr.size == 108 + ext and params.hdr.size == 84 + ext (as the firmware),
 *            ext 4-aligned; direction 0/1; frame_fmt 0..3; buffer_fmt 0 (interleaved);
 *            rate 8000..192000; channels 1..8; sample_container_bytes 2 for S16_LE and 4
 *            otherwise; 1 <= sample_valid_bytes <= container; host_period_bytes > 0 and
 *            whole frames; the host buffer a whole number (>= 1) of periods, <= 16 MiB;
 *            no_stream_position and cont_update_posn 0/1.
 * COMP_*_VALUE ctrl type matching the command (SET: CHAN_SET/COMP_SET, GET: CHAN_GET/
 *            COMP_GET); ctrl cmd VOLUME, ENUM or SWITCH; num_elems 1..8 and hdr.size ==
 *            92 + 8 * num_elems; never split (elems_remaining and msg_index 0); a SET's
 *            channels < 8.
 * COMP_*_DATA ctrl type DATA_SET / DATA_GET matching the command; ctrl cmd BINARY;
 *            hdr.size == 92 + 32 + num_elems; ABI header magic "SOF\0" and a compatible
 *            major version; whole blob (abi size) <= 64 KiB; the first part carries
 *            num_elems + elems_remaining == abi size, later parts no more than that.
 * PM_CTX_*   == 76. PM_CORE_ENABLE == 12, mask within cores 0..7. PM_GATE == 32.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ipc/ipc3-check.h"
#include "util/compiler.h"
#include "util/le.h"

/* Field access at a wire structure's offset. */
#define RD32(p, type, field)	get_le32((const uint8_t *)(p) + offsetof(type, field))
#define RD16(p, type, field)	get_le16((const uint8_t *)(p) + offsetof(type, field))
#define WR32(p, type, field, v)	put_le32((uint8_t *)(p) + offsetof(type, field), (v))
#define WR16(p, type, field, v)	put_le16((uint8_t *)(p) + offsetof(type, field), (v))

#define PCM_PARAMS_OFF		offsetof(struct ipc3_pcm_params, params)
#define CTRL_HDR_SIZE		((uint32_t)sizeof(struct ipc3_ctrl_data))
#define CTRL_DATA_HDR_SIZE	(CTRL_HDR_SIZE + (uint32_t)sizeof(struct ipc3_abi_hdr))

static int fail(struct ipc3_msg *m, int err, const char *why)
{
	m->reason = why;
	return err;
}

static bool rate_ok(uint32_t rate)
{
	return rate >= IPC3_CHECK_RATE_MIN && rate <= IPC3_CHECK_RATE_MAX;
}

static bool rate_or_zero_ok(uint32_t rate)
{
	return rate == 0 || rate_ok(rate);
}

/* ---------------------------------------------------------------------------------------- */
/* Topology                                                                                  */

/* The component type each process type stands for (ipc-gen and the Linux driver agree). */
static const uint32_t process_comp_type[] = {
	[IPC3_PROCESS_NONE] = IPC3_COMP_MODULE_ADAPTER,
	[IPC3_PROCESS_EQFIR] = IPC3_COMP_EQ_FIR,
	[IPC3_PROCESS_EQIIR] = IPC3_COMP_EQ_IIR,
	[IPC3_PROCESS_KEYWORD_DETECT] = IPC3_COMP_KEYWORD_DETECT,
	[IPC3_PROCESS_KPB] = IPC3_COMP_KPB,
	[IPC3_PROCESS_CHAN_SELECTOR] = IPC3_COMP_SELECTOR,
	[IPC3_PROCESS_MUX] = IPC3_COMP_MUX,
	[IPC3_PROCESS_DEMUX] = IPC3_COMP_DEMUX,
	[IPC3_PROCESS_DCBLOCK] = IPC3_COMP_DCBLOCK,
	[IPC3_PROCESS_SMART_AMP] = IPC3_COMP_SMART_AMP,
};

static bool is_process_type(uint32_t type)
{
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(process_comp_type); i++)
		if (process_comp_type[i] == type)
			return true;
	return false;
}

static int check_process(const uint8_t *p, uint32_t body, struct ipc3_msg *m)
{
	struct ipc3_msg_comp *c = &m->u.comp;
	uint32_t psize, ptype;

	if (body < sizeof(struct ipc3_comp_process))
		return fail(m, -EINVAL, "COMP_NEW: process component shorter than 100 bytes");
	psize = RD32(p, struct ipc3_comp_process, size);
	ptype = RD32(p, struct ipc3_comp_process, type);
	if (psize != body - sizeof(struct ipc3_comp_process))
		return fail(m, -EINVAL, "COMP_NEW: process size does not match hdr.size");
	if (ptype >= VADSP_ARRAY_SIZE(process_comp_type))
		return fail(m, -EINVAL, "COMP_NEW: unknown process type");
	if (c->type == IPC3_COMP_NONE) {
		/* The firmware finds such a component's driver by its UUID alone. */
		if (ptype != IPC3_PROCESS_NONE || !c->has_uuid)
			return fail(m, -EINVAL, "COMP_NEW: type NONE needs process type NONE and a UUID");
	} else if (process_comp_type[ptype] != c->type) {
		return fail(m, -EINVAL, "COMP_NEW: process type does not match the component type");
	}
	c->u.process.type = ptype;
	memcpy(m->data, p + sizeof(struct ipc3_comp_process), psize);
	m->data_size = psize;
	return 0;
}

static int check_comp_new(const uint8_t *p, uint32_t size, struct ipc3_msg *m)
{
	struct ipc3_msg_comp *c = &m->u.comp;
	const uint8_t *cfg = p + sizeof(struct ipc3_comp);
	uint32_t ext, body;

	if (size < sizeof(struct ipc3_comp_mixer))
		return fail(m, -EINVAL, "COMP_NEW: shorter than component and config (64 bytes)");
	ext = RD32(p, struct ipc3_comp, ext_data_length);
	if (ext != 0 && ext != sizeof(struct ipc3_comp_ext))
		return fail(m, -EINVAL, "COMP_NEW: ext_data_length is neither 0 nor 16 (UUID)");
	if (size - ext < sizeof(struct ipc3_comp_mixer))
		return fail(m, -EINVAL, "COMP_NEW: extension overlaps the component");
	body = size - ext;

	c->id = RD32(p, struct ipc3_comp, id);
	c->type = RD32(p, struct ipc3_comp, type);
	c->pipeline_id = RD32(p, struct ipc3_comp, pipeline_id);
	c->core = RD32(p, struct ipc3_comp, core);
	c->periods_sink = RD32(cfg, struct ipc3_comp_config, periods_sink);
	c->periods_source = RD32(cfg, struct ipc3_comp_config, periods_source);
	c->frame_fmt = RD32(cfg, struct ipc3_comp_config, frame_fmt);
	c->xrun_action = RD32(cfg, struct ipc3_comp_config, xrun_action);
	if (ext) {
		c->has_uuid = true;
		memcpy(c->uuid, p + body, sizeof(c->uuid));
	}

	if (c->core >= IPC3_CHECK_CORES)
		return fail(m, -EINVAL, "COMP_NEW: core out of range");
	if (RD32(cfg, struct ipc3_comp_config, hdr.size) != sizeof(struct ipc3_comp_config))
		return fail(m, -EINVAL, "COMP_NEW: config hdr.size is not 36");
	if (c->frame_fmt > IPC3_FRAME_FLOAT)
		return fail(m, -EINVAL, "COMP_NEW: unknown frame format");
	if (c->periods_sink > IPC3_CHECK_PERIODS_MAX || c->periods_source > IPC3_CHECK_PERIODS_MAX)
		return fail(m, -EINVAL, "COMP_NEW: periods_sink/periods_source beyond 64");
	if (c->xrun_action & ~(uint32_t)(IPC3_XRUN_STOP | IPC3_XRUN_UNDER_ZERO | IPC3_XRUN_OVER_NULL))
		return fail(m, -EINVAL, "COMP_NEW: unknown xrun action bits");

	switch (c->type) {
	case IPC3_COMP_HOST:
		if (body != sizeof(struct ipc3_comp_host))
			return fail(m, -EINVAL, "COMP_NEW: host component is not 76 bytes");
		c->u.host.direction = RD32(p, struct ipc3_comp_host, direction);
		c->u.host.no_irq = RD32(p, struct ipc3_comp_host, no_irq);
		c->u.host.dmac_config = RD32(p, struct ipc3_comp_host, dmac_config);
		if (c->u.host.direction > IPC3_STREAM_CAPTURE)
			return fail(m, -EINVAL, "COMP_NEW: host direction is neither 0 nor 1");
		if (c->u.host.no_irq > 1)
			return fail(m, -EINVAL, "COMP_NEW: host no_irq is neither 0 nor 1");
		return 0;
	case IPC3_COMP_DAI:
		if (body != sizeof(struct ipc3_comp_dai))
			return fail(m, -EINVAL, "COMP_NEW: dai component is not 80 bytes");
		c->u.dai.direction = RD32(p, struct ipc3_comp_dai, direction);
		c->u.dai.index = RD32(p, struct ipc3_comp_dai, dai_index);
		c->u.dai.type = RD32(p, struct ipc3_comp_dai, type);
		if (c->u.dai.direction > IPC3_STREAM_CAPTURE)
			return fail(m, -EINVAL, "COMP_NEW: dai direction is neither 0 nor 1");
		if (c->u.dai.type > IPC3_DAI_AMD_HS)
			return fail(m, -EINVAL, "COMP_NEW: unknown dai type");
		return 0;
	case IPC3_COMP_VOLUME:
		if (body != sizeof(struct ipc3_comp_volume))
			return fail(m, -EINVAL, "COMP_NEW: volume component is not 84 bytes");
		c->u.volume.channels = RD32(p, struct ipc3_comp_volume, channels);
		c->u.volume.min_value = RD32(p, struct ipc3_comp_volume, min_value);
		c->u.volume.max_value = RD32(p, struct ipc3_comp_volume, max_value);
		c->u.volume.ramp = RD32(p, struct ipc3_comp_volume, ramp);
		c->u.volume.initial_ramp = RD32(p, struct ipc3_comp_volume, initial_ramp);
		if (c->u.volume.channels < 1 || c->u.volume.channels > IPC3_CHECK_CHANNELS_MAX)
			return fail(m, -EINVAL, "COMP_NEW: volume channels not in 1..8");
		if (c->u.volume.max_value > INT32_MAX)
			return fail(m, -EINVAL, "COMP_NEW: volume max_value beyond the signed Q8.16 range");
		if (c->u.volume.min_value > c->u.volume.max_value)
			return fail(m, -EINVAL, "COMP_NEW: volume min_value above max_value");
		if (c->u.volume.ramp > IPC3_VOLUME_LOG_ZC)
			return fail(m, -EINVAL, "COMP_NEW: unknown volume ramp type");
		if (c->u.volume.initial_ramp > IPC3_CHECK_RAMP_MS_MAX)
			return fail(m, -EINVAL, "COMP_NEW: volume ramp longer than 10 s");
		return 0;
	case IPC3_COMP_MIXER:
		if (body != sizeof(struct ipc3_comp_mixer))
			return fail(m, -EINVAL, "COMP_NEW: mixer component is not 64 bytes");
		return 0;
	case IPC3_COMP_MUX:
	case IPC3_COMP_DEMUX:
		if (body == sizeof(struct ipc3_comp_mux)) {
			c->short_mux = true;
			c->u.process.type = c->type == IPC3_COMP_MUX ? IPC3_PROCESS_MUX :
								       IPC3_PROCESS_DEMUX;
			return 0;
		}
		return check_process(p, body, m);
	case IPC3_COMP_SRC:
		if (body != sizeof(struct ipc3_comp_src))
			return fail(m, -EINVAL, "COMP_NEW: src component is not 76 bytes");
		c->u.src.source_rate = RD32(p, struct ipc3_comp_src, source_rate);
		c->u.src.sink_rate = RD32(p, struct ipc3_comp_src, sink_rate);
		c->u.src.rate_mask = RD32(p, struct ipc3_comp_src, rate_mask);
		if (!rate_or_zero_ok(c->u.src.source_rate) || !rate_or_zero_ok(c->u.src.sink_rate))
			return fail(m, -EINVAL, "COMP_NEW: src rate neither 0 nor 8000..192000");
		return 0;
	case IPC3_COMP_ASRC:
		if (body != sizeof(struct ipc3_comp_asrc))
			return fail(m, -EINVAL, "COMP_NEW: asrc component is not 96 bytes");
		c->u.asrc.source_rate = RD32(p, struct ipc3_comp_asrc, source_rate);
		c->u.asrc.sink_rate = RD32(p, struct ipc3_comp_asrc, sink_rate);
		c->u.asrc.asynchronous_mode = RD32(p, struct ipc3_comp_asrc, asynchronous_mode);
		c->u.asrc.operation_mode = RD32(p, struct ipc3_comp_asrc, operation_mode);
		if (!rate_or_zero_ok(c->u.asrc.source_rate) || !rate_or_zero_ok(c->u.asrc.sink_rate))
			return fail(m, -EINVAL, "COMP_NEW: asrc rate neither 0 nor 8000..192000");
		if (c->u.asrc.asynchronous_mode > 1 || c->u.asrc.operation_mode > 1)
			return fail(m, -EINVAL, "COMP_NEW: asrc mode is neither 0 nor 1");
		return 0;
	case IPC3_COMP_TONE:
		if (body != sizeof(struct ipc3_comp_tone))
			return fail(m, -EINVAL, "COMP_NEW: tone component is not 100 bytes");
		c->u.tone.sample_rate = (int32_t)RD32(p, struct ipc3_comp_tone, sample_rate);
		c->u.tone.frequency = (int32_t)RD32(p, struct ipc3_comp_tone, frequency);
		c->u.tone.amplitude = (int32_t)RD32(p, struct ipc3_comp_tone, amplitude);
		c->u.tone.freq_mult = (int32_t)RD32(p, struct ipc3_comp_tone, freq_mult);
		c->u.tone.ampl_mult = (int32_t)RD32(p, struct ipc3_comp_tone, ampl_mult);
		c->u.tone.length = (int32_t)RD32(p, struct ipc3_comp_tone, length);
		c->u.tone.period = (int32_t)RD32(p, struct ipc3_comp_tone, period);
		c->u.tone.repeats = (int32_t)RD32(p, struct ipc3_comp_tone, repeats);
		c->u.tone.ramp_step = (int32_t)RD32(p, struct ipc3_comp_tone, ramp_step);
		if (c->u.tone.sample_rate < 0 || !rate_or_zero_ok((uint32_t)c->u.tone.sample_rate))
			return fail(m, -EINVAL, "COMP_NEW: tone rate neither 0 nor 8000..192000");
		if (c->u.tone.frequency < 0 || c->u.tone.amplitude < 0 || c->u.tone.length < 0 ||
		    c->u.tone.period < 0 || c->u.tone.repeats < 0)
			return fail(m, -EINVAL, "COMP_NEW: negative tone parameter");
		return 0;
	default:
		if (c->type == IPC3_COMP_NONE || is_process_type(c->type))
			return check_process(p, body, m);
		return fail(m, -EINVAL, "COMP_NEW: component type unknown or not created by COMP_NEW");
	}
}

static int check_buffer_new(const uint8_t *p, uint32_t size, struct ipc3_msg *m)
{
	struct ipc3_msg_buffer *b = &m->u.buffer;

	if (size != sizeof(struct ipc3_buffer))
		return fail(m, -EINVAL, "BUFFER_NEW: size is not 44");
	b->id = RD32(p, struct ipc3_buffer, comp.id);
	b->pipeline_id = RD32(p, struct ipc3_buffer, comp.pipeline_id);
	b->core = RD32(p, struct ipc3_buffer, comp.core);
	b->size = RD32(p, struct ipc3_buffer, size);
	b->caps = RD32(p, struct ipc3_buffer, caps);
	b->flags = RD32(p, struct ipc3_buffer, flags);
	if (RD32(p, struct ipc3_buffer, comp.type) != IPC3_COMP_BUFFER)
		return fail(m, -EINVAL, "BUFFER_NEW: comp.type is not BUFFER");
	if (RD32(p, struct ipc3_buffer, comp.ext_data_length) != 0)
		return fail(m, -EINVAL, "BUFFER_NEW: buffers carry no extension");
	if (b->core >= IPC3_CHECK_CORES)
		return fail(m, -EINVAL, "BUFFER_NEW: core out of range");
	if (b->size == 0)
		return fail(m, -EINVAL, "BUFFER_NEW: size 0");
	if (b->size > IPC3_CHECK_BUFFER_MAX)
		return fail(m, -EINVAL, "BUFFER_NEW: size beyond 1 MiB");
	return 0;
}

static int check_pipe_new(const uint8_t *p, uint32_t size, struct ipc3_msg *m)
{
	struct ipc3_msg_pipe *pp = &m->u.pipe;

	if (size != sizeof(struct ipc3_pipe_new))
		return fail(m, -EINVAL, "PIPE_NEW: size is not 48");
	pp->comp_id = RD32(p, struct ipc3_pipe_new, comp_id);
	pp->pipeline_id = RD32(p, struct ipc3_pipe_new, pipeline_id);
	pp->sched_id = RD32(p, struct ipc3_pipe_new, sched_id);
	pp->core = RD32(p, struct ipc3_pipe_new, core);
	pp->period = RD32(p, struct ipc3_pipe_new, period);
	pp->priority = RD32(p, struct ipc3_pipe_new, priority);
	pp->period_mips = RD32(p, struct ipc3_pipe_new, period_mips);
	pp->frames_per_sched = RD32(p, struct ipc3_pipe_new, frames_per_sched);
	pp->xrun_limit_usecs = RD32(p, struct ipc3_pipe_new, xrun_limit_usecs);
	pp->time_domain = RD32(p, struct ipc3_pipe_new, time_domain);
	if (pp->core >= IPC3_CHECK_CORES)
		return fail(m, -EINVAL, "PIPE_NEW: core out of range");
	if (pp->period == 0)
		return fail(m, -EINVAL, "PIPE_NEW: period 0");
	if (pp->period > IPC3_CHECK_PERIOD_US_MAX)
		return fail(m, -EINVAL, "PIPE_NEW: period beyond 1 s");
	if (pp->time_domain > 1)
		return fail(m, -EINVAL, "PIPE_NEW: time_domain is neither 0 (DMA) nor 1 (timer)");
	return 0;
}

/* Messages that are a command header and one id (free, complete, stream commands). */
static int check_id_msg(const uint8_t *p, uint32_t size, struct ipc3_msg *m)
{
	if (size != sizeof(struct ipc3_free))
		return fail(m, -EINVAL, "size is not 12 (command header and id)");
	m->u.id = RD32(p, struct ipc3_free, id);
	return 0;
}

static int check_tplg(const uint8_t *p, uint32_t size, uint32_t cmd, struct ipc3_msg *m)
{
	switch (cmd) {
	case IPC3_TPLG_COMP_NEW:
		return check_comp_new(p, size, m);
	case IPC3_TPLG_BUFFER_NEW:
		return check_buffer_new(p, size, m);
	case IPC3_TPLG_PIPE_NEW:
		return check_pipe_new(p, size, m);
	case IPC3_TPLG_COMP_CONNECT:
		if (size != sizeof(struct ipc3_pipe_comp_connect))
			return fail(m, -EINVAL, "COMP_CONNECT: size is not 16");
		m->u.connect.source_id = RD32(p, struct ipc3_pipe_comp_connect, source_id);
		m->u.connect.sink_id = RD32(p, struct ipc3_pipe_comp_connect, sink_id);
		if (m->u.connect.source_id == m->u.connect.sink_id)
			return fail(m, -EINVAL, "COMP_CONNECT: source and sink are the same id");
		return 0;
	case IPC3_TPLG_COMP_FREE:
	case IPC3_TPLG_BUFFER_FREE:
	case IPC3_TPLG_PIPE_FREE:
	case IPC3_TPLG_PIPE_COMPLETE:
		return check_id_msg(p, size, m);
	case IPC3_TPLG_PIPE_CONNECT:
		return fail(m, -EINVAL, "PIPE_CONNECT is not executed by the firmware");
	default:
		return fail(m, -EINVAL, "unknown topology command");
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Power management                                                                          */

static int check_pm(const uint8_t *p, uint32_t size, uint32_t cmd, struct ipc3_msg *m)
{
	switch (cmd) {
	case IPC3_PM_CTX_SAVE:
	case IPC3_PM_CTX_RESTORE:
	case IPC3_PM_CTX_SIZE:
		if (size != sizeof(struct ipc3_pm_ctx))
			return fail(m, -EINVAL, "PM_CTX: size is not 76");
		m->u.pm.ctx_num_elems = RD32(p, struct ipc3_pm_ctx, num_elems);
		m->u.pm.ctx_size = RD32(p, struct ipc3_pm_ctx, size);
		return 0;
	case IPC3_PM_CORE_ENABLE:
		if (size != sizeof(struct ipc3_pm_core_config))
			return fail(m, -EINVAL, "PM_CORE_ENABLE: size is not 12");
		m->u.pm.enable_mask = RD32(p, struct ipc3_pm_core_config, enable_mask);
		if (m->u.pm.enable_mask >> IPC3_CHECK_CORES)
			return fail(m, -EINVAL, "PM_CORE_ENABLE: core beyond 7 in the mask");
		return 0;
	case IPC3_PM_GATE:
		if (size != sizeof(struct ipc3_pm_gate))
			return fail(m, -EINVAL, "PM_GATE: size is not 32");
		m->u.pm.flags = RD32(p, struct ipc3_pm_gate, flags);
		return 0;
	case IPC3_PM_CLK_SET:
	case IPC3_PM_CLK_GET:
	case IPC3_PM_CLK_REQ:
		return fail(m, -EINVAL, "PM clock commands are not executed by the firmware");
	default:
		return fail(m, -EINVAL, "unknown PM command");
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Component controls                                                                        */

static int check_ctrl(const uint8_t *p, uint32_t size, uint32_t cmd, struct ipc3_msg *m)
{
	struct ipc3_msg_ctrl *c = &m->u.ctrl;
	bool data = cmd == IPC3_COMP_SET_DATA || cmd == IPC3_COMP_GET_DATA;
	bool set = cmd == IPC3_COMP_SET_VALUE || cmd == IPC3_COMP_SET_DATA;
	const uint8_t *abi = p + CTRL_HDR_SIZE;
	bool type_ok;

	if (size < CTRL_HDR_SIZE)
		return fail(m, -EINVAL, "ctrl_data shorter than 92 bytes");
	c->comp_id = RD32(p, struct ipc3_ctrl_data, comp_id);
	c->type = RD32(p, struct ipc3_ctrl_data, type);
	c->cmd = RD32(p, struct ipc3_ctrl_data, cmd);
	c->index = RD32(p, struct ipc3_ctrl_data, index);
	c->num_elems = RD32(p, struct ipc3_ctrl_data, num_elems);
	c->elems_remaining = RD32(p, struct ipc3_ctrl_data, elems_remaining);
	c->msg_index = RD32(p, struct ipc3_ctrl_data, msg_index);

	switch (cmd) {
	case IPC3_COMP_SET_VALUE:
		type_ok = c->type == IPC3_CTRL_VALUE_CHAN_SET || c->type == IPC3_CTRL_VALUE_COMP_SET;
		break;
	case IPC3_COMP_GET_VALUE:
		type_ok = c->type == IPC3_CTRL_VALUE_CHAN_GET || c->type == IPC3_CTRL_VALUE_COMP_GET;
		break;
	case IPC3_COMP_SET_DATA:
		type_ok = c->type == IPC3_CTRL_DATA_SET;
		break;
	default:
		type_ok = c->type == IPC3_CTRL_DATA_GET;
		break;
	}
	if (!type_ok)
		return fail(m, -EINVAL, "ctrl_data: type does not match the command");
	if (c->cmd > IPC3_CTRL_CMD_BINARY)
		return fail(m, -EINVAL, "ctrl_data: unknown control cmd");

	if (!data) {
		if (c->cmd == IPC3_CTRL_CMD_BINARY)
			return fail(m, -EINVAL, "ctrl_data: binary controls use SET/GET_DATA");
		if (c->num_elems < 1 || c->num_elems > IPC3_CHECK_CHANNELS_MAX)
			return fail(m, -EINVAL, "ctrl_data: num_elems not in 1..8");
		if (size != CTRL_HDR_SIZE + c->num_elems * sizeof(struct ipc3_ctrl_value_chan))
			return fail(m, -EINVAL, "ctrl_data: size is not 92 + 8 * num_elems");
		if (c->elems_remaining || c->msg_index)
			return fail(m, -EINVAL, "ctrl_data: values are never split in parts");
		for (uint32_t i = 0; i < c->num_elems; i++) {
			const uint8_t *e = p + CTRL_HDR_SIZE + i * sizeof(struct ipc3_ctrl_value_chan);

			c->chanv[i].channel = RD32(e, struct ipc3_ctrl_value_chan, channel);
			c->chanv[i].value = RD32(e, struct ipc3_ctrl_value_chan, value);
			if (set && c->chanv[i].channel >= IPC3_CHECK_CHANNELS_MAX)
				return fail(m, -EINVAL, "ctrl_data: channel beyond 7");
		}
		return 0;
	}

	if (c->cmd != IPC3_CTRL_CMD_BINARY)
		return fail(m, -EINVAL, "ctrl_data: data commands carry binary controls only");
	if (size < CTRL_DATA_HDR_SIZE)
		return fail(m, -EINVAL, "ctrl_data: data shorter than 92 + 32-byte ABI header");
	if (c->num_elems != size - CTRL_DATA_HDR_SIZE)
		return fail(m, -EINVAL, "ctrl_data: num_elems does not match the size");
	if (RD32(abi, struct ipc3_abi_hdr, magic) != IPC3_ABI_MAGIC)
		return fail(m, -EINVAL, "ctrl_data: bad ABI header magic");
	c->abi_type = RD32(abi, struct ipc3_abi_hdr, type);
	c->abi_size = RD32(abi, struct ipc3_abi_hdr, size);
	c->abi = RD32(abi, struct ipc3_abi_hdr, abi);
	if (!ipc3_abi_compatible(IPC3_ABI_VERSION, c->abi))
		return fail(m, -EINVAL, "ctrl_data: incompatible ABI major version");
	if (c->abi_size > IPC3_CHECK_BLOB_MAX)
		return fail(m, -EINVAL, "ctrl_data: blob larger than 64 KiB");
	if (c->msg_index == 0 &&
	    (uint64_t)c->num_elems + c->elems_remaining != c->abi_size)
		return fail(m, -EINVAL, "ctrl_data: num_elems + elems_remaining is not the blob size");
	if ((uint64_t)c->num_elems + c->elems_remaining > c->abi_size)
		return fail(m, -EINVAL, "ctrl_data: part reaches beyond the blob size");
	memcpy(m->data, p + CTRL_DATA_HDR_SIZE, c->num_elems);
	m->data_size = c->num_elems;
	return 0;
}

static int check_comp(const uint8_t *p, uint32_t size, uint32_t cmd, struct ipc3_msg *m)
{
	switch (cmd) {
	case IPC3_COMP_SET_VALUE:
	case IPC3_COMP_GET_VALUE:
	case IPC3_COMP_SET_DATA:
	case IPC3_COMP_GET_DATA:
		return check_ctrl(p, size, cmd, m);
	case IPC3_COMP_NOTIFICATION:
		return fail(m, -EINVAL, "COMP_NOTIFICATION travels DSP -> host only");
	default:
		return fail(m, -EINVAL, "unknown component command");
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Streams                                                                                   */

static int check_pcm_params(const uint8_t *p, uint32_t size, struct ipc3_msg *m)
{
	struct ipc3_msg_pcm_params *pp = &m->u.pcm;
	const uint8_t *s = p + PCM_PARAMS_OFF;
	uint32_t ext, container, frame;

	if (size < sizeof(struct ipc3_pcm_params))
		return fail(m, -EINVAL, "PCM_PARAMS: shorter than 108 bytes");
	ext = RD16(s, struct ipc3_stream_params, ext_data_length);
	if (size != sizeof(struct ipc3_pcm_params) + ext)
		return fail(m, -EINVAL, "PCM_PARAMS: hdr.size is not 108 + ext_data_length");
	if (RD32(s, struct ipc3_stream_params, hdr.size) != sizeof(struct ipc3_stream_params) + ext)
		return fail(m, -EINVAL, "PCM_PARAMS: params.hdr.size is not 84 + ext_data_length");
	if (ext % 4)
		return fail(m, -EINVAL, "PCM_PARAMS: ext_data_length not a multiple of 4");

	pp->comp_id = RD32(p, struct ipc3_pcm_params, comp_id);
	pp->flags = RD32(p, struct ipc3_pcm_params, flags);
	pp->buffer_phy_addr = RD32(s, struct ipc3_stream_params, buffer.phy_addr);
	pp->buffer_pages = RD32(s, struct ipc3_stream_params, buffer.pages);
	pp->buffer_size = RD32(s, struct ipc3_stream_params, buffer.size);
	pp->direction = RD32(s, struct ipc3_stream_params, direction);
	pp->frame_fmt = RD32(s, struct ipc3_stream_params, frame_fmt);
	pp->buffer_fmt = RD32(s, struct ipc3_stream_params, buffer_fmt);
	pp->rate = RD32(s, struct ipc3_stream_params, rate);
	pp->stream_tag = RD16(s, struct ipc3_stream_params, stream_tag);
	pp->channels = RD16(s, struct ipc3_stream_params, channels);
	pp->sample_valid_bytes = RD16(s, struct ipc3_stream_params, sample_valid_bytes);
	pp->sample_container_bytes = RD16(s, struct ipc3_stream_params, sample_container_bytes);
	pp->host_period_bytes = RD32(s, struct ipc3_stream_params, host_period_bytes);
	pp->no_stream_position = RD16(s, struct ipc3_stream_params, no_stream_position);
	pp->cont_update_posn = s[offsetof(struct ipc3_stream_params, cont_update_posn)];
	for (uint32_t i = 0; i < IPC3_STREAM_CHMAP_MAX; i++)
		pp->chmap[i] = get_le16(s + offsetof(struct ipc3_stream_params, chmap) + 2 * i);

	if (pp->direction > IPC3_STREAM_CAPTURE)
		return fail(m, -EINVAL, "PCM_PARAMS: direction is neither 0 nor 1");
	if (pp->frame_fmt > IPC3_FRAME_FLOAT)
		return fail(m, -EINVAL, "PCM_PARAMS: unknown frame format");
	if (pp->buffer_fmt != 0)
		return fail(m, -EINVAL, "PCM_PARAMS: only interleaved buffers (buffer_fmt 0)");
	if (!rate_ok(pp->rate))
		return fail(m, -EINVAL, "PCM_PARAMS: rate not in 8000..192000");
	if (pp->channels < 1 || pp->channels > IPC3_CHECK_CHANNELS_MAX)
		return fail(m, -EINVAL, "PCM_PARAMS: channels not in 1..8");
	container = pp->frame_fmt == IPC3_FRAME_S16_LE ? 2 : 4;
	if (pp->sample_container_bytes != container)
		return fail(m, -EINVAL, "PCM_PARAMS: sample_container_bytes does not fit the format");
	if (pp->sample_valid_bytes < 1 || pp->sample_valid_bytes > container)
		return fail(m, -EINVAL, "PCM_PARAMS: sample_valid_bytes not in 1..container");
	frame = container * pp->channels;
	if (pp->host_period_bytes == 0 || pp->host_period_bytes % frame)
		return fail(m, -EINVAL, "PCM_PARAMS: host_period_bytes not a non-zero number of frames");
	if (pp->buffer_size < pp->host_period_bytes || pp->buffer_size % pp->host_period_bytes)
		return fail(m, -EINVAL, "PCM_PARAMS: host buffer not a whole number of periods");
	if (pp->buffer_size > IPC3_CHECK_HOST_BUFFER_MAX)
		return fail(m, -EINVAL, "PCM_PARAMS: host buffer beyond 16 MiB");
	if (pp->no_stream_position > 1 || pp->cont_update_posn > 1)
		return fail(m, -EINVAL, "PCM_PARAMS: no_stream_position/cont_update_posn not 0 or 1");
	memcpy(m->data, p + sizeof(struct ipc3_pcm_params), ext);
	m->data_size = ext;
	return 0;
}

static int check_stream(const uint8_t *p, uint32_t size, uint32_t cmd, struct ipc3_msg *m)
{
	switch (cmd) {
	case IPC3_STREAM_PCM_PARAMS:
		return check_pcm_params(p, size, m);
	case IPC3_STREAM_PCM_FREE:
	case IPC3_STREAM_TRIG_START:
	case IPC3_STREAM_TRIG_STOP:
	case IPC3_STREAM_TRIG_PAUSE:
	case IPC3_STREAM_TRIG_RELEASE:
	case IPC3_STREAM_TRIG_XRUN:
	case IPC3_STREAM_POSITION:
		return check_id_msg(p, size, m);
	case IPC3_STREAM_TRIG_DRAIN:
		return fail(m, -EINVAL, "TRIG_DRAIN is not executed by the firmware");
	case IPC3_STREAM_PCM_PARAMS_REPLY:
		return fail(m, -EINVAL, "PCM_PARAMS_REPLY travels DSP -> host only");
	default:
		return fail(m, -EINVAL, "unknown stream command");
	}
}

/* ---------------------------------------------------------------------------------------- */

int ipc3_check(const void *buf, size_t len, enum ipc3_origin origin, struct ipc3_msg *m)
{
	const uint8_t *p = buf;
	uint32_t size, cmd, base;

	memset(m, 0, offsetof(struct ipc3_msg, data));
	m->reason = "";
	if (!buf || len < sizeof(struct ipc3_cmd_hdr))
		return fail(m, -EINVAL, "shorter than a command header (8 bytes)");
	if (len > IPC3_MSG_MAX_SIZE)
		return fail(m, -EINVAL, "longer than the 384-byte maximum message");
	size = RD32(p, struct ipc3_cmd_hdr, size);
	cmd = RD32(p, struct ipc3_cmd_hdr, cmd);
	if (size != len)
		return fail(m, -EINVAL, "hdr.size differs from the bytes received");
	base = ipc3_cmd_base(cmd);

	switch (ipc3_cmd_glb(cmd)) {
	case IPC3_GLB_TPLG_MSG:
	case IPC3_GLB_PM_MSG:
	case IPC3_GLB_COMP_MSG:
	case IPC3_GLB_STREAM_MSG:
		break;
	case IPC3_GLB_DAI_MSG:
	case IPC3_GLB_TRACE_MSG:
	case IPC3_GLB_GDB_DEBUG:
	case IPC3_GLB_TEST_MSG:
	case IPC3_GLB_PROBE:
	case IPC3_GLB_DEBUG:
		if (origin == IPC3_ORIGIN_GUEST)
			return fail(m, -EACCES, "DAI/TRACE/GDB/TEST/PROBE/DEBUG are not for guests");
		return fail(m, -EOPNOTSUPP, "DAI/TRACE/GDB/TEST/PROBE/DEBUG are not implemented");
	case IPC3_GLB_REPLY:
	case IPC3_GLB_FW_READY:
		return fail(m, -EINVAL, "REPLY and FW_READY travel DSP -> host only");
	case IPC3_GLB_COMPOUND:
		return fail(m, -EINVAL, "COMPOUND messages are not supported");
	default:
		return fail(m, -EINVAL, "unknown global type");
	}
	if (ipc3_cmd_id(cmd) != 0)
		return fail(m, -EINVAL, "non-zero id field in a request's command word");

	m->cmd = base;
	m->size = size;
	switch (ipc3_cmd_glb(cmd)) {
	case IPC3_GLB_TPLG_MSG:
		return check_tplg(p, size, base, m);
	case IPC3_GLB_PM_MSG:
		return check_pm(p, size, base, m);
	case IPC3_GLB_COMP_MSG:
		return check_comp(p, size, base, m);
	default:
		return check_stream(p, size, base, m);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Encoding                                                                                  */

static void put_hdr(uint8_t *p, uint32_t size, uint32_t cmd)
{
	WR32(p, struct ipc3_cmd_hdr, size, size);
	WR32(p, struct ipc3_cmd_hdr, cmd, cmd);
}

/* Size of a COMP_NEW body (without extension); 0 for types ipc3_check() never decodes. */
static uint32_t comp_body_size(const struct ipc3_msg *m)
{
	const struct ipc3_msg_comp *c = &m->u.comp;

	switch (c->type) {
	case IPC3_COMP_HOST:
		return sizeof(struct ipc3_comp_host);
	case IPC3_COMP_DAI:
		return sizeof(struct ipc3_comp_dai);
	case IPC3_COMP_VOLUME:
		return sizeof(struct ipc3_comp_volume);
	case IPC3_COMP_MIXER:
		return sizeof(struct ipc3_comp_mixer);
	case IPC3_COMP_SRC:
		return sizeof(struct ipc3_comp_src);
	case IPC3_COMP_ASRC:
		return sizeof(struct ipc3_comp_asrc);
	case IPC3_COMP_TONE:
		return sizeof(struct ipc3_comp_tone);
	case IPC3_COMP_MUX:
	case IPC3_COMP_DEMUX:
		if (c->short_mux)
			return sizeof(struct ipc3_comp_mux);
		return sizeof(struct ipc3_comp_process) + m->data_size;
	default:
		if (c->type == IPC3_COMP_NONE || is_process_type(c->type))
			return sizeof(struct ipc3_comp_process) + m->data_size;
		return 0;
	}
}

static int encode_comp_new(const struct ipc3_msg *m, uint8_t *p, size_t cap)
{
	const struct ipc3_msg_comp *c = &m->u.comp;
	uint32_t body = comp_body_size(m), ext = c->has_uuid ? IPC3_COMP_UUID_SIZE : 0;
	uint8_t *cfg = p + sizeof(struct ipc3_comp);

	if (body == 0 || m->data_size > IPC3_MSG_MAX_SIZE || body + ext > IPC3_MSG_MAX_SIZE)
		return -EINVAL;
	if (cap < body + ext)
		return -ENOSPC;
	memset(p, 0, body + ext);
	put_hdr(p, body + ext, IPC3_TPLG_COMP_NEW);
	WR32(p, struct ipc3_comp, id, c->id);
	WR32(p, struct ipc3_comp, type, c->type);
	WR32(p, struct ipc3_comp, pipeline_id, c->pipeline_id);
	WR32(p, struct ipc3_comp, core, c->core);
	WR32(p, struct ipc3_comp, ext_data_length, ext);
	WR32(cfg, struct ipc3_comp_config, hdr.size, sizeof(struct ipc3_comp_config));
	WR32(cfg, struct ipc3_comp_config, periods_sink, c->periods_sink);
	WR32(cfg, struct ipc3_comp_config, periods_source, c->periods_source);
	WR32(cfg, struct ipc3_comp_config, frame_fmt, c->frame_fmt);
	WR32(cfg, struct ipc3_comp_config, xrun_action, c->xrun_action);
	if (ext)
		memcpy(p + body, c->uuid, ext);

	switch (c->type) {
	case IPC3_COMP_HOST:
		WR32(p, struct ipc3_comp_host, direction, c->u.host.direction);
		WR32(p, struct ipc3_comp_host, no_irq, c->u.host.no_irq);
		WR32(p, struct ipc3_comp_host, dmac_config, c->u.host.dmac_config);
		break;
	case IPC3_COMP_DAI:
		WR32(p, struct ipc3_comp_dai, direction, c->u.dai.direction);
		WR32(p, struct ipc3_comp_dai, dai_index, c->u.dai.index);
		WR32(p, struct ipc3_comp_dai, type, c->u.dai.type);
		break;
	case IPC3_COMP_VOLUME:
		WR32(p, struct ipc3_comp_volume, channels, c->u.volume.channels);
		WR32(p, struct ipc3_comp_volume, min_value, c->u.volume.min_value);
		WR32(p, struct ipc3_comp_volume, max_value, c->u.volume.max_value);
		WR32(p, struct ipc3_comp_volume, ramp, c->u.volume.ramp);
		WR32(p, struct ipc3_comp_volume, initial_ramp, c->u.volume.initial_ramp);
		break;
	case IPC3_COMP_MIXER:
		break;
	case IPC3_COMP_SRC:
		WR32(p, struct ipc3_comp_src, source_rate, c->u.src.source_rate);
		WR32(p, struct ipc3_comp_src, sink_rate, c->u.src.sink_rate);
		WR32(p, struct ipc3_comp_src, rate_mask, c->u.src.rate_mask);
		break;
	case IPC3_COMP_ASRC:
		WR32(p, struct ipc3_comp_asrc, source_rate, c->u.asrc.source_rate);
		WR32(p, struct ipc3_comp_asrc, sink_rate, c->u.asrc.sink_rate);
		WR32(p, struct ipc3_comp_asrc, asynchronous_mode, c->u.asrc.asynchronous_mode);
		WR32(p, struct ipc3_comp_asrc, operation_mode, c->u.asrc.operation_mode);
		break;
	case IPC3_COMP_TONE:
		WR32(p, struct ipc3_comp_tone, sample_rate, (uint32_t)c->u.tone.sample_rate);
		WR32(p, struct ipc3_comp_tone, frequency, (uint32_t)c->u.tone.frequency);
		WR32(p, struct ipc3_comp_tone, amplitude, (uint32_t)c->u.tone.amplitude);
		WR32(p, struct ipc3_comp_tone, freq_mult, (uint32_t)c->u.tone.freq_mult);
		WR32(p, struct ipc3_comp_tone, ampl_mult, (uint32_t)c->u.tone.ampl_mult);
		WR32(p, struct ipc3_comp_tone, length, (uint32_t)c->u.tone.length);
		WR32(p, struct ipc3_comp_tone, period, (uint32_t)c->u.tone.period);
		WR32(p, struct ipc3_comp_tone, repeats, (uint32_t)c->u.tone.repeats);
		WR32(p, struct ipc3_comp_tone, ramp_step, (uint32_t)c->u.tone.ramp_step);
		break;
	default:
		if (c->short_mux && (c->type == IPC3_COMP_MUX || c->type == IPC3_COMP_DEMUX))
			break;
		WR32(p, struct ipc3_comp_process, size, m->data_size);
		WR32(p, struct ipc3_comp_process, type, c->u.process.type);
		memcpy(p + sizeof(struct ipc3_comp_process), m->data, m->data_size);
		break;
	}
	return (int)(body + ext);
}

static int encode_pcm_params(const struct ipc3_msg *m, uint8_t *p, size_t cap)
{
	const struct ipc3_msg_pcm_params *pp = &m->u.pcm;
	uint32_t size = (uint32_t)sizeof(struct ipc3_pcm_params) + m->data_size;
	uint8_t *s = p + PCM_PARAMS_OFF;

	if (m->data_size > IPC3_MSG_MAX_SIZE - sizeof(struct ipc3_pcm_params))
		return -EINVAL;
	if (cap < size)
		return -ENOSPC;
	memset(p, 0, size);
	put_hdr(p, size, IPC3_STREAM_PCM_PARAMS);
	WR32(p, struct ipc3_pcm_params, comp_id, pp->comp_id);
	WR32(p, struct ipc3_pcm_params, flags, pp->flags);
	WR32(s, struct ipc3_stream_params, hdr.size,
	     (uint32_t)sizeof(struct ipc3_stream_params) + m->data_size);
	WR32(s, struct ipc3_stream_params, buffer.phy_addr, pp->buffer_phy_addr);
	WR32(s, struct ipc3_stream_params, buffer.pages, pp->buffer_pages);
	WR32(s, struct ipc3_stream_params, buffer.size, pp->buffer_size);
	WR32(s, struct ipc3_stream_params, direction, pp->direction);
	WR32(s, struct ipc3_stream_params, frame_fmt, pp->frame_fmt);
	WR32(s, struct ipc3_stream_params, buffer_fmt, pp->buffer_fmt);
	WR32(s, struct ipc3_stream_params, rate, pp->rate);
	WR16(s, struct ipc3_stream_params, stream_tag, pp->stream_tag);
	WR16(s, struct ipc3_stream_params, channels, pp->channels);
	WR16(s, struct ipc3_stream_params, sample_valid_bytes, pp->sample_valid_bytes);
	WR16(s, struct ipc3_stream_params, sample_container_bytes, pp->sample_container_bytes);
	WR32(s, struct ipc3_stream_params, host_period_bytes, pp->host_period_bytes);
	WR16(s, struct ipc3_stream_params, no_stream_position, pp->no_stream_position);
	s[offsetof(struct ipc3_stream_params, cont_update_posn)] = pp->cont_update_posn;
	WR16(s, struct ipc3_stream_params, ext_data_length, (uint16_t)m->data_size);
	for (uint32_t i = 0; i < IPC3_STREAM_CHMAP_MAX; i++)
		put_le16(s + offsetof(struct ipc3_stream_params, chmap) + 2 * i, pp->chmap[i]);
	memcpy(p + sizeof(struct ipc3_pcm_params), m->data, m->data_size);
	return (int)size;
}

/* The ctrl_data head of a request or reply: everything but rhdr. */
static void put_ctrl_head(uint8_t *p, const struct ipc3_msg_ctrl *c, uint32_t num_elems,
			  uint32_t elems_remaining, uint32_t msg_index)
{
	WR32(p, struct ipc3_ctrl_data, comp_id, c->comp_id);
	WR32(p, struct ipc3_ctrl_data, type, c->type);
	WR32(p, struct ipc3_ctrl_data, cmd, c->cmd);
	WR32(p, struct ipc3_ctrl_data, index, c->index);
	WR32(p, struct ipc3_ctrl_data, num_elems, num_elems);
	WR32(p, struct ipc3_ctrl_data, elems_remaining, elems_remaining);
	WR32(p, struct ipc3_ctrl_data, msg_index, msg_index);
}

static void put_chanv(uint8_t *p, const struct ipc3_chan_value *v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *e = p + CTRL_HDR_SIZE + i * sizeof(struct ipc3_ctrl_value_chan);

		WR32(e, struct ipc3_ctrl_value_chan, channel, v[i].channel);
		WR32(e, struct ipc3_ctrl_value_chan, value, v[i].value);
	}
}

static void put_abi_hdr(uint8_t *p, uint32_t type, uint32_t size, uint32_t abi)
{
	uint8_t *a = p + CTRL_HDR_SIZE;

	WR32(a, struct ipc3_abi_hdr, magic, IPC3_ABI_MAGIC);
	WR32(a, struct ipc3_abi_hdr, type, type);
	WR32(a, struct ipc3_abi_hdr, size, size);
	WR32(a, struct ipc3_abi_hdr, abi, abi);
}

static int encode_ctrl(const struct ipc3_msg *m, uint8_t *p, size_t cap)
{
	const struct ipc3_msg_ctrl *c = &m->u.ctrl;
	bool data = m->cmd == IPC3_COMP_SET_DATA || m->cmd == IPC3_COMP_GET_DATA;
	uint32_t size;

	if (data) {
		if (m->data_size > IPC3_MSG_MAX_SIZE - CTRL_DATA_HDR_SIZE)
			return -EINVAL;
		size = CTRL_DATA_HDR_SIZE + m->data_size;
	} else {
		if (c->num_elems > IPC3_CHECK_CHANNELS_MAX)
			return -EINVAL;
		size = CTRL_HDR_SIZE + c->num_elems * (uint32_t)sizeof(struct ipc3_ctrl_value_chan);
	}
	if (cap < size)
		return -ENOSPC;
	memset(p, 0, size);
	put_hdr(p, size, m->cmd);
	put_ctrl_head(p, c, c->num_elems, c->elems_remaining, c->msg_index);
	if (data) {
		put_abi_hdr(p, c->abi_type, c->abi_size, c->abi);
		memcpy(p + CTRL_DATA_HDR_SIZE, m->data, m->data_size);
	} else {
		put_chanv(p, c->chanv, c->num_elems);
	}
	return (int)size;
}

static int encode_fixed(uint8_t *p, size_t cap, uint32_t size, uint32_t cmd)
{
	if (cap < size)
		return -ENOSPC;
	memset(p, 0, size);
	put_hdr(p, size, cmd);
	return (int)size;
}

int ipc3_encode(const struct ipc3_msg *m, void *buf, size_t cap)
{
	uint8_t *p = buf;
	int n;

	switch (m->cmd) {
	case IPC3_TPLG_COMP_NEW:
		return encode_comp_new(m, p, cap);
	case IPC3_TPLG_BUFFER_NEW:
		n = encode_fixed(p, cap, sizeof(struct ipc3_buffer), m->cmd);
		if (n < 0)
			return n;
		WR32(p, struct ipc3_buffer, comp.id, m->u.buffer.id);
		WR32(p, struct ipc3_buffer, comp.type, IPC3_COMP_BUFFER);
		WR32(p, struct ipc3_buffer, comp.pipeline_id, m->u.buffer.pipeline_id);
		WR32(p, struct ipc3_buffer, comp.core, m->u.buffer.core);
		WR32(p, struct ipc3_buffer, size, m->u.buffer.size);
		WR32(p, struct ipc3_buffer, caps, m->u.buffer.caps);
		WR32(p, struct ipc3_buffer, flags, m->u.buffer.flags);
		return n;
	case IPC3_TPLG_PIPE_NEW:
		n = encode_fixed(p, cap, sizeof(struct ipc3_pipe_new), m->cmd);
		if (n < 0)
			return n;
		WR32(p, struct ipc3_pipe_new, comp_id, m->u.pipe.comp_id);
		WR32(p, struct ipc3_pipe_new, pipeline_id, m->u.pipe.pipeline_id);
		WR32(p, struct ipc3_pipe_new, sched_id, m->u.pipe.sched_id);
		WR32(p, struct ipc3_pipe_new, core, m->u.pipe.core);
		WR32(p, struct ipc3_pipe_new, period, m->u.pipe.period);
		WR32(p, struct ipc3_pipe_new, priority, m->u.pipe.priority);
		WR32(p, struct ipc3_pipe_new, period_mips, m->u.pipe.period_mips);
		WR32(p, struct ipc3_pipe_new, frames_per_sched, m->u.pipe.frames_per_sched);
		WR32(p, struct ipc3_pipe_new, xrun_limit_usecs, m->u.pipe.xrun_limit_usecs);
		WR32(p, struct ipc3_pipe_new, time_domain, m->u.pipe.time_domain);
		return n;
	case IPC3_TPLG_COMP_CONNECT:
		n = encode_fixed(p, cap, sizeof(struct ipc3_pipe_comp_connect), m->cmd);
		if (n < 0)
			return n;
		WR32(p, struct ipc3_pipe_comp_connect, source_id, m->u.connect.source_id);
		WR32(p, struct ipc3_pipe_comp_connect, sink_id, m->u.connect.sink_id);
		return n;
	case IPC3_TPLG_COMP_FREE:
	case IPC3_TPLG_BUFFER_FREE:
	case IPC3_TPLG_PIPE_FREE:
	case IPC3_TPLG_PIPE_COMPLETE:
	case IPC3_STREAM_PCM_FREE:
	case IPC3_STREAM_TRIG_START:
	case IPC3_STREAM_TRIG_STOP:
	case IPC3_STREAM_TRIG_PAUSE:
	case IPC3_STREAM_TRIG_RELEASE:
	case IPC3_STREAM_TRIG_XRUN:
	case IPC3_STREAM_POSITION:
		n = encode_fixed(p, cap, sizeof(struct ipc3_free), m->cmd);
		if (n < 0)
			return n;
		WR32(p, struct ipc3_free, id, m->u.id);
		return n;
	case IPC3_STREAM_PCM_PARAMS:
		return encode_pcm_params(m, p, cap);
	case IPC3_COMP_SET_VALUE:
	case IPC3_COMP_GET_VALUE:
	case IPC3_COMP_SET_DATA:
	case IPC3_COMP_GET_DATA:
		return encode_ctrl(m, p, cap);
	case IPC3_PM_CTX_SAVE:
	case IPC3_PM_CTX_RESTORE:
	case IPC3_PM_CTX_SIZE:
		n = encode_fixed(p, cap, sizeof(struct ipc3_pm_ctx), m->cmd);
		if (n < 0)
			return n;
		WR32(p, struct ipc3_pm_ctx, num_elems, m->u.pm.ctx_num_elems);
		WR32(p, struct ipc3_pm_ctx, size, m->u.pm.ctx_size);
		return n;
	case IPC3_PM_CORE_ENABLE:
		n = encode_fixed(p, cap, sizeof(struct ipc3_pm_core_config), m->cmd);
		if (n < 0)
			return n;
		WR32(p, struct ipc3_pm_core_config, enable_mask, m->u.pm.enable_mask);
		return n;
	case IPC3_PM_GATE:
		n = encode_fixed(p, cap, sizeof(struct ipc3_pm_gate), m->cmd);
		if (n < 0)
			return n;
		WR32(p, struct ipc3_pm_gate, flags, m->u.pm.flags);
		return n;
	default:
		return -EINVAL;
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Replies                                                                                   */

static int put_reply(uint8_t *p, size_t cap, uint32_t size, uint32_t cmd, int32_t error)
{
	if (cap < size)
		return -ENOSPC;
	memset(p, 0, size);
	put_hdr(p, size, cmd);
	WR32(p, struct ipc3_reply, error, (uint32_t)error);
	return (int)size;
}

int ipc3_encode_reply(void *buf, size_t cap, int32_t error)
{
	return put_reply(buf, cap, sizeof(struct ipc3_reply), IPC3_REPLY, error);
}

int ipc3_encode_comp_reply(void *buf, size_t cap, uint32_t id)
{
	int n = put_reply(buf, cap, sizeof(struct ipc3_comp_reply), IPC3_REPLY, 0);

	if (n > 0)
		WR32(buf, struct ipc3_comp_reply, id, id);
	return n;
}

int ipc3_encode_pcm_params_reply(void *buf, size_t cap, uint32_t comp_id, uint32_t posn_offset)
{
	int n = put_reply(buf, cap, sizeof(struct ipc3_pcm_params_reply), IPC3_REPLY, 0);

	if (n > 0) {
		WR32(buf, struct ipc3_pcm_params_reply, comp_id, comp_id);
		WR32(buf, struct ipc3_pcm_params_reply, posn_offset, posn_offset);
	}
	return n;
}

int ipc3_encode_posn(void *buf, size_t cap, const struct ipc3_posn *ps)
{
	uint8_t *p = buf;
	uint32_t cmd = IPC3_STREAM_POSITION | (ps->comp_id & IPC3_CMD_ID_MASK);
	int n = put_reply(p, cap, sizeof(struct ipc3_stream_posn), cmd, 0);

	if (n < 0)
		return n;
	WR32(p, struct ipc3_stream_posn, comp_id, ps->comp_id);
	WR32(p, struct ipc3_stream_posn, flags, ps->flags);
	WR32(p, struct ipc3_stream_posn, wallclock_hz, ps->wallclock_hz);
	WR32(p, struct ipc3_stream_posn, timestamp_ns, ps->timestamp_ns);
	put_le64(p + offsetof(struct ipc3_stream_posn, host_posn), ps->host_posn);
	put_le64(p + offsetof(struct ipc3_stream_posn, dai_posn), ps->dai_posn);
	put_le64(p + offsetof(struct ipc3_stream_posn, comp_posn), ps->comp_posn);
	put_le64(p + offsetof(struct ipc3_stream_posn, wallclock), ps->wallclock);
	put_le64(p + offsetof(struct ipc3_stream_posn, timestamp), ps->timestamp);
	WR32(p, struct ipc3_stream_posn, xrun_comp_id, ps->xrun_comp_id);
	WR32(p, struct ipc3_stream_posn, xrun_size, (uint32_t)ps->xrun_size);
	return n;
}

int ipc3_encode_ctrl_reply(void *buf, size_t cap, const struct ipc3_msg *req,
			   const struct ipc3_chan_value *chanv, const void *part,
			   uint32_t abi_size)
{
	const struct ipc3_msg_ctrl *c = &req->u.ctrl;
	bool data = req->cmd == IPC3_COMP_SET_DATA || req->cmd == IPC3_COMP_GET_DATA;
	uint32_t size;
	uint8_t *p = buf;
	int n;

	if (data) {
		if (c->num_elems > IPC3_MSG_MAX_SIZE - CTRL_DATA_HDR_SIZE)
			return -EINVAL;
		size = CTRL_DATA_HDR_SIZE + c->num_elems;
	} else if (req->cmd == IPC3_COMP_SET_VALUE || req->cmd == IPC3_COMP_GET_VALUE) {
		if (c->num_elems > IPC3_CHECK_CHANNELS_MAX)
			return -EINVAL;
		size = CTRL_HDR_SIZE + c->num_elems * (uint32_t)sizeof(struct ipc3_ctrl_value_chan);
	} else {
		return -EINVAL;
	}
	n = put_reply(p, cap, size, IPC3_REPLY, 0);
	if (n < 0)
		return n;
	put_ctrl_head(p, c, c->num_elems, c->elems_remaining, c->msg_index);
	if (data) {
		put_abi_hdr(p, c->abi_type, abi_size, IPC3_ABI_VERSION);
		memcpy(p + CTRL_DATA_HDR_SIZE, part ? part : req->data, c->num_elems);
	} else {
		put_chanv(p, chanv ? chanv : c->chanv, c->num_elems);
	}
	return n;
}

int ipc3_reply_error(const void *buf, size_t len, int32_t *error)
{
	if (!buf || len < sizeof(struct ipc3_reply) || RD32(buf, struct ipc3_cmd_hdr, size) != len)
		return -EINVAL;
	*error = (int32_t)RD32(buf, struct ipc3_reply, error);
	return 0;
}
