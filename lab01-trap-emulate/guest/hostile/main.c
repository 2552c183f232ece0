/*
 * main.c: the hostile guest. It throws at its VMM what a buggy or
 * malicious kernel might: random instruction words, every CSR number,
 * accesses outside its RAM and at the VMM's addresses, misaligned
 * accesses, jumps into garbage, sret to the VMM's addresses, SBI calls
 * with garbage IDs (escape.c). For each trap it checks the cause and
 * stval are the architecturally correct ones (priv 1.12, 4.1.9 and table
 * 4.2), and at the end it shuts down through SBI SRST: the QEMU test
 * checks the VMM was still there to do it.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "hostile.h"
#include "sbi.h"

const void *hostile_dtb;
static unsigned notes;

/* A violation: say what (the first few), count it. */
void hostile_note(const char *what, uint64_t a, uint64_t b, uint64_t c)
{
	if (notes++ < 12)
		printf("KIT NOTE %s: %#llx %#llx %#llx\n", what, (unsigned long long)a,
		       (unsigned long long)b, (unsigned long long)c);
}

bool hostile_check(const char *name, const uint64_t *got, unsigned n)
{
	for (unsigned i = 0; i < HOSTILE_NCHECKS; i++)
		if (strcmp(hostile_checks[i].name, name) == 0 && hostile_checks[i].n == n)
			return kit_check(name, got, hostile_checks[i].want, n);
	kit_check_fail(name, 0, n);
	return false;
}

/* Effective address of a load/store/AMO word (every register = scratch). */
static bool mem_addr32(uint32_t w, uint64_t *addr)
{
	uint32_t op = w & 0x7f, rs1 = (w >> 15) & 31;
	uint64_t base = rs1 == 0 ? 0 : SCRATCH_MID;
	int64_t imm;
	switch (op) {
	case OP_LOAD:
	case 0x07:	/* LOAD-FP */
		imm = (int32_t)w >> 20;
		break;
	case OP_STORE:
	case 0x27:	/* STORE-FP */
		imm = ((int32_t)(w & 0xfe000000) >> 20) | (int32_t)((w >> 7) & 0x1f);
		break;
	case OP_AMO:
		imm = 0;
		break;
	default:
		return false;
	}
	*addr = base + (uint64_t)imm;
	return true;
}

/* Control transfers and SYSTEM would leave the buffer or change CSRs:
 * the CSR sweep and the jump probes cover those on purpose. */
static bool skip32(uint32_t w)
{
	uint32_t op = w & 0x7f;
	return op == 0x6f || op == 0x67 || op == 0x63 || op == OP_SYSTEM ||
	       (w & 0x1c) == 0x1c;	/* 48-bit and longer encodings */
}

static bool skip16(uint32_t w)
{
	uint32_t op = w & 3, f3 = (w >> 13) & 7;
	if (op == 1 && (f3 == 5 || f3 == 6 || f3 == 7))	/* c.j, c.beqz, c.bnez */
		return true;
	if (op == 2 && f3 == 4 && ((w >> 2) & 31) == 0 && ((w >> 7) & 31) != 0)
		return true;					/* c.jr, c.jalr */
	return false;
}

static bool mem16(uint32_t w)
{
	uint32_t op = w & 3, f3 = (w >> 13) & 7;
	return (op == 0 || op == 2) && f3 != 0 && f3 != 4;
}

