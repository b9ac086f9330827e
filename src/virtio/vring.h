/* SPDX-License-Identifier: MIT */
/*
 * Split virtqueues: the device side (walks chains a hostile driver placed in guest memory)
 * and the driver side (a process acting as a guest places chains in its own memory).
 *
 * Memory ordering follows VIRTIO 1.x 2.7.13: C11 fences order ring accesses, so the code is
 * correct on weakly ordered hosts, not just x86.
 */
#ifndef VADSP_VIRTIO_VRING_H
#define VADSP_VIRTIO_VRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "virtio/virtio-ring.h"

/* ------------------------------------------------------------------------------------------
 * Guest memory map
 * ------------------------------------------------------------------------------------------ */

/* vhost-user's SET_MEM_TABLE carries at most 8 regions (VHOST_MEMORY_BASELINE_NREGIONS). */
#define VRING_MEM_MAX_REGIONS	8

/**
 * struct vring_mem_region - one guest memory region mapped into this process
 * @gpa: guest physical address of the first byte
 * @size: length in bytes (non-zero)
 * @uva: address of the first byte in the front-end's (QEMU's) address space; vhost-user
 *       gives ring addresses in that space
 * @host: address of the first byte in this process
 */
struct vring_mem_region {
	uint64_t gpa;
	uint64_t size;
	uint64_t uva;
	uint8_t *host;
};

/**
 * struct vring_mem - the set of regions one guest has shared with us
 * @nregions: number of valid entries in @regions
 * @regions: the regions; no two overlap in gpa space or in uva space
 */
struct vring_mem {
	unsigned int nregions;
	struct vring_mem_region regions[VRING_MEM_MAX_REGIONS];
};

/**
 * vring_mem_add() - add a region after checking it against the ones already present
 * @mem: the map
 * @region: region to add; @region->host must already be valid for @region->size bytes
 *
 * Return: 0, -E2BIG when the map is full, -EINVAL for a zero size or a range that wraps
 * around the 64-bit space, -EEXIST when it overlaps an existing region (in gpa or uva space).
 */
int vring_mem_add(struct vring_mem *mem, const struct vring_mem_region *region);

/**
 * vring_mem_gpa() - translate a guest physical range that must lie inside one region
 * @mem: the map
 * @gpa: first byte
 * @len: length in bytes; 0 is treated as 1 (the address itself must be mapped)
 *
 * Return: host pointer to @gpa, or NULL when any byte of the range is unmapped or the range
 * crosses a region boundary or wraps.
 */
void *vring_mem_gpa(const struct vring_mem *mem, uint64_t gpa, uint64_t len);

/**
 * vring_mem_uva() - translate a front-end virtual address range that must lie inside one region
 * @mem: the map
 * @uva: first byte, in the front-end's address space (vhost-user ring addresses)
 * @len: length in bytes; 0 is treated as 1
 *
 * Return: host pointer to @uva, or NULL as for vring_mem_gpa().
 */
void *vring_mem_uva(const struct vring_mem *mem, uint64_t uva, uint64_t len);

/**
 * vring_mem_gpa_contig() - translate the start of a guest physical range
 * @mem: the map
 * @gpa: first byte
 * @contig: set to the number of bytes mapped contiguously in this process from @gpa to the
 *          end of the region holding it (at least 1)
 *
 * A buffer that spans adjacent regions is walked by calling this again at @gpa + *@contig.
 *
 * Return: host pointer to @gpa, or NULL when @gpa is unmapped.
 */
void *vring_mem_gpa_contig(const struct vring_mem *mem, uint64_t gpa, uint64_t *contig);

/* ------------------------------------------------------------------------------------------
 * Device side
 * ------------------------------------------------------------------------------------------ */

/* Most segments one chain may map to (a descriptor crossing regions takes several). */
#define VRING_CHAIN_MAX_SEGS	64
/* Default cap on the total bytes of one chain; vring_dev_init() callers may lower it. */
#define VRING_CHAIN_MAX_BYTES	(4u << 20)

/**
 * struct vring_chain - one descriptor chain popped from the available ring
 *
 * A zero-length descriptor is accepted (its address is not looked at) and adds no segment,
 * so a chain may have nout == nin == 0. A descriptor whose bytes cross from one mapped
 * region into an adjacent one gives one segment per region.
 *
 * @head: descriptor index to hand back to vring_dev_push()
 * @nout: number of device-readable segments, stored first in @seg
 * @nin: number of device-writable segments, stored after them
 * @out_bytes: total device-readable bytes
 * @in_bytes: total device-writable bytes
 * @seg: host views of the buffers, in chain order
 */
