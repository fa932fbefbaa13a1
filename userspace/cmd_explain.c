// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens explain [SEQ]: one OOM event (default: the newest) explained: the
 * constraint in a sentence, the outcome, and the candidates side by side
 * with the components of their badness under that OOM's totalpages:
 * rss + swap + page tables + oom_score_adj * (totalpages / 1000).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "escape.h"
#include "files.h"
#include "event_print.h"
#include "json.h"
#include "oomlens_abi.h"
#include "parse_events.h"
#include "units.h"

static void constraint_sentence(const struct ol_event *ev, char *buf,
				size_t len)
{
	const char *c = ol_ev_show(ev, OOMLENS_EV_CONSTRAINT);
	const char *inferred =
		!strcmp(ol_ev_show(ev, OOMLENS_EV_INFERRED), "1") ?
			" (inferred by oomlens from the task's cpuset and mempolicy, not the kernel's)" :
			"";

	if (!strcmp(c, "CONSTRAINT_MEMCG"))
		snprintf(
			buf, len,
			"the memory cgroup %s reached its limit: only its tasks (and its descendants') were candidates, and totalpages is its limit (memory.max, plus swap up to memory.swap.max)%s.",
			ol_tty(ol_ev_show(ev, OOMLENS_EV_OOM_MEMCG)), inferred);
	else if (!strcmp(c, "CONSTRAINT_CPUSET"))
		snprintf(
			buf, len,
			"the allocating task's cpuset allows only some memory nodes and they are full: tasks whose cpuset shares a node with it were candidates, and totalpages is the present memory of its nodes plus swap%s.",
			inferred);
	else if (!strcmp(c, "CONSTRAINT_MEMORY_POLICY"))
		snprintf(
			buf, len,
			"the allocation's memory policy binds it to nodes %s and they are full: tasks that may use those nodes were candidates, and totalpages is their present memory plus swap%s.",
			ol_ev_show(ev, OOMLENS_EV_NODEMASK), inferred);
	else if (!strcmp(c, "CONSTRAINT_NONE"))
		snprintf(
			buf, len,
			"the whole system is out of memory: every task was a candidate, and totalpages is all RAM plus swap%s.",
			inferred);
	else
		snprintf(
			buf, len,
			"not computed: out_of_memory() returned before it (outcome %s).",
			ol_ev_show(ev, OOMLENS_EV_OUTCOME));
}

static void explain_text(const struct ol_event *ev, long long tp)
{
	const char *chosen = ol_ev_str(ev, OOMLENS_EV_VICTIM_CHOSEN_BY);
	bool by_alloc = chosen &&
			!strcmp(chosen, OOMLENS_CHOSEN_BY_ALLOCATING_TASK);
	char sentence[512];
	int i;

	constraint_sentence(ev, sentence, sizeof(sentence));
	printf("OOM event %llu at %s: %s OOM, %s (pid %s) allocating order %s, gfp_mask %s.\n",
	       ev->seq,
	       ol_event_time(ol_ev_show(ev, OOMLENS_EV_TIME_REAL),
			     ol_ev_show(ev, OOMLENS_EV_TIME_BOOT)),
	       ol_ev_show(ev, OOMLENS_EV_KIND),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_COMM)),
	       ol_ev_show(ev, OOMLENS_EV_PID), ol_ev_show(ev, OOMLENS_EV_ORDER),
	       ol_ev_show(ev, OOMLENS_EV_GFP));
	printf("Constraint %s: %s\n", ol_ev_show(ev, OOMLENS_EV_CONSTRAINT),
	       sentence);
	printf("totalpages %s; outcome %s",
	       ol_ev_show(ev, OOMLENS_EV_TOTALPAGES),
	       ol_ev_show(ev, OOMLENS_EV_OUTCOME));
	if (strcmp(ol_ev_show(ev, OOMLENS_EV_VICTIM_PID), "-") && by_alloc)
		printf(": victim %s (pid %s, uid %s), the allocating task, killed by vm.oom_kill_allocating_task without a selection: no points computed",
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_COMM)),
		       ol_ev_show(ev, OOMLENS_EV_VICTIM_PID),
		       ol_ev_show(ev, OOMLENS_EV_VICTIM_UID));
	else if (strcmp(ol_ev_show(ev, OOMLENS_EV_VICTIM_PID), "-"))
		printf(": victim %s (pid %s, uid %s) with %s points, score %s",
		       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_COMM)),
		       ol_ev_show(ev, OOMLENS_EV_VICTIM_PID),
		       ol_ev_show(ev, OOMLENS_EV_VICTIM_UID),
		       ol_ev_show(ev, OOMLENS_EV_VICTIM_POINTS),
		       ol_ev_show(ev, OOMLENS_EV_VICTIM_SCORE));
	if (ol_ev_str(ev, OOMLENS_EV_KILLS) &&
	    strcmp(ol_ev_show(ev, OOMLENS_EV_KILLS), "-"))
		printf("; %s kill(s) counted by the kernel",
		       ol_ev_show(ev, OOMLENS_EV_KILLS));
	if (by_alloc)
		printf(".\noomlens predicted pid %s: %s (the kernel made no selection).\n\n",
		       ol_ev_show(ev, OOMLENS_EV_PREDICTED),
		       ol_ev_show(ev, OOMLENS_EV_PREDICTION));
	else
		printf(".\noomlens predicted pid %s: %s.\n\n",
		       ol_ev_show(ev, OOMLENS_EV_PREDICTED),
		       ol_ev_show(ev, OOMLENS_EV_PREDICTION));
	if (!ev->ncand) {
		printf("No candidates recorded.\n");
		return;
	}
	printf("%4s %8s %-16s %10s %8s %8s %6s %10s %12s %6s\n", "rank", "pid",
	       "comm", "rss", "swap", "pgtables", "adj", "adj_pages", "points",
	       "score");
	for (i = 0; i < ev->ncand; i++) {
		const struct ol_cand *c = &ev->cand[i];

		printf("%4u %8lld %-16s %10lld %8lld %8lld %6lld %10lld %12lld %6lld\n",
		       c->rank, c->pid, ol_tty(c->comm), c->rss, c->swap,
		       c->pgtables, c->adj, c->adj * (tp / 1000), c->points,
		       c->score);
	}
	printf("\npoints = rss + swap + pgtables + adj * (totalpages / 1000) (pages); score = (1000 + points * 1000 / totalpages) * 2 / 3.\n");
}

static void explain_json(const struct ol_event *ev)
{
	char sentence[512];
	struct json j;

	constraint_sentence(ev, sentence, sizeof(sentence));
	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	ol_event_json(&j, ev);
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

	if (argc > 1 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: oomlens [--json] explain [SEQ]\n\n"
		       "One OOM event (default: the newest): the constraint in a sentence,\n"
		       "the outcome, and the candidates with the parts of their badness.\n");
		return OL_EXIT_OK;
	}
	if (argc > 2) {
		ol_err("explain: unexpected argument '%s'", argv[2]);
		return OL_EXIT_USAGE;
	}
	if (argc == 2) {
		errno = 0;
		want = strtoull(argv[1], &end, 10);
		if (errno || end == argv[1] || *end || !want ||
		    *argv[1] == '-') {
			ol_err("explain: not a sequence number: '%s'", argv[1]);
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
	if (ol_json)
		explain_json(ev);
	else
		explain_text(ev, tp);
	ol_events_free(&evs);
	return OL_EXIT_OK;
}
