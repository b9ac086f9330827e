/* SPDX-License-Identifier: MIT */
/*
 * vhost-user back-end: serves one device per connection.
 *
 * The library owns no event loop (STYLE rule 10): it asks the application to watch file
 * descriptors through struct vu_watch_ops (the listening socket, each connection's socket and
 * the kick eventfd of each started queue) and does its work in the callbacks it registered
 * there. A device is a table of callbacks (struct vu_dev_ops). Everything the front-end
 * (QEMU, or a process acting as a guest) sends is hostile: a message that breaks the protocol
 * gets an error reply where the protocol has one, and otherwise the connection is dropped;
 * other connections are never affected. backend.c lists every message handled and what each
 * violation gives.
 *
 * Threads: everything runs on the thread that runs the event loop, except that a device may
 * hand a started queue to one other thread (a data thread). Between the queue's queue_start
 * callback and the return of its queue_stop callback that thread may use the queue's ring
 * (the struct vring of vu_dev_queue(): pop, push) and call vu_dev_queue_notify() for it.
 * Neither is locked: one thread at a time per queue, and queue_stop must not return before
 * that thread has let go of the queue (the library then reads vring.last_avail_idx, and may
 * unmap guest memory next). The loop thread may replace the queue's call fd meanwhile: the
 * new eventfd is dup3()ed over the old descriptor number, and a call fd turned off (NOFD)
 * stays open until the queue stops, so the data thread never writes to a closed or reused
 * descriptor.
 */
#ifndef VADSP_VHOST_USER_BACKEND_H
#define VADSP_VHOST_USER_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio/vring.h"
#include "vhost-user/proto.h"

struct vu_dev;
struct vu_server;

/* Events for vu_watch_ops (same values as EPOLLIN/EPOLLOUT/EPOLLERR/EPOLLHUP). */
#define VU_WATCH_IN	0x001u
#define VU_WATCH_ERR	0x008u
#define VU_WATCH_HUP	0x010u

typedef void (*vu_watch_fn)(void *data, int fd, uint32_t events);

/**
 * struct vu_watch_ops - how the library asks the application's event loop for fds
 * @add: watch @fd for @events, calling @fn(@data, fd, events) when ready; return 0 or -errno
 * @del: stop watching @fd (called before the library closes it)
 */
struct vu_watch_ops {
	int (*add)(void *loop, int fd, uint32_t events, vu_watch_fn fn, void *data);
	void (*del)(void *loop, int fd);
};

/**
 * struct vu_dev_ops - a virtio device behind vhost-user
 * @connect: a front-end connected: set up per-connection state (vu_dev_set_priv()); a
 *           negative return refuses the connection
 * @disconnect: the connection is going away: free that state (queues are already stopped)
 * @get_features: virtio feature bits to offer (bit 30 is added by the library)
 * @set_features: the front-end acknowledged @features (a subset of what was offered)
 * @get_config: fill @len bytes of config space at @offset; return 0 or -errno
 * @set_config: the driver wrote config space; return 0 or -errno (NULL: read-only config)
 * @queue_start: queue @idx is ready (memory, address, kick fd and enabled): start serving it
 * @queue_stop: queue @idx stops (disable, GET_VRING_BASE, reset, new memory table, new kick
 *              fd, new features, or disconnect): stop touching its ring and guest memory
 *              before returning; the library then reads the ring state back (the ring resumes
 *              at vring.last_avail_idx when the queue starts again)
 * @queue_kick: the driver kicked started queue @idx
 * @reset: the device is reset (RESET_DEVICE, RESET_OWNER, or status 0): forget driver state
 *
 * Every callback may be NULL. Callbacks may call vu_dev_fail() on their device.
 */
struct vu_dev_ops {
	int (*connect)(struct vu_dev *dev);
	void (*disconnect)(struct vu_dev *dev);
	uint64_t (*get_features)(struct vu_dev *dev);
	int (*set_features)(struct vu_dev *dev, uint64_t features);
	int (*get_config)(struct vu_dev *dev, uint32_t offset, uint8_t *buf, uint32_t len);
	int (*set_config)(struct vu_dev *dev, uint32_t offset, const uint8_t *buf, uint32_t len);
	void (*queue_start)(struct vu_dev *dev, unsigned int idx);
	void (*queue_stop)(struct vu_dev *dev, unsigned int idx);
	void (*queue_kick)(struct vu_dev *dev, unsigned int idx);
	void (*reset)(struct vu_dev *dev);
};

/**
 * struct vu_dev_info - fixed facts about the device a server exposes
 * @name: short name for log messages
 * @num_queues: queues per device (GET_QUEUE_NUM), at most VU_MAX_QUEUES
 * @max_queue_size: largest SET_VRING_NUM accepted (power of two, <= VRING_MAX_SIZE)
 * @config_size: bytes of config space (GET_CONFIG beyond it is refused)
 * @allow_unsealed_memory: accept guest memory files that are not sealed against shrinking
 *                         (F_SEAL_SHRINK); only for front-ends that are trusted not to
 *                         truncate a mapped file, which would fault the back-end
 */
