// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the process guest's side (src/guest): everything a device sends back
 * is parsed by the guest, and a device is not to be trusted either.
 *
 * A mock device (a vhost-user back-end on its own thread, listening on a unix socket)
 * answers from the input: its feature bits, its configuration space, and then, for every
 * chain the guest makes available on the control, tx and rx queues, the next reply of the
 * input (status, information arrays, control values, TLVs, IPC3 replies of the SOF
 * extension: VFE_COMP_ID, VFE_GET, PCM_PARAMS, positions, ...; the used length it claims
 * and the bytes it writes are the input's, limited to the chain's room, as the driver's
 * ring checks a used length anyway). Records may also push an event (plain, or an IPC3
 * notification 0x1f00) or let the device answer the next requests as a well-behaved device
 * would, so that the fuzzer reaches the later replies of a session. Per input the guest
 * connects (reading the card), then drives what it read: with the SOF extension
 * vguest_sof_open() (ranges, power, the topology fetched and sent as IPC), a playback stream
 * (PCM_PARAMS, audio, position, triggers, notifications, xrun recovery, power off and on,
 * PM_CTX_SAVE, close); without it every control (read, write, dB scale), the first stream
 * (parameters, audio) and the events. Then it closes and the mock waits for the disconnect.
 *
 * Input layout:
 *   flags(1): bit 0 offer VADSP_SND_F_SOF_IPC3 (the guest asks for it), bit 1 offer
 *     VIRTIO_SND_F_CTLS, bit 2 the guest does not acknowledge controls
 *   config(16): the configuration space (jacks, streams, chmaps, controls)
 *   records until the end, each kind(1), then:
 *     kind & 3 == 0, 3: a reply to the next chain: used(le16) n(le16) n bytes
 *     kind & 3 == 1: an event: used(le16) n(le16) n bytes, on the next event buffer
 *     kind & 3 == 2: count(le16): the next count chains are answered as a good device would
 *   Chains beyond the input: control S_IO_ERR, audio used length 0.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest/guest.h"
#include "guest/sof.h"
#include "ipc/ipc3.h"
#include "ipc/vfe.h"
#include "snd/virtio-snd.h"
#include "tplg/model.h"
#include "util/le.h"
#include "util/log.h"
#include "util/loop.h"
#include "vhost-user/backend.h"
#include "virtio/virtio-ring.h"
#include "virtio/vring.h"

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "fuzz-guest-reply: check failed at %s:%d: %s\n", \
				__FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

#define FZ_HDR		17u		/* flags + config */
#define FZ_REQ_MAX	(8u + 8u + 512u)
#define FZ_REPLY_MAX	(4u + IPC3_MSG_MAX_SIZE + 4096u)
#define FZ_BASE		2000u		/* the good device's comp_id_base */
#define FZ_CONTROLS	4u		/* controls the guest drives */

struct mock {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	/* the input */
	const uint8_t *in;
	size_t len;
	size_t pos;
	uint8_t flags;
	uint8_t config[16];
	uint32_t auto_left;
	unsigned int chains;	/* chains answered */
	/* the good device's state */
	uint32_t powered;
	uint32_t next_stream;
	/* connections */
	unsigned int connects;
	unsigned int disconnects;
	struct vadsp_loop *loop;
	struct vu_server *server;
	pthread_t thread;
	char dir[64];
	char path[128];
};

static struct mock mock;
static uint8_t *topology;
static size_t topology_size;
static bool trace;		/* $FUZZ_GUEST_TRACE: each step's result on stderr (seeds) */

/* Run @call and, when tracing, print it with its result and the input position. */
#define STEP(call) \
	({ \
		int step_ret_ = (call); \
		if (trace) \
			fprintf(stderr, "%-60s %d (%u chains)\n", #call, step_ret_, \
				mock.chains); \
		step_ret_; \
	})

/* ------------------------------------------------------------------------------------------
 * The input
 * ------------------------------------------------------------------------------------------ */

static bool take(size_t n, const uint8_t **p)
{
	if (mock.len - mock.pos < n)
		return false;
	*p = mock.in + mock.pos;
	mock.pos += n;
	return true;
}

/* ------------------------------------------------------------------------------------------
 * The good device
 * ------------------------------------------------------------------------------------------ */

static uint32_t ipc_plain(uint8_t *r, uint32_t size, uint32_t cmd, int32_t error)
{
	memset(r, 0, size);
	put_le32(r, size);
	put_le32(r + 4, cmd);
	put_le32(r + 8, (uint32_t)error);
	return size;
}

