/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing the "events" and "last" files (format: include/oomlens_abi.h).
 * Shared by the reader's subcommands and the selftests; no other
 * dependency than libc.
 */
#ifndef OOMLENS_PARSE_EVENTS_H
#define OOMLENS_PARSE_EVENTS_H

#include <stddef.h>

/* The ABI's keys and room for those a newer module adds. */
#define OL_EV_MAX_KEYS 128

struct ol_cand {
	unsigned int rank;
	long long pid, uid, adj, points, score, rss, swap, pgtables;
	long long read; /* OOMLENS_EV_CAND_READ: 1, 0, or -1 (not sent) */
	long long start_ns; /* OOMLENS_EV_CAND_START, or -1 (not sent) */
	long long memcg; /* OOMLENS_EV_CAND_MEMCG: 1.., 0 unknown, -1 not sent */
	char comm[64];
};

struct ol_event {
	unsigned long long seq;
	unsigned long long check;
	int nkeys;
	char key[OL_EV_MAX_KEYS][32];
	char val[OL_EV_MAX_KEYS][640];
	int ncand;
	struct ol_cand *cand;
};

struct ol_events {
	size_t n;
	struct ol_event *ev;
};

/*
 * Parse complete blocks of @text.  Returns 0, or -1 with a message naming
 * the line ("line N: ...") in @err.  With @partial_ok, an unfinished last
 * block (a reader racing a writer in --follow mode is never one: the module
 * writes whole blocks, but a short read may cut one) is not an error: it is
 * left out and *consumed says how many bytes the complete blocks used.
 * @first_line numbers the lines of @text for the messages.
 */
int ol_events_parse(const char *text, int partial_ok, int first_line,
		    struct ol_events *out, size_t *consumed, char *err,
		    size_t errlen);
void ol_events_free(struct ol_events *evs);

/* A value by key, NULL if the key is absent. */
const char *ol_ev_str(const struct ol_event *ev, const char *key);
/* A number by key: 0, or -1 when absent or "-" (not known). */
int ol_ev_num(const struct ol_event *ev, const char *key, long long *v);
/* Were @c's rss, swap and pgtables read (else they are 0, not measured)? */
int ol_cand_read(const struct ol_event *ev, const struct ol_cand *c);
/* @c's memcg path (unescaped), or NULL when the event does not say. */
const char *ol_cand_memcg(const struct ol_event *ev, const struct ol_cand *c);
/* A node of domain_node_free_pages. */
struct ol_node {
	long long nid, free_pages;
};

/*
 * domain_node_free_pages parsed into @out (up to @max nodes): their number
 * (0 for "-"), *@cut 1 when the module cut the list (",..."); -1 when the
 * value is malformed (or has more than @max nodes), -2 without the key.
 */
int ol_ev_nodes(const struct ol_event *ev, struct ol_node *out, int max,
		int *cut);

/* Is @key one of the events' cand_memcg_<i> keys? */
int ol_ev_cand_memcg_key(const char *key);

#endif
