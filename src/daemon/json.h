/* SPDX-License-Identifier: MIT */
/*
 * A small, strict JSON reader and writer (RFC 8259) for the management socket.
 *
 * Reader. json_parse() checks a whole document in one pass without recursion: nesting is
 * tracked on a fixed stack of JSON_DEPTH_MAX levels and the tokens go into an array the
 * caller sizes, so neither deep nesting nor a long document can exhaust anything. Strings
 * must be valid UTF-8 without raw control characters, escapes must be the eight of the RFC
 * or \uXXXX with surrogates correctly paired; numbers follow the RFC grammar; nothing but
 * whitespace may follow the value. Tokens keep offsets into the text; strings are decoded
 * on request (json_string()).
 *
 * Writer. struct json_out builds one document into a buffer that grows up to a limit; after
 * any failure (the limit, memory) it stays failed and json_out_finish() says so. Commas
 * and nesting are handled by the writer; strings are escaped, and bytes that are not valid
 * UTF-8 are written as U+FFFD, so the output is always valid JSON.
 */
#ifndef VADSP_DAEMON_JSON_H
#define VADSP_DAEMON_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deepest nesting of arrays and objects the reader and the writer accept. */
#define JSON_DEPTH_MAX		32u

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

/**
 * struct json_tok - one value (or object key) of a parsed document
 * @type: enum json_type (an object key is a JSON_STRING)
 * @start: offset of its first byte in the text (a string's: after the opening quote)
 * @len: bytes of its text (a string's: between the quotes, escapes not decoded)
 * @size: an array's elements, an object's members; 0 otherwise
 * @next: index of the first token after this one and everything inside it
 *
 * Tokens are in document order: a container is followed by its contents (an object's as
 * key, value, key, value...).
 */
struct json_tok {
	uint8_t type;
	uint32_t start;
	uint32_t len;
	uint32_t size;
	uint32_t next;
};

/**
 * struct json_doc - a parsed document
 * @text: the text (not copied: it must outlive the document)
 * @toks: the tokens; toks[0] is the top-level value
 * @num: how many
 */
struct json_doc {
	const char *text;
	struct json_tok *toks;
	uint32_t num;
};

/**
 * json_parse() - check and tokenize one JSON document
 * @doc: filled in
 * @text: the document (need not be NUL-terminated)
 * @len: its length, at most UINT32_MAX - 1
 * @toks: room for the tokens
 * @max_toks: how many fit
 * @err: optional: receives a short reason and the byte offset on failure
 * @err_len: size of @err
 *
 * Return: the number of tokens; -EINVAL for text that is not one valid JSON value (or is
 * nested deeper than JSON_DEPTH_MAX); -E2BIG when it needs more than @max_toks tokens.
 */
int json_parse(struct json_doc *doc, const char *text, size_t len, struct json_tok *toks,
	       uint32_t max_toks, char *err, size_t err_len);

/**
 * json_obj_get() - the value of member @key of object token @obj
 *
 * Return: its token index, or -ENOENT (also when @obj is not an object).
 */
int json_obj_get(const struct json_doc *doc, uint32_t obj, const char *key);

/**
 * json_arr_get() - element @i of array token @arr
 *
 * Return: its token index, or -ENOENT.
 */
int json_arr_get(const struct json_doc *doc, uint32_t arr, uint32_t i);

/**
 * json_string() - decode string token @tok into @buf as UTF-8, NUL-terminated
 *
 * Return: its length in bytes; -EINVAL when @tok is not a string or holds U+0000; -ENOSPC
 * when it does not fit @size.
 */
int json_string(const struct json_doc *doc, uint32_t tok, char *buf, size_t size);

/**
 * json_string_eq() - whether string token @tok decodes to exactly @s
 */
bool json_string_eq(const struct json_doc *doc, uint32_t tok, const char *s);

/**
 * json_int() - the value of number token @tok, which must be an integer
 *
 * Return: 0; -EINVAL for a fraction, an exponent or a non-number; -ERANGE beyond int64_t.
 */
int json_int(const struct json_doc *doc, uint32_t tok, int64_t *v);

/**
 * json_type_name() - "null", "boolean", "number", "string", "array" or "object"
 */
const char *json_type_name(enum json_type type);

/**
 * struct json_out - a document being written
 * @buf: the text so far (NUL-terminated while not failed)
 * @len: its length
 * @cap: bytes allocated
 * @max: the most bytes it may take
 * @failed: the limit was hit, memory ran out or the calls did not nest
 * @depth: open containers
 * @count: values written in each open container
 * @in_object: whether each open container is an object
 * @after_key: a key was written; its value comes next
 */
struct json_out {
	char *buf;
	size_t len;
	size_t cap;
	size_t max;
	bool failed;
	uint32_t depth;
	uint32_t count[JSON_DEPTH_MAX];
	bool in_object[JSON_DEPTH_MAX];
	bool after_key;
};

/**
 * json_out_init() - start an empty document of at most @max bytes
 */
void json_out_init(struct json_out *o, size_t max);

/**
 * json_out_reset() - empty it again (keeps the buffer)
 */
void json_out_reset(struct json_out *o);

/**
 * json_out_free() - free its buffer
 */
void json_out_free(struct json_out *o);

/**
 * json_out_finish() - check that the document is complete
 *
 * Return: its length, or -ENOSPC when it failed or is incomplete.
 */
int json_out_finish(const struct json_out *o);

/**
 * json_obj_begin() / json_obj_end() / json_arr_begin() / json_arr_end() - open or close an
 * object or an array
 * @o: the document
 *
 * A container is a value: inside an object it needs its key first. Closing what is not
 * open, or an object whose last key has no value, fails the document.
 */
void json_obj_begin(struct json_out *o);
void json_obj_end(struct json_out *o);
void json_arr_begin(struct json_out *o);
void json_arr_end(struct json_out *o);

/**
 * json_key() - the key of the next value, inside an object (elsewhere the document fails)
 */
void json_key(struct json_out *o, const char *key);

/**
 * json_str() / json_strn() / json_int64() / json_uint64() / json_bool() / json_null() - one
 * value: a string (escaped; bytes that are not UTF-8 become U+FFFD), at most @len bytes of
 * one (up to a NUL), a number, a boolean, null
 *
 * In an array the values are separated by commas; in an object each needs its key first; at
 * the top level only one value may be written.
 */
void json_str(struct json_out *o, const char *s);
void json_strn(struct json_out *o, const char *s, size_t len);
void json_int64(struct json_out *o, int64_t v);
void json_uint64(struct json_out *o, uint64_t v);
void json_bool(struct json_out *o, bool v);
void json_null(struct json_out *o);

/**
 * json_kv_str() / json_kv_int() / json_kv_uint() / json_kv_bool() - json_key() and a value
 */
void json_kv_str(struct json_out *o, const char *key, const char *s);
void json_kv_int(struct json_out *o, const char *key, int64_t v);
void json_kv_uint(struct json_out *o, const char *key, uint64_t v);
void json_kv_bool(struct json_out *o, const char *key, bool v);

#endif /* VADSP_DAEMON_JSON_H */
