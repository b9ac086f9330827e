/* SPDX-License-Identifier: MIT */
/*
 * Vendor tuples (tokens) and the tables that load them into C structures.
 *
 * Private data of widgets, PCMs, links and controls holds vendor arrays of tuples
 * {token, value}. The SOF tokens are grouped (buffer, scheduler, volume...); each group
 * has a table of entries {token, tuple type, offsetof(field), size} that
 * tplg_tokens_load() applies to a struct of that group. A token no table consumes is kept
 * in the object's tuple list and counted, never an error.
 *
 * Value tuples (BOOL, BYTE, SHORT, WORD) are interchangeable, as in the Linux SOF driver:
 * real files carry SCHED_DYNAMIC_PIPELINE as a WORD although it is a boolean. A tuple whose
 * class differs from its entry's (a string where a number is expected) is not loaded.
 */
#ifndef VADSP_TPLG_TOKENS_H
#define VADSP_TPLG_TOKENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tplg/wire.h"

/* SOF tokens (the numbers of the SOF topology ABI). */
#define SOF_TKN_BUF_SIZE			100
#define SOF_TKN_BUF_CAPS			101
#define SOF_TKN_DAI_TYPE			154
#define SOF_TKN_DAI_INDEX			155
#define SOF_TKN_DAI_DIRECTION			156
#define SOF_TKN_SCHED_PERIOD			200
#define SOF_TKN_SCHED_PRIORITY			201
#define SOF_TKN_SCHED_MIPS			202
#define SOF_TKN_SCHED_CORE			203
#define SOF_TKN_SCHED_FRAMES			204
#define SOF_TKN_SCHED_TIME_DOMAIN		205
#define SOF_TKN_SCHED_DYNAMIC_PIPELINE		206
#define SOF_TKN_VOLUME_RAMP_STEP_TYPE		250
#define SOF_TKN_VOLUME_RAMP_STEP_MS		251
#define SOF_TKN_SRC_RATE_IN			300
#define SOF_TKN_SRC_RATE_OUT			301
#define SOF_TKN_ASRC_RATE_IN			320
#define SOF_TKN_ASRC_RATE_OUT			321
#define SOF_TKN_ASRC_ASYNCHRONOUS_MODE		322
#define SOF_TKN_ASRC_OPERATION_MODE		323
#define SOF_TKN_PCM_DMAC_CONFIG			353
#define SOF_TKN_COMP_PERIOD_SINK_COUNT		400
#define SOF_TKN_COMP_PERIOD_SOURCE_COUNT	401
#define SOF_TKN_COMP_FORMAT			402
#define SOF_TKN_COMP_CORE_ID			404
#define SOF_TKN_COMP_UUID			405
#define SOF_TKN_INTEL_SSP_CLKS_CONTROL		500
#define SOF_TKN_INTEL_SSP_MCLK_ID		501
#define SOF_TKN_INTEL_SSP_SAMPLE_BITS		502
#define SOF_TKN_INTEL_SSP_FRAME_PULSE_WIDTH	503
#define SOF_TKN_INTEL_SSP_QUIRKS		504
#define SOF_TKN_INTEL_SSP_TDM_PADDING_PER_SLOT	505
#define SOF_TKN_INTEL_SSP_BCLK_DELAY		506
#define SOF_TKN_INTEL_DMIC_DRIVER_VERSION	600
#define SOF_TKN_INTEL_DMIC_CLK_MIN		601
#define SOF_TKN_INTEL_DMIC_CLK_MAX		602
#define SOF_TKN_INTEL_DMIC_DUTY_MIN		603
#define SOF_TKN_INTEL_DMIC_DUTY_MAX		604
#define SOF_TKN_INTEL_DMIC_NUM_PDM_ACTIVE	605
#define SOF_TKN_INTEL_DMIC_SAMPLE_RATE		608
#define SOF_TKN_INTEL_DMIC_FIFO_WORD_LENGTH	609
#define SOF_TKN_INTEL_DMIC_UNMUTE_RAMP_TIME_MS	610
#define SOF_TKN_INTEL_DMIC_PDM_CTRL_ID		700
#define SOF_TKN_INTEL_DMIC_PDM_MIC_A_ENABLE	701
#define SOF_TKN_INTEL_DMIC_PDM_MIC_B_ENABLE	702
#define SOF_TKN_INTEL_DMIC_PDM_POLARITY_A	703
#define SOF_TKN_INTEL_DMIC_PDM_POLARITY_B	704
#define SOF_TKN_INTEL_DMIC_PDM_CLK_EDGE		705
#define SOF_TKN_INTEL_DMIC_PDM_SKEW		706
#define SOF_TKN_TONE_SAMPLE_RATE		800
#define SOF_TKN_PROCESS_TYPE			900
#define SOF_TKN_IMX_SAI_MCLK_ID			1000
#define SOF_TKN_IMX_ESAI_MCLK_ID		1100
#define SOF_TKN_STREAM_PLAYBACK_COMPATIBLE_D0I3	1200
#define SOF_TKN_STREAM_CAPTURE_COMPATIBLE_D0I3	1201
#define SOF_TKN_MUTE_LED_USE			1300
#define SOF_TKN_MUTE_LED_DIRECTION		1301
#define SOF_TKN_INTEL_ALH_RATE			1400
#define SOF_TKN_INTEL_ALH_CH			1401
#define SOF_TKN_INTEL_HDA_RATE			1500
#define SOF_TKN_INTEL_HDA_CH			1501
#define SOF_TKN_MEDIATEK_AFE_RATE		1600
#define SOF_TKN_MEDIATEK_AFE_CH			1601
#define SOF_TKN_MEDIATEK_AFE_FORMAT		1602
#define SOF_TKN_AMD_ACPI2S_RATE			1700	/* on links; 1700 is MIXER_TYPE on IPC4 widgets */
#define SOF_TKN_AMD_ACPI2S_CH			1701
#define SOF_TKN_AMD_ACPI2S_TDM_MODE		1702
#define SOF_TKN_AMD_ACPDMIC_RATE		1800
#define SOF_TKN_AMD_ACPDMIC_CH			1801

