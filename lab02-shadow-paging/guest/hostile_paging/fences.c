/*
 * fences.c: groups stale and fences. A PTE the guest rewrites while a
 * translation of it may be cached: until an sfence.vma that covers the
 * address (and its ASID, unless the leaf is global), the hart may use the
 * old translation or the new one (priv 1.12, 4.2.1, 4.3.2); after it, only
 * the new. So the guest may see old data, new data, or a fault of either
 * entry before the fence, and exactly the new entry's result after it.
 */
#include "hostile_paging.h"
#include "virt.h"

#define ASID 7

static uint64_t *set_ppn(uint64_t *pte, uint64_t pa)
{
	*pte = (*pte & ~PTE_PPN_MASK) | PTE_PPN(pa);
	return pte;
}

void group_stale(void)
{
	uint64_t *root = pt_new_root();
	uint64_t a = word_page(1), b = word_page(2);
	csr_write(satp, satp_sv39(root, ASID));
	sfence_vma();
	uint64_t v, cause, tv, c[8];

	/* a valid leaf made invalid, no fence: the old page or a page fault */
	uint64_t va = TEST_VA(0);
	uint64_t *pte = pt_map(root, va, a, 0, PTE_R | PTE_W | PTE_A | PTE_D);
	sfence_vma();
	(void)rd(va);
	*pte = 0;
	cause = hp_probe(va, P_LOAD, &tv, &v);
	c[0] = (cause == 0 && v == 1) || (cause == CAUSE_LOAD_PAGE_FAULT && tv);
	sfence_va(va);
	c[1] = hp_fault(va, P_LOAD);
	/* invalid made valid, no fence: a page fault or the new page */
	*pte = PTE_LEAF(b, PTE_R | PTE_W | PTE_A | PTE_D);
	cause = hp_probe(va, P_LOAD, &tv, &v);
	c[2] = (cause == 0 && v == 2) || (cause == CAUSE_LOAD_PAGE_FAULT && tv);
	sfence_va(va);
	c[3] = rd(va);
	PG_CHECK("stale_valid_invalid", c[0], c[1], c[2], c[3]);

	/* a live pointer (a level-1 entry) redirected to another table, no
	 * fence: the old leaf or the new; after sfence.vma x0 (4.2.1: a
	 * nonleaf change needs rs1 = x0), the new */
	uint64_t pv = TEST_VA(2);
	pt_map(root, pv, a, 0, PTE_R | PTE_A);
	uint64_t *l1 = (uint64_t *)(uintptr_t)PTE_PA(root[(pv >> SV39_VPN_SHIFT(2)) & SV39_VPN_MASK]);
	uint64_t *l1e = &l1[(pv >> SV39_VPN_SHIFT(1)) & SV39_VPN_MASK];
	uint64_t *other = page_alloc();
	other[(pv >> SV39_VPN_SHIFT(0)) & SV39_VPN_MASK] = PTE_LEAF(b, PTE_R | PTE_A);
	sfence_vma();
	c[0] = rd(pv);
	*l1e = PTE_PTR(other);
	v = rd(pv);
	c[1] = v == 1 || v == 2;
	sfence_va(pv);
	v = rd(pv);
	c[2] = v == 1 || v == 2;
	sfence_vma();
	c[3] = rd(pv);
	PG_CHECK("stale_pointer", c[0], c[1], c[2], c[3]);

	/* R|W made read-only, no fence: the store lands or faults; after the
	 * fence it faults and the page keeps its word. Then read-only made
	 * R|W: the store faults or lands; after the fence it lands. */
	uint64_t wv = TEST_VA(4);
	uint64_t *wp = pt_map(root, wv, a, 0, PTE_R | PTE_W | PTE_A | PTE_D);
	sfence_vma();
	*(volatile uint64_t *)wv = 1;
	*wp &= ~PTE_W;
	cause = hp_probe(wv, P_STORE, &tv, NULL);
	c[0] = (cause == 0 && rd(a) == PG_MAGIC) || (cause == CAUSE_STORE_PAGE_FAULT && tv && rd(a) == 1);
	*(volatile uint64_t *)a = 1;
	sfence_va(wv);
	c[1] = hp_fault(wv, P_STORE);
	c[2] = rd(a);
	*wp |= PTE_W;
	cause = hp_probe(wv, P_STORE, &tv, NULL);
	c[3] = (cause == 0 && rd(a) == PG_MAGIC) || (cause == CAUSE_STORE_PAGE_FAULT && tv && rd(a) == 1);
	sfence_va(wv);
	c[4] = hp_probe(wv, P_STORE, NULL, NULL);
	c[5] = rd(a) == PG_MAGIC;
	*(volatile uint64_t *)a = 1;
	PG_CHECK("stale_permissions", c[0], c[1], c[2], c[3], c[4], c[5]);

	/* D cleared on a dirty, cached leaf, no fence: a store may or may not
	 * set D again (a cached translation with D = 1 needs no update);
	 * after the fence the next store sets it (4.3.2 step 7) */
	uint64_t dv = TEST_VA(6);
	uint64_t *dp = pt_map(root, dv, b, 0, PTE_R | PTE_W | PTE_A | PTE_D);
	sfence_vma();
	*(volatile uint64_t *)dv = 2;
	*dp &= ~(PTE_D | PTE_A);
	*(volatile uint64_t *)dv = 2;
	c[0] = (*dp & (PTE_A | PTE_D)) == 0 || (*dp & (PTE_A | PTE_D)) == (PTE_A | PTE_D);
	*dp &= ~(PTE_D | PTE_A);
	sfence_va(dv);
	(void)rd(dv);
	c[1] = *dp & (PTE_A | PTE_D);
	*(volatile uint64_t *)dv = 2;
	c[2] = *dp & (PTE_A | PTE_D);
	/* a leaf moved to another page, no fence, then written: the write
	 * lands on one of the two pages, never elsewhere */
	set_ppn(dp, a);
	*(volatile uint64_t *)dv = 3;
	c[3] = (rd(a) == 3 && rd(b) == 2) || (rd(a) == 1 && rd(b) == 3);
	sfence_va(dv);
	c[4] = rd(dv) == rd(a);
	PG_CHECK("stale_ad", c[0], c[1], c[2], c[3], c[4]);
}

