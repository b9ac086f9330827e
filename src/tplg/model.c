// SPDX-License-Identifier: MIT
/*
 * The guest-facing model of a topology: PCMs, controls, connection-point endpoints.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tplg/model.h"
#include "tplg/parse.h"

static int VADSP_PRINTF(5, 6) model_fail(struct tplg_error *err, const struct tplg *t,
					 uint32_t block, size_t off, const char *fmt, ...)
{
	char what[400], msg[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	memset(err, 0, sizeof(*err));
	err->block = (int32_t)block;
	err->block_type = block < t->num_blocks ? t->blocks[block].type : 0;
	err->block_offset = block < t->num_blocks ? t->blocks[block].offset : 0;
	err->offset = off;
	snprintf(msg, sizeof(msg), "block %u (%s) at offset %zu: %s", block,
		 tplg_block_type_name(err->block_type), err->block_offset, what);
	tplg_msg_escape(err->msg, sizeof(err->msg), msg);
	return -EINVAL;
}

const char *tplg_model_dir_name(enum tplg_model_dir dir)
{
	switch (dir) {
	case TPLG_MODEL_PLAYBACK:
		return "playback";
	case TPLG_MODEL_CAPTURE:
		return "capture";
	default:
		return "unknown";
	}
}

/* The aif widget serving one direction of a PCM: the one whose sname is the stream name. */
static int host_widget(const struct tplg *t, int dir, const char *stream_name)
{
	uint32_t want = dir == TPLG_MODEL_PLAYBACK ? TPLG_DAPM_AIF_IN : TPLG_DAPM_AIF_OUT;

	if (!stream_name[0])
		return -1;
	for (uint32_t i = 0; i < t->num_widgets; i++)
		if (t->widgets[i].id == want && strcmp(t->widgets[i].sname, stream_name) == 0)
			return (int)i;
	return -1;
}

static int build_pcms(const struct tplg *t, struct tplg_model *m, struct tplg_error *err)
{
	if (t->num_pcms == 0)
		return 0;
	m->pcms = calloc(t->num_pcms, sizeof(*m->pcms));
	if (!m->pcms)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->num_pcms; i++) {
		const struct tplg_pcm *p = &t->pcms[i];
		struct tplg_model_pcm *mp = &m->pcms[m->num_pcms];

		for (uint32_t j = 0; j < i; j++)
			if (t->pcms[j].pcm_id == p->pcm_id)
				return model_fail(err, t, p->block, p->offset,
						  "pcm '%s' has id %u, already used by pcm '%s'",
						  p->pcm_name, p->pcm_id, t->pcms[j].pcm_name);
		memcpy(mp->name, p->pcm_name, sizeof(mp->name));
		mp->id = p->pcm_id;
		mp->pcm = i;
		for (int d = 0; d < 2; d++) {
			const struct tplg_stream_caps *c = &p->caps[d];
			struct tplg_model_stream *s = &mp->stream[d];
			int w;

			s->host_widget = -1;
			s->present = d == TPLG_MODEL_PLAYBACK ? p->playback : p->capture;
			if (!s->present)
				continue;
			s->formats = c->formats;
			s->rates = c->rates;
			s->rate_min = c->rate_min;
			s->rate_max = c->rate_max;
			s->channels_min = c->channels_min;
			s->channels_max = c->channels_max;
			s->periods_min = c->periods_min;
			s->periods_max = c->periods_max;
			s->period_bytes_min = c->period_size_min;
			s->period_bytes_max = c->period_size_max;
			s->buffer_bytes_min = c->buffer_size_min;
			s->buffer_bytes_max = c->buffer_size_max;
			s->sig_bits = c->sig_bits;
			memcpy(s->stream_name, c->name, sizeof(s->stream_name));
			w = host_widget(t, d, c->name);
			s->host_widget = w;
			s->pipeline = w >= 0 ? t->widgets[w].index : 0;
		}
		m->num_pcms++;
	}
	return 0;
}

static void build_control(const struct tplg *t, uint32_t k, struct tplg_model_control *c)
{
	const struct tplg_kcontrol *kc = &t->kcontrols[k];

	memcpy(c->name, kc->name, sizeof(c->name));
	c->access = kc->access;
	c->kcontrol = k;
	c->widget = kc->widget;
	c->pipeline = kc->widget >= 0 ? t->widgets[kc->widget].index : kc->index;
	c->step = 1;
	switch (kc->type) {
	case TPLG_BLOCK_MIXER: {
		const struct tplg_mixer *mx = &kc->mixer;
		uint32_t max = mx->max;

		if (mx->platform_max && mx->platform_max < max)
			max = mx->platform_max;
		c->type = max == 1 ? TPLG_MODEL_CTL_BOOLEAN : TPLG_MODEL_CTL_INTEGER;
		c->min = (int32_t)mx->min;
		c->max = (int32_t)max;
		c->count = mx->num_channels ? mx->num_channels : 1;
		for (uint32_t i = 0; i < mx->num_channels; i++)
			c->channel_map[i] = mx->channel[i].id;
		if (kc->tlv.db_scale) {
			c->has_db = true;
			c->db_min = kc->tlv.db_min;
			c->db_step = kc->tlv.db_step;
			c->db_mute = kc->tlv.db_mute;
		}
		break;
	}
	case TPLG_BLOCK_ENUM:
		c->type = TPLG_MODEL_CTL_ENUMERATED;
		c->num_items = kc->enm.items;
		c->items = (const char (*)[TPLG_NAME_LEN])kc->enm.texts;
		c->min = 0;
		c->max = kc->enm.items ? (int32_t)kc->enm.items - 1 : 0;
		c->count = kc->enm.num_channels ? kc->enm.num_channels : 1;
		for (uint32_t i = 0; i < kc->enm.num_channels; i++)
			c->channel_map[i] = kc->enm.channel[i].id;
		break;
	default:
		c->type = TPLG_MODEL_CTL_BYTES;
		c->count = kc->bytes.max;
		c->step = 0;
		break;
	}
}

