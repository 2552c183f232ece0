/*
 * hart.c: hart 1 and the traps of both harts. Hart 1 starts stopped (HSM,
 * SBI 2.0, chapter 9); hart 0 starts it at hart1_entry (entry.S) and
 * gives it commands through the mailbox h1, one at a time (seq, done),
 * so that every observation is hart 0's and every check line is printed
 * by hart 0 alone.
 */
#include <stdio.h>

#include "sbig.h"

struct hart_traps traps[2];
unsigned long boot_hart, other_hart = 1;
struct h1_box h1;
struct late_hart late_hart;
bool h1_up;

/* hart 1's stack and the thread pointer picolibc wants (it prints nothing) */
static uint8_t h1_stack[8192] __attribute__((aligned(16)));
uint8_t hart1_tls[256] __attribute__((aligned(16)));
extern char hart1_entry[];

long legacy(long eid, long a0, long a1, long a2, long a3)
{
	return sbi_ecall(eid, 0, a0, a1, a2, a3, 0, 0).error;
}

uint64_t hsm_status(unsigned long hart)
{
	struct sbiret r = ecall(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, (long)hart, 0, 0, 0, 0);
	return r.error ? (uint64_t)r.error : (uint64_t)r.value;
}

uint64_t wait_eq(volatile uint64_t *p, uint64_t want, unsigned ms)
{
	uint64_t end = rdtime() + ms * 10000ULL;
	while (*p != want)
		if (rdtime() > end)
			return 0;
	return 1;
}

void spin_ms(unsigned ms)
{
	uint64_t end = rdtime() + ms * 10000ULL;
	while (rdtime() < end)
		;
}

/* take a pending, enabled interrupt now (SIE on for a moment) */
void take_interrupts_now(void)
{
	csr_set(sstatus, SSTATUS_SIE);
	__asm__ volatile("nop; nop" ::: "memory");
	csr_clear(sstatus, SSTATUS_SIE);
}

uint64_t wait_irq(volatile uint64_t *count, uint64_t before, unsigned ms)
{
	uint64_t end = rdtime() + ms * 10000ULL;
	while (*count == before && rdtime() < end) {
		__asm__ volatile("wfi" ::: "memory");
		take_interrupts_now();
	}
	return *count - before;
}

/* wfi until sip & mask, or ms of time */
static bool wait_pending(uint64_t mask, unsigned ms)
{
	uint64_t end = rdtime() + ms * 10000ULL;
	while (!(csr_read(sip) & mask)) {
		if (rdtime() > end)
			return false;
		__asm__ volatile("wfi" ::: "memory");
	}
	return true;
}

static void h1_finish(void)
{
	__asm__ volatile("fence rw, rw" ::: "memory");
	h1.done = h1.seq;
}

static void h1_command(void)
{
	uint64_t before;
	struct sbiret r;

	switch (h1.cmd) {
	case H1_WAIT_IPI:
		before = traps[1].ssi;
		csr_set(sie, SIP_SSIP);
		h1.result = 1;	/* armed */
		wait_pending(SIP_SSIP, 3000);
		take_interrupts_now();
		h1.result2 = traps[1].ssi - before;
		break;
	case H1_SUSPEND:
		before = traps[1].ssi;
		csr_write(sie, SIP_SSIP);
		/* retentive (9.4): returns when an interrupt is pending, SIE = 0 */
		r = ecall(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, SBI_HSM_SUSPEND_RETENTIVE, 0, 0, 0, 0);
		h1.result = (uint64_t)r.error;
		take_interrupts_now();
		h1.result2 = traps[1].ssi - before;
		break;
	case H1_SUSPEND_NONRET:
		csr_write(sie, SIP_SSIP);
		r = ecall(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, SBI_HSM_SUSPEND_NON_RETENTIVE,
			  (long)(uintptr_t)hart1_entry, (long)(h1_opaque() - 64), 0, 0);
		/* here only if it failed */
		h1.result = (uint64_t)r.error;
		break;
	case H1_STOP:
		h1_finish();
		ecall(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0, 0);
		h1.result = 0xdead;	/* hart_stop returned */
		break;
	case H1_READ_VA:
		if (h1.arg) {
			/* paging on with ASID H1_ASID, root at arg (its own sfence only now) */
			csr_write(satp, (SATP_MODE_SV39 << SATP_MODE_SHIFT) | (H1_ASID << SATP_ASID_SHIFT) |
					(h1.arg >> 12));
			__asm__ volatile("sfence.vma" ::: "memory");
		}
		h1.result = *(volatile uint32_t *)VA_TEST;
		break;
	case H1_TIMER:
		before = traps[1].sti;
		csr_write(sie, SIP_STIP);
		sbi_set_timer(rdtime() + h1.arg);
		h1.result = wait_irq(&traps[1].sti, before, 3000);
		csr_write(sie, 0);
		break;
	case H1_STA:
		r = ecall(SBI_EXT_STA, SBI_STA_STEAL_TIME_SET_SHMEM, (long)h1.arg, 0, 0, 0, 0);
		h1.result = (uint64_t)r.error;
		break;
	case H1_SEND_IPI:
		/* an IPI to the boot hart (7.1) */
		h1.result = (uint64_t)ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, (long)ME, 0, 0, 0, 0).error;
		break;
	case H1_LEGACY_IPI:
		/* the legacy send_ipi's mask is a virtual address (5.4): VA_TEST + 8
		 * through hart 1's own table */
		h1.result = (uint64_t)legacy(SBI_EXT_LEGACY_SEND_IPI, (long)(VA_TEST + 8), 0, 0, 0);
		break;
	case H1_SPIN:
		spin_ms((unsigned)h1.arg);
		break;
	}
	h1_finish();
}

