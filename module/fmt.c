// SPDX-License-Identifier: GPL-2.0
/*
 * Formatting shared by the table files ("tasks", "predict"): strings that
 * may hold anything (a comm, a cgroup path) written so that a row still
 * splits on single spaces.  The rules are in include/oomlens_abi.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/seq_file.h>
#include <linux/string.h>

#include "files.h"
#include "oomlens_abi.h"

/**
 * oomlens_seq_string - one escaped string column
 * @m: the seq_file
 * @s: the string
 * @truncated: @s was cut to fit its buffer: append OOMLENS_TRUNCATED
 */
void oomlens_seq_string(struct seq_file *m, const char *s, bool truncated)
{
	if (!truncated && !*s)
		seq_puts(m, OOMLENS_NONE);
	else if (!truncated && !strcmp(s, OOMLENS_NONE))
		seq_puts(m, "\\055");
	else
		seq_escape(m, s, " \t\n\\");
	if (truncated)
		seq_puts(m, OOMLENS_TRUNCATED);
}
