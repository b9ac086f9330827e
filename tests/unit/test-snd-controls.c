// SPDX-License-Identifier: MIT
/*
 * Control elements, jacks and events, called directly on cards of the project's
 * topologies: a value written then read back (and handed to the backend), values out of
 * range, the TLV dB scale of a volume, TLV write of a bytes control, requests an element's
 * access does not allow, host-side value and jack changes queued as CTL_NOTIFY and
 * JACK_(DIS)CONNECTED events, and PCM_XRUN only when the driver enabled it.
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

/* A backend that keeps the last control value it was given. */
struct vsnd_backend {
	unsigned int writes;
	uint32_t control;
	int32_t values[8];
	uint32_t count;
	uint8_t blob[1024];
	int fail;
};

static struct vsnd_backend rec;

static int rec_open(struct vsnd_backend **out, const struct vsnd_backend_config *cfg)
{
	(void)cfg;
	memset(&rec, 0, sizeof(rec));
	*out = &rec;
	return 0;
}

static void rec_close(struct vsnd_backend *b)
{
	(void)b;
}

static int rec_ctl_write(struct vsnd_backend *b, uint32_t control,
			 const struct vsnd_ctl_values *v)
{
	if (b->fail)
		return b->fail;
	b->writes++;
	b->control = control;
	b->count = v->count;
	if (v->values)
		memcpy(b->values, v->values, VADSP_MIN(v->count, 8u) * sizeof(int32_t));
	else
		memcpy(b->blob, v->blob, VADSP_MIN(v->count, 1024u));
	return 0;
}

static const struct vsnd_backend_ops rec_ops = {
	.name = "recorder",
	.open = rec_open,
	.close = rec_close,
	.ctl_write = rec_ctl_write,
};

static struct sndt_resp resp;

static struct vsnd_card *card_of(const char *name)
{
	return sndt_card(sndt_desc(name), &rec_ops, NULL, true);
}

static void card_free(struct vsnd_card *card)
{
	struct vsnd_card_desc *d = (struct vsnd_card_desc *)card->desc;

	vsnd_card_free(card);
	vsnd_card_desc_free(d);
}

static uint32_t write_values(struct vsnd_card *card, uint32_t control, const int32_t *v,
			     unsigned int n)
{
	uint8_t req[8 + 512] = { 0 };

	sndt_ctl(req, VIRTIO_SND_R_CTL_WRITE, control);
	for (unsigned int i = 0; i < n; i++)
		put_le32(req + 8 + 4 * i, (uint32_t)v[i]);
	return sndt_status(card, req, sizeof(req));
}

static uint32_t read_values(struct vsnd_card *card, uint32_t control)
{
	uint8_t req[8];

	sndt_ctl(req, VIRTIO_SND_R_CTL_READ, control);
	return sndt_call(card, req, 8, VSND_CTL_RESP_MAX, &resp);
}

static void control_write_then_read_back(void **state)
{
	struct vsnd_card *card = card_of("stereo");
	static const int32_t vol[] = { 10, 20 };
	static const uint8_t zero[512 - 8];

	(void)state;
	assert_int_equal(write_values(card, 0, vol, 2), VIRTIO_SND_S_OK);
	assert_int_equal(rec.writes, 1);
	assert_int_equal(rec.control, 0);
	assert_int_equal(rec.count, 2);
	assert_int_equal(rec.values[0], 10);
	assert_int_equal(rec.values[1], 20);
	assert_int_equal(read_values(card, 0), VIRTIO_SND_S_OK);
	assert_int_equal(resp.used, 4 + 512);
	assert_int_equal(get_le32(resp.data), 10);
	assert_int_equal(get_le32(resp.data + 4), 20);
	assert_memory_equal(resp.data + 8, zero, sizeof(zero));
	/* The switch of the other stream is a separate value. */
	assert_int_equal(read_values(card, 3), VIRTIO_SND_S_OK);
	assert_int_equal(get_le32(resp.data), 1);
	/* Writing what is already there does not bother the backend. */
	assert_int_equal(write_values(card, 0, vol, 2), VIRTIO_SND_S_OK);
	assert_int_equal(rec.writes, 1);
	card_free(card);
}

