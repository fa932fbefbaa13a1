/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proc_pid.c: what /proc says of a process now, and whether it is still
 * the process an event recorded (its start time).
 */
#ifndef OOMLENS_PROC_PID_H
#define OOMLENS_PROC_PID_H

#include <stdbool.h>
#include <stddef.h>

struct ol_proc_stat {
	unsigned long long flags; /* field 9 */
	unsigned long long start_ticks; /* field 22, clock ticks since boot */
	char comm[64];
};

/*
 * /proc/<pid>/<name>, whole, with a NUL after it; NULL when it cannot be
 * read.  *@len (if not NULL): the bytes read (a cmdline holds NULs).
 */
char *ol_proc_read(long long pid, const char *name, size_t *len);

/* /proc/<pid>/stat's comm, flags and starttime; false when gone. */
bool ol_proc_stat(long long pid, struct ol_proc_stat *st);

/* A start time of /proc/<pid>/stat (clock ticks) in ns, or -1. */
long long ol_proc_ticks_ns(unsigned long long ticks);

/*
 * Is the process @pid now the one that started at @start_ns (CLOCK_BOOTTIME
 * ns, an event's start_ns)?  /proc has the time in clock ticks: the same
 * when @start_ns falls in that tick.
 */
bool ol_proc_same(long long pid, long long start_ns);

/*
 * The command line of @pid, its arguments joined by spaces, when it is
 * still the process that started at @start_ns; NULL when it is gone, its
 * pid was reused, or it has none (a kernel thread, a zombie).  Free it.
 * Raw bytes: escape it for the terminal (ol_tty()).
 */
char *ol_proc_cmdline(long long pid, long long start_ns);

/* @pid's cgroup v2 path ("0::<path>" of /proc/<pid>/cgroup), or "". */
void ol_proc_cgroup(long long pid, char *buf, size_t len);

#endif
