// SPDX-License-Identifier: GPL-2.0
/*
 * What /proc says of a process now.  An event names processes by pid and
 * start time (CLOCK_BOOTTIME ns, task->start_boottime); /proc/<pid>/stat's
 * starttime is the same clock in clock ticks, so a pid reused since the
 * OOM is told from the process the event recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc_pid.h"

char *ol_proc_read(long long pid, const char *name, size_t *len)
{
	char path[64], *buf = NULL;
	size_t cap = 0, n = 0, r;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%lld/%s", pid, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	do {
		char *nb;

		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/*
 * comm in parentheses (it may hold anything: the last ')' ends it), then
 * state (field 3), ppid...; flags is field 9, starttime field 22.
 */
bool ol_proc_stat(long long pid, struct ol_proc_stat *st)
{
	char *b = ol_proc_read(pid, "stat", NULL), *lp, *rp, *tok, *save = NULL;
	int field = 3;

	memset(st, 0, sizeof(*st));
	if (!b)
		return false;
	lp = strchr(b, '(');
	rp = strrchr(b, ')');
	if (!lp || !rp || rp < lp) {
		free(b);
		return false;
	}
	*rp = '\0';
	snprintf(st->comm, sizeof(st->comm), "%s", lp + 1);
	for (tok = strtok_r(rp + 1, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save), field++) {
		if (field == 9)
			st->flags = strtoull(tok, NULL, 10);
		if (field == 22) {
			st->start_ticks = strtoull(tok, NULL, 10);
			free(b);
			return true;
		}
	}
	free(b);
	return false;
}

/*
 * The boot-time offset of this reader's time namespace, ns: /proc shows
 * start times with it added (timens_add_boottime_ns()), the module's are
 * the host's.  0 outside a time namespace or without the file.
 */
static long long boot_offset_ns(void)
{
	static long long offset;
	static bool known;
	long long sec, nsec;
	char name[32];
	FILE *f;

	if (known)
		return offset;
	known = true;
	f = fopen("/proc/self/timens_offsets", "r");
	if (!f)
		return 0;
	/* "boottime <sec> <nsec>" (older kernels: the clock id, 7) */
	while (fscanf(f, "%31s %lld %lld", name, &sec, &nsec) == 3)
		if (!strcmp(name, "boottime") || !strcmp(name, "7"))
			offset = sec * 1000000000LL + nsec;
	fclose(f);
	return offset;
}

long long ol_proc_ticks_ns(unsigned long long ticks)
{
	long hz = sysconf(_SC_CLK_TCK);

	return hz > 0 ? (long long)(ticks * (1000000000ULL / hz)) -
				boot_offset_ns() :
			-1;
}

bool ol_proc_same(long long pid, long long start_ns)
{
	long hz = sysconf(_SC_CLK_TCK);
	struct ol_proc_stat st;
	long long shown;

	if (start_ns < 0 || hz <= 0 || !ol_proc_stat(pid, &st))
		return false;
	/* As /proc shows it: this namespace's clock, nsec_to_clock_t(). */
	shown = start_ns + boot_offset_ns();
	return shown >= 0 && (unsigned long long)shown / (1000000000ULL / hz) ==
				     st.start_ticks;
}

char *ol_proc_cmdline(long long pid, long long start_ns)
{
	size_t len, i;
	char *b;

	if (!ol_proc_same(pid, start_ns))
		return NULL;
	b = ol_proc_read(pid, "cmdline", &len);
	/* Checked again after: the pid may have been reused in between. */
	if (!b || !len || !ol_proc_same(pid, start_ns)) {
		free(b);
		return NULL;
	}
	while (len && !b[len - 1])
		len--;
	for (i = 0; i < len; i++)
		if (!b[i])
			b[i] = ' ';
	b[len] = '\0';
	return b;
}

void ol_proc_cgroup(long long pid, char *buf, size_t len)
{
	char *b = ol_proc_read(pid, "cgroup", NULL), *l;

	buf[0] = '\0';
	l = b ? strstr(b, "0::") : NULL;
	/* cgroup v2: the line "0::<path>" */
	if (l && (l == b || l[-1] == '\n')) {
		l += 3;
		l[strcspn(l, "\n")] = '\0';
		snprintf(buf, len, "%s", l);
	}
	free(b);
}
