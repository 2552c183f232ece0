/*
 * qemu_linux.c: the kit's Linux 6.1 guest (guest/linux), unmodified, on the
 * bare machine (QEMU virt with OpenSBI 1.1: the reference) and under
 * lab02's VMM with shadow paging. init prints one "KIT LINUX <check> ok
 * <value> <token>" line per check and "KIT LINUX DONE <ok> <total>", then
 * powers off; the token is this run's, so no earlier output can pass.
 *
 * The lines are what a student reads; the verdict under the VMM, which
 * writes every console byte, rests on QEMU's own trap log (-d int, written
 * outside the machine; tests/linux_witness.h): init's witness path (the
 * slots it executed in user mode, chosen by the token and the values its
 * checks observed), every console byte a trapped store of the kernel's
 * serial driver, and the kernel's CSR instructions trapping (it ran
 * deprivileged: they never do in S-mode, nor in VS-mode). The native run
 * shows the witness path of guest/linux/checks.h is the real kernel's.
 * In nested mode (suite nested, vmm-nested.bin) the log shows the kernel
 * in VS-mode instead: its SBI calls ecalls from VS, its CSR instructions
 * never trapping, its UART accesses guest-page faults; init's witness path
 * and the driver's stores are the same evidence there.
 */
#include <stdio.h>
#include <string.h>

#include "kit.h"
#include "linux_witness.h"
#include "qemu.h"
#include "witness.h"

#define LINUX_IMAGE "build/linux/Image"
#define BOOT_MS 60000

static struct qemu *q;
static void stop(void)
{
	qemu_stop(q);
	q = NULL;
}
TestSuite(native, .fini = stop, .timeout = 90);
TestSuite(shadow, .fini = stop, .timeout = 120);
TestSuite(nested, .fini = stop, .timeout = 120);

/* What init checks, in the order it prints them: guest/linux/checks.h
 * after its first row ("init", the line that names the run). */
#define NCHECKS (LINUX_NCHECKS - 1)
static const char *check_name(size_t i)
{
	return linux_checks[i + 1].name;
}

/* Boot Linux (natively, or under lab's VMM: vmm, the VMM build's name
 * there, NULL for vmm.bin) and check what its init says; token: the run's. */
static void boot_and_check(const char *lab, const char *vmm, bool trap_log, char *token)
{
	char append[128], want[96], line[256];
	kit_token(token);
	snprintf(append, sizeof append, "console=ttyS0 quiet kittoken=%s", token);
	struct qemu_opts o = { .kernel = kit_path(LINUX_IMAGE), .append = append };
	char vmm_path[64];
	if (lab)
		qemu_lab_opts(&o, lab, kit_path(LINUX_IMAGE), append);
	if (lab && vmm) {
		snprintf(vmm_path, sizeof vmm_path, "build/%s/%s.bin", lab, vmm);
		o.kernel = kit_path(vmm_path);
	}
	o.trap_log = trap_log;
	q = qemu_start(&o);
	cr_assert_not_null(q, "%s (build it with: make linux%s)", qemu_error(), lab ? " lab02-build" : "");

	snprintf(want, sizeof want, "KIT LINUX init %s\n", token);
	cr_assert_eq(qemu_expect(q, want, BOOT_MS), 0,
		     "Linux never ran init (expected '%s'): the kernel or its config is broken; "
		     "console:\n%s", "KIT LINUX init <token>", qemu_tail(q, 30));
	for (size_t i = 0; i < NCHECKS; i++) {
		snprintf(want, sizeof want, "KIT LINUX %s ", check_name(i));
		cr_assert_eq(qemu_expect_line(q, want, BOOT_MS, line, sizeof line), 0,
			     "init never reported check %s; console:\n%s", check_name(i), qemu_tail(q, 20));
		size_t n = strlen(line), t = strlen(token);
		cr_assert(strstr(line, " ok ") && n > t && strcmp(line + n - t, token) == 0,
			  "check %s: expected 'ok ... %s', got '%s'", check_name(i), token, line);
	}
	snprintf(want, sizeof want, "KIT LINUX DONE %zu %zu\n", NCHECKS, NCHECKS);
	cr_assert_eq(qemu_expect(q, want, BOOT_MS), 0, "expected '%.*s'; console:\n%s",
		     (int)strlen(want) - 1, want, qemu_tail(q, 20));
	int status = -1;
	cr_assert_eq(qemu_wait_exit(q, BOOT_MS, &status), 0,
		     "init powered off but QEMU did not exit; console:\n%s", qemu_tail(q, 10));
	cr_assert_eq(status, 0, "QEMU exited with %d after the power-off", status);
}

