/* probe.c: run one instruction in the probe buffer (see hostile.h). */
#include "hostile.h"

#define C_EBREAK 0x9002u	/* c.ebreak (unprivileged spec, "C" extension) */

struct outcome probe_insn(uint32_t insn, unsigned len, uint64_t a1val)
{
	volatile uint16_t *h = (volatile uint16_t *)probe_buf;
	if (len == 4) {
		probe_buf[0] = insn;
		probe_buf[1] = EBREAK;
	} else {
		h[0] = (uint16_t)insn;
		h[1] = C_EBREAK;
		h[2] = C_EBREAK;
	}
	probe_result.scause = ~0ULL;
	probe_exec(a1val, SCRATCH_MID);

	struct outcome o = {
		.cause = probe_result.scause,
		.tval = probe_result.stval,
		.epc = probe_result.sepc,
		.a0 = probe_result.a0,
	};
	/* the marker after the instruction: it ran without a trap */
	if (o.cause == CAUSE_BREAKPOINT && o.epc == (uint64_t)probe_buf + len)
		o.cause = OUT_NONE;
	return o;
}

struct outcome probe_load(uint64_t addr)
{
	return probe_insn(enc_i(OP_LOAD, 3, REG_A0, REG_A1, 0), 4, addr);	/* ld a0, 0(a1) */
}

struct outcome probe_store(uint64_t addr)
{
	return probe_insn(enc_s(OP_STORE, 3, REG_A1, REG_A2, 0), 4, addr);	/* sd a2, 0(a1) */
}

struct outcome probe_fetch(uint64_t addr)
{
	return probe_insn(enc_i(0x67, 0, 0, REG_A1, 0), 4, addr);		/* jalr x0, 0(a1) */
}
