/*
 * pv_checks.h: the checks of lab03's own groups in the PV build of the
 * paging guest (pv_groups.c), with the values PV.md requires: SBI error
 * codes (SBI spec 2.0, 3.2) as unsigned 64-bit values, counts, flags.
 * Included by the guest and by tests/qemu_pv.c, which recomputes each
 * digest from its token (kitcheck.h).
 */
#ifndef PV_CHECKS_H
#define PV_CHECKS_H

#include <stdint.h>

#include "kitcheck.h"
#include "riscv.h"
#include "sbi.h"

#define PV_E(e) ((uint64_t)(int64_t)(e))	/* an SBI error as a check value */

/* guest RAM under the kit's VMMs: 128 MiB at 0x80000000 (vmm/README.md) */
#define PV_RAM_END      0x88000000ULL
#define PV_LAST_PAGE    (PV_RAM_END - 4096)
#define PV_OUTSIDE_RAM  0x90000000ULL

static const struct kit_check_spec pv_checks[] = {
	/* pv_events: a virtual timer interrupt while the page's mask is set
	 * shows in irq_pending and is not delivered; unmasking delivers it
	 * (the handler's set_timer clears it) */
	{ "pv_events", "pv_masked_pending", 3, { SIP_STIP, 1, 1 } },
	/* TRAP_RETURN with PV_RET_SET_TIMER: the context's registers, the
	 * timer armed by the same call, cleared by SET_TIMER */
	{ "pv_events", "pv_return_timer", 3, { 1, 1, 1 } },

	/* pv_hostile: probe answers the extension; VERSION; an unknown FID */
	{ "pv_hostile", "pv_probe", 3, { 1, 1, PV_E(SBI_ERR_NOT_SUPPORTED) } },
	/* SHARED_SET: unaligned, past the end of RAM, outside RAM (a device,
	 * a wrapping address), re-registration */
	{ "pv_hostile", "pv_shared_bad", 5,
	  { PV_E(SBI_ERR_INVALID_PARAM), PV_E(SBI_ERR_INVALID_ADDRESS), PV_E(SBI_ERR_INVALID_ADDRESS),
	    PV_E(SBI_ERR_INVALID_ADDRESS), PV_E(SBI_ERR_ALREADY_AVAILABLE) } },
	/* unregistered: TRAP_RETURN and IRQ_POLL; the last page of RAM
	 * registers (the VMM writes its version there) and unregisters */
	{ "pv_hostile", "pv_shared_last_page", 6,
	  { PV_E(SBI_ERR_NO_SHMEM), PV_E(SBI_ERR_NO_SHMEM), 0, 1, 0, 0 } },
	/* MMU_UPDATE's list: outside RAM, unaligned, straddling the end of
	 * RAM, one more than PV_BATCH_MAX, a count whose size wraps, count 0 */
	{ "pv_hostile", "pv_mmu_list_bad", 6,
	  { PV_E(SBI_ERR_INVALID_ADDRESS), PV_E(SBI_ERR_INVALID_PARAM), PV_E(SBI_ERR_INVALID_ADDRESS),
	    PV_E(SBI_ERR_INVALID_PARAM), PV_E(SBI_ERR_INVALID_PARAM), 0 } },
	/* its entries: a good one then a PTE outside RAM (error, 1 done, the
	 * good one stored); an unaligned PTE; one past the end of RAM; the
	 * last word of RAM (done, stored) */
	{ "pv_hostile", "pv_mmu_pte_bad", 8,
	  { PV_E(SBI_ERR_INVALID_ADDRESS), 1, 1, PV_E(SBI_ERR_INVALID_PARAM), 0,
	    PV_E(SBI_ERR_INVALID_ADDRESS), 0, 1 } },
	/* TLB_FLUSH: list outside RAM, an ASID beyond 16 bits, too many */
	{ "pv_hostile", "pv_tlb_bad", 4,
	  { PV_E(SBI_ERR_INVALID_ADDRESS), PV_E(SBI_ERR_INVALID_PARAM), 0, PV_E(SBI_ERR_INVALID_PARAM) } },
	/* CONSOLE_WRITE: outside RAM, too long, straddling the end of RAM;
	 * TRAP_RETURN with an unknown flag */
	{ "pv_hostile", "pv_console_bad", 4,
	  { PV_E(SBI_ERR_INVALID_ADDRESS), PV_E(SBI_ERR_INVALID_PARAM), PV_E(SBI_ERR_INVALID_ADDRESS),
	    PV_E(SBI_ERR_INVALID_PARAM) } },
	/* TRAP_RETURN with ret_sepc's bit 0 set resumes at the even address */
	{ "pv_hostile", "pv_return_odd_sepc", 1, { 1 } },
	/* TRAP_RETURN with a forged ret_sstatus (UXL, SD, reserved bits):
	 * back, SUM and MXR set, no other bit changed */
	{ "pv_hostile", "pv_return_forged_sstatus", 3, { 1, 1, 0 } },
	/* a non-retentive suspend resumes (1) with no page registered: the
	 * page registers again */
	{ "pv_hostile", "pv_reset_unregisters", 2, { 1, 0 } },
	/* a PV call from U-mode ends the run as an unknown system call
	 * (RUN_QUOTA, 4: the kernel saw cause 8 with the user's a0 = -1); the
	 * page is still registered */
	{ "pv_hostile", "pv_user_call_is_syscall", 4,
	  { 4, CAUSE_USER_ECALL, ~0ULL, PV_E(SBI_ERR_ALREADY_AVAILABLE) } },
};
#define PV_NCHECKS (sizeof pv_checks / sizeof pv_checks[0])

#endif
