/* SPDX-License-Identifier: MIT */
/*
 * ALSA/SOF topology files, parsed.
 *
 * tplg_parse() reads a .tplg binary (ASoC ABI 4 or 5) into a struct tplg: every block in
 * file order, the manifest with the SOF ABI it names, widgets in load order with their
 * vendor tuples loaded into typed token groups and their kcontrols, the DAPM graph with
 * each route resolved to widget indexes, PCMs with stream caps, DAI links and DAIs. The
 * parser copies the file once; every pointer in the result points into that copy or into
 * arrays the result owns, so the caller's buffer may be freed at once.
 *
 * The manifest's element counts must match the blocks (all real files agree, and the check
 * catches a file cut at a block boundary).
 *
 * A malformed file is rejected, never half loaded: the first problem found is described
 * in a struct tplg_error that names the block (0-based number and type), the block's file
 * offset, the element and field, and the offset of the offending bytes.
 *
 * Numbering: widget i (0-based, load order over all widget blocks) is the component id
 * the Linux SOF driver gives it; a widget's @index is its block's index, which SOF uses as
 * the pipeline id.
 *
 * ABI 4: blocks with abi 4 or 5 are accepted. As in Linux until it dropped ABI 4, the
 * manifest, PCM and link-config layouts are told apart by each element's own size field
 * (manifest 28 / 112, PCM 892 / 912, link config 588 / 1656); the older layouts are
 * converted (missing fields read as 0, no private data). Any other size is rejected.
 */
#ifndef VADSP_TPLG_TPLG_H
#define VADSP_TPLG_TPLG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tplg/tokens.h"
#include "tplg/wire.h"

/* Largest file tplg_load_file() reads. */
#define TPLG_MAX_FILE_SIZE	(64u << 20)

/**
 * struct tplg_error - why a file was rejected
 * @msg: one line, e.g. "block 2 (DAPM_WIDGET) at offset 1955: widget 1 'PGA2.0':
 *       num_kcontrols 7 exceeds payload (...)"
 * @block: 0-based number of the block (for a route naming a missing widget: the route's
 *         block; for manifest counts that do not match: the manifest's), or -1 when the
 *         problem is not inside one (an empty or unreadable file)
 * @block_type: that block's type (0 if none)
 * @block_offset: that block's file offset
 * @offset: file offset of the offending bytes
 */
struct tplg_error {
	char msg[512];
	int32_t block;
	uint32_t block_type;
	size_t block_offset;
	size_t offset;
};

/**
 * struct tplg_block - one block header, in file order
 * @type: enum tplg_block_type (vendor types 1000-1003 are kept opaque)
 * @abi: ASoC ABI of the block header (4 or 5)
 * @version: vendor version word
 * @vendor_type: vendor type word
 * @index: block index (pipeline id for widgets and graph)
 * @count: number of elements
 * @offset: file offset of the header
 * @payload: the payload bytes (inside the topology's copy of the file)
 * @payload_offset: file offset of the payload
 * @payload_size: payload length
 */
struct tplg_block {
	uint32_t type;
	uint32_t abi;
	uint32_t version;
	uint32_t vendor_type;
	uint32_t index;
	uint32_t count;
	uint32_t offset;
	const uint8_t *payload;
	uint32_t payload_offset;
	uint32_t payload_size;
};

/**
 * struct tplg_manifest - the MANIFEST block
 * @present: the file has one
 * @layout_abi: 4 or 5, from the element's size
 * @control_elems: controls the file declares (widget controls included); like every count
 *                 here it must match what the blocks hold, or the file is rejected
 * @widget_elems: see @control_elems
 * @graph_elems: see @control_elems
 * @pcm_elems: see @control_elems
 * @dai_link_elems: see @control_elems
 * @dai_elems: see @control_elems (0 in ABI 4)
 * @priv: private data (opaque)
 * @has_sof_abi: @priv is exactly 3 bytes, read as the SOF ABI
 * @sof_abi_major: SOF ABI major (3 in firmware-sof-signed 2.2.4)
 * @sof_abi_minor: SOF ABI minor
 * @sof_abi_patch: SOF ABI patch
 * @block: number of the block
 */
