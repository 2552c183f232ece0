/*
 * witness.h: evidence from outside the guest for the lab01 QEMU tests
 * (qemu_guest.c, qemu_hostile.c; the design is in guest/README.md,
 * "Verdicts the VMM cannot forge").
 *
 * The VMM is the student's code: it sees the guest's RAM (token, device
 * tree, code) and writes every byte the console shows, so no line the guest
 * prints proves anything. What it cannot write is QEMU's own trap log
 * (qemu_opts.trap_log, -d int): every trap the hart takes, with cause, epc
 * and tval, from QEMU's code. Each test therefore also runs the same guest
 * with the same bootargs natively on OpenSBI (no student code: the
 * hardware is the oracle) and requires of the VMM run's trap log:
 *
 * 1. no trap that only a guest running in S or VS-mode causes (ecall from
 *    S or VS, virtual instruction, guest-page faults) at a guest address;
 * 2. the guest's SBI calls arrive as ecalls from U-mode (cause 8) at guest
 *    addresses, as many as the native run makes (less ECALL_SLACK: the
 *    console's "KIT EXITS <n>" is "n/a" natively, a putchar call per
 *    character);
 * 3. the witness path: the witness slots QEMU saw the guest execute in
 *    U-mode (illegal instruction, tval = the slot's bits), in order, equal
 *    the path the native run printed. The path is a hash of every check's
 *    observed values: a guest that saw other values than the hardware's
 *    takes other slots, and a VMM that prints verdicts without running the
 *    guest deprivileged leaves no slot at all.
 */
#ifndef LAB01_TESTS_WITNESS_H
#define LAB01_TESTS_WITNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "kitcheck.h"
#include "qemu.h"

/* Where a guest's code runs: its image at 0x80200000 up to the end of
 * guest RAM (vmm/README.md; natively the same addresses). */
#define GUEST_CODE_START 0x80200000ULL
#define GUEST_CODE_END 0x88000000ULL

/* RISC-V exception causes (priv 1.12, table 4.2; H extension, 8.6.1) */
#define CAUSE_ILLEGAL 2
#define CAUSE_ECALL_U 8
#define CAUSE_ECALL_S 9
#define CAUSE_ECALL_VS 10

/* "KIT EXITS n/a" natively against up to 6 digits under the VMM */
#define ECALL_SLACK 4

struct evidence {
	unsigned long long base;          /* witness slots (from the native run) */
	char path[KIT_WITNESS_MAX + 1];   /* slots taken, one hex digit each */
	unsigned len;
	long traps;                       /* lines in the log */
	unsigned long wrong_tval;         /* witness traps that are not the slot's bits */
	unsigned long long wrong_epc, wrong_tv;
	unsigned long privileged;         /* traps only S/VS guest code causes */
	unsigned long long priv_cause, priv_epc;
	unsigned long guest_ecalls;       /* cause 8 (and natively 9) at guest addresses */
};

static inline bool in_guest(unsigned long long a)
{
	return a >= GUEST_CODE_START && a < GUEST_CODE_END;
}

static inline void evidence_vmm_trap(const struct qemu_trap *t, void *arg)
{
	struct evidence *e = arg;
	if (t->async || !in_guest(t->epc))
		return;
	switch (t->cause) {
	case CAUSE_ECALL_U:
		e->guest_ecalls++;
		return;
	case CAUSE_ECALL_S:
	case CAUSE_ECALL_VS:
	case 20: case 21: case 22: case 23:  /* guest-page faults, virtual instruction */
		if (e->privileged++ == 0) {
			e->priv_cause = t->cause;
			e->priv_epc = t->epc;
		}
		return;
	case CAUSE_ILLEGAL:
		break;
	default:
		return;
	}
	unsigned long long off = t->epc - e->base;
	if (t->epc < e->base || off >= (unsigned long long)KIT_WITNESS_SLOTS * KIT_WITNESS_SLOT_SIZE ||
	    off % KIT_WITNESS_SLOT_SIZE != 0)
		return;
	if (t->tval != KIT_WITNESS_INSN && e->wrong_tval++ == 0) {
		e->wrong_epc = t->epc;
		e->wrong_tv = t->tval;
	}
	if (e->len < KIT_WITNESS_MAX)
		e->path[e->len++] = "0123456789abcdef"[off / KIT_WITNESS_SLOT_SIZE];
}

static inline void evidence_native_trap(const struct qemu_trap *t, void *arg)
{
	struct evidence *e = arg;
	if (!t->async && in_guest(t->epc) && (t->cause == CAUSE_ECALL_U || t->cause == CAUSE_ECALL_S))
		e->guest_ecalls++;
}

