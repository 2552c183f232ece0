/*
 * hostile.h: the hostile guest. Every operation that may trap runs as a
 * "probe": one instruction placed in a code buffer, entered with sret with
 * every register set to a scratch address, followed by an ebreak marker.
 * The trap vector records scause/stval/sepc and returns to the caller, so
 * whatever the instruction does, the guest keeps control.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <stdbool.h>
#include <stdint.h>

#include "guest.h"
#include "riscv.h"

/* What a probe saw: the first trap after entering the buffer. */
struct probe_result {
	uint64_t scause, stval, sepc, a0;
};
extern struct probe_result probe_result;

/* The code buffer: an instruction (2 or 4 bytes), then the marker. */
extern uint32_t probe_buf[4];
/* The scratch area every register points into (its middle). */
extern uint8_t probe_scratch[8192];
#define SCRATCH_MID ((uint64_t)&probe_scratch[4096])

/* probe.S: run probe_buf with a1 = a1val, every other register = other */
void probe_exec(uint64_t a1val, uint64_t other);
extern char hostile_vector[];

/* How a probe ended. */
#define OUT_NONE 0xffff		/* reached the marker: no trap */
struct outcome {
	uint64_t cause;		/* OUT_NONE or scause */
	uint64_t tval, epc, a0;
};

/* Run a 32-bit instruction (len 4) or a 16-bit one (len 2). */
struct outcome probe_insn(uint32_t insn, unsigned len, uint64_t a1val);
/* Load/store/fetch at addr: 8-byte ld / sd / jalr. */
struct outcome probe_load(uint64_t addr);
struct outcome probe_store(uint64_t addr);
struct outcome probe_fetch(uint64_t addr);

/* encoders (RV64I, Zicsr; unprivileged spec chapter 2 and 9) */
#define OP_LOAD   0x03
#define OP_STORE  0x23
#define OP_AMO    0x2f
#define OP_SYSTEM 0x73
#define REG_A0 10
#define REG_A1 11
#define REG_A2 12
/* whole instructions (privileged spec 1.12, 3.3.2 sret; unprivileged 2.8 ebreak) */
#define EBREAK 0x00100073u
#define SRET   0x10200073u
static inline uint32_t enc_i(uint32_t op, uint32_t f3, uint32_t rd, uint32_t rs1, int32_t imm)
{
	return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
static inline uint32_t enc_s(uint32_t op, uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm)
{
	uint32_t u = (uint32_t)imm & 0xfff;
	return (u >> 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1f) << 7 | op;
}
static inline uint32_t enc_csr(uint32_t f3, uint32_t rd, uint32_t csr, uint32_t rs1)
{
	return csr << 20 | rs1 << 15 | f3 << 12 | rd << 7 | OP_SYSTEM;
}

/* group runners (main.c calls them) */
void hostile_random(void);
void hostile_csrs(void);
void hostile_memory(void);
void hostile_vmm_scan(void);
void hostile_escape(void);

#endif
