// SPDX-License-Identifier: GPL-2.0
/*
 * The "events" and "last" files: presentation of the OOM event ring.  The
 * format is defined in include/oomlens_abi.h.  Nothing here computes: each
 * event is copied out of the ring (events.c) into a buffer of the open
 * file, then formatted from that copy.
 *
 * "events" is a seq_file over sequence numbers: position 0 is the oldest
 * event retained when the file was first read, position n is that plus n.
 * Events overwritten while a reader is behind are skipped; the next
 * "event" line then shows the gap.  Reading on after end of file returns
 * the events recorded since, and poll() says when there are some.
 *
 * Lifetime of "last": the open gate (debugfs.c) takes a reference on the
 * module for as long as the file is open.
 *
 * "events" does not pin the module: a follower (oomlens record) holds it
 * open for good, and an upgrade must be able to unload the module under
 * it.  So it is a full-proxy debugfs file whose fops have no .owner, and
 * what the VFS and debugfs still touch once the module is gone is not in
 * the module:
 * - every file operation but release runs inside debugfs_file_get(), which
 *   fails once the file is removed (read -EIO, poll EPOLLHUP), and
 *   debugfs_remove() waits for the ones in flight.  No operation blocks
 *   (a read at end of file returns 0), so that wait is short;
 * - release is seq_release_private(), kernel code: a reader's state is one
 *   allocation, seq->private;
 * - the fops and the wait queue, which debugfs' release and fops_put()
 *   read and a poll()er or epoll stays queued on between calls, live in
 *   one kmalloc()ed struct events_file, with the lockdep class of the
 *   queue's lock (a class in the module would go at unload).  At exit,
 *   after the writers are gone (oomlens_events_file_exit()), the queue is
 *   woken so that poll()ers
 *   see EPOLLHUP, and the struct is freed if no file is open (the dentry
 *   holds nothing but our reference), else kept: a few hundred bytes per
 *   unload under an open file, said in the log, never freed, so no reader
 *   can touch freed memory.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/irq_work.h>
#include <linux/kmemleak.h>
#include <linux/lockdep.h>
#include <linux/math64.h>
#include <linux/oom.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "badness.h"
#include "event.h"
#include "files.h"
#include "oomlens_abi.h"

struct events_file {
	const struct file_operations fops; /* no .owner: no pin */
	struct wait_queue_head wq; /* woken on each event, and at exit */
	struct irq_work wake; /* queued by the ring on each event (events.c) */
	/*
	 * wq's lockdep class: in this allocation, not in the module, whose
	 * classes lockdep drops at unload while a poll()er may still take
	 * wq's lock ("bad unlock balance" on the debug kernels).
	 */
	struct lock_class_key wq_key;
};

static struct events_file *events_file;
static struct dentry *events_dentry; /* our own reference (dget()) */

struct events_reader {
	u64 base; /* seq at position 0; 0 until the first read */
	struct oomlens_event *ev; /* the copy being shown */
};

static void kv_str(struct seq_file *m, const char *key, bool known,
		   const char *val)
{
	seq_printf(m, "%s %s\n", key, known ? val : "-");
}

/* An escaped string (see the ABI); "-" when not known. */
static void kv_esc(struct seq_file *m, const char *key, bool known,
		   const char *val, bool cut)
{
	seq_printf(m, "%s ", key);
	if (known)
		oomlens_seq_string(m, val, cut);
	else
		seq_puts(m, OOMLENS_NONE);
	seq_putc(m, '\n');
}

static void kv_long(struct seq_file *m, const char *key, bool known, long val)
{
	if (known)
		seq_printf(m, "%s %ld\n", key, val);
	else
		seq_printf(m, "%s -\n", key);
}

static void kv_u64(struct seq_file *m, const char *key, bool known, u64 val)
{
	if (known)
		seq_printf(m, "%s %llu\n", key, val);
	else
		seq_printf(m, "%s -\n", key);
}

