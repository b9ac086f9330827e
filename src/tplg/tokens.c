// SPDX-License-Identifier: MIT
/*
 * SOF token tables and the loader that applies them to private data.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "tplg/tokens.h"
#include "util/compiler.h"

#define FIELD(type, member)	#member, offsetof(type, member), sizeof(((type *)0)->member)
#define TABLE(var, gname, grp, entries) \
	const struct tplg_token_table var = { \
		.name = gname, \
		.group = grp, \
		.tokens = entries, \
		.num_tokens = VADSP_ARRAY_SIZE(entries), \
		.max_sets = 1, \
	}

struct name_value {
	const char *name;
	int value;
};

static const struct name_value frame_fmts[] = {
	{ "s16le", TPLG_FRAME_S16_LE },
	{ "s24le", TPLG_FRAME_S24_4LE },
	{ "s32le", TPLG_FRAME_S32_LE },
	{ "float", TPLG_FRAME_FLOAT },
};

static const struct name_value dai_types[] = {
	{ "SSP", TPLG_DAI_SSP },
	{ "DMIC", TPLG_DAI_DMIC },
	{ "HDA", TPLG_DAI_HDA },
	{ "ALH", TPLG_DAI_ALH },
	{ "SAI", TPLG_DAI_SAI },
	{ "ESAI", TPLG_DAI_ESAI },
	{ "ACPBT", TPLG_DAI_ACP_BT },
	{ "ACPSP", TPLG_DAI_ACP_SP },
	{ "ACPDMIC", TPLG_DAI_ACP_DMIC },
	{ "AFE", TPLG_DAI_AFE },
	{ "ACPHS", TPLG_DAI_ACP_HS },
};

static const struct name_value process_types[] = {
	{ "EQFIR", TPLG_PROCESS_EQFIR },
	{ "EQIIR", TPLG_PROCESS_EQIIR },
	{ "KEYWORD_DETECT", TPLG_PROCESS_KEYWORD_DETECT },
	{ "KPB", TPLG_PROCESS_KPB },
	{ "CHAN_SELECTOR", TPLG_PROCESS_CHAN_SELECTOR },
	{ "MUX", TPLG_PROCESS_MUX },
	{ "DEMUX", TPLG_PROCESS_DEMUX },
	{ "DCBLOCK", TPLG_PROCESS_DCBLOCK },
	{ "SMART_AMP", TPLG_PROCESS_SMART_AMP },
};

static int lookup(const struct name_value *tab, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(tab[i].name, name) == 0)
			return tab[i].value;
	return -EINVAL;
}

int tplg_frame_fmt_from_name(const char *name)
{
	return lookup(frame_fmts, VADSP_ARRAY_SIZE(frame_fmts), name);
}

int tplg_dai_type_from_name(const char *name)
{
	return lookup(dai_types, VADSP_ARRAY_SIZE(dai_types), name);
}

int tplg_process_type_from_name(const char *name)
{
	return lookup(process_types, VADSP_ARRAY_SIZE(process_types), name);
}

/* Converters for string tokens that have a numeric meaning; unknown names keep a default. */
static void conv_frame_fmt(const struct tplg_tuple *t, void *field)
{
	int v = tplg_frame_fmt_from_name(t->string);
	uint32_t u = v < 0 ? TPLG_FRAME_S32_LE : (uint32_t)v;

	memcpy(field, &u, sizeof(u));
}

static void conv_dai_type(const struct tplg_tuple *t, void *field)
{
	int v = tplg_dai_type_from_name(t->string);
	uint32_t u = v < 0 ? TPLG_DAI_NONE : (uint32_t)v;

	memcpy(field, &u, sizeof(u));
}

static void conv_process_type(const struct tplg_tuple *t, void *field)
{
	int v = tplg_process_type_from_name(t->string);
	uint32_t u = v < 0 ? TPLG_PROCESS_NONE : (uint32_t)v;

	memcpy(field, &u, sizeof(u));
}

static const struct tplg_token buffer_tokens[] = {
	{ SOF_TKN_BUF_SIZE, TPLG_TUPLE_WORD, FIELD(struct tplg_buffer_tokens, size), NULL },
	{ SOF_TKN_BUF_CAPS, TPLG_TUPLE_WORD, FIELD(struct tplg_buffer_tokens, caps), NULL },
};
TABLE(tplg_buffer_table, "buffer", TPLG_TKG_BUFFER, buffer_tokens);

