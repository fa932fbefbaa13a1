/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sizes and times for people: one formatter for every table of the reader.
 */
#ifndef OOMLENS_UNITS_H
#define OOMLENS_UNITS_H

/*
 * @bytes (signed) as "0", "512 B", "9.5 KiB", "983 MiB", "-1.9 GiB": one
 * decimal below 10 of a unit.  The result lives in one of 16 rotating
 * buffers, so that one printf() may use up to 16 of them.
 */
const char *ol_human(long long bytes);
int ol_parse_size(const char *s, unsigned long long *out);

/*
 * An event's time for people: local ISO 8601 time with microseconds and
 * the UTC offset, then the seconds since boot as dmesg prints them, from
 * the event's time_real ("<sec>.<ns>") and time_boot_ns:
 * "2026-12-02T01:50:19.890931+00:00 [   10.215685]".  "-" parts stay "-".
 * A static buffer.
 */
const char *ol_event_time(const char *time_real, const char *time_boot_ns);

#endif
