/* SPDX-License-Identifier: MIT */
/*
 * Sound Open Firmware IPC3 wire format.
 *
 * Every message starts with a command header {size, cmd}. The command word is 0xGCCCNNNN:
 * bits 31..28 the global type, 27..16 the command type, 15..0 an id (the component id in
 * position and xrun notifications, zero elsewhere). A message is at most 384 bytes.
 *
 * All fields are little-endian; structures are packed (several u64 fields are unaligned)
 * and are read and written only through the util/le.h helpers. Sizes and the offsets that
 * are easy to get wrong are asserted below, so a layout mistake fails the build.
 *
 * The numbers are those of SOF ABI 3 (the 3.22 / 3.23 minor versions share them).
 */
#ifndef VADSP_IPC_IPC3_H
#define VADSP_IPC_IPC3_H

#include <stddef.h>
#include <stdint.h>

#include "util/compiler.h"

/* ---------------------------------------------------------------------------------------- */
/* ABI version word and magic                                                                */

#define IPC3_ABI_MAJOR_SHIFT		24
#define IPC3_ABI_MAJOR_MASK		0xffu
#define IPC3_ABI_MINOR_SHIFT		12
#define IPC3_ABI_MINOR_MASK		0xfffu
#define IPC3_ABI_PATCH_SHIFT		0
#define IPC3_ABI_PATCH_MASK		0xfffu

/* The ABI vadsp speaks: 3.23.1, what recent Linux kernels send. */
#define IPC3_ABI_MAJOR			3
#define IPC3_ABI_MINOR			23
#define IPC3_ABI_PATCH			1

/* "SOF" read as a little-endian word; first field of every sof_abi_hdr blob. */
#define IPC3_ABI_MAGIC			0x00464F53u

static inline uint32_t ipc3_abi_version(uint32_t major, uint32_t minor, uint32_t patch)
{
	return ((major & IPC3_ABI_MAJOR_MASK) << IPC3_ABI_MAJOR_SHIFT) |
	       ((minor & IPC3_ABI_MINOR_MASK) << IPC3_ABI_MINOR_SHIFT) |
	       ((patch & IPC3_ABI_PATCH_MASK) << IPC3_ABI_PATCH_SHIFT);
}

static inline uint32_t ipc3_abi_major(uint32_t abi)
{
	return (abi >> IPC3_ABI_MAJOR_SHIFT) & IPC3_ABI_MAJOR_MASK;
}

static inline uint32_t ipc3_abi_minor(uint32_t abi)
{
	return (abi >> IPC3_ABI_MINOR_SHIFT) & IPC3_ABI_MINOR_MASK;
}

static inline uint32_t ipc3_abi_patch(uint32_t abi)
{
	return (abi >> IPC3_ABI_PATCH_SHIFT) & IPC3_ABI_PATCH_MASK;
}

/* Only a different major version is incompatible. */
static inline int ipc3_abi_compatible(uint32_t ours, uint32_t theirs)
{
	return ipc3_abi_major(ours) == ipc3_abi_major(theirs);
}

#define IPC3_ABI_VERSION \
	ipc3_abi_version(IPC3_ABI_MAJOR, IPC3_ABI_MINOR, IPC3_ABI_PATCH)

/* ---------------------------------------------------------------------------------------- */
/* Command word                                                                              */

#define IPC3_MSG_MAX_SIZE		384u

#define IPC3_GLB_TYPE_SHIFT		28
#define IPC3_GLB_TYPE_MASK		0xfu
#define IPC3_CMD_TYPE_SHIFT		16
#define IPC3_CMD_TYPE_MASK		0xfffu
#define IPC3_CMD_ID_MASK		0xffffu

/* Global types (bits 31..28). */
enum ipc3_glb_type {
	IPC3_GLB_REPLY = 0x1,
	IPC3_GLB_COMPOUND = 0x2,
	IPC3_GLB_TPLG_MSG = 0x3,
	IPC3_GLB_PM_MSG = 0x4,
	IPC3_GLB_COMP_MSG = 0x5,
	IPC3_GLB_STREAM_MSG = 0x6,
	IPC3_GLB_FW_READY = 0x7,
	IPC3_GLB_DAI_MSG = 0x8,
	IPC3_GLB_TRACE_MSG = 0x9,
	IPC3_GLB_GDB_DEBUG = 0xa,
	IPC3_GLB_TEST_MSG = 0xb,
	IPC3_GLB_PROBE = 0xc,
	IPC3_GLB_DEBUG = 0xd,
};

