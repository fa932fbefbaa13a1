// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens explain [SEQ]: one OOM event (default: the newest) explained: the
 * constraint in a sentence, the outcome, and the candidates side by side
 * with the components of their badness under that OOM's totalpages:
 * rss + swap + page tables + oom_score_adj * (totalpages / 1000).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_owner.h"
#include "commands.h"
#include "escape.h"
#include "explain_pid.h"
#include "files.h"
#include "event_print.h"
#include "json.h"
#include "oomlens_abi.h"
#include "proc_pid.h"
#include "parse_events.h"
#include "units.h"

/* @key's value, escaped for a terminal when @tty. */
static const char *val(const struct ol_event *ev, const char *key, bool tty)
{
	return tty ? ol_tty(ol_ev_show(ev, key)) : ol_ev_show(ev, key);
}

/* @tty: for a terminal (escaped); else the raw values (JSON escapes). */
static void constraint_sentence(const struct ol_event *ev, char *buf,
				size_t len, bool tty)
{
	const char *c = ol_ev_show(ev, OOMLENS_EV_CONSTRAINT);
	const char *inferred =
		!strcmp(ol_ev_show(ev, OOMLENS_EV_INFERRED), "1") ?
			" (inferred by oomlens from the task's cpuset and mempolicy, not the kernel's)" :
			"";

	char owner[512], own[520] = "";

	if (*ol_owner_of(ol_ev_str(ev, OOMLENS_EV_OOM_MEMCG), owner,
			 sizeof(owner)))
		snprintf(own, sizeof(own), " (%s)",
			 tty ? ol_tty(owner) : owner);
	if (!strcmp(c, "CONSTRAINT_MEMCG"))
		snprintf(
			buf, len,
			"the memory cgroup %s%s reached its limit: only its tasks (and its descendants') were candidates, and totalpages is its limit (memory.max, plus swap up to memory.swap.max)%s.",
			val(ev, OOMLENS_EV_OOM_MEMCG, tty), own, inferred);
	else if (!strcmp(c, "CONSTRAINT_CPUSET"))
		snprintf(
			buf, len,
			"the allocating task's cpuset allows only some memory nodes and they are full: tasks whose cpuset shares a node with it were candidates, and totalpages is the present memory of its nodes plus swap%s.",
			inferred);
	else if (!strcmp(c, "CONSTRAINT_MEMORY_POLICY"))
		snprintf(
			buf, len,
			"the allocation's memory policy binds it to nodes %s and they are full: tasks that may use those nodes were candidates, and totalpages is their present memory plus swap%s.",
			val(ev, OOMLENS_EV_NODEMASK, tty), inferred);
	else if (!strcmp(c, "CONSTRAINT_NONE"))
		snprintf(
			buf, len,
			"the whole system is out of memory: every process that can be killed was a candidate (never kernel threads, init, tasks with oom_score_adj -1000, tasks whose memory the OOM reaper already took, vfork children), and totalpages is all RAM plus swap%s.",
			inferred);
	else
		snprintf(
			buf, len,
			"not computed: out_of_memory() returned before it (outcome %s).",
			val(ev, OOMLENS_EV_OUTCOME, tty));
}

/* One sentence per outcome, as the admin guide has them. */
static const char *outcome_sentence(const char *o)
{
	static const struct {
		const char *outcome, *sentence;
	} s[] = {
		{ OOMLENS_OUTCOME_KILLED, "a victim was sent SIGKILL" },
		{ OOMLENS_OUTCOME_VICTIM_EXITING,
		  "the chosen victim was already exiting: it was given access to the memory reserves, not killed" },
		{ OOMLENS_OUTCOME_CURRENT_EXITING,
		  "the allocating task was itself exiting: it was given the reserves, nothing was killed" },
		{ OOMLENS_OUTCOME_NO_FS,
		  "a global OOM for an allocation without __GFP_FS: the kernel does not kill for it, the allocation fails or retries" },
		{ OOMLENS_OUTCOME_NOTIFIER_FREED,
		  "an OOM notifier freed memory: nothing was killed" },
		{ OOMLENS_OUTCOME_NO_KILLABLE,
		  "no task could be killed (a global OOM then panics)" },
		{ OOMLENS_OUTCOME_IN_PROGRESS,
		  "an earlier victim is still exiting: the selection stopped and nothing new was killed" },
		{ OOMLENS_OUTCOME_DISABLED,
		  "the OOM killer was disabled (suspend)" },
		{ OOMLENS_OUTCOME_UNKNOWN,
		  "not known: recorded by the notifier alone, before the kernel decided, or a probe's hit was lost" },
	};
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (!strcmp(o, s[i].outcome))
			return s[i].sentence;
	return "an outcome this reader does not know (a newer module)";
}

