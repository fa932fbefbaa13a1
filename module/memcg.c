// SPDX-License-Identifier: GPL-2.0
/*
 * Memory cgroups, with exported and inline API only: a task's memcg and
 * its path, the memcgs with a memory.max limit, and the totalpages a memcg
 * OOM uses (mem_cgroup_get_max(), not exported).
 *
 * Everything here must be called under rcu_read_lock() (task_css(),
 * css->parent and the css tree walk are RCU protected), never sleeps and
 * never allocates: the events code uses it from probe handlers.
 * kernfs_path_from_node() takes kernfs_rename_lock with interrupts off (a
 * spinlock in 6.1, an rwlock in 6.12), so it is atomic-safe; cgroup_path_ns()
 * is not (it takes cgroup_mutex) and is not used.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/kernfs.h>
#include <linux/memcontrol.h>
#include <linux/minmax.h>
#include <linux/page_counter.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include "compat.h"
#include "memcg.h"

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
 * Returns 0, or -ENAMETOOLONG with @buf holding the first @len - 2 bytes.
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
