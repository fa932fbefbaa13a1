// SPDX-License-Identifier: GPL-2.0
/*
 * "predict" names the process the kernel then actually kills, on both
 * badness paths:
 *   - global: with bystanders of various sizes and oom_score_adj, a process
 *     with the highest adj-weighted badness waits; predict must name it and
 *     its /proc/<pid>/oom_score must be the highest on the system; then it
 *     allocates until the OOM killer kills it, and the kernel's "Killed
 *     process N" line must name the same pid;
 *   - memcg: the same inside a cgroup with memory.max (the waiting process
 *     and the bystanders in child cgroups: the whole subtree is eligible),
 *     with a process
 *     outside the cgroup that has a higher score but must not be chosen;
 *   - totalpages of a memcg prediction equals memory.max, plus
 *     min(memory.swap.max, SwapTotal) when swap is on and vm.swappiness is
 *     not 0 (mem_cgroup_get_max()), read from the cgroup files, and the
 *     global one equals MemTotal + SwapTotal.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "olt_table.h"
#include "oomlens_test.h"

#define CG "/sys/fs/cgroup/olt-predict"
#define CG_IN CG "/inner"
#define CG_OUT CG "/other"
#define CG_NAME "/olt-predict"

enum col { SCOPE, CGROUP, TOTALPAGES, RESULT, PID, POINTS, COMM };

struct row {
	char scope[16], cgroup[256], result[16];
	long long totalpages, pid;
};

/* The predict row for a scope ("/" for global); false if absent. */
static bool predict_row(const char *scope, const char *cgroup, struct row *r)
{
	char *buf = olt_read(OL_DIR "/" OOMLENS_FILE_PREDICT), *line, *save;
	bool found = false;
	int lineno = 1;

	if (!buf)
		return false;
	line = strtok_r(buf, "\n", &save);
	if (!line || strcmp(line, OOMLENS_PREDICT_HEADER)) {
		free(buf);
		return false;
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *c[OOMLENS_PREDICT_NCOLS + 1];

		lineno++;
		if (olt_split(line, c, OOMLENS_PREDICT_NCOLS + 1) !=
		    OOMLENS_PREDICT_NCOLS) {
			fprintf(stderr, "# predict line %d malformed\n",
				lineno);
			break;
		}
		olt_unescape(c[CGROUP]);
		if (strcmp(c[SCOPE], scope) || strcmp(c[CGROUP], cgroup))
			continue;
		snprintf(r->scope, sizeof(r->scope), "%s", c[SCOPE]);
		snprintf(r->cgroup, sizeof(r->cgroup), "%s", c[CGROUP]);
		snprintf(r->result, sizeof(r->result), "%s", c[RESULT]);
		if (!olt_num(c[TOTALPAGES], &r->totalpages))
			break;
		if (!olt_num(c[PID], &r->pid))
			r->pid = -1;
		found = true;
		break;
	}
	free(buf);
	return found;
}

struct killer {
	int adj;
	const char *cgroup;
	int p[2]; /* the parent's write releases the child */
};

/* In the child: the adj, the cgroup, then wait for the release. */
static int killer_prep(void *arg)
{
	struct killer *k = arg;
	char s[16], c;

	close(k->p[1]);
	snprintf(s, sizeof(s), "%d", k->adj);
	if (olt_write("/proc/self/oom_score_adj", s))
		return -1;
	if (k->cgroup) {
		char path[256];

		snprintf(path, sizeof(path), "%s/cgroup.procs", k->cgroup);
		if (olt_write(path, "0"))
			return -1;
	}
	return read(k->p[0], &c, 1) == 1 ? 0 : -1;
}

/* A child with this adj (and cgroup) that waits, then runs hog (an OOM maker). */
static pid_t waiting_killer(int adj, const char *cgroup, int *release)
{
	struct killer k = { .adj = adj, .cgroup = cgroup };
	pid_t pid;

	if (pipe(k.p))
		return -1;
	pid = olt_hog_spawn("", killer_prep, &k);
	close(k.p[0]);
	if (pid < 0) {
		close(k.p[1]);
		return -1;
	}
	*release = k.p[1];
	return pid;
}

/* The highest /proc/<pid>/oom_score on the system. */
static long long max_oom_score(void)
{
	char path[64];
	long long best = -1, v;
	int pid;

	for (pid = 1; pid < 65536; pid++) {
		snprintf(path, sizeof(path), "/proc/%d/oom_score", pid);
		if (!olt_read_long(path, &v) && v > best)
			best = v;
	}
	return best;
}