/* @pages ("-" or a number) as "N pages (X MiB)". */
static const char *pages_text(const char *pages, long page)
{
	static char b[2][64];
	static int k;
	char *end;
	long long n = strtoll(pages, &end, 10);

	k ^= 1;
	if (end == pages || *end)
		return pages;
	if (__builtin_mul_overflow(n, (long long)page, &n))
		return pages;
	snprintf(b[k], sizeof(b[k]), "%s pages (%s)", pages, ol_human(n));
	return b[k];
}

/* adj * (totalpages / 1000); 0 when it does not fit (a damaged file). */
static long long adj_pages(long long adj, long long tp)
{
	long long v;

	return __builtin_mul_overflow(adj, tp / 1000, &v) ? 0 : v;
}

/* rss + swap + pgtables in bytes, "-" when it does not fit. */
static const char *cand_memory(const struct ol_cand *c, long page)
{
	long long sum, bytes;

	if (__builtin_add_overflow(c->rss, c->swap, &sum) ||
	    __builtin_add_overflow(sum, c->pgtables, &sum) ||
	    __builtin_mul_overflow(sum, (long long)page, &bytes))
		return "-";
	return ol_human(bytes);
}

/*
 * Where the table came from and what the kernel evaluated (keys a module
 * before them does not print: then nothing is said).
 */
static bool components_rt(const struct ol_event *ev)
{
	const char *comp = ol_ev_str(ev, OOMLENS_EV_CANDIDATES_COMPONENTS);

	return comp && !strcmp(comp, OOMLENS_COMPONENTS_PREEMPT_RT);
}

static void evaluation_text(const struct ol_event *ev)
{
	const char *src = ol_ev_str(ev, OOMLENS_EV_CANDIDATES_SRC);
	long long n, excl, missed, margin;

	if ((!src || !strcmp(src, OOMLENS_NONE)) && components_rt(ev)) {
		printf("No candidates' table: on this PREEMPT_RT kernel oomlens makes no walk of the processes in the OOM path (task_lock() is a sleeping lock there), and the kernel's own evaluation was not observed (probe_oom_badness in stats).\n\n");
		return;
	}
	if (!src || !strcmp(src, OOMLENS_NONE))
		return;
	if (!strcmp(src, OOMLENS_SRC_KERNEL))
		printf("The candidates are the kernel's own oom_badness() results in this OOM");
	else if (!strcmp(src, OOMLENS_SRC_DERIVED))
		printf("The candidates are oomlens' own walk of every process at the kill, with the kernel's rules (not its calls)");
	else
		printf("The candidates come from '%s'", ol_tty(src));
	if (!ol_ev_num(ev, OOMLENS_EV_EVALUATED, &n) &&
	    !ol_ev_num(ev, OOMLENS_EV_EVALUATION_EXCLUDED, &excl))
		printf("; the kernel evaluated %lld task(s), %lld of them not candidates",
		       n, excl);
	if (!ol_ev_num(ev, OOMLENS_EV_EVALUATION_MISSED, &missed) && missed)
		printf("; up to %lld oom_badness() call(s) were missed meanwhile, so a task may be missing from the table",
		       missed);
	if (!ol_ev_num(ev, OOMLENS_EV_VICTIM_MARGIN, &margin)) {
		if (margin > 0)
			printf(". The victim had %lld points more than the next candidate",
			       margin);
		else if (!margin)
			printf(". The victim tied the next candidate: on equal points the kernel keeps the task it evaluated last");
		else
			printf(". The victim had %lld points fewer than the best other candidate",
			       -margin);
	}
	if (components_rt(ev))
		printf(". The rows show points only: on this PREEMPT_RT kernel rss, swap and page tables are not read in the OOM path (task_lock() is a sleeping lock there); the kernel's own dump_tasks table (vm.oom_dump_tasks) has them");
	else if (!ol_ev_num(ev, OOMLENS_EV_CANDIDATES_UNREAD, &n) && n)
		printf(". %lld row(s) show points only: the task had gone or lost its memory before its rss could be read",
		       n);
	printf(".\n\n");
}