static const struct tplg_token sched_tokens[] = {
	{ SOF_TKN_SCHED_PERIOD, TPLG_TUPLE_WORD, FIELD(struct tplg_sched_tokens, period), NULL },
	{ SOF_TKN_SCHED_PRIORITY, TPLG_TUPLE_WORD, FIELD(struct tplg_sched_tokens, priority), NULL },
	{ SOF_TKN_SCHED_MIPS, TPLG_TUPLE_WORD, FIELD(struct tplg_sched_tokens, mips), NULL },
	{ SOF_TKN_SCHED_CORE, TPLG_TUPLE_WORD, FIELD(struct tplg_sched_tokens, core), NULL },
	{ SOF_TKN_SCHED_FRAMES, TPLG_TUPLE_WORD, FIELD(struct tplg_sched_tokens, frames), NULL },
	{ SOF_TKN_SCHED_TIME_DOMAIN, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_sched_tokens, time_domain), NULL },
	{ SOF_TKN_SCHED_DYNAMIC_PIPELINE, TPLG_TUPLE_BOOL,
	  FIELD(struct tplg_sched_tokens, dynamic), NULL },
};
TABLE(tplg_sched_table, "scheduler", TPLG_TKG_SCHED, sched_tokens);

static const struct tplg_token volume_tokens[] = {
	{ SOF_TKN_VOLUME_RAMP_STEP_TYPE, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_volume_tokens, ramp_type), NULL },
	{ SOF_TKN_VOLUME_RAMP_STEP_MS, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_volume_tokens, ramp_ms), NULL },
};
TABLE(tplg_volume_table, "volume", TPLG_TKG_VOLUME, volume_tokens);

static const struct tplg_token src_tokens[] = {
	{ SOF_TKN_SRC_RATE_IN, TPLG_TUPLE_WORD, FIELD(struct tplg_src_tokens, rate_in), NULL },
	{ SOF_TKN_SRC_RATE_OUT, TPLG_TUPLE_WORD, FIELD(struct tplg_src_tokens, rate_out), NULL },
};
TABLE(tplg_src_table, "src", TPLG_TKG_SRC, src_tokens);

static const struct tplg_token asrc_tokens[] = {
	{ SOF_TKN_ASRC_RATE_IN, TPLG_TUPLE_WORD, FIELD(struct tplg_asrc_tokens, rate_in), NULL },
	{ SOF_TKN_ASRC_RATE_OUT, TPLG_TUPLE_WORD, FIELD(struct tplg_asrc_tokens, rate_out), NULL },
	{ SOF_TKN_ASRC_ASYNCHRONOUS_MODE, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_asrc_tokens, asynchronous_mode), NULL },
	{ SOF_TKN_ASRC_OPERATION_MODE, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_asrc_tokens, operation_mode), NULL },
};
TABLE(tplg_asrc_table, "asrc", TPLG_TKG_ASRC, asrc_tokens);

static const struct tplg_token host_tokens[] = {
	{ SOF_TKN_PCM_DMAC_CONFIG, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_host_tokens, dmac_config), NULL },
};
TABLE(tplg_host_table, "host", TPLG_TKG_HOST, host_tokens);

static const struct tplg_token comp_tokens[] = {
	{ SOF_TKN_COMP_PERIOD_SINK_COUNT, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_comp_tokens, period_sink_count), NULL },
	{ SOF_TKN_COMP_PERIOD_SOURCE_COUNT, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_comp_tokens, period_source_count), NULL },
	{ SOF_TKN_COMP_FORMAT, TPLG_TUPLE_STRING,
	  FIELD(struct tplg_comp_tokens, format_name), NULL },
	{ SOF_TKN_COMP_FORMAT, TPLG_TUPLE_STRING,
	  FIELD(struct tplg_comp_tokens, format), conv_frame_fmt },
	{ SOF_TKN_COMP_CORE_ID, TPLG_TUPLE_WORD, FIELD(struct tplg_comp_tokens, core), NULL },
	{ SOF_TKN_COMP_UUID, TPLG_TUPLE_UUID, FIELD(struct tplg_comp_tokens, uuid), NULL },
};
TABLE(tplg_comp_table, "comp", TPLG_TKG_COMP, comp_tokens);

