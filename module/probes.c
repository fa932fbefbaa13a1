// SPDX-License-Identifier: GPL-2.0
/*
 * Probes that see every out_of_memory() call, global and memcg.
 *
 * - A kretprobe on out_of_memory(): the entry handler starts an event in
 *   the kretprobe instance's own data (preallocated by register_kretprobe())
 *   with the allocation context from the struct oom_control (first
 *   argument); the return handler finishes it with the constraint, the
 *   totalpages and the outcome, and commits it to the ring.  The caller's
 *   oom_control is on the caller's stack, alive until out_of_memory()
 *   returns, so the return handler may still read it.
 * - A kprobe on oom_kill_process() entry: the only point where oc is
 *   complete (constraint, totalpages, chosen, chosen_points) and the victim
 *   is referenced; oc->chosen may be released by the time out_of_memory()
 *   returns, so the victim's identity is copied here.
 * - A kprobe on __oom_kill_process() entry: counts its calls (the victim,
 *   and the members of an oom.group).  Without a call the chosen victim was
 *   already exiting and was only given reserves.
 * - A kprobe on mark_oom_victim() entry: counts the kills as the kernel
 *   counts them.  __oom_kill_process() returns early, without a kill, for a
 *   task none of whose threads still has an mm; otherwise it counts OOM_KILL
 *   (/proc/vmstat oom_kill, memory.events oom_kill) and calls
 *   mark_oom_victim() once for the task it killed.  So a mark_oom_victim()
 *   after a __oom_kill_process() entry, in the same OOM, is one counted kill
 *   (its argument is the thread the kernel names in "Killed process").  Its
 *   other callers, out_of_memory() and oom_kill_process() on an exiting
 *   task, come before any __oom_kill_process() call and are not kills.
 *   Processes that share the victim's mm get SIGKILL from the victim's
 *   __oom_kill_process() without a count, in the kernel and here.
 *
 * oom_kill_process() and __oom_kill_process() run in the task that called
 * out_of_memory(), so the event is found by looking up current (or oc) in
 * a small table of OOMs in flight.  out_of_memory() is serialised by
 * oom_lock in 6.1 and 6.12, but nothing here relies on it: the table has a
 * raw spinlock and room for OOMLENS_MAX_INFLIGHT concurrent calls, the
 * kretprobe's maxactive.  A call that finds no free instance is counted in
 * events_missed (kretprobe nmissed), so no call goes unaccounted.
 *
 * Each OOM in flight owns one slot of a pool allocated at load: the event
 * being built (with its candidates: 64 + 1952 + 80 bytes per candidate) and
 * the victim's memcg reference.  The kretprobe instance's own data is only
 * a pointer to the slot, so its size does not grow with snapshot_size
 * (register_kretprobe() refuses more than KRETPROBE_MAX_DATA_SIZE).
 *
 * Handlers run with preemption disabled, and in NMI context where a probe is
 * an int3 breakpoint: they follow the rules of nmi.c (fast clocks, bounded
 * trylocks in NMI context, no kernel function that takes a lock); no
 * allocation, no sleeping, no printk.  Cgroup paths are resolved in the
 * return handler, which never runs in NMI context: the victim's memcg is
 * held by a reference (the slot's held_css) from oom_kill_process() entry to
 * out_of_memory()'s return.
 *
 * On PREEMPT_RT task_lock() and the kernfs rename lock are sleeping locks,
 * and the handlers run with preemption disabled: there they take neither
 * (oomlens_spinlock_allowed()).  The candidates' rows keep their points
 * (the kernel's evaluation needs no lock) without rss, swap and pgtables,
 * the walk is not made, the victim's rss is read in mark_oom_victim()'s
 * handler under the kernel's own task_lock(), and the cgroup paths of
 * cgroup v2 need no lock (memcg.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/oom.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>

#include "capture.h"
#include "domain.h"
#include "evaluation.h"
#include "event.h"
#include "nmi.h"
#include "oomlens_abi.h"
#include "probes.h"
#include "stats.h"

static bool oomlens_probes = true;
module_param_named(probes, oomlens_probes, bool, 0444);
/* clang-format off */
MODULE_PARM_DESC(probes,
		 "Attach kprobes to out_of_memory and oom_kill_process; N: the OOM notifier alone, global OOMs only, constraint inferred (default: Y)");
/* clang-format on */

