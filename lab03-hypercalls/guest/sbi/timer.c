/*
 * timer.c: group timer: TIME (SBI 2.0, chapter 6) on one hart and on two
 * (each its own deadline), and SRST's refusals (10.1; its shutdown is
 * every run's end).
 */
#include "sbig.h"

void group_timer(void)
{
	/* 10 ms ahead: not before it, once at it (the handler's set_timer(-1)
	 * clears it, 6.1: no second one) */
	csr_write(sie, SIP_STIP);
	uint64_t before = traps[0].sti, t0 = rdtime();
	sbi_set_timer(t0 + 100000);
	uint64_t n = wait_irq(&traps[0].sti, before, 3000);
	uint64_t late_enough = rdtime() >= t0 + 100000;
	spin_ms(5);
	take_interrupts_now();
	CHECK("timer_fires", n, late_enough, traps[0].sti - before);

	/* a deadline in the past fires at once */
	before = traps[0].sti;
	sbi_set_timer(0);
	CHECK("timer_past_deadline", wait_irq(&traps[0].sti, before, 1000));

	/* two harts, each its own timer: hart 1's at 10 ms fires on hart 1
	 * alone while hart 0's (5 s ahead) waits; then hart 0's, moved to 10 ms */
	uint64_t up = h1_start();
	before = traps[0].sti;
	sbi_set_timer(rdtime() + 50000000ULL);
	uint64_t h1_done = h1_run(H1_TIMER, 100000, 3000);
	take_interrupts_now();
	uint64_t h0_not_yet = traps[0].sti == before;
	sbi_set_timer(rdtime() + 100000);
	uint64_t h0 = wait_irq(&traps[0].sti, before, 3000);
	CHECK("timer_per_hart", up, h1_done, h1.result, h0_not_yet, h0, traps[1].sti);
	CHECK("timer_hart1_stopped", h1_stop());
	csr_write(sie, 0);

	/* 10.1: reserved types and reasons */
	CHECK("srst_bad_args",
	      (uint64_t)ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, 3, 0, 0, 0, 0).error,
	      (uint64_t)ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, 0, 2, 0, 0, 0).error,
	      (uint64_t)ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, 0x0fffffff, 0, 0, 0, 0).error);
}
