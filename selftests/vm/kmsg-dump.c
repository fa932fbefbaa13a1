// SPDX-License-Identifier: GPL-2.0
/*
 * kmsg-dump: copy the kernel log records from /dev/kmsg to stdout, one per
 * line as the kernel formats them ("prio,seq,usec,flags;text").  With
 * --follow it keeps reading until killed; without, it stops at the end of the
 * buffer.  Used by the test VM to stream the whole log (all levels) to a
 * serial port, whatever the console log level.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int follow = argc > 1 && !strcmp(argv[1], "--follow");
	char rec[8192];
	int fd;

	fd = open("/dev/kmsg", O_RDONLY | (follow ? 0 : O_NONBLOCK));
	if (fd < 0) {
		perror("kmsg-dump: /dev/kmsg");
		return 2;
	}
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);

		if (n < 0) {
			if (errno == EPIPE) { /* overwritten before read */
				fputs("kmsg-dump: records lost\n", stdout);
				continue;
			}
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			perror("kmsg-dump: read");
			return 2;
		}
		if (n > 0 && rec[n - 1] != '\n')
			rec[n++] = '\n';
		fwrite(rec, 1, n, stdout);
		fflush(stdout);
	}
	return 0;
}
