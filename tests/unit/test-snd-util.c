// SPDX-License-Identifier: MIT
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "snd/ctl-msg.h"
#include "snd/virtio-snd.h"
#include "test-snd-util.h"
#include "util/le.h"
#include "util/loop.h"
#include "virtio/virtio-ring.h"

const char *sndt_topology_path(const char *name)
{
	static char path[512];
	const char *dir = getenv("VADSP_TOPOLOGY_DIR");

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/%s.tplg", dir, name);
	return path;
}

struct vsnd_card_desc *sndt_desc(const char *name)
{
	struct vsnd_card_desc *d = NULL;
	char err[600];
	int ret;

	ret = vsnd_card_desc_load(sndt_topology_path(name), &d, err, sizeof(err));
	if (ret < 0)
		fail_msg("%s", err);
	return d;
}

struct vsnd_card *sndt_card(const struct vsnd_card_desc *desc,
			    const struct vsnd_backend_ops *backend, void *backend_data, bool ctls)
{
	struct vsnd_card_config cfg = {
		.desc = desc,
		.backend = backend,
		.backend_data = backend_data,
	};
	struct vsnd_card *card = NULL;

	assert_int_equal(vsnd_card_new(&card, &cfg), 0);
	card->controls_negotiated = ctls;
	return card;
}

uint32_t sndt_call(struct vsnd_card *card, const void *req, size_t len, size_t room,
		   struct sndt_resp *resp)
{
	uint8_t *buf = malloc(room ? room : 1);

	assert_non_null(buf);
	memset(buf, 0xa5, room);
	resp->used = vsnd_ctl_handle(card, req, len, buf, room);
	assert_true(resp->used == -EINPROGRESS || (resp->used >= 0 && (size_t)resp->used <= room));
	resp->status = resp->used >= 4 ? get_le32(buf) : 0;
	memset(resp->data, 0, sizeof(resp->data));
	if (resp->used > 4)
		memcpy(resp->data, buf + 4, (size_t)resp->used - 4);
	free(buf);
	return resp->status;
}

uint32_t sndt_status(struct vsnd_card *card, const void *req, size_t len)
{
	static struct sndt_resp resp;

	return sndt_call(card, req, len, VSND_CTL_RESP_MAX, &resp);
}

size_t sndt_query(uint8_t *buf, uint32_t code, uint32_t start, uint32_t count, uint32_t size)
{
	put_le32(buf, code);
	put_le32(buf + 4, start);
	put_le32(buf + 8, count);
	put_le32(buf + 12, size);
	return sizeof(struct vsnd_query_info);
}

size_t sndt_pcm(uint8_t *buf, uint32_t code, uint32_t stream)
{
	put_le32(buf, code);
	put_le32(buf + 4, stream);
	return sizeof(struct vsnd_pcm_hdr);
}

size_t sndt_set_params(uint8_t *buf, uint32_t stream, uint32_t buffer_bytes,
		       uint32_t period_bytes, uint8_t channels, uint8_t format, uint8_t rate,
		       uint32_t features)
{
	memset(buf, 0, sizeof(struct vsnd_pcm_set_params));
	put_le32(buf, VIRTIO_SND_R_PCM_SET_PARAMS);
	put_le32(buf + 4, stream);
	put_le32(buf + 8, buffer_bytes);
	put_le32(buf + 12, period_bytes);
	put_le32(buf + 16, features);
	buf[20] = channels;
	buf[21] = format;
	buf[22] = rate;
	return sizeof(struct vsnd_pcm_set_params);
}

size_t sndt_ctl(uint8_t *buf, uint32_t code, uint32_t control)
{
	put_le32(buf, code);
	put_le32(buf + 4, control);
	return sizeof(struct vsnd_ctl_hdr);
}

/* ------------------------------------------------------------------------------------------
 * Server thread
 * ------------------------------------------------------------------------------------------ */

struct sndt_server {
	struct vadsp_loop *loop;
	struct vu_server *server;
	struct vsnd_options opts;
	pthread_t thread;
	int call_fd;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	void (*fn)(void *arg);
	void *arg;
	bool done;
	char dir[64];
	char path[128];
};

static void on_call(void *data, int fd, uint32_t events)
{
	struct sndt_server *s = data;
	uint64_t v;

	(void)events;
	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return;
	pthread_mutex_lock(&s->lock);
	if (s->fn) {
		s->fn(s->arg);
		s->fn = NULL;
		s->done = true;
		pthread_cond_broadcast(&s->cond);
	}
	pthread_mutex_unlock(&s->lock);
}

static void *server_main(void *data)
{
	struct sndt_server *s = data;

	vadsp_loop_run(s->loop);
	return NULL;
}

struct sndt_server *sndt_server_start(const struct vsnd_options *opts, bool clock)
{
	struct sndt_server *s = calloc(1, sizeof(*s));
	struct vu_dev_info info;

