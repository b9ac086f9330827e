/* SPDX-License-Identifier: MIT */
/*
 * The ALSA topology binary format (.tplg), as it lies on disk.
 *
 * A file is a sequence of blocks. Each block is a 36-byte header followed by payload_size
 * bytes; the next block starts right after, with no padding. A block holds `count` elements
 * of one type (widgets, routes, PCMs...). Many elements end with a private data area
 * {u32 size; u8 data[size]} so their real length is the fixed part plus that size.
 *
 * Everything is little-endian and packed. Fields are declared with their wire width and are
 * read only through the helpers of util/le.h; these structures are overlaid on bytes whose
 * bounds a struct tplg_reader has already checked. ABI 5 is the current layout; the few
 * ABI 4 layouts that differ (manifest, stream caps, PCM, link config) are defined at the end.
 */
#ifndef VADSP_TPLG_WIRE_H
#define VADSP_TPLG_WIRE_H

#include <stdint.h>

#include "util/compiler.h"

#define TPLG_MAGIC		0x41536F43u	/* "CoSA" on disk */
#define TPLG_ABI_V4		4
#define TPLG_ABI_V5		5

#define TPLG_NAME_LEN		44	/* ALSA control element name length, with its NUL */
#define TPLG_MAX_CHAN		8
#define TPLG_NUM_TEXTS		16
#define TPLG_ENUM_VALUES	(TPLG_NUM_TEXTS * TPLG_NAME_LEN / 4)	/* 176 words */
#define TPLG_TLV_WORDS		32
#define TPLG_STREAM_CONFIG_MAX	8
#define TPLG_HW_CONFIG_MAX	8

/* Block types. */
enum tplg_block_type {
	TPLG_BLOCK_MIXER = 1,
	TPLG_BLOCK_BYTES = 2,
	TPLG_BLOCK_ENUM = 3,
	TPLG_BLOCK_DAPM_GRAPH = 4,
	TPLG_BLOCK_DAPM_WIDGET = 5,
	TPLG_BLOCK_DAI_LINK = 6,
	TPLG_BLOCK_PCM = 7,
	TPLG_BLOCK_MANIFEST = 8,
	TPLG_BLOCK_CODEC_LINK = 9,
	TPLG_BLOCK_BACKEND_LINK = 10,
	TPLG_BLOCK_PDATA = 11,
	TPLG_BLOCK_DAI = 12,
	TPLG_BLOCK_VENDOR_FW = 1000,
	TPLG_BLOCK_VENDOR_CONFIG = 1001,
	TPLG_BLOCK_VENDOR_COEFF = 1002,
	TPLG_BLOCK_VENDOR_CODEC = 1003,
};

/* DAPM widget ids. */
enum tplg_dapm_id {
	TPLG_DAPM_INPUT = 0,
	TPLG_DAPM_OUTPUT = 1,
	TPLG_DAPM_MUX = 2,
	TPLG_DAPM_MIXER = 3,
	TPLG_DAPM_PGA = 4,
	TPLG_DAPM_OUT_DRV = 5,
	TPLG_DAPM_ADC = 6,
	TPLG_DAPM_DAC = 7,
	TPLG_DAPM_SWITCH = 8,
	TPLG_DAPM_PRE = 9,
	TPLG_DAPM_POST = 10,
	TPLG_DAPM_AIF_IN = 11,
	TPLG_DAPM_AIF_OUT = 12,
	TPLG_DAPM_DAI_IN = 13,
	TPLG_DAPM_DAI_OUT = 14,
	TPLG_DAPM_DAI_LINK = 15,
	TPLG_DAPM_BUFFER = 16,
	TPLG_DAPM_SCHEDULER = 17,
	TPLG_DAPM_EFFECT = 18,
	TPLG_DAPM_SIGGEN = 19,
	TPLG_DAPM_SRC = 20,
	TPLG_DAPM_ASRC = 21,
	TPLG_DAPM_ENCODER = 22,
	TPLG_DAPM_DECODER = 23,
	TPLG_DAPM_LAST = TPLG_DAPM_DECODER,
};

