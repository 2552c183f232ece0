/*
 * asm.S: the paging guest's code that C cannot express: Linux's way onto
 * its high mapping, the user programs (one page, mapped into every user
 * address space) and a page holding a lone ret.
 */
	.section .text
	.option norvc

/*
 * jump_high(satp_high, offset, satp_back, out[4]), as Linux's
 * relocate_enable_mmu: stvec = the high address of label 1, then satp with
 * a table that maps the kernel only high; the fetch of the next
 * instruction at its physical address faults (priv 4.3.2) and the trap
 * enters at stvec, on the high mapping. There: scause, stval, the pc,
 * then satp_back (identity again), and out[] = scause, stval, the pc at
 * jump_high_at, the address that faulted.
 */
	.globl jump_high
jump_high:
	csrr	t6, stvec
	la	t0, 1f
	add	t0, t0, a1
	csrw	stvec, t0
	la	t5, 2f
	sfence.vma
	csrw	satp, a0
2:	nop
	j	2b
	.balign 4
1:	csrr	t1, scause
	csrr	t2, stval
	.globl jump_high_at
jump_high_at:
	auipc	t3, 0
	csrw	satp, a2
	sfence.vma
	csrw	stvec, t6
	sd	t1, 0(a3)
	sd	t2, 8(a3)
	sd	t3, 16(a3)
	sd	t5, 24(a3)
	ret

/* A page whose first instruction is ret (fetch checks call into it). */
	.balign 4096
	.globl pg_ret_page
pg_ret_page:
	ret
	.balign 4096

/*
 * The user programs, position-independent, in a page of their own
 * (mapped U|R|X at USER_CODE_VA). ecall a7 = 0 exit(a0), 1 yield, 2 null.
 */
	.globl user_code_start, user_code_end, u_count, u_store_load, u_load, u_store_byte, u_null_calls
user_code_start:
/* u_count(inc): forever add inc to the word at USER_DATA_VA, yield */
u_count:
	li	t0, 0x500000
1:	ld	t1, 0(t0)
	add	t1, t1, a0
	sd	t1, 0(t0)
	li	a7, 1
	ecall
	j	1b
/* u_store_load(va, v): store v at va, exit(load of va) */
u_store_load:
	sd	a1, 0(a0)
	ld	a0, 0(a0)
	li	a7, 0
	ecall
/* u_store_byte(va, v): store byte v at va, exit(byte load of va) */
u_store_byte:
	sb	a1, 0(a0)
	lbu	a0, 0(a0)
	li	a7, 0
	ecall
/* u_null_calls(n): n null system calls (a7 = 2), then exit(0) */
u_null_calls:
1:	li	a7, 2
	ecall
	addi	a0, a0, -1
	bnez	a0, 1b
	li	a7, 0
	ecall
/* u_load(va): exit(load of va) */
u_load:
	ld	a0, 0(a0)
	li	a7, 0
	ecall
	.balign 4096
user_code_end:
