/*
 * checks.h: every check of the hostile paging guest with the values the
 * specification requires (priv 1.12, chapter 4), included by the guest
 * and by tests/qemu_hostile_paging.c, which recomputes each digest from
 * its token (kitcheck.h), as guest/paging/checks.h. A fault is its cause
 * when stval was the address (~0 otherwise); where the spec allows more
 * than one outcome the value is 1 = "an allowed outcome".
 */
#ifndef HOSTILE_PAGING_CHECKS_H
#define HOSTILE_PAGING_CHECKS_H

#include <stdint.h>

#include "kitcheck.h"
#include "ns16550.h"
#include "riscv.h"
#include "../paging/checks.h"	/* NONCANON_* */

#define LPF CAUSE_LOAD_PAGE_FAULT
#define SPF CAUSE_STORE_PAGE_FAULT
#define FPF CAUSE_FETCH_PAGE_FAULT
#define UART_IDLE (UART_LSR_THRE | UART_LSR_TEMT)

/* sum_mxr_flips: per (SUM, MXR) step, bit k = S load of page k worked,
 * bit 8 + k = S store did; pages R, X, U|R, U|X, R|W, U|R|W (4.3.1, 4.1.1.2) */
#define SM_00 0x1011	/* R, R|W readable; R|W writable */
#define SM_10 0x3035	/* SUM: the U pages' R too; U|R|W writable */
#define SM_01 0x1013	/* MXR: X readable */
#define SM_11 0x303f	/* both: every page readable */