struct tplg_manifest {
	bool present;
	uint32_t layout_abi;
	uint32_t control_elems;
	uint32_t widget_elems;
	uint32_t graph_elems;
	uint32_t pcm_elems;
	uint32_t dai_link_elems;
	uint32_t dai_elems;
	struct tplg_priv priv;
	bool has_sof_abi;
	uint8_t sof_abi_major;
	uint8_t sof_abi_minor;
	uint8_t sof_abi_patch;
	uint32_t block;
};

/* Operations ids of a control (standard ALSA ids 1-8, 64-68 or SOF ids 256-259). */
struct tplg_io_ops {
	uint32_t get;
	uint32_t put;
	uint32_t info;
};

/**
 * struct tplg_tlv - a control's TLV
 * @size: size word as written
 * @type: TLV type (TPLG_TLV_DB_SCALE = 1 for a dB scale)
 * @data: the 32 data words
 * @db_scale: the control has a dB scale: access has TLV_READ and @type is DB_SCALE
 * @db_min: dB scale minimum, 0.01 dB (e.g. -6400 = -64.00 dB)
 * @db_step: dB per step, 0.01 dB
 * @db_mute: the minimum value mutes
 */
struct tplg_tlv {
	uint32_t size;
	uint32_t type;
	uint32_t data[TPLG_TLV_WORDS];
	bool db_scale;
	int32_t db_min;
	int32_t db_step;
	bool db_mute;
};

/* One channel of a mixer or enum control. */
struct tplg_channel {
	uint32_t reg;
	uint32_t shift;
	uint32_t id;		/* channel position (SNDRV_CHMAP_*: FL 3, FR 4...) */
};

struct tplg_mixer {
	uint32_t min;
	uint32_t max;
	uint32_t platform_max;
	uint32_t invert;
	uint32_t num_channels;	/* at most TPLG_MAX_CHAN */
	struct tplg_channel channel[TPLG_MAX_CHAN];
	struct tplg_led_tokens led;
};

struct tplg_enum {
	uint32_t num_channels;	/* at most TPLG_MAX_CHAN */
	struct tplg_channel channel[TPLG_MAX_CHAN];
	uint32_t items;		/* at most TPLG_NUM_TEXTS */
	uint32_t mask;
	uint32_t count;
	char texts[TPLG_NUM_TEXTS][TPLG_NAME_LEN];	/* the first @items are valid */
	uint32_t values[TPLG_NUM_TEXTS];		/* the first @items are valid */
};

struct tplg_bytes {
	uint32_t max;		/* largest blob the control accepts */
	uint32_t mask;
	uint32_t base;
	uint32_t num_regs;
	struct tplg_io_ops ext_ops;
};

/**
 * struct tplg_kcontrol - a control, either in a widget or in a MIXER/ENUM/BYTES block
 * @type: TPLG_BLOCK_MIXER, TPLG_BLOCK_ENUM or TPLG_BLOCK_BYTES: which of @mixer, @enm,
 *        @bytes is valid
 * @name: control name
 * @access: ALSA access bits (TPLG_ACCESS_*)
 * @ops: get/put/info ids
 * @tlv: TLV (dB scale)
 * @mixer: mixer fields
 * @enm: enum fields
 * @bytes: bytes fields
 * @priv: private data; tuples for mixers and enums, an opaque blob for bytes controls (SOF
 *        puts a 32-byte sof_abi_hdr and the component's initial data there)
 * @widget: index of the owning widget in tplg.widgets, or -1 for a control block
 * @index: block index
 * @block: number of the block
 * @offset: file offset of the control
 */
