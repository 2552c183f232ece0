/*
 * stats.h: exit accounting. Every exit (trap from the guest into the VMM)
 * is counted once, under one class; the table is printed at guest shutdown.
 * The class indices are also the FID 1 argument of the kit's measurement
 * SBI extension (sbi_kit.c), so keep them stable.
 */
#ifndef VMM_STATS_H
#define VMM_STATS_H

#include <stdbool.h>
#include <stdint.h>

enum exit_class {
	EXIT_CSR = 0,		/* emulated CSR instruction (cause 2) */
	EXIT_SRET,		/* emulated sret (cause 2) */
	EXIT_WFI,		/* emulated wfi (cause 2) */
	EXIT_SFENCE_VMA,	/* emulated sfence.vma (cause 2) */
	EXIT_ILLEGAL,		/* illegal instruction reflected to the guest (cause 2) */
	EXIT_SBI,		/* ecall from virtual S: SBI call (cause 8) */
	EXIT_SYSCALL,		/* ecall from virtual U: reflected system call (cause 8) */
	EXIT_BREAKPOINT,	/* ebreak reflected (cause 3) */
	EXIT_MMIO,		/* emulated device access (cause 13/15) */
	EXIT_ACCESS_FAULT,	/* guest touched no RAM and no device: access fault injected */
	EXIT_FAULT,		/* other exception reflected (misaligned, ...) */
	EXIT_TIMER_IRQ,		/* supervisor timer interrupt */
	EXIT_EXTERNAL_IRQ,	/* supervisor external interrupt */
	EXIT_SOFT_IRQ,		/* supervisor software interrupt */
	EXIT_OTHER,		/* anything else (diagnosed) */
	EXIT_PAGE_FILL,		/* hidden page fault: the backend filled its tables (lab02) */
	EXIT_PAGE_FAULT,	/* the guest's own page fault, delivered (lab02) */
	EXIT_NCLASSES
};

struct vcpu_stats {
	uint64_t count[EXIT_NCLASSES];
	uint64_t total;
	/* exits per guest system call: ecall from virtual U .. sret to virtual U */
	bool in_syscall;
	uint64_t syscall_first;	/* value of total at the ecall exit */
	uint64_t syscalls;	/* completed system calls */
	uint64_t syscall_exits;	/* exits spent in them, both ends included */
};

struct vcpu;

/* Count one exit of class cls. */
void stats_exit(struct vcpu *v, enum exit_class cls);
/* A system call starts (ecall from virtual U reflected) ... */
void stats_syscall_enter(struct vcpu *v);
/* ... and ends (sret from virtual S to virtual U). */
void stats_syscall_leave(struct vcpu *v);
/* Print the table ("vmm: " prefixed lines) to stdout. */
void stats_print(const struct vcpu *v);

#endif
