// SPDX-License-Identifier: GPL-2.0
/*
 * A mixed OOM storm: global and memory cgroup OOMs at the same time, from
 * two drivers running side by side, with readers polling "events", reading
 * "last" and reading "tasks" all along; then the same storm while the module
 * is unloaded and loaded again under it.
 *
 * mixed_storm_counts_equal_kernel (OOMLENS_STORM_OOMS, default 500: 70% memcg, 30% global):
 * - The kernel's own count of out_of_memory() calls: a kprobe event of the
 *   kernel's tracing (tracefs kprobe_events) on out_of_memory, whose hit
 *   count (kprobe_profile) counts every invocation, with or without a
 *   victim; its memcg argument (oc->memcg, traced) splits them into global
 *   and memcg.  The module's events_recorded + events_dropped must equal it.
 *   /proc/vmstat oom_kill (kills) must equal events_kills and the children
 *   that died of SIGKILL; memory.events oom_kill the memcg kills.
 * - The readers never see a torn event (the parser checks the "event" and
 *   "end" lines agree and the block's check value matches its fields), seq
 *   numbers only grow (a reader that falls behind the ring may skip some,
 *   counted apart, but never sees one twice), the fields agree with the
 *   kind (a memcg event names the storm's cgroup and CONSTRAINT_MEMCG, a
 *   global one no cgroup), and "tasks" always parses.
 *
 * rmmod_during_storm_succeeds_or_eagain (OOMLENS_RMMOD_OOMS, default 100: 60% memcg):
 * while OOMs of both kinds happen and readers open and
 * close the files, delete_module() is tried again and again.  It must
 * either succeed (then the module is loaded again at once) or fail with
 * EAGAIN/EBUSY (a file is held open); the rig fails the run on any oops.
 * Afterwards the module, loaded afresh, records OOMs exactly.
 *
 * Global OOMs are made cheap by a ballast: an unkillable process
 * (oom_score_adj -1000) holds all but BALLAST_ROOM_MB of the available
 * memory, so a hog (oom_score_adj 1000) needs only that much to cause one.
 * Guards (see guard_start()) are there for the OOMs that find no hog.
 * vm.oom_dump_tasks is 0 during the storm (restored after), no swap, no
 * watermark boost (see no_watermark_boost()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "events_follow.h"
#include "oom_calls.h"
#include "oomlens_test.h"
#include "parse_events.h"
#include "parse_tasks.h"

#define CG "/sys/fs/cgroup/oltstorm_mixed"
#define CG_MAX "8M"
#define BALLAST_ROOM_MB 64

static long long keyed(const char *path, const char *key)
{
	long long v;

	return olt_keyed(path, key, &v) ? -1 : v;
}

/* ---- the OOMs ------------------------------------------------------------ */

static void set_adj(const char *adj)
{
	olt_write("/proc/self/oom_score_adj", adj);
}

/*
 * The harness's own processes (the one that reports the result and the
 * one that runs setup and teardown) are not a storm's victims either: set
 * before main(), so that every process of this test starts at -1000 and
 * only the hogs and the guards raise it.  Left at 0 they were the next
 * candidates once a guard was killed and before its successor existed: a
 * 6.1 run lost the harness and the suite's runner that way.
 */
static void __attribute__((constructor)) harness_not_a_victim(void)
{
	set_adj("-1000");
}

/* Allocate until killed. */
static void __attribute__((noreturn)) hog(void)
{
	set_adj("1000");
	for (;;) {
		char *p = malloc(1 << 20);

		if (p)
			memset(p, 0x5a, 1 << 20);
	}
}

/*
 * A driver: @n children, one at a time, each allocating until killed; in
 * @cg if set.  Exits with the number killed by SIGKILL (mod 256: see
 * driver_wait()), writing it in full to @out.
 */
