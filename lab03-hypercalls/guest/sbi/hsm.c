/*
 * hsm.c: group hsm: Hart State Management (SBI 2.0, chapter 9) with one
 * hart and then with hart 1 started, suspended both ways, stopped and
 * started again.
 */
#include "sbig.h"

extern char hart1_entry[], _start[];

static uint64_t err_start(long hart)
{
	return (uint64_t)ecall(SBI_EXT_HSM, SBI_HSM_HART_START, hart, (long)(uintptr_t)hart1_entry, 0, 0, 0).error;
}

static uint64_t err_suspend(unsigned long type)
{
	return (uint64_t)ecall(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, (long)type, 0, 0, 0, 0).error;
}

/* wait until hart 1's HSM state is want (3 s of time); 1 if it got there */
static uint64_t wait_status(uint64_t want)
{
	uint64_t end = rdtime() + (h1_up ? 30000000ULL : 0);
	while (hsm_status(other_hart) != want)
		if (rdtime() > end)
			return 0;
	return 1;
}

void group_hsm(void)
{
	/* 9.3: hart 0 runs, hart 1 waits stopped; harts 2 and -1 do not exist */
	CHECK("hsm_status_one_hart", hsm_status(boot_hart), hsm_status(other_hart), hsm_status(2), hsm_status(~0UL));
	/* 9.1: hart 0 is started already; hart 2 does not exist */
	CHECK("hsm_start_errors", err_start((long)boot_hart), err_start(2));
	/* 9.4: reserved suspend types */
	CHECK("hsm_suspend_reserved", err_suspend(1), err_suspend(0x0fffffff), err_suspend(0x80000001));

	/* 9.1: a0 = hart id, a1 = opaque, satp = 0, sstatus.SIE = 0 */
	uint64_t up = h1_start();
	CHECK("hsm_start", up, h1.a0 == other_hart, h1.a1 == h1_opaque(), h1.satp, h1.sie_bit,
	      hsm_status(other_hart));
	CHECK("hsm_start_again", err_start((long)other_hart));

	/* 9.4 retentive: SUSPENDED until an interrupt, then hart_suspend returns 0 */
	h1_post(H1_SUSPEND, 0);
	uint64_t seen = wait_status(SBI_HSM_STATE_SUSPENDED);
	uint64_t e = (uint64_t)ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, (long)HIM, 0, 0, 0, 0).error;
	uint64_t done = h1_wait(3000);
	CHECK("hsm_suspend_retentive", seen, e, done, h1.result, h1.result2, hsm_status(other_hart));

	/* 9.4 non-retentive: resumes at resume_addr with a0 = hart id, a1 = opaque */
	uint64_t entries = h1.entries;
	h1.satp = h1.sie_bit = 0xff;
	h1_post(H1_SUSPEND_NONRET, 0);
	seen = wait_status(SBI_HSM_STATE_SUSPENDED);
	e = (uint64_t)ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, (long)HIM, 0, 0, 0, 0).error;
	done = h1_wait(3000);
	CHECK("hsm_suspend_non_retentive", seen, e, done, h1.entries - entries, h1.result2);
	CHECK("hsm_resume_state", h1.a0 == other_hart, h1.a1 == h1_opaque() - 64, h1.satp, h1.sie_bit);

	/* 9.2: stopped, then started again */
	CHECK("hsm_stop", h1_stop(), hsm_status(other_hart));
	up = h1_start();
	CHECK("hsm_restart", up, h1.a0 == other_hart, hsm_status(other_hart));
	CHECK("hsm_stop_again", h1_stop());

	/* 9.1 with start_addr = the image's own entry: the hart comes in at
	 * _start and must not boot it a second time (start.S's lottery); the
	 * guest sends it on to hart1_entry with a1 = opaque */
	uint64_t n = h1.entries, late = late_hart.entries, addr = late_hart.addr;
	late_hart.opaque = h1_opaque();
	late_hart.addr = (uintptr_t)hart1_entry;
	__asm__ volatile("fence rw, rw" ::: "memory");
	e = (uint64_t)ecall(SBI_EXT_HSM, SBI_HSM_HART_START, (long)other_hart, (long)(uintptr_t)_start,
			    (long)h1_opaque(), 0, 0).error;
	up = e == 0 && wait_eq(&h1.entries, n + 1, 3000);
	h1_up = up;
	late_hart.addr = addr;
	CHECK("hsm_start_at_entry", e, late_hart.entries - late == 1, up, h1.a1 == h1_opaque(), h1_stop());
}
