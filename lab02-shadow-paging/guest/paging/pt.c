/*
 * pt.c: the guest's page pool and its Sv39 tables (priv 1.12, 4.3.1 and
 * 4.4). Tables and test pages come from one static pool inside the image,
 * so they are guest RAM natively and under any VMM.
 */
#include <stdio.h>
#include <string.h>

#include "paging.h"
#include "sbi.h"

#define POOL_PAGES 96
static uint8_t pool[POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned pool_used;

void pt_reset(void)
{
	pool_used = 0;
}

void *page_alloc(void)
{
	if (pool_used == POOL_PAGES) {
		printf("KIT NOTE page pool empty: the guest needs more than %u pages\n", POOL_PAGES);
		sbi_shutdown_failure();
	}
	void *p = pool[pool_used++];
	memset(p, 0, PAGE_SIZE);
	return p;
}

static uint64_t pte_of(uint64_t pa, uint64_t flags)
{
	return PTE_PPN(pa) | flags | PTE_V;
}

uint64_t *pt_map(uint64_t *root, uint64_t va, uint64_t pa, unsigned level, uint64_t flags)
{
	uint64_t *t = root;
	for (unsigned i = SV39_LEVELS - 1; i > level; i--) {
		uint64_t *pte = &t[(va >> SV39_VPN_SHIFT(i)) & SV39_VPN_MASK];
		if ((*pte & PTE_V) == 0)
			*pte = pte_of((uint64_t)(uintptr_t)page_alloc(), 0);	/* a pointer: R = W = X = 0 */
		t = (uint64_t *)(uintptr_t)PTE_PA(*pte);
	}
	uint64_t *leaf = &t[(va >> SV39_VPN_SHIFT(level)) & SV39_VPN_MASK];
	PTE_STORE(leaf, pte_of(pa, flags), va);
	return leaf;
}

uint64_t *pt_new_root(void)
{
	uint64_t *root = page_alloc();
	pt_map(root, RAM_GIB_VA, RAM_GIB_VA, 2, PTE_KERNEL);
	pt_map(root, KERNEL_HIGH_VA, RAM_GIB_VA, 2, PTE_KERNEL);
	return root;
}

uint64_t satp_sv39(const uint64_t *root, unsigned asid)
{
	return SATP_MODE_SV39 << SATP_MODE_SHIFT | (uint64_t)asid << SATP_ASID_SHIFT |
	       (uint64_t)(uintptr_t)root >> PAGE_SHIFT;
}
