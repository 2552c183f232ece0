/*
 * leaves.c: group leaves. A leaf at each Sv39 level reads and writes the
 * memory it names; the leaves the spec rejects fault (priv 1.12, 4.3.2):
 * a misaligned superpage, W without R, a non-canonical address.
 */
#include "checks.h"
#include "paging.h"
#include "virt.h"

/* The page's word at pa, seen at va: 1 if it reads and writes through. */
static void leaf_check(const char *name, uint64_t *root, uint64_t va, uint64_t pa, unsigned level)
{
	pt_map(root, va, pa, level, PTE_R | PTE_W | PTE_A | PTE_D);
	sfence_vma();
	uint64_t off = (uint64_t)(uintptr_t)&pg_magic - pa;
	volatile uint64_t *alias = (volatile uint64_t *)(uintptr_t)(va + off);
	uint64_t reads = *alias == PG_MAGIC;
	*alias = PG_MAGIC + 1;
	uint64_t writes = pg_magic == PG_MAGIC + 1;
	pg_magic = PG_MAGIC;
	PG_CHECK(name, reads, writes);
}

/* A load (and optionally a store) at va: the cause and whether stval = va. */
static void fault_at(uint64_t va, bool store, uint64_t *cause, uint64_t *tval_ok)
{
	kf_arm();
	if (store)
		probe_store(va, 1);
	else
		probe_load(va);
	*cause = kf.count == 1 ? kf.scause : 0;
	*tval_ok = kf.count == 1 && kf.stval == va;
}

void group_leaves(void)
{
	uint64_t *root = pt_new_root();
	csr_write(satp, satp_sv39(root, 0));
	sfence_vma();
	uint64_t page = (uint64_t)(uintptr_t)&pg_magic & ~(PAGE_SIZE - 1);
	leaf_check("leaf_4k", root, TEST_VA(0), page, 0);
	leaf_check("leaf_2m", root, TEST_VA(1), page & ~(SV39_PAGE_SIZE(1) - 1), 1);
	leaf_check("leaf_1g", root, 0xc0000000UL, RAM_GIB_VA, 2);

	uint64_t c[6];
	/* PPN[0] != 0 in a 2 MiB leaf, PPN[1] != 0 in a 1 GiB leaf */
	pt_map(root, TEST_VA(2), VIRT_PAYLOAD_BASE + PAGE_SIZE, 1, PTE_R | PTE_A);
	pt_map(root, 0x100000000UL, VIRT_PAYLOAD_BASE, 2, PTE_R | PTE_A);
	sfence_vma();
	fault_at(TEST_VA(2), false, &c[0], &c[1]);
	fault_at(0x100000000UL, false, &c[2], &c[3]);
	PG_CHECK("superpage_misaligned", c[0], c[1], c[2], c[3]);

	pt_map(root, TEST_VA(3), page, 0, PTE_W | PTE_A | PTE_D);
	sfence_vma();
	fault_at(TEST_VA(3), false, &c[0], &c[1]);
	fault_at(TEST_VA(3), true, &c[2], &c[3]);
	PG_CHECK("w_without_r", c[0], c[1], c[2], c[3]);

	/* a pointer (R = W = X = 0) where a leaf must be: level 0 */
	pt_map(root, TEST_VA(4), page, 0, 0);
	/* bits 63 (N, Svnapot) and 62:61 (PBMT, Svpbmt) set: reserved without
	 * those extensions (4.3.1; QEMU 7.2 has neither by default) */
	pt_map(root, TEST_VA(4) + PAGE_SIZE, page, 0, PTE_R | PTE_A | 1UL << 63);
	pt_map(root, TEST_VA(4) + 2 * PAGE_SIZE, page, 0, PTE_R | PTE_A | 1UL << 61);
	sfence_vma();
	fault_at(TEST_VA(4), false, &c[0], &c[1]);
	fault_at(TEST_VA(4) + PAGE_SIZE, false, &c[2], &c[3]);
	fault_at(TEST_VA(4) + 2 * PAGE_SIZE, false, &c[4], &c[5]);
	PG_CHECK("bad_leaves", c[0], c[1], c[2], c[3], c[4], c[5]);

	/* a leaf and a table outside RAM (QEMU virt has none at 0x90000000
	 * with 256 MiB): access faults, stval = the virtual address (4.3.2
	 * steps 2 and 8: PMA checks) */
	pt_map(root, TEST_VA(5), OUTSIDE_RAM, 0, PTE_R | PTE_W | PTE_A | PTE_D);
	uint64_t *l1 = (uint64_t *)(uintptr_t)PTE_PA(root[(TEST_VA(5) >> SV39_VPN_SHIFT(2)) & SV39_VPN_MASK]);
	l1[(TEST_VA(6) >> SV39_VPN_SHIFT(1)) & SV39_VPN_MASK] = PTE_PPN(OUTSIDE_RAM) | PTE_V;
	sfence_vma();
	fault_at(TEST_VA(5), false, &c[0], &c[1]);
	fault_at(TEST_VA(5), true, &c[2], &c[3]);
	fault_at(TEST_VA(6), false, &c[4], &c[5]);
	/* QEMU 7.2 gives a page fault for the table (its walk treats a failed
	 * PTE read as an invalid PTE): either is allowed here */
	c[4] = c[4] == CAUSE_LOAD_ACCESS || c[4] == CAUSE_LOAD_PAGE_FAULT;
	PG_CHECK("outside_ram", c[0], c[1], c[2], c[3], c[4], c[5]);

	/* a 4-byte instruction across a page boundary, its second half
	 * unmapped: fetch page fault, sepc = the instruction, stval = the
	 * page boundary (the part that faulted; 4.1.9) */
	uint16_t *code = page_alloc();
	code[PAGE_SIZE / 2 - 1] = 0x8067;	/* jalr x0, 0(ra): low half here, */
	fence_i();				/* the high half (0) on the next page */
	uint64_t cva = TEST_VA(7);
	pt_map(root, cva, (uint64_t)(uintptr_t)code, 0, PTE_R | PTE_X | PTE_A);
	sfence_vma();
	kf_arm();
	probe_exec(cva + PAGE_SIZE - 2);
	PG_CHECK("fetch_page_cross", kf.scause, kf.sepc == cva + PAGE_SIZE - 2, kf.stval == cva + PAGE_SIZE);

	kf_arm();
	probe_load(NONCANON_LOAD);
	c[0] = kf.scause, c[1] = kf.stval;
	kf_arm();
	probe_store(NONCANON_STORE, 1);
	c[2] = kf.scause, c[3] = kf.stval;
	kf_arm();
	probe_exec(NONCANON_FETCH);
	c[4] = kf.scause, c[5] = kf.stval;
	PG_CHECK("noncanonical", c[0], c[1], c[2], c[3], c[4], c[5]);
}
