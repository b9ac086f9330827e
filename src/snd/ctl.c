// SPDX-License-Identifier: MIT
/*
 * Control elements (VIRTIO 1.3): CTL_INFO, ENUM_ITEMS, READ, WRITE, TLV_READ, TLV_WRITE,
 * TLV_COMMAND, and value changes from the host side.
 *
 * Each topology control becomes one element (card-tplg.c builds the description):
 *   type    a mixer with max 1 is BOOLEAN (a switch), another mixer INTEGER, an enum
 *           ENUMERATED, a bytes control BYTES;
 *   role    VOLUME for an INTEGER that drives a pga (volume) widget, MUTE for a BOOLEAN,
 *           UNDEFINED otherwise;
 *   access  the topology's READ, WRITE, VOLATILE and INACTIVE bits (READ|WRITE when it
 *           gives none); TLV_READ for an INTEGER with a dB scale and for a BYTES control
 *           whose topology access has TLV read; TLV_WRITE for a BYTES control whose
 *           topology access has TLV write; TLV_COMMAND never;
 *   count   channels (INTEGER, BOOLEAN, ENUMERATED), or the bytes control's maximum size
 *           capped at 512 (the value size; larger data goes through TLV);
 *   index   how many earlier elements have the same name (ALSA needs name+index unique);
 *   range   min, max, step of the mixer; the number of items of an enum.
 * Values live in the device, per guest, starting at: a volume at its 0 dB step when its
 * scale has one (else its maximum), a switch on (1), an enum at item 0, bytes at the
 * topology's data.
 *
 * Statuses: a request an element's access does not allow (READ without READ access,
 * TLV_WRITE without TLV_WRITE...) is S_NOT_SUPP; a response buffer too small for the
 * answer, a value out of range, ENUM_ITEMS on an element that is not ENUMERATED, or a
 * malformed TLV is S_BAD_MSG; a value the backend refuses is S_IO_ERR (or its errno's
 * status). A value written by the guest is not echoed back as an event; a value changed
 * from the host side (vsnd_card_ctl_set()) is sent as CTL_NOTIFY with mask VALUE.
 *
 * TLV layouts (le32 words):
 *   dB scale  {SNDRV_CTL_TLVT_DB_SCALE = 1, 8, min (0.01 dB), step (0.01 dB) | 0x10000 if
 *             the minimum mutes}, ALSA's DB_SCALE item;
 *   bytes     {control id, length, data[length]}, the layout SOF's bytes controls use
 *             (TLV_READ answers it; TLV_WRITE takes it, length at most the control's
 *             maximum size).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "snd/card.h"
#include "snd/ctl-msg.h"
#include "snd/virtio-snd.h"
#include "util/le.h"
#include "util/log.h"

#define LOG "snd"

#define TLV_DB_SCALE		1u
#define TLV_DB_SCALE_MUTE	0x10000u
#define TLV_HDR			8u

static bool has_access(const struct vsnd_ctl_desc *d, unsigned int bit)
{
	return d->access & (1u << bit);
}

static bool is_blob(const struct vsnd_ctl_desc *d)
{
	return d->type == VIRTIO_SND_CTL_TYPE_BYTES;
}

int vsnd_ctl_init_values(struct vsnd_card *card)
{
	const struct vsnd_card_desc *desc = card->desc;

	card->ctls = calloc(desc->num_controls ? desc->num_controls : 1, sizeof(*card->ctls));
	if (!card->ctls)
		return -ENOMEM;
	for (uint32_t i = 0; i < desc->num_controls; i++) {
		const struct vsnd_ctl_desc *d = &desc->controls[i];
		struct vsnd_ctl_state *c = &card->ctls[i];

		if (is_blob(d)) {
			c->blob = calloc(1, d->blob_max ? d->blob_max : 1);
			if (!c->blob)
				return -ENOMEM;
			memcpy(c->blob, d->blob_init, d->blob_init_len);
			c->blob_len = d->blob_init_len;
			continue;
		}
		c->values = calloc(d->count ? d->count : 1, sizeof(*c->values));
		if (!c->values)
			return -ENOMEM;
		for (uint32_t v = 0; v < d->count; v++)
			c->values[v] = d->init;
	}
	return 0;
}

void vsnd_ctl_free_values(struct vsnd_card *card)
{
	if (!card->ctls)
		return;
	for (uint32_t i = 0; i < card->desc->num_controls; i++) {
		free(card->ctls[i].values);
		free(card->ctls[i].blob);
	}
	free(card->ctls);
	card->ctls = NULL;
}

void vsnd_ctl_info(const struct vsnd_card *card, uint32_t id, uint8_t *out)
{
	const struct vsnd_ctl_desc *d = &card->desc->controls[id];
	uint8_t *val = out + offsetof(struct vsnd_ctl_info, value);

	memset(out, 0, sizeof(struct vsnd_ctl_info));
	put_le32(out + offsetof(struct vsnd_ctl_info, hdr), d->nid);
	put_le32(out + offsetof(struct vsnd_ctl_info, role), d->role);
	put_le32(out + offsetof(struct vsnd_ctl_info, type), d->type);
	put_le32(out + offsetof(struct vsnd_ctl_info, access), d->access);
	put_le32(out + offsetof(struct vsnd_ctl_info, count), d->count);
	put_le32(out + offsetof(struct vsnd_ctl_info, index), d->index);
	memcpy(out + offsetof(struct vsnd_ctl_info, name), d->name, sizeof(d->name));
	switch (d->type) {
	case VIRTIO_SND_CTL_TYPE_BOOLEAN:
	case VIRTIO_SND_CTL_TYPE_INTEGER:
		put_le32(val, (uint32_t)d->min);
		put_le32(val + 4, (uint32_t)d->max);
		put_le32(val + 8, (uint32_t)d->step);
		break;
	case VIRTIO_SND_CTL_TYPE_ENUMERATED:
		put_le32(val, d->items);
		break;
	default:
		break;
	}
}

int vsnd_ctl_enum_items(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r)
{
	const struct vsnd_ctl_desc *d = &card->desc->controls[id];
	size_t len = (size_t)d->items * VIRTIO_SND_CTL_ENUM_ITEM_SIZE;

	if (d->type != VIRTIO_SND_CTL_TYPE_ENUMERATED)
		return -EINVAL;
	if (r->room < len)
		return -EINVAL;
	memcpy(r->payload, d->item_names, len);
	r->len = len;
	return 0;
}

int vsnd_ctl_read(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r)
{
	const struct vsnd_ctl_desc *d = &card->desc->controls[id];
	const struct vsnd_ctl_state *c = &card->ctls[id];

	if (!has_access(d, VIRTIO_SND_CTL_ACCESS_READ))
		return -EOPNOTSUPP;
	if (r->room < VIRTIO_SND_CTL_VALUE_SIZE)
		return -EINVAL;
	memset(r->payload, 0, VIRTIO_SND_CTL_VALUE_SIZE);
	if (is_blob(d))
		memcpy(r->payload, c->blob, VADSP_MIN(c->blob_len, d->count));
	else
		for (uint32_t i = 0; i < d->count; i++)
			put_le32(r->payload + 4 * i, (uint32_t)c->values[i]);
	r->len = VIRTIO_SND_CTL_VALUE_SIZE;
	return 0;
}

/* Is @v a value @d accepts? */
static int check_value(const struct vsnd_ctl_desc *d, const struct vsnd_ctl_values *v)
{
	if (is_blob(d))
		return v->blob && v->count <= d->blob_max ? 0 : -EINVAL;
	if (!v->values || v->count != d->count)
		return -EINVAL;
	for (uint32_t i = 0; i < v->count; i++) {
		int32_t x = v->values[i];

		switch (d->type) {
		case VIRTIO_SND_CTL_TYPE_ENUMERATED:
			if (x < 0 || (uint32_t)x >= d->items)
				return -EINVAL;
			break;
		default:
			if (x < d->min || x > d->max)
				return -EINVAL;
			if (d->step > 0 && ((int64_t)x - d->min) % d->step)
				return -EINVAL;
			break;
		}
	}
	return 0;
}

