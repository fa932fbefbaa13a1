// SPDX-License-Identifier: GPL-2.0
/*
 * The candidates of an OOM, taken from the kernel's own evaluation.
 *
 * select_bad_process() is inlined into out_of_memory() in both Debian
 * kernels, but oom_evaluate_task() is out of line and calls oom_badness()
 * out of line, once per task it does not pass over, with oc->totalpages.
 * A kretprobe on oom_badness() therefore sees, for exactly the tasks the
 * kernel evaluated (its eligibility rules, its memcg scope, its order), the
 * points as the kernel computed them.  It is armed per OOM in flight: the
 * out_of_memory() entry handler (probes.c) stores current in its slot, and
 * the entry handler here declines at once for any other caller (a reader of
 * /proc/<pid>/oom_score pays an atomic read, and a scan of the slots while
 * an OOM is in flight).  The return handler puts the task into the event's
 * preallocated top list, without a lock: only the task of the OOM touches
 * its slot and its event.
 *
 * What oom_badness() never sees is added at oom_kill_process() entry: the
 * victim itself when oom_evaluate_task() chose it without a badness (an
 * oom_task_origin() task, LONG_MAX).  There, too, the rows get their
 * components (rss, swap entries, page tables), read once per row as
 * dump_tasks() reads them a moment later, under the task's task_lock(), the
 * task found again by pid and start time (the evaluation's task pointers
 * are not held).
 *
 * A victim with points but no evaluation seen means the kernel chose it
 * without calling oom_badness() out of line (a future inlining): the event
 * is then filled by the walk (capture.c) and events_evaluation_unseen
 * counts it.  The walk is also the whole fallback where the probe cannot
 * attach, or with observe=0: stats says which is in use
 * (candidates_source).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <linux/oom.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

#include "capture.h"
#include "evaluation.h"
#include "event.h"
#include "nmi.h"
#include "stats.h"

static bool oomlens_observe = true;
module_param_named(observe, oomlens_observe, bool, 0444);
/* clang-format off */
MODULE_PARM_DESC(observe,
		 "Take the OOM candidates from the kernel's own oom_badness() calls (a return probe); N: walk every process at the kill instead (default: Y)");
/* clang-format on */

/*
 * One OOM in flight.  task is read lock-free by every oom_badness() entry
 * while anything is armed; the rest belongs to the task of the OOM.
 */
struct eval_slot {
	struct task_struct *task; /* armed for this task; NULL: not armed */
	struct oomlens_event *ev;
	u32 evaluated; /* oom_badness() returns seen */
	u32 excluded; /* of them, LONG_MIN: not a candidate */
	u64 nmissed; /* the probe's nmissed when armed; the delta when not */
	bool began; /* armed by this OOM's entry (not one before the load) */
	/* The two best points by the kernel's rule, for the margin. */
	long best, second;
	pid_t best_pid;
};

/* The kretprobe instance's data: whose evaluation, and of which task. */
struct badness_data {
	struct eval_slot *slot;
	struct task_struct *p;
};

static struct eval_slot slots[OOMLENS_EVAL_SLOTS];
static atomic_t armed = ATOMIC_INIT(0);
static bool attached;
static int attach_error;

static int badness_entry(struct kretprobe_instance *ri, struct pt_regs *regs);
static int badness_return(struct kretprobe_instance *ri, struct pt_regs *regs);

static struct kretprobe badness_rp = {
	.kp.symbol_name = "oom_badness",
	.entry_handler = badness_entry,
	.handler = badness_return,
	.data_size = sizeof(struct badness_data),
};

static u64 probe_nmissed(void)
{
	return (u64)READ_ONCE(badness_rp.nmissed) +
	       READ_ONCE(badness_rp.kp.nmissed);
}

static int badness_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct badness_data *d = (struct badness_data *)ri->data;
	unsigned long arg;
	int i;

	if (likely(!atomic_read(&armed)))
		return 1;
	for (i = 0; i < OOMLENS_EVAL_SLOTS; i++) {
		if (READ_ONCE(slots[i].task) == current) {
			oomlens_handler_enter();
			arg = regs_get_kernel_argument(regs, 0);
			d->slot = &slots[i];
			d->p = (struct task_struct *)arg;
			return 0;
		}
	}
	return 1;
}

