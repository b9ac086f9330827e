/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the tests that start a real vadspd process: start one on a configuration made
 * of options (struct vt_daemon) in a directory of its own, wait until a socket of it accepts
 * connections, write a WAV file for its host input endpoint, stop it and read back the S32
 * stereo WAV its host output endpoint wrote, kill a daemon a failed test left running,
 * connect a process guest with its SOF IPC3 session and run a guest in a child process. They
 * assert with cmocka, so only cmocka tests call them.
 */
#ifndef VADSP_TESTS_VADSPD_TEST_UTIL_H
#define VADSP_TESTS_VADSPD_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* How long a test waits for vadspd to listen or to exit, in milliseconds. */
#define VT_WAIT_MS	10000
/* The most guests a vt_daemon configuration has. */
#define VT_GUESTS_MAX	64u

/**
 * vt_topology() - the path of the built topology @name (without ".tplg") in
 * $VADSP_TOPOLOGY_DIR
 * @name: topology name, e.g. "host" or "stereo"
 *
 * Return: the path, in one of four static buffers that are reused in turn (so up to four
 * results can be used together, e.g. as the arguments of one snprintf()).
 */
const char *vt_topology(const char *name);

/**
 * vt_write_file() - create (or truncate) @path holding @text, e.g. a vadspd configuration
 * @path: file to write
 * @text: its whole contents
 *
 * Fails the running test if the file cannot be created.
 */
void vt_write_file(const char *path, const char *text);

/**
 * vt_spawn() - start vadspd: fork, and exec "@exe --config @conf" with stderr into @log
 * @exe: the vadspd executable
 * @conf: its configuration file
 * @log: file (created or truncated) that receives the daemon's stderr
 *
 * Fails the running test if fork() fails. The child exits 127 if @log cannot be opened or
 * @exe cannot be executed.
 *
 * Return: the child's process id.
 */
pid_t vt_spawn(const char *exe, const char *conf, const char *log);

/**
 * vt_wait_listening() - wait until something accepts connections on the unix socket @path
 * @path: socket path
 * @wait_ms: how long to try (every 10 ms) before failing the test
 *
 * Each try connects and closes again at once. Fails the running test if nothing listened
 * within @wait_ms.
 */
void vt_wait_listening(const char *path, int wait_ms);

/**
 * vt_write_wav() - write a 48 kHz S16_LE stereo WAV file of @frames frames
 * @path: file to create (truncated if it exists)
 * @frames: number of frames
 * @sample: sample value of frame i, written to both channels
 *
 * Fails the running test if the file cannot be written.
 */
void vt_write_wav(const char *path, uint32_t frames, int16_t (*sample)(uint64_t i));

/**
 * vt_running - the process id of the vadspd the running test started, 0 when none
 *
 * The test sets it when it spawns vadspd and clears it once it has reaped it; vt_teardown()
 * kills what is left.
 */
extern pid_t vt_running;

/**
 * vt_teardown() - cmocka teardown: vt_kill() the daemon in vt_running, if any
 * @state: cmocka's test state (unused)
 *
 * Return: 0.
 */
int vt_teardown(void **state);

/**
 * vt_kill() - SIGKILL and reap the process *@pid if there is one, then set *@pid to 0
 * @pid: process id, 0 (or negative) when nothing is running
 *
 * For a test's teardown: a daemon left running by a failed assertion does not outlive it.
 */
void vt_kill(pid_t *pid);

/**
 * vt_terminate() - stop vadspd @pid with SIGTERM and reap it; it must exit with status 0
 * @pid: the daemon's process id
 * @running: the test's record of a running daemon, set to 0 once @pid is reaped
 *
 * Fails the running test if @pid cannot be reaped or did not exit 0.
 */
void vt_terminate(pid_t pid, pid_t *running);

/**
 * vt_read_wav_left() - the left channel of the S32_LE stereo WAV file @path
 * @path: a WAV file as vadspd's file endpoint writes it (finished by SIGTERM)
 * @wave: also assert that the RIFF form type is "WAVE"
 * @frames: set to the number of frames in its data chunk
 *
 * Chunks before "data" are skipped. Fails the running test if the file has no data chunk
 * or ends inside it.
 *
 * Return: the @frames left samples (calloc'ed, at least one element), for the caller to free.
 */
