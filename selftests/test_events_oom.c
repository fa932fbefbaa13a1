// SPDX-License-Identifier: GPL-2.0
/*
 * OOM events against the kernel's own report, for each constraint:
 *
 *   CONSTRAINT_NONE           a global OOM (overcommit_memory=1, no swap)
 *   CONSTRAINT_MEMCG          a cgroup v2 group with memory.max (and again
 *                             with memory.oom.group=1)
 *   CONSTRAINT_CPUSET         a cgroup with cpuset.mems=1 exhausting node 1
 *   CONSTRAINT_MEMORY_POLICY  set_mempolicy(MPOL_BIND, node 1), exhausting
 *                             node 1
 *
 * Each round starts bystanders of known sizes (hog -m), then an allocator
 * that grows until the OOM killer kills it, and compares the event that
 * recorded the kill with the kernel log of that kill: the invoking task,
 * gfp_mask, order, constraint, nodemask, memcg paths, victim pid, comm and
 * uid, the victim's rss (the "Killed process" line), totalpages (computed
 * here the way constrained_alloc() does, from /proc/meminfo, memory.max and
 * /proc/zoneinfo), and every candidate of the snapshot that the kernel's
 * task dump also lists (rss, page tables, swap entries, adj, and the
 * points those give under that totalpages).  The prediction must match.
 *
 * The kernel rate-limits its report to 10 per 5 s; every round here causes
 * one kill and the rounds are spaced so that the log keeps every report.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "oom_klog.h"
#include "oomlens_test.h"
#include "parse_events.h"
#include "proc_pid.h"

#define ROUNDS 3
#define CG_ROOT "/sys/fs/cgroup"
#define CG_MEMCG CG_ROOT "/oltev_memcg"
#define CG_CPUSET CG_ROOT "/oltev_cpuset"
#define CG_BY CG_ROOT "/oltev_by" /* a memcg of its own, no limit */
#define CG_MANY CG_ROOT "/oltev_many%d" /* one per bystander */
#define NMANY (OOMLENS_EV_CAND_MEMCGS_MAX + 3)
#define MEMCG_MAX_MB 64
#define MPOL_BIND 2