static pid_t driver(int n, const char *cg, int out)
{
	pid_t pid = fork();
	int i, killed = 0;

	if (pid)
		return pid;
	set_adj("-1000");
	if (cg) {
		char procs[256];

		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
		if (olt_write(procs, "0"))
			_exit(255);
	}
	for (i = 0; i < n; i++) {
		pid_t c = fork();

		if (!c)
			hog();
		if (c > 0 && olt_wait_signal(c) == SIGKILL)
			killed++;
	}
	if (write(out, &killed, sizeof(killed)) != sizeof(killed))
		_exit(1);
	_exit(0);
}

static int driver_wait(pid_t pid, int in)
{
	int killed = -1;

	waitpid(pid, NULL, 0);
	if (read(in, &killed, sizeof(killed)) != sizeof(killed))
		return -1;
	return killed;
}

/* Hold all but BALLAST_ROOM_MB of MemAvailable, unkillable. */
static pid_t ballast(void)
{
	long long avail, mb;
	int p[2];
	pid_t pid;
	char c;

	avail = olt_meminfo_kb("MemAvailable");
	mb = avail / 1024 - BALLAST_ROOM_MB;
	if (avail < 0 || mb < 0 || pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		char *m;

		set_adj("-1000");
		m = mmap(NULL, mb << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		c = m == MAP_FAILED ? 'x' : 'r';
		if (write(p[1], &c, 1) != 1 || c != 'r')
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &c, 1) != 1 || c != 'r') {
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		pid = -1;
	}
	close(p[0]);
	return pid;
}

/* ---- the readers ----------------------------------------------------------- */

struct reader_result {
	long reads, events, torn, dup, gaps, bad_fields, global, memcg;
};

static void report(int out, const struct reader_result *r)
{
	if (write(out, r, sizeof(*r)) != sizeof(*r))
		_exit(2);
	_exit(0);
}

/* An event's fields agree with its kind. */
static int event_consistent(const struct ol_event *ev, long *global,
			    long *memcg)
{
	const char *kind = ol_ev_str(ev, OOMLENS_EV_KIND);
	const char *cg = ol_ev_str(ev, OOMLENS_EV_OOM_MEMCG);
	const char *cons = ol_ev_str(ev, OOMLENS_EV_CONSTRAINT);
	const char *outcome = ol_ev_str(ev, OOMLENS_EV_OUTCOME);
	long long vpid, calls;

	if (!kind || !cg || !cons || !outcome)
		return -1;
	if (!strcmp(kind, OOMLENS_SCOPE_MEMCG)) {
		(*memcg)++;
		if (strcmp(cg, strrchr(CG, '/')) ||
		    (strcmp(cons, "CONSTRAINT_MEMCG") && strcmp(cons, "-")))
			return -1;
	} else if (!strcmp(kind, OOMLENS_SCOPE_GLOBAL)) {
		(*global)++;
		if (strcmp(cg, OOMLENS_NONE) ||
		    !strcmp(cons, "CONSTRAINT_MEMCG"))
			return -1;
	} else {
		return -1;
	}
	if (!strcmp(outcome, OOMLENS_OUTCOME_KILLED) &&
	    (ol_ev_num(ev, OOMLENS_EV_VICTIM_PID, &vpid) || vpid <= 0 ||
	     ol_ev_num(ev, OOMLENS_EV_KILL_CALLS, &calls) || calls < 1))
		return -1;
	return 0;
}