#define OOMLENS_MAX_INFLIGHT 16
static_assert(OOMLENS_MAX_INFLIGHT <= OOMLENS_EVAL_SLOTS);

/*
 * One OOM in flight.  busy, task and held_css change under inflight_lock;
 * the rest belongs to the task of the OOM (its handlers run in it).
 */
struct inflight {
	bool busy;
	struct task_struct *task;
	struct cgroup_subsys_state *held_css; /* the victim's memcg, held */
	struct oom_control *oc;
	bool victim_before; /* current was an OOM victim on entry */
	bool notified; /* our OOM notifier ran for this call */
	bool in_kill; /* __oom_kill_process() entered, no kill seen yet */
	unsigned long freed; /* pages the notifier chain reported */
	u64 kill_nmissed; /* the kill probes' nmissed at entry */
	struct oomlens_event *ev; /* oomlens_event_bytes(), in pool_events */
};

/* The kretprobe instance's data: which slot its call owns. */
struct oom_rp_data {
	struct inflight *in;
};

static_assert(sizeof(struct oom_rp_data) <= KRETPROBE_MAX_DATA_SIZE);

static DEFINE_RAW_SPINLOCK(inflight_lock);
static struct inflight inflight[OOMLENS_MAX_INFLIGHT];
static void *pool_events; /* OOMLENS_MAX_INFLIGHT events */

enum probe_state {
	PROBE_OFF,
	PROBE_ATTACHED,
	PROBE_FAILED,
	PROBE_REFUSED, /* an ABI word no probe uses since PREEMPT_RT attaches */
	PROBE_NR
};

static const char *const probe_state_name[] = {
	[PROBE_OFF] = OOMLENS_PROBE_OFF,
	[PROBE_ATTACHED] = OOMLENS_PROBE_ATTACHED,
	[PROBE_FAILED] = OOMLENS_PROBE_FAILED,
	[PROBE_REFUSED] = OOMLENS_PROBE_REFUSED,
};

static_assert(ARRAY_SIZE(probe_state_name) == PROBE_NR);
static_assert(OOMLENS_WORDS_NR(OOMLENS_PROBE_STATE_WORDS) == PROBE_NR);

static int oom_entry(struct kretprobe_instance *ri, struct pt_regs *regs);
static int oom_return(struct kretprobe_instance *ri, struct pt_regs *regs);
static int kill_entry(struct kprobe *kp, struct pt_regs *regs);
static int kill_task_entry(struct kprobe *kp, struct pt_regs *regs);
static int mark_entry(struct kprobe *kp, struct pt_regs *regs);

static struct kretprobe oom_rp = {
	.kp.symbol_name = "out_of_memory",
	.entry_handler = oom_entry,
	.handler = oom_return,
	.maxactive = OOMLENS_MAX_INFLIGHT,
};

static struct kprobe kill_kp = {
	.symbol_name = "oom_kill_process",
	.pre_handler = kill_entry,
};

static struct kprobe kill_task_kp = {
	.symbol_name = "__oom_kill_process",
	.pre_handler = kill_task_entry,
};

static struct kprobe mark_kp = {
	.symbol_name = "mark_oom_victim",
	.pre_handler = mark_entry,
};

static enum probe_state oom_rp_state, kill_kp_state, kill_task_kp_state;
static enum probe_state mark_kp_state;
static int probe_error, mark_error;
/* Set before the probes go: no event started or finished after it is kept. */
static bool probes_stopping;

/* Hits of the kill probes that found the CPU busy in another kprobe. */
static u64 kill_nmissed(void)
{
	u64 n = READ_ONCE(kill_kp.nmissed) + READ_ONCE(kill_task_kp.nmissed);

	if (mark_kp_state == PROBE_ATTACHED)
		n += READ_ONCE(mark_kp.nmissed);
	return n;
}

/*
 * What an event may have lost to the kill probes: their missed hits, and
 * the handler runs in NMI context that could not get the table's lock
 * (such a run cannot even tell which OOM it belonged to).
 */
static u64 kill_lost(void)
{
	return kill_nmissed() +
	       oomlens_stat_read(OOMLENS_ST_PROBE_NMI_LOCK_DROPPED);
}

static void probe_time(u64 start)
{
	oomlens_stat_time(OOMLENS_TIMER_PROBE,
			  ktime_get_mono_fast_ns() - start);
}

