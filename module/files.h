/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The presenters of the debugfs files (one *_file.c each) and what they
 * share (fmt.c); debugfs.c creates the files.
 */
#ifndef OOMLENS_FILES_H
#define OOMLENS_FILES_H

#include <linux/fs.h>
#include <linux/types.h>

struct dentry;
struct seq_file;

/* fmt.c: formatting shared by the table files */
void oomlens_seq_string(struct seq_file *m, const char *s, bool truncated);

extern const struct file_operations oomlens_stats_fops;
/* events_file.c: "events" does not pin the module (see there) */
int __init oomlens_events_file_init(void);
void __init oomlens_events_file_create(struct dentry *dir);
struct irq_work *oomlens_events_file_waker(void);
void oomlens_events_file_exit(void);
extern const struct file_operations oomlens_last_fops;
extern const struct file_operations oomlens_tasks_fops;
extern const struct file_operations oomlens_predict_fops;
extern const struct file_operations oomlens_commit_fops;
extern const struct file_operations oomlens_commit_check_fops;

/* debugfs.c */
void __init oomlens_debugfs_init(void);
void oomlens_debugfs_exit(void);

#endif /* OOMLENS_FILES_H */
