/*
 * cgroup_call.h: one call of the student's cgroup.c, as unit_cgroup (the
 * test, which links no student code) sends it to cgroup_runner (which
 * links nothing else of the test). Fixed size, no pointers: the runner
 * points config.hostname and config.argv at nothing and cgroup.ctrl at
 * its own copies of the controller names.
 */
#ifndef LAB04_CGROUP_CALL_H
#define LAB04_CGROUP_CALL_H

#include <stdbool.h>
#include "minictr.h"

enum cgroup_call_fn { CALL_SET_LIMITS = 1, CALL_JOIN, CALL_REPORT };

struct cgroup_call {
	enum cgroup_call_fn fn;
	struct config c;
	struct cgroup cg;
	char ctrl[4][32];
	bool ctrl_set[4];
	pid_t pid;
};

/* The runner's exit status: the function's result 0, anything else 1. */
#define CGROUP_CALL_FAILED 1

#endif