/**
 * ipc3_cmd() - build a command word
 * @glb: global type (enum ipc3_glb_type)
 * @type: command type within the global type (12 bits)
 * @id: low 16 bits (component id in notifications, else 0)
 *
 * Return: the 32-bit command word.
 */
static inline uint32_t ipc3_cmd(uint32_t glb, uint32_t type, uint32_t id)
{
	return ((glb & IPC3_GLB_TYPE_MASK) << IPC3_GLB_TYPE_SHIFT) |
	       ((type & IPC3_CMD_TYPE_MASK) << IPC3_CMD_TYPE_SHIFT) |
	       (id & IPC3_CMD_ID_MASK);
}

/* The global type of a command word. */
static inline uint32_t ipc3_cmd_glb(uint32_t cmd)
{
	return (cmd >> IPC3_GLB_TYPE_SHIFT) & IPC3_GLB_TYPE_MASK;
}

/* The command type (12 bits) of a command word. */
static inline uint32_t ipc3_cmd_type(uint32_t cmd)
{
	return (cmd >> IPC3_CMD_TYPE_SHIFT) & IPC3_CMD_TYPE_MASK;
}

/* The id field (low 16 bits) of a command word. */
static inline uint32_t ipc3_cmd_id(uint32_t cmd)
{
	return cmd & IPC3_CMD_ID_MASK;
}

/* The command without its id field, i.e. what the constants below name. */
static inline uint32_t ipc3_cmd_base(uint32_t cmd)
{
	return cmd & ~(uint32_t)IPC3_CMD_ID_MASK;
}

#define IPC3_CMD_(glb, type)	((uint32_t)(glb) << IPC3_GLB_TYPE_SHIFT | \
				 (uint32_t)(type) << IPC3_CMD_TYPE_SHIFT)

/* Full command words (id field zero). */
#define IPC3_REPLY			IPC3_CMD_(IPC3_GLB_REPLY, 0x000)	/* 0x10000000 */
#define IPC3_FW_READY			IPC3_CMD_(IPC3_GLB_FW_READY, 0x000)	/* 0x70000000 */

#define IPC3_TPLG_COMP_NEW		IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x001)
#define IPC3_TPLG_COMP_FREE		IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x002)
#define IPC3_TPLG_COMP_CONNECT		IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x003)
#define IPC3_TPLG_PIPE_NEW		IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x010)
#define IPC3_TPLG_PIPE_FREE		IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x011)
#define IPC3_TPLG_PIPE_CONNECT		IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x012)
#define IPC3_TPLG_PIPE_COMPLETE		IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x013)
#define IPC3_TPLG_BUFFER_NEW		IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x020)
#define IPC3_TPLG_BUFFER_FREE		IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x021)

#define IPC3_PM_CTX_SAVE		IPC3_CMD_(IPC3_GLB_PM_MSG, 0x001)
#define IPC3_PM_CTX_RESTORE		IPC3_CMD_(IPC3_GLB_PM_MSG, 0x002)
#define IPC3_PM_CTX_SIZE		IPC3_CMD_(IPC3_GLB_PM_MSG, 0x003)
#define IPC3_PM_CLK_SET			IPC3_CMD_(IPC3_GLB_PM_MSG, 0x004)
#define IPC3_PM_CLK_GET			IPC3_CMD_(IPC3_GLB_PM_MSG, 0x005)
#define IPC3_PM_CLK_REQ			IPC3_CMD_(IPC3_GLB_PM_MSG, 0x006)
#define IPC3_PM_CORE_ENABLE		IPC3_CMD_(IPC3_GLB_PM_MSG, 0x007)
#define IPC3_PM_GATE			IPC3_CMD_(IPC3_GLB_PM_MSG, 0x008)

