/* SPDX-License-Identifier: MIT */
/*
 * Host endpoints: where a DAI's audio really goes.
 *
 * An endpoint is opened from a spec string that names its kind and target:
 *
 *   null                        discards playback, captures silence; timerfd clock
 *   file:PATH[?loop]            WAV out (playback) or WAV in (capture) through libsndfile;
 *                               timerfd clock; capture gives silence after the end of the
 *                               file, or starts over with ?loop
 *   alsa:PCM                    any libasound PCM name ("hw:0,0", "default", a name from an
 *                               asoundrc); clocked by the PCM's poll descriptors
 *   pipewire[:TARGET][?OPTS]    a pw_stream; clocked by PipeWire's graph cycle
 *                               options: link (link to TARGET ourselves, for a PipeWire with
 *                               no session manager), name=NODE_NAME
 *   loopback:NAME[?delay=N]     a playback endpoint feeding the capture endpoint of the same
 *                               NAME; capture hears playback N frames later (default: one
 *                               period)
 *
 * General form: KIND[:ARG][?KEY[=VALUE][&KEY[=VALUE]...]]; the first ':' ends KIND and the
 * last '?' starts the options, so ARG may itself contain ':' (ALSA names do).
 *
 * The period model. The engine moves audio in periods of params.period_frames frames. Every
 * endpoint has a clock, a file descriptor that becomes readable when at least one whole
 * period can be transferred without blocking: room for it (playback) or data for it
 * (capture). When it is readable the engine calls io_endpoint_clock_ack(), which consumes
 * the wake-up and says how many whole periods can be transferred now, then moves that many
 * periods with io_endpoint_write() or io_endpoint_read(). The clock is:
 *   null, file, loopback playback: a timerfd re-armed for exact period boundaries (no drift:
 *     boundaries are computed from the start time and the frame count, not added up);
 *   alsa: one epoll fd over the PCM's poll descriptors (avail_min = one period);
 *   pipewire: an eventfd that the stream's process callback (PipeWire's data thread, once per
 *     graph cycle) signals after it moved a cycle's audio between PipeWire's buffer and an
 *     SPSC ring (src/util/ringbuf.h); the engine thread then fills or drains the ring, so the
 *     engine runs once per graph cycle, one cycle behind it;
 *   loopback capture: an eventfd signalled by the loopback playback side when it writes.
 * With IO_FLAG_FREE_RUN there is no clock (io_endpoint_clock_fd() returns -ENOTSUP): null
 * and file transfer as fast as the engine asks, for tests and the offline testbench.
 *
 * Threads. open/close/start/stop are control-path calls (they may allocate, lock, talk to a
 * daemon). clock_ack, avail, read, write, delay and get_status are the period path: they do
 * not allocate, lock or block, except that the file endpoint calls libsndfile, whose file I/O
 * goes through the page cache and can block on a slow disk. The period-path calls of one
 * endpoint must come from one thread at a time (the engine's data thread), and start/stop
 * must not run concurrently with them.
 *
 * Errors are -errno. Underruns and overruns are recovered inside the endpoint and counted
 * (io_status.xruns); the engine is told only through that count.
 */
#ifndef VADSP_IO_IO_H
#define VADSP_IO_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Same values as enum ipc3_stream_direction (checked in endpoint.c). */
enum io_direction {
	IO_DIR_PLAYBACK = 0,	/* engine -> endpoint (a playback DAI) */
	IO_DIR_CAPTURE = 1,	/* endpoint -> engine (a capture DAI) */
};

/* Same values as enum ipc3_frame_fmt (checked in endpoint.c). Samples are interleaved,
 * little endian; S24_4LE is 24 bits in the low three bytes of 32, sign-extended. */
enum io_format {
	IO_FMT_S16_LE = 0,
	IO_FMT_S24_4LE = 1,
	IO_FMT_S32_LE = 2,
	IO_FMT_FLOAT = 3,	/* 32-bit IEEE float, full scale +-1.0 */
};