/* node_present_pages(1): the "present" counts of node 1's zones. */
static long long node_present_pages(int nid)
{
	char *b = olt_read("/proc/zoneinfo"), *line, *save = NULL;
	long long sum = 0;
	int cur = -1;

	if (!b)
		return -1;
	for (line = strtok_r(b, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int n;
		long long v;

		if (sscanf(line, "Node %d, zone", &n) == 1)
			cur = n;
		else if (cur == nid && sscanf(line, " present %lld", &v) == 1)
			sum += v;
	}
	free(b);
	return sum;
}

static long long swap_pages(void)
{
	return olt_meminfo_kb("SwapTotal") / 4;
}

/* totalpages as constrained_alloc() computes it for each constraint. */
static long long expected_totalpages(const char *constraint)
{
	if (!strcmp(constraint, "CONSTRAINT_MEMCG"))
		return MEMCG_MAX_MB * 256LL;
	if (!strcmp(constraint, "CONSTRAINT_NONE"))
		return olt_meminfo_kb("MemTotal") / 4 + swap_pages();
	return node_present_pages(1) + swap_pages();
}

static int bind_to_node1(void *unused)
{
	unsigned long mask = 1UL << 1;

	return syscall(SYS_set_mempolicy, MPOL_BIND, &mask, sizeof(mask) * 8);
}

static pid_t hog_bound_to_node1(void)
{
	return olt_hog_spawn("", bind_to_node1, NULL);
}

static int read_events(struct ol_events *evs, char *err, size_t errlen)
{
	char *b = olt_read(OL_DIR "/" OOMLENS_FILE_EVENTS);
	int ret;

	if (!b) {
		snprintf(err, errlen, "read events: %m");
		return -1;
	}
	ret = ol_events_parse(b, 0, 1, evs, NULL, err, errlen);
	free(b);
	return ret;
}

static const struct ol_event *find_kill(const struct ol_events *evs,
					unsigned long long after, pid_t victim)
{
	size_t i;
	long long v;

	for (i = 0; i < evs->n; i++) {
		const struct ol_event *ev = &evs->ev[i];

		if (ev->seq <= after)
			continue;
		if (!ol_ev_num(ev, OOMLENS_EV_VICTIM_PID, &v) && v == victim &&
		    !strcmp(ol_ev_str(ev, OOMLENS_EV_OUTCOME),
			    OOMLENS_OUTCOME_KILLED))
			return ev;
	}
	return NULL;
}

static const struct ol_cand *find_cand(const struct ol_event *ev, long long pid)
{
	int i;

	for (i = 0; i < ev->ncand; i++)
		if (ev->cand[i].pid == pid)
			return &ev->cand[i];
	return NULL;
}

/* A key's value, or "absent" (a module before it) for the logs. */
static const char *key_or(const struct ol_event *ev, const char *key)
{
	return ol_ev_str(ev, key) ?: "absent";
}

static long long num(const struct ol_event *ev, const char *key)
{
	long long v;

	return ol_ev_num(ev, key, &v) ? -999999 : v;
}

/* The newest event after @after whose victim is @victim, any outcome. */
static const struct ol_event *last_event_for(const struct ol_events *evs,
					     unsigned long long after,
					     pid_t victim)
{
	const struct ol_event *found = NULL;
	size_t i;

	for (i = 0; i < evs->n; i++)
		if (evs->ev[i].seq > after &&
		    num(&evs->ev[i], OOMLENS_EV_VICTIM_PID) == victim)
			found = &evs->ev[i];
	return found;
}

/* A counter of /proc/vmstat ("oom_kill") or of a memory.events file. */
static long long counter(const char *path, const char *key)
{
	long long v;

	return olt_keyed(path, key, &v) ? -1 : v;
}

/* The sums of kills and kill_calls over the events after @after. */
static void sum_kills(const struct ol_events *evs, unsigned long long after,
		      long long *kills, long long *calls)
{
	size_t i;

	*kills = 0;
	*calls = 0;
	for (i = 0; i < evs->n; i++) {
		if (evs->ev[i].seq <= after)
			continue;
		*kills += num(&evs->ev[i], OOMLENS_EV_KILLS);
		*calls += num(&evs->ev[i], OOMLENS_EV_KILL_CALLS);
	}
}

/* A word value of "stats" ("ksym_<name> kernel", "swap_total_path proc"). */
static int stats_says(const char *key, const char *val)
{
	char want[128], *b = olt_read(OL_DIR "/" OOMLENS_FILE_STATS);
	int yes;

	snprintf(want, sizeof(want), "\n%s %s\n", key, val);
	yes = b && strstr(b, want);
	free(b);
	return yes;
}

/* The sysctls are the kernel's variables, or "-" when unreachable. */
static void check_sysctls(struct __test_metadata *_metadata,
			  const struct ol_event *ev)
{
	if (!stats_says(OOMLENS_STAT_KSYM_PREFIX "sysctl_panic_on_oom",
			OOMLENS_KSYM_KERNEL)) {
		EXPECT_STREQ("unavailable", ol_ev_str(ev, OOMLENS_EV_SYSCTLS));
		EXPECT_STREQ("-", ol_ev_str(ev, OOMLENS_EV_PANIC_ON_OOM));
		EXPECT_STREQ("-", ol_ev_str(ev, OOMLENS_EV_KILL_ALLOC));
		EXPECT_STREQ("-", ol_ev_str(ev, OOMLENS_EV_DUMP_TASKS));
		return;
	}
	EXPECT_STREQ(OOMLENS_SYSCTLS_KERNEL, ol_ev_str(ev, OOMLENS_EV_SYSCTLS));
	EXPECT_EQ(0, num(ev, OOMLENS_EV_PANIC_ON_OOM));
	EXPECT_EQ(0, num(ev, OOMLENS_EV_KILL_ALLOC));
	EXPECT_EQ(1, num(ev, OOMLENS_EV_DUMP_TASKS));
}

struct kind {
	const char *constraint;
	const char *alloc_args; /* for olt_hog, or NULL: bound to node 1 */
	const char *by_cgroup; /* cgroup of the bystanders ("" none) */
	int outsider; /* also a bystander outside (not a candidate) */
};

/*
 * A PREEMPT_RT kernel: there the rows' rss, swap and pgtables are not read
 * in the OOM path (task_lock() sleeps; design.rst, "PREEMPT_RT"): the rows
 * hold 0 and the event says candidates_components preempt_rt.
 */
static bool rt_kernel(void)
{
	struct utsname u;

	/* "#1 SMP PREEMPT_RT ...": /sys/kernel/realtime is not mainline's. */
	return !uname(&u) && strstr(u.version, "PREEMPT_RT");
}

/* A row against the kernel's task dump: its numbers and its points. */
static void check_row(struct __test_metadata *_metadata,
		      const struct okl_row *row, const struct ol_cand *c,
		      long long tp)
{
	/* OOMLENS_EV_CAND_READ: every row of a module that sends it. */
	EXPECT_EQ(rt_kernel() ? 0 : 1, c->read)
	TH_LOG("pid %lld: read=%lld", c->pid, c->read);
	if (rt_kernel()) {
		EXPECT_EQ(0, c->rss + c->pgtables + c->swap)
		TH_LOG("pid %lld: components read on PREEMPT_RT", c->pid);
	} else {
		EXPECT_EQ(row->rss, c->rss);
		EXPECT_EQ(row->pgtables_bytes / 4096, c->pgtables);
		EXPECT_EQ(row->swapents, c->swap);
	}
	EXPECT_EQ(row->adj, c->adj);
	EXPECT_EQ(row->rss + row->pgtables_bytes / 4096 + row->swapents +
			  row->adj * (tp / 1000),
		  c->points)
	TH_LOG("pid %lld", c->pid);
}

/*
 * The kernel's own evaluation, where the return probe on oom_badness() is
 * in use: the table is its results, and it evaluated exactly the tasks of
 * the kernel's task dump (the same eligibility and scope) but for those
 * oom_badness() turns away: oom_score_adj -1000 (dump_tasks() lists them),
 * tasks without an mm (it does not).  So the calls that returned points are
 * the dump's rows with another adj.  The margin is the victim's points less
 * the runner-up's.
 */
static void check_evaluation(struct __test_metadata *_metadata,
			     const struct ol_event *ev,
			     const struct okl_report *r)
{
	long long scored = 0, tp;
	int i;

	if (!stats_says(OOMLENS_STAT_CANDIDATES_SRC, OOMLENS_SRC_KERNEL)) {
		EXPECT_STREQ(OOMLENS_SRC_DERIVED,
			     ol_ev_str(ev, OOMLENS_EV_CANDIDATES_SRC));
		return;
	}
	EXPECT_STREQ(OOMLENS_SRC_KERNEL,
		     ol_ev_str(ev, OOMLENS_EV_CANDIDATES_SRC));
	EXPECT_EQ(0, num(ev, OOMLENS_EV_EVALUATION_UNSEEN));
	EXPECT_EQ(0, num(ev, OOMLENS_EV_EVALUATION_MISSED));
	EXPECT_EQ(rt_kernel() ? ev->ncand : 0,
		  num(ev, OOMLENS_EV_CANDIDATES_UNREAD));
	EXPECT_STREQ(rt_kernel() ? OOMLENS_COMPONENTS_PREEMPT_RT :
				   OOMLENS_COMPONENTS_READ,
		     ol_ev_str(ev, OOMLENS_EV_CANDIDATES_COMPONENTS));
	for (i = 0; i < r->nrows; i++)
		scored += r->rows[i].adj != -1000;
	if (r->nrows < OKL_MAX_ROWS) {
		EXPECT_EQ(scored,
			  num(ev, OOMLENS_EV_EVALUATED) -
				  num(ev, OOMLENS_EV_EVALUATION_EXCLUDED))
		TH_LOG("oom_badness() scored %lld tasks, the task dump lists %lld",
		       num(ev, OOMLENS_EV_EVALUATED) -
			       num(ev, OOMLENS_EV_EVALUATION_EXCLUDED),
		       scored);
	}
	if (ev->ncand >= 2) {
		EXPECT_EQ(ev->cand[0].points - ev->cand[1].points,
			  num(ev, OOMLENS_EV_VICTIM_MARGIN));
	} else {
		EXPECT_STREQ("-", ol_ev_str(ev, OOMLENS_EV_VICTIM_MARGIN));
	}
	/* Every row is a row of the dump, with its numbers and points. */
	tp = num(ev, OOMLENS_EV_TOTALPAGES);
	for (i = 0; i < ev->ncand && r->nrows < OKL_MAX_ROWS; i++) {
		const struct ol_cand *c = &ev->cand[i];
		const struct okl_row *row = okl_row(r, c->pid);

		EXPECT_NE(NULL, row)
		TH_LOG("row %d, pid %lld, is not in the kernel's task dump",
		       i + 1, c->pid);
		if (!row)
			continue;
		check_row(_metadata, row, c, tp);
	}
}

/* Has the cgroup at @path (under CG_ROOT) a memory css of its own? */
static bool has_memory(const char *path)
{
	char file[4200], *b, *w, *save = NULL;
	bool yes = false;

	if (!strcmp(path, "/"))
		return true;
	snprintf(file, sizeof(file), CG_ROOT "%s/cgroup.controllers", path);
	b = olt_read(file);
	for (w = b ? strtok_r(b, " \n", &save) : NULL; w && !yes;
	     w = strtok_r(NULL, " \n", &save))
		yes = !strcmp(w, "memory");
	free(b);
	return yes;
}

/*
 * The memcg path of @pid now, or "" when gone: its cgroup v2 path
 * ("0::<path>"), or the nearest ancestor's where the memory controller is
 * not enabled in it (cgroup.controllers), as task_css() resolves it.
 */
static void proc_memcg(long long pid, char *buf, size_t len)
{
	char *slash;

	ol_proc_cgroup(pid, buf, len);
	while (buf[0] && !has_memory(buf)) {
		slash = strrchr(buf, '/');
		if (slash == buf)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

/* Does /proc/<pid>/stat's starttime (clock ticks) fall on @start_ns? */
static bool start_matches(long long start_ns, unsigned long long ticks)
{
	long hz = sysconf(_SC_CLK_TCK);

	return hz > 0 && start_ns >= 0 &&
	       (unsigned long long)start_ns / (1000000000ULL / hz) == ticks;
}

/*
 * Who each row is, beyond its numbers: its start time and memcg path
 * against /proc for the processes still running (the same ones, by start
 * time; @live must be), the victim's against the kernel's report
 * (task_memcg=, "Killed process ... oom_score_adj:") and its /proc/<pid>/stat
 * read before it was reaped (@victim_ticks); one cand_memcg_<i> key per
 * distinct path, every row naming one.
 */
static int check_identity(struct __test_metadata *_metadata,
			  const struct ol_event *ev, const struct okl_report *r,
			  long long victim, unsigned long long victim_ticks,
			  const pid_t *live, int nlive, bool bounded)
{
	long long n = num(ev, OOMLENS_EV_CAND_MEMCGS), i, j;
	const struct ol_cand *vc = find_cand(ev, victim);
	char key[32], now[4096];
	int unknown = 0;

	EXPECT_EQ(r->killed_adj, num(ev, OOMLENS_EV_VICTIM_ADJ));
	EXPECT_TRUE(
		start_matches(num(ev, OOMLENS_EV_VICTIM_START), victim_ticks))
	TH_LOG("victim_start_ns %lld, /proc/%lld/stat starttime %llu",
	       num(ev, OOMLENS_EV_VICTIM_START), victim, victim_ticks);
	if (vc) {
		EXPECT_EQ(num(ev, OOMLENS_EV_VICTIM_START), vc->start_ns);
		EXPECT_EQ(num(ev, OOMLENS_EV_VICTIM_ADJ), vc->adj);
	}
	if (!bounded) {
		EXPECT_EQ(0, num(ev, OOMLENS_EV_CAND_MEMCG_UNKNOWN));
	} else {
		EXPECT_EQ(OOMLENS_EV_CAND_MEMCGS_MAX, n);
	}
	EXPECT_GE(n, 1);
	EXPECT_LE(n, OOMLENS_EV_CAND_MEMCGS_MAX);
	for (i = 1; i <= n; i++) {
		const char *a, *b;

		snprintf(key, sizeof(key), OOMLENS_EV_CAND_MEMCG_PREFIX "%lld",
			 i);
		a = ol_ev_str(ev, key);
		ASSERT_NE(NULL, a) TH_LOG("no %s", key);
		for (j = 1; j < i; j++) {
			snprintf(key, sizeof(key),
				 OOMLENS_EV_CAND_MEMCG_PREFIX "%lld", j);
			b = ol_ev_str(ev, key);
			EXPECT_STRNE(a, b ?: "") TH_LOG("path %s twice", a);
		}
	}
	for (i = 0; i < ev->ncand; i++) {
		const struct ol_cand *c = &ev->cand[i];
		const char *path = ol_cand_memcg(ev, c);
		bool must = c->pid == victim;

		if (!bounded) {
			EXPECT_GE(c->memcg, 1)
			TH_LOG("pid %lld: no memcg", c->pid);
		}
		EXPECT_LE(c->memcg, n);
		unknown += c->memcg == 0;
		if (c->pid == victim) {
			EXPECT_STREQ(r->task_memcg, path ?: "(none)");
			continue;
		}
		for (j = 0; j < nlive; j++)
			must |= live[j] == c->pid;
		/* Others may have exited, or their pid been reused, since. */
		if (!ol_proc_same(c->pid, c->start_ns)) {
			EXPECT_FALSE(must)
			TH_LOG("pid %lld: start_ns %lld is not its /proc start",
			       c->pid, c->start_ns);
			continue;
		}
		proc_memcg(c->pid, now, sizeof(now));
		if (path) {
			EXPECT_STREQ(now, path) TH_LOG("pid %lld", c->pid);
			continue;
		}
		/* Past the bound: its memcg is none of the ones kept. */
		for (j = 1; j <= n; j++) {
			snprintf(key, sizeof(key),
				 OOMLENS_EV_CAND_MEMCG_PREFIX "%lld", j);
			EXPECT_STRNE(now, ol_ev_str(ev, key) ?: "")
			TH_LOG("pid %lld: memcg %s is kept, but not named",
			       c->pid, now);
		}
	}
	EXPECT_EQ(unknown, num(ev, OOMLENS_EV_CAND_MEMCG_UNKNOWN));
	return unknown;
}

/*
 * How far free pages may move between the module's read, at
 * oom_kill_process() entry, and the kernel's print in dump_header() a
 * moment later in the same task: other CPUs allocate and free meanwhile.
 */
#define FREE_SLACK_PAGES 1024

/*
 * The OOM's domain against the kernel's own report of it: a memcg's
 * "memory:" and "swap:" lines (the same counters, read a moment before,
 * while every task of the memcg is stalled in charging: equal), or
 * Mem-Info's free pages and each node's zones (within FREE_SLACK_PAGES).
 */
static void check_domain(struct __test_metadata *_metadata,
			 const struct ol_event *ev, const struct okl_report *r)
{
	const char *nodes = ol_ev_str(ev, OOMLENS_EV_DOMAIN_NODE_FREE);
	long long v, free_pages, nid, pages;
	int seen[OKL_MAX_NODES] = { 0 }, i, n;

	ASSERT_NE(NULL, nodes) TH_LOG("no %s key", OOMLENS_EV_DOMAIN_NODE_FREE);
	if (!strcmp(ol_ev_str(ev, OOMLENS_EV_KIND), OOMLENS_KIND_WORD_MEMCG)) {
		ASSERT_TRUE(r->have_memcg) TH_LOG("no 'memory: usage' line");
		EXPECT_EQ(r->usage_kb, num(ev, OOMLENS_EV_DOMAIN_USAGE) * 4);
		EXPECT_EQ(r->limit_kb, num(ev, OOMLENS_EV_DOMAIN_LIMIT) * 4);
		EXPECT_EQ(r->failcnt, num(ev, OOMLENS_EV_DOMAIN_FAILCNT));
		EXPECT_TRUE(r->have_swap);
		EXPECT_EQ(r->swap_usage_kb,
			  num(ev, OOMLENS_EV_DOMAIN_SWAP_USAGE) * 4);
		EXPECT_EQ(r->swap_limit_kb,
			  num(ev, OOMLENS_EV_DOMAIN_SWAP_LIMIT) * 4);
		EXPECT_STREQ(r->swap_is_memsw ? OOMLENS_DOMAIN_MEMSW :
						OOMLENS_DOMAIN_SWAP,
			     ol_ev_str(ev, OOMLENS_EV_DOMAIN_SWAP_COUNTER));
		EXPECT_STREQ("-", ol_ev_str(ev, OOMLENS_EV_DOMAIN_FREE));
		EXPECT_STREQ("-", nodes);
		ksft_print_msg(
			"domain: usage %lld kB limit %lld kB failcnt %lld, as the report\n",
			r->usage_kb, r->limit_kb, r->failcnt);
		return;
	}
	EXPECT_STREQ("-", ol_ev_str(ev, OOMLENS_EV_DOMAIN_USAGE));
	ASSERT_TRUE(r->have_meminfo) TH_LOG("no Mem-Info free: in the report");
	free_pages = num(ev, OOMLENS_EV_DOMAIN_FREE);
	ksft_print_msg(
		"domain: free %lld pages, the report %lld (%+lld); nodes %s\n",
		free_pages, r->free_pages, r->free_pages - free_pages, nodes);
	EXPECT_LE(llabs(r->free_pages - free_pages), FREE_SLACK_PAGES);
	v = num(ev, OOMLENS_EV_DOMAIN_AVAILABLE);
	EXPECT_GE(v, 0);
	EXPECT_LE(v, sysconf(_SC_PHYS_PAGES));
	/* "<nid>:<pages>,...": each a node the report shows. */
	for (i = 0; nodes[i];) {
		ASSERT_EQ(2, sscanf(nodes + i, "%lld:%lld%n", &nid, &pages, &n))
		TH_LOG("bad node list '%s'", nodes);
		ASSERT_TRUE(nid >= 0 && nid < OKL_MAX_NODES);
		seen[nid] = 1;
		EXPECT_GE(r->node_free_kb[nid], 0)
		TH_LOG("node %lld is not in the report", nid);
		ksft_print_msg(
			"domain: node %lld free %lld pages, the report %lld (%+lld)\n",
			nid, pages, r->node_free_kb[nid] / 4,
			r->node_free_kb[nid] / 4 - pages);
		EXPECT_LE(llabs(r->node_free_kb[nid] / 4 - pages),
			  FREE_SLACK_PAGES);
		i += n;
		if (nodes[i] == ',')
			i++;
	}
	for (i = 0; i < OKL_MAX_NODES; i++) {
		EXPECT_EQ(r->node_free_kb[i] >= 0, seen[i])
		TH_LOG("node %d: in the report %d, in the event %d", i,
		       r->node_free_kb[i] >= 0, seen[i]);
	}
}

/* /proc/<pid>/stat's starttime (0 if unreadable): a zombie has it too. */
static unsigned long long start_ticks(pid_t pid)
{
	struct ol_proc_stat st;

	return ol_proc_stat(pid, &st) ? st.start_ticks : 0;
}

/*
 * One OOM: bystanders, an allocator killed by the OOM killer, then the
 * event compared with the kernel's report.
 */
static void oom_round(struct __test_metadata *_metadata, const struct kind *kd,
		      int round)
{
	pid_t by[3] = { -1, -1, -1 }, pid;
	struct okl_report r;
	struct ol_events evs;
	const struct ol_event *ev;
	struct olt_kmsg k;
	unsigned long long before, ticks;
	long long tp, exp_tp, vm_kills0, kills, calls;
	char args[256], err[256];
	int i, sig, nby = 2;

	before = olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ);
	vm_kills0 = counter("/proc/vmstat", "oom_kill");
	for (i = 0; i < 2; i++) {
		snprintf(args, sizeof(args), "-m %d%s%s", 8 * (i + 1) + round,
			 kd->by_cgroup[0] ? " -c " : "", kd->by_cgroup);
		by[i] = olt_hog(args);
		ASSERT_GT(by[i], 0);
	}
	if (kd->outsider) {
		by[2] = olt_hog("-m 4");
		ASSERT_GT(by[2], 0);
		nby = 3;
	}
	ASSERT_EQ(0, olt_kmsg_open(&k));
	pid = kd->alloc_args ? olt_hog(kd->alloc_args) : hog_bound_to_node1();
	ASSERT_GT(pid, 0);
	/* Before it is reaped: a zombie's stat still has its start time. */
	ticks = start_ticks(pid);
	sig = olt_wait_signal(pid);
	EXPECT_EQ(SIGKILL, sig);
	usleep(300000);

	EXPECT_EQ(0, okl_report_for(&k, pid, &r))
	TH_LOG("round %d: no oom-kill line for pid %d", round, pid);
	olt_kmsg_close(&k);
	ASSERT_EQ(0, read_events(&evs, err, sizeof(err))) TH_LOG("%s", err);
	ev = find_kill(&evs, before, pid);
	ASSERT_NE(NULL, ev)
	TH_LOG("round %d: no killed event for pid %d", round, pid);

	TH_LOG("round %d: event %llu %s gfp %s nodemask %s totalpages %s victim %d candidates %s evaluated %s excluded %s margin %s rows %d",
	       round, ev->seq, ol_ev_str(ev, OOMLENS_EV_CONSTRAINT),
	       ol_ev_str(ev, OOMLENS_EV_GFP),
	       ol_ev_str(ev, OOMLENS_EV_NODEMASK),
	       ol_ev_str(ev, OOMLENS_EV_TOTALPAGES), pid,
	       key_or(ev, OOMLENS_EV_CANDIDATES_SRC),
	       key_or(ev, OOMLENS_EV_EVALUATED),
	       key_or(ev, OOMLENS_EV_EVALUATION_EXCLUDED),
	       key_or(ev, OOMLENS_EV_VICTIM_MARGIN), ev->ncand);
	EXPECT_STREQ(OOMLENS_EVENTS_PATH_PROBES,
		     ol_ev_str(ev, OOMLENS_EV_SOURCE));
	EXPECT_STREQ("0", ol_ev_str(ev, OOMLENS_EV_INFERRED));
	EXPECT_STREQ(kd->constraint, ol_ev_str(ev, OOMLENS_EV_CONSTRAINT));
	EXPECT_STREQ(!strcmp(kd->constraint, "CONSTRAINT_MEMCG") ? "memcg" :
								   "global",
		     ol_ev_str(ev, OOMLENS_EV_KIND));
	if (r.have_invoked) {
		EXPECT_STREQ(r.invoker, ol_ev_str(ev, OOMLENS_EV_COMM));
		EXPECT_STREQ(r.gfp, ol_ev_str(ev, OOMLENS_EV_GFP));
		EXPECT_EQ(r.order, num(ev, OOMLENS_EV_ORDER));
	} else {
		EXPECT_TRUE(0)
		TH_LOG("no 'invoked oom-killer' line before the kill");
	}
	EXPECT_STREQ(r.constraint, ol_ev_str(ev, OOMLENS_EV_CONSTRAINT));
	EXPECT_STREQ(r.nodemask, ol_ev_str(ev, OOMLENS_EV_NODEMASK));
	EXPECT_STREQ(r.oom_memcg, ol_ev_str(ev, OOMLENS_EV_OOM_MEMCG));
	EXPECT_STREQ(r.task_memcg, ol_ev_str(ev, OOMLENS_EV_VICTIM_MEMCG));
	EXPECT_STREQ(r.task, ol_ev_str(ev, OOMLENS_EV_VICTIM_COMM));
	EXPECT_EQ(r.uid, num(ev, OOMLENS_EV_VICTIM_UID));
	EXPECT_EQ(pid, num(ev, OOMLENS_EV_VICTIM_PID));
	EXPECT_EQ(1, r.have_killed);
	EXPECT_EQ(r.killed_rss_kb, num(ev, OOMLENS_EV_VICTIM_RSS) * 4);

	tp = num(ev, OOMLENS_EV_TOTALPAGES);
	exp_tp = expected_totalpages(kd->constraint);
	EXPECT_EQ(exp_tp, tp);
	EXPECT_EQ(num(ev, OOMLENS_EV_VICTIM_POINTS),
		  ev->ncand ? ev->cand[0].points : -1);
	EXPECT_STREQ("match", ol_ev_str(ev, OOMLENS_EV_PREDICTION));
	EXPECT_EQ(pid, num(ev, OOMLENS_EV_PREDICTED));
	EXPECT_EQ(1, num(ev, OOMLENS_EV_KILL_CALLS));
	/* The kills as the kernel counts them, and the thread it named. */
	EXPECT_EQ(1, num(ev, OOMLENS_EV_KILLS));
	EXPECT_EQ(0, num(ev, OOMLENS_EV_PROBE_MISSED));
	EXPECT_EQ(pid, num(ev, OOMLENS_EV_VICTIM_TID));
	EXPECT_STREQ(OOMLENS_CHOSEN_BY_BADNESS,
		     ol_ev_str(ev, OOMLENS_EV_VICTIM_CHOSEN_BY));
	sum_kills(&evs, before, &kills, &calls);
	EXPECT_EQ(counter("/proc/vmstat", "oom_kill") - vm_kills0, kills);
	check_sysctls(_metadata, ev);

	/* The snapshot against the kernel's task dump. */
	EXPECT_GT(r.nrows, 0) TH_LOG("no task dump in the kernel log");
	for (i = -1; i < nby; i++) {
		long long p = i < 0 ? pid : by[i];
		const struct ol_cand *c = find_cand(ev, p);
		const struct okl_row *row = okl_row(&r, p);

		if (i == 2) {
			EXPECT_EQ(NULL, c)
			TH_LOG("pid %lld outside the memcg is a candidate", p);
			continue;
		}
		ASSERT_NE(NULL, c) TH_LOG("pid %lld is not a candidate", p);
		ASSERT_NE(NULL, row)
		TH_LOG("pid %lld not in the kernel's task dump", p);
		check_row(_metadata, row, c, exp_tp);
	}
	check_evaluation(_metadata, ev, &r);
	check_identity(_metadata, ev, &r, pid, ticks, by, nby, false);
	check_domain(_metadata, ev, &r);
	ol_events_free(&evs);
	for (i = 0; i < nby; i++) {
		kill(by[i], SIGKILL);
		olt_wait_signal(by[i]);
	}
	/* Stay under the kernel's report rate limit (10 per 5 s). */
	sleep(1);
}

static void common_setup(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, olt_oom_sysctls());
	ASSERT_EQ(0, olt_sysctl_set("/proc/sys/vm/oom_dump_tasks", "1"));
	if (!strstr(olt_read(OL_DIR "/" OOMLENS_FILE_STATS) ?: "",
		    OOMLENS_STAT_EVENTS_PATH " probes"))
		SKIP(return, "the OOM probes are not attached");
}

static void cg_write(struct __test_metadata *_metadata, const char *dir,
		     const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	ASSERT_EQ(0, olt_write(path, val)) TH_LOG("write %s to %s", val, path);
}

FIXTURE(events)
{
	int unused;
};

FIXTURE_SETUP(events)
{
	common_setup(_metadata);
}

FIXTURE_TEARDOWN(events)
{
	char dir[64];
	int i;

	for (i = 0; i < NMANY; i++) {
		snprintf(dir, sizeof(dir), CG_MANY, i);
		olt_cgroup_remove(dir);
	}
	olt_cgroup_remove(CG_BY);
	olt_cgroup_remove(CG_MEMCG);
	olt_cgroup_remove(CG_CPUSET);
	olt_sysctl_restore_all();
}

/* A cgroup of the memory controller's, without a limit. */
static void plain_memcg(struct __test_metadata *_metadata, const char *dir)
{
	olt_write(CG_ROOT "/cgroup.subtree_control", "+memory");
	olt_cgroup_remove(dir);
	ASSERT_EQ(0, mkdir(dir, 0755));
}

/* The bystanders in a memcg of their own: rows of two memcgs. */
TEST_F_TIMEOUT(events, constraint_none, 300)
{
	const struct kind kd = { "CONSTRAINT_NONE", "-a 0", CG_BY, 0 };
	int round;

	plain_memcg(_metadata, CG_BY);
	for (round = 0; round < ROUNDS; round++)
		oom_round(_metadata, &kd, round);
}

/*
 * More memcgs among the rows than an event keeps paths for: the first
 * OOMLENS_EV_CAND_MEMCGS_MAX distinct ones in rank order are kept, the rows
 * of the others have memcg=0 and are counted.  One bystander per memcg,
 * each bigger than anything else but the allocator.
 */
TEST_F_TIMEOUT(events, cand_memcgs_bound, 300)
{
	unsigned long long before, ticks;
	pid_t by[NMANY], pid;
	struct ol_events evs;
	const struct ol_event *ev;
	struct okl_report r;
	struct olt_kmsg k;
	char dir[64], args[128], err[256];
	int i, unknown;

	before = olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ);
	for (i = 0; i < NMANY; i++) {
		snprintf(dir, sizeof(dir), CG_MANY, i);
		plain_memcg(_metadata, dir);
		snprintf(args, sizeof(args), "-m %d -c %s", 6 + i, dir);
		by[i] = olt_hog(args);
		ASSERT_GT(by[i], 0);
	}
	ASSERT_EQ(0, olt_kmsg_open(&k));
	pid = olt_hog("-a 0");
	ASSERT_GT(pid, 0);
	ticks = start_ticks(pid);
	EXPECT_EQ(SIGKILL, olt_wait_signal(pid));
	usleep(300000);
	EXPECT_EQ(0, okl_report_for(&k, pid, &r));
	olt_kmsg_close(&k);
	ASSERT_EQ(0, read_events(&evs, err, sizeof(err))) TH_LOG("%s", err);
	ev = find_kill(&evs, before, pid);
	ASSERT_NE(NULL, ev) TH_LOG("no killed event for pid %d", pid);
	for (i = 0; i < NMANY; i++) {
		ASSERT_NE(NULL, find_cand(ev, by[i]))
		TH_LOG("bystander %d (pid %d) is not a candidate", i, by[i]);
	}
	unknown =
		check_identity(_metadata, ev, &r, pid, ticks, by, NMANY, true);
	/*
	 * With every path slot used the event has the most keys it can
	 * have: a reader of 0.1.0 refuses more than 64 (OL_EV_MAX_KEYS was
	 * 64), so the module must stay within that.
	 */
	ksft_print_msg("keys in the event: %d\n", ev->nkeys);
	EXPECT_LE(ev->nkeys, 64);
	/* The allocator's memcg and the 7 biggest bystanders' are kept. */
	EXPECT_EQ(NMANY + 1 - OOMLENS_EV_CAND_MEMCGS_MAX, unknown);
	for (i = 0; i < NMANY; i++) {
		EXPECT_EQ(i < NMANY + 1 - OOMLENS_EV_CAND_MEMCGS_MAX,
			  find_cand(ev, by[i])->memcg == 0)
		TH_LOG("bystander %d, memcg=%lld", i,
		       find_cand(ev, by[i])->memcg);
	}
	ol_events_free(&evs);
	for (i = 0; i < NMANY; i++) {
		kill(by[i], SIGKILL);
		olt_wait_signal(by[i]);
	}
	for (i = 0; i < NMANY; i++) {
		snprintf(dir, sizeof(dir), CG_MANY, i);
		olt_cgroup_remove(dir);
	}
	sleep(1);
}

