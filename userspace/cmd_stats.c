// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens stats: the module's counters and which code paths it uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "files.h"
#include "json.h"
#include "oomlens_abi.h"

int cmd_stats(int argc, char **argv)
{
	char *buf, *line, *save = NULL;
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
	if (ol_json) {
		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
	}
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *val = strchr(line, ' '), *end;
		unsigned long long n;

		lineno++;
		if (!val || val == line || !val[1] || strchr(val + 1, ' ')) {
			ol_err("%s/%s: malformed line %d: \"%s\"", ol_dir,
			       OOMLENS_FILE_STATS, lineno, line);
			free(buf);
			return OL_EXIT_RUNTIME;
		}
		*val++ = '\0';
		if (!ol_json) {
			printf("%-24s %s\n", line, val);
			continue;
		}
		n = strtoull(val, &end, 10);
		if (!*end && *val != '-')
			json_uint(&j, line, n);
		else
			json_str(&j, line, val);
	}
	if (ol_json) {
		json_obj_end(&j);
		json_finish(&j);
	}
	free(buf);
	return OL_EXIT_OK;
}
