// SPDX-License-Identifier: MIT
/*
 * The plugin's sof mode: the DSP-aware guest of docs/protocol.md section 4 (guest/sof.h)
 * on one PCM of the guest topology the device supplies.
 *
 * Open connects with the extension acknowledged and loads the topology (vguest_sof_open());
 * the PCM's stream caps give the formats (those PCM_PARAMS carries: S16_LE, S24_4LE as
 * ALSA's S24_LE, S32_LE, FLOAT_LE), rates, channels and period and buffer limits. Prepare
 * is PCM_PARAMS (after PCM_FREE of what ran before), start and stop are STREAM_TRIG_START
 * and STREAM_TRIG_STOP (then PCM_FREE, which gives back every message), pause and resume
STREAM_TRIG_PAUSE and STREAM_TRIG_RELEASE.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alsa-plugin/vplug.h"
#include "guest/sof.h"
#include "ipc/ipc3.h"
#include "snd/chmap-std.h"
#include "util/compiler.h"

struct sof {
	struct vguest_sof *s;
	unsigned int pcm;
	unsigned int dir;		/* TPLG_MODEL_PLAYBACK or _CAPTURE */
	struct vguest_sof_stream *st;
	bool running;
	uint32_t frame_fmt;
	uint64_t xruns;		/* xrun notifications of @st already reported */
};

/* The frame formats of PCM_PARAMS, with ALSA's names for them. */
static const struct {
	uint32_t frame_fmt;
	snd_pcm_format_t alsa;
} sof_formats[] = {
	{ IPC3_FRAME_S16_LE, SND_PCM_FORMAT_S16_LE },
	{ IPC3_FRAME_S32_LE, SND_PCM_FORMAT_S32_LE },
	{ IPC3_FRAME_S24_4LE, SND_PCM_FORMAT_S24_LE },
	{ IPC3_FRAME_FLOAT, SND_PCM_FORMAT_FLOAT_LE },
};

/* The rates of SNDRV_PCM_RATE_* bit n (the topology's caps use ALSA's mask). */
static const unsigned int sof_rate_bits[] = {
	5512, 8000, 11025, 16000, 22050, 32000, 44100, 48000, 64000, 88200, 96000, 176400,
	192000,
};

#define SOF_RATE_CONTINUOUS	(1u << 30)
#define SOF_RATE_MIN		8000u
#define SOF_RATE_MAX		192000u
#define SOF_CHANNELS_MAX	8u

static void sof_caps(const struct tplg_model_stream *c, struct vplug_caps *caps)
{
	unsigned int lo = VADSP_MAX(c->rate_min, SOF_RATE_MIN);
	unsigned int hi = c->rate_max ? VADSP_MIN(c->rate_max, SOF_RATE_MAX) : SOF_RATE_MAX;
	bool any_rate = !(c->rates & ~SOF_RATE_CONTINUOUS) || (c->rates & SOF_RATE_CONTINUOUS);

	for (size_t i = 0; i < VADSP_ARRAY_SIZE(sof_formats); i++)
		if (!c->formats || ((c->formats >> sof_formats[i].alsa) & 1))
			caps->formats[caps->num_formats++] = sof_formats[i].alsa;
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(sof_rate_bits); i++) {
		unsigned int hz = sof_rate_bits[i];

		if ((any_rate || ((c->rates >> i) & 1)) && hz >= lo && hz <= hi)
			caps->rates[caps->num_rates++] = hz;
	}
	caps->channels_min = c->channels_min ? c->channels_min : 1;
	caps->channels_max = VADSP_MIN(c->channels_max ? c->channels_max : SOF_CHANNELS_MAX,
				       SOF_CHANNELS_MAX);
	/* A SOF topology has no channel map: the standard positions of the largest count, as
	 * vadspd's CHMAP_INFO gives a stock driver for a topology stream. */
	caps->chmap_channels = caps->channels_max;
	vsnd_chmap_standard(caps->channels_max, caps->chmap);
	caps->period_bytes_min = c->period_bytes_min;
	caps->period_bytes_max = c->period_bytes_max;
	caps->buffer_bytes_max = c->buffer_bytes_max;
	caps->periods_min = c->periods_min;
	caps->periods_max = c->periods_max;
}

static int sof_open(struct vplug *p, const struct vplug_config *cfg, struct vplug_caps *caps)
{
	struct vguest_options opts = { .queue_size = VPLUG_QUEUE_SIZE, .sof_ipc3 = true };
	const struct tplg_model *model;
	struct sof *m;
	int ret, pcm;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->dir = p->playback ? TPLG_MODEL_PLAYBACK : TPLG_MODEL_CAPTURE;
	ret = vguest_connect(&p->g, cfg->socket, &opts);
	if (ret < 0) {
		SNDERR("vadsp: %s: %s", cfg->socket, strerror(-ret));
		goto fail;
	}
	if (!vguest_card(p->g)->sof_negotiated) {
		SNDERR("vadsp: %s does not offer the SOF IPC3 extension (sof = yes in its guest's "
		       "section of vadspd's configuration)", cfg->socket);
		ret = -EOPNOTSUPP;
		goto fail;
	}
	ret = vguest_sof_open(&m->s, p->g);
	if (ret < 0) {
		SNDERR("vadsp: %s: loading the guest topology over SOF IPC3 failed: %s",
		       cfg->socket, strerror(-ret));
		goto fail;
	}
	model = vguest_sof_model(m->s);
	if (cfg->stream >= 0) {
		if ((unsigned long)cfg->stream >= model->num_pcms) {
			SNDERR("vadsp: %s: the guest topology has %u PCMs, no PCM %ld", cfg->socket,
			       model->num_pcms, cfg->stream);
			ret = -ENODEV;
			goto fail;
		}
		pcm = (int)cfg->stream;
		if (!model->pcms[pcm].stream[m->dir].present ||
		    model->pcms[pcm].stream[m->dir].host_widget < 0) {
			SNDERR("vadsp: %s: PCM %d ('%s') has no %s stream", cfg->socket, pcm,
			       model->pcms[pcm].name, p->playback ? "playback" : "capture");
			ret = -ENODEV;
			goto fail;
		}
	} else {
		pcm = vguest_sof_pcm_find(m->s, NULL, m->dir);
		if (pcm < 0) {
			SNDERR("vadsp: %s: the guest topology has no %s PCM", cfg->socket,
			       p->playback ? "playback" : "capture");
			ret = -ENODEV;
			goto fail;
		}
	}
	m->pcm = (unsigned int)pcm;
	sof_caps(&model->pcms[pcm].stream[m->dir], caps);
	p->mode = m;
	return 0;
fail:
	vguest_sof_close(m->s);
	vguest_close(p->g);
	p->g = NULL;
	free(m);
	return ret;
}

