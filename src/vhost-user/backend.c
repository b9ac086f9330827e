// SPDX-License-Identifier: MIT
/*
 * vhost-user back-end: one device instance per front-end connection.
 *
 * Messages handled (vhost-user specification numbering; everything else is "unknown"):
 *   GET_FEATURES          reply: ops->get_features() | VHOST_USER_F_PROTOCOL_FEATURES
 *   SET_FEATURES          a subset of what was offered; queues running are stopped and
 *                         restarted with the new features; bit 30 decides whether rings
 *                         need SET_VRING_ENABLE (when it is not acked, rings start enabled)
 *   SET_OWNER             accepted (no state)
 *   RESET_OWNER           same as RESET_DEVICE
 *   SET_MEM_TABLE         1..8 regions, one fd each; all regions are checked and mapped
 *                         before anything changes; then running queues stop, the map is
 *                         replaced, and queues restart at the index they had reached
 *   SET_VRING_NUM         power of two, 1..info.max_queue_size, queue not running
 *   SET_VRING_ADDR        desc/avail/used aligned 16/2/4, inside the map when one is set,
 *                         no logging flag, queue not running
 *   SET_VRING_BASE        0..65535, queue not running
 *   GET_VRING_BASE        stops the queue, closes its kick fd (SET_VRING_KICK starts it
 *                         again) and replies with the index the ring resumes at
 *   SET_VRING_KICK        an eventfd (NOFD, polling mode, is refused); replacing it on a
 *                         running queue restarts the queue
 *   SET_VRING_CALL        an eventfd or NOFD; replaced at any time (a running queue's
 *                         call fd keeps its number: the new eventfd is dup3()ed over it)
 *                         Kick, call and err eventfds are made non-blocking (O_NONBLOCK on
 *                         the file the front-end shares): nothing the front-end does with a
 *                         counter can block the back-end.
 *   SET_VRING_ERR         an eventfd or NOFD; kept, never written
 *   GET/SET_PROTOCOL_FEATURES  offered: MQ, REPLY_ACK, CONFIG, RESET_DEVICE, STATUS
 *   GET_QUEUE_NUM         reply: info.num_queues
 *   SET_VRING_ENABLE      0 or 1
 *   GET_CONFIG            offset + size within info.config_size; a refused request gets the
 *                         specification's error reply (payload size 0)
 *   SET_CONFIG            same bounds, passed to ops->set_config (refused when NULL)
 *   RESET_DEVICE          queues stop, rings forget size/address/base/kick/enable, features
 *                         and status go to 0, ops->reset; the memory map and the call/err
 *                         fds stay
 *   SET_STATUS            0..255; 0 is a reset as above
 *   GET_STATUS            reply: the last status set
 * A queue runs (ops->queue_start) once the map is set and it has a size, addresses, a kick
 * fd and is enabled; it stops (ops->queue_stop) when any of that goes away, on
 * GET_VRING_BASE, reset and disconnect. REPLY_ACK: a request with NEED_REPLY and no reply
 * of its own gets a u64 reply, 0 on success or the positive errno of the failure.
 *
 * What a hostile front-end gets. "Error reply" means the request is refused with no effect,
 * a u64 errno is sent when NEED_REPLY was set (otherwise only the log says so), and the
 * connection stays. "Dropped" means the connection is closed and everything it owned is
 * freed (queues stopped, ops->disconnect, memory unmapped, fds closed, watches removed).
 * Each case is logged with the connection's name (<device>#<id>) and the reason.
 *   connection closed inside a header or payload (short header) ........ dropped
 *   header version bits not 1, or the REPLY flag set on a request ...... dropped
 *   payload size above VHOST_USER_MAX_PAYLOAD .......................... dropped
 *   more than VHOST_USER_MAX_FDS fds (MSG_CTRUNC) or recv error ........ dropped
 *   unknown or unoffered request ........................................ error reply (ENOSYS)
 *   size field wrong for the request, fds on a request that takes none,
 *   missing fds, fds beyond the ones the request takes ................. error reply (EINVAL)
 *   the same on a request that has its own reply (GET_*; GET_CONFIG
 *   excepted, which answers with size 0) ................................ dropped
 *   vring index >= info.num_queues; GET_VRING_BASE: dropped ............ error reply (EINVAL)
 *   ring size 0, not a power of two, above info.max_queue_size ......... error reply (EINVAL)
 *   ring base above 65535, ENABLE other than 0/1, status above 255 ..... error reply (EINVAL)
 *   ring addresses misaligned / outside the map ......................... error reply
 *                                                                 (EINVAL / EFAULT)
 *   NUM/ADDR/BASE on a running queue ..................................... error reply (EBUSY)
 *   logging flag in SET_VRING_ADDR ...................................... error reply (ENOTSUP)
 *   KICK with NOFD (polling) ............................................ error reply (ENOTSUP)
 *   kick/call/err fd that is not an eventfd ............................. error reply (EINVAL)
 *   features or protocol features that were not offered ................ error reply (EINVAL)
 *   SET_MEM_TABLE: nregions 0 or > 8, size not 8 + 32 * nregions, fd
 *   count not nregions, zero-size region, a range that wraps (gpa, uva or
 *   mmap_offset + size), fd not a regular file, region beyond the end of
 *   its file, regions overlapping in gpa or uva space .................. error reply (EINVAL
 *                                                                 or EEXIST for overlap)
 *   SET_MEM_TABLE: a region file not sealed against shrinking ......... error reply (EPERM)
 *   SET_MEM_TABLE: mmap() fails ......................................... error reply (mmap's)
 *   GET/SET_CONFIG outside the config space or above 256 bytes ......... error reply
 *   the front-end does not read its replies (send would block) ......... dropped
 *   a kick fd that reports an error or hang-up .......................... dropped
 *   a ring address not inside a new map when a queue should (re)start .. queue stays
 *                                                                 stopped, logged
 * Every fd received is either kept (kick/call/err) or closed before the next message is
 * read, whatever happens to the message. Region files must be sealed against shrinking
 * (F_SEAL_SHRINK; QEMU's memory-backend-memfd seals by default): an unsealed file is refused
 * with EPERM unless info.allow_unsealed_memory says the front-end is trusted, because a
 * front-end that truncated a mapped file would make the back-end fault.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/compiler.h"
#include "util/le.h"
#include "util/log.h"
#include "vhost-user/backend.h"

#define LOG			"vhost-user"

/* Protocol features this back-end offers. */
#define VU_PROTOCOL_FEATURES \
	((1ull << VHOST_USER_PROTOCOL_F_MQ) | \
	 (1ull << VHOST_USER_PROTOCOL_F_REPLY_ACK) | \
	 (1ull << VHOST_USER_PROTOCOL_F_CONFIG) | \
	 (1ull << VHOST_USER_PROTOCOL_F_RESET_DEVICE) | \
	 (1ull << VHOST_USER_PROTOCOL_F_STATUS))

/* Messages handled per socket wake-up before other fds get a turn. */
#define VU_MSGS_PER_EVENT	32
/* Connections accepted per wake-up of the listening socket. */
#define VU_ACCEPT_PER_EVENT	16
/* Warnings logged per connection before the rest go to debug level. */
#define VU_WARN_LIMIT		32

struct vu_map {
	void *addr;
	size_t len;
};

struct vu_queue {
	struct vu_dev *dev;
	unsigned int idx;
	unsigned int num;		/* SET_VRING_NUM; 0 until set */
	uint16_t base;			/* where the ring resumes */
	bool addr_set;
	uint64_t desc_uva;
	uint64_t avail_uva;
	uint64_t used_uva;
	bool enabled;			/* SET_VRING_ENABLE */
	bool started;			/* ops->queue_start called, ops->queue_stop not yet */
	bool start_failed;		/* not retried until its configuration changes */
	int kick_fd;
	atomic_int call_fd;		/* read by vu_dev_queue_notify() on any thread */
	atomic_bool call_off;		/* NOFD while running: fd kept open until the stop */
	int err_fd;
	struct vring vq;
	char name[64];			/* "<device>#<id> q<idx>" */
};

