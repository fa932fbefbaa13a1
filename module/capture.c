// SPDX-License-Identifier: GPL-2.0
/*
 * Capturing an OOM event: copying what out_of_memory() sees (or, with the
 * notifier alone, what can be derived) into a struct oomlens_event.
 *
 * Every function here runs in the OOM path: in a probe handler (preemption
 * disabled, perhaps interrupts too, NMI context where the probe is an int3
 * breakpoint) or in the OOM notifier (oom_lock held).  They follow nmi.c's
 * rules: fast clocks, RCU, task_lock() only through
 * oomlens_handler_task_lock() and never on PREEMPT_RT, comm copied without a
 * lock; the kernfs rename lock (cgroup v1 paths; v2 needs none) only in
 * oomlens_capture_paths(), which runs in the return handler or the
 * notifier, never in NMI context.  They never allocate, never print.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/kernfs.h>
#include <linux/memcontrol.h>
#include <linux/mempolicy.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/oom.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/preempt.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/user_namespace.h>

#include "capture.h"
#include "event.h"
#include "ksyms.h"
#include "memcg.h"
#include "nmi.h"
#include "select.h"
#include "stats.h"
#include "swap.h"

/* Not exported; NULL when unavailable (exported_only=1, or not found). */
static int *sysctl_panic_on_oom_p __ro_after_init;
static int *sysctl_oom_kill_allocating_task_p __ro_after_init;
static int *sysctl_oom_dump_tasks_p __ro_after_init;

/* Module init only: oomlens_ksym_data() may not be called later. */
void __init oomlens_capture_init(void)
{
	sysctl_panic_on_oom_p = oomlens_ksym_data("sysctl_panic_on_oom");
	sysctl_oom_kill_allocating_task_p =
		oomlens_ksym_data("sysctl_oom_kill_allocating_task");
	sysctl_oom_dump_tasks_p = oomlens_ksym_data("sysctl_oom_dump_tasks");
}

/*
 * The path the kernel prints with pr_cont_cgroup_path() for @css; empty when
 * memcg is disabled.  Returns true when it was cut to fit.  Not in NMI
 * context (for cgroup v1, kernfs_path_from_node() takes the kernfs rename
 * lock).
 */
static bool css_path(struct cgroup_subsys_state *css, char *buf)
{
	return oomlens_memcg_path(css, buf, OOMLENS_PATH_LEN) == -ENAMETOOLONG;
}

/*
 * @p's memcg, referenced (css_tryget(): percpu_ref, NMI-safe), or NULL when
 * memcg is disabled.  task_get_css() with a bound: a task migrating away
 * from a dying memcg can make the tryget fail; the next look finds the new
 * one.
 */
static struct cgroup_subsys_state *task_memcg_get(struct task_struct *p)
{
	struct cgroup_subsys_state *css = NULL;
	int i;

	rcu_read_lock();
	for (i = 0; i < 1000; i++) {
		css = oomlens_task_memcg(p);
		if (!css || css_tryget(css))
			break;
		css = NULL;
		cpu_relax();
	}
	rcu_read_unlock();
	return css;
}

/**
 * oomlens_capture_start - what is known when out_of_memory() is entered
 * @ev: the event, oomlens_event_bytes() long
 * @oc: the OOM's control, or NULL when the notifier alone recorded it
 */
void oomlens_capture_start(struct oomlens_event *ev, struct oom_control *oc)
{
	memset(ev, 0, oomlens_event_bytes());
	/* The fast clocks: NMI-safe, the same clocks (nmi.c). */
	ev->boot_ns = ktime_get_boot_fast_ns();
	ev->real_ns = ktime_get_real_fast_ns();
	ev->pid = task_pid_nr(current);
	oomlens_copy_comm(ev->comm, current);
	ev->kind = OOMLENS_KIND_GLOBAL;
	ev->from_probe = oc;
	ev->has_memcg = !mem_cgroup_disabled();
	ev->memcg_v1 = !cgroup_subsys_on_dfl(memory_cgrp_subsys);
	if (oc) {
		ev->known_gfp = true;
		ev->gfp_mask = oc->gfp_mask;
		ev->order = oc->order;
		/* oom_memcg's path: oomlens_capture_paths(), at return. */
		if (oc->memcg)
			ev->kind = OOMLENS_KIND_MEMCG;
		else if (oc->order == -1)
			ev->kind = OOMLENS_KIND_SYSRQ;
	}
	if (sysctl_panic_on_oom_p && sysctl_oom_kill_allocating_task_p &&
	    sysctl_oom_dump_tasks_p) {
		ev->has_sysctls = true;
		ev->panic_on_oom = READ_ONCE(*sysctl_panic_on_oom_p);
		ev->oom_kill_allocating_task =
			READ_ONCE(*sysctl_oom_kill_allocating_task_p);
		ev->oom_dump_tasks = READ_ONCE(*sysctl_oom_dump_tasks_p);
	}
}

