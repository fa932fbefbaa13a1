// SPDX-License-Identifier: GPL-2.0
/*
 * The what-if file "commit_check" against reality: what it allows, mmap()
 * gets; what it refuses, mmap() fails with ENOMEM.  Probed a few pages
 * either side of the boundary under vm.overcommit_memory=2, for a root
 * process and for an unprivileged one (uid 65534, no capabilities), and at
 * the boundary of the GUESS rule; in both value paths.
 *
 * Exactness needs a still counter: __vm_enough_memory() compares the global
 * part of the per-cpu vm_committed_as, which lags the exact total by the
 * per-cpu deltas.  Writing 2 to vm.overcommit_memory makes the kernel fold
 * every CPU's delta into the global part (overcommit_policy_handler()), so
 * each probe does that first, then asks, then lets the quiescent child map.
 * Nothing allocates in between: the child waits in read() on a pipe, the
 * parent uses static buffers.
 *
 * Also: bad writes fail with the right errno and change nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "oomlens_test.h"

#define CHECK OL_DIR "/" OOMLENS_FILE_COMMIT_CHECK
#define VM "/proc/sys/vm/"
#define PAGE 4096L

static char ans[4096];

static long long key(const char *text, const char *k)
{
	size_t kl = strlen(k);
	const char *p;

	for (p = text; p && *p;
	     p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, k, kl) && p[kl] == ' ')
			return strtoll(p + kl + 1, NULL, 10);
	return -999999;
}

static int verdict_allow(const char *text)
{
	const char *k = OOMLENS_CHECK_VERDICT " ";
	const char *p = strstr(text, k);

	if (!p)
		return -1;
	return !strncmp(p + strlen(k), OOMLENS_VERDICT_ALLOW "\n",
			strlen(OOMLENS_VERDICT_ALLOW) + 1);
}

/* Ask on fd; the answer into ans.  0 or -errno. */
static int ask(int fd, const char *q)
{
	ssize_t n = write(fd, q, strlen(q));

	if (n < 0)
		return -errno;
	n = pread(fd, ans, sizeof(ans) - 1, 0);
	if (n < 0)
		return -errno;
	ans[n] = '\0';
	return 0;
}

/* The child: map what the parent says, report, unmap; 0 ends it. */
struct mapper {
	pid_t pid;
	int cmd, res;
};

static void mapper_loop(int cmd, int res)
{
	long long bytes;
	int err;

	for (;;) {
		if (read(cmd, &bytes, sizeof(bytes)) != sizeof(bytes) || !bytes)
			_exit(0);
		void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		err = p == MAP_FAILED ? errno : 0;
		if (p != MAP_FAILED)
			munmap(p, bytes);
		if (write(res, &err, sizeof(err)) != sizeof(err))
			_exit(1);
	}
}

static int mapper_start(struct mapper *m, int unprivileged)
{
	int c[2], r[2], err;

	if (pipe(c) || pipe(r))
		return -1;
	m->pid = fork();
	if (m->pid < 0)
		return -1;
	if (!m->pid) {
		close(c[1]);
		close(r[0]);
		err = 0;
		if (unprivileged) {
			/* Leaving uid 0 clears every capability. */
			if (setgroups(0, NULL) || setgid(65534) ||
			    setuid(65534))
				err = errno ? errno : EPERM;
			prctl(PR_SET_DUMPABLE, 1);
		}
		if (write(r[1], &err, sizeof(err)) != sizeof(err) || err)
			_exit(1);
		mapper_loop(c[0], r[1]);
	}
	close(c[0]);
	close(r[1]);
	m->cmd = c[1];
	m->res = r[0];
	if (read(m->res, &err, sizeof(err)) != sizeof(err) || err)
		return -1;
	return 0;
}

/* errno of the child's mmap of bytes (0: mapped). */
static int mapper_map(struct mapper *m, long long bytes)
{
	int err;

	if (write(m->cmd, &bytes, sizeof(bytes)) != sizeof(bytes))
		return -1;
	if (read(m->res, &err, sizeof(err)) != sizeof(err))
		return -1;
	return err;
}

static void mapper_stop(struct mapper *m)
{
	long long zero = 0;

	if (m->pid <= 0)
		return;
	if (write(m->cmd, &zero, sizeof(zero)) < 0)
		kill(m->pid, SIGKILL);
	waitpid(m->pid, NULL, 0);
	close(m->cmd);
	close(m->res);
	m->pid = 0;
}

FIXTURE(check)
{
	int fd;
	struct mapper m;
};

OLT_EXPORTED_ONLY_VARIANTS(check);