/* Control info types (ctl_hdr.ops.info). */
enum tplg_ctl_info {
	TPLG_CTL_VOLSW = 1,
	TPLG_CTL_VOLSW_SX = 2,
	TPLG_CTL_VOLSW_XR_SX = 3,
	TPLG_CTL_ENUM = 4,
	TPLG_CTL_BYTES = 5,
	TPLG_CTL_ENUM_VALUE = 6,
	TPLG_CTL_RANGE = 7,
	TPLG_CTL_STROBE = 8,
	TPLG_DAPM_CTL_VOLSW = 64,
	TPLG_DAPM_CTL_ENUM_DOUBLE = 65,
	TPLG_DAPM_CTL_ENUM_VIRT = 66,
	TPLG_DAPM_CTL_ENUM_VALUE = 67,
	TPLG_DAPM_CTL_PIN = 68,
};

/* Vendor tuple types. */
enum tplg_tuple_type {
	TPLG_TUPLE_UUID = 0,
	TPLG_TUPLE_STRING = 1,
	TPLG_TUPLE_BOOL = 2,
	TPLG_TUPLE_BYTE = 3,
	TPLG_TUPLE_WORD = 4,
	TPLG_TUPLE_SHORT = 5,
};

/* ALSA control access bits and TLV types that matter to the parser. */
#define TPLG_ACCESS_READ	0x00000001u
#define TPLG_ACCESS_WRITE	0x00000002u
#define TPLG_ACCESS_VOLATILE	0x00000004u
#define TPLG_ACCESS_TLV_READ	0x00000010u
#define TPLG_ACCESS_TLV_WRITE	0x00000020u
#define TPLG_ACCESS_TLV_CALLBACK 0x10000000u
#define TPLG_TLV_DB_SCALE	1	/* SNDRV_CTL_TLVT_DB_SCALE */

/* Block header: 36 bytes. */
struct tplg_wire_hdr {
	uint32_t magic;
	uint32_t abi;
	uint32_t version;
	uint32_t type;
	uint32_t size;		/* of this header: 36 */
	uint32_t vendor_type;
	uint32_t payload_size;
	uint32_t index;		/* pipeline id for widgets and graph */
	uint32_t count;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_hdr, 36);

/* Vendor array: a 12-byte header then num_elems elements of one tuple type. */
struct tplg_wire_vendor_array {
	uint32_t size;		/* including this header */
	uint32_t type;		/* enum tplg_tuple_type */
	uint32_t num_elems;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_vendor_array, 12);

struct tplg_wire_uuid_elem {
	uint32_t token;
	uint8_t uuid[16];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_uuid_elem, 20);

struct tplg_wire_value_elem {
	uint32_t token;
	uint32_t value;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_value_elem, 8);

struct tplg_wire_string_elem {
	uint32_t token;
	char string[TPLG_NAME_LEN];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_string_elem, 48);

/* The size word that precedes private data; the data follows the element. */
struct tplg_wire_private {
	uint32_t size;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_private, 4);

struct tplg_wire_tlv_dbscale {
	uint32_t min;		/* signed, 0.01 dB */
	uint32_t step;		/* 0.01 dB */
	uint32_t mute;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_tlv_dbscale, 12);

struct tplg_wire_ctl_tlv {
	uint32_t size;
	uint32_t type;
	uint32_t data[TPLG_TLV_WORDS];	/* a dB scale uses the first three words */
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_ctl_tlv, 136);

struct tplg_wire_channel {
	uint32_t size;
	uint32_t reg;
	uint32_t shift;
	uint32_t id;		/* channel position (SNDRV_CHMAP_*) */
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_channel, 16);

struct tplg_wire_io_ops {
	uint32_t get;
	uint32_t put;
	uint32_t info;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_io_ops, 12);

struct tplg_wire_ctl_hdr {
	uint32_t size;		/* of this header: 204 */
	uint32_t type;		/* block type of the control: MIXER, BYTES or ENUM */
	char name[TPLG_NAME_LEN];
	uint32_t access;
	struct tplg_wire_io_ops ops;
	struct tplg_wire_ctl_tlv tlv;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_ctl_hdr, 204);

