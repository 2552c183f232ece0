/*
 * entry.S: the sbi guest's second hart and its trap entry.
 *
 * hart1_entry is where HSM hart_start (SBI 2.0, 9.1) and a non-retentive
 * hart_suspend (9.4) send hart 1: a0 = hart id, a1 = opaque (here the
 * top of hart 1's stack), satp = 0, sstatus.SIE = 0. Both harts trap to
 * trap_vector on their own stack (the guest never runs U-mode).
 */
	.section .text
	.globl hart1_entry
hart1_entry:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	/* what the hart got, before anything changes it (hart.c checks it) */
	csrr	t0, satp
	csrr	t1, sstatus
	mv	sp, a1
	la	tp, hart1_tls
	csrw	sscratch, zero
	la	t2, trap_vector
	csrw	stvec, t2
	mv	a2, t0
	mv	a3, t1
	call	hart1_main
1:	wfi
	j	1b

	/* start.S sends a hart here that entered _start second (sbig.h's
	 * struct late_hart; a0 = its hart id, kept) */
	.globl kit_late_hart
kit_late_hart:
	csrw	sie, zero
	la	t0, late_hart
	li	t1, 1
	amoadd.d.aqrl zero, t1, 0(t0)
	ld	t1, 8(t0)
	beqz	t1, 2f
	ld	a1, 16(t0)
	jr	t1
2:	wfi
	j	2b

	/* stvec takes a 4-byte aligned base (priv spec 1.12, 4.1.2); aligned
	 * while RVC is still on, since norvc has no 2-byte nop to pad with */
	.balign 4
	.option push
	.option norvc
	.globl trap_vector
trap_vector:
	addi	sp, sp, -36*8
	.irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\r, \r*8(sp)
	.endr
	addi	t0, sp, 36*8
	sd	t0, 2*8(sp)
	csrr	t0, sepc
	sd	t0, 32*8(sp)
	csrr	t0, sstatus
	sd	t0, 33*8(sp)
	csrr	t0, scause
	sd	t0, 34*8(sp)
	csrr	t0, stval
	sd	t0, 35*8(sp)
	mv	a0, sp
	call	trap
	ld	t0, 32*8(sp)
	csrw	sepc, t0
	.irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\r, \r*8(sp)
	.endr
	addi	sp, sp, 36*8
	sret
	.option pop
