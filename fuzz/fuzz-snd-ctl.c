// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the sound device's control queue handler.
 *
 * The cards are built once from real topologies: the project's `stereo`, `multi` and
 * `voice`, compiled by the build into <build>/topology/ (found from $VADSP_TOPOLOGY_DIR, or
 * next to this program: ../topology/), plus the empty card. An input is:
 *   byte 0        bits 0-1 the card (stereo, multi, voice, empty), bit 2 VIRTIO_SND_F_CTLS
 *                 negotiated
 *   then records  {le16 response buffer size, le16 request size, request bytes}
 * and runs on a fresh card (null backend without a clock), so a sequence of requests can
 * walk the PCM state machine and the control values. Each request and response buffer is
 * allocated at exactly its size, so a read or write past either is an ASan report. After
 * each request: the used length is 0 for a buffer shorter than the status, otherwise at
 * least the status and at most the buffer; the status is one of the four; an error status
 * comes with nothing but itself; and every stream is in a valid state.
 *
 * Seeds (fuzz/corpus/snd-ctl/): what a Linux guest sends at probe (every info query,
 * enum items), a playback and a capture stream's life cycle, control reads, writes and TLV
 * requests, and illegal transitions; written by fuzz/corpus/snd-ctl/make-seeds.py.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snd/card.h"
#include "snd/ctl-msg.h"
#include "snd/virtio-snd.h"
#include "util/le.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "invariant failed: %s\n", #cond); \
			abort(); \
		} \
	} while (0)

static const char *const names[] = { "stereo", "multi", "voice" };
static struct vsnd_card_desc *descs[4];

static void load_cards(void)
{
	const char *env = getenv("VADSP_TOPOLOGY_DIR");
	char dir[PATH_MAX], exe[PATH_MAX];

	if (env) {
		snprintf(dir, sizeof(dir), "%s", env);
	} else {
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		CHECK(n > 0);
		exe[n] = '\0';
		snprintf(dir, sizeof(dir), "%s/../topology", dirname(exe));
	}
	for (size_t i = 0; i < VADSP_ARRAY_SIZE(names); i++) {
		char path[PATH_MAX + 32], err[600];

		snprintf(path, sizeof(path), "%s/%s.tplg", dir, names[i]);
		if (vsnd_card_desc_load(path, &descs[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "fuzz-snd-ctl: %s (set VADSP_TOPOLOGY_DIR)\n", err);
			abort();
		}
	}
	descs[3] = (struct vsnd_card_desc *)&vsnd_card_desc_empty;
	vadsp_log_set_level(VADSP_LOG_ERROR);
}

static void check_response(const struct vsnd_card *card, const uint8_t *resp, size_t resp_len,
			   int used)
{
	uint32_t status;

	CHECK(used != -EINPROGRESS);	/* nothing is in flight without queues */
	CHECK(used >= 0 && (size_t)used <= resp_len);
	if (resp_len < sizeof(struct vsnd_hdr)) {
		CHECK(used == 0);
		return;
	}
	CHECK((size_t)used >= sizeof(struct vsnd_hdr));
	status = get_le32(resp);
	CHECK(status >= VIRTIO_SND_S_OK && status <= VIRTIO_SND_S_IO_ERR);
	if (status != VIRTIO_SND_S_OK)
		CHECK(used == sizeof(struct vsnd_hdr));
	for (uint32_t i = 0; i < card->desc->num_streams; i++)
		CHECK(card->streams[i].state < VSND_PCM_STATE_COUNT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsnd_card_config cfg = { 0 };
	struct vsnd_card *card = NULL;
	size_t off = 1;

	if (!descs[0])
		load_cards();
	if (size < 1)
		return 0;
	cfg.desc = descs[data[0] & 3];
	CHECK(vsnd_card_new(&card, &cfg) == 0);
	card->controls_negotiated = data[0] & 4;
	while (size - off >= 4) {
		size_t resp_len = get_le16(data + off);
		size_t req_len = VADSP_MIN((size_t)get_le16(data + off + 2), size - off - 4);
		uint8_t *req = malloc(req_len ? req_len : 1);
		uint8_t *resp = malloc(resp_len ? resp_len : 1);
		int used;

		CHECK(req && resp);
		memcpy(req, data + off + 4, req_len);
		used = vsnd_ctl_handle(card, req, req_len, resp, resp_len);
		check_response(card, resp, resp_len, used);
		free(req);
		free(resp);
		off += 4 + req_len;
	}
	vsnd_card_free(card);
	return 0;
}
