// SPDX-License-Identifier: MIT
/*
 * A DSP-aware guest's connection points (docs/protocol.md 4.6) on the shared host DSP
 * (topology/host.tplg, guests of topology/stereo.tplg), in process: COMP_FREE of a
 * connection point detaches its buffer from the host mixer or demux at once (the slot count
 * drops and the same guest connects again), is refused with -EBUSY while its pipeline is
 * prepared or running, and the end of a guest frees its slots; another guest's playback
 * through the mixer stays bit-exact while one leaves and comes back.
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

#include "daemon/hostdsp.h"
#include "daemon/sof-guest.h"
#include "ipc/ipc3-check.h"
#include "ipc/vfe.h"
#include "tplg/ipc-gen.h"
#include "tplg/tplg.h"
#include "util/le.h"

#define CH		2u
#define PERIOD		48u		/* frames per 1 ms tick at 48 kHz */
#define TICKS		80u
#define OUT_FRAMES	(TICKS * PERIOD)

/* One guest's ids, as its topology load named them. */
struct ids {
	uint32_t play_host, rec_host;
	uint32_t cp_play, cp_rec;	/* connection points */
	uint32_t play_buf, rec_buf;	/* the buffers attached to them */
	uint32_t play_pipe, rec_pipe;	/* the pipelines (comp_id) of those buffers */
	uint8_t cp_play_msg[IPC3_MSG_MAX_SIZE], cp_rec_msg[IPC3_MSG_MAX_SIZE];
	uint32_t cp_play_len, cp_rec_len;
};

struct out {
	int32_t buf[OUT_FRAMES * CH];
	uint32_t frames;
};

struct fix {
	struct tplg *host;
	struct tplg *guest;
	struct hostdsp *h;
	struct sof_guest *sg;
	struct ids a;
	struct out out;
};

