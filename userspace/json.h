/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal streaming JSON writer for the reader's --json output: values are
 * written in order, commas and string escaping are handled here.
 */
#ifndef OOMLENS_JSON_H
#define OOMLENS_JSON_H

#include <stdio.h>

struct json {
	FILE *f;
	int depth;
	int need_comma[32];
};

void json_init(struct json *j, FILE *f);
/* key is NULL for a value inside an array, or the top-level object */
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_int(struct json *j, const char *key, long long val);
void json_uint(struct json *j, const char *key, unsigned long long val);
void json_bool(struct json *j, const char *key, int val);
void json_null(struct json *j, const char *key);
/* Ends the document with a newline. */
void json_finish(struct json *j);

#endif