static void memcg_make(struct __test_metadata *_metadata, int group)
{
	char max[32];

	olt_write(CG_ROOT "/cgroup.subtree_control", "+memory");
	olt_cgroup_remove(CG_MEMCG);
	ASSERT_EQ(0, mkdir(CG_MEMCG, 0755));
	snprintf(max, sizeof(max), "%dM", MEMCG_MAX_MB);
	cg_write(_metadata, CG_MEMCG, "memory.max", max);
	cg_write(_metadata, CG_MEMCG, "memory.swap.max", "0");
	cg_write(_metadata, CG_MEMCG, "memory.oom.group", group ? "1" : "0");
}

TEST_F_TIMEOUT(events, constraint_memcg, 300)
{
	const struct kind kd = { "CONSTRAINT_MEMCG", "-c " CG_MEMCG, CG_MEMCG,
				 1 };
	int round;

	memcg_make(_metadata, 0);
	for (round = 0; round < ROUNDS; round++)
		oom_round(_metadata, &kd, round);
}

/* memory.oom.group=1: the whole group is killed, one event, its kills. */
TEST_F_TIMEOUT(events, constraint_memcg_oom_group, 300)
{
	int round;

	memcg_make(_metadata, 1);
	for (round = 0; round < ROUNDS; round++) {
		unsigned long long before =
			olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ);
		long long kills0 = olt_stat(OOMLENS_STAT_EVENTS_KILLS), kills;
		long long vm0 = counter("/proc/vmstat", "oom_kill");
		long long cg0 = counter(CG_MEMCG "/memory.events", "oom_kill");
		long long ev_kills, ev_calls;
		struct ol_events evs;
		const struct ol_event *ev;
		struct olt_kmsg k;
		pid_t by[2], pid;
		char err[256];
		const char *t;
		int i, lines;

		for (i = 0; i < 2; i++) {
			by[i] = olt_hog(i ? "-m 8 -c " CG_MEMCG :
					    "-m 12 -c " CG_MEMCG);
			ASSERT_GT(by[i], 0);
		}
		ASSERT_EQ(0, olt_kmsg_open(&k));
		pid = olt_hog("-c " CG_MEMCG);
		ASSERT_GT(pid, 0);
		EXPECT_EQ(SIGKILL, olt_wait_signal(pid));
		for (i = 0; i < 2; i++)
			EXPECT_EQ(SIGKILL, olt_wait_signal(by[i]));
		usleep(300000);
		lines = 0;
		while ((t = olt_kmsg_next(&k)))
			if (strstr(t, "Killed process ") ||
			    strstr(t, "is already exiting. Skip killing"))
				lines++;
		olt_kmsg_close(&k);
		ASSERT_EQ(0, read_events(&evs, err, sizeof(err)))
		TH_LOG("%s", err);
		ev = find_kill(&evs, before, pid);
		ASSERT_NE(NULL, ev);
		kills = olt_stat(OOMLENS_STAT_EVENTS_KILLS) - kills0;
		TH_LOG("round %d: kill_calls %lld, kernel kill lines %d", round,
		       num(ev, OOMLENS_EV_KILL_CALLS), lines);
		/*
		 * __oom_kill_process() for the victim, then for every member
		 * of the group (the victim again): each call prints "Killed
		 * process" or "already exiting. Skip killing".
		 */
		EXPECT_GE(num(ev, OOMLENS_EV_KILL_CALLS), 3);
		EXPECT_EQ(lines, num(ev, OOMLENS_EV_KILL_CALLS));
		/*
		 * The kills: what /proc/vmstat and memory.events count, over
		 * every event of the round (a later OOM may have killed a
		 * member the group kill found exiting).
		 */
		sum_kills(&evs, before, &ev_kills, &ev_calls);
		EXPECT_GE(num(ev, OOMLENS_EV_KILLS), 3);
		EXPECT_EQ(counter("/proc/vmstat", "oom_kill") - vm0, ev_kills);
		EXPECT_EQ(counter(CG_MEMCG "/memory.events", "oom_kill") - cg0,
			  ev_kills);
		EXPECT_EQ(kills, ev_kills);
		EXPECT_STREQ("CONSTRAINT_MEMCG",
			     ol_ev_str(ev, OOMLENS_EV_CONSTRAINT));
		ol_events_free(&evs);
		sleep(1);
	}
}

