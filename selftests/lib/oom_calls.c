// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own count of out_of_memory() calls: see oom_calls.h.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "oom_calls.h"
#include "oomlens_test.h"

#define TRACEFS "/sys/kernel/tracing"
#define KPROBE_GROUP "oomlens_selftest"
#define KPROBE_EVENT "oom"
#define KPROBE_NAME KPROBE_GROUP "/" KPROBE_EVENT

int olt_oom_calls_start(void)
{
	if (access(TRACEFS "/kprobe_events", F_OK))
		mount("nodev", TRACEFS, "tracefs", 0, NULL);
	if (access(TRACEFS "/kprobe_events", W_OK))
		return -1;
	olt_write(TRACEFS "/events/" KPROBE_NAME "/enable", "0");
	olt_write(TRACEFS "/kprobe_events", "-:" KPROBE_NAME);
	/* oc->memcg: the third pointer of struct oom_control (x86-64). */
	if (olt_write(TRACEFS "/kprobe_events",
		      "p:" KPROBE_NAME " out_of_memory memcg=+16(%di):x64"))
		return -1;
	olt_oom_calls_clear();
	return olt_write(TRACEFS "/events/" KPROBE_NAME "/enable", "1");
}

void olt_oom_calls_stop(void)
{
	olt_write(TRACEFS "/events/" KPROBE_NAME "/enable", "0");
	olt_write(TRACEFS "/kprobe_events", "-:" KPROBE_NAME);
}

long long olt_oom_calls_hits(void)
{
	char *b = olt_read(TRACEFS "/kprobe_profile"), *line, *save = NULL;
	long long hits = -1;

	if (!b)
		return -1;
	for (line = strtok_r(b, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[128];
		long long h, m;

		if (sscanf(line, "%127s %lld %lld", name, &h, &m) == 3 &&
		    !strcmp(name, KPROBE_EVENT))
			hits = h;
	}
	free(b);
	return hits;
}

void olt_oom_calls_split(long long *global, long long *memcg)
{
	char *b = olt_read(TRACEFS "/trace"), *p;

	*global = *memcg = 0;
	if (!b)
		return;
	for (p = b; (p = strstr(p, " memcg=0x")); p += 9) {
		if (!strncmp(p + 9, "0\n", 2) || !strncmp(p + 9, "0 ", 2))
			(*global)++;
		else
			(*memcg)++;
	}
	free(b);
}

/* As "echo > trace": it is the open with O_TRUNC that empties it. */
void olt_oom_calls_clear(void)
{
	int fd = open(TRACEFS "/trace", O_WRONLY | O_TRUNC);

	if (fd >= 0)
		close(fd);
}
