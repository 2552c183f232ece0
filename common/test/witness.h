/*
 * witness.h: evidence from outside the guest for the QEMU tests of the
 * kit's guests (lab01's qemu_guest.c and qemu_hostile.c, lab02's
 * qemu_paging.c; the design is in lab01-trap-emulate/guest/README.md,
 * "Verdicts the VMM cannot forge"), and the console helpers they share.
 *
 * The VMM is the student's code: it sees the guest's RAM (token, device
 * tree, code) and writes every byte of the console, so no line the guest
 * prints proves anything. What it cannot write is QEMU's own trap log
 * (qemu_opts.trap_log, -d int): every trap the hart takes, with cause, epc
 * and tval, from QEMU's code. Each test requires of the VMM run's log:
 *
 * 1. no trap that only a guest running in S or VS-mode causes (ecall from
 *    S or VS, virtual instruction, guest-page faults) at a guest address;
 * 2. the guest's output came from the guest in U-mode: every byte of the
 *    console that is not the VMM's own ("vmm: " lines) or the firmware's
 *    (before the VMM's "vmm: guest image" line) is one SBI putchar, an
 *    ecall from U (cause 8) at a guest address, or one store to the UART's
 *    THR from a guest address (a store page fault at 0x10000000);
 * 3. the witness path: the witness slots QEMU saw the guest execute in
 *    U-mode (illegal instruction, tval = the slot's bits), in order, equal
 *    the path a guest that observed the spec's values takes: computed here
 *    from the token and checks.h (the spec model, which the native_* tests
 *    validate on the hardware), or for checks whose values only the
 *    hardware knows (the hostile guest's random_outcomes) taken from a
 *    native run of the same bootargs (witness_assert_native). A guest that
 *    saw other values takes other slots; a VMM that prints verdicts
 *    without running the guest deprivileged leaves no slot at all.
 *
 * The slots' address comes from the guest image itself (the 16-slot
 * pattern found in the .bin the VMM loads at 0x80200000), not from the
 * console. lab02's Linux init has a witness path of its own, in user mode
 * (lab02-shadow-paging/tests/linux_witness.h, on these helpers).
 */
#ifndef KIT_TEST_WITNESS_H
#define KIT_TEST_WITNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "kitcheck.h"
#include "ns16550.h"
#include "qemu.h"
#include "riscv.h"
#include "virt.h"

/* Where a guest's code runs: its image at VIRT_PAYLOAD_BASE up to the end
 * of guest RAM (vmm/README.md; natively the same addresses). */
#define GUEST_CODE_END 0x88000000ULL


/* The NS16550A's THR (QEMU virt, reg-shift 0) */
#define UART_THR_GPA ((unsigned long long)VIRT_UART0_BASE + UART_THR)
/* Where else a guest maps the UART (a guest with its own page tables,
 * lab02's paging guest: the virtual address of its THR), 0 = nowhere:
 * its stores there count as THR stores too. */
static unsigned long long witness_thr_va;
/* Console bytes one guest ecall may carry: 1 (SBI putchar); lab03's PV
 * guest writes a buffer per call (CONSOLE_WRITE, PV_CONSOLE_MAX bytes). */
static unsigned long witness_ecall_bytes = 1;
/* Lines that came through another console device than the UART and SBI
 * (lab03's virtio console: its driver hands whole buffers to the VMM, no
 * trap per byte), NULL = none: guest_console_bytes skips lines that
 * start with it. */
static const char *witness_other_console;

struct evidence {
	unsigned long long base;          /* witness slots */
	char path[KIT_WITNESS_MAX + 1];   /* slots taken, one hex digit each */
	unsigned len;
	unsigned long wrong_tval;         /* witness traps that are not the slot's bits */
	unsigned long long wrong_epc, wrong_tv;
	unsigned long privileged;         /* traps only S/VS guest code causes */
	unsigned long long priv_cause, priv_epc;
	unsigned long guest_ecalls;       /* cause 8 at guest addresses */
	unsigned long thr_stores;         /* store page faults at the THR from guest code */
};

