// SPDX-License-Identifier: GPL-2.0
/*
 * runas: run a command as another uid/gid with no supplementary groups and
 * no capabilities (a plain setuid from root drops them all).
 *
 * usage: runas UID GID COMMAND [ARG...]
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long uid, gid;

	if (argc < 4) {
		fprintf(stderr, "usage: runas UID GID COMMAND [ARG...]\n");
		return 127;
	}
	uid = strtol(argv[1], &end, 10);
	if (*end || uid < 0) {
		fprintf(stderr, "runas: bad uid '%s'\n", argv[1]);
		return 127;
	}
	gid = strtol(argv[2], &end, 10);
	if (*end || gid < 0) {
		fprintf(stderr, "runas: bad gid '%s'\n", argv[2]);
		return 127;
	}
	if (setgroups(0, NULL) || setgid(gid) || setuid(uid)) {
		perror("runas");
		return 127;
	}
	execvp(argv[3], argv + 3);
	perror(argv[3]);
	return 127;
}
