// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzed writes to every writable oomlens file.  The only one is
 * "commit_check" (the test fails if another appears without a model here);
 * the read-only files get a few fuzzed writes too, which must all fail with
 * EINVAL (no write handler).
 *
 * commit_check gets OOMLENS_FUZZ_WRITES (default 100000) writes: random
 * bytes of 1 byte to 64 KiB, empty writes, well-formed requests about
 * chosen processes with huge, boundary and random sizes, negative and
 * out-of-range numbers, numbers with junk around them, embedded NULs, a
 * valid request split over several write() calls, writes at nonzero offsets
 * (pwrite(), and write() after lseek()), from one thread, then from four
 * threads with their own open files, then from four threads sharing one.
 *
 * Each write is judged against model(), an independent reading of the
 * contract in Documentation/admin-guide.rst: which errno a bad write gets
 * (EINVAL, ESRCH), and for an accepted one the whole answer, read back:
 * every key in order, and each value from the kernel's own view
 * (/proc/meminfo CommitLimit, Committed_AS, MemTotal, SwapTotal; the vm
 * sysctls; /proc/<pid>/status VmSize and CapEff) and the documented
 * formula.  A failed write must leave the file position and the previous
 * answer alone; a successful write() must set the position to 0.
 *
 * A pid that came or went between the model's look and the write (the
 * model said ESRCH and the module answered, or the other way round, and a
 * second look after the write agrees with the module) is counted apart as
 * a race, not a mismatch; more than RACED_MAX of them fail the test.
 *
 * Afterwards "commit" and "tasks" must still agree with the kernel
 * (CommitLimit, Committed_AS, /proc/<pid>/oom_score).
 *
 * The seed is printed; OOMLENS_FUZZ_SEED=<n> reproduces a run (the inputs
 * of each thread are a function of the seed; the interleaving is not).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "oomlens_test.h"

#define CHECK OL_DIR "/" OOMLENS_FILE_COMMIT_CHECK
#define VM "/proc/sys/vm/"
#define PAGE 4096ULL
#define MAX_IN OOMLENS_CHECK_MAX_INPUT
#define NTHREADS 4
#define BIGBUF 65536
#define MAX_TARGETS 8
#define COMMITTED_SLACK 2048 /* pages: Committed_AS moves under us */
#define RACED_MAX 10 /* pids that came or went during a write, at most */

/* ---- a reproducible generator per thread ----------------------------- */

static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(uint64_t *s, uint64_t n)
{
	return n ? rnd(s) % n : 0;
}

/* ---- the kernel's view ------------------------------------------------ */

/* "Key: value" of a /proc file, or -1. */
static long long sysctl(const char *name)
{
	char path[128];
	long long v;

	snprintf(path, sizeof(path), VM "%s", name);
	return olt_read_long(path, &v) ? -1 : v;
}

struct target {
	pid_t pid;
	int cap_sys_admin;
	int has_mm;
	long long total_vm; /* pages */
	int loose_vm; /* the test itself: total_vm may move a little */
};

/* What the model needs, taken at the start of a phase. */
struct world {
	int mode;
	long long limit, admin, user, guess_max, pid_max;
	int ntargets;
	struct target t[MAX_TARGETS];
};

static int target_read(struct target *t, pid_t pid)
{
	long long cap;

	cap = olt_status_field(pid, "CapEff", 16);
	if (cap < 0)
		return -1;
	t->pid = pid;
	t->loose_vm = 0;
	t->cap_sys_admin = !!(cap & (1LL << 21));
	t->total_vm = olt_status_field(pid, "VmSize", 10);
	t->has_mm = t->total_vm >= 0;
	t->total_vm = t->has_mm ? t->total_vm / 4 : 0;
	return 0;
}

static int world_read(struct world *w)
{
	long long total, swap;

	w->mode = sysctl("overcommit_memory");
	w->admin = sysctl("admin_reserve_kbytes") / 4;
	w->user = sysctl("user_reserve_kbytes") / 4;
	w->limit = olt_meminfo_kb("CommitLimit") / 4;
	total = olt_meminfo_kb("MemTotal");
	swap = olt_meminfo_kb("SwapTotal");
	w->guess_max = total / 4 + swap / 4;
	if (olt_read_long("/proc/sys/kernel/pid_max", &w->pid_max))
		return -1;
	return w->mode < 0 || w->admin < 0 || w->user < 0 || w->limit < 0 ||
			       total < 0 || swap < 0 ?
		       -1 :
		       0;
}

/* ---- the contract ------------------------------------------------------ */

