// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens events [--since SEQ] [--follow]: the OOM events the module
 * recorded, oldest first, one line each (or one JSON object per line with
 * --json).  --follow keeps the file open, waits in poll() and prints each
 * new event as it is recorded, until interrupted.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "escape.h"
#include "files.h"
#include "event_print.h"
#include "json.h"
#include "oomlens_abi.h"
#include "parse_commit.h"
#include "parse_events.h"
#include "prom.h"

static void print_text(const struct ol_event *ev)
{
	printf("%llu %s %s %s %s(%s) order=%s gfp=%s constraint=%s nodemask=%s oom_memcg=%s totalpages=%s outcome=%s victim=%s(%s) points=%s score=%s prediction=%s(%s)\n",
	       ev->seq, ol_ev_show(ev, OOMLENS_EV_TIME_REAL),
	       ol_ev_show(ev, OOMLENS_EV_KIND),
	       ol_ev_show(ev, OOMLENS_EV_SOURCE),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_COMM)),
	       ol_ev_show(ev, OOMLENS_EV_PID), ol_ev_show(ev, OOMLENS_EV_ORDER),
	       ol_ev_show(ev, OOMLENS_EV_GFP),
	       ol_ev_show(ev, OOMLENS_EV_CONSTRAINT),
	       ol_ev_show(ev, OOMLENS_EV_NODEMASK),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_OOM_MEMCG)),
	       ol_ev_show(ev, OOMLENS_EV_TOTALPAGES),
	       ol_ev_show(ev, OOMLENS_EV_OUTCOME),
	       ol_tty(ol_ev_show(ev, OOMLENS_EV_VICTIM_COMM)),
	       ol_ev_show(ev, OOMLENS_EV_VICTIM_PID),
	       ol_ev_show(ev, OOMLENS_EV_VICTIM_POINTS),
	       ol_ev_show(ev, OOMLENS_EV_VICTIM_SCORE),
	       ol_ev_show(ev, OOMLENS_EV_PREDICTION),
	       ol_ev_show(ev, OOMLENS_EV_PREDICTED));
}

static void print_json(const struct ol_event *ev)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	ol_event_json(&j, ev);
	json_obj_end(&j);
	json_finish(&j);
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

/* Count the events whose @key is each of @vals ("-" counts as "unknown"). */
static void prom_by(struct prom *p, const struct ol_events *evs,
		    const char *name, const char *help, const char *key,
		    const char *label, const char *const *vals, size_t nvals)
{
	size_t i, k;

	for (k = 0; k < nvals; k++) {
		unsigned long long n = 0;

		for (i = 0; i < evs->n; i++) {
			const char *v = ol_ev_show(&evs->ev[i], key);

			if (!strcmp(v, OOMLENS_NONE))
				v = "unknown";
			n += !strcmp(v, vals[k]);
		}
		prom_sample(p, name, "counter", help, (double)n, label, vals[k],
			    NULL);
	}
}

/*
 * The label values of @key: the ABI's (@vals, @n), then those a newer
 * module wrote that this reader does not know, each once, in the order
 * first seen (at most OL_EXTRA_VALUES, which no ABI minor comes near).
 */
#define OL_EXTRA_VALUES 32
static size_t label_values(const struct ol_events *evs, const char *key,
			   const char *const *vals, size_t n, const char **out)
{
	size_t i, v, m = 0;

	for (v = 0; v < n; v++)
		out[m++] = vals[v];
	for (i = 0; i < evs->n && m < n + OL_EXTRA_VALUES; i++) {
		const char *val = ol_ev_show(&evs->ev[i], key);

		if (!strcmp(val, OOMLENS_NONE))
			continue;
		for (v = 0; v < m; v++)
			if (!strcmp(val, out[v]))
				break;
		if (v == m)
			out[m++] = val;
	}
	return m;
}

/*
 * Counters of the recorded events by kind, constraint, outcome and
 * prediction: every label value the ABI defines (0 when none, so that
 * rates work from the first scrape), and any value a newer module adds,
 * counted under its own label; and the recorder's own counters from
 * "stats".
 */
