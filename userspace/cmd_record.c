// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens record: every OOM event into the systemd journal, once, as a
 * structured entry (and, with --output, into a JSON Lines file rotated by
 * size).  oomlens-record.service runs it with --follow.
 *
 * The journal is written with its native protocol (one datagram of
 * KEY=value lines to /run/systemd/journal/socket, systemd's
 * sd_journal_send() does the same): Debian ships libsystemd without a
 * static archive, and the reader stays one static binary for the test VM.
 * Values never hold a newline (the module escapes strings), so the simple
 * form of the protocol suffices.
 *
 * Position: a state file holds the boot id, the seq and the time_boot_ns
 * of the last event recorded, replaced atomically after each entry.  In one
 * boot CLOCK_BOOTTIME only grows, across module reloads too, so an event is
 * new when its time_boot_ns is above the state's.  Its seq says what was
 * lost in between: the next after the state's (nothing), above it (the
 * ring overwrote the rest, or the recorder was down: an entry says how
 * many), or at or below it (the module was reloaded: the events of the new
 * load before it are lost).  A reload after which the new load's seq has
 * already passed the state's cannot be told from the same load: the count
 * of a gap then covers both.  An entry is written before the state: a crash
 * between the two writes the event again on restart (its OOMLENS_BOOT_ID
 * and OOMLENS_SEQ fields tell such a duplicate).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cgroup_owner.h"
#include "commands.h"
#include "escape.h"
#include "event_print.h"
#include "files.h"
#include "follow.h"
#include "json.h"
#include "oomlens_abi.h"
#include "units.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define STATE_FILE "/var/lib/oomlens/record.state"
#define DEFAULT_MAX_BYTES (16ULL << 20)

struct recorder {
	const char *state_path, *output;
	unsigned long long max_bytes;
	int journal; /* a socket, or -1: --no-journal */
	char boot_id[64];
	/* the state: the last event recorded */
	bool have_state, same_boot, started;
	unsigned long long seq;
	long long t;
	/* an event of the state's seq seen with another time: a reload */
	bool reloaded;
	unsigned long long written, lost;
};

