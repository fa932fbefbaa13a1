// SPDX-License-Identifier: GPL-2.0
/*
 * Capturing an OOM event: copying what out_of_memory() sees (or, with the
 * notifier alone, what can be derived) into a struct oomlens_event.
 *
 * Every function here runs in the OOM path: in a probe handler (preemption
 * disabled, perhaps interrupts too) or in the OOM notifier (oom_lock held).
 * They take only spinning locks (task_lock, the kernfs rename lock with
 * interrupts saved) and RCU, never allocate, never print.
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
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/user_namespace.h>

#include "oomlens.h"

/* Not exported; NULL when unavailable (exported_only=1, or not found). */
static int *sysctl_panic_on_oom_p;
static int *sysctl_oom_kill_allocating_task_p;
static int *sysctl_oom_dump_tasks_p;
static long *total_swap_pages_p;

/* Module init only: oomlens_ksym_data() may not be called later. */
void oomlens_capture_init(void)
{
	sysctl_panic_on_oom_p = oomlens_ksym_data("sysctl_panic_on_oom");
	sysctl_oom_kill_allocating_task_p =
		oomlens_ksym_data("sysctl_oom_kill_allocating_task");
	sysctl_oom_dump_tasks_p = oomlens_ksym_data("sysctl_oom_dump_tasks");
	total_swap_pages_p = oomlens_ksym_data("total_swap_pages");
}

/* The path the kernel prints with pr_cont_cgroup_path(): kernfs, from root. */
static void cgroup_path_copy(struct cgroup *cgrp, char *buf)
{
	if (!cgrp || kernfs_path_from_node(cgrp->kn, NULL, buf,
					   OOMLENS_PATH_LEN) < 0)
		strscpy(buf, "-", OOMLENS_PATH_LEN);
}

static void memcg_path(struct mem_cgroup *memcg, char *buf)
{
	cgroup_path_copy(memcg ? memcg->css.cgroup : NULL, buf);
}

static void task_memcg_path(struct task_struct *p, char *buf)
{
#ifdef CONFIG_MEMCG
	rcu_read_lock();
	cgroup_path_copy(mem_cgroup_disabled() ? NULL :
			 task_cgroup(p, memory_cgrp_id), buf);
	rcu_read_unlock();
#else
	strscpy(buf, "-", OOMLENS_PATH_LEN);
#endif
}

/* Resident pages of @p's mm, as get_mm_rss(); 0 if no thread has an mm. */
static unsigned long task_rss(struct task_struct *p)
{
	struct task_struct *t;
	unsigned long rss = 0;

	rcu_read_lock();
	for_each_thread(p, t) {
		task_lock(t);
		if (t->mm) {
			rss = get_mm_rss(t->mm);
			task_unlock(t);
			break;
		}
		task_unlock(t);
	}
	rcu_read_unlock();
	return rss;
}

/**
 * oomlens_capture_start - what is known when out_of_memory() is entered
 * @ev: the event, oomlens_event_bytes() long
 * @oc: the OOM's control, or NULL when the notifier alone recorded it
 */
void oomlens_capture_start(struct oomlens_event *ev, struct oom_control *oc)
{
	memset(ev, 0, oomlens_event_bytes());
	ev->boot_ns = ktime_get_boottime_ns();
	ev->real_ns = ktime_get_real_ns();
	ev->pid = task_pid_nr(current);
	get_task_comm(ev->comm, current);
	ev->kind = OOMLENS_KIND_GLOBAL;
	ev->from_probe = oc;
	strscpy(ev->oom_memcg, "-", OOMLENS_PATH_LEN);
	strscpy(ev->victim_memcg, "-", OOMLENS_PATH_LEN);
	if (oc) {
		ev->known_gfp = true;
		ev->gfp_mask = oc->gfp_mask;
		ev->order = oc->order;
		if (oc->memcg) {
			ev->kind = OOMLENS_KIND_MEMCG;
			memcg_path(oc->memcg, ev->oom_memcg);
		} else if (oc->order == -1) {
			ev->kind = OOMLENS_KIND_SYSRQ;
		}
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
 * oomlens_capture_victim - the chosen task, at oom_kill_process() entry
 * @ev: the event
 * @oc: oc->chosen is a valid, referenced task here
 */
void oomlens_capture_victim(struct oomlens_event *ev, struct oom_control *oc)
{
	struct task_struct *victim = oc->chosen;

	oomlens_capture_constraint(ev, oc);
	ev->has_victim = true;
	ev->victim_pid = task_pid_nr(victim);
	get_task_comm(ev->victim_comm, victim);
	ev->victim_uid = from_kuid(&init_user_ns, task_uid(victim));
	ev->victim_points = oc->chosen_points;
	ev->victim_rss = task_rss(victim);
	task_memcg_path(victim, ev->victim_memcg);
}

static unsigned long swap_pages(bool *known)
{
	*known = total_swap_pages_p;
	return total_swap_pages_p ? READ_ONCE(*total_swap_pages_p) : 0;
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
