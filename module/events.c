// SPDX-License-Identifier: GPL-2.0
/*
 * The ring of OOM events.
 *
 * Allocated once at load: ring_size slots of oomlens_event_bytes() each.
 * Writers (the out_of_memory() kretprobe return handler, or the OOM
 * notifier when the probes are not attached) run in the OOM path: they never
 * allocate or sleep.  A writer takes ring_lock, a raw spinlock with
 * interrupts off, gives the event the next sequence number and copies it
 * into slot (seq - 1) % ring_size, overwriting the oldest event when the
 * ring is full.  Readers copy one slot at a time, under the same lock, into
 * a buffer of their own and format from that copy, so a reader never sees a
 * half-written event and never holds the lock while formatting or copying
 * to user space.  The copy is a few hundred bytes to a few KiB: the lock is
 * held for microseconds.
 *
 * Waking readers: a writer may run with the lock of a probed function held
 * by its caller, so it does not call wake_up() itself; it queues an
 * irq_work, whose handler (hard interrupt context, no locks of ours held)
 * wakes the poll() wait queue.  irq_work_queue() is safe from any context.
 * The irq_work and the queue are the events file's (events_file.c), given
 * at init: the ring knows nothing of its readers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irq_work.h>
#include <linux/oom.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "event.h"
#include "nmi.h"
#include "oomlens_abi.h"
#include "stats.h"

#define OOMLENS_RING_MAX 4096
#define OOMLENS_SNAPSHOT_MAX 64

static unsigned int oomlens_ring_size = 64;
module_param_named(ring_size, oomlens_ring_size, uint, 0444);
/* clang-format off */
MODULE_PARM_DESC(ring_size,
		 "OOM events kept, oldest overwritten first (1-4096, default 64)");
/* clang-format on */

unsigned int oomlens_snapshot_size = 16;
module_param_named(snapshot_size, oomlens_snapshot_size, uint, 0444);
MODULE_PARM_DESC(snapshot_size,
		 "Top tasks by badness kept per OOM event (0-64, default 16)");

static DEFINE_RAW_SPINLOCK(ring_lock);
static void *ring; /* ring_size slots of oomlens_event_bytes() */
static u64 ring_head; /* seq of the newest event, 0 if none */

/*
 * Lifetime counts of the events committed (never lowered when the ring
 * overwrites one), by kind, constraint, outcome and prediction: what a
 * metric of OOMs per kind must count, which the ring alone cannot.
 */
static atomic64_t by_kind[OOMLENS_KIND_NR];
static atomic64_t by_constraint[OOMLENS_CONSTRAINT_NR];
static atomic64_t by_outcome[OOMLENS_OUT_NR];
static atomic64_t by_prediction[OOMLENS_PRED_NR];

static const char *const kind_name[] = {
	[OOMLENS_KIND_GLOBAL] = OOMLENS_KIND_WORD_GLOBAL,
	[OOMLENS_KIND_MEMCG] = OOMLENS_KIND_WORD_MEMCG,
	[OOMLENS_KIND_SYSRQ] = OOMLENS_KIND_WORD_SYSRQ,
};

static_assert(ARRAY_SIZE(kind_name) == OOMLENS_KIND_NR);
static_assert(OOMLENS_WORDS_NR(OOMLENS_KIND_WORDS) == OOMLENS_KIND_NR);

static const char *const constraint_name[] = {
	[CONSTRAINT_NONE] = "CONSTRAINT_NONE",
	[CONSTRAINT_CPUSET] = "CONSTRAINT_CPUSET",
	[CONSTRAINT_MEMORY_POLICY] = "CONSTRAINT_MEMORY_POLICY",
	[CONSTRAINT_MEMCG] = "CONSTRAINT_MEMCG",
	[OOMLENS_CONSTRAINT_UNKNOWN] = OOMLENS_NONE,
};

static_assert(ARRAY_SIZE(constraint_name) == OOMLENS_CONSTRAINT_NR);

/* The same, as the suffix of a stats key (lower case). */
static const char *const constraint_key[] = {
	[CONSTRAINT_NONE] = OOMLENS_CONSTRAINT_KEY_NONE,
	[CONSTRAINT_CPUSET] = OOMLENS_CONSTRAINT_KEY_CPUSET,
	[CONSTRAINT_MEMORY_POLICY] = OOMLENS_CONSTRAINT_KEY_MEMORY_POLICY,
	[CONSTRAINT_MEMCG] = OOMLENS_CONSTRAINT_KEY_MEMCG,
	[OOMLENS_CONSTRAINT_UNKNOWN] = OOMLENS_CONSTRAINT_KEY_UNKNOWN,
};