/* SOF kcontrol ids (carried in ctl_hdr.ops get/put and bytes ext_ops). */
#define SOF_TPLG_KCTL_VOL_ID			256
#define SOF_TPLG_KCTL_ENUM_ID			257
#define SOF_TPLG_KCTL_BYTES_ID			258
#define SOF_TPLG_KCTL_SWITCH_ID			259

/*
 * vadsp's own tokens, numbered well away from SOF's. VADSP_TKN_CP_NAME (STRING) names a host
 * connection point: in a host topology on the widget that is the point, in a guest topology
 * on the guest's dai_in/dai_out widget that attaches to it.
 */
#define VADSP_TKN_CP_NAME			16000

/* SOF IPC3 values that token strings convert to. */
enum tplg_frame_fmt {
	TPLG_FRAME_S16_LE = 0,
	TPLG_FRAME_S24_4LE = 1,
	TPLG_FRAME_S32_LE = 2,
	TPLG_FRAME_FLOAT = 3,
};

enum tplg_dai_type {
	TPLG_DAI_NONE = 0,
	TPLG_DAI_SSP = 1,
	TPLG_DAI_DMIC = 2,
	TPLG_DAI_HDA = 3,
	TPLG_DAI_ALH = 4,
	TPLG_DAI_SAI = 5,
	TPLG_DAI_ESAI = 6,
	TPLG_DAI_ACP_BT = 7,
	TPLG_DAI_ACP_SP = 8,
	TPLG_DAI_ACP_DMIC = 9,
	TPLG_DAI_AFE = 10,
	TPLG_DAI_ACP_HS = 11,
};

