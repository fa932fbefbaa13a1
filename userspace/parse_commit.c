// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of the flat-keyed "commit", "commit_check" and "stats" files.  One
 * table per file maps each key to a field, in the order the module writes
 * them (a change of order is an ABI change); the same loop parses them all.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "oomlens_abi.h"
#include "parse_commit.h"

#define KEY_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_"

struct key {
	const char *name;
	size_t off;
	int word; /* a word (char[OL_WORD]), else a signed number */
};

#define N(s, k, f)                          \
	{                                   \
		k, offsetof(struct s, f), 0 \
	}
#define W(s, k, f)                          \
	{                                   \
		k, offsetof(struct s, f), 1 \
	}

static const struct key commit_keys[] = {
	N(ol_commit, OOMLENS_COMMIT_MODE, mode),
	W(ol_commit, OOMLENS_COMMIT_MODE_NAME, mode_name),
	W(ol_commit, OOMLENS_COMMIT_MODE_SRC, mode_src),
	N(ol_commit, OOMLENS_COMMIT_RATIO, ratio),
	W(ol_commit, OOMLENS_COMMIT_RATIO_SRC, ratio_src),
	N(ol_commit, OOMLENS_COMMIT_KBYTES, kbytes),
	W(ol_commit, OOMLENS_COMMIT_KBYTES_SRC, kbytes_src),
	N(ol_commit, OOMLENS_COMMIT_TOTALRAM, totalram),
	W(ol_commit, OOMLENS_COMMIT_TOTALRAM_SRC, totalram_src),
	N(ol_commit, OOMLENS_COMMIT_HUGETLB, hugetlb),
	W(ol_commit, OOMLENS_COMMIT_HUGETLB_SRC, hugetlb_src),
	N(ol_commit, OOMLENS_COMMIT_SWAP, swap),
	W(ol_commit, OOMLENS_COMMIT_SWAP_SRC, swap_src),
	N(ol_commit, OOMLENS_COMMIT_LIMIT, limit),
	N(ol_commit, OOMLENS_COMMIT_LIMIT_KB, limit_kb),
	W(ol_commit, OOMLENS_COMMIT_LIMIT_SRC, limit_src),
	W(ol_commit, OOMLENS_COMMIT_LIMIT_BRANCH, branch),
	N(ol_commit, OOMLENS_COMMIT_LIMIT_BASE, base),
	N(ol_commit, OOMLENS_COMMIT_LIMIT_SWAP, limit_swap),
	N(ol_commit, OOMLENS_COMMIT_COMMITTED, committed),
	N(ol_commit, OOMLENS_COMMIT_COMMITTED_KB, committed_kb),
	W(ol_commit, OOMLENS_COMMIT_COMMITTED_SRC, committed_src),
	N(ol_commit, OOMLENS_COMMIT_BATCH, batch),
	W(ol_commit, OOMLENS_COMMIT_BATCH_SRC, batch_src),
	N(ol_commit, OOMLENS_COMMIT_ERROR, error),
	N(ol_commit, OOMLENS_COMMIT_ADMIN_KB, admin_kb),
	N(ol_commit, OOMLENS_COMMIT_ADMIN, admin),
	W(ol_commit, OOMLENS_COMMIT_ADMIN_SRC, admin_src),
	N(ol_commit, OOMLENS_COMMIT_USER_KB, user_kb),
	N(ol_commit, OOMLENS_COMMIT_USER, user),
	W(ol_commit, OOMLENS_COMMIT_USER_SRC, user_src),
	N(ol_commit, OOMLENS_COMMIT_HEADROOM_ROOT, headroom_root),
	N(ol_commit, OOMLENS_COMMIT_HEADROOM_USER, headroom_user),
};

