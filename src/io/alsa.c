// SPDX-License-Identifier: MIT
/*
 * The ALSA endpoint (libasound): any PCM name, non-blocking, poll-driven.
 *
 * The PCM is set up with RW interleaved access, the stream's exact format, channels and
 * rate, a period near the engine's and a buffer near params.periods engine periods;
 * avail_min is one engine period, so the PCM's descriptors report a whole period of room or
 * data. Playback starts by itself when the engine has filled the buffer (start_threshold =
 * buffer size); capture is started by io_endpoint_start().
 *
 * The clock is an epoll descriptor over the PCM's poll descriptors, so the engine watches one
 * fd whatever the plugin chain. A descriptor that epoll cannot watch (the null plugin polls
 * /dev/null or /dev/full, which poll() always reports ready) is stood in for by an eventfd
 * that is kept readable, which is what poll() would say of it.
 *
 * Xruns (-EPIPE) are counted and recovered with snd_pcm_recover() (which prepares the PCM;
 * capture is then restarted, playback restarts when refilled). A suspended PCM (-ESTRPIPE) is
 * resumed without waiting: while the driver is still resuming the transfer returns -EAGAIN,
 * where snd_pcm_recover() would sleep.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "io/internal.h"
#include "util/compiler.h"
#include "util/log.h"

struct io_alsa {
	struct io_endpoint base;
	snd_pcm_t *pcm;
	int epfd;
	int always_fd;		/* eventfd kept readable, or -1 */
	struct pollfd *pfds;
	unsigned int n_pfds;
	snd_pcm_uframes_t buffer_size;
	uint64_t xruns;
};

static struct io_alsa *to_alsa(struct io_endpoint *ep)
{
	return vadsp_container_of(ep, struct io_alsa, base);
}

static snd_pcm_format_t alsa_format(enum io_format fmt)
{
	switch (fmt) {
	case IO_FMT_S16_LE:
		return SND_PCM_FORMAT_S16_LE;
	case IO_FMT_S24_4LE:
		return SND_PCM_FORMAT_S24_LE;
	case IO_FMT_S32_LE:
		return SND_PCM_FORMAT_S32_LE;
	case IO_FMT_FLOAT:
		return SND_PCM_FORMAT_FLOAT_LE;
	}
	return SND_PCM_FORMAT_UNKNOWN;
}

static int alsa_set_params(struct io_alsa *a, const char *name)
{
	const struct io_params *p = &a->base.params;
	snd_pcm_hw_params_t *hw;
	snd_pcm_sw_params_t *sw;
	snd_pcm_uframes_t period = p->period_frames;
	snd_pcm_uframes_t buffer = (snd_pcm_uframes_t)p->period_frames * p->periods;
	const char *what;
	int dir = 0, err;

	snd_pcm_hw_params_alloca(&hw);
	snd_pcm_sw_params_alloca(&sw);

	what = "hardware parameters";
	err = snd_pcm_hw_params_any(a->pcm, hw);
	if (err < 0)
		goto fail;
	what = "interleaved access";
	err = snd_pcm_hw_params_set_access(a->pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED);
	if (err < 0)
		goto fail;
	what = "sample format";
	err = snd_pcm_hw_params_set_format(a->pcm, hw, alsa_format(p->format));
	if (err < 0)
		goto fail;
	what = "channel count";
	err = snd_pcm_hw_params_set_channels(a->pcm, hw, p->channels);
	if (err < 0)
		goto fail;
	what = "rate";
	err = snd_pcm_hw_params_set_rate(a->pcm, hw, p->rate, 0);
	if (err < 0)
		goto fail;
	what = "period size";
	err = snd_pcm_hw_params_set_period_size_near(a->pcm, hw, &period, &dir);
	if (err < 0)
		goto fail;
	what = "buffer size";
	err = snd_pcm_hw_params_set_buffer_size_near(a->pcm, hw, &buffer);
	if (err < 0)
		goto fail;
	what = "hardware parameters";
	err = snd_pcm_hw_params(a->pcm, hw);
	if (err < 0)
		goto fail;
	snd_pcm_hw_params_get_buffer_size(hw, &a->buffer_size);
	what = "a buffer of one engine period";
	err = -EINVAL;
	if (a->buffer_size < p->period_frames)
		goto fail;

	what = "software parameters";
	err = snd_pcm_sw_params_current(a->pcm, sw);
	if (err < 0)
		goto fail;
	err = snd_pcm_sw_params_set_avail_min(a->pcm, sw, p->period_frames);
	if (err < 0)
		goto fail;
	err = snd_pcm_sw_params_set_start_threshold(a->pcm, sw,
		p->direction == IO_DIR_PLAYBACK ? a->buffer_size : 1);
	if (err < 0)
		goto fail;
	err = snd_pcm_sw_params_set_stop_threshold(a->pcm, sw, a->buffer_size);
	if (err < 0)
		goto fail;
	err = snd_pcm_sw_params(a->pcm, sw);
	if (err < 0)
		goto fail;
	return 0;

fail:
	vadsp_err("io", "alsa:%s: cannot set %s (%s %u Hz, %u channels): %s", name, what,
		  io_format_name(p->format), p->rate, p->channels, snd_strerror(err));
	return err;
}

