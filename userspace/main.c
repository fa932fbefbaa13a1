// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens: read the oomlens module's debugfs files and explain them.
 *
 * Exit codes: 0 ok, 1 usage error, 2 runtime error (module missing, file
 * malformed, permission denied...).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "files.h"
#include "oomlens_abi.h"

int ol_json;
int ol_prometheus;

/* A table: one line per command. */
/* clang-format off */
static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "stats", cmd_stats, "stats              the module's counters and code paths" },
	{ "events", cmd_events, "events [--since SEQ] [--follow]  the recorded OOM events" },
	{ "explain", cmd_explain, "explain [SEQ]      one OOM event: constraint, victim, candidates" },
	{ "top", cmd_top, "top [-n N] [--sort points|rss|adj|pid] [--cgroup PATH]\n"
	  "                     processes by OOM badness, the predicted victims marked" },
	{ "commit", cmd_commit, "commit [--check PID SIZE]  commit limit, committed, headroom; what-if" },
	{ "owner", cmd_owner, "owner PATH...      who owns each cgroup path: systemd unit, container, pod" },
	{ "record", cmd_record, "record [--follow] [--output FILE]  every OOM event once into the journal" },
	{ "export", cmd_export, "export [--dir DIR] [--tasks]  the metrics into node_exporter's textfile\n"
	  "                     directory, atomically (default /var/lib/prometheus/node-exporter)" },
	{ "all", cmd_all, "all                with --prometheus: every metric once (stats, events,\n"
	  "                     commit, top), for node_exporter's textfile collector" },
};
/* clang-format on */

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: oomlens [options] <command> [command options]\n\nCommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fprintf(f,
		"\n"
		"Options:\n"
		"  --json             one JSON document on stdout\n"
		"  --prometheus       Prometheus textfile-collector exposition\n"
		"  --debugfs DIR      the module's directory (default %s,\n"
		"                     or $OOMLENS_DEBUGFS)\n"
		"  -h, --help         this help\n"
		"  -V, --version      reader and module versions; fails on an ABI mismatch\n"
		"\n"
		"Exit status: 0 ok, 1 usage error, 2 runtime error, 3 commit --check\n"
		"refused.\n",
		OOMLENS_DEFAULT_DIR);
}

/*
 * The version file's one line, "oomlens <version> abi <N>\n", exactly:
 * the ABI, with the version in @ver, or -1.
 */
static int parse_version(const char *buf, char *ver, size_t verlen)
{
	size_t len = strcspn(buf, "\n");
	char name[16], v[64];
	int abi, end = 0;

	if (sscanf(buf, "%15s %63s abi %d%n", name, v, &abi, &end) != 3 ||
	    strcmp(name, OOMLENS_VERSION_NAME) || (size_t)end != len ||
	    buf[len] != '\n' || buf[len + 1])
		return -1;
	snprintf(ver, verlen, "%s", v);
	return abi;
}

/* Parse the version file; returns the module's ABI or -1 (explained). */
static int module_abi(char *ver, size_t verlen)
{
	char *buf = ol_read(OOMLENS_FILE_VERSION, NULL);
	size_t len;
	int abi;

	if (!buf)
		return -1;
	abi = parse_version(buf, ver, verlen);
	if (abi < 0) {
		len = strcspn(buf, "\n");
		ol_err("%s/%s: malformed line 1: \"%.*s\"%s", ol_dir,
		       OOMLENS_FILE_VERSION, len > 80 ? 80 : (int)len, buf,
		       buf[len] ? "" : " (no newline at the end)");
		free(buf);
		return -1;
	}
	free(buf);
	return abi;
}

int ol_module_abi_quiet(void)
{
	char *buf = ol_read_quiet(OOMLENS_FILE_VERSION), ver[64];
	int abi;

	if (!buf)
		return -1;
	abi = parse_version(buf, ver, sizeof(ver));
	free(buf);
	return abi;
}

static void abi_mismatch(const char *ver, int abi)
{
	ol_err("ABI mismatch: the module (%s) speaks ABI %d, this reader ABI %d; use the reader built with that module",
	       ver, abi, OOMLENS_ABI_VERSION);
}

int ol_check_abi(void)
{
	char ver[64];
	int abi = module_abi(ver, sizeof(ver));

	if (abi < 0)
		return -1;
	if (abi != OOMLENS_ABI_VERSION) {
		abi_mismatch(ver, abi);
		return -1;
	}
	return 0;
}

/*
 * The reader's version, then the module's.  Without the module (its
 * directory does not exist) that is an answer, not an error: "not loaded",
 * exit 0.  Any other failure to read its version is an error.
 */
static int cmd_version(void)
{
	struct stat st;
	char ver[64];
	int abi;

	printf("oomlens reader %s abi %d\n", OOMLENS_VERSION,
	       OOMLENS_ABI_VERSION);
	if (stat(ol_dir, &st) && errno == ENOENT) {
		printf("oomlens module not loaded (no %s)\n", ol_dir);
		return OL_EXIT_OK;
	}
	fflush(stdout);
	abi = module_abi(ver, sizeof(ver));
	if (abi < 0)
		return OL_EXIT_RUNTIME;
	printf("oomlens module %s abi %d\n", ver, abi);
	if (abi != OOMLENS_ABI_VERSION) {
		abi_mismatch(ver, abi);
		return OL_EXIT_RUNTIME;
	}
	return OL_EXIT_OK;
}

/*
 * The global options may also follow the command ("oomlens top --json"):
 * take --json, --prometheus and --debugfs DIR (or --debugfs=DIR) out of
 * the command's arguments, up to a "--".  Returns the new argc, or -1 after
 * a message.
 */
static int take_global_options(int argc, char **argv)
{
	int i, n = 1;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (!strcmp(a, "--json")) {
			ol_json = 1;
		} else if (!strcmp(a, "--prometheus")) {
			ol_prometheus = 1;
		} else if (!strcmp(a, "--debugfs") ||
			   !strncmp(a, "--debugfs=", 10)) {
			const char *d =
				a[9] ? a + 10 :
				       (i + 1 < argc ? argv[++i] : NULL);

			if (!d || !*d) {
				ol_err("--debugfs: %s directory name",
				       d ? "empty" : "missing");
				return -1;
			}
			ol_dir = d;
		} else {
			argv[n++] = argv[i];
		}
	}
	argv[n] = NULL;
	return n;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "debugfs", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "prometheus", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("OOMLENS_DEBUGFS");
	size_t i;
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
		case 'j':
			ol_json = 1;
			break;
		case 'p':
			ol_prometheus = 1;
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
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name))
			continue;
		argv += optind;
		argc = take_global_options(argc - optind, argv);
		if (argc < 0)
			return OL_EXIT_USAGE;
		if (ol_json && ol_prometheus) {
			ol_err("--json and --prometheus exclude each other");
			return OL_EXIT_USAGE;
		}
		optind = 1; /* the subcommand parses its own options */
		return commands[i].fn(argc, argv);
	}
	ol_err("unknown command '%s'", argv[optind]);
	fprintf(stderr, "Try 'oomlens --help'.\n");
	return OL_EXIT_USAGE;
}
