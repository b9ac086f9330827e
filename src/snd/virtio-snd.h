/* SPDX-License-Identifier: MIT */
/*
 * VIRTIO sound device wire format (VIRTIO 1.2 5.14, 1.3 control elements, 1.4 rates).
 *
 * All fields are little-endian; structures are packed and their sizes asserted.
 */
#ifndef VADSP_SND_VIRTIO_SND_H
#define VADSP_SND_VIRTIO_SND_H

#include <stddef.h>
#include <stdint.h>

#include "util/compiler.h"

#define VIRTIO_ID_SOUND			25

/* Queues, in this fixed order. */
enum vsnd_queue {
	VSND_VQ_CONTROL = 0,
	VSND_VQ_EVENT = 1,
	VSND_VQ_TX = 2,
	VSND_VQ_RX = 3,
	VSND_VQ_NUM = 4,
};

/* Device feature bits. */
#define VIRTIO_SND_F_CTLS		0

struct vsnd_config {
	uint32_t jacks;
	uint32_t streams;
	uint32_t chmaps;
	uint32_t controls;		/* valid only with VIRTIO_SND_F_CTLS */
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_config, 16);
#define VSND_CONFIG_SIZE_NO_CTLS	12

/* Request and event codes. */
enum vsnd_code {
	VIRTIO_SND_R_JACK_INFO = 1,
	VIRTIO_SND_R_JACK_REMAP = 2,

	VIRTIO_SND_R_PCM_INFO = 0x0100,
	VIRTIO_SND_R_PCM_SET_PARAMS = 0x0101,
	VIRTIO_SND_R_PCM_PREPARE = 0x0102,
	VIRTIO_SND_R_PCM_RELEASE = 0x0103,
	VIRTIO_SND_R_PCM_START = 0x0104,
	VIRTIO_SND_R_PCM_STOP = 0x0105,

	VIRTIO_SND_R_CHMAP_INFO = 0x0200,

	VIRTIO_SND_R_CTL_INFO = 0x0300,
	VIRTIO_SND_R_CTL_ENUM_ITEMS = 0x0301,
	VIRTIO_SND_R_CTL_READ = 0x0302,
	VIRTIO_SND_R_CTL_WRITE = 0x0303,
	VIRTIO_SND_R_CTL_TLV_READ = 0x0304,
	VIRTIO_SND_R_CTL_TLV_WRITE = 0x0305,
	VIRTIO_SND_R_CTL_TLV_COMMAND = 0x0306,

	VIRTIO_SND_EVT_JACK_CONNECTED = 0x1000,
	VIRTIO_SND_EVT_JACK_DISCONNECTED = 0x1001,
	VIRTIO_SND_EVT_PCM_PERIOD_ELAPSED = 0x1100,
	VIRTIO_SND_EVT_PCM_XRUN = 0x1101,
	VIRTIO_SND_EVT_CTL_NOTIFY = 0x1200,

	VIRTIO_SND_S_OK = 0x8000,
	VIRTIO_SND_S_BAD_MSG = 0x8001,
	VIRTIO_SND_S_NOT_SUPP = 0x8002,
	VIRTIO_SND_S_IO_ERR = 0x8003,
};

enum vsnd_direction {
	VIRTIO_SND_D_OUTPUT = 0,
	VIRTIO_SND_D_INPUT = 1,
};

struct vsnd_hdr {
	uint32_t code;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_hdr, 4);

struct vsnd_event {
	struct vsnd_hdr hdr;
	uint32_t data;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_event, 8);

struct vsnd_query_info {
	struct vsnd_hdr hdr;
	uint32_t start_id;
	uint32_t count;
	uint32_t size;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_query_info, 16);

struct vsnd_info {
	uint32_t hda_fn_nid;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_info, 4);

/* Jacks */
#define VIRTIO_SND_JACK_F_REMAP		0

struct vsnd_jack_hdr {
	struct vsnd_hdr hdr;
	uint32_t jack_id;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_jack_hdr, 8);

struct vsnd_jack_info {
	struct vsnd_info hdr;
	uint32_t features;
	uint32_t hda_reg_defconf;
	uint32_t hda_reg_caps;
	uint8_t connected;
	uint8_t padding[7];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_jack_info, 24);

struct vsnd_jack_remap {
	struct vsnd_jack_hdr hdr;
	uint32_t association;
	uint32_t sequence;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_jack_remap, 16);

/* PCM streams */
enum vsnd_pcm_feature {
	VIRTIO_SND_PCM_F_SHMEM_HOST = 0,
	VIRTIO_SND_PCM_F_SHMEM_GUEST = 1,
	VIRTIO_SND_PCM_F_MSG_POLLING = 2,
	VIRTIO_SND_PCM_F_EVT_SHMEM_PERIODS = 3,
	VIRTIO_SND_PCM_F_EVT_XRUNS = 4,
};

