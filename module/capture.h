/* SPDX-License-Identifier: GPL-2.0 */
/*
 * capture.c: filling an event in the OOM path (NMI context too, but the
 * cgroup paths).
 */
#ifndef OOMLENS_CAPTURE_H
#define OOMLENS_CAPTURE_H

#include <linux/init.h>

struct cgroup_subsys_state;
struct oomlens_badness;
struct oom_control;
struct oomlens_event;

void __init oomlens_capture_init(void);
void oomlens_capture_start(struct oomlens_event *ev, struct oom_control *oc);
struct cgroup_subsys_state *oomlens_capture_victim(struct oomlens_event *ev,
						   struct oom_control *oc,
						   const char *message);
void oomlens_capture_paths(struct oomlens_event *ev, struct oom_control *oc,
			   struct cgroup_subsys_state *victim_css);
void oomlens_capture_constraint(struct oomlens_event *ev,
				struct oom_control *oc);
void oomlens_capture_inferred(struct oomlens_event *ev);
bool oomlens_capture_top_wants(const struct oomlens_event *ev, long points);
void oomlens_capture_top_insert(struct oomlens_event *ev,
				const struct oomlens_badness *b);
void oomlens_capture_top_force(struct oomlens_event *ev,
			       const struct oomlens_badness *b);
void oomlens_capture_snapshot(struct oomlens_event *ev, struct oom_control *oc);
void oomlens_capture_cand_memcgs(struct oomlens_event *ev);

#endif /* OOMLENS_CAPTURE_H */
