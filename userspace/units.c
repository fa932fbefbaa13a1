// SPDX-License-Identifier: GPL-2.0
/*
 * Sizes for people, in binary units.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A size: decimal bytes, or with a K, M, G or T suffix (x1024; "KiB" ok). */
int ol_parse_size(const char *s, unsigned long long *out)
{
	static const char suffixes[] = "KMGT";
	unsigned long long v, mul = 1;
	const char *u;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end) {
		/* A letter only: a space & ~0x20 is NUL, which strchr() finds. */
		if (!isalpha((unsigned char)end[0]))
			return -1;
		u = strchr(suffixes, end[0] & ~0x20);
		if (!u)
			return -1;
		mul = 1ULL << (10 * (u - suffixes + 1));
		end++;
		if (!strcmp(end, "iB") || !strcmp(end, "B"))
			end += strlen(end);
	}
	if (*end || (v && mul > ~0ULL / v))
		return -1;
	*out = v * mul;
	return 0;
}
