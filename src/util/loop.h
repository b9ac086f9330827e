/* SPDX-License-Identifier: MIT */
/*
 * A small epoll event loop for the control thread.
 *
 * Watches are keyed by file descriptor and level-triggered. Callbacks may add and remove
 * watches (their own included) and close descriptors freely: an event already collected for a
 * descriptor that was removed meanwhile is never delivered, even when a new watch reuses the
 * same number in the same round. vadsp_loop_watch_ops adapts the loop to the vhost-user
 * back-end's struct vu_watch_ops, so a struct vadsp_loop can be handed to vu_server_new().
 *
 * One thread runs the loop; only vadsp_loop_quit() may be called from another thread or a
 * signal handler.
 */
#ifndef VADSP_UTIL_LOOP_H
#define VADSP_UTIL_LOOP_H

#include <stdint.h>

struct vadsp_loop;
struct vu_watch_ops;

/* Event bits: the epoll values (and the same as VU_WATCH_*). */
#define VADSP_LOOP_IN		0x001u
#define VADSP_LOOP_OUT		0x004u
#define VADSP_LOOP_ERR		0x008u
#define VADSP_LOOP_HUP		0x010u

typedef void (*vadsp_loop_fn)(void *data, int fd, uint32_t events);
typedef void (*vadsp_loop_idle_fn)(void *data);

/**
 * vadsp_loop_new() - create an event loop
 *
 * Return: the loop, or NULL when out of memory or file descriptors.
 */
struct vadsp_loop *vadsp_loop_new(void);

/**
 * vadsp_loop_free() - free the loop (NULL is allowed)
 *
 * Watches still registered are dropped; their descriptors are not closed.
 */
void vadsp_loop_free(struct vadsp_loop *loop);

/**
 * vadsp_loop_add() - watch @fd
 * @loop: the loop
 * @fd: descriptor to watch
 * @events: VADSP_LOOP_IN and/or VADSP_LOOP_OUT (ERR and HUP are always reported)
 * @fn: called as @fn(@data, @fd, events) while @fd is ready
 * @data: passed to @fn
 *
 * Return: 0, -EEXIST when @fd is already watched, -EINVAL for a bad fd or NULL @fn, or the
 * -errno of epoll_ctl() (-EPERM for a descriptor epoll cannot watch, such as a regular file).
 */
int vadsp_loop_add(struct vadsp_loop *loop, int fd, uint32_t events, vadsp_loop_fn fn,
		   void *data);

/**
 * vadsp_loop_del() - stop watching @fd (call before closing it; unknown fds are ignored)
 */
void vadsp_loop_del(struct vadsp_loop *loop, int fd);

/**
 * vadsp_loop_set_idle() - call @fn(@data) after each round of callbacks (NULL @fn: none)
 */
void vadsp_loop_set_idle(struct vadsp_loop *loop, vadsp_loop_idle_fn fn, void *data);

/**
 * vadsp_loop_run_once() - wait for events once and run their callbacks
 * @loop: the loop
 * @timeout_ms: longest wait, -1 for no limit, 0 to only poll
 *
 * Return: the number of callbacks run (0 on timeout), -EINTR when a signal interrupted the
 * wait, or another -errno of epoll_wait().
 */
int vadsp_loop_run_once(struct vadsp_loop *loop, int timeout_ms);

/**
 * vadsp_loop_run() - run until vadsp_loop_quit()
 *
 * Return: 0 after vadsp_loop_quit(), or -errno when waiting failed.
 */
int vadsp_loop_run(struct vadsp_loop *loop);

/**
 * vadsp_loop_quit() - make vadsp_loop_run() return after the current round
 *
 * Safe from any thread and from a signal handler. A quit requested before vadsp_loop_run()
 * starts makes it return at once.
 */
void vadsp_loop_quit(struct vadsp_loop *loop);

/* Adapter: pass this with a struct vadsp_loop * as the back-end's watch ops and loop. */
extern const struct vu_watch_ops vadsp_loop_watch_ops;

#endif /* VADSP_UTIL_LOOP_H */
