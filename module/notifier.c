// SPDX-License-Identifier: GPL-2.0
/*
 * The OOM notifier.  out_of_memory() calls the chain for global OOMs only,
 * with oom_lock held and before the constraint or the victim is known; the
 * argument is a pointer to the "freed" page count, which we never touch: we
 * observe, we do not avert.  The machine is out of memory when this runs, so
 * nothing here allocates.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/notifier.h>
#include <linux/oom.h>
#include <linux/timekeeping.h>

#include "oomlens.h"

static int oomlens_oom_notify(struct notifier_block *nb, unsigned long action,
			      void *freed)
{
	struct oomlens_stats *s = &oomlens_stats;
	u64 start = ktime_get_ns();

	atomic64_inc(&s->notifier_calls);

	oomlens_stats_time(&s->notifier_last_ns, &s->notifier_max_ns,
			   &s->notifier_total_ns, ktime_get_ns() - start);
	return NOTIFY_OK;
}

static struct notifier_block oomlens_oom_nb = {
	.notifier_call = oomlens_oom_notify,
};

int oomlens_notifier_register(void)
{
	return register_oom_notifier(&oomlens_oom_nb);
}

/* Waits for a notifier call in flight: the chain is an rwsem. */
void oomlens_notifier_unregister(void)
{
	unregister_oom_notifier(&oomlens_oom_nb);
}