enum vsnd_pcm_format {
	VIRTIO_SND_PCM_FMT_IMA_ADPCM = 0,
	VIRTIO_SND_PCM_FMT_MU_LAW,
	VIRTIO_SND_PCM_FMT_A_LAW,
	VIRTIO_SND_PCM_FMT_S8,
	VIRTIO_SND_PCM_FMT_U8,
	VIRTIO_SND_PCM_FMT_S16,
	VIRTIO_SND_PCM_FMT_U16,
	VIRTIO_SND_PCM_FMT_S18_3,
	VIRTIO_SND_PCM_FMT_U18_3,
	VIRTIO_SND_PCM_FMT_S20_3,
	VIRTIO_SND_PCM_FMT_U20_3,
	VIRTIO_SND_PCM_FMT_S24_3,
	VIRTIO_SND_PCM_FMT_U24_3,
	VIRTIO_SND_PCM_FMT_S20,
	VIRTIO_SND_PCM_FMT_U20,
	VIRTIO_SND_PCM_FMT_S24,
	VIRTIO_SND_PCM_FMT_U24,
	VIRTIO_SND_PCM_FMT_S32,
	VIRTIO_SND_PCM_FMT_U32,
	VIRTIO_SND_PCM_FMT_FLOAT,
	VIRTIO_SND_PCM_FMT_FLOAT64,
	VIRTIO_SND_PCM_FMT_DSD_U8,
	VIRTIO_SND_PCM_FMT_DSD_U16,
	VIRTIO_SND_PCM_FMT_DSD_U32,
	VIRTIO_SND_PCM_FMT_IEC958_SUBFRAME,
	VIRTIO_SND_PCM_FMT_COUNT,
};
_Static_assert(VIRTIO_SND_PCM_FMT_IEC958_SUBFRAME == 24, "format numbering");

enum vsnd_pcm_rate {
	VIRTIO_SND_PCM_RATE_5512 = 0,
	VIRTIO_SND_PCM_RATE_8000,
	VIRTIO_SND_PCM_RATE_11025,
	VIRTIO_SND_PCM_RATE_16000,
	VIRTIO_SND_PCM_RATE_22050,
	VIRTIO_SND_PCM_RATE_32000,
	VIRTIO_SND_PCM_RATE_44100,
	VIRTIO_SND_PCM_RATE_48000,
	VIRTIO_SND_PCM_RATE_64000,
	VIRTIO_SND_PCM_RATE_88200,
	VIRTIO_SND_PCM_RATE_96000,
	VIRTIO_SND_PCM_RATE_176400,
	VIRTIO_SND_PCM_RATE_192000,
	VIRTIO_SND_PCM_RATE_384000,
	VIRTIO_SND_PCM_RATE_12000,	/* VIRTIO 1.4 */
	VIRTIO_SND_PCM_RATE_24000,	/* VIRTIO 1.4 */
	VIRTIO_SND_PCM_RATE_COUNT,
};
_Static_assert(VIRTIO_SND_PCM_RATE_24000 == 15, "rate numbering");

struct vsnd_pcm_info {
	struct vsnd_info hdr;
	uint32_t features;
	uint64_t formats;
	uint64_t rates;
	uint8_t direction;
	uint8_t channels_min;
	uint8_t channels_max;
	uint8_t padding[5];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_pcm_info, 32);

struct vsnd_pcm_hdr {
	struct vsnd_hdr hdr;
	uint32_t stream_id;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_pcm_hdr, 8);

struct vsnd_pcm_set_params {
	struct vsnd_pcm_hdr hdr;
	uint32_t buffer_bytes;
	uint32_t period_bytes;
	uint32_t features;
	uint8_t channels;
	uint8_t format;
	uint8_t rate;
	uint8_t padding;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_pcm_set_params, 24);

/* I/O messages on txq/rxq: xfer header, data, then status. */
struct vsnd_pcm_xfer {
	uint32_t stream_id;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_pcm_xfer, 4);

struct vsnd_pcm_status {
	uint32_t status;
	uint32_t latency_bytes;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_pcm_status, 8);

/* Channel maps */
#define VIRTIO_SND_CHMAP_MAX_SIZE	18

