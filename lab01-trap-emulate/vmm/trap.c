/*
 * trap.c: delivering exceptions and interrupts to the guest kernel as the
 * hart would deliver them to a real S-mode (priv 1.12, 4.1.1 sstatus,
 * 4.1.2 stvec, 4.1.3 sip/sie, 4.1.7..4.1.9), and sret (3.3.2).
 */
#include "csr.h"
#include "hw.h"
#include "todo.h"
#include "trap.h"

/* The common part of taking a trap into virtual S-mode. */
static void enter_supervisor(struct vcpu *v, uint64_t cause, uint64_t tval)
{
	uint64_t s = v->sstatus;

	v->sepc = v->pc;
	v->scause = cause;
	v->stval = tval;
	/* SPP = the mode the trap came from; SPIE = SIE; SIE = 0 (4.1.1.2) */
	s = v->mode == VMODE_S ? (s | SSTATUS_SPP) : (s & ~SSTATUS_SPP);
	s = (s & SSTATUS_SIE) ? (s | SSTATUS_SPIE) : (s & ~SSTATUS_SPIE);
	v->sstatus = s & ~SSTATUS_SIE;
	v->mode = VMODE_S;
	vcpu_pv_trap_taken(v);	/* lab03's PV interface: the trap's shared-page copy */
}

void vcpu_inject_exception(struct vcpu *v, uint64_t cause, uint64_t tval)
{
	// BEGIN SOLUTION: reflect an exception into the guest kernel
	enter_supervisor(v, cause, tval);
	/* exceptions always go to BASE, even when stvec is vectored (4.1.2) */
	v->pc = v->stvec & ~STVEC_MODE_MASK;
	// STARTER:
	// TODO("vcpu_inject_exception", "lab01 handout, task 4");
	// (void)enter_supervisor, (void)cause, (void)tval;
	// /* without trap reflection the guest cannot go on: stop it */
	// v->state = VM_SHUTDOWN;
	// v->reset_reason = 1;
	// END SOLUTION
}

bool vcpu_interrupt_pending(const struct vcpu *v, uint64_t *cause)
{
	/* priority among S-level interrupts: SEI > SSI > STI (4.1.3) */
	static const unsigned order[] = { IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER };
	uint64_t pend = v->sip & v->sie & VSIE_WRITABLE;

	if (pend == 0)
		return false;
	/* in U, S-level interrupts are always enabled; in S only with SIE */
	if (v->mode == VMODE_S && !(v->sstatus & SSTATUS_SIE))
		return false;
	for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (pend & (1UL << order[i])) {
			if (cause)
				*cause = SCAUSE_INTERRUPT | order[i];
			return true;
		}
	}
	return false;
}

bool vcpu_inject_pending_interrupt(struct vcpu *v)
{
	// BEGIN SOLUTION: deliver the highest-priority deliverable interrupt
	uint64_t cause, base = v->stvec & ~STVEC_MODE_MASK;

	if (!vcpu_interrupt_pending(v, &cause))
		return false;
	enter_supervisor(v, cause, 0);
	/* vectored mode: interrupts go to BASE + 4 * cause (4.1.2) */
	if ((v->stvec & STVEC_MODE_MASK) == STVEC_MODE_VECTORED)
		base += 4 * (cause & ~SCAUSE_INTERRUPT);
	v->pc = base;
	return true;
	// STARTER:
	// TODO("vcpu_inject_pending_interrupt", "lab01 handout, task 7");
	// (void)v;
	// return false;
	// END SOLUTION
}

void vcpu_sret(struct vcpu *v)
{
	// BEGIN SOLUTION: sret (priv 3.3.2, 4.1.1.2)
	uint64_t s = v->sstatus;

	v->mode = (s & SSTATUS_SPP) ? VMODE_S : VMODE_U;
	s = (s & SSTATUS_SPIE) ? (s | SSTATUS_SIE) : (s & ~SSTATUS_SIE);
	s |= SSTATUS_SPIE;
	s &= ~SSTATUS_SPP;
	v->sstatus = s;
	v->pc = v->sepc;
	// STARTER:
	// TODO("vcpu_sret", "lab01 handout, task 5");
	// /* a guest that cannot return from a trap cannot go on: stop it */
	// v->state = VM_SHUTDOWN;
	// v->reset_reason = 1;
	// END SOLUTION
}

void vcpu_timer_update(struct vcpu *v)
{
	// BEGIN SOLUTION: the virtual timer raises the virtual STIP
	if (v->stimecmp != UINT64_MAX && hw_time() >= v->stimecmp) {
		/* STIP stays pending until the guest sets a new deadline (SBI 6.1);
		 * the real one must stop firing meanwhile */
		v->sip |= SIP_STIP;
		hw_set_timer(UINT64_MAX);
	} else {
		hw_set_timer(v->stimecmp);
	}
	// STARTER:
	// TODO("vcpu_timer_update", "lab01 handout, task 7");
	// /* no virtual timer: silence the real one */
	// (void)v;
	// hw_set_timer(UINT64_MAX);
	// END SOLUTION
}
