/*
 * pv_nested.c: the PV interface's nested-mode part (the guest kernel in
 * VS-mode on the G-stage). Its traps go to its own stvec in hardware and
 * never pass the VMM, so the page carries no trap (flags = 0: the guest
 * reads its CSRs, which cost nothing in VS-mode) and there is no shadow to
 * refill; a TLB flush is the hfence.vvma the guest's sfence.vma would
 * have been (priv 1.12, 8.3.1), for the guest's VMID.
 */
#include "pv.h"
#include "smp.h"

const uint32_t pv_mode_flags = 0;

void pv_tlb_drop(struct vcpu *v, bool with_va, uint64_t va, bool with_asid, uint64_t asid)
{
	/* the hfence.vvma a remote sfence.vma of v's is (smp_nested.c) */
	smp_sfence_vma(v, with_va, va, with_asid, asid);
}

void pv_prefill(struct vcpu *v, uint64_t va)
{
	/* the hardware walks the guest's table on the next access */
	(void)v, (void)va;
}
