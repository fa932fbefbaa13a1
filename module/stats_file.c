// SPDX-License-Identifier: GPL-2.0
/*
 * The "stats" file: the one presenter of the counters (stats.c) and of
 * what each component says about itself (which path it uses, the probes'
 * states).  It sits above every component, which depend on stats.c only
 * to count: the key order below is the ABI's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/seq_file.h>

#include "badness.h"
#include "event.h"
#include "files.h"
#include "ksyms.h"
#include "oomlens_abi.h"
#include "probes.h"
#include "stats.h"
#include "swap.h"

/* Which implementation each value comes from (OOMLENS_SRC_* words). */
static void show_sources(struct seq_file *m)
{
	/* The older _path keys, kept for readers that parse them. */
	seq_printf(m, "%s %s\n", OOMLENS_STAT_BADNESS_PATH,
		   oomlens_badness_path());
	seq_printf(m, "%s %s\n", OOMLENS_STAT_SWAP_TOTAL_PATH,
		   oomlens_swap_total_path());
	seq_printf(m, "%s %s\n", OOMLENS_STAT_SWAPPINESS_PATH,
		   oomlens_swappiness_path());
}

/*
 * The recorder's counters.  A call the kretprobe missed (no free instance)
 * never reached a handler: it is counted here, in oom_invocations and in
 * events_missed, from the probe's own count.
 */
static void show_events(struct seq_file *m)
{
	u64 oldest, newest, retained, overwritten, missed, nmissed;

	nmissed = oomlens_probes_nmissed();
	oomlens_events_range(&oldest, &newest);
	retained = newest ? newest - oldest + 1 : 0;
	overwritten = newest - retained;
	missed = oomlens_stat_read(OOMLENS_ST_EVENTS_MISSED) + nmissed;
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_OOM_INVOCATIONS,
		   oomlens_stat_read(OOMLENS_ST_OOM_INVOCATIONS) + nmissed);
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_EVENTS_RECORDED, retained);
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_EVENTS_DROPPED,
		   overwritten + missed);
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_EVENTS_OVERWRITTEN,
		   overwritten);
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_EVENTS_MISSED, missed);
	seq_printf(m, "%s %llu\n", OOMLENS_STAT_EVENTS_LAST_SEQ, newest);
	oomlens_stat_show(m, OOMLENS_ST_EVENTS_KILLS);
	oomlens_events_show_lifetime(m);
}

/* The provenance keys, added after the older keys, before the ksym_ lines. */
static void show_provenance(struct seq_file *m)
{
	seq_printf(m, "%s %s\n", OOMLENS_STAT_BADNESS_SRC,
		   oomlens_badness_src());
	seq_printf(m, "%s %s\n", OOMLENS_STAT_SWAP_TOTAL_SRC,
		   oomlens_swap_total_src());
	seq_printf(m, "%s %s\n", OOMLENS_STAT_SWAPPINESS_SRC,
		   oomlens_swappiness_src());
	seq_printf(m, "%s %s\n", OOMLENS_STAT_EVENTS_SRC, oomlens_events_src());
}

static int stats_show(struct seq_file *m, void *v)
{
	oomlens_stat_show(m, OOMLENS_ST_NOTIFIER_CALLS);
	oomlens_timer_show(m, OOMLENS_TIMER_NOTIFIER);
	oomlens_stat_show(m, OOMLENS_ST_PREALLOC_BYTES);
	seq_printf(m, "%s %d\n", OOMLENS_STAT_EXPORTED_ONLY,
		   oomlens_exported_only);
	show_sources(m);
	oomlens_timer_show(m, OOMLENS_TIMER_PROBE);
	oomlens_timer_show(m, OOMLENS_TIMER_SNAPSHOT);
	show_events(m);
	oomlens_probes_show(m);
	show_provenance(m);
	oomlens_ksyms_show(m);
	return 0;
}

static int stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, stats_show, inode->i_private);
}

const struct file_operations oomlens_stats_fops = {
	.owner = THIS_MODULE,
	.open = stats_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};
