/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the oomlens debugfs files, with errors that name the cause and
 * the fix.
 */
#ifndef OOMLENS_FILES_H
#define OOMLENS_FILES_H

#include <stddef.h>

/* The directory in use: --debugfs, $OOMLENS_DEBUGFS or the default. */
extern const char *ol_dir;

/*
 * Read a whole file of ol_dir into a NUL-terminated malloc'd buffer.
 * Returns NULL after printing why (to stderr) on any failure.
 */
char *ol_read(const char *name, size_t *len);
/* The same, saying nothing on failure (a follower that tries again). */
char *ol_read_quiet(const char *name);

/* Print "oomlens: <fmt>" to stderr. */
void ol_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Exit codes. */
#define OL_EXIT_OK 0
#define OL_EXIT_USAGE 1
#define OL_EXIT_RUNTIME 2
/* commit --check: the verdict is deny (scripts test it: if oomlens ...). */
#define OL_EXIT_DENY 3

#endif
