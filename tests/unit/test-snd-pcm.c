// SPDX-License-Identifier: MIT
/*
 * The PCM state machine and SET_PARAMS checks, called directly on the `stereo` card with a
 * backend that records what it is asked: every request in every state (allowed ones
 * succeed and reach the backend; the others are S_BAD_MSG, change nothing and reach
 * nothing), parameters checked against the stream's capabilities and limits (period not
 * dividing the buffer among them), parameters kept until the next SET_PARAMS, and a
 * backend failure leaving the state alone.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "snd/card.h"
#include "snd/ctl-msg.h"
#include "snd/virtio-snd.h"
#include "test-snd-util.h"
#include "util/le.h"

enum op { OP_SET_PARAMS, OP_PREPARE, OP_RELEASE, OP_START, OP_STOP, OP_COUNT };

/* A backend that counts the calls it gets and fails one op on request. */
struct vsnd_backend {
	unsigned int calls[OP_COUNT];
	struct vsnd_pcm_params last;
	int fail_op;
	int fail_err;
};

static struct vsnd_backend rec;

static int rec_open(struct vsnd_backend **out, const struct vsnd_backend_config *cfg)
{
	(void)cfg;
	memset(&rec, 0, sizeof(rec));
	rec.fail_op = -1;
	*out = &rec;
	return 0;
}

static void rec_close(struct vsnd_backend *b)
{
	(void)b;
}

static int count(struct vsnd_backend *b, enum op op)
{
	b->calls[op]++;
	return b->fail_op == (int)op ? b->fail_err : 0;
}

static int rec_set_params(struct vsnd_backend *b, uint32_t s, const struct vsnd_pcm_params *p)
{
	(void)s;
	b->last = *p;
	return count(b, OP_SET_PARAMS);
}

static int rec_prepare(struct vsnd_backend *b, uint32_t s)
{
	(void)s;
	return count(b, OP_PREPARE);
}

static int rec_release(struct vsnd_backend *b, uint32_t s)
{
	(void)s;
	return count(b, OP_RELEASE);
}

static int rec_start(struct vsnd_backend *b, uint32_t s)
{
	(void)s;
	return count(b, OP_START);
}

static int rec_stop(struct vsnd_backend *b, uint32_t s)
{
	(void)s;
	return count(b, OP_STOP);
}

static const struct vsnd_backend_ops rec_ops = {
	.name = "recorder",
	.open = rec_open,
	.close = rec_close,
	.set_params = rec_set_params,
	.prepare = rec_prepare,
	.release = rec_release,
	.start = rec_start,
	.stop = rec_stop,
};

static const uint32_t op_code[OP_COUNT] = {
	VIRTIO_SND_R_PCM_SET_PARAMS, VIRTIO_SND_R_PCM_PREPARE, VIRTIO_SND_R_PCM_RELEASE,
	VIRTIO_SND_R_PCM_START, VIRTIO_SND_R_PCM_STOP,
};

/* 20 ms periods of 48 kHz S16 stereo, four of them. */
#define PERIOD	3840u
#define BUFFER	(4 * PERIOD)

static uint32_t send(struct vsnd_card *card, enum op op, uint32_t stream)
{
	uint8_t req[32];
	size_t len;

	if (op == OP_SET_PARAMS)
		len = sndt_set_params(req, stream, BUFFER, PERIOD, 2, VIRTIO_SND_PCM_FMT_S16,
				      VIRTIO_SND_PCM_RATE_48000, 0);
	else
		len = sndt_pcm(req, op_code[op], stream);
	return sndt_status(card, req, len);
}

/* The requests that lead from a fresh stream to each state. */
static const struct {
	enum vsnd_pcm_state state;
	enum op path[4];
	unsigned int n;
} paths[] = {
	{ VSND_PCM_NONE, { 0 }, 0 },
	{ VSND_PCM_SET_PARAMS, { OP_SET_PARAMS }, 1 },
	{ VSND_PCM_PREPARE, { OP_SET_PARAMS, OP_PREPARE }, 2 },
	{ VSND_PCM_START, { OP_SET_PARAMS, OP_PREPARE, OP_START }, 3 },
	{ VSND_PCM_STOP, { OP_SET_PARAMS, OP_PREPARE, OP_START, OP_STOP }, 4 },
	{ VSND_PCM_RELEASE, { OP_SET_PARAMS, OP_PREPARE, OP_RELEASE }, 3 },
};

/* The specification's table (plus: a stream never configured takes only SET_PARAMS; a
 * released stream takes RELEASE again, as Linux sends it, without reaching the backend). */
static bool spec_allows(enum vsnd_pcm_state st, enum op op)
{
	switch (st) {
	case VSND_PCM_NONE:
		return op == OP_SET_PARAMS;
	case VSND_PCM_SET_PARAMS:
		return op == OP_SET_PARAMS || op == OP_PREPARE;
	case VSND_PCM_PREPARE:
		return op == OP_SET_PARAMS || op == OP_PREPARE || op == OP_START ||
		       op == OP_RELEASE;
	case VSND_PCM_START:
		return op == OP_STOP;
	case VSND_PCM_STOP:
		return op == OP_START || op == OP_RELEASE;
	case VSND_PCM_RELEASE:
		return op == OP_SET_PARAMS || op == OP_PREPARE || op == OP_RELEASE;
	default:
		return false;
	}
}

