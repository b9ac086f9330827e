/* SPDX-License-Identifier: MIT */
/*
 * SOF IPC3 codec and validator.
 *
 * ipc3_check() is the one gate every IPC3 request passes before it may change DSP state,
 * whoever sends it: vadspd applying a topology on a guest's behalf, or a guest speaking
 * IPC3 itself. It checks a message's framing and every field it can judge without the
 * engine's state, and decodes it into host-endian C structures (struct ipc3_msg). What
 * needs the engine's state (does the id exist, is it a buffer, may the pipeline be freed
 * now, is the trigger legal in the current state) is for the executor (ipc3-exec.h) and
 * the engine to decide.
 *
 * The rules follow what the SOF firmware checks, and are stricter where the firmware
 * trusts its host driver. Every rejection is a negative errno and a static one-line
 * reason (msg->reason):
 *
 *   -EINVAL  malformed: fewer than 8 or more than 384 bytes; hdr.size differs from the
 *            bytes received; an unknown global or command type; a non-zero id field in
 *            the command word of a request; a size other than the command's; a field out
 *            of range (every enum, rates, channel counts, sizes; see ipc3-check.c for the
 *            full table); DSP-to-host messages sent as requests (REPLY, FW_READY,
 *            PCM_PARAMS_REPLY, COMP_NOTIFICATION), COMPOUND, PIPE_CONNECT, the PM clock
 *            commands and TRIG_DRAIN, none of which the firmware executes either.
 *   -EACCES  a guest (IPC3_ORIGIN_GUEST) addressing the DSP's privileged services:
 *            the DAI, TRACE, GDB, TEST, PROBE and DEBUG global types. A guest never
 *            configures host hardware or reads the DSP's trace (the 2020 series refused
 *            DAI and TRACE the same way). -EACCES, not -EPERM: the operation exists and
 *            is valid, but not for this caller.
 *   -EOPNOTSUPP  the same global types from the host itself (IPC3_ORIGIN_HOST): valid
 *            SOF messages that vadsp does not implement (its DAIs are configured by
 *            vadspd's configuration, not by DAI_CONFIG).
 *
 * Replies are encoded wire-exact by the ipc3_encode_*_reply() functions; requests by
 * ipc3_encode(), which writes what ipc3_check() decodes (reserved fields zero), so
 * ipc3_check(ipc3_encode(m)) gives m back.
 */
#ifndef VADSP_IPC_IPC3_CHECK_H
#define VADSP_IPC_IPC3_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc/ipc3.h"

/* Limits vadsp enforces beyond the firmware's own checks. */
#define IPC3_CHECK_CHANNELS_MAX		8u		/* PCM, volume and control channels */
#define IPC3_CHECK_RATE_MIN		8000u		/* Hz */
#define IPC3_CHECK_RATE_MAX		192000u		/* Hz */
#define IPC3_CHECK_CORES		8u		/* core ids 0..7 */
#define IPC3_CHECK_PERIODS_MAX		64u		/* comp config periods_sink/source */
#define IPC3_CHECK_BUFFER_MAX		(1u << 20)	/* BUFFER_NEW size, bytes */
#define IPC3_CHECK_HOST_BUFFER_MAX	(16u << 20)	/* PCM_PARAMS host buffer, bytes */
#define IPC3_CHECK_PERIOD_US_MAX	1000000u	/* PIPE_NEW period, microseconds */
#define IPC3_CHECK_RAMP_MS_MAX		10000u		/* volume initial ramp, ms */
#define IPC3_CHECK_BLOB_MAX		(64u << 10)	/* binary control data, bytes */

/* Who sent a message: decides how the privileged global types are refused. */
enum ipc3_origin {
	IPC3_ORIGIN_HOST = 0,	/* vadspd itself (e.g. a topology applied for a guest) */
	IPC3_ORIGIN_GUEST = 1,	/* a guest's own IPC3 */
};

