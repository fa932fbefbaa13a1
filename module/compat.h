/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel version differences, as static inline wrappers.  The only file
 * that may test LINUX_VERSION_CODE; feature #ifdefs first.
 *
 * Supported: Debian 6.1 and 6.12.
 */
#ifndef OOMLENS_COMPAT_H
#define OOMLENS_COMPAT_H

#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/sched/coredump.h>
#include <linux/page_counter.h>

/*
 * MMF_OOM_SKIP (the OOM reaper is done with this mm): a bit of mm->flags,
 * an unsigned long in 6.1 and 6.12.  From 6.18 mm->flags is an mm_flags_t
 * bitmap (defined with NUM_MM_FLAG_BITS) read with mm_flags_test()
 * (mainline; not built here).
 */
static inline bool oomlens_mm_oom_skip(struct mm_struct *mm)
{
#ifdef NUM_MM_FLAG_BITS
	return mm_flags_test(MMF_OOM_SKIP, mm);
#else
	return test_bit(MMF_OOM_SKIP, &mm->flags);
#endif
}

/*
 * struct mem_cgroup: in both 6.1 and 6.12 "memory" is a page_counter and
 * "swap" (cgroup v2) shares a union with "memsw" (cgroup v1); the offsets
 * differ (6.12 added memory_peaks/swap_peaks, moved kmem/tcpmem under
 * CONFIG_MEMCG_V1), which only matters because we compile against each
 * kernel's own header.  page_counter.max is an unsigned long in pages.
 */
static inline unsigned long oomlens_memcg_memory_max(struct mem_cgroup *memcg)
{
	return READ_ONCE(memcg->memory.max);
}

static inline unsigned long oomlens_memcg_swap_max(struct mem_cgroup *memcg)
{
	return READ_ONCE(memcg->swap.max);
}

static inline unsigned long oomlens_memcg_memsw_max(struct mem_cgroup *memcg)
{
	return READ_ONCE(memcg->memsw.max);
}

/* memcg->swappiness is only used by cgroup v1 (mem_cgroup_swappiness()). */
static inline int oomlens_memcg_v1_swappiness(struct mem_cgroup *memcg)
{
	return READ_ONCE(memcg->swappiness);
}

/*
 * do_memsw_account(): memory+swap accounting, i.e. the memory controller on
 * a cgroup v1 hierarchy.  Since 6.11 cgroup v1 memory needs CONFIG_MEMCG_V1
 * (not set in Debian 6.12): without it the controller cannot leave the
 * default hierarchy, so the same test answers false there.
 */
static inline bool oomlens_memcg_memsw_account(void)
{
	return !cgroup_subsys_on_dfl(memory_cgrp_subsys);
}

#endif /* OOMLENS_COMPAT_H */
