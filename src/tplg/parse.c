// SPDX-License-Identifier: MIT
/*
 * Topology files: the block loop, the manifest, private data and vendor tuples, errors,
 * and the top-level entry points.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tplg/parse.h"
#include "util/le.h"

#define BIG_ENDIAN_MAGIC	0x436F5341u

void tplg_msg_escape(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	if (size == 0)
		return;
	for (const unsigned char *s = (const unsigned char *)src; *s; s++) {
		bool plain = *s >= 0x20 && *s < 0x7f;

		if (n + (plain ? 1 : 4) >= size)
			break;
		if (plain)
			dst[n++] = (char)*s;
		else
			n += (size_t)snprintf(dst + n, size - n, "\\x%02x", *s);
	}
	dst[n] = '\0';
}

int tplg_fail(struct tplg_parse *p, size_t off, const char *fmt, ...)
{
	struct tplg_error *e = p->err;
	char what[256], msg[sizeof(e->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);

	e->block = p->block;
	e->offset = off;
	if (p->hdr) {
		e->block_type = p->hdr->type;
		e->block_offset = p->hdr->offset;
		snprintf(msg, sizeof(msg), "block %d (%s) at offset %u: %s%s", p->block,
			 tplg_block_type_name(p->hdr->type), p->hdr->offset, p->elem, what);
	} else {
		e->block_type = 0;
		e->block_offset = 0;
		snprintf(msg, sizeof(msg), "%s%s", p->elem, what);
	}
	tplg_msg_escape(e->msg, sizeof(e->msg), msg);
	return -EINVAL;
}

int tplg_fail_rd(struct tplg_parse *p, const struct tplg_reader *rd, int ret, const char *what)
{
	if (ret == -EILSEQ)
		return tplg_fail(p, rd->err_off, "%s at offset %zu is not NUL-terminated within %zu bytes",
				 what, rd->err_off, rd->err_need);
	return tplg_fail(p, rd->err_off, "%s truncated: needs %zu bytes at offset %zu, %zu left",
			 what, rd->err_need, rd->err_off, rd->err_have);
}

static size_t VADSP_PRINTF(3, 0) elem_vfmt(struct tplg_parse *p, size_t at, const char *fmt,
					   va_list ap)
{
	size_t old = strlen(p->elem);

	if (at < sizeof(p->elem))
		vsnprintf(p->elem + at, sizeof(p->elem) - at, fmt, ap);
	return old;
}

size_t tplg_elem_set(struct tplg_parse *p, const char *fmt, ...)
{
	va_list ap;
	size_t old;

	va_start(ap, fmt);
	old = elem_vfmt(p, 0, fmt, ap);
	va_end(ap);
	return old;
}

size_t tplg_elem_push(struct tplg_parse *p, const char *fmt, ...)
{
	va_list ap;
	size_t old;

	va_start(ap, fmt);
	old = elem_vfmt(p, strlen(p->elem), fmt, ap);
	va_end(ap);
	return old;
}

void tplg_elem_restore(struct tplg_parse *p, size_t len)
{
	if (len < sizeof(p->elem))
		p->elem[len] = '\0';
}

int tplg_reserve(void **arr, uint32_t *cap, uint32_t used, uint32_t extra, size_t size)
{
	uint64_t want = (uint64_t)used + extra;
	uint64_t ncap;
	void *n;

	if (want <= *cap)
		return 0;
	if (want > UINT32_MAX || want > SIZE_MAX / size)
		return -ENOMEM;
	ncap = VADSP_MAX(want, (uint64_t)*cap * 2);
	if (ncap > UINT32_MAX || ncap > SIZE_MAX / size)
		ncap = want;
	n = realloc(*arr, (size_t)ncap * size);
	if (!n)
		return -ENOMEM;
	memset((uint8_t *)n + (size_t)*cap * size, 0, (size_t)(ncap - *cap) * size);
	*arr = n;
	*cap = (uint32_t)ncap;
	return 0;
}

int tplg_check_count(struct tplg_parse *p, const struct tplg_reader *rd, uint64_t count,
		     size_t min_size, const char *what)
{
	if (count == 0 || count * min_size <= tplg_rd_left(rd))
		return 0;
	if (tplg_rd_left(rd) == 0)
		return tplg_fail(p, rd->pos, "count %llu %s but the payload is empty",
				 (unsigned long long)count, what);
	return tplg_fail(p, rd->pos,
			 "count %llu %s exceeds payload: needs at least %llu bytes, payload has %zu",
			 (unsigned long long)count, what, (unsigned long long)(count * min_size),
			 tplg_rd_left(rd));
}

int tplg_copy_str(struct tplg_parse *p, const char *src, size_t len, char *dst, size_t off,
		  const char *what)
{
	if (tplg_str_field(src, len, dst) < 0)
		return tplg_fail(p, off, "%s at offset %zu is not NUL-terminated within %zu bytes",
				 what, off, len);
	return 0;
}

static size_t tuple_elem_size(uint32_t type)
{
	switch (type) {
	case TPLG_TUPLE_UUID:
		return sizeof(struct tplg_wire_uuid_elem);
	case TPLG_TUPLE_STRING:
		return sizeof(struct tplg_wire_string_elem);
	default:
		return sizeof(struct tplg_wire_value_elem);
	}
}

/* Walk the vendor arrays of @data; count their tuples, or fill @out when it is set. */
static int walk_arrays(struct tplg_parse *p, struct tplg_reader rd, uint32_t *num_arrays,
		       uint32_t *num_tuples, struct tplg_tuple *out)
{
	uint32_t arrays = 0, tuples = 0;

	while (tplg_rd_left(&rd) > 0) {
		const struct tplg_wire_vendor_array *va;
		const uint8_t *raw;
		size_t at = rd.pos, es;
		uint32_t asize, type, n;
		int ret;

		ret = tplg_rd_bytes(&rd, sizeof(*va), &raw);
		if (ret < 0) {
			char what[48];

			snprintf(what, sizeof(what), "vendor array %u header", arrays);
			return tplg_fail_rd(p, &rd, ret, what);
		}
		va = (const void *)raw;
		asize = get_le32(&va->size);
		type = get_le32(&va->type);
		n = get_le32(&va->num_elems);
		if (type > TPLG_TUPLE_SHORT)
			return tplg_fail(p, at, "vendor array %u at offset %zu: unknown tuple type %u",
					 arrays, at, type);
		if (asize < sizeof(*va))
			return tplg_fail(p, at,
					 "vendor array %u at offset %zu: size %u is smaller than its 12-byte header",
					 arrays, at, asize);
		if (asize - sizeof(*va) > tplg_rd_left(&rd))
			return tplg_fail(p, at,
					 "vendor array %u at offset %zu: size %u exceeds the %zu bytes of private data left",
					 arrays, at, asize, tplg_rd_left(&rd) + sizeof(*va));
		es = tuple_elem_size(type);
		if ((uint64_t)n * es != asize - sizeof(*va))
			return tplg_fail(p, at,
					 "vendor array %u at offset %zu: num_elems %u of %s tuples (%zu bytes each) does not fill its size %u",
					 arrays, at, n, tplg_tuple_type_name(type), es, asize);
		for (uint32_t i = 0; i < n; i++) {
			size_t eoff = rd.pos;
			const uint8_t *e;

			ret = tplg_rd_bytes(&rd, es, &e);
			if (ret < 0)
				return tplg_fail_rd(p, &rd, ret, "vendor tuple");
			if (out) {
				struct tplg_tuple *t = &out[tuples];

				memset(t, 0, sizeof(*t));
				t->token = get_le32(e);
				t->type = (uint8_t)type;
				t->offset = (uint32_t)eoff;
				if (type == TPLG_TUPLE_UUID) {
					memcpy(t->uuid, e + 4, sizeof(t->uuid));
				} else if (type == TPLG_TUPLE_STRING) {
					if (tplg_str_field((const char *)e + 4, TPLG_NAME_LEN,
							   t->string) < 0)
						return tplg_fail(p, eoff,
								 "vendor array %u tuple %u (token %u) at offset %zu: string is not NUL-terminated within %d bytes",
								 arrays, i, t->token, eoff,
								 TPLG_NAME_LEN);
				} else {
					t->value = get_le32(e + 4);
				}
			}
			tuples++;
		}
		arrays++;
	}
	*num_arrays = arrays;
	*num_tuples = tuples;
	return 0;
}

