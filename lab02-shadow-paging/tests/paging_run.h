/*
 * paging_run.h: one group of a kit paging guest (guest/paging,
 * guest/hostile_paging) natively on OpenSBI (the reference: QEMU 7.2's
 * own MMU) or under lab02's VMM, shadow or nested, every line checked,
 * for the QEMU tests qemu_paging.c and qemu_hostile_paging.c.
 *
 * Each run gets a fresh random token; the guest prints "KIT CHECK <name>
 * ok <digest>" and the test recomputes every digest from its token and
 * the values the spec requires (the guest's checks.h, kitcheck.h). Under
 * the VMM the console is the VMM's to write, so the verdict also rests on
 * QEMU's own trap log (common/test/witness.h): the guest kernel ran
 * deprivileged (its CSR instructions trap: no S or VS-mode trap at guest
 * addresses), printed its output itself, and took the witness path of a
 * guest that observed the values checks.h requires. In nested mode
 * (build/lab02/vmm-nested.bin) the guest kernel runs in VS-mode: the same
 * checks, and the trap log must show what only VS-mode gives (witness.h's
 * vs_assert): its SBI calls are ecalls from VS (cause 10), none of its CSR
 * instructions traps, its UART stores are guest-page faults.
 */
#ifndef LAB02_PAGING_RUN_H
#define LAB02_PAGING_RUN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "kitcheck.h"
#include "qemu.h"
#include "witness.h"

#define PAGING_RUN_MS 30000
#define PAGING_NESTED_VMM "build/lab02/vmm-nested.bin"

enum paging_mode { PAGING_NATIVE, PAGING_SHADOW, PAGING_NESTED };

/* Where to look in the nested VMM when a group fails under it. */
static const char paging_nested_hint[] =
	"the nested run loop and its G-stage: lab02-shadow-paging/vmm/run_vs.c (VS CSRs "
	"saved and loaded, hedeleg/hideleg), gstage.c (Sv39x4 table of guest RAM), vs_exit.c "
	"(SBI ecalls from VS, guest-page faults to devices, virtual instructions)";

struct paging_guest {
	const char *image;			/* build/lab02/guest/<name>.bin */
	const struct kit_check_spec *checks;	/* its checks.h */
	size_t nchecks;
	const char *(*hint)(const char *group);	/* where to look in the VMM */
	unsigned long long thr_va;		/* its virtual UART THR (0: none) */
	/* more of the console to check (NULL: none): lines the guest prints
	 * besides its checks; appends to msg, returns how many were wrong */
	unsigned (*extra)(const char *group, const char *token, const char *out, unsigned *lines,
			  char *msg, size_t size);
	/* another lab's guest or VMMs (NULL: lab02's): its lab (build/<lab>/vmm.bin),
	 * its nested VMM, and QEMU arguments of its native runs (NULL: none) */
	const char *lab, *nested_vmm;
	const char *const *native_extra;
	unsigned long ecall_bytes;	/* console bytes per guest ecall (0: 1, SBI putchar) */
	/* a line of a native run that means the firmware, not the guest, went
	 * wrong (NULL: none): that run is run once more (native runs only:
	 * under a VMM every line is the VMM's to forge) */
	const char *native_rerun_line;
};

/* Where to look in the VMM when a group fails: one row per group. */
struct group_hint {
	const char *group, *hint;
};

/* The row of table[0..n-1] for group, or dflt. */
static inline const char *group_hint(const struct group_hint *table, size_t n, const char *group,
				     const char *dflt)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i].group, group) == 0)
			return table[i].hint;
	return dflt;
}
#define GROUP_HINT(table, group, dflt) group_hint((table), sizeof (table) / sizeof (table)[0], (group), (dflt))

static struct qemu *paging_q;
static void paging_stop(void)
{
	qemu_stop(paging_q);
	paging_q = NULL;
}

static const struct paging_guest *paging_cur;
/* the last nested run's trap-log evidence (vs_assert) */
static struct vs_evidence paging_vs;

/* checks.h's values of a check (witness.h's spec model), -1 if unknown. */
static int paging_want(const char *token, const char *name, uint64_t *vals)
{
	(void)token;
	return witness_want(paging_cur->checks, paging_cur->nchecks, name, vals);
}

