/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing the "tasks" and "predict" tables (formats in oomlens_abi.h).
 * A malformed line is reported on stderr with the file name and its line
 * number, and the parse fails: a half-read table is never shown.
 */
#ifndef OOMLENS_PARSE_TASKS_H
#define OOMLENS_PARSE_TASKS_H

#include <stdbool.h>
#include <stddef.h>

struct ol_task {
	long pid;
	unsigned long uid;
	char *comm;			/* unescaped */
	unsigned long rss;		/* pages */
	unsigned long swapents;		/* pages */
	unsigned long pgtables;		/* pages */
	long adj;
	bool has_points;		/* false: "-", not a candidate */
	long points;
	unsigned long score;
	char *state;
	char *memcg;			/* unescaped; "" without memcg */
};

struct ol_tasks {
	struct ol_task *v;
	size_t n;
};

struct ol_prediction {
	char *scope;
	char *cgroup;			/* unescaped */
	unsigned long totalpages;
	char *result;
	long pid;			/* -1 for "none" */
	bool has_points;
	long points;
	char *comm;			/* unescaped; "" for "none" */
};

struct ol_predictions {
	struct ol_prediction *v;
	size_t n;
};

/* @buf is modified and referenced by the result: keep it until freed. */
int ol_parse_tasks(char *buf, const char *name, struct ol_tasks *out);
void ol_tasks_free(struct ol_tasks *t);
int ol_parse_predict(char *buf, const char *name, struct ol_predictions *out);
void ol_predictions_free(struct ol_predictions *p);

/* Undo the table escapes of a string column in place. */
void ol_unescape(char *s);

#endif
