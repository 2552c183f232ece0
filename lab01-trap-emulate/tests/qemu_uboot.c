/*
 * Stock U-Boot (Debian u-boot-qemu, qemu-riscv64_smode) as the guest of the
 * lab01 VMM: a real S-mode program nobody wrote for this kit. It probes the
 * SBI (Base), reads `time`, drives the NS16550 itself (every access traps
 * into the VMM's UART emulation) and resets through SBI SRST. One test per
 * step, so a failure points at the part of the VMM to look at.
 *
 * The VMM writes the console, so the text alone proves nothing: it could
 * print a U-Boot session itself. Each test also opens a window of QEMU's
 * own trap log (HMP "log int" .. "log none" around the step it checks: a
 * whole run would log millions of traps, one per poll of the UART) and
 * requires that every byte the console showed in the window was stored to
 * the UART's THR by guest code in U-mode (a store page fault at
 * 0x10000000 from a guest address, the VMM's UART emulation), and that no
 * guest code ran in S or VS-mode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kit.h"
#include "qemu.h"
#include "virt.h"
#include "witness.h"

/* The lab whose VMM runs U-Boot: lab02's lab.mk builds this file again with
 * -DKIT_LAB='"lab02"', since every later VMM must still boot it, and once
 * more with -DKIT_NESTED for its nested mode (build/lab02/vmm-nested.bin:
 * U-Boot in VS-mode, its UART accesses guest-page faults). */
#ifndef KIT_LAB
#define KIT_LAB "lab01"
#endif
#ifdef KIT_NESTED
#define KIT_VMM_BIN "build/" KIT_LAB "/vmm-nested.bin"
#define KIT_SUITE uboot_nested
#else
#define KIT_SUITE uboot
#endif

/* U-Boot's first counted-down prompt can take a while under TCG + traps. */
#define BOOT_MS 60000
#define STEP_MS 20000

static struct qemu *q;

static void stop(void)
{
	qemu_stop(q);
	q = NULL;
}

TestSuite(KIT_SUITE, .fini = stop, .timeout = 120);

/* bytes of the countdown that may reach the console just after the
 * prompt window opened, stored before (only that window: at the prompt
 * U-Boot prints nothing until it gets a key) */
#define COUNTDOWN_SLACK 4

static size_t window_from;


/* Start QEMU's trap log and mark the console's position. */
static void window_begin(void)
{
	cr_assert_eq(qemu_monitor(q, "log int", 10000), 0, "%s", qemu_error());
	(void)qemu_exited(q);
	window_from = strlen(qemu_output(q));
}

/* Bytes of out that are not the VMM's own lines ("vmm: ...": its exit
 * table after the guest stopped). Such a line cannot pass for U-Boot's:
 * each test compares whole lines. */
static size_t guest_bytes(const char *out)
{
	size_t n = 0;
	for (const char *p = out; *p;) {
		size_t len = strcspn(p, "\n");
		bool line_start = p == qemu_output(q) || p[-1] == '\n';
		if (!(line_start && strncmp(p, "vmm: ", 5) == 0))
			n += len + (p[len] == '\n');
		p += len + (p[len] == '\n');
	}
	return n;
}

/* Stop the log (unless QEMU is gone) and check the window's evidence:
 * every byte shown but `slack` was stored to the THR by U-Boot, at least
 * one was. */
static void window_end(const char *step, size_t slack)
{
	(void)qemu_exited(q);
	size_t bytes = guest_bytes(qemu_output(q) + window_from);
	if (!qemu_exited(q))
		cr_assert_eq(qemu_monitor(q, "log none", 10000), 0, "%s", qemu_error());
	/* what a U-Boot outside the mode under test leaves in the log, and
	 * its stores to the THR (U-Boot has no witness slots) */
	unsigned long wrong, thr;
	unsigned long long cause = 0, epc = 0;
#ifdef KIT_NESTED
	struct vs_evidence e = { 0 };
	cr_assert(qemu_traps(q, vs_evidence_trap, &e) >= 0, "%s", qemu_error());
	wrong = e.s_ecalls + e.uart_pf + e.csr_traps;
	thr = e.thr_stores;
	const char *mode = "VS-mode (lab02-shadow-paging/vmm/run_vs.c)",
		   *wrong_is = "only S-mode code or U-mode code under trap-and-emulate does",
		   *thr_are = "store guest-page faults, cause 23",
		   *fix = "lab02-shadow-paging/vmm/gstage.c, vs_exit.c";
#else
	struct evidence e = { .base = ~0ULL };
	cr_assert(qemu_traps(q, evidence_trap, &e) >= 0, "%s", qemu_error());
	wrong = e.privileged, cause = e.priv_cause, epc = e.priv_epc;
	thr = e.thr_stores;
	const char *mode = "U-mode, deprivileged under the VMM (vmm/README.md)",
		   *wrong_is = "only S or VS-mode code does", *thr_are = "store page faults",
		   *fix = "vmm/mmio.c, vmm/uart.c";
#endif
	cr_assert(wrong == 0,
		  "%s: QEMU's trap log shows U-Boot's code trapping as %s (%lu traps; cause %llu at "
		  "%#llx): U-Boot must run in %s.", step, wrong_is, wrong, cause, epc, mode);
	cr_assert(thr + slack >= bytes && (thr > 0 || bytes == 0),
		  "%s: the console showed %zu bytes, but QEMU logged only %lu stores to the UART's THR "
		  "(%s at %#llx) from U-Boot's code: the text did not come from U-Boot in %s. Every "
		  "guest access to the UART must trap into the VMM's emulation (%s).\n%s",
		  step, bytes, thr, thr_are, UART_THR_GPA, mode, fix, qemu_tail(q, 10));
}

