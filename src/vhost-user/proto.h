/* SPDX-License-Identifier: MIT */
/*
 * vhost-user wire protocol: message header, request codes, payloads.
 *
 * Numbers from the vhost-user specification (QEMU docs/interop/vhost-user.rst). Every
 * message is a 12-byte header followed by `size` bytes of payload; file descriptors travel as
 * SCM_RIGHTS ancillary data with the header. All fields are little-endian (x86 and arm64
 * hosts, as the specification assumes native = little-endian).
 */
#ifndef VADSP_VHOST_USER_PROTO_H
#define VADSP_VHOST_USER_PROTO_H

#include <stdint.h>

#include "util/compiler.h"

enum vu_request {
	VHOST_USER_NONE = 0,
	VHOST_USER_GET_FEATURES = 1,
	VHOST_USER_SET_FEATURES = 2,
	VHOST_USER_SET_OWNER = 3,
	VHOST_USER_RESET_OWNER = 4,
	VHOST_USER_SET_MEM_TABLE = 5,
	VHOST_USER_SET_LOG_BASE = 6,
	VHOST_USER_SET_LOG_FD = 7,
	VHOST_USER_SET_VRING_NUM = 8,
	VHOST_USER_SET_VRING_ADDR = 9,
	VHOST_USER_SET_VRING_BASE = 10,
	VHOST_USER_GET_VRING_BASE = 11,
	VHOST_USER_SET_VRING_KICK = 12,
	VHOST_USER_SET_VRING_CALL = 13,
	VHOST_USER_SET_VRING_ERR = 14,
	VHOST_USER_GET_PROTOCOL_FEATURES = 15,
	VHOST_USER_SET_PROTOCOL_FEATURES = 16,
	VHOST_USER_GET_QUEUE_NUM = 17,
	VHOST_USER_SET_VRING_ENABLE = 18,
	VHOST_USER_SEND_RARP = 19,
	VHOST_USER_NET_SET_MTU = 20,
	VHOST_USER_SET_BACKEND_REQ_FD = 21,
	VHOST_USER_IOTLB_MSG = 22,
	VHOST_USER_SET_VRING_ENDIAN = 23,
	VHOST_USER_GET_CONFIG = 24,
	VHOST_USER_SET_CONFIG = 25,
	VHOST_USER_CREATE_CRYPTO_SESSION = 26,
	VHOST_USER_CLOSE_CRYPTO_SESSION = 27,
	VHOST_USER_POSTCOPY_ADVISE = 28,
	VHOST_USER_POSTCOPY_LISTEN = 29,
	VHOST_USER_POSTCOPY_END = 30,
	VHOST_USER_GET_INFLIGHT_FD = 31,
	VHOST_USER_SET_INFLIGHT_FD = 32,
	VHOST_USER_GPU_SET_SOCKET = 33,
	VHOST_USER_RESET_DEVICE = 34,
	VHOST_USER_VRING_KICK = 35,
	VHOST_USER_GET_MAX_MEM_SLOTS = 36,
	VHOST_USER_ADD_MEM_REG = 37,
	VHOST_USER_REM_MEM_REG = 38,
	VHOST_USER_SET_STATUS = 39,
	VHOST_USER_GET_STATUS = 40,
};

/* Protocol feature bits (GET/SET_PROTOCOL_FEATURES). */
#define VHOST_USER_PROTOCOL_F_MQ		0
#define VHOST_USER_PROTOCOL_F_LOG_SHMFD		1
#define VHOST_USER_PROTOCOL_F_RARP		2
#define VHOST_USER_PROTOCOL_F_REPLY_ACK		3
#define VHOST_USER_PROTOCOL_F_MTU		4
#define VHOST_USER_PROTOCOL_F_BACKEND_REQ	5
#define VHOST_USER_PROTOCOL_F_CROSS_ENDIAN	6
#define VHOST_USER_PROTOCOL_F_CRYPTO_SESSION	7
#define VHOST_USER_PROTOCOL_F_PAGEFAULT		8
#define VHOST_USER_PROTOCOL_F_CONFIG		9
#define VHOST_USER_PROTOCOL_F_BACKEND_SEND_FD	10
#define VHOST_USER_PROTOCOL_F_HOST_NOTIFIER	11
#define VHOST_USER_PROTOCOL_F_INFLIGHT_SHMFD	12
#define VHOST_USER_PROTOCOL_F_RESET_DEVICE	13
#define VHOST_USER_PROTOCOL_F_INBAND_NOTIFICATIONS 14
#define VHOST_USER_PROTOCOL_F_CONFIGURE_MEM_SLOTS 15
#define VHOST_USER_PROTOCOL_F_STATUS		16

