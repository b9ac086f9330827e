// SPDX-License-Identifier: MIT
/*
 * vadspd's SOF IPC3 extension (docs/protocol.md section 4) against process guests that
 * speak it with raw requests (guest/guest.h vguest_request()): topology fetch and ranges,
 * the guest's topology sent as IPC (tplg ipc-gen with the guest's id base, connection-point
 * DAIs rewritten as 4.6 says), playback through the shared DSP read back bit-exact from the
 * host's output WAV (0 dB after the stereo topology's 20 ms start ramp), capture of the
 * host's input WAV, position notifications, framing statuses, PCM_FREE with pending audio,
 * and a guest that disconnects mid-stream while a plain guest keeps playing bit-exact.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "ipc/ipc3-check.h"
#include "ipc/vfe.h"
#include "snd/virtio-snd.h"
#include "tplg/ipc-gen.h"
#include "tplg/tplg.h"
#include "util/le.h"
#include "vhost-user/frontend.h"
#include "virtio/vring.h"
#include "vadspd-test-util.h"

#define WAIT_MS		10000
#define PERIOD_FRAMES	480u
#define PERIOD		(PERIOD_FRAMES * 4u)	/* S16 stereo */
#define SKIP		2000u			/* frames: the volume ramp and more */
/* Messages a SOF stream keeps queued, all of them before TRIG_START: 320 ms. A bit-exact
 * check must not depend on the test process being scheduled every few milliseconds (a
 * starved stream underruns, its pipeline stops); 120 ms was not enough on a loaded machine. */
#define DEPTH		32u
/* The plain guest: the stereo caps' largest buffer, 16 periods of 20 ms (320 ms). */
#define PLAIN_FRAMES	960u
#define PLAIN_BYTES	(PLAIN_FRAMES * 4u)
#define PLAIN_DEPTH	16u
#define RATE		48000u

/* vadspd: host.tplg, DAI0.OUT into out.wav, DAI0.IN from @in (or null); vm1 a SOF guest,
 * vm2 a plain one, both on stereo.tplg. */
static void start_in(struct vt_daemon *d, const char *in)
{
	const struct vt_daemon_opts o = {
		.name = "sof", .host = true, .in = in ? in : "null", .guests = 2,
		.guest = { { .lines = "sof = yes\nmax-connections = 2\n" } },	/* vm2: plain */
	};

	vt_daemon_start(d, &o);
}

static int16_t other_signal(uint64_t i)
{
	return (int16_t)((i * 104729u) % 20000u - 10000);
}

/*
 * The management socket's "list" of vm1: the SOF session's counts of its first connection,
 * or -1 when it has none ("sof" absent: no connection; null: no IPC yet).
 */
static int sof_counts(const struct vt_daemon *d, uint32_t *objects, uint32_t *streams)
{
	char *text = vt_mgmt(d, "{\"cmd\":\"list\",\"guest\":\"vm1\"}");
	const char *p;
	int ret = -1;

	assert_non_null(strstr(text, "\"ok\":true"));
	p = strstr(text, "\"sof\":{\"objects\":");
	if (p) {
		assert_int_equal(sscanf(p, "\"sof\":{\"objects\":%u,\"streams\":%u}", objects,
					streams), 2);
		ret = 0;
	}
	free(text);
	return ret;
}

/* ---------------------------------------------------------------------------------------- */
/* The extension, by hand                                                                    */

struct sof {
	struct vguest *g;
	uint32_t base;
	uint32_t play_host;	/* PCM0P's id */
	uint32_t rec_host;	/* PCM0C's id */
};

/* One IPC request; the device status is returned, the reply copied to @reply. */
static int ipc_status(struct vguest *g, const void *msg, uint32_t len, uint8_t *reply,
		      uint32_t *rlen)
{
	uint8_t req[4 + IPC3_MSG_MAX_SIZE + 16], resp[4 + IPC3_MSG_MAX_SIZE];
	uint32_t used = 0;
	int st;

	assert_true(len <= sizeof(req) - 4);
	put_le32(req, VADSP_SND_R_SOF_IPC);
	memcpy(req + 4, msg, len);
	st = vguest_request(g, req, 4 + len, resp, sizeof(resp), &used);
	assert_true(st >= 0);
	if (st == VIRTIO_SND_S_OK) {
		assert_true(used >= 4 + sizeof(struct ipc3_reply));
		assert_int_equal(get_le32(resp + 4), used - 4);	/* used = 4 + hdr.size */
		if (reply)
			memcpy(reply, resp + 4, used - 4);
		if (rlen)
			*rlen = used - 4;
	} else {
		assert_int_equal(used, 4);
	}
	return st;
}

/* One IPC request carried with S_OK; return the reply's error field. */
static int32_t ipc(struct vguest *g, const void *msg, uint32_t len, uint8_t *reply)
{
	uint8_t r[IPC3_MSG_MAX_SIZE];

	assert_int_equal(ipc_status(g, msg, len, r, NULL), VIRTIO_SND_S_OK);
	if (reply)
		memcpy(reply, r, sizeof(r));
	return (int32_t)get_le32(r + 8);
}

