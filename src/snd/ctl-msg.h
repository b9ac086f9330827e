/* SPDX-License-Identifier: MIT */
/*
 * Control queue requests: parse, check, dispatch, and map the result to a virtio-snd status.
 */
#ifndef VADSP_SND_CTL_MSG_H
#define VADSP_SND_CTL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * struct vsnd_card - what the guest sees: element counts (a topology fills these later)
 */
struct vsnd_card {
	uint32_t jacks;
	uint32_t streams;
	uint32_t chmaps;
	uint32_t controls;
	bool controls_negotiated;
};

/**
 * vsnd_status_from_errno() - the one place where internal errors become device status
 * @err: 0 or -errno
 *
 * Return: VIRTIO_SND_S_OK for 0; S_BAD_MSG for malformed or out-of-range requests
 * (-EINVAL, -EBADMSG, -ENOENT, -ERANGE, -EPROTO); S_NOT_SUPP for -EOPNOTSUPP; S_IO_ERR for
 * anything else.
 */
uint32_t vsnd_status_from_errno(int err);

/**
 * vsnd_ctl_handle() - handle one control request
 * @card: the card
 * @req: the device-readable bytes of the request
 * @req_len: their length
 * @resp: the device-writable buffer; on return it starts with the status header
 * @resp_len: its length; at least sizeof(struct vsnd_hdr)
 *
 * Return: the number of response bytes written (the used length).
 */
size_t vsnd_ctl_handle(const struct vsnd_card *card, const uint8_t *req, size_t req_len,
		       uint8_t *resp, size_t resp_len);

#endif /* VADSP_SND_CTL_MSG_H */
