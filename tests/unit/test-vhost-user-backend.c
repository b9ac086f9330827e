// SPDX-License-Identifier: MIT
/*
 * vhost-user back-end, driven in-process with raw messages.
 *
 * The test plays the front-end by hand on a socketpair (or a real listening socket): it
 * builds every message byte by byte, including broken ones, passes fds, and pumps the
 * back-end's event loop until it is idle before it reads the replies. The device behind the
 * server is a small test device that counts its callbacks and, when asked, completes every
 * chain made available on a kicked queue. Guest memory is one memfd shared as two regions
 * with a hole between them, as QEMU does.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/le.h"
#include "util/log.h"
#include "util/loop.h"
#include "vhost-user/backend.h"
#include "vu-test-util.h"

/* ------------------------------------------------------------------------------------------
 * The test device
 * ------------------------------------------------------------------------------------------ */

#define TQ		4		/* queues, as vhost-user-snd */
#define TQ_SIZE		64
#define T_CFG_SIZE	16
#define T_FEATURES	((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_INDIRECT_DESC))
#define T_PROTOCOL	0x12209ull	/* MQ | REPLY_ACK | CONFIG | RESET_DEVICE | STATUS */
#define F_PROTO		(1ull << VHOST_USER_F_PROTOCOL_FEATURES)
#define V1		VHOST_USER_VERSION
#define NEED		(VHOST_USER_VERSION | VHOST_USER_NEED_REPLY)

struct tdev {
	int connects;
	int disconnects;
	int resets;
	int refuse_connect;		/* -errno returned by connect, or 0 */
	struct vu_dev *last_dev;	/* the newest connection */
	uint64_t features;
	int set_features_calls;
	int starts[TQ];
	int stops[TQ];
	int kicks[TQ];
	bool running[TQ];
	bool serve;			/* complete every chain on a kick, then notify */
	bool fail_on_kick;		/* vu_dev_fail() from queue_kick */
	int served[TQ];
	int notify_ret[TQ];
	int set_config_calls;
	uint8_t config[T_CFG_SIZE];
};

static struct tdev T;

static int t_connect(struct vu_dev *dev)
{
	if (T.refuse_connect)
		return T.refuse_connect;
	T.connects++;
	T.last_dev = dev;
	vu_dev_set_priv(dev, &T);
	return 0;
}

static void t_disconnect(struct vu_dev *dev)
{
	unsigned int i;

	/* The library stops every queue before it says goodbye. */
	for (i = 0; i < TQ; i++)
		assert_false(T.running[i]);
	assert_ptr_equal(vu_dev_get_priv(dev), &T);
	T.disconnects++;
}

static uint64_t t_get_features(struct vu_dev *dev)
{
	return T_FEATURES;
}

static int t_set_features(struct vu_dev *dev, uint64_t features)
{
	T.set_features_calls++;
	T.features = features;
	return 0;
}

static int t_get_config(struct vu_dev *dev, uint32_t offset, uint8_t *buf, uint32_t len)
{
	assert_true(offset + len <= T_CFG_SIZE);
	memcpy(buf, T.config + offset, len);
	return 0;
}

static int t_set_config(struct vu_dev *dev, uint32_t offset, const uint8_t *buf, uint32_t len)
{
	assert_true(offset + len <= T_CFG_SIZE);
	T.set_config_calls++;
	memcpy(T.config + offset, buf, len);
	return 0;
}

static void t_queue_start(struct vu_dev *dev, unsigned int idx)
{
	assert_true(idx < TQ);
	assert_false(T.running[idx]);
	assert_non_null(vu_dev_queue(dev, idx));
	T.running[idx] = true;
	T.starts[idx]++;
}

static void t_queue_stop(struct vu_dev *dev, unsigned int idx)
{
	assert_true(idx < TQ);
	assert_true(T.running[idx]);
	T.running[idx] = false;
	T.stops[idx]++;
}

static void t_queue_kick(struct vu_dev *dev, unsigned int idx)
{
	struct vring_chain chain;
	struct vring *vq;
	uint8_t fill[256];

	assert_true(idx < TQ);
	assert_true(T.running[idx]);
	T.kicks[idx]++;
	if (T.fail_on_kick) {
		vu_dev_fail(dev, "the test device gives up");
		/* The connection is still usable until the callback returns. */
		assert_non_null(vu_dev_queue(dev, idx));
		return;
	}
	if (!T.serve)
		return;
	vq = vu_dev_queue(dev, idx);
	assert_non_null(vq);
	memset(fill, 0xa5, sizeof(fill));
	while (vring_dev_pop(vq, &chain) == 1) {
		size_t n = VADSP_MIN(chain.in_bytes, sizeof(fill));

		assert_int_equal(vring_chain_write(&chain, 0, fill, n), n);
		assert_int_equal(vring_dev_push(vq, chain.head, (uint32_t)n), 0);
		T.served[idx]++;
	}
	T.notify_ret[idx] = vu_dev_queue_notify(dev, idx);
}

static void t_reset(struct vu_dev *dev)
{
	T.resets++;
}

static const struct vu_dev_ops t_ops = {
	.connect = t_connect,
	.disconnect = t_disconnect,
	.get_features = t_get_features,
	.set_features = t_set_features,
	.get_config = t_get_config,
	.set_config = t_set_config,
	.queue_start = t_queue_start,
	.queue_stop = t_queue_stop,
	.queue_kick = t_queue_kick,
	.reset = t_reset,
};

static const struct vu_dev_info t_info = {
	.name = "vu-test",
	.num_queues = TQ,
	.max_queue_size = TQ_SIZE,
	.config_size = T_CFG_SIZE,
};


/* ------------------------------------------------------------------------------------------
 * Guest memory: one memfd, region 0 = gpa [0, 64K), region 1 = gpa [128K, 256K), as QEMU
 * shares its RAM (two regions of one memfd, mmap_offset = gpa). The rings of queue i live at
 * gpa RING_GPA(i), data buffers at BUF_GPA.
 * ------------------------------------------------------------------------------------------ */

#define MEM_SIZE	0x40000u
#define R0_GPA		0x0u
#define R0_SIZE		0x10000u
#define R1_GPA		0x20000u
#define R1_SIZE		0x20000u
#define UVA_BASE	0x7f1200000000ull
#define HOLE_GPA	0x18000u
#define RING_GPA(i)	(0x20000u + (i) * 0x1000u)
#define DESC_OFF	0x000u
#define AVAIL_OFF	0x400u
#define USED_OFF	0x800u
#define BUF_GPA		0x30000u

struct region {
	uint64_t gpa, size, uva, off;
};

static const struct region qemu_regions[2] = {
	{ R0_GPA, R0_SIZE, UVA_BASE + R0_GPA, R0_GPA },
	{ R1_GPA, R1_SIZE, UVA_BASE + R1_GPA, R1_GPA },
};

/* ------------------------------------------------------------------------------------------
 * Fixture
 * ------------------------------------------------------------------------------------------ */

struct fx {
	struct vadsp_loop *loop;
	struct vu_server *srv;
	struct vu_dev *dev;
	int fe;				/* the test's (front-end's) end of the connection */
	int memfd;
	uint8_t *mem;			/* the guest's view of its memory: offset == gpa */
	int kick[TQ];
	int call[TQ];
	int base_fds;
};

static int count_maps(const char *name)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, name))
			n++;
	fclose(f);
	return n;
}

static int setup_with(void **state, const struct vu_dev_info *info)
{
	struct fx *f = calloc(1, sizeof(*f));
	int sv[2];
	unsigned int i;

	assert_non_null(f);
	memset(&T, 0, sizeof(T));
	for (i = 0; i < T_CFG_SIZE; i++)
		T.config[i] = (uint8_t)(0x10 + i);
	f->loop = vadsp_loop_new();
	assert_non_null(f->loop);
	assert_int_equal(vu_server_new(&f->srv, info, &t_ops, &vadsp_loop_watch_ops, f->loop,
				       f), 0);
	f->base_fds = vut_count_fds();
	f->memfd = vut_memfd("vut-guest", MEM_SIZE);
	assert_true(f->memfd >= 0);
	f->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, f->memfd, 0);
	assert_true(f->mem != MAP_FAILED);
	for (i = 0; i < TQ; i++) {
		f->kick[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		f->call[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		assert_true(f->kick[i] >= 0 && f->call[i] >= 0);
	}
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	f->fe = sv[0];
	assert_int_equal(vu_server_adopt(f->srv, sv[1], &f->dev), 0);
	assert_int_equal(T.connects, 1);
	assert_int_equal(vu_server_connections(f->srv), 1);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, &t_info);
}