struct vring_chain {
	uint16_t head;
	unsigned int nout;
	unsigned int nin;
	uint32_t out_bytes;
	uint32_t in_bytes;
	struct iovec seg[VRING_CHAIN_MAX_SEGS];
};

/**
 * struct vring - device side of one split virtqueue
 *
 * Fields are private to vring-dev.c except where noted; callers use the functions below.
 * The owner may read @broken and @last_avail_idx (vhost-user GET_VRING_BASE), set @name
 * after vring_dev_init(), and lower @max_chain_bytes.
 */
struct vring {
	const char *name;		/* for log messages (e.g. "dev3 txq"); may be NULL */
	const struct vring_mem *mem;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint16_t num;			/* queue size, a power of two (32768 fits) */
	bool event_idx;			/* VIRTIO_F_EVENT_IDX negotiated */
	bool indirect;			/* VIRTIO_F_INDIRECT_DESC negotiated */
	bool broken;			/* the driver violated the spec; nothing more is served */
	uint16_t last_avail_idx;	/* next avail entry to consume */
	uint16_t used_idx;		/* our copy of used->idx */
	uint16_t signalled_used;	/* used->idx at the last notification */
	bool signalled_used_valid;
	uint16_t inflight;		/* chains popped and not yet pushed */
	uint32_t max_chain_bytes;	/* cap on out_bytes + in_bytes of one chain */
};

/**
 * vring_dev_init() - attach to a ring the driver laid out
 * @vq: queue to initialise
 * @mem: the guest's memory map (must outlive @vq)
 * @num: queue size: a power of two, 1..VRING_MAX_SIZE
 * @desc: host address of the descriptor table (vring_desc_bytes(@num) bytes, mapped)
 * @avail: host address of the available ring (vring_avail_bytes(@num) bytes, mapped)
 * @used: host address of the used ring (vring_used_bytes(@num) bytes, mapped)
 * @features: negotiated feature bits (INDIRECT_DESC and EVENT_IDX are honoured)
 * @last_avail_idx: where to resume (vhost-user SET_VRING_BASE)
 *
 * Completions continue at the used->idx the ring holds (as Linux vhost does), so a queue
 * stopped with chains that were never completed resumes with the driver's view of the used
 * ring intact. With EVENT_IDX, avail_event is set to @last_avail_idx.
 *
 * Return: 0, or -EINVAL for a bad size or a misaligned part.
 */
int vring_dev_init(struct vring *vq, const struct vring_mem *mem, unsigned int num,
		   void *desc, void *avail, void *used, uint64_t features,
		   uint16_t last_avail_idx);

/**
 * vring_dev_pop() - take the next available chain
 * @vq: the queue
 * @chain: filled with the chain's buffers on success
 *
 * Every descriptor is checked: address range inside one mapped region (or split over
 * adjacent ones) without wrap-around, next index in range, no loop (at most @num
 * descriptors per chain, indirect tables at most their own length), indirect only when
 * negotiated, never nested and never chained with NEXT, device-readable before
 * device-writable, total length within @vq->max_chain_bytes, at most VRING_CHAIN_MAX_SEGS
 * segments. A bad avail index (more than @num ahead of what was consumed) or head index also
 * counts as a violation, as does a chain made available while @num chains are already in
 * flight. An indirect table must lie inside one mapped region, hold a non-zero multiple of
 * 16 bytes and at most VRING_MAX_SIZE descriptors; the WRITE flag of the descriptor that
 * points to it is ignored. Each descriptor is copied out of guest memory once and only the
 * copy is checked and used, so a driver rewriting the table meanwhile cannot slip past.
 *
 * With EVENT_IDX, every pop also publishes avail_event = the next entry to consume, so the
 * driver kicks for the next chain it adds, and a pop that finds the ring empty looks again
 * after a full fence (so that avail_event is visible before "empty" is concluded): a device
 * that pops until this returns 0 never misses a request and need not re-arm with
 * vring_dev_set_notify().
 *
 * Return: 1 when a chain was popped, 0 when the ring is empty, -EIO when the queue is (or has
 * just become) broken; the reason is logged once.
 */
int vring_dev_pop(struct vring *vq, struct vring_chain *chain);

