// SPDX-License-Identifier: GPL-2.0
/*
 * Regression test: open() of an oomlens file racing the module's unload.
 *
 * delete_module() drops the module's reference count to zero
 * (try_stop_module()) and only then marks the module GOING.  An open() of a
 * debugfs file whose fops name the module as .owner, landing in between,
 * fails to take a module reference while the module still reads LIVE, and
 * debugfs (full_proxy_open(), open_proxy_open()) answers with
 * "WARNING: debugfs file owner did not clean up at exit" (6.1 and 6.12;
 * seen in make check and in CI on 2026-12-01).  On a machine with
 * panic_on_warn=1 that is a panic, caused by a reader racing rmmod.
 *
 * The module now registers its files with an owner-less gate (debugfs.c)
 * that takes the module reference itself and fails quietly.  This test
 * makes the race as often as it can: openers open and close every file as
 * fast as they can (a close right before rmmod's refcount drop and an open
 * right after it is the window) while the module is unloaded and loaded
 * again by the syscalls, for OOMLENS_UNLOAD_RACE_SECONDS (default 30; on
 * past it until the module has unloaded MIN_UNLOADS times).
 *
 * What it cannot do: reproduce the warning on demand.  The window is a few
 * instructions wide unless the vCPU is preempted in it; against the module
 * before the gate this test ran 300 s on 6.1 (868 unloads) and 60 s on
 * 6.12 (69 unloads) without a warning.  What it checks every run are the
 * gate's paths, which it exercises thousands of times: the quiet ENXIO
 * while the module is going, and an open file pinning the module.
 *
 * Pass: no WARNING, BUG or Oops line in the kernel log during the run; an
 * open that fails says ENOENT (the files are gone) or ENXIO (the module is
 * going), nothing else; a file that opened reads to its end, and reads
 * something (the open file pins the module; events and last are empty
 * before the first OOM, and commit_check, read before any write, answers
 * ENODATA, as documented), but for events, which does not pin the module
 * and may read EIO once it is unloaded under it (counted in the figure);
 * the module unloaded at least MIN_UNLOADS times.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "oomlens_test.h"

#define OPENERS 4
#define MIN_UNLOADS 10

static const char *const files[] = {
	OOMLENS_FILE_VERSION, OOMLENS_FILE_STATS,	 OOMLENS_FILE_EVENTS,
	OOMLENS_FILE_LAST,    OOMLENS_FILE_TASKS,	 OOMLENS_FILE_PREDICT,
	OOMLENS_FILE_COMMIT,  OOMLENS_FILE_COMMIT_CHECK,
};
#define NFILES (sizeof(files) / sizeof(files[0]))

/* Per opener, in shared memory; written by the opener only. */
struct opener_counts {
	long long opened, enoent, enxio, other, other_errno;
	long long reads_short, read_errno, events_eio;
};

/* events and last are empty until the first OOM */
static int may_be_empty(const char *f)
{
	return !strcmp(f, OOMLENS_FILE_EVENTS) || !strcmp(f, OOMLENS_FILE_LAST);
}

/*
 * Opens and closes every file in turn, as fast as it can; in every 8th
 * round it also reads each file to its end.
 */
static void opener(struct opener_counts *c, volatile int *stop)
{
	char path[128], buf[4096];
	unsigned long i = 0;

	while (!*stop) {
		const char *f = files[i % NFILES];
		int fd;

		snprintf(path, sizeof(path), OL_DIR "/%s", f);
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			if (errno == ENOENT) {
				c->enoent++;
			} else if (errno == ENXIO) {
				c->enxio++;
			} else {
				c->other++;
				c->other_errno = errno;
			}
		} else {
			c->opened++;
			if ((i / NFILES) % 8 == 0) {
				ssize_t n, tot = 0;

				while ((n = read(fd, buf, sizeof(buf))) > 0)
					tot += n;
				if (!strcmp(f, OOMLENS_FILE_COMMIT_CHECK)) {
					/* nothing asked yet: ENODATA */
					if (n != -1 || errno != ENODATA) {
						c->read_errno = n < 0 ? errno :
									0;
						c->reads_short++;
					}
				} else if (n < 0 && errno == EIO &&
					   !strcmp(f, OOMLENS_FILE_EVENTS)) {
					/* events does not pin the module */
					c->events_eio++;
				} else if (n < 0 ||
					   (!tot && !may_be_empty(f))) {
					c->read_errno = n < 0 ? errno : 0;
					c->reads_short++;
				}
			}
			close(fd);
		}
		i++;
	}
	_exit(0);
}

