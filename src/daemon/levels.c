// SPDX-License-Identifier: MIT
/*
 * The management socket's "levels" figures (levels.h).
 */
#include "daemon/levels.h"

/* One channel's figure in 0.01 dBFS, or null (silence, or no window yet). */
static void put_db(struct json_out *o, bool have, double ratio, bool power)
{
	int32_t centi;

	if (have && dsp_level_db_centi(ratio, power, &centi) == 0)
		json_int64(o, centi);
	else
		json_null(o);
}

void vadspd_levels_put(struct json_out *o, const struct dsp_level_snapshot *s)
{
	uint32_t n = s->channels <= DSP_MAX_CHANNELS ? s->channels : DSP_MAX_CHANNELS;
	bool have = s->windows > 0;

	if (!n) {
		json_null(o);
		return;
	}
	json_obj_begin(o);
	json_kv_str(o, "format", dsp_fmt_name(s->fmt));
	json_kv_uint(o, "rate", s->rate);
	json_kv_uint(o, "channels", n);
	json_kv_uint(o, "window_ms", DSP_LEVEL_WINDOW_MS);
	json_kv_uint(o, "windows", s->windows);
	json_key(o, "peak_dbfs_centi");
	json_arr_begin(o);
	for (uint32_t c = 0; c < n; c++)
		put_db(o, have, s->peak[c], false);
	json_arr_end(o);
	json_key(o, "rms_dbfs_centi");
	json_arr_begin(o);
	for (uint32_t c = 0; c < n; c++)
		put_db(o, have, s->ms[c], true);
	json_arr_end(o);
	json_key(o, "clipped");
	json_arr_begin(o);
	for (uint32_t c = 0; c < n; c++)
		json_uint64(o, s->clipped[c]);
	json_arr_end(o);
	json_kv_uint(o, "clipped_total", s->clipped_total);
	json_obj_end(o);
}
