/*
 * gstage.c: lab02's nested-mode backend (lab01's mmu.h): the G-stage
 * table that turns the guest's physical addresses into host ones while
 * the guest runs in VS-mode (priv 1.12, 8.5: two-stage translation). The
 * guest's own page tables (vsatp, the VS-stage) are the hardware's to
 * walk: the VMM never sees them, nor the guest's satp writes or fences.
 *
 * Sv39x4 (8.5.1): a 41-bit guest physical address, Sv39's three levels
 * with a root widened by two bits, 2048 entries (16 KiB, 16 KiB aligned).
 * The table is built once from the VM's memory map (struct vm): guest RAM
 * only, in 2 MiB leaves where RAM and its backing are aligned, 4 KiB
 * leaves elsewhere. Devices get no entry, so every access to one is a
 * guest-page fault the VMM emulates (vs_exit.c); the VMM's memory, the
 * firmware's and every other host page have no guest physical address
 * at all. G-stage leaves are user pages (8.5.1: G-stage accesses are
 * checked as U-mode accesses), with A and D preset.
 */
#include <stdio.h>
#include <string.h>

#include "hw.h"
#include "mmu.h"
#include "riscv.h"
#include "todo.h"
#include "vs_hw.h"

const char vmm_banner[] = "lab02 VMM, nested paging (guest in VS-mode, Sv39x4 G-stage)";

#define SV39X4_ROOT_ENTRIES 2048		/* GPA[40:30] */
#define SV39X4_ROOT_PAGES   (SV39X4_ROOT_ENTRIES * SV39_PTE_SIZE / PAGE_SIZE)
#define SV39X4_GPA_BITS     41
/* a VMID tags a VM's G-stage TLB entries: VM i's is i + 1 (lab03 runs two) */
#define GSTAGE_VMID         (gs.vmid)
#define GSTAGE_LEAF (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)

/* one G-stage per VM (vm.h: vm->mmu); gs is the one being built or shown */
struct mmu_vm {
	uint64_t *pool;		/* table pages (its part of hw_table_pool) */
	unsigned long npages, used;
	uint64_t *root;
	uint64_t hgatp;
	uint64_t vmid;
	unsigned long leaves[SV39_LEVELS];	/* by level: 4 KiB, 2 MiB */
};
static struct mmu_vm gstages[VMM_MAX_VMS];
static struct mmu_vm *cur_gs = &gstages[0];
#define gs (*cur_gs)


static uint64_t *new_table(unsigned long pages)
{
	if (gs.used + pages > gs.npages)
		return 0;
	uint64_t *t = gs.pool + gs.used * (PAGE_SIZE / SV39_PTE_SIZE);
	gs.used += pages;
	memset(t, 0, pages * PAGE_SIZE);
	return t;
}

/* VPN[level] of a GPA; the root's (level 2) index has two more bits */
static unsigned gpa_index(uint64_t gpa, int level)
{
	uint64_t mask = level == SV39_LEVELS - 1 ? SV39X4_ROOT_ENTRIES - 1 : SV39_VPN_MASK;
	return (unsigned)((gpa >> SV39_VPN_SHIFT(level)) & mask);
}

/*
 * Map the page of `level` (0: 4 KiB, 1: 2 MiB) at guest physical gpa to
 * host physical hpa, creating the tables on the way; -1 if out of table
 * pages.
 */
static int gstage_map(uint64_t gpa, uint64_t hpa, int level)
{
	// BEGIN SOLUTION: one G-stage leaf (priv 1.12, 8.5.1)
	uint64_t *t = gs.root;

	for (int l = SV39_LEVELS - 1; l > level; l--) {
		uint64_t *pte = &t[gpa_index(gpa, l)];
		if (!(*pte & PTE_V)) {
			uint64_t *next = new_table(1);
			if (!next)
				return -1;
			/* a pointer: V only, R = W = X = 0 (4.3.1) */
			*pte = PTE_PPN(hw_table_pa(next)) | PTE_V;
		}
		t = hw_table_va(PTE_PA(*pte));
	}
	/* a leaf: U set, G-stage accesses are checked as user ones (8.5.1) */
	t[gpa_index(gpa, level)] = PTE_PPN(hpa) | GSTAGE_LEAF;
	gs.leaves[level]++;
	return 0;
	// STARTER:
	// TODO("gstage_map", "lab02 handout, nested mode, task 6");
	// (void)gpa, (void)hpa, (void)level, (void)gpa_index, (void)new_table;
	// return -1;
	// END SOLUTION
}

