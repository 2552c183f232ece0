/* stats.c: exit accounting, printed when the guest shuts down. */
#include <stdio.h>

#include "stats.h"
#include "vcpu.h"

static const char *const names[EXIT_NCLASSES] = {
	[EXIT_CSR]          = "CSR instruction emulated",
	[EXIT_SRET]         = "sret emulated",
	[EXIT_WFI]          = "wfi emulated",
	[EXIT_SFENCE_VMA]   = "sfence.vma emulated",
	[EXIT_ILLEGAL]      = "illegal instruction reflected",
	[EXIT_SBI]          = "SBI call (ecall from S)",
	[EXIT_SYSCALL]      = "system call (ecall from U)",
	[EXIT_BREAKPOINT]   = "breakpoint reflected",
	[EXIT_MMIO]         = "UART access emulated",
	[EXIT_ACCESS_FAULT] = "access fault injected",
	[EXIT_FAULT]        = "other exception reflected",
	[EXIT_TIMER_IRQ]    = "timer interrupt",
	[EXIT_EXTERNAL_IRQ] = "external interrupt",
	[EXIT_SOFT_IRQ]     = "software interrupt",
	[EXIT_OTHER]        = "unexpected",
	[EXIT_PAGE_FILL]    = "hidden page fault (table filled)",
	[EXIT_PAGE_FAULT]   = "guest page fault delivered",
};

void stats_exit(struct vcpu *v, enum exit_class cls)
{
	if ((unsigned)cls >= EXIT_NCLASSES)
		cls = EXIT_OTHER;
	v->stats.count[cls]++;
	v->stats.total++;
}

void stats_syscall_enter(struct vcpu *v)
{
	v->stats.in_syscall = true;
	v->stats.syscall_first = v->stats.total;
}

void stats_syscall_leave(struct vcpu *v)
{
	if (!v->stats.in_syscall)
		return;
	v->stats.in_syscall = false;
	v->stats.syscalls++;
	v->stats.syscall_exits += v->stats.total - v->stats.syscall_first + 1;
}

void stats_print(const struct vcpu *v)
{
	const struct vcpu_stats *s = &v->stats;

	printf("vmm: exits by cause\n");
	printf("vmm:   %-32s %12s\n", "cause", "count");
	for (unsigned i = 0; i < EXIT_NCLASSES; i++)
		if (s->count[i])
			printf("vmm:   %-32s %12llu\n", names[i], (unsigned long long)s->count[i]);
	printf("vmm:   %-32s %12llu\n", "total", (unsigned long long)s->total);
	if (s->syscalls) {
		unsigned long long x100 = s->syscall_exits * 100 / s->syscalls;
		printf("vmm: exits per guest system call: %llu.%02llu (%llu system calls)\n",
		       x100 / 100, x100 % 100, (unsigned long long)s->syscalls);
	} else {
		printf("vmm: exits per guest system call: - (0 system calls)\n");
	}
}
