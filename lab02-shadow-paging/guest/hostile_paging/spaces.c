/*
 * spaces.c: groups spaces, ring and flood. More address spaces than a
 * shadow pager keeps (lab02's VMM: 8, shadow.h SHADOW_SPACES), switched
 * in the orders that defeat an LRU cache, by the kernel and by user
 * processes; then a flood of distinct 2 MiB regions, each of which costs
 * a shadow pager a table page, far more than its pool holds (lab02's: 64
 * MiB). The guest must see its own mappings every time: a pager that runs
 * out evicts or flushes and refills, never shows a stale space.
 */
#include "hostile_paging.h"
#include "virt.h"

#define NSPACES 13	/* 12 roots (ASIDs 1..12), and the first root again with ASID 13 */

void group_spaces(void)
{
	uint64_t satps[NSPACES], want[NSPACES];
	for (unsigned i = 0; i < NSPACES; i++) {
		uint64_t *root = i < NSPACES - 1 ? pt_new_root()
						 : (uint64_t *)(uintptr_t)((satps[0] & SATP_PPN_MASK) << PAGE_SHIFT);
		if (i < NSPACES - 1)
			pt_map(root, TEST_VA(0), word_page(100 + i), 0, PTE_R | PTE_W | PTE_A | PTE_D);
		want[i] = 100 + (i < NSPACES - 1 ? i : 0);
		satps[i] = satp_sv39(root, i + 1);
	}
	sfence_vma();
	/* forward (each space the least recently used one when it comes
	 * back), backward, and strides through them; every load must be the
	 * space's own */
	uint64_t good = 0, n = 0;
	for (unsigned round = 0; round < 4; round++)
		for (unsigned k = 0; k < NSPACES; k++) {
			unsigned i = round == 1 ? NSPACES - 1 - k : (k * (1 + 4 * (round == 3))) % NSPACES;
			csr_write(satp, satps[i]);
			good += rd(TEST_VA(0)) == want[i];
			n++;
		}
	/* the kernel writes in one space while the others are evicted: the
	 * write is in that space's page, seen after a round of the others */
	csr_write(satp, satps[2]);
	*(volatile uint64_t *)TEST_VA(0) = 777;
	for (unsigned i = 3; i < NSPACES; i++) {
		csr_write(satp, satps[i]);
		(void)rd(TEST_VA(0));
	}
	csr_write(satp, satps[2]);
	PG_CHECK("many_spaces", n, good, rd(TEST_VA(0)));
}

#define NPROCS 10

void group_ring(void)
{
	static struct proc p[NPROCS];
	uint64_t data[NPROCS];
	for (unsigned i = 0; i < NPROCS; i++) {
		proc_init(&p[i], i + 1);
		data[i] = proc_map_user(&p[i]);
	}
	/* each process adds its increment and yields; 3 turns each */
	int why = proc_run(p, NPROCS, user_va(u_count), 1, 0, 3 * NPROCS - 1);
	uint64_t good = 0;
	for (unsigned i = 0; i < NPROCS; i++)
		good += *(volatile uint64_t *)(uintptr_t)data[i] == 3ULL << (8 * (i % 8));
	PG_CHECK("ring_of_spaces", why == RUN_QUOTA, ur.yields, good);
}

/* root entries 3 .. 3 + FLOOD_GIB - 1, each 512 regions of 2 MiB */
#define FLOOD_FIRST 3
#define FLOOD_GIB 40

void group_flood(void)
{
	uint64_t *root = pt_new_root();
	uint64_t *l1 = page_alloc();
	/* every 2 MiB region of the flood: the kernel image's first 2 MiB
	 * (read-only); one level-1 table shared by all 40 GiB */
	for (unsigned j = 0; j < 512; j++)
		l1[j] = PTE_LEAF(VIRT_PAYLOAD_BASE, PTE_R | PTE_A);
	for (unsigned g = FLOOD_FIRST; g < FLOOD_FIRST + FLOOD_GIB; g++)
		root[g] = PTE_PTR(l1);
	csr_write(satp, satp_sv39(root, 0));
	sfence_vma();
	uint64_t off = magic_off(), n = 0, bad = 0;
	for (unsigned g = FLOOD_FIRST; g < FLOOD_FIRST + FLOOD_GIB; g++)
		for (unsigned j = 0; j < 512; j++, n++)
			bad += rd(VA3(g, j, 0) + off) != PG_MAGIC;
	/* the first regions again (long evicted, if anything was) */
	uint64_t again = 0;
	for (unsigned j = 0; j < 512; j++)
		again += rd(VA3(FLOOD_FIRST, j, 0) + off) == PG_MAGIC;
	/* and a store still faults everywhere (read-only leaves) */
	uint64_t st = hp_fault(VA3(FLOOD_FIRST + FLOOD_GIB - 1, 511, 0) + off, P_STORE);
	PG_CHECK("flood_regions", n, bad, again, st);
}
