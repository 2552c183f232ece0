/*
 * trap.c: where every trap of the selftest kernel lands (called by
 * trap.S with the interrupted context). Interrupts go to their handler,
 * ecalls from U are system calls, every other exception goes to the
 * recorder a check armed; anything unexpected is reported and skipped, so
 * a broken VMM makes checks fail rather than the guest hang.
 */
#include <stdio.h>

#include "kernel.h"
#include "sbi.h"

struct trap_record rec;
volatile unsigned irq_ssi_count;
volatile uint64_t irq_last_cause;

void rec_arm(void)
{
	rec.armed = true;
	rec.count = 0;
	rec.scause = rec.stval = rec.sepc = rec.sstatus = rec.a0 = 0;
	rec.insn_len = 0;
}

/* Length of the instruction at pc: 2 if its low bits are not 11 (C ext., 16.1). */
static unsigned insn_len(uint64_t pc)
{
	uint16_t low = *(volatile uint16_t *)pc;
	return (low & 3) == 3 ? 4 : 2;
}

static void interrupt(struct trapframe *tf, uint64_t cause)
{
	irq_last_cause = tf->scause;
	switch (cause) {
	case IRQ_S_SOFT:
		/* the pending bit stays set until software clears it (4.1.3) */
		csr_clear(sip, SIP_SSIP);
		irq_ssi_count++;
		break;
	case IRQ_S_TIMER:
		if (sched_active) {
			sched_tick(tf);
		} else {
			/* nobody asked for it: push the next one to infinity */
			sbi_set_timer(~0ULL);
		}
		break;
	default:
		printf("KIT NOTE unexpected interrupt scause=%#lx: disabling it\n",
		       (unsigned long)tf->scause);
		csr_clear(sie, 1UL << cause);
		break;
	}
}

void trap(struct trapframe *tf)
{
	uint64_t cause = tf->scause & ~SCAUSE_INTERRUPT;
	bool from_user = (tf->sstatus & SSTATUS_SPP) == 0;

	if (tf->scause & SCAUSE_INTERRUPT) {
		interrupt(tf, cause);
		return;
	}
	if (cause == CAUSE_USER_ECALL && from_user && !user_probe) {
		syscall(tf);
		return;
	}
	if (!rec.armed)
		printf("KIT NOTE unexpected exception scause=%#lx sepc=%#lx stval=%#lx\n",
		       (unsigned long)tf->scause, (unsigned long)tf->sepc,
		       (unsigned long)tf->stval);
	rec.scause = tf->scause;
	rec.stval = tf->stval;
	rec.sepc = tf->sepc;
	rec.sstatus = tf->sstatus;
	rec.a0 = tf->x[REG_A0];
	rec.insn_len = insn_len(tf->sepc);
	rec.count++;
	if (from_user)
		user_end(RUN_TRAP);
	/* a kernel exception: resume after the instruction that took it */
	tf->sepc += rec.insn_len;
}
