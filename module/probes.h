/* SPDX-License-Identifier: GPL-2.0 */
/* probes.c: kprobes on out_of_memory() and the kill path. */
#ifndef OOMLENS_PROBES_H
#define OOMLENS_PROBES_H

#include <linux/init.h>
#include <linux/types.h>

struct seq_file;

int __init oomlens_probes_register(void);
void oomlens_probes_unregister(void);
bool oomlens_probes_active(void);
u64 oomlens_probes_nmissed(void);
bool oomlens_probes_notified(unsigned long freed);
const char *oomlens_events_src(void);
void oomlens_probes_show(struct seq_file *m);

#endif /* OOMLENS_PROBES_H */
