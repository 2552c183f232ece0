/*
 * walk.h: the guest's Sv39 page tables, walked in software.
 *
 * The guest kernel runs in real U-mode, so the MMU never walks the guest's
 * own tables: the VMM does, as the hardware of priv 1.12, 4.3.2 (with
 * Sv39's parameters, 4.4) would, to fill its shadow tables and to emulate
 * the accesses it traps. Pure C: guest physical memory is reached only
 * through struct walk_mem, so the unit tests run it on a fake RAM.
 */
#ifndef VMM_WALK_H
#define VMM_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "gmem.h"
#include "riscv.h"

/* How the walker reaches guest physical memory. */
struct walk_mem {
	/* host pointer to the aligned 8-byte word at gpa, NULL if gpa is not guest RAM */
	uint64_t *(*pte)(void *ctx, uint64_t gpa);
	void *ctx;
};

struct walk_req {
	uint64_t satp;		/* the guest's satp; MODE Sv39 (Bare: identity, no walk) */
	uint64_t va;
	enum gmem_access acc;
	bool user;		/* effective privilege is U (else S) */
	bool sum, mxr;		/* the guest's sstatus.SUM and MXR */
	bool set_ad;		/* update A and D in the guest's PTEs as hardware that manages them does */
};

struct walk_result {
	uint64_t pa;		/* guest physical address of va */
	uint64_t pte;		/* the leaf PTE (after any A/D update) */
	uint64_t pte_gpa;	/* where the leaf lives */
	unsigned level;		/* 0: 4 KiB, 1: 2 MiB, 2: 1 GiB */
	unsigned refs;		/* PTE reads done (for the bench) */
};

/* 4.4.1: an Sv39 address has bits 63:39 all equal to bit 38; no other has a translation. */
static inline bool sv39_canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << (64 - SV39_VA_BITS)) >> (64 - SV39_VA_BITS)) == va;
}

/*
 * Translate r->va. 0 (out filled), or the exception cause the guest must
 * receive with stval = va: 12/13/15 page fault, 1/5/7 access fault when a
 * PTE's address is not guest RAM (4.3.2 step 2). out->refs is set either
 * way. With Bare, pa = va and nothing else is read.
 */
int sv39_walk(const struct walk_mem *m, const struct walk_req *r, struct walk_result *out);

#endif