/* One message being received: header then payload, fds collected from every part. */
struct vu_rx {
	uint8_t buf[VHOST_USER_HDR_SIZE + VHOST_USER_MAX_PAYLOAD];
	size_t got;
	size_t want;
	int fds[VHOST_USER_MAX_FDS];
	unsigned int nfds;
};

struct vu_dev {
	struct vu_server *srv;
	struct vu_dev *next;
	unsigned int id;
	int fd;
	void *priv;
	bool connected;			/* ops->connect succeeded */
	bool watched;			/* @fd is registered with the application's loop */
	bool failed;			/* being dropped; torn down when no callback runs */
	bool closing;			/* teardown in progress */
	unsigned int busy;		/* library callbacks running on this device */
	unsigned int nwarn;
	uint64_t features;		/* virtio features acked, bit 30 removed */
	bool proto_negotiated;		/* bit 30 acked: rings wait for SET_VRING_ENABLE */
	uint64_t protocol_features;
	uint8_t status;
	struct vring_mem mem;
	struct vu_map maps[VRING_MEM_MAX_REGIONS];
	struct vu_queue q[VU_MAX_QUEUES];
	struct vu_rx rx;
	char name[48];
};

struct vu_server {
	struct vu_dev_info info;
	char *name;
	const struct vu_dev_ops *ops;
	const struct vu_watch_ops *watch;
	void *loop;
	void *data;
	int listen_fd;
	int spare_fd;			/* given up to accept-and-close when out of fds */
	char *path;
	struct vu_dev *devs;
	unsigned int nconn;
	unsigned int next_id;
};

/* A received message, as handlers see it. Handlers keep an fd by setting its slot to -1. */
struct vu_msg {
	uint32_t request;
	uint32_t flags;
	uint32_t size;
	const uint8_t *payload;
	int *fds;
	unsigned int nfds;
};

/* Reply payload a handler fills for requests that have their own reply. */
struct vu_reply {
	uint8_t buf[VHOST_USER_MAX_PAYLOAD];
	uint32_t size;
};

static const char *const vu_req_names[] = {
	[VHOST_USER_GET_FEATURES] = "GET_FEATURES",
	[VHOST_USER_SET_FEATURES] = "SET_FEATURES",
	[VHOST_USER_SET_OWNER] = "SET_OWNER",
	[VHOST_USER_RESET_OWNER] = "RESET_OWNER",
	[VHOST_USER_SET_MEM_TABLE] = "SET_MEM_TABLE",
	[VHOST_USER_SET_LOG_BASE] = "SET_LOG_BASE",
	[VHOST_USER_SET_LOG_FD] = "SET_LOG_FD",
	[VHOST_USER_SET_VRING_NUM] = "SET_VRING_NUM",
	[VHOST_USER_SET_VRING_ADDR] = "SET_VRING_ADDR",
	[VHOST_USER_SET_VRING_BASE] = "SET_VRING_BASE",
	[VHOST_USER_GET_VRING_BASE] = "GET_VRING_BASE",
	[VHOST_USER_SET_VRING_KICK] = "SET_VRING_KICK",
	[VHOST_USER_SET_VRING_CALL] = "SET_VRING_CALL",
	[VHOST_USER_SET_VRING_ERR] = "SET_VRING_ERR",
	[VHOST_USER_GET_PROTOCOL_FEATURES] = "GET_PROTOCOL_FEATURES",
	[VHOST_USER_SET_PROTOCOL_FEATURES] = "SET_PROTOCOL_FEATURES",
	[VHOST_USER_GET_QUEUE_NUM] = "GET_QUEUE_NUM",
	[VHOST_USER_SET_VRING_ENABLE] = "SET_VRING_ENABLE",
	[VHOST_USER_SEND_RARP] = "SEND_RARP",
	[VHOST_USER_NET_SET_MTU] = "NET_SET_MTU",
	[VHOST_USER_SET_BACKEND_REQ_FD] = "SET_BACKEND_REQ_FD",
	[VHOST_USER_IOTLB_MSG] = "IOTLB_MSG",
	[VHOST_USER_SET_VRING_ENDIAN] = "SET_VRING_ENDIAN",
	[VHOST_USER_GET_CONFIG] = "GET_CONFIG",
	[VHOST_USER_SET_CONFIG] = "SET_CONFIG",
	[VHOST_USER_CREATE_CRYPTO_SESSION] = "CREATE_CRYPTO_SESSION",
	[VHOST_USER_CLOSE_CRYPTO_SESSION] = "CLOSE_CRYPTO_SESSION",
	[VHOST_USER_POSTCOPY_ADVISE] = "POSTCOPY_ADVISE",
	[VHOST_USER_POSTCOPY_LISTEN] = "POSTCOPY_LISTEN",
	[VHOST_USER_POSTCOPY_END] = "POSTCOPY_END",
	[VHOST_USER_GET_INFLIGHT_FD] = "GET_INFLIGHT_FD",
	[VHOST_USER_SET_INFLIGHT_FD] = "SET_INFLIGHT_FD",
	[VHOST_USER_GPU_SET_SOCKET] = "GPU_SET_SOCKET",
	[VHOST_USER_RESET_DEVICE] = "RESET_DEVICE",
	[VHOST_USER_VRING_KICK] = "VRING_KICK",
	[VHOST_USER_GET_MAX_MEM_SLOTS] = "GET_MAX_MEM_SLOTS",
	[VHOST_USER_ADD_MEM_REG] = "ADD_MEM_REG",
	[VHOST_USER_REM_MEM_REG] = "REM_MEM_REG",
	[VHOST_USER_SET_STATUS] = "SET_STATUS",
	[VHOST_USER_GET_STATUS] = "GET_STATUS",
};

static const char *vu_req_name(uint32_t request)
{
	if (request < VADSP_ARRAY_SIZE(vu_req_names) && vu_req_names[request])
		return vu_req_names[request];
	return "request";
}

/* ------------------------------------------------------------------------------------------
 * Logging
 * ------------------------------------------------------------------------------------------ */

static void VADSP_PRINTF(3, 4) vu_log(struct vu_dev *dev, enum vadsp_log_level level,
				       const char *fmt, ...)
{
	char line[400];
	va_list ap;

	if (level == VADSP_LOG_WARN) {
		if (dev->nwarn == VU_WARN_LIMIT)
			vadsp_warn(LOG, "%s: further warnings go to debug level", dev->name);
		if (dev->nwarn++ >= VU_WARN_LIMIT)
			level = VADSP_LOG_DEBUG;
	}
	if (level > vadsp_log_get_level())
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	vadsp_log(level, LOG, "%s: %s", dev->name, line);
}

/* Log why a request is refused and return @err, for `return vu_refuse(...)`. */
static int VADSP_PRINTF(4, 5) vu_refuse(struct vu_dev *dev, const struct vu_msg *msg,
					 int err, const char *fmt, ...)
{
	char why[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	vu_log(dev, VADSP_LOG_WARN, "%s(%u) refused: %s", vu_req_name(msg->request),
	       msg->request, why);
	return err;
}

/* ------------------------------------------------------------------------------------------
 * Connection teardown
 * ------------------------------------------------------------------------------------------ */

static void vu_dev_destroy(struct vu_dev *dev);

static void vu_dev_drop(struct vu_dev *dev, enum vadsp_log_level level, const char *why)
{
	if (dev->failed || dev->closing)
		return;
	dev->failed = true;
	vu_log(dev, level, "%s", why);
	if (!dev->busy)
		vu_dev_destroy(dev);
}

static void VADSP_PRINTF(2, 3) vu_dev_dropf(struct vu_dev *dev, const char *fmt, ...)
{
	char why[300];
	int n;
	va_list ap;

	n = snprintf(why, sizeof(why), "dropping the connection: ");
	va_start(ap, fmt);
	vsnprintf(why + n, sizeof(why) - (size_t)n, fmt, ap);
	va_end(ap);
	vu_dev_drop(dev, VADSP_LOG_ERROR, why);
}

void vu_dev_fail(struct vu_dev *dev, const char *why)
{
	vu_dev_dropf(dev, "%s", why ? why : "device error");
}

static void vu_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void vu_unmap_all(struct vu_map *maps, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (maps[i].addr)
			munmap(maps[i].addr, maps[i].len);
		maps[i].addr = NULL;
		maps[i].len = 0;
	}
}

