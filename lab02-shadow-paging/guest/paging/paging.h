/*
 * paging.h: the paging test guest's kernel (lab02). An ordinary small
 * S-mode kernel that builds its own Sv39 tables (priv 1.12, 4.3 and 4.4):
 * a page pool and a table builder (pt.c), trap dispatch (trap.c, entered
 * through lab01's selftest trap.S), user address spaces (proc.c) and the
 * check groups (on.c, leaves.c, ad.c, priv.c, procs.c, sfence.c, mmio.c).
 *
 * Every address space maps the kernel twice, as global S-only 1 GiB
 * leaves: identity (the kernel runs and traps at its physical addresses)
 * and at KERNEL_HIGH_VA, the way Linux maps itself.
 */
#ifndef PAGING_H
#define PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "guest.h"
#include "kernel.h"	/* lab01's selftest: struct trapframe, trap_return (trap.S) */
#include "layout.h"	/* RAM_GIB_VA, KERNEL_HIGH_VA, USER_*_VA */
#include "riscv.h"
#include "sbi.h"

#define KERNEL_HIGH_OFF (KERNEL_HIGH_VA - RAM_GIB_VA)
#define TEST_VA(n)      (0x40000000UL + (uint64_t)(n) * SV39_PAGE_SIZE(1))	/* a 2 MiB slot each */
#define UART_VA         0xffffffffd0000000UL	/* the UART's page, mmio group */

#define SYS_EXIT  0	/* a7 of the user's ecall */
#define SYS_YIELD 1
#define SYS_NULL  2	/* returns at once: the bench's system call round trip */

/* What a probe load leaves in its register when it faults. */
#define PROBE_NONE 0xdeadbeefdeadbeefULL

/* pt.c: a page pool and Sv39 tables */
void *page_alloc(void);
uint64_t *pt_new_root(void);	/* the kernel's two global mappings */
/* A leaf of 4 KiB (level 0), 2 MiB (1) or 1 GiB (2); tables as needed. */
uint64_t *pt_map(uint64_t *root, uint64_t va, uint64_t pa, unsigned level, uint64_t flags);
uint64_t satp_sv39(const uint64_t *root, unsigned asid);
void pt_reset(void);		/* every page back to the pool (a group's start) */
#define PTE_KERNEL (PTE_R | PTE_W | PTE_X | PTE_G | PTE_A | PTE_D)
#define PTE_USER_RW (PTE_U | PTE_R | PTE_W | PTE_A | PTE_D)

#ifdef KIT_PV
/* lab03's PV build (lab03-hypercalls/guest/paging_pv): the same kernel,
 * its fences, PTE stores, console and traps through the kit's hypercalls */
#include "pv_guest.h"
#define sfence_va(va) pv_sfence((va), PV_ALL)
#define sfence_asid(asid) pv_sfence(PV_ALL, (asid))
#define sfence_vma() pv_sfence(PV_ALL, PV_ALL)
#define PTE_STORE(pte, val, va) pv_pte_store((pte), (val), (va))
#else
static inline void sfence_va(uint64_t va)
{
	__asm__ volatile("sfence.vma %0, x0" : : "r"(va) : "memory");
}

static inline void sfence_asid(unsigned asid)
{
	__asm__ volatile("sfence.vma x0, %0" : : "r"((uint64_t)asid) : "memory");
}
/* a leaf PTE's store (the PV build batches them: pv_pte_store) */
#define PTE_STORE(pte, val, va) ((void)(va), *(pte) = (val))
#endif

/* trap.c: exceptions the kernel takes in S-mode while a check is armed */
struct kfault {
	bool armed;
	unsigned count;
	uint64_t scause, stval, sepc;
};
extern struct kfault kf;
void kf_arm(void);

/* Probes in S-mode: a faulting one leaves PROBE_NONE / does nothing. */
static inline uint64_t probe_load(uint64_t va)
{
	uint64_t v = PROBE_NONE;
	__asm__ volatile(".option push\n.option norvc\nld %0, 0(%1)\n.option pop"
			 : "+r"(v) : "r"(va) : "memory");
	return v;
}

static inline void probe_store(uint64_t va, uint64_t v)
{
	__asm__ volatile(".option push\n.option norvc\nsd %0, 0(%1)\n.option pop"
			 : : "r"(v), "r"(va) : "memory");
}

/* A call to va: a fetch fault resumes at the return address (trap.c). */
static inline void probe_exec(uint64_t va)
{
	__asm__ volatile("jalr ra, 0(%0)" : : "r"(va) : "ra", "memory");
}

/* asm.S */
extern char pg_ret_page[];	/* a page whose first instruction is ret */
extern char user_code_start[], user_code_end[];
extern char u_count[], u_store_load[], u_load[], u_store_byte[], u_null_calls[];
extern char jump_high_at[];
/* Linux's way onto its high mapping (on.c): out = scause, stval, pc, fault pc */
void jump_high(uint64_t satp_high, uint64_t offset, uint64_t satp_back, uint64_t out[4]);

/* proc.c: user processes, each its own root and ASID */
struct proc {
	uint64_t *root;
	unsigned asid;
	struct trapframe tf;
};
/* run ends: lab01's RUN_EXIT (exit), RUN_TRAP (an exception), and */
#define RUN_QUOTA 4	/* the yield quota ran out */
struct urun {
	uint64_t scause, stval, a0;	/* the ending trap, or a0 at exit */
	unsigned faults, yields, quota, null_calls;
	uint64_t fault_cause, fault_tval;	/* the first fault the kernel handled */
};
extern struct urun ur;
/* The page-fault handler of the run (NULL: none): true = mapped, retry. */
extern bool (*user_fault)(struct proc *p, uint64_t cause, uint64_t va);
/* Called in the kernel at each SYS_NULL, with how many the run made (NULL: none). */
extern void (*null_call_hook)(unsigned n);
void proc_init(struct proc *p, unsigned asid);
/* Map the user code page (U|R|X) and a data page at USER_DATA_VA; returns its PA. */
uint64_t proc_map_user(struct proc *p);
/* Run the ring p[0..n-1] from p[0] at entry(a0 << 8(i mod 8), a1) each; each of
 * the first quota yields gives the hart to the next process. */
int proc_run(struct proc *p, unsigned n, uint64_t entry, uint64_t a0, uint64_t a1, unsigned quota);
uint64_t user_va(const char *sym);
void proc_trap(struct trapframe *tf);
/* guest_kernel's before and after hooks: a known state for each group */
void pg_group_start(const char *group);
void pg_group_end(const char *group);

/* check groups */
void group_paging_on(void);
void group_leaves(void);
void group_ad(void);
void group_priv(void);
void group_procs(void);
void group_sfence(void);
void group_mmio(void);
void group_bench(void);	/* no checks: KIT BENCH lines per paging operation */

/* main.c: instret and the VMM's exits (kit SBI extension; n/a natively) around an operation */
struct mark {
	uint64_t instret;
	struct sbiret exits;
};
struct mark mark_now(void);
void bench_line(const char *op, unsigned iters, struct mark since);

bool pg_check(const char *name, const uint64_t *got, unsigned n);
#define PG_CHECK(name, ...) do {                                   \
	uint64_t got_[] = { __VA_ARGS__ };                      \
	pg_check(name, got_, sizeof got_ / sizeof got_[0]);     \
} while (0)

/* A variable to read through other mappings. */
extern volatile uint64_t pg_magic;
#define PG_MAGIC 0x5a17c0de600d1dea

#endif
