/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomlens ABI: the names and formats of the debugfs files, shared by the
 * module and the userspace reader.  Anything a reader parses is defined here
 * and only here.  Bump OOMLENS_ABI_VERSION when a file changes incompatibly
 * (a column or key removed, renamed or re-ordered, a unit changed); adding a
 * new key or a new file does not need a bump.
 *
 * This header is included by kernel and userspace code: preprocessor
 * definitions only.
 */
#ifndef OOMLENS_ABI_H
#define OOMLENS_ABI_H

/*
 * Each family of words (a column's or a key's values) is also given as a
 * list, OOMLENS_*_WORDS: the words this version writes, for a reader's or
 * a test's validation (a reader still accepts a word it does not know: a
 * newer module may add one).  The module checks each list's length against
 * its own enum.
 */
#define OOMLENS_WORDS_NR(...) \
	(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *))

/*
 * The definitions below are tab-aligned tables, as in the kernel's uapi
 * headers; clang-format would collapse the alignment.
 */
/* clang-format off */

#define OOMLENS_VERSION		"0.1.0"
#define OOMLENS_ABI_VERSION	1

/* Directory under the debugfs mount point. */
#define OOMLENS_DIR_NAME	"oomlens"
#define OOMLENS_DEFAULT_DIR	"/sys/kernel/debug/oomlens"

/*
 * "version": one line, "oomlens <version> abi <abi>\n".
 */
#define OOMLENS_FILE_VERSION	"version"
#define OOMLENS_VERSION_NAME	"oomlens"
#define OOMLENS_VERSION_FMT	OOMLENS_VERSION_NAME " %s abi %d\n"

/*
 * "stats": flat keyed, one "<key> <value>" per line.  Counters are unsigned
 * decimal; a key ending in _ns is nanoseconds; a key ending in _path names
 * which implementation is in use.
 */
#define OOMLENS_FILE_STATS	"stats"
#define OOMLENS_STAT_LAST_NS_SUFFIX	"_last_ns"	/* the last run */
#define OOMLENS_STAT_MAX_NS_SUFFIX	"_max_ns"	/* the longest run */
#define OOMLENS_STAT_TOTAL_NS_SUFFIX	"_total_ns"	/* all runs */
#define OOMLENS_STAT_NOTIFIER_CALLS	"notifier_calls"
#define OOMLENS_STAT_NOTIFIER_LAST_NS	"notifier_last_ns"
#define OOMLENS_STAT_NOTIFIER_MAX_NS	"notifier_max_ns"
#define OOMLENS_STAT_NOTIFIER_TOTAL_NS	"notifier_total_ns"
#define OOMLENS_STAT_PREALLOC_BYTES	"prealloc_bytes"
#define OOMLENS_STAT_EXPORTED_ONLY	"exported_only"
/*
 * Where a value comes from: one vocabulary, the OOMLENS_SRC_* words below,
 * in every key ending in _source (stats and commit):
 *   badness_source      kernel (oom_badness() itself) or derived (the
 *                       module's copy of its formula, exported API only)
 *   swap_total_source   kernel (total_swap_pages) or procfs (SwapTotal)
 *   swappiness_source   kernel (vm_swappiness) or procfs (/proc/sys/vm)
 *   events_source       kernel (the probes read the kernel's oom_control)
 *                       or derived (the notifier alone: constraint
 *                       inferred from current's cpuset and mempolicy)
 * They follow the probes' keys in stats.  The older _path keys say the same with words
 * of their own and stay for the readers that parse them.
 */
#define OOMLENS_STAT_BADNESS_SRC	"badness_source"
#define OOMLENS_STAT_SWAP_TOTAL_SRC	"swap_total_source"
#define OOMLENS_STAT_SWAPPINESS_SRC	"swappiness_source"
#define OOMLENS_STAT_EVENTS_SRC		"events_source"

/* Older: which code computes badness, "kernel" or "formula". */
#define OOMLENS_STAT_BADNESS_PATH	"badness_path"
#define OOMLENS_BADNESS_PATH_KERNEL	"kernel"
#define OOMLENS_BADNESS_PATH_FORMULA	"formula"
/* Older: where total_swap_pages / vm_swappiness come from. */
#define OOMLENS_STAT_SWAP_TOTAL_PATH	"swap_total_path"
#define OOMLENS_STAT_SWAPPINESS_PATH	"swappiness_path"
#define OOMLENS_PATH_KERNEL		"kernel"
#define OOMLENS_PATH_PROC		"proc"

/*
 * "ksym_<name> <state>": each non-exported symbol looked up at load, and
 * what came of it (the OOMLENS_KSYM_* words).
 */
#define OOMLENS_STAT_KSYM_PREFIX	"ksym_"
#define OOMLENS_KSYM_KERNEL		"kernel"	/* found and usable */
#define OOMLENS_KSYM_MISSING		"missing"	/* not in kallsyms */
#define OOMLENS_KSYM_NO_LOOKUP		"no_lookup"	/* no kallsyms_lookup_name */
#define OOMLENS_KSYM_NO_ENDBR		"no_endbr"	/* entry not ENDBR64 */
#define OOMLENS_KSYM_EXPORTED_ONLY	"exported_only"	/* not looked up */
#define OOMLENS_KSYM_WORDS						\
	"kernel", "missing", "no_lookup", "no_endbr", "exported_only"

