/*
 * qemu_guest.c: the selftest guest (guest/selftest) under the lab01 VMM,
 * one test per group of checks (kit.only=<group>), and once natively on
 * OpenSBI to validate the guest itself.
 *
 * Each run gets a fresh random token; the guest prints
 * "KIT CHECK <name> ok <digest>" and this test recomputes every digest from
 * its token and the values the spec requires (guest/selftest/checks.h,
 * common/rt/include/kitcheck.h). Printing the text without doing the work
 * cannot match. But the VMM is the student's code and writes every byte of
 * the console, token and digests included, so the verdict also needs
 * evidence the VMM cannot write (witness.h): QEMU's own trap log of the
 * VMM run, which must show that the guest ran deprivileged, printed its
 * output itself, and took the witness path of a guest that observed the
 * values checks.h requires.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "kitcheck.h"
#include "qemu.h"
#include "witness.h"
#include "../guest/selftest/checks.h"

#define SELFTEST "build/lab01/guest/selftest.bin"
#define RUN_MS 20000

static struct qemu *q;
static void stop(void)
{
	qemu_stop(q);
	q = NULL;
}
TestSuite(guest, .fini = stop, .timeout = 40);

/* Where to look in the VMM when a group fails (lab01 handout, tasks). */
static const struct {
	const char *group, *hint;
} hints[] = {
	{ "csr_rw", "vcpu_csr_read/vcpu_csr_write (vmm/csr.c): every S-mode CSR of "
		    "struct vcpu must hold what the guest writes" },
	{ "csr_warl", "the WARL rules in vcpu_csr_write (vmm/csr.c): sstatus fields "
		      "(SPP, SPIE, SIE, FS/SD, UXL, WPRI bits), sie/sip writable bits, "
		      "satp MODE (priv 1.12, 4.1)" },
	{ "csr_forms", "vcpu_emulate_insn (vmm/emulate.c): csrrw/csrrs/csrrc and the "
		       "immediate forms, rd/rs1 decoding, and the x0 rules (Zicsr 9.1)" },
	{ "compressed", "vcpu_inject_exception's sepc (the trapping instruction itself) "
			"and the instruction length used to step over an emulated "
			"instruction (2 for RVC, 4 otherwise)" },
	{ "sret_user", "vcpu_sret (SIE = SPIE, SPIE = 1, SPP = U, mode = old SPP) and "
		       "illegal-instruction reflection from virtual U" },
	{ "trap_reflect", "vcpu_inject_exception (sepc, scause, stval, SPP, SPIE/SIE, "
			  "direct and vectored stvec), vcpu_mmio access faults (cause 5/7, "
			  "stval = address) and vcpu_inject_pending_interrupt for SSIP" },
	{ "syscalls", "vcpu_ecall: an ecall from virtual U goes to the guest kernel as "
		      "cause 8, one from virtual S goes to vmm_sbi_call" },
	{ "timer_tick", "sbi_time_handler and vcpu_timer_update (virtual STIP), then "
			"vcpu_inject_pending_interrupt when the guest can take it" },
	{ "wfi", "vcpu_wfi: idle until an interrupt is pending and enabled in sie, "
		 "whatever sstatus.SIE says (priv 3.3.3); set_timer(-1) clears STIP" },
	{ "uart_out", "vcpu_mmio and uart_read/uart_write (vmm/uart.c): THR, LSR "
		      "(THRE|TEMT when idle), LCR and SCR" },
	{ "uart_in", "uart_read: RBR and LSR.DR must deliver the bytes typed on the "
		     "console to the guest" },
	{ "sbi_base", "sbi_base_handler, vmm_sbi_find (probe_extension) and "
		      "SBI_ERR_NOT_SUPPORTED for an unknown extension or function" },
	{ "shutdown", "sbi_srst_handler: SRST shutdown powers the machine off" },
};

static const char *hint(const char *group)
{
	for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
		if (strcmp(hints[i].group, group) == 0)
			return hints[i].hint;
	return "the VMM";
}

