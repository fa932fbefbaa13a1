// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens export: the metrics for node_exporter's textfile collector,
 * written atomically into its directory (Debian's
 * prometheus-node-exporter reads /var/lib/prometheus/node-exporter/):
 * a temporary file in that directory, fsync(), rename() over oomlens.prom,
 * so a scrape never sees half a file.  Run by oomlens-export.timer.
 *
 * The series are bounded by default: stats, the events' counts by kind,
 * constraint, outcome and prediction, and the commit accounting; per-task
 * series (one per process, top's) only with --tasks.  oomlens_up says
 * whether the module could be read: 0, and nothing else, when it could not
 * (not loaded, another ABI, debugfs not mounted); the command then exits 2,
 * having written the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "escape.h"
#include "files.h"
#include "oomlens_abi.h"
#include "prom.h"

#define EXPORT_DIR "/var/lib/prometheus/node-exporter"
#define EXPORT_FILE "oomlens.prom"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: oomlens export [--dir DIR] [--tasks]\n\n"
		"Write the metrics for node_exporter's textfile collector into\n"
		"DIR/" EXPORT_FILE " (default " EXPORT_DIR "), atomically:\n"
		"stats, the events' counts and the commit accounting, and oomlens_up\n"
		"(0 when the module cannot be read).  --tasks: also one series per\n"
		"process (top's).\n");
}

/* The metrics that say whether this export could read the module. */
static int up_metrics(FILE *f, bool up)
{
	struct prom p;

	prom_init(&p, f);
	prom_sample(
		&p, "oomlens_up", "gauge",
		"1 when oomlens export could read the module's files, 0 when not (not loaded, another ABI, debugfs not mounted)",
		up ? 1 : 0, NULL);
	prom_sample(&p, "oomlens_export_time_seconds", "gauge",
		    "When oomlens export wrote this file (Unix time)",
		    (double)time(NULL), NULL);
	return prom_finish(&p);
}

/* Write @buf (@len bytes), then the up metrics, to @dir/oomlens.prom. */
static int write_atomic(const char *dir, const char *buf, size_t len, bool up)
{
	char tmp[4096], dst[4096];
	FILE *f;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s/.%s.%d.tmp", dir, EXPORT_FILE,
		     (int)getpid()) >= (int)sizeof(tmp) ||
	    snprintf(dst, sizeof(dst), "%s/%s", dir, EXPORT_FILE) >=
		    (int)sizeof(dst)) {
		ol_err("export: directory name too long: '%s'",
		       ol_tty_msg(dir));
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		ol_err("export: cannot create %s: %m", ol_tty_msg(tmp));
		return -1;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	if ((len && fwrite(buf, 1, len, f) != len) || up_metrics(f, up) ||
	    fflush(f) || fsync(fd)) {
		ol_err("export: writing %s: %m", ol_tty_msg(tmp));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	if (fclose(f)) {
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, dst)) {
		ol_err("export: rename to %s: %m", ol_tty_msg(dst));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "tasks", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = EXPORT_DIR;
	bool tasks = false, up;
	char *buf = NULL;
	size_t len = 0;
	struct stat st;
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "d:th", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 't':
			tasks = true;
			break;
		case 'h':
			usage(stdout);
			return OL_EXIT_OK;
		default:
			usage(stderr);
			return OL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		ol_err("export: unexpected argument '%s'",
		       ol_tty_msg(argv[optind]));
		return OL_EXIT_USAGE;
	}
	if (ol_json || ol_prometheus) {
		ol_err("export: writes the Prometheus exposition itself; no --json or --prometheus");
		return OL_EXIT_USAGE;
	}
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		ol_err("export: not a directory: '%s' (--dir; node_exporter's --collector.textfile.directory)",
		       ol_tty_msg(dir));
		return OL_EXIT_USAGE;
	}
	/* The parts are written as --prometheus writes them. */
	ol_prometheus = 1;
	up = !ol_check_abi() && !ol_prom_parts(&buf, &len, tasks);
	ol_prometheus = 0;
	ret = write_atomic(dir, up ? buf : NULL, up ? len : 0, up);
	free(buf);
	if (ret)
		return OL_EXIT_RUNTIME;
	return up ? OL_EXIT_OK : OL_EXIT_RUNTIME;
}
