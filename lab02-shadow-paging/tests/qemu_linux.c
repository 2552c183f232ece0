/*
 * qemu_linux.c: the kit's Linux 6.1 guest (guest/linux), unmodified, on the
 * bare machine (QEMU virt with OpenSBI 1.1: the reference) and under
 * lab02's VMM with shadow paging. init prints one "KIT LINUX <check> ok
 * <value> <token>" line per check and "KIT LINUX DONE <ok> <total>", then
 * powers off; the token is this run's, so no earlier output can pass.
 *
 * Under the VMM, QEMU's own trap log (-d int, written outside the machine)
 * shows that the kernel really ran deprivileged: its CSR instructions trap
 * (they never do in S-mode, nor in VS-mode for sstatus and sscratch). In
 * nested mode (suite nested, vmm-nested.bin) the log shows the opposite:
 * the kernel in VS-mode, its SBI calls ecalls from VS, its CSR
 * instructions never trapping, its UART accesses guest-page faults.
 */
#include <stdio.h>
#include <string.h>

#include "kit.h"
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

/* What init checks, in the order it prints them (guest/linux/init.c). */
static const char *const checks[] = { "fork_exec", "pipe", "mmap_faults", "sleep", "efault" };
#define NCHECKS (sizeof checks / sizeof checks[0])

/* Boot Linux (natively, or under lab's VMM: vmm, the VMM build's name
 * there, NULL for vmm.bin) and check what its init says. */
static void boot_and_check(const char *lab, const char *vmm, bool trap_log)
{
	char token[KIT_TOKEN_LEN + 1], append[128], want[96], line[256];
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

KIT_TEST(native, linux_boots_to_init_and_passes_its_checks,
	 .description = "Linux 6.1 boots natively to the kit's init, whose checks all pass")
{
	boot_and_check(NULL, NULL, false);
}

/* Kernel addresses of Linux 6.1 on Sv39: the image at KERNEL_LINK_ADDR and up. */
#define LINUX_KERNEL_VA 0xffffffff80000000ULL

static void count_kernel_csr_traps(const struct qemu_trap *t, void *arg)
{
	/* SYSTEM opcode with funct3 != 0: a CSR instruction (unpriv 9.1) */
	if (!t->async && t->cause == 2 && t->epc >= LINUX_KERNEL_VA &&
	    (t->tval & 0x7f) == 0x73 && ((t->tval >> 12) & 7) != 0)
		++*(long *)arg;
}

KIT_TEST(shadow, linux_boots_with_its_kernel_in_user_mode,
	 .description = "unmodified Linux 6.1 boots under lab02's VMM to its init, whose checks all pass, "
			"with its kernel deprivileged (its CSR instructions trap) and shadow page tables")
{
	boot_and_check("lab02", NULL, true);
	long csr_traps = 0;
	long n = qemu_traps(q, count_kernel_csr_traps, &csr_traps);
	cr_assert_geq(n, 0, "no trap log: %s", qemu_error());
	cr_assert_gt(csr_traps, 1000, "QEMU logged %ld traps, %ld of them CSR instructions of the "
		     "kernel (>= 0x%llx): the kernel did not run deprivileged", n, csr_traps, LINUX_KERNEL_VA);
	cr_assert(strstr(qemu_tail(q, 30), "vmm: guest stopped (shutdown, reason none)"),
		  "the VMM did not report a clean power-off; console:\n%s", qemu_tail(q, 30));
	cr_assert(strstr(qemu_tail(q, 30), "hidden page fault (table filled)"),
		  "the VMM's exit table shows no shadow fill; console:\n%s", qemu_tail(q, 30));
}


/* The store guest-page faults of kernel code, by address: the most frequent. */
struct store_count {
	unsigned long long addr[16], top;
	unsigned long n[16], top_n;
};

static void count_stores(const struct qemu_trap *t, void *arg)
{
	struct store_count *c = arg;
	if (t->async || t->cause != CAUSE_STORE_GUEST_PAGE_FAULT || t->epc < LINUX_KERNEL_VA)
		return;
	for (unsigned i = 0; i < 16; i++) {
		if (c->n[i] == 0)
			c->addr[i] = t->tval;
		if (c->addr[i] == t->tval) {
			if (++c->n[i] > c->top_n) {
				c->top_n = c->n[i];
				c->top = t->tval;
			}
			return;
		}
	}
}

KIT_TEST(nested, linux_boots_with_its_kernel_in_vs_mode,
	 .description = "unmodified Linux 6.1 boots under lab02's VMM in nested mode to its init, whose "
			"checks all pass, with its kernel in VS-mode (SBI calls are ecalls from VS, no CSR "
			"instruction traps) on an Sv39x4 G-stage")
{
	boot_and_check("lab02", "vmm-nested", true);
	/* the 8250 driver's ioremap address of the UART is the kernel's: its
	 * THR is where the kernel stores most (every byte, the other registers
	 * a few times at set-up) */
	struct store_count sc = { 0 };
	cr_assert_geq(qemu_traps(q, count_stores, &sc), 0, "no trap log: %s", qemu_error());
	witness_thr_va = sc.top;
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
}
