// SPDX-License-Identifier: MIT
/*
 * The card description from a guest topology (card.h has what maps to what; ctl.c the
 * control details, chmap.c the channel positions, jack.c the pin configuration).
 *
 * Stream limits come from the topology's stream caps; a limit the caps leave at 0 takes a
 * default: periods of at least one frame and at most VSND_DEFAULT_PERIOD_MAX bytes,
 * buffers of at most VSND_DEFAULT_BUFFER_MAX bytes, 1 to VSND_DEFAULT_PERIODS_MAX periods.
 * Channel counts: channels_min 0 reads as 1, channels_max 0 as channels_min, and
 * channels_max is capped at 255 (the wire field is a byte).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snd/card.h"
#include "snd/chmap-std.h"
#include "snd/pcm-caps.h"
#include "snd/virtio-snd.h"
#include "tplg/model.h"
#include "tplg/tplg.h"

#define VSND_DEFAULT_PERIOD_MAX		(1u << 20)
#define VSND_DEFAULT_BUFFER_MAX		(4u << 20)
#define VSND_DEFAULT_PERIODS_MAX	1024u

/* Most values one INTEGER/BOOLEAN/ENUMERATED element carries (the value holds 128 le32). */
#define VSND_CTL_MAX_COUNT		(VIRTIO_SND_CTL_VALUE_SIZE / 4)
/* Most data a BYTES element's TLV carries (the TLV payload holds its 8-byte header). */
#define VSND_CTL_MAX_BLOB		(VIRTIO_SND_CTL_TLV_MAX - 8)

/* ALSA access bits (SNDRV_CTL_ELEM_ACCESS_*) that carry over, and their virtio bits. */
static const struct {
	uint32_t alsa;
	unsigned int virtio;
} access_map[] = {
	{ 0x00000001u, VIRTIO_SND_CTL_ACCESS_READ },
	{ 0x00000002u, VIRTIO_SND_CTL_ACCESS_WRITE },
	{ 0x00000004u, VIRTIO_SND_CTL_ACCESS_VOLATILE },
	{ 0x00000100u, VIRTIO_SND_CTL_ACCESS_INACTIVE },
};
#define ALSA_ACCESS_READWRITE	0x00000003u
#define ALSA_ACCESS_TLV_READ	0x00000010u
#define ALSA_ACCESS_TLV_WRITE	0x00000020u

static int VADSP_PRINTF(3, 4) fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void copy_name(char *dst, const char *src)
{
	size_t n = strnlen(src, VIRTIO_SND_CTL_NAME_SIZE - 1);

	memset(dst, 0, VIRTIO_SND_CTL_NAME_SIZE);
	memcpy(dst, src, n);
}

static uint32_t or_default(uint32_t v, uint32_t def)
{
	return v ? v : def;
}