static int32_t ipc_msg(struct vguest *g, const struct ipc3_msg *m, uint8_t *reply)
{
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	int n = ipc3_encode(m, buf, sizeof(buf));

	assert_true(n > 0);
	return ipc(g, buf, (uint32_t)n, reply);
}

static int32_t ipc_id(struct vguest *g, uint32_t cmd, uint32_t id)
{
	struct ipc3_msg m = { .cmd = cmd };

	m.u.id = id;
	return ipc_msg(g, &m, NULL);
}

static int32_t comp_id(struct vguest *g, uint8_t *reply)
{
	uint8_t req[8];

	put_le32(req, 8);
	put_le32(req + 4, IPC3_TPLG_VFE_COMP_ID);
	return ipc(g, req, 8, reply);
}

static uint32_t power(struct vguest *g, uint32_t on)
{
	uint8_t req[12], reply[IPC3_MSG_MAX_SIZE];

	put_le32(req, 12);
	put_le32(req + 4, IPC3_PM_VFE_POWER_STATUS);
	put_le32(req + 8, on);
	assert_int_equal(ipc(g, req, 12, reply), 0);
	assert_int_equal(get_le32(reply), 16);
	return get_le32(reply + 12);
}

static int32_t vfe_get(struct vguest *g, uint32_t offset, uint32_t reserved, uint8_t *reply)
{
	uint8_t req[16];

	put_le32(req, 16);
	put_le32(req + 4, IPC3_TPLG_VFE_GET);
	put_le32(req + 8, offset);
	put_le32(req + 12, reserved);
	return ipc(g, req, 16, reply);
}

static void sof_connect(struct sof *s, const char *sock)
{
	struct vguest_options o = { .sof_ipc3 = true };
	const struct vguest_card *card;
	uint8_t reply[IPC3_MSG_MAX_SIZE];

	memset(s, 0, sizeof(*s));
	assert_int_equal(vguest_connect(&s->g, sock, &o), 0);
	card = vguest_card(s->g);
	assert_true(card->sof_negotiated);
	assert_int_equal(comp_id(s->g, reply), 0);
	assert_int_equal(get_le32(reply + 12), VADSP_VFE_MAGIC);
	assert_int_equal(get_le32(reply + 16), VADSP_VFE_VERSION);
	s->base = get_le32(reply + 20);
}

