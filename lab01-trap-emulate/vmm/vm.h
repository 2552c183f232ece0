/*
 * vm.h: the VMM's address space (one Sv39 table, priv 1.12, 4.4).
 *
 *   0x0000000000000000 .. 0x0000003FFFFFFFFF  the guest's (PTE_U) : guest RAM
 *   0xFFFFFFFFC0000000 .. 0xFFFFFFFFFFFFFFFF  the VMM's (never U): the top
 *       1 GiB, reserved. Direct map of host RAM (VA = PA + VMM_PHYS_OFFSET,
 *       up to 1022 MiB) from 0xFFFFFFFFC0000000, the real UART at VMM_UART_VA.
 */
#ifndef VMM_VM_H
#define VMM_VM_H

#define VMM_PHYS_OFFSET 0xFFFFFFFF40000000UL	/* VA - PA in the direct map */
#define VMM_RESERVED_VA 0xFFFFFFFFC0000000UL	/* lowest VMM-only address */
#define HOST_RAM_PA     0x80000000UL
#define HOST_RAM_MIN    (256UL << 20)		/* the layout below needs -m 256M */
#define HOST_RAM_MAPPED (511UL << 21)		/* direct map: the top GiB but the UART page */
#define VMM_UART_PA     0x10000000UL
#define VMM_UART_VA     0xFFFFFFFFFFE00000UL	/* the last 2 MiB megapage */

/* Host memory layout (-m 256M): VMM image and heap, staging, guest RAM. */
#define STAGE_PA        0x84000000UL		/* the initrd is copied here first */
#define STAGE_SIZE      (64UL << 20)
#define GUEST_BACKING_PA 0x88000000UL		/* guest RAM, 128 MiB */

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline void *pa2va(uint64_t pa) { return (void *)(pa + VMM_PHYS_OFFSET); }
static inline uint64_t va2pa(const void *va) { return (uint64_t)va - VMM_PHYS_OFFSET; }

/* At the load address, before paging: build the table; returns satp. */
uint64_t vm_boot_map(void);
/* Running high: drop the boot identity map. */
void vm_drop_identity(void);
/* Map guest RAM [gpa, gpa + size) to host [hpa, ...) with PTE_U (2 MiB pages). */
void vm_map_guest(uint64_t gpa, uint64_t hpa, uint64_t size);
#endif

#endif
