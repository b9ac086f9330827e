// SPDX-License-Identifier: MIT
/*
 * Driver side of a split virtqueue, for a process acting as a guest: it lays out the rings in
 * memory it owns, hands chains to the device and reaps them.
 *
 * The device is not trusted either: the free list and chain links live in private arrays
 * (the shared descriptor table is only ever written), and every used entry is checked before
 * it is believed. A device that breaks the rules gets the queue marked broken, logged once.
 *
 * Memory ordering (VIRTIO 1.x, 2.7.13) with C11 fences:
 * - publish: descriptors and ring entries, release fence, then avail->idx;
 * - kick decision: full fence between publishing avail->idx and reading avail_event/flags;
 * - reap: read used->idx, acquire fence, then read the used entry;
 * - enabling calls: full fence between writing used_event/flags and re-reading used->idx.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util/le.h"
#include "util/log.h"
#include "virtio/vring.h"

#define LOG_MOD	"vring-drv"

static bool drv_num_valid(unsigned int num)
{
	return num != 0 && num <= VRING_MAX_SIZE && !(num & (num - 1));
}

/* Offset of the used ring from the start of the ring memory. */
static uint64_t drv_used_off(unsigned int num)
{
	return VADSP_ALIGN_UP(vring_desc_bytes(num) + vring_avail_bytes(num),
			      (uint64_t)VRING_USED_ALIGN);
}

uint64_t vring_drv_ring_bytes(unsigned int num)
{
	if (!drv_num_valid(num))
		return 0;
	return drv_used_off(num) + vring_used_bytes(num);
}

void vring_drv_fini(struct vring_drv *vq)
{
	free(vq->token);
	free(vq->chain_len);
	free(vq->next);
	free(vq->in_bytes);
	vq->token = NULL;
	vq->chain_len = NULL;
	vq->next = NULL;
	vq->in_bytes = NULL;
	vq->num_free = 0;
}

int vring_drv_init(struct vring_drv *vq, unsigned int num, void *mem, uint64_t gpa,
		   uint64_t features)
{
	uint64_t bytes = vring_drv_ring_bytes(num);
	uint8_t *base = mem;
	unsigned int i;

	if (!bytes || !mem || (uintptr_t)mem % VRING_DESC_ALIGN || gpa % VRING_DESC_ALIGN)
		return -EINVAL;
	if (gpa > UINT64_MAX - (bytes - 1))
		return -EINVAL;

	memset(vq, 0, sizeof(*vq));
	vq->token = calloc(num, sizeof(*vq->token));
	vq->chain_len = calloc(num, sizeof(*vq->chain_len));
	vq->next = calloc(num, sizeof(*vq->next));
	vq->in_bytes = calloc(num, sizeof(*vq->in_bytes));
	if (!vq->token || !vq->chain_len || !vq->next || !vq->in_bytes) {
		vring_drv_fini(vq);
		return -ENOMEM;
	}
	memset(base, 0, (size_t)bytes);
	vq->desc = (struct vring_desc *)base;
	vq->avail = (struct vring_avail *)(base + vring_desc_bytes(num));
	vq->used = (struct vring_used *)(base + drv_used_off(num));
	vq->desc_gpa = gpa;
	vq->avail_gpa = gpa + vring_desc_bytes(num);
	vq->used_gpa = gpa + drv_used_off(num);
	vq->num = (uint16_t)num;
	vq->event_idx = features & (1ull << VIRTIO_F_EVENT_IDX);
	for (i = 0; i < num; i++)
		vq->next[i] = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->num_free = (uint16_t)num;
	vq->cb_enabled = true;
	return 0;
}

static void drv_fail(struct vring_drv *vq, const char *why, uint32_t a, uint32_t b)
{
	if (vq->broken)
		return;
	vq->broken = true;
	vadsp_err(LOG_MOD, "queue broken by the device: %s (%" PRIu32 ", %" PRIu32 ")", why, a, b);
}

int vring_drv_add(struct vring_drv *vq, const struct vring_buf *out, unsigned int nout,
		  const struct vring_buf *in, unsigned int nin, void *token)
{
	uint64_t n = (uint64_t)nout + nin;
	uint64_t writable = 0;
	uint16_t head, idx;
	uint64_t i;

	if (vq->broken)
		return -EIO;
	if (n == 0 || !token || (nout && !out) || (nin && !in))
		return -EINVAL;
	if (n > vq->num_free)
		return -ENOSPC;

	head = vq->free_head;
	idx = head;
	for (i = 0; i < n; i++) {
		const struct vring_buf *b = i < nout ? &out[i] : &in[i - nout];
		uint8_t *d = (uint8_t *)vq->desc + 16u * idx;
		bool last = i + 1 == n;
		uint16_t flags = 0;

		if (i >= nout) {
			flags |= VRING_DESC_F_WRITE;
			writable += b->len;
		}
		if (!last)
			flags |= VRING_DESC_F_NEXT;
		put_le64(d, b->gpa);
		put_le32(d + 8, b->len);
		put_le16(d + 12, flags);
		put_le16(d + 14, last ? 0 : vq->next[idx]);
		/* Free descriptors are linked in order, so the chain reuses the free list's links. */
		idx = vq->next[idx];
	}
	vq->free_head = idx;
	vq->num_free -= (uint16_t)n;
	vq->token[head] = token;
	vq->chain_len[head] = (uint16_t)n;
	vq->in_bytes[head] = writable > UINT32_MAX ? UINT32_MAX : (uint32_t)writable;

	vring_store_le16((uint8_t *)vq->avail + VRING_AVAIL_RING_OFF(vq->avail_idx & (vq->num - 1)),
			 head);
	vq->avail_idx++;
	return head;
}