static void kv_ulong(struct seq_file *m, const char *key, bool known,
		     unsigned long val)
{
	if (known)
		seq_printf(m, "%s %lu\n", key, val);
	else
		seq_printf(m, "%s -\n", key);
}

/* The domain's counters (domain.c); "-" for the other kind's. */
static void show_domain(struct seq_file *m, const struct oomlens_event *ev)
{
	bool cg = ev->domain == OOMLENS_DOMAIN_MEMCG;
	bool mem = ev->domain == OOMLENS_DOMAIN_MEM;
	u32 i;

	kv_ulong(m, OOMLENS_EV_DOMAIN_USAGE, cg, ev->dom_usage);
	kv_ulong(m, OOMLENS_EV_DOMAIN_LIMIT, cg, ev->dom_limit);
	kv_ulong(m, OOMLENS_EV_DOMAIN_FAILCNT, cg, ev->dom_failcnt);
	kv_ulong(m, OOMLENS_EV_DOMAIN_SWAP_USAGE, cg, ev->dom_swap_usage);
	kv_ulong(m, OOMLENS_EV_DOMAIN_SWAP_LIMIT, cg, ev->dom_swap_limit);
	kv_str(m, OOMLENS_EV_DOMAIN_SWAP_COUNTER, cg,
	       ev->dom_v1 ? OOMLENS_DOMAIN_MEMSW : OOMLENS_DOMAIN_SWAP);
	kv_ulong(m, OOMLENS_EV_DOMAIN_FREE, mem, ev->dom_free);
	kv_ulong(m, OOMLENS_EV_DOMAIN_AVAILABLE, mem, ev->dom_available);
	seq_printf(m, "%s ", OOMLENS_EV_DOMAIN_NODE_FREE);
	if (!mem || !ev->dom_nnodes)
		seq_puts(m, OOMLENS_NONE);
	for (i = 0; mem && i < ev->dom_nnodes; i++)
		seq_printf(m, "%s%d:%lu", i ? "," : "", ev->dom_node[i].nid,
			   ev->dom_node[i].free);
	if (mem && ev->dom_nodes_cut)
		seq_puts(m, "," OOMLENS_TRUNCATED);
	seq_putc(m, '\n');
}

