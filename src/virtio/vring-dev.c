// SPDX-License-Identifier: MIT
/*
 * Device side of a split virtqueue: pops chains that a possibly hostile driver placed in
 * guest memory, pushes used entries, and decides on notifications.
 *
 * Trust model: the driver may write anything, at any time, into the descriptor table, the
 * available ring and indirect tables, including while we read them. So every shared field is
 * read once into a local copy and only the copy is checked and used; nothing read from guest
 * memory is ever used as an index or length before it is bounded. The first violation marks
 * the queue broken and logs the reason; a broken queue serves nothing more.
 *
 * Memory ordering (VIRTIO 1.x, 2.7.13), with C11 fences so it holds on weakly ordered CPUs:
 * - pop: read avail->idx, acquire fence, then read ring entries and descriptors;
 * - pop finding the ring empty with EVENT_IDX: full fence between the avail_event written
 *   by the previous pop and a second read of avail->idx;
 * - push: write the used entry, release fence, then publish used->idx;
 * - notify decision: full fence between publishing used->idx and reading used_event/flags;
 * - enabling kicks: full fence between writing avail_event/flags and re-reading avail->idx.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "util/le.h"
#include "util/log.h"
#include "virtio/vring.h"

#define LOG_MOD	"vring"

/* An indirect table holds at most this many descriptors (bounds the walk of one table). */
#define VRING_INDIRECT_MAX	VRING_MAX_SIZE

