/*
 * legacy.c: group legacy: the legacy extensions (SBI 2.0, chapter 5),
 * result in a0 alone; their hart masks are pointers to virtual memory
 * (5.4 to 5.7): hart 0 passes physical ones (paging off), hart 1 one
 * that only its page table translates.
 */
#include "sbig.h"

static unsigned long mask;

void group_legacy(void)
{
	/* 5.3: clears the caller's pending software interrupt */
	csr_write(sie, 0);
	csr_set(sip, SIP_SSIP);
	long e = legacy(SBI_EXT_LEGACY_CLEAR_IPI, 0, 0, 0, 0);
	CHECK("legacy_clear_ipi", (uint64_t)e, (csr_read(sip) & SIP_SSIP) != 0);

	/* 5.4 to 5.7 on the calling hart alone */
	mask = ME;
	e = legacy(SBI_EXT_LEGACY_SEND_IPI, (long)&mask, 0, 0, 0);
	uint64_t p = (csr_read(sip) & SIP_SSIP) != 0;
	csr_clear(sip, SIP_SSIP);
	CHECK("legacy_send_ipi_self", (uint64_t)e, p);
	CHECK("legacy_fences_one_hart", (uint64_t)legacy(SBI_EXT_LEGACY_REMOTE_FENCE_I, (long)&mask, 0, 0, 0),
	      (uint64_t)legacy(SBI_EXT_LEGACY_REMOTE_SFENCE_VMA, (long)&mask, 0, 0, 0),
	      (uint64_t)legacy(SBI_EXT_LEGACY_REMOTE_SFENCE_VMA_ASID, (long)&mask, 0, ~0L, 1));

	/* 5.1: set_timer, the interrupt pending at the deadline */
	uint64_t before = traps[0].sti;
	csr_write(sie, SIP_STIP);
	legacy(SBI_EXT_LEGACY_SET_TIMER, (long)(rdtime() + 20000), 0, 0, 0);
	p = wait_irq(&traps[0].sti, before, 3000);
	CHECK("legacy_set_timer", p);
	csr_write(sie, 0);
	/* 5.2 (getchar): nothing typed */
	CHECK("legacy_getchar_empty", (uint64_t)legacy(SBI_EXT_LEGACY_CONSOLE_GETCHAR, 0, 0, 0, 0));

	/* hart 1 */
	uint64_t up = h1_start();
	h1_arm_ipi();
	mask = HIM;
	e = legacy(SBI_EXT_LEGACY_SEND_IPI, (long)&mask, 0, 0, 0);
	uint64_t got = h1_wait(3000) ? h1.result2 : 0;
	CHECK("legacy_send_ipi_hart1", up, (uint64_t)e, got);
	/* 5.6: remote sfence.vma of a page on hart 1 */
	uint64_t a = rf_prepare();
	rf_remap();
	e = legacy(SBI_EXT_LEGACY_REMOTE_SFENCE_VMA, (long)&mask, VA_TEST, 0x1000, 0);
	CHECK("legacy_remote_sfence_vma", a, (uint64_t)e, rf_h1_reads());
	/* hart 1's mask pointer VA_TEST + 8, mapped only by its table, names hart 0 */
	csr_write(sie, SIP_SSIP);
	uint64_t done = h1_run(H1_LEGACY_IPI, 0, 3000);
	uint64_t end = rdtime() + (done && h1.result == 0 ? 30000000ULL : 0);
	while (!(csr_read(sip) & SIP_SSIP) && rdtime() < end)
		__asm__ volatile("wfi");
	p = (csr_read(sip) & SIP_SSIP) != 0;
	csr_clear(sip, SIP_SSIP);
	csr_write(sie, 0);
	CHECK("legacy_mask_through_translation", done, h1.result, p);
	CHECK("legacy_hart1_stopped", h1_stop());
}
