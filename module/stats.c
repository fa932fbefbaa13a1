// SPDX-License-Identifier: GPL-2.0
/*
 * Counters.  Updated with atomics only, so any context (the OOM notifier, a
 * probe handler with preemption disabled) may bump them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/seq_file.h>

#include "oomlens.h"
#include "oomlens_abi.h"

struct oomlens_stats oomlens_stats;

/* Bytes allocated at load for use at OOM time; set by their owners. */
size_t oomlens_prealloc_bytes;

/**
 * oomlens_stats_time - account one timed run of a hook
 * @last: set to @ns
 * @max: raised to @ns if lower
 * @total: increased by @ns
 * @ns: the duration
 */
void oomlens_stats_time(atomic64_t *last, atomic64_t *max, atomic64_t *total,
			u64 ns)
{
	s64 old = atomic64_read(max);

	atomic64_set(last, ns);
	atomic64_add(ns, total);
	while ((u64)old < ns) {
		s64 seen = atomic64_cmpxchg(max, old, ns);

		if (seen == old)
			break;
		old = seen;
	}
}

static void stat_line(struct seq_file *m, const char *key, atomic64_t *v)
{
	seq_printf(m, "%s %llu\n", key, (u64)atomic64_read(v));
}

void oomlens_stats_show(struct seq_file *m)
{
	struct oomlens_stats *s = &oomlens_stats;

	stat_line(m, OOMLENS_STAT_NOTIFIER_CALLS, &s->notifier_calls);
	stat_line(m, OOMLENS_STAT_NOTIFIER_LAST_NS, &s->notifier_last_ns);
	stat_line(m, OOMLENS_STAT_NOTIFIER_MAX_NS, &s->notifier_max_ns);
	stat_line(m, OOMLENS_STAT_NOTIFIER_TOTAL_NS, &s->notifier_total_ns);
	seq_printf(m, "%s %zu\n", OOMLENS_STAT_PREALLOC_BYTES,
		   oomlens_prealloc_bytes);
	seq_printf(m, "%s %d\n", OOMLENS_STAT_EXPORTED_ONLY,
		   oomlens_exported_only);
	oomlens_badness_show(m);
	stat_line(m, OOMLENS_STAT_PROBE_LAST_NS, &s->probe_last_ns);
	stat_line(m, OOMLENS_STAT_PROBE_MAX_NS, &s->probe_max_ns);
	stat_line(m, OOMLENS_STAT_PROBE_TOTAL_NS, &s->probe_total_ns);
	stat_line(m, OOMLENS_STAT_SNAPSHOT_LAST_NS, &s->snapshot_last_ns);
	stat_line(m, OOMLENS_STAT_SNAPSHOT_MAX_NS, &s->snapshot_max_ns);
	stat_line(m, OOMLENS_STAT_SNAPSHOT_TOTAL_NS, &s->snapshot_total_ns);
	oomlens_events_show_stats(m);
	oomlens_probes_show(m);
	oomlens_ksyms_show(m);
}
