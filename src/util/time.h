/* SPDX-License-Identifier: MIT */
/*
 * The monotonic clock in nanoseconds, as every timestamp the daemon keeps is taken.
 */
#ifndef VADSP_UTIL_TIME_H
#define VADSP_UTIL_TIME_H

#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC now, in nanoseconds. */
static inline uint64_t vadsp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif
