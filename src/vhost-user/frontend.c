// SPDX-License-Identifier: MIT
/*
 * vhost-user front-end (driver side): a process acting as a guest.
 *
 * Messages are written as one sendmsg() with the file descriptors attached to the header;
 * replies are read with a timeout and checked against what was asked before any byte of
 * them is used.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/le.h"
#include "util/log.h"
#include "util/memfd.h"
#include "vhost-user/frontend.h"

#define FE_LOG "vu-front"

struct vu_front_queue {
	bool ready;			/* @drv holds a laid-out ring */
	bool started;			/* the back-end was told about it and not stopped since */
	unsigned int num;
	uint16_t base;			/* index to resume from (SET_VRING_BASE) */
	struct vu_front_buf ring;	/* guest memory holding the ring, reused when it fits */
	struct vring_drv drv;
	int kick_fd;
	int call_fd;
};

struct vu_front {
	int fd;
	bool broken;			/* the byte stream is out of step: nothing more is sent */
	int reply_timeout_ms;
	bool negotiated;
	uint64_t offered;		/* GET_FEATURES */
	uint64_t features;		/* acknowledged, with bit 30 when negotiated */
	uint64_t protocol;		/* protocol features in force */
	unsigned int queue_num;		/* GET_QUEUE_NUM, 0 when unknown */
	int mem_fd;
	uint8_t *mem;
	uint64_t mem_size;
	unsigned int mem_nregions;
	uint64_t mem_next;		/* bump allocator: first free byte */
	struct vu_front_queue q[VU_FRONT_MAX_QUEUES];
};

/* ------------------------------------------------------------------------------------------
 * Socket I/O
 * ------------------------------------------------------------------------------------------ */

static int fe_poll_in(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ret;

	do {
		ret = poll(&pfd, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	return ret == 0 ? -ETIMEDOUT : 0;
}

/* File descriptors received with a message: kept up to VHOST_USER_MAX_FDS, else closed. */
struct fe_fds {
	int fds[VHOST_USER_MAX_FDS];
	unsigned int n;
};

/* Take the descriptors that came with @msg into @keep, or close them when @keep is NULL. */
static void fe_take_fds(struct msghdr *msg, struct fe_fds *keep)
{
	struct cmsghdr *cmsg;

	for (cmsg = CMSG_FIRSTHDR(msg); cmsg; cmsg = CMSG_NXTHDR(msg, cmsg)) {
		size_t n, i;

		if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
			if (keep && keep->n < VHOST_USER_MAX_FDS)
				keep->fds[keep->n++] = fd;
			else
				close(fd);
		}
	}
}

/*
 * Read exactly @len bytes, waiting at most @timeout_ms for each piece. File descriptors that
 * arrive with the data go to @keep, or are closed when it is NULL (no reply on this channel
 * carries any the front-end asked for).
 */
static int fe_read_exact(struct vu_front *fe, void *buf, size_t len, int timeout_ms,
			 struct fe_fds *keep)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * VHOST_USER_MAX_FDS)];
		struct cmsghdr align;
	} cbuf;
	uint8_t *p = buf;
	size_t got = 0;

	while (got < len) {
		struct iovec iov = { .iov_base = p + got, .iov_len = len - got };
		struct msghdr msg = {
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = cbuf.buf,
			.msg_controllen = sizeof(cbuf.buf),
		};
		ssize_t n;
		int ret;

		ret = fe_poll_in(fe->fd, timeout_ms);
		if (ret < 0)
			return ret;
		n = recvmsg(fe->fd, &msg, MSG_CMSG_CLOEXEC);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		fe_take_fds(&msg, keep);
		if (n == 0)
			return -ECONNRESET;
		got += (size_t)n;
	}
	return 0;
}

