// SPDX-License-Identifier: MIT
/*
 * The DSP-aware guest (src/guest/sof.h) against a mock device: a vhost-user back-end on a
 * server thread that offers VADSP_SND_F_SOF_IPC3 and answers the IPC request of
 * docs/protocol.md 4.2 from a script (its magic, version, ids, reset status, a failing
 * command, a topology that changes while fetched), records every message, completes audio
 * messages at once (recording the stream id they name) and sends a position and an xrun
 * notification when a stream starts. What it proves: the start sequence of 4.11 (ranges,
 * power, VFE_GET until the end, the topology with the id base and connection points as DAIs
 * of type 0x4350 numbered in file order), the stream id of the PCM_PARAMS reply in the
 * audio messages, notifications reaching their stream, power off/on with and without a
 * reset, PCM_FREE at close, and the error paths (not vadsp's device, no extension, a
 * changing or oversized topology, an IPC error in the middle of the topology, a malformed
 * reply). The end-to-end proof against vadspd is test-guest-sof-vadspd.c.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "guest/sof.h"
#include "ipc/ipc3.h"
#include "ipc/vfe.h"
#include "snd/virtio-snd.h"
#include "tplg/wire.h"
#include "util/le.h"
#include "util/loop.h"
#include "vhost-user/backend.h"
#include "virtio/virtio-ring.h"
#include "virtio/vring.h"

#define BASE		3000u
#define MAX_MSGS	512u
#define PERIOD		1920u		/* 10 ms of S16 stereo at 48 kHz */

/* One recorded IPC message. */
struct rec {
	uint32_t cmd;
	uint32_t size;
	uint8_t data[IPC3_MSG_MAX_SIZE];
};

/* The mock device: script (set before connecting) and record (read after replies). */
struct mock {
	/* script */
	bool no_feature;
	uint32_t magic;
	uint32_t version;
	uint32_t reset_next;		/* reset_status of the next POWER_STATUS {1} */
	uint32_t fail_cmd;		/* a command base answered with @fail_error */
	int32_t fail_error;
	bool total_changes;		/* VFE_GET's total grows after the first chunk */
	uint32_t total_override;	/* non-zero: the total VFE_GET claims */
	bool bad_reply_size;		/* replies claim one byte more than they are */
	uint32_t status;		/* non-zero: the device status of every IPC reply */
	uint32_t next_stream;		/* the stream id of the next new PCM_PARAMS */
	bool busy_reparams;		/* PCM_PARAMS of a stream that has some: -EBUSY */
	uint8_t *file;
	size_t file_size;
	/* record */
	struct rec msgs[MAX_MSGS];
	unsigned int num_msgs;
	uint32_t param_comp[16];	/* comp id holding stream id i, 0 when free */
	uint32_t tx_stream, rx_stream;	/* stream id of the last audio message */
	unsigned int tx_msgs, rx_msgs;
	/* server */
	struct vadsp_loop *loop;
	struct vu_server *server;
	pthread_t thread;
	char dir[64];
	char path[128];
};

static void reply_plain(uint8_t *r, uint32_t size, int32_t error)
{
	put_le32(r, size);
	put_le32(r + 4, IPC3_REPLY);
	put_le32(r + 8, (uint32_t)error);
}