/* Stop (when running) and PCM_FREE: the device gives back every message of the stream. */
static int sof_free(struct vplug *p)
{
	struct sof *m = p->mode;
	int ret = 0, r;

	if (!m->st)
		return 0;
	if (m->running) {
		ret = vguest_sof_stream_trigger(m->st, IPC3_STREAM_TRIG_STOP);
		m->running = false;
	}
	/* PCM_FREE gives every pending message back; the ring is reaped and closed. */
	r = vguest_sof_stream_close(m->st);
	m->st = NULL;
	return ret < 0 ? ret : r;
}

static int sof_hw_params(struct vplug *p, const struct vplug_hw *hw)
{
	struct sof *m = p->mode;

	sof_free(p);
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(sof_formats); i++) {
		if (sof_formats[i].alsa == hw->format) {
			m->frame_fmt = sof_formats[i].frame_fmt;
			return 0;
		}
	}
	return -EINVAL;
}

static int sof_prepare(struct vplug *p, struct vguest_io **ring)
{
	struct sof *m = p->mode;
	struct vguest_sof_params prm = {
		.rate = p->hw.rate,
		.channels = p->hw.channels,
		.frame_fmt = m->frame_fmt,
		.period_bytes = p->hw.period_bytes,
		.periods = p->hw.periods,
		.no_position = true,	/* the pointer comes from completed messages */
	};
	int ret;

	sof_free(p);
	ret = vguest_sof_stream_open(m->s, m->pcm, m->dir, &prm, &m->st);
	if (ret < 0) {
		SNDERR("vadsp: PCM %u refused PCM_PARAMS (%s, %u Hz, %u channels, period %u "
		       "bytes, %u periods): %s", m->pcm, snd_pcm_format_name(p->hw.format),
		       p->hw.rate, p->hw.channels, p->hw.period_bytes, p->hw.periods,
		       strerror(-ret));
		m->st = NULL;
		return ret;
	}
	*ring = vguest_sof_stream_io(m->st);
	m->xruns = 0;
	return 0;
}

static int sof_start(struct vplug *p)
{
	struct sof *m = p->mode;
	int ret;

	if (!m->st)
		return -EBADFD;
	ret = vguest_sof_stream_trigger(m->st, IPC3_STREAM_TRIG_START);
	if (ret == 0)
		m->running = true;
	return ret;
}

static int sof_pause(struct vplug *p, bool enable)
{
	struct sof *m = p->mode;

	if (!m->st)
		return -EBADFD;
	return vguest_sof_stream_trigger(m->st, enable ? IPC3_STREAM_TRIG_PAUSE :
							 IPC3_STREAM_TRIG_RELEASE);
}

static int sof_stop(struct vplug *p)
{
	return sof_free(p);
}

/* STREAM_TRIG_XRUN notifications land in the stream's status (vguest_sof_events()); the
 * stream does not move again until it is triggered anew. */
static int sof_events(struct vplug *p)
{
	struct sof *m = p->mode;
	struct vguest_sof_stream_status st;
	int ret = vguest_sof_events(m->s, 0);

	if (ret < 0)
		return ret;
	if (!m->st)
		return 0;
	vguest_sof_stream_status(m->st, &st);
	if (st.xruns == m->xruns)
		return 0;
	m->xruns = st.xruns;
	return VPLUG_XRUN_STOPPED;
}

/*
 * The DSP stops a pipeline whose xruns exceed its limit (the topology's xrun action) until
 * it is triggered anew; PAUSE and RELEASE start it again where it was, its buffers and the
 * messages still queued kept (STOP would clear them).
 */
static int sof_recover(struct vplug *p)
{
	struct sof *m = p->mode;
	int ret;

	if (!m->st || !m->running)
		return -EBADFD;
	ret = vguest_sof_stream_trigger(m->st, IPC3_STREAM_TRIG_PAUSE);
	if (ret == 0)
		ret = vguest_sof_stream_trigger(m->st, IPC3_STREAM_TRIG_RELEASE);
	return ret;
}

static void sof_close(struct vplug *p)
{
	struct sof *m = p->mode;

	if (m) {
		sof_free(p);
		vguest_sof_close(m->s);
		free(m);
	}
	p->mode = NULL;
	vguest_close(p->g);
	p->g = NULL;
}

const struct vplug_mode_ops vplug_mode_sof = {
	.name = "sof",
	.open = sof_open,
	.close = sof_close,
	.hw_params = sof_hw_params,
	.prepare = sof_prepare,
	.start = sof_start,
	.pause = sof_pause,
	.stop = sof_stop,
	.hw_free = sof_stop,
	.events = sof_events,
	.recover = sof_recover,
};
