// SPDX-License-Identifier: MIT
/*
 * The management socket's JSON reader and writer: documents the RFC allows are read into
 * the right tokens; everything else (bad grammar, bad escapes, lone surrogates, invalid
 * UTF-8, control characters, trailing text) is refused; nesting and token counts are
 * bounded without recursion; strings and integers decode exactly; the writer escapes,
 * nests, refuses misuse and limits, and what it writes reads back.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/json.h"

#define TOKS 256

static struct json_tok toks[TOKS];
static struct json_doc doc;
static char err[200];

static int parse_str(const char *s)
{
	return json_parse(&doc, s, strlen(s), toks, TOKS, err, sizeof(err));
}

static void valid_documents_give_their_tokens(void **state)
{
	static const char text[] = " {\"a\" : [1, -2.5e+3, true, false, null, \"x\"],\n"
				   "\t\"b\":{\"c\":{}}, \"d\":[]}\r\n";
	int a, b, c, d;

	(void)state;
	/* Keys are tokens too: 1 + (1 + 1 + 6) + (1 + 1 + 1 + 1) + (1 + 1). */
	assert_int_equal(parse_str(text), 15);
	assert_int_equal(toks[0].type, JSON_OBJECT);
	assert_int_equal(toks[0].size, 3);
	assert_int_equal(toks[0].next, 15);
	a = json_obj_get(&doc, 0, "a");
	assert_int_equal(a, 2);
	assert_int_equal(toks[a].type, JSON_ARRAY);
	assert_int_equal(toks[a].size, 6);
	assert_int_equal(toks[a].next, 9);
	assert_int_equal(toks[json_arr_get(&doc, (uint32_t)a, 1)].type, JSON_NUMBER);
	assert_int_equal(toks[json_arr_get(&doc, (uint32_t)a, 2)].type, JSON_TRUE);
	assert_int_equal(toks[json_arr_get(&doc, (uint32_t)a, 3)].type, JSON_FALSE);
	assert_int_equal(toks[json_arr_get(&doc, (uint32_t)a, 4)].type, JSON_NULL);
	assert_true(json_string_eq(&doc, (uint32_t)json_arr_get(&doc, (uint32_t)a, 5), "x"));
	assert_int_equal(json_arr_get(&doc, (uint32_t)a, 6), -ENOENT);
	b = json_obj_get(&doc, 0, "b");
	assert_int_equal(toks[b].type, JSON_OBJECT);
	c = json_obj_get(&doc, (uint32_t)b, "c");
	assert_int_equal(toks[c].type, JSON_OBJECT);
	assert_int_equal(toks[c].size, 0);
	d = json_obj_get(&doc, 0, "d");
	assert_int_equal(toks[d].type, JSON_ARRAY);
	assert_int_equal(toks[d].size, 0);
	assert_int_equal(json_obj_get(&doc, 0, "e"), -ENOENT);
	assert_int_equal(json_obj_get(&doc, (uint32_t)a, "a"), -ENOENT);
	/* Scalars are documents too. */
	assert_int_equal(parse_str("0"), 1);
	assert_int_equal(parse_str(" \"\" "), 1);
	assert_int_equal(toks[0].len, 0);
	assert_int_equal(parse_str("-0.0E-0"), 1);
	assert_int_equal(toks[0].len, 7);
}

static void malformed_documents_are_refused(void **state)
{
	static const char *const bad[] = {
		"", "   ", "{", "}", "[", "]", "[1,]", "[,1]", "{\"a\":}", "{\"a\" 1}", "{a:1}",
		"{\"a\":1,}", "{,}", "{\"a\":1 \"b\":2}", "[1 2]", "1 2", "[1]]", "{}}", "[01]",
		"[1.]", "[.5]", "[1e]", "[1e+]", "[-]", "[+1]", "[0x1]", "[NaN]", "[Infinity]",
		"[tru]", "[nul]", "[True]", "['a']", "\"abc", "\"\\x\"", "\"\\u12\"",
		"\"\\u12g4\"", "\"\\ud800\"", "\"\\ud800x\"", "\"\\ud800\\u0041\"",
		"\"\\udc00\"", "\"a\nb\"", "\"a\tb\"", "\"\x01\"", "\"\\\"", "[\"a\":1]",
		"{\"a\":1:2}", "{1:2}", "[]x", "/* c */ 1",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_str(bad[i]) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
		assert_non_null(strstr(err, " at byte "));
	}
	assert_int_equal(parse_str("[1,]"), -EINVAL);
	assert_string_equal(err, "unexpected character at byte 3");
	assert_int_equal(parse_str("\"\\q\""), -EINVAL);
	assert_string_equal(err, "bad escape at byte 1");
}

