/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Following the "events" file as a reader would: poll() it, read to its
 * end, parse the whole blocks with the reader's own parser and keep a
 * partial block for the next round.  For the storm tests' concurrent
 * readers, which then check what they got.
 */
#ifndef OOMLENS_EVENTS_FOLLOW_H
#define OOMLENS_EVENTS_FOLLOW_H

#include <stddef.h>

#include "parse_events.h"

struct olt_follow {
	int fd;
	char *buf;
	size_t len, cap;
	int line; /* the file's line number of buf[0] */
	long reads; /* read() calls that returned data */
	long wakeups; /* poll() returns with the file readable */
};

/* Open the events file; 0 or -1. */
int olt_follow_open(struct olt_follow *f);

/*
 * Wait (poll(), 2 s at most) for the events file or @stop to be readable,
 * read the file to its end and parse the whole blocks into @evs, to be
 * freed with ol_events_free().  Returns 1 when @stop was readable (the
 * caller's last round: what was written before it has been read), 0 for
 * another round, -1 with @err set when the blocks do not parse (@evs
 * then holds nothing).
 */
int olt_follow_next(struct olt_follow *f, int stop, struct ol_events *evs,
		    char *err, size_t errlen);

void olt_follow_close(struct olt_follow *f);

#endif
