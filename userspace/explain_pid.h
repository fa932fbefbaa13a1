/* SPDX-License-Identifier: GPL-2.0 */
/* explain_pid.c: why one pid was, or was not, an OOM event's victim. */
#ifndef OOMLENS_EXPLAIN_PID_H
#define OOMLENS_EXPLAIN_PID_H

#include <stdbool.h>

#include "parse_events.h"

int ol_explain_pid(const struct ol_event *ev, long long pid, bool live);

#endif