/* The name of the n-th "KIT CHECK <name> " line of out, into name. */
static inline void nth_check(const char *out, unsigned n, char *name, size_t size)
{
	snprintf(name, size, "(after the last check)");
	for (const char *p = out; (p = strstr(p, "KIT CHECK ")) != NULL; p++) {
		if (p != out && p[-1] != '\n')
			continue;
		if (n-- == 0) {
			p += 10;
			snprintf(name, size, "%.*s", (int)strcspn(p, " \n"), p);
			return;
		}
	}
}

/*
 * The VMM run vm and the native run nat of the same guest and bootargs,
 * both started with trap_log and both finished (QEMU exited: its log is
 * complete). what names the run for messages; hint says where to look in
 * the VMM when the values differ.
 */
static inline void witness_assert(struct qemu *vm, struct qemu *nat, const char *what, const char *hint)
{
	const char *nout = qemu_output(nat);
	const char *w = strstr(nout, "KIT WITNESS 0x");
	const char *p = strstr(nout, "KIT PATH ");
	struct evidence native = { 0 }, e = { 0 };
	char want[KIT_WITNESS_MAX + 1] = "";
	unsigned want_len = 0;
	cr_assert(p && sscanf(p, "KIT PATH %u %512s", &want_len, want) == 2,
		  "%s: the native run (the guest alone on OpenSBI, the reference) printed no "
		  "'KIT PATH' line: the kit's guest is broken, not your VMM:\n%s", what, qemu_tail(nat, 10));
	if (want_len == 0)
		want[0] = '\0';
	e.base = w ? strtoull(w + 12, NULL, 16) : 0;
	cr_assert(w == NULL || e.base != 0, "%s: bad KIT WITNESS line in the native run", what);
	cr_assert(qemu_traps(nat, evidence_native_trap, &native) >= 0, "%s", qemu_error());
	e.traps = qemu_traps(vm, evidence_vmm_trap, &e);
	cr_assert(e.traps >= 0, "%s", qemu_error());
	e.path[e.len] = '\0';

	cr_assert(e.privileged == 0,
		  "%s: QEMU's trap log shows %lu trap(s) that only guest code running in S or VS-mode "
		  "causes, the first cause %llu at guest address %#llx (9 = ecall from S, 10 = from VS, "
		  "20 to 23 = guest-page faults and virtual instruction). The guest kernel ran natively "
		  "or in VS-mode, not deprivileged: lab01's VMM runs it in U-mode and emulates what traps "
		  "(trap-and-emulate, vmm/README.md).",
		  what, e.privileged, e.priv_cause, e.priv_epc);
	cr_assert(e.guest_ecalls + ECALL_SLACK >= native.guest_ecalls,
		  "%s: the guest makes %lu SBI calls (ecalls) natively, but QEMU's trap log shows only "
		  "%lu ecalls from U-mode (cause 8) at guest addresses under the VMM: the guest did not "
		  "run to its end deprivileged under the VMM (every guest ecall must reach the VMM from "
		  "U-mode: vcpu_ecall). Last lines of the console:\n%s",
		  what, native.guest_ecalls, e.guest_ecalls, qemu_tail(vm, 10));
	cr_assert(e.wrong_tval == 0,
		  "%s: QEMU logged an illegal instruction at witness slot %#llx with tval %#llx, not "
		  "the slot's instruction %#x: the guest's code was changed",
		  what, e.wrong_epc, e.wrong_tv, KIT_WITNESS_INSN);
	if (strcmp(e.path, want) != 0) {
		unsigned i = 0;
		while (e.path[i] && e.path[i] == want[i])
			i++;
		char name[96];
		nth_check(nout, i / KIT_WITNESS_PER_CHECK, name, sizeof name);
		cr_assert_fail("%s: the witness path QEMU saw the guest take in U-mode differs from the "
			       "native run's (the hardware's) from slot %u on, i.e. from check %s: the "
			       "values the guest observed there under the VMM are not the hardware's "
			       "(whatever the console says).\n  native: %u slots %s\n  VMM:    %u slots "
			       "%s\n%sWhere to look: %s.",
			       what, i, name, want_len, want[0] ? want : "-", e.len, e.len ? e.path : "-",
			       e.len == 0 ? "QEMU logged no witness slot at all: the guest's checks never ran "
					    "deprivileged under the VMM.\n" : "",
			       hint);
	}
}

#endif
