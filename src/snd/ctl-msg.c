// SPDX-License-Identifier: MIT
/*
 * Control queue requests.
 *
 * Each request code has an entry in ctl_requests[]: the smallest valid request, the element
 * group it addresses and its handler. A request shorter than its structure, one that names an
 * element that does not exist or a query whose item size is wrong is BAD_MSG; an unknown code,
 * or a control request without VIRTIO_SND_F_CTLS negotiated, is NOT_SUPP.
 */
#include <errno.h>
#include <string.h>

#include "snd/ctl-msg.h"
#include "snd/virtio-snd.h"
#include "util/le.h"

struct ctl_request {
	uint32_t code;
	size_t min_len;			/* bytes of the request structure */
	size_t item_size;		/* for *_INFO queries: size of one reply item */
	bool needs_ctls;		/* only with VIRTIO_SND_F_CTLS */
	uint32_t (*count)(const struct vsnd_card *card);	/* elements addressed */
};

static uint32_t count_jacks(const struct vsnd_card *card)
{
	return card->jacks;
}

static uint32_t count_streams(const struct vsnd_card *card)
{
	return card->streams;
}

static uint32_t count_chmaps(const struct vsnd_card *card)
{
	return card->chmaps;
}

static uint32_t count_controls(const struct vsnd_card *card)
{
	return card->controls;
}

static const struct ctl_request ctl_requests[] = {
	{ VIRTIO_SND_R_JACK_INFO, sizeof(struct vsnd_query_info),
	  sizeof(struct vsnd_jack_info), false, count_jacks },
	{ VIRTIO_SND_R_JACK_REMAP, sizeof(struct vsnd_jack_remap), 0, false, count_jacks },
	{ VIRTIO_SND_R_PCM_INFO, sizeof(struct vsnd_query_info),
	  sizeof(struct vsnd_pcm_info), false, count_streams },
	{ VIRTIO_SND_R_PCM_SET_PARAMS, sizeof(struct vsnd_pcm_set_params), 0, false,
	  count_streams },
	{ VIRTIO_SND_R_PCM_PREPARE, sizeof(struct vsnd_pcm_hdr), 0, false, count_streams },
	{ VIRTIO_SND_R_PCM_RELEASE, sizeof(struct vsnd_pcm_hdr), 0, false, count_streams },
	{ VIRTIO_SND_R_PCM_START, sizeof(struct vsnd_pcm_hdr), 0, false, count_streams },
	{ VIRTIO_SND_R_PCM_STOP, sizeof(struct vsnd_pcm_hdr), 0, false, count_streams },
	{ VIRTIO_SND_R_CHMAP_INFO, sizeof(struct vsnd_query_info),
	  sizeof(struct vsnd_chmap_info), false, count_chmaps },
	{ VIRTIO_SND_R_CTL_INFO, sizeof(struct vsnd_query_info),
	  sizeof(struct vsnd_ctl_info), true, count_controls },
	{ VIRTIO_SND_R_CTL_ENUM_ITEMS, sizeof(struct vsnd_ctl_hdr), 0, true, count_controls },
	{ VIRTIO_SND_R_CTL_READ, sizeof(struct vsnd_ctl_hdr), 0, true, count_controls },
	{ VIRTIO_SND_R_CTL_WRITE, sizeof(struct vsnd_ctl_hdr) + sizeof(struct vsnd_ctl_value),
	  0, true, count_controls },
	{ VIRTIO_SND_R_CTL_TLV_READ, sizeof(struct vsnd_ctl_hdr), 0, true, count_controls },
	{ VIRTIO_SND_R_CTL_TLV_WRITE, sizeof(struct vsnd_ctl_hdr), 0, true, count_controls },
	{ VIRTIO_SND_R_CTL_TLV_COMMAND, sizeof(struct vsnd_ctl_hdr), 0, true, count_controls },
};

uint32_t vsnd_status_from_errno(int err)
{
	switch (err) {
	case 0:
		return VIRTIO_SND_S_OK;
	case -EINVAL:
	case -EBADMSG:
	case -ENOENT:
	case -ERANGE:
	case -EPROTO:
		return VIRTIO_SND_S_BAD_MSG;
	case -EOPNOTSUPP:
		return VIRTIO_SND_S_NOT_SUPP;
	default:
		return VIRTIO_SND_S_IO_ERR;
	}
}

static const struct ctl_request *find_request(uint32_t code)
{
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(ctl_requests); i++)
		if (ctl_requests[i].code == code)
			return &ctl_requests[i];
	return NULL;
}

/* A query names items [start_id, start_id + count) of @size bytes each. */
static int check_query(const struct ctl_request *r, const struct vsnd_card *card,
		       const uint8_t *req, size_t resp_len)
{
	uint32_t start = get_le32(req + offsetof(struct vsnd_query_info, start_id));
	uint32_t count = get_le32(req + offsetof(struct vsnd_query_info, count));
	uint32_t size = get_le32(req + offsetof(struct vsnd_query_info, size));
	uint32_t have = r->count(card);

	if (size != r->item_size)
		return -EINVAL;
	if (start > have || count > have - start)
		return -ENOENT;
	if ((uint64_t)count * size > resp_len - sizeof(struct vsnd_hdr))
		return -EINVAL;
	/*
	 * Every element group is empty in this version, so a valid query has count 0 and its
	 * reply is the header alone.
	 */
	return 0;
}

static int handle(const struct vsnd_card *card, const uint8_t *req, size_t req_len,
		  size_t resp_len)
{
	const struct ctl_request *r;
	uint32_t id;

	if (req_len < sizeof(struct vsnd_hdr))
		return -EBADMSG;
	r = find_request(get_le32(req));
	if (!r)
		return -EOPNOTSUPP;
	if (r->needs_ctls && !card->controls_negotiated)
		return -EOPNOTSUPP;
	if (req_len < r->min_len)
		return -EBADMSG;
	if (r->item_size)
		return check_query(r, card, req, resp_len);
	/* Every other request names one element right after the header. */
	id = get_le32(req + sizeof(struct vsnd_hdr));
	if (id >= r->count(card))
		return -ENOENT;
	return -EOPNOTSUPP;
}

size_t vsnd_ctl_handle(const struct vsnd_card *card, const uint8_t *req, size_t req_len,
		       uint8_t *resp, size_t resp_len)
{
	int err;

	if (resp_len < sizeof(struct vsnd_hdr))
		return 0;
	err = handle(card, req, req_len, resp_len);
	put_le32(resp, vsnd_status_from_errno(err));
	return sizeof(struct vsnd_hdr);
}
