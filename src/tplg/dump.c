// SPDX-License-Identifier: MIT
/*
 * Text and JSON dumps of a parsed topology.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tplg/dump.h"
#include "util/le.h"

/* ---- token groups, printed field by field from their tables ---- */

enum val_kind { VAL_NUM, VAL_BOOL, VAL_STR, VAL_UUID };

struct val {
	enum val_kind kind;
	uint32_t num;
	const char *str;
	const uint8_t *uuid;
};

/*
 * The value of token field @e in the group struct at @base. A converted entry (format, dai
 * type...) is a number, printed under the field name it fills.
 */
static void field_value(const struct tplg_token *e, const uint8_t *base, struct val *v)
{
	const uint8_t *f = base + e->offset;

	memset(v, 0, sizeof(*v));
	if (e->conv || (e->type != TPLG_TUPLE_STRING && e->type != TPLG_TUPLE_UUID)) {
		v->kind = e->type == TPLG_TUPLE_BOOL && !e->conv ? VAL_BOOL : VAL_NUM;
		if (e->size == 1) {
			v->num = f[0];
		} else if (e->size == 2) {
			uint16_t s;

			memcpy(&s, f, 2);
			v->num = s;
		} else {
			memcpy(&v->num, f, 4);
		}
	} else if (e->type == TPLG_TUPLE_STRING) {
		v->kind = VAL_STR;
		v->str = (const char *)f;
	} else {
		v->kind = VAL_UUID;
		v->uuid = f;
	}
}

/* The value of a raw tuple, as its type says. */
static void tuple_value(const struct tplg_tuple *t, struct val *v)
{
	memset(v, 0, sizeof(*v));
	if (t->type == TPLG_TUPLE_STRING) {
		v->kind = VAL_STR;
		v->str = t->string;
	} else if (t->type == TPLG_TUPLE_UUID) {
		v->kind = VAL_UUID;
		v->uuid = t->uuid;
	} else {
		v->kind = VAL_NUM;
		v->num = t->value;
	}
}

static void uuid_str(const uint8_t *u, char out[37])
{
	snprintf(out, 37, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", get_le32(u),
		 get_le16(u + 4), get_le16(u + 6), u[8], u[9], u[10], u[11], u[12], u[13], u[14],
		 u[15]);
}

/* Whether @priv holds a token of @tab: only the groups a file uses are printed. */
static bool group_present(const struct tplg_priv *priv, const struct tplg_token_table *tab)
{
	for (size_t i = 0; i < tab->num_tokens; i++)
		if (tplg_priv_find(priv, tab->tokens[i].token))
			return true;
	return false;
}

/* ---- JSON ---- */

struct js {
	FILE *f;
	int depth;
	bool first[64];
};

static void js_str_raw(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void js_key(struct js *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	fprintf(j->f, "\n%*s", 2 * j->depth, "");
	if (key) {
		js_str_raw(j->f, key);
		fputs(": ", j->f);
	}
}

static void js_open(struct js *j, const char *key, char c)
{
	js_key(j, key);
	fputc(c, j->f);
	if (j->depth < 63)
		j->depth++;
	j->first[j->depth] = true;
}

static void js_close(struct js *j, char c)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty)
		fprintf(j->f, "\n%*s", 2 * j->depth, "");
	fputc(c, j->f);
}

