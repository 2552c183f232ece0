/*
 * test_cgroup2.c: the kit's own check that lab04 passes on cgroup v2
 * (unified), which this machine (hybrid v1) cannot give: it runs
 * cgroup2/run.sh, which boots Debian's x86-64 kernel in QEMU with the
 * initramfs built by cgroup2.mk and runs every lab04 test binary there
 * (kernel Documentation/admin-guide/cgroup-v2.rst). Needs no root on this
 * machine: the tests run as root inside the VM.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"

/* The lines of FILE that say what failed (at most SIZE bytes of them). */
static void failures(const char *file, char *out, size_t size)
{
	static const char *const marks[] = { "not ok ", "KIT-CG2 END ", "KIT-CG2 LEFTOVER", "KIT-CG2 RESULT",
					     "KIT-CG2 SUMMARY", "lab04-cgroup2:" };
	size_t n = 0;
	out[0] = '\0';
	FILE *f = fopen(file, "r");
	if (!f)
		return;
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		bool keep = false;
		for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
			keep |= strstr(line, marks[i]) != NULL;
		if (keep && strstr(line, " ok passed=") == NULL && n + strlen(line) + 5 < size)
			n += (size_t)snprintf(out + n, size - n, "    %s", line);
	}
	fclose(f);
}

KIT_TEST(cgroup2, lab04_passes_on_cgroup_v2,
	 .description = "Every lab04 test passes on a cgroup v2 (unified) kernel with memory, pids and cpu "
			"controllers, booted in QEMU (make lab04-cgroup2)",
	 .timeout = 600)
{
	const char *initrd = kit_path("build/lab04/cgroup2/initramfs.cpio.gz");
	cr_assert(access(initrd, R_OK) == 0,
		  "expected the cgroup v2 initramfs at %s, got: %s\n  fix: build it with make lab04-cgroup2-tests",
		  initrd, strerror(errno));
	char out[128];
	snprintf(out, sizeof out, "/tmp/lab04-cgroup2-test-%d.out", (int)getpid());
	const char *script = kit_path("lab04-containers/cgroup2/run.sh");
	const char *log = kit_path("build/lab04/cgroup2/console-test.log");
	pid_t pid = fork();
	cr_assert(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		/* run.sh stops its QEMU on SIGTERM: if Criterion times this test out, no VM is left. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		int null = open("/dev/null", O_RDONLY);
		if (fd < 0 || null < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 || dup2(null, 0) < 0)
			_exit(126);
		/* below Criterion's 600 s, so that run.sh reports its own time-out */
		setenv("CGROUP2_TIMEOUT", "480", 0);
		execl("/bin/sh", "sh", script, initrd, log, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	static char what[8192];
	failures(out, what, sizeof what);
	unlink(out);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "expected every lab04 test binary to pass in the cgroup v2 VM (KIT-CG2 RESULT PASS), got status %d:\n%s"
		  "  fix: read the console in %s; a test that passes here (hybrid v1) but not there points at "
		  "the CG_UNIFIED paths of lab04-containers/minictr/cgroup.c",
		  WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), what, log);
}
