/*
 * pv_groups.c: lab03's own groups in the PV build of the paging guest.
 * pv_events: the shared page's interrupt mask and pending bits. pv_hostile:
 * every bad argument PV.md names gets its documented error, and the VM
 * runs on (a VMM crash ends the group before KIT DONE).
 */
#include "paging.h"
#include "pv_checks.h"

static bool pv_check(const char *name, const uint64_t *got, unsigned n)
{
	return kit_check_table(pv_checks, PV_NCHECKS, name, got, n);
}
#define PV_CHECK(name, ...) do {                                   \
	uint64_t got_[] = { __VA_ARGS__ };                      \
	pv_check(name, got_, sizeof got_ / sizeof got_[0]);     \
} while (0)

static struct sbiret pv(long fid, uint64_t a0, uint64_t a1)
{
	return sbi_ecall(SBI_EXT_KIT_PV, fid, (long)a0, (long)a1, 0, 0, 0, 0);
}

static uint64_t err(long fid, uint64_t a0, uint64_t a1)
{
	return (uint64_t)pv(fid, a0, a1).error;
}

#define TICKS_1S 10000000ULL	/* QEMU virt's timebase: 10 MHz */

/* TRAP_RETURN (flags) to the kernel itself, ret_sstatus = SPP (S) | more
 * (SPIE clear: SIE stays 0), at the instruction after its ecall plus odd
 * (1: sepc's bit 0, which the VMM clears as csrw sepc would, WARL): 1 if
 * the context's a0, a1, a6 arrive. */
static uint64_t return_here(uint64_t flags, uint64_t odd, uint64_t more)
{
	pv_shared.ret_sstatus = SSTATUS_SPP | more;
	pv_shared.ret_a0 = 0x1111;
	pv_shared.ret_a1 = 0x2222;
	pv_shared.ret_a6 = 0x6666;
	pv_shared.ret_a7 = SBI_EXT_KIT_PV;
	register uint64_t a0 __asm__("a0") = flags;
	register uint64_t a1 __asm__("a1") = 0;
	register uint64_t a6 __asm__("a6") = PV_FID_TRAP_RETURN;
	register uint64_t a7 __asm__("a7") = SBI_EXT_KIT_PV;
	__asm__ volatile("la t0, 1f\n\tadd t0, t0, %[odd]\n\tsd t0, %[sepc](%[sh])\n\t"
			 "sd sp, %[sp](%[sh])\n\tecall\n1:"
			 : "+r"(a0), "+r"(a1), "+r"(a6), "+r"(a7)
			 : [sh] "r"(&pv_shared), [odd] "r"(odd), [sepc] "i"(PV_OFF_RET_SEPC),
			   [sp] "i"(PV_OFF_RET_SP)
			 : "t0", "memory");
	return a0 == 0x1111 && a1 == 0x2222 && a6 == 0x6666;
}

void group_pv_events(void)
{
	pv_irq_disable();
	csr_set(sie, SIP_STIP);
	/* a deadline already past: the timer fires at once, into the VMM */
	pv_set_timer(rdtime());
	uint64_t t0 = rdtime(), pend;
	while (!((pend = pv_irq_pending()) & SIP_STIP) && rdtime() - t0 < TICKS_1S)
		;
	/* still masked a while later: still pending, so never delivered
	 * (trap.c's handler would have cleared it with set_timer) */
	t0 = rdtime();
	while (rdtime() - t0 < TICKS_1S / 100)
		;
	uint64_t stays = (pv_irq_pending() & SIP_STIP) != 0;
	pv_irq_enable();
	uint64_t gone = (pv_irq_pending() & SIP_STIP) == 0;
	pv_irq_disable();
	csr_clear(sie, SIP_STIP);
	pv_set_timer(~0ULL);
	PV_CHECK("pv_masked_pending", pend & SIP_STIP, stays, gone);

	/* TRAP_RETURN to the kernel itself with the timer armed in the same
	 * call, at a deadline already past: the context's a0, a1, a6 arrive,
	 * and STIP is pending right after */
	pv_shared.deadline = rdtime();
	uint64_t regs = return_here(PV_RET_SET_TIMER, 0, 0);
	t0 = rdtime();
	while (!(pv_irq_pending() & SIP_STIP) && rdtime() - t0 < TICKS_1S)
		;
	uint64_t armed = (pv_irq_pending() & SIP_STIP) != 0;
	pv_set_timer(~0ULL);
	PV_CHECK("pv_return_timer", regs, armed, (pv_irq_pending() & SIP_STIP) == 0);
}

