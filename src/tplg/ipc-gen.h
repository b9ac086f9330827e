/* SPDX-License-Identifier: MIT */
/*
 * Topology -> SOF IPC3: the message sequence the Linux SOF driver sends to load a topology.
 *
 * The rules follow the driver's IPC3 topology code (sound/soc/sof/topology.c,
 * ipc3-topology.c); docs/topology.md describes them in full. In short:
 *
 * - Every widget gets a component id from a counter in load order (tplg.widgets order),
 *   starting at the caller's base; widgets the driver does not send (input, output,
 *   out_drv, switch...) still use up their id. pipeline_id is the widget's block index.
 * - aif_in/aif_out -> COMP_NEW host; dai_in/dai_out -> COMP_NEW dai; buffer -> BUFFER_NEW;
 *   pga -> COMP_NEW volume; mixer -> mixer; mux -> mux; src -> src; asrc -> asrc;
 *   siggen -> tone; effect -> process (comp type from the process type, token 900);
 *   scheduler -> PIPE_NEW with sched_id = the widget its sname names (if it names none,
 *   which the driver refuses, the pipeline's first host or dai widget, else its first
 *   other component).
 * - A component whose widget carries a non-zero UUID (token 405) gets the 16-byte UUID
 *   extension appended (ext_data_length 16); buffers and pipelines never do.
 * - Volume: channels, min_value and max_value come from the pga's last volume kcontrol
 *   (a volsw mixer with max > 1): the gains of its min and max steps, computed from the
 *   TLV dB scale exactly as the driver does (see tplg_ipc_volume_gain()).
 * - Process: the data of the widget's kcontrols is appended (bytes controls without their
 *   32-byte ABI header) when the whole message, UUID extension included, fits in 384 bytes.
 * - Routes -> COMP_CONNECT {source, sink}; a route with no buffer at either end, or with an
 *   output/out_drv widget at one end, is skipped.
 * - Order: every widget in reverse load order, every route in reverse load order, then
 *   PIPE_COMPLETE for each scheduler in reverse load order.
 *
 * Messages are built byte by byte in little-endian wire order into struct ipc3_* layouts.
 */
#ifndef VADSP_TPLG_IPC_GEN_H
#define VADSP_TPLG_IPC_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "ipc/ipc3.h"
#include "tplg/tplg.h"

/**
 * struct tplg_ipc_msg - one IPC3 message
 * @data: the message bytes, @size of them (hdr.size == @size)
 * @size: message length in bytes, at most IPC3_MSG_MAX_SIZE
 * @cmd: the command word (also in the first header)
 * @widget: index in tplg.widgets of the widget the message creates or completes, or -1
 * @route: index in tplg.routes of the route a COMP_CONNECT comes from, or -1
 * @pipeline_id: the pipeline (block index) the message belongs to; for a COMP_CONNECT,
 *               the pipeline of its source widget
 * @dynamic: the message belongs to a dynamic pipeline (SOF_TKN_SCHED_DYNAMIC_PIPELINE),
 *           which the driver sets up only when a stream opens
 * @desc: a one-line description, e.g. "volume id 1 'PGA1.0' pipe 1 ch 2 min 0x0 max 0x10000"
 */
struct tplg_ipc_msg {
	uint8_t data[IPC3_MSG_MAX_SIZE];
	uint32_t size;
	uint32_t cmd;
	int32_t widget;
	int32_t route;
	uint32_t pipeline_id;
	bool dynamic;
	char desc[200];
};

/**
 * struct tplg_ipc_seq - the messages that load a topology, in sending order
 * @msgs: the messages
 * @num_msgs: number of @msgs
 * @id_base: component id of widget 0
 * @num_ids: ids used: widget i has id @id_base + i, for i < @num_ids
 */
struct tplg_ipc_seq {
	struct tplg_ipc_msg *msgs;
	uint32_t num_msgs;
	uint32_t id_base;
	uint32_t num_ids;
};

/**
 * struct tplg_ipc_opts - conversion options
 * @id_base: component id of the first widget (0 as in the driver)
 * @static_only: leave out dynamic pipelines, as the driver does when it loads a topology;
 *               by default they are included, in the same order (the driver's order when it
 *               verifies a topology)
 */
struct tplg_ipc_opts {
	uint32_t id_base;
	bool static_only;
};

/**
 * tplg_ipc_build() - convert a parsed topology into its IPC3 message sequence
 * @t: the topology
 * @opts: options, or NULL for the defaults (base 0, dynamic pipelines included)
 * @out: receives the sequence (free with tplg_ipc_seq_free()); untouched on failure
 * @err: receives the reason on failure (block -1, offset of the widget or route); may be
 *       NULL
 *
 * Return: 0; -EINVAL for a topology the driver would reject (a pga without a volume
 * kcontrol or with a volume kcontrol without a dB scale, an effect without tokens, a
 * scheduler with no widget to drive it, a route naming an unknown widget, a bytes control
 * with a bad ABI header...); -ERANGE when the ids do not fit in 32 bits or a volume is
 * beyond what Q8.16 holds; -ENOMEM.
 */
int tplg_ipc_build(const struct tplg *t, const struct tplg_ipc_opts *opts,
		   struct tplg_ipc_seq **out, struct tplg_error *err);

/**
 * tplg_ipc_seq_free() - free a sequence
 * @seq: sequence, or NULL
 */
void tplg_ipc_seq_free(struct tplg_ipc_seq *seq);

/**
 * tplg_ipc_volume_gain() - linear gain of one volume step, as the SOF driver computes it
 * @step: the control value (0 .. max)
 * @db_min: TLV dB scale minimum, in 0.01 dB
 * @db_step: TLV dB scale step, in 0.01 dB (only the low 16 bits count, as in ALSA)
 * @mute: the scale's minimum mutes
 * @gain: receives the gain in Q8.16 (0x10000 = 0 dB)
 *
 * With min = @db_min / 100 (whole dB, truncated toward zero) and s = @db_step & 0xffff:
 * step 0 of a muting scale is 0; otherwise dB = min + (step * s) / 100 (whole dB,
 * truncated), and the gain is 10^(dB/20) computed as |dB| repeated multiplications by
 * 10^(1/20) = 73533 / 65536 with rounding to 16 fractional bits (inverted as 2^32 / g for a
 * negative dB); when s - s / 100 == 50 (a half-dB step) and the step is odd, the gain is
 * then multiplied by 10^(1/40) = 69419 / 65536 with rounding.
 *
 * Return: 0; -ERANGE if |dB| exceeds 1000 or the result does not fit 32 bits.
 */
int tplg_ipc_volume_gain(uint32_t step, int32_t db_min, int32_t db_step, bool mute,
			 uint32_t *gain);

#endif /* VADSP_TPLG_IPC_GEN_H */
