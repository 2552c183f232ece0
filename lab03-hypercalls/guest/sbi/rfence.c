/*
 * rfence.c: group rfence: the RFENCE extension (SBI 2.0, chapter 8).
 * Hart 1 runs on a page table of its own (ASID 5) in which VA_TEST maps
 * page A; hart 0 changes the PTE to page B in memory (hart 1 may go on
 * seeing A: its TLB, or a VMM's shadow table, holds the old entry) and
 * fences hart 1 remotely: after the call hart 1 must see B.
 */
#include "sbig.h"

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l0[512] __attribute__((aligned(4096)));
static uint32_t page_a[1024] __attribute__((aligned(4096)));
static uint32_t page_b[1024] __attribute__((aligned(4096)));
static bool mapped_b;

static uint64_t pte(const void *pa, uint64_t flags)
{
	return ((uint64_t)(uintptr_t)pa >> 12) << 10 | flags | PTE_V;
}

static void map(bool b)
{
	l0[VA_TEST >> 12] = pte(b ? page_b : page_a, PTE_R | PTE_W | PTE_A | PTE_D);
	mapped_b = b;
	__asm__ volatile("fence rw, rw" ::: "memory");
}

uint64_t rf_prepare(void)
{
	page_a[0] = (uint32_t)RF_A;
	page_b[0] = (uint32_t)RF_B;
	/* legacy.c's mask for hart 1's legacy send_ipi through VA_TEST + 8: hart 0 */
	page_a[2] = ME;
	page_b[2] = ME;
	/* the kernel's gigapage (0x80000000, 4.4.1: Sv39) and VA_TEST's 4 KiB leaf */
	root[2] = pte((void *)0x80000000UL, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
	root[0] = pte(l1, 0);
	l1[0] = pte(l0, 0);
	map(false);
	return h1_run(H1_READ_VA, (uint64_t)(uintptr_t)root, 3000) && h1.result == (uint32_t)RF_A;
}

void rf_remap(void)
{
	map(!mapped_b);
}

uint64_t rf_h1_reads(void)
{
	if (!h1_run(H1_READ_VA, 0, 3000))
		return 0;
	return h1.result;
}

static uint64_t err(long fid, unsigned long mask, unsigned long base, uint64_t start, uint64_t size,
		    uint64_t asid)
{
	return (uint64_t)ecall(SBI_EXT_RFENCE, fid, (long)mask, (long)base, (long)start, (long)size,
			       (long)asid).error;
}

void group_rfence(void)
{
	/* one hart: the calling hart's own fences, by mask and by base -1 */
	CHECK("rfence_one_hart", err(SBI_RFENCE_REMOTE_FENCE_I, ME, 0, 0, 0, 0),
	      err(SBI_RFENCE_REMOTE_SFENCE_VMA, ME, 0, 0, 0, 0),
	      err(SBI_RFENCE_REMOTE_SFENCE_VMA, ~0UL, ~0UL, 0x80200000, 0x1000, 0),
	      err(SBI_RFENCE_REMOTE_SFENCE_VMA_ASID, ME, 0, 0, ~0UL, 3),
	      err(SBI_RFENCE_REMOTE_FENCE_I, ~0UL, ~0UL, 0, 0, 0));

	uint64_t up = h1_start();
	CHECK("rfence_hart1_on_its_table", up, rf_prepare());
	/* 8.2: sfence.vma of the page on hart 1 */
	rf_remap();
	uint64_t e = err(SBI_RFENCE_REMOTE_SFENCE_VMA, HIM, 0, VA_TEST, 0x1000, 0);
	CHECK("rfence_sfence_vma_page", e, rf_h1_reads());
	/* 8.3: by ASID, the page */
	rf_remap();
	e = err(SBI_RFENCE_REMOTE_SFENCE_VMA_ASID, 1, other_hart, VA_TEST, 0x1000, H1_ASID);
	CHECK("rfence_sfence_vma_asid_page", e, rf_h1_reads());
	/* 8.2: the whole address space (start = size = 0), every hart */
	rf_remap();
	e = err(SBI_RFENCE_REMOTE_SFENCE_VMA, ~0UL, ~0UL, 0, 0, 0);
	CHECK("rfence_sfence_vma_all", e, rf_h1_reads());
	/* 8.3: the whole ASID (size = all ones) */
	rf_remap();
	e = err(SBI_RFENCE_REMOTE_SFENCE_VMA_ASID, HIM, 0, 0, ~0UL, H1_ASID);
	CHECK("rfence_sfence_vma_asid_all", e, rf_h1_reads());
	/* 8.1 */
	CHECK("rfence_fence_i_hart1", err(SBI_RFENCE_REMOTE_FENCE_I, HIM, 0, 0, 0, 0));
	CHECK("rfence_hart1_stopped", h1_stop());
}
