// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens stats: the module's counters and which code paths it uses.
 * The whole file is validated before anything is printed, so a malformed
 * file never leaves half a JSON document on stdout.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "escape.h"
#include "files.h"
#include "json.h"
#include "prom.h"
#include "oomlens_abi.h"

#define KEY_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_"

/*
 * The stats keys a reader knows, as metrics.  Counters that only grow are
 * "_total" counters; what can go down is a gauge; a word is an info
 * metric (value="<word>").  *_ns keys are converted to seconds by the
 * rules in prom_stat().  The lifetime counts by kind, constraint, outcome
 * and prediction (OOMLENS_STAT_EVENTS_*_PREFIX) belong to "events
 * --prometheus", which writes them as labelled families.
 */
static const struct stat_metric {
	const char *key, *name, *type, *help;
} stat_metrics[] = {
	{ OOMLENS_STAT_NOTIFIER_CALLS, "oomlens_notifier_calls_total",
	  "counter",
	  "Calls of oomlens' OOM notifier: global out_of_memory() calls (SysRq-f included)" },
	{ OOMLENS_STAT_PREALLOC_BYTES, "oomlens_prealloc_bytes", "gauge",
	  "Memory oomlens allocated at load for use at OOM time" },
	{ OOMLENS_STAT_EXPORTED_ONLY, "oomlens_exported_only", "gauge",
	  "1 when the module was loaded with exported_only=1 (exported kernel API only)" },
	{ OOMLENS_STAT_OOM_INVOCATIONS, "oomlens_oom_invocations_total",
	  "counter",
	  "out_of_memory() calls seen since the module was loaded, global and memcg" },
	{ OOMLENS_STAT_EVENTS_RECORDED, "oomlens_events_retained", "gauge",
	  "OOM events readable in the module's ring now (at most ring_size)" },
	{ OOMLENS_STAT_EVENTS_DROPPED, "oomlens_events_dropped_total",
	  "counter",
	  "OOM events lost: overwritten in the ring, or missed (events_overwritten + events_missed)" },
	{ OOMLENS_STAT_EVENTS_OVERWRITTEN, "oomlens_events_overwritten_total",
	  "counter",
	  "OOM events overwritten in the ring by newer ones before they were read" },
	{ OOMLENS_STAT_EVENTS_MISSED, "oomlens_events_missed_total", "counter",
	  "out_of_memory() calls the module could not record (no free probe slot, a lock not had in NMI context, during unload)" },
	{ OOMLENS_STAT_EVENTS_LAST_SEQ, "oomlens_events_last_seq", "gauge",
	  "Sequence number of the newest OOM event (0: none yet)" },
	{ OOMLENS_STAT_EVENTS_KILLS, "oomlens_events_kills_total", "counter",
	  "Kills by the recorded OOMs, as /proc/vmstat oom_kill counts them" },
	{ OOMLENS_STAT_PROBE_ERROR, "oomlens_probe_error", "gauge",
	  "The error (negative errno) of a failed registration of the OOM probes, 0 if none" },
	{ OOMLENS_STAT_PROBE_MARK_ERROR, "oomlens_probe_mark_oom_victim_error",
	  "gauge",
	  "The error of the optional mark_oom_victim probe's registration, 0 if none" },
	{ OOMLENS_STAT_PROBE_NMISSED, "oomlens_probe_nmissed_total", "counter",
	  "out_of_memory() calls the kretprobe missed (no free instance)" },
	{ OOMLENS_STAT_PROBE_KILL_NMISSED, "oomlens_probe_kill_nmissed_total",
	  "counter", "Hits of the kill probes lost to kprobe recursion" },
	{ OOMLENS_STAT_PROBE_NMI_CALLS, "oomlens_probe_nmi_calls_total",
	  "counter", "Probe handler runs in NMI context (int3 kprobes)" },
	{ OOMLENS_STAT_PROBE_NMI_LOCK_DROPPED,
	  "oomlens_probe_nmi_lock_dropped_total", "counter",
	  "Locks a handler in NMI context could not get within its bound (should stay 0)" },
	{ OOMLENS_STAT_PROBE_BADNESS_ERROR, "oomlens_probe_oom_badness_error",
	  "gauge",
	  "The error of the oom_badness() return probe's registration, 0 if none (the walk fills the candidates then)" },
	{ OOMLENS_STAT_PROBE_BADNESS_NMISSED,
	  "oomlens_probe_oom_badness_nmissed_total", "counter",
	  "Hits of the oom_badness() return probe missed (no free instance, or inside another kprobe's handler)" },
	{ OOMLENS_STAT_EVENTS_EVALUATION_UNSEEN,
	  "oomlens_events_evaluation_unseen_total", "counter",
	  "OOMs whose victim had points but no oom_badness() call was seen (an inlining kernel; should stay 0)" },
};

