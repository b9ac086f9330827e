// SPDX-License-Identifier: MIT
/*
 * The bounds-checked reader and the token tables: every read checks its bytes and leaves
 * the cursor alone on failure, offsets are file offsets, strings need a NUL; tuples load
 * into typed fields by class, in file order, with repeated sets, and unknown ones are kept.
 * Messages escape the bytes of names that are not printable ASCII.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tplg/parse.h"
#include "tplg/reader.h"
#include "tplg/tokens.h"

static void reads_are_little_endian_and_advance(void **state)
{
	const uint8_t buf[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
				0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
	struct tplg_reader rd;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	tplg_rd_init(&rd, buf, sizeof(buf));
	assert_int_equal(tplg_rd_u8(&rd, &u8), 0);
	assert_int_equal(u8, 0x01);
	assert_int_equal(tplg_rd_u16(&rd, &u16), 0);
	assert_int_equal(u16, 0x0302);
	assert_int_equal(tplg_rd_u32(&rd, &u32), 0);
	assert_int_equal(u32, 0x07060504);
	/* Unaligned u64. */
	assert_int_equal(tplg_rd_u64(&rd, &u64), 0);
	assert_true(u64 == 0x0f0e0d0c0b0a0908ull);
	assert_int_equal(rd.pos, 15);
	assert_int_equal(tplg_rd_left(&rd), 0);
}

static void short_reads_fail_without_moving(void **state)
{
	const uint8_t buf[7] = { 0 };
	struct tplg_reader rd;
	const uint8_t *p;
	uint64_t u64;
	uint32_t u32;

	tplg_rd_init(&rd, buf, sizeof(buf));
	assert_int_equal(tplg_rd_u32(&rd, &u32), 0);
	assert_int_equal(tplg_rd_u32(&rd, &u32), -EBADMSG);
	assert_int_equal(rd.pos, 4);
	assert_int_equal(rd.err_off, 4);
	assert_int_equal(rd.err_need, 4);
	assert_int_equal(rd.err_have, 3);
	assert_int_equal(tplg_rd_u64(&rd, &u64), -EBADMSG);
	/* Lengths that would wrap a pointer addition. */
	assert_int_equal(tplg_rd_bytes(&rd, SIZE_MAX, &p), -EBADMSG);
	assert_int_equal(tplg_rd_skip(&rd, SIZE_MAX - 2), -EBADMSG);
	assert_int_equal(rd.pos, 4);
	assert_int_equal(tplg_rd_skip(&rd, 3), 0);
	assert_int_equal(tplg_rd_left(&rd), 0);
}

static void sub_ranges_keep_file_offsets(void **state)
{
	uint8_t buf[32];
	struct tplg_reader rd, sub;
	uint32_t v;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	tplg_rd_init(&rd, buf, sizeof(buf));
	assert_int_equal(tplg_rd_skip(&rd, 8), 0);
	assert_int_equal(tplg_rd_sub(&rd, 8, &sub), 0);
	assert_int_equal(rd.pos, 16);
	assert_int_equal(sub.pos, 8);
	assert_int_equal(sub.end, 16);
	assert_int_equal(tplg_rd_u32(&sub, &v), 0);
	assert_int_equal(v, 0x0b0a0908);
	assert_int_equal(tplg_rd_u32(&sub, &v), 0);
	/* The sub-range ends where it was cut, not at the end of the buffer. */
	assert_int_equal(tplg_rd_u32(&sub, &v), -EBADMSG);
	assert_int_equal(sub.err_off, 16);
	assert_int_equal(tplg_rd_sub(&rd, 17, &sub), -EBADMSG);
	assert_int_equal(rd.pos, 16);
}

static void strings_need_a_nul_in_their_field(void **state)
{
	char buf[12] = "abc\0zzzzzzz";
	char out[8];
	struct tplg_reader rd;

	tplg_rd_init(&rd, buf, sizeof(buf));
	memset(out, 0x55, sizeof(out));
	assert_int_equal(tplg_rd_string(&rd, 8, out), 0);
	assert_string_equal(out, "abc");
	/* Padded with NULs, garbage after the NUL dropped. */
	for (int i = 3; i < 8; i++)
		assert_int_equal(out[i], 0);
	assert_int_equal(rd.pos, 8);
	/* "zzz" then the buffer's last byte, a NUL: 4 bytes. */
	assert_int_equal(tplg_rd_string(&rd, 4, out), 0);
	assert_string_equal(out, "zzz");

	memset(buf, 'x', sizeof(buf));
	tplg_rd_init(&rd, buf, sizeof(buf));
	assert_int_equal(tplg_rd_string(&rd, 8, out), -EILSEQ);
	assert_int_equal(rd.pos, 0);
	assert_int_equal(rd.err_off, 0);
	assert_int_equal(tplg_str_field(buf, 8, out), -EILSEQ);
	assert_string_equal(out, "");
	tplg_rd_init(&rd, buf, 4);
	assert_int_equal(tplg_rd_string(&rd, 8, out), -EBADMSG);
}