static void show_event(struct seq_file *m, const struct oomlens_event *ev)
{
	bool c = ev->known_constraint, v = ev->has_victim;
	bool tp = c && ev->totalpages;
	u32 rem, i;
	u64 sec;

	seq_printf(m, "%s %llu\n", OOMLENS_EV_BEGIN, ev->seq);
	seq_printf(m, "%s %llu\n", OOMLENS_EV_TIME_BOOT, ev->boot_ns);
	sec = div_u64_rem(ev->real_ns, NSEC_PER_SEC, &rem);
	seq_printf(m, "%s %llu.%09u\n", OOMLENS_EV_TIME_REAL, sec, rem);
	kv_str(m, OOMLENS_EV_KIND, true, oomlens_kind_name(ev->kind));
	kv_str(m, OOMLENS_EV_SOURCE, true,
	       ev->from_probe ? OOMLENS_EVENTS_PATH_PROBES :
				OOMLENS_EVENTS_PATH_NOTIFIER);
	kv_long(m, OOMLENS_EV_INFERRED, true, ev->inferred);
	kv_long(m, OOMLENS_EV_PID, true, ev->pid);
	kv_esc(m, OOMLENS_EV_COMM, true, ev->comm, false);
	if (ev->known_gfp)
		seq_printf(m, "%s %#x(%pGg)\n", OOMLENS_EV_GFP, ev->gfp_mask,
			   &ev->gfp_mask);
	else
		kv_str(m, OOMLENS_EV_GFP, false, NULL);
	kv_long(m, OOMLENS_EV_ORDER, ev->known_gfp, ev->order);
	kv_str(m, OOMLENS_EV_CONSTRAINT, c,
	       oomlens_constraint_name(ev->constraint));
	if (c)
		seq_printf(m, "%s %*pbl\n", OOMLENS_EV_NODEMASK,
			   nodemask_pr_args(ev->has_nodemask ? &ev->nodemask :
							       NULL));
	else
		kv_str(m, OOMLENS_EV_NODEMASK, false, NULL);
	kv_esc(m, OOMLENS_EV_OOM_MEMCG, ev->kind == OOMLENS_KIND_MEMCG,
	       ev->oom_memcg, ev->oom_memcg_cut);
	kv_long(m, OOMLENS_EV_TOTALPAGES, tp, ev->totalpages);
	kv_str(m, OOMLENS_EV_OUTCOME, true, oomlens_outcome_name(ev->outcome));
	kv_long(m, OOMLENS_EV_VICTIM_PID, v, ev->victim_pid);
	kv_long(m, OOMLENS_EV_VICTIM_TID, ev->victim_tid, ev->victim_tid);
	kv_esc(m, OOMLENS_EV_VICTIM_COMM, v, ev->victim_comm, false);
	kv_long(m, OOMLENS_EV_VICTIM_UID, v, ev->victim_uid);
	kv_str(m, OOMLENS_EV_VICTIM_CHOSEN_BY, v,
	       ev->victim_by_alloc ? OOMLENS_CHOSEN_BY_ALLOCATING_TASK :
				     OOMLENS_CHOSEN_BY_BADNESS);
	/* oom_kill_allocating_task: the kernel computed no points. */
	kv_long(m, OOMLENS_EV_VICTIM_POINTS, v && !ev->victim_by_alloc,
		ev->victim_points);
	kv_long(m, OOMLENS_EV_VICTIM_SCORE, v && tp && !ev->victim_by_alloc,
		oomlens_oom_score(ev->victim_points, ev->totalpages));
	kv_long(m, OOMLENS_EV_VICTIM_RSS, v && ev->has_victim_rss,
		ev->victim_rss);
	kv_esc(m, OOMLENS_EV_VICTIM_MEMCG, v, ev->victim_memcg,
	       ev->victim_memcg_cut);
	kv_long(m, OOMLENS_EV_VICTIM_ADJ, v, ev->victim_adj);
	kv_u64(m, OOMLENS_EV_VICTIM_START, v, ev->victim_start_ns);
	kv_str(m, OOMLENS_EV_MEMCG_HIERARCHY, ev->has_memcg,
	       ev->memcg_v1 ? OOMLENS_MEMCG_V1 : OOMLENS_MEMCG_V2);
	kv_long(m, OOMLENS_EV_KILL_CALLS, ev->from_probe, ev->kill_calls);
	kv_long(m, OOMLENS_EV_KILLS, ev->from_probe, ev->kills);
	kv_long(m, OOMLENS_EV_PROBE_MISSED, ev->from_probe, ev->probe_missed);
	kv_long(m, OOMLENS_EV_PREDICTED, ev->predicted_pid, ev->predicted_pid);
	kv_str(m, OOMLENS_EV_PREDICTION, v && ev->predicted_pid,
	       oomlens_prediction_name(oomlens_event_prediction(ev)));
	kv_long(m, OOMLENS_EV_PANIC_ON_OOM, ev->has_sysctls, ev->panic_on_oom);
	kv_long(m, OOMLENS_EV_KILL_ALLOC, ev->has_sysctls,
		ev->oom_kill_allocating_task);
	kv_long(m, OOMLENS_EV_DUMP_TASKS, ev->has_sysctls, ev->oom_dump_tasks);
	kv_str(m, OOMLENS_EV_SYSCTLS, true,
	       ev->has_sysctls ? OOMLENS_SYSCTLS_KERNEL :
				 OOMLENS_SYSCTLS_UNAVAILABLE);
	kv_str(m, OOMLENS_EV_CANDIDATES_SRC, ev->cand_src != OOMLENS_CAND_NONE,
	       ev->cand_src == OOMLENS_CAND_KERNEL ? OOMLENS_SRC_KERNEL :
						     OOMLENS_SRC_DERIVED);
	kv_long(m, OOMLENS_EV_EVALUATED, ev->has_evaluation, ev->evaluated);
	kv_long(m, OOMLENS_EV_EVALUATION_EXCLUDED, ev->has_evaluation,
		ev->evaluation_excluded);
	kv_long(m, OOMLENS_EV_EVALUATION_MISSED, ev->has_evaluation,
		ev->evaluation_missed);
	kv_long(m, OOMLENS_EV_EVALUATION_UNSEEN, ev->has_evaluation,
		ev->evaluation_unseen);
	kv_long(m, OOMLENS_EV_VICTIM_MARGIN, ev->has_margin, ev->victim_margin);
	kv_long(m, OOMLENS_EV_CANDIDATES_UNREAD,
		ev->cand_src == OOMLENS_CAND_KERNEL, ev->candidates_unread);
	kv_str(m, OOMLENS_EV_CANDIDATES_COMPONENTS,
	       ev->components != OOMLENS_COMP_NONE,
	       ev->components == OOMLENS_COMP_READ ?
		       OOMLENS_COMPONENTS_READ :
		       OOMLENS_COMPONENTS_PREEMPT_RT);
	show_domain(m, ev);
	kv_long(m, OOMLENS_EV_CAND_MEMCGS, ev->has_cand_memcgs,
		ev->ncand_memcg);
	kv_long(m, OOMLENS_EV_CAND_MEMCG_UNKNOWN, ev->has_cand_memcgs,
		ev->cand_memcg_unknown);
	for (i = 0; i < ev->ncand_memcg; i++) {
		seq_printf(m, "%s%u ", OOMLENS_EV_CAND_MEMCG_PREFIX, i + 1);
		oomlens_seq_string(m, ev->cand_memcg[i], ev->cand_memcg_cut[i]);
		seq_putc(m, '\n');
	}
	seq_printf(m, "%s %u\n", OOMLENS_EV_CANDIDATES, ev->ncand);
	for (i = 0; i < ev->ncand; i++) {
		const struct oomlens_badness *b = &ev->cand[i];

		seq_printf(m, OOMLENS_EV_CAND_FMT, i + 1, b->pid, b->uid,
			   b->adj, b->points,
			   oomlens_oom_score(b->points, ev->totalpages), b->rss,
			   b->swapents, b->pgtables, b->read, b->start_ns,
			   b->memcg);
		oomlens_seq_string(m, b->comm, false);
		seq_putc(m, '\n');
	}
	seq_printf(m, "%s %llu %llu\n", OOMLENS_EV_END, ev->seq,
		   OOMLENS_EVENT_CHECK(ev->seq, (u64)ev->pid,
				       (u64)(tp ? ev->totalpages : 0),
				       (u64)(v ? ev->victim_pid : 0),
				       ev->boot_ns));
}