/**
 * oomlens_capture_constraint - constraint, totalpages and nodemask
 * @ev: the event
 * @oc: after constrained_alloc() ran (oc->totalpages != 0)
 *
 * oc->nodemask is what the kernel prints in its "oom-kill:constraint=" line:
 * out_of_memory() has cleared it unless the constraint is MEMORY_POLICY.
 */
void oomlens_capture_constraint(struct oomlens_event *ev,
				struct oom_control *oc)
{
	ev->known_constraint = true;
	ev->constraint = oc->constraint;
	ev->totalpages = oc->totalpages;
	ev->has_nodemask = oc->nodemask;
	if (oc->nodemask)
		ev->nodemask = *oc->nodemask;
}

/**
 * oomlens_capture_paths - the cgroup paths of an event
 * @ev: the event
 * @oc: the OOM's control (oc->memcg: oom_memcg), or NULL
 * @victim_css: the victim's memcg from oomlens_capture_victim(), or NULL
 *
 * Not in NMI context: call from the kretprobe's return handler (the caller
 * of out_of_memory() still holds oc->memcg) or the notifier.
 */
void oomlens_capture_paths(struct oomlens_event *ev, struct oom_control *oc,
			   struct cgroup_subsys_state *victim_css)
{
	if (oc && oc->memcg)
		ev->oom_memcg_cut = css_path(&oc->memcg->css, ev->oom_memcg);
	if (ev->has_victim && victim_css)
		ev->victim_memcg_cut = css_path(victim_css, ev->victim_memcg);
}

/* out_of_memory()'s message when sysctl_oom_kill_allocating_task chose. */
#define ALLOCATING_TASK_MESSAGE "Out of memory (oom_kill_allocating_task)"

/**
 * oomlens_capture_victim - the chosen task, at oom_kill_process() entry
 * @ev: the event
 * @oc: oc->chosen is a valid, referenced task here
 * @message: oom_kill_process()'s second argument, a string literal
 *
 * With vm.oom_kill_allocating_task, out_of_memory() kills current without
 * select_bad_process(): oc->chosen_points stays 0, so there are no points
 * and no prediction to compare; @message tells that path from the others.
 *
 * Returns the victim's memcg, referenced, for oomlens_capture_paths() (the
 * caller puts it), or NULL when memcg is disabled.
 */
struct cgroup_subsys_state *oomlens_capture_victim(struct oomlens_event *ev,
						   struct oom_control *oc,
						   const char *message)
{
	struct task_struct *victim = oc->chosen;
	struct oomlens_badness b;

	oomlens_capture_constraint(ev, oc);
	ev->has_victim = true;
	ev->victim_by_alloc = message &&
			      !strcmp(message, ALLOCATING_TASK_MESSAGE);
	/* The allocating task may be any thread: the tgid, as candidates. */
	ev->victim_pid = task_tgid_nr(victim);
	oomlens_copy_comm(ev->victim_comm, victim);
	ev->victim_uid = from_kuid(&init_user_ns, task_uid(victim));
	/* What the kernel prints in "Killed process ... oom_score_adj:". */
	ev->victim_adj = READ_ONCE(victim->signal->oom_score_adj);
	/* The process's, as /proc/<tgid>/stat: the victim may be a thread. */
	ev->victim_start_ns = victim->group_leader->start_boottime;
	ev->victim_points = oc->chosen_points;
	/*
	 * The rss alone: the kernel's points are oc->chosen_points.  Not on
	 * PREEMPT_RT (task_lock() sleeps): mark_oom_victim()'s handler reads
	 * it there, under the task_lock() the kernel holds.
	 */
	if (oomlens_spinlock_allowed()) {
		memset(&b, 0, sizeof(b));
		oomlens_task_badness_inputs(victim, oc->totalpages, &b);
		ev->victim_rss = b.rss;
		ev->has_victim_rss = b.read;
	}
	return task_memcg_get(victim);
}

static unsigned long swap_pages(bool *known)
{
	unsigned long pages = 0;

	*known = oomlens_total_swap_pages_nosleep(&pages);
	return pages;
}

/**
 * oomlens_capture_inferred - derive the constraint without the probes
 * @ev: an event of a global OOM, from the notifier (current allocates)
 *
 * constrained_alloc() reads the allocation's nodemask and zonelist, which
 * the notifier cannot see.  The allocation's nodemask comes from current's
 * mempolicy (MPOL_BIND) and the zones it may use from current's cpuset, so
 * derive the same answer from those: MEMORY_POLICY when a bind policy does
 * not cover every node with memory, else CPUSET when mems_allowed does not,
 * else NONE.  Wrong for __GFP_THISNODE allocations (the kernel says NONE)
 * and for allocations with an explicit nodemask: hence "inferred".
 */