struct tplg_kcontrol {
	uint32_t type;
	char name[TPLG_NAME_LEN];
	uint32_t access;
	struct tplg_io_ops ops;
	struct tplg_tlv tlv;
	struct tplg_mixer mixer;
	struct tplg_enum enm;
	struct tplg_bytes bytes;
	struct tplg_priv priv;
	int32_t widget;
	uint32_t index;
	uint32_t block;
	uint32_t offset;
};

/**
 * struct tplg_widget - a DAPM widget
 * @id: enum tplg_dapm_id
 * @name: widget name (unique within the file for SOF topologies)
 * @sname: stream name (for a scheduler: the widget that drives the pipeline; for aif
 *         widgets: the PCM stream it serves)
 * @reg: register (-1 = none)
 * @shift: see @reg
 * @mask: see @reg
 * @subseq: sort order
 * @invert: invert the power bit
 * @ignore_suspend: kept on over suspend
 * @event_flags: DAPM event flags
 * @event_type: DAPM event type
 * @priv: private data (tuples)
 * @tokens: the tuples loaded into typed token groups
 * @kcontrols: the widget's controls (inside tplg.kcontrols)
 * @num_kcontrols: number of @kcontrols
 * @index: block index: the pipeline id
 * @block: number of the block
 * @offset: file offset of the widget
 */
struct tplg_widget {
	uint32_t id;
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
	struct tplg_priv priv;
	struct tplg_widget_tokens tokens;
	struct tplg_kcontrol *kcontrols;
	uint32_t num_kcontrols;
	uint32_t index;
	uint32_t block;
	uint32_t offset;
};

/**
 * struct tplg_route - one DAPM graph element: audio flows from @source to @sink
 * @sink: sink widget name
 * @control: control name, empty if none
 * @source: source widget name
 * @sink_widget: index of the sink in tplg.widgets
 * @source_widget: index of the source in tplg.widgets
 * @index: block index (pipeline id)
 * @block: number of the block
 * @offset: file offset of the element
 *
 * Names are resolved after the whole file is read, preferring a widget of the same
 * index; a name that matches no widget rejects the file.
 */
struct tplg_route {
	char sink[TPLG_NAME_LEN];
	char control[TPLG_NAME_LEN];
	char source[TPLG_NAME_LEN];
	uint32_t sink_widget;
	uint32_t source_widget;
	uint32_t index;
	uint32_t block;
	uint32_t offset;
};

/* Stream capabilities (a PCM's or DAI's playback or capture direction). */
struct tplg_stream_caps {
	char name[TPLG_NAME_LEN];
	uint64_t formats;	/* SNDRV_PCM_FMTBIT_*: S16_LE bit 2, S24_LE bit 6, S32_LE bit 10... */
	uint32_t rates;		/* SNDRV_PCM_RATE_* */
	uint32_t rate_min;
	uint32_t rate_max;
	uint32_t channels_min;
	uint32_t channels_max;
	uint32_t periods_min;
	uint32_t periods_max;
	uint32_t period_size_min;	/* bytes */
	uint32_t period_size_max;
	uint32_t buffer_size_min;
	uint32_t buffer_size_max;
	uint32_t sig_bits;	/* 0 in ABI 4 */
};

/* A stream configuration (PCM or link). */
struct tplg_stream {
	char name[TPLG_NAME_LEN];
	uint64_t format;
	uint32_t rate;
	uint32_t period_bytes;
	uint32_t buffer_bytes;
	uint32_t channels;
};

/**
 * struct tplg_pcm - a front-end PCM (what ALSA shows as a PCM device)
 * @pcm_name: PCM name
 * @dai_name: front-end DAI name
 * @pcm_id: PCM id (the device number)
 * @dai_id: DAI id
 * @playback: has a playback stream
 * @capture: has a capture stream
 * @compress: compressed stream
 * @streams: stream configurations
 * @num_streams: number of @streams (at most TPLG_STREAM_CONFIG_MAX)
 * @caps: capabilities, [0] playback and [1] capture; caps[dir].name is the stream name
 *        that the aif widget serving that direction has as its sname
 * @flag_mask: which @flags are set
 * @flags: TPLG link flags
 * @priv: private data (tuples)
 * @tokens: stream tokens
 * @layout_abi: 4 or 5, from the element's size
 * @index: block index
 * @block: number of the block
 * @offset: file offset
 */
