/*
 * cgroup_runner.c: the student's cgroup.c in a process of its own, for
 * unit_cgroup. The test starts it for every call with an empty environment
 * and only stdin (the request, cgroup_call.h), stdout and stderr; it makes
 * the call and exits with its result, and the test, which has no student
 * code in it, judges what the call left in the cgroup files. Code in
 * cgroup.c (constructors included) therefore never shares a process with a
 * verdict: no nonce, no END pipe here (common/test/kit.h). In the grading
 * VM the test is also non-dumpable and CAP_SYS_PTRACE is out of the
 * bounding set, so its descriptors and memory are out of reach
 * (grader/README.md, "Labs graded in a VM").
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_call.h"

int main(void)
{
	struct cgroup_call call;
	size_t got = 0;
	while (got < sizeof call) {
		ssize_t n = read(0, (char *)&call + got, sizeof call - got);
		if (n <= 0) {
			fprintf(stderr, "cgroup_runner: short request (%zu of %zu bytes)\n", got, sizeof call);
			return 2;
		}
		got += (size_t)n;
	}
	call.c.hostname = NULL;
	call.c.argv = NULL;
	for (int i = 0; i < 4; i++) {
		call.ctrl[i][sizeof call.ctrl[i] - 1] = '\0';
		call.cg.ctrl[i] = call.ctrl_set[i] ? call.ctrl[i] : NULL;
	}
	int rc = 0;
	switch (call.fn) {
	case CALL_SET_LIMITS:
		rc = cgroup_set_limits(&call.c, &call.cg);
		break;
	case CALL_JOIN:
		rc = cgroup_join(&call.cg, call.pid);
		break;
	case CALL_REPORT:
		cgroup_report(&call.c, &call.cg);
		break;
	default:
		fprintf(stderr, "cgroup_runner: unknown call %d\n", (int)call.fn);
		return 2;
	}
	fflush(stdout);
	fflush(stderr);
	return rc == 0 ? 0 : CGROUP_CALL_FAILED;
}