/*
 * Strings in table rows (comm, cgroup paths) are escaped so that rows split
 * on single spaces: space, tab, newline and backslash become a backslash and
 * three octal digits (seq_escape()); an empty string is "-" and a string
 * that is exactly "-" is "\055"; a path cut to fit its buffer ends in
 * "...".  A numeric column that does not apply is "-".
 */
#define OOMLENS_NONE		"-"
#define OOMLENS_TRUNCATED	"..."

/*
 * "tasks": a read-only table, a header line naming the columns, then one
 * row per thread group (process), in pid order:
 *   pid       tgid in the initial pid namespace
 *   uid       real uid in the initial user namespace
 *   comm      the thread group leader's name, escaped
 *   rss       pages: get_mm_rss() (file + anon + shmem)
 *   swapents  pages: swap entries (MM_SWAPENTS)
 *   pgtables  pages: mm_pgtables_bytes() / PAGE_SIZE
 *   adj       oom_score_adj
 *   points    oom_badness() with the /proc totalpages, "-" when LONG_MIN
 *   score     what /proc/<pid>/oom_score prints
 *   state     one of the OOMLENS_STATE_* words
 *   memcg     path of the task's memory cgroup, escaped; "-" without memcg
 */
#define OOMLENS_FILE_TASKS	"tasks"
#define OOMLENS_TASKS_COL_PID		"pid"
#define OOMLENS_TASKS_COL_UID		"uid"
#define OOMLENS_TASKS_COL_COMM		"comm"
#define OOMLENS_TASKS_COL_RSS		"rss"
#define OOMLENS_TASKS_COL_SWAPENTS	"swapents"
#define OOMLENS_TASKS_COL_PGTABLES	"pgtables"
#define OOMLENS_TASKS_COL_ADJ		"adj"
#define OOMLENS_TASKS_COL_POINTS	"points"
#define OOMLENS_TASKS_COL_SCORE		"score"
#define OOMLENS_TASKS_COL_STATE		"state"
#define OOMLENS_TASKS_COL_MEMCG		"memcg"
#define OOMLENS_TASKS_NCOLS		11
#define OOMLENS_TASKS_HEADER						\
	OOMLENS_TASKS_COL_PID " " OOMLENS_TASKS_COL_UID " "		\
	OOMLENS_TASKS_COL_COMM " " OOMLENS_TASKS_COL_RSS " "		\
	OOMLENS_TASKS_COL_SWAPENTS " " OOMLENS_TASKS_COL_PGTABLES " "	\
	OOMLENS_TASKS_COL_ADJ " " OOMLENS_TASKS_COL_POINTS " "		\
	OOMLENS_TASKS_COL_SCORE " " OOMLENS_TASKS_COL_STATE " "		\
	OOMLENS_TASKS_COL_MEMCG

/* The state column: why a task is (not) an OOM candidate. */
#define OOMLENS_STATE_KILLABLE	"killable"
#define OOMLENS_STATE_KTHREAD	"kthread"	/* PF_KTHREAD */
#define OOMLENS_STATE_INIT	"init"		/* is_global_init() */
#define OOMLENS_STATE_NO_MM	"no_mm"		/* no thread has an mm */
#define OOMLENS_STATE_ADJ_MIN	"adj_min"	/* oom_score_adj -1000 */
#define OOMLENS_STATE_OOM_SKIP	"oom_skip"	/* MMF_OOM_SKIP: reaped */
#define OOMLENS_STATE_VFORK	"vfork"		/* in_vfork() */
/* The same, as a list: X(NAME, word) in the module's enum order. */
#define OOMLENS_TASK_STATE_WORDS						\
	"killable", "kthread", "init", "no_mm", "adj_min", \
	"oom_skip", "vfork"

/*
 * "predict": a read-only table, a header line naming the columns, then the
 * global prediction and one row per memory cgroup with a memory limit, in
 * pre-order of the cgroup tree:
 *   scope       "global" or "memcg"
 *   cgroup      the cgroup whose limit would be hit ("/" for global), escaped
 *   totalpages  pages: the oc->totalpages the prediction used
 *   result      "victim": pid/points/comm is the task that would be killed;
 *               "none": no candidate (a global OOM would panic);
 *               "abort": pid is an OOM victim still exiting: selection
 *               stops and nothing new is killed until it is gone
 *   pid, points, comm (escaped, last): "-" for "none"; points "-" for
 *               "abort"
 */
#define OOMLENS_FILE_PREDICT	"predict"
#define OOMLENS_PREDICT_COL_SCOPE	"scope"
#define OOMLENS_PREDICT_COL_CGROUP	"cgroup"
#define OOMLENS_PREDICT_COL_TOTALPAGES	"totalpages"
#define OOMLENS_PREDICT_COL_RESULT	"result"
#define OOMLENS_PREDICT_COL_PID		"pid"
#define OOMLENS_PREDICT_COL_POINTS	"points"
#define OOMLENS_PREDICT_COL_COMM	"comm"
#define OOMLENS_PREDICT_NCOLS		7
#define OOMLENS_PREDICT_HEADER						\
	OOMLENS_PREDICT_COL_SCOPE " " OOMLENS_PREDICT_COL_CGROUP " "	\
	OOMLENS_PREDICT_COL_TOTALPAGES " " OOMLENS_PREDICT_COL_RESULT " " \
	OOMLENS_PREDICT_COL_PID " " OOMLENS_PREDICT_COL_POINTS " "	\
	OOMLENS_PREDICT_COL_COMM
