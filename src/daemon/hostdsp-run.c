// SPDX-License-Identifier: MIT
/*
 * The host DSP's data thread (hostdsp-run.h).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "daemon/hostdsp-run.h"
#include "dsp/kernels/level.h"
#include "io/io.h"
#include "util/log.h"

#define LOG		"hostdsp"
#define RUN_CHANNELS	2u
#define RUN_PRIO_ENV	"VADSPD_DSP_PRIORITY"
#define RUN_PRIO_DEFAULT 60

struct run_ep {
	struct io_endpoint *ep;
	uint32_t dai_id;
	bool bound;
	struct dsp_level level;		/* the DAI's audio, measured by the data thread */
};

struct hostdsp_run {
	struct hostdsp *h;
	struct run_ep *eps;
	unsigned int num_eps;
	pthread_t thread;
	bool started;
	int cmd_fd;			/* control -> data: a command is waiting */
	int done_fd;			/* data -> control: it ran */
	int (*cmd_fn)(void *arg);
	void *cmd_arg;
	int cmd_ret;
	_Atomic bool quit;
	_Atomic int64_t delay;
	struct hostdsp_hook *hooks;	/* data thread's; changed by commands only */
};

static int run_dai_write(void *opaque, const void *buf, uint32_t frames)
{
	struct run_ep *re = opaque;

	dsp_level_feed(&re->level, buf, frames);
	return io_endpoint_write(re->ep, buf, frames);
}

static int run_dai_read(void *opaque, void *buf, uint32_t frames)
{
	struct run_ep *re = opaque;
	int n = io_endpoint_read(re->ep, buf, frames);

	if (n > 0)
		dsp_level_feed(&re->level, buf, (uint32_t)n);
	return n;
}

static void run_period(struct hostdsp_run *r)
{
	struct dsp_engine *e = hostdsp_engine(r->h);
	int64_t delay;

	/* The other endpoints follow: free-running ones answer 1, clocked ones are acknowledged. */
	for (unsigned int i = 1; i < r->num_eps; i++)
		io_endpoint_clock_ack(r->eps[i].ep);
	for (struct hostdsp_hook *k = r->hooks; k; k = k->next)
		if (k->before)
			k->before(k->opaque, e);
	dsp_engine_tick(e);
	for (struct hostdsp_hook *k = r->hooks; k; k = k->next)
		if (k->after)
			k->after(k->opaque, e);
	if (io_endpoint_delay(r->eps[0].ep, &delay) == 0)
		atomic_store_explicit(&r->delay, delay, memory_order_relaxed);
}

static void *run_thread(void *data)
{
	struct hostdsp_run *r = data;
	struct pollfd pfd[2] = {
		{ .fd = io_endpoint_clock_fd(r->eps[0].ep), .events = POLLIN },
		{ .fd = r->cmd_fd, .events = POLLIN },
	};

	while (!atomic_load(&r->quit)) {
		uint64_t v;

		if (poll(pfd, 2, 100) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].revents & POLLIN) {
			int n = io_endpoint_clock_ack(r->eps[0].ep);

			for (int i = 0; i < n; i++)
				run_period(r);
		}
		if ((pfd[1].revents & POLLIN) && read(r->cmd_fd, &v, sizeof(v)) == sizeof(v)) {
			r->cmd_ret = r->cmd_fn(r->cmd_arg);
			v = 1;
			if (write(r->done_fd, &v, sizeof(v)) != sizeof(v))
				break;
		}
	}
	return NULL;
}

int hostdsp_run_call(struct hostdsp_run *r, int (*fn)(void *arg), void *arg)
{
	uint64_t v = 1;

	if (!r->started)
		return fn(arg);
	r->cmd_fn = fn;
	r->cmd_arg = arg;
	/* eventfd write/read order the command's fields between the threads (syscalls). */
	if (write(r->cmd_fd, &v, sizeof(v)) != sizeof(v))
		return -errno;
	while (read(r->done_fd, &v, sizeof(v)) != sizeof(v))
		if (errno != EINTR)
			return -errno;
	return r->cmd_ret;
}

struct run_hook_cmd {
	struct hostdsp_run *r;
	struct hostdsp_hook *hook;
};

static int run_hook_add(void *arg)
{
	struct run_hook_cmd *c = arg;

	c->hook->next = c->r->hooks;
	c->r->hooks = c->hook;
	return 0;
}

static int run_hook_del(void *arg)
{
	struct run_hook_cmd *c = arg;

	for (struct hostdsp_hook **pp = &c->r->hooks; *pp; pp = &(*pp)->next)
		if (*pp == c->hook) {
			*pp = c->hook->next;
			c->hook->next = NULL;
			break;
		}
	return 0;
}

