/*
 * qemu_paging.c: the paging test guest (guest/paging) natively on OpenSBI
 * (the reference: QEMU 7.2's own MMU) and under lab02's VMM with shadow
 * page tables, one test per group of checks (kit.only=<group>) each way.
 *
 * In nested mode (suite nested, build/lab02/vmm-nested.bin) the guest
 * kernel runs in VS-mode: the same checks, and QEMU's trap log must show
 * what only VS-mode gives: its SBI calls arrive as ecalls from VS (cause
 * 10), none of its CSR instructions traps, its stores to the UART are
 * guest-page faults (cause 23).
 *
 * Each run gets a fresh random token; the guest prints "KIT CHECK <name>
 * ok <digest>" and this test recomputes every digest from its token and
 * the values the spec requires (guest/paging/checks.h, kitcheck.h). Under
 * the VMM the console is the VMM's to write, so the verdict also rests on
 * QEMU's own trap log (common/test/witness.h): the guest kernel ran
 * deprivileged (its CSR instructions trap: no S or VS-mode trap at guest
 * addresses), printed its output itself, and took the witness path of a
 * guest that observed the values checks.h requires.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "kitcheck.h"
#include "qemu.h"
#include "witness.h"
#include "../guest/paging/checks.h"

#define PAGING "build/lab02/guest/paging.bin"
#define NESTED_VMM "build/lab02/vmm-nested.bin"
#define RUN_MS 30000
/* the guest's virtual address of the UART (guest/paging/paging.h) */
#define PAGING_UART_VA 0xffffffffd0000000ULL

static struct qemu *q;
static void stop(void)
{
	qemu_stop(q);
	q = NULL;
}
TestSuite(native, .fini = stop, .timeout = 60);
TestSuite(shadow, .fini = stop, .timeout = 60);
TestSuite(nested, .fini = stop, .timeout = 60);

enum mode { NATIVE, SHADOW, NESTED };

/* Where to look in lab02's VMM when a group fails under it. */
static const struct {
	const char *group, *hint;
} hints[] = {
	{ "paging_on", "satp's WARL write (Bare and Sv39 only), the switch to the guest's new "
		       "address space, and a guest fetch fault delivered to the guest's stvec "
		       "(vmm/shadow.c, vmm/walk.c)" },
	{ "leaves", "sv39_walk (vmm/walk.c): leaves at each level, misaligned superpages, "
		    "W without R, non-canonical addresses (priv 4.3.2, 4.4.1), and their page "
		    "faults delivered with stval = the guest's address" },
	{ "ad", "A and D in the guest's PTEs (walk.c set_ad): A on the first access, D on "
		"the first write, a shadow leaf without W until D is set" },
	{ "priv", "the shadow views by privilege, SUM and MXR (vmm/shadow.c): what the walker "
		  "grants the guest kernel and the guest user" },
	{ "procs", "address spaces by root and ASID (vmm/shadow.c), guest page faults "
		   "delivered to the guest kernel and the retry after it maps the page" },
	{ "sfence", "sfence.vma by address, by ASID (global leaves spared) and in full "
		    "(vmm/shadow.c)" },
	{ "mmio", "a guest store or load at a virtual address that the guest maps to the "
		  "UART: the walk gives its guest-physical address, vcpu_mmio emulates it" },
};

/* Where to look in the nested VMM (vmm-nested.bin) when a group fails. */
static const char nested_hint[] =
	"the nested run loop and its G-stage: lab02-shadow-paging/vmm/run_vs.c (VS CSRs "
	"saved and loaded, hedeleg/hideleg), gstage.c (Sv39x4 table of guest RAM), vs_exit.c "
	"(SBI ecalls from VS, guest-page faults to devices, virtual instructions)";

static const char *hint(const char *group)
{
	for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
		if (strcmp(hints[i].group, group) == 0)
			return hints[i].hint;
	return "the VMM";
}

/* checks.h's values of a check (witness.h's spec model), -1 if unknown. */
static int paging_want(const char *token, const char *name, uint64_t *vals)
{
	(void)token;
	return witness_want(paging_checks, PAGING_NCHECKS, name, vals);
}

/* CSR instructions (SYSTEM, funct3 != 0: Zicsr 9.1) trapping at guest code */
static void count_guest_csr_traps(const struct qemu_trap *t, void *arg)
{
	if (!t->async && t->cause == CAUSE_ILLEGAL_INSTRUCTION && in_guest(t->epc) &&
	    (t->tval & 0x7f) == 0x73 && ((t->tval >> 12) & 7) != 0)
		++*(long *)arg;
}

/* The nested run vm ran the guest kernel in VS-mode (witness.h), and in
 * group mmio its UART stores were guest-page faults the VMM emulated. */
static void assert_vs_mode(struct qemu *vm, const char *group)
{
	char what[64];
	struct vs_evidence e;
	snprintf(what, sizeof what, "group %s", group);
	witness_thr_va = PAGING_UART_VA + UART_THR;
	vs_assert(vm, what, witness_base(PAGING), true, &e);
	if (strcmp(group, "mmio") == 0)
		cr_assert(e.thr_stores > 0,
			  "group mmio: QEMU's trap log shows %lu guest-page faults at guest code, none "
			  "a store to the UART's THR: the UART must not be in the G-stage, so that "
			  "every access to it is a guest-page fault the VMM emulates (gstage.c, "
			  "vs_exit.c)", e.gpf);
}

