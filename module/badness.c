// SPDX-License-Identifier: GPL-2.0
/*
 * Per-task OOM badness, exactly as the kernel's oom_badness() computes it
 * (mm/oom_kill.c, identical in 6.1 and 6.12), and the /proc/<pid>/oom_score
 * normalisation (fs/proc/base.c proc_oom_score()).
 *
 * Two paths, named in "stats" as badness_path:
 *
 *   kernel   the points come from the kernel's own oom_badness(), found
 *            through kallsyms and only if its entry is ENDBR64 (see
 *            ksyms.c);
 *   formula  exported and inline API only: the same checks and sum, with
 *            our own find_lock_task_mm() (task_lock() of the first thread
 *            that still has an mm).
 *
 * Either way the displayed inputs (rss, swap entries, page tables, adj) and
 * the task's state are read here, so a row explains its points.
 *
 * Nothing here sleeps or allocates: the events code calls
 * oomlens_task_badness() from probe handlers, in NMI context too (nmi.c):
 * task_lock() is taken through oomlens_handler_task_lock() (a bounded
 * trylock there; a task whose lock cannot be had is evaluated as having no
 * mm, and counted), and the kernel's oom_badness(), which takes task_lock()
 * itself, is not called in NMI context: the formula gives the points.  The
 * caller must not hold the task_lock() of any thread of the task.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/hardirq.h>
#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/uidgid.h>

#include "badness.h"
#include "compat.h"
#include "ksyms.h"
#include "nmi.h"
#include "oomlens_abi.h"
#include "swap.h"

static long (*kernel_oom_badness)(struct task_struct *p,
				  unsigned long totalpages) __ro_after_init;

static const char *const state_name[] = {
	[OOMLENS_TASK_KILLABLE] = OOMLENS_STATE_KILLABLE,
	[OOMLENS_TASK_KTHREAD] = OOMLENS_STATE_KTHREAD,
	[OOMLENS_TASK_INIT] = OOMLENS_STATE_INIT,
	[OOMLENS_TASK_NO_MM] = OOMLENS_STATE_NO_MM,
	[OOMLENS_TASK_ADJ_MIN] = OOMLENS_STATE_ADJ_MIN,
	[OOMLENS_TASK_OOM_SKIP] = OOMLENS_STATE_OOM_SKIP,
	[OOMLENS_TASK_VFORK] = OOMLENS_STATE_VFORK,
};

static_assert(ARRAY_SIZE(state_name) == OOMLENS_TASK_NR_STATES);
static_assert(OOMLENS_WORDS_NR(OOMLENS_TASK_STATE_WORDS) ==
	      OOMLENS_TASK_NR_STATES);

/* Module init only: oomlens_ksym_func() may not be called later. */
void __init oomlens_badness_init(void)
{
	kernel_oom_badness = oomlens_ksym_func("oom_badness");
}

/* The older word of the badness_path key. */
const char *oomlens_badness_path(void)
{
	return kernel_oom_badness ? OOMLENS_BADNESS_PATH_KERNEL :
				    OOMLENS_BADNESS_PATH_FORMULA;
}

/* badness_source: the kernel's function, or our copy of its formula. */
const char *oomlens_badness_src(void)
{
	return kernel_oom_badness ? OOMLENS_SRC_KERNEL : OOMLENS_SRC_DERIVED;
}

const char *oomlens_task_state_name(enum oomlens_task_state state)
{
	if (state >= OOMLENS_TASK_NR_STATES)
		return "unknown";
	return state_name[state];
}

/*
 * find_lock_task_mm() (not exported): @p or one of its threads with an mm,
 * returned with task_lock() held, or NULL.  The lock is conditional, which
 * sparse cannot follow: the __release() here and the __acquire() in the
 * caller (both no-ops outside sparse) hand the lock context over.
 */
static struct task_struct *lock_task_mm(struct task_struct *p)
{
	struct task_struct *t;

	rcu_read_lock();
	for_each_thread(p, t) {
		if (!oomlens_handler_task_lock(t))
			break;
		__acquire(&t->alloc_lock);
		if (likely(t->mm))
			goto found;
		task_unlock(t);
	}
	rcu_read_unlock();
	return NULL;
found:
	__release(&t->alloc_lock);
	rcu_read_unlock();
	return t;
}

/**
 * oomlens_task_unkillable - oom_unkillable_task(): init or a kernel thread
 * @p: the task
 */
bool oomlens_task_unkillable(struct task_struct *p)
{
	return is_global_init(p) || (p->flags & PF_KTHREAD);
}

/*
 * The formula path of oom_badness(), filling the inputs of @out as it goes.
 * Returns the points, LONG_MIN when @p is not a candidate.
 */
static long badness_formula(struct task_struct *p, unsigned long totalpages,
			    struct oomlens_badness *out)
{
	struct task_struct *t;
	struct mm_struct *mm;
	long points, adj;

	out->state = OOMLENS_TASK_KILLABLE;
	if (p->flags & PF_KTHREAD) {
		out->state = OOMLENS_TASK_KTHREAD;
		return LONG_MIN;
	}
	if (is_global_init(p))
		out->state = OOMLENS_TASK_INIT;

	t = lock_task_mm(p);
	if (!t) {
		if (out->state == OOMLENS_TASK_KILLABLE)
			out->state = OOMLENS_TASK_NO_MM;
		return LONG_MIN;
	}
	__acquire(&t->alloc_lock);
	mm = t->mm;
	adj = (long)t->signal->oom_score_adj;
	out->adj = adj;
	out->rss = get_mm_rss(mm);
	out->swapents = get_mm_counter(mm, MM_SWAPENTS);
	out->pgtables = mm_pgtables_bytes(mm) / PAGE_SIZE;
	out->read = true;

