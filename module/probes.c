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
 * - A kprobe on __oom_kill_process() entry: counts the tasks actually sent
 *   SIGKILL (the victim, and the members of an oom.group).  Without a call
 *   the chosen victim was already exiting and was only given reserves.
 *
 * oom_kill_process() and __oom_kill_process() run in the task that called
 * out_of_memory(), so the event is found by looking up current (or oc) in
 * a small table of OOMs in flight.  out_of_memory() is serialised by
 * oom_lock in 6.1 and 6.12, but nothing here relies on it: the table has a
 * raw spinlock and room for OOMLENS_MAX_INFLIGHT concurrent calls, the
 * kretprobe's maxactive.  A call that finds no free instance is counted in
 * events_missed (kretprobe nmissed), so no call goes unaccounted.
 *
 * Handlers run with preemption disabled, and in NMI context where a probe is
 * an int3 breakpoint: they follow the rules of nmi.c (fast clocks, bounded
 * trylocks in NMI context, no kernel function that takes a lock); no
 * allocation, no sleeping, no printk.  Cgroup paths are resolved in the
 * return handler, which never runs in NMI context: the victim's memcg is
 * held by a reference (held_css[], one per slot of the table) from
 * oom_kill_process() entry to out_of_memory()'s return.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <linux/oom.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "oomlens.h"
#include "oomlens_abi.h"

bool oomlens_probes = true;
module_param_named(probes, oomlens_probes, bool, 0444);
/* clang-format off */
MODULE_PARM_DESC(probes,
		 "Attach kprobes to out_of_memory and oom_kill_process; N: the OOM notifier alone, global OOMs only, constraint inferred (default: Y)");
/* clang-format on */

#define OOMLENS_MAX_INFLIGHT 16

struct inflight {
	struct oom_control *oc;
	int slot; /* in inflight[] and held_css[] */
	struct task_struct *task;
	bool victim_before; /* current was an OOM victim on entry */
	bool notified; /* our OOM notifier ran for this call */
	unsigned long freed; /* pages the notifier chain reported */
	struct oomlens_event ev; /* last: ends in the candidates */
};

static DEFINE_RAW_SPINLOCK(inflight_lock);
static struct inflight *inflight[OOMLENS_MAX_INFLIGHT];
/* The victim's memcg of the OOM in inflight[i], referenced; under the lock. */
static struct cgroup_subsys_state *held_css[OOMLENS_MAX_INFLIGHT];

enum probe_state { PROBE_OFF, PROBE_ATTACHED, PROBE_FAILED };
static const char *const probe_state_name[] = {
	[PROBE_OFF] = "off",
	[PROBE_ATTACHED] = "attached",
	[PROBE_FAILED] = "failed",
};

static int oom_entry(struct kretprobe_instance *ri, struct pt_regs *regs);
static int oom_return(struct kretprobe_instance *ri, struct pt_regs *regs);
static int kill_entry(struct kprobe *kp, struct pt_regs *regs);
static int kill_task_entry(struct kprobe *kp, struct pt_regs *regs);

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

static enum probe_state oom_rp_state, kill_kp_state, kill_task_kp_state;
static int probe_error;

static void probe_time(u64 start)
{
	struct oomlens_stats *s = &oomlens_stats;

	oomlens_stats_time(&s->probe_last_ns, &s->probe_max_ns,
			   &s->probe_total_ns,
			   ktime_get_mono_fast_ns() - start);
}

static bool inflight_add(struct inflight *in)
{
	unsigned long flags;
	bool added = false;
	int i;

	if (!oomlens_handler_raw_lock(&inflight_lock, &flags))
		return false;
	__acquire(&inflight_lock);
	for (i = 0; i < OOMLENS_MAX_INFLIGHT; i++) {
		if (!inflight[i]) {
			inflight[i] = in;
			in->slot = i;
			held_css[i] = NULL;
			added = true;
			break;
		}
	}
	raw_spin_unlock_irqrestore(&inflight_lock, flags);
	return added;
}

/* Remove @in; returns the memcg reference its slot held, or NULL. */
static struct cgroup_subsys_state *inflight_del(struct inflight *in)
{
	struct cgroup_subsys_state *css = NULL;
	unsigned long flags;