struct tplg_pcm {
	char pcm_name[TPLG_NAME_LEN];
	char dai_name[TPLG_NAME_LEN];
	uint32_t pcm_id;
	uint32_t dai_id;
	bool playback;
	bool capture;
	bool compress;
	struct tplg_stream streams[TPLG_STREAM_CONFIG_MAX];
	uint32_t num_streams;
	struct tplg_stream_caps caps[2];
	uint32_t flag_mask;
	uint32_t flags;
	struct tplg_priv priv;
	struct tplg_stream_tokens tokens;
	uint32_t layout_abi;
	uint32_t index;
	uint32_t block;
	uint32_t offset;
};

/* A physical link's hardware configuration (DAI format and clocks). */
struct tplg_hw_config {
	uint32_t id;
	uint32_t fmt;		/* I2S 1, RIGHT_J 2, LEFT_J 3, DSP_A 4, DSP_B 5, AC97 6, PDM 7 */
	uint8_t clock_gated;
	uint8_t invert_bclk;
	uint8_t invert_fsync;
	uint8_t bclk_provider;
	uint8_t fsync_provider;
	uint8_t mclk_direction;
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
};

/**
 * struct tplg_link - a DAI link (DAI_LINK, BACKEND_LINK or CODEC_LINK block element)
 * @type: the block type it came from
 * @id: link id
 * @name: link name (for a back end: the DAI link the SOF driver configures)
 * @stream_name: stream name
 * @streams: stream configurations
 * @num_streams: number of @streams
 * @hw_configs: hardware configurations
 * @num_hw_configs: number of @hw_configs (at most TPLG_HW_CONFIG_MAX)
 * @default_hw_config_id: the hw config id used at init
 * @flag_mask: which @flags are set
 * @flags: link flags
 * @priv: private data (tuples)
 * @tokens: DAI tokens: type, index, and the type's own group (SSP, DMIC...)
 * @layout_abi: 4 or 5, from the element's size
 * @index: block index
 * @block: number of the block
 * @offset: file offset
 */
struct tplg_link {
	uint32_t type;
	uint32_t id;
	char name[TPLG_NAME_LEN];
	char stream_name[TPLG_NAME_LEN];
	struct tplg_stream streams[TPLG_STREAM_CONFIG_MAX];
	uint32_t num_streams;
	struct tplg_hw_config hw_configs[TPLG_HW_CONFIG_MAX];
	uint32_t num_hw_configs;
	uint32_t default_hw_config_id;
	uint32_t flag_mask;
	uint32_t flags;
	struct tplg_priv priv;
	struct tplg_link_tokens tokens;
	uint32_t layout_abi;
	uint32_t index;
	uint32_t block;
	uint32_t offset;
};

/**
 * struct tplg_dai - a physical DAI (DAI block element)
 * @dai_name: DAI name
 * @dai_id: DAI id
 * @playback: supports playback
 * @capture: supports capture
 * @caps: [0] playback, [1] capture
 * @flag_mask: which @flags are set
 * @flags: DAI flags
 * @priv: private data (tuples, not loaded into any group)
 * @index: block index
 * @block: number of the block
 * @offset: file offset
 */
struct tplg_dai {
	char dai_name[TPLG_NAME_LEN];
	uint32_t dai_id;
	bool playback;
	bool capture;
	struct tplg_stream_caps caps[2];
	uint32_t flag_mask;
	uint32_t flags;
	struct tplg_priv priv;
	uint32_t index;
	uint32_t block;
	uint32_t offset;
};

