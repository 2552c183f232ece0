/*
 * unit_gstage.c: the G-stage table (vmm/gstage.c: gstage_map,
 * gstage_hgatp; lab02 handout, nested mode, task 6) on the host. The
 * student's mmu_vm_init runs in its runner (gstage_rpc.h) on a fake
 * machine; the test walks the table it built with its own model of
 * Sv39x4 (priv 1.12, 8.5.1: Sv39 with a root of 2048 entries indexed by
 * GPA[40:30]), as the hart would for a guest in VS-mode.
 */
#include <stdio.h>

#include "gstage_rpc.h"
#include "kit.h"

#define T6 "lab02 handout, nested mode, task 6"
#define RAM_GPA  0x80000000UL
#define RAM_SIZE (128UL << 20)

static void setup(void)
{
	gstage_rpc_regions(0);
}

static const struct rpc_lab gstage_lab = { GSTAGE_RUNNER, setup };

/* The VMM's mmu_vm_init for a VM whose RAM is [base, base + size), in the runner. */
static void gstage_vm_init(uint64_t base, uint64_t size)
{
	RPC_CALL_VOID(&gstage_lab, FN_gstage_vm_init, RPC_S(base), RPC_S(size));
}

/* The table page at host physical pa, or NULL if it is not one of the pool's. */
static uint64_t *table(uint64_t pa, unsigned entries)
{
	if (pa < GS_POOL_PA || pa % PAGE_SIZE ||
	    pa - GS_POOL_PA + entries * SV39_PTE_SIZE > sizeof gs_pool)
		return NULL;
	return &gs_pool[(pa - GS_POOL_PA) / PAGE_SIZE][0];
}

/* The spec's G-stage walk of gpa: 0 and the host address and leaf, or
 * -1 (a guest-page fault) with why. */
static int gs_walk(uint64_t gpa, uint64_t *hpa, uint64_t *leaf, const char **why)
{
	uint64_t root = (gs_hw.hgatp & HGATP_PPN_MASK) << PAGE_SHIFT;
	uint64_t *t = table(root, 2048);

	*why = "the root is not a table page of hw_table_pool()";
	if (gpa >> 41) {
		*why = "GPA beyond 41 bits";
		return -1;
	}
	for (int level = SV39_LEVELS - 1; t && level >= 0; level--) {
		unsigned idx = (unsigned)(gpa >> SV39_VPN_SHIFT(level)) &
			       (level == SV39_LEVELS - 1 ? 2047 : SV39_VPN_MASK);
		uint64_t pte = t[idx];
		if (!(pte & PTE_V)) {
			*why = "no valid entry";
			return -1;
		}
		if (pte & (PTE_R | PTE_W | PTE_X)) {
			uint64_t size = SV39_PAGE_SIZE(level);
			if (PTE_PA(pte) % size) {
				*why = "a misaligned superpage";
				return -1;
			}
			*leaf = pte;
			*hpa = PTE_PA(pte) + (gpa & (size - 1));
			return 0;
		}
		if (level == 0) {
			*why = "a pointer at level 0";
			return -1;
		}
		*why = "a pointer to a page that is not a table page of hw_table_pool()";
		t = table(PTE_PA(pte), 512);
	}
	return -1;
}

static void init_ok(uint64_t base, uint64_t size)
{
	gstage_vm_init(base, size);
	cr_assert(gs_hw.shutdown == 0 && gs_hw.hgatp_writes == 1,
		  "mmu_vm_init for guest RAM %#lx..%#lx with %u table pages: expected hgatp written "
		  "once and the VM going on, got %u hgatp writes and %s; fix gstage_map() or "
		  "gstage_hgatp() in vmm/gstage.c, " T6, (unsigned long)base, (unsigned long)(base + size),
		  gs_hw.pool_pages, gs_hw.hgatp_writes, gs_hw.shutdown ? "the VM stopped" : "no stop");
}

/* Every page of [base, base + size) maps to GS_RAM_PA + its offset, as a user RWX page. */
static void assert_ram_mapped(uint64_t base, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		uint64_t hpa = 0, leaf = 0;
		const char *why = "";
		int rc = gs_walk(base + off, &hpa, &leaf, &why);
		cr_assert(rc == 0 && hpa == GS_RAM_PA + off,
			  "guest RAM at GPA %#lx: expected host %#lx, got %s; fix gstage_map() in "
			  "vmm/gstage.c, " T6, (unsigned long)(base + off), (unsigned long)(GS_RAM_PA + off),
			  rc ? why : "another address");
		uint64_t need = PTE_V | PTE_R | PTE_W | PTE_X | PTE_U;
		cr_assert((leaf & need) == need,
			  "the G-stage leaf for GPA %#lx is %#lx: expected V, R, W, X and U (8.5.1: "
			  "G-stage accesses are checked as user accesses, a leaf without U faults); fix "
			  "gstage_map() in vmm/gstage.c, " T6, (unsigned long)(base + off), (unsigned long)leaf);
	}
}