/*
 * Boot U-Boot under the VMM and stop its autoboot countdown at the prompt,
 * saying which step failed and where to look.
 * witness: check the key press's window of the trap log.
 */
static void boot_to_prompt(bool witness)
{
	struct qemu_opts o;
	qemu_lab_opts(&o, KIT_LAB, QEMU_UBOOT, NULL);
#ifdef KIT_VMM_BIN
	o.kernel = kit_path(KIT_VMM_BIN);
#endif
	o.trap_log = o.trap_log_paused = o.monitor = true;
	q = access(o.kernel, R_OK) == 0 ? qemu_start(&o) : NULL;
	cr_assert_not_null(q, "could not start QEMU with the VMM (make " KIT_LAB "-build): %s", qemu_error());
	cr_assert_eq(qemu_expect(q, "U-Boot 20", BOOT_MS), 0,
		"expected U-Boot's banner 'U-Boot 20..' on the console, got:\n%s"
		"Look first at the vmm: lines above (a TODO names the function to write). "
		"Then check: the VMM loads a raw -initrd image at 0x80200000 and starts it "
		"with a0 = hart id, a1 = its device tree; guest stores to the UART THR "
		"reach the real UART (vmm/uart.c); LSR reads say THRE|TEMT.",
		qemu_tail(q, 25));
	cr_assert_eq(qemu_expect(q, "Hit any key", BOOT_MS), 0,
		"U-Boot started but never reached its autoboot countdown, got:\n%s"
		"Check: SBI Base probe_extension answers (vmm/sbi_base.c), `time` reads "
		"work from the guest (scounteren.TM), and illegal-instruction exits for "
		"CSRs U-Boot touches do not kill the guest.",
		qemu_tail(q, 25));
	/* any key stops the countdown */
	if (witness)
		window_begin();
	cr_assert_eq(qemu_send(q, "\n"), 0, "QEMU exited:\n%s", qemu_tail(q, 20));
	cr_assert_eq(qemu_expect(q, "=> ", STEP_MS), 0,
		"expected the prompt '=> ' after a key press, got:\n%s"
		"Check the UART receive path: LSR.DR set when a byte waits on the real "
		"UART, RBR reads return it (vmm/uart.c).",
		qemu_tail(q, 25));
	if (witness)
		window_end("the prompt", COUNTDOWN_SLACK);
}

/* Type a command and wait for U-Boot to echo its line back. */
static void command(const char *cmd)
{
	char line[256];
	window_begin();
	snprintf(line, sizeof line, "%s\n", cmd);
	cr_assert_eq(qemu_send(q, line), 0, "QEMU exited:\n%s", qemu_tail(q, 20));
	cr_assert_eq(qemu_expect(q, line, STEP_MS), 0,
		"U-Boot did not echo the typed command '%s', got:\n%s"
		"Bytes typed on the console are lost or reordered: check the UART "
		"receive emulation (LSR.DR, RBR).",
		cmd, qemu_tail(q, 20));
}

KIT_TEST_IN(KIT_SUITE, prompt, .description = "stock U-Boot boots under the VMM to its '=>' prompt")
{
	boot_to_prompt(true);
}