static const struct tplg_token dai_tokens[] = {
	{ SOF_TKN_DAI_TYPE, TPLG_TUPLE_STRING, FIELD(struct tplg_dai_tokens, type_name), NULL },
	{ SOF_TKN_DAI_TYPE, TPLG_TUPLE_STRING, FIELD(struct tplg_dai_tokens, type), conv_dai_type },
	{ SOF_TKN_DAI_INDEX, TPLG_TUPLE_WORD, FIELD(struct tplg_dai_tokens, index), NULL },
	{ SOF_TKN_DAI_DIRECTION, TPLG_TUPLE_WORD, FIELD(struct tplg_dai_tokens, direction), NULL },
};
TABLE(tplg_dai_table, "dai", TPLG_TKG_DAI, dai_tokens);

static const struct tplg_token tone_tokens[] = {
	{ SOF_TKN_TONE_SAMPLE_RATE, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_tone_tokens, sample_rate), NULL },
};
TABLE(tplg_tone_table, "tone", TPLG_TKG_TONE, tone_tokens);

static const struct tplg_token process_tokens[] = {
	{ SOF_TKN_PROCESS_TYPE, TPLG_TUPLE_STRING,
	  FIELD(struct tplg_process_tokens, type_name), NULL },
	{ SOF_TKN_PROCESS_TYPE, TPLG_TUPLE_STRING,
	  FIELD(struct tplg_process_tokens, type), conv_process_type },
};
TABLE(tplg_process_table, "process", TPLG_TKG_PROCESS, process_tokens);

static const struct tplg_token vadsp_tokens[] = {
	{ VADSP_TKN_CP_NAME, TPLG_TUPLE_STRING, FIELD(struct tplg_vadsp_tokens, cp_name), NULL },
};
TABLE(tplg_vadsp_table, "vadsp", TPLG_TKG_VADSP, vadsp_tokens);

static const struct tplg_token stream_tokens[] = {
	{ SOF_TKN_STREAM_PLAYBACK_COMPATIBLE_D0I3, TPLG_TUPLE_BOOL,
	  FIELD(struct tplg_stream_tokens, playback_d0i3), NULL },
	{ SOF_TKN_STREAM_CAPTURE_COMPATIBLE_D0I3, TPLG_TUPLE_BOOL,
	  FIELD(struct tplg_stream_tokens, capture_d0i3), NULL },
};
TABLE(tplg_stream_table, "stream", TPLG_TKG_STREAM, stream_tokens);

static const struct tplg_token led_tokens[] = {
	{ SOF_TKN_MUTE_LED_USE, TPLG_TUPLE_WORD, FIELD(struct tplg_led_tokens, use), NULL },
	{ SOF_TKN_MUTE_LED_DIRECTION, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_led_tokens, direction), NULL },
};
TABLE(tplg_led_table, "led", TPLG_TKG_LED, led_tokens);

static const struct tplg_token ssp_tokens[] = {
	{ SOF_TKN_INTEL_SSP_CLKS_CONTROL, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_ssp_tokens, clks_control), NULL },
	{ SOF_TKN_INTEL_SSP_MCLK_ID, TPLG_TUPLE_SHORT, FIELD(struct tplg_ssp_tokens, mclk_id), NULL },
	{ SOF_TKN_INTEL_SSP_SAMPLE_BITS, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_ssp_tokens, sample_bits), NULL },
	{ SOF_TKN_INTEL_SSP_FRAME_PULSE_WIDTH, TPLG_TUPLE_SHORT,
	  FIELD(struct tplg_ssp_tokens, frame_pulse_width), NULL },
	{ SOF_TKN_INTEL_SSP_QUIRKS, TPLG_TUPLE_WORD, FIELD(struct tplg_ssp_tokens, quirks), NULL },
	{ SOF_TKN_INTEL_SSP_TDM_PADDING_PER_SLOT, TPLG_TUPLE_BOOL,
	  FIELD(struct tplg_ssp_tokens, tdm_padding_per_slot), NULL },
	{ SOF_TKN_INTEL_SSP_BCLK_DELAY, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_ssp_tokens, bclk_delay), NULL },
};
TABLE(tplg_ssp_table, "ssp", TPLG_TKG_SSP, ssp_tokens);

