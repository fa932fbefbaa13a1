// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens stats: the module's counters and which code paths it uses.
 * The whole file is validated before anything is printed, so a malformed
 * file never leaves half a JSON document on stdout.
 */
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
 * One stats line as Prometheus samples: *_total_ns is a counter of seconds,
 * *_last_ns and *_max_ns gauges of seconds, ksym_<name> <state> an info
 * metric, other numbers counters (*_calls, *recorded, *dropped...) or
 * gauges, other words info metrics.
 */
static void prom_stat(struct prom *p, const char *key, const char *val)
{
	char name[160], base[128], *end;
	double v = strtod(val, &end);
	size_t kl = strlen(key);
	int numeric = *val && !*end;

	if (!strncmp(key, "ksym_", 5)) {
		prom_sample(
			p, "oomlens_ksym_info", "gauge",
			"Non-exported kernel symbols: 1 for the state each is in (kernel: used; missing, no_endbr, exported_only: fallback)",
			1, "symbol", key + 5, "state", val, NULL);
		return;
	}
	if (!numeric) {
		snprintf(name, sizeof(name), "oomlens_%s_info", key);
		prom_sample(p, name, "gauge",
			    "oomlens code path in use (value label)", 1,
			    "value", val, NULL);
		return;
	}
	if (kl > 9 && !strcmp(key + kl - 9, "_total_ns")) {
		snprintf(base, sizeof(base), "%.*s", (int)(kl - 9), key);
		snprintf(name, sizeof(name), "oomlens_%s_seconds_total", base);
		prom_sample(p, name, "counter",
			    "Time spent in this oomlens hook", v / 1e9, NULL);
		return;
	}
	if (kl > 3 && !strcmp(key + kl - 3, "_ns")) {
		snprintf(base, sizeof(base), "%.*s", (int)(kl - 3), key);
		snprintf(name, sizeof(name), "oomlens_%s_seconds", base);
		prom_sample(p, name, "gauge",
			    "Duration of this oomlens hook (last or max run)",
			    v / 1e9, NULL);
		return;
	}
	if (strstr(key, "calls") || strstr(key, "recorded") ||
	    strstr(key, "dropped") || strstr(key, "invocations")) {
		snprintf(name, sizeof(name), "oomlens_%s_total", key);
		prom_sample(p, name, "counter", "oomlens event counter", v,
			    NULL);
		return;
	}
	snprintf(name, sizeof(name), "oomlens_%s", key);
	prom_sample(p, name, "gauge", "oomlens value", v, NULL);
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
	struct prom pr;
	int lineno = 0;

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
	prom_init(&pr, stdout);
	for (p = buf; lineno--; p += strlen(p) + 1) {
		char *key = p, *val = p + strlen(p) + 1, *end;
		unsigned long long n;

		p = val;
		if (ol_prometheus) {
			prom_stat(&pr, key, val);
			continue;
		}
		if (!ol_json) {
			printf("%-24s %s\n", key, ol_tty(val));
			continue;
		}
		n = strtoull(val, &end, 10);
		if (!*end && *val != '-')
			json_uint(&j, key, n);
		else
			json_str(&j, key, val);
	}
	if (ol_json) {
		json_obj_end(&j);
		json_finish(&j);
	}
	free(buf);
	if (ol_prometheus && prom_finish(&pr))
		return OL_EXIT_RUNTIME;
	return OL_EXIT_OK;
}
