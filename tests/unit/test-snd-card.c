// SPDX-License-Identifier: MIT
/*
 * The card a guest topology gives: the project's `stereo`, `multi` and `voice` topologies
 * give exactly the streams (nid grouping, formats, rates, channels, features), channel maps,
 * jacks and controls they describe, read back through the guest's info queries; format and
 * rate mapping (the 1.4 rates included); hand-built models for what those files lack
 * (enums, wide channel counts, duplicate names); topologies the device cannot present.
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
#include "snd/pcm-caps.h"
#include "snd/virtio-snd.h"
#include "test-snd-util.h"
#include "tplg/model.h"
#include "tplg/tplg.h"
#include "util/le.h"

#define FMT(x)		(1ull << VIRTIO_SND_PCM_FMT_##x)
#define RATE(x)		(1ull << VIRTIO_SND_PCM_RATE_##x)
#define ACC(x)		(1u << VIRTIO_SND_CTL_ACCESS_##x)
#define ALSA_S16_LE	(1ull << 2)
#define ALSA_S32_LE	(1ull << 10)

static struct sndt_resp resp;

static struct vsnd_card *card_of(const char *name)
{
	return sndt_card(sndt_desc(name), NULL, NULL, true);
}

static void card_free(struct vsnd_card *card)
{
	struct vsnd_card_desc *d = (struct vsnd_card_desc *)card->desc;

	vsnd_card_free(card);
	vsnd_card_desc_free(d);
}

/* Query @count items of @code and return the reply bytes (in resp.data). */
static const uint8_t *query_all(struct vsnd_card *card, uint32_t code, uint32_t count,
				uint32_t size)
{
	uint8_t req[16];

	sndt_query(req, code, 0, count, size);
	assert_int_equal(sndt_call(card, req, 16, VSND_CTL_RESP_MAX, &resp), VIRTIO_SND_S_OK);
	assert_int_equal(resp.used, 4 + count * size);
	return resp.data;
}

static void check_config(struct vsnd_card *card, uint32_t jacks, uint32_t streams,
			 uint32_t controls)
{
	struct vsnd_config cfg;

	vsnd_card_config_space(card, &cfg);
	assert_int_equal(le32_to_cpu(cfg.jacks), jacks);
	assert_int_equal(le32_to_cpu(cfg.streams), streams);
	assert_int_equal(le32_to_cpu(cfg.chmaps), streams);
	assert_int_equal(le32_to_cpu(cfg.controls), controls);
}

static void check_pcm(const uint8_t *p, uint32_t nid, uint8_t dir, uint8_t ch_min,
		      uint8_t ch_max, uint64_t formats, uint64_t rates)
{
	static const uint8_t zero[5];

	assert_int_equal(get_le32(p + offsetof(struct vsnd_pcm_info, hdr)), nid);
	assert_int_equal(get_le32(p + offsetof(struct vsnd_pcm_info, features)),
			 1u << VIRTIO_SND_PCM_F_EVT_XRUNS);
	assert_int_equal(get_le64(p + offsetof(struct vsnd_pcm_info, formats)), formats);
	assert_int_equal(get_le64(p + offsetof(struct vsnd_pcm_info, rates)), rates);
	assert_int_equal(p[offsetof(struct vsnd_pcm_info, direction)], dir);
	assert_int_equal(p[offsetof(struct vsnd_pcm_info, channels_min)], ch_min);
	assert_int_equal(p[offsetof(struct vsnd_pcm_info, channels_max)], ch_max);
	assert_memory_equal(p + offsetof(struct vsnd_pcm_info, padding), zero, 5);
}

static void check_chmap(const uint8_t *p, uint32_t nid, uint8_t dir, uint8_t channels,
			const uint8_t *positions)
{
	uint8_t want[VIRTIO_SND_CHMAP_MAX_SIZE] = { 0 };

	memcpy(want, positions, channels);
	assert_int_equal(get_le32(p), nid);
	assert_int_equal(p[offsetof(struct vsnd_chmap_info, direction)], dir);
	assert_int_equal(p[offsetof(struct vsnd_chmap_info, channels)], channels);
	assert_memory_equal(p + offsetof(struct vsnd_chmap_info, positions), want, sizeof(want));
}