struct tplg_wire_mixer_control {
	struct tplg_wire_ctl_hdr hdr;
	uint32_t size;		/* of this structure: 360 */
	uint32_t min;
	uint32_t max;
	uint32_t platform_max;
	uint32_t invert;
	uint32_t num_channels;
	struct tplg_wire_channel channel[TPLG_MAX_CHAN];
	struct tplg_wire_private priv;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_mixer_control, 360);

struct tplg_wire_enum_control {
	struct tplg_wire_ctl_hdr hdr;
	uint32_t size;		/* of this structure: 1764 */
	uint32_t num_channels;
	struct tplg_wire_channel channel[TPLG_MAX_CHAN];
	uint32_t items;
	uint32_t mask;
	uint32_t count;
	char texts[TPLG_NUM_TEXTS][TPLG_NAME_LEN];
	uint32_t values[TPLG_ENUM_VALUES];
	struct tplg_wire_private priv;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_enum_control, 1764);

struct tplg_wire_bytes_control {
	struct tplg_wire_ctl_hdr hdr;
	uint32_t size;		/* of this structure: 240 */
	uint32_t max;
	uint32_t mask;
	uint32_t base;
	uint32_t num_regs;
	struct tplg_wire_io_ops ext_ops;
	struct tplg_wire_private priv;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_bytes_control, 240);

struct tplg_wire_graph_elem {
	char sink[TPLG_NAME_LEN];
	char control[TPLG_NAME_LEN];
	char source[TPLG_NAME_LEN];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_graph_elem, 132);

struct tplg_wire_widget {
	uint32_t size;		/* of this structure: 132 */
	uint32_t id;		/* enum tplg_dapm_id */
	char name[TPLG_NAME_LEN];
	char sname[TPLG_NAME_LEN];
	uint32_t reg;
	uint32_t shift;
	uint32_t mask;
	uint32_t subseq;
	uint32_t invert;
	uint32_t ignore_suspend;
	uint16_t event_flags;
	uint16_t event_type;
	uint32_t num_kcontrols;
	struct tplg_wire_private priv;
	/* private data, then num_kcontrols controls */
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_widget, 132);

struct tplg_wire_stream_caps {
	uint32_t size;		/* of this structure: 104 */
	char name[TPLG_NAME_LEN];
	uint64_t formats;	/* SNDRV_PCM_FMTBIT_* */
	uint32_t rates;		/* SNDRV_PCM_RATE_* */
	uint32_t rate_min;
	uint32_t rate_max;
	uint32_t channels_min;
	uint32_t channels_max;
	uint32_t periods_min;
	uint32_t periods_max;
	uint32_t period_size_min;
	uint32_t period_size_max;
	uint32_t buffer_size_min;
	uint32_t buffer_size_max;
	uint32_t sig_bits;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_stream_caps, 104);

struct tplg_wire_stream {
	uint32_t size;		/* of this structure: 72 */
	char name[TPLG_NAME_LEN];
	uint64_t format;
	uint32_t rate;
	uint32_t period_bytes;
	uint32_t buffer_bytes;
	uint32_t channels;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_stream, 72);

struct tplg_wire_hw_config {
	uint32_t size;		/* of this structure: 120 */
	uint32_t id;
	uint32_t fmt;		/* DAI format: I2S 1, RIGHT_J 2, LEFT_J 3, DSP_A 4, DSP_B 5, AC97 6, PDM 7 */
	uint8_t clock_gated;
	uint8_t invert_bclk;
	uint8_t invert_fsync;
	uint8_t bclk_provider;
	uint8_t fsync_provider;
	uint8_t mclk_direction;
	uint16_t reserved;
	uint32_t mclk_rate;
	uint32_t bclk_rate;
	uint32_t fsync_rate;
	uint32_t tdm_slots;
	uint32_t tdm_slot_width;
	uint32_t tx_slots;
	uint32_t rx_slots;
	uint32_t tx_channels;
	uint32_t tx_chanmap[TPLG_MAX_CHAN];
	uint32_t rx_channels;
	uint32_t rx_chanmap[TPLG_MAX_CHAN];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_hw_config, 120);

