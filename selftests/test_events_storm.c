// SPDX-License-Identifier: GPL-2.0
/*
 * An OOM storm with a small ring (ring_size=32): more than 200 memcg OOMs
 * back to back, a reader polling "events" all along.
 *
 * - Lossless accounting: events_recorded + events_dropped ==
 *   oom_invocations, and the retained events have consecutive sequence
 *   numbers ending at events_last_seq.
 * - Against the kernel: no kernel counter counts out_of_memory() calls
 *   exactly.  memory.events "oom" counts mem_cgroup_oom() attempts,
 *   including those that bail out before out_of_memory() (margin regained,
 *   dying task, oom_lock not taken), so it bounds the invocations from
 *   above; memory.events "oom_kill" and /proc/vmstat oom_kill count kills
 *   (__oom_kill_process() calls that sent SIGKILL), which the module counts
 *   exactly in events_kills; each kill needs an invocation, which bounds
 *   them from below.  So: oom >= invocations >= oom_kill == events_kills ==
 *   the children that died of SIGKILL.
 * - The reader never sees a torn event: the parser checks that every block
 *   begins and ends with the same seq and that its check value matches its
 *   fields, and the reader checks that seq only grows.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "events_follow.h"
#include "oomlens_test.h"
#include "parse_events.h"

#define STORM 220
#define RING 32
#define CG "/sys/fs/cgroup/oltev_storm"

static long long keyed(const char *path, const char *key)
{
	long long v;

	return olt_keyed(path, key, &v) ? -1 : v;
}

/* Children allocate until killed, one at a time; returns how many were. */
static int storm(int n)
{
	int i, killed = 0;

	if (olt_write("/proc/self/oom_score_adj", "-1000") ||
	    olt_write(CG "/cgroup.procs", "0"))
		return -1;
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (!pid) {
			olt_write("/proc/self/oom_score_adj", "0");
			for (;;) {
				char *p = malloc(1 << 20);

				if (p)
					memset(p, 0x5a, 1 << 20);
			}
		}
		if (olt_wait_signal(pid) == SIGKILL)
			killed++;
	}
	return killed;
}

/*
 * The concurrent reader: poll() then read to end of file, parse the whole
 * blocks, check seq grows; on "stop" (its pipe closed) one last read.
 * Writes "blocks wakeups errors" to @out.
 */
static void reader(int stop, int out)
{
	unsigned long long last = 0;
	long blocks = 0, errors = 0;
	struct olt_follow f;
	char res[128], err[256];
	int last_round = 0;

	if (olt_follow_open(&f))
		_exit(2);
	while (!last_round) {
		struct ol_events evs;
		size_t i;

		last_round = olt_follow_next(&f, stop, &evs, err, sizeof(err));
		if (last_round < 0) {
			fprintf(stderr, "# reader: %s\n", err);
			errors++;
			break;
		}
		for (i = 0; i < evs.n; i++) {
			if (evs.ev[i].seq <= last) {
				fprintf(stderr,
					"# reader: seq %llu after %llu\n",
					evs.ev[i].seq, last);
				errors++;
			}
			last = evs.ev[i].seq;
		}
		blocks += evs.n;
		ol_events_free(&evs);
	}
	snprintf(res, sizeof(res), "%ld %ld %ld\n", blocks, f.wakeups, errors);
	olt_follow_close(&f);
	if (write(out, res, strlen(res)) < 0)
		_exit(2);
	_exit(0);
}

FIXTURE(storm)
{
	int unused;
};