static const char *const bad_lines[] = {
	"WARNING", "did not clean up", "BUG", "Oops", "general protection",
};

FIXTURE(unload){};
FIXTURE_SETUP(unload)
{
}
FIXTURE_TEARDOWN(unload)
{
}

/* The harness's limit; OOMLENS_UNLOAD_RACE_SECONDS must leave it room. */
#define LIMIT 600

TEST_F_TIMEOUT(unload, open_racing_unload_fails_cleanly, LIMIT)
{
	const char *secs_env = getenv("OOMLENS_UNLOAD_RACE_SECONDS");
	double secs = secs_env ? atof(secs_env) : 30, t0, elapsed;
	struct opener_counts *c, tot = { 0 };
	long long unloads = 0, busy = 0, unload_err = 0, load_err = 0;
	int i, ret, last_errno = 0, bad = 0;
	volatile int *stop;
	pid_t pids[OPENERS];
	struct olt_kmsg k;
	const char *line;
	void *shm;

	ASSERT_TRUE(secs > 0 && secs <= LIMIT - 60)
	TH_LOG("OOMLENS_UNLOAD_RACE_SECONDS=%s: want 1..%d", secs_env,
	       LIMIT - 60);
	ASSERT_EQ(0, olt_kmsg_open(&k));

	shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, shm);
	stop = shm;
	c = (struct opener_counts *)((char *)shm + 64);
	for (i = 0; i < OPENERS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i])
			opener(&c[i], stop);
	}

	t0 = olt_now();
	/* on a slow (debug) kernel, on past secs until MIN_UNLOADS */
	while ((olt_now() - t0 < secs || unloads < MIN_UNLOADS) &&
	       olt_now() - t0 < LIMIT - 30) {
		if (syscall(SYS_delete_module, "oomlens", O_NONBLOCK)) {
			if (errno == EAGAIN || errno == EBUSY) {
				busy++;
				continue;
			}
			unload_err++;
			last_errno = errno;
			break;
		}
		unloads++;
		ret = olt_module_load();
		if (ret) {
			load_err++;
			last_errno = -ret;
			break;
		}
	}
	elapsed = olt_now() - t0;
	*stop = 1;
	for (i = 0; i < OPENERS; i++) {
		int st;

		ASSERT_EQ(pids[i], waitpid(pids[i], &st, 0));
		EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
		TH_LOG("opener %d: status 0x%x", i, st);
		tot.opened += c[i].opened;
		tot.enoent += c[i].enoent;
		tot.enxio += c[i].enxio;
		tot.other += c[i].other;
		if (c[i].other)
			tot.other_errno = c[i].other_errno;
		tot.reads_short += c[i].reads_short;
		tot.events_eio += c[i].events_eio;
		if (c[i].read_errno)
			tot.read_errno = c[i].read_errno;
	}
	if (access("/sys/module/oomlens", F_OK))
		EXPECT_EQ(0, olt_module_load());

	while ((line = olt_kmsg_next(&k))) {
		for (i = 0; i < (int)(sizeof(bad_lines) / sizeof(bad_lines[0]));
		     i++) {
			if (strstr(line, bad_lines[i])) {
				if (bad++ < 5)
					TH_LOG("kernel: %s", line);
				break;
			}
		}
	}
	olt_kmsg_close(&k);

	olt_figure(
		"open/unload race",
		"%.0f s: unloaded and reloaded %lld times, rmmod refused (open file) %lld",
		elapsed, unloads, busy);
	olt_figure(
		"open/unload race, outcome",
		"opens: %lld succeeded, %lld ENOENT, %lld ENXIO, %lld other (last errno %lld); events reads cut by the unload (EIO) %lld",
		tot.opened, tot.enoent, tot.enxio, tot.other, tot.other_errno,
		tot.events_eio);
	TH_LOG("kernel log lines with a warning or worse: %d", bad);
	EXPECT_EQ(0, unload_err)
	TH_LOG("delete_module: %s", strerror(last_errno));
	EXPECT_EQ(0, load_err) TH_LOG("finit_module: %s", strerror(last_errno));
	EXPECT_EQ(0, tot.other);
	EXPECT_EQ(0, tot.reads_short)
	TH_LOG("short or failed reads; last errno %lld", tot.read_errno);
	EXPECT_LE(MIN_UNLOADS, unloads);
	EXPECT_EQ(0, bad);
}

OLT_HARNESS_MAIN
