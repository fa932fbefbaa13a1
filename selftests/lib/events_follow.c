// SPDX-License-Identifier: GPL-2.0
/*
 * Following the "events" file: see events_follow.h.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events_follow.h"
#include "oomlens_test.h"

int olt_follow_open(struct olt_follow *f)
{
	memset(f, 0, sizeof(*f));
	f->line = 1;
	f->cap = 1 << 20;
	f->buf = malloc(f->cap);
	f->fd = open(OL_DIR "/" OOMLENS_FILE_EVENTS, O_RDONLY);
	if (f->fd < 0 || !f->buf) {
		olt_follow_close(f);
		return -1;
	}
	return 0;
}

int olt_follow_next(struct olt_follow *f, int stop, struct ol_events *evs,
		    char *err, size_t errlen)
{
	struct pollfd p[2] = { { f->fd, POLLIN, 0 }, { stop, POLLIN, 0 } };
	int last = 0;
	size_t used, i;
	ssize_t n;

	memset(evs, 0, sizeof(*evs));
	if (poll(p, 2, 2000) > 0) {
		if (p[0].revents & POLLIN)
			f->wakeups++;
		last = !!p[1].revents;
	}
	while ((n = read(f->fd, f->buf + f->len, f->cap - f->len - 1)) > 0) {
		f->len += n;
		f->reads++;
		if (f->cap - f->len < 65536) {
			char *nb = realloc(f->buf, f->cap * 2);

			if (!nb) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			f->buf = nb;
			f->cap *= 2;
		}
	}
	f->buf[f->len] = '\0';
	if (ol_events_parse(f->buf, 1, f->line, evs, &used, err, errlen))
		return -1;
	for (i = 0; i < used; i++)
		if (f->buf[i] == '\n')
			f->line++;
	memmove(f->buf, f->buf + used, f->len - used);
	f->len -= used;
	return last;
}

void olt_follow_close(struct olt_follow *f)
{
	if (f->fd >= 0)
		close(f->fd);
	free(f->buf);
	f->fd = -1;
	f->buf = NULL;
}
