/* SPDX-License-Identifier: MIT */
/*
 * Split virtqueue layout (VIRTIO 1.x, 2.7) as it lies in guest memory.
 *
 * Every multi-byte field is little-endian; access goes through util/le.h.
 */
#ifndef VADSP_VIRTIO_RING_H
#define VADSP_VIRTIO_RING_H

#include <stdint.h>

#include "util/compiler.h"
#include "util/le.h"

/* Transport feature bits that the ring code cares about. */
#define VIRTIO_F_INDIRECT_DESC		28
#define VIRTIO_F_EVENT_IDX		29
#define VIRTIO_F_VERSION_1		32

#define VRING_DESC_F_NEXT		1
#define VRING_DESC_F_WRITE		2
#define VRING_DESC_F_INDIRECT		4

#define VRING_AVAIL_F_NO_INTERRUPT	1
#define VRING_USED_F_NO_NOTIFY		1

/* The largest queue size the specification allows. */
#define VRING_MAX_SIZE			32768

/* Alignment of each part (VIRTIO 1.x, 2.7.2 "Legacy interfaces" alignment for used is 4). */
#define VRING_DESC_ALIGN		16
#define VRING_AVAIL_ALIGN		2
#define VRING_USED_ALIGN		4

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vring_desc, 16);

/* Followed by le16 used_event when VIRTIO_F_EVENT_IDX is negotiated. */
struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vring_avail, 4);

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vring_used_elem, 8);

/* Followed by le16 avail_event when VIRTIO_F_EVENT_IDX is negotiated. */
struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vring_used, 4);

/*
 * Byte offsets inside each part. Code addresses ring fields by offset from the part's start
 * (never through a pointer to a packed member) and reads the 16-bit indices and flags that
 * the other side writes concurrently only through vring_load_le16().
 */
#define VRING_AVAIL_FLAGS_OFF		0
#define VRING_AVAIL_IDX_OFF		2
#define VRING_AVAIL_RING_OFF(i)		(4ull + 2ull * (i))
#define VRING_USED_EVENT_OFF(num)	(4ull + 2ull * (num))	/* le16 used_event, in avail */
#define VRING_USED_FLAGS_OFF		0
#define VRING_USED_IDX_OFF		2
#define VRING_USED_RING_OFF(i)		(4ull + 8ull * (i))
#define VRING_AVAIL_EVENT_OFF(num)	(4ull + 8ull * (num))	/* le16 avail_event, in used */

/*
 * vring_load_le16() - read a shared little-endian 16-bit ring field exactly once
 * @p: 2-byte aligned address of the field
 *
 * A relaxed atomic load: the compiler can neither tear it nor cache it nor read it twice.
 * Ordering against other accesses comes from the explicit fences at each call site.
 */
static inline uint16_t vring_load_le16(const void *p)
{
	return le16_to_cpu(__atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED));
}

/*
 * vring_store_le16() - write a shared little-endian 16-bit ring field in one store
 * @p: 2-byte aligned address of the field
 * @v: value in host byte order
 */
static inline void vring_store_le16(void *p, uint16_t v)
{
	__atomic_store_n((uint16_t *)p, cpu_to_le16(v), __ATOMIC_RELAXED);
}

/* Bytes each part occupies for a queue of @num entries (event index fields included). */
static inline uint64_t vring_desc_bytes(unsigned int num)
{
	return 16ull * num;
}

static inline uint64_t vring_avail_bytes(unsigned int num)
{
	return 4ull + 2ull * num + 2;
}

static inline uint64_t vring_used_bytes(unsigned int num)
{
	return 4ull + 8ull * num + 2;
}

/*
 * vring_need_event() - the EVENT_IDX test (VIRTIO 1.x, 2.7.10): true when moving the index
 * from @old_idx to @new_idx stepped past @event_idx, that is @old_idx <= @event_idx <
 * @new_idx with 16-bit wrap-around (the entry @event_idx was among those just published).
 */
static inline int vring_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old_idx)
{
	return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old_idx);
}

#endif /* VADSP_VIRTIO_RING_H */
