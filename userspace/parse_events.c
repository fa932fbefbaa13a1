// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing the "events" and "last" files.  Every block is checked: its
 * "event" and "end" sequence numbers agree, every key of the ABI is there
 * in order, the candidate lines parse, and the block's check value matches
 * OOMLENS_EVENT_CHECK() of its own values (a torn block would not).
 *
 * A newer module of the same ABI major may add keys anywhere among them and
 * fields to a candidate line before its comm: the parser keeps an unknown
 * key and its value (JSON passes it through, text ignores it) and skips an
 * unknown candidate field.  A known key out of order or missing is still an
 * error: the ABI fixes the order of what it defines.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "oomlens_abi.h"
#include "parse_events.h"

static const char *const keys[] = {
	OOMLENS_EV_TIME_BOOT,	 OOMLENS_EV_TIME_REAL,
	OOMLENS_EV_KIND,	 OOMLENS_EV_SOURCE,
	OOMLENS_EV_INFERRED,	 OOMLENS_EV_PID,
	OOMLENS_EV_COMM,	 OOMLENS_EV_GFP,
	OOMLENS_EV_ORDER,	 OOMLENS_EV_CONSTRAINT,
	OOMLENS_EV_NODEMASK,	 OOMLENS_EV_OOM_MEMCG,
	OOMLENS_EV_TOTALPAGES,	 OOMLENS_EV_OUTCOME,
	OOMLENS_EV_VICTIM_PID,	 OOMLENS_EV_VICTIM_COMM,
	OOMLENS_EV_VICTIM_UID,	 OOMLENS_EV_VICTIM_POINTS,
	OOMLENS_EV_VICTIM_SCORE, OOMLENS_EV_VICTIM_RSS,
	OOMLENS_EV_VICTIM_MEMCG, OOMLENS_EV_KILL_CALLS,
	OOMLENS_EV_PREDICTED,	 OOMLENS_EV_PREDICTION,
	OOMLENS_EV_PANIC_ON_OOM, OOMLENS_EV_KILL_ALLOC,
	OOMLENS_EV_DUMP_TASKS,	 OOMLENS_EV_SYSCTLS,
};
/*
 * Keys added since ABI 1.0 (OOMLENS_EV_VICTIM_TID, OOMLENS_EV_VICTIM_CHOSEN_BY,
 * OOMLENS_EV_KILLS, OOMLENS_EV_PROBE_MISSED) are not in this list: a module
 * before them does not print them, so they are taken like any newer key,
 * wherever they appear, and read by name (ol_ev_str()).
 */
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

const char *ol_ev_str(const struct ol_event *ev, const char *key)
{
	int i;

	for (i = 0; i < ev->nkeys; i++)
		if (!strcmp(ev->key[i], key))
			return ev->val[i];
	return NULL;
}

int ol_ev_num(const struct ol_event *ev, const char *key, long long *v)
{
	const char *s = ol_ev_str(ev, key);
	char *end;

	if (!s || !strcmp(s, "-"))
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 0);
	return (errno || end == s || *end) ? -1 : 0;
}

/*
 * A module before OOMLENS_EV_CAND_READ said it for the whole table only:
 * candidates_components "preempt_rt" (rows never read).
 */
int ol_cand_read(const struct ol_event *ev, const struct ol_cand *c)
{
	const char *comp;

	if (c->read >= 0)
		return c->read == 1;
	comp = ol_ev_str(ev, OOMLENS_EV_CANDIDATES_COMPONENTS);
	return !comp || strcmp(comp, OOMLENS_COMPONENTS_PREEMPT_RT);
}

int ol_ev_cand_memcg_key(const char *key)
{
	size_t n = strlen(OOMLENS_EV_CAND_MEMCG_PREFIX);

	return !strncmp(key, OOMLENS_EV_CAND_MEMCG_PREFIX, n) && key[n] &&
	       strspn(key + n, "0123456789") == strlen(key + n);
}

