// SPDX-License-Identifier: MIT
/*
 * The generic endpoint layer: spec strings, parameter checks, the kind table, the
 * start/stop/transfer state machine and the checks every read and write goes through.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "io/internal.h"
#include "io/io.h"
#include "ipc/ipc3.h"
#include "util/compiler.h"
#include "util/log.h"

_Static_assert(IO_DIR_PLAYBACK == (int)IPC3_STREAM_PLAYBACK, "direction values follow IPC3");
_Static_assert(IO_DIR_CAPTURE == (int)IPC3_STREAM_CAPTURE, "direction values follow IPC3");
_Static_assert(IO_FMT_S16_LE == (int)IPC3_FRAME_S16_LE, "format values follow IPC3");
_Static_assert(IO_FMT_S24_4LE == (int)IPC3_FRAME_S24_4LE, "format values follow IPC3");
_Static_assert(IO_FMT_S32_LE == (int)IPC3_FRAME_S32_LE, "format values follow IPC3");
_Static_assert(IO_FMT_FLOAT == (int)IPC3_FRAME_FLOAT, "format values follow IPC3");

static const struct io_endpoint_ops *const io_kinds[] = {
	&io_null_ops,
	&io_loopback_ops,
#ifdef VADSP_IO_HAVE_SNDFILE
	&io_file_ops,
#endif
#ifdef VADSP_IO_HAVE_ALSA
	&io_alsa_ops,
#endif
#ifdef VADSP_IO_HAVE_PIPEWIRE
	&io_pipewire_ops,
#endif
};

static const char *const io_format_names[IO_FORMAT_COUNT] = {
	[IO_FMT_S16_LE] = "S16_LE",
	[IO_FMT_S24_4LE] = "S24_4LE",
	[IO_FMT_S32_LE] = "S32_LE",
	[IO_FMT_FLOAT] = "FLOAT",
};

const char *io_format_name(enum io_format fmt)
{
	if ((unsigned int)fmt >= IO_FORMAT_COUNT)
		return "?";
	return io_format_names[fmt];
}

/* --- spec strings */

static bool spec_kind_valid(const char *kind)
{
	if (!*kind)
		return false;
	for (const char *p = kind; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_'))
			return false;
	return true;
}

int io_spec_parse(const char *spec, struct io_spec *out)
{
	size_t len;
	char *q, *c, *opt;

	memset(out, 0, offsetof(struct io_spec, buf));
	if (!spec)
		return -EINVAL;
	len = strnlen(spec, IO_SPEC_MAX);
	if (len >= IO_SPEC_MAX)
		return -ENAMETOOLONG;
	memcpy(out->buf, spec, len + 1);

	/* Options start at the last '?', so the argument may hold any other character. */
	q = strrchr(out->buf, '?');
	if (q)
		*q++ = '\0';
	c = strchr(out->buf, ':');
	if (c) {
		*c++ = '\0';
		out->arg = *c ? c : NULL;
	}
	out->kind = out->buf;
	if (!spec_kind_valid(out->kind))
		return -EINVAL;

	for (opt = q; opt && *opt;) {
		char *next = strchr(opt, '&');
		char *eq;

		if (next)
			*next++ = '\0';
		eq = strchr(opt, '=');
		if (eq)
			*eq++ = '\0';
		if (!*opt || out->n_opts == IO_SPEC_OPTS_MAX)
			return -EINVAL;
		if (io_spec_opt(out, opt))
			return -EINVAL;		/* the same key twice */
		out->opts[out->n_opts].key = opt;
		out->opts[out->n_opts].value = eq ? eq : "";
		out->n_opts++;
		opt = next;
	}
	return 0;
}

const char *io_spec_opt(const struct io_spec *spec, const char *key)
{
	for (unsigned int i = 0; i < spec->n_opts; i++)
		if (!strcmp(spec->opts[i].key, key))
			return spec->opts[i].value;
	return NULL;
}

int io_spec_check_opts(const struct io_spec *spec, const char *const *known)
{
	for (unsigned int i = 0; i < spec->n_opts; i++) {
		const char *const *k;

		for (k = known; *k; k++)
			if (!strcmp(spec->opts[i].key, *k))
				break;
		if (!*k)
			return -EINVAL;
	}
	return 0;
}

/* --- state machine (STYLE rule 11): checked before any side effect */

enum io_op {
	IO_OP_START,
	IO_OP_STOP,
	IO_OP_TRANSFER,
	IO_OP_COUNT,
};

struct io_transition {
	int err;		/* nonzero: refused with this -errno */
	bool noop;		/* allowed, nothing to do */
	enum io_state next;
};

static const struct io_transition io_fsm[2][IO_OP_COUNT] = {
	[IO_STATE_STOPPED] = {
		[IO_OP_START] = { .next = IO_STATE_RUNNING },
		[IO_OP_STOP] = { .noop = true, .next = IO_STATE_STOPPED },
		[IO_OP_TRANSFER] = { .err = -EBADFD },
	},
	[IO_STATE_RUNNING] = {
		[IO_OP_START] = { .err = -EBUSY },
		[IO_OP_STOP] = { .next = IO_STATE_STOPPED },
		[IO_OP_TRANSFER] = { .next = IO_STATE_RUNNING },
	},
};

/* --- open/close */

static int params_check(const struct io_params *in, struct io_params *out)
{
	*out = *in;
	if (out->periods == 0)
		out->periods = IO_PERIODS_DEFAULT;
	if ((unsigned int)out->direction > IO_DIR_CAPTURE)
		return -EINVAL;
	if (io_format_bytes(out->format) == 0)
		return -EINVAL;
	if (out->rate < IO_RATE_MIN || out->rate > IO_RATE_MAX)
		return -EINVAL;
	if (out->channels == 0 || out->channels > IO_CHANNELS_MAX)
		return -EINVAL;
	if (out->period_frames == 0 || out->period_frames > IO_PERIOD_FRAMES_MAX)
		return -EINVAL;
	if (out->periods > IO_PERIODS_MAX)
		return -EINVAL;
	if (out->flags & ~IO_FLAG_FREE_RUN)
		return -EINVAL;
	return 0;
}

int io_endpoint_open(const char *spec, const struct io_params *params, struct io_endpoint **out)
{
	const struct io_endpoint_ops *ops = NULL;
	struct io_params p;
	struct io_spec *s;
	int ret;

	*out = NULL;
	if (!params)
		return -EINVAL;
	ret = params_check(params, &p);
	if (ret < 0)
		return ret;
	s = malloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	ret = io_spec_parse(spec, s);
	if (ret < 0)
		goto out;
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(io_kinds); i++)
		if (!strcmp(io_kinds[i]->kind, s->kind))
			ops = io_kinds[i];
	ret = -ENOTSUP;
	if (!ops) {
		vadsp_err("io", "%s: unknown or not built endpoint kind", spec);
		goto out;
	}
	if ((p.flags & IO_FLAG_FREE_RUN) && !ops->free_run) {
		vadsp_err("io", "%s: this kind has a real clock and cannot run free", spec);
		goto out;
	}
	ret = ops->open(s, &p, out);
	if (ret < 0)
		*out = NULL;
out:
	free(s);
	return ret;
}

