// SPDX-License-Identifier: GPL-2.0
/*
 * The /proc fallback, one reader and one parser for every value of the
 * kernel's that is not exported (exported_only=1, or a symbol not found):
 * swap.c reads total_swap_pages ("SwapTotal:") and vm.swappiness here,
 * commit.c the overcommit sysctls and "Hugetlb:".  Never a value that we
 * must equal (CommitLimit, Committed_AS): the tests compare with those.
 *
 * Everything here sleeps (filp_open(), kernel_read()) and allocates: the
 * debugfs read path only, in the reader's process context and mount
 * namespace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "procfs.h"

#define PROC_MEMINFO "/proc/meminfo"
#define MEMINFO_BUF_SIZE 8192

/**
 * proc_read - a whole (small) /proc file
 * @path: its path
 * @buf: where it goes, NUL-terminated (cut at @size - 1 bytes)
 * @size: the size of @buf, at least 1
 *
 * Returns 0 or -errno.
 */
static int proc_read(const char *path, char *buf, size_t size)
{
	struct file *f;
	size_t len = 0;
	loff_t pos = 0;
	ssize_t n;

	might_sleep();
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	while (len < size - 1) {
		n = kernel_read(f, buf + len, size - 1 - len, &pos);
		if (n < 0) {
			filp_close(f, NULL);
			return n;
		}
		if (!n)
			break;
		len += n;
	}
	filp_close(f, NULL);
	buf[len] = '\0';
	return 0;
}

/* "Key:   <n> kB" in @text, in kB; -ENOENT if absent. */
static int meminfo_kb(const char *text, const char *key, unsigned long *kb)
{
	size_t kl = strlen(key);
	const char *p = text;
	char num[24];
	size_t i;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == ':') {
			p = skip_spaces(p + kl + 1);
			for (i = 0;
			     i < sizeof(num) - 1 && p[i] >= '0' && p[i] <= '9';
			     i++)
				num[i] = p[i];
			num[i] = '\0';
			return kstrtoul(num, 10, kb);
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -ENOENT;
}

/**
 * oomlens_proc_meminfo_kb - one key of /proc/meminfo
 * @key: its name without the colon ("SwapTotal")
 * @kb: set to its value, in kB
 *
 * Returns 0, -ENOENT when the key is absent, or another -errno.
 */
int oomlens_proc_meminfo_kb(const char *key, unsigned long *kb)
{
	char *buf = kmalloc(MEMINFO_BUF_SIZE, GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = proc_read(PROC_MEMINFO, buf, MEMINFO_BUF_SIZE);
	if (!ret)
		ret = meminfo_kb(buf, key, kb);
	kfree(buf);
	return ret;
}

/* One decimal value of a /proc/sys file, as an int or an unsigned long. */
int oomlens_proc_sysctl_int(const char *path, int *v)
{
	char buf[32];
	int ret = proc_read(path, buf, sizeof(buf));

	return ret ?: kstrtoint(strim(buf), 10, v);
}

int oomlens_proc_sysctl_ulong(const char *path, unsigned long *v)
{
	char buf[32];
	int ret = proc_read(path, buf, sizeof(buf));

	return ret ?: kstrtoul(strim(buf), 10, v);
}