/* The same device for a server that trusts its front-ends' memory files. */
static int setup_trusting(void **state)
{
	struct vu_dev_info info = t_info;

	info.allow_unsealed_memory = true;
	return setup_with(state, &info);
}

static void close_guest_side(struct fx *f)
{
	unsigned int i;

	if (f->fe >= 0)
		close(f->fe);
	f->fe = -1;
	vut_pump(f->loop);
	for (i = 0; i < TQ; i++) {
		if (f->kick[i] >= 0)
			close(f->kick[i]);
		if (f->call[i] >= 0)
			close(f->call[i]);
		f->kick[i] = f->call[i] = -1;
	}
	if (f->mem)
		munmap(f->mem, MEM_SIZE);
	f->mem = NULL;
	if (f->memfd >= 0)
		close(f->memfd);
	f->memfd = -1;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	bool clean;

	close_guest_side(f);
	/* Every fd the back-end received or opened is gone once the guest side closed. */
	clean = vut_count_fds() == f->base_fds;
	vu_server_free(f->srv);
	vadsp_loop_free(f->loop);
	free(f);
	return clean ? 0 : -1;
}

/* ------------------------------------------------------------------------------------------
 * Front-end helpers
 * ------------------------------------------------------------------------------------------ */

static void send_msg(struct fx *f, uint32_t req, uint32_t flags, const void *payload,
		     uint32_t size, const int *fds, unsigned int nfds)
{
	assert_int_equal(vut_send(f->fe, req, flags, payload, size, fds, nfds), 0);
	vut_pump(f->loop);
}

/* Read a reply to @req: check its header, return its payload size. */
static uint32_t reply(struct fx *f, uint32_t req, void *payload, size_t max)
{
	uint32_t rreq = 0, rflags = 0;
	ssize_t n = vut_recv(f->fe, &rreq, &rflags, payload, max);

	assert_true(n >= 0);
	assert_int_equal(rreq, req);
	assert_int_equal(rflags, VHOST_USER_VERSION | VHOST_USER_REPLY);
	return (uint32_t)n;
}

static uint64_t reply_u64(struct fx *f, uint32_t req)
{
	uint8_t b[8];

	assert_int_equal(reply(f, req, b, sizeof(b)), 8);
	return get_le64(b);
}

static void no_reply(struct fx *f)
{
	uint32_t r, fl;
	uint8_t b[VHOST_USER_MAX_PAYLOAD];

	assert_int_equal(vut_recv(f->fe, &r, &fl, b, sizeof(b)), -EAGAIN);
}

/* The back-end closed the connection and the device was told. */
static void assert_dropped(struct fx *f, int disconnects)
{
	assert_true(vut_peer_closed(f->fe));
	assert_int_equal(T.disconnects, disconnects);
	assert_int_equal(vu_server_connections(f->srv), 0);
}

static void assert_alive(struct fx *f)
{
	uint8_t b[8];

	send_msg(f, VHOST_USER_GET_QUEUE_NUM, V1, NULL, 0, NULL, 0);
	assert_int_equal(reply(f, VHOST_USER_GET_QUEUE_NUM, b, sizeof(b)), 8);
	assert_int_equal(get_le64(b), TQ);
}

static uint64_t get_u64(struct fx *f, uint32_t req)
{
	send_msg(f, req, V1, NULL, 0, NULL, 0);
	return reply_u64(f, req);
}

/* A request without a reply of its own, sent with NEED_REPLY: return the ack value. */
static uint64_t set_u64(struct fx *f, uint32_t req, uint64_t v)
{
	uint8_t b[8];

	put_le64(b, v);
	send_msg(f, req, NEED, b, 8, NULL, 0);
	return reply_u64(f, req);
}

static uint64_t set_state(struct fx *f, uint32_t req, uint32_t idx, uint32_t num)
{
	uint8_t b[8];

	put_le32(b, idx);
	put_le32(b + 4, num);
	send_msg(f, req, NEED, b, 8, NULL, 0);
	return reply_u64(f, req);
}

static uint64_t set_fd(struct fx *f, uint32_t req, uint64_t v, const int *fds, unsigned int n)
{
	uint8_t b[8];

	put_le64(b, v);
	send_msg(f, req, NEED, b, 8, fds, n);
	return reply_u64(f, req);
}

static uint64_t set_addr(struct fx *f, uint32_t idx, uint64_t desc, uint64_t avail,
			 uint64_t used, uint32_t flags)
{
	uint8_t b[40] = { 0 };

	put_le32(b + offsetof(struct vu_vring_addr, index), idx);
	put_le32(b + offsetof(struct vu_vring_addr, flags), flags);
	put_le64(b + offsetof(struct vu_vring_addr, desc_uva), desc);
	put_le64(b + offsetof(struct vu_vring_addr, used_uva), used);
	put_le64(b + offsetof(struct vu_vring_addr, avail_uva), avail);
	send_msg(f, VHOST_USER_SET_VRING_ADDR, NEED, b, sizeof(b), NULL, 0);
	return reply_u64(f, VHOST_USER_SET_VRING_ADDR);
}

static uint64_t ring_uva(unsigned int idx, uint32_t off)
{
	return UVA_BASE + RING_GPA(idx) + off;
}

static uint64_t set_ring_addr(struct fx *f, unsigned int idx)
{
	return set_addr(f, idx, ring_uva(idx, DESC_OFF), ring_uva(idx, AVAIL_OFF),
			ring_uva(idx, USED_OFF), 0);
}

/* SET_MEM_TABLE with @n regions and @nfds fds (each a copy of @fd); size as QEMU computes. */
static uint64_t set_mem(struct fx *f, const struct region *r, unsigned int n, int fd,
			unsigned int nfds)
{
	uint8_t b[sizeof(struct vu_mem_table)] = { 0 };
	int fds[VHOST_USER_MAX_FDS];
	unsigned int i;

	assert_true(n <= VHOST_USER_MAX_REGIONS && nfds <= VHOST_USER_MAX_FDS);
	put_le32(b, n);
	for (i = 0; i < n; i++) {
		uint8_t *p = b + 8 + 32 * i;

		put_le64(p, r[i].gpa);
		put_le64(p + 8, r[i].size);
		put_le64(p + 16, r[i].uva);
		put_le64(p + 24, r[i].off);
	}
	for (i = 0; i < nfds; i++)
		fds[i] = fd;
	send_msg(f, VHOST_USER_SET_MEM_TABLE, NEED, b, 8 + 32 * n, fds, nfds);
	return reply_u64(f, VHOST_USER_SET_MEM_TABLE);
}

/* Replace the test's call eventfd of @idx with a new one and send it. */
static void new_call(struct fx *f, unsigned int idx, bool need_reply)
{
	uint8_t b[8];

	close(f->call[idx]);
	f->call[idx] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	assert_true(f->call[idx] >= 0);
	put_le64(b, idx);
	send_msg(f, VHOST_USER_SET_VRING_CALL, need_reply ? NEED : V1, b, 8, &f->call[idx], 1);
	if (need_reply)
		assert_int_equal(reply_u64(f, VHOST_USER_SET_VRING_CALL), 0);
}

static void kick(struct fx *f, unsigned int idx)
{
	uint64_t one = 1;

	assert_int_equal(write(f->kick[idx], &one, sizeof(one)), sizeof(one));
	vut_pump(f->loop);
}

