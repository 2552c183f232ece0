/*
 * tables.c: page tables a walker can get lost in (priv 1.12, 4.3.2, Sv39's
 * LEVELS = 3): tables that point to themselves or to each other, pointers
 * to no RAM, to a device, to the top of the physical space, reserved
 * encodings, misaligned superpages, U leaves in a supervisor walk, and a
 * root at the last page of RAM. Whatever the walk meets, it ends after at
 * most three PTE reads with the leaf or the fault the spec gives.
 */
#include <string.h>

#include "hostile_paging.h"
#include "virt.h"

/* Any fault a table at no RAM may give: 4.3.2 step 2's access fault, or
 * the page fault QEMU 7.2 gives (README, "Deviations"); stval = va both. */
static uint64_t table_fault_ok(uint64_t va, enum probe_kind k)
{
	uint64_t ok, cause = hp_probe(va, k, &ok, NULL);
	uint64_t access = k == P_FETCH ? CAUSE_FETCH_ACCESS : k == P_STORE ? CAUSE_STORE_ACCESS
									   : CAUSE_LOAD_ACCESS;
	uint64_t page = k == P_FETCH ? CAUSE_FETCH_PAGE_FAULT : k == P_STORE ? CAUSE_STORE_PAGE_FAULT
									     : CAUSE_LOAD_PAGE_FAULT;
	return ok && (cause == access || cause == page);
}

void group_loops(void)
{
	uint64_t *root = pt_new_root();
	/* root[5]: a pointer to the root itself; root[6]: a leaf naming the
	 * root (R|W): a 4 KiB view of the table through itself */
	root[5] = PTE_PTR(root);
	root[6] = PTE_LEAF(root, PTE_R | PTE_W | PTE_A | PTE_D);
	csr_write(satp, satp_sv39(root, 0));
	sfence_vma();

	/* root -> root -> root: root[5] is a pointer at level 0 (step 4) */
	uint64_t v = VA3(5, 5, 5);
	PG_CHECK("self_loop_pointer", hp_fault(v, P_LOAD), hp_fault(v, P_STORE), hp_fault(v, P_FETCH));

	/* root[6] reached at level 0: the root page itself; at level 1 and 2
	 * it is a superpage whose PPN is not aligned (step 6) */
	uint64_t self = VA3(5, 5, 6);
	uint64_t e6 = rd(self + 6 * 8) == root[6], e2 = rd(self + 2 * 8) == root[2];
	/* a store through the self-map writes the table: root[9] becomes a
	 * 1 GiB leaf onto RAM, which a fence makes visible */
	*(volatile uint64_t *)(self + 9 * 8) = PTE_LEAF(RAM_GIB_VA, PTE_R | PTE_A);
	sfence_vma();
	uint64_t via9 = rd(VA3(9, 0, 0) + (uint64_t)(uintptr_t)&pg_magic - RAM_GIB_VA) == PG_MAGIC;
	PG_CHECK("self_map", e6, e2, root[9] == PTE_LEAF(RAM_GIB_VA, PTE_R | PTE_A), via9,
		 hp_fault(VA3(5, 6, 0), P_LOAD), hp_fault(VA3(6, 0, 0), P_LOAD));

	/* two tables pointing at each other, and one at itself */
	uint64_t *a = page_alloc(), *b = page_alloc();
	a[3] = PTE_PTR(b);
	b[3] = PTE_PTR(a);
	b[4] = PTE_PTR(b);
	a[7] = PTE_PTR(a);
	root[8] = PTE_PTR(a);
	sfence_vma();
	/* a table whose every entry points back at it: a walker that does not
	 * stop at level 0 never finds anything else */
	uint64_t *full = page_alloc();
	for (unsigned i = 0; i < 512; i++)
		full[i] = PTE_PTR(full);
	root[14] = PTE_PTR(full);
	sfence_vma();
	PG_CHECK("self_loop_full", hp_fault(VA3(14, 0, 0), P_LOAD), hp_fault(VA3(14, 511, 77), P_STORE),
		 hp_fault(VA3(14, 300, 300) + 0x7f8, P_FETCH));

	PG_CHECK("mutual_loop", hp_fault(VA3(8, 3, 3), P_LOAD), hp_fault(VA3(8, 3, 4), P_STORE),
		 hp_fault(VA3(8, 7, 7), P_FETCH), hp_fault(VA3(8, 3, 3), P_FETCH));
}