void hostdsp_run_hook_add(struct hostdsp_run *r, struct hostdsp_hook *hook)
{
	struct run_hook_cmd c = { r, hook };

	hostdsp_run_call(r, run_hook_add, &c);
}

void hostdsp_run_hook_del(struct hostdsp_run *r, struct hostdsp_hook *hook)
{
	struct run_hook_cmd c = { r, hook };

	hostdsp_run_call(r, run_hook_del, &c);
}

struct hostdsp *hostdsp_run_dsp(struct hostdsp_run *r)
{
	return r->h;
}

int64_t hostdsp_run_delay_frames(struct hostdsp_run *r)
{
	return atomic_load_explicit(&r->delay, memory_order_relaxed);
}

int hostdsp_run_dai_level(struct hostdsp_run *r, unsigned int i, struct dsp_level_snapshot *out)
{
	if (i >= r->num_eps)
		return -ENOENT;
	return dsp_level_read(&r->eps[i].level, out);
}

static int run_open_ep(struct hostdsp_run *r, const struct hostdsp_run_dai *d, struct run_ep *re,
		       bool clock)
{
	struct dsp_engine *e = hostdsp_engine(r->h);
	uint32_t rate = 48000, period = dsp_engine_period_us(e);
	int playback = hostdsp_dai_playback(r->h, d->name);
	int id = hostdsp_dai_id(r->h, d->name);
	struct io_params p = {
		.direction = playback ? IO_DIR_PLAYBACK : IO_DIR_CAPTURE,
		.format = IO_FMT_S32_LE,
		.rate = rate,
		.channels = RUN_CHANNELS,
		.period_frames = (uint32_t)((uint64_t)rate * period / 1000000u),
	};
	struct dsp_dai_io io = {
		.fmt = DSP_FMT_S32_LE,
		.rate = rate,
		.channels = RUN_CHANNELS,
	};
	int ret;

	if (id < 0 || playback < 0) {
		vadsp_err(LOG, "dai.%s: the host topology has no such DAI", d->name);
		return -ENOENT;
	}
	re->dai_id = (uint32_t)id;
	/*
	 * Only the first endpoint clocks the engine. The others follow it: free-running where
	 * the kind allows (null, file, loopback), so that two timers' jitter cannot starve a
	 * capture DAI or overfill a playback one; on their own clock otherwise.
	 */
	ret = -ENOTSUP;
	if (!clock) {
		p.flags = IO_FLAG_FREE_RUN;
		ret = io_endpoint_open(d->spec, &p, &re->ep);
		p.flags = 0;
	}
	if (ret == -ENOTSUP)
		ret = io_endpoint_open(d->spec, &p, &re->ep);
	if (ret < 0) {
		vadsp_err(LOG, "dai.%s = %s: %s", d->name, d->spec, strerror(-ret));
		return ret;
	}
	io.opaque = re;
	dsp_level_init(&re->level, DSP_FMT_S32_LE, RUN_CHANNELS, rate);
	if (playback)
		io.write = run_dai_write;
	else
		io.read = run_dai_read;
	ret = dsp_dai_bind(e, re->dai_id, &io);
	if (ret < 0) {
		vadsp_err(LOG, "dai.%s: bind: %s", d->name, strerror(-ret));
		return ret;
	}
	re->bound = true;
	/*
	 * The DAI's pipeline (a mixer or demux and the DAI) runs from now on, as a sound card's
	 * output runs: silence until a guest plays, and a steady clock for the endpoint.
	 */
	id = hostdsp_dai_pipeline(r->h, d->name);
	ret = id < 0 ? id : dsp_pipeline_params(e, (uint32_t)id, rate, RUN_CHANNELS);
	if (ret == 0)
		ret = dsp_trigger(e, (uint32_t)id, DSP_TRIGGER_START);
	if (ret < 0) {
		vadsp_err(LOG, "dai.%s: starting its pipeline: %s", d->name, strerror(-ret));
		return ret;
	}
	ret = io_endpoint_start(re->ep);
	if (ret < 0)
		vadsp_err(LOG, "dai.%s = %s: start: %s", d->name, d->spec, strerror(-ret));
	return ret;
}

/*
 * The SCHED_FIFO priority asked for the data thread: $VADSPD_DSP_PRIORITY (0 asks for none,
 * 1 to 99), RUN_PRIO_DEFAULT when unset or not a number in range (said in the log).
 */
static int run_priority(void)
{
	const char *env = getenv(RUN_PRIO_ENV);
	char *end;
	long v;

	if (!env || !*env)
		return RUN_PRIO_DEFAULT;
	errno = 0;
	v = strtol(env, &end, 10);
	if (errno || *end || v < 0 || v > 99) {
		vadsp_warn(LOG, "%s=%s is not 0 to 99; asking for priority %d", RUN_PRIO_ENV, env,
			   RUN_PRIO_DEFAULT);
		return RUN_PRIO_DEFAULT;
	}
	return (int)v;
}

