// SPDX-License-Identifier: MIT
/*
 * Split virtqueues: the driver side and the device side together in one process over one
 * block of "guest" memory, plus hostile rings written by hand that the device must refuse.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/le.h"
#include "virtio/vring.h"

#define GPA_BASE	0x40000000ull
#define UVA_BASE	0x7f0000000000ull
#define GUEST_SIZE	(256u * 1024)
#define DATA_OFF	(64u * 1024)	/* buffers live from here on; rings below */

#define F_INDIRECT	(1ull << VIRTIO_F_INDIRECT_DESC)
#define F_EVENT_IDX	(1ull << VIRTIO_F_EVENT_IDX)

/* One guest: a memory block mapped as one region, a driver and a device on the same ring. */
struct fx {
	uint8_t *guest;
	struct vring_mem mem;
	struct vring_drv drv;
	struct vring dev;
	unsigned int num;
	uint16_t raw_idx;	/* avail->idx when the test writes the avail ring by hand */
};

static struct fx fx;

static uint64_t gpa_of(const void *p)
{
	return GPA_BASE + (uint64_t)((const uint8_t *)p - fx.guest);
}

static uint8_t *data(size_t off)
{
	return fx.guest + DATA_OFF + off;
}

/*
 * A ring as a device finds it when it resumes: the driver has made @avail_idx entries
 * available, the used ring stands at @used_idx, and the device starts at @avail_idx (the
 * vhost-user SET_VRING_BASE value).
 */
static void fx_init_resumed(unsigned int num, uint64_t features, uint16_t avail_idx,
			    uint16_t used_idx)
{
	struct vring_mem_region r;

	memset(&fx, 0, sizeof(fx));
	fx.num = num;
	fx.guest = aligned_alloc(4096, GUEST_SIZE);
	assert_non_null(fx.guest);
	memset(fx.guest, 0, GUEST_SIZE);
	r = (struct vring_mem_region){
		.gpa = GPA_BASE, .size = GUEST_SIZE, .uva = UVA_BASE, .host = fx.guest,
	};
	assert_int_equal(vring_mem_add(&fx.mem, &r), 0);
	assert_true(vring_drv_ring_bytes(num) <= DATA_OFF);
	assert_int_equal(vring_drv_init(&fx.drv, num, fx.guest, GPA_BASE, features), 0);
	put_le16((uint8_t *)fx.drv.avail + VRING_AVAIL_IDX_OFF, avail_idx);
	put_le16((uint8_t *)fx.drv.used + VRING_USED_IDX_OFF, used_idx);
	/* The device finds the rings through the memory map, as vhost-user would. */
	assert_int_equal(vring_dev_init(&fx.dev, &fx.mem, num,
					 vring_mem_gpa(&fx.mem, fx.drv.desc_gpa, vring_desc_bytes(num)),
					 vring_mem_gpa(&fx.mem, fx.drv.avail_gpa,
						       vring_avail_bytes(num)),
					 vring_mem_gpa(&fx.mem, fx.drv.used_gpa, vring_used_bytes(num)),
					 features, avail_idx), 0);
	fx.dev.name = "test";
	fx.raw_idx = avail_idx;
}

/* A ring resumed at @start_idx with every chain completed. */
static void fx_init_at(unsigned int num, uint64_t features, uint16_t start_idx)
{
	fx_init_resumed(num, features, start_idx, start_idx);
}

static void fx_init(unsigned int num, uint64_t features)
{
	fx_init_at(num, features, 0);
}

static void fx_fini(void)
{
	vring_drv_fini(&fx.drv);
	free(fx.guest);
	fx.guest = NULL;
}

/* Write descriptor @i of the table at @table (host address). */
static void put_desc(void *table, unsigned int i, uint64_t addr, uint32_t len, uint16_t flags,
		     uint16_t next)
{
	uint8_t *d = (uint8_t *)table + 16u * i;

	put_le64(d, addr);
	put_le32(d + 8, len);
	put_le16(d + 12, flags);
	put_le16(d + 14, next);
}

/* Make @head available by writing the avail ring directly (no driver bookkeeping). */
static void raw_offer(uint16_t head)
{
	uint8_t *avail = (uint8_t *)fx.drv.avail;

	put_le16(avail + VRING_AVAIL_RING_OFF(fx.raw_idx & (fx.num - 1)), head);
	fx.raw_idx++;
	put_le16(avail + VRING_AVAIL_IDX_OFF, fx.raw_idx);
}

/* Offer a one-descriptor chain at @head: @len readable bytes at data offset @off. */
static void raw_offer_simple(uint16_t head, size_t off, uint32_t len, uint16_t flags)
{
	put_desc(fx.drv.desc, head, gpa_of(data(off)), len, flags, 0);
	raw_offer(head);
}

static void expect_broken(void)
{
	struct vring_chain c;

	assert_int_equal(vring_dev_pop(&fx.dev, &c), -EIO);
	assert_true(fx.dev.broken);
}

/* The chain's segments, as (host offset into guest block, length) checks. */
static void assert_seg(const struct vring_chain *c, unsigned int i, const void *host, size_t len)
{
	assert_ptr_equal(c->seg[i].iov_base, host);
	assert_int_equal(c->seg[i].iov_len, len);
}

/* ------------------------------------------------------------------------------------------
 * Driver and device together
 * ------------------------------------------------------------------------------------------ */

/* The device serves every available chain: echo the readable bytes reversed, +1 each. */
static unsigned int device_serve_all(bool reverse_order)
{
	struct vring_chain chains[32];
	unsigned int n = 0, i;
	int ret;

	while ((ret = vring_dev_pop(&fx.dev, &chains[n])) == 1) {
		assert_true(n < VADSP_ARRAY_SIZE(chains));
		n++;
	}
	assert_int_equal(ret, 0);
	for (i = 0; i < n; i++) {
		struct vring_chain *c = &chains[reverse_order ? n - 1 - i : i];
		uint8_t buf[256];
		size_t got = vring_chain_read(c, 0, buf, sizeof(buf));
		size_t put = VADSP_MIN(got, (size_t)c->in_bytes);
		size_t k;

		assert_int_equal(got, c->out_bytes);
		for (k = 0; k < got; k++)
			buf[k] = (uint8_t)(buf[k] + 1);
		assert_int_equal(vring_chain_write(c, 0, buf, got), put);
		assert_int_equal(vring_dev_push(&fx.dev, c->head, (uint32_t)put), 0);
	}
	return n;
}

static void test_roundtrip_data_through_driver_and_device(void **state)
{
	unsigned int round;

	fx_init(16, 0);
	for (round = 0; round < 20; round++) {
		uintptr_t tokens_seen = 0;
		unsigned int k;

		/* Four requests of different sizes, each with two readable and one writable part. */
		for (k = 0; k < 4; k++) {
			uint8_t *req = data(k * 1024);
			struct vring_buf out[2] = {
				{ gpa_of(req), 3 + k },
				{ gpa_of(req + 100), 5 },
			};
			struct vring_buf in[1] = { { gpa_of(req + 512), 64 } };
			unsigned int j;

			for (j = 0; j < 3 + k; j++)
				req[j] = (uint8_t)(round * 16 + k * 4 + j);
			memset(req + 100, 0x40 + k, 5);
			memset(req + 512, 0, 64);
			assert_in_range(vring_drv_add(&fx.drv, out, 2, in, 1,
						      (void *)(uintptr_t)(k + 1)), 0, 15);
		}
		assert_int_equal(fx.drv.num_free, 16 - 4 * 3);
		assert_true(vring_drv_kick_prepare(&fx.drv));
		/* Completed in reverse order: the driver must get them back in used-ring order. */
		assert_int_equal(device_serve_all(true), 4);
		for (k = 0; k < 4; k++) {
			uint32_t len = 0;
			uintptr_t tok = (uintptr_t)vring_drv_get_used(&fx.drv, &len);
			unsigned int req_no = (unsigned int)tok - 1;
			uint8_t *reply = data(req_no * 1024 + 512);
			unsigned int j;

			assert_int_equal(tok, 4 - k);
			assert_int_equal(len, 3 + req_no + 5);
			for (j = 0; j < 3 + req_no; j++)
				assert_int_equal(reply[j], (uint8_t)(round * 16 + req_no * 4 + j + 1));
			for (; j < len; j++)
				assert_int_equal(reply[j], 0x41 + req_no);
			tokens_seen |= 1u << req_no;
		}
		assert_int_equal(tokens_seen, 0xf);
		assert_null(vring_drv_get_used(&fx.drv, NULL));
		assert_int_equal(fx.drv.num_free, 16);
	}
	assert_false(fx.dev.broken);
	assert_false(fx.drv.broken);
	fx_fini();
}

