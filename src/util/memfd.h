/* SPDX-License-Identifier: MIT */
/*
 * Shared memory for guest RAM created by a process acting as a guest.
 */
#ifndef VADSP_UTIL_MEMFD_H
#define VADSP_UTIL_MEMFD_H

#include <stdint.h>

/**
 * vadsp_memfd_create() - a memfd of @size bytes, sealed against shrinking and growing
 * @name: name shown in /proc/PID/fd
 * @size: bytes
 *
 * The seals let a back-end map it without fearing a SIGBUS from a later truncation, which is
 * what vadspd requires of guest memory (see docs/protocol.md, "Guest memory").
 *
 * Return: the fd (close-on-exec), or -errno.
 */
int vadsp_memfd_create(const char *name, uint64_t size);

#endif /* VADSP_UTIL_MEMFD_H */