#define IPC3_COMP_SET_VALUE		IPC3_CMD_(IPC3_GLB_COMP_MSG, 0x001)
#define IPC3_COMP_GET_VALUE		IPC3_CMD_(IPC3_GLB_COMP_MSG, 0x002)
#define IPC3_COMP_SET_DATA		IPC3_CMD_(IPC3_GLB_COMP_MSG, 0x003)
#define IPC3_COMP_GET_DATA		IPC3_CMD_(IPC3_GLB_COMP_MSG, 0x004)
#define IPC3_COMP_NOTIFICATION		IPC3_CMD_(IPC3_GLB_COMP_MSG, 0x005)

#define IPC3_STREAM_PCM_PARAMS		IPC3_CMD_(IPC3_GLB_STREAM_MSG, 0x001)
#define IPC3_STREAM_PCM_PARAMS_REPLY	IPC3_CMD_(IPC3_GLB_STREAM_MSG, 0x002)
#define IPC3_STREAM_PCM_FREE		IPC3_CMD_(IPC3_GLB_STREAM_MSG, 0x003)
#define IPC3_STREAM_TRIG_START		IPC3_CMD_(IPC3_GLB_STREAM_MSG, 0x004)
#define IPC3_STREAM_TRIG_STOP		IPC3_CMD_(IPC3_GLB_STREAM_MSG, 0x005)
#define IPC3_STREAM_TRIG_PAUSE		IPC3_CMD_(IPC3_GLB_STREAM_MSG, 0x006)
#define IPC3_STREAM_TRIG_RELEASE	IPC3_CMD_(IPC3_GLB_STREAM_MSG, 0x007)
#define IPC3_STREAM_TRIG_DRAIN		IPC3_CMD_(IPC3_GLB_STREAM_MSG, 0x008)
#define IPC3_STREAM_TRIG_XRUN		IPC3_CMD_(IPC3_GLB_STREAM_MSG, 0x009)
#define IPC3_STREAM_POSITION		IPC3_CMD_(IPC3_GLB_STREAM_MSG, 0x00a)

#define IPC3_DAI_CONFIG			IPC3_CMD_(IPC3_GLB_DAI_MSG, 0x001)
#define IPC3_DAI_LOOPBACK		IPC3_CMD_(IPC3_GLB_DAI_MSG, 0x002)

#define IPC3_TRACE_DMA_PARAMS		IPC3_CMD_(IPC3_GLB_TRACE_MSG, 0x001)
#define IPC3_TRACE_DMA_POSITION		IPC3_CMD_(IPC3_GLB_TRACE_MSG, 0x002)

/*
 * The 2020 virtualisation messages. A DSP never sees them: the host answers them itself.
 * The command types are still unused by SOF.
 */
#define IPC3_TPLG_VFE_GET		IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x030)	/* 0x30300000 */
#define IPC3_TPLG_VFE_COMP_ID		IPC3_CMD_(IPC3_GLB_TPLG_MSG, 0x031)	/* 0x30310000 */
#define IPC3_PM_VFE_POWER_STATUS	IPC3_CMD_(IPC3_GLB_PM_MSG, 0x010)	/* 0x40100000 */

/*
 * Topology bytes per VFE_GET reply in the 2020 series (a maximum message minus a 12-byte
 * reply header); vadsp's reply also says where the chunk is: see ipc/vfe.h.
 */
#define IPC3_VFE_GET_CHUNK_MAX		(IPC3_MSG_MAX_SIZE - 12u)
/* Size of a guest's component id range in the 2020 series. */
#define IPC3_VFE_COMP_ID_RANGE_2020	1000u
/* VFE power status: power field values and reset_status values. */
#define IPC3_VFE_POWER_OFF		0u
#define IPC3_VFE_POWER_ON		1u
#define IPC3_VFE_TOPOLOGY_KEPT		0u
#define IPC3_VFE_TOPOLOGY_RESET		1u

/*
 * Numbers the 2020 series used that now mean something else in SOF; never reuse them for
 * the virtualisation extension: component type 20 (now DCBLOCK) and 22 (now
 * MODULE_ADAPTER) for the virtual connection component, topology token 404 (now CORE_ID)
 * for the connection reference, and VIRTIO device id 28 (now RPMB).
 */
#define IPC3_RESERVED_2020_COMP_TYPE_A	20u
#define IPC3_RESERVED_2020_COMP_TYPE_B	22u
#define IPC3_RESERVED_2020_TOKEN	404u
#define IPC3_RESERVED_2020_VIRTIO_ID	28u