static bool same_value(const struct vsnd_ctl_desc *d, const struct vsnd_ctl_state *c,
		       const struct vsnd_ctl_values *v)
{
	if (is_blob(d))
		return c->blob_len == v->count && !memcmp(c->blob, v->blob, v->count);
	return !memcmp(c->values, v->values, v->count * sizeof(*v->values));
}

/*
 * Check @v, give it to the backend and keep it. Return 1 when the value changed, 0 when
 * it was already so (the backend is not called), or -errno.
 */
static int apply(struct vsnd_card *card, uint32_t id, const struct vsnd_ctl_values *v)
{
	const struct vsnd_ctl_desc *d = &card->desc->controls[id];
	struct vsnd_ctl_state *c = &card->ctls[id];
	int ret;

	ret = check_value(d, v);
	if (ret < 0)
		return ret;
	if (same_value(d, c, v))
		return 0;
	if (card->backend_ops->ctl_write) {
		ret = card->backend_ops->ctl_write(card->backend, id, v);
		if (ret < 0) {
			vadsp_warn(LOG, "control %u '%s': backend %s refused the value: %s", id,
				   d->name, card->backend_ops->name, strerror(-ret));
			return ret;
		}
	}
	if (is_blob(d)) {
		memcpy(c->blob, v->blob, v->count);
		c->blob_len = v->count;
	} else {
		memcpy(c->values, v->values, v->count * sizeof(*v->values));
	}
	return 1;
}

