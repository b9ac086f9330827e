// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for split virtqueues.
 *
 * The input builds a small guest: four memory regions (two adjacent ones holding the rings
 * and buffers, one at the very top of the 64-bit space and one at address 0, so buffers can
 * cross regions and try to wrap), whose contents (descriptor table, avail ring, indirect
 * tables, buffers) and the queue parameters come from the input. A stream of operations then
 * pops, pushes, asks about notifications and rewrites guest memory between calls, as a
 * hostile driver may; finally the ring is drained until empty or broken. Invariants checked:
 * every segment lies inside mapped memory, byte totals match the segments, the cap and the
 * segment limit hold, never more than num chains are in flight, a broken queue stays broken.
 *
 * A second phase fuzzes the driver side: a driver queue with chains in flight reads a used
 * ring written by a hostile device; it must never return a token twice or one it did not
 * hand out, and must keep its descriptor accounting straight.
 *
 * Input layout: cfg(1) start_idx(le16) image_len(le16) ops_len(1) image ops driver-phase.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/le.h"
#include "virtio/vring.h"

#define REGION_SIZE	2048u
#define NREGIONS	4
#define IMAGE_SIZE	(REGION_SIZE * NREGIONS)
#define MAX_NUM		32u

/* Guest physical layout: A and B adjacent (rings at the start of A), T at the top, Z at 0. */
#define GPA_A		0x10000ull
#define GPA_B		(GPA_A + REGION_SIZE)
#define GPA_T		(UINT64_MAX - REGION_SIZE + 1)
#define GPA_Z		0x0ull

static uint8_t image[NREGIONS][REGION_SIZE] __attribute__((aligned(64)));
static uint8_t flat[VRING_CHAIN_MAX_SEGS * REGION_SIZE];
static FILE *report;

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(report, "fuzz-vring: check failed at %s:%d: %s\n", __FILE__, \
				__LINE__, #cond); \
			fflush(report); \
			abort(); \
		} \
	} while (0)

static const uint32_t caps[8] = {
	VRING_CHAIN_MAX_BYTES, 64, 256, 4096, 1, 0, 65536, 3000,
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The queue logs once each time a hostile input breaks it, which is almost every input:
 * have libFuzzer discard the target's stderr (-close_fd_mask=2; its own output and sanitizer
 * reports go to a copy of stderr). Failed checks are printed to our own copy.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char flag[] = "-close_fd_mask=2";
	static char **args;
	int i, fd;

	fd = dup(STDERR_FILENO);
	report = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!report)
		report = stderr;
	for (i = 1; i < *argc; i++)
		if (!strncmp((*argv)[i], "-close_fd_mask=", 15))
			return 0;
	args = calloc((size_t)*argc + 2, sizeof(*args));
	if (!args)
		return 0;
	args[0] = (*argv)[0];
	args[1] = flag;
	for (i = 1; i < *argc; i++)
		args[i + 1] = (*argv)[i];
	*argc += 1;
	*argv = args;
	return 0;
}

/* True when [p, p + len) lies inside one of the mapped regions. */
static bool inside_mapped(const void *p, size_t len)
{
	uintptr_t b = (uintptr_t)p;
	unsigned int i;

	for (i = 0; i < NREGIONS; i++) {
		uintptr_t base = (uintptr_t)image[i];

		if (b >= base && len <= REGION_SIZE && b - base <= REGION_SIZE - len)
			return true;
	}
	return false;
}

struct inflight {
	uint16_t head;
	uint32_t in_bytes;
};

struct dev_state {
	struct vring vq;
	struct inflight fl[MAX_NUM];
	unsigned int nfl;
	uint64_t popped, pushed;
};

