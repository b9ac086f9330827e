// SPDX-License-Identifier: MIT
/*
 * DAPM widgets and the DAPM graph.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tplg/parse.h"
#include "util/le.h"

/* The smallest control on the wire (bytes), which bounds num_kcontrols. */
#define MIN_CONTROL_SIZE	sizeof(struct tplg_wire_bytes_control)

static int parse_widget(struct tplg_parse *p, struct tplg_reader *rd, uint32_t n)
{
	struct tplg *t = p->t;
	const struct tplg_wire_widget *w;
	struct tplg_widget *wd;
	const uint8_t *raw;
	size_t off = rd->pos;
	uint32_t size, psize, widx;
	int ret;

	tplg_elem_set(p, "widget %u: ", n);
	ret = tplg_rd_bytes(rd, sizeof(*w), &raw);
	if (ret < 0)
		return tplg_fail_rd(p, rd, ret, "widget");
	w = (const void *)raw;
	size = get_le32(&w->size);
	if (size != sizeof(*w))
		return tplg_fail(p, off, "size %u, must be %zu", size, sizeof(*w));

	ret = tplg_reserve((void **)&t->widgets, &p->cap_widgets, t->num_widgets, 1,
			   sizeof(*t->widgets));
	if (ret < 0)
		return ret;
	widx = t->num_widgets++;
	wd = &t->widgets[widx];
	wd->index = p->hdr->index;
	wd->block = (uint32_t)p->block;
	wd->offset = (uint32_t)off;

	ret = tplg_copy_str(p, w->name, TPLG_NAME_LEN, wd->name,
			    off + offsetof(struct tplg_wire_widget, name), "name");
	if (ret < 0)
		return ret;
	tplg_elem_set(p, "widget %u '%s': ", n, wd->name);
	ret = tplg_copy_str(p, w->sname, TPLG_NAME_LEN, wd->sname,
			    off + offsetof(struct tplg_wire_widget, sname), "sname");
	if (ret < 0)
		return ret;
	wd->id = get_le32(&w->id);
	if (wd->id > TPLG_DAPM_LAST)
		return tplg_fail(p, off + offsetof(struct tplg_wire_widget, id),
				 "unknown widget type id %u", wd->id);
	wd->reg = get_le32(&w->reg);
	wd->shift = get_le32(&w->shift);
	wd->mask = get_le32(&w->mask);
	wd->subseq = get_le32(&w->subseq);
	wd->invert = get_le32(&w->invert);
	wd->ignore_suspend = get_le32(&w->ignore_suspend);
	wd->event_flags = get_le16(&w->event_flags);
	wd->event_type = get_le16(&w->event_type);
	wd->num_kcontrols = get_le32(&w->num_kcontrols);
	psize = get_le32(&w->priv.size);

	ret = tplg_read_priv(p, rd, psize, off + offsetof(struct tplg_wire_widget, priv), true,
			     &wd->priv);
	if (ret < 0)
		return ret;
	ret = tplg_widget_tokens_load(&wd->priv, &wd->tokens);
	if (ret < 0)
		return tplg_fail(p, wd->priv.offset, "tokens could not be loaded");

	if ((uint64_t)wd->num_kcontrols * MIN_CONTROL_SIZE > tplg_rd_left(rd))
		return tplg_fail(p, off + offsetof(struct tplg_wire_widget, num_kcontrols),
				 "num_kcontrols %u exceeds payload (%zu bytes left at offset %zu, a control takes at least %zu)",
				 wd->num_kcontrols, tplg_rd_left(rd), rd->pos, MIN_CONTROL_SIZE);
	for (uint32_t k = 0; k < wd->num_kcontrols; k++) {
		size_t len = tplg_elem_push(p, "kcontrol %u ", k);

		ret = tplg_parse_kcontrol(p, rd, (int32_t)widx, 0);
		if (ret < 0)
			return ret;
		tplg_elem_restore(p, len);
	}
	return 0;
}