/* ------------------------------------------------------------------------------------------
 * Queues
 * ------------------------------------------------------------------------------------------ */

static void vu_kick_event(void *data, int fd, uint32_t events);

static void vu_queue_close_call(struct vu_queue *q)
{
	int fd = atomic_exchange(&q->call_fd, -1);

	if (fd >= 0)
		close(fd);
	atomic_store(&q->call_off, false);
}

static void vu_queue_stop(struct vu_dev *dev, struct vu_queue *q)
{
	struct vu_server *srv = dev->srv;

	if (!q->started)
		return;
	srv->watch->del(srv->loop, q->kick_fd);
	if (srv->ops->queue_stop)
		srv->ops->queue_stop(dev, q->idx);
	q->base = q->vq.last_avail_idx;
	q->started = false;
	if (atomic_load(&q->call_off))
		vu_queue_close_call(q);
	vu_log(dev, VADSP_LOG_DEBUG, "queue %u stopped at %u", q->idx, q->base);
}

static void vu_queue_start(struct vu_dev *dev, struct vu_queue *q)
{
	struct vu_server *srv = dev->srv;
	void *desc, *avail, *used;
	int ret;

	desc = vring_mem_uva(&dev->mem, q->desc_uva, vring_desc_bytes(q->num));
	avail = vring_mem_uva(&dev->mem, q->avail_uva, vring_avail_bytes(q->num));
	used = vring_mem_uva(&dev->mem, q->used_uva, vring_used_bytes(q->num));
	if (!desc || !avail || !used) {
		vu_log(dev, VADSP_LOG_WARN,
		       "queue %u not started: its ring is not inside guest memory", q->idx);
		q->start_failed = true;
		return;
	}
	ret = vring_dev_init(&q->vq, &dev->mem, q->num, desc, avail, used, dev->features,
			     q->base);
	if (ret < 0) {
		vu_log(dev, VADSP_LOG_WARN, "queue %u not started: ring rejected (%s)", q->idx,
		       strerror(-ret));
		q->start_failed = true;
		return;
	}
	q->vq.name = q->name;
	ret = srv->watch->add(srv->loop, q->kick_fd, VU_WATCH_IN, vu_kick_event, q);
	if (ret < 0) {
		vu_log(dev, VADSP_LOG_WARN, "queue %u not started: cannot watch its kick fd (%s)",
		       q->idx, strerror(-ret));
		q->start_failed = true;
		return;
	}
	q->started = true;
	vu_log(dev, VADSP_LOG_DEBUG, "queue %u started: size %u at %u", q->idx, q->num, q->base);
	if (srv->ops->queue_start)
		srv->ops->queue_start(dev, q->idx);
}

static bool vu_queue_ready(const struct vu_dev *dev, const struct vu_queue *q)
{
	return dev->mem.nregions && q->num && q->addr_set && q->kick_fd >= 0 &&
	       (q->enabled || !dev->proto_negotiated) && !q->start_failed;
}

/* Start every queue that became ready and stop every queue that no longer is. */
static void vu_reconcile(struct vu_dev *dev)
{
	unsigned int i;

	for (i = 0; i < dev->srv->info.num_queues && !dev->failed; i++) {
		struct vu_queue *q = &dev->q[i];
		bool ready = vu_queue_ready(dev, q);

		if (q->started && !ready)
			vu_queue_stop(dev, q);
		else if (!q->started && ready)
			vu_queue_start(dev, q);
	}
}

static void vu_stop_all(struct vu_dev *dev)
{
	unsigned int i;

	for (i = 0; i < dev->srv->info.num_queues; i++)
		vu_queue_stop(dev, &dev->q[i]);
}

static void vu_retry_all(struct vu_dev *dev)
{
	unsigned int i;

	for (i = 0; i < dev->srv->info.num_queues; i++)
		dev->q[i].start_failed = false;
}

static void vu_kick_event(void *data, int fd, uint32_t events)
{
	struct vu_queue *q = data;
	struct vu_dev *dev = q->dev;
	uint64_t v;
	ssize_t n;

	n = read(fd, &v, sizeof(v));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		vu_dev_dropf(dev, "queue %u: kick fd %s", q->idx,
			     n < 0 ? strerror(errno) : "hung up");
		return;
	}
	dev->busy++;
	if (q->started && dev->srv->ops->queue_kick)
		dev->srv->ops->queue_kick(dev, q->idx);
	dev->busy--;
	if (dev->failed)
		vu_dev_destroy(dev);
}

/* Stop the queues, forget the driver's ring and device state, keep the map and call fds. */
static void vu_dev_reset(struct vu_dev *dev)
{
	struct vu_server *srv = dev->srv;
	unsigned int i;

	vu_stop_all(dev);
	for (i = 0; i < srv->info.num_queues; i++) {
		struct vu_queue *q = &dev->q[i];

		q->num = 0;
		q->base = 0;
		q->addr_set = false;
		q->enabled = false;
		q->start_failed = false;
		vu_close(&q->kick_fd);
	}
	dev->features = 0;
	dev->status = 0;
	if (srv->ops->reset)
		srv->ops->reset(dev);
}

/* ------------------------------------------------------------------------------------------
 * Request handlers. Those for requests without a reply of their own return 0 or -errno
 * (the REPLY_ACK value); the others fill @reply and return 0, or -errno to drop.
 * ------------------------------------------------------------------------------------------ */

static uint64_t vu_offered_features(struct vu_dev *dev)
{
	const struct vu_dev_ops *ops = dev->srv->ops;
	uint64_t f = ops->get_features ? ops->get_features(dev) : 0;

	return f | (1ull << VHOST_USER_F_PROTOCOL_FEATURES);
}

static void vu_reply_u64(struct vu_reply *reply, uint64_t v)
{
	put_le64(reply->buf, v);
	reply->size = sizeof(uint64_t);
}

static int vu_get_features(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	vu_reply_u64(reply, vu_offered_features(dev));
	return 0;
}

static int vu_set_features(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	const struct vu_dev_ops *ops = dev->srv->ops;
	uint64_t f = get_le64(msg->payload);
	uint64_t offered = vu_offered_features(dev);
	uint64_t virtio = f & ~(1ull << VHOST_USER_F_PROTOCOL_FEATURES);
	bool proto = f & (1ull << VHOST_USER_F_PROTOCOL_FEATURES);
	int ret;

	if (f & ~offered)
		return vu_refuse(dev, msg, -EINVAL, "features %#llx were not offered",
				 (unsigned long long)(f & ~offered));
	if (virtio != dev->features)
		vu_stop_all(dev);	/* the rings must be re-read with the new features */
	if (ops->set_features) {
		ret = ops->set_features(dev, virtio);
		if (ret < 0) {
			vu_reconcile(dev);	/* resume with the old features */
			return vu_refuse(dev, msg, ret, "the device refused features %#llx",
					 (unsigned long long)virtio);
		}
	}
	dev->features = virtio;
	dev->proto_negotiated = proto;
	vu_retry_all(dev);
	vu_reconcile(dev);
	return 0;
}

static int vu_set_owner(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	return 0;
}

static int vu_reset_device(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	vu_log(dev, VADSP_LOG_DEBUG, "%s: device reset", vu_req_name(msg->request));
	vu_dev_reset(dev);
	return 0;
}

static int vu_get_protocol_features(struct vu_dev *dev, struct vu_msg *msg,
				    struct vu_reply *reply)
{
	vu_reply_u64(reply, VU_PROTOCOL_FEATURES);
	return 0;
}

static int vu_set_protocol_features(struct vu_dev *dev, struct vu_msg *msg,
				    struct vu_reply *reply)
{
	uint64_t f = get_le64(msg->payload);

	if (f & ~VU_PROTOCOL_FEATURES)
		return vu_refuse(dev, msg, -EINVAL, "protocol features %#llx were not offered",
				 (unsigned long long)(f & ~VU_PROTOCOL_FEATURES));
	dev->protocol_features = f;
	return 0;
}

