/* SPDX-License-Identifier: MIT */
/*
 * Mux and demux: channel routing.
 *
 * A route map says, for each channel of one output stream, which channel of which input
 * stream it copies, or DSP_ROUTE_NONE for silence. A mux is one output stream fed from up to
 * DSP_MUX_MAX_STREAMS inputs (one map); a demux is one input feeding up to
 * DSP_DEMUX_MAX_STREAMS outputs (one map per output, every route naming input stream 0).
 * Samples are copied bit for bit (an S24 sample is normalised: sign-extended), so a route
 * kernel only depends on the sample size.
 *
 * SOF's mux/demux configuration blob (struct sof_mux_config, 8 bytes: u16 frame_format
 * (deprecated), u16 num_channels (deprecated), u16 num_streams, u16 reserved; then
 * num_streams stream entries of 16 bytes: u32 pipeline_id, u8 num_channels (deprecated),
 * u8 mask[8], u8 reserved[3]) converts to route maps with dsp_mux_config_parse(). For a mux,
 * mask[i] of input stream s has bit k set when input channel i goes to output channel k; for
 * a demux, mask[k] of output stream s has bit i set when output channel k takes input
 * channel i. As SOF does, a mask with more than one bit set, two streams with the same
 * pipeline id and (mux) two inputs to one output channel are rejected; so is a mux of more
 * than four streams (SOF's IPC3 limit). A demux takes more: one entry per consuming pipeline,
 * and a shared host DSP's capture demux has one for each guest capturing from it.
 */
#ifndef VADSP_DSP_KERNELS_MUX_H
#define VADSP_DSP_KERNELS_MUX_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/format.h"

#define DSP_ROUTE_NONE		0xffu
#define DSP_MUX_MAX_STREAMS	4u	/* SOF's MUX_MAX_STREAMS for IPC3 */
/*
 * A demux's outputs: its blob, 8 + 16 * 128 = 2056 bytes, fits a control's data
 * (DSP_CTRL_DATA_MAX, 4096 bytes); a guest's blob in one IPC3 message holds at most 23.
 */
#define DSP_DEMUX_MAX_STREAMS	128u

struct dsp_route {
	uint8_t stream;		/* input stream index, or DSP_ROUTE_NONE for silence */
	uint8_t channel;	/* channel within that stream */
};

struct dsp_route_map {
	uint32_t channels;	/* output channels, 1..DSP_MAX_CHANNELS */
	struct dsp_route route[DSP_MAX_CHANNELS];
};

/* One input stream of a route kernel: interleaved samples and its channel count. */
struct dsp_route_src {
	const void *data;
	uint32_t channels;
};

/*
 * Write @frames frames of map->channels channels to @dst, each output channel copied from
 * the input it routes to (or silence). @dst must not overlap any input.
 */
typedef void (*dsp_route_fn)(void *dst, const struct dsp_route_map *map,
			     const struct dsp_route_src *srcs, uint32_t frames);

/**
 * dsp_route_func() - the plain C routing kernel for a format
 * @fmt: sample format
 *
 * Return: the kernel, or NULL for an invalid format.
 */
dsp_route_fn dsp_route_func(uint32_t fmt);

/**
 * dsp_route_check() - check a route map against the inputs a component has (at prepare)
 * @map: the map
 * @nsrc: number of input streams
 * @src_channels: channel count of each input stream
 *
 * Return: 0 if every route names an existing stream and channel (or none), -EINVAL if not.
 */
int dsp_route_check(const struct dsp_route_map *map, uint32_t nsrc, const uint32_t *src_channels);

/*
 * A parsed SOF mux/demux configuration (about 3 KiB: keep it off the data thread's stack).
 */
struct dsp_mux_config {
	uint32_t streams;	/* mux: 1..DSP_MUX_MAX_STREAMS; demux: 1..DSP_DEMUX_MAX_STREAMS */
	uint32_t pipeline_id[DSP_DEMUX_MAX_STREAMS];	/* stream index -> pipeline id */
	/*
	 * Mux: map[0] routes the output (routes name input stream indexes); its channel
	 * count is one past the highest output channel used. Demux: map[s] routes output
	 * stream s from input stream 0; its channel count is one past the highest mask used.
	 */
	struct dsp_route_map map[DSP_DEMUX_MAX_STREAMS];
};

/**
 * dsp_mux_config_parse() - parse and check SOF's mux/demux configuration blob
 * @cfg: result
 * @blob: the blob (little-endian), after any ABI header
 * @size: its size in bytes; must be exactly 8 + 16 * num_streams
 * @demux: true for a demux (1..DSP_DEMUX_MAX_STREAMS streams), false for a mux
 *	(1..DSP_MUX_MAX_STREAMS)
 *
 * Output channel counts come from the masks; a component whose stream has more channels
 * than the map names sets map.channels itself (extra channels are silent).
 *
 * Return: 0, or -EINVAL with a message logged for a malformed or rejected blob.
 */
int dsp_mux_config_parse(struct dsp_mux_config *cfg, const void *blob, size_t size, bool demux);

#endif /* VADSP_DSP_KERNELS_MUX_H */
