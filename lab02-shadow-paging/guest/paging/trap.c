/*
 * trap.c: where every trap of the paging guest lands (called by lab01's
 * selftest trap.S with the interrupted context). Traps from U-mode belong
 * to the running process (proc.c); an exception in S-mode is recorded for
 * the check that armed kf and skipped, so a broken VMM makes checks fail
 * rather than the guest hang.
 */
#include <stdio.h>

#include "paging.h"
#include "sbi.h"

struct kfault kf;

void kf_arm(void)
{
	kf.armed = true;
	kf.count = 0;
	kf.scause = kf.stval = kf.sepc = 0;
}

/* Length of the instruction at pc: 2 if its low bits are not 11 (C ext., 16.1). */
static unsigned insn_len(uint64_t pc)
{
	return (*(volatile uint16_t *)pc & 3) == 3 ? 4 : 2;
}

void trap(struct trapframe *tf);

void trap(struct trapframe *tf)
{
	uint64_t cause = tf->scause & ~SCAUSE_INTERRUPT;
	if (tf->scause & SCAUSE_INTERRUPT) {
		/* nothing here asks for interrupts: silence the source */
		printf("KIT NOTE unexpected interrupt scause=%#lx\n", (unsigned long)tf->scause);
		if (cause == IRQ_S_TIMER)
			sbi_set_timer(~0ULL);
		else
			csr_clear(sie, 1UL << cause);
		return;
	}
	if ((tf->sstatus & SSTATUS_SPP) == 0) {
		proc_trap(tf);
		return;
	}
	if (!kf.armed)
		printf("KIT NOTE unexpected exception scause=%#lx sepc=%#lx stval=%#lx\n",
		       (unsigned long)tf->scause, (unsigned long)tf->sepc, (unsigned long)tf->stval);
	if (kf.count++ == 0) {
		kf.scause = tf->scause;
		kf.stval = tf->stval;
		kf.sepc = tf->sepc;
	}
	/* a fetch fault (page or access) has no instruction to step over: back to the caller
	 * (probe_exec's jalr set ra) */
	if ((cause == CAUSE_FETCH_PAGE_FAULT || cause == CAUSE_FETCH_ACCESS) && tf->sepc == tf->stval)
		tf->sepc = tf->x[1];
	else
		tf->sepc += insn_len(tf->sepc);
}