static void js_u(struct js *j, const char *key, uint64_t v)
{
	js_key(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

static void js_i(struct js *j, const char *key, int64_t v)
{
	js_key(j, key);
	fprintf(j->f, "%" PRId64, v);
}

static void js_b(struct js *j, const char *key, bool v)
{
	js_key(j, key);
	fputs(v ? "true" : "false", j->f);
}

static void js_s(struct js *j, const char *key, const char *s)
{
	js_key(j, key);
	js_str_raw(j->f, s);
}

static void js_val(struct js *j, const char *key, const struct val *v)
{
	char u[37];

	switch (v->kind) {
	case VAL_NUM:
		js_u(j, key, v->num);
		break;
	case VAL_BOOL:
		js_b(j, key, v->num != 0);
		break;
	case VAL_STR:
		js_s(j, key, v->str);
		break;
	case VAL_UUID:
		uuid_str(v->uuid, u);
		js_s(j, key, u);
		break;
	}
}

static void js_set(struct js *j, const char *key, const struct tplg_token_table *tab,
		   const uint8_t *base, const struct tplg_priv *priv, bool all)
{
	js_open(j, key, '{');
	for (size_t i = 0; i < tab->num_tokens; i++) {
		const struct tplg_token *e = &tab->tokens[i];
		struct val v;

		if (!all && !tplg_priv_find(priv, e->token))
			continue;
		field_value(e, base, &v);
		js_val(j, e->field, &v);
	}
	js_close(j, '}');
}

static void js_groups(struct js *j, const struct tplg_token_group_ref *g, size_t n,
		      const void *obj, const struct tplg_priv *priv)
{
	const uint8_t *base = obj;

	js_open(j, "tokens", '{');
	for (size_t i = 0; i < n; i++) {
		const struct tplg_token_table *tab = g[i].table;

		if (!group_present(priv, tab))
			continue;
		if (g[i].sets_offset) {
			uint32_t sets;

			memcpy(&sets, base + g[i].sets_offset, sizeof(sets));
			js_open(j, tab->name, '[');
			for (uint32_t s = 0; s < sets; s++)
				js_set(j, NULL, tab, base + g[i].offset + s * tab->set_stride, priv,
				       true);
			js_close(j, ']');
		} else {
			js_set(j, tab->name, tab, base + g[i].offset, priv, false);
		}
	}
	js_close(j, '}');
}

static void js_priv(struct js *j, const struct tplg_priv *priv)
{
	js_open(j, "private", '{');
	js_u(j, "size", priv->size);
	js_u(j, "offset", priv->offset);
	js_u(j, "arrays", priv->num_arrays);
	js_u(j, "unknown_tuples", priv->num_unknown);
	js_open(j, "tuples", '[');
	for (uint32_t i = 0; i < priv->num_tuples; i++) {
		const struct tplg_tuple *t = &priv->tuples[i];
		const char *name = tplg_token_name(t->token);
		struct val v;

		js_open(j, NULL, '{');
		js_u(j, "token", t->token);
		if (name)
			js_s(j, "name", name);
		js_s(j, "type", tplg_tuple_type_name(t->type));
		js_b(j, "known", t->known);
		tuple_value(t, &v);
		js_val(j, "value", &v);
		js_close(j, '}');
	}
	js_close(j, ']');
	js_close(j, '}');
}

static void js_caps(struct js *j, const char *key, const struct tplg_stream_caps *c)
{
	js_open(j, key, '{');
	js_s(j, "name", c->name);
	js_u(j, "formats", c->formats);
	js_u(j, "rates", c->rates);
	js_u(j, "rate_min", c->rate_min);
	js_u(j, "rate_max", c->rate_max);
	js_u(j, "channels_min", c->channels_min);
	js_u(j, "channels_max", c->channels_max);
	js_u(j, "periods_min", c->periods_min);
	js_u(j, "periods_max", c->periods_max);
	js_u(j, "period_size_min", c->period_size_min);
	js_u(j, "period_size_max", c->period_size_max);
	js_u(j, "buffer_size_min", c->buffer_size_min);
	js_u(j, "buffer_size_max", c->buffer_size_max);
	js_u(j, "sig_bits", c->sig_bits);
	js_close(j, '}');
}

static void js_streams(struct js *j, const struct tplg_stream *s, uint32_t n)
{
	js_open(j, "streams", '[');
	for (uint32_t i = 0; i < n; i++) {
		js_open(j, NULL, '{');
		js_s(j, "name", s[i].name);
		js_u(j, "format", s[i].format);
		js_u(j, "rate", s[i].rate);
		js_u(j, "period_bytes", s[i].period_bytes);
		js_u(j, "buffer_bytes", s[i].buffer_bytes);
		js_u(j, "channels", s[i].channels);
		js_close(j, '}');
	}
	js_close(j, ']');
}

static void js_channels(struct js *j, const struct tplg_channel *ch, uint32_t n)
{
	js_open(j, "channels", '[');
	for (uint32_t i = 0; i < n; i++) {
		js_open(j, NULL, '{');
		js_u(j, "id", ch[i].id);
		js_u(j, "reg", ch[i].reg);
		js_u(j, "shift", ch[i].shift);
		js_close(j, '}');
	}
	js_close(j, ']');
}

static void js_kcontrol(struct js *j, const struct tplg_kcontrol *k)
{
	js_open(j, NULL, '{');
	js_s(j, "name", k->name);
	js_s(j, "type", tplg_block_type_name(k->type));
	js_i(j, "widget", k->widget);
	js_u(j, "index", k->index);
	js_u(j, "offset", k->offset);
	js_u(j, "access", k->access);
	js_u(j, "get", k->ops.get);
	js_u(j, "put", k->ops.put);
	js_u(j, "info", k->ops.info);
	js_s(j, "info_name", tplg_ctl_info_name(k->ops.info));
	if (k->tlv.db_scale) {
		js_open(j, "db_scale", '{');
		js_i(j, "min", k->tlv.db_min);
		js_i(j, "step", k->tlv.db_step);
		js_b(j, "mute", k->tlv.db_mute);
		js_close(j, '}');
	}
	switch (k->type) {
	case TPLG_BLOCK_MIXER:
		js_u(j, "min", k->mixer.min);
		js_u(j, "max", k->mixer.max);
		js_u(j, "platform_max", k->mixer.platform_max);
		js_u(j, "invert", k->mixer.invert);
		js_channels(j, k->mixer.channel, k->mixer.num_channels);
		break;
	case TPLG_BLOCK_ENUM:
		js_u(j, "items", k->enm.items);
		js_u(j, "mask", k->enm.mask);
		js_channels(j, k->enm.channel, k->enm.num_channels);
		js_open(j, "texts", '[');
		for (uint32_t i = 0; i < k->enm.items; i++)
			js_s(j, NULL, k->enm.texts[i]);
		js_close(j, ']');
		js_open(j, "values", '[');
		for (uint32_t i = 0; i < k->enm.items; i++)
			js_u(j, NULL, k->enm.values[i]);
		js_close(j, ']');
		break;
	default:
		js_u(j, "max", k->bytes.max);
		js_u(j, "mask", k->bytes.mask);
		js_u(j, "base", k->bytes.base);
		js_u(j, "num_regs", k->bytes.num_regs);
		js_u(j, "ext_get", k->bytes.ext_ops.get);
		js_u(j, "ext_put", k->bytes.ext_ops.put);
		js_u(j, "ext_info", k->bytes.ext_ops.info);
		break;
	}
	if (k->type == TPLG_BLOCK_BYTES) {
		js_open(j, "private", '{');
		js_u(j, "size", k->priv.size);
		js_u(j, "offset", k->priv.offset);
		js_close(j, '}');
	} else {
		js_priv(j, &k->priv);
	}
	js_close(j, '}');
}

int tplg_dump_json(FILE *f, const struct tplg *t)
{
	const struct tplg_manifest *m = &t->manifest;
	struct js j = { .f = f };

	j.first[0] = true;
	fputc('{', f);
	j.depth = 1;
	j.first[1] = true;
	js_u(&j, "size", t->size);
	js_u(&j, "tuples", t->num_tuples);
	js_u(&j, "unknown_tuples", t->num_unknown_tuples);

	js_open(&j, "manifest", '{');
	js_b(&j, "present", m->present);
	if (m->present) {
		js_u(&j, "layout_abi", m->layout_abi);
		js_u(&j, "control_elems", m->control_elems);
		js_u(&j, "widget_elems", m->widget_elems);
		js_u(&j, "graph_elems", m->graph_elems);
		js_u(&j, "pcm_elems", m->pcm_elems);
		js_u(&j, "dai_link_elems", m->dai_link_elems);
		js_u(&j, "dai_elems", m->dai_elems);
		js_u(&j, "private_size", m->priv.size);
		if (m->has_sof_abi) {
			js_open(&j, "sof_abi", '[');
			js_u(&j, NULL, m->sof_abi_major);
			js_u(&j, NULL, m->sof_abi_minor);
			js_u(&j, NULL, m->sof_abi_patch);
			js_close(&j, ']');
		}
	}
	js_close(&j, '}');

	js_open(&j, "blocks", '[');
	for (uint32_t i = 0; i < t->num_blocks; i++) {
		const struct tplg_block *b = &t->blocks[i];

		js_open(&j, NULL, '{');
		js_u(&j, "type", b->type);
		js_s(&j, "type_name", tplg_block_type_name(b->type));
		js_u(&j, "offset", b->offset);
		js_u(&j, "abi", b->abi);
		js_u(&j, "version", b->version);
		js_u(&j, "vendor_type", b->vendor_type);
		js_u(&j, "index", b->index);
		js_u(&j, "count", b->count);
		js_u(&j, "payload_size", b->payload_size);
		js_close(&j, '}');
	}
	js_close(&j, ']');

	js_open(&j, "widgets", '[');
	for (uint32_t i = 0; i < t->num_widgets; i++) {
		const struct tplg_widget *w = &t->widgets[i];

		js_open(&j, NULL, '{');
		js_u(&j, "number", i);
		js_s(&j, "name", w->name);
		js_s(&j, "sname", w->sname);
		js_u(&j, "id", w->id);
		js_s(&j, "type", tplg_widget_type_name(w->id));
		js_u(&j, "pipeline", w->index);
		js_u(&j, "block", w->block);
		js_u(&j, "offset", w->offset);
		js_groups(&j, tplg_widget_groups, tplg_num_widget_groups, &w->tokens, &w->priv);
		js_priv(&j, &w->priv);
		js_open(&j, "kcontrols", '[');
		for (uint32_t k = 0; k < w->num_kcontrols; k++)
			js_kcontrol(&j, &w->kcontrols[k]);
		js_close(&j, ']');
		js_close(&j, '}');
	}
	js_close(&j, ']');

	js_open(&j, "controls", '[');
	for (uint32_t i = 0; i < t->num_kcontrols; i++)
		if (t->kcontrols[i].widget < 0)
			js_kcontrol(&j, &t->kcontrols[i]);
	js_close(&j, ']');

	js_open(&j, "routes", '[');
	for (uint32_t i = 0; i < t->num_routes; i++) {
		const struct tplg_route *r = &t->routes[i];

		js_open(&j, NULL, '{');
		js_s(&j, "source", r->source);
		js_s(&j, "control", r->control);
		js_s(&j, "sink", r->sink);
		js_u(&j, "source_widget", r->source_widget);
		js_u(&j, "sink_widget", r->sink_widget);
		js_u(&j, "pipeline", r->index);
		js_close(&j, '}');
	}
	js_close(&j, ']');

	js_open(&j, "pcms", '[');
	for (uint32_t i = 0; i < t->num_pcms; i++) {
		const struct tplg_pcm *p = &t->pcms[i];

		js_open(&j, NULL, '{');
		js_s(&j, "pcm_name", p->pcm_name);
		js_s(&j, "dai_name", p->dai_name);
		js_u(&j, "pcm_id", p->pcm_id);
		js_u(&j, "dai_id", p->dai_id);
		js_b(&j, "playback", p->playback);
		js_b(&j, "capture", p->capture);
		js_b(&j, "compress", p->compress);
		js_u(&j, "layout_abi", p->layout_abi);
		js_caps(&j, "playback_caps", &p->caps[0]);
		js_caps(&j, "capture_caps", &p->caps[1]);
		js_streams(&j, p->streams, p->num_streams);
		js_u(&j, "flag_mask", p->flag_mask);
		js_u(&j, "flags", p->flags);
		js_priv(&j, &p->priv);
		js_close(&j, '}');
	}
	js_close(&j, ']');

	js_open(&j, "links", '[');
	for (uint32_t i = 0; i < t->num_links; i++) {
		const struct tplg_link *l = &t->links[i];

		js_open(&j, NULL, '{');
		js_s(&j, "type", tplg_block_type_name(l->type));
		js_u(&j, "id", l->id);
		js_s(&j, "name", l->name);
		js_s(&j, "stream_name", l->stream_name);
		js_u(&j, "layout_abi", l->layout_abi);
		js_streams(&j, l->streams, l->num_streams);
		js_open(&j, "hw_configs", '[');
		for (uint32_t h = 0; h < l->num_hw_configs; h++) {
			const struct tplg_hw_config *c = &l->hw_configs[h];

			js_open(&j, NULL, '{');
			js_u(&j, "id", c->id);
			js_u(&j, "fmt", c->fmt);
			js_u(&j, "clock_gated", c->clock_gated);
			js_u(&j, "invert_bclk", c->invert_bclk);
			js_u(&j, "invert_fsync", c->invert_fsync);
			js_u(&j, "bclk_provider", c->bclk_provider);
			js_u(&j, "fsync_provider", c->fsync_provider);
			js_u(&j, "mclk_direction", c->mclk_direction);
			js_u(&j, "mclk_rate", c->mclk_rate);
			js_u(&j, "bclk_rate", c->bclk_rate);
			js_u(&j, "fsync_rate", c->fsync_rate);
			js_u(&j, "tdm_slots", c->tdm_slots);
			js_u(&j, "tdm_slot_width", c->tdm_slot_width);
			js_u(&j, "tx_slots", c->tx_slots);
			js_u(&j, "rx_slots", c->rx_slots);
			js_u(&j, "tx_channels", c->tx_channels);
			js_u(&j, "rx_channels", c->rx_channels);
			js_close(&j, '}');
		}
		js_close(&j, ']');
		js_u(&j, "default_hw_config_id", l->default_hw_config_id);
		js_u(&j, "flag_mask", l->flag_mask);
		js_u(&j, "flags", l->flags);
		js_groups(&j, tplg_link_groups, tplg_num_link_groups, &l->tokens, &l->priv);
		js_priv(&j, &l->priv);
		js_close(&j, '}');
	}
	js_close(&j, ']');

	js_open(&j, "dais", '[');
	for (uint32_t i = 0; i < t->num_dais; i++) {
		const struct tplg_dai *d = &t->dais[i];

		js_open(&j, NULL, '{');
		js_s(&j, "dai_name", d->dai_name);
		js_u(&j, "dai_id", d->dai_id);
		js_b(&j, "playback", d->playback);
		js_b(&j, "capture", d->capture);
		js_caps(&j, "playback_caps", &d->caps[0]);
		js_caps(&j, "capture_caps", &d->caps[1]);
		js_u(&j, "flag_mask", d->flag_mask);
		js_u(&j, "flags", d->flags);
		js_priv(&j, &d->priv);
		js_close(&j, '}');
	}
	js_close(&j, ']');
	fputs("\n}\n", f);
	return ferror(f) ? -EIO : 0;
}

/* ---- text ---- */

/* Print a file string as it is, or escaped when it holds bytes that are not printable. */
static void tx_str(FILE *f, const char *s)
{
	fputc('\'', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f || *p == '\\' || *p == '\'')
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('\'', f);
}

static void tx_val(FILE *f, const struct val *v)
{
	char u[37];

	switch (v->kind) {
	case VAL_NUM:
		fprintf(f, "%" PRIu32, v->num);
		break;
	case VAL_BOOL:
		fputs(v->num ? "true" : "false", f);
		break;
	case VAL_STR:
		tx_str(f, v->str);
		break;
	case VAL_UUID:
		uuid_str(v->uuid, u);
		fputs(u, f);
		break;
	}
}

static void tx_set(FILE *f, const struct tplg_token_table *tab, const uint8_t *base,
		   const struct tplg_priv *priv, bool all)
{
	for (size_t i = 0; i < tab->num_tokens; i++) {
		const struct tplg_token *e = &tab->tokens[i];
		struct val v;

		if (!all && !tplg_priv_find(priv, e->token))
			continue;
		field_value(e, base, &v);
		fprintf(f, " %s=", e->field);
		tx_val(f, &v);
	}
}

static void tx_groups(FILE *f, const char *ind, const struct tplg_token_group_ref *g, size_t n,
		      const void *obj, const struct tplg_priv *priv)
{
	const uint8_t *base = obj;

	for (size_t i = 0; i < n; i++) {
		const struct tplg_token_table *tab = g[i].table;

		if (!group_present(priv, tab))
			continue;
		if (g[i].sets_offset) {
			uint32_t sets;

			memcpy(&sets, base + g[i].sets_offset, sizeof(sets));
			for (uint32_t s = 0; s < sets; s++) {
				fprintf(f, "%s%s[%u]:", ind, tab->name, s);
				tx_set(f, tab, base + g[i].offset + s * tab->set_stride, priv, true);
				fputc('\n', f);
			}
		} else {
			fprintf(f, "%s%s:", ind, tab->name);
			tx_set(f, tab, base + g[i].offset, priv, false);
			fputc('\n', f);
		}
	}
}

static void tx_tuples(FILE *f, const char *ind, const struct tplg_priv *priv)
{
	if (priv->size == 0)
		return;
	fprintf(f, "%sprivate: %u bytes at %u, %u arrays, %u tuples (%u unknown)\n", ind,
		priv->size, priv->offset, priv->num_arrays, priv->num_tuples, priv->num_unknown);
	if (priv->num_tuples == 0)
		return;
	fprintf(f, "%stuples:", ind);
	for (uint32_t i = 0; i < priv->num_tuples; i++) {
		const struct tplg_tuple *t = &priv->tuples[i];
		const char *name = tplg_token_name(t->token);
		struct val v;

		if (name)
			fprintf(f, " %s(%u)=", name, t->token);
		else
			fprintf(f, " %u=", t->token);
		tuple_value(t, &v);
		tx_val(f, &v);
		if (!t->known)
			fputs("(unknown)", f);
	}
	fputc('\n', f);
}

static void tx_caps(FILE *f, const char *dir, const struct tplg_stream_caps *c)
{
	fprintf(f, "      %s caps ", dir);
	tx_str(f, c->name);
	fprintf(f, ": formats 0x%" PRIx64 " rates 0x%x %u-%u Hz, %u-%u ch, periods %u-%u, period %u-%u bytes, buffer %u-%u bytes, sig_bits %u\n",
		c->formats, c->rates, c->rate_min, c->rate_max, c->channels_min, c->channels_max,
		c->periods_min, c->periods_max, c->period_size_min, c->period_size_max,
		c->buffer_size_min, c->buffer_size_max, c->sig_bits);
}

static void tx_streams(FILE *f, const struct tplg_stream *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		fprintf(f, "      stream %u ", i);
		tx_str(f, s[i].name);
		fprintf(f, ": format 0x%" PRIx64 " rate %u period %u buffer %u channels %u\n",
			s[i].format, s[i].rate, s[i].period_bytes, s[i].buffer_bytes,
			s[i].channels);
	}
}

static void tx_channels(FILE *f, const struct tplg_channel *ch, uint32_t n)
{
	fprintf(f, " channels %u", n);
	if (n == 0)
		return;
	fputs(" (ids", f);
	for (uint32_t i = 0; i < n; i++)
		fprintf(f, " %u", ch[i].id);
	fputc(')', f);
}

static void tx_kcontrol(FILE *f, const char *ind, uint32_t n, const struct tplg_kcontrol *k)
{
	fprintf(f, "%skcontrol %u %s ", ind, n, tplg_block_type_name(k->type));
	tx_str(f, k->name);
	fprintf(f, ": info %s (%u) get %u put %u access 0x%x", tplg_ctl_info_name(k->ops.info),
		k->ops.info, k->ops.get, k->ops.put, k->access);
	switch (k->type) {
	case TPLG_BLOCK_MIXER:
		fprintf(f, " min %u max %u platform_max %u invert %u", k->mixer.min, k->mixer.max,
			k->mixer.platform_max, k->mixer.invert);
		tx_channels(f, k->mixer.channel, k->mixer.num_channels);
		break;
	case TPLG_BLOCK_ENUM:
		fprintf(f, " items %u mask 0x%x", k->enm.items, k->enm.mask);
		tx_channels(f, k->enm.channel, k->enm.num_channels);
		for (uint32_t i = 0; i < k->enm.items; i++) {
			fputs(i ? ", " : " texts ", f);
			tx_str(f, k->enm.texts[i]);
			fprintf(f, "=%u", k->enm.values[i]);
		}
		break;
	default:
		fprintf(f, " max %u ext get %u put %u, data %u bytes", k->bytes.max,
			k->bytes.ext_ops.get, k->bytes.ext_ops.put, k->priv.size);
		break;
	}
	if (k->tlv.db_scale)
		fprintf(f, " dB scale min %d step %d (0.01 dB)%s", k->tlv.db_min, k->tlv.db_step,
			k->tlv.db_mute ? " mute" : "");
	fputc('\n', f);
	if (k->type != TPLG_BLOCK_BYTES) {
		char ind2[32];

		snprintf(ind2, sizeof(ind2), "%s  ", ind);
		tx_tuples(f, ind2, &k->priv);
	}
}

int tplg_dump_text(FILE *f, const struct tplg *t)
{
	const struct tplg_manifest *m = &t->manifest;

	if (m->present) {
		fprintf(f, "manifest: ABI %u layout; controls %u, widgets %u, graph %u, pcms %u, dai links %u, dais %u; private %u bytes",
			m->layout_abi, m->control_elems, m->widget_elems, m->graph_elems,
			m->pcm_elems, m->dai_link_elems, m->dai_elems, m->priv.size);
		if (m->has_sof_abi)
			fprintf(f, "; SOF ABI %u.%u.%u", m->sof_abi_major, m->sof_abi_minor,
				m->sof_abi_patch);
		fputc('\n', f);
	} else {
		fputs("manifest: none\n", f);
	}
	fprintf(f, "tuples: %u (%u unknown)\n", t->num_tuples, t->num_unknown_tuples);

	fprintf(f, "blocks (%u):\n", t->num_blocks);
	for (uint32_t i = 0; i < t->num_blocks; i++) {
		const struct tplg_block *b = &t->blocks[i];

		fprintf(f, "  %u %s at %u: abi %u, index %u, count %u, payload %u bytes, version %u, vendor type %u\n",
			i, tplg_block_type_name(b->type), b->offset, b->abi, b->index, b->count,
			b->payload_size, b->version, b->vendor_type);
	}

	fprintf(f, "widgets (%u):\n", t->num_widgets);
	for (uint32_t i = 0; i < t->num_widgets; i++) {
		const struct tplg_widget *w = &t->widgets[i];

		fprintf(f, "  %u %s ", i, tplg_widget_type_name(w->id));
		tx_str(f, w->name);
		fprintf(f, " pipeline %u sname ", w->index);
		tx_str(f, w->sname);
		fprintf(f, " (block %u, offset %u)\n", w->block, w->offset);
		tx_groups(f, "      ", tplg_widget_groups, tplg_num_widget_groups, &w->tokens,
			  &w->priv);
		tx_tuples(f, "      ", &w->priv);
		for (uint32_t k = 0; k < w->num_kcontrols; k++)
			tx_kcontrol(f, "      ", k, &w->kcontrols[k]);
	}

	for (uint32_t i = 0, n = 0; i < t->num_kcontrols; i++) {
		if (t->kcontrols[i].widget >= 0)
			continue;
		if (n == 0)
			fputs("controls:\n", f);
		tx_kcontrol(f, "  ", n++, &t->kcontrols[i]);
	}

	fprintf(f, "routes (%u):\n", t->num_routes);
	for (uint32_t i = 0; i < t->num_routes; i++) {
		const struct tplg_route *r = &t->routes[i];

		fprintf(f, "  pipeline %u: ", r->index);
		tx_str(f, r->source);
		fputs(" -> ", f);
		tx_str(f, r->sink);
		if (r->control[0]) {
			fputs(" control ", f);
			tx_str(f, r->control);
		}
		fprintf(f, " (widgets %u -> %u)\n", r->source_widget, r->sink_widget);
	}

	fprintf(f, "pcms (%u):\n", t->num_pcms);
	for (uint32_t i = 0; i < t->num_pcms; i++) {
		const struct tplg_pcm *p = &t->pcms[i];

		fprintf(f, "  %u ", i);
		tx_str(f, p->pcm_name);
		fprintf(f, " id %u dai ", p->pcm_id);
		tx_str(f, p->dai_name);
		fprintf(f, " id %u%s%s%s, ABI %u layout, flags 0x%x/0x%x\n", p->dai_id,
			p->playback ? " playback" : "", p->capture ? " capture" : "",
			p->compress ? " compress" : "", p->layout_abi, p->flags, p->flag_mask);
		if (p->playback)
			tx_caps(f, "playback", &p->caps[0]);
		if (p->capture)
			tx_caps(f, "capture", &p->caps[1]);
		tx_streams(f, p->streams, p->num_streams);
		tx_tuples(f, "      ", &p->priv);
	}

	fprintf(f, "links (%u):\n", t->num_links);
	for (uint32_t i = 0; i < t->num_links; i++) {
		const struct tplg_link *l = &t->links[i];

		fprintf(f, "  %u %s ", i, tplg_block_type_name(l->type));
		tx_str(f, l->name);
		fprintf(f, " id %u stream ", l->id);
		tx_str(f, l->stream_name);
		fprintf(f, ", ABI %u layout, default hw config %u, flags 0x%x/0x%x\n",
			l->layout_abi, l->default_hw_config_id, l->flags, l->flag_mask);
		tx_streams(f, l->streams, l->num_streams);
		for (uint32_t h = 0; h < l->num_hw_configs; h++) {
			const struct tplg_hw_config *c = &l->hw_configs[h];

			fprintf(f, "      hw_config %u: id %u fmt %u mclk %u bclk %u fsync %u, %u slots of %u bits, tx 0x%x rx 0x%x, tx %u ch rx %u ch, bclk_provider %u fsync_provider %u, invert bclk %u fsync %u, clock_gated %u mclk_direction %u\n",
				h, c->id, c->fmt, c->mclk_rate, c->bclk_rate, c->fsync_rate,
				c->tdm_slots, c->tdm_slot_width, c->tx_slots, c->rx_slots,
				c->tx_channels, c->rx_channels, c->bclk_provider, c->fsync_provider,
				c->invert_bclk, c->invert_fsync, c->clock_gated, c->mclk_direction);
		}
		tx_groups(f, "      ", tplg_link_groups, tplg_num_link_groups, &l->tokens, &l->priv);
		tx_tuples(f, "      ", &l->priv);
	}

	fprintf(f, "dais (%u):\n", t->num_dais);
	for (uint32_t i = 0; i < t->num_dais; i++) {
		const struct tplg_dai *d = &t->dais[i];

		fprintf(f, "  %u ", i);
		tx_str(f, d->dai_name);
		fprintf(f, " id %u%s%s, flags 0x%x/0x%x\n", d->dai_id,
			d->playback ? " playback" : "", d->capture ? " capture" : "", d->flags,
			d->flag_mask);
		if (d->playback)
			tx_caps(f, "playback", &d->caps[0]);
		if (d->capture)
			tx_caps(f, "capture", &d->caps[1]);
		tx_tuples(f, "      ", &d->priv);
	}
	return ferror(f) ? -EIO : 0;
}