/* An IPC3 reply to @msg (@len bytes) into @r; its length. */
static uint32_t good_ipc(const uint8_t *msg, uint32_t len, uint8_t *r)
{
	uint32_t cmd = get_le32(msg + 4), base = ipc3_cmd_base(cmd);
	uint32_t id = len >= 12 ? get_le32(msg + 8) : 0, n;

	switch (base) {
	case IPC3_TPLG_VFE_COMP_ID: {
		const uint32_t v[] = { VADSP_VFE_MAGIC, VADSP_VFE_VERSION, FZ_BASE,
				       VADSP_VFE_COMP_ID_COUNT, VADSP_VFE_PIPELINE_COUNT,
				       VADSP_VFE_MAX_STREAMS, 0x03016001 };

		ipc_plain(r, sizeof(struct vadsp_vfe_comp_id_reply), IPC3_REPLY, 0);
		for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			put_le32(r + 12 + 4 * i, v[i]);
		return sizeof(struct vadsp_vfe_comp_id_reply);
	}
	case IPC3_PM_VFE_POWER_STATUS:
		ipc_plain(r, sizeof(struct vadsp_vfe_power_reply), IPC3_REPLY, 0);
		put_le32(r + 12, id && !mock.powered ? IPC3_VFE_TOPOLOGY_RESET : 0);
		if (id)
			mock.powered = 1;
		return sizeof(struct vadsp_vfe_power_reply);
	case IPC3_PM_CTX_SAVE:
		mock.powered = 0;
		return ipc_plain(r, 12, IPC3_REPLY, 0);
	case IPC3_TPLG_VFE_GET:
		if (id > topology_size)
			return ipc_plain(r, 12, IPC3_REPLY, -ERANGE);
		n = (uint32_t)topology_size - id;
		if (n > VADSP_VFE_GET_CHUNK_MAX)
			n = VADSP_VFE_GET_CHUNK_MAX;
		ipc_plain(r, 24 + n, IPC3_REPLY, 0);
		put_le32(r + 12, (uint32_t)topology_size);
		put_le32(r + 16, id);
		put_le32(r + 20, n);
		memcpy(r + 24, topology + id, n);
		return 24 + n;
	case IPC3_STREAM_PCM_PARAMS:
		ipc_plain(r, sizeof(struct ipc3_pcm_params_reply), IPC3_STREAM_PCM_PARAMS_REPLY, 0);
		put_le32(r + 12, len >= 12 ? get_le32(msg + offsetof(struct ipc3_pcm_params,
								     comp_id)) : 0);
		put_le32(r + 16, mock.next_stream++ % VADSP_VFE_MAX_STREAMS);
		return sizeof(struct ipc3_pcm_params_reply);
	case IPC3_STREAM_POSITION:
		ipc_plain(r, sizeof(struct ipc3_stream_posn), IPC3_STREAM_POSITION | id, 0);
		put_le32(r + offsetof(struct ipc3_stream_posn, comp_id), id);
		put_le64(r + offsetof(struct ipc3_stream_posn, host_posn), 1920);
		return sizeof(struct ipc3_stream_posn);
	default:
		return ipc_plain(r, 12, IPC3_REPLY, 0);
	}
}

/* One information item of @code, number @i, into @p (@size bytes). */
static void good_info(uint32_t code, uint32_t i, uint8_t *p, uint32_t size)
{
	memset(p, 0, size);
	switch (code) {
	case VIRTIO_SND_R_PCM_INFO:
		if (size < sizeof(struct vsnd_pcm_info))
			return;
		put_le64(p + offsetof(struct vsnd_pcm_info, formats),
			 1ull << VIRTIO_SND_PCM_FMT_S16);
		put_le64(p + offsetof(struct vsnd_pcm_info, rates),
			 1ull << VIRTIO_SND_PCM_RATE_48000);
		p[offsetof(struct vsnd_pcm_info, direction)] = (uint8_t)(i & 1);
		p[offsetof(struct vsnd_pcm_info, channels_min)] = 1;
		p[offsetof(struct vsnd_pcm_info, channels_max)] = 2;
		break;
	case VIRTIO_SND_R_CHMAP_INFO:
		if (size < sizeof(struct vsnd_chmap_info))
			return;
		p[offsetof(struct vsnd_chmap_info, channels)] = 2;
		break;
	case VIRTIO_SND_R_CTL_INFO: {
		uint8_t *v = p + offsetof(struct vsnd_ctl_info, value);

		if (size < sizeof(struct vsnd_ctl_info))
			return;
		put_le32(p + offsetof(struct vsnd_ctl_info, type),
			 i & 1 ? VIRTIO_SND_CTL_TYPE_ENUMERATED : VIRTIO_SND_CTL_TYPE_INTEGER);
		put_le32(p + offsetof(struct vsnd_ctl_info, access),
			 1u << VIRTIO_SND_CTL_ACCESS_READ | 1u << VIRTIO_SND_CTL_ACCESS_WRITE |
			 1u << VIRTIO_SND_CTL_ACCESS_TLV_READ);
		put_le32(p + offsetof(struct vsnd_ctl_info, count), 2);
		snprintf((char *)p + offsetof(struct vsnd_ctl_info, name),
			 VIRTIO_SND_CTL_NAME_SIZE, "Control %u", i);
		if (i & 1) {
			put_le32(v, 3);
		} else {
			put_le32(v, (uint32_t)-10);
			put_le32(v + 4, 10);
			put_le32(v + 8, 1);
		}
		break;
	}
	default:
		break;
	}
}