/* ---------------------------------------------------------------------------------------- */
/* Headers and replies                                                                       */

struct ipc3_hdr {
	uint32_t size;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_hdr, 4);

struct ipc3_cmd_hdr {
	uint32_t size;			/* whole message, header included */
	uint32_t cmd;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_cmd_hdr, 8);

struct ipc3_reply {
	struct ipc3_cmd_hdr hdr;	/* cmd = IPC3_REPLY */
	int32_t error;			/* 0 or a negative errno */
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_reply, 12);

/* Reply to COMP_NEW, BUFFER_NEW and PIPE_NEW. */
struct ipc3_comp_reply {
	struct ipc3_reply rhdr;
	uint32_t id;
	uint32_t offset;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_comp_reply, 20);

/* Host memory described to the DSP; a page table in SOF, unused over virtio. */
struct ipc3_host_buffer {
	struct ipc3_hdr hdr;
	uint32_t phy_addr;
	uint32_t pages;
	uint32_t size;
	uint32_t reserved[3];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_host_buffer, 28);

/* ---------------------------------------------------------------------------------------- */
/* Enumerations                                                                              */

enum ipc3_comp_type {
	IPC3_COMP_NONE = 0,
	IPC3_COMP_HOST = 1,
	IPC3_COMP_DAI = 2,
	IPC3_COMP_SG_HOST = 3,
	IPC3_COMP_SG_DAI = 4,
	IPC3_COMP_VOLUME = 5,
	IPC3_COMP_MIXER = 6,
	IPC3_COMP_MUX = 7,
	IPC3_COMP_SRC = 8,
	/* 9 unused */
	IPC3_COMP_TONE = 10,
	/* 11 unused */
	IPC3_COMP_BUFFER = 12,
	IPC3_COMP_EQ_IIR = 13,
	IPC3_COMP_EQ_FIR = 14,
	IPC3_COMP_KEYWORD_DETECT = 15,
	IPC3_COMP_KPB = 16,
	IPC3_COMP_SELECTOR = 17,
	IPC3_COMP_DEMUX = 18,
	IPC3_COMP_ASRC = 19,
	IPC3_COMP_DCBLOCK = 20,
	IPC3_COMP_SMART_AMP = 21,
	IPC3_COMP_MODULE_ADAPTER = 22,
};

enum ipc3_process_type {
	IPC3_PROCESS_NONE = 0,
	IPC3_PROCESS_EQFIR = 1,
	IPC3_PROCESS_EQIIR = 2,
	IPC3_PROCESS_KEYWORD_DETECT = 3,
	IPC3_PROCESS_KPB = 4,
	IPC3_PROCESS_CHAN_SELECTOR = 5,
	IPC3_PROCESS_MUX = 6,
	IPC3_PROCESS_DEMUX = 7,
	IPC3_PROCESS_DCBLOCK = 8,
	IPC3_PROCESS_SMART_AMP = 9,
};

enum ipc3_frame_fmt {
	IPC3_FRAME_S16_LE = 0,
	IPC3_FRAME_S24_4LE = 1,
	IPC3_FRAME_S32_LE = 2,
	IPC3_FRAME_FLOAT = 3,
};

enum ipc3_stream_direction {
	IPC3_STREAM_PLAYBACK = 0,
	IPC3_STREAM_CAPTURE = 1,
};

enum ipc3_volume_ramp {
	IPC3_VOLUME_LINEAR = 0,
	IPC3_VOLUME_LOG = 1,
	IPC3_VOLUME_LINEAR_ZC = 2,
	IPC3_VOLUME_LOG_ZC = 3,
};

/* Bit flags. */
enum ipc3_xrun_action {
	IPC3_XRUN_STOP = 1,		/* stop the stream */
	IPC3_XRUN_UNDER_ZERO = 2,	/* on underrun, send zeros */
	IPC3_XRUN_OVER_NULL = 4,	/* on overrun, drop data */
};

