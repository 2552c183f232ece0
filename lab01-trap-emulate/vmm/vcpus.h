/*
 * vcpus.h: how many vCPUs a VM has and which one the real hart runs next.
 * The core calls these hooks at three points; the file that answers them
 * is chosen at link time, like the backend (mmu.h) and the run loop
 * (run.h):
 *
 * - vcpus_one.c (lab01, lab02): one vCPU, hart 0, always the one running;
 * - lab03's sched.c: the vCPUs the guest's device tree lists, hart 0
 *   started and the others in HSM STOPPED (SBI 2.0, chapter 9), run in
 *   turn on the one real hart with a preemption timer of the VMM's own.
 */
#ifndef VMM_VCPUS_H
#define VMM_VCPUS_H

#include <stdbool.h>
#include <stdint.h>

#include "vcpu.h"
#include "vm.h"

/*
 * Once at boot (main.c): the VM's vCPUs, attached to vm (vm_add_vcpu),
 * for a guest entered at entry with its device tree at dtb_gpa (dtb: the
 * VMM's pointer to it). Returns the vCPU to enter first (hart 0, reset),
 * or NULL if there is no room for them.
 */
struct vcpu *vmm_vcpus_create(struct vm *vm, const void *dtb, uint64_t entry, uint64_t dtb_gpa);

/*
 * After each exit of v that left its VM running (run_u.c, run_vs.c): the
 * vCPU to enter next (v itself with one vCPU). May stop the VM (vmm_finish).
 */
struct vcpu *vmm_sched_next(struct vcpu *v);

/*
 * v executed wfi (emulate.c; pc already past it): true if the scheduler
 * takes over the waiting (v runs again once an interrupt is pending for
 * it, priv 1.12, 3.3.3), false if vcpu_wfi is to wait on the real hart.
 */
bool vmm_sched_wfi(struct vcpu *v);

/*
 * Whether a VS-mode guest's wfi is to trap (hstatus.VTW = 1, priv 1.12,
 * 8.2.1) and go to vmm_sched_wfi: vcpus_one.c's false (the one vCPU's wfi
 * runs on the real hart, as in lab02), sched.c's true (a waiting vCPU
 * gives the hart to the others instead of spinning out its slice).
 */
extern const bool vmm_vs_wfi_yields;

/*
 * v's VM has stopped (vmm_finish printed its figures): the vCPU of
 * another VM to enter next, or NULL when no VM is left to run (the
 * machine powers off). vcpus_one.c: NULL, one VM.
 */
struct vcpu *vmm_sched_vm_stopped(struct vcpu *v);

#endif
