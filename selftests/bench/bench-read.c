// SPDX-License-Identifier: GPL-2.0
/*
 * bench-read: the cost of ranking every process by OOM badness, two ways,
 * measured side by side: reading oomlens's "tasks" file once, versus the
 * userspace way (for every pid in /proc: oom_score, oom_score_adj and
 * status).  Runs are interleaved (A B A B ...) so both see the same machine.
 *
 * usage: bench-read TASKS_FILE ROUNDS
 *        bench-read FILE ROUNDS OTHER_FILE
 * Prints one JSON object: the per-run times in ns and their medians, rows
 * read from tasks and processes scanned in /proc.  With OTHER_FILE, the
 * second of each pair of runs reads OTHER_FILE instead of scanning /proc
 * ("other_ns", "median_other_ns", "other_rows").
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static char buf[1 << 16];

/* Read a whole file; returns the number of newlines, -1 on error. */
static long read_lines(const char *path)
{
	int fd = open(path, O_RDONLY);
	long lines = 0;
	ssize_t n, i;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close(fd);
	return n < 0 ? -1 : lines;
}

static long procscan(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[300];
	long procs = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/oom_score", e->d_name);
		if (read_lines(path) < 0)
			continue; /* exited meanwhile */
		snprintf(path, sizeof(path), "/proc/%s/oom_score_adj",
			 e->d_name);
		read_lines(path);
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		read_lines(path);
		procs++;
	}
	closedir(d);
	return procs;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static long long median(long long *v, int n)
{
	long long s[256];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static void print_array(const char *key, long long *v, int n)
{
	int i;

	printf("\"%s\":[", key);
	for (i = 0; i < n; i++)
		printf("%s%lld", i ? "," : "", v[i]);
	printf("],");
}

int main(int argc, char **argv)
{
	long long a[256], b[256], t;
	long rows = 0, procs = 0;
	const char *other = argc == 4 ? argv[3] : NULL;
	int rounds, i;

	if ((argc != 3 && argc != 4) || (rounds = atoi(argv[2])) < 1 ||
	    rounds > 256) {
		fprintf(stderr,
			"usage: bench-read FILE ROUNDS(1-256) [OTHER_FILE]\n");
		return 1;
	}
	for (i = 0; i < rounds; i++) {
		t = now_ns();
		rows = read_lines(argv[1]);
		a[i] = now_ns() - t;
		t = now_ns();
		procs = other ? read_lines(other) : procscan();
		b[i] = now_ns() - t;
		if (rows < 0 || procs < 0) {
			fprintf(stderr, "bench-read: cannot read %s or %s\n",
				argv[1], other ? other : "/proc");
			return 2;
		}
	}
	printf("{");
	print_array("oomlens_ns", a, rounds);
	print_array(other ? "other_ns" : "procscan_ns", b, rounds);
	if (other)
		printf("\"median_oomlens_ns\":%lld,\"median_other_ns\":%lld,\"rows\":%ld,\"other_rows\":%ld}\n",
		       median(a, rounds), median(b, rounds), rows - 1,
		       procs - 1);
	else
		printf("\"median_oomlens_ns\":%lld,\"median_procscan_ns\":%lld,\"rows\":%ld,\"procs\":%ld}\n",
		       median(a, rounds), median(b, rounds), rows - 1, procs);
	return 0;
}