enum ipc3_dai_type {
	IPC3_DAI_NONE = 0,
	IPC3_DAI_INTEL_SSP = 1,
	IPC3_DAI_INTEL_DMIC = 2,
	IPC3_DAI_INTEL_HDA = 3,
	IPC3_DAI_INTEL_ALH = 4,
	IPC3_DAI_IMX_SAI = 5,
	IPC3_DAI_IMX_ESAI = 6,
	IPC3_DAI_AMD_BT = 7,
	IPC3_DAI_AMD_SP = 8,
	IPC3_DAI_AMD_DMIC = 9,
	IPC3_DAI_MEDIATEK_AFE = 10,
	IPC3_DAI_AMD_HS = 11,
};

/* sof_ipc_ctrl_data.type */
enum ipc3_ctrl_type {
	IPC3_CTRL_VALUE_CHAN_GET = 0,
	IPC3_CTRL_VALUE_CHAN_SET = 1,
	IPC3_CTRL_VALUE_COMP_GET = 2,
	IPC3_CTRL_VALUE_COMP_SET = 3,
	IPC3_CTRL_DATA_GET = 4,
	IPC3_CTRL_DATA_SET = 5,
};

/* sof_ipc_ctrl_data.cmd */
enum ipc3_ctrl_cmd {
	IPC3_CTRL_CMD_VOLUME = 0,
	IPC3_CTRL_CMD_ENUM = 1,
	IPC3_CTRL_CMD_SWITCH = 2,
	IPC3_CTRL_CMD_BINARY = 3,
};

/* Volume values are Q8.16 linear gains: 0 dB is 1.0. */
#define IPC3_VOLUME_Q8_16_ONE		0x10000u

/* ---------------------------------------------------------------------------------------- */
/* Topology: components                                                                      */

/* Common head of every COMP_NEW (and of BUFFER_NEW). */
struct ipc3_comp {
	struct ipc3_cmd_hdr hdr;
	uint32_t id;
	uint32_t type;			/* enum ipc3_comp_type */
	uint32_t pipeline_id;
	uint32_t core;
	uint32_t ext_data_length;	/* bytes of extension at hdr.size - ext_data_length */
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_comp, 28);

struct ipc3_comp_config {
	struct ipc3_cmd_hdr hdr;	/* size = 36 */
	uint32_t periods_sink;
	uint32_t periods_source;
	uint32_t reserved1;
	uint32_t frame_fmt;		/* enum ipc3_frame_fmt */
	uint32_t xrun_action;		/* enum ipc3_xrun_action bits */
	uint32_t reserved[2];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_comp_config, 36);

/* Optional extension appended to COMP_NEW when the topology gives a UUID. */
#define IPC3_COMP_UUID_SIZE		16
struct ipc3_comp_ext {
	uint8_t uuid[IPC3_COMP_UUID_SIZE];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_comp_ext, 16);

struct ipc3_comp_host {
	struct ipc3_comp comp;
	struct ipc3_comp_config config;
	uint32_t direction;		/* enum ipc3_stream_direction */
	uint32_t no_irq;
	uint32_t dmac_config;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_comp_host, 76);

struct ipc3_comp_dai {
	struct ipc3_comp comp;
	struct ipc3_comp_config config;
	uint32_t direction;		/* enum ipc3_stream_direction */
	uint32_t dai_index;
	uint32_t type;			/* enum ipc3_dai_type */
	uint32_t reserved;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_comp_dai, 80);

struct ipc3_comp_mixer {
	struct ipc3_comp comp;
	struct ipc3_comp_config config;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_comp_mixer, 64);

/* Also used for DEMUX. */
struct ipc3_comp_mux {
	struct ipc3_comp comp;
	struct ipc3_comp_config config;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_comp_mux, 64);

struct ipc3_comp_volume {
	struct ipc3_comp comp;
	struct ipc3_comp_config config;
	uint32_t channels;
	uint32_t min_value;		/* Q8.16 linear gain */
	uint32_t max_value;		/* Q8.16 linear gain */
	uint32_t ramp;			/* enum ipc3_volume_ramp */
	uint32_t initial_ramp;		/* ramp length in ms */
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_comp_volume, 84);

struct ipc3_comp_src {
	struct ipc3_comp comp;
	struct ipc3_comp_config config;
	uint32_t source_rate;		/* 0: taken from stream params */
	uint32_t sink_rate;		/* 0: taken from stream params */
	uint32_t rate_mask;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_comp_src, 76);

