// SPDX-License-Identifier: GPL-2.0
/*
 * The "commit" and "commit_check" files: presentation of commit.c's numbers.
 *
 * commit is read-only and flat keyed.  commit_check is the what-if: a
 * write of "<pid> <bytes>" (or "<bytes>" for the writer) computes an answer
 * that later reads of the same open file return.  The answer is private to
 * the open file (kept in private_data), so concurrent users never see each
 * other's answers; a successful write sets the file position back to 0 so
 * the next read starts at the top of the new answer.  A bad write changes
 * nothing: the previous answer stays readable.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "oomlens.h"
#include "oomlens_abi.h"

/* Formats the snapshot taken at open; see commit_open(). */
static int commit_show(struct seq_file *m, void *v)
{
	const struct oomlens_commit *c = m->private;

	seq_printf(m, "%s %d\n", OOMLENS_COMMIT_MODE, c->mode);
	seq_printf(m, "%s %s\n", OOMLENS_COMMIT_MODE_NAME,
		   oomlens_commit_mode_name(c->mode));
	seq_printf(m, "%s %s\n", OOMLENS_COMMIT_MODE_SRC, c->mode_src);
	seq_printf(m, "%s %d\n", OOMLENS_COMMIT_RATIO, c->ratio);
	seq_printf(m, "%s %s\n", OOMLENS_COMMIT_RATIO_SRC, c->ratio_src);
	seq_printf(m, "%s %lu\n", OOMLENS_COMMIT_KBYTES, c->kbytes);
	seq_printf(m, "%s %s\n", OOMLENS_COMMIT_KBYTES_SRC, c->kbytes_src);
	seq_printf(m, "%s %lu\n", OOMLENS_COMMIT_TOTALRAM, c->totalram);
	seq_printf(m, "%s %s\n", OOMLENS_COMMIT_TOTALRAM_SRC,
		   OOMLENS_SRC_EXPORTED);
	seq_printf(m, "%s %lu\n", OOMLENS_COMMIT_HUGETLB, c->hugetlb);
	seq_printf(m, "%s %s\n", OOMLENS_COMMIT_HUGETLB_SRC, c->hugetlb_src);
	seq_printf(m, "%s %ld\n", OOMLENS_COMMIT_SWAP, c->swap);
	seq_printf(m, "%s %s\n", OOMLENS_COMMIT_SWAP_SRC, c->swap_src);
	seq_printf(m, "%s %lu\n", OOMLENS_COMMIT_LIMIT, c->limit);
	seq_printf(m, "%s %lu\n", OOMLENS_COMMIT_LIMIT_KB,
		   c->limit << (PAGE_SHIFT - 10));
	seq_printf(m, "%s %s\n", OOMLENS_COMMIT_LIMIT_SRC, c->limit_src);
	seq_printf(m, "%s %s\n", OOMLENS_COMMIT_LIMIT_BRANCH,
		   c->kbytes_branch ? OOMLENS_BRANCH_KBYTES :
				      OOMLENS_BRANCH_RATIO);
	seq_printf(m, "%s %lu\n", OOMLENS_COMMIT_LIMIT_BASE, c->base);
	seq_printf(m, "%s %ld\n", OOMLENS_COMMIT_LIMIT_SWAP, c->swap);
	seq_printf(m, "%s %lu\n", OOMLENS_COMMIT_COMMITTED, c->committed);
	seq_printf(m, "%s %lu\n", OOMLENS_COMMIT_COMMITTED_KB,
		   c->committed << (PAGE_SHIFT - 10));
	seq_printf(m, "%s %s\n", OOMLENS_COMMIT_COMMITTED_SRC,
		   OOMLENS_SRC_EXPORTED);
	seq_printf(m, "%s %d\n", OOMLENS_COMMIT_BATCH, c->batch);
	seq_printf(m, "%s %s\n", OOMLENS_COMMIT_BATCH_SRC, c->batch_src);
	seq_printf(m, "%s %lu\n", OOMLENS_COMMIT_ERROR, c->error);
	seq_printf(m, "%s %lu\n", OOMLENS_COMMIT_ADMIN_KB, c->admin_kbytes);
	seq_printf(m, "%s %lu\n", OOMLENS_COMMIT_ADMIN, c->admin_pages);
	seq_printf(m, "%s %s\n", OOMLENS_COMMIT_ADMIN_SRC, c->admin_src);
	seq_printf(m, "%s %lu\n", OOMLENS_COMMIT_USER_KB, c->user_kbytes);
	seq_printf(m, "%s %lu\n", OOMLENS_COMMIT_USER, c->user_pages);
	seq_printf(m, "%s %s\n", OOMLENS_COMMIT_USER_SRC, c->user_src);
	seq_printf(m, "%s %ld\n", OOMLENS_COMMIT_HEADROOM_ROOT,
		   c->headroom_root);
	seq_printf(m, "%s %ld\n", OOMLENS_COMMIT_HEADROOM_USER,
		   c->headroom_user);
	return 0;
}