static void check_jack(const uint8_t *p, uint32_t nid, uint32_t defconf, uint32_t caps)
{
	assert_int_equal(get_le32(p), nid);
	assert_int_equal(get_le32(p + offsetof(struct vsnd_jack_info, features)), 0);
	assert_int_equal(get_le32(p + offsetof(struct vsnd_jack_info, hda_reg_defconf)),
			 defconf);
	assert_int_equal(get_le32(p + offsetof(struct vsnd_jack_info, hda_reg_caps)), caps);
	assert_int_equal(p[offsetof(struct vsnd_jack_info, connected)], 1);
}

static void check_ctl_step(const uint8_t *p, const char *name, uint32_t role, uint32_t type,
			   uint32_t access, uint32_t count, uint32_t index, int32_t min,
			   int32_t max, int32_t step)
{
	char want[VIRTIO_SND_CTL_NAME_SIZE] = { 0 };

	strcpy(want, name);
	assert_memory_equal(p + offsetof(struct vsnd_ctl_info, name), want, sizeof(want));
	assert_int_equal(get_le32(p + offsetof(struct vsnd_ctl_info, role)), role);
	assert_int_equal(get_le32(p + offsetof(struct vsnd_ctl_info, type)), type);
	assert_int_equal(get_le32(p + offsetof(struct vsnd_ctl_info, access)), access);
	assert_int_equal(get_le32(p + offsetof(struct vsnd_ctl_info, count)), count);
	assert_int_equal(get_le32(p + offsetof(struct vsnd_ctl_info, index)), index);
	if (type == VIRTIO_SND_CTL_TYPE_INTEGER || type == VIRTIO_SND_CTL_TYPE_BOOLEAN) {
		const uint8_t *v = p + offsetof(struct vsnd_ctl_info, value);

		assert_int_equal((int32_t)get_le32(v), min);
		assert_int_equal((int32_t)get_le32(v + 4), max);
		assert_int_equal((int32_t)get_le32(v + 8), step);
	}
}

static void check_ctl(const uint8_t *p, const char *name, uint32_t role, uint32_t type,
		      uint32_t access, uint32_t count, uint32_t index, int32_t min, int32_t max)
{
	check_ctl_step(p, name, role, type, access, count, index, min, max, 1);
}

/* The value the card keeps for @control, channel @ch. */
static int32_t value_of(struct vsnd_card *card, uint32_t control, uint32_t ch)
{
	struct vsnd_ctl_values v;

	assert_int_equal(vsnd_card_ctl_get(card, control, &v), 0);
	assert_non_null(v.values);
	assert_true(ch < v.count);
	return v.values[ch];
}

static const uint8_t stereo_map[] = { VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR };
static const uint8_t mono_map[] = { VIRTIO_SND_CHMAP_MONO };

