/*
 * decode.c: decoding the instructions the VMM emulates or must understand
 * (unprivileged spec 20191213: 1.5 lengths, 2.6 loads/stores, 9.1 Zicsr,
 * 16.3/16.8 RVC; priv 1.12, 3.3.1/3.3.2/4.2.1 for the SYSTEM encodings).
 */
#include <string.h>

#include "decode.h"
#include "todo.h"

#define OPC_LOAD   0x03
#define OPC_STORE  0x23
#define OPC_SYSTEM 0x73

static int64_t sext(uint64_t v, unsigned bits)
{
	uint64_t m = 1UL << (bits - 1);
	v &= (1UL << bits) - 1;
	return (int64_t)((v ^ m) - m);
}

static unsigned bits(uint32_t raw, unsigned hi, unsigned lo)
{
	return (raw >> lo) & ((1U << (hi - lo + 1)) - 1);
}

unsigned insn_length(uint16_t first_halfword)
{
	// BEGIN SOLUTION: instruction length from the low two bits (base ISA 1.5)
	/* bits [1:0] != 11: a 16-bit RVC instruction; 11: 32-bit (the VMM
	 * supports no longer encodings, which QEMU does not implement either) */
	return (first_halfword & 3) == 3 ? 4 : 2;
	// STARTER:
	// TODO("insn_length", "lab01 handout, task 1");
	// (void)first_halfword;
	// return 4;
	// END SOLUTION
}

/* Loads and stores, 32-bit forms (unpriv 2.6). */
static int decode_load_store(uint32_t raw, struct insn *in)
{
	unsigned f3 = bits(raw, 14, 12);
	in->rd = bits(raw, 11, 7);
	in->rs1 = bits(raw, 19, 15);
	in->rs2 = bits(raw, 24, 20);
	if ((raw & 0x7f) == OPC_LOAD) {
		if (f3 == 7)
			return -1;
		in->kind = INSN_LOAD;
		in->imm = sext(raw >> 20, 12);
		in->width = 1U << (f3 & 3);
		in->is_unsigned = f3 >= 4;
		in->rs2 = 0;
	} else {
		if (f3 > 3)
			return -1;
		in->kind = INSN_STORE;
		in->imm = sext((bits(raw, 31, 25) << 5) | bits(raw, 11, 7), 12);
		in->width = 1U << f3;
		in->rd = 0;
	}
	return 0;
}

/* The SYSTEM opcode: CSR instructions and the privileged ones. */
static int decode_system(uint32_t raw, struct insn *in)
{
	// BEGIN SOLUTION: decode CSRRW/RS/RC/RWI/RSI/RCI (unpriv 9.1)
	unsigned f3 = bits(raw, 14, 12);
	if (f3 != 0) {
		if (f3 == 4)		/* hypervisor loads/stores: not ours */
			return -1;
		in->kind = INSN_CSR;
		in->rd = bits(raw, 11, 7);
		in->rs1 = bits(raw, 19, 15);	/* or the zimm of CSRR?I */
		in->csr = raw >> 20;
		in->csr_imm = f3 >= 5;
		in->csr_op = (f3 & 3) == 1 ? CSR_RW : (f3 & 3) == 2 ? CSR_RS : CSR_RC;
		return 0;
	}
	// STARTER:
	// TODO("insn_decode", "lab01 handout, task 1");
	// if (bits(raw, 14, 12) != 0)
	// 	return -1;
	// END SOLUTION
	/* funct3 = 0: exact encodings, every other field zero (priv 3.3, 4.2.1) */
	switch (raw) {
	case 0x00000073: in->kind = INSN_ECALL; return 0;
	case 0x00100073: in->kind = INSN_EBREAK; return 0;
	case 0x10200073: in->kind = INSN_SRET; return 0;
	case 0x10500073: in->kind = INSN_WFI; return 0;
	}
	if (bits(raw, 31, 25) == 0x09 && bits(raw, 11, 7) == 0) {
		in->kind = INSN_SFENCE_VMA;
		in->rs1 = bits(raw, 19, 15);
		in->rs2 = bits(raw, 24, 20);
		return 0;
	}
	return -1;
}