void oomlens_capture_inferred(struct oomlens_event *ev)
{
	nodemask_t mems = current->mems_allowed;
	bool policy = false, known;
	unsigned long pages;
	int nid;

	ev->inferred = true;
	ev->known_constraint = true;
#ifdef CONFIG_NUMA
	task_lock(current);
	if (current->mempolicy && current->mempolicy->mode == MPOL_BIND &&
	    !nodes_subset(node_states[N_MEMORY], current->mempolicy->nodes)) {
		mems = current->mempolicy->nodes;
		policy = true;
	}
	task_unlock(current);
#endif
	pages = swap_pages(&known);
	if (policy) {
		ev->constraint = CONSTRAINT_MEMORY_POLICY;
		ev->has_nodemask = true;
		ev->nodemask = mems;
	} else if (!nodes_subset(node_states[N_MEMORY], mems)) {
		ev->constraint = CONSTRAINT_CPUSET;
	} else {
		ev->constraint = CONSTRAINT_NONE;
		ev->totalpages = known ? totalram_pages() + pages : 0;
		return;
	}
	for_each_node_mask(nid, mems)
		pages += node_present_pages(nid);
	ev->totalpages = known ? pages : 0;
}

/**
 * oomlens_capture_top_wants - would a task of @points enter the top list?
 * @ev: the event
 * @points: its badness (not LONG_MIN)
 *
 * The early rejection that keeps a task outside the list at one compare.
 */
bool oomlens_capture_top_wants(const struct oomlens_event *ev, long points)
{
	if (!oomlens_snapshot_size)
		return false;
	return ev->ncand < oomlens_snapshot_size ||
	       oomlens_select_replaces(points, ev->cand[ev->ncand - 1].points);
}

/**
 * oomlens_capture_top_insert - insert @b into the top list
 * @ev: the event
 * @b: the row
 *
 * Highest points first.  The last task walked wins a tie
 * (oomlens_select_replaces()): a newcomer goes before the entries with
 * equal points, as the kernel's selection would pick it.
 */
void oomlens_capture_top_insert(struct oomlens_event *ev,
				const struct oomlens_badness *b)
{
	u32 i, n = ev->ncand;

	for (i = 0; i < n; i++)
		if (oomlens_select_replaces(b->points, ev->cand[i].points))
			break;
	if (i == oomlens_snapshot_size)
		return;
	if (n == oomlens_snapshot_size)
		n--;
	memmove(&ev->cand[i + 1], &ev->cand[i], (n - i) * sizeof(*b));
	ev->cand[i] = *b;
	ev->ncand = n + 1;
}

/**
 * oomlens_capture_top_force - put @b into the top list in any case
 * @ev: the event
 * @b: the row (the victim): in its place, or last when the list is full of
 *     higher points (it then replaces the lowest row)
 */
void oomlens_capture_top_force(struct oomlens_event *ev,
			       const struct oomlens_badness *b)
{
	if (!oomlens_snapshot_size)
		return;
	if (!oomlens_capture_top_wants(ev, b->points)) {
		ev->cand[ev->ncand - 1] = *b;
		return;
	}
	oomlens_capture_top_insert(ev, b);
}

/**
 * oomlens_capture_snapshot - the top tasks by badness, as the OOM sees them
 * @ev: the event, with its constraint, nodemask and totalpages captured
 * @oc: the OOM's control (memcg OOM: only that subtree), or NULL
 *
 * Mirrors select_bad_process() (select.c): the same totalpages, the same
 * eligibility (memcg subtree, or oom_cpuset_eligible()), the same verdicts,
 * oom_task_origin() tasks first.  cand[0] is oomlens' prediction of the
 * victim.  Tasks are scanned in for_each_process() order; for a memcg OOM
 * the kernel scans the memcg's tasks instead, so only a tie can be broken
 * differently.
 */