int tplg_read_priv(struct tplg_parse *p, struct tplg_reader *rd, uint32_t size, size_t size_off,
		   bool tuples, struct tplg_priv *priv)
{
	struct tplg_reader sub;
	uint32_t arrays, n;
	int ret;

	if (size > tplg_rd_left(rd))
		return tplg_fail(p, size_off,
				 "private data size %u (at offset %zu) exceeds the %zu bytes left in the payload",
				 size, size_off, tplg_rd_left(rd));
	tplg_rd_sub(rd, size, &sub);
	priv->size = size;
	priv->offset = (uint32_t)sub.pos;
	priv->data = size ? p->t->data + sub.pos : NULL;
	if (!tuples || size == 0)
		return 0;

	ret = walk_arrays(p, sub, &arrays, &n, NULL);
	if (ret < 0)
		return ret;
	if (n) {
		priv->tuples = calloc(n, sizeof(*priv->tuples));
		if (!priv->tuples)
			return -ENOMEM;
	}
	ret = walk_arrays(p, sub, &arrays, &n, priv->tuples);
	if (ret < 0)
		return ret;
	priv->num_arrays = arrays;
	priv->num_tuples = n;
	return 0;
}

/*
 * The ABI 4 manifest is the ABI 5 one up to dai_link_elems; ABI 5 then adds dai_elems and
 * reserved words before the private data. The common part is read through the ABI 4 layout.
 */