/* Start the VMM run (q) with QEMU's trap log (witness.h). */
static void start_with_log(const char *append)
{
	struct qemu_opts o;
	qemu_lab_opts(&o, "lab01", kit_path(SELFTEST), append);
	o.trap_log = true;
	q = access(o.kernel, R_OK) == 0 ? qemu_start(&o) : NULL;
	cr_assert_not_null(q, "could not start QEMU with the VMM (make lab01-build): %s", qemu_error());
}

/* checks.h's values of a check (witness.h's spec model), -1 if unknown. */
static int selftest_want(const char *token, const char *name, uint64_t *vals)
{
	if (strcmp(name, "uart_in") == 0) {
		char in[16];
		uart_in_line(token, in);
		vals[0] = 12;
		vals[1] = kit_fnv1a(KIT_FNV64_OFFSET, in, 12);
		return 2;
	}
	return witness_want(selftest_checks, SELFTEST_NCHECKS, name, vals);
}

/* uart_in: wait for the prompt and type the line the token gives. */
static void type_input(struct qemu *qq, const char *token)
{
	char line[16], typed[20];
	uart_in_line(token, line);
	if (qemu_expect(qq, "KIT INPUT ready", RUN_MS) == 0) {
		snprintf(typed, sizeof typed, "%s\r", line);
		qemu_send(qq, typed);
	}
}

/*
 * Under the VMM: the console's verdict is not enough (the VMM writes it);
 * wait for QEMU to end and check its trap log (witness.h).
 */
static void check_evidence(const char *group, const char *token)
{
	int st;
	cr_assert(qemu_wait_exit(q, 10000, &st) == 0,
		  "group %s: QEMU still runs 10 s after the guest's KIT DONE and SRST shutdown: %s.\n%s",
		  group, hint("shutdown"), qemu_tail(q, 10));
	char what[64];
	snprintf(what, sizeof what, "group %s", group);
	witness_assert(q, SELFTEST, token, selftest_want, what, hint(group));
}

/*
 * Boot the selftest (under the VMM, or natively on OpenSBI), run `group`
 * ("" = all), and check every expected line.
 */
static void run_selftest(const char *group, bool native)
{
	char token[KIT_TOKEN_LEN + 1], append[160];
	kit_token(token);
	snprintf(append, sizeof append, "kit.token=%s%s%s", token,
		 group[0] ? " kit.only=" : "", group);

	if (native) {
		struct qemu_opts o = { .kernel = kit_path(SELFTEST), .append = append };
		q = qemu_start(&o);
	} else {
		start_with_log(append);
	}
	cr_assert_not_null(q, "could not start QEMU: %s", qemu_error());

	bool all = group[0] == '\0';
	if (all || strcmp(group, "uart_in") == 0)
		type_input(q, token);
	char done_got[64] = "";
	int done = qemu_expect_line(q, "KIT DONE ", RUN_MS, done_got, sizeof done_got);
	const char *out = qemu_output(q);

	static char msg[16384];
	msg[0] = '\0';
	unsigned want_checks = 0, other_lines = 0;
	unsigned bad = kit_expect_checks(out, token, selftest_checks, SELFTEST_NCHECKS, group,
					 &want_checks, msg, sizeof msg);
	if (all || strcmp(group, "uart_in") == 0) {
		char in[16], line[128];
		uart_in_line(token, in);
		uint64_t v[2] = { 12, kit_fnv1a(KIT_FNV64_OFFSET, in, 12) };
		snprintf(line, sizeof line, "KIT CHECK uart_in ok %016llx\n",
			 (unsigned long long)kit_check_digest(token, "uart_in", v, 2));
		want_checks++;
		if (strstr(out, line) == NULL) {
			bad++;
			kit_explain_check(out, "uart_in", msg, sizeof msg);
		}
	}
	if (all || strcmp(group, "uart_out") == 0) {
		char line[64];
		snprintf(line, sizeof line, "KIT UART %016llx\n",
			 (unsigned long long)uart_out_digest(token));
		other_lines++;
		if (strstr(out, line) == NULL) {
			bad++;
			size_t used = strlen(msg);
			snprintf(msg + used, sizeof msg - used,
				 "  uart_out: the line '%.*s' written by MMIO to THR did not "
				 "come out intact\n", (int)strlen(line) - 1, line);
		}
	}
	cr_assert(want_checks > 0 || !all, "checks.h has no check for group %s", group);
	cr_assert(bad == 0 && done == 0,
		  "group %s: %u of %u expected lines did not appear%s\n%s"
		  "Where to look: %s.\nLast lines of the console:\n%s",
		  all ? "(all)" : group, bad, want_checks + other_lines,
		  done == 0 ? "" : " and the guest never printed KIT DONE", msg,
		  native ? "the guest itself (it runs natively, without the VMM)" : hint(group),
		  qemu_tail(q, 15));
	char done_line[64];
	snprintf(done_line, sizeof done_line, "KIT DONE %u 0", want_checks);
	cr_assert(strcmp(done_got, done_line) == 0,
		  "expected '%s' (every check of the group passed, none failed), got "
		  "'%s':\n%s", done_line, done_got, qemu_tail(q, 15));
	if (!native) {
		/* QEMU's evidence first: the console's KIT EXITS is the VMM's */
		check_evidence(all ? "(all)" : group, token);
		kit_assert_exits(out);
	}
}

