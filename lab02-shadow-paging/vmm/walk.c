/*
 * walk.c: a guest Sv39, Sv48 or Sv57 table walked as priv 1.12, 4.3.2
 * walks one, with PTESIZE = 8 and LEVELS = 3, 4 or 5 as satp.MODE says
 * (4.4, 4.5, 4.6). "step N" below is 4.3.2's.
 *
 * The checks keep the spec's order because the order is visible: a walk
 * that faults leaves the guest's PTEs as they were (A and D are written
 * only in step 7, after steps 5 and 6 passed), and it reads no more PTEs
 * than the level it stopped at. Only page faults and access faults come
 * out, and both are reported for the original access type (the guest
 * gets stval = va; the caller sets it).
 */
#include <stddef.h>

#include "riscv.h"
#include "todo.h"
#include "walk.h"

static int page_fault(enum gmem_access acc)
{
	return acc == GMEM_FETCH ? CAUSE_FETCH_PAGE_FAULT
	     : acc == GMEM_LOAD ? CAUSE_LOAD_PAGE_FAULT : CAUSE_STORE_PAGE_FAULT;
}

static int access_fault(enum gmem_access acc)
{
	return acc == GMEM_FETCH ? CAUSE_FETCH_ACCESS
	     : acc == GMEM_LOAD ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS;
}

int sv_walk(const struct walk_mem *m, const struct walk_req *r, struct walk_result *out)
{
	// BEGIN SOLUTION: walk a guest Sv39, Sv48 or Sv57 table
	unsigned levels = sv_levels(r->satp);
	uint64_t a, gpa, pte, ppn, want;
	uint64_t *p;
	unsigned i;
	bool readable, allowed;
	int pf = page_fault(r->acc);	/* every fault but step 2's */

	out->refs = 0;
	if (r->satp >> SATP_MODE_SHIFT == SATP_MODE_BARE) {
		/* 4.1.11: Bare is no translation and no protection */
		*out = (struct walk_result){ .pa = r->va };
		return 0;
	}
	/* The VMM keeps every reserved MODE out of the guest's satp (WARL,
	 * 4.1.11): one here is a VMM bug, and a fault is safer than a guess. */
	if (levels == 0)
		return pf;

	/* 4.4.1, 4.5.1, 4.6.1: the bits of the VA above its 39, 48 or 57
	 * must all equal the top one, or the access page-faults before any
	 * PTE is read. */
	if (!sv_canonical(r->va, levels))
		return pf;

	/* step 1: the root table and i = LEVELS - 1 */
	a = (r->satp & SATP_PPN_MASK) << PAGE_SHIFT;
	i = levels - 1;
	for (;;) {
		/* step 2: a PTE address outside guest RAM is what a PMA
		 * violation is on a real machine: an access fault. */
		gpa = a + ((r->va >> SV39_VPN_SHIFT(i)) & SV39_VPN_MASK) * SV39_PTE_SIZE;
		p = m->pte(m->ctx, gpa);
		if (!p)
			return access_fault(r->acc);
		pte = *p;
		out->refs++;

		/* step 3: invalid, the reserved W-without-R encoding, or a
		 * reserved bit 63:54 (4.4.1, the same in Sv48 and Sv57: no
		 * Svnapot or Svpbmt here, so N and PBMT are reserved too) */
		if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) || (pte & PTE_RESERVED_MASK))
			return pf;

		/* step 4: R or X makes a leaf */
		if (pte & (PTE_R | PTE_X))
			break;
		/* A pointer's D, A and U are reserved (4.3.1) but, as on
		 * QEMU 7.2, ignored rather than faulted on: a guest that runs
		 * there runs here. A pointer at level 0 ends the walk, so no
		 * table, however linked, takes more than LEVELS reads. */
		if (i == 0)
			return pf;
		i--;
		a = PTE_PA(pte);
	}

	/* step 5: R/W/X/U against the privilege, SUM and MXR (4.3.1, 4.1.1.2) */
	if (r->user) {
		allowed = pte & PTE_U;	/* U-mode reaches only U pages */
	} else if (pte & PTE_U) {
		/* S-mode: data in U pages only with SUM, never code */
		allowed = r->acc != GMEM_FETCH && r->sum;
	} else {
		allowed = true;
	}
	/* MXR: loads may also read pages that are only executable */
	readable = (pte & PTE_R) || (r->mxr && (pte & PTE_X));
	if (r->acc == GMEM_FETCH)
		allowed = allowed && (pte & PTE_X);
	else if (r->acc == GMEM_LOAD)
		allowed = allowed && readable;
	else
		allowed = allowed && (pte & PTE_W);	/* W implies R (step 3) */
	if (!allowed)
		return pf;

	/* step 6: a superpage's PPN[i-1:0] must be 0 */
	ppn = (pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT;
	if (ppn & ((1UL << (SV39_VPN_BITS * i)) - 1))
		return pf;

	/* step 7: A, and D for a store. The guest does not run while the VMM
	 * walks (one hart), so this store is atomic with step 2's read. */
	want = PTE_A | (r->acc == GMEM_STORE ? PTE_D : 0);
	if ((pte & want) != want) {
		if (!r->set_ad)
			return pf;
		pte |= want;
		*p = pte;
	}

	/* step 8: a superpage takes PPN[i-1:0] from the VA (the low i*9
	 * PPN bits are 0 after step 6) */
	out->pa = (ppn << PAGE_SHIFT) | (r->va & (SV39_PAGE_SIZE(i) - 1));
	out->pte = pte;
	out->pte_gpa = gpa;
	out->level = i;
	return 0;
	// STARTER:
	// TODO("sv_walk", "lab02 handout, task 1");
	// (void)m;
	// (void)access_fault;	/* step 2 needs it: drop this line then */
	// out->refs = 0;
	// return page_fault(r->acc);
	// END SOLUTION
}
