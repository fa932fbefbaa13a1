// SPDX-License-Identifier: GPL-2.0
/*
 * The "tasks" file against the kernel's own numbers, on both badness paths
 * (the kernel's oom_badness() and the exported-only formula).
 *
 * With >= 1000 processes present (small sleepers), hogs of known sizes and
 * oom_score_adj values, a vfork child, and a process with swapped-out pages
 * (zram swap on, so totalpages includes swap), every row must equal, by
 * exact integer comparison:
 *   score     /proc/<pid>/oom_score
 *   adj       /proc/<pid>/oom_score_adj
 *   points    VmRSS + VmSwap + VmPTE (in pages, /proc/<pid>/status)
 *             + adj * ((MemTotal + SwapTotal) / 1000) (/proc/meminfo),
 *             the oom_badness() formula on the kernel's own inputs
 *   rss, swapents, pgtables   VmRSS, VmSwap, VmPTE
 * except that since 6.2 the rss counters are per-cpu: oom_badness() (and so
 * the tasks file and oom_score) reads them with percpu_counter_read_positive()
 * while /proc/<pid>/status sums them exactly, so rss, swapents and points
 * may differ from status by less than the per-cpu batch (32 pages on this
 * VM) times the number of CPUs, per counter; that bound is what is tested
 * there (oom_score and oom_score_adj stay exact).
 *   uid, comm, memcg          Uid, /proc/<pid>/comm, /proc/<pid>/cgroup
 *   state     kthread iff PF_KTHREAD in /proc/<pid>/stat, init for pid 1,
 *             adj_min / vfork / killable for the processes we made
 * Our processes are stopped, so their rows must match at the first read.
 * Processes we do not control (this test, its shell) may change between
 * reading "tasks" and /proc: the whole snapshot is retried a few times and
 * one attempt must match on every row.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "olt_table.h"
#include "oomlens_test.h"

#define NSLEEPERS 1000
#define NHOGS 5
#define SWAPPED_MIB 16
#define ATTEMPTS 5
#define PF_KTHREAD 0x00200000

/* Per counter: |approximate - exact| < batch * CPUs; 0 before 6.2. */
static long long slack;

static void set_slack(void)
{
	struct utsname u;
	int major = 0, minor = 0;
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	long batch = 2 * cpus > 32 ? 2 * cpus : 32;

	uname(&u);
	sscanf(u.release, "%d.%d", &major, &minor);
	slack = (major > 6 || (major == 6 && minor >= 2)) ? batch * cpus : 0;
}

static bool near(long long a, long long b, long long tol)
{
	return a - b <= tol && b - a <= tol;
}

static const struct {
	int mib, adj;
} hog_spec[NHOGS] = {
	{ 1, -1000 }, { 8, -500 }, { 32, 0 }, { 64, 300 }, { 1, 1000 },
};

/* A whole small file, trailing newline removed; 0 or -errno. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int e;

	if (!f)
		return -errno;
	if (!fgets(buf, len, f)) {
		e = errno ? -errno : -ENODATA;
		fclose(f);
		return e;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int proc_long(int pid, const char *file, long long *v)
{
	char path[64], buf[64];
	int ret;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	ret = read_line(path, buf, sizeof(buf));
	if (ret)
		return ret;
	return olt_num(buf, v) ? 0 : -EINVAL;
}

/* Field 9 (flags) of /proc/<pid>/stat; -1 if unreadable. */
static long long stat_flags(int pid)
{
	char path[64], buf[1024], *p;
	long long flags;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_line(path, buf, sizeof(buf)))
		return -1;
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	/* ") S ppid pgrp session tty_nr tpgid flags" */
	for (i = 0; i < 7 && p; i++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%lld", &flags) != 1)
		return -1;
	return flags;
}

/* The cgroup v2 path of pid ("0::/path"), or "" without one. */
static int proc_cgroup(int pid, char *buf, size_t len)
{
	char path[64], line[4200];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	buf[0] = '\0';
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(buf, len, "%s", line + 3);
		}
	fclose(f);
	return 0;
}

static char *stats_string(const char *key, char *buf, size_t len)
{
	char *s = olt_read(OL_DIR "/" OOMLENS_FILE_STATS), *p;
	size_t kl = strlen(key);

	buf[0] = '\0';
	if (!s)
		return buf;
	for (p = s; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, kl) && p[kl] == ' ') {
			snprintf(buf, len, "%.*s",
				 (int)strcspn(p + kl + 1, "\n"), p + kl + 1);
			break;
		}
	free(s);
	return buf;
}

/*
 * The child of @parent, from every process's parent pid in its stat line.
 * (/proc/<pid>/task/<tid>/children needs CONFIG_PROC_CHILDREN, which the
 * debug kernel's defconfig does not have.)
 */
