/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces between the parts of the oomlens module.  Each part lives in a
 * file named for it; this header is the only place they meet.
 */
#ifndef OOMLENS_H
#define OOMLENS_H

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/types.h>

struct seq_file;
struct task_struct;
struct cgroup_subsys_state;

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

/*
 * swap.c: inputs of the badness normalisation that the kernel does not
 * export (total_swap_pages, vm_swappiness): the kernel's variables when
 * kallsyms gives them, else read from /proc (process context only).
 */
int oomlens_swap_init(void);
int oomlens_total_swap_pages(unsigned long *pages);
bool oomlens_total_swap_pages_nosleep(unsigned long *pages);
int oomlens_vm_swappiness(int *val);
const char *oomlens_swap_total_path(void);
const char *oomlens_swappiness_path(void);

/*
 * badness.c: per-task OOM badness, exactly as oom_badness() computes it.
 * The core functions below take no sleeping lock and never allocate: they
 * may be called from a probe handler (preemption disabled, RCU held).  They
 * take task_lock() (a spinlock) of one thread of @p, so the caller must not
 * hold the task_lock() of any of @p's threads.
 */
enum oomlens_task_state {
	OOMLENS_TASK_KILLABLE,
	OOMLENS_TASK_KTHREAD, /* PF_KTHREAD */
	OOMLENS_TASK_INIT, /* is_global_init() */
	OOMLENS_TASK_NO_MM, /* no thread has an mm */
	OOMLENS_TASK_ADJ_MIN, /* oom_score_adj == OOM_SCORE_ADJ_MIN */
	OOMLENS_TASK_OOM_SKIP, /* MMF_OOM_SKIP: already reaped */
	OOMLENS_TASK_VFORK, /* in_vfork(): a vfork child sharing the mm */
	OOMLENS_TASK_NR_STATES,
};

struct oomlens_badness {
	pid_t pid; /* tgid, in the initial pid namespace */
	uid_t uid; /* real uid, in the initial user namespace */
	char comm[16]; /* TASK_COMM_LEN, NUL terminated */
	unsigned long rss; /* pages: get_mm_rss() */
	unsigned long swapents; /* pages: MM_SWAPENTS */
	unsigned long pgtables; /* pages: mm_pgtables_bytes() / PAGE_SIZE */
	short adj; /* signal->oom_score_adj */
	long points; /* oom_badness(); LONG_MIN: not a candidate */
	enum oomlens_task_state state;
};

int oomlens_badness_init(void);
void oomlens_task_badness(struct task_struct *p, unsigned long totalpages,
			  struct oomlens_badness *out);
bool oomlens_task_unkillable(struct task_struct *p);
long oomlens_badness_points(struct task_struct *p, unsigned long totalpages);
unsigned long oomlens_oom_score(long points, unsigned long totalpages);
int oomlens_proc_totalpages(unsigned long *totalpages);
const char *oomlens_task_state_name(enum oomlens_task_state state);
const char *oomlens_badness_path(void);
void oomlens_badness_show(struct seq_file *m);

/*
 * memcg.c: memory cgroups.  Call under rcu_read_lock(); no sleeping, no
 * allocation (the path is written into the caller's buffer).
 */
struct cgroup_subsys_state *oomlens_task_memcg(struct task_struct *p);
struct cgroup_subsys_state *oomlens_memcg_root(void);
int oomlens_memcg_path(struct cgroup_subsys_state *css, char *buf, size_t len);
int oomlens_task_memcg_path(struct task_struct *p, char *buf, size_t len);
bool oomlens_memcg_limited(struct cgroup_subsys_state *css);
unsigned long oomlens_memcg_totalpages(struct cgroup_subsys_state *css,
				       unsigned long swap_pages,
				       int swappiness);
bool oomlens_memcg_in_subtree(struct cgroup_subsys_state *css,
			      struct cgroup_subsys_state *root);

/*
 * predict.c: which task the OOM killer would pick now, for a global OOM and
 * for an OOM of each memory cgroup with a limit.  Process context (it reads
 * swap inputs and allocates the result); free the array with kvfree().
 */
#define OOMLENS_CGROUP_PATH_LEN 1024

enum oomlens_predict_result {
	OOMLENS_PREDICT_VICTIM,
	OOMLENS_PREDICT_NONE,
	OOMLENS_PREDICT_ABORT,
};

struct oomlens_prediction {
	bool memcg; /* false: global */
	bool path_truncated;
	char cgroup[OOMLENS_CGROUP_PATH_LEN];
	unsigned long totalpages;
	enum oomlens_predict_result result;
	pid_t pid;
	long points;
	char comm[16];
};

struct oomlens_prediction *oomlens_predict(unsigned int *nr);

/* fmt.c: formatting shared by the table files */
void oomlens_seq_string(struct seq_file *m, const char *s, bool truncated);

/* tasks_file.c, predict_file.c: the "tasks" and "predict" files */
extern const struct file_operations oomlens_tasks_fops;
extern const struct file_operations oomlens_predict_fops;
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