static void stereo_gives_one_pcm_device_with_playback_and_capture(void **state)
{
	struct vsnd_card *card = card_of("stereo");
	const uint8_t *p;

	(void)state;
	check_config(card, 2, 2, 4);
	p = query_all(card, VIRTIO_SND_R_PCM_INFO, 2, 32);
	/* One nid (the PCM id, 0) for both: Linux makes one device with two substreams. */
	check_pcm(p, 0, VIRTIO_SND_D_OUTPUT, 2, 2, FMT(S16) | FMT(S32), RATE(48000));
	check_pcm(p + 32, 0, VIRTIO_SND_D_INPUT, 2, 2, FMT(S16) | FMT(S32), RATE(48000));
	p = query_all(card, VIRTIO_SND_R_CHMAP_INFO, 2, 24);
	check_chmap(p, 0, VIRTIO_SND_D_OUTPUT, 2, stereo_map);
	check_chmap(p + 24, 0, VIRTIO_SND_D_INPUT, 2, stereo_map);
	/* Jacks: the endpoints on main-out (a line out) and main-in (a line in). */
	p = query_all(card, VIRTIO_SND_R_JACK_INFO, 2, 24);
	check_jack(p, 0, 0x0u << 20 | 1u << 4, 1u << 2 | 1u << 4);
	check_jack(p + 24, 0, 0x8u << 20 | 2u << 4, 1u << 2 | 1u << 5);
	assert_string_equal(card->desc->jacks[0].cp_name, "main-out");
	assert_string_equal(card->desc->jacks[1].cp_name, "main-in");
	p = query_all(card, VIRTIO_SND_R_CTL_INFO, 4, 96);
	check_ctl(p, "Master Playback Volume", VIRTIO_SND_CTL_ROLE_VOLUME,
		  VIRTIO_SND_CTL_TYPE_INTEGER, ACC(READ) | ACC(WRITE) | ACC(TLV_READ), 2, 0, 0, 64);
	check_ctl(p + 96, "Master Playback Switch", VIRTIO_SND_CTL_ROLE_MUTE,
		  VIRTIO_SND_CTL_TYPE_BOOLEAN, ACC(READ) | ACC(WRITE), 2, 0, 0, 1);
	check_ctl(p + 192, "Capture Volume", VIRTIO_SND_CTL_ROLE_VOLUME,
		  VIRTIO_SND_CTL_TYPE_INTEGER, ACC(READ) | ACC(WRITE) | ACC(TLV_READ), 2, 0, 0, 70);
	check_ctl(p + 288, "Capture Switch", VIRTIO_SND_CTL_ROLE_MUTE,
		  VIRTIO_SND_CTL_TYPE_BOOLEAN, ACC(READ) | ACC(WRITE), 2, 0, 0, 1);
	/* Volumes start at 0 dB (-64 + 64 steps; -50 + 50 steps), switches on. */
	assert_int_equal(value_of(card, 0, 0), 64);
	assert_int_equal(value_of(card, 0, 1), 64);
	assert_int_equal(value_of(card, 1, 0), 1);
	assert_int_equal(value_of(card, 2, 1), 50);
	assert_int_equal(value_of(card, 3, 1), 1);
	card_free(card);
}

