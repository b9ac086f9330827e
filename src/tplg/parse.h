/* SPDX-License-Identifier: MIT */
/*
 * Internal to the topology parser: the parse context shared by the block parsers
 * (parse.c, ctl.c, dapm.c, pcm.c) and its error helpers; tplg_msg_escape() also serves the
 * guest model and the IPC3 conversion.
 */
#ifndef VADSP_TPLG_PARSE_H
#define VADSP_TPLG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tplg/reader.h"
#include "tplg/tplg.h"
#include "util/compiler.h"

/**
 * struct tplg_parse - state of one tplg_parse() call
 * @t: the topology being built
 * @err: where the first error goes (never NULL inside the parser)
 * @block: number of the current block, -1 outside blocks
 * @hdr: the current block
 * @elem: context of the current element ("widget 1 'PGA2.0': "), prepended to messages
 * @cap_widgets: allocated entries of t->widgets (and likewise below)
 */
struct tplg_parse {
	struct tplg *t;
	struct tplg_error *err;
	int32_t block;
	const struct tplg_block *hdr;
	char elem[200];
	uint32_t cap_widgets;
	uint32_t cap_kcontrols;
	uint32_t cap_routes;
	uint32_t cap_pcms;
	uint32_t cap_links;
	uint32_t cap_dais;
};

/**
 * tplg_fail() - record an error at file offset @off in the current block and element
 * @p: parse state
 * @off: offset of the offending bytes
 * @fmt: printf format of the problem
 *
 * Return: -EINVAL, for the caller to pass up.
 */
int tplg_fail(struct tplg_parse *p, size_t off, const char *fmt, ...) VADSP_PRINTF(3, 4);

/**
 * tplg_msg_escape() - copy a message, writing each byte outside printable ASCII as \xNN
 * @dst: destination
 * @size: its size; the copy is cut (never inside an escape) to fit, and NUL-terminated
 * @src: the message
 *
 * Messages quote names from the file; escaping keeps control bytes out of logs and
 * terminals, as the text dump does.
 */
void tplg_msg_escape(char *dst, size_t size, const char *src);

/**
 * tplg_fail_rd() - record a failed read of @what
 * @p: parse state
 * @rd: the reader whose read failed
 * @ret: what the read returned (-EBADMSG: truncated; -EILSEQ: string without NUL)
 * @what: the field or element that was read
 *
 * Return: -EINVAL.
 */
int tplg_fail_rd(struct tplg_parse *p, const struct tplg_reader *rd, int ret, const char *what);

/**
 * tplg_elem_set() - set the element context to a printf-formatted prefix
 * @p: parse state
 * @fmt: printf format, e.g. "widget %u '%s': "
 *
 * Return: the length of the context before the call, for tplg_elem_restore().
 */
size_t tplg_elem_set(struct tplg_parse *p, const char *fmt, ...) VADSP_PRINTF(2, 3);

/**
 * tplg_elem_push() - append to the element context (for nested elements such as a
 * widget's kcontrols)
 * @p: parse state
 * @fmt: printf format, e.g. "kcontrol %u "
 *
 * Return: the length of the context before the call, for tplg_elem_restore().
 */
size_t tplg_elem_push(struct tplg_parse *p, const char *fmt, ...) VADSP_PRINTF(2, 3);

/**
 * tplg_elem_restore() - cut the element context back to @len
 * @p: parse state
 * @len: what tplg_elem_set() or tplg_elem_push() returned
 */
void tplg_elem_restore(struct tplg_parse *p, size_t len);

/**
 * tplg_reserve() - make room for @extra more entries in a growing array
 * @arr: the array pointer (void ** to a T *)
 * @cap: its capacity, in entries
 * @used: entries in use
 * @extra: entries wanted
 * @size: sizeof(T)
 *
 * New entries are zeroed.
 *
 * Return: 0 or -ENOMEM (also when the total would not fit in 32 bits).
 */
int tplg_reserve(void **arr, uint32_t *cap, uint32_t used, uint32_t extra, size_t size);

/**
 * tplg_check_count() - check that @count elements of at least @min_size bytes fit in what
 * is left of @rd
 * @p: parse state
 * @rd: the block payload
 * @count: element count from the file
 * @min_size: smallest size of one element
 * @what: element name for the message ("widgets")
 *
 * Return: 0, or -EINVAL with the error recorded.
 */