int32_t *vt_read_wav_left(const char *path, bool wave, uint32_t *frames);

/**
 * vt_ramp_signal() - sample @i of the tests' signal: it never repeats within a test's length,
 * so a match found in an output file is never a false alignment
 * @i: frame index
 *
 * Return: the S16 sample of frame @i.
 */
int16_t vt_ramp_signal(uint64_t i);

/**
 * vt_first_sound() - the index of the first non-zero frame of @l
 * @l: samples (one channel)
 * @n: number of samples
 *
 * Fails the running test if all @n samples are zero.
 *
 * Return: the index.
 */
uint32_t vt_first_sound(const int32_t *l, uint32_t n);

/**
 * vt_longest_run() - the length of the longest run of samples of @l equal to @v
 * @l: samples (one channel)
 * @n: number of samples
 * @v: the value
 *
 * Return: the run's length in samples, 0 if none is @v.
 */
uint32_t vt_longest_run(const int32_t *l, uint32_t n, int32_t v);

/**
 * struct vt_daemon - a vadspd the test started, and the paths of its directory
 * @pid: its process id, 0 once reaped
 * @dir: its directory, /tmp/vadspd-NAME-XXXXXX
 * @conf: @dir/vadspd.conf, its configuration
 * @log: @dir/vadspd.log, its stderr
 * @mgmt: @dir/mgmt.sock, its management socket
 * @out: @dir/out.wav, the host's DAI0.OUT file
 * @in: @dir/in.wav, the host's DAI0.IN file when vt_daemon_opts.in_frames asks for one
 * @sock: @dir/vmN.sock, the socket of guest vmN (N = index + 1)
 */
struct vt_daemon {
	pid_t pid;
	char dir[64];
	char conf[128];
	char log[128];
	char mgmt[128];
	char out[128];
	char in[128];
	char sock[VT_GUESTS_MAX][128];
};

/**
 * struct vt_guest_opts - one [guest vmN] section
 * @topology: vt_topology() name of its topology; NULL: "stereo"
 * @lines: more lines of the section, each ending in '\n' (e.g. "sof = yes\n"); NULL: none
 */
struct vt_guest_opts {
	const char *topology;
	const char *lines;
};

/**
 * struct vt_daemon_opts - what vt_daemon_start() writes into the configuration
 * @name: part of the directory's name, /tmp/vadspd-@name-XXXXXX
 * @log_level: [daemon] log-level; NULL: no such line
 * @host: a [host] section: topology "host", DAI0.OUT into vt_daemon.out
 * @out_null: the host's DAI0.OUT is the null endpoint instead
 * @in: the host's DAI0.IN: a WAV file's path, or "null"; NULL: no such line
 * @in_frames: if not 0, DAI0.IN is vt_daemon.in instead, written first with @in_frames
 *	frames of vt_ramp_signal()
 * @in_loop: with @in_frames, DAI0.IN reads vt_daemon.in in a loop (its "?loop" option), so
 *	a short file feeds a capture of any length
 * @guests: number of guests, vm1 to vmN (at most VT_GUESTS_MAX)
 * @guest: their sections, in order
 */
struct vt_daemon_opts {
	const char *name;
	const char *log_level;
	bool host;
	bool out_null;
	const char *in;
	uint32_t in_frames;
	bool in_loop;
	unsigned int guests;
	struct vt_guest_opts guest[VT_GUESTS_MAX];
};

/**
 * vt_daemon_init() - clear @d and create its directory; set every path of it
 * @d: the daemon
 * @name: part of the directory's name, /tmp/vadspd-@name-XXXXXX
 *
 * For a test that writes a configuration of its own or starts vadspd without one
 * (vt_daemon_spawn()); vt_daemon_start() calls it.
 */
void vt_daemon_init(struct vt_daemon *d, const char *name);

/**
 * vt_daemon_spawn() - start $VADSPD_EXE with @args, its stderr into @d->log
 * @d: the daemon, its paths set by vt_daemon_init()
 * @args: the arguments after the program's name, NULL-terminated (at most 14)
 *
 * Sets @d->pid and vt_running. vadspd is killed when the test process ends, so it never
 * outlives a test that aborted. Does not wait for anything to listen.
 */
void vt_daemon_spawn(struct vt_daemon *d, const char *const *args);