/*
 * sfence.vma in each of its four forms (rs1 and rs2 each x0 or a register,
 * 4.2.1) with register values that name the page, another page, an
 * address no Sv39 translation has (bits 63:39 not bit 38's: the fence has
 * no effect, no exception), the ASID, another ASID, or the ASID with
 * reserved bits above ASIDMAX set (ignored).
 */
static void fence(unsigned form, uint64_t rs1, uint64_t rs2)
{
	switch (form) {
	case 0:
		__asm__ volatile("sfence.vma x0, x0" : : : "memory");
		break;
	case 1:
		__asm__ volatile("sfence.vma %0, x0" : : "r"(rs1) : "memory");
		break;
	case 2:
		__asm__ volatile("sfence.vma x0, %0" : : "r"(rs2) : "memory");
		break;
	default:
		__asm__ volatile("sfence.vma %0, %1" : : "r"(rs1), "r"(rs2) : "memory");
		break;
	}
}

void group_fences(void)
{
	uint64_t *root = pt_new_root();
	uint64_t va = TEST_VA(0) + 3 * PAGE_SIZE;
	uint64_t pa[2] = { word_page(0), word_page(0) };
	static const uint64_t rs1s[] = {
		0, TEST_VA(0) + 3 * PAGE_SIZE, TEST_VA(0) + 3 * PAGE_SIZE + 0x808, TEST_VA(0) + 4 * PAGE_SIZE,
		NONCANON_LOAD, NONCANON_STORE, 0xffff800010000000ULL, 0x8000000000000000ULL,
		0xffffffffffffffffULL,
	};
	static const uint64_t rs2s[] = {
		0, ASID, ASID + 1, ASID | 1UL << 16, ASID | 1UL << 63, 0xffff, ~0ULL,
	};
	const unsigned n1 = sizeof rs1s / sizeof rs1s[0], n2 = sizeof rs2s / sizeof rs2s[0];
	uint64_t allowed = 0, covered = 0, total = 0, covering = 0, k = 1;
	for (unsigned global = 0; global < 2; global++) {
		uint64_t *pte = pt_map(root, va, pa[0], 0, PTE_R | PTE_W | PTE_A | PTE_D | (global ? PTE_G : 0));
		csr_write(satp, satp_sv39(root, ASID));
		sfence_vma();
		for (unsigned form = 0; form < 4; form++)
			for (unsigned i = 0; i < ((form & 1) ? n1 : 1); i++)
				for (unsigned j = 0; j < ((form & 2) ? n2 : 1); j++) {
					uint64_t old = k++, new = k++;
					uint64_t cur = PTE_PA(*pte), next = cur == pa[0] ? pa[1] : pa[0];
					*(volatile uint64_t *)cur = old;
					*(volatile uint64_t *)next = new;
					sfence_vma();
					(void)rd(va);	/* cached, maybe */
					set_ppn(pte, next);
					fence(form, rs1s[i], rs2s[j]);
					uint64_t v = rd(va);
					/* must the fence cover va? rs1 = x0 or va's page,
					 * and rs2 = x0 or ASID (low 16 bits) unless global */
					bool by_va = !(form & 1) || (rs1s[i] >> PAGE_SHIFT) == (va >> PAGE_SHIFT);
					bool by_asid = !(form & 2) || (!global && (rs2s[j] & 0xffff) == ASID);
					bool must = by_va && by_asid;
					total++;
					covering += must;
					allowed += v == new || (!must && v == old);
					covered += must && v == new;
				}
	}
	PG_CHECK("sfence_forms", total, allowed, covering, covered);

	/* a superpage is one translation (4.2.1, 4.3.2): a fence of any of its
	 * addresses covers all of it. Write through a 1 GiB and a 2 MiB leaf,
	 * make it read-only, fence another page of it (by address, then by
	 * address and ASID): the next store at the first page faults. */
	uint64_t sp[4];
	for (unsigned t = 0; t < 4; t++) {
		bool giga = t < 2;
		uint64_t base = giga ? VA3(7, 0, 0) : TEST_VA(8);
		uint64_t pa = giga ? RAM_GIB_VA : VIRT_PAYLOAD_BASE;
		uint64_t *leaf = pt_map(root, base, pa, giga ? 2 : 1, PTE_R | PTE_W | PTE_A | PTE_D);
		sfence_vma();
		uint64_t x = base + ((uint64_t)(uintptr_t)&pg_magic - pa);
		*(volatile uint64_t *)x = PG_MAGIC;
		*leaf &= ~PTE_W;
		uint64_t far = base + (giga ? 0x12345000ULL : SV39_PAGE_SIZE(1) - PAGE_SIZE);
		fence(t & 1 ? 3 : 1, far, ASID);
		sp[t] = hp_fault(x, P_STORE);
	}
	PG_CHECK("sfence_superpages", sp[0], sp[1], sp[2], sp[3]);

	/* the same forms with paging off (Bare): nothing to drop, the VM runs */
	csr_write(satp, 0);
	for (unsigned form = 0; form < 4; form++)
		for (unsigned i = 0; i < n1; i++)
			for (unsigned j = 0; j < n2; j++)
				fence(form, rs1s[i], rs2s[j]);
	PG_CHECK("sfence_forms_bare", pg_magic == PG_MAGIC);
}
