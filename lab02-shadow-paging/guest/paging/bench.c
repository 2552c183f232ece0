/*
 * bench.c: group bench, what one paging operation costs (make bench
 * LAB=lab02, -icount shift=0). No checks: "KIT BENCH <op> iters=<N>
 * instret=<delta> exits=<delta|n/a>" lines, as lab01's bench guest prints
 * them (common/scripts/bench.sh turns them into the table). Natively the
 * MMU walks and sets A/D; under the VMM each first touch is a hidden fault
 * and each guest-visible fault a round trip through the VMM, as is each
 * system call of a user process.
 */
#include "paging.h"

#define N_TOUCH 64	/* fresh 4 KiB pages, one L0 table */
#define N_MAP 64	/* page-table updates in one batch */
#define N_FAULT 64
#define N_FENCE 64
#define N_SWITCH 64
#define N_SYSCALL 64
#define SYSCALL_WARM 4	/* calls before the measured ones: their pages are filled */

/* The null calls' kernel side: the mark at call SYSCALL_WARM, the line at
 * N_SYSCALL calls later, both taken in the kernel at the same point of a
 * call (after the ecall trapped), so the span is exactly N_SYSCALL round
 * trips U -> guest kernel -> U. */
static struct mark syscall_mark;
static void syscall_hook(unsigned n)
{
	if (n == SYSCALL_WARM)
		syscall_mark = mark_now();
	else if (n == SYSCALL_WARM + N_SYSCALL)
		bench_line("syscall_sv39", N_SYSCALL, syscall_mark);
}

void group_bench(void)
{
	uint64_t *root = pt_new_root();
	uint64_t page = (uint64_t)(uintptr_t)page_alloc();
	struct mark m;

	csr_write(satp, satp_sv39(root, 1));
	sfence_vma();

	/* first touch: a load from a page mapped with A = 0 (hardware sets A;
	 * the VMM fills a shadow leaf and sets A in the guest's PTE) */
	for (unsigned i = 0; i < N_TOUCH; i++)
		pt_map(root, TEST_VA(0) + i * PAGE_SIZE, page, 0, PTE_R | PTE_W);
	sfence_vma();
	m = mark_now();
	for (unsigned i = 0; i < N_TOUCH; i++)
		(void)*(volatile uint64_t *)(TEST_VA(0) + i * PAGE_SIZE);
	bench_line("first_touch", N_TOUCH, m);

	/* page-table updates in a batch, as a kernel maps a range: N_MAP fresh
	 * leaves (A set, as Linux's are), one sfence.vma, a load through each:
	 * what an update costs, its fence and first access included (the
	 * trap-and-emulate VMM: the fence and one hidden fault per page; lab03's
	 * PV build: its batched hypercalls, pv_guest.h) */
	m = mark_now();
	for (unsigned i = 0; i < N_MAP; i++)
		pt_map(root, TEST_VA(2) + i * PAGE_SIZE, page, 0, PTE_R | PTE_W | PTE_A);
	sfence_vma();
	for (unsigned i = 0; i < N_MAP; i++)
		(void)*(volatile uint64_t *)(TEST_VA(2) + i * PAGE_SIZE);
	bench_line("map_touch", N_MAP, m);

	/* a page fault the guest kernel takes and handles (trap.c records it
	 * and steps over the load): the guest's own fault, round trip */
	kf_arm();
	m = mark_now();
	for (unsigned i = 0; i < N_FAULT; i++)
		(void)probe_load(TEST_VA(1) + i * PAGE_SIZE);
	bench_line("guest_fault", N_FAULT, m);
	kf.armed = false;

	/* sfence.vma of one address (the VMM drops that shadow leaf) */
	m = mark_now();
	for (unsigned i = 0; i < N_FENCE; i++)
		sfence_va(TEST_VA(0) + (i % N_TOUCH) * PAGE_SIZE);
	bench_line("sfence_va", N_FENCE, m);

	/* a context switch: satp to the other address space (another root,
	 * another ASID) and a load there, and back */
	uint64_t *other = pt_new_root();
	pt_map(other, TEST_VA(0), page, 0, PTE_R | PTE_W | PTE_A | PTE_D);
	pt_map(root, TEST_VA(0), page, 0, PTE_R | PTE_W | PTE_A | PTE_D);
	uint64_t sa = satp_sv39(root, 1), sb = satp_sv39(other, 2);
	sfence_vma();
	m = mark_now();
	for (unsigned i = 0; i < N_SWITCH; i++) {
		csr_write(satp, sb);
		(void)*(volatile uint64_t *)TEST_VA(0);
		csr_write(satp, sa);
		(void)*(volatile uint64_t *)TEST_VA(0);
	}
	bench_line("switch_x2", N_SWITCH, m);

	/* a system call round trip with paging on: a user process (its own
	 * root, its pages mapped U) makes null calls; the guest kernel takes
	 * each ecall and returns with sret (under the VMM: the ecall exits,
	 * is delivered to the guest kernel, whose CSR accesses and sret trap) */
	struct proc p;
	proc_init(&p, 3);
	proc_map_user(&p);
	null_call_hook = syscall_hook;
	proc_run(&p, 1, user_va(u_null_calls), SYSCALL_WARM + N_SYSCALL + 1, 0, 0);
	null_call_hook = NULL;
}