/* poll() "events", read to end of file, check each block. */
static void events_reader(int stop, int out)
{
	struct reader_result r = { 0 };
	unsigned long long last = 0;
	struct olt_follow f;
	int last_round = 0;
	char err[256];

	set_adj("-1000");
	if (olt_follow_open(&f))
		_exit(2);
	while (!last_round) {
		struct ol_events evs;
		size_t i;

		last_round = olt_follow_next(&f, stop, &evs, err, sizeof(err));
		if (last_round < 0) {
			fprintf(stderr, "# events reader: %s\n", err);
			r.torn++;
			break;
		}
		for (i = 0; i < evs.n; i++) {
			const struct ol_event *ev = &evs.ev[i];

			if (ev->seq <= last) {
				fprintf(stderr,
					"# events reader: seq %llu after %llu\n",
					ev->seq, last);
				r.dup++;
			} else if (ev->seq != last + 1) {
				r.gaps += ev->seq - last - 1;
			}
			last = ev->seq;
			if (event_consistent(ev, &r.global, &r.memcg)) {
				if (!r.bad_fields)
					fprintf(stderr,
						"# events reader: event %llu: fields disagree with kind\n",
						ev->seq);
				r.bad_fields++;
			}
		}
		r.events += evs.n;
		ol_events_free(&evs);
	}
	r.reads = f.reads;
	olt_follow_close(&f);
	report(out, &r);
}

/* Read "last" again and again: zero or one whole event, seq never back. */
static void last_reader(int stop, int out)
{
	struct reader_result r = { 0 };
	unsigned long long last = 0;
	char err[256];

	set_adj("-1000");
	fcntl(stop, F_SETFL, O_NONBLOCK);
	for (;;) {
		struct ol_events evs;
		char c, *b;

		if (read(stop, &c, 1) == 0)
			break;
		b = olt_read(OL_DIR "/" OOMLENS_FILE_LAST);
		if (!b)
			continue;
		r.reads++;
		if (ol_events_parse(b, 0, 1, &evs, NULL, err, sizeof(err)) ||
		    evs.n > 1) {
			fprintf(stderr, "# last reader: %s\n", err);
			r.torn++;
		} else if (evs.n) {
			r.events++;
			if (evs.ev[0].seq < last)
				r.dup++;
			last = evs.ev[0].seq;
			if (event_consistent(&evs.ev[0], &r.global, &r.memcg))
				r.bad_fields++;
			ol_events_free(&evs);
		}
		free(b);
		usleep(2000);
	}
	report(out, &r);
}

/* Read "tasks" again and again: it always parses. */
static void tasks_reader(int stop, int out)
{
	struct reader_result r = { 0 };

	set_adj("-1000");
	fcntl(stop, F_SETFL, O_NONBLOCK);
	for (;;) {
		struct ol_tasks t;
		char c, *b;

		if (read(stop, &c, 1) == 0)
			break;
		b = olt_read(OL_DIR "/" OOMLENS_FILE_TASKS);
		if (!b)
			continue;
		r.reads++;
		if (ol_parse_tasks(b, OOMLENS_FILE_TASKS, &t))
			r.torn++;
		else
			ol_tasks_free(&t);
		free(b);
		usleep(5000);
	}
	report(out, &r);
}

struct readers {
	pid_t pid[3];
	int stop, res[3];
};

static int readers_start(struct readers *rs)
{
	void (*fn[3])(int, int) = { events_reader, last_reader, tasks_reader };
	int stop[2], res[2], i;

	if (pipe(stop))
		return -1;
	for (i = 0; i < 3; i++) {
		if (pipe(res))
			return -1;
		rs->pid[i] = fork();
		if (!rs->pid[i]) {
			close(stop[1]);
			close(res[0]);
			fn[i](stop[0], res[1]);
		}
		close(res[1]);
		rs->res[i] = res[0];
	}
	close(stop[0]);
	rs->stop = stop[1];
	return 0;
}

static void readers_stop(struct readers *rs, struct reader_result *r)
{
	int i;

	close(rs->stop);
	for (i = 0; i < 3; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		if (read(rs->res[i], &r[i], sizeof(r[i])) != sizeof(r[i]))
			r[i].torn = -1; /* the reader died */
		close(rs->res[i]);
		waitpid(rs->pid[i], NULL, 0);
	}
}

