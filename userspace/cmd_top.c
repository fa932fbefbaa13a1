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
#include <strings.h>
#include <unistd.h>

#include "cgroup_owner.h"
#include "commands.h"
#include "escape.h"
#include "files.h"
#include "json.h"
#include "oomlens_abi.h"
#include "parse_tasks.h"
#include "prom.h"
#include "units.h"

enum sort_key {
	SORT_POINTS,
	SORT_RSS,
	SORT_ADJ,
	SORT_PID,
	SORT_SCORE,
	SORT_SWAP,
	SORT_PGTABLES,
	SORT_UID,
	SORT_COMM,
	SORT_MEMCG,
};

static const char *const sort_names[] = {
	[SORT_POINTS] = "points",     [SORT_RSS] = "rss",
	[SORT_ADJ] = "adj",	      [SORT_PID] = "pid",
	[SORT_SCORE] = "score",	      [SORT_SWAP] = "swap",
	[SORT_PGTABLES] = "pgtables", [SORT_UID] = "uid",
	[SORT_COMM] = "comm",	      [SORT_MEMCG] = "memcg",
};

static enum sort_key sort_key;
static bool sort_reverse;

static void top_usage(FILE *f)
{
	fprintf(f,
		"Usage: oomlens top [-n N] [--sort KEY] [-r] [-a] [-o COLS] [--no-headings]\n"
		"                   [--cgroup PATH]\n"
		"\n"
		"Processes by OOM badness; '*' marks the task the OOM killer would kill\n"
		"now in a global OOM, 'M' the one it would kill if the cgroup named in\n"
		"the list below hit its memory limit.\n"
		"\n"
		"  -n N             show the first N processes (0: all; default 20 in the\n"
		"                   table, all with --json and --prometheus)\n"
		"  --sort KEY       points (default), score, rss, swap, pgtables, adj:\n"
		"                   highest first; pid, uid, comm, memcg: ascending\n"
		"  -r, --reverse    the other way round\n"
		"  -a, --all        also kernel threads and tasks the OOM killer cannot\n"
		"                   kill (hidden in the table by default)\n"
		"  -o, --output COLS  the table's columns, comma-separated: PID, UID, COMM,\n"
		"                   RSS, SWAP, PGTABLES, ADJ, POINTS, SCORE, STATE, MEMCG,\n"
		"                   OWNER (who owns the memcg; not in the default table)\n"
		"  --no-headings    task rows only: no predictions, header or notes\n"
		"  --cgroup PATH    only processes in this memory cgroup or below it\n"
		"                   (/system.slice, or /sys/fs/cgroup/system.slice)\n"
		"  -h, --help       this help\n");
}

/* Numbers largest first, names and pids in ascending order. */
static int cmp_num(unsigned long long x, unsigned long long y)
{
	return x == y ? 0 : x > y ? -1 : 1;
}

static int cmp_order(const struct ol_task *x, const struct ol_task *y)
{
	int c;

	switch (sort_key) {
	case SORT_SCORE:
		return cmp_num(x->score, y->score);
	case SORT_SWAP:
		return cmp_num(x->swapents, y->swapents);
	case SORT_PGTABLES:
		return cmp_num(x->pgtables, y->pgtables);
	case SORT_UID:
		return x->uid == y->uid ? 0 : x->uid < y->uid ? -1 : 1;
	case SORT_COMM:
		c = strcmp(x->comm, y->comm);
		return c;
	case SORT_MEMCG:
		return strcmp(x->memcg, y->memcg);
	default:
		return 0;
	}
}

static int cmp_task(const void *a, const void *b)
{
	const struct ol_task *x = a, *y = b;
	int c;

	if (sort_reverse) {
		x = b;
		y = a;
	}
	c = cmp_order(x, y);
	if (c)
		return c;

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
	default:
		break;
	}
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/*
 * --cgroup takes the path as /proc/<pid>/cgroup and the module print it
 * ("/system.slice"), or as a directory of the cgroup2 mount
 * ("/sys/fs/cgroup/system.slice", what shells complete): drop the mount.
 */
