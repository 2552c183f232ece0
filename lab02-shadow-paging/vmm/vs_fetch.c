/*
 * vs_fetch.c: gmem_fetch_insn (lab01's gmem.h) in nested mode. The guest's
 * translation is the hardware's (vsatp and hgatp): the VMM fetches the
 * trapped instruction with HLVX.HU, halfword by halfword (a 4-byte
 * instruction may straddle two pages). htinst would give it on a
 * guest-page fault, but QEMU 7.2 leaves htinst 0 (REFERENCES.md).
 */
#include "gmem.h"
#include "riscv.h"
#include "vs_hw.h"

/* What the guest's own fetch at va would raise, for the fault HLVX took there. */
static int fetch_fault(uint64_t scause)
{
	/* HLVX reports its faults as loads (8.3.1): a VS-stage page fault is
	 * the guest's fetch page fault; a G-stage fault or an access fault
	 * means no RAM there: nothing to execute */
	return scause == CAUSE_LOAD_PAGE_FAULT ? CAUSE_FETCH_PAGE_FAULT : CAUSE_FETCH_ACCESS;
}

int gmem_fetch_insn(const struct vcpu *v, uint64_t pc, uint32_t *raw, uint64_t *fault_addr)
{
	uint16_t lo, hi;
	uint64_t cause;

	(void)v;	/* the privilege is hstatus.SPVP's, set by the trap */
	if ((cause = hw_hlvx_hu(pc, &lo)) != 0) {
		*fault_addr = pc;
		return fetch_fault(cause);
	}
	if ((lo & 3) != 3) {
		*raw = lo;
		return 0;
	}
	if ((cause = hw_hlvx_hu(pc + 2, &hi)) != 0) {
		*fault_addr = pc + 2;
		return fetch_fault(cause);
	}
	*raw = (uint32_t)lo | ((uint32_t)hi << 16);
	return 0;
}
