// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus text exposition format 0.0.4, as the node_exporter textfile
 * collector reads it: metric names [a-zA-Z_:][a-zA-Z0-9_:]*, label names
 * [a-zA-Z_][a-zA-Z0-9_]* not starting with "__", label values UTF-8 with
 * backslash, double quote and newline escaped, each family's samples
 * together after its HELP and TYPE lines.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "escape.h"
#include "files.h"
#include "prom.h"

void prom_init(struct prom *p, FILE *f)
{
	p->f = f;
	p->failed = 0;
	p->nfam = 0;
}

static bool name_ok(const char *s, bool colon)
{
	const char *c;

	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' ||
		      (colon && *c == ':')))
			return false;
	return colon || strncmp(s, "__", 2);
}

static void put_escaped(FILE *f, const char *str, bool in_help)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t left = strlen(str);

	while (*s) {
		size_t n = ol_utf8_len(s, left);

		left -= n ? n : 1;
		if (!n) {
			fputs("\xef\xbf\xbd", f); /* U+FFFD */
			s++;
		} else if (*s == '\\') {
			fputs("\\\\", f);
			s++;
		} else if (*s == '\n') {
			fputs("\\n", f);
			s++;
		} else if (*s == '"' && !in_help) {
			fputs("\\\"", f);
			s++;
		} else {
			fwrite(s, 1, n, f);
			s += n;
		}
	}
}

static void fail(struct prom *p, const char *what, const char *name)
{
	ol_err("--prometheus: %s \"%s\" (a bug in the reader)", what, name);
	p->failed = 1;
}

/* Print HELP and TYPE when a family starts; false if it may not. */
static bool family(struct prom *p, const char *name, const char *type,
		   const char *help)
{
	int i;

	if (p->nfam && !strcmp(p->family[p->nfam - 1], name))
		return true;
	for (i = 0; i < p->nfam; i++) {
		if (!strcmp(p->family[i], name)) {
			fail(p, "family written in two pieces", name);
			return false;
		}
	}
	if (!name_ok(name, true) || strlen(name) >= sizeof(p->family[0])) {
		fail(p, "invalid metric name", name);
		return false;
	}
	if (strcmp(type, "gauge") && strcmp(type, "counter") &&
	    strcmp(type, "untyped")) {
		fail(p, "unsupported metric type", type);
		return false;
	}
	if (p->nfam == PROM_MAX_FAMILIES) {
		fail(p, "too many metric families at", name);
		return false;
	}
	snprintf(p->family[p->nfam++], sizeof(p->family[0]), "%s", name);
	fprintf(p->f, "# HELP %s ", name);
	put_escaped(p->f, help, true);
	fprintf(p->f, "\n# TYPE %s %s\n", name, type);
	return true;
}

void prom_sample_v(struct prom *p, const char *name, const char *type,
		   const char *help, double value, const char *const *labels,
		   int n)
{
	int i;

	if (!family(p, name, type, help))
		return;
	for (i = 0; i < n; i++) {
		if (!name_ok(labels[2 * i], false)) {
			fail(p, "invalid label name", labels[2 * i]);
			return;
		}
	}
	fputs(name, p->f);
	for (i = 0; i < n; i++) {
		fprintf(p->f, "%s%s=\"", i ? "," : "{", labels[2 * i]);
		put_escaped(p->f, labels[2 * i + 1], false);
		fputc('"', p->f);
	}
	if (n)
		fputc('}', p->f);
	if (isnan(value))
		fputs(" NaN\n", p->f);
	else if (isinf(value))
		fputs(value > 0 ? " +Inf\n" : " -Inf\n", p->f);
	else if (value == floor(value) && fabs(value) < 1e15)
		fprintf(p->f, " %.0f\n", value);
	else
		fprintf(p->f, " %.15g\n", value);
}

void prom_sample(struct prom *p, const char *name, const char *type,
		 const char *help, double value, ...)
{
	const char *labels[2 * PROM_MAX_LABELS];
	const char *k;
	va_list ap;
	int n = 0;

	va_start(ap, value);
	while ((k = va_arg(ap, const char *))) {
		if (n == PROM_MAX_LABELS) {
			fail(p, "too many labels on", name);
			va_end(ap);
			return;
		}
		labels[2 * n] = k;
		labels[2 * n + 1] = va_arg(ap, const char *);
		n++;
	}
	va_end(ap);
	prom_sample_v(p, name, type, help, value, labels, n);
}

static struct prom *shared;

void prom_share(struct prom *p)
{
	shared = p;
}

struct prom *prom_open(struct prom *own, FILE *f)
{
	if (shared)
		return shared;
	prom_init(own, f);
	return own;
}

int prom_finish(struct prom *p)
{
	if (fflush(p->f) || ferror(p->f)) {
		if (!p->failed)
			ol_err("writing the exposition: %m");
		p->failed = 1;
	}
	return p->failed ? -1 : 0;
}