static int build_stream(const struct tplg_model_pcm *p, int dir, struct vsnd_stream_desc *s,
			char *err, size_t err_len)
{
	const struct tplg_model_stream *c = &p->stream[dir];
	uint32_t ch_min = c->channels_min ? c->channels_min : 1;
	uint32_t ch_max = c->channels_max ? c->channels_max : ch_min;

	copy_name(s->name, p->name);
	s->nid = p->id;
	s->pcm_id = p->id;
	s->direction = dir == TPLG_MODEL_PLAYBACK ? VIRTIO_SND_D_OUTPUT : VIRTIO_SND_D_INPUT;
	s->host_widget = c->host_widget;
	s->pipeline = c->pipeline;
	s->formats = vsnd_formats_from_alsa(c->formats);
	s->rates = vsnd_rates_from_alsa(c->rates, c->rate_min, c->rate_max);
	if (ch_max > 255)
		ch_max = 255;
	if (ch_min > ch_max)
		return fail(err, err_len, "pcm '%s' %s: channels %u-%u", p->name,
			    tplg_model_dir_name(dir), c->channels_min, c->channels_max);
	if (!s->formats)
		return fail(err, err_len, "pcm '%s' %s: no sample format virtio-snd can carry "
			    "(formats 0x%llx)", p->name, tplg_model_dir_name(dir),
			    (unsigned long long)c->formats);
	if (!s->rates)
		return fail(err, err_len, "pcm '%s' %s: no rate virtio-snd can carry (rates 0x%x, "
			    "%u-%u Hz)", p->name, tplg_model_dir_name(dir), c->rates, c->rate_min,
			    c->rate_max);
	s->channels_min = (uint8_t)ch_min;
	s->channels_max = (uint8_t)ch_max;
	s->features = 1u << VIRTIO_SND_PCM_F_EVT_XRUNS;
	s->period_bytes_min = or_default(c->period_bytes_min, 1);
	s->period_bytes_max = or_default(c->period_bytes_max, VSND_DEFAULT_PERIOD_MAX);
	s->buffer_bytes_min = or_default(c->buffer_bytes_min, 1);
	s->buffer_bytes_max = or_default(c->buffer_bytes_max, VSND_DEFAULT_BUFFER_MAX);
	s->periods_min = or_default(c->periods_min, 1);
	s->periods_max = or_default(c->periods_max, VSND_DEFAULT_PERIODS_MAX);
	vsnd_chmap_standard(ch_max, s->positions);
	return 0;
}

/* The stream whose host widget is on @pipeline, or -1. */
static int32_t stream_on_pipeline(const struct vsnd_card_desc *d, uint32_t pipeline)
{
	for (uint32_t i = 0; i < d->num_streams; i++)
		if (d->streams[i].host_widget >= 0 && d->streams[i].pipeline == pipeline)
			return (int32_t)i;
	return -1;
}

static int build_jacks(const struct tplg_model *m, struct vsnd_card_desc *d, char *err,
		       size_t err_len)
{
	for (uint32_t i = 0; i < m->num_endpoints; i++) {
		const struct tplg_model_endpoint *e = &m->endpoints[i];
		struct vsnd_jack_desc *j;
		int32_t s;

		/* Guest endpoints are dai widgets; a host topology's points are not jacks. */
		if (e->widget_id != TPLG_DAPM_DAI_IN && e->widget_id != TPLG_DAPM_DAI_OUT)
			continue;
		if (d->num_jacks == VSND_MAX_JACKS)
			return fail(err, err_len, "more than %u endpoints", VSND_MAX_JACKS);
		j = &d->jacks[d->num_jacks];
		j->direction = e->widget_id == TPLG_DAPM_DAI_IN ? VIRTIO_SND_D_OUTPUT :
								  VIRTIO_SND_D_INPUT;
		s = stream_on_pipeline(d, e->pipeline);
		j->stream = s;
		j->nid = s >= 0 ? d->streams[s].nid : 0;
		j->widget = e->widget;
		copy_name(j->cp_name, e->cp_name);
		vsnd_jack_pin_config(j->direction, d->num_jacks, &j->defconf, &j->caps);
		d->num_jacks++;
	}
	return 0;
}

/* The value that stands for 0 dB, or the maximum when the scale has none. */
static int32_t volume_init(const struct tplg_model_control *c)
{
	int64_t v;

	if (!c->has_db || c->db_step <= 0 || -(int64_t)c->db_min % c->db_step)
		return c->max;
	v = c->min + -(int64_t)c->db_min / c->db_step;
	if (v < c->min || v > c->max)
		return c->max;
	return (int32_t)v;
}