static const char *cgroup_path(const char *arg)
{
	static const char mnt[] = "/sys/fs/cgroup";
	size_t n = sizeof(mnt) - 1;

	if (strncmp(arg, mnt, n) || (arg[n] && arg[n] != '/'))
		return arg;
	return arg[n] ? arg + n : "/";
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

/* Some prediction is of @cgroup (a limited memcg) or below it. */
static bool cgroup_predicted(const struct ol_predictions *p, const char *cgroup)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].scope, OOMLENS_SCOPE_MEMCG) &&
		    in_cgroup(p->v[i].cgroup, cgroup))
			return true;
	return false;
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
	char owner[512];
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct ol_prediction *x = &p->v[i];
		bool global = !strcmp(x->scope, OOMLENS_SCOPE_GLOBAL);

		ol_owner_of(global ? NULL : x->cgroup, owner, sizeof(owner));
		printf("%s OOM%s%s%s%s%s (totalpages %lu): ",
		       global ? "global" : "memcg", global ? "" : " of ",
		       global ? "" : ol_tty(x->cgroup), *owner ? " (" : "",
		       ol_tty(owner), *owner ? ")" : "", x->totalpages);
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
	char owner[512];
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
		if (*ol_owner_of(x->memcg, owner, sizeof(owner)))
			json_str(&j, "memcg_owner", owner);
		else
			json_null(&j, "memcg_owner");
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

/* The table's columns, for -o/--output: name, width (negative: left). */
enum col {
	COL_PID,
	COL_UID,
	COL_COMM,
	COL_RSS,
	COL_SWAP,
	COL_PGTABLES,
	COL_ADJ,
	COL_POINTS,
	COL_SCORE,
	COL_STATE,
	COL_MEMCG,
	COL_OWNER, /* not in the default table: -o ...,OWNER */
	COL_NR
};

static const struct {
	const char *name;
	int width;
} cols[COL_NR] = {
	[COL_PID] = { "PID", 7 },     [COL_UID] = { "UID", 6 },
	[COL_COMM] = { "COMM", -16 }, [COL_RSS] = { "RSS", 9 },
	[COL_SWAP] = { "SWAP", 9 },   [COL_PGTABLES] = { "PGTABLES", 8 },
	[COL_ADJ] = { "ADJ", 5 },     [COL_POINTS] = { "POINTS", 10 },
	[COL_SCORE] = { "SCORE", 5 }, [COL_STATE] = { "STATE", -8 },
	[COL_MEMCG] = { "MEMCG", 0 }, [COL_OWNER] = { "OWNER", 0 },
};

static int out_cols[COL_NR], n_out_cols;
static bool no_headings, show_all;

/* -o LIST: comma-separated column names, any case. */
static int parse_output(const char *list)
{
	char buf[256], *tok, *save = NULL;
	int c;

	snprintf(buf, sizeof(buf), "%s", list);
	n_out_cols = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (c = 0; c < COL_NR; c++)
			if (!strcasecmp(tok, cols[c].name))
				break;
		if (c == COL_NR || n_out_cols == COL_NR) {
			ol_err("top: bad column for --output: '%s' (PID, UID, COMM, RSS, SWAP, PGTABLES, ADJ, POINTS, SCORE, STATE, MEMCG, OWNER)",
			       tok);
			return -1;
		}
		out_cols[n_out_cols++] = c;
	}
	if (!n_out_cols) {
		ol_err("top: --output needs at least one column");
		return -1;
	}
	return 0;
}

static void cell(int c, const char *v, bool last)
{
	int w = cols[c].width;

	if (last && w < 0)
		printf("%s", v);
	else if (w < 0)
		printf("%-*s ", -w, v);
	else if (last)
		printf("%*s", w, v);
	else
		printf("%*s ", w, v);
}

