// SPDX-License-Identifier: GPL-2.0
/*
 * The "commit" file against the kernel's own numbers: commit_limit_kb
 * equals CommitLimit of /proc/meminfo exactly, and committed_kb equals
 * Committed_AS, in every overcommit mode and with every term of
 * vm_commit_limit() in play (ratio 0/50/100, overcommit_kbytes, huge pages,
 * swap), through both value paths (kallsyms, and exported_only=1).
 *
 * Under vm.overcommit_memory=2 with a small limit no process may commit
 * memory, so the checks read into static buffers (no malloc, no fork)
 * between setting the mode and restoring it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "oomlens_test.h"

#define COMMIT OL_DIR "/" OOMLENS_FILE_COMMIT
#define VM "/proc/sys/vm/"

static char fbuf[16384];

/* The whole file into fbuf; no allocation. */
static int slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while ((n = read(fd, fbuf + len, sizeof(fbuf) - 1 - len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		return -errno;
	fbuf[len] = '\0';
	return 0;
}

/* "key value" of a flat-keyed file. */
static long long field(const char *path, const char *key)
{
	size_t kl = strlen(key);
	char *p;

	if (slurp(path))
		return -1;
	for (p = fbuf; p && *p;
	     p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, key, kl) && p[kl] == ' ')
			return strtoll(p + kl + 1, NULL, 10);
	}
	return -1;
}

/* Value word of a flat-keyed key, into a static buffer. */
static const char *word(const char *path, const char *key)
{
	static char w[64];
	size_t kl = strlen(key);
	char *p;

	w[0] = '\0';
	if (slurp(path))
		return w;
	for (p = fbuf; p && *p;
	     p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, key, kl) && p[kl] == ' ') {
			sscanf(p + kl + 1, "%63s", w);
			break;
		}
	}
	return w;
}

/* A /proc/sys/vm value, or -1. */
static long long sysctl_val(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), VM "%s", name);
	if (slurp(path))
		return -1;
	return strtoll(fbuf, NULL, 10);
}

#define MEMINFO(k) olt_meminfo_kb(k)
#define COMMITV(k) field(COMMIT, k)

static int write_sysctl(const char *name, const char *v)
{
	char path[128];

	snprintf(path, sizeof(path), VM "%s", name);
	return olt_write(path, v);
}

FIXTURE(commit)
{
	int swap_on;
	int hugetlb_set;
};

OLT_EXPORTED_ONLY_VARIANTS(commit);

FIXTURE_SETUP(commit)
{
	self->swap_on = 0;
	self->hugetlb_set = 0;
	ASSERT_EQ(0, olt_module_reload_exported_only(variant->exported_only));
	/* Save them all in this order: restored in reverse (mode first). */
	ASSERT_EQ(0, olt_sysctl_set(VM "nr_hugepages", "0"));
	ASSERT_EQ(0, olt_commit_sysctls());
}

FIXTURE_TEARDOWN(commit)
{
	olt_sysctl_restore_all();
	if (self->swap_on) {
		system("swapoff /dev/zram0");
		olt_write("/sys/block/zram0/reset", "1");
	}
	olt_module_reload("");
}

/* The state of a symbol in "stats": kernel, missing, no_endbr... */
static const char *ksym_state(const char *sym)
{
	static char k[96];

	snprintf(k, sizeof(k), OOMLENS_STAT_KSYM_PREFIX "%s", sym);
	return word(OL_DIR "/" OOMLENS_FILE_STATS, k);
}

/*
 * Each _source key names the path that produced it, and that path is the
 * one the module's symbol lookup allowed ("stats": ksym_<name> <state>):
 * a value whose symbol is usable comes from the kernel, any other from the
 * fallback (a /proc file, or the kernel's formula redone).
 */
