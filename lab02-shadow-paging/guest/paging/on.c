/*
 * on.c: group paging_on, turning Sv39 on as Linux 6.1 does: probe the
 * modes through satp's WARL behaviour, then run on the identity and high
 * mappings, and get onto the high one through a fetch fault.
 */
#include "paging.h"

/*
 * A write of satp with MODE m: 1 if it reads back as written or left satp
 * unchanged (4.1.11: "the entire write has no effect" for an unsupported
 * MODE). The probe root's entry 0 is a leaf at every level of Sv39, Sv48
 * and Sv57 that maps the low addresses onto themselves, so the kernel
 * keeps running whichever mode took.
 */
static uint64_t satp_try(uint64_t mode, const uint64_t *root)
{
	uint64_t old = csr_read(satp);
	uint64_t want = mode << SATP_MODE_SHIFT | (uint64_t)(uintptr_t)root >> PAGE_SHIFT;
	csr_write(satp, want);
	uint64_t got = csr_read(satp);
	csr_write(satp, 0);
	sfence_vma();
	return got == want || got == old;
}

void group_paging_on(void)
{
	uint64_t *probe = page_alloc();
	probe[0] = PTE_V | PTE_KERNEL;	/* PPN 0: identity at any level */
	sfence_vma();
	uint64_t sv57 = satp_try(SATP_MODE_SV57, probe);
	uint64_t sv48 = satp_try(SATP_MODE_SV48, probe);
	uint64_t *root = pt_new_root();
	uint64_t sv39 = satp_sv39(root, 0);
	csr_write(satp, sv39);
	sfence_vma();
	PG_CHECK("satp_warl_probe", sv57, sv48, csr_read(satp) == sv39);

	uint64_t high = (uint64_t)(uintptr_t)&pg_magic + KERNEL_HIGH_OFF;
	PG_CHECK("identity_high", pg_magic == PG_MAGIC, *(volatile uint64_t *)high == PG_MAGIC);

	/* a root with the kernel's high mapping only */
	uint64_t *high_only = page_alloc();
	pt_map(high_only, KERNEL_HIGH_VA, RAM_GIB_VA, 2, PTE_KERNEL);
	uint64_t out[4];
	jump_high(satp_sv39(high_only, 0), KERNEL_HIGH_OFF, sv39, out);
	PG_CHECK("jump_to_high", out[0], out[1] == out[3],
		 out[2] == (uint64_t)(uintptr_t)jump_high_at + KERNEL_HIGH_OFF);
}
