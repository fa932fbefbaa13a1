/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces between the parts of the oomlens module.  Each part lives in a
 * file named for it; this header is the only place they meet.
 */
#ifndef OOMLENS_H
#define OOMLENS_H

#include <linux/atomic.h>
#include <linux/types.h>

struct seq_file;

/* main.c: module parameters */
extern bool oomlens_exported_only;

/* ksyms.c: non-exported kernel symbols, resolved once at load */
int oomlens_ksyms_init(void);
void *oomlens_ksym_func(const char *name);
void *oomlens_ksym_data(const char *name);
void oomlens_ksyms_show(struct seq_file *m);

/* stats.c: counters, updated locklessly from any context */
struct oomlens_stats {
	atomic64_t notifier_calls;
	atomic64_t notifier_last_ns;
	atomic64_t notifier_max_ns;
	atomic64_t notifier_total_ns;
};

extern struct oomlens_stats oomlens_stats;
extern size_t oomlens_prealloc_bytes;

void oomlens_stats_time(atomic64_t *last, atomic64_t *max, atomic64_t *total,
			u64 ns);
void oomlens_stats_show(struct seq_file *m);

/* notifier.c: the OOM notifier (global OOMs only) */
int oomlens_notifier_register(void);
void oomlens_notifier_unregister(void);

/* debugfs.c: the interface files */
void oomlens_debugfs_init(void);
void oomlens_debugfs_exit(void);

#endif /* OOMLENS_H */
