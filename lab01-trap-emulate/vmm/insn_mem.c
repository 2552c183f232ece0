/*
 * insn_mem.c: insn_writes_memory (decode.h), the kit's and not a student
 * file: lab01's mmio.c and exit.c and lab02's vs_exit.c ask it which
 * fault an instruction's memory access raises.
 */
#include "decode.h"

/*
 * Does the instruction raw write memory, so that its faults are store
 * faults (priv 1.12, table 3.6: "Store/AMO")? Stores (opcodes STORE and
 * STORE-FP) and AMOs but LR (unpriv 20191213, table 24.1's opcode map;
 * 8.2, 8.4), and RVC's stores: quadrants 0 and 2 with funct3 5, 6, 7
 * (C.FSD, C.SW, C.SD; C.FSDSP, C.SWSP, C.SDSP; 16.3 and the RVC opcode map).
 */
bool insn_writes_memory(uint32_t raw)
{
	if ((raw & 3) != 3)
		return (raw & 3) != 1 && ((raw >> 13) & 7) >= 5;
	switch (raw & 0x7f) {
	case 0x23:	/* STORE */
	case 0x27:	/* STORE-FP */
		return true;
	case 0x2f:	/* AMO: all but LR (funct5 00010) */
		return (raw >> 27) != 2;
	default:
		return false;
	}
}
