// SPDX-License-Identifier: MIT
/*
 * Control request dispatch of the sound device, called directly: statuses for every
 * request code on an empty card and on the `stereo` card, element ids out of range,
 * malformed, undersized and oversized requests and response buffers, used lengths, and
 * the errno -> status mapping.
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

static struct sndt_resp resp;

static uint32_t run(struct vsnd_card *card, const void *req, size_t len)
{
	uint32_t st = sndt_call(card, req, len, 64, &resp);

	assert_int_equal(resp.used, sizeof(struct vsnd_hdr));
	return st;
}

static int setup_empty(void **state)
{
	*state = sndt_card(&vsnd_card_desc_empty, NULL, NULL, true);
	return 0;
}

static int setup_stereo(void **state)
{
	struct vsnd_card_desc *d = sndt_desc("stereo");

	*state = sndt_card(d, NULL, NULL, true);
	return 0;
}

static int teardown(void **state)
{
	struct vsnd_card *card = *state;
	const struct vsnd_card_desc *d = card->desc;

	vsnd_card_free(card);
	if (d != &vsnd_card_desc_empty)
		vsnd_card_desc_free((struct vsnd_card_desc *)d);
	return 0;
}

static void empty_queries_succeed_with_count_zero(void **state)
{
	struct vsnd_card *card = *state;
	uint8_t req[16];

	assert_int_equal(run(card, req, sndt_query(req, VIRTIO_SND_R_JACK_INFO, 0, 0, 24)),
			 VIRTIO_SND_S_OK);
	assert_int_equal(run(card, req, sndt_query(req, VIRTIO_SND_R_PCM_INFO, 0, 0, 32)),
			 VIRTIO_SND_S_OK);
	assert_int_equal(run(card, req, sndt_query(req, VIRTIO_SND_R_CHMAP_INFO, 0, 0, 24)),
			 VIRTIO_SND_S_OK);
	assert_int_equal(run(card, req, sndt_query(req, VIRTIO_SND_R_CTL_INFO, 0, 0, 96)),
			 VIRTIO_SND_S_OK);
}

static void queries_beyond_the_card_are_bad_msg(void **state)
{
	struct vsnd_card *card = *state;
	uint8_t req[16];

	assert_int_equal(run(card, req, sndt_query(req, VIRTIO_SND_R_PCM_INFO, 0, 1, 32)),
			 VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(run(card, req, sndt_query(req, VIRTIO_SND_R_PCM_INFO, 1, 0, 32)),
			 VIRTIO_SND_S_BAD_MSG);
	/* start + count must not wrap around to look valid */
	assert_int_equal(run(card, req, sndt_query(req, VIRTIO_SND_R_JACK_INFO, 0xffffffff, 1,
						    24)), VIRTIO_SND_S_BAD_MSG);
}

