/*
 * guest.h: the kit's guest library (common/guest/), what the test guests
 * of every lab share (lab01's selftest, hostile and bench).
 *
 * The guests are ordinary S-mode kernels booted as OpenSBI boots a payload
 * (a0 = hart id, a1 = device tree). Nothing here knows whether a VMM runs
 * below: the same binary runs natively on OpenSBI and under the lab VMM.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "kitcheck.h"
#include "ns16550.h"

/* What the device tree told us (boot.c). */
struct guest_info {
	uint64_t ram_base, ram_size;	/* first /memory reg */
	uintptr_t uart;			/* ns16550a registers */
	char token[KIT_TOKEN_MAX + 1];	/* kit.token=, "none" if absent */
	char only[32];			/* kit.only=, "" = every group */
	char probe[40];			/* kit.probe= (hostile), "" if absent */
	char trace[8];			/* kit.trace=1: print every probe (hostile) */
	char bootargs[256];
	char isa[64];			/* /cpus/cpu@0 riscv,isa, "" if absent */
};
extern struct guest_info ginfo;

/* Read /chosen/bootargs, /memory and the UART from the device tree. */
void guest_boot(const void *dtb);
/* True if the device tree's riscv,isa names the single-letter extension c. */
bool guest_isa_has(char c);
/* True if kit.only= is absent or names this group. */
bool guest_group_enabled(const char *group);

/* A guest kernel's frame (kernel.c): its groups of checks and hooks. */
struct guest_group {
	const char *name;		/* kit.only= selects it */
	void (*run)(void);
};
struct guest_kernel {
	const char *banner;		/* "KIT <banner> hart <n> token <t> only <g>" */
	const void *stvec;		/* the trap vector, set again after each group */
	const struct guest_group *groups;
	unsigned ngroups;
	void (*setup)(void);		/* once, before the groups (or NULL) */
	void (*before)(const char *group);	/* before each group (or NULL) */
	void (*after)(const char *group);	/* after each, to leave a known state (or NULL) */
};
/*
 * Boot (guest_boot), print the banner, start from a known state (sie = 0,
 * sscratch = 0, stvec, no timer), run each group kit.only= allows with
 * "KIT GROUP <name>" before it, then KIT EXITS, KIT PATH, KIT DONE and
 * SBI SRST shutdown.
 */
void guest_main(unsigned long hartid, const void *dtb, const struct guest_kernel *k)
	__attribute__((noreturn));

/* Verdicts (report.c): compare got with want, print the KIT CHECK line. */
bool kit_check(const char *name, const uint64_t *got, const uint64_t *want, unsigned n);
/* kit_check against the row of a checks.h table named name (kitcheck.h);
 * a name the table lacks, or another number of values, is a FAIL. */
bool kit_check_table(const struct kit_check_spec *table, size_t count, const char *name,
		     const uint64_t *got, unsigned n);
/* A check whose values are free (the host recomputes them): always "ok". */
void kit_check_values(const char *name, const uint64_t *vals, unsigned n);
void kit_check_fail(const char *name, uint64_t want, uint64_t got);
/* "KIT EXITS <n>" (the VMM's exit count) or "KIT EXITS n/a" (natively) */
void kit_exits(void);
/* "KIT PATH <slots>" then "KIT DONE <passed> <failed>" */
void kit_done(void);
extern unsigned kit_passed, kit_failed;

/* The witness path (witness.S; constants in kitcheck.h). */
extern char kit_witness_slots[];

/* NS16550A by direct MMIO (uart.c; offsets and bits in ns16550.h). */
uint8_t uart_reg_read(unsigned off);
void uart_reg_write(unsigned off, uint8_t val);
void uart_putc(char c);
void uart_puts(const char *s);
/* A received byte, or -1 if none is waiting. */
int uart_getc(void);

/* xorshift64* (Vigna 2016): the hostile guest's reproducible randomness. */
static inline uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static inline uint64_t rdinstret(void)
{
	uint64_t v;
	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

static inline uint64_t rdtime(void)
{
	uint64_t v;
	__asm__ volatile("rdtime %0" : "=r"(v));
	return v;
}

#endif
