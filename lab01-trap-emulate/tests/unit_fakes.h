/*
 * unit_fakes.h: the machine below the VMM, faked for the host unit tests.
 *
 * The VMM's pure-C files reach the real hart only through hw.h; the fakes
 * behind it let a test control time, the real timer and the console, and
 * see what the VMM did with them. Also: a fresh vCPU in the state OpenSBI hands an
 * S-mode payload, and small instruction encoders (unprivileged spec
 * 20191213, chapter 24 "Instruction Set Listings").
 */
#ifndef LAB01_UNIT_FAKES_H
#define LAB01_UNIT_FAKES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "hw.h"
#include "riscv.h"
#include "vcpu.h"

/* ---- the fake machine ---- */

/*
 * Its state is in unit_fakes_state.h; the fake hw_*() functions are in
 * unit_runner.c. The VMM's code does not run in the test process: the test
 * binary links stubs (unit_stubs.c) that run each call in the student
 * runner, a process of its own with the VMM's files and these fakes
 * (common/test/student_rpc.h), and keep this state in step with the
 * runner's around every call. So a test sets fake_time or fake_in, calls
 * the VMM, and reads fake_out, as if the VMM ran here.
 */
#include "unit_fakes_state.h"
#include "virt.h"

/* ---- a fresh vCPU ---- */

#define GUEST_ENTRY VIRT_PAYLOAD_BASE	/* OpenSBI's payload address, as natively */
#define GUEST_DTB   0x87e00000UL

/*
 * A hart as OpenSBI hands it to an S-mode payload, built field by field so
 * that a test of one task does not depend on another task's code.
 */
static inline void fake_vcpu(struct vcpu *v)
{
	memset(v, 0, sizeof *v);
	v->mode = VMODE_S;
	v->pc = GUEST_ENTRY;
	v->x[10] = 0;
	v->x[11] = GUEST_DTB;
	v->stimecmp = UINT64_MAX;
	v->state = VM_RUNNING;
}

/* ---- instruction encoders (unprivileged 20191213, chapter 24) ---- */

#define OP_SYSTEM 0x73u
#define OP_LOAD   0x03u
#define OP_STORE  0x23u

/* I-type SYSTEM with funct3 1..3, 5..7: the six Zicsr forms (chapter 9) */
#define enc_csr(funct3, rd, csr, rs1)                                          \
	((uint32_t)(((csr) & 0xfffu) << 20 | ((rs1) & 31u) << 15 |             \
		    ((funct3) & 7u) << 12 | ((rd) & 31u) << 7 | OP_SYSTEM))
#define CSRRW(rd, csr, rs1)    enc_csr(1, rd, csr, rs1)
#define CSRRS(rd, csr, rs1)    enc_csr(2, rd, csr, rs1)
#define CSRRC(rd, csr, rs1)    enc_csr(3, rd, csr, rs1)
#define CSRRWI(rd, csr, uimm)  enc_csr(5, rd, csr, uimm)
#define CSRRSI(rd, csr, uimm)  enc_csr(6, rd, csr, uimm)
#define CSRRCI(rd, csr, uimm)  enc_csr(7, rd, csr, uimm)

#define INSN_ECALL_RAW  0x00000073u
#define INSN_EBREAK_RAW 0x00100073u
#define INSN_SRET_RAW   0x10200073u
#define INSN_WFI_RAW    0x10500073u
#define INSN_MRET_RAW   0x30200073u
#define INSN_SFENCE_VMA_RAW(rs1, rs2) (0x12000073u | (rs2) << 20 | (rs1) << 15)

static inline uint32_t enc_load(unsigned funct3, unsigned rd, unsigned rs1, int imm)
{
	return ((uint32_t)imm & 0xfff) << 20 | (rs1 & 31) << 15 | (funct3 & 7) << 12 |
	       (rd & 31) << 7 | OP_LOAD;
}

static inline uint32_t enc_store(unsigned funct3, unsigned rs2, unsigned rs1, int imm)
{
	uint32_t u = (uint32_t)imm & 0xfff;
	return (u >> 5) << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 |
	       (funct3 & 7) << 12 | (u & 31) << 7 | OP_STORE;
}

/* Register names used by the tests (ABI names, unprivileged chapter 25). */
enum { ZERO = 0, RA = 1, SP = 2, T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9,
       A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17,
       T6 = 31 };

/* A fixed-seed xorshift64 (Marsaglia 2003): random tests regrade identically. */
static inline uint64_t fake_rand(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

/* Reset the fake machine before each test (Criterion .init). */
static inline void fake_machine_reset(void)
{
	fake_time = 1000000;
	fake_timer = UINT64_MAX;
	fake_timer_sets = 0;
	fake_waits = 0;
	memset(fake_out, 0, sizeof fake_out);
	fake_out_len = 0;
	fake_in = "";
}

#endif
