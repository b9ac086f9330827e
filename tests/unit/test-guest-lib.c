// SPDX-License-Identifier: MIT
/*
 * The guest library (src/guest) against vadsp's sound device on a vhost-user server thread:
 * the card it reads at connect time is the topology's (jacks, streams, channel maps,
 * controls with ranges, dB scales and enumerated items); controls read and write; PCM
 * requests map statuses to errnos; I/O rings play and record against the null backend on
 * its real clock with the right layout (messages completed in order, capture filled in
 * place), refuse what does not fit, and survive being closed with messages in flight;
 * stream and parameter choice for players and recorders.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "snd/card.h"
#include "test-snd-util.h"

/* A topology with enumerated controls (from the topology parser's fuzz corpus). */
#define ENUM_TOPOLOGY	"fuzz/corpus/tplg/every-block-type.tplg"

#define PERIOD_FRAMES	480u		/* 10 ms at 48 kHz */
#define FRAME_BYTES	4u		/* S16 stereo */
#define PERIOD		(PERIOD_FRAMES * FRAME_BYTES)

struct fixture {
	struct vsnd_card_desc *desc;
	struct sndt_server *srv;
	struct vguest *g;
};

static struct fixture *start(struct vsnd_card_desc *desc, bool controls,
			     const struct vguest_options *gopts)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct vsnd_options o = { .controls = controls, .desc = desc };

	assert_non_null(f);
	f->desc = desc;
	f->srv = sndt_server_start(&o, true);	/* the null backend on a real clock */
	assert_int_equal(vguest_connect(&f->g, sndt_server_path(f->srv), gopts), 0);
	return f;
}

static void finish(struct fixture *f)
{
	vguest_close(f->g);
	sndt_server_stop(f->srv);
	vsnd_card_desc_free(f->desc);
	free(f);
}

static void connect_reads_the_whole_card(void **state)
{
	struct fixture *f = start(sndt_desc("stereo"), true, NULL);
	const struct vguest_card *c = vguest_card(f->g);

	(void)state;
	assert_true(c->controls_negotiated);
	assert_int_equal(c->num_jacks, f->desc->num_jacks);
	assert_int_equal(c->num_streams, 2);
	assert_int_equal(c->num_chmaps, 2);
	assert_int_equal(c->num_controls, 4);
	for (uint32_t i = 0; i < c->num_jacks; i++) {
		assert_int_equal(c->jacks[i].defconf, f->desc->jacks[i].defconf);
		assert_int_equal(c->jacks[i].caps, f->desc->jacks[i].caps);
		assert_true(c->jacks[i].connected);
	}
	for (uint32_t i = 0; i < 2; i++) {
		const struct vsnd_stream_desc *d = &f->desc->streams[i];

		assert_int_equal(c->streams[i].direction, d->direction);
		assert_true(c->streams[i].formats == d->formats);
		assert_true(c->streams[i].rates == d->rates);
		assert_int_equal(c->streams[i].channels_min, d->channels_min);
		assert_int_equal(c->streams[i].channels_max, d->channels_max);
		assert_int_equal(c->streams[i].nid, d->nid);
		assert_int_equal(c->chmaps[i].channels, 2);
		assert_int_equal(c->chmaps[i].positions[0], VIRTIO_SND_CHMAP_FL);
		assert_int_equal(c->chmaps[i].positions[1], VIRTIO_SND_CHMAP_FR);
	}
	assert_int_equal(c->streams[0].direction, VIRTIO_SND_D_OUTPUT);
	assert_true(c->streams[0].formats & (1ull << VIRTIO_SND_PCM_FMT_S16));
	for (uint32_t i = 0; i < 4; i++) {
		const struct vsnd_ctl_desc *d = &f->desc->controls[i];

		assert_string_equal(c->controls[i].name, d->name);
		assert_int_equal(c->controls[i].type, d->type);
		assert_int_equal(c->controls[i].role, d->role);
		assert_int_equal(c->controls[i].count, d->count);
		assert_int_equal(c->controls[i].min, d->min);
		assert_int_equal(c->controls[i].max, d->max);
	}
	assert_int_equal(vguest_ctl_find(f->g, "Master Playback Volume", 0), 0);
	assert_int_equal(vguest_ctl_find(f->g, "Master Playback Volume", 1), -ENOENT);
	assert_int_equal(vguest_ctl_find(f->g, "Nothing", 0), -ENOENT);
	finish(f);
}