static void multi_gives_three_pcm_devices_seven_controls_and_three_jacks(void **state)
{
	struct vsnd_card *card = card_of("multi");
	const uint8_t *p;
	uint8_t req[8];

	(void)state;
	check_config(card, 3, 3, 7);
	p = query_all(card, VIRTIO_SND_R_PCM_INFO, 3, 32);
	check_pcm(p, 0, VIRTIO_SND_D_OUTPUT, 2, 2, FMT(S16) | FMT(S32), RATE(48000));
	check_pcm(p + 32, 1, VIRTIO_SND_D_OUTPUT, 2, 2, FMT(S16) | FMT(S32), RATE(48000));
	check_pcm(p + 64, 2, VIRTIO_SND_D_INPUT, 2, 2, FMT(S16) | FMT(S32), RATE(48000));
	p = query_all(card, VIRTIO_SND_R_CHMAP_INFO, 3, 24);
	check_chmap(p, 0, VIRTIO_SND_D_OUTPUT, 2, stereo_map);
	check_chmap(p + 24, 1, VIRTIO_SND_D_OUTPUT, 2, stereo_map);
	check_chmap(p + 48, 2, VIRTIO_SND_D_INPUT, 2, stereo_map);
	p = query_all(card, VIRTIO_SND_R_JACK_INFO, 3, 24);
	check_jack(p, 0, 0x0u << 20 | 1u << 4, 1u << 2 | 1u << 4);
	check_jack(p + 24, 1, 0x0u << 20 | 2u << 4, 1u << 2 | 1u << 4);
	check_jack(p + 48, 2, 0x8u << 20 | 3u << 4, 1u << 2 | 1u << 5);
	assert_string_equal(card->desc->jacks[1].cp_name, "aux-out");
	p = query_all(card, VIRTIO_SND_R_CTL_INFO, 7, 96);
	check_ctl(p, "Music Playback Volume", VIRTIO_SND_CTL_ROLE_VOLUME,
		  VIRTIO_SND_CTL_TYPE_INTEGER, ACC(READ) | ACC(WRITE) | ACC(TLV_READ), 2, 0, 0, 64);
	check_ctl(p + 96, "Music Playback Switch", VIRTIO_SND_CTL_ROLE_MUTE,
		  VIRTIO_SND_CTL_TYPE_BOOLEAN, ACC(READ) | ACC(WRITE), 2, 0, 0, 1);
	/* The EQ's bytes: TLV access only, the value capped at 512 bytes, data up to 1024. */
	check_ctl(p + 192, "Music EQ", VIRTIO_SND_CTL_ROLE_UNDEFINED, VIRTIO_SND_CTL_TYPE_BYTES,
		  ACC(TLV_READ) | ACC(TLV_WRITE), 512, 0, 0, 0);
	assert_int_equal(card->desc->controls[2].blob_max, 1024);
	check_ctl(p + 288, "Notification Playback Volume", VIRTIO_SND_CTL_ROLE_VOLUME,
		  VIRTIO_SND_CTL_TYPE_INTEGER, ACC(READ) | ACC(WRITE) | ACC(TLV_READ), 2, 0, 0, 64);
	check_ctl(p + 384, "Notification Playback Switch", VIRTIO_SND_CTL_ROLE_MUTE,
		  VIRTIO_SND_CTL_TYPE_BOOLEAN, ACC(READ) | ACC(WRITE), 2, 0, 0, 1);
	check_ctl(p + 480, "Mic Capture Volume", VIRTIO_SND_CTL_ROLE_VOLUME,
		  VIRTIO_SND_CTL_TYPE_INTEGER, ACC(READ) | ACC(WRITE) | ACC(TLV_READ), 2, 0, 0, 70);
	check_ctl(p + 576, "Mic Capture Switch", VIRTIO_SND_CTL_ROLE_MUTE,
		  VIRTIO_SND_CTL_TYPE_BOOLEAN, ACC(READ) | ACC(WRITE), 2, 0, 0, 1);
	/* Each control's nid is its stream's. */
	assert_int_equal(get_le32(p + 288), 1);
	assert_int_equal(get_le32(p + 576), 2);
	/* The EQ starts with the topology's blob: a SOF ABI header ("SOF\0") first. */
	sndt_ctl(req, VIRTIO_SND_R_CTL_TLV_READ, 2);
	assert_int_equal(sndt_call(card, req, 8, VSND_CTL_RESP_MAX, &resp), VIRTIO_SND_S_OK);
	assert_int_equal(get_le32(resp.data), 2);
	assert_int_equal(get_le32(resp.data + 4), 120);
	assert_int_equal(resp.used, 4 + 8 + 120);
	assert_int_equal(get_le32(resp.data + 8), 0x00464f53);
	card_free(card);
}

static void voice_gives_one_mono_16k_capture_stream(void **state)
{
	struct vsnd_card *card = card_of("voice");
	const uint8_t *p;

	(void)state;
	check_config(card, 1, 1, 2);
	p = query_all(card, VIRTIO_SND_R_PCM_INFO, 1, 32);
	check_pcm(p, 0, VIRTIO_SND_D_INPUT, 1, 1, FMT(S16) | FMT(S32), RATE(16000));
	p = query_all(card, VIRTIO_SND_R_CHMAP_INFO, 1, 24);
	check_chmap(p, 0, VIRTIO_SND_D_INPUT, 1, mono_map);
	p = query_all(card, VIRTIO_SND_R_JACK_INFO, 1, 24);
	check_jack(p, 0, 0x8u << 20 | 1u << 4, 1u << 2 | 1u << 5);
	p = query_all(card, VIRTIO_SND_R_CTL_INFO, 2, 96);
	check_ctl(p, "Voice Capture Volume", VIRTIO_SND_CTL_ROLE_VOLUME,
		  VIRTIO_SND_CTL_TYPE_INTEGER, ACC(READ) | ACC(WRITE) | ACC(TLV_READ), 1, 0, 0, 70);
	check_ctl(p + 96, "Voice Capture Switch", VIRTIO_SND_CTL_ROLE_MUTE,
		  VIRTIO_SND_CTL_TYPE_BOOLEAN, ACC(READ) | ACC(WRITE), 1, 0, 0, 1);
	card_free(card);
}

