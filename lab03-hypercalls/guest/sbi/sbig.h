/*
 * sbig.h: the sbi guest (lab03's conformance-style test of the SBI, SBI
 * spec 2.0), shared by its files. Hart 0 runs the groups; hart 1, once
 * started with HSM, obeys hart 0's commands (hart.c) so that the checks
 * can see IPIs, remote fences, suspends and steal time between two harts.
 */
#ifndef SBIG_H
#define SBIG_H

#include <stdbool.h>
#include <stdint.h>

#include "guest.h"
#include "riscv.h"
#include "sbi.h"

struct trapframe {
	uint64_t x[32];
	uint64_t sepc, sstatus, scause, stval;
};

/* check against checks.h (checks.h's table) */
bool sbig_check(const char *name, const uint64_t *got, unsigned n);
#define CHECK(name, ...) do { \
	const uint64_t got_[] = { __VA_ARGS__ }; \
	sbig_check(name, got_, sizeof got_ / sizeof got_[0]); \
} while (0)

static inline struct sbiret ecall(long ext, long fid, long a0, long a1, long a2, long a3, long a4)
{
	return sbi_ecall(ext, fid, a0, a1, a2, a3, a4, 0);
}

/* a legacy call (SBI 2.0, 5): its result is a0 alone */
long legacy(long eid, long a0, long a1, long a2, long a3);

/*
 * The hart the guest booted on and the other one. The VMM boots hart 0;
 * OpenSBI 1.1 boots the hart that wins its lottery, so natively the
 * guest's "hart 1" (the other hart, started with HSM) may be hart 0.
 */
extern unsigned long boot_hart, other_hart;
#define ME  (1UL << boot_hart)	/* hart masks (3.1, base 0) */
#define HIM (1UL << other_hart)

/* per-hart counts of what trap() saw */
struct hart_traps {
	volatile uint64_t ssi, sti, other;
	volatile uint64_t last_cause;
};
extern struct hart_traps traps[2];

/* wait (up to ms milliseconds of time) until *p == want; 1 if it did */
uint64_t wait_eq(volatile uint64_t *p, uint64_t want, unsigned ms);
/*
 * wfi (SIE off) and take what woke it (SIE on a moment) until *count
 * moves from before, up to ms of time: how many came. The timer checks
 * count taken interrupts rather than read sip.STIP: QEMU 7.2 shows a
 * VS-mode guest its hvip.VSTIP in the trap, not in sip (lab02's nested
 * mode).
 */
/* take a pending interrupt enabled in sie now (SIE on for a moment) */
void take_interrupts_now(void);
uint64_t wait_irq(volatile uint64_t *count, uint64_t before, unsigned ms);
/* spin for ms milliseconds of time */
void spin_ms(unsigned ms);

/* hart 1 (hart.c): commands hart 0 gives it through the mailbox */
enum h1_cmd {
	H1_NONE, H1_WAIT_IPI, H1_SUSPEND, H1_SUSPEND_NONRET, H1_STOP, H1_READ_VA,
	H1_TIMER, H1_STA, H1_SPIN, H1_SEND_IPI, H1_LEGACY_IPI,
};
struct h1_box {
	volatile uint64_t cmd, arg, seq, done;	/* done = seq when the command finished */
	volatile uint64_t result, result2;
	/* what hart_start gave it (9.1) */
	volatile uint64_t entries, a0, a1, satp, sie_bit;
};
extern struct h1_box h1;
/* a hart that entered the image's _start after the boot hart (start.S's
 * kit_late_hart, entry.S): counted; sent to addr with a1 = opaque only
 * when addr is set, which only hsm.c's hsm_start_at_entry does (it aims
 * hart_start at _start itself); else parked. Offsets 0, 8, 16 are
 * entry.S's. */
struct late_hart {
	volatile uint64_t entries, addr, opaque;
};
extern struct late_hart late_hart;
/* start hart 1 (stopped) at hart1_entry; 1 if it came up */
uint64_t h1_start(void);
/* hart 1 came up and has not been stopped since: only then is a command
 * waited for (a starter's hart_start fails its checks at once) */
extern bool h1_up;
/* hart 1 waits for an IPI (H1_WAIT_IPI); 1 once it is armed */
uint64_t h1_arm_ipi(void);
/* the opaque hart_start passes (hart 1's stack top; a non-retentive suspend passes it - 64) */
uint64_t h1_opaque(void);
/* hart 1 runs cmd (arg); 1 if it finished within ms */
uint64_t h1_run(uint64_t cmd, uint64_t arg, unsigned ms);
/* post a command without waiting, and wait for it later */
void h1_post(uint64_t cmd, uint64_t arg);
uint64_t h1_wait(unsigned ms);
/* stop hart 1 and wait until HSM says STOPPED; 1 if so */
uint64_t h1_stop(void);
uint64_t hsm_status(unsigned long hart);

/*
 * Groups spec2, dbcn and sta are SBI 2.0's as lab03's VMM offers it:
 * elsewhere (OpenSBI 1.1 starts a hart or suspends at an address the VMM
 * refuses) they are skipped with a note. True if the VMM is the kit's.
 */
bool sbig_kit_vmm(const char *group);

/* the groups */
void group_base(void);
void group_spec1(void);
void group_spec2(void);
void group_timer(void);
void group_hsm(void);
void group_ipi(void);
void group_rfence(void);
void group_legacy(void);
void group_dbcn(void);
void group_sta(void);
void group_hostile(void);
void group_hostile_stop(void);
void group_hostile_srst(void);

/* rfence.c's page for hart 1: VA_TEST maps page A or B */
#define VA_TEST 0x1000UL
#define H1_ASID 5UL
uint64_t rf_prepare(void);		/* map VA_TEST -> A; hart 1 reads A (1 if so) */
void rf_remap(void);			/* VA_TEST -> B in memory, no fence */
uint64_t rf_h1_reads(void);		/* what hart 1 reads at VA_TEST now */
#define RF_A 0xAAAAAAAAUL
#define RF_B 0xBBBBBBBBUL

/* not RAM, no device (QEMU virt with 256 MiB; the VMM's guest RAM ends at 0x88000000) */
#define NOT_RAM 0x90000000UL

#endif