static void read_boot_id(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	snprintf(buf, len, "unknown");
	if (f) {
		if (fgets(buf, (int)len, f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}

static int load_state(struct recorder *r)
{
	FILE *f = fopen(r->state_path, "r");
	char boot[64] = "";
	unsigned long long seq;
	long long t;

	if (!f) {
		if (errno == ENOENT)
			return 0;
		ol_err("record: %s: %m", ol_tty_msg(r->state_path));
		return -1;
	}
	if (fscanf(f, "boot_id %63s seq %llu time_boot_ns %lld", boot, &seq,
		   &t) != 3) {
		fclose(f);
		ol_err("record: %s: not a state file (boot_id, seq, time_boot_ns); remove it to start afresh",
		       ol_tty_msg(r->state_path));
		return -1;
	}
	fclose(f);
	r->have_state = true;
	r->same_boot = !strcmp(boot, r->boot_id);
	r->seq = seq;
	r->t = t;
	return 0;
}

static int save_state(struct recorder *r, unsigned long long seq, long long t)
{
	char tmp[4200];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", r->state_path);
	f = fopen(tmp, "w");
	if (!f ||
	    fprintf(f, "boot_id %s seq %llu time_boot_ns %lld\n", r->boot_id,
		    seq, t) < 0 ||
	    fflush(f) || fsync(fileno(f)) || fclose(f)) {
		ol_err("record: writing %s: %m", ol_tty_msg(tmp));
		return -1;
	}
	if (rename(tmp, r->state_path)) {
		ol_err("record: rename to %s: %m", ol_tty_msg(r->state_path));
		return -1;
	}
	r->have_state = true;
	r->same_boot = true;
	r->seq = seq;
	r->t = t;
	return 0;
}

/* A field: KEY=value, the key upper-cased, the value with no newline. */
static void field(FILE *f, const char *prefix, const char *key, const char *val)
{
	const char *k;

	fputs(prefix, f);
	for (k = key; *k; k++)
		fputc(*k >= 'a' && *k <= 'z' ? *k - 'a' + 'A' : *k, f);
	fputc('=', f);
	for (; *val; val++)
		fputc(*val == '\n' ? ' ' : *val, f);
	fputc('\n', f);
}

static int journal_send(struct recorder *r, const char *buf, size_t len)
{
	if (r->journal < 0)
		return 0;
	if (send(r->journal, buf, len, 0) < 0) {
		ol_err("record: the journal refused an entry (%zu bytes): %m",
		       len);
		return -1;
	}
	return 0;
}

/* The one-line MESSAGE, as the kernel words its own report. */
static void message(const struct ol_event *ev, char *buf, size_t len)
{
	const char *outcome = ol_ev_show(ev, OOMLENS_EV_OUTCOME);
	const char *constraint = ol_ev_show(ev, OOMLENS_EV_CONSTRAINT);
	const char *memcg = ol_ev_show(ev, OOMLENS_EV_OOM_MEMCG);
	long long tp = -1, page = sysconf(_SC_PAGESIZE);
	char dom[96] = "", owner[512];

	if (!strncmp(constraint, "CONSTRAINT_", 11))
		constraint += 11;
	if (!ol_ev_num(ev, OOMLENS_EV_TOTALPAGES, &tp) && tp >= 0)
		snprintf(dom, sizeof(dom), ", %s %s", ol_human(tp * page),
			 strcmp(memcg, "-") ? "limit" : "RAM+swap");
	ol_owner_of(strcmp(memcg, "-") ? memcg : NULL, owner, sizeof(owner));
	if (!strcmp(outcome, OOMLENS_OUTCOME_KILLED))
		snprintf(
			buf, len,
			"OOM kill: %s (pid %s)%s%s%s%s%s, constraint %s%s, %s points",
			ol_ev_show(ev, OOMLENS_EV_VICTIM_COMM),
			ol_ev_show(ev, OOMLENS_EV_VICTIM_PID),
			strcmp(memcg, "-") ? " in " : "",
			strcmp(memcg, "-") ? memcg : "", *owner ? " (" : "",
			owner, *owner ? ")" : "", constraint, dom,
			ol_ev_show(ev, OOMLENS_EV_VICTIM_POINTS));
	else
		snprintf(
			buf, len,
			"OOM without a kill (%s): %s (pid %s) allocating%s%s, constraint %s%s",
			outcome, ol_ev_show(ev, OOMLENS_EV_COMM),
			ol_ev_show(ev, OOMLENS_EV_PID),
			strcmp(memcg, "-") ? " in " : "",
			strcmp(memcg, "-") ? memcg : "", constraint, dom);
}

static int output_line(struct recorder *r, const char *line, size_t len)
{
	struct stat st;
	char old[4200];
	FILE *f;

	if (!r->output)
		return 0;
	if (!stat(r->output, &st) && st.st_size > 0 &&
	    (unsigned long long)st.st_size + len > r->max_bytes) {
		snprintf(old, sizeof(old), "%s.1", r->output);
		if (rename(r->output, old)) {
			ol_err("record: rotating %s: %m",
			       ol_tty_msg(r->output));
			return -1;
		}
	}
	f = fopen(r->output, "a");
	if (!f || fwrite(line, 1, len, f) != len || fclose(f)) {
		ol_err("record: writing %s: %m", ol_tty_msg(r->output));
		return -1;
	}
	return 0;
}

/* A gap's members in the JSON Lines file. */
struct lost_line {
	unsigned long long n, next_seq;
	const char *why;
};

static void lost_json(struct json *j, const void *arg)
{
	const struct lost_line *l = arg;

	json_uint(j, "lost", l->n);
	json_uint(j, "next_seq", l->next_seq);
	json_str(j, "why", l->why);
}

static void event_json(struct json *j, const void *arg)
{
	ol_event_json(j, arg, false);
}

/* One object of --output: @fill's members and the boot id, a line. */
static int json_line(struct recorder *r,
		     void (*fill)(struct json *j, const void *arg),
		     const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	struct json j;
	FILE *f;
	int ret;

	if (!r->output)
		return 0;
	f = open_memstream(&buf, &len);
	if (!f)
		return -1;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	fill(&j, arg);
	json_str(&j, "boot_id", r->boot_id);
	json_obj_end(&j);
	json_finish(&j);
	fclose(f);
	ret = output_line(r, buf, len);
	free(buf);
	return ret;
}

/* An entry for @n events that could not be recorded, before @ev. */
static int record_lost(struct recorder *r, unsigned long long n,
		       const struct ol_event *ev, const char *why)
{
	struct lost_line lj;
	char *buf = NULL, msg[512];
	size_t len = 0;
	FILE *f;
	int ret;

	snprintf(
		msg, sizeof(msg),
		"oomlens: %llu OOM event(s) not recorded before event %llu (%s)",
		n, ev->seq, why);
	f = open_memstream(&buf, &len);
	if (!f)
		return -1;
	fprintf(f,
		"MESSAGE=%s\nMESSAGE_ID=%s\nPRIORITY=4\nSYSLOG_IDENTIFIER=oomlens\n",
		msg, OOMLENS_JOURNAL_MSGID_LOST);
	fprintf(f, "%s=%llu\n%s=%s\n", OOMLENS_JOURNAL_LOST, n,
		OOMLENS_JOURNAL_BOOT_ID, r->boot_id);
	fprintf(f, "OOMLENS_NEXT_SEQ=%llu\n", ev->seq);
	fclose(f);
	ret = journal_send(r, buf, len);
	free(buf);
	if (ret)
		return ret;
	lj.n = n;
	lj.next_seq = ev->seq;
	lj.why = why;
	ret = json_line(r, lost_json, &lj);
	r->lost += n;
	return ret;
}

static int record_event(struct recorder *r, const struct ol_event *ev)
{
	char *buf = NULL, msg[1024], owner[512], seq[32];
	size_t len = 0;
	FILE *f;
	int i, ret;

	message(ev, msg, sizeof(msg));
	f = open_memstream(&buf, &len);
	if (!f)
		return -1;
	field(f, "", "MESSAGE", msg);
	fprintf(f, "MESSAGE_ID=%s\nPRIORITY=%d\nSYSLOG_IDENTIFIER=oomlens\n",
		OOMLENS_JOURNAL_MSGID_OOM,
		strcmp(ol_ev_show(ev, OOMLENS_EV_OUTCOME),
		       OOMLENS_OUTCOME_KILLED) ?
			5 :
			4);
	fprintf(f, "%s=%s\n", OOMLENS_JOURNAL_BOOT_ID, r->boot_id);
	snprintf(seq, sizeof(seq), "%llu", ev->seq);
	field(f, OOMLENS_JOURNAL_FIELD_PREFIX, "seq", seq);
	for (i = 0; i < ev->nkeys; i++)
		field(f, OOMLENS_JOURNAL_FIELD_PREFIX, ev->key[i], ev->val[i]);
	if (*ol_owner_of(ol_ev_str(ev, OOMLENS_EV_VICTIM_MEMCG), owner,
			 sizeof(owner)))
		field(f, OOMLENS_JOURNAL_FIELD_PREFIX, "victim_memcg_owner",
		      owner);
	fprintf(f, "%sCANDIDATES=%d\n", OOMLENS_JOURNAL_FIELD_PREFIX,
		ev->ncand);
	for (i = 0; i < ev->ncand; i++) {
		const struct ol_cand *c = &ev->cand[i];
		char rss[24] = OOMLENS_NONE, swap[24] = OOMLENS_NONE,
		     pgt[24] = OOMLENS_NONE, cg[24] = OOMLENS_NONE, key[24],
		     val[256];

		/* "-": not read (OOMLENS_EV_CAND_READ), not a zero. */
		if (ol_cand_read(ev, c)) {
			snprintf(rss, sizeof(rss), "%lld", c->rss);
			snprintf(swap, sizeof(swap), "%lld", c->swap);
			snprintf(pgt, sizeof(pgt), "%lld", c->pgtables);
		}
		/* The index of its OOMLENS_CAND_MEMCG_<i> field. */
		if (ol_cand_memcg(ev, c))
			snprintf(cg, sizeof(cg), "%lld", c->memcg);
		/* Through field(): a comm's newline must not end the field. */
		snprintf(key, sizeof(key), "cand_%u", c->rank);
		snprintf(
			val, sizeof(val),
			"pid=%lld points=%lld rss=%s swap=%s pgtables=%s adj=%lld memcg=%s comm=%s",
			c->pid, c->points, rss, swap, pgt, c->adj, cg, c->comm);
		field(f, OOMLENS_JOURNAL_FIELD_PREFIX, key, val);
	}
	fclose(f);
	ret = journal_send(r, buf, len);
	free(buf);
	if (ret)
		return ret;
	ret = json_line(r, event_json, ev);
	if (ret)
		return ret;
	r->written++;
	return save_state(r, ev->seq,
			  strtoll(ol_ev_show(ev, OOMLENS_EV_TIME_BOOT), NULL,
				  10));
}

/* ol_follow_events()'s callback: record @ev unless it was already. */
static int on_event(const struct ol_event *ev, void *arg)
{
	struct recorder *r = arg;
	unsigned long long lost = 0;
	const char *why = NULL;
	long long t;

	/*
	 * The module was reloaded under the follower: the new load's events
	 * have later times, and a first seq above 1 counts as lost below.
	 */
	if (!ev) {
		r->reloaded = true;
		return 0;
	}
	t = strtoll(ol_ev_show(ev, OOMLENS_EV_TIME_BOOT), NULL, 10);

	if (r->have_state && r->same_boot && t <= r->t) {
		/* recorded already, or of a load before a reload */
		if (ev->seq == r->seq && t != r->t)
			r->reloaded = true;
		return 0;
	}
	if (!r->have_state || !r->same_boot) {
		if (ev->seq > 1) {
			lost = ev->seq - 1;
			why = r->have_state ?
				      "a new boot: the ring had overwritten them" :
				      "before the recorder first ran";
		}
	} else if (ev->seq <= r->seq || r->reloaded) {
		if (ev->seq > 1) {
			lost = ev->seq - 1;
			why = "the module was reloaded: the new load's first events";
		}
		r->reloaded = false;
	} else if (ev->seq > r->seq + 1) {
		lost = ev->seq - r->seq - 1;
		why = r->started ?
			      "overwritten in the ring before they were read" :
			      "recorded while the recorder was down, then overwritten";
	}
	r->started = true;
	if (lost && record_lost(r, lost, ev, why))
		return OL_EXIT_RUNTIME;
	return record_event(r, ev) ? OL_EXIT_RUNTIME : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: oomlens record [--follow] [--state FILE] [--output FILE]\n"
		"                      [--max-bytes N] [--no-journal]\n\n"
		"Write each OOM event once to the systemd journal (MESSAGE_ID=%s),\n"
		"and a count of those it could not (MESSAGE_ID=%s).\n"
		"  -f, --follow      then wait for new events (oomlens-record.service)\n"
		"  --state FILE      where it keeps its position (default %s)\n"
		"  --output FILE     also JSON Lines into FILE, rotated to FILE.1 at\n"
		"                    --max-bytes (default 16M)\n"
		"  --no-journal      the file only\n",
		OOMLENS_JOURNAL_MSGID_OOM, OOMLENS_JOURNAL_MSGID_LOST,
		STATE_FILE);
}

static int journal_open(void)
{
	const char *path = getenv("OOMLENS_JOURNAL_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (!path || !*path)
		path = JOURNAL_SOCKET;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		ol_err("record: journal socket path too long");
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ol_err("record: cannot reach the journal at %s: %m (--no-journal to write --output only)",
		       ol_tty_msg(path));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int cmd_record(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "state", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "max-bytes", required_argument, NULL, 'm' },
		{ "no-journal", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct recorder r = { .state_path = STATE_FILE,
			      .max_bytes = DEFAULT_MAX_BYTES,
			      .journal = -1 };
	bool follow = false, journal = true;
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "fs:o:m:nh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			follow = true;
			break;
		case 's':
			r.state_path = optarg;
			break;
		case 'o':
			r.output = optarg;
			break;
		case 'm':
			if (ol_parse_size(optarg, &r.max_bytes) ||
			    r.max_bytes < 4096) {
				ol_err("record: --max-bytes: not a size of 4K or more: '%s'",
				       ol_tty_msg(optarg));
				return OL_EXIT_USAGE;
			}
			break;
		case 'n':
			journal = false;
			break;
		case 'h':
			usage(stdout);
			return OL_EXIT_OK;
		default:
			usage(stderr);
			return OL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		ol_err("record: unexpected argument '%s'",
		       ol_tty_msg(argv[optind]));
		return OL_EXIT_USAGE;
	}
	if (!journal && !r.output) {
		ol_err("record: --no-journal needs --output FILE: nothing would be written");
		return OL_EXIT_USAGE;
	}
	if (ol_json || ol_prometheus) {
		ol_err("record: writes the journal and JSON Lines itself; no --json or --prometheus");
		return OL_EXIT_USAGE;
	}
	read_boot_id(r.boot_id, sizeof(r.boot_id));
	if (load_state(&r))
		return OL_EXIT_RUNTIME;
	if (journal && (r.journal = journal_open()) < 0)
		return OL_EXIT_RUNTIME;
	if (ol_check_abi()) {
		ret = OL_EXIT_RUNTIME;
		goto out;
	}
	ret = ol_follow_events(follow, on_event, &r);
	if (!follow && !ret)
		fprintf(stderr,
			"oomlens: record: %llu event(s) written, %llu counted as lost\n",
			r.written, r.lost);
out:
	if (r.journal >= 0)
		close(r.journal);
	return ret;
}