static const struct tplg_token dmic_tokens[] = {
	{ SOF_TKN_INTEL_DMIC_DRIVER_VERSION, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_dmic_tokens, driver_version), NULL },
	{ SOF_TKN_INTEL_DMIC_CLK_MIN, TPLG_TUPLE_WORD, FIELD(struct tplg_dmic_tokens, clk_min), NULL },
	{ SOF_TKN_INTEL_DMIC_CLK_MAX, TPLG_TUPLE_WORD, FIELD(struct tplg_dmic_tokens, clk_max), NULL },
	{ SOF_TKN_INTEL_DMIC_DUTY_MIN, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_dmic_tokens, duty_min), NULL },
	{ SOF_TKN_INTEL_DMIC_DUTY_MAX, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_dmic_tokens, duty_max), NULL },
	{ SOF_TKN_INTEL_DMIC_NUM_PDM_ACTIVE, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_dmic_tokens, num_pdm_active), NULL },
	{ SOF_TKN_INTEL_DMIC_SAMPLE_RATE, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_dmic_tokens, sample_rate), NULL },
	{ SOF_TKN_INTEL_DMIC_FIFO_WORD_LENGTH, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_dmic_tokens, fifo_word_length), NULL },
	{ SOF_TKN_INTEL_DMIC_UNMUTE_RAMP_TIME_MS, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_dmic_tokens, unmute_ramp_time_ms), NULL },
};
TABLE(tplg_dmic_table, "dmic", TPLG_TKG_DMIC, dmic_tokens);

/* The first entry's token starts a new set. */
static const struct tplg_token dmic_pdm_tokens[] = {
	{ SOF_TKN_INTEL_DMIC_PDM_CTRL_ID, TPLG_TUPLE_SHORT,
	  FIELD(struct tplg_dmic_pdm_tokens, id), NULL },
	{ SOF_TKN_INTEL_DMIC_PDM_MIC_A_ENABLE, TPLG_TUPLE_SHORT,
	  FIELD(struct tplg_dmic_pdm_tokens, enable_mic_a), NULL },
	{ SOF_TKN_INTEL_DMIC_PDM_MIC_B_ENABLE, TPLG_TUPLE_SHORT,
	  FIELD(struct tplg_dmic_pdm_tokens, enable_mic_b), NULL },
	{ SOF_TKN_INTEL_DMIC_PDM_POLARITY_A, TPLG_TUPLE_SHORT,
	  FIELD(struct tplg_dmic_pdm_tokens, polarity_mic_a), NULL },
	{ SOF_TKN_INTEL_DMIC_PDM_POLARITY_B, TPLG_TUPLE_SHORT,
	  FIELD(struct tplg_dmic_pdm_tokens, polarity_mic_b), NULL },
	{ SOF_TKN_INTEL_DMIC_PDM_CLK_EDGE, TPLG_TUPLE_SHORT,
	  FIELD(struct tplg_dmic_pdm_tokens, clk_edge), NULL },
	{ SOF_TKN_INTEL_DMIC_PDM_SKEW, TPLG_TUPLE_SHORT,
	  FIELD(struct tplg_dmic_pdm_tokens, skew), NULL },
};
const struct tplg_token_table tplg_dmic_pdm_table = {
	.name = "dmic_pdm",
	.group = TPLG_TKG_DMIC_PDM,
	.tokens = dmic_pdm_tokens,
	.num_tokens = VADSP_ARRAY_SIZE(dmic_pdm_tokens),
	.max_sets = TPLG_DMIC_PDM_MAX,
	.set_stride = sizeof(struct tplg_dmic_pdm_tokens),
};

static const struct tplg_token hda_tokens[] = {
	{ SOF_TKN_INTEL_HDA_RATE, TPLG_TUPLE_WORD, FIELD(struct tplg_rate_ch_tokens, rate), NULL },
	{ SOF_TKN_INTEL_HDA_CH, TPLG_TUPLE_WORD, FIELD(struct tplg_rate_ch_tokens, channels), NULL },
};
TABLE(tplg_hda_table, "hda", TPLG_TKG_HDA, hda_tokens);

static const struct tplg_token alh_tokens[] = {
	{ SOF_TKN_INTEL_ALH_RATE, TPLG_TUPLE_WORD, FIELD(struct tplg_rate_ch_tokens, rate), NULL },
	{ SOF_TKN_INTEL_ALH_CH, TPLG_TUPLE_WORD, FIELD(struct tplg_rate_ch_tokens, channels), NULL },
};
TABLE(tplg_alh_table, "alh", TPLG_TKG_ALH, alh_tokens);

static const struct tplg_token sai_tokens[] = {
	{ SOF_TKN_IMX_SAI_MCLK_ID, TPLG_TUPLE_SHORT, FIELD(struct tplg_mclk_tokens, mclk_id), NULL },
};
TABLE(tplg_sai_table, "sai", TPLG_TKG_SAI, sai_tokens);