FIXTURE_SETUP(check)
{
	self->fd = -1;
	self->m.pid = 0;
	ASSERT_EQ(0, olt_module_reload_exported_only(variant->exported_only));
	system("swapoff -a 2>/dev/null");
	ASSERT_EQ(0, olt_commit_sysctls());
	self->fd = open(CHECK, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(check)
{
	mapper_stop(&self->m);
	if (self->fd >= 0)
		close(self->fd);
	olt_sysctl_restore_all();
	olt_module_reload("");
}

/*
 * Probe bytes: sync the counter (mode 2 rewritten), ask, map.  Returns the
 * what-if's verdict (1 allow, 0 deny) and sets *err to mmap's errno.
 */
static int probe(struct __test_metadata *_metadata, int fd, struct mapper *m,
		 int mode, long long bytes, int *err)
{
	char q[64], ms[4];
	int allow;

	snprintf(ms, sizeof(ms), "%d", mode);
	snprintf(q, sizeof(q), "%d %lld\n", m->pid, bytes);
	if (olt_write(VM "overcommit_memory", ms))
		return -1;
	if (ask(fd, q))
		return -1;
	allow = verdict_allow(ans);
	*err = mapper_map(m, bytes);
	return allow;
}

/* Both sides of the mode-2 boundary for one child. */
static void never_boundary(struct __test_metadata *_metadata, int fd,
			   struct mapper *m, int root)
{
	long long allowed, committed, vmsize, max_pages, cap, uv, tv;
	char q[64];
	int d, allow, err, allows = 0, denies = 0;

	ASSERT_EQ(0, olt_write(VM "overcommit_memory", "2"));
	snprintf(q, sizeof(q), "%d 0", m->pid);
	ASSERT_EQ(0, ask(fd, q));
	TH_LOG("what-if for %s child %d:\n%s", root ? "root" : "uid 65534",
	       m->pid, ans);

	/* The terms against the kernel's own view of that process. */
	cap = olt_status_field(m->pid, "CapEff", 16);
	vmsize = olt_status_field(m->pid, "VmSize", 10);
	EXPECT_EQ(root ? 1 : 0, !!(cap & (1LL << 21))); /* CAP_SYS_ADMIN */
	EXPECT_EQ(root, key(ans, OOMLENS_CHECK_CAP_SYS_ADMIN));
	EXPECT_EQ(!root, key(ans, OOMLENS_CHECK_ADMIN_APPLIED));
	EXPECT_EQ(vmsize / 4, key(ans, OOMLENS_CHECK_TOTAL_VM));
	EXPECT_EQ(1, key(ans, OOMLENS_CHECK_HAS_MM));
	uv = key(ans, OOMLENS_CHECK_USER);
	tv = vmsize / 4 / 32;
	EXPECT_EQ(tv < uv ? tv : uv, key(ans, OOMLENS_CHECK_USER_APPLIED));
	EXPECT_EQ(key(ans, OOMLENS_CHECK_LIMIT) -
			  (root ? 0 : key(ans, OOMLENS_CHECK_ADMIN)) -
			  key(ans, OOMLENS_CHECK_USER_APPLIED),
		  key(ans, OOMLENS_CHECK_ALLOWED));
	EXPECT_EQ(olt_meminfo_kb("CommitLimit") / 4,
		  key(ans, OOMLENS_CHECK_LIMIT));
	/* Far from the boundary (0 bytes, lots of room): exact. */
	EXPECT_LT(key(ans, OOMLENS_CHECK_COMMITTED_AFTER) +
			  key(ans, OOMLENS_CHECK_ERROR),
		  key(ans, OOMLENS_CHECK_ALLOWED));
	EXPECT_EQ(1, key(ans, OOMLENS_CHECK_EXACT));

	/*
	 * Each probe: fold the counter, ask for 0 bytes to learn the boundary
	 * now (committed + N < allowed: the largest N that passes), ask for
	 * N + d pages, map.  Re-learning it each time keeps the probes on the
	 * boundary even if something else in the VM commits or frees memory
	 * between probes.
	 */
	for (d = -3; d <= 3; d++) {
		snprintf(q, sizeof(q), "%d 0", m->pid);
		ASSERT_EQ(0, olt_write(VM "overcommit_memory", "2"));
		ASSERT_EQ(0, ask(fd, q));
		allowed = key(ans, OOMLENS_CHECK_ALLOWED);
		committed = key(ans, OOMLENS_CHECK_COMMITTED);
		max_pages = allowed - committed - 1;
		ASSERT_GT(max_pages, 1000) TH_LOG("no room to probe");
		snprintf(q, sizeof(q), "%d %lld", m->pid,
			 (max_pages + d) * PAGE);
		ASSERT_EQ(0, ask(fd, q));
		allow = verdict_allow(ans);
		err = mapper_map(m, (max_pages + d) * PAGE);
		TH_LOG("%s: %lld pages (boundary %+d): what-if %s (committed %lld, allowed %lld, exact %lld), mmap %s",
		       root ? "root" : "uid 65534", max_pages + d, d,
		       allow ? "allow" : "deny",
		       key(ans, OOMLENS_CHECK_COMMITTED),
		       key(ans, OOMLENS_CHECK_ALLOWED),
		       key(ans, OOMLENS_CHECK_EXACT),
		       err ? strerror(err) : "ok");
		ASSERT_GE(allow, 0);
		EXPECT_EQ(allow, err == 0);
		if (!allow) {
			EXPECT_EQ(ENOMEM, err);
		}
		/* Within the per-cpu error of the boundary: flagged inexact. */
		EXPECT_EQ(0, key(ans, OOMLENS_CHECK_EXACT));
		allows += allow;
		denies += !allow;
		/* A byte more than a page more still needs that page. */
		if (d == 0) {
			allow = probe(_metadata, fd, m, 2,
				      (max_pages + d) * PAGE + 1, &err);
			EXPECT_EQ(allow, err == 0);
			allows += allow;
			denies += !allow;
		}
	}
	/* The boundary was straddled: both answers were seen. */
	EXPECT_GE(allows, 3);
	EXPECT_GE(denies, 3);
}

TEST_F_TIMEOUT(check, never_root_boundary, 120)
{
	ASSERT_EQ(0, mapper_start(&self->m, 0));
	never_boundary(_metadata, self->fd, &self->m, 1);
}

TEST_F_TIMEOUT(check, never_unprivileged_boundary, 120)
{
	ASSERT_EQ(0, mapper_start(&self->m, 1));
	ASSERT_EQ(65534, olt_status_field(self->m.pid, "Uid", 10));
	EXPECT_EQ(0, olt_status_field(self->m.pid, "CapEff", 16));
	never_boundary(_metadata, self->fd, &self->m, 0);
}

/* GUESS: pages <= totalram + swap passes, one more page does not. */
TEST_F_TIMEOUT(check, guess_and_always, 120)
{
	long long gmax;
	int allow, err;
	char q[64];

	ASSERT_EQ(0, mapper_start(&self->m, 1));
	snprintf(q, sizeof(q), "%d 4096", self->m.pid);
	ASSERT_EQ(0, ask(self->fd, q));
	EXPECT_NE(NULL,
		  strstr(ans, OOMLENS_CHECK_RULE " " OOMLENS_MODE_GUESS "\n"));
	gmax = key(ans, OOMLENS_CHECK_GUESS_MAX);
	ASSERT_GT(gmax, 0);
	allow = probe(_metadata, self->fd, &self->m, 0, gmax * PAGE, &err);
	EXPECT_EQ(1, allow);
	EXPECT_EQ(0, err);
	allow = probe(_metadata, self->fd, &self->m, 0, gmax * PAGE + 1, &err);
	EXPECT_EQ(0, allow);
	EXPECT_EQ(ENOMEM, err);
	/* ALWAYS: even far more than RAM and swap. */
	allow = probe(_metadata, self->fd, &self->m, 1, 64 * gmax * PAGE, &err);
	EXPECT_EQ(1, allow);
	EXPECT_EQ(0, err);
	ASSERT_EQ(0, olt_write(VM "overcommit_memory", "0"));
}

/* "<bytes>" alone asks for the writer; a fresh open has no answer yet. */
TEST_F_TIMEOUT(check, self_and_fresh_open, 120)
{
	char buf[64];
	int fd2;

	ASSERT_EQ(0, ask(self->fd, "8192\n"));
	EXPECT_EQ(getpid(), key(ans, OOMLENS_CHECK_PID));
	EXPECT_EQ(2, key(ans, OOMLENS_CHECK_PAGES));
	EXPECT_EQ(8192, key(ans, OOMLENS_CHECK_BYTES));
	EXPECT_EQ(olt_status_field(getpid(), "VmSize", 10) / 4,
		  key(ans, OOMLENS_CHECK_TOTAL_VM));
	EXPECT_EQ(1, key(ans, OOMLENS_CHECK_CAP_SYS_ADMIN));

	/* Per open file: another open sees nothing, and its answer is its own. */
	fd2 = open(CHECK, O_RDWR);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(-1, read(fd2, buf, sizeof(buf)));
	EXPECT_EQ(ENODATA, errno);
	EXPECT_EQ(5, write(fd2, "4096\n", 5));
	EXPECT_LT(0, read(fd2, buf, sizeof(buf)));
	ASSERT_LT(0, pread(self->fd, ans, sizeof(ans) - 1, 0));
	EXPECT_EQ(2, key(ans, OOMLENS_CHECK_PAGES));
	close(fd2);
}

static const struct {
	const char *in;
	size_t len; /* 0: strlen */
	int err;
} bad[] = {
	{ "", 0, EINVAL },
	{ "\n", 0, EINVAL },
	{ " ", 0, EINVAL },
	{ "\t\n", 0, EINVAL },
	{ "abc", 0, EINVAL },
	{ "12abc", 0, EINVAL },
	{ "abc 4096", 0, EINVAL },
	{ "-1", 0, EINVAL },
	{ "-1 4096", 0, EINVAL },
	{ "1 -4096", 0, EINVAL },
	{ "-0", 0, EINVAL },
	{ "+4096", 0, EINVAL },
	{ "0x1000", 0, EINVAL },
	{ "1e6", 0, EINVAL },
	{ "1.5", 0, EINVAL },
	{ "4096K", 0, EINVAL },
	{ "1,4096", 0, EINVAL },
	{ "pid=1 bytes=4096", 0, EINVAL },
	{ "1 4096 extra", 0, EINVAL },
	{ "1 2 3", 0, EINVAL },
	{ "99999999999999999999999", 0, EINVAL },
	{ "1 99999999999999999999999", 0, EINVAL },
	{ "18446744073709551615", 0, EINVAL },
	{ "1 18446744073709551615", 0, EINVAL },
	{ "2147483648 4096", 0, EINVAL },
	{ "4096\n\n", 0, EINVAL },
	{ "4096\r\n", 0, EINVAL },
	{ "\n4096", 0, EINVAL },
	{ "4096\n1", 0, EINVAL },
	{ "4096\0", 5, EINVAL },
	{ "40\0"
	  "96",
	  5, EINVAL },
	{ "\0", 1, EINVAL },
	{ "\xd9\xa1\xd9\xa2", 0, EINVAL },
	{ "1111111111111111111111111111111111111111111111111111111111111111111",
	  0, EINVAL },
	{ "                                                                1",
	  0, EINVAL },
	{ "0 4096", 0, ESRCH },
	{ "4194304 4096", 0, ESRCH },
	{ "2147483647 4096", 0, ESRCH },
};

TEST_F_TIMEOUT(check, garbage_changes_nothing, 120)
{
	static char first[4096];
	size_t i, len;
	pid_t gone;
	char q[64];
	ssize_t n;

	ASSERT_EQ(0, ask(self->fd, "1 65536\n"));
	EXPECT_EQ(1, key(ans, OOMLENS_CHECK_PID));
	strcpy(first, ans);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = bad[i].len ? bad[i].len : strlen(bad[i].in);
		errno = 0;
		n = write(self->fd, bad[i].in, len);
		EXPECT_EQ(-1, n) TH_LOG("bad input %zu accepted", i);
		EXPECT_EQ(bad[i].err, errno)
		TH_LOG("bad input %zu: %s", i, strerror(errno));
		n = pread(self->fd, ans, sizeof(ans) - 1, 0);
		ASSERT_LT(0, n);
		ans[n] = '\0';
		/* The previous answer, unchanged but for its live numbers. */
		EXPECT_EQ(1, key(ans, OOMLENS_CHECK_PID));
		EXPECT_EQ(65536, key(ans, OOMLENS_CHECK_BYTES));
		EXPECT_STREQ(first, ans);
	}
	EXPECT_GE((int)i, 30);

	/* A pid that existed and is gone. */
	gone = fork();
	ASSERT_GE(gone, 0);
	if (!gone)
		_exit(0);
	waitpid(gone, NULL, 0);
	snprintf(q, sizeof(q), "%d 4096", gone);
	EXPECT_EQ(-ESRCH, ask(self->fd, q));
	ASSERT_LT(0, pread(self->fd, ans, sizeof(ans) - 1, 0));
	EXPECT_STREQ(first, ans);

	/* Still works, and trailing blanks and leading zeros are fine. */
	EXPECT_EQ(0, ask(self->fd, "1 0008192 \n"));
	EXPECT_EQ(2, key(ans, OOMLENS_CHECK_PAGES));
}

OLT_HARNESS_MAIN
