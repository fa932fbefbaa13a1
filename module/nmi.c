// SPDX-License-Identifier: GPL-2.0
/*
 * What the probe handlers may do in every context they can run in.
 *
 * A kprobe at a function's entry is ftrace-based where the kernel has
 * KPROBES_ON_FTRACE (Debian's kernels): its handler runs in the probed
 * task's context with preemption disabled.  Without it (a kernel without
 * the function tracer, or an address that is no ftrace site) the kprobe is
 * an int3 breakpoint, and x86 runs a kernel-mode int3 handler as an NMI
 * (exc_int3() -> irqentry_nmi_enter()) until the kprobe is jump-optimized,
 * if ever.  A kretprobe's return handler runs from the rethook trampoline,
 * never in NMI context.  So every handler follows the NMI rules:
 *
 * - clocks: only ktime_get_{mono,boot,real}_fast_ns(); ktime_get*() read
 *   the timekeeper under a seqcount, which an NMI may have interrupted
 *   (lockdep: "inconsistent {INITIAL USE} -> {IN-NMI} usage");
 * - locks: in NMI context only trylocks.  lockdep reports any other
 *   acquisition of a lock that is also used outside NMI context, and rightly
 *   in general: the interrupted code may hold it.  Here that cannot happen:
 *   out_of_memory(), oom_kill_process() and __oom_kill_process() run in
 *   process context, may sleep, and are never called with a spinlock held;
 *   mark_oom_victim() is called with the victim's task_lock() held, and its
 *   handler takes only the table's raw lock, under which no task_lock() is
 *   taken.  So the CPU a handler interrupts holds none of the locks a
 *   handler may take, and a failed trylock means that another CPU is inside
 *   a short critical section.  The helpers spin on trylock for a bounded number of rounds;
 *   a lock they cannot get is counted in probe_nmi_lock_dropped and the
 *   handler leaves out what needed it: it never waits forever;
 * - no lock the handler cannot trylock itself: the kernel's
 *   oom_badness() (task_lock()) and kernfs_path_from_node() (the kernfs
 *   rename lock) are never called in NMI context: the formula path gives the
 *   points, and cgroup paths are resolved in the return handler from a
 *   reference taken with css_tryget() (percpu_ref, NMI-safe);
 * - on PREEMPT_RT a spinlock_t (task_lock(), the kernfs rename lock) is a
 *   sleeping lock, which a handler, running with preemption disabled, must
 *   not take, not even by trylock: oomlens_spinlock_allowed() says where
 *   one may be taken, and the handlers leave out what needs one (design.rst,
 *   "PREEMPT_RT");
 * - task->comm is copied without task_lock(), as dump_tasks() reads it;
 * - no printk, no allocation, no sleeping (any context); irq_work_queue()
 *   and atomics are NMI-safe.
 *
 * The counts: probe_nmi_calls (handler runs in NMI context: the int3
 * path was taken) and probe_nmi_lock_dropped (must stay 0).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hardirq.h>
#include <linux/preempt.h>
#include <linux/processor.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "nmi.h"
#include "stats.h"

/*
 * Trylock rounds before giving up: each is a cpu_relax() (a PAUSE) and a
 * cache-line read, so this is milliseconds, far longer than any critical
 * section of these locks (a ring slot's memcpy, a task's mm pointer).
 */
#define OOMLENS_NMI_TRYLOCK_ROUNDS 100000

/**
 * oomlens_handler_enter - account a probe handler's run
 *
 * Call first in every handler.
 */
void oomlens_handler_enter(void)
{
	if (in_nmi())
		oomlens_stat_inc(OOMLENS_ST_PROBE_NMI_CALLS);
}

static void lock_dropped(void)
{
	oomlens_stat_inc(OOMLENS_ST_PROBE_NMI_LOCK_DROPPED);
}

/*
 * Lock @lock with interrupts saved; in NMI context by bounded trylock.
 * Returns false, not holding it, when it could not be had.
 */
bool oomlens_handler_raw_lock(raw_spinlock_t *lock, unsigned long *flags)
{
	int i;

	if (!in_nmi()) {
		raw_spin_lock_irqsave(lock, *flags);
		__release(lock);
		return true;
	}
	for (i = 0; i < OOMLENS_NMI_TRYLOCK_ROUNDS; i++) {
		if (raw_spin_trylock_irqsave(lock, *flags)) {
			__release(lock);
			return true;
		}
		cpu_relax();
	}
	lock_dropped();
	return false;
}

/**
 * oomlens_spinlock_allowed - may a spinlock_t be taken here?
 *
 * Always, but in NMI context only by trylock (oomlens_handler_task_lock());
 * on PREEMPT_RT, where spinlock_t sleeps, only where sleeping is allowed:
 * never in a probe handler, which runs with preemption disabled.  A read of
 * a debugfs file may (under rcu_read_lock(), preemptible on PREEMPT_RT).
 */
bool oomlens_spinlock_allowed(void)
{
	return !IS_ENABLED(CONFIG_PREEMPT_RT) || preemptible();
}

/*
 * task_lock(@t); in NMI context by bounded trylock.  Returns false, not
 * holding it, when it could not be had, or on PREEMPT_RT where it may not
 * be taken (oomlens_spinlock_allowed(); the callers in handlers check that
 * first and say what they left out).
 */
bool oomlens_handler_task_lock(struct task_struct *t)
{
	int i;

	if (!oomlens_spinlock_allowed())
		return false;
	if (!in_nmi()) {
		task_lock(t);
		__release(&t->alloc_lock);
		return true;
	}
	for (i = 0; i < OOMLENS_NMI_TRYLOCK_ROUNDS; i++) {
		if (spin_trylock(&t->alloc_lock)) {
			__release(&t->alloc_lock);
			return true;
		}
		cpu_relax();
	}
	lock_dropped();
	return false;
}

/**
 * oomlens_copy_comm - @t's comm without task_lock()
 * @dst: TASK_COMM_LEN bytes
 * @t: the task
 *
 * As dump_tasks() prints it (and get_task_comm() from 6.13 on copies it):
 * a rename racing the copy can mix the two names, the result is always
 * terminated.
 */
void oomlens_copy_comm(char *dst, struct task_struct *t)
{
	memcpy(dst, t->comm, TASK_COMM_LEN);
	dst[TASK_COMM_LEN - 1] = '\0';
}