enum vsnd_chmap_position {
	VIRTIO_SND_CHMAP_NONE = 0,
	VIRTIO_SND_CHMAP_NA,
	VIRTIO_SND_CHMAP_MONO,
	VIRTIO_SND_CHMAP_FL,
	VIRTIO_SND_CHMAP_FR,
	VIRTIO_SND_CHMAP_RL,
	VIRTIO_SND_CHMAP_RR,
	VIRTIO_SND_CHMAP_FC,
	VIRTIO_SND_CHMAP_LFE,
	VIRTIO_SND_CHMAP_SL,
	VIRTIO_SND_CHMAP_SR,
	VIRTIO_SND_CHMAP_RC,
	VIRTIO_SND_CHMAP_FLC,
	VIRTIO_SND_CHMAP_FRC,
	VIRTIO_SND_CHMAP_RLC,
	VIRTIO_SND_CHMAP_RRC,
	VIRTIO_SND_CHMAP_FLW,
	VIRTIO_SND_CHMAP_FRW,
	VIRTIO_SND_CHMAP_FLH,
	VIRTIO_SND_CHMAP_FCH,
	VIRTIO_SND_CHMAP_FRH,
	VIRTIO_SND_CHMAP_TC,
	VIRTIO_SND_CHMAP_TFL,
	VIRTIO_SND_CHMAP_TFR,
	VIRTIO_SND_CHMAP_TFC,
	VIRTIO_SND_CHMAP_TRL,
	VIRTIO_SND_CHMAP_TRR,
	VIRTIO_SND_CHMAP_TRC,
	VIRTIO_SND_CHMAP_TFLC,
	VIRTIO_SND_CHMAP_TFRC,
	VIRTIO_SND_CHMAP_TSL,
	VIRTIO_SND_CHMAP_TSR,
	VIRTIO_SND_CHMAP_LLFE,
	VIRTIO_SND_CHMAP_RLFE,
	VIRTIO_SND_CHMAP_BC,
	VIRTIO_SND_CHMAP_BLC,
	VIRTIO_SND_CHMAP_BRC,
};
_Static_assert(VIRTIO_SND_CHMAP_BRC == 36, "chmap numbering");

struct vsnd_chmap_info {
	struct vsnd_info hdr;
	uint8_t direction;
	uint8_t channels;
	uint8_t positions[VIRTIO_SND_CHMAP_MAX_SIZE];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_chmap_info, 24);

/* Control elements (VIRTIO 1.3) */
enum vsnd_ctl_role {
	VIRTIO_SND_CTL_ROLE_UNDEFINED = 0,
	VIRTIO_SND_CTL_ROLE_VOLUME,
	VIRTIO_SND_CTL_ROLE_MUTE,
	VIRTIO_SND_CTL_ROLE_GAIN,
};

enum vsnd_ctl_type {
	VIRTIO_SND_CTL_TYPE_BOOLEAN = 0,
	VIRTIO_SND_CTL_TYPE_INTEGER,
	VIRTIO_SND_CTL_TYPE_INTEGER64,
	VIRTIO_SND_CTL_TYPE_ENUMERATED,
	VIRTIO_SND_CTL_TYPE_BYTES,
	VIRTIO_SND_CTL_TYPE_IEC958,
};

enum vsnd_ctl_access {
	VIRTIO_SND_CTL_ACCESS_READ = 0,
	VIRTIO_SND_CTL_ACCESS_WRITE,
	VIRTIO_SND_CTL_ACCESS_VOLATILE,
	VIRTIO_SND_CTL_ACCESS_INACTIVE,
	VIRTIO_SND_CTL_ACCESS_TLV_READ,
	VIRTIO_SND_CTL_ACCESS_TLV_WRITE,
	VIRTIO_SND_CTL_ACCESS_TLV_COMMAND,
};

#define VIRTIO_SND_CTL_NAME_SIZE	44
#define VIRTIO_SND_CTL_VALUE_SIZE	512
#define VIRTIO_SND_CTL_ENUM_ITEM_SIZE	64
#define VIRTIO_SND_CTL_TLV_MAX		65536

struct vsnd_ctl_hdr {
	struct vsnd_hdr hdr;
	uint32_t control_id;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_ctl_hdr, 8);

struct vsnd_ctl_info {
	struct vsnd_info hdr;
	uint32_t role;
	uint32_t type;
	uint32_t access;
	uint32_t count;
	uint32_t index;
	uint8_t name[VIRTIO_SND_CTL_NAME_SIZE];
	uint8_t padding[4];		/* the union is 8-byte aligned: it starts at 72 */
	union {
		struct {
			uint32_t min;
			uint32_t max;
			uint32_t step;
		} VADSP_PACKED integer;
		struct {
			uint64_t min;
			uint64_t max;
			uint64_t step;
		} VADSP_PACKED integer64;
		struct {
			uint32_t items;
		} VADSP_PACKED enumerated;
	} VADSP_PACKED value;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_ctl_info, 96);
_Static_assert(offsetof(struct vsnd_ctl_info, value) == 72, "ctl_info value offset");

struct vsnd_ctl_value {
	uint8_t bytes[VIRTIO_SND_CTL_VALUE_SIZE];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_ctl_value, 512);

struct vsnd_ctl_enum_item {
	uint8_t item[VIRTIO_SND_CTL_ENUM_ITEM_SIZE];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_ctl_enum_item, 64);

enum vsnd_ctl_evt_mask {
	VIRTIO_SND_CTL_EVT_MASK_VALUE = 0,
	VIRTIO_SND_CTL_EVT_MASK_INFO,
	VIRTIO_SND_CTL_EVT_MASK_TLV,
};

struct vsnd_ctl_event {
	struct vsnd_hdr hdr;
	uint16_t control_id;
	uint16_t mask;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vsnd_ctl_event, 8);

#endif /* VADSP_SND_VIRTIO_SND_H */
