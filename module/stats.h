/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats.c: the module's counters, a leaf that depends on nothing else of
 * the module.  Each counter has an id and an ABI name; components write them
 * only through the functions below (atomics: any context, NMI included) and
 * the "stats" presenter (stats_file.c) reads them.
 */
#ifndef OOMLENS_STATS_H
#define OOMLENS_STATS_H

#include <linux/types.h>

struct seq_file;

enum oomlens_stat {
	OOMLENS_ST_NOTIFIER_CALLS, /* notifier.c */
	OOMLENS_ST_OOM_INVOCATIONS, /* notifier.c, probes.c */
	OOMLENS_ST_EVENTS_MISSED, /* events.c, notifier.c, probes.c */
	OOMLENS_ST_EVENTS_KILLS, /* probes.c */
	OOMLENS_ST_PROBE_NMI_CALLS, /* nmi.c */
	OOMLENS_ST_PROBE_NMI_LOCK_DROPPED, /* nmi.c */
	OOMLENS_ST_PREALLOC_BYTES, /* set at load by each owner */
	OOMLENS_ST_EVENTS_EVALUATION_UNSEEN, /* evaluation.c */
	OOMLENS_ST_NR
};

/* A timed hook: its last, longest and total run, in ns. */
enum oomlens_timer {
	OOMLENS_TIMER_NOTIFIER,
	OOMLENS_TIMER_PROBE,
	OOMLENS_TIMER_SNAPSHOT,
	OOMLENS_TIMER_NR
};

void oomlens_stat_add(enum oomlens_stat id, u64 n);
u64 oomlens_stat_read(enum oomlens_stat id);
void oomlens_stat_time(enum oomlens_timer id, u64 ns);

static inline void oomlens_stat_inc(enum oomlens_stat id)
{
	oomlens_stat_add(id, 1);
}

void oomlens_stat_show(struct seq_file *m, enum oomlens_stat id);
void oomlens_timer_show(struct seq_file *m, enum oomlens_timer id);

#endif /* OOMLENS_STATS_H */
