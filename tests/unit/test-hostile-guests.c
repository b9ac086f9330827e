// SPDX-License-Identifier: MIT
/*
 * Hostile process guests against vadspd running the shared host DSP (topology/host.tplg,
 * DAI0.OUT into a WAV file, guests vm1 and vm2 on topology/stereo.tplg with controls).
 *
 * Guest vm1 is the hostile one: it sends what a driver must not (ids out of range, every
 * PCM transition docs/protocol.md 3.4 forbids, parameters the stream does not offer,
 * requests and response buffers of the wrong size, misaddressed and malformed I/O
 * messages, floods of requests and messages) and checks that each is answered exactly as
 * docs/protocol.md says: the status and the used length. Meanwhile guest vm2, a separate
 * process, plays a known signal through the same DSP; at the end its part of the host
 * output file must be bit-exact (S16 << 16 in s32), every one of its messages S_OK, and
 * vadspd must exit cleanly on SIGTERM (under the sanitizer build: without a report).
 *
 * The hostile guest's own audio is silence, so that the output is the victim's alone.
 *
 * The PCM state machine cases come from the table in docs/protocol.md itself (read at run
 * time from $VADSP_SOURCE_DIR): every (state, request) pair the table forbids is sent on a
 * stream brought to that state along a path the table allows, and must be S_BAD_MSG with
 * the state unchanged (read back from the management socket); every pair it allows must
 * succeed.
 *
 * The PCM_XRUN tests check the DSP backend's xrun reports: a playback stream the guest stops
 * feeding and a capture stream it gives no buffers get one PCM_XRUN event each (with
 * EVT_XRUNS), counted in the management socket's per-stream xruns; none without EVT_XRUNS.
 * A last test makes the available audio's kick come after START: it must still play.
 *
 * Waits are bounded (WAIT_MS) and never measured: where the test must see that nothing
 * happens (no second xrun event, no completion of held messages) it first waits for what
 * would come before it (the xrun counted, the messages pending) and then looks once more.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "snd/virtio-snd.h"
#include "util/le.h"
#include "vhost-user/frontend.h"
#include "virtio/vring.h"
#include "vadspd-test-util.h"

#define WAIT_MS		10000
#define PERIOD_FRAMES	480u
#define PERIOD		(PERIOD_FRAMES * 4u)	/* S16 stereo: 10 ms */
#define SKIP		2000u			/* frames: the volume start ramp and more */
/* The victim keeps its whole buffer in flight, 16 messages of 20 ms (320 ms, the most the
 * stereo topology's caps allow): it must play on bit-exact while a hostile guest keeps
 * vadspd busy and the machine is loaded; with 80 ms a victim process held off the CPU
 * underran and the engine played silence into its output. */
#define VICTIM_FRAMES	960u			/* frames per victim message: 20 ms */
#define VICTIM_BYTES	(VICTIM_FRAMES * 4u)
#define VICTIM_PERIODS	16u			/* messages the victim keeps in flight */
#define VICTIM_MIN	30u			/* periods it plays at least: 0.6 s */

#define S_OK		VIRTIO_SND_S_OK
#define S_BAD		VIRTIO_SND_S_BAD_MSG
#define S_NOT_SUPP	VIRTIO_SND_S_NOT_SUPP
#define S_IO_ERR	VIRTIO_SND_S_IO_ERR

/* The stereo topology's card. */
#define NUM_JACKS	2u
#define NUM_STREAMS	2u
#define NUM_CONTROLS	4u

/* The process playing the known signal on vm2. */
struct victim {
	pid_t pid;
	int stop_fd;	/* parent writes: stop playing */
	int res_fd;	/* child writes: 's' once started, then struct victim_result */
};

struct victim_result {
	uint64_t frames;	/* played, all completed */
	uint32_t bad;		/* messages not S_OK, or any other failure */
	uint32_t line;		/* where the first failure was seen */
	int32_t err;		/* and its value (a status or -errno) */
};

#define VICTIM_FAIL(res, e) \
	do { \
		if (!(res).bad++) { \
			(res).line = __LINE__; \
			(res).err = (int32_t)(e); \
		} \
	} while (0)

static struct vt_daemon current;	/* a copy, for its log when a test fails */
static pid_t running_victim;
static unsigned int cases;	/* requests and messages whose answer was checked */
static char context[128];	/* what the test is doing, printed with a wrong answer */

/* ---------------------------------------------------------------------------------------- */
/* vadspd                                                                                    */

/* vadspd at log level debug: host.tplg with DAI0.OUT into out.wav, DAI0.IN null; vm1 and vm2
 * on stereo.tplg with controls. */
static void daemon_start(struct vt_daemon *d)
{
	static const struct vt_daemon_opts o = {
		.name = "hostile", .log_level = "debug", .host = true, .in = "null", .guests = 2,
		.guest = { { .lines = "controls = yes\n" }, { .lines = "controls = yes\n" } },
	};

	vt_daemon_start(d, &o);
	current = *d;
}

/* ---------------------------------------------------------------------------------------- */
/* The victim: vm2 playing vt_ramp_signal() until told to stop                               */

static void victim_run(const char *sock, int stop_fd, int res_fd)
{
	struct vguest_pcm_params prm = {
		.buffer_bytes = VICTIM_PERIODS * VICTIM_BYTES, .period_bytes = VICTIM_BYTES,
		.channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};
	struct victim_result res = { 0 };
	struct vguest_io *io = NULL;
	int ret;
	struct vguest *g = NULL;
	int16_t buf[VICTIM_FRAMES * 2];
	unsigned int periods = 0;
	bool started = false, stop = false;
	uint64_t frame = 0;

	if (vguest_connect(&g, sock, NULL) || vguest_pcm_set_params(g, 0, &prm) ||
	    vguest_pcm_prepare(g, 0) ||
	    vguest_io_open(g, 0, VICTIM_BYTES, VICTIM_PERIODS, &io)) {
		VICTIM_FAIL(res, 0);
		goto out;
	}
	for (;;) {
		struct vguest_io_done done;
		struct pollfd pfd = { .fd = stop_fd, .events = POLLIN };

		while (!stop && vguest_io_in_flight(io) < VICTIM_PERIODS) {
			for (uint32_t i = 0; i < VICTIM_FRAMES; i++)
				buf[2 * i] = buf[2 * i + 1] = vt_ramp_signal(frame + i);
			ret = vguest_io_submit(io, buf, VICTIM_BYTES);
			if (ret) {
				VICTIM_FAIL(res, ret);
				stop = true;
				break;
			}
			frame += VICTIM_FRAMES;
		}
		if (!started) {
			ret = vguest_pcm_start(g, 0);
			if (ret) {
				VICTIM_FAIL(res, ret);
				break;
			}
			started = true;
			if (write(res_fd, "s", 1) != 1)
				VICTIM_FAIL(res, -errno);
		}
		if (!vguest_io_in_flight(io))
			break;
		ret = vguest_io_reap(io, &done, WAIT_MS);
		if (ret != 1) {
			VICTIM_FAIL(res, ret);
			break;
		}
		if (done.status != S_OK)
			VICTIM_FAIL(res, done.status);
		periods++;
		if (periods >= VICTIM_MIN && poll(&pfd, 1, 0) == 1)
			stop = true;
	}
	ret = vguest_pcm_stop(g, 0);
	if (!ret)
		ret = vguest_pcm_release(g, 0);
	if (ret)
		VICTIM_FAIL(res, ret);
	res.frames = (uint64_t)periods * VICTIM_FRAMES;
out:
	vguest_io_close(io);
	vguest_close(g);
	if (write(res_fd, &res, sizeof(res)) != sizeof(res))
		_exit(2);
	_exit(0);
}

static void victim_start(struct victim *v, const char *sock)
{
	int stop[2], res[2];
	char c = 0;

	assert_int_equal(pipe(stop), 0);
	assert_int_equal(pipe(res), 0);
	v->pid = fork();
	assert_true(v->pid >= 0);
	if (v->pid == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
			_exit(127);
		close(stop[1]);
		close(res[0]);
		victim_run(sock, stop[0], res[1]);
	}
	running_victim = v->pid;
	close(stop[0]);
	close(res[1]);
	v->stop_fd = stop[1];
	v->res_fd = res[0];
	/* It plays before the hostile guest does anything. */
	assert_int_equal(read(v->res_fd, &c, 1), 1);
	assert_int_equal(c, 's');
}

static struct victim_result victim_finish(struct victim *v)
{
	struct victim_result r = { 0 };
	int status;

	assert_int_equal(write(v->stop_fd, "x", 1), 1);
	assert_int_equal(read(v->res_fd, &r, sizeof(r)), sizeof(r));
	assert_int_equal(waitpid(v->pid, &status, 0), v->pid);
	running_victim = 0;
	close(v->stop_fd);
	close(v->res_fd);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return r;
}

