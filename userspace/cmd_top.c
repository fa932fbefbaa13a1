// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens top: the processes by OOM badness, from the "tasks" file, with
 * the victims the OOM killer would pick now (from "predict") marked.
 *
 *   oomlens top [-n N] [--sort points|rss|adj|pid] [--cgroup PATH]
 *
 * Sizes are shown in KiB/MiB/GiB (the file counts pages); --json gives the
 * raw numbers in bytes.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "escape.h"
#include "files.h"
#include "json.h"
#include "oomlens_abi.h"
#include "parse_tasks.h"
#include "prom.h"
#include "units.h"

enum sort_key { SORT_POINTS, SORT_RSS, SORT_ADJ, SORT_PID };

static const char *const sort_names[] = {
	[SORT_POINTS] = "points",
	[SORT_RSS] = "rss",
	[SORT_ADJ] = "adj",
	[SORT_PID] = "pid",
};

static enum sort_key sort_key;

static void top_usage(FILE *f)
{
	fprintf(f,
		"Usage: oomlens top [-n N] [--sort points|rss|adj|pid] [--cgroup PATH]\n"
		"\n"
		"Processes by OOM badness; '*' marks the task the OOM killer would kill\n"
		"now in a global OOM, 'M' the one it would kill if the cgroup named in\n"
		"the list below hit its memory limit.\n"
		"\n"
		"  -n N             show the first N processes (0: all; default 20 in the\n"
		"                   table, all with --json and --prometheus)\n"
		"  --sort KEY       points (default, highest first), rss (largest first),\n"
		"                   adj (highest first) or pid\n"
		"  --cgroup PATH    only processes in this memory cgroup or below it\n"
		"  -h, --help       this help\n");
}

static int cmp_task(const void *a, const void *b)
{
	const struct ol_task *x = a, *y = b;

	switch (sort_key) {
	case SORT_POINTS:
		if (x->has_points != y->has_points)
			return x->has_points ? -1 : 1;
		if (x->has_points && x->points != y->points)
			return x->points > y->points ? -1 : 1;
		break;
	case SORT_RSS:
		if (x->rss != y->rss)
			return x->rss > y->rss ? -1 : 1;
		break;
	case SORT_ADJ:
		if (x->adj != y->adj)
			return x->adj > y->adj ? -1 : 1;
		break;
	case SORT_PID:
		break;
	}
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* @path is @cgroup or below it. */
static bool in_cgroup(const char *path, const char *cgroup)
{
	size_t n = strlen(cgroup);

	while (n > 1 && cgroup[n - 1] == '/')
		n--;
	if (n == 1 && cgroup[0] == '/')
		return path[0] == '/';
	return !strncmp(path, cgroup, n) && (path[n] == '\0' || path[n] == '/');
}

static const struct ol_prediction *global_victim(const struct ol_predictions *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].scope, OOMLENS_SCOPE_GLOBAL))
			return &p->v[i];
	return NULL;
}

static bool memcg_victim(const struct ol_predictions *p, long pid)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].scope, OOMLENS_SCOPE_MEMCG) &&
		    !strcmp(p->v[i].result, OOMLENS_RESULT_VICTIM) &&
		    p->v[i].pid == pid)
			return true;
	return false;
}

static void print_predictions(const struct ol_predictions *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct ol_prediction *x = &p->v[i];
		bool global = !strcmp(x->scope, OOMLENS_SCOPE_GLOBAL);

		printf("%s OOM%s%s (totalpages %lu): ",
		       global ? "global" : "memcg", global ? "" : " of ",
		       global ? "" : ol_tty(x->cgroup), x->totalpages);
		if (!strcmp(x->result, OOMLENS_RESULT_NONE))
			printf("no candidate%s\n",
			       global ? " (the kernel would panic)" : "");
		else if (!strcmp(x->result, OOMLENS_RESULT_ABORT))
			printf("none killed: pid %ld (%s) is an OOM victim still exiting\n",
			       x->pid, ol_tty(x->comm));
		else
			printf("kills pid %ld (%s), points %ld\n", x->pid,
			       ol_tty(x->comm), x->points);
	}
}

