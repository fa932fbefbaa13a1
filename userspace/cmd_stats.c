// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens stats: the module's counters and which code paths it uses.
 * The whole file is validated before anything is printed, so a malformed
 * file never leaves half a JSON document on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "files.h"
#include "json.h"
#include "oomlens_abi.h"

#define KEY_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_"

/* Split "key value" in place; 0 if the line is well formed. */
static int split_line(char *line, char **val)
{
	char *sp = strchr(line, ' ');

	if (!sp || sp == line || !sp[1] || strchr(sp + 1, ' ') ||
	    strspn(line, KEY_CHARS) != (size_t)(sp - line))
		return -1;
	*sp = '\0';
	*val = sp + 1;
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	char *buf, *p, *next;
	struct json j;
	int lineno = 0;

	if (argc > 1) {
		ol_err("stats: unexpected argument '%s'", argv[1]);
		return OL_EXIT_USAGE;
	}
	if (ol_check_abi())
		return OL_EXIT_RUNTIME;
	buf = ol_read(OOMLENS_FILE_STATS, NULL);
	if (!buf)
		return OL_EXIT_RUNTIME;

	/* Pass 1: validate; each line becomes "key\0value\0". */
	for (p = buf; *p; p = next) {
		char *val;

		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		else
			next = p + strlen(p);
		lineno++;
		if (split_line(p, &val)) {
			ol_err("%s/%s: malformed line %d: \"%s\"", ol_dir,
			       OOMLENS_FILE_STATS, lineno, p);
			free(buf);
			return OL_EXIT_RUNTIME;
		}
	}
	if (!lineno) {
		ol_err("%s/%s: empty: expected \"key value\" lines", ol_dir,
		       OOMLENS_FILE_STATS);
		free(buf);
		return OL_EXIT_RUNTIME;
	}

	/* Pass 2: print. */
	if (ol_json) {
		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
	}
	for (p = buf; lineno--; p += strlen(p) + 1) {
		char *key = p, *val = p + strlen(p) + 1, *end;
		unsigned long long n;

		p = val;
		if (!ol_json) {
			printf("%-24s %s\n", key, val);
			continue;
		}
		n = strtoull(val, &end, 10);
		if (!*end && *val != '-')
			json_uint(&j, key, n);
		else
			json_str(&j, key, val);
	}
	if (ol_json) {
		json_obj_end(&j);
		json_finish(&j);
	}
	free(buf);
	return OL_EXIT_OK;
}