enum tplg_process_type {
	TPLG_PROCESS_NONE = 0,
	TPLG_PROCESS_EQFIR = 1,
	TPLG_PROCESS_EQIIR = 2,
	TPLG_PROCESS_KEYWORD_DETECT = 3,
	TPLG_PROCESS_KPB = 4,
	TPLG_PROCESS_CHAN_SELECTOR = 5,
	TPLG_PROCESS_MUX = 6,
	TPLG_PROCESS_DEMUX = 7,
	TPLG_PROCESS_DCBLOCK = 8,
	TPLG_PROCESS_SMART_AMP = 9,
};

/**
 * struct tplg_tuple - one vendor tuple as read from private data
 * @token: token number
 * @type: enum tplg_tuple_type of the array it came from
 * @known: a token table of the owning object consumed it
 * @offset: file offset of the tuple element
 * @value: for BOOL, BYTE, SHORT and WORD tuples
 * @string: for STRING tuples (NUL-terminated)
 * @uuid: for UUID tuples
 */
struct tplg_tuple {
	uint32_t token;
	uint8_t type;
	bool known;
	uint32_t offset;
	union {
		uint32_t value;
		char string[TPLG_NAME_LEN];
		uint8_t uuid[16];
	};
};

/**
 * struct tplg_priv - an object's private data
 * @data: the bytes (inside the topology's own copy of the file); NULL when @size is 0
 * @size: length in bytes
 * @offset: file offset of the first byte
 * @tuples: the vendor tuples, in file order, when the data was read as vendor arrays
 * @num_tuples: number of @tuples
 * @num_arrays: number of vendor arrays
 * @num_unknown: tuples that no token table of the object consumed
 *
 * Widget, PCM, link, DAI, mixer and enum private data is read as vendor arrays (and must
 * be well formed); manifest and bytes-control private data is an opaque blob.
 */
struct tplg_priv {
	const uint8_t *data;
	uint32_t size;
	uint32_t offset;
	struct tplg_tuple *tuples;
	uint32_t num_tuples;
	uint32_t num_arrays;
	uint32_t num_unknown;
};

/* Token groups, as bits of the *_tokens.groups masks. */
enum tplg_token_group {
	TPLG_TKG_BUFFER,
	TPLG_TKG_SCHED,
	TPLG_TKG_VOLUME,
	TPLG_TKG_SRC,
	TPLG_TKG_ASRC,
	TPLG_TKG_HOST,		/* SOF_TKN_PCM_DMAC_CONFIG, on aif widgets */
	TPLG_TKG_COMP,
	TPLG_TKG_DAI,
	TPLG_TKG_TONE,
	TPLG_TKG_PROCESS,
	TPLG_TKG_VADSP,
	TPLG_TKG_STREAM,
	TPLG_TKG_LED,
	TPLG_TKG_SSP,
	TPLG_TKG_DMIC,
	TPLG_TKG_DMIC_PDM,
	TPLG_TKG_HDA,
	TPLG_TKG_ALH,
	TPLG_TKG_SAI,
	TPLG_TKG_ESAI,
	TPLG_TKG_AFE,
	TPLG_TKG_ACP_I2S,
	TPLG_TKG_ACP_DMIC,
	TPLG_TKG_COUNT,
};

/* Typed token groups. Fields keep 0 (or the noted default) when the token is absent. */
struct tplg_buffer_tokens {
	uint32_t size;			/* SOF_TKN_BUF_SIZE, bytes */
	uint32_t caps;			/* SOF_TKN_BUF_CAPS */
};

struct tplg_sched_tokens {
	uint32_t period;		/* us */
	uint32_t priority;
	uint32_t mips;
	uint32_t core;
	uint32_t frames;
	uint32_t time_domain;
	bool dynamic;			/* SOF_TKN_SCHED_DYNAMIC_PIPELINE */
};

struct tplg_volume_tokens {
	uint32_t ramp_type;		/* SOF_TKN_VOLUME_RAMP_STEP_TYPE: LINEAR 0, LOG 1, LINEAR_ZC 2, LOG_ZC 3 */
	uint32_t ramp_ms;		/* SOF_TKN_VOLUME_RAMP_STEP_MS */
};

struct tplg_src_tokens {
	uint32_t rate_in;
	uint32_t rate_out;
};