/* The reply a good device writes to control request @req into @r; its used length. */
static uint32_t good_control(const uint8_t *req, size_t len, uint32_t room, uint8_t *r)
{
	uint32_t code = len >= 4 ? get_le32(req) : 0, n = 4;

	memset(r, 0, room);
	put_le32(r, VIRTIO_SND_S_OK);
	switch (code) {
	case VADSP_SND_R_SOF_IPC:
		if (len < 12 || room < 4 + IPC3_MSG_MAX_SIZE) {
			put_le32(r, VIRTIO_SND_S_BAD_MSG);
			break;
		}
		n = 4 + good_ipc(req + 4, (uint32_t)len - 4, r + 4);
		break;
	case VIRTIO_SND_R_JACK_INFO:
	case VIRTIO_SND_R_PCM_INFO:
	case VIRTIO_SND_R_CHMAP_INFO:
	case VIRTIO_SND_R_CTL_INFO: {
		uint32_t start = len >= 8 ? get_le32(req + 4) : 0;
		uint32_t count = len >= 12 ? get_le32(req + 8) : 0;
		uint32_t size = len >= 16 ? get_le32(req + 12) : 0;

		if (!size || size > 512 || count > (room - 4) / size) {
			put_le32(r, VIRTIO_SND_S_BAD_MSG);
			break;
		}
		for (uint32_t i = 0; i < count; i++)
			good_info(code, start + i, r + 4 + (size_t)i * size, size);
		n = 4 + count * size;
		break;
	}
	case VIRTIO_SND_R_CTL_ENUM_ITEMS:
		n = room < 4 + 3 * VIRTIO_SND_CTL_ENUM_ITEM_SIZE ? 4 :
		    4 + 3 * VIRTIO_SND_CTL_ENUM_ITEM_SIZE;
		for (uint32_t k = 0; n > 4 && k < 3; k++)
			snprintf((char *)r + 4 + k * VIRTIO_SND_CTL_ENUM_ITEM_SIZE,
				 VIRTIO_SND_CTL_ENUM_ITEM_SIZE, "Item %u", k);
		break;
	case VIRTIO_SND_R_CTL_READ:
		n = room < 4 + VIRTIO_SND_CTL_VALUE_SIZE ? 4 : 4 + VIRTIO_SND_CTL_VALUE_SIZE;
		break;
	case VIRTIO_SND_R_CTL_TLV_READ:
		if (room >= 20) {
			put_le32(r + 4, 1);	/* a dB scale: min -10.00 dB, step 0.10 dB */
			put_le32(r + 8, 8);
			put_le32(r + 12, (uint32_t)-1000);
			put_le32(r + 16, 10);
			n = 20;
		}
		break;
	default:
		break;
	}
	return n <= room ? n : 4;
}

/* ------------------------------------------------------------------------------------------
 * The device
 * ------------------------------------------------------------------------------------------ */

/* Push an event of @n bytes (used length @used) on the next event buffer, if any. */
static void push_event(struct vu_dev *dev, const uint8_t *b, uint32_t n, uint32_t used)
{
	struct vring *vq = vu_dev_queue(dev, VSND_VQ_EVENT);
	struct vring_chain chain;

	if (!vq || vring_dev_pop(vq, &chain) <= 0)
		return;
	if (n > chain.in_bytes)
		n = chain.in_bytes;
	if (used > chain.in_bytes)
		used = chain.in_bytes;
	vring_chain_write(&chain, 0, b, n);
	vring_dev_push(vq, chain.head, used);
	vu_dev_queue_notify(dev, VSND_VQ_EVENT);
}