#define OOMLENS_SCOPE_GLOBAL	"global"
#define OOMLENS_SCOPE_MEMCG	"memcg"
#define OOMLENS_RESULT_VICTIM	"victim"
#define OOMLENS_RESULT_NONE	"none"
#define OOMLENS_RESULT_ABORT	"abort"

/*
 * "commit": flat keyed, one "<key> <value>" per line, the overcommit
 * accounting of mm/util.c.  A key ending in _pages is in pages, _kb or
 * _kbytes in KiB, _percent in percent; a key ending in _source names where
 * the value came from (one of the OOMLENS_SRC_* words); _name and _branch
 * keys are words.  Headroom values are signed.
 */
#define OOMLENS_FILE_COMMIT			"commit"
#define OOMLENS_COMMIT_MODE			"overcommit_memory"
#define OOMLENS_COMMIT_MODE_NAME		"overcommit_memory_name"
#define OOMLENS_COMMIT_MODE_SRC			"overcommit_memory_source"
#define OOMLENS_COMMIT_RATIO			"overcommit_ratio_percent"
#define OOMLENS_COMMIT_RATIO_SRC		"overcommit_ratio_source"
#define OOMLENS_COMMIT_KBYTES			"overcommit_kbytes"
#define OOMLENS_COMMIT_KBYTES_SRC		"overcommit_kbytes_source"
#define OOMLENS_COMMIT_TOTALRAM			"totalram_pages"
#define OOMLENS_COMMIT_TOTALRAM_SRC		"totalram_pages_source"
#define OOMLENS_COMMIT_HUGETLB			"hugetlb_pages"
#define OOMLENS_COMMIT_HUGETLB_SRC		"hugetlb_pages_source"
#define OOMLENS_COMMIT_SWAP			"total_swap_pages"
#define OOMLENS_COMMIT_SWAP_SRC			"total_swap_pages_source"
#define OOMLENS_COMMIT_LIMIT			"commit_limit_pages"
#define OOMLENS_COMMIT_LIMIT_KB			"commit_limit_kb"
#define OOMLENS_COMMIT_LIMIT_SRC		"commit_limit_source"
#define OOMLENS_COMMIT_LIMIT_BRANCH		"commit_limit_branch"
#define OOMLENS_COMMIT_LIMIT_BASE		"commit_limit_base_pages"
#define OOMLENS_COMMIT_LIMIT_SWAP		"commit_limit_swap_pages"
#define OOMLENS_COMMIT_COMMITTED		"committed_pages"
#define OOMLENS_COMMIT_COMMITTED_KB		"committed_kb"
#define OOMLENS_COMMIT_COMMITTED_SRC		"committed_source"
#define OOMLENS_COMMIT_BATCH			"committed_batch_pages"
#define OOMLENS_COMMIT_BATCH_SRC		"committed_batch_source"
#define OOMLENS_COMMIT_ERROR			"committed_error_pages"
#define OOMLENS_COMMIT_ADMIN_KB			"admin_reserve_kbytes"
#define OOMLENS_COMMIT_ADMIN			"admin_reserve_pages"
#define OOMLENS_COMMIT_ADMIN_SRC		"admin_reserve_source"
#define OOMLENS_COMMIT_USER_KB			"user_reserve_kbytes"
#define OOMLENS_COMMIT_USER			"user_reserve_pages"
#define OOMLENS_COMMIT_USER_SRC			"user_reserve_source"
#define OOMLENS_COMMIT_HEADROOM_ROOT		"headroom_root_pages"
#define OOMLENS_COMMIT_HEADROOM_USER		"headroom_user_pages"

/* Values of the _source keys. */
#define OOMLENS_SRC_KERNEL	"kernel"	/* non-exported symbol (kallsyms) */
#define OOMLENS_SRC_EXPORTED	"exported"	/* exported kernel API */
#define OOMLENS_SRC_PROCFS	"procfs"	/* fallback: a /proc file */
#define OOMLENS_SRC_DERIVED	"derived"	/* fallback: the kernel's formula */
#define OOMLENS_SRC_WORDS	"kernel", "exported", "procfs", "derived"

/* Values of overcommit_memory_name and commit_limit_branch. */
#define OOMLENS_MODE_GUESS	"guess"		/* 0 */
#define OOMLENS_MODE_ALWAYS	"always"	/* 1 */
#define OOMLENS_MODE_NEVER	"never"		/* 2 */
#define OOMLENS_BRANCH_KBYTES	"kbytes"
#define OOMLENS_BRANCH_RATIO	"ratio"

/*
 * "commit_check": the what-if.  Write "<pid> <bytes>" or "<bytes>" (the
 * writer itself), decimal, in one write(); then read, on the same open file,
 * a flat-keyed answer: would __vm_enough_memory() accept that many bytes for
 * that process now.  Answers are private to the open file.
 */
