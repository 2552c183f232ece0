/*
 * vs_exit.h: one exit of a guest running in VS-mode (lab02's nested
 * mode). Pure C: run_vs.c saves the guest's VS state into the vCPU,
 * reads the trap CSRs and calls this.
 */
#ifndef VMM_VS_EXIT_H
#define VMM_VS_EXIT_H

#include <stdint.h>

#include "vcpu.h"

/*
 * Handle one trap from VS or VU-mode into the VMM: scause, stval, htval
 * as the hart set them (priv 1.12, 8.6). What the guest must observe is
 * left in v (registers, pc, its S-level CSRs); the vCPU's state says
 * whether the VM goes on.
 */
void vs_handle_exit(struct vcpu *v, uint64_t scause, uint64_t stval, uint64_t htval);

#endif
