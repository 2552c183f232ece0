/*
 * run.h: the run loop, how the guest is entered and how its traps come
 * back. The core's boot path (main.c) is the same for every way of
 * running a guest; the run loop is chosen at link time, like the
 * guest-memory backend (mmu.h): run_u.c runs the guest kernel in real
 * U-mode (trap-and-emulate, lab01 and lab02's shadow mode), lab02's
 * run_vs.c runs it in VS-mode with the H extension (lab02's nested mode).
 * Both enter through trapvec.S's vmm_enter_guest and its sret.
 */
#ifndef VMM_RUN_H
#define VMM_RUN_H

#include "vcpu.h"

/*
 * Once, before the first entry: the real machine state this run loop
 * needs (H extension delegation and counters for VS-mode), then
 * everything vmm_exit would set up for the next entry.
 */
void vmm_run_start(struct vcpu *v);

/* Called by trapvec.S with the guest's registers saved in v; returns the
 * vCPU to resume (its real CSRs prepared for trapvec.S's sret). */
struct vcpu *vmm_exit(struct vcpu *v);

/* The VM stopped (v->state): print its figures and power off (main.c). */
void vmm_finish(struct vcpu *v) __attribute__((noreturn));

#endif
