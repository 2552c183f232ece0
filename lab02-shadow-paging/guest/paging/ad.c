/*
 * ad.c: group ad. Leaves made with A = D = 0 get A on their first access
 * and D on their first write (priv 1.12, 4.3.2 step 7: QEMU 7.2 sets them
 * in hardware; a VMM must set them in the guest's PTEs as that hardware
 * does), read back from the guest's own PTEs.
 */
#include "paging.h"
#include "virt.h"

#define AD(pte) (*(volatile uint64_t *)(pte) & (PTE_A | PTE_D))

void group_ad(void)
{
	uint64_t *root = pt_new_root();
	csr_write(satp, satp_sv39(root, 0));
	uint64_t page = (uint64_t)(uintptr_t)page_alloc();
	uint64_t *pte = pt_map(root, TEST_VA(0), page, 0, PTE_R | PTE_W);
	sfence_vma();
	uint64_t before = AD(pte);
	(void)*(volatile uint64_t *)TEST_VA(0);
	uint64_t loaded = AD(pte);
	*(volatile uint64_t *)TEST_VA(0) = 1;
	PG_CHECK("ad_load_then_store", before, loaded, AD(pte));

	/* the kernel clears A and D (a page written back) and fences the
	 * address: the next accesses set them again */
	*pte &= ~(PTE_A | PTE_D);
	sfence_va(TEST_VA(0));
	(void)*(volatile uint64_t *)TEST_VA(0);
	loaded = AD(pte);
	*(volatile uint64_t *)TEST_VA(0) = 3;
	PG_CHECK("ad_after_clear", loaded, AD(pte));

	pte = pt_map(root, TEST_VA(0) + PAGE_SIZE, page, 0, PTE_R | PTE_W);
	sfence_vma();
	*(volatile uint64_t *)(TEST_VA(0) + PAGE_SIZE) = 2;
	PG_CHECK("ad_store_first", AD(pte));

	pte = pt_map(root, TEST_VA(0) + 2 * PAGE_SIZE, (uint64_t)(uintptr_t)pg_ret_page, 0, PTE_R | PTE_X);
	sfence_vma();
	kf_arm();
	probe_exec(TEST_VA(0) + 2 * PAGE_SIZE);
	PG_CHECK("ad_fetch", kf.count == 0 ? AD(pte) : kf.scause << 8);

	/* a 2 MiB leaf over the guest's own image: reads and writes pg_magic */
	uint64_t sp = VIRT_PAYLOAD_BASE;
	pte = pt_map(root, TEST_VA(1), sp, 1, PTE_R | PTE_W);
	sfence_vma();
	volatile uint64_t *alias = (volatile uint64_t *)(TEST_VA(1) + ((uint64_t)(uintptr_t)&pg_magic - sp));
	before = AD(pte);
	uint64_t v = *alias;
	loaded = AD(pte);
	*alias = v;
	PG_CHECK("ad_superpage", before, loaded, AD(pte));
}