/* Decimal digits as an unsigned 64-bit value; false on overflow. */
static bool dec_u64(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (x > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = x;
	return true;
}

struct query {
	pid_t pid; /* 0: the writer */
	uint64_t bytes;
};

/*
 * What commit_check must do with this write, from the documentation:
 * 0 (accepted, *q the request) or the errno.  Where several errors apply,
 * the module reports the first of: the shape of the input (EINVAL), a pid
 * beyond int (EINVAL), pid 0 (ESRCH), a size beyond u64 or whose page
 * rounding overflows (EINVAL), no such process (ESRCH).
 */
static int model(const char *buf, size_t len, struct query *q)
{
	const char *f[3];
	size_t fl[3], i, n = 0;
	uint64_t pid = 0;

	if (!len || len > MAX_IN || memchr(buf, '\0', len))
		return EINVAL;
	if (buf[len - 1] == '\n')
		len--;
	for (i = 0; i < len;) {
		size_t j = i;

		if (buf[i] == ' ' || buf[i] == '\t') {
			i++;
			continue;
		}
		while (j < len && buf[j] != ' ' && buf[j] != '\t')
			j++;
		if (n == 2)
			return EINVAL;
		f[n] = buf + i;
		fl[n++] = j - i;
		i = j;
	}
	if (!n)
		return EINVAL;
	for (i = 0; i < n; i++)
		if (strspn(f[i], "0123456789") < fl[i])
			return EINVAL;
	q->pid = 0;
	if (n == 2) {
		if (!dec_u64(f[0], fl[0], &pid) || pid > INT_MAX)
			return EINVAL;
		if (!pid)
			return ESRCH;
		q->pid = (pid_t)pid;
	}
	if (!dec_u64(f[n - 1], fl[n - 1], &q->bytes))
		return EINVAL;
	if (q->bytes > UINT64_MAX - PAGE + 1)
		return EINVAL;
	if (q->pid && kill(q->pid, 0) && errno == ESRCH)
		return ESRCH;
	return 0;
}

/* The keys of an answer, in order. */
static const char *const answer_keys[] = {
	OOMLENS_CHECK_PID,
	OOMLENS_CHECK_BYTES,
	OOMLENS_CHECK_PAGES,
	OOMLENS_CHECK_MODE,
	OOMLENS_CHECK_MODE_NAME,
	OOMLENS_CHECK_RULE,
	OOMLENS_CHECK_CAP_SYS_ADMIN,
	OOMLENS_CHECK_LIMIT,
	OOMLENS_CHECK_ADMIN,
	OOMLENS_CHECK_ADMIN_APPLIED,
	OOMLENS_CHECK_HAS_MM,
	OOMLENS_CHECK_TOTAL_VM,
	OOMLENS_CHECK_USER,
	OOMLENS_CHECK_USER_APPLIED,
	OOMLENS_CHECK_ALLOWED,
	OOMLENS_CHECK_COMMITTED,
	OOMLENS_CHECK_COMMITTED_AFTER,
	OOMLENS_CHECK_ERROR,
	OOMLENS_CHECK_GUESS_MAX,
	OOMLENS_CHECK_VERDICT,
	OOMLENS_CHECK_EXACT,
};

#define NKEYS (sizeof(answer_keys) / sizeof(answer_keys[0]))

enum {
	K_PID,
	K_BYTES,
	K_PAGES,
	K_MODE,
	K_MODE_NAME,
	K_RULE,
	K_CAP,
	K_LIMIT,
	K_ADMIN,
	K_ADMIN_APPLIED,
	K_HAS_MM,
	K_TOTAL_VM,
	K_USER,
	K_USER_APPLIED,
	K_ALLOWED,
	K_COMMITTED,
	K_COMMITTED_AFTER,
	K_ERROR,
	K_GUESS_MAX,
	K_VERDICT,
	K_EXACT,
};

struct answer {
	long long v[NKEYS]; /* numbers; words below */
	char mode_name[16], rule[16], verdict[16];
	uint64_t bytes;
};

/* Split an answer; 0 if every key is there, in order, well formed. */
static int answer_parse(char *text, struct answer *a, char *why, size_t wl)
{
	char *line = text, *nl, *val, *end;
	size_t i;

	for (i = 0; i < NKEYS; i++, line = nl + 1) {
		size_t kl = strlen(answer_keys[i]);

		nl = strchr(line, '\n');
		if (!nl || strncmp(line, answer_keys[i], kl) ||
		    line[kl] != ' ') {
			snprintf(why, wl, "key %zu: want %s", i,
				 answer_keys[i]);
			return -1;
		}
		*nl = '\0';
		val = line + kl + 1;
		if (i == K_MODE_NAME || i == K_RULE || i == K_VERDICT) {
			snprintf(i == K_MODE_NAME ? a->mode_name :
				 i == K_RULE	  ? a->rule :
						    a->verdict,
				 16, "%s", val);
			continue;
		}
		errno = 0;
		if (i == K_BYTES)
			a->bytes = strtoull(val, &end, 10);
		else
			a->v[i] = strtoll(val, &end, 10);
		if (errno || end == val || *end) {
			snprintf(why, wl, "%s: bad number '%s'", answer_keys[i],
				 val);
			return -1;
		}
	}
	if (*line) {
		snprintf(why, wl, "trailing text after the last key");
		return -1;
	}
	return 0;
}

static const char *mode_word(int mode)
{
	return mode == 0 ? OOMLENS_MODE_GUESS :
	       mode == 1 ? OOMLENS_MODE_ALWAYS :
			   OOMLENS_MODE_NEVER;
}

/*
 * The answer's internal arithmetic, and (with @t) its terms against the
 * kernel's view of the process; @committed_lo/@hi bound Committed_AS.
 */
static int answer_check(const struct answer *a, const struct world *w,
			const struct target *t, const struct query *q,
			char *why, size_t wl)
{
	long long admin_applied, user_applied, allowed, pages, after;
	bool allow, exact;

#define WANT(cond, ...)                                 \
	do {                                            \
		if (!(cond)) {                          \
			snprintf(why, wl, __VA_ARGS__); \
			return -1;                      \
		}                                       \
	} while (0)

	pages = (long long)((a->bytes + PAGE - 1) / PAGE);
	if (q)
		WANT(a->bytes == q->bytes, "bytes %" PRIu64 " for %" PRIu64,
		     a->bytes, q->bytes);
	WANT(a->v[K_PAGES] == pages, "pages %lld, want %lld", a->v[K_PAGES],
	     pages);
	WANT(a->v[K_MODE] == w->mode, "mode %lld, want %d", a->v[K_MODE],
	     w->mode);
	WANT(!strcmp(a->mode_name, mode_word(w->mode)) &&
		     !strcmp(a->rule, mode_word(w->mode)),
	     "mode name %s rule %s for mode %d", a->mode_name, a->rule,
	     w->mode);
	WANT(a->v[K_LIMIT] == w->limit, "limit %lld, CommitLimit %lld",
	     a->v[K_LIMIT], w->limit);
	WANT(a->v[K_ADMIN] == w->admin, "admin %lld, want %lld", a->v[K_ADMIN],
	     w->admin);
	WANT(a->v[K_USER] == w->user, "user %lld, want %lld", a->v[K_USER],
	     w->user);
	WANT(a->v[K_GUESS_MAX] == w->guess_max, "guess_max %lld, want %lld",
	     a->v[K_GUESS_MAX], w->guess_max);
	if (t) {
		WANT(a->v[K_PID] == t->pid, "pid %lld, want %d", a->v[K_PID],
		     t->pid);
		WANT(a->v[K_CAP] == t->cap_sys_admin, "cap %lld, want %d",
		     a->v[K_CAP], t->cap_sys_admin);
		WANT(a->v[K_HAS_MM] == t->has_mm, "has_mm %lld, want %d",
		     a->v[K_HAS_MM], t->has_mm);
		if (t->loose_vm)
			WANT(llabs(a->v[K_TOTAL_VM] - t->total_vm) < 256,
			     "total_vm %lld, VmSize %lld pages",
			     a->v[K_TOTAL_VM], t->total_vm);
		else
			WANT(a->v[K_TOTAL_VM] == t->total_vm,
			     "total_vm %lld, VmSize %lld pages",
			     a->v[K_TOTAL_VM], t->total_vm);
	}
	admin_applied = a->v[K_CAP] ? 0 : 1;
	user_applied = !a->v[K_HAS_MM]		       ? 0 :
		       a->v[K_TOTAL_VM] / 32 < w->user ? a->v[K_TOTAL_VM] / 32 :
							 w->user;
	allowed = w->limit - (admin_applied ? w->admin : 0) - user_applied;
	after = a->v[K_COMMITTED] + pages;
	WANT(a->v[K_ADMIN_APPLIED] == admin_applied,
	     "admin_applied %lld, want %lld", a->v[K_ADMIN_APPLIED],
	     admin_applied);
	WANT(a->v[K_USER_APPLIED] == user_applied,
	     "user_applied %lld, want %lld", a->v[K_USER_APPLIED],
	     user_applied);
	WANT(a->v[K_ALLOWED] == allowed, "allowed %lld, want %lld",
	     a->v[K_ALLOWED], allowed);
	WANT(a->v[K_COMMITTED_AFTER] == after,
	     "committed_after %lld, want %lld", a->v[K_COMMITTED_AFTER], after);
	if (w->mode == 1) {
		allow = true;
		exact = true;
	} else if (w->mode == 0) {
		allow = pages <= w->guess_max;
		exact = true;
	} else {
		allow = after < allowed;
		exact = after + a->v[K_ERROR] <= allowed ||
			after - a->v[K_ERROR] >= allowed;
	}
	WANT(!strcmp(a->verdict,
		     allow ? OOMLENS_VERDICT_ALLOW : OOMLENS_VERDICT_DENY),
	     "verdict %s, want %s", a->verdict,
	     allow ? OOMLENS_VERDICT_ALLOW : OOMLENS_VERDICT_DENY);
	WANT(a->v[K_EXACT] == exact, "exact %lld, want %d", a->v[K_EXACT],
	     exact);
	return 0;
#undef WANT
}

/* ---- inputs ------------------------------------------------------------ */

struct fuzzer {
	uint64_t seed;
	const struct world *w;
	pid_t tid;
	int fd; /* commit_check, shared or own */
	bool shared; /* other threads write on fd too */
	int phase;
	long writes, applied, mismatches, rejected[8];
	long split, offset;
	long raced; /* the pid came or went between model() and the write */
	struct target self_t; /* refreshed every 256 writes */
	char big[BIGBUF];
	char first_bad[512];
};

/* Errnos counted apart; the last slot is "anything else". */
static const int errnos[] = { EINVAL, ESRCH,  E2BIG,  ERANGE,
			      ENOMEM, EFAULT, ENODATA };
#define NERR (sizeof(errnos) / sizeof(errnos[0]))

static int errno_slot(int e)
{
	size_t i;

	for (i = 0; i < NERR; i++)
		if (errnos[i] == e)
			return i;
	return NERR;
}

static uint64_t interesting_bytes(uint64_t *s, const struct world *w)
{
	static const uint64_t fixed[] = {
		0,
		1,
		4095,
		4096,
		4097,
		1ULL << 30,
		1ULL << 40,
		UINT64_MAX - PAGE + 1, /* the largest accepted */
		UINT64_MAX - PAGE + 2, /* page rounding overflows */
		UINT64_MAX,
		(uint64_t)LONG_MAX,
		(uint64_t)LONG_MAX + 1,
	};

	switch (below(s, 4)) {
	case 0:
		return fixed[below(s, sizeof(fixed) / sizeof(fixed[0]))];
	case 1: /* around the mode-2 allowance and the GUESS maximum */
		return (uint64_t)(below(s, 2) ? w->limit : w->guess_max) *
			       PAGE +
		       below(s, 1 << 20) - (1 << 19);
	case 2:
		return below(s, 1ULL << below(s, 64));
	}
	return rnd(s);
}

static void blanks(uint64_t *s, char **p, bool at_least_one)
{
	int n = below(s, 3) + at_least_one;

	while (n--)
		*(*p)++ = below(s, 4) ? ' ' : '\t';
}

/* A pid: a target, 0, beyond pid_max, beyond int, or random. */
static void pid_text(uint64_t *s, const struct world *w, char *out, size_t size)
{
	switch (below(s, 8)) {
	case 0:
		snprintf(out, size, "0");
		break;
	case 1:
		snprintf(out, size, "%lld",
			 w->pid_max +
				 (long long)below(s, INT_MAX - w->pid_max));
		break;
	case 2:
		snprintf(out, size, "%" PRIu64,
			 (uint64_t)INT_MAX + 1 + below(s, 1ULL << 40));
		break;
	case 3:
		snprintf(out, size, "%" PRIu64, below(s, 65536));
		break;
	default:
		snprintf(out, size, "%d", w->t[below(s, w->ntargets)].pid);
	}
}

/* A well-formed request, with optional blanks and newline. */
static size_t valid_request(uint64_t *s, const struct world *w, char *buf)
{
	char *p = buf, pid[32];
	uint64_t bytes = interesting_bytes(s, w);
	int zeros = below(s, 8) ? 0 : below(s, 20);

	blanks(s, &p, false);
	if (below(s, 3)) {
		pid_text(s, w, pid, sizeof(pid));
		p += sprintf(p, "%s", pid);
		blanks(s, &p, true);
	}
	while (zeros--)
		*p++ = '0';
	p += sprintf(p, "%" PRIu64, bytes);
	blanks(s, &p, false);
	if (below(s, 2))
		*p++ = '\n';
	return p - buf;
}

/* Damage a request: junk, signs, NULs, extra fields, bases, suffixes. */
static size_t junk_request(uint64_t *s, const struct world *w, char *buf)
{
	static const char *const junk[] = {
		"-",	"+",	"0x",  "0b", "k",   "M",   "G",	   "e3",
		".",	",",	"_",   "\r", "\n",  "\v",  "\f",   " x",
		"\x80", "\xff", "1e9", "-0", "nan", "inf", " 1 2", "\n1",
		"\\n",	"'",	"\"",  "(",  ")",
	};
	char tmp[256];
	size_t n = valid_request(s, w, tmp), pos, jl;
	const char *j;

	switch (below(s, 4)) {
	case 0: /* a negative number */
		n = snprintf(buf, MAX_IN + 1, "%s-%" PRIu64,
			     below(s, 2) ? "1 " : "", below(s, 1ULL << 63));
		return n;
	case 1: /* an embedded NUL */
		pos = below(s, n);
		memcpy(buf, tmp, n);
		buf[pos] = '\0';
		return n;
	}
	j = junk[below(s, sizeof(junk) / sizeof(junk[0]))];
	jl = strlen(j);
	pos = below(s, n + 1);
	memcpy(buf, tmp, pos);
	memcpy(buf + pos, j, jl);
	memcpy(buf + pos + jl, tmp + pos, n - pos);
	return n + jl;
}

/* One input into f->big; its length. */
static size_t make_input(struct fuzzer *f)
{
	uint64_t *s = &f->seed, k = below(s, 100), i, n;

	if (k < 25) { /* random bytes, mostly short */
		n = below(s, 4) ? 1 + below(s, MAX_IN + 8) :
				  1 + below(s, BIGBUF);
		for (i = 0; i < n; i++)
			f->big[i] = below(s, 4) ?
					    "0123456789 \t\n"[below(s, 13)] :
					    (char)rnd(s);
		return n;
	}
	if (k < 27)
		return 0;
	if (k < 30) { /* just too long, or a valid request padded out */
		n = valid_request(s, f->w, f->big);
		memset(f->big + n, ' ', BIGBUF - n);
		return MAX_IN + below(s, 3);
	}
	if (k < 65)
		return valid_request(s, f->w, f->big);
	return junk_request(s, f->w, f->big);
}

/* ---- one write and its judgement --------------------------------------- */

static void note_bad(struct fuzzer *f, const char *in, size_t len,
		     const char *fmt, ...)
{
	char msg[256], shown[80];
	va_list ap;
	size_t i, o = 0;

	if (f->mismatches++ >= 5)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; i < len && o < sizeof(shown) - 5; i++)
		o += snprintf(shown + o, sizeof(shown) - o,
			      isprint((unsigned char)in[i]) ? "%c" : "\\x%02x",
			      (unsigned char)in[i]);
	fprintf(stderr,
		"# mismatch: phase %d, thread %d: input \"%s\"%s (%zu bytes): %s\n",
		f->phase, f->tid, shown, i < len ? "..." : "", len, msg);
	if (!f->first_bad[0])
		snprintf(f->first_bad, sizeof(f->first_bad),
			 "phase %d, thread %d: input \"%s\"%s (%zu bytes): %s",
			 f->phase, f->tid, shown, i < len ? "..." : "", len,
			 msg);
}

