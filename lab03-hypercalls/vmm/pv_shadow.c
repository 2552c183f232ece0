/*
 * pv_shadow.c: the PV interface's shadow-mode part (the guest kernel in
 * U-mode on lab02's shadow tables). Every trap of the guest passes the
 * VMM, so traps can be delivered through the shared page (PV_FLAG_TRAPS);
 * a TLB flush is lab02's mmu_sfence_vma, and a refill after an update is
 * what a hidden fault would have done, through shadow.h's kit functions,
 * without touching the guest's A/D bits.
 */
#include "hw.h"
#include "mmu.h"
#include "pv.h"
#include "shadow.h"

const uint32_t pv_mode_flags = PV_FLAG_TRAPS;

void pv_tlb_drop(struct vcpu *v, bool with_va, uint64_t va, bool with_asid, uint64_t asid)
{
	mmu_sfence_vma(v, with_va, va, with_asid, asid);
}

void pv_prefill(struct vcpu *v, uint64_t va)
{
	struct walk_result res;
	void *host;

	if ((v->satp >> SATP_MODE_SHIFT) != SATP_MODE_SV39)
		return;
	/* a load as the guest kernel's view would make it, A/D left alone:
	 * only a leaf whose A is already set is filled, so the guest still
	 * sees A set by its first access where it left A clear (4.3.2) */
	if (shadow_walk(v, va, GMEM_LOAD, false, &res) != 0 || !(res.pte & PTE_A))
		return;
	host = gmem_ptr(v->vm, res.pa & ~(PAGE_SIZE - 1), PAGE_SIZE);
	if (host)
		shadow_install(v, va, shadow_leaf(v, va, GMEM_LOAD, &res, hw_table_pa(host)));
}
