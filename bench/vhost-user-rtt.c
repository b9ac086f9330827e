// SPDX-License-Identifier: MIT
/*
 * Request/response round trip through a vhost-user queue between two processes, and the
 * floor it is measured against: a bare eventfd ping-pong between the same two processes.
 *
 * The parent is the guest (front-end): it makes one request available on queue 0 (64 bytes
 * to read, 64 bytes to write), kicks, blocks in poll() on the call eventfd and reaps the
 * response. The child is the device (back-end): a vu_server in an epoll loop that pops the
 * request, copies it into the writable part, pushes it and signals the call eventfd. Nothing
 * on either path sleeps or spins: each side blocks on an eventfd (or epoll) until the other
 * writes.
 *
 * The floor: the parent writes eventfd "ping" and blocks in read() on eventfd "pong"; the
 * child blocks in read() on "ping" and writes "pong". Floor and vhost-user rounds are
 * measured in alternating blocks, so that load from other processes on the machine falls on
 * both alike. Prints p50/p99 of each and their ratios.
 */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/compiler.h"
#include "util/log.h"
#include "util/loop.h"
#include "vhost-user/backend.h"
#include "vhost-user/frontend.h"
#include "vu-test-util.h"

#define WARMUP		2000u
#define ITERATIONS	20000u
#define BLOCKS		10u
#define REQ_BYTES	64u
#define QUEUE_SIZE	64u
#define WAIT_MS		5000

/* Commands the parent writes to the child's control eventfd. */
#define CMD_QUIT	(UINT64_MAX - 1)

/* Targets from the project's performance budget. */
#define TARGET_P50	2.0
#define TARGET_P99	4.0

/* ------------------------------------------------------------------------------------------
 * The device process
 * ------------------------------------------------------------------------------------------ */

struct device {
	struct vadsp_loop *loop;
	int ctl_fd;
	int ping_fd;
	int pong_fd;
	int error;
};

static void echo_kick(struct vu_dev *dev, unsigned int idx)
{
	uint8_t data[REQ_BYTES];

	if (vut_echo_queue(dev, idx, data, sizeof(data)) < 0)
		vu_dev_fail(dev, "queue broken");
}

static uint64_t echo_get_features(struct vu_dev *dev)
{
	return (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_EVENT_IDX);
}

static void echo_disconnect(struct vu_dev *dev)
{
	struct device *d = vu_server_get_data(vu_dev_server(dev));

	/* The guest is gone: nothing more to serve. */
	vadsp_loop_quit(d->loop);
}

static const struct vu_dev_ops echo_ops = {
	.get_features = echo_get_features,
	.queue_kick = echo_kick,
	.disconnect = echo_disconnect,
};

static const struct vu_dev_info echo_info = {
	.name = "bench-echo",
	.num_queues = 1,
	.max_queue_size = 1024,
	.config_size = 0,
};

/* The floor, device side: @n times, block in read() on ping, then write pong. */
static void on_ctl(void *data, int fd, uint32_t events)
{
	struct device *d = data;
	uint64_t cmd, val, one = 1;

	if (read(fd, &cmd, sizeof(cmd)) != sizeof(cmd))
		return;
	if (cmd == CMD_QUIT) {
		vadsp_loop_quit(d->loop);
		return;
	}
	for (uint64_t i = 0; i < cmd; i++) {
		if (read(d->ping_fd, &val, sizeof(val)) != sizeof(val) ||
		    write(d->pong_fd, &one, sizeof(one)) != sizeof(one)) {
			d->error = errno ? errno : EIO;
			vadsp_loop_quit(d->loop);
			return;
		}
	}
}

