// SPDX-License-Identifier: MIT
/*
 * Control queue requests.
 *
 * Each request code has an entry in ctl_requests[]: the smallest valid request, the element
 * group it addresses, whether it needs VIRTIO_SND_F_CTLS, and the function that answers it
 * (an info item writer for the *_INFO queries, a request function for the others). Checks
 * shared by all requests, in order:
 *   - a response buffer shorter than the status header gets nothing, used length 0;
 *   - a request shorter than its header, or an unknown code: S_NOT_SUPP for an unknown
 *     code, S_BAD_MSG for a short header;
 *   - a control request (0x03xx) without VIRTIO_SND_F_CTLS negotiated: S_NOT_SUPP;
 *   - a request shorter than its structure: S_BAD_MSG (longer requests are accepted and
 *     the extra bytes ignored, except TLV_WRITE whose TLV follows the header);
 *   - a query whose item size is wrong, whose range [start_id, start_id + count) goes
 *     beyond the elements present, or whose reply does not fit the response buffer:
 *     S_BAD_MSG, nothing but the status written;
 *   - a request naming an element that does not exist: S_BAD_MSG.
 * The used length is the status header plus what the answer wrote (only on S_OK).
 *
 * The control queue is served in order. A RELEASE whose stream still has I/O in flight is
 * held: its chain is kept and nothing more is taken from the control queue until the
 * backend has given back the stream's last I/O message; then the RELEASE is answered and
 * the queue served again. Replies therefore come back in the order of the requests.
 */
#include <errno.h>
#include <string.h>

#include "snd/card.h"
#include "snd/ctl-msg.h"
#include "ipc/vfe.h"
#include "snd/virtio-snd.h"
#include "util/le.h"
#include "util/log.h"

#define LOG "snd"

enum ctl_group {
	GROUP_JACKS,
	GROUP_STREAMS,
	GROUP_CHMAPS,
	GROUP_CONTROLS,
};

struct ctl_request {
	uint32_t code;
	size_t min_len;			/* bytes of the request structure */
	size_t item_size;		/* *_INFO queries: size of one reply item */
	bool needs_ctls;		/* only with VIRTIO_SND_F_CTLS */
	enum ctl_group group;		/* the elements it addresses */
	void (*info)(const struct vsnd_card *card, uint32_t id, uint8_t *out);
	int (*handle)(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r);
};

#define QUERY(c, item, ctls, grp, fn) \
	{ .code = (c), .min_len = sizeof(struct vsnd_query_info), .item_size = sizeof(item), \
	  .needs_ctls = (ctls), .group = (grp), .info = (fn) }
#define REQUEST(c, len, ctls, grp, fn) \
	{ .code = (c), .min_len = (len), .needs_ctls = (ctls), .group = (grp), .handle = (fn) }

