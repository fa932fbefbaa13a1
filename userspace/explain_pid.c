// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens explain [SEQ] --pid PID: why PID was, or was not, the victim of
 * one OOM, from what the event recorded: the victim itself; a row of the
 * candidates' table (its rank, points and how far behind the victim); or
 * not in the table, and then what the event says of the tasks it does not
 * list (how many the kernel evaluated, turned away, the lowest points
 * kept), and that which of those PID was is not recorded.
 *
 * With the live module, what /proc says of PID now is added, marked as
 * now: its start time (a process started after the OOM is not the one of
 * the OOM), whether it is a kernel thread, its oom_score_adj and memcg,
 * and whether that memcg is inside the OOM's.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_owner.h"
#include "commands.h"
#include "escape.h"
#include "event_print.h"
#include "explain_pid.h"
#include "files.h"
#include "json.h"
#include "oomlens_abi.h"
#include "proc_pid.h"

#define PF_KTHREAD 0x00200000 /* include/linux/sched.h */

/* What /proc says of a pid now. */
struct now {
	bool alive, kthread, after_oom;
	long long adj, start_ns;
	char memcg[4096];
	char comm[64];
};

/* /proc/<pid>/stat, oom_score_adj and cgroup now. */
static bool read_now(long long pid, long long oom_boot_ns, struct now *n)
{
	struct ol_proc_stat st;
	char *b;

	memset(n, 0, sizeof(*n));
	if (!ol_proc_stat(pid, &st))
		return false;
	snprintf(n->comm, sizeof(n->comm), "%s", st.comm);
	n->alive = true;
	n->kthread = st.flags & PF_KTHREAD;
	n->start_ns = ol_proc_ticks_ns(st.start_ticks);
	n->after_oom = n->start_ns >= 0 && oom_boot_ns >= 0 &&
		       n->start_ns > oom_boot_ns;
	b = ol_proc_read(pid, "oom_score_adj", NULL);
	n->adj = b ? strtoll(b, NULL, 10) : 0;
	free(b);
	ol_proc_cgroup(pid, n->memcg, sizeof(n->memcg));
	return true;
}

/* Is @path @root or below it? */
static bool in_subtree(const char *path, const char *root)
{
	size_t rl = strlen(root);

	if (!strcmp(root, "/"))
		return path[0] == '/';
	return !strncmp(path, root, rl) && (path[rl] == '/' || !path[rl]);
}

static long long num(const struct ol_event *ev, const char *key)
{
	long long v;

	return ol_ev_num(ev, key, &v) ? -1 : v;
}

/* The row of @pid in @ev's table, or NULL. */
static const struct ol_cand *row_of(const struct ol_event *ev, long long pid)
{
	int i;

	for (i = 0; i < ev->ncand; i++)
		if (ev->cand[i].pid == pid)
			return &ev->cand[i];
	return NULL;
}

static void text_now(const struct ol_event *ev, const struct now *n)
{
	const char *oom_memcg = ol_ev_str(ev, OOMLENS_EV_OOM_MEMCG);
	char owner[512];

	if (!n->alive) {
		printf("Now: no such process.\n");
		return;
	}
	printf("Now (not at the OOM): %s, comm %s, oom_score_adj %lld, memcg %s",
	       n->kthread ? "a kernel thread (never a candidate)" : "a process",
	       ol_tty(n->comm), n->adj, n->memcg[0] ? ol_tty(n->memcg) : "-");
	if (*ol_owner_of(n->memcg, owner, sizeof(owner)))
		printf(" (%s)", ol_tty(owner));
	if (n->after_oom)
		printf("; it started after the OOM, so it is another process with the same pid");
	else if (oom_memcg && oom_memcg[0] == '/' && n->memcg[0])
		printf("; that memcg is %s the OOM's %s",
		       in_subtree(n->memcg, oom_memcg) ? "inside" : "outside",
		       ol_tty(oom_memcg));
	if (!n->after_oom && n->adj == -1000)
		printf("; oom_score_adj -1000 makes oom_badness() turn it away");
	printf(".\n");
}

static void json_now(struct json *j, const struct ol_event *ev,
		     const struct now *n)
{
	const char *oom_memcg = ol_ev_str(ev, OOMLENS_EV_OOM_MEMCG);
	char owner[512];

	json_obj_begin(j, "now");
	json_bool(j, "alive", n->alive);
	if (n->alive) {
		json_str(j, "comm", n->comm);
		json_bool(j, "kernel_thread", n->kthread);
		json_int(j, "oom_score_adj", n->adj);
		json_str(j, "memcg", n->memcg);
		if (*ol_owner_of(n->memcg, owner, sizeof(owner)))
			json_str(j, "memcg_owner", owner);
		else
			json_null(j, "memcg_owner");
		json_bool(j, "started_after_oom", n->after_oom);
		if (oom_memcg && oom_memcg[0] == '/' && n->memcg[0])
			json_bool(j, "in_oom_memcg",
				  in_subtree(n->memcg, oom_memcg));
		else
			json_null(j, "in_oom_memcg");
	}
	json_obj_end(j);
}