_Static_assert(offsetof(struct tplg_wire_manifest, dai_link_elems) ==
	       offsetof(struct tplg_wire_manifest_v4, dai_link_elems), "manifest layouts");

static int parse_manifest(struct tplg_parse *p, struct tplg_reader *rd)
{
	struct tplg_manifest *m = &p->t->manifest;
	const struct tplg_wire_manifest_v4 *w;
	size_t at = rd->pos, psize_off;
	const uint8_t *raw;
	uint32_t size, psize;
	int ret;

	if (m->present)
		return tplg_fail(p, p->hdr->offset, "second manifest (the first is in block %u)",
				 m->block);
	if (p->hdr->count != 1)
		return tplg_fail(p, p->hdr->offset, "manifest block count %u, must be 1",
				 p->hdr->count);
	tplg_elem_set(p, "manifest: ");
	ret = tplg_rd_u32(rd, &size);
	if (ret < 0)
		return tplg_fail_rd(p, rd, ret, "size");
	rd->pos = at;

	if (size == sizeof(struct tplg_wire_manifest))
		m->layout_abi = TPLG_ABI_V5;
	else if (size == sizeof(struct tplg_wire_manifest_v4))
		m->layout_abi = TPLG_ABI_V4;
	else
		return tplg_fail(p, at, "size %u is neither %zu (ABI 5) nor %zu (ABI 4)", size,
				 sizeof(struct tplg_wire_manifest),
				 sizeof(struct tplg_wire_manifest_v4));
	ret = tplg_rd_bytes(rd, size, &raw);
	if (ret < 0)
		return tplg_fail_rd(p, rd, ret, m->layout_abi == TPLG_ABI_V5 ?
					 "manifest" : "manifest (ABI 4 layout)");
	w = (const void *)raw;
	m->control_elems = get_le32(&w->control_elems);
	m->widget_elems = get_le32(&w->widget_elems);
	m->graph_elems = get_le32(&w->graph_elems);
	m->pcm_elems = get_le32(&w->pcm_elems);
	m->dai_link_elems = get_le32(&w->dai_link_elems);
	if (m->layout_abi == TPLG_ABI_V5) {
		m->dai_elems = get_le32(raw + offsetof(struct tplg_wire_manifest, dai_elems));
		psize_off = offsetof(struct tplg_wire_manifest, priv);
	} else {
		psize_off = offsetof(struct tplg_wire_manifest_v4, priv);
	}
	psize = get_le32(raw + psize_off);
	ret = tplg_read_priv(p, rd, psize, at + psize_off, false, &m->priv);
	if (ret < 0)
		return ret;
	if (m->priv.size == 3) {
		m->has_sof_abi = true;
		m->sof_abi_major = m->priv.data[0];
		m->sof_abi_minor = m->priv.data[1];
		m->sof_abi_patch = m->priv.data[2];
	}
	m->present = true;
	m->block = (uint32_t)p->block;
	tplg_elem_set(p, "%s", "");
	return 0;
}