KIT_TEST(native, linux_boots_to_init_and_passes_its_checks,
	 .description = "Linux 6.1 boots natively to the kit's init, whose checks all pass and whose "
			"witness path in QEMU's trap log is the one guest/linux/checks.h's values give")
{
	char token[KIT_TOKEN_LEN + 1];
	boot_and_check(NULL, NULL, true, token);
	linux_assert_init_witness(q, LINUX_IMAGE, token, "Linux natively",
				  "the kit's init or guest/linux/checks.h (no student code runs here)");
}

/* The VMM's stop report (lab01's exit table, shadow.c's figures). */
static void assert_vmm_report(void)
{
	cr_assert(strstr(qemu_tail(q, 30), "vmm: guest stopped (shutdown, reason none)"),
		  "the VMM did not report a clean power-off; console:\n%s", qemu_tail(q, 30));
	cr_assert(strstr(qemu_tail(q, 30), "hidden page fault (table filled)"),
		  "the VMM's exit table shows no shadow fill; console:\n%s", qemu_tail(q, 30));
}

KIT_TEST(shadow, linux_boots_with_its_kernel_in_user_mode,
	 .description = "unmodified Linux 6.1 boots under lab02's VMM to its init, whose checks all pass, "
			"with its kernel deprivileged (its CSR instructions trap) and shadow page tables; QEMU's "
			"trap log shows init's witness path and a trapped store of its serial driver per console byte")
{
	char token[KIT_TOKEN_LEN + 1];
	boot_and_check("lab02", NULL, true, token);
	assert_vmm_report();
	long csr_traps = linux_kernel_csr_traps(q);
	cr_assert_gt(csr_traps, 1000, "QEMU logged %ld CSR instructions of the kernel (>= 0x%llx) that "
		     "trapped: the kernel did not run deprivileged", csr_traps, LINUX_KERNEL_VA);
	linux_assert_console_stores(q, CAUSE_STORE_PAGE_FAULT, "Linux under shadow paging");
	linux_assert_init_witness(q, LINUX_IMAGE, token, "Linux under shadow paging",
				  "the values init's checks got from the kernel, i.e. what the VMM gave the "
				  "kernel: the guest page-table walk (walk.c), the shadow leaves and views "
				  "(shadow.c), sfence.vma and satp (lab02 handout)");
}

KIT_TEST(nested, linux_boots_with_its_kernel_in_vs_mode,
	 .description = "unmodified Linux 6.1 boots under lab02's VMM in nested mode to its init, whose "
			"checks all pass, with its kernel in VS-mode (SBI calls are ecalls from VS, no CSR "
			"instruction traps) on an Sv39x4 G-stage; QEMU's trap log shows init's witness path")
{
	char token[KIT_TOKEN_LEN + 1];
	boot_and_check("lab02", "vmm-nested", true, token);
	/* the 8250 driver's ioremap address of the UART is the kernel's: its
	 * THR is where the kernel stores most (every byte, the other registers
	 * a few times at set-up) */
	linux_console_stores(q, CAUSE_STORE_GUEST_PAGE_FAULT, &witness_thr_va);
	struct vs_evidence e;
	vs_assert(q, "Linux", 0, true, &e);
	cr_assert_gt(e.gpf, 0,
		     "QEMU logged no guest-page fault at kernel addresses: the kernel's UART accesses "
		     "(console=ttyS0) must fault in the G-stage and be emulated (gstage.c, vs_exit.c)");
	cr_assert(strstr(qemu_tail(q, 30), "vmm: guest stopped (shutdown, reason none)"),
		  "the VMM did not report a clean power-off; console:\n%s", qemu_tail(q, 30));
	cr_assert(strstr(qemu_tail(q, 30), "vmm: nested paging: hgatp"),
		  "the VMM's figures show no G-stage (vmm-nested.bin is not the nested VMM?); "
		  "console:\n%s", qemu_tail(q, 30));
	linux_assert_init_witness(q, LINUX_IMAGE, token, "Linux in nested mode",
				  "the values init's checks got from the kernel, i.e. what the VMM gave the "
				  "kernel: the G-stage and the VS-mode entry (lab02 handout, nested mode)");
}
