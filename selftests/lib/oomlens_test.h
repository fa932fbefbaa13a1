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

/* (Re)load the module with these parameters ("" for defaults); 0 or -1. */
int olt_module_reload(const char *params);
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
/* Wait for pid; returns the signal that killed it, 0 if it exited, -1. */
int olt_wait_signal(pid_t pid);
/*
 * Kill every process in the cgroup at dir (cgroup.kill) and remove it,
 * waiting up to 5 s for the killed processes to let go of it.
 */
void olt_cgroup_remove(const char *dir);

#endif