/* Feature bit 30 in GET/SET_FEATURES: the back-end speaks protocol features. */
#define VHOST_USER_F_PROTOCOL_FEATURES		30

/* Header flags. */
#define VHOST_USER_VERSION_MASK			0x3u
#define VHOST_USER_VERSION			0x1u
#define VHOST_USER_REPLY			(1u << 2)
#define VHOST_USER_NEED_REPLY			(1u << 3)

/* u64 payload of SET_VRING_KICK/CALL/ERR: queue index and "no fd" flag. */
#define VHOST_USER_VRING_IDX_MASK		0xffull
#define VHOST_USER_VRING_NOFD			(1ull << 8)

/* Most file descriptors one message may carry. */
#define VHOST_USER_MAX_FDS			8
/* Regions in SET_MEM_TABLE. */
#define VHOST_USER_MAX_REGIONS			8
/* Largest config space GET/SET_CONFIG may carry. */
#define VHOST_USER_MAX_CONFIG_SIZE		256

struct vu_msg_hdr {
	uint32_t request;
	uint32_t flags;
	uint32_t size;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vu_msg_hdr, 12);
#define VHOST_USER_HDR_SIZE			12

struct vu_vring_state {
	uint32_t index;
	uint32_t num;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vu_vring_state, 8);

#define VHOST_VRING_F_LOG			0

struct vu_vring_addr {
	uint32_t index;
	uint32_t flags;
	uint64_t desc_uva;
	uint64_t used_uva;
	uint64_t avail_uva;
	uint64_t log_gpa;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vu_vring_addr, 40);

struct vu_mem_region {
	uint64_t gpa;
	uint64_t size;
	uint64_t uva;
	uint64_t mmap_offset;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vu_mem_region, 32);

struct vu_mem_table {
	uint32_t nregions;
	uint32_t padding;
	struct vu_mem_region regions[VHOST_USER_MAX_REGIONS];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vu_mem_table, 264);

/* ADD_MEM_REG / REM_MEM_REG */
struct vu_mem_single {
	uint64_t padding;
	struct vu_mem_region region;
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vu_mem_single, 40);

struct vu_config {
	uint32_t offset;
	uint32_t size;
	uint32_t flags;
	uint8_t region[VHOST_USER_MAX_CONFIG_SIZE];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vu_config, 268);
#define VU_CONFIG_HDR_SIZE			12
/* vu_config.flags of SET_CONFIG */
#define VHOST_SET_CONFIG_TYPE_FRONTEND		0
#define VHOST_SET_CONFIG_TYPE_MIGRATION		1

/* The largest payload any request we accept may have. */
#define VHOST_USER_MAX_PAYLOAD			sizeof(struct vu_config)

/* Device status bits (VIRTIO 1.x, 2.1) carried by SET/GET_STATUS. */
#define VIRTIO_STATUS_ACKNOWLEDGE		1
#define VIRTIO_STATUS_DRIVER			2
#define VIRTIO_STATUS_DRIVER_OK			4
#define VIRTIO_STATUS_FEATURES_OK		8
#define VIRTIO_STATUS_NEEDS_RESET		64
#define VIRTIO_STATUS_FAILED			128

#endif /* VADSP_VHOST_USER_PROTO_H */
