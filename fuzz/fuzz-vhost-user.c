// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the vhost-user back-end.
 *
 * Each input is the byte stream of one front-end connection, cut into records. A message
 * record is sent through a socketpair into the real server (adopted with vu_server_adopt())
 * with file descriptors synthesised for it; an action record kicks queues, rewrites guest
 * memory, hangs up half-way or makes the device give up. The event loop is pumped until idle
 * after every record and replies are read and thrown away. The device behind the server
 * completes every chain on a kick, so a handshake the fuzzer gets right reaches the rings.
 *
 * At the end of each input the front-end closes; every connection must then be gone and the
 * process must hold exactly the file descriptors it held before the input (checked, abort
 * otherwise); LeakSanitizer checks the memory.
 *
 * Record layout:
 *   op(1)
 *   op bit 7 clear: a message. nfds = op & 15 (values above 12 give 12), fd kind =
 *     (op >> 4) & 3: 0 eventfd (kept, so later kicks reach it), 1 the guest memfd (64 KiB,
 *     shared by the whole input), 2 a fresh 4 KiB memfd (sealed
 *     against shrinking, then unsealed, alternately), 3 a pipe's read end. Bit 6 set:
 *     the message is sent in two writes, cut after the next byte's value (mod length).
 *     Then len(le16, at most 300) and len raw bytes (header and payload, never fixed up).
 *   op bit 7 set: an action, op & 3: 0 kick every kept eventfd; 1 write guest memory:
 *     offset(le16) n(1) n bytes; 2 shut the write side (the rest of the input is ignored);
 *     3 the device calls vu_dev_fail() on its connection.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/le.h"
#include "util/log.h"
#include "util/loop.h"
#include "vhost-user/backend.h"
#include "vu-test-util.h"

#define FZ_QUEUES	4
#define FZ_MEM_SIZE	0x10000u
#define FZ_MAX_MSG	300u
#define FZ_MAX_FDS	12u
#define FZ_MAX_KEPT	32u
#define FZ_CFG_SIZE	16u

#define FZ_CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(report, "fuzz-vhost-user: check failed at %s:%d: %s\n", \
				__FILE__, __LINE__, #cond); \
			fflush(report); \
			abort(); \
		} \
	} while (0)

struct fz {
	struct vadsp_loop *loop;
	struct vu_server *srv;
	struct vu_dev *dev;		/* NULL once dropped */
	int fe;
	int memfd;
	uint8_t *mem;
	int kept[FZ_MAX_KEPT];		/* eventfds sent, for kicks */
	unsigned int nkept;
	int connects;
	int disconnects;
	unsigned int small_files;	/* fresh small memfds made so far */
};

static struct fz *cur;
static FILE *report;

/* ------------------------------------------------------------------------------------------
 * The device
 * ------------------------------------------------------------------------------------------ */

static int fz_connect(struct vu_dev *dev)
{
	cur->connects++;
	cur->dev = dev;
	return 0;
}

static void fz_disconnect(struct vu_dev *dev)
{
	cur->disconnects++;
	cur->dev = NULL;
}

static uint64_t fz_get_features(struct vu_dev *dev)
{
	return (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_EVENT_IDX) |
	       (1ull << VIRTIO_F_INDIRECT_DESC) | 1ull;
}

static int fz_set_features(struct vu_dev *dev, uint64_t features)
{
	return features & (1ull << 0) ? -EINVAL : 0;	/* something to refuse */
}

static int fz_get_config(struct vu_dev *dev, uint32_t offset, uint8_t *buf, uint32_t len)
{
	uint32_t i;

	FZ_CHECK(offset <= FZ_CFG_SIZE && len <= FZ_CFG_SIZE - offset);
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(offset + i);
	return 0;
}

static int fz_set_config(struct vu_dev *dev, uint32_t offset, const uint8_t *buf, uint32_t len)
{
	FZ_CHECK(offset <= FZ_CFG_SIZE && len <= FZ_CFG_SIZE - offset);
	return len && buf[0] == 0xff ? -EIO : 0;
}

/* Echo every chain; a queue the input broke stays broken and the connection stays. */
static void fz_queue_kick(struct vu_dev *dev, unsigned int idx)
{
	uint8_t buf[64];

	FZ_CHECK(vu_dev_queue(dev, idx));
	(void)vut_echo_queue(dev, idx, buf, sizeof(buf));
}

static const struct vu_dev_ops fz_ops = {
	.connect = fz_connect,
	.disconnect = fz_disconnect,
	.get_features = fz_get_features,
	.set_features = fz_set_features,
	.get_config = fz_get_config,
	.set_config = fz_set_config,
	.queue_kick = fz_queue_kick,
};

static const struct vu_dev_info fz_info = {
	.name = "fuzz",
	.num_queues = FZ_QUEUES,
	.max_queue_size = 256,
	.config_size = FZ_CFG_SIZE,
};

/* ------------------------------------------------------------------------------------------
 * The front-end side
 * ------------------------------------------------------------------------------------------ */

static void pump(struct fz *z)
{
	uint8_t sink[512];

	vut_pump(z->loop);
	/* Throw the replies away so the socket never fills. */
	while (z->fe >= 0 && recv(z->fe, sink, sizeof(sink), MSG_DONTWAIT) > 0)
		;
}

