// SPDX-License-Identifier: GPL-2.0
/*
 * The string escapes of the debugfs files (seq_escape()'s backslash and
 * three octal digits), and those of the reader's text output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

void ol_unescape_octal(char *s)
{
	char *w = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 4;
		} else {
			*w++ = *s++;
		}
	}
	*w = '\0';
}

static int cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t ol_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && cont(s[1]) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		/* E0: no overlong form; ED: no UTF-16 surrogate. */
		if (n < 3 || !cont(s[1]) || !cont(s[2]) ||
		    (c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		/* F0: no overlong form; F4: nothing past U+10FFFF. */
		if (n < 4 || !cont(s[1]) || !cont(s[2]) || !cont(s[3]) ||
		    (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

/* Bytes of @s at @i to copy as they are, or 0 to escape the byte there. */
static size_t keep(const unsigned char *s, size_t i, size_t n, int bs)
{
	size_t len;

	if (s[i] == '\\')
		return !bs;
	if (s[i] < 0x80)
		return s[i] >= 0x20 && s[i] != 0x7f;
	len = ol_utf8_len(s + i, n - i);
	/* C1 controls: U+0080..U+009F, C2 80..C2 9F. */
	if (len == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0)
		return 0;
	return len;
}

static const char *tty(const char *str, int bs)
{
	static char *slot[OL_TTY_SLOTS];
	static unsigned int next;
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), i, o = 0, k;
	char *out;

	for (i = 0; i < n; i += k)
		if (!(k = keep(s, i, n, bs)))
			break;
	if (i == n)
		return str;
	out = realloc(slot[next], 4 * n + 1);
	if (!out)
		return "(out of memory)";
	slot[next] = out;
	next = (next + 1) % OL_TTY_SLOTS;
	for (i = 0; i < n; i += k) {
		k = keep(s, i, n, bs);
		if (k) {
			memcpy(out + o, s + i, k);
			o += k;
		} else if (s[i] == '\\') {
			memcpy(out + o, "\\\\", 2);
			o += 2;
			k = 1;
		} else {
			o += (size_t)sprintf(out + o, "\\x%02x", s[i]);
			k = 1;
		}
	}
	out[o] = '\0';
	return out;
}

const char *ol_tty(const char *s)
{
	return tty(s, 1);
}

const char *ol_tty_msg(const char *s)
{
	return tty(s, 0);
}