static inline bool in_guest(unsigned long long a)
{
	return a >= VIRT_PAYLOAD_BASE && a < GUEST_CODE_END;
}

static inline void evidence_trap(const struct qemu_trap *t, void *arg)
{
	struct evidence *e = arg;
	if (t->async || !in_guest(t->epc))
		return;
	switch (t->cause) {
	case CAUSE_USER_ECALL:
		e->guest_ecalls++;
		return;
	case CAUSE_STORE_PAGE_FAULT:
		e->thr_stores += t->tval == UART_THR_GPA || (witness_thr_va && t->tval == witness_thr_va);
		return;
	case CAUSE_SUPERVISOR_ECALL:
	case CAUSE_VIRTUAL_SUPERVISOR_ECALL:
	case CAUSE_FETCH_GUEST_PAGE_FAULT:
	case CAUSE_LOAD_GUEST_PAGE_FAULT:
	case CAUSE_VIRTUAL_INSTRUCTION:
	case CAUSE_STORE_GUEST_PAGE_FAULT:
		if (e->privileged++ == 0) {
			e->priv_cause = t->cause;
			e->priv_epc = t->epc;
		}
		return;
	case CAUSE_ILLEGAL_INSTRUCTION:
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

/*
 * The image (kit path) read whole into a buffer of its own (*size bytes,
 * *img), and the one place in it of 16 witness slots of instruction insn,
 * each followed by jalr x0, 0(ra), as a guest's code holds them
 * (little-endian): its offset. what_to_build names the make target.
 */
static inline size_t witness_find_slots(const char *image, uint32_t insn, const char *what_to_build,
					const unsigned char **img, size_t *size)
{
	static unsigned char buf[8 << 20];
	FILE *f = fopen(kit_path(image), "rb");
	cr_assert_not_null(f, "cannot read %s: build it (%s)", image, what_to_build);
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	unsigned char pat[KIT_WITNESS_SLOTS * KIT_WITNESS_SLOT_SIZE];
	for (unsigned i = 0; i < KIT_WITNESS_SLOTS; i++) {
		const uint32_t w[2] = { insn, 0x00008067u /* jalr x0, 0(ra) */ };
		for (unsigned k = 0; k < KIT_WITNESS_SLOT_SIZE; k++)
			pat[i * KIT_WITNESS_SLOT_SIZE + k] = (unsigned char)(w[k / 4] >> (8 * (k % 4)));
	}
	const unsigned char *m = memmem(buf, n, pat, sizeof pat);
	cr_assert_not_null(m, "%s holds no witness slots: rebuild it (%s)", image, what_to_build);
	cr_assert_null(memmem(m + 1, n - (size_t)(m + 1 - buf), pat, sizeof pat),
		       "%s holds the witness slots twice: the host cannot tell which ran", image);
	*img = buf;
	*size = n;
	return (size_t)(m - buf);
}

/* The witness slots' address in the guest image (kit path): the only
 * place of the 16-slot pattern (common/guest/witness.S) in the raw .bin. */
static inline unsigned long long witness_base(const char *image)
{
	const unsigned char *img;
	size_t n;
	size_t at = witness_find_slots(image, KIT_WITNESS_INSN, "make lab01-build, make lab02-build", &img, &n);
	return VIRT_PAYLOAD_BASE + (unsigned long long)at;
}

/* The line of output that starts with `prefix`, copied into line. */
static inline bool kit_find_line(const char *out, const char *prefix, char *line, size_t size)
{
	const char *p = out;
	size_t n = strlen(prefix);
	while ((p = strstr(p, prefix)) != NULL) {
		if (p == out || p[-1] == '\n') {
			size_t len = strcspn(p, "\n");
			snprintf(line, size, "%.*s", (int)(len < size ? len : size - 1), p);
			return true;
		}
		p += n;
	}
	return false;
}

/* Append to msg why check `name` did not print its expected line. */
static inline void kit_explain_check(const char *out, const char *name, char *msg, size_t size)
{
	char prefix[96], line[256], note[256];
	size_t used = strlen(msg);
	snprintf(prefix, sizeof prefix, "KIT CHECK %s ", name);
	if (kit_find_line(out, prefix, line, sizeof line)) {
		snprintf(prefix, sizeof prefix, "KIT NOTE %s:", name);
		bool has_note = kit_find_line(out, prefix, note, sizeof note);
		if (strstr(line, " FAIL "))
			snprintf(msg + used, size - used, "  %s: the guest said '%s'%s%s%s\n", name,
				 line, has_note ? " (" : "", has_note ? note : "", has_note ? ")" : "");
		else
			snprintf(msg + used, size - used,
				 "  %s: '%s' carries the wrong digest: the values or the token "
				 "(kit.token in the bootargs) did not reach the guest intact\n",
				 name, line);
	} else {
		snprintf(msg + used, size - used,
			 "  %s: never printed (the guest stopped or hung before it)\n", name);
	}
}

/*
 * Every row of table in group ("" = every group) must have its line
 * "KIT CHECK <name> ok <digest>" in out, the digest of the row's values
 * under token. Adds the rows to *rows; returns how many lines are
 * missing, each explained into msg.
 */
static inline unsigned kit_expect_checks(const char *out, const char *token,
					 const struct kit_check_spec *table, size_t count,
					 const char *group, unsigned *rows, char *msg, size_t size)
{
	unsigned bad = 0;
	for (size_t i = 0; i < count; i++) {
		const struct kit_check_spec *c = &table[i];
		if (group[0] && strcmp(c->group, group) != 0)
			continue;
		++*rows;
		char line[128];
		snprintf(line, sizeof line, KIT_CHECK_OK_FMT, c->name,
			 (unsigned long long)kit_check_digest(token, c->name, c->want, c->n));
		if (strstr(out, line) == NULL) {
			bad++;
			kit_explain_check(out, c->name, msg, size);
		}
	}
	return bad;
}

/*
 * Under the VMM the guest's ecalls must reach the VMM: the kit SBI
 * extension answers "KIT EXITS <n>" with n > 0. A "VMM" that just jumps
 * into the guest in S-mode would pass every behaviour check, but there
 * its ecalls go to OpenSBI, which prints n/a.
 */
static inline void kit_assert_exits(const char *out)
{
	char line[64] = "";
	kit_find_line(out, "KIT EXITS ", line, sizeof line);
	unsigned long n = strtoul(line + (line[0] ? 10 : 0), NULL, 10);
	cr_assert(n > 0,
		  "expected 'KIT EXITS <n>' with n > 0 (the VMM's exit count, from the kit "
		  "SBI extension 0x084B4954), got '%s': the guest's SBI calls did not reach "
		  "the VMM. The guest kernel must run deprivileged (U-mode) with every ecall "
		  "and trap going to the VMM (vcpu_ecall, vmm_sbi_call).", line);
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

/* Bytes of the console the guest printed: after the VMM's "vmm: guest
 * image" line, all but the VMM's own "vmm: " lines (and those of
 * witness_other_console, if set). */
static inline size_t guest_console_bytes(const char *out)
{
	const char *p = strstr(out, "vmm: guest image");
	size_t n = 0;
	while (p && *p) {
		size_t len = strcspn(p, "\n");
		if (strncmp(p, "vmm: ", 5) != 0 &&
		    !(witness_other_console && strncmp(p, witness_other_console, strlen(witness_other_console)) == 0))
			n += len + (p[len] == '\n');
		p += len + (p[len] == '\n');
	}
	return n;
}

/*
 * The checks of the VMM run vm (QEMU exited: its log is complete) against
 * want_path, the path a correct run takes; order_out is the console whose
 * n-th KIT CHECK line names the check of slots 2n and 2n + 1 (messages).
 */
static inline void witness_assert_path(struct qemu *vm, const char *image, const char *want,
				       const char *order_out, const char *what, const char *hint)
{
	struct evidence e = { .base = witness_base(image) };
	cr_assert(qemu_traps(vm, evidence_trap, &e) >= 0, "%s", qemu_error());
	e.path[e.len] = '\0';
	size_t bytes = guest_console_bytes(qemu_output(vm));

	cr_assert(e.privileged == 0,
		  "%s: QEMU's trap log shows %lu trap(s) that only guest code running in S or VS-mode "
		  "causes, the first cause %llu at guest address %#llx (9 = ecall from S, 10 = from VS, "
		  "20 to 23 = guest-page faults and virtual instruction). The guest kernel ran natively "
		  "or in VS-mode, not deprivileged: the kit's VMM runs it in U-mode and emulates what traps "
		  "(trap-and-emulate, lab01-trap-emulate/vmm/README.md).",
		  what, e.privileged, e.priv_cause, e.priv_epc);
	cr_assert(e.guest_ecalls * witness_ecall_bytes + e.thr_stores >= bytes,
		  "%s: the console shows %zu bytes from the guest, but QEMU's trap log shows only %lu "
		  "ecalls from U-mode (cause 8: SBI putchar, one per byte; a PV console write, "
		  "at most witness_ecall_bytes) and %lu stores to the UART's "
		  "THR from guest addresses: the text did not come from the guest running deprivileged "
		  "under the VMM (every guest ecall must reach the VMM from U-mode: vcpu_ecall; every "
		  "UART access must trap: vcpu_mmio). Last lines of the console:\n%s",
		  what, bytes, e.guest_ecalls, e.thr_stores, qemu_tail(vm, 10));
	cr_assert(e.wrong_tval == 0,
		  "%s: QEMU logged an illegal instruction at witness slot %#llx with tval %#llx, not "
		  "the slot's instruction %#x: the guest's code was changed",
		  what, e.wrong_epc, e.wrong_tv, KIT_WITNESS_INSN);
	if (strcmp(e.path, want) != 0) {
		unsigned i = 0;
		while (e.path[i] && e.path[i] == want[i])
			i++;
		char name[96];
		nth_check(order_out, i / KIT_WITNESS_PER_CHECK, name, sizeof name);
		cr_assert_fail("%s: the witness path QEMU saw the guest take in U-mode differs from the "
			       "path of a guest that observed the spec's values, from slot %u on, i.e. "
			       "from check %s: the values the guest observed there under the VMM are not "
			       "the hardware's (whatever the console says).\n  expected: %zu slots %s\n"
			       "  VMM run:  %u slots %s\n%sWhere to look: %s.",
			       what, i, name, strlen(want), want[0] ? want : "-", e.len, e.len ? e.path : "-",
			       e.len == 0 ? "QEMU logged no witness slot at all: the guest's checks never ran "
					    "deprivileged under the VMM.\n" : "",
			       hint);
	}
}

/*
 * The expected values of a check, by name: fills vals (KIT_CHECK_MAXV) and
 * returns how many, or -1 for a check the table does not know.
 */
typedef int (*witness_want_fn)(const char *token, const char *name, uint64_t *vals);

/* A witness_want_fn's answer from a checks.h table (kitcheck.h). */
static inline int witness_want(const struct kit_check_spec *table, size_t count, const char *name,
			       uint64_t *vals)
{
	const struct kit_check_spec *c = kit_check_find(table, count, name);
	if (!c)
		return -1;
	memcpy(vals, c->want, sizeof c->want);
	return (int)c->n;
}

/* The path from the spec model: each KIT CHECK line of the VMM run, in
 * order, with the values checks.h requires. */
/* The path of a correct run whose console is out: each KIT CHECK line, in
 * order, with the values wantfn gives; into want (KIT_WITNESS_MAX + 1), its length. */
static inline unsigned witness_path_of(const char *out, const char *token, witness_want_fn wantfn,
				       char *want, const char *what)
{
	unsigned len = 0;
	uint64_t h = kit_witness_start(token);
	for (const char *p = out; (p = strstr(p, "KIT CHECK ")) != NULL; p++) {
		if (p != out && p[-1] != '\n')
			continue;
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)strcspn(p + 10, " \n"), p + 10);
		uint64_t v[KIT_CHECK_MAXV];
		int n = wantfn(token, name, v);
		cr_assert(n >= 0, "%s: the console shows a check '%s' the guest does not have", what, name);
		h = kit_witness_fold(h, name, v, (size_t)n);
		for (unsigned i = 0; i < KIT_WITNESS_PER_CHECK && len < KIT_WITNESS_MAX; i++)
			want[len++] = "0123456789abcdef"[kit_witness_slot(h, i)];
	}
	want[len] = '\0';
	return len;
}

static inline void witness_assert(struct qemu *vm, const char *image, const char *token,
				  witness_want_fn wantfn, const char *what, const char *hint)
{
	const char *out = qemu_output(vm);
	char want[KIT_WITNESS_MAX + 1];
	witness_path_of(out, token, wantfn, want, what);
	witness_assert_path(vm, image, want, out, what, hint);
}

/* The path from a native run nat of the same bootargs (finished): for
 * checks whose values only the hardware knows. */
static inline void witness_assert_native(struct qemu *vm, struct qemu *nat, const char *image,
					 const char *what, const char *hint)
{
	const char *nout = qemu_output(nat);
	const char *p = strstr(nout, "KIT PATH ");
	char want[KIT_WITNESS_MAX + 1] = "";
	unsigned want_len = 0;
	cr_assert(p && sscanf(p, "KIT PATH %u %512s", &want_len, want) == 2,
		  "%s: the native run (the guest alone on OpenSBI, the reference) printed no "
		  "'KIT PATH' line: the kit's guest is broken, not your VMM:\n%s", what, qemu_tail(nat, 10));
	if (want_len == 0)
		want[0] = '\0';
	witness_assert_path(vm, image, want, nout, what, hint);
}

/*
 * lab02's nested mode: the guest kernel in VS-mode, where none of the
 * above traps (its CSR instructions, the witness slots' included, run on
 * the hardware's VS CSRs), so there is no witness path to read. What
 * QEMU's log shows instead, and only for a guest in VS-mode: its SBI calls
 * are ecalls from VS (cause 10; 8 from U, 9 from S), its device accesses
 * guest-page faults (20, 21, 23; page faults in U-mode trap-and-emulate).
 */
struct vs_evidence {
	unsigned long long slots; /* the witness slots (witness_base), 0 = none */
	unsigned long vs_ecalls;  /* cause 10 at guest code: SBI calls from VS */
	unsigned long s_ecalls;   /* cause 9 at guest code: it ran in S-mode */
	unsigned long csr_traps;  /* CSR instructions of guest code trapping (2 or 22) */
	unsigned long slot_traps; /* witness slots trapping: it ran in U-mode */
	unsigned long uart_pf;    /* page faults at the UART: U-mode trap-and-emulate */
	unsigned long gpf;        /* guest-page faults at guest code */
	unsigned long thr_stores; /* store guest-page faults at the THR (UART_THR_GPA, witness_thr_va) */
};

/* Guest code: its image in RAM, or the Sv39 upper half (the VMM's own
 * code sits at Sv48 addresses below it: lab01's vmm_map.h). */
static inline bool vs_guest_epc(unsigned long long epc)
{
	return in_guest(epc) || epc >= 0xffffffc000000000ULL;
}

static inline bool is_thr(unsigned long long a)
{
	return a == UART_THR_GPA || (witness_thr_va && a == witness_thr_va);
}

static inline void vs_evidence_trap(const struct qemu_trap *t, void *arg)
{
	struct vs_evidence *e = arg;
	if (t->async || !vs_guest_epc(t->epc))
		return;
	/* Zicsr (unpriv 9.1): SYSTEM with funct3 1-3, 5-7; 4 is the H
	 * extension's HLV/HSV (priv 1.12, 8.3.1), which trap in VS-mode */
	unsigned f3 = (t->tval >> 12) & 7;
	bool csr = (t->tval & 0x7f) == 0x73 && f3 != 0 && f3 != 4;
	switch (t->cause) {
	case CAUSE_VIRTUAL_SUPERVISOR_ECALL:
		e->vs_ecalls++;
		break;
	case CAUSE_SUPERVISOR_ECALL:
		e->s_ecalls++;
		break;
	case CAUSE_ILLEGAL_INSTRUCTION:
	case CAUSE_VIRTUAL_INSTRUCTION:
		e->csr_traps += csr;
		e->slot_traps += e->slots && t->epc >= e->slots &&
				 t->epc - e->slots < (unsigned long long)KIT_WITNESS_SLOTS * KIT_WITNESS_SLOT_SIZE;
		break;
	case CAUSE_LOAD_PAGE_FAULT:
	case CAUSE_STORE_PAGE_FAULT:
		e->uart_pf += is_thr(t->tval);
		break;
	case CAUSE_STORE_GUEST_PAGE_FAULT:
		e->thr_stores += is_thr(t->tval);
		/* fall through */
	case CAUSE_FETCH_GUEST_PAGE_FAULT:
	case CAUSE_LOAD_GUEST_PAGE_FAULT:
		e->gpf++;
		break;
	}
}

/*
 * The nested run vm (QEMU exited) ran the guest kernel in VS-mode, and the
 * guest printed its console output itself; slots: the image's witness
 * slots (0: none); csr_free: none of its CSR instructions may trap (every
 * guest but one that tries every CSR number). Fills *out.
 */
static inline void vs_assert(struct qemu *vm, const char *what, unsigned long long slots,
			     bool csr_free, struct vs_evidence *out)
{
	struct vs_evidence e = { .slots = slots };
	cr_assert(qemu_traps(vm, vs_evidence_trap, &e) >= 0, "%s", qemu_error());
	size_t bytes = guest_console_bytes(qemu_output(vm));
	cr_assert(e.vs_ecalls > 0 && e.s_ecalls == 0 && e.slot_traps == 0 && e.uart_pf == 0,
		  "%s: QEMU's trap log shows %lu ecalls from VS-mode (cause 10), %lu from S-mode (9), "
		  "%lu witness slots (csrrs sscratch) and %lu UART accesses trapping as in U-mode: "
		  "expected ecalls from VS only and nothing of U-mode, the guest kernel in VS-mode "
		  "(hstatus.SPV = 1 and sstatus.SPP = 1 before the sret: "
		  "lab02-shadow-paging/vmm/run_vs.c)",
		  what, e.vs_ecalls, e.s_ecalls, e.slot_traps, e.uart_pf);
	cr_assert(!csr_free || e.csr_traps == 0,
		  "%s: QEMU's trap log shows %lu CSR instructions of the guest trapping: in VS-mode its "
		  "S-level CSRs are the hardware's VS CSRs and must not trap (hstatus.VTVM = 0, "
		  "hcounteren: run_vs.c)", what, e.csr_traps);
	cr_assert(e.vs_ecalls * witness_ecall_bytes + e.thr_stores >= bytes,
		  "%s: the console shows %zu bytes from the guest, but QEMU's trap log shows only %lu "
		  "ecalls from VS (SBI putchar, one per byte) and %lu stores to the UART's THR "
		  "(guest-page faults): the text did not come from the guest", what, bytes,
		  e.vs_ecalls, e.thr_stores);
	if (out)
		*out = e;
}

#endif
