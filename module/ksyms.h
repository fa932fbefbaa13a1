/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksyms.c: non-exported kernel symbols, resolved once at load (never with
 * exported_only=1, the module parameter this file owns).
 */
#ifndef OOMLENS_KSYMS_H
#define OOMLENS_KSYMS_H

#include <linux/init.h>
#include <linux/types.h>

struct seq_file;

extern bool oomlens_exported_only;

void __init oomlens_ksyms_init(void);
void *__init oomlens_ksym_func(const char *name);
void *__init oomlens_ksym_data(const char *name);
void oomlens_ksyms_show(struct seq_file *m);

#endif /* OOMLENS_KSYMS_H */