static void messages_escape_what_is_not_printable_ascii(void **state)
{
	char out[16];

	tplg_msg_escape(out, sizeof(out), "a\x1b[0m\tz\x7f\x80~");
	assert_string_equal(out, "a\\x1b[0m\\x09z");
	tplg_msg_escape(out, sizeof(out), "plain 'name' ok");
	assert_string_equal(out, "plain 'name' ok");
	/* Cut to fit, never inside an escape, always terminated. */
	tplg_msg_escape(out, 6, "ab\001cd");
	assert_string_equal(out, "ab");
	tplg_msg_escape(out, 7, "ab\001cd");
	assert_string_equal(out, "ab\\x01");
	tplg_msg_escape(out, 3, "abc");
	assert_string_equal(out, "ab");
	out[0] = 'x';
	tplg_msg_escape(out, 1, "abc");
	assert_string_equal(out, "");
}

static struct tplg_tuple word(uint32_t token, uint8_t type, uint32_t value)
{
	struct tplg_tuple t;

	memset(&t, 0, sizeof(t));
	t.token = token;
	t.type = type;
	t.value = value;
	return t;
}

static struct tplg_tuple string(uint32_t token, const char *s)
{
	struct tplg_tuple t;

	memset(&t, 0, sizeof(t));
	t.token = token;
	t.type = TPLG_TUPLE_STRING;
	strncpy(t.string, s, sizeof(t.string) - 1);
	return t;
}

static void tuples_load_by_class_in_file_order(void **state)
{
	struct tplg_tuple tuples[] = {
		word(SOF_TKN_BUF_SIZE, TPLG_TUPLE_WORD, 100),
		/* A SHORT where the table says WORD: value classes are interchangeable. */
		word(SOF_TKN_BUF_CAPS, TPLG_TUPLE_SHORT, 0x61),
		/* Later tuples override earlier ones. */
		word(SOF_TKN_BUF_SIZE, TPLG_TUPLE_WORD, 768),
		/* A string where a number is expected is not loaded. */
		string(SOF_TKN_BUF_CAPS, "oops"),
		word(4242, TPLG_TUPLE_WORD, 1),
	};
	struct tplg_priv priv = { .tuples = tuples, .num_tuples = 5 };
	struct tplg_buffer_tokens buf = { 0 };

	assert_int_equal(tplg_tokens_load(&priv, &tplg_buffer_table, &buf, NULL), 3);
	assert_int_equal(buf.size, 768);
	assert_int_equal(buf.caps, 0x61);
	assert_true(tuples[0].known);
	assert_true(tuples[1].known);
	assert_false(tuples[3].known);
	assert_false(tuples[4].known);
	assert_ptr_equal(tplg_priv_find(&priv, SOF_TKN_BUF_SIZE), &tuples[2]);
	assert_null(tplg_priv_find(&priv, 999));
}

static void widget_groups_convert_strings_and_booleans(void **state)
{
	struct tplg_tuple tuples[] = {
		string(SOF_TKN_COMP_FORMAT, "s24le"),
		string(SOF_TKN_DAI_TYPE, "ESAI"),
		string(SOF_TKN_PROCESS_TYPE, "DCBLOCK"),
		/* Real files write DYNAMIC_PIPELINE as a WORD; any non-zero value is true. */
		word(SOF_TKN_SCHED_DYNAMIC_PIPELINE, TPLG_TUPLE_WORD, 5),
		word(SOF_TKN_SRC_RATE_OUT, TPLG_TUPLE_WORD, 44100),
		word(SOF_TKN_TONE_SAMPLE_RATE, TPLG_TUPLE_WORD, 16000),
		string(VADSP_TKN_CP_NAME, "host-out"),
	};
	struct tplg_priv priv = { .tuples = tuples, .num_tuples = 7 };
	struct tplg_widget_tokens tok;

	assert_int_equal(tplg_widget_tokens_load(&priv, &tok), 0);
	assert_int_equal(tok.comp.format, TPLG_FRAME_S24_4LE);
	assert_string_equal(tok.comp.format_name, "s24le");
	assert_false(tok.comp.has_uuid);
	assert_int_equal(tok.dai.type, TPLG_DAI_ESAI);
	assert_int_equal(tok.process.type, TPLG_PROCESS_DCBLOCK);
	assert_true(tok.sched.dynamic);
	assert_int_equal(tok.src.rate_out, 44100);
	assert_int_equal(tok.tone.sample_rate, 16000);
	assert_string_equal(tok.vadsp.cp_name, "host-out");
	assert_int_equal(tok.groups, (1u << TPLG_TKG_COMP) | (1u << TPLG_TKG_DAI) |
					     (1u << TPLG_TKG_PROCESS) | (1u << TPLG_TKG_SCHED) |
					     (1u << TPLG_TKG_SRC) | (1u << TPLG_TKG_TONE) |
					     (1u << TPLG_TKG_VADSP));
	for (size_t i = 0; i < 7; i++)
		assert_true(tuples[i].known);

	/* Unknown names keep the defaults. */
	tuples[0] = string(SOF_TKN_COMP_FORMAT, "u8");
	tuples[1] = string(SOF_TKN_DAI_TYPE, "XYZ");
	assert_int_equal(tplg_widget_tokens_load(&priv, &tok), 0);
	assert_int_equal(tok.comp.format, TPLG_FRAME_S32_LE);
	assert_int_equal(tok.dai.type, TPLG_DAI_NONE);
	assert_string_equal(tok.dai.type_name, "XYZ");
	assert_int_equal(tplg_frame_fmt_from_name("float"), TPLG_FRAME_FLOAT);
	assert_int_equal(tplg_dai_type_from_name("nope"), -EINVAL);
	assert_int_equal(tplg_process_type_from_name("EQFIR"), TPLG_PROCESS_EQFIR);
}

