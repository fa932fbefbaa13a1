/* SPDX-License-Identifier: GPL-2.0 */
/*
 * events.c: an OOM event and the ring that keeps them.  The ring is written
 * from the OOM path (any context, no allocation) and read by the events
 * files' presenter.
 */
#ifndef OOMLENS_EVENT_H
#define OOMLENS_EVENT_H

#include <linux/init.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "badness.h"
#include "oomlens_abi.h"

struct seq_file;
struct wait_queue_head;

#define OOMLENS_PATH_LEN 128

/*
 * The distinct memcg paths an event keeps for its candidates' rows: a
 * bound, so that an event never has more keys than a reader of ABI 1.0
 * takes (64); rows of a memcg past it are counted in cand_memcg_unknown.
 */
#define OOMLENS_CAND_MEMCGS OOMLENS_EV_CAND_MEMCGS_MAX

enum oomlens_kind {
	OOMLENS_KIND_GLOBAL,
	OOMLENS_KIND_MEMCG,
	OOMLENS_KIND_SYSRQ,
	OOMLENS_KIND_NR
};

enum oomlens_outcome {
	OOMLENS_OUT_UNKNOWN,
	OOMLENS_OUT_KILLED,
	OOMLENS_OUT_VICTIM_EXITING,
	OOMLENS_OUT_CURRENT_EXITING,
	OOMLENS_OUT_NO_FS,
	OOMLENS_OUT_NOTIFIER_FREED,
	OOMLENS_OUT_NO_KILLABLE,
	OOMLENS_OUT_IN_PROGRESS,
	OOMLENS_OUT_DISABLED,
	OOMLENS_OUT_NR
};

/* The constraint of an event for counting: CONSTRAINT_* or this one. */
#define OOMLENS_CONSTRAINT_UNKNOWN 4
#define OOMLENS_CONSTRAINT_NR 5

enum oomlens_prediction_word {
	OOMLENS_PRED_MATCH,
	OOMLENS_PRED_MISMATCH,
	OOMLENS_PRED_NA, /* oom_kill_allocating_task: no selection */
	OOMLENS_PRED_NONE, /* no victim or no prediction: "-" */
	OOMLENS_PRED_NR
};

/* Where an event's candidates come from. */
enum oomlens_cand_src {
	OOMLENS_CAND_NONE, /* no table: "-" */
	OOMLENS_CAND_KERNEL, /* the kernel's own oom_badness() calls */
	OOMLENS_CAND_DERIVED, /* the walk of every process (capture.c) */
};

/* Whether the rows' rss, swap entries and page tables were read. */
enum oomlens_components {
	OOMLENS_COMP_NONE, /* no table: "-" */
	OOMLENS_COMP_READ, /* at the kill, as dump_tasks() reads them */
	OOMLENS_COMP_PREEMPT_RT, /* not: task_lock() sleeps; points only */
};

/* What the event's domain counters are (domain.c). */
enum oomlens_domain {
	OOMLENS_DOMAIN_NONE, /* not read: "-" */
	OOMLENS_DOMAIN_MEMCG, /* oc->memcg's page counters */
	OOMLENS_DOMAIN_MEM, /* free memory of the nodes */
};

/* The nodes whose free pages an event keeps; more: the list is cut. */
#define OOMLENS_DOMAIN_NODES OOMLENS_EV_DOMAIN_NODES

