// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "guest/guest.h"
#include "guest/sof.h"
#include "util/le.h"
#include "vadspd-test-util.h"

const char *vt_topology(const char *name)
{
	static char paths[4][512];
	static unsigned int next;
	char *p = paths[next++ % 4];

	snprintf(p, sizeof(paths[0]), "%s/%s.tplg", getenv("VADSP_TOPOLOGY_DIR"), name);
	return p;
}

void vt_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	fclose(f);
}

pid_t vt_spawn(const char *exe, const char *conf, const char *log)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(127);
		execl(exe, exe, "--config", conf, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Whether something accepts connections on @path within @wait_ms (tried every 10 ms). */
static bool listening(const char *path, int wait_ms)
{
	for (int waited = 0; waited < wait_ms; waited += 10) {
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int ok;

		memcpy(a.sun_path, path, strlen(path) + 1);
		ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
		close(fd);
		if (ok)
			return true;
		usleep(10000);
	}
	return false;
}

void vt_wait_listening(const char *path, int wait_ms)
{
	if (!listening(path, wait_ms))
		fail_msg("nothing listens on %s", path);
}

void vt_write_wav(const char *path, uint32_t frames, int16_t (*sample)(uint64_t i))
{
	FILE *f = fopen(path, "wb");
	uint8_t h[44] = "RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x02\0\x80\xbb\0\0"
			"\0\xee\x02\0\x04\0\x10\0data";

	assert_non_null(f);
	put_le32(h + 4, 36 + frames * 4);
	put_le32(h + 40, frames * 4);
	assert_int_equal(fwrite(h, 1, 44, f), 44);
	for (uint32_t i = 0; i < frames; i++) {
		int16_t v = sample(i), s[2] = { v, v };

		assert_int_equal(fwrite(s, 2, 2, f), 2);
	}
	fclose(f);
}

pid_t vt_running;

int vt_teardown(void **state)
{
	(void)state;
	vt_kill(&vt_running);
	return 0;
}

void vt_kill(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		waitpid(*pid, NULL, 0);
		*pid = 0;
	}
}