static int alsa_setup_clock(struct io_alsa *a)
{
	int n = snd_pcm_poll_descriptors_count(a->pcm);

	if (n <= 0)
		return n < 0 ? n : -EINVAL;
	a->pfds = calloc((size_t)n, sizeof(*a->pfds));
	if (!a->pfds)
		return -ENOMEM;
	n = snd_pcm_poll_descriptors(a->pcm, a->pfds, (unsigned int)n);
	if (n <= 0)
		return n < 0 ? n : -EINVAL;
	a->n_pfds = (unsigned int)n;
	a->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (a->epfd < 0)
		return -errno;
	for (unsigned int i = 0; i < a->n_pfds; i++) {
		/* poll and epoll share the bit values for IN, OUT, ERR and HUP. */
		struct epoll_event ev = { .events = a->pfds[i].events };

		if (epoll_ctl(a->epfd, EPOLL_CTL_ADD, a->pfds[i].fd, &ev) == 0)
			continue;
		if (errno != EPERM)
			return -errno;
		if (a->always_fd >= 0)
			continue;
		a->always_fd = eventfd(1, EFD_NONBLOCK | EFD_CLOEXEC);
		if (a->always_fd < 0)
			return -errno;
		ev.events = EPOLLIN;
		if (epoll_ctl(a->epfd, EPOLL_CTL_ADD, a->always_fd, &ev) < 0)
			return -errno;
	}
	return 0;
}

static void alsa_free(struct io_alsa *a)
{
	if (a->pcm)
		snd_pcm_close(a->pcm);
	if (a->epfd >= 0)
		close(a->epfd);
	if (a->always_fd >= 0)
		close(a->always_fd);
	free(a->pfds);
	free(a);
}

static int alsa_open(const struct io_spec *spec, const struct io_params *params,
		     struct io_endpoint **out)
{
	static const char *const known[] = { NULL };
	struct io_alsa *a;
	int err;

	if (!spec->arg || io_spec_check_opts(spec, known) < 0)
		return -EINVAL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	io_base_init(&a->base, &io_alsa_ops, params);
	a->epfd = -1;
	a->always_fd = -1;
	err = snd_pcm_open(&a->pcm, spec->arg,
			   params->direction == IO_DIR_PLAYBACK ? SND_PCM_STREAM_PLAYBACK :
								  SND_PCM_STREAM_CAPTURE,
			   SND_PCM_NONBLOCK);
	if (err < 0) {
		vadsp_err("io", "alsa:%s: %s", spec->arg, snd_strerror(err));
		a->pcm = NULL;
		goto fail;
	}
	err = alsa_set_params(a, spec->arg);
	if (err < 0)
		goto fail;
	err = alsa_setup_clock(a);
	if (err < 0)
		goto fail;
	*out = &a->base;
	return 0;

fail:
	alsa_free(a);
	return err;
}

static void alsa_close(struct io_endpoint *ep)
{
	alsa_free(to_alsa(ep));
}

static int alsa_start(struct io_endpoint *ep)
{
	struct io_alsa *a = to_alsa(ep);
	int err = snd_pcm_prepare(a->pcm);

	if (err < 0)
		return err;
	if (ep->params.direction == IO_DIR_CAPTURE)
		return snd_pcm_start(a->pcm);
	return 0;
}

static int alsa_stop(struct io_endpoint *ep)
{
	return snd_pcm_drop(to_alsa(ep)->pcm);
}

static int alsa_clock_fd(struct io_endpoint *ep)
{
	return to_alsa(ep)->epfd;
}