static struct tplg *load(const char *name)
{
	struct tplg_error err;
	struct tplg *t = NULL;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", getenv("VADSP_TOPOLOGY_DIR"), name);
	if (tplg_load_file(path, &t, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	return t;
}

static struct sof_guest *session(struct fix *f, uint32_t slot)
{
	struct sof_guest_config cfg = { .h = f->h, .slot = slot, .tplg = f->guest };
	struct sof_guest *sg = NULL;

	assert_int_equal(sof_guest_create(&sg, &cfg), 0);
	return sg;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->host = load("host.tplg");
	f->guest = load("stereo.tplg");
	assert_int_equal(hostdsp_create(&f->h, f->host, 1000, 48000), 0);
	f->sg = session(f, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	sof_guest_destroy(f->sg);
	hostdsp_destroy(f->h);
	tplg_free(f->host);
	tplg_free(f->guest);
	free(f);
	return 0;
}

/* Send @len bytes; return the reply's error field. */
static int32_t raw(struct sof_guest *sg, const void *msg, size_t len)
{
	uint8_t r[IPC3_MSG_MAX_SIZE];
	int n = sof_guest_ipc(sg, msg, len, r, sizeof(r));

	assert_true(n >= 12);
	return (int32_t)get_le32(r + 8);
}

static int32_t send(struct sof_guest *sg, const struct ipc3_msg *m)
{
	uint8_t buf[IPC3_MSG_MAX_SIZE];
	int n = ipc3_encode(m, buf, sizeof(buf));

	assert_true(n > 0);
	return raw(sg, buf, (size_t)n);
}

static int32_t send_id(struct sof_guest *sg, uint32_t cmd, uint32_t id)
{
	struct ipc3_msg m = { .cmd = cmd };

	m.u.id = id;
	return send(sg, &m);
}

static int32_t connect_ids(struct sof_guest *sg, uint32_t src, uint32_t sink)
{
	struct ipc3_msg m = { .cmd = IPC3_TPLG_COMP_CONNECT };

	m.u.connect.source_id = src;
	m.u.connect.sink_id = sink;
	return send(sg, &m);
}

static bool is_cp(const struct tplg *t, int32_t w)
{
	return w >= 0 && t->widgets[w].tokens.vadsp.cp_name[0] &&
	       (t->widgets[w].id == TPLG_DAPM_DAI_IN || t->widgets[w].id == TPLG_DAPM_DAI_OUT);
}

/* The pipeline (comp_id) of guest pipeline block @index in @seq. */
static uint32_t pipe_of(const struct tplg_ipc_seq *seq, uint32_t index)
{
	for (uint32_t i = 0; i < seq->num_msgs; i++)
		if (seq->msgs[i].cmd == IPC3_TPLG_PIPE_NEW &&
		    get_le32(seq->msgs[i].data + offsetof(struct ipc3_pipe_new, pipeline_id)) ==
		    index)
			return get_le32(seq->msgs[i].data + 8);
	fail_msg("no pipeline %u", index);
	return 0;
}

/* The guest topology as the guest sends it (4.11 step 5), connection points as 4.6 says. */
static void load_topology(struct fix *f, struct sof_guest *sg, uint32_t slot, struct ids *ids)
{
	struct tplg_ipc_opts opts = { .id_base = HOSTDSP_GUEST_ID_BASE * (slot + 1) };
	const struct tplg *t = f->guest;
	struct tplg_ipc_seq *seq;
	struct tplg_error err;

	assert_int_equal(tplg_ipc_build(t, &opts, &seq, &err), 0);
	for (uint32_t i = 0; i < seq->num_msgs; i++) {
		struct tplg_ipc_msg *m = &seq->msgs[i];
		const struct tplg_widget *w = m->widget >= 0 ? &t->widgets[m->widget] : NULL;

		if (m->cmd == IPC3_TPLG_COMP_NEW && is_cp(t, m->widget)) {
			bool play = w->id == TPLG_DAPM_DAI_IN;
			uint32_t ord = 0;

			for (int32_t k = 0; k < m->widget; k++)
				ord += is_cp(t, k);
			put_le32(m->data + offsetof(struct ipc3_comp_dai, type),
				 VADSP_DAI_CONNECTION_POINT);
			put_le32(m->data + offsetof(struct ipc3_comp_dai, dai_index), ord);
			memcpy(play ? ids->cp_play_msg : ids->cp_rec_msg, m->data, m->size);
			*(play ? &ids->cp_play_len : &ids->cp_rec_len) = m->size;
			*(play ? &ids->cp_play : &ids->cp_rec) = get_le32(m->data + 8);
			*(play ? &ids->play_pipe : &ids->rec_pipe) = pipe_of(seq, w->index);
		}
		if (m->cmd == IPC3_TPLG_COMP_CONNECT && m->route >= 0 &&
		    is_cp(t, (int32_t)t->routes[m->route].sink_widget))
			ids->play_buf = get_le32(m->data + 8);
		if (m->cmd == IPC3_TPLG_COMP_CONNECT && m->route >= 0 &&
		    is_cp(t, (int32_t)t->routes[m->route].source_widget))
			ids->rec_buf = get_le32(m->data + 12);
		if (raw(sg, m->data, m->size) != 0)
			fail_msg("%s refused", m->desc);
		if (w && m->cmd == IPC3_TPLG_COMP_NEW && !strcmp(w->name, "PCM0P"))
			ids->play_host = get_le32(m->data + 8);
		if (w && m->cmd == IPC3_TPLG_COMP_NEW && !strcmp(w->name, "PCM0C"))
			ids->rec_host = get_le32(m->data + 8);
	}
	tplg_ipc_seq_free(seq);
	assert_true(ids->cp_play && ids->cp_rec && ids->play_buf && ids->rec_buf);
}

/* PCM_PARAMS, S16_LE stereo 48 kHz; the stream id, or the error. */
static int32_t pcm_params(struct sof_guest *sg, uint32_t host, bool playback)
{
	struct ipc3_msg m = { .cmd = IPC3_STREAM_PCM_PARAMS };

	uint8_t buf[IPC3_MSG_MAX_SIZE], r[IPC3_MSG_MAX_SIZE];
	int n;

	m.u.pcm = (struct ipc3_msg_pcm_params){
		.comp_id = host,
		.direction = playback ? IPC3_STREAM_PLAYBACK : IPC3_STREAM_CAPTURE,
		.frame_fmt = IPC3_FRAME_S16_LE,
		.rate = 48000,
		.channels = CH,
		.sample_valid_bytes = 2,
		.sample_container_bytes = 2,
		.host_period_bytes = PERIOD * CH * 2,
		.buffer_size = 4 * PERIOD * CH * 2,
	};
	n = ipc3_encode(&m, buf, sizeof(buf));
	assert_true(n > 0);
	n = sof_guest_ipc(sg, buf, (size_t)n, r, sizeof(r));
	assert_true(n >= 12);
	if (get_le32(r + 8))
		return (int32_t)get_le32(r + 8);
	assert_int_equal(n, sizeof(struct ipc3_pcm_params_reply));
	return (int32_t)get_le32(r + offsetof(struct ipc3_pcm_params_reply, posn_offset));
}

/* Buffers attached to the host points main-out (mixer inputs) and main-in (demux outputs). */
static int mixer_inputs(const struct fix *f)
{
	return hostdsp_cp_connections(f->h, "main-out", true);
}

static int demux_outputs(const struct fix *f)
{
	return hostdsp_cp_connections(f->h, "main-in", false);
}

/* The state of the host pipeline of DAI @dai (the mixer's or the demux's). */
static int host_state(const struct fix *f, const char *dai)
{
	int id = hostdsp_dai_pipeline(f->h, dai);

	assert_true(id >= 0);
	return dsp_comp_state(hostdsp_engine(f->h), (uint32_t)id);
}

/* The connection point is created again and its buffer attached: the pipeline completes. */
static void reconnect(struct sof_guest *sg, const struct ids *ids)
{
	assert_int_equal(raw(sg, ids->cp_play_msg, ids->cp_play_len), 0);
	assert_int_equal(connect_ids(sg, ids->play_buf, ids->cp_play), 0);
	assert_int_equal(send_id(sg, IPC3_TPLG_PIPE_COMPLETE, ids->play_pipe), 0);
}

/* ---------------------------------------------------------------------------------------- */

static void comp_free_of_a_connection_point_releases_its_slot_at_once(void **state)
{
	struct fix *f = *state;
	struct sof_guest *other;
	struct ids b = { 0 };
	int in0 = mixer_inputs(f), out0 = demux_outputs(f);

	assert_true(in0 >= 1 && out0 >= 1);
	assert_int_equal(hostdsp_cp_connections(f->h, "main-out", false), -ENOENT);
	assert_int_equal(hostdsp_cp_connections(f->h, "nowhere", true), -ENOENT);
	load_topology(f, f->sg, 0, &f->a);
	assert_int_equal(mixer_inputs(f), in0 + 1);
	assert_int_equal(demux_outputs(f), out0 + 1);

	/* Playback: the buffer leaves the mixer now, not when it is freed. */
	assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->a.cp_play), 0);
	assert_int_equal(mixer_inputs(f), in0);
	assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->a.cp_play), -ENOENT);
	/* Its pipeline lost an end: it must complete again, and cannot take a stream. */
	assert_int_equal(pcm_params(f->sg, f->a.play_host, true), -EINVAL);
	/* Capture: the buffer leaves the demux, its routing with it. */
	assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->a.cp_rec), 0);
	assert_int_equal(demux_outputs(f), out0);

	/* The same guest connects again and plays and records. */
	reconnect(f->sg, &f->a);
	assert_int_equal(mixer_inputs(f), in0 + 1);
	assert_int_equal(raw(f->sg, f->a.cp_rec_msg, f->a.cp_rec_len), 0);
	assert_int_equal(connect_ids(f->sg, f->a.cp_rec, f->a.rec_buf), 0);
	assert_int_equal(send_id(f->sg, IPC3_TPLG_PIPE_COMPLETE, f->a.rec_pipe), 0);
	assert_int_equal(demux_outputs(f), out0 + 1);
	/* A second connect is still refused. */
	assert_int_equal(connect_ids(f->sg, f->a.play_buf, f->a.cp_play), -EBUSY);
	assert_int_equal(pcm_params(f->sg, f->a.play_host, true), 0);
	assert_int_equal(pcm_params(f->sg, f->a.rec_host, false), 1);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_START, f->a.play_host), 0);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_START, f->a.rec_host), 0);
	assert_int_equal(host_state(f, "DAI0.OUT"), DSP_STATE_ACTIVE);
	assert_int_equal(host_state(f, "DAI0.IN"), DSP_STATE_ACTIVE);

	/* Leave and come back many times: one slot each time, not one per connect. */
	assert_int_equal(send_id(f->sg, IPC3_STREAM_PCM_FREE, f->a.play_host), 0);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->a.cp_play), 0);
		reconnect(f->sg, &f->a);
	}
	assert_int_equal(mixer_inputs(f), in0 + 1);

	/* Another guest attaches beside it. */
	other = session(f, 1);
	load_topology(f, other, 1, &b);
	assert_int_equal(mixer_inputs(f), in0 + 2);
	assert_int_equal(demux_outputs(f), out0 + 2);
	sof_guest_destroy(other);
	assert_int_equal(mixer_inputs(f), in0 + 1);
	assert_int_equal(demux_outputs(f), out0 + 1);
}