/* Count "Killed process <pid> " and all "Killed process" lines. */
static void killed(struct olt_kmsg *k, pid_t pid, int *this, int *all)
{
	char want[64];
	const char *t;

	snprintf(want, sizeof(want), "Killed process %d (", pid);
	*this = *all = 0;
	while ((t = olt_kmsg_next(k))) {
		if (strstr(t, want))
			(*this)++;
		if (strstr(t, "Killed process"))
			(*all)++;
	}
}

FIXTURE(predict)
{
	pid_t pids[8];
	int npids;
	bool cg;
	bool swap;
};

OLT_EXPORTED_ONLY_VARIANTS(predict);

FIXTURE_SETUP(predict)
{
	memset(self, 0, sizeof(*self));
	ASSERT_EQ(0, olt_module_reload_exported_only(variant->exported_only));
	ASSERT_EQ(0, olt_oom_sysctls());
}

FIXTURE_TEARDOWN(predict)
{
	int i;

	for (i = 0; i < self->npids; i++)
		if (self->pids[i] > 0)
			kill(self->pids[i], SIGKILL);
	for (i = 0; i < self->npids; i++)
		if (self->pids[i] > 0)
			waitpid(self->pids[i], NULL, 0);
	if (self->cg) {
		rmdir(CG_IN);
		rmdir(CG_OUT);
		rmdir(CG);
	}
	if (self->swap)
		system("swapoff /dev/zram0 2>/dev/null; echo 1 >/sys/block/zram0/reset");
	olt_sysctl_restore_all();
	olt_module_reload("");
}

static void make_cgroups(struct __test_metadata *_metadata,
			 FIXTURE_DATA(predict) * self, const char *max)
{
	rmdir(CG_IN);
	rmdir(CG_OUT);
	rmdir(CG);
	ASSERT_EQ(0, olt_write("/sys/fs/cgroup/cgroup.subtree_control",
			       "+memory"));
	ASSERT_EQ(0, mkdir(CG, 0755));
	self->cg = true;
	ASSERT_EQ(0, olt_write(CG "/cgroup.subtree_control", "+memory"));
	ASSERT_EQ(0, mkdir(CG_IN, 0755));
	ASSERT_EQ(0, mkdir(CG_OUT, 0755));
	ASSERT_EQ(0, olt_write(CG "/memory.max", max));
}

TEST_F_TIMEOUT(predict, global_victim_dies, 300)
{
	static const char *const bystanders[] = {
		"-m 64 -a 0",
		"-m 16 -a 500",
		"-m 8 -a 800",
	};
	struct olt_kmsg k;
	struct row r;
	int i, release, this, all;
	long long best, score;
	char path[64];
	pid_t killer;

	for (i = 0; i < 3; i++) {
		self->pids[self->npids] = olt_hog(bystanders[i]);
		ASSERT_GT(self->pids[self->npids++], 0);
	}
	killer = waiting_killer(900, NULL, &release);
	ASSERT_GT(killer, 0);
	self->pids[self->npids++] = killer;
	usleep(100000);

	ASSERT_TRUE(predict_row(OOMLENS_SCOPE_GLOBAL, "/", &r));
	EXPECT_STREQ(OOMLENS_RESULT_VICTIM, r.result);
	EXPECT_EQ(killer, r.pid);
	EXPECT_EQ((olt_meminfo_kb("MemTotal") + olt_meminfo_kb("SwapTotal")) /
			  4,
		  r.totalpages);
	/* The kernel's own scores agree: the predicted task has the top one. */
	best = max_oom_score();
	snprintf(path, sizeof(path), "/proc/%lld/oom_score", r.pid);
	ASSERT_EQ(0, olt_read_long(path, &score));
	EXPECT_EQ(best, score);

	ASSERT_EQ(0, olt_kmsg_open(&k));
	ASSERT_EQ(1, write(release, "g", 1));
	EXPECT_EQ(SIGKILL, olt_wait_signal(killer));
	self->pids[self->npids - 1] = 0;
	usleep(300000);
	killed(&k, r.pid, &this, &all);
	olt_kmsg_close(&k);
	TH_LOG("predicted %lld, killer %d; kernel log: %d kill(s) of it, %d in all",
	       r.pid, killer, this, all);
	EXPECT_EQ(1, this);
	EXPECT_EQ(1, all);
	close(release);
}

