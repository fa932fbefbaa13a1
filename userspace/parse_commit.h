/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of the flat-keyed files ("commit", "commit_check" and the event
 * counters of "stats", see include/oomlens_abi.h) into structs.  Keys the reader does not know are
 * ignored (a newer module may add some); a known key missing or a malformed
 * line is an error that names the file and the line.
 */
#ifndef OOMLENS_PARSE_COMMIT_H
#define OOMLENS_PARSE_COMMIT_H

#define OL_WORD 16

struct ol_commit {
	long long mode, ratio, kbytes, totalram, hugetlb, swap;
	long long limit, limit_kb, base, limit_swap, committed, committed_kb;
	long long batch, error, admin_kb, admin, user_kb, user;
	long long headroom_root, headroom_user;
	char mode_name[OL_WORD], branch[OL_WORD];
	char mode_src[OL_WORD], ratio_src[OL_WORD], kbytes_src[OL_WORD];
	char totalram_src[OL_WORD], hugetlb_src[OL_WORD], swap_src[OL_WORD];
	char limit_src[OL_WORD], committed_src[OL_WORD], batch_src[OL_WORD];
	char admin_src[OL_WORD], user_src[OL_WORD];
};

struct ol_check {
	long long pid, bytes, pages, mode, cap_sys_admin, limit, admin;
	long long admin_applied, has_mm, total_vm, user, user_applied;
	long long allowed, committed, committed_after, error, guess_max, exact;
	char mode_name[OL_WORD], rule[OL_WORD], verdict[OL_WORD];
};

/* The event recorder's counters of "stats" (keys in oomlens_abi.h). */
struct ol_event_stats {
	long long invocations, recorded, dropped, last_seq;
};

/*
 * Parse buf (modified) read from the file "name"; 0, or -1 after printing
 * what is wrong ("<dir>/<name>: malformed line N: ...").
 */
int ol_parse_commit(const char *name, char *buf, struct ol_commit *c);
int ol_parse_check(const char *name, char *buf, struct ol_check *k);
int ol_parse_event_stats(const char *name, char *buf, struct ol_event_stats *s);

#endif
