// SPDX-License-Identifier: MIT
/*
 * The guest's control requests: CTL_READ, CTL_WRITE and the dB scale through TLV_READ.
 */
#include <errno.h>
#include <string.h>

#include "guest/internal.h"
#include "util/le.h"

/* ALSA's TLV type of a dB scale, and the mute flag in its second word. */
#define TLV_DB_SCALE		1u
#define TLV_DB_SCALE_MUTE	0x10000u

static bool has_values(uint32_t type)
{
	return type == VIRTIO_SND_CTL_TYPE_BOOLEAN || type == VIRTIO_SND_CTL_TYPE_INTEGER ||
	       type == VIRTIO_SND_CTL_TYPE_ENUMERATED;
}

int vguest_ctl_find(const struct vguest *g, const char *name, uint32_t index)
{
	for (uint32_t i = 0; i < g->card.num_controls; i++)
		if (!strcmp(g->card.controls[i].name, name) && g->card.controls[i].index == index)
			return (int)i;
	return -ENOENT;
}

int vguest_ctl_read(struct vguest *g, uint32_t id, struct vguest_ctl_value *v)
{
	uint8_t resp[4 + VIRTIO_SND_CTL_VALUE_SIZE];
	const struct vguest_ctl *c;
	uint32_t used = 0;
	int ret;

	if (id >= g->card.num_controls)
		return -ENOENT;
	c = &g->card.controls[id];
	ret = vguest_simple(g, VIRTIO_SND_R_CTL_READ, id, resp, sizeof(resp), &used);
	if (ret < 0)
		return ret;
	if (used != sizeof(resp))
		return -EPROTO;
	memset(v, 0, sizeof(*v));
	memcpy(v->bytes, resp + 4, VIRTIO_SND_CTL_VALUE_SIZE);
	if (has_values(c->type))
		for (uint32_t k = 0; k < c->count && k < VIRTIO_SND_CTL_VALUE_SIZE / 4; k++)
			v->values[k] = (int32_t)get_le32(v->bytes + 4 * k);
	return 0;
}

int vguest_ctl_write(struct vguest *g, uint32_t id, const struct vguest_ctl_value *v)
{
	uint8_t req[8 + VIRTIO_SND_CTL_VALUE_SIZE];
	uint8_t status[4];
	const struct vguest_ctl *c;
	int ret;

	if (id >= g->card.num_controls)
		return -ENOENT;
	c = &g->card.controls[id];
	put_le32(req, VIRTIO_SND_R_CTL_WRITE);
	put_le32(req + 4, id);
	if (has_values(c->type)) {
		memset(req + 8, 0, VIRTIO_SND_CTL_VALUE_SIZE);
		for (uint32_t k = 0; k < c->count && k < VIRTIO_SND_CTL_VALUE_SIZE / 4; k++)
			put_le32(req + 8 + 4 * k, (uint32_t)v->values[k]);
	} else {
		memcpy(req + 8, v->bytes, VIRTIO_SND_CTL_VALUE_SIZE);
	}
	ret = vguest_request(g, req, sizeof(req), status, sizeof(status), NULL);
	return ret < 0 ? ret : vguest_status_errno((uint32_t)ret);
}

int vguest_ctl_db_scale(struct vguest *g, uint32_t id, int32_t *min, int32_t *step,
			bool *mute)
{
	uint8_t resp[4 + 16];
	uint32_t used = 0;
	int ret;

	if (id >= g->card.num_controls)
		return -ENOENT;
	if (!(g->card.controls[id].access & (1u << VIRTIO_SND_CTL_ACCESS_TLV_READ)))
		return -EOPNOTSUPP;
	ret = vguest_simple(g, VIRTIO_SND_R_CTL_TLV_READ, id, resp, sizeof(resp), &used);
	if (ret < 0)
		return ret;
	if (used < 4 + 16 || get_le32(resp + 4) != TLV_DB_SCALE || get_le32(resp + 8) != 8)
		return -ENOENT;
	*min = (int32_t)get_le32(resp + 12);
	*step = (int32_t)(get_le32(resp + 16) & 0xffffu);
	*mute = get_le32(resp + 16) & TLV_DB_SCALE_MUTE;
	return 0;
}