static void check_sources(struct __test_metadata *_metadata, int exported_only)
{
	static const struct {
		const char *key, *sym, *fallback;
	} src[] = {
		{ OOMLENS_COMMIT_MODE_SRC, "sysctl_overcommit_memory",
		  OOMLENS_SRC_PROCFS },
		{ OOMLENS_COMMIT_RATIO_SRC, "sysctl_overcommit_ratio",
		  OOMLENS_SRC_PROCFS },
		{ OOMLENS_COMMIT_KBYTES_SRC, "sysctl_overcommit_kbytes",
		  OOMLENS_SRC_PROCFS },
		{ OOMLENS_COMMIT_ADMIN_SRC, "sysctl_admin_reserve_kbytes",
		  OOMLENS_SRC_PROCFS },
		{ OOMLENS_COMMIT_USER_SRC, "sysctl_user_reserve_kbytes",
		  OOMLENS_SRC_PROCFS },
		{ OOMLENS_COMMIT_SWAP_SRC, "total_swap_pages",
		  OOMLENS_SRC_PROCFS },
		{ OOMLENS_COMMIT_HUGETLB_SRC, "hugetlb_total_pages",
		  OOMLENS_SRC_PROCFS },
		{ OOMLENS_COMMIT_LIMIT_SRC, "vm_commit_limit",
		  OOMLENS_SRC_DERIVED },
		{ OOMLENS_COMMIT_BATCH_SRC, "vm_committed_as_batch",
		  OOMLENS_SRC_DERIVED },
	};
	static char state[64];
	const char *want;
	size_t i;

	for (i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
		snprintf(state, sizeof(state), "%s", ksym_state(src[i].sym));
		if (exported_only) {
			TH_LOG("%s", src[i].sym);
			EXPECT_STREQ(OOMLENS_KSYM_EXPORTED_ONLY, state);
		}
		TH_LOG("%s: ksym state '%s', source '%s'", src[i].key, state,
		       word(COMMIT, src[i].key));
		want = strcmp(state, OOMLENS_KSYM_KERNEL) ? src[i].fallback :
							    OOMLENS_SRC_KERNEL;
		EXPECT_STREQ(want, word(COMMIT, src[i].key));
	}
	EXPECT_STREQ(OOMLENS_SRC_EXPORTED,
		     word(COMMIT, OOMLENS_COMMIT_COMMITTED_SRC));
	EXPECT_STREQ(OOMLENS_SRC_EXPORTED,
		     word(COMMIT, OOMLENS_COMMIT_TOTALRAM_SRC));
}

/*
 * In one mode: the limit in kB equals CommitLimit, and each term equals
 * its /proc counterpart.  Reads only (static buffers) while the mode is
 * set; back to mode 0 before returning.
 */
static void check_limit(struct __test_metadata *_metadata, const char *what,
			int mode)
{
	static const char *const names[] = { "guess", "always", "never" };
	long long meminfo, ours, memtotal, hugetlb, swaptotal, ratio, kbytes;
	long long base, want_base;
	char m[4];

	snprintf(m, sizeof(m), "%d", mode);
	ASSERT_EQ(0, write_sysctl("overcommit_memory", m));

	meminfo = MEMINFO("CommitLimit");
	ours = COMMITV(OOMLENS_COMMIT_LIMIT_KB);
	memtotal = MEMINFO("MemTotal");
	hugetlb = MEMINFO("Hugetlb");
	swaptotal = MEMINFO("SwapTotal");
	ratio = sysctl_val("overcommit_ratio");
	kbytes = sysctl_val("overcommit_kbytes");

	TH_LOG("%s mode %d: CommitLimit %lld kB, commit_limit_kb %lld", what,
	       mode, meminfo, ours);
	EXPECT_GT(meminfo, -1);
	EXPECT_EQ(meminfo, ours) TH_LOG("%s mode %d", what, mode);
	EXPECT_EQ(meminfo / 4, COMMITV(OOMLENS_COMMIT_LIMIT));
	EXPECT_EQ(mode, COMMITV(OOMLENS_COMMIT_MODE));
	EXPECT_STREQ(names[mode], word(COMMIT, OOMLENS_COMMIT_MODE_NAME));
	EXPECT_EQ(memtotal / 4, COMMITV(OOMLENS_COMMIT_TOTALRAM));
	EXPECT_EQ(hugetlb < 0 ? 0 : hugetlb / 4,
		  COMMITV(OOMLENS_COMMIT_HUGETLB));
	EXPECT_EQ(swaptotal / 4, COMMITV(OOMLENS_COMMIT_SWAP));
	EXPECT_EQ(ratio, COMMITV(OOMLENS_COMMIT_RATIO));
	EXPECT_EQ(kbytes, COMMITV(OOMLENS_COMMIT_KBYTES));
	EXPECT_EQ(sysctl_val("admin_reserve_kbytes"),
		  COMMITV(OOMLENS_COMMIT_ADMIN_KB));
	EXPECT_EQ(sysctl_val("user_reserve_kbytes"),
		  COMMITV(OOMLENS_COMMIT_USER_KB));
	EXPECT_EQ(sysctl_val("admin_reserve_kbytes") / 4,
		  COMMITV(OOMLENS_COMMIT_ADMIN));
	EXPECT_EQ(sysctl_val("user_reserve_kbytes") / 4,
		  COMMITV(OOMLENS_COMMIT_USER));

	/* The decomposition: base + swap, base by the branch in use. */
	base = COMMITV(OOMLENS_COMMIT_LIMIT_BASE);
	want_base = kbytes ? kbytes / 4 :
			     (memtotal / 4 - (hugetlb < 0 ? 0 : hugetlb / 4)) *
				     ratio / 100;
	EXPECT_EQ(want_base, base);
	EXPECT_EQ(swaptotal / 4, COMMITV(OOMLENS_COMMIT_LIMIT_SWAP));
	EXPECT_EQ(meminfo / 4, base + COMMITV(OOMLENS_COMMIT_LIMIT_SWAP));
	EXPECT_STREQ(kbytes ? OOMLENS_BRANCH_KBYTES : OOMLENS_BRANCH_RATIO,
		     word(COMMIT, OOMLENS_COMMIT_LIMIT_BRANCH));

	ASSERT_EQ(0, write_sysctl("overcommit_memory", "0"));
}