/* Answer one IPC message into @r (room 384); return the reply's length. */
static uint32_t mock_ipc(struct mock *m, const uint8_t *msg, uint32_t len, uint8_t *r)
{
	uint32_t cmd = get_le32(msg + 4), base = ipc3_cmd_base(cmd);

	if (m->num_msgs < MAX_MSGS) {
		struct rec *rec = &m->msgs[m->num_msgs++];

		rec->cmd = cmd;
		rec->size = len;
		memcpy(rec->data, msg, len);
	}
	if (m->fail_cmd && base == m->fail_cmd) {
		reply_plain(r, 12, m->fail_error);
		return 12;
	}
	switch (base) {
	case IPC3_TPLG_VFE_COMP_ID:
		reply_plain(r, 40, 0);
		put_le32(r + 12, m->magic);
		put_le32(r + 16, m->version);
		put_le32(r + 20, BASE);
		put_le32(r + 24, VADSP_VFE_COMP_ID_COUNT);
		put_le32(r + 28, VADSP_VFE_PIPELINE_COUNT);
		put_le32(r + 32, VADSP_VFE_MAX_STREAMS);
		put_le32(r + 36, 0x03016001);
		return 40;
	case IPC3_PM_VFE_POWER_STATUS:
		reply_plain(r, 16, 0);
		put_le32(r + 12, get_le32(msg + 8) ? m->reset_next : 0);
		if (get_le32(msg + 8))
			m->reset_next = 0;
		return 16;
	case IPC3_PM_CTX_SAVE:
		m->reset_next = 1;
		memset(m->param_comp, 0, sizeof(m->param_comp));
		reply_plain(r, 12, 0);
		return 12;
	case IPC3_TPLG_VFE_GET: {
		uint32_t off = get_le32(msg + 8);
		uint32_t total = m->total_override ? m->total_override : (uint32_t)m->file_size;
		uint32_t n;

		if (m->total_changes && off > 0)
			total += 1;
		if (off > m->file_size) {
			reply_plain(r, 12, -ERANGE);
			return 12;
		}
		n = (uint32_t)m->file_size - off;
		if (n > VADSP_VFE_GET_CHUNK_MAX)
			n = VADSP_VFE_GET_CHUNK_MAX;
		reply_plain(r, 24 + n, 0);
		put_le32(r + 12, total);
		put_le32(r + 16, off);
		put_le32(r + 20, n);
		memcpy(r + 24, m->file + off, n);
		return 24 + n;
	}
	case IPC3_STREAM_PCM_PARAMS: {
		uint32_t comp = get_le32(msg + offsetof(struct ipc3_pcm_params, comp_id));
		uint32_t id = 16;

		for (uint32_t i = 0; i < 16; i++)
			if (m->param_comp[i] == comp)
				id = i;
		if (id < 16 && m->busy_reparams) {
			/* As the engine: parameters only for a stream that has none. */
			reply_plain(r, 12, -EBUSY);
			return 12;
		}
		if (id == 16) {
			id = m->next_stream++ % 16;
			m->param_comp[id] = comp;
		}
		reply_plain(r, 20, 0);
		put_le32(r + 4, IPC3_STREAM_PCM_PARAMS_REPLY);
		put_le32(r + 12, comp);
		put_le32(r + 16, id);
		return 20;
	}
	case IPC3_STREAM_PCM_FREE:
		for (uint32_t i = 0; i < 16; i++)
			if (m->param_comp[i] == get_le32(msg + 8))
				m->param_comp[i] = 0;
		reply_plain(r, 12, 0);
		return 12;
	case IPC3_STREAM_POSITION:
		memset(r, 0, sizeof(struct ipc3_stream_posn));
		reply_plain(r, sizeof(struct ipc3_stream_posn), 0);
		put_le32(r + 4, IPC3_STREAM_POSITION | get_le32(msg + 8));
		put_le32(r + offsetof(struct ipc3_stream_posn, comp_id), get_le32(msg + 8));
		put_le64(r + offsetof(struct ipc3_stream_posn, host_posn), 7680);
		return sizeof(struct ipc3_stream_posn);
	default:
		reply_plain(r, 12, 0);
		return 12;
	}
}

/* Send a position (or xrun) notification of @comp on the event queue. */
static void mock_notify(struct vu_dev *dev, uint32_t cmd, uint32_t comp, uint64_t posn,
			int32_t xrun)
{
	struct vring *vq = vu_dev_queue(dev, VSND_VQ_EVENT);
	struct vring_chain chain;
	uint8_t ev[8 + sizeof(struct ipc3_stream_posn)] = { 0 };
	uint8_t *p = ev + 8;

	if (!vq || vring_dev_pop(vq, &chain) <= 0)
		return;
	put_le32(ev, VADSP_SND_EVT_SOF_IPC);
	put_le32(ev + 4, sizeof(struct ipc3_stream_posn));
	reply_plain(p, sizeof(struct ipc3_stream_posn), 0);
	put_le32(p + 4, cmd | comp);
	put_le32(p + offsetof(struct ipc3_stream_posn, comp_id), comp);
	put_le32(p + offsetof(struct ipc3_stream_posn, wallclock_hz), 1000000000);
	put_le64(p + offsetof(struct ipc3_stream_posn, host_posn), posn);
	put_le32(p + offsetof(struct ipc3_stream_posn, xrun_comp_id), xrun ? comp : 0);
	put_le32(p + offsetof(struct ipc3_stream_posn, xrun_size), (uint32_t)xrun);
	if (chain.in_bytes < sizeof(ev)) {
		vring_dev_push(vq, chain.head, 0);
	} else {
		vring_chain_write(&chain, 0, ev, sizeof(ev));
		vring_dev_push(vq, chain.head, sizeof(ev));
	}
	vu_dev_queue_notify(dev, VSND_VQ_EVENT);
}