static int fe_send(struct vu_front *fe, const struct vu_msg_hdr *hdr, const void *payload,
		   size_t len, const int *fds, unsigned int nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * VHOST_USER_MAX_FDS)];
		struct cmsghdr align;
	} cbuf;
	struct vu_msg_hdr wire = {
		.request = cpu_to_le32(hdr->request),
		.flags = cpu_to_le32(hdr->flags),
		.size = cpu_to_le32(hdr->size),
	};
	struct iovec iov[2] = {
		{ .iov_base = &wire, .iov_len = sizeof(wire) },
		{ .iov_base = (void *)payload, .iov_len = len },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };
	size_t left = sizeof(wire) + len;

	if (nfds > VHOST_USER_MAX_FDS || (len && !payload))
		return -EINVAL;
	if (nfds) {
		struct cmsghdr *cmsg;

		memset(&cbuf, 0, sizeof(cbuf));
		msg.msg_control = cbuf.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * nfds);
	}

	while (left > 0) {
		ssize_t n = sendmsg(fe->fd, &msg, MSG_NOSIGNAL);
		size_t done;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* Part of the message may be out: the stream is no longer in step. */
			if (left != sizeof(wire) + len)
				fe->broken = true;
			return -errno;
		}
		left -= (size_t)n;
		/* The descriptors went with the first byte. */
		msg.msg_control = NULL;
		msg.msg_controllen = 0;
		done = (size_t)n;
		while (done > 0 && msg.msg_iovlen > 0) {
			size_t step = VADSP_MIN(done, msg.msg_iov->iov_len);

			msg.msg_iov->iov_base = (uint8_t *)msg.msg_iov->iov_base + step;
			msg.msg_iov->iov_len -= step;
			done -= step;
			if (msg.msg_iov->iov_len == 0) {
				msg.msg_iov++;
				msg.msg_iovlen--;
			}
		}
	}
	return 0;
}

/*
 * Receive one message into @payload (VHOST_USER_MAX_PAYLOAD bytes). A larger payload cannot
 * belong to any valid message: the stream is abandoned.
 */
static int fe_recv(struct vu_front *fe, struct vu_msg_hdr *hdr, uint8_t *payload,
		   int timeout_ms, struct fe_fds *keep)
{
	struct vu_msg_hdr wire;
	int ret;

	ret = fe_poll_in(fe->fd, timeout_ms);
	if (ret < 0)
		return ret;
	ret = fe_read_exact(fe, &wire, sizeof(wire), timeout_ms, keep);
	if (ret < 0)
		goto broken;
	hdr->request = le32_to_cpu(wire.request);
	hdr->flags = le32_to_cpu(wire.flags);
	hdr->size = le32_to_cpu(wire.size);
	if (hdr->size > VHOST_USER_MAX_PAYLOAD) {
		vadsp_warn(FE_LOG, "message %u with %u payload bytes: giving up", hdr->request,
			   hdr->size);
		ret = -EMSGSIZE;
		goto broken;
	}
	ret = fe_read_exact(fe, payload, hdr->size, timeout_ms, keep);
	if (ret < 0)
		goto broken;
	return (int)hdr->size;

broken:
	fe->broken = true;
	return ret;
}

/* ------------------------------------------------------------------------------------------
 * Requests and replies
 * ------------------------------------------------------------------------------------------ */

static bool fe_has_protocol(const struct vu_front *fe, unsigned int bit)
{
	return fe->protocol & (1ull << bit);
}

static int fe_send_request(struct vu_front *fe, uint32_t request, uint32_t flags,
			   const void *payload, uint32_t size, const int *fds, unsigned int nfds)
{
	struct vu_msg_hdr hdr = {
		.request = request,
		.flags = VHOST_USER_VERSION | flags,
		.size = size,
	};

	if (fe->broken)
		return -EPIPE;
	return fe_send(fe, &hdr, payload, size, fds, nfds);
}

/*
 * Read the reply to @request: its payload must be between @min and @max bytes. Anything
 * else is -EPROTO; a stream that cannot be kept in step breaks the front-end.
 */
