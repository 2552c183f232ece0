/*
 * pv_layer.c: the paging guest's PV layer (pv_guest.h): registration of the
 * shared page, the console in whole lines, leaf PTE stores queued for one
 * MMU_UPDATE per fence, fences as TLB_FLUSH, the virtual interrupt mask.
 */
#include <string.h>

#include "paging.h"

struct pv_shared pv_shared __attribute__((aligned(PV_SHARED_SIZE)));
int pv_on, pv_traps_on;
volatile uint64_t pv_irq_count;

extern char pv_trap_entry[], trap_stack_top[];	/* pv_trap.S, trap.S */

static struct sbiret pv_call(long fid, uint64_t a0, uint64_t a1)
{
	return sbi_ecall(SBI_EXT_KIT_PV, fid, (long)a0, (long)a1, 0, 0, 0, 0);
}

void pv_init(void)
{
	/* the guest's fields first: from the registration on, a trap may enter */
	pv_shared.entry = (uint64_t)(uintptr_t)pv_trap_entry;
	pv_shared.kernel_sp = (uint64_t)(uintptr_t)trap_stack_top;
	pv_shared.vector = (uint64_t)(uintptr_t)trap_vector;	/* guest_main's stvec */
	if (pv_call(PV_FID_SHARED_SET, (uint64_t)(uintptr_t)&pv_shared, 0).error != SBI_SUCCESS)
		return;
	pv_on = 1;
	pv_traps_on = (pv_shared.flags & PV_FLAG_TRAPS) != 0;
}

/* ---- console: a line (or PV_CONSOLE_MAX bytes) per call ---- */

static char cbuf[PV_CONSOLE_MAX];
static unsigned clen;
static int console_pv = 1;	/* 0 once the VMM refused: SBI putchar then */

static void console_flush(void)
{
	if (console_pv && pv_call(PV_FID_CONSOLE_WRITE, (uint64_t)(uintptr_t)cbuf, clen).error != SBI_SUCCESS)
		console_pv = 0;
	if (!console_pv)
		for (unsigned i = 0; i < clen; i++)
			sbi_console_putchar((unsigned char)cbuf[i]);
	clen = 0;
}

/* common/rt/console.c's weak console_putc, for printf */
void console_putc(char c);
void console_putc(char c)
{
	cbuf[clen++] = c;
	if (c == '\n' || clen == sizeof cbuf)
		console_flush();
}

/* ---- page tables ---- */

#define MQ_MAX PV_BATCH_MAX	/* a whole batch waits for its fence */
static struct pv_mmu_op mq[MQ_MAX];
static unsigned mq_len;

static void mq_send(void)
{
	if (mq_len == 0)
		return;
	/* each PTE as it is now: the kernel may have changed it since */
	for (unsigned i = 0; i < mq_len; i++)
		mq[i].val = *(volatile uint64_t *)(uintptr_t)mq[i].pte_gpa;
	(void)pv_call(PV_FID_MMU_UPDATE, (uint64_t)(uintptr_t)mq, mq_len);
	mq_len = 0;
}

void pv_pte_store(uint64_t *pte, uint64_t val, uint64_t va)
{
	/* stored here too: the kernel reads its tables back before it fences */
	*(volatile uint64_t *)pte = val;
	if (!pv_on)
		return;
	mq[mq_len++] = (struct pv_mmu_op){ (uint64_t)(uintptr_t)pte, val, va & ~(PAGE_SIZE - 1) };
	if (mq_len == MQ_MAX)
		mq_send();
}

void pv_sfence(uint64_t va, uint64_t asid)
{
	if (!pv_on) {
		if (va == PV_ALL && asid == PV_ALL)
			__asm__ volatile("sfence.vma" ::: "memory");
		else if (asid == PV_ALL)
			__asm__ volatile("sfence.vma %0, x0" : : "r"(va) : "memory");
		else if (va == PV_ALL)
			__asm__ volatile("sfence.vma x0, %0" : : "r"(asid) : "memory");
		else
			__asm__ volatile("sfence.vma %0, %1" : : "r"(va), "r"(asid) : "memory");
		return;
	}
	struct pv_tlb_op op = { va, asid };
	(void)pv_call(PV_FID_TLB_FLUSH, (uint64_t)(uintptr_t)&op, 1);
	/* after the flush: the updates' refills stay */
	mq_send();
}

/* ---- interrupts and timer ---- */

void pv_irq_enable(void)
{
	if (!pv_traps_on) {
		csr_set(sstatus, SSTATUS_SIE);
		return;
	}
	*(volatile uint64_t *)&pv_shared.irq_mask = 0;
	__asm__ volatile("" ::: "memory");
	/* something came while masked: one call lets the VMM deliver it */
	if (*(volatile uint64_t *)&pv_shared.irq_pending)
		(void)pv_call(PV_FID_IRQ_POLL, 0, 0);
}

void pv_irq_disable(void)
{
	if (!pv_traps_on)
		csr_clear(sstatus, SSTATUS_SIE);
	else
		*(volatile uint64_t *)&pv_shared.irq_mask = 1;
}

uint64_t pv_irq_pending(void)
{
	/* the page in both modes (QEMU 7.2 reads vsip.STIP as 0 in VS-mode
	 * while hvip.VSTIP is set and the interrupt is taken) */
	return pv_on ? *(volatile uint64_t *)&pv_shared.irq_pending : csr_read(sip);
}

void pv_set_timer(uint64_t deadline)
{
	if (!pv_on || pv_call(PV_FID_SET_TIMER, deadline, 0).error != SBI_SUCCESS)
		sbi_set_timer(deadline);
}