#define OOMLENS_FILE_COMMIT_CHECK		"commit_check"
#define OOMLENS_CHECK_MAX_INPUT			64
#define OOMLENS_CHECK_PID			"pid"
#define OOMLENS_CHECK_BYTES			"bytes"
#define OOMLENS_CHECK_PAGES			"pages"
#define OOMLENS_CHECK_MODE			"overcommit_memory"
#define OOMLENS_CHECK_MODE_NAME			"overcommit_memory_name"
#define OOMLENS_CHECK_RULE			"rule"
#define OOMLENS_CHECK_CAP_SYS_ADMIN		"cap_sys_admin"
#define OOMLENS_CHECK_LIMIT			"commit_limit_pages"
#define OOMLENS_CHECK_ADMIN			"admin_reserve_pages"
#define OOMLENS_CHECK_ADMIN_APPLIED		"admin_reserve_applied"
#define OOMLENS_CHECK_HAS_MM			"has_mm"
#define OOMLENS_CHECK_TOTAL_VM			"total_vm_pages"
#define OOMLENS_CHECK_USER			"user_reserve_pages"
#define OOMLENS_CHECK_USER_APPLIED		"user_reserve_applied_pages"
#define OOMLENS_CHECK_ALLOWED			"allowed_pages"
#define OOMLENS_CHECK_COMMITTED			"committed_pages"
#define OOMLENS_CHECK_COMMITTED_AFTER		"committed_after_pages"
#define OOMLENS_CHECK_ERROR			"committed_error_pages"
#define OOMLENS_CHECK_GUESS_MAX			"guess_max_pages"
#define OOMLENS_CHECK_VERDICT			"verdict"
#define OOMLENS_CHECK_EXACT			"verdict_exact"
#define OOMLENS_VERDICT_ALLOW	"allow"
#define OOMLENS_VERDICT_DENY	"deny"

/*
 * Counters of the OOM event recorder in "stats".  In steady state (no OOM in
 * flight): events_recorded + events_dropped == oom_invocations, where
 * events_recorded is the number of events readable in the ring now and
 * events_dropped = events_overwritten + events_missed.
 */
#define OOMLENS_STAT_OOM_INVOCATIONS	"oom_invocations"
#define OOMLENS_STAT_EVENTS_RECORDED	"events_recorded"
#define OOMLENS_STAT_EVENTS_DROPPED	"events_dropped"
#define OOMLENS_STAT_EVENTS_OVERWRITTEN	"events_overwritten"
#define OOMLENS_STAT_EVENTS_MISSED	"events_missed"
#define OOMLENS_STAT_EVENTS_LAST_SEQ	"events_last_seq"
#define OOMLENS_STAT_EVENTS_KILLS	"events_kills"
#define OOMLENS_STAT_PROBE_LAST_NS	"probe_last_ns"
#define OOMLENS_STAT_PROBE_MAX_NS	"probe_max_ns"
#define OOMLENS_STAT_PROBE_TOTAL_NS	"probe_total_ns"
#define OOMLENS_STAT_SNAPSHOT_LAST_NS	"snapshot_last_ns"
#define OOMLENS_STAT_SNAPSHOT_MAX_NS	"snapshot_max_ns"
#define OOMLENS_STAT_SNAPSHOT_TOTAL_NS	"snapshot_total_ns"
#define OOMLENS_STAT_EVENTS_PATH	"events_path"	/* older: see events_source */
#define OOMLENS_EVENTS_PATH_PROBES	"probes"
#define OOMLENS_EVENTS_PATH_NOTIFIER	"notifier"

/*
 * Lifetime counts of the events recorded since load (an event overwritten
 * in the ring stays counted), one key per value: "<prefix><word> <n>",
 * each family's keys consecutive.  The words: an event's kind, outcome and
 * prediction as the events file prints them (OOMLENS_KIND_WORD_*,
 * OOMLENS_OUTCOME_*, OOMLENS_PREDICTION_*, and "none" for "-"), and for
 * the constraint the lower-case OOMLENS_CONSTRAINT_KEY_* ("unknown": not
 * computed).  A newer module may add words: a reader counts them under
 * their own label.
 */
#define OOMLENS_STAT_EVENTS_KIND_PREFIX		"events_kind_"
#define OOMLENS_STAT_EVENTS_CONSTRAINT_PREFIX	"events_constraint_"
#define OOMLENS_STAT_EVENTS_OUTCOME_PREFIX	"events_outcome_"
#define OOMLENS_STAT_EVENTS_PREDICTION_PREFIX	"events_prediction_"
#define OOMLENS_CONSTRAINT_KEY_NONE		"none"
#define OOMLENS_CONSTRAINT_KEY_CPUSET		"cpuset"
#define OOMLENS_CONSTRAINT_KEY_MEMORY_POLICY	"memory_policy"
#define OOMLENS_CONSTRAINT_KEY_MEMCG		"memcg"
#define OOMLENS_CONSTRAINT_KEY_UNKNOWN		"unknown"

/*
 * How each OOM probe is hit (stats): an ftrace call site, a jump-optimized
 * kprobe (both: handlers in the task's context, preemption disabled) or an
 * int3 breakpoint (handlers in NMI context); "-" when not attached.  And how
 * often a handler ran in NMI context, and how often one there gave up a
 * lock it could not get by trylock (it then leaves out what needed it: a
 * candidate, the victim's rss).  Documentation/design.rst: the handler rules.
 */
#define OOMLENS_STAT_PROBE_OOM_VIA		"probe_out_of_memory_via"
#define OOMLENS_STAT_PROBE_KILL_VIA		"probe_oom_kill_process_via"
#define OOMLENS_STAT_PROBE_KILL_TASK_VIA	"probe___oom_kill_process_via"
#define OOMLENS_STAT_PROBE_NMI_CALLS		"probe_nmi_calls"
#define OOMLENS_STAT_PROBE_NMI_LOCK_DROPPED	"probe_nmi_lock_dropped"
#define OOMLENS_STAT_PROBE_MARK_VIA		"probe_mark_oom_victim_via"
#define OOMLENS_PROBE_VIA_FTRACE	"ftrace"
#define OOMLENS_PROBE_VIA_JUMP		"jump"
#define OOMLENS_PROBE_VIA_INT3		"int3"
#define OOMLENS_PROBE_VIA_NONE		"-"