/* The realize part of QEMU 10's sequence (features, protocol features, owner, calls). */
static void qemu_realize(struct fx *f)
{
	uint8_t b[8];
	unsigned int i;

	assert_int_equal(get_u64(f, VHOST_USER_GET_FEATURES), T_FEATURES | F_PROTO);
	assert_int_equal(get_u64(f, VHOST_USER_GET_PROTOCOL_FEATURES), T_PROTOCOL);
	put_le64(b, T_PROTOCOL);
	send_msg(f, VHOST_USER_SET_PROTOCOL_FEATURES, V1, b, 8, NULL, 0);
	assert_int_equal(get_u64(f, VHOST_USER_GET_QUEUE_NUM), TQ);
	send_msg(f, VHOST_USER_SET_OWNER, V1, NULL, 0, NULL, 0);
	assert_int_equal(get_u64(f, VHOST_USER_GET_FEATURES), T_FEATURES | F_PROTO);
	for (i = 0; i < TQ; i++) {
		int err = eventfd(0, EFD_CLOEXEC);

		new_call(f, i, false);
		put_le64(b, i);
		send_msg(f, VHOST_USER_SET_VRING_ERR, V1, b, 8, &err, 1);
		close(err);
	}
	no_reply(f);
}

/* The guest driver's probe: features, status, memory, then each ring set up. */
static void qemu_probe_mem(struct fx *f, uint64_t features)
{
	assert_int_equal(set_u64(f, VHOST_USER_SET_FEATURES, features), 0);
	assert_int_equal(get_u64(f, VHOST_USER_GET_STATUS), 0);
	assert_int_equal(set_u64(f, VHOST_USER_SET_STATUS, VIRTIO_STATUS_FEATURES_OK), 0);
	assert_int_equal(set_mem(f, qemu_regions, 2, f->memfd, 2), 0);
}

static void qemu_ring(struct fx *f, unsigned int i)
{
	uint8_t b[8];

	put_le32(b, i);
	put_le32(b + 4, TQ_SIZE);
	send_msg(f, VHOST_USER_SET_VRING_NUM, V1, b, 8, NULL, 0);
	put_le32(b + 4, 0);
	send_msg(f, VHOST_USER_SET_VRING_BASE, V1, b, 8, NULL, 0);
	assert_int_equal(set_ring_addr(f, i), 0);
	put_le64(b, i);
	send_msg(f, VHOST_USER_SET_VRING_KICK, V1, b, 8, &f->kick[i], 1);
	kick(f, i);		/* QEMU kicks each queue once right after SET_VRING_KICK */
	new_call(f, i, false);
}

static void qemu_handshake(struct fx *f)
{
	uint8_t cfg[VU_CONFIG_HDR_SIZE + T_CFG_SIZE] = { 0 };
	uint8_t r[sizeof(cfg)];
	unsigned int i;

	qemu_realize(f);
	qemu_probe_mem(f, (1ull << VIRTIO_F_VERSION_1) | F_PROTO);
	for (i = 0; i < TQ; i++)
		qemu_ring(f, i);
	for (i = 0; i < TQ; i++) {
		/* Everything is there but the enable: with protocol features, nothing runs. */
		assert_false(T.running[i]);
		assert_int_equal(set_state(f, VHOST_USER_SET_VRING_ENABLE, i, 1), 0);
		assert_true(T.running[i]);
		assert_int_equal(T.starts[i], 1);
	}
	for (i = 0; i < TQ; i++)
		new_call(f, i, false);
	put_le32(cfg + 4, T_CFG_SIZE);
	send_msg(f, VHOST_USER_GET_CONFIG, V1, cfg, sizeof(cfg), NULL, 0);
	assert_int_equal(reply(f, VHOST_USER_GET_CONFIG, r, sizeof(r)), sizeof(r));
	assert_int_equal(get_le32(r), 0);
	assert_int_equal(get_le32(r + 4), T_CFG_SIZE);
	assert_memory_equal(r + VU_CONFIG_HDR_SIZE, T.config, T_CFG_SIZE);
	no_reply(f);
	assert_int_equal(T.features, 1ull << VIRTIO_F_VERSION_1);
	assert_int_equal(vu_dev_features(f->dev), 1ull << VIRTIO_F_VERSION_1);
}

/* Put one chain (a 64-byte device-writable buffer) on queue @idx as avail entry @n. */
static void guest_add_chain(struct fx *f, unsigned int idx, uint16_t n, uint16_t head)
{
	uint8_t *ring = f->mem + RING_GPA(idx);

	put_le64(ring + DESC_OFF + 16 * head, BUF_GPA + 0x100u * head);
	put_le32(ring + DESC_OFF + 16 * head + 8, 64);
	put_le16(ring + DESC_OFF + 16 * head + 12, VRING_DESC_F_WRITE);
	put_le16(ring + DESC_OFF + 16 * head + 14, 0);
	put_le16(ring + AVAIL_OFF + 4 + 2 * (n % TQ_SIZE), head);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	put_le16(ring + AVAIL_OFF + 2, (uint16_t)(n + 1));
}

static uint16_t guest_used_idx(struct fx *f, unsigned int idx)
{
	return get_le16(f->mem + RING_GPA(idx) + USED_OFF + 2);
}

/* ------------------------------------------------------------------------------------------
 * The normal QEMU sequence
 * ------------------------------------------------------------------------------------------ */

static void qemu_handshake_starts_every_queue(void **state)
{
	struct fx *f = *state;
	unsigned int i;

	qemu_handshake(f);
	for (i = 0; i < TQ; i++) {
		/* The kick QEMU gave before the enable is delivered once the queue runs. */
		assert_int_equal(T.kicks[i], 1);
		assert_non_null(vu_dev_queue(f->dev, i));
	}
	assert_null(vu_dev_queue(f->dev, TQ));
	assert_int_equal(get_u64(f, VHOST_USER_GET_STATUS), VIRTIO_STATUS_FEATURES_OK);
}

static void qemu_poweroff_returns_ring_bases(void **state)
{
	struct fx *f = *state;
	uint8_t b[8], r[8];
	unsigned int i;

	T.serve = true;
	qemu_handshake(f);
	guest_add_chain(f, 2, 0, 0);
	guest_add_chain(f, 2, 1, 1);
	kick(f, 2);
	assert_int_equal(T.served[2], 2);
	for (i = 0; i < TQ; i++) {
		assert_int_equal(set_state(f, VHOST_USER_SET_VRING_ENABLE, i, 0), 0);
		assert_false(T.running[i]);
		assert_int_equal(T.stops[i], 1);
	}
	for (i = 0; i < TQ; i++) {
		put_le32(b, i);
		put_le32(b + 4, 0);
		send_msg(f, VHOST_USER_GET_VRING_BASE, V1, b, 8, NULL, 0);
		assert_int_equal(reply(f, VHOST_USER_GET_VRING_BASE, r, sizeof(r)), 8);
		assert_int_equal(get_le32(r), i);
		assert_int_equal(get_le32(r + 4), i == 2 ? 2 : 0);
	}
	close(f->fe);
	f->fe = -1;
	vut_pump(f->loop);
	assert_int_equal(T.disconnects, 1);
	for (i = 0; i < TQ; i++)
		assert_int_equal(T.stops[i], 1);
}

static void kick_reaches_device_and_notify_writes_call_fd(void **state)
{
	struct fx *f = *state;
	uint8_t *buf = f->mem + BUF_GPA;
	int old_call;

	T.serve = true;
	qemu_handshake(f);
	/* A call fd replaced while the queue runs: only the newest one is signalled. */
	old_call = dup(f->call[2]);
	new_call(f, 2, true);
	guest_add_chain(f, 2, 0, 0);
	kick(f, 2);
	assert_int_equal(T.kicks[2], 2);
	assert_int_equal(T.served[2], 1);
	assert_int_equal(T.notify_ret[2], 1);
	assert_int_equal(vut_eventfd_count(f->call[2]), 1);
	assert_int_equal(vut_eventfd_count(old_call), 0);
	close(old_call);
	assert_int_equal(guest_used_idx(f, 2), 1);
	assert_int_equal(get_le32(f->mem + RING_GPA(2) + USED_OFF + 4), 0);	/* id */
	assert_int_equal(get_le32(f->mem + RING_GPA(2) + USED_OFF + 8), 64);	/* len */
	assert_int_equal(buf[0], 0xa5);
	assert_int_equal(buf[63], 0xa5);
	assert_int_equal(buf[64], 0);
	/* Other queues were not signalled. */
	assert_int_equal(vut_eventfd_count(f->call[0]), 0);
	assert_int_equal(vut_eventfd_count(f->call[3]), 0);
}

