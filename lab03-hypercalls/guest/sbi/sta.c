/*
 * sta.c: group sta: the Steal-time Accounting extension (SBI 2.0,
 * chapter 16). Each hart's record is read as 16.2 says: the same even
 * sequence before and after the read. Hart 0 alone steals nothing; with
 * hart 1 spinning beside it on the VMM's one real hart both lose time.
 */
#include "sbig.h"

struct sta {
	volatile uint32_t sequence, flags;
	volatile uint64_t steal;
	volatile uint8_t preempted, pad[47];
};
static struct sta rec0 __attribute__((aligned(64))), rec1 __attribute__((aligned(64)));

static uint64_t set(uint64_t lo, uint64_t hi, uint64_t flags)
{
	return (uint64_t)ecall(SBI_EXT_STA, SBI_STA_STEAL_TIME_SET_SHMEM, (long)lo, (long)hi, (long)flags,
			       0, 0).error;
}

/* steal of r, read consistently (16.2); *even = 1 if a stable even sequence was seen */
static uint64_t steal_of(struct sta *r, uint64_t *even)
{
	for (int tries = 0; tries < 1000; tries++) {
		uint32_t s = r->sequence;
		__asm__ volatile("fence r, r" ::: "memory");
		uint64_t st = r->steal;
		__asm__ volatile("fence r, r" ::: "memory");
		if (!(s & 1) && s == r->sequence) {
			*even = 1;
			return st;
		}
	}
	*even = 0;
	return 0;
}

void group_sta(void)
{
	uint64_t even = 0, even1 = 0;

	if (!sbig_kit_vmm("sta"))
		return;
	/* 16.1: flags must be 0; 64-byte aligned; all of it writable guest RAM */
	CHECK("sta_bad_args", set((uintptr_t)&rec0, 0, 1), set((uintptr_t)&rec0 + 8, 0, 0),
	      set(NOT_RAM, 0, 0), set((uintptr_t)&rec0, 1, 0), set(0x88000000UL - 32, 0, 0));
	rec0.flags = 0x55;
	uint64_t e = set((uintptr_t)&rec0, 0, 0);
	uint64_t s0 = steal_of(&rec0, &even);
	CHECK("sta_set_shmem", e, even, rec0.flags, rec0.preempted);
	spin_ms(20);
	CHECK("sta_no_steal_alone", steal_of(&rec0, &even) - s0, even);

	/* two harts on the VMM's one: each is kept from running while the other runs */
	uint64_t up = h1_start();
	uint64_t e1 = h1_run(H1_STA, (uintptr_t)&rec1, 3000) ? h1.result : 1;
	s0 = steal_of(&rec0, &even);
	h1_post(H1_SPIN, 50);
	spin_ms(50);
	uint64_t done = h1_wait(3000);
	uint64_t d0 = steal_of(&rec0, &even) - s0;
	uint64_t d1 = steal_of(&rec1, &even1);
	CHECK("sta_steal_two_harts", up, e1, done, d0 > 0, d1 > 0, even, even1);

	/* all ones: off; the record is no longer written */
	e = set(~0UL, ~0UL, 0);
	s0 = rec0.steal;
	h1_post(H1_SPIN, 20);
	spin_ms(20);
	done = h1_wait(3000);
	CHECK("sta_off", e, done, rec0.steal == s0);
	CHECK("sta_unknown_fid", (uint64_t)ecall(SBI_EXT_STA, 1, 0, 0, 0, 0, 0).error);
	CHECK("sta_hart1_stopped", h1_stop());
}