/*
 * Recover from @err. Return 0 when the PCM is usable again, -EAGAIN when a suspended PCM
 * is still resuming, or -EIO when it is broken.
 */
static int alsa_recover(struct io_alsa *a, int err)
{
	if (err == -ESTRPIPE) {
		err = snd_pcm_resume(a->pcm);
		if (err == -EAGAIN)
			return -EAGAIN;
		if (err == 0)
			return 0;
		/* Resume is not supported: start over from prepare, as after an xrun. */
		err = -EPIPE;
	}
	if (err != -EPIPE)
		return -EIO;
	a->xruns++;
	err = snd_pcm_recover(a->pcm, err, 1);
	if (err < 0)
		return -EIO;
	if (a->base.params.direction == IO_DIR_CAPTURE && snd_pcm_start(a->pcm) < 0)
		return -EIO;
	return 0;
}

static snd_pcm_sframes_t alsa_avail(struct io_alsa *a)
{
	snd_pcm_sframes_t avail = snd_pcm_avail_update(a->pcm);

	if (avail < 0) {
		int err = alsa_recover(a, (int)avail);

		if (err < 0)
			return err;
		avail = snd_pcm_avail_update(a->pcm);
		if (avail < 0)
			return -EIO;
	}
	return avail;
}

static int alsa_clock_ack(struct io_endpoint *ep)
{
	struct io_alsa *a = to_alsa(ep);
	unsigned short revents = 0;
	snd_pcm_sframes_t avail;

	/* Let the plugin chain see its descriptors' events (some must be cleared). */
	if (poll(a->pfds, a->n_pfds, 0) > 0)
		snd_pcm_poll_descriptors_revents(a->pcm, a->pfds, a->n_pfds, &revents);
	avail = alsa_avail(a);
	if (avail == -EAGAIN)
		return 0;
	if (avail < 0)
		return (int)avail;
	return (int)(avail / ep->params.period_frames);
}

static int alsa_avail_op(struct io_endpoint *ep)
{
	snd_pcm_sframes_t avail = alsa_avail(to_alsa(ep));

	if (avail == -EAGAIN)
		return 0;
	return avail > INT32_MAX ? INT32_MAX : (int)avail;
}

static int alsa_transfer(struct io_endpoint *ep, void *buf, uint32_t frames)
{
	struct io_alsa *a = to_alsa(ep);
	bool playback = ep->params.direction == IO_DIR_PLAYBACK;
	snd_pcm_sframes_t n;

	if (frames > a->buffer_size)
		return -EINVAL;
	for (int attempt = 0; attempt < 2; attempt++) {
		snd_pcm_sframes_t avail = alsa_avail(a);

		if (avail < 0)
			return (int)avail;
		if ((snd_pcm_uframes_t)avail < frames)
			return -EAGAIN;
		n = playback ? snd_pcm_writei(a->pcm, buf, frames) :
			       snd_pcm_readi(a->pcm, buf, frames);
		if (n >= 0)
			return (int)n;
		if (n == -EAGAIN)
			return -EAGAIN;
		n = alsa_recover(a, (int)n);
		if (n < 0)
			return (int)n;
	}
	return -EAGAIN;
}

static int alsa_write(struct io_endpoint *ep, const void *buf, uint32_t frames)
{
	return alsa_transfer(ep, (void *)buf, frames);
}

static int alsa_read(struct io_endpoint *ep, void *buf, uint32_t frames)
{
	return alsa_transfer(ep, buf, frames);
}

static int alsa_delay(struct io_endpoint *ep, int64_t *frames)
{
	snd_pcm_sframes_t d;
	int err = snd_pcm_delay(to_alsa(ep)->pcm, &d);

	if (err < 0)
		return err;
	*frames = d;
	return 0;
}

static uint64_t alsa_xruns(struct io_endpoint *ep)
{
	return to_alsa(ep)->xruns;
}

const struct io_endpoint_ops io_alsa_ops = {
	.kind = "alsa",
	.free_run = false,
	.open = alsa_open,
	.close = alsa_close,
	.start = alsa_start,
	.stop = alsa_stop,
	.clock_fd = alsa_clock_fd,
	.clock_ack = alsa_clock_ack,
	.avail = alsa_avail_op,
	.write = alsa_write,
	.read = alsa_read,
	.delay = alsa_delay,
	.xruns = alsa_xruns,
};