	/* Not NMI context (a return handler): this cannot fail. */
	if (!oomlens_handler_raw_lock(&inflight_lock, &flags))
		return NULL;
	__acquire(&inflight_lock);
	if (inflight[in->slot] == in) {
		inflight[in->slot] = NULL;
		css = held_css[in->slot];
		held_css[in->slot] = NULL;
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
		if (inflight[in->slot] == in && !held_css[in->slot]) {
			held_css[in->slot] = css;
			css = NULL;
		}
		raw_spin_unlock_irqrestore(&inflight_lock, flags);
	}
	/* Not stored (cannot happen but for a lock not had): let it go. */
	if (css)
		css_put(css);
}

/*
 * The OOM in flight in current.  Only current's own return handler removes
 * it, and current is busy here, so it stays valid after the lock is dropped.
 */
static struct inflight *inflight_current(void)
{
	struct inflight *in = NULL;
	unsigned long flags;
	int i;

	if (!oomlens_handler_raw_lock(&inflight_lock, &flags))
		return NULL;
	__acquire(&inflight_lock);
	for (i = 0; i < OOMLENS_MAX_INFLIGHT; i++) {
		if (inflight[i] && inflight[i]->task == current) {
			in = inflight[i];
			break;
		}
	}
	raw_spin_unlock_irqrestore(&inflight_lock, flags);
	return in;
}

static int oom_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct inflight *in = (struct inflight *)ri->data;
	struct oom_control *oc;
	u64 start = ktime_get_mono_fast_ns();

	oomlens_handler_enter();
	oc = (struct oom_control *)regs_get_kernel_argument(regs, 0);
	atomic64_inc(&oomlens_stats.oom_invocations);
	in->oc = oc;
	in->task = current;
	in->victim_before = tsk_is_oom_victim(current);
	in->notified = false;
	in->freed = 0;
	oomlens_capture_start(&in->ev, oc);
	if (!inflight_add(in)) {
		/* No return handler will run for this instance. */
		atomic64_inc(&oomlens_stats.events_missed);
		probe_time(start);
		return 1;
	}
	probe_time(start);
	return 0;
}

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
	struct oomlens_event *ev = &in->ev;
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
		return ev->kill_calls ? OOMLENS_OUT_KILLED :
					OOMLENS_OUT_VICTIM_EXITING;
	return ret ? OOMLENS_OUT_IN_PROGRESS : OOMLENS_OUT_NO_KILLABLE;
}

static int oom_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct inflight *in = (struct inflight *)ri->data;
	struct oom_control *oc = in->oc;
	struct cgroup_subsys_state *victim_css;
	u64 start = ktime_get_mono_fast_ns();

	oomlens_handler_enter();
	victim_css = inflight_del(in);
	oomlens_capture_paths(&in->ev, oc, victim_css);
	if (victim_css)
		css_put(victim_css);
	if (oc->totalpages && !in->ev.has_victim)
		oomlens_capture_constraint(&in->ev, oc);
	in->ev.outcome = outcome(in, regs_return_value(regs) & 1);
	if (in->ev.outcome == OOMLENS_OUT_KILLED)
		atomic64_add(in->ev.kill_calls, &oomlens_stats.events_kills);
	oomlens_event_commit(&in->ev);
	probe_time(start);
	return 0;
}

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
		css = oomlens_capture_victim(&in->ev, oc);
		if (css)
			inflight_hold_css(in, css);
		oomlens_capture_snapshot(&in->ev, oc);
	}
	probe_time(start);
	return 0;
}

static int kill_task_entry(struct kprobe *kp, struct pt_regs *regs)
{
	struct inflight *in;

	oomlens_handler_enter();
	in = inflight_current();

	if (in && in->ev.has_victim)
		in->ev.kill_calls++;
	return 0;
}

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

/*
 * All three or none: without the return handler nothing is recorded, and
 * without the kill probes the victim would be missing from every event.
 */
