// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's candidate selection, once.
 *
 * select_bad_process() walks the tasks of the OOM's domain (every process
 * for a global OOM, mem_cgroup_scan_tasks() of the memcg subtree for a memcg
 * OOM) and gives each to oom_evaluate_task(), which, in this order:
 * skips oom_unkillable_task() (init, kernel threads) and, outside a memcg
 * OOM, a task not oom_cpuset_eligible(); for a task that is already an OOM
 * victim, skips it if its mm is MMF_OOM_SKIP (reaped) and otherwise aborts
 * the whole selection (an earlier victim is still exiting; not in a SysRq
 * OOM, which evaluates a victim like any task: oom_badness() then gives a
 * reaped one LONG_MIN, so only the abort differs); chooses an
 * oom_task_origin() task (swapoff, KSM unmerging) with LONG_MAX points; and
 * otherwise ranks by oom_badness(), replacing its choice unless the points
 * are lower: equal points go to the later task.
 *
 * Its two users walk differently, for reasons of their own:
 * - predict.c predicts every limited memcg and the global OOM in one walk
 *   over the processes (for_each_process() order, each memcg scope found
 *   by the task's ancestors), with no allocating task, so without the
 *   cpuset check; it stops a scope at OOMLENS_SELECT_ABORT, as the kernel.
 * - capture.c keeps the top snapshot_size tasks of the OOM's own domain,
 *   and ranks a live victim (OOMLENS_SELECT_ABORT) like any other task: the
 *   kernel's selection has then already been aborted (the event's outcome
 *   says victim_in_progress), and the table still shows who would rank
 *   where; the order of the memcg walk can differ from the kernel's only
 *   in ties.
 * Everything else (the verdicts, the tie rule, cpuset eligibility) is here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mempolicy.h>
#include <linux/nodemask.h>
#include <linux/oom.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "badness.h"
#include "compat.h"
#include "nmi.h"
#include "select.h"

/**
 * oomlens_select_check - oom_evaluate_task() up to the badness
 * @p: a thread group leader, under RCU
 */
enum oomlens_select_verdict oomlens_select_check(struct task_struct *p)
{
	if (oomlens_task_unkillable(p))
		return OOMLENS_SELECT_SKIP;
	if (tsk_is_oom_victim(p))
		return oomlens_mm_oom_skip(p->signal->oom_mm) ?
			       OOMLENS_SELECT_SKIP :
			       OOMLENS_SELECT_ABORT;
	if (oom_task_origin(p))
		return OOMLENS_SELECT_ORIGIN;
	return OOMLENS_SELECT_BADNESS;
}

/**
 * oomlens_select_replaces - does a task of @points replace the choice?
 * @points: its oom_badness()
 * @chosen_points: the choice so far (LONG_MIN: none)
 *
 * oom_evaluate_task() skips only "points < chosen_points": the last task
 * walked wins a tie.
 */
bool oomlens_select_replaces(long points, long chosen_points)
{
	return points >= chosen_points;
}

/*
 * oom_cpuset_eligible(): may @p have memory where this OOM needs it?  With a
 * mempolicy OOM (@mask set), a thread with a bind policy intersecting @mask
 * (mempolicy_in_oom_domain()); otherwise a thread whose mems_allowed
 * intersects current's (cpuset_mems_allowed_intersects()).  Neither helper
 * is exported; both are a few lines of exported API.
 */
static bool mempolicy_eligible(struct task_struct *t, const nodemask_t *mask)
{
	bool ret = true;

#ifdef CONFIG_NUMA
	/* Not had (counted, nmi.c): eligible, as without a policy. */
	if (!oomlens_handler_task_lock(t))
		return true;
	__acquire(&t->alloc_lock);
	if (t->mempolicy && t->mempolicy->mode == MPOL_BIND)
		ret = nodes_intersects(t->mempolicy->nodes, *mask);
	task_unlock(t);
#endif
	return ret;
}

/**
 * oomlens_select_cpuset_eligible - oom_cpuset_eligible(current's OOM, @p)
 * @p: a thread group leader, under RCU
 * @mask: the OOM's nodemask (a mempolicy OOM), or NULL
 */
bool oomlens_select_cpuset_eligible(struct task_struct *p,
				    const nodemask_t *mask)
{
	struct task_struct *t;
	bool ret = false;

	for_each_thread(p, t) {
		if (mask)
			ret = mempolicy_eligible(t, mask);
		else
			ret = nodes_intersects(current->mems_allowed,
					       t->mems_allowed);
		if (ret)
			break;
	}
	return ret;
}