NOKPROBE_SYMBOL(badness_entry);

/*
 * oom_badness() returned for d->p in the task of an armed OOM.  d->p is
 * alive: the kernel holds it (RCU in select_bad_process(), a reference in
 * mem_cgroup_scan_tasks()) until oom_evaluate_task() returns.
 */
static int badness_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct badness_data *d = (struct badness_data *)ri->data;
	long points = (long)regs_return_value(regs);
	struct eval_slot *s = d->slot;
	struct task_struct *p = d->p;
	struct oomlens_badness b;
	pid_t pid;

	oomlens_handler_enter();
	/* Disarmed in between (the module unloading): not this OOM's. */
	if (READ_ONCE(s->task) != current)
		return 0;
	s->evaluated++;
	if (points == LONG_MIN) {
		s->excluded++;
		return 0;
	}
	/* The kernel's rule: the later of equal points wins. */
	pid = task_tgid_nr(p);
	if (points >= s->best) {
		s->second = s->best;
		s->best = points;
		s->best_pid = pid;
	} else if (points >= s->second) {
		s->second = points;
	}
	if (!oomlens_capture_top_wants(s->ev, points))
		return 0;
	memset(&b, 0, sizeof(b));
	b.pid = pid;
	rcu_read_lock();
	b.uid = from_kuid(&init_user_ns, task_uid(p));
	rcu_read_unlock();
	oomlens_copy_comm(b.comm, p);
	b.adj = READ_ONCE(p->signal->oom_score_adj);
	b.points = points;
	b.state = OOMLENS_TASK_KILLABLE;
	/* The process's: rows_read() finds it again by tgid. */
	b.start_time = p->group_leader->start_time;
	b.start_ns = p->group_leader->start_boottime;
	oomlens_capture_top_insert(s->ev, &b);
	return 0;
}

NOKPROBE_SYMBOL(badness_return);

/**
 * oomlens_eval_active - are the candidates taken from the evaluation?
 */
bool oomlens_eval_active(void)
{
	return attached;
}

/**
 * oomlens_eval_begin - arm the probe for current's OOM
 * @slot: the OOM's slot in flight, below OOMLENS_EVAL_SLOTS
 * @ev: its event, started (no candidates yet)
 */
void oomlens_eval_begin(unsigned int slot, struct oomlens_event *ev)
{
	struct eval_slot *s = &slots[slot];

	if (!attached)
		return;
	s->ev = ev;
	s->evaluated = 0;
	s->excluded = 0;
	s->nmissed = probe_nmissed();
	s->best = LONG_MIN;
	s->second = LONG_MIN;
	s->best_pid = 0;
	s->began = true;
	WRITE_ONCE(s->task, current);
	atomic_inc(&armed);
}

NOKPROBE_SYMBOL(oomlens_eval_begin);

/**
 * oomlens_eval_end - disarm the probe for this slot; idempotent
 * @slot: the OOM's slot
 *
 * The evaluation is over once oom_kill_process() is entered or
 * out_of_memory() returns.  (oomlens' own oom_badness() calls from a probe
 * handler, the walk's, never reach the return probe: kprobes turns a hit
 * inside another kprobe's handler away and counts it in nmissed.)
 */
void oomlens_eval_end(unsigned int slot)
{
	struct eval_slot *s = &slots[slot];

	if (!READ_ONCE(s->task))
		return;
	WRITE_ONCE(s->task, NULL);
	atomic_dec(&armed);
	s->nmissed = probe_nmissed() - s->nmissed;
}

NOKPROBE_SYMBOL(oomlens_eval_end);

/* The evaluation's counts into @ev. */
static void eval_counts(struct eval_slot *s, struct oomlens_event *ev)
{
	ev->has_evaluation = true;
	ev->evaluated = s->evaluated;
	ev->evaluation_excluded = s->excluded;
	ev->evaluation_missed = min_t(u64, s->nmissed, U32_MAX);
}

