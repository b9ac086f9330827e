/* SPDX-License-Identifier: MIT */
/*
 * A bounds-checked cursor over a byte range of a topology file.
 *
 * A reader covers [pos, end) of one buffer whose first byte is file offset 0, so every
 * position is also a file offset and errors can name it. Each get checks that the bytes
 * exist before it reads them and leaves the cursor untouched on failure; the sizes are
 * compared by subtraction, so no length from the file can wrap an addition. A failed read
 * records where it happened and how many bytes it wanted (tplg_reader.err_*), for the
 * caller's message.
 */
#ifndef VADSP_TPLG_READER_H
#define VADSP_TPLG_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * struct tplg_reader - cursor over [pos, end) of @base
 * @base: first byte of the whole file (offset 0)
 * @pos: next offset to read
 * @end: offset one past the last readable byte
 * @err_off: offset of the last failed read
 * @err_need: bytes the last failed read wanted
 * @err_have: bytes that were left at that point
 */
struct tplg_reader {
	const uint8_t *base;
	size_t pos;
	size_t end;
	size_t err_off;
	size_t err_need;
	size_t err_have;
};

/**
 * tplg_rd_init() - a reader over a whole buffer
 * @rd: reader to set up
 * @data: the buffer (file offset 0)
 * @size: its length
 */
void tplg_rd_init(struct tplg_reader *rd, const void *data, size_t size);

/**
 * tplg_rd_left() - bytes left to read
 * @rd: reader
 *
 * Return: end - pos.
 */
static inline size_t tplg_rd_left(const struct tplg_reader *rd)
{
	return rd->end - rd->pos;
}

/**
 * tplg_rd_u8() - read one byte
 * @rd: reader
 * @v: the value
 *
 * Return: 0, or -EBADMSG if the range holds no more byte (the cursor does not move).
 */
int tplg_rd_u8(struct tplg_reader *rd, uint8_t *v);

/**
 * tplg_rd_u16() - read a little-endian u16
 * @rd: reader
 * @v: the value
 *
 * Return: 0, or -EBADMSG if fewer than 2 bytes are left.
 */
int tplg_rd_u16(struct tplg_reader *rd, uint16_t *v);

/**
 * tplg_rd_u32() - read a little-endian u32
 * @rd: reader
 * @v: the value
 *
 * Return: 0, or -EBADMSG if fewer than 4 bytes are left.
 */
int tplg_rd_u32(struct tplg_reader *rd, uint32_t *v);

/**
 * tplg_rd_u64() - read a little-endian u64 (unaligned is fine)
 * @rd: reader
 * @v: the value
 *
 * Return: 0, or -EBADMSG if fewer than 8 bytes are left.
 */
int tplg_rd_u64(struct tplg_reader *rd, uint64_t *v);

/**
 * tplg_rd_bytes() - take @len bytes and return a pointer to them
 * @rd: reader
 * @len: how many bytes
 * @p: set to the first byte (valid for @len bytes) on success
 *
 * Return: 0, or -EBADMSG if fewer than @len bytes are left.
 */
int tplg_rd_bytes(struct tplg_reader *rd, size_t len, const uint8_t **p);

/**
 * tplg_rd_skip() - move past @len bytes
 * @rd: reader
 * @len: how many bytes
 *
 * Return: 0, or -EBADMSG if fewer than @len bytes are left.
 */
int tplg_rd_skip(struct tplg_reader *rd, size_t len);

/**
 * tplg_rd_string() - read a fixed-size string field of @len bytes
 * @rd: reader
 * @len: the field's size on the wire (such as TPLG_NAME_LEN)
 * @dst: receives the string; must hold @len bytes
 *
 * The field must contain a NUL within its @len bytes; the bytes after the NUL are ignored
 * and @dst is NUL-padded.
 *
 * Return: 0; -EBADMSG if fewer than @len bytes are left; -EILSEQ if the field has no NUL
 * (err_off then names the field's first byte). The cursor moves only on success.
 */
int tplg_rd_string(struct tplg_reader *rd, size_t len, char *dst);

/**
 * tplg_rd_sub() - carve the next @len bytes out as a reader of their own
 * @rd: reader; moves past the @len bytes
 * @len: length of the sub-range
 * @sub: the new reader over [pos, pos + len), same base so offsets stay file offsets
 *
 * Return: 0, or -EBADMSG if fewer than @len bytes are left.
 */
int tplg_rd_sub(struct tplg_reader *rd, size_t len, struct tplg_reader *sub);

/**
 * tplg_str_field() - copy a fixed-size string field that must hold a NUL
 * @src: the field (@len bytes, already bounds-checked)
 * @len: field size
 * @dst: receives the string, NUL-padded; holds @len bytes
 *
 * Return: 0, or -EILSEQ if @src has no NUL within @len bytes (@dst is then empty).
 */
int tplg_str_field(const char *src, size_t len, char *dst);

#endif /* VADSP_TPLG_READER_H */
