/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own count of out_of_memory() calls, with or without a
 * victim: a kprobe event of the kernel's tracing (tracefs kprobe_events) on
 * out_of_memory.  Its hit count (kprobe_profile) counts every call; its
 * trace records oc->memcg, which splits the calls into global and memcg.
 * The kernel's OOM report ("invoked oom-killer") is printed only by calls
 * that kill, and /proc/vmstat oom_kill counts kills only.
 */
#ifndef OOMLENS_OOM_CALLS_H
#define OOMLENS_OOM_CALLS_H

/* Create and enable the event, trace emptied; 0 or -1 (no tracefs). */
int olt_oom_calls_start(void);
/* Disable and remove it. */
void olt_oom_calls_stop(void);
/* Calls since olt_oom_calls_start(), or -1. */
long long olt_oom_calls_hits(void);
/* Empty the trace: olt_oom_calls_split() counts from here on. */
void olt_oom_calls_clear(void);
/* The traced calls since the last clear, by oc->memcg: NULL or not. */
void olt_oom_calls_split(long long *global, long long *memcg);

#endif