/* The candidates' memcgs (the table's cg column), where the module says. */
static void memcgs_text(const struct ol_event *ev)
{
	long long n, unknown, i;
	char key[32], owner[512];
	const char *path;

	if (ol_ev_num(ev, OOMLENS_EV_CAND_MEMCGS, &n))
		return;
	if (n < 0 || n > OOMLENS_EV_CAND_MEMCGS_MAX) {
		printf("\n%s: %lld is not a count of 0 to %d: the memcgs are not shown.\n",
		       OOMLENS_EV_CAND_MEMCGS, n, OOMLENS_EV_CAND_MEMCGS_MAX);
		return;
	}
	printf("\nMemory cgroups of the candidates (cg), at the kill:");
	for (i = 1; i <= n; i++) {
		snprintf(key, sizeof(key), "%s%lld",
			 OOMLENS_EV_CAND_MEMCG_PREFIX, i);
		path = ol_ev_str(ev, key);
		printf("\n%6lld %s", i, path ? ol_tty(path) : OOMLENS_NONE);
		if (path && *ol_owner_of(path, owner, sizeof(owner)))
			printf(" (%s)", ol_tty(owner));
	}
	if (!n)
		printf(" none recorded");
	printf("\n");
	if (!ol_ev_num(ev, OOMLENS_EV_CAND_MEMCG_UNKNOWN, &unknown) && unknown)
		printf("%lld row(s) without one (cg -): the task had gone, its memcg was past the %d the event keeps, or (cgroup v1) its path could not be made in the OOM path.\n",
		       unknown, OOMLENS_EV_CAND_MEMCGS_MAX);
}

/* The candidates still running, the same processes (by start time). */
static void alive_text(const struct ol_event *ev)
{
	bool any = false;
	char *cmdline;
	int i;

	for (i = 0; i < ev->ncand; i++) {
		const struct ol_cand *c = &ev->cand[i];

		cmdline = ol_proc_cmdline(c->pid, c->start_ns);
		if (!cmdline)
			continue;
		if (!any)
			printf("\nStill running now (the same processes, by start time):\n");
		any = true;
		printf("%8lld %s\n", c->pid, ol_tty(cmdline));
		free(cmdline);
	}
}

/*
 * "<what> U of L" in pages and bytes, from two keys; nothing if absent.
 * A limit of PAGE_COUNTER_MAX (LONG_MAX / the page size) is none.
 */
static void usage_of(const struct ol_event *ev, const char *what,
		     const char *ukey, const char *lkey, long page)
{
	long long u, l;

	if (ol_ev_num(ev, ukey, &u) || ol_ev_num(ev, lkey, &l))
		return;
	printf(" %s %s", what, ol_tty(pages_text(ol_ev_show(ev, ukey), page)));
	if (page > 0 && l >= LLONG_MAX / page)
		printf(" (no limit)");
	else
		printf(" of its limit %s",
		       ol_tty(pages_text(ol_ev_show(ev, lkey), page)));
}

/*
 * The domain's counters at the OOM (keys a module before them does not
 * print: then nothing is said).
 */