/*
 * The state of each probe (stats "probe_<function> <state>"): attached,
 * off (probes=0, or unloading), failed (probe_error says why) or refused
 * (probe_refused says why; "-" when not refused.  Until ABI 1.x a
 * PREEMPT_RT kernel refused them, "preempt_rt"; since, the probes attach
 * there too and no reason is left, but a reader still knows the words).  mark_oom_victim's probe is
 * optional: without it kills are counted as __oom_kill_process() calls
 * (events_kills_counted_by kill_calls, an upper bound) instead of as the
 * kernel counts them (mark_oom_victim).  probe_kill_nmissed: hits of the
 * kill probes lost to kprobe recursion (an event that lost one says so in
 * its probe_missed key).
 */
#define OOMLENS_STAT_PROBE_OOM			"probe_out_of_memory"
#define OOMLENS_STAT_PROBE_KILL			"probe_oom_kill_process"
#define OOMLENS_STAT_PROBE_KILL_TASK		"probe___oom_kill_process"
#define OOMLENS_STAT_PROBE_MARK			"probe_mark_oom_victim"
#define OOMLENS_STAT_PROBE_ERROR		"probe_error"
#define OOMLENS_STAT_PROBE_MARK_ERROR		"probe_mark_oom_victim_error"
#define OOMLENS_STAT_PROBE_REFUSED		"probe_refused"
#define OOMLENS_STAT_PROBE_NMISSED		"probe_nmissed"
#define OOMLENS_STAT_PROBE_KILL_NMISSED		"probe_kill_nmissed"
#define OOMLENS_STAT_EVENTS_KILLS_BY		"events_kills_counted_by"
#define OOMLENS_PROBE_ATTACHED		"attached"
#define OOMLENS_PROBE_OFF		"off"
#define OOMLENS_PROBE_FAILED		"failed"
#define OOMLENS_PROBE_REFUSED		"refused"
#define OOMLENS_PROBE_STATE_WORDS						\
	"off", "attached", "failed", "refused"
#define OOMLENS_PROBE_REFUSED_PREEMPT_RT "preempt_rt"
#define OOMLENS_KILLS_BY_MARK		"mark_oom_victim"
#define OOMLENS_KILLS_BY_CALLS		"kill_calls"

/*
 * The candidates' table of an event (stats, added after the probes' keys):
 * candidates_source "kernel" when a return probe on oom_badness() takes
 * them from the kernel's own evaluation (probe_oom_badness attached),
 * "derived" when a walk of every process at the kill computes them (the
 * fallback: observe=0, the probe failed, or refused with the other probes),
 * "-" with snapshot_size=0 or without the probes.  probe_oom_badness_nmissed
 * counts the probe's missed hits (no free instance, or a hit inside another
 * kprobe's handler); events_evaluation_unseen counts victims chosen with points
 * while no oom_badness() call was seen and none missed: a kernel that
 * inlines it (those events are filled by the walk).  On PREEMPT_RT there is
 * no walk (it would take task_lock() in a handler): "-" without the probe.
 *
 * candidates_components (stats, and each event with a table): "read" when
 * each row's rss, swap entries and page tables are read at the kill as
 * dump_tasks() reads them (the rows that could not be, in
 * candidates_unread); "preempt_rt" when they are not read at all, because
 * task_lock() is a sleeping lock on PREEMPT_RT and the handlers run with
 * preemption disabled: the rows have their points, identity and
 * oom_score_adj, and 0 in rss, swap and pgtables.  An event shows it too
 * when the table is empty for that reason.  "-" where there is no table.
 */
#define OOMLENS_STAT_CANDIDATES_COMPONENTS	"candidates_components"
#define OOMLENS_COMPONENTS_READ			"read"
#define OOMLENS_COMPONENTS_PREEMPT_RT		"preempt_rt"
#define OOMLENS_STAT_CANDIDATES_SRC		"candidates_source"
#define OOMLENS_STAT_PROBE_BADNESS		"probe_oom_badness"
#define OOMLENS_STAT_PROBE_BADNESS_VIA		"probe_oom_badness_via"
#define OOMLENS_STAT_PROBE_BADNESS_ERROR	"probe_oom_badness_error"
#define OOMLENS_STAT_PROBE_BADNESS_NMISSED	"probe_oom_badness_nmissed"
#define OOMLENS_STAT_EVENTS_EVALUATION_UNSEEN	"events_evaluation_unseen"

/*
 * "events": every retained OOM event, oldest first; "last": the newest one
 * only (empty when there is none).  "events" supports poll(): readable when
 * an event newer than the last one read through this open file exists;
 * reading on after end of file returns the events recorded since.
 *
 * One block per event.  The first line is "event <seq>", the last
 * "end <seq> <check>", in between one "<key> <value>" line per key below, in
 * this order, then "candidates <n>" and n "cand" lines.  A value "-" means
 * "not known for this event" (e.g. gfp_mask of an event the notifier alone
 * recorded) or, for a string, "empty".  Strings (comm, victim_comm,
 * oom_memcg, victim_memcg, a candidate's comm) are escaped as in the tables
 * (OOMLENS_NONE, OOMLENS_TRUNCATED and the octal escapes above), so a value
 * never holds a newline.  <check> is OOMLENS_EVENT_CHECK() of the block's own values:
 * a reader that recomputes it and compares the two seq numbers knows the
 * block belongs to a single event.
 */
