// SPDX-License-Identifier: GPL-2.0
/*
 * sleepers: N idle processes of varied sizes, for the benchmark.
 *
 * usage: sleepers N [CGROUP_PREFIX M]
 * Forks N children (no exec: cheap under emulation); with CGROUP_PREFIX,
 * child i first moves itself into the cgroup CGROUP_PREFIX<i % M>; child i
 * touches
 * (i % 16 + 1) anonymous pages and its oom_score_adj is (i % 7) * 100, so
 * badness varies, then it sleeps.  Prints "ready N" when all exist, then
 * sleeps; SIGTERM to the parent kills the whole process group.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *prefix;
static long groups;

static void child(long i)
{
	long pages = i % 16 + 1;
	char *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	FILE *f;
	char path[4096];

	if (prefix) {
		snprintf(path, sizeof(path), "%s%ld/cgroup.procs", prefix,
			 i % groups);
		f = fopen(path, "w");
		if (!f || fputs("0", f) < 0 || fclose(f)) {
			perror(path);
			_exit(2);
		}
	}
	f = fopen("/proc/self/oom_score_adj", "w");

	if (f) {
		fprintf(f, "%ld", (i % 7) * 100);
		fclose(f);
	}
	if (p != MAP_FAILED)
		memset(p, 1, pages * 4096);
	for (;;)
		pause();
}

static void stop(int sig)
{
	(void)sig;
	signal(SIGTERM, SIG_IGN);
	kill(0, SIGKILL);
	_exit(0);
}

int main(int argc, char **argv)
{
	long n, i;

	if ((argc != 2 && argc != 4) || (n = strtol(argv[1], NULL, 10)) <= 0 ||
	    (argc == 4 && (groups = strtol(argv[3], NULL, 10)) <= 0)) {
		fprintf(stderr, "usage: sleepers N [CGROUP_PREFIX M]\n");
		return 1;
	}
	if (argc == 4)
		prefix = argv[2];
	setpgid(0, 0);
	signal(SIGTERM, stop);
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("sleepers: fork");
			kill(0, SIGKILL);
			return 2;
		}
		if (!pid)
			child(i);
	}
	printf("ready %ld\n", n);
	fflush(stdout);
	for (;;)
		pause();
}