/* Whether @dir's cgroup.procs is empty within @secs seconds. */
static int cgroup_empties(const char *dir, int secs)
{
	char path[256], *b;
	int i, empty = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	for (i = 0; i < secs * 10 && !empty; i++) {
		b = olt_read(path);
		empty = b && !b[0];
		free(b);
		if (!empty)
			usleep(100000);
	}
	return empty;
}

/*
 * A victim whose mm another process shares (clone(CLONE_VM) without
 * CLONE_THREAD): the kernel kills both, and counts one kill
 * (__oom_kill_process() sends the sharer SIGKILL without OOM_KILL).  kills
 * must equal /proc/vmstat and memory.events, kill_calls the calls.
 */
TEST_F_TIMEOUT(events, memcg_shared_mm_victim, 300)
{
	unsigned long long before;
	long long vm0, cg0, kills, calls, total0;
	struct ol_events evs;
	const struct ol_event *ev;
	char err[256];
	pid_t pid;

	memcg_make(_metadata, 0);
	before = olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ);
	total0 = olt_stat(OOMLENS_STAT_EVENTS_KILLS);
	vm0 = counter("/proc/vmstat", "oom_kill");
	cg0 = counter(CG_MEMCG "/memory.events", "oom_kill");
	pid = olt_hog("-c " CG_MEMCG " -V");
	ASSERT_GT(pid, 0);
	EXPECT_EQ(SIGKILL, olt_wait_signal(pid));
	EXPECT_TRUE(cgroup_empties(CG_MEMCG, 10))
	TH_LOG("the process sharing the victim's mm was not killed");
	usleep(300000);
	ASSERT_EQ(0, read_events(&evs, err, sizeof(err))) TH_LOG("%s", err);
	sum_kills(&evs, before, &kills, &calls);
	TH_LOG("kills %lld, kill_calls %lld, vmstat %lld, memory.events %lld",
	       kills, calls, counter("/proc/vmstat", "oom_kill") - vm0,
	       counter(CG_MEMCG "/memory.events", "oom_kill") - cg0);
	EXPECT_GE(kills, 1);
	EXPECT_EQ(counter("/proc/vmstat", "oom_kill") - vm0, kills);
	EXPECT_EQ(counter(CG_MEMCG "/memory.events", "oom_kill") - cg0, kills);
	EXPECT_EQ(olt_stat(OOMLENS_STAT_EVENTS_KILLS) - total0, kills);
	ev = evs.n ? &evs.ev[evs.n - 1] : NULL;
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("CONSTRAINT_MEMCG", ol_ev_str(ev, OOMLENS_EV_CONSTRAINT));
	ol_events_free(&evs);
}

