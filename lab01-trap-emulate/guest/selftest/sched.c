/*
 * sched.c: the user program's system calls, a timer-driven round-robin
 * scheduler over two user tasks (SBI TIME set_timer, STIP: priv 1.12,
 * 4.1.3), and wfi (3.3.3).
 */
#include <string.h>

#include "kernel.h"
#include "sbi.h"
#include "user/syscall.h"

bool sched_active;
static unsigned ticks, user_ticks, cur;
static struct trapframe task[2];
static volatile uint64_t counter[2];
static uint64_t task1_stack[512] __attribute__((aligned(16)));
#define TICK_BUDGET 8

void group_syscalls(void)
{
	uint64_t arg = kit_check_digest(ginfo.token, "syscalls", 0, 0) & 0xffff;
	static const char want[] = "hello from user\n";

	user_syscalls = 0;
	user_output_len = 0;
	user_exit_code = 0;
	int why = run_user(USER_BASE, UMODE_SYSCALLS, arg);
	uint64_t code = user_exit_code;
	CHECK("user_write", (code >> 24) & 0xff,
	      user_output_len == sizeof want - 1 && memcmp(user_output, want, sizeof want - 1) == 0);
	CHECK("user_getpid", (code >> 16) & 0xff);
	CHECK("user_yield", (code >> 8) & 0xff);
	CHECK("user_bad_syscall", (uint64_t)(int64_t)(int8_t)(code & 0xff));
	CHECK("user_exit", why == RUN_EXIT && (code >> 32) == arg, user_syscalls);
}

/* A timer interrupt while the tasks run: switch to the other task. */
void sched_tick(struct trapframe *tf)
{
	bool from_user = (tf->sstatus & SSTATUS_SPP) == 0;
	ticks++;
	if (ticks >= TICK_BUDGET) {
		sched_active = false;
		sbi_set_timer(~0ULL);
		if (from_user)
			user_end(RUN_TICKS);
		return;
	}
	sbi_set_timer(rdtime() + TICK_INTERVAL);
	if (!from_user)
		return;
	user_ticks++;
	task[cur] = *tf;
	cur ^= 1;
	*tf = task[cur];
}

void group_timer_tick(void)
{
	ticks = user_ticks = 0;
	cur = 0;
	counter[0] = counter[1] = 0;
	irq_last_cause = 0;

	/* task 1 starts where a tick first switches to it */
	memset(&task[1], 0, sizeof task[1]);
	task[1].sepc = USER_BASE;
	task[1].x[REG_A0] = UMODE_SPIN;
	task[1].x[REG_A1] = (uint64_t)&counter[1];
	task[1].x[REG_SP] = (uint64_t)&task1_stack[512];
	task[1].sstatus = (csr_read(sstatus) & ~(SSTATUS_SPP | SSTATUS_SIE)) | SSTATUS_SPIE;

	sched_active = true;
	csr_write(sie, SIP_STIP);
	sbi_set_timer(rdtime() + TICK_INTERVAL);
	int why = run_user(USER_BASE, UMODE_SPIN, (uint64_t)&counter[0]);
	csr_write(sie, 0);
	sched_active = false;

	CHECK("tick_cause", irq_last_cause);
	CHECK("tick_count", why == RUN_TICKS && ticks >= TICK_BUDGET);
	CHECK("tasks_preempted", counter[0] > 0, counter[1] > 0, user_ticks >= TICK_BUDGET / 2);
}

void group_wfi(void)
{
	/* STIE set, SIE clear: wfi must wake, the interrupt is not taken */
	csr_clear(sstatus, SSTATUS_SIE);
	csr_write(sie, SIP_STIP);
	/* 50 ms: long enough that a slow host cannot reach the loop late */
	uint64_t target = rdtime() + 5 * TICK_INTERVAL;
	sbi_set_timer(target);
	unsigned n = 0;
	do {
		wfi();
		n++;
	} while ((csr_read(sip) & SIP_STIP) == 0 && n < 1000000);
	uint64_t now = rdtime();
	CHECK("wfi_wakes", (csr_read(sip) & SIP_STIP) != 0, now >= target);
	/* a wfi that idles returns a few times at most (the spec allows
	 * spurious wake-ups); one that is a nop spins thousands of times */
	CHECK("wfi_idles", n <= 10);
	sbi_set_timer(~0ULL);
	CHECK("stip_cleared", csr_read(sip) & SIP_STIP);
	csr_write(sie, 0);

	uint64_t t0 = rdtime();
	for (volatile int i = 0; i < 20000; i++)
		;
	CHECK("time_advances", rdtime() > t0);
}
