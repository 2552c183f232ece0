/*
 * emulate.c: executing the privileged instructions the guest kernel (in
 * real U-mode) trapped on: the six CSR forms (unpriv 9.1), sret (priv
 * 3.3.2), wfi (3.3.3), sfence.vma (4.2.1).
 */
#include "csr.h"
#include "decode.h"
#include "emulate.h"
#include "hw.h"
#include "mmu.h"
#include "todo.h"
#include "trap.h"
#include "vcpus.h"

static int illegal(struct vcpu *v, uint32_t raw)
{
	vcpu_inject_exception(v, CAUSE_ILLEGAL_INSTRUCTION, raw);
	return -1;
}

/*
 * CSRRW/RS/RC and their immediate forms. Side-effect rules (unpriv 9.1):
 * CSRRW with rd = x0 does not read; CSRRS/CSRRC with rs1 = x0 (or zimm = 0)
 * do not write, so they may read a read-only CSR. rd is written only if
 * the whole instruction is legal.
 */
static int emulate_csr(struct vcpu *v, const struct insn *in)
{
	// BEGIN SOLUTION: the six CSR instruction forms
	uint64_t src = in->csr_imm ? in->rs1 : vcpu_get_reg(v, in->rs1);
	uint64_t old = 0, new;
	int do_read = !(in->csr_op == CSR_RW && in->rd == 0);
	int do_write = in->csr_op == CSR_RW || in->rs1 != 0;

	if (do_read && vcpu_csr_read(v, in->csr, &old) != 0)
		return -1;
	switch (in->csr_op) {
	case CSR_RW: new = src; break;
	case CSR_RS: new = old | src; break;
	default:     new = old & ~src; break;
	}
	if (do_write && vcpu_csr_write(v, in->csr, new) != 0)
		return -1;
	vcpu_set_reg(v, in->rd, old);
	return 0;
	// STARTER:
	// TODO("emulate_csr", "lab01 handout, task 3");
	// (void)v, (void)in;
	// return -1;
	// END SOLUTION
}

void vcpu_wfi(struct vcpu *v)
{
	// BEGIN SOLUTION: idle until a virtual interrupt is pending
	/*
	 * wfi resumes when an interrupt is pending and enabled in sie, whatever
	 * sstatus.SIE says (priv 3.3.3). Only the virtual timer can make one
	 * pending in lab01; without it nothing ever would, and the spec lets
	 * wfi complete at any time, so it does.
	 */
	while (!(v->sip & v->sie & VSIE_WRITABLE)) {
		if (v->stimecmp == UINT64_MAX || !(v->sie & SIP_STIP))
			break;
		hw_wait_for_interrupt();
		vcpu_timer_update(v);
	}
	// STARTER:
	// TODO("vcpu_wfi", "lab01 handout, task 8");
	// (void)v;
	// END SOLUTION
}

int vcpu_emulate(struct vcpu *v, const struct insn *in)
{
	uint32_t raw = in->raw;

	/* a guest user program has no privilege: its kernel handles the trap */
	if (in->kind == INSN_OTHER || v->mode != VMODE_S)
		return illegal(v, raw);

	switch (in->kind) {
	case INSN_CSR:
		if (emulate_csr(v, in) != 0)
			return illegal(v, raw);
		break;
	case INSN_SRET:
		vcpu_sret(v);
		return 0;	/* pc = sepc */
	case INSN_WFI:
		v->pc += in->len;	/* wfi completes; the interrupt's sepc is the next insn */
		/* with several vCPUs the scheduler runs another meanwhile (vcpus.h) */
		if (!vmm_sched_wfi(v))
			vcpu_wfi(v);
		return 0;
	case INSN_SFENCE_VMA:
		/* what a flush means is the guest-memory backend's */
		mmu_sfence_vma(v, in->rs1 != 0, vcpu_get_reg(v, in->rs1),
			       in->rs2 != 0, vcpu_get_reg(v, in->rs2));
		break;
	default:
		return illegal(v, raw);
	}
	v->pc += in->len;
	return 0;
}

int vcpu_emulate_insn(struct vcpu *v, uint32_t raw)
{
	struct insn in;

	if (insn_decode(raw, &in) != 0)
		return illegal(v, raw);
	return vcpu_emulate(v, &in);
}
