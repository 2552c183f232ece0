/*
 * proc.c: user processes, each with its own Sv39 root and ASID. A run
 * enters U-mode with sret (priv 1.12, 3.3.2; trap.S's trap_return) under
 * the process's satp; the user's ecalls exit or yield (the next process of
 * the ring gets the hart: its satp, its saved registers), its page faults
 * go to the run's handler (demand paging, copy-on-write) and any other
 * exception ends the run. The kernel comes back to proc_run with longjmp.
 */
#include <setjmp.h>
#include <string.h>

#include "paging.h"

struct urun ur;
bool (*user_fault)(struct proc *p, uint64_t cause, uint64_t va);
void (*null_call_hook)(unsigned n);

static jmp_buf kernel_ctx;
static struct proc *ring;
static unsigned ring_n, cur;

void proc_init(struct proc *p, unsigned asid)
{
	memset(p, 0, sizeof *p);
	p->root = pt_new_root();
	p->asid = asid;
}

uint64_t user_va(const char *sym)
{
	return USER_CODE_VA + (uint64_t)(sym - user_code_start);
}

uint64_t proc_map_user(struct proc *p)
{
	pt_map(p->root, USER_CODE_VA, (uint64_t)(uintptr_t)user_code_start, 0,
	       PTE_U | PTE_R | PTE_X | PTE_A);
	uint64_t data = (uint64_t)(uintptr_t)page_alloc();
	pt_map(p->root, USER_DATA_VA, data, 0, PTE_USER_RW);
	return data;
}

/* Give the hart to process i: its address space, then its registers. */
static void __attribute__((noreturn)) switch_to(unsigned i)
{
	cur = i;
	csr_write(satp, satp_sv39(ring[i].root, ring[i].asid));
	trap_return(&ring[i].tf);
}

int proc_run(struct proc *p, unsigned n, uint64_t entry, uint64_t a0, uint64_t a1, unsigned quota)
{
	int why = setjmp(kernel_ctx);
	if (why != 0) {
		csr_write(satp, 0);
		sfence_vma();
		return why;
	}
	memset(&ur, 0, sizeof ur);
	ur.quota = quota;
	ring = p;
	ring_n = n;
	for (unsigned i = 0; i < n; i++) {
		memset(&p[i].tf, 0, sizeof p[i].tf);
		p[i].tf.sepc = entry;
		p[i].tf.x[REG_A0] = a0 << (8 * (i % 8));	/* each its own increment (8 bytes) */
		p[i].tf.x[REG_A1] = a1;
		/* SPP = U, SIE stays 0 in U (no interrupts here) */
		p[i].tf.sstatus = csr_read(sstatus) & ~(SSTATUS_SPP | SSTATUS_SIE | SSTATUS_SPIE);
	}
	/* the ASIDs were other tables' in earlier groups (priv 4.2.1) */
	sfence_vma();
	switch_to(0);
}

void proc_trap(struct trapframe *tf)
{
	uint64_t cause = tf->scause;
	struct proc *p = &ring[cur];
	/* a null system call: straight back to the user (trap.S's sret) */
	if (cause == CAUSE_USER_ECALL && tf->x[REG_A7] == SYS_NULL) {
		ur.null_calls++;
		if (null_call_hook)
			null_call_hook(ur.null_calls);
		tf->sepc += 4;
		return;
	}
	if (cause == CAUSE_USER_ECALL && tf->x[REG_A7] == SYS_YIELD && ur.yields < ur.quota) {
		ur.yields++;
		p->tf = *tf;
		p->tf.sepc += 4;
		switch_to((cur + 1) % ring_n);
	}
	if ((cause == CAUSE_LOAD_PAGE_FAULT || cause == CAUSE_STORE_PAGE_FAULT) && user_fault &&
	    ur.faults < 4) {
		if (ur.faults++ == 0) {
			ur.fault_cause = cause;
			ur.fault_tval = tf->stval;
		}
		if (user_fault(p, cause, tf->stval))
			return;	/* mapped: the instruction runs again */
	}
	ur.scause = cause;
	ur.stval = tf->stval;
	ur.a0 = tf->x[REG_A0];
	int why = RUN_TRAP;
	if (cause == CAUSE_USER_ECALL)
		why = tf->x[REG_A7] == SYS_EXIT ? RUN_EXIT : RUN_QUOTA;
	longjmp(kernel_ctx, why);
}

/* Between groups (guest.h's hooks): a fresh page pool, nothing armed,
 * and afterwards paging off with SUM and MXR clear, whatever the group did. */
void pg_group_start(const char *group)
{
	(void)group;
	pt_reset();
	kf.armed = false;
	user_fault = NULL;
	null_call_hook = NULL;
}

void pg_group_end(const char *group)
{
	(void)group;
	csr_write(satp, 0);
	sfence_vma();
	csr_clear(sstatus, SSTATUS_SUM | SSTATUS_MXR);
}