/* Is this trap what the spec allows for this instruction? */
static bool judge(uint32_t w, unsigned len, const struct outcome *o)
{
	uint64_t addr;
	if (o->cause == OUT_NONE)
		return true;
	if (o->epc != (uint64_t)probe_buf)
		return false;
	switch (o->cause) {
	case CAUSE_ILLEGAL_INSTRUCTION:
		return o->tval == 0 || o->tval == (len == 2 ? (w & 0xffff) : w);
	case CAUSE_BREAKPOINT:
		return len == 2 && (w & 0xffff) == 0x9002;	/* c.ebreak itself */
	case CAUSE_MISALIGNED_LOAD:
	case CAUSE_LOAD_ACCESS:
	case CAUSE_MISALIGNED_STORE:
	case CAUSE_STORE_ACCESS:
		if (len == 2)	/* compressed accesses are sp or x8..x15 based */
			return mem16(w) && o->tval - SCRATCH_MID + 1024 < 2048;
		if (!mem_addr32(w, &addr))
			return false;
		/* a fault in scratch RAM can only be a misaligned one */
		if (addr - (uint64_t)probe_scratch < sizeof probe_scratch &&
		    (o->cause == CAUSE_LOAD_ACCESS || o->cause == CAUSE_STORE_ACCESS))
			return false;
		/* stval is the address, or (an access split by the firmware's
		 * misaligned emulation) a byte of the accessed doubleword */
		return o->tval - (addr & ~7ULL) < 16;
	default:
		return false;
	}
}

/*
 * The part of stval a native run must reproduce exactly. Not compared:
 * stval of an illegal instruction (0 or the instruction, both allowed)
 * and of an access fault (which portion of a split misaligned access
 * faulted: QEMU names the aligned doubleword, a VMM may name the first
 * byte); judge() checks those against the spec instead.
 */
static uint64_t outcome_tval(const struct outcome *o)
{
	if (o->cause == CAUSE_ILLEGAL_INSTRUCTION || o->cause == CAUSE_LOAD_ACCESS ||
	    o->cause == CAUSE_STORE_ACCESS)
		return 0;
	return o->tval - SCRATCH_MID;
}

void hostile_random(void)
{
	uint64_t seed = kit_check_digest(ginfo.token, "hostile_random", 0, 0) | 1;
	uint64_t h = KIT_FNV64_OFFSET, bad = 0;
	unsigned n32 = 0, n16 = 0;

	while (n32 < HOSTILE_N32) {
		uint32_t w = (uint32_t)rng_next(&seed) | 3;
		if (skip32(w))
			continue;
		struct outcome o = probe_insn(w, 4, SCRATCH_MID);
		if (!judge(w, 4, &o)) {
			bad++;
			hostile_note("random insn word, scause, stval", w, o.cause, o.tval);
		}
		if (ginfo.trace[0] == '1')
			printf("KIT TRACE %08x %llx %llx\n", (unsigned)w,
			       (unsigned long long)o.cause, (unsigned long long)o.tval);
		/* the outcome, as the native run must see it too (stval of an
		 * illegal instruction may be 0 or the word: not compared) */
		h = kit_fnv1a_u64(h, w);
		h = kit_fnv1a_u64(h, o.cause);
		h = kit_fnv1a_u64(h, outcome_tval(&o));
		n32++;
	}
	while (n16 < HOSTILE_N16) {
		uint32_t w = (uint32_t)rng_next(&seed) & 0xffff;
		if ((w & 3) == 3 || skip16(w))
			continue;
		struct outcome o = probe_insn(w, 2, SCRATCH_MID);
		if (!judge(w, 2, &o)) {
			bad++;
			hostile_note("random 16-bit word, scause, stval", w, o.cause, o.tval);
		}
		if (ginfo.trace[0] == '1')
			printf("KIT TRACE %04x %llx %llx\n", (unsigned)w,
			       (unsigned long long)o.cause, (unsigned long long)o.tval);
		h = kit_fnv1a_u64(h, w);
		h = kit_fnv1a_u64(h, o.cause);
		h = kit_fnv1a_u64(h, outcome_tval(&o));
		n16++;
	}
	uint64_t got[3] = { n32, n16, bad };
	hostile_check("random_insns", got, 3);
	/* free values: the host compares this digest between native and VMM runs */
	kit_check_values("random_outcomes", &h, 1);
}

/* The S-mode CSRs a guest kernel may always use (priv 1.12, table 2.2). */
static bool required_csr(unsigned csr)
{
	static const unsigned s[] = { 0x100, 0x104, 0x105, 0x106, 0x10a, 0x140, 0x141,
				      0x142, 0x143, 0x144, 0x180 };
	for (unsigned i = 0; i < sizeof s / sizeof s[0]; i++)
		if (s[i] == csr)
			return true;
	return false;
}

