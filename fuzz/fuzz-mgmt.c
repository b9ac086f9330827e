// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the management socket's request parser (src/daemon/mgmt.c) and the
 * JSON reader and writer under it (src/daemon/json.c).
 *
 * The input is one request line. The JSON reader must give a consistent token tree or a
 * refusal: every container's children, walked by their next indices, end exactly where the
 * container says, and every token lies inside the text. The request parser must return 0
 * or -EINVAL with a message. An accepted request must have what its command needs, within
 * bounds; written back with the JSON writer and parsed again, it must give the same
 * request.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/json.h"
#include "daemon/mgmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "invariant failed: %s\n", #cond); \
			abort(); \
		} \
	} while (0)

#define TOKS 4096

static struct json_tok toks[TOKS];

/* Check every token and container; return the index after the top-level value. */
static uint32_t check_tree(const struct json_doc *d, size_t len)
{
	for (uint32_t i = 0; i < d->num; i++) {
		const struct json_tok *t = &d->toks[i];
		uint32_t k = i + 1, n;

		CHECK(t->type <= JSON_OBJECT);
		CHECK((size_t)t->start + t->len <= len);
		CHECK(t->next > i && t->next <= d->num);
		if (t->type != JSON_ARRAY && t->type != JSON_OBJECT) {
			CHECK(t->next == i + 1);
			continue;
		}
		n = t->type == JSON_OBJECT ? 2 * t->size : t->size;
		for (uint32_t c = 0; c < n; c++) {
			CHECK(k < t->next);
			if (t->type == JSON_OBJECT && c % 2 == 0)
				CHECK(d->toks[k].type == JSON_STRING);
			k = d->toks[k].next;
		}
		CHECK(k == t->next);
	}
	return d->num ? d->toks[0].next : 0;
}

static void write_request(struct json_out *o, const struct mgmt_request *r)
{
	static const char *const cmds[] = { "list", "get", "set", "jack", "levels" };

	json_obj_begin(o);
	json_kv_str(o, "cmd", cmds[r->cmd]);
	if (r->guest[0])
		json_kv_str(o, "guest", r->guest);
	if (r->connection >= 0)
		json_kv_int(o, "connection", r->connection);
	if (r->control_id >= 0)
		json_kv_int(o, "control", r->control_id);
	else if (r->control[0])
		json_kv_str(o, "control", r->control);
	if (r->index)
		json_kv_uint(o, "index", r->index);
	if (r->num_values) {
		json_key(o, "value");
		json_arr_begin(o);
		for (unsigned int i = 0; i < r->num_values; i++) {
			const struct mgmt_value *v = &r->values[i];

			if (v->kind == MGMT_VALUE_INT)
				json_int64(o, v->n);
			else if (v->kind == MGMT_VALUE_BOOL)
				json_bool(o, v->n != 0);
			else
				json_str(o, v->s);
		}
		json_arr_end(o);
	}
	if (r->jack_id >= 0)
		json_kv_int(o, "jack", r->jack_id);
	else if (r->jack[0])
		json_kv_str(o, "jack", r->jack);
	if (r->cmd == MGMT_JACK)
		json_kv_bool(o, "connected", r->connected);
	json_obj_end(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mgmt_request req, again;
	struct json_doc doc;
	struct json_out o;
	char err[256];
	int ret;

	ret = json_parse(&doc, (const char *)data, size, toks, TOKS, err, sizeof(err));
	CHECK(ret == -EINVAL || ret == -E2BIG || (ret > 0 && (uint32_t)ret == doc.num));
	if (ret > 0)
		CHECK(check_tree(&doc, size) == doc.num);
	else
		CHECK(err[0]);

	ret = mgmt_request_parse((const char *)data, size, &req, err, sizeof(err));
	CHECK(ret == 0 || ret == -EINVAL);
	if (ret < 0) {
		CHECK(err[0] && strlen(err) < sizeof(err));
		return 0;
	}
	CHECK(req.cmd <= MGMT_LEVELS);
	CHECK(strlen(req.guest) <= VADSPD_GUEST_NAME_MAX);
	CHECK(req.num_values <= MGMT_VALUES_MAX);
	CHECK(req.connection == -1 || (req.connection >= 1 && req.connection <= UINT32_MAX));
	if (req.cmd == MGMT_GET || req.cmd == MGMT_SET || req.cmd == MGMT_JACK)
		CHECK(req.guest[0]);
	if (req.cmd == MGMT_GET || req.cmd == MGMT_SET)
		CHECK((req.control_id >= 0) != (req.control[0] != '\0'));
	if (req.cmd == MGMT_SET)
		CHECK(req.num_values >= 1);
	else
		CHECK(req.num_values == 0);
	if (req.cmd == MGMT_JACK)
		CHECK((req.jack_id >= 0) != (req.jack[0] != '\0'));
	for (unsigned int i = 0; i < req.num_values; i++) {
		CHECK(req.values[i].n >= INT32_MIN && req.values[i].n <= INT32_MAX);
		if (req.values[i].kind == MGMT_VALUE_STRING)
			CHECK(req.values[i].s[0] && strlen(req.values[i].s) < MGMT_STRING_MAX);
	}

	/* Written back and read again: the same request. */
	json_out_init(&o, 1 << 20);
	write_request(&o, &req);
	ret = json_out_finish(&o);
	CHECK(ret > 0);
	ret = mgmt_request_parse(o.buf, o.len, &again, err, sizeof(err));
	if (ret != 0)
		fprintf(stderr, "re-read of %s failed: %s\n", o.buf, err);
	CHECK(ret == 0);
	CHECK(again.cmd == req.cmd && !strcmp(again.guest, req.guest));
	CHECK(again.connection == req.connection && again.control_id == req.control_id);
	CHECK(!strcmp(again.control, req.control) && again.index == req.index);
	CHECK(again.num_values == req.num_values);
	for (unsigned int i = 0; i < req.num_values; i++) {
		CHECK(again.values[i].kind == req.values[i].kind);
		CHECK(again.values[i].n == req.values[i].n);
		if (req.values[i].kind == MGMT_VALUE_STRING)
			CHECK(!strcmp(again.values[i].s, req.values[i].s));
	}
	CHECK(again.jack_id == req.jack_id && !strcmp(again.jack, req.jack));
	CHECK(again.connected == req.connected);
	json_out_free(&o);
	return 0;
}
