/*
 * priv.c: group priv. Who may use a page (priv 1.12, 4.3.1 and 4.1.1.2):
 * S-mode touches U pages only with SUM = 1 and never executes them; MXR
 * makes execute-only pages readable; U-mode cannot touch S pages.
 */
#include "paging.h"

/* One probe at va: the fault's cause (0: none) and whether stval = va. */
static void probe(uint64_t va, int kind, uint64_t *cause, uint64_t *tval_ok, uint64_t *val)
{
	kf_arm();
	uint64_t v = 0;
	if (kind == 0)
		v = probe_load(va);
	else if (kind == 1)
		probe_store(va, 0x99);
	else
		probe_exec(va);
	*cause = kf.count ? kf.scause : 0;
	*tval_ok = kf.count == 1 && kf.stval == va;
	if (val)
		*val = v;
}

void group_priv(void)
{
	struct proc p;
	proc_init(&p, 1);
	uint64_t data = proc_map_user(&p);
	*(volatile uint64_t *)data = 0x1234;
	csr_write(satp, satp_sv39(p.root, p.asid));
	sfence_vma();

	uint64_t c[4], v;
	csr_clear(sstatus, SSTATUS_SUM);
	probe(USER_DATA_VA, 0, &c[0], &c[1], NULL);
	probe(USER_DATA_VA, 1, &c[2], &c[3], NULL);
	PG_CHECK("sum0_faults", c[0], c[1], c[2], c[3]);

	csr_set(sstatus, SSTATUS_SUM);
	probe(USER_DATA_VA, 0, &c[0], &c[1], &v);
	probe(USER_DATA_VA, 1, &c[2], &c[3], NULL);
	PG_CHECK("sum1_access", c[0] == 0 && v == 0x1234,
		 c[2] == 0 && *(volatile uint64_t *)data == 0x99);

	/* SUM takes effect at once, without sfence.vma (4.1.1.2) */
	csr_clear(sstatus, SSTATUS_SUM);
	probe(USER_DATA_VA, 0, &c[0], &c[1], NULL);
	PG_CHECK("sum_cleared", c[0], c[1]);
	csr_set(sstatus, SSTATUS_SUM);

	/* the user code page, U|R|X, even with SUM = 1 (4.3.1) */
	probe(user_va(u_load), 2, &c[0], &c[1], NULL);
	csr_clear(sstatus, SSTATUS_SUM);
	PG_CHECK("s_exec_user", c[0], c[1]);

	/* an execute-only S page: readable only with MXR */
	pt_map(p.root, TEST_VA(0), (uint64_t)(uintptr_t)pg_ret_page, 0, PTE_X | PTE_A);
	sfence_vma();
	probe(TEST_VA(0), 0, &c[0], &c[1], NULL);
	csr_set(sstatus, SSTATUS_MXR);
	probe(TEST_VA(0), 0, &c[2], &c[3], &v);
	csr_clear(sstatus, SSTATUS_MXR);
	PG_CHECK("mxr", c[0], c[1], c[2] == 0 && v == *(volatile uint64_t *)pg_ret_page);

	/* MXR for U-mode too: an execute-only U page */
	uint64_t xo = USER_DEMAND_VA;
	pt_map(p.root, xo, (uint64_t)(uintptr_t)pg_ret_page, 0, PTE_U | PTE_X | PTE_A);
	sfence_vma();
	proc_run(&p, 1, user_va(u_load), xo, 0, 0);
	c[0] = ur.scause, c[1] = ur.stval == xo;
	csr_set(sstatus, SSTATUS_MXR);	/* proc_run's sret keeps it */
	int why = proc_run(&p, 1, user_va(u_load), xo, 0, 0);
	csr_clear(sstatus, SSTATUS_MXR);
	PG_CHECK("mxr_user", c[0], c[1], why == RUN_EXIT && ur.a0 == *(volatile uint64_t *)pg_ret_page);

	/* U-mode at the kernel's identity mapping (S pages): load, then store */
	uint64_t kva = (uint64_t)(uintptr_t)&pg_magic;
	proc_run(&p, 1, user_va(u_load), kva, 0, 0);
	c[0] = ur.scause, c[1] = ur.stval == kva;
	proc_run(&p, 1, user_va(u_store_load), kva, 5, 0);
	c[2] = ur.scause, c[3] = ur.stval == kva;
	PG_CHECK("user_s_page", c[0], c[1], c[2], c[3]);
}
