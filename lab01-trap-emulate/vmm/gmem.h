/*
 * gmem.h: guest memory as the VMM sees it.
 *
 * Guest physical addresses (GPA) [ram.base, ram.base + ram.size) of a VM
 * are guest RAM, backed by host memory the VMM reaches at ram.host (its
 * direct map). How a guest virtual address becomes a GPA is the backend's
 * (mmu.h); gmem_fetch_insn goes through it (gmem_fetch.c).
 */
#ifndef VMM_GMEM_H
#define VMM_GMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vcpu.h"
#include "vm.h"

#define GUEST_RAM_GPA  0x80000000UL
#define GUEST_RAM_SIZE (128UL << 20)
#define GUEST_LOAD_GPA 0x80200000UL	/* raw images, as OpenSBI's payload address */

enum gmem_access {
	GMEM_FETCH,
	GMEM_LOAD,
	GMEM_STORE,
};

/* Register the VM's guest RAM: GPA base..base+size backed by host pointer `host`. */
void gmem_init(struct vm *vm, void *host, uint64_t gpa_base, uint64_t size);

/* True if [gpa, gpa + len) lies inside guest RAM. */
bool gmem_contains(const struct vm *vm, uint64_t gpa, uint64_t len);
/* The VMM's pointer to [gpa, gpa + len), or NULL if not all guest RAM. */
void *gmem_ptr(const struct vm *vm, uint64_t gpa, uint64_t len);
/* Copy to / from guest RAM; 0 ok, -1 if the range is not all guest RAM. */
int gmem_read(const struct vm *vm, uint64_t gpa, void *dst, size_t len);
int gmem_write(const struct vm *vm, uint64_t gpa, const void *src, size_t len);

/*
 * Fetch the instruction at guest virtual pc: 2 bytes for a compressed one,
 * 4 otherwise, each halfword translated on its own (a 4-byte instruction
 * may straddle two pages). 0 ok (*raw filled, upper half 0 for RVC); else
 * the exception cause the guest's fetch would take (a page fault, or an
 * access fault where there is no RAM), *fault_addr = the address.
 */
int gmem_fetch_insn(const struct vcpu *v, uint64_t pc, uint32_t *raw, uint64_t *fault_addr);

#endif