/**
 * ol_explain_pid - why @pid was or was not @ev's victim
 * @ev: the event
 * @pid: the pid asked about (a tgid, as the events name processes)
 * @live: the module is the live one: /proc describes the same boot
 *
 * Text, or JSON with ol_json.  Returns OL_EXIT_OK.
 */
int ol_explain_pid(const struct ol_event *ev, long long pid, bool live)
{
	long long victim = num(ev, OOMLENS_EV_VICTIM_PID);
	long long vpoints = num(ev, OOMLENS_EV_VICTIM_POINTS);
	long long evaluated = num(ev, OOMLENS_EV_EVALUATED);
	long long excluded = num(ev, OOMLENS_EV_EVALUATION_EXCLUDED);
	const char *src = ol_ev_show(ev, OOMLENS_EV_CANDIDATES_SRC);
	const struct ol_cand *c = row_of(ev, pid);
	const struct ol_cand *last = ev->ncand ? &ev->cand[ev->ncand - 1] :
						 NULL;
	bool is_victim = victim >= 0 && pid == victim;
	struct now n = { 0 };
	struct json j;

	if (live)
		read_now(pid, num(ev, OOMLENS_EV_TIME_BOOT), &n);
	if (ol_json) {
		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
		json_uint(&j, "seq", ev->seq);
		json_int(&j, "pid", pid);
		json_bool(&j, "victim", is_victim);
		json_bool(&j, "in_table", c != NULL);
		if (c) {
			json_int(&j, "rank", c->rank);
			json_int(&j, "points", c->points);
			json_str(&j, "comm", c->comm);
		} else {
			json_null(&j, "rank");
			json_null(&j, "points");
			json_null(&j, "comm");
		}
		if (c && vpoints >= 0 && !is_victim)
			json_int(&j, "behind_victim", vpoints - c->points);
		else
			json_null(&j, "behind_victim");
		json_int(&j, "rows", ev->ncand);
		if (last && !c)
			json_int(&j, "lowest_points_kept", last->points);
		else
			json_null(&j, "lowest_points_kept");
		/* not in a table that holds every task with points */
		json_bool(&j, "had_no_points",
			  !c && !is_victim && evaluated >= 0 && excluded >= 0 &&
				  evaluated - excluded <= ev->ncand);
		if (live)
			json_now(&j, ev, &n);
		json_obj_end(&j);
		json_finish(&j);
		return OL_EXIT_OK;
	}
	printf("OOM event %llu, pid %lld: ", ev->seq, pid);
	if (is_victim) {
		printf("the victim, with %s points",
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_POINTS)));
		if (strcmp(ol_ev_show(ev, OOMLENS_EV_VICTIM_MARGIN), "-"))
			printf(", %s more than the next candidate",
			       ol_tty(ol_ev_show(ev,
						 OOMLENS_EV_VICTIM_MARGIN)));
		printf(".\n");
	} else if (c) {
		printf("a candidate, rank %u of the %d kept, %s, with %lld points",
		       c->rank, ev->ncand, ol_tty(c->comm), c->points);
		if (vpoints >= 0)
			printf(", %lld fewer than the victim's %lld",
			       vpoints - c->points, vpoints);
		printf(": the kernel kills the task with the most points (on equal points, the one it evaluated last).\n");
	} else if (!ev->ncand) {
		printf("this event has no candidates' table (outcome %s), so nothing is recorded of pid %lld.\n",
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_OUTCOME)), pid);
	} else {
		printf("not among the %d candidates kept (the lowest has %lld points).",
		       ev->ncand, last->points);
		if (evaluated >= 0 && excluded >= 0)
			printf(" The kernel evaluated %lld task(s) and turned %lld away; %lld had points.",
			       evaluated, excluded, evaluated - excluded);
		if (evaluated >= 0 && excluded >= 0 &&
		    evaluated - excluded <= ev->ncand)
			printf(" Every task with points is in the table, so pid %lld got none: oom_badness() turned it away (oom_score_adj -1000, no mm, a vfork child), or the kernel never evaluated it (a kernel thread, init, a reaped victim, outside the OOM's memcg, cpuset or mempolicy).\n",
			       pid);
		else
			printf(" So pid %lld was outside the OOM's domain or never evaluated (a kernel thread, init, a reaped victim, another memcg, cpuset or mempolicy), turned away by oom_badness() (oom_score_adj -1000, no mm, a vfork child), or had at most %lld points; which of these, the event does not record (candidates_source %s).\n",
			       pid, last->points, ol_tty(src));
	}
	if (live)
		text_now(ev, &n);
	return OL_EXIT_OK;
}
