// SPDX-License-Identifier: MIT
/*
 * Controls (kcontrols): mixer, enum and bytes, in widgets or in control blocks.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tplg/parse.h"
#include "util/le.h"

static size_t control_size(uint32_t type)
{
	switch (type) {
	case TPLG_BLOCK_MIXER:
		return sizeof(struct tplg_wire_mixer_control);
	case TPLG_BLOCK_ENUM:
		return sizeof(struct tplg_wire_enum_control);
	case TPLG_BLOCK_BYTES:
		return sizeof(struct tplg_wire_bytes_control);
	default:
		return 0;
	}
}

static void read_ops(const struct tplg_wire_io_ops *w, struct tplg_io_ops *ops)
{
	ops->get = get_le32(&w->get);
	ops->put = get_le32(&w->put);
	ops->info = get_le32(&w->info);
}

static void read_tlv(const struct tplg_wire_ctl_tlv *w, uint32_t access, struct tplg_tlv *tlv)
{
	tlv->size = get_le32(&w->size);
	tlv->type = get_le32(&w->type);
	for (size_t i = 0; i < TPLG_TLV_WORDS; i++)
		tlv->data[i] = get_le32(&w->data[i]);
	if ((access & TPLG_ACCESS_TLV_READ) && tlv->type == TPLG_TLV_DB_SCALE) {
		tlv->db_scale = true;
		tlv->db_min = (int32_t)tlv->data[0];
		tlv->db_step = (int32_t)tlv->data[1];
		tlv->db_mute = tlv->data[2] != 0;
	}
}

static int read_channels(struct tplg_parse *p, const struct tplg_wire_channel *w, uint32_t num,
			 struct tplg_channel *ch, size_t num_off)
{
	if (num > TPLG_MAX_CHAN)
		return tplg_fail(p, num_off, "num_channels %u exceeds %d", num, TPLG_MAX_CHAN);
	for (uint32_t i = 0; i < TPLG_MAX_CHAN; i++) {
		ch[i].reg = get_le32(&w[i].reg);
		ch[i].shift = get_le32(&w[i].shift);
		ch[i].id = get_le32(&w[i].id);
	}
	return 0;
}

static int read_mixer(struct tplg_parse *p, const uint8_t *raw, size_t off,
		      struct tplg_kcontrol *k, uint32_t *psize)
{
	const struct tplg_wire_mixer_control *w = (const void *)raw;
	struct tplg_mixer *m = &k->mixer;

	m->min = get_le32(&w->min);
	m->max = get_le32(&w->max);
	m->platform_max = get_le32(&w->platform_max);
	m->invert = get_le32(&w->invert);
	m->num_channels = get_le32(&w->num_channels);
	*psize = get_le32(&w->priv.size);
	return read_channels(p, w->channel, m->num_channels, m->channel,
			     off + offsetof(struct tplg_wire_mixer_control, num_channels));
}

static int read_enum(struct tplg_parse *p, const uint8_t *raw, size_t off,
		     struct tplg_kcontrol *k, uint32_t *psize)
{
	const struct tplg_wire_enum_control *w = (const void *)raw;
	struct tplg_enum *e = &k->enm;
	int ret;

	e->num_channels = get_le32(&w->num_channels);
	ret = read_channels(p, w->channel, e->num_channels, e->channel,
			    off + offsetof(struct tplg_wire_enum_control, num_channels));
	if (ret < 0)
		return ret;
	e->items = get_le32(&w->items);
	e->mask = get_le32(&w->mask);
	e->count = get_le32(&w->count);
	if (e->items > TPLG_NUM_TEXTS)
		return tplg_fail(p, off + offsetof(struct tplg_wire_enum_control, items),
				 "items %u exceeds %d", e->items, TPLG_NUM_TEXTS);
	for (uint32_t i = 0; i < e->items; i++) {
		size_t toff = off + offsetof(struct tplg_wire_enum_control, texts) + i * TPLG_NAME_LEN;
		char what[24];

		snprintf(what, sizeof(what), "text %u", i);
		ret = tplg_copy_str(p, w->texts[i], TPLG_NAME_LEN, e->texts[i], toff, what);
		if (ret < 0)
			return ret;
		e->values[i] = get_le32(&w->values[i]);
	}
	*psize = get_le32(&w->priv.size);
	return 0;
}

static void read_bytes(const uint8_t *raw, struct tplg_kcontrol *k, uint32_t *psize)
{
	const struct tplg_wire_bytes_control *w = (const void *)raw;
	struct tplg_bytes *b = &k->bytes;

	b->max = get_le32(&w->max);
	b->mask = get_le32(&w->mask);
	b->base = get_le32(&w->base);
	b->num_regs = get_le32(&w->num_regs);
	read_ops(&w->ext_ops, &b->ext_ops);
	*psize = get_le32(&w->priv.size);
}

int tplg_parse_kcontrol(struct tplg_parse *p, struct tplg_reader *rd, int32_t widget,
			uint32_t expect_type)
{
	struct tplg *t = p->t;
	const struct tplg_wire_ctl_hdr *h;
	struct tplg_reader peek = *rd;
	struct tplg_kcontrol *k;
	const uint8_t *raw;
	size_t off = rd->pos, full;
	uint32_t hsize, esize, psize = 0;
	int ret;

	ret = tplg_reserve((void **)&t->kcontrols, &p->cap_kcontrols, t->num_kcontrols, 1,
			   sizeof(*t->kcontrols));
	if (ret < 0)
		return ret;
	k = &t->kcontrols[t->num_kcontrols++];
	k->widget = widget;
	k->index = p->hdr->index;
	k->block = (uint32_t)p->block;
	k->offset = (uint32_t)off;

	/* The common header says which control structure follows: peek at it. */
	ret = tplg_rd_bytes(&peek, sizeof(*h), &raw);
	if (ret < 0)
		return tplg_fail_rd(p, &peek, ret, "control header");
	h = (const void *)raw;
	k->type = get_le32(&h->type);
	hsize = get_le32(&h->size);
	ret = tplg_copy_str(p, h->name, TPLG_NAME_LEN, k->name,
			    off + offsetof(struct tplg_wire_ctl_hdr, name), "name");
	if (ret < 0)
		return ret;
	tplg_elem_push(p, "'%s': ", k->name);
	if (hsize != sizeof(*h))
		return tplg_fail(p, off, "header size %u, must be %zu", hsize, sizeof(*h));
	full = control_size(k->type);
	if (!full)
		return tplg_fail(p, off + 4, "unknown control type %u (want MIXER 1, BYTES 2 or ENUM 3)",
				 k->type);
	if (expect_type && k->type != expect_type)
		return tplg_fail(p, off + 4, "%s control in a %s block",
				 tplg_block_type_name(k->type), tplg_block_type_name(expect_type));
	ret = tplg_rd_bytes(rd, full, &raw);
	if (ret < 0)
		return tplg_fail_rd(p, rd, ret, tplg_block_type_name(k->type));
	/* Every control structure has its own size right after the common header. */
	esize = get_le32(raw + sizeof(*h));
	if (esize != full)
		return tplg_fail(p, off + sizeof(*h), "%s control size %u, must be %zu",
				 tplg_block_type_name(k->type), esize, full);

	k->access = get_le32(&h->access);
	read_ops(&h->ops, &k->ops);
	read_tlv(&h->tlv, k->access, &k->tlv);

	switch (k->type) {
	case TPLG_BLOCK_MIXER:
		ret = read_mixer(p, raw, off, k, &psize);
		break;
	case TPLG_BLOCK_ENUM:
		ret = read_enum(p, raw, off, k, &psize);
		break;
	default:
		read_bytes(raw, k, &psize);
		break;
	}
	if (ret < 0)
		return ret;

	/* Bytes controls carry a data blob (SOF: an ABI header and component data). */
	ret = tplg_read_priv(p, rd, psize, off + full - 4, k->type != TPLG_BLOCK_BYTES, &k->priv);
	if (ret < 0)
		return ret;
	if (k->type == TPLG_BLOCK_MIXER)
		tplg_tokens_load(&k->priv, &tplg_led_table, &k->mixer.led, NULL);
	return 0;
}

int tplg_parse_controls(struct tplg_parse *p, struct tplg_reader *rd)
{
	uint32_t count = p->hdr->count;
	int ret;

	ret = tplg_check_count(p, rd, count, control_size(p->hdr->type), "controls");
	if (ret < 0)
		return ret;
	for (uint32_t i = 0; i < count; i++) {
		tplg_elem_set(p, "control %u ", i);
		ret = tplg_parse_kcontrol(p, rd, -1, p->hdr->type);
		if (ret < 0)
			return ret;
	}
	return 0;
}
