/*
 * gmem.h: guest memory as the VMM sees it.
 *
 * Guest physical addresses (GPA) [gmem_base, gmem_base + size) are guest
 * RAM, backed by host memory the VMM reaches at `host` (its direct map).
 * vm.c maps the same range into the low half of the real page table with
 * PTE_U so the guest (in U-mode) can use it. In lab01 the guest's satp is
 * Bare, so a guest virtual address is its physical address; lab02 adds
 * guest page tables behind gmem_translate().
 */
#ifndef VMM_GMEM_H
#define VMM_GMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vcpu.h"

#define GUEST_RAM_GPA  0x80000000UL
#define GUEST_RAM_SIZE (128UL << 20)
#define GUEST_LOAD_GPA 0x80200000UL	/* raw images, as OpenSBI's payload address */

enum gmem_access {
	GMEM_FETCH,
	GMEM_LOAD,
	GMEM_STORE,
};

/* Register guest RAM: GPA base..base+size backed by host pointer `host`. */
void gmem_init(void *host, uint64_t gpa_base, uint64_t size);
uint64_t gmem_base(void);
uint64_t gmem_size(void);

/* True if [gpa, gpa + len) lies inside guest RAM. */
bool gmem_contains(uint64_t gpa, uint64_t len);
/* The VMM's pointer to [gpa, gpa + len), or NULL if not all guest RAM. */
void *gmem_ptr(uint64_t gpa, uint64_t len);
/* Copy to / from guest RAM; 0 ok, -1 if the range is not all guest RAM. */
int gmem_read(uint64_t gpa, void *dst, size_t len);
int gmem_write(uint64_t gpa, const void *src, size_t len);

/*
 * Guest virtual to guest physical for the vCPU's current translation
 * (lab01: satp Bare, identity). 0 ok; -1 fault.
 */
int gmem_translate(const struct vcpu *v, uint64_t gva, enum gmem_access acc, uint64_t *gpa);

/* May the guest's satp hold this MODE? (lab01: Bare only; priv 4.1.11) */
bool gmem_satp_mode_supported(unsigned mode);

/*
 * Fetch the instruction at guest pc: 2 bytes for a compressed one, 4
 * otherwise, each halfword translated on its own (a 4-byte instruction may
 * straddle two pages). 0 ok (*raw filled, upper half 0 for RVC); -1 if a
 * halfword is not guest RAM: *fault_addr = the address that failed.
 */
int gmem_fetch_insn(const struct vcpu *v, uint64_t pc, uint32_t *raw, uint64_t *fault_addr);

#endif
