/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces between the parts of the oomlens module.  Each part lives in a
 * file named for it; this header is the only place they meet.
 */
#ifndef OOMLENS_H
#define OOMLENS_H

#include <linux/atomic.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/fs.h>
#include <linux/spinlock.h>
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
	/* events.c, probes.c */
	atomic64_t oom_invocations;
	atomic64_t events_missed;
	atomic64_t events_kills;
	atomic64_t probe_last_ns;
	atomic64_t probe_max_ns;
	atomic64_t probe_total_ns;
	atomic64_t snapshot_last_ns;
	atomic64_t snapshot_max_ns;
	atomic64_t snapshot_total_ns;
	/* nmi.c */
	atomic64_t probe_nmi_calls;
	atomic64_t probe_nmi_lock_dropped;
};

extern struct oomlens_stats oomlens_stats;
extern size_t oomlens_prealloc_bytes;

void oomlens_stats_time(atomic64_t *last, atomic64_t *max, atomic64_t *total,
			u64 ns);
void oomlens_stats_show(struct seq_file *m);

/*
 * nmi.c: what a probe handler may do in any context, NMI included (an
 * int3-based kprobe): bounded trylocks there, a lock-free comm copy.  The
 * lock helpers return false, not holding the lock, when it could not be had;
 * on true the caller holds it and says so to sparse with __acquire() (the
 * helper's __release() hands the context over; both are no-ops outside
 * sparse).
 */
void oomlens_handler_enter(void);
bool oomlens_handler_raw_lock(raw_spinlock_t *lock, unsigned long *flags);
bool oomlens_handler_task_lock(struct task_struct *t);
void oomlens_copy_comm(char *dst, struct task_struct *t);

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
void oomlens_task_badness_inputs(struct task_struct *p,
				 unsigned long totalpages,
				 struct oomlens_badness *out);
void oomlens_task_identity(struct task_struct *p, unsigned long totalpages,
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

/* events.c: the ring of OOM events */
#define OOMLENS_PATH_LEN 128

enum oomlens_kind {
	OOMLENS_KIND_GLOBAL,
	OOMLENS_KIND_MEMCG,
	OOMLENS_KIND_SYSRQ,
	OOMLENS_KIND_NR
};

enum oomlens_outcome {
	OOMLENS_OUT_UNKNOWN,
	OOMLENS_OUT_KILLED,
	OOMLENS_OUT_VICTIM_EXITING,
	OOMLENS_OUT_CURRENT_EXITING,
	OOMLENS_OUT_NO_FS,
	OOMLENS_OUT_NOTIFIER_FREED,
	OOMLENS_OUT_NO_KILLABLE,
	OOMLENS_OUT_IN_PROGRESS,
	OOMLENS_OUT_DISABLED,
	OOMLENS_OUT_NR
};

/* The constraint of an event for counting: CONSTRAINT_* or this one. */
#define OOMLENS_CONSTRAINT_UNKNOWN 4
#define OOMLENS_CONSTRAINT_NR 5

enum oomlens_prediction_word {
	OOMLENS_PRED_MATCH,
	OOMLENS_PRED_MISMATCH,
	OOMLENS_PRED_NA, /* oom_kill_allocating_task: no selection */
	OOMLENS_PRED_NONE, /* no victim or no prediction: "-" */
	OOMLENS_PRED_NR
};

/* One out_of_memory() call; fixed size plus oomlens_snapshot_size cands. */
struct oomlens_event {
	u64 seq;
	u64 boot_ns;
	u64 real_ns;
	u8 kind;
	u8 outcome;
	u8 constraint;
	bool from_probe; /* false: the notifier alone recorded it */
	bool inferred; /* constraint derived, not the kernel's */
	bool known_gfp; /* gfp_mask and order known */
	bool known_constraint; /* constraint, nodemask, totalpages known */
	bool has_nodemask;
	bool has_victim;
	bool has_sysctls;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	gfp_t gfp_mask;
	int order;
	nodemask_t nodemask;
	unsigned long totalpages;
	char oom_memcg[OOMLENS_PATH_LEN]; /* empty: global; see memcg.c */
	bool oom_memcg_cut; /* cut to fit */
	pid_t victim_pid; /* tgid, like the candidates' pids */
	pid_t victim_tid; /* the thread killed ("Killed process"); 0: none */
	bool victim_by_alloc; /* oom_kill_allocating_task: no points */
	uid_t victim_uid;
	char victim_comm[TASK_COMM_LEN];
	long victim_points;
	unsigned long victim_rss;
	char victim_memcg[OOMLENS_PATH_LEN]; /* empty: memcg disabled */
	bool victim_memcg_cut;
	u32 kill_calls; /* __oom_kill_process() calls */
	u32 kills; /* of them, kills the kernel counted (OOM_KILL) */
	u32 probe_missed; /* kill probe hits missed during the call */
	pid_t predicted_pid; /* cand[0].pid; 0: no prediction */
	int panic_on_oom;
	int oom_kill_allocating_task;
	int oom_dump_tasks;
	u32 ncand;
	struct oomlens_badness cand[]; /* highest points first */
};

extern unsigned int oomlens_ring_size;
extern unsigned int oomlens_snapshot_size;
extern bool oomlens_probes;

size_t oomlens_event_bytes(void);
int oomlens_events_init(void);
void oomlens_events_exit(void);
void oomlens_event_commit(struct oomlens_event *ev);
bool oomlens_event_copy(u64 seq, struct oomlens_event *out);
void oomlens_events_range(u64 *oldest, u64 *newest);
struct wait_queue_head *oomlens_events_waitq(void);
void oomlens_events_show_stats(struct seq_file *m);
enum oomlens_prediction_word
oomlens_event_prediction(const struct oomlens_event *ev);
const char *oomlens_kind_name(unsigned int kind);
const char *oomlens_constraint_name(unsigned int constraint);
const char *oomlens_outcome_name(unsigned int outcome);
const char *oomlens_prediction_name(unsigned int pred);

/* capture.c: filling an event in the OOM path (NMI context too, but paths) */
struct oom_control;
struct task_struct;
void oomlens_capture_init(void);
void oomlens_capture_start(struct oomlens_event *ev, struct oom_control *oc);
struct cgroup_subsys_state *oomlens_capture_victim(struct oomlens_event *ev,
						   struct oom_control *oc,
						   const char *message);
void oomlens_capture_paths(struct oomlens_event *ev, struct oom_control *oc,
			   struct cgroup_subsys_state *victim_css);
void oomlens_capture_constraint(struct oomlens_event *ev,
				struct oom_control *oc);
void oomlens_capture_inferred(struct oomlens_event *ev);
void oomlens_capture_snapshot(struct oomlens_event *ev, struct oom_control *oc);

/* probes.c: kprobes on out_of_memory and oom_kill_process */
int oomlens_probes_register(void);
void oomlens_probes_unregister(void);
bool oomlens_probes_active(void);
u64 oomlens_probes_nmissed(void);
bool oomlens_probes_notified(unsigned long freed);
void oomlens_probes_show(struct seq_file *m);

/* events_file.c: presentation of the events */
extern const struct file_operations oomlens_events_fops;
extern const struct file_operations oomlens_last_fops;
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
