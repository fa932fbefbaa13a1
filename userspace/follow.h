/* SPDX-License-Identifier: GPL-2.0 */
/*
 * follow.c: the events file read as a stream: every event it holds, then,
 * when asked, each new one as the module records it (poll()).
 */
#ifndef OOMLENS_FOLLOW_H
#define OOMLENS_FOLLOW_H

#include <stdbool.h>

#include "parse_events.h"

/*
 * Called once per event, in order; non-zero stops the stream with it.  NULL
 * when a follower found the module loaded again: a new load, whose
 * sequence numbers start again at 1.
 */
typedef int (*ol_event_fn)(const struct ol_event *ev, void *arg);

int ol_follow_events(bool follow, ol_event_fn fn, void *arg);

#endif