static const struct target *find_target(const struct world *w, pid_t pid)
{
	int i;

	for (i = 0; i < w->ntargets; i++)
		if (w->t[i].pid == pid)
			return &w->t[i];
	return NULL;
}

/*
 * Write @len bytes of @in as one write() (or pwrite() at @off >= 0) and
 * judge the result.
 */
static void one_write(struct fuzzer *f, const char *in, size_t len,
		      long long off)
{
	struct target any_t;
	const struct target *t = NULL;
	char ans[2048], why[200];
	struct answer a;
	struct query q = { 0, 0 };
	int want = model(in, len, &q), got = 0;
	off_t pos0 = f->shared ? 0 : lseek(f->fd, 0, SEEK_CUR), pos1;
	ssize_t n;

	if (off >= 0)
		n = pwrite(f->fd, in, len, off);
	else
		n = write(f->fd, in, len);
	got = n < 0 ? errno : 0;
	f->writes++;
	if (n >= 0 && (size_t)n != len) {
		note_bad(f, in, len, "short write %zd", n);
		return;
	}
	/*
	 * model() looked the pid up before the write: a process that came
	 * or went in between (a kworker the pool retires, say) changes the
	 * right answer.  Judged again by a second look after the write, and
	 * counted.
	 */
	if (((got == ESRCH && !want) || (!got && want == ESRCH)) && q.pid &&
	    (want == ESRCH) != (kill(q.pid, 0) && errno == ESRCH)) {
		f->raced++;
		if (got)
			f->rejected[errno_slot(got)]++;
		else
			f->applied++;
		return;
	}
	if (got != want) {
		note_bad(f, in, len, "got %s, want %s",
			 got ? strerror(got) : "success",
			 want ? strerror(want) : "success");
		if (got)
			f->rejected[errno_slot(got)]++;
		return;
	}
	if (got) {
		f->rejected[errno_slot(got)]++;
		pos1 = f->shared ? 0 : lseek(f->fd, 0, SEEK_CUR);
		if (pos1 != pos0)
			note_bad(f, in, len,
				 "failed write moved the position %lld -> %lld",
				 (long long)pos0, (long long)pos1);
		return;
	}
	f->applied++;
	if (!f->shared && off < 0 && lseek(f->fd, 0, SEEK_CUR) != 0) {
		note_bad(f, in, len, "position not reset to 0");
		return;
	}
	n = pread(f->fd, ans, sizeof(ans) - 1, 0);
	if (n <= 0) {
		note_bad(f, in, len, "read back: %s",
			 n < 0 ? strerror(errno) : "empty");
		return;
	}
	ans[n] = '\0';
	if (answer_parse(ans, &a, why, sizeof(why))) {
		note_bad(f, in, len, "answer: %s", why);
		return;
	}
	if (f->shared) {
		/* Another thread may have asked since: check it on its own. */
		t = find_target(f->w, a.v[K_PID]);
		if (!t && !target_read(&any_t, a.v[K_PID])) {
			any_t.loose_vm = 1;
			t = &any_t;
		}
	} else if (!q.pid || q.pid == f->tid) {
		t = f->self_t.pid ? &f->self_t : NULL;
	} else {
		t = find_target(f->w, q.pid);
	}
	if (!answer_check(&a, f->w, t, f->shared ? NULL : &q, why, sizeof(why)))
		return;
	/* The test's own mm grows when it starts threads: look again. */
	if (t && t->loose_vm && !target_read(&any_t, t->pid) &&
	    (any_t.loose_vm = 1) &&
	    !answer_check(&a, f->w, &any_t, f->shared ? NULL : &q, why,
			  sizeof(why)))
		return;
	note_bad(f, in, len, "%s", why);
}