static const char *value(const struct ol_task *x, int c, long page)
{
	static char b[32], owner[512];

	switch (c) {
	case COL_PID:
		snprintf(b, sizeof(b), "%ld", x->pid);
		return b;
	case COL_UID:
		snprintf(b, sizeof(b), "%lu", x->uid);
		return b;
	case COL_COMM:
		return ol_tty(x->comm);
	case COL_RSS:
		return ol_human((long long)x->rss * page);
	case COL_SWAP:
		return ol_human((long long)x->swapents * page);
	case COL_PGTABLES:
		return ol_human((long long)x->pgtables * page);
	case COL_ADJ:
		snprintf(b, sizeof(b), "%ld", x->adj);
		return b;
	case COL_POINTS:
		if (!x->has_points)
			return "-";
		snprintf(b, sizeof(b), "%ld", x->points);
		return b;
	case COL_SCORE:
		snprintf(b, sizeof(b), "%lu", x->score);
		return b;
	case COL_STATE:
		return x->state;
	case COL_OWNER:
		return *ol_owner_of(x->memcg, owner, sizeof(owner)) ?
			       ol_tty(owner) :
			       "-";
	default:
		return x->memcg[0] ? ol_tty(x->memcg) : "-";
	}
}

/* Kernel threads and tasks that cannot be killed: hidden unless --all. */
static bool hidden(const struct ol_task *x)
{
	return !show_all && strcmp(x->state, OOMLENS_STATE_KILLABLE);
}

static void print_table(const struct ol_tasks *t, size_t shown,
			const struct ol_predictions *p, long victim, long page,
			size_t nhidden)
{
	size_t i;
	int k;

	if (!n_out_cols)
		for (k = 0; k < COL_OWNER; k++)
			out_cols[n_out_cols++] = k;
	if (!no_headings) {
		print_predictions(p);
		printf("\n  ");
		for (k = 0; k < n_out_cols; k++)
			cell(out_cols[k], cols[out_cols[k]].name,
			     k == n_out_cols - 1);
		printf("\n");
	}
	for (i = 0; i < shown; i++) {
		const struct ol_task *x = &t->v[i];

		printf("%c%c", x->pid == victim ? '*' : ' ',
		       memcg_victim(p, x->pid) ? 'M' : ' ');
		for (k = 0; k < n_out_cols; k++)
			cell(out_cols[k], value(x, out_cols[k], page),
			     k == n_out_cols - 1);
		printf("\n");
	}
	if (no_headings)
		return;
	if (nhidden)
		printf("(%zu kernel threads and unkillable tasks hidden; --all shows them)\n",
		       nhidden);
	if (shown < t->n)
		printf("(%zu more; -n 0 shows all)\n", t->n - shown);
}

int cmd_top(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sort", required_argument, NULL, 's' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ "no-headings", no_argument, NULL, 'H' },
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
	size_t i, n, shown, nhidden = 0;
	int c, ret = OL_EXIT_RUNTIME;

	while ((c = getopt_long(argc, argv, "n:ro:ah", longopts, NULL)) != -1) {
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
				ol_err("top: bad value for --sort: '%s' (points, score, rss, swap, pgtables, adj, pid, uid, comm or memcg)",
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
			cgroup = cgroup_path(optarg);
			break;
		case 'r':
			sort_reverse = true;
			break;
		case 'a':
			show_all = true;
			break;
		case 'o':
			if (parse_output(optarg))
				return OL_EXIT_USAGE;
			break;
		case 'H':
			no_headings = true;
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
		if (!n && !cgroup_predicted(&pred, cgroup)) {
			ol_err("top: --cgroup '%s': no process is in that memory cgroup or below it, and it has no memory limit (a path as in /proc/<pid>/cgroup, e.g. /system.slice)",
			       cgroup);
			ret = OL_EXIT_USAGE;
			goto out_pred;
		}
	}
	qsort(tasks.v, tasks.n, sizeof(*tasks.v), cmp_task);
	gv = global_victim(&pred);
	if (gv && !strcmp(gv->result, OOMLENS_RESULT_VICTIM))
		victim = gv->pid;
	/*
	 * The table hides what cannot be an OOM victim unless --all, and
	 * shows 20 rows by default; JSON and Prometheus have every task.
	 */
	if (!ol_json && !ol_prometheus) {
		for (i = n = 0; i < tasks.n; i++)
			if (!hidden(&tasks.v[i]))
				tasks.v[n++] = tasks.v[i];
		nhidden = tasks.n - n;
		tasks.n = n;
	}
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
		print_table(&tasks, shown, &pred, victim, page, nhidden);
	}
out_pred:
	ol_predictions_free(&pred);
out_tasks:
	ol_tasks_free(&tasks);
out_bufs:
	free(tbuf);
	free(pbuf);
	return ret;
}
