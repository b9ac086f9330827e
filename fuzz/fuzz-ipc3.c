// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the IPC3 validator and executor.
 *
 * The input is a stream of IPC3 requests, each taken as (its hdr.size & 0x3ff) bytes, or
 * what is left of the input when that is more: so most messages frame themselves, and a
 * size field with high bits set, or a cut last message, gives the validator sizes that lie.
 * The stream runs through ipc3_exec_msg() into a fresh DSP engine, as a guest's requests;
 * the engine ticks once after every message so that whatever was started also runs.
 *
 * Invariants: every reply is 12..384 bytes with hdr.size equal to its length; an error
 * reply is the 12-byte plain reply with a negative errno; a request the validator accepts
 * re-encodes to bytes that decode to the same message; at the end, a reset frees every
 * object the stream created (the engine refuses nothing to the only owner), and the
 * executor and engine free everything (LeakSanitizer checks).
 *
 * Seeds (fuzz/corpus/ipc3/): `vadsp tplg ipc FILE --bin` of sof-imx8-wm8960.tplg,
 * sof-imx8-eq-iir-wm8960.tplg and sof-imx8-nocodec.tplg (Debian firmware-sof-signed 2.2.4)
 * and of the project's host topology (own-host); and what `vadsp testbench --ipc-out`
 * sent for whole runs (topology, --set, PCM_PARAMS, TRIG_START, TRIG_STOP, PCM_FREE):
 * wm8960-stream (sof-imx8-wm8960.tplg, volume step 26), voice-stream (voice.tplg, capture
 * through the rate converter, volume step 40) and multi-stream (multi.tplg, two playback
 * pipelines, one with the IIR EQ).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/engine.h"
#include "ipc/ipc3-check.h"
#include "ipc/ipc3-exec.h"
#include "util/le.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The engine warns about every refused request; only errors are worth printing here. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	vadsp_log_set_level(VADSP_LOG_ERROR);
	return 0;
}

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "invariant failed: %s\n", #cond); \
			abort(); \
		} \
	} while (0)

#define FUZZ_MSG_LEN_MASK	0x3ffu

static struct ipc3_msg a, b;

/* An accepted request re-encodes to bytes that decode to the same message. */
static void check_round_trip(const uint8_t *msg, size_t len)
{
	uint8_t e1[IPC3_MSG_MAX_SIZE], e2[IPC3_MSG_MAX_SIZE];
	int n1, n2;

	if (ipc3_check(msg, len, IPC3_ORIGIN_GUEST, &a) < 0) {
		CHECK(a.reason && a.reason[0]);
		return;
	}
	CHECK(a.size == len);
	n1 = ipc3_encode(&a, e1, sizeof(e1));
	CHECK(n1 == (int)len);
	CHECK(ipc3_check(e1, (size_t)n1, IPC3_ORIGIN_GUEST, &b) == 0);
	n2 = ipc3_encode(&b, e2, sizeof(e2));
	CHECK(n2 == n1 && memcmp(e1, e2, (size_t)n1) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t reply[IPC3_MSG_MAX_SIZE];
	struct dsp_engine *e = NULL;
	struct ipc3_exec *x = NULL;
	size_t off = 0;

	if (dsp_engine_create(&e, NULL) < 0)
		return 0;
	if (ipc3_exec_create(&x, e, NULL) < 0) {
		dsp_engine_destroy(e);
		return 0;
	}
	while (off < size) {
		size_t rem = size - off, len = rem;
		int32_t err;
		int n;

		if (rem >= 4) {
			len = get_le32(data + off) & FUZZ_MSG_LEN_MASK;
			if (len == 0 || len > rem)
				len = rem;
		}
		if (len > IPC3_MSG_MAX_SIZE + 16)
			len = IPC3_MSG_MAX_SIZE + 16;
		check_round_trip(data + off, len);
		n = ipc3_exec_msg(x, data + off, len, IPC3_ORIGIN_GUEST, reply, sizeof(reply));
		CHECK(n >= 12 && n <= (int)IPC3_MSG_MAX_SIZE);
		CHECK(get_le32(reply) == (uint32_t)n);
		CHECK(ipc3_reply_error(reply, (size_t)n, &err) == 0);
		CHECK(err <= 0 && err >= -4095);
		if (err)
			CHECK(n == 12);
		dsp_engine_tick(e);
		off += len;
	}
	CHECK(ipc3_exec_reset(x) == 0);
	CHECK(ipc3_exec_objects(x) == 0);
	ipc3_exec_destroy(x);
	dsp_engine_destroy(e);
	return 0;
}