static pid_t find_child(pid_t parent)
{
	char path[64], buf[512], *p;
	struct dirent *d;
	int tries, ppid;
	pid_t pid;
	DIR *dir;

	for (tries = 0; tries < 200; tries++) {
		dir = opendir("/proc");
		if (!dir)
			return -1;
		while ((d = readdir(dir))) {
			pid = atoi(d->d_name);
			if (pid <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/stat", pid);
			if (read_line(path, buf, sizeof(buf)))
				continue;
			p = strrchr(buf, ')');
			if (p && sscanf(p + 1, " %*c %d", &ppid) == 1 &&
			    ppid == parent) {
				closedir(dir);
				return pid;
			}
		}
		closedir(dir);
		usleep(10000);
	}
	return -1;
}

static void swap_off(void)
{
	system("swapoff /dev/zram0 2>/dev/null; echo 1 >/sys/block/zram0/reset 2>/dev/null");
}

FIXTURE(tasks)
{
	pid_t sleepers[NSLEEPERS];
	int nsleepers;
	pid_t hogs[NHOGS];
	pid_t vfork_parent, vfork_child, swapped;
	int vfork_release;
	bool swap;
};

OLT_EXPORTED_ONLY_VARIANTS(tasks);

FIXTURE_SETUP(tasks)
{
	char buf[64], args[64], src[64];
	int i, p[2], ready[2];

	memset(self, 0, sizeof(*self));
	set_slack();
	ASSERT_EQ(0, olt_module_reload_exported_only(variant->exported_only));
	stats_string(OOMLENS_STAT_BADNESS_PATH, buf, sizeof(buf));
	if (variant->exported_only) {
		ASSERT_STREQ(OOMLENS_BADNESS_PATH_FORMULA, buf);
	} else {
		char ks[64];

		/* The kernel path unless ksyms refused oom_badness. */
		stats_string(OOMLENS_STAT_KSYM_PREFIX "oom_badness", ks,
			     sizeof(ks));
		TH_LOG("ksym_oom_badness %s, badness_path %s", ks, buf);
		ASSERT_STREQ(strcmp(ks, OOMLENS_KSYM_KERNEL) ?
				     OOMLENS_BADNESS_PATH_FORMULA :
				     OOMLENS_BADNESS_PATH_KERNEL,
			     buf);
	}
	/* badness_source says the same in the common vocabulary. */
	stats_string(OOMLENS_STAT_BADNESS_SRC, src, sizeof(src));
	ASSERT_STREQ(strcmp(buf, OOMLENS_BADNESS_PATH_KERNEL) ?
			     OOMLENS_SRC_DERIVED :
			     OOMLENS_SRC_KERNEL,
		     src);

	/* Swap on zram, so that totalpages includes swap. */
	swap_off();
	self->swap =
		!system("echo 64M >/sys/block/zram0/disksize && "
			"mkswap /dev/zram0 >/dev/null && swapon /dev/zram0");
	ASSERT_TRUE(self->swap) TH_LOG("cannot enable zram swap");

	/* Small sleepers first, while this process is small. */
	for (i = 0; i < NSLEEPERS; i++) {
		pid_t pid = fork();

		ASSERT_GE(pid, 0);
		if (!pid) {
			prctl(PR_SET_NAME, "olt-sleeper");
			for (;;)
				pause();
		}
		self->sleepers[self->nsleepers++] = pid;
	}

	for (i = 0; i < NHOGS; i++) {
		snprintf(args, sizeof(args), "-m %d -a %d -s", hog_spec[i].mib,
			 hog_spec[i].adj);
		self->hogs[i] = olt_hog(args);
		ASSERT_GT(self->hogs[i], 0);
	}

	/* A vfork child blocked in read(): in_vfork() is true for it. */
	ASSERT_EQ(0, pipe(p));
	self->vfork_parent = fork();
	ASSERT_GE(self->vfork_parent, 0);
	if (!self->vfork_parent) {
		char c;

		close(p[1]);
		prctl(PR_SET_NAME, "olt-vforker");
		if (!vfork()) {
			syscall(SYS_read, p[0], &c, 1);
			_exit(0);
		}
		for (;;)
			pause();
	}
	close(p[0]);
	self->vfork_release = p[1];
	self->vfork_child = find_child(self->vfork_parent);
	ASSERT_GT(self->vfork_child, 0);

	/* A process with pages swapped out. */
	ASSERT_EQ(0, pipe(ready));
	self->swapped = fork();
	ASSERT_GE(self->swapped, 0);
	if (!self->swapped) {
		size_t len = (size_t)SWAPPED_MIB << 20;
		char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		prctl(PR_SET_NAME, "olt-swapped");
		if (m == MAP_FAILED)
			_exit(1);
		memset(m, 0x5a, len);
		madvise(m, len, 21 /* MADV_PAGEOUT */);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], buf, 1));
	close(ready[0]);
	ASSERT_GT(olt_status_field(self->swapped, "VmSwap", 10), 0)
	TH_LOG("MADV_PAGEOUT swapped nothing out");

	/* A quiescent moment: our processes stop. */
	for (i = 0; i < self->nsleepers; i++)
		kill(self->sleepers[i], SIGSTOP);
	for (i = 0; i < NHOGS; i++)
		kill(self->hogs[i], SIGSTOP);
	kill(self->vfork_parent, SIGSTOP);
	kill(self->vfork_child, SIGSTOP);
	kill(self->swapped, SIGSTOP);
	usleep(200000);
}