static const struct stat_metric *known_stat(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(stat_metrics) / sizeof(stat_metrics[0]); i++)
		if (!strcmp(stat_metrics[i].key, key))
			return &stat_metrics[i];
	return NULL;
}

/* The stats keys whose value is a word, as this reader knows them. */
static bool known_word(const char *key)
{
	static const char *const words[] = {
		OOMLENS_STAT_BADNESS_PATH,
		OOMLENS_STAT_SWAP_TOTAL_PATH,
		OOMLENS_STAT_SWAPPINESS_PATH,
		OOMLENS_STAT_EVENTS_PATH,
		OOMLENS_STAT_PROBE_OOM,
		OOMLENS_STAT_PROBE_KILL,
		OOMLENS_STAT_PROBE_KILL_TASK,
		OOMLENS_STAT_PROBE_MARK,
		OOMLENS_STAT_PROBE_REFUSED,
		OOMLENS_STAT_EVENTS_KILLS_BY,
		OOMLENS_STAT_PROBE_OOM_VIA,
		OOMLENS_STAT_PROBE_KILL_VIA,
		OOMLENS_STAT_PROBE_KILL_TASK_VIA,
		OOMLENS_STAT_PROBE_MARK_VIA,
		OOMLENS_STAT_BADNESS_SRC,
		OOMLENS_STAT_SWAP_TOTAL_SRC,
		OOMLENS_STAT_SWAPPINESS_SRC,
		OOMLENS_STAT_EVENTS_SRC,
		OOMLENS_STAT_CANDIDATES_SRC,
		OOMLENS_STAT_PROBE_BADNESS,
		OOMLENS_STAT_PROBE_BADNESS_VIA,
		OOMLENS_STAT_CANDIDATES_COMPONENTS,
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(key, words[i]))
			return true;
	return false;
}

