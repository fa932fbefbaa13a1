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
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "commit.h"
#include "files.h"
#include "oomlens_abi.h"

/*
 * The keys of "commit" and "commit_check", in file order: a key, how its
 * value is printed, and where it is (an offset in the struct the file
 * presents, or a constant word).
 */
enum field_type {
	F_INT, /* int */
	F_BOOL, /* bool, as 0 or 1 */
	F_U64, /* u64 */
	F_ULONG, /* unsigned long */
	F_LONG, /* long */
	F_KB, /* unsigned long pages, printed in kB */
	F_STR, /* const char * */
	F_WORD, /* the constant word of the entry */
	F_MODE_NAME, /* int overcommit mode, as its name */
	F_BRANCH, /* bool kbytes_branch, as "kbytes" or "ratio" */
	F_VERDICT, /* bool allow, as "allow" or "deny" */
};

struct field {
	const char *key;
	enum field_type type;
	size_t off;
	const char *word; /* F_WORD */
};

#define C(key, type, member)                                             \
	{                                                                \
		key, type, offsetof(struct oomlens_commit, member), NULL \
	}
#define CW(key, word)                \
	{                            \
		key, F_WORD, 0, word \
	}

static const struct field commit_fields[] = {
	C(OOMLENS_COMMIT_MODE, F_INT, mode),
	C(OOMLENS_COMMIT_MODE_NAME, F_MODE_NAME, mode),
	C(OOMLENS_COMMIT_MODE_SRC, F_STR, mode_src),
	C(OOMLENS_COMMIT_RATIO, F_INT, ratio),
	C(OOMLENS_COMMIT_RATIO_SRC, F_STR, ratio_src),
	C(OOMLENS_COMMIT_KBYTES, F_ULONG, kbytes),
	C(OOMLENS_COMMIT_KBYTES_SRC, F_STR, kbytes_src),
	C(OOMLENS_COMMIT_TOTALRAM, F_ULONG, totalram),
	CW(OOMLENS_COMMIT_TOTALRAM_SRC, OOMLENS_SRC_EXPORTED),
	C(OOMLENS_COMMIT_HUGETLB, F_ULONG, hugetlb),
	C(OOMLENS_COMMIT_HUGETLB_SRC, F_STR, hugetlb_src),
	C(OOMLENS_COMMIT_SWAP, F_LONG, swap),
	C(OOMLENS_COMMIT_SWAP_SRC, F_STR, swap_src),
	C(OOMLENS_COMMIT_LIMIT, F_ULONG, limit),
	C(OOMLENS_COMMIT_LIMIT_KB, F_KB, limit),
	C(OOMLENS_COMMIT_LIMIT_SRC, F_STR, limit_src),
	C(OOMLENS_COMMIT_LIMIT_BRANCH, F_BRANCH, kbytes_branch),
	C(OOMLENS_COMMIT_LIMIT_BASE, F_ULONG, base),
	C(OOMLENS_COMMIT_LIMIT_SWAP, F_LONG, swap),
	C(OOMLENS_COMMIT_COMMITTED, F_ULONG, committed),
	C(OOMLENS_COMMIT_COMMITTED_KB, F_KB, committed),
	CW(OOMLENS_COMMIT_COMMITTED_SRC, OOMLENS_SRC_EXPORTED),
	C(OOMLENS_COMMIT_BATCH, F_INT, batch),
	C(OOMLENS_COMMIT_BATCH_SRC, F_STR, batch_src),
	C(OOMLENS_COMMIT_ERROR, F_ULONG, error),
	C(OOMLENS_COMMIT_ADMIN_KB, F_ULONG, admin_kbytes),
	C(OOMLENS_COMMIT_ADMIN, F_ULONG, admin_pages),
	C(OOMLENS_COMMIT_ADMIN_SRC, F_STR, admin_src),
	C(OOMLENS_COMMIT_USER_KB, F_ULONG, user_kbytes),
	C(OOMLENS_COMMIT_USER, F_ULONG, user_pages),
	C(OOMLENS_COMMIT_USER_SRC, F_STR, user_src),
	C(OOMLENS_COMMIT_HEADROOM_ROOT, F_LONG, headroom_root),
	C(OOMLENS_COMMIT_HEADROOM_USER, F_LONG, headroom_user),
};

#define Q(key, type, member)                                                   \
	{                                                                      \
		key, type, offsetof(struct oomlens_commit_check, member), NULL \
	}

