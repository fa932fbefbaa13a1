// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens commit: the overcommit accounting with the formula spelled out in
 * this machine's numbers; --check PID SIZE asks the module's what-if whether
 * __vm_enough_memory() would accept SIZE for PID now.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "files.h"
#include "json.h"
#include "oomlens_abi.h"
#include "parse_commit.h"
#include "prom.h"
#include "units.h"

static long long page_size;

/* A size in pages for people (units.c). */
static const char *H(long long pages)
{
	return ol_human(pages * page_size);
}

static void print_commit(const struct ol_commit *c)
{
	printf("mode %lld (%s)\n", c->mode, c->mode_name);
	if (!strcmp(c->branch, OOMLENS_BRANCH_KBYTES))
		printf("limit = overcommit_kbytes %lld kB + swap %s = %s\n",
		       c->kbytes, H(c->limit_swap), H(c->limit));
	else
		printf("limit = (RAM %s - hugetlb %s) * %lld%% + swap %s = %s\n",
		       H(c->totalram), H(c->hugetlb), c->ratio,
		       H(c->limit_swap), H(c->limit));
	printf("committed %s; headroom %s (root), %s (unprivileged: minus admin reserve %s)\n",
	       H(c->committed), H(c->headroom_root), H(c->headroom_user),
	       H(c->admin));
	printf("a process also keeps back min(its size/32, user reserve %s)\n",
	       H(c->user));
	switch (c->mode) {
	case 0:
		printf("mode guess: a single request fails only above RAM + swap (%s); the limit is not enforced\n",
		       H(c->totalram + c->swap));
		break;
	case 1:
		printf("mode always: every request passes; the limit is not enforced\n");
		break;
	default:
		printf("mode never: a request of N pages passes if committed + N < limit - reserves\n");
	}
	printf("\nin pages: limit %lld (%lld kB, %s branch) = base %lld + swap %lld; committed %lld; per-cpu error < %lld\n",
	       c->limit, c->limit_kb, c->branch, c->base, c->limit_swap,
	       c->committed, c->error);
	printf("sources: limit %s, overcommit sysctls %s/%s/%s, reserves %s/%s, swap %s, hugetlb %s, RAM %s, committed %s, batch %s\n",
	       c->limit_src, c->mode_src, c->ratio_src, c->kbytes_src,
	       c->admin_src, c->user_src, c->swap_src, c->hugetlb_src,
	       c->totalram_src, c->committed_src, c->batch_src);
}

static void json_commit(const struct ol_commit *c)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_int(&j, "overcommit_memory", c->mode);
	json_str(&j, "overcommit_memory_name", c->mode_name);
	json_int(&j, "overcommit_ratio_percent", c->ratio);
	json_int(&j, "overcommit_kbytes", c->kbytes);
	json_int(&j, "page_size", page_size);
	json_int(&j, "totalram_pages", c->totalram);
	json_int(&j, "hugetlb_pages", c->hugetlb);
	json_int(&j, "total_swap_pages", c->swap);
	json_int(&j, "commit_limit_pages", c->limit);
	json_int(&j, "commit_limit_kb", c->limit_kb);
	json_str(&j, "commit_limit_branch", c->branch);
	json_int(&j, "commit_limit_base_pages", c->base);
	json_int(&j, "commit_limit_swap_pages", c->limit_swap);
	json_int(&j, "committed_pages", c->committed);
	json_int(&j, "committed_kb", c->committed_kb);
	json_int(&j, "committed_batch_pages", c->batch);
	json_int(&j, "committed_error_pages", c->error);
	json_int(&j, "admin_reserve_pages", c->admin);
	json_int(&j, "user_reserve_pages", c->user);
	json_int(&j, "headroom_root_pages", c->headroom_root);
	json_int(&j, "headroom_user_pages", c->headroom_user);
	json_obj_begin(&j, "sources");
	json_str(&j, "overcommit_memory", c->mode_src);
	json_str(&j, "overcommit_ratio", c->ratio_src);
	json_str(&j, "overcommit_kbytes", c->kbytes_src);
	json_str(&j, "totalram", c->totalram_src);
	json_str(&j, "hugetlb", c->hugetlb_src);
	json_str(&j, "total_swap", c->swap_src);
	json_str(&j, "commit_limit", c->limit_src);
	json_str(&j, "committed", c->committed_src);
	json_str(&j, "batch", c->batch_src);
	json_str(&j, "admin_reserve", c->admin_src);
	json_str(&j, "user_reserve", c->user_src);
	json_obj_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

