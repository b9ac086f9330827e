// SPDX-License-Identifier: MIT
/*
 * The plugin's plain mode: a stock virtio-snd driver on one of the device's streams.
 *
 * hw_params sends SET_PARAMS; prepare releases what ran before (STOP when started, RELEASE,
 * which gives back every message) and sends PREPARE; start and stop are START and STOP
 * (then RELEASE), pause and resume STOP and START. The stream's formats, rates and channels
 * are its PCM_INFO.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alsa-plugin/vplug.h"
#include "util/compiler.h"

enum plain_state {
	PLAIN_IDLE,		/* no parameters, or released */
	PLAIN_PARAMS,		/* SET_PARAMS */
	PLAIN_PREPARED,
	PLAIN_STARTED,
	PLAIN_STOPPED,
};

struct plain {
	uint32_t stream;
	enum plain_state state;
	bool have_params;
	struct vguest_io *ring;
	uint32_t ring_period_bytes;
	unsigned int ring_periods;
};

/* ALSA formats of the virtio-snd ones (little-endian, the wire's byte order). */
static const struct {
	uint8_t virtio;
	snd_pcm_format_t alsa;
} plain_formats[] = {
	{ VIRTIO_SND_PCM_FMT_MU_LAW, SND_PCM_FORMAT_MU_LAW },
	{ VIRTIO_SND_PCM_FMT_A_LAW, SND_PCM_FORMAT_A_LAW },
	{ VIRTIO_SND_PCM_FMT_S8, SND_PCM_FORMAT_S8 },
	{ VIRTIO_SND_PCM_FMT_U8, SND_PCM_FORMAT_U8 },
	{ VIRTIO_SND_PCM_FMT_S16, SND_PCM_FORMAT_S16_LE },
	{ VIRTIO_SND_PCM_FMT_U16, SND_PCM_FORMAT_U16_LE },
	{ VIRTIO_SND_PCM_FMT_S18_3, SND_PCM_FORMAT_S18_3LE },
	{ VIRTIO_SND_PCM_FMT_U18_3, SND_PCM_FORMAT_U18_3LE },
	{ VIRTIO_SND_PCM_FMT_S20_3, SND_PCM_FORMAT_S20_3LE },
	{ VIRTIO_SND_PCM_FMT_U20_3, SND_PCM_FORMAT_U20_3LE },
	{ VIRTIO_SND_PCM_FMT_S24_3, SND_PCM_FORMAT_S24_3LE },
	{ VIRTIO_SND_PCM_FMT_U24_3, SND_PCM_FORMAT_U24_3LE },
	{ VIRTIO_SND_PCM_FMT_S20, SND_PCM_FORMAT_S20_LE },
	{ VIRTIO_SND_PCM_FMT_U20, SND_PCM_FORMAT_U20_LE },
	{ VIRTIO_SND_PCM_FMT_S24, SND_PCM_FORMAT_S24_LE },
	{ VIRTIO_SND_PCM_FMT_U24, SND_PCM_FORMAT_U24_LE },
	{ VIRTIO_SND_PCM_FMT_S32, SND_PCM_FORMAT_S32_LE },
	{ VIRTIO_SND_PCM_FMT_U32, SND_PCM_FORMAT_U32_LE },
	{ VIRTIO_SND_PCM_FMT_FLOAT, SND_PCM_FORMAT_FLOAT_LE },
	{ VIRTIO_SND_PCM_FMT_FLOAT64, SND_PCM_FORMAT_FLOAT64_LE },
};

static int plain_virtio_format(snd_pcm_format_t f)
{
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(plain_formats); i++)
		if (plain_formats[i].alsa == f)
			return plain_formats[i].virtio;
	return -EINVAL;
}