/* Copy event base + *pos, skipping to the oldest if it was overwritten. */
static void *events_get(struct seq_file *m, loff_t *pos)
{
	struct events_reader *r = m->private;
	u64 oldest, newest, seq;

	for (;;) {
		oomlens_events_range(&oldest, &newest);
		if (!r->base)
			r->base = oldest;
		seq = r->base + *pos;
		if (seq < oldest) {
			*pos = oldest - r->base;
			seq = oldest;
		}
		if (seq > newest)
			return NULL;
		if (oomlens_event_copy(seq, r->ev))
			return r->ev;
		/* Overwritten between the two calls: look again. */
	}
}

static void *events_start(struct seq_file *m, loff_t *pos)
{
	return events_get(m, pos);
}

static void *events_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return events_get(m, pos);
}

static void events_stop(struct seq_file *m, void *v)
{
}

static int events_show(struct seq_file *m, void *v)
{
	show_event(m, v);
	return 0;
}

static const struct seq_operations events_sops = {
	.start = events_start,
	.next = events_next,
	.stop = events_stop,
	.show = events_show,
};

/* One allocation, the event's copy after the reader: seq_release_private(). */
static int events_open(struct inode *inode, struct file *file)
{
	struct events_reader *r;

	BUILD_BUG_ON(sizeof(*r) % __alignof__(struct oomlens_event));
	r = __seq_open_private(file, &events_sops,
			       sizeof(*r) + oomlens_event_bytes());
	if (!r)
		return -ENOMEM;
	r->ev = (struct oomlens_event *)(r + 1);
	return 0;
}

