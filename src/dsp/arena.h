/* SPDX-License-Identifier: MIT */
/*
 * The engine's memory for what the period path touches: components, their private state,
 * buffers, host rings, mixer sums.
 *
 * It comes from 2 MiB blocks, aligned to 2 MiB, that the kernel is asked to back with huge
 * pages (madvise(MADV_HUGEPAGE), where it applies): with a thousand guests the tick touches
 * a few MiB spread over a thousand 4 KiB pages, and the TLB misses that costs (measured:
 * about a quarter of the tick at 2000 guests on the development machine) go away. Objects are
 * cut from a block in the order they are allocated, so a guest's objects lie together.
 *
 * Every object is cache-line aligned and zeroed. Freed objects go on a free list per size
 * class (64 bytes times a power of two, up to DSP_ARENA_MAX) and are reused; blocks are
 * released with the engine. Larger objects come from aligned_alloc(). Control path only
 * (the engine's creation, params and free calls), one thread, like the engine.
 *
 * Built with AddressSanitizer, every object is an aligned_alloc() of its own, so that the
 * sanitizer sees each one's bounds.
 */
#ifndef VADSP_DSP_ARENA_H
#define VADSP_DSP_ARENA_H

#include <stddef.h>
#include <stdint.h>

#define DSP_ARENA_BLOCK		(2u << 20)
#define DSP_ARENA_MAX		(64u << 10)
#define DSP_ARENA_CLASSES	11u	/* 64 B .. 64 KiB */

/**
 * struct dsp_arena - blocks and free lists
 * @blocks: the blocks, for release
 * @n_blocks: count
 * @cap_blocks: room in @blocks
 * @next: the unused rest of the newest block
 * @left: its bytes
 * @free: per size class, freed objects (linked through their first bytes)
 */
struct dsp_arena {
	void **blocks;
	uint32_t n_blocks;
	uint32_t cap_blocks;
	uint8_t *next;
	size_t left;
	void *free[DSP_ARENA_CLASSES];
};

/**
 * dsp_arena_alloc() - a zeroed, cache-line aligned object
 * @a: the arena
 * @size: bytes (at least 1)
 *
 * Return: the object, or NULL when out of memory.
 */
void *dsp_arena_alloc(struct dsp_arena *a, size_t size);

/**
 * dsp_arena_free() - give an object back
 * @a: the arena it came from
 * @p: the object, or NULL
 * @size: the size it was allocated with
 */
void dsp_arena_free(struct dsp_arena *a, void *p, size_t size);

/* Release every block (all objects must be freed or forgotten). */
void dsp_arena_release(struct dsp_arena *a);

#endif /* VADSP_DSP_ARENA_H */
