// SPDX-License-Identifier: MIT
/*
 * The host DSP's data thread (src/daemon/hostdsp-run.c): its scheduling policy, and where its
 * hooks run. It asks for SCHED_FIFO (priority 60, or $VADSPD_DSP_PRIORITY) and keeps running
 * SCHED_OTHER when the system refuses; what the thread got is read on the thread itself,
 * through a command. A hook's before() runs right before a tick and its after() right after
 * that same tick, with no tick in between.
 */
#include <errno.h>
#include <stdatomic.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "daemon/hostdsp-run.h"
#include "dsp/engine.h"
#include "tplg/tplg.h"

struct fix {
	struct tplg *host;
	struct hostdsp *h;
	struct hostdsp_run *r;
};

struct policy {
	int policy;
	int priority;
};

static int read_policy(void *arg)
{
	struct policy *p = arg;
	struct sched_param sp;

	if (pthread_getschedparam(pthread_self(), &p->policy, &sp))
		return -EIO;
	p->priority = sp.sched_priority;
	return 0;
}

static void *idle_thread(void *arg)
{
	return arg;
}

/* Whether this process may make a thread SCHED_FIFO at @prio (root, CAP_SYS_NICE, rtprio). */
static bool fifo_permitted(int prio)
{
	struct sched_param sp = { .sched_priority = prio };
	pthread_attr_t attr;
	pthread_t t;
	bool ok;

	assert_int_equal(pthread_attr_init(&attr), 0);
	assert_int_equal(pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED), 0);
	assert_int_equal(pthread_attr_setschedpolicy(&attr, SCHED_FIFO), 0);
	assert_int_equal(pthread_attr_setschedparam(&attr, &sp), 0);
	ok = pthread_create(&t, &attr, idle_thread, NULL) == 0;
	if (ok)
		pthread_join(t, NULL);
	pthread_attr_destroy(&attr);
	return ok;
}

static int setup(void **state)
{
	const char *dir = getenv("VADSP_TOPOLOGY_DIR");
	struct fix *f = calloc(1, sizeof(*f));
	struct tplg_error err;
	char path[512];

	assert_non_null(f);
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/host.tplg", dir);
	if (tplg_load_file(path, &f->host, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	assert_int_equal(hostdsp_create(&f->h, f->host, 1000, 48000), 0);
	unsetenv("VADSPD_DSP_PRIORITY");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	hostdsp_run_stop(f->r);
	hostdsp_destroy(f->h);
	tplg_free(f->host);
	free(f);
	unsetenv("VADSPD_DSP_PRIORITY");
	return 0;
}

/* Start the runner with a null endpoint on DAI0.OUT and read the data thread's policy. */
static struct policy start_and_read(struct fix *f)
{
	static const struct hostdsp_run_dai dai = { "DAI0.OUT", "null" };
	struct policy p = { -1, -1 };

	assert_int_equal(hostdsp_run_start(&f->r, f->h, &dai, 1), 0);
	assert_int_equal(hostdsp_run_call(f->r, read_policy, &p), 0);
	return p;
}

static void test_data_thread_is_fifo_60_when_permitted(void **state)
{
	struct policy p = start_and_read(*state);

	if (fifo_permitted(60)) {
		assert_int_equal(p.policy, SCHED_FIFO);
		assert_int_equal(p.priority, 60);
	} else {
		/* refused: the runner still started, and its thread runs as it was */
		assert_int_equal(p.policy, SCHED_OTHER);
	}
}

static void test_priority_from_environment(void **state)
{
	struct policy p;

	setenv("VADSPD_DSP_PRIORITY", "17", 1);
	p = start_and_read(*state);
	if (fifo_permitted(17)) {
		assert_int_equal(p.policy, SCHED_FIFO);
		assert_int_equal(p.priority, 17);
	} else {
		assert_int_equal(p.policy, SCHED_OTHER);
	}
}

static void test_priority_zero_keeps_sched_other(void **state)
{
	struct policy p;

	setenv("VADSPD_DSP_PRIORITY", "0", 1);
	p = start_and_read(*state);
	assert_int_equal(p.policy, SCHED_OTHER);
	assert_int_equal(p.priority, 0);
}

static void test_bad_priority_falls_back_to_60(void **state)
{
	static const char *const bad[] = { "abc", "100", "-1", "60x" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct policy p;

		/* a fresh host DSP each time: its DAI pipelines stay started after a runner */
		if (i) {
			teardown(state);
			setup(state);
		}
		setenv("VADSPD_DSP_PRIORITY", bad[i], 1);
		p = start_and_read(*state);
		if (fifo_permitted(60)) {
			assert_int_equal(p.policy, SCHED_FIFO);
			assert_int_equal(p.priority, 60);
		} else {
			assert_int_equal(p.policy, SCHED_OTHER);
		}
	}
}

/* What a hook saw of the engine's tick count (data thread; read after hostdsp_run_hook_del()). */
struct tick_seen {
	uint64_t before;		/* the count at the last before() */
	uint64_t after;			/* ... at the last after() */
	unsigned int wrong;		/* calls that did not see the count they should */
	_Atomic unsigned int rounds;	/* after() calls */
};

static void seen_before(void *opaque, struct dsp_engine *e)
{
	struct tick_seen *t = opaque;

	t->before = dsp_engine_ticks(e);
	/* nothing ticked since the last after() */
	if (atomic_load(&t->rounds) && t->before != t->after)
		t->wrong++;
}

static void seen_after(void *opaque, struct dsp_engine *e)
{
	struct tick_seen *t = opaque;

	t->after = dsp_engine_ticks(e);
	/* exactly the one tick since before() */
	if (t->after != t->before + 1)
		t->wrong++;
	atomic_fetch_add(&t->rounds, 1);
}

static void test_hooks_frame_each_tick(void **state)
{
	struct fix *f = *state;
	struct tick_seen seen = { 0 };
	struct hostdsp_hook hook = { .before = seen_before, .after = seen_after, .opaque = &seen };
	struct timespec nap = { 0, 1000000 };

	start_and_read(f);
	hostdsp_run_hook_add(f->r, &hook);
	/* 1 ms ticks: 50 rounds in well under the 10 s allowed */
	for (int i = 0; i < 10000 && atomic_load(&seen.rounds) < 50; i++)
		nanosleep(&nap, NULL);
	hostdsp_run_hook_del(f->r, &hook);
	assert_true(atomic_load(&seen.rounds) >= 50);
	assert_int_equal(seen.wrong, 0);
	assert_true(seen.after > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_data_thread_is_fifo_60_when_permitted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_priority_from_environment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_zero_keeps_sched_other, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_priority_falls_back_to_60, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hooks_frame_each_tick, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
