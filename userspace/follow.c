// SPDX-License-Identifier: GPL-2.0
/*
 * The events file as a stream.  Reading it returns every retained event;
 * reading on after end of file returns the events recorded since, and
 * poll() says when there are some (the module's events file), so one open
 * file gives each event once, in order.  Blocks are parsed as whole blocks
 * only: a partial block at the end of a read waits for the rest.
 *
 * The open file does not keep the module loaded: when it is unloaded the
 * file reads EIO and polls POLLHUP.  A follower then closes it, waits for
 * the module to be back (the file again, the same ABI), says so to its
 * callback (an event NULL: sequence numbers start again) and reads on.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "files.h"
#include "follow.h"
#include "oomlens_abi.h"

/* How often a follower looks for the module again, in milliseconds. */
#define OL_FOLLOW_RETRY_MS 1000

/* The module went away under an open file (events_file.c). */
static int gone_errno(int e)
{
	return e == EIO || e == ENODEV || e == ENXIO;
}

/* Wait until @path opens again; its fd, or -1 after saying why not. */
static int wait_for_module(const char *path)
{
	const struct timespec retry = { OL_FOLLOW_RETRY_MS / 1000,
					(OL_FOLLOW_RETRY_MS % 1000) *
						1000000L };
	int fd, abi;

	fprintf(stderr,
		"oomlens: events: the module was unloaded; waiting for it to be loaded again\n");
	for (;;) {
		nanosleep(&retry, NULL);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT || gone_errno(errno))
				continue;
			ol_err("%s: %s", path, strerror(errno));
			return -1;
		}
		/*
		 * Another module version may have been loaded: refused with
		 * the reader's own words.  Unloaded again before its version
		 * could be read: wait on.
		 */
		abi = ol_module_abi_quiet();
		if (abi == OOMLENS_ABI_VERSION)
			break;
		close(fd);
		if (abi >= 0 && ol_check_abi())
			return -1;
	}
	fprintf(stderr, "oomlens: events: the module is back; reading on\n");
	return fd;
}

/**
 * ol_follow_events - call @fn for each event of the events file
 * @follow: after the retained events, wait for new ones, forever (across
 *          module reloads: @fn gets NULL when a new load's events begin)
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
		if (n < 0 && follow && gone_errno(errno))
			goto gone;
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
		if (!(p.revents & (POLLHUP | POLLERR | POLLNVAL)))
			continue;
gone:
		/* A block cut by the unload is gone with it. */
		close(fd);
		fd = wait_for_module(path);
		if (fd < 0) {
			ret = OL_EXIT_RUNTIME;
			goto out_nofd;
		}
		len = 0;
		line = 1;
		ret = fn(NULL, arg);
		if (ret)
			goto out;
	}
out:
	close(fd);
out_nofd:
	free(buf);
	return ret;
}