static int fe_recv_reply(struct vu_front *fe, uint32_t request, void *buf, uint32_t min,
			 uint32_t max)
{
	uint8_t payload[VHOST_USER_MAX_PAYLOAD];
	struct vu_msg_hdr hdr;
	int ret;

	ret = fe_recv(fe, &hdr, payload, fe->reply_timeout_ms, NULL);
	if (ret == -ETIMEDOUT) {
		/* A late reply would answer the next request. */
		fe->broken = true;
		vadsp_warn(FE_LOG, "no reply to request %u", request);
		return ret;
	}
	if (ret == -EMSGSIZE)
		return -EPROTO;
	if (ret < 0)
		return ret;
	if (hdr.request != request) {
		vadsp_warn(FE_LOG, "reply to request %u carries request %u", request,
			   hdr.request);
		return -EPROTO;
	}
	if ((hdr.flags & VHOST_USER_VERSION_MASK) != VHOST_USER_VERSION ||
	    !(hdr.flags & VHOST_USER_REPLY)) {
		vadsp_warn(FE_LOG, "reply to request %u has flags %#x", request, hdr.flags);
		return -EPROTO;
	}
	if (hdr.size < min || hdr.size > max) {
		vadsp_warn(FE_LOG, "reply to request %u has %u bytes, want %u..%u", request,
			   hdr.size, min, max);
		return -EPROTO;
	}
	memcpy(buf, payload, hdr.size);
	return (int)hdr.size;
}

/* A request whose reply is one u64. */
static int fe_get_u64(struct vu_front *fe, uint32_t request, uint64_t *val)
{
	uint8_t buf[8];
	int ret;

	ret = fe_send_request(fe, request, 0, NULL, 0, NULL, 0);
	if (ret < 0)
		return ret;
	ret = fe_recv_reply(fe, request, buf, sizeof(buf), sizeof(buf));
	if (ret < 0)
		return ret;
	*val = get_le64(buf);
	return 0;
}

/* A request without a reply of its own: acknowledged when REPLY_ACK is in force. */
static int fe_set(struct vu_front *fe, uint32_t request, const void *payload, uint32_t size,
		  const int *fds, unsigned int nfds)
{
	bool ack = fe_has_protocol(fe, VHOST_USER_PROTOCOL_F_REPLY_ACK);
	uint8_t buf[8];
	uint64_t status;
	int ret;

	ret = fe_send_request(fe, request, ack ? VHOST_USER_NEED_REPLY : 0, payload, size, fds,
			      nfds);
	if (ret < 0 || !ack)
		return ret;
	ret = fe_recv_reply(fe, request, buf, sizeof(buf), sizeof(buf));
	if (ret < 0)
		return ret;
	status = get_le64(buf);
	if (status != 0) {
		vadsp_dbg(FE_LOG, "request %u failed: %llu", request,
			  (unsigned long long)status);
		return -EIO;
	}
	return 0;
}

static int fe_set_u64(struct vu_front *fe, uint32_t request, uint64_t val, const int *fds,
		      unsigned int nfds)
{
	uint8_t buf[8];

	put_le64(buf, val);
	return fe_set(fe, request, buf, sizeof(buf), fds, nfds);
}

static int fe_set_state(struct vu_front *fe, uint32_t request, unsigned int idx, uint32_t num)
{
	struct vu_vring_state st = {
		.index = cpu_to_le32(idx),
		.num = cpu_to_le32(num),
	};

	return fe_set(fe, request, &st, sizeof(st), NULL, 0);
}

/* ------------------------------------------------------------------------------------------
 * Connection
 * ------------------------------------------------------------------------------------------ */

int vu_front_new_fd(struct vu_front **out, int fd)
{
	struct vu_front *fe;
	unsigned int i;

	if (fd < 0)
		return -EBADF;
	fe = calloc(1, sizeof(*fe));
	if (!fe) {
		close(fd);
		return -ENOMEM;
	}
	fe->fd = fd;
	fe->mem_fd = -1;
	fe->reply_timeout_ms = VU_FRONT_REPLY_TIMEOUT_MS;
	for (i = 0; i < VU_FRONT_MAX_QUEUES; i++) {
		fe->q[i].kick_fd = -1;
		fe->q[i].call_fd = -1;
	}
	*out = fe;
	return 0;
}