static int device_main(int sock, int ctl_fd, int ping_fd, int pong_fd)
{
	struct device d = { .ctl_fd = ctl_fd, .ping_fd = ping_fd, .pong_fd = pong_fd };
	struct vu_server *srv = NULL;
	int ret;

	signal(SIGPIPE, SIG_IGN);
	d.loop = vadsp_loop_new();
	if (!d.loop)
		return 1;
	ret = vu_server_new(&srv, &echo_info, &echo_ops, &vadsp_loop_watch_ops, d.loop, &d);
	if (ret == 0)
		ret = vu_server_adopt(srv, sock, NULL);
	if (ret == 0)
		ret = vadsp_loop_add(d.loop, ctl_fd, VADSP_LOOP_IN, on_ctl, &d);
	if (ret == 0)
		ret = vadsp_loop_run(d.loop);
	vadsp_loop_del(d.loop, ctl_fd);
	vu_server_free(srv);
	vadsp_loop_free(d.loop);
	if (ret < 0 || d.error) {
		fprintf(stderr, "device: %s\n", strerror(ret < 0 ? -ret : d.error));
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * The guest process
 * ------------------------------------------------------------------------------------------ */

struct guest {
	struct vu_front *fe;
	struct vu_front_buf req;
	struct vu_front_buf resp;
	int ctl_fd;
	int ping_fd;
	int pong_fd;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int guest_setup(struct guest *g, int sock)
{
	int ret;

	ret = vu_front_new_fd(&g->fe, sock);
	if (ret < 0)
		return ret;
	ret = vu_front_negotiate(g->fe, (1ull << VIRTIO_F_VERSION_1) |
				 (1ull << VIRTIO_F_EVENT_IDX), VU_FRONT_DEFAULT_PROTOCOL_FEATURES);
	if (ret < 0)
		return ret;
	ret = vu_front_mem_create(g->fe, 1u << 20, 2);
	if (ret < 0)
		return ret;
	ret = vu_front_alloc(g->fe, REQ_BYTES, 64, &g->req);
	if (ret < 0)
		return ret;
	ret = vu_front_alloc(g->fe, REQ_BYTES, 64, &g->resp);
	if (ret < 0)
		return ret;
	return vu_front_queue_start(g->fe, 0, QUEUE_SIZE);
}

/* One vhost-user round trip: request out, kick, wait for the call, reap. */
static int vhost_round(struct guest *g, uint32_t seq)
{
	struct vring_buf out = { .gpa = g->req.gpa, .len = REQ_BYTES };
	struct vring_buf in = { .gpa = g->resp.gpa, .len = REQ_BYTES };
	uint32_t len = 0;
	void *token;
	int ret;

	memcpy(g->req.host, &seq, sizeof(seq));
	ret = vu_front_queue_add(g->fe, 0, &out, 1, &in, 1, g);
	if (ret < 0)
		return ret;
	ret = vu_front_queue_kick(g->fe, 0);
	if (ret < 0)
		return ret;
	while (!(token = vu_front_queue_get_used(g->fe, 0, &len))) {
		ret = vu_front_queue_wait(g->fe, 0, WAIT_MS);
		if (ret == 0)
			return -ETIMEDOUT;
		if (ret < 0)
			return ret;
	}
	if (token != g || len != REQ_BYTES || memcmp(g->resp.host, &seq, sizeof(seq)) != 0)
		return -EBADMSG;
	return 0;
}

static int vhost_block(struct guest *g, uint64_t *ns, unsigned int n, uint32_t *seq)
{
	for (unsigned int i = 0; i < n; i++) {
		uint64_t t0 = now_ns();
		int ret = vhost_round(g, (*seq)++);

		if (ret < 0)
			return ret;
		if (ns)
			ns[i] = now_ns() - t0;
	}
	return 0;
}

/* @n bare eventfd round trips: ping the device process, block in read() for its pong. */
static int floor_block(struct guest *g, uint64_t *ns, unsigned int n)
{
	uint64_t cmd = n, one = 1, val;

	if (write(g->ctl_fd, &cmd, sizeof(cmd)) != sizeof(cmd))
		return -errno;
	for (unsigned int i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		if (write(g->ping_fd, &one, sizeof(one)) != sizeof(one))
			return -errno;
		if (read(g->pong_fd, &val, sizeof(val)) != sizeof(val))
			return -errno;
		if (ns)
			ns[i] = now_ns() - t0;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct stats {
	double p50_us;
	double p99_us;
	double min_us;
	double mean_us;
};

static struct stats stats_of(uint64_t *ns, unsigned int n)
{
	struct stats s;
	uint64_t sum = 0;

	qsort(ns, n, sizeof(*ns), cmp_u64);
	for (unsigned int i = 0; i < n; i++)
		sum += ns[i];
	s.p50_us = (double)ns[n / 2] / 1000.0;
	s.p99_us = (double)ns[(uint64_t)n * 99 / 100] / 1000.0;
	s.min_us = (double)ns[0] / 1000.0;
	s.mean_us = (double)sum / n / 1000.0;
	return s;
}

static int guest_main(struct guest *g, const char *placement)
{
	static uint64_t vhost_ns[ITERATIONS], floor_ns[ITERATIONS];
	const unsigned int per_block = ITERATIONS / BLOCKS;
	struct stats v, fl;
	uint32_t seq = 0;
	double r50, r99;
	int ret;

	/* Warm-up: caches, page faults, the scheduler's idea of both processes. */
	ret = floor_block(g, NULL, WARMUP);
	if (ret == 0)
		ret = vhost_block(g, NULL, WARMUP, &seq);
	for (unsigned int b = 0; ret == 0 && b < BLOCKS; b++) {
		ret = floor_block(g, floor_ns + b * per_block, per_block);
		if (ret == 0)
			ret = vhost_block(g, vhost_ns + b * per_block, per_block, &seq);
	}
	if (ret < 0) {
		fprintf(stderr, "bench: %s\n", strerror(-ret));
		return 1;
	}

	fl = stats_of(floor_ns, ITERATIONS);
	v = stats_of(vhost_ns, ITERATIONS);
	r50 = v.p50_us / fl.p50_us;
	r99 = v.p99_us / fl.p99_us;
	printf("\n%s\n", placement);
	printf("%-28s %9s %9s %9s %9s\n", "", "min us", "mean us", "p50 us", "p99 us");
	printf("%-28s %9.2f %9.2f %9.2f %9.2f\n", "eventfd ping-pong (floor)", fl.min_us,
	       fl.mean_us, fl.p50_us, fl.p99_us);
	printf("%-28s %9.2f %9.2f %9.2f %9.2f\n", "vhost-user queue round trip", v.min_us,
	       v.mean_us, v.p50_us, v.p99_us);
	printf("\nratio to floor: p50 %.2fx (target <= %.0fx: %s), p99 %.2fx (target <= %.0fx: %s)\n",
	       r50, TARGET_P50, r50 <= TARGET_P50 ? "met" : "MISSED",
	       r99, TARGET_P99, r99 <= TARGET_P99 ? "met" : "MISSED");
	return 0;
}

/* Pin the calling process to @cpu (-1: leave it to the scheduler). Return: 0 or -errno. */
static int pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) < 0 ? -errno : 0;
}

/* Let the calling process run on every CPU again. */
static void pin_all(void)
{
	cpu_set_t set;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	CPU_ZERO(&set);
	for (long i = 0; i < n && i < CPU_SETSIZE; i++)
		CPU_SET((int)i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * One measurement with the guest on @guest_cpu and the device on @device_cpu: a fresh
 * device process, floor and vhost-user rounds interleaved.
 */
static int run(const char *placement, int guest_cpu, int device_cpu)
{
	struct guest g = { 0 };
	int sv[2], status, ret;
	uint64_t quit = CMD_QUIT;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("socketpair");
		return 1;
	}
	/* Blocking eventfds: each side of the floor blocks in read(). */
	g.ping_fd = eventfd(0, EFD_CLOEXEC);
	g.pong_fd = eventfd(0, EFD_CLOEXEC);
	g.ctl_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (g.ping_fd < 0 || g.pong_fd < 0 || g.ctl_fd < 0) {
		perror("eventfd");
		return 1;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		close(sv[0]);
		if (pin(device_cpu) < 0)
			_exit(1);
		_exit(device_main(sv[1], g.ctl_fd, g.ping_fd, g.pong_fd));
	}
	close(sv[1]);
	ret = pin(guest_cpu);
	if (ret < 0) {
		fprintf(stderr, "bench: pinning to CPU %d: %s\n", guest_cpu, strerror(-ret));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}

	ret = guest_setup(&g, sv[0]);
	if (ret < 0) {
		fprintf(stderr, "bench: setting up the guest: %s\n", strerror(-ret));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	ret = guest_main(&g, placement);
	if (write(g.ctl_fd, &quit, sizeof(quit)) != sizeof(quit))
		kill(pid, SIGKILL);
	vu_front_close(g.fe);
	close(g.ping_fd);
	close(g.pong_fd);
	close(g.ctl_fd);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: the device process failed\n");
		ret = 1;
	}
	pin_all();
	return ret;
}

int main(void)
{
	int ret;

	vadsp_log_set_level(VADSP_LOG_WARN);
	signal(SIGPIPE, SIG_IGN);
	printf("vhost-user request/response round trip, 2 processes, %u iterations each "
	       "after %u warm-up,\n%u bytes each way, queue size %u, in %u alternating blocks, "
	       "for three placements\nof the two processes (the ratio compares rounds measured "
	       "under the same placement)\n",
	       ITERATIONS, WARMUP, REQ_BYTES, QUEUE_SIZE, BLOCKS);
	ret = run("placement: both processes on CPU 0", 0, 0);
	if (ret == 0 && sysconf(_SC_NPROCESSORS_ONLN) >= 2)
		ret = run("placement: guest on CPU 0, device on CPU 1", 0, 1);
	if (ret == 0)
		ret = run("placement: left to the scheduler", -1, -1);
	return ret;
}