static_assert(ARRAY_SIZE(constraint_key) == OOMLENS_CONSTRAINT_NR);

static const char *const outcome_name[] = {
	[OOMLENS_OUT_UNKNOWN] = OOMLENS_OUTCOME_UNKNOWN,
	[OOMLENS_OUT_KILLED] = OOMLENS_OUTCOME_KILLED,
	[OOMLENS_OUT_VICTIM_EXITING] = OOMLENS_OUTCOME_VICTIM_EXITING,
	[OOMLENS_OUT_CURRENT_EXITING] = OOMLENS_OUTCOME_CURRENT_EXITING,
	[OOMLENS_OUT_NO_FS] = OOMLENS_OUTCOME_NO_FS,
	[OOMLENS_OUT_NOTIFIER_FREED] = OOMLENS_OUTCOME_NOTIFIER_FREED,
	[OOMLENS_OUT_NO_KILLABLE] = OOMLENS_OUTCOME_NO_KILLABLE,
	[OOMLENS_OUT_IN_PROGRESS] = OOMLENS_OUTCOME_IN_PROGRESS,
	[OOMLENS_OUT_DISABLED] = OOMLENS_OUTCOME_DISABLED,
};

static_assert(ARRAY_SIZE(outcome_name) == OOMLENS_OUT_NR);
static_assert(OOMLENS_WORDS_NR(OOMLENS_OUTCOME_WORDS) == OOMLENS_OUT_NR);

static const char *const prediction_name[] = {
	[OOMLENS_PRED_MATCH] = OOMLENS_PREDICTION_MATCH,
	[OOMLENS_PRED_MISMATCH] = OOMLENS_PREDICTION_MISMATCH,
	[OOMLENS_PRED_NA] = OOMLENS_PREDICTION_NA,
	[OOMLENS_PRED_NONE] = OOMLENS_PREDICTION_NONE,
};

static_assert(ARRAY_SIZE(prediction_name) == OOMLENS_PRED_NR);
static_assert(OOMLENS_WORDS_NR(OOMLENS_PREDICTION_WORDS) == OOMLENS_PRED_NR);

const char *oomlens_kind_name(unsigned int kind)
{
	return kind < OOMLENS_KIND_NR ? kind_name[kind] : OOMLENS_NONE;
}

const char *oomlens_constraint_name(unsigned int constraint)
{
	return constraint < OOMLENS_CONSTRAINT_NR ?
		       constraint_name[constraint] :
		       OOMLENS_NONE;
}

const char *oomlens_outcome_name(unsigned int outcome)
{
	return outcome < OOMLENS_OUT_NR ? outcome_name[outcome] :
					  OOMLENS_OUTCOME_UNKNOWN;
}

const char *oomlens_prediction_name(unsigned int pred)
{
	return pred < OOMLENS_PRED_NR ? prediction_name[pred] : OOMLENS_NONE;
}

/**
 * oomlens_event_prediction - how the prediction of @ev turned out
 * @ev: a finished event
 */
enum oomlens_prediction_word
oomlens_event_prediction(const struct oomlens_event *ev)
{
	if (!ev->has_victim || !ev->predicted_pid)
		return OOMLENS_PRED_NONE;
	if (ev->victim_by_alloc)
		return OOMLENS_PRED_NA;
	return ev->predicted_pid == ev->victim_pid ? OOMLENS_PRED_MATCH :
						     OOMLENS_PRED_MISMATCH;
}

/* Count @ev in the lifetime counters (any context: atomics). */
static void count_event(const struct oomlens_event *ev)
{
	bool known = ev->known_constraint && ev->constraint <= CONSTRAINT_MEMCG;
	unsigned int c = known ? ev->constraint : OOMLENS_CONSTRAINT_UNKNOWN;

	if (ev->kind < OOMLENS_KIND_NR)
		atomic64_inc(&by_kind[ev->kind]);
	atomic64_inc(&by_constraint[c]);
	if (ev->outcome < OOMLENS_OUT_NR)
		atomic64_inc(&by_outcome[ev->outcome]);
	atomic64_inc(&by_prediction[oomlens_event_prediction(ev)]);
}

static struct irq_work *wake_work; /* the readers' (events_file.c) */