/* The victim's frames are in @l bit-exact, from SKIP to the last frame it played. */
static void victim_check_output(const struct victim_result *r, const int32_t *l, uint32_t n)
{
	uint32_t first = UINT32_MAX, off = UINT32_MAX, bad = 0, checked = 0;

	if (r->bad)
		print_message("victim: %u failures, the first at line %u: %d\n", r->bad, r->line,
			      r->err);
	assert_int_equal(r->bad, 0);
	assert_true(r->frames >= (uint64_t)VICTIM_MIN * VICTIM_FRAMES);
	for (uint32_t i = 0; i < n && first == UINT32_MAX; i++)
		if (l[i])
			first = i;
	assert_int_not_equal(first, UINT32_MAX);
	/* The volume ramp starts at gain 0: the signal's first frame is at most a few early. */
	for (uint32_t o = first > 64 ? first - 64 : 0; o <= first && off == UINT32_MAX; o++) {
		bool ok = o + SKIP + 100 < n;

		for (uint32_t i = SKIP; i < SKIP + 100 && ok; i++)
			ok = l[o + i] == (int32_t)vt_ramp_signal(i) * 65536;
		if (ok)
			off = o;
	}
	assert_int_not_equal(off, UINT32_MAX);
	assert_true(off + r->frames <= n);
	for (uint32_t i = SKIP; i < r->frames; i++, checked++)
		bad += l[off + i] != (int32_t)vt_ramp_signal(i) * 65536;
	print_message("victim: %u frames played, %u compared, %u differ\n", (uint32_t)r->frames,
		      checked, bad);
	assert_int_equal(bad, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* The management socket                                                                     */

/*
 * The value of "@key": of stream @stream of vm1's (only) connection: the text after the
 * key up to the next ',' or '}', copied into @out.
 */
static void vm1_stream_field(const struct vt_daemon *d, uint32_t stream, const char *key,
			     char *out, size_t room)
{
	char *json = vt_mgmt(d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
	char pat[64];
	const char *p = strstr(json, "\"streams\":[");
	size_t n;

	assert_non_null(p);
	/* Each stream object has one "state" key; controls and jacks have none. */
	for (uint32_t i = 0; i <= stream; i++) {
		p = strstr(p + 1, "\"state\":");
		assert_non_null(p);
	}
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(p, pat);
	assert_non_null(p);
	p += strlen(pat);
	n = strcspn(p, ",}");
	assert_true(n < room);
	memcpy(out, p, n);
	out[n] = '\0';
	free(json);
}

static void assert_state(const struct vt_daemon *d, uint32_t stream, const char *state)
{
	char v[64], want[64];

	vm1_stream_field(d, stream, "state", v, sizeof(v));
	snprintf(want, sizeof(want), "\"%s\"", state);
	assert_string_equal(v, want);
}

static uint64_t vm1_xruns(const struct vt_daemon *d, uint32_t stream)
{
	char v[64];

	vm1_stream_field(d, stream, "xruns", v, sizeof(v));
	return strtoull(v, NULL, 10);
}

/* Wait until stream @stream of vm1 has @want I/O messages with its backend. */
static void wait_pending(const struct vt_daemon *d, uint32_t stream, unsigned long want)
{
	char v[64];

	for (int waited = 0; waited < WAIT_MS; waited += 2) {
		vm1_stream_field(d, stream, "pending", v, sizeof(v));
		if (strtoul(v, NULL, 10) == want)
			return;
		usleep(2000);
	}
	fail_msg("stream %u: %s messages pending, not %lu", stream, v, want);
}

/* Wait until vm1 has no connection (the previous hostile guest is gone). */
static void vm1_wait_gone(const struct vt_daemon *d)
{
	for (int waited = 0; waited < WAIT_MS; waited += 5) {
		char *json = vt_mgmt(d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
		bool gone = strstr(json, "\"connections\":[]") != NULL;

		free(json);
		if (gone)
			return;
		usleep(5000);
	}
	fail_msg("vm1 still connected");
}

/* ---------------------------------------------------------------------------------------- */
/* Requests                                                                                  */

/* A request of @words le32 words. */
static size_t words(uint8_t *buf, unsigned int n, ...)
{
	va_list ap;

	va_start(ap, n);
	for (unsigned int i = 0; i < n; i++)
		put_le32(buf + 4 * i, va_arg(ap, uint32_t));
	va_end(ap);
	return 4u * n;
}

/* Send @req (@len bytes) with a @room-byte response buffer; expect @status and @used. */
static void expect_req(struct vguest *g, const void *req, size_t len, size_t room,
		       uint32_t status, uint32_t used)
{
	static uint8_t resp[VGUEST_RESP_MAX];
	uint32_t got = UINT32_MAX;
	int ret;

	ret = vguest_request(g, req, len, room ? resp : NULL, room, &got);
	if (ret != (int)(room >= 4 ? status : 0) || got != used) {
		print_message("%s: request 0x%04x (%zu bytes, room %zu): status 0x%x used %u, "
			      "expected 0x%x used %u; bytes", context, len >= 4 ? get_le32(req) : 0,
			      len, room, ret, got, status, used);
		for (size_t i = 0; i < len && i < 32; i++)
			print_message(" %02x", ((const uint8_t *)req)[i]);
		print_message("\n");
	}
	assert_int_equal(ret, room >= 4 ? status : 0);
	assert_int_equal(got, used);
	cases++;
}

static void expect_simple(struct vguest *g, uint32_t code, uint32_t id, size_t room,
			  uint32_t status, uint32_t used)
{
	uint8_t req[8];

	expect_req(g, req, words(req, 2, code, id), room, status, used);
}

static void expect_query(struct vguest *g, uint32_t code, uint32_t start, uint32_t count,
			 uint32_t size, size_t room, uint32_t status, uint32_t used)
{
	uint8_t req[16];

	expect_req(g, req, words(req, 4, code, start, count, size), room, status, used);
}

static const struct vguest_pcm_params good_params = {
	.buffer_bytes = 4 * PERIOD, .period_bytes = PERIOD, .channels = 2,
	.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
};

static size_t set_params_req(uint8_t *req, uint32_t stream, const struct vguest_pcm_params *p)
{
	memset(req, 0, sizeof(struct vsnd_pcm_set_params));
	put_le32(req, VIRTIO_SND_R_PCM_SET_PARAMS);
	put_le32(req + offsetof(struct vsnd_pcm_set_params, hdr.stream_id), stream);
	put_le32(req + offsetof(struct vsnd_pcm_set_params, buffer_bytes), p->buffer_bytes);
	put_le32(req + offsetof(struct vsnd_pcm_set_params, period_bytes), p->period_bytes);
	put_le32(req + offsetof(struct vsnd_pcm_set_params, features), p->features);
	req[offsetof(struct vsnd_pcm_set_params, channels)] = p->channels;
	req[offsetof(struct vsnd_pcm_set_params, format)] = p->format;
	req[offsetof(struct vsnd_pcm_set_params, rate)] = p->rate;
	return sizeof(struct vsnd_pcm_set_params);
}

static void expect_set_params(struct vguest *g, uint32_t stream,
			      const struct vguest_pcm_params *p, uint32_t status)
{
	uint8_t req[sizeof(struct vsnd_pcm_set_params)];

	expect_req(g, req, set_params_req(req, stream, p), 4, status, 4);
}

static struct vguest *hostile_connect(const struct vt_daemon *d, bool controls)
{
	struct vguest_options o = { .no_controls = !controls };
	struct vguest *g;

	assert_int_equal(vguest_connect(&g, d->sock[0], &o), 0);
	assert_int_equal(vguest_card(g)->num_streams, NUM_STREAMS);
	assert_int_equal(vguest_card(g)->num_jacks, NUM_JACKS);
	assert_int_equal(vguest_card(g)->num_controls, controls ? NUM_CONTROLS : 0);
	return g;
}

/* ---------------------------------------------------------------------------------------- */
/* Fixture: vadspd and the victim                                                            */

struct session {
	struct vt_daemon d;
	struct victim v;
	unsigned int first_case;
};

static void session_start(struct session *s)
{
	daemon_start(&s->d);
	victim_start(&s->v, s->d.sock[1]);
	s->first_case = cases;
}

static void session_end(struct session *s)
{
	struct victim_result r = victim_finish(&s->v);
	uint32_t n;
	int32_t *l = vt_daemon_stop(&s->d, &n);

	print_message("%u hostile requests and messages answered as specified\n",
		      cases - s->first_case);
	victim_check_output(&r, l, n);
	free(l);
}

/* ---------------------------------------------------------------------------------------- */
/* Ids out of range                                                                          */

static void out_of_range_ids_are_refused_and_the_other_guest_plays_on(void **state)
{
	static const struct {
		uint32_t code, have, size;
	} queries[] = {
		{ VIRTIO_SND_R_JACK_INFO, NUM_JACKS, sizeof(struct vsnd_jack_info) },
		{ VIRTIO_SND_R_PCM_INFO, NUM_STREAMS, sizeof(struct vsnd_pcm_info) },
		{ VIRTIO_SND_R_CHMAP_INFO, NUM_STREAMS, sizeof(struct vsnd_chmap_info) },
		{ VIRTIO_SND_R_CTL_INFO, NUM_CONTROLS, sizeof(struct vsnd_ctl_info) },
	};
	static const uint32_t pcm[] = {
		VIRTIO_SND_R_PCM_PREPARE, VIRTIO_SND_R_PCM_START, VIRTIO_SND_R_PCM_STOP,
		VIRTIO_SND_R_PCM_RELEASE,
	};
	static const uint32_t ctl[] = {
		VIRTIO_SND_R_CTL_READ, VIRTIO_SND_R_CTL_ENUM_ITEMS, VIRTIO_SND_R_CTL_TLV_READ,
		VIRTIO_SND_R_CTL_TLV_COMMAND,
	};
	const uint32_t bad_ids[] = { NUM_STREAMS, NUM_JACKS + 1, NUM_CONTROLS, 0x7fffffffu,
				     0xffffffffu };
	struct session s;
	struct vguest *g;
	uint8_t req[VGUEST_REQ_MAX];

	(void)state;
	session_start(&s);
	g = hostile_connect(&s.d, true);
	for (size_t q = 0; q < VADSP_ARRAY_SIZE(queries); q++) {
		uint32_t c = queries[q].code, h = queries[q].have, sz = queries[q].size;
		size_t room = 4 + (size_t)(h + 2) * sz;

		/* In range, as a baseline; count 0 at the end is an empty answer. */
		expect_query(g, c, 0, h, sz, room, S_OK, 4 + h * sz);
		expect_query(g, c, h, 0, sz, room, S_OK, 4);
		/* start_id + count beyond the elements, also by wrapping around 2^32. */
		expect_query(g, c, h, 1, sz, room, S_BAD, 4);
		expect_query(g, c, h - 1, 2, sz, room, S_BAD, 4);
		expect_query(g, c, 0, h + 1, sz, room, S_BAD, 4);
		expect_query(g, c, h + 1, 0, sz, room, S_BAD, 4);
		expect_query(g, c, 0xffffffffu, 1, sz, room, S_BAD, 4);
		expect_query(g, c, 1, 0xffffffffu, sz, room, S_BAD, 4);
		expect_query(g, c, 0xffffffffu, 2, sz, room, S_BAD, 4);
		/* The item size must be the item's. */
		expect_query(g, c, 0, 1, sz - 1, room, S_BAD, 4);
		expect_query(g, c, 0, 1, sz + 1, room, S_BAD, 4);
		expect_query(g, c, 0, 1, 0, room, S_BAD, 4);
		expect_query(g, c, 0, 0, 0xffffffffu, room, S_BAD, 4);
	}
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(bad_ids); i++) {
		struct vguest_pcm_params p = good_params;
		uint32_t id = bad_ids[i];

		expect_set_params(g, id, &p, S_BAD);
		for (size_t k = 0; k < VADSP_ARRAY_SIZE(pcm); k++)
			expect_simple(g, pcm[k], id, 4, S_BAD, 4);
		if (id >= NUM_CONTROLS) {
			for (size_t k = 0; k < VADSP_ARRAY_SIZE(ctl); k++)
				expect_simple(g, ctl[k], id, VGUEST_RESP_MAX, S_BAD, 4);
			memset(req, 0, 8 + VIRTIO_SND_CTL_VALUE_SIZE);
			words(req, 2, VIRTIO_SND_R_CTL_WRITE, id);
			expect_req(g, req, 8 + VIRTIO_SND_CTL_VALUE_SIZE, 4, S_BAD, 4);
			/* A TLV_WRITE naming no control, with a well-formed TLV after it. */
			expect_req(g, req, words(req, 5, VIRTIO_SND_R_CTL_TLV_WRITE, id, 1, 4, 0), 4,
				   S_BAD, 4);
		}
		if (id >= NUM_JACKS)
			expect_req(g, req, words(req, 4, VIRTIO_SND_R_JACK_REMAP, id, 1, 0), 4,
				   S_BAD, 4);
	}
	/* The same requests on elements that exist do what the protocol says. */
	expect_req(g, req, words(req, 4, VIRTIO_SND_R_JACK_REMAP, 0, 1, 0), 4, S_NOT_SUPP, 4);
	expect_simple(g, VIRTIO_SND_R_CTL_READ, 0, 4 + VIRTIO_SND_CTL_VALUE_SIZE, S_OK,
		      4 + VIRTIO_SND_CTL_VALUE_SIZE);
	expect_simple(g, VIRTIO_SND_R_CTL_TLV_COMMAND, 0, 64, S_NOT_SUPP, 4);
	vguest_close(g);
	session_end(&s);
}

/* ---------------------------------------------------------------------------------------- */
/* The PCM state machine, from docs/protocol.md's table                                      */

static const struct {
	const char *name;
	uint32_t code;
} pcm_requests[] = {
	{ "SET_PARAMS", VIRTIO_SND_R_PCM_SET_PARAMS },
	{ "PREPARE", VIRTIO_SND_R_PCM_PREPARE },
	{ "START", VIRTIO_SND_R_PCM_START },
	{ "STOP", VIRTIO_SND_R_PCM_STOP },
	{ "RELEASE", VIRTIO_SND_R_PCM_RELEASE },
};
#define NUM_PCM_REQ	VADSP_ARRAY_SIZE(pcm_requests)
#define MAX_STATES	8u

/*
 * struct pcm_table - the table "state (last request that succeeded) | allowed requests"
 * @state: state k is the one the request of the same name leads to; "none yet" is the
 *         first state, where a stream starts
 * @allowed: bit r: pcm_requests[r] is allowed in state k
 * @to: the state pcm_requests[r] leads to
 * @path: requests leading from the first state to state k (shortest)
 */
struct pcm_table {
	unsigned int n;
	char state[MAX_STATES][32];
	unsigned int allowed[MAX_STATES];
	unsigned int to[NUM_PCM_REQ];
	unsigned int path_len[MAX_STATES];
	unsigned int path[MAX_STATES][MAX_STATES];
};

static char *trim(char *p)
{
	char *e;

	while (*p == ' ')
		p++;
	e = p + strlen(p);
	while (e > p && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '|'))
		*--e = '\0';
	return p;
}

static int request_index(const char *name)
{
	for (size_t r = 0; r < NUM_PCM_REQ; r++)
		if (!strcmp(pcm_requests[r].name, name))
			return (int)r;
	return -1;
}

static void pcm_table_read(struct pcm_table *t)
{
	const char *src = getenv("VADSP_SOURCE_DIR");
	char path[512], line[512];
	bool in = false;
	unsigned int queue[MAX_STATES], head = 0, tail = 0;
	bool seen[MAX_STATES] = { false };
	FILE *f;

	memset(t, 0, sizeof(*t));
	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/docs/protocol.md", src);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *cells, *state, *reqs, *tok, *save = NULL;

		if (strstr(line, "| state (last request that succeeded) | allowed requests |")) {
			in = true;
			continue;
		}
		if (!in)
			continue;
		if (line[0] != '|')
			break;
		if (!strncmp(line, "|---", 4))
			continue;
		assert_true(t->n < MAX_STATES);
		cells = line + 1;
		state = cells;
		reqs = strchr(cells, '|');
		assert_non_null(reqs);
		*reqs++ = '\0';
		snprintf(t->state[t->n], sizeof(t->state[0]), "%s", trim(state));
		for (tok = strtok_r(trim(reqs), ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			int r = request_index(trim(tok));

			assert_true(r >= 0);
			t->allowed[t->n] |= 1u << r;
		}
		t->n++;
	}
	fclose(f);
	/* The first row is the initial state; every other row is named for a request. */
	assert_int_equal(t->n, NUM_PCM_REQ + 1);
	assert_string_equal(t->state[0], "none yet");
	for (size_t r = 0; r < NUM_PCM_REQ; r++) {
		unsigned int k;

		for (k = 1; k < t->n && strcmp(t->state[k], pcm_requests[r].name); k++)
			;
		assert_true(k < t->n);
		t->to[r] = k;
	}
	/* Shortest paths from the initial state (breadth first). */
	queue[tail++] = 0;
	seen[0] = true;
	while (head < tail) {
		unsigned int k = queue[head++];

		for (unsigned int r = 0; r < NUM_PCM_REQ; r++) {
			unsigned int to = t->to[r];

			if (!(t->allowed[k] & (1u << r)) || seen[to])
				continue;
			seen[to] = true;
			memcpy(t->path[to], t->path[k], sizeof(t->path[0]));
			t->path_len[to] = t->path_len[k] + 1;
			t->path[to][t->path_len[k]] = r;
			queue[tail++] = to;
		}
	}
	for (unsigned int k = 0; k < t->n; k++)
		assert_true(seen[k]);
}

/* The state's name on the management socket. */
static const char *mgmt_state(const struct pcm_table *t, unsigned int k)
{
	return k == 0 ? "NONE" : t->state[k];
}

static void send_pcm(struct vguest *g, uint32_t stream, unsigned int r, uint32_t status)
{
	if (pcm_requests[r].code == VIRTIO_SND_R_PCM_SET_PARAMS)
		expect_set_params(g, stream, &good_params, status);
	else
		expect_simple(g, pcm_requests[r].code, stream, 4, status, 4);
}

/* A fresh hostile guest with @stream in state @k, along the table's path. */
static struct vguest *stream_in_state(const struct session *s, const struct pcm_table *t,
				      uint32_t stream, unsigned int k)
{
	struct vguest *g;

	vm1_wait_gone(&s->d);
	g = hostile_connect(&s->d, true);
	snprintf(context, sizeof(context), "stream %u: path to %s", stream, t->state[k]);
	for (unsigned int i = 0; i < t->path_len[k]; i++)
		send_pcm(g, stream, t->path[k][i], S_OK);
	assert_state(&s->d, stream, mgmt_state(t, k));
	return g;
}

static void every_pcm_transition_the_protocol_table_forbids_is_refused(void **state)
{
	struct pcm_table t;
	struct session s;
	unsigned int forbidden = 0, allowed = 0;

	(void)state;
	pcm_table_read(&t);
	session_start(&s);
	for (uint32_t stream = 0; stream < NUM_STREAMS; stream++) {
		for (unsigned int k = 0; k < t.n; k++) {
			struct vguest *g = stream_in_state(&s, &t, stream, k);

			/* Every forbidden request: S_BAD_MSG, and the state stays. */
			for (unsigned int r = 0; r < NUM_PCM_REQ; r++) {
				if (t.allowed[k] & (1u << r))
					continue;
				snprintf(context, sizeof(context), "stream %u: %s in %s", stream,
					 pcm_requests[r].name, t.state[k]);
				send_pcm(g, stream, r, S_BAD);
				assert_state(&s.d, stream, mgmt_state(&t, k));
				/* The other stream is untouched. */
				assert_state(&s.d, stream ^ 1, "NONE");
				forbidden++;
			}
			vguest_close(g);
			/* Every allowed request succeeds and leads where the table says. */
			for (unsigned int r = 0; r < NUM_PCM_REQ; r++) {
				if (!(t.allowed[k] & (1u << r)))
					continue;
				g = stream_in_state(&s, &t, stream, k);
				snprintf(context, sizeof(context), "stream %u: %s in %s", stream,
					 pcm_requests[r].name, t.state[k]);
				send_pcm(g, stream, r, S_OK);
				assert_state(&s.d, stream, mgmt_state(&t, t.to[r]));
				vguest_close(g);
				allowed++;
			}
		}
	}
	context[0] = '\0';
	print_message("%u forbidden and %u allowed (state, request) pairs on %u streams\n",
		      forbidden, allowed, NUM_STREAMS);
	/* 6 states x 5 requests per stream, 12 of them allowed by the table. */
	assert_int_equal(forbidden + allowed, NUM_STREAMS * t.n * NUM_PCM_REQ);
	session_end(&s);
}

/* ---------------------------------------------------------------------------------------- */
/* SET_PARAMS the stream does not offer                                                      */

static void set_params_the_stream_does_not_offer_is_refused(void **state)
{
	struct session s;
	struct vguest *g;
	struct vguest_io *io;
	struct vguest_io_done done;
	uint8_t zero[PERIOD] = { 0 };
	char v[64];

	(void)state;
	session_start(&s);
	g = hostile_connect(&s.d, true);
	for (uint32_t stream = 0; stream < NUM_STREAMS; stream++) {
		const struct vguest_stream *st = &vguest_card(g)->streams[stream];
		struct vguest_pcm_params p;
		static const uint32_t sizes[][2] = {	/* {buffer_bytes, period_bytes} */
			{ 4 * PERIOD, 3 * PERIOD / 2 },		/* period does not divide */
			{ 4 * 1922, 1922 },			/* period not whole frames */
			{ 4 * PERIOD + 2, PERIOD },		/* buffer not whole frames */
			{ 4 * PERIOD, 0 },
			{ 0, PERIOD },
			{ 0, 0 },
			{ PERIOD, 2 * PERIOD },			/* period above the buffer */
			{ 4 * 96, 96 },				/* period below the caps */
			{ PERIOD, PERIOD },			/* 1 period: below the caps */
			{ 17 * PERIOD, PERIOD },		/* 17 periods: above */
			{ 64 * PERIOD, PERIOD },		/* buffer above the caps */
			{ 0xfffffffcu, 4 },
			{ 0xfffffffcu, 0xfffffffcu },
			{ 8, 4 },
		};

		for (size_t i = 0; i < VADSP_ARRAY_SIZE(sizes); i++) {
			p = good_params;
			p.buffer_bytes = sizes[i][0];
			p.period_bytes = sizes[i][1];
			expect_set_params(g, stream, &p, S_BAD);
		}
		for (unsigned int ch = 0; ch < 256; ch++) {
			if (ch >= st->channels_min && ch <= st->channels_max)
				continue;
			p = good_params;
			p.channels = (uint8_t)ch;
			expect_set_params(g, stream, &p, S_BAD);
		}
		for (unsigned int f = 0; f < 256; f++) {
			if (f < 64 && (st->formats & (1ull << f)))
				continue;
			p = good_params;
			p.format = (uint8_t)f;
			expect_set_params(g, stream, &p, S_BAD);
		}
		for (unsigned int r = 0; r < 256; r++) {
			if (r < 64 && (st->rates & (1ull << r)))
				continue;
			p = good_params;
			p.rate = (uint8_t)r;
			expect_set_params(g, stream, &p, S_BAD);
		}
		for (unsigned int bit = 0; bit < 32; bit++) {
			if (st->features & (1u << bit))
				continue;
			p = good_params;
			p.features = 1u << bit;
			expect_set_params(g, stream, &p, S_BAD);
		}
		/* None of that gave the stream parameters. */
		assert_state(&s.d, stream, "NONE");
		/* Offered: EVT_XRUNS only. */
		assert_int_equal(st->features, 1u << VIRTIO_SND_PCM_F_EVT_XRUNS);
		p = good_params;
		p.features = st->features;
		expect_set_params(g, stream, &p, S_OK);
		/* A refused SET_PARAMS keeps the parameters there are. */
		p.period_bytes = 3 * PERIOD / 2;
		expect_set_params(g, stream, &p, S_BAD);
		assert_state(&s.d, stream, "SET_PARAMS");
		vm1_stream_field(&s.d, stream, "period_bytes", v, sizeof(v));
		assert_int_equal(strtoul(v, NULL, 10), PERIOD);
		/* With I/O in flight (held in PREPARE): no SET_PARAMS, no PREPARE. */
		expect_simple(g, VIRTIO_SND_R_PCM_PREPARE, stream, 4, S_OK, 4);
		assert_int_equal(vguest_io_open(g, stream, PERIOD, 2, &io), 0);
		assert_int_equal(vguest_io_submit(io, stream ? NULL : zero, PERIOD), 0);
		assert_int_equal(vguest_io_submit(io, stream ? NULL : zero, PERIOD), 0);
		/* The queues are served in no set order: wait until the device holds both. */
		wait_pending(&s.d, stream, 2);
		expect_set_params(g, stream, &good_params, S_BAD);
		expect_simple(g, VIRTIO_SND_R_PCM_PREPARE, stream, 4, S_BAD, 4);
		assert_state(&s.d, stream, "PREPARE");
		/* RELEASE gives both back first, then answers. */
		expect_simple(g, VIRTIO_SND_R_PCM_RELEASE, stream, 4, S_OK, 4);
		for (int i = 0; i < 2; i++) {
			assert_int_equal(vguest_io_reap(io, &done, 0), 1);
			assert_int_equal(done.status, S_OK);
			cases++;
		}
		vguest_io_close(io);
	}
	vguest_close(g);
	session_end(&s);
}

/* ---------------------------------------------------------------------------------------- */
/* Requests and response buffers of the wrong size                                          */

/* Guest memory for raw chains: requests, responses, I/O messages. */
struct raw {
	struct vguest *g;
	struct vu_front_buf buf;
	uint8_t *host;
};

#define RAW_SIZE	(256u << 10)
#define PATTERN		0xa5

static void raw_init(struct raw *r, struct vguest *g)
{
	r->g = g;
	assert_int_equal(vu_front_alloc(vguest_front(g), RAW_SIZE, 64, &r->buf), 0);
	r->host = r->buf.host;
}

/* Guest buffer at @off of @len bytes. */
static struct vring_buf rb(const struct raw *r, uint32_t off, uint32_t len)
{
	assert_true(off + len <= RAW_SIZE);
	return (struct vring_buf){ r->buf.gpa + off, len };
}

/*
 * A control request of @len bytes whose response buffer is @room bytes, in @npieces
 * writable pieces of the sizes in @pieces (0: one piece). The response area is filled
 * with PATTERN first. Return the used length; the response is at r->host + 65536 on.
 */
#define RESP_OFF	(96u << 10)

static uint32_t raw_request(struct raw *r, const void *req, uint32_t len,
			    const uint32_t *pieces, unsigned int npieces, uint32_t room)
{
	struct vring_buf out[1], in[32];
	unsigned int nin = 0;
	uint32_t used = UINT32_MAX, off = 0;

	assert_true(len <= RESP_OFF && room <= RAW_SIZE - RESP_OFF - 64);
	assert_true(npieces < VADSP_ARRAY_SIZE(in));
	memcpy(r->host, req, len);
	memset(r->host + RESP_OFF, PATTERN, room + 64);
	out[0] = rb(r, 0, len);
	if (!npieces && room)
		in[nin++] = rb(r, RESP_OFF, room);
	for (unsigned int i = 0; i < npieces; i++) {
		in[nin++] = rb(r, RESP_OFF + off, pieces[i]);
		off += pieces[i];
	}
	assert_int_equal(vguest_chain(r->g, VSND_VQ_CONTROL, out, len ? 1 : 0, in, nin, &used),
			 0);
	return used;
}

/* Nothing at or after @from of the response area was written. */
static void assert_untouched(const struct raw *r, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		if (r->host[RESP_OFF + i] != PATTERN)
			fail_msg("response byte %u written", i);
}

/* The smallest size of each request (docs/protocol.md, the wire structures). */
static const struct {
	uint32_t code;
	uint32_t min;
} request_sizes[] = {
	{ VIRTIO_SND_R_JACK_INFO, sizeof(struct vsnd_query_info) },
	{ VIRTIO_SND_R_JACK_REMAP, sizeof(struct vsnd_jack_remap) },
	{ VIRTIO_SND_R_PCM_INFO, sizeof(struct vsnd_query_info) },
	{ VIRTIO_SND_R_PCM_SET_PARAMS, sizeof(struct vsnd_pcm_set_params) },
	{ VIRTIO_SND_R_PCM_PREPARE, sizeof(struct vsnd_pcm_hdr) },
	{ VIRTIO_SND_R_PCM_RELEASE, sizeof(struct vsnd_pcm_hdr) },
	{ VIRTIO_SND_R_PCM_START, sizeof(struct vsnd_pcm_hdr) },
	{ VIRTIO_SND_R_PCM_STOP, sizeof(struct vsnd_pcm_hdr) },
	{ VIRTIO_SND_R_CHMAP_INFO, sizeof(struct vsnd_query_info) },
	{ VIRTIO_SND_R_CTL_INFO, sizeof(struct vsnd_query_info) },
	{ VIRTIO_SND_R_CTL_ENUM_ITEMS, sizeof(struct vsnd_ctl_hdr) },
	{ VIRTIO_SND_R_CTL_READ, sizeof(struct vsnd_ctl_hdr) },
	{ VIRTIO_SND_R_CTL_WRITE, sizeof(struct vsnd_ctl_hdr) + VIRTIO_SND_CTL_VALUE_SIZE },
	{ VIRTIO_SND_R_CTL_TLV_READ, sizeof(struct vsnd_ctl_hdr) },
	{ VIRTIO_SND_R_CTL_TLV_WRITE, sizeof(struct vsnd_ctl_hdr) },
	{ VIRTIO_SND_R_CTL_TLV_COMMAND, sizeof(struct vsnd_ctl_hdr) },
};

static void requests_and_responses_of_the_wrong_size_are_answered_as_specified(void **state)
{
	static const uint32_t unknown[] = { 0, 3, 0xff, 0x0106, 0x0107, 0x0201, 0x0307,
					    0x0400, VIRTIO_SND_EVT_PCM_XRUN, S_OK, 0xffffffffu };
	uint8_t req[VGUEST_REQ_MAX], one[VGUEST_RESP_MAX];
	uint32_t used;
	struct session s;
	struct vguest *g;
	struct raw r;
	int vol, sw;

	(void)state;
	session_start(&s);
	g = hostile_connect(&s.d, true);
	raw_init(&r, g);
	vol = vguest_ctl_find(g, "Master Playback Volume", 0);
	sw = vguest_ctl_find(g, "Master Playback Switch", 0);
	assert_true(vol >= 0 && sw >= 0);

	/* Shorter than the header: S_BAD_MSG, also with no readable part at all. */
	for (uint32_t len = 0; len < 4; len++) {
		memset(req, 0, 4);
		used = raw_request(&r, req, len, NULL, 0, 64);
		assert_int_equal(used, 4);
		assert_int_equal(get_le32(r.host + RESP_OFF), S_BAD);
		assert_untouched(&r, 4, 64);
		cases++;
	}
	/* Unknown codes: S_NOT_SUPP, with only the header or with more. */
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(unknown); i++) {
		expect_req(g, req, words(req, 1, unknown[i]), 64, S_NOT_SUPP, 4);
		expect_req(g, req, words(req, 4, unknown[i], 0, 1, 32), 64, S_NOT_SUPP, 4);
	}
	/* Each known request one byte short of its structure, and header only: S_BAD_MSG. */
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(request_sizes); i++) {
		memset(req, 0, sizeof(req));
		put_le32(req, request_sizes[i].code);
		expect_req(g, req, request_sizes[i].min - 1, VGUEST_RESP_MAX, S_BAD, 4);
		expect_req(g, req, 4, VGUEST_RESP_MAX, S_BAD, 4);
	}
	/* Longer than the structure: the extra bytes are ignored (up to the guest's largest). */
	memset(req, 0x5a, sizeof(req));
	words(req, 4, VIRTIO_SND_R_PCM_INFO, 0, 1, sizeof(struct vsnd_pcm_info));
	expect_req(g, req, 17, 64, S_OK, 4 + sizeof(struct vsnd_pcm_info));
	expect_req(g, req, VGUEST_REQ_MAX, 64, S_OK, 4 + sizeof(struct vsnd_pcm_info));
	words(req, 2, VIRTIO_SND_R_CTL_READ, (uint32_t)vol);
	expect_req(g, req, VGUEST_REQ_MAX, 4 + VIRTIO_SND_CTL_VALUE_SIZE, S_OK,
		   4 + VIRTIO_SND_CTL_VALUE_SIZE);
	words(req, 2, VIRTIO_SND_R_PCM_STOP, 0);
	expect_req(g, req, 4096, 4, S_BAD, 4);		/* long, but the state forbids it */

	/* Response buffers shorter than the status: nothing written, used length 0. */
	for (uint32_t room = 0; room < 4; room++) {
		static const uint32_t codes[][4] = {
			{ VIRTIO_SND_R_PCM_INFO, 0, 1, sizeof(struct vsnd_pcm_info) },
			{ VIRTIO_SND_R_PCM_INFO, 9, 1, sizeof(struct vsnd_pcm_info) },
			{ 0x0999, 0, 0, 0 },
			{ VIRTIO_SND_R_PCM_SET_PARAMS, 0, 0, 0 },
		};

		for (size_t i = 0; i < VADSP_ARRAY_SIZE(codes); i++) {
			uint32_t len = words(req, 4, codes[i][0], codes[i][1], codes[i][2],
					     codes[i][3]);

			if (codes[i][0] == VIRTIO_SND_R_PCM_SET_PARAMS)
				len = (uint32_t)set_params_req(req, 0, &good_params);
			assert_int_equal(raw_request(&r, req, len, NULL, 0, room), 0);
			assert_untouched(&r, 0, 64);
			cases++;
		}
		/* ...also split in pieces of one byte. */
		{
			static const uint32_t ones[] = { 1, 1, 1 };

			words(req, 4, VIRTIO_SND_R_PCM_INFO, 0, 1, sizeof(struct vsnd_pcm_info));
			assert_int_equal(raw_request(&r, req, 16, ones, room, room), 0);
			assert_untouched(&r, 0, 64);
			cases++;
		}
	}
	/* That SET_PARAMS with no room for its status did nothing. */
	assert_state(&s.d, 0, "NONE");

	/* Info replies that do not fit the response buffer: S_BAD_MSG, status only. */
	{
		static const struct {
			uint32_t code, have, size;
		} q[] = {
			{ VIRTIO_SND_R_JACK_INFO, NUM_JACKS, sizeof(struct vsnd_jack_info) },
			{ VIRTIO_SND_R_PCM_INFO, NUM_STREAMS, sizeof(struct vsnd_pcm_info) },
			{ VIRTIO_SND_R_CHMAP_INFO, NUM_STREAMS, sizeof(struct vsnd_chmap_info) },
			{ VIRTIO_SND_R_CTL_INFO, NUM_CONTROLS, sizeof(struct vsnd_ctl_info) },
		};

		for (size_t i = 0; i < VADSP_ARRAY_SIZE(q); i++) {
			uint32_t all = q[i].have * q[i].size;

			expect_query(g, q[i].code, 0, q[i].have, q[i].size, 4 + all - 1, S_BAD, 4);
			expect_query(g, q[i].code, 0, q[i].have, q[i].size, 4, S_BAD, 4);
			expect_query(g, q[i].code, 0, 1, q[i].size, 4 + q[i].size - 1, S_BAD, 4);
			expect_query(g, q[i].code, 0, q[i].have, q[i].size, 4 + all, S_OK,
				     4 + all);
			/* A larger buffer: the used length is what was written. */
			expect_query(g, q[i].code, 0, q[i].have, q[i].size, VGUEST_RESP_MAX, S_OK,
				     4 + all);
		}
	}
	/* The same answer in writable pieces of odd sizes as in one buffer. */
	{
		static const uint32_t pieces[] = { 1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37,
						   41, 43, 47, 53, 59 };
		uint32_t room = 0, all = NUM_CONTROLS * sizeof(struct vsnd_ctl_info);

		for (size_t i = 0; i < VADSP_ARRAY_SIZE(pieces); i++)
			room += pieces[i];
		assert_true(room >= 4 + all);
		words(req, 4, VIRTIO_SND_R_CTL_INFO, 0, NUM_CONTROLS, sizeof(struct vsnd_ctl_info));
		assert_int_equal(vguest_request(g, req, 16, one, 4 + all, &used), S_OK);
		used = raw_request(&r, req, 16, pieces, VADSP_ARRAY_SIZE(pieces), room);
		assert_int_equal(used, 4 + all);
		assert_memory_equal(r.host + RESP_OFF, one, 4 + all);
		assert_untouched(&r, 4 + all, room);
		cases++;
	}
	/* A request in readable pieces: SET_PARAMS in 3 (the stream gets the parameters). */
	{
		struct vring_buf out[3], in[1];

		set_params_req(r.host, 0, &good_params);
		out[0] = rb(&r, 0, 5);
		out[1] = rb(&r, 5, 11);
		out[2] = rb(&r, 16, 8);
		in[0] = rb(&r, RESP_OFF, 4);
		assert_int_equal(vguest_chain(g, VSND_VQ_CONTROL, out, 3, in, 1, &used), 0);
		assert_int_equal(used, 4);
		assert_int_equal(get_le32(r.host + RESP_OFF), S_OK);
		assert_state(&s.d, 0, "SET_PARAMS");
		cases++;
	}

	/* Controls: response sizes, access, values. */
	expect_simple(g, VIRTIO_SND_R_CTL_READ, (uint32_t)vol, 4 + VIRTIO_SND_CTL_VALUE_SIZE - 1,
		      S_BAD, 4);
	expect_simple(g, VIRTIO_SND_R_CTL_READ, (uint32_t)vol, 4, S_BAD, 4);
	expect_simple(g, VIRTIO_SND_R_CTL_READ, (uint32_t)vol, 4 + VIRTIO_SND_CTL_VALUE_SIZE,
		      S_OK, 4 + VIRTIO_SND_CTL_VALUE_SIZE);
	for (uint32_t id = 0; id < NUM_CONTROLS; id++) {
		/* No control of the stereo card is ENUMERATED; none offers TLV_COMMAND. */
		expect_simple(g, VIRTIO_SND_R_CTL_ENUM_ITEMS, id, VGUEST_RESP_MAX, S_BAD, 4);
		expect_simple(g, VIRTIO_SND_R_CTL_TLV_COMMAND, id, 64, S_NOT_SUPP, 4);
		/* TLV_WRITE needs a bytes control with TLV write access. */
		expect_req(g, req, words(req, 5, VIRTIO_SND_R_CTL_TLV_WRITE, id, 1, 4, 0), 4,
			   S_NOT_SUPP, 4);
	}
	expect_simple(g, VIRTIO_SND_R_CTL_TLV_READ, (uint32_t)vol, 4 + 16, S_OK, 4 + 16);
	expect_simple(g, VIRTIO_SND_R_CTL_TLV_READ, (uint32_t)vol, 4 + 15, S_BAD, 4);
	expect_simple(g, VIRTIO_SND_R_CTL_TLV_READ, (uint32_t)sw, 64, S_NOT_SUPP, 4);
	{
		static const int32_t volume[][2] = { { 65, 0 }, { -1, 0 }, { 0, 1000 },
						     { INT32_MIN, INT32_MAX } };
		static const int32_t swv[][2] = { { 2, 0 }, { 0, -1 } };

		for (size_t i = 0; i < VADSP_ARRAY_SIZE(volume); i++) {
			memset(req, 0, 8 + VIRTIO_SND_CTL_VALUE_SIZE);
			words(req, 4, VIRTIO_SND_R_CTL_WRITE, (uint32_t)vol, (uint32_t)volume[i][0],
			      (uint32_t)volume[i][1]);
			expect_req(g, req, 8 + VIRTIO_SND_CTL_VALUE_SIZE, 4, S_BAD, 4);
		}
		for (size_t i = 0; i < VADSP_ARRAY_SIZE(swv); i++) {
			memset(req, 0, 8 + VIRTIO_SND_CTL_VALUE_SIZE);
			words(req, 4, VIRTIO_SND_R_CTL_WRITE, (uint32_t)sw, (uint32_t)swv[i][0],
			      (uint32_t)swv[i][1]);
			expect_req(g, req, 8 + VIRTIO_SND_CTL_VALUE_SIZE, 4, S_BAD, 4);
		}
		/* The values stay what they were. */
		{
			struct vguest_ctl_value v;

			assert_int_equal(vguest_ctl_read(g, (uint32_t)vol, &v), 0);
			assert_int_equal(v.values[0], 64);
			assert_int_equal(v.values[1], 64);
		}
	}
	vguest_close(g);

	/* Without VIRTIO_SND_F_CTLS every control request is S_NOT_SUPP. */
	vm1_wait_gone(&s.d);
	g = hostile_connect(&s.d, false);
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(request_sizes); i++) {
		if ((request_sizes[i].code & 0xff00) != 0x0300)
			continue;
		memset(req, 0, sizeof(req));
		put_le32(req, request_sizes[i].code);
		expect_req(g, req, request_sizes[i].min, VGUEST_RESP_MAX, S_NOT_SUPP, 4);
		expect_req(g, req, 4, VGUEST_RESP_MAX, S_NOT_SUPP, 4);
	}
	vguest_close(g);
	session_end(&s);
}