/*
 * Under inflight_lock: current's slot (@claim false), or a free slot that
 * becomes current's (@claim true); NULL when there is none, or when the
 * lock could not be had in NMI context.
 */
static struct inflight *inflight_find(bool claim)
{
	struct inflight *in = NULL;
	unsigned long flags;
	int i;

	if (!oomlens_handler_raw_lock(&inflight_lock, &flags))
		return NULL;
	__acquire(&inflight_lock);
	for (i = 0; i < OOMLENS_MAX_INFLIGHT; i++) {
		if (claim ? !inflight[i].busy :
			    inflight[i].busy && inflight[i].task == current) {
			in = &inflight[i];
			break;
		}
	}
	if (in && claim) {
		in->busy = true;
		in->task = current;
		in->held_css = NULL;
	}
	raw_spin_unlock_irqrestore(&inflight_lock, flags);
	return in;
}

/* Claim a free slot for current's OOM; NULL when all are in use. */
static struct inflight *inflight_add(void)
{
	return inflight_find(true);
}

/* Free @in's slot; returns the memcg reference it held, or NULL. */
static struct cgroup_subsys_state *inflight_del(struct inflight *in)
{
	struct cgroup_subsys_state *css = NULL;
	unsigned long flags;

	/* Not NMI context (a return handler): this cannot fail. */
	if (!oomlens_handler_raw_lock(&inflight_lock, &flags))
		return NULL;
	__acquire(&inflight_lock);
	if (in->busy) {
		css = in->held_css;
		in->held_css = NULL;
		in->task = NULL;
		in->busy = false;
	}
	raw_spin_unlock_irqrestore(&inflight_lock, flags);
	return css;
}

/* Let @in's slot hold @css (a reference) until out_of_memory() returns. */
static void inflight_hold_css(struct inflight *in,
			      struct cgroup_subsys_state *css)
{
	unsigned long flags;

	if (oomlens_handler_raw_lock(&inflight_lock, &flags)) {
		__acquire(&inflight_lock);
		if (in->busy && !in->held_css) {
			in->held_css = css;
			css = NULL;
		}
		raw_spin_unlock_irqrestore(&inflight_lock, flags);
	}
	/* Not stored (cannot happen but for a lock not had): let it go. */
	if (css)
		css_put(css);
}

/*
 * The OOM in flight in current.  Only current's own return handler frees
 * it, and current is busy here, so it stays valid after the lock is dropped.
 */
static struct inflight *inflight_current(void)
{
	return inflight_find(false);
}

static int oom_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct oom_rp_data *d = (struct oom_rp_data *)ri->data;
	struct oom_control *oc;
	struct inflight *in;
	u64 start = ktime_get_mono_fast_ns();

	oomlens_handler_enter();
	oc = (struct oom_control *)regs_get_kernel_argument(regs, 0);
	oomlens_stat_inc(OOMLENS_ST_OOM_INVOCATIONS);
	in = READ_ONCE(probes_stopping) ? NULL : inflight_add();
	if (!in) {
		/* No return handler will run for this instance. */
		oomlens_stat_inc(OOMLENS_ST_EVENTS_MISSED);
		probe_time(start);
		return 1;
	}
	d->in = in;
	in->oc = oc;
	in->victim_before = tsk_is_oom_victim(current);
	in->notified = false;
	in->in_kill = false;
	in->freed = 0;
	in->kill_nmissed = kill_lost();
	oomlens_capture_start(in->ev, oc);
	oomlens_eval_begin(in - inflight, in->ev);
	probe_time(start);
	return 0;
}

NOKPROBE_SYMBOL(oom_entry);

/*
 * Which way out_of_memory() went, from what it left behind (see the order of
 * its checks in mm/oom_kill.c):
 * - totalpages is still 0: constrained_alloc() never ran, so it returned
 *   before: oom_killer_disabled (returns false), the notifier freed memory
 *   (global, not sysrq), current was exiting (task_will_free_mem(current):
 *   it is now an OOM victim), or a global allocation without __GFP_FS;
 * - oom_kill_process() ran: a kill, or the chosen task was already exiting;
 * - else select_bad_process() found nothing (returns false) or aborted
 *   because an earlier victim is still exiting (returns true).
 */
static enum oomlens_outcome outcome(struct inflight *in, bool ret)
{
	struct oomlens_event *ev = in->ev;
	bool memcg = ev->kind == OOMLENS_KIND_MEMCG;