/*
 * The commit accounting as gauges, sizes in bytes (Prometheus base units),
 * the ratio as a fraction; the words (mode, branch, sources) as info
 * metrics.
 */
static int prom_commit(const struct ol_commit *c)
{
	static const char *const terms[] = {
		"overcommit_memory", "overcommit_ratio", "overcommit_kbytes",
		"totalram",	     "hugetlb",		 "total_swap",
		"commit_limit",	     "committed",	 "committed_batch",
		"admin_reserve",     "user_reserve",
	};
	const char *const src_val[] = {
		c->mode_src,	c->ratio_src, c->kbytes_src, c->totalram_src,
		c->hugetlb_src, c->swap_src,  c->limit_src,  c->committed_src,
		c->batch_src,	c->admin_src, c->user_src,
	};
	const double ps = (double)page_size;
	struct prom own, *p;
	size_t i;

	p = prom_open(&own, stdout);
	prom_sample(p, "oomlens_commit_limit_bytes", "gauge",
		    "vm_commit_limit(): CommitLimit of /proc/meminfo",
		    c->limit * ps, NULL);
	prom_sample(
		p, "oomlens_commit_limit_base_bytes", "gauge",
		"The limit without swap: overcommit_kbytes, or (RAM - hugetlb) * overcommit_ratio / 100",
		c->base * ps, NULL);
	prom_sample(p, "oomlens_commit_limit_swap_bytes", "gauge",
		    "The swap part of the commit limit", c->limit_swap * ps,
		    NULL);
	prom_sample(p, "oomlens_committed_bytes", "gauge",
		    "vm_committed_as: Committed_AS of /proc/meminfo",
		    c->committed * ps, NULL);
	prom_sample(p, "oomlens_committed_error_bytes", "gauge",
		    "Upper bound of the per-cpu error of the committed counter",
		    c->error * ps, NULL);
	prom_sample(p, "oomlens_committed_batch_bytes", "gauge",
		    "The committed counter's per-cpu batch", c->batch * ps,
		    NULL);
	prom_sample(
		p, "oomlens_commit_headroom_bytes", "gauge",
		"Commit limit minus committed, minus the admin reserve for an unprivileged process (negative when over)",
		c->headroom_root * ps, "privilege", "root", NULL);
	prom_sample(p, "oomlens_commit_headroom_bytes", "gauge", "",
		    c->headroom_user * ps, "privilege", "user", NULL);
	prom_sample(p, "oomlens_ram_bytes", "gauge",
		    "totalram_pages(): the RAM the commit limit starts from",
		    c->totalram * ps, NULL);
	prom_sample(
		p, "oomlens_hugetlb_bytes", "gauge",
		"Huge pages reserved (hugetlb_total_pages()), not committable",
		c->hugetlb * ps, NULL);
	prom_sample(p, "oomlens_swap_bytes", "gauge",
		    "total_swap_pages: swap counted in the commit limit",
		    c->swap * ps, NULL);
	prom_sample(
		p, "oomlens_admin_reserve_bytes", "gauge",
		"vm.admin_reserve_kbytes: kept back from unprivileged processes",
		c->admin * ps, NULL);
	prom_sample(
		p, "oomlens_user_reserve_bytes", "gauge",
		"vm.user_reserve_kbytes: the most a process keeps back from its own requests",
		c->user * ps, NULL);
	prom_sample(p, "oomlens_overcommit_memory", "gauge",
		    "vm.overcommit_memory: 0 guess, 1 always, 2 never", c->mode,
		    "name", c->mode_name, NULL);
	prom_sample(p, "oomlens_overcommit_ratio", "gauge",
		    "vm.overcommit_ratio as a fraction (50% is 0.5)",
		    c->ratio / 100.0, NULL);
	prom_sample(p, "oomlens_overcommit_kbytes_bytes", "gauge",
		    "vm.overcommit_kbytes in bytes (0: the ratio is used)",
		    c->kbytes * 1024.0, NULL);
	prom_sample(
		p, "oomlens_commit_limit_info", "gauge",
		"Which term of vm_commit_limit() is in use (branch: kbytes or ratio)",
		1, "branch", c->branch, NULL);
	for (i = 0; i < sizeof(terms) / sizeof(terms[0]); i++)
		prom_sample(
			p, "oomlens_commit_source_info", "gauge",
			"Where oomlens took each term from: kernel, exported, procfs or derived",
			1, "term", terms[i], "source", src_val[i], NULL);
	return prom_finish(p);
}

