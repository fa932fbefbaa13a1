// SPDX-License-Identifier: GPL-2.0
/*
 * The OOM notifier.  out_of_memory() calls the chain for global OOMs only,
 * with oom_lock held and before the constraint or the victim is known; the
 * argument is a pointer to the "freed" page count, which we never change:
 * we observe, we do not avert.  The machine is out of memory when this runs,
 * so nothing here allocates.
 *
 * We register with the lowest priority so that we run last and see the
 * chain's final "freed" count: when the probes are attached, that count is
 * handed to the event in flight (it decides the "notifier_freed" outcome).
 * Without the probes, the notifier records the event itself: global OOMs
 * only, with what can be known before out_of_memory() decides anything
 * (the allocating task, a constraint inferred from its cpuset and
 * mempolicy); the event is marked inferred and its outcome is unknown.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/limits.h>
#include <linux/notifier.h>
#include <linux/oom.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "capture.h"
#include "domain.h"
#include "event.h"
#include "notifier.h"
#include "probes.h"
#include "stats.h"

/* The notifier's own event, for when the probes are not attached. */
static struct oomlens_event *notifier_ev;
static atomic_t notifier_ev_busy;

static void record_from_notifier(void)
{
	oomlens_stat_inc(OOMLENS_ST_OOM_INVOCATIONS);
	/* oom_lock serialises us; never wait if that ever changes. */
	if (!notifier_ev || atomic_cmpxchg(&notifier_ev_busy, 0, 1)) {
		oomlens_stat_inc(OOMLENS_ST_EVENTS_MISSED);
		return;
	}
	oomlens_capture_start(notifier_ev, NULL);
	oomlens_capture_inferred(notifier_ev);
	oomlens_domain_capture(notifier_ev, NULL);
	oomlens_capture_snapshot(notifier_ev, NULL);
	oomlens_capture_cand_memcgs(notifier_ev);
	notifier_ev->outcome = OOMLENS_OUT_UNKNOWN;
	oomlens_event_commit(notifier_ev);
	atomic_set(&notifier_ev_busy, 0);
}

static int oomlens_oom_notify(struct notifier_block *nb, unsigned long action,
			      void *freed)
{
	u64 start = ktime_get_ns();

	oomlens_stat_inc(OOMLENS_ST_NOTIFIER_CALLS);
	if (!oomlens_probes_notified(*(unsigned long *)freed) &&
	    !oomlens_probes_active())
		record_from_notifier();

	oomlens_stat_time(OOMLENS_TIMER_NOTIFIER, ktime_get_ns() - start);
	return NOTIFY_OK;
}

static struct notifier_block oomlens_oom_nb = {
	.notifier_call = oomlens_oom_notify,
	.priority = INT_MIN,
};

int __init oomlens_notifier_register(void)
{
	int ret;

	if (!oomlens_probes_active()) {
		notifier_ev = kzalloc(oomlens_event_bytes(), GFP_KERNEL);
		if (!notifier_ev)
			return -ENOMEM;
		oomlens_stat_add(OOMLENS_ST_PREALLOC_BYTES,
				 oomlens_event_bytes());
	}
	ret = register_oom_notifier(&oomlens_oom_nb);
	if (ret) {
		kfree(notifier_ev);
		notifier_ev = NULL;
	}
	return ret;
}

/* Waits for a notifier call in flight: the chain is an rwsem. */
void oomlens_notifier_unregister(void)
{
	unregister_oom_notifier(&oomlens_oom_nb);
	kfree(notifier_ev);
	notifier_ev = NULL;
}
