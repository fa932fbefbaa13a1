// SPDX-License-Identifier: GPL-2.0
/*
 * Regression test: the probe handlers in NMI context.
 *
 * A complete make check-debug run (2026-12-01) failed on one lockdep report
 * during memcg OOMs: "inconsistent {INITIAL USE} -> {IN-NMI} usage" of the
 * timekeeper's seqcount, taken by ktime_get() in oom_entry(), the
 * kretprobe's entry handler, called from kprobe_int3_handler().  The debug
 * kernel had no function tracer, so its kprobes were int3 breakpoints, and
 * x86 runs a kernel-mode int3 handler as an NMI.  The handlers now follow
 * nmi.c's rules (fast clocks, trylocks in NMI context, cgroup paths
 * resolved in the return handler); this test makes sure the path is taken
 * and the events are still whole:
 *
 *   - kprobe optimization is switched off for the test
 *     (debug.kprobes-optimization 0), so an int3 kprobe stays one;
 *   - each probe's mechanism (stats *_via) is read; with
 *     OOMLENS_EXPECT_PROBES=ftrace|int3 (the check-debug rig sets it per
 *     debug kernel) every probe must use it;
 *   - a memcg OOM and a global OOM, each killing the hog that caused it;
 *   - each event: outcome killed, the hog as victim and as the first
 *     candidate, its memcg path (oom_memcg and victim_memcg, resolved from
 *     a reference in the return handler), time_boot_ns inside the test's
 *     own CLOCK_BOOTTIME bracket (the fast clock is that clock);
 *   - probe_nmi_calls grew by at least the three handlers per OOM when the
 *     probes are int3, not at all otherwise; probe_nmi_lock_dropped and
 *     events_missed did not grow;
 *   - the kernel log of the test has no lockdep, WARNING or BUG report (the
 *     rig's log checker judges the whole run; this names the test).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "oomlens_test.h"
#include "parse_events.h"

#define CG_ROOT "/sys/fs/cgroup"
#define CG_NMI CG_ROOT "/oltnmi"
#define KPROBES_OPT "/proc/sys/debug/kprobes-optimization"

static const char *const via_keys[] = {
	OOMLENS_STAT_PROBE_OOM_VIA,
	OOMLENS_STAT_PROBE_KILL_VIA,
	OOMLENS_STAT_PROBE_KILL_TASK_VIA,
};

/* Reports of the kernel's bug finders that must not appear. */
static const char *const reports[] = {
	"inconsistent lock state",
	"possible recursive locking",
	"possible circular locking",
	"suspicious RCU usage",
	"sleeping function called from invalid context",
	"WARNING:",
	"BUG:",
	"Oops",
};

static long long boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The word value of a stats key, into @val; 0 or -1. */
static int stat_word(const char *key, char *val, size_t len)
{
	char want[128], *b = olt_read(OL_DIR "/" OOMLENS_FILE_STATS), *p;
	int ret = -1;

	snprintf(want, sizeof(want), "\n%s ", key);
	if (b && (p = strstr(b, want))) {
		p += strlen(want);
		snprintf(val, len, "%.*s", (int)strcspn(p, "\n"), p);
		ret = 0;
	}
	free(b);
	return ret;
}

/* This process's cgroup v2 path ("0::<path>" of /proc/self/cgroup). */
static void own_cgroup(char *buf, size_t len)
{
	char *b = olt_read("/proc/self/cgroup"), *p;

	snprintf(buf, len, "?");
	if (b && (p = strstr(b, "0::")))
		snprintf(buf, len, "%.*s", (int)strcspn(p + 3, "\n"), p + 3);
	free(b);
}

static long long num(const struct ol_event *ev, const char *key)
{
	long long v;

	return ol_ev_num(ev, key, &v) ? -999999 : v;
}

/* The newest event after @after whose victim is @pid, copied; 0 or -1. */
static int event_of(struct __test_metadata *_metadata, unsigned long long after,
		    pid_t pid, struct ol_events *evs,
		    const struct ol_event **out)
{
	char err[256], *b = olt_read(OL_DIR "/" OOMLENS_FILE_EVENTS);
	size_t i;

	*out = NULL;
	if (!b)
		return -1;
	if (ol_events_parse(b, 0, 1, evs, NULL, err, sizeof(err))) {
		TH_LOG("events do not parse: %s", err);
		free(b);
		return -1;
	}
	free(b);
	for (i = 0; i < evs->n; i++)
		if (evs->ev[i].seq > after &&
		    num(&evs->ev[i], OOMLENS_EV_VICTIM_PID) == pid)
			*out = &evs->ev[i];
	return *out ? 0 : -1;
}

FIXTURE(nmi)
{
	char via[3][16];
	int int3; /* every probe is int3-based */
	long long nmi_calls, lock_dropped, missed;
	struct olt_kmsg k;
};