/* As COMP_FREE of any component: not while its pipeline is prepared or running. */
static void comp_free_of_a_connection_point_of_a_busy_pipeline_is_ebusy(void **state)
{
	struct fix *f = *state;
	int in0 = mixer_inputs(f), out0 = demux_outputs(f);

	load_topology(f, f->sg, 0, &f->a);
	assert_int_equal(pcm_params(f->sg, f->a.play_host, true), 0);
	assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->a.cp_play), -EBUSY);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_START, f->a.play_host), 0);
	assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->a.cp_play), -EBUSY);
	assert_int_equal(pcm_params(f->sg, f->a.rec_host, false), 1);
	assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->a.cp_rec), -EBUSY);
	/* Nothing changed: still attached, still the guest's, still one connection. */
	assert_int_equal(mixer_inputs(f), in0 + 1);
	assert_int_equal(demux_outputs(f), out0 + 1);
	assert_int_equal(connect_ids(f->sg, f->a.play_buf, f->a.cp_play), -EBUSY);
	/* Stopped and freed, it goes. */
	assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_STOP, f->a.play_host), 0);
	assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->a.cp_play), -EBUSY);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_PCM_FREE, f->a.play_host), 0);
	assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->a.cp_play), 0);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_PCM_FREE, f->a.rec_host), 0);
	assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->a.cp_rec), 0);
	assert_int_equal(mixer_inputs(f), in0);
	assert_int_equal(demux_outputs(f), out0);
}