/*
 * The numbers are taken once, at open, outside any seq_file lock: the
 * fallback reads /proc/meminfo, itself a seq_file, and a read(2) in pieces
 * should not mix two snapshots.
 */
static int commit_open(struct inode *inode, struct file *file)
{
	struct oomlens_commit *c = kmalloc(sizeof(*c), GFP_KERNEL);
	int ret;

	if (!c)
		return -ENOMEM;
	ret = oomlens_commit_read(c);
	if (!ret)
		ret = single_open(file, commit_show, c);
	if (ret)
		kfree(c);
	return ret;
}

static int commit_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	kfree(m->private);
	return single_release(inode, file);
}

/* ---- commit_check ---------------------------------------------------- */

#define CHECK_TEXT_SIZE 1024

struct commit_check_file {
	struct mutex lock; /* writes and reads of this open file */
	size_t len; /* 0: no answer yet */
	char text[CHECK_TEXT_SIZE];
};

static int commit_check_open(struct inode *inode, struct file *file)
{
	struct commit_check_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	file->private_data = f;
	return 0;
}

static int commit_check_release(struct inode *inode, struct file *file)
{
	struct commit_check_file *f = file->private_data;

	mutex_destroy(&f->lock);
	kfree(f);
	return 0;
}

/* A field of decimal digits only (no sign, no base prefix). */
static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/*
 * "<pid> <bytes>" or "<bytes>", fields separated by blanks, one optional
 * trailing newline.  *pid is 0 for the writer itself.
 */
static int parse_query(char *buf, pid_t *pid, u64 *bytes)
{
	char *field[2], *p = buf, *tok;
	int n = 0, ret;

	while ((tok = strsep(&p, " \t")) != NULL) {
		if (!*tok)
			continue; /* a run of blanks */
		if (n == ARRAY_SIZE(field))
			return -EINVAL;
		field[n++] = tok;
	}
	if (!n)
		return -EINVAL;
	if (!all_digits(field[0]) || (n == 2 && !all_digits(field[1])))
		return -EINVAL;
	*pid = 0;
	if (n == 2) {
		ret = kstrtoint(field[0], 10, pid);
		if (ret)
			return -EINVAL;
		if (!*pid)
			return -ESRCH;
	}
	ret = kstrtou64(field[n - 1], 10, bytes);
	return ret ? -EINVAL : 0;
}

