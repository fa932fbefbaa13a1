// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the oomlens C selftests.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "oomlens_test.h"

char *olt_read(const char *path)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf) {
		int e = errno;

		free(buf);
		if (fd >= 0)
			close(fd);
		errno = e;
		return NULL;
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 2048) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb)
				abort();
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

int olt_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

int olt_read_long(const char *path, long long *v)
{
	char *b = olt_read(path), *end;

	if (!b)
		return -errno;
	errno = 0;
	*v = strtoll(b, &end, 10);
	if (errno || end == b || (*end && *end != '\n')) {
		free(b);
		return -EINVAL;
	}
	free(b);
	return 0;
}

int olt_keyed(const char *path, const char *key, long long *v)
{
	char *b = olt_read(path), *line, *save = NULL;
	size_t kl = strlen(key);
	int ret = -ENOENT;

	if (!b)
		return -errno;
	for (line = strtok_r(b, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *end;

		if (strncmp(line, key, kl) || line[kl] != ' ')
			continue;
		errno = 0;
		*v = strtoll(line + kl + 1, &end, 10);
		ret = (errno || end == line + kl + 1 || *end) ? -EINVAL : 0;
		break;
	}
	free(b);
	return ret;
}

long long olt_stat(const char *key)
{
	long long v;
	int ret = olt_keyed(OL_DIR "/" OOMLENS_FILE_STATS, key, &v);

	if (ret) {
		fprintf(stderr, "# stats: key %s: %s\n", key, strerror(-ret));
		abort();
	}
	return v;
}

/*
 * Without malloc(): test_write_fuzz compares a thread's VmSize with what the
 * module saw a moment earlier, and a thread's first malloc() maps a new
 * 64 MiB arena (VmSize + 16384 pages), which would move what it measures.
 */
long long olt_proc_field(const char *path, const char *key, int base)
{
	char buf[8192], *p;
	size_t kl = strlen(key), len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (len < sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	if (!len)
		return -1;
	buf[len] = '\0';
	for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, kl) && p[kl] == ':')
			return strtoll(p + kl + 1, NULL, base);
	return -1;
}

long long olt_meminfo_kb(const char *key)
{
	return olt_proc_field("/proc/meminfo", key, 10);
}

long long olt_status_field(pid_t pid, const char *key, int base)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	return olt_proc_field(path, key, base);
}

long olt_env_long(const char *name, long def)
{
	const char *v = getenv(name);
	char *end;
	long k;

	if (!v || !*v)
		return def;
	errno = 0;
	k = strtol(v, &end, 0);
	if (errno || *end) {
		fprintf(stderr, "%s='%s': not an integer\n", name, v);
		exit(2);
	}
	return k;
}

int olt_module_reload(const char *params)
{
	const char *ko = getenv("OOMLENS_KO");
	char cmd[1024];

	if (!ko)
		ko = "/oomlens/oomlens.ko";
	if (access("/sys/module/oomlens", F_OK) == 0 && system("rmmod oomlens"))
		return -1;
	snprintf(cmd, sizeof(cmd), "insmod %s %s", ko, params ? params : "");
	return system(cmd) ? -1 : 0;
}

const char *olt_exported_only_params(int exported_only)
{
	return exported_only ? "exported_only=1" : "";
}

int olt_module_reload_exported_only(int exported_only)
{
	long long v;

	if (olt_module_reload(olt_exported_only_params(exported_only)))
		return -1;
	if (olt_keyed(OL_DIR "/" OOMLENS_FILE_STATS, OOMLENS_STAT_EXPORTED_ONLY,
		      &v) ||
	    v != exported_only) {
		fprintf(stderr, "# stats: %s is not %d\n",
			OOMLENS_STAT_EXPORTED_ONLY, exported_only);
		return -1;
	}
	return 0;
}