static uint32_t ctl_access(uint32_t alsa, uint32_t type, bool has_db)
{
	uint32_t a = 0;

	if (!(alsa & ALSA_ACCESS_READWRITE) && type != VIRTIO_SND_CTL_TYPE_BYTES)
		alsa |= ALSA_ACCESS_READWRITE;
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(access_map); i++)
		if (alsa & access_map[i].alsa)
			a |= 1u << access_map[i].virtio;
	if (alsa & ALSA_ACCESS_TLV_READ &&
	    (type == VIRTIO_SND_CTL_TYPE_BYTES || (type == VIRTIO_SND_CTL_TYPE_INTEGER && has_db)))
		a |= 1u << VIRTIO_SND_CTL_ACCESS_TLV_READ;
	if (alsa & ALSA_ACCESS_TLV_WRITE && type == VIRTIO_SND_CTL_TYPE_BYTES)
		a |= 1u << VIRTIO_SND_CTL_ACCESS_TLV_WRITE;
	return a;
}

static int build_control(const struct tplg *t, const struct tplg_model_control *c,
			 struct vsnd_card_desc *d, struct vsnd_ctl_desc *x, char *err,
			 size_t err_len)
{
	int32_t s;

	copy_name(x->name, c->name);
	x->widget = c->widget;
	x->pipeline = c->pipeline;
	x->kcontrol = c->kcontrol;
	s = stream_on_pipeline(d, c->pipeline);
	x->nid = s >= 0 ? d->streams[s].nid : 0;
	x->min = c->min;
	x->max = c->max;
	x->step = c->step;
	x->count = c->count;
	switch (c->type) {
	case TPLG_MODEL_CTL_BOOLEAN:
		x->type = VIRTIO_SND_CTL_TYPE_BOOLEAN;
		x->role = VIRTIO_SND_CTL_ROLE_MUTE;
		x->init = c->max;
		break;
	case TPLG_MODEL_CTL_INTEGER:
		x->type = VIRTIO_SND_CTL_TYPE_INTEGER;
		x->role = c->widget >= 0 && (uint32_t)c->widget < t->num_widgets &&
			  t->widgets[c->widget].id == TPLG_DAPM_PGA ?
			  VIRTIO_SND_CTL_ROLE_VOLUME : VIRTIO_SND_CTL_ROLE_UNDEFINED;
		x->has_db = c->has_db;
		x->db_min = c->db_min;
		x->db_step = c->db_step;
		x->db_mute = c->db_mute;
		x->init = volume_init(c);
		break;
	case TPLG_MODEL_CTL_ENUMERATED:
		x->type = VIRTIO_SND_CTL_TYPE_ENUMERATED;
		x->role = VIRTIO_SND_CTL_ROLE_UNDEFINED;
		x->items = c->num_items;
		x->min = 0;
		x->step = 0;
		if (!x->items)
			return fail(err, err_len, "control '%s': enum without items", c->name);
		x->item_names = calloc(x->items, sizeof(*x->item_names));
		if (!x->item_names)
			return -ENOMEM;
		for (uint32_t i = 0; i < x->items; i++)
			memcpy(x->item_names[i], c->items[i],
			       strnlen(c->items[i], TPLG_NAME_LEN - 1));
		x->init = 0;
		break;
	case TPLG_MODEL_CTL_BYTES: {
		const struct tplg_kcontrol *kc = &t->kcontrols[c->kcontrol];

		x->type = VIRTIO_SND_CTL_TYPE_BYTES;
		x->role = VIRTIO_SND_CTL_ROLE_UNDEFINED;
		x->min = x->max = x->step = 0;
		x->blob_max = VADSP_MIN(c->count, (uint32_t)VSND_CTL_MAX_BLOB);
		x->count = VADSP_MIN(c->count, (uint32_t)VIRTIO_SND_CTL_VALUE_SIZE);
		x->blob_init_len = VADSP_MIN(kc->priv.size, x->blob_max);
		if (x->blob_init_len) {
			x->blob_init = malloc(x->blob_init_len);
			if (!x->blob_init)
				return -ENOMEM;
			memcpy(x->blob_init, kc->priv.data, x->blob_init_len);
		}
		break;
	}
	}
	if (x->type != VIRTIO_SND_CTL_TYPE_BYTES && (!x->count || x->count > VSND_CTL_MAX_COUNT))
		return fail(err, err_len, "control '%s': %u values", c->name, x->count);
	if (x->type != VIRTIO_SND_CTL_TYPE_BYTES && x->type != VIRTIO_SND_CTL_TYPE_ENUMERATED &&
	    x->min > x->max)
		return fail(err, err_len, "control '%s': range %d..%d", c->name, x->min, x->max);
	x->access = ctl_access(c->access, x->type, x->has_db);
	for (uint32_t i = 0; i < (uint32_t)(x - d->controls); i++)
		if (strcmp(d->controls[i].name, x->name) == 0)
			x->index++;
	return 0;
}

