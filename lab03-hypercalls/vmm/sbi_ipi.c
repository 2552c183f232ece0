/*
 * sbi_ipi.c: the IPI extension (SBI 2.0, chapter 7): a supervisor
 * software interrupt (SSIP) made pending on each hart of the hart list
 * (3.1); sched.c runs a waiting target once it is enabled in its sie.
 */
#include "riscv.h"
#include "smp.h"
#include "todo.h"
#include "vmm_sbi.h"

/* A supervisor software interrupt pending on the target hart (7.1). */
static void raise_ssip(struct vcpu *target, void *arg)
{
	(void)arg;
	target->sip |= SIP_SSIP;
}

/* 7.1 send_ipi(hart_mask, hart_mask_base); also the legacy 5.4's. */
long smp_send_ipi(struct vcpu *v, unsigned long mask, unsigned long base)
{
	// BEGIN SOLUTION: IPI to a hart list
	/* every hart of the list (smp_each_hart: 3.1, an absent one INVALID_PARAM) */
	return smp_each_hart(v, mask, base, raise_ssip, 0);
	// STARTER:
	// TODO("smp_send_ipi", "lab03 handout, task 2");
	// (void)v, (void)mask, (void)base, (void)raise_ssip;
	// return SBI_ERR_NOT_SUPPORTED;
	// END SOLUTION
}

struct sbiret sbi_ipi_handler(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	(void)eid;
	if (fid != SBI_IPI_SEND_IPI)
		return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
	return (struct sbiret){ smp_send_ipi(v, v->x[10], v->x[11]), 0 };
}