/* The tid of @pid's second thread, once it exists (hog -t), or -1. */
static long long second_thread(pid_t pid)
{
	char path[64];
	long long tid = -1, t;
	struct dirent *d;
	DIR *dir;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	for (i = 0; i < 100 && tid < 0; i++) {
		dir = opendir(path);
		while (dir && (d = readdir(dir))) {
			t = atoll(d->d_name);
			if (t > 0 && t != pid)
				tid = t;
		}
		if (dir)
			closedir(dir);
		if (tid < 0)
			usleep(20000);
	}
	return tid;
}

/*
 * vm.oom_kill_allocating_task=1: out_of_memory() kills the allocating task
 * without select_bad_process(), so the kernel computed no points: the event
 * says "allocating_task", points and score "-", prediction
 * "not_applicable".  The allocating task is a second thread: victim_pid is
 * its tgid (as the candidates' pids; it was the thread's id before), and
 * victim_tid the thread the kernel's "Killed process" line names.  A
 * cpuset OOM (node 1), so that only the hog's allocations fail.
 */
TEST_F_TIMEOUT(events, allocating_task_victim, 300)
{
	unsigned long long before;
	struct ol_events evs;
	const struct ol_event *ev = NULL;
	struct okl_report r;
	struct olt_kmsg k;
	long long tid;
	char err[256];
	pid_t pid;

	ASSERT_EQ(0,
		  olt_sysctl_set("/proc/sys/vm/oom_kill_allocating_task", "1"));
	olt_write(CG_ROOT "/cgroup.subtree_control", "+cpuset");
	olt_cgroup_remove(CG_CPUSET);
	ASSERT_EQ(0, mkdir(CG_CPUSET, 0755));
	cg_write(_metadata, CG_CPUSET, "cpuset.cpus", "1");
	cg_write(_metadata, CG_CPUSET, "cpuset.mems", "1");
	before = olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ);
	ASSERT_EQ(0, olt_kmsg_open(&k));
	pid = olt_hog("-c " CG_CPUSET " -t");
	ASSERT_GT(pid, 0);
	tid = second_thread(pid);
	EXPECT_GT(tid, 0);
	EXPECT_EQ(SIGKILL, olt_wait_signal(pid));
	usleep(300000);
	EXPECT_EQ(0, okl_report_for(&k, tid, &r))
	TH_LOG("no oom-kill line for thread %lld", tid);
	olt_kmsg_close(&k);
	ASSERT_EQ(0, read_events(&evs, err, sizeof(err))) TH_LOG("%s", err);
	ev = last_event_for(&evs, before, pid);
	ASSERT_NE(NULL, ev) TH_LOG("no event names pid %d", pid);
	/*
	 * The kernel chose the allocating thread (oom-kill: pid=<tid>) and
	 * killed, and named, the first of its threads with an mm (the
	 * leader here): victim_pid is the tgid, victim_tid the named one.
	 */
	EXPECT_EQ(tid, r.pid);
	EXPECT_EQ(r.killed_pid, num(ev, OOMLENS_EV_VICTIM_TID));
	TH_LOG("chosen thread %lld, killed %lld, victim_pid %lld, victim_tid %lld",
	       tid, r.killed_pid, num(ev, OOMLENS_EV_VICTIM_PID),
	       num(ev, OOMLENS_EV_VICTIM_TID));
	EXPECT_STREQ(OOMLENS_OUTCOME_KILLED, ol_ev_str(ev, OOMLENS_EV_OUTCOME));
	EXPECT_STREQ(OOMLENS_CHOSEN_BY_ALLOCATING_TASK,
		     ol_ev_str(ev, OOMLENS_EV_VICTIM_CHOSEN_BY));
	EXPECT_STREQ("-", ol_ev_str(ev, OOMLENS_EV_VICTIM_POINTS));
	EXPECT_STREQ("-", ol_ev_str(ev, OOMLENS_EV_VICTIM_SCORE));
	/* PREEMPT_RT: no walk, so no prediction to call not applicable. */
	EXPECT_STREQ(rt_kernel() ? "-" : OOMLENS_PREDICTION_NA,
		     ol_ev_str(ev, OOMLENS_EV_PREDICTION));
	EXPECT_STREQ("CONSTRAINT_CPUSET", ol_ev_str(ev, OOMLENS_EV_CONSTRAINT));
	EXPECT_EQ(1, num(ev, OOMLENS_EV_KILLS));
	ol_events_free(&evs);
}