struct vu_dev_info {
	const char *name;
	unsigned int num_queues;
	unsigned int max_queue_size;
	uint32_t config_size;
	bool allow_unsealed_memory;
};

#define VU_MAX_QUEUES	16

/**
 * vu_server_new() - create a server for one kind of device
 * @out: the new server
 * @info: facts about the device (copied)
 * @ops: device callbacks (must outlive the server)
 * @watch: the application's fd watcher (must outlive the server)
 * @loop: first argument passed to @watch
 * @data: application data, see vu_server_get_data()
 *
 * Return: 0 or -errno.
 */
int vu_server_new(struct vu_server **out, const struct vu_dev_info *info,
		  const struct vu_dev_ops *ops, const struct vu_watch_ops *watch, void *loop,
		  void *data);

/**
 * vu_server_listen() - listen on a unix socket path
 * @srv: the server (not listening yet)
 * @path: socket path; an existing socket file there is replaced, anything else is not
 *
 * New connections are accepted from the watch callback; any number may be open at once.
 *
 * Return: 0, -EBUSY when already listening, -EINVAL for an empty path, -ENAMETOOLONG,
 * -EEXIST when @path exists and is not a socket, or another -errno.
 */
int vu_server_listen(struct vu_server *srv, const char *path);

/**
 * vu_server_adopt() - serve an already connected socket (the --fd convention)
 * @srv: the server
 * @fd: connected unix stream socket; the server owns it from now on
 * @out: optional: the new connection
 *
 * Return: 0, -ENOTSOCK when @fd is not a unix stream socket, -EINVAL when it is a listening
 * one, or another -errno (@fd is closed on failure).
 */
int vu_server_adopt(struct vu_server *srv, int fd, struct vu_dev **out);

/**
 * vu_server_connections() - how many connections are open
 */
unsigned int vu_server_connections(const struct vu_server *srv);

/**
 * vu_server_get_data() - the @data given to vu_server_new()
 */
void *vu_server_get_data(const struct vu_server *srv);

/**
 * vu_server_free() - close the listening socket (removing its socket file) and every
 * connection (NULL is allowed; not from a library callback)
 */
void vu_server_free(struct vu_server *srv);

/**
 * vu_dev_server() - the server a connection belongs to
 */
struct vu_server *vu_dev_server(const struct vu_dev *dev);

/**
 * vu_dev_set_priv() - store the device's per-connection state
 * @dev: the connection
 * @priv: anything; the library never looks at it
 */
void vu_dev_set_priv(struct vu_dev *dev, void *priv);

/**
 * vu_dev_get_priv() - the per-connection state given to vu_dev_set_priv() (NULL before)
 */
void *vu_dev_get_priv(const struct vu_dev *dev);

/**
 * vu_dev_id() - a small number naming the connection in log messages (unique per server)
 */
unsigned int vu_dev_id(const struct vu_dev *dev);

/**
 * vu_dev_features() - virtio features the front-end acknowledged
 */
uint64_t vu_dev_features(const struct vu_dev *dev);

/**
 * vu_dev_queue() - the device-side ring of a started queue
 *
 * Return: the ring, or NULL when @idx is out of range or not started.
 */
struct vring *vu_dev_queue(struct vu_dev *dev, unsigned int idx);

/**
 * vu_dev_queue_notify() - signal the call fd of queue @idx if the driver wants it
 * @dev: the connection
 * @idx: queue index
 *
 * Checks vring_dev_should_notify() first, so call it from the thread that pushes to the
 * queue, which may be a data thread while the queue is started (see the top of this file);
 * a call fd the front-end replaces meanwhile is swapped under the same fd number, so the
 * write never reaches a stale descriptor.
 *
 * Return: 1 when signalled, 0 when suppressed (the driver asked for no interrupt, nothing new
 * was pushed, or the front-end gave no call fd), -EINVAL for an index out of range, -ENODEV
 * when the queue is not started, or the -errno of write().
 */
int vu_dev_queue_notify(struct vu_dev *dev, unsigned int idx);

/**
 * vu_dev_fail() - the guest broke the rules: drop this connection
 * @dev: the connection
 * @why: logged reason
 *
 * Safe to call from a device callback; the connection is torn down once the callback returns.
 * Called outside any library callback (from the application's own loop callback), the
 * connection is torn down before this returns and @dev must not be used any more.
 */
void vu_dev_fail(struct vu_dev *dev, const char *why);

#endif /* VADSP_VHOST_USER_BACKEND_H */