FIXTURE_TEARDOWN(tasks)
{
	pid_t all[] = { self->vfork_child, self->vfork_parent, self->swapped };
	int i;

	for (i = 0; i < self->nsleepers; i++)
		kill(self->sleepers[i], SIGKILL);
	for (i = 0; i < NHOGS; i++)
		if (self->hogs[i] > 0)
			kill(self->hogs[i], SIGKILL);
	for (i = 0; i < 3; i++)
		if (all[i] > 0)
			kill(all[i], SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	if (self->swap)
		swap_off();
	olt_module_reload("");
}

static bool ours(FIXTURE_DATA(tasks) * self, int pid)
{
	int i;

	for (i = 0; i < NHOGS; i++)
		if (self->hogs[i] == pid)
			return true;
	for (i = 0; i < self->nsleepers; i++)
		if (self->sleepers[i] == pid)
			return true;
	return pid == self->vfork_parent || pid == self->vfork_child ||
	       pid == self->swapped;
}

enum col {
	PID,
	UID,
	COMM,
	RSS,
	SWAPENTS,
	PGTABLES,
	ADJ,
	POINTS,
	SCORE,
	STATE,
	MEMCG
};

/*
 * Compare one row with /proc; returns the number of mismatches (each
 * logged), or 0.  *gone is set if the process vanished meanwhile.
 */
static int check_row(struct __test_metadata *_metadata, char **c,
		     long long tp_k, bool *gone)
{
	long long pid, v[OOMLENS_TASKS_NCOLS], score, adj, flags, want;
	char path[64], buf[4200];
	int bad = 0, i;

	*gone = false;
	olt_num(c[PID], &pid);
	for (i = RSS; i <= SCORE; i++)
		if (i != POINTS)
			olt_num(c[i], &v[i]);
	if (proc_long(pid, "oom_score", &score) ||
	    proc_long(pid, "oom_score_adj", &adj) ||
	    (flags = stat_flags(pid)) < 0) {
		*gone = true;
		return 0;
	}
#define MISMATCH(what, got, exp)                                          \
	do {                                                              \
		bad++;                                                    \
		TH_LOG("pid %lld %s: tasks %lld, kernel %lld", pid, what, \
		       (long long)(got), (long long)(exp));               \
	} while (0)
	if (v[SCORE] != score)
		MISMATCH("score", v[SCORE], score);
	if (v[ADJ] != adj)
		MISMATCH("adj", v[ADJ], adj);
	if ((flags & PF_KTHREAD) !=
	    !strcmp(c[STATE], OOMLENS_STATE_KTHREAD) * PF_KTHREAD) {
		bad++;
		TH_LOG("pid %lld: state %s, PF_KTHREAD %d", pid, c[STATE],
		       !!(flags & PF_KTHREAD));
	}
	if (pid == 1 && strcmp(c[STATE], OOMLENS_STATE_INIT)) {
		bad++;
		TH_LOG("pid 1: state %s", c[STATE]);
	}
	if (flags & PF_KTHREAD)
		return bad;

	/* A process with an mm: its inputs from /proc/<pid>/status. */
	{
		long long rss = olt_status_field(pid, "VmRSS", 10);
		long long swap = olt_status_field(pid, "VmSwap", 10);
		long long pte = olt_status_field(pid, "VmPTE", 10);
		long long uid = olt_status_field(pid, "Uid", 10);

		if (rss < 0) {
			*gone = true; /* a zombie or exiting */
			return bad;
		}
		if (!near(v[RSS] * 4, rss, 3 * slack * 4))
			MISMATCH("rss kB", v[RSS] * 4, rss);
		if (!near(v[SWAPENTS] * 4, swap, slack * 4))
			MISMATCH("swap kB", v[SWAPENTS] * 4, swap);
		if (v[PGTABLES] * 4 != pte)
			MISMATCH("pgtables kB", v[PGTABLES] * 4, pte);
		olt_num(c[UID], &want);
		if (want != uid)
			MISMATCH("uid", want, uid);
		want = (rss + swap + pte) / 4 + adj * (tp_k / 4 / 1000);
		if (!strcmp(c[STATE], OOMLENS_STATE_KILLABLE)) {
			long long points;

			if (!olt_num(c[POINTS], &points) ||
			    !near(points, want, 4 * slack))
				MISMATCH("points (formula on /proc inputs)",
					 olt_num(c[POINTS], &points) ? points :
								       -1,
					 want);
		} else if (strcmp(c[POINTS], OOMLENS_NONE)) {
			bad++;
			TH_LOG("pid %lld: state %s but points %s", pid,
			       c[STATE], c[POINTS]);
		}
	}
	snprintf(path, sizeof(path), "/proc/%lld/comm", pid);
	if (!read_line(path, buf, sizeof(buf))) {
		olt_unescape(c[COMM]);
		if (strcmp(c[COMM], buf)) {
			bad++;
			TH_LOG("pid %lld: comm '%s', kernel '%s'", pid, c[COMM],
			       buf);
		}
	}
	if (!proc_cgroup(pid, buf, sizeof(buf))) {
		olt_unescape(c[MEMCG]);
		if (strcmp(c[MEMCG], buf)) {
			bad++;
			TH_LOG("pid %lld: memcg '%s', kernel '%s'", pid,
			       c[MEMCG], buf);
		}
	}
	return bad;
}

TEST_F_TIMEOUT(tasks, rows_equal_kernel, 240)
{
	int attempt, clean = 0;

	for (attempt = 0; attempt < ATTEMPTS && !clean; attempt++) {
		char *buf = olt_read(OL_DIR "/" OOMLENS_FILE_TASKS), *line,
		     *save;
		long long tp_k = olt_meminfo_kb("MemTotal") +
				 olt_meminfo_kb("SwapTotal");
		int rows = 0, bad = 0, ours_bad = 0, lineno = 1, prev = 0;
		int seen_init = 0, seen_kthread = 0, seen_adjmin = 0;
		int seen_vfork = 0, seen_vparent = 0, seen_swapped = 0;

		ASSERT_NE(NULL, buf);
		line = strtok_r(buf, "\n", &save);
		ASSERT_NE(NULL, line);
		ASSERT_STREQ(OOMLENS_TASKS_HEADER, line);
		while ((line = strtok_r(NULL, "\n", &save))) {
			char *c[OOMLENS_TASKS_NCOLS + 1];
			long long pid;
			bool gone;
			int n, b;

			lineno++;
			n = olt_split(line, c, OOMLENS_TASKS_NCOLS + 1);
			ASSERT_EQ(OOMLENS_TASKS_NCOLS, n)
			TH_LOG("line %d malformed", lineno);
			ASSERT_TRUE(olt_num(c[PID], &pid));
			ASSERT_GT(pid, prev)
			TH_LOG("line %d: pids not increasing", lineno);
			prev = pid;
			rows++;
			b = check_row(_metadata, c, tp_k, &gone);
			bad += b;
			if (ours(self, pid)) {
				ASSERT_FALSE(gone)
				TH_LOG("pid %lld vanished", pid);
				ours_bad += b;
			}
			if (pid == 1)
				seen_init++;
			if (!strcmp(c[STATE], OOMLENS_STATE_KTHREAD))
				seen_kthread++;
			if (pid == self->hogs[0]) {
				seen_adjmin++;
				EXPECT_STREQ(OOMLENS_STATE_ADJ_MIN, c[STATE]);
				EXPECT_STREQ("0", c[SCORE]);
				EXPECT_STREQ(OOMLENS_NONE, c[POINTS]);
			}
			if (pid == self->vfork_child) {
				seen_vfork++;
				EXPECT_STREQ(OOMLENS_STATE_VFORK, c[STATE]);
				EXPECT_STREQ("0", c[SCORE]);
			}
			if (pid == self->vfork_parent) {
				seen_vparent++;
				EXPECT_STREQ(OOMLENS_STATE_KILLABLE, c[STATE]);
			}
			if (pid == self->swapped) {
				long long swapents;

				seen_swapped++;
				EXPECT_TRUE(olt_num(c[SWAPENTS], &swapents) &&
					    swapents > 0);
			}
		}
		free(buf);
		TH_LOG("attempt %d: %d rows, %d mismatches (%d in our stopped processes)",
		       attempt, rows, bad, ours_bad);
		EXPECT_GE(rows, NSLEEPERS);
		EXPECT_EQ(0, ours_bad);
		EXPECT_EQ(1, seen_init);
		EXPECT_GT(seen_kthread, 0);
		EXPECT_EQ(1, seen_adjmin);
		EXPECT_EQ(1, seen_vfork);
		EXPECT_EQ(1, seen_vparent);
		EXPECT_EQ(1, seen_swapped);
		clean = !bad;
	}
	EXPECT_TRUE(clean)
	TH_LOG("no snapshot matched the kernel on every row");
}

OLT_HARNESS_MAIN
