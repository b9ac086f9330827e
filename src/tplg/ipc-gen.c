// SPDX-License-Identifier: MIT
/*
 * Topology -> SOF IPC3 message sequence (see ipc-gen.h for the rules).
 *
 * Each message is assembled in a zeroed buffer with put_le32() at the offsets of the
 * packed struct ipc3_* it represents, so the bytes are the wire format on any host.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/ipc3.h"
#include "tplg/ipc-gen.h"
#include "tplg/parse.h"
#include "tplg/tokens.h"
#include "tplg/tplg.h"
#include "util/compiler.h"
#include "util/le.h"

/* Buffer flags token: the driver reads it into sof_ipc_buffer.flags. */
#define IPC_GEN_TKN_BUF_FLAGS		102

/* Q1.16 constants of the driver's volume table: 10^(1/20) and 10^(1/40). */
#define VOL_FWL				16
#define VOL_20TH_ROOT_OF_10		73533u
#define VOL_40TH_ROOT_OF_10		69419u
#define VOL_HALF_DB_STEP		50
#define VOL_MAX_ABS_DB			1000
#define TLV_DB_SCALE_STEP_MASK		0xffffu

/* Process types and the component types the driver gives them. */
static const uint32_t process_comp_type[] = {
	[IPC3_PROCESS_NONE] = IPC3_COMP_NONE,
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

/* The token numbers of tokens.h are the IPC3 enum values; keep them in step. */
_Static_assert((int)TPLG_PROCESS_SMART_AMP == (int)IPC3_PROCESS_SMART_AMP, "process type numbering");
_Static_assert((int)TPLG_FRAME_FLOAT == (int)IPC3_FRAME_FLOAT, "frame format numbering");
_Static_assert((int)TPLG_DAI_ESAI == (int)IPC3_DAI_IMX_ESAI, "DAI type numbering");

/* State of one conversion. */
struct ipc_gen {
	const struct tplg *t;
	const struct tplg_ipc_opts *opts;
	struct tplg_ipc_seq *seq;
	uint32_t cap;
	struct tplg_error *err;
	bool *dynamic;		/* per widget: its pipeline is dynamic */
};

static int VADSP_PRINTF(4, 5) gen_fail(struct ipc_gen *g, int ret, size_t offset,
				       const char *fmt, ...)
{
	char msg[sizeof(g->err->msg)];
	va_list ap;

	if (!g->err)
		return ret;
	memset(g->err, 0, sizeof(*g->err));
	g->err->block = -1;
	g->err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tplg_msg_escape(g->err->msg, sizeof(g->err->msg), msg);
	return ret;
}

static uint32_t comp_id(const struct ipc_gen *g, uint32_t widget)
{
	return g->opts->id_base + widget;
}

/* A new zeroed message with its command header; NULL only if the array is full (a bug). */
static struct tplg_ipc_msg *msg_new(struct ipc_gen *g, uint32_t cmd, uint32_t size)
{
	struct tplg_ipc_msg *m;

	if (g->seq->num_msgs >= g->cap || size > IPC3_MSG_MAX_SIZE)
		return NULL;
	m = &g->seq->msgs[g->seq->num_msgs++];
	memset(m, 0, sizeof(*m));
	m->size = size;
	m->cmd = cmd;
	m->widget = -1;
	m->route = -1;
	put_le32(m->data + offsetof(struct ipc3_cmd_hdr, size), size);
	put_le32(m->data + offsetof(struct ipc3_cmd_hdr, cmd), cmd);
	return m;
}

/* A new message for widget @wi: it belongs to the widget's pipeline (and its dynamism). */
static struct tplg_ipc_msg *widget_msg_new(struct ipc_gen *g, uint32_t wi, uint32_t cmd,
					   uint32_t size)
{
	struct tplg_ipc_msg *m = msg_new(g, cmd, size);

	if (!m)
		return NULL;
	m->widget = (int32_t)wi;
	m->pipeline_id = g->t->widgets[wi].index;
	m->dynamic = g->dynamic[wi];
	return m;
}

static void VADSP_PRINTF(2, 3) msg_desc(struct tplg_ipc_msg *m, const char *fmt, ...)
{
	char desc[sizeof(m->desc)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	tplg_msg_escape(m->desc, sizeof(m->desc), desc);
}

static bool uuid_is_set(const struct tplg_comp_tokens *c)
{
	if (!c->has_uuid)
		return false;
	for (size_t i = 0; i < sizeof(c->uuid); i++)
		if (c->uuid[i])
			return true;
	return false;
}

/* Bytes of UUID extension a component message of this widget carries (0 or 16). */
static uint32_t ext_size(const struct tplg_widget *w)
{
	return uuid_is_set(&w->tokens.comp) ? (uint32_t)sizeof(struct ipc3_comp_ext) : 0;
}

/* The driver leaves frame_fmt at 0 when the widget has no SOF_TKN_COMP_FORMAT. */
static uint32_t frame_fmt(const struct tplg_widget *w)
{
	return w->tokens.comp.format_name[0] ? w->tokens.comp.format : IPC3_FRAME_S16_LE;
}

/*
 * Start a COMP_NEW of @base_size bytes (the struct ipc3_comp_* size) for widget @wi:
 * header, struct ipc3_comp, struct ipc3_comp_config and, after @base_size plus @extra
 * bytes of payload, the UUID extension.
 */
static struct tplg_ipc_msg *comp_new(struct ipc_gen *g, uint32_t wi, uint32_t type,
				     uint32_t base_size, uint32_t extra)
{
	const struct tplg_widget *w = &g->t->widgets[wi];
	uint32_t ext = ext_size(w);
	struct tplg_ipc_msg *m;
	uint8_t *cfg;

	m = widget_msg_new(g, wi, IPC3_TPLG_COMP_NEW, base_size + extra + ext);
	if (!m)
		return NULL;
	put_le32(m->data + offsetof(struct ipc3_comp, id), comp_id(g, wi));
	put_le32(m->data + offsetof(struct ipc3_comp, type), type);
	put_le32(m->data + offsetof(struct ipc3_comp, pipeline_id), w->index);
	put_le32(m->data + offsetof(struct ipc3_comp, core), w->tokens.comp.core);
	put_le32(m->data + offsetof(struct ipc3_comp, ext_data_length), ext);
	if (ext)
		memcpy(m->data + base_size + extra, w->tokens.comp.uuid, ext);

	cfg = m->data + sizeof(struct ipc3_comp);
	put_le32(cfg + offsetof(struct ipc3_comp_config, hdr.size),
		 sizeof(struct ipc3_comp_config));
	put_le32(cfg + offsetof(struct ipc3_comp_config, periods_sink),
		 w->tokens.comp.period_sink_count);
	put_le32(cfg + offsetof(struct ipc3_comp_config, periods_source),
		 w->tokens.comp.period_source_count);
	put_le32(cfg + offsetof(struct ipc3_comp_config, frame_fmt), frame_fmt(w));
	return m;
}

static int no_room(struct ipc_gen *g)
{
	return gen_fail(g, -EINVAL, 0, "internal error: message array full");
}

static int gen_host(struct ipc_gen *g, uint32_t wi)
{
	const struct tplg_widget *w = &g->t->widgets[wi];
	uint32_t dir = w->id == TPLG_DAPM_AIF_OUT ? IPC3_STREAM_CAPTURE : IPC3_STREAM_PLAYBACK;
	struct tplg_ipc_msg *m;

	m = comp_new(g, wi, IPC3_COMP_HOST, sizeof(struct ipc3_comp_host), 0);
	if (!m)
		return no_room(g);
	put_le32(m->data + offsetof(struct ipc3_comp_host, direction), dir);
	put_le32(m->data + offsetof(struct ipc3_comp_host, dmac_config),
		 w->tokens.host.dmac_config);
	msg_desc(m, "host id %u '%s' pipe %u %s", comp_id(g, wi), w->name, w->index,
		 dir == IPC3_STREAM_CAPTURE ? "capture" : "playback");
	return 0;
}

static int gen_dai(struct ipc_gen *g, uint32_t wi)
{
	const struct tplg_widget *w = &g->t->widgets[wi];
	const struct tplg_dai_tokens *d = &w->tokens.dai;
	struct tplg_ipc_msg *m;

	m = comp_new(g, wi, IPC3_COMP_DAI, sizeof(struct ipc3_comp_dai), 0);
	if (!m)
		return no_room(g);
	put_le32(m->data + offsetof(struct ipc3_comp_dai, direction), d->direction);
	put_le32(m->data + offsetof(struct ipc3_comp_dai, dai_index), d->index);
	put_le32(m->data + offsetof(struct ipc3_comp_dai, type), d->type);
	msg_desc(m, "dai id %u '%s' pipe %u type %u (%s) index %u %s", comp_id(g, wi), w->name,
		 w->index, d->type, d->type_name[0] ? d->type_name : "none", d->index,
		 d->direction == IPC3_STREAM_CAPTURE ? "capture" : "playback");
	return 0;
}

static int gen_buffer(struct ipc_gen *g, uint32_t wi)
{
	const struct tplg_widget *w = &g->t->widgets[wi];
	const struct tplg_tuple *flags = tplg_priv_find(&w->priv, IPC_GEN_TKN_BUF_FLAGS);
	uint32_t fl = flags && flags->type != TPLG_TUPLE_STRING &&
		      flags->type != TPLG_TUPLE_UUID ? flags->value : 0;
	struct tplg_ipc_msg *m;

	m = widget_msg_new(g, wi, IPC3_TPLG_BUFFER_NEW, sizeof(struct ipc3_buffer));
	if (!m)
		return no_room(g);
	put_le32(m->data + offsetof(struct ipc3_buffer, comp.id), comp_id(g, wi));
	put_le32(m->data + offsetof(struct ipc3_buffer, comp.type), IPC3_COMP_BUFFER);
	put_le32(m->data + offsetof(struct ipc3_buffer, comp.pipeline_id), w->index);
	/*
	 * comp.core stays 0: the driver reads the core token only from the token groups of a
	 * widget's type, and a buffer's only group is the buffer tokens.
	 */
	put_le32(m->data + offsetof(struct ipc3_buffer, size), w->tokens.buffer.size);
	put_le32(m->data + offsetof(struct ipc3_buffer, caps), w->tokens.buffer.caps);
	put_le32(m->data + offsetof(struct ipc3_buffer, flags), fl);
	msg_desc(m, "buffer id %u '%s' pipe %u size %u caps 0x%x", comp_id(g, wi), w->name,
		 w->index, w->tokens.buffer.size, w->tokens.buffer.caps);
	return 0;
}

/* Components with no fields of their own past the config (mixer, mux). */
static int gen_plain(struct ipc_gen *g, uint32_t wi, uint32_t type)
{
	const struct tplg_widget *w = &g->t->widgets[wi];
	struct tplg_ipc_msg *m;

	m = comp_new(g, wi, type, sizeof(struct ipc3_comp_mixer), 0);
	if (!m)
		return no_room(g);
	msg_desc(m, "%s id %u '%s' pipe %u", ipc3_comp_type_name(type), comp_id(g, wi), w->name,
		 w->index);
	return 0;
}

static int gen_src(struct ipc_gen *g, uint32_t wi)
{
	const struct tplg_widget *w = &g->t->widgets[wi];
	struct tplg_ipc_msg *m;

	m = comp_new(g, wi, IPC3_COMP_SRC, sizeof(struct ipc3_comp_src), 0);
	if (!m)
		return no_room(g);
	put_le32(m->data + offsetof(struct ipc3_comp_src, source_rate), w->tokens.src.rate_in);
	put_le32(m->data + offsetof(struct ipc3_comp_src, sink_rate), w->tokens.src.rate_out);
	msg_desc(m, "src id %u '%s' pipe %u rate %u -> %u", comp_id(g, wi), w->name, w->index,
		 w->tokens.src.rate_in, w->tokens.src.rate_out);
	return 0;
}

static int gen_asrc(struct ipc_gen *g, uint32_t wi)
{
	const struct tplg_widget *w = &g->t->widgets[wi];
	const struct tplg_asrc_tokens *a = &w->tokens.asrc;
	struct tplg_ipc_msg *m;

	m = comp_new(g, wi, IPC3_COMP_ASRC, sizeof(struct ipc3_comp_asrc), 0);
	if (!m)
		return no_room(g);
	put_le32(m->data + offsetof(struct ipc3_comp_asrc, source_rate), a->rate_in);
	put_le32(m->data + offsetof(struct ipc3_comp_asrc, sink_rate), a->rate_out);
	put_le32(m->data + offsetof(struct ipc3_comp_asrc, asynchronous_mode),
		 a->asynchronous_mode);
	put_le32(m->data + offsetof(struct ipc3_comp_asrc, operation_mode), a->operation_mode);
	msg_desc(m, "asrc id %u '%s' pipe %u rate %u -> %u async %u mode %u", comp_id(g, wi),
		 w->name, w->index, a->rate_in, a->rate_out, a->asynchronous_mode,
		 a->operation_mode);
	return 0;
}

static int gen_tone(struct ipc_gen *g, uint32_t wi)
{
	const struct tplg_widget *w = &g->t->widgets[wi];
	struct tplg_ipc_msg *m;

	/* The driver sends the tone's config only; its own fields stay 0. */
	m = comp_new(g, wi, IPC3_COMP_TONE, sizeof(struct ipc3_comp_tone), 0);
	if (!m)
		return no_room(g);
	msg_desc(m, "tone id %u '%s' pipe %u", comp_id(g, wi), w->name, w->index);
	return 0;
}

/* (a * b) >> 16 with rounding, as the driver's vol_shift_64(); -1 if beyond 32 bits. */
static int64_t vol_mul(uint64_t a, uint64_t b)
{
	uint64_t r = (((a * b) >> (VOL_FWL - 1)) + 1) >> 1;

	return r > UINT32_MAX ? -1 : (int64_t)r;
}

int tplg_ipc_volume_gain(uint32_t step, int32_t db_min, int32_t db_step, bool mute,
			 uint32_t *gain)
{
	uint32_t s = (uint32_t)db_step & TLV_DB_SCALE_STEP_MASK;
	int64_t db, power = 1 << VOL_FWL;

	if (step == 0 && mute) {
		*gain = 0;
		return 0;
	}
	db = db_min / 100 + (int64_t)(((uint64_t)step * s) / 100);
	if (db > VOL_MAX_ABS_DB || db < -VOL_MAX_ABS_DB)
		return -ERANGE;
	for (int64_t i = 0; i < (db < 0 ? -db : db) && power >= 0; i++)
		power = vol_mul((uint64_t)power, VOL_20TH_ROOT_OF_10);
	if (power <= 0)
		return -ERANGE;
	if (db < 0)
		power = (int64_t)((1ull << (2 * VOL_FWL)) / (uint64_t)power);
	if (s - s / 100 == VOL_HALF_DB_STEP && (step & 1))
		power = vol_mul((uint64_t)power, VOL_40TH_ROOT_OF_10);
	if (power < 0 || power > UINT32_MAX)
		return -ERANGE;
	*gain = (uint32_t)power;
	return 0;
}

static bool is_volume_info(uint32_t info)
{
	return info == TPLG_CTL_VOLSW || info == TPLG_CTL_VOLSW_SX ||
	       info == TPLG_CTL_VOLSW_XR_SX;
}

static int gen_volume(struct ipc_gen *g, uint32_t wi)
{
	const struct tplg_widget *w = &g->t->widgets[wi];
	const struct tplg_kcontrol *kc = NULL;
	uint32_t min_gain, max_gain;
	struct tplg_ipc_msg *m;
	int ret;

	/* The driver takes the last-loaded volume control of the widget. */
	for (uint32_t i = 0; i < w->num_kcontrols; i++) {
		const struct tplg_kcontrol *c = &w->kcontrols[i];

		if (c->type == TPLG_BLOCK_MIXER && is_volume_info(c->ops.info) && c->mixer.max > 1)
			kc = c;
	}
	if (!kc)
		return gen_fail(g, -EINVAL, w->offset,
				"pga widget %u '%s' has no volume kcontrol (a volsw mixer with max > 1)",
				wi, w->name);
	if (!kc->tlv.db_scale)
		return gen_fail(g, -EINVAL, kc->offset,
				"pga widget %u '%s': volume kcontrol '%s' has no dB scale TLV", wi,
				w->name, kc->name);
	if (kc->mixer.min > kc->mixer.max || kc->mixer.num_channels > TPLG_MAX_CHAN)
		return gen_fail(g, -EINVAL, kc->offset,
				"pga widget %u '%s': volume kcontrol '%s' has min %u, max %u, %u channels",
				wi, w->name, kc->name, kc->mixer.min, kc->mixer.max,
				kc->mixer.num_channels);
	ret = tplg_ipc_volume_gain(kc->mixer.min, kc->tlv.db_min, kc->tlv.db_step,
				   kc->tlv.db_mute, &min_gain);
	if (ret == 0)
		ret = tplg_ipc_volume_gain(kc->mixer.max, kc->tlv.db_min, kc->tlv.db_step,
					   kc->tlv.db_mute, &max_gain);
	if (ret < 0)
		return gen_fail(g, ret, kc->offset,
				"pga widget %u '%s': volume kcontrol '%s' range is beyond Q8.16 gains",
				wi, w->name, kc->name);

	m = comp_new(g, wi, IPC3_COMP_VOLUME, sizeof(struct ipc3_comp_volume), 0);
	if (!m)
		return no_room(g);
	put_le32(m->data + offsetof(struct ipc3_comp_volume, channels), kc->mixer.num_channels);
	put_le32(m->data + offsetof(struct ipc3_comp_volume, min_value), min_gain);
	put_le32(m->data + offsetof(struct ipc3_comp_volume, max_value), max_gain);
	put_le32(m->data + offsetof(struct ipc3_comp_volume, ramp), w->tokens.volume.ramp_type);
	put_le32(m->data + offsetof(struct ipc3_comp_volume, initial_ramp),
		 w->tokens.volume.ramp_ms);
	msg_desc(m, "volume id %u '%s' pipe %u ch %u min 0x%x max 0x%x ramp %u %u ms",
		 comp_id(g, wi), w->name, w->index, kc->mixer.num_channels, min_gain, max_gain,
		 w->tokens.volume.ramp_type, w->tokens.volume.ramp_ms);
	return 0;
}

/*
 * What a kcontrol contributes to a process component's data, as the driver computes it:
 * for bytes controls the blob after its ABI header (whose magic, major version and size
 * are checked); for volume controls one {channel, value} pair per channel (value 0 dB,
 * or 0 for a switch); for enums one zeroed pair per channel. @blob is NULL for the pairs.
 */
static int control_data(struct ipc_gen *g, uint32_t wi, const struct tplg_kcontrol *c,
			const uint8_t **blob, uint32_t *size)
{
	const struct tplg_widget *w = &g->t->widgets[wi];
	uint32_t hdr = sizeof(struct ipc3_abi_hdr), ctl = sizeof(struct ipc3_ctrl_data);
	uint32_t magic, abi, data_size;

	*blob = NULL;
	switch (c->type) {
	case TPLG_BLOCK_BYTES:
		if (c->ops.info != TPLG_CTL_BYTES)
			break;
		if (c->bytes.max < ctl + hdr || c->priv.size > c->bytes.max - ctl)
			return gen_fail(g, -EINVAL, c->offset,
					"effect widget %u '%s': bytes kcontrol '%s' max %u does not hold its %u bytes",
					wi, w->name, c->name, c->bytes.max, c->priv.size);
		if (c->priv.size < hdr)
			return gen_fail(g, -EINVAL, c->offset,
					"effect widget %u '%s': bytes kcontrol '%s' has no ABI header (%u bytes)",
					wi, w->name, c->name, c->priv.size);
		magic = get_le32(c->priv.data + offsetof(struct ipc3_abi_hdr, magic));
		abi = get_le32(c->priv.data + offsetof(struct ipc3_abi_hdr, abi));
		data_size = get_le32(c->priv.data + offsetof(struct ipc3_abi_hdr, size));
		if (magic != IPC3_ABI_MAGIC || !ipc3_abi_compatible(IPC3_ABI_VERSION, abi))
			return gen_fail(g, -EINVAL, c->priv.offset,
					"effect widget %u '%s': bytes kcontrol '%s' has magic 0x%08x ABI 0x%08x",
					wi, w->name, c->name, magic, abi);
		if (data_size != c->priv.size - hdr)
			return gen_fail(g, -EINVAL, c->priv.offset,
					"effect widget %u '%s': bytes kcontrol '%s' header says %u bytes, has %u",
					wi, w->name, c->name, data_size, c->priv.size - hdr);
		*blob = c->priv.data + hdr;
		*size = data_size;
		return 0;
	case TPLG_BLOCK_MIXER:
		if (!is_volume_info(c->ops.info))
			break;
		*size = c->mixer.num_channels * (uint32_t)sizeof(struct ipc3_ctrl_value_chan);
		return 0;
	case TPLG_BLOCK_ENUM:
		if (c->ops.info != TPLG_CTL_ENUM && c->ops.info != TPLG_CTL_ENUM_VALUE)
			break;
		*size = c->enm.num_channels * (uint32_t)sizeof(struct ipc3_ctrl_value_chan);
		return 0;
	default:
		break;
	}
	return gen_fail(g, -EINVAL, c->offset,
			"effect widget %u '%s': kcontrol '%s' has a type the driver does not load (info %u)",
			wi, w->name, c->name, c->ops.info);
}

/* Fill the @size bytes of {channel, value} pairs that control_data() gave @c. */
static void put_chanv(uint8_t *p, uint32_t size, const struct tplg_kcontrol *c)
{
	const uint32_t pair = sizeof(struct ipc3_ctrl_value_chan);

	if (c->type != TPLG_BLOCK_MIXER || c->mixer.max <= 1)
		return;		/* switches and enums: zeroed pairs */
	for (uint32_t i = 0; i < size / pair; i++) {
		put_le32(p + i * pair + offsetof(struct ipc3_ctrl_value_chan, channel), i);
		put_le32(p + i * pair + offsetof(struct ipc3_ctrl_value_chan, value),
			 IPC3_VOLUME_Q8_16_ONE);
	}
}

static int gen_process(struct ipc_gen *g, uint32_t wi)
{
	const struct tplg_widget *w = &g->t->widgets[wi];
	uint32_t ptype = w->tokens.process.type, ctype = IPC3_COMP_NONE;
	uint32_t base = sizeof(struct ipc3_comp_process);
	uint64_t total = 0;
	struct tplg_ipc_msg *m;
	uint32_t off;
	int ret;

	if (w->priv.size == 0)
		return gen_fail(g, -EINVAL, w->offset, "effect widget %u '%s' has no tokens", wi,
				w->name);
	if (ptype < VADSP_ARRAY_SIZE(process_comp_type))
		ctype = process_comp_type[ptype];
	else
		ptype = IPC3_PROCESS_NONE;

	for (uint32_t i = 0; i < w->num_kcontrols; i++) {
		const uint8_t *blob;
		uint32_t size;

		ret = control_data(g, wi, &w->kcontrols[i], &blob, &size);
		if (ret < 0)
			return ret;
		total += size;
	}
	/* The data goes along only if the whole message fits; else it is left out. */
	if (base + total + ext_size(w) > IPC3_MSG_MAX_SIZE)
		total = 0;

	m = comp_new(g, wi, ctype, base, (uint32_t)total);
	if (!m)
		return no_room(g);
	put_le32(m->data + offsetof(struct ipc3_comp_process, size), (uint32_t)total);
	put_le32(m->data + offsetof(struct ipc3_comp_process, type), ptype);
	off = base;
	for (uint32_t i = 0; total && i < w->num_kcontrols; i++) {
		const struct tplg_kcontrol *c = &w->kcontrols[i];
		const uint8_t *blob;
		uint32_t size;

		/* Cannot fail: the first pass checked every control. */
		control_data(g, wi, c, &blob, &size);
		if (blob)
			memcpy(m->data + off, blob, size);
		else
			put_chanv(m->data + off, size, c);
		off += size;
	}
	msg_desc(m, "%s id %u '%s' pipe %u process %s data %u bytes",
		 ipc3_comp_type_name(ctype), comp_id(g, wi), w->name, w->index,
		 w->tokens.process.type_name[0] ? w->tokens.process.type_name : "none",
		 (uint32_t)total);
	return 0;
}

/*
 * The component that drives a pipeline whose scheduler's sname names no widget (the driver
 * refuses such a file; one firmware-sof-signed file has one): the pipeline's first host or
 * dai widget in load order, else its first other component. -ENOENT if it has none.
 */
static int fallback_sched(const struct tplg *t, uint32_t pipeline)
{
	int other = -ENOENT;

	for (uint32_t i = 0; i < t->num_widgets; i++) {
		const struct tplg_widget *w = &t->widgets[i];

		if (w->index != pipeline)
			continue;
		switch (w->id) {
		case TPLG_DAPM_AIF_IN:
		case TPLG_DAPM_AIF_OUT:
		case TPLG_DAPM_DAI_IN:
		case TPLG_DAPM_DAI_OUT:
			return (int)i;
		case TPLG_DAPM_PGA:
		case TPLG_DAPM_MIXER:
		case TPLG_DAPM_MUX:
		case TPLG_DAPM_SRC:
		case TPLG_DAPM_ASRC:
		case TPLG_DAPM_SIGGEN:
		case TPLG_DAPM_EFFECT:
			if (other < 0)
				other = (int)i;
			break;
		default:
			break;
		}
	}
	return other;
}

static int gen_pipeline(struct ipc_gen *g, uint32_t wi)
{
	const struct tplg_widget *w = &g->t->widgets[wi];
	const struct tplg_sched_tokens *s = &w->tokens.sched;
	struct tplg_ipc_msg *m;
	bool fallback = false;
	int sched;

	sched = tplg_find_widget(g->t, w->sname, w->index);
	if (sched < 0) {
		fallback = true;
		sched = fallback_sched(g->t, w->index);
	}
	if (sched < 0)
		return gen_fail(g, -EINVAL, w->offset,
				"scheduler widget %u '%s' names '%s', which is no widget, and pipeline %u has no component to schedule it",
				wi, w->name, w->sname, w->index);
	m = widget_msg_new(g, wi, IPC3_TPLG_PIPE_NEW, sizeof(struct ipc3_pipe_new));
	if (!m)
		return no_room(g);
	put_le32(m->data + offsetof(struct ipc3_pipe_new, comp_id), comp_id(g, wi));
	put_le32(m->data + offsetof(struct ipc3_pipe_new, pipeline_id), w->index);
	put_le32(m->data + offsetof(struct ipc3_pipe_new, sched_id), comp_id(g, (uint32_t)sched));
	put_le32(m->data + offsetof(struct ipc3_pipe_new, core), s->core);
	put_le32(m->data + offsetof(struct ipc3_pipe_new, period), s->period);
	put_le32(m->data + offsetof(struct ipc3_pipe_new, priority), s->priority);
	put_le32(m->data + offsetof(struct ipc3_pipe_new, period_mips), s->mips);
	put_le32(m->data + offsetof(struct ipc3_pipe_new, frames_per_sched), s->frames);
	put_le32(m->data + offsetof(struct ipc3_pipe_new, time_domain), s->time_domain);
	msg_desc(m, "pipeline id %u '%s' pipe %u sched %u '%s'%s period %u us prio %u core %u mips %u%s",
		 comp_id(g, wi), w->name, w->index, comp_id(g, (uint32_t)sched),
		 g->t->widgets[sched].name, fallback ? " (sname unresolved)" : "", s->period,
		 s->priority, s->core, s->mips, s->dynamic ? " dynamic" : "");
	return 0;
}

static int gen_widget(struct ipc_gen *g, uint32_t wi)
{
	switch (g->t->widgets[wi].id) {
	case TPLG_DAPM_AIF_IN:
	case TPLG_DAPM_AIF_OUT:
		return gen_host(g, wi);
	case TPLG_DAPM_DAI_IN:
	case TPLG_DAPM_DAI_OUT:
		return gen_dai(g, wi);
	case TPLG_DAPM_BUFFER:
		return gen_buffer(g, wi);
	case TPLG_DAPM_PGA:
		return gen_volume(g, wi);
	case TPLG_DAPM_MIXER:
		return gen_plain(g, wi, IPC3_COMP_MIXER);
	case TPLG_DAPM_MUX:
		return gen_plain(g, wi, IPC3_COMP_MUX);
	case TPLG_DAPM_SRC:
		return gen_src(g, wi);
	case TPLG_DAPM_ASRC:
		return gen_asrc(g, wi);
	case TPLG_DAPM_SIGGEN:
		return gen_tone(g, wi);
	case TPLG_DAPM_EFFECT:
		return gen_process(g, wi);
	case TPLG_DAPM_SCHEDULER:
		return gen_pipeline(g, wi);
	default:
		return 0;	/* the driver sends nothing for other widget types */
	}
}

static bool route_kept(const struct tplg_widget *src, const struct tplg_widget *sink)
{
	if (src->id == TPLG_DAPM_OUTPUT || src->id == TPLG_DAPM_OUT_DRV ||
	    sink->id == TPLG_DAPM_OUTPUT || sink->id == TPLG_DAPM_OUT_DRV)
		return false;
	return src->id == TPLG_DAPM_BUFFER || sink->id == TPLG_DAPM_BUFFER;
}

static int gen_route(struct ipc_gen *g, uint32_t ri)
{
	const struct tplg_route *r = &g->t->routes[ri];
	const struct tplg_widget *src, *sink;
	struct tplg_ipc_msg *m;

	if (r->source_widget >= g->t->num_widgets || r->sink_widget >= g->t->num_widgets)
		return gen_fail(g, -EINVAL, r->offset,
				"route %u '%s' -> '%s' names an unknown widget", ri, r->source,
				r->sink);
	src = &g->t->widgets[r->source_widget];
	sink = &g->t->widgets[r->sink_widget];
	if (!route_kept(src, sink))
		return 0;
	if (g->opts->static_only &&
	    (g->dynamic[r->source_widget] || g->dynamic[r->sink_widget]))
		return 0;
	m = msg_new(g, IPC3_TPLG_COMP_CONNECT, sizeof(struct ipc3_pipe_comp_connect));
	if (!m)
		return no_room(g);
	m->route = (int32_t)ri;
	m->pipeline_id = src->index;
	m->dynamic = g->dynamic[r->source_widget] || g->dynamic[r->sink_widget];
	put_le32(m->data + offsetof(struct ipc3_pipe_comp_connect, source_id),
		 comp_id(g, r->source_widget));
	put_le32(m->data + offsetof(struct ipc3_pipe_comp_connect, sink_id),
		 comp_id(g, r->sink_widget));
	msg_desc(m, "%u '%s' -> %u '%s'", comp_id(g, r->source_widget), src->name,
		 comp_id(g, r->sink_widget), sink->name);
	return 0;
}

static int gen_complete(struct ipc_gen *g, uint32_t wi)
{
	const struct tplg_widget *w = &g->t->widgets[wi];
	struct tplg_ipc_msg *m;

	m = widget_msg_new(g, wi, IPC3_TPLG_PIPE_COMPLETE, sizeof(struct ipc3_pipe_ready));
	if (!m)
		return no_room(g);
	put_le32(m->data + offsetof(struct ipc3_pipe_ready, comp_id), comp_id(g, wi));
	msg_desc(m, "pipeline id %u '%s' pipe %u", comp_id(g, wi), w->name, w->index);
	return 0;
}

/*
 * A widget is dynamic when a scheduler of its pipeline says so. The driver walks the
 * schedulers in reverse load order, so for a pipeline with several schedulers the
 * first-loaded one decides.
 */
static void mark_dynamic(struct ipc_gen *g)
{
	const struct tplg *t = g->t;

	for (uint32_t s = t->num_widgets; s-- > 0;) {
		if (t->widgets[s].id != TPLG_DAPM_SCHEDULER)
			continue;
		for (uint32_t i = 0; i < t->num_widgets; i++)
			if (t->widgets[i].index == t->widgets[s].index)
				g->dynamic[i] = t->widgets[s].tokens.sched.dynamic;
	}
}

int tplg_ipc_build(const struct tplg *t, const struct tplg_ipc_opts *opts,
		   struct tplg_ipc_seq **out, struct tplg_error *err)
{
	static const struct tplg_ipc_opts defaults;
	struct ipc_gen g = {
		.t = t,
		.opts = opts ? opts : &defaults,
		.err = err,
	};
	uint64_t cap;
	int ret = 0;

	if ((uint64_t)g.opts->id_base + t->num_widgets > (uint64_t)UINT32_MAX + 1)
		return gen_fail(&g, -ERANGE, 0, "component ids %u + %u widgets exceed 32 bits",
				g.opts->id_base, t->num_widgets);
	cap = 2ull * t->num_widgets + t->num_routes;
	g.seq = calloc(1, sizeof(*g.seq));
	g.dynamic = calloc(t->num_widgets ? t->num_widgets : 1, sizeof(*g.dynamic));
	if (g.seq && cap)
		g.seq->msgs = calloc(cap, sizeof(*g.seq->msgs));
	if (!g.seq || !g.dynamic || (cap && !g.seq->msgs)) {
		ret = gen_fail(&g, -ENOMEM, 0, "out of memory for %llu messages",
			       (unsigned long long)cap);
		goto fail;
	}
	g.cap = (uint32_t)cap;
	g.seq->id_base = g.opts->id_base;
	g.seq->num_ids = t->num_widgets;
	mark_dynamic(&g);

	for (uint32_t i = t->num_widgets; ret == 0 && i-- > 0;)
		if (!(g.opts->static_only && g.dynamic[i]))
			ret = gen_widget(&g, i);
	for (uint32_t i = t->num_routes; ret == 0 && i-- > 0;)
		ret = gen_route(&g, i);
	for (uint32_t i = t->num_widgets; ret == 0 && i-- > 0;)
		if (t->widgets[i].id == TPLG_DAPM_SCHEDULER &&
		    !(g.opts->static_only && g.dynamic[i]))
			ret = gen_complete(&g, i);
	if (ret < 0)
		goto fail;
	free(g.dynamic);
	*out = g.seq;
	return 0;
fail:
	free(g.dynamic);
	tplg_ipc_seq_free(g.seq);
	return ret;
}

void tplg_ipc_seq_free(struct tplg_ipc_seq *seq)
{
	if (!seq)
		return;
	free(seq->msgs);
	free(seq);
}