/**
 * struct tplg - a parsed topology file
 * @data: the topology's own copy of the file
 * @size: its length
 * @manifest: the manifest
 * @blocks: every block, in file order
 * @num_blocks: number of @blocks
 * @widgets: widgets in load order
 * @num_widgets: number of @widgets
 * @kcontrols: every control in load order: widget controls and control blocks
 * @num_kcontrols: number of @kcontrols
 * @routes: graph routes in file order
 * @num_routes: number of @routes
 * @pcms: PCMs
 * @num_pcms: number of @pcms
 * @links: DAI links of all three link block types
 * @num_links: number of @links
 * @dais: physical DAIs
 * @num_dais: number of @dais
 * @num_tuples: vendor tuples read, over all private data
 * @num_unknown_tuples: tuples that no token table consumed
 */
struct tplg {
	uint8_t *data;
	size_t size;
	struct tplg_manifest manifest;
	struct tplg_block *blocks;
	uint32_t num_blocks;
	struct tplg_widget *widgets;
	uint32_t num_widgets;
	struct tplg_kcontrol *kcontrols;
	uint32_t num_kcontrols;
	struct tplg_route *routes;
	uint32_t num_routes;
	struct tplg_pcm *pcms;
	uint32_t num_pcms;
	struct tplg_link *links;
	uint32_t num_links;
	struct tplg_dai *dais;
	uint32_t num_dais;
	uint32_t num_tuples;
	uint32_t num_unknown_tuples;
};

/**
 * tplg_parse() - parse a topology binary
 * @data: the file contents
 * @size: their length
 * @out: receives the topology (free with tplg_free()); untouched on failure
 * @err: receives the reason on failure; may be NULL
 *
 * Return: 0; -EINVAL for a malformed file (with @err filled in); -ENOMEM.
 */
int tplg_parse(const void *data, size_t size, struct tplg **out, struct tplg_error *err);

/**
 * tplg_load_file() - read and parse a topology file
 * @path: file name
 * @out: receives the topology (free with tplg_free())
 * @err: receives the reason on failure; may be NULL
 *
 * Return: 0; -errno from opening or reading the file (or -EFBIG above
 * TPLG_MAX_FILE_SIZE) with @err naming the file; or tplg_parse()'s errors.
 */
int tplg_load_file(const char *path, struct tplg **out, struct tplg_error *err);

/**
 * tplg_free() - free a topology
 * @t: topology, or NULL
 */
void tplg_free(struct tplg *t);

/**
 * tplg_find_widget() - look up a widget by name
 * @t: topology
 * @name: widget name
 * @index: preferred block index (pipeline): a widget with this index wins over one with
 *         the same name elsewhere
 *
 * Return: the widget's index in @t->widgets, or -ENOENT.
 */
int tplg_find_widget(const struct tplg *t, const char *name, uint32_t index);

/**
 * tplg_block_type_name() - "MIXER", "DAPM_WIDGET", "VENDOR_FW"...
 * @type: block type
 *
 * Return: a static name; "UNKNOWN" for other values.
 */
const char *tplg_block_type_name(uint32_t type);

/**
 * tplg_widget_type_name() - "aif_in", "pga", "buffer", "scheduler"...
 * @id: enum tplg_dapm_id
 *
 * Return: a static name; "unknown" for other values.
 */
const char *tplg_widget_type_name(uint32_t id);

/**
 * tplg_tuple_type_name() - "uuid", "string", "bool", "byte", "word", "short"
 * @type: enum tplg_tuple_type
 *
 * Return: a static name; "unknown" for other values.
 */
const char *tplg_tuple_type_name(uint32_t type);

/**
 * tplg_ctl_info_name() - "volsw", "enum", "bytes"... for ctl_hdr.ops.info
 * @info: enum tplg_ctl_info
 *
 * Return: a static name; "unknown" for other values.
 */
const char *tplg_ctl_info_name(uint32_t info);

#endif /* VADSP_TPLG_TPLG_H */
