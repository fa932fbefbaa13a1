// SPDX-License-Identifier: GPL-2.0
/*
 * Memory cgroups, with exported and inline API only: a task's memcg and
 * its path, the memcgs with a memory.max limit, and the totalpages a memcg
 * OOM uses (mem_cgroup_get_max(), not exported).
 *
 * Everything here must be called under rcu_read_lock() (task_css(),
 * css->parent and the css tree walk are RCU protected), never sleeps and
 * never allocates: the events code uses it from probe handlers.
 * A cgroup v2 path is made without a lock (path_v2()); a cgroup v1 path by
 * kernfs_path_from_node(), which takes kernfs_rename_lock with interrupts
 * off (a spinlock in 6.1, an rwlock in 6.12): atomic-safe, but a sleeping
 * lock on PREEMPT_RT.  cgroup_path_ns() takes cgroup_mutex and is not used.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/kernfs.h>
#include <linux/memcontrol.h>
#include <linux/minmax.h>
#include <linux/page_counter.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "compat.h"
#include "memcg.h"
#include "nmi.h"

/**
 * oomlens_task_memcg - @p's memory cgroup, or NULL if memcg is disabled
 * @p: the task
 */
struct cgroup_subsys_state *oomlens_task_memcg(struct task_struct *p)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "memcg lookup without rcu_read_lock()");
	if (mem_cgroup_disabled())
		return NULL;
	return task_css(p, memory_cgrp_id);
}

/**
 * oomlens_memcg_root - the root memory cgroup (root_mem_cgroup is not
 * exported: walk up from ours), or NULL if memcg is disabled
 */
struct cgroup_subsys_state *oomlens_memcg_root(void)
{
	struct cgroup_subsys_state *css = oomlens_task_memcg(current);

	while (css && css->parent)
		css = css->parent;
	return css;
}

/*
 * kernfs_path_from_node(@kn, NULL) without kernfs_rename_lock, for cgroup
 * v2: a v2 cgroup is never renamed or moved (cgroup_kf_syscall_ops has no
 * .rename), and kernfs.h allows reading ->parent and ->name directly for a
 * node that never moves.  The node is alive: the caller holds its css by a
 * reference or under rcu_read_lock() (the cgroup's kernfs_put() comes after
 * an RCU grace period), and each node holds its parent.  No lock, so any
 * context, NMI included.  Same contract as oomlens_memcg_path().
 */
static int path_v2(struct kernfs_node *kn, char *buf, size_t len)
{
	size_t total = 0, room = len - 2, pos, n;
	struct kernfs_node *k;

	for (k = kn; k->parent; k = k->parent)
		total += strlen(k->name) + 1;
	if (!total) {
		strscpy(buf, "/", len);
		return 0;
	}
	/* From the leaf up, each name before its '/'; what is past room dropped. */
	pos = total;
	for (k = kn; k->parent; k = k->parent) {
		n = strlen(k->name);
		pos -= n;
		if (pos < room)
			memcpy(buf + pos, k->name, min(n, room - pos));
		pos--;
		if (pos < room)
			buf[pos] = '/';
	}
	if (total > room) {
		buf[room] = '\0';
		return -ENAMETOOLONG;
	}
	buf[total] = '\0';
	return 0;
}

/**
 * oomlens_memcg_path - the cgroup path of a memcg ("/" for the root)
 * @css: the memcg, or NULL (memcg disabled: an empty string)
 * @buf: the buffer
 * @len: its size, at least 2
 *
 * The path is at most @len - 2 bytes long: one byte of @buf is kept free
 * to see a longer path.  kernfs_path_from_node() returns the full length in
 * 6.1 (strlcpy()) but the length written in 6.12 (scnprintf()), which never
 * reaches @len: only a path that fills @len - 1 bytes tells that it may
 * have been cut, and one byte more tells that it was.
 *
 * Returns 0, -ENAMETOOLONG with @buf holding the first @len - 2 bytes, or
 * another error with @buf "?" (-EWOULDBLOCK: cgroup v1 where a spinlock_t
 * may not be taken, a probe handler on PREEMPT_RT).
 */
int oomlens_memcg_path(struct cgroup_subsys_state *css, char *buf, size_t len)
{
	int ret;

	if (len < 2)
		return -ENAMETOOLONG;
	if (!css) {
		buf[0] = '\0';
		return 0;
	}
	if (cgroup_subsys_on_dfl(memory_cgrp_subsys))
		return path_v2(css->cgroup->kn, buf, len);
	if (!oomlens_spinlock_allowed()) {
		/* cgroup v1 on PREEMPT_RT, in a probe handler. */
		strscpy(buf, "?", len);
		return -EWOULDBLOCK;
	}
	ret = kernfs_path_from_node(css->cgroup->kn, NULL, buf, len);
	if (ret == -E2BIG || (ret >= 0 && (size_t)ret >= len - 1)) {
		buf[len - 2] = '\0';
		return -ENAMETOOLONG;
	}
	if (ret < 0) {
		strscpy(buf, "?", len);
		return ret;
	}
	return 0;
}

/**
 * oomlens_memcg_limited - whether a memcg has a memory limit (memory.max,
 * or memory.limit_in_bytes on cgroup v1) and can therefore have an OOM of
 * its own
 * @css: the memcg
 */
bool oomlens_memcg_limited(struct cgroup_subsys_state *css)
{
	if (!css || !css->parent || !(css->flags & CSS_ONLINE))
		return false;
	return oomlens_memcg_memory_max(mem_cgroup_from_css(css)) !=
	       PAGE_COUNTER_MAX;
}

/**
 * oomlens_memcg_totalpages - oc->totalpages of an OOM of this memcg
 * @css: the memcg
 * @swap_pages: total_swap_pages
 * @swappiness: vm_swappiness
 *
 * mem_cgroup_get_max() (mm/memcontrol.c, the same in 6.1 and 6.12), and
 * constrained_alloc()'s "?: 1".  mem_cgroup_swappiness() is re-derived: on
 * cgroup v2 and for the root it is vm_swappiness, else memcg->swappiness.
 */
unsigned long oomlens_memcg_totalpages(struct cgroup_subsys_state *css,
				       unsigned long swap_pages, int swappiness)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(css);
	unsigned long max = oomlens_memcg_memory_max(memcg);

	if (!cgroup_subsys_on_dfl(memory_cgrp_subsys) && css->parent)
		swappiness = oomlens_memcg_v1_swappiness(memcg);

	if (oomlens_memcg_memsw_account()) {
		if (swappiness) {
			/* Calculate swap excess capacity from memsw limit */
			unsigned long swap =
				oomlens_memcg_memsw_max(memcg) - max;

			max += min(swap, swap_pages);
		}
	} else {
		if (swappiness)
			max += min(oomlens_memcg_swap_max(memcg), swap_pages);
	}
	return max ?: 1;
}

/**
 * oomlens_memcg_in_subtree - whether @css is @root or below it
 * @css: a memcg (may be NULL)
 * @root: the subtree's root
 */
bool oomlens_memcg_in_subtree(struct cgroup_subsys_state *css,
			      struct cgroup_subsys_state *root)
{
	for (; css; css = css->parent)
		if (css == root)
			return true;
	return false;
}
