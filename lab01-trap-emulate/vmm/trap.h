/*
 * trap.h: delivering traps to the guest exactly as a hart would
 * (priv 1.12, 4.1.1 to 4.1.9, and 3.3.2 for sret).
 */
#ifndef VMM_TRAP_H
#define VMM_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "riscv.h"
#include "vcpu.h"

/* Take exception `cause` with stval = tval into the guest's virtual S-mode. */
void vcpu_inject_exception(struct vcpu *v, uint64_t cause, uint64_t tval);

/*
 * Is a virtual interrupt deliverable now? (pending & enabled, and the vCPU
 * is in U or has sstatus.SIE; priority SEI > SSI > STI). If so and cause is
 * not NULL, *cause = the interrupt's scause (with the interrupt bit).
 */
bool vcpu_interrupt_pending(const struct vcpu *v, uint64_t *cause);

/* Deliver the highest-priority deliverable interrupt, if any; true if one was. */
bool vcpu_inject_pending_interrupt(struct vcpu *v);

/* sret: mode = SPP, SIE = SPIE, SPIE = 1, SPP = U, pc = sepc. */
void vcpu_sret(struct vcpu *v);

/*
 * The virtual timer: if hw_time() >= v->stimecmp, set the virtual STIP and
 * disarm the real timer; otherwise re-arm it at v->stimecmp.
 */
void vcpu_timer_update(struct vcpu *v);

#endif
