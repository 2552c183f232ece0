/*
 * vs_exit.h: one exit of a guest running in VS-mode (lab02's nested
 * mode). Pure C: run_vs.c saves the guest's VS state into the vCPU,
 * reads the trap CSRs and calls this.
 */
#ifndef VMM_VS_EXIT_H
#define VMM_VS_EXIT_H

#include <stdint.h>

#include "riscv.h"
#include "vcpu.h"

/*
 * hedeleg (8.2.2): the exceptions a guest kernel handles itself go to
 * it without the VMM: misaligned accesses, access faults, illegal
 * instructions, breakpoints, its user programs' ecalls, its page faults.
 * (OpenSBI 1.1 handles misaligned, access and illegal-instruction traps
 * in M-mode first and then redirects them by hedeleg.) Guest-page
 * faults, virtual instructions and ecalls from VS are the VMM's: they
 * cannot be delegated.
 */
#define HEDELEG_GUEST ((1UL << CAUSE_MISALIGNED_FETCH) | (1UL << CAUSE_FETCH_ACCESS) |     \
		       (1UL << CAUSE_ILLEGAL_INSTRUCTION) | (1UL << CAUSE_BREAKPOINT) |     \
		       (1UL << CAUSE_MISALIGNED_LOAD) | (1UL << CAUSE_LOAD_ACCESS) |        \
		       (1UL << CAUSE_MISALIGNED_STORE) | (1UL << CAUSE_STORE_ACCESS) |      \
		       (1UL << CAUSE_USER_ECALL) | (1UL << CAUSE_FETCH_PAGE_FAULT) |        \
		       (1UL << CAUSE_LOAD_PAGE_FAULT) | (1UL << CAUSE_STORE_PAGE_FAULT))

/*
 * Handle one trap from VS or VU-mode into the VMM: scause, stval, htval
 * as the hart set them (priv 1.12, 8.6). What the guest must observe is
 * left in v (registers, pc, its S-level CSRs); the vCPU's state says
 * whether the VM goes on.
 */
void vs_handle_exit(struct vcpu *v, uint64_t scause, uint64_t stval, uint64_t htval);

#endif
