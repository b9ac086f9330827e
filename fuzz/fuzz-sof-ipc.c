// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the SOF IPC3 extension's request handler on the device side
 * (src/daemon/sof-guest.h): a DSP-aware guest's messages against its session on the shared
 * host DSP (topology/host.tplg; the guest's topology topology/stereo.tplg, compiled by the
 * build into <build>/topology/, found from $VADSP_TOPOLOGY_DIR or next to this program).
 *
 * The input is a stream of messages, each taken as (its hdr.size & 0x1ff) bytes, or what
 * is left when that is more (at least 8), as fuzz-ipc3 frames them; a message the device
 * would not have framed (hdr.size not its length, above 384 bytes) must be refused with
 * -EINVAL and no reply. The engine ticks after every message, so started streams run.
 *
 * Invariants: every reply is 12..384 bytes with hdr.size equal to its length and a
 * non-positive error; the stream ops see open and close in pairs, triggers only on open
 * streams; at the end of the session nothing of the guest is left in the engine (no id of
 * its range names anything) and its slot can be opened again; LeakSanitizer checks the
 * rest.
 *
 * Seeds (fuzz/corpus/sof-ipc/): `vadsp tplg ipc stereo.tplg --bin --base 1000` with its
 * two connection-point DAIs rewritten as docs/protocol.md 4.6 says (type 0x4350, ordinals
 * 0 and 1), preceded by VFE_COMP_ID, POWER_STATUS {1} and VFE_GET {0} (stereo-load), and
 * the same followed by PCM_PARAMS, TRIG_START, POSITION, TRIG_STOP, PCM_FREE and PM_CTX_SAVE
 * (stereo-stream).
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/hostdsp.h"
#include "daemon/sof-guest.h"
#include "ipc/ipc3.h"
#include "util/le.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "invariant failed: %s\n", #cond); \
			abort(); \
		} \
	} while (0)

#define FUZZ_MSG_LEN_MASK	0x1ffu

static struct tplg *host, *guest;
static struct hostdsp *h;
static uint8_t *file;
static size_t file_size;
static bool open_streams[VADSP_VFE_MAX_STREAMS];

static int op_open(void *data, uint32_t sid, const struct sof_guest_stream *st)
{
	(void)data;
	CHECK(sid < VADSP_VFE_MAX_STREAMS && !open_streams[sid]);
	CHECK(st->frame_bytes > 0 && st->ring_bytes > 0);
	open_streams[sid] = true;
	return 0;
}

static void op_trigger(void *data, uint32_t sid, uint32_t cmd)
{
	(void)data;
	(void)cmd;
	CHECK(sid < VADSP_VFE_MAX_STREAMS && open_streams[sid]);
}

static void op_close(void *data, uint32_t sid)
{
	(void)data;
	CHECK(sid < VADSP_VFE_MAX_STREAMS && open_streams[sid]);
	open_streams[sid] = false;
}

static const struct sof_guest_stream_ops ops = {
	.open = op_open,
	.trigger = op_trigger,
	.close = op_close,
};

static struct tplg *load(const char *dir, const char *name)
{
	char path[PATH_MAX + 32];
	struct tplg_error err;
	struct tplg *t = NULL;

	snprintf(path, sizeof(path), "%s/%s.tplg", dir, name);
	if (tplg_load_file(path, &t, &err) < 0) {
		fprintf(stderr, "fuzz-sof-ipc: %s: %s (set VADSP_TOPOLOGY_DIR)\n", path, err.msg);
		abort();
	}
	return t;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *env = getenv("VADSP_TOPOLOGY_DIR");
	char dir[PATH_MAX], exe[PATH_MAX], path[PATH_MAX + 32];

	(void)argc;
	(void)argv;
	if (env) {
		snprintf(dir, sizeof(dir), "%s", env);
	} else {
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		CHECK(n > 0);
		exe[n] = '\0';
		snprintf(dir, sizeof(dir), "%s/../topology", dirname(exe));
	}
	vadsp_log_set_level(VADSP_LOG_ERROR);
	host = load(dir, "host");
	guest = load(dir, "stereo");
	snprintf(path, sizeof(path), "%s/stereo.tplg", dir);
	CHECK(sof_guest_read_topology(path, &file, &file_size) == 0);
	CHECK(hostdsp_create(&h, host, 1000, 48000) == 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sof_guest_config cfg = {
		.h = h, .slot = 0, .topology = file, .topology_size = file_size, .tplg = guest,
		.ops = &ops,
	};
	uint8_t msg[FUZZ_MSG_LEN_MASK + 1], reply[IPC3_MSG_MAX_SIZE];
	struct sof_guest *sg;
	size_t pos = 0;

	CHECK(sof_guest_create(&sg, &cfg) == 0);
	while (size - pos >= 8) {
		size_t len = get_le32(data + pos) & FUZZ_MSG_LEN_MASK;
		int n;

		if (len < 8 || len > size - pos)
			len = size - pos > sizeof(msg) ? sizeof(msg) : size - pos;
		memcpy(msg, data + pos, len);
		pos += len;
		n = sof_guest_ipc(sg, msg, len, reply, sizeof(reply));
		if (len > IPC3_MSG_MAX_SIZE || get_le32(msg) != len) {
			CHECK(n == -EINVAL);
			continue;
		}
		CHECK(n >= 12 && n <= (int)IPC3_MSG_MAX_SIZE);
		CHECK(get_le32(reply) == (uint32_t)n);
		CHECK((int32_t)get_le32(reply + 8) <= 0);
		dsp_engine_tick(hostdsp_engine(h));
	}
	sof_guest_destroy(sg);
	for (uint32_t i = 0; i < VADSP_VFE_MAX_STREAMS; i++)
		CHECK(!open_streams[i]);
	for (uint32_t id = HOSTDSP_GUEST_ID_BASE; id < 2 * HOSTDSP_GUEST_ID_BASE; id++)
		CHECK(dsp_comp_state(hostdsp_engine(h), id) == -ENODEV);
	return 0;
}
