// SPDX-License-Identifier: MIT
/*
 * Channel routing kernels and SOF mux configuration parsing (see mux.h).
 */
#include <errno.h>
#include <string.h>

#include "dsp/kernels/mux.h"
#include "util/le.h"
#include "util/log.h"

#define MUX_HDR_SIZE		8u
#define MUX_STREAM_SIZE		16u
#define MUX_STREAM_MASK_OFF	5u

/*
 * Channel-major: each output channel is one strided copy, which keeps the inner loop free of
 * the route lookup.
 */
#define ROUTE_KERNEL(name, type, expr) \
	static void name(void *dstv, const struct dsp_route_map *map, \
			 const struct dsp_route_src *srcs, uint32_t frames) \
	{ \
		type *dst = dstv; \
		uint32_t nch = map->channels, c, f; \
		for (c = 0; c < nch; c++) { \
			const struct dsp_route *r = &map->route[c]; \
			if (r->stream == DSP_ROUTE_NONE) { \
				for (f = 0; f < frames; f++) \
					dst[(size_t)f * nch + c] = 0; \
				continue; \
			} \
			const type *src = (const type *)srcs[r->stream].data + r->channel; \
			uint32_t sch = srcs[r->stream].channels; \
			for (f = 0; f < frames; f++) { \
				type s = src[(size_t)f * sch]; \
				dst[(size_t)f * nch + c] = (expr); \
			} \
		} \
	}

ROUTE_KERNEL(route16, int16_t, s)
ROUTE_KERNEL(route24, int32_t, dsp_s24_get(s))
ROUTE_KERNEL(route32, int32_t, s)

static const dsp_route_fn route_table[DSP_FMT_COUNT] = {
	[DSP_FMT_S16_LE] = route16,
	[DSP_FMT_S24_4LE] = route24,
	[DSP_FMT_S32_LE] = route32,
	[DSP_FMT_FLOAT] = route32,	/* bit copy of 32-bit floats */
};

dsp_route_fn dsp_route_func(uint32_t fmt)
{
	return dsp_fmt_valid(fmt) ? route_table[fmt] : NULL;
}

int dsp_route_check(const struct dsp_route_map *map, uint32_t nsrc, const uint32_t *src_channels)
{
	uint32_t c;

	if (!map->channels || map->channels > DSP_MAX_CHANNELS)
		return -EINVAL;
	for (c = 0; c < map->channels; c++) {
		const struct dsp_route *r = &map->route[c];

		if (r->stream == DSP_ROUTE_NONE)
			continue;
		if (r->stream >= nsrc || r->channel >= src_channels[r->stream] ||
		    r->channel >= DSP_MAX_CHANNELS)
			return -EINVAL;
	}
	return 0;
}

static void map_clear(struct dsp_route_map *map)
{
	uint32_t c;

	map->channels = 0;
	for (c = 0; c < DSP_MAX_CHANNELS; c++) {
		map->route[c].stream = DSP_ROUTE_NONE;
		map->route[c].channel = 0;
	}
}

int dsp_mux_config_parse(struct dsp_mux_config *cfg, const void *blob, size_t size, bool demux)
{
	const uint8_t *p = blob;
	uint32_t max = demux ? DSP_DEMUX_MAX_STREAMS : DSP_MUX_MAX_STREAMS;
	uint32_t streams, s, i, k;

	memset(cfg, 0, sizeof(*cfg));
	for (s = 0; s < DSP_DEMUX_MAX_STREAMS; s++)
		map_clear(&cfg->map[s]);
	if (size < MUX_HDR_SIZE) {
		vadsp_err("dsp", "mux config: %zu bytes, shorter than its header", size);
		return -EINVAL;
	}
	streams = get_le16(p + 4);
	if (!streams || streams > max) {
		vadsp_err("dsp", "%s config: %u streams (1..%u)", demux ? "demux" : "mux", streams,
			  max);
		return -EINVAL;
	}
	if (size != MUX_HDR_SIZE + (size_t)streams * MUX_STREAM_SIZE) {
		vadsp_err("dsp", "mux config: %zu bytes for %u streams", size, streams);
		return -EINVAL;
	}
	cfg->streams = streams;

	for (s = 0; s < streams; s++) {
		const uint8_t *sd = p + MUX_HDR_SIZE + s * MUX_STREAM_SIZE;
		const uint8_t *mask = sd + MUX_STREAM_MASK_OFF;

		cfg->pipeline_id[s] = get_le32(sd);
		for (i = 0; i < s; i++) {
			if (cfg->pipeline_id[i] == cfg->pipeline_id[s]) {
				vadsp_err("dsp", "mux config: streams %u and %u share pipeline %u",
					  i, s, cfg->pipeline_id[s]);
				return -EINVAL;
			}
		}
		for (i = 0; i < DSP_MAX_CHANNELS; i++) {
			struct dsp_route_map *map;
			struct dsp_route *r;

			if (!mask[i])
				continue;
			if (mask[i] & (mask[i] - 1)) {
				vadsp_err("dsp", "mux config: stream %u mask[%u] 0x%02x sets several channels",
					  s, i, mask[i]);
				return -EINVAL;
			}
			k = (uint32_t)__builtin_ctz(mask[i]);
			if (demux) {
				/* output channel i of stream s takes input channel k */
				map = &cfg->map[s];
				r = &map->route[i];
				r->stream = 0;
				r->channel = (uint8_t)k;
				if (map->channels < i + 1)
					map->channels = i + 1;
			} else {
				/* input channel i of stream s goes to output channel k */
				map = &cfg->map[0];
				r = &map->route[k];
				if (r->stream != DSP_ROUTE_NONE) {
					vadsp_err("dsp", "mux config: output channel %u fed twice", k);
					return -EINVAL;
				}
				r->stream = (uint8_t)s;
				r->channel = (uint8_t)i;
				if (map->channels < k + 1)
					map->channels = k + 1;
			}
		}
	}
	return 0;
}