/* The version string U-Boot carries in its image ("U-Boot 2023.01+dfsg-2 (date)"). */
static char *image_version(void)
{
	FILE *f = fopen(QEMU_UBOOT, "rb");
	cr_assert_not_null(f, "cannot read %s (install u-boot-qemu: make deps)", QEMU_UBOOT);
	static char img[4 << 20];
	size_t n = fread(img, 1, sizeof img - 1, f);
	fclose(f);
	img[n] = '\0';
	for (char *p = img; (p = memmem(p, n - (size_t)(p - img), "U-Boot 20", 9)) != NULL; p++)
		if (strchr(p, '(') && strchr(p, '(') - p < 64 && strlen(p) < 128)
			return p;
	cr_assert_fail("no 'U-Boot 20..' version string in %s", QEMU_UBOOT);
	return NULL;
}

KIT_TEST_IN(KIT_SUITE, version, .description = "U-Boot's `version` command prints the version built into its image")
{
	const char *want = image_version();
	boot_to_prompt(false);
	command("version");
	char got[256];
	cr_assert_eq(qemu_expect_line(q, "U-Boot 20", STEP_MS, got, sizeof got), 0,
		"expected '%s' after `version`, got:\n%s", want, qemu_tail(q, 20));
	cr_assert_str_eq(got, want, "expected '%s', got '%s'", want, got);
	window_end("`version`", 0);
}

KIT_TEST_IN(KIT_SUITE, echo, .description = "U-Boot's `echo <random token>` prints the token back")
{
	char tok[KIT_TOKEN_LEN + 1], cmd[64], got[128];
	kit_token(tok);
	boot_to_prompt(false);
	snprintf(cmd, sizeof cmd, "echo %s", tok);
	command(cmd);
	cr_assert_eq(qemu_expect_line(q, tok, STEP_MS, got, sizeof got), 0,
		"expected the line '%s' after `%s`, got:\n%s", tok, cmd, qemu_tail(q, 20));
	cr_assert_str_eq(got, tok, "expected '%s', got '%s': typed bytes altered?", tok, got);
	window_end("`echo`", 0);
}

KIT_TEST_IN(KIT_SUITE, md, .description = "U-Boot's `md.b` shows its own image where the VMM loaded it (0x80200000)")
{
	/* U-Boot relocates itself to the top of RAM and leaves its load copy
	 * alone; its first 32 KiB are code. A random offset each run. */
	char tok[KIT_TOKEN_LEN + 1];
	kit_token(tok);
	unsigned long off = (strtoul(tok + 8, NULL, 16) % 0x8000) & ~0xful;
	unsigned long addr = VIRT_PAYLOAD_BASE + off;
	unsigned char want[16];
	FILE *f = fopen(QEMU_UBOOT, "rb");
	cr_assert_not_null(f, "cannot read %s", QEMU_UBOOT);
	cr_assert_eq(fseek(f, (long)off, SEEK_SET), 0);
	cr_assert_eq(fread(want, 1, 16, f), 16);
	fclose(f);

	boot_to_prompt(false);
	char cmd[64], prefix[32], got[256];
	snprintf(cmd, sizeof cmd, "md.b %lx 10", addr);
	command(cmd);
	snprintf(prefix, sizeof prefix, "%08lx:", addr);
	cr_assert_eq(qemu_expect_line(q, prefix, STEP_MS, got, sizeof got), 0,
		"expected a line '%s ..' after `%s`, got:\n%s", prefix, cmd, qemu_tail(q, 20));
	const char *p = got + strlen(prefix);
	for (int i = 0; i < 16; i++) {
		unsigned b;
		int used;
		cr_assert_eq(sscanf(p, " %2x%n", &b, &used), 1, "cannot read byte %d of '%s'", i, got);
		p += used;
		cr_assert_eq(b, want[i],
			"byte %d at %#lx: expected %02x (u-boot.bin offset %#lx), got %02x in '%s'. "
			"The guest's view of its RAM is wrong: check that the VMM loads the raw "
			"image at guest-physical 0x80200000 and maps guest RAM 1:1 (vmm/gmem.c).",
			i, addr + (unsigned long)i, want[i], off + (unsigned long)i, b, got);
	}
	window_end("`md.b`", 0);
}

KIT_TEST_IN(KIT_SUITE, reset, .description = "U-Boot's `reset` ends QEMU (the VMM handles SBI SRST system_reset)")
{
	boot_to_prompt(false);
	command("reset");
	int status = -1;
	cr_assert_eq(qemu_wait_exit(q, STEP_MS, &status), 0,
		"QEMU still runs %d s after `reset`, console:\n%s"
		"U-Boot calls SBI SRST system_reset (EID 0x53525354, FID 0): the VMM must "
		"pass the reset on to OpenSBI (vmm/sbi_srst.c).",
		STEP_MS / 1000, qemu_tail(q, 20));
	cr_assert_eq(status, 0, "QEMU exited with status %d after `reset` (expected 0):\n%s",
		status, qemu_tail(q, 20));
	window_end("`reset`", 0);
}
