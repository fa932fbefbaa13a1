// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus text exposition format 0.0.4.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "prom.h"

void prom_init(struct prom *p, FILE *f)
{
	p->f = f;
	p->family[0] = '\0';
}

static void put_escaped(FILE *f, const char *s, int in_help)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '"' && !in_help)
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

void prom_sample(struct prom *p, const char *name, const char *type,
		 const char *help, double value, ...)
{
	const char *k, *v;
	int first = 1;
	va_list ap;

	if (strcmp(p->family, name)) {
		fprintf(p->f, "# HELP %s ", name);
		put_escaped(p->f, help, 1);
		fprintf(p->f, "\n# TYPE %s %s\n", name, type);
		snprintf(p->family, sizeof(p->family), "%s", name);
	}
	fputs(name, p->f);
	va_start(ap, value);
	while ((k = va_arg(ap, const char *)) &&
	       (v = va_arg(ap, const char *))) {
		fprintf(p->f, "%s%s=\"", first ? "{" : ",", k);
		put_escaped(p->f, v, 0);
		fputc('"', p->f);
		first = 0;
	}
	va_end(ap);
	if (!first)
		fputc('}', p->f);
	if (value == floor(value) && fabs(value) < 1e15)
		fprintf(p->f, " %.0f\n", value);
	else
		fprintf(p->f, " %.9g\n", value);
}