static const struct tplg_token esai_tokens[] = {
	{ SOF_TKN_IMX_ESAI_MCLK_ID, TPLG_TUPLE_SHORT, FIELD(struct tplg_mclk_tokens, mclk_id), NULL },
};
TABLE(tplg_esai_table, "esai", TPLG_TKG_ESAI, esai_tokens);

static const struct tplg_token afe_tokens[] = {
	{ SOF_TKN_MEDIATEK_AFE_RATE, TPLG_TUPLE_WORD, FIELD(struct tplg_afe_tokens, rate), NULL },
	{ SOF_TKN_MEDIATEK_AFE_CH, TPLG_TUPLE_WORD, FIELD(struct tplg_afe_tokens, channels), NULL },
	{ SOF_TKN_MEDIATEK_AFE_FORMAT, TPLG_TUPLE_STRING,
	  FIELD(struct tplg_afe_tokens, format_name), NULL },
};
TABLE(tplg_afe_table, "afe", TPLG_TKG_AFE, afe_tokens);

static const struct tplg_token acp_i2s_tokens[] = {
	{ SOF_TKN_AMD_ACPI2S_RATE, TPLG_TUPLE_WORD, FIELD(struct tplg_acp_i2s_tokens, rate), NULL },
	{ SOF_TKN_AMD_ACPI2S_CH, TPLG_TUPLE_WORD, FIELD(struct tplg_acp_i2s_tokens, channels), NULL },
	{ SOF_TKN_AMD_ACPI2S_TDM_MODE, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_acp_i2s_tokens, tdm_mode), NULL },
};
TABLE(tplg_acp_i2s_table, "acp_i2s", TPLG_TKG_ACP_I2S, acp_i2s_tokens);

static const struct tplg_token acp_dmic_tokens[] = {
	{ SOF_TKN_AMD_ACPDMIC_RATE, TPLG_TUPLE_WORD, FIELD(struct tplg_rate_ch_tokens, rate), NULL },
	{ SOF_TKN_AMD_ACPDMIC_CH, TPLG_TUPLE_WORD,
	  FIELD(struct tplg_rate_ch_tokens, channels), NULL },
};
TABLE(tplg_acp_dmic_table, "acp_dmic", TPLG_TKG_ACP_DMIC, acp_dmic_tokens);

/* Value tuples are interchangeable; strings and UUIDs only match their own type. */
enum tuple_class { CLASS_UUID, CLASS_STRING, CLASS_VALUE };

static enum tuple_class tuple_class(uint32_t type)
{
	switch (type) {
	case TPLG_TUPLE_UUID:
		return CLASS_UUID;
	case TPLG_TUPLE_STRING:
		return CLASS_STRING;
	default:
		return CLASS_VALUE;
	}
}

static void store(const struct tplg_token *e, const struct tplg_tuple *t, uint8_t *obj)
{
	uint8_t *field = obj + e->offset;

	if (e->conv) {
		e->conv(t, field);
		return;
	}
	switch (tuple_class(e->type)) {
	case CLASS_UUID:
		memcpy(field, t->uuid, VADSP_MIN((size_t)e->size, sizeof(t->uuid)));
		break;
	case CLASS_STRING:
		/* t->string is NUL-terminated within TPLG_NAME_LEN; fields are as long. */
		memset(field, 0, e->size);
		strncpy((char *)field, t->string, (size_t)e->size - 1);
		break;
	case CLASS_VALUE: {
		uint32_t v = t->value;

		if (e->type == TPLG_TUPLE_BOOL)
			v = v != 0;
		if (e->size == 1) {
			uint8_t b = (uint8_t)v;

			memcpy(field, &b, 1);
		} else if (e->size == 2) {
			uint16_t s = (uint16_t)v;

			memcpy(field, &s, 2);
		} else {
			memcpy(field, &v, 4);
		}
		break;
	}
	}
}

