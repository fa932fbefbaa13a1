// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing the kernel's OOM report (mm/oom_kill.c dump_header(),
 * dump_tasks(), dump_oom_victim() / dump_oom_summary(), __oom_kill_process()).
 * The task dump is parsed by its header: 6.12 has rss_anon, rss_file and
 * rss_shmem columns that 6.1 lacks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oom_klog.h"

static void copy_until(char *dst, size_t len, const char *src, const char *stop)
{
	size_t n = stop ? strcspn(src, stop) : strlen(src);

	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Tokens of a dump line with the brackets of "[  pid  ]" removed. */
static int tokens(const char *line, char tok[][64], int max)
{
	char buf[512], *save = NULL, *t;
	int n = 0;
	size_t i;

	snprintf(buf, sizeof(buf), "%s", line);
	for (i = 0; buf[i]; i++)
		if (buf[i] == '[' || buf[i] == ']')
			buf[i] = ' ';
	for (t = strtok_r(buf, " ", &save); t && n < max;
	     t = strtok_r(NULL, " ", &save))
		snprintf(tok[n++], 64, "%s", t);
	return n;
}

struct dump_cols {
	int pid, rss, pgtables, swapents, adj, name, n;
};

static int col(char tok[][64], int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(tok[i], name))
			return i;
	return -1;
}

static void parse_oomkill(const char *t, struct okl_report *r)
{
	char buf[1024], *save = NULL, *f;

	snprintf(buf, sizeof(buf), "%s", t + strlen("oom-kill:"));
	snprintf(r->oom_memcg, sizeof(r->oom_memcg), "-");
	for (f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(f, '=');

		if (!eq)
			continue; /* global_oom */
		*eq++ = '\0';
		if (!strcmp(f, "constraint"))
			snprintf(r->constraint, sizeof(r->constraint), "%s",
				 eq);
		else if (!strcmp(f, "nodemask"))
			snprintf(r->nodemask, sizeof(r->nodemask), "%s", eq);
		else if (!strcmp(f, "oom_memcg"))
			snprintf(r->oom_memcg, sizeof(r->oom_memcg), "%s", eq);
		else if (!strcmp(f, "task_memcg"))
			snprintf(r->task_memcg, sizeof(r->task_memcg), "%s",
				 eq);
		else if (!strcmp(f, "task"))
			snprintf(r->task, sizeof(r->task), "%s", eq);
		else if (!strcmp(f, "pid"))
			r->pid = atoll(eq);
		else if (!strcmp(f, "uid"))
			r->uid = atoll(eq);
	}
}

/* "<what>: usage NkB, limit NkB, failcnt N" of a memcg OOM's report. */
static int usage_line(const char *t, const char *what, long long *usage,
		      long long *limit, long long *failcnt)
{
	size_t n = strlen(what);

	if (strncmp(t, what, n) || strncmp(t + n, ": usage ", 8))
		return 0;
	return sscanf(t + n + 8, "%lldkB, limit %lldkB, failcnt %lld", usage,
		      limit, failcnt) == 3;
}

/* The domain's lines of dump_header() (memcg, or Mem-Info and zones). */
static void domain_line(const char *t, struct okl_report *r)
{
	long long f;
	const char *s;
	int nid;

	if (usage_line(t, "memory", &r->usage_kb, &r->limit_kb, &r->failcnt)) {
		r->have_memcg = 1;
	} else if (usage_line(t, "swap", &r->swap_usage_kb, &r->swap_limit_kb,
			      &f)) {
		r->have_swap = 1;
	} else if (usage_line(t, "memory+swap", &r->swap_usage_kb,
			      &r->swap_limit_kb, &f)) {
		r->have_swap = 1;
		r->swap_is_memsw = 1;
	} else if (!strncmp(t, "active_anon:", 12) &&
		   (s = strstr(t, " free:")) && strstr(s, " free_pcp:")) {
		r->free_pages = atoll(s + 6);
		r->have_meminfo = 1;
	} else if (sscanf(t, "Node %d ", &nid) == 1 && nid >= 0 &&
		   nid < OKL_MAX_NODES && (s = strstr(t, " free:")) &&
		   strstr(s, "kB boost:")) {
		/* A zone's line: the node's free pages are their sum. */
		if (r->node_free_kb[nid] < 0)
			r->node_free_kb[nid] = 0;
		r->node_free_kb[nid] += atoll(s + 6);
	}
}

