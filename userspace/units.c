// SPDX-License-Identifier: GPL-2.0
/*
 * Sizes for people, in binary units.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

const char *ol_event_time(const char *time_real, const char *time_boot_ns)
{
	static char out[96];
	char when[64] = "-", boot[32] = "[-]", *end;
	unsigned long long ns;
	struct tm tm;
	time_t sec;
	long us = 0;

	sec = (time_t)strtoll(time_real, &end, 10);
	if (end != time_real && (*end == '.' || !*end)) {
		if (*end == '.')
			us = strtol(end + 1, NULL, 10) / 1000;
		if (localtime_r(&sec, &tm)) {
			size_t n = strftime(when, sizeof(when),
					    "%Y-%m-%dT%H:%M:%S", &tm);

			long off = tm.tm_gmtoff;

			/* RFC 3339's offset: +hh:mm, not strftime's +hhmm. */
			snprintf(when + n, sizeof(when) - n,
				 ".%06ld%c%02ld:%02ld", us, off < 0 ? '-' : '+',
				 labs(off) / 3600, labs(off) % 3600 / 60);
		}
	}
	ns = strtoull(time_boot_ns, &end, 10);
	if (end != time_boot_ns && !*end)
		snprintf(boot, sizeof(boot), "[%5llu.%06llu]",
			 ns / 1000000000ULL, ns % 1000000000ULL / 1000);
	snprintf(out, sizeof(out), "%s %s", when, boot);
	return out;
}
