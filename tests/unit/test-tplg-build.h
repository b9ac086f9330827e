/* SPDX-License-Identifier: MIT */
/*
 * Builds small topology binaries in memory for the tplg tests: blocks, elements and
 * private data with vendor tuples, in the ABI 5 and ABI 4 layouts of src/tplg/wire.h.
 * Everything is static so each test program takes what it uses.
 */
#ifndef VADSP_TESTS_TEST_TPLG_BUILD_H
#define VADSP_TESTS_TEST_TPLG_BUILD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tplg/tokens.h"
#include "tplg/wire.h"
#include "util/le.h"

/* A growing byte buffer. */
struct tb {
	uint8_t *buf;
	size_t len;
	size_t cap;
};

static inline void tb_free(struct tb *b)
{
	free(b->buf);
	memset(b, 0, sizeof(*b));
}

static inline size_t tb_put(struct tb *b, const void *data, size_t n)
{
	size_t at = b->len;

	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n)
			cap *= 2;
		b->buf = realloc(b->buf, cap);
		if (!b->buf)
			abort();
		b->cap = cap;
	}
	if (data)
		memcpy(b->buf + b->len, data, n);
	else
		memset(b->buf + b->len, 0, n);
	b->len += n;
	return at;
}

static inline void tb_u32(struct tb *b, uint32_t v)
{
	uint8_t w[4];

	put_le32(w, v);
	tb_put(b, w, 4);
}

/* Copy a name into a fixed-size wire field (zero padded). */
static inline void tb_name(char *field, const char *s)
{
	memset(field, 0, TPLG_NAME_LEN);
	strncpy(field, s, TPLG_NAME_LEN - 1);
}

/* ---- private data: vendor arrays ---- */

static inline void tb_words(struct tb *p, uint32_t type, uint32_t n, const uint32_t *tok_val)
{
	tb_u32(p, 12 + 8 * n);
	tb_u32(p, type);
	tb_u32(p, n);
	for (uint32_t i = 0; i < 2 * n; i++)
		tb_u32(p, tok_val[i]);
}

static inline void tb_string_tuple(struct tb *p, uint32_t token, const char *s)
{
	char str[TPLG_NAME_LEN];

	tb_u32(p, 12 + 48);
	tb_u32(p, TPLG_TUPLE_STRING);
	tb_u32(p, 1);
	tb_u32(p, token);
	tb_name(str, s);
	tb_put(p, str, sizeof(str));
}

static inline void tb_uuid_tuple(struct tb *p, uint32_t token, const uint8_t uuid[16])
{
	tb_u32(p, 12 + 20);
	tb_u32(p, TPLG_TUPLE_UUID);
	tb_u32(p, 1);
	tb_u32(p, token);
	tb_put(p, uuid, 16);
}

/* ---- blocks ---- */

/* Start a block; returns its offset for tb_block_end(). */
static inline size_t tb_block_begin(struct tb *b, uint32_t type, uint32_t index, uint32_t count,
				    uint32_t abi)
{
	struct tplg_wire_hdr h;
	size_t at;

	memset(&h, 0, sizeof(h));
	put_le32(&h.magic, TPLG_MAGIC);
	put_le32(&h.abi, abi);
	put_le32(&h.type, type);
	put_le32(&h.size, sizeof(h));
	put_le32(&h.index, index);
	put_le32(&h.count, count);
	at = tb_put(b, &h, sizeof(h));
	return at;
}

static inline void tb_block_end(struct tb *b, size_t at)
{
	put_le32(b->buf + at + offsetof(struct tplg_wire_hdr, payload_size),
		 (uint32_t)(b->len - at - sizeof(struct tplg_wire_hdr)));
}

struct tb_counts {
	uint32_t controls, widgets, graph, pcms, links, dais;
};

