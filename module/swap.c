// SPDX-License-Identifier: GPL-2.0
/*
 * Swap inputs of the OOM badness normalisation that the kernel does not
 * export.
 *
 * /proc/<pid>/oom_score and a global OOM use totalpages = totalram_pages() +
 * total_swap_pages; a memcg OOM adds min(swap.max, total_swap_pages) when
 * vm_swappiness is not 0.  Neither total_swap_pages nor vm_swappiness is
 * exported.  Two paths, named in "stats" (swap_total_path, swappiness_path):
 *
 *   kernel  the kernel's variables, found through kallsyms at load;
 *   proc    exported API only: read /proc/meminfo "SwapTotal:" (which is
 *           total_swap_pages in kB, plus the pages of a swap area being
 *           turned off by a swapoff still in progress) and
 *           /proc/sys/vm/swappiness with kernel_read().  This sleeps, so it
 *           is only available in process context (the debugfs read path);
 *           oomlens_total_swap_pages_nosleep() then reports "unknown".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "oomlens.h"

static long *ksym_total_swap_pages;
static int *ksym_vm_swappiness;

#define PROC_MEMINFO	"/proc/meminfo"
#define PROC_SWAPPINESS	"/proc/sys/vm/swappiness"
#define PROC_READ_MAX	4096

int oomlens_swap_init(void)
{
	ksym_total_swap_pages = oomlens_ksym_data("total_swap_pages");
	ksym_vm_swappiness = oomlens_ksym_data("vm_swappiness");
	return 0;
}

const char *oomlens_swap_total_path(void)
{
	return ksym_total_swap_pages ? "kernel" : "proc";
}

const char *oomlens_swappiness_path(void)
{
	return ksym_vm_swappiness ? "kernel" : "proc";
}

/* Read a small /proc file into a NUL-terminated kmalloc'd buffer. */
static char *proc_read(const char *path)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n, len = 0;
	char *buf;

	might_sleep();
	buf = kmalloc(PROC_READ_MAX, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f)) {
		kfree(buf);
		return ERR_CAST(f);
	}
	while (len < PROC_READ_MAX - 1) {
		n = kernel_read(f, buf + len, PROC_READ_MAX - 1 - len, &pos);
		if (n < 0) {
			filp_close(f, NULL);
			kfree(buf);
			return ERR_PTR(n);
		}
		if (!n)
			break;
		len += n;
	}
	filp_close(f, NULL);
	buf[len] = '\0';
	return buf;
}

static int proc_swap_total(unsigned long *pages)
{
	char *buf = proc_read(PROC_MEMINFO);
	unsigned long kb;
	char *p;
	int ret = -EINVAL;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	p = strstr(buf, "\nSwapTotal:");
	if (p && sscanf(p + 1, "SwapTotal: %lu kB", &kb) == 1) {
		*pages = kb >> (PAGE_SHIFT - 10);
		ret = 0;
	}
	kfree(buf);
	return ret;
}

/**
 * oomlens_total_swap_pages - the kernel's total_swap_pages
 * @pages: set to the number of swap pages
 *
 * May sleep (the /proc path).  Returns 0 or -errno.
 */
int oomlens_total_swap_pages(unsigned long *pages)
{
	if (ksym_total_swap_pages) {
		*pages = (unsigned long)READ_ONCE(*ksym_total_swap_pages);
		return 0;
	}
	return proc_swap_total(pages);
}

/**
 * oomlens_total_swap_pages_nosleep - total_swap_pages from atomic context
 * @pages: set to the number of swap pages
 *
 * Returns false when only the sleeping /proc path is available.
 */
bool oomlens_total_swap_pages_nosleep(unsigned long *pages)
{
	if (!ksym_total_swap_pages)
		return false;
	*pages = (unsigned long)READ_ONCE(*ksym_total_swap_pages);
	return true;
}

/**
 * oomlens_vm_swappiness - the vm.swappiness sysctl
 * @val: set to its value
 *
 * May sleep (the /proc path).  Returns 0 or -errno.
 */
int oomlens_vm_swappiness(int *val)
{
	char *buf;
	int ret;

	if (ksym_vm_swappiness) {
		*val = READ_ONCE(*ksym_vm_swappiness);
		return 0;
	}
	buf = proc_read(PROC_SWAPPINESS);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = kstrtoint(strim(buf), 10, val);
	kfree(buf);
	return ret;
}
