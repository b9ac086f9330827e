/* SPDX-License-Identifier: MIT */
/*
 * vadspd's management replies read as JSON, for the tests that check what a running vadspd
 * (struct vt_daemon) reports: vt_ask() sends one request and keeps its parsed reply, and the
 * readers take a value of it by path ("guests.0.connections.0.streams.1.state"), failing the
 * test where the reply has no such value of that type. They assert with cmocka.
 */
#ifndef VADSP_TESTS_VADSPD_TEST_REPLY_H
#define VADSP_TESTS_VADSPD_TEST_REPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "vadspd-test-util.h"

/**
 * vt_ask() - one request on the daemon's management socket (vt_mgmt()), its reply parsed and
 * kept for vt_at() and the readers below until the next vt_ask()
 * @d: the daemon
 * @request: the request's JSON, without the newline
 *
 * Fails the running test if the reply is not a JSON object or is longer than 256 KiB.
 */
void vt_ask(const struct vt_daemon *d, const char *request);

/**
 * vt_reply() - the text of the last vt_ask()'s reply, without its newline, for messages
 *
 * Return: the text ("" before the first vt_ask()).
 */
const char *vt_reply(void);

/**
 * vt_at() - the value at @path in the last reply
 * @path: object keys and array indices joined by '.', e.g. "guests.0.name"
 *
 * Return: its token index (>= 0), or a negative number when there is none.
 */
int vt_at(const char *path);

/**
 * vt_num_at() - the integer at @path in the last reply
 * @path: as vt_at()'s
 *
 * Fails the running test if there is none.
 *
 * Return: the integer.
 */
int64_t vt_num_at(const char *path);

/**
 * vt_str_at() - the string at @path in the last reply, decoded
 * @path: as vt_at()'s
 *
 * Fails the running test if there is none (or it is longer than 255 bytes).
 *
 * Return: the string, in a static buffer the next call reuses.
 */
const char *vt_str_at(const char *path);

/**
 * vt_bool_at() - the boolean at @path in the last reply
 * @path: as vt_at()'s
 *
 * Fails the running test if there is none.
 *
 * Return: the boolean.
 */
bool vt_bool_at(const char *path);

/**
 * vt_null_at() - whether the value at @path in the last reply is null
 * @path: as vt_at()'s
 *
 * Fails the running test if there is no value at @path.
 *
 * Return: true for null, false for any other value.
 */
bool vt_null_at(const char *path);

/**
 * vt_count_at() - the number of elements of the array at @path in the last reply
 * @path: as vt_at()'s
 *
 * Fails the running test if there is no array at @path.
 *
 * Return: the count.
 */
uint32_t vt_count_at(const char *path);

#endif
