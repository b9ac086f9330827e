/* SPDX-License-Identifier: MIT */
/*
 * Single-producer/single-consumer byte ring (STYLE rule 9).
 *
 * One thread writes, one thread reads, no locks. The two indices run freely over the whole
 * uint32_t range and are reduced modulo the (power of two) size only to address bytes, so
 * "full" and "empty" are told apart without a spare slot: readable = write - read.
 *
 * Ordering: the producer copies its bytes and then publishes the new write index with a
 * release store; the consumer loads the write index with acquire before touching the bytes.
 * In the other direction the consumer releases the read index after it has copied the bytes
 * out, and the producer acquires it before reusing that space.
 *
 * Who may call what:
 *   producer: vadsp_ringbuf_writable(), vadsp_ringbuf_write(), vadsp_ringbuf_write_zero()
 *   consumer: vadsp_ringbuf_readable(), vadsp_ringbuf_read(), vadsp_ringbuf_skip()
 *   either, while the other side is known to be idle: vadsp_ringbuf_reset()
 * vadsp_ringbuf_fill() is a snapshot that either side (or a third thread) may take; it is
 * exact for the producer and the consumer and approximate for anyone else.
 *
 * The ring does not own its storage; callers allocate it when a stream is prepared (STYLE
 * rule 5) and keep it alive as long as the ring.
 */
#ifndef VADSP_UTIL_RINGBUF_H
#define VADSP_UTIL_RINGBUF_H

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

struct vadsp_ringbuf {
	_Atomic uint32_t write_index;	/* stored by the producer only */
	_Atomic uint32_t read_index;	/* stored by the consumer only */
	uint32_t size;			/* bytes, a power of two */
	uint8_t *data;
};

/**
 * vadsp_ringbuf_init() - set up an empty ring over caller-owned storage
 * @rb: the ring
 * @data: @size bytes of storage
 * @size: a power of two, at least 1 and at most 2^31
 *
 * Return: 0, or -EINVAL when @size is not a power of two in range or @data is NULL.
 */
static inline int vadsp_ringbuf_init(struct vadsp_ringbuf *rb, void *data, uint32_t size)
{
	if (!data || size == 0 || size > (1u << 31) || (size & (size - 1)))
		return -EINVAL;
	atomic_init(&rb->write_index, 0);
	atomic_init(&rb->read_index, 0);
	rb->size = size;
	rb->data = data;
	return 0;
}

/**
 * vadsp_ringbuf_reset() - make the ring empty
 *
 * Only while neither the producer nor the consumer is using the ring.
 */
static inline void vadsp_ringbuf_reset(struct vadsp_ringbuf *rb)
{
	atomic_store_explicit(&rb->write_index, 0, memory_order_relaxed);
	atomic_store_explicit(&rb->read_index, 0, memory_order_release);
}

/**
 * vadsp_ringbuf_fill() - bytes currently queued (a snapshot)
 */
static inline uint32_t vadsp_ringbuf_fill(struct vadsp_ringbuf *rb)
{
	uint32_t r = atomic_load_explicit(&rb->read_index, memory_order_acquire);
	uint32_t w = atomic_load_explicit(&rb->write_index, memory_order_acquire);

	return w - r;
}

/**
 * vadsp_ringbuf_readable() - consumer: bytes that can be read now
 */
static inline uint32_t vadsp_ringbuf_readable(struct vadsp_ringbuf *rb)
{
	uint32_t r = atomic_load_explicit(&rb->read_index, memory_order_relaxed);
	uint32_t w = atomic_load_explicit(&rb->write_index, memory_order_acquire);

	return w - r;
}

/**
 * vadsp_ringbuf_writable() - producer: bytes that can be written now
 */
static inline uint32_t vadsp_ringbuf_writable(struct vadsp_ringbuf *rb)
{
	uint32_t w = atomic_load_explicit(&rb->write_index, memory_order_relaxed);
	uint32_t r = atomic_load_explicit(&rb->read_index, memory_order_acquire);

	return rb->size - (w - r);
}

/* Copy @len bytes into the ring at free-running index @idx, wrapping at the end. */
static inline void vadsp_ringbuf__put(struct vadsp_ringbuf *rb, uint32_t idx, const void *src,
				      uint32_t len)
{
	uint32_t off = idx & (rb->size - 1);
	uint32_t first = rb->size - off < len ? rb->size - off : len;

	if (src) {
		memcpy(rb->data + off, src, first);
		memcpy(rb->data, (const uint8_t *)src + first, len - first);
	} else {
		memset(rb->data + off, 0, first);
		memset(rb->data, 0, len - first);
	}
}

/**
 * vadsp_ringbuf_write() - producer: append bytes
 * @rb: the ring
 * @src: @len bytes
 * @len: how many; at most vadsp_ringbuf_writable()
 *
 * Return: @len, or -ENOSPC (nothing written) when @len bytes do not fit.
 */
static inline int vadsp_ringbuf_write(struct vadsp_ringbuf *rb, const void *src, uint32_t len)
{
	uint32_t w = atomic_load_explicit(&rb->write_index, memory_order_relaxed);

	if (len > vadsp_ringbuf_writable(rb) || len > INT32_MAX)
		return -ENOSPC;
	vadsp_ringbuf__put(rb, w, src, len);
	atomic_store_explicit(&rb->write_index, w + len, memory_order_release);
	return (int)len;
}

/**
 * vadsp_ringbuf_write_zero() - producer: append @len zero bytes (digital silence)
 *
 * Return: @len, or -ENOSPC (nothing written) when @len bytes do not fit.
 */
static inline int vadsp_ringbuf_write_zero(struct vadsp_ringbuf *rb, uint32_t len)
{
	return vadsp_ringbuf_write(rb, NULL, len);
}

/**
 * vadsp_ringbuf_read() - consumer: take bytes out
 * @rb: the ring
 * @dst: room for @len bytes
 * @len: how many; at most vadsp_ringbuf_readable()
 *
 * Return: @len, or -ENODATA (nothing read) when fewer than @len bytes are queued.
 */
static inline int vadsp_ringbuf_read(struct vadsp_ringbuf *rb, void *dst, uint32_t len)
{
	uint32_t r = atomic_load_explicit(&rb->read_index, memory_order_relaxed);
	uint32_t off = r & (rb->size - 1);
	uint32_t first;

	if (len > vadsp_ringbuf_readable(rb) || len > INT32_MAX)
		return -ENODATA;
	first = rb->size - off < len ? rb->size - off : len;
	memcpy(dst, rb->data + off, first);
	memcpy((uint8_t *)dst + first, rb->data, len - first);
	atomic_store_explicit(&rb->read_index, r + len, memory_order_release);
	return (int)len;
}

/**
 * vadsp_ringbuf_skip() - consumer: drop @len queued bytes unread
 *
 * Return: @len, or -ENODATA (nothing dropped) when fewer than @len bytes are queued.
 */
static inline int vadsp_ringbuf_skip(struct vadsp_ringbuf *rb, uint32_t len)
{
	uint32_t r = atomic_load_explicit(&rb->read_index, memory_order_relaxed);

	if (len > vadsp_ringbuf_readable(rb) || len > INT32_MAX)
		return -ENODATA;
	atomic_store_explicit(&rb->read_index, r + len, memory_order_release);
	return (int)len;
}

#endif /* VADSP_UTIL_RINGBUF_H */
