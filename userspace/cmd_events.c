// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens events [--since SEQ] [--follow]: the OOM events the module
 * recorded, oldest first, one line each (or one JSON object per line with
 * --json).  --follow keeps the file open, waits in poll() and prints each
 * new event as it is recorded, until interrupted.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "escape.h"
#include "files.h"
#include "event_print.h"
#include "follow.h"
#include "json.h"
#include "oomlens_abi.h"
#include "parse_commit.h"
#include "parse_events.h"
#include "prom.h"
#include "units.h"

static void print_text(const struct ol_event *ev)
{
	printf("%llu %s %s %s %s(%s) order=%s gfp=%s constraint=%s nodemask=%s oom_memcg=%s totalpages=%s outcome=%s victim=%s(%s) points=%s score=%s prediction=%s(%s)\n",
	       ev->seq,
	       ol_event_time(ol_ev_show(ev, OOMLENS_EV_TIME_REAL),
			     ol_tty(ol_ev_show(ev, OOMLENS_EV_TIME_BOOT))),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_KIND)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_SOURCE)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_COMM)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_PID)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_ORDER)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_GFP)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_CONSTRAINT)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_NODEMASK)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_OOM_MEMCG)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_TOTALPAGES)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_OUTCOME)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_COMM)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_PID)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_POINTS)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_SCORE)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_PREDICTION)),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_PREDICTED)));
}

static void print_json(const struct ol_event *ev)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	ol_event_json(&j, ev, false);
	json_obj_end(&j);
	json_finish(&j);
}

/*
 * ol_follow_events()'s callback: one event, if newer than *@arg; after a
 * module reload (NULL) every event of the new load is.
 */
static int print_one(const struct ol_event *ev, void *arg)
{
	if (!ev) {
		*(unsigned long long *)arg = 0;
		return 0;
	}
	if (ev->seq <= *(unsigned long long *)arg)
		return 0;
	if (ol_json)
		print_json(ev);
	else
		print_text(ev);
	fflush(stdout);
	return 0;
}

static void print_events(const struct ol_events *evs, unsigned long long since)
{
	size_t i;

	for (i = 0; i < evs->n; i++) {
		if (evs->ev[i].seq <= since)
			continue;
		if (ol_json)
			print_json(&evs->ev[i]);
		else
			print_text(&evs->ev[i]);
	}
	fflush(stdout);
}

/*
 * A lifetime count's label value from its stats key suffix: the word the
 * events file prints, but for the constraint, whose key is the lower-case
 * word without "CONSTRAINT_" ("unknown": not computed).
 */
static void label_of(const char *prefix, const char *suffix, char *out,
		     size_t len)
{
	size_t i, o;

	if (strcmp(prefix, OOMLENS_STAT_EVENTS_CONSTRAINT_PREFIX) ||
	    !strcmp(suffix, OOMLENS_CONSTRAINT_KEY_UNKNOWN)) {
		snprintf(out, len, "%s", suffix);
		return;
	}
	o = snprintf(out, len, "CONSTRAINT_");
	for (i = 0; suffix[i] && o + 1 < len; i++)
		out[o++] = (char)toupper((unsigned char)suffix[i]);
	out[o] = '\0';
}

/* " @w " is in the list of words @seen (" a  b "). */
static bool seen_word(const char *seen, const char *w)
{
	char pat[80];

	snprintf(pat, sizeof(pat), " %s ", w);
	return strstr(seen, pat);
}

/*
 * The lifetime counts of "stats" (OOMLENS_STAT_EVENTS_*_PREFIX), one
 * labelled counter family each.  @sbuf is the stats file; every key with
 * the prefix is a sample, a word a newer module adds included.  A module
 * older than these counts has none of the keys: the family is left out
 * (the ring alone cannot give counts that never go down).
 */
static int prom_family(struct prom *p, const char *sbuf, const char *prefix,
		       const char *name, const char *label, const char *help)
{
	size_t pl = strlen(prefix);
	const char *line, *nl;
	char seen[4096] = "";
	char *end;

	for (line = sbuf; *line; line = nl + 1) {
		char suffix[64], lab[96];
		unsigned long long v;
		const char *sp;

		nl = strchr(line, '\n');
		if (!nl)
			break;
		sp = memchr(line, ' ', nl - line);
		if (!sp || strncmp(line, prefix, pl) || sp - line - pl < 1 ||
		    sp - line - pl >= (long)sizeof(suffix))
			continue;
		snprintf(suffix, sizeof(suffix), "%.*s", (int)(sp - line - pl),
			 line + pl);
		errno = 0;
		v = strtoull(sp + 1, &end, 10);
		if (sp[1] < '0' || sp[1] > '9' || end != nl || errno) {
			ol_err("%s/%s: %s%s: not a count: \"%.*s\"", ol_dir,
			       OOMLENS_FILE_STATS, prefix, suffix,
			       (int)(nl - sp - 1), sp + 1);
			return -1;
		}
		if (strstr(seen, suffix) && seen_word(seen, suffix)) {
			ol_err("%s/%s: key \"%s%s\" repeated", ol_dir,
			       OOMLENS_FILE_STATS, prefix, suffix);
			return -1;
		}
		snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen),
			 " %s ", suffix);
		label_of(prefix, suffix, lab, sizeof(lab));
		if (p) /* NULL: validate only */
			prom_sample(p, name, "counter", help, (double)v, label,
				    lab, NULL);
	}
	return 0;
}