/* hgatp for the G-stage rooted at host physical root_pa (8.2.10). */
static uint64_t gstage_hgatp(uint64_t root_pa)
{
	// BEGIN SOLUTION: hgatp: mode, VMID, root
	return (HGATP_MODE_SV39X4 << HGATP_MODE_SHIFT) |
	       ((uint64_t)GSTAGE_VMID << HGATP_VMID_SHIFT) | (root_pa >> PAGE_SHIFT);
	// STARTER:
	// TODO("gstage_hgatp", "lab02 handout, nested mode, task 6");
	// (void)root_pa;
	// return 0;
	// END SOLUTION
}

void mmu_vm_init(struct vm *vm)
{
	void *pages;
	uint64_t gpa = vm->ram.base, end = vm->ram.base + vm->ram.size;
	uint64_t hpa = hw_table_pa(vm->ram.host);

	if (vm->id >= VMM_MAX_VMS)
		goto fail;
	/* the pages of hw_table_pool the other VMs' G-stages hold come first */
	unsigned long pool_taken = 0;
	for (unsigned i = 0; i < VMM_MAX_VMS; i++)
		if (i != vm->id)
			pool_taken += gstages[i].used;
	cur_gs = vm->mmu = &gstages[vm->id];
	memset(&gs, 0, sizeof gs);
	gs.vmid = vm->id + 1;
	gs.npages = hw_table_pool(&pages) - pool_taken;
	gs.pool = (uint64_t *)pages + pool_taken * (PAGE_SIZE / SV39_PTE_SIZE);
	/* the root's 16 KiB alignment (8.2.10: hgatp.PPN[1:0] are zero) */
	while ((hw_table_pa(gs.pool + gs.used * (PAGE_SIZE / SV39_PTE_SIZE)) >> PAGE_SHIFT) % SV39X4_ROOT_PAGES)
		gs.used++;
	gs.root = new_table(SV39X4_ROOT_PAGES);
	if (!gs.root || end > (1UL << SV39X4_GPA_BITS))
		goto fail;
	while (gpa < end) {
		uint64_t mega = SV39_PAGE_SIZE(1);
		int level = gpa % mega == 0 && hpa % mega == 0 && end - gpa >= mega ? 1 : 0;
		if (gstage_map(gpa, hpa, level) != 0)
			goto fail;
		gpa += SV39_PAGE_SIZE(level);
		hpa += SV39_PAGE_SIZE(level);
	}
	uint64_t want = gstage_hgatp(hw_table_pa(gs.root));
	gs.hgatp = hw_set_hgatp(want);
	if ((gs.hgatp >> HGATP_MODE_SHIFT) != HGATP_MODE_SV39X4 ||
	    (gs.hgatp & HGATP_PPN_MASK) != (want & HGATP_PPN_MASK) || want == 0) {
		printf("vmm: hgatp %#llx reads back %#llx: no Sv39x4 G-stage at the root "
		       "(gstage_hgatp; QEMU needs h=true)\n",
		       (unsigned long long)want, (unsigned long long)gs.hgatp);
		hw_shutdown(1);
	}
	return;
fail:
	printf("vmm: cannot build the G-stage table for guest RAM %#llx..%#llx (gstage_map)\n",
	       (unsigned long long)vm->ram.base, (unsigned long long)end);
	hw_shutdown(1);
}

void mmu_vm_switch(struct vm *vm)
{
	cur_gs = vm->mmu;
	/* the VMIDs differ: the other VM's TLB entries cannot serve this one (8.2.10) */
	hw_set_hgatp(gs.hgatp);
}

void mmu_print_stats(void)
{
	struct mmu_vm *keep = cur_gs;

	for (cur_gs = gstages; cur_gs < gstages + VMM_MAX_VMS; cur_gs++)
		if (gs.hgatp)
			printf("vmm: nested paging: hgatp %#llx (Sv39x4, VMID %llu), %lu table pages, "
			       "%lu 2 MiB and %lu 4 KiB leaves\n", (unsigned long long)gs.hgatp,
			       (unsigned long long)((gs.hgatp >> HGATP_VMID_SHIFT) & HGATP_VMID_MASK),
			       gs.used, gs.leaves[1], gs.leaves[0]);
	cur_gs = keep;
}