/* ---------------------------------------------------------------------------------------- */
/* Malformed and misaddressed I/O messages                                                   */

#define IO_OFF		(128u << 10)	/* where raw I/O messages are laid out */

/*
 * An I/O message on @queue: header {le32 @stream} of @hdr bytes readable, then @audio
 * bytes of audio (readable on txq, writable on rxq) in @npieces pieces, then @status
 * writable bytes, plus @extra_rd readable bytes after the header on rxq or @extra_wr
 * writable bytes before the status on txq. Expect @status_want (when @status >= 8) in the
 * last 8 bytes and used length @used_want.
 */
struct io_shape {
	unsigned int queue;
	uint32_t stream;
	uint32_t hdr;
	uint32_t audio;
	unsigned int npieces;
	uint32_t status;
	uint32_t extra_rd;
	uint32_t extra_wr;
};

static void expect_io(struct raw *r, const struct io_shape *m, uint32_t status_want,
		      uint32_t used_want)
{
	struct vring_buf out[20], in[20];
	unsigned int nout = 0, nin = 0, pieces = m->npieces ? m->npieces : 1;
	uint32_t off = IO_OFF, used = UINT32_MAX, st_off;
	bool tx = m->queue == VSND_VQ_TX;
	int ret;

	memset(r->host + IO_OFF, 0, m->hdr + m->extra_rd + m->audio + m->extra_wr + 16);
	put_le32(r->host + off, m->stream);
	if (m->hdr)
		out[nout++] = rb(r, off, m->hdr);
	off += m->hdr;
	if (m->extra_rd) {
		out[nout++] = rb(r, off, m->extra_rd);
		off += m->extra_rd;
	}
	for (unsigned int i = 0; m->audio && i < pieces; i++) {
		uint32_t len = i + 1 < pieces ? m->audio / pieces : m->audio - (m->audio / pieces) *
							      (pieces - 1);

		if (tx)
			out[nout++] = rb(r, off, len);
		else
			in[nin++] = rb(r, off, len);
		off += len;
	}
	if (m->extra_wr) {
		in[nin++] = rb(r, off, m->extra_wr);
		off += m->extra_wr;
	}
	st_off = off + m->status - (m->status >= 8 ? 8 : m->status);
	memset(r->host + off, PATTERN, m->status);
	if (m->status)
		in[nin++] = rb(r, off, m->status);
	ret = vguest_chain(r->g, m->queue, out, nout, in, nin, &used);
	if (ret || used != used_want || (m->status >= 8 && get_le32(r->host + st_off) != status_want))
		print_message("I/O on %s stream %u hdr %u audio %u/%u status %u extra %u/%u: "
			      "status 0x%x used %u, expected 0x%x used %u\n", tx ? "tx" : "rx",
			      m->stream, m->hdr, m->audio, pieces, m->status, m->extra_rd,
			      m->extra_wr, get_le32(r->host + st_off), used, status_want,
			      used_want);
	assert_int_equal(ret, 0);
	assert_int_equal(used, used_want);
	if (m->status >= 8) {
		assert_int_equal(get_le32(r->host + st_off), status_want);
	} else {
		/* Nothing written where the status would have gone. */
		for (uint32_t i = 0; i < m->status; i++)
			assert_int_equal(r->host[off + i], PATTERN);
	}
	cases++;
}

