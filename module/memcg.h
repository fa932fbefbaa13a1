/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memcg.c: memory cgroups.  Call under rcu_read_lock(); no sleeping, no
 * allocation (the path is written into the caller's buffer).
 */
#ifndef OOMLENS_MEMCG_H
#define OOMLENS_MEMCG_H

#include <linux/types.h>

/* The longest cgroup path the tables print whole. */
#define OOMLENS_CGROUP_PATH_LEN 1024

struct cgroup_subsys_state;
struct task_struct;

struct cgroup_subsys_state *oomlens_task_memcg(struct task_struct *p);
struct cgroup_subsys_state *oomlens_memcg_root(void);
int oomlens_memcg_path(struct cgroup_subsys_state *css, char *buf, size_t len);
bool oomlens_memcg_limited(struct cgroup_subsys_state *css);
unsigned long oomlens_memcg_totalpages(struct cgroup_subsys_state *css,
				       unsigned long swap_pages,
				       int swappiness);
bool oomlens_memcg_in_subtree(struct cgroup_subsys_state *css,
			      struct cgroup_subsys_state *root);

#endif /* OOMLENS_MEMCG_H */