static bool opaque_block(uint32_t type)
{
	return type == TPLG_BLOCK_PDATA ||
	       (type >= TPLG_BLOCK_VENDOR_FW && type <= TPLG_BLOCK_VENDOR_CODEC);
}

static bool known_block(uint32_t type)
{
	return (type >= TPLG_BLOCK_MIXER && type <= TPLG_BLOCK_DAI) || opaque_block(type);
}

static int parse_payload(struct tplg_parse *p, struct tplg_reader *rd)
{
	switch (p->hdr->type) {
	case TPLG_BLOCK_MIXER:
	case TPLG_BLOCK_BYTES:
	case TPLG_BLOCK_ENUM:
		return tplg_parse_controls(p, rd);
	case TPLG_BLOCK_DAPM_GRAPH:
		return tplg_parse_graph(p, rd);
	case TPLG_BLOCK_DAPM_WIDGET:
		return tplg_parse_widgets(p, rd);
	case TPLG_BLOCK_DAI_LINK:
	case TPLG_BLOCK_CODEC_LINK:
	case TPLG_BLOCK_BACKEND_LINK:
		return tplg_parse_links(p, rd);
	case TPLG_BLOCK_PCM:
		return tplg_parse_pcms(p, rd);
	case TPLG_BLOCK_MANIFEST:
		return parse_manifest(p, rd);
	case TPLG_BLOCK_DAI:
		return tplg_parse_dais(p, rd);
	default:
		/* PDATA and vendor blocks: kept opaque in the block list. */
		rd->pos = rd->end;
		return 0;
	}
}