int tplg_check_count(struct tplg_parse *p, const struct tplg_reader *rd, uint64_t count,
		     size_t min_size, const char *what);

/**
 * tplg_read_priv() - read private data of @size bytes that follows an element
 * @p: parse state
 * @rd: reader positioned at the data
 * @size: the size word from the element (already read)
 * @size_off: file offset of that word, for messages
 * @tuples: split the data into vendor tuples (which must then be well formed)
 * @priv: filled in
 *
 * Return: 0; -EINVAL (error recorded); -ENOMEM.
 */
int tplg_read_priv(struct tplg_parse *p, struct tplg_reader *rd, uint32_t size, size_t size_off,
		   bool tuples, struct tplg_priv *priv);

/**
 * tplg_copy_str() - copy a bounds-checked wire string field, failing if it has no NUL
 * @p: parse state
 * @src: the field
 * @len: its size
 * @dst: destination of @len bytes
 * @off: file offset of the field
 * @what: field name for the message
 *
 * Return: 0 or -EINVAL.
 */
int tplg_copy_str(struct tplg_parse *p, const char *src, size_t len, char *dst, size_t off,
		  const char *what);

/*
 * Block parsers: each reads the p->hdr->count elements of the current block from @rd (the
 * block payload) and appends them to p->t.
 */

/**
 * tplg_parse_controls() - read a MIXER, ENUM or BYTES block (ctl.c)
 * @p: parse state, at the block
 * @rd: the block payload
 *
 * Return: 0; -EINVAL with the error recorded; -ENOMEM.
 */
int tplg_parse_controls(struct tplg_parse *p, struct tplg_reader *rd);

/**
 * tplg_parse_kcontrol() - read one control (of any of the three types) at @rd
 * @p: parse state
 * @rd: reader positioned at the control
 * @widget: index of the owning widget, or -1 in a control block
 * @expect_type: the block type the control must have (control blocks), or 0
 *
 * Return: 0; -EINVAL with the error recorded; -ENOMEM.
 */
int tplg_parse_kcontrol(struct tplg_parse *p, struct tplg_reader *rd, int32_t widget,
			uint32_t expect_type);

/**
 * tplg_parse_widgets() - read a DAPM_WIDGET block, with each widget's private data and
 * controls (dapm.c)
 * @p: parse state, at the block
 * @rd: the block payload
 *
 * Return: 0; -EINVAL with the error recorded; -ENOMEM.
 */
int tplg_parse_widgets(struct tplg_parse *p, struct tplg_reader *rd);

/**
 * tplg_parse_graph() - read a DAPM_GRAPH block (dapm.c); names are resolved later, by
 * tplg_resolve_routes()
 * @p: parse state, at the block
 * @rd: the block payload
 *
 * Return: 0; -EINVAL with the error recorded; -ENOMEM.
 */
int tplg_parse_graph(struct tplg_parse *p, struct tplg_reader *rd);

/**
 * tplg_resolve_routes() - point every route at its widgets, once all blocks are read
 * @p: parse state
 *
 * Return: 0; -EINVAL (naming the route's block) if a name matches no widget; -ENOMEM.
 */
int tplg_resolve_routes(struct tplg_parse *p);

/**
 * tplg_parse_pcms() - read a PCM block, ABI 5 and ABI 4 layouts (pcm.c)
 * @p: parse state, at the block
 * @rd: the block payload
 *
 * Return: 0; -EINVAL with the error recorded; -ENOMEM.
 */
int tplg_parse_pcms(struct tplg_parse *p, struct tplg_reader *rd);

/**
 * tplg_parse_links() - read a DAI_LINK, BACKEND_LINK or CODEC_LINK block, ABI 5 and ABI 4
 * layouts (pcm.c)
 * @p: parse state, at the block
 * @rd: the block payload
 *
 * Return: 0; -EINVAL with the error recorded; -ENOMEM.
 */
int tplg_parse_links(struct tplg_parse *p, struct tplg_reader *rd);

/**
 * tplg_parse_dais() - read a DAI block (pcm.c)
 * @p: parse state, at the block
 * @rd: the block payload
 *
 * Return: 0; -EINVAL with the error recorded; -ENOMEM.
 */
int tplg_parse_dais(struct tplg_parse *p, struct tplg_reader *rd);

#endif /* VADSP_TPLG_PARSE_H */
