/* SPDX-License-Identifier: MIT */
/*
 * What the guest library's files share (not for its users).
 */
#ifndef VADSP_GUEST_INTERNAL_H
#define VADSP_GUEST_INTERNAL_H

#include <stdint.h>

#include "guest/guest.h"
#include "ipc/ipc3.h"
#include "vhost-user/frontend.h"

/* Most events collected and not yet taken by vguest_event_next(). */
#define VGUEST_EVENTS_KEPT	64u

/* Most elements of each kind the guest reads (beyond: the device is not believed). */
#define VGUEST_ELEMENTS_MAX	4096u
#define VGUEST_ITEMS_MAX	1024u

struct vguest_slot;

/**
 * struct vguest_stream_mem - guest memory kept for one stream's I/O messages
 * @buf: the memory (len 0 while none)
 * @busy: a ring uses it
 */
struct vguest_stream_mem {
	struct vu_front_buf buf;
	bool busy;
};

/**
 * struct vguest_orphans - slots of a ring closed with messages still with the device:
 * kept so that a late completion never touches freed memory
 */
struct vguest_orphans {
	struct vguest_slot *slots;
	struct vguest_orphans *next;
};

struct vguest {
	struct vu_front *fe;
	struct vguest_options opts;
	struct vguest_card card;
	struct vu_front_buf req;
	struct vu_front_buf resp;
	struct vu_front_buf events;
	struct vguest_event kept[VGUEST_EVENTS_KEPT];
	uint8_t (*kept_msg)[IPC3_MSG_MAX_SIZE];	/* with SOF: kept[i]'s message */
	uint32_t event_size;			/* bytes of each event buffer */
	unsigned int kept_head;
	unsigned int kept_count;
	uint64_t events_lost;
	uint32_t last_status;
	struct vguest_stream_mem *mem;		/* card.num_streams + VGUEST_IO_ID_RINGS */
	struct vguest_orphans *orphans;
	struct vguest_slot *chain;		/* vguest_chain()'s token */
	bool chain_busy;			/* it is with the device */
};

/**
 * struct vguest_slot - one I/O message of a ring
 * @io: its ring, or NULL once the ring was closed
 * @host: its memory here: {le32 stream_id}, period_bytes of audio, {status, latency}
 * @gpa: the same in guest physical addresses
 * @done: the device completed it
 * @used: the used length it returned
 */
struct vguest_slot {
	struct vguest_io *io;
	uint8_t *host;
	uint64_t gpa;
	bool done;
	uint32_t used;
};

struct vguest_io {
	struct vguest *g;
	struct vguest_stream_mem *mem;
	uint32_t stream;
	unsigned int queue;
	uint32_t period_bytes;
	unsigned int periods;
	struct vguest_slot *slots;
	unsigned int head;	/* oldest message with the device */
	unsigned int count;	/* messages with the device */
};

/**
 * vguest_deadline_left() - milliseconds left until @deadline (CLOCK_MONOTONIC ms), >= 0
 */
int vguest_deadline_left(int64_t deadline);

/**
 * vguest_now_ms() - CLOCK_MONOTONIC in milliseconds
 */
int64_t vguest_now_ms(void);

/**
 * vguest_pump() - take every completion of queue @idx (I/O slots are marked done)
 */
void vguest_pump(struct vguest *g, unsigned int idx);

/**
 * vguest_simple() - a request of just {code, id} (PCM and control requests)
 * @resp: receives the response (status first), or NULL
 * @room: its size (at least 4)
 * @used: optional: the used length
 *
 * Return: 0 or -errno (the status as an errno).
 */
int vguest_simple(struct vguest *g, uint32_t code, uint32_t id, void *resp, size_t room,
		  uint32_t *used);

#endif /* VADSP_GUEST_INTERNAL_H */