static void without_controls_the_card_has_none(void **state)
{
	struct vguest_options o = { .no_controls = true };
	struct fixture *f = start(sndt_desc("stereo"), true, &o);
	struct vguest_ctl_value v;

	(void)state;
	assert_false(vguest_card(f->g)->controls_negotiated);
	assert_int_equal(vguest_card(f->g)->num_controls, 0);
	assert_int_equal(vguest_card(f->g)->num_streams, 2);
	assert_int_equal(vguest_ctl_read(f->g, 0, &v), -ENOENT);
	finish(f);

	/* A device that does not offer the feature: not negotiated either. */
	f = start(sndt_desc("stereo"), false, NULL);
	assert_false(vguest_card(f->g)->controls_negotiated);
	assert_int_equal(vguest_card(f->g)->num_controls, 0);
	finish(f);
}

static void enumerated_items_are_read(void **state)
{
	struct vsnd_card_desc *d = NULL;
	struct fixture *f;
	const struct vguest_card *c;
	struct vguest_ctl_value v;
	char why[600];
	int id;

	(void)state;
	assert_int_equal(vsnd_card_desc_load(ENUM_TOPOLOGY, &d, why, sizeof(why)), 0);
	f = start(d, true, NULL);
	c = vguest_card(f->g);
	id = vguest_ctl_find(f->g, "Mode", 0);
	assert_true(id >= 0);
	assert_int_equal(c->controls[id].type, VIRTIO_SND_CTL_TYPE_ENUMERATED);
	assert_int_equal(c->controls[id].items, 3);
	assert_string_equal(c->controls[id].item_names[0], "Off");
	assert_string_equal(c->controls[id].item_names[2], "High");
	memset(&v, 0, sizeof(v));
	v.values[0] = 2;
	assert_int_equal(vguest_ctl_write(f->g, (uint32_t)id, &v), 0);
	memset(&v, 0, sizeof(v));
	assert_int_equal(vguest_ctl_read(f->g, (uint32_t)id, &v), 0);
	assert_int_equal(v.values[0], 2);
	v.values[0] = 3;	/* no such item */
	assert_int_equal(vguest_ctl_write(f->g, (uint32_t)id, &v), -EINVAL);
	assert_int_equal(vguest_last_status(f->g), VIRTIO_SND_S_BAD_MSG);
	finish(f);
}

static void controls_read_write_and_give_their_db_scale(void **state)
{
	struct fixture *f = start(sndt_desc("stereo"), true, NULL);
	struct vguest_ctl_value v;
	int32_t db_min, db_step;
	bool mute;

	(void)state;
	assert_int_equal(vguest_ctl_read(f->g, 0, &v), 0);
	assert_int_equal(v.values[0], f->desc->controls[0].init);
	assert_int_equal(v.values[1], f->desc->controls[0].init);
	v.values[0] = 10;
	v.values[1] = 20;
	assert_int_equal(vguest_ctl_write(f->g, 0, &v), 0);
	memset(&v, 0, sizeof(v));
	assert_int_equal(vguest_ctl_read(f->g, 0, &v), 0);
	assert_int_equal(v.values[0], 10);
	assert_int_equal(v.values[1], 20);
	v.values[0] = f->desc->controls[0].max + 1;
	assert_int_equal(vguest_ctl_write(f->g, 0, &v), -EINVAL);
	assert_int_equal(vguest_ctl_db_scale(f->g, 0, &db_min, &db_step, &mute), 0);
	assert_int_equal(db_min, f->desc->controls[0].db_min);
	assert_int_equal(db_step, f->desc->controls[0].db_step);
	assert_int_equal(mute, f->desc->controls[0].db_mute);
	/* A switch has no TLV to read. */
	assert_int_equal(vguest_ctl_db_scale(f->g, 1, &db_min, &db_step, &mute), -EOPNOTSUPP);
	assert_int_equal(vguest_ctl_read(f->g, 4, &v), -ENOENT);
	finish(f);
}