static void wrong_item_size_is_bad_msg(void **state)
{
	struct vsnd_card *card = *state;
	uint8_t req[16];

	assert_int_equal(run(card, req, sndt_query(req, VIRTIO_SND_R_PCM_INFO, 0, 0, 31)),
			 VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(run(card, req, sndt_query(req, VIRTIO_SND_R_JACK_INFO, 0, 0, 0)),
			 VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(run(card, req, sndt_query(req, VIRTIO_SND_R_CTL_INFO, 0, 0, 32)),
			 VIRTIO_SND_S_BAD_MSG);
}

static void short_requests_are_bad_msg(void **state)
{
	struct vsnd_card *card = *state;
	uint8_t req[24] = { 0 };

	assert_int_equal(run(card, req, 0), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(run(card, req, 3), VIRTIO_SND_S_BAD_MSG);
	put_le32(req, VIRTIO_SND_R_PCM_INFO);
	assert_int_equal(run(card, req, 15), VIRTIO_SND_S_BAD_MSG);
	put_le32(req, VIRTIO_SND_R_PCM_SET_PARAMS);
	assert_int_equal(run(card, req, 23), VIRTIO_SND_S_BAD_MSG);
}

static void missing_stream_is_bad_msg(void **state)
{
	static const uint32_t codes[] = {
		VIRTIO_SND_R_PCM_PREPARE, VIRTIO_SND_R_PCM_RELEASE, VIRTIO_SND_R_PCM_START,
		VIRTIO_SND_R_PCM_STOP, VIRTIO_SND_R_PCM_SET_PARAMS,
	};
	struct vsnd_card *card = *state;
	uint8_t req[24] = { 0 };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		put_le32(req, codes[i]);
		put_le32(req + 4, 0);
		assert_int_equal(run(card, req, sizeof(req)), VIRTIO_SND_S_BAD_MSG);
	}
}

static void unknown_code_is_not_supp(void **state)
{
	struct vsnd_card *card = *state;
	uint8_t req[16] = { 0 };

	put_le32(req, 0x0106);
	assert_int_equal(run(card, req, sizeof(req)), VIRTIO_SND_S_NOT_SUPP);
	put_le32(req, VIRTIO_SND_S_OK);
	assert_int_equal(run(card, req, sizeof(req)), VIRTIO_SND_S_NOT_SUPP);
	put_le32(req, VIRTIO_SND_EVT_JACK_CONNECTED);
	assert_int_equal(run(card, req, sizeof(req)), VIRTIO_SND_S_NOT_SUPP);
}

static void controls_need_the_feature(void **state)
{
	struct vsnd_card *card = *state;
	uint8_t req[16];

	card->controls_negotiated = false;
	sndt_query(req, VIRTIO_SND_R_CTL_INFO, 0, 0, 96);
	assert_int_equal(run(card, req, sizeof(req)), VIRTIO_SND_S_NOT_SUPP);
	sndt_ctl(req, VIRTIO_SND_R_CTL_READ, 0);
	assert_int_equal(run(card, req, 8), VIRTIO_SND_S_NOT_SUPP);
	card->controls_negotiated = true;
	sndt_query(req, VIRTIO_SND_R_CTL_INFO, 0, 0, 96);
	assert_int_equal(run(card, req, sizeof(req)), VIRTIO_SND_S_OK);
}

static void response_too_short_writes_nothing(void **state)
{
	struct vsnd_card *card = *state;
	uint8_t req[16], out[3] = { 1, 2, 3 };

	sndt_query(req, VIRTIO_SND_R_PCM_INFO, 0, 0, 32);
	assert_int_equal(vsnd_ctl_handle(card, req, sizeof(req), out, sizeof(out)), 0);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[2], 3);
}

static void errno_maps_to_status(void **state)
{
	(void)state;
	assert_int_equal(vsnd_status_from_errno(0), VIRTIO_SND_S_OK);
	assert_int_equal(vsnd_status_from_errno(-EINVAL), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(vsnd_status_from_errno(-ENOENT), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(vsnd_status_from_errno(-EBADFD), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(vsnd_status_from_errno(-EBUSY), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(vsnd_status_from_errno(-EOPNOTSUPP), VIRTIO_SND_S_NOT_SUPP);
	assert_int_equal(vsnd_status_from_errno(-EIO), VIRTIO_SND_S_IO_ERR);
	assert_int_equal(vsnd_status_from_errno(-ENOMEM), VIRTIO_SND_S_IO_ERR);
}

/* --- on the stereo card: 2 streams, 2 jacks, 2 chmaps, 4 controls --- */

static void out_of_range_stream_jack_and_control_ids_are_bad_msg(void **state)
{
	static const struct {
		uint32_t code;
		size_t len;
		uint32_t count;
	} reqs[] = {
		{ VIRTIO_SND_R_JACK_REMAP, sizeof(struct vsnd_jack_remap), 2 },
		{ VIRTIO_SND_R_PCM_SET_PARAMS, sizeof(struct vsnd_pcm_set_params), 2 },
		{ VIRTIO_SND_R_PCM_PREPARE, sizeof(struct vsnd_pcm_hdr), 2 },
		{ VIRTIO_SND_R_PCM_RELEASE, sizeof(struct vsnd_pcm_hdr), 2 },
		{ VIRTIO_SND_R_PCM_START, sizeof(struct vsnd_pcm_hdr), 2 },
		{ VIRTIO_SND_R_PCM_STOP, sizeof(struct vsnd_pcm_hdr), 2 },
		{ VIRTIO_SND_R_CTL_ENUM_ITEMS, sizeof(struct vsnd_ctl_hdr), 4 },
		{ VIRTIO_SND_R_CTL_READ, sizeof(struct vsnd_ctl_hdr), 4 },
		{ VIRTIO_SND_R_CTL_WRITE, sizeof(struct vsnd_ctl_hdr) + 512, 4 },
		{ VIRTIO_SND_R_CTL_TLV_READ, sizeof(struct vsnd_ctl_hdr), 4 },
		{ VIRTIO_SND_R_CTL_TLV_WRITE, sizeof(struct vsnd_ctl_hdr) + 8, 4 },
		{ VIRTIO_SND_R_CTL_TLV_COMMAND, sizeof(struct vsnd_ctl_hdr), 4 },
	};
	struct vsnd_card *card = *state;
	static const uint32_t bad[] = { 0, 1, 1000, 0x7fffffff, 0xffffffff };
	uint8_t req[8 + 512] = { 0 };

	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++)
		for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
			uint32_t id = bad[b] < 2 ? reqs[i].count + bad[b] : bad[b];

			memset(req, 0, sizeof(req));
			put_le32(req, reqs[i].code);
			put_le32(req + 4, id);
			assert_int_equal(run(card, req, reqs[i].len), VIRTIO_SND_S_BAD_MSG);
		}
	/* The element right below the count exists: not BAD_MSG for being out of range. */
	sndt_ctl(req, VIRTIO_SND_R_CTL_TLV_READ, 3);
	assert_int_not_equal(run(card, req, 8), VIRTIO_SND_S_BAD_MSG);
	sndt_query(req, VIRTIO_SND_R_CTL_INFO, 3, 2, 96);
	assert_int_equal(run(card, req, 16), VIRTIO_SND_S_BAD_MSG);
	sndt_query(req, VIRTIO_SND_R_CHMAP_INFO, 2, 1, 24);
	assert_int_equal(run(card, req, 16), VIRTIO_SND_S_BAD_MSG);
	sndt_query(req, VIRTIO_SND_R_JACK_INFO, 1, 2, 24);
	assert_int_equal(run(card, req, 16), VIRTIO_SND_S_BAD_MSG);
}

static void query_reply_that_does_not_fit_is_bad_msg_with_status_only(void **state)
{
	struct vsnd_card *card = *state;
	uint8_t req[16];

	sndt_query(req, VIRTIO_SND_R_PCM_INFO, 0, 2, 32);
	assert_int_equal(sndt_call(card, req, 16, 4 + 63, &resp), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(resp.used, 4);
	assert_int_equal(sndt_call(card, req, 16, 4 + 64, &resp), VIRTIO_SND_S_OK);
	assert_int_equal(resp.used, 4 + 64);
	sndt_query(req, VIRTIO_SND_R_CTL_INFO, 0, 4, 96);
	assert_int_equal(sndt_call(card, req, 16, 4 + 4 * 96 - 1, &resp), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(resp.used, 4);
	/* Exactly the status header: a query of 0 items fits. */
	sndt_query(req, VIRTIO_SND_R_JACK_INFO, 0, 0, 24);
	assert_int_equal(sndt_call(card, req, 16, 4, &resp), VIRTIO_SND_S_OK);
	assert_int_equal(resp.used, 4);
}

static void oversized_requests_and_responses_are_answered_exactly(void **state)
{
	struct vsnd_card *card = *state;
	uint8_t req[300];

	memset(req, 0x5a, sizeof(req));
	sndt_query(req, VIRTIO_SND_R_PCM_INFO, 1, 1, 32);
	assert_int_equal(sndt_call(card, req, sizeof(req), VSND_CTL_RESP_MAX, &resp),
			 VIRTIO_SND_S_OK);
	assert_int_equal(resp.used, 4 + 32);
	assert_int_equal(resp.data[offsetof(struct vsnd_pcm_info, direction)],
			 VIRTIO_SND_D_INPUT);
	sndt_pcm(req, VIRTIO_SND_R_PCM_STOP, 0);
	assert_int_equal(sndt_call(card, req, sizeof(req), VSND_CTL_RESP_MAX, &resp),
			 VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(resp.used, 4);
}

static void undersized_control_requests_and_buffers_are_bad_msg(void **state)
{
	struct vsnd_card *card = *state;
	uint8_t req[8 + 512] = { 0 };

	/* CTL_WRITE needs the whole 512-byte value. */
	sndt_ctl(req, VIRTIO_SND_R_CTL_WRITE, 0);
	put_le32(req + 8, 10);
	put_le32(req + 12, 10);
	assert_int_equal(run(card, req, 8 + 511), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(run(card, req, 8 + 512), VIRTIO_SND_S_OK);
	/* CTL_READ needs room for the whole value. */
	sndt_ctl(req, VIRTIO_SND_R_CTL_READ, 0);
	assert_int_equal(sndt_call(card, req, 8, 4 + 511, &resp), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(resp.used, 4);
	assert_int_equal(sndt_call(card, req, 8, 4 + 512, &resp), VIRTIO_SND_S_OK);
	assert_int_equal(resp.used, 4 + 512);
	assert_int_equal(get_le32(resp.data), 10);
	/* TLV_READ of a dB scale needs 16 bytes. */
	sndt_ctl(req, VIRTIO_SND_R_CTL_TLV_READ, 0);
	assert_int_equal(sndt_call(card, req, 8, 4 + 15, &resp), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(sndt_call(card, req, 8, 4 + 16, &resp), VIRTIO_SND_S_OK);
	assert_int_equal(resp.used, 4 + 16);
	/* A jack remap request shorter than its structure. */
	put_le32(req, VIRTIO_SND_R_JACK_REMAP);
	put_le32(req + 4, 0);
	assert_int_equal(run(card, req, 15), VIRTIO_SND_S_BAD_MSG);
}

int main(void)
{
#define ON_EMPTY(fn)	cmocka_unit_test_setup_teardown(fn, setup_empty, teardown)
#define ON_STEREO(fn)	cmocka_unit_test_setup_teardown(fn, setup_stereo, teardown)
	const struct CMUnitTest tests[] = {
		ON_EMPTY(empty_queries_succeed_with_count_zero),
		ON_EMPTY(queries_beyond_the_card_are_bad_msg),
		ON_EMPTY(wrong_item_size_is_bad_msg),
		ON_EMPTY(short_requests_are_bad_msg),
		ON_EMPTY(missing_stream_is_bad_msg),
		ON_EMPTY(unknown_code_is_not_supp),
		ON_STEREO(controls_need_the_feature),
		ON_EMPTY(response_too_short_writes_nothing),
		cmocka_unit_test(errno_maps_to_status),
		ON_STEREO(out_of_range_stream_jack_and_control_ids_are_bad_msg),
		ON_STEREO(query_reply_that_does_not_fit_is_bad_msg_with_status_only),
		ON_STEREO(oversized_requests_and_responses_are_answered_exactly),
		ON_STEREO(undersized_control_requests_and_buffers_are_bad_msg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
