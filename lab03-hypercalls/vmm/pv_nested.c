/*
 * pv_nested.c: the PV interface's nested-mode part (the guest kernel in
 * VS-mode on the G-stage). Its traps go to its own stvec in hardware and
 * never pass the VMM, so the page carries no trap (flags = 0: the guest
 * reads its CSRs, which cost nothing in VS-mode) and there is no shadow to
 * refill; a TLB flush is the hfence.vvma the guest's sfence.vma would
 * have been (priv 1.12, 8.3.1), for the guest's VMID.
 */
#include "pv.h"

const uint32_t pv_mode_flags = 0;

void pv_tlb_drop(struct vcpu *v, bool with_va, uint64_t va, bool with_asid, uint64_t asid)
{
	uint64_t rs1 = with_va ? va : 0, rs2 = with_asid ? asid : 0;

	(void)v;
	/* hfence.vvma rs1, rs2 (funct7 0010001); x0 where the call said "all" */
	if (with_va && with_asid)
		__asm__ volatile(".insn r 0x73, 0, 0x11, x0, %0, %1" : : "r"(rs1), "r"(rs2) : "memory");
	else if (with_va)
		__asm__ volatile(".insn r 0x73, 0, 0x11, x0, %0, x0" : : "r"(rs1) : "memory");
	else if (with_asid)
		__asm__ volatile(".insn r 0x73, 0, 0x11, x0, x0, %0" : : "r"(rs2) : "memory");
	else
		__asm__ volatile(".insn r 0x73, 0, 0x11, x0, x0, x0" : : : "memory");
}

void pv_prefill(struct vcpu *v, uint64_t va)
{
	/* the hardware walks the guest's table on the next access */
	(void)v, (void)va;
}
