/*
 * start.S: entry of an S-mode payload booted as OpenSBI boots one
 * (a0 = hart id, a1 = physical address of the device tree).
 * Sets up the stack, the thread pointer picolibc's errno needs, and a zero
 * .bss, then calls kmain(hartid, dtb). Returning from kmain shuts down.
 *
 * Only the first hart to arrive boots the image. A later one goes to
 * kit_late_hart (weak: park) before it touches the stack or .bss: OpenSBI
 * 1.1's hart_start (lib/sbi/sbi_hsm.c) makes the hart START_PENDING before
 * it writes next_addr, so a hart still on its way to its HSM wait loop can
 * leave with the old next_addr, this image's entry, and would zero the
 * running hart's .bss (SBI spec 2.0, 9.1 says it starts at start_addr).
 */
	.section .text.start, "ax"
	.globl _start
_start:
	/* gp-relative addressing must not be used before gp is set */
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	t0, kit_boot_lottery
	li	t1, 1
	amoswap.w.aqrl t1, t1, (t0)
	bnez	t1, kit_late_hart
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

	/* a second hart here: interrupts off, wait forever (a guest that
	 * starts harts itself replaces this) */
	.weak	kit_late_hart
kit_late_hart:
	csrw	sie, zero
4:	wfi
	j	4b

	/* in .data, not .bss: the winner zeroes .bss after it has won */
	.section .data
	.balign 4
kit_boot_lottery:
	.word	0
