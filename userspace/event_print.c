// SPDX-License-Identifier: GPL-2.0
/*
 * What "events" and "explain" print alike about one OOM event.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_owner.h"
#include "event_print.h"
#include "files.h"
#include "oomlens_abi.h"
#include "proc_pid.h"

int ol_read_events(struct ol_events *evs)
{
	char err[256], *buf = ol_read(OOMLENS_FILE_EVENTS, NULL);
	int ret;

	if (!buf)
		return -1;
	ret = ol_events_parse(buf, 0, 1, evs, NULL, err, sizeof(err));
	if (ret)
		ol_err("%s/%s: %s", ol_dir, OOMLENS_FILE_EVENTS, err);
	free(buf);
	return ret;
}

const char *ol_ev_show(const struct ol_event *ev, const char *key)
{
	const char *s = ol_ev_str(ev, key);

	return s ? s : OOMLENS_NONE;
}

/*
 * The keys whose value is a string whatever it looks like ("1" is a
 * nodemask, "123" may be a comm): each key has one JSON type.  The other
 * known keys are integers; "-" is null for every key.  A key this reader
 * does not know (a newer module's) is typed by its value.
 */
static const char *const string_keys[] = {
	OOMLENS_EV_TIME_REAL,
	OOMLENS_EV_KIND,
	OOMLENS_EV_SOURCE,
	OOMLENS_EV_COMM,
	OOMLENS_EV_GFP,
	OOMLENS_EV_CONSTRAINT,
	OOMLENS_EV_NODEMASK,
	OOMLENS_EV_OOM_MEMCG,
	OOMLENS_EV_OUTCOME,
	OOMLENS_EV_VICTIM_COMM,
	OOMLENS_EV_VICTIM_CHOSEN_BY,
	OOMLENS_EV_VICTIM_MEMCG,
	OOMLENS_EV_PREDICTION,
	OOMLENS_EV_SYSCTLS,
	OOMLENS_EV_DOMAIN_SWAP_COUNTER,
	OOMLENS_EV_MEMCG_HIERARCHY,
	OOMLENS_EV_DOMAIN_NODE_FREE,
};

static bool string_key(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(string_keys) / sizeof(string_keys[0]); i++)
		if (!strcmp(key, string_keys[i]))
			return true;
	return false;
}

static void json_value(struct json *j, const char *key, const char *val)
{
	char *end;
	long long n;

	if (!strcmp(val, OOMLENS_NONE)) {
		json_null(j, key);
		return;
	}
	errno = 0;
	n = strtoll(val, &end, 10);
	if (!string_key(key) && !errno && end != val && !*end)
		json_int(j, key, n);
	else
		json_str(j, key, val);
}

/* @pages * @page, or null when it does not fit (a damaged file). */
/* (also adj * (totalpages / 1000), the same product) */
static void json_bytes(struct json *j, const char *key, long long pages,
		       long long page)
{
	long long b;

	if (__builtin_mul_overflow(pages, page, &b))
		json_null(j, key);
	else
		json_int(j, key, b);
}

/* A candidate's @pages times @unit (1: pages), null when not read. */
static void cand_json(struct json *j, const char *key, long long pages,
		      int read, long long unit)
{
	if (read)
		json_bytes(j, key, pages, unit);
	else
		json_null(j, key);
}

/* The owner of a memcg path (cgroup_owner.c), null when none is known. */
static void owner_json(struct json *j, const char *key, const char *path)
{
	char text[512];

	if (*ol_owner_of(path, text, sizeof(text)))
		json_str(j, key, text);
	else
		json_null(j, key);
}

/* A candidate's number that an older module does not send: null then. */
static void cand_opt(struct json *j, const char *key, long long v)
{
	if (v < 0)
		json_null(j, key);
	else
		json_int(j, key, v);
}