struct tplg_asrc_tokens {
	uint32_t rate_in;
	uint32_t rate_out;
	uint32_t asynchronous_mode;
	uint32_t operation_mode;
};

struct tplg_host_tokens {
	uint32_t dmac_config;		/* SOF_TKN_PCM_DMAC_CONFIG */
};

struct tplg_comp_tokens {
	uint32_t period_sink_count;
	uint32_t period_source_count;
	char format_name[TPLG_NAME_LEN];	/* SOF_TKN_COMP_FORMAT as written */
	uint32_t format;		/* enum tplg_frame_fmt; default (and unknown names) S32_LE */
	uint32_t core;			/* SOF_TKN_COMP_CORE_ID */
	uint8_t uuid[16];		/* SOF_TKN_COMP_UUID */
	bool has_uuid;
};

struct tplg_dai_tokens {
	char type_name[TPLG_NAME_LEN];	/* SOF_TKN_DAI_TYPE as written: "SSP", "SAI"... */
	uint32_t type;			/* enum tplg_dai_type; NONE for unknown names */
	uint32_t index;
	uint32_t direction;		/* SOF_TKN_DAI_DIRECTION: playback 0, capture 1 */
};

struct tplg_tone_tokens {
	uint32_t sample_rate;
};

struct tplg_process_tokens {
	char type_name[TPLG_NAME_LEN];	/* SOF_TKN_PROCESS_TYPE as written: "EQIIR"... */
	uint32_t type;			/* enum tplg_process_type; NONE for unknown names */
};

struct tplg_vadsp_tokens {
	char cp_name[TPLG_NAME_LEN];	/* VADSP_TKN_CP_NAME; empty when absent */
};

struct tplg_stream_tokens {
	bool playback_d0i3;
	bool capture_d0i3;
};

struct tplg_led_tokens {
	uint32_t use;
	uint32_t direction;
};

struct tplg_ssp_tokens {
	uint32_t clks_control;
	uint16_t mclk_id;
	uint32_t sample_bits;
	uint16_t frame_pulse_width;
	uint32_t quirks;
	bool tdm_padding_per_slot;
	uint32_t bclk_delay;
};

struct tplg_dmic_tokens {
	uint32_t driver_version;
	uint32_t clk_min;
	uint32_t clk_max;
	uint32_t duty_min;
	uint32_t duty_max;
	uint32_t num_pdm_active;
	uint32_t sample_rate;
	uint32_t fifo_word_length;
	uint32_t unmute_ramp_time_ms;
};

#define TPLG_DMIC_PDM_MAX	4

/* One PDM controller; a new one starts at each SOF_TKN_INTEL_DMIC_PDM_CTRL_ID. */
struct tplg_dmic_pdm_tokens {
	uint16_t id;
	uint16_t enable_mic_a;
	uint16_t enable_mic_b;
	uint16_t polarity_mic_a;
	uint16_t polarity_mic_b;
	uint16_t clk_edge;
	uint16_t skew;
};

struct tplg_rate_ch_tokens {
	uint32_t rate;
	uint32_t channels;
};

struct tplg_mclk_tokens {
	uint16_t mclk_id;
};

struct tplg_afe_tokens {
	uint32_t rate;
	uint32_t channels;
	char format_name[TPLG_NAME_LEN];
};

struct tplg_acp_i2s_tokens {
	uint32_t rate;
	uint32_t channels;
	uint32_t tdm_mode;
};

/**
 * struct tplg_widget_tokens - every widget-level token group
 * @groups: bit (1 << enum tplg_token_group) set for each group that loaded a token
 *
 * All widget groups are applied to every widget; which ones matter depends on the widget
 * type (the Linux SOF driver reads buffer tokens for buffers, scheduler tokens for
 * schedulers, volume tokens for PGAs, and comp tokens for every component).
 */