static void test_roundtrip_survives_16bit_index_wrap(void **state)
{
	unsigned int i;

	fx_init(4, F_EVENT_IDX);
	for (i = 0; i < 70000; i++) {
		uint8_t *req = data(0);
		struct vring_buf out = { gpa_of(req), 4 };
		struct vring_buf in = { gpa_of(req + 64), 4 };
		uint32_t len = 0;

		unsigned int k;

		put_le32(req, i);
		/* The freed chain goes back to the front of the free list: head 0 every time. */
		assert_int_equal(vring_drv_add(&fx.drv, &out, 1, &in, 1, &fx), 0);
		vring_drv_kick_prepare(&fx.drv);
		vring_dev_set_notify(&fx.dev, true);
		assert_int_equal(device_serve_all(false), 1);
		assert_ptr_equal(vring_drv_get_used(&fx.drv, &len), &fx);
		assert_int_equal(len, 4);
		for (k = 0; k < 4; k++)
			assert_int_equal(req[64 + k], (uint8_t)((i >> (8 * k)) + 1));
	}
	assert_int_equal(fx.dev.last_avail_idx, (uint16_t)70000);
	assert_int_equal(fx.drv.last_used_idx, (uint16_t)70000);
	fx_fini();
}

static void test_pop_on_empty_ring_returns_zero(void **state)
{
	struct vring_chain c;

	fx_init(8, 0);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 0);
	assert_false(fx.dev.broken);
	fx_fini();
}

/* ------------------------------------------------------------------------------------------
 * Chain shape: loops and length
 * ------------------------------------------------------------------------------------------ */

static void test_chain_using_every_descriptor_is_accepted(void **state)
{
	struct vring_chain c;
	unsigned int i;

	fx_init(64, 0);
	for (i = 0; i < 64; i++)
		put_desc(fx.drv.desc, i, gpa_of(data(i)), 1, i < 63 ? VRING_DESC_F_NEXT : 0, i + 1);
	raw_offer(0);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	assert_int_equal(c.nout, 64);
	assert_int_equal(c.out_bytes, 64);
	fx_fini();
}