/* Every malformed shape on @queue for @stream (a stream of that queue's direction). */
static void malformed_io(struct raw *r, unsigned int queue, uint32_t stream, uint32_t other)
{
	struct io_shape m = { .queue = queue, .stream = stream, .hdr = 4, .audio = PERIOD,
			      .status = 8 };
	struct io_shape x;
	bool tx = queue == VSND_VQ_TX;

	/* Writable part shorter than 8 bytes: returned with used length 0 (on rxq the audio
	 * is writable too: then there is none). */
	for (uint32_t st = 0; st < 8; st++) {
		x = m;
		x.status = st;
		if (!tx)
			x.audio = 0;
		expect_io(r, &x, 0, 0);
	}
	/* Misaddressed: the other direction's stream, streams that do not exist. */
	x = m;
	x.stream = other;
	expect_io(r, &x, S_BAD, 8);
	x.stream = NUM_STREAMS;
	expect_io(r, &x, S_BAD, 8);
	x.stream = 0xffffffffu;
	expect_io(r, &x, S_BAD, 8);
	/* A readable part shorter than the header (on txq the audio would be read as the
	 * rest of the header: then there is none). */
	for (uint32_t h = 0; h < 4; h++) {
		x = m;
		x.hdr = h;
		if (tx)
			x.audio = 0;
		expect_io(r, &x, S_BAD, 8);
	}
	/* More than the status writable on txq; more than the header readable on rxq. */
	x = m;
	if (tx)
		x.extra_wr = 4;
	else
		x.extra_rd = 4;
	expect_io(r, &x, S_BAD, 8);
	/* No audio; audio that is not a whole number of frames (4 bytes). */
	x = m;
	x.audio = 0;
	expect_io(r, &x, S_BAD, 8);
	for (uint32_t a = 1; a < 4; a++) {
		x.audio = a;
		expect_io(r, &x, S_BAD, 8);
		x.audio = PERIOD + a;
		expect_io(r, &x, S_BAD, 8);
	}
}

