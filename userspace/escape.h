/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The string escapes of the debugfs files (include/oomlens_abi.h): a
 * backslash and three octal digits.  No dependency but libc, so that the
 * selftests can link it with parse_events.c.
 */
#ifndef OOMLENS_ESCAPE_H
#define OOMLENS_ESCAPE_H

/* Undo the octal escapes of @s in place ("-" stays "-"). */
void ol_unescape_octal(char *s);

#endif