static const struct field check_fields[] = {
	Q(OOMLENS_CHECK_PID, F_INT, pid),
	Q(OOMLENS_CHECK_BYTES, F_U64, bytes),
	Q(OOMLENS_CHECK_PAGES, F_ULONG, pages),
	Q(OOMLENS_CHECK_MODE, F_INT, c.mode),
	Q(OOMLENS_CHECK_MODE_NAME, F_MODE_NAME, c.mode),
	Q(OOMLENS_CHECK_RULE, F_STR, rule),
	Q(OOMLENS_CHECK_CAP_SYS_ADMIN, F_BOOL, cap_sys_admin),
	Q(OOMLENS_CHECK_LIMIT, F_ULONG, c.limit),
	Q(OOMLENS_CHECK_ADMIN, F_ULONG, c.admin_pages),
	Q(OOMLENS_CHECK_ADMIN_APPLIED, F_BOOL, admin_applied),
	Q(OOMLENS_CHECK_HAS_MM, F_BOOL, has_mm),
	Q(OOMLENS_CHECK_TOTAL_VM, F_ULONG, total_vm),
	Q(OOMLENS_CHECK_USER, F_ULONG, c.user_pages),
	Q(OOMLENS_CHECK_USER_APPLIED, F_LONG, user_applied),
	Q(OOMLENS_CHECK_ALLOWED, F_LONG, allowed),
	Q(OOMLENS_CHECK_COMMITTED, F_ULONG, c.committed),
	Q(OOMLENS_CHECK_COMMITTED_AFTER, F_LONG, committed_after),
	Q(OOMLENS_CHECK_ERROR, F_ULONG, c.error),
	Q(OOMLENS_CHECK_GUESS_MAX, F_ULONG, guess_max),
	Q(OOMLENS_CHECK_VERDICT, F_VERDICT, allow),
	Q(OOMLENS_CHECK_EXACT, F_BOOL, exact),
};

/* The line "<key> <value>\n" of @f in the struct at @base, into @buf. */
static size_t field_line(const struct field *f, const void *base, char *buf,
			 size_t size)
{
	const void *v = (const char *)base + f->off;

	switch (f->type) {
	case F_INT:
		return scnprintf(buf, size, "%s %d\n", f->key, *(int *)v);
	case F_BOOL:
		return scnprintf(buf, size, "%s %d\n", f->key, *(bool *)v);
	case F_U64:
		return scnprintf(buf, size, "%s %llu\n", f->key, *(u64 *)v);
	case F_ULONG:
		return scnprintf(buf, size, "%s %lu\n", f->key,
				 *(unsigned long *)v);
	case F_LONG:
		return scnprintf(buf, size, "%s %ld\n", f->key, *(long *)v);
	case F_KB:
		return scnprintf(buf, size, "%s %lu\n", f->key,
				 *(unsigned long *)v << (PAGE_SHIFT - 10));
	case F_STR:
		return scnprintf(buf, size, "%s %s\n", f->key,
				 *(const char **)v);
	case F_WORD:
		return scnprintf(buf, size, "%s %s\n", f->key, f->word);
	case F_MODE_NAME:
		return scnprintf(buf, size, "%s %s\n", f->key,
				 oomlens_commit_mode_name(*(int *)v));
	case F_BRANCH:
		return scnprintf(buf, size, "%s %s\n", f->key,
				 *(bool *)v ? OOMLENS_BRANCH_KBYTES :
					      OOMLENS_BRANCH_RATIO);
	case F_VERDICT:
		return scnprintf(buf, size, "%s %s\n", f->key,
				 *(bool *)v ? OOMLENS_VERDICT_ALLOW :
					      OOMLENS_VERDICT_DENY);
	}
	return 0;
}

/* The longest line: a key of about 30 bytes and a 20-digit number. */
#define FIELD_LINE_MAX 96

/* All of @fields for the struct at @base, into @buf; returns the length. */
static size_t fields_format(const struct field *fields, size_t n,
			    const void *base, char *buf, size_t size)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		len += field_line(&fields[i], base, buf + len, size - len);
	return len;
}

/* Formats the snapshot taken at open; see commit_open(). */
static int commit_show(struct seq_file *m, void *v)
{
	char line[FIELD_LINE_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commit_fields); i++) {
		field_line(&commit_fields[i], m->private, line, sizeof(line));
		seq_puts(m, line);
	}
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
	len = fields_format(check_fields, ARRAY_SIZE(check_fields), r, text,
			    CHECK_TEXT_SIZE);

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
