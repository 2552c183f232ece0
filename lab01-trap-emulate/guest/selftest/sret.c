/*
 * sret.c: entering U-mode with sret and the traps that come back
 * (priv 1.12, 3.3.2 and 4.1.1: sret sets SIE = SPIE, SPIE = 1, SPP = U).
 */
#include "kernel.h"

/* sret from S to S: returns sstatus as seen at the target (in S-mode). */
static uint64_t sret_to_super(uint64_t spie)
{
	uint64_t st;
	csr_clear(sstatus, SSTATUS_SIE | SSTATUS_SPIE);
	csr_set(sstatus, SSTATUS_SPP | spie);
	__asm__ volatile("lla t0, 1f\n\t"
			 "csrw sepc, t0\n\t"
			 "sret\n"
			 "1:\tcsrr %0, sstatus"
			 : "=r"(st) :: "t0", "memory");
	csr_clear(sstatus, SSTATUS_SIE);
	return st;
}

/* stval of an illegal instruction: 0 or the instruction bits (4.1.9) */
uint64_t illegal_tval_ok(void)
{
	uint32_t insn = *(volatile uint32_t *)rec.sepc;
	if ((insn & 3) != 3)
		insn &= 0xffff;
	return rec.stval == 0 || rec.stval == insn;
}

void group_sret_user(void)
{
	int why;
	csr_write(sie, 0);

	rec_arm();
	user_probe = true;
	why = run_user((uint64_t)u_probe_ecall, 0, 0);
	user_probe = false;
	CHECK("sret_to_user", why == RUN_TRAP ? rec.scause : 0,
	      (rec.sstatus & SSTATUS_SPP) != 0, (rec.sstatus & SSTATUS_SPIE) != 0,
	      (rec.sstatus & SSTATUS_SIE) != 0, rec.sepc == (uint64_t)u_probe_ecall_at,
	      rec.a0);

	rec_arm();
	uint64_t st = sret_to_super(0);
	CHECK("sret_to_super", rec.count == 0, (st & SSTATUS_SPP) != 0,
	      (st & SSTATUS_SPIE) != 0, (st & SSTATUS_SIE) != 0);

	st = sret_to_super(SSTATUS_SPIE);
	CHECK("sret_spie_to_sie", (st & SSTATUS_SIE) != 0, (st & SSTATUS_SPIE) != 0,
	      (st & SSTATUS_SPP) != 0);

	rec_arm();
	why = run_user((uint64_t)u_probe_csr, 0, 0);
	CHECK("user_csr_illegal", why == RUN_TRAP ? rec.scause : 0, illegal_tval_ok(),
	      rec.sepc == (uint64_t)u_probe_csr);

	rec_arm();
	why = run_user((uint64_t)u_probe_sret, 0, 0);
	CHECK("user_sret_illegal", why == RUN_TRAP ? rec.scause : 0, illegal_tval_ok(),
	      rec.sepc == (uint64_t)u_probe_sret);

	rec_arm();
	sfence_vma();
	uint64_t kernel_traps = rec.count;
	rec_arm();
	why = run_user((uint64_t)u_probe_sfence, 0, 0);
	CHECK("sfence_vma", kernel_traps, why == RUN_TRAP ? rec.scause : 0,
	      rec.sepc == (uint64_t)u_probe_sfence);
}