/* The compressed loads and stores (unpriv 16.3) and c.ebreak. */
static int decode_rvc(uint16_t c, struct insn *in)
{
	unsigned op = c & 3, f3 = bits(c, 15, 13);
	unsigned rdp = 8 + bits(c, 4, 2), rs1p = 8 + bits(c, 9, 7);

	if (op == 0) {
		switch (f3) {
		case 2: /* C.LW: uimm[5:3|2|6] */
		case 6: /* C.SW */
			in->imm = (bits(c, 12, 10) << 3) | (bits(c, 6, 6) << 2) | (bits(c, 5, 5) << 6);
			in->width = 4;
			break;
		case 3: /* C.LD: uimm[5:3|7:6] */
		case 7: /* C.SD */
			in->imm = (bits(c, 12, 10) << 3) | (bits(c, 6, 5) << 6);
			in->width = 8;
			break;
		default:
			return -1;
		}
		in->rs1 = rs1p;
		if (f3 < 4) {
			in->kind = INSN_LOAD;
			in->rd = rdp;
		} else {
			in->kind = INSN_STORE;
			in->rs2 = rdp;
		}
		return 0;
	}
	if (op == 2) {
		unsigned r = bits(c, 11, 7);
		in->rs1 = 2;	/* sp-relative */
		switch (f3) {
		case 2: /* C.LWSP: uimm[5|4:2|7:6] */
			if (r == 0)
				return -1;
			in->kind = INSN_LOAD, in->rd = r, in->width = 4;
			in->imm = (bits(c, 12, 12) << 5) | (bits(c, 6, 4) << 2) | (bits(c, 3, 2) << 6);
			return 0;
		case 3: /* C.LDSP: uimm[5|4:3|8:6] */
			if (r == 0)
				return -1;
			in->kind = INSN_LOAD, in->rd = r, in->width = 8;
			in->imm = (bits(c, 12, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6);
			return 0;
		case 6: /* C.SWSP: uimm[5:2|7:6] */
			in->kind = INSN_STORE, in->rs2 = bits(c, 6, 2), in->width = 4;
			in->imm = (bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6);
			return 0;
		case 7: /* C.SDSP: uimm[5:3|8:6] */
			in->kind = INSN_STORE, in->rs2 = bits(c, 6, 2), in->width = 8;
			in->imm = (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6);
			return 0;
		case 4:
			if (c == 0x9002) {	/* C.EBREAK */
				in->kind = INSN_EBREAK;
				in->rs1 = 0;
				return 0;
			}
			return -1;
		}
	}
	return -1;
}

int insn_decode(uint32_t raw, struct insn *out)
{
	struct insn in;
	int r;

	memset(&in, 0, sizeof in);
	in.kind = INSN_OTHER;
	in.len = insn_length((uint16_t)raw);
	in.raw = in.len == 2 ? (raw & 0xffff) : raw;

	if (in.len == 2) {
		r = decode_rvc((uint16_t)in.raw, &in);
	} else {
		switch (raw & 0x7f) {
		case OPC_LOAD:
		case OPC_STORE:
			r = decode_load_store(raw, &in);
			break;
		case OPC_SYSTEM:
			r = decode_system(raw, &in);
			break;
		default:
			r = -1;
		}
	}
	if (r != 0) {
		/* a failed decoder may have filled fields: report a clean INSN_OTHER */
		uint32_t keep_raw = in.raw;
		unsigned keep_len = in.len;
		memset(&in, 0, sizeof in);
		in.raw = keep_raw, in.len = keep_len, in.kind = INSN_OTHER;
	}
	*out = in;
	return r;
}
