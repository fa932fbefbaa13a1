// SPDX-License-Identifier: GPL-2.0
/*
 * Counters.  Updated with atomics only, so any context (the OOM notifier, a
 * probe handler with preemption disabled, NMI context) may bump them.  The
 * names are the ABI's; the order of the lines in "stats" is the
 * presenter's (stats_file.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>

#include "oomlens_abi.h"
#include "stats.h"

static atomic64_t counters[OOMLENS_ST_NR];

static const char *const counter_names[] = {
	[OOMLENS_ST_NOTIFIER_CALLS] = OOMLENS_STAT_NOTIFIER_CALLS,
	[OOMLENS_ST_OOM_INVOCATIONS] = OOMLENS_STAT_OOM_INVOCATIONS,
	[OOMLENS_ST_EVENTS_MISSED] = OOMLENS_STAT_EVENTS_MISSED,
	[OOMLENS_ST_EVENTS_KILLS] = OOMLENS_STAT_EVENTS_KILLS,
	[OOMLENS_ST_PROBE_NMI_CALLS] = OOMLENS_STAT_PROBE_NMI_CALLS,
	[OOMLENS_ST_PROBE_NMI_LOCK_DROPPED] =
		OOMLENS_STAT_PROBE_NMI_LOCK_DROPPED,
	[OOMLENS_ST_PREALLOC_BYTES] = OOMLENS_STAT_PREALLOC_BYTES,
	[OOMLENS_ST_EVENTS_EVALUATION_UNSEEN] =
		OOMLENS_STAT_EVENTS_EVALUATION_UNSEEN,
};

static_assert(ARRAY_SIZE(counter_names) == OOMLENS_ST_NR);

struct timer {
	atomic64_t last, max, total;
};

static struct timer timers[OOMLENS_TIMER_NR];

/* last, max, total of each timer */
static const char *const timer_names[][3] = {
	[OOMLENS_TIMER_NOTIFIER] = { OOMLENS_STAT_NOTIFIER_LAST_NS,
				     OOMLENS_STAT_NOTIFIER_MAX_NS,
				     OOMLENS_STAT_NOTIFIER_TOTAL_NS },
	[OOMLENS_TIMER_PROBE] = { OOMLENS_STAT_PROBE_LAST_NS,
				  OOMLENS_STAT_PROBE_MAX_NS,
				  OOMLENS_STAT_PROBE_TOTAL_NS },
	[OOMLENS_TIMER_SNAPSHOT] = { OOMLENS_STAT_SNAPSHOT_LAST_NS,
				     OOMLENS_STAT_SNAPSHOT_MAX_NS,
				     OOMLENS_STAT_SNAPSHOT_TOTAL_NS },
};

static_assert(ARRAY_SIZE(timer_names) == OOMLENS_TIMER_NR);

void oomlens_stat_add(enum oomlens_stat id, u64 n)
{
	atomic64_add(n, &counters[id]);
}

u64 oomlens_stat_read(enum oomlens_stat id)
{
	return (u64)atomic64_read(&counters[id]);
}

/**
 * oomlens_stat_time - account one timed run of a hook
 * @id: the hook
 * @ns: the duration: last set to it, max raised to it, total increased
 */
void oomlens_stat_time(enum oomlens_timer id, u64 ns)
{
	struct timer *t = &timers[id];
	s64 old = atomic64_read(&t->max);

	atomic64_set(&t->last, ns);
	atomic64_add(ns, &t->total);
	while ((u64)old < ns) {
		s64 seen = atomic64_cmpxchg(&t->max, old, ns);

		if (seen == old)
			break;
		old = seen;
	}
}

/* "<name> <value>" of counter @id. */
void oomlens_stat_show(struct seq_file *m, enum oomlens_stat id)
{
	seq_printf(m, "%s %llu\n", counter_names[id], oomlens_stat_read(id));
}

/* The three lines of timer @id: last, max, total. */
void oomlens_timer_show(struct seq_file *m, enum oomlens_timer id)
{
	struct timer *t = &timers[id];

	seq_printf(m, "%s %llu\n", timer_names[id][0],
		   (u64)atomic64_read(&t->last));
	seq_printf(m, "%s %llu\n", timer_names[id][1],
		   (u64)atomic64_read(&t->max));
	seq_printf(m, "%s %llu\n", timer_names[id][2],
		   (u64)atomic64_read(&t->total));
}