void group_bad_pointers(void)
{
	uint64_t *root = pt_new_root();
	uint64_t ram_end = ginfo.ram_base + ginfo.ram_size;
	uint64_t *l1 = page_alloc();
	root[10] = PTE_PTR(VIRT_UART0_BASE);	/* a table on the UART */
	root[11] = PTE_PTR(ram_end);		/* the page after RAM */
	root[12] = PTE_PPN_MASK | PTE_V;	/* the top of the 56-bit space */
	root[13] = PTE_PTR(l1);
	l1[0] = PTE_PPN_MASK | PTE_V;		/* the same, one level down */
	l1[1] = PTE_PTR(ram_end);
	csr_write(satp, satp_sv39(root, 0));
	sfence_vma();

	/* VA3(10, 0, 0) reads its PTE from the UART's RBR itself */
	PG_CHECK("pointer_to_mmio", table_fault_ok(VA3(10, 0, 0), P_LOAD),
		 table_fault_ok(VA3(10, 1, 0), P_LOAD), table_fault_ok(VA3(10, 2, 0), P_STORE),
		 table_fault_ok(VA3(10, 3, 0), P_FETCH));
	PG_CHECK("pointer_past_ram", table_fault_ok(VA3(11, 0, 0), P_LOAD),
		 table_fault_ok(VA3(11, 1, 0), P_STORE), table_fault_ok(VA3(13, 1, 0), P_LOAD),
		 table_fault_ok(VA3(13, 1, 5), P_FETCH));
	PG_CHECK("pointer_to_top", table_fault_ok(VA3(12, 0, 0), P_LOAD),
		 table_fault_ok(VA3(12, 511, 511), P_STORE), table_fault_ok(VA3(13, 0, 0), P_LOAD),
		 table_fault_ok(VA3(13, 0, 511), P_FETCH));

	/*
	 * The same from an Sv48 root, where the hart has it (QEMU 7.2 native
	 * and in VS-mode; lab02's shadow satp keeps Sv39, WARL 4.1.11, and
	 * then this check has nothing to see). Root entries 0 and 511 point
	 * at the Sv39 root, which serves as the level-2 table of the lower
	 * and upper 512 GiB, so the kernel runs on. Entry 1 puts a level-2
	 * table on the UART: VA 1 << 39 reads its PTE at the UART's offset 0,
	 * which is the VA's page offset too, as in VA3(10, 0, 0) one level
	 * down: a VMM that tells a walk's access from the access by page
	 * offsets reads the UART for the guest (nested mode, vs_exit.c).
	 */
	uint64_t *r48 = page_alloc();
	r48[0] = PTE_PTR(root);
	r48[511] = PTE_PTR(root);
	r48[1] = PTE_PTR(VIRT_UART0_BASE);
	csr_write(satp, SATP_MODE_SV48 << SATP_MODE_SHIFT | (uint64_t)(uintptr_t)r48 >> PAGE_SHIFT);
	sfence_vma();
	bool sv48 = csr_read(satp) >> SATP_MODE_SHIFT == SATP_MODE_SV48;
	uint64_t top48 = 1UL << 39;
	PG_CHECK("pointer_to_mmio_sv48", !sv48 || table_fault_ok(top48, P_LOAD),
		 !sv48 || table_fault_ok(top48, P_STORE), !sv48 || table_fault_ok(top48 + 8, P_FETCH),
		 !sv48 || table_fault_ok(VA3(10, 0, 0), P_LOAD), !sv48 || table_fault_ok(VA3(10, 2, 0), P_STORE));
	csr_write(satp, satp_sv39(root, 0));
	sfence_vma();

	/* leaves (data) there: access faults, stval = the virtual address */
	uint64_t *l0 = page_alloc();
	l1[2] = PTE_PTR(l0);
	l0[0] = PTE_LEAF(PA_TOP, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
	l0[1] = PTE_LEAF(ram_end, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
	l0[2] = PTE_LEAF(ram_end - PAGE_SIZE, PTE_R | PTE_W | PTE_A | PTE_D);
	sfence_vma();
	uint64_t top = VA3(13, 2, 0), past = VA3(13, 2, 1);
	PG_CHECK("leaf_outside_ram", hp_fault(top, P_LOAD), hp_fault(top, P_STORE),
		 hp_fault(top, P_FETCH), hp_fault(past, P_LOAD), hp_fault(past + 8, P_STORE),
		 hp_fault(past, P_FETCH), rd(VA3(13, 2, 2) + PAGE_SIZE - 8) == rd(ram_end - 8));
}

void group_bad_leaves(void)
{
	uint64_t *root = pt_new_root();
	uint64_t page = (uint64_t)(uintptr_t)pg_ret_page;
	csr_write(satp, satp_sv39(root, 0));

	/* bits 63:54 one at a time (4.4.1: reserved; N and PBMT without
	 * Svnapot and Svpbmt): bit i of the value = a page fault, stval = va */
	uint64_t faulted = 0;
	for (unsigned bit = 54; bit < 64; bit++)
		pt_map(root, TEST_VA(0) + bit * PAGE_SIZE, page, 0, PTE_R | PTE_A | 1ULL << bit);
	sfence_vma();
	for (unsigned bit = 54; bit < 64; bit++)
		if (hp_fault(TEST_VA(0) + bit * PAGE_SIZE, P_LOAD) == CAUSE_LOAD_PAGE_FAULT)
			faulted |= 1ULL << (bit - 54);
	/* the same bits on a pointer */
	uint64_t ptr_faulted = 0;
	uint64_t *l0 = page_alloc();
	l0[0] = PTE_LEAF(page, PTE_R | PTE_A);
	uint64_t *l1 = page_alloc();
	root[20] = PTE_PTR(l1);
	for (unsigned bit = 54; bit < 64; bit++)
		l1[bit] = PTE_PTR(l0) | 1ULL << bit;
	sfence_vma();
	for (unsigned bit = 54; bit < 64; bit++)
		if (hp_fault(VA3(20, bit, 0), P_LOAD) == CAUSE_LOAD_PAGE_FAULT)
			ptr_faulted |= 1ULL << (bit - 54);
	PG_CHECK("reserved_bits", faulted, ptr_faulted);

	/* W without R, on leaves (W, W|X) and on a pointer (4.3.1) */
	pt_map(root, TEST_VA(1), page, 0, PTE_W | PTE_A | PTE_D);
	pt_map(root, TEST_VA(1) + PAGE_SIZE, page, 0, PTE_W | PTE_X | PTE_A | PTE_D);
	uint64_t *l1w = page_alloc();	/* a clean path below the W pointer */
	l1w[0] = PTE_PTR(l0);
	root[21] = PTE_PTR(l1w) | PTE_W;
	sfence_vma();
	uint64_t w = TEST_VA(1), wx = TEST_VA(1) + PAGE_SIZE;
	PG_CHECK("w_without_r_all", hp_fault(w, P_LOAD), hp_fault(w, P_STORE), hp_fault(w, P_FETCH),
		 hp_fault(wx, P_LOAD), hp_fault(wx, P_STORE), hp_fault(wx, P_FETCH),
		 hp_fault(VA3(21, 0, 0), P_LOAD));

	/* misaligned superpages (step 6) by one page and by one megapage, for
	 * a store and a fetch too; an aligned one beside them works */
	pt_map(root, TEST_VA(2), VIRT_PAYLOAD_BASE + PAGE_SIZE, 1, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
	pt_map(root, 0x100000000ULL, RAM_GIB_VA + SV39_PAGE_SIZE(1), 2, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
	pt_map(root, 0x140000000ULL, RAM_GIB_VA + PAGE_SIZE, 2, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
	pt_map(root, TEST_VA(3), VIRT_PAYLOAD_BASE, 1, PTE_R | PTE_A);
	sfence_vma();
	PG_CHECK("misaligned_all", hp_fault(TEST_VA(2) + 8, P_STORE), hp_fault(TEST_VA(2), P_FETCH),
		 hp_fault(0x100000000ULL + 16, P_STORE), hp_fault(0x100000000ULL, P_FETCH),
		 hp_fault(0x140000000ULL + 0x1000, P_LOAD), hp_fault(0x140000000ULL, P_FETCH),
		 rd(TEST_VA(3) + magic_off()) == PG_MAGIC);

	/* U leaves in a supervisor walk (4.3.1, 4.1.1.2): S never executes a
	 * U page, whatever SUM; S reads one only with SUM; also a 1 GiB U leaf */
	uint64_t u = TEST_VA(4);
	pt_map(root, u, page, 0, PTE_U | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
	pt_map(root, 0x180000000ULL, RAM_GIB_VA, 2, PTE_U | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
	uint64_t ug = 0x180000000ULL + (page - RAM_GIB_VA);
	sfence_vma();
	uint64_t c[7];
	c[0] = hp_fault(u, P_FETCH);
	c[1] = hp_fault(u, P_LOAD);
	c[2] = hp_fault(ug, P_STORE);
	csr_set(sstatus, SSTATUS_SUM);
	c[3] = hp_fault(u, P_FETCH);
	c[4] = hp_fault(ug, P_FETCH);
	c[5] = hp_probe(ug, P_LOAD, NULL, NULL);
	csr_set(sstatus, SSTATUS_MXR);
	c[6] = hp_fault(ug, P_FETCH);
	csr_clear(sstatus, SSTATUS_SUM | SSTATUS_MXR);
	PG_CHECK("user_leaf_kernel_walk", c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
}

void group_last_page(void)
{
	/* the root in the last page of RAM (the device tree lies lower: 2 MiB
	 * below the top, both natively and under the VMM) */
	uint64_t last = ginfo.ram_base + ginfo.ram_size - PAGE_SIZE;
	uint64_t *r = (uint64_t *)(uintptr_t)last;
	const uint64_t *model = pt_new_root();
	memcpy(r, model, PAGE_SIZE);
	r[1] = PTE_PTR(r);				/* itself: r[3] seen at level 0 */
	r[3] = PTE_LEAF(r, PTE_R | PTE_W | PTE_A | PTE_D);
	/* the last 2 MiB of RAM as one leaf, the root's page at its end */
	r[4] = PTE_PTR(page_alloc());
	pt_map(r, VA3(4, 0, 0), ginfo.ram_base + ginfo.ram_size - SV39_PAGE_SIZE(1), 1,
	       PTE_R | PTE_W | PTE_A | PTE_D);
	csr_write(satp, satp_sv39(r, 0));
	sfence_vma();
	uint64_t high = (uint64_t)(uintptr_t)&pg_magic + KERNEL_HIGH_OFF;
	uint64_t self = VA3(1, 1, 3), end = VA3(4, 0, 0) + SV39_PAGE_SIZE(1) - 8;
	*(volatile uint64_t *)end = 0x5a5a5a5a5a5a5a5aULL & ~PTE_V;	/* r[511], still invalid */
	PG_CHECK("root_last_page", csr_read(satp) == satp_sv39(r, 0), pg_magic == PG_MAGIC,
		 rd(high) == PG_MAGIC, rd(self + 3 * 8) == r[3], rd(end) == r[511],
		 r[511] == (0x5a5a5a5a5a5a5a5aULL & ~PTE_V), hp_fault(0xfffffffffffff000ULL, P_LOAD));
}