/* Boot the guest natively or under lab02's VMM, run `group`, check every line. */
static void run_paging(const char *group, enum mode mode)
{
	bool native = mode == NATIVE;
	char token[KIT_TOKEN_LEN + 1], append[160];
	kit_token(token);
	snprintf(append, sizeof append, "kit.token=%s kit.only=%s", token, group);
	struct qemu_opts o = { .kernel = kit_path(PAGING), .append = append };
	if (!native) {
		qemu_lab_opts(&o, "lab02", kit_path(PAGING), append);
		if (mode == NESTED)
			o.kernel = kit_path(NESTED_VMM);
		o.trap_log = true;
	}
	q = access(kit_path(PAGING), R_OK) == 0 && access(o.kernel, R_OK) == 0 ? qemu_start(&o) : NULL;
	cr_assert_not_null(q, "could not start QEMU (make lab02-build %s): %s", PAGING, qemu_error());

	char done_got[64] = "";
	int done = qemu_expect_line(q, "KIT DONE ", RUN_MS, done_got, sizeof done_got);
	const char *out = qemu_output(q);
	static char msg[8192];
	msg[0] = '\0';
	unsigned want_checks = 0, other = 0;
	unsigned bad = kit_expect_checks(out, token, paging_checks, PAGING_NCHECKS, group, &want_checks,
					 msg, sizeof msg);
	if (strcmp(group, "mmio") == 0) {
		char line[64];
		snprintf(line, sizeof line, "KIT MMIO %016llx\n", (unsigned long long)mmio_line_digest(token));
		other++;
		if (strstr(out, line) == NULL) {
			bad++;
			size_t used = strlen(msg);
			snprintf(msg + used, sizeof msg - used, "  mmio: the line '%.*s' written by MMIO "
				 "through the guest's virtual mapping of the UART did not come out intact\n",
				 (int)strlen(line) - 1, line);
		}
	}
	cr_assert(want_checks > 0, "checks.h has no check for group %s", group);
	cr_assert(bad == 0 && done == 0,
		  "group %s: %u of %u expected lines did not appear%s\n%sWhere to look: %s.\n"
		  "Last lines of the console:\n%s",
		  group, bad, want_checks + other, done == 0 ? "" : " and the guest never printed KIT DONE",
		  msg, native ? "the guest itself (it runs natively, without the VMM)" :
		  mode == NESTED ? nested_hint : hint(group),
		  qemu_tail(q, 15));
	char done_line[64];
	snprintf(done_line, sizeof done_line, "KIT DONE %u 0", want_checks);
	cr_assert(strcmp(done_got, done_line) == 0,
		  "expected '%s' (every check of the group passed, none failed), got '%s':\n%s",
		  done_line, done_got, qemu_tail(q, 15));
	int st = -1;
	cr_assert(qemu_wait_exit(q, 10000, &st) == 0 && st == 0,
		  "group %s: QEMU did not exit with status 0 within 10 s of the guest's KIT DONE and "
		  "SRST shutdown (status %d).\n%s", group, st, qemu_tail(q, 10));
	if (native)
		return;
	if (mode == NESTED) {
		assert_vs_mode(q, group);
		kit_assert_exits(out);
		return;
	}
	/* QEMU's evidence first: the console's KIT EXITS is the VMM's */
	char what[64];
	snprintf(what, sizeof what, "group %s", group);
	witness_thr_va = PAGING_UART_VA + UART_THR;
	witness_assert(q, PAGING, token, paging_want, what, hint(group));
	long csr = 0;
	cr_assert(qemu_traps(q, count_guest_csr_traps, &csr) >= 0, "%s", qemu_error());
	cr_assert(csr >= 2L * want_checks,
		  "group %s: QEMU's trap log shows %ld CSR instructions of the guest kernel trapping, "
		  "expected at least %u (2 witness slots per check, each a csrrs): the guest kernel "
		  "did not run deprivileged", group, csr, 2 * want_checks);
	kit_assert_exits(out);
}

#define GROUP_TESTS(name, sentence)                                              \
	KIT_TEST(native, name, .description = sentence ", natively on OpenSBI (QEMU 7.2's MMU)") \
	{                                                                        \
		run_paging(#name, NATIVE);                                       \
	}                                                                        \
	KIT_TEST(shadow, name, .description = sentence ", under lab02's VMM with shadow page " \
		 "tables, the guest kernel deprivileged")                        \
	{                                                                        \
		run_paging(#name, SHADOW);                                       \
	}                                                                        \
	KIT_TEST(nested, name, .description = sentence ", under lab02's VMM in nested mode, the " \
		 "guest kernel in VS-mode on an Sv39x4 G-stage")                 \
	{                                                                        \
		run_paging(#name, NESTED);                                       \
	}

GROUP_TESTS(paging_on, "the guest turns Sv39 on as Linux does: satp's WARL probe of Sv57 and Sv48, "
		       "identity and high mappings, a fetch fault onto the high mapping")
GROUP_TESTS(leaves, "4 KiB, 2 MiB and 1 GiB leaves translate; misaligned superpages, W without R "
		    "and non-canonical addresses page-fault with stval = the address")
GROUP_TESTS(ad, "leaves made with A = D = 0 get A on the first access and D on the first write, "
		"in the guest's own PTEs")
GROUP_TESTS(priv, "U pages fault in S-mode unless SUM = 1, never execute in S-mode, MXR makes "
		  "execute-only pages readable, and U-mode cannot touch S pages")
GROUP_TESTS(procs, "two user address spaces (own roots and ASIDs) switch, and the guest kernel's "
		   "demand paging and copy-on-write resume the faulting user program")
GROUP_TESTS(sfence, "sfence.vma by address, by ASID and for global mappings makes the new "
		    "translation visible where the spec guarantees it")
GROUP_TESTS(mmio, "the guest drives the UART through its own virtual mapping of it")