size_t oomlens_event_bytes(void)
{
	return sizeof(struct oomlens_event) +
	       oomlens_snapshot_size * sizeof(struct oomlens_badness);
}

static struct oomlens_event *slot(u64 seq)
{
	return ring + ((seq - 1) % oomlens_ring_size) * oomlens_event_bytes();
}

/**
 * oomlens_events_init - the ring
 * @wake: queued after each commit, synced at exit
 */
int __init oomlens_events_init(struct irq_work *wake)
{
	size_t bytes;

	if (!oomlens_ring_size || oomlens_ring_size > OOMLENS_RING_MAX ||
	    oomlens_snapshot_size > OOMLENS_SNAPSHOT_MAX) {
		pr_err("ring_size must be 1-%d and snapshot_size 0-%d\n",
		       OOMLENS_RING_MAX, OOMLENS_SNAPSHOT_MAX);
		return -EINVAL;
	}
	bytes = oomlens_ring_size * oomlens_event_bytes();
	ring = vzalloc(bytes);
	if (!ring)
		return -ENOMEM;
	oomlens_stat_add(OOMLENS_ST_PREALLOC_BYTES, bytes);
	wake_work = wake;
	return 0;
}

/* After every writer is gone (probes and notifier unregistered). */
void oomlens_events_exit(void)
{
	irq_work_sync(wake_work);
	vfree(ring);
	ring = NULL;
}

/**
 * oomlens_event_commit - give @ev the next sequence number and store it
 * @ev: a complete event, oomlens_event_bytes() long
 *
 * Any context, NMI included (nmi.c); does not allocate or sleep.
 */
void oomlens_event_commit(struct oomlens_event *ev)
{
	unsigned long flags;

	/* Only in NMI context can this fail (nmi.c): then it is a miss. */
	if (!oomlens_handler_raw_lock(&ring_lock, &flags)) {
		oomlens_stat_inc(OOMLENS_ST_EVENTS_MISSED);
		return;
	}
	__acquire(&ring_lock);
	ev->seq = ++ring_head;
	memcpy(slot(ev->seq), ev, oomlens_event_bytes());
	raw_spin_unlock_irqrestore(&ring_lock, flags);
	count_event(ev);
	irq_work_queue(wake_work);
}

static u64 oldest_locked(void)
{
	return ring_head > oomlens_ring_size ?
		       ring_head - oomlens_ring_size + 1 :
		       1;
}

/**
 * oomlens_event_copy - copy the event @seq, if still retained, into @out
 * @seq: sequence number
 * @out: oomlens_event_bytes() long
 *
 * Returns false when @seq was overwritten or is not recorded yet.
 */
bool oomlens_event_copy(u64 seq, struct oomlens_event *out)
{
	unsigned long flags;
	bool ok;

	raw_spin_lock_irqsave(&ring_lock, flags);
	ok = seq && seq <= ring_head && seq >= oldest_locked();
	if (ok)
		memcpy(out, slot(seq), oomlens_event_bytes());
	raw_spin_unlock_irqrestore(&ring_lock, flags);
	return ok;
}

/* Sequence numbers retained now: @oldest..@newest; newest 0 if none. */
void oomlens_events_range(u64 *oldest, u64 *newest)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ring_lock, flags);
	*oldest = oldest_locked();
	*newest = ring_head;
	raw_spin_unlock_irqrestore(&ring_lock, flags);
}

static void show_counts(struct seq_file *m, const char *prefix, atomic64_t *v,
			const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		seq_printf(m, "%s%s %llu\n", prefix, names[i],
			   (u64)atomic64_read(&v[i]));
}

/* The lifetime counters, one key each, each family's keys consecutive. */
void oomlens_events_show_lifetime(struct seq_file *m)
{
	show_counts(m, OOMLENS_STAT_EVENTS_KIND_PREFIX, by_kind, kind_name,
		    OOMLENS_KIND_NR);
	show_counts(m, OOMLENS_STAT_EVENTS_CONSTRAINT_PREFIX, by_constraint,
		    constraint_key, OOMLENS_CONSTRAINT_NR);
	show_counts(m, OOMLENS_STAT_EVENTS_OUTCOME_PREFIX, by_outcome,
		    outcome_name, OOMLENS_OUT_NR);
	show_counts(m, OOMLENS_STAT_EVENTS_PREDICTION_PREFIX, by_prediction,
		    prediction_name, OOMLENS_PRED_NR);
}