static void notify_without_call_fd_is_suppressed(void **state)
{
	struct fx *f = *state;

	T.serve = true;
	qemu_handshake(f);
	/* NOFD call: the driver polls; nothing must be written anywhere. */
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_CALL, 1 | VHOST_USER_VRING_NOFD, NULL, 0),
			 0);
	guest_add_chain(f, 1, 0, 0);
	kick(f, 1);
	assert_int_equal(T.served[1], 1);
	assert_int_equal(T.notify_ret[1], 0);
	assert_int_equal(vut_eventfd_count(f->call[1]), 0);
	/* A new call fd while running takes effect at once. */
	new_call(f, 1, true);
	guest_add_chain(f, 1, 1, 1);
	kick(f, 1);
	assert_int_equal(T.notify_ret[1], 1);
	assert_int_equal(vut_eventfd_count(f->call[1]), 1);
	assert_int_equal(vu_dev_queue_notify(f->dev, TQ), -EINVAL);
}

static void full_call_counter_never_blocks_the_device(void **state)
{
	struct fx *f = *state;
	uint64_t top = UINT64_MAX - 1, v = 0;
	int call = eventfd(0, EFD_CLOEXEC);

	T.serve = true;
	qemu_handshake(f);
	/* A blocking call eventfd the front-end filled to the top before handing it over. */
	assert_true(call >= 0);
	assert_int_equal(write(call, &top, sizeof(top)), sizeof(top));
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_CALL, 2, &call, 1), 0);
	/* The back-end made the shared file non-blocking, so its write cannot wait... */
	assert_true(fcntl(call, F_GETFL) & O_NONBLOCK);
	guest_add_chain(f, 2, 0, 0);
	kick(f, 2);
	assert_int_equal(T.served[2], 1);
	/* ...and a full counter counts as a call the driver has not read yet. */
	assert_int_equal(T.notify_ret[2], 1);
	assert_int_equal(read(call, &v, sizeof(v)), sizeof(v));
	assert_int_equal(v, top);
	close(call);
}

static void rings_start_enabled_without_protocol_features(void **state)
{
	struct fx *f = *state;

	qemu_realize(f);
	qemu_probe_mem(f, 1ull << VIRTIO_F_VERSION_1);
	qemu_ring(f, 0);
	/* No SET_VRING_ENABLE: the ring starts with its kick fd. */
	assert_true(T.running[0]);
	assert_int_equal(T.kicks[0], 1);
	assert_false(T.running[1]);
}

static void get_vring_base_stops_until_new_kick(void **state)
{
	struct fx *f = *state;
	uint8_t b[8], r[8];

	qemu_handshake(f);
	put_le32(b, 3);
	put_le32(b + 4, 0);
	send_msg(f, VHOST_USER_GET_VRING_BASE, V1, b, 8, NULL, 0);
	assert_int_equal(reply(f, VHOST_USER_GET_VRING_BASE, r, sizeof(r)), 8);
	assert_false(T.running[3]);
	assert_null(vu_dev_queue(f->dev, 3));
	/* Enabled, configured, but its kick fd is gone: it stays stopped. */
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_ENABLE, 3, 1), 0);
	assert_false(T.running[3]);
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_KICK, 3, &f->kick[3], 1), 0);
	assert_true(T.running[3]);
	assert_int_equal(T.starts[3], 2);
}

static void new_mem_table_restarts_running_queues(void **state)
{
	struct fx *f = *state;
	struct region moved[2];
	uint8_t b[8], r[8];
	unsigned int i;

	T.serve = true;
	qemu_handshake(f);
	guest_add_chain(f, 2, 0, 0);
	kick(f, 2);
	assert_int_equal(T.served[2], 1);
	assert_int_equal(count_maps("vut-guest"), 3);	/* the test's view + 2 regions */
	/* Same memory at new front-end addresses (QEMU's view moved), and ring addresses too. */
	memcpy(moved, qemu_regions, sizeof(moved));
	moved[0].uva += 0x100000000ull;
	moved[1].uva += 0x100000000ull;
	assert_int_equal(set_mem(f, moved, 2, f->memfd, 2), 0);
	for (i = 0; i < TQ; i++) {
		assert_int_equal(T.stops[i], 1);
		/* The old ring addresses are outside the new map: the queues cannot restart. */
		assert_false(T.running[i]);
	}
	assert_int_equal(count_maps("vut-guest"), 3);
	for (i = 0; i < TQ; i++) {
		assert_int_equal(set_state(f, VHOST_USER_SET_VRING_ENABLE, i, 0), 0);
		assert_int_equal(set_addr(f, i, ring_uva(i, DESC_OFF) + 0x100000000ull,
					  ring_uva(i, AVAIL_OFF) + 0x100000000ull,
					  ring_uva(i, USED_OFF) + 0x100000000ull, 0), 0);
		assert_int_equal(set_state(f, VHOST_USER_SET_VRING_ENABLE, i, 1), 0);
		assert_true(T.running[i]);
		assert_int_equal(T.starts[i], 2);
	}
	/* Queue 2 resumed after the chain it had completed. */
	guest_add_chain(f, 2, 1, 1);
	kick(f, 2);
	assert_int_equal(T.served[2], 2);
	assert_int_equal(guest_used_idx(f, 2), 2);
	/* A table with the same addresses restarts them in place. */
	assert_int_equal(set_mem(f, moved, 2, f->memfd, 2), 0);
	for (i = 0; i < TQ; i++) {
		assert_int_equal(T.stops[i], 2);
		assert_true(T.running[i]);
	}
	put_le32(b, 2);
	put_le32(b + 4, 0);
	send_msg(f, VHOST_USER_GET_VRING_BASE, V1, b, 8, NULL, 0);
	assert_int_equal(reply(f, VHOST_USER_GET_VRING_BASE, r, sizeof(r)), 8);
	assert_int_equal(get_le32(r + 4), 2);
}

static void reset_device_stops_queues_and_resets(void **state)
{
	struct fx *f = *state;
	unsigned int i;

	qemu_handshake(f);
	send_msg(f, VHOST_USER_RESET_DEVICE, V1, NULL, 0, NULL, 0);
	no_reply(f);
	assert_int_equal(T.resets, 1);
	for (i = 0; i < TQ; i++)
		assert_false(T.running[i]);
	assert_int_equal(get_u64(f, VHOST_USER_GET_STATUS), 0);
	assert_int_equal(vu_dev_features(f->dev), 0);
	/* Rings were forgotten: enabling alone does not start one. */
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_ENABLE, 0, 1), 0);
	assert_false(T.running[0]);
	/* The guest driver sets it up again (the memory map was kept). */
	assert_int_equal(set_u64(f, VHOST_USER_SET_FEATURES, F_PROTO), 0);
	qemu_ring(f, 0);
	assert_true(T.running[0]);
	/* Status 0 is a reset too, and so is RESET_OWNER. */
	assert_int_equal(set_u64(f, VHOST_USER_SET_STATUS, 0), 0);
	assert_int_equal(T.resets, 2);
	assert_false(T.running[0]);
	assert_int_equal(set_u64(f, VHOST_USER_RESET_OWNER, 0) , EINVAL);	/* size 0 wanted */
	send_msg(f, VHOST_USER_RESET_OWNER, NEED, NULL, 0, NULL, 0);
	assert_int_equal(reply_u64(f, VHOST_USER_RESET_OWNER), 0);
	assert_int_equal(T.resets, 3);
}

static void set_config_reaches_device(void **state)
{
	struct fx *f = *state;
	uint8_t b[VU_CONFIG_HDR_SIZE + 4] = { 0 };

	put_le32(b, 8);
	put_le32(b + 4, 4);
	memcpy(b + VU_CONFIG_HDR_SIZE, "\x01\x02\x03\x04", 4);
	send_msg(f, VHOST_USER_SET_CONFIG, NEED, b, sizeof(b), NULL, 0);
	assert_int_equal(reply_u64(f, VHOST_USER_SET_CONFIG), 0);
	assert_int_equal(T.set_config_calls, 1);
	assert_memory_equal(T.config + 8, "\x01\x02\x03\x04", 4);
	/* Past the end of the config space. */
	put_le32(b, 14);
	send_msg(f, VHOST_USER_SET_CONFIG, NEED, b, sizeof(b), NULL, 0);
	assert_int_equal(reply_u64(f, VHOST_USER_SET_CONFIG), EINVAL);
	assert_int_equal(T.set_config_calls, 1);
}

