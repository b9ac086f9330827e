/* SPDX-License-Identifier: MIT */
/*
 * The management socket's "levels" figures: one meter (dsp/kernels/level.h) as a JSON object
 * (docs/configuration.md, "levels"):
 *
 *   {"format":"s16le","rate":48000,"channels":2,"window_ms":100,"windows":57,
 *    "peak_dbfs_centi":[-602,-602],"rms_dbfs_centi":[-903,-903],"clipped":[0,0],
 *    "clipped_total":0}
 *
 * Levels are in 0.01 dB relative to full scale, per channel, over the last complete window;
 * null for digital silence (minus infinity) or before the first window ("windows" 0).
 */
#ifndef VADSP_DAEMON_LEVELS_H
#define VADSP_DAEMON_LEVELS_H

#include "daemon/json.h"
#include "dsp/kernels/level.h"

/**
 * vadspd_levels_put() - write one meter's figures as a JSON value
 * @o: the document
 * @s: the meter's last window; a meter with 0 channels (not set up) is written as null
 */
void vadspd_levels_put(struct json_out *o, const struct dsp_level_snapshot *s);

#endif /* VADSP_DAEMON_LEVELS_H */