/* One out_of_memory() call; fixed size plus oomlens_snapshot_size cands. */
struct oomlens_event {
	u64 seq;
	u64 boot_ns;
	u64 real_ns;
	u8 kind;
	u8 outcome;
	u8 constraint;
	bool from_probe; /* false: the notifier alone recorded it */
	bool inferred; /* constraint derived, not the kernel's */
	bool known_gfp; /* gfp_mask and order known */
	bool known_constraint; /* constraint, nodemask, totalpages known */
	bool has_nodemask;
	bool has_victim;
	bool has_sysctls;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	gfp_t gfp_mask;
	int order;
	nodemask_t nodemask;
	unsigned long totalpages;
	char oom_memcg[OOMLENS_PATH_LEN]; /* empty: global; see memcg.c */
	bool oom_memcg_cut; /* cut to fit */
	pid_t victim_pid; /* tgid, like the candidates' pids */
	pid_t victim_tid; /* the thread killed ("Killed process"); 0: none */
	bool victim_by_alloc; /* oom_kill_allocating_task: no points */
	uid_t victim_uid;
	short victim_adj; /* signal->oom_score_adj at oom_kill_process() */
	u64 victim_start_ns; /* victim->start_boottime */
	char victim_comm[TASK_COMM_LEN];
	long victim_points;
	unsigned long victim_rss;
	bool has_victim_rss; /* victim_rss known */
	char victim_memcg[OOMLENS_PATH_LEN]; /* empty: memcg disabled */
	bool victim_memcg_cut;
	bool has_memcg; /* memcg enabled; memcg_v1 known */
	bool memcg_v1; /* the memory controller on a cgroup v1 hierarchy */
	u32 kill_calls; /* __oom_kill_process() calls */
	u32 kills; /* of them, kills the kernel counted (OOM_KILL) */
	u32 probe_missed; /* kill probe hits missed during the call */
	pid_t predicted_pid; /* cand[0].pid; 0: no prediction */
	int panic_on_oom;
	int oom_kill_allocating_task;
	int oom_dump_tasks;
	u8 cand_src; /* enum oomlens_cand_src */
	u8 components; /* enum oomlens_components */
	bool has_evaluation; /* the evaluation's counts below are known */
	bool evaluation_unseen; /* a victim with points, no oom_badness() */
	bool has_margin;
	u32 evaluated; /* oom_badness() calls of the selection */
	u32 evaluation_excluded; /* of them, LONG_MIN */
	u32 evaluation_missed; /* probe hits missed meanwhile, any caller */
	u32 candidates_unread; /* rows without their components */
	long victim_margin; /* victim_points - the best other row's */
	u8 domain; /* enum oomlens_domain */
	bool dom_v1; /* memcg: cgroup v1 (dom_swap_*: memory+swap) */
	bool dom_nodes_cut; /* more nodes than OOMLENS_DOMAIN_NODES */
	u8 dom_nnodes;
	unsigned long dom_usage, dom_limit, dom_failcnt; /* memcg, pages */
	unsigned long dom_swap_usage, dom_swap_limit;
	unsigned long dom_free, dom_available; /* mem: pages */
	struct {
		int nid;
		unsigned long free;
	} dom_node[OOMLENS_DOMAIN_NODES];
	bool has_cand_memcgs; /* the rows' memcg were looked up */
	u8 ncand_memcg; /* paths in cand_memcg[] */
	u32 cand_memcg_unknown; /* rows without one (cand[].memcg 0) */
	bool cand_memcg_cut[OOMLENS_CAND_MEMCGS];
	char cand_memcg[OOMLENS_CAND_MEMCGS][OOMLENS_PATH_LEN];
	u32 ncand;
	struct oomlens_badness cand[]; /* highest points first */
};

extern unsigned int oomlens_snapshot_size;

size_t oomlens_event_bytes(void);
struct irq_work;
int __init oomlens_events_init(struct irq_work *wake);
void oomlens_events_exit(void);
void oomlens_event_commit(struct oomlens_event *ev);
bool oomlens_event_copy(u64 seq, struct oomlens_event *out);
void oomlens_events_range(u64 *oldest, u64 *newest);
void oomlens_events_show_lifetime(struct seq_file *m);
enum oomlens_prediction_word
oomlens_event_prediction(const struct oomlens_event *ev);
const char *oomlens_kind_name(unsigned int kind);
const char *oomlens_constraint_name(unsigned int constraint);
const char *oomlens_outcome_name(unsigned int outcome);
const char *oomlens_prediction_name(unsigned int pred);

#endif /* OOMLENS_EVENT_H */
