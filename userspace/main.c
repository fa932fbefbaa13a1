// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens: read the oomlens module's debugfs files and explain them.
 *
 * Exit codes: 0 ok, 1 usage error, 2 runtime error (module missing, file
 * malformed, permission denied...).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "oomlens_abi.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: oomlens [options] <command>\n"
		"\n"
		"Commands:\n"
		"  stats              the module's counters and which code paths it uses\n"
		"\n"
		"Options:\n"
		"  --debugfs DIR      the module's directory (default %s,\n"
		"                     or $OOMLENS_DEBUGFS)\n"
		"  -h, --help         this help\n"
		"  -V, --version      reader and module versions; fails on an ABI mismatch\n"
		"\n"
		"Exit status: 0 ok, 1 usage error, 2 runtime error.\n",
		OOMLENS_DEFAULT_DIR);
}

/* Parse the version file; returns the module's ABI or -1 (explained). */
static int module_abi(char *ver, size_t verlen)
{
	char *buf = ol_read(OOMLENS_FILE_VERSION, NULL);
	char name[16], v[64];
	int abi;

	if (!buf)
		return -1;
	if (sscanf(buf, "%15s %63s abi %d", name, v, &abi) != 3 ||
	    strcmp(name, "oomlens")) {
		ol_err("%s/%s: malformed (line 1: \"%.*s\")", ol_dir,
		       OOMLENS_FILE_VERSION, (int)strcspn(buf, "\n"), buf);
		free(buf);
		return -1;
	}
	snprintf(ver, verlen, "%s", v);
	free(buf);
	return abi;
}

static int check_abi(void)
{
	char ver[64];
	int abi = module_abi(ver, sizeof(ver));

	if (abi < 0)
		return -1;
	if (abi != OOMLENS_ABI_VERSION) {
		ol_err("ABI mismatch: the module (%s) speaks ABI %d, this reader ABI %d; use the reader built with that module",
		       ver, abi, OOMLENS_ABI_VERSION);
		return -1;
	}
	return 0;
}

static int cmd_version(void)
{
	char ver[64];
	int abi;

	printf("oomlens reader %s abi %d\n", OOMLENS_VERSION, OOMLENS_ABI_VERSION);
	abi = module_abi(ver, sizeof(ver));
	if (abi < 0)
		return OL_EXIT_RUNTIME;
	printf("oomlens module %s abi %d\n", ver, abi);
	if (abi != OOMLENS_ABI_VERSION) {
		ol_err("ABI mismatch: the module speaks ABI %d, this reader ABI %d; use the reader built with that module",
		       abi, OOMLENS_ABI_VERSION);
		return OL_EXIT_RUNTIME;
	}
	return OL_EXIT_OK;
}

static int cmd_stats(void)
{
	char *buf;

	if (check_abi())
		return OL_EXIT_RUNTIME;
	buf = ol_read(OOMLENS_FILE_STATS, NULL);
	if (!buf)
		return OL_EXIT_RUNTIME;
	fputs(buf, stdout);
	free(buf);
	return OL_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "debugfs", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("OOMLENS_DEBUGFS");
	int c;

	if (env && *env)
		ol_dir = env;
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!*optarg) {
				ol_err("--debugfs: empty directory name");
				return OL_EXIT_USAGE;
			}
			ol_dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return OL_EXIT_OK;
		case 'V':
			return cmd_version();
		default:
			fprintf(stderr, "Try 'oomlens --help'.\n");
			return OL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		ol_err("no command given");
		fprintf(stderr, "Try 'oomlens --help'.\n");
		return OL_EXIT_USAGE;
	}
	if (!strcmp(argv[optind], "stats") && optind + 1 == argc)
		return cmd_stats();
	if (!strcmp(argv[optind], "stats")) {
		ol_err("stats: unexpected argument '%s'", argv[optind + 1]);
		return OL_EXIT_USAGE;
	}
	ol_err("unknown command '%s'", argv[optind]);
	fprintf(stderr, "Try 'oomlens --help'.\n");
	return OL_EXIT_USAGE;
}
