/*
 * qemu_hostile.c: the hostile guest (guest/hostile) under the lab01 VMM.
 * Whatever the guest does (random instruction words, every CSR number,
 * accesses outside its RAM and at the VMM's addresses, misaligned
 * accesses, jumps into garbage, sret to the VMM's addresses, SBI calls
 * with garbage IDs), the VMM must stay up, deliver the
 * architecturally correct exception, and never show the guest its own
 * memory; the guest's SRST shutdown at the end proves the VMM survived.
 *
 * Verdict lines carry digests of a per-run random token (kitcheck.h); the
 * random instructions' outcomes are also compared with a native run on
 * OpenSBI of the same guest and token: the hardware is the reference.
 * The VMM writes the console, so every VMM run is also checked against
 * QEMU's own trap log (witness.h): the guest ran deprivileged, printed its
 * output itself and took the witness path of the spec's values (for the
 * random words, the native run's path).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "kitcheck.h"
#include "qemu.h"
#include "witness.h"
#include "../guest/hostile/checks.h"

#define HOSTILE "build/lab01/guest/hostile.bin"
#define RUN_MS 40000

/*
 * lab02's lab.mk builds this file again with -DKIT_NESTED: the same guest
 * under lab02's nested VMM (build/lab02/tests/qemu_hostile_nested, suite
 * hostile_nested), the guest kernel in VS-mode. The checks are the same;
 * QEMU's trap log must then show VS-mode (ecalls from VS, witness slots
 * that never trap) instead of the witness path, which only a deprivileged
 * (U-mode) kernel leaves.
 */
#ifdef KIT_NESTED
#define KIT_VMM "build/lab02/vmm-nested.bin"
#define KIT_SUITE hostile_nested
#define KIT_VMM_HINT "lab02-shadow-paging/vmm/vs_exit.c (guest-page faults: a device or an " \
	"access fault with stval = the guest's address; virtual instructions: illegal " \
	"instruction with the bits), run_vs.c (hedeleg: the guest's own exceptions " \
	"delivered by the hart), gstage.c (guest RAM only). In lab01 terms: "
#else
#define KIT_VMM "build/lab01/vmm.bin"
#define KIT_SUITE hostile
#define KIT_VMM_HINT ""
#endif

static struct qemu *q, *qn;
static void stop(void)
{
	qemu_stop(q);
	qemu_stop(qn);
	q = qn = NULL;
}
TestSuite(KIT_SUITE, .fini = stop, .timeout = 120);

static const char *hint(const char *group)
{
	if (strcmp(group, "random") == 0)
		return "vcpu_emulate_insn must turn any instruction it does not know into an "
		       "illegal-instruction exception for the guest (stval = 0 or the "
		       "instruction), and vcpu_inject_exception must reflect the other traps "
		       "with the hardware's scause/stval";
	if (strcmp(group, "csrs") == 0)
		return "vcpu_csr_read/vcpu_csr_write must return -1 (then inject illegal "
		       "instruction) for M-level CSRs, writes to read-only CSRs (0xC00-0xFFF), "
		       "unknown CSRs, and float CSRs while the guest's sstatus.FS is Off";
	if (strcmp(group, "escape") == 0)
		return "vcpu_sret must return to sepc whatever it holds (the fetch there then "
		       "faults: cause 1, sepc = stval = the target, through the page-fault exit "
		       "in exit.c); vmm_sbi_call must answer unknown EIDs/FIDs with "
		       "SBI_ERR_NOT_SUPPORTED and SRST's reserved types and reasons with "
		       "SBI_ERR_INVALID_PARAM; with no input the legacy getchar returns -1 and "
		       "uart_read gives LSR.DR = 0, without waiting";
	if (strcmp(group, "memory") == 0)
		return "vcpu_mmio / the guest page-fault path must give the guest an access "
		       "fault (cause 1 fetch, 5 load, 7 store, stval = the address) for "
		       "anything that is not its RAM or its UART, VMM addresses included";
	return "the VMM must keep its own code and data out of the guest's address space "
	       "(vmm_map.c: map only guest RAM with PTE_U)";
}

static void start(struct qemu **qp, bool native, const char *append)
{
	struct qemu_opts o = { .kernel = kit_path(HOSTILE), .append = append };
	if (!native) {
		qemu_lab_opts(&o, "lab01", kit_path(HOSTILE), append);
		o.kernel = kit_path(KIT_VMM);
		o.trap_log = true;
		cr_assert(access(o.kernel, R_OK) == 0, "no %s: build it with 'make lab01-build "
			  "lab02-build'", o.kernel);
	}
	*qp = qemu_start(&o);
	cr_assert_not_null(*qp, "could not start QEMU: %s", qemu_error());
}

#ifdef KIT_NESTED
/* After check_group(q, ...) (QEMU exited): the guest ran in VS-mode and
 * printed its output itself (witness.h); group csrs tries every CSR. */