static void check_chain(struct dev_state *s, const struct vring_chain *c, uint8_t sel)
{
	uint64_t out = 0, in = 0;
	unsigned int i;
	size_t off, len;

	CHECK(c->head < s->vq.num);
	CHECK(c->nout + c->nin <= VRING_CHAIN_MAX_SEGS);
	for (i = 0; i < c->nout + c->nin; i++) {
		CHECK(c->seg[i].iov_len > 0);
		CHECK(inside_mapped(c->seg[i].iov_base, c->seg[i].iov_len));
		if (i < c->nout)
			out += c->seg[i].iov_len;
		else
			in += c->seg[i].iov_len;
	}
	CHECK(out == c->out_bytes);
	CHECK(in == c->in_bytes);
	CHECK(out + in <= s->vq.max_chain_bytes);

	/* Reading the whole readable part, then a piece at an offset, must agree. */
	CHECK(vring_chain_read(c, 0, flat, sizeof(flat)) == c->out_bytes);
	off = c->out_bytes ? sel % (c->out_bytes + 1) : 0;
	len = (size_t)(sel * 37u) % (c->out_bytes + 2);
	{
		uint8_t piece[VRING_CHAIN_MAX_SEGS * REGION_SIZE / 8];
		size_t want = VADSP_MIN(len, sizeof(piece));
		size_t got = vring_chain_read(c, off, piece, want);

		CHECK(got == VADSP_MIN(want, c->out_bytes - off));
		/* The guest may not change memory during this call: we are single threaded. */
		CHECK(memcmp(piece, flat + off, got) == 0);
	}
	memset(flat, 0xa5, VADSP_MIN((size_t)c->in_bytes, sizeof(flat)));
	CHECK(vring_chain_write(c, 0, flat, sizeof(flat)) == c->in_bytes);
}

static int do_pop(struct dev_state *s, uint8_t sel)
{
	struct vring_chain c;
	int ret = vring_dev_pop(&s->vq, &c);

	CHECK(ret == 1 || ret == 0 || ret == -EIO);
	CHECK((ret == -EIO) == s->vq.broken);
	if (ret != 1)
		return ret;
	s->popped++;
	CHECK(s->nfl < s->vq.num);
	CHECK(s->popped - s->pushed <= s->vq.num);
	check_chain(s, &c, sel);
	s->fl[s->nfl].head = c.head;
	s->fl[s->nfl].in_bytes = c.in_bytes;
	s->nfl++;
	return 1;
}

static void do_push(struct dev_state *s, unsigned int which, uint32_t len)
{
	struct inflight f;
	int ret;

	if (!s->nfl) {
		CHECK(vring_dev_push(&s->vq, 0, 0) == (s->vq.broken ? -EIO : -EINVAL));
		return;
	}
	which %= s->nfl;
	f = s->fl[which];
	memmove(&s->fl[which], &s->fl[which + 1], (s->nfl - which - 1) * sizeof(s->fl[0]));
	s->nfl--;
	ret = vring_dev_push(&s->vq, f.head, len % (f.in_bytes + 1));
	if (s->vq.broken) {
		CHECK(ret == -EIO);
		return;
	}
	CHECK(ret == 0);
	s->pushed++;
}

static void device_phase(uint8_t cfg, uint16_t start, const uint8_t *ops, size_t nops)
{
	struct vring_mem mem = { 0 };
	static const uint64_t gpas[NREGIONS] = { GPA_A, GPA_B, GPA_T, GPA_Z };
	unsigned int num = 1u << (cfg & 7);
	uint64_t features = 0;
	struct dev_state s;
	unsigned int i;
	size_t pos = 0;

	if (num > MAX_NUM)
		num = MAX_NUM;
	if (cfg & 0x08)
		features |= 1ull << VIRTIO_F_INDIRECT_DESC;
	if (cfg & 0x10)
		features |= 1ull << VIRTIO_F_EVENT_IDX;
	for (i = 0; i < NREGIONS; i++) {
		struct vring_mem_region r = {
			.gpa = gpas[i], .size = REGION_SIZE, .uva = 0x100000ull * (i + 1),
			.host = image[i],
		};

		CHECK(vring_mem_add(&mem, &r) == 0);
	}

	memset(&s, 0, sizeof(s));
	/* Rings at the start of region A: desc, avail, then used (4-aligned). */
	CHECK(vring_dev_init(&s.vq, &mem, num, image[0], image[0] + vring_desc_bytes(num),
			     image[0] + VADSP_ALIGN_UP(vring_desc_bytes(num) +
						       vring_avail_bytes(num), 4ull),
			     features, start) == 0);
	s.vq.max_chain_bytes = caps[cfg >> 5];

	while (pos < nops) {
		uint8_t op = ops[pos++];
		uint8_t arg = pos < nops ? ops[pos] : 0;

		switch (op & 7) {
		case 0:
		case 1:
		case 2:
			do_pop(&s, arg);
			break;
		case 3:
			do_push(&s, 0, arg);
			break;
		case 4:
			do_push(&s, arg, arg * 131u);
			break;
		case 5:
			(void)vring_dev_should_notify(&s.vq);
			(void)vring_dev_set_notify(&s.vq, op & 8);
			break;
		case 6:
			/* The driver rewrites one byte of guest memory. */
			if (pos + 2 < nops) {
				unsigned int at = get_le16(ops + pos) % IMAGE_SIZE;

				image[at / REGION_SIZE][at % REGION_SIZE] = ops[pos + 2];
				pos += 3;
			}
			break;
		case 7:
			/* The driver publishes more (or fewer) entries. */
			put_le16(image[0] + vring_desc_bytes(num) + VRING_AVAIL_IDX_OFF,
				 (uint16_t)(get_le16(image[0] + vring_desc_bytes(num) +
						     VRING_AVAIL_IDX_OFF) + (int8_t)arg));
			pos++;
			break;
		}
		if (s.vq.broken)
			CHECK(vring_dev_pop(&s.vq, &(struct vring_chain){ 0 }) == -EIO);
	}

	/* Drain: pop and push until the ring is empty or broken (at most num pops succeed). */
	for (i = 0; i < 2 * num + 2; i++) {
		int ret = do_pop(&s, (uint8_t)i);

		if (ret != 1)
			break;
		do_push(&s, s.nfl - 1, UINT32_MAX);
	}
	CHECK(i <= num);
	while (s.nfl)
		do_push(&s, 0, 0);
	CHECK(s.vq.broken || s.vq.inflight == 0);
}

