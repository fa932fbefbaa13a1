/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reader's subcommands.  Each lives in cmd_<name>.c and is listed in the
 * table in main.c.  A subcommand gets its own argv (argv[0] is its name),
 * parses its options with getopt_long, and returns an exit code
 * (OL_EXIT_*).
 */
#ifndef OOMLENS_COMMANDS_H
#define OOMLENS_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

/* Global output options, set by main() before the subcommand runs. */
extern int ol_json; /* --json: one JSON document on stdout */
extern int ol_prometheus; /* --prometheus: textfile-collector exposition */

/* Fails (explained on stderr) unless the module speaks our ABI. */
int ol_check_abi(void);
/* The module's ABI, or -1 when its version cannot be read: nothing said. */
int ol_module_abi_quiet(void);

int cmd_stats(int argc, char **argv);
/* cmd_stats.c: a stats key of the lifetime event counts (events_kind_...) */
bool ol_stat_is_event_count(const char *key);
int cmd_events(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_commit(int argc, char **argv);
int cmd_all(int argc, char **argv);
int cmd_owner(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_record(int argc, char **argv);
/* cmd_all.c: stats, events, commit (and top) as one exposition in memory */
int ol_prom_parts(char **out, size_t *len, bool tasks);

#endif