/*
 * An oom_task_origin() task: swapoff, while try_to_unuse() brings pages back.
 * A hog in a memcg of 64 MiB touches 160 MiB, pushed out to zram; a swapoff
 * run from inside the memcg charges them back to it, the memcg OOMs, and
 * select_bad_process() takes swapoff with LONG_MAX points (ahead of every
 * badness).  The event must show those points and the top score (2000,
 * not an overflow of points * 1000), and the kernel must name swapoff.
 */
TEST_F_TIMEOUT(events, memcg_oom_task_origin, 300)
{
	unsigned long long before;
	struct ol_events evs;
	const struct ol_event *ev = NULL;
	struct olt_kmsg k;
	const char *t;
	char err[256], want[64];
	int killed = 0, status;
	pid_t hog, sw;

	system("swapoff /dev/zram0 2>/dev/null; echo 1 >/sys/block/zram0/reset 2>/dev/null");
	ASSERT_EQ(0,
		  system("echo 512M >/sys/block/zram0/disksize && "
			 "mkswap /dev/zram0 >/dev/null && swapon /dev/zram0"))
	TH_LOG("cannot enable zram swap");
	olt_write(CG_ROOT "/cgroup.subtree_control", "+memory");
	olt_cgroup_remove(CG_MEMCG);
	ASSERT_EQ(0, mkdir(CG_MEMCG, 0755));
	cg_write(_metadata, CG_MEMCG, "memory.max", "64M");
	hog = olt_hog("-m 160 -c " CG_MEMCG);
	ASSERT_GT(hog, 0) TH_LOG("the hog did not fill 160 MiB through swap");

	before = olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ);
	ASSERT_EQ(0, olt_kmsg_open(&k));
	sw = fork();
	ASSERT_GE(sw, 0);
	if (!sw) {
		FILE *f = fopen(CG_MEMCG "/cgroup.procs", "w");

		if (!f || fprintf(f, "%d", getpid()) < 0 || fclose(f))
			_exit(126);
		execlp("swapoff", "swapoff", "/dev/zram0", (char *)NULL);
		_exit(127);
	}
	ASSERT_EQ(sw, waitpid(sw, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
	TH_LOG("swapoff was not OOM-killed (status %#x)", status);
	usleep(300000);
	snprintf(want, sizeof(want), "Killed process %d (swapoff)", sw);
	while ((t = olt_kmsg_next(&k)))
		killed |= !!strstr(t, want);
	olt_kmsg_close(&k);
	EXPECT_TRUE(killed) TH_LOG("no '%s' in the kernel log", want);

	ASSERT_EQ(0, read_events(&evs, err, sizeof(err))) TH_LOG("%s", err);
	ev = last_event_for(&evs, before, sw);
	ASSERT_NE(NULL, ev) TH_LOG("no event with victim swapoff (%d)", sw);
	EXPECT_STREQ("CONSTRAINT_MEMCG", ol_ev_str(ev, OOMLENS_EV_CONSTRAINT));
	EXPECT_STREQ("swapoff", ol_ev_str(ev, OOMLENS_EV_VICTIM_COMM));
	EXPECT_STREQ("9223372036854775807",
		     ol_ev_str(ev, OOMLENS_EV_VICTIM_POINTS));
	EXPECT_EQ(OOMLENS_SCORE_MAX, num(ev, OOMLENS_EV_VICTIM_SCORE));
	ASSERT_GT(ev->ncand, 0);
	EXPECT_EQ(sw, ev->cand[0].pid);
	EXPECT_EQ(LLONG_MAX, ev->cand[0].points);
	EXPECT_EQ(OOMLENS_SCORE_MAX, ev->cand[0].score);
	/*
	 * The kernel gives it LONG_MAX without an oom_badness() call, so what
	 * the return probe saw predicts nothing; the walk reads every task's
	 * flag and predicts it.
	 */
	if (stats_says(OOMLENS_STAT_CANDIDATES_SRC, OOMLENS_SRC_KERNEL)) {
		EXPECT_STREQ(OOMLENS_SRC_KERNEL,
			     ol_ev_str(ev, OOMLENS_EV_CANDIDATES_SRC));
		EXPECT_STREQ("-", ol_ev_str(ev, OOMLENS_EV_PREDICTION));
		EXPECT_STREQ("-", ol_ev_str(ev, OOMLENS_EV_VICTIM_MARGIN));
	} else {
		EXPECT_STREQ("match", ol_ev_str(ev, OOMLENS_EV_PREDICTION));
	}
	ol_events_free(&evs);
	kill(hog, SIGKILL);
	olt_wait_signal(hog);
	system("swapoff /dev/zram0 2>/dev/null; echo 1 >/sys/block/zram0/reset 2>/dev/null");
}

TEST_F_TIMEOUT(events, constraint_cpuset, 400)
{
	const struct kind kd = { "CONSTRAINT_CPUSET", "-c " CG_CPUSET, "", 0 };
	int round;

	olt_write(CG_ROOT "/cgroup.subtree_control", "+cpuset");
	olt_cgroup_remove(CG_CPUSET);
	ASSERT_EQ(0, mkdir(CG_CPUSET, 0755));
	cg_write(_metadata, CG_CPUSET, "cpuset.cpus", "1");
	cg_write(_metadata, CG_CPUSET, "cpuset.mems", "1");
	for (round = 0; round < ROUNDS; round++)
		oom_round(_metadata, &kd, round);
}

TEST_F_TIMEOUT(events, constraint_memory_policy, 400)
{
	const struct kind kd = { "CONSTRAINT_MEMORY_POLICY", NULL, "", 0 };
	int round;

	for (round = 0; round < ROUNDS; round++)
		oom_round(_metadata, &kd, round);
}

/*
 * Without the probes (probes=0): the notifier records global OOMs alone,
 * with the constraint inferred from the allocating task's cpuset and
 * mempolicy, and its prediction made before the kernel chose.
 */
FIXTURE(fallback)
{
	int unused;
};

FIXTURE_SETUP(fallback)
{
	ASSERT_EQ(0, olt_module_reload("probes=0"));
	ASSERT_EQ(0, olt_oom_sysctls());
}

FIXTURE_TEARDOWN(fallback)
{
	olt_cgroup_remove(CG_MEMCG);
	olt_cgroup_remove(CG_CPUSET);
	olt_sysctl_restore_all();
	olt_module_reload("");
}

static void fallback_round(struct __test_metadata *_metadata,
			   const char *constraint, const char *args)
{
	unsigned long long before = olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ);
	long long inv0 = olt_stat(OOMLENS_STAT_OOM_INVOCATIONS);
	long long notified0 = olt_stat(OOMLENS_STAT_NOTIFIER_CALLS);
	struct ol_events evs;
	const struct ol_event *ev = NULL;
	struct okl_report r;
	struct olt_kmsg k;
	char err[256];
	size_t i;
	pid_t pid;

	ASSERT_EQ(0, olt_kmsg_open(&k));
	pid = olt_hog(args);
	ASSERT_GT(pid, 0);
	EXPECT_EQ(SIGKILL, olt_wait_signal(pid));
	usleep(300000);
	ASSERT_EQ(0, okl_report_for(&k, pid, &r));
	olt_kmsg_close(&k);
	ASSERT_EQ(0, read_events(&evs, err, sizeof(err))) TH_LOG("%s", err);
	/* The event of the OOM that killed pid: the one its invoker caused. */
	for (i = 0; i < evs.n; i++)
		if (evs.ev[i].seq > before &&
		    !strcmp(ol_ev_str(&evs.ev[i], OOMLENS_EV_COMM), r.invoker))
			ev = &evs.ev[i];
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(olt_stat(OOMLENS_STAT_NOTIFIER_CALLS) - notified0,
		  olt_stat(OOMLENS_STAT_OOM_INVOCATIONS) - inv0);
	EXPECT_STREQ(OOMLENS_EVENTS_PATH_NOTIFIER,
		     ol_ev_str(ev, OOMLENS_EV_SOURCE));
	EXPECT_STREQ("1", ol_ev_str(ev, OOMLENS_EV_INFERRED));
	EXPECT_STREQ("global", ol_ev_str(ev, OOMLENS_EV_KIND));
	EXPECT_STREQ(constraint, ol_ev_str(ev, OOMLENS_EV_CONSTRAINT));
	EXPECT_STREQ(r.constraint, ol_ev_str(ev, OOMLENS_EV_CONSTRAINT));
	EXPECT_STREQ(r.nodemask, ol_ev_str(ev, OOMLENS_EV_NODEMASK));
	EXPECT_STREQ(OOMLENS_OUTCOME_UNKNOWN,
		     ol_ev_str(ev, OOMLENS_EV_OUTCOME));
	EXPECT_STREQ("-", ol_ev_str(ev, OOMLENS_EV_GFP));
	EXPECT_STREQ("-", ol_ev_str(ev, OOMLENS_EV_VICTIM_PID));
	check_sysctls(_metadata, ev);
	/*
	 * totalpages needs total_swap_pages, which the notifier can only read
	 * from the kernel's variable (the /proc path sleeps and allocates):
	 * without it, totalpages and the snapshot are not known.
	 */
	if (!stats_says(OOMLENS_STAT_SWAP_TOTAL_PATH, OOMLENS_PATH_KERNEL)) {
		EXPECT_STREQ("-", ol_ev_str(ev, OOMLENS_EV_TOTALPAGES));
		EXPECT_STREQ("-", ol_ev_str(ev, OOMLENS_EV_PREDICTED));
		EXPECT_EQ(0, ev->ncand);
	} else {
		EXPECT_EQ(expected_totalpages(constraint),
			  num(ev, OOMLENS_EV_TOTALPAGES));
		EXPECT_EQ(pid, num(ev, OOMLENS_EV_PREDICTED))
		TH_LOG("the notifier's prediction is not the kernel's victim");
	}
	ol_events_free(&evs);
	sleep(1);
}