struct tplg_widget_tokens {
	uint32_t groups;
	struct tplg_buffer_tokens buffer;
	struct tplg_sched_tokens sched;
	struct tplg_volume_tokens volume;
	struct tplg_src_tokens src;
	struct tplg_asrc_tokens asrc;
	struct tplg_host_tokens host;
	struct tplg_comp_tokens comp;
	struct tplg_dai_tokens dai;
	struct tplg_tone_tokens tone;
	struct tplg_process_tokens process;
	struct tplg_vadsp_tokens vadsp;
};

/**
 * struct tplg_link_tokens - token groups of DAI link private data
 * @groups: bit (1 << enum tplg_token_group) set for each group that loaded a token
 * @num_pdm: PDM controllers in @pdm
 */
struct tplg_link_tokens {
	uint32_t groups;
	struct tplg_dai_tokens dai;
	struct tplg_ssp_tokens ssp;
	struct tplg_dmic_tokens dmic;
	struct tplg_dmic_pdm_tokens pdm[TPLG_DMIC_PDM_MAX];
	uint32_t num_pdm;
	struct tplg_rate_ch_tokens hda;
	struct tplg_rate_ch_tokens alh;
	struct tplg_mclk_tokens sai;
	struct tplg_mclk_tokens esai;
	struct tplg_afe_tokens afe;
	struct tplg_acp_i2s_tokens acp_i2s;
	struct tplg_rate_ch_tokens acp_dmic;
};

/**
 * struct tplg_token - one table entry: where a token goes in a struct
 * @token: token number
 * @type: the tuple type the token is written with (only its class is checked)
 * @field: the destination field's name, for dumps
 * @offset: offsetof() the destination field
 * @size: sizeof() the destination field: 1, 2 or 4 for numbers (bool is 1), the array size
 *        for strings, 16 for UUIDs
 * @conv: if set, converts the tuple into the field instead of a plain copy (the field is
 *        then a uint32_t)
 */
struct tplg_token {
	uint32_t token;
	uint8_t type;
	const char *field;
	uint16_t offset;
	uint16_t size;
	void (*conv)(const struct tplg_tuple *tuple, void *field);
};

/**
 * struct tplg_token_table - the tokens of one group
 * @name: group name, for dumps
 * @group: enum tplg_token_group
 * @tokens: entries
 * @num_tokens: number of entries
 * @max_sets: 1 for a single struct; more for repeated sets (DMIC PDM), where each
 *            occurrence of tokens[0].token starts the next struct of an array
 * @set_stride: sizeof() one struct of that array
 */
struct tplg_token_table {
	const char *name;
	unsigned int group;
	const struct tplg_token *tokens;
	size_t num_tokens;
	unsigned int max_sets;
	size_t set_stride;
};

extern const struct tplg_token_table tplg_buffer_table;
extern const struct tplg_token_table tplg_sched_table;
extern const struct tplg_token_table tplg_volume_table;
extern const struct tplg_token_table tplg_src_table;
extern const struct tplg_token_table tplg_asrc_table;
extern const struct tplg_token_table tplg_host_table;
extern const struct tplg_token_table tplg_comp_table;
extern const struct tplg_token_table tplg_dai_table;
extern const struct tplg_token_table tplg_tone_table;
extern const struct tplg_token_table tplg_process_table;
extern const struct tplg_token_table tplg_vadsp_table;
extern const struct tplg_token_table tplg_stream_table;
extern const struct tplg_token_table tplg_led_table;
extern const struct tplg_token_table tplg_ssp_table;
extern const struct tplg_token_table tplg_dmic_table;
extern const struct tplg_token_table tplg_dmic_pdm_table;
extern const struct tplg_token_table tplg_hda_table;
extern const struct tplg_token_table tplg_alh_table;
extern const struct tplg_token_table tplg_sai_table;
extern const struct tplg_token_table tplg_esai_table;
extern const struct tplg_token_table tplg_afe_table;
extern const struct tplg_token_table tplg_acp_i2s_table;
extern const struct tplg_token_table tplg_acp_dmic_table;