int ol_ev_nodes(const struct ol_event *ev, struct ol_node *out, int max,
		int *cut)
{
	const char *s = ol_ev_str(ev, OOMLENS_EV_DOMAIN_NODE_FREE);
	long long nid, pages;
	char *end;
	int n = 0;

	*cut = 0;
	if (!s)
		return -2;
	if (!strcmp(s, OOMLENS_NONE))
		return 0;
	while (*s) {
		if (!strcmp(s, OOMLENS_TRUNCATED)) {
			*cut = 1;
			return n;
		}
		errno = 0;
		nid = strtoll(s, &end, 10);
		if (errno || end == s || *end != ':' || nid < 0 || n == max)
			return -1;
		s = end + 1;
		pages = strtoll(s, &end, 10);
		if (errno || end == s || (*end && *end != ',') || pages < 0)
			return -1;
		out[n].nid = nid;
		out[n].free_pages = pages;
		n++;
		s = end;
		if (*s == ',' && !*++s)
			return -1; /* a trailing comma */
	}
	return n;
}

const char *ol_cand_memcg(const struct ol_event *ev, const struct ol_cand *c)
{
	char key[32];

	if (c->memcg <= 0)
		return NULL;
	snprintf(key, sizeof(key), "%s%lld", OOMLENS_EV_CAND_MEMCG_PREFIX,
		 c->memcg);
	return ol_ev_str(ev, key);
}

static int is_string_key(const char *key)
{
	return ol_ev_cand_memcg_key(key) || !strcmp(key, OOMLENS_EV_COMM) ||
	       !strcmp(key, OOMLENS_EV_VICTIM_COMM) ||
	       !strcmp(key, OOMLENS_EV_OOM_MEMCG) ||
	       !strcmp(key, OOMLENS_EV_VICTIM_MEMCG);
}

static int num_or_dash(const char *s, long long *v, int *ok)
{
	char *end;

	if (!strcmp(s, "-")) {
		*v = 0;
		return 0;
	}
	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		*ok = 0;
	return 0;
}

static void seterr(char *err, size_t len, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, len, "line %d: ", line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < len)
		vsnprintf(err + n, len - n, fmt, ap);
	va_end(ap);
}

/* A key of the files: [a-z0-9_]+. */
static size_t key_len(const char *s)
{
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");
}

/*
 * "cand <rank> pid=.. uid=.. adj=.. points=.. score=.. rss=.. swap=..
 * pgtables=.. [read=..] [start_ns=..] [memcg=..] comm=<rest>": each known
 * field once, in that order (the ones added later may be missing: -1); a
 * field a newer module adds before comm (name=number) is skipped.
 */
#define CAND_REQUIRED 8
static int parse_cand(const char *s, struct ol_cand *c)
{
	static const char *const names[] = { "pid",
					     "uid",
					     "adj",
					     "points",
					     "score",
					     "rss",
					     "swap",
					     "pgtables",
					     OOMLENS_EV_CAND_READ,
					     OOMLENS_EV_CAND_START,
					     OOMLENS_EV_CAND_MEMCG };
	long long *const vals[] = { &c->pid,	  &c->uid,	&c->adj,
				    &c->points,	  &c->score,	&c->rss,
				    &c->swap,	  &c->pgtables, &c->read,
				    &c->start_ns, &c->memcg };
	const size_t nnames = sizeof(names) / sizeof(names[0]);
	size_t next = 0, i, kl;
	char *end;
	int n = 0;

	if (sscanf(s, "cand %u %n", &c->rank, &n) != 1 || !n)
		return -1;
	s += n;
	c->read = -1;
	c->start_ns = -1;
	c->memcg = -1;
	while (strncmp(s, "comm=", 5)) {
		kl = key_len(s);
		if (!kl || s[kl] != '=')
			return -1;
		for (i = 0; i < nnames; i++)
			if (strlen(names[i]) == kl && !strncmp(s, names[i], kl))
				break;
		/*
		 * A known field out of order or twice, a required one
		 * skipped, or an optional one before the last required.
		 */
		if (i < nnames &&
		    (i < next || (i < CAND_REQUIRED && i != next) ||
		     (i >= CAND_REQUIRED && next < CAND_REQUIRED)))
			return -1;
		errno = 0;
		if (i < nnames)
			*vals[i] = strtoll(s + kl + 1, &end, 10);
		else
			strtoll(s + kl + 1, &end, 10);
		if (errno || end == s + kl + 1 || *end != ' ')
			return -1;
		/* The optional ones, when sent, are never negative. */
		if (i >= CAND_REQUIRED && i < nnames && *vals[i] < 0)
			return -1;
		if (i < nnames)
			next = i + 1;
		s = end + 1;
	}
	s += 5;
	/* Every required field; read is 0 or 1, memcg an index. */
	if (next < CAND_REQUIRED || !*s || strchr(s, ' '))
		return -1;
	if (c->read != -1 && c->read != 0 && c->read != 1)
		return -1;
	if (c->memcg > OOMLENS_EV_CAND_MEMCGS_MAX)
		return -1;
	snprintf(c->comm, sizeof(c->comm), "%s", s);
	ol_unescape_octal(c->comm);
	return 0;
}

