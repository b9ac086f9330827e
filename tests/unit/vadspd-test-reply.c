// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/json.h"
#include "vadspd-test-reply.h"

/* The last vt_ask()'s reply, parsed. */
static struct {
	char text[1 << 18];
	struct json_tok toks[1 << 16];
	struct json_doc doc;
	bool asked;
} reply;

void vt_ask(const struct vt_daemon *d, const char *request)
{
	char *text = vt_mgmt(d, request), err[128];
	size_t n = strcspn(text, "\n");

	assert_true(n < sizeof(reply.text));
	memcpy(reply.text, text, n);
	reply.text[n] = '\0';
	free(text);
	reply.asked = false;
	if (json_parse(&reply.doc, reply.text, strlen(reply.text), reply.toks,
		       sizeof(reply.toks) / sizeof(reply.toks[0]), err, sizeof(err)) < 0)
		fail_msg("the reply to %s is not JSON (%s): %s", request, err, reply.text);
	if (reply.toks[0].type != JSON_OBJECT)
		fail_msg("the reply to %s is no object: %s", request, reply.text);
	reply.asked = true;
}

const char *vt_reply(void)
{
	return reply.text;
}

int vt_at(const char *path)
{
	char part[64];
	int t = 0;

	assert_true(reply.asked);
	while (*path && t >= 0) {
		size_t n = strcspn(path, ".");

		assert_true(n < sizeof(part));
		memcpy(part, path, n);
		part[n] = '\0';
		path += n + (path[n] == '.');
		if (reply.toks[t].type == JSON_ARRAY)
			t = json_arr_get(&reply.doc, (uint32_t)t, (uint32_t)atoi(part));
		else
			t = json_obj_get(&reply.doc, (uint32_t)t, part);
	}
	return t;
}

int64_t vt_num_at(const char *path)
{
	int64_t v = -1;
	int t = vt_at(path);

	if (t < 0 || json_int(&reply.doc, (uint32_t)t, &v) < 0)
		fail_msg("no number at %s in %s", path, reply.text);
	return v;
}

const char *vt_str_at(const char *path)
{
	static char buf[256];
	int t = vt_at(path);

	if (t < 0 || json_string(&reply.doc, (uint32_t)t, buf, sizeof(buf)) < 0)
		fail_msg("no string at %s in %s", path, reply.text);
	return buf;
}

bool vt_bool_at(const char *path)
{
	int t = vt_at(path);

	if (t < 0 || (reply.toks[t].type != JSON_TRUE && reply.toks[t].type != JSON_FALSE))
		fail_msg("no boolean at %s in %s", path, reply.text);
	return reply.toks[t].type == JSON_TRUE;
}

bool vt_null_at(const char *path)
{
	int t = vt_at(path);

	if (t < 0)
		fail_msg("nothing at %s in %s", path, reply.text);
	return reply.toks[t].type == JSON_NULL;
}

uint32_t vt_count_at(const char *path)
{
	int t = vt_at(path);

	if (t < 0 || reply.toks[t].type != JSON_ARRAY)
		fail_msg("no array at %s in %s", path, reply.text);
	return reply.toks[t].size;
}