static const enum vsnd_pcm_state op_state[OP_COUNT] = {
	VSND_PCM_SET_PARAMS, VSND_PCM_PREPARE, VSND_PCM_RELEASE, VSND_PCM_START, VSND_PCM_STOP,
};

/* Drive a fresh stream to paths[@p].state, send @op, check the outcome. */
static void one_transition(const struct vsnd_card_desc *d, uint32_t stream, size_t p,
			   enum op op)
{
	struct vsnd_card *card = sndt_card(d, &rec_ops, NULL, true);
	bool ok = spec_allows(paths[p].state, op);
	unsigned int before[OP_COUNT];

	for (unsigned int i = 0; i < paths[p].n; i++)
		assert_int_equal(send(card, paths[p].path[i], stream), VIRTIO_SND_S_OK);
	assert_int_equal(card->streams[stream].state, paths[p].state);
	memcpy(before, rec.calls, sizeof(before));
	assert_int_equal(send(card, op, stream), ok ? VIRTIO_SND_S_OK : VIRTIO_SND_S_BAD_MSG);
	if (ok) {
		assert_int_equal(card->streams[stream].state, op_state[op]);
		assert_int_equal(rec.calls[op], before[op] +
				 (paths[p].state == VSND_PCM_RELEASE && op == OP_RELEASE ? 0 : 1));
	} else {
		/* Nothing changed and nothing reached the backend. */
		assert_int_equal(card->streams[stream].state, paths[p].state);
		assert_memory_equal(rec.calls, before, sizeof(before));
	}
	/* The other stream is untouched. */
	assert_int_equal(card->streams[1 - stream].state, VSND_PCM_NONE);
	vsnd_card_free(card);
}

static void every_request_in_every_state_follows_the_table(void **state)
{
	struct vsnd_card_desc *d = sndt_desc("stereo");

	(void)state;
	for (uint32_t stream = 0; stream < 2; stream++)
		for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++)
			for (int op = 0; op < OP_COUNT; op++)
				one_transition(d, stream, p, (enum op)op);
	vsnd_card_desc_free(d);
}

static uint32_t set_params(struct vsnd_card *card, uint32_t buffer, uint32_t period,
			   uint8_t channels, uint8_t format, uint8_t rate, uint32_t features)
{
	uint8_t req[24];

	sndt_set_params(req, 0, buffer, period, channels, format, rate, features);
	return sndt_status(card, req, sizeof(req));
}

