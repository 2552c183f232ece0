/*
 * shadow.h: lab02's guest-memory backend (mmu.h): shadow page tables.
 *
 * The guest kernel runs in real U-mode, so its own page tables are never
 * given to the MMU. The real satp points at a shadow table instead: an
 * Sv48 table the VMM fills lazily, one 4 KiB leaf per hidden page fault,
 * with the composition guest virtual -> guest physical (the guest's Sv39
 * table, walk.c) -> host physical (guest RAM's backing). It is a cache of
 * that composition, exactly like a TLB, and is flushed where a TLB is: on
 * the guest's sfence.vma.
 *
 * What the guest may touch depends on its privilege and on sstatus.SUM,
 * so each guest address space has one shadow root per view. With paging
 * off, the guest runs on the VMM's own table (guest RAM mapped once, with
 * PTE_U, as in lab01).
 */
#ifndef VMM_SHADOW_H
#define VMM_SHADOW_H

#include <stdbool.h>
#include <stdint.h>

#include "gmem.h"
#include "vcpu.h"
#include "walk.h"

enum shadow_view {
	VIEW_USER,		/* guest user program */
	VIEW_KERNEL,		/* guest kernel, SUM = 0: no user page */
	VIEW_KERNEL_SUM,	/* guest kernel, SUM = 1: user data too, never user code */
	VIEW_COUNT
};

/* The guest address spaces whose shadows are kept (keyed by root and ASID). */
#define SHADOW_SPACES 8

/* Counters for the bench and the stop report. */
struct shadow_stats {
	uint64_t fills;		/* leaves written on hidden faults */
	uint64_t guest_faults;	/* page faults the guest's own tables give */
	uint64_t switches;	/* real satp writes */
	uint64_t space_misses;	/* satp to an address space without a kept shadow */
	uint64_t flushes;	/* sfence.vma emulated */
	uint64_t pool_resets;	/* the table pool ran out: every shadow dropped */
};

extern struct shadow_stats shadow_stats;

/* The table pages kept at most (hw_table_pool() may offer fewer): 64 MiB. */
#define SHADOW_POOL_MAX 16384

/*
 * lab02 handout, task 2: the shadow leaf for a successful walk res of va
 * by an access acc of v (host_pa: guest RAM's backing of res's page, as
 * the MMU sees it). Always PTE_U (the guest runs in U-mode); R, W, X as
 * the guest's table grants them to v's privilege, SUM and MXR now, asked
 * of the walker without touching A/D: so W only once the guest's D is set.
 */
uint64_t shadow_leaf(const struct vcpu *v, uint64_t va, enum gmem_access acc,
		     const struct walk_result *res, uint64_t host_pa);

/* ---- the kit's, for the tasks ---- */

/* Walk v's Sv39 table for va as v's hart would (walk.h; set_ad: update A/D). */
int shadow_walk(const struct vcpu *v, uint64_t va, enum gmem_access acc, bool set_ad,
		struct walk_result *res);
/*
 * Write leaf pte for va in the shadow v runs on now (4 KiB, whatever the
 * guest's page size: its level rides in the PTE, PTE_RSW). Out of table
 * pages: every shadow is dropped, the fault retried. A fill that writes
 * what is already there, again and again, stops the VM (a VMM bug).
 */
void shadow_install(struct vcpu *v, uint64_t va, uint64_t pte);

/* ---- the kit's, for the unit tests (shadow_query.c) ---- */

/* The root of view w in the address space v ran on last (NULL: none). */
const uint64_t *shadow_current_root(enum shadow_view w);
/* The real satp now; table pages in use. */
uint64_t shadow_real_satp(void);
unsigned shadow_pool_used(void);
/* The leaf for va in view w of the current space (0: none), and root entry i. */
uint64_t shadow_query_leaf(enum shadow_view w, uint64_t va);
uint64_t shadow_query_root_entry(enum shadow_view w, unsigned i);
void shadow_query_stats(struct shadow_stats *out);

#endif