static void mock_control(struct mock *m, struct vu_dev *dev, struct vring *vq)
{
	struct vring_chain chain;

	while (vring_dev_pop(vq, &chain) > 0) {
		uint8_t req[4 + IPC3_MSG_MAX_SIZE + 4], resp[4 + IPC3_MSG_MAX_SIZE];
		size_t len = vring_chain_read(&chain, 0, req, sizeof(req));
		uint32_t used = 4, start = 0;

		put_le32(resp, VIRTIO_SND_S_OK);
		if (len < 4 || get_le32(req) != VADSP_SND_R_SOF_IPC) {
			put_le32(resp, VIRTIO_SND_S_NOT_SUPP);
		} else if (len < 12 || len > 4 + IPC3_MSG_MAX_SIZE ||
			   get_le32(req + 4) != len - 4 || chain.in_bytes < 4 + IPC3_MSG_MAX_SIZE) {
			put_le32(resp, VIRTIO_SND_S_BAD_MSG);
		} else {
			used = 4 + mock_ipc(m, req + 4, (uint32_t)len - 4, resp + 4);
			if (ipc3_cmd_base(get_le32(req + 8)) == IPC3_STREAM_TRIG_START)
				start = get_le32(req + 12);
			if (m->bad_reply_size)
				put_le32(resp + 4, get_le32(resp + 4) + 1);
			if (m->status)
				put_le32(resp, m->status);
		}
		vring_chain_write(&chain, 0, resp, used);
		vring_dev_push(vq, chain.head, used);
		vu_dev_queue_notify(dev, VSND_VQ_CONTROL);
		if (start) {
			mock_notify(dev, IPC3_STREAM_POSITION, start, 1920, 0);
			mock_notify(dev, IPC3_STREAM_TRIG_XRUN, start, 1920, -480);
		}
	}
}

/* Audio messages complete at once: S_OK, capture filled with the stream id. */
static void mock_audio(struct mock *m, struct vu_dev *dev, unsigned int idx, struct vring *vq)
{
	struct vring_chain chain;

	while (vring_dev_pop(vq, &chain) > 0) {
		uint8_t hdr[4], status[8] = { 0 };
		uint32_t used = 8;

		vring_chain_read(&chain, 0, hdr, 4);
		put_le32(status, VIRTIO_SND_S_OK);
		if (idx == VSND_VQ_TX) {
			m->tx_stream = get_le32(hdr);
			m->tx_msgs++;
		} else {
			uint8_t fill[PERIOD];

			m->rx_stream = get_le32(hdr);
			m->rx_msgs++;
			memset(fill, (int)get_le32(hdr), sizeof(fill));
			used = chain.in_bytes;
			vring_chain_write(&chain, 0, fill, used - 8 < PERIOD ? used - 8 : PERIOD);
		}
		vring_chain_write(&chain, used - 8, status, 8);
		vring_dev_push(vq, chain.head, used);
	}
	vu_dev_queue_notify(dev, idx);
}

static struct mock *dev_mock(struct vu_dev *dev)
{
	return vu_server_get_data(vu_dev_server(dev));
}

static uint64_t mock_get_features(struct vu_dev *dev)
{
	uint64_t f = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_EVENT_IDX;

	if (!dev_mock(dev)->no_feature)
		f |= 1ull << VADSP_SND_F_SOF_IPC3;
	return f;
}

static int mock_get_config(struct vu_dev *dev, uint32_t offset, uint8_t *buf, uint32_t len)
{
	(void)dev;
	(void)offset;
	memset(buf, 0, len);	/* 0 jacks, streams, chmaps, controls (4.1) */
	return 0;
}

static void mock_kick(struct vu_dev *dev, unsigned int idx)
{
	struct vring *vq = vu_dev_queue(dev, idx);

	if (!vq)
		return;
	if (idx == VSND_VQ_CONTROL)
		mock_control(dev_mock(dev), dev, vq);
	else if (idx == VSND_VQ_TX || idx == VSND_VQ_RX)
		mock_audio(dev_mock(dev), dev, idx, vq);
}

static const struct vu_dev_ops mock_ops = {
	.get_features = mock_get_features,
	.get_config = mock_get_config,
	.queue_kick = mock_kick,
};

static void *mock_main(void *data)
{
	struct mock *m = data;

	vadsp_loop_run(m->loop);
	return NULL;
}

