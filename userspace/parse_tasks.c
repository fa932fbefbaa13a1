// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing the "tasks" and "predict" tables.  Columns are separated by
 * single spaces; strings are escaped (octal for space, tab, newline and
 * backslash; "-" for empty), so splitting on spaces is unambiguous.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "oomlens_abi.h"
#include "parse_tasks.h"

#define MAX_COLS 16

static int split(char *line, char **cols, int max)
{
	int n = 0;

	for (;;) {
		char *sp = strchr(line, ' ');

		if (n == max)
			return -1;
		cols[n++] = line;
		if (sp)
			*sp = '\0';
		if (!*line)
			return -1;
		if (!sp)
			return n;
		line = sp + 1;
	}
}

void ol_unescape(char *s)
{
	char *w = s;

	if (!strcmp(s, OOMLENS_NONE)) {
		*s = '\0';
		return;
	}
	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			*w++ = *s++;
		}
	}
	*w = '\0';
}

static bool num_l(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return !errno && end != s && !*end;
}

static bool num_ul(const char *s, unsigned long *v)
{
	char *end;

	if (*s == '-')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !errno && end != s && !*end;
}

/* Splits @buf into lines; checks the header; returns the first data line. */
static char *body(char *buf, const char *name, const char *header)
{
	char *nl = strchr(buf, '\n');

	if (!nl || (size_t)(nl - buf) != strlen(header) ||
	    strncmp(buf, header, nl - buf)) {
		ol_err("%s/%s: line 1: header \"%.*s\" is not \"%s\" (reader and module ABI differ?)",
		       ol_dir, name, nl ? (int)(nl - buf) : (int)strlen(buf), buf,
		       header);
		return NULL;
	}
	return nl + 1;
}

static int bad(const char *name, int lineno, const char *why, const char *col)
{
	ol_err("%s/%s: malformed line %d: %s%s%s%s", ol_dir, name, lineno, why,
	       col ? " \"" : "", col ? col : "", col ? "\"" : "");
	return -1;
}

int ol_parse_tasks(char *buf, const char *name, struct ol_tasks *out)
{
	char *line = body(buf, name, OOMLENS_TASKS_HEADER), *next;
	size_t cap = 0;
	int lineno = 1;

	out->v = NULL;
	out->n = 0;
	if (!line)
		return -1;
	for (; *line; line = next) {
		char *c[MAX_COLS];
		struct ol_task *t;

		lineno++;
		next = strchr(line, '\n');
		if (!next) {
			ol_tasks_free(out);
			return bad(name, lineno, "no newline at the end", NULL);
		}
		*next++ = '\0';
		if (split(line, c, MAX_COLS) != OOMLENS_TASKS_NCOLS) {
			ol_tasks_free(out);
			return bad(name, lineno, "wrong number of columns", NULL);
		}
		if (out->n == cap) {
			struct ol_task *nv;

			cap = cap ? cap * 2 : 256;
			nv = realloc(out->v, cap * sizeof(*nv));
			if (!nv) {
				ol_tasks_free(out);
				ol_err("out of memory");
				return -1;
			}
			out->v = nv;
		}
		t = &out->v[out->n];
		memset(t, 0, sizeof(*t));
#define COL(i, conv, field, what)					\
		do {							\
			if (!conv(c[i], field)) {			\
				ol_tasks_free(out);			\
				return bad(name, lineno, "bad " what, c[i]); \
			}						\
		} while (0)
		COL(0, num_l, &t->pid, "pid");
		COL(1, num_ul, &t->uid, "uid");
		COL(3, num_ul, &t->rss, "rss");
		COL(4, num_ul, &t->swapents, "swapents");
		COL(5, num_ul, &t->pgtables, "pgtables");
		COL(6, num_l, &t->adj, "adj");
		if (strcmp(c[7], OOMLENS_NONE)) {
			COL(7, num_l, &t->points, "points");
			t->has_points = true;
		}
		COL(8, num_ul, &t->score, "score");
#undef COL
		if (t->pid <= 0 || t->adj < -1000 || t->adj > 1000) {
			ol_tasks_free(out);
			return bad(name, lineno, "pid or adj out of range", NULL);
		}
		ol_unescape(c[2]);
		ol_unescape(c[10]);
		t->comm = c[2];
		t->state = c[9];
		t->memcg = c[10];
		out->n++;
	}
	return 0;
}

void ol_tasks_free(struct ol_tasks *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

int ol_parse_predict(char *buf, const char *name, struct ol_predictions *out)
{
	char *line = body(buf, name, OOMLENS_PREDICT_HEADER), *next;
	size_t cap = 0;
	int lineno = 1;

	out->v = NULL;
	out->n = 0;
	if (!line)
		return -1;
	for (; *line; line = next) {
		char *c[MAX_COLS];
		struct ol_prediction *p;

		lineno++;
		next = strchr(line, '\n');
		if (!next) {
			ol_predictions_free(out);
			return bad(name, lineno, "no newline at the end", NULL);
		}
		*next++ = '\0';
		if (split(line, c, MAX_COLS) != OOMLENS_PREDICT_NCOLS) {
			ol_predictions_free(out);
			return bad(name, lineno, "wrong number of columns", NULL);
		}
		if (out->n == cap) {
			struct ol_prediction *nv;

			cap = cap ? cap * 2 : 16;
			nv = realloc(out->v, cap * sizeof(*nv));
			if (!nv) {
				ol_predictions_free(out);
				ol_err("out of memory");
				return -1;
			}
			out->v = nv;
		}
		p = &out->v[out->n];
		memset(p, 0, sizeof(*p));
		p->pid = -1;
		if (strcmp(c[0], OOMLENS_SCOPE_GLOBAL) && strcmp(c[0], OOMLENS_SCOPE_MEMCG)) {
			ol_predictions_free(out);
			return bad(name, lineno, "unknown scope", c[0]);
		}
		if (!num_ul(c[2], &p->totalpages)) {
			ol_predictions_free(out);
			return bad(name, lineno, "bad totalpages", c[2]);
		}
		if (strcmp(c[3], OOMLENS_RESULT_NONE)) {
			if (strcmp(c[3], OOMLENS_RESULT_VICTIM) &&
			    strcmp(c[3], OOMLENS_RESULT_ABORT)) {
				ol_predictions_free(out);
				return bad(name, lineno, "unknown result", c[3]);
			}
			if (!num_l(c[4], &p->pid) || p->pid <= 0) {
				ol_predictions_free(out);
				return bad(name, lineno, "bad pid", c[4]);
			}
			if (strcmp(c[5], OOMLENS_NONE)) {
				if (!num_l(c[5], &p->points)) {
					ol_predictions_free(out);
					return bad(name, lineno, "bad points", c[5]);
				}
				p->has_points = true;
			}
		}
		ol_unescape(c[1]);
		ol_unescape(c[6]);
		p->scope = c[0];
		p->cgroup = c[1];
		p->result = c[3];
		p->comm = c[6];
		out->n++;
	}
	return 0;
}

void ol_predictions_free(struct ol_predictions *p)
{
	free(p->v);
	p->v = NULL;
	p->n = 0;
}