static void split_message_is_reassembled(void **state)
{
	struct fx *f = *state;
	uint8_t m[VHOST_USER_HDR_SIZE + 8];
	uint8_t cfg[VU_CONFIG_HDR_SIZE + 4] = { 0 };
	uint8_t whole[VHOST_USER_HDR_SIZE + sizeof(cfg)];
	uint8_t r[sizeof(cfg)];
	size_t i;

	/* SET_FEATURES delivered in three pieces, with loop rounds in between. */
	put_le32(m, VHOST_USER_SET_FEATURES);
	put_le32(m + 4, NEED);
	put_le32(m + 8, 8);
	put_le64(m + 12, F_PROTO);
	assert_int_equal(vut_send_bytes(f->fe, m, 5, NULL, 0), 0);
	vut_pump(f->loop);
	no_reply(f);
	assert_int_equal(vut_send_bytes(f->fe, m + 5, 10, NULL, 0), 0);
	vut_pump(f->loop);
	no_reply(f);
	assert_int_equal(vut_send_bytes(f->fe, m + 15, sizeof(m) - 15, NULL, 0), 0);
	vut_pump(f->loop);
	assert_int_equal(reply_u64(f, VHOST_USER_SET_FEATURES), 0);
	assert_int_equal(T.set_features_calls, 1);
	/* GET_CONFIG one byte at a time. */
	put_le32(cfg + 4, 4);
	put_le32(whole, VHOST_USER_GET_CONFIG);
	put_le32(whole + 4, V1);
	put_le32(whole + 8, sizeof(cfg));
	memcpy(whole + VHOST_USER_HDR_SIZE, cfg, sizeof(cfg));
	for (i = 0; i < sizeof(whole); i++) {
		assert_int_equal(vut_send_bytes(f->fe, whole + i, 1, NULL, 0), 0);
		vut_pump(f->loop);
	}
	assert_int_equal(reply(f, VHOST_USER_GET_CONFIG, r, sizeof(r)), sizeof(r));
	assert_memory_equal(r + VU_CONFIG_HDR_SIZE, T.config, 4);
}

/* ------------------------------------------------------------------------------------------
 * Hostile front-ends: framing
 * ------------------------------------------------------------------------------------------ */

static void short_header_then_close_drops_with_reason(void **state)
{
	struct fx *f = *state;
	struct vut_log log;
	char *text;

	assert_int_equal(vut_send_bytes(f->fe, "\x01\x00\x00\x00\x01", 5, NULL, 0), 0);
	vut_pump(f->loop);
	/* A partial header just waits for more. */
	assert_int_equal(vu_server_connections(f->srv), 1);
	assert_int_equal(shutdown(f->fe, SHUT_WR), 0);
	vut_log_begin(&log);
	vut_pump(f->loop);
	text = vut_log_end(&log);
	assert_dropped(f, 1);
	assert_non_null(strstr(text, "vu-test#1"));
	assert_non_null(strstr(text, "short header"));
	free(text);
}

static void short_payload_then_close_drops(void **state)
{
	struct fx *f = *state;
	uint8_t m[VHOST_USER_HDR_SIZE + 3] = { 0 };

	put_le32(m, VHOST_USER_SET_FEATURES);
	put_le32(m + 4, V1);
	put_le32(m + 8, 8);
	assert_int_equal(vut_send_bytes(f->fe, m, sizeof(m), NULL, 0), 0);
	vut_pump(f->loop);
	assert_int_equal(vu_server_connections(f->srv), 1);
	shutdown(f->fe, SHUT_WR);
	vut_pump(f->loop);
	assert_dropped(f, 1);
	assert_int_equal(T.set_features_calls, 0);
}

static void wrong_size_field_is_refused(void **state)
{
	struct fx *f = *state;
	uint8_t b[16] = { 0 };

	/* SET_FEATURES with 4 bytes: refused, nothing applied, connection kept. */
	send_msg(f, VHOST_USER_SET_FEATURES, NEED, b, 4, NULL, 0);
	assert_int_equal(reply_u64(f, VHOST_USER_SET_FEATURES), EINVAL);
	assert_int_equal(T.set_features_calls, 0);
	send_msg(f, VHOST_USER_SET_VRING_NUM, NEED, b, 12, NULL, 0);
	assert_int_equal(reply_u64(f, VHOST_USER_SET_VRING_NUM), EINVAL);
	send_msg(f, VHOST_USER_SET_VRING_ADDR, NEED, b, 16, NULL, 0);
	assert_int_equal(reply_u64(f, VHOST_USER_SET_VRING_ADDR), EINVAL);
	/* GET_CONFIG whose size field disagrees with the payload: the empty error reply. */
	put_le32(b + 4, 8);
	send_msg(f, VHOST_USER_GET_CONFIG, V1, b, 16, NULL, 0);
	assert_int_equal(reply(f, VHOST_USER_GET_CONFIG, b, sizeof(b)), 0);
	assert_alive(f);
	/* A request with its own reply and a wrong size cannot be answered: dropped. */
	send_msg(f, VHOST_USER_GET_FEATURES, V1, b, 8, NULL, 0);
	assert_dropped(f, 1);
}

static void oversize_payload_drops(void **state)
{
	struct fx *f = *state;
	uint8_t m[VHOST_USER_HDR_SIZE];

	put_le32(m, VHOST_USER_SET_MEM_TABLE);
	put_le32(m + 4, NEED);
	put_le32(m + 8, VHOST_USER_MAX_PAYLOAD + 1);
	assert_int_equal(vut_send_bytes(f->fe, m, sizeof(m), NULL, 0), 0);
	vut_pump(f->loop);
	assert_dropped(f, 1);
}

static void bad_version_or_reply_flag_drops(void **state)
{
	struct fx *f = *state;
	int sv[2];

	send_msg(f, VHOST_USER_GET_FEATURES, 0x2, NULL, 0, NULL, 0);
	assert_dropped(f, 1);
	/* A second connection sending a "reply" as a request. */
	close(f->fe);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	f->fe = sv[0];
	assert_int_equal(vu_server_adopt(f->srv, sv[1], &f->dev), 0);
	send_msg(f, VHOST_USER_GET_FEATURES, V1 | VHOST_USER_REPLY, NULL, 0, NULL, 0);
	assert_dropped(f, 2);
}

static void unknown_request_is_refused_and_its_fd_closed(void **state)
{
	struct fx *f = *state;
	int before = vut_count_fds();
	int efd = eventfd(0, EFD_CLOEXEC);
	uint8_t b[8] = { 0 };

	send_msg(f, 99, NEED, b, 8, &efd, 1);
	assert_int_equal(reply_u64(f, 99), ENOSYS);
	/* Requests this back-end does not offer are unknown too (log fd, postcopy). */
	send_msg(f, VHOST_USER_SET_LOG_FD, NEED, NULL, 0, &efd, 1);
	assert_int_equal(reply_u64(f, VHOST_USER_SET_LOG_FD), ENOSYS);
	send_msg(f, VHOST_USER_GET_MAX_MEM_SLOTS, NEED, NULL, 0, NULL, 0);
	assert_int_equal(reply_u64(f, VHOST_USER_GET_MAX_MEM_SLOTS), ENOSYS);
	/* Without NEED_REPLY: no answer, and the stream goes on. */
	send_msg(f, 1000, V1, NULL, 0, NULL, 0);
	no_reply(f);
	close(efd);
	assert_int_equal(vut_count_fds(), before);
	assert_alive(f);
}

/* ------------------------------------------------------------------------------------------
 * Hostile front-ends: fds
 * ------------------------------------------------------------------------------------------ */

static void missing_fd_is_refused(void **state)
{
	struct fx *f = *state;

	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_KICK, 0, NULL, 0), EINVAL);
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_CALL, 0, NULL, 0), EINVAL);
	assert_int_equal(set_mem(f, qemu_regions, 2, f->memfd, 1), EINVAL);
	assert_int_equal(set_mem(f, qemu_regions, 2, f->memfd, 0), EINVAL);
	assert_int_equal(count_maps("vut-guest"), 1);
	assert_alive(f);
}