/* Append the @kl bytes of @key and @val to @ev's keys; -1 when it is full. */
static int add_key(struct ol_event *ev, const char *key, size_t kl,
		   const char *val)
{
	if (ev->nkeys == OL_EV_MAX_KEYS)
		return -1;
	snprintf(ev->key[ev->nkeys], sizeof(ev->key[0]), "%.*s", (int)kl, key);
	snprintf(ev->val[ev->nkeys], sizeof(ev->val[0]), "%s", val);
	ev->nkeys++;
	return 0;
}

/* Is @buf "<key> <value>" with a key the ABI does not define?  Its length. */
static size_t unknown_key(const char *buf)
{
	size_t kl = key_len(buf), i;

	if (!kl || kl >= sizeof(((struct ol_event *)0)->key[0]) ||
	    buf[kl] != ' ' || !buf[kl + 1] ||
	    !strncmp(buf, OOMLENS_EV_CANDIDATES " ", kl + 1))
		return 0;
	for (i = 0; i < NKEYS; i++)
		if (strlen(keys[i]) == kl && !strncmp(buf, keys[i], kl))
			return 0;
	return kl;
}

/* Verify the end line against the block's own values. */
static int check_ok(struct ol_event *ev)
{
	long long pid = 0, tp = 0, vp = 0, boot = 0;
	int ok = 1;

	num_or_dash(ol_ev_str(ev, OOMLENS_EV_PID), &pid, &ok);
	num_or_dash(ol_ev_str(ev, OOMLENS_EV_TOTALPAGES), &tp, &ok);
	num_or_dash(ol_ev_str(ev, OOMLENS_EV_VICTIM_PID), &vp, &ok);
	num_or_dash(ol_ev_str(ev, OOMLENS_EV_TIME_BOOT), &boot, &ok);
	return ok && ev->check == OOMLENS_EVENT_CHECK(ev->seq,
						      (unsigned long long)pid,
						      (unsigned long long)tp,
						      (unsigned long long)vp,
						      (unsigned long long)boot);
}

