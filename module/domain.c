// SPDX-License-Identifier: GPL-2.0
/*
 * The OOM's domain at the OOM: what the kernel's report prints of the
 * memory it ran out of, read a moment before dump_header() prints it, in
 * the same task (oom_kill_process() entry; at out_of_memory()'s return
 * when there was no kill, and then after the kernel's selection).
 *
 * - A memcg OOM: mem_cgroup_print_oom_meminfo()'s "memory: usage, limit,
 *   failcnt" of oc->memcg (the memcg whose limit was hit, which may be an
 *   ancestor of the victim's), and its "swap:" counter on cgroup v2 or
 *   "memory+swap:" on cgroup v1 (the same page_counter, a union).
 * - Any other OOM: __show_mem()'s global free pages ("Mem-Info: ...
 *   free:"), si_mem_available() (MemAvailable's formula), and the free
 *   pages of each node the report shows (oc->nodemask, else current's
 *   mems_allowed, as show_mem_node_skip()), summed over the zones it shows
 *   (up to gfp_zone() of the allocation), up to OOMLENS_DOMAIN_NODES nodes.
 *
 * Only counters read with READ_ONCE()/atomics, exported symbols and inline
 * helpers: no lock, no allocation, any context (NMI included).  Other CPUs
 * may allocate or free between this read and the kernel's print, so the
 * free pages agree only within what they did meanwhile (documented, and
 * tested as a bound).  The same holds for a memcg's usage and failcnt when
 * other tasks of the memcg charge, uncharge or fail a charge in between;
 * with one task allocating there (the tests' case) they are equal.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/cpuset.h>
#include <linux/gfp.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/oom.h>
#include <linux/page_counter.h>
#include <linux/sched.h>
#include <linux/vmstat.h>

#include "domain.h"
#include "event.h"

static void memcg_domain(struct oomlens_event *ev, struct mem_cgroup *memcg)
{
	ev->domain = OOMLENS_DOMAIN_MEMCG;
	ev->dom_v1 = !cgroup_subsys_on_dfl(memory_cgrp_subsys);
	ev->dom_usage = page_counter_read(&memcg->memory);
	ev->dom_limit = READ_ONCE(memcg->memory.max);
	ev->dom_failcnt = READ_ONCE(memcg->memory.failcnt);
	/* swap (v2) and memsw (v1) share the page_counter. */
	ev->dom_swap_usage = page_counter_read(&memcg->swap);
	ev->dom_swap_limit = READ_ONCE(memcg->swap.max);
}

/* A node's free pages in the zones an allocation may use, as printed. */
static unsigned long node_free(int nid, enum zone_type max_zone)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	unsigned long pages = 0;
	int z;

	for (z = 0; z <= max_zone && z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		if (populated_zone(zone))
			pages += zone_page_state(zone, NR_FREE_PAGES);
	}
	return pages;
}

static void mem_domain(struct oomlens_event *ev, struct oom_control *oc)
{
	enum zone_type max_zone = MAX_NR_ZONES - 1;
	nodemask_t nodes;
	int nid;

	ev->domain = OOMLENS_DOMAIN_MEM;
	ev->dom_free = global_zone_page_state(NR_FREE_PAGES);
	ev->dom_available = si_mem_available();
	/* The nodes __show_mem() shows: the policy's, else the cpuset's. */
	if (oc && oc->nodemask)
		nodes = *oc->nodemask;
	else
		nodes = cpuset_current_mems_allowed;
	if (ev->known_gfp)
		max_zone = gfp_zone(ev->gfp_mask);
	ev->dom_nnodes = 0;
	ev->dom_nodes_cut = false;
	for_each_node_mask(nid, nodes) {
		if (!node_state(nid, N_MEMORY))
			continue;
		if (ev->dom_nnodes == OOMLENS_DOMAIN_NODES) {
			ev->dom_nodes_cut = true;
			break;
		}
		ev->dom_node[ev->dom_nnodes].nid = nid;
		ev->dom_node[ev->dom_nnodes].free = node_free(nid, max_zone);
		ev->dom_nnodes++;
	}
}

/**
 * oomlens_domain_capture - the domain's counters, once per event
 * @ev: the event (its kind and gfp_mask known)
 * @oc: the OOM's control, or NULL (the notifier alone: global)
 */
void oomlens_domain_capture(struct oomlens_event *ev, struct oom_control *oc)
{
	if (ev->domain != OOMLENS_DOMAIN_NONE)
		return;
	if (oc && oc->memcg)
		memcg_domain(ev, oc->memcg);
	else
		mem_domain(ev, oc);
}