static int parse_block(struct tplg_parse *p, struct tplg_reader *rd, struct tplg_block *b)
{
	const struct tplg_wire_hdr *h;
	struct tplg_reader payload;
	const uint8_t *raw;
	uint32_t magic, hsize;
	int ret;

	b->offset = (uint32_t)rd->pos;
	ret = tplg_rd_bytes(rd, sizeof(*h), &raw);
	if (ret < 0) {
		snprintf(p->elem, sizeof(p->elem), "block %d at offset %u: ", p->block, b->offset);
		return tplg_fail_rd(p, rd, ret, "block header");
	}
	h = (const void *)raw;
	magic = get_le32(&h->magic);
	b->abi = get_le32(&h->abi);
	b->version = get_le32(&h->version);
	b->type = get_le32(&h->type);
	hsize = get_le32(&h->size);
	b->vendor_type = get_le32(&h->vendor_type);
	b->payload_size = get_le32(&h->payload_size);
	b->index = get_le32(&h->index);
	b->count = get_le32(&h->count);
	b->payload_offset = (uint32_t)rd->pos;

	if (magic != TPLG_MAGIC) {
		snprintf(p->elem, sizeof(p->elem), "block %d at offset %u: ", p->block, b->offset);
		if (magic == BIG_ENDIAN_MAGIC)
			return tplg_fail(p, b->offset, "big-endian topology files are not supported");
		return tplg_fail(p, b->offset, "bad magic 0x%08x (want 0x%08x)", magic, TPLG_MAGIC);
	}
	/* From here on the block is known well enough to be named in messages. */
	p->hdr = b;
	if (!known_block(b->type))
		return tplg_fail(p, b->offset + 12, "unknown block type %u", b->type);
	if (b->abi != TPLG_ABI_V4 && b->abi != TPLG_ABI_V5)
		return tplg_fail(p, b->offset + 4, "ASoC ABI %u is not supported (4 and 5 are)",
				 b->abi);
	if (hsize != sizeof(*h))
		return tplg_fail(p, b->offset + 16, "header size %u, must be %zu", hsize, sizeof(*h));
	if (b->payload_size > tplg_rd_left(rd))
		return tplg_fail(p, b->offset + 24,
				 "payload_size %u exceeds the %zu bytes left in the file",
				 b->payload_size, tplg_rd_left(rd));
	if (b->payload_size == 0 && b->count != 0)
		return tplg_fail(p, b->offset + 32, "count %u but the payload is empty", b->count);

	tplg_rd_sub(rd, b->payload_size, &payload);
	b->payload = b->payload_size ? p->t->data + payload.pos : NULL;
	ret = parse_payload(p, &payload);
	if (ret < 0)
		return ret;
	tplg_elem_set(p, "%s", "");
	if (tplg_rd_left(&payload) != 0)
		return tplg_fail(p, payload.pos, "%zu bytes left over after %u elements at offset %zu",
				 tplg_rd_left(&payload), b->count, payload.pos);
	return 0;
}

/* Point each widget at its controls, which sit together in t->kcontrols. */
static void link_kcontrols(struct tplg *t)
{
	for (uint32_t i = 0; i < t->num_kcontrols; i++) {
		struct tplg_kcontrol *k = &t->kcontrols[i];

		if (k->widget >= 0 && !t->widgets[k->widget].kcontrols)
			t->widgets[k->widget].kcontrols = k;
	}
}

static void count_priv(struct tplg *t, struct tplg_priv *priv)
{
	priv->num_unknown = 0;
	for (uint32_t i = 0; i < priv->num_tuples; i++)
		if (!priv->tuples[i].known)
			priv->num_unknown++;
	t->num_tuples += priv->num_tuples;
	t->num_unknown_tuples += priv->num_unknown;
}

static void count_tuples(struct tplg *t)
{
	for (uint32_t i = 0; i < t->num_widgets; i++)
		count_priv(t, &t->widgets[i].priv);
	for (uint32_t i = 0; i < t->num_kcontrols; i++)
		count_priv(t, &t->kcontrols[i].priv);
	for (uint32_t i = 0; i < t->num_pcms; i++)
		count_priv(t, &t->pcms[i].priv);
	for (uint32_t i = 0; i < t->num_links; i++)
		count_priv(t, &t->links[i].priv);
	for (uint32_t i = 0; i < t->num_dais; i++)
		count_priv(t, &t->dais[i].priv);
}

/*
 * The manifest's element counts must match what the blocks hold. The kernel does not check
 * them, but every real file agrees, and the check catches a file cut at a block boundary.
 */
static int check_manifest(struct tplg_parse *p)
{
	const struct tplg *t = p->t;
	const struct tplg_manifest *m = &t->manifest;
	const struct {
		const char *what;
		uint32_t declared;
		uint32_t found;
	} counts[] = {
		{ "controls", m->control_elems, t->num_kcontrols },
		{ "widgets", m->widget_elems, t->num_widgets },
		{ "routes", m->graph_elems, t->num_routes },
		{ "PCMs", m->pcm_elems, t->num_pcms },
		{ "DAI links", m->dai_link_elems, t->num_links },
		{ "DAIs", m->dai_elems, t->num_dais },
	};
	size_t n = VADSP_ARRAY_SIZE(counts);

	if (!m->present)
		return 0;
	/* ABI 4 manifests do not count DAIs. */
	if (m->layout_abi == TPLG_ABI_V4)
		n--;
	for (size_t i = 0; i < n; i++) {
		if (counts[i].declared == counts[i].found)
			continue;
		p->block = (int32_t)m->block;
		p->hdr = &t->blocks[m->block];
		tplg_elem_set(p, "manifest: ");
		return tplg_fail(p, p->hdr->payload_offset,
				 "declares %u %s but the file holds %u (truncated or inconsistent file)",
				 counts[i].declared, counts[i].what, counts[i].found);
	}
	return 0;
}