/*
 * Make the data thread SCHED_FIFO at run_priority(), so that the periods are run on time
 * whatever else the host runs. Never fatal: a refusal (no CAP_SYS_NICE, RLIMIT_RTPRIO
 * too low, a container without real-time budget) leaves it SCHED_OTHER, and says so.
 */
static void run_set_priority(struct hostdsp_run *r)
{
	struct sched_param sp = { .sched_priority = run_priority() };
	int ret;

	if (!sp.sched_priority) {
		vadsp_info(LOG, "data thread: SCHED_OTHER (%s=0)", RUN_PRIO_ENV);
		return;
	}
	if (sp.sched_priority < sched_get_priority_min(SCHED_FIFO) ||
	    sp.sched_priority > sched_get_priority_max(SCHED_FIFO)) {
		vadsp_warn(LOG, "data thread: SCHED_FIFO priority %d is out of this system's "
			   "range; it runs SCHED_OTHER", sp.sched_priority);
		return;
	}
	ret = pthread_setschedparam(r->thread, SCHED_FIFO, &sp);
	if (ret)
		vadsp_warn(LOG, "data thread: SCHED_FIFO priority %d refused (%s); it runs "
			   "SCHED_OTHER and may miss periods under load (%s=0 stops asking)",
			   sp.sched_priority, strerror(ret), RUN_PRIO_ENV);
	else
		vadsp_info(LOG, "data thread: SCHED_FIFO priority %d", sp.sched_priority);
}

int hostdsp_run_start(struct hostdsp_run **out, struct hostdsp *h,
		      const struct hostdsp_run_dai *dais, unsigned int n)
{
	struct hostdsp_run *r;
	int ret;

	if (!n)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->h = h;
	r->cmd_fd = eventfd(0, EFD_CLOEXEC);
	r->done_fd = eventfd(0, EFD_CLOEXEC);
	r->eps = calloc(n, sizeof(*r->eps));
	if (r->cmd_fd < 0 || r->done_fd < 0 || !r->eps) {
		ret = -ENOMEM;
		goto fail;
	}
	for (unsigned int i = 0; i < n; i++) {
		r->num_eps++;
		ret = run_open_ep(r, &dais[i], &r->eps[i], i == 0);
		if (ret < 0)
			goto fail;
	}
	/*
	 * DAIs without an endpoint: their pipelines run too (a capture DAI without I/O
	 * produces silence), so guests attached to them prepare and run.
	 */
	for (unsigned int i = 0; hostdsp_dai_name(h, i); i++) {
		const char *name = hostdsp_dai_name(h, i);
		bool configured = false;
		int id = hostdsp_dai_pipeline(h, name);

		for (unsigned int j = 0; j < n; j++)
			configured |= !strcmp(dais[j].name, name);
		if (configured || id < 0)
			continue;
		ret = dsp_pipeline_params(hostdsp_engine(h), (uint32_t)id, 0, RUN_CHANNELS);
		if (ret == 0)
			ret = dsp_trigger(hostdsp_engine(h), (uint32_t)id, DSP_TRIGGER_START);
		if (ret < 0)
			vadsp_info(LOG, "DAI %s has no endpoint and does not run: %s", name,
				   strerror(-ret));
	}
	if (io_endpoint_clock_fd(r->eps[0].ep) < 0) {
		vadsp_err(LOG, "dai.%s = %s has no clock", dais[0].name, dais[0].spec);
		ret = -EINVAL;
		goto fail;
	}
	ret = pthread_create(&r->thread, NULL, run_thread, r);
	if (ret) {
		ret = -EAGAIN;
		goto fail;
	}
	r->started = true;
	run_set_priority(r);
	*out = r;
	return 0;
fail:
	hostdsp_run_stop(r);
	return ret;
}

void hostdsp_run_stop(struct hostdsp_run *r)
{
	if (!r)
		return;
	if (r->started) {
		atomic_store(&r->quit, true);
		pthread_join(r->thread, NULL);
	}
	for (unsigned int i = 0; i < r->num_eps; i++) {
		if (r->eps[i].bound)
			dsp_dai_bind(hostdsp_engine(r->h), r->eps[i].dai_id, NULL);
		io_endpoint_close(r->eps[i].ep);
	}
	if (r->cmd_fd >= 0)
		close(r->cmd_fd);
	if (r->done_fd >= 0)
		close(r->done_fd);
	free(r->eps);
	free(r);
}