static void check_evidence(const char *group, const char *token)
{
	char what[64];
	(void)token;
	snprintf(what, sizeof what, "hostile group %s", group);
	vs_assert(q, what, witness_base(HOSTILE), strcmp(group, "csrs") != 0, NULL);
}
#else
/* hostile/checks.h's values of a check (witness.h's spec model). */
static int hostile_want(const char *token, const char *name, uint64_t *vals)
{
	(void)token;
	return witness_want(hostile_checks, HOSTILE_NCHECKS, name, vals);
}

/* After check_group(q, ...) (QEMU exited): QEMU's trap log (witness.h). */
static void check_evidence(const char *group, const char *token)
{
	char what[64];
	snprintf(what, sizeof what, "hostile group %s", group);
	witness_assert(q, HOSTILE, token, hostile_want, what, hint(group));
}
#endif

/* The line starting with prefix (copied into line), or false. */
static bool find_line(const char *out, const char *prefix, char *line, size_t size)
{
	for (const char *p = out; (p = strstr(p, prefix)) != NULL; p++) {
		if (p == out || p[-1] == '\n') {
			size_t len = strcspn(p, "\n");
			snprintf(line, size, "%.*s", (int)(len < size ? len : size - 1), p);
			return true;
		}
	}
	return false;
}

/* Check every line the group must print, that the guest got to KIT DONE,
 * and (under the VMM) that the VMM powered the machine off cleanly. */
static void check_group(struct qemu *qq, const char *token, const char *group, bool native)
{
	char done[64] = "";
	int r = qemu_expect_line(qq, "KIT DONE ", RUN_MS, done, sizeof done);
	const char *out = qemu_output(qq);
	static char msg[8192];
	msg[0] = '\0';
	unsigned n = 0, bad = 0;
	for (size_t i = 0; i < HOSTILE_NCHECKS; i++) {
		const struct kit_check_spec *c = &hostile_checks[i];
		if (group[0] && strcmp(c->group, group) != 0)
			continue;
		n++;
		char want[128], prefix[96], got[256];
		snprintf(want, sizeof want, "KIT CHECK %s ok %016llx\n", c->name,
			 (unsigned long long)kit_check_digest(token, c->name, c->want, c->n));
		if (strstr(out, want))
			continue;
		bad++;
		size_t used = strlen(msg);
		snprintf(prefix, sizeof prefix, "KIT CHECK %s ", c->name);
		if (find_line(out, prefix, got, sizeof got))
			snprintf(msg + used, sizeof msg - used, "  %s: the guest said '%s'\n",
				 c->name, got);
		else
			snprintf(msg + used, sizeof msg - used,
				 "  %s: never printed (guest or VMM stopped before it)\n", c->name);
	}
	char notes[1024] = "";
	for (const char *p = out; (p = strstr(p, "KIT NOTE ")) != NULL; p++) {
		size_t len = strcspn(p, "\n"), used = strlen(notes);
		if (used + len + 4 < sizeof notes)
			snprintf(notes + used, sizeof notes - used, "  %.*s\n", (int)len, p);
	}
	/* random_outcomes is printed too (values free: compared across runs) */
	unsigned lines = n + (group[0] == '\0' || strcmp(group, "random") == 0);
	char want_done[48];
	snprintf(want_done, sizeof want_done, "KIT DONE %u 0", lines);
	cr_assert(bad == 0 && r == 0 && strcmp(done, want_done) == 0,
		  "hostile group %s (%s): %u of %u checks did not pass; expected '%s', got "
		  "'%s'\n%sThe guest's notes (first violations):\n%s"
		  "Where to look: %s%s.\nLast lines of the console:\n%s",
		  group[0] ? group : "(all)", native ? "natively" : "under the VMM", bad, n,
		  want_done, r == 0 ? done : "no KIT DONE line", msg, notes,
		  native ? "the hostile guest itself (no VMM in this run)" : KIT_VMM_HINT, native ? "" : hint(group),
		  qemu_tail(qq, 12));
	if (!native) {
		/* the guest's ecalls reached a VMM: it ran deprivileged */
		char ex[64] = "";
		find_line(out, "KIT EXITS ", ex, sizeof ex);
		cr_assert(strtoul(ex + (ex[0] ? 10 : 0), NULL, 10) > 0,
			  "expected 'KIT EXITS <n>' with n > 0 (kit SBI extension 0x084B4954), "
			  "got '%s': the guest's SBI calls did not reach the VMM; the guest "
			  "must run deprivileged under it (vcpu_ecall, vmm_sbi_call)", ex);
	}
	int status = -1;
	r = qemu_wait_exit(qq, 15000, &status);
	cr_assert(r == 0 && status == 0,
		  "after the hostile guest's SRST shutdown QEMU should exit with status 0; "
		  "%s: the %s did not survive the hostile guest.\n%s",
		  r == 0 ? "it exited with another status" : "it still runs 15 s later",
		  native ? "machine" : "VMM", qemu_tail(qq, 12));
}

static void run_group(const char *group)
{
	char token[KIT_TOKEN_LEN + 1], append[128];
	kit_token(token);
	snprintf(append, sizeof append, "kit.token=%s kit.only=%s", token, group);
	start(&q, false, append);
	check_group(q, token, group, false);
	check_evidence(group, token);
}

