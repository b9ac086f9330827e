/* SPDX-License-Identifier: MIT */
/*
 * What a guest sees of a topology: its PCMs, its controls and the endpoints that attach
 * to host connection points.
 *
 * The model is derived from a parsed struct tplg and refers back to it by index
 * (widgets, kcontrols), so the tplg must outlive the model. The virtio-snd device builds
 * its streams, controls and channel maps from it.
 *
 * - A PCM's direction exists when the PCM declares it; its limits come from the PCM's
 *   stream caps, and its host widget is the aif widget (aif_in for playback, aif_out for
 *   capture) whose sname is the caps' stream name.
 * - A control is each kcontrol: mixers with max 1 are switches, other mixers integers
 *   (with their dB scale when the TLV has one), enums, bytes. It drives the widget it
 *   belongs to, on the channels it lists.
 * - An endpoint is a widget with the VADSP_TKN_CP_NAME token: in a guest topology the
 *   dai_in (playback) or dai_out (capture) that attaches to the named host point; in a host
 *   topology the widget that is the point (an aif_in/aif_out that guest streams enter or
 *   leave by, or a mixer/demux). An aif_in or dai_in endpoint is playback, an aif_out or
 *   dai_out capture; any other widget takes the direction of its pipeline (the block
 *   index): playback if the pipeline holds an aif_in or dai_in, capture if it holds an
 *   aif_out or dai_out, unknown if both or neither.
 */
#ifndef VADSP_TPLG_MODEL_H
#define VADSP_TPLG_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "tplg/tplg.h"

enum tplg_model_dir {
	TPLG_MODEL_PLAYBACK = 0,
	TPLG_MODEL_CAPTURE = 1,
	TPLG_MODEL_DIR_UNKNOWN = 2,
};

/**
 * struct tplg_model_stream - one direction of a PCM
 * @present: the PCM has this direction
 * @formats: SNDRV_PCM_FMTBIT_* mask
 * @rates: SNDRV_PCM_RATE_* mask
 * @rate_min: lowest rate, Hz
 * @rate_max: highest rate, Hz
 * @channels_min: fewest channels
 * @channels_max: most channels
 * @periods_min: fewest periods
 * @periods_max: most periods
 * @period_bytes_min: smallest period, bytes
 * @period_bytes_max: largest period, bytes
 * @buffer_bytes_min: smallest buffer, bytes
 * @buffer_bytes_max: largest buffer, bytes
 * @sig_bits: significant bits (0 = container width)
 * @stream_name: the caps' stream name
 * @host_widget: index of the aif widget serving the stream, or -1 if none
 * @pipeline: that widget's pipeline (block index); 0 if none
 */
struct tplg_model_stream {
	bool present;
	uint64_t formats;
	uint32_t rates;
	uint32_t rate_min;
	uint32_t rate_max;
	uint32_t channels_min;
	uint32_t channels_max;
	uint32_t periods_min;
	uint32_t periods_max;
	uint32_t period_bytes_min;
	uint32_t period_bytes_max;
	uint32_t buffer_bytes_min;
	uint32_t buffer_bytes_max;
	uint32_t sig_bits;
	char stream_name[TPLG_NAME_LEN];
	int32_t host_widget;
	uint32_t pipeline;
};

/**
 * struct tplg_model_pcm - a PCM as the guest sees it
 * @name: PCM name
 * @id: PCM id
 * @stream: [TPLG_MODEL_PLAYBACK] and [TPLG_MODEL_CAPTURE]
 * @pcm: index in tplg.pcms
 */
struct tplg_model_pcm {
	char name[TPLG_NAME_LEN];
	uint32_t id;
	struct tplg_model_stream stream[2];
	uint32_t pcm;
};

enum tplg_model_ctl_type {
	TPLG_MODEL_CTL_INTEGER,		/* a volume */
	TPLG_MODEL_CTL_BOOLEAN,		/* a switch (mixer with max 1) */
	TPLG_MODEL_CTL_ENUMERATED,
	TPLG_MODEL_CTL_BYTES,
};