/* Answer one chain of queue @idx: from the input, or as a good device. */
static void answer(struct vu_dev *dev, unsigned int idx, struct vring *vq,
		   const struct vring_chain *chain)
{
	static uint8_t req[FZ_REQ_MAX], r[FZ_REPLY_MAX];
	uint32_t room = chain->in_bytes < FZ_REPLY_MAX ? chain->in_bytes : FZ_REPLY_MAX;
	uint32_t used = 0, n = 0;
	const uint8_t *p, *b;
	uint8_t kind;

	for (;;) {
		if (mock.auto_left) {
			mock.auto_left--;
			if (idx == VSND_VQ_CONTROL) {
				size_t len = vring_chain_read(chain, 0, req, sizeof(req));

				used = good_control(req, len, room, r);
				n = used;
			} else if (room >= sizeof(struct vsnd_pcm_status)) {
				/* Audio: all of it moved, S_OK at the end. */
				used = idx == VSND_VQ_RX ? room : sizeof(struct vsnd_pcm_status);
				memset(r, 0, room);
				put_le32(r + used - sizeof(struct vsnd_pcm_status), VIRTIO_SND_S_OK);
				n = used;
			}
			break;
		}
		if (!take(1, &p)) {
			if (idx == VSND_VQ_CONTROL && room >= 4) {
				put_le32(r, VIRTIO_SND_S_IO_ERR);
				used = n = 4;
			}
			break;
		}
		kind = p[0] & 3;
		if (kind == 2) {
			if (take(2, &p))
				mock.auto_left = get_le16(p);
			continue;
		}
		if (!take(4, &p))
			continue;
		used = get_le16(p);
		n = get_le16(p + 2);
		if (!take(n, &b)) {
			b = mock.in + mock.pos;
			n = (uint32_t)(mock.len - mock.pos);
			mock.pos = mock.len;
		}
		if (kind == 1) {
			push_event(dev, b, n, used);
			used = n = 0;
			continue;
		}
		if (n > room)
			n = room;
		memcpy(r, b, n);
		break;
	}
	if (used > chain->in_bytes)
		used = chain->in_bytes;
	if (n > used)
		n = used;
	vring_chain_write(chain, 0, r, n);
	vring_dev_push(vq, chain->head, used);
	mock.chains++;
	vu_dev_queue_notify(dev, idx);
}

static int mock_connect(struct vu_dev *dev)
{
	(void)dev;
	pthread_mutex_lock(&mock.lock);
	mock.connects++;
	pthread_mutex_unlock(&mock.lock);
	return 0;
}

static void mock_disconnect(struct vu_dev *dev)
{
	(void)dev;
	pthread_mutex_lock(&mock.lock);
	mock.disconnects++;
	pthread_cond_broadcast(&mock.cond);
	pthread_mutex_unlock(&mock.lock);
}

static uint64_t mock_get_features(struct vu_dev *dev)
{
	uint64_t f = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_EVENT_IDX |
		     1ull << VIRTIO_F_INDIRECT_DESC;

	(void)dev;
	pthread_mutex_lock(&mock.lock);
	if (mock.flags & 1)
		f |= 1ull << VADSP_SND_F_SOF_IPC3;
	if (mock.flags & 2)
		f |= 1ull << VIRTIO_SND_F_CTLS;
	pthread_mutex_unlock(&mock.lock);
	return f;
}

static int mock_get_config(struct vu_dev *dev, uint32_t offset, uint8_t *buf, uint32_t len)
{
	(void)dev;
	if (offset > sizeof(mock.config) || len > sizeof(mock.config) - offset)
		return -EINVAL;
	pthread_mutex_lock(&mock.lock);
	memcpy(buf, mock.config + offset, len);
	pthread_mutex_unlock(&mock.lock);
	return 0;
}

static void mock_kick(struct vu_dev *dev, unsigned int idx)
{
	struct vring *vq = vu_dev_queue(dev, idx);
	struct vring_chain chain;

	if (!vq || idx == VSND_VQ_EVENT)
		return;
	pthread_mutex_lock(&mock.lock);
	while (vring_dev_pop(vq, &chain) > 0)
		answer(dev, idx, vq, &chain);
	pthread_mutex_unlock(&mock.lock);
}

