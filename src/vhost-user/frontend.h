/* SPDX-License-Identifier: MIT */
/*
 * vhost-user front-end: the driver side, so that a process can be a complete guest without a
 * virtual machine.
 *
 * The front-end connects to a back-end's socket, negotiates features, creates guest memory
 * as a memfd (shared with the back-end through SET_MEM_TABLE, guest physical address 0 at
 * the start of this process's mapping), places split virtqueues in that memory and drives
 * them: add buffers, kick, wait for the call eventfd, reap used buffers. A raw message API
 * lets tests send arbitrary (also malformed) messages.
 *
 * Everything returns 0 (or a count) on success and -errno on failure. Replies from the
 * back-end are checked: a reply with the wrong request code, flags or size is rejected with
 * -EPROTO, never copied past the caller's buffer. A failed REPLY_ACK becomes -EIO. When the
 * byte stream can no longer be trusted (a message larger than any valid one, a connection
 * closed inside a message, a reply that did not come in time), the front-end is marked
 * broken and every later request fails with -EPIPE.
 *
 * One struct vu_front is used by one thread at a time.
 */
#ifndef VADSP_VHOST_USER_FRONTEND_H
#define VADSP_VHOST_USER_FRONTEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vhost-user/proto.h"
#include "virtio/vring.h"

struct vu_front;

/* Most queues one front-end drives. */
#define VU_FRONT_MAX_QUEUES	16

/* Default time to wait for a reply from the back-end, in milliseconds. */
#define VU_FRONT_REPLY_TIMEOUT_MS	5000

/* Protocol features the front-end asks for unless told otherwise. */
#define VU_FRONT_DEFAULT_PROTOCOL_FEATURES \
	((1ull << VHOST_USER_PROTOCOL_F_MQ) | \
	 (1ull << VHOST_USER_PROTOCOL_F_REPLY_ACK) | \
	 (1ull << VHOST_USER_PROTOCOL_F_CONFIG) | \
	 (1ull << VHOST_USER_PROTOCOL_F_RESET_DEVICE) | \
	 (1ull << VHOST_USER_PROTOCOL_F_STATUS))

/**
 * struct vu_front_buf - a piece of guest memory
 * @host: where it lies in this process
 * @gpa: guest physical address the back-end sees for @host
 * @len: length in bytes
 */
struct vu_front_buf {
	void *host;
	uint64_t gpa;
	uint64_t len;
};

/**
 * vu_front_connect() - connect to a back-end listening on a unix socket
 * @out: the new front-end
 * @path: socket path
 *
 * Return: 0, -ENAMETOOLONG for a path that does not fit sockaddr_un, or the -errno of
 * socket()/connect().
 */
int vu_front_connect(struct vu_front **out, const char *path);

/**
 * vu_front_new_fd() - use an already connected unix stream socket
 * @out: the new front-end
 * @fd: the socket; owned by the front-end from now on (also on failure)
 *
 * Return: 0 or -errno.
 */
int vu_front_new_fd(struct vu_front **out, int fd);

/**
 * vu_front_close() - close the connection and free the guest memory and the queues
 * @fe: the front-end (NULL is allowed)
 *
 * Nothing is sent first; call vu_front_queue_stop() before for an orderly stop.
 */
void vu_front_close(struct vu_front *fe);

/**
 * vu_front_fd() - the connection's socket (for poll() by the caller)
 */
int vu_front_fd(const struct vu_front *fe);

/**
 * vu_front_set_reply_timeout() - how long to wait for each reply
 * @fe: the front-end
 * @timeout_ms: milliseconds; negative waits forever
 */
void vu_front_set_reply_timeout(struct vu_front *fe, int timeout_ms);

/**
 * vu_front_negotiate() - the handshake QEMU does before it starts a device
 * @fe: the front-end
 * @want_features: virtio feature bits the driver understands (bit 30 is handled here)
 * @want_protocol: protocol feature bits to ask for, for instance
 *                 VU_FRONT_DEFAULT_PROTOCOL_FEATURES
 *
 * Sends GET_FEATURES; when the back-end offers VHOST_USER_F_PROTOCOL_FEATURES,
 * GET_PROTOCOL_FEATURES and SET_PROTOCOL_FEATURES with the intersection (REPLY_ACK is used
 * from then on when it was accepted); GET_QUEUE_NUM when MQ was accepted; SET_OWNER; and
 * SET_FEATURES with the intersection of @want_features and the offer, plus bit 30 when it
 * was offered.
 *
 * Return: 0 or -errno.
 */