/**
 * vt_daemon_start() - start vadspd on the configuration @o describes
 * @d: the daemon, set up here (vt_daemon_init())
 * @o: its configuration
 *
 * Writes @d->conf and (@o->in_frames) @d->in, runs "vadspd --config @d->conf" and waits
 * until its management socket listens; vadspd opens that after every guest socket listens,
 * so none of them is connected to here. Fails the running test, its log printed, if the
 * socket does not listen within VT_WAIT_MS.
 */
void vt_daemon_start(struct vt_daemon *d, const struct vt_daemon_opts *o);

/**
 * vt_daemon_reap() - wait up to @wait_ms for vadspd to exit, then SIGKILL it
 * @d: the daemon; @d->pid and vt_running are 0 afterwards
 * @wait_ms: how long to wait
 *
 * Return: its exit status; 128 + the signal if a signal ended it; -1 if it was still
 * running after @wait_ms (and was killed).
 */
int vt_daemon_reap(struct vt_daemon *d, int wait_ms);

/**
 * vt_daemon_log() - the daemon's stderr so far
 * @d: the daemon
 *
 * Fails the running test if the log cannot be opened.
 *
 * Return: the log's text (up to 1 MiB), in a static buffer the next call reuses.
 */
char *vt_daemon_log(const struct vt_daemon *d);

/**
 * vt_daemon_print_log() - print the last 100 lines of the daemon's log, for a failed test
 * @d: the daemon
 */
void vt_daemon_print_log(const struct vt_daemon *d);

/**
 * vt_daemon_stop() - stop vadspd and remove its directory
 * @d: the daemon
 * @frames: NULL, or set to the number of frames of @d->out
 *
 * If it was started and not reaped yet (@d->pid): it must still be running (nothing
 * crashed), and SIGTERM must end it with status 0 within VT_WAIT_MS; its log is printed
 * when it does not. Then @d->out is read if @frames is not NULL (vt_read_wav_left() of a
 * "WAVE" file), and vt_daemon_remove() removes the files.
 *
 * Return: the left channel of @d->out for the caller to free, NULL when @frames is NULL.
 */
int32_t *vt_daemon_stop(struct vt_daemon *d, uint32_t *frames);

/**
 * vt_mgmt() - one request on the daemon's management socket
 * @d: the daemon
 * @request: the request's JSON, without the newline
 *
 * Fails the running test if the socket does not answer.
 *
 * Return: the reply line (NUL-terminated), for the caller to free.
 */
char *vt_mgmt(const struct vt_daemon *d, const char *request);

/**
 * vt_daemon_remove() - remove the daemon's files (those of its paths that exist) and its
 * directory
 * @d: the daemon
 *
 * The directory stays if it holds anything else.
 */
void vt_daemon_remove(const struct vt_daemon *d);


struct vguest;
struct vguest_sof;

/**
 * struct vt_sof_guest - a process guest (src/guest) speaking the SOF IPC3 extension
 * @g: the guest
 * @s: its SOF session
 */
struct vt_sof_guest {
	struct vguest *g;
	struct vguest_sof *s;
};

/**
 * vt_sof_guest_open() - connect a guest with the SOF IPC3 extension and open its session
 * @sg: the guest, set here
 * @sock: the guest socket of vadspd, e.g. vt_daemon.sock[0]
 *
 * Its requests wait up to VT_WAIT_MS. Fails the running test if the guest does not connect,
 * the extension is not negotiated or the session does not open.
 */
void vt_sof_guest_open(struct vt_sof_guest *sg, const char *sock);

/**
 * vt_sof_guest_close() - close the guest's SOF session, then the guest
 * @sg: the guest
 */
void vt_sof_guest_close(struct vt_sof_guest *sg);


/**
 * vt_fork_guest() - run a guest in a child process and wait until it reports in
 * @guest: the child's body, called with @sock and the write end of a pipe; it writes one
 *	uint32_t there once it is where the test wants it (e.g. its stream id) and never returns
 * @sock: the guest socket it connects to
 * @word: set to what it wrote
 *
 * The child _exit()s 0 if @guest returns. Fails the running test if fork() fails or the
 * child's word does not come.
 *
 * Return: the child's process id, for the test to kill and reap.
 */
pid_t vt_fork_guest(void (*guest)(const char *sock, int fd), const char *sock, uint32_t *word);

#endif