	if (!in->oc->totalpages) {
		if (!ret)
			return OOMLENS_OUT_DISABLED;
		if (in->notified && in->freed &&
		    ev->kind == OOMLENS_KIND_GLOBAL)
			return OOMLENS_OUT_NOTIFIER_FREED;
		if (tsk_is_oom_victim(current) &&
		    (!in->victim_before || memcg || (ev->gfp_mask & __GFP_FS)))
			return OOMLENS_OUT_CURRENT_EXITING;
		if (!memcg)
			return OOMLENS_OUT_NO_FS;
		return OOMLENS_OUT_UNKNOWN;
	}
	if (ev->has_victim)
		return ev->kills ? OOMLENS_OUT_KILLED :
				   OOMLENS_OUT_VICTIM_EXITING;
	/* A kill probe's hit was missed: the victim may be unknown. */
	if (ev->probe_missed)
		return OOMLENS_OUT_UNKNOWN;
	return ret ? OOMLENS_OUT_IN_PROGRESS : OOMLENS_OUT_NO_KILLABLE;
}

static int oom_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct inflight *in = ((struct oom_rp_data *)ri->data)->in;
	struct oomlens_event *ev = in->ev;
	struct oom_control *oc = in->oc;
	struct cgroup_subsys_state *victim_css;
	u64 start = ktime_get_mono_fast_ns();

	oomlens_handler_enter();
	if (READ_ONCE(probes_stopping)) {
		/* The kill probes may be gone already: not a whole event. */
		oomlens_stat_inc(OOMLENS_ST_EVENTS_MISSED);
		oomlens_eval_end(in - inflight);
		goto out;
	}
	oomlens_capture_paths(ev, oc, in->held_css);
	if (oc->totalpages && !ev->has_victim) {
		oomlens_capture_constraint(ev, oc);
		oomlens_domain_capture(ev, oc);
	}
	oomlens_eval_finish(in - inflight, ev);
	ev->probe_missed = kill_lost() - in->kill_nmissed;
	if (mark_kp_state != PROBE_ATTACHED)
		ev->kills = ev->kill_calls; /* an upper bound: see stats */
	ev->outcome = outcome(in, regs_return_value(regs) & 1);
	oomlens_stat_add(OOMLENS_ST_EVENTS_KILLS, ev->kills);
	oomlens_event_commit(ev);
out:
	/* Last: the slot, ev included, may be reused from here on. */
	victim_css = inflight_del(in);
	if (victim_css)
		css_put(victim_css);
	probe_time(start);
	return 0;
}

NOKPROBE_SYMBOL(oom_return);

static int kill_entry(struct kprobe *kp, struct pt_regs *regs)
{
	struct cgroup_subsys_state *css;
	struct oom_control *oc;
	struct inflight *in;
	u64 start = ktime_get_mono_fast_ns();

	oomlens_handler_enter();
	oc = (struct oom_control *)regs_get_kernel_argument(regs, 0);
	in = inflight_current();
	if (in && in->oc == oc && oc->chosen) {
		const char *message =
			(const char *)regs_get_kernel_argument(regs, 1);

		/* First: the selection is over, and the calls below are ours. */
		oomlens_eval_end(in - inflight);
		css = oomlens_capture_victim(in->ev, oc, message);
		/* Before dump_header() prints the same counters. */
		oomlens_domain_capture(in->ev, oc);
		if (css)
			inflight_hold_css(in, css);
		if (!oomlens_eval_kill(in - inflight, in->ev, oc))
			oomlens_capture_snapshot(in->ev, oc);
		oomlens_capture_cand_memcgs(in->ev);
	}
	probe_time(start);
	return 0;
}

NOKPROBE_SYMBOL(kill_entry);

static int kill_task_entry(struct kprobe *kp, struct pt_regs *regs)
{
	struct inflight *in;

	oomlens_handler_enter();
	in = inflight_current();
	/* Safe: only current's own handlers touch its slot's event. */
	if (in && in->ev->has_victim) {
		in->ev->kill_calls++;
		in->in_kill = true;
	}
	return 0;
}

NOKPROBE_SYMBOL(kill_task_entry);

/*
 * mark_oom_victim() runs under task_lock() of the victim: this handler
 * takes no lock but inflight_lock (under which no task_lock() is taken).
 */