int vu_front_connect(struct vu_front **out, const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, ret;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	do {
		ret = connect(fd, (const struct sockaddr *)&addr, sizeof(addr));
	} while (ret < 0 && errno == EINTR);
	if (ret < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return vu_front_new_fd(out, fd);
}

void vu_front_close(struct vu_front *fe)
{
	unsigned int i;

	if (!fe)
		return;
	for (i = 0; i < VU_FRONT_MAX_QUEUES; i++) {
		struct vu_front_queue *q = &fe->q[i];

		if (q->ready)
			vring_drv_fini(&q->drv);
		if (q->kick_fd >= 0)
			close(q->kick_fd);
		if (q->call_fd >= 0)
			close(q->call_fd);
	}
	if (fe->mem)
		munmap(fe->mem, fe->mem_size);
	if (fe->mem_fd >= 0)
		close(fe->mem_fd);
	close(fe->fd);
	free(fe);
}

int vu_front_fd(const struct vu_front *fe)
{
	return fe->fd;
}

void vu_front_set_reply_timeout(struct vu_front *fe, int timeout_ms)
{
	fe->reply_timeout_ms = timeout_ms < 0 ? -1 : timeout_ms;
}

/* ------------------------------------------------------------------------------------------
 * Negotiation
 * ------------------------------------------------------------------------------------------ */

int vu_front_negotiate(struct vu_front *fe, uint64_t want_features, uint64_t want_protocol)
{
	const uint64_t proto_bit = 1ull << VHOST_USER_F_PROTOCOL_FEATURES;
	uint64_t offered, features;
	int ret;

	if (fe->negotiated)
		return -EALREADY;
	ret = fe_get_u64(fe, VHOST_USER_GET_FEATURES, &offered);
	if (ret < 0)
		return ret;
	fe->offered = offered;

	if (offered & proto_bit) {
		uint64_t proto;

		ret = fe_get_u64(fe, VHOST_USER_GET_PROTOCOL_FEATURES, &proto);
		if (ret < 0)
			return ret;
		proto &= want_protocol;
		/* Not acknowledged yet, so this one goes without REPLY_ACK. */
		ret = fe_set_u64(fe, VHOST_USER_SET_PROTOCOL_FEATURES, proto, NULL, 0);
		if (ret < 0)
			return ret;
		fe->protocol = proto;
		if (fe_has_protocol(fe, VHOST_USER_PROTOCOL_F_MQ)) {
			uint64_t n;

			ret = fe_get_u64(fe, VHOST_USER_GET_QUEUE_NUM, &n);
			if (ret < 0)
				return ret;
			if (n == 0 || n > VU_FRONT_MAX_QUEUES) {
				vadsp_warn(FE_LOG, "back-end reports %llu queues",
					   (unsigned long long)n);
				return -EPROTO;
			}
			fe->queue_num = (unsigned int)n;
		}
	}

	ret = fe_set(fe, VHOST_USER_SET_OWNER, NULL, 0, NULL, 0);
	if (ret < 0)
		return ret;

	features = (offered & want_features & ~proto_bit) | (offered & proto_bit);
	ret = fe_set_u64(fe, VHOST_USER_SET_FEATURES, features, NULL, 0);
	if (ret < 0)
		return ret;
	fe->features = features;
	fe->negotiated = true;
	return 0;
}

uint64_t vu_front_features(const struct vu_front *fe)
{
	return fe->features;
}

uint64_t vu_front_offered_features(const struct vu_front *fe)
{
	return fe->offered;
}

uint64_t vu_front_protocol_features(const struct vu_front *fe)
{
	return fe->protocol;
}

unsigned int vu_front_queue_num(const struct vu_front *fe)
{
	return fe->queue_num;
}

/* ------------------------------------------------------------------------------------------
 * Guest memory
 * ------------------------------------------------------------------------------------------ */

int vu_front_mem_create(struct vu_front *fe, uint64_t size, unsigned int nregions)
{
	struct vu_mem_table table;
	int fds[VHOST_USER_MAX_REGIONS];
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t part;
	void *map;
	unsigned int i;
	int fd, ret;

	if (fe->mem)
		return -EALREADY;
	if (nregions < 1 || nregions > 2 || size < 2 * page || size % (page * nregions) ||
	    size > SIZE_MAX / 2)
		return -EINVAL;

	fd = vadsp_memfd_create("vadsp-guest", size);
	if (fd < 0)
		return fd;
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		ret = -errno;
		close(fd);
		return ret;
	}

	memset(&table, 0, sizeof(table));
	table.nregions = cpu_to_le32(nregions);
	part = size / nregions;
	for (i = 0; i < nregions; i++) {
		struct vu_mem_region *r = &table.regions[i];

		r->gpa = cpu_to_le64(i * part);
		r->size = cpu_to_le64(part);
		r->uva = cpu_to_le64((uint64_t)(uintptr_t)map + i * part);
		r->mmap_offset = cpu_to_le64(i * part);
		fds[i] = fd;
	}
	/* As QEMU sends it: the header and only the regions in use. */
	ret = fe_set(fe, VHOST_USER_SET_MEM_TABLE, &table,
		     (uint32_t)(offsetof(struct vu_mem_table, regions) +
				nregions * sizeof(struct vu_mem_region)),
		     fds, nregions);
	if (ret < 0) {
		munmap(map, size);
		close(fd);
		return ret;
	}
	fe->mem_fd = fd;
	fe->mem = map;
	fe->mem_size = size;
	fe->mem_nregions = nregions;
	fe->mem_next = 0;
	return 0;
}

int vu_front_alloc(struct vu_front *fe, uint64_t len, uint64_t align, struct vu_front_buf *buf)
{
	uint64_t part, start;

	if (!fe->mem)
		return -ENODEV;
	if (align == 0)
		align = 16;
	if (len == 0 || (align & (align - 1)) || align > fe->mem_size)
		return -EINVAL;
	part = fe->mem_size / fe->mem_nregions;
	if (len > part)
		return -ENOMEM;
	start = VADSP_ALIGN_UP(fe->mem_next, align);
	if (start > fe->mem_size)
		return -ENOMEM;
	/* Never straddle a region boundary: a ring part must lie inside one region. */
	if (start / part != (start + len - 1) / part)
		start = VADSP_ALIGN_UP((start / part + 1) * part, align);
	if (start > fe->mem_size || len > fe->mem_size - start)
		return -ENOMEM;
	fe->mem_next = start + len;
	buf->host = fe->mem + start;
	buf->gpa = start;
	buf->len = len;
	memset(buf->host, 0, len);
	return 0;
}

void *vu_front_mem_host(const struct vu_front *fe, uint64_t gpa, uint64_t len)
{
	if (!fe->mem || gpa > fe->mem_size || len > fe->mem_size - gpa)
		return NULL;
	return fe->mem + gpa;
}

/* ------------------------------------------------------------------------------------------
 * Queues
 * ------------------------------------------------------------------------------------------ */

static struct vu_front_queue *fe_started_queue(struct vu_front *fe, unsigned int idx)
{
	if (idx >= VU_FRONT_MAX_QUEUES || !fe->q[idx].started)
		return NULL;
	return &fe->q[idx];
}

/*
 * A queue with a ring, started or not: like a guest's driver, the front-end may add and
 * kick while the back-end has the queue stopped; the kick eventfd keeps the count.
 */
static struct vu_front_queue *fe_ready_queue(struct vu_front *fe, unsigned int idx)
{
	if (idx >= VU_FRONT_MAX_QUEUES || !fe->q[idx].ready)
		return NULL;
	return &fe->q[idx];
}

static int fe_eventfd(int *fd)
{
	if (*fd >= 0)
		return 0;
	*fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return *fd < 0 ? -errno : 0;
}

static void fe_eventfd_drain(int fd)
{
	uint64_t count;

	(void)!read(fd, &count, sizeof(count));
}

/* Lay out an empty ring of @num entries for @q, reusing its guest memory when it fits. */
static int fe_queue_layout(struct vu_front *fe, struct vu_front_queue *q, unsigned int num)
{
	uint64_t bytes = vring_drv_ring_bytes(num);
	int ret;

	if (q->ready) {
		vring_drv_fini(&q->drv);
		q->ready = false;
	}
	if (q->ring.len < bytes) {
		ret = vu_front_alloc(fe, bytes, 4096, &q->ring);
		if (ret < 0)
			return ret;
	} else {
		memset(q->ring.host, 0, q->ring.len);
	}
	ret = vring_drv_init(&q->drv, num, q->ring.host, q->ring.gpa, fe->features);
	if (ret < 0)
		return ret;
	q->ready = true;
	q->num = num;
	q->base = 0;
	return 0;
}

static uint64_t fe_uva(const struct vu_front *fe, uint64_t gpa)
{
	return (uint64_t)(uintptr_t)fe->mem + gpa;
}