static int print_prom(const struct ol_events *evs,
		      const struct ol_event_stats *st)
{
	static const char *const kinds[] = { "global", "memcg", "sysrq" };
	static const char *const constraints[] = {
		"CONSTRAINT_NONE", "CONSTRAINT_CPUSET",
		"CONSTRAINT_MEMORY_POLICY", "CONSTRAINT_MEMCG", "unknown"
	};
	static const char *const outcomes[] = {
		OOMLENS_OUTCOME_KILLED,		 OOMLENS_OUTCOME_VICTIM_EXITING,
		OOMLENS_OUTCOME_CURRENT_EXITING, OOMLENS_OUTCOME_NO_FS,
		OOMLENS_OUTCOME_NOTIFIER_FREED,	 OOMLENS_OUTCOME_NO_KILLABLE,
		OOMLENS_OUTCOME_IN_PROGRESS,	 OOMLENS_OUTCOME_DISABLED,
		OOMLENS_OUTCOME_UNKNOWN,
	};
	static const char *const predictions[] = { OOMLENS_PREDICTION_MATCH,
						   OOMLENS_PREDICTION_MISMATCH,
						   OOMLENS_PREDICTION_NA,
						   "unknown" };
	static const struct {
		const char *key, *name, *label, *help;
		const char *const *vals;
		size_t n;
	} by[] = {
		{ OOMLENS_EV_KIND, "oomlens_oom_events_by_kind_total", "kind",
		  "OOM events retained by the module, by kind: global, memcg (a cgroup's limit) or sysrq",
		  kinds, 3 },
		{ OOMLENS_EV_CONSTRAINT,
		  "oomlens_oom_events_by_constraint_total", "constraint",
		  "OOM events retained by the module, by the kernel's constraint (unknown: out_of_memory() returned before computing it)",
		  constraints, 5 },
		{ OOMLENS_EV_OUTCOME, "oomlens_oom_events_by_outcome_total",
		  "outcome",
		  "OOM events retained by the module, by outcome (killed: a victim was killed; the others killed nothing)",
		  outcomes, 9 },
		{ OOMLENS_EV_PREDICTION,
		  "oomlens_oom_events_by_prediction_total", "prediction",
		  "OOM events retained by the module, by whether oomlens had predicted the victim (not_applicable: vm.oom_kill_allocating_task killed without a selection)",
		  predictions, 4 },
	};
	const struct ol_event *last = evs->n ? &evs->ev[evs->n - 1] : NULL;
	const char *vals[16 + OL_EXTRA_VALUES];
	struct prom p;
	size_t k, n;

	prom_init(&p, stdout);
	for (k = 0; k < sizeof(by) / sizeof(by[0]); k++) {
		n = label_values(evs, by[k].key, by[k].vals, by[k].n, vals);
		prom_by(&p, evs, by[k].name, by[k].help, by[k].key, by[k].label,
			vals, n);
	}
	prom_sample(&p, "oomlens_oom_invocations_total", "counter",
		    "out_of_memory() calls seen since the module was loaded",
		    (double)st->invocations, NULL);
	prom_sample(
		&p, "oomlens_events_recorded_total", "counter",
		"OOM events readable in the module's ring now (the events counted above)",
		(double)st->recorded, NULL);
	prom_sample(
		&p, "oomlens_events_dropped_total", "counter",
		"OOM events overwritten in the ring or missed: not counted above",
		(double)st->dropped, NULL);
	prom_sample(&p, "oomlens_events_last_seq", "gauge",
		    "Sequence number of the newest OOM event (0: none yet)",
		    (double)st->last_seq, NULL);
	if (last) {
		double t = strtod(ol_ev_show(last, OOMLENS_EV_TIME_REAL), NULL);

		prom_sample(
			&p, "oomlens_last_oom_event_timestamp_seconds", "gauge",
			"When the newest retained OOM event happened (Unix time)",
			t, NULL);
	}
	return prom_finish(&p);
}

/* events --prometheus: the events file and the recorder's counters. */
static int events_prom(void)
{
	struct ol_event_stats st;
	struct ol_events evs;
	char *sbuf;
	int ret = OL_EXIT_RUNTIME;

	sbuf = ol_read(OOMLENS_FILE_STATS, NULL);
	if (!sbuf)
		return OL_EXIT_RUNTIME;
	if (ol_parse_event_stats(OOMLENS_FILE_STATS, sbuf, &st) ||
	    ol_read_events(&evs)) {
		free(sbuf);
		return OL_EXIT_RUNTIME;
	}
	if (!print_prom(&evs, &st))
		ret = OL_EXIT_OK;
	ol_events_free(&evs);
	free(sbuf);
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
	size_t len = 0, cap = 1 << 16, used, i;
	char path[4096], err[256], *buf, *end;
	struct ol_events evs;
	int follow = 0, c, fd, line = 1;

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

	snprintf(path, sizeof(path), "%s/%s", ol_dir, OOMLENS_FILE_EVENTS);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	buf = malloc(cap);
	if (fd < 0 || !buf) {
		ol_err("%s: %s", path, strerror(errno));
		free(buf);
		return OL_EXIT_RUNTIME;
	}
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
			len += n;
			if (cap - len < 8192) {
				char *nb = realloc(buf, cap *= 2);

				if (!nb) {
					ol_err("events: out of memory");
					return OL_EXIT_RUNTIME;
				}
				buf = nb;
			}
		}
		if (n < 0 && errno != EINTR) {
			ol_err("%s: %s", path, strerror(errno));
			return OL_EXIT_RUNTIME;
		}
		buf[len] = '\0';
		if (ol_events_parse(buf, 1, line, &evs, &used, err,
				    sizeof(err))) {
			ol_err("%s: %s", path, err);
			return OL_EXIT_RUNTIME;
		}
		print_events(&evs, since);
		ol_events_free(&evs);
		for (i = 0; i < used; i++)
			line += buf[i] == '\n';
		memmove(buf, buf + used, len - used);
		len -= used;
		if (poll(&p, 1, -1) < 0 && errno != EINTR) {
			ol_err("%s: poll: %s", path, strerror(errno));
			return OL_EXIT_RUNTIME;
		}
	}
}