FIXTURE_SETUP(nmi)
{
	const char *expect = getenv("OOMLENS_EXPECT_PROBES");
	char path[64];
	size_t i;

	ASSERT_EQ(0, olt_oom_sysctls());
	if (access(KPROBES_OPT, W_OK) == 0)
		ASSERT_EQ(0, olt_sysctl_set(KPROBES_OPT, "0"));
	if (stat_word(OOMLENS_STAT_EVENTS_PATH, path, sizeof(path)) ||
	    strcmp(path, OOMLENS_EVENTS_PATH_PROBES))
		SKIP(return, "the OOM probes are not attached");

	self->int3 = 1;
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, stat_word(via_keys[i], self->via[i],
				       sizeof(self->via[i])))
		TH_LOG("stats has no %s", via_keys[i]);
		TH_LOG("%s %s", via_keys[i], self->via[i]);
		if (strcmp(self->via[i], OOMLENS_PROBE_VIA_INT3))
			self->int3 = 0;
		if (expect && *expect)
			EXPECT_STREQ(expect, self->via[i]);
	}
	self->nmi_calls = olt_stat(OOMLENS_STAT_PROBE_NMI_CALLS);
	self->lock_dropped = olt_stat(OOMLENS_STAT_PROBE_NMI_LOCK_DROPPED);
	self->missed = olt_stat(OOMLENS_STAT_EVENTS_MISSED);
	ASSERT_EQ(0, olt_kmsg_open(&self->k));
}

FIXTURE_TEARDOWN(nmi)
{
	olt_cgroup_remove(CG_NMI);
	olt_sysctl_restore_all();
}

/* One OOM killing the hog that causes it; checks its event. */
static void one_oom(struct __test_metadata *_metadata, const char *hog_args,
		    const char *memcg)
{
	unsigned long long before = olt_stat(OOMLENS_STAT_EVENTS_LAST_SEQ);
	const struct ol_event *ev;
	struct ol_events evs;
	long long t0, t1, t;
	char own[256];
	pid_t pid;

	own_cgroup(own, sizeof(own));
	t0 = boottime_ns();
	pid = olt_hog(hog_args);
	ASSERT_GT(pid, 0);
	EXPECT_EQ(SIGKILL, olt_wait_signal(pid));
	t1 = boottime_ns();
	usleep(200000);
	ASSERT_EQ(0, event_of(_metadata, before, pid, &evs, &ev))
	TH_LOG("no event with victim %d", pid);
	EXPECT_STREQ(OOMLENS_OUTCOME_KILLED, ol_ev_str(ev, OOMLENS_EV_OUTCOME));
	EXPECT_STREQ("hog", ol_ev_str(ev, OOMLENS_EV_VICTIM_COMM));
	EXPECT_STREQ(memcg ? "memcg" : "global",
		     ol_ev_str(ev, OOMLENS_EV_KIND));
	EXPECT_STREQ(memcg ? memcg : "-", ol_ev_str(ev, OOMLENS_EV_OOM_MEMCG));
	/* The hog of a global OOM stays in the test's cgroup. */
	EXPECT_STREQ(memcg ? memcg : own,
		     ol_ev_str(ev, OOMLENS_EV_VICTIM_MEMCG));
	EXPECT_GT(num(ev, OOMLENS_EV_VICTIM_RSS), 0);
	EXPECT_GE(num(ev, OOMLENS_EV_KILL_CALLS), 1);
	t = num(ev, OOMLENS_EV_TIME_BOOT);
	EXPECT_TRUE(t >= t0 && t <= t1)
	TH_LOG("time_boot_ns %lld outside [%lld, %lld]", t, t0, t1);
	ASSERT_GT(ev->ncand, 0);
	EXPECT_EQ(pid, ev->cand[0].pid);
	EXPECT_EQ(pid, num(ev, OOMLENS_EV_PREDICTED));
	ol_events_free(&evs);
}

TEST_F_TIMEOUT(nmi, memcg_and_global_oom_in_probe_context, 300)
{
	long long calls, dropped, missed;
	const char *t;
	size_t i;
	int bad = 0;

	olt_write(CG_ROOT "/cgroup.subtree_control", "+memory");
	olt_cgroup_remove(CG_NMI);
	ASSERT_EQ(0, mkdir(CG_NMI, 0755));
	ASSERT_EQ(0, olt_write(CG_NMI "/memory.max", "32M"));
	ASSERT_EQ(0, olt_write(CG_NMI "/memory.swap.max", "0"));
	one_oom(_metadata, "-c " CG_NMI, "/oltnmi");
	/* Stay under the kernel's report rate limit (10 per 5 s). */
	sleep(1);
	one_oom(_metadata, "-a 1000", NULL);

	calls = olt_stat(OOMLENS_STAT_PROBE_NMI_CALLS) - self->nmi_calls;
	dropped = olt_stat(OOMLENS_STAT_PROBE_NMI_LOCK_DROPPED) -
		  self->lock_dropped;
	missed = olt_stat(OOMLENS_STAT_EVENTS_MISSED) - self->missed;
	olt_figure(
		"probes in NMI context",
		"probes %s/%s/%s, handler runs in NMI %lld, locks dropped %lld",
		self->via[0], self->via[1], self->via[2], calls, dropped);
	/* Per OOM: out_of_memory, oom_kill_process, __oom_kill_process. */
	if (self->int3) {
		EXPECT_GE(calls, 6);
	} else if (strcmp(self->via[0], OOMLENS_PROBE_VIA_INT3) &&
		   strcmp(self->via[1], OOMLENS_PROBE_VIA_INT3) &&
		   strcmp(self->via[2], OOMLENS_PROBE_VIA_INT3)) {
		EXPECT_EQ(0, calls);
	}
	EXPECT_EQ(0, dropped);
	EXPECT_EQ(0, missed);

	while ((t = olt_kmsg_next(&self->k))) {
		for (i = 0; i < sizeof(reports) / sizeof(reports[0]); i++) {
			if (strstr(t, reports[i])) {
				TH_LOG("kernel log: %.200s", t);
				bad++;
			}
		}
	}
	olt_kmsg_close(&self->k);
	EXPECT_EQ(0, bad);
}

OLT_HARNESS_MAIN
