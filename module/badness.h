/* SPDX-License-Identifier: GPL-2.0 */
/*
 * badness.c: per-task OOM badness, exactly as oom_badness() computes it.
 * The core functions below take no sleeping lock and never allocate: they
 * may be called from a probe handler (preemption disabled, RCU held).  They
 * take task_lock() (a spinlock) of one thread of @p, so the caller must not
 * hold the task_lock() of any of @p's threads.
 */
#ifndef OOMLENS_BADNESS_H
#define OOMLENS_BADNESS_H

#include <linux/init.h>
#include <linux/sched.h>
#include <linux/types.h>

struct seq_file;

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
	char comm[TASK_COMM_LEN]; /* NUL terminated */
	unsigned long rss; /* pages: get_mm_rss() */
	unsigned long swapents; /* pages: MM_SWAPENTS */
	unsigned long pgtables; /* pages: mm_pgtables_bytes() / PAGE_SIZE */
	bool read; /* rss, swapents and pgtables were read (else 0) */
	u8 memcg; /* an event's row: its cand_memcg[memcg - 1]; 0: unknown */
	short adj; /* signal->oom_score_adj */
	enum oomlens_task_state state;
	long points; /* oom_badness(); LONG_MIN: not a candidate */
	u64 start_time; /* task->start_time: tells a reused pid (0: unset) */
	u64 start_ns; /* task->start_boottime, as /proc/<pid>/stat's */
};

void __init oomlens_badness_init(void);
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
const char *oomlens_badness_src(void);

#endif /* OOMLENS_BADNESS_H */
