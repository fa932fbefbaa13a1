// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing the "tasks" and "predict" tables.  Columns are separated by
 * single spaces; strings are escaped (octal for space, tab, newline and
 * backslash; "-" for empty), so splitting on spaces is unambiguous.
 *
 * Columns are found by their name in the header line, not by position: a
 * newer module of the same ABI major may add columns anywhere (they are
 * skipped) or write them in another order.  Every column the ABI defines
 * must be there, once.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "files.h"
#include "oomlens_abi.h"
#include "parse_tasks.h"

#define MAX_COLS 48

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
	if (!strcmp(s, OOMLENS_NONE))
		*s = '\0';
	else
		ol_unescape_octal(s);
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

/*
 * Splits @buf into lines and finds the ABI's columns (@header) in its first
 * line: map[i] is the file's column of the ABI's i-th.  Returns the first
 * data line and sets *@ncols_file, or NULL after saying what is wrong.
 */
static char *body(char *buf, const char *name, const char *header, int *map,
		  int *ncols_file)
{
	char *nl = strchr(buf, '\n'), *fc[MAX_COLS], *ac[MAX_COLS];
	char abi[512], line1[1024];
	int nf, na, i, j;

	if (!nl || (size_t)(nl - buf) >= sizeof(line1) ||
	    strlen(header) >= sizeof(abi))
		goto bad_header;
	memcpy(line1, buf, nl - buf);
	line1[nl - buf] = '\0';
	strcpy(abi, header);
	nf = split(line1, fc, MAX_COLS);
	na = split(abi, ac, MAX_COLS);
	if (nf < 0 || na < 0)
		goto bad_header;
	for (i = 0; i < na; i++) {
		map[i] = -1;
		for (j = 0; j < nf; j++) {
			if (strcmp(ac[i], fc[j]))
				continue;
			if (map[i] >= 0)
				goto bad_header; /* twice */
			map[i] = j;
		}
		if (map[i] < 0)
			goto bad_header;
	}
	*ncols_file = nf;
	return nl + 1;
bad_header:
	ol_err("%s/%s: line 1: header \"%.*s\" lacks a column of \"%s\" or repeats one (reader and module ABI differ?)",
	       ol_dir, name, nl ? (int)(nl - buf) : (int)strlen(buf), buf,
	       header);
	return NULL;
}

static int bad(const char *name, int lineno, const char *why, const char *col)
{
	ol_err("%s/%s: malformed line %d: %s%s%.80s%s", ol_dir, name, lineno,
	       why, col ? " \"" : "", col ? col : "", col ? "\"" : "");
	return -1;
}

/*
 * A row parser: fills @elem from the @ncols columns of one row; NULL, or
 * what is wrong, with the bad column in *col (NULL if none).
 */
typedef const char *(*row_fn)(char **c, void *elem, const char **col);

/*
 * The one loop over the rows of a table: checks the header, splits each
 * row into exactly @ncols columns, grows the array *@v (of @size-byte
 * elements, *@n of them) and hands each row to @row.  0, or -1 after
 * printing the file, the line and what is wrong; *@v is then freed.
 */
static int parse_table(char *buf, const char *name, const char *header,
		       int ncols, size_t size, void **v, size_t *n, row_fn row)
{
	int map[MAX_COLS], nfile = 0, i;
	char *line = body(buf, name, header, map, &nfile), *next;
	size_t cap = 0;
	int lineno = 1;

	*v = NULL;
	*n = 0;
	if (!line)
		return -1;
	for (; *line; line = next) {
		const char *why, *col = NULL;
		char *f[MAX_COLS], *c[MAX_COLS];
		void *elem;

		lineno++;
		next = strchr(line, '\n');
		if (!next) {
			why = "no newline at the end";
			goto fail;
		}
		*next++ = '\0';
		if (split(line, f, MAX_COLS) != nfile) {
			why = "wrong number of columns";
			goto fail;
		}
		for (i = 0; i < ncols; i++)
			c[i] = f[map[i]];
		if (*n == cap) {
			void *nv;

			cap = cap ? cap * 2 : 64;
			nv = realloc(*v, cap * size);
			if (!nv) {
				free(*v);
				*v = NULL;
				*n = 0;
				ol_err("%s/%s: out of memory at line %d",
				       ol_dir, name, lineno);
				return -1;
			}
			*v = nv;
		}
		elem = (char *)*v + *n * size;
		memset(elem, 0, size);
		why = row(c, elem, &col);
		if (why)
			goto fail;
		(*n)++;
		continue;
fail:
		free(*v);
		*v = NULL;
		*n = 0;
		return bad(name, lineno, why, col);
	}
	return 0;
}

static const char *task_row(char **c, void *elem, const char **col)
{
	struct ol_task *t = elem;

#define COL(i, conv, field, what)           \
	do {                                \
		if (!conv(c[i], field)) {   \
			*col = c[i];        \
			return "bad " what; \
		}                           \
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
	if (t->pid <= 0 || t->adj < -1000 || t->adj > 1000)
		return "pid or adj out of range";
	ol_unescape(c[2]);
	ol_unescape(c[10]);
	t->comm = c[2];
	t->state = c[9];
	t->memcg = c[10];
	return NULL;
}

int ol_parse_tasks(char *buf, const char *name, struct ol_tasks *out)
{
	void *v;
	int ret = parse_table(buf, name, OOMLENS_TASKS_HEADER,
			      OOMLENS_TASKS_NCOLS, sizeof(*out->v), &v, &out->n,
			      task_row);
	size_t i;

	out->v = v;
	/*
	 * Rows come in increasing pid order (the module walks tgids upwards):
	 * a pid twice would be the same Prometheus series twice.
	 */
	for (i = 1; !ret && i < out->n; i++) {
		if (out->v[i].pid <= out->v[i - 1].pid) {
			ol_tasks_free(out);
			return bad(name, (int)i + 2,
				   "pid not above the previous row's", NULL);
		}
	}
	return ret;
}

void ol_tasks_free(struct ol_tasks *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static const char *predict_row(char **c, void *elem, const char **col)
{
	struct ol_prediction *p = elem;

	p->pid = -1;
	if (strcmp(c[0], OOMLENS_SCOPE_GLOBAL) &&
	    strcmp(c[0], OOMLENS_SCOPE_MEMCG)) {
		*col = c[0];
		return "unknown scope";
	}
	if (!num_ul(c[2], &p->totalpages)) {
		*col = c[2];
		return "bad totalpages";
	}
	if (strcmp(c[3], OOMLENS_RESULT_NONE)) {
		if (strcmp(c[3], OOMLENS_RESULT_VICTIM) &&
		    strcmp(c[3], OOMLENS_RESULT_ABORT)) {
			*col = c[3];
			return "unknown result";
		}
		if (!num_l(c[4], &p->pid) || p->pid <= 0) {
			*col = c[4];
			return "bad pid";
		}
		if (strcmp(c[5], OOMLENS_NONE)) {
			if (!num_l(c[5], &p->points)) {
				*col = c[5];
				return "bad points";
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
	return NULL;
}

int ol_parse_predict(char *buf, const char *name, struct ol_predictions *out)
{
	void *v;
	int ret = parse_table(buf, name, OOMLENS_PREDICT_HEADER,
			      OOMLENS_PREDICT_NCOLS, sizeof(*out->v), &v,
			      &out->n, predict_row);

	out->v = v;
	return ret;
}

void ol_predictions_free(struct ol_predictions *p)
{
	free(p->v);
	p->v = NULL;
	p->n = 0;
}
