/*
 * pv_trap.S: the PV build's trap entry and exit. lab01's selftest trap.S
 * is included whole (its trap_vector, the CSR path, stays the stvec: what
 * runs where the page carries no traps), its trap_return renamed
 * kit_csr_trap_return; this file adds the entry the VMM delivers to
 * through the shared page (pv_shared.entry) and the trap_return the
 * kernel calls, which returns with one TRAP_RETURN hypercall instead of
 * csrw sepc, csrw sstatus, csrw sscratch and sret (PV.md, "Traps").
 */
#include "pv_abi.h"
#include "sbi.h"

#define trap_return kit_csr_trap_return
#include "trap.S"
#undef trap_return

	.section .text
	.option norvc
/*
 * The VMM enters here with sp = the kernel's stack (pv_shared.kernel_sp
 * for a trap from U, the kernel's own sp otherwise) and the trap in the
 * page: the same frame as trap.S builds, from memory loads.
 */
	.balign 4
	.globl pv_trap_entry
pv_trap_entry:
	addi	sp, sp, -TF_SIZE
	for_regs sd
	la	t0, pv_shared
	ld	t1, PV_OFF_TRAP_SP(t0)
	sd	t1, 2*8(sp)
	ld	t1, PV_OFF_SEPC(t0)
	sd	t1, TF_SEPC(sp)
	ld	t1, PV_OFF_SSTATUS(t0)
	sd	t1, TF_SSTATUS(sp)
	ld	t1, PV_OFF_STVAL(t0)
	sd	t1, TF_STVAL(sp)
	ld	t1, PV_OFF_SCAUSE(t0)
	sd	t1, TF_SCAUSE(sp)
	bgez	t1, 1f
	/* an interrupt (scause bit 63): counted for group pv_events */
	la	t2, pv_irq_count
	ld	t3, 0(t2)
	addi	t3, t3, 1
	sd	t3, 0(t2)
1:	mv	a0, sp
	call	trap
	mv	a0, sp

/* trap_return(tf): resume *tf; through the page when traps come through it */
	.globl trap_return
trap_return:
	la	t0, pv_traps_on
	lw	t0, 0(t0)
	beqz	t0, kit_csr_trap_return
	mv	sp, a0
	la	t0, pv_shared
	ld	t1, TF_SEPC(sp)
	sd	t1, PV_OFF_RET_SEPC(t0)
	ld	t1, TF_SSTATUS(sp)
	sd	t1, PV_OFF_RET_SSTATUS(t0)
	ld	t1, 2*8(sp)
	sd	t1, PV_OFF_RET_SP(t0)
	ld	t1, 10*8(sp)
	sd	t1, PV_OFF_RET_A0(t0)
	ld	t1, 11*8(sp)
	sd	t1, PV_OFF_RET_A1(t0)
	ld	t1, 16*8(sp)
	sd	t1, PV_OFF_RET_A6(t0)
	ld	t1, 17*8(sp)
	sd	t1, PV_OFF_RET_A7(t0)
	for_regs ld
	li	a7, SBI_EXT_KIT_PV
	li	a6, PV_FID_TRAP_RETURN
	li	a0, 0
	ecall
	/* only an error comes back here: the context is gone */
	unimp