static void load_file(struct mock *m, const char *name)
{
	char path[512];
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", getenv("VADSP_TOPOLOGY_DIR"), name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	m->file = malloc((size_t)n);
	assert_non_null(m->file);
	assert_int_equal(fread(m->file, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	m->file_size = (size_t)n;
}

static struct mock *mock_new(void)
{
	struct mock *m = calloc(1, sizeof(*m));
	struct vu_dev_info info = {
		.name = "mock-sof", .num_queues = VSND_VQ_NUM, .max_queue_size = 1024,
		.config_size = sizeof(struct vsnd_config),
	};

	assert_non_null(m);
	m->magic = VADSP_VFE_MAGIC;
	m->version = VADSP_VFE_VERSION;
	m->reset_next = 1;
	load_file(m, "stereo.tplg");
	m->loop = vadsp_loop_new();
	assert_non_null(m->loop);
	assert_int_equal(vu_server_new(&m->server, &info, &mock_ops, &vadsp_loop_watch_ops,
				       m->loop, m), 0);
	snprintf(m->dir, sizeof(m->dir), "/tmp/vadsp-sofmock-XXXXXX");
	assert_non_null(mkdtemp(m->dir));
	snprintf(m->path, sizeof(m->path), "%s/snd.sock", m->dir);
	assert_int_equal(vu_server_listen(m->server, m->path), 0);
	assert_int_equal(pthread_create(&m->thread, NULL, mock_main, m), 0);
	return m;
}

static void mock_free(struct mock *m)
{
	vadsp_loop_quit(m->loop);
	pthread_join(m->thread, NULL);
	vu_server_free(m->server);
	vadsp_loop_free(m->loop);
	rmdir(m->dir);
	free(m->file);
	free(m);
}

static struct vguest *guest(struct mock *m)
{
	struct vguest_options o = { .sof_ipc3 = true, .timeout_ms = 5000 };
	struct vguest *g;

	assert_int_equal(vguest_connect(&g, m->path, &o), 0);
	return g;
}

static unsigned int count_cmd(const struct mock *m, uint32_t base, unsigned int from)
{
	unsigned int n = 0;

	for (unsigned int i = from; i < m->num_msgs; i++)
		n += ipc3_cmd_base(m->msgs[i].cmd) == base;
	return n;
}

static const struct vguest_sof_params stereo = {
	.rate = 48000, .channels = 2, .frame_fmt = IPC3_FRAME_S16_LE, .period_bytes = PERIOD,
	.periods = 4,
};

/* --- tests */

static void open_runs_the_start_sequence_with_connection_points(void **state)
{
	struct mock *m = mock_new();
	struct vguest *g = guest(m);
	struct vguest_sof *s;
	unsigned int gets, dais = 0, first_tplg;
	const struct tplg *t;

	(void)state;
	assert_true(vguest_card(g)->sof_negotiated);
	assert_int_equal(vguest_card(g)->num_streams, 0);
	assert_int_equal(vguest_sof_open(&s, g), 0);
	assert_int_equal(vguest_sof_ranges(s)->comp_id_base, BASE);
	assert_int_equal(vguest_sof_ranges(s)->max_streams, VADSP_VFE_MAX_STREAMS);
	/* 4.11: COMP_ID, POWER_STATUS {1}, VFE_GET from 0 until n = 0, then the topology. */
	assert_int_equal(m->msgs[0].cmd, IPC3_TPLG_VFE_COMP_ID);
	assert_int_equal(m->msgs[0].size, 8);
	assert_int_equal(m->msgs[1].cmd, IPC3_PM_VFE_POWER_STATUS);
	assert_int_equal(get_le32(m->msgs[1].data + 8), 1);
	gets = (unsigned int)((m->file_size + VADSP_VFE_GET_CHUNK_MAX - 1) /
			      VADSP_VFE_GET_CHUNK_MAX) + 1;
	for (unsigned int i = 0; i < gets; i++) {
		assert_int_equal(m->msgs[2 + i].cmd, IPC3_TPLG_VFE_GET);
		assert_int_equal(m->msgs[2 + i].size, 16);
		assert_int_equal(get_le32(m->msgs[2 + i].data + 8), i * VADSP_VFE_GET_CHUNK_MAX <
				 m->file_size ? i * VADSP_VFE_GET_CHUNK_MAX : m->file_size);
		assert_int_equal(get_le32(m->msgs[2 + i].data + 12), 0);
	}
	first_tplg = 2 + gets;
	t = vguest_sof_tplg(s);
	assert_int_equal(t->size, m->file_size);
	assert_memory_equal(t->data, m->file, m->file_size);
	assert_int_equal(m->num_msgs - first_tplg, vguest_sof_topology_msgs(s));
	assert_true(count_cmd(m, IPC3_TPLG_PIPE_COMPLETE, first_tplg) >= 2);
	for (unsigned int i = first_tplg; i < m->num_msgs; i++) {
		const struct rec *r = &m->msgs[i];
		uint32_t id = get_le32(r->data + 8);

		if (r->cmd == IPC3_TPLG_COMP_NEW || r->cmd == IPC3_TPLG_BUFFER_NEW ||
		    r->cmd == IPC3_TPLG_PIPE_NEW) {
			if (r->cmd == IPC3_TPLG_PIPE_NEW)
				id = get_le32(r->data + offsetof(struct ipc3_pipe_new, comp_id));
			assert_true(id >= BASE && id < BASE + VADSP_VFE_COMP_ID_COUNT);
		}
		if (r->cmd == IPC3_TPLG_COMP_NEW &&
		    get_le32(r->data + offsetof(struct ipc3_comp, type)) == IPC3_COMP_DAI) {
			uint32_t widget = id - BASE;
			uint32_t dir = t->widgets[widget].id == TPLG_DAPM_DAI_IN ? 0 : 1;

			assert_int_equal(get_le32(r->data + offsetof(struct ipc3_comp_dai, type)),
					 VADSP_DAI_CONNECTION_POINT);
			assert_int_equal(get_le32(r->data + offsetof(struct ipc3_comp_dai,
								     direction)), dir);
			/* stereo.tplg: DAI1.OUT (playback) comes before DAI2.IN in the file. */
			assert_int_equal(get_le32(r->data + offsetof(struct ipc3_comp_dai,
								     dai_index)),
					 strcmp(t->widgets[widget].name, "DAI1.OUT") ? 1 : 0);
			dais++;
		}
	}
	assert_int_equal(dais, 2);
	vguest_sof_close(s);
	vguest_close(g);
	mock_free(m);
}

static void open_refuses_a_device_that_is_not_vadsps(void **state)
{
	struct mock *m = mock_new();
	struct vguest *g;
	struct vguest_sof *s;

	(void)state;
	m->magic = 0x12345678;
	g = guest(m);
	assert_int_equal(vguest_sof_open(&s, g), -EPROTO);
	assert_null(s);
	assert_int_equal(m->num_msgs, 1);	/* nothing after VFE_COMP_ID */
	vguest_close(g);
	m->magic = VADSP_VFE_MAGIC;
	m->version = 2;
	g = guest(m);
	assert_int_equal(vguest_sof_open(&s, g), -EPROTO);
	vguest_close(g);
	mock_free(m);
}

static void open_without_the_extension_is_not_supported(void **state)
{
	struct mock *m = mock_new();
	struct vguest_options o = { .sof_ipc3 = false };
	struct vguest *g;
	struct vguest_sof *s;

	(void)state;
	/* Offered but not acknowledged, then not offered at all. */
	assert_int_equal(vguest_connect(&g, m->path, &o), 0);
	assert_false(vguest_card(g)->sof_negotiated);
	assert_int_equal(vguest_sof_open(&s, g), -EOPNOTSUPP);
	vguest_close(g);
	m->no_feature = true;
	g = guest(m);
	assert_false(vguest_card(g)->sof_negotiated);
	assert_int_equal(vguest_sof_open(&s, g), -EOPNOTSUPP);
	vguest_close(g);
	assert_int_equal(m->num_msgs, 0);
	mock_free(m);
}

static void a_topology_that_changes_or_is_too_large_is_refused(void **state)
{
	struct mock *m = mock_new();
	struct vguest *g;
	struct vguest_sof *s;

	(void)state;
	m->total_changes = true;
	g = guest(m);
	assert_int_equal(vguest_sof_open(&s, g), -EPROTO);
	assert_int_equal(count_cmd(m, IPC3_TPLG_COMP_NEW, 0), 0);
	vguest_close(g);
	m->total_changes = false;
	m->total_override = VADSP_VFE_TOPOLOGY_MAX + 1;
	g = guest(m);
	assert_int_equal(vguest_sof_open(&s, g), -EFBIG);
	vguest_close(g);
	/* A file that ends early: the total claims more than VFE_GET ever gives. */
	m->total_override = (uint32_t)m->file_size + 100;
	g = guest(m);
	assert_int_equal(vguest_sof_open(&s, g), -EPROTO);
	vguest_close(g);
	assert_int_equal(count_cmd(m, IPC3_TPLG_COMP_NEW, 0), 0);
	mock_free(m);
}

static void an_ipc_error_stops_the_topology_where_it_happens(void **state)
{
	struct mock *m = mock_new();
	struct vguest *g;
	struct vguest_sof *s;
	unsigned int first;

	(void)state;
	m->fail_cmd = IPC3_TPLG_COMP_CONNECT;
	m->fail_error = -ENOMEM;
	g = guest(m);
	assert_int_equal(vguest_sof_open(&s, g), -ENOMEM);
	/* The first COMP_CONNECT is the last message sent. */
	first = m->num_msgs - 1;
	assert_int_equal(m->msgs[first].cmd, IPC3_TPLG_COMP_CONNECT);
	assert_int_equal(count_cmd(m, IPC3_TPLG_COMP_CONNECT, 0), 1);
	assert_int_equal(count_cmd(m, IPC3_TPLG_PIPE_COMPLETE, 0), 0);
	vguest_close(g);
	mock_free(m);
}

/* An error field that is no errno (INT32_MIN, -4096, positive) is the device's fault. */
static void an_error_field_that_is_no_errno_is_a_protocol_error(void **state)
{
	const int32_t bad[] = { INT32_MIN, -4096, 1 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mock *m = mock_new();
		struct vguest *g;
		struct vguest_sof *s;

		m->fail_cmd = IPC3_TPLG_COMP_CONNECT;
		m->fail_error = bad[i];
		g = guest(m);
		assert_int_equal(vguest_sof_open(&s, g), -EPROTO);
		assert_int_equal(count_cmd(m, IPC3_TPLG_COMP_CONNECT, 0), 1);
		vguest_close(g);
		mock_free(m);
	}
	/* The last errno is still one. */
	{
		struct mock *m = mock_new();
		struct vguest *g;
		struct vguest_sof *s;

		m->fail_cmd = IPC3_TPLG_COMP_CONNECT;
		m->fail_error = -4095;
		g = guest(m);
		assert_int_equal(vguest_sof_open(&s, g), -4095);
		vguest_close(g);
		mock_free(m);
	}
}

/* A status word past INT32_MAX is no errno either: -EPROTO, the word kept as it came. */
static void a_status_word_with_the_top_bit_is_a_protocol_error(void **state)
{
	const uint32_t words[] = { 0x80000000u, 0xffffffffu, 0xfffffff2u };

	(void)state;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		struct mock *m = mock_new();
		struct vguest *g = guest(m);
		struct vguest_sof *s;

		m->status = words[i];
		assert_int_equal(vguest_sof_open(&s, g), -EPROTO);
		assert_int_equal(vguest_last_status(g), words[i]);
		vguest_close(g);
		mock_free(m);
	}
}

static void a_reply_whose_size_disagrees_is_a_protocol_error(void **state)
{
	struct mock *m = mock_new();
	struct vguest *g = guest(m);
	struct vguest_sof *s;

	(void)state;
	m->bad_reply_size = true;
	assert_int_equal(vguest_sof_open(&s, g), -EPROTO);
	vguest_close(g);
	mock_free(m);
}

static void streams_carry_the_id_of_their_pcm_params_reply(void **state)
{
	struct mock *m = mock_new();
	struct vguest *g = guest(m);
	struct vguest_sof *s;
	struct vguest_sof_stream *play, *rec, *again;
	struct vguest_io_done done;
	uint8_t audio[PERIOD] = { 0 };
	const struct rec *r;
	int pcm_p, pcm_c;

	(void)state;
	m->next_stream = 5;
	assert_int_equal(vguest_sof_open(&s, g), 0);
	pcm_p = vguest_sof_pcm_find(s, NULL, TPLG_MODEL_PLAYBACK);
	pcm_c = vguest_sof_pcm_find(s, "Stereo", TPLG_MODEL_CAPTURE);
	assert_int_equal(pcm_p, 0);
	assert_int_equal(pcm_c, 0);
	assert_int_equal(vguest_sof_pcm_find(s, "None", TPLG_MODEL_CAPTURE), -ENOENT);
	assert_int_equal(vguest_sof_stream_open(s, (unsigned int)pcm_p, TPLG_MODEL_PLAYBACK,
						&stereo, &play), 0);
	r = &m->msgs[m->num_msgs - 1];
	assert_int_equal(r->cmd, IPC3_STREAM_PCM_PARAMS);
	assert_int_equal(r->size, sizeof(struct ipc3_pcm_params));
	/* The host component is the PCM's aif_in, PCM0P. */
	assert_string_equal(vguest_sof_tplg(s)->widgets[vguest_sof_stream_comp_id(play) -
							BASE].name, "PCM0P");
	assert_int_equal(get_le32(r->data + 8), vguest_sof_stream_comp_id(play));
#define SP(f) (r->data + offsetof(struct ipc3_pcm_params, params) + \
	       offsetof(struct ipc3_stream_params, f))
	assert_int_equal(get_le32(SP(direction)), IPC3_STREAM_PLAYBACK);
	assert_int_equal(get_le32(SP(rate)), 48000);
	assert_int_equal(get_le16(SP(channels)), 2);
	assert_int_equal(get_le32(SP(host_period_bytes)), PERIOD);
	assert_int_equal(get_le32(SP(buffer.size)), 4 * PERIOD);
	assert_int_equal(get_le32(SP(buffer.pages)), 0);
	assert_int_equal(vguest_sof_stream_id(play), 5);
	assert_int_equal(vguest_sof_stream_open(s, (unsigned int)pcm_c, TPLG_MODEL_CAPTURE,
						&stereo, &rec), 0);
	r = &m->msgs[m->num_msgs - 1];
	assert_int_equal(get_le32(SP(direction)), IPC3_STREAM_CAPTURE);
#undef SP
	assert_string_equal(vguest_sof_tplg(s)->widgets[vguest_sof_stream_comp_id(rec) -
							BASE].name, "PCM0C");
	assert_int_equal(vguest_sof_stream_id(rec), 6);
	/* The same host component twice: refused here, nothing sent. */
	assert_int_equal(vguest_sof_stream_open(s, 0, TPLG_MODEL_PLAYBACK, &stereo, &again),
			 -EBUSY);
	assert_int_equal(vguest_io_submit(vguest_sof_stream_io(play), audio, PERIOD), 0);
	assert_int_equal(vguest_io_reap(vguest_sof_stream_io(play), &done, 5000), 1);
	assert_int_equal(done.status, VIRTIO_SND_S_OK);
	assert_int_equal(m->tx_stream, 5);
	assert_int_equal(vguest_io_submit(vguest_sof_stream_io(rec), NULL, PERIOD), 0);
	assert_int_equal(vguest_io_reap(vguest_sof_stream_io(rec), &done, 5000), 1);
	assert_int_equal(done.status, VIRTIO_SND_S_OK);
	assert_int_equal(done.bytes, PERIOD);
	assert_int_equal(((const uint8_t *)done.data)[PERIOD - 1], 6);
	assert_int_equal(m->rx_stream, 6);
	/* Close: one PCM_FREE per open stream, for its component. */
	vguest_sof_close(s);
	assert_int_equal(count_cmd(m, IPC3_STREAM_PCM_FREE, 0), 2);
	assert_int_equal(m->param_comp[5] | m->param_comp[6], 0);
	vguest_close(g);
	mock_free(m);
}