int vu_front_negotiate(struct vu_front *fe, uint64_t want_features, uint64_t want_protocol);

/**
 * vu_front_features() - virtio features acknowledged by vu_front_negotiate()
 *
 * Bit 30 (VHOST_USER_F_PROTOCOL_FEATURES) is included when it was negotiated.
 */
uint64_t vu_front_features(const struct vu_front *fe);

/**
 * vu_front_offered_features() - virtio features the back-end offered in GET_FEATURES
 */
uint64_t vu_front_offered_features(const struct vu_front *fe);

/**
 * vu_front_protocol_features() - protocol features in force (0 before negotiation)
 */
uint64_t vu_front_protocol_features(const struct vu_front *fe);

/**
 * vu_front_queue_num() - queues the back-end reported in GET_QUEUE_NUM
 *
 * Return: the count, or 0 when MQ was not negotiated.
 */
unsigned int vu_front_queue_num(const struct vu_front *fe);

/**
 * vu_front_mem_create() - create guest memory and announce it with SET_MEM_TABLE
 * @fe: the front-end
 * @size: bytes of guest memory; a multiple of the page size, at least two pages
 * @nregions: 1, or 2 to announce the memory as two regions of half the size each over the
 *            same memfd (the way QEMU splits RAM around a hole)
 *
 * The memory is a memfd mapped shared into this process. Region i has gpa = i * size /
 * nregions, uva = the address of that byte in this process and mmap_offset = its offset in
 * the memfd. The memory can be created once per front-end.
 *
 * Return: 0, -EINVAL for a bad size or region count, -EALREADY when memory exists, or -errno.
 */
int vu_front_mem_create(struct vu_front *fe, uint64_t size, unsigned int nregions);

/**
 * vu_front_alloc() - carve a buffer out of guest memory
 * @fe: the front-end
 * @len: bytes wanted (non-zero)
 * @align: alignment of the guest physical address, a power of two (0 means 16)
 * @buf: filled with the buffer on success
 *
 * A bump allocator: memory is handed out once and comes back when the front-end is closed.
 * The buffer is zeroed.
 *
 * Return: 0, -EINVAL, -ENODEV before vu_front_mem_create(), -ENOMEM when memory is exhausted.
 */
int vu_front_alloc(struct vu_front *fe, uint64_t len, uint64_t align, struct vu_front_buf *buf);

/**
 * vu_front_mem_host() - host view of a guest physical range
 * @fe: the front-end
 * @gpa: first byte
 * @len: length in bytes
 *
 * Return: the host address of @gpa, or NULL when the range is not inside guest memory.
 */
void *vu_front_mem_host(const struct vu_front *fe, uint64_t gpa, uint64_t len);

/**
 * vu_front_queue_start() - set up queue @idx and start it
 * @fe: the front-end, negotiated and with memory
 * @idx: queue index, below VU_FRONT_MAX_QUEUES (and below vu_front_queue_num() when known)
 * @num: queue size, a power of two
 *
 * The first start lays out an empty ring in guest memory (vring_drv_init()) and creates the
 * kick and call eventfds. After vu_front_queue_stop() the same ring is resumed from the index
 * the back-end returned, when @num is unchanged; otherwise the ring is laid out afresh. Sends
 * SET_VRING_NUM, SET_VRING_BASE, SET_VRING_ADDR (addresses in this process's address space,
 * as QEMU gives its own), SET_VRING_KICK, SET_VRING_CALL and, when protocol features were
 * negotiated, SET_VRING_ENABLE 1.
 *
 * Return: 0 or -errno.
 */
int vu_front_queue_start(struct vu_front *fe, unsigned int idx, unsigned int num);