static int vu_get_queue_num(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	vu_reply_u64(reply, dev->srv->info.num_queues);
	return 0;
}

/*
 * A region the front-end could truncate while it is mapped would make our next access to it
 * fault (SIGBUS): accept only files sealed against shrinking, unless configured otherwise.
 */
static bool vu_memory_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);

	return seals >= 0 && (seals & F_SEAL_SHRINK);
}

/* Check one region of SET_MEM_TABLE and map it. */
static int vu_map_region(struct vu_dev *dev, const struct vu_msg *msg, unsigned int i,
			 int fd, struct vu_map *map, struct vring_mem_region *reg)
{
	const uint8_t *p = msg->payload + offsetof(struct vu_mem_table, regions) +
			   i * sizeof(struct vu_mem_region);
	uint64_t gpa = get_le64(p + offsetof(struct vu_mem_region, gpa));
	uint64_t size = get_le64(p + offsetof(struct vu_mem_region, size));
	uint64_t uva = get_le64(p + offsetof(struct vu_mem_region, uva));
	uint64_t off = get_le64(p + offsetof(struct vu_mem_region, mmap_offset));
	uint64_t align, start, len;
	struct stat st;
	void *addr;

	if (!size)
		return vu_refuse(dev, msg, -EINVAL, "region %u has size 0", i);
	if (gpa > UINT64_MAX - (size - 1) || uva > UINT64_MAX - (size - 1))
		return vu_refuse(dev, msg, -EINVAL,
				 "region %u (gpa %#llx uva %#llx size %#llx) wraps around", i,
				 (unsigned long long)gpa, (unsigned long long)uva,
				 (unsigned long long)size);
	if (off > UINT64_MAX - size || off + size > INT64_MAX)
		return vu_refuse(dev, msg, -EINVAL,
				 "region %u: mmap_offset %#llx + size %#llx overflows", i,
				 (unsigned long long)off, (unsigned long long)size);
	if (fstat(fd, &st) < 0)
		return vu_refuse(dev, msg, -errno, "region %u: fstat: %s", i, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return vu_refuse(dev, msg, -EINVAL, "region %u: the fd is not a memory file", i);
	if (!vu_memory_sealed(fd) && !dev->srv->info.allow_unsealed_memory)
		return vu_refuse(dev, msg, -EPERM,
				 "region %u: the memory file is not sealed against shrinking "
				 "(F_SEAL_SHRINK); share a sealed memfd (QEMU's "
				 "memory-backend-memfd is sealed by default)", i);
	if (off + size > (uint64_t)st.st_size)
		return vu_refuse(dev, msg, -EINVAL,
				 "region %u: mmap_offset %#llx + size %#llx is beyond the file's "
				 "%lld bytes", i, (unsigned long long)off,
				 (unsigned long long)size, (long long)st.st_size);
	/* Map from an offset aligned as the file needs (huge pages report theirs here). */
	align = (uint64_t)sysconf(_SC_PAGESIZE);
	if (st.st_blksize > 0 && (uint64_t)st.st_blksize > align &&
	    !((uint64_t)st.st_blksize & ((uint64_t)st.st_blksize - 1)) &&
	    (uint64_t)st.st_blksize <= (1ull << 30))
		align = (uint64_t)st.st_blksize;
	start = off & ~(align - 1);
	len = VADSP_ALIGN_UP(off - start + size, align);
	if (len > SIZE_MAX)
		return vu_refuse(dev, msg, -ENOMEM, "region %u is too large to map", i);
	addr = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)start);
	if (addr == MAP_FAILED)
		return vu_refuse(dev, msg, -errno, "region %u: mmap: %s", i, strerror(errno));
	map->addr = addr;
	map->len = (size_t)len;
	reg->gpa = gpa;
	reg->size = size;
	reg->uva = uva;
	reg->host = (uint8_t *)addr + (off - start);
	return 0;
}

static int vu_set_mem_table(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	struct vu_map maps[VRING_MEM_MAX_REGIONS] = { { 0 } };
	struct vring_mem mem = { 0 };
	uint32_t nregions;
	unsigned int i;
	int ret;

	_Static_assert(VHOST_USER_MAX_REGIONS <= VRING_MEM_MAX_REGIONS, "region limits");
	if (msg->size < offsetof(struct vu_mem_table, regions))
		return vu_refuse(dev, msg, -EINVAL, "payload of %u bytes", msg->size);
	nregions = get_le32(msg->payload + offsetof(struct vu_mem_table, nregions));
	if (nregions == 0 || nregions > VHOST_USER_MAX_REGIONS)
		return vu_refuse(dev, msg, -EINVAL, "%u regions (1 to %u allowed)", nregions,
				 VHOST_USER_MAX_REGIONS);
	if (msg->size != offsetof(struct vu_mem_table, regions) +
			 nregions * sizeof(struct vu_mem_region))
		return vu_refuse(dev, msg, -EINVAL, "payload of %u bytes for %u regions",
				 msg->size, nregions);
	if (msg->nfds != nregions)
		return vu_refuse(dev, msg, -EINVAL, "%u fds for %u regions", msg->nfds, nregions);
	for (i = 0; i < nregions; i++) {
		struct vring_mem_region reg;

		ret = vu_map_region(dev, msg, i, msg->fds[i], &maps[i], &reg);
		if (ret < 0)
			goto fail;
		ret = vring_mem_add(&mem, &reg);
		if (ret < 0) {
			vu_refuse(dev, msg, ret, "region %u (gpa %#llx uva %#llx size %#llx) %s",
				  i, (unsigned long long)reg.gpa, (unsigned long long)reg.uva,
				  (unsigned long long)reg.size,
				  ret == -EEXIST ? "overlaps another region" : "is invalid");
			goto fail;
		}
	}
	/* The new map is good: now the queues stop, the maps are swapped, queues restart. */
	vu_stop_all(dev);
	vu_unmap_all(dev->maps, VADSP_ARRAY_SIZE(dev->maps));
	memcpy(dev->maps, maps, sizeof(maps));
	dev->mem = mem;
	vu_log(dev, VADSP_LOG_DEBUG, "memory table: %u regions", nregions);
	vu_retry_all(dev);
	vu_reconcile(dev);
	return 0;
fail:
	vu_unmap_all(maps, VADSP_ARRAY_SIZE(maps));
	return ret;
}

/*
 * The queue a vu_vring_state or vu_vring_addr payload names (both start with u32 index); with
 * @num, the vu_vring_state's num too. Return: the queue, or NULL with the refusal logged.
 */
static struct vu_queue *vu_state_queue(struct vu_dev *dev, const struct vu_msg *msg,
				       uint32_t *num)
{
	uint32_t index = get_le32(msg->payload + offsetof(struct vu_vring_state, index));

	_Static_assert(offsetof(struct vu_vring_state, index) ==
		       offsetof(struct vu_vring_addr, index), "queue index at the same place");
	if (num)
		*num = get_le32(msg->payload + offsetof(struct vu_vring_state, num));
	if (index >= dev->srv->info.num_queues) {
		vu_refuse(dev, msg, -EINVAL, "queue index %u out of range (%u queues)", index,
			  dev->srv->info.num_queues);
		return NULL;
	}
	return &dev->q[index];
}

static int vu_set_vring_num(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	uint32_t num;
	struct vu_queue *q = vu_state_queue(dev, msg, &num);

	if (!q)
		return -EINVAL;
	if (!num || (num & (num - 1)) || num > dev->srv->info.max_queue_size)
		return vu_refuse(dev, msg, -EINVAL,
				 "queue %u: size %u (a power of two up to %u needed)", q->idx, num,
				 dev->srv->info.max_queue_size);
	if (q->started)
		return vu_refuse(dev, msg, -EBUSY, "queue %u is running", q->idx);
	q->num = num;
	q->start_failed = false;
	vu_reconcile(dev);
	return 0;
}

static int vu_set_vring_base(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	uint32_t num;
	struct vu_queue *q = vu_state_queue(dev, msg, &num);

	if (!q)
		return -EINVAL;
	if (num > UINT16_MAX)
		return vu_refuse(dev, msg, -EINVAL, "queue %u: base %u is above 65535", q->idx,
				 num);
	if (q->started)
		return vu_refuse(dev, msg, -EBUSY, "queue %u is running", q->idx);
	q->base = (uint16_t)num;
	q->start_failed = false;
	vu_reconcile(dev);
	return 0;
}

