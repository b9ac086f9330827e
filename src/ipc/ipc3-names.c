// SPDX-License-Identifier: MIT
/*
 * Names of IPC3 commands and component types, for logs and dumps.
 */
#include <stddef.h>
#include <stdint.h>

#include "ipc/ipc3.h"
#include "util/compiler.h"

static const struct {
	uint32_t cmd;
	const char *name;
} cmd_names[] = {
	{ IPC3_REPLY, "REPLY" },
	{ IPC3_FW_READY, "FW_READY" },
	{ IPC3_TPLG_COMP_NEW, "TPLG_COMP_NEW" },
	{ IPC3_TPLG_COMP_FREE, "TPLG_COMP_FREE" },
	{ IPC3_TPLG_COMP_CONNECT, "TPLG_COMP_CONNECT" },
	{ IPC3_TPLG_PIPE_NEW, "TPLG_PIPE_NEW" },
	{ IPC3_TPLG_PIPE_FREE, "TPLG_PIPE_FREE" },
	{ IPC3_TPLG_PIPE_CONNECT, "TPLG_PIPE_CONNECT" },
	{ IPC3_TPLG_PIPE_COMPLETE, "TPLG_PIPE_COMPLETE" },
	{ IPC3_TPLG_BUFFER_NEW, "TPLG_BUFFER_NEW" },
	{ IPC3_TPLG_BUFFER_FREE, "TPLG_BUFFER_FREE" },
	{ IPC3_TPLG_VFE_GET, "TPLG_VFE_GET" },
	{ IPC3_TPLG_VFE_COMP_ID, "TPLG_VFE_COMP_ID" },
	{ IPC3_PM_CTX_SAVE, "PM_CTX_SAVE" },
	{ IPC3_PM_CTX_RESTORE, "PM_CTX_RESTORE" },
	{ IPC3_PM_CTX_SIZE, "PM_CTX_SIZE" },
	{ IPC3_PM_CLK_SET, "PM_CLK_SET" },
	{ IPC3_PM_CLK_GET, "PM_CLK_GET" },
	{ IPC3_PM_CLK_REQ, "PM_CLK_REQ" },
	{ IPC3_PM_CORE_ENABLE, "PM_CORE_ENABLE" },
	{ IPC3_PM_GATE, "PM_GATE" },
	{ IPC3_PM_VFE_POWER_STATUS, "PM_VFE_POWER_STATUS" },
	{ IPC3_COMP_SET_VALUE, "COMP_SET_VALUE" },
	{ IPC3_COMP_GET_VALUE, "COMP_GET_VALUE" },
	{ IPC3_COMP_SET_DATA, "COMP_SET_DATA" },
	{ IPC3_COMP_GET_DATA, "COMP_GET_DATA" },
	{ IPC3_COMP_NOTIFICATION, "COMP_NOTIFICATION" },
	{ IPC3_STREAM_PCM_PARAMS, "STREAM_PCM_PARAMS" },
	{ IPC3_STREAM_PCM_PARAMS_REPLY, "STREAM_PCM_PARAMS_REPLY" },
	{ IPC3_STREAM_PCM_FREE, "STREAM_PCM_FREE" },
	{ IPC3_STREAM_TRIG_START, "STREAM_TRIG_START" },
	{ IPC3_STREAM_TRIG_STOP, "STREAM_TRIG_STOP" },
	{ IPC3_STREAM_TRIG_PAUSE, "STREAM_TRIG_PAUSE" },
	{ IPC3_STREAM_TRIG_RELEASE, "STREAM_TRIG_RELEASE" },
	{ IPC3_STREAM_TRIG_DRAIN, "STREAM_TRIG_DRAIN" },
	{ IPC3_STREAM_TRIG_XRUN, "STREAM_TRIG_XRUN" },
	{ IPC3_STREAM_POSITION, "STREAM_POSITION" },
	{ IPC3_DAI_CONFIG, "DAI_CONFIG" },
	{ IPC3_DAI_LOOPBACK, "DAI_LOOPBACK" },
	{ IPC3_TRACE_DMA_PARAMS, "TRACE_DMA_PARAMS" },
	{ IPC3_TRACE_DMA_POSITION, "TRACE_DMA_POSITION" },
};

const char *ipc3_cmd_name(uint32_t cmd)
{
	uint32_t base = ipc3_cmd_base(cmd);

	for (size_t i = 0; i < VADSP_ARRAY_SIZE(cmd_names); i++)
		if (cmd_names[i].cmd == base)
			return cmd_names[i].name;
	return "UNKNOWN";
}

static const char *const comp_type_names[] = {
	[IPC3_COMP_NONE] = "none",
	[IPC3_COMP_HOST] = "host",
	[IPC3_COMP_DAI] = "dai",
	[IPC3_COMP_SG_HOST] = "sg_host",
	[IPC3_COMP_SG_DAI] = "sg_dai",
	[IPC3_COMP_VOLUME] = "volume",
	[IPC3_COMP_MIXER] = "mixer",
	[IPC3_COMP_MUX] = "mux",
	[IPC3_COMP_SRC] = "src",
	[IPC3_COMP_TONE] = "tone",
	[IPC3_COMP_BUFFER] = "buffer",
	[IPC3_COMP_EQ_IIR] = "eq_iir",
	[IPC3_COMP_EQ_FIR] = "eq_fir",
	[IPC3_COMP_KEYWORD_DETECT] = "keyword_detect",
	[IPC3_COMP_KPB] = "kpb",
	[IPC3_COMP_SELECTOR] = "selector",
	[IPC3_COMP_DEMUX] = "demux",
	[IPC3_COMP_ASRC] = "asrc",
	[IPC3_COMP_DCBLOCK] = "dcblock",
	[IPC3_COMP_SMART_AMP] = "smart_amp",
	[IPC3_COMP_MODULE_ADAPTER] = "module_adapter",
};

const char *ipc3_comp_type_name(uint32_t type)
{
	if (type < VADSP_ARRAY_SIZE(comp_type_names) && comp_type_names[type])
		return comp_type_names[type];
	return "unknown";
}
