// SPDX-License-Identifier: MIT
/*
 * vhost-user back-end and front-end in two processes over a real unix socket.
 *
 * Each test forks a server process that runs a vu_server with a small echo device (every
 * request made available on a queue is copied into the writable part of the same chain,
 * and a small config space) in an event loop. The test process is the guest: it drives the
 * device through the front-end API. The server process exits with status 0 only when its
 * event loop ended cleanly, which teardown checks.
 *
 * The front-end's own checks of back-end replies are proved against a scripted peer on a
 * socketpair at the end of the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/le.h"
#include "util/log.h"
#include "util/loop.h"
#include "vhost-user/backend.h"
#include "vhost-user/frontend.h"
#include "vu-test-util.h"

/* ------------------------------------------------------------------------------------------
 * The echo device (server process)
 * ------------------------------------------------------------------------------------------ */

#define ECHO_QUEUES		2
#define ECHO_MAX_QUEUE_SIZE	1024
#define ECHO_MAX_REQUEST	4096
/* A device-specific feature bit the echo device offers, and one it does not. */
#define ECHO_F_OFFERED		3
#define ECHO_F_NOT_OFFERED	5
#define ECHO_FEATURES \
	((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_EVENT_IDX) | (1ull << ECHO_F_OFFERED))

/* Config space: le32 fields. MAGIC and CONNECTIONS are read-only, SCRATCH is the driver's. */
#define ECHO_CFG_MAGIC		0
#define ECHO_CFG_CONNECTIONS	4
#define ECHO_CFG_SCRATCH	8
#define ECHO_CFG_SIZE		12
#define ECHO_MAGIC		0x4f484345u

struct echo_conn {
	uint32_t scratch;
};

struct echo_server {
	struct vadsp_loop *loop;
	struct vu_server *srv;
};

static int echo_connect(struct vu_dev *dev)
{
	struct echo_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	vu_dev_set_priv(dev, c);
	return 0;
}

static void echo_disconnect(struct vu_dev *dev)
{
	free(vu_dev_get_priv(dev));
	vu_dev_set_priv(dev, NULL);
}

static uint64_t echo_get_features(struct vu_dev *dev)
{
	return ECHO_FEATURES;
}

static int echo_set_features(struct vu_dev *dev, uint64_t features)
{
	return 0;
}

static int echo_get_config(struct vu_dev *dev, uint32_t offset, uint8_t *buf, uint32_t len)
{
	struct echo_conn *c = vu_dev_get_priv(dev);
	uint8_t cfg[ECHO_CFG_SIZE];

	if (offset > sizeof(cfg) || len > sizeof(cfg) - offset)
		return -EINVAL;
	put_le32(cfg + ECHO_CFG_MAGIC, ECHO_MAGIC);
	put_le32(cfg + ECHO_CFG_CONNECTIONS, vu_server_connections(vu_dev_server(dev)));
	put_le32(cfg + ECHO_CFG_SCRATCH, c->scratch);
	memcpy(buf, cfg + offset, len);
	return 0;
}

static int echo_set_config(struct vu_dev *dev, uint32_t offset, const uint8_t *buf,
			   uint32_t len)
{
	struct echo_conn *c = vu_dev_get_priv(dev);

	if (offset != ECHO_CFG_SCRATCH || len != 4)
		return -EPERM;
	c->scratch = get_le32(buf);
	return 0;
}

static void echo_kick(struct vu_dev *dev, unsigned int idx)
{
	static uint8_t data[ECHO_MAX_REQUEST];

	if (vut_echo_queue(dev, idx, data, sizeof(data)) < 0)
		vu_dev_fail(dev, "echo queue broken");
}

static const struct vu_dev_ops echo_ops = {
	.connect = echo_connect,
	.disconnect = echo_disconnect,
	.get_features = echo_get_features,
	.set_features = echo_set_features,
	.get_config = echo_get_config,
	.set_config = echo_set_config,
	.queue_kick = echo_kick,
};

static const struct vu_dev_info echo_info = {
	.name = "echo",
	.num_queues = ECHO_QUEUES,
	.max_queue_size = ECHO_MAX_QUEUE_SIZE,
	.config_size = ECHO_CFG_SIZE,
};

static void on_quit(void *data, int fd, uint32_t events)
{
	struct echo_server *s = data;

	vadsp_loop_quit(s->loop);
}

/* The server process: serve @path until @quit_fd hangs up; tell @ready_fd once listening. */
static int echo_server_main(const char *path, int ready_fd, int quit_fd)
{
	struct echo_server s = { 0 };
	int ret, status = 1;

	signal(SIGPIPE, SIG_IGN);
	s.loop = vadsp_loop_new();
	if (!s.loop)
		return 1;
	ret = vu_server_new(&s.srv, &echo_info, &echo_ops, &vadsp_loop_watch_ops, s.loop, &s);
	if (ret < 0)
		goto out;
	ret = vu_server_listen(s.srv, path);
	if (ret < 0)
		goto out;
	ret = vadsp_loop_add(s.loop, quit_fd, VADSP_LOOP_IN, on_quit, &s);
	if (ret < 0)
		goto out;
	if (write(ready_fd, "R", 1) != 1)
		goto out;
	ret = vadsp_loop_run(s.loop);
	vadsp_loop_del(s.loop, quit_fd);
	if (ret >= 0)
		status = 0;
out:
	if (s.srv)
		vu_server_free(s.srv);
	vadsp_loop_free(s.loop);
	close(ready_fd);
	close(quit_fd);
	return status;
}

/* ------------------------------------------------------------------------------------------
 * Fixture: a server process per test
 * ------------------------------------------------------------------------------------------ */

struct fixture {
	char dir[64];
	char path[96];
	pid_t server;
	int quit_fd;
};