int tplg_tokens_load(struct tplg_priv *priv, const struct tplg_token_table *table, void *obj,
		     unsigned int *num_sets)
{
	uint8_t *base = obj;
	unsigned int sets = 0;
	int loaded = 0;

	for (uint32_t i = 0; i < priv->num_tuples; i++) {
		struct tplg_tuple *t = &priv->tuples[i];
		bool hit = false;

		if (table->max_sets > 1 && t->token == table->tokens[0].token &&
		    tuple_class(t->type) == tuple_class(table->tokens[0].type)) {
			if (sets == table->max_sets)
				return -E2BIG;
			sets++;
		}
		for (size_t j = 0; j < table->num_tokens; j++) {
			const struct tplg_token *e = &table->tokens[j];
			uint8_t *dst = base;

			if (e->token != t->token || tuple_class(e->type) != tuple_class(t->type))
				continue;
			if (table->max_sets > 1) {
				/* Tokens before the first set key have no set to go to. */
				if (sets == 0)
					continue;
				dst = base + (sets - 1) * table->set_stride;
			}
			store(e, t, dst);
			hit = true;
		}
		if (hit) {
			t->known = true;
			loaded++;
		}
	}
	if (num_sets)
		*num_sets = sets;
	return loaded;
}

#define GROUP(type, member, tbl) { &(tbl), offsetof(type, member), 0 }

const struct tplg_token_group_ref tplg_widget_groups[] = {
	GROUP(struct tplg_widget_tokens, buffer, tplg_buffer_table),
	GROUP(struct tplg_widget_tokens, sched, tplg_sched_table),
	GROUP(struct tplg_widget_tokens, volume, tplg_volume_table),
	GROUP(struct tplg_widget_tokens, src, tplg_src_table),
	GROUP(struct tplg_widget_tokens, asrc, tplg_asrc_table),
	GROUP(struct tplg_widget_tokens, host, tplg_host_table),
	GROUP(struct tplg_widget_tokens, comp, tplg_comp_table),
	GROUP(struct tplg_widget_tokens, dai, tplg_dai_table),
	GROUP(struct tplg_widget_tokens, tone, tplg_tone_table),
	GROUP(struct tplg_widget_tokens, process, tplg_process_table),
	GROUP(struct tplg_widget_tokens, vadsp, tplg_vadsp_table),
};
const size_t tplg_num_widget_groups = VADSP_ARRAY_SIZE(tplg_widget_groups);

const struct tplg_token_group_ref tplg_link_groups[] = {
	GROUP(struct tplg_link_tokens, dai, tplg_dai_table),
	GROUP(struct tplg_link_tokens, ssp, tplg_ssp_table),
	GROUP(struct tplg_link_tokens, dmic, tplg_dmic_table),
	{ &tplg_dmic_pdm_table, offsetof(struct tplg_link_tokens, pdm),
	  offsetof(struct tplg_link_tokens, num_pdm) },
	GROUP(struct tplg_link_tokens, hda, tplg_hda_table),
	GROUP(struct tplg_link_tokens, alh, tplg_alh_table),
	GROUP(struct tplg_link_tokens, sai, tplg_sai_table),
	GROUP(struct tplg_link_tokens, esai, tplg_esai_table),
	GROUP(struct tplg_link_tokens, afe, tplg_afe_table),
	GROUP(struct tplg_link_tokens, acp_i2s, tplg_acp_i2s_table),
	GROUP(struct tplg_link_tokens, acp_dmic, tplg_acp_dmic_table),
};
const size_t tplg_num_link_groups = VADSP_ARRAY_SIZE(tplg_link_groups);

/* Apply @n groups to @priv, filling the struct of groups at @obj and its mask @groups. */
static int apply_groups(struct tplg_priv *priv, const struct tplg_token_group_ref *g,
			size_t n, uint8_t *obj, uint32_t *groups)
{
	for (size_t i = 0; i < n; i++) {
		unsigned int sets = 0;
		int ret = tplg_tokens_load(priv, g[i].table, obj + g[i].offset, &sets);

		if (ret < 0)
			return ret;
		if (ret > 0)
			*groups |= 1u << g[i].table->group;
		if (g[i].sets_offset) {
			uint32_t s = sets;

			memcpy(obj + g[i].sets_offset, &s, sizeof(s));
		}
	}
	return 0;
}

int tplg_widget_tokens_load(struct tplg_priv *priv, struct tplg_widget_tokens *tok)
{
	const struct tplg_tuple *uuid;
	int ret;

	memset(tok, 0, sizeof(*tok));
	tok->comp.format = TPLG_FRAME_S32_LE;
	ret = apply_groups(priv, tplg_widget_groups, tplg_num_widget_groups, (uint8_t *)tok,
			   &tok->groups);
	uuid = tplg_priv_find(priv, SOF_TKN_COMP_UUID);
	tok->comp.has_uuid = uuid && uuid->type == TPLG_TUPLE_UUID;
	return ret;
}