static void notifications_reach_their_stream(void **state)
{
	struct mock *m = mock_new();
	struct vguest *g = guest(m);
	struct vguest_sof *s;
	struct vguest_sof_stream *play;
	struct vguest_sof_stream_status st;
	struct ipc3_posn posn;
	int taken = 0;

	(void)state;
	assert_int_equal(vguest_sof_open(&s, g), 0);
	assert_int_equal(vguest_sof_stream_open(s, 0, TPLG_MODEL_PLAYBACK, &stereo, &play), 0);
	vguest_sof_stream_status(play, &st);
	assert_false(st.running);
	assert_int_equal(st.positions, 0);
	assert_int_equal(vguest_sof_stream_trigger(play, IPC3_STREAM_TRIG_START), 0);
	while (taken < 2) {
		int n = vguest_sof_events(s, 5000);

		assert_true(n > 0);
		taken += n;
	}
	vguest_sof_stream_status(play, &st);
	assert_true(st.running);
	assert_int_equal(st.positions, 1);
	assert_int_equal(st.posn.comp_id, vguest_sof_stream_comp_id(play));
	assert_int_equal(st.posn.host_posn, 1920);
	assert_int_equal(st.posn.wallclock_hz, 1000000000);
	assert_int_equal(st.xruns, 1);
	assert_int_equal(st.xrun.xrun_size, -480);
	assert_int_equal(st.xrun.xrun_comp_id, vguest_sof_stream_comp_id(play));
	assert_int_equal(vguest_sof_stream_position(play, &posn), 0);
	assert_int_equal(posn.host_posn, 7680);
	/* Recovery from the xrun: a stop and a start, once per xrun notification. */
	assert_int_equal(vguest_sof_stream_recover(play), 1);
	assert_int_equal(m->msgs[m->num_msgs - 2].cmd, IPC3_STREAM_TRIG_STOP);
	assert_int_equal(m->msgs[m->num_msgs - 1].cmd, IPC3_STREAM_TRIG_START);
	assert_int_equal(get_le32(m->msgs[m->num_msgs - 1].data + 8),
			 vguest_sof_stream_comp_id(play));
	assert_int_equal(vguest_sof_stream_recover(play), 0);
	for (taken = 0; taken < 2;) {
		int n = vguest_sof_events(s, 5000);

		assert_true(n > 0);
		taken += n;
	}
	vguest_sof_stream_status(play, &st);
	assert_int_equal(st.xruns, 2);
	assert_int_equal(vguest_sof_stream_recover(play), 1);
	assert_int_equal(vguest_sof_stream_trigger(play, IPC3_STREAM_TRIG_PAUSE), 0);
	vguest_sof_stream_status(play, &st);
	assert_false(st.running);
	assert_int_equal(vguest_sof_stream_trigger(play, IPC3_STREAM_TRIG_DRAIN), -EINVAL);
	vguest_sof_close(s);
	vguest_close(g);
	mock_free(m);
}

