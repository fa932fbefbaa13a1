/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMLENS_COMMIT_H
#define OOMLENS_COMMIT_H

#include <linux/init.h>
#include <linux/types.h>

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

void __init oomlens_commit_init(void);
const char *oomlens_commit_mode_name(int mode);
int oomlens_commit_read(struct oomlens_commit *c);
int oomlens_commit_check(pid_t pid, u64 bytes, struct oomlens_commit_check *r);

#endif /* OOMLENS_COMMIT_H */