static void domain_text(const struct ol_event *ev, long page)
{
	const char *nodes = ol_ev_str(ev, OOMLENS_EV_DOMAIN_NODE_FREE);
	const char *counter = ol_ev_show(ev, OOMLENS_EV_DOMAIN_SWAP_COUNTER);
	const char *oom = ol_ev_str(ev, OOMLENS_EV_OOM_MEMCG);
	const char *victim = ol_ev_str(ev, OOMLENS_EV_VICTIM_MEMCG);
	const char *h = ol_ev_str(ev, OOMLENS_EV_MEMCG_HIERARCHY);
	struct ol_node node[OOMLENS_EV_DOMAIN_NODES];
	char what[128];
	long long v, bytes;
	int i, n, cut;

	if (h && !strcmp(h, OOMLENS_MEMCG_V1))
		printf("The memory controller is mounted on a cgroup v1 hierarchy: the memcg paths here are that hierarchy's.\n");
	if (!ol_ev_num(ev, OOMLENS_EV_DOMAIN_USAGE, &v)) {
		printf("At the OOM the memcg had");
		usage_of(ev, "memory", OOMLENS_EV_DOMAIN_USAGE,
			 OOMLENS_EV_DOMAIN_LIMIT, page);
		if (!ol_ev_num(ev, OOMLENS_EV_DOMAIN_FAILCNT, &v))
			printf(" (failcnt %lld)", v);
		/* A counter word this reader does not know: named as sent. */
		if (!strcmp(counter, OOMLENS_DOMAIN_MEMSW))
			snprintf(what, sizeof(what),
				 "and memory+swap (cgroup v1's memsw)");
		else if (!strcmp(counter, OOMLENS_DOMAIN_SWAP))
			snprintf(what, sizeof(what), "and swap");
		else
			snprintf(what, sizeof(what), "and counter '%s'",
				 ol_tty(counter));
		usage_of(ev, what, OOMLENS_EV_DOMAIN_SWAP_USAGE,
			 OOMLENS_EV_DOMAIN_SWAP_LIMIT, page);
		printf(".\n");
		/* A limit hit above the victim's own memcg. */
		if (oom && victim && strcmp(oom, victim) &&
		    !strncmp(victim, oom, strlen(oom)) &&
		    victim[strlen(oom)] == '/')
			printf("The limit hit is that of %s, an ancestor of the victim's memcg %s.\n",
			       ol_tty(oom), ol_tty(victim));
		return;
	}
	if (ol_ev_num(ev, OOMLENS_EV_DOMAIN_FREE, &v))
		return;
	printf("At the OOM: free %s",
	       ol_tty(pages_text(ol_ev_show(ev, OOMLENS_EV_DOMAIN_FREE),
				 page)));
	printf(", available %s",
	       ol_tty(pages_text(ol_ev_show(ev, OOMLENS_EV_DOMAIN_AVAILABLE),
				 page)));
	n = ol_ev_nodes(ev, node, OOMLENS_EV_DOMAIN_NODES, &cut);
	if (n == -1)
		printf("; %s is malformed: '%s'", OOMLENS_EV_DOMAIN_NODE_FREE,
		       ol_tty(nodes));
	else if (n > 0)
		printf("; free in the zones the allocation may use:");
	for (i = 0; i < n; i++)
		printf("%s node %lld %s", i ? "," : "", node[i].nid,
		       __builtin_mul_overflow(node[i].free_pages,
					      (long long)page, &bytes) ?
			       "(too large)" :
			       ol_human(bytes));
	if (n > 0 && cut)
		printf(" and more nodes (the event keeps %d)",
		       OOMLENS_EV_DOMAIN_NODES);
	printf(".\n");
}

