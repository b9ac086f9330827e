// SPDX-License-Identifier: MIT
/*
 * `vadsp ctl SOCKET [NAME [VALUE...]]`: list, read or write the controls of a virtio-snd
 * device as its guest does (CTL_INFO, CTL_READ, CTL_WRITE over the control queue).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vadsp.h"
#include "guest/guest.h"
#include "util/compiler.h"

static void ctl_help(FILE *out)
{
	fputs("Usage: vadsp ctl [OPTION]... SOCKET [NAME [VALUE...]]\n"
	      "List, read or write the controls of the vhost-user sound device at SOCKET, as\n"
	      "its guest (the device must offer VIRTIO_SND_F_CTLS: vadspd --controls, or\n"
	      "controls = yes in the guest's configuration).\n"
	      "\n"
	      "  SOCKET                 list every control with its value\n"
	      "  SOCKET NAME            print control NAME (a name, or a control id)\n"
	      "  SOCKET NAME VALUE...   write it, then print it: one value sets every channel,\n"
	      "                         or give one per channel; a switch takes on/off, yes/no,\n"
	      "                         true/false or 1/0; an enumeration an item name or index\n"
	      "\n"
	      "  -i, --index=N   the element index among controls of the same name (default 0)\n"
	      "  -h, --help      print this help and exit\n"
	      "\n"
	      "Exit status: 0 success, 1 failure (no such control, a value the device refused),\n"
	      "2 usage error.\n", out);
}

static int parse_long(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return (errno || end == s || *end) ? -EINVAL : 0;
}

static void print_value(struct vguest *g, uint32_t id)
{
	const struct vguest_ctl *c = &vguest_card(g)->controls[id];
	struct vguest_ctl_value v;
	int ret;

	printf("%u: '%s'", id, c->name);
	if (c->index)
		printf(" index %u", c->index);
	printf(" (%s", vguest_ctl_type_name(c->type));
	if (c->type == VIRTIO_SND_CTL_TYPE_INTEGER)
		printf(" %lld..%lld", (long long)c->min, (long long)c->max);
	printf("):");
	if (!(c->access & (1u << VIRTIO_SND_CTL_ACCESS_READ))) {
		printf(" (write-only)\n");
		return;
	}
	ret = vguest_ctl_read(g, id, &v);
	if (ret < 0) {
		printf(" (cannot read: %s)\n", strerror(-ret));
		return;
	}
	if (c->type == VIRTIO_SND_CTL_TYPE_BYTES) {
		printf(" %u bytes\n", c->count);
		return;
	}
	for (uint32_t k = 0; k < c->count && k < VADSP_ARRAY_SIZE(v.values); k++) {
		if (c->type == VIRTIO_SND_CTL_TYPE_BOOLEAN)
			printf(" %s", v.values[k] ? "on" : "off");
		else if (c->type == VIRTIO_SND_CTL_TYPE_ENUMERATED && v.values[k] >= 0 &&
			 (uint32_t)v.values[k] < c->items)
			printf(" '%s'", c->item_names[v.values[k]]);
		else
			printf(" %d", v.values[k]);
	}
	printf("\n");
}

/* One VALUE argument for control @c. */
static int parse_value(const struct vguest_ctl *c, const char *s, int32_t *out)
{
	static const char *const on[] = { "on", "yes", "true", "1" };
	static const char *const off[] = { "off", "no", "false", "0" };
	long v;

	switch (c->type) {
	case VIRTIO_SND_CTL_TYPE_BOOLEAN:
		for (size_t i = 0; i < VADSP_ARRAY_SIZE(on); i++) {
			if (!strcasecmp(s, on[i])) {
				*out = 1;
				return 0;
			}
			if (!strcasecmp(s, off[i])) {
				*out = 0;
				return 0;
			}
		}
		fprintf(stderr, "vadsp ctl: '%s' is a switch: give on or off, not '%s'\n", c->name,
			s);
		return -EINVAL;
	case VIRTIO_SND_CTL_TYPE_ENUMERATED:
		for (uint32_t k = 0; k < c->items; k++) {
			if (!strcmp(c->item_names[k], s)) {
				*out = (int32_t)k;
				return 0;
			}
		}
		if (parse_long(s, &v) == 0 && v >= 0 && (uint64_t)v < c->items) {
			*out = (int32_t)v;
			return 0;
		}
		fprintf(stderr, "vadsp ctl: '%s' has no item '%s'\n", c->name, s);
		return -EINVAL;
	case VIRTIO_SND_CTL_TYPE_INTEGER:
		if (parse_long(s, &v) < 0 || v < c->min || v > c->max) {
			fprintf(stderr, "vadsp ctl: '%s' takes a whole number from %lld to %lld, "
				"not '%s'\n", c->name, (long long)c->min, (long long)c->max, s);
			return -EINVAL;
		}
		*out = (int32_t)v;
		return 0;
	default:
		return -EOPNOTSUPP;	/* write_control() let only the three kinds through */
	}
}

