/*
 * unit_decode.c: insn_length() and insn_decode() (handout task 1) against
 * the unprivileged spec 20191213: 1.5 (instruction length), 2.6 (loads and
 * stores), 9.1 (Zicsr), 16.3 (RVC loads and stores) and the
 * privileged spec 1.12, 3.3 and 4.2 (ecall, ebreak, sret, wfi, sfence.vma).
 * Instruction words were assembled with riscv64-unknown-elf-as 2.40
 * (-march=rv64imac_zicsr_zifencei) when the tables were written.
 */
#include "unit_fakes.h"
#include "decode.h"

TestSuite(decode, .init = fake_machine_reset, .timeout = 10);

#define FIX_DECODE "fix insn_decode() in vmm/decode.c, handout task 1"

KIT_TEST(decode, length_from_low_bits, .timeout = 10,
	 .description = "insn_length is 2 when bits 1:0 of the first halfword are not 11, else 4")
{
	/* unprivileged 20191213, 1.5: aa != 11 is 16-bit; bbb != 111 with aa = 11 is 32-bit */
	static const struct { uint16_t half; unsigned len; const char *what; } t[] = {
		{ 0x0000, 2, "c.illegal (all zero)" },
		{ 0x0001, 2, "c.nop" },
		{ 0x40c0, 2, "c.lw s0,4(s1)" },
		{ 0x9002, 2, "c.ebreak" },
		{ 0x8082, 2, "c.ret" },
		{ 0xfffe, 2, "quadrant 2, all other bits set" },
		{ 0x0003, 4, "lb x0,0(x0) low half" },
		{ 0x0073, 4, "ecall low half" },
		{ 0x12f3, 4, "csrrw t0,sscratch,t1 low half" },
		{ 0x0017, 4, "auipc (bits 4:2 = 101)" },
		{ 0x001b, 4, "addiw (bits 4:2 = 110)" },
		{ 0xffe3, 4, "branch with every upper bit set" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		unsigned got = insn_length(t[i].half);
		cr_assert_eq(got, t[i].len,
			     "insn_length(0x%04x) [%s]: expected %u, got %u: the length "
			     "comes from bits 1:0 only (unpriv 1.5); fix insn_length() in "
			     "vmm/decode.c, handout task 1",
			     t[i].half, t[i].what, t[i].len, got);
	}
}

KIT_TEST(decode, system_instructions, .timeout = 10,
	 .description = "ecall, ebreak, sret, wfi and sfence.vma decode to their kinds, 4 bytes long")
{
	static const struct { uint32_t raw; enum insn_kind kind; unsigned rs1, rs2; const char *what; } t[] = {
		{ 0x00000073, INSN_ECALL, 0, 0, "ecall" },
		{ 0x00100073, INSN_EBREAK, 0, 0, "ebreak" },
		{ 0x10200073, INSN_SRET, 0, 0, "sret" },
		{ 0x10500073, INSN_WFI, 0, 0, "wfi" },
		{ 0x12000073, INSN_SFENCE_VMA, 0, 0, "sfence.vma" },
		{ 0x12b50073, INSN_SFENCE_VMA, 10, 11, "sfence.vma a0,a1" },
		{ 0x12050073, INSN_SFENCE_VMA, 10, 0, "sfence.vma a0" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct insn in;
		memset(&in, 0xa5, sizeof in);
		int rc = insn_decode(t[i].raw, &in);
		cr_assert_eq(rc, 0, "insn_decode(%#010x) [%s]: expected 0 (an instruction the "
			     "VMM emulates), got %d; " FIX_DECODE, t[i].raw, t[i].what, rc);
		cr_assert_eq(in.kind, t[i].kind, "insn_decode(%#010x) [%s]: expected kind %d, got %d; "
			     FIX_DECODE, t[i].raw, t[i].what, t[i].kind, in.kind);
		cr_assert_eq(in.len, 4, "insn_decode(%#010x) [%s]: expected len 4, got %u; " FIX_DECODE,
			     t[i].raw, t[i].what, in.len);
		cr_assert_eq(in.raw, t[i].raw, "insn_decode(%#010x) [%s]: out->raw = %#x; " FIX_DECODE,
			     t[i].raw, t[i].what, in.raw);
		if (t[i].kind == INSN_SFENCE_VMA) {
			cr_assert(in.rs1 == t[i].rs1 && in.rs2 == t[i].rs2,
				  "insn_decode(%#010x) [%s]: expected rs1 %u rs2 %u, got rs1 %u rs2 %u "
				  "(priv 4.2.1: vaddr in rs1, asid in rs2); " FIX_DECODE,
				  t[i].raw, t[i].what, t[i].rs1, t[i].rs2, in.rs1, in.rs2);
		}
	}
}

KIT_TEST(decode, csr_forms, .timeout = 10,
	 .description = "the six Zicsr forms give their operation, CSR number, rd and rs1 or zimm")
{
	static const struct {
		uint32_t raw; enum csr_op op; bool imm; unsigned rd, rs1, csr; const char *what;
	} t[] = {
		{ 0x140312f3, CSR_RW, false, 5, 6, 0x140, "csrrw t0,sscratch,t1" },
		{ 0x100023f3, CSR_RS, false, 7, 0, 0x100, "csrrs t2,sstatus,x0" },
		{ 0x1045b573, CSR_RC, false, 10, 11, 0x104, "csrrc a0,sie,a1" },
		{ 0x105fd673, CSR_RW, true, 12, 31, 0x105, "csrrwi a2,stvec,31" },
		{ 0x14416073, CSR_RS, true, 0, 2, 0x144, "csrrsi x0,sip,2" },
		{ 0x1800fff3, CSR_RC, true, 31, 1, 0x180, "csrrci t6,satp,1" },
		{ 0xfff120f3, CSR_RS, false, 1, 2, 0xfff, "csrrs ra,0xfff,sp" },
		{ 0xc0129073, CSR_RW, false, 0, 5, 0xc01, "csrrw x0,time,t0" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct insn in;
		memset(&in, 0xa5, sizeof in);
		int rc = insn_decode(t[i].raw, &in);
		cr_assert_eq(rc, 0, "insn_decode(%#010x) [%s]: expected 0, got %d; " FIX_DECODE,
			     t[i].raw, t[i].what, rc);
		cr_assert_eq(in.kind, INSN_CSR, "insn_decode(%#010x) [%s]: expected INSN_CSR (%d), got "
			     "kind %d; " FIX_DECODE, t[i].raw, t[i].what, INSN_CSR, in.kind);
		cr_assert_eq(in.len, 4, "[%s]: expected len 4, got %u; " FIX_DECODE, t[i].what, in.len);
		cr_assert_eq(in.csr, t[i].csr, "[%s]: expected csr %#x (bits 31:20), got %#x; "
			     FIX_DECODE, t[i].what, t[i].csr, in.csr);
		cr_assert_eq(in.csr_op, t[i].op, "[%s]: expected csr_op %d (funct3 bits 1:0: "
			     "1 RW, 2 RS, 3 RC), got %d; " FIX_DECODE, t[i].what, t[i].op, in.csr_op);
		cr_assert_eq(in.csr_imm, t[i].imm, "[%s]: expected csr_imm %d (funct3 bit 2), got %d; "
			     FIX_DECODE, t[i].what, t[i].imm, in.csr_imm);
		cr_assert_eq(in.rd, t[i].rd, "[%s]: expected rd %u (bits 11:7), got %u; " FIX_DECODE,
			     t[i].what, t[i].rd, in.rd);
		cr_assert_eq(in.rs1, t[i].rs1, "[%s]: expected rs1/zimm %u (bits 19:15), got %u; "
			     FIX_DECODE, t[i].what, t[i].rs1, in.rs1);
	}
}

struct mem_case {
	uint32_t raw;
	unsigned len;
	enum insn_kind kind;
	unsigned reg;		/* rd for a load, rs2 for a store */
	unsigned rs1;
	int64_t imm;
	unsigned width;
	bool is_unsigned;
	const char *what;
};

static void check_mem_cases(const struct mem_case *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct insn in;
		memset(&in, 0xa5, sizeof in);
		int rc = insn_decode(t[i].raw, &in);
		cr_assert_eq(rc, 0, "insn_decode(%#x) [%s]: expected 0, got %d; " FIX_DECODE,
			     t[i].raw, t[i].what, rc);
		cr_assert_eq(in.kind, t[i].kind, "[%s]: expected kind %s, got kind %d; " FIX_DECODE,
			     t[i].what, t[i].kind == INSN_LOAD ? "INSN_LOAD" : "INSN_STORE", in.kind);
		cr_assert_eq(in.len, t[i].len, "[%s]: expected len %u, got %u; " FIX_DECODE,
			     t[i].what, t[i].len, in.len);
		cr_assert_eq(in.width, t[i].width, "[%s]: expected width %u bytes, got %u; " FIX_DECODE,
			     t[i].what, t[i].width, in.width);
		cr_assert_eq(in.is_unsigned, t[i].is_unsigned, "[%s]: expected is_unsigned %d, got %d; "
			     FIX_DECODE, t[i].what, t[i].is_unsigned, in.is_unsigned);
		cr_assert_eq(in.rs1, t[i].rs1, "[%s]: expected base register rs1 = x%u, got x%u; "
			     FIX_DECODE, t[i].what, t[i].rs1, in.rs1);
		unsigned reg = t[i].kind == INSN_LOAD ? in.rd : in.rs2;
		cr_assert_eq(reg, t[i].reg, "[%s]: expected %s = x%u, got x%u; " FIX_DECODE,
			     t[i].what, t[i].kind == INSN_LOAD ? "rd" : "rs2", t[i].reg, reg);
		cr_assert_eq(in.imm, t[i].imm, "[%s]: expected offset %lld, got %lld (sign-extended "
			     "12-bit for base loads/stores, zero-extended scaled for RVC); " FIX_DECODE,
			     t[i].what, (long long)t[i].imm, (long long)in.imm);
	}
}

KIT_TEST(decode, loads_and_stores, .timeout = 10,
	 .description = "base loads and stores give width, signedness, registers and the sign-extended offset")
{
	static const struct mem_case t[] = {
		{ 0xfff30283, 4, INSN_LOAD, 5, 6, -1, 1, false, "lb t0,-1(t1)" },
		{ 0x7ff31283, 4, INSN_LOAD, 5, 6, 2047, 2, false, "lh t0,2047(t1)" },
		{ 0x80042383, 4, INSN_LOAD, 7, 8, -2048, 4, false, "lw t2,-2048(s0)" },
		{ 0x00853483, 4, INSN_LOAD, 9, 10, 8, 8, false, "ld s1,8(a0)" },
		{ 0x00064583, 4, INSN_LOAD, 11, 12, 0, 1, true, "lbu a1,0(a2)" },
		{ 0x00575683, 4, INSN_LOAD, 13, 14, 5, 2, true, "lhu a3,5(a4)" },
		{ 0xffc86783, 4, INSN_LOAD, 15, 16, -4, 4, true, "lwu a5,-4(a6)" },
		{ 0xfe530fa3, 4, INSN_STORE, 5, 6, -1, 1, false, "sb t0,-1(t1)" },
		{ 0x7e741fa3, 4, INSN_STORE, 7, 8, 2047, 2, false, "sh t2,2047(s0)" },
		{ 0x80952023, 4, INSN_STORE, 9, 10, -2048, 4, false, "sw s1,-2048(a0)" },
		{ 0x00b63823, 4, INSN_STORE, 11, 12, 16, 8, false, "sd a1,16(a2)" },
	};
	check_mem_cases(t, sizeof t / sizeof t[0]);
}

KIT_TEST(decode, compressed_loads_and_stores, .timeout = 10,
	 .description = "RVC loads and stores decode as 2-byte instructions with expanded registers and scaled offsets")
{
	/* unpriv 20191213, 16.3: stack-pointer based, and register based with rd'/rs1' = x8 + 3 bits */
	static const struct mem_case t[] = {
		{ 0x40c0, 2, INSN_LOAD, 8, 9, 4, 4, false, "c.lw s0,4(s1)" },
		{ 0x6588, 2, INSN_LOAD, 10, 11, 8, 8, false, "c.ld a0,8(a1)" },
		{ 0xdef0, 2, INSN_STORE, 12, 13, 124, 4, false, "c.sw a2,124(a3)" },
		{ 0xfff8, 2, INSN_STORE, 14, 15, 248, 8, false, "c.sd a4,248(a5)" },
		{ 0x42b2, 2, INSN_LOAD, 5, 2, 12, 4, false, "c.lwsp t0,12(sp)" },
		{ 0x737e, 2, INSN_LOAD, 6, 2, 504, 8, false, "c.ldsp t1,504(sp)" },
		{ 0xdf9e, 2, INSN_STORE, 7, 2, 252, 4, false, "c.swsp t2,252(sp)" },
		{ 0xec22, 2, INSN_STORE, 8, 2, 24, 8, false, "c.sdsp s0,24(sp)" },
	};
	check_mem_cases(t, sizeof t / sizeof t[0]);
}

KIT_TEST(decode, other_instructions_rejected, .timeout = 10,
	 .description = "instructions the VMM does not emulate return -1 with kind INSN_OTHER and their length")
{
	static const struct { uint32_t raw; unsigned len; const char *what; } t[] = {
		{ 0x30200073, 4, "mret (M-mode only: illegal for a guest kernel)" },
		{ 0x00200073, 4, "uret (N extension, not in priv 1.12)" },
		{ 0x00004073, 4, "SYSTEM funct3 = 100 (not a Zicsr form)" },
		{ 0x102000f3, 4, "sret with rd = x1 (a reserved encoding, not sret)" },
		{ 0x00310093, 4, "addi ra,sp,3" },
		{ 0x0000100f, 4, "fence.i" },
		{ 0x00007003, 4, "load funct3 = 111 (reserved in RV64)" },
		{ 0x00004023, 4, "store funct3 = 100 (reserved)" },
		{ 0x0001, 2, "c.nop" },
		{ 0x4501, 2, "c.li a0,0" },
		{ 0x0000, 2, "c.illegal (all zero)" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct insn in;
		memset(&in, 0xa5, sizeof in);
		int rc = insn_decode(t[i].raw, &in);
		cr_assert_eq(rc, -1, "insn_decode(%#x) [%s]: expected -1 (not emulated: the VMM "
			     "injects illegal instruction), got %d with kind %d; " FIX_DECODE,
			     t[i].raw, t[i].what, rc, in.kind);
		cr_assert_eq(in.kind, INSN_OTHER, "insn_decode(%#x) [%s]: expected kind INSN_OTHER "
			     "(%d), got %d; " FIX_DECODE, t[i].raw, t[i].what, INSN_OTHER, in.kind);
		cr_assert_eq(in.len, t[i].len, "insn_decode(%#x) [%s]: expected len %u, got %u "
			     "(filled even on -1); " FIX_DECODE, t[i].raw, t[i].what, t[i].len, in.len);
	}
}

KIT_TEST(decode, random_words_are_consistent, .timeout = 20,
	 .description = "for 200000 random words insn_decode never fails to answer and its fields are consistent with the encoding")
{
	uint64_t seed = 0x6b69742d6c616231UL;
	for (unsigned i = 0; i < 200000; i++) {
		uint32_t raw = (uint32_t)fake_rand(&seed);
		if (i & 1)	/* half of them compressed, as a 16-bit fetch gives them */
			raw &= 0xffff;
		unsigned len = (raw & 3) == 3 ? 4 : 2;
		if (len == 2)
			raw &= 0xffff;
		struct insn in;
		memset(&in, 0xa5, sizeof in);
		int rc = insn_decode(raw, &in);
		cr_assert(rc == 0 || rc == -1, "insn_decode(%#x) returned %d: only 0 or -1 are allowed; "
			  FIX_DECODE, raw, rc);
		cr_assert_eq(in.len, len, "insn_decode(%#x): expected len %u (bits 1:0, unpriv 1.5), got "
			     "%u; " FIX_DECODE, raw, len, in.len);
		cr_assert_eq(rc == 0, in.kind != INSN_OTHER, "insn_decode(%#x): returned %d with kind %d: "
			     "-1 goes with INSN_OTHER and 0 with any other kind; " FIX_DECODE, raw, rc,
			     in.kind);
		if (rc != 0)
			continue;
		cr_assert(in.rd < 32 && in.rs1 < 32 && in.rs2 < 32, "insn_decode(%#x): register numbers "
			  "rd %u rs1 %u rs2 %u out of range; " FIX_DECODE, raw, in.rd, in.rs1, in.rs2);
		unsigned opcode = raw & 0x7f, f3 = (raw >> 12) & 7;
		switch (in.kind) {
		case INSN_CSR:
			cr_assert(len == 4 && opcode == OP_SYSTEM && f3 != 0 && f3 != 4 &&
				  in.csr == raw >> 20, "insn_decode(%#x) says CSR instruction %#x: only "
				  "SYSTEM with funct3 1-3, 5-7 is one (unpriv 9.1); " FIX_DECODE, raw, in.csr);
			break;
		case INSN_LOAD:
		case INSN_STORE:
			cr_assert(in.width == 1 || in.width == 2 || in.width == 4 || in.width == 8,
				  "insn_decode(%#x): width %u; " FIX_DECODE, raw, in.width);
			if (len == 4)
				cr_assert_eq(opcode, in.kind == INSN_LOAD ? OP_LOAD : OP_STORE,
					     "insn_decode(%#x) says %s but the opcode is %#x; " FIX_DECODE,
					     raw, in.kind == INSN_LOAD ? "load" : "store", opcode);
			break;
		default:
			cr_assert(len == 4 ? opcode == OP_SYSTEM && f3 == 0 : raw == 0x9002,
				  "insn_decode(%#x) says kind %d: privileged instructions are SYSTEM with "
				  "funct3 0 (or c.ebreak); " FIX_DECODE, raw, in.kind);
		}
	}
}