static void explain_text(const struct ol_event *ev, long long tp, bool live)
{
	const char *chosen = ol_ev_str(ev, OOMLENS_EV_VICTIM_CHOSEN_BY);
	const char *pred = ol_ev_show(ev, OOMLENS_EV_PREDICTION);
	bool by_alloc = chosen &&
			!strcmp(chosen, OOMLENS_CHOSEN_BY_ALLOCATING_TASK);
	bool victim = strcmp(ol_ev_show(ev, OOMLENS_EV_VICTIM_PID), "-");
	const char *src = ol_ev_str(ev, OOMLENS_EV_CANDIDATES_SRC);
	bool src_kernel = src && !strcmp(src, OOMLENS_SRC_KERNEL);
	long page = sysconf(_SC_PAGESIZE);
	char sentence[1024], owner[512];
	int i;

	ol_owner_of(ol_ev_str(ev, OOMLENS_EV_VICTIM_MEMCG), owner,
		    sizeof(owner));

	constraint_sentence(ev, sentence, sizeof(sentence), true);
	printf("OOM event %llu at %s: %s OOM, %s (pid %s) allocating order %s, gfp_mask %s.\n",
	       ev->seq,
	       ol_event_time(ol_ev_show(ev, OOMLENS_EV_TIME_REAL),
			     ol_tty(ol_ev_show(ev, OOMLENS_EV_TIME_BOOT))),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_KIND)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_COMM)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_PID)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_ORDER)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_GFP)));
	printf("Constraint %s: %s\n",
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_CONSTRAINT)), sentence);
	printf("The OOM's domain: totalpages %s, the size badness is weighed against.\n",
	       pages_text(ol_ev_show(ev, OOMLENS_EV_TOTALPAGES), page));
	domain_text(ev, page);
	printf("Outcome %s: %s", ol_tty(ol_ev_show(ev, OOMLENS_EV_OUTCOME)),
	       outcome_sentence(ol_ev_show(ev, OOMLENS_EV_OUTCOME)));
	if (victim && by_alloc)
		printf(".\nVictim %s (pid %s, uid %s, memcg %s), the allocating task, killed by vm.oom_kill_allocating_task without a selection: no points computed",
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_COMM)),
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_PID)),
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_UID)),
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_MEMCG)));
	else if (victim)
		printf(".\nVictim %s (pid %s, uid %s, memcg %s%s%s) with %s points, score %s; resident %s at kill time",
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_COMM)),
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_PID)),
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_UID)),
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_MEMCG)),
		       *owner ? ": " : "", ol_tty(owner),
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_POINTS)),
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_SCORE)),
		       pages_text(ol_ev_show(ev, OOMLENS_EV_VICTIM_RSS), page));
	/* Keys a module before them does not print. */
	if (victim && ol_ev_str(ev, OOMLENS_EV_VICTIM_ADJ))
		printf("; oom_score_adj %s at the kill",
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_ADJ)));
	if (ol_ev_str(ev, OOMLENS_EV_KILLS) &&
	    strcmp(ol_ev_show(ev, OOMLENS_EV_KILLS), "-"))
		printf("; %s kill(s) counted by the kernel",
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_KILLS)));
	printf(".\noomlens predicted pid %s: %s",
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_PREDICTED)), pred);
	if (by_alloc)
		printf(" (the kernel made no selection)");
	else if (!strcmp(pred, OOMLENS_PREDICTION_MISMATCH) && src_kernel)
		printf(". The table is the kernel's own evaluation, so a call the probe missed (evaluation_missed) is the likely reason");
	else if (!strcmp(pred, OOMLENS_PREDICTION_MISMATCH))
		printf(". Likely reasons: equal points broken the other way (the kernel keeps the last task it scans, and a memcg OOM scans in another order), a task that grew, shrank or exited between oomlens' look and the kernel's, or the per-cpu rss counters the kernel reads approximately (6.2 and later)");
	printf(".\n\n");
	evaluation_text(ev);
	if (!ev->ncand) {
		printf("No candidates recorded.\n");
		return;
	}
	printf("Why this task and not another: the candidates by points, highest first.\n");
	printf("%4s %8s %-16s %10s %8s %8s %6s %10s %12s %6s %9s %3s\n", "rank",
	       "pid", "comm", "rss", "swap", "pgtables", "adj", "adj_pages",
	       "points", "score", "memory", "cg");
	for (i = 0; i < ev->ncand; i++) {
		const struct ol_cand *c = &ev->cand[i];
		char rss[24], swap[24], pgt[24], cg[24];

		/* Not read (gone, or PREEMPT_RT): points only. */
		bool read = ol_cand_read(ev, c);

		if (!read) {
			strcpy(rss, OOMLENS_NONE);
			strcpy(swap, OOMLENS_NONE);
			strcpy(pgt, OOMLENS_NONE);
		} else {
			snprintf(rss, sizeof(rss), "%lld", c->rss);
			snprintf(swap, sizeof(swap), "%lld", c->swap);
			snprintf(pgt, sizeof(pgt), "%lld", c->pgtables);
		}
		if (ol_cand_memcg(ev, c))
			snprintf(cg, sizeof(cg), "%lld", c->memcg);
		else
			strcpy(cg, OOMLENS_NONE);
		printf("%4u %8lld %-16s %10s %8s %8s %6lld %10lld %12lld %6lld %9s %3s\n",
		       c->rank, c->pid, ol_tty(c->comm), rss, swap, pgt, c->adj,
		       adj_pages(c->adj, tp), c->points, c->score,
		       read ? cand_memory(c, page) : OOMLENS_NONE, cg);
	}
	printf("\npoints = rss + swap + pgtables + adj * (totalpages / 1000) (pages); score = (1000 + points * 1000 / totalpages) * 2 / 3; memory = rss + swap + pgtables in bytes.\n");
	memcgs_text(ev);
	if (live)
		alive_text(ev);
}

