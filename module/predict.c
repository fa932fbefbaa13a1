// SPDX-License-Identifier: GPL-2.0
/*
 * Which task the OOM killer would kill now.
 *
 * Global: select_bad_process() for an unconstrained allocation
 * (CONSTRAINT_NONE): every process in for_each_process() order, skipping
 * init and kernel threads; a task that is already an OOM victim aborts the
 * selection unless its mm is MMF_OOM_SKIP; oom_task_origin() wins with
 * LONG_MAX; otherwise the highest oom_badness() wins and a tie goes to the
 * later task (only "points < chosen_points" is skipped).  totalpages is
 * totalram_pages() + total_swap_pages.  oom_cpuset_eligible() compares the
 * allocating task's cpuset with each candidate's; we have no allocating
 * task, so we assume every task is eligible, which holds unless cpusets
 * restrict memory nodes (cpuset.mems) or the allocation has a mempolicy.
 *
 * Memory cgroup: mem_cgroup_scan_tasks() is not exported.  It walks the
 * memcg subtree in pre-order and, in each memcg, the processes attached to
 * it; we do the same walk (css_next_descendant_pre()) and, for each memcg,
 * the processes whose memcg it is in for_each_process() order.  Ties
 * between equal points inside one memcg may therefore be broken differently
 * from the kernel (css_set order); distinct points never are.  totalpages is
 * mem_cgroup_get_max() (see memcg.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "oomlens.h"

struct selection {
	unsigned long totalpages;
	struct task_struct *chosen;
	long chosen_points;
	struct task_struct *abort;
};

/* oom_evaluate_task(); returns true to stop the walk (abort). */
static bool evaluate(struct task_struct *p, struct selection *sel)
{
	long points;

	if (oomlens_task_unkillable(p))
		return false;
	if (tsk_is_oom_victim(p)) {
		if (test_bit(MMF_OOM_SKIP,
			     oomlens_mm_flags(p->signal->oom_mm)))
			return false;
		sel->abort = p;
		return true;
	}
	if (oom_task_origin(p)) {
		points = LONG_MAX;
	} else {
		points = oomlens_badness_points(p, sel->totalpages);
		if (points == LONG_MIN || points < sel->chosen_points)
			return false;
	}
	sel->chosen = p;
	sel->chosen_points = points;
	return false;
}

static void record(struct oomlens_prediction *pr, struct selection *sel)
{
	struct task_struct *p = sel->abort ?: sel->chosen;

	pr->totalpages = sel->totalpages;
	if (!p) {
		pr->result = OOMLENS_PREDICT_NONE;
		return;
	}
	pr->result = sel->abort ? OOMLENS_PREDICT_ABORT :
				  OOMLENS_PREDICT_VICTIM;
	pr->pid = task_tgid_nr(p);
	pr->points = sel->abort ? LONG_MIN : sel->chosen_points;
	memcpy(pr->comm, p->comm, sizeof(pr->comm));
	pr->comm[sizeof(pr->comm) - 1] = '\0';
}

static void predict_global(struct oomlens_prediction *pr,
			   unsigned long totalpages)
{
	struct selection sel = {
		.totalpages = totalpages,
		.chosen_points = LONG_MIN,
	};
	struct task_struct *p;

	pr->memcg = false;
	strscpy(pr->cgroup, "/", sizeof(pr->cgroup));
	rcu_read_lock();
	for_each_process(p)
		if (evaluate(p, &sel))
			break;
	record(pr, &sel);
	rcu_read_unlock();
}

/* Under rcu_read_lock(): mem_cgroup_scan_tasks(scope, oom_evaluate_task). */
static void predict_memcg(struct oomlens_prediction *pr,
			  struct cgroup_subsys_state *scope,
			  unsigned long swap_pages, int swappiness)
{
	struct selection sel = { .chosen_points = LONG_MIN };
	struct cgroup_subsys_state *pos = NULL;
	struct task_struct *p;

	pr->memcg = true;
	pr->path_truncated = oomlens_memcg_path(scope, pr->cgroup,
						sizeof(pr->cgroup)) ==
			     -ENAMETOOLONG;
	sel.totalpages = oomlens_memcg_totalpages(scope, swap_pages,
						  swappiness);
	while ((pos = css_next_descendant_pre(pos, scope))) {
		for_each_process(p)
			if (oomlens_task_memcg(p) == pos && evaluate(p, &sel))
				goto done;
	}
done:
	record(pr, &sel);
}

/* Under rcu_read_lock(): fill up to @cap memcg predictions, count all. */
static unsigned int predict_memcgs(struct oomlens_prediction *pr,
				   unsigned int cap, unsigned long swap_pages,
				   int swappiness)
{
	struct cgroup_subsys_state *root = oomlens_memcg_root();
	struct cgroup_subsys_state *pos = NULL;
	unsigned int n = 0;

	if (!root)
		return 0;
	while ((pos = css_next_descendant_pre(pos, root))) {
		if (!oomlens_memcg_limited(pos))
			continue;
		if (n < cap)
			predict_memcg(&pr[n], pos, swap_pages, swappiness);
		n++;
	}
	return n;
}

/**
 * oomlens_predict - the OOM killer's choice now
 * @nr: set to the number of predictions
 *
 * Returns a kvfree()able array: the global prediction first, then one per
 * memory cgroup with a limit, in pre-order; or an ERR_PTR().
 */
struct oomlens_prediction *oomlens_predict(unsigned int *nr)
{
	struct oomlens_prediction *pr;
	unsigned long totalpages, swap_pages;
	unsigned int cap = 8, n;
	int swappiness, ret, tries;

	ret = oomlens_total_swap_pages(&swap_pages);
	if (!ret)
		ret = oomlens_vm_swappiness(&swappiness);
	if (ret)
		return ERR_PTR(ret);
	totalpages = totalram_pages() + swap_pages;

	/* Memcgs come and go: retry with room for the count we saw. */
	for (tries = 0; tries < 4; tries++) {
		pr = kvcalloc(cap + 1, sizeof(*pr), GFP_KERNEL);
		if (!pr)
			return ERR_PTR(-ENOMEM);
		predict_global(&pr[0], totalpages);
		rcu_read_lock();
		n = predict_memcgs(&pr[1], cap, swap_pages, swappiness);
		rcu_read_unlock();
		if (n <= cap) {
			*nr = n + 1;
			return pr;
		}
		kvfree(pr);
		cap = n + 8;
	}
	return ERR_PTR(-EAGAIN);
}
