// SPDX-License-Identifier: MIT
/*
 * Malformed topology files are rejected with a message that names the block (number and
 * type), its offset, the element and the field, and never read out of bounds (run under
 * ASan/UBSan): truncation at every offset of real files, size fields that overflow, counts
 * too large for their payload, strings without NUL, private data and vendor arrays that lie
 * about their sizes, routes naming missing widgets, empty blocks with a count, and bad
 * headers, controls, PCMs and links.
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

#include "test-tplg-build.h"
#include "test-tplg-util.h"
#include "tplg/tplg.h"

/* Offsets in sof-imx8-wm8960.tplg (see the reference notes and `vadsp tplg dump`). */
#define WIDGETS1	151	/* block 1: widgets of pipeline 1 */
#define WIDGET0		187	/* PCM0P */
#define WIDGET1		387	/* PGA1.0 */
#define PCM_BLOCK	3719
#define GRAPH1		6459	/* block 5 */
#define ROUTE0		(GRAPH1 + 36)

struct file {
	unsigned char *buf;
	size_t len;
};

static struct file wm8960(void)
{
	struct file f;

	f.buf = read_file(WM8960, &f.len);
	return f;
}

/* Parse @buf; it must be rejected with -EINVAL and a message containing @want. */
static struct tplg_error reject(const void *buf, size_t len, const char *want)
{
	struct tplg_error err;
	struct tplg *t = NULL;
	int ret = tplg_parse(buf, len, &t, &err);

	if (ret != -EINVAL || !strstr(err.msg, want))
		fail_msg("want -EINVAL with \"%s\", got %d \"%s\"", want, ret, err.msg);
	assert_null(t);
	return err;
}

static void truncate_everywhere(const char *path)
{
	size_t len;
	unsigned char *buf = read_file(path, &len);

	for (size_t n = 0; n < len; n++) {
		struct tplg_error err;
		struct tplg *t = NULL;
		/* A copy of exactly n bytes, so ASan sees any read past the end. */
		unsigned char *cut = malloc(n ? n : 1);
		int ret;

		assert_non_null(cut);
		memcpy(cut, buf, n);
		ret = tplg_parse(cut, n, &t, &err);
		free(cut);
		if (ret != -EINVAL)
			fail_msg("%s cut at %zu: parse returned %d", path, n, ret);
		assert_null(t);
		if (n == 0) {
			assert_string_equal(err.msg, "empty file");
			continue;
		}
		if (strncmp(err.msg, "block ", 6) != 0 || !strstr(err.msg, " at offset ") ||
		    err.block < 0)
			fail_msg("%s cut at %zu: message does not name a block: %s", path, n,
				 err.msg);
	}
	free(buf);
}

static void truncation_at_every_offset_is_rejected(void **state)
{
	truncate_everywhere(WM8960);
	truncate_everywhere(SOF_TPLG_DIR "/sof-icl-dmic-4ch.tplg");
	truncate_everywhere(SOF_TPLG_DIR "/sof-imx8-eq-iir-wm8960.tplg");
}

static void cut_at_a_block_boundary_fails_the_manifest_counts(void **state)
{
	struct file f = wm8960();
	struct tplg_error err = reject(f.buf, PCM_BLOCK,
				       "block 0 (MANIFEST) at offset 0: manifest: declares 8 routes but the file holds 0");

	assert_int_equal(err.block, 0);
	assert_int_equal(err.block_type, TPLG_BLOCK_MANIFEST);
	free(f.buf);
}

static void payload_size_overflow_is_rejected(void **state)
{
	struct file f = wm8960();
	uint8_t *ps = f.buf + WIDGETS1 + offsetof(struct tplg_wire_hdr, payload_size);

	/* 36 + payload_size wraps to 0 in 32 bits. */
	put_le32(ps, 0xffffffdcu);
	reject(f.buf, f.len,
	       "block 1 (DAPM_WIDGET) at offset 151: payload_size 4294967260 exceeds the 7400 bytes left in the file");
	put_le32(ps, 0xffffffffu);
	reject(f.buf, f.len, "payload_size 4294967295 exceeds");
	/* One byte past the end of the file. */
	put_le32(ps, (uint32_t)(f.len - WIDGETS1 - 36 + 1));
	reject(f.buf, f.len, "exceeds the 7400 bytes left in the file");
	free(f.buf);
}