static void malformed_and_misaddressed_io_messages_are_answered_as_specified(void **state)
{
	static const uint8_t zero[PERIOD];
	struct vguest_io_done done;
	struct vguest_io *io;
	struct session s;
	struct vguest *g;
	struct raw r;
	struct io_shape m;

	(void)state;
	session_start(&s);
	g = hostile_connect(&s.d, true);
	raw_init(&r, g);
	/* Streams with no parameters: the well-formed message is S_IO_ERR, the others as
	 * always. */
	for (unsigned int k = 0; k < 3; k++) {
		/* k = 0: no parameters; 1: SET_PARAMS; 2: RELEASE (after PREPARE). */
		if (k == 1) {
			expect_set_params(g, 0, &good_params, S_OK);
			expect_set_params(g, 1, &good_params, S_OK);
		}
		if (k == 2) {
			for (uint32_t st = 0; st < NUM_STREAMS; st++) {
				expect_simple(g, VIRTIO_SND_R_PCM_PREPARE, st, 4, S_OK, 4);
				expect_simple(g, VIRTIO_SND_R_PCM_RELEASE, st, 4, S_OK, 4);
			}
		}
		m = (struct io_shape){ .queue = VSND_VQ_TX, .stream = 0, .hdr = 4,
				       .audio = PERIOD, .status = 8 };
		expect_io(&r, &m, S_IO_ERR, 8);
		m.queue = VSND_VQ_RX;
		m.stream = 1;
		expect_io(&r, &m, S_IO_ERR, 8);
		/* Misaddressed messages are S_BAD_MSG in any state. */
		m.stream = 0;
		expect_io(&r, &m, S_BAD, 8);
		m.queue = VSND_VQ_TX;
		m.stream = 1;
		expect_io(&r, &m, S_BAD, 8);
	}
	/* Prepared streams: every malformed shape. */
	for (uint32_t st = 0; st < NUM_STREAMS; st++)
		expect_simple(g, VIRTIO_SND_R_PCM_PREPARE, st, 4, S_OK, 4);
	malformed_io(&r, VSND_VQ_TX, 0, 1);
	malformed_io(&r, VSND_VQ_RX, 1, 0);
	/* Well-formed messages in odd pieces go through: playback (silence) with frames
	 * split between pieces, behind four whole ones so that the stream never starves. */
	assert_int_equal(vguest_io_open(g, 0, PERIOD, 4, &io), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(vguest_io_submit(io, zero, PERIOD), 0);
	expect_simple(g, VIRTIO_SND_R_PCM_START, 0, 4, S_OK, 4);
	m = (struct io_shape){ .queue = VSND_VQ_TX, .stream = 0, .hdr = 4, .audio = 4 * 97,
			       .npieces = 7, .status = 8 };
	expect_io(&r, &m, S_OK, 8);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(vguest_io_reap(io, &done, 0), 1);
		assert_int_equal(done.status, S_OK);
	}
	vguest_io_close(io);
	/* Capture, into pieces of whole frames. */
	assert_int_equal(vguest_io_open(g, 1, PERIOD, 4, &io), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(vguest_io_submit(io, NULL, PERIOD), 0);
	expect_simple(g, VIRTIO_SND_R_PCM_START, 1, 4, S_OK, 4);
	m = (struct io_shape){ .queue = VSND_VQ_RX, .stream = 1, .hdr = 4, .audio = 4 * 96,
			       .npieces = 4, .status = 8 };
	expect_io(&r, &m, S_OK, 8 + 4 * 96);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(vguest_io_reap(io, &done, 0), 1);
		assert_int_equal(done.status, S_OK);
		assert_int_equal(done.bytes, PERIOD);
	}
	vguest_io_close(io);
	/* Running streams answer malformed messages the same way. */
	malformed_io(&r, VSND_VQ_TX, 0, 1);
	malformed_io(&r, VSND_VQ_RX, 1, 0);
	for (uint32_t st = 0; st < NUM_STREAMS; st++) {
		expect_simple(g, VIRTIO_SND_R_PCM_STOP, st, 4, S_OK, 4);
		expect_simple(g, VIRTIO_SND_R_PCM_RELEASE, st, 4, S_OK, 4);
	}
	vguest_close(g);
	session_end(&s);
}