static void formats_and_rates_map_to_virtio_codes(void **state)
{
	(void)state;
	assert_int_equal(vsnd_formats_from_alsa(ALSA_S16_LE | ALSA_S32_LE), FMT(S16) | FMT(S32));
	/* S8 0, U8 1, U16_LE 4, S24_LE 6, FLOAT_LE 14, FLOAT64_LE 16, MU_LAW 20, S24_3LE 32,
	 * U18_3LE 42, DSD_U32_LE 50; big-endian formats (3, 11) have no virtio code. */
	assert_int_equal(vsnd_formats_from_alsa(1ull << 0 | 1ull << 1 | 1ull << 4 | 1ull << 6 |
						1ull << 14 | 1ull << 16 | 1ull << 20 |
						1ull << 32 | 1ull << 42 | 1ull << 50 |
						1ull << 3 | 1ull << 11),
			 FMT(S8) | FMT(U8) | FMT(U16) | FMT(S24) | FMT(FLOAT) | FMT(FLOAT64) |
			 FMT(MU_LAW) | FMT(S24_3) | FMT(U18_3) | FMT(DSD_U32));
	/* IMA_ADPCM (ALSA 22) is not offered: no fixed frame size. */
	assert_int_equal(vsnd_formats_from_alsa(1ull << 22), 0);
	assert_int_equal(vsnd_format_sample_bytes(VIRTIO_SND_PCM_FMT_S24_3), 3);
	assert_int_equal(vsnd_format_sample_bytes(VIRTIO_SND_PCM_FMT_FLOAT64), 8);
	assert_int_equal(vsnd_format_silence(VIRTIO_SND_PCM_FMT_U16)[1], 0x80);
	assert_int_equal(vsnd_format_silence(VIRTIO_SND_PCM_FMT_U8)[0], 0x80);

	/* Named rates: 48000 is ALSA bit 7; 352800 (bit 13) has no virtio code. */
	assert_int_equal(vsnd_rates_from_alsa(1u << 7, 48000, 48000), RATE(48000));
	assert_int_equal(vsnd_rates_from_alsa(1u << 13, 352800, 352800), 0);
	assert_int_equal(vsnd_rates_from_alsa(1u << 14, 0, 0), RATE(384000));
	/* Linux's extended bits 17 and 18 name the VIRTIO 1.4 rates. */
	assert_int_equal(vsnd_rates_from_alsa(1u << 17 | 1u << 18, 0, 0),
			 RATE(12000) | RATE(24000));
	/* A continuous range covers every virtio rate inside it, 12000 and 24000 included. */
	assert_int_equal(vsnd_rates_from_alsa(1u << 30, 8000, 24000),
			 RATE(8000) | RATE(11025) | RATE(12000) | RATE(16000) | RATE(22050) |
			 RATE(24000));
	assert_int_equal(vsnd_rates_from_alsa(0, 44100, 48000), RATE(44100) | RATE(48000));
	assert_int_equal(vsnd_rate_hz(VIRTIO_SND_PCM_RATE_12000), 12000);
	assert_int_equal(vsnd_rate_hz(VIRTIO_SND_PCM_RATE_5512), 5512);
}