#define GROUP_TEST(name, sentence)                                        \
	KIT_TEST(guest, name, .description = sentence)                     \
	{                                                                  \
		run_selftest(#name, false);                                \
	}

GROUP_TEST(csr_rw, "every S-mode CSR of the guest holds what the guest kernel writes")
GROUP_TEST(csr_warl, "the guest's sstatus, sie, sip and satp follow the spec's WARL rules")
GROUP_TEST(csr_forms, "all six CSR instruction forms, any register, with the x0 rules")
GROUP_TEST(compressed, "traps at 2-byte instructions report the right sepc, and a CSR "
			"access at a halfword boundary resumes at the next instruction")
GROUP_TEST(sret_user, "sret enters guest U-mode and S-mode with the spec's sstatus "
		       "changes, and U-mode privileged instructions trap to the guest")
GROUP_TEST(trap_reflect, "guest traps arrive with the right sepc, scause, stval and "
			  "sstatus, through direct and vectored stvec")
GROUP_TEST(syscalls, "a guest user program's system calls reach the guest kernel")
GROUP_TEST(timer_tick, "SBI set_timer drives the guest's preemptive scheduler tick")
GROUP_TEST(wfi, "wfi idles until the guest's timer interrupt is pending")
GROUP_TEST(uart_out, "the guest drives the NS16550A by MMIO and its bytes come out")
GROUP_TEST(uart_in, "bytes typed on the console reach the guest through the emulated UART")
GROUP_TEST(sbi_base, "the VMM's SBI Base extension answers version, probe and errors")

KIT_TEST(guest, shutdown, .description = "SBI SRST shutdown from the guest powers the machine off")
{
	char token[KIT_TOKEN_LEN + 1], append[96];
	kit_token(token);
	snprintf(append, sizeof append, "kit.token=%s kit.only=shutdown", token);
	start_with_log(append);
	cr_assert_eq(qemu_expect(q, "KIT DONE 0 0", RUN_MS), 0,
		     "expected the guest to boot and print 'KIT DONE 0 0'; got:\n%s",
		     qemu_tail(q, 15));
	int status = -1;
	int r = qemu_wait_exit(q, 10000, &status);
	cr_assert(r == 0, "QEMU still runs 10 s after the guest's SBI SRST shutdown: %s.\n%s",
		  hint("shutdown"), qemu_tail(q, 15));
	cr_assert(status == 0 && strstr(qemu_output(q), "srst_shutdown FAIL") == NULL,
		  "expected QEMU to exit with status 0 after SRST shutdown, got status %d: %s.\n%s",
		  status, hint("shutdown"), qemu_tail(q, 15));
	check_evidence("shutdown", token);
	kit_assert_exits(qemu_output(q));
}

KIT_TEST(guest, native_selftest, .timeout = 60,
	 .description = "the selftest guest passes every check natively on OpenSBI (no VMM)")
{
	run_selftest("", true);
	int status = -1;
	cr_assert(qemu_wait_exit(q, 10000, &status) == 0 && status == 0,
		  "expected the guest's SRST shutdown to end QEMU with status 0 (status %d):\n%s",
		  status, qemu_tail(q, 10));
}