/* Make one fd of @kind for a message; the caller closes it after sending. */
static int make_fd(struct fz *z, unsigned int kind, int *extra)
{
	int fd, p[2];

	*extra = -1;
	switch (kind) {
	case 0:
		fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (fd >= 0 && z->nkept < FZ_MAX_KEPT) {
			z->kept[z->nkept++] = dup(fd);
			if (z->kept[z->nkept - 1] < 0)
				z->nkept--;
		}
		return fd;
	case 1:
		return dup(z->memfd);
	case 2:
		/* Alternately a sealed and an unsealed small file. */
		if (z->small_files++ % 2 == 0)
			return vut_memfd("fuzz-small", 4096);
		return vut_memfd_unsealed("fuzz-small", 4096);
	default:
		if (pipe2(p, O_CLOEXEC) < 0)
			return -1;
		*extra = p[1];
		return p[0];
	}
}

static size_t do_message(struct fz *z, uint8_t op, const uint8_t *p, size_t n)
{
	int fds[FZ_MAX_FDS], extra[FZ_MAX_FDS];
	unsigned int nfds = VADSP_MIN(op & 15u, FZ_MAX_FDS), kind = (op >> 4) & 3u, i, made = 0;
	size_t used = 0, len, cut = 0;

	if (op & 0x40) {
		if (n < 1)
			return n;
		cut = p[0];
		used++;
	}
	if (n - used < 2)
		return n;
	len = VADSP_MIN(get_le16(p + used), FZ_MAX_MSG);
	used += 2;
	len = VADSP_MIN(len, n - used);
	for (i = 0; i < nfds; i++) {
		fds[made] = make_fd(z, kind, &extra[made]);
		if (fds[made] >= 0)
			made++;
	}
	if (len) {
		cut = cut % len;
		/* A send the back-end refuses (it hung up) is part of the game. */
		if (!cut) {
			(void)vut_send_bytes(z->fe, p + used, len, fds, made);
		} else {
			(void)vut_send_bytes(z->fe, p + used, cut, fds, made);
			pump(z);
			(void)vut_send_bytes(z->fe, p + used + cut, len - cut, NULL, 0);
		}
	}
	for (i = 0; i < made; i++) {
		close(fds[i]);
		if (extra[i] >= 0)
			close(extra[i]);
	}
	pump(z);
	return used + len;
}

static size_t do_action(struct fz *z, uint8_t op, const uint8_t *p, size_t n)
{
	static const uint64_t one = 1;
	unsigned int i;
	size_t off, len;

	switch (op & 3u) {
	case 0:
		for (i = 0; i < z->nkept; i++)
			if (write(z->kept[i], &one, sizeof(one)) < 0)
				continue;
		pump(z);
		return 0;
	case 1:
		if (n < 3)
			return n;
		off = get_le16(p) % FZ_MEM_SIZE;
		len = VADSP_MIN((size_t)p[2], n - 3);
		len = VADSP_MIN(len, FZ_MEM_SIZE - off);
		memcpy(z->mem + off, p + 3, len);
		return 3 + len;
	case 2:
		shutdown(z->fe, SHUT_WR);
		pump(z);
		return n;
	default:
		if (z->dev) {
			vu_dev_fail(z->dev, "fuzz device gives up");
			/* Outside a callback the connection is gone at once. */
			FZ_CHECK(!z->dev);
		}
		return 0;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Nearly every input makes the back-end log why it refused something. Unless VU_FUZZ_LOG is
 * set ("debug" for every message), the log goes to /dev/null: glibc lets a program replace
 * its stderr stream, and neither libFuzzer (which keeps its own FILE) nor the sanitizers
 * (which write to fd 2) use that variable. Failed checks go to the real stderr.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *env = getenv("VU_FUZZ_LOG");
	FILE *null;

	report = stderr;
	if (env) {
		if (!strcmp(env, "debug"))
			vadsp_log_set_level(VADSP_LOG_DEBUG);
		return 0;
	}
	null = fopen("/dev/null", "we");
	if (null)
		stderr = null;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz z = { .fe = -1, .memfd = -1 };
	int sv[2], fds_before;
	unsigned int i;
	size_t pos = 0;

	cur = &z;
	fds_before = vut_count_fds();
	z.loop = vadsp_loop_new();
	FZ_CHECK(z.loop);
	FZ_CHECK(vu_server_new(&z.srv, &fz_info, &fz_ops, &vadsp_loop_watch_ops, z.loop, &z) == 0);
	z.memfd = vut_memfd("fuzz-guest", FZ_MEM_SIZE);
	FZ_CHECK(z.memfd >= 0);
	z.mem = mmap(NULL, FZ_MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, z.memfd, 0);
	FZ_CHECK(z.mem != MAP_FAILED);
	FZ_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	z.fe = sv[0];
	FZ_CHECK(vu_server_adopt(z.srv, sv[1], NULL) == 0);
	FZ_CHECK(z.connects == 1 && z.dev);

	while (pos < size) {
		uint8_t op = data[pos++];

		if (op & 0x80)
			pos += do_action(&z, op, data + pos, size - pos);
		else
			pos += do_message(&z, op, data + pos, size - pos);
	}

	close(z.fe);
	z.fe = -1;
	pump(&z);
	/* The hang-up was seen and everything the connection owned is gone. */
	FZ_CHECK(z.disconnects == 1 && !z.dev);
	FZ_CHECK(vu_server_connections(z.srv) == 0);
	vu_server_free(z.srv);
	vadsp_loop_free(z.loop);
	for (i = 0; i < z.nkept; i++)
		close(z.kept[i]);
	munmap(z.mem, FZ_MEM_SIZE);
	close(z.memfd);
	FZ_CHECK(vut_count_fds() == fds_before);
	cur = NULL;
	return 0;
}
