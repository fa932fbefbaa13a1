// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens --prometheus all: every metric the reader has, once, in one
 * exposition (stats, events, commit, top), for node_exporter's textfile
 * collector.  Each subcommand's own --prometheus output is a part of it:
 * no metric family is written by two subcommands, so the parts
 * concatenated are a valid exposition too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "files.h"
#include "prom.h"

int cmd_all(int argc, char **argv)
{
	static char *parts[][2] = {
		{ "stats", NULL },
		{ "events", NULL },
		{ "commit", NULL },
		{ "top", NULL },
	};
	int (*const run[])(int, char **) = { cmd_stats, cmd_events, cmd_commit,
					     cmd_top };
	struct prom p;
	char *buf = NULL;
	size_t i, len = 0;
	FILE *mem;
	int ret = OL_EXIT_OK, r;

	if (argc > 1 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: oomlens --prometheus all\n"
		       "\n"
		       "Every metric once, in one exposition: stats, events, commit and top\n"
		       "(every task). For node_exporter's textfile collector: write it to a\n"
		       "temporary file and rename it into the collector's directory.\n");
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
	/* All or nothing: a part that fails leaves stdout empty. */
	mem = open_memstream(&buf, &len);
	if (!mem) {
		ol_err("all: %m");
		return OL_EXIT_RUNTIME;
	}
	prom_init(&p, mem);
	prom_share(&p);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]) && !ret; i++) {
		r = run[i](1, parts[i]);
		if (r)
			ret = r;
	}
	prom_share(NULL);
	if (prom_finish(&p) && !ret)
		ret = OL_EXIT_RUNTIME;
	fclose(mem);
	if (!ret && (fwrite(buf, 1, len, stdout) != len || fflush(stdout))) {
		ol_err("all: writing the exposition: %m");
		ret = OL_EXIT_RUNTIME;
	}
	free(buf);
	return ret;
}