static int vu_get_vring_base(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	struct vu_queue *q = vu_state_queue(dev, msg, NULL);

	if (!q)
		return -EINVAL;
	vu_queue_stop(dev, q);
	/* The ring stays stopped until a new SET_VRING_KICK. */
	vu_close(&q->kick_fd);
	put_le32(reply->buf + offsetof(struct vu_vring_state, index), q->idx);
	put_le32(reply->buf + offsetof(struct vu_vring_state, num), q->base);
	reply->size = sizeof(struct vu_vring_state);
	return 0;
}

static int vu_set_vring_enable(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	uint32_t num;
	struct vu_queue *q = vu_state_queue(dev, msg, &num);

	if (!q)
		return -EINVAL;
	if (num > 1)
		return vu_refuse(dev, msg, -EINVAL, "queue %u: enable value %u", q->idx, num);
	q->enabled = num;
	vu_reconcile(dev);
	return 0;
}

static int vu_set_vring_addr(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	const uint8_t *p = msg->payload;
	uint32_t flags = get_le32(p + offsetof(struct vu_vring_addr, flags));
	uint64_t desc = get_le64(p + offsetof(struct vu_vring_addr, desc_uva));
	uint64_t used = get_le64(p + offsetof(struct vu_vring_addr, used_uva));
	uint64_t avail = get_le64(p + offsetof(struct vu_vring_addr, avail_uva));
	struct vu_queue *q = vu_state_queue(dev, msg, NULL);
	unsigned int num;

	if (!q)
		return -EINVAL;
	if (flags & (1u << VHOST_VRING_F_LOG))
		return vu_refuse(dev, msg, -ENOTSUP, "queue %u: dirty logging is not supported",
				 q->idx);
	if (flags)
		return vu_refuse(dev, msg, -EINVAL, "queue %u: unknown flags %#x", q->idx, flags);
	if (desc % VRING_DESC_ALIGN || avail % VRING_AVAIL_ALIGN || used % VRING_USED_ALIGN)
		return vu_refuse(dev, msg, -EINVAL,
				 "queue %u: misaligned ring (desc %#llx avail %#llx used %#llx)",
				 q->idx, (unsigned long long)desc, (unsigned long long)avail,
				 (unsigned long long)used);
	if (dev->mem.nregions) {
		num = q->num ? q->num : 1;
		if (!vring_mem_uva(&dev->mem, desc, vring_desc_bytes(num)) ||
		    !vring_mem_uva(&dev->mem, avail, vring_avail_bytes(num)) ||
		    !vring_mem_uva(&dev->mem, used, vring_used_bytes(num)))
			return vu_refuse(dev, msg, -EFAULT,
					 "queue %u: ring (desc %#llx avail %#llx used %#llx) is "
					 "not inside guest memory", q->idx,
					 (unsigned long long)desc, (unsigned long long)avail,
					 (unsigned long long)used);
	}
	if (q->started)
		return vu_refuse(dev, msg, -EBUSY, "queue %u is running", q->idx);
	q->desc_uva = desc;
	q->avail_uva = avail;
	q->used_uva = used;
	q->addr_set = true;
	q->start_failed = false;
	vu_reconcile(dev);
	return 0;
}

/* Whether @fd is an eventfd; where /proc is missing, at least not a pipe or socket. */
static bool vu_is_eventfd(int fd)
{
	static const char want[] = "anon_inode:[eventfd]";
	char path[64], target[64];
	struct stat st;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target));
	if (n >= 0)
		return (size_t)n == sizeof(want) - 1 && !memcmp(target, want, sizeof(want) - 1);
	if (fstat(fd, &st) < 0)
		return false;
	return !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode) && !S_ISDIR(st.st_mode);
}

/*
 * Common part of SET_VRING_KICK/CALL/ERR: index, NOFD, the fd count, an eventfd, made
 * non-blocking. Return: the queue, or NULL with *@err set.
 */
static struct vu_queue *vu_fd_queue(struct vu_dev *dev, const struct vu_msg *msg, bool *nofd,
				    int *err)
{
	uint64_t v = get_le64(msg->payload);
	uint32_t index = (uint32_t)(v & VHOST_USER_VRING_IDX_MASK);

	*nofd = v & VHOST_USER_VRING_NOFD;
	if (v & ~(VHOST_USER_VRING_IDX_MASK | VHOST_USER_VRING_NOFD)) {
		*err = vu_refuse(dev, msg, -EINVAL, "unknown bits in %#llx",
				 (unsigned long long)v);
		return NULL;
	}
	if (index >= dev->srv->info.num_queues) {
		*err = vu_refuse(dev, msg, -EINVAL, "queue index %u out of range (%u queues)",
				 index, dev->srv->info.num_queues);
		return NULL;
	}
	if (msg->nfds != (*nofd ? 0u : 1u)) {
		*err = vu_refuse(dev, msg, -EINVAL, "queue %u: %u fds with%s the NOFD flag",
				 index, msg->nfds, *nofd ? "" : "out");
		return NULL;
	}
	if (!*nofd && !vu_is_eventfd(msg->fds[0])) {
		*err = vu_refuse(dev, msg, -EINVAL, "queue %u: the fd is not an eventfd", index);
		return NULL;
	}
	/*
	 * Reading a kick or writing a call must never block the loop or a data thread, even
	 * when the front-end drains the kick counter itself or fills the call counter to the
	 * top (a full counter then reads as a call already pending).
	 */
	if (!*nofd) {
		int fl = fcntl(msg->fds[0], F_GETFL);

		if (fl < 0 || fcntl(msg->fds[0], F_SETFL, fl | O_NONBLOCK) < 0) {
			int e = errno;

			*err = vu_refuse(dev, msg, -e, "queue %u: fcntl: %s", index, strerror(e));
			return NULL;
		}
	}
	return &dev->q[index];
}

static int vu_set_vring_kick(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	struct vu_queue *q;
	int err = 0;
	bool nofd;

	q = vu_fd_queue(dev, msg, &nofd, &err);
	if (!q)
		return err;
	if (nofd)
		return vu_refuse(dev, msg, -ENOTSUP,
				 "queue %u: polling mode (no kick fd) is not supported", q->idx);
	vu_queue_stop(dev, q);
	vu_close(&q->kick_fd);
	q->kick_fd = msg->fds[0];
	msg->fds[0] = -1;
	q->start_failed = false;
	vu_reconcile(dev);
	return 0;
}

static int vu_set_vring_call(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	struct vu_queue *q;
	int old, err = 0;
	bool nofd;

	q = vu_fd_queue(dev, msg, &nofd, &err);
	if (!q)
		return err;
	old = atomic_load(&q->call_fd);
	if (nofd) {
		if (q->started && old >= 0)
			atomic_store(&q->call_off, true);	/* closed when the queue stops */
		else
			vu_queue_close_call(q);
		return 0;
	}
	if (old >= 0) {
		/* Same fd number, new eventfd: a notifier on another thread never sees a gap. */
		if (dup3(msg->fds[0], old, O_CLOEXEC) < 0)
			return vu_refuse(dev, msg, -errno, "queue %u: dup3: %s", q->idx,
					 strerror(errno));
		atomic_store(&q->call_off, false);
		return 0;
	}
	atomic_store(&q->call_fd, msg->fds[0]);
	msg->fds[0] = -1;
	atomic_store(&q->call_off, false);
	return 0;
}

static int vu_set_vring_err(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	struct vu_queue *q;
	int err = 0;
	bool nofd;

	q = vu_fd_queue(dev, msg, &nofd, &err);
	if (!q)
		return err;
	vu_close(&q->err_fd);
	if (!nofd) {
		q->err_fd = msg->fds[0];
		msg->fds[0] = -1;
	}
	return 0;
}

