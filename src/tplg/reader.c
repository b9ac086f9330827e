// SPDX-License-Identifier: MIT
/*
 * Bounds-checked reads over a topology file.
 */
#include <errno.h>
#include <string.h>

#include "tplg/reader.h"
#include "util/le.h"

void tplg_rd_init(struct tplg_reader *rd, const void *data, size_t size)
{
	memset(rd, 0, sizeof(*rd));
	rd->base = data;
	rd->end = size;
}

/* Record a failed read of @len bytes at the cursor, for the caller's message. */
static int record(struct tplg_reader *rd, size_t len, int ret)
{
	rd->err_off = rd->pos;
	rd->err_need = len;
	rd->err_have = tplg_rd_left(rd);
	return ret;
}

/* Check that @len bytes are left. */
static int need(struct tplg_reader *rd, size_t len)
{
	return len <= tplg_rd_left(rd) ? 0 : record(rd, len, -EBADMSG);
}

int tplg_rd_bytes(struct tplg_reader *rd, size_t len, const uint8_t **p)
{
	int ret = need(rd, len);

	if (ret < 0)
		return ret;
	*p = rd->base + rd->pos;
	rd->pos += len;
	return 0;
}

int tplg_rd_skip(struct tplg_reader *rd, size_t len)
{
	const uint8_t *p;

	return tplg_rd_bytes(rd, len, &p);
}

int tplg_rd_u8(struct tplg_reader *rd, uint8_t *v)
{
	const uint8_t *p;
	int ret = tplg_rd_bytes(rd, 1, &p);

	if (ret == 0)
		*v = p[0];
	return ret;
}

int tplg_rd_u16(struct tplg_reader *rd, uint16_t *v)
{
	const uint8_t *p;
	int ret = tplg_rd_bytes(rd, 2, &p);

	if (ret == 0)
		*v = get_le16(p);
	return ret;
}

int tplg_rd_u32(struct tplg_reader *rd, uint32_t *v)
{
	const uint8_t *p;
	int ret = tplg_rd_bytes(rd, 4, &p);

	if (ret == 0)
		*v = get_le32(p);
	return ret;
}

int tplg_rd_u64(struct tplg_reader *rd, uint64_t *v)
{
	const uint8_t *p;
	int ret = tplg_rd_bytes(rd, 8, &p);

	if (ret == 0)
		*v = get_le64(p);
	return ret;
}

int tplg_str_field(const char *src, size_t len, char *dst)
{
	const char *nul = memchr(src, '\0', len);

	memset(dst, 0, len);
	if (!nul)
		return -EILSEQ;
	memcpy(dst, src, (size_t)(nul - src));
	return 0;
}

int tplg_rd_string(struct tplg_reader *rd, size_t len, char *dst)
{
	int ret = need(rd, len);

	if (ret < 0)
		return ret;
	ret = tplg_str_field((const char *)rd->base + rd->pos, len, dst);
	if (ret < 0)
		return record(rd, len, ret);
	rd->pos += len;
	return 0;
}

int tplg_rd_sub(struct tplg_reader *rd, size_t len, struct tplg_reader *sub)
{
	int ret = need(rd, len);

	if (ret < 0)
		return ret;
	memset(sub, 0, sizeof(*sub));
	sub->base = rd->base;
	sub->pos = rd->pos;
	sub->end = rd->pos + len;
	rd->pos += len;
	return 0;
}