static void pcm_requests_report_statuses_as_errnos(void **state)
{
	struct fixture *f = start(sndt_desc("stereo"), true, NULL);
	struct vguest_pcm_params p = {
		.buffer_bytes = 4 * PERIOD, .period_bytes = PERIOD, .channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};
	uint8_t req[4] = { 0x99, 0x09, 0, 0 }, resp[8];
	uint32_t used = 99;

	(void)state;
	assert_int_equal(vguest_pcm_prepare(f->g, 0), -EINVAL);	/* no parameters yet */
	assert_int_equal(vguest_last_status(f->g), VIRTIO_SND_S_BAD_MSG);
	p.period_bytes = PERIOD + 4;					/* does not divide */
	assert_int_equal(vguest_pcm_set_params(f->g, 0, &p), -EINVAL);
	p.period_bytes = PERIOD;
	assert_int_equal(vguest_pcm_set_params(f->g, 0, &p), 0);
	assert_int_equal(vguest_pcm_start(f->g, 0), -EINVAL);	/* not prepared */
	assert_int_equal(vguest_pcm_prepare(f->g, 0), 0);
	assert_int_equal(vguest_pcm_start(f->g, 0), 0);
	assert_int_equal(vguest_pcm_stop(f->g, 0), 0);
	assert_int_equal(vguest_pcm_release(f->g, 0), 0);
	assert_int_equal(vguest_pcm_prepare(f->g, 7), -EINVAL);	/* no such stream */
	/* Raw requests: an unknown code is not supported. */
	assert_int_equal(vguest_request(f->g, req, sizeof(req), resp, sizeof(resp), &used),
			 VIRTIO_SND_S_NOT_SUPP);
	assert_int_equal(used, 4);
	assert_int_equal(vguest_status_errno(VIRTIO_SND_S_NOT_SUPP), -EOPNOTSUPP);
	assert_int_equal(vguest_status_errno(VIRTIO_SND_S_IO_ERR), -EIO);
	assert_int_equal(vguest_status_errno(0x1234), -EPROTO);
	/* No room for a status: nothing written. */
	assert_int_equal(vguest_request(f->g, req, sizeof(req), NULL, 0, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(vguest_request(f->g, req, VGUEST_REQ_MAX + 1, NULL, 0, NULL), -EINVAL);
	finish(f);
}

static void set_up(struct vguest *g, uint32_t stream)
{
	struct vguest_pcm_params p = {
		.buffer_bytes = 4 * PERIOD, .period_bytes = PERIOD, .channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};

	assert_int_equal(vguest_pcm_set_params(g, stream, &p), 0);
	assert_int_equal(vguest_pcm_prepare(g, stream), 0);
}

static void playback_ring_plays_every_message_in_order(void **state)
{
	enum { MESSAGES = 25 };		/* 250 ms */
	struct fixture *f = start(sndt_desc("stereo"), true, NULL);
	struct vguest_io *io, *busy;
	struct vguest_io_done done;
	uint8_t audio[PERIOD];
	unsigned int sent = 0, reaped = 0;

	(void)state;
	set_up(f->g, 0);
	assert_int_equal(vguest_io_open(f->g, 0, PERIOD, 4, &io), 0);
	assert_int_equal(vguest_io_open(f->g, 0, PERIOD, 4, &busy), -EBUSY);
	assert_null(busy);
	memset(audio, 0x3c, sizeof(audio));
	for (; sent < 4; sent++)
		assert_int_equal(vguest_io_submit(io, audio, PERIOD), 0);
	assert_int_equal(vguest_io_submit(io, audio, PERIOD), -EAGAIN);
	assert_int_equal(vguest_io_in_flight(io), 4);
	/* Prefilled but not started: the device holds them. */
	assert_int_equal(vguest_io_reap(io, &done, 50), 0);
	assert_int_equal(vguest_io_in_flight(io), 4);
	assert_int_equal(vguest_pcm_start(f->g, 0), 0);
	for (; reaped < MESSAGES; reaped++) {
		assert_int_equal(vguest_io_reap(io, &done, -1), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
		assert_int_equal(done.bytes, 0);
		if (sent < MESSAGES) {
			/* The last message is short: a whole number of frames is enough. */
			assert_int_equal(vguest_io_submit(io, audio, sent == MESSAGES - 1 ?
							  PERIOD / 2 : PERIOD), 0);
			sent++;
		}
	}
	assert_int_equal(vguest_io_in_flight(io), 0);
	assert_int_equal(vguest_io_reap(io, &done, 10), 0);
	assert_int_equal(vguest_pcm_stop(f->g, 0), 0);
	assert_int_equal(vguest_pcm_release(f->g, 0), 0);
	vguest_io_close(io);
	/* A ring of the same size reuses the stream's memory; a larger one gets new memory. */
	assert_int_equal(vguest_io_open(f->g, 0, PERIOD, 4, &io), 0);
	vguest_io_close(io);
	assert_int_equal(vguest_io_open(f->g, 0, PERIOD, 8, &io), 0);
	vguest_io_close(io);
	finish(f);
}

static void capture_ring_records_in_place(void **state)
{
	struct fixture *f = start(sndt_desc("stereo"), true, NULL);
	struct vguest_io *io;
	struct vguest_io_done done;

	(void)state;
	set_up(f->g, 1);
	assert_int_equal(vguest_io_open(f->g, 1, PERIOD, 4, &io), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(vguest_io_submit(io, NULL, PERIOD), 0);
	assert_int_equal(vguest_pcm_start(f->g, 1), 0);
	for (int i = 0; i < 10; i++) {
		const uint8_t *d;

		assert_int_equal(vguest_io_reap(io, &done, -1), 1);
		assert_int_equal(done.status, VIRTIO_SND_S_OK);
		assert_int_equal(done.bytes, PERIOD);
		d = done.data;
		for (uint32_t k = 0; k < PERIOD; k++)
			if (d[k])
				fail_msg("byte %u of capture %d is 0x%02x, not silence", k, i,
					 d[k]);
		/* Dirty the buffer: the next fill must overwrite it. */
		memset((void *)done.data, 0x77, PERIOD);
		assert_int_equal(vguest_io_submit(io, NULL, PERIOD), 0);
	}
	assert_int_equal(vguest_pcm_stop(f->g, 1), 0);
	assert_int_equal(vguest_pcm_release(f->g, 1), 0);
	/* RELEASE gave every message back (unfilled or filled): reap them all. */
	while (vguest_io_in_flight(io))
		assert_int_equal(vguest_io_reap(io, &done, -1), 1);
	vguest_io_close(io);
	finish(f);
}

static void messages_the_device_refuses_come_back_with_their_status(void **state)
{
	struct fixture *f = start(sndt_desc("stereo"), true, NULL);
	struct vguest_io *io;
	struct vguest_io_done done;
	uint8_t audio[PERIOD] = { 0 };

	(void)state;
	/* Not prepared: well formed, refused with IO_ERR. */
	assert_int_equal(vguest_io_open(f->g, 0, PERIOD, 4, &io), 0);
	assert_int_equal(vguest_io_submit(io, audio, PERIOD), 0);
	assert_int_equal(vguest_io_reap(io, &done, -1), 1);
	assert_int_equal(done.status, VIRTIO_SND_S_IO_ERR);
	/* Half a frame: BAD_MSG. */
	set_up(f->g, 0);
	assert_int_equal(vguest_io_submit(io, audio, 6), 0);
	assert_int_equal(vguest_io_reap(io, &done, -1), 1);
	assert_int_equal(done.status, VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(vguest_last_status(f->g), VIRTIO_SND_S_BAD_MSG);
	assert_int_equal(vguest_io_submit(io, audio, PERIOD + 1), -EINVAL);
	assert_int_equal(vguest_io_submit(io, NULL, PERIOD), -EINVAL);
	assert_int_equal(vguest_io_submit(io, audio, 0), -EINVAL);
	vguest_io_close(io);
	assert_int_equal(vguest_io_open(f->g, 2, PERIOD, 4, &io), -ENOENT);
	assert_int_equal(vguest_io_open(f->g, 0, 0, 4, &io), -EINVAL);
	assert_int_equal(vguest_io_open(f->g, 0, PERIOD, VGUEST_QUEUE_SIZE, &io), -EINVAL);
	finish(f);
}

static void a_ring_closed_with_messages_out_is_safe(void **state)
{
	struct fixture *f = start(sndt_desc("stereo"), true, NULL);
	struct vguest_io *io;
	struct vguest_io_done done;
	uint8_t audio[PERIOD] = { 0 };

	(void)state;
	set_up(f->g, 0);
	assert_int_equal(vguest_io_open(f->g, 0, PERIOD, 4, &io), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(vguest_io_submit(io, audio, PERIOD), 0);
	vguest_io_close(io);	/* the device still holds four messages */
	/* They complete later into memory the guest keeps; a new ring gets fresh memory. */
	assert_int_equal(vguest_pcm_start(f->g, 0), 0);
	assert_int_equal(vguest_io_open(f->g, 0, PERIOD, 4, &io), 0);
	assert_int_equal(vguest_io_submit(io, audio, PERIOD), 0);
	assert_int_equal(vguest_io_reap(io, &done, -1), 1);
	assert_int_equal(done.status, VIRTIO_SND_S_OK);
	vguest_io_close(io);
	finish(f);
}

static void streams_and_parameters_are_chosen_from_what_is_offered(void **state)
{
	struct fixture *f = start(sndt_desc("stereo"), true, NULL);
	const struct vguest_card *c = vguest_card(f->g);
	const struct vguest_stream *s = &c->streams[0];
	struct vguest_pcm_params p;
	struct vguest_want w = { 0 };
	uint8_t fmt[2] = { VIRTIO_SND_PCM_FMT_FLOAT, VIRTIO_SND_PCM_FMT_S32 };
	char why[160];

	(void)state;
	assert_int_equal(vguest_stream_pick(c, VIRTIO_SND_D_OUTPUT, -1), 0);
	assert_int_equal(vguest_stream_pick(c, VIRTIO_SND_D_INPUT, -1), 1);
	assert_int_equal(vguest_stream_pick(c, VIRTIO_SND_D_INPUT, 0), -EINVAL);
	assert_int_equal(vguest_stream_pick(c, VIRTIO_SND_D_OUTPUT, 5), -ENOENT);
	/* Defaults: 48 kHz, 2 channels, S16, 10 ms, 4 periods. */
	assert_int_equal(vguest_params_choose(s, &w, &p, why, sizeof(why)), 0);
	assert_int_equal(p.rate, VIRTIO_SND_PCM_RATE_48000);
	assert_int_equal(p.channels, 2);
	assert_int_equal(p.format, VIRTIO_SND_PCM_FMT_S16);
	assert_int_equal(p.period_bytes, PERIOD);
	assert_int_equal(p.buffer_bytes, 4 * PERIOD);
	/* The first wanted format offered wins; periods and period length as asked. */
	w = (struct vguest_want){ .formats = fmt, .num_formats = 2, .period_us = 5000,
				  .periods = 3 };
	assert_int_equal(vguest_params_choose(s, &w, &p, why, sizeof(why)), 0);
	assert_int_equal(p.format, VIRTIO_SND_PCM_FMT_S32);
	assert_int_equal(p.period_bytes, 240 * 8);
	assert_int_equal(p.buffer_bytes, 3 * 240 * 8);
	/* What the stream does not offer. */
	w = (struct vguest_want){ .rate_hz = 44100 };
	assert_int_equal(vguest_params_choose(s, &w, &p, why, sizeof(why)), -ENOTSUP);
	assert_string_equal(why, "the stream does not offer 44100 Hz");
	w = (struct vguest_want){ .channels = 6 };
	assert_int_equal(vguest_params_choose(s, &w, &p, why, sizeof(why)), -ENOTSUP);
	assert_string_equal(why, "the stream takes 2 to 2 channels, not 6");
	w = (struct vguest_want){ .formats = fmt, .num_formats = 1 };
	assert_int_equal(vguest_params_choose(s, &w, &p, why, sizeof(why)), -ENOTSUP);
	assert_non_null(strstr(why, "none of the formats wanted (first: FLOAT)"));
	/* What it chose is what the device takes. */
	w = (struct vguest_want){ 0 };
	assert_int_equal(vguest_params_choose(s, &w, &p, why, sizeof(why)), 0);
	assert_int_equal(vguest_pcm_set_params(f->g, 0, &p), 0);
	assert_int_equal(vguest_rate_code(48000), VIRTIO_SND_PCM_RATE_48000);
	assert_int_equal(vguest_rate_code(47999), -EINVAL);
	assert_string_equal(vguest_chmap_position_name(VIRTIO_SND_CHMAP_LFE), "LFE");
	assert_string_equal(vguest_chmap_position_name(200), "?");
	assert_string_equal(vguest_ctl_type_name(VIRTIO_SND_CTL_TYPE_BYTES), "BYTES");
	assert_string_equal(vguest_ctl_role_name(VIRTIO_SND_CTL_ROLE_MUTE), "MUTE");
	finish(f);
}

static void connecting_to_nothing_fails_cleanly(void **state)
{
	struct vguest *g = (struct vguest *)1;

	(void)state;
	assert_int_equal(vguest_connect(&g, "/nonexistent/vadsp.sock", NULL), -ENOENT);
	assert_null(g);
	vguest_close(NULL);
	vguest_io_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(connect_reads_the_whole_card),
		cmocka_unit_test(without_controls_the_card_has_none),
		cmocka_unit_test(enumerated_items_are_read),
		cmocka_unit_test(controls_read_write_and_give_their_db_scale),
		cmocka_unit_test(pcm_requests_report_statuses_as_errnos),
		cmocka_unit_test(playback_ring_plays_every_message_in_order),
		cmocka_unit_test(capture_ring_records_in_place),
		cmocka_unit_test(messages_the_device_refuses_come_back_with_their_status),
		cmocka_unit_test(a_ring_closed_with_messages_out_is_safe),
		cmocka_unit_test(streams_and_parameters_are_chosen_from_what_is_offered),
		cmocka_unit_test(connecting_to_nothing_fails_cleanly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
