/*
 * entry.S: where OpenSBI enters the VMM (PA 0x80200000, a0 = hart id,
 * a1 = device tree PA). The image is linked in the Sv48 direct map: until
 * paging is on, only PC-relative code runs (lla, call).
 */
#include "vmm_map.h"

	.section .text.start, "ax"
	.globl _start
_start:
	.option push
	.option norelax
	mv	s0, a0
	mv	s1, a1
	csrw	sie, zero
	csrw	satp, zero
	lla	sp, __stack_top		/* physical for now */
	/* zero .bss (the page tables live there) */
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	vmm_map_boot
	sfence.vma
	csrw	satp, a0
	sfence.vma
	/* continue at the same code's high-half address */
	li	t0, VMM_PHYS_OFFSET
	lla	t1, 3f
	add	t1, t1, t0
	jr	t1
3:	add	sp, sp, t0
	lla	gp, __global_pointer$
	lla	tp, __tls_base
	.option pop
	mv	a0, s0
	mv	a1, s1
	call	vmm_main
4:	wfi
	j	4b
