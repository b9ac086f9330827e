// SPDX-License-Identifier: MIT
/*
 * Strict JSON reader (one pass, no recursion, bounded) and writer. See json.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/json.h"
#include "util/compiler.h"

/* --- UTF-8 */

/* Length of the valid UTF-8 sequence at @s (at most @avail bytes), or 0. */
static size_t utf8_seq(const uint8_t *s, size_t avail)
{
	uint8_t c = s[0], lo = 0x80, hi = 0xbf;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	/* The second byte's range excludes overlong forms, surrogates and > U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

static size_t utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static int hex4(const uint8_t *s, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		uint8_t c = s[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (uint32_t)(c - 'A' + 10);
		else
			return -EINVAL;
	}
	return 0;
}

/* --- reader */

struct json_parser {
	const uint8_t *s;
	size_t len;
	size_t pos;
	struct json_tok *toks;
	uint32_t num;
	uint32_t max;
	char *err;
	size_t err_len;
};

static int VADSP_PRINTF(2, 3) jp_fail(struct json_parser *p, const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	if (p->err && p->err_len) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		snprintf(p->err, p->err_len, "%s at byte %zu", msg, p->pos);
	}
	return -EINVAL;
}

static int jp_tok(struct json_parser *p, enum json_type type, size_t start)
{
	struct json_tok *t;

	if (p->num >= p->max) {
		if (p->err && p->err_len)
			snprintf(p->err, p->err_len, "more than %u values", p->max);
		return -E2BIG;
	}
	t = &p->toks[p->num];
	t->type = (uint8_t)type;
	t->start = (uint32_t)start;
	t->len = 0;
	t->size = 0;
	t->next = p->num + 1;
	return (int)p->num++;
}

static void jp_ws(struct json_parser *p)
{
	while (p->pos < p->len) {
		uint8_t c = p->s[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return;
		p->pos++;
	}
}

/* A string starting at the quote at p->pos; leaves p->pos after the closing quote. */
static int jp_string(struct json_parser *p)
{
	size_t i = p->pos + 1;
	int t;

	while (i < p->len) {
		uint8_t c = p->s[i];

		if (c == '"') {
			t = jp_tok(p, JSON_STRING, p->pos + 1);
			if (t < 0)
				return t;
			p->toks[t].len = (uint32_t)(i - p->pos - 1);
			p->pos = i + 1;
			return t;
		}
		if (c < 0x20) {
			p->pos = i;
			return jp_fail(p, "control character in a string");
		}
		if (c == '\\') {
			uint32_t u, lo;

			if (i + 1 >= p->len)
				break;
			c = p->s[i + 1];
			if (strchr("\"\\/bfnrt", c) && c) {
				i += 2;
				continue;
			}
			if (c != 'u') {
				p->pos = i;
				return jp_fail(p, "bad escape");
			}
			if (i + 6 > p->len || hex4(p->s + i + 2, &u) < 0) {
				p->pos = i;
				return jp_fail(p, "bad \\u escape");
			}
			if (u >= 0xdc00 && u <= 0xdfff) {
				p->pos = i;
				return jp_fail(p, "lone low surrogate");
			}
			if (u >= 0xd800 && u <= 0xdbff) {
				if (i + 12 > p->len || p->s[i + 6] != '\\' || p->s[i + 7] != 'u' ||
				    hex4(p->s + i + 8, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff) {
					p->pos = i;
					return jp_fail(p, "high surrogate without a low one");
				}
				i += 6;
			}
			i += 6;
			continue;
		}
		if (c >= 0x80) {
			size_t n = utf8_seq(p->s + i, p->len - i);

			if (!n) {
				p->pos = i;
				return jp_fail(p, "invalid UTF-8");
			}
			i += n;
			continue;
		}
		i++;
	}
	p->pos = p->len;
	return jp_fail(p, "unterminated string");
}

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static int jp_number(struct json_parser *p)
{
	size_t i = p->pos;
	int t;

	if (i < p->len && p->s[i] == '-')
		i++;
	if (i >= p->len || !is_digit(p->s[i])) {
		p->pos = i;
		return jp_fail(p, "bad number");
	}
	if (p->s[i] == '0')
		i++;
	else
		while (i < p->len && is_digit(p->s[i]))
			i++;
	if (i < p->len && p->s[i] == '.') {
		i++;
		if (i >= p->len || !is_digit(p->s[i])) {
			p->pos = i;
			return jp_fail(p, "bad fraction");
		}
		while (i < p->len && is_digit(p->s[i]))
			i++;
	}
	if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
		i++;
		if (i < p->len && (p->s[i] == '+' || p->s[i] == '-'))
			i++;
		if (i >= p->len || !is_digit(p->s[i])) {
			p->pos = i;
			return jp_fail(p, "bad exponent");
		}
		while (i < p->len && is_digit(p->s[i]))
			i++;
	}
	t = jp_tok(p, JSON_NUMBER, p->pos);
	if (t < 0)
		return t;
	p->toks[t].len = (uint32_t)(i - p->pos);
	p->pos = i;
	return t;
}

static int jp_literal(struct json_parser *p)
{
	static const struct {
		const char *word;
		enum json_type type;
	} lits[] = {
		{ "true", JSON_TRUE }, { "false", JSON_FALSE }, { "null", JSON_NULL },
	};

	for (size_t k = 0; k < VADSP_ARRAY_SIZE(lits); k++) {
		size_t n = strlen(lits[k].word);
		int t;

		if (p->len - p->pos < n || memcmp(p->s + p->pos, lits[k].word, n))
			continue;
		t = jp_tok(p, lits[k].type, p->pos);
		if (t < 0)
			return t;
		p->toks[t].len = (uint32_t)n;
		p->pos += n;
		return t;
	}
	return jp_fail(p, "unexpected character");
}

enum jp_expect {
	EXPECT_VALUE,
	EXPECT_VALUE_OR_END,	/* after '[' */
	EXPECT_KEY_OR_END,	/* after '{' */
	EXPECT_KEY,		/* after ',' in an object */
	EXPECT_COLON,
	EXPECT_COMMA_OR_END,
	EXPECT_NOTHING,		/* the top-level value is complete */
};

int json_parse(struct json_doc *doc, const char *text, size_t len, struct json_tok *toks,
	       uint32_t max_toks, char *err, size_t err_len)
{
	struct json_parser p = {
		.s = (const uint8_t *)text, .len = len, .toks = toks, .max = max_toks,
		.err = err, .err_len = err_len,
	};
	uint32_t stack[JSON_DEPTH_MAX];
	uint32_t depth = 0;
	enum jp_expect expect = EXPECT_VALUE;

	doc->text = text;
	doc->toks = toks;
	doc->num = 0;
	if (err && err_len)
		err[0] = '\0';
	if (len >= UINT32_MAX)
		return jp_fail(&p, "document too long");
	for (;;) {
		bool value_done = false;
		int t;
		uint8_t c;

		jp_ws(&p);
		if (p.pos == p.len) {
			if (expect == EXPECT_NOTHING)
				break;
			return jp_fail(&p, p.len ? "unexpected end" : "empty document");
		}
		c = p.s[p.pos];
		switch (expect) {
		case EXPECT_NOTHING:
			return jp_fail(&p, "text after the value");
		case EXPECT_COLON:
			if (c != ':')
				return jp_fail(&p, "expected ':'");
			p.pos++;
			expect = EXPECT_VALUE;
			continue;
		case EXPECT_KEY_OR_END:
		case EXPECT_KEY:
			if (c == '}' && expect == EXPECT_KEY_OR_END)
				goto close;
			if (c != '"')
				return jp_fail(&p, "expected a member name");
			t = jp_string(&p);
			if (t < 0)
				return t;
			expect = EXPECT_COLON;
			continue;
		case EXPECT_COMMA_OR_END:
			if (c == ',') {
				p.pos++;
				expect = toks[stack[depth - 1]].type == JSON_OBJECT ? EXPECT_KEY :
										 EXPECT_VALUE;
				continue;
			}
			if ((c == '}' && toks[stack[depth - 1]].type == JSON_OBJECT) ||
			    (c == ']' && toks[stack[depth - 1]].type == JSON_ARRAY))
				goto close;
			return jp_fail(&p, "expected ',' or the end of the %s",
				       toks[stack[depth - 1]].type == JSON_OBJECT ? "object" :
										   "array");
		case EXPECT_VALUE_OR_END:
			if (c == ']')
				goto close;
			/* fall through */
		case EXPECT_VALUE:
			break;
		}
		/* A value. */
		if (c == '{' || c == '[') {
			if (depth == JSON_DEPTH_MAX)
				return jp_fail(&p, "nested deeper than %u", JSON_DEPTH_MAX);
			t = jp_tok(&p, c == '{' ? JSON_OBJECT : JSON_ARRAY, p.pos);
			if (t < 0)
				return t;
			p.pos++;
			stack[depth++] = (uint32_t)t;
			expect = c == '{' ? EXPECT_KEY_OR_END : EXPECT_VALUE_OR_END;
			continue;
		}
		if (c == '"')
			t = jp_string(&p);
		else if (c == '-' || is_digit(c))
			t = jp_number(&p);
		else
			t = jp_literal(&p);
		if (t < 0)
			return t;
		value_done = true;
		goto after_value;
close:
		/* The container on top of the stack ends here. */
		p.pos++;
		depth--;
		toks[stack[depth]].len = (uint32_t)(p.pos - toks[stack[depth]].start);
		toks[stack[depth]].next = p.num;
		value_done = true;
after_value:
		if (value_done) {
			if (depth == 0) {
				expect = EXPECT_NOTHING;
			} else {
				toks[stack[depth - 1]].size++;
				expect = EXPECT_COMMA_OR_END;
			}
		}
	}
	doc->num = p.num;
	return (int)p.num;
}

int json_obj_get(const struct json_doc *doc, uint32_t obj, const char *key)
{
	const struct json_tok *o;
	uint32_t k;

	if (obj >= doc->num || doc->toks[obj].type != JSON_OBJECT)
		return -ENOENT;
	o = &doc->toks[obj];
	k = obj + 1;
	for (uint32_t i = 0; i < o->size; i++) {
		if (json_string_eq(doc, k, key))
			return (int)(k + 1);
		k = doc->toks[k + 1].next;
	}
	return -ENOENT;
}

int json_arr_get(const struct json_doc *doc, uint32_t arr, uint32_t i)
{
	uint32_t k;

	if (arr >= doc->num || doc->toks[arr].type != JSON_ARRAY || i >= doc->toks[arr].size)
		return -ENOENT;
	k = arr + 1;
	while (i--)
		k = doc->toks[k].next;
	return (int)k;
}

/* Decode string token @tok; @buf NULL only measures. Returns the length or -errno. */
static int decode(const struct json_doc *doc, uint32_t tok, char *buf, size_t size)
{
	const struct json_tok *t;
	const uint8_t *s;
	size_t o = 0;

	if (tok >= doc->num || doc->toks[tok].type != JSON_STRING)
		return -EINVAL;
	t = &doc->toks[tok];
	s = (const uint8_t *)doc->text + t->start;
	for (uint32_t i = 0; i < t->len;) {
		char tmp[4];
		size_t n;

		if (s[i] != '\\') {
			tmp[0] = (char)s[i++];
			n = 1;
		} else {
			uint32_t cp = 0, lo = 0;

			switch (s[i + 1]) {
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u':
				/* json_parse() checked the digits and the surrogate pairing. */
				hex4(s + i + 2, &cp);
				if (cp >= 0xd800 && cp <= 0xdbff) {
					hex4(s + i + 8, &lo);
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					i += 6;
				}
				i += 4;
				break;
			default:
				cp = s[i + 1];
				break;
			}
			i += 2;
			if (cp == 0)
				return -EINVAL;
			n = utf8_put(cp, tmp);
		}
		if (buf) {
			if (o + n >= size)
				return -ENOSPC;
			memcpy(buf + o, tmp, n);
		}
		o += n;
	}
	if (buf) {
		if (o >= size)
			return -ENOSPC;
		buf[o] = '\0';
	}
	return (int)o;
}

int json_string(const struct json_doc *doc, uint32_t tok, char *buf, size_t size)
{
	if (!size)
		return -ENOSPC;
	return decode(doc, tok, buf, size);
}

bool json_string_eq(const struct json_doc *doc, uint32_t tok, const char *s)
{
	char buf[256];
	size_t n = strlen(s);
	const struct json_tok *t;

	if (tok >= doc->num || doc->toks[tok].type != JSON_STRING)
		return false;
	t = &doc->toks[tok];
	/* Without escapes the text compares as it is. */
	if (!memchr(doc->text + t->start, '\\', t->len))
		return t->len == n && !memcmp(doc->text + t->start, s, n);
	if (n >= sizeof(buf))
		return false;
	return decode(doc, tok, buf, sizeof(buf)) == (int)n && !memcmp(buf, s, n);
}

int json_int(const struct json_doc *doc, uint32_t tok, int64_t *v)
{
	const struct json_tok *t;
	const char *s;
	bool neg;
	uint64_t n = 0;
	uint32_t i = 0;

	if (tok >= doc->num || doc->toks[tok].type != JSON_NUMBER)
		return -EINVAL;
	t = &doc->toks[tok];
	s = doc->text + t->start;
	neg = s[0] == '-';
	if (neg)
		i++;
	for (; i < t->len; i++) {
		if (!is_digit((uint8_t)s[i]))
			return -EINVAL;
		if (n > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		n = n * 10 + (uint64_t)(s[i] - '0');
	}
	if (neg) {
		if (n > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*v = n == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)n;
	} else {
		if (n > (uint64_t)INT64_MAX)
			return -ERANGE;
		*v = (int64_t)n;
	}
	return 0;
}

const char *json_type_name(enum json_type type)
{
	switch (type) {
	case JSON_NULL:
		return "null";
	case JSON_FALSE:
	case JSON_TRUE:
		return "boolean";
	case JSON_NUMBER:
		return "number";
	case JSON_STRING:
		return "string";
	case JSON_ARRAY:
		return "array";
	case JSON_OBJECT:
		return "object";
	}
	return "?";
}

/* --- writer */

void json_out_init(struct json_out *o, size_t max)
{
	memset(o, 0, sizeof(*o));
	o->max = max;
}

void json_out_reset(struct json_out *o)
{
	char *buf = o->buf;
	size_t cap = o->cap, max = o->max;

	memset(o, 0, sizeof(*o));
	o->buf = buf;
	o->cap = cap;
	o->max = max;
	if (buf)
		buf[0] = '\0';
}

void json_out_free(struct json_out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->cap = 0;
	o->len = 0;
}

int json_out_finish(const struct json_out *o)
{
	if (o->failed || o->depth || o->after_key || !o->len)
		return -ENOSPC;
	return (int)o->len;
}

static bool out_room(struct json_out *o, size_t n)
{
	size_t want, cap;
	char *buf;

	if (o->failed)
		return false;
	if (n > o->max || o->len > o->max - n) {
		o->failed = true;
		return false;
	}
	want = o->len + n + 1;
	if (want <= o->cap)
		return true;
	cap = o->cap ? o->cap : 256;
	while (cap < want)
		cap *= 2;
	if (cap > o->max + 1)
		cap = o->max + 1;
	buf = realloc(o->buf, cap);
	if (!buf) {
		o->failed = true;
		return false;
	}
	o->buf = buf;
	o->cap = cap;
	return true;
}

static void out_raw(struct json_out *o, const char *s, size_t n)
{
	if (!out_room(o, n))
		return;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

/* Before any value: a comma in an array, a key must precede it in an object. */
static bool out_value(struct json_out *o)
{
	if (o->failed)
		return false;
	if (o->depth == 0) {
		if (o->len) {
			o->failed = true;	/* a second top-level value */
			return false;
		}
		return true;
	}
	if (o->in_object[o->depth - 1]) {
		if (!o->after_key) {
			o->failed = true;
			return false;
		}
		o->after_key = false;
		return true;
	}
	if (o->count[o->depth - 1]++)
		out_raw(o, ",", 1);
	return !o->failed;
}

static void out_string(struct json_out *o, const char *s, size_t len)
{
	const uint8_t *u = (const uint8_t *)s;

	out_raw(o, "\"", 1);
	for (size_t i = 0; i < len && u[i] && !o->failed;) {
		uint8_t c = u[i];
		char esc[8];
		size_t n;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			out_raw(o, esc, 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			const char *shortcut = strchr("\bb\ff\nn\rr\tt", c);

			if (c && shortcut) {
				esc[0] = '\\';
				esc[1] = shortcut[1];
				out_raw(o, esc, 2);
			} else {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				out_raw(o, esc, 6);
			}
			i++;
		} else if (c < 0x80) {
			out_raw(o, (const char *)&u[i], 1);
			i++;
		} else if ((n = utf8_seq(u + i, strnlen((const char *)u + i, len - i)))) {
			out_raw(o, (const char *)&u[i], n);
			i += n;
		} else {
			out_raw(o, "\\ufffd", 6);
			i++;
		}
	}
	out_raw(o, "\"", 1);
}

static void out_open(struct json_out *o, bool object)
{
	if (!out_value(o))
		return;
	if (o->depth == JSON_DEPTH_MAX) {
		o->failed = true;
		return;
	}
	out_raw(o, object ? "{" : "[", 1);
	o->in_object[o->depth] = object;
	o->count[o->depth] = 0;
	o->depth++;
}

static void out_close(struct json_out *o, bool object)
{
	if (o->failed)
		return;
	if (!o->depth || o->in_object[o->depth - 1] != object || o->after_key) {
		o->failed = true;
		return;
	}
	o->depth--;
	out_raw(o, object ? "}" : "]", 1);
}

void json_obj_begin(struct json_out *o)
{
	out_open(o, true);
}

void json_obj_end(struct json_out *o)
{
	out_close(o, true);
}

void json_arr_begin(struct json_out *o)
{
	out_open(o, false);
}

void json_arr_end(struct json_out *o)
{
	out_close(o, false);
}

void json_key(struct json_out *o, const char *key)
{
	if (o->failed)
		return;
	if (!o->depth || !o->in_object[o->depth - 1] || o->after_key) {
		o->failed = true;
		return;
	}
	if (o->count[o->depth - 1]++)
		out_raw(o, ",", 1);
	out_string(o, key, strlen(key));
	out_raw(o, ":", 1);
	o->after_key = true;
}

void json_str(struct json_out *o, const char *s)
{
	if (out_value(o))
		out_string(o, s, strlen(s));
}

void json_strn(struct json_out *o, const char *s, size_t len)
{
	if (out_value(o))
		out_string(o, s, len);
}

void json_int64(struct json_out *o, int64_t v)
{
	char num[24];

	if (out_value(o))
		out_raw(o, num, (size_t)snprintf(num, sizeof(num), "%" PRId64, v));
}

void json_uint64(struct json_out *o, uint64_t v)
{
	char num[24];

	if (out_value(o))
		out_raw(o, num, (size_t)snprintf(num, sizeof(num), "%" PRIu64, v));
}

void json_bool(struct json_out *o, bool v)
{
	if (out_value(o))
		out_raw(o, v ? "true" : "false", v ? 4 : 5);
}

void json_null(struct json_out *o)
{
	if (out_value(o))
		out_raw(o, "null", 4);
}

void json_kv_str(struct json_out *o, const char *key, const char *s)
{
	json_key(o, key);
	json_str(o, s);
}

void json_kv_int(struct json_out *o, const char *key, int64_t v)
{
	json_key(o, key);
	json_int64(o, v);
}

void json_kv_uint(struct json_out *o, const char *key, uint64_t v)
{
	json_key(o, key);
	json_uint64(o, v);
}

void json_kv_bool(struct json_out *o, const char *key, bool v)
{
	json_key(o, key);
	json_bool(o, v);
}
