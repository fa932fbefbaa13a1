// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens --prometheus all: every metric the reader has, once, in one
 * exposition (stats, events, commit, top), for node_exporter's textfile
 * collector.  Each subcommand's own --prometheus output is a part of it:
 * no metric family is written by two subcommands, so the parts
 * concatenated are a valid exposition too.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "files.h"
#include "prom.h"

/**
 * ol_prom_parts - the exposition of stats, events, commit and, with
 * @tasks, top, in memory
 * @out: set to a malloc'd buffer (the caller frees it) on success
 * @len: its length
 * @tasks: also the per-task series of top (one per process)
 *
 * All or nothing: returns OL_EXIT_OK, or the first failing part's code
 * (what failed is on stderr), with *@out NULL.
 */
int ol_prom_parts(char **out, size_t *len, bool tasks)
{
	static char *parts[][2] = {
		{ "stats", NULL },
		{ "events", NULL },
		{ "commit", NULL },
		{ "top", NULL },
	};
	int (*const run[])(int, char **) = { cmd_stats, cmd_events, cmd_commit,
					     cmd_top };
	size_t n = sizeof(parts) / sizeof(parts[0]) - !tasks, i;
	int ret = OL_EXIT_OK, r;
	struct prom p;
	FILE *mem;

	*out = NULL;
	*len = 0;
	mem = open_memstream(out, len);
	if (!mem) {
		ol_err("prometheus: %m");
		return OL_EXIT_RUNTIME;
	}
	prom_init(&p, mem);
	prom_share(&p);
	for (i = 0; i < n && !ret; i++) {
		optind = 1; /* each part parses its (empty) options afresh */
		r = run[i](1, parts[i]);
		if (r)
			ret = r;
	}
	prom_share(NULL);
	if (prom_finish(&p) && !ret)
		ret = OL_EXIT_RUNTIME;
	fclose(mem);
	if (ret) {
		free(*out);
		*out = NULL;
		*len = 0;
	}
	return ret;
}

int cmd_all(int argc, char **argv)
{
	char *buf = NULL;
	size_t len = 0;
	int ret;

	if (argc > 1 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: oomlens --prometheus all\n"
		       "\n"
		       "Every metric once, in one exposition: stats, events, commit and top\n"
		       "(every task). For node_exporter's textfile collector: write it to a\n"
		       "temporary file and rename it into the collector's directory, or use\n"
		       "'oomlens export', which does that.\n");
		return OL_EXIT_OK;
	}
	if (argc > 1) {
		ol_err("all: unexpected argument '%s'", argv[1]);
		return OL_EXIT_USAGE;
	}
	if (!ol_prometheus || ol_json) {
		ol_err("all: only with --prometheus (for people: stats, events, commit, top)");
		return OL_EXIT_USAGE;
	}
	if (ol_check_abi())
		return OL_EXIT_RUNTIME;
	ret = ol_prom_parts(&buf, &len, true);
	if (!ret && (fwrite(buf, 1, len, stdout) != len || fflush(stdout))) {
		ol_err("all: writing the exposition: %m");
		ret = OL_EXIT_RUNTIME;
	}
	free(buf);
	return ret;
}