/**
 * struct tplg_model_control - a control as the guest sees it
 * @name: control name
 * @type: enum tplg_model_ctl_type
 * @access: ALSA access bits (TPLG_ACCESS_*)
 * @min: smallest value (integer, boolean)
 * @max: largest value (integer, boolean); the number of items minus 1 for enums
 * @step: value step (1)
 * @count: values per control: channels for integer/boolean/enum, the byte size for bytes
 * @channel_map: channel position of each value (SNDRV_CHMAP_*), the first @count (up to
 *               TPLG_MAX_CHAN) for integer/boolean/enum controls
 * @has_db: a dB scale applies: value v is @db_min + v * @db_step (0.01 dB)
 * @db_min: 0.01 dB
 * @db_step: 0.01 dB
 * @db_mute: the minimum value mutes
 * @num_items: enum items
 * @items: enum item names (the first @num_items; inside the tplg)
 * @widget: index of the widget (component) it drives, or -1 for a control block
 * @pipeline: that widget's pipeline (the control's block index if none)
 * @kcontrol: index in tplg.kcontrols
 */
struct tplg_model_control {
	char name[TPLG_NAME_LEN];
	enum tplg_model_ctl_type type;
	uint32_t access;
	int32_t min;
	int32_t max;
	int32_t step;
	uint32_t count;
	uint32_t channel_map[TPLG_MAX_CHAN];
	bool has_db;
	int32_t db_min;
	int32_t db_step;
	bool db_mute;
	uint32_t num_items;
	const char (*items)[TPLG_NAME_LEN];
	int32_t widget;
	uint32_t pipeline;
	uint32_t kcontrol;
};

/**
 * struct tplg_model_endpoint - a widget attached to (or being) a host connection point
 * @cp_name: the connection point name (VADSP_TKN_CP_NAME)
 * @widget: index of the widget in tplg.widgets
 * @widget_id: its enum tplg_dapm_id
 * @direction: enum tplg_model_dir
 * @pipeline: its pipeline (block index)
 */
struct tplg_model_endpoint {
	char cp_name[TPLG_NAME_LEN];
	uint32_t widget;
	uint32_t widget_id;
	enum tplg_model_dir direction;
	uint32_t pipeline;
};

/**
 * struct tplg_model - the guest-facing view of one topology
 * @pcms: PCMs in file order
 * @num_pcms: number of @pcms
 * @controls: controls in load order
 * @num_controls: number of @controls
 * @endpoints: connection-point endpoints in widget load order
 * @num_endpoints: number of @endpoints
 */
struct tplg_model {
	struct tplg_model_pcm *pcms;
	uint32_t num_pcms;
	struct tplg_model_control *controls;
	uint32_t num_controls;
	struct tplg_model_endpoint *endpoints;
	uint32_t num_endpoints;
};

/**
 * tplg_model_build() - derive the guest-facing model of a parsed topology
 * @t: the topology; must outlive the model
 * @out: receives the model (free with tplg_model_free())
 * @err: receives the reason on failure; may be NULL
 *
 * Rejects what a guest could not be given: two PCMs with the same id, two endpoints of
 * the same direction naming the same connection point, a dai endpoint whose
 * connection-point name is empty.
 *
 * Return: 0; -EINVAL with @err filled in; -ENOMEM.
 */
int tplg_model_build(const struct tplg *t, struct tplg_model **out, struct tplg_error *err);

/**
 * tplg_model_free() - free a model
 * @m: model, or NULL
 */
void tplg_model_free(struct tplg_model *m);

/**
 * tplg_model_dir_name() - "playback", "capture" or "unknown"
 * @dir: enum tplg_model_dir
 *
 * Return: a static name.
 */
const char *tplg_model_dir_name(enum tplg_model_dir dir);

#endif /* VADSP_TPLG_MODEL_H */