static int mark_entry(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *t;
	struct inflight *in;

	oomlens_handler_enter();
	in = inflight_current();
	if (!in || !in->in_kill)
		return 0;
	in->in_kill = false;
	t = (struct task_struct *)regs_get_kernel_argument(regs, 0);
	if (!in->ev->kills++) {
		in->ev->victim_tid = task_pid_nr(t);
		/*
		 * Where oom_kill_process()'s handler could not read it
		 * (PREEMPT_RT), the victim's rss: @t's mm is stable under the
		 * task_lock() the kernel holds here, and the kernel's "Killed
		 * process" line reads the same counters next.
		 */
		if (!in->ev->has_victim_rss && t->mm) {
			in->ev->victim_rss = get_mm_rss(t->mm);
			in->ev->has_victim_rss = true;
		}
	}
	return 0;
}

NOKPROBE_SYMBOL(mark_entry);

/**
 * oomlens_probes_notified - the OOM notifier ran in current
 * @freed: pages the notifier chain reported freed so far
 *
 * Returns true when a probed out_of_memory() call is in flight in current
 * (the notifier then records nothing itself).
 */
bool oomlens_probes_notified(unsigned long freed)
{
	struct inflight *in = inflight_current();

	if (!in)
		return false;
	in->notified = true;
	in->freed = freed;
	return true;
}

/* Calls the kretprobe missed: no free instance, so no handler ran. */
u64 oomlens_probes_nmissed(void)
{
	if (oom_rp_state != PROBE_ATTACHED)
		return 0;
	return (u64)READ_ONCE(oom_rp.nmissed) + READ_ONCE(oom_rp.kp.nmissed);
}

bool oomlens_probes_active(void)
{
	return oom_rp_state == PROBE_ATTACHED;
}

/* Which code records the events: "probes" or "notifier" (the older word). */
static const char *events_path(void)
{
	return oomlens_probes_active() ? OOMLENS_EVENTS_PATH_PROBES :
					 OOMLENS_EVENTS_PATH_NOTIFIER;
}

/*
 * Where an event's allocation context and constraint come from: the
 * kernel's own struct oom_control (the probes), or derived from current's
 * cpuset and mempolicy (the notifier alone).
 */
const char *oomlens_events_src(void)
{
	return oomlens_probes_active() ? OOMLENS_SRC_KERNEL :
					 OOMLENS_SRC_DERIVED;
}

/*
 * The three OOM probes, all or none: without the return handler nothing is
 * recorded, and without the kill probes the victim would be missing from
 * every event.  mark_oom_victim() is optional: without it (a kernel that
 * inlines it) kills are counted as __oom_kill_process() calls, an upper
 * bound, and stats says so (events_kills_counted_by).
 * On PREEMPT_RT too: what the handlers leave out there is said above.
 */
int __init oomlens_probes_register(void)
{
	size_t bytes = oomlens_event_bytes();
	int ret, i;

	if (!oomlens_probes)
		return 0;
	pool_events = vzalloc(array_size(OOMLENS_MAX_INFLIGHT, bytes));
	if (!pool_events)
		return -ENOMEM;
	for (i = 0; i < OOMLENS_MAX_INFLIGHT; i++)
		inflight[i].ev = pool_events + i * bytes;
	oom_rp.data_size = sizeof(struct oom_rp_data);
	ret = register_kprobe(&kill_kp);
	if (ret)
		goto fail;
	ret = register_kprobe(&kill_task_kp);
	if (ret)
		goto fail_kill;
	mark_error = register_kprobe(&mark_kp);
	mark_kp_state = mark_error ? PROBE_FAILED : PROBE_ATTACHED;
	if (mark_error)
		pr_warn("cannot attach a probe to mark_oom_victim (%d); counting kills as __oom_kill_process calls\n",
			mark_error);
	ret = register_kretprobe(&oom_rp);
	if (ret)
		goto fail_task;
	oom_rp_state = PROBE_ATTACHED;
	kill_kp_state = PROBE_ATTACHED;
	kill_task_kp_state = PROBE_ATTACHED;
	/* Optional: without it, the walk fills the candidates' table. */
	oomlens_eval_register();
	oomlens_stat_add(OOMLENS_ST_PREALLOC_BYTES,
			 OOMLENS_MAX_INFLIGHT * bytes);
	return 0;

fail_task:
	if (mark_kp_state == PROBE_ATTACHED)
		unregister_kprobe(&mark_kp);
	unregister_kprobe(&kill_task_kp);
fail_kill:
	unregister_kprobe(&kill_kp);
fail:
	if (!mark_error)
		mark_error = ret;
	vfree(pool_events);
	pool_events = NULL;
	probe_error = ret;
	oom_rp_state = PROBE_FAILED;
	kill_kp_state = PROBE_FAILED;
	kill_task_kp_state = PROBE_FAILED;
	mark_kp_state = PROBE_FAILED;
	pr_warn("cannot attach the OOM probes (%d); recording global OOMs from the notifier only\n",
		ret);
	return 0;
}