static const struct vu_dev_ops mock_ops = {
	.connect = mock_connect,
	.disconnect = mock_disconnect,
	.get_features = mock_get_features,
	.get_config = mock_get_config,
	.queue_kick = mock_kick,
};

/* The socket and its directory go with the process. */
static void mock_cleanup(void)
{
	unlink(mock.path);
	rmdir(mock.dir);
}

static void *mock_main(void *data)
{
	(void)data;
	vadsp_loop_run(mock.loop);
	return NULL;
}

/* ------------------------------------------------------------------------------------------
 * The guest
 * ------------------------------------------------------------------------------------------ */

static void drive_sof(struct vguest *g)
{
	struct vguest_sof_stream *st = NULL;
	struct vguest_sof_params p;
	struct vguest_sof_want want = { 0 };
	struct vguest_sof *s;
	struct ipc3_posn posn;
	struct vguest_io_done done;
	uint8_t audio[64] = { 0 };
	uint32_t reset;
	char err[128];
	int pcm;

	if (STEP(vguest_sof_open(&s, g)) < 0)
		return;
	pcm = STEP(vguest_sof_pcm_find(s, NULL, TPLG_MODEL_PLAYBACK));
	if (pcm >= 0 && vguest_sof_params_choose(s, (unsigned int)pcm, TPLG_MODEL_PLAYBACK, &want,
						 &p, err, sizeof(err)) == 0) {
		p.period_bytes = sizeof(audio);
		p.periods = 2;
		if (STEP(vguest_sof_stream_open(s, (unsigned int)pcm, TPLG_MODEL_PLAYBACK, &p,
						 &st)) < 0)
			st = NULL;
	}
	if (st) {
		struct vguest_io *io = vguest_sof_stream_io(st);

		if (trace)
			fprintf(stderr, "stream comp_id %u\n", vguest_sof_stream_comp_id(st));

		STEP(vguest_sof_stream_position(st, &posn));
		STEP(vguest_sof_stream_trigger(st, IPC3_STREAM_TRIG_START));
		if (STEP(vguest_io_submit(io, audio, sizeof(audio))) == 0)
			STEP(vguest_io_reap(io, &done, 1000));
		STEP(vguest_sof_events(s, 0));
		STEP(vguest_sof_stream_recover(st));
	}
	STEP(vguest_sof_events(s, 0));
	if (STEP(vguest_sof_power(s, false, NULL)) == 0)
		STEP(vguest_sof_power(s, true, &reset));
	STEP(vguest_sof_ctx_save(s));
	vguest_sof_close(s);
}

static void drive_plain(struct vguest *g)
{
	const struct vguest_card *card = vguest_card(g);
	struct vguest_pcm_params pp = {
		.buffer_bytes = 256, .period_bytes = 64, .channels = 2,
		.format = VIRTIO_SND_PCM_FMT_S16, .rate = VIRTIO_SND_PCM_RATE_48000,
	};
	struct vguest_ctl_value v;
	struct vguest_event ev;
	struct vguest_io *io;
	struct vguest_io_done done;
	uint8_t audio[64] = { 0 };

	struct vguest_want want = { 0 };
	struct vguest_pcm_params chosen;
	char err[128];
	size_t names = 0;
	int pick;

	/* What a tool prints and picks from the card. */
	for (uint32_t i = 0; i < card->num_chmaps; i++)
		for (uint32_t c = 0; c < card->chmaps[i].channels && c < VIRTIO_SND_CHMAP_MAX_SIZE;
		     c++)
			names += strlen(vguest_chmap_position_name(card->chmaps[i].positions[c]));
	for (uint32_t i = 0; i < card->num_controls; i++) {
		names += strlen(vguest_ctl_type_name(card->controls[i].type));
		names += strlen(vguest_ctl_role_name(card->controls[i].role));
		for (uint32_t k = 0; card->controls[i].item_names && k < card->controls[i].items;
		     k++)
			names += strlen(card->controls[i].item_names[k]);
	}
	for (uint8_t d = VIRTIO_SND_D_OUTPUT; d <= VIRTIO_SND_D_INPUT; d++) {
		pick = vguest_stream_pick(card, d, -1);
		if (pick >= 0 && STEP(vguest_params_choose(&card->streams[pick], &want, &chosen,
							   err, sizeof(err))) == 0)
			names += strlen(vguest_format_name(chosen.format));
	}
	if (trace)
		fprintf(stderr, "%zu bytes of names\n", names);
	for (uint32_t i = 0; i < card->num_controls && i < FZ_CONTROLS; i++) {
		int32_t min, step;
		bool mute;

		if (STEP(vguest_ctl_read(g, i, &v)) == 0)
			STEP(vguest_ctl_write(g, i, &v));
		STEP(vguest_ctl_db_scale(g, i, &min, &step, &mute));
	}
	if (card->num_streams && STEP(vguest_pcm_set_params(g, 0, &pp)) == 0 &&
	    STEP(vguest_pcm_prepare(g, 0)) == 0 && STEP(vguest_io_open(g, 0, 64, 2, &io)) == 0) {
		STEP(vguest_pcm_start(g, 0));
		if (STEP(vguest_io_submit(io, audio, sizeof(audio))) == 0)
			STEP(vguest_io_reap(io, &done, 1000));
		STEP(vguest_pcm_stop(g, 0));
		vguest_io_close(io);
		STEP(vguest_pcm_release(g, 0));
	}
	for (int i = 0; i < 64 && STEP(vguest_event_next(g, &ev, 0)) == 1; i++)
		;
}