/* A lifetime count of events (written by "events --prometheus"). */
bool ol_stat_is_event_count(const char *key)
{
	static const char *const prefixes[] = {
		OOMLENS_STAT_EVENTS_KIND_PREFIX,
		OOMLENS_STAT_EVENTS_CONSTRAINT_PREFIX,
		OOMLENS_STAT_EVENTS_OUTCOME_PREFIX,
		OOMLENS_STAT_EVENTS_PREDICTION_PREFIX,
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(key, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static bool has_suffix(const char *key, const char *suffix)
{
	size_t kl = strlen(key), sl = strlen(suffix);

	return kl > sl && !strcmp(key + kl - sl, suffix);
}

/*
 * One stats line as Prometheus samples: a known key by its table entry;
 * *_total_ns a counter of seconds, *_last_ns and *_max_ns gauges of
 * seconds; ksym_<name> <state> and other words info metrics; a number this
 * reader does not know (a newer module's key) an untyped sample under its
 * own name.
 */
static void prom_stat(struct prom *p, const char *key, const char *val)
{
	const struct stat_metric *m = known_stat(key);
	char name[160], base[128], help[256], *end;
	double v = strtod(val, &end);
	size_t kl = strlen(key);
	int numeric = *val && !*end;

	if (ol_stat_is_event_count(key))
		return;
	if (!strncmp(key, OOMLENS_STAT_KSYM_PREFIX,
		     strlen(OOMLENS_STAT_KSYM_PREFIX))) {
		prom_sample(
			p, "oomlens_ksym_info", "gauge",
			"Non-exported kernel symbols: 1 for the state each is in (kernel: used; missing, no_endbr, exported_only: fallback)",
			1, "symbol", key + strlen(OOMLENS_STAT_KSYM_PREFIX),
			"state", val, NULL);
		return;
	}
	if (m && numeric) {
		prom_sample(p, m->name, m->type, m->help, v, NULL);
		return;
	}
	if (!numeric) {
		/*
		 * A word this reader knows keeps its name; one it does not
		 * is under oomlens_stats_, which no other command uses.
		 */
		snprintf(name, sizeof(name),
			 known_word(key) ? "oomlens_%s_info" :
					   "oomlens_stats_%s_info",
			 key);
		snprintf(
			help, sizeof(help),
			"The word of stats key %s (value label): which code path, state or mechanism is in use",
			key);
		prom_sample(p, name, "gauge", help, 1, "value", val, NULL);
		return;
	}
	if (has_suffix(key, OOMLENS_STAT_TOTAL_NS_SUFFIX)) {
		kl -= strlen(OOMLENS_STAT_TOTAL_NS_SUFFIX);
		snprintf(base, sizeof(base), "%.*s", (int)kl, key);
		snprintf(name, sizeof(name), "oomlens_%s_seconds_total", base);
		snprintf(help, sizeof(help),
			 "Time spent in oomlens' %s hook, all runs", base);
		prom_sample(p, name, "counter", help, v / 1e9, NULL);
		return;
	}
	if (has_suffix(key, OOMLENS_STAT_LAST_NS_SUFFIX) ||
	    has_suffix(key, OOMLENS_STAT_MAX_NS_SUFFIX)) {
		bool last = has_suffix(key, OOMLENS_STAT_LAST_NS_SUFFIX);

		/* "<hook>_last" or "<hook>_max": the key without "_ns". */
		snprintf(base, sizeof(base), "%.*s", (int)(kl - 3), key);
		snprintf(name, sizeof(name), "oomlens_%s_seconds", base);
		snprintf(help, sizeof(help),
			 "Duration of oomlens' %.*s hook: %s",
			 (int)(kl - strlen(last ? OOMLENS_STAT_LAST_NS_SUFFIX :
						  OOMLENS_STAT_MAX_NS_SUFFIX)),
			 key, last ? "its last run" : "its longest run");
		prom_sample(p, name, "gauge", help, v / 1e9, NULL);
		return;
	}
	snprintf(name, sizeof(name), "oomlens_stats_%s", key);
	snprintf(
		help, sizeof(help),
		"stats key %s, which this reader does not know (a newer module)",
		key);
	prom_sample(p, name, "untyped", help, v, NULL);
}

/* Split "key value" in place; 0 if the line is well formed. */
static int split_line(char *line, char **val)
{
	char *sp = strchr(line, ' ');

	if (!sp || sp == line || !sp[1] || strchr(sp + 1, ' ') ||
	    strspn(line, KEY_CHARS) != (size_t)(sp - line))
		return -1;
	*sp = '\0';
	*val = sp + 1;
	return 0;
}

/*
 * Is @key one of the keys before it?  Lines before @key are already split
 * into "key\0value\0".  A key twice would be a JSON member and a
 * Prometheus series twice: node_exporter rejects such a file.
 */
static bool repeated(const char *buf, const char *key)
{
	const char *p;

	for (p = buf; p < key; p += strlen(p) + 1, p += strlen(p) + 1)
		if (!strcmp(p, key))
			return true;
	return false;
}

int cmd_stats(int argc, char **argv)
{
	char *buf, *p, *next;
	struct json j;
	struct prom own, *pr = NULL;
	int lineno = 0, n_lines;

	if (argc > 1 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: oomlens stats\n"
		       "\n"
		       "The module's counters and the code paths it uses, one key per line\n"
		       "(--json: one object; --prometheus: metrics).\n");
		return OL_EXIT_OK;
	}
	if (argc > 1) {
		ol_err("stats: unexpected argument '%s'", argv[1]);
		return OL_EXIT_USAGE;
	}
	if (ol_check_abi())
		return OL_EXIT_RUNTIME;
	buf = ol_read(OOMLENS_FILE_STATS, NULL);
	if (!buf)
		return OL_EXIT_RUNTIME;

	/* Pass 1: validate; each line becomes "key\0value\0". */
	for (p = buf; *p; p = next) {
		char *val;

		next = strchr(p, '\n');
		lineno++;
		if (!next) {
			ol_err("%s/%s: malformed line %d: no newline at the end: \"%.80s\"",
			       ol_dir, OOMLENS_FILE_STATS, lineno, p);
			free(buf);
			return OL_EXIT_RUNTIME;
		}
		*next++ = '\0';
		if (split_line(p, &val)) {
			ol_err("%s/%s: malformed line %d: \"%.80s\"", ol_dir,
			       OOMLENS_FILE_STATS, lineno, p);
			free(buf);
			return OL_EXIT_RUNTIME;
		}
		if (repeated(buf, p)) {
			ol_err("%s/%s: line %d: key \"%s\" repeated", ol_dir,
			       OOMLENS_FILE_STATS, lineno, p);
			free(buf);
			return OL_EXIT_RUNTIME;
		}
	}
	if (!lineno) {
		ol_err("%s/%s: empty: no line, expected \"key value\" lines",
		       ol_dir, OOMLENS_FILE_STATS);
		free(buf);
		return OL_EXIT_RUNTIME;
	}

	/* Pass 2: print. */
	if (ol_json) {
		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
	}
	if (ol_prometheus)
		pr = prom_open(&own, stdout);
	for (p = buf, n_lines = lineno; lineno--; p += strlen(p) + 1) {
		char *key = p, *val = p + strlen(p) + 1, *end;
		unsigned long long u;
		long long n;

		p = val;
		if (ol_prometheus) {
			/* ksym_ lines are one family: written after the rest. */
			if (strncmp(key, OOMLENS_STAT_KSYM_PREFIX,
				    strlen(OOMLENS_STAT_KSYM_PREFIX)))
				prom_stat(pr, key, val);
			continue;
		}
		if (!ol_json) {
			printf("%-24s %s\n", key, ol_tty(val));
			continue;
		}
		/* A number (probe_error is negative) or a word, per key. */
		errno = 0;
		n = strtoll(val, &end, 10);
		if (*val && !*end && !errno) {
			json_int(&j, key, n);
		} else if (*val >= '0' && *val <= '9' && errno == ERANGE) {
			errno = 0;
			u = strtoull(val, &end, 10);
			if (!*end && !errno)
				json_uint(&j, key, u);
			else
				json_str(&j, key, val);
		} else {
			json_str(&j, key, val);
		}
	}
	if (ol_prometheus)
		for (p = buf; n_lines--; p += strlen(p) + 1) {
			char *key = p, *val = p + strlen(p) + 1;

			p = val;
			if (!strncmp(key, OOMLENS_STAT_KSYM_PREFIX,
				     strlen(OOMLENS_STAT_KSYM_PREFIX)))
				prom_stat(pr, key, val);
		}
	if (ol_json) {
		json_obj_end(&j);
		json_finish(&j);
	}
	free(buf);
	if (ol_prometheus && prom_finish(pr))
		return OL_EXIT_RUNTIME;
	return OL_EXIT_OK;
}