static inline void tb_manifest(struct tb *b, const struct tb_counts *c, const void *priv,
			       uint32_t psize)
{
	struct tplg_wire_manifest m;
	size_t blk = tb_block_begin(b, TPLG_BLOCK_MANIFEST, 0, 1, TPLG_ABI_V5);

	memset(&m, 0, sizeof(m));
	put_le32(&m.size, sizeof(m));
	put_le32(&m.control_elems, c->controls);
	put_le32(&m.widget_elems, c->widgets);
	put_le32(&m.graph_elems, c->graph);
	put_le32(&m.pcm_elems, c->pcms);
	put_le32(&m.dai_link_elems, c->links);
	put_le32(&m.dai_elems, c->dais);
	put_le32(&m.priv.size, psize);
	tb_put(b, &m, sizeof(m));
	tb_put(b, priv, psize);
	tb_block_end(b, blk);
}

static inline void tb_manifest_v4(struct tb *b, const struct tb_counts *c)
{
	struct tplg_wire_manifest_v4 m;
	size_t blk = tb_block_begin(b, TPLG_BLOCK_MANIFEST, 0, 1, TPLG_ABI_V4);

	memset(&m, 0, sizeof(m));
	put_le32(&m.size, sizeof(m));
	put_le32(&m.control_elems, c->controls);
	put_le32(&m.widget_elems, c->widgets);
	put_le32(&m.graph_elems, c->graph);
	put_le32(&m.pcm_elems, c->pcms);
	put_le32(&m.dai_link_elems, c->links);
	tb_put(b, &m, sizeof(m));
	tb_block_end(b, blk);
}

/* A widget element followed by its private data; its kcontrols must follow. */
static inline void tb_widget(struct tb *b, uint32_t id, const char *name, const char *sname,
			     uint32_t num_kcontrols, const struct tb *priv)
{
	struct tplg_wire_widget w;

	memset(&w, 0, sizeof(w));
	put_le32(&w.size, sizeof(w));
	put_le32(&w.id, id);
	tb_name(w.name, name);
	tb_name(w.sname, sname);
	put_le32(&w.num_kcontrols, num_kcontrols);
	put_le32(&w.priv.size, priv ? (uint32_t)priv->len : 0);
	tb_put(b, &w, sizeof(w));
	if (priv)
		tb_put(b, priv->buf, priv->len);
}

static inline void tb_ctl_hdr(struct tplg_wire_ctl_hdr *h, uint32_t type, const char *name,
			      uint32_t info, uint32_t access)
{
	put_le32(&h->size, sizeof(*h));
	put_le32(&h->type, type);
	tb_name(h->name, name);
	put_le32(&h->access, access);
	put_le32(&h->ops.info, info);
}

/* A volume mixer with a dB scale (min/step in 0.01 dB) on @nch channels FL, FR, ... */
static inline void tb_mixer(struct tb *b, const char *name, uint32_t max, uint32_t nch,
			    int32_t db_min, int32_t db_step, const struct tb *priv)
{
	struct tplg_wire_mixer_control m;

	memset(&m, 0, sizeof(m));
	tb_ctl_hdr(&m.hdr, TPLG_BLOCK_MIXER, name, TPLG_CTL_VOLSW,
		   TPLG_ACCESS_READ | TPLG_ACCESS_WRITE | (db_step ? TPLG_ACCESS_TLV_READ : 0));
	put_le32(&m.hdr.ops.get, SOF_TPLG_KCTL_VOL_ID);
	put_le32(&m.hdr.ops.put, SOF_TPLG_KCTL_VOL_ID);
	if (db_step) {
		put_le32(&m.hdr.tlv.size, sizeof(m.hdr.tlv));
		put_le32(&m.hdr.tlv.type, TPLG_TLV_DB_SCALE);
		put_le32(&m.hdr.tlv.data[0], (uint32_t)db_min);
		put_le32(&m.hdr.tlv.data[1], (uint32_t)db_step);
		put_le32(&m.hdr.tlv.data[2], 1);
	}
	put_le32(&m.size, sizeof(m));
	put_le32(&m.max, max);
	put_le32(&m.num_channels, nch);
	for (uint32_t i = 0; i < nch && i < TPLG_MAX_CHAN; i++) {
		put_le32(&m.channel[i].size, sizeof(m.channel[i]));
		put_le32(&m.channel[i].id, 3 + i);
	}
	put_le32(&m.priv.size, priv ? (uint32_t)priv->len : 0);
	tb_put(b, &m, sizeof(m));
	if (priv)
		tb_put(b, priv->buf, priv->len);
}