TEST_F_TIMEOUT(predict, memcg_victim_dies, 120)
{
	struct olt_kmsg k;
	struct row r;
	int release, this, all;
	long long max;
	pid_t killer, outside;

	make_cgroups(_metadata, self, "64M");
	self->pids[self->npids] = olt_hog("-m 8 -a 0 -c " CG_OUT);
	ASSERT_GT(self->pids[self->npids++], 0);
	self->pids[self->npids] = olt_hog("-m 16 -a 100 -c " CG_IN);
	ASSERT_GT(self->pids[self->npids++], 0);
	/* Outside: a higher score, but not eligible for this memcg's OOM. */
	outside = olt_hog("-m 4 -a 1000");
	ASSERT_GT(outside, 0);
	self->pids[self->npids++] = outside;
	killer = waiting_killer(500, CG_IN, &release);
	ASSERT_GT(killer, 0);
	self->pids[self->npids++] = killer;
	usleep(100000);

	ASSERT_TRUE(predict_row(OOMLENS_SCOPE_MEMCG, CG_NAME, &r));
	ASSERT_EQ(0, olt_read_long(CG "/memory.max", &max));
	EXPECT_EQ(max / getpagesize(), r.totalpages);
	EXPECT_STREQ(OOMLENS_RESULT_VICTIM, r.result);
	EXPECT_EQ(killer, r.pid);
	/* The inner cgroup has no limit of its own: no row. */
	EXPECT_FALSE(predict_row(OOMLENS_SCOPE_MEMCG, CG_NAME "/inner", &r));
	ASSERT_TRUE(predict_row(OOMLENS_SCOPE_GLOBAL, "/", &r));
	EXPECT_EQ(outside, r.pid);

	ASSERT_EQ(0, olt_kmsg_open(&k));
	ASSERT_EQ(1, write(release, "g", 1));
	EXPECT_EQ(SIGKILL, olt_wait_signal(killer));
	self->pids[self->npids - 1] = 0;
	usleep(300000);
	killed(&k, killer, &this, &all);
	olt_kmsg_close(&k);
	TH_LOG("memcg: predicted %d; kernel log: %d kill(s) of it, %d in all",
	       killer, this, all);
	EXPECT_EQ(1, this);
	EXPECT_EQ(1, all);
	close(release);
}

TEST_F(predict, memcg_totalpages_with_swap)
{
	long long max, swapmax, swaptotal;
	struct row r;

	self->swap = !system(
		"swapoff /dev/zram0 2>/dev/null; echo 1 >/sys/block/zram0/reset; "
		"echo 64M >/sys/block/zram0/disksize && "
		"mkswap /dev/zram0 >/dev/null && swapon /dev/zram0");
	ASSERT_TRUE(self->swap);
	make_cgroups(_metadata, self, "48M");
	ASSERT_EQ(0, olt_write(CG "/memory.swap.max", "32M"));
	ASSERT_EQ(0, olt_read_long(CG "/memory.max", &max));
	ASSERT_EQ(0, olt_read_long(CG "/memory.swap.max", &swapmax));
	swaptotal = olt_meminfo_kb("SwapTotal") * 1024;
	ASSERT_GT(swaptotal, 0);

	ASSERT_EQ(0, olt_sysctl_set("/proc/sys/vm/swappiness", "60"));
	ASSERT_TRUE(predict_row(OOMLENS_SCOPE_MEMCG, CG_NAME, &r));
	EXPECT_EQ((max + (swapmax < swaptotal ? swapmax : swaptotal)) /
			  getpagesize(),
		  r.totalpages);
	EXPECT_STREQ(OOMLENS_RESULT_NONE, r.result);

	/* vm.swappiness 0: mem_cgroup_get_max() adds no swap. */
	ASSERT_EQ(0, olt_sysctl_set("/proc/sys/vm/swappiness", "0"));
	ASSERT_TRUE(predict_row(OOMLENS_SCOPE_MEMCG, CG_NAME, &r));
	EXPECT_EQ(max / getpagesize(), r.totalpages);

	/* swap.max above SwapTotal: capped at total_swap_pages. */
	ASSERT_EQ(0, olt_sysctl_set("/proc/sys/vm/swappiness", "60"));
	ASSERT_EQ(0, olt_write(CG "/memory.swap.max", "max"));
	ASSERT_TRUE(predict_row(OOMLENS_SCOPE_MEMCG, CG_NAME, &r));
	EXPECT_EQ((max + swaptotal) / getpagesize(), r.totalpages);
	ASSERT_TRUE(predict_row(OOMLENS_SCOPE_GLOBAL, "/", &r));
	EXPECT_EQ((olt_meminfo_kb("MemTotal") + olt_meminfo_kb("SwapTotal")) /
			  4,
		  r.totalpages);
}

OLT_HARNESS_MAIN
