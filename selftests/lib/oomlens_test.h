/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the oomlens C selftests: reading files, the module's
 * stats, the kernel log, sysctls, and making processes and OOMs.
 */
#ifndef OOMLENS_TEST_H
#define OOMLENS_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "oomlens_abi.h"

#define OL_DIR OOMLENS_DEFAULT_DIR

/* Whole file as a malloc'd string, or NULL (errno set). */
char *olt_read(const char *path);
/* Write a string to a file; 0 or -errno. */
int olt_write(const char *path, const char *s);
/* A decimal number from a file; 0 or -errno. */
int olt_read_long(const char *path, long long *v);

/* Value of "key" in a flat-keyed file ("key value" lines); 0 or -errno. */
int olt_keyed(const char *path, const char *key, long long *v);
/* The same, from the oomlens "stats" file; aborts the test if missing. */
long long olt_stat(const char *key);

/*
 * The number after "key:" on a line of a /proc file such as meminfo or
 * <pid>/status ("MemTotal:   N kB", "CapEff:\tHEX", "Uid:\tN\t..."), in this
 * base; -1 if the file or the key is missing.
 */
long long olt_proc_field(const char *path, const char *key, int base);
/* A /proc/meminfo value in kB, or -1. */
long long olt_meminfo_kb(const char *key);
/* A /proc/<pid>/status value in this base, or -1. */
long long olt_status_field(pid_t pid, const char *key, int base);

/* The environment variable name as a number (strtol base 0), or def. */
long olt_env_long(const char *name, long def);

/* (Re)load the module with these parameters ("" for defaults); 0 or -1. */
int olt_module_reload(const char *params);
/* The module parameters of exported_only=0 or 1 ("" for the default). */
const char *olt_exported_only_params(int exported_only);
/*
 * (Re)load it with exported_only=0 or 1; 0 if it loaded and its stats say
 * that exported_only, -1 otherwise.
 */
int olt_module_reload_exported_only(int exported_only);

/*
 * The variants of a fixture whose tests hold on both symbol paths of the
 * module: "kallsyms", loaded by default (the kernel's own functions, found
 * by kallsyms), and "exported_only", loaded with exported_only=1 (exported
 * symbols only: the module's own formulas).  variant->exported_only says
 * which; FIXTURE_SETUP loads it with olt_module_reload_exported_only().
 * Use after including kselftest_harness.h.
 */
#define OLT_EXPORTED_ONLY_VARIANTS(fixture)         \
	FIXTURE_VARIANT(fixture)                    \
	{                                           \
		int exported_only;                  \
	};                                          \
	FIXTURE_VARIANT_ADD(fixture, kallsyms){     \
		.exported_only = 0,                 \
	};                                          \
	FIXTURE_VARIANT_ADD(fixture, exported_only) \
	{                                           \
		.exported_only = 1,                 \
	}
/*
 * Load $OOMLENS_KO with default parameters by finit_module() itself, no
 * insmod (for tests that load and unload many times); 0 or -errno.
 */
int olt_module_load(void);

/* CLOCK_MONOTONIC in seconds. */
double olt_now(void);

/* sysctl save/set/restore: olt_sysctl_set saves the first old value. */
int olt_sysctl_set(const char *path, const char *value);
void olt_sysctl_restore_all(void);
/*
 * What every test that causes OOMs wants: vm.overcommit_memory=1 (no
 * allocation refused before the OOM killer), panic_on_oom=0 and
 * oom_kill_allocating_task=0 (the victim is chosen by badness), saved for
 * olt_sysctl_restore_all(), and no swap (an OOM comes quickly and
 * deterministically).  0, or -errno of the first sysctl that failed.
 */
int olt_oom_sysctls(void);
/*
 * What the tests of the commit accounting start from: the heuristic mode
 * (vm.overcommit_memory=0), overcommit_ratio 50 and no overcommit_kbytes,
 * saved in an order that restores the mode first.  0 or -errno.
 */
int olt_commit_sysctls(void);

/*
 * The kernel log from now on.  olt_kmsg_open() positions after the last
 * record; olt_kmsg_next() returns the text of the next record (without the
 * "prio,seq,...;" prefix), or NULL when none is left.
 */
struct olt_kmsg {
	int fd;
	char rec[8192];
};
int olt_kmsg_open(struct olt_kmsg *k);
const char *olt_kmsg_next(struct olt_kmsg *k);
void olt_kmsg_close(struct olt_kmsg *k);
/* Count the records containing "needle" from the cursor to the end. */
int olt_kmsg_count(struct olt_kmsg *k, const char *needle);

/*
 * Start hog (see progs/hog.c) with these arguments; with -m it waits for
 * "ready".  Returns the pid, or -1.
 */
pid_t olt_hog(const char *args);
/*
 * The same, with prep(arg) run in the child before it execs hog (to set
 * its memory policy, oom_score_adj or cgroup, or to wait for a go); a
 * child whose prep fails exits 126.
 */
pid_t olt_hog_spawn(const char *args, int (*prep)(void *arg), void *arg);
/* Wait for pid; returns the signal that killed it, 0 if it exited, -1. */
int olt_wait_signal(pid_t pid);
/*
 * Kill every process in the cgroup at dir (cgroup.kill) and remove it,
 * waiting up to 5 s for the killed processes to let go of it.
 */
void olt_cgroup_remove(const char *dir);

/*
 * A figure of a stress or fuzz test, for the VM run's summary
 * (vm/figures.sh): "# figure: NAME: VALUE" on stdout, the only lines the
 * summary reads.
 */
void olt_figure(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The factor of every test's timeout: OOMLENS_TIMEOUT_SCALE, an integer
 * from 1 to 20 (default 1).  A test's timeout guards against a hang; the
 * debug kernels (make check-debug) run the same tests several times slower.
 * Any other value ends the program with a message naming it.
 */
int olt_timeout_scale(void);

/*
 * TEST_HARNESS_MAIN, with every test's timeout multiplied by
 * olt_timeout_scale() first (the harness' list is static to the test's
 * file, hence a macro).
 */
#define OLT_HARNESS_MAIN                                   \
	int main(int argc, char **argv)                    \
	{                                                  \
		struct __fixture_metadata *f;              \
		struct __test_metadata *t;                 \
		int k = olt_timeout_scale();               \
                                                           \
		for (f = __fixture_list; f; f = f->next)   \
			for (t = f->tests; t; t = t->next) \
				t->timeout *= k;           \
		return test_harness_run(argc, argv);       \
	}

#endif