static void assert_unmapped(uint64_t gpa, const char *what)
{
	uint64_t hpa, leaf;
	const char *why;
	cr_assert(gs_walk(gpa, &hpa, &leaf, &why) != 0,
		  "GPA %#lx (%s) maps to host %#lx: only guest RAM may have a guest physical address "
		  "(devices must fault into the VMM, the VMM's memory must stay unreachable); fix "
		  "gstage_map() in vmm/gstage.c, " T6, (unsigned long)gpa, what, (unsigned long)hpa);
}

TestSuite(gstage, .timeout = 30);

KIT_TEST(gstage, hgatp_names_an_sv39x4_root_with_a_vmid,
	 .description = "hgatp names Sv39x4 (MODE 8), a nonzero VMID and a 16 KiB aligned root "
			"among the table pages, written once")
{
	init_ok(RAM_GPA, RAM_SIZE);
	uint64_t h = gs_hw.hgatp, ppn = h & HGATP_PPN_MASK;
	cr_assert(h >> HGATP_MODE_SHIFT == HGATP_MODE_SV39X4,
		  "hgatp %#lx: expected MODE 8 (Sv39x4) in bits 63:60; fix gstage_hgatp() in "
		  "vmm/gstage.c, " T6, (unsigned long)h);
	cr_assert(((h >> HGATP_VMID_SHIFT) & HGATP_VMID_MASK) != 0,
		  "hgatp %#lx: expected a nonzero VMID in bits 57:44 (0 is the VMM's own, no G-stage "
		  "entry may be tagged with it); fix gstage_hgatp() in vmm/gstage.c, " T6, (unsigned long)h);
	cr_assert(ppn % 4 == 0 && table(ppn << PAGE_SHIFT, 2048),
		  "hgatp %#lx: the root's PPN %#lx must name 4 consecutive table pages of "
		  "hw_table_pool() starting at a 16 KiB boundary (8.2.10: PPN[1:0] = 0); fix "
		  "gstage_hgatp() or the root's allocation in vmm/gstage.c, " T6,
		  (unsigned long)h, (unsigned long)ppn);
}

KIT_TEST(gstage, guest_ram_maps_to_its_backing,
	 .description = "every page of guest RAM translates to its host backing as a user "
			"read-write-execute page")
{
	init_ok(RAM_GPA, RAM_SIZE);
	assert_ram_mapped(RAM_GPA, RAM_SIZE);
}

KIT_TEST(gstage, nothing_but_guest_ram_is_mapped,
	 .description = "no guest physical address outside guest RAM translates: devices, "
			"host memory beyond guest RAM's backing, the 41-bit top")
{
	init_ok(RAM_GPA, RAM_SIZE);
	static const struct { uint64_t gpa; const char *what; } outside[] = {
		{ 0, "address 0" },
		{ 0x02000000, "the CLINT" },
		{ 0x0c000000, "the PLIC" },
		{ 0x10000000, "the UART" },
		{ 0x10001000, "virtio-mmio slot 0" },
		{ RAM_GPA - PAGE_SIZE, "the page below guest RAM" },
		{ RAM_GPA + RAM_SIZE, "the page above guest RAM" },
		{ GS_RAM_PA + RAM_SIZE, "host memory above guest RAM's backing" },
		{ 0x100000000UL, "4 GiB" },
		{ (1UL << 41) - PAGE_SIZE, "the last Sv39x4 page" },
	};
	for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++)
		assert_unmapped(outside[i].gpa, outside[i].what);
}

KIT_TEST(gstage, unaligned_guest_ram_maps_page_by_page,
	 .description = "guest RAM that is not 2 MiB aligned with its backing still maps exactly, "
			"page by page, and nothing around it")
{
	uint64_t base = RAM_GPA + PAGE_SIZE, size = (4UL << 20) + 3 * PAGE_SIZE;
	init_ok(base, size);
	assert_ram_mapped(base, size);
	assert_unmapped(base - PAGE_SIZE, "the page below guest RAM");
	assert_unmapped(base + size, "the page above guest RAM");
}

KIT_TEST(gstage, too_few_table_pages_stop_the_vm,
	 .description = "with too few table pages for guest RAM the VM stops with a message "
			"instead of running on a partial table")
{
	/* enough pages: the same RAM maps */
	init_ok(RAM_GPA + PAGE_SIZE, 8UL << 20);
	gs_hw.hgatp_writes = 0;
	gs_hw.pool_pages = 5;	/* the root and one page: not enough for 4 KiB leaves */
	gstage_vm_init(RAM_GPA + PAGE_SIZE, 8UL << 20);
	cr_assert(gs_hw.shutdown == 2 && gs_hw.hgatp_writes == 0,
		  "mmu_vm_init with %u table pages for 2048 4 KiB leaves: expected the VM stopped "
		  "(hw_shutdown(1)) before any hgatp write, got %u writes and %s; gstage_map() must "
		  "return -1 when new_table() has no page left, vmm/gstage.c, " T6,
		  gs_hw.pool_pages, gs_hw.hgatp_writes,
		  gs_hw.shutdown == 0 ? "no stop" : "a clean shutdown");
}
