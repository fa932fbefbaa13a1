// SPDX-License-Identifier: GPL-2.0
/*
 * The "tasks" file: one row per thread group with its OOM badness, in the
 * format include/oomlens_abi.h defines.  It only formats what badness.c and
 * memcg.c compute.
 *
 * A seq_file iterator walks thread groups by tgid (find_ge_pid(), as
 * /proc's readdir does), holding a reference on the current task only: the
 * position is "the first tgid >= pos - 1", so after each buffer flush the
 * walk re-finds its place by pid, no table is ever built, and no lock is
 * held while seq_read() copies to userspace.  totalpages is read once per
 * open so all rows of one read use the same normalisation.  A row's memcg
 * path is resolved once per run of tasks in the same memcg (task_path())
 * within one read(): a memcg renamed meanwhile may keep its old name for
 * the rest of that read, as a /proc scan racing the rename would.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>

#include "badness.h"
#include "files.h"
#include "memcg.h"
#include "oomlens_abi.h"

struct tasks_iter {
	unsigned long totalpages;
	struct cgroup_subsys_state *css; /* path's memcg, referenced; or NULL */
	bool truncated; /* path was cut to fit */
	char path[OOMLENS_CGROUP_PATH_LEN];
};

/* The thread group leader with the lowest tgid >= @tgid, referenced. */
static struct task_struct *tgid_from(pid_t tgid)
{
	struct task_struct *task = NULL;
	struct pid *pid;

	if (tgid < 0)
		return NULL;
	rcu_read_lock();
	while ((pid = find_ge_pid(tgid, &init_pid_ns))) {
		task = pid_task(pid, PIDTYPE_TGID);
		if (task) {
			get_task_struct(task);
			break;
		}
		tgid = pid_nr(pid) + 1;
	}
	rcu_read_unlock();
	return task;
}

/* Position 0 is the header; a task with tgid T sits at T + 1. */
static void *tasks_start(struct seq_file *m, loff_t *pos)
{
	if (!*pos)
		return SEQ_START_TOKEN;
	if (*pos > PID_MAX_LIMIT + 1)
		return NULL;
	return tgid_from(*pos - 1);
}

static void *tasks_next(struct seq_file *m, void *v, loff_t *pos)
{
	pid_t next = 0;

	if (v != SEQ_START_TOKEN) {
		next = task_tgid_nr(v) + 1;
		put_task_struct(v);
	}
	*pos = next + 1;
	return tgid_from(next);
}

static void tasks_stop(struct seq_file *m, void *v)
{
	struct tasks_iter *it = m->private;

	if (v && v != SEQ_START_TOKEN)
		put_task_struct(v);
	/* No memcg stays pinned between two reads of an open file. */
	if (it->css)
		css_put(it->css);
	it->css = NULL;
}

/*
 * @p's memcg path into it->path.  Tasks of one memcg come in runs, so the
 * last memcg's path is kept, with a reference that keeps its address from
 * being reused by another memcg while it is kept (until tasks_stop()).
 */
static void task_path(struct tasks_iter *it, struct task_struct *p)
{
	struct cgroup_subsys_state *css, *old = NULL;

	rcu_read_lock();
	css = oomlens_task_memcg(p);
	if (css && css == it->css) {
		rcu_read_unlock();
		return;
	}
	it->truncated = oomlens_memcg_path(css, it->path, sizeof(it->path)) ==
			-ENAMETOOLONG;
	if (css && css_tryget(css)) {
		old = it->css;
		it->css = css;
	} else {
		old = it->css;
		it->css = NULL;
	}
	rcu_read_unlock();
	if (old)
		css_put(old);
}

static int tasks_show(struct seq_file *m, void *v)
{
	struct tasks_iter *it = m->private;
	struct oomlens_badness b;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, OOMLENS_TASKS_HEADER "\n");
		return 0;
	}
	oomlens_task_badness(v, it->totalpages, &b);
	task_path(it, v);

	/* seq_put_decimal_*(): a row costs a fraction of seq_printf()'s. */
	seq_put_decimal_ll(m, "", b.pid);
	seq_put_decimal_ull(m, " ", b.uid);
	seq_putc(m, ' ');
	oomlens_seq_string(m, b.comm, false);
	seq_put_decimal_ull(m, " ", b.rss);
	seq_put_decimal_ull(m, " ", b.swapents);
	seq_put_decimal_ull(m, " ", b.pgtables);
	seq_put_decimal_ll(m, " ", b.adj);
	seq_putc(m, ' ');
	if (b.points == LONG_MIN)
		seq_puts(m, OOMLENS_NONE);
	else
		seq_put_decimal_ll(m, "", b.points);
	seq_put_decimal_ull(m, " ",
			    oomlens_oom_score(b.points, it->totalpages));
	seq_putc(m, ' ');
	seq_puts(m, oomlens_task_state_name(b.state));
	seq_putc(m, ' ');
	oomlens_seq_string(m, it->path, it->truncated);
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations tasks_sops = {
	.start = tasks_start,
	.next = tasks_next,
	.stop = tasks_stop,
	.show = tasks_show,
};

static int tasks_open(struct inode *inode, struct file *file)
{
	struct tasks_iter *it;
	unsigned long totalpages;
	int ret;

	ret = oomlens_proc_totalpages(&totalpages);
	if (ret)
		return ret;
	it = __seq_open_private(file, &tasks_sops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->totalpages = totalpages;
	return 0;
}

const struct file_operations oomlens_tasks_fops = {
	.owner = THIS_MODULE,
	.open = tasks_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};
