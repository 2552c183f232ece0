/*
 * sfence.c: group sfence. What sfence.vma guarantees (priv 1.12, 4.2.1),
 * and nothing more: after a PTE changes, a stale translation may still be
 * used until an sfence.vma that covers it; one by address covers that
 * address in every address space, one by ASID covers that ASID's
 * non-global translations only, and a global one is covered by an
 * sfence.vma by address or a full one.
 */
#include "checks.h"
#include "paging.h"
#include "virt.h"

static uint64_t word_page(uint64_t v)
{
	uint64_t *p = page_alloc();
	p[0] = v;
	return (uint64_t)(uintptr_t)p;
}

static uint64_t rd(uint64_t va)
{
	return *(volatile uint64_t *)va;
}

void group_sfence(void)
{
	uint64_t *root = pt_new_root();
	uint64_t va = TEST_VA(0);
	uint64_t *pte = pt_map(root, va, word_page(1), 0, PTE_R | PTE_W | PTE_A | PTE_D);
	csr_write(satp, satp_sv39(root, 1));
	sfence_vma();
	(void)rd(va);	/* the translation may now be cached */
	*pte = (*pte & ~PTE_PPN_MASK) | PTE_PPN(word_page(2));
	uint64_t stale = rd(va);
	sfence_va(va);
	PG_CHECK("sfence_va", stale == 1 || stale == 2, rd(va));

	/* a 2 MiB leaf: a fence of one of its addresses covers all of it (one
	 * leaf PTE, 4.2.1); the other 2 MiB holds its own copy of pg_magic */
	uint64_t sp = TEST_VA(2), off = (uint64_t)(uintptr_t)&pg_magic - VIRT_PAYLOAD_BASE;
	uint64_t other = VIRT_PAYLOAD_BASE + SV39_PAGE_SIZE(1);
	*(volatile uint64_t *)(other + off) = PG_MAGIC ^ 1;
	uint64_t *spte = pt_map(root, sp, VIRT_PAYLOAD_BASE, 1, PTE_R | PTE_W | PTE_A | PTE_D);
	sfence_vma();
	uint64_t old = rd(sp + off) == PG_MAGIC;
	(void)rd(sp);
	*spte = (*spte & ~PTE_PPN_MASK) | PTE_PPN(other);
	stale = rd(sp + off);
	sfence_va(sp);	/* the first page, not the one read below */
	PG_CHECK("sfence_superpage", old, stale == PG_MAGIC || stale == (PG_MAGIC ^ 1),
		 rd(sp + off) == (PG_MAGIC ^ 1), off >= PAGE_SIZE);

	/* ASIDs 1 and 2, one root each, the same address to other pages */
	uint64_t *r2 = pt_new_root();
	uint64_t *pte2 = pt_map(r2, va, word_page(10), 0, PTE_R | PTE_W | PTE_A | PTE_D);
	sfence_asid(2);
	csr_write(satp, satp_sv39(r2, 2));
	uint64_t a2 = rd(va);
	*pte2 = (*pte2 & ~PTE_PPN_MASK) | PTE_PPN(word_page(20));
	sfence_asid(2);
	csr_write(satp, satp_sv39(root, 1));
	uint64_t a1 = rd(va);
	csr_write(satp, satp_sv39(r2, 2));
	PG_CHECK("sfence_asid", a1, a2, rd(va));

	/* a global leaf, the same in both roots (4.3.1: G in every space) */
	uint64_t g = TEST_VA(1), gp = word_page(7);
	uint64_t *g1 = pt_map(root, g, gp, 0, PTE_R | PTE_W | PTE_G | PTE_A | PTE_D);
	uint64_t *g2 = pt_map(r2, g, gp, 0, PTE_R | PTE_W | PTE_G | PTE_A | PTE_D);
	sfence_vma();
	csr_write(satp, satp_sv39(root, 1));
	uint64_t in1 = rd(g);
	csr_write(satp, satp_sv39(r2, 2));
	uint64_t in2 = rd(g);
	uint64_t np = word_page(8);
	*g1 = *g2 = (*g1 & ~PTE_PPN_MASK) | PTE_PPN(np);
	sfence_asid(2);	/* does not cover a global translation */
	stale = rd(g);
	sfence_va(g);
	PG_CHECK("sfence_global", in1, in2, stale == 7 || stale == 8, rd(g));

	/* a fence by an address no Sv39 translation has (4.4.1: bits 63:39
	 * not bit 38's) fences nothing there; the addresses are those a VMM
	 * may keep for itself in Sv48 (its image, its devices), so a VMM that
	 * walked its own table for them would wreck it */
	static const uint64_t outside[] = {
		NONCANON_STORE, NONCANON_STORE & ~0xffffffffULL, NONCANON_LOAD,
	};
	for (unsigned i = 0; i < sizeof outside / sizeof outside[0]; i++) {
		sfence_va(outside[i]);
		__asm__ volatile("sfence.vma %0, %1" : : "r"(outside[i]), "r"(1UL) : "memory");
	}
	PG_CHECK("sfence_noncanonical", rd(g), rd(va));
}