int vsnd_ctl_write(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r)
{
	const struct vsnd_ctl_desc *d = &card->desc->controls[id];
	const uint8_t *val = r->req + sizeof(struct vsnd_ctl_hdr);
	int32_t values[VIRTIO_SND_CTL_VALUE_SIZE / 4];
	struct vsnd_ctl_values v = { .count = d->count };
	int ret;

	if (!has_access(d, VIRTIO_SND_CTL_ACCESS_WRITE))
		return -EOPNOTSUPP;
	if (is_blob(d)) {
		v.blob = val;
	} else {
		for (uint32_t i = 0; i < d->count; i++)
			values[i] = (int32_t)get_le32(val + 4 * i);
		v.values = values;
	}
	ret = apply(card, id, &v);
	return ret < 0 ? ret : 0;
}

int vsnd_ctl_tlv_read(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r)
{
	const struct vsnd_ctl_desc *d = &card->desc->controls[id];
	const struct vsnd_ctl_state *c = &card->ctls[id];

	if (!has_access(d, VIRTIO_SND_CTL_ACCESS_TLV_READ))
		return -EOPNOTSUPP;
	if (is_blob(d)) {
		if (r->room < TLV_HDR + (size_t)c->blob_len)
			return -EINVAL;
		put_le32(r->payload, id);
		put_le32(r->payload + 4, c->blob_len);
		memcpy(r->payload + TLV_HDR, c->blob, c->blob_len);
		r->len = TLV_HDR + c->blob_len;
		return 0;
	}
	if (!d->has_db)
		return -EOPNOTSUPP;
	if (r->room < 16)
		return -EINVAL;
	put_le32(r->payload, TLV_DB_SCALE);
	put_le32(r->payload + 4, 8);
	put_le32(r->payload + 8, (uint32_t)d->db_min);
	put_le32(r->payload + 12, ((uint32_t)d->db_step & 0xffffu) |
				  (d->db_mute ? TLV_DB_SCALE_MUTE : 0));
	r->len = 16;
	return 0;
}

int vsnd_ctl_tlv_write(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r)
{
	const struct vsnd_ctl_desc *d = &card->desc->controls[id];
	const uint8_t *tlv = r->req + sizeof(struct vsnd_ctl_hdr);
	size_t avail = r->req_len - sizeof(struct vsnd_ctl_hdr);
	struct vsnd_ctl_values v;
	uint32_t len;
	int ret;

	if (!has_access(d, VIRTIO_SND_CTL_ACCESS_TLV_WRITE) || !is_blob(d))
		return -EOPNOTSUPP;
	if (avail < TLV_HDR)
		return -EBADMSG;
	len = get_le32(tlv + 4);
	if (len > avail - TLV_HDR || len > d->blob_max)
		return -EBADMSG;
	v = (struct vsnd_ctl_values){ .count = len, .blob = tlv + TLV_HDR };
	ret = apply(card, id, &v);
	return ret < 0 ? ret : 0;
}

int vsnd_ctl_tlv_command(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r)
{
	(void)card;
	(void)id;
	(void)r;
	/* No element offers TLV_COMMAND: card-tplg.c never sets that access bit. */
	return -EOPNOTSUPP;
}

int vsnd_card_ctl_set(struct vsnd_card *card, uint32_t control,
		      const struct vsnd_ctl_values *value)
{
	int ret;

	if (control >= card->desc->num_controls)
		return -ENOENT;
	vsnd_card_enter(card);
	ret = apply(card, control, value);
	if (ret > 0 && card->controls_negotiated)
		vsnd_event_post(card, VIRTIO_SND_EVT_CTL_NOTIFY,
				control | (1u << VIRTIO_SND_CTL_EVT_MASK_VALUE) << 16);
	vsnd_card_leave(card);
	return ret;
}

int vsnd_card_ctl_get(const struct vsnd_card *card, uint32_t control,
		      struct vsnd_ctl_values *value)
{
	const struct vsnd_ctl_desc *d;
	const struct vsnd_ctl_state *c;

	if (control >= card->desc->num_controls)
		return -ENOENT;
	d = &card->desc->controls[control];
	c = &card->ctls[control];
	if (is_blob(d))
		*value = (struct vsnd_ctl_values){ .count = c->blob_len, .blob = c->blob };
	else
		*value = (struct vsnd_ctl_values){ .count = d->count, .values = c->values };
	return 0;
}
