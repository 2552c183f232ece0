/*
 * vm.c: the VMM's Sv39 page table (priv 1.12, 4.3/4.4). Three pages: the
 * root, the VMM's top-GiB table (2 MiB megapages) and the guest RAM table.
 *
 * vm_boot_map() runs before paging, at the physical load address, so it
 * must only use PC-relative addressing (medany), no jump tables and no
 * other function: the addresses it takes are physical.
 */
#include "riscv.h"
#include "vm.h"

#define MEGAPAGE (2UL << 20)
#define PTE_LEAF(pa, flags) ((((pa) >> 12) << PTE_PPN_SHIFT) | (flags) | PTE_V | PTE_A | PTE_D)
#define PTE_TABLE(pa) ((((pa) >> 12) << PTE_PPN_SHIFT) | PTE_V)

/* the direct map starts at the bottom of the VMM's reserved top GiB (root entry 511) */
_Static_assert(HOST_RAM_PA + VMM_PHYS_OFFSET == VMM_RESERVED_VA, "vm.h");
_Static_assert((VMM_RESERVED_VA >> 30 & 511) == 511, "vm.h");

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t vmm_l1[512] __attribute__((aligned(4096)));
static uint64_t guest_l1[512] __attribute__((aligned(4096)));

uint64_t vm_boot_map(void)
{
	/* identity gigapage for the code running now (VPN[2] = 2) */
	root[HOST_RAM_PA >> 30] = PTE_LEAF(HOST_RAM_PA, PTE_R | PTE_W | PTE_X);
	/* the top GiB: host RAM direct map and the UART, never PTE_U */
	root[511] = PTE_TABLE((uint64_t)vmm_l1);
	for (uint64_t i = 0; i < HOST_RAM_MAPPED / MEGAPAGE; i++)
		vmm_l1[i] = PTE_LEAF(HOST_RAM_PA + i * MEGAPAGE, PTE_R | PTE_W | PTE_X | PTE_G);
	vmm_l1[511] = PTE_LEAF(VMM_UART_PA, PTE_R | PTE_W | PTE_G);
	return (SATP_MODE_SV39 << SATP_MODE_SHIFT) | ((uint64_t)root >> 12);
}

void vm_drop_identity(void)
{
	root[HOST_RAM_PA >> 30] = 0;
	sfence_vma();
}

void vm_map_guest(uint64_t gpa, uint64_t hpa, uint64_t size)
{
	/* lab01: guest RAM fits in one gigabyte slot of the low half */
	root[(gpa >> 30) & 511] = PTE_TABLE(va2pa(guest_l1));
	for (uint64_t off = 0; off < size; off += MEGAPAGE)
		guest_l1[((gpa + off) >> 21) & 511] =
			PTE_LEAF(hpa + off, PTE_R | PTE_W | PTE_X | PTE_U);
	sfence_vma();
}