/* COMP_NEW, decoded. Which member of @u is valid follows @type. */
struct ipc3_msg_comp {
	uint32_t id;
	uint32_t type;			/* enum ipc3_comp_type */
	uint32_t pipeline_id;
	uint32_t core;
	uint32_t periods_sink;
	uint32_t periods_source;
	uint32_t frame_fmt;		/* enum ipc3_frame_fmt */
	uint32_t xrun_action;		/* enum ipc3_xrun_action bits */
	bool has_uuid;			/* the 16-byte UUID extension was sent */
	uint8_t uuid[IPC3_COMP_UUID_SIZE];
	/* MUX/DEMUX sent as the 64-byte struct ipc3_comp_mux, not as a process component */
	bool short_mux;
	union {
		struct {
			uint32_t direction;	/* enum ipc3_stream_direction */
			uint32_t no_irq;
			uint32_t dmac_config;
		} host;
		struct {
			uint32_t direction;
			uint32_t index;
			uint32_t type;		/* enum ipc3_dai_type */
		} dai;
		struct {
			uint32_t channels;
			uint32_t min_value;	/* Q8.16 */
			uint32_t max_value;	/* Q8.16 */
			uint32_t ramp;		/* enum ipc3_volume_ramp */
			uint32_t initial_ramp;	/* ms */
		} volume;
		struct {
			uint32_t source_rate;	/* 0: from the stream */
			uint32_t sink_rate;	/* 0: from the stream */
			uint32_t rate_mask;
		} src;
		struct {
			uint32_t source_rate;
			uint32_t sink_rate;
			uint32_t asynchronous_mode;
			uint32_t operation_mode;
		} asrc;
		struct {
			int32_t sample_rate;
			int32_t frequency;
			int32_t amplitude;
			int32_t freq_mult;
			int32_t ampl_mult;
			int32_t length;
			int32_t period;
			int32_t repeats;
			int32_t ramp_step;
		} tone;
		/* Process components (EQ, selector, mux/demux...): data in ipc3_msg.data. */
		struct {
			uint32_t type;		/* enum ipc3_process_type */
		} process;
	} u;
};

/* BUFFER_NEW, decoded. */
struct ipc3_msg_buffer {
	uint32_t id;
	uint32_t pipeline_id;
	uint32_t core;
	uint32_t size;			/* bytes, 1..IPC3_CHECK_BUFFER_MAX */
	uint32_t caps;
	uint32_t flags;
};

/* PIPE_NEW, decoded. */
struct ipc3_msg_pipe {
	uint32_t comp_id;
	uint32_t pipeline_id;
	uint32_t sched_id;
	uint32_t core;
	uint32_t period;		/* microseconds, > 0 */
	uint32_t priority;
	uint32_t period_mips;
	uint32_t frames_per_sched;
	uint32_t xrun_limit_usecs;
	uint32_t time_domain;		/* 0 DMA, 1 timer */
};

/* COMP_CONNECT, decoded. */
struct ipc3_msg_connect {
	uint32_t source_id;
	uint32_t sink_id;
};

/* PCM_PARAMS, decoded; the extension bytes (if any) are in ipc3_msg.data. */
struct ipc3_msg_pcm_params {
	uint32_t comp_id;
	uint32_t flags;
	uint32_t buffer_phy_addr;	/* host page table: unused by vadsp */
	uint32_t buffer_pages;
	uint32_t buffer_size;		/* host ring buffer, bytes */
	uint32_t direction;
	uint32_t frame_fmt;
	uint32_t buffer_fmt;		/* 0: interleaved, the only layout accepted */
	uint32_t rate;
	uint16_t stream_tag;
	uint16_t channels;
	uint16_t sample_valid_bytes;
	uint16_t sample_container_bytes;
	uint32_t host_period_bytes;
	uint16_t no_stream_position;
	uint8_t cont_update_posn;
	uint16_t chmap[IPC3_STREAM_CHMAP_MAX];
};

/* One {channel, value} pair of a value control. */
struct ipc3_chan_value {
	uint32_t channel;
	uint32_t value;
};

