/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMLENS_PREDICT_H
#define OOMLENS_PREDICT_H

#include <linux/sched.h>
#include <linux/types.h>

#include "memcg.h"

/*
 * predict.c: which task the OOM killer would pick now, for a global OOM and
 * for an OOM of each memory cgroup with a limit.  Process context (it reads
 * swap inputs and allocates the result); free the array with kvfree().
 */
enum oomlens_predict_result {
	OOMLENS_PREDICT_VICTIM,
	OOMLENS_PREDICT_NONE,
	OOMLENS_PREDICT_ABORT,
};

struct oomlens_prediction {
	bool memcg; /* false: global */
	bool path_truncated;
	char cgroup[OOMLENS_CGROUP_PATH_LEN];
	unsigned long totalpages;
	enum oomlens_predict_result result;
	pid_t pid;
	long points;
	char comm[TASK_COMM_LEN];
};

struct oomlens_prediction *oomlens_predict(unsigned int *nr);

#endif /* OOMLENS_PREDICT_H */