/* CSR instructions (SYSTEM, funct3 != 0: Zicsr 9.1) trapping at guest code */
static void count_guest_csr_traps(const struct qemu_trap *t, void *arg)
{
	if (!t->async && t->cause == CAUSE_ILLEGAL_INSTRUCTION && in_guest(t->epc) &&
	    (t->tval & 0x7f) == 0x73 && ((t->tval >> 12) & 7) != 0)
		++*(long *)arg;
}

/*
 * Boot guest g natively or under lab02's VMM, run `group`, check every
 * line; returns the console (valid until paging_stop) for more checks.
 */
static const char *run_paging_group(const struct paging_guest *g, const char *group, enum paging_mode mode)
{
	bool native = mode == PAGING_NATIVE;
	const char *where = native ? "the guest itself (it runs natively, without the VMM)" :
			    mode == PAGING_NESTED ? paging_nested_hint : g->hint(group);
	char token[KIT_TOKEN_LEN + 1], append[160];
	kit_token(token);
	snprintf(append, sizeof append, "kit.token=%s kit.only=%s", token, group);
	struct qemu_opts o = { .kernel = kit_path(g->image), .append = append,
			       .extra = native ? g->native_extra : NULL };
	if (!native) {
		qemu_lab_opts(&o, g->lab ? g->lab : "lab02", kit_path(g->image), append);
		if (mode == PAGING_NESTED)
			o.kernel = kit_path(g->nested_vmm ? g->nested_vmm : PAGING_NESTED_VMM);
		o.trap_log = true;
	}
	char done_got[64] = "";
	int done;
	for (int run = 0;; run++) {
		paging_q = access(kit_path(g->image), R_OK) == 0 && access(o.kernel, R_OK) == 0 ? qemu_start(&o)
												   : NULL;
		cr_assert_not_null(paging_q, "could not start QEMU (make %s-build %s): %s",
				   g->lab ? g->lab : "lab02", g->image, qemu_error());
		done = qemu_expect_line(paging_q, "KIT DONE ", PAGING_RUN_MS, done_got, sizeof done_got);
		if (!native || !g->native_rerun_line || run > 0 ||
		    !strstr(qemu_output(paging_q), g->native_rerun_line))
			break;
		fprintf(stderr, "group %s natively: '%s': the firmware's fault, once more\n", group,
			g->native_rerun_line);
		paging_stop();
	}
	struct qemu *q = paging_q;
	const char *out = qemu_output(q);
	static char msg[8192];
	msg[0] = '\0';
	unsigned want_checks = 0, other = 0;
	unsigned bad = kit_expect_checks(out, token, g->checks, g->nchecks, group, &want_checks,
					 msg, sizeof msg);
	if (g->extra) {
		size_t used = strlen(msg);
		bad += g->extra(group, token, out, &other, msg + used, sizeof msg - used);
	}
	cr_assert(want_checks > 0, "checks.h has no check for group %s", group);
	cr_assert(bad == 0 && done == 0,
		  "group %s: %u of %u expected lines did not appear%s\n%sWhere to look: %s.\n"
		  "Last lines of the console:\n%s",
		  group, bad, want_checks + other, done == 0 ? "" : " and the guest never printed KIT DONE",
		  msg, where, qemu_tail(q, 15));
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
		return out;
	/* QEMU's evidence first: the console's KIT EXITS is the VMM's */
	char what[64];
	snprintf(what, sizeof what, "group %s", group);
	witness_thr_va = g->thr_va;
	witness_ecall_bytes = g->ecall_bytes ? g->ecall_bytes : 1;
	if (mode == PAGING_NESTED) {
		/* group h_ext's H instructions trap in VS-mode (virtual
		 * instruction, 22) and QEMU 7.2 logs them with a stale tval,
		 * an earlier CSR instruction's bits: the log cannot tell them
		 * from CSR traps there */
		vs_assert(q, what, witness_base(g->image), strcmp(group, "h_ext") != 0, &paging_vs);
		kit_assert_exits(out);
		return out;
	}
	paging_cur = g;
	witness_assert(q, g->image, token, paging_want, what, g->hint(group));
	long csr = 0;
	cr_assert(qemu_traps(q, count_guest_csr_traps, &csr) >= 0, "%s", qemu_error());
	cr_assert(csr >= 2L * want_checks,
		  "group %s: QEMU's trap log shows %ld CSR instructions of the guest kernel trapping, "
		  "expected at least %u (2 witness slots per check, each a csrrs): the guest kernel "
		  "did not run deprivileged", group, csr, 2 * want_checks);
	kit_assert_exits(out);
	return out;
}

#endif