static inline void tb_enum(struct tb *b, const char *name, uint32_t items, const char *const *texts)
{
	struct tplg_wire_enum_control *e = calloc(1, sizeof(*e));

	if (!e)
		abort();
	tb_ctl_hdr(&e->hdr, TPLG_BLOCK_ENUM, name, TPLG_CTL_ENUM,
		   TPLG_ACCESS_READ | TPLG_ACCESS_WRITE);
	put_le32(&e->hdr.ops.get, SOF_TPLG_KCTL_ENUM_ID);
	put_le32(&e->hdr.ops.put, SOF_TPLG_KCTL_ENUM_ID);
	put_le32(&e->size, sizeof(*e));
	put_le32(&e->num_channels, 1);
	put_le32(&e->channel[0].id, 3);
	put_le32(&e->items, items);
	for (uint32_t i = 0; i < items && i < TPLG_NUM_TEXTS; i++) {
		tb_name(e->texts[i], texts[i]);
		put_le32(&e->values[i], 10 * i);
	}
	tb_put(b, e, sizeof(*e));
	free(e);
}

static inline void tb_bytes_ctl(struct tb *b, const char *name, uint32_t max, const void *data,
				uint32_t len)
{
	struct tplg_wire_bytes_control c;

	memset(&c, 0, sizeof(c));
	tb_ctl_hdr(&c.hdr, TPLG_BLOCK_BYTES, name, TPLG_CTL_BYTES,
		   TPLG_ACCESS_TLV_READ | TPLG_ACCESS_TLV_WRITE | TPLG_ACCESS_TLV_CALLBACK);
	put_le32(&c.size, sizeof(c));
	put_le32(&c.max, max);
	put_le32(&c.ext_ops.get, SOF_TPLG_KCTL_BYTES_ID);
	put_le32(&c.ext_ops.put, SOF_TPLG_KCTL_BYTES_ID);
	put_le32(&c.priv.size, len);
	tb_put(b, &c, sizeof(c));
	tb_put(b, data, len);
}

static inline void tb_route(struct tb *b, const char *sink, const char *control,
			    const char *source)
{
	struct tplg_wire_graph_elem g;

	tb_name(g.sink, sink);
	tb_name(g.control, control);
	tb_name(g.source, source);
	tb_put(b, &g, sizeof(g));
}

static inline void tb_caps_fill(struct tplg_wire_stream_caps *c, const char *name, uint32_t chmax)
{
	put_le32(&c->size, sizeof(*c));
	tb_name(c->name, name);
	put_le64(&c->formats, (1u << 2) | (1u << 10));	/* S16_LE, S32_LE */
	put_le32(&c->rate_min, 48000);
	put_le32(&c->rate_max, 48000);
	put_le32(&c->channels_min, 1);
	put_le32(&c->channels_max, chmax);
	put_le32(&c->periods_min, 2);
	put_le32(&c->periods_max, 16);
	put_le32(&c->period_size_min, 192);
	put_le32(&c->period_size_max, 16384);
	put_le32(&c->buffer_size_min, 384);
	put_le32(&c->buffer_size_max, 65536);
	put_le32(&c->sig_bits, 24);
}

