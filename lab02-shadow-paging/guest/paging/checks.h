/*
 * checks.h: every check of the paging guest with the values the
 * specification requires (priv 1.12, chapter 4), grouped as the QEMU test
 * (tests/qemu_paging.c) grades them. Included by the guest, which compares
 * what it observed and prints "KIT CHECK <name> ok <digest>", and by the
 * test, which recomputes each digest from its token (kitcheck.h). Native
 * runs on OpenSBI show the table is what the hardware does.
 *
 * Where the spec allows more than one outcome (a stale translation before
 * sfence.vma, satp's WARL modes) the guest reduces the value to 1 = "one
 * of the allowed outcomes"; addresses are reduced to 1 = "the address the
 * spec names" unless the address itself is fixed.
 */
#ifndef PAGING_CHECKS_H
#define PAGING_CHECKS_H

#include <stdint.h>

#include "kitcheck.h"
#include "ns16550.h"
#include "riscv.h"

/* Non-canonical Sv39 addresses (4.4.1: bits 63:39 must equal bit 38);
 * the last is lab01's VMM image in the Sv48 space a VMM may use itself. */
#define NONCANON_LOAD  0x0000008000000000ULL
#define NONCANON_FETCH 0x0000004000000000ULL
#define NONCANON_STORE 0xffff800080200000ULL

/* No RAM, no device there on QEMU virt with 256 MiB (the tests' -m) */
#define OUTSIDE_RAM 0x90000000ULL

