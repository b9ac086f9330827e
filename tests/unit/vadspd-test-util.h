/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the tests that start a real vadspd process: wait until a socket of it accepts
 * connections, write a WAV file for its host input endpoint, stop it and read back the S32
 * stereo WAV its host output endpoint wrote, and kill a daemon a failed test left running. They assert with cmocka, so only cmocka tests call them.
 */
#ifndef VADSP_TESTS_VADSPD_TEST_UTIL_H
#define VADSP_TESTS_VADSPD_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

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

#endif