static void explain_json(const struct ol_event *ev, bool live)
{
	char sentence[1024];
	struct json j;

	constraint_sentence(ev, sentence, sizeof(sentence), false);
	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	ol_event_json(&j, ev, live);
	json_str(&j, "constraint_explained", sentence);
	json_obj_end(&j);
	json_finish(&j);
}

int cmd_explain(int argc, char **argv)
{
	unsigned long long want = 0;
	const struct ol_event *ev = NULL;
	struct ol_events evs;
	char *end;
	long long tp = 0;
	size_t i;

	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	long long pid = -1;
	bool live;
	int c;

	optind = 0; /* reinitialise: options may follow SEQ */
	while ((c = getopt_long(argc, argv, "hp:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			printf("Usage: oomlens [--json] explain [SEQ] [--pid PID]\n\n"
			       "One OOM event (default: the newest): the constraint in a sentence,\n"
			       "the outcome, and the candidates with the parts of their badness.\n"
			       "--pid PID: why PID was, or was not, the victim (with the live module,\n"
			       "also what /proc says of it now).\n");
			return OL_EXIT_OK;
		case 'p':
			errno = 0;
			pid = strtoll(optarg, &end, 10);
			if (errno || end == optarg || *end || pid <= 0 ||
			    pid > 4194304) {
				ol_err("explain: not a pid: '%s'",
				       ol_tty_msg(optarg));
				return OL_EXIT_USAGE;
			}
			break;
		default:
			return OL_EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		ol_err("explain: unexpected argument '%s'",
		       ol_tty_msg(argv[optind + 1]));
		return OL_EXIT_USAGE;
	}
	if (optind < argc) {
		const char *a = argv[optind];

		errno = 0;
		want = strtoull(a, &end, 10);
		if (errno || end == a || *end || !want || *a == '-') {
			ol_err("explain: not a sequence number: '%s'",
			       ol_tty_msg(a));
			return OL_EXIT_USAGE;
		}
	}
	if (ol_prometheus) {
		ol_err("explain: --prometheus is not supported: one event is not a metric; 'oomlens --prometheus events' counts them");
		return OL_EXIT_USAGE;
	}
	if (ol_check_abi())
		return OL_EXIT_RUNTIME;
	if (ol_read_events(&evs))
		return OL_EXIT_RUNTIME;
	for (i = 0; i < evs.n; i++)
		if (!want || evs.ev[i].seq == want)
			ev = &evs.ev[i];
	if (!ev) {
		if (want)
			ol_err("explain: no event %llu (overwritten, or not recorded yet)",
			       want);
		else
			ol_err("explain: no OOM event recorded yet");
		ol_events_free(&evs);
		return OL_EXIT_RUNTIME;
	}
	ol_ev_num(ev, OOMLENS_EV_TOTALPAGES, &tp);
	/* The module of this boot: /proc describes the same processes. */
	live = !strcmp(ol_dir, OOMLENS_DEFAULT_DIR);
	if (pid > 0)
		ol_explain_pid(ev, pid, live);
	else if (ol_json)
		explain_json(ev, live);
	else
		explain_text(ev, tp, live);
	ol_events_free(&evs);
	return OL_EXIT_OK;
}
