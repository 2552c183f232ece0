/*
 * smp_shadow.c: what several vCPUs need of shadow mode (smp.h). The
 * shadow tables are a TLB the VMM keeps (lab02's shadow.c), shared by the
 * vCPUs of a VM: a remote sfence.vma is the target's own, emulated on
 * them (mmu_sfence_vma); its translation is the walker's (mmu_translate).
 */
#include "mmu.h"
#include "smp.h"
#include "trap.h"

void smp_sfence_vma(struct vcpu *target, bool with_va, uint64_t va, bool with_asid, uint64_t asid)
{
	mmu_sfence_vma(target, with_va, va, with_asid, asid);
}

void smp_fence_i(struct vcpu *target)
{
	(void)target;
	/* the guest's code runs on the one real hart: its fence.i is ours */
	__asm__ volatile("fence.i" ::: "memory");
}

void smp_switch(struct vcpu *from, struct vcpu *to)
{
	/* one VM's shadow tables serve all its vCPUs; another VM has its own
	 * (shadow.c keys them by VM) and its own RAM map */
	if (from->vm != to->vm)
		vm_switch(from->vm, to->vm);
}

void smp_deliver(struct vcpu *v)
{
	vcpu_inject_pending_interrupt(v);
}

int smp_translate(const struct vcpu *v, uint64_t gva, uint64_t *gpa)
{
	return mmu_translate(v, gva, GMEM_LOAD, gpa);
}