static void extra_fds_are_refused_and_closed(void **state)
{
	struct fx *f = *state;
	int before = vut_count_fds();
	int fds[3];
	unsigned int i;

	for (i = 0; i < 3; i++)
		fds[i] = eventfd(0, EFD_CLOEXEC);
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_CALL, 0, fds, 2), EINVAL);
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_KICK, 0 | VHOST_USER_VRING_NOFD, fds, 1),
			 EINVAL);
	assert_int_equal(set_u64(f, VHOST_USER_SET_PROTOCOL_FEATURES, 0), 0);
	{
		uint8_t b[8] = { 0 };

		send_msg(f, VHOST_USER_SET_FEATURES, NEED, b, 8, fds, 3);
		assert_int_equal(reply_u64(f, VHOST_USER_SET_FEATURES), EINVAL);
	}
	assert_int_equal(set_mem(f, qemu_regions, 1, f->memfd, 3), EINVAL);
	assert_int_equal(count_maps("vut-guest"), 1);
	for (i = 0; i < 3; i++)
		close(fds[i]);
	/* Each copy the back-end received was closed. */
	assert_int_equal(vut_count_fds(), before);
	assert_alive(f);
}

static void too_many_fds_drop_and_are_closed(void **state)
{
	struct fx *f = *state;
	int fds[12];
	unsigned int i;

	for (i = 0; i < 12; i++)
		fds[i] = eventfd(0, EFD_CLOEXEC);
	send_msg(f, VHOST_USER_SET_OWNER, V1, NULL, 0, fds, 12);
	assert_dropped(f, 1);
	for (i = 0; i < 12; i++)
		close(fds[i]);
	close(f->fe);
	f->fe = -1;
	close_guest_side(f);
	assert_int_equal(vut_count_fds(), f->base_fds);
}

static void kick_nofd_polling_is_refused(void **state)
{
	struct fx *f = *state;

	qemu_handshake(f);
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_KICK, 1 | VHOST_USER_VRING_NOFD, NULL, 0),
			 ENOTSUP);
	/* Nothing changed: the queue still runs on its kick fd. */
	assert_true(T.running[1]);
	kick(f, 1);
	assert_int_equal(T.kicks[1], 2);
}

static void non_eventfd_kick_is_refused(void **state)
{
	struct fx *f = *state;
	int p[2];

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_KICK, 0, &p[0], 1), EINVAL);
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_CALL, 0, &p[1], 1), EINVAL);
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_ERR, 0, &f->memfd, 1), EINVAL);
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_KICK, 0x10000, &f->kick[0], 1), EINVAL);
	close(p[0]);
	close(p[1]);
	assert_alive(f);
}

/* ------------------------------------------------------------------------------------------
 * Hostile front-ends: rings
 * ------------------------------------------------------------------------------------------ */

static void out_of_range_vring_index_is_refused(void **state)
{
	struct fx *f = *state;
	uint8_t b[8];

	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_NUM, TQ, 64), EINVAL);
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_BASE, 0xffffffffu, 0), EINVAL);
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_ENABLE, 200, 1), EINVAL);
	assert_int_equal(set_addr(f, TQ, 0, 0, 0, 0), EINVAL);
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_KICK, 255, &f->kick[0], 1), EINVAL);
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_CALL, TQ, &f->call[0], 1), EINVAL);
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_ERR, TQ, &f->call[0], 1), EINVAL);
	assert_alive(f);
	/* GET_VRING_BASE has no error reply: dropped. */
	put_le32(b, TQ);
	put_le32(b + 4, 0);
	send_msg(f, VHOST_USER_GET_VRING_BASE, V1, b, 8, NULL, 0);
	assert_dropped(f, 1);
}

static void bad_ring_size_is_refused(void **state)
{
	struct fx *f = *state;

	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_NUM, 0, 0), EINVAL);
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_NUM, 0, 3), EINVAL);
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_NUM, 0, 48), EINVAL);
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_NUM, 0, TQ_SIZE * 2), EINVAL);
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_NUM, 0, 0x80000000u), EINVAL);
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_NUM, 0, 1), 0);
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_BASE, 0, 0x10000), EINVAL);
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_ENABLE, 0, 2), EINVAL);
	assert_int_equal(set_u64(f, VHOST_USER_SET_STATUS, 0x100), EINVAL);
	assert_alive(f);
}

static void ring_address_outside_memory_is_refused(void **state)
{
	struct fx *f = *state;
	uint64_t hole = UVA_BASE + HOLE_GPA;

	qemu_realize(f);
	qemu_probe_mem(f, (1ull << VIRTIO_F_VERSION_1) | F_PROTO);
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_NUM, 0, TQ_SIZE), 0);
	/* In the hole between the regions, below, above, straddling the end of region 0. */
	assert_int_equal(set_addr(f, 0, hole, ring_uva(0, AVAIL_OFF), ring_uva(0, USED_OFF), 0),
			 EFAULT);
	assert_int_equal(set_addr(f, 0, ring_uva(0, DESC_OFF), hole, ring_uva(0, USED_OFF), 0),
			 EFAULT);
	assert_int_equal(set_addr(f, 0, ring_uva(0, DESC_OFF), ring_uva(0, AVAIL_OFF), 0x1000, 0),
			 EFAULT);
	assert_int_equal(set_addr(f, 0, UVA_BASE + R0_SIZE - 0x200, ring_uva(0, AVAIL_OFF),
				  ring_uva(0, USED_OFF), 0), EFAULT);
	assert_int_equal(set_addr(f, 0, UINT64_MAX - 15, ring_uva(0, AVAIL_OFF),
				  ring_uva(0, USED_OFF), 0), EFAULT);
	/* Misaligned parts, the logging flag, unknown flags. */
	assert_int_equal(set_addr(f, 0, ring_uva(0, DESC_OFF) + 8, ring_uva(0, AVAIL_OFF),
				  ring_uva(0, USED_OFF), 0), EINVAL);
	assert_int_equal(set_addr(f, 0, ring_uva(0, DESC_OFF), ring_uva(0, AVAIL_OFF) + 1,
				  ring_uva(0, USED_OFF), 0), EINVAL);
	assert_int_equal(set_addr(f, 0, ring_uva(0, DESC_OFF), ring_uva(0, AVAIL_OFF),
				  ring_uva(0, USED_OFF) + 2, 0), EINVAL);
	assert_int_equal(set_ring_addr(f, 0) , 0);
	assert_int_equal(set_addr(f, 0, ring_uva(0, DESC_OFF), ring_uva(0, AVAIL_OFF),
				  ring_uva(0, USED_OFF), 1u << VHOST_VRING_F_LOG), ENOTSUP);
	assert_int_equal(set_addr(f, 0, ring_uva(0, DESC_OFF), ring_uva(0, AVAIL_OFF),
				  ring_uva(0, USED_OFF), 2), EINVAL);
	/* The good address was kept: the queue starts. */
	assert_int_equal(set_fd(f, VHOST_USER_SET_VRING_KICK, 0, &f->kick[0], 1), 0);
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_ENABLE, 0, 1), 0);
	assert_true(T.running[0]);
	/* A running ring cannot be moved or resized. */
	assert_int_equal(set_ring_addr(f, 0), EBUSY);
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_NUM, 0, 32), EBUSY);
	assert_int_equal(set_state(f, VHOST_USER_SET_VRING_BASE, 0, 5), EBUSY);
	assert_true(T.running[0]);
}

static void features_not_offered_are_refused(void **state)
{
	struct fx *f = *state;

	assert_int_equal(set_u64(f, VHOST_USER_SET_FEATURES, 1ull << VIRTIO_F_EVENT_IDX), EINVAL);
	assert_int_equal(set_u64(f, VHOST_USER_SET_FEATURES, 1ull << 63), EINVAL);
	assert_int_equal(T.set_features_calls, 0);
	assert_int_equal(set_u64(f, VHOST_USER_SET_PROTOCOL_FEATURES,
				 1ull << VHOST_USER_PROTOCOL_F_LOG_SHMFD), EINVAL);
	assert_int_equal(set_u64(f, VHOST_USER_SET_PROTOCOL_FEATURES, T_PROTOCOL), 0);
	assert_alive(f);
}

