// SPDX-License-Identifier: MIT
/*
 * The engine's arena: objects are cache-line aligned, zeroed and do not overlap; a freed
 * object is handed out again for the same size class, not for another; sizes beyond the
 * largest class come from the C library; objects of one block lie together; releasing the
 * arena frees its blocks (the sanitizer builds check there is no leak).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dsp/arena.h"

static int sanitized(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return 1;
#else
	return 0;
#endif
#else
	return 0;
#endif
}

static void objects_are_aligned_zeroed_and_apart(void **state)
{
	static const size_t sizes[] = { 1, 63, 64, 65, 200, 1000, 4096, 5000, 65536, 65537,
					300000 };
	struct dsp_arena a = { 0 };
	uint8_t *p[11];
	size_t i, j;

	(void)state;
	for (i = 0; i < 11; i++) {
		p[i] = dsp_arena_alloc(&a, sizes[i]);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 64, 0);
		for (j = 0; j < sizes[i]; j++)
			assert_int_equal(p[i][j], 0);
		memset(p[i], 0xa0 + (int)i, sizes[i]);
	}
	/* nothing overlaps: every object still holds its own pattern */
	for (i = 0; i < 11; i++)
		for (j = 0; j < sizes[i]; j++)
			assert_int_equal(p[i][j], 0xa0 + (int)i);
	for (i = 0; i < 11; i++)
		dsp_arena_free(&a, p[i], sizes[i]);
	dsp_arena_free(&a, NULL, 10);
	dsp_arena_release(&a);
	assert_int_equal(a.n_blocks, 0);
}

static void freed_objects_come_back_for_their_size_class(void **state)
{
	struct dsp_arena a = { 0 };
	uint8_t *x, *y, *z, *w;

	(void)state;
	if (sanitized())
		skip();	/* every object is an allocation of its own there */
	x = dsp_arena_alloc(&a, 100);	/* class 128 */
	y = dsp_arena_alloc(&a, 100);
	assert_ptr_equal(y, x + 128);	/* cut one after the other from the block */
	memset(x, 0x55, 100);
	dsp_arena_free(&a, x, 100);
	z = dsp_arena_alloc(&a, 300);	/* another class: not x */
	assert_ptr_not_equal(z, x);
	w = dsp_arena_alloc(&a, 120);	/* x's class: x again, zeroed */
	assert_ptr_equal(w, x);
	assert_int_equal(w[0], 0);
	assert_int_equal(w[99], 0);
	assert_int_equal(a.n_blocks, 1);
	dsp_arena_release(&a);
}

static void blocks_are_added_as_they_fill(void **state)
{
	struct dsp_arena a = { 0 };
	uint32_t i, n = DSP_ARENA_BLOCK / 4096 + 1;
	void *p = NULL;

	(void)state;
	if (sanitized())
		skip();
	for (i = 0; i < n; i++) {
		p = dsp_arena_alloc(&a, 4096);
		assert_non_null(p);
	}
	assert_int_equal(a.n_blocks, 2);
	assert_int_equal((uintptr_t)a.blocks[0] % DSP_ARENA_BLOCK, 0);
	assert_ptr_equal(p, a.blocks[1]);
	dsp_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(objects_are_aligned_zeroed_and_apart),
		cmocka_unit_test(freed_objects_come_back_for_their_size_class),
		cmocka_unit_test(blocks_are_added_as_they_fill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
