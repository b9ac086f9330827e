/* SPDX-License-Identifier: MIT */
/*
 * The vadsp SOF IPC3 extension of virtio-snd: wire definitions shared by the device side
 * (vadspd) and DSP-aware guests (src/guest). docs/protocol.md section 4 is the
 * specification; this header only gives its numbers and layouts.
 *
 * - feature bit VADSP_SND_F_SOF_IPC3 (device-specific bit 23);
 * - the control-queue request VADSP_SND_R_SOF_IPC: {le32 code; IPC3 message}, answered
 *   with {le32 status; IPC3 reply};
 * - the event VADSP_SND_EVT_SOF_IPC: {le32 code; le32 size; IPC3 message} (position and
 *   xrun notifications);
 * - the three VFE messages (topology fetch, id ranges, power status), whose commands are in
 *   ipc/ipc3.h (IPC3_TPLG_VFE_GET, IPC3_TPLG_VFE_COMP_ID, IPC3_PM_VFE_POWER_STATUS);
 * - connection points: a guest COMP_NEW of a DAI with type VADSP_DAI_CONNECTION_POINT.
 */
#ifndef VADSP_IPC_VFE_H
#define VADSP_IPC_VFE_H

#include <stdint.h>

#include "ipc/ipc3.h"
#include "util/compiler.h"

/* Feature bit: the device carries SOF IPC3 (virtio-snd device-specific range 0..23). */
#define VADSP_SND_F_SOF_IPC3		23

/* Control-queue request code carrying one IPC3 message. */
#define VADSP_SND_R_SOF_IPC		0x0f00u
/* Event code carrying one IPC3 notification. */
#define VADSP_SND_EVT_SOF_IPC		0x1f00u

/* Event buffers a DSP-aware guest gives the event queue: event header plus a message. */
#define VADSP_SND_EVT_SOF_IPC_MIN	(8u + IPC3_MSG_MAX_SIZE)

/* DAI type of a guest's connection-point component (not a SOF DAI type). */
#define VADSP_DAI_CONNECTION_POINT	0x4350u

/* VFE_COMP_ID reply: magic "VDSP" and the protocol version this header describes. */
#define VADSP_VFE_MAGIC			0x50534456u
#define VADSP_VFE_VERSION		1u

/* Limits of docs/protocol.md 4.10. */
#define VADSP_VFE_COMP_ID_COUNT		1000u
#define VADSP_VFE_PIPELINE_COUNT	100u
#define VADSP_VFE_MAX_STREAMS		16u
#define VADSP_VFE_TOPOLOGY_MAX		(1u << 20)

/* VFE_GET request: read the guest topology from @offset. */
struct vadsp_vfe_get {
	struct ipc3_cmd_hdr hdr;	/* size 16, cmd IPC3_TPLG_VFE_GET */
	uint32_t offset;
	uint32_t reserved;		/* 0 */
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vadsp_vfe_get, 16);

/* VFE_GET reply: @n bytes of the topology from @offset follow; @n 0 at the end. */
struct vadsp_vfe_get_reply {
	struct ipc3_reply rhdr;
	uint32_t total;			/* size of the whole topology file */
	uint32_t offset;
	uint32_t n;
	uint8_t data[];
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vadsp_vfe_get_reply, 24);

/* Topology bytes per VFE_GET reply. */
#define VADSP_VFE_GET_CHUNK_MAX	(IPC3_MSG_MAX_SIZE - sizeof(struct vadsp_vfe_get_reply))

/* VFE_COMP_ID reply (the request is a bare struct ipc3_cmd_hdr). */
struct vadsp_vfe_comp_id_reply {
	struct ipc3_reply rhdr;
	uint32_t magic;			/* VADSP_VFE_MAGIC */
	uint32_t version;		/* VADSP_VFE_VERSION */
	uint32_t comp_id_base;
	uint32_t comp_id_count;
	uint32_t pipeline_count;	/* guest pipeline ids are 0 .. count - 1 */
	uint32_t max_streams;
	uint32_t abi;			/* SOF ABI word */
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vadsp_vfe_comp_id_reply, 40);

/* PM_VFE_POWER_STATUS request and reply. */
struct vadsp_vfe_power {
	struct ipc3_cmd_hdr hdr;	/* size 12, cmd IPC3_PM_VFE_POWER_STATUS */
	uint32_t power;			/* IPC3_VFE_POWER_ON / IPC3_VFE_POWER_OFF */
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vadsp_vfe_power, 12);

struct vadsp_vfe_power_reply {
	struct ipc3_reply rhdr;
	uint32_t reset_status;		/* IPC3_VFE_TOPOLOGY_KEPT / IPC3_VFE_TOPOLOGY_RESET */
} VADSP_PACKED;
VADSP_WIRE_SIZE(struct vadsp_vfe_power_reply, 16);

#endif /* VADSP_IPC_VFE_H */