int tplg_link_tokens_load(struct tplg_priv *priv, struct tplg_link_tokens *tok)
{
	memset(tok, 0, sizeof(*tok));
	return apply_groups(priv, tplg_link_groups, tplg_num_link_groups, (uint8_t *)tok,
			    &tok->groups);
}

const struct tplg_tuple *tplg_priv_find(const struct tplg_priv *priv, uint32_t token)
{
	const struct tplg_tuple *found = NULL;

	for (uint32_t i = 0; i < priv->num_tuples; i++)
		if (priv->tuples[i].token == token)
			found = &priv->tuples[i];
	return found;
}

static const struct {
	uint32_t token;
	const char *name;
} token_names[] = {
	{ SOF_TKN_BUF_SIZE, "BUF_SIZE" },
	{ SOF_TKN_BUF_CAPS, "BUF_CAPS" },
	{ SOF_TKN_DAI_TYPE, "DAI_TYPE" },
	{ SOF_TKN_DAI_INDEX, "DAI_INDEX" },
	{ SOF_TKN_DAI_DIRECTION, "DAI_DIRECTION" },
	{ SOF_TKN_SCHED_PERIOD, "SCHED_PERIOD" },
	{ SOF_TKN_SCHED_PRIORITY, "SCHED_PRIORITY" },
	{ SOF_TKN_SCHED_MIPS, "SCHED_MIPS" },
	{ SOF_TKN_SCHED_CORE, "SCHED_CORE" },
	{ SOF_TKN_SCHED_FRAMES, "SCHED_FRAMES" },
	{ SOF_TKN_SCHED_TIME_DOMAIN, "SCHED_TIME_DOMAIN" },
	{ SOF_TKN_SCHED_DYNAMIC_PIPELINE, "SCHED_DYNAMIC_PIPELINE" },
	{ SOF_TKN_VOLUME_RAMP_STEP_TYPE, "VOLUME_RAMP_STEP_TYPE" },
	{ SOF_TKN_VOLUME_RAMP_STEP_MS, "VOLUME_RAMP_STEP_MS" },
	{ SOF_TKN_SRC_RATE_IN, "SRC_RATE_IN" },
	{ SOF_TKN_SRC_RATE_OUT, "SRC_RATE_OUT" },
	{ SOF_TKN_ASRC_RATE_IN, "ASRC_RATE_IN" },
	{ SOF_TKN_ASRC_RATE_OUT, "ASRC_RATE_OUT" },
	{ SOF_TKN_ASRC_ASYNCHRONOUS_MODE, "ASRC_ASYNCHRONOUS_MODE" },
	{ SOF_TKN_ASRC_OPERATION_MODE, "ASRC_OPERATION_MODE" },
	{ SOF_TKN_PCM_DMAC_CONFIG, "PCM_DMAC_CONFIG" },
	{ SOF_TKN_COMP_PERIOD_SINK_COUNT, "COMP_PERIOD_SINK_COUNT" },
	{ SOF_TKN_COMP_PERIOD_SOURCE_COUNT, "COMP_PERIOD_SOURCE_COUNT" },
	{ SOF_TKN_COMP_FORMAT, "COMP_FORMAT" },
	{ SOF_TKN_COMP_CORE_ID, "COMP_CORE_ID" },
	{ SOF_TKN_COMP_UUID, "COMP_UUID" },
	{ SOF_TKN_INTEL_SSP_CLKS_CONTROL, "SSP_CLKS_CONTROL" },
	{ SOF_TKN_INTEL_SSP_MCLK_ID, "SSP_MCLK_ID" },
	{ SOF_TKN_INTEL_SSP_SAMPLE_BITS, "SSP_SAMPLE_BITS" },
	{ SOF_TKN_INTEL_SSP_FRAME_PULSE_WIDTH, "SSP_FRAME_PULSE_WIDTH" },
	{ SOF_TKN_INTEL_SSP_QUIRKS, "SSP_QUIRKS" },
	{ SOF_TKN_INTEL_SSP_TDM_PADDING_PER_SLOT, "SSP_TDM_PADDING_PER_SLOT" },
	{ SOF_TKN_INTEL_SSP_BCLK_DELAY, "SSP_BCLK_DELAY" },
	{ SOF_TKN_INTEL_DMIC_DRIVER_VERSION, "DMIC_DRIVER_VERSION" },
	{ SOF_TKN_INTEL_DMIC_CLK_MIN, "DMIC_CLK_MIN" },
	{ SOF_TKN_INTEL_DMIC_CLK_MAX, "DMIC_CLK_MAX" },
	{ SOF_TKN_INTEL_DMIC_DUTY_MIN, "DMIC_DUTY_MIN" },
	{ SOF_TKN_INTEL_DMIC_DUTY_MAX, "DMIC_DUTY_MAX" },
	{ SOF_TKN_INTEL_DMIC_NUM_PDM_ACTIVE, "DMIC_NUM_PDM_ACTIVE" },
	{ SOF_TKN_INTEL_DMIC_SAMPLE_RATE, "DMIC_SAMPLE_RATE" },
	{ SOF_TKN_INTEL_DMIC_FIFO_WORD_LENGTH, "DMIC_FIFO_WORD_LENGTH" },
	{ SOF_TKN_INTEL_DMIC_UNMUTE_RAMP_TIME_MS, "DMIC_UNMUTE_RAMP_TIME_MS" },
	{ SOF_TKN_INTEL_DMIC_PDM_CTRL_ID, "DMIC_PDM_CTRL_ID" },
	{ SOF_TKN_INTEL_DMIC_PDM_MIC_A_ENABLE, "DMIC_PDM_MIC_A_ENABLE" },
	{ SOF_TKN_INTEL_DMIC_PDM_MIC_B_ENABLE, "DMIC_PDM_MIC_B_ENABLE" },
	{ SOF_TKN_INTEL_DMIC_PDM_POLARITY_A, "DMIC_PDM_POLARITY_A" },
	{ SOF_TKN_INTEL_DMIC_PDM_POLARITY_B, "DMIC_PDM_POLARITY_B" },
	{ SOF_TKN_INTEL_DMIC_PDM_CLK_EDGE, "DMIC_PDM_CLK_EDGE" },
	{ SOF_TKN_INTEL_DMIC_PDM_SKEW, "DMIC_PDM_SKEW" },
	{ SOF_TKN_TONE_SAMPLE_RATE, "TONE_SAMPLE_RATE" },
	{ SOF_TKN_PROCESS_TYPE, "PROCESS_TYPE" },
	{ SOF_TKN_IMX_SAI_MCLK_ID, "SAI_MCLK_ID" },
	{ SOF_TKN_IMX_ESAI_MCLK_ID, "ESAI_MCLK_ID" },
	{ SOF_TKN_STREAM_PLAYBACK_COMPATIBLE_D0I3, "STREAM_PLAYBACK_COMPATIBLE_D0I3" },
	{ SOF_TKN_STREAM_CAPTURE_COMPATIBLE_D0I3, "STREAM_CAPTURE_COMPATIBLE_D0I3" },
	{ SOF_TKN_MUTE_LED_USE, "MUTE_LED_USE" },
	{ SOF_TKN_MUTE_LED_DIRECTION, "MUTE_LED_DIRECTION" },
	{ SOF_TKN_INTEL_ALH_RATE, "ALH_RATE" },
	{ SOF_TKN_INTEL_ALH_CH, "ALH_CH" },
	{ SOF_TKN_INTEL_HDA_RATE, "HDA_RATE" },
	{ SOF_TKN_INTEL_HDA_CH, "HDA_CH" },
	{ SOF_TKN_MEDIATEK_AFE_RATE, "AFE_RATE" },
	{ SOF_TKN_MEDIATEK_AFE_CH, "AFE_CH" },
	{ SOF_TKN_MEDIATEK_AFE_FORMAT, "AFE_FORMAT" },
	{ SOF_TKN_AMD_ACPI2S_RATE, "ACPI2S_RATE" },
	{ SOF_TKN_AMD_ACPI2S_CH, "ACPI2S_CH" },
	{ SOF_TKN_AMD_ACPI2S_TDM_MODE, "ACPI2S_TDM_MODE" },
	{ SOF_TKN_AMD_ACPDMIC_RATE, "ACPDMIC_RATE" },
	{ SOF_TKN_AMD_ACPDMIC_CH, "ACPDMIC_CH" },
	{ VADSP_TKN_CP_NAME, "VADSP_CP_NAME" },
};

const char *tplg_token_name(uint32_t token)
{
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(token_names); i++)
		if (token_names[i].token == token)
			return token_names[i].name;
	return NULL;
}
