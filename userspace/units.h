/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sizes for people: one formatter for every table of the reader.
 */
#ifndef OOMLENS_UNITS_H
#define OOMLENS_UNITS_H

/*
 * @bytes (signed) as "0", "512 B", "9.5 KiB", "983 MiB", "-1.9 GiB": one
 * decimal below 10 of a unit.  The result lives in one of 16 rotating
 * buffers, so that one printf() may use up to 16 of them.
 */
const char *ol_human(long long bytes);

#endif