int olt_module_load(void)
{
	const char *ko = getenv("OOMLENS_KO");
	int fd = open(ko ? ko : "/oomlens/oomlens.ko", O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

double olt_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

#define OLT_MAX_SYSCTLS 32
static struct {
	char path[256];
	char value[256];
} saved[OLT_MAX_SYSCTLS];
static int nsaved;

int olt_sysctl_set(const char *path, const char *value)
{
	int i;

	for (i = 0; i < nsaved; i++)
		if (!strcmp(saved[i].path, path))
			break;
	if (i == nsaved && nsaved < OLT_MAX_SYSCTLS) {
		char *old = olt_read(path);

		if (!old)
			return -errno;
		snprintf(saved[i].path, sizeof(saved[i].path), "%s", path);
		snprintf(saved[i].value, sizeof(saved[i].value), "%s", old);
		free(old);
		nsaved++;
	}
	return olt_write(path, value);
}

void olt_sysctl_restore_all(void)
{
	while (nsaved > 0) {
		nsaved--;
		olt_write(saved[nsaved].path, saved[nsaved].value);
	}
}

/* Set path = value pairs in order; 0 or -errno of the first that failed. */
static int sysctls_set(const char *const (*set)[2], size_t n)
{
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = olt_sysctl_set(set[i][0], set[i][1]);
		if (ret) {
			fprintf(stderr, "# %s = %s: %s\n", set[i][0], set[i][1],
				strerror(-ret));
			return ret;
		}
	}
	return 0;
}

int olt_oom_sysctls(void)
{
	static const char *const set[][2] = {
		{ "/proc/sys/vm/overcommit_memory", "1" },
		{ "/proc/sys/vm/panic_on_oom", "0" },
		{ "/proc/sys/vm/oom_kill_allocating_task", "0" },
	};
	int ret = sysctls_set(set, sizeof(set) / sizeof(set[0]));

	if (!ret)
		system("swapoff -a 2>/dev/null"); /* no swap is no error */
	return ret;
}

int olt_commit_sysctls(void)
{
	/* Writing kbytes zeroes the ratio (and the ratio kbytes): set it again. */
	static const char *const set[][2] = {
		{ "/proc/sys/vm/overcommit_ratio", "50" },
		{ "/proc/sys/vm/overcommit_kbytes", "0" },
		{ "/proc/sys/vm/overcommit_ratio", "50" },
		{ "/proc/sys/vm/overcommit_memory", "0" },
	};

	return sysctls_set(set, sizeof(set) / sizeof(set[0]));
}

int olt_kmsg_open(struct olt_kmsg *k)
{
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0)
		return -errno;
	if (lseek(k->fd, 0, SEEK_END) < 0)
		return -errno;
	return 0;
}

const char *olt_kmsg_next(struct olt_kmsg *k)
{
	for (;;) {
		ssize_t n = read(k->fd, k->rec, sizeof(k->rec) - 1);
		char *semi, *nl;

		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue; /* overwritten before we read it */
		if (n <= 0)
			return NULL;
		k->rec[n] = '\0';
		nl = strchr(k->rec, '\n');
		if (nl)
			*nl = '\0';
		semi = strchr(k->rec, ';');
		return semi ? semi + 1 : k->rec;
	}
}

void olt_kmsg_close(struct olt_kmsg *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

int olt_kmsg_count(struct olt_kmsg *k, const char *needle)
{
	const char *t;
	int n = 0;

	while ((t = olt_kmsg_next(k)))
		if (strstr(t, needle))
			n++;
	return n;
}

pid_t olt_hog(const char *args)
{
	return olt_hog_spawn(args, NULL, NULL);
}

pid_t olt_hog_spawn(const char *args, int (*prep)(void *arg), void *arg)
{
	int p[2];
	pid_t pid;
	char cmd[1024], line[64];
	ssize_t n;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(p[1], 1);
		close(p[0]);
		if (prep && prep(arg))
			_exit(126);
		snprintf(cmd, sizeof(cmd), "exec /oomlens/tests/hog %s", args);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (strstr(args, "-m")) {
		n = read(p[0], line, sizeof(line) - 1);
		if (n <= 0 || strncmp(line, "ready", 5)) {
			close(p[0]);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return -1;
		}
	}
	close(p[0]);
	return pid;
}

int olt_wait_signal(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(status))
		return WTERMSIG(status);
	return 0;
}

void olt_cgroup_remove(const char *dir)
{
	char path[256];
	int i;

	snprintf(path, sizeof(path), "%s/cgroup.kill", dir);
	olt_write(path, "1");
	for (i = 0; i < 50 && rmdir(dir) && access(dir, F_OK) == 0; i++)
		usleep(100000);
}

void olt_figure(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("# figure: %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int olt_timeout_scale(void)
{
	const char *v = getenv("OOMLENS_TIMEOUT_SCALE");
	char *end;
	long k;

	if (!v || !*v)
		return 1;
	errno = 0;
	k = strtol(v, &end, 10);
	if (errno || *end || k < 1 || k > 20) {
		fprintf(stderr,
			"OOMLENS_TIMEOUT_SCALE='%s': not an integer from 1 to 20\n",
			v);
		exit(2);
	}
	return (int)k;
}
