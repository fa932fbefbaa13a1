/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prometheus text exposition (the node_exporter textfile collector's
 * format 0.0.4): metric families with HELP and TYPE lines, samples with
 * escaped label values.  Every name is checked against the format's
 * grammar and every family must be written in one piece: a mistake in a
 * caller is reported (prom_failed()) instead of producing an exposition
 * that node_exporter would reject as a whole.
 */
#ifndef OOMLENS_PROM_H
#define OOMLENS_PROM_H

#include <stdio.h>

#define PROM_MAX_FAMILIES 128
#define PROM_MAX_LABELS 8

struct prom {
	FILE *f;
	int failed; /* a name or the order of families was wrong */
	int nfam;
	char family[PROM_MAX_FAMILIES][96]; /* families written, in order */
};

void prom_init(struct prom *p, FILE *f);

/*
 * The exposition a command writes to: @own, initialised for @f, or the one
 * prom_share() set ("oomlens --prometheus all": every command into one
 * exposition, each family once).
 */
struct prom *prom_open(struct prom *own, FILE *f);
void prom_share(struct prom *p);

/*
 * One sample.  HELP and TYPE are printed the first time a family appears;
 * samples of one family must be consecutive.  labels: alternating key and
 * value strings, NULL-terminated (values are escaped here; bytes that are
 * not UTF-8 become U+FFFD).
 */
void prom_sample(struct prom *p, const char *name, const char *type,
		 const char *help, double value, ...);

/* The same with the labels in an array: n key/value pairs. */
void prom_sample_v(struct prom *p, const char *name, const char *type,
		   const char *help, double value, const char *const *labels,
		   int n);

/*
 * 0, or -1 after printing (to stderr) which name or family was wrong; call
 * once the exposition is written, and fail the command on -1.
 */
int prom_finish(struct prom *p);

#endif
