// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs interface: /sys/kernel/debug/oomlens/.  This file only
 * translates between files and the rest of the module; it computes nothing.
 * Every file is root-only: they show other users' processes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>

#include "oomlens.h"
#include "oomlens_abi.h"

static struct dentry *oomlens_dir;

static int version_show(struct seq_file *m, void *v)
{
	seq_printf(m, OOMLENS_VERSION_FMT, OOMLENS_VERSION,
		   OOMLENS_ABI_VERSION);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(version);

static int stats_show(struct seq_file *m, void *v)
{
	oomlens_stats_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static const struct {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
} oomlens_files[] = {
	{ OOMLENS_FILE_VERSION, 0400, &version_fops },
	{ OOMLENS_FILE_STATS, 0400, &stats_fops },
	{ OOMLENS_FILE_EVENTS, 0400, &oomlens_events_fops },
	{ OOMLENS_FILE_LAST, 0400, &oomlens_last_fops },
	{ OOMLENS_FILE_TASKS, 0400, &oomlens_tasks_fops },
	{ OOMLENS_FILE_PREDICT, 0400, &oomlens_predict_fops },
	{ OOMLENS_FILE_COMMIT, 0400, &oomlens_commit_fops },
	{ OOMLENS_FILE_COMMIT_CHECK, 0600, &oomlens_commit_check_fops },
};

/* debugfs_create_*() failures are not fatal and need not be checked. */
void oomlens_debugfs_init(void)
{
	unsigned int i;

	oomlens_dir = debugfs_create_dir(OOMLENS_DIR_NAME, NULL);
	for (i = 0; i < ARRAY_SIZE(oomlens_files); i++)
		debugfs_create_file(oomlens_files[i].name,
				    oomlens_files[i].mode, oomlens_dir, NULL,
				    oomlens_files[i].fops);
}

/*
 * Recursive; debugfs waits for readers inside a file operation to leave
 * before the files are gone, so data freed after this is not reachable.
 */
void oomlens_debugfs_exit(void)
{
	debugfs_remove(oomlens_dir);
}