static void values_out_of_range_are_bad_msg_and_change_nothing(void **state)
{
	struct vsnd_card *card = card_of("stereo");
	static const int32_t over[] = { 65, 0 }, under[] = { 0, -1 }, sw[] = { 1, 2 };

	(void)state;
	assert_int_equal(write_values(card, 0, over, 2), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(write_values(card, 0, under, 2), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(write_values(card, 1, sw, 2), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(rec.writes, 0);
	assert_int_equal(read_values(card, 0), VIRTIO_SND_S_OK);
	assert_int_equal(get_le32(resp.data), 64);
	assert_int_equal(get_le32(resp.data + 4), 64);
	/* A value the backend refuses is not kept either. */
	rec.fail = -EIO;
	assert_int_equal(write_values(card, 0, under + 0, 1), VIRTIO_SND_S_IO_ERR);
	assert_int_equal(read_values(card, 0), VIRTIO_SND_S_OK);
	assert_int_equal(get_le32(resp.data), 64);
	card_free(card);
}

static void tlv_read_of_a_volume_is_an_alsa_db_scale(void **state)
{
	struct vsnd_card *card = card_of("stereo");
	uint8_t req[8];

	(void)state;
	sndt_ctl(req, VIRTIO_SND_R_CTL_TLV_READ, 0);
	assert_int_equal(sndt_call(card, req, 8, 4 + 64, &resp), VIRTIO_SND_S_OK);
	assert_int_equal(resp.used, 4 + 16);
	assert_int_equal(get_le32(resp.data), 1);		/* SNDRV_CTL_TLVT_DB_SCALE */
	assert_int_equal(get_le32(resp.data + 4), 8);
	assert_int_equal((int32_t)get_le32(resp.data + 8), -6400);
	assert_int_equal(get_le32(resp.data + 12), 100 | 0x10000);	/* step, mute */
	sndt_ctl(req, VIRTIO_SND_R_CTL_TLV_READ, 2);
	assert_int_equal(sndt_call(card, req, 8, 4 + 64, &resp), VIRTIO_SND_S_OK);
	assert_int_equal((int32_t)get_le32(resp.data + 8), -5000);
	/* A switch has no TLV. */
	sndt_ctl(req, VIRTIO_SND_R_CTL_TLV_READ, 1);
	assert_int_equal(sndt_status(card, req, 8), VIRTIO_SND_S_NOT_SUPP);
	card_free(card);
}

static void tlv_write_and_command_need_the_access(void **state)
{
	struct vsnd_card *card = card_of("multi");
	uint8_t req[8 + 8 + 1100] = { 0 };
	static const int32_t one[] = { 1, 1 };

	(void)state;
	/* Volumes and switches: no TLV write or command. */
	sndt_ctl(req, VIRTIO_SND_R_CTL_TLV_WRITE, 0);
	assert_int_equal(sndt_status(card, req, 8 + 8 + 16), VIRTIO_SND_S_NOT_SUPP);
	for (uint32_t c = 0; c < 7; c++) {
		sndt_ctl(req, VIRTIO_SND_R_CTL_TLV_COMMAND, c);
		assert_int_equal(sndt_status(card, req, 8 + 8 + 16), VIRTIO_SND_S_NOT_SUPP);
	}
	/* The EQ bytes: TLV only, no READ or WRITE. */
	assert_int_equal(read_values(card, 2), VIRTIO_SND_S_NOT_SUPP);
	assert_int_equal(write_values(card, 2, one, 2), VIRTIO_SND_S_NOT_SUPP);
	sndt_ctl(req, VIRTIO_SND_R_CTL_TLV_WRITE, 2);
	put_le32(req + 8, 2);
	put_le32(req + 12, 100);
	for (int i = 0; i < 100; i++)
		req[16 + i] = (uint8_t)(i * 7);
	assert_int_equal(sndt_status(card, req, 16 + 100), VIRTIO_SND_S_OK);
	assert_int_equal(rec.writes, 1);
	assert_int_equal(rec.count, 100);
	assert_int_equal(rec.blob[99], (uint8_t)(99 * 7));
	sndt_ctl(req, VIRTIO_SND_R_CTL_TLV_READ, 2);
	assert_int_equal(sndt_call(card, req, 8, VSND_CTL_RESP_MAX, &resp), VIRTIO_SND_S_OK);
	assert_int_equal(resp.used, 4 + 8 + 100);
	assert_int_equal(get_le32(resp.data + 4), 100);
	assert_int_equal(resp.data[8 + 50], (uint8_t)(50 * 7));
	/* A TLV read that does not fit the response. */
	assert_int_equal(sndt_call(card, req, 8, 4 + 8 + 99, &resp), VIRTIO_SND_S_BAD_MSG);
	/* More data than the control takes (1024), a length beyond the request, no header. */
	sndt_ctl(req, VIRTIO_SND_R_CTL_TLV_WRITE, 2);
	put_le32(req + 12, 1025);
	assert_int_equal(sndt_status(card, req, sizeof(req)), VIRTIO_SND_S_BAD_MSG);
	put_le32(req + 12, 200);
	assert_int_equal(sndt_status(card, req, 16 + 199), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(sndt_status(card, req, 8 + 7), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(rec.writes, 1);
	card_free(card);
}

static void host_side_change_is_sent_as_ctl_notify(void **state)
{
	struct vsnd_card *card = card_of("stereo");
	int32_t v[2] = { 30, 31 };
	struct vsnd_ctl_values val = { .count = 2, .values = v };

	(void)state;
	assert_int_equal(vsnd_card_ctl_set(card, 2, &val), 1);
	assert_int_equal(rec.writes, 1);
	assert_int_equal(card->num_events, 1);
	assert_int_equal(card->events[0].code, VIRTIO_SND_EVT_CTL_NOTIFY);
	assert_int_equal(card->events[0].data, 2 | 1u << 16);	/* control 2, mask VALUE */
	/* The same value: no change, no event. A new value while the first event waits:
	 * the driver re-reads the element anyway, one event is enough. */
	assert_int_equal(vsnd_card_ctl_set(card, 2, &val), 0);
	v[0] = 5;
	assert_int_equal(vsnd_card_ctl_set(card, 2, &val), 1);
	assert_int_equal(card->num_events, 1);
	assert_int_equal(read_values(card, 2), VIRTIO_SND_S_OK);
	assert_int_equal(get_le32(resp.data), 5);
	assert_int_equal(get_le32(resp.data + 4), 31);
	/* Another control gets its own event. */
	v[0] = v[1] = 0;
	assert_int_equal(vsnd_card_ctl_set(card, 1, &val), 1);
	assert_int_equal(card->num_events, 2);
	assert_int_equal(card->events[1].data, 1 | 1u << 16);
	/* Bad ids and values. */
	assert_int_equal(vsnd_card_ctl_set(card, 4, &val), -ENOENT);
	v[0] = 71;
	assert_int_equal(vsnd_card_ctl_set(card, 2, &val), -EINVAL);
	val.count = 1;
	v[0] = 3;
	assert_int_equal(vsnd_card_ctl_set(card, 2, &val), -EINVAL);
	assert_int_equal(card->num_events, 2);
	/* Without VIRTIO_SND_F_CTLS the guest has no controls to notify. */
	card->num_events = 0;
	card->controls_negotiated = false;
	val.count = 2;
	v[0] = 7;
	assert_int_equal(vsnd_card_ctl_set(card, 2, &val), 1);
	assert_int_equal(card->num_events, 0);
	card_free(card);
}

static void jack_changes_are_sent_as_events(void **state)
{
	struct vsnd_card *card = card_of("stereo");
	uint8_t req[16];

	(void)state;
	assert_int_equal(vsnd_card_jack_set(card, 1, false), 1);
	assert_int_equal(vsnd_card_jack_set(card, 1, false), 0);
	assert_int_equal(vsnd_card_jack_set(card, 1, true), 1);
	assert_int_equal(vsnd_card_jack_set(card, 0, false), 1);
	assert_int_equal(vsnd_card_jack_set(card, 2, false), -ENOENT);
	/* In order, none merged: each one changes the state. */
	assert_int_equal(card->num_events, 3);
	assert_int_equal(card->events[0].code, VIRTIO_SND_EVT_JACK_DISCONNECTED);
	assert_int_equal(card->events[0].data, 1);
	assert_int_equal(card->events[1].code, VIRTIO_SND_EVT_JACK_CONNECTED);
	assert_int_equal(card->events[1].data, 1);
	assert_int_equal(card->events[2].code, VIRTIO_SND_EVT_JACK_DISCONNECTED);
	assert_int_equal(card->events[2].data, 0);
	sndt_query(req, VIRTIO_SND_R_JACK_INFO, 0, 2, 24);
	assert_int_equal(sndt_call(card, req, 16, VSND_CTL_RESP_MAX, &resp), VIRTIO_SND_S_OK);
	assert_int_equal(resp.data[offsetof(struct vsnd_jack_info, connected)], 0);
	assert_int_equal(resp.data[24 + offsetof(struct vsnd_jack_info, connected)], 1);
	/* No jack can be remapped. */
	memset(req, 0, sizeof(req));
	put_le32(req, VIRTIO_SND_R_JACK_REMAP);
	put_le32(req + 4, 1);
	assert_int_equal(sndt_status(card, req, 16), VIRTIO_SND_S_NOT_SUPP);
	card_free(card);
}

static void xruns_are_sent_only_when_the_driver_enabled_them(void **state)
{
	struct vsnd_card *card = card_of("stereo");
	uint8_t req[24];

	(void)state;
	sndt_set_params(req, 0, 15360, 3840, 2, VIRTIO_SND_PCM_FMT_S16,
			VIRTIO_SND_PCM_RATE_48000, 0);
	assert_int_equal(sndt_status(card, req, 24), VIRTIO_SND_S_OK);
	vsnd_pcm_xrun(card, 0);
	assert_int_equal(card->streams[0].xruns, 1);
	assert_int_equal(card->num_events, 0);
	sndt_set_params(req, 0, 15360, 3840, 2, VIRTIO_SND_PCM_FMT_S16,
			VIRTIO_SND_PCM_RATE_48000, 1u << VIRTIO_SND_PCM_F_EVT_XRUNS);
	assert_int_equal(sndt_status(card, req, 24), VIRTIO_SND_S_OK);
	vsnd_pcm_xrun(card, 0);
	vsnd_pcm_xrun(card, 0);
	vsnd_pcm_xrun(card, 7);		/* no such stream: ignored */
	assert_int_equal(card->streams[0].xruns, 3);
	assert_int_equal(card->num_events, 1);
	assert_int_equal(card->events[0].code, VIRTIO_SND_EVT_PCM_XRUN);
	assert_int_equal(card->events[0].data, 0);
	vsnd_pcm_period_elapsed(card, 0);
	assert_int_equal(card->streams[0].periods, 1);
	assert_int_equal(card->num_events, 1);
	card_free(card);
}

static void event_queue_overflow_drops_and_counts(void **state)
{
	struct vsnd_card *card = card_of("stereo");

	(void)state;
	for (int i = 0; i < VSND_EVENT_QUEUE + 5; i++)
		vsnd_card_jack_set(card, 0, i % 2);
	assert_int_equal(card->num_events, VSND_EVENT_QUEUE);
	assert_int_equal(card->events_dropped, 5);
	card_free(card);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(control_write_then_read_back),
		cmocka_unit_test(values_out_of_range_are_bad_msg_and_change_nothing),
		cmocka_unit_test(tlv_read_of_a_volume_is_an_alsa_db_scale),
		cmocka_unit_test(tlv_write_and_command_need_the_access),
		cmocka_unit_test(host_side_change_is_sent_as_ctl_notify),
		cmocka_unit_test(jack_changes_are_sent_as_events),
		cmocka_unit_test(xruns_are_sent_only_when_the_driver_enabled_them),
		cmocka_unit_test(event_queue_overflow_drops_and_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