/*
 * The guards: GUARDS processes of oom_score_adj 1000 and almost no memory,
 * each started again when killed, by a supervisor.  A hog has the same adj
 * and grows, so an OOM with a hog present kills the hog; one that comes
 * between two hogs (a driver's fork() or a module reload with the ballast
 * leaving little room) kills a guard, never the test or its runner, and
 * never finds nothing to kill: with every other process at -1000 that is
 * a panic ("System is deadlocked on memory"), seen on 6.1 when a watermark
 * boost had eaten the ballast's room (see no_watermark_boost()).  A guard
 * frees almost nothing, so such OOMs come in bursts: a 6.1 run saw four in
 * 25 ms, faster than one guard was started again (the runner, at adj 0
 * then, was the second victim).  Hence a pool.  The supervisor reports how
 * many guards died of SIGKILL; every kill is counted somewhere.
 */
#define GUARDS 8

static volatile sig_atomic_t guard_stopping;
static volatile pid_t guard_pids[GUARDS];

static void guard_on_term(int sig)
{
	int i;

	guard_stopping = 1;
	for (i = 0; i < GUARDS; i++)
		if (guard_pids[i] > 0)
			kill(guard_pids[i], SIGKILL);
}

/* Start the missing guards; how many are alive. */
static int guards_fill(void)
{
	int i, alive = 0;
	pid_t g;

	for (i = 0; i < GUARDS && !guard_stopping; i++) {
		if (guard_pids[i] <= 0) {
			g = fork();
			if (!g) {
				set_adj("1000");
				for (;;)
					pause();
			}
			guard_pids[i] = g > 0 ? g : 0;
		}
		alive += guard_pids[i] > 0;
	}
	return alive;
}

