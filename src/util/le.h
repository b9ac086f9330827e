/* SPDX-License-Identifier: MIT */
/*
 * Explicit little-endian loads and stores for wire structures.
 *
 * Wire structures are declared with fixed-width little-endian fields; code reads and writes
 * them only through these helpers, so the byte order is visible at every access and the
 * code stays correct on a big-endian host. Unaligned access is allowed.
 */
#ifndef VADSP_UTIL_LE_H
#define VADSP_UTIL_LE_H

#include <stdint.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define VADSP_HOST_BIG_ENDIAN 1
#else
#define VADSP_HOST_BIG_ENDIAN 0
#endif

static inline uint16_t le16_to_cpu(uint16_t v)
{
	return VADSP_HOST_BIG_ENDIAN ? __builtin_bswap16(v) : v;
}

static inline uint32_t le32_to_cpu(uint32_t v)
{
	return VADSP_HOST_BIG_ENDIAN ? __builtin_bswap32(v) : v;
}

static inline uint64_t le64_to_cpu(uint64_t v)
{
	return VADSP_HOST_BIG_ENDIAN ? __builtin_bswap64(v) : v;
}

#define cpu_to_le16 le16_to_cpu
#define cpu_to_le32 le32_to_cpu
#define cpu_to_le64 le64_to_cpu

/* Loads from possibly unaligned memory. */
static inline uint16_t get_le16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return le16_to_cpu(v);
}

static inline uint32_t get_le32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32_to_cpu(v);
}

static inline uint64_t get_le64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64_to_cpu(v);
}

/* Stores to possibly unaligned memory. */
static inline void put_le16(void *p, uint16_t v)
{
	v = cpu_to_le16(v);
	memcpy(p, &v, sizeof(v));
}

static inline void put_le32(void *p, uint32_t v)
{
	v = cpu_to_le32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void put_le64(void *p, uint64_t v)
{
	v = cpu_to_le64(v);
	memcpy(p, &v, sizeof(v));
}

#endif /* VADSP_UTIL_LE_H */