static size_t format_check(const struct oomlens_commit_check *r, char *buf,
			   size_t size)
{
	/* checkpatch wants no line ending in '(' */
	/* clang-format off */
	return scnprintf(buf, size,
		"%s %d\n%s %llu\n%s %lu\n%s %d\n%s %s\n%s %s\n%s %d\n"
		"%s %lu\n%s %lu\n%s %d\n%s %d\n%s %lu\n%s %lu\n%s %ld\n"
		"%s %ld\n%s %lu\n%s %ld\n%s %lu\n%s %lu\n%s %s\n%s %d\n",
		OOMLENS_CHECK_PID, r->pid, OOMLENS_CHECK_BYTES, r->bytes,
		OOMLENS_CHECK_PAGES, r->pages, OOMLENS_CHECK_MODE, r->c.mode,
		OOMLENS_CHECK_MODE_NAME, oomlens_commit_mode_name(r->c.mode),
		OOMLENS_CHECK_RULE, r->rule, OOMLENS_CHECK_CAP_SYS_ADMIN,
		r->cap_sys_admin, OOMLENS_CHECK_LIMIT, r->c.limit,
		OOMLENS_CHECK_ADMIN, r->c.admin_pages,
		OOMLENS_CHECK_ADMIN_APPLIED, r->admin_applied,
		OOMLENS_CHECK_HAS_MM, r->has_mm, OOMLENS_CHECK_TOTAL_VM,
		r->total_vm, OOMLENS_CHECK_USER, r->c.user_pages,
		OOMLENS_CHECK_USER_APPLIED, r->user_applied,
		OOMLENS_CHECK_ALLOWED, r->allowed, OOMLENS_CHECK_COMMITTED,
		r->c.committed, OOMLENS_CHECK_COMMITTED_AFTER,
		r->committed_after, OOMLENS_CHECK_ERROR, r->c.error,
		OOMLENS_CHECK_GUESS_MAX, r->guess_max, OOMLENS_CHECK_VERDICT,
		r->allow ? OOMLENS_VERDICT_ALLOW : OOMLENS_VERDICT_DENY,
		OOMLENS_CHECK_EXACT, r->exact);
	/* clang-format on */
}

static ssize_t commit_check_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct commit_check_file *f = file->private_data;
	char in[OOMLENS_CHECK_MAX_INPUT + 1];
	struct oomlens_commit_check *r;
	char *text;
	size_t len;
	pid_t pid;
	u64 bytes;
	int ret;

	if (!count || count > OOMLENS_CHECK_MAX_INPUT)
		return -EINVAL;
	if (copy_from_user(in, ubuf, count))
		return -EFAULT;
	in[count] = '\0';
	if (strlen(in) != count)
		return -EINVAL; /* embedded NUL */
	if (in[count - 1] == '\n')
		in[count - 1] = '\0';
	ret = parse_query(in, &pid, &bytes);
	if (ret)
		return ret;

	r = kmalloc(sizeof(*r), GFP_KERNEL);
	text = kmalloc(CHECK_TEXT_SIZE, GFP_KERNEL);
	if (!r || !text) {
		ret = -ENOMEM;
		goto out;
	}
	ret = oomlens_commit_check(pid, bytes, r);
	if (ret)
		goto out;
	len = format_check(r, text, CHECK_TEXT_SIZE);

	mutex_lock(&f->lock);
	memcpy(f->text, text, len);
	f->len = len;
	*ppos = 0;
	mutex_unlock(&f->lock);
	ret = count;
out:
	kfree(text);
	kfree(r);
	return ret;
}

static ssize_t commit_check_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct commit_check_file *f = file->private_data;
	ssize_t ret;

	mutex_lock(&f->lock);
	if (!f->len)
		ret = -ENODATA; /* nothing asked on this open file */
	else
		ret = simple_read_from_buffer(ubuf, count, ppos, f->text,
					      f->len);
	mutex_unlock(&f->lock);
	return ret;
}

const struct file_operations oomlens_commit_fops = {
	.owner = THIS_MODULE,
	.open = commit_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = commit_release,
};

const struct file_operations oomlens_commit_check_fops = {
	.owner = THIS_MODULE,
	.open = commit_check_open,
	.read = commit_check_read,
	.write = commit_check_write,
	.llseek = default_llseek,
	.release = commit_check_release,
};
