/* SPDX-License-Identifier: GPL-2.0 */
/*
 * domain.c: the OOM's domain at the OOM, the counters the kernel prints in
 * its report (a memcg's usage and limit; free memory of the nodes).
 */
#ifndef OOMLENS_DOMAIN_H
#define OOMLENS_DOMAIN_H

struct oom_control;
struct oomlens_event;

void oomlens_domain_capture(struct oomlens_event *ev, struct oom_control *oc);

#endif /* OOMLENS_DOMAIN_H */