FIXTURE_SETUP(storm)
{
	char ring[32];

	snprintf(ring, sizeof(ring), "ring_size=%d", RING);
	ASSERT_EQ(0, olt_module_reload(ring));
	if (!strstr(olt_read(OL_DIR "/" OOMLENS_FILE_STATS) ?: "",
		    OOMLENS_STAT_EVENTS_PATH " probes"))
		SKIP(return, "the OOM probes are not attached");
	ASSERT_EQ(0, olt_oom_sysctls());
	olt_write("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	olt_cgroup_remove(CG);
	ASSERT_EQ(0, mkdir(CG, 0755));
	ASSERT_EQ(0, olt_write(CG "/memory.max", "16M"));
	ASSERT_EQ(0, olt_write(CG "/memory.swap.max", "0"));
}

FIXTURE_TEARDOWN(storm)
{
	olt_cgroup_remove(CG);
	olt_sysctl_restore_all();
	olt_module_reload("");
}

TEST_F_TIMEOUT(storm, lossless_ring, 600)
{
	long long vm0 = keyed("/proc/vmstat", "oom_kill"), inv, rec, drop;
	long long last, kills, oom, oom_kill, vm;
	long blocks = 0, wakeups = 0, errors = -1;
	int stop[2], res[2], status, killed, i;
	struct ol_events evs;
	pid_t rd, drv;
	char *b, err[256], out[128];
	struct olt_kmsg k;
	int invoked;

	ASSERT_EQ(0, pipe(stop));
	ASSERT_EQ(0, pipe(res));
	rd = fork();
	if (!rd) {
		close(stop[1]);
		close(res[0]);
		reader(stop[0], res[1]);
	}
	close(stop[0]);
	close(res[1]);
	ASSERT_EQ(0, olt_kmsg_open(&k));

	drv = fork();
	if (!drv)
		_exit(storm(STORM) == STORM ? 0 : 1);
	ASSERT_EQ(drv, waitpid(drv, &status, 0));
	killed = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	EXPECT_EQ(0, killed) TH_LOG("not every child was OOM killed");
	usleep(500000);

	close(stop[1]);
	ASSERT_GT(read(res[0], out, sizeof(out) - 1), 0);
	out[sizeof(out) - 1] = '\0';
	sscanf(out, "%ld %ld %ld", &blocks, &wakeups, &errors);
	waitpid(rd, NULL, 0);
	invoked = olt_kmsg_count(&k, "invoked oom-killer:");
	olt_kmsg_close(&k);

	inv = olt_stat(OOMLENS_STAT_OOM_INVOCATIONS);
	rec = olt_stat(OOMLENS_STAT_EVENTS_RECORDED);
	drop = olt_stat(OOMLENS_STAT_EVENTS_DROPPED);
	last = olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ);
	kills = olt_stat(OOMLENS_STAT_EVENTS_KILLS);
	oom = keyed(CG "/memory.events", "oom");
	oom_kill = keyed(CG "/memory.events", "oom_kill");
	vm = keyed("/proc/vmstat", "oom_kill") - vm0;
	TH_LOG("invocations %lld recorded %lld dropped %lld last %lld kills %lld; kernel: memory.events oom %lld oom_kill %lld, vmstat oom_kill +%lld, %d reports logged",
	       inv, rec, drop, last, kills, oom, oom_kill, vm, invoked);
	TH_LOG("reader: %ld blocks, %ld wakeups, %ld errors", blocks, wakeups,
	       errors);

	EXPECT_EQ(inv, rec + drop);
	EXPECT_EQ(RING, rec);
	EXPECT_EQ(last, inv - olt_stat(OOMLENS_STAT_EVENTS_MISSED));
	EXPECT_EQ(STORM, kills);
	EXPECT_EQ(STORM, oom_kill);
	EXPECT_EQ(STORM, vm);
	EXPECT_GE(inv, oom_kill);
	EXPECT_LE(inv, oom);
	EXPECT_LE(invoked, inv);
	EXPECT_GE(invoked, 1);
	EXPECT_EQ(0, errors);
	EXPECT_GT(blocks, RING);
	EXPECT_GT(wakeups, 0);

	/* The retained events: consecutive, ending at last_seq. */
	b = olt_read(OL_DIR "/" OOMLENS_FILE_EVENTS);
	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, ol_events_parse(b, 0, 1, &evs, NULL, err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_EQ((size_t)rec, evs.n);
	for (i = 1; i < (int)evs.n; i++)
		EXPECT_EQ(evs.ev[i - 1].seq + 1, evs.ev[i].seq);
	if (evs.n)
		EXPECT_EQ((unsigned long long)last, evs.ev[evs.n - 1].seq);
	ol_events_free(&evs);
	free(b);
}

/*
 * Unloading while readers loop on "events", "last" and "stats": each
 * reload either waits for no reader or fails because one holds "last" or
 * "stats" open (those pin the module; "events" does not); nothing crashes
 * (the rig checks the log).
 */
static void read_loop(void)
{
	static const char *const files[] = {
		OL_DIR "/" OOMLENS_FILE_EVENTS,
		OL_DIR "/" OOMLENS_FILE_LAST,
		OL_DIR "/" OOMLENS_FILE_STATS,
	};
	unsigned int i;

	for (i = 0;; i++) {
		free(olt_read(files[i % 3]));
		usleep(1000);
	}
}

TEST_F_TIMEOUT(storm, unload_while_reading, 300)
{
	pid_t rd[2], drv;
	int i, loaded = 0, status;

	/* Some events to read. */
	drv = fork();
	if (!drv)
		_exit(storm(5) == 5 ? 0 : 1);
	ASSERT_EQ(drv, waitpid(drv, &status, 0));
	for (i = 0; i < 2; i++) {
		rd[i] = fork();
		if (!rd[i])
			read_loop();
	}
	for (i = 0; i < 400 && loaded < 5; i++) {
		if (system("rmmod oomlens 2>/dev/null") == 0) {
			ASSERT_EQ(
				0,
				system("insmod ${OOMLENS_KO:-/oomlens/oomlens.ko}"));
			loaded++;
		}
		usleep(10000);
	}
	for (i = 0; i < 2; i++) {
		kill(rd[i], SIGKILL);
		waitpid(rd[i], NULL, 0);
	}
	if (access("/sys/module/oomlens", F_OK))
		ASSERT_EQ(0, olt_module_reload(""));
	TH_LOG("%d unloads went through in %d attempts while reading", loaded,
	       i);
	EXPECT_EQ(5, loaded);
	EXPECT_EQ(0, access(OL_DIR "/" OOMLENS_FILE_EVENTS, R_OK));
}

/*
 * A child that waits on @fd until the module goes: by poll() (@epoll 0) or
 * epoll; it exits 0 when told POLLHUP, 1 otherwise.
 */
static pid_t hup_waiter(int fd, int epoll)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	if (epoll) {
		struct epoll_event e = { .events = EPOLLIN }, got;
		int ep = epoll_create1(0);

		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e))
			_exit(2);
		if (epoll_wait(ep, &got, 1, 60000) != 1)
			_exit(3);
		_exit(got.events & EPOLLHUP ? 0 : 1);
	} else {
		struct pollfd p = { fd, POLLIN, 0 };

		if (poll(&p, 1, 60000) != 1)
			_exit(3);
		_exit(p.revents & POLLHUP ? 0 : 1);
	}
}

