// SPDX-License-Identifier: GPL-2.0
/*
 * Reading "tasks" and "predict" while processes fork and exit in a loop
 * (and some exit as multi-threaded zombies' leaders) for 30 s: no crash
 * (the VM rig fails the run on any Oops, BUG or WARNING), and every read
 * is well formed: the header, rows of the right number of columns, numeric
 * columns numeric, known states, pids strictly increasing.  And the
 * module unloads and reloads while readers loop over both files.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "olt_table.h"
#include "oomlens_test.h"

#define CHURN_SECONDS 30
#define CHURNERS 2

static void *thread_sleep(void *arg)
{
	usleep(2000);
	return NULL;
}

/* Fork children that exit at once; every other one has a second thread. */
static void churn(void)
{
	unsigned long n = 0;

	for (;;) {
		pid_t pid = fork();

		if (!pid) {
			if (n & 1) {
				pthread_t t;

				pthread_create(&t, NULL, thread_sleep, NULL);
				/* The leader exits first: a zombie leader. */
				pthread_exit(NULL);
			}
			_exit(0);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
		n++;
	}
}

static bool known_state(const char *s)
{
	static const char *const states[] = {
		OOMLENS_STATE_KILLABLE, OOMLENS_STATE_KTHREAD,
		OOMLENS_STATE_INIT,	OOMLENS_STATE_NO_MM,
		OOMLENS_STATE_ADJ_MIN,	OOMLENS_STATE_OOM_SKIP,
		OOMLENS_STATE_VFORK,
	};
	size_t i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (!strcmp(s, states[i]))
			return true;
	return false;
}

/* Returns the number of rows, or -line number of the first bad line. */
static int check_tasks(void)
{
	char *buf = olt_read(OL_DIR "/" OOMLENS_FILE_TASKS), *line, *save;
	long long prev = 0, v;
	int lineno = 1, rows = 0;

	if (!buf)
		return -1;
	line = strtok_r(buf, "\n", &save);
	if (!line || strcmp(line, OOMLENS_TASKS_HEADER)) {
		free(buf);
		return -1;
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *c[OOMLENS_TASKS_NCOLS + 1];
		int i;

		lineno++;
		if (olt_split(line, c, OOMLENS_TASKS_NCOLS + 1) !=
		    OOMLENS_TASKS_NCOLS)
			goto bad;
		/* pid uid - rss swapents pgtables adj points score */
		for (i = 0; i <= 8; i++) {
			if (i == 2 || (i == 7 && !strcmp(c[i], OOMLENS_NONE)))
				continue;
			if (!olt_num(c[i], &v))
				goto bad;
		}
		olt_num(c[0], &v);
		if (v <= prev || !known_state(c[9]))
			goto bad;
		prev = v;
		rows++;
	}
	free(buf);
	return rows;
bad:
	fprintf(stderr, "# tasks line %d malformed: '%s'\n", lineno, line);
	free(buf);
	return -lineno;
}

static int check_predict(void)
{
	char *buf = olt_read(OL_DIR "/" OOMLENS_FILE_PREDICT), *line, *save;
	int lineno = 1;

	if (!buf)
		return -1;
	line = strtok_r(buf, "\n", &save);
	if (!line || strcmp(line, OOMLENS_PREDICT_HEADER)) {
		free(buf);
		return -1;
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *c[OOMLENS_PREDICT_NCOLS + 1];
		long long v;

		lineno++;
		if (olt_split(line, c, OOMLENS_PREDICT_NCOLS + 1) !=
			    OOMLENS_PREDICT_NCOLS ||
		    !olt_num(c[2], &v) || v <= 0) {
			free(buf);
			return -lineno;
		}
	}
	free(buf);
	return lineno - 1;
}

FIXTURE(churn)
{
	int unused;
};

FIXTURE_SETUP(churn)
{
}

FIXTURE_TEARDOWN(churn)
{
}

TEST_F_TIMEOUT(churn, reads_while_forking, CHURN_SECONDS + 60)
{
	pid_t churners[CHURNERS];
	time_t end = time(NULL) + CHURN_SECONDS;
	int i, reads = 0, rows, min_rows = 1 << 30, pred;

	for (i = 0; i < CHURNERS; i++) {
		churners[i] = fork();
		ASSERT_GE(churners[i], 0);
		if (!churners[i])
			churn();
	}
	while (time(NULL) < end) {
		rows = check_tasks();
		EXPECT_GT(rows, 0);
		if (rows <= 0)
			break;
		if (rows < min_rows)
			min_rows = rows;
		pred = check_predict();
		EXPECT_GT(pred, 0);
		if (pred <= 0)
			break;
		reads++;
	}
	for (i = 0; i < CHURNERS; i++) {
		kill(churners[i], SIGKILL);
		waitpid(churners[i], NULL, 0);
	}
	TH_LOG("%d reads of tasks and predict in %d s, at least %d rows each",
	       reads, CHURN_SECONDS, min_rows);
	EXPECT_GT(reads, 0);
}

/*
 * rmmod while readers loop over both files.  An open file holds a module
 * reference (fops .owner), so rmmod fails (EAGAIN) while one is open and
 * must succeed in a gap between reads; then insmod again.  No crash, no
 * leak, and the files work after the last reload.
 */
static int try_reload(const char *params)
{
	const char *ko = getenv("OOMLENS_KO");
	char cmd[512];

	if (system("rmmod oomlens 2>/dev/null"))
		return -1;
	snprintf(cmd, sizeof(cmd), "insmod %s %s",
		 ko ? ko : "/oomlens/oomlens.ko", params);
	return system(cmd) ? -2 : 0;
}

TEST_F_TIMEOUT(churn, unload_while_reading, 120)
{
	pid_t readers[2];
	int i;

	for (i = 0; i < 2; i++) {
		readers[i] = fork();
		ASSERT_GE(readers[i], 0);
		if (!readers[i]) {
			for (;;) {
				free(olt_read(OL_DIR "/" OOMLENS_FILE_TASKS));
				free(olt_read(OL_DIR "/" OOMLENS_FILE_PREDICT));
			}
		}
	}
	for (i = 0; i < 5; i++) {
		int tries, ret = -1;

		usleep(100000);
		for (tries = 0; tries < 2000 && ret == -1; tries++)
			ret = try_reload(i & 1 ? "" : "exported_only=1");
		TH_LOG("reload %d: %s after %d tries", i,
		       ret ? "failed" : "done", tries);
		ASSERT_EQ(0, ret);
	}
	for (i = 0; i < 2; i++) {
		kill(readers[i], SIGKILL);
		waitpid(readers[i], NULL, 0);
	}
	ASSERT_EQ(0, olt_module_reload(""));
	EXPECT_GT(check_tasks(), 0);
}

OLT_HARNESS_MAIN