static void get_config_outside_space_gets_empty_reply(void **state)
{
	struct fx *f = *state;
	uint8_t b[VU_CONFIG_HDR_SIZE + VHOST_USER_MAX_CONFIG_SIZE] = { 0 };
	uint8_t r[sizeof(b)];

	put_le32(b, 12);
	put_le32(b + 4, 8);
	send_msg(f, VHOST_USER_GET_CONFIG, V1, b, VU_CONFIG_HDR_SIZE + 8, NULL, 0);
	assert_int_equal(reply(f, VHOST_USER_GET_CONFIG, r, sizeof(r)), 0);
	put_le32(b, 0xfffffff0u);
	put_le32(b + 4, 0x20);
	send_msg(f, VHOST_USER_GET_CONFIG, V1, b, VU_CONFIG_HDR_SIZE + 0x20, NULL, 0);
	assert_int_equal(reply(f, VHOST_USER_GET_CONFIG, r, sizeof(r)), 0);
	put_le32(b, 0);
	put_le32(b + 4, 17);
	send_msg(f, VHOST_USER_GET_CONFIG, V1, b, VU_CONFIG_HDR_SIZE + 17, NULL, 0);
	assert_int_equal(reply(f, VHOST_USER_GET_CONFIG, r, sizeof(r)), 0);
	send_msg(f, VHOST_USER_GET_CONFIG, V1, b, 4, NULL, 0);
	assert_int_equal(reply(f, VHOST_USER_GET_CONFIG, r, sizeof(r)), 0);
	/* In range: the bytes. */
	put_le32(b, 4);
	put_le32(b + 4, 12);
	send_msg(f, VHOST_USER_GET_CONFIG, V1, b, VU_CONFIG_HDR_SIZE + 12, NULL, 0);
	assert_int_equal(reply(f, VHOST_USER_GET_CONFIG, r, sizeof(r)), VU_CONFIG_HDR_SIZE + 12);
	assert_memory_equal(r + VU_CONFIG_HDR_SIZE, T.config + 4, 12);
}

/* ------------------------------------------------------------------------------------------
 * Hostile front-ends: memory tables
 * ------------------------------------------------------------------------------------------ */

static void overlapping_regions_are_refused(void **state)
{
	struct fx *f = *state;
	struct region r[2];

	T.serve = true;
	qemu_handshake(f);
	/* Overlap in guest physical space. */
	memcpy(r, qemu_regions, sizeof(r));
	r[1].gpa = R0_GPA + 0x8000;
	assert_int_equal(set_mem(f, r, 2, f->memfd, 2), EEXIST);
	/* Overlap in front-end address space. */
	memcpy(r, qemu_regions, sizeof(r));
	r[1].uva = r[0].uva + 0xf000;
	assert_int_equal(set_mem(f, r, 2, f->memfd, 2), EEXIST);
	/* The same region twice. */
	r[1] = r[0];
	assert_int_equal(set_mem(f, r, 2, f->memfd, 2), EEXIST);
	/* The old map and the running queues are untouched; no mapping leaked. */
	assert_int_equal(count_maps("vut-guest"), 3);
	assert_int_equal(T.stops[2], 0);
	guest_add_chain(f, 2, 0, 0);
	kick(f, 2);
	assert_int_equal(T.served[2], 1);
}

static void overflowing_regions_are_refused(void **state)
{
	struct fx *f = *state;
	struct region r = { 0, 0x1000, UVA_BASE, 0 };

	r.gpa = UINT64_MAX - 0x7ff;	/* the last byte would be past 2^64 */
	assert_int_equal(set_mem(f, &r, 1, f->memfd, 1), EINVAL);
	r.gpa = 0;
	r.uva = UINT64_MAX - 0x7ff;
	assert_int_equal(set_mem(f, &r, 1, f->memfd, 1), EINVAL);
	r.uva = UVA_BASE;
	r.off = UINT64_MAX - 0x7ff;
	assert_int_equal(set_mem(f, &r, 1, f->memfd, 1), EINVAL);
	r.off = 0x8000000000000000ull;
	assert_int_equal(set_mem(f, &r, 1, f->memfd, 1), EINVAL);
	/* Beyond the end of the file (mapping it would fault later). */
	r.off = MEM_SIZE - 0x800;
	assert_int_equal(set_mem(f, &r, 1, f->memfd, 1), EINVAL);
	r.off = 0;
	r.size = MEM_SIZE + 0x1000;
	assert_int_equal(set_mem(f, &r, 1, f->memfd, 1), EINVAL);
	assert_int_equal(count_maps("vut-guest"), 1);
	/* The last byte of the file is fine. */
	r.size = MEM_SIZE;
	assert_int_equal(set_mem(f, &r, 1, f->memfd, 1), 0);
	assert_int_equal(count_maps("vut-guest"), 2);
}

static void zero_size_region_is_refused(void **state)
{
	struct fx *f = *state;
	struct region r[2];

	memcpy(r, qemu_regions, sizeof(r));
	r[1].size = 0;
	assert_int_equal(set_mem(f, r, 2, f->memfd, 2), EINVAL);
	assert_int_equal(count_maps("vut-guest"), 1);
	assert_alive(f);
}

static void unsealed_memory_is_refused(void **state)
{
	struct fx *f = *state;
	int fd = vut_memfd_unsealed("vut-unsealed", MEM_SIZE);

	assert_true(fd >= 0);
	assert_int_equal(set_mem(f, qemu_regions, 2, fd, 2), EPERM);
	assert_int_equal(count_maps("vut-unsealed"), 0);
	close(fd);
	/* The sealed memory of the same layout is then accepted on the same connection. */
	assert_int_equal(set_mem(f, qemu_regions, 2, f->memfd, 2), 0);
	assert_alive(f);
}

static void unsealed_memory_is_accepted_when_trusted(void **state)
{
	struct fx *f = *state;
	int fd = vut_memfd_unsealed("vut-unsealed", MEM_SIZE);

	assert_true(fd >= 0);
	assert_int_equal(set_mem(f, qemu_regions, 2, fd, 2), 0);
	assert_int_equal(count_maps("vut-unsealed"), 2);
	close(fd);
	assert_alive(f);
}

static void bad_region_count_is_refused(void **state)
{
	struct fx *f = *state;
	uint8_t b[sizeof(struct vu_mem_table) + 32] = { 0 };
	int fds[VHOST_USER_MAX_FDS];
	unsigned int i;

	for (i = 0; i < VHOST_USER_MAX_FDS; i++)
		fds[i] = f->memfd;
	/* 0 regions. */
	assert_int_equal(set_mem(f, qemu_regions, 0, f->memfd, 0), EINVAL);
	/* 9 regions claimed (payload of 8, the most that fits). */
	put_le32(b, 9);
	send_msg(f, VHOST_USER_SET_MEM_TABLE, NEED, b, sizeof(struct vu_mem_table), fds, 8);
	assert_int_equal(reply_u64(f, VHOST_USER_SET_MEM_TABLE), EINVAL);
	/* nregions disagrees with the payload size. */
	put_le32(b, 1);
	send_msg(f, VHOST_USER_SET_MEM_TABLE, NEED, b, 8 + 64, fds, 1);
	assert_int_equal(reply_u64(f, VHOST_USER_SET_MEM_TABLE), EINVAL);
	put_le32(b, 2);
	send_msg(f, VHOST_USER_SET_MEM_TABLE, NEED, b, 8 + 32, fds, 2);
	assert_int_equal(reply_u64(f, VHOST_USER_SET_MEM_TABLE), EINVAL);
	send_msg(f, VHOST_USER_SET_MEM_TABLE, NEED, b, 4, NULL, 0);
	assert_int_equal(reply_u64(f, VHOST_USER_SET_MEM_TABLE), EINVAL);
	assert_int_equal(count_maps("vut-guest"), 1);
	assert_alive(f);
}

static void unmappable_region_fd_is_refused(void **state)
{
	struct fx *f = *state;
	char path[64];
	int ro, p[2];

	/* Read-only file: mmap(PROT_WRITE, MAP_SHARED) fails with EACCES. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", f->memfd);
	ro = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(ro >= 0);
	assert_int_equal(set_mem(f, qemu_regions, 1, ro, 1), EACCES);
	close(ro);
	/* Not a file at all. */
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(set_mem(f, qemu_regions, 1, p[0], 1), EINVAL);
	close(p[0]);
	close(p[1]);
	/* One good region then a bad one: nothing stays mapped. */
	{
		struct region r[2];

		memcpy(r, qemu_regions, sizeof(r));
		r[1].off = MEM_SIZE;
		assert_int_equal(set_mem(f, r, 2, f->memfd, 2), EINVAL);
	}
	assert_int_equal(count_maps("vut-guest"), 1);
	assert_alive(f);
}

