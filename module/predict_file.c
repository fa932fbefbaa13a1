// SPDX-License-Identifier: GPL-2.0
/*
 * The "predict" file: the OOM killer's choice now, globally and for each
 * memory cgroup with a limit, in the format include/oomlens_abi.h defines.
 * It only formats what predict.c computes; the table is small (one row per
 * limited memcg), so it is built at read time in one buffer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>

#include "oomlens.h"
#include "oomlens_abi.h"

static const char * const result_name[] = {
	[OOMLENS_PREDICT_VICTIM] = OOMLENS_RESULT_VICTIM,
	[OOMLENS_PREDICT_NONE] = OOMLENS_RESULT_NONE,
	[OOMLENS_PREDICT_ABORT] = OOMLENS_RESULT_ABORT,
};

static void predict_row(struct seq_file *m, const struct oomlens_prediction *pr)
{
	seq_printf(m, "%s ", pr->memcg ? OOMLENS_SCOPE_MEMCG :
					 OOMLENS_SCOPE_GLOBAL);
	oomlens_seq_string(m, pr->cgroup, pr->path_truncated);
	seq_printf(m, " %lu %s ", pr->totalpages, result_name[pr->result]);
	if (pr->result == OOMLENS_PREDICT_NONE) {
		seq_puts(m, OOMLENS_NONE " " OOMLENS_NONE " " OOMLENS_NONE "\n");
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

static int predict_show(struct seq_file *m, void *v)
{
	struct oomlens_prediction *pr;
	unsigned int i, nr;

	pr = oomlens_predict(&nr);
	if (IS_ERR(pr))
		return PTR_ERR(pr);
	seq_puts(m, OOMLENS_PREDICT_HEADER "\n");
	for (i = 0; i < nr; i++)
		predict_row(m, &pr[i]);
	kvfree(pr);
	return 0;
}

static int predict_open(struct inode *inode, struct file *file)
{
	return single_open(file, predict_show, NULL);
}

const struct file_operations oomlens_predict_fops = {
	.owner = THIS_MODULE,
	.open = predict_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};