bool vring_drv_kick_prepare(struct vring_drv *vq)
{
	const uint8_t *used = (const uint8_t *)vq->used;
	uint16_t old = vq->kicked_avail_idx;
	uint16_t new = vq->avail_idx;

	if (vq->broken)
		return false;
	/* Descriptors and ring entries first, then the index that exposes them. */
	atomic_thread_fence(memory_order_release);
	vring_store_le16((uint8_t *)vq->avail + VRING_AVAIL_IDX_OFF, new);
	vq->kicked_avail_idx = new;
	if (old == new)
		return false;
	/* The device either sees the new index, or we see its request for a kick (or both). */
	atomic_thread_fence(memory_order_seq_cst);
	if (vq->event_idx)
		return vring_need_event(vring_load_le16(used + VRING_AVAIL_EVENT_OFF(vq->num)),
					new, old);
	return !(vring_load_le16(used + VRING_USED_FLAGS_OFF) & VRING_USED_F_NO_NOTIFY);
}

/* Put the chain starting at @head back on the free list. */
static void drv_free_chain(struct vring_drv *vq, uint16_t head)
{
	uint16_t n = vq->chain_len[head];
	uint16_t last = head;
	uint16_t i;

	for (i = 1; i < n; i++)
		last = vq->next[last];
	vq->next[last] = vq->free_head;
	vq->free_head = head;
	vq->num_free += n;
	vq->token[head] = NULL;
	vq->chain_len[head] = 0;
	vq->in_bytes[head] = 0;
}

void *vring_drv_get_used(struct vring_drv *vq, uint32_t *len)
{
	const uint8_t *used = (const uint8_t *)vq->used;
	const uint8_t *elem;
	uint16_t used_idx, pending;
	uint32_t id, ulen;
	void *token;

	if (vq->broken)
		return NULL;
	used_idx = vring_load_le16(used + VRING_USED_IDX_OFF);
	pending = (uint16_t)(used_idx - vq->last_used_idx);
	if (pending == 0)
		return NULL;
	if (pending > vq->num) {
		drv_fail(vq, "used idx jumped more than the queue size ahead", used_idx,
			 vq->last_used_idx);
		return NULL;
	}
	/* The entry was written before used->idx. */
	atomic_thread_fence(memory_order_acquire);
	elem = used + VRING_USED_RING_OFF(vq->last_used_idx & (vq->num - 1));
	/* Each field is read once; only the copies are checked and used. */
	id = le32_to_cpu(*(const volatile uint32_t *)elem);
	ulen = le32_to_cpu(*(const volatile uint32_t *)(elem + 4));
	if (id >= vq->num || !vq->token[id]) {
		drv_fail(vq, "used id is not a chain in flight (id, queue size)", id, vq->num);
		return NULL;
	}
	if (ulen > vq->in_bytes[id]) {
		drv_fail(vq, "used len exceeds the chain's writable bytes (len, writable)", ulen,
			 vq->in_bytes[id]);
		return NULL;
	}
	token = vq->token[id];
	drv_free_chain(vq, (uint16_t)id);
	vq->last_used_idx++;
	if (vq->cb_enabled && vq->event_idx)
		vring_store_le16((uint8_t *)vq->avail + VRING_USED_EVENT_OFF(vq->num),
				 vq->last_used_idx);
	if (len)
		*len = ulen;
	return token;
}

bool vring_drv_enable_cb(struct vring_drv *vq)
{
	uint8_t *avail = (uint8_t *)vq->avail;

	if (vq->broken)
		return true;
	vq->cb_enabled = true;
	if (vq->event_idx)
		vring_store_le16(avail + VRING_USED_EVENT_OFF(vq->num), vq->last_used_idx);
	else
		vring_store_le16(avail + VRING_AVAIL_FLAGS_OFF, 0);
	/* The device either sees our wish, or we see its completions (or both). */
	atomic_thread_fence(memory_order_seq_cst);
	return vring_load_le16((const uint8_t *)vq->used + VRING_USED_IDX_OFF) ==
	       vq->last_used_idx;
}

void vring_drv_disable_cb(struct vring_drv *vq)
{
	vq->cb_enabled = false;
	if (!vq->event_idx)
		vring_store_le16((uint8_t *)vq->avail + VRING_AVAIL_FLAGS_OFF,
				 VRING_AVAIL_F_NO_INTERRUPT);
}