static int parse_pid(const char *s, long *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > 0x7fffffff)
		return -1;
	*out = v;
	return 0;
}

/* Write the query and read the answer on one open file (answers are per open). */
static char *ask(long pid, unsigned long long bytes, int *err)
{
	char path[4096], q[64], *buf;
	ssize_t n, len = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", ol_dir,
		 OOMLENS_FILE_COMMIT_CHECK);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		*err = errno;
		/* EPERM: the caller says why (lockdown), once. */
		if (errno != EPERM)
			ol_err("%s: %s%s", path, strerror(errno),
			       errno == EACCES ?
				       ": the oomlens files are root-only; run as root" :
			       errno == ENOENT ?
				       ": is the oomlens module loaded and debugfs mounted?" :
				       "");
		return NULL;
	}
	snprintf(q, sizeof(q), "%ld %llu\n", pid, bytes);
	if (write(fd, q, strlen(q)) < 0) {
		*err = errno;
		close(fd);
		return NULL;
	}
	buf = malloc(4096);
	if (!buf) {
		*err = ENOMEM;
		close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + len, 4095 - len)) > 0)
		len += n;
	close(fd);
	if (n < 0) {
		*err = errno;
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static void print_check(const struct ol_check *k)
{
	printf("pid %lld asks for %llu bytes = %lld pages; mode %lld (%s)\n",
	       k->pid, (unsigned long long)k->bytes, k->pages, k->mode,
	       k->mode_name);
	if (!strcmp(k->rule, OOMLENS_MODE_ALWAYS)) {
		printf("always: every request passes\n");
	} else if (!strcmp(k->rule, OOMLENS_MODE_GUESS)) {
		printf("guess: %lld pages %s RAM + swap %lld pages (%s)\n",
		       k->pages, k->pages <= k->guess_max ? "<=" : ">",
		       k->guess_max, H(k->guess_max));
	} else {
		printf("allowed = limit %s - admin reserve %s%s - min(total_vm %s / 32, user reserve %s) = %s%s\n",
		       H(k->limit), H(k->admin_applied ? k->admin : 0),
		       k->admin_applied ? " (no CAP_SYS_ADMIN)" :
					  " (CAP_SYS_ADMIN: not applied)",
		       H(k->total_vm), H(k->user), H(k->allowed),
		       k->has_mm ? "" : " (no mm: user reserve not applied)");
		printf("committed %s + request %s = %s %s allowed %s\n",
		       H(k->committed), H(k->pages), H(k->committed_after),
		       k->committed_after < k->allowed ? "<" : ">=",
		       H(k->allowed));
		if (!k->exact)
			printf("note: within the per-cpu counter's error (%lld pages) of the boundary: the kernel may decide either way\n",
			       k->error);
	}
	printf("verdict: %s\n", k->verdict);
}

static void json_check(const struct ol_check *k)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_int(&j, "pid", k->pid);
	json_int(&j, "bytes", k->bytes);
	json_int(&j, "pages", k->pages);
	json_int(&j, "overcommit_memory", k->mode);
	json_str(&j, "rule", k->rule);
	json_bool(&j, "cap_sys_admin", k->cap_sys_admin);
	json_int(&j, "commit_limit_pages", k->limit);
	json_bool(&j, "admin_reserve_applied", k->admin_applied);
	json_int(&j, "admin_reserve_pages", k->admin);
	json_int(&j, "total_vm_pages", k->total_vm);
	json_int(&j, "user_reserve_pages", k->user);
	json_int(&j, "user_reserve_applied_pages", k->user_applied);
	json_int(&j, "allowed_pages", k->allowed);
	json_int(&j, "committed_pages", k->committed);
	json_int(&j, "committed_after_pages", k->committed_after);
	json_int(&j, "committed_error_pages", k->error);
	json_int(&j, "guess_max_pages", k->guess_max);
	json_str(&j, "verdict", k->verdict);
	json_bool(&j, "verdict_exact", k->exact);
	json_obj_end(&j);
	json_finish(&j);
}

/* The lockdown state, "[integrity]" etc., when it is not "[none]". */
static char lockdown_word[64];