static void bad_headers_are_rejected(void **state)
{
	struct file f = wm8960();
	uint8_t *h = f.buf + WIDGETS1;
	uint8_t save[36];

	memcpy(save, h, sizeof(save));
	put_le32(h, 0x12345678);
	reject(f.buf, f.len, "block 1 at offset 151: bad magic 0x12345678");
	put_le32(h, 0x436f5341);
	reject(f.buf, f.len, "big-endian topology files are not supported");
	memcpy(h, save, sizeof(save));
	put_le32(h + 4, 3);
	reject(f.buf, f.len, "block 1 (DAPM_WIDGET) at offset 151: ASoC ABI 3 is not supported");
	put_le32(h + 4, 6);
	reject(f.buf, f.len, "ASoC ABI 6 is not supported");
	memcpy(h, save, sizeof(save));
	put_le32(h + 16, 0xffffffff);
	reject(f.buf, f.len, "header size 4294967295, must be 36");
	memcpy(h, save, sizeof(save));
	put_le32(h + 12, 99);
	reject(f.buf, f.len, "block 1 (UNKNOWN) at offset 151: unknown block type 99");
	memcpy(h, save, sizeof(save));
	/* A header cut short. */
	reject(f.buf, WIDGETS1 + 20,
	       "block 1 at offset 151: block header truncated: needs 36 bytes at offset 151, 20 left");
	free(f.buf);
}

static void counts_too_large_for_the_payload_are_rejected(void **state)
{
	struct file f = wm8960();
	uint8_t *count = f.buf + WIDGETS1 + offsetof(struct tplg_wire_hdr, count);
	uint8_t *nk = f.buf + WIDGET1 + offsetof(struct tplg_wire_widget, num_kcontrols);
	struct tplg_error err;

	put_le32(count, 1000);
	reject(f.buf, f.len,
	       "block 1 (DAPM_WIDGET) at offset 151: count 1000 widgets exceeds payload: needs at least 132000 bytes, payload has 1768");
	put_le32(count, 0xffffffff);
	reject(f.buf, f.len, "count 4294967295 widgets exceeds payload");
	put_le32(count, 6);

	put_le32(nk, 7);
	err = reject(f.buf, f.len,
		     "block 1 (DAPM_WIDGET) at offset 151: widget 1 'PGA1.0': num_kcontrols 7 exceeds payload");
	assert_int_equal(err.block, 1);
	assert_int_equal(err.block_type, TPLG_BLOCK_DAPM_WIDGET);
	assert_int_equal(err.block_offset, WIDGETS1);
	assert_int_equal(err.offset, WIDGET1 + offsetof(struct tplg_wire_widget, num_kcontrols));
	put_le32(nk, 0xffffffff);
	reject(f.buf, f.len, "widget 1 'PGA1.0': num_kcontrols 4294967295 exceeds payload");
	/* Two controls where one is: the second reads the next widget as a control. */
	put_le32(nk, 2);
	reject(f.buf, f.len, "widget 1 'PGA1.0': kcontrol 1 ");
	free(f.buf);
}

static void strings_without_nul_are_rejected(void **state)
{
	struct file f = wm8960();
	struct tplg_error err;

	memset(f.buf + WIDGET0 + offsetof(struct tplg_wire_widget, name), 'A', TPLG_NAME_LEN);
	err = reject(f.buf, f.len,
		     "block 1 (DAPM_WIDGET) at offset 151: widget 0: name at offset 195 is not NUL-terminated within 44 bytes");
	assert_int_equal(err.offset, 195);
	free(f.buf);

	f = wm8960();
	memset(f.buf + WIDGET1 + offsetof(struct tplg_wire_widget, sname), 'B', TPLG_NAME_LEN);
	reject(f.buf, f.len, "widget 1 'PGA1.0': sname at offset");
	free(f.buf);

	f = wm8960();
	memset(f.buf + ROUTE0 + 44, 'C', TPLG_NAME_LEN);
	reject(f.buf, f.len,
	       "block 5 (DAPM_GRAPH) at offset 6459: route 0: control at offset 6539 is not NUL-terminated");
	free(f.buf);

	f = wm8960();
	/* The kcontrol name of PGA1.0 (after its 156 bytes of private data). */
	memset(f.buf + WIDGET1 + 132 + 156 + 8, 'D', TPLG_NAME_LEN);
	reject(f.buf, f.len, "widget 1 'PGA1.0': kcontrol 0 name at offset");
	free(f.buf);

	f = wm8960();
	memset(f.buf + PCM_BLOCK + 36 + offsetof(struct tplg_wire_pcm, caps) + 4, 'E',
	       TPLG_NAME_LEN);
	reject(f.buf, f.len, "block 3 (PCM) at offset 3719: pcm 0 'Port0': playback caps name");
	free(f.buf);
}