/* ---------------------------------------------------------------------------------------- */
/* Floods                                                                                    */

#define FLOOD_REQUESTS	5000u
#define FLOOD_SLOTS	64u		/* requests in flight at once */
#define FLOOD_SLOT	1024u		/* guest bytes per request: request, then response */

/* One kind of request in the control flood, with its answer. */
struct flood_kind {
	uint32_t w[4];
	uint32_t len;
	uint32_t room;
	uint32_t status;
	uint32_t used;
};

static void control_queue_flood(struct raw *r, const struct flood_kind *kinds, size_t nkinds)
{
	struct vu_front *fe = vguest_front(r->g);
	uint32_t sent = 0, done = 0;

	while (done < FLOOD_REQUESTS) {
		void *tok;
		uint32_t used;
		bool added = false;

		/* Keep the queue as full as the slots allow. */
		while (sent < FLOOD_REQUESTS && sent - done < FLOOD_SLOTS) {
			const struct flood_kind *k = &kinds[sent % nkinds];
			uint32_t slot = sent % FLOOD_SLOTS;
			uint32_t off = slot * FLOOD_SLOT;
			struct vring_buf out = rb(r, off, k->len);
			struct vring_buf in = rb(r, off + 64, k->room);

			memset(r->host + off, 0, 64);
			for (int i = 0; i < 4; i++)
				put_le32(r->host + off + 4 * i, k->w[i]);
			memset(r->host + off + 64, PATTERN, 4);
			if (vu_front_queue_add(fe, VSND_VQ_CONTROL, &out, 1, &in, k->room ? 1 : 0,
					       (void *)(uintptr_t)(sent + 1)) < 0)
				break;
			sent++;
			added = true;
		}
		if (added)
			assert_true(vu_front_queue_kick(fe, VSND_VQ_CONTROL) >= 0);
		while ((tok = vu_front_queue_get_used(fe, VSND_VQ_CONTROL, &used))) {
			const struct flood_kind *k = &kinds[done % nkinds];
			const uint8_t *resp = r->host + (done % FLOOD_SLOTS) * FLOOD_SLOT + 64;

			/* Answered in order, each as specified. */
			assert_int_equal((uintptr_t)tok, done + 1);
			assert_int_equal(used, k->used);
			if (k->room >= 4)
				assert_int_equal(get_le32(resp), k->status);
			else if (k->room)
				assert_int_equal(resp[0], PATTERN);
			done++;
			cases++;
		}
		if (done < sent)
			assert_true(vu_front_queue_wait(fe, VSND_VQ_CONTROL, WAIT_MS) > 0);
	}
}

