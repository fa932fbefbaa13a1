/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What "events" and "explain" print alike about one OOM event.
 */
#ifndef OOMLENS_EVENT_PRINT_H
#define OOMLENS_EVENT_PRINT_H

#include <stdbool.h>

#include "json.h"
#include "parse_events.h"

/* JSON members the reader adds to an event's keys. */
#define OL_JSON_OOM_MEMCG_OWNER "oom_memcg_owner"
#define OL_JSON_VICTIM_MEMCG_OWNER "victim_memcg_owner"
#define OL_JSON_DOMAIN_NODES "domain_nodes"
#define OL_JSON_DOMAIN_NODES_CUT "domain_nodes_cut"

/*
 * Read and parse the whole "events" file; 0, or -1 after printing what is
 * wrong (the file and the line).  Free @evs with ol_events_free().
 */
int ol_read_events(struct ol_events *evs);

/* A value by key, "-" when the event lacks the key. */
const char *ol_ev_show(const struct ol_event *ev, const char *key);

/*
 * The members of one event's JSON object: "seq", every key of the block
 * (a number where the value is a decimal number, null for "-", a string
 * otherwise; comm and victim_comm always strings), and "candidates", each
 * with adj_pages = adj * (totalpages / 1000), the oom_score_adj part of its
 * points; and the reader's own oom_memcg_owner and victim_memcg_owner, who
 * owns those memcgs (cgroup_owner.c: a unit, container or pod; null for a
 * plain path); domain_nodes, domain_node_free_pages parsed (and
 * domain_nodes_cut).  Each candidate also has start_ns, memcg (its path, from
 * the event's cand_memcg_<i> keys, which are not repeated as members) and
 * memcg_owner, null where the module does not say; with @live (the
 * module of this boot), cmdline: its command line now, null when it is
 * gone or its pid was reused (proc_pid.c).  The caller opens and closes
 * the object.
 */
void ol_event_json(struct json *j, const struct ol_event *ev, bool live);

#endif
