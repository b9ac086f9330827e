// SPDX-License-Identifier: MIT
/*
 * The SOF IPC3 extension on the DSP stream backend (src/daemon/backend-dsp.c with its data
 * thread, topology/host.tplg on null endpoints), driven through a card without a transport:
 * the guest's session ends on a device reset and on a stop of the control queue, and
 * nothing of it is left. Proof: after a reset the card's own topology, which uses the same
 * ids of the guest's slot, loads again and its stream prepares; after a control queue stop
 * the guest's whole topology loads again as IPC (its ids are free).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/backend-dsp.h"
#include "daemon/hostdsp-run.h"
#include "daemon/sof-guest.h"
#include "ipc/ipc3-check.h"
#include "ipc/vfe.h"
#include "snd/card.h"
#include "snd/ctl-msg.h"
#include "test-snd-util.h"
#include "tplg/ipc-gen.h"
#include "util/le.h"

/* The card's thread has no loop here: completions are drained where the backend gives
 * them back at once (flushes), which is all these tests need. */
static int watch_add(void *loop, int fd, uint32_t events, vu_watch_fn fn, void *data)
{
	(void)loop;
	(void)fd;
	(void)events;
	(void)fn;
	(void)data;
	return 0;
}

static void watch_del(void *loop, int fd)
{
	(void)loop;
	(void)fd;
}

static const struct vu_watch_ops watch = { .add = watch_add, .del = watch_del };

struct fix {
	struct tplg *host;
	struct tplg *guest;
	struct hostdsp *h;
	struct hostdsp_run *run;
	bool slots[HOSTDSP_MAX_SLOTS];
	uint8_t *file;
	size_t file_size;
	struct vadspd_dsp_guest dg;
	struct vsnd_card_desc *desc;
	struct vsnd_card *card;
};

static struct tplg *load(const char *name)
{
	struct tplg_error err;
	struct tplg *t = NULL;

	if (tplg_load_file(sndt_topology_path(name), &t, &err) < 0)
		fail_msg("%s: %s", name, err.msg);
	return t;
}

