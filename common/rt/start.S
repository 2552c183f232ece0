/*
 * start.S: entry of an S-mode payload booted as OpenSBI boots one
 * (a0 = hart id, a1 = physical address of the device tree).
 * Sets up the stack, the thread pointer picolibc's errno needs, and a zero
 * .bss, then calls kmain(hartid, dtb). Returning from kmain shuts down.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	/* gp-relative addressing must not be used before gp is set */
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	sp, __stack_top
	la	tp, __tls_base
	csrw	sie, zero
	/* zero .tbss and .bss */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	kmain
	call	sbi_shutdown
3:	wfi
	j	3b