static const struct ctl_request ctl_requests[] = {
	QUERY(VIRTIO_SND_R_JACK_INFO, struct vsnd_jack_info, false, GROUP_JACKS,
	      vsnd_jack_info),
	REQUEST(VIRTIO_SND_R_JACK_REMAP, sizeof(struct vsnd_jack_remap), false, GROUP_JACKS,
		vsnd_jack_remap),
	QUERY(VIRTIO_SND_R_PCM_INFO, struct vsnd_pcm_info, false, GROUP_STREAMS,
	      vsnd_pcm_info),
	REQUEST(VIRTIO_SND_R_PCM_SET_PARAMS, sizeof(struct vsnd_pcm_set_params), false,
		GROUP_STREAMS, vsnd_pcm_set_params),
	REQUEST(VIRTIO_SND_R_PCM_PREPARE, sizeof(struct vsnd_pcm_hdr), false, GROUP_STREAMS,
		vsnd_pcm_prepare),
	REQUEST(VIRTIO_SND_R_PCM_RELEASE, sizeof(struct vsnd_pcm_hdr), false, GROUP_STREAMS,
		vsnd_pcm_release),
	REQUEST(VIRTIO_SND_R_PCM_START, sizeof(struct vsnd_pcm_hdr), false, GROUP_STREAMS,
		vsnd_pcm_start),
	REQUEST(VIRTIO_SND_R_PCM_STOP, sizeof(struct vsnd_pcm_hdr), false, GROUP_STREAMS,
		vsnd_pcm_stop),
	QUERY(VIRTIO_SND_R_CHMAP_INFO, struct vsnd_chmap_info, false, GROUP_CHMAPS,
	      vsnd_chmap_info),
	QUERY(VIRTIO_SND_R_CTL_INFO, struct vsnd_ctl_info, true, GROUP_CONTROLS,
	      vsnd_ctl_info),
	REQUEST(VIRTIO_SND_R_CTL_ENUM_ITEMS, sizeof(struct vsnd_ctl_hdr), true, GROUP_CONTROLS,
		vsnd_ctl_enum_items),
	REQUEST(VIRTIO_SND_R_CTL_READ, sizeof(struct vsnd_ctl_hdr), true, GROUP_CONTROLS,
		vsnd_ctl_read),
	REQUEST(VIRTIO_SND_R_CTL_WRITE, sizeof(struct vsnd_ctl_hdr) +
		sizeof(struct vsnd_ctl_value), true, GROUP_CONTROLS, vsnd_ctl_write),
	REQUEST(VIRTIO_SND_R_CTL_TLV_READ, sizeof(struct vsnd_ctl_hdr), true, GROUP_CONTROLS,
		vsnd_ctl_tlv_read),
	REQUEST(VIRTIO_SND_R_CTL_TLV_WRITE, sizeof(struct vsnd_ctl_hdr), true, GROUP_CONTROLS,
		vsnd_ctl_tlv_write),
	REQUEST(VIRTIO_SND_R_CTL_TLV_COMMAND, sizeof(struct vsnd_ctl_hdr), true, GROUP_CONTROLS,
		vsnd_ctl_tlv_command),
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
	case -EBADFD:
	case -EBUSY:
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

static uint32_t group_count(const struct vsnd_card *card, enum ctl_group g)
{
	if (card->sof)
		return 0;	/* the extension's card reads empty */
	switch (g) {
	case GROUP_JACKS:
		return card->desc->num_jacks;
	case GROUP_STREAMS:
	case GROUP_CHMAPS:
		return card->desc->num_streams;
	case GROUP_CONTROLS:
		return card->desc->num_controls;
	}
	return 0;
}

/* A query names items [start_id, start_id + count) of @size bytes each. */
static int query(const struct ctl_request *rq, const struct vsnd_card *card,
		 struct vsnd_ctl_req *r)
{
	uint32_t start = get_le32(r->req + offsetof(struct vsnd_query_info, start_id));
	uint32_t count = get_le32(r->req + offsetof(struct vsnd_query_info, count));
	uint32_t size = get_le32(r->req + offsetof(struct vsnd_query_info, size));
	uint32_t have = group_count(card, rq->group);

	if (size != rq->item_size)
		return -EINVAL;
	if (start > have || count > have - start)
		return -ENOENT;
	if ((uint64_t)count * size > r->room)
		return -EINVAL;
	for (uint32_t i = 0; i < count; i++)
		rq->info(card, start + i, r->payload + (size_t)i * size);
	r->len = (size_t)count * size;
	return 0;
}

static int dispatch(struct vsnd_card *card, struct vsnd_ctl_req *r, uint32_t *stream)
{
	const struct ctl_request *rq;
	uint32_t id;

	if (r->req_len < sizeof(struct vsnd_hdr))
		return -EBADMSG;
	if (get_le32(r->req) == VADSP_SND_R_SOF_IPC)
		return vsnd_sof_ipc(card, r->req, r->req_len, r->payload - sizeof(struct vsnd_hdr),
				    r->room + sizeof(struct vsnd_hdr), &r->len);
	rq = find_request(get_le32(r->req));
	if (!rq)
		return -EOPNOTSUPP;
	if (rq->needs_ctls && !card->controls_negotiated)
		return -EOPNOTSUPP;
	if (r->req_len < rq->min_len)
		return -EBADMSG;
	if (rq->info)
		return query(rq, card, r);
	/* Every other request names one element right after the header. */
	id = get_le32(r->req + sizeof(struct vsnd_hdr));
	if (id >= group_count(card, rq->group))
		return -ENOENT;
	*stream = id;
	return rq->handle(card, id, r);
}

/* Answer one request; -EINPROGRESS when the reply is held for stream *@held. */
static int handle(struct vsnd_card *card, const uint8_t *req, size_t req_len, uint8_t *resp,
		  size_t resp_len, uint32_t *held)
{
	struct vsnd_ctl_req r = {
		.req = req,
		.req_len = req_len,
		.payload = resp + sizeof(struct vsnd_hdr),
		.room = resp_len - sizeof(struct vsnd_hdr),
	};
	int err;

	err = dispatch(card, &r, held);
	if (err == -EINPROGRESS)
		return err;
	put_le32(resp, vsnd_status_from_errno(err));
	if (err)
		return sizeof(struct vsnd_hdr);
	return (int)(sizeof(struct vsnd_hdr) + r.len);
}

int vsnd_ctl_handle(struct vsnd_card *card, const uint8_t *req, size_t req_len, uint8_t *resp,
		    size_t resp_len)
{
	uint32_t stream = 0;
	int ret;

	if (resp_len < sizeof(struct vsnd_hdr))
		return 0;
	vsnd_card_enter(card);
	ret = handle(card, req, req_len, resp, resp_len, &stream);
	if (ret == -EINPROGRESS) {
		card->held = true;
		card->held_stream = stream;
		card->held_from_queue = false;
	}
	vsnd_card_leave(card);
	return ret;
}

void vsnd_ctlq_serve(struct vsnd_card *card)
{
	struct vring *vq = vsnd_card_queue(card, VSND_VQ_CONTROL);
	struct vring_chain *chain = &card->held_chain;
	int ret = 0;

	if (!vq)
		return;
	while (!card->held && (ret = vring_dev_pop(vq, chain)) > 0) {
		size_t req_len = vring_chain_read(chain, 0, card->req, VSND_CTL_REQ_MAX);
		size_t resp_len = VADSP_MIN(chain->in_bytes, VSND_CTL_RESP_MAX);
		uint32_t stream = 0;
		int used = 0;

		if (resp_len >= sizeof(struct vsnd_hdr))
			used = handle(card, card->req, req_len, card->resp, resp_len, &stream);
		if (used == -EINPROGRESS) {
			card->held = true;
			card->held_stream = stream;
			card->held_from_queue = true;
			vadsp_dbg(LOG, "stream %u: RELEASE waits for %u I/O messages", stream,
				  card->streams[stream].pending);
			break;
		}
		vring_chain_write(chain, 0, card->resp, (size_t)used);
		if (vring_dev_push(vq, chain->head, (uint32_t)used) < 0)
			ret = -EIO;
		vsnd_card_pushed(card, VSND_VQ_CONTROL);
		if (ret < 0)
			break;
	}
	if (ret < 0)
		vsnd_card_fail(card, "control queue broken");
}

void vsnd_ctl_held_done(struct vsnd_card *card)
{
	struct vring *vq = vsnd_card_queue(card, VSND_VQ_CONTROL);
	uint8_t status[sizeof(struct vsnd_hdr)];

	card->held = false;
	if (!card->held_from_queue)
		return;
	card->held_from_queue = false;
	if (!vq)
		return;
	vadsp_dbg(LOG, "stream %u: RELEASE answered", card->held_stream);
	put_le32(status, VIRTIO_SND_S_OK);
	vring_chain_write(&card->held_chain, 0, status, sizeof(status));
	if (vring_dev_push(vq, card->held_chain.head, sizeof(status)) < 0) {
		vsnd_card_fail(card, "control queue broken");
		return;
	}
	vsnd_card_pushed(card, VSND_VQ_CONTROL);
	card->resume_ctlq = true;
}