KIT_TEST_IN(KIT_SUITE, random_insns, .description =
	 "random instruction words in the guest get the same trap as on the hardware, "
	 "and the VMM stays up")
{
	char token[KIT_TOKEN_LEN + 1], append[128];
	kit_token(token);
	snprintf(append, sizeof append, "kit.token=%s kit.only=random", token);
	start(&q, false, append);
	start(&qn, true, append);
	check_group(q, token, "random", false);
	char vm[128] = "", nat[128] = "";
	find_line(qemu_output(q), "KIT CHECK random_outcomes ", vm, sizeof vm);
	cr_assert_eq(qemu_expect_line(qn, "KIT CHECK random_outcomes ", RUN_MS, nat, sizeof nat), 0,
		     "the native run of the hostile guest printed no random_outcomes line:\n%s",
		     qemu_tail(qn, 10));
	cr_assert(strcmp(vm, nat) == 0,
		  "the %d random instructions ended differently under the VMM than on the "
		  "hardware (same token, same words):\n  native: %s\n  VMM:    %s\n"
		  "Some trap (scause or stval) differs from what the hart gives a real S-mode "
		  "kernel. Where to look: %s.", HOSTILE_N32 + HOSTILE_N16, nat, vm, hint("random"));
	/* random_outcomes' value only the hardware knows: the native path */
	int st;
	cr_assert(qemu_expect(qn, "KIT DONE ", RUN_MS) == 0 && qemu_wait_exit(qn, 15000, &st) == 0,
		  "the native run of the hostile guest did not finish:\n%s", qemu_tail(qn, 10));
#ifdef KIT_NESTED
	check_evidence("random", NULL);
#else
	witness_assert_native(q, qn, HOSTILE, "hostile group random", hint("random"));
#endif
}

KIT_TEST_IN(KIT_SUITE, every_csr, .description =
	 "reading and writing every CSR number from the guest gives the spec's result or "
	 "an illegal instruction, never a VMM crash")
{
	run_group("csrs");
}

KIT_TEST_IN(KIT_SUITE, bad_addresses, .description =
	 "loads, stores and jumps outside guest RAM, at VMM addresses, misaligned or into "
	 "garbage raise the architecturally correct exception in the guest")
{
	run_group("memory");
}

KIT_TEST_IN(KIT_SUITE, escape_attempts, .description =
	 "sret to VMM addresses faults at the target, SBI calls with reserved or unknown IDs "
	 "get the spec's errors, and an empty console never blocks")
{
	run_group("escape");
}

/* 16 printable bytes of vmm.bin at an 8-aligned offset (a string of the
 * VMM's), found nowhere in the hostile guest: the guest looks for them. */
static bool vmm_pattern(char hex[33])
{
	size_t nv = 0, ng = 0;
	FILE *f = fopen(kit_path(KIT_VMM), "rb");
	FILE *g = fopen(kit_path(HOSTILE), "rb");
	static unsigned char vmm[4 << 20], guest[4 << 20];
	if (f) {
		nv = fread(vmm, 1, sizeof vmm, f);
		fclose(f);
	}
	if (g) {
		ng = fread(guest, 1, sizeof guest, g);
		fclose(g);
	}
	size_t cand[4096], nc = 0;
	for (size_t o = 0; o + 16 <= nv && nc < 4096; o += 8) {
		bool ok = true, varied = false;
		for (int i = 0; i < 16 && ok; i++) {
			ok = vmm[o + i] >= 0x20 && vmm[o + i] < 0x7f;
			varied |= vmm[o + i] != vmm[o];
		}
		if (ok && varied && memmem(guest, ng, vmm + o, 16) == NULL)
			cand[nc++] = o;
	}
	if (nc == 0)
		return false;
	char t[KIT_TOKEN_LEN + 1];
	kit_token(t);
	size_t o = cand[strtoull(t, NULL, 16) % nc];
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", vmm[o + i]);
	return true;
}

KIT_TEST_IN(KIT_SUITE, vmm_memory_hidden, .description =
	 "no byte of the VMM's image can be found anywhere in guest RAM")
{
	char token[KIT_TOKEN_LEN + 1], append[160], hex[33];
	cr_assert(vmm_pattern(hex),
		  KIT_VMM " is missing or has no 16-byte string to look for: "
		  "build it with 'make lab01-build lab02-build'");
	kit_token(token);
	snprintf(append, sizeof append, "kit.token=%s kit.only=scan kit.probe=%s", token, hex);
	start(&q, false, append);
	check_group(q, token, "scan", false);
	check_evidence("scan", token);
}

#ifndef KIT_NESTED	/* lab01's binary has it */
KIT_TEST_IN(KIT_SUITE, native_hostile, .description =
	 "the hostile guest passes all its checks natively on OpenSBI (validates the guest)")
{
	char token[KIT_TOKEN_LEN + 1], append[160], hex[33];
	kit_token(token);
	/* natively there is no VMM to find: any 16 bytes will do */
	kit_token(hex);
	kit_token(hex + 16);
	snprintf(append, sizeof append, "kit.token=%s kit.probe=%s", token, hex);
	start(&qn, true, append);
	check_group(qn, token, "", true);
}
#endif