int vsnd_card_desc_build(const struct tplg *t, const struct tplg_model *m,
			 struct vsnd_card_desc **out, char *err, size_t err_len)
{
	struct vsnd_card_desc *d;
	uint32_t streams = 0;
	int ret = -ENOMEM;

	for (uint32_t i = 0; i < m->num_pcms; i++)
		streams += m->pcms[i].stream[0].present + m->pcms[i].stream[1].present;
	if (streams > VSND_MAX_STREAMS)
		return fail(err, err_len, "%u streams, at most %u", streams, VSND_MAX_STREAMS);
	if (m->num_controls > VSND_MAX_CONTROLS)
		return fail(err, err_len, "%u controls, at most %u", m->num_controls,
			    VSND_MAX_CONTROLS);
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->streams = calloc(streams ? streams : 1, sizeof(*d->streams));
	d->jacks = calloc(VSND_MAX_JACKS, sizeof(*d->jacks));
	d->controls = calloc(m->num_controls ? m->num_controls : 1, sizeof(*d->controls));
	if (!d->streams || !d->jacks || !d->controls)
		goto fail;
	for (uint32_t i = 0; i < m->num_pcms; i++)
		for (int dir = TPLG_MODEL_PLAYBACK; dir <= TPLG_MODEL_CAPTURE; dir++) {
			if (!m->pcms[i].stream[dir].present)
				continue;
			ret = build_stream(&m->pcms[i], dir, &d->streams[d->num_streams], err,
					   err_len);
			if (ret < 0)
				goto fail;
			d->num_streams++;
		}
	ret = build_jacks(m, d, err, err_len);
	if (ret < 0)
		goto fail;
	for (uint32_t i = 0; i < m->num_controls; i++) {
		ret = build_control(t, &m->controls[i], d, &d->controls[i], err, err_len);
		d->num_controls = i + 1;
		if (ret < 0)
			goto fail;
	}
	*out = d;
	return 0;
fail:
	if (ret == -ENOMEM)
		snprintf(err, err_len, "out of memory");
	vsnd_card_desc_free(d);
	return ret;
}

int vsnd_card_desc_load(const char *path, struct vsnd_card_desc **out, char *err,
			size_t err_len)
{
	struct tplg_model *m = NULL;
	struct tplg_error terr;
	struct tplg *t = NULL;
	char why[400];
	int ret;

	ret = tplg_load_file(path, &t, &terr);
	if (ret < 0) {
		snprintf(err, err_len, "%s", terr.msg);
		return ret;
	}
	ret = tplg_model_build(t, &m, &terr);
	if (ret < 0) {
		snprintf(err, err_len, "%s: %s", path, terr.msg);
		tplg_free(t);
		return ret;
	}
	ret = vsnd_card_desc_build(t, m, out, why, sizeof(why));
	if (ret < 0)
		snprintf(err, err_len, "%s: %s", path, why);
	tplg_model_free(m);
	tplg_free(t);
	return ret;
}

void vsnd_card_desc_free(struct vsnd_card_desc *desc)
{
	if (!desc || desc == &vsnd_card_desc_empty)
		return;
	for (uint32_t i = 0; desc->controls && i < desc->num_controls; i++) {
		free(desc->controls[i].item_names);
		free(desc->controls[i].blob_init);
	}
	free(desc->streams);
	free(desc->jacks);
	free(desc->controls);
	free(desc);
}