/* Committed_AS against the answer's committed_pages, now and then. */
static void check_committed(struct fuzzer *f)
{
	char ans[2048], why[200];
	struct answer a;
	long long lo, hi;
	ssize_t n;

	if (!target_read(&f->self_t, f->tid))
		f->self_t.loose_vm = 1;
	lo = olt_meminfo_kb("Committed_AS") / 4;
	if (write(f->fd, "0", 1) != 1)
		return;
	hi = olt_meminfo_kb("Committed_AS") / 4;
	f->writes++;
	f->applied++;
	n = pread(f->fd, ans, sizeof(ans) - 1, 0);
	if (n <= 0)
		return;
	ans[n] = '\0';
	if (answer_parse(ans, &a, why, sizeof(why)) || f->shared)
		return;
	if (a.v[K_COMMITTED] < (lo < hi ? lo : hi) - COMMITTED_SLACK ||
	    a.v[K_COMMITTED] > (lo > hi ? lo : hi) + COMMITTED_SLACK)
		note_bad(f, "0", 1,
			 "committed_pages %lld, Committed_AS %lld..%lld pages",
			 a.v[K_COMMITTED], lo, hi);
}

static void fuzz_loop(struct fuzzer *f, long count)
{
	long i;

	for (i = 0; i < count;) {
		uint64_t k = below(&f->seed, 100);
		size_t len;

		if ((i & 255) == 0) {
			check_committed(f);
			i++;
			continue;
		}
		if (k < 8) {
			/* A valid request split over several write()s. */
			char req[128];
			size_t n = valid_request(&f->seed, f->w, req), at = 0;
			int parts = 2 + below(&f->seed, 3);

			f->split++;
			while (at < n && i < count) {
				size_t piece = parts-- > 1 ? 1 + below(&f->seed,
								       n - at) :
							     n - at;

				one_write(f, req + at, piece, -1);
				at += piece;
				i++;
			}
			continue;
		}
		len = make_input(f);
		if (k < 16) {
			/* At a nonzero offset: pwrite(), or lseek() first. */
			long long off = 1 + below(&f->seed, 1ULL << 40);

			f->offset++;
			if (!f->shared && below(&f->seed, 2)) {
				lseek(f->fd, off, SEEK_SET);
				one_write(f, f->big, len, -1);
			} else {
				one_write(f, f->big, len, off);
			}
		} else {
			one_write(f, f->big, len, -1);
		}
		i++;
	}
}

