/*
 * access.c: groups sum_mxr and sv48_range. SUM and MXR flipped between
 * accesses to the same pages, without sfence.vma (they take effect at
 * once: priv 1.12, 4.1.1.2), including for a device reached through a U
 * or an execute-only mapping; and every kind of access at addresses no
 * Sv39 translation has, where a VMM in Sv48 keeps its own image and
 * devices (4.4.1: a page fault, stval = the address). And group emulate:
 * CSR instructions the VMM must fetch through the guest's tables with
 * execute permission (4.3.2: a fetch needs X, not R) from execute-only
 * pages, one of them across a page boundary, A set on both pages.
 */
#include "hostile_paging.h"
#include "virt.h"

/* the pages of the truth table, in this order (bit k of a step) */
static const uint64_t kinds[] = {
	PTE_R, PTE_X, PTE_U | PTE_R, PTE_U | PTE_X, PTE_R | PTE_W, PTE_U | PTE_R | PTE_W,
};
#define NKINDS (sizeof kinds / sizeof kinds[0])
/* (SUM, MXR) as bits 0 and 1, in an order that makes each of the 12
 * transitions once (SUM alone, MXR alone, both; up and down) and ends
 * with none (the same step twice) */
static const uint8_t steps[] = { 0, 1, 0, 2, 3, 2, 0, 3, 1, 3, 0, 2, 1, 2, 2 };
#define NSTEPS (sizeof steps / sizeof steps[0])

void group_sum_mxr(void)
{
	uint64_t *root = pt_new_root();
	uint64_t pa = word_page(PG_MAGIC);
	for (unsigned k = 0; k < NKINDS; k++)
		pt_map(root, TEST_VA(0) + k * PAGE_SIZE, pa, 0, kinds[k] | PTE_A | PTE_D);
	csr_write(satp, satp_sv39(root, 0));
	sfence_vma();

	/* per step: bit k = the load of page k worked (value right), bit
	 * 8 + k = the store did; a fault must be a page fault at va */
	uint64_t got[NSTEPS] = { 0 }, wrong = 0;
	for (unsigned s = 0; s < NSTEPS; s++) {
		csr_clear(sstatus, SSTATUS_SUM | SSTATUS_MXR);
		csr_set(sstatus, ((steps[s] & 1) ? SSTATUS_SUM : 0) | ((steps[s] & 2) ? SSTATUS_MXR : 0));
		for (unsigned k = 0; k < NKINDS; k++) {
			uint64_t va = TEST_VA(0) + k * PAGE_SIZE, tv, v;
			uint64_t c = hp_probe(va, P_LOAD, &tv, &v);
			if (c == 0 && v == PG_MAGIC)
				got[s] |= 1UL << k;
			else if (c != CAUSE_LOAD_PAGE_FAULT || !tv)
				wrong++;
			c = hp_probe(va, P_STORE, &tv, NULL);
			if (c == 0)
				got[s] |= 1UL << (8 + k);
			else if (c != CAUSE_STORE_PAGE_FAULT || !tv)
				wrong++;
		}
	}
	csr_clear(sstatus, SSTATUS_SUM | SSTATUS_MXR);
	PG_CHECK("sum_mxr_flips", got[0], got[1], got[2], got[3], got[4], got[5], got[6], got[7]);
	PG_CHECK("sum_mxr_flips2", got[8], got[9], got[10], got[11], got[12], got[13], got[14]);
	PG_CHECK("sum_mxr_faults", wrong);

	/* the UART through a U mapping and an execute-only one: its LSR
	 * (idle: THRE | TEMT) only with SUM, resp. MXR */
	uint64_t uu = UART_VA, ux = UART_VA + PAGE_SIZE;
	pt_map(root, uu, VIRT_UART0_BASE, 0, PTE_U | PTE_R | PTE_W | PTE_A | PTE_D);
	pt_map(root, ux, VIRT_UART0_BASE, 0, PTE_X | PTE_A);
	sfence_vma();
	uint64_t c[6], v;
	c[0] = hp_fault(uu + UART_LSR, P_LBU);
	c[1] = hp_fault(ux + UART_LSR, P_LBU);
	csr_set(sstatus, SSTATUS_SUM);
	c[2] = hp_probe(uu + UART_LSR, P_LBU, NULL, &v) == 0 ? v : ~0ULL;
	c[3] = hp_fault(ux + UART_LSR, P_LBU);
	csr_set(sstatus, SSTATUS_MXR);
	csr_clear(sstatus, SSTATUS_SUM);
	c[4] = hp_probe(ux + UART_LSR, P_LBU, NULL, &v) == 0 ? v : ~0ULL;
	c[5] = hp_fault(uu + UART_LSR, P_LBU);
	csr_clear(sstatus, SSTATUS_MXR);
	PG_CHECK("sum_mxr_mmio", c[0], c[1], c[2], c[3], c[4], c[5]);
}