/**
 * vu_front_queue_stop() - stop queue @idx and fetch its ring state
 * @fe: the front-end
 * @idx: a started queue
 * @base: optional: the next available index the back-end would have processed
 *        (GET_VRING_BASE)
 *
 * Sends SET_VRING_ENABLE 0 (when protocol features were negotiated) and GET_VRING_BASE.
 *
 * Return: 0 or -errno.
 */
int vu_front_queue_stop(struct vu_front *fe, unsigned int idx, uint16_t *base);

/**
 * vu_front_queue() - the driver side of queue @idx
 *
 * Return: the ring, or NULL when the queue has never been started.
 */
struct vring_drv *vu_front_queue(struct vu_front *fe, unsigned int idx);

/**
 * vu_front_queue_add() - make a chain available on queue @idx (see vring_drv_add())
 * @fe: the front-end
 * @idx: a queue that has been started (it may be stopped now: the back-end sees the chain
 *       once the queue is started again, as with a guest kicking a stopped vhost device)
 * @out: device-readable buffers
 * @nout: their number
 * @in: device-writable buffers
 * @nin: their number
 * @token: non-NULL value vu_front_queue_get_used() returns for this chain
 *
 * Return: the head descriptor index, -ENOSPC when the ring is full, or -errno.
 */
int vu_front_queue_add(struct vu_front *fe, unsigned int idx, const struct vring_buf *out,
		       unsigned int nout, const struct vring_buf *in, unsigned int nin,
		       void *token);

/**
 * vu_front_queue_kick() - publish what was added and write the kick eventfd if the device
 *                         wants a notification
 * @fe: the front-end
 * @idx: a queue that has been started
 *
 * A kick while the back-end has the queue stopped stays pending in the eventfd.
 *
 * Return: 1 when kicked, 0 when the device asked not to be notified, -EIO when the device
 * broke the ring (see vring_drv_get_used()), -errno on failure.
 */
int vu_front_queue_kick(struct vu_front *fe, unsigned int idx);

/**
 * vu_front_queue_get_used() - reap one completed chain from queue @idx
 * @fe: the front-end
 * @idx: a queue that has been started
 * @len: set to the number of bytes the device wrote
 *
 * Return: the chain's token, or NULL when nothing has completed.
 */
void *vu_front_queue_get_used(struct vu_front *fe, unsigned int idx, uint32_t *len);

/**
 * vu_front_queue_wait() - block until the device signals queue @idx
 * @fe: the front-end
 * @idx: a queue that has been started
 * @timeout_ms: most milliseconds to wait; negative waits forever
 *
 * Asks for a call on the next completion (vring_drv_enable_cb()) and, unless completions are
 * already pending, blocks in poll() on the call eventfd and the socket; a readable call
 * eventfd is drained. A signal may be stale (for completions already reaped): callers reap
 * with vu_front_queue_get_used() and wait again while nothing came back.
 *
 * Return: 1 when completions may be pending, 0 on timeout, -EIO when the device broke the
 * ring (a bad used entry: nothing more will be reaped), -ECONNRESET when the back-end closed
 * the connection, -EPROTO when it sent an unexpected message, or -errno.
 */
int vu_front_queue_wait(struct vu_front *fe, unsigned int idx, int timeout_ms);

/**
 * vu_front_queue_call_fd() - the call eventfd of queue @idx, for a caller's own poll()
 * @fe: the front-end
 * @idx: a queue that has been started
 *
 * Readable once the device signals the queue after vring_drv_enable_cb() (which
 * vu_front_queue_wait() with a timeout of 0 does, draining the descriptor when it is
 * readable). The descriptor stays the front-end's: the caller only polls and reads it.
 *
 * Return: the descriptor, or -EINVAL for a queue that was never started.
 */
int vu_front_queue_call_fd(const struct vu_front *fe, unsigned int idx);

/**
 * vu_front_get_config() - read device config space (GET_CONFIG)
 * @fe: the front-end, with the CONFIG protocol feature negotiated
 * @offset: first byte
 * @buf: destination
 * @len: bytes, 1..VHOST_USER_MAX_CONFIG_SIZE
 *
 * Return: 0, -EOPNOTSUPP without the CONFIG feature, -EINVAL, -EIO when the back-end
 * refused (an empty reply), -EPROTO for a malformed reply, or -errno.
 */