TEST_F_TIMEOUT(fallback, notifier_global_oom, 300)
{
	long long v;

	ASSERT_EQ(0, olt_keyed(OL_DIR "/" OOMLENS_FILE_STATS,
			       OOMLENS_STAT_EVENTS_LAST_SEQ, &v));
	ASSERT_NE(NULL, strstr(olt_read(OL_DIR "/" OOMLENS_FILE_STATS) ?: "",
			       OOMLENS_STAT_EVENTS_PATH " notifier"));
	fallback_round(_metadata, "CONSTRAINT_NONE", "-a 0");
	olt_write(CG_ROOT "/cgroup.subtree_control", "+cpuset");
	olt_cgroup_remove(CG_CPUSET);
	ASSERT_EQ(0, mkdir(CG_CPUSET, 0755));
	cg_write(_metadata, CG_CPUSET, "cpuset.cpus", "1");
	cg_write(_metadata, CG_CPUSET, "cpuset.mems", "1");
	fallback_round(_metadata, "CONSTRAINT_CPUSET", "-c " CG_CPUSET);
}

/* A memcg OOM never reaches the notifier: nothing is recorded. */
TEST_F_TIMEOUT(fallback, notifier_misses_memcg, 120)
{
	long long seq0 = olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ);
	pid_t pid;

	memcg_make(_metadata, 0);
	pid = olt_hog("-c " CG_MEMCG);
	ASSERT_GT(pid, 0);
	EXPECT_EQ(SIGKILL, olt_wait_signal(pid));
	EXPECT_EQ(seq0, olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ));
}

/*
 * The facts the return probe relies on, as this kernel has them: an
 * oom_badness() of its own (a call the probe sees, wherever its callers
 * were inlined).  Logged: whether oom_evaluate_task() and
 * select_bad_process() are functions of their own (both Debian kernels:
 * the first yes, the second inlined into out_of_memory()).
 */
TEST(evaluation_symbols)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	int badness = 0, evaluate = 0, select = 0;
	char line[512], name[256];

	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %255s", name) != 1)
			continue;
		badness |= !strcmp(name, "oom_badness");
		evaluate |= !strcmp(name, "oom_evaluate_task");
		select |= !strcmp(name, "select_bad_process");
	}
	fclose(f);
	TH_LOG("kallsyms: oom_badness %d oom_evaluate_task %d select_bad_process %d",
	       badness, evaluate, select);
	EXPECT_TRUE(badness);
	if (stats_says(OOMLENS_STAT_PROBE_OOM, OOMLENS_PROBE_ATTACHED))
		EXPECT_TRUE(stats_says(OOMLENS_STAT_PROBE_BADNESS,
				       OOMLENS_PROBE_ATTACHED));
}

/*
 * Idle processes, as many as a busy host has: children that pause() until
 * killed (or until the test process dies: PR_SET_PDEATHSIG).  Each one is
 * a candidate with a small rss of its own (its copy of our page tables).
 */
static pid_t *sleepers;
static int nsleepers;

#define SLEEPERS_PROBE 200
static long long sleepers_kb; /* what one cost, when they did not fit */