/* A connection point that was never connected, or whose pipeline was freed, just goes. */
static void comp_free_of_an_unconnected_or_pipeline_less_point_answers_0(void **state)
{
	struct fix *f = *state;
	int in0 = mixer_inputs(f);

	load_topology(f, f->sg, 0, &f->a);
	assert_int_equal(send_id(f->sg, IPC3_TPLG_PIPE_FREE, f->a.play_pipe), 0);
	assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->a.cp_play), 0);
	assert_int_equal(mixer_inputs(f), in0);
	assert_int_equal(raw(f->sg, f->a.cp_play_msg, f->a.cp_play_len), 0);
	assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->a.cp_play), 0);
	assert_int_equal(mixer_inputs(f), in0);
}

/* The end of a guest (PM_CTX_SAVE, the end of its session) frees its slots too. */
static void the_end_of_a_guest_releases_its_slots(void **state)
{
	struct fix *f = *state;
	struct ipc3_msg m = { .cmd = IPC3_PM_CTX_SAVE };
	int in0 = mixer_inputs(f), out0 = demux_outputs(f);

	load_topology(f, f->sg, 0, &f->a);
	assert_int_equal(pcm_params(f->sg, f->a.play_host, true), 0);
	assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_START, f->a.play_host), 0);
	assert_int_equal(send(f->sg, &m), 0);
	assert_int_equal(mixer_inputs(f), in0);
	assert_int_equal(demux_outputs(f), out0);
	load_topology(f, f->sg, 0, &f->a);
	assert_int_equal(mixer_inputs(f), in0 + 1);
	sof_guest_destroy(f->sg);
	assert_int_equal(mixer_inputs(f), in0);
	assert_int_equal(demux_outputs(f), out0);
	f->sg = session(f, 0);
	load_topology(f, f->sg, 0, &f->a);
	assert_int_equal(mixer_inputs(f), in0 + 1);
	assert_int_equal(demux_outputs(f), out0 + 1);
	/* Its streams reach the host's mixer and demux pipelines again. */
	assert_int_equal(pcm_params(f->sg, f->a.play_host, true), 0);
	assert_int_equal(pcm_params(f->sg, f->a.rec_host, false), 1);
	assert_int_equal(host_state(f, "DAI0.OUT"), DSP_STATE_PREPARE);
	assert_int_equal(host_state(f, "DAI0.IN"), DSP_STATE_PREPARE);
}