struct ipc3_comp_asrc {
	struct ipc3_comp comp;
	struct ipc3_comp_config config;
	uint32_t source_rate;
	uint32_t sink_rate;
	uint32_t asynchronous_mode;
	uint32_t operation_mode;
	uint32_t reserved[4];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_comp_asrc, 96);

struct ipc3_comp_tone {
	struct ipc3_comp comp;
	struct ipc3_comp_config config;
	int32_t sample_rate;
	int32_t frequency;
	int32_t amplitude;
	int32_t freq_mult;
	int32_t ampl_mult;
	int32_t length;
	int32_t period;
	int32_t repeats;
	int32_t ramp_step;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_comp_tone, 100);

/* Generic processing component; its configuration blob follows at data[]. */
struct ipc3_comp_process {
	struct ipc3_comp comp;
	struct ipc3_comp_config config;
	uint32_t size;			/* bytes in data[] */
	uint32_t type;			/* enum ipc3_process_type */
	uint32_t reserved[7];
	uint8_t data[];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_comp_process, 100);

struct ipc3_buffer {
	struct ipc3_comp comp;		/* comp.type = IPC3_COMP_BUFFER */
	uint32_t size;			/* bytes */
	uint32_t caps;
	uint32_t flags;
	uint32_t reserved;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_buffer, 44);

/* ---------------------------------------------------------------------------------------- */
/* Topology: pipelines and connections                                                       */

struct ipc3_pipe_new {
	struct ipc3_cmd_hdr hdr;
	uint32_t comp_id;		/* the pipeline (scheduler widget) id */
	uint32_t pipeline_id;
	uint32_t sched_id;		/* component that drives the schedule */
	uint32_t core;
	uint32_t period;		/* microseconds */
	uint32_t priority;
	uint32_t period_mips;
	uint32_t frames_per_sched;
	uint32_t xrun_limit_usecs;
	uint32_t time_domain;		/* 0 DMA, 1 timer */
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_pipe_new, 48);

struct ipc3_pipe_comp_connect {
	struct ipc3_cmd_hdr hdr;
	uint32_t source_id;
	uint32_t sink_id;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_pipe_comp_connect, 16);

/* COMP_FREE, BUFFER_FREE, PIPE_FREE. */
struct ipc3_free {
	struct ipc3_cmd_hdr hdr;
	uint32_t id;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_free, 12);

/* PIPE_COMPLETE. */
struct ipc3_pipe_ready {
	struct ipc3_cmd_hdr hdr;
	uint32_t comp_id;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_pipe_ready, 12);

/* ---------------------------------------------------------------------------------------- */
/* Streams                                                                                   */

#define IPC3_STREAM_CHMAP_MAX		8

struct ipc3_stream_params {
	struct ipc3_hdr hdr;
	struct ipc3_host_buffer buffer;
	uint32_t direction;		/* enum ipc3_stream_direction */
	uint32_t frame_fmt;		/* enum ipc3_frame_fmt */
	uint32_t buffer_fmt;		/* 0: interleaved */
	uint32_t rate;
	uint16_t stream_tag;
	uint16_t channels;
	uint16_t sample_valid_bytes;
	uint16_t sample_container_bytes;
	uint32_t host_period_bytes;
	uint16_t no_stream_position;
	uint8_t cont_update_posn;
	uint8_t reserved0;
	uint16_t ext_data_length;
	uint8_t reserved[2];
	uint16_t chmap[IPC3_STREAM_CHMAP_MAX];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_stream_params, 84);
_Static_assert(offsetof(struct ipc3_stream_params, buffer) == 4, "stream_params.buffer");
_Static_assert(offsetof(struct ipc3_stream_params, direction) == 32, "stream_params.direction");
_Static_assert(offsetof(struct ipc3_stream_params, rate) == 44, "stream_params.rate");
_Static_assert(offsetof(struct ipc3_stream_params, stream_tag) == 48, "stream_params.stream_tag");
_Static_assert(offsetof(struct ipc3_stream_params, channels) == 50, "stream_params.channels");
_Static_assert(offsetof(struct ipc3_stream_params, host_period_bytes) == 56,
	       "stream_params.host_period_bytes");