/**
 * vring_dev_push() - return a chain to the driver through the used ring
 * @vq: the queue
 * @head: the chain's head, from vring_chain.head
 * @len: bytes written into the device-writable part (at most the chain's in_bytes; the
 *       caller's duty, not checked here)
 *
 * The entry is written, then used->idx is published with release ordering.
 *
 * Return: 0, -EIO when the queue is broken, -EINVAL (caller bug, logged) for a head out of
 * range or a push with no chain in flight.
 */
int vring_dev_push(struct vring *vq, uint16_t head, uint32_t len);

/**
 * vring_dev_should_notify() - whether the driver wants an interrupt for what was pushed
 * @vq: the queue
 *
 * Honours VRING_AVAIL_F_NO_INTERRUPT, or used_event with EVENT_IDX. Call after a batch of
 * vring_dev_push(); when it returns true, signal the call fd. Returns false when nothing was
 * pushed since the previous call, and on a broken queue.
 */
bool vring_dev_should_notify(struct vring *vq);

/**
 * vring_dev_driver_caught_up() - whether the driver has taken every used entry before @mark
 * @vq: queue
 * @mark: a used index of ours (vq->used_idx when it was taken)
 *
 * With EVENT_IDX a driver that re-enables its callbacks publishes, in used_event, the used
 * index it has consumed up to (Linux does after every batch it takes); without it nothing
 * tells. Entries pushed after @mark (another stream's on the same queue) do not count.
 * Loop thread (the queue's owner).
 *
 * Return: 1 when used_event lies from @mark to our used->idx, 0 when it is behind, -ENOTSUP
 * without EVENT_IDX, -EIO for a broken queue.
 */
int vring_dev_driver_caught_up(const struct vring *vq, uint16_t mark);

/**
 * vring_dev_set_notify() - ask the driver for kicks (or tell it not to bother)
 * @vq: the queue
 * @enable: true to request kicks
 *
 * With EVENT_IDX, enabling writes avail_event (kick me for the next buffer) and disabling
 * leaves it where it is (the driver kicks at most once more, but the next vring_dev_pop()
 * asks for a kick again: with EVENT_IDX a device that pops cannot stay unnotified); without
 * EVENT_IDX this sets or clears VRING_USED_F_NO_NOTIFY.
 *
 * Return: when enabling, true if buffers became available meanwhile (poll again); false when
 * disabling or when the queue is broken.
 */
bool vring_dev_set_notify(struct vring *vq, bool enable);

/**
 * vring_chain_read() - copy from the device-readable part of a chain
 * @chain: the chain
 * @offset: byte offset into the readable part
 * @buf: destination
 * @len: bytes wanted
 *
 * Return: bytes copied (less than @len when the readable part is shorter).
 */
size_t vring_chain_read(const struct vring_chain *chain, size_t offset, void *buf, size_t len);

/**
 * vring_chain_write() - copy into the device-writable part of a chain
 * @chain: the chain
 * @offset: byte offset into the writable part
 * @buf: source
 * @len: bytes to write
 *
 * Return: bytes copied (less than @len when the writable part is shorter).
 */
size_t vring_chain_write(const struct vring_chain *chain, size_t offset, const void *buf,
			 size_t len);

/* ------------------------------------------------------------------------------------------
 * Driver side
 * ------------------------------------------------------------------------------------------ */

/**
 * struct vring_buf - one buffer handed to the device, by guest physical address
 */
struct vring_buf {
	uint64_t gpa;
	uint32_t len;
};

/**
 * struct vring_drv - driver side of one split virtqueue, in memory this process owns
 *
 * The device may be hostile too: everything the driver needs to manage its descriptors
 * (free list, chain links, lengths) is kept in private arrays, never read back from the
 * shared table, and each used entry is checked before it is believed.
 */
struct vring_drv {
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint64_t desc_gpa;		/* addresses of the three parts as the device sees them */
	uint64_t avail_gpa;
	uint64_t used_gpa;
	uint16_t num;
	bool event_idx;
	uint16_t free_head;		/* first free descriptor (free list through @next) */
	uint16_t num_free;
	uint16_t avail_idx;		/* our copy of avail->idx */
	uint16_t kicked_avail_idx;	/* avail->idx at the last kick decision */
	uint16_t last_used_idx;		/* next used entry to reap */
	void **token;			/* per head: the caller's token, NULL when free */
	uint16_t *chain_len;		/* per head: descriptors in the chain */
	uint16_t *next;			/* per descriptor: private copy of its link */
	uint32_t *in_bytes;		/* per head: device-writable bytes of the chain */
	bool broken;			/* the device violated the spec; nothing more is reaped */
	bool cb_enabled;		/* the driver wants calls (see vring_drv_enable_cb()) */
};