/* Direction of a pipeline from the host and DAI widgets it holds. */
static enum tplg_model_dir pipeline_dir(const struct tplg *t, uint32_t index)
{
	bool play = false, cap = false;

	for (uint32_t i = 0; i < t->num_widgets; i++) {
		const struct tplg_widget *w = &t->widgets[i];

		if (w->index != index)
			continue;
		if (w->id == TPLG_DAPM_AIF_IN || w->id == TPLG_DAPM_DAI_IN)
			play = true;
		if (w->id == TPLG_DAPM_AIF_OUT || w->id == TPLG_DAPM_DAI_OUT)
			cap = true;
	}
	if (play == cap)
		return TPLG_MODEL_DIR_UNKNOWN;
	return play ? TPLG_MODEL_PLAYBACK : TPLG_MODEL_CAPTURE;
}

static int build_endpoints(const struct tplg *t, struct tplg_model *m, struct tplg_error *err)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < t->num_widgets; i++)
		if (tplg_priv_find(&t->widgets[i].priv, VADSP_TKN_CP_NAME))
			n++;
	if (n == 0)
		return 0;
	m->endpoints = calloc(n, sizeof(*m->endpoints));
	if (!m->endpoints)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->num_widgets; i++) {
		const struct tplg_widget *w = &t->widgets[i];
		struct tplg_model_endpoint *e;

		if (!tplg_priv_find(&w->priv, VADSP_TKN_CP_NAME))
			continue;
		if (!w->tokens.vadsp.cp_name[0])
			return model_fail(err, t, w->block, w->offset,
					  "widget %u '%s': connection-point name (token %d) is empty or not a string",
					  i, w->name, VADSP_TKN_CP_NAME);
		e = &m->endpoints[m->num_endpoints];
		memcpy(e->cp_name, w->tokens.vadsp.cp_name, sizeof(e->cp_name));
		e->widget = i;
		e->widget_id = w->id;
		e->pipeline = w->index;
		if (w->id == TPLG_DAPM_DAI_IN || w->id == TPLG_DAPM_AIF_IN)
			e->direction = TPLG_MODEL_PLAYBACK;
		else if (w->id == TPLG_DAPM_DAI_OUT || w->id == TPLG_DAPM_AIF_OUT)
			e->direction = TPLG_MODEL_CAPTURE;
		else
			e->direction = pipeline_dir(t, w->index);
		for (uint32_t j = 0; j < m->num_endpoints; j++) {
			const struct tplg_model_endpoint *o = &m->endpoints[j];

			if (o->direction == e->direction && strcmp(o->cp_name, e->cp_name) == 0)
				return model_fail(err, t, w->block, w->offset,
						  "widget %u '%s': %s connection point '%s' is already used by widget %u '%s'",
						  i, w->name, tplg_model_dir_name(e->direction),
						  e->cp_name, o->widget, t->widgets[o->widget].name);
		}
		m->num_endpoints++;
	}
	return 0;
}

int tplg_model_build(const struct tplg *t, struct tplg_model **out, struct tplg_error *err)
{
	struct tplg_error dummy;
	struct tplg_model *m;
	int ret;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	err->block = -1;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	ret = build_pcms(t, m, err);
	if (ret == 0 && t->num_kcontrols) {
		m->controls = calloc(t->num_kcontrols, sizeof(*m->controls));
		if (!m->controls)
			ret = -ENOMEM;
		for (uint32_t k = 0; ret == 0 && k < t->num_kcontrols; k++)
			build_control(t, k, &m->controls[m->num_controls++]);
	}
	if (ret == 0)
		ret = build_endpoints(t, m, err);
	if (ret < 0) {
		if (ret == -ENOMEM)
			snprintf(err->msg, sizeof(err->msg), "out of memory");
		tplg_model_free(m);
		return ret;
	}
	*out = m;
	return 0;
}

void tplg_model_free(struct tplg_model *m)
{
	if (!m)
		return;
	free(m->pcms);
	free(m->controls);
	free(m->endpoints);
	free(m);
}
