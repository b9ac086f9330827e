// SPDX-License-Identifier: MIT
/*
 * `vadsp info SOCKET`: connect to a virtio-snd back-end as a guest and print the device it
 * presents: its configuration, jacks, streams (formats, rates, channels), channel maps and
 * controls with their current values.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "vadsp.h"
#include "guest/guest.h"
#include "util/compiler.h"

static void info_help(FILE *out)
{
	fputs("Usage: vadsp info [OPTION]... SOCKET\n"
	      "Connect to the vhost-user sound device at SOCKET (a vadspd guest socket) as a\n"
	      "guest and print what it presents: jacks, PCM streams with their formats, rates\n"
	      "and channels, channel maps, and controls with their current values.\n"
	      "\n"
	      "      --no-controls  do not acknowledge VIRTIO_SND_F_CTLS (print no controls)\n"
	      "  -h, --help         print this help and exit\n"
	      "\n"
	      "Exit status: 0 success, 1 failure, 2 usage error.\n", out);
}

static const char *dir_name(uint8_t direction)
{
	return direction == VIRTIO_SND_D_OUTPUT ? "playback" : "capture";
}

static void print_jacks(const struct vguest_card *c)
{
	printf("jacks: %u\n", c->num_jacks);
	for (uint32_t i = 0; i < c->num_jacks; i++) {
		const struct vguest_jack *j = &c->jacks[i];
		unsigned int device = (j->defconf >> 20) & 0xf;

		printf("  %u: nid %u, %s, %s, defconf 0x%08x, caps 0x%08x%s\n", i, j->nid,
		       device == 0x0 ? "line out" : device == 0x8 ? "line in" : "other device",
		       j->connected ? "connected" : "disconnected", j->defconf, j->caps,
		       j->features & (1u << VIRTIO_SND_JACK_F_REMAP) ? ", remappable" : "");
	}
}

static void print_streams(const struct vguest_card *c)
{
	printf("streams: %u\n", c->num_streams);
	for (uint32_t i = 0; i < c->num_streams; i++) {
		const struct vguest_stream *s = &c->streams[i];

		printf("  %u: nid %u, %s, channels %u..%u\n", i, s->nid, dir_name(s->direction),
		       s->channels_min, s->channels_max);
		printf("     formats:");
		for (unsigned int f = 0; f < VIRTIO_SND_PCM_FMT_COUNT; f++)
			if (s->formats & (1ull << f))
				printf(" %s", vguest_format_name((uint8_t)f));
		printf("\n     rates:");
		for (unsigned int r = 0; r < VIRTIO_SND_PCM_RATE_COUNT; r++)
			if (s->rates & (1ull << r))
				printf(" %u", vguest_rate_hz((uint8_t)r));
		printf("\n     features:%s%s\n",
		       s->features & (1u << VIRTIO_SND_PCM_F_EVT_XRUNS) ? " EVT_XRUNS" : "",
		       s->features ? "" : " none");
	}
}

static void print_chmaps(const struct vguest_card *c)
{
	printf("channel maps: %u\n", c->num_chmaps);
	for (uint32_t i = 0; i < c->num_chmaps; i++) {
		const struct vguest_chmap *m = &c->chmaps[i];

		printf("  %u: nid %u, %s, %u channels:", i, m->nid, dir_name(m->direction),
		       m->channels);
		for (unsigned int k = 0; k < m->channels && k < VIRTIO_SND_CHMAP_MAX_SIZE; k++)
			printf(" %s", vguest_chmap_position_name(m->positions[k]));
		printf("\n");
	}
}

static void print_access(uint32_t access)
{
	static const char *const names[] = {
		"read", "write", "volatile", "inactive", "tlv-read", "tlv-write", "tlv-command",
	};
	const char *sep = "";

	for (unsigned int b = 0; b < VADSP_ARRAY_SIZE(names); b++) {
		if (access & (1u << b)) {
			printf("%s%s", sep, names[b]);
			sep = ",";
		}
	}
}

static void print_control(struct vguest *g, uint32_t i)
{
	const struct vguest_ctl *c = &vguest_card(g)->controls[i];
	struct vguest_ctl_value v;
	int32_t db_min, db_step;
	bool mute;
	int ret;

	printf("  %u: '%s' index %u, %s %s, %u value%s, ", i, c->name, c->index,
	       vguest_ctl_type_name(c->type), vguest_ctl_role_name(c->role), c->count,
	       c->count == 1 ? "" : "s");
	print_access(c->access);
	printf("\n");
	if (c->type == VIRTIO_SND_CTL_TYPE_INTEGER || c->type == VIRTIO_SND_CTL_TYPE_INTEGER64)
		printf("     range %lld..%lld step %lld\n", (long long)c->min, (long long)c->max,
		       (long long)c->step);
	if (c->type == VIRTIO_SND_CTL_TYPE_ENUMERATED) {
		printf("     items:");
		for (uint32_t k = 0; k < c->items; k++)
			printf(" '%s'", c->item_names[k]);
		printf("\n");
	}
	if (vguest_ctl_db_scale(g, i, &db_min, &db_step, &mute) == 0)
		printf("     dB scale: %.2f dB at the minimum, %.2f dB per step%s\n",
		       db_min / 100.0, db_step / 100.0, mute ? ", the minimum mutes" : "");
	if (!(c->access & (1u << VIRTIO_SND_CTL_ACCESS_READ)))
		return;
	ret = vguest_ctl_read(g, i, &v);
	if (ret < 0) {
		printf("     value: cannot read (%s)\n", strerror(-ret));
		return;
	}
	printf("     value:");
	if (c->type == VIRTIO_SND_CTL_TYPE_BYTES) {
		unsigned int n = VADSP_MIN(c->count, 16u);

		for (unsigned int k = 0; k < n; k++)
			printf(" %02x", v.bytes[k]);
		printf("%s\n", c->count > n ? " ..." : "");
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

static int info_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-controls", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vguest_options opts = { 0 };
	const struct vguest_card *c;
	struct vguest *g;
	int ch, ret;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			opts.no_controls = true;
			break;
		case 'h':
			info_help(stdout);
			return VADSP_EXIT_OK;
		default:
			fprintf(stderr, "vadsp info: unknown option '%s' (see --help)\n",
				argv[optind - 1]);
			return VADSP_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "vadsp info: give one SOCKET (see --help)\n");
		return VADSP_EXIT_USAGE;
	}
	ret = vguest_connect(&g, argv[optind], &opts);
	if (ret < 0) {
		fprintf(stderr, "vadsp info: %s: %s\n", argv[optind], strerror(-ret));
		return VADSP_EXIT_FAIL;
	}
	c = vguest_card(g);
	printf("device: %u jacks, %u streams, %u channel maps, %u controls%s\n", c->num_jacks,
	       c->num_streams, c->num_chmaps, c->num_controls,
	       c->controls_negotiated ? "" : " (VIRTIO_SND_F_CTLS not negotiated)");
	print_jacks(c);
	print_streams(c);
	print_chmaps(c);
	printf("controls: %u\n", c->num_controls);
	for (uint32_t i = 0; i < c->num_controls; i++)
		print_control(g, i);
	vguest_close(g);
	return VADSP_EXIT_OK;
}

const struct vadsp_cmd vadsp_cmd_info = {
	.name = "info",
	.summary = "print the sound device a vadspd guest socket presents",
	.run = info_run,
	.help = info_help,
};
