// SPDX-License-Identifier: MIT
/*
 * Topology -> IPC3 conversion: the exact sequence for sof-imx8-wm8960 (ids, sched ids,
 * buffers, volume ranges, routes, message sizes with the UUID extension, order), the
 * driver's volume formula, process blobs, the failures a driver would report, id bases and
 * dynamic pipelines, every file of Debian's firmware-sof-signed, and the project's own
 * topologies (compiled from the topology/ sources) through parse, model, dump and conversion.
 *
 * Real files are read from /lib/firmware/intel/sof-tplg (VADSP_SOF_TPLG_DIR overrides);
 * the project's topologies from VADSP_TOPOLOGY_DIR (set by meson to the build directory).
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test-tplg-util.h"
#include "ipc/ipc3.h"
#include "tplg/dump.h"
#include "tplg/ipc-gen.h"
#include "tplg/model.h"
#include "tplg/tplg.h"
#include "util/le.h"

static struct tplg *load(const char *dir, const char *name)
{
	struct tplg_error err;
	struct tplg *t = NULL;
	char path[512];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ret = tplg_load_file(path, &t, &err);
	if (ret < 0)
		fail_msg("%s: %s", path, err.msg);
	return t;
}

static struct tplg_ipc_seq *build(const struct tplg *t, const struct tplg_ipc_opts *opts)
{
	struct tplg_ipc_seq *seq = NULL;
	struct tplg_error err;
	int ret;

	ret = tplg_ipc_build(t, opts, &seq, &err);
	if (ret < 0)
		fail_msg("conversion failed (%d): %s", ret, err.msg);
	return seq;
}

static uint32_t field(const struct tplg_ipc_msg *m, size_t off)
{
	assert_true(off + 4 <= m->size);
	return get_le32(m->data + off);
}

/* Message @i is a COMP_NEW/BUFFER_NEW/PIPE_NEW of component @id and @size bytes. */
static void assert_new(const struct tplg_ipc_msg *m, uint32_t cmd, uint32_t id, uint32_t size)
{
	assert_int_equal(m->cmd, cmd);
	assert_int_equal(m->size, size);
	assert_int_equal(field(m, offsetof(struct ipc3_cmd_hdr, size)), size);
	assert_int_equal(field(m, offsetof(struct ipc3_cmd_hdr, cmd)), cmd);
	if (cmd == IPC3_TPLG_PIPE_NEW)
		assert_int_equal(field(m, offsetof(struct ipc3_pipe_new, comp_id)), id);
	else
		assert_int_equal(field(m, offsetof(struct ipc3_comp, id)), id);
}

static const struct tplg_ipc_msg *find_new(const struct tplg_ipc_seq *seq, uint32_t id)
{
	for (uint32_t i = 0; i < seq->num_msgs; i++) {
		const struct tplg_ipc_msg *m = &seq->msgs[i];

		if (m->cmd == IPC3_TPLG_COMP_NEW || m->cmd == IPC3_TPLG_BUFFER_NEW) {
			if (field(m, offsetof(struct ipc3_comp, id)) == id)
				return m;
		} else if (m->cmd == IPC3_TPLG_PIPE_NEW &&
			   field(m, offsetof(struct ipc3_pipe_new, comp_id)) == id) {
			return m;
		}
	}
	fail_msg("no message creates component %u", id);
	return NULL;
}

/* The wm8960 reference: ids and sizes in sending order (reverse load order). */
static void wm8960_creates_every_component_in_reverse_load_order(void **state)
{
	static const struct {
		uint32_t cmd;
		uint32_t id;
		uint32_t size;
	} want[] = {
		{ IPC3_TPLG_PIPE_NEW, 11, 48 },		/* PIPELINE.2.SAI1.IN */
		{ IPC3_TPLG_COMP_NEW, 10, 96 },		/* SAI1.IN: dai 80 + UUID 16 */
		{ IPC3_TPLG_BUFFER_NEW, 9, 44 },	/* BUF2.1 */
		{ IPC3_TPLG_BUFFER_NEW, 8, 44 },	/* BUF2.0 */
		{ IPC3_TPLG_COMP_NEW, 7, 100 },		/* PGA2.0: volume 84 + 16 */
		{ IPC3_TPLG_COMP_NEW, 6, 92 },		/* PCM0C: host 76 + 16 */
		{ IPC3_TPLG_PIPE_NEW, 5, 48 },		/* PIPELINE.1.SAI1.OUT */
		{ IPC3_TPLG_COMP_NEW, 4, 96 },		/* SAI1.OUT */
		{ IPC3_TPLG_BUFFER_NEW, 3, 44 },	/* BUF1.1 */
		{ IPC3_TPLG_BUFFER_NEW, 2, 44 },	/* BUF1.0 */
		{ IPC3_TPLG_COMP_NEW, 1, 100 },		/* PGA1.0 */
		{ IPC3_TPLG_COMP_NEW, 0, 92 },		/* PCM0P */
	};
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-wm8960.tplg");
	struct tplg_ipc_seq *seq = build(t, NULL);

	assert_int_equal(seq->num_msgs, 12 + 8 + 2);
	assert_int_equal(seq->id_base, 0);
	assert_int_equal(seq->num_ids, 12);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct tplg_ipc_msg *m = &seq->msgs[i];

		assert_new(m, want[i].cmd, want[i].id, want[i].size);
		assert_int_equal(m->widget, (int32_t)want[i].id);
		assert_false(m->dynamic);
	}
	/* Every component carries its widget's pipeline (block index). */
	for (uint32_t id = 0; id < 12; id++) {
		const struct tplg_ipc_msg *m = find_new(seq, id);
		size_t off = m->cmd == IPC3_TPLG_PIPE_NEW ?
			     offsetof(struct ipc3_pipe_new, pipeline_id) :
			     offsetof(struct ipc3_comp, pipeline_id);

		assert_int_equal(field(m, off), id < 6 ? 1 : 2);
		assert_string_equal(t->widgets[id].name, t->widgets[m->widget].name);
	}
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