static void test_descriptor_loop_breaks_queue(void **state)
{
	fx_init(8, 0);
	/* A zero-length self loop: no bytes, no segments, only the descriptor count stops it. */
	put_desc(fx.drv.desc, 2, 0, 0, VRING_DESC_F_NEXT, 2);
	raw_offer(2);
	expect_broken();
	fx_fini();

	fx_init(8, 0);
	put_desc(fx.drv.desc, 0, gpa_of(data(0)), 4, VRING_DESC_F_NEXT, 1);
	put_desc(fx.drv.desc, 1, gpa_of(data(8)), 4, VRING_DESC_F_NEXT, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();
}

static void test_chain_longer_than_queue_breaks_queue(void **state)
{
	unsigned int i;

	/* 64 distinct descriptors, then the last one points back into the chain: 65 visits. */
	fx_init(64, 0);
	for (i = 0; i < 64; i++)
		put_desc(fx.drv.desc, i, gpa_of(data(i)), 1, VRING_DESC_F_NEXT, (i + 1) % 64);
	raw_offer(0);
	expect_broken();
	fx_fini();
}

static void test_too_many_segments_breaks_queue(void **state)
{
	struct vring_chain c;
	unsigned int i;

	/* VRING_CHAIN_MAX_SEGS descriptors fit... */
	fx_init(128, 0);
	for (i = 0; i < VRING_CHAIN_MAX_SEGS; i++)
		put_desc(fx.drv.desc, i, gpa_of(data(2 * i)), 1,
			 i + 1 < VRING_CHAIN_MAX_SEGS ? VRING_DESC_F_NEXT : 0, i + 1);
	raw_offer(0);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	assert_int_equal(c.nout, VRING_CHAIN_MAX_SEGS);
	fx_fini();

	/* ...one more does not. */
	fx_init(128, 0);
	for (i = 0; i <= VRING_CHAIN_MAX_SEGS; i++)
		put_desc(fx.drv.desc, i, gpa_of(data(2 * i)), 1,
			 i < VRING_CHAIN_MAX_SEGS ? VRING_DESC_F_NEXT : 0, i + 1);
	raw_offer(0);
	expect_broken();
	fx_fini();
}

static void test_region_split_segments_count_against_limit(void **state)
{
	static uint8_t other[4096] __attribute__((aligned(16)));
	struct vring_mem_region r = {
		.gpa = GPA_BASE + GUEST_SIZE, .size = sizeof(other), .uva = UVA_BASE + (1ull << 32),
		.host = other,
	};
	struct vring_chain c;
	unsigned int n, i;

	/* n one-region descriptors, then one crossing into the adjacent region (2 segments). */
	for (n = VRING_CHAIN_MAX_SEGS - 2; n <= VRING_CHAIN_MAX_SEGS - 1; n++) {
		fx_init(128, 0);
		assert_int_equal(vring_mem_add(&fx.mem, &r), 0);
		for (i = 0; i < n; i++)
			put_desc(fx.drv.desc, i, gpa_of(data(2 * i)), 1, VRING_DESC_F_NEXT, i + 1);
		put_desc(fx.drv.desc, n, GPA_BASE + GUEST_SIZE - 4, 8, 0, 0);
		raw_offer(0);
		if (n + 2 <= VRING_CHAIN_MAX_SEGS) {
			assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
			assert_int_equal(c.nout, VRING_CHAIN_MAX_SEGS);
			assert_seg(&c, n + 1, other, 4);
		} else {
			expect_broken();
		}
		fx_fini();
	}
}

/* ------------------------------------------------------------------------------------------
 * Addresses and lengths
 * ------------------------------------------------------------------------------------------ */

static void test_address_outside_every_region_breaks_queue(void **state)
{
	/* Entirely above the region. */
	fx_init(8, 0);
	put_desc(fx.drv.desc, 0, GPA_BASE + GUEST_SIZE, 16, 0, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();

	/* Entirely below it. */
	fx_init(8, 0);
	put_desc(fx.drv.desc, 0, GPA_BASE - 16, 16, 0, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();

	/* Starts inside, runs one byte past the end. */
	fx_init(8, 0);
	put_desc(fx.drv.desc, 0, GPA_BASE + GUEST_SIZE - 15, 16, 0, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();

	/* Ends exactly at the end: fine. */
	fx_init(8, 0);
	{
		struct vring_chain c;

		put_desc(fx.drv.desc, 0, GPA_BASE + GUEST_SIZE - 16, 16, 0, 0);
		raw_offer(0);
		assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
		assert_seg(&c, 0, fx.guest + GUEST_SIZE - 16, 16);
	}
	fx_fini();
}

static void test_buffer_wrapping_u64_breaks_queue(void **state)
{
	static uint8_t top[4096] __attribute__((aligned(16)));
	struct vring_mem_region r = {
		.gpa = UINT64_MAX - sizeof(top) + 1, .size = sizeof(top), .uva = 0x1000,
		.host = top,
	};
	static uint8_t low[4096] __attribute__((aligned(16)));
	struct vring_mem_region bottom = {
		.gpa = 0, .size = sizeof(low), .uva = 0x2000, .host = low,
	};
	struct vring_chain c;

	/* A region at the very top of the address space: a buffer may end on its last byte... */
	fx_init(8, 0);
	assert_int_equal(vring_mem_add(&fx.mem, &r), 0);
	put_desc(fx.drv.desc, 0, UINT64_MAX - 7, 8, 0, 0);
	raw_offer(0);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	assert_seg(&c, 0, top + sizeof(top) - 8, 8);
	fx_fini();

	/*
	 * ...but not run past it and wrap to address 0, even though address 0 is mapped too
	 * (so only the wrap check can refuse it).
	 */
	fx_init(8, 0);
	assert_int_equal(vring_mem_add(&fx.mem, &r), 0);
	assert_int_equal(vring_mem_add(&fx.mem, &bottom), 0);
	put_desc(fx.drv.desc, 0, UINT64_MAX - 7, 16, 0, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();
}

static void test_zero_length_descriptor_adds_no_segment(void **state)
{
	struct vring_chain c;

	fx_init(8, 0);
	put_desc(fx.drv.desc, 0, gpa_of(data(0)), 4, VRING_DESC_F_NEXT, 5);
	/* Its address is nonsense, but with no bytes it is never looked at. */
	put_desc(fx.drv.desc, 5, 0xdeadbeefdeadbeefull, 0, VRING_DESC_F_NEXT, 3);
	put_desc(fx.drv.desc, 3, gpa_of(data(64)), 8, VRING_DESC_F_WRITE, 0);
	raw_offer(0);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	assert_int_equal(c.head, 0);
	assert_int_equal(c.nout, 1);
	assert_int_equal(c.nin, 1);
	assert_int_equal(c.out_bytes, 4);
	assert_int_equal(c.in_bytes, 8);
	assert_seg(&c, 0, data(0), 4);
	assert_seg(&c, 1, data(64), 8);
	fx_fini();
}

static void test_huge_length_exceeds_byte_cap(void **state)
{
	struct vring_chain c;

	/* One descriptor of 4 GiB - 1. */
	fx_init(8, 0);
	put_desc(fx.drv.desc, 0, gpa_of(data(0)), UINT32_MAX, 0, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();

	/* The cap applies to the whole chain: 60 + 40 fits in 100, 60 + 41 does not. */
	fx_init(8, 0);
	fx.dev.max_chain_bytes = 100;
	put_desc(fx.drv.desc, 0, gpa_of(data(0)), 60, VRING_DESC_F_NEXT, 1);
	put_desc(fx.drv.desc, 1, gpa_of(data(100)), 40, VRING_DESC_F_WRITE, 0);
	raw_offer(0);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	assert_int_equal(c.out_bytes + c.in_bytes, 100);
	assert_int_equal(vring_dev_push(&fx.dev, 0, 0), 0);
	put_desc(fx.drv.desc, 1, gpa_of(data(100)), 41, VRING_DESC_F_WRITE, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();
}

/* ------------------------------------------------------------------------------------------
 * Indirect tables
 * ------------------------------------------------------------------------------------------ */

static void test_indirect_chain_is_walked(void **state)
{
	uint8_t *table;
	struct vring_chain c;

	fx_init(8, F_INDIRECT);
	table = data(4096);
	/* A direct readable descriptor, then an indirect table: readable, readable, writable. */
	put_desc(table, 0, gpa_of(data(0)), 10, VRING_DESC_F_NEXT, 2);
	put_desc(table, 2, gpa_of(data(32)), 20, VRING_DESC_F_NEXT, 1);
	put_desc(table, 1, gpa_of(data(64)), 30, VRING_DESC_F_WRITE, 0);
	put_desc(fx.drv.desc, 4, gpa_of(data(200)), 5, VRING_DESC_F_NEXT, 6);
	/* WRITE on the descriptor pointing to the table is ignored (VIRTIO 1.x 2.7.5.3.2). */
	put_desc(fx.drv.desc, 6, gpa_of(table), 3 * 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_WRITE,
		 0);
	raw_offer(4);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	assert_int_equal(c.head, 4);
	assert_int_equal(c.nout, 3);
	assert_int_equal(c.nin, 1);
	assert_int_equal(c.out_bytes, 35);
	assert_int_equal(c.in_bytes, 30);
	assert_seg(&c, 0, data(200), 5);
	assert_seg(&c, 1, data(0), 10);
	assert_seg(&c, 2, data(32), 20);
	assert_seg(&c, 3, data(64), 30);
	fx_fini();
}

static void test_indirect_without_feature_breaks_queue(void **state)
{
	uint8_t *table;

	fx_init(8, 0);
	table = data(4096);
	put_desc(table, 0, gpa_of(data(0)), 10, 0, 0);
	put_desc(fx.drv.desc, 0, gpa_of(table), 16, VRING_DESC_F_INDIRECT, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();
}

static void test_indirect_inside_indirect_breaks_queue(void **state)
{
	uint8_t *table, *inner;

	fx_init(8, F_INDIRECT);
	table = data(4096);
	inner = data(8192);
	put_desc(inner, 0, gpa_of(data(0)), 10, 0, 0);
	put_desc(table, 0, gpa_of(data(0)), 10, VRING_DESC_F_NEXT, 1);
	put_desc(table, 1, gpa_of(inner), 16, VRING_DESC_F_INDIRECT, 0);
	put_desc(fx.drv.desc, 0, gpa_of(table), 32, VRING_DESC_F_INDIRECT, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();
}

static void test_indirect_with_next_breaks_queue(void **state)
{
	uint8_t *table;

	fx_init(8, F_INDIRECT);
	table = data(4096);
	put_desc(table, 0, gpa_of(data(0)), 10, 0, 0);
	put_desc(fx.drv.desc, 0, gpa_of(table), 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 1);
	put_desc(fx.drv.desc, 1, gpa_of(data(64)), 10, VRING_DESC_F_WRITE, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();
}

static void test_indirect_table_bad_length_breaks_queue(void **state)
{
	static const uint32_t bad[] = { 0, 8, 24, 17, 15 };
	uint8_t *table;
	unsigned int i;

	for (i = 0; i < VADSP_ARRAY_SIZE(bad); i++) {
		fx_init(8, F_INDIRECT);
		table = data(4096);
		put_desc(table, 0, gpa_of(data(0)), 10, 0, 0);
		put_desc(table, 1, gpa_of(data(0)), 10, 0, 0);
		put_desc(fx.drv.desc, 0, gpa_of(table), bad[i], VRING_DESC_F_INDIRECT, 0);
		raw_offer(0);
		expect_broken();
		fx_fini();
	}
}

static void test_indirect_table_outside_memory_breaks_queue(void **state)
{
	fx_init(8, F_INDIRECT);
	/* Starts in the last 16 bytes of guest memory, claims 32. */
	put_desc(fx.drv.desc, 0, GPA_BASE + GUEST_SIZE - 16, 32, VRING_DESC_F_INDIRECT, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();
}

static void test_indirect_table_loop_breaks_queue(void **state)
{
	uint8_t *table;
	unsigned int i;

	fx_init(8, F_INDIRECT);
	table = data(4096);
	/* Four entries chained 0 -> 1 -> 2 -> 3 -> 1: a loop inside the table. */
	for (i = 0; i < 4; i++)
		put_desc(table, i, gpa_of(data(16 * i)), 4, VRING_DESC_F_NEXT, i < 3 ? i + 1 : 1);
	put_desc(fx.drv.desc, 0, gpa_of(table), 4 * 16, VRING_DESC_F_INDIRECT, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();
}

static void test_indirect_next_out_of_range_breaks_queue(void **state)
{
	uint8_t *table;

	fx_init(8, F_INDIRECT);
	table = data(4096);
	/* The table holds 2 entries; entry 1 points to index 2 (inside the queue, outside it). */
	put_desc(table, 0, gpa_of(data(0)), 4, VRING_DESC_F_NEXT, 1);
	put_desc(table, 1, gpa_of(data(16)), 4, VRING_DESC_F_NEXT, 2);
	put_desc(table, 2, gpa_of(data(32)), 4, 0, 0);
	put_desc(fx.drv.desc, 0, gpa_of(table), 2 * 16, VRING_DESC_F_INDIRECT, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();
}

static void test_unaligned_indirect_table_is_read(void **state)
{
	uint8_t *table;
	struct vring_chain c;

	fx_init(8, F_INDIRECT);
	table = data(4096 + 3);
	put_desc(table, 0, gpa_of(data(0)), 7, VRING_DESC_F_NEXT, 1);
	put_desc(table, 1, gpa_of(data(64)), 9, VRING_DESC_F_WRITE, 0);
	put_desc(fx.drv.desc, 0, gpa_of(table), 32, VRING_DESC_F_INDIRECT, 0);
	raw_offer(0);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	assert_seg(&c, 0, data(0), 7);
	assert_seg(&c, 1, data(64), 9);
	fx_fini();
}

/* ------------------------------------------------------------------------------------------
 * Ordering inside a chain, ring indices
 * ------------------------------------------------------------------------------------------ */

static void test_writable_before_readable_breaks_queue(void **state)
{
	uint8_t *table;

	fx_init(8, 0);
	table = data(4096);
	put_desc(fx.drv.desc, 0, gpa_of(data(0)), 4, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 1);
	put_desc(fx.drv.desc, 1, gpa_of(data(16)), 4, 0, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();

	/* Across the step from the main table into an indirect one. */
	fx_init(8, F_INDIRECT);
	table = data(4096);
	put_desc(table, 0, gpa_of(data(16)), 4, 0, 0);
	put_desc(fx.drv.desc, 0, gpa_of(data(0)), 4, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 1);
	put_desc(fx.drv.desc, 1, gpa_of(table), 16, VRING_DESC_F_INDIRECT, 0);
	raw_offer(0);
	expect_broken();
	fx_fini();
}

static void test_avail_idx_jump_breaks_queue(void **state)
{
	struct vring_chain c;
	unsigned int i;

	/* Exactly num ahead is a full ring: fine. */
	fx_init(8, 0);
	for (i = 0; i < 8; i++)
		raw_offer_simple((uint16_t)i, 16 * i, 4, 0);
	for (i = 0; i < 8; i++)
		assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 0);
	fx_fini();

	/* num + 1 ahead is impossible for a correct driver. */
	fx_init(8, 0);
	for (i = 0; i < 8; i++)
		put_desc(fx.drv.desc, i, gpa_of(data(16 * i)), 4, 0, 0);
	put_le16((uint8_t *)fx.drv.avail + VRING_AVAIL_IDX_OFF, 9);
	expect_broken();
	fx_fini();

	/* Also across the 16-bit wrap: last_avail 65530, avail idx 65530 + 9 = 3. */
	fx_init_at(8, 0, 65530);
	put_le16((uint8_t *)fx.drv.avail + VRING_AVAIL_IDX_OFF, 3);
	expect_broken();
	fx_fini();
}

static void test_head_index_out_of_range_breaks_queue(void **state)
{
	fx_init(8, 0);
	raw_offer(8);
	expect_broken();
	fx_fini();

	fx_init(8, 0);
	raw_offer(0xffff);
	expect_broken();
	fx_fini();
}

static void test_next_index_out_of_range_breaks_queue(void **state)
{
	fx_init(8, 0);
	put_desc(fx.drv.desc, 0, gpa_of(data(0)), 4, VRING_DESC_F_NEXT, 8);
	raw_offer(0);
	expect_broken();
	fx_fini();
}

static void test_more_chains_in_flight_than_queue_size_breaks_queue(void **state)
{
	struct vring_chain c;
	unsigned int i;

	fx_init(4, 0);
	for (i = 0; i < 4; i++)
		raw_offer_simple((uint16_t)i, 16 * i, 4, 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	/* All four are still with the device; the driver offers head 0 again. */
	raw_offer(0);
	expect_broken();
	fx_fini();
}

static void test_queue_stays_broken_and_logs_once(void **state)
{
	struct vring_chain c;
	char line[512];
	int saved, lines = 0;
	FILE *log;

	log = tmpfile();
	assert_non_null(log);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fileno(log), STDERR_FILENO), STDERR_FILENO);

	fx_init(8, 0);
	raw_offer_simple(0, 0, 4, 0);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	raw_offer(9);
	expect_broken();
	/* The driver repairs everything: the queue still serves nothing. */
	raw_offer_simple(1, 0, 4, 0);
	put_le16((uint8_t *)fx.drv.avail + VRING_AVAIL_RING_OFF(1), 1);
	expect_broken();
	expect_broken();
	assert_int_equal(vring_dev_push(&fx.dev, 0, 0), -EIO);
	assert_false(vring_dev_should_notify(&fx.dev));
	assert_false(vring_dev_set_notify(&fx.dev, true));
	assert_int_equal(get_le16((uint8_t *)fx.drv.used + VRING_USED_IDX_OFF), 0);
	fx_fini();

	fflush(stderr);
	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	rewind(log);
	while (fgets(line, sizeof(line), log)) {
		if (strstr(line, "queue broken")) {
			lines++;
			/* The reason and the queue's name are in the message. */
			assert_non_null(strstr(line, "test"));
			assert_non_null(strstr(line, "head index 9"));
		}
	}
	fclose(log);
	assert_int_equal(lines, 1);
}

/* ------------------------------------------------------------------------------------------
 * Notification suppression
 * ------------------------------------------------------------------------------------------ */

/* Pop and push one simple chain through the raw ring. */
static void raw_cycle(uint16_t head)
{
	struct vring_chain c;

	raw_offer_simple(head, 0, 4, 0);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	assert_int_equal(vring_dev_push(&fx.dev, c.head, 0), 0);
}

static void set_used_event(uint16_t v)
{
	put_le16((uint8_t *)fx.drv.avail + VRING_USED_EVENT_OFF(fx.num), v);
}

static void test_device_event_idx_notifies_at_used_event(void **state)
{
	fx_init(8, F_EVENT_IDX);
	/* Nothing pushed: nothing to say. */
	assert_false(vring_dev_should_notify(&fx.dev));
	/* First push after start: always notify (we do not know what the driver saw). */
	raw_cycle(0);
	assert_true(vring_dev_should_notify(&fx.dev));
	assert_false(vring_dev_should_notify(&fx.dev));
	/* used_event = 3: the pushes that fill entries 1 and 2 are quiet, entry 3 notifies. */
	set_used_event(3);
	raw_cycle(1);
	assert_false(vring_dev_should_notify(&fx.dev));
	raw_cycle(2);
	assert_false(vring_dev_should_notify(&fx.dev));
	raw_cycle(3);
	assert_true(vring_dev_should_notify(&fx.dev));
	/* A batch that steps over used_event notifies once at the end of the batch. */
	set_used_event(5);
	raw_cycle(4);
	raw_cycle(5);
	raw_cycle(6);
	assert_true(vring_dev_should_notify(&fx.dev));
	/* used_event left behind: quiet. */
	raw_cycle(7);
	assert_false(vring_dev_should_notify(&fx.dev));
	fx_fini();
}

static void test_device_event_idx_handles_16bit_wrap(void **state)
{
	fx_init_at(8, F_EVENT_IDX, 65533);
	raw_cycle(0);					/* entry 65533 */
	assert_true(vring_dev_should_notify(&fx.dev));
	set_used_event(0);				/* wants the entry after 65535 */
	raw_cycle(1);					/* entry 65534 */
	assert_false(vring_dev_should_notify(&fx.dev));
	raw_cycle(2);					/* entry 65535 */
	assert_false(vring_dev_should_notify(&fx.dev));
	raw_cycle(3);					/* entry 0 */
	assert_true(vring_dev_should_notify(&fx.dev));
	assert_int_equal(fx.dev.used_idx, 1);
	/* used_event = 65535 seen from after the wrap: already passed, quiet. */
	set_used_event(65535);
	raw_cycle(4);
	assert_false(vring_dev_should_notify(&fx.dev));
	fx_fini();
}

static void test_device_no_interrupt_flag_without_event_idx(void **state)
{
	fx_init(8, 0);
	raw_cycle(0);
	assert_true(vring_dev_should_notify(&fx.dev));
	vring_drv_disable_cb(&fx.drv);
	raw_cycle(1);
	assert_false(vring_dev_should_notify(&fx.dev));
	/* The flag is the only thing that counts without EVENT_IDX, whatever used_event says. */
	assert_true(vring_drv_enable_cb(&fx.drv) == false);
	set_used_event(100);
	raw_cycle(2);
	assert_true(vring_dev_should_notify(&fx.dev));
	fx_fini();
}

static void test_device_set_notify_event_idx_writes_avail_event(void **state)
{
	uint8_t *used_ring;
	struct vring_chain c;

	fx_init(8, F_EVENT_IDX);
	used_ring = (uint8_t *)fx.drv.used;
	raw_cycle(0);
	raw_cycle(1);
	/* Enabling asks for a kick when entry last_avail_idx (2) is made available. */
	assert_false(vring_dev_set_notify(&fx.dev, true));
	assert_int_equal(get_le16(used_ring + VRING_AVAIL_EVENT_OFF(8)), 2);
	assert_int_equal(get_le16(used_ring + VRING_USED_FLAGS_OFF), 0);
	/* Disabling leaves avail_event and the flags alone (flags stay 0 with EVENT_IDX). */
	assert_false(vring_dev_set_notify(&fx.dev, false));
	assert_int_equal(get_le16(used_ring + VRING_AVAIL_EVENT_OFF(8)), 2);
	assert_int_equal(get_le16(used_ring + VRING_USED_FLAGS_OFF), 0);
	/* A buffer that arrived before enabling is reported, so the caller polls again. */
	raw_offer_simple(2, 0, 4, 0);
	assert_true(vring_dev_set_notify(&fx.dev, true));
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	fx_fini();
}

static void test_device_set_notify_flag_without_event_idx(void **state)
{
	uint8_t *used_ring;

	fx_init(8, 0);
	used_ring = (uint8_t *)fx.drv.used;
	assert_false(vring_dev_set_notify(&fx.dev, false));
	assert_int_equal(get_le16(used_ring + VRING_USED_FLAGS_OFF), VRING_USED_F_NO_NOTIFY);
	assert_false(vring_dev_set_notify(&fx.dev, true));
	assert_int_equal(get_le16(used_ring + VRING_USED_FLAGS_OFF), 0);
	fx_fini();
}

static uint8_t token_storage[64];

static int drv_add_one(unsigned int i)
{
	struct vring_buf out = { gpa_of(data(0)), 4 };

	return vring_drv_add(&fx.drv, &out, 1, NULL, 0, &token_storage[i % 64]);
}

static void test_driver_kick_honours_no_notify_flag(void **state)
{
	fx_init(8, 0);
	/* Nothing added: no kick. */
	assert_false(vring_drv_kick_prepare(&fx.drv));
	assert_int_equal(drv_add_one(0), 0);
	assert_true(vring_drv_kick_prepare(&fx.drv));
	vring_dev_set_notify(&fx.dev, false);
	assert_int_equal(drv_add_one(1), 1);
	assert_false(vring_drv_kick_prepare(&fx.drv));
	vring_dev_set_notify(&fx.dev, true);
	assert_int_equal(drv_add_one(2), 2);
	assert_true(vring_drv_kick_prepare(&fx.drv));
	/* The device saw all three. */
	assert_int_equal(get_le16((uint8_t *)fx.drv.avail + VRING_AVAIL_IDX_OFF), 3);
	fx_fini();
}

/* The device takes everything, hands it back; the driver reaps. */
static void drain_all(void)
{
	uint32_t len;

	device_serve_all(false);
	while (vring_drv_get_used(&fx.drv, &len))
		;
}

static void test_driver_event_idx_kicks_at_avail_event(void **state)
{
	unsigned int i;

	fx_init(8, F_EVENT_IDX);
	/* avail_event starts at 0: the first buffer (entry 0) needs a kick. */
	assert_int_equal(drv_add_one(0), 0);
	assert_true(vring_drv_kick_prepare(&fx.drv));
	/* The device does not re-arm: later buffers are quiet. */
	assert_true(drv_add_one(1) >= 0);
	assert_false(vring_drv_kick_prepare(&fx.drv));
	drain_all();
	/* The device re-arms for entry 2 (its last_avail_idx): the next buffer kicks. */
	assert_false(vring_dev_set_notify(&fx.dev, true));
	assert_true(drv_add_one(2) >= 0);
	assert_true(vring_drv_kick_prepare(&fx.drv));
	/* A batch that steps over avail_event kicks once. */
	put_le16((uint8_t *)fx.drv.used + VRING_AVAIL_EVENT_OFF(8), 4);
	for (i = 0; i < 3; i++)
		assert_true(drv_add_one(3 + i) >= 0);	/* entries 3, 4, 5 */
	assert_true(vring_drv_kick_prepare(&fx.drv));
	/* avail_event = 4 is behind now. */
	assert_true(drv_add_one(6) >= 0);
	assert_false(vring_drv_kick_prepare(&fx.drv));
	fx_fini();
}

/*
 * A device that only pops (as a device serving requests one by one does) keeps receiving
 * kicks with EVENT_IDX: each pop re-arms avail_event for the next entry.
 */
static void test_device_pop_rearms_kicks_with_event_idx(void **state)
{
	unsigned int i;

	fx_init(8, F_EVENT_IDX);
	for (i = 0; i < 20; i++) {
		assert_true(drv_add_one(i) >= 0);
		assert_true(vring_drv_kick_prepare(&fx.drv));
		assert_int_equal(device_serve_all(false), 1);
		drain_all();
	}
	/* Two added before the device looks: the second one needs no kick of its own. */
	assert_true(drv_add_one(20) >= 0);
	assert_true(vring_drv_kick_prepare(&fx.drv));
	assert_true(drv_add_one(21) >= 0);
	assert_false(vring_drv_kick_prepare(&fx.drv));
	assert_int_equal(device_serve_all(false), 2);
	fx_fini();
}

/* A ring resumed at a non-zero base asks for a kick at that base from the start. */
static void test_device_init_arms_avail_event_at_base(void **state)
{
	fx_init_at(8, F_EVENT_IDX, 5);
	assert_int_equal(get_le16((uint8_t *)fx.drv.used + VRING_AVAIL_EVENT_OFF(8)), 5);
	fx_fini();
	/* Without EVENT_IDX the field is left alone. */
	fx_init_at(8, 0, 5);
	assert_int_equal(get_le16((uint8_t *)fx.drv.used + VRING_AVAIL_EVENT_OFF(8)), 0);
	fx_fini();
}

/*
 * A queue stopped with chains it never completed resumes at the next available entry, and
 * its completions go to the next used entry the driver reads, not past it.
 */
static void test_device_resumes_completions_at_the_ring_used_index(void **state)
{
	struct vring_chain c;
	uint8_t *used;

	/* Ten entries consumed before the stop, two of them never completed: used->idx is 8. */
	fx_init_resumed(8, F_EVENT_IDX, 10, 8);
	used = (uint8_t *)fx.drv.used;
	raw_offer_simple(3, 0, 4, VRING_DESC_F_WRITE);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	assert_int_equal(c.head, 3);
	assert_int_equal(fx.dev.last_avail_idx, 11);
	assert_int_equal(vring_dev_push(&fx.dev, c.head, 4), 0);
	assert_int_equal(get_le16(used + VRING_USED_IDX_OFF), 9);
	assert_int_equal(get_le32(used + VRING_USED_RING_OFF(8 % 8)), 3);
	assert_int_equal(get_le32(used + VRING_USED_RING_OFF(8 % 8) + 4), 4);
	/* The first completion after a start is always signalled. */
	assert_true(vring_dev_should_notify(&fx.dev));
	fx_fini();
}

static void test_driver_event_idx_handles_16bit_wrap(void **state)
{
	unsigned int i;

	fx_init(8, F_EVENT_IDX);
	/* Walk the driver's avail index up to 65534. */
	for (i = 0; i < 65534; i++) {
		assert_true(drv_add_one(i) >= 0);
		vring_drv_kick_prepare(&fx.drv);
		drain_all();
	}
	assert_int_equal(fx.drv.avail_idx, 65534);
	/* Kick wanted when entry 0 (after 65535) is made available. */
	put_le16((uint8_t *)fx.drv.used + VRING_AVAIL_EVENT_OFF(8), 0);
	assert_true(drv_add_one(0) >= 0);		/* entry 65534 */
	assert_false(vring_drv_kick_prepare(&fx.drv));
	assert_true(drv_add_one(1) >= 0);		/* entry 65535 */
	assert_false(vring_drv_kick_prepare(&fx.drv));
	assert_true(drv_add_one(2) >= 0);		/* entry 0 */
	assert_true(vring_drv_kick_prepare(&fx.drv));
	assert_int_equal(fx.drv.avail_idx, 1);
	assert_true(drv_add_one(3) >= 0);		/* entry 1 */
	assert_false(vring_drv_kick_prepare(&fx.drv));
	/* The device still gets everything in order across the wrap. */
	assert_int_equal(device_serve_all(false), 4);
	assert_false(fx.dev.broken);
	fx_fini();
}

/* ------------------------------------------------------------------------------------------
 * Driver and device on two threads
 * ------------------------------------------------------------------------------------------ */

#define THREAD_REQUESTS	100000u
/* Only a notification that never comes takes this long (then the test fails). */
#define THREAD_WAIT_MS	10000

struct thread_dev {
	int kick_fd;
	int call_fd;
	atomic_bool quit;
	int error;		/* 0, or what went wrong on the device thread */
};

/* Wait for @fd to be signalled and consume the signal: 0, or -ETIMEDOUT. */
static int wait_eventfd(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t v;

	if (poll(&p, 1, THREAD_WAIT_MS) != 1)
		return -ETIMEDOUT;
	return read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v) ? 0 : -EIO;
}

/*
 * The device as the sound device runs it: pop until the ring is empty (never re-arming by
 * hand), complete what it popped, notify if the driver wants it, and sleep until a kick.
 */
static void *device_thread(void *arg)
{
	struct thread_dev *t = arg;
	uint16_t heads[16];		/* the queue size: no more can be in flight */
	const uint64_t one = 1;

	for (;;) {
		struct vring_chain c;
		unsigned int n = 0, i;
		int ret = 0;

		while (n < VADSP_ARRAY_SIZE(heads) && (ret = vring_dev_pop(&fx.dev, &c)) == 1)
			heads[n++] = c.head;
		if (n == VADSP_ARRAY_SIZE(heads))
			ret = vring_dev_pop(&fx.dev, &c) == 0 ? 0 : -EIO;
		if (ret < 0) {
			t->error = ret;
			return NULL;
		}
		for (i = 0; i < n; i++) {
			if (vring_dev_push(&fx.dev, heads[i], 0) < 0) {
				t->error = -EIO;
				return NULL;
			}
		}
		if (n) {
			if (vring_dev_should_notify(&fx.dev) &&
			    write(t->call_fd, &one, sizeof(one)) != (ssize_t)sizeof(one)) {
				t->error = -EIO;
				return NULL;
			}
			continue;
		}
		if (atomic_load(&t->quit))
			return NULL;
		ret = wait_eventfd(t->kick_fd);
		if (ret < 0) {
			t->error = ret;
			return NULL;
		}
	}
}

/* Reap what completed; with @wait, sleep for a call first when nothing has. */
static unsigned int driver_reap(int call_fd, bool wait)
{
	unsigned int n = 0;

	for (;;) {
		while (vring_drv_get_used(&fx.drv, NULL))
			n++;
		if (n || !wait)
			return n;
		if (!vring_drv_enable_cb(&fx.drv))
			continue;
		assert_int_equal(wait_eventfd(call_fd), 0);
	}
}

/*
 * With EVENT_IDX, a device that only pops and a driver that kicks only when avail_event
 * asks for it, on two threads, never leave each other waiting: every request completes.
 */
static void test_threads_device_that_only_pops_never_misses_a_kick(void **state)
{
	struct thread_dev t = { .error = 0 };
	unsigned int sent = 0, done = 0;
	const uint64_t one = 1;
	pthread_t dev;

	fx_init(16, F_EVENT_IDX);
	atomic_init(&t.quit, false);
	t.kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	t.call_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	assert_true(t.kick_fd >= 0 && t.call_fd >= 0);
	assert_int_equal(pthread_create(&dev, NULL, device_thread, &t), 0);
	while (done < THREAD_REQUESTS) {
		/* Bursts of 1 to 5 requests while the device works, as long as there is room. */
		unsigned int burst = 1 + sent % 5, i;

		for (i = 0; i < burst && sent < THREAD_REQUESTS && fx.drv.num_free; i++) {
			assert_true(drv_add_one(sent) >= 0);
			sent++;
		}
		if (vring_drv_kick_prepare(&fx.drv))
			assert_int_equal(write(t.kick_fd, &one, sizeof(one)), sizeof(one));
		/* Wait only when the ring is full or everything has been sent. */
		done += driver_reap(t.call_fd, !fx.drv.num_free || sent == THREAD_REQUESTS);
	}
	atomic_store(&t.quit, true);
	assert_int_equal(write(t.kick_fd, &one, sizeof(one)), sizeof(one));
	assert_int_equal(pthread_join(dev, NULL), 0);
	assert_int_equal(t.error, 0);
	assert_int_equal(done, THREAD_REQUESTS);
	assert_int_equal(fx.dev.last_avail_idx, (uint16_t)THREAD_REQUESTS);
	assert_false(fx.dev.broken);
	assert_false(fx.drv.broken);
	close(t.kick_fd);
	close(t.call_fd);
	fx_fini();
}

static void test_driver_enable_cb_reports_pending_completions(void **state)
{
	uint8_t *avail;

	fx_init(8, F_EVENT_IDX);
	avail = (uint8_t *)fx.drv.avail;
	assert_true(vring_drv_enable_cb(&fx.drv));
	assert_int_equal(get_le16(avail + VRING_USED_EVENT_OFF(8)), 0);
	assert_true(drv_add_one(0) >= 0);
	vring_drv_kick_prepare(&fx.drv);
	device_serve_all(false);
	/* A completion is pending: enabling says "reap first". */
	assert_false(vring_drv_enable_cb(&fx.drv));
	assert_non_null(vring_drv_get_used(&fx.drv, NULL));
	/* Reaping with calls enabled moves used_event along. */
	assert_int_equal(get_le16(avail + VRING_USED_EVENT_OFF(8)), 1);
	assert_true(vring_drv_enable_cb(&fx.drv));
	/* Disabled: used_event no longer follows, and the flags stay 0 under EVENT_IDX. */
	vring_drv_disable_cb(&fx.drv);
	assert_true(drv_add_one(1) >= 0);
	vring_drv_kick_prepare(&fx.drv);
	device_serve_all(false);
	assert_true(vring_dev_should_notify(&fx.dev));	/* crosses used_event 1 once */
	assert_non_null(vring_drv_get_used(&fx.drv, NULL));
	assert_int_equal(get_le16(avail + VRING_USED_EVENT_OFF(8)), 1);
	assert_int_equal(get_le16(avail + VRING_AVAIL_FLAGS_OFF), 0);
	assert_true(drv_add_one(2) >= 0);
	vring_drv_kick_prepare(&fx.drv);
	device_serve_all(false);
	assert_false(vring_dev_should_notify(&fx.dev));
	fx_fini();
}

/* ------------------------------------------------------------------------------------------
 * A hostile device against the driver
 * ------------------------------------------------------------------------------------------ */

static void put_used(uint16_t slot, uint32_t id, uint32_t len, uint16_t new_idx)
{
	uint8_t *used_ring = (uint8_t *)fx.drv.used;

	put_le32(used_ring + VRING_USED_RING_OFF(slot), id);
	put_le32(used_ring + VRING_USED_RING_OFF(slot) + 4, len);
	put_le16(used_ring + VRING_USED_IDX_OFF, new_idx);
}

static void add_rx_chain(void)
{
	struct vring_buf in = { gpa_of(data(0)), 16 };

	assert_true(vring_drv_add(&fx.drv, NULL, 0, &in, 1, &fx) >= 0);
	vring_drv_kick_prepare(&fx.drv);
}

static void test_driver_rejects_bad_used_entries(void **state)
{
	static const struct {
		uint32_t id, len;
		uint16_t idx;
	} bad[] = {
		{ 8, 0, 1 },		/* id beyond the queue */
		{ 0xffffffffu, 0, 1 },	/* id far beyond it */
		{ 3, 0, 1 },		/* a descriptor that is free, not a chain in flight */
		{ 0, 17, 1 },		/* longer than the chain's 16 writable bytes */
		{ 0, 0, 9 },		/* used idx more than num ahead */
	};
	unsigned int i;

	for (i = 0; i < VADSP_ARRAY_SIZE(bad); i++) {
		fx_init(8, 0);
		add_rx_chain();
		put_used(0, bad[i].id, bad[i].len, bad[i].idx);
		assert_null(vring_drv_get_used(&fx.drv, NULL));
		assert_true(fx.drv.broken);
		/* Stays broken: even a correct entry is not believed now. */
		put_used(0, 0, 16, 1);
		assert_null(vring_drv_get_used(&fx.drv, NULL));
		assert_int_equal(vring_drv_add(&fx.drv, NULL, 0,
					       &(struct vring_buf){ gpa_of(data(0)), 4 }, 1, &fx),
				 -EIO);
		fx_fini();
	}

	/* The same chain reported twice. */
	fx_init(8, 0);
	add_rx_chain();
	put_used(0, 0, 16, 1);
	assert_ptr_equal(vring_drv_get_used(&fx.drv, NULL), &fx);
	put_used(1, 0, 16, 2);
	assert_null(vring_drv_get_used(&fx.drv, NULL));
	assert_true(fx.drv.broken);
	assert_int_equal(fx.drv.num_free, 8);
	fx_fini();
}

static void test_driver_add_checks_arguments_and_space(void **state)
{
	struct vring_buf b[9];
	unsigned int i;

	fx_init(8, 0);
	for (i = 0; i < 9; i++)
		b[i] = (struct vring_buf){ gpa_of(data(16 * i)), 4 };
	assert_int_equal(vring_drv_add(&fx.drv, b, 0, b, 0, &fx), -EINVAL);
	assert_int_equal(vring_drv_add(&fx.drv, b, 1, NULL, 0, NULL), -EINVAL);
	assert_int_equal(vring_drv_add(&fx.drv, b, 5, b + 5, 4, &fx), -ENOSPC);
	assert_int_equal(vring_drv_add(&fx.drv, b, 5, b + 5, 3, &fx), 0);
	assert_int_equal(fx.drv.num_free, 0);
	assert_int_equal(vring_drv_add(&fx.drv, b, 1, NULL, 0, &fx), -ENOSPC);
	vring_drv_kick_prepare(&fx.drv);
	/* Once reaped, all descriptors are free again and reusable. */
	assert_int_equal(device_serve_all(false), 1);
	assert_ptr_equal(vring_drv_get_used(&fx.drv, NULL), &fx);
	assert_int_equal(fx.drv.num_free, 8);
	assert_true(vring_drv_add(&fx.drv, b, 4, b + 4, 4, &fx) >= 0);
	fx_fini();
}

static void test_init_rejects_bad_parameters(void **state)
{
	static uint8_t ring[8192] __attribute__((aligned(16)));
	struct vring_mem mem = { 0 };
	struct vring_drv drv;
	struct vring vq;

	assert_int_equal(vring_dev_init(&vq, &mem, 0, ring, ring + 1024, ring + 2048, 0, 0),
			 -EINVAL);
	assert_int_equal(vring_dev_init(&vq, &mem, 3, ring, ring + 1024, ring + 2048, 0, 0),
			 -EINVAL);
	assert_int_equal(vring_dev_init(&vq, &mem, 65536, ring, ring + 1024, ring + 2048, 0, 0),
			 -EINVAL);
	assert_int_equal(vring_dev_init(&vq, &mem, 8, ring + 8, ring + 1024, ring + 2048, 0, 0),
			 -EINVAL);
	assert_int_equal(vring_dev_init(&vq, &mem, 8, ring, ring + 1025, ring + 2048, 0, 0),
			 -EINVAL);
	assert_int_equal(vring_dev_init(&vq, &mem, 8, ring, ring + 1024, ring + 2050, 0, 0),
			 -EINVAL);
	/* Resuming at avail entry 7 with used->idx at 5 in the ring. */
	put_le16(ring + 2048 + VRING_USED_IDX_OFF, 5);
	assert_int_equal(vring_dev_init(&vq, &mem, 8, ring, ring + 1024, ring + 2048, 0, 7), 0);
	assert_int_equal(vq.last_avail_idx, 7);
	assert_int_equal(vq.used_idx, 5);
	assert_int_equal(vq.max_chain_bytes, VRING_CHAIN_MAX_BYTES);

	assert_int_equal(vring_drv_ring_bytes(6), 0);
	assert_int_equal(vring_drv_init(&drv, 6, ring, 0x1000, 0), -EINVAL);
	assert_int_equal(vring_drv_init(&drv, 8, ring + 4, 0x1000, 0), -EINVAL);
	assert_int_equal(vring_drv_init(&drv, 8, ring, 0x1004, 0), -EINVAL);
	assert_int_equal(vring_drv_init(&drv, 8, ring, UINT64_MAX - 15, 0), -EINVAL);
	assert_int_equal(vring_drv_init(&drv, 8, ring, 0x1000, 0), 0);
	assert_int_equal(drv.desc_gpa, 0x1000);
	assert_int_equal(drv.avail_gpa, 0x1000 + 128);
	assert_int_equal(drv.used_gpa % VRING_USED_ALIGN, 0);
	assert_true(drv.used_gpa >= drv.avail_gpa + vring_avail_bytes(8));
	assert_true(drv.used_gpa + vring_used_bytes(8) <= 0x1000 + vring_drv_ring_bytes(8));
	vring_drv_fini(&drv);
}

/* ------------------------------------------------------------------------------------------
 * Memory map
 * ------------------------------------------------------------------------------------------ */

static void test_mem_add_rejects_overlap_and_overflow(void **state)
{
	static uint8_t host[8][64];
	struct vring_mem mem = { 0 };
	struct vring_mem_region r = { .gpa = 0x1000, .size = 0x1000, .uva = 0x10000,
				      .host = host[0] };
	struct vring_mem_region t;
	unsigned int i;

	assert_int_equal(vring_mem_add(&mem, &r), 0);
	/* gpa overlaps: identical, partial from below, partial from above, contained, containing */
	t = r; t.uva = 0x90000;
	assert_int_equal(vring_mem_add(&mem, &t), -EEXIST);
	t.gpa = 0x0800;
	assert_int_equal(vring_mem_add(&mem, &t), -EEXIST);
	t.gpa = 0x1fff;
	assert_int_equal(vring_mem_add(&mem, &t), -EEXIST);
	t.gpa = 0x1100; t.size = 0x10;
	assert_int_equal(vring_mem_add(&mem, &t), -EEXIST);
	t.gpa = 0; t.size = 0x10000;
	assert_int_equal(vring_mem_add(&mem, &t), -EEXIST);
	/* uva overlap with a disjoint gpa */
	t = r; t.gpa = 0x100000; t.uva = 0x10fff;
	assert_int_equal(vring_mem_add(&mem, &t), -EEXIST);
	/* ranges that wrap around 2^64 */
	t = r; t.gpa = UINT64_MAX - 0xffe; t.uva = 0x900000;
	assert_int_equal(vring_mem_add(&mem, &t), -EINVAL);
	t = r; t.gpa = 0x200000; t.uva = UINT64_MAX;
	assert_int_equal(vring_mem_add(&mem, &t), -EINVAL);
	t = r; t.gpa = 0x200000; t.uva = 0x900000; t.size = UINT64_MAX;
	assert_int_equal(vring_mem_add(&mem, &t), -EINVAL);
	/* zero size, no host mapping */
	t = r; t.gpa = 0x200000; t.uva = 0x900000; t.size = 0;
	assert_int_equal(vring_mem_add(&mem, &t), -EINVAL);
	t.size = 16; t.host = NULL;
	assert_int_equal(vring_mem_add(&mem, &t), -EINVAL);
	assert_int_equal(mem.nregions, 1);
	/* Adjacent on both sides is fine; so is a region ending on the last address. */
	t = r; t.gpa = 0x2000; t.uva = 0x11000; t.host = host[1];
	assert_int_equal(vring_mem_add(&mem, &t), 0);
	t = r; t.gpa = 0x0; t.uva = 0xf000; t.host = host[2];
	assert_int_equal(vring_mem_add(&mem, &t), 0);
	t = r; t.gpa = UINT64_MAX - 0xfff; t.uva = 0x80000; t.host = host[3];
	assert_int_equal(vring_mem_add(&mem, &t), 0);
	/* Fill the map; the ninth is refused. */
	for (i = 4; i < 8; i++) {
		t = r; t.gpa = 0x100000 * i; t.uva = 0x1000000 * i; t.host = host[i];
		assert_int_equal(vring_mem_add(&mem, &t), 0);
	}
	t = r; t.gpa = 0x9000000; t.uva = 0x90000000;
	assert_int_equal(vring_mem_add(&mem, &t), -E2BIG);
	assert_int_equal(mem.nregions, VRING_MEM_MAX_REGIONS);
}

static void test_mem_translate_checks_bounds(void **state)
{
	static uint8_t a[4096], b[4096];
	struct vring_mem mem = { 0 };
	struct vring_mem_region ra = { .gpa = 0x1000, .size = 4096, .uva = 0x50000, .host = a };
	struct vring_mem_region rb = { .gpa = 0x2000, .size = 4096, .uva = 0x70000, .host = b };
	uint64_t contig = 0;

	assert_int_equal(vring_mem_add(&mem, &ra), 0);
	assert_int_equal(vring_mem_add(&mem, &rb), 0);
	assert_ptr_equal(vring_mem_gpa(&mem, 0x1000, 4096), a);
	assert_ptr_equal(vring_mem_gpa(&mem, 0x1ff0, 16), a + 4080);
	/* Adjacent in gpa, but not one mapping here: a range across the boundary is refused. */
	assert_null(vring_mem_gpa(&mem, 0x1ff0, 17));
	assert_ptr_equal(vring_mem_gpa(&mem, 0x2000, 0), b);
	assert_null(vring_mem_gpa(&mem, 0x3000, 0));
	assert_null(vring_mem_gpa(&mem, 0xfff, 1));
	assert_null(vring_mem_gpa(&mem, 0x1000, UINT64_MAX));
	assert_null(vring_mem_gpa(&mem, UINT64_MAX, 2));
	assert_ptr_equal(vring_mem_uva(&mem, 0x70010, 16), b + 16);
	assert_null(vring_mem_uva(&mem, 0x50ff0, 32));
	assert_null(vring_mem_uva(&mem, 0x1000, 1));
	assert_ptr_equal(vring_mem_gpa_contig(&mem, 0x1f00, &contig), a + 0xf00);
	assert_int_equal(contig, 0x100);
	assert_null(vring_mem_gpa_contig(&mem, 0x3000, &contig));
}

static void test_descriptor_spanning_adjacent_regions_gives_two_segments(void **state)
{
	static uint8_t other[4096] __attribute__((aligned(16)));
	struct vring_mem_region r = {
		.gpa = GPA_BASE + GUEST_SIZE, .size = sizeof(other), .uva = UVA_BASE + (1ull << 32),
		.host = other,
	};
	struct vring_chain c;
	uint8_t buf[64];
	unsigned int i;

	fx_init(8, 0);
	assert_int_equal(vring_mem_add(&fx.mem, &r), 0);
	for (i = 0; i < 32; i++) {
		fx.guest[GUEST_SIZE - 32 + i] = (uint8_t)i;
		other[i] = (uint8_t)(32 + i);
	}
	/* 64 bytes: the last 32 of the first region, the first 32 of the second. */
	put_desc(fx.drv.desc, 0, GPA_BASE + GUEST_SIZE - 32, 64, 0, 0);
	raw_offer(0);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	assert_int_equal(c.nout, 2);
	assert_int_equal(c.out_bytes, 64);
	assert_seg(&c, 0, fx.guest + GUEST_SIZE - 32, 32);
	assert_seg(&c, 1, other, 32);
	assert_int_equal(vring_chain_read(&c, 0, buf, sizeof(buf)), 64);
	for (i = 0; i < 64; i++)
		assert_int_equal(buf[i], i);
	fx_fini();
}

static void test_chain_read_write_across_segments(void **state)
{
	static const uint8_t pattern[15] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	uint8_t buf[32];
	struct vring_chain c;
	unsigned int i;

	fx_init(8, 0);
	/* Readable 3 + 5 + 7 bytes, writable 4 + 6 bytes, each in its own place. */
	memcpy(data(0), pattern, 3);
	memcpy(data(100), pattern + 3, 5);
	memcpy(data(200), pattern + 8, 7);
	put_desc(fx.drv.desc, 0, gpa_of(data(0)), 3, VRING_DESC_F_NEXT, 1);
	put_desc(fx.drv.desc, 1, gpa_of(data(100)), 5, VRING_DESC_F_NEXT, 2);
	put_desc(fx.drv.desc, 2, gpa_of(data(200)), 7, VRING_DESC_F_NEXT, 3);
	put_desc(fx.drv.desc, 3, gpa_of(data(300)), 4, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 4);
	put_desc(fx.drv.desc, 4, gpa_of(data(400)), 6, VRING_DESC_F_WRITE, 0);
	memset(data(300), 0xee, 8);
	memset(data(400), 0xee, 8);
	raw_offer(0);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	assert_int_equal(c.nout, 3);
	assert_int_equal(c.nin, 2);

	/* Offset 2 for 10 bytes crosses all three readable segments. */
	assert_int_equal(vring_chain_read(&c, 2, buf, 10), 10);
	assert_memory_equal(buf, pattern + 2, 10);
	/* Reading past the end is short, beyond it empty. */
	assert_int_equal(vring_chain_read(&c, 12, buf, 10), 3);
	assert_memory_equal(buf, pattern + 12, 3);
	assert_int_equal(vring_chain_read(&c, 15, buf, 10), 0);
	assert_int_equal(vring_chain_read(&c, 1000, buf, 10), 0);

	/* Offset 3 for 5 bytes: last byte of the first writable segment, 4 of the second. */
	assert_int_equal(vring_chain_write(&c, 3, "ABCDE", 5), 5);
	assert_memory_equal(data(300), "\xee\xee\xee" "A" "\xee", 5);
	assert_memory_equal(data(400), "BCDE\xee\xee\xee", 7);
	/* Writing past the end is short and never touches the readable part or beyond. */
	assert_int_equal(vring_chain_write(&c, 8, "xyzw", 4), 2);
	assert_memory_equal(data(400), "BCDExy\xee", 7);
	assert_int_equal(vring_chain_write(&c, 10, "q", 1), 0);
	for (i = 0; i < 7; i++)
		assert_int_equal(data(200)[i], pattern[8 + i]);
	fx_fini();
}

static void test_push_rejects_caller_mistakes(void **state)
{
	struct vring_chain c;

	fx_init(8, 0);
	assert_int_equal(vring_dev_push(&fx.dev, 0, 0), -EINVAL);	/* nothing in flight */
	raw_offer_simple(0, 0, 4, 0);
	assert_int_equal(vring_dev_pop(&fx.dev, &c), 1);
	assert_int_equal(vring_dev_push(&fx.dev, 8, 0), -EINVAL);	/* head out of range */
	assert_int_equal(vring_dev_push(&fx.dev, 0, 4), 0);
	assert_false(fx.dev.broken);
	fx_fini();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_data_through_driver_and_device),
		cmocka_unit_test(test_roundtrip_survives_16bit_index_wrap),
		cmocka_unit_test(test_pop_on_empty_ring_returns_zero),
		cmocka_unit_test(test_chain_using_every_descriptor_is_accepted),
		cmocka_unit_test(test_descriptor_loop_breaks_queue),
		cmocka_unit_test(test_chain_longer_than_queue_breaks_queue),
		cmocka_unit_test(test_too_many_segments_breaks_queue),
		cmocka_unit_test(test_region_split_segments_count_against_limit),
		cmocka_unit_test(test_address_outside_every_region_breaks_queue),
		cmocka_unit_test(test_buffer_wrapping_u64_breaks_queue),
		cmocka_unit_test(test_zero_length_descriptor_adds_no_segment),
		cmocka_unit_test(test_huge_length_exceeds_byte_cap),
		cmocka_unit_test(test_indirect_chain_is_walked),
		cmocka_unit_test(test_indirect_without_feature_breaks_queue),
		cmocka_unit_test(test_indirect_inside_indirect_breaks_queue),
		cmocka_unit_test(test_indirect_with_next_breaks_queue),
		cmocka_unit_test(test_indirect_table_bad_length_breaks_queue),
		cmocka_unit_test(test_indirect_table_outside_memory_breaks_queue),
		cmocka_unit_test(test_indirect_table_loop_breaks_queue),
		cmocka_unit_test(test_indirect_next_out_of_range_breaks_queue),
		cmocka_unit_test(test_unaligned_indirect_table_is_read),
		cmocka_unit_test(test_writable_before_readable_breaks_queue),
		cmocka_unit_test(test_avail_idx_jump_breaks_queue),
		cmocka_unit_test(test_head_index_out_of_range_breaks_queue),
		cmocka_unit_test(test_next_index_out_of_range_breaks_queue),
		cmocka_unit_test(test_more_chains_in_flight_than_queue_size_breaks_queue),
		cmocka_unit_test(test_queue_stays_broken_and_logs_once),
		cmocka_unit_test(test_device_event_idx_notifies_at_used_event),
		cmocka_unit_test(test_device_event_idx_handles_16bit_wrap),
		cmocka_unit_test(test_device_no_interrupt_flag_without_event_idx),
		cmocka_unit_test(test_device_set_notify_event_idx_writes_avail_event),
		cmocka_unit_test(test_device_set_notify_flag_without_event_idx),
		cmocka_unit_test(test_driver_kick_honours_no_notify_flag),
		cmocka_unit_test(test_driver_event_idx_kicks_at_avail_event),
		cmocka_unit_test(test_device_pop_rearms_kicks_with_event_idx),
		cmocka_unit_test(test_device_init_arms_avail_event_at_base),
		cmocka_unit_test(test_device_resumes_completions_at_the_ring_used_index),
		cmocka_unit_test(test_driver_event_idx_handles_16bit_wrap),
		cmocka_unit_test(test_driver_enable_cb_reports_pending_completions),
		cmocka_unit_test(test_threads_device_that_only_pops_never_misses_a_kick),
		cmocka_unit_test(test_driver_rejects_bad_used_entries),
		cmocka_unit_test(test_driver_add_checks_arguments_and_space),
		cmocka_unit_test(test_init_rejects_bad_parameters),
		cmocka_unit_test(test_mem_add_rejects_overlap_and_overflow),
		cmocka_unit_test(test_mem_translate_checks_bounds),
		cmocka_unit_test(test_descriptor_spanning_adjacent_regions_gives_two_segments),
		cmocka_unit_test(test_chain_read_write_across_segments),
		cmocka_unit_test(test_push_rejects_caller_mistakes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