static inline void tb_pcm(struct tb *b, const char *name, uint32_t id, const char *play,
			  const char *cap, const struct tb *priv)
{
	struct tplg_wire_pcm p;

	memset(&p, 0, sizeof(p));
	put_le32(&p.size, sizeof(p));
	tb_name(p.pcm_name, name);
	tb_name(p.dai_name, name);
	put_le32(&p.pcm_id, id);
	put_le32(&p.dai_id, id);
	put_le32(&p.playback, play != NULL);
	put_le32(&p.capture, cap != NULL);
	tb_caps_fill(&p.caps[0], play ? play : "", 2);
	tb_caps_fill(&p.caps[1], cap ? cap : "", 4);
	put_le32(&p.priv.size, priv ? (uint32_t)priv->len : 0);
	tb_put(b, &p, sizeof(p));
	if (priv)
		tb_put(b, priv->buf, priv->len);
}

static inline void tb_pcm_v4(struct tb *b, const char *name, uint32_t id, const char *play)
{
	struct tplg_wire_pcm_v4 p;

	memset(&p, 0, sizeof(p));
	put_le32(&p.size, sizeof(p));
	tb_name(p.pcm_name, name);
	tb_name(p.dai_name, name);
	put_le32(&p.pcm_id, id);
	put_le32(&p.playback, 1);
	put_le32(&p.num_streams, 1);
	put_le32(&p.stream[0].size, sizeof(p.stream[0]));
	tb_name(p.stream[0].name, "s0");
	put_le32(&p.stream[0].rate, 48000);
	put_le32(&p.stream[0].channels, 2);
	put_le32(&p.caps[0].size, sizeof(p.caps[0]));
	tb_name(p.caps[0].name, play);
	put_le32(&p.caps[0].rate_min, 8000);
	put_le32(&p.caps[0].rate_max, 96000);
	put_le32(&p.caps[0].channels_min, 1);
	put_le32(&p.caps[0].channels_max, 8);
	put_le32(&p.caps[0].buffer_size_max, 4096);
	tb_put(b, &p, sizeof(p));
}

static inline void tb_link(struct tb *b, const char *name, uint32_t id, const struct tb *priv)
{
	struct tplg_wire_link_config *l = calloc(1, sizeof(*l));

	if (!l)
		abort();
	put_le32(&l->size, sizeof(*l));
	put_le32(&l->id, id);
	tb_name(l->name, name);
	tb_name(l->stream_name, name);
	put_le32(&l->num_hw_configs, 1);
	put_le32(&l->hw_config[0].size, sizeof(l->hw_config[0]));
	put_le32(&l->hw_config[0].id, 7);
	put_le32(&l->hw_config[0].fmt, 1);
	put_le32(&l->hw_config[0].mclk_rate, 12288000);
	put_le32(&l->hw_config[0].tdm_slots, 2);
	put_le32(&l->hw_config[0].tdm_slot_width, 32);
	put_le32(&l->default_hw_config_id, 7);
	put_le32(&l->priv.size, priv ? (uint32_t)priv->len : 0);
	tb_put(b, l, sizeof(*l));
	if (priv)
		tb_put(b, priv->buf, priv->len);
	free(l);
}

static inline void tb_link_v4(struct tb *b, uint32_t id, uint32_t num_streams)
{
	struct tplg_wire_link_config_v4 l;

	memset(&l, 0, sizeof(l));
	put_le32(&l.size, sizeof(l));
	put_le32(&l.id, id);
	put_le32(&l.num_streams, num_streams);
	for (uint32_t i = 0; i < num_streams && i < TPLG_STREAM_CONFIG_MAX; i++) {
		put_le32(&l.stream[i].size, sizeof(l.stream[i]));
		tb_name(l.stream[i].name, "hw");
		put_le32(&l.stream[i].rate, 44100 + i);
	}
	tb_put(b, &l, sizeof(l));
}

static inline void tb_dai(struct tb *b, const char *name, uint32_t id)
{
	struct tplg_wire_dai d;

	memset(&d, 0, sizeof(d));
	put_le32(&d.size, sizeof(d));
	tb_name(d.dai_name, name);
	put_le32(&d.dai_id, id);
	put_le32(&d.playback, 1);
	tb_caps_fill(&d.caps[0], "dai playback", 2);
	tb_put(b, &d, sizeof(d));
}

#endif /* VADSP_TESTS_TEST_TPLG_BUILD_H */