static void private_data_lying_about_its_size_is_rejected(void **state)
{
	struct file f = wm8960();
	uint8_t *ps = f.buf + WIDGET0 + offsetof(struct tplg_wire_widget, priv);

	put_le32(ps, 0xffffffff);
	reject(f.buf, f.len,
	       "widget 0 'PCM0P': private data size 4294967295 (at offset 315) exceeds the");
	/* Longer than it is: the next widget's header is read as a vendor array. */
	put_le32(ps, 68 + 8);
	reject(f.buf, f.len,
	       "widget 0 'PCM0P': vendor array 2 header truncated: needs 12 bytes at offset 387, 8 left");
	put_le32(ps, 68 + 16);
	reject(f.buf, f.len,
	       "widget 0 'PCM0P': vendor array 2 at offset 387: size 132 exceeds the 16 bytes of private data left");
	/* Shorter than it is: its last array no longer fits. */
	put_le32(ps, 68 - 8);
	reject(f.buf, f.len, "exceeds the");
	put_le32(ps, 68);
	free(f.buf);
}

/* A file with one widget whose private data is @priv. */
static void one_widget(struct tb *b, const struct tb *priv)
{
	const struct tb_counts c = { 0, 1, 0, 0, 0, 0 };
	size_t blk;

	tb_manifest(b, &c, NULL, 0);
	blk = tb_block_begin(b, TPLG_BLOCK_DAPM_WIDGET, 1, 1, 5);
	tb_widget(b, TPLG_DAPM_BUFFER, "BUF", "", 0, priv);
	tb_block_end(b, blk);
}

static void inconsistent_vendor_arrays_are_rejected(void **state)
{
	const uint32_t w[] = { SOF_TKN_BUF_SIZE, 100, SOF_TKN_BUF_CAPS, 1 };
	struct tb b = { 0 }, p = { 0 };
	struct tplg_error err;
	struct tplg *t;

	/* The well-formed one parses. */
	tb_words(&p, TPLG_TUPLE_WORD, 2, w);
	one_widget(&b, &p);
	assert_int_equal(tplg_parse(b.buf, b.len, &t, &err), 0);
	assert_int_equal(t->widgets[0].tokens.buffer.size, 100);
	tplg_free(t);

	/* num_elems larger than the array. */
	put_le32(p.buf + 8, 3);
	tb_free(&b);
	one_widget(&b, &p);
	reject(b.buf, b.len,
	       "widget 0 'BUF': vendor array 0 at offset 316: num_elems 3 of word tuples (8 bytes each) does not fill its size 28");
	put_le32(p.buf + 8, 0xffffffff);
	tb_free(&b);
	one_widget(&b, &p);
	reject(b.buf, b.len, "num_elems 4294967295 of word tuples");
	put_le32(p.buf + 8, 2);

	/* Array size below its header, above the data, and wrapping. */
	put_le32(p.buf, 4);
	tb_free(&b);
	one_widget(&b, &p);
	reject(b.buf, b.len, "vendor array 0 at offset 316: size 4 is smaller than its 12-byte header");
	put_le32(p.buf, 0);
	tb_free(&b);
	one_widget(&b, &p);
	reject(b.buf, b.len, "size 0 is smaller than its 12-byte header");
	put_le32(p.buf, 36);
	tb_free(&b);
	one_widget(&b, &p);
	reject(b.buf, b.len, "size 36 exceeds the 28 bytes of private data left");
	put_le32(p.buf, 0xfffffffc);
	tb_free(&b);
	one_widget(&b, &p);
	reject(b.buf, b.len, "size 4294967292 exceeds");
	put_le32(p.buf, 28);

	/* Unknown tuple type. */
	put_le32(p.buf + 4, 9);
	tb_free(&b);
	one_widget(&b, &p);
	reject(b.buf, b.len, "vendor array 0 at offset 316: unknown tuple type 9");
	put_le32(p.buf + 4, TPLG_TUPLE_WORD);

	/* A string tuple without NUL. */
	tb_free(&p);
	tb_string_tuple(&p, SOF_TKN_COMP_FORMAT, "s32le");
	memset(p.buf + 16, 'x', TPLG_NAME_LEN);
	tb_free(&b);
	one_widget(&b, &p);
	reject(b.buf, b.len,
	       "vendor array 0 tuple 0 (token 402) at offset 328: string is not NUL-terminated within 44 bytes");

	/* A header cut short inside the private data. */
	tb_free(&p);
	tb_words(&p, TPLG_TUPLE_WORD, 2, w);
	p.len = 8;
	tb_free(&b);
	one_widget(&b, &p);
	reject(b.buf, b.len, "vendor array 0 header truncated: needs 12 bytes at offset 316, 8 left");
	tb_free(&b);
	tb_free(&p);
}

