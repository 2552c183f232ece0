/*
 * probe.S: enter the probe buffer and come back from whatever it does.
 *
 * probe_exec saves the caller's callee-saved state, points sepc at
 * probe_buf and srets (SPP = S, so the probe runs in S-mode with SIE = 0)
 * with every register holding a scratch address. The first trap lands in
 * hostile_vector, which records it and returns from probe_exec.
 */
	.section .text
	.option norvc
	.globl probe_exec
probe_exec:
	la	t0, host_ctx
	sd	ra, 0(t0)
	sd	sp, 8(t0)
	sd	gp, 16(t0)
	sd	tp, 24(t0)
	sd	s0, 32(t0)
	sd	s1, 40(t0)
	sd	s2, 48(t0)
	sd	s3, 56(t0)
	sd	s4, 64(t0)
	sd	s5, 72(t0)
	sd	s6, 80(t0)
	sd	s7, 88(t0)
	sd	s8, 96(t0)
	sd	s9, 104(t0)
	sd	s10, 112(t0)
	sd	s11, 120(t0)
	/* the buffer was just written: fetches must see it (Zifencei) */
	fence.i
	la	t0, probe_buf
	csrw	sepc, t0
	li	t0, 0x100		/* SPP = S */
	csrs	sstatus, t0
	li	t0, 0x22		/* SPIE = 0, SIE = 0: nothing interrupts */
	csrc	sstatus, t0
	mv	t0, a1
	mv	a1, a0
	mv	x1, t0
	mv	x2, t0
	mv	x3, t0
	mv	x4, t0
	mv	x6, t0
	mv	x7, t0
	mv	x8, t0
	mv	x9, t0
	/* x11 = a1 keeps a1val (set first, from a0) */
	mv	x12, t0
	mv	x13, t0
	mv	x14, t0
	mv	x15, t0
	mv	x16, t0
	mv	x17, t0
	mv	x18, t0
	mv	x19, t0
	mv	x20, t0
	mv	x21, t0
	mv	x22, t0
	mv	x23, t0
	mv	x24, t0
	mv	x25, t0
	mv	x26, t0
	mv	x27, t0
	mv	x28, t0
	mv	x29, t0
	mv	x30, t0
	mv	x31, t0
	mv	x10, t0
	sret

	/* direct-mode trap vector (priv 1.12, 4.1.2): BASE 4-aligned */
	.balign 4
	.globl hostile_vector
hostile_vector:
	/* a0 first: the probe's result register */
	la	t0, probe_result
	sd	a0, 24(t0)
	csrr	t1, scause
	sd	t1, 0(t0)
	csrr	t1, stval
	sd	t1, 8(t0)
	csrr	t1, sepc
	sd	t1, 16(t0)
	la	t0, host_ctx
	ld	ra, 0(t0)
	ld	sp, 8(t0)
	ld	gp, 16(t0)
	ld	tp, 24(t0)
	ld	s0, 32(t0)
	ld	s1, 40(t0)
	ld	s2, 48(t0)
	ld	s3, 56(t0)
	ld	s4, 64(t0)
	ld	s5, 72(t0)
	ld	s6, 80(t0)
	ld	s7, 88(t0)
	ld	s8, 96(t0)
	ld	s9, 104(t0)
	ld	s10, 112(t0)
	ld	s11, 120(t0)
	ret

	.section .data
	.balign 16
	.globl probe_buf
probe_buf:
	.space	16
	.globl probe_result
probe_result:
	.space	32
host_ctx:
	.space	128

	.section .bss
	.balign 4096
	.globl probe_scratch
probe_scratch:
	.space	8192