/*
 * An open "events" file does not pin the module (a follower must not block
 * an upgrade): rmmod succeeds at once under a reader, a poll()er and an
 * epoll waiter; they are told POLLHUP, a read says EIO, close is clean, and
 * the module says it kept the file's few bytes.  Unloaded with no file
 * open, it keeps nothing.  The rig checks the log for any report.
 */
TEST_F_TIMEOUT(storm, unload_under_open_events, 120)
{
	pid_t drv, w[2];
	int fd, i, status, kept;
	struct olt_kmsg k;
	char buf[4096];

	drv = fork();
	if (!drv)
		_exit(storm(2) == 2 ? 0 : 1);
	ASSERT_EQ(drv, waitpid(drv, &status, 0));
	fd = open(OL_DIR "/" OOMLENS_FILE_EVENTS, O_RDONLY);
	ASSERT_LE(0, fd);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	for (i = 0; i < 2; i++)
		w[i] = hup_waiter(fd, i);
	usleep(300000);
	ASSERT_EQ(0, olt_kmsg_open(&k));
	EXPECT_EQ(0, system("rmmod oomlens"))
	TH_LOG("rmmod failed under an open events file");
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(w[i], waitpid(w[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("%s waiter: status 0x%x", i ? "epoll" : "poll", status);
	}
	errno = 0;
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(0, close(fd));
	kept = olt_kmsg_count(&k, "events was open at unload");
	olt_kmsg_close(&k);
	EXPECT_EQ(1, kept);

	ASSERT_EQ(0, olt_module_reload(""));
	ASSERT_EQ(0, olt_kmsg_open(&k));
	ASSERT_EQ(0, olt_module_reload(""));
	kept = olt_kmsg_count(&k, "events was open at unload");
	olt_kmsg_close(&k);
	EXPECT_EQ(0, kept);
}

/* "last" is the newest block of "events". */
TEST_F_TIMEOUT(storm, last_is_newest, 120)
{
	struct ol_events all, last;
	char *a, *l, err[256];
	pid_t drv;
	int status;

	drv = fork();
	if (!drv)
		_exit(storm(3) == 3 ? 0 : 1);
	ASSERT_EQ(drv, waitpid(drv, &status, 0));
	a = olt_read(OL_DIR "/" OOMLENS_FILE_EVENTS);
	l = olt_read(OL_DIR "/" OOMLENS_FILE_LAST);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, l);
	ASSERT_EQ(0, ol_events_parse(a, 0, 1, &all, NULL, err, sizeof(err)))
	TH_LOG("%s", err);
	ASSERT_EQ(0, ol_events_parse(l, 0, 1, &last, NULL, err, sizeof(err)))
	TH_LOG("%s", err);
	ASSERT_EQ((size_t)1, last.n);
	ASSERT_GE(all.n, (size_t)3);
	EXPECT_EQ(all.ev[all.n - 1].seq, last.ev[0].seq);
	EXPECT_NE(NULL, strstr(a, l));
	EXPECT_EQ((long long)last.ev[0].seq,
		  olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ));
	ol_events_free(&all);
	ol_events_free(&last);
	free(a);
	free(l);
}

OLT_HARNESS_MAIN
