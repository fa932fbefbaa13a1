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
#include "files.h"
#include "json.h"
#include "oomlens_abi.h"
#include "parse_events.h"

static const char *str(const struct ol_event *ev, const char *key)
{
	const char *s = ol_ev_str(ev, key);

	return s ? s : "-";
}

static void print_text(const struct ol_event *ev)
{
	printf("%llu %s %s %s %s(%s) order=%s gfp=%s constraint=%s nodemask=%s oom_memcg=%s totalpages=%s outcome=%s victim=%s(%s) points=%s score=%s prediction=%s(%s)\n",
	       ev->seq, str(ev, OOMLENS_EV_TIME_REAL), str(ev, OOMLENS_EV_KIND),
	       str(ev, OOMLENS_EV_SOURCE), str(ev, OOMLENS_EV_COMM),
	       str(ev, OOMLENS_EV_PID), str(ev, OOMLENS_EV_ORDER),
	       str(ev, OOMLENS_EV_GFP), str(ev, OOMLENS_EV_CONSTRAINT),
	       str(ev, OOMLENS_EV_NODEMASK), str(ev, OOMLENS_EV_OOM_MEMCG),
	       str(ev, OOMLENS_EV_TOTALPAGES), str(ev, OOMLENS_EV_OUTCOME),
	       str(ev, OOMLENS_EV_VICTIM_COMM), str(ev, OOMLENS_EV_VICTIM_PID),
	       str(ev, OOMLENS_EV_VICTIM_POINTS),
	       str(ev, OOMLENS_EV_VICTIM_SCORE), str(ev, OOMLENS_EV_PREDICTION),
	       str(ev, OOMLENS_EV_PREDICTED));
}

static void json_value(struct json *j, const char *key, const char *val)
{
	char *end;
	long long n;

	if (!strcmp(val, "-")) {
		json_null(j, key);
		return;
	}
	errno = 0;
	n = strtoll(val, &end, 10);
	if (!errno && end != val && !*end && strcmp(key, OOMLENS_EV_COMM) &&
	    strcmp(key, OOMLENS_EV_VICTIM_COMM))
		json_int(j, key, n);
	else
		json_str(j, key, val);
}

static void print_json(const struct ol_event *ev)
{
	struct json j;
	int i;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_uint(&j, "seq", ev->seq);
	for (i = 0; i < ev->nkeys; i++)
		json_value(&j, ev->key[i], ev->val[i]);
	json_arr_begin(&j, OOMLENS_EV_CANDIDATES);
	for (i = 0; i < ev->ncand; i++) {
		const struct ol_cand *c = &ev->cand[i];

		json_obj_begin(&j, NULL);
		json_int(&j, "pid", c->pid);
		json_str(&j, "comm", c->comm);
		json_int(&j, "uid", c->uid);
		json_int(&j, "adj", c->adj);
		json_int(&j, "points", c->points);
		json_int(&j, "score", c->score);
		json_int(&j, "rss", c->rss);
		json_int(&j, "swap", c->swap);
		json_int(&j, "pgtables", c->pgtables);
		json_obj_end(&j);
	}
	json_arr_end(&j);
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
	if (ol_prometheus) {
		ol_err("events: --prometheus is not supported here");
		return OL_EXIT_USAGE;
	}
	if (ol_check_abi())
		return OL_EXIT_RUNTIME;
	if (!follow) {
		buf = ol_read(OOMLENS_FILE_EVENTS, NULL);
		if (!buf)
			return OL_EXIT_RUNTIME;
		if (ol_events_parse(buf, 0, 1, &evs, NULL, err, sizeof(err))) {
			ol_err("%s/%s: %s", ol_dir, OOMLENS_FILE_EVENTS, err);
			free(buf);
			return OL_EXIT_RUNTIME;
		}
		print_events(&evs, since);
		ol_events_free(&evs);
		free(buf);
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