static const struct kit_check_spec paging_checks[] = {
	/* paging_on: satp is WARL (4.1.11): an unsupported MODE leaves it as
	 * it was, a supported one reads back; Sv39 is supported here */
	{ "paging_on", "satp_warl_probe", 3, { 1, 1, 1 } },
	/* the kernel's identity and high mappings read the same word */
	{ "paging_on", "identity_high", 2, { 1, 1 } },
	/* fetch fault at the instruction after csrw satp, trap at the high stvec */
	{ "paging_on", "jump_to_high", 3, { CAUSE_FETCH_PAGE_FAULT, 1, 1 } },

	/* leaves: a leaf at each level (4.3.2 step 4; 4.4 superpages) */
	{ "leaves", "leaf_4k", 2, { 1, 1 } },
	{ "leaves", "leaf_2m", 2, { 1, 1 } },
	{ "leaves", "leaf_1g", 2, { 1, 1 } },
	/* a misaligned superpage is a page fault (4.3.2 step 6), 2 MiB and 1 GiB */
	{ "leaves", "superpage_misaligned", 4, { CAUSE_LOAD_PAGE_FAULT, 1, CAUSE_LOAD_PAGE_FAULT, 1 } },
	/* W without R is reserved: page fault (4.3.1, 4.3.2 step 3) */
	{ "leaves", "w_without_r", 4, { CAUSE_LOAD_PAGE_FAULT, 1, CAUSE_STORE_PAGE_FAULT, 1 } },
	/* a pointer at level 0, N set, PBMT set: page faults (4.3.2 steps 3, 4) */
	{ "leaves", "bad_leaves", 6, { CAUSE_LOAD_PAGE_FAULT, 1, CAUSE_LOAD_PAGE_FAULT, 1,
		CAUSE_LOAD_PAGE_FAULT, 1 } },
	/* cause, sepc = the instruction, stval = the page boundary */
	{ "leaves", "fetch_page_cross", 3, { CAUSE_FETCH_PAGE_FAULT, 1, 1 } },
	/* a leaf (load, store) and a table (load) at OUTSIDE_RAM: access faults
	 * (the table's: 1 = access fault or, as QEMU 7.2 gives, page fault) */
	{ "leaves", "outside_ram", 6, { CAUSE_LOAD_ACCESS, 1, CAUSE_STORE_ACCESS, 1, 1, 1 } },
	/* a non-canonical address is a page fault with stval = the address (4.4.1) */
	{ "leaves", "noncanonical", 6, { CAUSE_LOAD_PAGE_FAULT, NONCANON_LOAD,
		CAUSE_STORE_PAGE_FAULT, NONCANON_STORE, CAUSE_FETCH_PAGE_FAULT, NONCANON_FETCH } },

	/* ad: A on the first access, D on the first write (4.3.2 step 7),
	 * as the guest sees them in its own PTEs */
	{ "ad", "ad_load_then_store", 3, { 0, PTE_A, PTE_A | PTE_D } },
	{ "ad", "ad_after_clear", 2, { PTE_A, PTE_A | PTE_D } },
	{ "ad", "ad_store_first", 1, { PTE_A | PTE_D } },
	{ "ad", "ad_fetch", 1, { PTE_A } },
	{ "ad", "ad_superpage", 3, { 0, PTE_A, PTE_A | PTE_D } },

	/* priv: U pages and S-mode (4.3.1, 4.1.1.2 SUM and MXR) */
	{ "priv", "sum0_faults", 4, { CAUSE_LOAD_PAGE_FAULT, 1, CAUSE_STORE_PAGE_FAULT, 1 } },
	{ "priv", "sum1_access", 2, { 1, 1 } },
	{ "priv", "sum_cleared", 2, { CAUSE_LOAD_PAGE_FAULT, 1 } },
	{ "priv", "s_exec_user", 2, { CAUSE_FETCH_PAGE_FAULT, 1 } },
	{ "priv", "mxr", 3, { CAUSE_LOAD_PAGE_FAULT, 1, 1 } },
	{ "priv", "mxr_user", 3, { CAUSE_LOAD_PAGE_FAULT, 1, 1 } },
	{ "priv", "user_s_page", 4, { CAUSE_LOAD_PAGE_FAULT, 1, CAUSE_STORE_PAGE_FAULT, 1 } },

	/* procs: user address spaces, each its root and ASID (4.1.11) */
	{ "procs", "two_spaces", 3, { 3, 3 << 8, 6 } },
	/* demand paging: the kernel maps the page at the fault and returns */
	{ "procs", "demand_paging", 5, { 1, CAUSE_STORE_PAGE_FAULT, 1, 0x77, 0x77 } },
	/* copy-on-write: a write to the shared read-only page faults, is copied */
	{ "procs", "copy_on_write", 5, { 1, CAUSE_STORE_PAGE_FAULT, 0x43, 0x42, 0x42 } },

	/* sfence: what sfence.vma guarantees (4.2.1), and only that */
	{ "sfence", "sfence_va", 2, { 1, 2 } },
	{ "sfence", "sfence_superpage", 4, { 1, 1, 1, 1 } },
	/* by ASID 2: ASID 1's translation (fenced by address) and ASID 2's new one */
	{ "sfence", "sfence_asid", 3, { 2, 10, 20 } },
	{ "sfence", "sfence_global", 4, { 7, 7, 1, 8 } },
	/* by addresses outside Sv39 (the VMM's own in Sv48): nothing changes */
	{ "sfence", "sfence_noncanonical", 2, { 8, 20 } },

	/* mmio: the UART through a virtual mapping (LSR idle, SCR holds) */
	{ "mmio", "mmio_uart_va", 2, { UART_LSR_THRE | UART_LSR_TEMT, 0xa5 } },
	/* a store through a read-only mapping: page fault, SCR keeps 0xa5 */
	{ "mmio", "mmio_readonly", 3, { CAUSE_STORE_PAGE_FAULT, 1, 0xa5 } },
	/* from U-mode: exit (1) with the byte read back */
	{ "mmio", "mmio_user", 2, { 1, 0x3c } },
};

#define PAGING_NCHECKS (sizeof paging_checks / sizeof paging_checks[0])

/* mmio: the line the guest writes through UART_VA: "KIT MMIO <digest>". */
static inline uint64_t mmio_line_digest(const char *token)
{
	return kit_check_digest(token, "mmio_line", 0, 0);
}

#endif