_Static_assert(offsetof(struct ipc3_stream_params, no_stream_position) == 60,
	       "stream_params.no_stream_position");
_Static_assert(offsetof(struct ipc3_stream_params, cont_update_posn) == 62,
	       "stream_params.cont_update_posn");
_Static_assert(offsetof(struct ipc3_stream_params, ext_data_length) == 64,
	       "stream_params.ext_data_length");
_Static_assert(offsetof(struct ipc3_stream_params, chmap) == 68, "stream_params.chmap");

struct ipc3_pcm_params {
	struct ipc3_cmd_hdr hdr;
	uint32_t comp_id;
	uint32_t flags;
	uint32_t reserved[2];
	struct ipc3_stream_params params;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_pcm_params, 108);
_Static_assert(offsetof(struct ipc3_pcm_params, params) == 24, "pcm_params.params");

struct ipc3_pcm_params_reply {
	struct ipc3_reply rhdr;
	uint32_t comp_id;
	uint32_t posn_offset;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_pcm_params_reply, 20);

/* PCM_FREE and the TRIG_* commands. */
struct ipc3_stream {
	struct ipc3_cmd_hdr hdr;
	uint32_t comp_id;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_stream, 12);

/* sof_ipc_stream_posn.flags */
#define IPC3_TIME_HOST_SYNC		(1u << 0)
#define IPC3_TIME_DAI_SYNC		(1u << 1)
#define IPC3_TIME_WALL_SYNC		(1u << 2)
#define IPC3_TIME_STAMP_SYNC		(1u << 3)

/* Position notification (cmd IPC3_STREAM_POSITION | comp_id) and TRIG_XRUN payload. */
struct ipc3_stream_posn {
	struct ipc3_reply rhdr;
	uint32_t comp_id;
	uint32_t flags;
	uint32_t wallclock_hz;
	uint32_t timestamp_ns;
	uint64_t host_posn;		/* bytes */
	uint64_t dai_posn;		/* bytes */
	uint64_t comp_posn;		/* bytes */
	uint64_t wallclock;
	uint64_t timestamp;
	uint32_t xrun_comp_id;
	int32_t xrun_size;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_stream_posn, 76);
_Static_assert(offsetof(struct ipc3_stream_posn, comp_id) == 12, "stream_posn.comp_id");
_Static_assert(offsetof(struct ipc3_stream_posn, timestamp_ns) == 24, "stream_posn.timestamp_ns");
_Static_assert(offsetof(struct ipc3_stream_posn, host_posn) == 28, "stream_posn.host_posn");
_Static_assert(offsetof(struct ipc3_stream_posn, dai_posn) == 36, "stream_posn.dai_posn");
_Static_assert(offsetof(struct ipc3_stream_posn, comp_posn) == 44, "stream_posn.comp_posn");
_Static_assert(offsetof(struct ipc3_stream_posn, wallclock) == 52, "stream_posn.wallclock");
_Static_assert(offsetof(struct ipc3_stream_posn, timestamp) == 60, "stream_posn.timestamp");
_Static_assert(offsetof(struct ipc3_stream_posn, xrun_comp_id) == 68, "stream_posn.xrun_comp_id");
_Static_assert(offsetof(struct ipc3_stream_posn, xrun_size) == 72, "stream_posn.xrun_size");

/* ---------------------------------------------------------------------------------------- */
/* Component controls                                                                        */

/* Configuration blob header (bytes controls and process data). */
struct ipc3_abi_hdr {
	uint32_t magic;			/* IPC3_ABI_MAGIC */
	uint32_t type;			/* component specific */
	uint32_t size;			/* bytes in data[] */
	uint32_t abi;			/* ABI version word */
	uint32_t reserved[4];
	uint8_t data[];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_abi_hdr, 32);

struct ipc3_ctrl_value_chan {
	uint32_t channel;
	uint32_t value;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_ctrl_value_chan, 8);

/*
 * COMP_SET/GET_VALUE and COMP_SET/GET_DATA. After the 92-byte head come num_elems
 * ipc3_ctrl_value_chan entries (value commands) or an ipc3_abi_hdr blob (data commands).
 */