static void set_params_is_checked_against_the_stream(void **state)
{
	struct vsnd_card_desc *d = sndt_desc("stereo");
	struct vsnd_card *card = sndt_card(d, &rec_ops, NULL, true);
	const uint8_t s16 = VIRTIO_SND_PCM_FMT_S16, r48 = VIRTIO_SND_PCM_RATE_48000;
	const uint32_t xruns = 1u << VIRTIO_SND_PCM_F_EVT_XRUNS;

	(void)state;
	/* The period does not divide the buffer. */
	assert_int_equal(set_params(card, 15360, 3000, 2, s16, r48, 0), VIRTIO_SND_S_BAD_MSG);
	/* Not a whole number of frames (4 bytes). */
	assert_int_equal(set_params(card, 4 * 3842, 3842, 2, s16, r48, 0), VIRTIO_SND_S_BAD_MSG);
	/* Channel counts, formats and rates the stream does not offer. */
	assert_int_equal(set_params(card, BUFFER, PERIOD, 1, s16, r48, 0), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(set_params(card, BUFFER, PERIOD, 3, s16, r48, 0), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(set_params(card, BUFFER, PERIOD, 2, VIRTIO_SND_PCM_FMT_U8, r48, 0),
			 VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(set_params(card, BUFFER, PERIOD, 2, 200, r48, 0), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(set_params(card, BUFFER, PERIOD, 2, s16, VIRTIO_SND_PCM_RATE_44100, 0),
			 VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(set_params(card, BUFFER, PERIOD, 2, s16, 255, 0), VIRTIO_SND_S_BAD_MSG);
	/* Features: SHMEM and anything not offered are refused; EVT_XRUNS is offered. */
	assert_int_equal(set_params(card, BUFFER, PERIOD, 2, s16, r48, 1), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(set_params(card, BUFFER, PERIOD, 2, s16, r48, 2), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(set_params(card, BUFFER, PERIOD, 2, s16, r48, 1u << 31),
			 VIRTIO_SND_S_BAD_MSG);
	/* The topology's limits: periods 192..16384 bytes, buffers 384..65536, 2..16 periods. */
	assert_int_equal(set_params(card, 188 * 4, 188, 2, s16, r48, 0), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(set_params(card, 16388 * 2, 16388, 2, s16, r48, 0),
			 VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(set_params(card, 16384 * 5, 16384, 2, s16, r48, 0),
			 VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(set_params(card, PERIOD, PERIOD, 2, s16, r48, 0), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(set_params(card, 384 * 17, 384, 2, s16, r48, 0), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(set_params(card, 0, 0, 2, s16, r48, 0), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(set_params(card, BUFFER, 0, 2, s16, r48, 0), VIRTIO_SND_S_BAD_MSG);
	/* None of that reached the backend or changed the stream. */
	assert_int_equal(rec.calls[OP_SET_PARAMS], 0);
	assert_int_equal(card->streams[0].state, VSND_PCM_NONE);

	/* The edges of the limits are accepted. */
	assert_int_equal(set_params(card, 384, 192, 2, s16, r48, 0), VIRTIO_SND_S_OK);
	assert_int_equal(set_params(card, 65536, 16384, 2, s16, r48, 0), VIRTIO_SND_S_OK);
	assert_int_equal(set_params(card, 384 * 16, 384, 2, s16, r48, xruns), VIRTIO_SND_S_OK);
	assert_int_equal(rec.calls[OP_SET_PARAMS], 3);
	assert_int_equal(rec.last.buffer_bytes, 384 * 16);
	assert_int_equal(rec.last.period_bytes, 384);
	assert_int_equal(rec.last.frame_bytes, 4);
	assert_int_equal(rec.last.rate_hz, 48000);
	assert_int_equal(rec.last.features, xruns);

	/* S32: 8-byte frames. */
	assert_int_equal(set_params(card, 8 * 100 * 4, 8 * 100, 2, VIRTIO_SND_PCM_FMT_S32, r48, 0),
			 VIRTIO_SND_S_OK);
	assert_int_equal(rec.last.frame_bytes, 8);
	assert_int_equal(set_params(card, 4 * 802, 802, 2, VIRTIO_SND_PCM_FMT_S32, r48, 0),
			 VIRTIO_SND_S_BAD_MSG);
	/* A refused SET_PARAMS keeps the previous parameters. */
	assert_int_equal(card->streams[0].params.frame_bytes, 8);
	assert_int_equal(card->streams[0].params.period_bytes, 800);
	vsnd_card_free(card);
	vsnd_card_desc_free(d);
}

static void parameters_stay_until_the_next_set_params(void **state)
{
	struct vsnd_card_desc *d = sndt_desc("stereo");
	struct vsnd_card *card = sndt_card(d, &rec_ops, NULL, true);

	(void)state;
	assert_int_equal(send(card, OP_SET_PARAMS, 1), VIRTIO_SND_S_OK);
	assert_int_equal(send(card, OP_PREPARE, 1), VIRTIO_SND_S_OK);
	assert_int_equal(send(card, OP_START, 1), VIRTIO_SND_S_OK);
	assert_int_equal(send(card, OP_STOP, 1), VIRTIO_SND_S_OK);
	assert_int_equal(send(card, OP_RELEASE, 1), VIRTIO_SND_S_OK);
	/* PREPARE after RELEASE without new parameters: the old ones are still there. */
	assert_int_equal(send(card, OP_PREPARE, 1), VIRTIO_SND_S_OK);
	assert_int_equal(card->streams[1].params.buffer_bytes, BUFFER);
	assert_int_equal(card->streams[1].params.period_bytes, PERIOD);
	assert_int_equal(card->streams[1].params.channels, 2);
	assert_int_equal(rec.calls[OP_SET_PARAMS], 1);
	assert_int_equal(rec.calls[OP_PREPARE], 2);
	assert_int_equal(send(card, OP_START, 1), VIRTIO_SND_S_OK);
	vsnd_card_free(card);
	vsnd_card_desc_free(d);
}

static void backend_failure_keeps_the_state(void **state)
{
	struct vsnd_card_desc *d = sndt_desc("stereo");
	struct vsnd_card *card = sndt_card(d, &rec_ops, NULL, true);

	(void)state;
	assert_int_equal(send(card, OP_SET_PARAMS, 0), VIRTIO_SND_S_OK);
	assert_int_equal(send(card, OP_PREPARE, 0), VIRTIO_SND_S_OK);
	rec.fail_op = OP_START;
	rec.fail_err = -EIO;
	assert_int_equal(send(card, OP_START, 0), VIRTIO_SND_S_IO_ERR);
	assert_int_equal(card->streams[0].state, VSND_PCM_PREPARE);
	rec.fail_op = OP_SET_PARAMS;
	rec.fail_err = -ENOMEM;
	assert_int_equal(send(card, OP_SET_PARAMS, 0), VIRTIO_SND_S_IO_ERR);
	assert_int_equal(card->streams[0].state, VSND_PCM_PREPARE);
	rec.fail_op = -1;
	assert_int_equal(send(card, OP_START, 0), VIRTIO_SND_S_OK);
	assert_int_equal(card->streams[0].state, VSND_PCM_START);
	vsnd_card_free(card);
	vsnd_card_desc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_request_in_every_state_follows_the_table),
		cmocka_unit_test(set_params_is_checked_against_the_stream),
		cmocka_unit_test(parameters_stay_until_the_next_set_params),
		cmocka_unit_test(backend_failure_keeps_the_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
