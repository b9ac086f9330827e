// SPDX-License-Identifier: MIT
/*
 * Names of the virtio-snd codes, for printing.
 */
#include <errno.h>

#include "guest/guest.h"
#include "snd/pcm-caps.h"
#include "util/compiler.h"

static const char *const positions[] = {
	"NONE", "NA", "MONO", "FL", "FR", "RL", "RR", "FC", "LFE", "SL", "SR", "RC", "FLC",
	"FRC", "RLC", "RRC", "FLW", "FRW", "FLH", "FCH", "FRH", "TC", "TFL", "TFR", "TFC",
	"TRL", "TRR", "TRC", "TFLC", "TFRC", "TSL", "TSR", "LLFE", "RLFE", "BC", "BLC", "BRC",
};
_Static_assert(VADSP_ARRAY_SIZE(positions) == VIRTIO_SND_CHMAP_BRC + 1, "every position");

static const char *const ctl_types[] = {
	[VIRTIO_SND_CTL_TYPE_BOOLEAN] = "BOOLEAN",
	[VIRTIO_SND_CTL_TYPE_INTEGER] = "INTEGER",
	[VIRTIO_SND_CTL_TYPE_INTEGER64] = "INTEGER64",
	[VIRTIO_SND_CTL_TYPE_ENUMERATED] = "ENUMERATED",
	[VIRTIO_SND_CTL_TYPE_BYTES] = "BYTES",
	[VIRTIO_SND_CTL_TYPE_IEC958] = "IEC958",
};

static const char *const ctl_roles[] = {
	[VIRTIO_SND_CTL_ROLE_UNDEFINED] = "UNDEFINED",
	[VIRTIO_SND_CTL_ROLE_VOLUME] = "VOLUME",
	[VIRTIO_SND_CTL_ROLE_MUTE] = "MUTE",
	[VIRTIO_SND_CTL_ROLE_GAIN] = "GAIN",
};

const char *vguest_chmap_position_name(uint8_t position)
{
	return position < VADSP_ARRAY_SIZE(positions) ? positions[position] : "?";
}

const char *vguest_ctl_type_name(uint32_t type)
{
	return type < VADSP_ARRAY_SIZE(ctl_types) ? ctl_types[type] : "?";
}

const char *vguest_ctl_role_name(uint32_t role)
{
	return role < VADSP_ARRAY_SIZE(ctl_roles) ? ctl_roles[role] : "?";
}

unsigned int vguest_format_bytes(uint8_t format)
{
	return vsnd_format_sample_bytes(format);
}

const char *vguest_format_name(uint8_t format)
{
	return vsnd_format_name(format);
}

uint32_t vguest_rate_hz(uint8_t rate)
{
	return vsnd_rate_hz(rate);
}

int vguest_rate_code(uint32_t hz)
{
	for (unsigned int r = 0; r < VIRTIO_SND_PCM_RATE_COUNT; r++)
		if (vsnd_rate_hz(r) == hz)
			return (int)r;
	return -EINVAL;
}