void io_endpoint_close(struct io_endpoint *ep)
{
	if (!ep)
		return;
	if (ep->state == IO_STATE_RUNNING)
		io_endpoint_stop(ep);
	ep->ops->close(ep);
}

int io_endpoint_start(struct io_endpoint *ep)
{
	const struct io_transition *t = &io_fsm[ep->state][IO_OP_START];
	int ret;

	if (t->err)
		return t->err;
	ret = ep->ops->start(ep);
	if (ret < 0)
		return ret;
	ep->state = t->next;
	return 0;
}

int io_endpoint_stop(struct io_endpoint *ep)
{
	const struct io_transition *t = &io_fsm[ep->state][IO_OP_STOP];
	int ret;

	if (t->err)
		return t->err;
	if (t->noop)
		return 0;
	ret = ep->ops->stop(ep);
	/* Stopped either way: a device that failed to stop cleanly is not running audio. */
	ep->state = t->next;
	return ret;
}

/* --- period path */

int io_endpoint_clock_fd(struct io_endpoint *ep)
{
	if (ep->params.flags & IO_FLAG_FREE_RUN)
		return -ENOTSUP;
	return ep->ops->clock_fd(ep);
}

int io_endpoint_clock_ack(struct io_endpoint *ep)
{
	const struct io_transition *t = &io_fsm[ep->state][IO_OP_TRANSFER];

	if (t->err)
		return t->err;
	return ep->ops->clock_ack(ep);
}

int io_endpoint_avail(struct io_endpoint *ep)
{
	const struct io_transition *t = &io_fsm[ep->state][IO_OP_TRANSFER];

	if (t->err)
		return t->err;
	return ep->ops->avail(ep);
}

static int transfer_check(struct io_endpoint *ep, enum io_direction dir, const void *buf,
			  uint32_t frames)
{
	const struct io_transition *t = &io_fsm[ep->state][IO_OP_TRANSFER];

	if (ep->params.direction != dir)
		return -EINVAL;
	if (t->err)
		return t->err;
	if (frames > (uint32_t)INT32_MAX / ep->frame_bytes)
		return -EINVAL;
	if (frames && !buf)
		return -EINVAL;
	return 0;
}

int io_endpoint_write(struct io_endpoint *ep, const void *buf, uint32_t frames)
{
	int ret = transfer_check(ep, IO_DIR_PLAYBACK, buf, frames);

	if (ret < 0 || frames == 0)
		return ret;
	ret = ep->ops->write(ep, buf, frames);
	if (ret > 0)
		ep->frames += (uint32_t)ret;
	return ret;
}

int io_endpoint_read(struct io_endpoint *ep, void *buf, uint32_t frames)
{
	int ret = transfer_check(ep, IO_DIR_CAPTURE, buf, frames);

	if (ret < 0 || frames == 0)
		return ret;
	ret = ep->ops->read(ep, buf, frames);
	if (ret > 0)
		ep->frames += (uint32_t)ret;
	return ret;
}

int io_endpoint_delay(struct io_endpoint *ep, int64_t *frames)
{
	*frames = 0;
	if (ep->state != IO_STATE_RUNNING || !ep->ops->delay)
		return 0;
	return ep->ops->delay(ep, frames);
}

void io_endpoint_get_status(struct io_endpoint *ep, struct io_status *st)
{
	memset(st, 0, sizeof(*st));
	st->state = ep->state;
	st->frames = ep->frames;
	st->xruns = ep->ops->xruns ? ep->ops->xruns(ep) : 0;
	if (io_endpoint_delay(ep, &st->delay) < 0)
		st->delay = 0;
	st->eof = ep->ops->eof ? ep->ops->eof(ep) : false;
}