static void check_all_modes(struct __test_metadata *_metadata, const char *what)
{
	int mode;

	for (mode = 0; mode <= 2; mode++)
		check_limit(_metadata, what, mode);
}

TEST_F_TIMEOUT(commit, limit_ratio_50, 120)
{
	ASSERT_EQ(0, write_sysctl("overcommit_ratio", "50"));
	check_sources(_metadata, variant->exported_only);
	check_all_modes(_metadata, "ratio 50");
}

TEST_F_TIMEOUT(commit, limit_ratio_0, 120)
{
	ASSERT_EQ(0, write_sysctl("overcommit_ratio", "0"));
	check_all_modes(_metadata, "ratio 0");
}

TEST_F_TIMEOUT(commit, limit_ratio_100, 120)
{
	ASSERT_EQ(0, write_sysctl("overcommit_ratio", "100"));
	check_all_modes(_metadata, "ratio 100");
}

TEST_F_TIMEOUT(commit, limit_kbytes, 120)
{
	/* Setting kbytes zeroes the ratio: the kbytes branch is taken. */
	ASSERT_EQ(0, write_sysctl("overcommit_kbytes", "300001"));
	EXPECT_EQ(0, sysctl_val("overcommit_ratio"));
	check_all_modes(_metadata, "kbytes 300001");
}

TEST_F_TIMEOUT(commit, limit_hugetlb, 120)
{
	long long total;

	ASSERT_EQ(0, write_sysctl("overcommit_ratio", "50"));
	ASSERT_EQ(0, write_sysctl("nr_hugepages", "16"));
	self->hugetlb_set = 1;
	total = MEMINFO("HugePages_Total");
	TH_LOG("HugePages_Total %lld, Hugetlb %lld kB", total,
	       MEMINFO("Hugetlb"));
	ASSERT_GT(total, 0) TH_LOG("no huge page could be reserved");
	EXPECT_GT(COMMITV(OOMLENS_COMMIT_HUGETLB), 0);
	check_all_modes(_metadata, "hugetlb 16");
	ASSERT_EQ(0, write_sysctl("overcommit_ratio", "100"));
	check_all_modes(_metadata, "hugetlb 16 ratio 100");
	ASSERT_EQ(0, write_sysctl("nr_hugepages", "0"));
}

static int zram_swap_on(void)
{
	if (access("/sys/block/zram0/disksize", W_OK))
		return -1;
	if (olt_write("/sys/block/zram0/disksize", "64M"))
		return -1;
	if (system("mkswap /dev/zram0 >/dev/null 2>&1"))
		return -1;
	return system("swapon /dev/zram0") ? -1 : 0;
}

TEST_F_TIMEOUT(commit, limit_swap, 120)
{
	ASSERT_EQ(0, write_sysctl("overcommit_ratio", "50"));
	ASSERT_EQ(0, zram_swap_on());
	self->swap_on = 1;
	ASSERT_GT(MEMINFO("SwapTotal"), 0);
	EXPECT_GT(COMMITV(OOMLENS_COMMIT_SWAP), 0);
	check_all_modes(_metadata, "swap 64M");
	/* All terms at once: swap, huge pages, then kbytes with swap. */
	ASSERT_EQ(0, write_sysctl("nr_hugepages", "8"));
	self->hugetlb_set = 1;
	check_all_modes(_metadata, "swap + hugetlb 8");
	ASSERT_EQ(0, write_sysctl("overcommit_kbytes", "123457"));
	check_all_modes(_metadata, "swap + kbytes 123457");
	ASSERT_EQ(0, write_sysctl("nr_hugepages", "0"));
	ASSERT_EQ(0, write_sysctl("overcommit_ratio", "50"));
	ASSERT_EQ(0, system("swapoff /dev/zram0"));
	self->swap_on = 0;
	olt_write("/sys/block/zram0/reset", "1");
	EXPECT_EQ(0, COMMITV(OOMLENS_COMMIT_SWAP));
	check_limit(_metadata, "swap off again", 0);
}