#define OOMLENS_FILE_EVENTS	"events"
#define OOMLENS_FILE_LAST	"last"

#define OOMLENS_EV_BEGIN	"event"		/* <seq>, from 1, no gaps */
#define OOMLENS_EV_TIME_BOOT	"time_boot_ns"	/* CLOCK_BOOTTIME ns at entry */
#define OOMLENS_EV_TIME_REAL	"time_real"	/* <sec>.<9 digit ns>, UTC */
#define OOMLENS_EV_KIND		"kind"		/* OOMLENS_KIND_WORD_* */
#define OOMLENS_KIND_WORD_GLOBAL	"global"
#define OOMLENS_KIND_WORD_MEMCG		"memcg"
#define OOMLENS_KIND_WORD_SYSRQ		"sysrq"
#define OOMLENS_KIND_WORDS						\
	"global", "memcg", "sysrq"
#define OOMLENS_EV_SOURCE	"source"	/* OOMLENS_EVENTS_PATH_* */
#define OOMLENS_EV_INFERRED	"inferred"	/* 1: constraint derived */
#define OOMLENS_EV_PID		"pid"		/* allocating task */
#define OOMLENS_EV_COMM		"comm"		/* rest of the line */
#define OOMLENS_EV_GFP		"gfp_mask"	/* %#x(%pGg), as the kernel */
#define OOMLENS_EV_ORDER	"order"
#define OOMLENS_EV_CONSTRAINT	"constraint"	/* CONSTRAINT_* or - */
#define OOMLENS_EV_NODEMASK	"nodemask"	/* %*pbl, "(null)" if none */
#define OOMLENS_EV_OOM_MEMCG	"oom_memcg"	/* cgroup path, - if global */
#define OOMLENS_EV_TOTALPAGES	"totalpages"	/* pages */
#define OOMLENS_EV_OUTCOME	"outcome"	/* OOMLENS_OUTCOME_* */
#define OOMLENS_EV_VICTIM_PID	"victim_pid"	/* tgid */
#define OOMLENS_EV_VICTIM_TID	"victim_tid"	/* thread named by the kernel */
#define OOMLENS_EV_VICTIM_COMM	"victim_comm"
#define OOMLENS_EV_VICTIM_UID	"victim_uid"
#define OOMLENS_EV_VICTIM_CHOSEN_BY "victim_chosen_by"	/* OOMLENS_CHOSEN_BY_* */
#define OOMLENS_EV_VICTIM_POINTS "victim_points"	/* oc->chosen_points */
#define OOMLENS_EV_VICTIM_SCORE	"victim_score"	/* 0..OOMLENS_SCORE_MAX */
#define OOMLENS_EV_VICTIM_RSS	"victim_rss_pages"	/* at kill time; "-": unread */
#define OOMLENS_EV_VICTIM_MEMCG	"victim_memcg"	/* cgroup path */
#define OOMLENS_EV_KILL_CALLS	"kill_calls"	/* __oom_kill_process calls */
#define OOMLENS_EV_KILLS	"kills"		/* of them, OOM_KILL counted */
#define OOMLENS_EV_PROBE_MISSED	"probe_missed"	/* kill probe hits lost */
/* (probe_missed: to kprobe recursion or to a lock not had in NMI context) */
#define OOMLENS_EV_PREDICTED	"predicted_pid"
#define OOMLENS_EV_PREDICTION	"prediction"	/* OOMLENS_PREDICTION_* | - */
#define OOMLENS_EV_PANIC_ON_OOM	"panic_on_oom"
#define OOMLENS_EV_KILL_ALLOC	"oom_kill_allocating_task"
#define OOMLENS_EV_DUMP_TASKS	"oom_dump_tasks"
#define OOMLENS_EV_SYSCTLS	"sysctls"	/* OOMLENS_SYSCTLS_* */
#define OOMLENS_SYSCTLS_KERNEL		"kernel"
#define OOMLENS_SYSCTLS_UNAVAILABLE	"unavailable"
/*
 * The kernel's evaluation in this OOM (added in ABI 1.x, before
 * "candidates"): candidates_source (OOMLENS_SRC_KERNEL: oom_badness()'s own
 * results; OOMLENS_SRC_DERIVED: the walk; "-": no table); evaluated, the
 * oom_badness() calls of the selection, and of them evaluation_excluded,
 * the ones that returned LONG_MIN (not a candidate); evaluation_missed, an
 * upper bound of the calls the probe missed meanwhile (the probe's nmissed
 * counts every caller); evaluation_unseen 1 when the victim had points but
 * no call was seen; victim_margin, victim_points minus the most points of
 * any other task evaluated (0: a tie, which the later task wins);
 * candidates_unread, rows whose rss, swap and pgtables could not be read at
 * the kill (the task had gone or lost its mm): those fields are 0 there,
 * and the row says read=0.
 * "-" where unknown.
 */