static int write_control(struct vguest *g, uint32_t id, char **values, int n)
{
	const struct vguest_ctl *c = &vguest_card(g)->controls[id];
	struct vguest_ctl_value v;
	int ret;

	if (c->type != VIRTIO_SND_CTL_TYPE_BOOLEAN && c->type != VIRTIO_SND_CTL_TYPE_INTEGER &&
	    c->type != VIRTIO_SND_CTL_TYPE_ENUMERATED) {
		fprintf(stderr, "vadsp ctl: '%s' is a %s control: vadsp ctl writes switches, "
			"numbers and enumerations only\n", c->name, vguest_ctl_type_name(c->type));
		return VADSP_EXIT_USAGE;
	}
	if (c->count > VADSP_ARRAY_SIZE(v.values) || (n != 1 && (uint32_t)n != c->count)) {
		fprintf(stderr, "vadsp ctl: '%s' has %u value%s: give 1 (for all) or %u\n",
			c->name, c->count, c->count == 1 ? "" : "s", c->count);
		return VADSP_EXIT_USAGE;
	}
	memset(&v, 0, sizeof(v));
	for (uint32_t k = 0; k < c->count; k++)
		if (parse_value(c, values[n == 1 ? 0 : k], &v.values[k]) < 0)
			return VADSP_EXIT_USAGE;
	ret = vguest_ctl_write(g, id, &v);
	if (ret < 0) {
		fprintf(stderr, "vadsp ctl: the device refused the value of '%s': %s\n", c->name,
			strerror(-ret));
		return VADSP_EXIT_FAIL;
	}
	return VADSP_EXIT_OK;
}

static int find_control(struct vguest *g, const char *name, uint32_t index)
{
	const struct vguest_card *c = vguest_card(g);
	int id = vguest_ctl_find(g, name, index);
	long v;

	if (id >= 0)
		return id;
	if (parse_long(name, &v) == 0 && v >= 0 && (uint64_t)v < c->num_controls)
		return (int)v;
	fprintf(stderr, "vadsp ctl: no control '%s' index %u (vadsp ctl SOCKET lists them)\n",
		name, index);
	return -ENOENT;
}

static int ctl_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct vguest_card *card;
	struct vguest *g;
	uint32_t index = 0;
	int ch, ret, id;
	long v;

	optind = 1;
	opterr = 0;
	/* "+": stop at the first argument, so that negative VALUEs are not options. */
	while ((ch = getopt_long(argc, argv, "+:i:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			if (parse_long(optarg, &v) < 0 || v < 0 || v > INT32_MAX) {
				fprintf(stderr, "vadsp ctl: --index: '%s' is not an index\n",
					optarg);
				return VADSP_EXIT_USAGE;
			}
			index = (uint32_t)v;
			break;
		case 'h':
			ctl_help(stdout);
			return VADSP_EXIT_OK;
		case ':':
			fprintf(stderr, "vadsp ctl: option '%s' needs a value\n", argv[optind - 1]);
			return VADSP_EXIT_USAGE;
		default:
			fprintf(stderr, "vadsp ctl: unknown option '%s' (see --help)\n",
				argv[optind - 1]);
			return VADSP_EXIT_USAGE;
		}
	}
	if (argc - optind < 1) {
		fprintf(stderr, "vadsp ctl: give the SOCKET (see --help)\n");
		return VADSP_EXIT_USAGE;
	}
	ret = vguest_connect(&g, argv[optind], NULL);
	if (ret < 0) {
		fprintf(stderr, "vadsp ctl: %s: %s\n", argv[optind], strerror(-ret));
		return VADSP_EXIT_FAIL;
	}
	card = vguest_card(g);
	ret = VADSP_EXIT_OK;
	if (!card->controls_negotiated) {
		fprintf(stderr, "vadsp ctl: the device offers no controls (VIRTIO_SND_F_CTLS): "
			"start vadspd with --controls, or controls = yes for the guest\n");
		ret = VADSP_EXIT_FAIL;
	} else if (argc - optind == 1) {
		for (uint32_t i = 0; i < card->num_controls; i++)
			print_value(g, i);
	} else {
		id = find_control(g, argv[optind + 1], index);
		if (id < 0)
			ret = VADSP_EXIT_FAIL;
		else if (argc - optind > 2)
			ret = write_control(g, (uint32_t)id, argv + optind + 2, argc - optind - 2);
		if (ret == VADSP_EXIT_OK)
			print_value(g, (uint32_t)id);
	}
	vguest_close(g);
	return ret;
}

const struct vadsp_cmd vadsp_cmd_ctl = {
	.name = "ctl",
	.summary = "list, read or write a vadspd guest's controls, as the guest",
	.run = ctl_run,
	.help = ctl_help,
};