void vt_terminate(pid_t pid, pid_t *running)
{
	int status;

	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	*running = 0;
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int32_t *vt_read_wav_left(const char *path, bool wave, uint32_t *frames)
{
	uint8_t hdr[12], ch[8];
	int32_t *left = NULL;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	assert_int_equal(fread(hdr, 1, 12, f), 12);
	if (wave)
		assert_memory_equal(hdr + 8, "WAVE", 4);
	while (fread(ch, 1, 8, f) == 8) {
		uint32_t size = get_le32(ch + 4);

		if (memcmp(ch, "data", 4)) {
			fseek(f, (long)(size + (size & 1)), SEEK_CUR);
			continue;
		}
		*frames = size / 8;
		left = calloc(*frames ? *frames : 1, sizeof(*left));
		assert_non_null(left);
		for (uint32_t i = 0; i < *frames; i++) {
			uint8_t s[8];

			assert_int_equal(fread(s, 1, 8, f), 8);
			left[i] = (int32_t)get_le32(s);
		}
		break;
	}
	fclose(f);
	assert_non_null(left);
	return left;
}

int16_t vt_ramp_signal(uint64_t i)
{
	return (int16_t)((i * 7919u + (i >> 7) * 13u) % 50000u - 25000);
}

uint32_t vt_first_sound(const int32_t *l, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (l[i])
			return i;
	fail_msg("the output is silent (%u frames)", n);
	return 0;
}

uint32_t vt_longest_run(const int32_t *l, uint32_t n, int32_t v)
{
	uint32_t best = 0, run = 0;

	for (uint32_t i = 0; i < n; i++) {
		run = l[i] == v ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

void vt_daemon_init(struct vt_daemon *d, const char *name)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "/tmp/vadspd-%s-XXXXXX", name);
	assert_non_null(mkdtemp(d->dir));
	snprintf(d->conf, sizeof(d->conf), "%s/vadspd.conf", d->dir);
	snprintf(d->log, sizeof(d->log), "%s/vadspd.log", d->dir);
	snprintf(d->mgmt, sizeof(d->mgmt), "%s/mgmt.sock", d->dir);
	snprintf(d->out, sizeof(d->out), "%s/out.wav", d->dir);
	snprintf(d->in, sizeof(d->in), "%s/in.wav", d->dir);
	for (unsigned int i = 0; i < VT_GUESTS_MAX; i++)
		snprintf(d->sock[i], sizeof(d->sock[i]), "%s/vm%u.sock", d->dir, i + 1);
}

void vt_daemon_spawn(struct vt_daemon *d, const char *const *args)
{
	const char *exe = getenv("VADSPD_EXE");
	char *argv[16];
	int n = 0;

	assert_non_null(exe);
	argv[n++] = (char *)exe;
	while (*args && n < 15)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	d->pid = fork();
	assert_true(d->pid >= 0);
	if (d->pid == 0) {
		int fd = open(d->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		/* Never outlive the test (an abort skips the teardown). */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || fd < 0 ||
		    dup2(fd, STDERR_FILENO) < 0)
			_exit(127);
		execv(exe, argv);
		_exit(127);
	}
	vt_running = d->pid;
}

void vt_daemon_start(struct vt_daemon *d, const struct vt_daemon_opts *o)
{
	const char *args[] = { "--config", d->conf, NULL };
	FILE *f;

	assert_true(o->guests <= VT_GUESTS_MAX);
	vt_daemon_init(d, o->name);
	if (o->in_frames)
		vt_write_wav(d->in, o->in_frames, vt_ramp_signal);
	f = fopen(d->conf, "w");
	assert_non_null(f);
	fputs("[daemon]\n", f);
	if (o->log_level)
		fprintf(f, "log-level = %s\n", o->log_level);
	fprintf(f, "mgmt-socket = %s\n", d->mgmt);
	if (o->host) {
		fprintf(f, "[host]\ntopology = %s\n", vt_topology("host"));
		if (o->out_null)
			fputs("dai.DAI0.OUT = null\n", f);
		else
			fprintf(f, "dai.DAI0.OUT = file:%s\n", d->out);
		if (o->in_frames)
			fprintf(f, "dai.DAI0.IN = file:%s%s\n", d->in, o->in_loop ? "?loop" : "");
		else if (o->in)
			fprintf(f, "dai.DAI0.IN = %s%s\n", strcmp(o->in, "null") ? "file:" : "",
				o->in);
	}
	for (unsigned int i = 0; i < o->guests; i++) {
		const struct vt_guest_opts *g = &o->guest[i];

		fprintf(f, "[guest vm%u]\nsocket = %s\ntopology = %s\n%s", i + 1, d->sock[i],
			vt_topology(g->topology ? g->topology : "stereo"),
			g->lines ? g->lines : "");
	}
	assert_int_equal(fclose(f), 0);
	vt_daemon_spawn(d, args);
	if (!listening(d->mgmt, VT_WAIT_MS)) {
		vt_daemon_print_log(d);
		fail_msg("nothing listens on %s", d->mgmt);
	}
}

int vt_daemon_reap(struct vt_daemon *d, int wait_ms)
{
	int status;

	for (int waited = 0; waited < wait_ms; waited += 10) {
		pid_t r = waitpid(d->pid, &status, WNOHANG);

		if (r == d->pid) {
			d->pid = 0;
			vt_running = 0;
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
		usleep(10000);
	}
	kill(d->pid, SIGKILL);
	waitpid(d->pid, &status, 0);
	d->pid = 0;
	vt_running = 0;
	return -1;
}

char *vt_daemon_log(const struct vt_daemon *d)
{
	static char buf[1 << 20];
	FILE *f = fopen(d->log, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Lines of the log vt_daemon_print_log() prints. */
#define LOG_TAIL	100

void vt_daemon_print_log(const struct vt_daemon *d)
{
	static char lines[LOG_TAIL][256];
	unsigned long n = 0;
	FILE *f = fopen(d->log, "r");

	if (!f)
		return;
	while (fgets(lines[n % LOG_TAIL], sizeof(lines[0]), f))
		n++;
	fclose(f);
	for (unsigned long i = n > LOG_TAIL ? n - LOG_TAIL : 0; i < n; i++)
		print_message("vadspd: %s", lines[i % LOG_TAIL]);
}

int32_t *vt_daemon_stop(struct vt_daemon *d, uint32_t *frames)
{
	int32_t *left = NULL;

	if (d->pid > 0) {
		int status;

		assert_int_equal(waitpid(d->pid, &status, WNOHANG), 0);	/* nothing crashed */
		kill(d->pid, SIGTERM);
		status = vt_daemon_reap(d, VT_WAIT_MS);
		if (status != 0)
			vt_daemon_print_log(d);
		assert_int_equal(status, 0);
	}
	if (frames) {
		*frames = 0;
		left = vt_read_wav_left(d->out, true, frames);
	}
	vt_daemon_remove(d);
	return left;
}

void vt_daemon_remove(const struct vt_daemon *d)
{
	unlink(d->conf);
	unlink(d->log);
	unlink(d->mgmt);
	unlink(d->out);
	unlink(d->in);
	for (unsigned int i = 0; i < VT_GUESTS_MAX; i++)
		unlink(d->sock[i]);
	rmdir(d->dir);
}

char *vt_mgmt(const struct vt_daemon *d, const char *request)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);

	assert_true(fd >= 0);
	assert_non_null(buf);
	buf[0] = '\0';
	assert_true(strlen(d->mgmt) < sizeof(a.sun_path));
	memcpy(a.sun_path, d->mgmt, strlen(d->mgmt) + 1);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(write(fd, request, strlen(request)), (ssize_t)strlen(request));
	assert_int_equal(write(fd, "\n", 1), 1);
	while (!memchr(buf, '\n', len)) {
		ssize_t r;

		if (len + 1 >= cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		r = read(fd, buf + len, cap - len - 1);
		assert_true(r > 0);
		len += (size_t)r;
		buf[len] = '\0';
	}
	close(fd);
	return buf;
}

void vt_sof_guest_open(struct vt_sof_guest *sg, const char *sock)
{
	struct vguest_options o = { .sof_ipc3 = true, .timeout_ms = VT_WAIT_MS };

	assert_int_equal(vguest_connect(&sg->g, sock, &o), 0);
	assert_true(vguest_card(sg->g)->sof_negotiated);
	assert_int_equal(vguest_sof_open(&sg->s, sg->g), 0);
}

void vt_sof_guest_close(struct vt_sof_guest *sg)
{
	vguest_sof_close(sg->s);
	vguest_close(sg->g);
}

pid_t vt_fork_guest(void (*guest)(const char *sock, int fd), const char *sock, uint32_t *word)
{
	int fds[2];
	pid_t child;

	assert_int_equal(pipe(fds), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(fds[0]);
		guest(sock, fds[1]);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], word, sizeof(*word)), sizeof(*word));
	close(fds[0]);
	return child;
}
