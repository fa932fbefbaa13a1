/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prometheus text exposition (the node_exporter textfile collector's
 * format): metric families with HELP and TYPE lines, samples with escaped
 * label values.
 */
#ifndef OOMLENS_PROM_H
#define OOMLENS_PROM_H

#include <stdio.h>

struct prom {
	FILE *f;
	char family[128]; /* the family whose HELP/TYPE was printed last */
};

void prom_init(struct prom *p, FILE *f);

/*
 * One sample.  HELP and TYPE are printed the first time a family appears;
 * samples of one family must be consecutive.  labels: alternating key and
 * value strings, NULL-terminated (values are escaped here).
 */
void prom_sample(struct prom *p, const char *name, const char *type,
		 const char *help, double value, ...);

#endif