/* The guest topology as IPC, with the guest's id base and its connection points. */
static void sof_load(struct sof *s)
{
	struct tplg_ipc_opts opts = { .id_base = s->base };
	struct tplg_ipc_seq *seq;
	struct tplg *t;
	struct tplg_error err;

	assert_int_equal(tplg_load_file(vt_topology("stereo"), &t, &err), 0);
	assert_int_equal(tplg_ipc_build(t, &opts, &seq, &err), 0);
	for (uint32_t i = 0; i < seq->num_msgs; i++) {
		struct tplg_ipc_msg *m = &seq->msgs[i];
		const struct tplg_widget *w = m->widget >= 0 ? &t->widgets[m->widget] : NULL;

		if (m->cmd == IPC3_TPLG_COMP_NEW && w && w->tokens.vadsp.cp_name[0] &&
		    (w->id == TPLG_DAPM_DAI_IN || w->id == TPLG_DAPM_DAI_OUT)) {
			uint32_t ord = 0;

			for (int32_t k = 0; k < m->widget; k++)
				ord += t->widgets[k].tokens.vadsp.cp_name[0] &&
				       (t->widgets[k].id == TPLG_DAPM_DAI_IN ||
					t->widgets[k].id == TPLG_DAPM_DAI_OUT);
			put_le32(m->data + offsetof(struct ipc3_comp_dai, type),
				 VADSP_DAI_CONNECTION_POINT);
			put_le32(m->data + offsetof(struct ipc3_comp_dai, dai_index), ord);
		}
		if (ipc(s->g, m->data, m->size, NULL) != 0)
			fail_msg("%s refused", m->desc);
		if (w && !strcmp(w->name, "PCM0P") && m->cmd == IPC3_TPLG_COMP_NEW)
			s->play_host = get_le32(m->data + 8);
		if (w && !strcmp(w->name, "PCM0C") && m->cmd == IPC3_TPLG_COMP_NEW)
			s->rec_host = get_le32(m->data + 8);
	}
	assert_true(s->play_host >= s->base && s->rec_host >= s->base);
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

/* PCM_PARAMS S16 stereo 48 kHz; return the stream id (posn_offset) or the error. */
static int32_t pcm_params(struct sof *s, uint32_t host, bool playback, uint32_t period)
{
	struct ipc3_msg m = { .cmd = IPC3_STREAM_PCM_PARAMS };
	uint8_t reply[IPC3_MSG_MAX_SIZE];
	int32_t err;

	m.u.pcm = (struct ipc3_msg_pcm_params){
		.comp_id = host,
		.direction = playback ? IPC3_STREAM_PLAYBACK : IPC3_STREAM_CAPTURE,
		.frame_fmt = IPC3_FRAME_S16_LE,
		.rate = RATE,
		.channels = 2,
		.sample_valid_bytes = 2,
		.sample_container_bytes = 2,
		.host_period_bytes = period,
		.buffer_size = 4 * PERIOD,
	};
	err = ipc_msg(s->g, &m, reply);
	if (err)
		return err;
	assert_int_equal(get_le32(reply), sizeof(struct ipc3_pcm_params_reply));
	assert_int_equal(get_le32(reply + 12), host);
	return (int32_t)get_le32(reply + 16);
}

/* ---------------------------------------------------------------------------------------- */

static void sof_guest_fetches_its_topology_and_ranges(void **state)
{
	uint8_t reply[IPC3_MSG_MAX_SIZE], *file;
	struct timespec t0, t1;
	struct vt_daemon d;
	struct sof s;
	uint32_t total = 0, off = 0;
	long size;
	FILE *f;

	(void)state;
	start_in(&d, NULL);
	sof_connect(&s, d.sock[0]);
	/* The card reads empty: the guest builds its own. */
	assert_int_equal(vguest_card(s.g)->num_streams, 0);
	assert_int_equal(vguest_card(s.g)->num_jacks, 0);
	assert_int_equal(comp_id(s.g, reply), 0);
	assert_int_equal(get_le32(reply), 40);
	assert_true(s.base >= 1000 && s.base % 1000 == 0);
	assert_int_equal(get_le32(reply + 24), 1000);
	assert_int_equal(get_le32(reply + 28), 100);
	assert_int_equal(get_le32(reply + 32), 16);
	assert_int_equal(get_le32(reply + 36), 0x03016001);
	/* Informational: a request's round trip through the control queue. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(comp_id(s.g, reply), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("VFE_COMP_ID round trip: %.1f us\n",
		      ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1000.0 / 1000);
	/* First power-on of a connection: the DSP holds nothing of it. */
	assert_int_equal(power(s.g, 1), 1);
	assert_int_equal(power(s.g, 1), 0);
	/* The file, chunk by chunk. */
	f = fopen(vt_topology("stereo"), "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	file = malloc((size_t)size);
	assert_non_null(file);
	assert_int_equal(fread(file, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	for (;;) {
		uint32_t n;

		assert_int_equal(vfe_get(s.g, off, 0, reply), 0);
		total = get_le32(reply + 12);
		assert_int_equal(total, (uint32_t)size);
		assert_int_equal(get_le32(reply + 16), off);
		n = get_le32(reply + 20);
		assert_int_equal(get_le32(reply), 24 + n);
		assert_true(n <= 360);
		if (!n)
			break;
		assert_memory_equal(reply + 24, file + off, n);
		off += n;
	}
	assert_int_equal(off, total);
	assert_int_equal(vfe_get(s.g, total + 1, 0, reply), -ERANGE);
	assert_int_equal(vfe_get(s.g, 0, 1, reply), -EINVAL);
	free(file);
	vguest_close(s.g);
	free(vt_daemon_stop(&d, &total));
}

/* Framing statuses of 4.2, and the request without the feature. */
static void ipc_request_framing_statuses(void **state)
{
	uint8_t msg[IPC3_MSG_MAX_SIZE + 8], req[4 + 16], resp[4 + IPC3_MSG_MAX_SIZE];
	struct vguest *plain;
	struct vt_daemon d;
	struct sof s;
	uint32_t used = 0, n;

	(void)state;
	start_in(&d, NULL);
	sof_connect(&s, d.sock[0]);
	/* hdr.size other than the bytes sent */
	put_le32(msg, 12);
	put_le32(msg + 4, IPC3_TPLG_VFE_COMP_ID);
	assert_int_equal(ipc_status(s.g, msg, 8, NULL, NULL), VIRTIO_SND_S_BAD_MSG);
	/* fewer than 8 bytes of message */
	put_le32(msg, 4);
	assert_int_equal(ipc_status(s.g, msg, 4, NULL, NULL), VIRTIO_SND_S_BAD_MSG);
	/* more than 384 */
	memset(msg, 0, sizeof(msg));
	put_le32(msg, IPC3_MSG_MAX_SIZE + 8);
	put_le32(msg + 4, IPC3_TPLG_COMP_NEW);
	assert_int_equal(ipc_status(s.g, msg, IPC3_MSG_MAX_SIZE + 8, NULL, NULL),
			 VIRTIO_SND_S_BAD_MSG);
	/* a response buffer below 4 + 384 */
	put_le32(req, VADSP_SND_R_SOF_IPC);
	put_le32(req + 4, 8);
	put_le32(req + 8, IPC3_TPLG_VFE_COMP_ID);
	assert_int_equal(vguest_request(s.g, req, 12, resp, 4 + 383, &used),
			 VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(used, 4);
	/* well framed but malformed at the IPC level: S_OK carrying -EINVAL */
	put_le32(msg, 12);
	put_le32(msg + 4, IPC3_TPLG_VFE_COMP_ID);
	put_le32(msg + 8, 0);
	assert_int_equal(ipc_status(s.g, msg, 12, resp, &n), VIRTIO_SND_S_OK);
	assert_int_equal((int32_t)get_le32(resp + 8), -EINVAL);
	vguest_close(s.g);
	/* A guest that did not acknowledge the extension. */
	assert_int_equal(vguest_connect(&plain, d.sock[0], NULL), 0);
	assert_false(vguest_card(plain)->sof_negotiated);
	assert_true(vguest_card(plain)->num_streams > 0);	/* the plain card */
	assert_int_equal(vguest_request(plain, req, 12, resp, sizeof(resp), &used),
			 VIRTIO_SND_S_NOT_SUPP);
	assert_int_equal(used, 4);
	vguest_close(plain);
	free(vt_daemon_stop(&d, &n));
}

/* Play @periods periods of @sample from stream @sid, started once the ring is full;
 * count the position notifications of @host. Return how many came. */
static unsigned int sof_play(struct sof *s, struct vguest_io *io, int32_t sid, uint32_t host,
			     int16_t (*sample)(uint64_t), uint64_t *frame, unsigned int periods,
			     bool start)
{
	uint8_t msg[IPC3_MSG_MAX_SIZE];
	struct vguest_io_done done;
	struct vguest_event ev;
	int16_t buf[PERIOD_FRAMES * 2];
	unsigned int sent = 0, positions = 0;
	uint64_t last = 0;

	(void)sid;
	while (sent < periods || vguest_io_in_flight(io)) {
		while (sent < periods && vguest_io_in_flight(io) < DEPTH) {
			for (uint32_t i = 0; i < PERIOD_FRAMES; i++)
				buf[2 * i] = buf[2 * i + 1] = sample(*frame + i);
			assert_int_equal(vguest_io_submit(io, buf, PERIOD), 0);
			*frame += PERIOD_FRAMES;
			sent++;
		}
		if (start) {
			assert_int_equal(ipc_id(s->g, IPC3_STREAM_TRIG_START, host), 0);
			start = false;
		}
		assert_int_equal(vguest_io_reap(io, &done, WAIT_MS), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
		while (vguest_event_next_msg(s->g, &ev, msg, sizeof(msg), 0) == 1) {
			uint64_t posn;

			if (ev.code != VADSP_SND_EVT_SOF_IPC ||
			    get_le32(msg + 4) != (IPC3_STREAM_POSITION | host))
				continue;
			assert_int_equal(ev.data, 76);
			assert_int_equal(get_le32(msg), 76);
			assert_int_equal(get_le32(msg + 12), host);
			assert_int_equal(get_le32(msg + 20), 1000000000u);
			posn = get_le64(msg + 28);
			assert_true(posn >= last);
			assert_true(posn >= PERIOD);
			last = posn;
			positions++;
		}
	}
	return positions;
}

static int32_t *play_and_read(struct vt_daemon *d, uint32_t *n, unsigned int *positions)
{
	struct ipc3_msg m = { .cmd = IPC3_STREAM_POSITION };
	uint8_t reply[IPC3_MSG_MAX_SIZE];
	struct timespec t0, t1;
	struct vguest_io *io;
	struct sof s;
	uint64_t frame = 0;
	int32_t sid;

	start_in(d, NULL);
	sof_connect(&s, d->sock[0]);
	assert_int_equal(power(s.g, 1), 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sof_load(&s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("topology loaded as IPC in %.2f ms\n",
		      ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e6);
	sid = pcm_params(&s, s.play_host, true, PERIOD);
	assert_int_equal(sid, 0);
	assert_int_equal(vguest_io_open_id(s.g, (uint32_t)sid, VIRTIO_SND_D_OUTPUT, PERIOD, DEPTH,
					   &io), 0);
	*positions = sof_play(&s, io, sid, s.play_host, vt_ramp_signal, &frame, 150, true);
	/* Every message came back consumed: the position counts all of it, in bytes. */
	m.u.id = s.play_host;
	assert_int_equal(ipc_msg(s.g, &m, reply), 0);
	assert_int_equal(get_le32(reply), 76);
	assert_int_equal(get_le32(reply + 4), IPC3_STREAM_POSITION | s.play_host);
	assert_int_equal(get_le32(reply + 20), 1000000000u);
	assert_true(get_le64(reply + 28) >= 150ull * PERIOD);
	assert_int_equal(ipc_id(s.g, IPC3_STREAM_TRIG_STOP, s.play_host), 0);
	assert_int_equal(ipc_id(s.g, IPC3_STREAM_PCM_FREE, s.play_host), 0);
	vguest_io_close(io);
	vguest_close(s.g);
	return vt_daemon_stop(d, n);
}

static uint32_t align(const int32_t *l, uint32_t n, int16_t (*sample)(uint64_t), uint32_t from)
{
	for (uint32_t o = from; o < n; o++) {
		bool ok = o + SKIP + 100 < n;

		for (uint32_t i = SKIP; i < SKIP + 100 && ok; i++)
			ok = l[o + i] == (int32_t)sample(i) * 65536;
		if (ok)
			return o;
	}
	return UINT32_MAX;
}

static void sof_guest_plays_bit_exact_with_positions(void **state)
{
	struct vt_daemon d;
	uint32_t n, first = UINT32_MAX, off, bad = 0, checked = 0;
	unsigned int positions;
	int32_t *l;

	(void)state;
	l = play_and_read(&d, &n, &positions);
	for (uint32_t i = 0; i < n && first == UINT32_MAX; i++)
		if (l[i])
			first = i;
	assert_int_not_equal(first, UINT32_MAX);
	off = align(l, n, vt_ramp_signal, first > 64 ? first - 64 : 0);
	assert_int_not_equal(off, UINT32_MAX);
	for (uint32_t i = SKIP; i < 150 * PERIOD_FRAMES && off + i < n; i++, checked++)
		bad += l[off + i] != (int32_t)vt_ramp_signal(i) * 65536;
	print_message("first frame at %u, %u frames compared, %u differ, %u positions\n", off,
		      checked, bad, positions);
	assert_true(checked >= 150 * PERIOD_FRAMES - SKIP);
	assert_int_equal(bad, 0);
	/* One per period moved, some coalesced while waiting: most of the 150 arrive. */
	assert_true(positions >= 10);
	free(l);
}

/* A 16-bit stereo 48 kHz WAV of @frames frames of vt_ramp_signal() on both channels. */
static void sof_guest_records_the_host_input_bit_exact(void **state)
{
	const uint32_t want = 100 * PERIOD_FRAMES;
	char in[] = "/tmp/vadspd-sof-in-XXXXXX.wav";
	int16_t *rec = calloc((size_t)want * 2, sizeof(int16_t));
	struct vguest_io_done done;
	struct vguest_io *io;
	struct vt_daemon d;
	struct sof s;
	uint32_t got = 0, first = UINT32_MAX, off = UINT32_MAX, bad = 0, n;
	int32_t sid;
	int fd = mkstemps(in, 4);

	(void)state;
	assert_non_null(rec);
	assert_true(fd >= 0);
	close(fd);
	vt_write_wav(in, 4 * RATE, vt_ramp_signal);
	start_in(&d, in);
	sof_connect(&s, d.sock[0]);
	sof_load(&s);
	sid = pcm_params(&s, s.rec_host, false, PERIOD);
	assert_int_equal(sid, 0);
	assert_int_equal(vguest_io_open_id(s.g, (uint32_t)sid, VIRTIO_SND_D_INPUT, PERIOD, DEPTH,
					   &io), 0);
	for (unsigned int i = 0; i < DEPTH; i++)
		assert_int_equal(vguest_io_submit(io, NULL, PERIOD), 0);
	assert_int_equal(ipc_id(s.g, IPC3_STREAM_TRIG_START, s.rec_host), 0);
	while (got < want) {
		assert_int_equal(vguest_io_reap(io, &done, WAIT_MS), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
		assert_int_equal(done.bytes, PERIOD);
		memcpy(rec + (size_t)got * 2, done.data, PERIOD);
		got += PERIOD_FRAMES;
		assert_int_equal(vguest_io_submit(io, NULL, PERIOD), 0);
	}
	/* PCM_FREE of the running stream with messages pending: every one is back before the
	 * reply, in order: those filled before it S_OK, the pending ones S_IO_ERR. */
	assert_int_equal(ipc_id(s.g, IPC3_STREAM_PCM_FREE, s.rec_host), 0);
	assert_int_equal(vguest_io_in_flight(io), DEPTH);
	n = 0;
	for (unsigned int i = 0; i < DEPTH; i++) {
		assert_int_equal(vguest_io_reap(io, &done, 0), 1);
		if (done.status == VIRTIO_SND_S_OK) {
			assert_int_equal(n, 0);
			assert_int_equal(done.bytes, PERIOD);
			continue;
		}
		assert_int_equal(done.status, VIRTIO_SND_S_IO_ERR);
		n++;
	}
	assert_true(n > 0);
	/* The stream id is gone: a message naming it is S_BAD_MSG. */
	assert_int_equal(vguest_io_submit(io, NULL, PERIOD), 0);
	assert_int_equal(vguest_io_reap(io, &done, WAIT_MS), 1);
	assert_int_equal(done.status, VIRTIO_SND_S_BAD_MSG);
	vguest_io_close(io);
	vguest_close(s.g);
	free(vt_daemon_stop(&d, &n));
	unlink(in);
	for (uint32_t i = 0; i < want && first == UINT32_MAX; i++)
		if (rec[2 * i])
			first = i;
	assert_int_not_equal(first, UINT32_MAX);
	for (uint32_t k = 0; k < RATE && off == UINT32_MAX; k++) {
		bool ok = first + SKIP + 100 < want;

		for (uint32_t i = 0; i < 100 && ok; i++)
			ok = rec[2 * (first + SKIP + i)] == vt_ramp_signal(k + i);
		if (ok)
			off = k;
	}
	assert_int_not_equal(off, UINT32_MAX);
	for (uint32_t i = first + SKIP; i < want; i++)
		bad += rec[2 * i] != vt_ramp_signal(off + i - first - SKIP) ||
		       rec[2 * i + 1] != rec[2 * i];
	print_message("recorded %u frames, %u compared, %u differ\n", want, want - first - SKIP,
		      bad);
	assert_int_equal(bad, 0);
	free(rec);
}

/* A plain guest (vm2) plays vt_ramp_signal throughout; a SOF guest joins with other_signal and
 * disconnects mid-stream without stopping. Afterwards the output is vm2's alone, bit-exact,
 * and a new SOF guest gets the same range back and loads its whole topology again. */
static void sof_guest_leaving_mid_stream_leaves_the_other_guest_bit_exact(void **state)
{
	struct vguest_pcm_params prm = {
		.buffer_bytes = PLAIN_DEPTH * PLAIN_BYTES, .period_bytes = PLAIN_BYTES,
		.channels = 2, .format = VIRTIO_SND_PCM_FMT_S16,
		.rate = VIRTIO_SND_PCM_RATE_48000,
	};
	const unsigned int total = 150;			/* plain messages: 3 s */
	struct vguest_io *pio, *sio;
	struct vguest_io_done done;
	struct vguest *plain;
	struct vt_daemon d;
	struct sof s, s2;
	int16_t buf[PLAIN_FRAMES * 2];
	uint64_t pframe = 0, sframe = 0;
	uint32_t n, base, tail_from, bad = 0, checked = 0, off, objs, objs2, streams;
	unsigned int sent = 0;
	bool started = false, sof_started = false;
	int32_t *l;

	(void)state;
	start_in(&d, NULL);
	assert_int_equal(vguest_connect(&plain, d.sock[1], NULL), 0);
	assert_int_equal(vguest_pcm_set_params(plain, 0, &prm), 0);
	assert_int_equal(vguest_pcm_prepare(plain, 0), 0);
	assert_int_equal(vguest_io_open(plain, 0, PLAIN_BYTES, PLAIN_DEPTH, &pio), 0);
	sof_connect(&s, d.sock[0]);
	base = s.base;
	sof_load(&s);
	assert_int_equal(pcm_params(&s, s.play_host, true, PERIOD), 0);
	assert_int_equal(sof_counts(&d, &objs, &streams), 0);
	assert_true(objs >= 10);
	assert_int_equal(streams, 1);
	assert_int_equal(vguest_io_open_id(s.g, 0, VIRTIO_SND_D_OUTPUT, PERIOD, DEPTH, &sio), 0);
	while (sent < total || vguest_io_in_flight(pio)) {
		while (sent < total && vguest_io_in_flight(pio) < PLAIN_DEPTH) {
			for (uint32_t i = 0; i < PLAIN_FRAMES; i++)
				buf[2 * i] = buf[2 * i + 1] = vt_ramp_signal(pframe + i);
			assert_int_equal(vguest_io_submit(pio, buf, PLAIN_BYTES), 0);
			pframe += PLAIN_FRAMES;
			sent++;
		}
		if (!started) {
			assert_int_equal(vguest_pcm_start(plain, 0), 0);
			started = true;
		}
		/* The SOF guest plays while the plain guest queues its messages 20 to 30,
		 * mixed in. */
		while (s.g && sent >= 20 && vguest_io_in_flight(sio) < DEPTH) {
			for (uint32_t i = 0; i < PERIOD_FRAMES; i++)
				buf[2 * i] = buf[2 * i + 1] = other_signal(sframe + i);
			assert_int_equal(vguest_io_submit(sio, buf, PERIOD), 0);
			sframe += PERIOD_FRAMES;
			if (!sof_started) {
				assert_int_equal(ipc_id(s.g, IPC3_STREAM_TRIG_START, s.play_host),
						 0);
				sof_started = true;
			}
		}
		while (s.g && vguest_io_reap(sio, &done, 0) == 1)
			assert_int_equal(done.status, VIRTIO_SND_S_OK);
		if (s.g && sent >= 30) {
			/* Leave with audio queued and the stream running. */
			assert_true(vguest_io_in_flight(sio) > 0);
			vguest_io_close(sio);
			vguest_close(s.g);
			s.g = NULL;
		}
		assert_int_equal(vguest_io_reap(pio, &done, WAIT_MS), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
	}
	/* The range came back: a new SOF guest gets it and loads its topology again, the same
	 * objects as the first had. */
	assert_int_equal(sof_counts(&d, &objs2, &streams), -1);
	sof_connect(&s2, d.sock[0]);
	assert_int_equal(s2.base, base);
	assert_int_equal(power(s2.g, 1), 1);
	sof_load(&s2);
	assert_int_equal(sof_counts(&d, &objs2, &streams), 0);
	assert_int_equal(objs2, objs);
	assert_int_equal(streams, 0);
	vguest_close(s2.g);
	assert_int_equal(vguest_pcm_stop(plain, 0), 0);
	assert_int_equal(vguest_pcm_release(plain, 0), 0);
	vguest_io_close(pio);
	vguest_close(plain);
	l = vt_daemon_stop(&d, &n);
	/* The last 2 s are after the SOF guest left (about 0.3 s in, with 0.3 s queued). */
	tail_from = 100 * PERIOD_FRAMES;
	off = UINT32_MAX;
	for (uint32_t o = 0; o < n && off == UINT32_MAX; o++) {
		bool ok = o + tail_from + 100 < n;

		for (uint32_t i = tail_from; i < tail_from + 100 && ok; i++)
			ok = l[o + i] == (int32_t)vt_ramp_signal(i) * 65536;
		if (ok)
			off = o;
	}
	assert_int_not_equal(off, UINT32_MAX);
	for (uint32_t i = tail_from; i < total * PLAIN_FRAMES && off + i < n; i++, checked++)
		bad += l[off + i] != (int32_t)vt_ramp_signal(i) * 65536;
	print_message("plain guest after the SOF guest left: %u frames compared, %u differ\n",
		      checked, bad);
	assert_true(checked >= 150 * PERIOD_FRAMES);
	assert_int_equal(bad, 0);
	free(l);
}

/* A playback stream the guest stops feeding: one xrun notification for the episode. */
static void sof_guest_underrun_is_notified_once(void **state)
{
	uint8_t msg[IPC3_MSG_MAX_SIZE];
	struct vguest_io_done done;
	struct vguest_event ev;
	struct vguest_io *io;
	struct vt_daemon d;
	struct sof s;
	int16_t buf[PERIOD_FRAMES * 2] = { 0 };
	unsigned int xruns = 0;
	uint32_t n;
	int ret;

	(void)state;
	start_in(&d, NULL);
	sof_connect(&s, d.sock[0]);
	sof_load(&s);
	assert_int_equal(pcm_params(&s, s.play_host, true, PERIOD), 0);
	assert_int_equal(vguest_io_open_id(s.g, 0, VIRTIO_SND_D_OUTPUT, PERIOD, 4, &io), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(vguest_io_submit(io, buf, PERIOD), 0);
	assert_int_equal(ipc_id(s.g, IPC3_STREAM_TRIG_START, s.play_host), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(vguest_io_reap(io, &done, WAIT_MS), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
	}
	/* Starved: the first xrun comes; however long it lasts, no second one. */
	while ((ret = vguest_event_next_msg(s.g, &ev, msg, sizeof(msg),
					    xruns ? 300 : WAIT_MS)) == 1) {
		if (ev.code != VADSP_SND_EVT_SOF_IPC ||
		    get_le32(msg + 4) != (IPC3_STREAM_TRIG_XRUN | s.play_host))
			continue;
		assert_int_equal(ev.data, 76);
		assert_int_equal(get_le32(msg + 12), s.play_host);
		assert_true((int32_t)get_le32(msg + 72) < 0);	/* bytes short: an underrun */
		xruns++;
	}
	if (xruns != 1) {
		struct ipc3_msg m = { .cmd = IPC3_STREAM_POSITION, .u.id = s.play_host };

		/* Where the stream is: how far it played, its last xrun (size and component). */
		assert_int_equal(ipc_msg(s.g, &m, msg), 0);
		print_message("%u xrun notifications; position: host byte %llu, xrun size %d at "
			      "component %u\n", xruns, (unsigned long long)get_le64(msg + 28),
			      (int32_t)get_le32(msg + 72), get_le32(msg + 68));
	}
	assert_int_equal(ret, 0);
	assert_int_equal(xruns, 1);
	vguest_io_close(io);
	vguest_close(s.g);
	free(vt_daemon_stop(&d, &n));
}

/* Audio messages name extension streams; PM_CTX_SAVE gives pending ones back (4.9). */
static void pm_ctx_save_gives_back_audio_and_misaddressed_audio_is_refused(void **state)
{
	struct ipc3_msg save = { .cmd = IPC3_PM_CTX_SAVE };
	struct vguest_io *rec, *wrong, *none;
	struct vguest_io_done done;
	struct vt_daemon d;
	struct sof s;
	uint8_t buf[PERIOD] = { 0 };
	uint32_t n;

	(void)state;
	start_in(&d, NULL);
	sof_connect(&s, d.sock[0]);
	assert_int_equal(power(s.g, 1), 1);
	sof_load(&s);
	assert_int_equal(pcm_params(&s, s.play_host, true, PERIOD), 0);
	assert_int_equal(pcm_params(&s, s.rec_host, false, PERIOD), 1);
	/* Stream 0 plays: capture messages naming it, and any naming an id without
	 * parameters, are S_BAD_MSG. */
	assert_int_equal(vguest_io_open_id(s.g, 0, VIRTIO_SND_D_INPUT, PERIOD, 1, &wrong), 0);
	assert_int_equal(vguest_io_submit(wrong, NULL, PERIOD), 0);
	assert_int_equal(vguest_io_reap(wrong, &done, WAIT_MS), 1);
	assert_int_equal(done.status, VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(vguest_io_open_id(s.g, 5, VIRTIO_SND_D_OUTPUT, PERIOD, 1, &none), 0);
	assert_int_equal(vguest_io_submit(none, buf, PERIOD), 0);
	assert_int_equal(vguest_io_reap(none, &done, WAIT_MS), 1);
	assert_int_equal(done.status, VIRTIO_SND_S_BAD_MSG);
	/* Capture messages queued on a stream not started, then the firmware's power down. */
	assert_int_equal(vguest_io_open_id(s.g, 1, VIRTIO_SND_D_INPUT, PERIOD, 4, &rec), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(vguest_io_submit(rec, NULL, PERIOD), 0);
	assert_int_equal(ipc_msg(s.g, &save, NULL), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(vguest_io_reap(rec, &done, 0), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_IO_ERR);
	}
	/* Gone: the stream id, then the whole topology, which loads again. */
	assert_int_equal(vguest_io_submit(rec, NULL, PERIOD), 0);
	assert_int_equal(vguest_io_reap(rec, &done, WAIT_MS), 1);
	assert_int_equal(done.status, VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(power(s.g, 1), 1);
	sof_load(&s);
	assert_int_equal(pcm_params(&s, s.rec_host, false, PERIOD), 0);
	vguest_io_close(rec);
	vguest_io_close(wrong);
	vguest_io_close(none);
	vguest_close(s.g);
	free(vt_daemon_stop(&d, &n));
}

/* Audio made available before TRIG_START plays even when its kick is served after the
 * start (the queues' kicks come in no set order): a start ahead of its audio would underrun
 * at once and stop the pipeline. */
static void playback_queued_before_trig_start_plays_when_its_kick_comes_late(void **state)
{
	struct vu_front_buf mem;
	struct vu_front *fe;
	struct vt_daemon d;
	struct sof s;
	uint32_t n, back = 0, used;
	void *tok;

	(void)state;
	start_in(&d, NULL);
	sof_connect(&s, d.sock[0]);
	sof_load(&s);
	assert_int_equal(pcm_params(&s, s.play_host, true, PERIOD), 0);
	fe = vguest_front(s.g);
	assert_int_equal(vu_front_alloc(fe, 4 * (PERIOD + 16), 16, &mem), 0);
	memset(mem.host, 0, 4 * (PERIOD + 16));
	for (uint32_t i = 0; i < 4; i++) {
		uint64_t off = i * (PERIOD + 16);
		struct vring_buf out[2] = { { mem.gpa + off, 4 }, { mem.gpa + off + 4, PERIOD } };
		struct vring_buf in[1] = { { mem.gpa + off + 4 + PERIOD, 8 } };

		assert_true(vu_front_queue_add(fe, VSND_VQ_TX, out, 2, in, 1,
					       (void *)(uintptr_t)(i + 1)) >= 0);
	}
	/* Published, not kicked: the device takes them when it serves the start. */
	vring_drv_kick_prepare(vu_front_queue(fe, VSND_VQ_TX));
	assert_int_equal(ipc_id(s.g, IPC3_STREAM_TRIG_START, s.play_host), 0);
	usleep(50000);
	assert_true(vu_front_queue_kick(fe, VSND_VQ_TX) >= 0);
	while (back < 4) {
		while ((tok = vu_front_queue_get_used(fe, VSND_VQ_TX, &used))) {
			assert_int_equal((uintptr_t)tok, back + 1);
			assert_int_equal(used, 8);
			assert_int_equal(get_le32((uint8_t *)mem.host + back * (PERIOD + 16) + 4 +
						  PERIOD), VIRTIO_SND_S_OK);
			back++;
		}
		if (back < 4)
			assert_true(vu_front_queue_wait(fe, VSND_VQ_TX, WAIT_MS) > 0);
	}
	vguest_close(s.g);
	free(vt_daemon_stop(&d, &n));
}

/* --sof on the command line: refused before anything listens, saying why. */
static void sof_on_the_command_line_is_refused_at_start(void **state)
{
	struct vt_daemon d;
	char path[160];
	const char *args[] = { path, "--topology", vt_topology("stereo"), "--sof", NULL };

	(void)state;
	vt_daemon_init(&d, "sof-cli");
	snprintf(path, sizeof(path), "--socket-path=%s", d.sock[0]);
	vt_daemon_spawn(&d, args);
	assert_int_equal(vt_daemon_reap(&d, WAIT_MS), 2);
	assert_non_null(strstr(vt_daemon_log(&d), "needs the host DSP"));
	vt_daemon_remove(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(sof_guest_fetches_its_topology_and_ranges,
					  vt_teardown),
		cmocka_unit_test_teardown(ipc_request_framing_statuses, vt_teardown),
		cmocka_unit_test_teardown(sof_guest_plays_bit_exact_with_positions, vt_teardown),
		cmocka_unit_test_teardown(sof_guest_records_the_host_input_bit_exact,
					  vt_teardown),
		cmocka_unit_test_teardown(
			sof_guest_leaving_mid_stream_leaves_the_other_guest_bit_exact,
			vt_teardown),
		cmocka_unit_test_teardown(sof_guest_underrun_is_notified_once, vt_teardown),
		cmocka_unit_test_teardown(
			pm_ctx_save_gives_back_audio_and_misaddressed_audio_is_refused,
			vt_teardown),
		cmocka_unit_test_teardown(
			playback_queued_before_trig_start_plays_when_its_kick_comes_late,
			vt_teardown),
		cmocka_unit_test_teardown(sof_on_the_command_line_is_refused_at_start,
					  vt_teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
