// SPDX-License-Identifier: GPL-2.0
/*
 * Which task the OOM killer would kill now.
 *
 * Global: select_bad_process() for an unconstrained allocation
 * (CONSTRAINT_NONE): every process in for_each_process() order, each
 * evaluated by select.c's mirror of oom_evaluate_task().  totalpages is
 * totalram_pages() + total_swap_pages.  oom_cpuset_eligible() compares the
 * allocating task's cpuset with each candidate's; we have no allocating
 * task, so we assume every task is eligible, which holds unless cpusets
 * restrict memory nodes (cpuset.mems) or the allocation has a mempolicy.
 *
 * Memory cgroup: mem_cgroup_scan_tasks() is not exported.  It walks the
 * memcg subtree in pre-order and, in each memcg, the processes attached to
 * it (css_set order).  We make one pass over the processes for all the
 * predictions at once: each process is evaluated for the global
 * prediction and for each limited memcg among its memcg's ancestors (found
 * by binary search in a table sorted by css address), under that memcg's
 * totalpages.  The work is bounded by processes x memcg depth x log(limited
 * memcgs), under one rcu_read_lock() like select_bad_process()'s own
 * for_each_process() walk (no resched point is allowed there; the kernel
 * does the same walk at every OOM).  Within one memcg the processes are
 * evaluated in for_each_process() order, not the kernel's: ties between
 * equal points, and which of several exiting victims an "abort" names, may
 * therefore differ from the kernel; distinct points never do.  totalpages
 * is mem_cgroup_get_max() (see memcg.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "badness.h"
#include "memcg.h"
#include "nmi.h"
#include "predict.h"
#include "select.h"
#include "swap.h"

struct selection {
	unsigned long totalpages;
	struct task_struct *chosen;
	long chosen_points;
	struct task_struct *abort;
};

/* oom_evaluate_task() (select.c); returns true to stop the walk (abort). */
static bool evaluate(struct task_struct *p, struct selection *sel)
{
	long points;

	switch (oomlens_select_check(p)) {
	case OOMLENS_SELECT_SKIP:
		return false;
	case OOMLENS_SELECT_ABORT:
		sel->abort = p;
		return true;
	case OOMLENS_SELECT_ORIGIN:
		points = LONG_MAX;
		break;
	case OOMLENS_SELECT_BADNESS:
	default:
		points = oomlens_badness_points(p, sel->totalpages);
		if (points == LONG_MIN ||
		    !oomlens_select_replaces(points, sel->chosen_points))
			return false;
		break;
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
	oomlens_copy_comm(pr->comm, p);
}

/* A limited memcg and the selection of its prediction. */
struct scope {
	struct cgroup_subsys_state *css;
	struct selection sel;
	struct oomlens_prediction *pr;
};

static int scope_cmp(const void *a, const void *b)
{
	const struct scope *x = a, *y = b;

	if (x->css == y->css)
		return 0;
	return x->css < y->css ? -1 : 1;
}

static struct scope *scope_find(struct scope *sc, unsigned int n,
				struct cgroup_subsys_state *css)
{
	unsigned int lo = 0, hi = n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (sc[mid].css == css)
			return &sc[mid];
		if (sc[mid].css < css)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* evaluate() unless the selection was aborted already. */
static void evaluate_once(struct task_struct *p, struct selection *sel)
{
	if (!sel->abort)
		evaluate(p, sel);
}

static void scope_init(struct oomlens_prediction *pr, struct scope *sc,
		       struct cgroup_subsys_state *css,
		       unsigned long swap_pages, int swappiness)
{
	int ret = oomlens_memcg_path(css, pr->cgroup, sizeof(pr->cgroup));

	pr->memcg = true;
	pr->path_truncated = ret == -ENAMETOOLONG;
	sc->css = css;
	sc->pr = pr;
	sc->sel.chosen_points = LONG_MIN;
	sc->sel.totalpages =
		oomlens_memcg_totalpages(css, swap_pages, swappiness);
}

/*
 * Under rcu_read_lock(): the limited memcgs in pre-order, into pr[] and
 * sc[] (up to @cap); returns how many there are.
 */
static unsigned int scopes_collect(struct oomlens_prediction *pr,
				   struct scope *sc, unsigned int cap,
				   unsigned long swap_pages, int swappiness)
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
			scope_init(&pr[n], &sc[n], pos, swap_pages, swappiness);
		n++;
	}
	return n;
}

/*
 * Under rcu_read_lock(): one pass over the processes for the global
 * selection and the @n memcg selections in @sc (sorted by css).
 */
static void select_all(struct selection *global, struct scope *sc,
		       unsigned int n)
{
	struct cgroup_subsys_state *css;
	struct task_struct *p;
	struct scope *s;

	for_each_process(p) {
		evaluate_once(p, global);
		if (!n)
			continue;
		for (css = oomlens_task_memcg(p); css; css = css->parent) {
			s = scope_find(sc, n, css);
			if (s)
				evaluate_once(p, &s->sel);
		}
	}
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
	unsigned int cap = 8, n, i;
	struct selection global;
	struct scope *sc;
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
		sc = kvcalloc(cap, sizeof(*sc), GFP_KERNEL);
		if (!pr || !sc) {
			kvfree(pr);
			kvfree(sc);
			return ERR_PTR(-ENOMEM);
		}
		memset(&global, 0, sizeof(global));
		global.totalpages = totalpages;
		global.chosen_points = LONG_MIN;
		pr[0].memcg = false;
		strscpy(pr[0].cgroup, "/", sizeof(pr[0].cgroup));

		rcu_read_lock();
		n = scopes_collect(&pr[1], sc, cap, swap_pages, swappiness);
		if (n <= cap) {
			sort(sc, n, sizeof(*sc), scope_cmp, NULL);
			select_all(&global, sc, n);
			/* record() reads the chosen tasks: still under RCU. */
			record(&pr[0], &global);
			for (i = 0; i < n; i++)
				record(sc[i].pr, &sc[i].sel);
		}
		rcu_read_unlock();
		kvfree(sc);
		if (n <= cap) {
			*nr = n + 1;
			return pr;
		}
		kvfree(pr);
		cap = n + 8;
	}
	return ERR_PTR(-EAGAIN);
}