#define IO_FORMAT_COUNT		4

/* Limits checked by io_endpoint_open(). */
#define IO_RATE_MIN		8000u
#define IO_RATE_MAX		384000u
#define IO_CHANNELS_MAX		32u
#define IO_PERIOD_FRAMES_MAX	65536u
#define IO_PERIODS_MAX		64u
#define IO_PERIODS_DEFAULT	2u

/* io_params.flags */
#define IO_FLAG_FREE_RUN	0x1u	/* no clock; only null, file and loopback support it */

struct io_params {
	enum io_direction direction;
	enum io_format format;
	uint32_t rate;			/* frames per second */
	uint32_t channels;
	uint32_t period_frames;		/* the engine's period */
	uint32_t periods;		/* endpoint buffering in periods; 0: IO_PERIODS_DEFAULT */
	uint32_t flags;			/* IO_FLAG_* */
};

enum io_state {
	IO_STATE_STOPPED = 0,
	IO_STATE_RUNNING = 1,
};

struct io_status {
	enum io_state state;
	uint64_t frames;	/* frames moved by io_endpoint_read()/write() since open */
	uint64_t xruns;		/* underruns (playback) or overruns (capture) recovered */
	int64_t delay;		/* as io_endpoint_delay(); 0 when it failed */
	bool eof;		/* capture source exhausted (file without ?loop) */
};

/* A parsed spec string; see the top of this file for the syntax. */
#define IO_SPEC_MAX		4096
#define IO_SPEC_OPTS_MAX	8

struct io_spec_opt {
	const char *key;
	const char *value;	/* "" for a bare KEY */
};

struct io_spec {
	const char *kind;
	const char *arg;	/* NULL when the spec has no ':' part */
	unsigned int n_opts;
	struct io_spec_opt opts[IO_SPEC_OPTS_MAX];
	char buf[IO_SPEC_MAX];	/* the strings above point in here */
};

struct io_endpoint;

/**
 * struct io_endpoint_ops - one kind of endpoint (STYLE rule 7)
 * @kind: the KIND of the spec string
 * @free_run: whether the kind supports IO_FLAG_FREE_RUN
 * @open: create an endpoint from @spec (@spec->kind already matched) and checked @params;
 *	set *@out; return 0 or -errno
 * @close: stop if needed and free everything
 * @start: begin moving audio (the generic layer only calls it when stopped)
 * @stop: stop moving audio, drop what is queued (only called when running)
 * @clock_fd: the clock descriptor, or -ENOTSUP when free-running
 * @clock_ack: consume the clock's wake-up; return whole periods transferable now, or -errno
 * @avail: frames transferable now without blocking (room or data), or -errno
 * @write: playback: queue exactly @frames frames or none; return @frames or -EAGAIN
 * @read: capture: take exactly @frames frames or none; return @frames or -EAGAIN
 * @delay: frames between the engine and the device: written but not yet played (playback),
 *	captured but not yet read (capture)
 * @xruns: xruns counted so far
 * @eof: optional; whether a capture source has run out
 *
 * The generic layer (endpoint.c) checks direction, state and sizes before calling @write or
 * @read, and counts frames; kinds only do the transfer.
 */
struct io_endpoint_ops {
	const char *kind;
	bool free_run;
	int (*open)(const struct io_spec *spec, const struct io_params *params,
		    struct io_endpoint **out);
	void (*close)(struct io_endpoint *ep);
	int (*start)(struct io_endpoint *ep);
	int (*stop)(struct io_endpoint *ep);
	int (*clock_fd)(struct io_endpoint *ep);
	int (*clock_ack)(struct io_endpoint *ep);
	int (*avail)(struct io_endpoint *ep);
	int (*write)(struct io_endpoint *ep, const void *buf, uint32_t frames);
	int (*read)(struct io_endpoint *ep, void *buf, uint32_t frames);
	int (*delay)(struct io_endpoint *ep, int64_t *frames);
	uint64_t (*xruns)(struct io_endpoint *ep);
	bool (*eof)(struct io_endpoint *ep);
};

