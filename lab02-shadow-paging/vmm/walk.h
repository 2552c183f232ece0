/*
 * walk.h: the guest's Sv39, Sv48 or Sv57 page tables, walked in software.
 *
 * Shadow mode: the guest kernel runs in real U-mode, so the MMU never
 * walks the guest's own tables: the VMM does, as the hardware of priv
 * 1.12, 4.3.2 would, to fill its shadow tables and to emulate the
 * accesses it traps (Sv39 only: shadow.c's satp WARL offers no other).
 * Nested mode: the hart walks the guest's VS-stage table, in whatever mode
 * vsatp took (Linux picks Sv57 on QEMU 7.2), and the VMM walks it again
 * to tell a guest-page fault of the walk from one of the access
 * (vs_exit.c). The levels come from satp.MODE (4.4, 4.5, 4.6). Pure C:
 * guest physical memory is reached only through struct walk_mem, so the
 * unit tests run it on a fake RAM.
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

/* walk_mem.pte over the guest RAM of a struct vm (ctx): PTEs are
 * naturally aligned (4.3.2 step 2: a + va.vpn[i] * PTESIZE) */
static inline uint64_t *walk_gmem_pte(void *ctx, uint64_t gpa)
{
	return (gpa & 7) ? 0 : (uint64_t *)gmem_ptr(ctx, gpa, 8);
}

struct walk_req {
	uint64_t satp;		/* the guest's satp; MODE Sv39, Sv48 or Sv57 (Bare: identity, no walk) */
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
	unsigned level;		/* 0: 4 KiB, 1: 2 MiB, 2: 1 GiB, 3: 512 GiB, 4: 256 TiB */
	unsigned refs;		/* PTE reads done (for the bench) */
};

/* LEVELS of a satp.MODE (4.1.11 table 4.4): 3, 4, 5, or 0 for Bare and the reserved ones */
static inline unsigned sv_levels(uint64_t satp)
{
	switch (satp >> SATP_MODE_SHIFT) {
	case SATP_MODE_SV39: return SV39_LEVELS;
	case SATP_MODE_SV48: return SV48_LEVELS;
	case SATP_MODE_SV57: return SV57_LEVELS;
	default: return 0;
	}
}

/* 4.4.1, 4.5.1, 4.6.1: with LEVELS levels a VA has 12 + 9 * LEVELS bits,
 * and bits 63 down to that width all equal its top bit; no other address
 * has a translation. */
static inline bool sv_canonical(uint64_t va, unsigned levels)
{
	unsigned bits = SV39_VPN_SHIFT(levels);	/* 39, 48, 57 */

	return (uint64_t)((int64_t)(va << (64 - bits)) >> (64 - bits)) == va;
}

static inline bool sv39_canonical(uint64_t va)
{
	return sv_canonical(va, SV39_LEVELS);
}

/*
 * Translate r->va. 0 (out filled), or the exception cause the guest must
 * receive with stval = va: 12/13/15 page fault, 1/5/7 access fault when a
 * PTE's address is not guest RAM (4.3.2 step 2). out->refs is set either
 * way. With Bare, pa = va and nothing else is read. A reserved MODE
 * page-faults: no satp holds one (4.1.11 WARL), so it is a caller's bug.
 */
int sv_walk(const struct walk_mem *m, const struct walk_req *r, struct walk_result *out);

#endif