/*
 * Committed_AS and committed_kb are both vm_memory_committed(), an exact
 * sum of the per-cpu counter: no batch error between them.  They can only
 * differ by what was committed between the two reads.  When nothing
 * changed (the meminfo reads before and after agree) they must be equal.
 */
TEST_F_TIMEOUT(commit, committed_idle_exact, 120)
{
	int i, stable = 0;

	for (i = 0; i < 100 && stable < 5; i++) {
		long long before = MEMINFO("Committed_AS");
		long long ours = COMMITV(OOMLENS_COMMIT_COMMITTED_KB);
		long long after = MEMINFO("Committed_AS");

		if (before != after)
			continue;
		stable++;
		EXPECT_EQ(before, ours);
		EXPECT_EQ(ours / 4, COMMITV(OOMLENS_COMMIT_COMMITTED));
	}
	EXPECT_EQ(5, stable) TH_LOG("Committed_AS never stable over 100 tries");
}

/*
 * Under load: a child maps and unmaps 1 MiB (256 pages) in a loop, so the
 * true total moves between X and X + 1024 kB; any two reads differ by at
 * most that.  The batch error (committed_error_pages) concerns only the
 * kernel's global part, which neither file shows.
 */
#define LOAD_KB 1024

TEST_F_TIMEOUT(commit, committed_under_load, 120)
{
	long long worst = 0, batch, err, present = 0, ram, min, sized;
	pid_t pid;
	int i;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		for (;;) {
			void *p = mmap(NULL, LOAD_KB << 10,
				       PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p != MAP_FAILED)
				munmap(p, LOAD_KB << 10);
		}
	}
	for (i = 0; i < 300; i++) {
		long long m = MEMINFO("Committed_AS");
		long long ours = COMMITV(OOMLENS_COMMIT_COMMITTED_KB);
		long long d = m > ours ? m - ours : ours - m;

		if (d > worst)
			worst = d;
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	TH_LOG("largest difference under load: %lld kB (bound %d kB)", worst,
	       LOAD_KB);
	EXPECT_LE(worst, LOAD_KB);

	/* The batch: vm_committed_as_batch, or mm_compute_batch() redone. */
	batch = COMMITV(OOMLENS_COMMIT_BATCH);
	err = COMMITV(OOMLENS_COMMIT_ERROR);
	if (!slurp("/sys/devices/system/cpu/present")) {
		int a, b;

		if (sscanf(fbuf, "%d-%d", &a, &b) == 2)
			present = b - a + 1;
		else
			present = 1;
	}
	ASSERT_GT(present, 0);
	ram = MEMINFO("MemTotal") / 4;
	min = present * 2 > 32 ? present * 2 : 32;
	sized = ram / present / 4; /* mode 0 */
	EXPECT_EQ(sized > min ? sized : min, batch);
	EXPECT_EQ(batch * sysconf(_SC_NPROCESSORS_ONLN), err);
}

/*
 * Unloading while readers loop: every read either completes or fails
 * cleanly, an open file keeps the module (rmmod refuses: EBUSY), and the
 * kernel log stays clean (checked by the rig).
 */
TEST_F_TIMEOUT(commit, rmmod_while_reading, 120)
{
	const char *ko = getenv("OOMLENS_KO");
	char cmd[512];
	pid_t pid;
	int i, unloaded = 0, fd;

	if (!ko)
		ko = "/oomlens/oomlens.ko";
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		for (;;) {
			char b[2048];

			fd = open(COMMIT, O_RDONLY);
			if (fd >= 0) {
				while (read(fd, b, 100) > 0)
					;
				close(fd);
			}
			fd = open(OL_DIR "/" OOMLENS_FILE_COMMIT_CHECK, O_RDWR);
			if (fd >= 0) {
				if (write(fd, "4096", 4) == 4)
					while (read(fd, b, 64) > 0)
						;
				close(fd);
			}
		}
	}
	for (i = 0; i < 20; i++) {
		if (!system("rmmod oomlens 2>/dev/null"))
			unloaded++;
		snprintf(cmd, sizeof(cmd), "insmod %s %s 2>/dev/null", ko,
			 olt_exported_only_params(variant->exported_only));
		system(cmd);
		usleep(50000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	TH_LOG("unloaded %d times of 20 with a reader looping", unloaded);
	EXPECT_EQ(0, access(COMMIT, R_OK));

	/* An open file pins the module. */
	fd = open(OL_DIR "/" OOMLENS_FILE_COMMIT_CHECK, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_NE(0, system("rmmod oomlens 2>/dev/null"));
	EXPECT_EQ(4, write(fd, "4096", 4));
	close(fd);
}

OLT_HARNESS_MAIN
