/*
 * pv_trap.S: the PV build's trap entry and exit. lab01's selftest trap.S
 * is included whole (its trap_vector, the CSR path, stays the stvec: what
 * runs where the page carries no traps), its trap_return renamed
 * kit_csr_trap_return; this file adds the entry the VMM delivers to
 * through the shared page (pv_shared.entry) and the trap_return the
 * kernel calls, which returns with one TRAP_RETURN hypercall instead of
 * csrw sepc, csrw sstatus, csrw sscratch and sret (PV.md, "Traps").
 */
#include "pv_abi.h"
#include "sbi.h"

#define trap_return kit_csr_trap_return
#include "trap.S"
#undef trap_return

	.section .text
	.option norvc
/*
 * The VMM enters here with sp = the kernel's stack (pv_shared.kernel_sp
 * for a trap from U, the kernel's own sp otherwise) and the trap in the
 * page: the same frame as trap.S builds, from memory loads.
 */
	.balign 4
	.globl pv_trap_entry
pv_trap_entry:
	addi	sp, sp, -TF_SIZE
	for_regs sd
	la	t0, pv_shared
	ld	t1, PV_OFF_TRAP_SP(t0)
	sd	t1, 2*8(sp)
	ld	t1, PV_OFF_SEPC(t0)
	sd	t1, TF_SEPC(sp)
	ld	t1, PV_OFF_SSTATUS(t0)
	sd	t1, TF_SSTATUS(sp)
	ld	t1, PV_OFF_STVAL(t0)
	sd	t1, TF_STVAL(sp)
	ld	t1, PV_OFF_SCAUSE(t0)
	sd	t1, TF_SCAUSE(sp)
	bgez	t1, 1f
	/* an interrupt (scause bit 63): counted for group pv_events */
	la	t2, pv_irq_count
	ld	t3, 0(t2)
	addi	t3, t3, 1
	sd	t3, 0(t2)
1:	mv	a0, sp
	call	trap
	mv	a0, sp

/* trap_return(tf): resume *tf; through the page when traps come through it */
	.globl trap_return
trap_return:
	la	t0, pv_traps_on
	lw	t0, 0(t0)
	beqz	t0, kit_csr_trap_return
	mv	sp, a0
	la	t0, pv_shared
	ld	t1, TF_SEPC(sp)
	sd	t1, PV_OFF_RET_SEPC(t0)
	ld	t1, TF_SSTATUS(sp)
	sd	t1, PV_OFF_RET_SSTATUS(t0)
	ld	t1, 2*8(sp)
	sd	t1, PV_OFF_RET_SP(t0)
	ld	t1, 10*8(sp)
	sd	t1, PV_OFF_RET_A0(t0)
	ld	t1, 11*8(sp)
	sd	t1, PV_OFF_RET_A1(t0)
	ld	t1, 16*8(sp)
	sd	t1, PV_OFF_RET_A6(t0)
	ld	t1, 17*8(sp)
	sd	t1, PV_OFF_RET_A7(t0)
	for_regs ld
	li	a7, SBI_EXT_KIT_PV
	li	a6, PV_FID_TRAP_RETURN
	li	a0, 0
	ecall
	/* only an error comes back here: the context is gone */
	unimp

/*
 * long pv_nonret_suspend(uint64_t ctx[18]): HSM hart_suspend, non-retentive
 * (SBI 2.0, 9.4), for pv_hostile: the callee-saved registers, satp and
 * sstatus kept in ctx (the opaque), the hart resumes at 1: with satp = 0
 * and SIE = 0 (the kernel's RAM is identity-mapped), restores them (SIE
 * left 0) and returns 1; a refused suspend returns its error.
 */
	.balign 4
	.globl pv_nonret_suspend
pv_nonret_suspend:
	sd	ra, 0(a0)
	sd	sp, 8(a0)
	sd	gp, 16(a0)
	sd	tp, 24(a0)
	sd	s0, 32(a0)
	sd	s1, 40(a0)
	sd	s2, 48(a0)
	sd	s3, 56(a0)
	sd	s4, 64(a0)
	sd	s5, 72(a0)
	sd	s6, 80(a0)
	sd	s7, 88(a0)
	sd	s8, 96(a0)
	sd	s9, 104(a0)
	sd	s10, 112(a0)
	sd	s11, 120(a0)
	csrr	t0, satp
	sd	t0, 128(a0)
	csrr	t0, sstatus
	andi	t0, t0, ~2	/* SIE stays 0 */
	sd	t0, 136(a0)
	mv	a2, a0
	li	a0, 0x80000000	/* SBI_HSM_SUSPEND_NON_RETENTIVE (sbi.h's has a C suffix) */
	la	a1, 1f
	li	a6, SBI_HSM_HART_SUSPEND
	li	a7, SBI_EXT_HSM
	ecall
	ret
1:	ld	t0, 128(a1)
	csrw	satp, t0
	sfence.vma
	ld	t0, 136(a1)
	csrw	sstatus, t0
	ld	ra, 0(a1)
	ld	sp, 8(a1)
	ld	gp, 16(a1)
	ld	tp, 24(a1)
	ld	s0, 32(a1)
	ld	s1, 40(a1)
	ld	s2, 48(a1)
	ld	s3, 56(a1)
	ld	s4, 64(a1)
	ld	s5, 72(a1)
	ld	s6, 80(a1)
	ld	s7, 88(a1)
	ld	s8, 96(a1)
	ld	s9, 104(a1)
	ld	s10, 112(a1)
	ld	s11, 120(a1)
	li	a0, 1
	ret

/*
 * A user program in a page of its own (pv_hostile maps it U|R|X at
 * PV_USER_VA): a PV call from U-mode, SHARED_SET(PV_SHARED_OFF). It is the
 * guest kernel's system call (its kernel ends the run: a7 is no system
 * call of its own); were it the VMM's, the page would be gone and the
 * program exit (a7 = 0) with the call's error, 0.
 */
	.balign 4096
	.globl pv_user_code
pv_user_code:
	li	a0, -1
	li	a1, 0
	li	a6, PV_FID_SHARED_SET
	li	a7, SBI_EXT_KIT_PV
	ecall
	li	a7, 0
	ecall
	.balign 4096