static bool illegal_ok(const struct outcome *o, uint32_t w)
{
	return o->cause == CAUSE_ILLEGAL_INSTRUCTION && o->epc == (uint64_t)probe_buf &&
	       (o->tval == 0 || o->tval == w);
}

void hostile_csrs(void)
{
	uint64_t bad = 0;
	unsigned readable = 0;

	for (unsigned csr = 0; csr < 4096; csr++) {
		uint32_t rd = enc_csr(2, REG_A0, csr, 0);		/* csrrs a0, csr, x0 */
		struct outcome r = probe_insn(rd, 4, 0);
		bool read_ok = r.cause == OUT_NONE;
		/* write back what was read; if the read trapped, try writing 0 */
		uint32_t wr = read_ok ? enc_csr(1, REG_A0, csr, REG_A1)	/* csrrw a0, csr, a1 */
				      : enc_csr(1, 0, csr, 0);		/* csrrw x0, csr, x0 */
		struct outcome w = probe_insn(wr, 4, r.a0);
		bool write_ok = w.cause == OUT_NONE;
		readable += read_ok;

		bool v = false;
		if (!read_ok && !illegal_ok(&r, rd))
			v = true;	/* a CSR access may only raise illegal instruction */
		if (!write_ok && !illegal_ok(&w, wr))
			v = true;
		if (((csr >> 8) & 3) == 3 && (read_ok || write_ok))
			v = true;	/* M-level CSRs are out of S-mode's reach (2.1) */
		if ((csr >> 10) == 3 && write_ok)
			v = true;	/* the read-only range (2.1) */
		if (required_csr(csr) && !(read_ok && write_ok))
			v = true;
		if (v) {
			bad++;
			hostile_note("csr, read scause, write scause", csr,
				     read_ok ? OUT_NONE : r.cause, write_ok ? OUT_NONE : w.cause);
		}
	}
	printf("KIT NOTE csr_sweep: %u of 4096 CSR numbers readable here\n", readable);
	uint64_t got[2] = { 4096, bad };
	hostile_check("csr_sweep", got, 2);

	/* sstatus.FS = Off: float state is unreachable (priv 3.1.6.6) */
	csr_clear(sstatus, SSTATUS_FS);
	static const uint32_t fp[6] = {
		0x00102573,	/* csrr a0, fflags */
		0x00202573,	/* csrr a0, frm */
		0x00302573,	/* csrr a0, fcsr */
		0x02b5f553,	/* fadd.d fa0, fa1, fa1 */
		0x0005b507,	/* fld fa0, 0(a1) */
		0xe2050553,	/* fmv.x.d a0, fa0 */
	};
	uint64_t c[6];
	for (int i = 0; i < 6; i++) {
		struct outcome o = probe_insn(fp[i], 4, SCRATCH_MID);
		c[i] = o.cause == OUT_NONE ? 0 : o.cause;
	}
	hostile_check("fp_off_traps", c, 6);
}

static const struct guest_group groups[] = {
	{ "random", hostile_random },
	{ "csrs", hostile_csrs },
	{ "memory", hostile_memory },
	{ "escape", hostile_escape },
	{ "scan", hostile_vmm_scan },
};

/* the probes run with FS = Off (csrs: FP instructions must trap) */
static void setup(void)
{
	csr_clear(sstatus, SSTATUS_FS | SSTATUS_SIE);
}

void kmain(unsigned long hartid, const void *dtb);

void kmain(unsigned long hartid, const void *dtb)
{
	static const struct guest_kernel k = {
		.banner = "HOSTILE", .stvec = hostile_vector,
		.groups = groups, .ngroups = sizeof groups / sizeof groups[0], .setup = setup,
	};
	hostile_dtb = dtb;
	guest_main(hartid, dtb, &k);
}