static int setup_server(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int ready[2], quit[2];
	struct pollfd pfd;
	char byte;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/vadsp-vu-test.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/sock", f->dir);
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(quit, O_CLOEXEC) < 0)
		return -1;
	f->server = fork();
	if (f->server < 0)
		return -1;
	if (f->server == 0) {
		char path[sizeof(f->path)];

		/* The server process keeps nothing of the test's but what it serves. */
		close(ready[0]);
		close(quit[1]);
		memcpy(path, f->path, sizeof(path));
		free(f);
		exit(echo_server_main(path, ready[1], quit[0]));
	}
	close(ready[1]);
	close(quit[0]);
	f->quit_fd = quit[1];
	pfd = (struct pollfd) { .fd = ready[0], .events = POLLIN };
	if (poll(&pfd, 1, 10000) != 1 || read(ready[0], &byte, 1) != 1) {
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	*state = f;
	return 0;
}

static int teardown_server(void **state)
{
	struct fixture *f = *state;
	int status = -1;

	close(f->quit_fd);
	if (waitpid(f->server, &status, 0) != f->server)
		return -1;
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	/* The server must have survived everything the test sent it. */
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "server process ended with status %#x\n", status);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * Guest helpers
 * ------------------------------------------------------------------------------------------ */

#define GUEST_MEM	(1u << 20)
#define GUEST_SLOTS	64
#define SLOT_BYTES	512
#define WAIT_MS		5000

struct guest {
	struct vu_front *fe;
	struct vu_front_buf req[GUEST_SLOTS];
	struct vu_front_buf resp[GUEST_SLOTS];
	uint32_t seq[GUEST_SLOTS];	/* request number each slot carries */
	bool busy[GUEST_SLOTS];
	uint32_t next_seq;		/* number of the next request */
};

static uint32_t req_len(uint32_t seq)
{
	return 1 + (seq * 37u) % SLOT_BYTES;
}

static uint8_t req_byte(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 131u + i * 7u + (seq >> 8));
}

/*
 * Connect, negotiate, create @mem bytes of guest memory in @nregions regions, allocate the
 * slots and start every queue with @qsize entries; 0 on success.
 */