struct ipc3_ctrl_data {
	struct ipc3_reply rhdr;
	uint32_t comp_id;
	uint32_t type;			/* enum ipc3_ctrl_type */
	uint32_t cmd;			/* enum ipc3_ctrl_cmd */
	uint32_t index;
	struct ipc3_host_buffer buffer;
	uint32_t num_elems;
	uint32_t elems_remaining;
	uint32_t msg_index;
	uint32_t reserved[6];
	uint8_t data[];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_ctrl_data, 92);
_Static_assert(offsetof(struct ipc3_ctrl_data, buffer) == 28, "ctrl_data.buffer");
_Static_assert(offsetof(struct ipc3_ctrl_data, num_elems) == 56, "ctrl_data.num_elems");
_Static_assert(offsetof(struct ipc3_ctrl_data, msg_index) == 64, "ctrl_data.msg_index");
_Static_assert(offsetof(struct ipc3_ctrl_data, data) == 92, "ctrl_data.data");

/* ---------------------------------------------------------------------------------------- */
/* Power management                                                                          */

struct ipc3_pm_ctx {
	struct ipc3_cmd_hdr hdr;
	struct ipc3_host_buffer buffer;
	uint32_t num_elems;
	uint32_t size;
	uint32_t reserved[8];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_pm_ctx, 76);

struct ipc3_pm_core_config {
	struct ipc3_cmd_hdr hdr;
	uint32_t enable_mask;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_pm_core_config, 12);

struct ipc3_pm_gate {
	struct ipc3_cmd_hdr hdr;
	uint32_t flags;
	uint32_t reserved[5];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_pm_gate, 32);

/* 2020 VFE power status: request and reply. */
struct ipc3_vfe_power_status {
	struct ipc3_cmd_hdr hdr;	/* cmd = IPC3_PM_VFE_POWER_STATUS */
	uint32_t power;			/* IPC3_VFE_POWER_ON / _OFF */
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_vfe_power_status, 12);

struct ipc3_vfe_power_status_reply {
	struct ipc3_reply rhdr;
	uint32_t reset_status;		/* IPC3_VFE_TOPOLOGY_KEPT / _RESET */
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct ipc3_vfe_power_status_reply, 16);

/* Offsets past the common 64-byte component head that the codec and tests rely on. */
_Static_assert(offsetof(struct ipc3_comp, ext_data_length) == 24, "comp.ext_data_length");
_Static_assert(offsetof(struct ipc3_comp_config, frame_fmt) == 20, "comp_config.frame_fmt");
_Static_assert(offsetof(struct ipc3_comp_config, xrun_action) == 24, "comp_config.xrun_action");
_Static_assert(offsetof(struct ipc3_comp_host, direction) == 64, "comp_host.direction");
_Static_assert(offsetof(struct ipc3_comp_dai, type) == 72, "comp_dai.type");
_Static_assert(offsetof(struct ipc3_comp_volume, initial_ramp) == 80, "comp_volume.initial_ramp");
_Static_assert(offsetof(struct ipc3_comp_src, rate_mask) == 72, "comp_src.rate_mask");
_Static_assert(offsetof(struct ipc3_comp_process, type) == 68, "comp_process.type");
_Static_assert(offsetof(struct ipc3_comp_process, data) == 100, "comp_process.data");
_Static_assert(offsetof(struct ipc3_buffer, caps) == 32, "buffer.caps");
_Static_assert(offsetof(struct ipc3_pipe_new, period) == 24, "pipe_new.period");
_Static_assert(offsetof(struct ipc3_pipe_new, time_domain) == 44, "pipe_new.time_domain");

/* ---------------------------------------------------------------------------------------- */
/* Names (ipc3-names.c)                                                                      */

/**
 * ipc3_cmd_name() - name of a command, such as "TPLG_COMP_NEW"
 * @cmd: command word; its id field is ignored
 *
 * Return: a static string; "UNKNOWN" for commands this header does not define.
 */
const char *ipc3_cmd_name(uint32_t cmd);

/**
 * ipc3_comp_type_name() - name of a component type, such as "volume"
 * @type: enum ipc3_comp_type
 *
 * Return: a static string; "unknown" for other values.
 */
const char *ipc3_comp_type_name(uint32_t type);

#endif /* VADSP_IPC_IPC3_H */
