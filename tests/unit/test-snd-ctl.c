// SPDX-License-Identifier: MIT
/*
 * Control queue request handling of the sound device: statuses for every request code on
 * a card with no elements, malformed requests, and the errno -> status mapping.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "snd/ctl-msg.h"
#include "snd/virtio-snd.h"
#include "util/le.h"

static uint32_t run(const struct vsnd_card *card, const void *req, size_t len)
{
	uint8_t resp[64];
	size_t n;

	memset(resp, 0xa5, sizeof(resp));
	n = vsnd_ctl_handle(card, req, len, resp, sizeof(resp));
	assert_int_equal(n, sizeof(struct vsnd_hdr));
	return get_le32(resp);
}

static size_t query(uint8_t *buf, uint32_t code, uint32_t start, uint32_t count, uint32_t size)
{
	put_le32(buf, code);
	put_le32(buf + 4, start);
	put_le32(buf + 8, count);
	put_le32(buf + 12, size);
	return 16;
}

static void empty_queries_succeed_with_count_zero(void **state)
{
	struct vsnd_card card = { .controls_negotiated = true };
	uint8_t req[16];

	assert_int_equal(run(&card, req, query(req, VIRTIO_SND_R_JACK_INFO, 0, 0, 24)),
			 VIRTIO_SND_S_OK);
	assert_int_equal(run(&card, req, query(req, VIRTIO_SND_R_PCM_INFO, 0, 0, 32)),
			 VIRTIO_SND_S_OK);
	assert_int_equal(run(&card, req, query(req, VIRTIO_SND_R_CHMAP_INFO, 0, 0, 24)),
			 VIRTIO_SND_S_OK);
	assert_int_equal(run(&card, req, query(req, VIRTIO_SND_R_CTL_INFO, 0, 0, 96)),
			 VIRTIO_SND_S_OK);
}

static void queries_beyond_the_card_are_bad_msg(void **state)
{
	struct vsnd_card card = { 0 };
	uint8_t req[16];

	assert_int_equal(run(&card, req, query(req, VIRTIO_SND_R_PCM_INFO, 0, 1, 32)),
			 VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(run(&card, req, query(req, VIRTIO_SND_R_PCM_INFO, 1, 0, 32)),
			 VIRTIO_SND_S_BAD_MSG);
	/* start + count must not wrap around to look valid */
	assert_int_equal(run(&card, req, query(req, VIRTIO_SND_R_JACK_INFO, 0xffffffff, 1, 24)),
			 VIRTIO_SND_S_BAD_MSG);
}

static void wrong_item_size_is_bad_msg(void **state)
{
	struct vsnd_card card = { 0 };
	uint8_t req[16];

	assert_int_equal(run(&card, req, query(req, VIRTIO_SND_R_PCM_INFO, 0, 0, 31)),
			 VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(run(&card, req, query(req, VIRTIO_SND_R_JACK_INFO, 0, 0, 0)),
			 VIRTIO_SND_S_BAD_MSG);
}

static void short_requests_are_bad_msg(void **state)
{
	struct vsnd_card card = { 0 };
	uint8_t req[24] = { 0 };

	assert_int_equal(run(&card, req, 0), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(run(&card, req, 3), VIRTIO_SND_S_BAD_MSG);
	put_le32(req, VIRTIO_SND_R_PCM_INFO);
	assert_int_equal(run(&card, req, 15), VIRTIO_SND_S_BAD_MSG);
	put_le32(req, VIRTIO_SND_R_PCM_SET_PARAMS);
	assert_int_equal(run(&card, req, 23), VIRTIO_SND_S_BAD_MSG);
}

static void missing_stream_is_bad_msg(void **state)
{
	static const uint32_t codes[] = {
		VIRTIO_SND_R_PCM_PREPARE, VIRTIO_SND_R_PCM_RELEASE, VIRTIO_SND_R_PCM_START,
		VIRTIO_SND_R_PCM_STOP, VIRTIO_SND_R_PCM_SET_PARAMS,
	};
	struct vsnd_card card = { 0 };
	uint8_t req[24] = { 0 };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		put_le32(req, codes[i]);
		put_le32(req + 4, 0);
		assert_int_equal(run(&card, req, sizeof(req)), VIRTIO_SND_S_BAD_MSG);
	}
}

static void unknown_code_is_not_supp(void **state)
{
	struct vsnd_card card = { 0 };
	uint8_t req[16] = { 0 };

	put_le32(req, 0x0106);
	assert_int_equal(run(&card, req, sizeof(req)), VIRTIO_SND_S_NOT_SUPP);
	put_le32(req, VIRTIO_SND_S_OK);
	assert_int_equal(run(&card, req, sizeof(req)), VIRTIO_SND_S_NOT_SUPP);
}

static void controls_need_the_feature(void **state)
{
	struct vsnd_card card = { 0 };
	uint8_t req[16];

	query(req, VIRTIO_SND_R_CTL_INFO, 0, 0, 96);
	assert_int_equal(run(&card, req, sizeof(req)), VIRTIO_SND_S_NOT_SUPP);
	card.controls_negotiated = true;
	assert_int_equal(run(&card, req, sizeof(req)), VIRTIO_SND_S_OK);
}

static void response_too_short_writes_nothing(void **state)
{
	struct vsnd_card card = { 0 };
	uint8_t req[16], resp[3] = { 1, 2, 3 };

	query(req, VIRTIO_SND_R_PCM_INFO, 0, 0, 32);
	assert_int_equal(vsnd_ctl_handle(&card, req, sizeof(req), resp, sizeof(resp)), 0);
	assert_int_equal(resp[0], 1);
}

static void errno_maps_to_status(void **state)
{
	assert_int_equal(vsnd_status_from_errno(0), VIRTIO_SND_S_OK);
	assert_int_equal(vsnd_status_from_errno(-EINVAL), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(vsnd_status_from_errno(-ENOENT), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(vsnd_status_from_errno(-EOPNOTSUPP), VIRTIO_SND_S_NOT_SUPP);
	assert_int_equal(vsnd_status_from_errno(-EIO), VIRTIO_SND_S_IO_ERR);
	assert_int_equal(vsnd_status_from_errno(-ENOMEM), VIRTIO_SND_S_IO_ERR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_queries_succeed_with_count_zero),
		cmocka_unit_test(queries_beyond_the_card_are_bad_msg),
		cmocka_unit_test(wrong_item_size_is_bad_msg),
		cmocka_unit_test(short_requests_are_bad_msg),
		cmocka_unit_test(missing_stream_is_bad_msg),
		cmocka_unit_test(unknown_code_is_not_supp),
		cmocka_unit_test(controls_need_the_feature),
		cmocka_unit_test(response_too_short_writes_nothing),
		cmocka_unit_test(errno_maps_to_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