int vu_front_queue_start(struct vu_front *fe, unsigned int idx, unsigned int num)
{
	struct vu_front_queue *q;
	struct vu_vring_addr addr;
	int ret;

	if (!fe->negotiated)
		return -EINVAL;
	if (!fe->mem)
		return -ENODEV;
	if (idx >= VU_FRONT_MAX_QUEUES || (fe->queue_num && idx >= fe->queue_num))
		return -EINVAL;
	if (num == 0 || num > VRING_MAX_SIZE || (num & (num - 1)))
		return -EINVAL;
	q = &fe->q[idx];
	if (q->started)
		return -EBUSY;

	if (!q->ready || q->num != num) {
		ret = fe_queue_layout(fe, q, num);
		if (ret < 0)
			return ret;
	}
	ret = fe_eventfd(&q->kick_fd);
	if (ret < 0)
		return ret;
	ret = fe_eventfd(&q->call_fd);
	if (ret < 0)
		return ret;
	fe_eventfd_drain(q->call_fd);

	ret = fe_set_state(fe, VHOST_USER_SET_VRING_NUM, idx, num);
	if (ret < 0)
		return ret;
	ret = fe_set_state(fe, VHOST_USER_SET_VRING_BASE, idx, q->base);
	if (ret < 0)
		return ret;
	addr = (struct vu_vring_addr) {
		.index = cpu_to_le32(idx),
		.flags = 0,
		.desc_uva = cpu_to_le64(fe_uva(fe, q->drv.desc_gpa)),
		.used_uva = cpu_to_le64(fe_uva(fe, q->drv.used_gpa)),
		.avail_uva = cpu_to_le64(fe_uva(fe, q->drv.avail_gpa)),
		.log_gpa = 0,
	};
	ret = fe_set(fe, VHOST_USER_SET_VRING_ADDR, &addr, sizeof(addr), NULL, 0);
	if (ret < 0)
		return ret;
	ret = fe_set_u64(fe, VHOST_USER_SET_VRING_KICK, idx, &q->kick_fd, 1);
	if (ret < 0)
		return ret;
	ret = fe_set_u64(fe, VHOST_USER_SET_VRING_CALL, idx, &q->call_fd, 1);
	if (ret < 0)
		return ret;
	if (fe->features & (1ull << VHOST_USER_F_PROTOCOL_FEATURES)) {
		ret = fe_set_state(fe, VHOST_USER_SET_VRING_ENABLE, idx, 1);
		if (ret < 0)
			return ret;
	}
	q->started = true;
	return 0;
}

int vu_front_queue_stop(struct vu_front *fe, unsigned int idx, uint16_t *base)
{
	struct vu_front_queue *q = fe_started_queue(fe, idx);
	struct vu_vring_state st = { .index = cpu_to_le32(idx), .num = 0 };
	int ret;

	if (!q)
		return -EINVAL;
	if (fe->features & (1ull << VHOST_USER_F_PROTOCOL_FEATURES)) {
		ret = fe_set_state(fe, VHOST_USER_SET_VRING_ENABLE, idx, 0);
		if (ret < 0)
			return ret;
	}
	ret = fe_send_request(fe, VHOST_USER_GET_VRING_BASE, 0, &st, sizeof(st), NULL, 0);
	if (ret < 0)
		return ret;
	ret = fe_recv_reply(fe, VHOST_USER_GET_VRING_BASE, &st, sizeof(st), sizeof(st));
	if (ret < 0)
		return ret;
	if (le32_to_cpu(st.index) != idx || le32_to_cpu(st.num) > UINT16_MAX) {
		vadsp_warn(FE_LOG, "GET_VRING_BASE for queue %u answered {%u, %u}", idx,
			   le32_to_cpu(st.index), le32_to_cpu(st.num));
		return -EPROTO;
	}
	q->started = false;
	q->base = (uint16_t)le32_to_cpu(st.num);
	if (base)
		*base = q->base;
	return 0;
}

struct vring_drv *vu_front_queue(struct vu_front *fe, unsigned int idx)
{
	if (idx >= VU_FRONT_MAX_QUEUES || !fe->q[idx].ready)
		return NULL;
	return &fe->q[idx].drv;
}