static uint64_t scratch[8] __attribute__((aligned(8)));

#define PV_USER_VA 0x800000UL	/* pv_user_code's page, clear of layout.h's user VAs */
extern const char pv_user_code[];

void group_pv_hostile(void)
{
	uint64_t page = (uint64_t)(uintptr_t)&pv_shared;
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, SBI_EXT_KIT_PV, 0, 0, 0, 0, 0);
	struct sbiret ver = pv(PV_FID_VERSION, 0, 0);
	PV_CHECK("pv_probe", r.error == 0 && r.value != 0, ver.error == 0 ? (uint64_t)ver.value : 0,
		 err(99, 0, 0));

	PV_CHECK("pv_shared_bad", err(PV_FID_SHARED_SET, page + 8, 0),
		 err(PV_FID_SHARED_SET, PV_RAM_END, 0), err(PV_FID_SHARED_SET, 0x10000000, 0),
		 err(PV_FID_SHARED_SET, ~0xfffULL, 0), err(PV_FID_SHARED_SET, page, 0));

	/* unregistered for a while: traps take the CSR path */
	int traps = pv_traps_on;
	uint64_t off = err(PV_FID_SHARED_SET, PV_SHARED_OFF, 0);
	pv_on = pv_traps_on = 0;
	uint64_t ret = err(PV_FID_TRAP_RETURN, 0, 0), poll = err(PV_FID_IRQ_POLL, 0, 0);
	volatile struct pv_shared *last = (volatile struct pv_shared *)(uintptr_t)PV_LAST_PAGE;
	last->version = 0;
	last->entry = 0;	/* traps while it is registered: stvec */
	uint64_t reg = err(PV_FID_SHARED_SET, PV_LAST_PAGE, 0);
	uint64_t ver_last = last->version;
	uint64_t unreg = err(PV_FID_SHARED_SET, PV_SHARED_OFF, 0);
	uint64_t back = err(PV_FID_SHARED_SET, page, 0);
	pv_on = back == 0;
	pv_traps_on = pv_on && traps;
	PV_CHECK("pv_shared_last_page", off == 0 ? ret : 99, poll, reg, ver_last, unreg, back);

	PV_CHECK("pv_mmu_list_bad", err(PV_FID_MMU_UPDATE, PV_OUTSIDE_RAM, 1),
		 err(PV_FID_MMU_UPDATE, (uint64_t)(uintptr_t)scratch + 4, 1),
		 err(PV_FID_MMU_UPDATE, PV_RAM_END - 16, 1),
		 err(PV_FID_MMU_UPDATE, (uint64_t)(uintptr_t)scratch, PV_BATCH_MAX + 1),
		 err(PV_FID_MMU_UPDATE, (uint64_t)(uintptr_t)scratch, 1ULL << 62),
		 err(PV_FID_MMU_UPDATE, 0, 0));

	static struct pv_mmu_op ops[2];
	scratch[0] = 0;
	ops[0] = (struct pv_mmu_op){ (uint64_t)(uintptr_t)&scratch[0], 0x1234, PV_MMU_NO_FLUSH };
	ops[1] = (struct pv_mmu_op){ PV_OUTSIDE_RAM, 0x5678, PV_MMU_NO_FLUSH };
	struct sbiret two = pv(PV_FID_MMU_UPDATE, (uint64_t)(uintptr_t)ops, 2);
	uint64_t stored = scratch[0] == 0x1234;
	ops[0].pte_gpa = (uint64_t)(uintptr_t)&scratch[1] + 4;
	struct sbiret odd = pv(PV_FID_MMU_UPDATE, (uint64_t)(uintptr_t)ops, 1);
	ops[0].pte_gpa = PV_RAM_END;
	uint64_t past = err(PV_FID_MMU_UPDATE, (uint64_t)(uintptr_t)ops, 1);
	/* the last word of RAM is RAM */
	ops[0].pte_gpa = PV_RAM_END - 8;
	uint64_t at_end = err(PV_FID_MMU_UPDATE, (uint64_t)(uintptr_t)ops, 1);
	uint64_t end_stored = *(volatile uint64_t *)(uintptr_t)(PV_RAM_END - 8) == 0x1234;
	PV_CHECK("pv_mmu_pte_bad", (uint64_t)two.error, (uint64_t)two.value, stored,
		 (uint64_t)odd.error, (uint64_t)odd.value, past, at_end, end_stored);

	static struct pv_tlb_op tlb[1] = { { PV_ALL, 0x10000 } };
	PV_CHECK("pv_tlb_bad", err(PV_FID_TLB_FLUSH, PV_OUTSIDE_RAM, 1),
		 err(PV_FID_TLB_FLUSH, (uint64_t)(uintptr_t)tlb, 1), (uint64_t)pv(PV_FID_TLB_FLUSH, (uint64_t)(uintptr_t)tlb, 1).value,
		 err(PV_FID_TLB_FLUSH, (uint64_t)(uintptr_t)tlb, PV_BATCH_MAX + 1));

	PV_CHECK("pv_console_bad", err(PV_FID_CONSOLE_WRITE, PV_OUTSIDE_RAM, 4),
		 err(PV_FID_CONSOLE_WRITE, (uint64_t)(uintptr_t)scratch, PV_CONSOLE_MAX + 1),
		 err(PV_FID_CONSOLE_WRITE, PV_RAM_END - 2, 4), err(PV_FID_TRAP_RETURN, 2, 0));

	/* TRAP_RETURN to an odd ret_sepc resumes at the even address below */
	PV_CHECK("pv_return_odd_sepc", pv_on ? return_here(0, 1, 0) : 0);

	/* TRAP_RETURN with every ret_sstatus bit set but SIE, SPIE and FS
	 * (UXL 3, SD, the reserved ones): only the writable bits take, as
	 * csrw sstatus would leave them (priv 1.12, 4.1.1): SUM and MXR */
	uint64_t s0 = csr_read(sstatus), keep = SSTATUS_SIE | SSTATUS_SPIE | SSTATUS_FS;
	uint64_t came = pv_on ? return_here(0, 0, (~keep & ~SSTATUS_SPP) | (s0 & SSTATUS_FS)) : 0;
	uint64_t s1 = csr_read(sstatus);
	csr_clear(sstatus, SSTATUS_SUM | SSTATUS_MXR);
	PV_CHECK("pv_return_forged_sstatus", came,
		 (s1 & (SSTATUS_SUM | SSTATUS_MXR)) == (SSTATUS_SUM | SSTATUS_MXR),
		 (s1 ^ s0) & ~(SSTATUS_SUM | SSTATUS_MXR | SSTATUS_SPIE | SSTATUS_SD));

	/* a hart resuming from a non-retentive suspend starts on its CSRs,
	 * SIE = 0 (SBI 2.0, 9.4): the page registered before is gone (its
	 * mask would unmask the resumed hart at its first exit), registering
	 * again works. Woken at once by a timer already past, masked. */
	static uint64_t ctx[18];
	pv_irq_disable();
	csr_set(sie, SIP_STIP);
	pv_set_timer(rdtime());
	long resumed = pv_nonret_suspend(ctx);
	pv_set_timer(~0ULL);
	csr_clear(sie, SIP_STIP);
	PV_CHECK("pv_reset_unregisters", (uint64_t)resumed, err(PV_FID_SHARED_SET, page, 0));

	/* a PV call from the guest's user program is its kernel's system
	 * call: the kernel sees the ecall (cause 8, a0 as the user set it),
	 * the page stays registered */
	static struct proc up;
	proc_init(&up, 7);
	pt_map(up.root, PV_USER_VA, (uint64_t)(uintptr_t)pv_user_code, 0, PTE_U | PTE_R | PTE_X | PTE_A);
	int why = proc_run(&up, 1, PV_USER_VA, 0, 0, 0);
	PV_CHECK("pv_user_call_is_syscall", (uint64_t)why, ur.scause, ur.a0,
		 err(PV_FID_SHARED_SET, page, 0));
}