void oomlens_capture_snapshot(struct oomlens_event *ev, struct oom_control *oc)
{
	struct cgroup_subsys_state *memcg = NULL;
	enum oomlens_select_verdict verdict;
	const nodemask_t *mask;
	struct oomlens_badness b;
	struct task_struct *p;
	bool origin;
	u64 start;

	ev->ncand = 0;
	ev->predicted_pid = 0;
	if (!oomlens_spinlock_allowed()) {
		/* PREEMPT_RT: every task's badness would need task_lock(). */
		ev->cand_src = OOMLENS_CAND_NONE;
		ev->components = OOMLENS_COMP_PREEMPT_RT;
		return;
	}
	ev->cand_src = OOMLENS_CAND_DERIVED;
	ev->components = OOMLENS_COMP_READ;
	if (!ev->known_constraint || !ev->totalpages || !oomlens_snapshot_size)
		return;
	start = ktime_get_mono_fast_ns();
	mask = ev->has_nodemask ? &ev->nodemask : NULL;
	if (oc && oc->memcg)
		memcg = &oc->memcg->css;

	rcu_read_lock();
	for_each_process(p) {
		if (memcg) {
			if (!oomlens_memcg_in_subtree(oomlens_task_memcg(p),
						      memcg))
				continue;
		} else if (!oomlens_select_cpuset_eligible(p, mask)) {
			continue;
		}
		verdict = oomlens_select_check(p);
		if (verdict == OOMLENS_SELECT_SKIP)
			continue;
		origin = verdict == OOMLENS_SELECT_ORIGIN;
		/*
		 * Rank on the formula's points; only a task that enters the
		 * top list pays for its identity (and, on the kernel path,
		 * for the kernel's oom_badness(), which decides).
		 */
		b.start_time = 0;
		b.memcg = 0;
		oomlens_task_badness_inputs(p, ev->totalpages, &b);
		if (origin)
			b.points = LONG_MAX;
		if (b.points == LONG_MIN ||
		    !oomlens_capture_top_wants(ev, b.points))
			continue;
		oomlens_task_identity(p, ev->totalpages, &b);
		if (origin)
			b.points = LONG_MAX;
		if (b.points == LONG_MIN)
			continue;
		oomlens_capture_top_insert(ev, &b);
	}
	rcu_read_unlock();
	if (ev->ncand)
		ev->predicted_pid = ev->cand[0].pid;
	oomlens_stat_time(OOMLENS_TIMER_SNAPSHOT,
			  ktime_get_mono_fast_ns() - start);
}

/*
 * The row's memcg: its index in ev->cand_memcg[] (a new path made there
 * while room is left), or 0.
 */
static u8 row_memcg(struct oomlens_event *ev, struct cgroup_subsys_state **seen,
		    struct cgroup_subsys_state *css)
{
	u8 j;
	int ret;

	for (j = 0; j < ev->ncand_memcg; j++)
		if (seen[j] == css)
			return j + 1;
	if (j == OOMLENS_CAND_MEMCGS)
		return 0;
	ret = oomlens_memcg_path(css, ev->cand_memcg[j], OOMLENS_PATH_LEN);
	if (ret && ret != -ENAMETOOLONG)
		return 0;
	ev->cand_memcg_cut[j] = ret == -ENAMETOOLONG;
	seen[j] = css;
	ev->ncand_memcg++;
	return j + 1;
}

/**
 * oomlens_capture_cand_memcgs - the memory cgroup of each candidate
 * @ev: the event, its table final (at the kill, or in the notifier)
 *
 * Each row's task is found again by pid and start time (a pid reused
 * since is not the task of the row), and its memcg's path is kept once per
 * distinct memcg, up to OOMLENS_CAND_MEMCGS of them; the row names it by
 * index (cand[].memcg).  Rows without one are counted in
 * cand_memcg_unknown: the task had gone, its memcg was past the bound, or
 * its path could not be made here (cgroup v1 takes the kernfs rename lock:
 * not in NMI context, nor where a spinlock_t may not be taken).  cgroup v2
 * paths need no lock (memcg.c): any context.
 */
void oomlens_capture_cand_memcgs(struct oomlens_event *ev)
{
	struct cgroup_subsys_state *seen[OOMLENS_CAND_MEMCGS];
	struct cgroup_subsys_state *css;
	struct task_struct *p;
	bool paths;
	u32 i;

	ev->ncand_memcg = 0;
	ev->cand_memcg_unknown = 0;
	for (i = 0; i < ev->ncand; i++)
		ev->cand[i].memcg = 0;
	if (mem_cgroup_disabled() || !ev->ncand)
		return;
	paths = cgroup_subsys_on_dfl(memory_cgrp_subsys) ||
		(!in_nmi() && oomlens_spinlock_allowed());
	ev->has_cand_memcgs = true;
	rcu_read_lock();
	for (i = 0; i < ev->ncand; i++) {
		struct oomlens_badness *b = &ev->cand[i];

		p = pid_task(find_pid_ns(b->pid, &init_pid_ns), PIDTYPE_TGID);
		if (paths && p && p->start_time == b->start_time) {
			css = oomlens_task_memcg(p);
			if (css)
				b->memcg = row_memcg(ev, seen, css);
		}
		if (!b->memcg)
			ev->cand_memcg_unknown++;
	}
	rcu_read_unlock();
}