/* ---------------------------------------------------------------------------------------- */

static int out_write(void *opaque, const void *buf, uint32_t frames)
{
	struct out *o = opaque;
	uint32_t n = frames;

	if (n > OUT_FRAMES - o->frames)
		n = OUT_FRAMES - o->frames;
	memcpy(o->buf + (size_t)o->frames * CH, buf, (size_t)n * CH * sizeof(int32_t));
	o->frames += n;
	return (int)frames;
}

/* Fill @host's ring: @sig frames from *@pos (zeros if @sig is false). */
static void feed(struct fix *f, uint32_t host, bool sig, uint64_t *pos)
{
	int16_t frames[PERIOD * 8 * CH];
	int room = dsp_host_avail(hostdsp_engine(f->h), host);

	assert_true(room >= 0);
	if ((uint32_t)room > PERIOD * 8)
		room = PERIOD * 8;
	for (int i = 0; i < room; i++)
		for (uint32_t c = 0; c < CH; c++)
			frames[(size_t)i * CH + c] = sig ? (int16_t)(((*pos + (uint64_t)i) * 7919u +
								   c * 104729u) % 50000u - 25000) : 0;
	assert_int_equal(dsp_host_write(hostdsp_engine(f->h), host, frames, (uint32_t)room), room);
	*pos += (uint64_t)room;
}

/*
 * Guest B (slot 1) plays a signal for TICKS ms through the host mixer to DAI0.OUT; guest A
 * (slot 0) is loaded beside it. With @churn, A's playback connection point is freed, created
 * again, A plays silence through it, stops, frees it again and A's session ends, all while B
 * plays. Return the DAI's output in f->out.
 */
