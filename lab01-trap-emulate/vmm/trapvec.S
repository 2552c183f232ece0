/*
 * trapvec.S: the VMM's only trap vector (stvec, direct mode).
 *
 * While the guest runs, sscratch holds the vcpu pointer; while the VMM
 * runs, sscratch is 0, so a trap taken in the VMM itself (a VMM bug) is
 * recognized and reported instead of being mistaken for a guest exit.
 */
#include "vcpu_asm.h"

	.section .text
	.align 4
	.globl vmm_trap_vector
vmm_trap_vector:
	csrrw	sp, sscratch, sp	/* sp = vcpu, sscratch = guest sp */
	beqz	sp, vmm_self_trap
	sd	x1, VCPU_X(1)(sp)
	sd	x3, VCPU_X(3)(sp)
	sd	x4, VCPU_X(4)(sp)
	sd	x5, VCPU_X(5)(sp)
	sd	x6, VCPU_X(6)(sp)
	sd	x7, VCPU_X(7)(sp)
	sd	x8, VCPU_X(8)(sp)
	sd	x9, VCPU_X(9)(sp)
	sd	x10, VCPU_X(10)(sp)
	sd	x11, VCPU_X(11)(sp)
	sd	x12, VCPU_X(12)(sp)
	sd	x13, VCPU_X(13)(sp)
	sd	x14, VCPU_X(14)(sp)
	sd	x15, VCPU_X(15)(sp)
	sd	x16, VCPU_X(16)(sp)
	sd	x17, VCPU_X(17)(sp)
	sd	x18, VCPU_X(18)(sp)
	sd	x19, VCPU_X(19)(sp)
	sd	x20, VCPU_X(20)(sp)
	sd	x21, VCPU_X(21)(sp)
	sd	x22, VCPU_X(22)(sp)
	sd	x23, VCPU_X(23)(sp)
	sd	x24, VCPU_X(24)(sp)
	sd	x25, VCPU_X(25)(sp)
	sd	x26, VCPU_X(26)(sp)
	sd	x27, VCPU_X(27)(sp)
	sd	x28, VCPU_X(28)(sp)
	sd	x29, VCPU_X(29)(sp)
	sd	x30, VCPU_X(30)(sp)
	sd	x31, VCPU_X(31)(sp)
	csrrw	t0, sscratch, zero	/* the guest's sp; sscratch = 0: in the VMM */
	sd	t0, VCPU_X(2)(sp)
	csrr	t0, sepc
	sd	t0, VCPU_PC(sp)
	mv	a0, sp
	ld	gp, VCPU_HOST_GP(a0)
	ld	tp, VCPU_HOST_TP(a0)
	ld	sp, VCPU_HOST_SP(a0)
	call	vmm_exit		/* returns the vcpu to resume */
	/* fall through */

/* vmm_enter_guest(struct vcpu *v): run the guest from v until its next trap. */
	.globl vmm_enter_guest
vmm_enter_guest:
	sd	sp, VCPU_HOST_SP(a0)
	sd	gp, VCPU_HOST_GP(a0)
	sd	tp, VCPU_HOST_TP(a0)
	csrw	sscratch, a0
	ld	t0, VCPU_PC(a0)
	csrw	sepc, t0
	ld	x1, VCPU_X(1)(a0)
	ld	x2, VCPU_X(2)(a0)
	ld	x3, VCPU_X(3)(a0)
	ld	x4, VCPU_X(4)(a0)
	ld	x5, VCPU_X(5)(a0)
	ld	x6, VCPU_X(6)(a0)
	ld	x7, VCPU_X(7)(a0)
	ld	x8, VCPU_X(8)(a0)
	ld	x9, VCPU_X(9)(a0)
	ld	x11, VCPU_X(11)(a0)
	ld	x12, VCPU_X(12)(a0)
	ld	x13, VCPU_X(13)(a0)
	ld	x14, VCPU_X(14)(a0)
	ld	x15, VCPU_X(15)(a0)
	ld	x16, VCPU_X(16)(a0)
	ld	x17, VCPU_X(17)(a0)
	ld	x18, VCPU_X(18)(a0)
	ld	x19, VCPU_X(19)(a0)
	ld	x20, VCPU_X(20)(a0)
	ld	x21, VCPU_X(21)(a0)
	ld	x22, VCPU_X(22)(a0)
	ld	x23, VCPU_X(23)(a0)
	ld	x24, VCPU_X(24)(a0)
	ld	x25, VCPU_X(25)(a0)
	ld	x26, VCPU_X(26)(a0)
	ld	x27, VCPU_X(27)(a0)
	ld	x28, VCPU_X(28)(a0)
	ld	x29, VCPU_X(29)(a0)
	ld	x30, VCPU_X(30)(a0)
	ld	x31, VCPU_X(31)(a0)
	ld	x10, VCPU_X(10)(a0)
	sret				/* to the guest as the run loop set it up: U-mode (run_u.c), VS or VU (lab02 run_vs.c) */

/* A trap in the VMM itself: restore sp and report it. */
vmm_self_trap:
	csrrw	sp, sscratch, sp	/* sp = VMM sp, sscratch = 0 again */
	call	vmm_self_trap_report
1:	wfi
	j	1b