/* A descriptor as copied out of guest memory, in host byte order. */
struct vring_desc_copy {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

static int vring_fail(struct vring *vq, const char *fmt, ...) VADSP_PRINTF(2, 3);

/* Mark the queue broken; log the first reason only. Returns -EIO for the caller to pass up. */
static int vring_fail(struct vring *vq, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (vq->broken)
		return -EIO;
	vq->broken = true;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	vadsp_err(LOG_MOD, "%s%squeue broken by the driver: %s",
		  vq->name ? vq->name : "", vq->name ? ": " : "", why);
	return -EIO;
}

int vring_dev_init(struct vring *vq, const struct vring_mem *mem, unsigned int num,
		   void *desc, void *avail, void *used, uint64_t features,
		   uint16_t last_avail_idx)
{
	if (!mem || num == 0 || num > VRING_MAX_SIZE || (num & (num - 1)))
		return -EINVAL;
	if (!desc || !avail || !used)
		return -EINVAL;
	if ((uintptr_t)desc % VRING_DESC_ALIGN || (uintptr_t)avail % VRING_AVAIL_ALIGN ||
	    (uintptr_t)used % VRING_USED_ALIGN)
		return -EINVAL;

	memset(vq, 0, sizeof(*vq));
	vq->mem = mem;
	vq->desc = desc;
	vq->avail = avail;
	vq->used = used;
	vq->num = (uint16_t)num;
	vq->event_idx = features & (1ull << VIRTIO_F_EVENT_IDX);
	vq->indirect = features & (1ull << VIRTIO_F_INDIRECT_DESC);
	vq->last_avail_idx = last_avail_idx;
	/*
	 * Completions continue where the used ring stands, not at @last_avail_idx: a queue
	 * stopped with chains that were never completed resumes with used->idx behind, and the
	 * driver reads the next completion from the entry at its used->idx. (Any value is safe
	 * here: the index is only ever masked with num - 1.)
	 */
	vq->used_idx = vring_load_le16((const uint8_t *)used + VRING_USED_IDX_OFF);
	vq->signalled_used = vq->used_idx;
	vq->signalled_used_valid = false;
	vq->max_chain_bytes = VRING_CHAIN_MAX_BYTES;
	if (vq->event_idx)
		vring_store_le16((uint8_t *)used + VRING_AVAIL_EVENT_OFF(vq->num), last_avail_idx);
	return 0;
}

/*
 * Copy one descriptor out of guest memory, reading each byte exactly once (volatile loads,
 * so the compiler cannot re-read a field after it was checked). Tables the driver placed
 * need not be aligned (indirect ones), so unaligned ones are copied bytewise.
 */
static void desc_fetch(const uint8_t *p, struct vring_desc_copy *d)
{
	if ((uintptr_t)p % 8 == 0) {
		d->addr = le64_to_cpu(*(const volatile uint64_t *)p);
		d->len = le32_to_cpu(*(const volatile uint32_t *)(p + 8));
		d->flags = le16_to_cpu(*(const volatile uint16_t *)(p + 12));
		d->next = le16_to_cpu(*(const volatile uint16_t *)(p + 14));
	} else {
		const volatile uint8_t *v = p;
		uint8_t raw[16];
		unsigned int i;

		for (i = 0; i < sizeof(raw); i++)
			raw[i] = v[i];
		d->addr = get_le64(raw);
		d->len = get_le32(raw + 8);
		d->flags = get_le16(raw + 12);
		d->next = get_le16(raw + 14);
	}
}

/*
 * Append the buffer of one (non-indirect) descriptor to @chain, split at region boundaries.
 * @seen_write tracks whether a device-writable descriptor came before.
 */
static int chain_add_desc(struct vring *vq, struct vring_chain *chain,
			  const struct vring_desc_copy *d, bool *seen_write)
{
	bool write = d->flags & VRING_DESC_F_WRITE;
	uint64_t total = (uint64_t)chain->out_bytes + chain->in_bytes;
	uint64_t addr = d->addr;
	uint64_t left = d->len;

	if (write)
		*seen_write = true;
	else if (*seen_write)
		return vring_fail(vq, "head %u: device-readable descriptor after a writable one",
				  chain->head);
	/* Zero-length descriptors are allowed and add nothing; their address is not used. */
	if (d->len == 0)
		return 0;
	if (d->len > vq->max_chain_bytes || total > vq->max_chain_bytes - d->len)
		return vring_fail(vq, "head %u: chain longer than %" PRIu32 " bytes",
				  chain->head, vq->max_chain_bytes);
	if (addr > UINT64_MAX - (left - 1))
		return vring_fail(vq, "head %u: buffer 0x%" PRIx64 "+%" PRIu32
				  " wraps around the address space", chain->head, addr, d->len);
	while (left) {
		unsigned int n = chain->nout + chain->nin;
		uint64_t contig;
		void *host = vring_mem_gpa_contig(vq->mem, addr, &contig);

		if (!host)
			return vring_fail(vq, "head %u: buffer 0x%" PRIx64 "+%" PRIu32
					  " is outside guest memory", chain->head, d->addr, d->len);
		if (n >= VRING_CHAIN_MAX_SEGS)
			return vring_fail(vq, "head %u: more than %u segments", chain->head,
					  VRING_CHAIN_MAX_SEGS);
		if (contig > left)
			contig = left;
		chain->seg[n].iov_base = host;
		chain->seg[n].iov_len = (size_t)contig;
		if (write) {
			chain->nin++;
			chain->in_bytes += (uint32_t)contig;
		} else {
			chain->nout++;
			chain->out_bytes += (uint32_t)contig;
		}
		addr += contig;
		left -= contig;
	}
	return 0;
}

/* Walk the chain starting at @head (already < num) into @chain. */
static int chain_walk(struct vring *vq, uint16_t head, struct vring_chain *chain)
{
	const uint8_t *table = (const uint8_t *)vq->desc;
	uint32_t table_len = vq->num;
	uint32_t count = 0;
	uint32_t idx = head;
	bool indirect = false;
	bool seen_write = false;
	int ret;

	chain->head = head;
	chain->nout = 0;
	chain->nin = 0;
	chain->out_bytes = 0;
	chain->in_bytes = 0;

	for (;;) {
		struct vring_desc_copy d;

		/* Each table may be walked at most once through: more means a loop. */
		if (++count > table_len) {
			if (indirect)
				return vring_fail(vq, "head %u: indirect table of %" PRIu32
						  " descriptors loops", head, table_len);
			return vring_fail(vq, "head %u: chain longer than the queue (%u), a loop",
					  head, vq->num);
		}
		desc_fetch(table + 16u * idx, &d);

		if (d.flags & VRING_DESC_F_INDIRECT) {
			const uint8_t *t;

			if (!vq->indirect)
				return vring_fail(vq, "head %u: indirect descriptor without "
						  "VIRTIO_F_INDIRECT_DESC", head);
			if (indirect)
				return vring_fail(vq, "head %u: indirect descriptor inside an "
						  "indirect table", head);
			if (d.flags & VRING_DESC_F_NEXT)
				return vring_fail(vq, "head %u: indirect descriptor with NEXT", head);
			if (d.len == 0 || d.len % 16 || d.len / 16 > VRING_INDIRECT_MAX)
				return vring_fail(vq, "head %u: indirect table length %" PRIu32
						  " is not a multiple of 16 in 16..%u", head, d.len,
						  16 * VRING_INDIRECT_MAX);
			t = vring_mem_gpa(vq->mem, d.addr, d.len);
			if (!t)
				return vring_fail(vq, "head %u: indirect table 0x%" PRIx64 "+%" PRIu32
						  " is not inside one guest memory region", head,
						  d.addr, d.len);
			table = t;
			table_len = d.len / 16;
			idx = 0;
			count = 0;
			indirect = true;
			continue;
		}

		ret = chain_add_desc(vq, chain, &d, &seen_write);
		if (ret < 0)
			return ret;
		if (!(d.flags & VRING_DESC_F_NEXT))
			return 0;
		if (d.next >= table_len)
			return vring_fail(vq, "head %u: next index %u out of range (%" PRIu32 ")",
					  head, d.next, table_len);
		idx = d.next;
	}
}

int vring_dev_pop(struct vring *vq, struct vring_chain *chain)
{
	const uint8_t *avail = (const uint8_t *)vq->avail;
	uint16_t avail_idx, pending, head;
	int ret;

	if (vq->broken)
		return -EIO;
	avail_idx = vring_load_le16(avail + VRING_AVAIL_IDX_OFF);
	if (avail_idx == vq->last_avail_idx && vq->event_idx) {
		/*
		 * Empty, as far as this load saw. The avail_event written by the previous pop
		 * (or by vring_dev_init()) must be visible before the ring is found empty, or a
		 * driver adding a chain meanwhile could read the old avail_event and not kick
		 * while this load misses its chain (a store-load reordering, possible on x86
		 * too): look again after a full fence. The driver fences between publishing
		 * avail->idx and reading avail_event, so one of the two sides sees the other.
		 */
		atomic_thread_fence(memory_order_seq_cst);
		avail_idx = vring_load_le16(avail + VRING_AVAIL_IDX_OFF);
	}
	pending = (uint16_t)(avail_idx - vq->last_avail_idx);
	if (pending == 0)
		return 0;
	if (pending > vq->num)
		return vring_fail(vq, "avail idx %u is %u entries ahead of %u (queue size %u)",
				  avail_idx, pending, vq->last_avail_idx, vq->num);
	if (vq->inflight >= vq->num)
		return vring_fail(vq, "more than %u chains made available at once", vq->num);
	/* The ring entry and the descriptors were written before avail->idx. */
	atomic_thread_fence(memory_order_acquire);

	head = vring_load_le16(avail + VRING_AVAIL_RING_OFF(vq->last_avail_idx & (vq->num - 1)));
	if (head >= vq->num)
		return vring_fail(vq, "head index %u out of range (queue size %u)", head, vq->num);
	ret = chain_walk(vq, head, chain);
	if (ret < 0)
		return ret;
	vq->last_avail_idx++;
	vq->inflight++;
	/*
	 * With EVENT_IDX, ask for a kick when the entry after this one is made available, so
	 * a device that pops until the ring is empty never misses the next request: a driver
	 * that adds it meanwhile sees avail_event and kicks.
	 */
	if (vq->event_idx)
		vring_store_le16((uint8_t *)vq->used + VRING_AVAIL_EVENT_OFF(vq->num),
				 vq->last_avail_idx);
	return 1;
}

int vring_dev_push(struct vring *vq, uint16_t head, uint32_t len)
{
	uint8_t *used = (uint8_t *)vq->used;
	uint8_t *elem;

	if (vq->broken)
		return -EIO;
	if (head >= vq->num || vq->inflight == 0) {
		vadsp_err(LOG_MOD, "%s%spush of head %u with %u chains in flight", vq->name ?
			  vq->name : "", vq->name ? ": " : "", head, vq->inflight);
		return -EINVAL;
	}
	elem = used + VRING_USED_RING_OFF(vq->used_idx & (vq->num - 1));
	put_le32(elem, head);
	put_le32(elem + 4, len);
	/* The entry must be visible before the index that publishes it. */
	atomic_thread_fence(memory_order_release);
	vq->used_idx++;
	vring_store_le16(used + VRING_USED_IDX_OFF, vq->used_idx);
	vq->inflight--;
	return 0;
}

bool vring_dev_should_notify(struct vring *vq)
{
	const uint8_t *avail = (const uint8_t *)vq->avail;
	uint16_t old = vq->signalled_used;
	uint16_t new = vq->used_idx;
	bool valid = vq->signalled_used_valid;

	if (vq->broken)
		return false;
	/* Our used->idx store must be visible before we look at what the driver asked for. */
	atomic_thread_fence(memory_order_seq_cst);
	if (new == old)
		return false;
	vq->signalled_used = new;
	vq->signalled_used_valid = true;
	if (!vq->event_idx)
		return !(vring_load_le16(avail + VRING_AVAIL_FLAGS_OFF) &
			 VRING_AVAIL_F_NO_INTERRUPT);
	if (!valid)
		return true;
	return vring_need_event(vring_load_le16(avail + VRING_USED_EVENT_OFF(vq->num)), new, old);
}

int vring_dev_driver_caught_up(const struct vring *vq, uint16_t mark)
{
	const uint8_t *avail = (const uint8_t *)vq->avail;
	uint16_t used_event;

	if (vq->broken)
		return -EIO;
	if (!vq->event_idx)
		return -ENOTSUP;
	used_event = vring_load_le16(avail + VRING_USED_EVENT_OFF(vq->num));
	/* From @mark to used_idx, modulo 2^16. */
	return (uint16_t)(vq->used_idx - used_event) <= (uint16_t)(vq->used_idx - mark);
}

bool vring_dev_set_notify(struct vring *vq, bool enable)
{
	uint8_t *used = (uint8_t *)vq->used;
	uint16_t avail_idx;

	if (vq->broken)
		return false;
	if (vq->event_idx) {
		if (!enable)
			return false;
		vring_store_le16(used + VRING_AVAIL_EVENT_OFF(vq->num), vq->last_avail_idx);
	} else {
		vring_store_le16(used + VRING_USED_FLAGS_OFF, enable ? 0 : VRING_USED_F_NO_NOTIFY);
		if (!enable)
			return false;
	}
	/* The driver either sees our wish, or we see its new buffers (or both). */
	atomic_thread_fence(memory_order_seq_cst);
	avail_idx = vring_load_le16((const uint8_t *)vq->avail + VRING_AVAIL_IDX_OFF);
	return avail_idx != vq->last_avail_idx;
}

/*
 * Copy @len bytes between a flat buffer and the segments @seg[0..@nseg), starting @offset
 * bytes into the segments: into @dst when it is non-NULL, else out of @src.
 */
static size_t segs_copy(const struct iovec *seg, unsigned int nseg, size_t offset,
			uint8_t *dst, const uint8_t *src, size_t len)
{
	size_t done = 0;
	unsigned int i;

	for (i = 0; i < nseg && done < len; i++) {
		size_t n;

		if (offset >= seg[i].iov_len) {
			offset -= seg[i].iov_len;
			continue;
		}
		n = VADSP_MIN(seg[i].iov_len - offset, len - done);
		if (dst)
			memcpy(dst + done, (const uint8_t *)seg[i].iov_base + offset, n);
		else
			memcpy((uint8_t *)seg[i].iov_base + offset, src + done, n);
		done += n;
		offset = 0;
	}
	return done;
}

size_t vring_chain_read(const struct vring_chain *chain, size_t offset, void *buf, size_t len)
{
	if (!buf)
		return 0;
	return segs_copy(chain->seg, VADSP_MIN(chain->nout, VRING_CHAIN_MAX_SEGS), offset, buf,
			 NULL, len);
}

size_t vring_chain_write(const struct vring_chain *chain, size_t offset, const void *buf,
			 size_t len)
{
	unsigned int nout = VADSP_MIN(chain->nout, VRING_CHAIN_MAX_SEGS);
	unsigned int nin = VADSP_MIN(chain->nin, VRING_CHAIN_MAX_SEGS - nout);

	if (!buf)
		return 0;
	return segs_copy(chain->seg + nout, nin, offset, NULL, buf, len);
}
