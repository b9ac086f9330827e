/* SPDX-License-Identifier: MIT */
/*
 * Control queue requests: parse, check, dispatch, and map the result to a virtio-snd status.
 *
 * ctl-msg.c holds the request table: for each code the smallest valid request, the element
 * group it addresses and the module function that answers it. The dispatcher checks what
 * every request shares (length, the VIRTIO_SND_F_CTLS requirement, the element id or the
 * query range and item size, room for a query's reply); the module functions declared below
 * check the rest and act.
 */
#ifndef VADSP_SND_CTL_MSG_H
#define VADSP_SND_CTL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vsnd_card;

/**
 * vsnd_status_from_errno() - the one place where internal errors become device status
 * @err: 0 or -errno
 *
 * Return: VIRTIO_SND_S_OK for 0; S_BAD_MSG for malformed or out-of-range requests and
 * requests the state machine forbids (-EINVAL, -EBADMSG, -ENOENT, -ERANGE, -EPROTO,
 * -EBADFD, -EBUSY); S_NOT_SUPP for -EOPNOTSUPP; S_IO_ERR for anything else.
 */
uint32_t vsnd_status_from_errno(int err);

/**
 * vsnd_ctl_handle() - handle one control request
 * @card: the card
 * @req: the device-readable bytes of the request
 * @req_len: their length
 * @resp: the device-writable buffer; on return it starts with the status header
 * @resp_len: its length
 *
 * Return: the number of response bytes written (the used length; 0 when @resp_len is
 * shorter than the status header), or -EINPROGRESS when the reply is held: a RELEASE whose
 * stream still has I/O in flight. The held reply is answered through the control queue
 * (vsnd_ctl_held_done()); a caller without one learns nothing more.
 */
int vsnd_ctl_handle(struct vsnd_card *card, const uint8_t *req, size_t req_len, uint8_t *resp,
		    size_t resp_len);

/**
 * struct vsnd_ctl_req - one request being answered, as a module function sees it
 * @req: the whole request (at least the table's minimum length)
 * @req_len: its length
 * @payload: where the response continues after the status header
 * @room: bytes of @payload the driver gave
 * @len: set by the function: bytes it wrote into @payload
 */
struct vsnd_ctl_req {
	const uint8_t *req;
	size_t req_len;
	uint8_t *payload;
	size_t room;
	size_t len;
};

/*
 * Info items: write item @id (its size is the table's) into @out. The dispatcher has
 * checked the range.
 */
void vsnd_jack_info(const struct vsnd_card *card, uint32_t id, uint8_t *out);
void vsnd_pcm_info(const struct vsnd_card *card, uint32_t id, uint8_t *out);
void vsnd_chmap_info(const struct vsnd_card *card, uint32_t id, uint8_t *out);
void vsnd_ctl_info(const struct vsnd_card *card, uint32_t id, uint8_t *out);

/*
 * Requests on one element: @id exists. Return 0 or -errno (statuses as above);
 * vsnd_pcm_release() may return -EINPROGRESS (reply held until the stream's I/O is back).
 */
int vsnd_jack_remap(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r);
int vsnd_pcm_set_params(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r);
int vsnd_pcm_prepare(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r);
int vsnd_pcm_release(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r);
int vsnd_pcm_start(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r);
int vsnd_pcm_stop(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r);
int vsnd_ctl_enum_items(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r);
int vsnd_ctl_read(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r);
int vsnd_ctl_write(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r);
int vsnd_ctl_tlv_read(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r);
int vsnd_ctl_tlv_write(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r);
int vsnd_ctl_tlv_command(struct vsnd_card *card, uint32_t id, struct vsnd_ctl_req *r);

#endif /* VADSP_SND_CTL_MSG_H */
