// SPDX-License-Identifier: MIT
/*
 * PCMs, DAI links (DAI_LINK, BACKEND_LINK, CODEC_LINK) and physical DAIs, in their ABI 5
 * layouts and the ABI 4 layouts of PCMs and link configs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tplg/parse.h"
#include "util/le.h"

/*
 * The ABI 4 stream caps are the ABI 5 caps without the trailing sig_bits, so both are read
 * through the ABI 4 layout, and sig_bits too when @has_sig_bits.
 */
_Static_assert(offsetof(struct tplg_wire_stream_caps, buffer_size_max) ==
	       offsetof(struct tplg_wire_stream_caps_v4, buffer_size_max), "caps layouts");
_Static_assert(offsetof(struct tplg_wire_stream_caps, sig_bits) ==
	       sizeof(struct tplg_wire_stream_caps_v4), "caps layouts");

static int read_caps(struct tplg_parse *p, const uint8_t *raw, size_t off, bool has_sig_bits,
		     int dir, struct tplg_stream_caps *c)
{
	const struct tplg_wire_stream_caps_v4 *w = (const void *)raw;
	int ret;

	ret = tplg_copy_str(p, w->name, TPLG_NAME_LEN, c->name,
			    off + offsetof(struct tplg_wire_stream_caps_v4, name),
			    dir == 0 ? "playback caps name" : "capture caps name");
	if (ret < 0)
		return ret;
	c->formats = get_le64(&w->formats);
	c->rates = get_le32(&w->rates);
	c->rate_min = get_le32(&w->rate_min);
	c->rate_max = get_le32(&w->rate_max);
	c->channels_min = get_le32(&w->channels_min);
	c->channels_max = get_le32(&w->channels_max);
	c->periods_min = get_le32(&w->periods_min);
	c->periods_max = get_le32(&w->periods_max);
	c->period_size_min = get_le32(&w->period_size_min);
	c->period_size_max = get_le32(&w->period_size_max);
	c->buffer_size_min = get_le32(&w->buffer_size_min);
	c->buffer_size_max = get_le32(&w->buffer_size_max);
	c->sig_bits = has_sig_bits ?
		      get_le32(raw + offsetof(struct tplg_wire_stream_caps, sig_bits)) : 0;
	return 0;
}

static int read_streams(struct tplg_parse *p, const struct tplg_wire_stream *w, uint32_t num,
			size_t num_off, size_t first_off, struct tplg_stream *s)
{
	if (num > TPLG_STREAM_CONFIG_MAX)
		return tplg_fail(p, num_off, "num_streams %u exceeds %d", num,
				 TPLG_STREAM_CONFIG_MAX);
	for (uint32_t i = 0; i < num; i++) {
		char what[32];
		int ret;

		snprintf(what, sizeof(what), "stream %u name", i);
		ret = tplg_copy_str(p, w[i].name, TPLG_NAME_LEN, s[i].name,
				    first_off + i * sizeof(*w) + 4, what);
		if (ret < 0)
			return ret;
		s[i].format = get_le64(&w[i].format);
		s[i].rate = get_le32(&w[i].rate);
		s[i].period_bytes = get_le32(&w[i].period_bytes);
		s[i].buffer_bytes = get_le32(&w[i].buffer_bytes);
		s[i].channels = get_le32(&w[i].channels);
	}
	return 0;
}

/* Peek the size word that starts every element, to pick its layout. */
static int peek_size(struct tplg_parse *p, struct tplg_reader *rd, uint32_t *size)
{
	size_t at = rd->pos;
	int ret = tplg_rd_u32(rd, size);

	if (ret < 0)
		return tplg_fail_rd(p, rd, ret, "size");
	rd->pos = at;
	return 0;
}

/*
 * The ABI 4 and ABI 5 PCM layouts are the same up to num_streams; then come the two caps
 * (100 bytes each in ABI 4, 104 in ABI 5), and only ABI 5 goes on with flags and private
 * data. The common part is read through the (shorter) ABI 4 layout.
 */