static int plain_open(struct vplug *p, const struct vplug_config *cfg, struct vplug_caps *caps)
{
	struct vguest_options opts = { .queue_size = VPLUG_QUEUE_SIZE };
	const struct vguest_stream *st;
	struct plain *m;
	int ret, id;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	ret = vguest_connect(&p->g, cfg->socket, &opts);
	if (ret < 0) {
		SNDERR("vadsp: %s: %s", cfg->socket, strerror(-ret));
		free(m);
		return ret;
	}
	id = vguest_stream_pick(vguest_card(p->g), p->playback ? VIRTIO_SND_D_OUTPUT :
				VIRTIO_SND_D_INPUT, cfg->stream < 0 ? -1 : (int)cfg->stream);
	if (id < 0) {
		if (id == -EINVAL)
			SNDERR("vadsp: %s: stream %ld is a %s stream", cfg->socket, cfg->stream,
			       p->playback ? "capture" : "playback");
		else
			SNDERR("vadsp: %s: no %s stream%s", cfg->socket,
			       p->playback ? "playback" : "capture",
			       cfg->stream < 0 ? "" : " of that id");
		vguest_close(p->g);
		p->g = NULL;
		free(m);
		return -ENODEV;
	}
	m->stream = (uint32_t)id;
	st = &vguest_card(p->g)->streams[id];
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(plain_formats); i++)
		if ((st->formats >> plain_formats[i].virtio) & 1)
			caps->formats[caps->num_formats++] = plain_formats[i].alsa;
	for (unsigned int r = 0; r < VIRTIO_SND_PCM_RATE_COUNT; r++) {
		uint32_t hz = vguest_rate_hz((uint8_t)r);
		unsigned int k;

		if (!((st->rates >> r) & 1) || !hz)
			continue;
		/* Ascending (the codes are not in order of their rates). */
		for (k = caps->num_rates; k > 0 && caps->rates[k - 1] > hz; k--)
			caps->rates[k] = caps->rates[k - 1];
		caps->rates[k] = hz;
		caps->num_rates++;
	}
	caps->channels_min = st->channels_min;
	caps->channels_max = st->channels_max;
	/* The stream's channel map: CHMAP_INFO of its node and direction. */
	for (uint32_t i = 0; i < vguest_card(p->g)->num_chmaps; i++) {
		const struct vguest_chmap *c = &vguest_card(p->g)->chmaps[i];

		if (c->nid == st->nid && c->direction == st->direction && c->channels &&
		    c->channels <= VIRTIO_SND_CHMAP_MAX_SIZE) {
			caps->chmap_channels = c->channels;
			memcpy(caps->chmap, c->positions, c->channels);
			break;
		}
	}
	p->mode = m;
	return 0;
}

/* Back to idle: STOP when started, RELEASE (the device gives every message back), and
 * every message reaped; a ring whose messages did not come back is closed. */
static int plain_quiesce(struct vplug *p)
{
	struct plain *m = p->mode;
	int ret = 0, r;

	if (m->state == PLAIN_STARTED) {
		r = vguest_pcm_stop(p->g, m->stream);
		if (r < 0)
			ret = r;
		m->state = PLAIN_STOPPED;
	}
	if (m->state == PLAIN_PREPARED || m->state == PLAIN_STOPPED) {
		r = vguest_pcm_release(p->g, m->stream);
		if (r < 0 && !ret)
			ret = r;
		m->state = PLAIN_IDLE;
	}
	if (m->ring && vplug_give_back(m->ring) < 0) {
		vguest_io_close(m->ring);
		m->ring = NULL;
	}
	return ret;
}

static int plain_hw_params(struct vplug *p, const struct vplug_hw *hw)
{
	struct plain *m = p->mode;
	struct vguest_pcm_params prm = {
		.buffer_bytes = hw->period_bytes * hw->periods,
		.period_bytes = hw->period_bytes,
		.channels = (uint8_t)hw->channels,
		/* PCM_XRUN when the stream offers it: the pointer reports the device's xruns. */
		.features = vguest_card(p->g)->streams[m->stream].features &
			    (1u << VIRTIO_SND_PCM_F_EVT_XRUNS),
	};
	int fmt = plain_virtio_format(hw->format), rate = vguest_rate_code(hw->rate), ret;

	if (fmt < 0 || rate < 0 || hw->channels > UINT8_MAX)
		return -EINVAL;
	prm.format = (uint8_t)fmt;
	prm.rate = (uint8_t)rate;
	plain_quiesce(p);
	ret = vguest_pcm_set_params(p->g, m->stream, &prm);
	if (ret < 0) {
		SNDERR("vadsp: stream %u refused SET_PARAMS (%s, %u Hz, %u channels, period %u "
		       "bytes, %u periods): %s", m->stream, snd_pcm_format_name(hw->format),
		       hw->rate, hw->channels, hw->period_bytes, hw->periods, strerror(-ret));
		m->have_params = false;
		return ret;
	}
	m->have_params = true;
	m->state = PLAIN_PARAMS;
	return 0;
}