static const struct kit_check_spec hostile_paging_checks[] = {
	/* loops: no walk reads more than 3 PTEs; a pointer at level 0 faults (4.3.2 step 4) */
	{ "loops", "self_loop_pointer", 3, { LPF, SPF, FPF } },
	/* the root read through itself; a store there edits the table (seen after the
	 * fence); the same entry as a 2 MiB and 1 GiB leaf is misaligned (step 6) */
	{ "loops", "self_map", 6, { 1, 1, 1, 1, LPF, LPF } },
	/* every entry of a table pointing back at it */
	{ "loops", "self_loop_full", 3, { LPF, SPF, FPF } },
	{ "loops", "mutual_loop", 4, { LPF, SPF, FPF, FPF } },

	/* bad_pointers: a table at no RAM (4.3.2 step 2): access fault, or the page
	 * fault QEMU 7.2 gives; stval = the virtual address either way */
	{ "bad_pointers", "pointer_to_mmio", 4, { 1, 1, 1, 1 } },
	{ "bad_pointers", "pointer_past_ram", 4, { 1, 1, 1, 1 } },
	{ "bad_pointers", "pointer_to_top", 4, { 1, 1, 1, 1 } },
	/* the same through an Sv48 root where satp takes one (1 also where
	 * it does not: WARL, 4.1.11) */
	{ "bad_pointers", "pointer_to_mmio_sv48", 5, { 1, 1, 1, 1, 1 } },
	/* leaves at the top of the physical space and past RAM: access faults;
	 * the last page of RAM through a leaf reads what it holds */
	{ "bad_pointers", "leaf_outside_ram", 7, { CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS,
		CAUSE_FETCH_ACCESS, CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS, CAUSE_FETCH_ACCESS, 1 } },

	/* bad_leaves: bits 63:54 one by one on a leaf and on a pointer (4.4.1) */
	{ "bad_leaves", "reserved_bits", 2, { 0x3ff, 0x3ff } },
	/* W without R on two leaves (load, store, fetch) and on a pointer (4.3.1) */
	{ "bad_leaves", "w_without_r_all", 7, { LPF, SPF, FPF, LPF, SPF, FPF, LPF } },
	/* misaligned 2 MiB and 1 GiB leaves; an aligned 2 MiB one reads */
	{ "bad_leaves", "misaligned_all", 7, { SPF, FPF, SPF, FPF, LPF, FPF, 1 } },
	/* S and U leaves: fetch, load (SUM 0), store on a 1 GiB one; with SUM: fetch
	 * (4 KiB, 1 GiB), load works (0); with MXR too: fetch */
	{ "bad_leaves", "user_leaf_kernel_walk", 7, { FPF, LPF, SPF, FPF, FPF, 0, FPF } },

	/* last_page: satp, identity, high, the root via itself, the last word of RAM
	 * through a 2 MiB leaf (read, written), the top GiB's entry invalid */
	{ "last_page", "root_last_page", 7, { 1, 1, 1, 1, 1, 1, LPF } },

	/* satp_modes: bit m = MODE m gave an outcome 4.1.11 allows; a reserved MODE
	 * with a wild PPN ignored while paging is on; ASID 0xffff; Bare again */
	{ "satp_modes", "satp_every_mode", 5, { 0xffff, 1, 1, 1, 1 } },

	/* stale (4.2.1): before the fence an allowed outcome (1), after it the new entry */
	{ "stale", "stale_valid_invalid", 4, { 1, LPF, 1, 2 } },
	{ "stale", "stale_pointer", 4, { 1, 1, 1, 2 } },
	{ "stale", "stale_permissions", 6, { 1, SPF, 1, 1, 0, 1 } },
	{ "stale", "stale_ad", 5, { 1, PTE_A, PTE_A | PTE_D, 1, 1 } },

	/* fences: 160 fences (4 forms, 9 rs1 and 7 rs2 values, global and not):
	 * all outcomes allowed, the 15 that must cover the page see the new entry */
	{ "fences", "sfence_forms", 4, { 160, 160, 15, 15 } },
	/* a 1 GiB and a 2 MiB leaf made read-only, fenced at another of their pages
	 * (by address, by address and ASID): the store faults */
	{ "fences", "sfence_superpages", 4, { SPF, SPF, SPF, SPF } },
	{ "fences", "sfence_forms_bare", 1, { 1 } },

	/* spaces: 13 address spaces, 52 switches, each load its own; a write kept */
	{ "spaces", "many_spaces", 3, { 52, 52, 777 } },
	/* ring: 10 user processes, 3 turns each */
	{ "ring", "ring_of_spaces", 3, { 1, 29, 10 } },
	/* flood: 20 480 regions read right, none wrong, the first 512 again, a store faults */
	{ "flood", "flood_regions", 4, { 20480, 0, 512, SPF } },

	/* sum_mxr: steps (SUM, MXR) = 00 10 00 01 11 01 00 11 10 11 00 01 10 01 01,
	 * each of the 12 transitions once, no fence between; every fault a page
	 * fault at the address */
	{ "sum_mxr", "sum_mxr_flips", 8, { SM_00, SM_10, SM_00, SM_01, SM_11, SM_01, SM_00, SM_11 } },
	{ "sum_mxr", "sum_mxr_flips2", 7, { SM_10, SM_11, SM_00, SM_01, SM_10, SM_01, SM_01 } },
	{ "sum_mxr", "sum_mxr_faults", 1, { 0 } },
	/* the UART's LSR through a U mapping (SUM) and an X-only one (MXR) */
	{ "sum_mxr", "sum_mxr_mmio", 6, { LPF, LPF, UART_IDLE, LPF, UART_IDLE, LPF } },

	/* sv48_range: 8 addresses outside Sv39 (4.4.1): page faults, stval = each */
	{ "sv48_range", "sv48_load", 8, { LPF, LPF, LPF, LPF, LPF, LPF, LPF, LPF } },
	{ "sv48_range", "sv48_store", 8, { SPF, SPF, SPF, SPF, SPF, SPF, SPF, SPF } },
	{ "sv48_range", "sv48_fetch", 8, { FPF, FPF, FPF, FPF, FPF, FPF, FPF, FPF } },
	{ "sv48_range", "sv48_user", 6, { LPF, 1, SPF, 1, SPF, 1 } },
	/* sret to the VMM's image: as the user's first fetch, and in S-mode (also 2^63) */
	{ "sv48_range", "sv48_sret", 6, { FPF, 1, FPF, 1, FPF, 1 } },

	/* emulate: csrr sscratch from an execute-only page (A set there; on the next
	 * maybe, 4.3.1), then across the boundary (A on the next); a load faults */
	{ "emulate", "emulate_xonly", 7, { 0x1234, PTE_A, 1, 0x5678, PTE_A, LPF, 1 } },

	/* h_ext (hext.c): hlv.b, hlv.d, hlvx.hu, hsv.d, hfence.vvma, hfence.gvma are
	 * illegal on a hart without H (8.3), stval = the bits or 0 */
	{ "h_ext", "h_insns", 6, { 2, 2, 2, 2, 2, 2 } },
	/* a walk through a PTE on the UART: amoswap.d, amoadd.w, c.sd, c.sw fault as
	 * stores, lr.d and c.ld as loads (table 3.6), stval = the address */
	{ "h_ext", "walk_on_device_kinds", 6, { 1, 1, 1, 1, 1, 1 } },
	/* amoor.w, lr.w on the UART: done, or the device's access fault (3.6.3.1) */
	{ "h_ext", "amo_on_device", 2, { 1, 1 } },
	/* an lbu of the UART's LSR across two execute-only pages reads it */
	{ "h_ext", "mmio_straddle", 2, { 1, 1 } },
};

#define HOSTILE_PAGING_NCHECKS (sizeof hostile_paging_checks / sizeof hostile_paging_checks[0])

#endif
