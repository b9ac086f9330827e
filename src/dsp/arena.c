// SPDX-License-Identifier: MIT
/*
 * The engine's arena for period-path objects (see arena.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dsp/arena.h"
#include "dsp/comp.h"

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_OWN_ALLOCS	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_OWN_ALLOCS	1
#endif
#endif
#ifndef ARENA_OWN_ALLOCS
#define ARENA_OWN_ALLOCS	0
#endif

/* The size class of @size (64 << class), or DSP_ARENA_CLASSES when it is too large. */
static uint32_t arena_class(size_t size)
{
	uint32_t k = 0;

	while (k < DSP_ARENA_CLASSES && ((size_t)DSP_CACHE_LINE << k) < size)
		k++;
	return k;
}

static int arena_grow(struct dsp_arena *a)
{
	void *b;

	if (a->n_blocks == a->cap_blocks) {
		uint32_t cap = a->cap_blocks ? 2 * a->cap_blocks : 4;
		void **nb = realloc(a->blocks, cap * sizeof(*nb));

		if (!nb)
			return -1;
		a->blocks = nb;
		a->cap_blocks = cap;
	}
	b = aligned_alloc(DSP_ARENA_BLOCK, DSP_ARENA_BLOCK);
	if (!b)
		return -1;
#ifdef MADV_HUGEPAGE
	/* a hint: without transparent huge pages the block is ordinary memory */
	(void)madvise(b, DSP_ARENA_BLOCK, MADV_HUGEPAGE);
#endif
	a->blocks[a->n_blocks++] = b;
	a->next = b;
	a->left = DSP_ARENA_BLOCK;
	return 0;
}

void *dsp_arena_alloc(struct dsp_arena *a, size_t size)
{
	uint32_t k = arena_class(size);
	size_t bytes = (size_t)DSP_CACHE_LINE << k;
	void *p;

	if (ARENA_OWN_ALLOCS || k == DSP_ARENA_CLASSES) {
		bytes = VADSP_ALIGN_UP(size ? size : 1, (size_t)DSP_CACHE_LINE);
		p = aligned_alloc(DSP_CACHE_LINE, bytes);
		if (p)
			memset(p, 0, bytes);
		return p;
	}
	if (a->free[k]) {
		p = a->free[k];
		memcpy(&a->free[k], p, sizeof(void *));
	} else {
		if (a->left < bytes && arena_grow(a))
			return NULL;
		p = a->next;
		a->next += bytes;
		a->left -= bytes;
	}
	memset(p, 0, bytes);
	return p;
}

void dsp_arena_free(struct dsp_arena *a, void *p, size_t size)
{
	uint32_t k = arena_class(size);

	if (!p)
		return;
	if (ARENA_OWN_ALLOCS || k == DSP_ARENA_CLASSES) {
		free(p);
		return;
	}
	memcpy(p, &a->free[k], sizeof(void *));
	a->free[k] = p;
}

void dsp_arena_release(struct dsp_arena *a)
{
	uint32_t i;

	for (i = 0; i < a->n_blocks; i++)
		free(a->blocks[i]);
	free(a->blocks);
	memset(a, 0, sizeof(*a));
}