struct thread_arg {
	struct fuzzer *f;
	long count;
};

/*
 * Threads start fuzzing together, once every thread exists: a thread
 * being created maps its stack, which changes the test's total_vm under
 * the answers of the others.  And none exits before all are done: on a
 * shared file another thread may be judging this one's last answer
 * against /proc/<tid>/status, which loses VmSize once the thread has let
 * go of its mm on the way out.
 */
static pthread_barrier_t start, done;

static void *thread_main(void *p)
{
	struct thread_arg *ta = p;

	ta->f->tid = syscall(SYS_gettid);
	pthread_barrier_wait(&start);
	fuzz_loop(ta->f, ta->count);
	pthread_barrier_wait(&done);
	return NULL;
}

/* ---- the test ----------------------------------------------------------- */

static pid_t sleeper(int uid)
{
	pid_t pid = fork();

	if (!pid) {
		if (uid && (setgroups(0, NULL) || setgid(uid) || setuid(uid)))
			_exit(1);
		pause();
		_exit(0);
	}
	return pid;
}

FIXTURE(fuzz)
{
	pid_t sleepers[2];
};

FIXTURE_SETUP(fuzz)
{
	ASSERT_EQ(0, olt_module_reload(""));
	system("swapoff -a 2>/dev/null");
	ASSERT_EQ(0, olt_commit_sysctls());
	self->sleepers[0] = sleeper(0);
	self->sleepers[1] = sleeper(65534);
	ASSERT_GT(self->sleepers[0], 0);
	ASSERT_GT(self->sleepers[1], 0);
	usleep(200000); /* let them reach pause() with their final mm */
}

