/* SPDX-License-Identifier: MIT */
/*
 * One DSP-aware guest's SOF IPC3 session (docs/protocol.md section 4): the device side of
 * the extension's IPC request, between the sound device (which frames the request, 4.2)
 * and the guest's executor on the shared host DSP (hostdsp.h).
 *
 * sof_guest_ipc() takes one IPC3 message and writes its reply:
 * - the VFE messages are answered here: VFE_GET (the guest topology file's bytes, 4.4),
 *   VFE_COMP_ID (magic, version, the slot's ranges, 4.5), PM_VFE_POWER_STATUS (4.9);
 * - every other message is validated as a guest's (ipc3_check(), IPC3_ORIGIN_GUEST), then
 *   checked against the guest's own rules (4.3: ids in its range and created by it,
 *   pipeline ids below 100, DAIs only as connection points) and passed to the guest's
 *   executor with its pipeline ids moved into the slot's private range;
 * - connection points (4.6) are never created: COMP_NEW of a DAI of type
 *   VADSP_DAI_CONNECTION_POINT records the id and the topology's connection-point widget it
 *   stands for; COMP_CONNECT to or from it joins the buffer to the host point's mixer or
 *   demux (hostdsp_guest_cp_connect()) and COMP_FREE of it detaches the buffer again
 *   (hostdsp_guest_cp_disconnect(); -EBUSY while its pipeline is prepared or running, as
 *   for any component); a pipeline scheduled by it is created at its PIPE_COMPLETE,
 *   scheduled by the host component of its own pipeline;
 * - PCM_PARAMS gives the stream an id (the reply's posn_offset, 4.7) and tells the stream
 *   ops, which move the audio; triggers reach the stream ops on the engine's thread in the
 *   same command; PCM_FREE stops the stream, has its I/O given back, then frees it.
 * Engine errors -ENODEV (no such id) are answered -ENOENT.
 *
 * The end of a session (sof_guest_reset(); sof_guest_destroy()) stops every stream, has
 * its I/O given back, and frees everything the guest created in order (ipc3_exec_reset()),
 * while the other guests keep playing.
 *
 * Threads: the session lives on the device's thread; everything that touches the engine
 * runs through the config's @call (the data thread between ticks, or directly in tests).
 */
#ifndef VADSP_DAEMON_SOF_GUEST_H
#define VADSP_DAEMON_SOF_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/hostdsp.h"
#include "ipc/vfe.h"
#include "tplg/tplg.h"

struct sof_guest;

/**
 * struct sof_guest_stream - a stream that PCM_PARAMS prepared
 * @host_id: the guest's host component
 * @playback: its direction
 * @frame_fmt: enum ipc3_frame_fmt of the guest's audio
 * @frame_bytes: bytes per frame of the guest's audio
 * @rate: frames per second
 * @ring_bytes: the engine's host ring
 * @posn_bytes: a position notification each time this many bytes moved (0: none)
 */
struct sof_guest_stream {
	uint32_t host_id;
	bool playback;
	uint32_t frame_fmt;
	uint32_t frame_bytes;
	uint32_t rate;
	uint32_t ring_bytes;
	uint32_t posn_bytes;
};

/**
 * struct sof_guest_stream_ops - who moves a session's audio (backend-dsp.c)
 * @open: device thread: stream @sid was prepared (PCM_PARAMS succeeded); return 0 or
 *        -errno (the stream is then freed again and the request fails)
 * @trigger: engine thread, in the command that ran it: IPC3 trigger @cmd (TRIG_START,
 *           STOP, PAUSE, RELEASE) succeeded on stream @sid
 * @close: device thread: stream @sid ends (stopped); give back its pending I/O with
 *         S_IO_ERR before returning
 * @data: their first argument
 */
struct sof_guest_stream_ops {
	int (*open)(void *data, uint32_t sid, const struct sof_guest_stream *st);
	void (*trigger)(void *data, uint32_t sid, uint32_t cmd);
	void (*close)(void *data, uint32_t sid);
};

/**
 * struct sof_guest_config - a session
 * @h: the host DSP
 * @slot: the guest's slot (ids from HOSTDSP_GUEST_ID_BASE * (slot + 1))
 * @topology: the guest topology file's bytes, or NULL when none is configured
 * @topology_size: their number, at most VADSP_VFE_TOPOLOGY_MAX
 * @tplg: the same file parsed (for its connection points), or NULL
 * @call: run @fn(@arg) where the engine may be called and return its result; NULL: call
 *        it directly
 * @call_ctx: first argument of @call
 * @ops: the stream ops, or NULL (streams then move nothing)
 * @ops_data: their first argument
 */
struct sof_guest_config {
	struct hostdsp *h;
	uint32_t slot;
	const uint8_t *topology;
	size_t topology_size;
	const struct tplg *tplg;
	int (*call)(void *call_ctx, int (*fn)(void *arg), void *arg);
	void *call_ctx;
	const struct sof_guest_stream_ops *ops;
	void *ops_data;
};

/**
 * sof_guest_create() - start a session: the guest's slot in the host DSP, empty
 * @out: the session
 * @cfg: its configuration (copied; what it points to must outlive the session)
 *
 * Return: 0; -EBUSY for a slot in use; -EINVAL; -ENOMEM.
 */
int sof_guest_create(struct sof_guest **out, const struct sof_guest_config *cfg);

/**
 * sof_guest_destroy() - end a session for good: sof_guest_reset(), then the slot is freed
 * @sg: the session, or NULL
 */
void sof_guest_destroy(struct sof_guest *sg);

/**
 * sof_guest_reset() - free everything the guest created, in order (4.9)
 * @sg: the session
 *
 * Every stream is stopped and closed (its I/O given back), then the executor is reset
 * (pipelines, then buffers and components in creation order), the connection points and
 * stream ids are forgotten. The next POWER_STATUS {1} answers reset_status 1.
 *
 * Return: 0, or the first error of ipc3_exec_reset() (objects the engine refused stay).
 */
int sof_guest_reset(struct sof_guest *sg);

/**
 * sof_guest_ipc() - answer one IPC3 message of the guest
 * @sg: the session
 * @req: the message (framed: 8..IPC3_MSG_MAX_SIZE bytes, hdr.size == @len)
 * @len: its length
 * @reply: room for the reply
 * @cap: bytes at @reply, at least IPC3_MSG_MAX_SIZE
 *
 * Return: the reply's length (its error field says whether the message succeeded);
 * -ENOSPC when @cap is too small; -EINVAL for a message that is not framed.
 */
int sof_guest_ipc(struct sof_guest *sg, const void *req, size_t len, void *reply, size_t cap);

/**
 * sof_guest_read_topology() - read a guest topology file for VFE_GET
 * @path: the file
 * @out: receives its bytes (free())
 * @size: receives their number
 *
 * Return: 0; -EFBIG above VADSP_VFE_TOPOLOGY_MAX (logged); the -errno of reading (logged).
 */
int sof_guest_read_topology(const char *path, uint8_t **out, size_t *size);

/* Objects the guest has in the engine (executor objects, see ipc3_exec_objects()). */
uint32_t sof_guest_objects(const struct sof_guest *sg);

/* Streams with parameters. */
uint32_t sof_guest_streams(const struct sof_guest *sg);

#endif /* VADSP_DAEMON_SOF_GUEST_H */