int vu_front_queue_add(struct vu_front *fe, unsigned int idx, const struct vring_buf *out,
		       unsigned int nout, const struct vring_buf *in, unsigned int nin,
		       void *token)
{
	struct vu_front_queue *q = fe_ready_queue(fe, idx);

	if (!q)
		return -EINVAL;
	return vring_drv_add(&q->drv, out, nout, in, nin, token);
}

int vu_front_queue_kick(struct vu_front *fe, unsigned int idx)
{
	struct vu_front_queue *q = fe_ready_queue(fe, idx);
	uint64_t one = 1;

	if (!q)
		return -EINVAL;
	if (!vring_drv_kick_prepare(&q->drv))
		return q->drv.broken ? -EIO : 0;
	if (write(q->kick_fd, &one, sizeof(one)) != (ssize_t)sizeof(one)) {
		/* A full counter (EAGAIN) still wakes the device. */
		if (errno != EAGAIN)
			return -errno;
	}
	return 1;
}

void *vu_front_queue_get_used(struct vu_front *fe, unsigned int idx, uint32_t *len)
{
	struct vu_front_queue *q = fe_ready_queue(fe, idx);

	if (!q)
		return NULL;
	return vring_drv_get_used(&q->drv, len);
}

int vu_front_queue_call_fd(const struct vu_front *fe, unsigned int idx)
{
	if (idx >= VU_FRONT_MAX_QUEUES || !fe->q[idx].ready || fe->q[idx].call_fd < 0)
		return -EINVAL;
	return fe->q[idx].call_fd;
}