/* Bounds of a GET/SET_CONFIG payload. Return: 0 or -errno (logged). */
static int vu_config_check(struct vu_dev *dev, const struct vu_msg *msg, uint32_t *offset,
			   uint32_t *size, uint32_t *flags)
{
	uint32_t limit = dev->srv->info.config_size;

	if (msg->size < VU_CONFIG_HDR_SIZE)
		return vu_refuse(dev, msg, -EINVAL, "payload of %u bytes", msg->size);
	*offset = get_le32(msg->payload + offsetof(struct vu_config, offset));
	*size = get_le32(msg->payload + offsetof(struct vu_config, size));
	*flags = get_le32(msg->payload + offsetof(struct vu_config, flags));
	if (*size > VHOST_USER_MAX_CONFIG_SIZE || msg->size != VU_CONFIG_HDR_SIZE + *size)
		return vu_refuse(dev, msg, -EINVAL, "config size %u in a payload of %u bytes",
				 *size, msg->size);
	if (*offset > limit || *size > limit - *offset)
		return vu_refuse(dev, msg, -EINVAL,
				 "config bytes %u..+%u are outside the %u-byte config space",
				 *offset, *size, limit);
	return 0;
}

static int vu_get_config(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	const struct vu_dev_ops *ops = dev->srv->ops;
	uint32_t offset = 0, size = 0, flags = 0;
	int ret;

	/* A refused GET_CONFIG is answered with an empty payload (the protocol's error). */
	reply->size = 0;
	if (vu_config_check(dev, msg, &offset, &size, &flags) < 0)
		return 0;
	memset(reply->buf, 0, VU_CONFIG_HDR_SIZE + size);
	if (ops->get_config) {
		ret = ops->get_config(dev, offset, reply->buf + VU_CONFIG_HDR_SIZE, size);
		if (ret < 0) {
			vu_refuse(dev, msg, ret, "the device refused config bytes %u..+%u", offset,
				  size);
			return 0;
		}
	}
	put_le32(reply->buf + offsetof(struct vu_config, offset), offset);
	put_le32(reply->buf + offsetof(struct vu_config, size), size);
	put_le32(reply->buf + offsetof(struct vu_config, flags), flags);
	reply->size = VU_CONFIG_HDR_SIZE + size;
	return 0;
}

static int vu_set_config(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	const struct vu_dev_ops *ops = dev->srv->ops;
	uint32_t offset = 0, size = 0, flags = 0;
	int ret;

	ret = vu_config_check(dev, msg, &offset, &size, &flags);
	if (ret < 0)
		return ret;
	if (flags != VHOST_SET_CONFIG_TYPE_FRONTEND && flags != VHOST_SET_CONFIG_TYPE_MIGRATION)
		return vu_refuse(dev, msg, -EINVAL, "config flags %#x", flags);
	if (!ops->set_config)
		return vu_refuse(dev, msg, -EPERM, "the config space is read-only");
	ret = ops->set_config(dev, offset, msg->payload + VU_CONFIG_HDR_SIZE, size);
	if (ret < 0)
		return vu_refuse(dev, msg, ret, "the device refused config bytes %u..+%u", offset,
				 size);
	return 0;
}

static int vu_set_status(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	uint64_t v = get_le64(msg->payload);

	if (v > UINT8_MAX)
		return vu_refuse(dev, msg, -EINVAL, "status %#llx", (unsigned long long)v);
	if (!v) {
		vu_log(dev, VADSP_LOG_DEBUG, "status 0: device reset");
		vu_dev_reset(dev);
		return 0;
	}
	dev->status = (uint8_t)v;
	return 0;
}

static int vu_get_status(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply)
{
	vu_reply_u64(reply, dev->status);
	return 0;
}

/* Payload sizes: exact, or checked by the handler. */
#define VU_SIZE_VAR	(-1)

/* Request flags. */
#define VU_R_REPLY	0x1u	/* has a reply of its own: no REPLY_ACK, a refusal drops */
#define VU_R_FDS	0x2u	/* may carry fds (the handler checks how many) */
#define VU_R_EMPTY_ERR	0x4u	/* a refusal is answered with an empty payload instead */

/**
 * struct vu_req - how a request is checked and handled
 * @size: exact payload size, or VU_SIZE_VAR (the handler checks it)
 * @flags: VU_R_*
 * @handle: the handler
 */
struct vu_req {
	int size;
	unsigned int flags;
	int (*handle)(struct vu_dev *dev, struct vu_msg *msg, struct vu_reply *reply);
};

static const struct vu_req vu_reqs[] = {
	[VHOST_USER_GET_FEATURES] = {
		.size = 0, .flags = VU_R_REPLY, .handle = vu_get_features },
	[VHOST_USER_SET_FEATURES] = {
		.size = 8, .flags = 0, .handle = vu_set_features },
	[VHOST_USER_SET_OWNER] = {
		.size = 0, .flags = 0, .handle = vu_set_owner },
	[VHOST_USER_RESET_OWNER] = {
		.size = 0, .flags = 0, .handle = vu_reset_device },
	[VHOST_USER_SET_MEM_TABLE] = {
		.size = VU_SIZE_VAR, .flags = VU_R_FDS, .handle = vu_set_mem_table },
	[VHOST_USER_SET_VRING_NUM] = {
		.size = 8, .flags = 0, .handle = vu_set_vring_num },
	[VHOST_USER_SET_VRING_ADDR] = {
		.size = 40, .flags = 0, .handle = vu_set_vring_addr },
	[VHOST_USER_SET_VRING_BASE] = {
		.size = 8, .flags = 0, .handle = vu_set_vring_base },
	[VHOST_USER_GET_VRING_BASE] = {
		.size = 8, .flags = VU_R_REPLY, .handle = vu_get_vring_base },
	[VHOST_USER_SET_VRING_KICK] = {
		.size = 8, .flags = VU_R_FDS, .handle = vu_set_vring_kick },
	[VHOST_USER_SET_VRING_CALL] = {
		.size = 8, .flags = VU_R_FDS, .handle = vu_set_vring_call },
	[VHOST_USER_SET_VRING_ERR] = {
		.size = 8, .flags = VU_R_FDS, .handle = vu_set_vring_err },
	[VHOST_USER_GET_PROTOCOL_FEATURES] = {
		.size = 0, .flags = VU_R_REPLY, .handle = vu_get_protocol_features },
	[VHOST_USER_SET_PROTOCOL_FEATURES] = {
		.size = 8, .flags = 0, .handle = vu_set_protocol_features },
	[VHOST_USER_GET_QUEUE_NUM] = {
		.size = 0, .flags = VU_R_REPLY, .handle = vu_get_queue_num },
	[VHOST_USER_SET_VRING_ENABLE] = {
		.size = 8, .flags = 0, .handle = vu_set_vring_enable },
	[VHOST_USER_GET_CONFIG] = {
		.size = VU_SIZE_VAR, .flags = VU_R_REPLY | VU_R_EMPTY_ERR, .handle = vu_get_config },
	[VHOST_USER_SET_CONFIG] = {
		.size = VU_SIZE_VAR, .flags = 0, .handle = vu_set_config },
	[VHOST_USER_RESET_DEVICE] = {
		.size = 0, .flags = 0, .handle = vu_reset_device },
	[VHOST_USER_SET_STATUS] = {
		.size = 8, .flags = 0, .handle = vu_set_status },
	[VHOST_USER_GET_STATUS] = {
		.size = 0, .flags = VU_R_REPLY, .handle = vu_get_status },
};

_Static_assert(sizeof(struct vu_vring_state) == 8 && sizeof(struct vu_vring_addr) == 40 &&
	       sizeof(uint64_t) == 8, "payload sizes in vu_reqs");

/* ------------------------------------------------------------------------------------------
 * Receiving and dispatching
 * ------------------------------------------------------------------------------------------ */