static pid_t guard_start(int *rfd)
{
	struct sigaction sa = { .sa_handler = guard_on_term };
	int p[2], killed = 0, st, i;
	pid_t sup, g;

	if (pipe(p))
		return -1;
	sup = fork();
	if (sup) {
		close(p[1]);
		*rfd = p[0];
		return sup;
	}
	close(p[0]);
	set_adj("-1000");
	sigaction(SIGTERM, &sa, NULL); /* no SA_RESTART: waitpid() returns */
	while (!guard_stopping) {
		if (!guards_fill()) {
			usleep(10000); /* fork() failed: try again */
			continue;
		}
		g = waitpid(-1, &st, 0);
		if (g <= 0)
			continue; /* EINTR: stopping */
		for (i = 0; i < GUARDS; i++)
			if (guard_pids[i] == g)
				guard_pids[i] = 0;
		if (!guard_stopping && WIFSIGNALED(st) &&
		    WTERMSIG(st) == SIGKILL)
			killed++;
	}
	/* A guard started after the handler ran is still alive. */
	for (i = 0; i < GUARDS; i++)
		if (guard_pids[i] > 0)
			kill(guard_pids[i], SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	if (write(p[1], &killed, sizeof(killed)) != sizeof(killed))
		_exit(1);
	_exit(0);
}

/* Stop the guard; returns how many guards were killed, or -1. */
static int guard_stop(pid_t sup, int rfd)
{
	int killed = -1;

	kill(sup, SIGTERM);
	if (read(rfd, &killed, sizeof(killed)) != sizeof(killed))
		killed = -1;
	close(rfd);
	waitpid(sup, NULL, 0);
	return killed;
}

/* ---- fixture --------------------------------------------------------------- */

/*
 * The ballast leaves BALLAST_ROOM_MB above the watermarks that MemAvailable
 * accounts for, but not above a watermark boost: after the memcg OOMs of
 * earlier tests fragment memory, the kernel raises a zone's watermarks by
 * up to watermark_boost_factor (a boost of 40 MB on the 6.1 VM's first
 * node, with nothing kswapd could reclaim to lower it), every allocation
 * then falls below min with no hog alive, and the OOM killer kills the
 * guard, then the runner, then panics.  So: no boosting during the storm,
 * and the boost in place now cleared; writing min_free_kbytes (its own
 * value) recomputes every zone's watermarks, which zeroes the boost.
 */
static int no_watermark_boost(void)
{
	char *min = olt_read("/proc/sys/vm/min_free_kbytes");
	int ret;

	if (!min)
		return -1;
	min[strcspn(min, "\n")] = 0;
	ret = olt_sysctl_set("/proc/sys/vm/watermark_boost_factor", "0") ||
	      olt_sysctl_set("/proc/sys/vm/min_free_kbytes", min);
	free(min);
	return ret;
}

FIXTURE(storm)
{
	pid_t ballast;
	pid_t guard;
	int guard_fd;
	int kprobe;
};

FIXTURE_SETUP(storm)
{
	self->ballast = -1;
	self->guard = -1;
	self->kprobe = 0;
	ASSERT_EQ(0, olt_module_reload(""));
	if (!strstr(olt_read(OL_DIR "/" OOMLENS_FILE_STATS) ?: "",
		    OOMLENS_STAT_EVENTS_PATH " probes"))
		SKIP(return, "the OOM probes are not attached");
	ASSERT_EQ(0, olt_oom_sysctls());
	ASSERT_EQ(0, olt_sysctl_set("/proc/sys/vm/oom_dump_tasks", "0"));
	ASSERT_EQ(0, no_watermark_boost());
	olt_write("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	olt_cgroup_remove(CG);
	ASSERT_EQ(0, mkdir(CG, 0755));
	ASSERT_EQ(0, olt_write(CG "/memory.max", CG_MAX));
	ASSERT_EQ(0, olt_write(CG "/memory.swap.max", "0"));
	set_adj("-1000");
	self->ballast = ballast();
	ASSERT_GT(self->ballast, 0) TH_LOG("no ballast");
	self->guard = guard_start(&self->guard_fd);
	ASSERT_GT(self->guard, 0) TH_LOG("no guards");
}

FIXTURE_TEARDOWN(storm)
{
	if (self->guard > 0)
		guard_stop(self->guard, self->guard_fd);
	if (self->ballast > 0) {
		kill(self->ballast, SIGKILL);
		waitpid(self->ballast, NULL, 0);
	}
	if (self->kprobe)
		olt_oom_calls_stop();
	olt_cgroup_remove(CG);
	olt_sysctl_restore_all();
	olt_module_reload("");
}

TEST_F_TIMEOUT(storm, mixed_storm_counts_equal_kernel, 1200)
{
	long total = olt_env_long("OOMLENS_STORM_OOMS", 500);
	long n_memcg = total * 7 / 10, n_global = total - n_memcg;
	long long vm0, cgk0, hits0, hits, vm, cgk, cgoom, inv, rec, drop, kills;
	long long kglobal, kmemcg, missed;
	struct reader_result r[3];
	struct readers rs;
	int pm[2], pg[2], killed_m, killed_g, guards;
	pid_t dm, dg;
	double t0, t1;

	self->kprobe = !olt_oom_calls_start();
	if (!self->kprobe)
		SKIP(return,
			   "no tracefs kprobe events to count out_of_memory()");
	vm0 = keyed("/proc/vmstat", "oom_kill");
	cgk0 = keyed(CG "/memory.events", "oom_kill");
	hits0 = olt_oom_calls_hits();
	ASSERT_LE(0, hits0);
	ASSERT_EQ(0, readers_start(&rs));
	usleep(200000);

	t0 = olt_now();
	ASSERT_EQ(0, pipe(pm));
	ASSERT_EQ(0, pipe(pg));
	dm = driver(n_memcg, CG, pm[1]);
	dg = driver(n_global, NULL, pg[1]);
	ASSERT_GT(dm, 0);
	ASSERT_GT(dg, 0);
	killed_m = driver_wait(dm, pm[0]);
	killed_g = driver_wait(dg, pg[0]);
	t1 = olt_now();
	usleep(500000);
	readers_stop(&rs, r);
	guards = guard_stop(self->guard, self->guard_fd);
	self->guard = -1;

	hits = olt_oom_calls_hits() - hits0;
	olt_oom_calls_split(&kglobal, &kmemcg);
	inv = olt_stat(OOMLENS_STAT_OOM_INVOCATIONS);
	rec = olt_stat(OOMLENS_STAT_EVENTS_RECORDED);
	drop = olt_stat(OOMLENS_STAT_EVENTS_DROPPED);
	missed = olt_stat(OOMLENS_STAT_EVENTS_MISSED);
	kills = olt_stat(OOMLENS_STAT_EVENTS_KILLS);
	vm = keyed("/proc/vmstat", "oom_kill") - vm0;
	cgk = keyed(CG "/memory.events", "oom_kill") - cgk0;
	cgoom = keyed(CG "/memory.events", "oom");

	olt_figure(
		"OOM storm",
		"%ld memcg + %ld global hogs in %.1f s; killed %d memcg, %d global, %d guards",
		n_memcg, n_global, t1 - t0, killed_m, killed_g, guards);
	olt_figure(
		"OOM storm, kernel",
		"out_of_memory() calls %lld (global %lld, memcg %lld; traced), vmstat oom_kill +%lld, memory.events oom %lld oom_kill +%lld",
		hits, kglobal, kmemcg, vm, cgoom, cgk);
	olt_figure(
		"OOM storm, module",
		"invocations %lld = recorded %lld + dropped %lld (missed %lld); kills %lld",
		inv, rec, drop, missed, kills);
	TH_LOG("events reader: %ld reads, %ld events (global %ld, memcg %ld), skipped behind the ring %ld, seen twice %ld, torn %ld, fields wrong %ld",
	       r[0].reads, r[0].events, r[0].global, r[0].memcg, r[0].gaps,
	       r[0].dup, r[0].torn, r[0].bad_fields);
	TH_LOG("last reader: %ld reads, %ld events, torn %ld, seq back %ld, fields wrong %ld",
	       r[1].reads, r[1].events, r[1].torn, r[1].dup, r[1].bad_fields);
	TH_LOG("tasks reader: %ld reads, torn %ld", r[2].reads, r[2].torn);

	EXPECT_EQ(n_memcg, killed_m);
	EXPECT_EQ(n_global, killed_g);
	EXPECT_GE(hits, total);
	EXPECT_EQ(hits, rec + drop);
	EXPECT_EQ(inv, rec + drop);
	EXPECT_EQ(hits, kglobal + kmemcg);
	EXPECT_GE(kglobal, n_global);
	EXPECT_GE(kmemcg, 1);
	EXPECT_LE(kmemcg, cgoom);
	ASSERT_LE(0, guards);
	EXPECT_EQ(killed_m + killed_g + guards, vm);
	EXPECT_EQ(vm, kills);
	EXPECT_EQ(killed_m, cgk);
	EXPECT_EQ(0, r[0].torn);
	EXPECT_EQ(0, r[0].dup);
	EXPECT_EQ(0, r[0].bad_fields);
	EXPECT_EQ(r[0].events + r[0].gaps,
		  olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ));
	EXPECT_GT(r[0].global, 0);
	EXPECT_GT(r[0].memcg, 0);
	EXPECT_EQ(0, r[1].torn);
	EXPECT_EQ(0, r[1].dup);
	EXPECT_EQ(0, r[1].bad_fields);
	EXPECT_GT(r[1].reads, 0);
	EXPECT_EQ(0, r[2].torn);
	EXPECT_GT(r[2].reads, 0);
}

/* ---- rmmod under the storm ------------------------------------------------- */

static void open_close_loop(void)
{
	static const char *const files[] = {
		OL_DIR "/" OOMLENS_FILE_EVENTS,
		OL_DIR "/" OOMLENS_FILE_LAST,
		OL_DIR "/" OOMLENS_FILE_STATS,
		OL_DIR "/" OOMLENS_FILE_TASKS,
	};
	unsigned int i;

	set_adj("-1000");
	for (i = 0;; i++) {
		free(olt_read(files[i % 4]));
		usleep(3000);
	}
}

TEST_F_TIMEOUT(storm, rmmod_during_storm_succeeds_or_eagain, 900)
{
	long total = olt_env_long("OOMLENS_RMMOD_OOMS", 100);
	long n_memcg = total * 3 / 5, n_global = total - n_memcg;
	long attempts = 0, unloads = 0, busy = 0, other = 0, reload_fail = 0;
	int pm[2], pg[2], killed_m, killed_g, i, status, other_errno = 0;
	pid_t dm, dg, rd[2];
	char *b, err[256];
	struct ol_events evs;
	double t0;

	for (i = 0; i < 2; i++) {
		rd[i] = fork();
		if (!rd[i])
			open_close_loop();
	}
	t0 = olt_now();
	ASSERT_EQ(0, pipe(pm));
	ASSERT_EQ(0, pipe(pg));
	dm = driver(n_memcg, CG, pm[1]);
	dg = driver(n_global, NULL, pg[1]);
	ASSERT_GT(dm, 0);
	ASSERT_GT(dg, 0);
	while (waitpid(dm, &status, WNOHANG) == 0 ||
	       waitpid(dg, &status, WNOHANG) == 0) {
		attempts++;
		if (!syscall(SYS_delete_module, "oomlens", O_NONBLOCK)) {
			unloads++;
			usleep(1000 * (attempts % 20));
			if (olt_module_load())
				reload_fail++;
		} else if (errno == EAGAIN || errno == EBUSY) {
			busy++;
		} else {
			other++;
			other_errno = errno;
		}
		usleep(20000);
	}
	killed_m = driver_wait(dm, pm[0]);
	killed_g = driver_wait(dg, pg[0]);
	for (i = 0; i < 2; i++) {
		kill(rd[i], SIGKILL);
		waitpid(rd[i], NULL, 0);
	}
	olt_figure(
		"rmmod during storm",
		"%ld OOM hogs (%d + %d killed) in %.1f s; rmmod attempts %ld: unloaded and reloaded %ld, refused EAGAIN/EBUSY %ld, other errors %ld (%s), reload failures %ld",
		total, killed_m, killed_g, olt_now() - t0, attempts, unloads,
		busy, other, other ? strerror(other_errno) : "-", reload_fail);
	EXPECT_EQ(0, other);
	EXPECT_EQ(0, reload_fail);
	EXPECT_GT(unloads, 0);
	EXPECT_EQ(n_memcg, killed_m);
	EXPECT_EQ(n_global, killed_g);

	/* Loaded afresh, it records exactly again. */
	ASSERT_EQ(0, olt_module_reload(""));
	dm = driver(3, CG, pm[1]);
	ASSERT_EQ(3, driver_wait(dm, pm[0]));
	usleep(200000);
	EXPECT_EQ(olt_stat(OOMLENS_STAT_OOM_INVOCATIONS),
		  olt_stat(OOMLENS_STAT_EVENTS_RECORDED) +
			  olt_stat(OOMLENS_STAT_EVENTS_DROPPED));
	EXPECT_EQ(3, olt_stat(OOMLENS_STAT_EVENTS_KILLS));
	b = olt_read(OL_DIR "/" OOMLENS_FILE_EVENTS);
	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, ol_events_parse(b, 0, 1, &evs, NULL, err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_GE(evs.n, (size_t)3);
	if (evs.n)
		EXPECT_EQ(1ULL, evs.ev[0].seq);
	ol_events_free(&evs);
	free(b);
}

OLT_HARNESS_MAIN
