/*
 * qemu_linux.c: the kit's Linux 6.1 guest (guest/linux) on the bare machine,
 * QEMU virt with OpenSBI 1.1, as the reference every later run under the
 * VMM is compared with. init prints one "KIT LINUX <check> ok <value>
 * <token>" line per check and "KIT LINUX DONE <ok> <total>", then powers
 * off; the token is this run's, so no earlier output can pass.
 */
#include <stdio.h>
#include <string.h>

#include "kit.h"
#include "qemu.h"

#define LINUX_IMAGE "build/linux/Image"
#define BOOT_MS 60000

static struct qemu *q;
static void stop(void)
{
	qemu_stop(q);
	q = NULL;
}
TestSuite(native, .fini = stop, .timeout = 90);

/* What init checks, in the order it prints them (guest/linux/init.c). */
static const char *const checks[] = { "fork_exec", "pipe", "mmap_faults", "sleep", "efault" };
#define NCHECKS (sizeof checks / sizeof checks[0])

KIT_TEST(native, linux_boots_to_init_and_passes_its_checks,
	 .description = "Linux 6.1 boots natively to the kit's init, whose checks all pass")
{
	char token[KIT_TOKEN_LEN + 1], append[128], want[96], line[256];
	kit_token(token);
	snprintf(append, sizeof append, "console=ttyS0 quiet kittoken=%s", token);
	struct qemu_opts o = { .kernel = kit_path(LINUX_IMAGE), .append = append };
	q = qemu_start(&o);
	cr_assert_not_null(q, "%s (build it with: make linux)", qemu_error());

	snprintf(want, sizeof want, "KIT LINUX init %s\n", token);
	cr_assert_eq(qemu_expect(q, want, BOOT_MS), 0,
		     "Linux never ran init (expected '%s'): the kernel or its config is broken; "
		     "console:\n%s", "KIT LINUX init <token>", qemu_tail(q, 30));
	for (size_t i = 0; i < NCHECKS; i++) {
		snprintf(want, sizeof want, "KIT LINUX %s ", checks[i]);
		cr_assert_eq(qemu_expect_line(q, want, BOOT_MS, line, sizeof line), 0,
			     "init never reported check %s; console:\n%s", checks[i], qemu_tail(q, 20));
		size_t n = strlen(line), t = strlen(token);
		cr_assert(strstr(line, " ok ") && n > t && strcmp(line + n - t, token) == 0,
			  "check %s: expected 'ok ... %s', got '%s'", checks[i], token, line);
	}
	snprintf(want, sizeof want, "KIT LINUX DONE %zu %zu\n", NCHECKS, NCHECKS);
	cr_assert_eq(qemu_expect(q, want, BOOT_MS), 0, "expected '%.*s'; console:\n%s",
		     (int)strlen(want) - 1, want, qemu_tail(q, 20));
	int status = -1;
	cr_assert_eq(qemu_wait_exit(q, BOOT_MS, &status), 0,
		     "init powered off but QEMU did not exit; console:\n%s", qemu_tail(q, 10));
	cr_assert_eq(status, 0, "QEMU exited with %d after the power-off", status);
}