static int vu_send(struct vu_dev *dev, uint32_t request, const void *payload, uint32_t size)
{
	uint8_t buf[VHOST_USER_HDR_SIZE + VHOST_USER_MAX_PAYLOAD];
	size_t len = VHOST_USER_HDR_SIZE + size;
	ssize_t n;

	put_le32(buf + offsetof(struct vu_msg_hdr, request), request);
	put_le32(buf + offsetof(struct vu_msg_hdr, flags), VHOST_USER_VERSION | VHOST_USER_REPLY);
	put_le32(buf + offsetof(struct vu_msg_hdr, size), size);
	if (size)
		memcpy(buf + VHOST_USER_HDR_SIZE, payload, size);
	do {
		n = send(dev->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		vu_dev_dropf(dev, "cannot send the %s reply: %s", vu_req_name(request),
			     strerror(errno));
		return -EPIPE;
	}
	if ((size_t)n != len) {
		vu_dev_dropf(dev, "the front-end does not read its replies");
		return -EPIPE;
	}
	return 0;
}

static void vu_dispatch(struct vu_dev *dev)
{
	struct vu_rx *rx = &dev->rx;
	struct vu_msg msg = {
		.request = get_le32(rx->buf + offsetof(struct vu_msg_hdr, request)),
		.flags = get_le32(rx->buf + offsetof(struct vu_msg_hdr, flags)),
		.size = get_le32(rx->buf + offsetof(struct vu_msg_hdr, size)),
		.payload = rx->buf + VHOST_USER_HDR_SIZE,
		.fds = rx->fds,
		.nfds = rx->nfds,
	};
	const struct vu_req *req = NULL;
	struct vu_reply reply;
	uint8_t ack[8];
	int ret;

	if (msg.request < VADSP_ARRAY_SIZE(vu_reqs) && vu_reqs[msg.request].handle)
		req = &vu_reqs[msg.request];
	vu_log(dev, VADSP_LOG_DEBUG, "%s(%u) flags %#x size %u fds %u", vu_req_name(msg.request),
	       msg.request, msg.flags, msg.size, msg.nfds);
	reply.size = 0;
	if (!req)
		ret = vu_refuse(dev, &msg, -ENOSYS, "not supported");
	else if (req->size != VU_SIZE_VAR && msg.size != (uint32_t)req->size)
		ret = vu_refuse(dev, &msg, -EINVAL, "payload of %u bytes, %d expected", msg.size,
				req->size);
	else if (msg.nfds && !(req->flags & VU_R_FDS))
		ret = vu_refuse(dev, &msg, -EINVAL, "%u fds on a request that takes none",
				msg.nfds);
	else
		ret = req->handle(dev, &msg, &reply);
	if (dev->failed)
		return;
	if (req && (req->flags & VU_R_REPLY)) {
		if (ret < 0 && (req->flags & VU_R_EMPTY_ERR)) {
			reply.size = 0;
			ret = 0;
		}
		if (ret < 0) {
			vu_dev_dropf(dev, "%s(%u) refused and it has no error reply",
				     vu_req_name(msg.request), msg.request);
			return;
		}
		vu_send(dev, msg.request, reply.buf, reply.size);
		return;
	}
	if (msg.flags & VHOST_USER_NEED_REPLY) {
		put_le64(ack, ret < 0 ? (uint64_t)-ret : 0);
		vu_send(dev, msg.request, ack, sizeof(ack));
	}
}

static void vu_rx_reset(struct vu_rx *rx)
{
	unsigned int i;

	for (i = 0; i < rx->nfds; i++)
		vu_close(&rx->fds[i]);
	rx->nfds = 0;
	rx->got = 0;
	rx->want = VHOST_USER_HDR_SIZE;
}

/* Take the fds of one recvmsg(). Return: false when more came than a message may carry. */
static bool vu_rx_fds(struct vu_rx *rx, struct msghdr *mh)
{
	struct cmsghdr *cm;
	bool ok = true;

	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		size_t i, n;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS ||
		    cm->cmsg_len < CMSG_LEN(0))
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (rx->nfds < VHOST_USER_MAX_FDS) {
				rx->fds[rx->nfds++] = fd;
			} else {
				close(fd);
				ok = false;
			}
		}
	}
	return ok;
}

/*
 * Read what the socket has of the current message.
 * Return: 1 when a whole message is in @dev->rx, 0 when more is needed, -EPIPE when the
 * connection was dropped.
 */
static int vu_rx_msg(struct vu_dev *dev)
{
	struct vu_rx *rx = &dev->rx;

	for (;;) {
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(sizeof(int) * VHOST_USER_MAX_FDS)];
		} cbuf;
		struct iovec iov = {
			.iov_base = rx->buf + rx->got,
			.iov_len = rx->want - rx->got,
		};
		struct msghdr mh = {
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = cbuf.buf,
			.msg_controllen = sizeof(cbuf.buf),
		};
		uint32_t flags, size;
		ssize_t n;

		n = recvmsg(dev->fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			vu_dev_dropf(dev, "recvmsg: %s", strerror(errno));
			return -EPIPE;
		}
		if (!vu_rx_fds(rx, &mh) || (mh.msg_flags & MSG_CTRUNC)) {
			vu_dev_dropf(dev, "more than %u fds with one message", VHOST_USER_MAX_FDS);
			return -EPIPE;
		}
		if (n == 0) {
			if (rx->got == 0 && rx->nfds == 0)
				vu_dev_drop(dev, VADSP_LOG_INFO, "the front-end disconnected");
			else if (rx->want == VHOST_USER_HDR_SIZE)
				vu_dev_dropf(dev, "short header: closed after %zu of %u bytes",
					     rx->got, VHOST_USER_HDR_SIZE);
			else
				vu_dev_dropf(dev, "short payload: closed after %zu of %zu bytes",
					     rx->got - VHOST_USER_HDR_SIZE,
					     rx->want - VHOST_USER_HDR_SIZE);
			return -EPIPE;
		}
		rx->got += (size_t)n;
		if (rx->got < rx->want)
			continue;
		if (rx->want > VHOST_USER_HDR_SIZE)
			return 1;
		/* The header is complete: check it before reading the payload. */
		flags = get_le32(rx->buf + offsetof(struct vu_msg_hdr, flags));
		size = get_le32(rx->buf + offsetof(struct vu_msg_hdr, size));
		if ((flags & VHOST_USER_VERSION_MASK) != VHOST_USER_VERSION) {
			vu_dev_dropf(dev, "header version %u (flags %#x), 1 expected",
				     flags & VHOST_USER_VERSION_MASK, flags);
			return -EPIPE;
		}
		if (flags & VHOST_USER_REPLY) {
			vu_dev_dropf(dev, "a request with the reply flag (flags %#x)", flags);
			return -EPIPE;
		}
		if (size > VHOST_USER_MAX_PAYLOAD) {
			vu_dev_dropf(dev, "%s(%u) payload of %u bytes (at most %zu)",
				     vu_req_name(get_le32(rx->buf)), get_le32(rx->buf), size,
				     (size_t)VHOST_USER_MAX_PAYLOAD);
			return -EPIPE;
		}
		if (!size)
			return 1;
		rx->want = VHOST_USER_HDR_SIZE + size;
	}
}

static void vu_sock_event(void *data, int fd, uint32_t events)
{
	struct vu_dev *dev = data;
	unsigned int i;

	dev->busy++;
	for (i = 0; i < VU_MSGS_PER_EVENT && !dev->failed; i++) {
		if (vu_rx_msg(dev) <= 0)
			break;
		vu_dispatch(dev);
		vu_rx_reset(&dev->rx);
	}
	dev->busy--;
	if (dev->failed)
		vu_dev_destroy(dev);
}

/* ------------------------------------------------------------------------------------------
 * Connections
 * ------------------------------------------------------------------------------------------ */

static void vu_dev_destroy(struct vu_dev *dev)
{
	struct vu_server *srv = dev->srv;
	struct vu_dev **pp;
	unsigned int i;

	dev->closing = true;
	vu_stop_all(dev);
	if (dev->connected && srv->ops->disconnect)
		srv->ops->disconnect(dev);
	for (i = 0; i < VU_MAX_QUEUES; i++) {
		vu_close(&dev->q[i].kick_fd);
		vu_queue_close_call(&dev->q[i]);
		vu_close(&dev->q[i].err_fd);
	}
	vu_unmap_all(dev->maps, VADSP_ARRAY_SIZE(dev->maps));
	vu_rx_reset(&dev->rx);
	if (dev->watched)
		srv->watch->del(srv->loop, dev->fd);
	close(dev->fd);
	for (pp = &srv->devs; *pp; pp = &(*pp)->next) {
		if (*pp == dev) {
			*pp = dev->next;
			break;
		}
	}
	srv->nconn--;
	free(dev);
}

