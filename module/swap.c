// SPDX-License-Identifier: GPL-2.0
/*
 * Swap inputs of the badness normalisation and of the commit limit that the
 * kernel does not export.
 *
 * /proc/<pid>/oom_score and a global OOM use totalpages = totalram_pages() +
 * total_swap_pages; a memcg OOM adds min(swap.max, total_swap_pages) when
 * vm_swappiness is not 0; vm_commit_limit() adds total_swap_pages.  Neither
 * total_swap_pages nor vm_swappiness is exported.  Two paths, named in
 * "stats" (swap_total_source, swappiness_source; and in the older keys
 * swap_total_path, swappiness_path):
 *
 *   kernel  the kernel's variables, found through kallsyms at load;
 *   procfs  exported API only: /proc/meminfo "SwapTotal:" (which is
 *           total_swap_pages in kB, plus the pages of a swap area being
 *           turned off by a swapoff still in progress) and
 *           /proc/sys/vm/swappiness, read by procfs.c.  This sleeps, so it
 *           is only available in process context (the debugfs read path);
 *           oomlens_total_swap_pages_nosleep() then reports "unknown".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/mm.h>

#include "ksyms.h"
#include "oomlens_abi.h"
#include "procfs.h"
#include "swap.h"

static long *ksym_total_swap_pages __ro_after_init;
static int *ksym_vm_swappiness __ro_after_init;

void __init oomlens_swap_init(void)
{
	ksym_total_swap_pages = oomlens_ksym_data("total_swap_pages");
	ksym_vm_swappiness = oomlens_ksym_data("vm_swappiness");
}

const char *oomlens_swap_total_src(void)
{
	return ksym_total_swap_pages ? OOMLENS_SRC_KERNEL : OOMLENS_SRC_PROCFS;
}

const char *oomlens_swappiness_src(void)
{
	return ksym_vm_swappiness ? OOMLENS_SRC_KERNEL : OOMLENS_SRC_PROCFS;
}

/* The older words of the _path keys: "kernel" or "proc". */
const char *oomlens_swap_total_path(void)
{
	return ksym_total_swap_pages ? OOMLENS_PATH_KERNEL : OOMLENS_PATH_PROC;
}

const char *oomlens_swappiness_path(void)
{
	return ksym_vm_swappiness ? OOMLENS_PATH_KERNEL : OOMLENS_PATH_PROC;
}

/**
 * oomlens_total_swap_pages - the kernel's total_swap_pages
 * @pages: set to the number of swap pages
 *
 * May sleep (the /proc path).  Returns 0 or -errno.
 */
int oomlens_total_swap_pages(unsigned long *pages)
{
	unsigned long kb;
	int ret;

	if (oomlens_total_swap_pages_nosleep(pages))
		return 0;
	ret = oomlens_proc_meminfo_kb("SwapTotal", &kb);
	if (!ret)
		*pages = kb >> (PAGE_SHIFT - 10);
	return ret == -ENOENT ? -EINVAL : ret;
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
	if (ksym_vm_swappiness) {
		*val = READ_ONCE(*ksym_vm_swappiness);
		return 0;
	}
	return oomlens_proc_sysctl_int("/proc/sys/vm/swappiness", val);
}