int oomlens_probes_register(void)
{
	size_t data = offsetof(struct inflight, ev) + oomlens_event_bytes();
	int ret;

	if (!oomlens_probes)
		return 0;
	oom_rp.data_size = data;
	ret = register_kprobe(&kill_kp);
	if (ret)
		goto fail;
	ret = register_kprobe(&kill_task_kp);
	if (ret)
		goto fail_kill;
	ret = register_kretprobe(&oom_rp);
	if (ret)
		goto fail_task;
	oom_rp_state = PROBE_ATTACHED;
	kill_kp_state = PROBE_ATTACHED;
	kill_task_kp_state = PROBE_ATTACHED;
	oomlens_prealloc_bytes += OOMLENS_MAX_INFLIGHT * data;
	return 0;

fail_task:
	unregister_kprobe(&kill_task_kp);
fail_kill:
	unregister_kprobe(&kill_kp);
fail:
	probe_error = ret;
	oom_rp_state = PROBE_FAILED;
	kill_kp_state = PROBE_FAILED;
	kill_task_kp_state = PROBE_FAILED;
	pr_info("cannot attach the OOM probes (%d); recording global OOMs from the notifier only\n",
		ret);
	return 0;
}

/*
 * Waits for handlers in flight (each unregister synchronises).  The kill
 * probes go first: once the kretprobe is gone, an out_of_memory() call that
 * entered before returns without our return handler, so its entry stays in
 * inflight[] while its kretprobe instance is freed (6.12 frees the rethook
 * pool when the last instance comes back); a kill probe still attached
 * would find that stale entry in inflight_current() on the next OOM and
 * read freed memory (seen as an oops in kill_entry() during rmmod in an OOM
 * storm).  With the kill probes and the notifier (unregistered before this)
 * gone, nothing reads the table any more.  A call in flight across the
 * unload is not recorded: its event would have no return handler anyway.
 */
void oomlens_probes_unregister(void)
{
	struct cgroup_subsys_state *css[OOMLENS_MAX_INFLIGHT];
	unsigned long flags;
	int i;

	if (oom_rp_state != PROBE_ATTACHED)
		return;
	unregister_kprobe(&kill_task_kp);
	unregister_kprobe(&kill_kp);
	unregister_kretprobe(&oom_rp);
	/*
	 * No handler runs any more: let go of the memcgs of the calls in
	 * flight, whose return handler will not run.
	 */
	raw_spin_lock_irqsave(&inflight_lock, flags);
	memset(inflight, 0, sizeof(inflight));
	memcpy(css, held_css, sizeof(css));
	memset(held_css, 0, sizeof(held_css));
	raw_spin_unlock_irqrestore(&inflight_lock, flags);
	for (i = 0; i < OOMLENS_MAX_INFLIGHT; i++)
		if (css[i])
			css_put(css[i]);
	oom_rp_state = PROBE_OFF;
	kill_kp_state = PROBE_OFF;
	kill_task_kp_state = PROBE_OFF;
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

void oomlens_probes_show(struct seq_file *m)
{
	seq_printf(m, "%s %s\n", OOMLENS_STAT_EVENTS_PATH,
		   oomlens_probes_active() ? "probes" : "notifier");
	seq_printf(m, "probe_out_of_memory %s\n",
		   probe_state_name[oom_rp_state]);
	seq_printf(m, "probe_oom_kill_process %s\n",
		   probe_state_name[kill_kp_state]);
	seq_printf(m, "probe___oom_kill_process %s\n",
		   probe_state_name[kill_task_kp_state]);
	seq_printf(m, "probe_error %d\n", probe_error);
	seq_printf(m, "probe_nmissed %llu\n", oomlens_probes_nmissed());
	seq_printf(m, "%s %s\n", OOMLENS_STAT_PROBE_OOM_VIA,
		   mechanism(&oom_rp.kp, oom_rp_state));
	seq_printf(m, "%s %s\n", OOMLENS_STAT_PROBE_KILL_VIA,
		   mechanism(&kill_kp, kill_kp_state));
	seq_printf(m, "%s %s\n", OOMLENS_STAT_PROBE_KILL_TASK_VIA,
		   mechanism(&kill_task_kp, kill_task_kp_state));
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_PROBE_NMI_CALLS,
		   (u64)atomic64_read(&oomlens_stats.probe_nmi_calls));
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_PROBE_NMI_LOCK_DROPPED,
		   (u64)atomic64_read(&oomlens_stats.probe_nmi_lock_dropped));
}
