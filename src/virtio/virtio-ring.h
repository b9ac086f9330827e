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
 * vring_need_event() - the EVENT_IDX test (VIRTIO 1.x, 2.7.10): true when @event_idx lies in
 * the window (@old_idx, @new_idx], with 16-bit wrap-around.
 */
static inline int vring_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old_idx)
{
	return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old_idx);
}

#endif /* VADSP_VIRTIO_RING_H */
