/* SPDX-License-Identifier: GPL-2.0 */
/*
 * select.c: the one mirror of the kernel's candidate selection
 * (select_bad_process() and oom_evaluate_task(), mm/oom_kill.c), shared by
 * the OOM-time snapshot (capture.c) and the prediction (predict.c).
 * Atomic-safe: no sleeping, no allocation; call under rcu_read_lock().
 */
#ifndef OOMLENS_SELECT_H
#define OOMLENS_SELECT_H

#include <linux/nodemask.h>
#include <linux/types.h>

struct task_struct;

/* What oom_evaluate_task() does with a task before its badness. */
enum oomlens_select_verdict {
	OOMLENS_SELECT_SKIP, /* oom_unkillable_task(), or a reaped victim */
	OOMLENS_SELECT_ABORT, /* an OOM victim still exiting: stop */
	OOMLENS_SELECT_ORIGIN, /* oom_task_origin(): LONG_MAX, chosen */
	OOMLENS_SELECT_BADNESS, /* ranked by oom_badness() */
};

enum oomlens_select_verdict oomlens_select_check(struct task_struct *p);
bool oomlens_select_replaces(long points, long chosen_points);
bool oomlens_select_cpuset_eligible(struct task_struct *p,
				    const nodemask_t *mask);

#endif /* OOMLENS_SELECT_H */
