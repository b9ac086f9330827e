// SPDX-License-Identifier: MIT
/*
 * Epoll event loop. Watches live in a table indexed by fd (grown on demand, as Redis's ae
 * does). Each watch carries a generation number that is also stored in the epoll event, so an
 * event collected before its watch was removed (or replaced by a new watch on a reused fd
 * number) is recognised as stale and dropped.
 */
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "util/compiler.h"
#include "util/loop.h"
#include "vhost-user/backend.h"

_Static_assert(VADSP_LOOP_IN == EPOLLIN && VADSP_LOOP_OUT == EPOLLOUT &&
	       VADSP_LOOP_ERR == EPOLLERR && VADSP_LOOP_HUP == EPOLLHUP,
	       "loop event bits are the epoll bits");
_Static_assert(VU_WATCH_IN == VADSP_LOOP_IN && VU_WATCH_ERR == VADSP_LOOP_ERR &&
	       VU_WATCH_HUP == VADSP_LOOP_HUP, "vhost-user watch bits are the loop bits");

#define LOOP_MAX_EVENTS		64

struct loop_watch {
	vadsp_loop_fn fn;
	void *data;
	uint32_t gen;		/* 0: slot free */
};

struct vadsp_loop {
	int epfd;
	int wake_fd;		/* eventfd written by vadsp_loop_quit() */
	atomic_bool quit;
	uint32_t next_gen;
	struct loop_watch *watch;
	unsigned int nwatch;	/* slots in @watch */
	vadsp_loop_idle_fn idle_fn;
	void *idle_data;
};

/* The wake eventfd is registered with this tag in place of an fd/generation pair. */
#define LOOP_WAKE_TAG		UINT64_MAX

static uint64_t loop_tag(int fd, uint32_t gen)
{
	return ((uint64_t)gen << 32) | (uint32_t)fd;
}

struct vadsp_loop *vadsp_loop_new(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = LOOP_WAKE_TAG };
	struct vadsp_loop *loop;

	loop = calloc(1, sizeof(*loop));
	if (!loop)
		return NULL;
	loop->next_gen = 1;
	atomic_init(&loop->quit, false);
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	loop->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (loop->epfd < 0 || loop->wake_fd < 0 ||
	    epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->wake_fd, &ev) < 0) {
		if (loop->epfd >= 0)
			close(loop->epfd);
		if (loop->wake_fd >= 0)
			close(loop->wake_fd);
		free(loop);
		return NULL;
	}
	return loop;
}

void vadsp_loop_free(struct vadsp_loop *loop)
{
	if (!loop)
		return;
	close(loop->epfd);
	close(loop->wake_fd);
	free(loop->watch);
	free(loop);
}

static struct loop_watch *loop_find(struct vadsp_loop *loop, int fd)
{
	if (fd < 0 || (unsigned int)fd >= loop->nwatch || !loop->watch[fd].gen)
		return NULL;
	return &loop->watch[fd];
}

static int loop_grow(struct vadsp_loop *loop, int fd)
{
	unsigned int n = loop->nwatch ? loop->nwatch : 64;
	struct loop_watch *w;

	if ((unsigned int)fd < loop->nwatch)
		return 0;
	while (n <= (unsigned int)fd) {
		if (n > UINT_MAX / 2)
			return -ENOMEM;
		n *= 2;
	}
	w = realloc(loop->watch, (size_t)n * sizeof(*w));
	if (!w)
		return -ENOMEM;
	memset(w + loop->nwatch, 0, (size_t)(n - loop->nwatch) * sizeof(*w));
	loop->watch = w;
	loop->nwatch = n;
	return 0;
}

int vadsp_loop_add(struct vadsp_loop *loop, int fd, uint32_t events, vadsp_loop_fn fn,
		   void *data)
{
	struct epoll_event ev;
	struct loop_watch *w;
	uint32_t gen;
	int ret;

	if (fd < 0 || !fn)
		return -EINVAL;
	if (loop_find(loop, fd))
		return -EEXIST;
	ret = loop_grow(loop, fd);
	if (ret < 0)
		return ret;
	gen = loop->next_gen++;
	if (!loop->next_gen)
		loop->next_gen = 1;
	ev.events = events & (EPOLLIN | EPOLLOUT);
	ev.data.u64 = loop_tag(fd, gen);
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	w = &loop->watch[fd];
	w->fn = fn;
	w->data = data;
	w->gen = gen;
	return 0;
}

void vadsp_loop_del(struct vadsp_loop *loop, int fd)
{
	struct loop_watch *w = loop_find(loop, fd);

	if (!w)
		return;
	/* Fails only if the fd was already closed, which removed it from the set anyway. */
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	memset(w, 0, sizeof(*w));
}

void vadsp_loop_set_idle(struct vadsp_loop *loop, vadsp_loop_idle_fn fn, void *data)
{
	loop->idle_fn = fn;
	loop->idle_data = data;
}

static void loop_drain_wake(struct vadsp_loop *loop)
{
	uint64_t v;

	while (read(loop->wake_fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		;
}

int vadsp_loop_run_once(struct vadsp_loop *loop, int timeout_ms)
{
	struct epoll_event ev[LOOP_MAX_EVENTS];
	int n, i, ran = 0;

	n = epoll_wait(loop->epfd, ev, LOOP_MAX_EVENTS, timeout_ms);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		uint64_t tag = ev[i].data.u64;
		struct loop_watch *w;
		int fd;

		if (tag == LOOP_WAKE_TAG) {
			loop_drain_wake(loop);
			continue;
		}
		fd = (int)(uint32_t)tag;
		w = loop_find(loop, fd);
		/* Removed, or removed and replaced, by an earlier callback of this round. */
		if (!w || w->gen != (uint32_t)(tag >> 32))
			continue;
		w->fn(w->data, fd, ev[i].events);
		ran++;
	}
	if (loop->idle_fn)
		loop->idle_fn(loop->idle_data);
	return ran;
}

int vadsp_loop_run(struct vadsp_loop *loop)
{
	int ret = 0;

	while (!atomic_load(&loop->quit)) {
		ret = vadsp_loop_run_once(loop, -1);
		if (ret == -EINTR)
			ret = 0;
		if (ret < 0)
			break;
		ret = 0;
	}
	atomic_store(&loop->quit, false);
	return ret;
}

void vadsp_loop_quit(struct vadsp_loop *loop)
{
	uint64_t one = 1;
	ssize_t n;

	atomic_store(&loop->quit, true);
	/* Only wakes a sleeping epoll_wait(); a full counter means a wake-up is pending anyway. */
	n = write(loop->wake_fd, &one, sizeof(one));
	(void)n;
}

static int loop_watch_add(void *loop, int fd, uint32_t events, vu_watch_fn fn, void *data)
{
	return vadsp_loop_add(loop, fd, events, fn, data);
}

static void loop_watch_del(void *loop, int fd)
{
	vadsp_loop_del(loop, fd);
}

const struct vu_watch_ops vadsp_loop_watch_ops = {
	.add = loop_watch_add,
	.del = loop_watch_del,
};