static const struct key check_keys[] = {
	N(ol_check, OOMLENS_CHECK_PID, pid),
	N(ol_check, OOMLENS_CHECK_BYTES, bytes),
	N(ol_check, OOMLENS_CHECK_PAGES, pages),
	N(ol_check, OOMLENS_CHECK_MODE, mode),
	W(ol_check, OOMLENS_CHECK_MODE_NAME, mode_name),
	W(ol_check, OOMLENS_CHECK_RULE, rule),
	N(ol_check, OOMLENS_CHECK_CAP_SYS_ADMIN, cap_sys_admin),
	N(ol_check, OOMLENS_CHECK_LIMIT, limit),
	N(ol_check, OOMLENS_CHECK_ADMIN, admin),
	N(ol_check, OOMLENS_CHECK_ADMIN_APPLIED, admin_applied),
	N(ol_check, OOMLENS_CHECK_HAS_MM, has_mm),
	N(ol_check, OOMLENS_CHECK_TOTAL_VM, total_vm),
	N(ol_check, OOMLENS_CHECK_USER, user),
	N(ol_check, OOMLENS_CHECK_USER_APPLIED, user_applied),
	N(ol_check, OOMLENS_CHECK_ALLOWED, allowed),
	N(ol_check, OOMLENS_CHECK_COMMITTED, committed),
	N(ol_check, OOMLENS_CHECK_COMMITTED_AFTER, committed_after),
	N(ol_check, OOMLENS_CHECK_ERROR, error),
	N(ol_check, OOMLENS_CHECK_GUESS_MAX, guess_max),
	W(ol_check, OOMLENS_CHECK_VERDICT, verdict),
	N(ol_check, OOMLENS_CHECK_EXACT, exact),
};

static const struct key event_stats_keys[] = {
	N(ol_event_stats, OOMLENS_STAT_OOM_INVOCATIONS, invocations),
	N(ol_event_stats, OOMLENS_STAT_EVENTS_RECORDED, recorded),
	N(ol_event_stats, OOMLENS_STAT_EVENTS_DROPPED, dropped),
	N(ol_event_stats, OOMLENS_STAT_EVENTS_LAST_SEQ, last_seq),
};

static int parse(const char *name, char *buf, const struct key *keys,
		 size_t nkeys, void *out)
{
	char seen[64] = { 0 };
	char *line, *next;
	int lineno = 0, last = -1;
	size_t i;

	for (line = buf; *line; line = next) {
		char *val, *end;
		const struct key *k = NULL;
		long long n;

		lineno++;
		next = strchr(line, '\n');
		if (!next) {
			ol_err("%s/%s: malformed line %d: no newline at the end: \"%.80s\"",
			       ol_dir, name, lineno, line);
			return -1;
		}
		*next++ = '\0';
		val = strchr(line, ' ');
		if (!val || val == line || !val[1] || strchr(val + 1, ' ') ||
		    strspn(line, KEY_CHARS) != (size_t)(val - line))
			goto malformed;
		*val++ = '\0';
		for (i = 0; i < nkeys; i++)
			if (!strcmp(line, keys[i].name))
				k = &keys[i];
		if (!k)
			continue; /* a key from a newer module */
		if (k - keys <= last) {
			ol_err("%s/%s: line %d: key \"%s\" %s", ol_dir, name,
			       lineno, k->name,
			       seen[k - keys] ?
				       "repeated" :
				       "out of order (the ABI fixes the order)");
			return -1;
		}
		last = k - keys;
		if (k->word) {
			if (strlen(val) >= OL_WORD)
				goto malformed_kv;
			strcpy((char *)out + k->off, val);
		} else {
			errno = 0;
			n = strtoll(val, &end, 10);
			if (errno || *end)
				goto malformed_kv;
			*(long long *)((char *)out + k->off) = n;
		}
		seen[k - keys] = 1;
		continue;
malformed_kv:
		val[-1] = ' ';
malformed:
		ol_err("%s/%s: malformed line %d: \"%.80s\"", ol_dir, name,
		       lineno, line);
		return -1;
	}
	for (i = 0; i < nkeys; i++) {
		if (!seen[i]) {
			ol_err("%s/%s: key \"%s\" missing (after %d lines)",
			       ol_dir, name, keys[i].name, lineno);
			return -1;
		}
	}
	return 0;
}

int ol_parse_commit(const char *name, char *buf, struct ol_commit *c)
{
	memset(c, 0, sizeof(*c));
	return parse(name, buf, commit_keys,
		     sizeof(commit_keys) / sizeof(commit_keys[0]), c);
}

int ol_parse_check(const char *name, char *buf, struct ol_check *k)
{
	memset(k, 0, sizeof(*k));
	return parse(name, buf, check_keys,
		     sizeof(check_keys) / sizeof(check_keys[0]), k);
}

int ol_parse_event_stats(const char *name, char *buf, struct ol_event_stats *s)
{
	memset(s, 0, sizeof(*s));
	return parse(name, buf, event_stats_keys,
		     sizeof(event_stats_keys) / sizeof(event_stats_keys[0]), s);
}