/* Readable when an event after the last one read exists. */
static __poll_t events_poll(struct file *file, poll_table *wait)
{
	struct seq_file *m = file->private_data;
	struct events_reader *r = m->private;
	u64 oldest, newest;

	poll_wait(file, &events_file->wq, wait);
	oomlens_events_range(&oldest, &newest);
	if (newest &&
	    newest >= (r->base ? r->base : oldest) + READ_ONCE(m->index))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

/* A new event: wake the poll()ers (irq_work: hard irq, a thread on RT). */
static void wake_readers(struct irq_work *work)
{
	struct events_file *ef = container_of(work, struct events_file, wake);

	wake_up_interruptible_all(&ef->wq);
}

/**
 * oomlens_events_file_init - the events file's fops and wait queue
 *
 * Before the ring (oomlens_events_file_waker()).
 */
int __init oomlens_events_file_init(void)
{
	static const struct events_file template __initconst = {
		.fops = {
			.open = events_open,
			.read = seq_read,
			.llseek = seq_lseek,
			.poll = events_poll,
			.release = seq_release_private,
		},
	};

	events_file = kmemdup(&template, sizeof(template), GFP_KERNEL);
	if (!events_file)
		return -ENOMEM;
	lockdep_register_key(&events_file->wq_key);
	__init_waitqueue_head(&events_file->wq, "oomlens_events_wq",
			      &events_file->wq_key);
	init_irq_work(&events_file->wake, wake_readers);
	return 0;
}

/**
 * oomlens_events_file_create - "events" in @dir, with the full proxy
 * @dir: the module's debugfs directory
 */
void __init oomlens_events_file_create(struct dentry *dir)
{
	struct dentry *d;

	d = debugfs_create_file(OOMLENS_FILE_EVENTS, 0400, dir, NULL,
				&events_file->fops);
	if (!IS_ERR_OR_NULL(d))
		events_dentry = dget(d);
}

/* What the ring queues on each event (oomlens_events_init()). */
struct irq_work *oomlens_events_file_waker(void)
{
	return &events_file->wake;
}

/**
 * oomlens_events_file_exit - after debugfs_remove() and the last writer
 *
 * The files are removed, so a poll()er woken now gets EPOLLHUP from
 * debugfs and leaves the queue; an open file still holds the dentry, and
 * with it the fops, which its release reads: then events_file is kept.
 */
void oomlens_events_file_exit(void)
{
	bool open;

	wake_up_interruptible_poll(&events_file->wq,
				   EPOLLHUP | EPOLLERR | EPOLLIN);
	open = events_dentry && d_count(events_dentry) > 1;
	dput(events_dentry);
	events_dentry = NULL;
	if (open) {
		kmemleak_not_leak(events_file);
		pr_info("events was open at unload: %zu bytes kept for its readers\n",
			sizeof(*events_file));
	} else {
		lockdep_unregister_key(&events_file->wq_key);
		kfree(events_file);
	}
	events_file = NULL;
}

static int last_show(struct seq_file *m, void *v)
{
	struct oomlens_event *ev = m->private;
	u64 oldest, newest;

	oomlens_events_range(&oldest, &newest);
	if (newest && oomlens_event_copy(newest, ev))
		show_event(m, ev);
	return 0;
}

static int last_open(struct inode *inode, struct file *file)
{
	struct oomlens_event *ev = kmalloc(oomlens_event_bytes(), GFP_KERNEL);
	int ret;

	if (!ev)
		return -ENOMEM;
	ret = single_open(file, last_show, ev);
	if (ret)
		kfree(ev);
	return ret;
}

static int last_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	kfree(m->private);
	return single_release(inode, file);
}

const struct file_operations oomlens_last_fops = {
	.owner = THIS_MODULE,
	.open = last_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = last_release,
};
