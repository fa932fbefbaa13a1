// SPDX-License-Identifier: GPL-2.0
/*
 * Sizes for people, in binary units.
 */
#include <stdio.h>

#include "units.h"

#define RING 16

const char *ol_human(long long bytes)
{
	static const char *const unit[] = { "B",   "KiB", "MiB", "GiB",
					    "TiB", "PiB", "EiB" };
	static char ring[RING][32];
	static unsigned int next;
	char *buf = ring[next++ % RING];
	double v = bytes < 0 ? -(double)bytes : (double)bytes;
	int u = 0;

	if (!bytes) {
		snprintf(buf, sizeof(ring[0]), "0");
		return buf;
	}
	while (v >= 1024 && u < 6) {
		v /= 1024;
		u++;
	}
	snprintf(buf, sizeof(ring[0]), "%s%.*f %s", bytes < 0 ? "-" : "",
		 v < 10 && u ? 1 : 0, v, unit[u]);
	return buf;
}
