/*
 * procs.c: group procs. Two user address spaces (own roots, ASIDs 1 and
 * 2) running the same program on their own data page, switched on every
 * yield; demand paging and copy-on-write, the page faults handled by this
 * kernel (priv 1.12, 4.3.2: the faulting instruction runs again).
 */
#include <string.h>

#include "paging.h"

/* demand paging: a fresh zero page where the user faulted */
static uint64_t demand_page;
static bool demand_map(struct proc *p, uint64_t cause, uint64_t va)
{
	(void)cause;
	if ((va & ~(PAGE_SIZE - 1)) != USER_DEMAND_VA)
		return false;
	demand_page = (uint64_t)(uintptr_t)page_alloc();
	pt_map(p->root, USER_DEMAND_VA, demand_page, 0, PTE_USER_RW);
	sfence_va(USER_DEMAND_VA);
	return true;
}

/* copy-on-write: a store to the shared read-only page gets a private copy */
static uint64_t cow_shared;
static bool cow_copy(struct proc *p, uint64_t cause, uint64_t va)
{
	if (cause != CAUSE_STORE_PAGE_FAULT || (va & ~(PAGE_SIZE - 1)) != USER_COW_VA)
		return false;
	void *copy = page_alloc();
	memcpy(copy, (void *)(uintptr_t)cow_shared, PAGE_SIZE);
	pt_map(p->root, USER_COW_VA, (uint64_t)(uintptr_t)copy, 0, PTE_USER_RW);
	sfence_va(USER_COW_VA);
	return true;
}

void group_procs(void)
{
	struct proc p[2];
	uint64_t data[2];
	for (unsigned i = 0; i < 2; i++) {
		proc_init(&p[i], i + 1);
		data[i] = proc_map_user(&p[i]);
	}
	/* u_count adds 1 (process 0) or 0x100 (process 1) each round */
	int why = proc_run(p, 2, user_va(u_count), 1, 0, 5);
	PG_CHECK("two_spaces", *(volatile uint64_t *)data[0], *(volatile uint64_t *)data[1],
		 why == RUN_QUOTA ? ur.yields + 1 : (unsigned)why);

	user_fault = demand_map;
	proc_run(&p[0], 1, user_va(u_store_load), USER_DEMAND_VA, 0x77, 0);
	PG_CHECK("demand_paging", ur.faults, ur.fault_cause, ur.fault_tval == USER_DEMAND_VA, ur.a0,
		 demand_page ? *(volatile uint64_t *)demand_page : 0);

	cow_shared = (uint64_t)(uintptr_t)page_alloc();
	*(volatile uint64_t *)cow_shared = 0x42;
	for (unsigned i = 0; i < 2; i++)
		pt_map(p[i].root, USER_COW_VA, cow_shared, 0, PTE_U | PTE_R | PTE_A);
	user_fault = cow_copy;
	proc_run(&p[0], 1, user_va(u_store_load), USER_COW_VA, 0x43, 0);
	uint64_t faults = ur.faults, cause = ur.fault_cause, mine = ur.a0;
	proc_run(&p[1], 1, user_va(u_load), USER_COW_VA, 0, 0);
	PG_CHECK("copy_on_write", faults, cause, mine, ur.a0, *(volatile uint64_t *)cow_shared);
	user_fault = NULL;
}