void hart1_main(unsigned long hartid, unsigned long opaque, uint64_t satp, uint64_t sstatus);

void hart1_main(unsigned long hartid, unsigned long opaque, uint64_t satp, uint64_t sstatus)
{
	h1.a0 = hartid;
	h1.a1 = opaque;
	h1.satp = satp;
	h1.sie_bit = (sstatus & SSTATUS_SIE) != 0;
	h1.entries++;
	if (h1.cmd == H1_SUSPEND_NONRET && h1.done != h1.seq) {
		/* resumed from a non-retentive suspend (9.4): the IPI is pending */
		uint64_t before = traps[1].ssi;
		csr_write(sie, SIP_SSIP);
		take_interrupts_now();
		h1.result = 0;
		h1.result2 = traps[1].ssi - before;
		h1_finish();
	}
	for (;;) {
		uint64_t seen = h1.done;
		while (h1.seq == seen)
			;
		__asm__ volatile("fence rw, rw" ::: "memory");
		h1_command();
	}
}

uint64_t h1_opaque(void)
{
	return (uintptr_t)(h1_stack + sizeof h1_stack);
}

uint64_t h1_start(void)
{
	uint64_t n = h1.entries, late = late_hart.entries;

	/* A hart that comes in at _start is parked, never sent on: whatever
	 * the SBI says it is (its implementation ID is the VMM's to choose),
	 * it must start the hart at start_addr (9.1). OpenSBI 1.1 sometimes
	 * does not (start.S): the native test runs such a run again. */
	struct sbiret r = ecall(SBI_EXT_HSM, SBI_HSM_HART_START, (long)other_hart, (long)(uintptr_t)hart1_entry,
				(long)h1_opaque(), 0, 0);
	bool up = r.error == 0 && wait_eq(&h1.entries, n + 1, 3000);
	if (late_hart.entries != late)
		printf("KIT NOTE hart_start of hart %lu: it entered this image at _start, not at start_addr "
		       "(SBI 2.0, 9.1): parked\n", other_hart);
	h1_up = up;
	if (up)
		return 1;
	printf("KIT NOTE hart_start of hart 1: error %ld, entries %lu, state %lu\n", r.error,
	       (unsigned long)(h1.entries - n), (unsigned long)hsm_status(other_hart));
	return 0;
}

void h1_post(uint64_t cmd, uint64_t arg)
{
	h1.cmd = cmd;
	h1.arg = arg;
	h1.result = h1.result2 = 0;
	__asm__ volatile("fence rw, rw" ::: "memory");
	h1.seq++;
}

uint64_t h1_wait(unsigned ms)
{
	/* a hart that never came up answers nothing: no need to wait */
	return h1_up && wait_eq(&h1.done, h1.seq, ms);
}

uint64_t h1_arm_ipi(void)
{
	h1_post(H1_WAIT_IPI, 0);
	return h1_up && wait_eq(&h1.result, 1, 3000);
}

uint64_t h1_run(uint64_t cmd, uint64_t arg, unsigned ms)
{
	h1_post(cmd, arg);
	return h1_wait(ms);
}

uint64_t h1_stop(void)
{
	if (!h1_up)
		return hsm_status(other_hart) == SBI_HSM_STATE_STOPPED;
	h1_run(H1_STOP, 0, 3000);
	h1_up = false;
	uint64_t end = rdtime() + 30000000ULL;
	while (hsm_status(other_hart) != SBI_HSM_STATE_STOPPED)
		if (rdtime() > end)
			return 0;
	return 1;
}

static bool on_hart1(uint64_t sp)
{
	return sp >= (uintptr_t)h1_stack && sp <= (uintptr_t)(h1_stack + sizeof h1_stack);
}

void trap(struct trapframe *tf);

void trap(struct trapframe *tf)
{
	struct hart_traps *t = &traps[on_hart1(tf->x[2])];
	uint64_t cause = tf->scause & ~SCAUSE_INTERRUPT;

	t->last_cause = tf->scause;
	if (tf->scause & SCAUSE_INTERRUPT) {
		if (cause == IRQ_S_SOFT) {
			t->ssi++;
			csr_clear(sip, SIP_SSIP);
		} else if (cause == IRQ_S_TIMER) {
			t->sti++;
			sbi_set_timer(~0ULL);
		} else {
			t->other++;
			csr_clear(sie, 1UL << cause);
		}
		return;
	}
	/* no check here causes an exception: count it, step over */
	t->other++;
	tf->sepc += (*(volatile uint16_t *)tf->sepc & 3) == 3 ? 4 : 2;
}