FIXTURE_TEARDOWN(fuzz)
{
	int i;

	for (i = 0; i < 2; i++)
		if (self->sleepers[i] > 0) {
			kill(self->sleepers[i], SIGKILL);
			waitpid(self->sleepers[i], NULL, 0);
		}
	olt_sysctl_restore_all();
}

static void world_targets(struct world *w, const pid_t *sl)
{
	pid_t pids[] = { 1, 2, getpid(), sl[0], sl[1] };
	size_t i;

	w->ntargets = 0;
	for (i = 0; i < sizeof(pids) / sizeof(pids[0]); i++)
		if (!target_read(&w->t[w->ntargets], pids[i])) {
			w->t[w->ntargets].loose_vm = pids[i] == getpid();
			w->ntargets++;
		}
}

static void add_up(struct fuzzer *tot, const struct fuzzer *f)
{
	size_t i;

	tot->writes += f->writes;
	tot->applied += f->applied;
	tot->mismatches += f->mismatches;
	tot->split += f->split;
	tot->offset += f->offset;
	tot->raced += f->raced;
	for (i = 0; i <= NERR; i++)
		tot->rejected[i] += f->rejected[i];
	if (!tot->first_bad[0] && f->first_bad[0])
		memcpy(tot->first_bad, f->first_bad, sizeof(tot->first_bad));
}

/* Read-only files: every write fails with EINVAL. */
static long readonly_files(struct __test_metadata *_metadata, uint64_t *s,
			   int per_file, long *bad)
{
	DIR *d = opendir(OL_DIR);
	struct dirent *de;
	long writes = 0;
	char path[300], buf[256];
	struct stat st;
	int i, fd;

	*bad = 0;
	ASSERT_NE(NULL, d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), OL_DIR "/%s", de->d_name);
		ASSERT_EQ(0, stat(path, &st));
		if (st.st_mode & 0222) {
			EXPECT_STREQ(OOMLENS_FILE_COMMIT_CHECK, de->d_name)
			TH_LOG("writable file %s has no model in this test",
			       de->d_name);
			continue;
		}
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			TH_LOG("%s: open for writing: %s", de->d_name,
			       strerror(errno));
			continue;
		}
		for (i = 0; i < per_file; i++) {
			size_t n = below(s, sizeof(buf) + 1), j;

			for (j = 0; j < n; j++)
				buf[j] = (char)rnd(s);
			writes++;
			if (write(fd, buf, n) >= 0 || errno != EINVAL) {
				if (!*bad)
					TH_LOG("%s: write: %s", de->d_name,
					       strerror(errno));
				(*bad)++;
			}
		}
		close(fd);
	}
	closedir(d);
	return writes;
}

/*
 * Where the module takes the commit values from (kallsyms or the /proc
 * fallback): it decides the cost of an accepted write.
 */
static void log_value_paths(struct __test_metadata *_metadata)
{
	char *b = olt_read(OL_DIR "/" OOMLENS_FILE_COMMIT), *line, *save = NULL;
	char out[512] = "";
	size_t o = 0;

	if (!b)
		return;
	for (line = strtok_r(b, "\n", &save); line && o < sizeof(out) - 64;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strstr(line, "_source ");

		if (sp)
			o += snprintf(out + o, sizeof(out) - o, " %.*s=%s",
				      (int)(sp - line), line, sp + 8);
	}
	free(b);
	TH_LOG("commit value paths:%s", out);
}