int tplg_parse(const void *data, size_t size, struct tplg **out, struct tplg_error *err)
{
	struct tplg_error dummy;
	struct tplg_parse p;
	struct tplg_reader rd;
	uint32_t cap_blocks = 0;
	struct tplg *t;
	int ret = 0;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	err->block = -1;
	memset(&p, 0, sizeof(p));
	p.err = err;
	p.block = -1;

	if (size > UINT32_MAX) {
		tplg_fail(&p, 0, "file of %zu bytes is too large", size);
		return -EINVAL;
	}
	if (size == 0) {
		tplg_fail(&p, 0, "empty file");
		return -EINVAL;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->data = malloc(size);
	if (!t->data) {
		free(t);
		return -ENOMEM;
	}
	memcpy(t->data, data, size);
	t->size = size;
	p.t = t;

	tplg_rd_init(&rd, t->data, size);
	while (tplg_rd_left(&rd) > 0) {
		/* A block takes at least its 36-byte header, which bounds the count. */
		ret = tplg_reserve((void **)&t->blocks, &cap_blocks, t->num_blocks, 1,
				   sizeof(*t->blocks));
		if (ret < 0)
			goto fail;
		p.block = (int32_t)t->num_blocks;
		p.hdr = NULL;
		p.elem[0] = '\0';
		ret = parse_block(&p, &rd, &t->blocks[t->num_blocks]);
		if (ret < 0)
			goto fail;
		t->num_blocks++;
	}
	p.block = -1;
	p.hdr = NULL;
	p.elem[0] = '\0';
	ret = check_manifest(&p);
	if (ret < 0)
		goto fail;
	ret = tplg_resolve_routes(&p);
	if (ret < 0)
		goto fail;
	link_kcontrols(t);
	count_tuples(t);
	*out = t;
	return 0;

fail:
	if (ret == -ENOMEM)
		snprintf(err->msg, sizeof(err->msg), "out of memory");
	tplg_free(t);
	return ret;
}

int tplg_load_file(const char *path, struct tplg **out, struct tplg_error *err)
{
	struct tplg_error dummy;
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	int fd, ret;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	err->block = -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err->msg, sizeof(err->msg), "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		snprintf(err->msg, sizeof(err->msg), "%s: %s", path, strerror(-ret));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		snprintf(err->msg, sizeof(err->msg), "%s: not a regular file", path);
		goto out;
	}
	if (st.st_size > (off_t)TPLG_MAX_FILE_SIZE) {
		ret = -EFBIG;
		snprintf(err->msg, sizeof(err->msg), "%s: %lld bytes, larger than the %u-byte limit",
			 path, (long long)st.st_size, TPLG_MAX_FILE_SIZE);
		goto out;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		ret = -ENOMEM;
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory for %lld bytes", path,
			 (long long)st.st_size);
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			snprintf(err->msg, sizeof(err->msg), "%s: %s", path, strerror(-ret));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	ret = tplg_parse(buf, got, out, err);
out:
	free(buf);
	close(fd);
	return ret;
}