int vu_front_queue_wait(struct vu_front *fe, unsigned int idx, int timeout_ms)
{
	struct vu_front_queue *q = fe_ready_queue(fe, idx);
	struct pollfd pfd[2];
	int ret;

	if (!q)
		return -EINVAL;
	if (!vring_drv_enable_cb(&q->drv))
		return 1;
	/* A device that broke the ring's rules completes nothing more: do not wait for it. */
	if (q->drv.broken)
		return -EIO;
	pfd[0] = (struct pollfd) { .fd = q->call_fd, .events = POLLIN };
	pfd[1] = (struct pollfd) { .fd = fe->fd, .events = POLLIN };
	do {
		ret = poll(pfd, 2, timeout_ms < 0 ? -1 : timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return 0;
	if (pfd[0].revents & POLLIN) {
		fe_eventfd_drain(q->call_fd);
		return 1;
	}
	/* Nothing is due on the socket now: data is a protocol violation, else a hang-up. */
	if (pfd[1].revents & POLLIN) {
		uint8_t byte;
		ssize_t n = recv(fe->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);

		fe->broken = true;
		return n > 0 ? -EPROTO : -ECONNRESET;
	}
	fe->broken = true;
	return -ECONNRESET;
}

/*
 * After a device reset: the back-end forgot every queue and the acknowledged features.
 * Forget the rings here too and acknowledge the same features again, as a driver
 * re-initialising its device does.
 */
static int fe_after_reset(struct vu_front *fe)
{
	unsigned int i;

	for (i = 0; i < VU_FRONT_MAX_QUEUES; i++) {
		struct vu_front_queue *q = &fe->q[i];

		q->started = false;
		if (q->ready) {
			vring_drv_fini(&q->drv);
			q->ready = false;
		}
		q->base = 0;
	}
	if (!fe->negotiated)
		return 0;
	return fe_set_u64(fe, VHOST_USER_SET_FEATURES, fe->features, NULL, 0);
}

/* ------------------------------------------------------------------------------------------
 * Config space, status, reset
 * ------------------------------------------------------------------------------------------ */

/* The payload header of GET/SET_CONFIG for @len bytes at @offset. Return: 0 or -errno. */
static int fe_config_begin(const struct vu_front *fe, struct vu_config *cfg, uint32_t offset,
			   uint32_t len)
{
	if (!fe_has_protocol(fe, VHOST_USER_PROTOCOL_F_CONFIG))
		return -EOPNOTSUPP;
	if (len == 0 || len > VHOST_USER_MAX_CONFIG_SIZE)
		return -EINVAL;
	memset(cfg, 0, sizeof(*cfg));
	cfg->offset = cpu_to_le32(offset);
	cfg->size = cpu_to_le32(len);
	return 0;
}

int vu_front_get_config(struct vu_front *fe, uint32_t offset, void *buf, uint32_t len)
{
	struct vu_config cfg;
	int ret;

	ret = fe_config_begin(fe, &cfg, offset, len);
	if (ret < 0)
		return ret;
	ret = fe_send_request(fe, VHOST_USER_GET_CONFIG, 0, &cfg, VU_CONFIG_HDR_SIZE + len,
			      NULL, 0);
	if (ret < 0)
		return ret;
	ret = fe_recv_reply(fe, VHOST_USER_GET_CONFIG, &cfg, 0, VU_CONFIG_HDR_SIZE + len);
	if (ret < 0)
		return ret;
	/* An empty reply is how a back-end says no. */
	if (ret == 0)
		return -EIO;
	if ((uint32_t)ret != VU_CONFIG_HDR_SIZE + len || le32_to_cpu(cfg.size) != len) {
		vadsp_warn(FE_LOG, "GET_CONFIG reply of %d bytes for %u config bytes", ret, len);
		return -EPROTO;
	}
	memcpy(buf, cfg.region, len);
	return 0;
}

int vu_front_set_config(struct vu_front *fe, uint32_t offset, const void *buf, uint32_t len)
{
	struct vu_config cfg;
	int ret;

	ret = fe_config_begin(fe, &cfg, offset, len);
	if (ret < 0)
		return ret;
	cfg.flags = cpu_to_le32(VHOST_SET_CONFIG_TYPE_FRONTEND);
	memcpy(cfg.region, buf, len);
	return fe_set(fe, VHOST_USER_SET_CONFIG, &cfg, VU_CONFIG_HDR_SIZE + len, NULL, 0);
}

int vu_front_set_status(struct vu_front *fe, uint8_t status)
{
	int ret;

	if (!fe_has_protocol(fe, VHOST_USER_PROTOCOL_F_STATUS))
		return -EOPNOTSUPP;
	ret = fe_set_u64(fe, VHOST_USER_SET_STATUS, status, NULL, 0);
	if (ret == 0 && status == 0)
		ret = fe_after_reset(fe);
	return ret;
}

int vu_front_get_status(struct vu_front *fe, uint8_t *status)
{
	uint64_t val;
	int ret;

	if (!fe_has_protocol(fe, VHOST_USER_PROTOCOL_F_STATUS))
		return -EOPNOTSUPP;
	ret = fe_get_u64(fe, VHOST_USER_GET_STATUS, &val);
	if (ret < 0)
		return ret;
	if (val > UINT8_MAX)
		return -EPROTO;
	*status = (uint8_t)val;
	return 0;
}

int vu_front_reset_device(struct vu_front *fe)
{
	int ret;

	if (!fe_has_protocol(fe, VHOST_USER_PROTOCOL_F_RESET_DEVICE))
		return -EOPNOTSUPP;
	ret = fe_set(fe, VHOST_USER_RESET_DEVICE, NULL, 0, NULL, 0);
	if (ret == 0)
		ret = fe_after_reset(fe);
	return ret;
}

/* ------------------------------------------------------------------------------------------
 * Raw messages
 * ------------------------------------------------------------------------------------------ */

int vu_front_send_raw(struct vu_front *fe, const struct vu_msg_hdr *hdr, const void *payload,
		      size_t len, const int *fds, unsigned int nfds)
{
	if (fe->broken)
		return -EPIPE;
	return fe_send(fe, hdr, payload, len, fds, nfds);
}

int vu_front_recv_raw(struct vu_front *fe, struct vu_front_msg *msg, int timeout_ms)
{
	struct fe_fds keep = { .n = 0 };
	int ret;

	if (fe->broken)
		return -EPIPE;
	ret = fe_recv(fe, &msg->hdr, msg->payload, timeout_ms < 0 ? -1 : timeout_ms, &keep);
	if (ret < 0) {
		while (keep.n > 0)
			close(keep.fds[--keep.n]);
		msg->nfds = 0;
		return ret;
	}
	memcpy(msg->fds, keep.fds, keep.n * sizeof(int));
	msg->nfds = keep.n;
	return ret;
}
