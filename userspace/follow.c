// SPDX-License-Identifier: GPL-2.0
/*
 * The events file as a stream.  Reading it returns every retained event;
 * reading on after end of file returns the events recorded since, and
 * poll() says when there are some (the module's events file), so one open
 * file gives each event once, in order.  Blocks are parsed as whole blocks
 * only: a partial block at the end of a read waits for the rest.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "follow.h"
#include "oomlens_abi.h"

/**
 * ol_follow_events - call @fn for each event of the events file
 * @follow: after the retained events, wait for new ones, forever
 * @fn: the callback; its non-zero return ends the stream and is returned
 * @arg: passed to @fn
 *
 * Returns OL_EXIT_OK at the end of the file (without @follow), @fn's code,
 * or OL_EXIT_RUNTIME after saying what failed.
 */
int ol_follow_events(bool follow, ol_event_fn fn, void *arg)
{
	size_t len = 0, cap = 1 << 16, used, i, k;
	char path[4096], err[256], *buf;
	struct ol_events evs;
	int fd, line = 1, ret = OL_EXIT_OK;

	snprintf(path, sizeof(path), "%s/%s", ol_dir, OOMLENS_FILE_EVENTS);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	buf = malloc(cap);
	if (fd < 0 || !buf) {
		ol_err("%s: %s", path, strerror(errno));
		free(buf);
		if (fd >= 0)
			close(fd);
		return OL_EXIT_RUNTIME;
	}
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
			len += n;
			if (cap - len < 8192) {
				char *nb = realloc(buf, cap *= 2);

				if (!nb) {
					ol_err("events: out of memory");
					ret = OL_EXIT_RUNTIME;
					goto out;
				}
				buf = nb;
			}
		}
		if (n < 0 && errno != EINTR) {
			ol_err("%s: %s", path, strerror(errno));
			ret = OL_EXIT_RUNTIME;
			goto out;
		}
		buf[len] = '\0';
		if (ol_events_parse(buf, 1, line, &evs, &used, err,
				    sizeof(err))) {
			ol_err("%s: %s", path, err);
			ret = OL_EXIT_RUNTIME;
			goto out;
		}
		for (k = 0; k < evs.n && !ret; k++)
			ret = fn(&evs.ev[k], arg);
		ol_events_free(&evs);
		if (ret || !follow)
			goto out;
		for (i = 0; i < used; i++)
			line += buf[i] == '\n';
		memmove(buf, buf + used, len - used);
		len -= used;
		if (poll(&p, 1, -1) < 0 && errno != EINTR) {
			ol_err("%s: poll: %s", path, strerror(errno));
			ret = OL_EXIT_RUNTIME;
			goto out;
		}
	}
out:
	free(buf);
	close(fd);
	return ret;
}