int okl_report_for(struct olt_kmsg *k, pid_t pid, struct okl_report *r)
{
	struct okl_report cur;
	struct dump_cols c = { -1, -1, -1, -1, -1, -1, 0 };
	char killed[64], tok[16][64];
	const char *t;
	int found = 0;

	memset(r, 0, sizeof(*r));
	memset(&cur, 0, sizeof(cur));
	snprintf(killed, sizeof(killed), "Killed process %d (", pid);
	while ((t = olt_kmsg_next(k))) {
		const char *s;

		if ((s = strstr(t, " invoked oom-killer: gfp_mask="))) {
			if (found)
				break; /* the next report */
			memset(&cur, 0, sizeof(cur));
			memset(cur.node_free_kb, 0xff,
			       sizeof(cur.node_free_kb));
			copy_until(cur.invoker, sizeof(cur.invoker), t, NULL);
			cur.invoker[s - t < (long)sizeof(cur.invoker) ?
					    s - t :
					    (long)sizeof(cur.invoker) - 1] =
				'\0';
			s += strlen(" invoked oom-killer: gfp_mask=");
			copy_until(cur.gfp, sizeof(cur.gfp), s, ",");
			s = strstr(s, ", order=");
			cur.order = s ? atoi(s + 8) : -2;
			cur.have_invoked = 1;
			c.n = 0;
		} else if (cur.have_invoked && !c.n && !cur.have_oomkill &&
			   (!strncmp(t, "memory", 6) ||
			    !strncmp(t, "swap", 4) ||
			    !strncmp(t, "active_anon:", 12) ||
			    !strncmp(t, "Node ", 5))) {
			domain_line(t, &cur);
		} else if (strstr(t, "[  pid  ]")) {
			c.n = tokens(t, tok, 16);
			c.pid = col(tok, c.n, "pid");
			c.rss = col(tok, c.n, "rss");
			c.pgtables = col(tok, c.n, "pgtables_bytes");
			c.swapents = col(tok, c.n, "swapents");
			c.adj = col(tok, c.n, "oom_score_adj");
			c.name = col(tok, c.n, "name");
		} else if (c.n && t[0] == '[' && cur.nrows < OKL_MAX_ROWS &&
			   tokens(t, tok, 16) == c.n) {
			struct okl_row *row = &cur.rows[cur.nrows++];

			row->pid = atoll(tok[c.pid]);
			row->rss = atoll(tok[c.rss]);
			row->pgtables_bytes = atoll(tok[c.pgtables]);
			row->swapents = atoll(tok[c.swapents]);
			row->adj = atoll(tok[c.adj]);
			snprintf(row->name, sizeof(row->name), "%s",
				 tok[c.name]);
		} else if (!strncmp(t, "oom-kill:", 9)) {
			struct okl_report tmp = cur;

			parse_oomkill(t, &tmp);
			tmp.have_oomkill = 1;
			c.n = 0;
			if (tmp.pid == pid) {
				*r = tmp;
				found = 1;
			}
		} else if (found && !r->killed_pid &&
			   (s = strstr(t, "Killed process "))) {
			/*
			 * The thread __oom_kill_process() named: the first
			 * of the victim's threads with an mm, which need not
			 * be the chosen one (oom-kill: pid=).
			 */
			r->killed_pid = atoll(s + strlen("Killed process "));
		}
		if (found && (s = strstr(t, killed))) {
			long long a = 0, f = 0, sh = 0;
			const char *p;

			p = strstr(s, "anon-rss:");
			if (p)
				a = atoll(p + 9);
			p = strstr(s, "file-rss:");
			if (p)
				f = atoll(p + 9);
			p = strstr(s, "shmem-rss:");
			if (p)
				sh = atoll(p + 10);
			r->killed_rss_kb = a + f + sh;
			p = strstr(s, "oom_score_adj:");
			r->killed_adj = p ? atoll(p + 14) : -10000;
			r->have_killed = 1;
		}
	}
	return found ? 0 : -1;
}

const struct okl_row *okl_row(const struct okl_report *r, long long pid)
{
	int i;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].pid == pid)
			return &r->rows[i];
	return NULL;
}