/**
 * struct tplg_token_group_ref - where one group's struct sits inside a struct of groups
 * @table: the group's token table
 * @offset: offsetof() the group's struct (or array of sets) in struct tplg_widget_tokens
 *          or struct tplg_link_tokens
 * @sets_offset: for repeated sets, offsetof() the uint32_t count of sets; 0 otherwise
 */
struct tplg_token_group_ref {
	const struct tplg_token_table *table;
	size_t offset;
	size_t sets_offset;
};

/* The groups applied to widget private data (struct tplg_widget_tokens), in order. */
extern const struct tplg_token_group_ref tplg_widget_groups[];
extern const size_t tplg_num_widget_groups;

/* The groups applied to DAI link private data (struct tplg_link_tokens), in order. */
extern const struct tplg_token_group_ref tplg_link_groups[];
extern const size_t tplg_num_link_groups;

/**
 * tplg_tokens_load() - load the tuples of @priv that @table knows into @obj
 * @priv: private data already split into tuples
 * @table: token table of one group
 * @obj: the group's struct (or, for @table->max_sets > 1, the first of an array of them)
 * @num_sets: for repeated sets, receives the number of sets found; may be NULL otherwise
 *
 * Tuples are applied in file order, so a later tuple overrides an earlier one. Each tuple
 * loaded is marked known in @priv (which is why @priv is not const).
 *
 * Return: the number of tuples loaded (0 if none), or -E2BIG if more sets than
 * @table->max_sets are present.
 */
int tplg_tokens_load(struct tplg_priv *priv, const struct tplg_token_table *table, void *obj,
		     unsigned int *num_sets);

/**
 * tplg_widget_tokens_load() - apply every widget token group to @priv
 * @priv: the widget's private data (tuples)
 * @tok: receives the values; defaults are set first
 *
 * Return: 0, or -errno from tplg_tokens_load().
 */
int tplg_widget_tokens_load(struct tplg_priv *priv, struct tplg_widget_tokens *tok);

/**
 * tplg_link_tokens_load() - apply every DAI link token group to @priv
 * @priv: the link's private data (tuples)
 * @tok: receives the values
 *
 * Return: 0; -E2BIG if the link describes more than TPLG_DMIC_PDM_MAX PDM controllers.
 */
int tplg_link_tokens_load(struct tplg_priv *priv, struct tplg_link_tokens *tok);

/**
 * tplg_priv_find() - the last tuple with @token in @priv
 * @priv: private data
 * @token: token number
 *
 * Return: the tuple (the one that wins when loading), or NULL if absent.
 */
const struct tplg_tuple *tplg_priv_find(const struct tplg_priv *priv, uint32_t token);

/**
 * tplg_token_name() - the symbolic name of a known token, for dumps
 * @token: token number
 *
 * Return: a name such as "BUF_SIZE", or NULL if no table has the token.
 */
const char *tplg_token_name(uint32_t token);

/**
 * tplg_frame_fmt_from_name() - SOF_TKN_COMP_FORMAT string to enum tplg_frame_fmt
 * @name: "s16le", "s24le", "s32le" or "float"
 *
 * Return: the format, or -EINVAL for an unknown name.
 */
int tplg_frame_fmt_from_name(const char *name);

/**
 * tplg_dai_type_from_name() - SOF_TKN_DAI_TYPE string to enum tplg_dai_type
 * @name: "SSP", "DMIC", "HDA", "ALH", "SAI", "ESAI", "ACPBT", "ACPSP", "ACPDMIC", "AFE",
 *        "ACPHS"
 *
 * Return: the type, or -EINVAL for an unknown name.
 */
int tplg_dai_type_from_name(const char *name);

/**
 * tplg_process_type_from_name() - SOF_TKN_PROCESS_TYPE string to enum tplg_process_type
 * @name: "EQFIR", "EQIIR", "KEYWORD_DETECT", "KPB", "CHAN_SELECTOR", "MUX", "DEMUX",
 *        "DCBLOCK" or "SMART_AMP"
 *
 * Return: the type, or -EINVAL for an unknown name.
 */
int tplg_process_type_from_name(const char *name);

#endif /* VADSP_TPLG_TOKENS_H */