/* After the storm: "commit" and "tasks" against the kernel. */
static void outputs_agree(struct __test_metadata *_metadata,
			  const pid_t *sleepers)
{
	long long limit_kb, committed_kb, lo, hi, v;
	char *tasks, *line, *save = NULL;
	int found = 0;

	lo = olt_meminfo_kb("Committed_AS");
	ASSERT_EQ(0, olt_keyed(OL_DIR "/" OOMLENS_FILE_COMMIT,
			       OOMLENS_COMMIT_LIMIT_KB, &limit_kb));
	ASSERT_EQ(0, olt_keyed(OL_DIR "/" OOMLENS_FILE_COMMIT,
			       OOMLENS_COMMIT_COMMITTED_KB, &committed_kb));
	hi = olt_meminfo_kb("Committed_AS");
	EXPECT_EQ(olt_meminfo_kb("CommitLimit"), limit_kb);
	EXPECT_GE(committed_kb, (lo < hi ? lo : hi) - COMMITTED_SLACK * 4);
	EXPECT_LE(committed_kb, (lo > hi ? lo : hi) + COMMITTED_SLACK * 4);
	ASSERT_EQ(0, olt_keyed(OL_DIR "/" OOMLENS_FILE_COMMIT,
			       OOMLENS_COMMIT_MODE, &v));
	EXPECT_EQ(sysctl("overcommit_memory"), v);

	tasks = olt_read(OL_DIR "/" OOMLENS_FILE_TASKS);
	ASSERT_NE(NULL, tasks);
	for (line = strtok_r(tasks, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		long long pid, score, kscore;
		char path[64], *col = line;
		int i;

		pid = strtoll(line, NULL, 10);
		if (pid != 1 && pid != sleepers[0] && pid != sleepers[1])
			continue;
		for (i = 0; i < 8 && col; i++) {
			col = strchr(col, ' ');
			col = col ? col + 1 : NULL;
		}
		ASSERT_NE(NULL, col);
		score = strtoll(col, NULL, 10);
		snprintf(path, sizeof(path), "/proc/%lld/oom_score", pid);
		ASSERT_EQ(0, olt_read_long(path, &kscore));
		EXPECT_EQ(kscore, score) TH_LOG("pid %lld", pid);
		found++;
	}
	free(tasks);
	EXPECT_EQ(3, found);
}

TEST_F_TIMEOUT(fuzz, commit_check_answers_as_modelled, 900)
{
	long total = olt_env_long("OOMLENS_FUZZ_WRITES", 100000), ro_bad, ro;
	uint64_t seed = olt_env_long("OOMLENS_FUZZ_SEED", 20261123), s;
	static struct fuzzer single, th[NTHREADS];
	struct thread_arg ta[NTHREADS];
	pthread_t tids[NTHREADS];
	static struct fuzzer tot;
	struct world w;
	struct timespec t0, t1;
	int phase, i, shared_fd = -1;
	size_t e;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	TH_LOG("seed %" PRIu64 " (OOMLENS_FUZZ_SEED), %ld writes to %s", seed,
	       total, OOMLENS_FILE_COMMIT_CHECK);
	log_value_paths(_metadata);
	s = seed ^ 0x5bd1e995;
	ro = readonly_files(_metadata, &s, 500, &ro_bad);
	TH_LOG("read-only files: %ld writes, %ld not refused with EINVAL", ro,
	       ro_bad);
	EXPECT_EQ(0, ro_bad);

	/*
	 * Phase 0-2: one thread, each overcommit mode; 3: four threads with
	 * their own open file (mode 2); 4: four threads on one open file
	 * (mode 0).
	 */
	for (phase = 0; phase < 5; phase++) {
		char mode[2] = { "01220"[phase], 0 };
		long share =
			phase < 3  ? total * 2 / 15 :
			phase == 3 ? total * 2 / 5 :
				     total - total * 2 / 15 * 3 - total * 2 / 5;

		ASSERT_EQ(0, olt_write(VM "overcommit_memory", mode));
		ASSERT_EQ(0, world_read(&w));
		world_targets(&w, self->sleepers);
		if (phase < 3) {
			memset(&single, 0, sizeof(single));
			single.phase = phase;
			single.seed = seed * (phase + 1) | 1;
			single.w = &w;
			single.tid = syscall(SYS_gettid);
			single.fd = open(CHECK, O_RDWR | O_CLOEXEC);
			ASSERT_LE(0, single.fd);
			fuzz_loop(&single, share);
			close(single.fd);
			add_up(&tot, &single);
			continue;
		}
		if (phase == 4) {
			shared_fd = open(CHECK, O_RDWR | O_CLOEXEC);
			ASSERT_LE(0, shared_fd);
		}
		ASSERT_EQ(0, pthread_barrier_init(&start, NULL, NTHREADS + 1));
		ASSERT_EQ(0, pthread_barrier_init(&done, NULL, NTHREADS));
		for (i = 0; i < NTHREADS; i++) {
			memset(&th[i], 0, sizeof(th[i]));
			th[i].phase = phase;
			th[i].seed = (seed + 1000 * phase + i) * 2654435761U |
				     1;
			th[i].w = &w;
			th[i].shared = phase == 4;
			th[i].fd = phase == 4 ? shared_fd :
						open(CHECK, O_RDWR | O_CLOEXEC);
			ASSERT_LE(0, th[i].fd);
			ta[i].f = &th[i];
			ta[i].count = (share + NTHREADS - 1) / NTHREADS;
			ASSERT_EQ(0, pthread_create(&tids[i], NULL, thread_main,
						    &ta[i]));
		}
		pthread_barrier_wait(&start);
		for (i = 0; i < NTHREADS; i++) {
			pthread_join(tids[i], NULL);
			if (phase == 3)
				close(th[i].fd);
			add_up(&tot, &th[i]);
		}
		pthread_barrier_destroy(&start);
		pthread_barrier_destroy(&done);
		if (phase == 4)
			close(shared_fd);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	olt_figure(
		"fuzzed writes",
		"commit_check: %ld writes (%ld split requests, %ld at an offset) in %.1f s",
		tot.writes, tot.split, tot.offset,
		(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (e = 0; e <= NERR; e++)
		if (tot.rejected[e])
			TH_LOG("rejected with %s: %ld",
			       e < NERR ? strerror(errnos[e]) : "other errno",
			       tot.rejected[e]);
	olt_figure(
		"fuzzed writes, outcome",
		"applied: %ld; mismatches: %ld; pid came or went during the write: %ld",
		tot.applied, tot.mismatches, tot.raced);
	if (tot.first_bad[0])
		TH_LOG("first mismatch: %s", tot.first_bad);
	EXPECT_GE(tot.writes, total);
	EXPECT_EQ(0, tot.mismatches);
	/*
	 * A race needs a pid that comes or goes in the microseconds around
	 * one write; the targets are stable, so only a random pid can hit
	 * one.  More than a handful would be the module answering ESRCH (or
	 * not) wrongly in a way the second look happens to excuse.
	 */
	EXPECT_GE(RACED_MAX, tot.raced);
	EXPECT_EQ(0, tot.rejected[NERR]);
	/* The generator reaches both sides. */
	EXPECT_GT(tot.applied, total / 10);
	EXPECT_GT(tot.rejected[errno_slot(EINVAL)], total / 10);
	EXPECT_GT(tot.rejected[errno_slot(ESRCH)], 0);

	outputs_agree(_metadata, self->sleepers);
}

/*
 * commit_check about processes that are exiting while it looks them up:
 * a churner forks children that exit at once, four writers ask about the
 * newest pids.  The module must hold the struct pid across the lookup (it
 * is freed by call_rcu() when the task is reaped): a use-after-free here
 * is what KASAN reports on the debug kernel (make check-debug).  Every
 * write either answers or fails with ESRCH.
 */
#define CHURN_RING 64

static volatile pid_t churn_pids[CHURN_RING];
static volatile unsigned int churn_head;
static volatile int churn_stop;

static void *churn_main(void *arg)
{
	while (!churn_stop) {
		pid_t pid = fork();

		if (!pid)
			_exit(0);
		if (pid < 0)
			continue;
		churn_pids[__atomic_fetch_add(&churn_head, 1, __ATOMIC_RELAXED) %
			   CHURN_RING] = pid;
		waitpid(pid, NULL, 0);
	}
	return NULL;
}

struct exiting_arg {
	long writes, answered, esrch, other;
	int last_errno;
	double until;
};

static void *exiting_writer(void *p)
{
	struct exiting_arg *a = p;
	char buf[64], out[4096];
	int fd = open(OL_DIR "/" OOMLENS_FILE_COMMIT_CHECK, O_RDWR | O_CLOEXEC);
	unsigned int i = 0;

	if (fd < 0) {
		a->other++;
		a->last_errno = errno;
		return NULL;
	}
	while (olt_now() < a->until) {
		pid_t pid = churn_pids[(churn_head - 1 - i++ % 4) % CHURN_RING];
		int n = snprintf(buf, sizeof(buf), "%d 4096", pid);

		if (pid <= 0)
			continue;
		a->writes++;
		if (write(fd, buf, n) == n) {
			if (pread(fd, out, sizeof(out), 0) > 0)
				a->answered++;
			else
				a->other++;
		} else if (errno == ESRCH) {
			a->esrch++;
		} else {
			a->other++;
			a->last_errno = errno;
		}
	}
	close(fd);
	return NULL;
}

TEST(commit_check_exiting_pids_answered_or_esrch)
{
	struct exiting_arg a[NTHREADS] = { 0 };
	pthread_t churn, w[NTHREADS];
	long writes = 0, answered = 0, esrch = 0, other = 0;
	double secs = olt_env_long("OOMLENS_EXITING_SECONDS", 15);
	int i;

	ASSERT_EQ(0, pthread_create(&churn, NULL, churn_main, NULL));
	for (i = 0; i < NTHREADS; i++) {
		a[i].until = olt_now() + secs;
		ASSERT_EQ(0,
			  pthread_create(&w[i], NULL, exiting_writer, &a[i]));
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(w[i], NULL);
		writes += a[i].writes;
		answered += a[i].answered;
		esrch += a[i].esrch;
		other += a[i].other;
		if (a[i].other)
			TH_LOG("writer %d: %ld unexpected results, last errno %s",
			       i, a[i].other, strerror(a[i].last_errno));
	}
	churn_stop = 1;
	pthread_join(churn, NULL);
	TH_LOG("%ld writes about exiting pids: %ld answered, %ld ESRCH, %ld other",
	       writes, answered, esrch, other);
	EXPECT_GT(writes, 0);
	EXPECT_GT(esrch, 0) TH_LOG("no write raced an exit");
	EXPECT_EQ(0, other);
}

OLT_HARNESS_MAIN
