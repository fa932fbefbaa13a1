/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The string escapes of the debugfs files (include/oomlens_abi.h): a
 * backslash and three octal digits; and the escapes of the reader's text
 * output, which must never hand a terminal a control byte.  No dependency
 * but libc, so that the selftests can link it with parse_events.c.
 */
#ifndef OOMLENS_ESCAPE_H
#define OOMLENS_ESCAPE_H

#include <stddef.h>

/* Undo the octal escapes of @s in place ("-" stays "-"). */
void ol_unescape_octal(char *s);

/*
 * The length of the well-formed UTF-8 sequence at @s (at most @n bytes):
 * 1 for ASCII, 2 to 4, or 0 when the bytes there are not UTF-8 (a stray
 * continuation byte, an overlong form, a surrogate, past U+10FFFF, cut
 * short).
 */
size_t ol_utf8_len(const unsigned char *s, size_t n);

/*
 * @s as a terminal may show it: every C0 control byte (newline and tab
 * included), DEL, every C1 control (U+0080..U+009F) and every byte that is
 * not part of well-formed UTF-8 as \xNN, a backslash as \\; printable
 * ASCII and well-formed UTF-8 unchanged (as systemd escapes a unit's
 * strings).  A process chooses its comm and a cgroup's creator its name:
 * text output passes every such string through this.  Returns @s itself
 * when nothing needs escaping, else one of OL_TTY_SLOTS buffers used in
 * turn (so up to that many calls may feed one printf()).
 */
#define OL_TTY_SLOTS 32
const char *ol_tty(const char *s);
/* The same for a whole message line: backslashes stay as they are. */
const char *ol_tty_msg(const char *s);

#endif