/* The candidate's memcg path, its owner, and its command line (@live). */
static void cand_identity(struct json *j, const struct ol_event *ev,
			  const struct ol_cand *c, bool live)
{
	const char *memcg = ol_cand_memcg(ev, c);
	char *cmdline;

	cand_opt(j, "start_ns", c->start_ns);
	if (memcg && strcmp(memcg, OOMLENS_NONE))
		json_str(j, "memcg", memcg);
	else
		json_null(j, "memcg");
	owner_json(j, "memcg_owner", memcg);
	if (!live)
		return;
	cmdline = ol_proc_cmdline(c->pid, c->start_ns);
	if (cmdline)
		json_str(j, "cmdline", cmdline);
	else
		json_null(j, "cmdline");
	free(cmdline);
}

/*
 * domain_node_free_pages parsed (ol_ev_nodes()) as an array of {node,
 * free_pages, free_bytes}, and domain_nodes_cut; both null when the value
 * is malformed, nothing for a module before the key.
 */
static void nodes_json(struct json *j, const struct ol_event *ev, long page)
{
	struct ol_node nodes[OOMLENS_EV_DOMAIN_NODES];
	int cut, n = ol_ev_nodes(ev, nodes, OOMLENS_EV_DOMAIN_NODES, &cut), i;

	if (n == -2)
		return;
	if (n < 0) {
		json_null(j, OL_JSON_DOMAIN_NODES);
		json_null(j, OL_JSON_DOMAIN_NODES_CUT);
		return;
	}
	json_arr_begin(j, OL_JSON_DOMAIN_NODES);
	for (i = 0; i < n; i++) {
		json_obj_begin(j, NULL);
		json_int(j, "node", nodes[i].nid);
		json_int(j, "free_pages", nodes[i].free_pages);
		json_bytes(j, "free_bytes", nodes[i].free_pages, page);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_bool(j, OL_JSON_DOMAIN_NODES_CUT, cut);
}

void ol_event_json(struct json *j, const struct ol_event *ev, bool live)
{
	long long tp = 0, page = sysconf(_SC_PAGESIZE);
	int i;

	ol_ev_num(ev, OOMLENS_EV_TOTALPAGES, &tp);
	json_uint(j, "seq", ev->seq);
	for (i = 0; i < ev->nkeys; i++)
		/* Each candidate has its own path (below). */
		if (!ol_ev_cand_memcg_key(ev->key[i]))
			json_value(j, ev->key[i], ev->val[i]);
	owner_json(j, OL_JSON_OOM_MEMCG_OWNER,
		   ol_ev_str(ev, OOMLENS_EV_OOM_MEMCG));
	owner_json(j, OL_JSON_VICTIM_MEMCG_OWNER,
		   ol_ev_str(ev, OOMLENS_EV_VICTIM_MEMCG));
	nodes_json(j, ev, page);
	json_arr_begin(j, OOMLENS_EV_CANDIDATES);
	for (i = 0; i < ev->ncand; i++) {
		const struct ol_cand *c = &ev->cand[i];
		int read = ol_cand_read(ev, c);

		json_obj_begin(j, NULL);
		json_int(j, "rank", c->rank);
		json_int(j, "pid", c->pid);
		json_str(j, "comm", c->comm);
		json_int(j, "uid", c->uid);
		json_int(j, "adj", c->adj);
		json_bytes(j, "adj_pages", c->adj, tp / 1000);
		json_int(j, "points", c->points);
		json_int(j, "score", c->score);
		/*
		 * One unit rule: pages where named so, bytes as _bytes; null
		 * where they were not read (OOMLENS_EV_CAND_READ).
		 */
		cand_json(j, "rss_pages", c->rss, read, 1);
		cand_json(j, "swap_pages", c->swap, read, 1);
		cand_json(j, "pgtables_pages", c->pgtables, read, 1);
		cand_json(j, "rss_bytes", c->rss, read, page);
		cand_json(j, "swap_bytes", c->swap, read, page);
		cand_json(j, "pgtables_bytes", c->pgtables, read, page);
		json_bool(j, "components_read", read);
		cand_identity(j, ev, c, live);
		json_obj_end(j);
	}
	json_arr_end(j);
}
