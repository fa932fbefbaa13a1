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
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irq_work.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "oomlens.h"
#include "oomlens_abi.h"

#define OOMLENS_RING_MAX 4096
#define OOMLENS_SNAPSHOT_MAX 64

unsigned int oomlens_ring_size = 64;
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

static DECLARE_WAIT_QUEUE_HEAD(events_wq);
static struct irq_work wake_work;

size_t oomlens_event_bytes(void)
{
	return sizeof(struct oomlens_event) +
	       oomlens_snapshot_size * sizeof(struct oomlens_badness);
}

static struct oomlens_event *slot(u64 seq)
{
	return ring + ((seq - 1) % oomlens_ring_size) * oomlens_event_bytes();
}

static void wake_readers(struct irq_work *work)
{
	wake_up_interruptible_all(&events_wq);
}

int oomlens_events_init(void)
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
	oomlens_prealloc_bytes += bytes;
	init_irq_work(&wake_work, wake_readers);
	return 0;
}

/* After every writer is gone (probes and notifier unregistered). */
void oomlens_events_exit(void)
{
	irq_work_sync(&wake_work);
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
		atomic64_inc(&oomlens_stats.events_missed);
		return;
	}
	__acquire(&ring_lock);
	ev->seq = ++ring_head;
	memcpy(slot(ev->seq), ev, oomlens_event_bytes());
	raw_spin_unlock_irqrestore(&ring_lock, flags);
	irq_work_queue(&wake_work);
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

struct wait_queue_head *oomlens_events_waitq(void)
{
	return &events_wq;
}

void oomlens_events_show_stats(struct seq_file *m)
{
	u64 oldest, newest, retained, overwritten, missed;

	oomlens_events_range(&oldest, &newest);
	retained = newest ? newest - oldest + 1 : 0;
	overwritten = newest - retained;
	/* The kretprobe's misses never reached a handler: count them here. */
	missed = atomic64_read(&oomlens_stats.events_missed) +
		 oomlens_probes_nmissed();
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_OOM_INVOCATIONS,
		   (u64)atomic64_read(&oomlens_stats.oom_invocations) +
			   oomlens_probes_nmissed());
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_EVENTS_RECORDED, retained);
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_EVENTS_DROPPED,
		   overwritten + missed);
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_EVENTS_OVERWRITTEN,
		   overwritten);
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_EVENTS_MISSED, missed);
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_EVENTS_LAST_SEQ, newest);
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_EVENTS_KILLS,
		   (u64)atomic64_read(&oomlens_stats.events_kills));
}