static int vu_dev_create(struct vu_server *srv, int fd, struct vu_dev **out)
{
	struct vu_dev *dev;
	unsigned int i;
	int ret;

	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		close(fd);
		return -ENOMEM;
	}
	dev->srv = srv;
	dev->fd = fd;
	dev->id = ++srv->next_id;
	snprintf(dev->name, sizeof(dev->name), "%s#%u", srv->name, dev->id);
	for (i = 0; i < VU_MAX_QUEUES; i++) {
		struct vu_queue *q = &dev->q[i];

		q->dev = dev;
		q->idx = i;
		q->kick_fd = -1;
		q->err_fd = -1;
		atomic_init(&q->call_fd, -1);
		atomic_init(&q->call_off, false);
		snprintf(q->name, sizeof(q->name), "%s q%u", dev->name, i);
	}
	for (i = 0; i < VHOST_USER_MAX_FDS; i++)
		dev->rx.fds[i] = -1;
	dev->rx.want = VHOST_USER_HDR_SIZE;
	dev->next = srv->devs;
	srv->devs = dev;
	srv->nconn++;

	dev->busy++;
	ret = srv->ops->connect ? srv->ops->connect(dev) : 0;
	dev->busy--;
	if (ret < 0) {
		vu_log(dev, VADSP_LOG_WARN, "the device refused the connection: %s",
		       strerror(-ret));
		dev->failed = true;
		vu_dev_destroy(dev);
		return ret;
	}
	dev->connected = true;
	if (dev->failed) {
		vu_dev_destroy(dev);
		return -ECONNABORTED;
	}
	ret = srv->watch->add(srv->loop, fd, VU_WATCH_IN, vu_sock_event, dev);
	if (ret < 0) {
		vu_log(dev, VADSP_LOG_ERROR, "cannot watch the connection: %s", strerror(-ret));
		dev->failed = true;
		vu_dev_destroy(dev);
		return ret;
	}
	dev->watched = true;
	vu_log(dev, VADSP_LOG_INFO, "front-end connected");
	if (out)
		*out = dev;
	return 0;
}

static void vu_listen_event(void *data, int fd, uint32_t events)
{
	struct vu_server *srv = data;
	unsigned int i;

	for (i = 0; i < VU_ACCEPT_PER_EVENT; i++) {
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (c >= 0) {
			vu_dev_create(srv, c, NULL);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		if ((errno == EMFILE || errno == ENFILE) && srv->spare_fd >= 0) {
			/* Refuse the pending connection rather than spin on it. */
			close(srv->spare_fd);
			c = accept(fd, NULL, NULL);
			if (c >= 0)
				close(c);
			srv->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
			vadsp_warn(LOG, "%s: out of file descriptors, refused a connection",
				   srv->name);
			continue;
		}
		vadsp_warn(LOG, "%s: accept: %s", srv->name, strerror(errno));
		return;
	}
}

int vu_server_new(struct vu_server **out, const struct vu_dev_info *info,
		  const struct vu_dev_ops *ops, const struct vu_watch_ops *watch, void *loop,
		  void *data)
{
	struct vu_server *srv;

	if (!info || !ops || !watch || !watch->add || !watch->del || !info->num_queues ||
	    info->num_queues > VU_MAX_QUEUES || !info->max_queue_size ||
	    info->max_queue_size > VRING_MAX_SIZE ||
	    (info->max_queue_size & (info->max_queue_size - 1)) ||
	    info->config_size > VHOST_USER_MAX_CONFIG_SIZE)
		return -EINVAL;
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -ENOMEM;
	srv->name = strdup(info->name ? info->name : "vhost-user");
	if (!srv->name) {
		free(srv);
		return -ENOMEM;
	}
	srv->info = *info;
	srv->info.name = srv->name;
	srv->ops = ops;
	srv->watch = watch;
	srv->loop = loop;
	srv->data = data;
	srv->listen_fd = -1;
	srv->spare_fd = -1;
	*out = srv;
	return 0;
}

int vu_server_listen(struct vu_server *srv, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, ret;

	if (srv->listen_fd >= 0)
		return -EBUSY;
	if (!path || !*path)
		return -EINVAL;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0) {
		/* Replace a stale socket, never anything else. */
		if (!S_ISSOCK(st.st_mode))
			return -EEXIST;
		if (unlink(path) < 0)
			return -errno;
	} else if (errno != ENOENT) {
		return -errno;
	}
	srv->path = strdup(path);
	if (!srv->path)
		return -ENOMEM;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		ret = -errno;
		goto fail;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		close(fd);
		goto fail;
	}
	/* From here on the socket file is ours: remove it again on failure. */
	ret = listen(fd, 16) < 0 ? -errno : 0;
	if (ret == 0)
		ret = srv->watch->add(srv->loop, fd, VU_WATCH_IN, vu_listen_event, srv);
	if (ret < 0) {
		close(fd);
		unlink(path);
		goto fail;
	}
	srv->listen_fd = fd;
	srv->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return 0;
fail:
	free(srv->path);
	srv->path = NULL;
	return ret;
}

int vu_server_adopt(struct vu_server *srv, int fd, struct vu_dev **out)
{
	int type = 0, domain = 0, listening = 0, fl;
	socklen_t len = sizeof(type);

	if (fd < 0)
		return -EBADF;
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	len = sizeof(domain);
	if (type != SOCK_STREAM || getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 ||
	    domain != AF_UNIX) {
		close(fd);
		return -ENOTSOCK;
	}
	len = sizeof(listening);
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0 || listening) {
		close(fd);
		return -EINVAL;		/* a listening socket, not a connection */
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	return vu_dev_create(srv, fd, out);
}

unsigned int vu_server_connections(const struct vu_server *srv)
{
	return srv->nconn;
}

void *vu_server_get_data(const struct vu_server *srv)
{
	return srv->data;
}

void vu_server_free(struct vu_server *srv)
{
	if (!srv)
		return;
	while (srv->devs) {
		srv->devs->failed = true;
		vu_dev_destroy(srv->devs);
	}
	if (srv->listen_fd >= 0) {
		srv->watch->del(srv->loop, srv->listen_fd);
		close(srv->listen_fd);
		if (srv->path)
			unlink(srv->path);
	}
	if (srv->spare_fd >= 0)
		close(srv->spare_fd);
	free(srv->path);
	free(srv->name);
	free(srv);
}

/* ------------------------------------------------------------------------------------------
 * Device accessors
 * ------------------------------------------------------------------------------------------ */

struct vu_server *vu_dev_server(const struct vu_dev *dev)
{
	return dev->srv;
}

void vu_dev_set_priv(struct vu_dev *dev, void *priv)
{
	dev->priv = priv;
}

void *vu_dev_get_priv(const struct vu_dev *dev)
{
	return dev->priv;
}

unsigned int vu_dev_id(const struct vu_dev *dev)
{
	return dev->id;
}

uint64_t vu_dev_features(const struct vu_dev *dev)
{
	return dev->features;
}

struct vring *vu_dev_queue(struct vu_dev *dev, unsigned int idx)
{
	if (idx >= dev->srv->info.num_queues || !dev->q[idx].started)
		return NULL;
	return &dev->q[idx].vq;
}

int vu_dev_queue_notify(struct vu_dev *dev, unsigned int idx)
{
	static const uint64_t one = 1;
	struct vu_queue *q;
	ssize_t n;
	int fd;

	if (idx >= dev->srv->info.num_queues)
		return -EINVAL;
	q = &dev->q[idx];
	if (!q->started)
		return -ENODEV;
	fd = atomic_load(&q->call_fd);
	if (fd < 0 || atomic_load(&q->call_off))
		return 0;
	if (!vring_dev_should_notify(&q->vq))
		return 0;
	n = write(fd, &one, sizeof(one));
	if (n == (ssize_t)sizeof(one))
		return 1;
	if (n < 0 && errno == EAGAIN)
		return 1;	/* the counter is saturated: the driver has a pending call */
	return n < 0 ? -errno : -EIO;
}
