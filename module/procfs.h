/* SPDX-License-Identifier: GPL-2.0 */
/*
 * procfs.c: the fallback of every value the kernel does not export: one key
 * of /proc/meminfo, one /proc/sys value.  Process
 * context only (these sleep), in the reader's mount namespace.
 */
#ifndef OOMLENS_PROCFS_H
#define OOMLENS_PROCFS_H

#include <linux/types.h>

int oomlens_proc_meminfo_kb(const char *key, unsigned long *kb);
int oomlens_proc_sysctl_int(const char *path, int *v);
int oomlens_proc_sysctl_ulong(const char *path, unsigned long *v);

#endif /* OOMLENS_PROCFS_H */