static void power_on_after_a_reset_resends_topology_and_parameters(void **state)
{
	struct mock *m = mock_new();
	struct vguest *g = guest(m);
	struct vguest_sof *s;
	struct vguest_sof_stream *play;
	struct vguest_io_done done;
	uint8_t audio[PERIOD] = { 0 };
	uint32_t reset = 9;
	unsigned int mark, nmsgs;

	(void)state;
	assert_int_equal(vguest_sof_open(&s, g), 0);
	nmsgs = vguest_sof_topology_msgs(s);
	assert_int_equal(vguest_sof_stream_open(s, 0, TPLG_MODEL_PLAYBACK, &stereo, &play), 0);
	assert_int_equal(vguest_sof_stream_id(play), 0);
	assert_int_equal(vguest_sof_stream_trigger(play, IPC3_STREAM_TRIG_START), 0);
	/* Off and on without a reset: parameters again (same id), no topology; a device that
	 * answers -EBUSY because the stream kept them is no error. */
	for (int busy = 0; busy < 2; busy++) {
		m->busy_reparams = busy;
		mark = m->num_msgs;
		assert_int_equal(vguest_sof_power(s, false, &reset), 0);
		assert_int_equal(reset, 0);
		assert_int_equal(get_le32(m->msgs[mark].data + 8), 0);
		assert_int_equal(vguest_sof_power(s, true, &reset), 0);
		assert_int_equal(reset, 0);
		assert_int_equal(m->num_msgs - mark, 3);
		assert_int_equal(m->msgs[mark + 2].cmd, IPC3_STREAM_PCM_PARAMS);
		assert_int_equal(vguest_sof_stream_id(play), 0);
	}
	/* A DSP reset: the device forgets; on power-on the topology comes again, then the
	 * parameters, which now get another stream id, which the audio carries. */
	m->next_stream = 9;
	assert_int_equal(vguest_sof_ctx_save(s), 0);
	mark = m->num_msgs;
	assert_int_equal(vguest_sof_power(s, true, &reset), 0);
	assert_int_equal(reset, 1);
	assert_int_equal(m->num_msgs - mark, 1 + nmsgs + 1);
	assert_int_equal(count_cmd(m, IPC3_TPLG_PIPE_COMPLETE, mark),
			 count_cmd(m, IPC3_TPLG_PIPE_NEW, mark));
	assert_int_equal(vguest_sof_stream_id(play), 9);
	assert_int_equal(vguest_io_submit(vguest_sof_stream_io(play), audio, PERIOD), 0);
	assert_int_equal(vguest_io_reap(vguest_sof_stream_io(play), &done, 5000), 1);
	assert_int_equal(m->tx_stream, 9);
	/* An error resending the topology is the power-on's error. */
	m->fail_cmd = IPC3_TPLG_COMP_NEW;
	m->fail_error = -EEXIST;
	m->reset_next = 1;
	assert_int_equal(vguest_sof_power(s, true, &reset), -EEXIST);
	vguest_sof_close(s);
	vguest_close(g);
	mock_free(m);
}