	if (out->state == OOMLENS_TASK_INIT) {
		task_unlock(t);
		return LONG_MIN;
	}
	if (adj == OOM_SCORE_ADJ_MIN)
		out->state = OOMLENS_TASK_ADJ_MIN;
	else if (oomlens_mm_oom_skip(mm))
		out->state = OOMLENS_TASK_OOM_SKIP;
	else if (in_vfork(t))
		out->state = OOMLENS_TASK_VFORK;
	task_unlock(t);
	if (out->state != OOMLENS_TASK_KILLABLE)
		return LONG_MIN;

	points = out->rss + out->swapents + out->pgtables;
	/* Normalize to oom_score_adj units, with the kernel's types. */
	adj *= totalpages / 1000;
	points += adj;
	return points;
}

/**
 * oomlens_task_badness_inputs - the formula's inputs and points, nothing else
 * @p: a thread group leader (any thread works; its group is evaluated)
 * @totalpages: the normalisation base
 * @out: state, adj, rss, swapents, pgtables and points set; pid, uid and
 *       comm left alone
 *
 * The cheap half of oomlens_task_badness(), for the OOM-time snapshot: it
 * ranks every task by these points and completes (oomlens_task_identity())
 * only the ones that enter its top list.  Atomic-safe.
 */
void oomlens_task_badness_inputs(struct task_struct *p,
				 unsigned long totalpages,
				 struct oomlens_badness *out)
{
	out->rss = 0;
	out->swapents = 0;
	out->pgtables = 0;
	out->read = false;
	out->adj = READ_ONCE(p->signal->oom_score_adj);
	out->points = badness_formula(p, totalpages, out);
}

/**
 * oomlens_task_identity - complete a row: who, and the kernel's own points
 * @p: the task given to oomlens_task_badness_inputs()
 * @totalpages: the same normalisation base
 * @out: pid, uid, comm and start times set; on the kernel path, points replaced by what
 *       the kernel's oom_badness() returns
 *
 * Atomic-safe.
 */
void oomlens_task_identity(struct task_struct *p, unsigned long totalpages,
			   struct oomlens_badness *out)
{
	BUILD_BUG_ON(sizeof(out->comm) != TASK_COMM_LEN);

	out->pid = task_tgid_nr(p);
	out->uid = from_kuid(&init_user_ns, task_uid(p));
	/* As dump_tasks() does: racy against a rename, always terminated. */
	oomlens_copy_comm(out->comm, p);
	/* The process's (the row is one): set at fork, never changed. */
	out->start_time = p->group_leader->start_time;
	out->start_ns = p->group_leader->start_boottime;
	/* It takes task_lock(): not in NMI context, nor where RT forbids. */
	if (kernel_oom_badness && !oomlens_task_unkillable(p) && !in_nmi() &&
	    oomlens_spinlock_allowed())
		out->points = kernel_oom_badness(p, totalpages);
}

/**
 * oomlens_task_badness - a task's OOM badness and its inputs
 * @p: a thread group leader (any thread works; its group is evaluated)
 * @totalpages: the normalisation base (oc->totalpages, or
 *              oomlens_proc_totalpages() for /proc/<pid>/oom_score)
 * @out: filled completely
 *
 * out->points is what oom_badness(@p, @totalpages) returns (from the kernel
 * itself on the kernel path), LONG_MIN when @p is not a candidate; then
 * out->state says why.  Atomic-safe: no sleeping, no allocation.
 */
void oomlens_task_badness(struct task_struct *p, unsigned long totalpages,
			  struct oomlens_badness *out)
{
	memset(out, 0, sizeof(*out));
	oomlens_task_badness_inputs(p, totalpages, out);
	oomlens_task_identity(p, totalpages, out);
}

/**
 * oomlens_badness_points - oom_badness() alone
 * @p: the task
 * @totalpages: the normalisation base
 *
 * Atomic-safe.  The kernel's function on the kernel path.
 */
long oomlens_badness_points(struct task_struct *p, unsigned long totalpages)
{
	struct oomlens_badness b;

	if (kernel_oom_badness && !in_nmi())
		return kernel_oom_badness(p, totalpages);
	memset(&b, 0, sizeof(b));
	return badness_formula(p, totalpages, &b);
}

/**
 * oomlens_oom_score - the value /proc/<pid>/oom_score prints
 * @points: oom_badness() with @totalpages (LONG_MAX: oom_task_origin())
 * @totalpages: totalram_pages() + total_swap_pages for /proc
 *
 * 0..OOMLENS_SCORE_MAX (2000): proc_oom_score()'s scaling.
 */
unsigned long oomlens_oom_score(long points, unsigned long totalpages)
{
	if (points == LONG_MIN || !totalpages)
		return 0;
	/*
	 * select_bad_process() gives oom_task_origin() tasks LONG_MAX, which
	 * oom_badness() never returns: the top of the range, not an overflow.
	 */
	if (points == LONG_MAX)
		return OOMLENS_SCORE_MAX;
	return (1000 + points * 1000 / (long)totalpages) * 2 / 3;
}

/**
 * oomlens_proc_totalpages - totalpages of /proc/<pid>/oom_score
 * @totalpages: set to totalram_pages() + total_swap_pages
 *
 * Also the totalpages of an unconstrained global OOM.  May sleep (see
 * swap.c); returns 0 or -errno.
 */
int oomlens_proc_totalpages(unsigned long *totalpages)
{
	unsigned long swap;
	int ret = oomlens_total_swap_pages(&swap);

	if (ret)
		return ret;
	*totalpages = totalram_pages() + swap;
	return 0;
}
