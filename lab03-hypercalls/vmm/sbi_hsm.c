/*
 * sbi_hsm.c: the Hart State Management extension (SBI 2.0, chapter 9):
 * the guest starts, stops and suspends its vCPUs; sched.c runs what the
 * states allow (a STOPPED vCPU never, a SUSPENDED one once an interrupt
 * is pending for it).
 */
#include "smp.h"
#include "todo.h"
#include "vmm_sbi.h"

/* 9.1: start hartid at start_addr (S-mode, satp = 0, SIE = 0, a0 = hartid, a1 = opaque). */
static struct sbiret hart_start(struct vcpu *v, unsigned long hartid, uint64_t start_addr, uint64_t opaque)
{
	// BEGIN SOLUTION: HSM hart_start
	struct hart *h = vm_hart(v->vm, hartid);

	if (!h)
		return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
	/* execution must be possible there: guest RAM is all the guest runs */
	if (!gmem_contains(v->vm, start_addr, 2))
		return (struct sbiret){ SBI_ERR_INVALID_ADDRESS, 0 };
	if (h->hsm != SBI_HSM_STATE_STOPPED)
		return (struct sbiret){ SBI_ERR_ALREADY_AVAILABLE, 0 };
	vcpu_reset(&h->v, start_addr, hartid, opaque);
	h->waiting = false;
	/* it starts when the scheduler first runs it */
	h->hsm = SBI_HSM_STATE_START_PENDING;
	return (struct sbiret){ SBI_SUCCESS, 0 };
	// STARTER:
	// TODO("hart_start", "lab03 handout, task 1");
	// (void)v, (void)hartid, (void)start_addr, (void)opaque;
	// return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
	// END SOLUTION
}

/* 9.4: the suspend types: 0 and 0x80000000 the defaults, the rest reserved or platform's (none here). */
static struct sbiret hart_suspend(struct vcpu *v, uint64_t type, uint64_t resume_addr, uint64_t opaque)
{
	struct hart *h = hart_of(v);

	if (type != SBI_HSM_SUSPEND_RETENTIVE && type != SBI_HSM_SUSPEND_NON_RETENTIVE)
		return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
	if (type == SBI_HSM_SUSPEND_NON_RETENTIVE) {
		if (!gmem_contains(v->vm, resume_addr, 2))
			return (struct sbiret){ SBI_ERR_INVALID_ADDRESS, 0 };
		h->non_retentive = true;
		h->resume_addr = resume_addr;
		h->resume_opaque = opaque;
	}
	/* a retentive suspend returns SBI_SUCCESS once resumed (9.4) */
	h->hsm = SBI_HSM_STATE_SUSPENDED;
	h->waiting = true;
	return (struct sbiret){ SBI_SUCCESS, 0 };
}

struct sbiret sbi_hsm_handler(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	struct hart *h;

	(void)eid;
	switch (fid) {
	case SBI_HSM_HART_START:
		return hart_start(v, v->x[10], v->x[11], v->x[12]);
	case SBI_HSM_HART_STOP:
		/* 9.2: does not return; the vCPU waits for the next hart_start */
		hart_of(v)->hsm = SBI_HSM_STATE_STOPPED;
		return (struct sbiret){ SBI_SUCCESS, 0 };
	case SBI_HSM_HART_GET_STATUS:
		/* 9.3 */
		h = vm_hart(v->vm, v->x[10]);
		if (!h)
			return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
		return (struct sbiret){ SBI_SUCCESS, (long)h->hsm };
	case SBI_HSM_HART_SUSPEND:
		return hart_suspend(v, v->x[10], v->x[11], v->x[12]);
	}
	return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
}
