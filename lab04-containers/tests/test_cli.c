/*
 * test_cli.c: a bad command line gets one clear line and status 2, before
 * anything is created. The parser is given code: these need no root.
 */
#include <string.h>

#include "ctr.h"

/* Run "minictr ARGS..." and expect status 2 and one stderr line naming WHAT. */
static void expect_rejected(const char *what, const char *const args[])
{
	const char *argv[32];
	int n = 0;
	argv[n++] = kit_path("build/lab04/minictr");
	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	struct ctr r;
	ctr_start_raw(&r, argv);
	ctr_finish(&r, 10);
	const char *nl = strchr(r.err, '\n');
	cr_assert(r.status == 2, "expected status 2 (usage error), got:%s", ctr_show(&r));
	cr_assert(strncmp(r.err, "minictr: ", 9) == 0 && nl && nl[1] == '\0',
		  "expected exactly one line on stderr starting 'minictr: ', got:%s", ctr_show(&r));
	cr_assert(strstr(r.err, what) != NULL, "expected the message to name %s, got:%s", what, ctr_show(&r));
	cr_assert(r.out[0] == '\0', "expected nothing on stdout, got:%s", ctr_show(&r));
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

KIT_TEST(cli, missing_rootfs_rejected,
	 .description = "A missing --rootfs, or one that is not a directory, is rejected with one line",
	 .timeout = 20)
{
	expect_rejected("--rootfs", ARGS("run", "--", "true"));
	expect_rejected("--rootfs", ARGS("run", "--rootfs", "/no/such/dir", "--", "true"));
	expect_rejected("--rootfs", ARGS("run", "--rootfs", "/etc/hostname", "--", "true"));
	expect_rejected("--rootfs", ARGS("run", "--rootfs", "/", "--", "true"));
}

KIT_TEST(cli, bad_limits_rejected,
	 .description = "Malformed --memory, --pids, --cpus and --net values are rejected with one line naming the option",
	 .timeout = 20)
{
	const char *rootfs = kit_path("build/lab04/rootfs");
	expect_rejected("--memory", ARGS("run", "--rootfs", rootfs, "--memory", "64Q", "--", "true"));
	expect_rejected("--memory", ARGS("run", "--rootfs", rootfs, "--memory", "-5M", "--", "true"));
	expect_rejected("--pids", ARGS("run", "--rootfs", rootfs, "--pids", "0", "--", "true"));
	expect_rejected("--pids", ARGS("run", "--rootfs", rootfs, "--pids", "many", "--", "true"));
	expect_rejected("--cpus", ARGS("run", "--rootfs", rootfs, "--cpus", "-1", "--", "true"));
	expect_rejected("--cpus", ARGS("run", "--rootfs", rootfs, "--cpus", "half", "--", "true"));
	expect_rejected("--net", ARGS("run", "--rootfs", rootfs, "--net", "wifi", "--", "true"));
}

KIT_TEST(cli, bad_command_lines_rejected,
	 .description = "No command, an unknown command or option, or a missing value is rejected with one line",
	 .timeout = 20)
{
	const char *rootfs = kit_path("build/lab04/rootfs");
	expect_rejected("command", (const char *const[]){ NULL });
	expect_rejected("start", ARGS("start", "--rootfs", rootfs, "--", "true"));
	expect_rejected("--frobnicate", ARGS("run", "--rootfs", rootfs, "--frobnicate", "--", "true"));
	expect_rejected("CMD", ARGS("run", "--rootfs", rootfs));
	expect_rejected("--memory", ARGS("run", "--rootfs", rootfs, "--memory"));
}
