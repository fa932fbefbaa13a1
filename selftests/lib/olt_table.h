/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing the oomlens table files ("tasks", "predict") in the selftests:
 * a header line, then rows of columns separated by single spaces, strings
 * escaped as include/oomlens_abi.h says.  Deliberately independent of the
 * reader's parser, so a bug there cannot hide one in the module.
 */
#ifndef OLT_TABLE_H
#define OLT_TABLE_H

#include <stdbool.h>

/*
 * Split @line in place on single spaces into at most @max columns; returns
 * the number of columns, or -1 if the line has more than @max, an empty
 * column, or a tab or control character.
 */
int olt_split(char *line, char **cols, int max);
/* Undo the octal escapes (and "-" for empty) of a string column in place. */
void olt_unescape(char *s);
/* A whole decimal column; false if not a number. */
bool olt_num(const char *s, long long *v);

#endif
