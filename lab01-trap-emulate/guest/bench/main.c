/*
 * main.c: the bench guest, the workload of `make bench`. It reuses the
 * selftest kernel's trap path, user mode and user program (guest/selftest)
 * and measures, per operation, N iterations:
 *
 *   KIT BENCH <op> iters=<N> instret=<delta> exits=<delta>
 *
 * instret is the hart's retired-instruction counter (exact under QEMU
 * -icount shift=0). It counts in every privilege mode, so under the VMM
 * the delta includes the VMM's and OpenSBI's instructions spent on the
 * guest's behalf. exits comes from the kit VMM's SBI extension
 * (EID 0x084B4954, FID 0); natively there is no VMM and it prints n/a.
 * The "empty" line is the cost of the measurement itself (iters=0).
 * guest/README.md documents the format for the bench runner.
 */
#include <stdio.h>

#include "../selftest/kernel.h"
#include "../selftest/user/syscall.h"
#include "sbi.h"

#define N_SYSCALL 1000
#define N_CSR     1000
#define N_SBI     200
#define N_UART    200
#define N_TICK    20
/* re-arm at "now": the next tick is due at once, so N ticks run back to
 * back and instret measures the tick path, not idle time (with -icount,
 * time spent idle in wfi advances the counters too) */
#define BENCH_TICK 0

/* the selftest's trap.c calls these for timer interrupts */
bool sched_active;
static volatile unsigned ticks;

void sched_tick(struct trapframe *tf)
{
	(void)tf;
	ticks++;
	/* the last tick disarms: with BENCH_TICK 0 the loop waiting for
	 * the ticks would otherwise never run between two interrupts */
	sbi_set_timer(ticks < N_TICK ? rdtime() + BENCH_TICK : ~0ULL);
}

static bool have_exits;

static uint64_t exits(void)
{
	struct sbiret r = sbi_ecall(SBI_EXT_KIT, SBI_KIT_EXITS_TOTAL, 0, 0, 0, 0, 0, 0);
	return r.error == SBI_SUCCESS ? (uint64_t)r.value : 0;
}

struct mark {
	uint64_t instret, exits;
};

static struct mark mark(void)
{
	struct mark m;
	m.exits = have_exits ? exits() : 0;
	m.instret = rdinstret();
	return m;
}

static struct mark mark_end(void)
{
	struct mark m;
	m.instret = rdinstret();
	m.exits = have_exits ? exits() : 0;
	return m;
}

static void report(const char *op, unsigned iters, struct mark a, struct mark b)
{
	uint64_t i = b.instret, e = b.exits;
	if (have_exits)
		printf("KIT BENCH %s iters=%u instret=%llu exits=%llu\n", op, iters,
		       (unsigned long long)(i - a.instret), (unsigned long long)(e - a.exits));
	else
		printf("KIT BENCH %s iters=%u instret=%llu exits=n/a\n", op, iters,
		       (unsigned long long)(i - a.instret));
}

void kmain(unsigned long hartid, const void *dtb);

void kmain(unsigned long hartid, const void *dtb)
{
	guest_boot(dtb);
	csr_write(sie, 0);
	csr_write(sscratch, 0);
	csr_write(stvec, (uint64_t)trap_vector);
	sbi_set_timer(~0ULL);
	user_load();
	have_exits = sbi_ecall(SBI_EXT_KIT, SBI_KIT_EXITS_TOTAL, 0, 0, 0, 0, 0, 0).error == 0;
	printf("KIT BENCH start hart=%lu vmm=%s\n", hartid, have_exits ? "yes" : "no");

	struct mark m = mark();
	report("empty", 0, m, mark_end());

	/* a system call round trip: user ecall, guest kernel, sret back */
	m = mark();
	run_user(USER_BASE, UMODE_BENCH, N_SYSCALL);
	report("syscall", N_SYSCALL, m, mark_end());

	/* a CSR access by the guest kernel */
	m = mark();
	for (int i = 0; i < N_CSR; i++)
		__asm__ volatile("csrr t0, sscratch" ::: "t0");
	report("csr_read", N_CSR, m, mark_end());

	/* an SBI call (Base get_spec_version) */
	m = mark();
	for (int i = 0; i < N_SBI; i++)
		sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, 0, 0, 0);
	report("sbi_call", N_SBI, m, mark_end());

	/* a UART byte by MMIO: poll LSR, write THR */
	printf("KIT NOTE uart bytes: ");
	m = mark();
	for (int i = 0; i < N_UART; i++)
		uart_putc('.');
	struct mark end = mark_end();
	printf("\n");
	report("uart_byte", N_UART, m, end);

	/* a timer tick: take the interrupt, re-arm with SBI set_timer, sret */
	ticks = 0;
	sched_active = true;
	csr_write(sie, SIP_STIP);
	m = mark();
	sbi_set_timer(rdtime() + BENCH_TICK);
	csr_set(sstatus, SSTATUS_SIE);
	while (ticks < N_TICK)
		;
	csr_clear(sstatus, SSTATUS_SIE);
	end = mark_end();
	report("timer_tick", N_TICK, m, end);
	sbi_set_timer(~0ULL);
	csr_write(sie, 0);
	sched_active = false;

	printf("KIT BENCH done\n");
	sbi_shutdown();
}