static void routes_naming_missing_widgets_are_rejected(void **state)
{
	struct file f = wm8960();
	struct tplg_error err;

	memcpy(f.buf + ROUTE0, "BUF9.9", 7);
	err = reject(f.buf, f.len,
		     "block 5 (DAPM_GRAPH) at offset 6459: route 0 at offset 6495: sink 'BUF9.9' names no widget");
	assert_int_equal(err.block, 5);
	assert_int_equal(err.offset, ROUTE0);
	free(f.buf);

	f = wm8960();
	/* Route 3 of the second graph block: its source. */
	memcpy(f.buf + GRAPH1 + 36 + 528 + 36 + 3 * 132 + 88, "NOPE", 5);
	reject(f.buf, f.len, "block 6 (DAPM_GRAPH) at offset 7023: route 3 at offset 7455: source 'NOPE' names no widget");
	free(f.buf);
}

static void control_bytes_in_names_are_escaped_in_messages(void **state)
{
	struct file f = wm8960();
	struct tplg_error err;

	/* A terminal escape sequence and a byte above ASCII in a route's sink name. */
	memcpy(f.buf + ROUTE0, "BUF\x1b[2J\xff", 9);
	err = reject(f.buf, f.len,
		     "block 5 (DAPM_GRAPH) at offset 6459: route 0 at offset 6495: sink 'BUF\\x1b[2J\\xff' names no widget");
	for (const unsigned char *c = (const unsigned char *)err.msg; *c; c++)
		assert_true(*c >= 0x20 && *c < 0x7f);
	free(f.buf);
}

static void empty_blocks_with_a_count_are_rejected(void **state)
{
	const struct tb_counts c = { 0 };
	struct tb b = { 0 };
	size_t blk;

	tb_manifest(&b, &c, NULL, 0);
	blk = tb_block_begin(&b, TPLG_BLOCK_DAPM_GRAPH, 1, 3, 5);
	tb_block_end(&b, blk);
	reject(b.buf, b.len, "block 1 (DAPM_GRAPH) at offset 148: count 3 but the payload is empty");
	tb_free(&b);

	tb_manifest(&b, &c, NULL, 0);
	blk = tb_block_begin(&b, TPLG_BLOCK_PCM, 1, 1, 5);
	tb_block_end(&b, blk);
	reject(b.buf, b.len, "block 1 (PCM) at offset 148: count 1 but the payload is empty");
	tb_free(&b);
}

static void leftover_bytes_and_manifest_errors_are_rejected(void **state)
{
	const struct tb_counts c = { 0, 0, 1, 0, 0, 0 };
	struct tb b = { 0 };
	size_t blk;

	/* A route block with bytes after its last route. */
	tb_manifest(&b, &c, NULL, 0);
	blk = tb_block_begin(&b, TPLG_BLOCK_DAPM_GRAPH, 1, 1, 5);
	tb_route(&b, "a", "", "b");
	tb_u32(&b, 0);
	tb_block_end(&b, blk);
	reject(b.buf, b.len, "block 1 (DAPM_GRAPH) at offset 148: 4 bytes left over after 1 elements");
	tb_free(&b);

	/* Two manifests. */
	tb_manifest(&b, &(struct tb_counts){ 0 }, NULL, 0);
	tb_manifest(&b, &(struct tb_counts){ 0 }, NULL, 0);
	reject(b.buf, b.len, "block 1 (MANIFEST) at offset 148: second manifest (the first is in block 0)");
	tb_free(&b);

	/* A manifest of a size neither ABI knows, and one with a count of 2. */
	tb_manifest(&b, &(struct tb_counts){ 0 }, NULL, 0);
	put_le32(b.buf + 36, 50);
	reject(b.buf, b.len, "block 0 (MANIFEST) at offset 0: manifest: size 50 is neither 112 (ABI 5) nor 28 (ABI 4)");
	put_le32(b.buf + 36, 112);
	put_le32(b.buf + 32, 2);
	reject(b.buf, b.len, "manifest block count 2, must be 1");
	tb_free(&b);

	/* Manifest private data larger than the block. */
	tb_manifest(&b, &(struct tb_counts){ 0 }, NULL, 0);
	put_le32(b.buf + 36 + 108, 1000);
	reject(b.buf, b.len, "manifest: private data size 1000 (at offset 144) exceeds the 0 bytes left");
	tb_free(&b);
}

