// SPDX-License-Identifier: MIT
/*
 * The null endpoint: playback is discarded, capture is digital silence, and a timerfd
 * paces both as a real device of the same rate and buffering would.
 */
#include <errno.h>
#include <stdlib.h>

#include "io/internal.h"
#include "util/compiler.h"

struct io_null {
	struct io_endpoint base;
	struct io_vclock clock;
};

static struct io_null *to_null(struct io_endpoint *ep)
{
	return vadsp_container_of(ep, struct io_null, base);
}

static int null_open(const struct io_spec *spec, const struct io_params *params,
		     struct io_endpoint **out)
{
	static const char *const known[] = { NULL };
	struct io_null *n;
	int ret;

	if (spec->arg || io_spec_check_opts(spec, known) < 0)
		return -EINVAL;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	io_base_init(&n->base, &io_null_ops, params);
	ret = io_vclock_init(&n->clock, params);
	if (ret < 0) {
		free(n);
		return ret;
	}
	*out = &n->base;
	return 0;
}

static void null_close(struct io_endpoint *ep)
{
	struct io_null *n = to_null(ep);

	io_vclock_fini(&n->clock);
	free(n);
}

static int null_start(struct io_endpoint *ep)
{
	return io_vclock_start(&to_null(ep)->clock);
}

static int null_stop(struct io_endpoint *ep)
{
	io_vclock_stop(&to_null(ep)->clock);
	return 0;
}

static int null_clock_fd(struct io_endpoint *ep)
{
	return to_null(ep)->clock.fd;
}

static int null_clock_ack(struct io_endpoint *ep)
{
	return io_vclock_ack(&to_null(ep)->clock);
}

static int null_avail(struct io_endpoint *ep)
{
	return io_vclock_avail(&to_null(ep)->clock);
}

static int null_write(struct io_endpoint *ep, const void *buf, uint32_t frames)
{
	int ret = io_vclock_take(&to_null(ep)->clock, frames);

	return ret < 0 ? ret : (int)frames;
}

static int null_read(struct io_endpoint *ep, void *buf, uint32_t frames)
{
	int ret = io_vclock_take(&to_null(ep)->clock, frames);

	if (ret < 0)
		return ret;
	io_fill_silence(buf, frames, ep->frame_bytes);
	return (int)frames;
}

static int null_delay(struct io_endpoint *ep, int64_t *frames)
{
	*frames = io_vclock_delay(&to_null(ep)->clock);
	return 0;
}

static uint64_t null_xruns(struct io_endpoint *ep)
{
	return to_null(ep)->clock.xruns;
}

const struct io_endpoint_ops io_null_ops = {
	.kind = "null",
	.free_run = true,
	.open = null_open,
	.close = null_close,
	.start = null_start,
	.stop = null_stop,
	.clock_fd = null_clock_fd,
	.clock_ack = null_clock_ack,
	.avail = null_avail,
	.write = null_write,
	.read = null_read,
	.delay = null_delay,
	.xruns = null_xruns,
};
