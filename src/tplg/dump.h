/* SPDX-License-Identifier: MIT */
/*
 * Human-readable and JSON dumps of a parsed topology (`vadsp tplg dump`).
 */
#ifndef VADSP_TPLG_DUMP_H
#define VADSP_TPLG_DUMP_H

#include <stdio.h>

#include "tplg/tplg.h"

/**
 * tplg_dump_text() - print a topology for people
 * @f: output
 * @t: topology
 *
 * Prints the manifest, the block list, widgets with their tokens (typed groups and every
 * raw tuple, unknown ones marked) and controls, routes, PCMs, links and DAIs.
 *
 * Return: 0, or -EIO if writing failed.
 */
int tplg_dump_text(FILE *f, const struct tplg *t);

/**
 * tplg_dump_json() - print a topology as one JSON object
 * @f: output
 * @t: topology
 *
 * The output is plain ASCII: bytes outside printable ASCII in names are escaped as
 * \u00XX, so it is valid JSON whatever the file holds.
 *
 * Return: 0, or -EIO if writing failed.
 */
int tplg_dump_json(FILE *f, const struct tplg *t);

#endif /* VADSP_TPLG_DUMP_H */