/**
 * struct io_endpoint - what every kind embeds first
 * @ops: the kind
 * @params: the parameters it was opened with (periods defaulted)
 * @frame_bytes: bytes per interleaved frame
 * @state: IO_STATE_*
 * @frames: frames moved by read/write since open
 */
struct io_endpoint {
	const struct io_endpoint_ops *ops;
	struct io_params params;
	uint32_t frame_bytes;
	enum io_state state;
	uint64_t frames;
};

/* The kinds (each in its own file). Kinds whose library was not found at build time are
 * absent: opening them fails with -ENOTSUP. */
extern const struct io_endpoint_ops io_null_ops;
extern const struct io_endpoint_ops io_file_ops;
extern const struct io_endpoint_ops io_alsa_ops;
extern const struct io_endpoint_ops io_pipewire_ops;
extern const struct io_endpoint_ops io_loopback_ops;

/**
 * io_format_bytes() - bytes per sample of @fmt
 *
 * Return: 2 or 4, or 0 for an unknown format.
 */
static inline uint32_t io_format_bytes(enum io_format fmt)
{
	switch (fmt) {
	case IO_FMT_S16_LE:
		return 2;
	case IO_FMT_S24_4LE:
	case IO_FMT_S32_LE:
	case IO_FMT_FLOAT:
		return 4;
	}
	return 0;
}

/**
 * io_format_name() - "S16_LE", "S24_4LE", "S32_LE" or "FLOAT" ("?" when unknown)
 */
const char *io_format_name(enum io_format fmt);

/**
 * io_spec_parse() - split a spec string into kind, argument and options
 * @spec: the string
 * @out: filled in; its strings live in @out->buf
 *
 * Return: 0; -EINVAL for an empty kind, an empty option key or more than IO_SPEC_OPTS_MAX
 * options; -ENAMETOOLONG when @spec does not fit IO_SPEC_MAX.
 */
int io_spec_parse(const char *spec, struct io_spec *out);

/**
 * io_spec_opt() - the value of option @key
 *
 * Return: the value ("" for a bare key), or NULL when @key is absent.
 */
const char *io_spec_opt(const struct io_spec *spec, const char *key);

/**
 * io_spec_check_opts() - fail on any option not in @known (a NULL-terminated list)
 *
 * Return: 0, or -EINVAL naming nothing (the caller logs).
 */
int io_spec_check_opts(const struct io_spec *spec, const char *const *known);

/**
 * io_endpoint_open() - open an endpoint
 * @spec: KIND[:ARG][?OPTS], see above
 * @params: direction, format, rate, channels, period and flags
 * @out: the new endpoint, stopped
 *
 * Control path.
 *
 * Return: 0; -EINVAL for bad parameters or a bad spec; -ENOTSUP for an unknown kind, a kind
 * not built in, or IO_FLAG_FREE_RUN on a kind with a real clock; or the kind's -errno (for
 * example -ENOENT for a missing file or PCM, -ECONNREFUSED with no PipeWire daemon).
 */
int io_endpoint_open(const char *spec, const struct io_params *params, struct io_endpoint **out);

/**
 * io_endpoint_close() - stop if running, then free the endpoint (NULL is allowed)
 *
 * Control path. A file endpoint's WAV header is finished here.
 */
void io_endpoint_close(struct io_endpoint *ep);

/**
 * io_endpoint_start() - start moving audio
 *
 * Control path. Playback endpoints offer a whole buffer of room at once after start (the
 * engine's first periods fill it, as a prefill); capture endpoints have data one period later.
 *
 * Return: 0, -EBUSY when already running, or the kind's -errno.
 */
int io_endpoint_start(struct io_endpoint *ep);

/**
 * io_endpoint_stop() - stop moving audio and drop what is queued
 *
 * Control path. Stopping a stopped endpoint does nothing and returns 0.
 *
 * Return: 0 or the kind's -errno.
 */