static int setup(void **state)
{
	const struct hostdsp_run_dai dais[] = { { "DAI0.OUT", "null" }, { "DAI0.IN", "null" } };
	struct fix *f = calloc(1, sizeof(*f));
	struct vsnd_card_config cfg = { .backend = &vsnd_backend_dsp, .watch = &watch };

	assert_non_null(f);
	f->host = load("host");
	f->guest = load("stereo");
	assert_int_equal(sof_guest_read_topology(sndt_topology_path("stereo"), &f->file,
						 &f->file_size), 0);
	assert_int_equal(hostdsp_create(&f->h, f->host, 0, 0), 0);
	assert_int_equal(hostdsp_run_start(&f->run, f->h, dais, 2), 0);
	f->dg = (struct vadspd_dsp_guest){
		.run = f->run, .topology = f->guest, .slots = f->slots,
		.topology_bytes = f->file, .topology_size = f->file_size,
	};
	f->desc = sndt_desc("stereo");
	cfg.desc = f->desc;
	cfg.backend_data = &f->dg;
	assert_int_equal(vsnd_card_new(&f->card, &cfg), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	vsnd_card_free(f->card);
	hostdsp_run_stop(f->run);
	hostdsp_destroy(f->h);
	vsnd_card_desc_free(f->desc);
	tplg_free(f->host);
	tplg_free(f->guest);
	free(f->file);
	free(f);
	return 0;
}

/* One IPC request through the card; the reply's error field. */
static int32_t ipc(struct fix *f, const void *msg, uint32_t len, uint8_t *reply)
{
	uint8_t req[4 + IPC3_MSG_MAX_SIZE];
	struct sndt_resp r;

	put_le32(req, VADSP_SND_R_SOF_IPC);
	memcpy(req + 4, msg, len);
	assert_int_equal(sndt_call(f->card, req, 4 + len, 4 + IPC3_MSG_MAX_SIZE, &r),
			 VIRTIO_SND_S_OK);
	assert_int_equal(get_le32(r.data), (uint32_t)r.used - 4);
	if (reply)
		memcpy(reply, r.data, IPC3_MSG_MAX_SIZE);
	return (int32_t)get_le32(r.data + 8);
}

static bool is_cp(const struct tplg *t, int32_t w)
{
	return w >= 0 && t->widgets[w].tokens.vadsp.cp_name[0] &&
	       (t->widgets[w].id == TPLG_DAPM_DAI_IN || t->widgets[w].id == TPLG_DAPM_DAI_OUT);
}

/* The guest topology as IPC with the slot's id base; return PCM0P's id. */
static uint32_t sof_load(struct fix *f, uint32_t base)
{
	struct tplg_ipc_opts opts = { .id_base = base };
	struct tplg_ipc_seq *seq;
	struct tplg_error err;
	uint32_t host = 0;

	assert_int_equal(tplg_ipc_build(f->guest, &opts, &seq, &err), 0);
	for (uint32_t i = 0; i < seq->num_msgs; i++) {
		struct tplg_ipc_msg *m = &seq->msgs[i];

		if (m->cmd == IPC3_TPLG_COMP_NEW && is_cp(f->guest, m->widget)) {
			uint32_t ord = 0;

			for (int32_t k = 0; k < m->widget; k++)
				ord += is_cp(f->guest, k);
			put_le32(m->data + offsetof(struct ipc3_comp_dai, type),
				 VADSP_DAI_CONNECTION_POINT);
			put_le32(m->data + offsetof(struct ipc3_comp_dai, dai_index), ord);
		}
		if (ipc(f, m->data, m->size, NULL) != 0)
			fail_msg("%s refused", m->desc);
		if (m->cmd == IPC3_TPLG_COMP_NEW && m->widget >= 0 &&
		    !strcmp(f->guest->widgets[m->widget].name, "PCM0P"))
			host = get_le32(m->data + 8);
	}
	tplg_ipc_seq_free(seq);
	return host;
}

/* Load, prepare and start a stream as the guest; return the id base. */
static uint32_t sof_start(struct fix *f)
{
	struct ipc3_msg m = { .cmd = IPC3_STREAM_PCM_PARAMS };
	uint8_t buf[IPC3_MSG_MAX_SIZE], reply[IPC3_MSG_MAX_SIZE];
	uint32_t base, host;
	int n;

	put_le32(buf, 8);
	put_le32(buf + 4, IPC3_TPLG_VFE_COMP_ID);
	assert_int_equal(ipc(f, buf, 8, reply), 0);
	base = get_le32(reply + 20);
	host = sof_load(f, base);
	m.u.pcm = (struct ipc3_msg_pcm_params){
		.comp_id = host, .direction = IPC3_STREAM_PLAYBACK,
		.frame_fmt = IPC3_FRAME_S16_LE, .rate = 48000, .channels = 2,
		.sample_valid_bytes = 2, .sample_container_bytes = 2, .host_period_bytes = 1920,
		.buffer_size = 4 * 1920,
	};
	n = ipc3_encode(&m, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(ipc(f, buf, (uint32_t)n, reply), 0);
	assert_int_equal(get_le32(reply + 16), 0);		/* stream id 0 */
	memset(&m, 0, sizeof(m));
	m.cmd = IPC3_STREAM_TRIG_START;
	m.u.id = host;
	n = ipc3_encode(&m, buf, sizeof(buf));
	assert_int_equal(ipc(f, buf, (uint32_t)n, NULL), 0);
	return base;
}

static void device_reset_frees_the_session_and_the_card_loads_again(void **state)
{
	struct fix *f = *state;
	uint8_t q[64];
	struct sndt_resp r;
	uint32_t base;

	assert_int_equal(vsnd_sof_set(f->card, true), 0);
	base = sof_start(f);
	assert_int_equal(base, HOSTDSP_GUEST_ID_BASE);
	vsnd_card_reset(f->card);
	assert_false(f->card->sof);
	/* The card's own topology is back in the slot, with the same ids: its stream plays. */
	assert_int_equal(sndt_call(f->card, q, sndt_set_params(q, 0, 4 * 1920, 1920, 2,
							       VIRTIO_SND_PCM_FMT_S16,
							       VIRTIO_SND_PCM_RATE_48000, 0),
				   4, &r), VIRTIO_SND_S_OK);
	assert_int_equal(sndt_call(f->card, q, sndt_pcm(q, VIRTIO_SND_R_PCM_PREPARE, 0), 4, &r),
			 VIRTIO_SND_S_OK);
	assert_int_equal(sndt_call(f->card, q, sndt_pcm(q, VIRTIO_SND_R_PCM_START, 0), 4, &r),
			 VIRTIO_SND_S_OK);
	/* And the extension again: that stream goes, the guest's session starts afresh. */
	assert_int_equal(vsnd_sof_set(f->card, true), 0);
	assert_int_equal(sof_start(f), base);
}

static void control_queue_stop_frees_the_session(void **state)
{
	struct fix *f = *state;
	uint8_t buf[12], reply[IPC3_MSG_MAX_SIZE];
	uint32_t base;

	assert_int_equal(vsnd_sof_set(f->card, true), 0);
	base = sof_start(f);
	vsnd_card_queue_stop(f->card, VSND_VQ_CONTROL);
	assert_true(f->card->sof);
	/* A new session: it was reset (first power-on), and every id is free again. */
	put_le32(buf, 12);
	put_le32(buf + 4, IPC3_PM_VFE_POWER_STATUS);
	put_le32(buf + 8, 1);
	assert_int_equal(ipc(f, buf, 12, reply), 0);
	assert_int_equal(get_le32(reply + 12), 1);
	assert_int_equal(sof_start(f), base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			device_reset_frees_the_session_and_the_card_loads_again, setup, teardown),
		cmocka_unit_test_setup_teardown(control_queue_stop_frees_the_session, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
