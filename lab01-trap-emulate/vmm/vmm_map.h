/*
 * vmm_map.h: the VMM's address space (one Sv48 table, priv 1.12, 4.5).
 *
 * The real satp is Sv48 although every guest sees at most Sv39: the VMM
 * lives at addresses that are canonical in Sv48 but not in Sv39 (bits
 * 63:39 not all equal), so no guest virtual address, whatever the guest
 * puts in its page tables, can name a VMM page, and lab02's shadow tables
 * can give the guest the whole Sv39 space, top GiB included (Linux puts
 * its kernel at 0xffffffff80000000).
 *
 *   0x0000000000000000 .. 0x0000007FFFFFFFFF  root entry 0: the guest's
 *       low half (PTE_U): guest RAM in lab01
 *   0xFFFF800000000000 .. 0xFFFF8000FFFFFFFF  root entry 256: the VMM's
 *       (never U). Direct map of host physical 0 .. 4 GiB in gigapages,
 *       VA = PA + VMM_PHYS_OFFSET: devices (the real UART at VMM_UART_VA)
 *       below 1 GiB, host RAM from 2 GiB (the VMM image is linked there)
 *   0xFFFFFF8000000000 .. 0xFFFFFFFFFFFFFFFF  root entry 511: the guest's
 *       high half (lab02)
 */
#ifndef VMM_MAP_H
#define VMM_MAP_H

#define VMM_PHYS_OFFSET 0xFFFF800000000000UL	/* VA - PA in the direct map */
#define VMM_ROOT_INDEX  256			/* VMM_PHYS_OFFSET's Sv48 root entry */
#define VMM_MAPPED_GIB  4UL			/* gigapages of the direct map */
#define HOST_RAM_PA     0x80000000UL
#define HOST_RAM_MIN    (256UL << 20)		/* the layout below needs -m 256M */
#define HOST_RAM_MAPPED ((VMM_MAPPED_GIB << 30) - HOST_RAM_PA)
#define VMM_UART_PA     0x10000000UL
#define VMM_UART_VA     (VMM_UART_PA + VMM_PHYS_OFFSET)

/* Host memory layout (-m 256M): VMM image and heap, staging, guest RAM. */
#define STAGE_PA        0x84000000UL		/* the initrd is copied here first */
#define STAGE_SIZE      (64UL << 20)
#define GUEST_BACKING_PA 0x88000000UL		/* guest RAM, 128 MiB */
/* VM i's guest RAM (vm.h, VMM_MAX_VMS): the next 128 MiB after VM i - 1's (lab03: -m 512M) */
#define vm_backing_pa(i) (GUEST_BACKING_PA + (uint64_t)(i) * GUEST_RAM_SIZE)	/* gmem.h */

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline void *pa2va(uint64_t pa) { return (void *)(pa + VMM_PHYS_OFFSET); }
static inline uint64_t va2pa(const void *va) { return (uint64_t)va - VMM_PHYS_OFFSET; }

/* At the load address, before paging: build the table; returns satp. */
uint64_t vmm_map_boot(void);
/* Running high: drop the boot identity map. */
void vmm_map_drop_identity(void);
/* The root table (lab02 copies its entry VMM_ROOT_INDEX into every root the guest runs on). */
uint64_t *vmm_map_root(void);
/* Map guest RAM [gpa, gpa + size) to host [hpa, ...) with PTE_U (2 MiB pages). */
void vmm_map_guest(uint64_t gpa, uint64_t hpa, uint64_t size);
#endif

#endif