/*
 * events --prometheus: the OOM events recorded since the module was
 * loaded, by kind, constraint, outcome and prediction (the module's
 * lifetime counters: an event overwritten in the ring stays counted), and
 * the time of the newest retained event.  The recorder's own counters
 * (invocations, dropped, ...) are stats --prometheus's.
 */
static int events_prom(void)
{
	static const struct {
		const char *prefix, *name, *label, *help;
	} fam[] = {
		{ OOMLENS_STAT_EVENTS_KIND_PREFIX,
		  "oomlens_oom_events_by_kind_total", "kind",
		  "OOM events recorded since the module was loaded, by kind: global, memcg (a cgroup's limit) or sysrq" },
		{ OOMLENS_STAT_EVENTS_CONSTRAINT_PREFIX,
		  "oomlens_oom_events_by_constraint_total", "constraint",
		  "OOM events recorded since the module was loaded, by the kernel's constraint (unknown: out_of_memory() returned before computing it)" },
		{ OOMLENS_STAT_EVENTS_OUTCOME_PREFIX,
		  "oomlens_oom_events_by_outcome_total", "outcome",
		  "OOM events recorded since the module was loaded, by outcome (killed: a victim was killed; the others killed nothing)" },
		{ OOMLENS_STAT_EVENTS_PREDICTION_PREFIX,
		  "oomlens_oom_events_by_prediction_total", "prediction",
		  "OOM events recorded since the module was loaded, by whether oomlens had predicted the victim (not_applicable: vm.oom_kill_allocating_task killed without a selection; none: no victim or no prediction)" },
	};
	struct ol_event_stats st;
	struct ol_events evs;
	struct prom own, *p;
	char *sbuf, *copy;
	size_t k;
	int ret;

	sbuf = ol_read(OOMLENS_FILE_STATS, NULL);
	if (!sbuf)
		return OL_EXIT_RUNTIME;
	copy = strdup(sbuf);
	if (!copy) {
		ol_err("out of memory");
		free(sbuf);
		return OL_EXIT_RUNTIME;
	}
	/* Validates the file (and cuts its lines): the copy is read here. */
	if (ol_parse_event_stats(OOMLENS_FILE_STATS, sbuf, &st) ||
	    ol_read_events(&evs)) {
		free(sbuf);
		free(copy);
		return OL_EXIT_RUNTIME;
	}
	/* Validate every count first: a bad file leaves stdout empty. */
	for (k = 0; k < sizeof(fam) / sizeof(fam[0]); k++)
		if (prom_family(NULL, copy, fam[k].prefix, fam[k].name,
				fam[k].label, fam[k].help)) {
			ol_events_free(&evs);
			free(sbuf);
			free(copy);
			return OL_EXIT_RUNTIME;
		}
	p = prom_open(&own, stdout);
	for (k = 0; k < sizeof(fam) / sizeof(fam[0]); k++)
		prom_family(p, copy, fam[k].prefix, fam[k].name, fam[k].label,
			    fam[k].help);
	if (evs.n) {
		const struct ol_event *last = &evs.ev[evs.n - 1];
		double t = strtod(ol_ev_show(last, OOMLENS_EV_TIME_REAL), NULL);

		prom_sample(
			p, "oomlens_last_oom_event_timestamp_seconds", "gauge",
			"When the newest retained OOM event happened (Unix time)",
			t, NULL);
	}
	ret = prom_finish(p) ? OL_EXIT_RUNTIME : OL_EXIT_OK;
	ol_events_free(&evs);
	free(sbuf);
	free(copy);
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: oomlens [--json] events [--since SEQ] [--follow]\n"
		"\n"
		"The recorded OOM events, oldest first, one per line (JSON Lines\n"
		"with --json).\n"
		"  -s, --since SEQ   only events with a sequence number above SEQ\n"
		"  -f, --follow      then wait for new events and print each one\n"
		"  -h, --help        this help\n");
}

int cmd_events(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "follow", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long since = 0;
	struct ol_events evs;
	int follow = 0, c;
	char *end;

	while ((c = getopt_long(argc, argv, "s:fh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			errno = 0;
			since = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || *optarg == '-') {
				ol_err("events: --since: not a sequence number: '%s'",
				       optarg);
				return OL_EXIT_USAGE;
			}
			break;
		case 'f':
			follow = 1;
			break;
		case 'h':
			usage(stdout);
			return OL_EXIT_OK;
		default:
			fprintf(stderr, "Try 'oomlens events --help'.\n");
			return OL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		ol_err("events: unexpected argument '%s'", argv[optind]);
		return OL_EXIT_USAGE;
	}
	if (ol_prometheus && (follow || since)) {
		ol_err("events: --prometheus counts every retained event: it takes neither --since nor --follow");
		return OL_EXIT_USAGE;
	}
	if (ol_check_abi())
		return OL_EXIT_RUNTIME;
	if (ol_prometheus)
		return events_prom();
	if (!follow) {
		if (ol_read_events(&evs))
			return OL_EXIT_RUNTIME;
		print_events(&evs, since);
		ol_events_free(&evs);
		return OL_EXIT_OK;
	}

	return ol_follow_events(true, print_one, &since);
}