int ol_events_parse(const char *text, int partial_ok, int first_line,
		    struct ol_events *out, size_t *consumed, char *err,
		    size_t errlen)
{
	const char *p = text;
	struct ol_event *ev = NULL;
	int line = first_line - 1,
	    state = 0; /* 0: between, 1: keys, 2: cands */
	size_t k = 0;
	char buf[1024];

	out->n = 0;
	out->ev = NULL;
	if (consumed)
		*consumed = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len;

		if (!nl)
			break; /* a line without its newline: unfinished */
		len = nl - p;
		line++;
		if (len >= sizeof(buf)) {
			seterr(err, errlen, line, "line too long");
			goto fail;
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		p = nl + 1;

		if (state == 0) {
			unsigned long long seq;
			char extra;
			void *n;

			if (sscanf(buf, OOMLENS_EV_BEGIN " %llu%c", &seq,
				   &extra) != 1) {
				seterr(err, errlen, line,
				       "expected '%s <seq>', got \"%s\"",
				       OOMLENS_EV_BEGIN, buf);
				goto fail;
			}
			n = realloc(out->ev, (out->n + 1) * sizeof(*out->ev));
			if (!n) {
				seterr(err, errlen, line, "out of memory");
				goto fail;
			}
			out->ev = n;
			ev = &out->ev[out->n++];
			memset(ev, 0, sizeof(*ev));
			ev->seq = seq;
			k = 0;
			state = 1;
			continue;
		}
		if (state == 1 && unknown_key(buf)) {
			size_t kl = unknown_key(buf);

			/* A newer module's key: kept as it is, for JSON. */
			if (add_key(ev, buf, kl, buf + kl + 1)) {
				seterr(err, errlen, line,
				       "more than %d keys in one event",
				       OL_EV_MAX_KEYS);
				goto fail;
			}
			/* But for the strings this reader knows (escaped). */
			if (ol_ev_cand_memcg_key(ev->key[ev->nkeys - 1])) {
				if (strchr(buf + kl + 1, ' ')) {
					seterr(err, errlen, line,
					       "unescaped space in '%.*s'",
					       (int)kl, buf);
					goto fail;
				}
				ol_unescape_octal(ev->val[ev->nkeys - 1]);
			}
			continue;
		}
		if (state == 1 && k < NKEYS) {
			size_t kl = strlen(keys[k]);

			if (strncmp(buf, keys[k], kl) || buf[kl] != ' ' ||
			    !buf[kl + 1]) {
				seterr(err, errlen, line,
				       "expected '%s <value>', got \"%s\"",
				       keys[k], buf);
				goto fail;
			}
			if (is_string_key(keys[k]) &&
			    strchr(buf + kl + 1, ' ')) {
				seterr(err, errlen, line,
				       "unescaped space in '%s'", keys[k]);
				goto fail;
			}
			if (add_key(ev, keys[k], kl, buf + kl + 1)) {
				seterr(err, errlen, line,
				       "more than %d keys in one event",
				       OL_EV_MAX_KEYS);
				goto fail;
			}
			if (is_string_key(keys[k]))
				ol_unescape_octal(ev->val[ev->nkeys - 1]);
			k++;
			continue;
		}
		if (state == 1) {
			int n;
			char extra;

			if (sscanf(buf, OOMLENS_EV_CANDIDATES " %d%c", &n,
				   &extra) != 1 ||
			    n < 0 || n > 4096) {
				seterr(err, errlen, line,
				       "expected '%s <n>', got \"%s\"",
				       OOMLENS_EV_CANDIDATES, buf);
				goto fail;
			}
			ev->cand = calloc(n ? n : 1, sizeof(*ev->cand));
			if (!ev->cand) {
				seterr(err, errlen, line, "out of memory");
				goto fail;
			}
			ev->ncand = 0;
			k = n;
			state = 2;
			continue;
		}
		if ((size_t)ev->ncand < k) {
			if (parse_cand(buf, &ev->cand[ev->ncand]) ||
			    ev->cand[ev->ncand].rank !=
				    (unsigned int)ev->ncand + 1) {
				seterr(err, errlen, line,
				       "malformed candidate \"%s\"", buf);
				goto fail;
			}
			ev->ncand++;
			continue;
		}
		{
			unsigned long long seq, check;
			char extra;

			if (sscanf(buf, OOMLENS_EV_END " %llu %llu%c", &seq,
				   &check, &extra) != 2) {
				seterr(err, errlen, line,
				       "expected '%s <seq> <check>', got \"%s\"",
				       OOMLENS_EV_END, buf);
				goto fail;
			}
			if (seq != ev->seq) {
				seterr(err, errlen, line,
				       "torn event: begins as %llu, ends as %llu",
				       ev->seq, seq);
				goto fail;
			}
			ev->check = check;
			if (!check_ok(ev)) {
				seterr(err, errlen, line,
				       "torn event %llu: check value %llu does not match its fields",
				       seq, check);
				goto fail;
			}
			state = 0;
			if (consumed)
				*consumed = p - text;
		}
	}
	if (state != 0 || *p) {
		if (!partial_ok) {
			seterr(err, errlen, line + 1, "unfinished event block");
			goto fail;
		}
		if (state != 0) {
			free(out->ev[out->n - 1].cand);
			out->n--;
		}
	}
	return 0;
fail:
	ol_events_free(out);
	return -1;
}

void ol_events_free(struct ol_events *evs)
{
	size_t i;

	for (i = 0; i < evs->n; i++)
		free(evs->ev[i].cand);
	free(evs->ev);
	evs->ev = NULL;
	evs->n = 0;
}
