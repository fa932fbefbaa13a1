// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the oomlens debugfs files.  A failure is explained once, here,
 * with what the user should do about it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "files.h"
#include "oomlens_abi.h"

const char *ol_dir = OOMLENS_DEFAULT_DIR;

/*
 * One line on stderr.  A message may quote a file's line or a user's
 * argument: control bytes and invalid UTF-8 in it are escaped (ol_tty_msg()).
 */
void ol_err(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "oomlens: %s\n", ol_tty_msg(msg));
}

/* Why can't we open ol_dir/name?  Work out the likeliest cause. */
static void explain_open_error(const char *path, int err)
{
	char parent[4096];
	struct stat st;
	char *slash;

	if (err == EACCES || err == EPERM) {
		ol_err("%s: permission denied: the oomlens files are root-only; run as root",
		       path);
		return;
	}
	if (err != ENOENT) {
		ol_err("%s: %s", path, strerror(err));
		return;
	}
	if (stat(ol_dir, &st) == 0) {
		char ver[4096];

		/* No version file at all: this is not the module's directory. */
		snprintf(ver, sizeof(ver), "%s/%s", ol_dir,
			 OOMLENS_FILE_VERSION);
		if (access(ver, F_OK) && errno == ENOENT) {
			ol_err("%s: not an oomlens directory (no %s file): the module's is %s, or give the directory with --debugfs",
			       ol_dir, OOMLENS_FILE_VERSION,
			       OOMLENS_DEFAULT_DIR);
			return;
		}
		ol_err("%s: no such file: the loaded oomlens module does not provide it (check 'oomlens --version')",
		       path);
		return;
	}
	if (errno == EACCES) {
		ol_err("%s: permission denied: debugfs is root-only; run as root",
		       ol_dir);
		return;
	}
	snprintf(parent, sizeof(parent), "%s", ol_dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = '\0';
	if (stat(parent, &st) == 0) {
		/*
		 * /sys/kernel/debug on the same device as /sys/kernel is
		 * the bare sysfs directory: debugfs is not mounted there.
		 */
		if (!strcmp(parent, "/sys/kernel/debug")) {
			struct stat root;

			if (stat("/sys/kernel", &root) == 0 &&
			    st.st_dev == root.st_dev) {
				ol_err("%s: debugfs is not mounted: mount -t debugfs none /sys/kernel/debug",
				       ol_dir);
				return;
			}
		}
		ol_err("%s: not found: the oomlens module is not loaded: modprobe oomlens (or insmod oomlens.ko)",
		       ol_dir);
		return;
	}
	ol_err("%s: not found (neither it nor %s exists): is debugfs mounted? mount -t debugfs none /sys/kernel/debug",
	       ol_dir, parent);
}

/* ol_read(), or with @quiet nothing said: the caller tries again. */
static char *read_file(const char *name, size_t *lenp, bool quiet)
{
	char path[4096];
	size_t len = 0, cap = 8192;
	char *buf;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", ol_dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (!quiet)
			explain_open_error(path, errno);
		return NULL;
	}
	buf = malloc(cap);
	if (!buf) {
		if (!quiet)
			ol_err("%s: out of memory", path);
		close(fd);
		return NULL;
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 4096) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				if (!quiet)
					ol_err("%s: out of memory", path);
				free(buf);
				close(fd);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (!quiet && (errno == ENOENT || errno == ENODEV ||
				       errno == EIO))
				ol_err("%s: the file went away while reading: was the module unloaded?",
				       path);
			else if (!quiet)
				ol_err("%s: read: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		size_t i, line = 1;

		for (i = 0; buf[i]; i++)
			line += buf[i] == '\n';
		if (!quiet)
			ol_err("%s: line %zu: a NUL byte: not a text file",
			       path, line);
		free(buf);
		return NULL;
	}
	if (lenp)
		*lenp = len;
	return buf;
}

char *ol_read(const char *name, size_t *lenp)
{
	return read_file(name, lenp, false);
}

char *ol_read_quiet(const char *name)
{
	return read_file(name, NULL, true);
}