/*
 * COMP_SET/GET_VALUE and COMP_SET/GET_DATA, decoded. Value commands fill @chanv
 * (@num_elems pairs); data commands fill the ABI header fields and put this message's
 * @num_elems blob bytes in ipc3_msg.data. A blob larger than one message comes in parts:
 * @msg_index counts them from 0, @elems_remaining is what follows this part, and every
 * part repeats the ABI header, whose @abi_size is the whole blob's size.
 */
struct ipc3_msg_ctrl {
	uint32_t comp_id;
	uint32_t type;			/* enum ipc3_ctrl_type */
	uint32_t cmd;			/* enum ipc3_ctrl_cmd */
	uint32_t index;
	uint32_t num_elems;
	uint32_t elems_remaining;
	uint32_t msg_index;
	struct ipc3_chan_value chanv[IPC3_CHECK_CHANNELS_MAX];
	uint32_t abi_type;
	uint32_t abi_size;
	uint32_t abi;
};

/* PM messages, decoded. */
struct ipc3_msg_pm {
	uint32_t enable_mask;		/* CORE_ENABLE */
	uint32_t flags;			/* GATE */
	uint32_t ctx_num_elems;		/* CTX_* */
	uint32_t ctx_size;
};

/**
 * struct ipc3_msg - a validated request
 * @cmd: the command word (its id field is always 0 in a valid request)
 * @size: the message's length in bytes (== hdr.size)
 * @u: the decoded body; the member follows @cmd:
 *     comp (COMP_NEW), buffer (BUFFER_NEW), pipe (PIPE_NEW), connect (COMP_CONNECT),
 *     id (COMP_FREE, BUFFER_FREE, PIPE_FREE, PIPE_COMPLETE, PCM_FREE, TRIG_*, POSITION),
 *     pcm (PCM_PARAMS), ctrl (COMP_*_VALUE, COMP_*_DATA), pm (PM_*)
 * @data_size: bytes in @data
 * @data: variable part, copied: a process component's configuration, a binary control's
 *        blob bytes, a PCM_PARAMS extension
 * @reason: on failure, a static one-line description of the rule that failed; "" on success
 */
struct ipc3_msg {
	uint32_t cmd;
	uint32_t size;
	union {
		struct ipc3_msg_comp comp;
		struct ipc3_msg_buffer buffer;
		struct ipc3_msg_pipe pipe;
		struct ipc3_msg_connect connect;
		uint32_t id;
		struct ipc3_msg_pcm_params pcm;
		struct ipc3_msg_ctrl ctrl;
		struct ipc3_msg_pm pm;
	} u;
	uint32_t data_size;
	uint8_t data[IPC3_MSG_MAX_SIZE];
	const char *reason;
};

/**
 * ipc3_check() - validate and decode one IPC3 request
 * @buf: the bytes received
 * @len: how many
 * @origin: who sent them
 * @msg: receives the decoded message; on failure only @msg->reason is meaningful
 *
 * Return: 0; -EINVAL, -EACCES or -EOPNOTSUPP as described at the top of this file.
 */
int ipc3_check(const void *buf, size_t len, enum ipc3_origin origin, struct ipc3_msg *msg);

/**
 * ipc3_encode() - write a request in wire form
 * @msg: the message (only @cmd, @u, @data_size and @data are read; @size is ignored)
 * @buf: output
 * @cap: bytes available at @buf
 *
 * Writes exactly the layout ipc3_check() reads, with reserved fields zero and hdr.size
 * computed. The message is not validated: ipc3_encode() also writes messages that
 * ipc3_check() will refuse (tests build bad messages this way).
 *
 * Return: the message length; -EINVAL for a command ipc3_check() never decodes or a
 * @data_size that does not fit the message; -ENOSPC if @cap is too small.
 */
int ipc3_encode(const struct ipc3_msg *msg, void *buf, size_t cap);