static void repeated_sets_start_at_their_key_token(void **state)
{
	struct tplg_tuple tuples[] = {
		/* Before any CTRL_ID: no set to go to. */
		word(SOF_TKN_INTEL_DMIC_PDM_SKEW, TPLG_TUPLE_SHORT, 9),
		word(SOF_TKN_INTEL_DMIC_PDM_CTRL_ID, TPLG_TUPLE_SHORT, 0),
		word(SOF_TKN_INTEL_DMIC_PDM_MIC_A_ENABLE, TPLG_TUPLE_SHORT, 1),
		word(SOF_TKN_INTEL_DMIC_PDM_CTRL_ID, TPLG_TUPLE_SHORT, 1),
		word(SOF_TKN_INTEL_DMIC_PDM_MIC_B_ENABLE, TPLG_TUPLE_SHORT, 1),
		word(SOF_TKN_INTEL_DMIC_PDM_CTRL_ID, TPLG_TUPLE_SHORT, 2),
		word(SOF_TKN_INTEL_DMIC_PDM_CTRL_ID, TPLG_TUPLE_SHORT, 3),
		word(SOF_TKN_INTEL_DMIC_PDM_CTRL_ID, TPLG_TUPLE_SHORT, 4),
	};
	struct tplg_priv priv = { .tuples = tuples, .num_tuples = 5 };
	struct tplg_link_tokens tok;

	assert_int_equal(tplg_link_tokens_load(&priv, &tok), 0);
	assert_int_equal(tok.num_pdm, 2);
	assert_int_equal(tok.pdm[0].id, 0);
	assert_int_equal(tok.pdm[0].enable_mic_a, 1);
	assert_int_equal(tok.pdm[0].enable_mic_b, 0);
	assert_int_equal(tok.pdm[0].skew, 0);
	assert_int_equal(tok.pdm[1].id, 1);
	assert_int_equal(tok.pdm[1].enable_mic_b, 1);
	assert_false(tuples[0].known);
	assert_int_equal(tok.groups, 1u << TPLG_TKG_DMIC_PDM);

	priv.num_tuples = 7;
	assert_int_equal(tplg_link_tokens_load(&priv, &tok), 0);
	assert_int_equal(tok.num_pdm, 4);
	priv.num_tuples = 8;
	assert_int_equal(tplg_link_tokens_load(&priv, &tok), -E2BIG);
}

static void token_names_cover_every_table(void **state)
{
	const struct tplg_token_group_ref *groups[] = { tplg_widget_groups, tplg_link_groups };
	const size_t counts[] = { tplg_num_widget_groups, tplg_num_link_groups };

	for (size_t g = 0; g < 2; g++) {
		for (size_t i = 0; i < counts[g]; i++) {
			const struct tplg_token_table *tab = groups[g][i].table;

			assert_non_null(tab->name);
			for (size_t j = 0; j < tab->num_tokens; j++) {
				assert_non_null(tplg_token_name(tab->tokens[j].token));
				assert_non_null(tab->tokens[j].field);
			}
		}
	}
	assert_string_equal(tplg_token_name(SOF_TKN_BUF_SIZE), "BUF_SIZE");
	assert_string_equal(tplg_token_name(VADSP_TKN_CP_NAME), "VADSP_CP_NAME");
	assert_null(tplg_token_name(1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_are_little_endian_and_advance),
		cmocka_unit_test(short_reads_fail_without_moving),
		cmocka_unit_test(sub_ranges_keep_file_offsets),
		cmocka_unit_test(strings_need_a_nul_in_their_field),
		cmocka_unit_test(messages_escape_what_is_not_printable_ascii),
		cmocka_unit_test(tuples_load_by_class_in_file_order),
		cmocka_unit_test(widget_groups_convert_strings_and_booleans),
		cmocka_unit_test(repeated_sets_start_at_their_key_token),
		cmocka_unit_test(token_names_cover_every_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