/* The driver side against a hostile device that writes the used ring. */
static void driver_phase(uint8_t cfg, const uint8_t *p, size_t n)
{
	static uint8_t ring[8192] __attribute__((aligned(16)));
	static uint8_t tokens[MAX_NUM];
	bool given[MAX_NUM] = { false };
	unsigned int num = 1u << (cfg & 7);
	unsigned int i, added = 0, reaped = 0;
	struct vring_drv drv;
	uint8_t *used;
	uint16_t used_bytes;

	if (num > MAX_NUM)
		num = MAX_NUM;
	if (vring_drv_init(&drv, num, ring, 0x10000, (cfg & 0x10) ?
			   1ull << VIRTIO_F_EVENT_IDX : 0) != 0)
		return;
	/* Chains of 1..3 descriptors until the table is full. */
	for (i = 0; i < num; i++) {
		struct vring_buf b[3] = { { 0x1000, 8 }, { 0x2000, 16 }, { 0x3000, 32 } };
		unsigned int len = 1 + (i + cfg) % 3;
		int head = vring_drv_add(&drv, b, len / 2, b + len / 2, len - len / 2, &tokens[i]);

		if (head == -ENOSPC)
			break;
		CHECK(head >= 0 && (unsigned int)head < num);
		added++;
	}
	CHECK(drv.num_free <= num);
	(void)vring_drv_kick_prepare(&drv);

	/* The device's used ring: flags, idx, entries, avail_event, straight from the input. */
	used = (uint8_t *)drv.used;
	used_bytes = (uint16_t)vring_used_bytes(num);
	memcpy(used, p, VADSP_MIN(n, (size_t)used_bytes));
	for (i = 0; i < 2 * num + 2; i++) {
		uint32_t len;
		uint8_t *tok = vring_drv_get_used(&drv, &len);

		if (!tok)
			break;
		CHECK(tok >= tokens && tok < tokens + added);
		CHECK(!given[tok - tokens]);
		given[tok - tokens] = true;
		reaped++;
	}
	CHECK(i <= num);
	CHECK(drv.num_free <= num);
	if (!drv.broken && reaped == added)
		CHECK(drv.num_free == num);
	(void)vring_drv_enable_cb(&drv);
	vring_drv_disable_cb(&drv);
	vring_drv_fini(&drv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t image_len, ops_len;
	uint16_t start;
	uint8_t cfg;

	if (size < 6)
		return 0;
	cfg = data[0];
	start = get_le16(data + 1);
	image_len = VADSP_MIN((size_t)get_le16(data + 3), (size_t)IMAGE_SIZE);
	ops_len = data[5];
	data += 6;
	size -= 6;

	memset(image, 0, sizeof(image));
	image_len = VADSP_MIN(image_len, size);
	memcpy(image, data, image_len);
	data += image_len;
	size -= image_len;
	ops_len = VADSP_MIN(ops_len, size);

	device_phase(cfg, start, data, ops_len);
	driver_phase(cfg, data + ops_len, size - ops_len);
	return 0;
}
