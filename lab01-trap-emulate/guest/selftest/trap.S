/*
 * trap.S: the selftest kernel's trap entry and exit (priv 1.12, 4.1.2).
 *
 * sscratch is 0 while the kernel runs and holds the top of the trap stack
 * while user code runs, so one csrrw tells the two cases apart and gives a
 * trap from U a trusted stack (the xv6 idea, without its page tables).
 */
#define TF_SIZE   (36 * 8)
#define TF_SEPC   (32 * 8)
#define TF_SSTATUS (33 * 8)
#define TF_SCAUSE (34 * 8)
#define TF_STVAL  (35 * 8)

.macro for_regs op
	\op	x1, 1*8(sp)
	\op	x3, 3*8(sp)
	\op	x4, 4*8(sp)
	\op	x5, 5*8(sp)
	\op	x6, 6*8(sp)
	\op	x7, 7*8(sp)
	\op	x8, 8*8(sp)
	\op	x9, 9*8(sp)
	\op	x10, 10*8(sp)
	\op	x11, 11*8(sp)
	\op	x12, 12*8(sp)
	\op	x13, 13*8(sp)
	\op	x14, 14*8(sp)
	\op	x15, 15*8(sp)
	\op	x16, 16*8(sp)
	\op	x17, 17*8(sp)
	\op	x18, 18*8(sp)
	\op	x19, 19*8(sp)
	\op	x20, 20*8(sp)
	\op	x21, 21*8(sp)
	\op	x22, 22*8(sp)
	\op	x23, 23*8(sp)
	\op	x24, 24*8(sp)
	\op	x25, 25*8(sp)
	\op	x26, 26*8(sp)
	\op	x27, 27*8(sp)
	\op	x28, 28*8(sp)
	\op	x29, 29*8(sp)
	\op	x30, 30*8(sp)
	\op	x31, 31*8(sp)
.endm

	.section .text
	.option norvc
	/* direct mode needs BASE 4-aligned; vectored tables are aligned more */
	.balign 256
	.globl trap_vector
trap_vector:
	csrrw	sp, sscratch, sp
	bnez	sp, from_user
	/* from the kernel: put sp back, sscratch stays 0 */
	csrrw	sp, sscratch, sp
	addi	sp, sp, -TF_SIZE
	for_regs sd
	addi	t0, sp, TF_SIZE
	sd	t0, 2*8(sp)
	j	saved
from_user:
	addi	sp, sp, -TF_SIZE
	for_regs sd
	csrr	t0, sscratch
	sd	t0, 2*8(sp)
	csrw	sscratch, zero
saved:
	csrr	t0, sepc
	sd	t0, TF_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, TF_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, TF_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, TF_STVAL(sp)
	mv	a0, sp
	call	trap
	mv	a0, sp

	/* trap_return(tf): resume the context in *tf (sret, priv 3.3.2) */
	.globl trap_return
trap_return:
	mv	sp, a0
	ld	t0, TF_SEPC(sp)
	csrw	sepc, t0
	ld	t0, TF_SSTATUS(sp)
	csrw	sstatus, t0
	andi	t0, t0, 0x100		/* SPP */
	bnez	t0, 1f
	/* back to U: the next trap from U lands on the trap stack */
	la	t0, trap_stack_top
	csrw	sscratch, t0
1:	for_regs ld
	ld	sp, 2*8(sp)
	sret

	/*
	 * Vectored mode (stvec.MODE = 1): interrupt n enters at BASE + 4n,
	 * every exception at BASE. Each stub records its index in vec_last
	 * and joins trap_vector. Only used for traps from the kernel.
	 */
	.balign 256
	.globl trap_vector_table
trap_vector_table:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	j	vec_stub_\n
	.endr
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
vec_stub_\n:
	addi	sp, sp, -16
	sd	t0, 0(sp)
	sd	t1, 8(sp)
	li	t0, \n
	la	t1, vec_last
	sd	t0, 0(t1)
	ld	t1, 8(sp)
	ld	t0, 0(sp)
	addi	sp, sp, 16
	j	trap_vector
	.endr

	/*
	 * User-mode probes: run_user() srets into one; each ends in the trap
	 * the check wants to see. Kept 4 bytes long each (norvc).
	 */
	.globl u_probe_ecall, u_probe_ecall_at, u_probe_csr, u_probe_sret
	.globl u_probe_ebreak, u_probe_illegal, u_probe_load, u_probe_sfence
u_probe_ecall:
	li	a0, 0x5a
u_probe_ecall_at:
	ecall
	j	u_probe_ecall_at
u_probe_csr:
	csrr	a0, sstatus
	j	u_probe_csr
u_probe_sret:
	sret
	j	u_probe_sret
u_probe_ebreak:
	ebreak
	j	u_probe_ebreak
u_probe_illegal:
	/* csrrw x0, cycle, x0: a write to a read-only CSR */
	.4byte	0xc0001073
	j	u_probe_illegal
u_probe_load:
	ld	a0, 0(a0)
	j	u_probe_load
u_probe_sfence:
	sfence.vma
	j	u_probe_sfence

	.section .bss
	.balign 16
trap_stack:
	.space	16384
	.globl trap_stack_top
trap_stack_top:

	.section .data
	.balign 8
	.globl vec_last
vec_last:
	.dword	-1
