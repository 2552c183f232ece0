/*
 * hostile_paging.h: lab02's hostile paging guest. The paging guest's
 * kernel (guest/paging: page pool and table builder pt.c, trap.c, user
 * processes proc.c, asm.S), with groups of its own whose page tables are
 * built to hurt a shadow pager: tables that loop, pointers outside RAM,
 * reserved encodings, every satp MODE, stale entries, every sfence.vma
 * form, more address spaces than a VMM keeps, a flood of table pages, SUM
 * and MXR flipped between accesses, the VMM's own Sv48 addresses. Each
 * check's values are what priv 1.12, chapter 4 requires (checks.h); where
 * the spec allows more than one outcome the guest reduces the value to 1
 * = "an allowed outcome".
 */
#ifndef HOSTILE_PAGING_H
#define HOSTILE_PAGING_H

#include "checks.h"
#include "paging.h"

/* The Sv39 address with VPN[2], VPN[1], VPN[0] = a, b, c (a < 256: low half). */
#define VA3(a, b, c) ((uint64_t)(a) << 30 | (uint64_t)(b) << 21 | (uint64_t)(c) << 12)
/* A pointer PTE to the table at pa (V, R = W = X = 0; 4.3.1) */
#define PTE_PTR(pa) (PTE_PPN((uint64_t)(uintptr_t)(pa)) | PTE_V)
#define PTE_LEAF(pa, flags) (PTE_PPN((uint64_t)(uintptr_t)(pa)) | (flags) | PTE_V)
/* The PPN field with every bit set: the last page of the 56-bit physical space */
#define PA_TOP (PTE_PA(PTE_PPN_MASK))

enum probe_kind { P_LOAD, P_STORE, P_FETCH, P_LBU };

/*
 * One S-mode access of kind k at va: the trap's cause (0: none), whether
 * stval was va (tval_ok) and, for a load, the value read (val, may be NULL).
 */
uint64_t hp_probe(uint64_t va, enum probe_kind k, uint64_t *tval_ok, uint64_t *val);
/* cause if stval = va, else ~0: one value per access in a check */
uint64_t hp_fault(uint64_t va, enum probe_kind k);
static inline uint64_t rd(uint64_t va)
{
	return *(volatile uint64_t *)va;
}
/* A page holding word v at offset 0; its physical address. */
uint64_t word_page(uint64_t v);
/* pg_magic seen through a mapping of the 2 MiB of the kernel image at va */
uint64_t magic_off(void);

void group_loops(void);
void group_bad_pointers(void);
void group_bad_leaves(void);
void group_last_page(void);
void group_satp_modes(void);
void group_stale(void);
void group_fences(void);
void group_spaces(void);
void group_ring(void);
void group_flood(void);
void group_sum_mxr(void);
void group_sv48_range(void);
void group_emulate(void);
void group_h_ext(void);

#endif
