/* SPDX-License-Identifier: MIT */
/*
 * A test-only ALSA PCM plugin (ioplug), "type vadsp_fake": a device that runs in real time
 * and can therefore underrun and overrun, which libasound's null and file plugins never do.
 * Loaded by libasound from the private configuration of test-io-alsa.c.
 *
 * From start, the device consumes (playback) or produces (capture) frames at its rate,
 * measured on CLOCK_MONOTONIC. When playback has consumed more than the application wrote,
 * or capture has produced more than a buffer ahead of the application, the pointer callback
 * reports an xrun (-EPIPE from snd_pcm_avail_update() and transfers) until the application
 * prepares the PCM again. Its poll descriptor is a timerfd that ticks every period from
 * prepare on, so an application waiting on it gets a chance to fill the buffer before start.
 * Capture produces frame n of every channel as the 16-bit value (n & 0x7fff) + 1; playback
 * data is discarded.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <alsa/asoundlib.h>
#include <alsa/pcm_external.h>

struct fake_pcm {
	snd_pcm_ioplug_t io;
	int tfd;
	bool running;
	struct timespec t0;
	snd_pcm_uframes_t produced;	/* capture: frames handed to the application */
};

static snd_pcm_uframes_t fake_elapsed(struct fake_pcm *f)
{
	struct timespec now;
	int64_t ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (int64_t)(now.tv_sec - f->t0.tv_sec) * 1000000000 + (now.tv_nsec - f->t0.tv_nsec);
	return ns <= 0 ? 0 : (snd_pcm_uframes_t)((uint64_t)ns * f->io.rate / 1000000000u);
}

static int fake_arm(struct fake_pcm *f)
{
	uint64_t ns = (uint64_t)f->io.period_size * 1000000000u / f->io.rate;
	struct itimerspec its = {
		.it_value = { .tv_nsec = 1 },
		.it_interval = { .tv_sec = (time_t)(ns / 1000000000u),
				 .tv_nsec = (long)(ns % 1000000000u) },
	};

	return timerfd_settime(f->tfd, 0, &its, NULL) < 0 ? -errno : 0;
}

static int fake_prepare(snd_pcm_ioplug_t *io)
{
	struct fake_pcm *f = io->private_data;

	f->running = false;
	f->produced = 0;
	return fake_arm(f);
}

static int fake_start(snd_pcm_ioplug_t *io)
{
	struct fake_pcm *f = io->private_data;

	clock_gettime(CLOCK_MONOTONIC, &f->t0);
	f->running = true;
	return 0;
}

static int fake_stop(snd_pcm_ioplug_t *io)
{
	struct fake_pcm *f = io->private_data;
	struct itimerspec off = { 0 };

	f->running = false;
	timerfd_settime(f->tfd, 0, &off, NULL);
	return 0;
}

static snd_pcm_sframes_t fake_pointer(snd_pcm_ioplug_t *io)
{
	struct fake_pcm *f = io->private_data;
	snd_pcm_uframes_t hw;

	if (!f->running)
		return 0;
	hw = fake_elapsed(f);
	if (io->stream == SND_PCM_STREAM_PLAYBACK) {
		if (hw > io->appl_ptr)
			return -EPIPE;		/* played past what was written */
	} else if (hw > io->appl_ptr + io->buffer_size) {
		return -EPIPE;			/* overwrote what was not read */
	}
	return (snd_pcm_sframes_t)(hw % io->buffer_size);
}

static snd_pcm_sframes_t fake_transfer(snd_pcm_ioplug_t *io, const snd_pcm_channel_area_t *areas,
				       snd_pcm_uframes_t offset, snd_pcm_uframes_t size)
{
	struct fake_pcm *f = io->private_data;

	if (io->stream == SND_PCM_STREAM_PLAYBACK)
		return (snd_pcm_sframes_t)size;
	for (snd_pcm_uframes_t i = 0; i < size; i++, f->produced++)
		for (unsigned int c = 0; c < io->channels; c++) {
			const snd_pcm_channel_area_t *a = &areas[c];
			int16_t *s = (int16_t *)((char *)a->addr +
						 (a->first + (offset + i) * a->step) / 8);

			*s = (int16_t)((f->produced & 0x7fff) + 1);
		}
	return (snd_pcm_sframes_t)size;
}

static int fake_poll_revents(snd_pcm_ioplug_t *io, struct pollfd *pfds, unsigned int nfds,
			     unsigned short *revents)
{
	struct fake_pcm *f = io->private_data;
	uint64_t ticks;

	if (read(f->tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return -errno;
	*revents = io->stream == SND_PCM_STREAM_PLAYBACK ? POLLOUT : POLLIN;
	return 0;
}

static int fake_close(snd_pcm_ioplug_t *io)
{
	struct fake_pcm *f = io->private_data;

	close(f->tfd);
	free(f);
	return 0;
}

static const snd_pcm_ioplug_callback_t fake_callbacks = {
	.start = fake_start,
	.stop = fake_stop,
	.pointer = fake_pointer,
	.transfer = fake_transfer,
	.close = fake_close,
	.prepare = fake_prepare,
	.poll_revents = fake_poll_revents,
};

SND_PCM_PLUGIN_DEFINE_FUNC(vadsp_fake);

SND_PCM_PLUGIN_DEFINE_FUNC(vadsp_fake)
{
	static const unsigned int access[] = { SND_PCM_ACCESS_RW_INTERLEAVED };
	static const unsigned int formats[] = { SND_PCM_FORMAT_S16_LE };
	struct fake_pcm *f = calloc(1, sizeof(*f));
	int err;

	if (!f)
		return -ENOMEM;
	f->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (f->tfd < 0) {
		free(f);
		return -errno;
	}
	f->io.version = SND_PCM_IOPLUG_VERSION;
	f->io.name = "vadsp fake real-time PCM";
	f->io.callback = &fake_callbacks;
	f->io.private_data = f;
	f->io.poll_fd = f->tfd;
	f->io.poll_events = POLLIN;
	err = snd_pcm_ioplug_create(&f->io, name, stream, mode);
	if (err < 0) {
		close(f->tfd);
		free(f);
		return err;
	}
	err = snd_pcm_ioplug_set_param_list(&f->io, SND_PCM_IOPLUG_HW_ACCESS, 1, access);
	if (err >= 0)
		err = snd_pcm_ioplug_set_param_list(&f->io, SND_PCM_IOPLUG_HW_FORMAT, 1, formats);
	if (err >= 0)
		err = snd_pcm_ioplug_set_param_minmax(&f->io, SND_PCM_IOPLUG_HW_CHANNELS, 1, 8);
	if (err >= 0)
		err = snd_pcm_ioplug_set_param_minmax(&f->io, SND_PCM_IOPLUG_HW_RATE, 8000, 192000);
	if (err >= 0)
		err = snd_pcm_ioplug_set_param_minmax(&f->io, SND_PCM_IOPLUG_HW_PERIODS, 2, 64);
	if (err >= 0)
		err = snd_pcm_ioplug_set_param_minmax(&f->io, SND_PCM_IOPLUG_HW_PERIOD_BYTES,
						      64, 1 << 20);
	if (err < 0) {
		snd_pcm_ioplug_delete(&f->io);
		return err;
	}
	*pcmp = f->io.pcm;
	return 0;
}

SND_PCM_PLUGIN_SYMBOL(vadsp_fake);