static int sleepers_start(int n)
{
	char want[32], *b = olt_read("/proc/sys/kernel/threads-max");
	long long max = b ? atoll(b) : -1, avail0;
	pid_t p;

	free(b);
	if (max >= 0 && max < n + 1024) {
		snprintf(want, sizeof(want), "%d", n + 1024);
		if (olt_sysctl_set("/proc/sys/kernel/threads-max", want))
			return -1;
	}
	sleepers = calloc(n, sizeof(*sleepers));
	if (!sleepers)
		return -1;
	avail0 = olt_meminfo_kb("MemAvailable");
	for (nsleepers = 0; nsleepers < n; nsleepers++) {
		/*
		 * After the first 200: do the rest fit in three quarters of
		 * what is left?  A debug (KASAN) kernel's processes cost
		 * several times a plain kernel's (about 60 kB each), and a
		 * global OOM here would kill the test itself.
		 */
		if (nsleepers == SLEEPERS_PROBE) {
			long long avail = olt_meminfo_kb("MemAvailable");
			long long each = (avail0 - avail) / SLEEPERS_PROBE;

			if (avail0 > 0 && avail > 0 && each > 0 &&
			    (n - nsleepers) * each > avail / 4 * 3) {
				sleepers_kb = each;
				return -2;
			}
		}
		p = fork();
		if (p < 0)
			return -1;
		if (!p) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		sleepers[nsleepers] = p;
	}
	return 0;
}

/* Start @n sleepers, or SKIP when they do not fit in this VM's memory. */
#define SLEEPERS_OR_SKIP(n)                                                                                    \
	do {                                                                                                   \
		int _r = sleepers_start(n);                                                                    \
		if (_r == -2)                                                                                  \
			SKIP(return,                                                                           \
				   "%d processes of %lld kB do not fit in this VM's memory (a debug kernel?)", \
				   (n), sleepers_kb);                                                          \
		ASSERT_EQ(0, _r)                                                                               \
		TH_LOG("forked only %d sleepers", nsleepers);                                                  \
	} while (0)

static void sleepers_stop(void)
{
	int i;

	for (i = 0; i < nsleepers; i++)
		kill(sleepers[i], SIGKILL);
	for (i = 0; i < nsleepers; i++)
		waitpid(sleepers[i], NULL, 0);
	free(sleepers);
	sleepers = NULL;
	nsleepers = 0;
}

/*
 * A host with thousands of processes: the table and the evaluation's
 * counts against a task dump of 2000+ rows (global), and a memcg OOM of a
 * few tasks beside 5000 processes outside it, which the kernel does not
 * evaluate, and neither does oomlens (evaluated stays the memcg's size).
 */
FIXTURE(crowd)
{
	int unused;
};

FIXTURE_SETUP(crowd)
{
	common_setup(_metadata);
}

FIXTURE_TEARDOWN(crowd)
{
	sleepers_stop();
	olt_cgroup_remove(CG_MEMCG);
	olt_sysctl_restore_all();
}

TEST_F_TIMEOUT(crowd, global_oom_2000_tasks, 600)
{
	const struct kind kd = { "CONSTRAINT_NONE", "-a 0", "", 0 };

	SLEEPERS_OR_SKIP(2000);
	oom_round(_metadata, &kd, 0);
}

TEST_F_TIMEOUT(crowd, memcg_oom_5000_outside, 900)
{
	const struct kind kd = { "CONSTRAINT_MEMCG", "-c " CG_MEMCG, CG_MEMCG,
				 1 };
	unsigned long long before;
	struct ol_events evs;
	char err[256];

	SLEEPERS_OR_SKIP(5000);
	memcg_make(_metadata, 0);
	before = olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ);
	oom_round(_metadata, &kd, 0);
	ASSERT_EQ(0, read_events(&evs, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_TRUE(evs.n > 0);
	if (stats_says(OOMLENS_STAT_CANDIDATES_SRC, OOMLENS_SRC_KERNEL)) {
		const struct ol_event *ev = &evs.ev[evs.n - 1];

		EXPECT_GT(ev->seq, before);
		/* The two bystanders and the allocator, nothing outside. */
		EXPECT_EQ(3, num(ev, OOMLENS_EV_EVALUATED));
	}
	ol_events_free(&evs);
}

/*
 * observe=0: the fallback, a walk of every process at the kill, says so
 * in stats and in each event, and its table still equals the kernel's
 * task dump (oom_round()).
 */
FIXTURE(walk)
{
	int unused;
};

FIXTURE_SETUP(walk)
{
	if (rt_kernel())
		SKIP(return,
			   "PREEMPT_RT: no walk there (task_lock() would be taken in a handler)");
	ASSERT_EQ(0, olt_module_reload("observe=0"));
	ASSERT_TRUE(
		stats_says(OOMLENS_STAT_CANDIDATES_SRC, OOMLENS_SRC_DERIVED));
	ASSERT_TRUE(stats_says(OOMLENS_STAT_PROBE_BADNESS, OOMLENS_PROBE_OFF));
	common_setup(_metadata);
}

FIXTURE_TEARDOWN(walk)
{
	olt_cgroup_remove(CG_MEMCG);
	olt_sysctl_restore_all();
	olt_module_reload("");
}

TEST_F_TIMEOUT(walk, memcg_oom_table_from_walk, 300)
{
	const struct kind kd = { "CONSTRAINT_MEMCG", "-c " CG_MEMCG, CG_MEMCG,
				 1 };

	memcg_make(_metadata, 0);
	oom_round(_metadata, &kd, 0);
}

/*
 * snapshot_size at its maximum (64): the kretprobe's instance data must not
 * grow with it (register_kretprobe() refuses more than 4096 bytes, which 64
 * candidates in the instance would pass), so the probes attach and memcg
 * OOMs are recorded with up to 64 candidates.
 */
FIXTURE(max_snapshot)
{
	int unused;
};

FIXTURE_SETUP(max_snapshot)
{
	ASSERT_EQ(0, olt_module_reload("snapshot_size=64"));
	ASSERT_TRUE(stats_says(OOMLENS_STAT_PROBE_OOM, OOMLENS_PROBE_ATTACHED))
	TH_LOG("the OOM probes did not attach with snapshot_size=64");
	ASSERT_TRUE(stats_says(OOMLENS_STAT_PROBE_ERROR, "0"));
	common_setup(_metadata);
}

FIXTURE_TEARDOWN(max_snapshot)
{
	olt_cgroup_remove(CG_MEMCG);
	olt_sysctl_restore_all();
	olt_module_reload("");
}

TEST_F_TIMEOUT(max_snapshot, memcg_oom_recorded, 300)
{
	const struct kind kd = { "CONSTRAINT_MEMCG", "-c " CG_MEMCG, CG_MEMCG,
				 1 };

	memcg_make(_metadata, 0);
	oom_round(_metadata, &kd, 0);
}

/* exported_only=1: the probes still work; the sysctls are unavailable. */
FIXTURE(exported_only)
{
	int unused;
};

FIXTURE_SETUP(exported_only)
{
	ASSERT_EQ(0, olt_module_reload_exported_only(1));
	common_setup(_metadata);
}

FIXTURE_TEARDOWN(exported_only)
{
	olt_sysctl_restore_all();
	olt_module_reload("");
}

TEST_F_TIMEOUT(exported_only, global_oom_event_matches_kernel_report, 300)
{
	unsigned long long before = olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ);
	struct ol_events evs;
	const struct ol_event *ev;
	struct okl_report r;
	struct olt_kmsg k;
	char err[256];
	pid_t pid;

	ASSERT_EQ(0, olt_kmsg_open(&k));
	pid = olt_hog("-a 0");
	ASSERT_GT(pid, 0);
	EXPECT_EQ(SIGKILL, olt_wait_signal(pid));
	usleep(300000);
	ASSERT_EQ(0, okl_report_for(&k, pid, &r));
	olt_kmsg_close(&k);
	ASSERT_EQ(0, read_events(&evs, err, sizeof(err))) TH_LOG("%s", err);
	ev = find_kill(&evs, before, pid);
	ASSERT_NE(NULL, ev);
	check_sysctls(_metadata, ev);
	EXPECT_STREQ("unavailable", ol_ev_str(ev, OOMLENS_EV_SYSCTLS));
	EXPECT_STREQ(r.constraint, ol_ev_str(ev, OOMLENS_EV_CONSTRAINT));
	EXPECT_STREQ(r.gfp, ol_ev_str(ev, OOMLENS_EV_GFP));
	EXPECT_EQ(expected_totalpages("CONSTRAINT_NONE"),
		  num(ev, OOMLENS_EV_TOTALPAGES));
	EXPECT_STREQ("match", ol_ev_str(ev, OOMLENS_EV_PREDICTION));
	ol_events_free(&evs);
}

OLT_HARNESS_MAIN