/* ------------------------------------------------------------------------------------------ */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct vu_dev_info info = {
		.name = "fuzz-guest", .num_queues = VSND_VQ_NUM, .max_queue_size = 1024,
		.config_size = sizeof(struct vsnd_config),
	};
	const char *env = getenv("VADSP_TOPOLOGY_DIR");
	char exe[PATH_MAX], path[PATH_MAX + 32];
	FILE *f;
	long n;

	(void)argc;
	(void)argv;
	vadsp_log_set_level(VADSP_LOG_ERROR);
	trace = getenv("FUZZ_GUEST_TRACE") != NULL;
	if (env) {
		snprintf(path, sizeof(path), "%s/stereo.tplg", env);
	} else {
		ssize_t k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		CHECK(k > 0);
		exe[k] = '\0';
		snprintf(path, sizeof(path), "%s/../topology/stereo.tplg", dirname(exe));
	}
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz-guest-reply: %s: cannot open (set VADSP_TOPOLOGY_DIR)\n",
			path);
		abort();
	}
	CHECK(fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0);
	rewind(f);
	topology = malloc((size_t)n);
	CHECK(topology && fread(topology, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	topology_size = (size_t)n;

	pthread_mutex_init(&mock.lock, NULL);
	pthread_cond_init(&mock.cond, NULL);
	mock.loop = vadsp_loop_new();
	CHECK(mock.loop);
	CHECK(vu_server_new(&mock.server, &info, &mock_ops, &vadsp_loop_watch_ops, mock.loop,
			    &mock) == 0);
	snprintf(mock.dir, sizeof(mock.dir), "/tmp/vadsp-fuzz-guest-XXXXXX");
	CHECK(mkdtemp(mock.dir));
	snprintf(mock.path, sizeof(mock.path), "%s/snd.sock", mock.dir);
	CHECK(vu_server_listen(mock.server, mock.path) == 0);
	atexit(mock_cleanup);
	CHECK(pthread_create(&mock.thread, NULL, mock_main, NULL) == 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vguest_options o = { .queue_size = 64, .mem_size = 1u << 20, .event_buffers = 8,
				    .timeout_ms = 2000 };
	struct vguest *g = NULL;

	if (size < FZ_HDR)
		return 0;
	pthread_mutex_lock(&mock.lock);
	mock.in = data;
	mock.len = size;
	mock.pos = FZ_HDR;
	mock.flags = data[0];
	memcpy(mock.config, data + 1, sizeof(mock.config));
	mock.auto_left = 0;
	mock.chains = 0;
	mock.powered = 0;
	mock.next_stream = 0;
	pthread_mutex_unlock(&mock.lock);

	o.sof_ipc3 = data[0] & 1;
	o.no_controls = data[0] & 4;
	if (STEP(vguest_connect(&g, mock.path, &o)) == 0) {
		if (vguest_card(g)->sof_negotiated)
			drive_sof(g);
		else
			drive_plain(g);
		vguest_close(g);
	}

	/* The device is done with this input before the next one replaces it. */
	pthread_mutex_lock(&mock.lock);
	while (mock.disconnects != mock.connects)
		pthread_cond_wait(&mock.cond, &mock.lock);
	mock.in = NULL;
	mock.len = mock.pos = 0;
	pthread_mutex_unlock(&mock.lock);
	return 0;
}