	assert_non_null(s);
	s->opts = *opts;
	s->loop = vadsp_loop_new();
	assert_non_null(s->loop);
	if (clock) {
		s->opts.watch = &vadsp_loop_watch_ops;
		s->opts.loop = s->loop;
	} else {
		s->opts.watch = NULL;
		s->opts.loop = NULL;
	}
	vsnd_device_info(&s->opts, &info);
	info.allow_unsealed_memory = false;
	assert_int_equal(vu_server_new(&s->server, &info, &vsnd_device_ops,
				       &vadsp_loop_watch_ops, s->loop, &s->opts), 0);
	snprintf(s->dir, sizeof(s->dir), "/tmp/vadsp-snd-XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(s->path, sizeof(s->path), "%s/snd.sock", s->dir);
	assert_int_equal(vu_server_listen(s->server, s->path), 0);
	s->call_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	assert_true(s->call_fd >= 0);
	assert_int_equal(vadsp_loop_add(s->loop, s->call_fd, VADSP_LOOP_IN, on_call, s), 0);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	assert_int_equal(pthread_create(&s->thread, NULL, server_main, s), 0);
	return s;
}

void sndt_server_run(struct sndt_server *s, void (*fn)(void *arg), void *arg)
{
	uint64_t one = 1;

	pthread_mutex_lock(&s->lock);
	s->fn = fn;
	s->arg = arg;
	s->done = false;
	assert_int_equal(write(s->call_fd, &one, sizeof(one)), sizeof(one));
	while (!s->done)
		pthread_cond_wait(&s->cond, &s->lock);
	pthread_mutex_unlock(&s->lock);
}

const char *sndt_server_path(const struct sndt_server *s)
{
	return s->path;
}

void sndt_server_stop(struct sndt_server *s)
{
	vadsp_loop_quit(s->loop);
	pthread_join(s->thread, NULL);
	vu_server_free(s->server);
	vadsp_loop_del(s->loop, s->call_fd);
	close(s->call_fd);
	vadsp_loop_free(s->loop);
	rmdir(s->dir);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}

/* ------------------------------------------------------------------------------------------
 * Process guest
 * ------------------------------------------------------------------------------------------ */

struct vu_front_buf sndt_guest_alloc(struct sndt_guest *g, uint64_t len)
{
	struct vu_front_buf b;

	assert_int_equal(vu_front_alloc(g->fe, len, 64, &b), 0);
	return b;
}

void sndt_guest_connect(struct sndt_guest *g, struct sndt_server *srv, bool ctls,
			unsigned int num)
{
	uint64_t want = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_EVENT_IDX |
			1ull << VIRTIO_F_INDIRECT_DESC;

	if (ctls)
		want |= 1ull << VIRTIO_SND_F_CTLS;
	memset(g, 0, sizeof(*g));
	assert_int_equal(vu_front_connect(&g->fe, sndt_server_path(srv)), 0);
	assert_int_equal(vu_front_negotiate(g->fe, want, VU_FRONT_DEFAULT_PROTOCOL_FEATURES), 0);
	assert_int_equal(vu_front_mem_create(g->fe, 4u << 20, 1), 0);
	for (unsigned int q = 0; q < VSND_VQ_NUM; q++)
		assert_int_equal(vu_front_queue_start(g->fe, q, num), 0);
	g->ctl_req = sndt_guest_alloc(g, VSND_CTL_REQ_MAX);
	g->ctl_resp = sndt_guest_alloc(g, VSND_CTL_RESP_MAX);
}

void sndt_guest_close(struct sndt_guest *g)
{
	vu_front_close(g->fe);
	g->fe = NULL;
}

void *sndt_guest_reap(struct sndt_guest *g, unsigned int idx, uint32_t *len, int timeout_ms)
{
	struct timespec t0, t;
	void *tok;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		long left;

		tok = vu_front_queue_get_used(g->fe, idx, len);
		if (tok)
			return tok;
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = timeout_ms - ((t.tv_sec - t0.tv_sec) * 1000 +
				     (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return NULL;
		if (vu_front_queue_wait(g->fe, idx, (int)left) < 0)
			return NULL;
	}
}

uint32_t sndt_guest_request(struct sndt_guest *g, const void *req, size_t len, size_t room,
			    struct sndt_resp *resp)
{
	struct vring_buf out = { g->ctl_req.gpa, (uint32_t)len };
	struct vring_buf in = { g->ctl_resp.gpa, (uint32_t)room };
	uint32_t used = 0;
	void *tok;

	assert_true(len <= g->ctl_req.len && room <= g->ctl_resp.len);
	memcpy(g->ctl_req.host, req, len);
	memset(g->ctl_resp.host, 0xa5, room);
	assert_true(vu_front_queue_add(g->fe, VSND_VQ_CONTROL, &out, 1, &in, room ? 1 : 0,
				       g) >= 0);
	assert_true(vu_front_queue_kick(g->fe, VSND_VQ_CONTROL) >= 0);
	tok = sndt_guest_reap(g, VSND_VQ_CONTROL, &used, 5000);
	assert_ptr_equal(tok, g);
	assert_true(used <= room);
	resp->used = (int)used;
	resp->status = used >= 4 ? get_le32(g->ctl_resp.host) : 0;
	memset(resp->data, 0, sizeof(resp->data));
	if (used > 4)
		memcpy(resp->data, (uint8_t *)g->ctl_resp.host + 4, used - 4);
	return resp->status;
}
