/* sbi_time.c: the Timer extension (SBI spec 2.0, chapter 6). */
#include "hw.h"
#include "todo.h"
#include "trap.h"
#include "vmm_sbi.h"

void vcpu_set_timer(struct vcpu *v, uint64_t deadline)
{
	// BEGIN SOLUTION: program the virtual timer
	v->stimecmp = deadline;
	/* set_timer clears the pending timer interrupt (6.1) */
	v->sip &= ~SIP_STIP;
	/* a deadline already past fires the real timer at once: the exit then
	 * raises the virtual STIP (vcpu_timer_update) */
	hw_set_timer(deadline);
	// STARTER:
	// TODO("vcpu_set_timer", "lab01 handout, task 7");
	// (void)v, (void)deadline;
	// END SOLUTION
}

struct sbiret sbi_time_handler(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	(void)eid;
	if (fid != SBI_TIME_SET_TIMER)
		return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
	vcpu_set_timer(v, v->x[10]);
	return (struct sbiret){ SBI_SUCCESS, 0 };
}