/* A hand-built model: what the project's files do not have. */
struct fake {
	struct tplg t;
	struct tplg_kcontrol kc[4];
	struct tplg_model m;
	struct tplg_model_pcm pcm[2];
	struct tplg_model_control ctl[4];
	char items[3][TPLG_NAME_LEN];
};

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->t.kcontrols = f->kc;
	f->t.num_kcontrols = 4;
	f->m.pcms = f->pcm;
	f->m.controls = f->ctl;
	strcpy(f->pcm[0].name, "Surround");
	f->pcm[0].id = 3;
	f->pcm[0].stream[0] = (struct tplg_model_stream){
		.present = true, .formats = ALSA_S32_LE, .rates = 1u << 30, .rate_min = 8000,
		.rate_max = 192000, .channels_min = 1, .channels_max = 8, .host_widget = -1,
	};
	strcpy(f->pcm[1].name, "Three");
	f->pcm[1].id = 4;
	f->pcm[1].stream[1] = (struct tplg_model_stream){
		.present = true, .formats = ALSA_S16_LE, .rates = 1u << 3, .channels_min = 3,
		.channels_max = 3, .host_widget = -1,
	};
	f->m.num_pcms = 2;
	strcpy(f->items[0], "Off");
	strcpy(f->items[1], "Low");
	strcpy(f->items[2], "A rather long item name of 43 characters..");
	f->ctl[0] = (struct tplg_model_control){
		.name = "Mode", .type = TPLG_MODEL_CTL_ENUMERATED, .access = 0x3, .min = 0,
		.max = 2, .count = 2, .num_items = 3, .items = f->items, .widget = -1,
	};
	f->ctl[1] = (struct tplg_model_control){
		.name = "Gain", .type = TPLG_MODEL_CTL_INTEGER, .access = 0x3, .min = -10,
		.max = 10, .step = 2, .count = 1, .widget = -1,
	};
	f->ctl[2] = (struct tplg_model_control){
		.name = "Gain", .type = TPLG_MODEL_CTL_INTEGER, .access = 0, .min = 0, .max = 5,
		.step = 1, .count = 1, .widget = -1, .kcontrol = 2,
	};
	f->m.num_controls = 3;
}

