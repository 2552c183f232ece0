/*
 * mmu_bare.c: lab01's backend. The guest's satp holds only Bare, so a guest
 * virtual address is a guest physical one (priv 1.12, 4.1.11). Guest RAM is
 * mapped once, with PTE_U, into the VMM's own table (hw.h); a real page
 * fault therefore always means an address outside guest RAM.
 */
#include "hw.h"
#include "mmu.h"
#include "riscv.h"

const char vmm_banner[] = "lab01 trap-and-emulate VMM";

void mmu_vm_init(struct vm *vm)
{
	hw_map_guest_ram(vm->ram.base, vm->ram.host, vm->ram.size);
}

void mmu_satp_write(struct vcpu *v, uint64_t val)
{
	/* an unsupported MODE makes the whole write have no effect */
	if ((val >> SATP_MODE_SHIFT) == SATP_MODE_BARE)
		v->satp = val;
}

void mmu_sfence_vma(struct vcpu *v, bool with_va, uint64_t va, bool with_asid, uint64_t asid)
{
	/* satp is Bare: there is no guest translation to flush */
	(void)v, (void)with_va, (void)va, (void)with_asid, (void)asid;
}

int mmu_translate(const struct vcpu *v, uint64_t gva, enum gmem_access acc, uint64_t *gpa)
{
	/* no translation and no protection; whether there is memory is gmem's answer */
	(void)v, (void)acc;
	*gpa = gva;
	return 0;
}

struct mmu_fault mmu_page_fault(struct vcpu *v, enum gmem_access acc, uint64_t va)
{
	(void)v, (void)acc;
	return (struct mmu_fault){ MMU_NO_RAM, 0, va };
}

void mmu_prepare_entry(struct vcpu *v)
{
	/* the one real table maps guest RAM the same way in every mode */
	(void)v;
}
