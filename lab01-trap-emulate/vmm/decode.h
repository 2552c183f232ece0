/*
 * decode.h: decoding the guest instructions the VMM emulates.
 * Unprivileged spec 20191213 (base ISA 1.5 for lengths, chapter 2 for
 * loads/stores, chapter 9 Zicsr, chapter 16 RVC); priv 1.12, 3.3.
 */
#ifndef VMM_DECODE_H
#define VMM_DECODE_H

#include <stdbool.h>
#include <stdint.h>

enum insn_kind {
	INSN_CSR,
	INSN_SRET,
	INSN_WFI,
	INSN_SFENCE_VMA,
	INSN_ECALL,
	INSN_EBREAK,
	INSN_LOAD,
	INSN_STORE,
	INSN_OTHER,
};

enum csr_op {
	CSR_RW,
	CSR_RS,
	CSR_RC,
};

struct insn {
	uint32_t raw;		/* the instruction bits (16 significant bits if len == 2) */
	unsigned len;		/* 2 or 4 */
	enum insn_kind kind;
	unsigned rd, rs1, rs2;	/* register numbers, expanded for RVC */
	enum csr_op csr_op;	/* INSN_CSR */
	bool csr_imm;		/* CSRR?I: rs1 holds the 5-bit zimm */
	unsigned csr;		/* INSN_CSR: the 12-bit CSR number */
	int64_t imm;		/* loads/stores: the sign-extended offset */
	unsigned width;		/* loads/stores: 1, 2, 4 or 8 bytes */
	bool is_unsigned;	/* LBU, LHU, LWU */
};

/* Length of the instruction whose first (lowest) halfword is given: 2 or 4. */
unsigned insn_length(uint16_t first_halfword);

/*
 * Decode raw (a 32-bit instruction, or a 16-bit one in the low halfword).
 * 0 on success; -1 if it is not an instruction the VMM emulates (out->raw
 * and out->len are still filled, kind = INSN_OTHER).
 */
int insn_decode(uint32_t raw, struct insn *out);

/*
 * Does raw write memory (a store, an AMO but LR, an RVC store), so that
 * its faults are the Store/AMO ones (priv 1.12, table 3.6)? QEMU 7.2
 * reports an AMO's faults as a load's; the instruction tells.
 */
bool insn_writes_memory(uint32_t raw);

#endif