void tplg_free(struct tplg *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < t->num_widgets; i++)
		free(t->widgets[i].priv.tuples);
	for (uint32_t i = 0; i < t->num_kcontrols; i++)
		free(t->kcontrols[i].priv.tuples);
	for (uint32_t i = 0; i < t->num_pcms; i++)
		free(t->pcms[i].priv.tuples);
	for (uint32_t i = 0; i < t->num_links; i++)
		free(t->links[i].priv.tuples);
	for (uint32_t i = 0; i < t->num_dais; i++)
		free(t->dais[i].priv.tuples);
	free(t->manifest.priv.tuples);
	free(t->blocks);
	free(t->widgets);
	free(t->kcontrols);
	free(t->routes);
	free(t->pcms);
	free(t->links);
	free(t->dais);
	free(t->data);
	free(t);
}

const char *tplg_block_type_name(uint32_t type)
{
	static const char *const names[] = {
		[TPLG_BLOCK_MIXER] = "MIXER",
		[TPLG_BLOCK_BYTES] = "BYTES",
		[TPLG_BLOCK_ENUM] = "ENUM",
		[TPLG_BLOCK_DAPM_GRAPH] = "DAPM_GRAPH",
		[TPLG_BLOCK_DAPM_WIDGET] = "DAPM_WIDGET",
		[TPLG_BLOCK_DAI_LINK] = "DAI_LINK",
		[TPLG_BLOCK_PCM] = "PCM",
		[TPLG_BLOCK_MANIFEST] = "MANIFEST",
		[TPLG_BLOCK_CODEC_LINK] = "CODEC_LINK",
		[TPLG_BLOCK_BACKEND_LINK] = "BACKEND_LINK",
		[TPLG_BLOCK_PDATA] = "PDATA",
		[TPLG_BLOCK_DAI] = "DAI",
	};
	static const char *const vendor[] = {
		"VENDOR_FW", "VENDOR_CONFIG", "VENDOR_COEFF", "VENDOR_CODEC",
	};

	if (type < VADSP_ARRAY_SIZE(names) && names[type])
		return names[type];
	if (type >= TPLG_BLOCK_VENDOR_FW && type <= TPLG_BLOCK_VENDOR_CODEC)
		return vendor[type - TPLG_BLOCK_VENDOR_FW];
	return "UNKNOWN";
}

const char *tplg_widget_type_name(uint32_t id)
{
	static const char *const names[] = {
		"input", "output", "mux", "mixer", "pga", "out_drv", "adc", "dac", "switch",
		"pre", "post", "aif_in", "aif_out", "dai_in", "dai_out", "dai_link", "buffer",
		"scheduler", "effect", "siggen", "src", "asrc", "encoder", "decoder",
	};

	_Static_assert(VADSP_ARRAY_SIZE(names) == TPLG_DAPM_LAST + 1, "widget names");
	return id < VADSP_ARRAY_SIZE(names) ? names[id] : "unknown";
}

const char *tplg_tuple_type_name(uint32_t type)
{
	static const char *const names[] = { "uuid", "string", "bool", "byte", "word", "short" };

	return type < VADSP_ARRAY_SIZE(names) ? names[type] : "unknown";
}

const char *tplg_ctl_info_name(uint32_t info)
{
	switch (info) {
	case TPLG_CTL_VOLSW:
		return "volsw";
	case TPLG_CTL_VOLSW_SX:
		return "volsw_sx";
	case TPLG_CTL_VOLSW_XR_SX:
		return "volsw_xr_sx";
	case TPLG_CTL_ENUM:
		return "enum";
	case TPLG_CTL_BYTES:
		return "bytes";
	case TPLG_CTL_ENUM_VALUE:
		return "enum_value";
	case TPLG_CTL_RANGE:
		return "range";
	case TPLG_CTL_STROBE:
		return "strobe";
	case TPLG_DAPM_CTL_VOLSW:
		return "dapm_volsw";
	case TPLG_DAPM_CTL_ENUM_DOUBLE:
		return "dapm_enum_double";
	case TPLG_DAPM_CTL_ENUM_VIRT:
		return "dapm_enum_virt";
	case TPLG_DAPM_CTL_ENUM_VALUE:
		return "dapm_enum_value";
	case TPLG_DAPM_CTL_PIN:
		return "dapm_pin";
	default:
		return "unknown";
	}
}
