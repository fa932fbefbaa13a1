// SPDX-License-Identifier: GPL-2.0
/*
 * The "predict" file: the OOM killer's choice now, globally and for each
 * memory cgroup with a limit, in the format include/oomlens_abi.h defines.
 * It only formats what predict.c computes at open; the table is small (one
 * row per limited memcg), so it is printed in one buffer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "files.h"
#include "oomlens_abi.h"
#include "predict.h"

static const char *const result_name[] = {
	[OOMLENS_PREDICT_VICTIM] = OOMLENS_RESULT_VICTIM,
	[OOMLENS_PREDICT_NONE] = OOMLENS_RESULT_NONE,
	[OOMLENS_PREDICT_ABORT] = OOMLENS_RESULT_ABORT,
};

static void predict_row(struct seq_file *m, const struct oomlens_prediction *pr)
{
	seq_printf(m, "%s ",
		   pr->memcg ? OOMLENS_SCOPE_MEMCG : OOMLENS_SCOPE_GLOBAL);
	oomlens_seq_string(m, pr->cgroup, pr->path_truncated);
	seq_printf(m, " %lu %s ", pr->totalpages, result_name[pr->result]);
	if (pr->result == OOMLENS_PREDICT_NONE) {
		seq_puts(m,
			 OOMLENS_NONE " " OOMLENS_NONE " " OOMLENS_NONE "\n");
		return;
	}
	seq_printf(m, "%d ", pr->pid);
	if (pr->points == LONG_MIN)
		seq_puts(m, OOMLENS_NONE);
	else
		seq_printf(m, "%ld", pr->points);
	seq_putc(m, ' ');
	oomlens_seq_string(m, pr->comm, false);
	seq_putc(m, '\n');
}

struct predict_answer {
	struct oomlens_prediction *pr;
	unsigned int nr;
};

static int predict_show(struct seq_file *m, void *v)
{
	const struct predict_answer *a = m->private;
	unsigned int i;

	seq_puts(m, OOMLENS_PREDICT_HEADER "\n");
	for (i = 0; i < a->nr; i++)
		predict_row(m, &a->pr[i]);
	return 0;
}

/*
 * The prediction is made at open, outside the seq_file lock: its /proc
 * fallbacks (total swap, swappiness) read a seq_file themselves, and a
 * seq_file read inside another's ->show is recursive locking of the
 * seq_file mutex class to lockdep (found on the debug kernel).  Reads of
 * one open file return that answer; open again for a new one.
 */
static int predict_open(struct inode *inode, struct file *file)
{
	struct predict_answer *a;
	int ret;

	a = kmalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->pr = oomlens_predict(&a->nr);
	if (IS_ERR(a->pr)) {
		ret = PTR_ERR(a->pr);
		kfree(a);
		return ret;
	}
	ret = single_open(file, predict_show, a);
	if (ret) {
		kvfree(a->pr);
		kfree(a);
	}
	return ret;
}

static int predict_release(struct inode *inode, struct file *file)
{
	struct predict_answer *a =
		((struct seq_file *)file->private_data)->private;

	kvfree(a->pr);
	kfree(a);
	return single_release(inode, file);
}

const struct file_operations oomlens_predict_fops = {
	.owner = THIS_MODULE,
	.open = predict_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = predict_release,
};
