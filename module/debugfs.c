// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs interface: /sys/kernel/debug/oomlens/.  This file only
 * translates between files and the rest of the module; it computes nothing.
 * Every file is root-only: they show other users' processes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/seq_file.h>

#include "files.h"
#include "oomlens_abi.h"

static struct dentry *oomlens_dir;

static int version_show(struct seq_file *m, void *v)
{
	seq_printf(m, OOMLENS_VERSION_FMT, OOMLENS_VERSION,
		   OOMLENS_ABI_VERSION);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(version);

static const struct {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
} oomlens_files[] = {
	{ OOMLENS_FILE_VERSION, 0400, &version_fops },
	{ OOMLENS_FILE_STATS, 0400, &oomlens_stats_fops },
	{ OOMLENS_FILE_EVENTS, 0400, NULL }, /* events_file.c: unpinned */
	{ OOMLENS_FILE_LAST, 0400, &oomlens_last_fops },
	{ OOMLENS_FILE_TASKS, 0400, &oomlens_tasks_fops },
	{ OOMLENS_FILE_PREDICT, 0400, &oomlens_predict_fops },
	{ OOMLENS_FILE_COMMIT, 0400, &oomlens_commit_fops },
	{ OOMLENS_FILE_COMMIT_CHECK, 0600, &oomlens_commit_check_fops },
};

/*
 * The files are not registered with their own fops but with this gate,
 * which has no .owner, and their fops ride in i_private.  Why: debugfs's
 * open takes a reference on fops->owner and, if that fails while the
 * module does not yet read GOING, WARNs "debugfs file owner did not clean
 * up at exit".  delete_module() makes exactly that window: try_stop_module()
 * drops the reference count to zero and only then sets MODULE_STATE_GOING,
 * so an open racing rmmod WARNs (a panic under panic_on_warn).  An
 * owner-less fops_get() cannot fail; the gate takes the reference itself
 * and, if the module is going, fails the open with -ENXIO, quietly, as
 * debugfs does once the state reads GOING.
 *
 * The gate runs inside debugfs_file_get() (open_proxy_open()), so the
 * module's text and i_private outlive it: debugfs_remove() at exit waits for
 * it.  Then the file's f_op becomes the real fops, whose .owner is this
 * module: the reference taken here is dropped by the VFS, fops_put() in
 * __fput() after ->release (or in do_dentry_open() if ->open fails), never
 * by module code, which could not return into unloaded text.  An open file
 * pins the module, so its later operations need no debugfs_file_get(): this
 * is why the files are created "unsafe" (no full proxy, whose open would
 * also reject the gate's replacing f_op).  All but "events", which must not
 * pin the module and takes the other way (events_file.c).
 */
static int oomlens_gate_open(struct inode *inode, struct file *file)
{
	const struct file_operations *fops = inode->i_private;

	if (!try_module_get(THIS_MODULE))
		return -ENXIO;
	replace_fops(file, fops);
	return fops->open ? fops->open(inode, file) : 0;
}

static const struct file_operations oomlens_gate_fops = {
	.open = oomlens_gate_open,
};

/* debugfs_create_*() failures are not fatal and need not be checked. */
void __init oomlens_debugfs_init(void)
{
	unsigned int i;

	oomlens_dir = debugfs_create_dir(OOMLENS_DIR_NAME, NULL);
	for (i = 0; i < ARRAY_SIZE(oomlens_files); i++) {
		const struct file_operations *fops = oomlens_files[i].fops;

		if (!fops) {
			oomlens_events_file_create(oomlens_dir);
			continue;
		}
		debugfs_create_file_unsafe(oomlens_files[i].name,
					   oomlens_files[i].mode, oomlens_dir,
					   (void *)fops, &oomlens_gate_fops);
	}
}

/*
 * Recursive; debugfs waits for readers inside a file operation to leave
 * before the files are gone, so data freed after this is not reachable.
 */
void oomlens_debugfs_exit(void)
{
	debugfs_remove(oomlens_dir);
}
