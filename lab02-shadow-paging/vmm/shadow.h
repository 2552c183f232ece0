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

#include <stdint.h>

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

#endif
