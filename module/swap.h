/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swap.c: inputs of the badness normalisation and of the commit limit that
 * the kernel does not export (total_swap_pages, vm_swappiness): the
 * kernel's variables when kallsyms gives them, else read from /proc
 * (process context only).  The _src functions name the path in use with an
 * OOMLENS_SRC_* word.
 */
#ifndef OOMLENS_SWAP_H
#define OOMLENS_SWAP_H

#include <linux/init.h>
#include <linux/types.h>

void __init oomlens_swap_init(void);
int oomlens_total_swap_pages(unsigned long *pages);
bool oomlens_total_swap_pages_nosleep(unsigned long *pages);
int oomlens_vm_swappiness(int *val);
const char *oomlens_swap_total_src(void);
const char *oomlens_swappiness_src(void);
const char *oomlens_swap_total_path(void);
const char *oomlens_swappiness_path(void);

#endif /* OOMLENS_SWAP_H */