static void bad_widgets_and_controls_are_rejected(void **state)
{
	static const char *const texts[] = { "a" };
	const struct tb_counts c = { 1, 1, 0, 0, 0, 0 };
	struct tb b = { 0 };
	size_t blk, ctl;

	/* Unknown widget type. */
	tb_manifest(&b, &(struct tb_counts){ .widgets = 1 }, NULL, 0);
	blk = tb_block_begin(&b, TPLG_BLOCK_DAPM_WIDGET, 1, 1, 5);
	tb_widget(&b, 99, "W", "", 0, NULL);
	tb_block_end(&b, blk);
	reject(b.buf, b.len, "widget 0 'W': unknown widget type id 99");
	put_le32(b.buf + 148 + 36, 133);
	reject(b.buf, b.len, "widget 0: size 133, must be 132");
	tb_free(&b);

	/* A widget with one mixer: break the mixer in turn. */
	tb_manifest(&b, &c, NULL, 0);
	blk = tb_block_begin(&b, TPLG_BLOCK_DAPM_WIDGET, 1, 1, 5);
	tb_widget(&b, TPLG_DAPM_PGA, "PGA", "", 1, NULL);
	ctl = b.len;
	tb_mixer(&b, "Vol", 10, 2, -100, 10, NULL);
	tb_block_end(&b, blk);
	put_le32(b.buf + ctl + 4, 7);
	reject(b.buf, b.len, "widget 0 'PGA': kcontrol 0 'Vol': unknown control type 7");
	put_le32(b.buf + ctl + 4, TPLG_BLOCK_MIXER);
	put_le32(b.buf + ctl, 200);
	reject(b.buf, b.len, "kcontrol 0 'Vol': header size 200, must be 204");
	put_le32(b.buf + ctl, 204);
	put_le32(b.buf + ctl + 204, 300);
	reject(b.buf, b.len, "kcontrol 0 'Vol': MIXER control size 300, must be 360");
	put_le32(b.buf + ctl + 204, 360);
	put_le32(b.buf + ctl + offsetof(struct tplg_wire_mixer_control, num_channels), 9);
	reject(b.buf, b.len, "kcontrol 0 'Vol': num_channels 9 exceeds 8");
	put_le32(b.buf + ctl + offsetof(struct tplg_wire_mixer_control, num_channels), 2);
	put_le32(b.buf + ctl + offsetof(struct tplg_wire_mixer_control, priv), 5);
	reject(b.buf, b.len, "kcontrol 0 'Vol': private data size 5");
	/* An enum control in a MIXER block. */
	tb_free(&b);
	tb_manifest(&b, &(struct tb_counts){ .controls = 1 }, NULL, 0);
	blk = tb_block_begin(&b, TPLG_BLOCK_MIXER, 1, 1, 5);
	ctl = b.len;
	tb_enum(&b, "E", 1, texts);
	tb_block_end(&b, blk);
	reject(b.buf, b.len, "block 1 (MIXER) at offset 148: control 0 'E': ENUM control in a MIXER block");
	put_le32(b.buf + 148 + 12, TPLG_BLOCK_ENUM);
	put_le32(b.buf + ctl + offsetof(struct tplg_wire_enum_control, items), 17);
	reject(b.buf, b.len, "control 0 'E': items 17 exceeds 16");
	put_le32(b.buf + ctl + offsetof(struct tplg_wire_enum_control, items), 2);
	memset(b.buf + ctl + offsetof(struct tplg_wire_enum_control, texts) + TPLG_NAME_LEN, 'x',
	       TPLG_NAME_LEN);
	reject(b.buf, b.len, "control 0 'E': text 1 at offset 580 is not NUL-terminated");
	tb_free(&b);
}