static void parameters_are_chosen_within_the_pcm_caps(void **state)
{
	static const uint32_t s32_first[] = { IPC3_FRAME_FLOAT, IPC3_FRAME_S32_LE };
	struct mock *m = mock_new();
	struct vguest *g = guest(m);
	struct vguest_sof *s;
	struct vguest_sof_params p;
	struct vguest_sof_want w = { 0 };
	char why[160];

	(void)state;
	assert_int_equal(vguest_sof_open(&s, g), 0);
	/* stereo.tplg: 48 kHz stereo, S16_LE or S32_LE. */
	assert_int_equal(vguest_sof_params_choose(s, 0, TPLG_MODEL_PLAYBACK, &w, &p, why,
						  sizeof(why)), 0);
	assert_int_equal(p.rate, 48000);
	assert_int_equal(p.channels, 2);
	assert_int_equal(p.frame_fmt, IPC3_FRAME_S16_LE);
	assert_int_equal(p.period_bytes, 480 * 4);
	assert_int_equal(p.periods, 4);
	w.frame_fmts = s32_first;
	w.num_fmts = 2;
	w.period_us = 5000;
	w.periods = 3;
	assert_int_equal(vguest_sof_params_choose(s, 0, TPLG_MODEL_CAPTURE, &w, &p, why,
						  sizeof(why)), 0);
	assert_int_equal(p.frame_fmt, IPC3_FRAME_S32_LE);
	assert_int_equal(p.period_bytes, 240 * 8);
	assert_int_equal(p.periods, 3);
	w.num_fmts = 1;
	assert_int_equal(vguest_sof_params_choose(s, 0, TPLG_MODEL_CAPTURE, &w, &p, why,
						  sizeof(why)), -ENOTSUP);
	w.num_fmts = 0;
	w.rate = 44100;
	assert_int_equal(vguest_sof_params_choose(s, 0, TPLG_MODEL_CAPTURE, &w, &p, why,
						  sizeof(why)), -ENOTSUP);
	assert_non_null(strstr(why, "44100"));
	w.rate = 0;
	w.channels = 1;
	assert_int_equal(vguest_sof_params_choose(s, 0, TPLG_MODEL_CAPTURE, &w, &p, why,
						  sizeof(why)), -ENOTSUP);
	assert_int_equal(vguest_sof_params_choose(s, 1, TPLG_MODEL_CAPTURE, &w, &p, why,
						  sizeof(why)), -ENOENT);
	vguest_sof_close(s);
	vguest_close(g);
	mock_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_runs_the_start_sequence_with_connection_points),
		cmocka_unit_test(open_refuses_a_device_that_is_not_vadsps),
		cmocka_unit_test(open_without_the_extension_is_not_supported),
		cmocka_unit_test(a_topology_that_changes_or_is_too_large_is_refused),
		cmocka_unit_test(an_ipc_error_stops_the_topology_where_it_happens),
		cmocka_unit_test(an_error_field_that_is_no_errno_is_a_protocol_error),
		cmocka_unit_test(a_status_word_with_the_top_bit_is_a_protocol_error),
		cmocka_unit_test(a_reply_whose_size_disagrees_is_a_protocol_error),
		cmocka_unit_test(streams_carry_the_id_of_their_pcm_params_reply),
		cmocka_unit_test(notifications_reach_their_stream),
		cmocka_unit_test(power_on_after_a_reset_resends_topology_and_parameters),
		cmocka_unit_test(parameters_are_chosen_within_the_pcm_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