static bool locked_down(void)
{
	FILE *f = fopen("/sys/kernel/security/lockdown", "r");
	char line[128], *a, *b;

	if (!f)
		return false;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	a = strchr(line, '[');
	b = a ? strchr(a, ']') : NULL;
	if (!a || !b || !strncmp(a, "[none]", 6))
		return false;
	snprintf(lockdown_word, sizeof(lockdown_word), "lockdown %.*s",
		 (int)(b - a + 1), a);
	return true;
}

static int do_check(const char *pid_s, const char *size_s)
{
	unsigned long long bytes;
	struct ol_check k;
	char *buf;
	long pid;
	int err = 0;

	if (parse_pid(pid_s, &pid)) {
		ol_err("commit --check: bad PID '%s': a positive process id",
		       pid_s);
		return OL_EXIT_USAGE;
	}
	if (ol_parse_size(size_s, &bytes)) {
		ol_err("commit --check: bad SIZE '%s': bytes, or a number with K, M, G or T",
		       size_s);
		return OL_EXIT_USAGE;
	}
	if (ol_check_abi())
		return OL_EXIT_RUNTIME;
	buf = ask(pid, bytes, &err);
	if (!buf) {
		if (err == ESRCH) {
			ol_err("commit --check: no process with PID '%s'",
			       pid_s);
			return OL_EXIT_USAGE;
		}
		if (err == EINVAL) {
			ol_err("commit --check: the module refused SIZE '%s' (too large)",
			       size_s);
			return OL_EXIT_USAGE;
		}
		if (err == EPERM && locked_down()) {
			ol_err("commit --check: the kernel is locked down (%s): lockdown refuses writes to debugfs files, so the what-if cannot be asked; the other commands still read",
			       lockdown_word);
			return OL_EXIT_RUNTIME;
		}
		if (err == EPERM)
			ol_err("%s/%s: %s", ol_dir, OOMLENS_FILE_COMMIT_CHECK,
			       strerror(err));
		else if (err != EACCES && err != ENOENT)
			ol_err("commit --check: %s", strerror(err));
		return OL_EXIT_RUNTIME;
	}
	if (ol_parse_check(OOMLENS_FILE_COMMIT_CHECK, buf, &k)) {
		free(buf);
		return OL_EXIT_RUNTIME;
	}
	free(buf);
	if (ol_json)
		json_check(&k);
	else
		print_check(&k);
	/* Scripts test the verdict by the exit status: 3 for deny. */
	return strcmp(k.verdict, OOMLENS_VERDICT_DENY) ? OL_EXIT_OK :
							 OL_EXIT_DENY;
}

int cmd_commit(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ol_commit c;
	int opt, check = 0;
	char *buf;

	page_size = sysconf(_SC_PAGESIZE);
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			check = 1;
			break;
		case 'h':
			printf("Usage: oomlens commit [--check PID SIZE]\n"
			       "  the commit limit, committed memory and headroom, formula spelled out;\n"
			       "  --check: would an allocation of SIZE (bytes, K, M, G, T) by PID pass now?\n"
			       "           exit 0 if it would (allow), 3 if not (deny)\n");
			return OL_EXIT_OK;
		default:
			fprintf(stderr, "Try 'oomlens commit --help'.\n");
			return OL_EXIT_USAGE;
		}
	}
	if (check && argc - optind != 2) {
		ol_err("commit --check: needs PID and SIZE");
		return OL_EXIT_USAGE;
	}
	if (!check && argc > optind) {
		ol_err("commit: unexpected argument '%s'", argv[optind]);
		return OL_EXIT_USAGE;
	}
	if (ol_prometheus && check) {
		ol_err("commit --check: --prometheus is not supported: a what-if is not a metric; use --json");
		return OL_EXIT_USAGE;
	}
	if (check)
		return do_check(argv[optind], argv[optind + 1]);
	if (ol_check_abi())
		return OL_EXIT_RUNTIME;

	buf = ol_read(OOMLENS_FILE_COMMIT, NULL);
	if (!buf)
		return OL_EXIT_RUNTIME;
	if (ol_parse_commit(OOMLENS_FILE_COMMIT, buf, &c)) {
		free(buf);
		return OL_EXIT_RUNTIME;
	}
	free(buf);
	if (ol_prometheus)
		return prom_commit(&c) ? OL_EXIT_RUNTIME : OL_EXIT_OK;
	if (ol_json)
		json_commit(&c);
	else
		print_commit(&c);
	return OL_EXIT_OK;
}
