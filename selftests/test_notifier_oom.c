// SPDX-License-Identifier: GPL-2.0
/*
 * A real global OOM: the notifier count grows by at least the number of
 * "invoked oom-killer" reports the kernel logged, by exactly the number of
 * out_of_memory() calls the module's probe saw (two hooks of the kernel,
 * the OOM notifier chain and a kretprobe on out_of_memory(), counting the
 * same calls; test_oom_storm_mixed checks the probe's count against the
 * kernel's own), and the process the kernel says it killed is the one
 * that died.  Calls and reports differ when a call kills nothing: the
 * dying hog allocating again, or a victim still exiting (seen on the debug
 * kernel).
 *
 * One OOM at a time, with one allocating process (oom_score_adj 1000, so it
 * is the victim), and well under the kernel's report rate limit (10 per
 * 5 s), so every OOM is reported.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "oomlens_test.h"

#define ROUNDS 3

FIXTURE(global_oom)
{
	int unused;
};

FIXTURE_SETUP(global_oom)
{
	ASSERT_EQ(0, olt_oom_sysctls());
}

FIXTURE_TEARDOWN(global_oom)
{
	olt_sysctl_restore_all();
}

/* Each round is a global OOM: about 12 s under TCG on a busy host. */
TEST_F_TIMEOUT(global_oom, notifier_count_equals_kernel_reports, 180)
{
	int round;

	for (round = 0; round < ROUNDS; round++) {
		struct olt_kmsg k;
		long long before, after, inv_before, inv_after;
		char killed[64];
		const char *t;
		int invoked = 0, found = 0, sig;
		pid_t pid;

		ASSERT_EQ(0, olt_kmsg_open(&k));
		before = olt_stat(OOMLENS_STAT_NOTIFIER_CALLS);
		inv_before = olt_stat(OOMLENS_STAT_OOM_INVOCATIONS);
		pid = olt_hog("-a 1000");
		ASSERT_GT(pid, 0);
		sig = olt_wait_signal(pid);
		EXPECT_EQ(SIGKILL, sig);
		usleep(200000); /* let the OOM reaper finish */
		after = olt_stat(OOMLENS_STAT_NOTIFIER_CALLS);
		inv_after = olt_stat(OOMLENS_STAT_OOM_INVOCATIONS);

		snprintf(killed, sizeof(killed), "Killed process %d (hog)",
			 pid);
		while ((t = olt_kmsg_next(&k))) {
			if (strstr(t, "invoked oom-killer:"))
				invoked++;
			if (strstr(t, killed))
				found++;
		}
		olt_kmsg_close(&k);
		TH_LOG("round %d: notifier %lld -> %lld, probe's out_of_memory() calls %lld -> %lld, kernel reports %d",
		       round, before, after, inv_before, inv_after, invoked);
		EXPECT_GE(invoked, 1);
		EXPECT_GE(after - before, invoked);
		EXPECT_EQ(inv_after - inv_before, after - before);
		EXPECT_EQ(1, found) TH_LOG("no '%s' in the kernel log", killed);
	}
}

OLT_HARNESS_MAIN