static void run_beside(struct fix *f, bool churn)
{
	struct dsp_dai_io io = { .write = out_write, .opaque = &f->out, .fmt = DSP_FMT_S32_LE,
				 .rate = 48000, .channels = CH };
	struct dsp_engine *e = hostdsp_engine(f->h);
	int dai = hostdsp_dai_id(f->h, "DAI0.OUT"), pipe = hostdsp_dai_pipeline(f->h, "DAI0.OUT");
	struct sof_guest *b = session(f, 1);
	struct ids bi = { 0 };
	uint64_t pos_a = 0, pos_b = 0;
	bool a_plays = false;
	int in0;

	assert_true(dai >= 0 && pipe >= 0);
	assert_int_equal(dsp_dai_bind(e, (uint32_t)dai, &io), 0);
	assert_int_equal(dsp_pipeline_params(e, (uint32_t)pipe, 48000, CH), 0);
	assert_int_equal(dsp_trigger(e, (uint32_t)pipe, DSP_TRIGGER_START), 0);
	in0 = mixer_inputs(f);
	load_topology(f, f->sg, 0, &f->a);
	load_topology(f, b, 1, &bi);
	assert_int_equal(pcm_params(b, bi.play_host, true), 0);
	feed(f, bi.play_host, true, &pos_b);
	assert_int_equal(send_id(b, IPC3_STREAM_TRIG_START, bi.play_host), 0);
	for (uint32_t t = 0; t < TICKS; t++) {
		if (churn && t == 10) {
			assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->a.cp_play), 0);
			assert_int_equal(mixer_inputs(f), in0 + 1);
		}
		if (churn && t == 20) {
			reconnect(f->sg, &f->a);
			assert_int_equal(mixer_inputs(f), in0 + 2);
			assert_int_equal(pcm_params(f->sg, f->a.play_host, true), 0);
			feed(f, f->a.play_host, false, &pos_a);
			assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_START, f->a.play_host), 0);
			a_plays = true;
		}
		if (churn && t == 40) {
			assert_int_equal(send_id(f->sg, IPC3_STREAM_TRIG_STOP, f->a.play_host), 0);
			assert_int_equal(send_id(f->sg, IPC3_STREAM_PCM_FREE, f->a.play_host), 0);
			assert_int_equal(send_id(f->sg, IPC3_TPLG_COMP_FREE, f->a.cp_play), 0);
			assert_int_equal(mixer_inputs(f), in0 + 1);
			a_plays = false;
		}
		if (churn && t == 50) {
			sof_guest_destroy(f->sg);
			f->sg = NULL;
			assert_int_equal(mixer_inputs(f), in0 + 1);
		}
		if (a_plays)
			feed(f, f->a.play_host, false, &pos_a);
		feed(f, bi.play_host, true, &pos_b);
		assert_true(dsp_engine_tick(e) > 0);
	}
	/* A's stream really ran in the mixer meanwhile. */
	assert_true(!churn || pos_a >= 20 * PERIOD);
	sof_guest_destroy(b);
	assert_int_equal(mixer_inputs(f), churn ? in0 : in0 + 1);
}

static void another_guest_plays_bit_exact_while_one_leaves_and_comes_back(void **state)
{
	struct fix *f = *state, *ref;
	uint32_t nonzero = 0;

	assert_int_equal(setup((void **)&ref), 0);
	run_beside(ref, false);
	run_beside(f, true);
	assert_int_equal(f->out.frames, OUT_FRAMES);
	assert_int_equal(ref->out.frames, OUT_FRAMES);
	for (uint32_t i = 0; i < OUT_FRAMES * CH; i++)
		nonzero += ref->out.buf[i] != 0;
	assert_true(nonzero > OUT_FRAMES);	/* B's signal is there */
	assert_memory_equal(f->out.buf, ref->out.buf, sizeof(f->out.buf));
	assert_int_equal(teardown((void **)&ref), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			comp_free_of_a_connection_point_releases_its_slot_at_once, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			comp_free_of_a_connection_point_of_a_busy_pipeline_is_ebusy, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			comp_free_of_an_unconnected_or_pipeline_less_point_answers_0, setup,
			teardown),
		cmocka_unit_test_setup_teardown(the_end_of_a_guest_releases_its_slots, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			another_guest_plays_bit_exact_while_one_leaves_and_comes_back, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