/* The row of @pid, or NULL. */
static struct oomlens_badness *row_of(struct oomlens_event *ev, pid_t pid)
{
	u32 i;

	for (i = 0; i < ev->ncand; i++)
		if (ev->cand[i].pid == pid)
			return &ev->cand[i];
	return NULL;
}

/* oc->chosen's row with @points, for a victim oom_badness() did not see. */
static void add_victim(struct oomlens_event *ev, struct oom_control *oc,
		       long points)
{
	struct task_struct *p = oc->chosen;
	struct oomlens_badness b;

	memset(&b, 0, sizeof(b));
	b.pid = ev->victim_pid;
	b.uid = ev->victim_uid;
	memcpy(b.comm, ev->victim_comm, sizeof(b.comm));
	b.adj = READ_ONCE(p->signal->oom_score_adj);
	b.points = points;
	b.state = OOMLENS_TASK_KILLABLE;
	b.start_time = p->group_leader->start_time;
	b.start_ns = p->group_leader->start_boottime;
	oomlens_capture_top_force(ev, &b);
}

/*
 * The victim's margin over the runner-up: its points minus the most points
 * of any other task the kernel evaluated (0 is a tie, which the later task
 * wins), from the two best the return handler kept, so a table of one row
 * still has it.  None without another candidate, or for a victim chosen
 * without points (oom_task_origin(): LONG_MAX).
 */
static void margin(struct eval_slot *s, struct oomlens_event *ev)
{
	long other = s->best_pid == ev->victim_pid ? s->second : s->best;

	if (other == LONG_MIN || ev->victim_points == LONG_MAX)
		return;
	ev->has_margin = true;
	ev->victim_margin = ev->victim_points - other;
}

/*
 * Each row's rss, swap entries and page tables, read as dump_tasks() reads
 * them: the task found by pid (its start time must match: a pid reused
 * since is not the task evaluated) and the mm of its first thread that has
 * one, under that thread's task_lock().  A row that cannot be read keeps
 * its points and identity, counted in candidates_unread.
 */
static void rows_read(struct oomlens_event *ev)
{
	struct oomlens_badness in;
	struct task_struct *p;
	u32 i;

	/*
	 * PREEMPT_RT: task_lock() is a sleeping lock, and this handler runs
	 * with preemption disabled.  The rows keep their points (and rss,
	 * swap and pgtables 0); the event says why.
	 */
	if (!oomlens_spinlock_allowed()) {
		ev->components = OOMLENS_COMP_PREEMPT_RT;
		ev->candidates_unread = ev->ncand;
		return;
	}
	ev->components = OOMLENS_COMP_READ;
	for (i = 0; i < ev->ncand; i++) {
		struct oomlens_badness *b = &ev->cand[i];
		bool read = false;

		rcu_read_lock();
		p = pid_task(find_pid_ns(b->pid, &init_pid_ns), PIDTYPE_TGID);
		if (p && p->start_time == b->start_time) {
			memset(&in, 0, sizeof(in));
			oomlens_task_badness_inputs(p, ev->totalpages, &in);
			read = in.read;
		}
		rcu_read_unlock();
		if (read) {
			b->rss = in.rss;
			b->swapents = in.swapents;
			b->pgtables = in.pgtables;
			b->read = true;
		} else {
			ev->candidates_unread++;
		}
	}
}

/**
 * oomlens_eval_kill - the candidates at oom_kill_process() entry
 * @slot: the OOM's slot
 * @ev: its event, the victim captured (oomlens_capture_victim())
 * @oc: the OOM's control, oc->chosen valid
 *
 * Returns false when the evaluation does not give the table (not attached,
 * the allocating task killed without a selection, or no evaluation seen):
 * the caller walks instead (oomlens_capture_snapshot()).
 */
bool oomlens_eval_kill(unsigned int slot, struct oomlens_event *ev,
		       struct oom_control *oc)
{
	struct eval_slot *s = &slots[slot];