/**
 * ipc3_encode_reply() - write a plain reply (struct ipc3_reply, 12 bytes)
 * @buf: output
 * @cap: bytes available
 * @error: 0 or a negative errno
 *
 * Return: 12; -ENOSPC.
 */
int ipc3_encode_reply(void *buf, size_t cap, int32_t error);

/**
 * ipc3_encode_comp_reply() - write the reply to COMP_NEW, BUFFER_NEW or PIPE_NEW
 * @buf: output
 * @cap: bytes available
 * @id: the id that was created (the firmware leaves 0 here; vadsp names the id)
 *
 * Return: 20; -ENOSPC.
 */
int ipc3_encode_comp_reply(void *buf, size_t cap, uint32_t id);

/**
 * ipc3_encode_pcm_params_reply() - write the reply to PCM_PARAMS
 * @buf: output
 * @cap: bytes available
 * @comp_id: the host component
 * @posn_offset: where the stream's position is published (vadsp: an index, see exec)
 *
 * Return: 20; -ENOSPC.
 */
int ipc3_encode_pcm_params_reply(void *buf, size_t cap, uint32_t comp_id,
				 uint32_t posn_offset);

/**
 * struct ipc3_posn - a stream position, host-endian
 * @comp_id: the host component
 * @flags: IPC3_TIME_* bits
 * @wallclock_hz: rate of @wallclock
 * @timestamp_ns: resolution of @timestamp
 * @host_posn: bytes through the host component
 * @dai_posn: bytes through the DAI
 * @comp_posn: bytes through @comp_id
 * @wallclock: DSP wall clock at the position
 * @timestamp: system time at the position
 * @xrun_comp_id: component that saw an xrun (xrun notifications)
 * @xrun_size: its size in bytes
 */
struct ipc3_posn {
	uint32_t comp_id;
	uint32_t flags;
	uint32_t wallclock_hz;
	uint32_t timestamp_ns;
	uint64_t host_posn;
	uint64_t dai_posn;
	uint64_t comp_posn;
	uint64_t wallclock;
	uint64_t timestamp;
	uint32_t xrun_comp_id;
	int32_t xrun_size;
};

/**
 * ipc3_encode_posn() - write a struct ipc3_stream_posn (reply to POSITION, and the
 *                      position notification), cmd STREAM_POSITION | comp_id, error 0
 * @buf: output
 * @cap: bytes available
 * @posn: the position
 *
 * Return: 76; -ENOSPC.
 */
int ipc3_encode_posn(void *buf, size_t cap, const struct ipc3_posn *posn);

/**
 * ipc3_encode_ctrl_reply() - write the reply to a COMP_SET/GET_VALUE or COMP_SET/GET_DATA
 * @buf: output
 * @cap: bytes available
 * @req: the validated request
 * @chanv: value commands: the request's num_elems values to return, or NULL to echo the
 *	   request's
 * @part: data commands: the request's num_elems blob bytes to return (this part's), or
 *	  NULL to echo the request's
 * @abi_size: data commands: the whole blob's size, for the ABI header
 *
 * The reply is a struct ipc3_ctrl_data of the request's size with error 0, echoing the
 * request's header fields, as the firmware answers in place (the Linux driver expects a
 * reply as long as its request).
 *
 * Return: the reply length; -EINVAL if @req is not a control command; -ENOSPC.
 */
int ipc3_encode_ctrl_reply(void *buf, size_t cap, const struct ipc3_msg *req,
			   const struct ipc3_chan_value *chanv, const void *part,
			   uint32_t abi_size);

/**
 * ipc3_reply_error() - read the error field of a reply
 * @buf: the reply
 * @len: its length
 * @error: receives the error (0 or a negative errno)
 *
 * Return: 0; -EINVAL if @buf is not a reply (shorter than 12 bytes or hdr.size differs
 * from @len).
 */
int ipc3_reply_error(const void *buf, size_t len, int32_t *error);

#endif /* VADSP_IPC_IPC3_CHECK_H */