/*
 * Waits for handlers in flight (each unregister synchronises).  The kill
 * probes go first: once the kretprobe is gone, an out_of_memory() call that
 * entered before returns without our return handler, so its slot stays busy
 * while its kretprobe instance is freed (6.12 frees the rethook pool when
 * the last instance comes back); a kill probe still attached would find
 * that stale slot in inflight_current() on the next OOM (seen as an oops in
 * kill_entry() during rmmod in an OOM storm, when the slot lived in the
 * instance).  With the kill probes and the notifier (unregistered before
 * this) gone, nothing reads the table any more.  A call in flight across
 * the unload, or made during it, is not recorded (events_missed).
 */
void oomlens_probes_unregister(void)
{
	struct cgroup_subsys_state *css[OOMLENS_MAX_INFLIGHT];
	unsigned long flags;
	int i;

	if (oom_rp_state != PROBE_ATTACHED)
		return;
	/*
	 * Each unregistration below waits for an RCU grace period: an OOM in
	 * that window would find some kill probes gone and be recorded
	 * wrongly (no kills, no victim).  From here on, no event is kept;
	 * those calls are counted in events_missed.
	 */
	WRITE_ONCE(probes_stopping, true);
	/* Before the events its handler writes to (the pool) go. */
	oomlens_eval_unregister();
	if (mark_kp_state == PROBE_ATTACHED)
		unregister_kprobe(&mark_kp);
	unregister_kprobe(&kill_task_kp);
	unregister_kprobe(&kill_kp);
	unregister_kretprobe(&oom_rp);
	/*
	 * No handler runs any more: let go of the memcgs of the calls in
	 * flight, whose return handler will not run.
	 */
	raw_spin_lock_irqsave(&inflight_lock, flags);
	for (i = 0; i < OOMLENS_MAX_INFLIGHT; i++) {
		css[i] = inflight[i].held_css;
		inflight[i].held_css = NULL;
		inflight[i].busy = false;
		inflight[i].task = NULL;
	}
	raw_spin_unlock_irqrestore(&inflight_lock, flags);
	for (i = 0; i < OOMLENS_MAX_INFLIGHT; i++)
		if (css[i])
			css_put(css[i]);
	vfree(pool_events);
	pool_events = NULL;
	oom_rp_state = PROBE_OFF;
	kill_kp_state = PROBE_OFF;
	kill_task_kp_state = PROBE_OFF;
	mark_kp_state = PROBE_OFF;
}

/*
 * How an attached kprobe is hit: an ftrace call site (handlers in the
 * task's context), a jump to a detour buffer (optimized: likewise), or an
 * int3 breakpoint (handlers in NMI context).  An int3 kprobe may be
 * optimized later (the kprobe optimizer runs in the background, and not
 * with debug.kprobes-optimization 0): the answer is as of the read.  A
 * kprobe sharing its address with another one (an aggregate) carries the
 * ftrace flag but not the optimized one, which only the aggregate has:
 * probe_nmi_calls says whether handlers really ran in NMI context.
 */
static const char *mechanism(struct kprobe *kp, enum probe_state state)
{
	unsigned int flags = READ_ONCE(kp->flags);

	if (state != PROBE_ATTACHED)
		return OOMLENS_PROBE_VIA_NONE;
	if (flags & KPROBE_FLAG_FTRACE)
		return OOMLENS_PROBE_VIA_FTRACE;
	if (flags & KPROBE_FLAG_OPTIMIZED)
		return OOMLENS_PROBE_VIA_JUMP;
	return OOMLENS_PROBE_VIA_INT3;
}

/* The state word of the return probe on oom_badness() (evaluation.c). */
static enum probe_state eval_state(void)
{
	if (oomlens_eval_kprobe())
		return PROBE_ATTACHED;
	return oomlens_eval_error() ? PROBE_FAILED : PROBE_OFF;
}

