/*
 * checks.h: the hostile guest's checks and the values the spec requires,
 * shared by the guest and its grader (tests/qemu_hostile.c). Each value is
 * reduced by the guest to a count or a 0/1 "as the spec requires"; the
 * guest prints a KIT NOTE for every violation it finds.
 */
#ifndef HOSTILE_CHECKS_H
#define HOSTILE_CHECKS_H

#include <stdint.h>

#include "kitcheck.h"

#define HOSTILE_N32 3000	/* random 32-bit instruction words */
#define HOSTILE_N16 1000	/* random 16-bit (compressed) words */
#define HOSTILE_VMM_VAS 4	/* VMM virtual addresses tried */
#define HOSTILE_SRET_TARGETS 6	/* sret targets outside guest RAM (escape.c) */


/* rows: struct kit_check_spec (kitcheck.h) */
static const struct kit_check_spec hostile_checks[] = {
	/* random: { words run, compressed words run, violations } */
	{ "random", "random_insns", 3, { HOSTILE_N32, HOSTILE_N16, 0 } },
	/* csrs: { CSR numbers tried, violations } */
	{ "csrs", "csr_sweep", 2, { 4096, 0 } },
	/* with sstatus.FS = Off: fflags, frm, fcsr and three FP instructions trap (cause 2) */
	{ "csrs", "fp_off_traps", 6, { 2, 2, 2, 2, 2, 2 } },
	/* memory: each value 1 = the access faulted / behaved as the spec requires */
	{ "memory", "outside_ram", 3, { 1, 1, 1 } },
	{ "memory", "outside_devices", 2, { 1, 1 } },
	{ "memory", "vmm_va_faults", 3, { HOSTILE_VMM_VAS, HOSTILE_VMM_VAS, HOSTILE_VMM_VAS } },
	{ "memory", "misaligned", 4, { 1, 1, 1, 1 } },
	{ "memory", "jump_garbage", 2, { 1, 1 } },
	{ "memory", "guest_ram_at_80200000", 2, { 1, 1 } },
	/* escape: sret to the VMM's addresses and past RAM faults at the target */
	{ "escape", "sret_wild", 1, { HOSTILE_SRET_TARGETS } },
	/* unknown EID, unknown Base FID, probe DBCN, DBCN write, SRST bad type,
	 * SRST bad reason: NOT_SUPPORTED -2, -2, absent 0, -2, INVALID_PARAM -3, -3 */
	{ "escape", "sbi_garbage", 6, { (uint64_t)-2, (uint64_t)-2, 0, (uint64_t)-2,
					  (uint64_t)-3, (uint64_t)-3 } },
	/* no console input: legacy getchar -1, LSR.DR 0 */
	{ "escape", "console_no_input", 2, { (uint64_t)-1, 0 } },
	/* scan: { occurrences of the VMM's bytes in guest RAM, pattern given } */
	{ "scan", "vmm_not_visible", 2, { 0, 1 } },
};

#define HOSTILE_NCHECKS (sizeof hostile_checks / sizeof hostile_checks[0])

#endif
