// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal streaming JSON writer (RFC 8259): strings are escaped, numbers are
 * written as integers, nesting is tracked for commas.
 */
#include <string.h>

#include "escape.h"
#include "json.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->need_comma[0] = 0;
}

/*
 * A JSON string is UTF-8: a byte that is not part of well-formed UTF-8 (a
 * comm or cgroup name can be any bytes) becomes U+FFFD, as a decoder with
 * errors=replace would read it; C0 and C1 controls and DEL are \u escapes,
 * so no control byte reaches a terminal that shows the JSON.
 */
static void put_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), len;

	fputc('"', f);
	for (; *p; p++, left--) {
		if (*p >= 0x80) {
			len = ol_utf8_len(p, left);
			if (!len) {
				fputs("\\ufffd", f);
			} else if (len == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
				fprintf(f, "\\u%04x", p[1]);
				p++;
				left--;
			} else {
				fwrite(p, 1, len, f);
				p += len - 1;
				left -= len - 1;
			}
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void prefix(struct json *j, const char *key)
{
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = 1;
	if (key) {
		put_string(j->f, key);
		fputc(':', j->f);
	}
}

static void open_(struct json *j, const char *key, char c)
{
	prefix(j, key);
	fputc(c, j->f);
	if (j->depth < 31)
		j->depth++;
	j->need_comma[j->depth] = 0;
}

static void close_(struct json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	fputc(c, j->f);
}

void json_obj_begin(struct json *j, const char *key)
{
	open_(j, key, '{');
}

void json_obj_end(struct json *j)
{
	close_(j, '}');
}

void json_arr_begin(struct json *j, const char *key)
{
	open_(j, key, '[');
}

void json_arr_end(struct json *j)
{
	close_(j, ']');
}

void json_str(struct json *j, const char *key, const char *val)
{
	prefix(j, key);
	put_string(j->f, val ? val : "");
}

void json_int(struct json *j, const char *key, long long val)
{
	prefix(j, key);
	fprintf(j->f, "%lld", val);
}

void json_uint(struct json *j, const char *key, unsigned long long val)
{
	prefix(j, key);
	fprintf(j->f, "%llu", val);
}

void json_bool(struct json *j, const char *key, int val)
{
	prefix(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	prefix(j, key);
	fputs("null", j->f);
}

void json_finish(struct json *j)
{
	fputc('\n', j->f);
	fflush(j->f);
}
