/*
 * reflect.c: traps delivered as hardware delivers them (priv 1.12, 4.1.2
 * stvec modes, 4.1.7 to 4.1.9 sepc/scause/stval, 3.1.6.1 stack of
 * interrupt-enable bits), from the kernel and from user mode.
 */
#include "kernel.h"

static void ssi_raise(void)
{
	irq_ssi_count = 0;
	irq_last_cause = 0;
	csr_write(sie, SIP_SSIP);
	csr_set(sstatus, SSTATUS_SIE);
	csr_set(sip, SIP_SSIP);
	/* the interrupt is taken before the next instruction; give it room */
	for (volatile int i = 0; i < 100 && irq_ssi_count == 0; i++)
		;
	csr_clear(sstatus, SSTATUS_SIE);
	csr_write(sie, 0);
	csr_clear(sip, SIP_SSIP);
}

void group_trap_reflect(void)
{
	uint64_t at, st, ram_end = ginfo.ram_base + ginfo.ram_size;
	int why;

	/* a trap saves SIE in SPIE, clears SIE, and sret restores it */
	csr_write(sie, 0);
	csr_set(sstatus, SSTATUS_SIE);
	rec_arm();
	__asm__ volatile("ebreak");
	st = csr_read(sstatus);
	csr_clear(sstatus, SSTATUS_SIE);
	CHECK("trap_sstatus", rec.scause, (rec.sstatus & SSTATUS_SPP) != 0,
	      (rec.sstatus & SSTATUS_SPIE) != 0, (rec.sstatus & SSTATUS_SIE) != 0,
	      (st & SSTATUS_SIE) != 0);

	rec_arm();
	__asm__ volatile(".option push\n\t.option norvc\n\t"
			 "lla %0, 1f\n1:\t.4byte 0xc0001073\n\t.option pop" : "=r"(at));
	CHECK("csr_readonly_write", rec.scause, illegal_tval_ok(), rec.sepc == at);

	rec_arm();
	/* csrr a0, mstatus: an M-mode CSR from S-mode */
	__asm__ volatile(".option push\n\t.option norvc\n\t"
			 "lla %0, 1f\n1:\t.4byte 0x30002573\n\t.option pop"
			 : "=r"(at) :: "a0");
	CHECK("csr_mmode_read", rec.scause, illegal_tval_ok(), rec.sepc == at);

	rec_arm();
	why = run_user((uint64_t)u_probe_ebreak, 0, 0);
	CHECK("user_ebreak", why == RUN_TRAP ? rec.scause : 0, (rec.sstatus & SSTATUS_SPP) != 0,
	      rec.sepc == (uint64_t)u_probe_ebreak);

	rec_arm();
	why = run_user((uint64_t)u_probe_illegal, 0, 0);
	CHECK("user_illegal", why == RUN_TRAP ? rec.scause : 0, (rec.sstatus & SSTATUS_SPP) != 0,
	      illegal_tval_ok(), rec.sepc == (uint64_t)u_probe_illegal);

	/* the first byte after RAM is no memory: access fault, stval = address */
	rec_arm();
	why = run_user((uint64_t)u_probe_load, ram_end, 0);
	CHECK("user_load_fault", why == RUN_TRAP ? rec.scause : 0, (rec.sstatus & SSTATUS_SPP) != 0,
	      rec.stval == ram_end && rec.sepc == (uint64_t)u_probe_load);

	rec_arm();
	__asm__ volatile(".option push\n\t.option norvc\n\t"
			 "lla %0, 1f\n1:\tsd zero, 0(%1)\n\t.option pop"
			 : "=&r"(at) : "r"(ram_end) : "memory");
	CHECK("kernel_store_fault", rec.scause, rec.stval == ram_end && rec.sepc == at,
	      (rec.sstatus & SSTATUS_SPP) != 0);

	/* vectored: exceptions enter at BASE, interrupt n at BASE + 4n */
	csr_write(stvec, (uint64_t)trap_vector_table | STVEC_MODE_VECTORED);
	vec_last = -1;
	rec_arm();
	__asm__ volatile("ebreak");
	uint64_t vexc = (uint64_t)vec_last;
	vec_last = -1;
	ssi_raise();
	uint64_t virq = (uint64_t)vec_last;
	csr_write(stvec, (uint64_t)trap_vector);
	CHECK("vectored_exception", vexc, rec.scause);
	CHECK("vectored_interrupt", virq, irq_last_cause);

	ssi_raise();
	CHECK("direct_interrupt", irq_last_cause, irq_ssi_count);
}