int io_endpoint_stop(struct io_endpoint *ep);

/**
 * io_endpoint_clock_fd() - the descriptor to poll for readability
 *
 * The descriptor belongs to the endpoint: poll or epoll it, never read or close it.
 *
 * Return: the fd, or -ENOTSUP when the endpoint runs free (IO_FLAG_FREE_RUN).
 */
int io_endpoint_clock_fd(struct io_endpoint *ep);

/**
 * io_endpoint_clock_ack() - consume a clock wake-up
 *
 * Period path. Call when the clock fd was readable (calling it at other times is harmless).
 * Transfer all the periods it reports before polling again; periods left untransferred are
 * reported again at the next wake-up but do not keep the fd readable.
 *
 * Return: the number of whole periods that can be transferred now (0 for a spurious wake-up;
 * always 1 for a free-running null or file endpoint), or -errno for a broken endpoint
 * (-EBADFD when stopped, -EIO when the device or daemon is gone).
 */
int io_endpoint_clock_ack(struct io_endpoint *ep);

/**
 * io_endpoint_avail() - frames transferable now without blocking
 *
 * Period path. Free-running null and file endpoints report INT32_MAX.
 *
 * Return: frames (room for playback, data for capture), or -errno (-EBADFD when stopped).
 */
int io_endpoint_avail(struct io_endpoint *ep);

/**
 * io_endpoint_write() - playback: queue @frames interleaved frames from @buf
 * @ep: a running playback endpoint
 * @buf: @frames * frame_bytes bytes in the endpoint's format
 * @frames: normally a multiple of the period; all or nothing
 *
 * Period path; never blocks.
 *
 * Return: @frames; -EAGAIN (nothing queued) when there is no room for all of them yet;
 * -EBADFD when stopped; -EINVAL on a capture endpoint or for more frames than the endpoint
 * can ever hold; -EIO when the device failed beyond recovery.
 */
int io_endpoint_write(struct io_endpoint *ep, const void *buf, uint32_t frames);

/**
 * io_endpoint_read() - capture: take @frames interleaved frames into @buf
 * @ep: a running capture endpoint
 * @buf: room for @frames * frame_bytes bytes
 * @frames: normally a multiple of the period; all or nothing
 *
 * Period path; never blocks.
 *
 * Return: @frames; -EAGAIN (nothing read) when fewer frames are available; -EBADFD when
 * stopped; -EINVAL on a playback endpoint or for more frames than the endpoint can ever
 * hold; -EIO when the device failed beyond recovery.
 */
int io_endpoint_read(struct io_endpoint *ep, void *buf, uint32_t frames);

/**
 * io_endpoint_delay() - frames queued in the endpoint
 * @ep: the endpoint
 * @frames: playback: frames written and not yet played, as far as the endpoint knows
 *	(for PipeWire this includes the graph's reported delay to the device); capture: frames
 *	captured and not yet read (for loopback: how far capture lags playback)
 *
 * Period path.
 *
 * Return: 0 or -errno.
 */
int io_endpoint_delay(struct io_endpoint *ep, int64_t *frames);

/**
 * io_endpoint_get_status() - state, frame count, xruns, delay and end of input
 *
 * Period path.
 */
void io_endpoint_get_status(struct io_endpoint *ep, struct io_status *st);

/**
 * io_endpoint_params() - the parameters in effect (periods defaulted)
 */
static inline const struct io_params *io_endpoint_params(const struct io_endpoint *ep)
{
	return &ep->params;
}

/**
 * io_endpoint_frame_bytes() - bytes per interleaved frame (sample bytes * channels)
 */
static inline uint32_t io_endpoint_frame_bytes(const struct io_endpoint *ep)
{
	return ep->frame_bytes;
}

/**
 * io_endpoint_kind() - the KIND the endpoint was opened as
 */
static inline const char *io_endpoint_kind(const struct io_endpoint *ep)
{
	return ep->ops->kind;
}

#endif /* VADSP_IO_IO_H */
