/*
 * vmm_map.c: the VMM's Sv48 page table (priv 1.12, 4.3, 4.5). The root,
 * the VMM's gigapage table (root entry 256), the boot identity table, and
 * lab01's guest RAM tables (root entry 0).
 *
 * vmm_map_boot() runs before paging, at the physical load address, so it
 * must only use PC-relative addressing (medany), no jump tables and no
 * other function: the addresses it takes are physical.
 */
#include "riscv.h"
#include "vmm_map.h"

/* Sv48's leaves are Sv39's sizes (4.5.1) */
#define GIGAPAGE SV39_PAGE_SIZE(2)
#define MEGAPAGE SV39_PAGE_SIZE(1)
#define PTE_LEAF(pa, flags) (PTE_PPN(pa) | (flags) | PTE_V | PTE_A | PTE_D)
#define PTE_TABLE(pa) (PTE_PPN(pa) | PTE_V)

/* the direct map is root entry VMM_ROOT_INDEX, and no Sv39 address is in it */
_Static_assert((VMM_PHYS_OFFSET >> 39 & 511) == VMM_ROOT_INDEX, "vmm_map.h");
_Static_assert(VMM_ROOT_INDEX != 0 && VMM_ROOT_INDEX != 511, "vmm_map.h");

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t vmm_l2[512] __attribute__((aligned(4096)));
static uint64_t boot_l2[512] __attribute__((aligned(4096)));
static uint64_t guest_l2[512] __attribute__((aligned(4096)));
static uint64_t guest_l1[512] __attribute__((aligned(4096)));

uint64_t vmm_map_boot(void)
{
	/* identity gigapage for the code running now */
	root[0] = PTE_TABLE((uint64_t)boot_l2);
	boot_l2[HOST_RAM_PA / GIGAPAGE] = PTE_LEAF(HOST_RAM_PA, PTE_R | PTE_W | PTE_X);
	/* the VMM's direct map, never PTE_U: devices below 1 GiB (not executable), RAM */
	root[VMM_ROOT_INDEX] = PTE_TABLE((uint64_t)vmm_l2);
	for (uint64_t i = 0; i < VMM_MAPPED_GIB; i++)
		vmm_l2[i] = PTE_LEAF(i * GIGAPAGE, PTE_R | PTE_W | PTE_G |
				     (i * GIGAPAGE >= HOST_RAM_PA ? PTE_X : 0));
	return (SATP_MODE_SV48 << SATP_MODE_SHIFT) | ((uint64_t)root >> 12);
}

void vmm_map_drop_identity(void)
{
	root[0] = 0;
	sfence_vma();
}

uint64_t *vmm_map_root(void)
{
	return root;
}

void vmm_map_guest(uint64_t gpa, uint64_t hpa, uint64_t size)
{
	/* lab01: guest RAM fits in one gigabyte slot of the low 512 GiB */
	root[0] = PTE_TABLE(va2pa(guest_l2));
	guest_l2[(gpa >> 30) & 511] = PTE_TABLE(va2pa(guest_l1));
	for (uint64_t off = 0; off < size; off += MEGAPAGE)
		guest_l1[((gpa + off) >> 21) & 511] =
			PTE_LEAF(hpa + off, PTE_R | PTE_W | PTE_X | PTE_U);
	sfence_vma();
}