static void bad_pcms_and_links_are_rejected(void **state)
{
	struct tb b = { 0 }, p = { 0 };
	size_t blk, el;

	tb_manifest(&b, &(struct tb_counts){ .pcms = 1 }, NULL, 0);
	blk = tb_block_begin(&b, TPLG_BLOCK_PCM, 0, 1, 5);
	el = b.len;
	tb_pcm(&b, "P", 0, "play", NULL, NULL);
	tb_block_end(&b, blk);
	put_le32(b.buf + el, 900);
	reject(b.buf, b.len, "block 1 (PCM) at offset 148: pcm 0: size 900 is neither 912 (ABI 5) nor 892 (ABI 4)");
	put_le32(b.buf + el, 912);
	put_le32(b.buf + el + offsetof(struct tplg_wire_pcm, num_streams), 9);
	reject(b.buf, b.len, "pcm 0 'P': num_streams 9 exceeds 8");
	put_le32(b.buf + el + offsetof(struct tplg_wire_pcm, num_streams), 1);
	memset(b.buf + el + offsetof(struct tplg_wire_pcm, stream) + 4, 'x', TPLG_NAME_LEN);
	reject(b.buf, b.len, "pcm 0 'P': stream 0 name at offset 300 is not NUL-terminated");
	tb_free(&b);

	tb_manifest(&b, &(struct tb_counts){ .links = 1 }, NULL, 0);
	blk = tb_block_begin(&b, TPLG_BLOCK_BACKEND_LINK, 0, 1, 5);
	el = b.len;
	tb_link(&b, "L", 0, NULL);
	tb_block_end(&b, blk);
	put_le32(b.buf + el + offsetof(struct tplg_wire_link_config, num_hw_configs), 9);
	reject(b.buf, b.len, "block 1 (BACKEND_LINK) at offset 148: link 0 'L': num_hw_configs 9 exceeds 8");
	put_le32(b.buf + el, 1000);
	reject(b.buf, b.len, "link 0: size 1000 is neither 1656 (ABI 5) nor 588 (ABI 4)");
	tb_free(&b);

	/* Five DMIC PDM controllers where four fit. */
	for (uint32_t i = 0; i < 5; i++) {
		const uint32_t pdm[] = { SOF_TKN_INTEL_DMIC_PDM_CTRL_ID, i };

		tb_words(&p, TPLG_TUPLE_SHORT, 1, pdm);
	}
	tb_manifest(&b, &(struct tb_counts){ .links = 1 }, NULL, 0);
	blk = tb_block_begin(&b, TPLG_BLOCK_BACKEND_LINK, 0, 1, 5);
	tb_link(&b, "dmic", 0, &p);
	tb_block_end(&b, blk);
	reject(b.buf, b.len, "link 0 'dmic': private data describes more than 4 DMIC PDM controllers");
	tb_free(&b);
	tb_free(&p);

	/* A DAI of the wrong size. */
	tb_manifest(&b, &(struct tb_counts){ .dais = 1 }, NULL, 0);
	blk = tb_block_begin(&b, TPLG_BLOCK_DAI, 0, 1, 5);
	el = b.len;
	tb_dai(&b, "D", 0);
	tb_block_end(&b, blk);
	put_le32(b.buf + el, 279);
	reject(b.buf, b.len, "block 1 (DAI) at offset 148: dai 0: size 279, must be 280");
	tb_free(&b);
}

static void files_that_cannot_be_read_are_reported(void **state)
{
	struct tplg_error err;
	struct tplg *t = NULL;

	assert_int_equal(tplg_load_file("/nonexistent/x.tplg", &t, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "/nonexistent/x.tplg: No such file or directory"));
	assert_int_equal(tplg_load_file("/", &t, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_null(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(truncation_at_every_offset_is_rejected),
		cmocka_unit_test(cut_at_a_block_boundary_fails_the_manifest_counts),
		cmocka_unit_test(payload_size_overflow_is_rejected),
		cmocka_unit_test(bad_headers_are_rejected),
		cmocka_unit_test(counts_too_large_for_the_payload_are_rejected),
		cmocka_unit_test(strings_without_nul_are_rejected),
		cmocka_unit_test(private_data_lying_about_its_size_is_rejected),
		cmocka_unit_test(inconsistent_vendor_arrays_are_rejected),
		cmocka_unit_test(routes_naming_missing_widgets_are_rejected),
		cmocka_unit_test(control_bytes_in_names_are_escaped_in_messages),
		cmocka_unit_test(empty_blocks_with_a_count_are_rejected),
		cmocka_unit_test(leftover_bytes_and_manifest_errors_are_rejected),
		cmocka_unit_test(bad_widgets_and_controls_are_rejected),
		cmocka_unit_test(bad_pcms_and_links_are_rejected),
		cmocka_unit_test(files_that_cannot_be_read_are_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
