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

#define OOMLENS_VERSION		"0.1.0"
#define OOMLENS_ABI_VERSION	1

/* Directory under the debugfs mount point. */
#define OOMLENS_DIR_NAME	"oomlens"
#define OOMLENS_DEFAULT_DIR	"/sys/kernel/debug/oomlens"

/*
 * "version": one line, "oomlens <version> abi <abi>\n".
 */
#define OOMLENS_FILE_VERSION	"version"
#define OOMLENS_VERSION_FMT	"oomlens %s abi %d\n"

/*
 * "stats": flat keyed, one "<key> <value>" per line.  Counters are unsigned
 * decimal; a key ending in _ns is nanoseconds; a key ending in _path names
 * which implementation is in use.
 */
#define OOMLENS_FILE_STATS	"stats"
#define OOMLENS_STAT_NOTIFIER_CALLS	"notifier_calls"
#define OOMLENS_STAT_NOTIFIER_LAST_NS	"notifier_last_ns"
#define OOMLENS_STAT_NOTIFIER_MAX_NS	"notifier_max_ns"
#define OOMLENS_STAT_NOTIFIER_TOTAL_NS	"notifier_total_ns"
#define OOMLENS_STAT_PREALLOC_BYTES	"prealloc_bytes"
#define OOMLENS_STAT_EXPORTED_ONLY	"exported_only"
/* Which code computes badness: "kernel" (oom_badness()) or "formula". */
#define OOMLENS_STAT_BADNESS_PATH	"badness_path"
/* Where total_swap_pages / vm_swappiness come from: "kernel" or "proc". */
#define OOMLENS_STAT_SWAP_TOTAL_PATH	"swap_total_path"
#define OOMLENS_STAT_SWAPPINESS_PATH	"swappiness_path"

#endif /* OOMLENS_ABI_H */
