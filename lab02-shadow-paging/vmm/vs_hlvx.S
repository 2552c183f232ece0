/*
 * vs_hlvx.S: hw_hlvx_hu (vs_hw.h). HLVX.HU (priv 1.12, 8.3.1) reads guest
 * memory through the VS-stage and the G-stage with execute permission, at
 * the privilege hstatus.SPVP names; a fault there is a trap in HS-mode,
 * i.e. in the VMM itself. So stvec points at a local handler for the one
 * instruction: a fault returns its scause instead of reaching trapvec.S
 * (which would call it a VMM bug). The VMM runs with sstatus.SIE = 0, so
 * no interrupt can be taken meanwhile.
 */
	.section .text
	.globl hw_hlvx_hu
/* uint64_t hw_hlvx_hu(uint64_t va, uint16_t *half): a0 = va, a1 = half */
hw_hlvx_hu:
	lla	t0, 1f
	csrrw	t1, stvec, t0
	/* hlvx.hu a2, (a0): the assembler's -march has no H */
	.insn	r 0x73, 4, 0x32, a2, a0, x3
	csrw	stvec, t1
	sh	a2, 0(a1)
	li	a0, 0
	ret
	.balign 4		/* stvec BASE is 4-byte aligned (4.1.2) */
1:	csrw	stvec, t1
	csrr	a0, scause
	ret
