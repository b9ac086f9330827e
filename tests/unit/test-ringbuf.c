/* SPDX-License-Identifier: MIT */
/*
 * The single-producer/single-consumer ring of src/util/ringbuf.h: sizes, wrap-around of the
 * storage and of the free-running indices, refusal of writes and reads that do not fit, and
 * an ordered, loss-free hand-over between two threads.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/ringbuf.h"

static void test_init_rejects_sizes_that_are_not_powers_of_two(void **state)
{
	struct vadsp_ringbuf rb;
	uint8_t mem[64];

	assert_int_equal(vadsp_ringbuf_init(&rb, mem, 0), -EINVAL);
	assert_int_equal(vadsp_ringbuf_init(&rb, mem, 48), -EINVAL);
	assert_int_equal(vadsp_ringbuf_init(&rb, NULL, 64), -EINVAL);
	assert_int_equal(vadsp_ringbuf_init(&rb, mem, 64), 0);
	assert_int_equal(vadsp_ringbuf_readable(&rb), 0);
	assert_int_equal(vadsp_ringbuf_writable(&rb), 64);
}

static void test_write_and_read_refuse_what_does_not_fit(void **state)
{
	struct vadsp_ringbuf rb;
	uint8_t mem[16], in[20], out[20];

	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i + 1);
	assert_int_equal(vadsp_ringbuf_init(&rb, mem, sizeof(mem)), 0);
	assert_int_equal(vadsp_ringbuf_write(&rb, in, 17), -ENOSPC);
	assert_int_equal(vadsp_ringbuf_readable(&rb), 0);
	assert_int_equal(vadsp_ringbuf_write(&rb, in, 16), 16);
	assert_int_equal(vadsp_ringbuf_writable(&rb), 0);
	assert_int_equal(vadsp_ringbuf_write(&rb, in, 1), -ENOSPC);
	assert_int_equal(vadsp_ringbuf_read(&rb, out, 17), -ENODATA);
	assert_int_equal(vadsp_ringbuf_read(&rb, out, 16), 16);
	assert_memory_equal(out, in, 16);
	assert_int_equal(vadsp_ringbuf_read(&rb, out, 1), -ENODATA);
}

static void test_data_wraps_around_the_end_of_storage(void **state)
{
	struct vadsp_ringbuf rb;
	uint8_t mem[16], in[12], out[12];

	assert_int_equal(vadsp_ringbuf_init(&rb, mem, sizeof(mem)), 0);
	/* Move both indices to 10 so the next 12 bytes straddle the end. */
	memset(in, 0xee, sizeof(in));
	assert_int_equal(vadsp_ringbuf_write(&rb, in, 10), 10);
	assert_int_equal(vadsp_ringbuf_skip(&rb, 10), 10);
	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(0x40 + i);
	assert_int_equal(vadsp_ringbuf_write(&rb, in, 12), 12);
	assert_int_equal(mem[15], 0x45);
	assert_int_equal(mem[0], 0x46);
	assert_int_equal(vadsp_ringbuf_read(&rb, out, 12), 12);
	assert_memory_equal(out, in, 12);
}

static void test_free_running_indices_wrap_past_uint32_max(void **state)
{
	struct vadsp_ringbuf rb;
	uint8_t mem[32], in[24], out[24];

	assert_int_equal(vadsp_ringbuf_init(&rb, mem, sizeof(mem)), 0);
	atomic_store(&rb.write_index, UINT32_MAX - 7);
	atomic_store(&rb.read_index, UINT32_MAX - 7);
	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(0x80 + i);
	assert_int_equal(vadsp_ringbuf_write(&rb, in, 24), 24);
	/* The write index has wrapped to 16; readable is still 24 and writable 8. */
	assert_int_equal(atomic_load(&rb.write_index), 16);
	assert_int_equal(vadsp_ringbuf_readable(&rb), 24);
	assert_int_equal(vadsp_ringbuf_writable(&rb), 8);
	assert_int_equal(vadsp_ringbuf_fill(&rb), 24);
	assert_int_equal(vadsp_ringbuf_read(&rb, out, 24), 24);
	assert_memory_equal(out, in, 24);
	assert_int_equal(vadsp_ringbuf_readable(&rb), 0);
}

static void test_write_zero_appends_silence(void **state)
{
	struct vadsp_ringbuf rb;
	uint8_t mem[8], out[8];

	memset(mem, 0x5a, sizeof(mem));
	assert_int_equal(vadsp_ringbuf_init(&rb, mem, sizeof(mem)), 0);
	assert_int_equal(vadsp_ringbuf_write(&rb, "ab", 2), 2);
	assert_int_equal(vadsp_ringbuf_write_zero(&rb, 6), 6);
	assert_int_equal(vadsp_ringbuf_read(&rb, out, 8), 8);
	assert_memory_equal(out, "ab\0\0\0\0\0\0", 8);
}

/* Two threads move 4 million 32-bit sequence numbers in odd-sized chunks through a 256-byte
 * ring; the consumer checks that every number arrives once and in order. */
#define XFER_WORDS	(4u << 20)

struct xfer {
	struct vadsp_ringbuf rb;
	uint8_t mem[256];
	uint32_t errors;
};

static void *producer(void *arg)
{
	struct xfer *x = arg;
	uint32_t next = 0, chunk = 1;
	uint32_t buf[7];

	while (next < XFER_WORDS) {
		uint32_t n = chunk;

		if (n > XFER_WORDS - next)
			n = XFER_WORDS - next;
		if (vadsp_ringbuf_writable(&x->rb) < n * 4) {
			sched_yield();
			continue;
		}
		for (uint32_t i = 0; i < n; i++)
			buf[i] = next + i;
		if (vadsp_ringbuf_write(&x->rb, buf, n * 4) != (int)(n * 4))
			x->errors++;
		next += n;
		chunk = chunk % 7 + 1;
	}
	return NULL;
}

static void test_two_threads_hand_over_every_word_in_order(void **state)
{
	static struct xfer x;
	pthread_t thr;
	uint32_t expect = 0, chunk = 3, buf[5];

	assert_int_equal(vadsp_ringbuf_init(&x.rb, x.mem, sizeof(x.mem)), 0);
	x.errors = 0;
	assert_int_equal(pthread_create(&thr, NULL, producer, &x), 0);
	while (expect < XFER_WORDS) {
		uint32_t n = chunk, have = vadsp_ringbuf_readable(&x.rb) / 4;

		if (n > XFER_WORDS - expect)
			n = XFER_WORDS - expect;
		if (have < n) {
			sched_yield();
			continue;
		}
		assert_int_equal(vadsp_ringbuf_read(&x.rb, buf, n * 4), (int)(n * 4));
		for (uint32_t i = 0; i < n; i++)
			if (buf[i] != expect + i)
				fail_msg("word %u arrived as %u", expect + i, buf[i]);
		expect += n;
		chunk = chunk % 5 + 1;
	}
	assert_int_equal(pthread_join(thr, NULL), 0);
	assert_int_equal(x.errors, 0);
	assert_int_equal(vadsp_ringbuf_readable(&x.rb), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rejects_sizes_that_are_not_powers_of_two),
		cmocka_unit_test(test_write_and_read_refuse_what_does_not_fit),
		cmocka_unit_test(test_data_wraps_around_the_end_of_storage),
		cmocka_unit_test(test_free_running_indices_wrap_past_uint32_max),
		cmocka_unit_test(test_write_zero_appends_silence),
		cmocka_unit_test(test_two_threads_hand_over_every_word_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