#define PCM_SAME_OFFSET(field) \
	_Static_assert(offsetof(struct tplg_wire_pcm, field) == \
		       offsetof(struct tplg_wire_pcm_v4, field), "PCM layouts: " #field)
PCM_SAME_OFFSET(pcm_name);
PCM_SAME_OFFSET(dai_name);
PCM_SAME_OFFSET(pcm_id);
PCM_SAME_OFFSET(dai_id);
PCM_SAME_OFFSET(playback);
PCM_SAME_OFFSET(capture);
PCM_SAME_OFFSET(compress);
PCM_SAME_OFFSET(stream);
PCM_SAME_OFFSET(num_streams);
PCM_SAME_OFFSET(caps);

static int parse_pcm(struct tplg_parse *p, struct tplg_reader *rd, uint32_t n)
{
	struct tplg *t = p->t;
	const struct tplg_wire_pcm_v4 *w;
	const struct tplg_wire_pcm *w5;
	struct tplg_pcm *pcm;
	const uint8_t *raw;
	size_t off = rd->pos, caps_size;
	uint32_t size;
	bool v5;
	int ret;

	tplg_elem_set(p, "pcm %u: ", n);
	ret = peek_size(p, rd, &size);
	if (ret < 0)
		return ret;
	if (size != sizeof(struct tplg_wire_pcm) && size != sizeof(struct tplg_wire_pcm_v4))
		return tplg_fail(p, off, "size %u is neither %zu (ABI 5) nor %zu (ABI 4)", size,
				 sizeof(struct tplg_wire_pcm), sizeof(struct tplg_wire_pcm_v4));
	ret = tplg_rd_bytes(rd, size, &raw);
	if (ret < 0)
		return tplg_fail_rd(p, rd, ret, "pcm");
	v5 = size == sizeof(struct tplg_wire_pcm);
	caps_size = v5 ? sizeof(struct tplg_wire_stream_caps) :
			 sizeof(struct tplg_wire_stream_caps_v4);

	ret = tplg_reserve((void **)&t->pcms, &p->cap_pcms, t->num_pcms, 1, sizeof(*t->pcms));
	if (ret < 0)
		return ret;
	pcm = &t->pcms[t->num_pcms++];
	pcm->index = p->hdr->index;
	pcm->block = (uint32_t)p->block;
	pcm->offset = (uint32_t)off;
	pcm->layout_abi = v5 ? TPLG_ABI_V5 : TPLG_ABI_V4;

	w = (const void *)raw;
	ret = tplg_copy_str(p, w->pcm_name, TPLG_NAME_LEN, pcm->pcm_name,
			    off + offsetof(struct tplg_wire_pcm_v4, pcm_name), "pcm_name");
	if (ret < 0)
		return ret;
	tplg_elem_set(p, "pcm %u '%s': ", n, pcm->pcm_name);
	ret = tplg_copy_str(p, w->dai_name, TPLG_NAME_LEN, pcm->dai_name,
			    off + offsetof(struct tplg_wire_pcm_v4, dai_name), "dai_name");
	if (ret < 0)
		return ret;
	pcm->pcm_id = get_le32(&w->pcm_id);
	pcm->dai_id = get_le32(&w->dai_id);
	pcm->playback = get_le32(&w->playback) != 0;
	pcm->capture = get_le32(&w->capture) != 0;
	pcm->compress = get_le32(&w->compress) != 0;
	pcm->num_streams = get_le32(&w->num_streams);
	ret = read_streams(p, w->stream, pcm->num_streams,
			   off + offsetof(struct tplg_wire_pcm_v4, num_streams),
			   off + offsetof(struct tplg_wire_pcm_v4, stream), pcm->streams);
	if (ret < 0)
		return ret;
	for (int d = 0; d < 2; d++) {
		size_t coff = offsetof(struct tplg_wire_pcm_v4, caps) + (size_t)d * caps_size;

		ret = read_caps(p, raw + coff, off + coff, v5, d, &pcm->caps[d]);
		if (ret < 0)
			return ret;
	}
	if (!v5)
		return 0;

	w5 = (const void *)raw;
	pcm->flag_mask = get_le32(&w5->flag_mask);
	pcm->flags = get_le32(&w5->flags);
	ret = tplg_read_priv(p, rd, get_le32(&w5->priv.size),
			     off + offsetof(struct tplg_wire_pcm, priv), true, &pcm->priv);
	if (ret < 0)
		return ret;
	tplg_tokens_load(&pcm->priv, &tplg_stream_table, &pcm->tokens, NULL);
	return 0;
}

int tplg_parse_pcms(struct tplg_parse *p, struct tplg_reader *rd)
{
	uint32_t count = p->hdr->count;
	int ret;

	ret = tplg_check_count(p, rd, count, sizeof(struct tplg_wire_pcm_v4), "PCMs");
	if (ret < 0)
		return ret;
	for (uint32_t i = 0; i < count; i++) {
		ret = parse_pcm(p, rd, i);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static void read_hw_config(const struct tplg_wire_hw_config *w, struct tplg_hw_config *h)
{
	h->id = get_le32(&w->id);
	h->fmt = get_le32(&w->fmt);
	h->clock_gated = w->clock_gated;
	h->invert_bclk = w->invert_bclk;
	h->invert_fsync = w->invert_fsync;
	h->bclk_provider = w->bclk_provider;
	h->fsync_provider = w->fsync_provider;
	h->mclk_direction = w->mclk_direction;
	h->mclk_rate = get_le32(&w->mclk_rate);
	h->bclk_rate = get_le32(&w->bclk_rate);
	h->fsync_rate = get_le32(&w->fsync_rate);
	h->tdm_slots = get_le32(&w->tdm_slots);
	h->tdm_slot_width = get_le32(&w->tdm_slot_width);
	h->tx_slots = get_le32(&w->tx_slots);
	h->rx_slots = get_le32(&w->rx_slots);
	h->tx_channels = get_le32(&w->tx_channels);
	h->rx_channels = get_le32(&w->rx_channels);
	for (int i = 0; i < TPLG_MAX_CHAN; i++) {
		h->tx_chanmap[i] = get_le32(&w->tx_chanmap[i]);
		h->rx_chanmap[i] = get_le32(&w->rx_chanmap[i]);
	}
}

static int parse_link(struct tplg_parse *p, struct tplg_reader *rd, uint32_t n)
{
	struct tplg *t = p->t;
	struct tplg_link *l;
	const uint8_t *raw;
	size_t off = rd->pos;
	uint32_t size, psize;
	int ret;

	tplg_elem_set(p, "link %u: ", n);
	ret = peek_size(p, rd, &size);
	if (ret < 0)
		return ret;
	if (size != sizeof(struct tplg_wire_link_config) &&
	    size != sizeof(struct tplg_wire_link_config_v4))
		return tplg_fail(p, off, "size %u is neither %zu (ABI 5) nor %zu (ABI 4)", size,
				 sizeof(struct tplg_wire_link_config),
				 sizeof(struct tplg_wire_link_config_v4));
	ret = tplg_rd_bytes(rd, size, &raw);
	if (ret < 0)
		return tplg_fail_rd(p, rd, ret, "link config");

	ret = tplg_reserve((void **)&t->links, &p->cap_links, t->num_links, 1, sizeof(*t->links));
	if (ret < 0)
		return ret;
	l = &t->links[t->num_links++];
	l->type = p->hdr->type;
	l->index = p->hdr->index;
	l->block = (uint32_t)p->block;
	l->offset = (uint32_t)off;

	if (size == sizeof(struct tplg_wire_link_config_v4)) {
		const struct tplg_wire_link_config_v4 *w = (const void *)raw;

		l->layout_abi = TPLG_ABI_V4;
		l->id = get_le32(&w->id);
		l->num_streams = get_le32(&w->num_streams);
		return read_streams(p, w->stream, l->num_streams,
				    off + offsetof(struct tplg_wire_link_config_v4, num_streams),
				    off + offsetof(struct tplg_wire_link_config_v4, stream),
				    l->streams);
	}

	const struct tplg_wire_link_config *w = (const void *)raw;

	l->layout_abi = TPLG_ABI_V5;
	l->id = get_le32(&w->id);
	ret = tplg_copy_str(p, w->name, TPLG_NAME_LEN, l->name,
			    off + offsetof(struct tplg_wire_link_config, name), "name");
	if (ret < 0)
		return ret;
	tplg_elem_set(p, "link %u '%s': ", n, l->name);
	ret = tplg_copy_str(p, w->stream_name, TPLG_NAME_LEN, l->stream_name,
			    off + offsetof(struct tplg_wire_link_config, stream_name),
			    "stream_name");
	if (ret < 0)
		return ret;
	l->num_streams = get_le32(&w->num_streams);
	ret = read_streams(p, w->stream, l->num_streams,
			   off + offsetof(struct tplg_wire_link_config, num_streams),
			   off + offsetof(struct tplg_wire_link_config, stream), l->streams);
	if (ret < 0)
		return ret;
	l->num_hw_configs = get_le32(&w->num_hw_configs);
	if (l->num_hw_configs > TPLG_HW_CONFIG_MAX)
		return tplg_fail(p, off + offsetof(struct tplg_wire_link_config, num_hw_configs),
				 "num_hw_configs %u exceeds %d", l->num_hw_configs,
				 TPLG_HW_CONFIG_MAX);
	for (uint32_t i = 0; i < l->num_hw_configs; i++)
		read_hw_config(&w->hw_config[i], &l->hw_configs[i]);
	l->default_hw_config_id = get_le32(&w->default_hw_config_id);
	l->flag_mask = get_le32(&w->flag_mask);
	l->flags = get_le32(&w->flags);
	psize = get_le32(&w->priv.size);
	ret = tplg_read_priv(p, rd, psize, off + offsetof(struct tplg_wire_link_config, priv), true,
			     &l->priv);
	if (ret < 0)
		return ret;
	if (tplg_link_tokens_load(&l->priv, &l->tokens) < 0)
		return tplg_fail(p, l->priv.offset,
				 "private data describes more than %d DMIC PDM controllers",
				 TPLG_DMIC_PDM_MAX);
	return 0;
}

int tplg_parse_links(struct tplg_parse *p, struct tplg_reader *rd)
{
	uint32_t count = p->hdr->count;
	int ret;

	ret = tplg_check_count(p, rd, count, sizeof(struct tplg_wire_link_config_v4), "links");
	if (ret < 0)
		return ret;
	for (uint32_t i = 0; i < count; i++) {
		ret = parse_link(p, rd, i);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int parse_dai(struct tplg_parse *p, struct tplg_reader *rd, uint32_t n)
{
	struct tplg *t = p->t;
	const struct tplg_wire_dai *w;
	struct tplg_dai *d;
	const uint8_t *raw;
	size_t off = rd->pos;
	uint32_t size;
	int ret;

	tplg_elem_set(p, "dai %u: ", n);
	ret = tplg_rd_bytes(rd, sizeof(*w), &raw);
	if (ret < 0)
		return tplg_fail_rd(p, rd, ret, "dai");
	w = (const void *)raw;
	size = get_le32(&w->size);
	if (size != sizeof(*w))
		return tplg_fail(p, off, "size %u, must be %zu", size, sizeof(*w));

	ret = tplg_reserve((void **)&t->dais, &p->cap_dais, t->num_dais, 1, sizeof(*t->dais));
	if (ret < 0)
		return ret;
	d = &t->dais[t->num_dais++];
	d->index = p->hdr->index;
	d->block = (uint32_t)p->block;
	d->offset = (uint32_t)off;
	ret = tplg_copy_str(p, w->dai_name, TPLG_NAME_LEN, d->dai_name,
			    off + offsetof(struct tplg_wire_dai, dai_name), "dai_name");
	if (ret < 0)
		return ret;
	tplg_elem_set(p, "dai %u '%s': ", n, d->dai_name);
	d->dai_id = get_le32(&w->dai_id);
	d->playback = get_le32(&w->playback) != 0;
	d->capture = get_le32(&w->capture) != 0;
	for (int i = 0; i < 2; i++) {
		size_t coff = offsetof(struct tplg_wire_dai, caps) + (size_t)i * sizeof(w->caps[0]);

		ret = read_caps(p, raw + coff, off + coff, true, i, &d->caps[i]);
		if (ret < 0)
			return ret;
	}
	d->flag_mask = get_le32(&w->flag_mask);
	d->flags = get_le32(&w->flags);
	return tplg_read_priv(p, rd, get_le32(&w->priv.size),
			      off + offsetof(struct tplg_wire_dai, priv), true, &d->priv);
}

int tplg_parse_dais(struct tplg_parse *p, struct tplg_reader *rd)
{
	uint32_t count = p->hdr->count;
	int ret;

	ret = tplg_check_count(p, rd, count, sizeof(struct tplg_wire_dai), "DAIs");
	if (ret < 0)
		return ret;
	for (uint32_t i = 0; i < count; i++) {
		ret = parse_dai(p, rd, i);
		if (ret < 0)
			return ret;
	}
	return 0;
}
