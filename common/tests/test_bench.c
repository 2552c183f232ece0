/*
 * Tests of the bench scripts' arguments (common/scripts/bench.sh,
 * bench-linux.sh, bench-lib.sh's bench_parse_vmms): bad input is refused
 * with its name and status 2 before any QEMU run, so nothing is left
 * running and no log is half written.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "kit.h"

/* Run `args` after the script in the kit's root; its output (static) and status. */
static const char *run_script(const char *script, const char *args, int *status, double *secs)
{
	static char out[4096];
	char cmd[1024];
	struct timespec t0, t1;
	snprintf(cmd, sizeof cmd, "cd '%s' && common/scripts/%s %s </dev/null 2>&1", kit_path("."), script, args);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p, "popen %s", cmd);
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	*secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return out;
}

static void expect_refused(const char *script, const char *args, const char *message)
{
	int st;
	double secs;
	const char *out = run_script(script, args, &st, &secs);
	cr_assert(st == 2 && strstr(out, message) && !strstr(out, "== bench") && secs < 10,
		  "%s %s: expected status 2, the message '%s' and no run (no '== bench' line), "
		  "got status %d after %.1f s:\n%s(fix bench_parse_vmms in common/scripts/bench-lib.sh "
		  "and its callers)", script, args, message, st, secs, out);
}

/* Each bad argument list, the script, and what its message must say. */
static const struct {
	const char *script, *args, *message;
} bad[] = {
	/* a VMM image that is not there */
	{ "bench.sh", "/dev/null x=/nonexistent/vmm.bin", "no VMM image '/nonexistent/vmm.bin'" },
	/* a label names a log file: a '/', an empty one, the same twice
	 * (two VMMs without labels are both 'VMM') */
	{ "bench.sh", "/dev/null a/b=/dev/null", "label 'a/b'" },
	{ "bench.sh", "/dev/null =/dev/null", "label ''" },
	{ "bench.sh", "/dev/null /dev/null /dev/null", "label 'VMM' given twice" },
	/* the guest or Linux image that is not there */
	{ "bench.sh", "/nonexistent/bench.bin shadow=/dev/null", "no /nonexistent/bench.bin" },
	{ "bench-linux.sh", "/nonexistent/Image shadow=/dev/null", "no /nonexistent/Image" },
};

KIT_TEST(bench, bad_arguments_are_refused_by_name_before_any_run,
	 .description = "bench.sh and bench-linux.sh refuse a missing VMM, guest or Linux image and a "
			"label that is no word or is given twice: a message naming it, status 2, no QEMU run")
{
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_refused(bad[i].script, bad[i].args, bad[i].message);
}