struct tplg_wire_manifest {
	uint32_t size;		/* of this structure: 112 */
	uint32_t control_elems;
	uint32_t widget_elems;
	uint32_t graph_elems;
	uint32_t pcm_elems;
	uint32_t dai_link_elems;
	uint32_t dai_elems;
	uint32_t reserved[20];
	struct tplg_wire_private priv;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_manifest, 112);

struct tplg_wire_pcm {
	uint32_t size;		/* of this structure: 912 */
	char pcm_name[TPLG_NAME_LEN];
	char dai_name[TPLG_NAME_LEN];
	uint32_t pcm_id;
	uint32_t dai_id;
	uint32_t playback;
	uint32_t capture;
	uint32_t compress;
	struct tplg_wire_stream stream[TPLG_STREAM_CONFIG_MAX];
	uint32_t num_streams;
	struct tplg_wire_stream_caps caps[2];	/* playback, capture */
	uint32_t flag_mask;
	uint32_t flags;
	struct tplg_wire_private priv;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_pcm, 912);

struct tplg_wire_link_config {
	uint32_t size;		/* of this structure: 1656 */
	uint32_t id;
	char name[TPLG_NAME_LEN];
	char stream_name[TPLG_NAME_LEN];
	struct tplg_wire_stream stream[TPLG_STREAM_CONFIG_MAX];
	uint32_t num_streams;
	struct tplg_wire_hw_config hw_config[TPLG_HW_CONFIG_MAX];
	uint32_t num_hw_configs;
	uint32_t default_hw_config_id;
	uint32_t flag_mask;
	uint32_t flags;
	struct tplg_wire_private priv;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_link_config, 1656);

struct tplg_wire_dai {
	uint32_t size;		/* of this structure: 280 */
	char dai_name[TPLG_NAME_LEN];
	uint32_t dai_id;
	uint32_t playback;
	uint32_t capture;
	struct tplg_wire_stream_caps caps[2];
	uint32_t flag_mask;
	uint32_t flags;
	struct tplg_wire_private priv;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_dai, 280);

/*
 * ABI 4 layouts. An element's own size field tells which layout it uses (this is how Linux
 * told them apart until it dropped ABI 4 in 2024): the manifest had no dai_elems and no
 * reserved words, stream caps had no sig_bits, and neither PCMs nor link configs had names,
 * hw configs, flags or private data.
 */
struct tplg_wire_manifest_v4 {
	uint32_t size;		/* 28 */
	uint32_t control_elems;
	uint32_t widget_elems;
	uint32_t graph_elems;
	uint32_t pcm_elems;
	uint32_t dai_link_elems;
	struct tplg_wire_private priv;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_manifest_v4, 28);

struct tplg_wire_stream_caps_v4 {
	uint32_t size;		/* 100 */
	char name[TPLG_NAME_LEN];
	uint64_t formats;
	uint32_t rates;
	uint32_t rate_min;
	uint32_t rate_max;
	uint32_t channels_min;
	uint32_t channels_max;
	uint32_t periods_min;
	uint32_t periods_max;
	uint32_t period_size_min;
	uint32_t period_size_max;
	uint32_t buffer_size_min;
	uint32_t buffer_size_max;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_stream_caps_v4, 100);

struct tplg_wire_pcm_v4 {
	uint32_t size;		/* 892 */
	char pcm_name[TPLG_NAME_LEN];
	char dai_name[TPLG_NAME_LEN];
	uint32_t pcm_id;
	uint32_t dai_id;
	uint32_t playback;
	uint32_t capture;
	uint32_t compress;
	struct tplg_wire_stream stream[TPLG_STREAM_CONFIG_MAX];
	uint32_t num_streams;
	struct tplg_wire_stream_caps_v4 caps[2];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_pcm_v4, 892);

struct tplg_wire_link_config_v4 {
	uint32_t size;		/* 588 */
	uint32_t id;
	struct tplg_wire_stream stream[TPLG_STREAM_CONFIG_MAX];
	uint32_t num_streams;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct tplg_wire_link_config_v4, 588);

#endif /* VADSP_TPLG_WIRE_H */
