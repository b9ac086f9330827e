/* SPDX-License-Identifier: MIT */
/*
 * Helpers for tests that play a vhost-user front-end by hand: raw messages with fds over a
 * socket, replies read back without blocking, an event loop pumped until idle, open-fd
 * counting and stderr capture (to check what the back-end logged); and the echo device that
 * the two-process tests, the vhost-user fuzz target and the round-trip benchmark serve.
 */
#ifndef VADSP_TESTS_VU_TEST_UTIL_H
#define VADSP_TESTS_VU_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct vadsp_loop;
struct vu_dev;

/**
 * vut_send_bytes() - send @len raw bytes in one sendmsg(), with @nfds fds attached
 *
 * Never blocks: a socket without room for all of it gives -EAGAIN (or a short send).
 *
 * Return: 0 or -errno (a short send is -EIO).
 */
int vut_send_bytes(int fd, const void *buf, size_t len, const int *fds, unsigned int nfds);

/**
 * vut_send() - send one message: a header with @request, @flags (version bits included by
 * the caller) and @size, then @size bytes of @payload, with @nfds fds
 *
 * Return: 0 or -errno.
 */
int vut_send(int fd, uint32_t request, uint32_t flags, const void *payload, uint32_t size,
	     const int *fds, unsigned int nfds);

/**
 * vut_recv() - read one reply if one is waiting (never blocks)
 * @fd: socket
 * @request: set to the reply's request code
 * @flags: set to its flags
 * @payload: up to @max payload bytes are copied here
 * @max: room in @payload
 *
 * Return: the payload size the header announced, -EAGAIN when nothing is waiting, -EPIPE at
 * end of file, -EPROTO for a truncated or oversized reply.
 */
ssize_t vut_recv(int fd, uint32_t *request, uint32_t *flags, void *payload, size_t max);

/**
 * vut_pump() - run the loop without waiting until a round runs no callback
 */
void vut_pump(struct vadsp_loop *loop);

/**
 * vut_peer_closed() - whether the other end of @fd has closed (EOF readable, no data)
 */
int vut_peer_closed(int fd);

/**
 * vut_count_fds() - open file descriptors of this process (entries of /proc/self/fd)
 */
int vut_count_fds(void);

/**
 * vut_memfd() - a memfd of @size bytes sealed against shrinking, or -errno
 */
int vut_memfd(const char *name, size_t size);

/**
 * vut_memfd_unsealed() - a memfd of @size bytes without seals, or -errno
 */
int vut_memfd_unsealed(const char *name, size_t size);

/**
 * vut_eventfd_count() - read an eventfd without blocking
 *
 * Return: the counter (which is reset), 0 when it was 0.
 */
uint64_t vut_eventfd_count(int fd);

/**
 * vut_echo_queue() - the echo device's answer to a kick on queue @idx
 * @dev: the connection
 * @idx: the kicked queue (nothing is done when it is not started)
 * @buf: room for one request
 * @size: bytes of @buf
 *
 * Pops until the ring is empty, copying each chain's readable bytes (at most @size) into
 * its writable part and pushing it back, then signals the call fd if the driver wants it.
 * Like the sound device, it relies on vring_dev_pop() to ask for the next kick.
 *
 * Return: 0, or -EIO when the queue broke (the caller drops the connection or not).
 */
int vut_echo_queue(struct vu_dev *dev, unsigned int idx, uint8_t *buf, size_t size);

/**
 * struct vut_log - stderr captured into a memfd
 */
struct vut_log {
	int saved;
	int mem;
};

/**
 * vut_log_begin() - start sending stderr to a memory file
 */
void vut_log_begin(struct vut_log *log);

/**
 * vut_log_end() - restore stderr and return what was written meanwhile (free() it)
 */
char *vut_log_end(struct vut_log *log);

#endif /* VADSP_TESTS_VU_TEST_UTIL_H */