/* Where the candidates come from: the kernel's evaluation, or the walk. */
static const char *candidates_src(void)
{
	if (!oomlens_probes_active() || !oomlens_snapshot_size)
		return OOMLENS_NONE;
	if (oomlens_eval_active())
		return OOMLENS_SRC_KERNEL;
	/* PREEMPT_RT: the walk would take task_lock() in a handler. */
	return IS_ENABLED(CONFIG_PREEMPT_RT) ? OOMLENS_NONE :
					       OOMLENS_SRC_DERIVED;
}

static void show_evaluation(struct seq_file *m)
{
	struct kprobe *kp = oomlens_eval_kprobe();
	enum probe_state state = eval_state();

	seq_printf(m, "%s %s\n", OOMLENS_STAT_CANDIDATES_SRC, candidates_src());
	seq_printf(m, "%s %s\n", OOMLENS_STAT_CANDIDATES_COMPONENTS,
		   IS_ENABLED(CONFIG_PREEMPT_RT) ?
			   OOMLENS_COMPONENTS_PREEMPT_RT :
			   OOMLENS_COMPONENTS_READ);
	seq_printf(m, "%s %s\n", OOMLENS_STAT_PROBE_BADNESS,
		   probe_state_name[state]);
	seq_printf(m, "%s %s\n", OOMLENS_STAT_PROBE_BADNESS_VIA,
		   kp ? mechanism(kp, state) : OOMLENS_PROBE_VIA_NONE);
	seq_printf(m, "%s %d\n", OOMLENS_STAT_PROBE_BADNESS_ERROR,
		   oomlens_eval_error());
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_PROBE_BADNESS_NMISSED,
		   oomlens_eval_nmissed());
	oomlens_stat_show(m, OOMLENS_ST_EVENTS_EVALUATION_UNSEEN);
}

void oomlens_probes_show(struct seq_file *m)
{
	seq_printf(m, "%s %s\n", OOMLENS_STAT_EVENTS_PATH, events_path());
	seq_printf(m, "%s %s\n", OOMLENS_STAT_PROBE_OOM,
		   probe_state_name[oom_rp_state]);
	seq_printf(m, "%s %s\n", OOMLENS_STAT_PROBE_KILL,
		   probe_state_name[kill_kp_state]);
	seq_printf(m, "%s %s\n", OOMLENS_STAT_PROBE_KILL_TASK,
		   probe_state_name[kill_task_kp_state]);
	seq_printf(m, "%s %s\n", OOMLENS_STAT_PROBE_MARK,
		   probe_state_name[mark_kp_state]);
	seq_printf(m, "%s %d\n", OOMLENS_STAT_PROBE_ERROR, probe_error);
	seq_printf(m, "%s %d\n", OOMLENS_STAT_PROBE_MARK_ERROR, mark_error);
	/* No reason is left: PREEMPT_RT was one until ABI 1.x. */
	seq_printf(m, "%s %s\n", OOMLENS_STAT_PROBE_REFUSED, OOMLENS_NONE);
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_PROBE_NMISSED,
		   oomlens_probes_nmissed());
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_PROBE_KILL_NMISSED,
		   oom_rp_state == PROBE_ATTACHED ? kill_nmissed() : 0);
	seq_printf(m, "%s %s\n", OOMLENS_STAT_EVENTS_KILLS_BY,
		   mark_kp_state == PROBE_ATTACHED ? OOMLENS_KILLS_BY_MARK :
						     OOMLENS_KILLS_BY_CALLS);
	seq_printf(m, "%s %s\n", OOMLENS_STAT_PROBE_OOM_VIA,
		   mechanism(&oom_rp.kp, oom_rp_state));
	seq_printf(m, "%s %s\n", OOMLENS_STAT_PROBE_KILL_VIA,
		   mechanism(&kill_kp, kill_kp_state));
	seq_printf(m, "%s %s\n", OOMLENS_STAT_PROBE_KILL_TASK_VIA,
		   mechanism(&kill_task_kp, kill_task_kp_state));
	seq_printf(m, "%s %s\n", OOMLENS_STAT_PROBE_MARK_VIA,
		   mechanism(&mark_kp, mark_kp_state));
	oomlens_stat_show(m, OOMLENS_ST_PROBE_NMI_CALLS);
	oomlens_stat_show(m, OOMLENS_ST_PROBE_NMI_LOCK_DROPPED);
	show_evaluation(m);
}
