/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the tplg tests: where the real topology files are, and reading one.
 */
#ifndef VADSP_TESTS_TEST_TPLG_UTIL_H
#define VADSP_TESTS_TEST_TPLG_UTIL_H

#include <stdio.h>
#include <stdlib.h>

/* Debian firmware-sof-signed 2.2.4 installs this many topology files here. */
#define SOF_TPLG_DIR		"/lib/firmware/intel/sof-tplg"
#define SOF_TPLG_COUNT		268
#define WM8960			SOF_TPLG_DIR "/sof-imx8-wm8960.tplg"

static inline const char *sof_tplg_dir(void)
{
	const char *dir = getenv("VADSP_SOF_TPLG_DIR");

	return dir && dir[0] ? dir : SOF_TPLG_DIR;
}

/* Read a whole file; aborts the test program with a hint if it is missing. */
static inline unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f) {
		fprintf(stderr, "%s is missing: run scripts/install-deps (firmware-sof-signed)\n",
			path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		exit(1);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

#endif /* VADSP_TESTS_TEST_TPLG_UTIL_H */