static int guest_open_mem(struct guest *g, const char *path, uint64_t mem, unsigned int nregions,
			  unsigned int qsize)
{
	unsigned int i;
	int ret;

	memset(g, 0, sizeof(*g));
	ret = vu_front_connect(&g->fe, path);
	if (ret < 0)
		return ret;
	ret = vu_front_negotiate(g->fe, (1ull << VIRTIO_F_VERSION_1) |
				 (1ull << VIRTIO_F_EVENT_IDX), VU_FRONT_DEFAULT_PROTOCOL_FEATURES);
	if (ret < 0)
		return ret;
	ret = vu_front_mem_create(g->fe, mem, nregions);
	if (ret < 0)
		return ret;
	for (i = 0; i < GUEST_SLOTS; i++) {
		ret = vu_front_alloc(g->fe, SLOT_BYTES, 0, &g->req[i]);
		if (ret < 0)
			return ret;
		ret = vu_front_alloc(g->fe, SLOT_BYTES, 0, &g->resp[i]);
		if (ret < 0)
			return ret;
	}
	for (i = 0; i < ECHO_QUEUES; i++) {
		ret = vu_front_queue_start(g->fe, i, qsize);
		if (ret < 0)
			return ret;
	}
	return vu_front_set_status(g->fe, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
				   VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

static void guest_open(struct guest *g, const char *path, unsigned int nregions,
		       unsigned int qsize)
{
	assert_int_equal(guest_open_mem(g, path, GUEST_MEM, nregions, qsize), 0);
}

static void guest_close(struct guest *g)
{
	vu_front_close(g->fe);
	g->fe = NULL;
}

/* Make request @seq available in a free slot; returns the slot, -ENOSPC when full. */
static int guest_add(struct guest *g, unsigned int q)
{
	struct vring_buf out, in;
	uint32_t seq = g->next_seq, len = req_len(seq), i;
	int slot, ret;

	for (slot = 0; slot < GUEST_SLOTS && g->busy[slot]; slot++)
		;
	if (slot == GUEST_SLOTS)
		return -ENOSPC;
	for (i = 0; i < len; i++)
		((uint8_t *)g->req[slot].host)[i] = req_byte(seq, i);
	memset(g->resp[slot].host, 0, SLOT_BYTES);
	out = (struct vring_buf) { .gpa = g->req[slot].gpa, .len = len };
	in = (struct vring_buf) { .gpa = g->resp[slot].gpa, .len = SLOT_BYTES };
	ret = vu_front_queue_add(g->fe, q, &out, 1, &in, 1, (void *)(uintptr_t)(slot + 1));
	if (ret < 0)
		return ret;
	g->busy[slot] = true;
	g->seq[slot] = seq;
	g->next_seq++;
	return slot;
}

/* Check one completed request: 0 when its echo is exact, -EBADMSG otherwise. */
static int guest_check(struct guest *g, void *token, uint32_t len)
{
	uintptr_t slot = (uintptr_t)token - 1;
	uint32_t seq, want, i;
	const uint8_t *resp;

	if (slot >= GUEST_SLOTS || !g->busy[slot])
		return -EBADMSG;
	seq = g->seq[slot];
	want = req_len(seq);
	resp = g->resp[slot].host;
	g->busy[slot] = false;
	if (len != want)
		return -EBADMSG;
	for (i = 0; i < want; i++)
		if (resp[i] != req_byte(seq, i))
			return -EBADMSG;
	for (; i < SLOT_BYTES; i++)
		if (resp[i] != 0)
			return -EBADMSG;
	return 0;
}

/* Reap and check @n completions on queue @q, waiting for the call fd in between. */
static int guest_reap(struct guest *g, unsigned int q, unsigned int n)
{
	int ret;

	while (n > 0) {
		uint32_t len;
		void *token = vu_front_queue_get_used(g->fe, q, &len);

		if (token) {
			ret = guest_check(g, token, len);
			if (ret < 0)
				return ret;
			n--;
			continue;
		}
		ret = vu_front_queue_wait(g->fe, q, WAIT_MS);
		if (ret == 0)
			return -ETIMEDOUT;
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * Send @count requests on queue @q, as many at a time as the ring takes (at most @batch),
 * kick, and reap and check every echo. Returns 0 or -errno, without cmocka asserts so that
 * a child process can use it too.
 */
static int guest_round_trips(struct guest *g, unsigned int q, unsigned int count,
			     unsigned int batch)
{
	unsigned int sent = 0, done = 0;
	int ret;

	while (done < count) {
		unsigned int added = 0;

		while (sent < count && added < batch) {
			ret = guest_add(g, q);
			if (ret == -ENOSPC)
				break;
			if (ret < 0)
				return ret;
			sent++;
			added++;
		}
		if (added == 0)
			return -ENOSPC;
		ret = vu_front_queue_kick(g->fe, q);
		if (ret < 0)
			return ret;
		ret = guest_reap(g, q, added);
		if (ret < 0)
			return ret;
		done += added;
	}
	return 0;
}

static uint32_t guest_config_u32(struct guest *g, uint32_t offset)
{
	uint8_t buf[4];

	assert_int_equal(vu_front_get_config(g->fe, offset, buf, sizeof(buf)), 0);
	return get_le32(buf);
}

/* Read the server's connection count through @g until it is @want (bounded wait). */
static void wait_connections(struct guest *g, uint32_t want)
{
	struct timespec pause = { .tv_nsec = 10 * 1000 * 1000 };
	uint32_t n = 0;
	int i;

	for (i = 0; i < 500; i++) {
		n = guest_config_u32(g, ECHO_CFG_CONNECTIONS);
		if (n == want)
			return;
		nanosleep(&pause, NULL);
	}
	assert_int_equal(n, want);
}

/* ------------------------------------------------------------------------------------------
 * Handshake, config, status
 * ------------------------------------------------------------------------------------------ */

static void test_handshake_acknowledges_intersection_of_features(void **state)
{
	struct fixture *f = *state;
	struct vu_front *fe;
	uint64_t want = (1ull << VIRTIO_F_VERSION_1) | (1ull << ECHO_F_OFFERED) |
			(1ull << ECHO_F_NOT_OFFERED);
	uint64_t proto;

	assert_int_equal(vu_front_connect(&fe, f->path), 0);
	assert_int_equal(vu_front_negotiate(fe, want, VU_FRONT_DEFAULT_PROTOCOL_FEATURES), 0);

	/* The library adds bit 30 to what the device offers. */
	assert_int_equal(vu_front_offered_features(fe),
			 ECHO_FEATURES | (1ull << VHOST_USER_F_PROTOCOL_FEATURES));
	assert_int_equal(vu_front_features(fe),
			 (1ull << VIRTIO_F_VERSION_1) | (1ull << ECHO_F_OFFERED) |
			 (1ull << VHOST_USER_F_PROTOCOL_FEATURES));

	proto = vu_front_protocol_features(fe);
	assert_true(proto & (1ull << VHOST_USER_PROTOCOL_F_REPLY_ACK));
	assert_true(proto & (1ull << VHOST_USER_PROTOCOL_F_CONFIG));
	assert_true(proto & (1ull << VHOST_USER_PROTOCOL_F_MQ));
	/* Nothing that was not asked for. */
	assert_int_equal(proto & ~VU_FRONT_DEFAULT_PROTOCOL_FEATURES, 0);
	assert_int_equal(vu_front_queue_num(fe), ECHO_QUEUES);

	/* A second negotiation on the same front-end is refused locally. */
	assert_int_equal(vu_front_negotiate(fe, want, 0), -EALREADY);
	vu_front_close(fe);
}

static void test_handshake_without_protocol_features_still_serves(void **state)
{
	struct fixture *f = *state;
	struct guest g = { 0 };

	/* Protocol features negotiated as none: no REPLY_ACK, no CONFIG, no MQ. */
	assert_int_equal(vu_front_connect(&g.fe, f->path), 0);
	assert_int_equal(vu_front_negotiate(g.fe, 1ull << VIRTIO_F_VERSION_1, 0), 0);
	assert_int_equal(vu_front_protocol_features(g.fe), 0);
	assert_int_equal(vu_front_queue_num(g.fe), 0);
	assert_int_equal(vu_front_get_config(g.fe, 0, &(uint32_t){ 0 }, 4), -EOPNOTSUPP);
	assert_int_equal(vu_front_mem_create(g.fe, GUEST_MEM, 1), 0);
	for (unsigned int i = 0; i < GUEST_SLOTS; i++) {
		assert_int_equal(vu_front_alloc(g.fe, SLOT_BYTES, 0, &g.req[i]), 0);
		assert_int_equal(vu_front_alloc(g.fe, SLOT_BYTES, 0, &g.resp[i]), 0);
	}
	assert_int_equal(vu_front_queue_start(g.fe, 0, 64), 0);
	assert_int_equal(guest_round_trips(&g, 0, 200, 8), 0);
	guest_close(&g);
}

static void test_config_space_reads_device_fields_and_takes_driver_writes(void **state)
{
	struct fixture *f = *state;
	struct guest g;
	uint8_t cfg[ECHO_CFG_SIZE], val[4];

	guest_open(&g, f->path, 1, 64);
	assert_int_equal(vu_front_get_config(g.fe, 0, cfg, sizeof(cfg)), 0);
	assert_int_equal(get_le32(cfg + ECHO_CFG_MAGIC), ECHO_MAGIC);
	assert_int_equal(get_le32(cfg + ECHO_CFG_CONNECTIONS), 1);
	assert_int_equal(get_le32(cfg + ECHO_CFG_SCRATCH), 0);

	put_le32(val, 0xa5c3e1f0u);
	assert_int_equal(vu_front_set_config(g.fe, ECHO_CFG_SCRATCH, val, 4), 0);
	assert_int_equal(guest_config_u32(&g, ECHO_CFG_SCRATCH), 0xa5c3e1f0u);

	/* The device refuses to have its magic written: REPLY_ACK carries the failure. */
	assert_int_equal(vu_front_set_config(g.fe, ECHO_CFG_MAGIC, val, 4), -EIO);
	assert_int_equal(guest_config_u32(&g, ECHO_CFG_MAGIC), ECHO_MAGIC);

	/* Beyond the config space: refused, and the connection keeps working. */
	assert_int_equal(vu_front_get_config(g.fe, ECHO_CFG_SIZE, val, 4), -EIO);
	assert_int_equal(guest_config_u32(&g, ECHO_CFG_MAGIC), ECHO_MAGIC);
	guest_close(&g);
}

static void test_status_reads_back_what_the_driver_set(void **state)
{
	struct fixture *f = *state;
	struct guest g;
	uint8_t status = 0;

	guest_open(&g, f->path, 1, 64);
	assert_int_equal(vu_front_get_status(g.fe, &status), 0);
	assert_int_equal(status, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			 VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	assert_int_equal(guest_round_trips(&g, 0, 10, 4), 0);
	guest_close(&g);
}

/* ------------------------------------------------------------------------------------------
 * Queues
 * ------------------------------------------------------------------------------------------ */

static void test_requests_round_trip_with_data_intact(void **state)
{
	struct fixture *f = *state;
	struct guest g;

	guest_open(&g, f->path, 1, 256);
	/* One at a time, then many at once, on both queues. */
	assert_int_equal(guest_round_trips(&g, 0, 100, 1), 0);
	assert_int_equal(guest_round_trips(&g, 0, 2000, GUEST_SLOTS), 0);
	assert_int_equal(guest_round_trips(&g, 1, 500, 16), 0);
	guest_close(&g);
}

static void test_full_ring_and_index_wrap_round_trip_across_two_regions(void **state)
{
	struct fixture *f = *state;
	struct guest g;
	unsigned int added = 0;
	uint16_t base = 0;
	int ret;

	/*
	 * 96 KiB announced as two regions of 48 KiB: the slots (64 KiB) begin in the first
	 * region and end in the second, where the rings are too.
	 */
	assert_int_equal(guest_open_mem(&g, f->path, 96 << 10, 2, 16), 0);
	assert_true(g.req[0].gpa < (48 << 10));
	assert_true(g.resp[GUEST_SLOTS - 1].gpa >= (48 << 10));
	assert_true(vu_front_queue(g.fe, 0)->desc_gpa >= (48 << 10));

	/* Two descriptors per request: a ring of 16 takes 8, the 9th does not fit. */
	while ((ret = guest_add(&g, 0)) >= 0)
		added++;
	assert_int_equal(ret, -ENOSPC);
	assert_int_equal(added, 8);
	assert_int_equal(vu_front_queue_kick(g.fe, 0), 1);
	assert_int_equal(guest_reap(&g, 0, added), 0);

	/* Past 65536 requests: the 16-bit avail and used indices wrap. */
	assert_int_equal(guest_round_trips(&g, 0, 70000 - 8, GUEST_SLOTS), 0);
	assert_int_equal(vu_front_queue_stop(g.fe, 0, &base), 0);
	assert_int_equal(base, 70000 % 65536);
	assert_int_equal(vu_front_queue(g.fe, 0)->last_used_idx, 70000 % 65536);
	guest_close(&g);
}

static void test_stop_returns_ring_index_and_queue_resumes(void **state)
{
	struct fixture *f = *state;
	struct guest g;
	uint16_t base = 0;
	int ret;

	guest_open(&g, f->path, 1, 32);
	assert_int_equal(guest_round_trips(&g, 0, 1234, 8), 0);
	assert_int_equal(vu_front_queue_stop(g.fe, 0, &base), 0);
	assert_int_equal(base, 1234);
	/* Queue 1 is untouched by the stop of queue 0. */
	assert_int_equal(guest_round_trips(&g, 1, 10, 4), 0);

	/* Resume: the back-end continues from the index it returned. */
	assert_int_equal(vu_front_queue_start(g.fe, 0, 32), 0);
	assert_int_equal(guest_round_trips(&g, 0, 100, 8), 0);
	assert_int_equal(vu_front_queue_stop(g.fe, 0, &base), 0);
	assert_int_equal(base, 1334);

	/* Requests made available and kicked while stopped are not consumed... */
	assert_true(guest_add(&g, 0) >= 0);
	assert_true(guest_add(&g, 0) >= 0);
	assert_int_equal(vu_front_queue_kick(g.fe, 0), 1);
	/* (The first wait may see a stale call from before the stop.) */
	do {
		ret = vu_front_queue_wait(g.fe, 0, 100);
		assert_null(vu_front_queue_get_used(g.fe, 0, NULL));
	} while (ret == 1);
	assert_int_equal(ret, 0);
	/* ...until the queue is started again. */
	assert_int_equal(vu_front_queue_start(g.fe, 0, 32), 0);
	assert_int_equal(guest_reap(&g, 0, 2), 0);
	assert_int_equal(vu_front_queue_stop(g.fe, 0, &base), 0);
	assert_int_equal(base, 1336);
	guest_close(&g);
}

static void test_reset_device_forgets_queues_and_fresh_rings_work(void **state)
{
	struct fixture *f = *state;
	struct guest g;
	uint16_t base = 0;
	uint8_t status = 0xff;

	guest_open(&g, f->path, 1, 64);
	assert_int_equal(guest_round_trips(&g, 0, 300, 16), 0);
	assert_int_equal(vu_front_reset_device(g.fe), 0);
	assert_null(vu_front_queue(g.fe, 0));
	assert_int_equal(vu_front_get_status(g.fe, &status), 0);
	assert_int_equal(status, 0);
	assert_int_equal(vu_front_queue_start(g.fe, 0, 128), 0);
	assert_int_equal(guest_round_trips(&g, 0, 300, 16), 0);
	assert_int_equal(vu_front_queue_stop(g.fe, 0, &base), 0);
	/* Counted from the fresh ring, not from before the reset. */
	assert_int_equal(base, 300);
	guest_close(&g);
}

/* ------------------------------------------------------------------------------------------
 * Connections
 * ------------------------------------------------------------------------------------------ */

static void test_reconnect_after_disconnect_is_served(void **state)
{
	struct fixture *f = *state;
	struct guest g;
	int i;

	for (i = 0; i < 5; i++) {
		guest_open(&g, f->path, (unsigned int)(i % 2) + 1, 64);
		/* The previous connection is gone before this one is counted alone. */
		wait_connections(&g, 1);
		assert_int_equal(guest_round_trips(&g, 0, 200, 16), 0);
		guest_close(&g);
	}
}

static void test_two_front_ends_are_served_at_the_same_time(void **state)
{
	struct fixture *f = *state;
	struct guest a, b;
	int i;

	guest_open(&a, f->path, 1, 64);
	guest_open(&b, f->path, 2, 128);
	assert_int_equal(guest_config_u32(&a, ECHO_CFG_CONNECTIONS), 2);
	for (i = 0; i < 20; i++) {
		assert_int_equal(guest_round_trips(&a, 0, 50, 16), 0);
		assert_int_equal(guest_round_trips(&b, 0, 50, 32), 0);
		assert_int_equal(guest_round_trips(&b, 1, 10, 4), 0);
	}
	/* Requests outstanding on both connections at once. */
	for (i = 0; i < 8; i++) {
		assert_true(guest_add(&a, 0) >= 0);
		assert_true(guest_add(&b, 0) >= 0);
	}
	assert_true(vu_front_queue_kick(a.fe, 0) >= 0);
	assert_true(vu_front_queue_kick(b.fe, 0) >= 0);
	assert_int_equal(guest_reap(&b, 0, 8), 0);
	assert_int_equal(guest_reap(&a, 0, 8), 0);
	guest_close(&a);
	guest_close(&b);
}

static void test_closing_one_front_end_mid_stream_leaves_the_other_working(void **state)
{
	struct fixture *f = *state;
	struct guest a, b;
	int i;

	guest_open(&a, f->path, 1, 64);
	guest_open(&b, f->path, 1, 64);
	assert_int_equal(guest_round_trips(&a, 0, 100, 16), 0);
	assert_int_equal(guest_round_trips(&b, 0, 100, 16), 0);

	/* A leaves with requests in flight and its memory unmapped under the device. */
	for (i = 0; i < 16; i++)
		assert_true(guest_add(&a, 0) >= 0);
	assert_true(vu_front_queue_kick(a.fe, 0) >= 0);
	guest_close(&a);

	assert_int_equal(guest_round_trips(&b, 0, 1000, 16), 0);
	wait_connections(&b, 1);
	assert_int_equal(guest_round_trips(&b, 0, 1000, 16), 0);
	guest_close(&b);
}

/* A guest process that runs round trips until killed; it writes to @progress_fd once. */
static int busy_guest_main(const char *path, int progress_fd)
{
	struct guest g;

	if (guest_open_mem(&g, path, GUEST_MEM, 1, 64) < 0)
		return 1;
	if (guest_round_trips(&g, 0, 100, 16) < 0)
		return 1;
	if (write(progress_fd, "P", 1) != 1)
		return 1;
	for (;;) {
		if (guest_round_trips(&g, 0, 100, 16) < 0)
			return 1;
	}
}

static void test_killed_front_end_process_leaves_the_other_working(void **state)
{
	struct fixture *f = *state;
	struct guest b;
	int progress[2], status;
	struct pollfd pfd;
	pid_t pid;
	char byte;

	guest_open(&b, f->path, 1, 64);
	assert_int_equal(pipe2(progress, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(progress[0]);
		vu_front_close(b.fe);
		_exit(busy_guest_main(f->path, progress[1]));
	}
	close(progress[1]);
	pfd = (struct pollfd) { .fd = progress[0], .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	assert_int_equal(read(progress[0], &byte, 1), 1);
	close(progress[0]);

	/* Both guests are busy now; the other one dies mid-stream. */
	assert_int_equal(guest_round_trips(&b, 0, 200, 16), 0);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	assert_int_equal(guest_round_trips(&b, 0, 1000, 16), 0);
	wait_connections(&b, 1);
	assert_int_equal(guest_round_trips(&b, 1, 100, 16), 0);
	guest_close(&b);
}

/* ------------------------------------------------------------------------------------------
 * Hostile messages through the raw API
 * ------------------------------------------------------------------------------------------ */

enum reaction {
	REACTION_ERROR_REPLY,
	REACTION_DROPPED,
};

/*
 * Send a message from @fe and see how the back-end reacts. Anything but an error reply to
 * this very request or a closed connection fails the test.
 */
static enum reaction send_hostile(struct vu_front *fe, uint32_t request, uint32_t size,
				  const void *payload, size_t len)
{
	struct vu_msg_hdr hdr = {
		.request = request,
		.flags = VHOST_USER_VERSION | VHOST_USER_NEED_REPLY,
		.size = size,
	};
	struct vu_front_msg reply;
	int ret;

	ret = vu_front_send_raw(fe, &hdr, payload, len, NULL, 0);
	if (ret == -EPIPE || ret == -ECONNRESET)
		return REACTION_DROPPED;
	assert_int_equal(ret, 0);
	ret = vu_front_recv_raw(fe, &reply, WAIT_MS);
	if (ret == -ECONNRESET)
		return REACTION_DROPPED;
	assert_int_equal(ret, 8);
	assert_int_equal(reply.nfds, 0);
	assert_int_equal(reply.hdr.request, request);
	assert_true(reply.hdr.flags & VHOST_USER_REPLY);
	assert_int_not_equal(get_le64(reply.payload), 0);
	return REACTION_ERROR_REPLY;
}

/*
 * Two guests; the first sends a hostile message (@size in the header, @len bytes of
 * @payload, no fds). Then the second is still served, and the first is either closed or
 * refused the request and still answers in step.
 */
static enum reaction hostile_case(struct fixture *f, uint32_t request, uint32_t size,
				  const void *payload, size_t len)
{
	struct guest a, b;
	enum reaction r;

	guest_open(&a, f->path, 1, 64);
	guest_open(&b, f->path, 1, 64);
	r = send_hostile(a.fe, request, size, payload, len);
	assert_int_equal(guest_round_trips(&b, 0, 500, 16), 0);
	if (r == REACTION_DROPPED) {
		uint8_t byte;
		ssize_t n = recv(vu_front_fd(a.fe), &byte, 1, 0);

		/* The back-end closed its end: end of file, or a reset if data was unread. */
		assert_true(n == 0 || (n < 0 && errno == ECONNRESET));
		wait_connections(&b, 1);
	} else {
		wait_connections(&b, 2);
		assert_int_equal(guest_config_u32(&a, ECHO_CFG_MAGIC), ECHO_MAGIC);
	}
	assert_int_equal(guest_round_trips(&b, 1, 100, 16), 0);
	guest_close(&a);
	guest_close(&b);
	return r;
}

static void test_hostile_unknown_request_is_refused_and_others_keep_working(void **state)
{
	assert_int_equal(hostile_case(*state, 0x7777, 0, NULL, 0), REACTION_ERROR_REPLY);
}

static void test_hostile_wrong_payload_size_is_refused_and_others_keep_working(void **state)
{
	uint8_t half_state[4];

	/* SET_VRING_NUM takes 8 bytes ({index, num}); send 4. */
	put_le32(half_state, 0);
	assert_int_equal(hostile_case(*state, VHOST_USER_SET_VRING_NUM, sizeof(half_state),
				      half_state, sizeof(half_state)), REACTION_ERROR_REPLY);
}

static void test_hostile_oversized_payload_drops_only_that_connection(void **state)
{
	uint8_t junk[512];

	/* A header announcing 1 MiB of payload for SET_FEATURES, followed by some bytes. */
	memset(junk, 0xee, sizeof(junk));
	assert_int_equal(hostile_case(*state, VHOST_USER_SET_FEATURES, 1u << 20, junk,
				      sizeof(junk)), REACTION_DROPPED);
}

static void test_hostile_kick_without_fd_is_refused_and_others_keep_working(void **state)
{
	uint8_t idx[8];

	/* Queue 0 without VHOST_USER_VRING_NOFD, and no descriptor attached. */
	put_le64(idx, 0);
	assert_int_equal(hostile_case(*state, VHOST_USER_SET_VRING_KICK, sizeof(idx), idx,
				      sizeof(idx)), REACTION_ERROR_REPLY);
}

static void test_hostile_mem_table_without_fd_is_refused_and_others_keep_working(void **state)
{
	struct vu_mem_table table;
	uint32_t size = offsetof(struct vu_mem_table, regions) + sizeof(struct vu_mem_region);

	memset(&table, 0, sizeof(table));
	table.nregions = cpu_to_le32(1);
	table.regions[0].size = cpu_to_le64(1u << 20);
	table.regions[0].uva = cpu_to_le64(0x7f0000000000ull);
	assert_int_equal(hostile_case(*state, VHOST_USER_SET_MEM_TABLE, size, &table, size),
			 REACTION_ERROR_REPLY);
}

static void test_hostile_descriptor_outside_memory_drops_only_that_guest(void **state)
{
	struct fixture *f = *state;
	struct guest a, b;
	struct vring_buf out = { .gpa = 16ull << 30, .len = 64 };
	struct vring_buf in;
	int ret;

	guest_open(&a, f->path, 1, 64);
	guest_open(&b, f->path, 1, 64);
	in = (struct vring_buf) { .gpa = a.resp[0].gpa, .len = SLOT_BYTES };
	assert_true(vu_front_queue_add(a.fe, 0, &out, 1, &in, 1, (void *)1) >= 0);
	assert_int_equal(vu_front_queue_kick(a.fe, 0), 1);
	/* The device gives up on this guest: its connection ends, nothing is completed. */
	do {
		ret = vu_front_queue_wait(a.fe, 0, WAIT_MS);
		assert_null(vu_front_queue_get_used(a.fe, 0, NULL));
	} while (ret == 1);
	assert_int_equal(ret, -ECONNRESET);
	assert_int_equal(guest_round_trips(&b, 0, 500, 16), 0);
	wait_connections(&b, 1);
	guest_close(&a);
	guest_close(&b);
}

/* ------------------------------------------------------------------------------------------
 * The front-end's checks of replies, against a scripted peer
 * ------------------------------------------------------------------------------------------ */

/* A front-end whose peer end is returned in @peer; replies are queued there in advance. */
static struct vu_front *scripted_front(int *peer)
{
	struct vu_front *fe;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(vu_front_new_fd(&fe, sv[0]), 0);
	vu_front_set_reply_timeout(fe, 200);
	*peer = sv[1];
	return fe;
}

static void queue_reply(int peer, uint32_t request, uint32_t flags, uint32_t size,
			const void *payload, size_t len)
{
	uint8_t msg[12 + 512];

	assert_true(len <= 512);
	put_le32(msg, request);
	put_le32(msg + 4, flags);
	put_le32(msg + 8, size);
	if (len)
		memcpy(msg + 12, payload, len);
	assert_int_equal(send(peer, msg, 12 + len, 0), (ssize_t)(12 + len));
}

/* Read what the front-end sent and check that it is a well-formed @request. */
static void expect_request(int peer, uint32_t request)
{
	uint8_t hdr[12], payload[VHOST_USER_MAX_PAYLOAD];
	uint32_t size;

	assert_int_equal(recv(peer, hdr, sizeof(hdr), MSG_WAITALL), 12);
	assert_int_equal(get_le32(hdr), request);
	assert_int_equal(get_le32(hdr + 4) & VHOST_USER_VERSION_MASK, VHOST_USER_VERSION);
	size = get_le32(hdr + 8);
	assert_true(size <= sizeof(payload));
	if (size)
		assert_int_equal(recv(peer, payload, size, MSG_WAITALL), (ssize_t)size);
}

#define REPLY_FLAGS (VHOST_USER_VERSION | VHOST_USER_REPLY)

static void test_front_end_rejects_reply_with_wrong_request_code(void **state)
{
	uint8_t val[8];
	struct vu_front *fe;
	int peer;

	fe = scripted_front(&peer);
	put_le64(val, 1ull << VHOST_USER_F_PROTOCOL_FEATURES);
	queue_reply(peer, VHOST_USER_GET_PROTOCOL_FEATURES, REPLY_FLAGS, 8, val, 8);
	assert_int_equal(vu_front_negotiate(fe, ~0ull, ~0ull), -EPROTO);
	expect_request(peer, VHOST_USER_GET_FEATURES);
	/* The bad reply was consumed whole: the next one is read in step. */
	queue_reply(peer, VHOST_USER_GET_FEATURES, REPLY_FLAGS, 8, val, 8);
	put_le64(val, 0);
	queue_reply(peer, VHOST_USER_GET_PROTOCOL_FEATURES, REPLY_FLAGS, 8, val, 8);
	assert_int_equal(vu_front_negotiate(fe, 1, 0), 0);
	assert_int_equal(vu_front_features(fe), 1ull << VHOST_USER_F_PROTOCOL_FEATURES);
	vu_front_close(fe);
	close(peer);
}

static void test_front_end_rejects_reply_with_bad_size(void **state)
{
	uint8_t val[16] = { 0 };
	struct vu_front *fe;
	int peer;

	fe = scripted_front(&peer);
	/* GET_FEATURES answered with 4 bytes, then with 16. */
	queue_reply(peer, VHOST_USER_GET_FEATURES, REPLY_FLAGS, 4, val, 4);
	assert_int_equal(vu_front_negotiate(fe, 1, 0), -EPROTO);
	queue_reply(peer, VHOST_USER_GET_FEATURES, REPLY_FLAGS, 16, val, 16);
	assert_int_equal(vu_front_negotiate(fe, 1, 0), -EPROTO);
	/* Without the REPLY flag. */
	queue_reply(peer, VHOST_USER_GET_FEATURES, VHOST_USER_VERSION, 8, val, 8);
	assert_int_equal(vu_front_negotiate(fe, 1, 0), -EPROTO);
	/* Larger than any message: the stream is abandoned, later calls fail at once. */
	queue_reply(peer, VHOST_USER_GET_FEATURES, REPLY_FLAGS, 1u << 20, val, 16);
	assert_int_equal(vu_front_negotiate(fe, 1, 0), -EPROTO);
	assert_int_equal(vu_front_negotiate(fe, 1, 0), -EPIPE);
	vu_front_close(fe);
	close(peer);
}

static void test_front_end_times_out_without_reply_and_sees_hang_up(void **state)
{
	struct vu_front *fe;
	int peer;

	fe = scripted_front(&peer);
	assert_int_equal(vu_front_negotiate(fe, 1, 0), -ETIMEDOUT);
	vu_front_close(fe);
	close(peer);

	fe = scripted_front(&peer);
	close(peer);
	assert_int_equal(vu_front_negotiate(fe, 1, 0), -EPIPE);
	vu_front_close(fe);
}

static void test_front_end_reports_refused_and_malformed_config_replies(void **state)
{
	uint8_t val[8], cfg[VU_CONFIG_HDR_SIZE + 4] = { 0 }, out[4];
	struct vu_front *fe;
	int peer;

	fe = scripted_front(&peer);
	put_le64(val, 1ull << VHOST_USER_F_PROTOCOL_FEATURES);
	queue_reply(peer, VHOST_USER_GET_FEATURES, REPLY_FLAGS, 8, val, 8);
	put_le64(val, 1ull << VHOST_USER_PROTOCOL_F_CONFIG);
	queue_reply(peer, VHOST_USER_GET_PROTOCOL_FEATURES, REPLY_FLAGS, 8, val, 8);
	assert_int_equal(vu_front_negotiate(fe, 0, VU_FRONT_DEFAULT_PROTOCOL_FEATURES), 0);
	assert_int_equal(vu_front_protocol_features(fe), 1ull << VHOST_USER_PROTOCOL_F_CONFIG);

	/* An empty reply is the back-end saying no. */
	queue_reply(peer, VHOST_USER_GET_CONFIG, REPLY_FLAGS, 0, NULL, 0);
	assert_int_equal(vu_front_get_config(fe, 0, out, 4), -EIO);
	/* A reply whose size field disagrees with what was asked. */
	put_le32(cfg + 4, 2);
	queue_reply(peer, VHOST_USER_GET_CONFIG, REPLY_FLAGS, sizeof(cfg), cfg, sizeof(cfg));
	assert_int_equal(vu_front_get_config(fe, 0, out, 4), -EPROTO);
	/* A good one. */
	put_le32(cfg + 4, 4);
	put_le32(cfg + VU_CONFIG_HDR_SIZE, 0x01020304);
	queue_reply(peer, VHOST_USER_GET_CONFIG, REPLY_FLAGS, sizeof(cfg), cfg, sizeof(cfg));
	assert_int_equal(vu_front_get_config(fe, 0, out, 4), 0);
	assert_int_equal(get_le32(out), 0x01020304);
	vu_front_close(fe);
	close(peer);
}

static void test_front_end_checks_vring_base_reply_index(void **state)
{
	uint8_t val[8], st[8];
	struct vu_front *fe;
	int peer;

	fe = scripted_front(&peer);
	put_le64(val, 0);
	queue_reply(peer, VHOST_USER_GET_FEATURES, REPLY_FLAGS, 8, val, 8);
	assert_int_equal(vu_front_negotiate(fe, 0, 0), 0);
	assert_int_equal(vu_front_mem_create(fe, 1u << 16, 1), 0);
	assert_int_equal(vu_front_queue_start(fe, 3, 8), 0);
	/* GET_VRING_BASE for queue 3 answered for queue 2. */
	put_le32(st, 2);
	put_le32(st + 4, 0);
	queue_reply(peer, VHOST_USER_GET_VRING_BASE, REPLY_FLAGS, 8, st, 8);
	assert_int_equal(vu_front_queue_stop(fe, 3, NULL), -EPROTO);
	vu_front_close(fe);
	close(peer);
}

static void test_front_end_stops_waiting_when_device_writes_bad_used_entry(void **state)
{
	struct vring_buf out = { .gpa = 0, .len = 16 };
	struct vring_drv *vq;
	uint8_t val[8];
	struct vu_front *fe;
	int peer;

	fe = scripted_front(&peer);
	put_le64(val, 0);
	queue_reply(peer, VHOST_USER_GET_FEATURES, REPLY_FLAGS, 8, val, 8);
	assert_int_equal(vu_front_negotiate(fe, 0, 0), 0);
	assert_int_equal(vu_front_mem_create(fe, 1u << 16, 1), 0);
	assert_int_equal(vu_front_queue_start(fe, 0, 8), 0);
	assert_true(vu_front_queue_add(fe, 0, &out, 1, NULL, 0, (void *)1) >= 0);
	assert_int_equal(vu_front_queue_kick(fe, 0), 1);

	/* The "device" (this test, through the shared ring) completes a chain never made. */
	vq = vu_front_queue(fe, 0);
	put_le32(&vq->used->ring[0].id, 5);
	put_le32(&vq->used->ring[0].len, 0);
	put_le16(&vq->used->idx, 1);
	assert_null(vu_front_queue_get_used(fe, 0, NULL));
	assert_true(vq->broken);
	assert_int_equal(vu_front_queue_wait(fe, 0, WAIT_MS), -EIO);
	assert_int_equal(vu_front_queue_kick(fe, 0), -EIO);
	vu_front_close(fe);
	close(peer);
}

static void test_front_end_raw_messages_carry_fds_both_ways(void **state)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cbuf;
	struct vu_msg_hdr hdr = { .request = 0x1234, .flags = 0xff, .size = 99 };
	struct vu_front_msg msg;
	uint8_t wire[12 + 3], payload[3] = { 1, 2, 3 };
	struct iovec iov = { .iov_base = wire, .iov_len = sizeof(wire) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cmsg;
	uint64_t val = 0;
	struct vu_front *fe;
	int peer, efd, got;

	fe = scripted_front(&peer);
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	assert_true(efd >= 0);

	/* Out: the header goes exactly as given (size 99 with 3 bytes), with the fd. */
	assert_int_equal(vu_front_send_raw(fe, &hdr, payload, sizeof(payload), &efd, 1), 0);
	mh.msg_control = cbuf.buf;
	mh.msg_controllen = sizeof(cbuf.buf);
	assert_int_equal(recvmsg(peer, &mh, MSG_WAITALL), (ssize_t)sizeof(wire));
	assert_int_equal(get_le32(wire), 0x1234);
	assert_int_equal(get_le32(wire + 4), 0xff);
	assert_int_equal(get_le32(wire + 8), 99);
	assert_memory_equal(wire + 12, payload, sizeof(payload));
	cmsg = CMSG_FIRSTHDR(&mh);
	assert_non_null(cmsg);
	assert_int_equal(cmsg->cmsg_type, SCM_RIGHTS);
	memcpy(&got, CMSG_DATA(cmsg), sizeof(int));

	/* In: the peer sends the descriptor back with a 3-byte message. */
	put_le32(wire, 7);
	put_le32(wire + 4, VHOST_USER_VERSION | VHOST_USER_REPLY);
	put_le32(wire + 8, 3);
	mh.msg_controllen = sizeof(cbuf.buf);
	assert_int_equal(sendmsg(peer, &mh, 0), (ssize_t)sizeof(wire));
	close(got);
	assert_int_equal(vu_front_recv_raw(fe, &msg, WAIT_MS), 3);
	assert_int_equal(msg.hdr.request, 7);
	assert_int_equal(msg.nfds, 1);
	assert_memory_equal(msg.payload, payload, 3);
	/* The same eventfd came back: a write to it is read from the original. */
	assert_int_equal(write(msg.fds[0], &(uint64_t){ 5 }, 8), 8);
	assert_int_equal(read(efd, &val, 8), 8);
	assert_int_equal(val, 5);
	close(msg.fds[0]);

	/* Nothing more is pending: a timeout, and the front-end stays usable. */
	assert_int_equal(vu_front_recv_raw(fe, &msg, 50), -ETIMEDOUT);
	assert_int_equal(vu_front_send_raw(fe, &hdr, NULL, 0, NULL, 0), 0);
	close(efd);
	vu_front_close(fe);
	close(peer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define SERVED(t) cmocka_unit_test_setup_teardown(t, setup_server, teardown_server)
		SERVED(test_handshake_acknowledges_intersection_of_features),
		SERVED(test_handshake_without_protocol_features_still_serves),
		SERVED(test_config_space_reads_device_fields_and_takes_driver_writes),
		SERVED(test_status_reads_back_what_the_driver_set),
		SERVED(test_requests_round_trip_with_data_intact),
		SERVED(test_full_ring_and_index_wrap_round_trip_across_two_regions),
		SERVED(test_stop_returns_ring_index_and_queue_resumes),
		SERVED(test_reset_device_forgets_queues_and_fresh_rings_work),
		SERVED(test_reconnect_after_disconnect_is_served),
		SERVED(test_two_front_ends_are_served_at_the_same_time),
		SERVED(test_closing_one_front_end_mid_stream_leaves_the_other_working),
		SERVED(test_killed_front_end_process_leaves_the_other_working),
		SERVED(test_hostile_unknown_request_is_refused_and_others_keep_working),
		SERVED(test_hostile_wrong_payload_size_is_refused_and_others_keep_working),
		SERVED(test_hostile_oversized_payload_drops_only_that_connection),
		SERVED(test_hostile_kick_without_fd_is_refused_and_others_keep_working),
		SERVED(test_hostile_mem_table_without_fd_is_refused_and_others_keep_working),
		SERVED(test_hostile_descriptor_outside_memory_drops_only_that_guest),
#undef SERVED
		cmocka_unit_test(test_front_end_rejects_reply_with_wrong_request_code),
		cmocka_unit_test(test_front_end_rejects_reply_with_bad_size),
		cmocka_unit_test(test_front_end_times_out_without_reply_and_sees_hang_up),
		cmocka_unit_test(test_front_end_reports_refused_and_malformed_config_replies),
		cmocka_unit_test(test_front_end_checks_vring_base_reply_index),
		cmocka_unit_test(test_front_end_stops_waiting_when_device_writes_bad_used_entry),
		cmocka_unit_test(test_front_end_raw_messages_carry_fds_both_ways),
	};

	/* Guests' mistakes are logged by the server; keep the test output readable. */
	vadsp_log_set_level(VADSP_LOG_ERROR);
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