static int plain_prepare(struct vplug *p, struct vguest_io **ring)
{
	struct plain *m = p->mode;
	int ret;

	if (!m->have_params)
		return -EBADFD;
	plain_quiesce(p);
	if (m->ring && (m->ring_period_bytes != p->hw.period_bytes ||
			m->ring_periods != p->hw.periods)) {
		vguest_io_close(m->ring);
		m->ring = NULL;
	}
	ret = vguest_pcm_prepare(p->g, m->stream);
	if (ret < 0) {
		SNDERR("vadsp: stream %u refused PREPARE: %s", m->stream, strerror(-ret));
		return ret;
	}
	m->state = PLAIN_PREPARED;
	if (!m->ring) {
		ret = vguest_io_open(p->g, m->stream, p->hw.period_bytes, p->hw.periods, &m->ring);
		if (ret < 0)
			return ret;
		m->ring_period_bytes = p->hw.period_bytes;
		m->ring_periods = p->hw.periods;
	}
	*ring = m->ring;
	return 0;
}

static int plain_start(struct vplug *p)
{
	struct plain *m = p->mode;
	int ret;

	if (m->state != PLAIN_PREPARED && m->state != PLAIN_STOPPED)
		return -EBADFD;
	ret = vguest_pcm_start(p->g, m->stream);
	if (ret < 0)
		return ret;
	m->state = PLAIN_STARTED;
	return 0;
}

/* STOP keeps the messages queued; START moves them again. */
static int plain_pause(struct vplug *p, bool enable)
{
	struct plain *m = p->mode;
	int ret;

	if (m->state != (enable ? PLAIN_STARTED : PLAIN_STOPPED))
		return -EBADFD;
	ret = enable ? vguest_pcm_stop(p->g, m->stream) : vguest_pcm_start(p->g, m->stream);
	if (ret == 0)
		m->state = enable ? PLAIN_STOPPED : PLAIN_STARTED;
	return ret;
}

static int plain_stop(struct vplug *p)
{
	return plain_quiesce(p);
}

static int plain_hw_free(struct vplug *p)
{
	struct plain *m = p->mode;
	int ret = plain_quiesce(p);

	vguest_io_close(m->ring);
	m->ring = NULL;
	m->have_params = false;
	return ret;
}

static int plain_events(struct vplug *p)
{
	struct plain *m = p->mode;
	struct vguest_event ev;
	int ret, xrun = 0;

	while ((ret = vguest_event_next(p->g, &ev, 0)) == 1)
		if (ev.code == VIRTIO_SND_EVT_PCM_XRUN && ev.data == m->stream)
			xrun = VPLUG_XRUN_GLITCH;	/* vadspd's DSP backend plays on */
	return ret < 0 ? ret : xrun;
}

static void plain_close(struct vplug *p)
{
	struct plain *m = p->mode;

	if (m) {
		plain_hw_free(p);
		free(m);
	}
	p->mode = NULL;
	vguest_close(p->g);
	p->g = NULL;
}

const struct vplug_mode_ops vplug_mode_plain = {
	.name = "plain",
	.open = plain_open,
	.close = plain_close,
	.hw_params = plain_hw_params,
	.prepare = plain_prepare,
	.start = plain_start,
	.pause = plain_pause,
	.stop = plain_stop,
	.hw_free = plain_hw_free,
	.events = plain_events,
};
