// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing the oomlens table files in the selftests (see olt_table.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "olt_table.h"
#include "oomlens_abi.h"

int olt_split(char *line, char **cols, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *sp = strchr(p, ' ');

		if (n == max)
			return -1;
		cols[n++] = p;
		if (sp)
			*sp = '\0';
		if (!*p)
			return -1;
		for (char *c = p; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				return -1;
		if (!sp)
			return n;
		p = sp + 1;
	}
}

void olt_unescape(char *s)
{
	char *w = s;

	if (!strcmp(s, OOMLENS_NONE)) {
		*s = '\0';
		return;
	}
	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			*w++ = *s++;
		}
	}
	*w = '\0';
}

bool olt_num(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return !errno && end != s && !*end;
}
