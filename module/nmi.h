/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nmi.c: what a probe handler may do in any context, NMI included (an
 * int3-based kprobe): bounded trylocks there, a lock-free comm copy.  The
 * lock helpers return false, not holding the lock, when it could not be had;
 * on true the caller holds it and says so to sparse with __acquire() (the
 * helper's __release() hands the context over; both are no-ops outside
 * sparse).
 */
#ifndef OOMLENS_NMI_H
#define OOMLENS_NMI_H

#include <linux/spinlock.h>
#include <linux/types.h>

struct task_struct;

void oomlens_handler_enter(void);
bool oomlens_handler_raw_lock(raw_spinlock_t *lock, unsigned long *flags);
bool oomlens_spinlock_allowed(void);
bool oomlens_handler_task_lock(struct task_struct *t);
void oomlens_copy_comm(char *dst, struct task_struct *t);

#endif /* OOMLENS_NMI_H */
