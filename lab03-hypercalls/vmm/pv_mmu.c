/*
 * pv_mmu.c: batched page-table updates and TLB flushes (PV.md, "Page
 * tables"), after Xen's mmu_update: one call carries a list in guest RAM.
 * Every entry is read once into the VMM and checked before it is used; an
 * entry that fails stops the batch with the entries before it done (value
 * = how many). The shadow stays exact: each updated address is dropped as
 * sfence.vma va would drop it and refilled at once where the guest's
 * tables allow (pv_prefill), so the guest's next access takes no hidden
 * fault.
 */
#include "gmem.h"
#include "pv.h"
#include "riscv.h"
#include "todo.h"

/* The list [list, list + count * size) in guest RAM, 8-aligned, count bounded. */
static long list_check(struct vcpu *v, uint64_t list, uint64_t count, uint64_t size)
{
	if (count > PV_BATCH_MAX || (list & 7))
		return SBI_ERR_INVALID_PARAM;
	if (count == 0)
		return SBI_SUCCESS;	/* nothing to read: the list may be anywhere */
	if (!gmem_contains(v->vm, list, count * size))	/* count * size < 2^14: no overflow */
		return SBI_ERR_INVALID_ADDRESS;
	return SBI_SUCCESS;
}

struct sbiret pv_mmu_update(struct vcpu *v, uint64_t list, uint64_t count)
{
	long err = list_check(v, list, count, sizeof(struct pv_mmu_op));

	if (err)
		return (struct sbiret){ err, 0 };
	// BEGIN SOLUTION: the batched update
	for (uint64_t i = 0; i < count; i++) {
		struct pv_mmu_op op;

		/* a copy: the guest may change its list meanwhile */
		(void)gmem_read(v->vm, list + i * sizeof op, &op, sizeof op);
		if (op.pte_gpa & 7)
			return (struct sbiret){ SBI_ERR_INVALID_PARAM, (long)i };
		if (gmem_write(v->vm, op.pte_gpa, &op.val, sizeof op.val) != 0)
			return (struct sbiret){ SBI_ERR_INVALID_ADDRESS, (long)i };
		if (op.va & PV_MMU_NO_FLUSH)
			continue;
		op.va &= ~(PAGE_SIZE - 1);
		pv_tlb_drop(v, true, op.va, false, 0);
		pv_prefill(v, op.va);
	}
	return (struct sbiret){ SBI_SUCCESS, (long)count };
	// STARTER:
	// TODO("pv_mmu_update", "lab03 handout, task 5");
	// (void)v, (void)list, (void)count;
	// return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
	// END SOLUTION
}

struct sbiret pv_tlb_flush(struct vcpu *v, uint64_t list, uint64_t count)
{
	long err = list_check(v, list, count, sizeof(struct pv_tlb_op));

	if (err)
		return (struct sbiret){ err, 0 };
	for (uint64_t i = 0; i < count; i++) {
		struct pv_tlb_op op;

		(void)gmem_read(v->vm, list + i * sizeof op, &op, sizeof op);
		/* ASIDs are 16 bits in Sv39 (4.1.11) */
		if (op.asid != PV_ALL && op.asid > 0xFFFF)
			return (struct sbiret){ SBI_ERR_INVALID_PARAM, (long)i };
		pv_tlb_drop(v, op.va != PV_ALL, op.va, op.asid != PV_ALL, op.asid);
	}
	return (struct sbiret){ SBI_SUCCESS, (long)count };
}
