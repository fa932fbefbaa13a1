/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own OOM report, parsed from the kernel log: the oracle the
 * OOM event tests compare with.  One report is the "invoked oom-killer:"
 * line, the task dump, the "oom-kill:constraint=" line and the
 * "Killed process" line of one kill.
 */
#ifndef OOM_KLOG_H
#define OOM_KLOG_H

#include <sys/types.h>

#include "oomlens_test.h"

#define OKL_MAX_ROWS 8192 /* a host of 5000 processes and more */
#define OKL_MAX_NODES 64

struct okl_row { /* one row of the task dump */
	long long pid, rss, pgtables_bytes, swapents, adj;
	char name[64];
};

struct okl_report {
	char invoker[64]; /* comm before " invoked oom-killer:" */
	char gfp[256]; /* "0x...(FLAGS)" as printed */
	int order;
	char constraint[64];
	char nodemask[64];
	char oom_memcg[256]; /* "-" for global_oom */
	char task_memcg[256];
	char task[64];
	long long pid, uid;
	long long killed_rss_kb; /* anon + file + shmem of Killed process */
	long long killed_pid; /* the first "Killed process <pid>" after it */
	long long killed_adj; /* its "oom_score_adj:" */
	/* mem_cgroup_print_oom_meminfo(): kB, as printed */
	int have_memcg, have_swap, swap_is_memsw;
	long long usage_kb, limit_kb, failcnt;
	long long swap_usage_kb, swap_limit_kb;
	/* __show_mem(): Mem-Info's free: (pages), each node's zones (kB) */
	int have_meminfo;
	long long free_pages;
	long long node_free_kb[OKL_MAX_NODES]; /* -1: not shown */
	int have_invoked, have_oomkill, have_killed;
	int nrows;
	struct okl_row rows[OKL_MAX_ROWS];
};

/*
 * Read the log from @k's cursor to the end and fill @r with the report of
 * the kill of @pid.  Returns 0 when the "oom-kill:" line of @pid was found.
 */
int okl_report_for(struct olt_kmsg *k, pid_t pid, struct okl_report *r);
const struct okl_row *okl_row(const struct okl_report *r, long long pid);

#endif