/*
 * @count I/O messages on @queue for @stream, as many in flight as the queue takes, each
 * one period of silence (or room): expect @status for each. Return the messages the device
 * kept (did not complete) when @keep: then the caller's RELEASE gives them back.
 */
static uint32_t io_flood(struct raw *r, unsigned int queue, uint32_t stream, uint32_t count,
			 uint32_t audio, uint32_t status, bool keep)
{
	struct vu_front *fe = vguest_front(r->g);
	uint32_t sent = 0, done = 0, slot_bytes = 16 + audio;
	uint32_t slots = (RAW_SIZE - IO_OFF) / slot_bytes;

	while (done < count) {
		void *tok;
		uint32_t used;
		bool added = false;

		while (sent < count && sent - done < slots) {
			uint32_t off = IO_OFF + (sent % slots) * slot_bytes;
			struct vring_buf out[2], in[2];
			unsigned int nout = 0, nin = 0;

			put_le32(r->host + off, stream);
			out[nout++] = rb(r, off, 4);
			if (queue == VSND_VQ_TX)
				out[nout++] = rb(r, off + 4, audio);
			else
				in[nin++] = rb(r, off + 4, audio);
			in[nin++] = rb(r, off + 4 + audio, 8);
			if (vu_front_queue_add(fe, queue, out, nout, in, nin,
					       (void *)(uintptr_t)(sent + 1)) < 0)
				break;
			sent++;
			added = true;
		}
		if (added)
			assert_true(vu_front_queue_kick(fe, queue) >= 0);
		if (keep)
			return sent;	/* as many as the ring took: the device keeps them */
		while ((tok = vu_front_queue_get_used(fe, queue, &used))) {
			uint32_t off = IO_OFF + (done % slots) * slot_bytes;

			assert_int_equal((uintptr_t)tok, done + 1);
			assert_int_equal(used, 8);
			assert_int_equal(get_le32(r->host + off + 4 + audio), status);
			done++;
			cases++;
		}
		if (done < sent)
			assert_true(vu_front_queue_wait(fe, queue, WAIT_MS) > 0);
	}
	return 0;
}

static void request_and_io_floods_are_answered_in_order(void **state)
{
	const struct flood_kind kinds[] = {
		{ { VIRTIO_SND_R_PCM_INFO, 0, NUM_STREAMS, sizeof(struct vsnd_pcm_info) }, 16,
		  4 + NUM_STREAMS * sizeof(struct vsnd_pcm_info), S_OK,
		  4 + NUM_STREAMS * sizeof(struct vsnd_pcm_info) },
		{ { VIRTIO_SND_R_PCM_INFO, 1, NUM_STREAMS, sizeof(struct vsnd_pcm_info) }, 16,
		  512, S_BAD, 4 },
		{ { 0x0777, 0, 0, 0 }, 4, 8, S_NOT_SUPP, 4 },
		{ { VIRTIO_SND_R_CTL_READ, 0, 0, 0 }, 8, 4 + VIRTIO_SND_CTL_VALUE_SIZE, S_OK,
		  4 + VIRTIO_SND_CTL_VALUE_SIZE },
		{ { VIRTIO_SND_R_CTL_READ, 0, 0, 0 }, 8, 100, S_BAD, 4 },
		{ { VIRTIO_SND_R_JACK_REMAP, 1, 0, 0 }, 16, 4, S_NOT_SUPP, 4 },
		{ { VIRTIO_SND_R_PCM_START, 0, 0, 0 }, 8, 4, S_BAD, 4 },
		{ { VIRTIO_SND_R_PCM_INFO, 0, 1, 32 }, 16, 2, 0, 0 },
		{ { VIRTIO_SND_R_PCM_INFO, 0, 1, 32 }, 16, 0, 0, 0 },
		{ { VIRTIO_SND_R_JACK_INFO, 0 }, 3, 4, S_BAD, 4 },
	};
	struct session s;
	struct vguest *g;
	struct raw r;
	uint32_t kept;
	char v[64];

	(void)state;
	session_start(&s);
	g = hostile_connect(&s.d, true);
	raw_init(&r, g);
	/* Thousands of requests back to back, FLOOD_SLOTS at a time. */
	control_queue_flood(&r, kinds, VADSP_ARRAY_SIZE(kinds));
	/* Thousands of I/O messages on streams that cannot take them. */
	io_flood(&r, VSND_VQ_TX, 0, FLOOD_REQUESTS, PERIOD, S_IO_ERR, false);
	io_flood(&r, VSND_VQ_RX, 1, FLOOD_REQUESTS / 5, PERIOD, S_IO_ERR, false);
	io_flood(&r, VSND_VQ_TX, 1, FLOOD_REQUESTS / 5, PERIOD, S_BAD, false);
	/* A prepared stream keeps every message until RELEASE, however many come: the ring
	 * fills; RELEASE gives them all back (S_OK) before its own reply, each time. */
	expect_set_params(g, 0, &good_params, S_OK);
	for (int round = 0; round < 20; round++) {
		struct vu_front *fe = vguest_front(g);
		uint32_t used, back = 0;
		void *tok;

		expect_simple(g, VIRTIO_SND_R_PCM_PREPARE, 0, 4, S_OK, 4);
		kept = io_flood(&r, VSND_VQ_TX, 0, 1000, 4, S_OK, true);
		assert_true(kept > 0);
		wait_pending(&s.d, 0, kept);
		/* Nothing came back meanwhile: the stream is not running. */
		assert_null(vu_front_queue_get_used(fe, VSND_VQ_TX, &used));
		expect_simple(g, VIRTIO_SND_R_PCM_RELEASE, 0, 4, S_OK, 4);
		while ((tok = vu_front_queue_get_used(fe, VSND_VQ_TX, &used))) {
			assert_int_equal(used, 8);
			back++;
			cases++;
		}
		assert_int_equal(back, kept);
	}
	vm1_stream_field(&s.d, 0, "pending", v, sizeof(v));
	assert_string_equal(v, "0");
	print_message("%u messages held per round\n", kept);
	vguest_close(g);

	/* Guests that leave in the middle of it all: with a full ring of messages held in
	 * PREPARE, and with capture messages in flight and a RELEASE plus 32 requests queued
	 * and not waited for. vadspd frees them (the guest's slot is free again, and at exit
	 * nothing leaks) and the other guest plays on. */
	for (int leave = 0; leave < 2; leave++) {
		struct vu_front *fe;

		vm1_wait_gone(&s.d);
		g = hostile_connect(&s.d, true);
		raw_init(&r, g);
		fe = vguest_front(g);
		if (leave == 0) {
			expect_set_params(g, 0, &good_params, S_OK);
			expect_simple(g, VIRTIO_SND_R_PCM_PREPARE, 0, 4, S_OK, 4);
			kept = io_flood(&r, VSND_VQ_TX, 0, 1000, 4, S_OK, true);
			wait_pending(&s.d, 0, kept);
		} else {
			uint8_t *req = r.host;

			expect_set_params(g, 1, &good_params, S_OK);
			expect_simple(g, VIRTIO_SND_R_PCM_PREPARE, 1, 4, S_OK, 4);
			kept = io_flood(&r, VSND_VQ_RX, 1, 1000, PERIOD, S_OK, true);
			wait_pending(&s.d, 1, kept);
			/* Started and stopped with messages in flight, then RELEASE and 32 more
			 * requests behind it, not waited for. */
			expect_simple(g, VIRTIO_SND_R_PCM_START, 1, 4, S_OK, 4);
			expect_simple(g, VIRTIO_SND_R_PCM_STOP, 1, 4, S_OK, 4);
			for (uint32_t i = 0; i < 33; i++) {
				struct vring_buf out = rb(&r, i * 64, 8);
				struct vring_buf in = rb(&r, i * 64 + 32, 4);

				words(req + i * 64, 2, i ? VIRTIO_SND_R_PCM_INFO :
				      VIRTIO_SND_R_PCM_RELEASE, 1);
				assert_true(vu_front_queue_add(fe, VSND_VQ_CONTROL, &out, 1, &in, 1,
							       (void *)(uintptr_t)(i + 1)) >= 0);
			}
			assert_true(vu_front_queue_kick(fe, VSND_VQ_CONTROL) >= 0);
		}
		vguest_close(g);
		cases++;
	}
	vm1_wait_gone(&s.d);
	/* The slot is free: a new guest connects and plays its streams. */
	g = hostile_connect(&s.d, true);
	expect_set_params(g, 0, &good_params, S_OK);
	expect_simple(g, VIRTIO_SND_R_PCM_PREPARE, 0, 4, S_OK, 4);
	expect_simple(g, VIRTIO_SND_R_PCM_RELEASE, 0, 4, S_OK, 4);
	vguest_close(g);
	session_end(&s);
}