#define OOMLENS_EV_CANDIDATES_SRC	"candidates_source"
#define OOMLENS_EV_EVALUATED		"evaluated"
#define OOMLENS_EV_EVALUATION_EXCLUDED	"evaluation_excluded"
#define OOMLENS_EV_EVALUATION_MISSED	"evaluation_missed"
#define OOMLENS_EV_EVALUATION_UNSEEN	"evaluation_unseen"
#define OOMLENS_EV_VICTIM_MARGIN	"victim_margin"
#define OOMLENS_EV_CANDIDATES_UNREAD	"candidates_unread"
/* OOMLENS_COMPONENTS_*, as the stats key of the same name (added after). */
#define OOMLENS_EV_CANDIDATES_COMPONENTS	"candidates_components"
/*
 * The victim's identity beyond its comm (added after): victim_adj, its
 * oom_score_adj at oom_kill_process() entry (the kernel's "Killed process
 * ... oom_score_adj:"), and victim_start_ns, its start time in
 * CLOCK_BOOTTIME ns (task->start_boottime; /proc/<pid>/stat's starttime
 * is the same in clock ticks), which tells a reused pid.
 */
#define OOMLENS_EV_VICTIM_ADJ		"victim_adj"
#define OOMLENS_EV_VICTIM_START		"victim_start_ns"
/*
 * memcg_hierarchy (added after): "v2" when the memory controller is on the
 * unified hierarchy, "v1" when it is mounted as a cgroup v1 controller
 * (6.1; oom_memcg, victim_memcg and the candidates' paths are then paths
 * of that hierarchy); "-" with memcg disabled.
 */
#define OOMLENS_EV_MEMCG_HIERARCHY	"memcg_hierarchy"
#define OOMLENS_MEMCG_V1		"v1"
#define OOMLENS_MEMCG_V2		"v2"
/*
 * The candidates' memory cgroups (added after, before "candidates"):
 * candidates_memcgs <n>, then n keys "cand_memcg_<i> <path>", i from 1,
 * each the escaped path of one distinct memcg of the table's rows, looked
 * up at the kill; a row names its memcg by index (memcg=<i>).  At most
 * OOMLENS_EV_CAND_MEMCGS_MAX paths: rows of further memcgs, rows whose
 * task had gone, and rows whose cgroup v1 path could not be made in the
 * handler (NMI context, PREEMPT_RT) have memcg=0 and are counted in
 * candidates_memcg_unknown.  Both "-" where memcg is disabled or there is
 * no table.
 */
#define OOMLENS_EV_CAND_MEMCGS		"candidates_memcgs"
#define OOMLENS_EV_CAND_MEMCG_UNKNOWN	"candidates_memcg_unknown"
#define OOMLENS_EV_CAND_MEMCG_PREFIX	"cand_memcg_"
#define OOMLENS_EV_CAND_MEMCGS_MAX	8
/*
 * The OOM's domain at the OOM (added after, before the candidates' memcg
 * keys): the counters the kernel's report prints, read at
 * oom_kill_process() entry (at out_of_memory()'s return without a kill),
 * a moment before dump_header() prints them.  A memcg OOM, of oom_memcg
 * (whose limit was hit: the victim's memcg or an ancestor of it):
 * domain_usage_pages, domain_limit_pages and domain_failcnt ("memory:
 * usage, limit, failcnt"), domain_swap_usage_pages and
 * domain_swap_limit_pages with domain_swap_counter "swap" (cgroup v2:
 * "swap:") or "memsw" (cgroup v1: "memory+swap:", memory and swap
 * together).  Any other OOM: domain_free_pages (the report's "free:"),
 * domain_available_pages (si_mem_available(), MemAvailable's formula) and
 * domain_node_free_pages "<nid>:<pages>,..." of each node the report
 * shows (the mempolicy's nodes, else the allocating task's cpuset), summed
 * over the zones it shows (up to the allocation's gfp_zone()); at most
 * OOMLENS_EV_DOMAIN_NODES nodes, then ",..." ends the list.  "-" where not
 * applicable or not read.  Free pages change under the OOM on other CPUs:
 * they agree with the report within what those did in between, and so do
 * a memcg's usage and failcnt while other tasks of it charge.  A limit of
 * PAGE_COUNTER_MAX (LONG_MAX / PAGE_SIZE) is no limit.  For an event the
 * notifier alone recorded, they are read in the notifier, before the
 * kernel's selection; when the kill probe's hit was missed, at return.
 */
#define OOMLENS_EV_DOMAIN_USAGE		"domain_usage_pages"
#define OOMLENS_EV_DOMAIN_LIMIT		"domain_limit_pages"
#define OOMLENS_EV_DOMAIN_FAILCNT	"domain_failcnt"
#define OOMLENS_EV_DOMAIN_SWAP_USAGE	"domain_swap_usage_pages"
#define OOMLENS_EV_DOMAIN_SWAP_LIMIT	"domain_swap_limit_pages"
#define OOMLENS_EV_DOMAIN_SWAP_COUNTER	"domain_swap_counter"
#define OOMLENS_DOMAIN_SWAP		"swap"
#define OOMLENS_DOMAIN_MEMSW		"memsw"
#define OOMLENS_EV_DOMAIN_FREE		"domain_free_pages"
#define OOMLENS_EV_DOMAIN_AVAILABLE	"domain_available_pages"
#define OOMLENS_EV_DOMAIN_NODE_FREE	"domain_node_free_pages"
#define OOMLENS_EV_DOMAIN_NODES		16
#define OOMLENS_EV_CANDIDATES	"candidates"	/* <n>, then n cand lines */
#define OOMLENS_EV_CAND		"cand"
#define OOMLENS_EV_END		"end"

