/*
 * modes.c: group satp_modes. satp is WARL (priv 1.12, 4.1.11): a write
 * with a MODE the hart does not implement has no effect at all; Bare,
 * and Sv39 here, always take; Sv48 and Sv57 may or may not (QEMU 7.2 has
 * both, lab02's VMM neither). The ASID field holds ASIDLEN low bits, at
 * most 16, the others read 0.
 */
#include "hostile_paging.h"

#define ASID_PATTERN 0x5a5UL

/* An ASID written as w read back as g: the low bits of w, ASIDLEN of them. */
static bool asid_ok(uint64_t w, uint64_t g)
{
	for (unsigned len = 0; len <= 16; len++)
		if (g == (w & ((1UL << len) - 1)))
			return true;
	return false;
}

/*
 * One satp write of MODE m, every field set, and back. The probe root maps
 * the kernel's GiB onto itself in Sv39 (entry 2, a 1 GiB leaf) and, through
 * entry 0 pointing back at the root, in Sv48 and Sv57, so the kernel runs
 * on whichever took.
 */
static bool mode_ok(uint64_t m, const uint64_t *probe, uint64_t old)
{
	uint64_t ppn = (uint64_t)(uintptr_t)probe >> PAGE_SHIFT;
	uint64_t want = m << SATP_MODE_SHIFT | ASID_PATTERN << SATP_ASID_SHIFT | ppn;
	csr_write(satp, want);
	uint64_t got = csr_read(satp);
	csr_write(satp, old);
	sfence_vma();
	uint64_t gmode = got >> SATP_MODE_SHIFT, gasid = (got >> SATP_ASID_SHIFT) & 0xffff;
	bool took = gmode == m && (got & SATP_PPN_MASK) == ppn && asid_ok(ASID_PATTERN, gasid);
	if (m == SATP_MODE_BARE)
		return gmode == 0;	/* the other fields: UNSPECIFIED (4.1.11) */
	if (m == SATP_MODE_SV39)
		return took;
	if (m == SATP_MODE_SV48 || m == SATP_MODE_SV57)
		return took || got == old;
	return got == old;		/* reserved: no effect */
}

void group_satp_modes(void)
{
	uint64_t *root = pt_new_root();
	uint64_t *probe = page_alloc();
	probe[0] = PTE_PTR(probe);
	probe[2] = PTE_LEAF(RAM_GIB_VA, PTE_KERNEL);
	uint64_t old = satp_sv39(root, 1);
	csr_write(satp, old);
	sfence_vma();

	/* every MODE, from paging on: bit m = an outcome 4.1.11 allows */
	uint64_t okmask = 0;
	for (uint64_t m = 0; m < 16; m++)
		okmask |= (uint64_t)mode_ok(m, probe, old) << m;

	/* a reserved MODE with a wild PPN while paging is on: ignored, and the
	 * kernel runs on (its high mapping still reads) */
	uint64_t high = (uint64_t)(uintptr_t)&pg_magic + KERNEL_HIGH_OFF;
	csr_write(satp, 5UL << SATP_MODE_SHIFT | SATP_PPN_MASK | 0xffffUL << SATP_ASID_SHIFT);
	uint64_t kept = csr_read(satp) == old && rd(high) == PG_MAGIC;
	/* Sv39 with every ASID bit: its low ASIDLEN bits stick, paging works */
	uint64_t full = SATP_MODE_SV39 << SATP_MODE_SHIFT | 0xffffUL << SATP_ASID_SHIFT |
			(uint64_t)(uintptr_t)root >> PAGE_SHIFT;
	csr_write(satp, full);
	uint64_t got = csr_read(satp);
	sfence_vma();
	uint64_t asid = asid_ok(0xffff, (got >> SATP_ASID_SHIFT) & 0xffff) &&
			(got & ~(0xffffUL << SATP_ASID_SHIFT)) == (full & ~(0xffffUL << SATP_ASID_SHIFT));
	uint64_t works = rd(high) == PG_MAGIC;
	/* Bare from Sv39 and back: paging off reads physical memory */
	csr_write(satp, 0);
	sfence_vma();
	uint64_t bare = csr_read(satp) == 0 && pg_magic == PG_MAGIC;
	PG_CHECK("satp_every_mode", okmask, kept, asid, works, bare);
}
