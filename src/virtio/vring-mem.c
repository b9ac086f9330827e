// SPDX-License-Identifier: MIT
/*
 * Guest memory map: the regions a guest shared, and address translation into them.
 *
 * Ranges are handled as [first, last] with last = first + size - 1, so a region that ends at
 * the very top of the 64-bit space is representable and no computation overflows.
 */
#include <errno.h>
#include <stdint.h>

#include "virtio/vring.h"

/* True when [a, a + alen - 1] and [b, b + blen - 1] share a byte; lengths are non-zero. */
static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a <= b + (blen - 1) && b <= a + (alen - 1);
}

int vring_mem_add(struct vring_mem *mem, const struct vring_mem_region *region)
{
	uint64_t last = region->size - 1;
	unsigned int i;

	if (region->size == 0 || !region->host)
		return -EINVAL;
	if (region->gpa > UINT64_MAX - last || region->uva > UINT64_MAX - last)
		return -EINVAL;
	if ((uintptr_t)region->host > UINTPTR_MAX - last)
		return -EINVAL;
	if (mem->nregions >= VRING_MEM_MAX_REGIONS)
		return -E2BIG;
	for (i = 0; i < mem->nregions; i++) {
		const struct vring_mem_region *r = &mem->regions[i];

		if (ranges_overlap(r->gpa, r->size, region->gpa, region->size) ||
		    ranges_overlap(r->uva, r->size, region->uva, region->size))
			return -EEXIST;
	}
	mem->regions[mem->nregions++] = *region;
	return 0;
}

/*
 * Find the region holding @addr in the space selected by @by_uva; set *@off to the offset of
 * @addr inside it.
 */
static const struct vring_mem_region *mem_find(const struct vring_mem *mem, uint64_t addr,
					       bool by_uva, uint64_t *off)
{
	unsigned int i;

	for (i = 0; i < mem->nregions && i < VRING_MEM_MAX_REGIONS; i++) {
		const struct vring_mem_region *r = &mem->regions[i];
		uint64_t base = by_uva ? r->uva : r->gpa;

		if (addr >= base && addr - base < r->size) {
			*off = addr - base;
			return r;
		}
	}
	return NULL;
}

static void *mem_translate(const struct vring_mem *mem, uint64_t addr, uint64_t len,
			   bool by_uva)
{
	const struct vring_mem_region *r;
	uint64_t off;

	if (len == 0)
		len = 1;
	r = mem_find(mem, addr, by_uva, &off);
	/* The whole range must fit in what is left of this region (no wrap, no crossing). */
	if (!r || len > r->size - off)
		return NULL;
	return r->host + off;
}

void *vring_mem_gpa(const struct vring_mem *mem, uint64_t gpa, uint64_t len)
{
	return mem_translate(mem, gpa, len, false);
}

void *vring_mem_uva(const struct vring_mem *mem, uint64_t uva, uint64_t len)
{
	return mem_translate(mem, uva, len, true);
}

void *vring_mem_gpa_contig(const struct vring_mem *mem, uint64_t gpa, uint64_t *contig)
{
	const struct vring_mem_region *r;
	uint64_t off;

	r = mem_find(mem, gpa, false, &off);
	if (!r)
		return NULL;
	*contig = r->size - off;
	return r->host + off;
}
