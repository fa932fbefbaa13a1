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

/* commit.c: overcommit accounting (mm/util.c), computed, never changed */
struct oomlens_commit {
	int mode; /* sysctl_overcommit_memory */
	int ratio; /* sysctl_overcommit_ratio */
	unsigned long kbytes; /* sysctl_overcommit_kbytes */
	unsigned long totalram; /* pages */
	unsigned long hugetlb; /* pages */
	long swap; /* total_swap_pages */
	unsigned long limit; /* vm_commit_limit(), pages */
	unsigned long base; /* limit without swap */
	bool kbytes_branch; /* limit from overcommit_kbytes */
	unsigned long committed; /* vm_memory_committed(), pages */
	s32 batch; /* vm_committed_as_batch */
	unsigned long error; /* batch * online CPUs, pages */
	unsigned long admin_kbytes, admin_pages;
	unsigned long user_kbytes, user_pages;
	long headroom_root, headroom_user; /* pages, signed */
	const char *mode_src, *ratio_src, *kbytes_src, *hugetlb_src;
	const char *swap_src, *limit_src, *admin_src, *user_src, *batch_src;
};

/* The what-if for one process: would __vm_enough_memory() accept? */
struct oomlens_commit_check {
	pid_t pid;
	u64 bytes;
	unsigned long pages;
	struct oomlens_commit c;
	bool cap_sys_admin;
	bool admin_applied;
	bool has_mm;
	unsigned long total_vm; /* pages */
	long user_applied; /* min(total_vm / 32, user reserve) */
	long allowed; /* limit - reserves, pages */
	long committed_after; /* committed + pages */
	unsigned long guess_max; /* totalram + swap, pages */
	const char *rule; /* guess, always or never */
	bool allow;
	bool exact;
};

int oomlens_commit_init(void);
const char *oomlens_commit_mode_name(int mode);
int oomlens_commit_read(struct oomlens_commit *c);
int oomlens_commit_check(pid_t pid, u64 bytes, struct oomlens_commit_check *r);

/* commit_file.c: the "commit" and "commit_check" files */
extern const struct file_operations oomlens_commit_fops;
extern const struct file_operations oomlens_commit_check_fops;

/* debugfs.c: the interface files */
void oomlens_debugfs_init(void);
void oomlens_debugfs_exit(void);

#endif /* OOMLENS_H */
