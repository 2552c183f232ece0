/*
 * ustart.S: entry of the user program. The kernel srets here with
 * a0 = mode, a1 = argument and sp set; umain's return value is the exit code.
 */
#include "syscall.h"
	.section .text.start, "ax"
	.globl _ustart
_ustart:
	call	umain
	li	a7, SYS_exit
	ecall
1:	j	1b