static void hand_built_model_gives_enums_wide_maps_and_indexes(void **state)
{
	static const uint8_t map8[] = {
		VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR, VIRTIO_SND_CHMAP_RL, VIRTIO_SND_CHMAP_RR,
		VIRTIO_SND_CHMAP_FC, VIRTIO_SND_CHMAP_LFE, VIRTIO_SND_CHMAP_SL, VIRTIO_SND_CHMAP_SR,
	};
	static const uint8_t map3[] = {
		VIRTIO_SND_CHMAP_FL, VIRTIO_SND_CHMAP_FR, VIRTIO_SND_CHMAP_FC,
	};
	struct vsnd_card_desc *d = NULL;
	struct vsnd_card *card;
	struct fake f;
	const uint8_t *p;
	char err[200];
	uint8_t req[8], item[64] = { 0 };

	(void)state;
	fake_init(&f);
	assert_int_equal(vsnd_card_desc_build(&f.t, &f.m, &d, err, sizeof(err)), 0);
	card = sndt_card(d, NULL, NULL, true);
	check_config(card, 0, 2, 3);
	p = query_all(card, VIRTIO_SND_R_PCM_INFO, 2, 32);
	check_pcm(p, 3, VIRTIO_SND_D_OUTPUT, 1, 8, FMT(S32),
		  RATE(8000) | RATE(11025) | RATE(12000) | RATE(16000) | RATE(22050) |
		  RATE(24000) | RATE(32000) | RATE(44100) | RATE(48000) | RATE(64000) |
		  RATE(88200) | RATE(96000) | RATE(176400) | RATE(192000));
	check_pcm(p + 32, 4, VIRTIO_SND_D_INPUT, 3, 3, FMT(S16), RATE(16000));
	p = query_all(card, VIRTIO_SND_R_CHMAP_INFO, 2, 24);
	check_chmap(p, 3, VIRTIO_SND_D_OUTPUT, 8, map8);
	check_chmap(p + 24, 4, VIRTIO_SND_D_INPUT, 3, map3);
	p = query_all(card, VIRTIO_SND_R_CTL_INFO, 3, 96);
	check_ctl(p, "Mode", VIRTIO_SND_CTL_ROLE_UNDEFINED, VIRTIO_SND_CTL_TYPE_ENUMERATED,
		  ACC(READ) | ACC(WRITE), 2, 0, 0, 0);
	assert_int_equal(get_le32(p + offsetof(struct vsnd_ctl_info, value)), 3);
	/* An INTEGER not on a pga is not a VOLUME; a second "Gain" gets index 1; access 0
	 * reads as read-write. */
	check_ctl_step(p + 96, "Gain", VIRTIO_SND_CTL_ROLE_UNDEFINED, VIRTIO_SND_CTL_TYPE_INTEGER,
		       ACC(READ) | ACC(WRITE), 1, 0, -10, 10, 2);
	check_ctl(p + 192, "Gain", VIRTIO_SND_CTL_ROLE_UNDEFINED, VIRTIO_SND_CTL_TYPE_INTEGER,
		  ACC(READ) | ACC(WRITE), 1, 1, 0, 5);
	sndt_ctl(req, VIRTIO_SND_R_CTL_ENUM_ITEMS, 0);
	assert_int_equal(sndt_call(card, req, 8, 4 + 3 * 64, &resp), VIRTIO_SND_S_OK);
	assert_int_equal(resp.used, 4 + 3 * 64);
	strcpy((char *)item, "Off");
	assert_memory_equal(resp.data, item, 64);
	strcpy((char *)item, "A rather long item name of 43 characters..");
	assert_memory_equal(resp.data + 128, item, 64);
	/* Too little room for the items, or items of a control that is not an enum. */
	assert_int_equal(sndt_call(card, req, 8, 4 + 3 * 64 - 1, &resp), VIRTIO_SND_S_BAD_MSG);
	sndt_ctl(req, VIRTIO_SND_R_CTL_ENUM_ITEMS, 1);
	assert_int_equal(sndt_call(card, req, 8, VSND_CTL_RESP_MAX, &resp),
			 VIRTIO_SND_S_BAD_MSG);
	/* A control whose range has no 0 dB point starts at its maximum; an enum at 0. */
	assert_int_equal(value_of(card, 1, 0), 10);
	assert_int_equal(value_of(card, 0, 1), 0);
	vsnd_card_free(card);
	vsnd_card_desc_free(d);
}

static void topologies_the_device_cannot_present_are_refused(void **state)
{
	struct vsnd_card_desc *d = NULL;
	struct fake f;
	char err[200];

	(void)state;
	fake_init(&f);
	f.pcm[0].stream[0].formats = 1ull << 22 | 1ull << 3;	/* IMA_ADPCM, S16_BE */
	assert_int_equal(vsnd_card_desc_build(&f.t, &f.m, &d, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "pcm 'Surround' playback: no sample format"));
	assert_null(d);

	fake_init(&f);
	f.pcm[1].stream[1].rates = 1u << 13;	/* 352800 */
	assert_int_equal(vsnd_card_desc_build(&f.t, &f.m, &d, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "pcm 'Three' capture: no rate"));

	fake_init(&f);
	f.ctl[0].num_items = 0;
	assert_int_equal(vsnd_card_desc_build(&f.t, &f.m, &d, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "enum without items"));

	assert_int_equal(vsnd_card_desc_load("/nonexistent/x.tplg", &d, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/x.tplg"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stereo_gives_one_pcm_device_with_playback_and_capture),
		cmocka_unit_test(multi_gives_three_pcm_devices_seven_controls_and_three_jacks),
		cmocka_unit_test(voice_gives_one_mono_16k_capture_stream),
		cmocka_unit_test(formats_and_rates_map_to_virtio_codes),
		cmocka_unit_test(hand_built_model_gives_enums_wide_maps_and_indexes),
		cmocka_unit_test(topologies_the_device_cannot_present_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