/**
 * vring_drv_ring_bytes() - bytes needed for a ring of @num entries laid out by vring_drv_init()
 */
uint64_t vring_drv_ring_bytes(unsigned int num);

/**
 * vring_drv_init() - lay out an empty ring in memory the caller owns
 * @vq: queue to initialise
 * @num: queue size: a power of two, 1..VRING_MAX_SIZE
 * @mem: host address of vring_drv_ring_bytes(@num) zeroed bytes, 16-byte aligned
 * @gpa: the address the device sees for @mem
 * @features: negotiated feature bits (EVENT_IDX is honoured)
 *
 * The layout is: descriptor table at @gpa, available ring right after it, used ring after
 * that rounded up to VRING_USED_ALIGN. The ring memory is zeroed again here. Calls start
 * enabled.
 *
 * Return: 0, -EINVAL for a bad size or alignment (of @mem or @gpa), -ENOMEM.
 */
int vring_drv_init(struct vring_drv *vq, unsigned int num, void *mem, uint64_t gpa,
		   uint64_t features);

/**
 * vring_drv_fini() - free what vring_drv_init() allocated (not the ring memory)
 */
void vring_drv_fini(struct vring_drv *vq);

/**
 * vring_drv_add() - make a chain available: @nout device-readable then @nin device-writable
 * @vq: the queue
 * @out: readable buffers
 * @nout: their number
 * @in: writable buffers
 * @nin: their number
 * @token: non-NULL value returned by vring_drv_get_used() for this chain
 *
 * The chain becomes visible to the device at the next vring_drv_kick_prepare().
 *
 * Return: the head descriptor index, -ENOSPC when too few descriptors are free, -EINVAL for
 * an empty chain or a NULL token, -EIO when the queue is broken.
 */
int vring_drv_add(struct vring_drv *vq, const struct vring_buf *out, unsigned int nout,
		  const struct vring_buf *in, unsigned int nin, void *token);

/**
 * vring_drv_kick_prepare() - publish added chains and decide whether to kick
 * @vq: the queue
 *
 * Publishes avail->idx with release ordering, then (after a full fence) reads the device's
 * wish. Returns false when nothing was added since the previous call.
 *
 * Return: true when the device asked to be notified (EVENT_IDX avail_event, or no
 * NO_NOTIFY flag); the caller then writes the kick eventfd.
 */
bool vring_drv_kick_prepare(struct vring_drv *vq);

/**
 * vring_drv_get_used() - reap one completed chain
 * @vq: the queue
 * @len: set to the length the device reported
 *
 * The entry is checked: used->idx more than @num ahead, an id out of range or naming a
 * chain that is not in flight, or a length above the chain's writable bytes mark the queue
 * broken (logged once); from then on this returns NULL.
 *
 * Return: the chain's token, or NULL when nothing is used yet or the queue is broken.
 */
void *vring_drv_get_used(struct vring_drv *vq, uint32_t *len);

/**
 * vring_drv_enable_cb() - ask for a call on the next completion
 * @vq: the queue
 *
 * Clears VRING_AVAIL_F_NO_INTERRUPT; with EVENT_IDX sets used_event to the next entry to
 * reap instead (and vring_drv_get_used() keeps it there while calls are enabled), then
 * re-reads used->idx after a full fence.
 *
 * Return: false when completions are already pending (reap before waiting); true on a
 * broken queue (nothing more will be reaped; check @vq->broken).
 */
bool vring_drv_enable_cb(struct vring_drv *vq);

/**
 * vring_drv_disable_cb() - tell the device that calls are not needed (a hint it may ignore)
 * @vq: the queue
 *
 * Without EVENT_IDX this sets VRING_AVAIL_F_NO_INTERRUPT. With EVENT_IDX the flags must stay
 * 0 (VIRTIO 1.x, 2.7.7); instead used_event stops following reaped entries, so the device
 * calls at most once more.
 */
void vring_drv_disable_cb(struct vring_drv *vq);

#endif /* VADSP_VIRTIO_VRING_H */
