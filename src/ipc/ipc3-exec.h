/* SPDX-License-Identifier: MIT */
/*
 * SOF IPC3 executor: a validated request becomes a DSP engine call, and the call's result
 * becomes the reply.
 *
 * ipc3_exec_msg() takes the bytes of one request, passes them through ipc3_check() (the
 * validator: see ipc3-check.h for its rules and errors), calls the engine (dsp/engine.h)
 * and writes the reply the firmware would send. This is the one place where an -errno
 * becomes an IPC reply's error field (STYLE rule 3): a validator or engine error is
 * carried unchanged when it is a negative errno (-4095..-1), anything else becomes -EIO.
 *
 * Replies: COMP_NEW, BUFFER_NEW and PIPE_NEW: struct ipc3_comp_reply naming the new id.
 * PCM_PARAMS: struct ipc3_pcm_params_reply {comp_id, posn_offset 0: positions travel as
 * messages, there is no mailbox}. POSITION: struct ipc3_stream_posn. COMP_*_VALUE and
 * COMP_*_DATA: a struct ipc3_ctrl_data as long as the request (GET fills in the values or
 * the blob part). Everything else, and every error: struct ipc3_reply. Replies carry cmd
 * IPC3_REPLY, except the position, which carries STREAM_POSITION | comp_id.
 *
 * Owner checks. An executor may be limited to a range of object ids (components, buffers,
 * pipeline comp_ids, sched_id) and a range of pipeline_id values, as each guest owns a
 * disjoint range: a request naming anything outside them is refused with -EACCES before
 * the engine sees it. Without ranges (an executor for vadspd's own host topology) any id
 * goes. The engine still keeps ids unique across all executors.
 *
 * What an executor remembers: the objects it created (to free them at a reset, in the
 * order the 2020 series freed a departed guest's: stop and free streams, free pipelines,
 * then buffers and components in creation order) and a binary control blob arriving in
 * parts (SET_DATA with elems_remaining), which is handed to the engine whole.
 *
 * Requests the firmware accepts but that change nothing in vadsp: PM_CTX_SIZE,
 * PM_CTX_RESTORE, PM_CORE_ENABLE, PM_GATE (reply 0). PM_CTX_SAVE, the firmware's power
 * down, loses the DSP's state as a real DSP does: it resets the executor (every object it
 * created is freed), so the guest's topology reload after resume finds its ids free.
 *
 * Threads: the executor calls the engine directly, so it runs where the engine's calls
 * may run (engine.h: one thread at a time; the data thread between ticks).
 */
#ifndef VADSP_IPC_IPC3_EXEC_H
#define VADSP_IPC_IPC3_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/engine.h"
#include "ipc/ipc3-check.h"

struct ipc3_exec;

/**
 * struct ipc3_exec_config - what an executor may address
 * @id_base: first object id it owns
 * @id_count: how many ids from @id_base; 0: any id
 * @pipe_base: first pipeline_id it owns
 * @pipe_count: how many from @pipe_base; 0: any pipeline_id
 * @buffer_budget: bytes of buffers (BUFFER_NEW sizes) it may hold at once; 0: no limit.
 *	A BUFFER_NEW past it is refused with -ENOMEM before the engine allocates anything.
 */
struct ipc3_exec_config {
	uint32_t id_base;
	uint32_t id_count;
	uint32_t pipe_base;
	uint32_t pipe_count;
	uint64_t buffer_budget;
};

/**
 * ipc3_exec_create() - create an executor for an engine
 * @out: the new executor
 * @engine: the engine it drives (not owned; must outlive the executor)
 * @cfg: ranges, or NULL for no limits
 *
 * Return: 0; -EINVAL for a range that wraps past 2^32; -ENOMEM.
 */
int ipc3_exec_create(struct ipc3_exec **out, struct dsp_engine *engine,
		     const struct ipc3_exec_config *cfg);

/**
 * ipc3_exec_destroy() - free an executor; the objects it created stay in the engine
 * @x: the executor, or NULL
 *
 * Call ipc3_exec_reset() first to remove them.
 */
void ipc3_exec_destroy(struct ipc3_exec *x);

/**
 * ipc3_exec_msg() - validate and execute one request, and write its reply
 * @x: the executor
 * @req: the request bytes
 * @len: how many
 * @origin: who sent them (see ipc3_check())
 * @reply: room for the reply
 * @cap: bytes at @reply; at least IPC3_MSG_MAX_SIZE
 *
 * Return: the reply's length (at least 12); its error field says whether the request
 * succeeded. -ENOSPC (and no reply) if @cap is below IPC3_MSG_MAX_SIZE.
 */
int ipc3_exec_msg(struct ipc3_exec *x, const void *req, size_t len, enum ipc3_origin origin,
		  void *reply, size_t cap);

/**
 * ipc3_exec_reset() - remove everything this executor created, as a DSP reset would
 * @x: the executor
 *
 * Stops and frees the streams of its host components (and its host-less pipelines), frees
 * its pipelines, then its buffers and components in creation order. Objects the engine
 * refuses to free (-EBUSY: another owner's running pipeline still uses them) stay on the
 * list. Any partly received control blob is dropped.
 *
 * Return: 0 when nothing is left; otherwise the first error the engine returned.
 */
int ipc3_exec_reset(struct ipc3_exec *x);

/* Objects this executor created and has not freed. */
uint32_t ipc3_exec_objects(const struct ipc3_exec *x);

/* Bytes of buffers this executor created and has not freed (what @buffer_budget limits). */
uint64_t ipc3_exec_buffer_bytes(const struct ipc3_exec *x);

/**
 * ipc3_exec_reply_errno() - the reply error for an -errno, as ipc3_exec_msg() maps it
 * @err: 0, a count, or a negative errno from the validator or the engine
 *
 * Return: 0 for @err >= 0; @err for -4095..-1; -EIO otherwise.
 */
int32_t ipc3_exec_reply_errno(int err);

#endif /* VADSP_IPC_IPC3_EXEC_H */
