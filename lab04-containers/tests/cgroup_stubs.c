/*
 * cgroup_stubs.c: cgroup_set_limits, cgroup_join and cgroup_report for
 * unit_cgroup, each a call into cgroup_runner (cgroup_runner.c), so that
 * the student's cgroup.c runs in a process that holds no verdict. Same
 * prototypes as minictr.h: the test reads as if it called them directly.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup_call.h"
#include "kit.h"

#define RUNNER "build/lab04/tests/cgroup_runner"

static const char *fn_name(enum cgroup_call_fn fn)
{
	return fn == CALL_SET_LIMITS ? "cgroup_set_limits" : fn == CALL_JOIN ? "cgroup_join" : "cgroup_report";
}

/* 0 if the student's function returned 0, -1 otherwise (with why on stderr). */
static int call(enum cgroup_call_fn fn, const struct config *c, const struct cgroup *cg, pid_t pid)
{
	struct cgroup_call req;
	memset(&req, 0, sizeof req);
	req.fn = fn;
	if (c)
		req.c = *c;
	req.c.hostname = NULL;
	req.c.argv = NULL;
	req.cg = *cg;
	for (int i = 0; i < 4; i++) {
		req.cg.ctrl[i] = NULL;
		req.ctrl_set[i] = cg->ctrl[i] != NULL;
		if (cg->ctrl[i])
			snprintf(req.ctrl[i], sizeof req.ctrl[i], "%s", cg->ctrl[i]);
	}
	req.pid = pid;
	const char *runner = kit_path(RUNNER);
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid_t k = fork();
	if (k == 0) {
		dup2(p[0], 0);
		dup2(2, 1);
		/* nothing of the test's (its END pipe) reaches the student's code */
		close_range(3, ~0U, 0);
		char *argv[] = { (char *)runner, NULL };
		char *envp[] = { NULL };
		execve(runner, argv, envp);
		dprintf(2, "unit_cgroup: cannot run %s: %s (make lab04-tests builds it)\n", runner, strerror(errno));
		_exit(127);
	}
	close(p[0]);
	if (k < 0) {
		close(p[1]);
		return -1;
	}
	ssize_t w = write(p[1], &req, sizeof req);
	close(p[1]);
	int st = 0;
	while (waitpid(k, &st, 0) < 0 && errno == EINTR)
		;
	if (w != (ssize_t)sizeof req)
		fprintf(stderr, "unit_cgroup: the request to %s was cut short\n", runner);
	if (WIFSIGNALED(st)) {
		fprintf(stderr, "%s crashed: %s\n", fn_name(fn), strsignal(WTERMSIG(st)));
		return -1;
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int cgroup_set_limits(const struct config *c, const struct cgroup *cg)
{
	return call(CALL_SET_LIMITS, c, cg, 0);
}

int cgroup_join(const struct cgroup *cg, pid_t pid)
{
	return call(CALL_JOIN, NULL, cg, pid);
}

void cgroup_report(const struct config *c, const struct cgroup *cg)
{
	call(CALL_REPORT, c, cg, 0);
}
