/* SPDX-License-Identifier: MIT */
/*
 * Small compiler helpers shared by every module.
 */
#ifndef VADSP_UTIL_COMPILER_H
#define VADSP_UTIL_COMPILER_H

#include <stddef.h>

#define VADSP_PACKED		__attribute__((packed))
#define VADSP_UNUSED		__attribute__((unused))
#define VADSP_PRINTF(a, b)	__attribute__((format(printf, a, b)))
#define VADSP_LIKELY(x)		__builtin_expect(!!(x), 1)
#define VADSP_UNLIKELY(x)	__builtin_expect(!!(x), 0)

#define VADSP_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define VADSP_MIN(a, b)		((a) < (b) ? (a) : (b))
#define VADSP_MAX(a, b)		((a) > (b) ? (a) : (b))
#define VADSP_ALIGN_UP(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))

#define vadsp_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* Assert the size of a wire structure at compile time. */
#define VADSP_WIRE_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), #type " must be " #size " bytes on the wire")

#endif /* VADSP_UTIL_COMPILER_H */