static void invalid_utf8_is_refused(void **state)
{
	static const char *const bad[] = {
		"\"\x80\"",			/* a continuation byte alone */
		"\"\xc0\x80\"",			/* overlong NUL */
		"\"\xc1\xbf\"",			/* overlong */
		"\"\xe0\x80\x80\"",		/* overlong three bytes */
		"\"\xed\xa0\x80\"",		/* a surrogate */
		"\"\xf4\x90\x80\x80\"",		/* above U+10FFFF */
		"\"\xf5\x80\x80\x80\"",
		"\"\xe2\x82\"",			/* cut short */
		"\"\xe2\x82\xff\"",
		"\"\xff\"",
	};
	static const char *const good[] = {
		"\"\xc2\x80\"", "\"\xe2\x82\xac\"", "\"\xed\x9f\xbf\"", "\"\xf0\x90\x80\x80\"",
		"\"\xf4\x8f\xbf\xbf\"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse_str(bad[i]) != -EINVAL)
			fail_msg("accepted bad UTF-8 #%zu", i);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (parse_str(good[i]) != 1)
			fail_msg("refused good UTF-8 #%zu: %s", i, err);
}

static void nesting_is_bounded_without_recursion(void **state)
{
	static char text[200001];
	size_t n = JSON_DEPTH_MAX;

	(void)state;
	memset(text, '[', n);
	memset(text + n, ']', n);
	text[2 * n] = '\0';
	assert_int_equal(parse_str(text), (int)n);
	memset(text, '[', n + 1);
	memset(text + n + 1, ']', n + 1);
	text[2 * n + 2] = '\0';
	assert_int_equal(parse_str(text), -EINVAL);
	assert_non_null(strstr(err, "nested deeper than 32"));
	/* A depth bomb: refused at its 33rd bracket, however long it is. */
	memset(text, '[', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(parse_str(text), -EINVAL);
	assert_string_equal(err, "nested deeper than 32 at byte 32");
}

static void token_count_is_bounded(void **state)
{
	struct json_tok few[3];

	(void)state;
	assert_int_equal(json_parse(&doc, "[1,2]", 5, few, 3, err, sizeof(err)), 3);
	assert_int_equal(json_parse(&doc, "[1,2,3]", 7, few, 3, err, sizeof(err)), -E2BIG);
	assert_string_equal(err, "more than 3 values");
	assert_int_equal(json_parse(&doc, "{\"a\":1}", 7, few, 3, err, sizeof(err)), 3);
	assert_int_equal(json_parse(&doc, "{\"a\":1,\"b\":2}", 13, few, 3, err, sizeof(err)),
			 -E2BIG);
}

static void strings_decode_escapes_into_utf8(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(parse_str("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00z\""),
			 1);
	assert_int_equal(json_string(&doc, 0, buf, sizeof(buf)), 19);
	assert_memory_equal(buf, "a\"\\/\b\f\n\r\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z", 20);
	/* Exactly fitting, one byte short. */
	assert_int_equal(json_string(&doc, 0, buf, 20), 19);
	assert_int_equal(json_string(&doc, 0, buf, 19), -ENOSPC);
	assert_int_equal(json_string(&doc, 0, buf, 0), -ENOSPC);
	/* U+0000 cannot be a C string. */
	assert_int_equal(parse_str("\"a\\u0000b\""), 1);
	assert_int_equal(json_string(&doc, 0, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(parse_str("[1]"), 2);
	assert_int_equal(json_string(&doc, 0, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(json_string(&doc, 1, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(json_string(&doc, 7, buf, sizeof(buf)), -EINVAL);
}

static void string_comparison_sees_through_escapes(void **state)
{
	(void)state;
	assert_int_equal(parse_str("{\"c\\u006dd\":1,\"list\":2}"), 5);
	assert_true(json_string_eq(&doc, 1, "cmd"));
	assert_false(json_string_eq(&doc, 1, "cm"));
	assert_false(json_string_eq(&doc, 1, "cmdd"));
	assert_true(json_string_eq(&doc, 3, "list"));
	assert_false(json_string_eq(&doc, 2, "1"));
	assert_int_equal(json_obj_get(&doc, 0, "cmd"), 2);
}

static void integers_are_exact_and_bounded(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(parse_str("[0,-0,42,9223372036854775807,-9223372036854775808,"
				   "9223372036854775808,-9223372036854775809,1.5,1e3,"
				   "123456789012345678901234567890,\"1\"]"), 12);
	assert_int_equal(json_int(&doc, 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(json_int(&doc, 2, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(json_int(&doc, 3, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(json_int(&doc, 4, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(json_int(&doc, 5, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(json_int(&doc, 6, &v), -ERANGE);
	assert_int_equal(json_int(&doc, 7, &v), -ERANGE);
	assert_int_equal(json_int(&doc, 8, &v), -EINVAL);
	assert_int_equal(json_int(&doc, 9, &v), -EINVAL);
	assert_int_equal(json_int(&doc, 10, &v), -ERANGE);
	assert_int_equal(json_int(&doc, 11, &v), -EINVAL);
}

static void writer_builds_nested_documents_that_read_back(void **state)
{
	struct json_out o;
	int n, a;
	char buf[64];

	(void)state;
	json_out_init(&o, 4096);
	json_obj_begin(&o);
	json_kv_bool(&o, "ok", true);
	json_kv_str(&o, "s", "q\"b\\ \n\x01\x7f \xc3\xa9 \xff\xe2\x82");
	json_kv_int(&o, "i", -5);
	json_kv_uint(&o, "u", UINT64_MAX);
	json_key(&o, "a");
	json_arr_begin(&o);
	json_null(&o);
	json_obj_begin(&o);
	json_obj_end(&o);
	json_arr_begin(&o);
	json_arr_end(&o);
	json_strn(&o, "abcdef", 3);
	json_arr_end(&o);
	json_obj_end(&o);
	n = json_out_finish(&o);
	assert_true(n > 0);
	assert_string_equal(o.buf, "{\"ok\":true,\"s\":\"q\\\"b\\\\ \\n\\u0001\\u007f \xc3\xa9 "
			    "\\ufffd\\ufffd\\ufffd\",\"i\":-5,\"u\":18446744073709551615,"
			    "\"a\":[null,{},[],\"abc\"]}");
	assert_int_equal(json_parse(&doc, o.buf, (size_t)n, toks, TOKS, err, sizeof(err)), 15);
	assert_int_equal(json_string(&doc, (uint32_t)json_obj_get(&doc, 0, "s"), buf,
				     sizeof(buf)), 21);	/* 12 bytes and three U+FFFD */
	a = json_obj_get(&doc, 0, "a");
	assert_int_equal(toks[a].size, 4);
	/* Reset reuses the buffer for the next document. */
	json_out_reset(&o);
	json_arr_begin(&o);
	json_arr_end(&o);
	assert_int_equal(json_out_finish(&o), 2);
	assert_string_equal(o.buf, "[]");
	json_out_free(&o);
}

static void writer_refuses_misuse(void **state)
{
	struct json_out o;

	(void)state;
	json_out_init(&o, 4096);
	json_obj_begin(&o);
	json_int64(&o, 1);		/* a value without a key */
	assert_true(o.failed);
	json_obj_end(&o);
	assert_int_equal(json_out_finish(&o), -ENOSPC);
	json_out_reset(&o);

	json_arr_begin(&o);
	json_key(&o, "k");		/* a key in an array */
	assert_true(o.failed);
	json_out_reset(&o);

	json_arr_begin(&o);
	json_obj_end(&o);		/* the wrong closer */
	assert_true(o.failed);
	json_out_reset(&o);

	json_obj_begin(&o);
	json_key(&o, "k");
	json_obj_end(&o);		/* a key without its value */
	assert_true(o.failed);
	json_out_reset(&o);

	json_obj_begin(&o);
	assert_int_equal(json_out_finish(&o), -ENOSPC);	/* not closed */
	json_out_reset(&o);
	assert_int_equal(json_out_finish(&o), -ENOSPC);	/* empty */

	json_int64(&o, 1);
	json_int64(&o, 2);		/* two top-level values */
	assert_true(o.failed);
	json_out_reset(&o);

	json_arr_end(&o);		/* nothing open */
	assert_true(o.failed);
	json_out_reset(&o);

	for (unsigned int i = 0; i < JSON_DEPTH_MAX; i++)
		json_arr_begin(&o);
	assert_false(o.failed);
	json_arr_begin(&o);		/* one level too deep */
	assert_true(o.failed);
	json_out_free(&o);
}

static void writer_stops_at_its_limit(void **state)
{
	struct json_out o;

	(void)state;
	json_out_init(&o, 10);
	json_arr_begin(&o);
	json_str(&o, "1234567");	/* [ + 9 bytes = 10 */
	assert_false(o.failed);
	json_arr_end(&o);		/* the 11th byte */
	assert_true(o.failed);
	assert_int_equal(json_out_finish(&o), -ENOSPC);
	json_out_free(&o);
	json_out_init(&o, 11);
	json_arr_begin(&o);
	json_str(&o, "1234567");
	json_arr_end(&o);
	assert_int_equal(json_out_finish(&o), 11);
	json_out_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_documents_give_their_tokens),
		cmocka_unit_test(malformed_documents_are_refused),
		cmocka_unit_test(invalid_utf8_is_refused),
		cmocka_unit_test(nesting_is_bounded_without_recursion),
		cmocka_unit_test(token_count_is_bounded),
		cmocka_unit_test(strings_decode_escapes_into_utf8),
		cmocka_unit_test(string_comparison_sees_through_escapes),
		cmocka_unit_test(integers_are_exact_and_bounded),
		cmocka_unit_test(writer_builds_nested_documents_that_read_back),
		cmocka_unit_test(writer_refuses_misuse),
		cmocka_unit_test(writer_stops_at_its_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