	bool began = s->began;

	oomlens_eval_end(slot);
	s->began = false;
	if (!attached || !began || ev->victim_by_alloc)
		return false;
	eval_counts(s, ev);
	if (!s->evaluated && oc->chosen_points != LONG_MAX) {
		/* Not while a hit was missed: that may be the reason. */
		if (!s->nmissed)
			oomlens_stat_inc(OOMLENS_ST_EVENTS_EVALUATION_UNSEEN);
		ev->evaluation_unseen = true;
		return false;
	}
	ev->cand_src = OOMLENS_CAND_KERNEL;
	/*
	 * The prediction is what the evaluation alone says, before the
	 * kernel's answer is added: its top row.  An oom_task_origin() victim
	 * (swapoff, KSM unmerging), which oom_evaluate_task() gives LONG_MAX
	 * without calling oom_badness(), is beyond what the evaluation shows:
	 * no prediction then, as the walk would have made it from every
	 * task's flag.
	 */
	if (oc->chosen_points == LONG_MAX && !row_of(ev, ev->victim_pid))
		ev->predicted_pid = 0;
	else
		ev->predicted_pid = ev->ncand ? ev->cand[0].pid : 0;
	if (!row_of(ev, ev->victim_pid))
		add_victim(ev, oc, oc->chosen_points);
	margin(s, ev);
	rows_read(ev);
	return true;
}

/**
 * oomlens_eval_finish - out_of_memory() returns
 * @slot: the OOM's slot
 * @ev: its event
 *
 * Without a kill there is no table (as with the walk), but the counts say
 * what the kernel evaluated: all of it excluded for no_killable, a part of
 * it when an exiting victim aborted the selection.
 */
void oomlens_eval_finish(unsigned int slot, struct oomlens_event *ev)
{
	struct eval_slot *s = &slots[slot];
	bool began = s->began;

	oomlens_eval_end(slot);
	s->began = false;
	if (!began || ev->has_victim)
		return;
	ev->ncand = 0;
	if (ev->known_constraint && ev->totalpages)
		eval_counts(s, ev);
}

/**
 * oomlens_eval_register - attach the return probe on oom_badness()
 *
 * Not attached with observe=0 or snapshot_size=0 (no table to fill).  A
 * failure is not fatal: the walk fills the table, and stats says so.
 */
int __init oomlens_eval_register(void)
{
	int ret;

	if (!oomlens_observe || !oomlens_snapshot_size)
		return 0;
	/*
	 * An instance is held only while an armed oom_badness() runs (one
	 * per OOM in flight) or while an entry handler declines (one per
	 * CPU at most: handlers run with preemption disabled).
	 */
	badness_rp.maxactive = num_possible_cpus() + OOMLENS_EVAL_SLOTS;
	ret = register_kretprobe(&badness_rp);
	if (ret) {
		attach_error = ret;
		pr_warn("cannot attach a return probe to oom_badness (%d); the candidates come from a walk of every process\n",
			ret);
		return 0;
	}
	attached = true;
	return 0;
}

/* Before the events it writes go: waits for handlers in flight. */
void oomlens_eval_unregister(void)
{
	int i;

	if (!attached)
		return;
	unregister_kretprobe(&badness_rp);
	attached = false;
	for (i = 0; i < OOMLENS_EVAL_SLOTS; i++)
		WRITE_ONCE(slots[i].task, NULL);
	atomic_set(&armed, 0);
}

/* The probe, for its state words in stats; NULL when not attached. */
struct kprobe *oomlens_eval_kprobe(void)
{
	return attached ? &badness_rp.kp : NULL;
}

/* Was the probe wanted (observe=1 and a table to fill)? */
bool oomlens_eval_wanted(void)
{
	return oomlens_observe && oomlens_snapshot_size;
}

int oomlens_eval_error(void)
{
	return attach_error;
}

/* Hits missed (no free instance, or inside another kprobe's handler). */
u64 oomlens_eval_nmissed(void)
{
	return attached ? probe_nmissed() : 0;
}