static void print_json(const struct ol_tasks *t, size_t shown,
		       const struct ol_predictions *p, long victim, long page)
{
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_arr_begin(&j, "tasks");
	for (i = 0; i < shown; i++) {
		const struct ol_task *x = &t->v[i];

		json_obj_begin(&j, NULL);
		json_int(&j, "pid", x->pid);
		json_uint(&j, "uid", x->uid);
		json_str(&j, "comm", x->comm);
		json_uint(&j, "rss_bytes", (unsigned long long)x->rss * page);
		json_uint(&j, "swap_bytes",
			  (unsigned long long)x->swapents * page);
		json_uint(&j, "pgtables_bytes",
			  (unsigned long long)x->pgtables * page);
		json_int(&j, "oom_score_adj", x->adj);
		if (x->has_points)
			json_int(&j, "points", x->points);
		else
			json_null(&j, "points");
		json_uint(&j, "oom_score", x->score);
		json_str(&j, "state", x->state);
		json_str(&j, "memcg", x->memcg);
		json_bool(&j, "global_victim", x->pid == victim);
		json_bool(&j, "memcg_victim", memcg_victim(p, x->pid));
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_arr_begin(&j, "predict");
	for (i = 0; i < p->n; i++) {
		const struct ol_prediction *x = &p->v[i];

		json_obj_begin(&j, NULL);
		json_str(&j, "scope", x->scope);
		json_str(&j, "cgroup", x->cgroup);
		json_uint(&j, "totalpages", x->totalpages);
		json_str(&j, "result", x->result);
		if (x->pid > 0)
			json_int(&j, "pid", x->pid);
		else
			json_null(&j, "pid");
		if (x->has_points)
			json_int(&j, "points", x->points);
		else
			json_null(&j, "points");
		json_str(&j, "comm", x->comm);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	/* -n cut the tasks list: say so, and how many there were. */
	json_uint(&j, "tasks_total", t->n);
	json_bool(&j, "tasks_truncated", shown < t->n);
	json_obj_end(&j);
	json_finish(&j);
}

/*
 * The first @shown tasks as gauges labelled pid, comm and cgroup (the
 * task's memory cgroup), then the predictions: one sample per cgroup
 * whose limit, if hit, would kill a task (scope global: the whole
 * system).
 */
static int print_prom(const struct ol_tasks *t, size_t shown,
		      const struct ol_predictions *pr, long victim, long page)
{
	struct prom own, *p;
	size_t i;
	int m;

	static const struct {
		const char *name, *help;
	} fam[] = {
		{ "oomlens_task_badness_points",
		  "oom_badness() points of the task under a global OOM (pages); tasks that are not candidates have none" },
		{ "oomlens_task_oom_score",
		  "/proc/<pid>/oom_score: the points normalised to 0..2000" },
		{ "oomlens_task_oom_score_adj", "oom_score_adj of the task" },
		{ "oomlens_task_rss_bytes",
		  "Resident memory of the task (file + anon + shmem)" },
		{ "oomlens_task_swap_bytes", "Swap used by the task" },
		{ "oomlens_task_pgtables_bytes", "Page tables of the task" },
		{ "oomlens_task_global_victim",
		  "1 for the task a global OOM would kill now, 0 for the others" },
	};

	p = prom_open(&own, stdout);
	for (m = 0; m < (int)(sizeof(fam) / sizeof(fam[0])); m++) {
		for (i = 0; i < shown; i++) {
			const struct ol_task *x = &t->v[i];
			double v;
			char pid[24];

			switch (m) {
			case 0:
				if (!x->has_points)
					continue;
				v = x->points;
				break;
			case 1:
				v = x->score;
				break;
			case 2:
				v = x->adj;
				break;
			case 3:
				v = (double)x->rss * page;
				break;
			case 4:
				v = (double)x->swapents * page;
				break;
			case 5:
				v = (double)x->pgtables * page;
				break;
			default:
				v = x->pid == victim;
			}
			snprintf(pid, sizeof(pid), "%ld", x->pid);
			prom_sample(p, fam[m].name, "gauge", fam[m].help, v,
				    "pid", pid, "comm", x->comm, "cgroup",
				    x->memcg, NULL);
		}
	}
	for (i = 0; i < pr->n; i++) {
		const struct ol_prediction *x = &pr->v[i];
		char pid[24];

		if (strcmp(x->result, OOMLENS_RESULT_VICTIM))
			continue;
		snprintf(pid, sizeof(pid), "%ld", x->pid);
		prom_sample(
			p, "oomlens_predicted_victim_points", "gauge",
			"The task an OOM would kill now and its points: scope global (the system) or memcg (the cgroup's limit hit)",
			x->points, "scope", x->scope, "oom_cgroup", x->cgroup,
			"pid", pid, "comm", x->comm, NULL);
	}
	for (i = 0; i < pr->n; i++) {
		const struct ol_prediction *x = &pr->v[i];

		prom_sample(
			p, "oomlens_prediction_totalpages_bytes", "gauge",
			"The memory an OOM of this scope would weigh badness against (oc->totalpages)",
			(double)x->totalpages * page, "scope", x->scope,
			"oom_cgroup", x->cgroup, NULL);
	}
	prom_sample(
		p, "oomlens_tasks", "gauge",
		"Processes in the module's tasks table (the task series above are the first oomlens_tasks_exported of them, by the sort order)",
		(double)t->n, NULL);
	prom_sample(
		p, "oomlens_tasks_exported", "gauge",
		"Task series written above: all, unless top -n cut the list",
		(double)shown, NULL);
	return prom_finish(p);
}

static void print_table(const struct ol_tasks *t, size_t shown,
			const struct ol_predictions *p, long victim, long page)
{
	size_t i;

	print_predictions(p);
	printf("\n  %7s %6s %-16s %9s %9s %8s %5s %10s %5s %-8s %s\n", "PID",
	       "UID", "COMM", "RSS", "SWAP", "PGTABLES", "ADJ", "POINTS",
	       "SCORE", "STATE", "MEMCG");
	for (i = 0; i < shown; i++) {
		const struct ol_task *x = &t->v[i];
		char points[24];

		if (x->has_points)
			snprintf(points, sizeof(points), "%ld", x->points);
		else
			snprintf(points, sizeof(points), "-");
		printf("%c%c%7ld %6lu %-16s %9s %9s %8s %5ld %10s %5lu %-8s %s\n",
		       x->pid == victim ? '*' : ' ',
		       memcg_victim(p, x->pid) ? 'M' : ' ', x->pid, x->uid,
		       ol_tty(x->comm), ol_human((long long)x->rss * page),
		       ol_human((long long)x->swapents * page),
		       ol_human((long long)x->pgtables * page), x->adj, points,
		       x->score, x->state,
		       x->memcg[0] ? ol_tty(x->memcg) : "-");
	}
	if (shown < t->n)
		printf("(%zu more; -n 0 shows all)\n", t->n - shown);
}

int cmd_top(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sort", required_argument, NULL, 's' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct ol_prediction *gv;
	struct ol_predictions pred;
	const char *cgroup = NULL;
	char *tbuf, *pbuf, *end;
	struct ol_tasks tasks;
	long limit = -1, page = sysconf(_SC_PAGESIZE), victim = -1;
	size_t i, n, shown;
	int c, ret = OL_EXIT_RUNTIME;

	while ((c = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			limit = strtol(optarg, &end, 10);
			if (!*optarg || *end || limit < 0 ||
			    limit == LONG_MAX) {
				ol_err("top: bad value for -n: '%s' (a number >= 0)",
				       optarg);
				return OL_EXIT_USAGE;
			}
			break;
		case 's':
			for (i = 0;
			     i < sizeof(sort_names) / sizeof(sort_names[0]);
			     i++)
				if (!strcmp(optarg, sort_names[i]))
					break;
			if (i == sizeof(sort_names) / sizeof(sort_names[0])) {
				ol_err("top: bad value for --sort: '%s' (points, rss, adj or pid)",
				       optarg);
				return OL_EXIT_USAGE;
			}
			sort_key = i;
			break;
		case 'c':
			if (optarg[0] != '/') {
				ol_err("top: bad value for --cgroup: '%s' (a path starting with '/')",
				       optarg);
				return OL_EXIT_USAGE;
			}
			cgroup = optarg;
			break;
		case 'h':
			top_usage(stdout);
			return OL_EXIT_OK;
		default:
			fprintf(stderr, "Try 'oomlens top --help'.\n");
			return OL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		ol_err("top: unexpected argument '%s'", argv[optind]);
		return OL_EXIT_USAGE;
	}
	if (ol_check_abi())
		return OL_EXIT_RUNTIME;
	tbuf = ol_read(OOMLENS_FILE_TASKS, NULL);
	if (!tbuf)
		return OL_EXIT_RUNTIME;
	pbuf = ol_read(OOMLENS_FILE_PREDICT, NULL);
	if (!pbuf) {
		free(tbuf);
		return OL_EXIT_RUNTIME;
	}
	if (ol_parse_tasks(tbuf, OOMLENS_FILE_TASKS, &tasks))
		goto out_bufs;
	if (ol_parse_predict(pbuf, OOMLENS_FILE_PREDICT, &pred))
		goto out_tasks;

	if (cgroup) {
		for (i = n = 0; i < tasks.n; i++)
			if (in_cgroup(tasks.v[i].memcg, cgroup))
				tasks.v[n++] = tasks.v[i];
		tasks.n = n;
	}
	qsort(tasks.v, tasks.n, sizeof(*tasks.v), cmp_task);
	gv = global_victim(&pred);
	if (gv && !strcmp(gv->result, OOMLENS_RESULT_VICTIM))
		victim = gv->pid;
	/* The table shows 20 by default; JSON and Prometheus every task. */
	if (limit < 0)
		limit = ol_json || ol_prometheus ? 0 : 20;
	shown = limit && (size_t)limit < tasks.n ? (size_t)limit : tasks.n;
	ret = OL_EXIT_OK;
	if (ol_prometheus) {
		if (print_prom(&tasks, shown, &pred, victim, page))
			ret = OL_EXIT_RUNTIME;
	} else if (ol_json) {
		print_json(&tasks, shown, &pred, victim, page);
	} else {
		print_table(&tasks, shown, &pred, victim, page);
	}
	ol_predictions_free(&pred);
out_tasks:
	ol_tasks_free(&tasks);
out_bufs:
	free(tbuf);
	free(pbuf);
	return ret;
}