int tplg_parse_widgets(struct tplg_parse *p, struct tplg_reader *rd)
{
	uint32_t count = p->hdr->count;
	int ret;

	ret = tplg_check_count(p, rd, count, sizeof(struct tplg_wire_widget), "widgets");
	if (ret < 0)
		return ret;
	for (uint32_t i = 0; i < count; i++) {
		ret = parse_widget(p, rd, i);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int tplg_parse_graph(struct tplg_parse *p, struct tplg_reader *rd)
{
	struct tplg *t = p->t;
	uint32_t count = p->hdr->count;
	int ret;

	ret = tplg_check_count(p, rd, count, sizeof(struct tplg_wire_graph_elem), "routes");
	if (ret < 0)
		return ret;
	ret = tplg_reserve((void **)&t->routes, &p->cap_routes, t->num_routes, count,
			   sizeof(*t->routes));
	if (ret < 0)
		return ret;
	for (uint32_t i = 0; i < count; i++) {
		const struct tplg_wire_graph_elem *g;
		struct tplg_route *r;
		const uint8_t *raw;
		size_t off = rd->pos;

		tplg_elem_set(p, "route %u: ", i);
		ret = tplg_rd_bytes(rd, sizeof(*g), &raw);
		if (ret < 0)
			return tplg_fail_rd(p, rd, ret, "route");
		g = (const void *)raw;
		r = &t->routes[t->num_routes++];
		r->index = p->hdr->index;
		r->block = (uint32_t)p->block;
		r->offset = (uint32_t)off;
		ret = tplg_copy_str(p, g->sink, TPLG_NAME_LEN, r->sink,
				    off + offsetof(struct tplg_wire_graph_elem, sink), "sink");
		if (ret == 0)
			ret = tplg_copy_str(p, g->control, TPLG_NAME_LEN, r->control,
					    off + offsetof(struct tplg_wire_graph_elem, control),
					    "control");
		if (ret == 0)
			ret = tplg_copy_str(p, g->source, TPLG_NAME_LEN, r->source,
					    off + offsetof(struct tplg_wire_graph_elem, source),
					    "source");
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Order widget indexes by name, then load order, for route lookups (qsort_r comparator). */
static int cmp_widget(const void *a, const void *b, void *arg)
{
	const struct tplg *t = arg;
	uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
	int c = strcmp(t->widgets[ia].name, t->widgets[ib].name);

	if (c)
		return c;
	return (ia > ib) - (ia < ib);
}

static int find_sorted(const struct tplg *t, const uint32_t *order, const char *name,
		       uint32_t index)
{
	size_t lo = 0, hi = t->num_widgets;
	int first = -ENOENT;

	/* Lower bound of @name. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(t->widgets[order[mid]].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < t->num_widgets; i++) {
		const struct tplg_widget *w = &t->widgets[order[i]];

		if (strcmp(w->name, name) != 0)
			break;
		if (w->index == index)
			return (int)order[i];
		if (first < 0)
			first = (int)order[i];
	}
	return first;
}

int tplg_find_widget(const struct tplg *t, const char *name, uint32_t index)
{
	int first = -ENOENT;

	for (uint32_t i = 0; i < t->num_widgets; i++) {
		if (strcmp(t->widgets[i].name, name) != 0)
			continue;
		if (t->widgets[i].index == index)
			return (int)i;
		if (first < 0)
			first = (int)i;
	}
	return first;
}

static int route_fail(struct tplg_parse *p, const struct tplg_route *r, uint32_t n,
		      const char *end, const char *name)
{
	const struct tplg_block *b = &p->t->blocks[r->block];

	p->hdr = b;
	p->block = (int32_t)r->block;
	tplg_elem_set(p, "route %u at offset %u: ", n, r->offset);
	return tplg_fail(p, r->offset, "%s '%s' names no widget", end, name);
}

int tplg_resolve_routes(struct tplg_parse *p)
{
	const struct tplg *t = p->t;
	uint32_t *order;
	int ret = 0;

	if (t->num_routes == 0)
		return 0;
	order = malloc(sizeof(*order) * (t->num_widgets ? t->num_widgets : 1));
	if (!order)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->num_widgets; i++)
		order[i] = i;
	qsort_r(order, t->num_widgets, sizeof(*order), cmp_widget, (void *)t);

	for (uint32_t i = 0, n = 0; i < t->num_routes; i++, n++) {
		struct tplg_route *r = &t->routes[i];
		int sink, source;

		/* Number routes within their block, as the parse messages do. */
		if (i > 0 && t->routes[i - 1].block != r->block)
			n = 0;
		sink = find_sorted(t, order, r->sink, r->index);
		if (sink < 0) {
			ret = route_fail(p, r, n, "sink", r->sink);
			break;
		}
		source = find_sorted(t, order, r->source, r->index);
		if (source < 0) {
			ret = route_fail(p, r, n, "source", r->source);
			break;
		}
		r->sink_widget = (uint32_t)sink;
		r->source_widget = (uint32_t)source;
	}
	free(order);
	return ret;
}
