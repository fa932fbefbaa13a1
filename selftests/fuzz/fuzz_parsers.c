// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer targets for the reader's parsers.  One source, one binary per
 * target: FUZZ_TARGET (set by the Makefile) selects which parser
 * LLVMFuzzerTestOneInput() feeds.
 *
 *   tasks    ol_parse_tasks()           (the "tasks" table)
 *   predict  ol_parse_predict()         (the "predict" table)
 *   commit   ol_parse_commit()          (the "commit" file)
 *   check    ol_parse_check()           (a "commit_check" answer)
 *   events   ol_events_parse()          ("events"/"last"; the first byte
 *                                       chooses partial_ok)
 *   stats    cmd_stats() through files: the first byte chooses the output
 *            (plain, --json, --prometheus) and whether the input also
 *            holds the "version" file (up to the first 0xff byte), checked
 *            by ol_check_abi(); the rest is the "stats" file.
 *
 * The parsers' error messages go to stderr: run with -close_fd_mask=3.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "files.h"
#include "oomlens_abi.h"
#include "parse_commit.h"
#include "parse_events.h"
#include "parse_tasks.h"

/* A NUL-terminated copy: the parsers take C strings and modify them. */
static __attribute__((unused)) char *cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#if defined(FUZZ_TARGET_tasks)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = cstr(data, size);
	struct ol_tasks t;
	size_t i;

	if (!ol_parse_tasks(s, OOMLENS_FILE_TASKS, &t)) {
		for (i = 0; i < t.n; i++)
			if (!t.v[i].comm || !t.v[i].state || !t.v[i].memcg)
				abort();
		ol_tasks_free(&t);
	}
	free(s);
	return 0;
}
#elif defined(FUZZ_TARGET_predict)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = cstr(data, size);
	struct ol_predictions p;

	if (!ol_parse_predict(s, OOMLENS_FILE_PREDICT, &p))
		ol_predictions_free(&p);
	free(s);
	return 0;
}
#elif defined(FUZZ_TARGET_commit)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = cstr(data, size);
	struct ol_commit c;

	ol_parse_commit(OOMLENS_FILE_COMMIT, s, &c);
	free(s);
	return 0;
}
#elif defined(FUZZ_TARGET_check)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = cstr(data, size);
	struct ol_check k;

	ol_parse_check(OOMLENS_FILE_COMMIT_CHECK, s, &k);
	free(s);
	return 0;
}
#elif defined(FUZZ_TARGET_events)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ol_events evs;
	size_t used = 0, i;
	char err[256], *s;
	int partial;

	if (!size)
		return 0;
	partial = data[0] & 1;
	s = cstr(data + 1, size - 1);
	if (!ol_events_parse(s, partial, 1, &evs, &used, err, sizeof(err))) {
		if (used > size - 1)
			abort();
		for (i = 0; i < evs.n; i++)
			if (evs.ev[i].ncand < 0 || evs.ev[i].nkeys < 0)
				abort();
		ol_events_free(&evs);
	} else if (!memchr(err, '\0', sizeof(err))) {
		abort();
	}
	free(s);
	return 0;
}
#elif defined(FUZZ_TARGET_stats)
static char dir[64];

static void put(const char *name, const uint8_t *data, size_t size)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
}

static void cleanup(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, OOMLENS_FILE_VERSION);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s", dir, OOMLENS_FILE_STATS);
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char good_version[] = "oomlens " OOMLENS_VERSION
					   " abi 1\n";
	char *argv[] = { "stats", NULL };
	const uint8_t *sep;

	if (!size)
		return 0;
	if (!dir[0]) {
		/* tmpfs if there is one: a file is written per input */
		snprintf(dir, sizeof(dir), "%s/oomlens-fuzz-stats.XXXXXX",
			 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
		if (!mkdtemp(dir))
			abort();
		atexit(cleanup);
		ol_dir = dir;
	}
	ol_json = (data[0] & 3) == 1;
	ol_prometheus = (data[0] & 3) == 2;
	sep = (data[0] & 4) ? memchr(data + 1, 0xff, size - 1) : NULL;
	if (sep) {
		put(OOMLENS_FILE_VERSION, data + 1, sep - data - 1);
		put(OOMLENS_FILE_STATS, sep + 1, data + size - sep - 1);
	} else {
		put(OOMLENS_FILE_VERSION, (const uint8_t *)good_version,
		    strlen(good_version));
		put(OOMLENS_FILE_STATS, data + 1, size - 1);
	}
	cmd_stats(1, argv);
	fflush(stdout);
	return 0;
}
#else
#error "FUZZ_TARGET: tasks, predict, commit, check, events or stats"
#endif
