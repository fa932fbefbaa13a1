// SPDX-License-Identifier: GPL-2.0
/*
 * hog: a process of a known size, for the selftests and the demo.
 *
 * usage: hog [-a ADJ] [-c CGROUP_DIR] [-m MIB] [-M BYTES] [-n NAME] [-s] [-t] [-V]
 *   -a ADJ     write ADJ to /proc/self/oom_score_adj first
 *   -c DIR     move into the cgroup DIR (writes cgroup.procs) first
 *   -m MIB     touch MIB MiB of anonymous memory, then pause (sleep until
 *              killed); without -m, touch memory forever: an OOM maker
 *   -n NAME    set its comm to NAME (prctl(PR_SET_NAME), at most 15 bytes)
 *              after decoding \NNN octal escapes, so a shell test can name
 *              it with control bytes or invalid UTF-8
 *   -s         after touching, stop itself (SIGSTOP) instead of pausing
 *   -t         touch memory in a second thread (the main thread pauses), so
 *              the allocating task is not the thread group leader
 *   -M BYTES   stop itself (SIGSTOP); once continued, mmap() BYTES of
 *              anonymous memory without touching it, print "mmap ok" or
 *              "mmap failed", and exit 0 or 1: the commit accounting's
 *              verdict, taken by the kernel, at the moment of the caller's
 *              choice
 *   -V         first start a process that shares this one's mm (clone()
 *              with CLONE_VM, without CLONE_THREAD) and pauses: the OOM
 *              killer must kill both, and counts one kill
 * Prints "ready <pid>" on stdout once its memory is touched (with -m).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

static void write_str(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(s, f) < 0 || fclose(f)) {
		fprintf(stderr, "hog: %s: write '%s' failed\n", path, s);
		exit(2);
	}
}

/* @s with its \NNN octal escapes decoded, into @out (@len bytes). */
static void unescape(const char *s, char *out, size_t len)
{
	size_t o = 0;

	while (*s && o + 1 < len) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			out[o++] = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
					  (s[3] - '0'));
			s += 4;
		} else {
			out[o++] = *s++;
		}
	}
	out[o] = '\0';
}

static void touch(long mib)
{
	char *p;

	if (mib < 0) {
		/* Until the OOM killer stops us. */
		for (;;) {
			p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED)
				continue;
			memset(p, 0x5a, 1 << 20);
		}
	}
	if (mib > 0) {
		p = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("hog: mmap");
			exit(2);
		}
		memset(p, 0x5a, mib << 20);
	}
}

static void *touch_thread(void *arg)
{
	touch(*(long *)arg);
	return NULL;
}

static int sharer(void *arg)
{
	for (;;)
		pause();
	return 0;
}

static void start_sharer(void)
{
	static char stack[64 << 10] __attribute__((aligned(16)));

	if (clone(sharer, stack + sizeof(stack), CLONE_VM | SIGCHLD, NULL) <
	    0) {
		perror("hog: clone(CLONE_VM)");
		exit(2);
	}
}

/* -M: what __vm_enough_memory() decides for @bytes, now. */
static int try_map(unsigned long long bytes)
{
	void *p;

	raise(SIGSTOP);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap %s\n", p == MAP_FAILED ? "failed" : "ok");
	return p == MAP_FAILED;
}

int main(int argc, char **argv)
{
	int thread = 0;
	pthread_t th;
	char name[64];
	long mib = -1;
	int stop = 0, o;
	char path[4096];

	while ((o = getopt(argc, argv, "a:c:m:M:n:stV")) != -1) {
		switch (o) {
		case 'a':
			write_str("/proc/self/oom_score_adj", optarg);
			break;
		case 'c':
			snprintf(path, sizeof(path), "%s/cgroup.procs", optarg);
			write_str(path, "0");
			break;
		case 'm':
			mib = strtol(optarg, NULL, 10);
			break;
		case 'n':
			unescape(optarg, name, sizeof(name));
			if (prctl(PR_SET_NAME, name)) {
				perror("hog: prctl(PR_SET_NAME)");
				return 2;
			}
			break;
		case 's':
			stop = 1;
			break;
		case 't':
			thread = 1;
			break;
		case 'V':
			start_sharer();
			break;
		case 'M':
			return try_map(strtoull(optarg, NULL, 10));
		default:
			fprintf(stderr,
				"usage: hog [-a ADJ] [-c CGROUP] [-m MIB] [-n NAME] [-s] [-t] [-V]\n");
			return 1;
		}
	}
	if (thread) {
		if (pthread_create(&th, NULL, touch_thread, &mib)) {
			fprintf(stderr, "hog: pthread_create failed\n");
			return 2;
		}
		if (mib < 0)
			for (;;)
				pause();
		pthread_join(th, NULL);
	} else {
		touch(mib);
	}
	printf("ready %d\n", getpid());
	fflush(stdout);
	if (stop)
		raise(SIGSTOP);
	for (;;)
		pause();
}