/* Not Sv39 addresses: the lab01/lab02 VMM's image, its UART, its direct
 * map's start (Sv48 root entry 256), the first address past Sv39's lower
 * half in Sv48, bit 39 alone, the ends of the 64-bit space, and the last
 * page below Sv39's upper half. */
static const uint64_t outside[] = {
	0xffff800080200000ULL, 0xffff800010000000ULL, 0xffff800000000000ULL, 0x0000800000000000ULL,
	0x0000008000000000ULL, 0x7ffffffffffffff8ULL, 0x8000000000000000ULL, 0xffffff7ffffff000ULL,
};
#define NOUT (sizeof outside / sizeof outside[0])

void group_sv48_range(void)
{
	struct proc p;
	proc_init(&p, 1);
	proc_map_user(&p);
	csr_write(satp, satp_sv39(p.root, 1));
	sfence_vma();
	uint64_t c[NOUT];
	static const char *const names[] = { "sv48_load", "sv48_store", "sv48_fetch" };
	for (unsigned k = 0; k < 3; k++) {
		for (unsigned i = 0; i < NOUT; i++)
			c[i] = hp_fault(outside[i], (enum probe_kind)k);
		pg_check(names[k], c, NOUT);
	}
	/* from U-mode: a load and a store at the VMM's image, a store at its UART */
	proc_run(&p, 1, user_va(u_load), outside[0], 0, 0);
	c[0] = ur.scause, c[1] = ur.stval == outside[0];
	proc_run(&p, 1, user_va(u_store_load), outside[0], 5, 0);
	c[2] = ur.scause, c[3] = ur.stval == outside[0];
	proc_run(&p, 1, user_va(u_store_byte), outside[1], 0x41, 0);
	c[4] = ur.scause, c[5] = ur.stval == outside[1];
	PG_CHECK("sv48_user", c[0], c[1], c[2], c[3], c[4], c[5]);

	/* sret there: to the guest user (its first fetch) and to the guest
	 * kernel (SPP = S). Under a trap-and-emulate VMM both land in real
	 * U-mode at an address the VMM's own Sv48 table maps: the fetch must
	 * fault for the guest, cause 12, sepc = stval = the target. */
	proc_run(&p, 1, outside[0], 0, 0, 0);
	c[0] = ur.scause, c[1] = ur.stval == outside[0];
	csr_write(satp, satp_sv39(p.root, 1));	/* proc_run left paging off */
	sfence_vma();
	for (unsigned i = 0; i < 2; i++) {
		uint64_t target = outside[i * 6];
		kf_arm();
		/* trap.c resumes a fetch fault at ra: label 1 */
		__asm__ volatile("la ra, 1f\n\tcsrw sepc, %0\n\tcsrs sstatus, %1\n\tsret\n1:"
				 : : "r"(target), "r"(SSTATUS_SPP) : "ra", "memory");
		c[2 + 2 * i] = kf.count == 1 ? kf.scause : 0;
		c[3 + 2 * i] = kf.stval == target && kf.sepc == target;
	}
	PG_CHECK("sv48_sret", c[0], c[1], c[2], c[3], c[4], c[5]);
}

extern char hp_csr_pages[], hp_csr_read[], hp_csr_read_cross[];

void group_emulate(void)
{
	uint64_t *root = pt_new_root();
	uint64_t code = (uint64_t)(uintptr_t)hp_csr_pages, va = TEST_VA(0);
	/* execute-only, A = 0: the fetches set A */
	uint64_t *p0 = pt_map(root, va, code, 0, PTE_X);
	uint64_t *p1 = pt_map(root, va + PAGE_SIZE, code + PAGE_SIZE, 0, PTE_X);
	csr_write(satp, satp_sv39(root, 0));
	sfence_vma();
	uint64_t (*rd_at)(void) = (uint64_t (*)(void))(uintptr_t)(va + (uint64_t)(hp_csr_read - hp_csr_pages));
	uint64_t (*rd_cross)(void) =
		(uint64_t (*)(void))(uintptr_t)(va + (uint64_t)(hp_csr_read_cross - hp_csr_pages));
	/* sscratch is trap.S's kernel/user flag: 0 again before any trap */
	csr_write(sscratch, 0x1234);
	uint64_t a = rd_at();
	csr_write(sscratch, 0);
	uint64_t a0 = *p0 & PTE_A, a1 = *p1 & PTE_A;
	csr_write(sscratch, 0x5678);
	uint64_t b = rd_cross();
	csr_write(sscratch, 0);
	uint64_t b1 = *p1 & PTE_A;
	/* not readable: a load there faults */
	uint64_t f = hp_fault(va, P_LOAD);
	/* a1: the next page may be accessed speculatively (4.3.1): A either way */
	PG_CHECK("emulate_xonly", a, a0, a1 == 0 || a1 == PTE_A, b, b1, f,
		 (uint64_t)(hp_csr_read_cross - hp_csr_pages) == PAGE_SIZE - 2);
}
