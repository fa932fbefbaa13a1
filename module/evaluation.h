/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evaluation.c: the candidates of an OOM from the kernel's own evaluation,
 * a return probe on oom_badness() armed only for the task inside
 * out_of_memory().  probes.c owns the OOMs in flight and calls these from
 * its handlers, one slot per OOM in flight.
 */
#ifndef OOMLENS_EVALUATION_H
#define OOMLENS_EVALUATION_H

#include <linux/init.h>
#include <linux/types.h>

struct kprobe;
struct oom_control;
struct oomlens_event;

/* OOMs in flight the probe can follow at once (probes.c's table). */
#define OOMLENS_EVAL_SLOTS 16

int __init oomlens_eval_register(void);
void oomlens_eval_unregister(void);
bool oomlens_eval_active(void);
bool oomlens_eval_wanted(void);
struct kprobe *oomlens_eval_kprobe(void);
int oomlens_eval_error(void);
u64 oomlens_eval_nmissed(void);
void oomlens_eval_begin(unsigned int slot, struct oomlens_event *ev);
void oomlens_eval_end(unsigned int slot);
bool oomlens_eval_kill(unsigned int slot, struct oomlens_event *ev,
		       struct oom_control *oc);
void oomlens_eval_finish(unsigned int slot, struct oomlens_event *ev);

#endif /* OOMLENS_EVALUATION_H */