/* ---------------------------------------------------------------------------------------- */
/* PCM_XRUN                                                                                  */

/* Poll the management socket until stream @stream of vm1 counted @want xruns. */
static uint64_t wait_xruns(const struct vt_daemon *d, uint32_t stream, uint64_t want)
{
	uint64_t n = 0;

	for (int waited = 0; waited < WAIT_MS; waited += 5) {
		n = vm1_xruns(d, stream);
		if (n >= want)
			break;
		usleep(5000);
	}
	return n;
}

/* Play @periods periods of silence from STOP or PREPARE, then nothing more. */
static void play_then_starve(struct vguest *g, struct vguest_io *io, unsigned int periods,
			     bool start)
{
	static const uint8_t zero[PERIOD];
	struct vguest_io_done done;

	for (unsigned int i = 0; i < periods; i++)
		assert_int_equal(vguest_io_submit(io, zero, PERIOD), 0);
	if (start)
		assert_int_equal(vguest_pcm_start(g, 0), 0);
	for (unsigned int i = 0; i < periods; i++) {
		assert_int_equal(vguest_io_reap(io, &done, WAIT_MS), 1);
		assert_int_equal(done.status, S_OK);
	}
}

static void playback_underrun_reaches_the_guest_as_one_pcm_xrun(void **state)
{
	struct vguest_pcm_params p = good_params;
	struct vguest_event ev;
	struct vguest_io *io;
	struct vguest *g;
	struct vt_daemon d;
	uint32_t n;

	(void)state;
	daemon_start(&d);
	g = hostile_connect(&d, true);
	p.features = 1u << VIRTIO_SND_PCM_F_EVT_XRUNS;
	assert_int_equal(vguest_pcm_set_params(g, 0, &p), 0);
	assert_int_equal(vguest_pcm_prepare(g, 0), 0);
	assert_int_equal(vguest_io_open(g, 0, PERIOD, 4, &io), 0);
	/*
	 * Round 1: the guest plays 40 ms from START, then stops feeding while the stream runs.
	 * Round 2: it feeds again without a restart (the stream plays on through the xrun),
	 * then stops feeding again. Round 3: after STOP, it starts again with 40 ms.
	 */
	for (uint64_t round = 1; round <= 3; round++) {
		play_then_starve(g, io, 4, round != 2);
		assert_int_equal(vguest_event_next(g, &ev, WAIT_MS), 1);
		assert_int_equal(ev.code, VIRTIO_SND_EVT_PCM_XRUN);
		assert_int_equal(ev.data, 0);
		assert_int_equal(wait_xruns(&d, 0, round), round);
		/* One report per starvation, however long it lasts (the engine counts an
		 * underrun each period it finds the ring empty). */
		assert_int_equal(vguest_event_next(g, &ev, 300), 0);
		assert_int_equal(vm1_xruns(&d, 0), round);
		assert_int_equal(vm1_xruns(&d, 1), 0);
		if (round == 2)
			assert_int_equal(vguest_pcm_stop(g, 0), 0);
	}
	assert_int_equal(vguest_pcm_stop(g, 0), 0);
	assert_int_equal(vguest_pcm_release(g, 0), 0);
	vguest_io_close(io);
	vguest_close(g);
	free(vt_daemon_stop(&d, &n));
}

static void playback_underrun_without_evt_xruns_sends_no_event(void **state)
{
	struct vguest_event ev;
	struct vguest_io *io;
	struct vguest *g;
	struct vt_daemon d;
	uint32_t n;

	(void)state;
	daemon_start(&d);
	g = hostile_connect(&d, true);
	assert_int_equal(vguest_pcm_set_params(g, 0, &good_params), 0);
	assert_int_equal(vguest_pcm_prepare(g, 0), 0);
	assert_int_equal(vguest_io_open(g, 0, PERIOD, 4, &io), 0);
	play_then_starve(g, io, 4, true);
	/* Counted (and so, had the guest asked, sent by then)... */
	assert_int_equal(wait_xruns(&d, 0, 1), 1);
	/* ...but not sent. */
	assert_int_equal(vguest_event_next(g, &ev, 300), 0);
	assert_int_equal(vguest_pcm_stop(g, 0), 0);
	assert_int_equal(vguest_pcm_release(g, 0), 0);
	vguest_io_close(io);
	vguest_close(g);
	free(vt_daemon_stop(&d, &n));
}

static void capture_overrun_reaches_the_guest_as_one_pcm_xrun(void **state)
{
	struct vguest_pcm_params p = good_params;
	struct vguest_event ev;
	struct vguest *g;
	struct vt_daemon d;
	uint32_t n;

	(void)state;
	daemon_start(&d);
	g = hostile_connect(&d, true);
	p.features = 1u << VIRTIO_SND_PCM_F_EVT_XRUNS;
	assert_int_equal(vguest_pcm_set_params(g, 1, &p), 0);
	assert_int_equal(vguest_pcm_prepare(g, 1), 0);
	/* Started without a single buffer to fill. */
	assert_int_equal(vguest_pcm_start(g, 1), 0);
	assert_int_equal(vguest_event_next(g, &ev, WAIT_MS), 1);
	assert_int_equal(ev.code, VIRTIO_SND_EVT_PCM_XRUN);
	assert_int_equal(ev.data, 1);
	assert_int_equal(wait_xruns(&d, 1, 1), 1);
	assert_int_equal(vguest_event_next(g, &ev, 300), 0);
	assert_int_equal(vm1_xruns(&d, 1), 1);
	assert_int_equal(vm1_xruns(&d, 0), 0);
	assert_int_equal(vguest_pcm_stop(g, 1), 0);
	assert_int_equal(vguest_pcm_release(g, 1), 0);
	vguest_close(g);
	free(vt_daemon_stop(&d, &n));
}

/*
 * Messages the driver made available before START are played, even when their kick is
 * served after the START (the queues' kicks come in no set order).
 */
static void playback_queued_before_start_plays_when_its_kick_comes_late(void **state)
{
	struct vu_front *fe;
	struct vguest *g;
	struct vt_daemon d;
	struct raw r;
	uint32_t n, back = 0, used;
	void *tok;

	(void)state;
	daemon_start(&d);
	g = hostile_connect(&d, true);
	fe = vguest_front(g);
	raw_init(&r, g);
	assert_int_equal(vguest_pcm_set_params(g, 0, &good_params), 0);
	assert_int_equal(vguest_pcm_prepare(g, 0), 0);
	for (uint32_t i = 0; i < 4; i++) {
		uint32_t off = IO_OFF + i * (PERIOD + 16);
		struct vring_buf out[2] = { rb(&r, off, 4), rb(&r, off + 4, PERIOD) };
		struct vring_buf in[1] = { rb(&r, off + 4 + PERIOD, 8) };

		put_le32(r.host + off, 0);
		assert_true(vu_front_queue_add(fe, VSND_VQ_TX, out, 2, in, 1,
					       (void *)(uintptr_t)(i + 1)) >= 0);
	}
	/* Published, not kicked: the device finds them when it serves the START. */
	vring_drv_kick_prepare(vu_front_queue(fe, VSND_VQ_TX));
	assert_int_equal(vguest_pcm_start(g, 0), 0);
	usleep(50000);
	assert_true(vu_front_queue_kick(fe, VSND_VQ_TX) >= 0);
	while (back < 4) {
		while ((tok = vu_front_queue_get_used(fe, VSND_VQ_TX, &used))) {
			assert_int_equal((uintptr_t)tok, back + 1);
			assert_int_equal(used, 8);
			assert_int_equal(get_le32(r.host + IO_OFF + back * (PERIOD + 16) + 4 + PERIOD),
					 S_OK);
			back++;
		}
		if (back < 4)
			assert_true(vu_front_queue_wait(fe, VSND_VQ_TX, WAIT_MS) > 0);
	}
	assert_int_equal(vguest_pcm_stop(g, 0), 0);
	assert_int_equal(vguest_pcm_release(g, 0), 0);
	vguest_close(g);
	free(vt_daemon_stop(&d, &n));
}

/* After a failed test: no process of it stays. */
static int kill_leftovers(void **state)
{
	(void)state;
	vt_kill(&running_victim);
	if (vt_running > 0) {
		vt_kill(&vt_running);
		vt_daemon_print_log(&current);
		vt_daemon_remove(&current);
	}
	return 0;
}

#define HOSTILE_TEST(f) cmocka_unit_test_teardown(f, kill_leftovers)

int main(void)
{
	const struct CMUnitTest tests[] = {
		HOSTILE_TEST(out_of_range_ids_are_refused_and_the_other_guest_plays_on),
		HOSTILE_TEST(every_pcm_transition_the_protocol_table_forbids_is_refused),
		HOSTILE_TEST(set_params_the_stream_does_not_offer_is_refused),
		HOSTILE_TEST(requests_and_responses_of_the_wrong_size_are_answered_as_specified),
		HOSTILE_TEST(malformed_and_misaddressed_io_messages_are_answered_as_specified),
		HOSTILE_TEST(request_and_io_floods_are_answered_in_order),
		HOSTILE_TEST(playback_underrun_reaches_the_guest_as_one_pcm_xrun),
		HOSTILE_TEST(playback_underrun_without_evt_xruns_sends_no_event),
		HOSTILE_TEST(capture_overrun_reaches_the_guest_as_one_pcm_xrun),
		HOSTILE_TEST(playback_queued_before_start_plays_when_its_kick_comes_late),
	};
	int ret;

	signal(SIGPIPE, SIG_IGN);
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	print_message("%u hostile cases in all\n", cases);
	return ret;
}