/* ------------------------------------------------------------------------------------------
 * Disconnects and several connections
 * ------------------------------------------------------------------------------------------ */

static void disconnect_before_features_frees_all(void **state)
{
	struct fx *f = *state;

	close_guest_side(f);
	assert_int_equal(T.disconnects, 1);
	assert_int_equal(vu_server_connections(f->srv), 0);
	assert_int_equal(vut_count_fds(), f->base_fds);
}

static void disconnect_after_mem_table_frees_all(void **state)
{
	struct fx *f = *state;

	qemu_realize(f);
	qemu_probe_mem(f, (1ull << VIRTIO_F_VERSION_1) | F_PROTO);
	assert_int_equal(count_maps("vut-guest"), 3);
	close(f->fe);
	f->fe = -1;
	vut_pump(f->loop);
	assert_int_equal(T.disconnects, 1);
	assert_int_equal(count_maps("vut-guest"), 1);
	close_guest_side(f);
	assert_int_equal(count_maps("vut-guest"), 0);
	assert_int_equal(vut_count_fds(), f->base_fds);
}

static void disconnect_with_queues_started_frees_all(void **state)
{
	struct fx *f = *state;
	unsigned int i;

	qemu_handshake(f);
	close(f->fe);
	f->fe = -1;
	vut_pump(f->loop);
	assert_int_equal(T.disconnects, 1);
	for (i = 0; i < TQ; i++) {
		assert_int_equal(T.stops[i], 1);
		assert_false(T.running[i]);
	}
	assert_int_equal(count_maps("vut-guest"), 1);
	close_guest_side(f);
	assert_int_equal(vut_count_fds(), f->base_fds);
}

static void device_fail_from_callback_drops_after_it(void **state)
{
	struct fx *f = *state;
	struct vut_log log;
	char *text;

	qemu_handshake(f);
	T.fail_on_kick = true;
	vut_log_begin(&log);
	kick(f, 0);
	text = vut_log_end(&log);
	assert_int_equal(T.kicks[0], 2);
	assert_dropped(f, 1);
	assert_non_null(strstr(text, "vu-test#1"));
	assert_non_null(strstr(text, "the test device gives up"));
	free(text);
	assert_int_equal(count_maps("vut-guest"), 1);
}

static void refused_connect_closes_fd(void **state)
{
	struct fx *f = *state;
	int before = vut_count_fds();
	struct vu_dev *dev = NULL;
	int sv[2];

	T.refuse_connect = -EMFILE;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(vu_server_adopt(f->srv, sv[1], &dev), -EMFILE);
	assert_null(dev);
	assert_true(vut_peer_closed(sv[0]));
	close(sv[0]);
	assert_int_equal(vut_count_fds(), before);
	assert_int_equal(T.disconnects, 0);
	assert_int_equal(vu_server_connections(f->srv), 1);
	/* Not a socket, a datagram socket, a listening socket: refused and closed too. */
	assert_int_equal(vu_server_adopt(f->srv, eventfd(0, EFD_CLOEXEC), NULL), -ENOTSOCK);
	assert_int_equal(vu_server_adopt(f->srv, socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0),
					 NULL), -ENOTSOCK);
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		assert_true(l >= 0);
		/* Autobind: the kernel picks an abstract address. */
		assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof(sa.sun_family)), 0);
		assert_int_equal(listen(l, 1), 0);
		assert_int_equal(vu_server_adopt(f->srv, l, NULL), -EINVAL);
	}
	assert_int_equal(vut_count_fds(), before);
	assert_int_equal(vu_server_connections(f->srv), 1);
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void second_connection_survives_first_drop(void **state)
{
	struct fx *f = *state;
	char dir[] = "/tmp/vut-XXXXXX", path[64];
	struct vu_dev *b_dev;
	struct stat st;
	int a, b, before;

	/* The fixture's adopted connection stays open too: three at once. */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sock", dir);
	/* A stale socket file is replaced; anything else is not. */
	assert_int_equal(vu_server_listen(f->srv, path), 0);
	assert_int_equal(vu_server_listen(f->srv, path), -EBUSY);
	before = vut_count_fds();
	a = connect_to(path);
	vut_pump(f->loop);
	b = connect_to(path);
	vut_pump(f->loop);
	assert_int_equal(T.connects, 3);
	b_dev = T.last_dev;
	assert_ptr_not_equal(b_dev, f->dev);
	assert_int_equal(vu_dev_id(b_dev), 3);
	assert_int_equal(vu_server_connections(f->srv), 3);
	/* A breaks the protocol and is dropped; the others are not. */
	assert_int_equal(vut_send(a, VHOST_USER_GET_FEATURES, 0, NULL, 0, NULL, 0), 0);
	vut_pump(f->loop);
	assert_true(vut_peer_closed(a));
	assert_int_equal(T.disconnects, 1);
	assert_int_equal(vu_server_connections(f->srv), 2);
	close(a);
	/* B runs the whole QEMU sequence, with running queues. */
	{
		struct vu_dev *fixture_dev = f->dev;
		int fixture_fe = f->fe;

		f->fe = b;
		f->dev = b_dev;
		qemu_handshake(f);
		f->fe = fixture_fe;
		f->dev = fixture_dev;
	}
	assert_alive(f);
	close(b);
	vut_pump(f->loop);
	assert_int_equal(T.disconnects, 2);
	assert_int_equal(vu_server_connections(f->srv), 1);
	assert_int_equal(vut_count_fds(), before);
	/* Freeing the server closes the rest and removes the socket file. */
	vu_server_free(f->srv);
	assert_int_equal(T.disconnects, 3);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(vu_server_new(&f->srv, &t_info, &t_ops, &vadsp_loop_watch_ops, f->loop,
				       f), 0);
	close(open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
	assert_int_equal(vu_server_listen(f->srv, path), -EEXIST);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T_(qemu_handshake_starts_every_queue),
		T_(qemu_poweroff_returns_ring_bases),
		T_(kick_reaches_device_and_notify_writes_call_fd),
		T_(notify_without_call_fd_is_suppressed),
		T_(full_call_counter_never_blocks_the_device),
		T_(rings_start_enabled_without_protocol_features),
		T_(get_vring_base_stops_until_new_kick),
		T_(new_mem_table_restarts_running_queues),
		T_(reset_device_stops_queues_and_resets),
		T_(set_config_reaches_device),
		T_(split_message_is_reassembled),
		T_(short_header_then_close_drops_with_reason),
		T_(short_payload_then_close_drops),
		T_(wrong_size_field_is_refused),
		T_(oversize_payload_drops),
		T_(bad_version_or_reply_flag_drops),
		T_(unknown_request_is_refused_and_its_fd_closed),
		T_(missing_fd_is_refused),
		T_(extra_fds_are_refused_and_closed),
		T_(too_many_fds_drop_and_are_closed),
		T_(kick_nofd_polling_is_refused),
		T_(non_eventfd_kick_is_refused),
		T_(out_of_range_vring_index_is_refused),
		T_(bad_ring_size_is_refused),
		T_(ring_address_outside_memory_is_refused),
		T_(features_not_offered_are_refused),
		T_(get_config_outside_space_gets_empty_reply),
		T_(overlapping_regions_are_refused),
		T_(overflowing_regions_are_refused),
		T_(zero_size_region_is_refused),
		T_(bad_region_count_is_refused),
		T_(unsealed_memory_is_refused),
		cmocka_unit_test_setup_teardown(unsealed_memory_is_accepted_when_trusted,
						setup_trusting, teardown),
		T_(unmappable_region_fd_is_refused),
		T_(disconnect_before_features_frees_all),
		T_(disconnect_after_mem_table_frees_all),
		T_(disconnect_with_queues_started_frees_all),
		T_(device_fail_from_callback_drops_after_it),
		T_(refused_connect_closes_fd),
		T_(second_connection_survives_first_drop),
#undef T_
	};

	vadsp_log_set_level(VADSP_LOG_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