/*
 * A candidate: the top tasks by badness under the event's totalpages and
 * eligibility, highest first:
 * "cand <rank> pid=<pid> uid=<uid> adj=<oom_score_adj> points=<badness>
 *  score=<normalised> rss=<pages> swap=<pages> pgtables=<pages> read=<0|1>
 *  comm=<comm>" (one line; comm last, escaped).  read (added in ABI 1.x) is
 * 1 when rss, swap and pgtables were read, 0 when they could not be (the
 * task had gone or lost its mm at the kill, or PREEMPT_RT: the event's
 * candidates_components): those three are 0 then, not a measurement.  A
 * reader skips a name=number field it does not know before comm; one of a
 * module without read takes read=1 unless candidates_components says
 * otherwise.  Added after read: start_ns, the task's start time
 * (as victim_start_ns), and memcg, the index of its cand_memcg_<i> key
 * (0: not known, see candidates_memcg_unknown).
 */
#define OOMLENS_EV_CAND_FMT \
	"cand %u pid=%d uid=%u adj=%d points=%ld score=%lu rss=%lu swap=%lu pgtables=%lu read=%d start_ns=%llu memcg=%u comm="
#define OOMLENS_EV_CAND_READ	"read"
#define OOMLENS_EV_CAND_START	"start_ns"
#define OOMLENS_EV_CAND_MEMCG	"memcg"

/* Outcome of one out_of_memory() call. */
#define OOMLENS_OUTCOME_KILLED		"killed"	  /* a victim was killed */
#define OOMLENS_OUTCOME_VICTIM_EXITING	"victim_exiting"  /* chosen one exits */
#define OOMLENS_OUTCOME_CURRENT_EXITING	"current_exiting" /* task_will_free_mem */
#define OOMLENS_OUTCOME_NO_FS		"no_fs"		  /* global, !__GFP_FS */
#define OOMLENS_OUTCOME_NOTIFIER_FREED	"notifier_freed"  /* notifier freed pages */
#define OOMLENS_OUTCOME_NO_KILLABLE	"no_killable"	  /* nothing eligible */
#define OOMLENS_OUTCOME_IN_PROGRESS	"victim_in_progress" /* aborted */
#define OOMLENS_OUTCOME_DISABLED	"disabled"	  /* oom_killer_disabled */
#define OOMLENS_OUTCOME_UNKNOWN		"unknown"	  /* notifier only */
/* In the module's enum order (the stats keys' order). */
#define OOMLENS_OUTCOME_WORDS						\
	"unknown", "killed", "victim_exiting", "current_exiting", \
	"no_fs", "notifier_freed", "no_killable", \
	"victim_in_progress", "disabled"

/*
 * victim_chosen_by: "badness" (select_bad_process(), victim_points is
 * oc->chosen_points) or "allocating_task" (vm.oom_kill_allocating_task:
 * the allocating task was killed without a selection, so victim_points and
 * victim_score are "-" and prediction is "not_applicable").
 */
#define OOMLENS_CHOSEN_BY_BADNESS		"badness"
#define OOMLENS_CHOSEN_BY_ALLOCATING_TASK	"allocating_task"
#define OOMLENS_PREDICTION_MATCH	"match"
#define OOMLENS_PREDICTION_MISMATCH	"mismatch"
#define OOMLENS_PREDICTION_NA		"not_applicable"
#define OOMLENS_PREDICTION_NONE		"none"	/* in stats; "-" in an event */
#define OOMLENS_PREDICTION_WORDS						\
	"match", "mismatch", "not_applicable", "none"

/*
 * A score (victim_score, a candidate's score=, the tasks file's score) is
 * proc_oom_score()'s scaling of points: (1000 + points * 1000 /
 * totalpages) * 2 / 3, so 0..2000 while points stay within totalpages
 * (a memcg OOM whose tasks' rss passes its limit can go above).  A task of
 * oom_task_origin() (swapoff, KSM unmerging) has points LONG_MAX in an
 * event, which select_bad_process() gives it, and score OOMLENS_SCORE_MAX
 * there (its /proc/<pid>/oom_score shows its plain badness).
 */
#define OOMLENS_SCORE_MAX	2000

/* The block's check value; every argument as unsigned long long. */
#define OOMLENS_EVENT_CHECK(seq, pid, totalpages, victim_pid, boot_ns) \
	(((seq) * 0x9e3779b97f4a7c15ULL) ^ ((pid) << 32) ^ (totalpages) ^ \
	 ((victim_pid) << 16) ^ (boot_ns))

/*
 * The reader's journal entries (oomlens record): one per OOM event with
 * MESSAGE_ID OOMLENS_JOURNAL_MSGID_OOM and a field per key of the event
 * (OOMLENS_JOURNAL_FIELD_PREFIX + the key in upper case: OOMLENS_SEQ,
 * OOMLENS_VICTIM_PID, OOMLENS_CONSTRAINT, OOMLENS_OOM_MEMCG, ...), and one
 * per run of events it could not record (overwritten in the ring, or
 * recorded while it was down) with MESSAGE_ID OOMLENS_JOURNAL_MSGID_LOST
 * and OOMLENS_LOST, the count.  journalctl MESSAGE_ID=<id> lists them.
 */
#define OOMLENS_JOURNAL_MSGID_OOM	"99b97626ceee4715acadeeb37948faf3"
#define OOMLENS_JOURNAL_MSGID_LOST	"d3a8d99158ba4ed184d6b7be1981bbf7"
#define OOMLENS_JOURNAL_FIELD_PREFIX	"OOMLENS_"
#define OOMLENS_JOURNAL_LOST		"OOMLENS_LOST"
#define OOMLENS_JOURNAL_BOOT_ID		"OOMLENS_BOOT_ID"

#endif /* OOMLENS_ABI_H */
