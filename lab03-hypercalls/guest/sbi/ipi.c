/*
 * ipi.c: group ipi: send_ipi (SBI 2.0, 7.1) on the hart list of 3.1, to
 * the calling hart alone, to hart 1, from hart 1 to hart 0 and to every
 * hart (hart_mask_base = -1).
 */
#include "sbig.h"

static uint64_t send(unsigned long mask, unsigned long base)
{
	return (uint64_t)ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, (long)mask, (long)base, 0, 0, 0).error;
}

/* hart 0: SSIP pending now (sie.SSIE on, SIE off), then taken: 1, 1;
 * waited for only if sent says an IPI is on its way */
static void pending_then_taken(bool sent, uint64_t *pending, uint64_t *taken)
{
	uint64_t before = traps[0].ssi, end = rdtime() + (sent ? 30000000ULL : 0);
	while (!(csr_read(sip) & SIP_SSIP) && rdtime() < end)
		__asm__ volatile("wfi");
	*pending = (csr_read(sip) & SIP_SSIP) != 0;
	csr_set(sstatus, SSTATUS_SIE);
	__asm__ volatile("nop; nop");
	csr_clear(sstatus, SSTATUS_SIE);
	*taken = traps[0].ssi - before;
}

/* hart 1 waits for an IPI, hart 0 sends it with (mask, base): error, hart 1 got 1 */
static void to_hart1(unsigned long mask, unsigned long base, uint64_t *e, uint64_t *got)
{
	h1_arm_ipi();
	*e = send(mask, base);
	*got = h1_wait(3000) ? h1.result2 : 0;
}

void group_ipi(void)
{
	uint64_t p, t, e, got;

	csr_write(sie, SIP_SSIP);
	e = send(ME, 0);
	pending_then_taken(e == 0, &p, &t);
	CHECK("ipi_self", e, p, t);
	/* base 0 with hart 0's bit at 0; base -1: every hart (3.1) */
	e = send(~0UL, ~0UL);
	pending_then_taken(e == 0, &p, &t);
	CHECK("ipi_all_harts_one_running", e, p, t);

	CHECK("ipi_hart1_started", h1_start());
	to_hart1(HIM, 0, &e, &got);
	CHECK("ipi_to_hart1_by_mask", e, got);
	to_hart1(1, other_hart, &e, &got);
	CHECK("ipi_to_hart1_by_base", e, got);
	/* hart 1 to hart 0 */
	uint64_t done = h1_run(H1_SEND_IPI, 0, 3000);
	pending_then_taken(done && h1.result == 0, &p, &t);
	CHECK("ipi_from_hart1", done, h1.result, p, t);
	/* both harts at once */
	to_hart1(~0UL, ~0UL, &e, &got);
	pending_then_taken(e == 0, &p, &t);
	CHECK("ipi_all_harts", e, got, p, t);
	CHECK("ipi_hart1_stopped", h1_stop());
	csr_write(sie, 0);
}