int vu_front_get_config(struct vu_front *fe, uint32_t offset, void *buf, uint32_t len);

/**
 * vu_front_set_config() - write device config space (SET_CONFIG, as the driver)
 * @fe: the front-end, with the CONFIG protocol feature negotiated
 * @offset: first byte
 * @buf: source
 * @len: bytes, 1..VHOST_USER_MAX_CONFIG_SIZE
 *
 * Return: 0, -EOPNOTSUPP without the CONFIG feature, -EINVAL, -EIO when the back-end
 * refused (with REPLY_ACK), or -errno.
 */
int vu_front_set_config(struct vu_front *fe, uint32_t offset, const void *buf, uint32_t len);

/**
 * vu_front_set_status() - write the virtio device status (SET_STATUS)
 * @fe: the front-end, with the STATUS protocol feature negotiated
 * @status: VIRTIO_STATUS_* bits; 0 resets the device, with the same effects here as
 *          vu_front_reset_device()
 *
 * Return: 0, -EOPNOTSUPP without the STATUS feature, -EIO when the back-end refused, -errno.
 */
int vu_front_set_status(struct vu_front *fe, uint8_t status);

/**
 * vu_front_get_status() - read the virtio device status (GET_STATUS)
 * @fe: the front-end, with the STATUS protocol feature negotiated
 * @status: set to the status byte
 *
 * Return: 0, -EOPNOTSUPP without the STATUS feature, -EPROTO for a reply that does not fit
 * in a byte, or -errno.
 */
int vu_front_get_status(struct vu_front *fe, uint8_t *status);

/**
 * vu_front_reset_device() - reset the device (RESET_DEVICE)
 * @fe: the front-end, with the RESET_DEVICE protocol feature negotiated
 *
 * Every queue is forgotten on both sides; vu_front_queue_start() lays rings out afresh.
 * Guest memory stays. The back-end forgets the acknowledged features too, so they are
 * acknowledged again (SET_FEATURES) as a re-initialising driver does; the device status is
 * 0 afterwards.
 *
 * Return: 0, -EOPNOTSUPP without the RESET_DEVICE feature, or -errno.
 */
int vu_front_reset_device(struct vu_front *fe);

/**
 * vu_front_send_raw() - send an arbitrary message (for tests of hostile front-ends)
 * @fe: the front-end
 * @hdr: header fields in host byte order, sent as given (size is not checked against @len)
 * @payload: bytes after the header (may be NULL when @len is 0)
 * @len: number of payload bytes actually sent
 * @fds: file descriptors to pass with the header (not closed)
 * @nfds: their number, at most VHOST_USER_MAX_FDS
 *
 * Return: 0 or -errno.
 */
int vu_front_send_raw(struct vu_front *fe, const struct vu_msg_hdr *hdr, const void *payload,
		      size_t len, const int *fds, unsigned int nfds);

/**
 * struct vu_front_msg - one message as received by vu_front_recv_raw()
 * @hdr: header fields in host byte order
 * @payload: the payload (@hdr.size bytes of it)
 * @fds: file descriptors that came with the message; the caller closes them
 * @nfds: their number
 */
struct vu_front_msg {
	struct vu_msg_hdr hdr;
	uint8_t payload[VHOST_USER_MAX_PAYLOAD];
	int fds[VHOST_USER_MAX_FDS];
	unsigned int nfds;
};

/**
 * vu_front_recv_raw() - receive one message, whatever it is
 * @fe: the front-end
 * @msg: filled with the message
 * @timeout_ms: most milliseconds to wait for the header; negative waits forever
 *
 * A message with more than VHOST_USER_MAX_PAYLOAD bytes of payload cannot be valid: its
 * header is returned, the front-end is marked broken and -EMSGSIZE returned. A timeout
 * leaves the front-end usable (a late message is read by the next call).
 *
 * Return: the payload size, -ETIMEDOUT, -ECONNRESET when the peer closed the connection,
 * -EMSGSIZE, or -errno. On failure no file descriptor is left open.
 */
int vu_front_recv_raw(struct vu_front *fe, struct vu_front_msg *msg, int timeout_ms);

#endif /* VADSP_VHOST_USER_FRONTEND_H */