static void wm8960_components_carry_their_uuid_extension(void **state)
{
	static const uint8_t host_uuid[16] = {
		0x0c, 0x10, 0x9d, 0x8b, 0x78, 0x6d, 0x8f, 0x41,
		0x90, 0xa3, 0xe0, 0xe8, 0x05, 0xd0, 0x85, 0x2b,
	};
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-wm8960.tplg");
	struct tplg_ipc_seq *seq = build(t, NULL);
	const struct tplg_ipc_msg *host = find_new(seq, 0), *vol = find_new(seq, 1);
	const struct tplg_ipc_msg *buf = find_new(seq, 2), *dai = find_new(seq, 4);

	assert_int_equal(field(host, offsetof(struct ipc3_comp, ext_data_length)), 16);
	assert_memory_equal(host->data + sizeof(struct ipc3_comp_host), host_uuid, 16);
	assert_int_equal(field(vol, offsetof(struct ipc3_comp, ext_data_length)), 16);
	assert_memory_equal(vol->data + sizeof(struct ipc3_comp_volume),
			    t->widgets[1].tokens.comp.uuid, 16);
	assert_int_equal(field(dai, offsetof(struct ipc3_comp, ext_data_length)), 16);
	assert_memory_equal(dai->data + sizeof(struct ipc3_comp_dai),
			    t->widgets[4].tokens.comp.uuid, 16);
	/* Buffers have no extension. */
	assert_int_equal(field(buf, offsetof(struct ipc3_buffer, comp.ext_data_length)), 0);
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

static void wm8960_pipelines_are_scheduled_by_their_dai(void **state)
{
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-wm8960.tplg");
	struct tplg_ipc_seq *seq = build(t, NULL);
	const struct tplg_ipc_msg *p1 = find_new(seq, 5), *p2 = find_new(seq, 11);

	assert_int_equal(field(p1, offsetof(struct ipc3_pipe_new, sched_id)), 4);
	assert_int_equal(field(p2, offsetof(struct ipc3_pipe_new, sched_id)), 10);
	for (int i = 0; i < 2; i++) {
		const struct tplg_ipc_msg *p = i ? p2 : p1;

		assert_int_equal(field(p, offsetof(struct ipc3_pipe_new, period)), 1000);
		assert_int_equal(field(p, offsetof(struct ipc3_pipe_new, priority)), 0);
		assert_int_equal(field(p, offsetof(struct ipc3_pipe_new, core)), 0);
		assert_int_equal(field(p, offsetof(struct ipc3_pipe_new, period_mips)), 5000);
		assert_int_equal(field(p, offsetof(struct ipc3_pipe_new, frames_per_sched)), 0);
		assert_int_equal(field(p, offsetof(struct ipc3_pipe_new, time_domain)), 0);
		assert_int_equal(field(p, offsetof(struct ipc3_pipe_new, xrun_limit_usecs)), 0);
	}
	/* PIPE_COMPLETE closes the sequence, once per scheduler, in reverse load order. */
	assert_int_equal(seq->msgs[20].cmd, IPC3_TPLG_PIPE_COMPLETE);
	assert_int_equal(seq->msgs[20].size, 12);
	assert_int_equal(field(&seq->msgs[20], offsetof(struct ipc3_pipe_ready, comp_id)), 11);
	assert_int_equal(seq->msgs[21].cmd, IPC3_TPLG_PIPE_COMPLETE);
	assert_int_equal(field(&seq->msgs[21], offsetof(struct ipc3_pipe_ready, comp_id)), 5);
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

static void wm8960_buffers_hold_768_bytes_with_caps_0x61(void **state)
{
	static const uint32_t buffers[] = { 2, 3, 8, 9 };
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-wm8960.tplg");
	struct tplg_ipc_seq *seq = build(t, NULL);

	for (size_t i = 0; i < 4; i++) {
		const struct tplg_ipc_msg *b = find_new(seq, buffers[i]);

		assert_int_equal(b->cmd, IPC3_TPLG_BUFFER_NEW);
		assert_int_equal(field(b, offsetof(struct ipc3_buffer, comp.type)),
				 IPC3_COMP_BUFFER);
		assert_int_equal(field(b, offsetof(struct ipc3_buffer, size)), 768);
		assert_int_equal(field(b, offsetof(struct ipc3_buffer, caps)), 0x61);
		assert_int_equal(field(b, offsetof(struct ipc3_buffer, flags)), 0);
	}
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

static void wm8960_volumes_span_their_tlv_ranges(void **state)
{
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-wm8960.tplg");
	struct tplg_ipc_seq *seq = build(t, NULL);
	const struct tplg_ipc_msg *play = find_new(seq, 1), *cap = find_new(seq, 7);
	double want = pow(10.0, 30.0 / 20.0) * 65536.0;
	uint32_t cap_max;

	/* "1 Master Playback Volume": max 32, -64 dB + 32 * 2 dB = 0 dB; step 0 mutes. */
	assert_int_equal(field(play, offsetof(struct ipc3_comp, type)), IPC3_COMP_VOLUME);
	assert_int_equal(field(play, offsetof(struct ipc3_comp_volume, channels)), 2);
	assert_int_equal(field(play, offsetof(struct ipc3_comp_volume, min_value)), 0);
	assert_int_equal(field(play, offsetof(struct ipc3_comp_volume, max_value)), 0x10000);
	assert_int_equal(field(play, offsetof(struct ipc3_comp_volume, ramp)),
			 IPC3_VOLUME_LINEAR_ZC);
	assert_int_equal(field(play, offsetof(struct ipc3_comp_volume, initial_ramp)), 20);

	/* "2 Master Capture Volume": max 80, -50 dB + 80 * 1 dB = +30 dB. */
	assert_int_equal(field(cap, offsetof(struct ipc3_comp_volume, channels)), 2);
	assert_int_equal(field(cap, offsetof(struct ipc3_comp_volume, min_value)), 0);
	cap_max = field(cap, offsetof(struct ipc3_comp_volume, max_value));
	assert_int_equal(cap_max, 2072775);	/* 30 rounded Q16 products of 73533 */
	assert_true(fabs(cap_max - want) / want < 0.001);
	assert_int_equal(field(cap, offsetof(struct ipc3_comp_volume, ramp)), IPC3_VOLUME_LINEAR);
	assert_int_equal(field(cap, offsetof(struct ipc3_comp_volume, initial_ramp)), 250);
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

static void wm8960_hosts_and_dais_carry_direction_format_and_index(void **state)
{
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-wm8960.tplg");
	struct tplg_ipc_seq *seq = build(t, NULL);
	const struct tplg_ipc_msg *pcm0p = find_new(seq, 0), *pcm0c = find_new(seq, 6);
	const struct tplg_ipc_msg *out = find_new(seq, 4), *in = find_new(seq, 10);
	const struct tplg_ipc_msg *pga = find_new(seq, 1);
	size_t cfg = sizeof(struct ipc3_comp);

	assert_int_equal(field(pcm0p, offsetof(struct ipc3_comp_host, direction)),
			 IPC3_STREAM_PLAYBACK);
	assert_int_equal(field(pcm0c, offsetof(struct ipc3_comp_host, direction)),
			 IPC3_STREAM_CAPTURE);
	assert_int_equal(field(out, offsetof(struct ipc3_comp_dai, type)), IPC3_DAI_IMX_SAI);
	assert_int_equal(field(out, offsetof(struct ipc3_comp_dai, dai_index)), 1);
	assert_int_equal(field(out, offsetof(struct ipc3_comp_dai, direction)),
			 IPC3_STREAM_PLAYBACK);
	assert_int_equal(field(in, offsetof(struct ipc3_comp_dai, direction)),
			 IPC3_STREAM_CAPTURE);
	/* Config: the host has no format token (the driver leaves 0), the others say s32le. */
	assert_int_equal(field(pcm0p, cfg + offsetof(struct ipc3_comp_config, hdr.size)), 36);
	assert_int_equal(field(pcm0p, cfg + offsetof(struct ipc3_comp_config, frame_fmt)),
			 IPC3_FRAME_S16_LE);
	assert_int_equal(field(pcm0p, cfg + offsetof(struct ipc3_comp_config, periods_sink)), 2);
	assert_int_equal(field(pga, cfg + offsetof(struct ipc3_comp_config, frame_fmt)),
			 IPC3_FRAME_S32_LE);
	assert_int_equal(field(out, cfg + offsetof(struct ipc3_comp_config, frame_fmt)),
			 IPC3_FRAME_S32_LE);
	assert_int_equal(field(out, cfg + offsetof(struct ipc3_comp_config, periods_source)), 2);
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

static void wm8960_routes_connect_in_reverse_graph_order(void **state)
{
	static const uint32_t want[][2] = {
		{ 10, 9 }, { 9, 7 }, { 7, 8 }, { 8, 6 },	/* capture graph, last line first */
		{ 3, 4 }, { 1, 3 }, { 2, 1 }, { 0, 2 },		/* playback graph */
	};
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-wm8960.tplg");
	struct tplg_ipc_seq *seq = build(t, NULL);

	for (size_t i = 0; i < 8; i++) {
		const struct tplg_ipc_msg *m = &seq->msgs[12 + i];

		assert_int_equal(m->cmd, IPC3_TPLG_COMP_CONNECT);
		assert_int_equal(m->size, 16);
		assert_int_equal(field(m, offsetof(struct ipc3_pipe_comp_connect, source_id)),
				 want[i][0]);
		assert_int_equal(field(m, offsetof(struct ipc3_pipe_comp_connect, sink_id)),
				 want[i][1]);
		assert_int_equal(m->route, 7 - (int32_t)i);
	}
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

static void id_base_shifts_every_component_reference(void **state)
{
	struct tplg_ipc_opts opts = { .id_base = 1000 };
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-wm8960.tplg");
	struct tplg_ipc_seq *zero = build(t, NULL), *seq = build(t, &opts);

	assert_int_equal(seq->num_msgs, zero->num_msgs);
	assert_int_equal(seq->id_base, 1000);
	assert_new(&seq->msgs[0], IPC3_TPLG_PIPE_NEW, 1011, 48);
	assert_int_equal(field(&seq->msgs[0], offsetof(struct ipc3_pipe_new, sched_id)), 1010);
	assert_int_equal(field(&seq->msgs[0], offsetof(struct ipc3_pipe_new, pipeline_id)), 2);
	assert_new(&seq->msgs[11], IPC3_TPLG_COMP_NEW, 1000, 92);
	assert_int_equal(field(&seq->msgs[12], offsetof(struct ipc3_pipe_comp_connect, source_id)),
			 1010);
	assert_int_equal(field(&seq->msgs[21], offsetof(struct ipc3_pipe_ready, comp_id)), 1005);
	tplg_ipc_seq_free(seq);
	tplg_ipc_seq_free(zero);
	tplg_free(t);
}

static void ids_beyond_32_bits_are_refused(void **state)
{
	struct tplg_ipc_opts opts = { .id_base = UINT32_MAX - 5 };
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-wm8960.tplg");
	struct tplg_ipc_seq *seq = NULL;
	struct tplg_error err;

	assert_int_equal(tplg_ipc_build(t, &opts, &seq, &err), -ERANGE);
	assert_null(seq);
	assert_non_null(strstr(err.msg, "32 bits"));
	tplg_free(t);
}

/* The driver's table against the exact 10^(dB/20): within 0.1% wherever it is not muted. */
static void volume_gains_follow_the_driver_formula(void **state)
{
	uint32_t g;

	assert_int_equal(tplg_ipc_volume_gain(0, -6400, 200, true, &g), 0);
	assert_int_equal(g, 0);
	assert_int_equal(tplg_ipc_volume_gain(0, -6400, 200, false, &g), 0);
	assert_int_equal(g, 41);		/* -64 dB without mute: 65536 * 10^-3.2 */
	assert_int_equal(tplg_ipc_volume_gain(32, -6400, 200, true, &g), 0);
	assert_int_equal(g, 0x10000);
	assert_int_equal(tplg_ipc_volume_gain(70, -5000, 100, true, &g), 0);
	assert_int_equal(g, 655434);		/* +20 dB */
	/* The minimum is truncated to whole dB: -50.50 dB counts as -50 dB. */
	assert_int_equal(tplg_ipc_volume_gain(1, -5050, 100, false, &g), 0);
	assert_int_equal(g, 232);		/* -49 dB */
	/* Half-dB steps: odd steps add 10^(1/40) to the whole-dB gain. */
	assert_int_equal(tplg_ipc_volume_gain(3, -1000, 50, false, &g), 0);
	assert_int_equal(g, 24629);		/* -8.5 dB */

	for (int32_t min = -9000; min <= 0; min += 500) {
		for (uint32_t step = 0; step <= 120 && min / 100 + (int32_t)step <= 40; step++) {
			double want = pow(10.0, (min / 100 + (double)step) / 20.0) * 65536.0;

			assert_int_equal(tplg_ipc_volume_gain(step, min, 100, false, &g), 0);
			if (want > 1000.0)
				assert_true(fabs(g - want) / want < 0.001);
			else
				assert_true(fabs(g - want) < 2.0);
		}
	}
	/* Beyond what Q8.16 holds, or absurd ranges, are refused. */
	assert_int_equal(tplg_ipc_volume_gain(100, 0, 100, false, &g), -ERANGE);
	assert_int_equal(tplg_ipc_volume_gain(1, -200000, 0, false, &g), -ERANGE);
	assert_int_equal(tplg_ipc_volume_gain(0xffffffffu, 0, 0xffff, false, &g), -ERANGE);
}

static int kcontrol_index(const struct tplg *t, const char *name)
{
	for (uint32_t i = 0; i < t->num_kcontrols; i++)
		if (strcmp(t->kcontrols[i].name, name) == 0)
			return (int)i;
	fail_msg("no kcontrol '%s'", name);
	return -1;
}

static void pga_without_volume_kcontrol_is_refused(void **state)
{
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-wm8960.tplg");
	struct tplg_ipc_seq *seq = NULL;
	struct tplg_error err;
	struct tplg_kcontrol *kc = &t->kcontrols[kcontrol_index(t, "1 Master Playback Volume")];
	uint32_t max = kc->mixer.max, n = t->widgets[1].num_kcontrols;

	/* No kcontrol at all. */
	t->widgets[1].num_kcontrols = 0;
	assert_int_equal(tplg_ipc_build(t, NULL, &seq, &err), -EINVAL);
	assert_null(seq);
	assert_non_null(strstr(err.msg, "'PGA1.0'"));
	assert_non_null(strstr(err.msg, "no volume kcontrol"));
	t->widgets[1].num_kcontrols = n;

	/* Only a switch (max 1) is no volume either. */
	kc->mixer.max = 1;
	assert_int_equal(tplg_ipc_build(t, NULL, &seq, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "no volume kcontrol"));
	kc->mixer.max = max;

	/* A volume without a dB scale cannot be turned into gains. */
	kc->tlv.db_scale = false;
	assert_int_equal(tplg_ipc_build(t, NULL, &seq, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "no dB scale"));
	kc->tlv.db_scale = true;

	seq = build(t, NULL);
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

static void control_bytes_in_names_are_escaped(void **state)
{
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-wm8960.tplg");
	struct tplg_ipc_seq *seq;
	struct tplg_error err;

	snprintf(t->widgets[1].name, sizeof(t->widgets[1].name), "PGA\x1b]0;x\x07");
	seq = build(t, NULL);
	assert_non_null(strstr(find_new(seq, 1)->desc, "volume id 1 'PGA\\x1b]0;x\\x07' pipe 1"));
	tplg_ipc_seq_free(seq);

	seq = NULL;
	t->widgets[1].num_kcontrols = 0;
	assert_int_equal(tplg_ipc_build(t, NULL, &seq, &err), -EINVAL);
	assert_null(seq);
	assert_non_null(strstr(err.msg, "pga widget 1 'PGA\\x1b]0;x\\x07' has no volume kcontrol"));
	tplg_free(t);
}

static void route_naming_unknown_widget_is_refused(void **state)
{
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-wm8960.tplg");
	struct tplg_ipc_seq *seq = NULL;
	struct tplg_error err;
	uint32_t src = t->routes[3].source_widget;

	t->routes[3].source_widget = t->num_widgets + 7;
	assert_int_equal(tplg_ipc_build(t, NULL, &seq, &err), -EINVAL);
	assert_null(seq);
	assert_non_null(strstr(err.msg, "unknown widget"));
	assert_int_equal(err.offset, t->routes[3].offset);
	t->routes[3].source_widget = src;
	tplg_free(t);
}

static void scheduler_naming_no_widget_falls_back_or_fails(void **state)
{
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-wm8960.tplg");
	struct tplg_ipc_seq *seq = NULL;
	struct tplg_error err;

	/* The sname resolves to nothing: the pipeline's first host or dai drives it. */
	snprintf(t->widgets[5].sname, sizeof(t->widgets[5].sname), "no such widget");
	seq = build(t, NULL);
	assert_int_equal(field(find_new(seq, 5), offsetof(struct ipc3_pipe_new, sched_id)), 0);
	assert_non_null(strstr(find_new(seq, 5)->desc, "unresolved"));
	tplg_ipc_seq_free(seq);

	/* With no component in the pipeline there is nothing to fall back to. */
	for (uint32_t i = 0; i < 5; i++)
		t->widgets[i].id = TPLG_DAPM_BUFFER;
	assert_int_equal(tplg_ipc_build(t, NULL, &seq, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "PIPELINE.1.SAI1.OUT"));
	tplg_free(t);
}

static const struct tplg_ipc_msg *find_type(const struct tplg_ipc_seq *seq, uint32_t type)
{
	for (uint32_t i = 0; i < seq->num_msgs; i++)
		if (seq->msgs[i].cmd == IPC3_TPLG_COMP_NEW &&
		    field(&seq->msgs[i], offsetof(struct ipc3_comp, type)) == type)
			return &seq->msgs[i];
	fail_msg("no COMP_NEW of type %u", type);
	return NULL;
}

static void eq_iir_carries_its_blob_without_abi_header(void **state)
{
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-eq-iir-wm8960.tplg");
	struct tplg_ipc_seq *seq = build(t, NULL);
	const struct tplg_ipc_msg *eq = find_type(seq, IPC3_COMP_EQ_IIR);
	const struct tplg_widget *w = &t->widgets[eq->widget];
	const struct tplg_kcontrol *kc = &w->kcontrols[0];

	assert_string_equal(w->name, "EQIIR1.0");
	assert_int_equal(kc->priv.size, 120);
	assert_int_equal(field(eq, offsetof(struct ipc3_comp_process, type)), IPC3_PROCESS_EQIIR);
	assert_int_equal(field(eq, offsetof(struct ipc3_comp_process, size)), 88);
	assert_int_equal(eq->size, 100 + 88 + 16);
	assert_int_equal(field(eq, offsetof(struct ipc3_comp, ext_data_length)), 16);
	assert_memory_equal(eq->data + 100, kc->priv.data + 32, 88);
	assert_memory_equal(eq->data + 188, w->tokens.comp.uuid, 16);
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

/* A blob that would push the message past 384 bytes stays out; an invalid one is refused. */
static void process_blob_is_left_out_when_too_big_and_checked(void **state)
{
	struct tplg *t = load(sof_tplg_dir(), "sof-imx8-eq-iir-wm8960.tplg");
	struct tplg_kcontrol *kc = &t->kcontrols[kcontrol_index(t, "eqiir_coef_1")];
	const uint8_t *data = kc->priv.data;
	uint32_t size = kc->priv.size, max = kc->bytes.max;
	struct tplg_ipc_seq *seq = NULL;
	const struct tplg_ipc_msg *eq;
	struct tplg_error err;
	uint8_t big[32 + 272];

	/* 100 + 268 + 16 = 384 fits exactly; 272 does not. */
	for (int round = 0; round < 2; round++) {
		uint32_t n = round ? 272 : 268;

		memset(big, 0x5a, sizeof(big));
		memcpy(big, data, 32);
		put_le32(big + offsetof(struct ipc3_abi_hdr, size), n);
		kc->priv.data = big;
		kc->priv.size = 32 + n;
		seq = build(t, NULL);
		eq = find_type(seq, IPC3_COMP_EQ_IIR);
		assert_int_equal(field(eq, offsetof(struct ipc3_comp_process, size)),
				 round ? 0 : 268);
		assert_int_equal(eq->size, round ? 116 : 384);
		tplg_ipc_seq_free(seq);
		seq = NULL;
	}

	/* Header size disagreeing with the control's size, a wrong magic, a bad ABI major. */
	put_le32(big + offsetof(struct ipc3_abi_hdr, size), 100);
	assert_int_equal(tplg_ipc_build(t, NULL, &seq, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "header says"));
	put_le32(big + offsetof(struct ipc3_abi_hdr, size), 272);
	put_le32(big + offsetof(struct ipc3_abi_hdr, magic), 0x12345678);
	assert_int_equal(tplg_ipc_build(t, NULL, &seq, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "magic"));
	put_le32(big + offsetof(struct ipc3_abi_hdr, magic), IPC3_ABI_MAGIC);
	put_le32(big + offsetof(struct ipc3_abi_hdr, abi), ipc3_abi_version(4, 0, 0));
	assert_int_equal(tplg_ipc_build(t, NULL, &seq, &err), -EINVAL);
	/* More data than the control's max allows. */
	put_le32(big + offsetof(struct ipc3_abi_hdr, abi), IPC3_ABI_VERSION);
	kc->bytes.max = 200;
	assert_int_equal(tplg_ipc_build(t, NULL, &seq, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "does not hold"));
	assert_null(seq);

	kc->priv.data = data;
	kc->priv.size = size;
	kc->bytes.max = max;
	tplg_free(t);
}

static void static_only_leaves_out_dynamic_pipelines(void **state)
{
	struct tplg_ipc_opts opts = { .static_only = true };
	struct tplg *t = load(sof_tplg_dir(), "sof-hda-generic-idisp.tplg");
	struct tplg_ipc_seq *all = build(t, NULL), *stat = build(t, &opts);
	uint32_t dynamic = 0, j = 0;

	for (uint32_t i = 0; i < all->num_msgs; i++)
		dynamic += all->msgs[i].dynamic;
	assert_true(dynamic > 0);
	assert_int_equal(stat->num_msgs, all->num_msgs - dynamic);
	/* The static sequence is the full one with the dynamic messages taken out. */
	for (uint32_t i = 0; i < all->num_msgs; i++) {
		if (all->msgs[i].dynamic)
			continue;
		assert_int_equal(stat->msgs[j].size, all->msgs[i].size);
		assert_memory_equal(stat->msgs[j].data, all->msgs[i].data, all->msgs[i].size);
		j++;
	}
	assert_int_equal(j, stat->num_msgs);
	tplg_ipc_seq_free(stat);
	tplg_ipc_seq_free(all);
	tplg_free(t);
}

/* Invariants every converted topology satisfies. */
static void check_sequence(const struct tplg *t, const struct tplg_ipc_seq *seq,
			   const char *name)
{
	uint32_t schedulers = 0, completes = 0;
	uint8_t *created = calloc(t->num_widgets + 1, 1);

	assert_non_null(created);
	for (uint32_t i = 0; i < t->num_widgets; i++)
		schedulers += t->widgets[i].id == TPLG_DAPM_SCHEDULER;
	for (uint32_t i = 0; i < seq->num_msgs; i++) {
		const struct tplg_ipc_msg *m = &seq->msgs[i];
		uint32_t id;

		if (m->size < 12 || m->size > IPC3_MSG_MAX_SIZE ||
		    field(m, 0) != m->size || field(m, 4) != m->cmd)
			fail_msg("%s: message %u has a bad header", name, i);
		switch (m->cmd) {
		case IPC3_TPLG_COMP_NEW:
		case IPC3_TPLG_BUFFER_NEW:
			id = field(m, offsetof(struct ipc3_comp, id));
			assert_true(id < t->num_widgets && !created[id]);
			created[id] = 1;
			assert_int_equal(m->widget, (int32_t)id);
			assert_int_equal(field(m, offsetof(struct ipc3_comp, pipeline_id)),
					 t->widgets[id].index);
			if (m->cmd == IPC3_TPLG_COMP_NEW) {
				uint32_t ext = field(m, offsetof(struct ipc3_comp, ext_data_length));

				assert_true(ext == 0 || ext == 16);
				assert_true(m->size >= sizeof(struct ipc3_comp_mixer) + ext);
			}
			break;
		case IPC3_TPLG_PIPE_NEW:
			id = field(m, offsetof(struct ipc3_pipe_new, comp_id));
			assert_true(id < t->num_widgets && !created[id]);
			created[id] = 1;
			assert_int_equal(t->widgets[id].id, TPLG_DAPM_SCHEDULER);
			assert_true(field(m, offsetof(struct ipc3_pipe_new, sched_id)) <
				    t->num_widgets);
			break;
		case IPC3_TPLG_COMP_CONNECT:
			assert_true(field(m, 8) < t->num_widgets);
			assert_true(field(m, 12) < t->num_widgets);
			assert_true(t->widgets[field(m, 8)].id == TPLG_DAPM_BUFFER ||
				    t->widgets[field(m, 12)].id == TPLG_DAPM_BUFFER);
			break;
		case IPC3_TPLG_PIPE_COMPLETE:
			completes++;
			assert_int_equal(t->widgets[field(m, 8)].id, TPLG_DAPM_SCHEDULER);
			break;
		default:
			fail_msg("%s: unexpected command 0x%08x", name, m->cmd);
		}
	}
	assert_int_equal(completes, schedulers);
	free(created);
}

static void every_firmware_topology_converts(void **state)
{
	struct dirent **names;
	uint32_t files = 0, msgs = 0;
	int n = scandir(sof_tplg_dir(), &names, NULL, alphasort);

	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 5 && strcmp(names[i]->d_name + len - 5, ".tplg") == 0) {
			struct tplg *t = load(sof_tplg_dir(), names[i]->d_name);
			struct tplg_ipc_seq *seq = build(t, NULL);

			check_sequence(t, seq, names[i]->d_name);
			msgs += seq->num_msgs;
			files++;
			tplg_ipc_seq_free(seq);
			tplg_free(t);
		}
		free(names[i]);
	}
	free(names);
	if (!getenv("VADSP_SOF_TPLG_DIR"))
		assert_int_equal(files, SOF_TPLG_COUNT);
	print_message("%u topologies, %u messages\n", files, msgs);
}

/* --- The project's own topologies (topology/ sources, compiled by the build) */

static const char *own_dir(void)
{
	const char *d = getenv("VADSP_TOPOLOGY_DIR");

	if (!d || !*d)
		fail_msg("VADSP_TOPOLOGY_DIR is not set (meson sets it)");
	return d;
}

static int widget(const struct tplg *t, const char *name)
{
	int i = tplg_find_widget(t, name, 0);

	if (i < 0)
		fail_msg("no widget '%s'", name);
	return i;
}

/* The text dump and the guest model see the same topology the conversion does. */
static void round_trip(const struct tplg *t, const char *must_mention)
{
	struct tplg_model *m = NULL;
	struct tplg_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(tplg_dump_text(f, t), 0);
	fclose(f);
	assert_non_null(strstr(text, must_mention));
	free(text);
	if (tplg_model_build(t, &m, &err) < 0)
		fail_msg("model: %s", err.msg);
	tplg_model_free(m);
}

static void own_topologies_carry_sof_abi_and_convert(void **state)
{
	static const char *const files[] = { "host.tplg", "stereo.tplg", "multi.tplg",
					     "voice.tplg" };

	for (size_t i = 0; i < 4; i++) {
		struct tplg *t = load(own_dir(), files[i]);
		struct tplg_ipc_seq *seq = build(t, NULL);

		assert_true(t->manifest.has_sof_abi);
		assert_int_equal(t->manifest.sof_abi_major, 3);
		assert_int_equal(t->manifest.sof_abi_minor, 23);
		assert_int_equal(t->manifest.sof_abi_patch, 1);
		check_sequence(t, seq, files[i]);
		round_trip(t, "CP_NAME");
		tplg_ipc_seq_free(seq);
		tplg_free(t);
	}
}

static void host_topology_names_its_connection_points(void **state)
{
	static const char *const cps[][2] = {
		{ "CP.main-out", "main-out" }, { "CP.aux-out", "aux-out" },
		{ "CP.main-in", "main-in" }, { "CP.aux-in", "aux-in" },
	};
	struct tplg *t = load(own_dir(), "host.tplg");
	struct tplg_ipc_seq *seq = build(t, NULL);
	const struct tplg_ipc_msg *demux, *mixer;

	for (size_t i = 0; i < 4; i++) {
		const struct tplg_widget *w = &t->widgets[widget(t, cps[i][0])];

		assert_string_equal(w->tokens.vadsp.cp_name, cps[i][1]);
		assert_int_equal(w->id, i < 2 ? TPLG_DAPM_AIF_IN : TPLG_DAPM_AIF_OUT);
	}
	mixer = find_type(seq, IPC3_COMP_MIXER);
	assert_string_equal(t->widgets[mixer->widget].name, "MIXER1.0");
	assert_int_equal(mixer->size, 64 + 16);
	demux = find_type(seq, IPC3_COMP_DEMUX);
	assert_string_equal(t->widgets[demux->widget].name, "DEMUX2.0");
	assert_int_equal(field(demux, offsetof(struct ipc3_comp_process, type)),
			 IPC3_PROCESS_DEMUX);
	/* Its sof_mux_config: two output streams, pipelines 5 and 6, channels 0 and 1 each. */
	assert_int_equal(field(demux, offsetof(struct ipc3_comp_process, size)), 40);
	assert_int_equal(get_le16(demux->data + 100 + 4), 2);
	for (uint32_t i = 0; i < 2; i++) {
		const uint8_t *e = demux->data + 100 + 8 + 16 * i;

		assert_int_equal(get_le32(e), 5 + i);
		assert_int_equal(e[4], 2);
		assert_int_equal(e[5], 0x01);
		assert_int_equal(e[6], 0x02);
	}
	/*
	 * Each connection point has a pipeline of its own, scheduled by its host component; the
	 * DAI pipelines are scheduled by their DAIs, which are SSP 0.
	 */
	for (size_t i = 0; i < 4; i++) {
		static const char *const sched[] = {
			"PIPELINE.3.CP.main-out", "PIPELINE.4.CP.aux-out",
			"PIPELINE.5.CP.main-in", "PIPELINE.6.CP.aux-in",
		};

		assert_int_equal(field(find_new(seq, (uint32_t)widget(t, sched[i])),
				       offsetof(struct ipc3_pipe_new, sched_id)),
				 (uint32_t)widget(t, cps[i][0]));
		assert_int_equal(t->widgets[widget(t, cps[i][0])].index, 3 + i);
	}
	assert_int_equal(field(find_new(seq, (uint32_t)widget(t, "PIPELINE.1.DAI0.OUT")),
			       offsetof(struct ipc3_pipe_new, sched_id)),
			 (uint32_t)widget(t, "DAI0.OUT"));
	assert_int_equal(field(find_new(seq, (uint32_t)widget(t, "DAI0.IN")),
			       offsetof(struct ipc3_comp_dai, type)), IPC3_DAI_INTEL_SSP);
	assert_int_equal(t->num_links, 1);
	assert_int_equal(t->links[0].hw_configs[0].fsync_rate, 48000);
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

static void stereo_guest_attaches_to_host_points_with_volume_and_mute(void **state)
{
	struct tplg *t = load(own_dir(), "stereo.tplg");
	struct tplg_ipc_seq *seq = build(t, NULL);
	const struct tplg_ipc_msg *play = find_new(seq, (uint32_t)widget(t, "PGA1.0"));
	const struct tplg_ipc_msg *cap = find_new(seq, (uint32_t)widget(t, "PGA2.0"));

	assert_string_equal(t->widgets[widget(t, "DAI1.OUT")].tokens.vadsp.cp_name, "main-out");
	assert_string_equal(t->widgets[widget(t, "DAI2.IN")].tokens.vadsp.cp_name, "main-in");
	/* -64 dB (0 mutes) .. 0 dB and -50 dB (0 mutes) .. +20 dB. */
	assert_int_equal(field(play, offsetof(struct ipc3_comp_volume, min_value)), 0);
	assert_int_equal(field(play, offsetof(struct ipc3_comp_volume, max_value)), 0x10000);
	assert_int_equal(field(cap, offsetof(struct ipc3_comp_volume, max_value)), 655434);
	assert_int_equal(field(play, offsetof(struct ipc3_comp_volume, channels)), 2);
	assert_int_equal(field(play, offsetof(struct ipc3_comp_volume, initial_ramp)), 20);
	/* Each PGA has a volume and a mute switch. */
	assert_int_equal(t->widgets[widget(t, "PGA1.0")].num_kcontrols, 2);
	assert_int_equal(t->widgets[widget(t, "PGA1.0")].kcontrols[1].mixer.max, 1);
	assert_int_equal(t->num_pcms, 1);
	assert_true(t->pcms[0].playback && t->pcms[0].capture);
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

static void multi_guest_sends_its_eq_coefficients(void **state)
{
	struct tplg *t = load(own_dir(), "multi.tplg");
	struct tplg_ipc_seq *seq = build(t, NULL);
	const struct tplg_ipc_msg *eq = find_type(seq, IPC3_COMP_EQ_IIR);
	const struct tplg_kcontrol *kc = &t->widgets[eq->widget].kcontrols[0];

	assert_string_equal(kc->name, "Music EQ");
	assert_int_equal(field(eq, offsetof(struct ipc3_comp_process, size)), 88);
	assert_memory_equal(eq->data + 100, kc->priv.data + 32, 88);
	/* The blob's first word is the EQ configuration's own size; 2 channels, 1 response. */
	assert_int_equal(field(eq, 100), 88);
	assert_int_equal(field(eq, 104), 2);
	assert_int_equal(field(eq, 108), 1);
	assert_int_equal(t->num_pcms, 3);
	assert_string_equal(t->widgets[widget(t, "DAI2.OUT")].tokens.vadsp.cp_name, "aux-out");
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

static void voice_guest_converts_48k_to_16k_mono(void **state)
{
	struct tplg *t = load(own_dir(), "voice.tplg");
	struct tplg_ipc_seq *seq = build(t, NULL);
	const struct tplg_ipc_msg *src = find_type(seq, IPC3_COMP_SRC);
	const struct tplg_ipc_msg *vol = find_type(seq, IPC3_COMP_VOLUME);

	assert_int_equal(field(src, offsetof(struct ipc3_comp_src, source_rate)), 48000);
	assert_int_equal(field(src, offsetof(struct ipc3_comp_src, sink_rate)), 16000);
	assert_int_equal(field(vol, offsetof(struct ipc3_comp_volume, channels)), 1);
	assert_int_equal(t->pcms[0].caps[1].rate_max, 16000);
	assert_int_equal(t->pcms[0].caps[1].channels_max, 1);
	assert_false(t->pcms[0].playback);
	tplg_ipc_seq_free(seq);
	tplg_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wm8960_creates_every_component_in_reverse_load_order),
		cmocka_unit_test(wm8960_components_carry_their_uuid_extension),
		cmocka_unit_test(wm8960_pipelines_are_scheduled_by_their_dai),
		cmocka_unit_test(wm8960_buffers_hold_768_bytes_with_caps_0x61),
		cmocka_unit_test(wm8960_volumes_span_their_tlv_ranges),
		cmocka_unit_test(wm8960_hosts_and_dais_carry_direction_format_and_index),
		cmocka_unit_test(wm8960_routes_connect_in_reverse_graph_order),
		cmocka_unit_test(id_base_shifts_every_component_reference),
		cmocka_unit_test(ids_beyond_32_bits_are_refused),
		cmocka_unit_test(volume_gains_follow_the_driver_formula),
		cmocka_unit_test(pga_without_volume_kcontrol_is_refused),
		cmocka_unit_test(route_naming_unknown_widget_is_refused),
		cmocka_unit_test(control_bytes_in_names_are_escaped),
		cmocka_unit_test(scheduler_naming_no_widget_falls_back_or_fails),
		cmocka_unit_test(eq_iir_carries_its_blob_without_abi_header),
		cmocka_unit_test(process_blob_is_left_out_when_too_big_and_checked),
		cmocka_unit_test(static_only_leaves_out_dynamic_pipelines),
		cmocka_unit_test(every_firmware_topology_converts),
		cmocka_unit_test(own_topologies_carry_sof_abi_and_convert),
		cmocka_unit_test(host_topology_names_its_connection_points),
		cmocka_unit_test(stereo_guest_attaches_to_host_points_with_volume_and_mute),
		cmocka_unit_test(multi_guest_sends_its_eq_coefficients),
		cmocka_unit_test(voice_guest_converts_48k_to_16k_mono),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
