/*
 * pv_shared.c: the shared vCPU page (PV.md, "Shared vCPU page"), modelled
 * on Xen's shared info page: the guest masks and unmasks its virtual
 * interrupts by a store (irq_mask stands for sstatus.SIE) and sees what is
 * pending (irq_pending, the sip bits) without an exit; the VMM reads the
 * mask when an exit begins, before any interrupt decision, and writes mask
 * and pending when it ends. Where traps pass the VMM (shadow mode,
 * PV_FLAG_TRAPS) a trap into the guest kernel also lands in the page
 * (cause, epc, tval, status: what it would read with trapped CSR
 * instructions), enters at the guest's registered entry on its kernel
 * stack, and TRAP_RETURN replaces the trapped CSR writes and sret.
 */
#include <string.h>

#include "csr.h"
#include "gmem.h"
#include "pv.h"
#include "stats.h"
#include "todo.h"
#include "trap.h"

static struct pv_vcpu pv_vcpus[PV_MAX_VCPUS];

struct pv_vcpu *pv_find(struct vcpu *v)
{
	for (unsigned i = 0; i < PV_MAX_VCPUS; i++)
		if (pv_vcpus[i].v == v)
			return &pv_vcpus[i];
	return 0;
}

struct pv_vcpu *pv_of(struct vcpu *v)
{
	struct pv_vcpu *free = 0;

	for (unsigned i = 0; i < PV_MAX_VCPUS; i++) {
		if (pv_vcpus[i].v == v)
			return &pv_vcpus[i];
		if (!pv_vcpus[i].v && !free)
			free = &pv_vcpus[i];
	}
	if (free)
		*free = (struct pv_vcpu){ .v = v };
	return free;
}

struct pv_shared *pv_page(struct vcpu *v)
{
	struct pv_vcpu *p = pv_find(v);

	/* checked again on every use: the page is guest RAM, the VMM's pointer
	 * to it is never kept */
	return p && p->on ? gmem_ptr(v->vm, p->gpa, PV_SHARED_SIZE) : 0;
}

/* The page, if traps go through it in this mode. */
static struct pv_shared *trap_page(struct vcpu *v)
{
	return (pv_mode_flags & PV_FLAG_TRAPS) ? pv_page(v) : 0;
}

struct sbiret pv_shared_set(struct vcpu *v, uint64_t gpa)
{
	struct pv_vcpu *p = pv_of(v);

	if (!p)
		return (struct sbiret){ SBI_ERR_FAILED, 0 };
	// BEGIN SOLUTION: register the shared vCPU page
	struct pv_shared *sh;

	if (gpa == PV_SHARED_OFF) {
		p->on = false;	/* the CSRs are the guest's state again */
		return (struct sbiret){ SBI_SUCCESS, 0 };
	}
	/* checked in the order PV.md gives: alignment, then RAM, then state */
	if (gpa & (PV_SHARED_SIZE - 1))
		return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
	sh = gmem_ptr(v->vm, gpa, PV_SHARED_SIZE);
	if (!sh)
		return (struct sbiret){ SBI_ERR_INVALID_ADDRESS, 0 };
	if (p->on)
		return (struct sbiret){ SBI_ERR_ALREADY_AVAILABLE, 0 };
	p->on = true;
	p->gpa = gpa;
	/* the VMM's fields; entry and kernel_sp stay as the guest wrote them */
	sh->version = PV_VERSION;
	sh->flags = pv_mode_flags;
	sh->irq_mask = !(v->sstatus & SSTATUS_SIE);
	sh->irq_pending = v->sip & VSIE_WRITABLE;
	sh->trap_sp = sh->scause = sh->sepc = sh->stval = sh->sstatus = 0;
	return (struct sbiret){ SBI_SUCCESS, 0 };
	// STARTER:
	// TODO("pv_shared_set", "lab03 handout, task 4");
	// (void)gpa;
	// return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
	// END SOLUTION
}

struct sbiret pv_trap_return(struct vcpu *v, uint64_t flags)
{
	struct pv_shared *sh = pv_page(v);
	enum vmode before = v->mode;
	struct pv_shared ret;

	if (!sh)
		return (struct sbiret){ SBI_ERR_NO_SHMEM, 0 };
	if (flags & ~PV_RET_SET_TIMER)
		return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
	memcpy(&ret, sh, sizeof ret);	/* one read of what the guest wrote */
	if (flags & PV_RET_SET_TIMER)
		vcpu_set_timer(v, ret.deadline);
	/* what csrw sepc and csrw sstatus would leave (WARL, 4.1.1, 4.1.7),
	 * then sret (3.3.2) */
	v->sepc = ret.ret_sepc & ~1UL;
	v->sstatus = (v->sstatus & ~VSSTATUS_WRITABLE) | (ret.ret_sstatus & VSSTATUS_WRITABLE);
	vcpu_sret(v);
	v->x[2] = ret.ret_sp;
	v->x[16] = ret.ret_a6;
	v->x[17] = ret.ret_a7;
	/* the ecall's return path adds 4 to pc and puts error, value into
	 * a0, a1 (vcpu_ecall): the context's own pc, a0 and a1 then */
	v->pc -= 4;
	if (before == VMODE_S && v->mode == VMODE_U)
		stats_syscall_leave(v);
	return (struct sbiret){ (long)ret.ret_a0, (long)ret.ret_a1 };
}

/* ---- vcpu.h's hooks, called by lab01's exit path ---- */

void vcpu_pv_exit_begin(struct vcpu *v)
{
	struct pv_shared *sh = trap_page(v);

	if (!sh)
		return;
	pv_find(v)->delivered = false;
	/* the guest's mask is its sstatus.SIE, for every decision of this exit */
	if (sh->irq_mask)
		v->sstatus &= ~SSTATUS_SIE;
	else
		v->sstatus |= SSTATUS_SIE;
}

void vcpu_pv_reset(struct vcpu *v)
{
	struct pv_vcpu *p = pv_find(v);

	/* a hart that starts (HSM hart_start) or resumes from a non-retentive
	 * suspend starts with SIE = 0 on its CSRs (SBI 2.0, 9.1, 9.4): a page
	 * registered before would hand it the old mask and trap entry */
	if (p)
		p->on = false;
}

void vcpu_pv_trap_taken(struct vcpu *v)
{
	if (trap_page(v))
		pv_find(v)->delivered = true;
}

void vcpu_pv_exit_end(struct vcpu *v)
{
	struct pv_shared *sh = pv_page(v);
	struct pv_vcpu *p = pv_find(v);

	if (!sh)
		return;
	/* pending in both modes; the rest only where traps pass the VMM */
	sh->irq_pending = v->sip & VSIE_WRITABLE;
	if (!(pv_mode_flags & PV_FLAG_TRAPS))
		return;
	if (p->delivered) {
		p->delivered = false;
		sh->scause = v->scause;
		sh->sepc = v->sepc;
		sh->stval = v->stval;
		sh->sstatus = v->sstatus;
		sh->trap_sp = v->x[2];
		/* while stvec is the vector the guest registered, the trap
		 * enters at its PV entry instead; from U on the kernel's stack,
		 * as Xen's stack_switch gives it. Any other stvec is the guest's
		 * own for a while (Linux's jump onto its high mapping): honoured */
		if (sh->entry && (v->stvec & ~STVEC_MODE_MASK) == sh->vector) {
			if (!(v->sstatus & SSTATUS_SPP))
				v->x[2] = sh->kernel_sp;
			v->pc = sh->entry;
		}
	}
	sh->irq_mask = !(v->sstatus & SSTATUS_SIE);
}
