/*
 * checks.h: every check of the selftest guest with the values the
 * specification requires, grouped as the QEMU tests grade them.
 *
 * Included by the guest (which compares what it observed with `want` and
 * prints "KIT CHECK <name> ok <digest>" or a FAIL line) and by the host test
 * tests/qemu_guest.c (which recomputes each digest from its own token and
 * `want`, see common/rt/include/kitcheck.h). One table, so the guest and
 * its grader cannot drift apart; native runs on OpenSBI (tests
 * qemu_guest::native_*) show the table matches real hardware behaviour.
 *
 * Values that depend on addresses are reduced by the guest to 1 = "as the
 * spec requires" (e.g. "sepc is the trapping instruction"), so the host
 * can know them.
 */
#ifndef SELFTEST_CHECKS_H
#define SELFTEST_CHECKS_H

#include <stdint.h>

#include "kitcheck.h"
#include "riscv.h"


#define IRQ(n) (SCAUSE_INTERRUPT | (n))	/* an interrupt cause (priv 1.12, 4.1.9) */
#define NEG(n) ((uint64_t)(int64_t)(n))

/* sstatus bits that are WPRI (priv 1.12, 4.1.1, figure 4.2) */
#define SSTATUS_WPRI_MASK (1ULL << 0 | 7ULL << 2 | 1ULL << 7 | 3ULL << 11 | \
	1ULL << 17 | 0xfffULL << 20 | ((1ULL << 29) - 1) << 34)
/* senvcfg fields (priv 1.12, 4.1.4 and Zicbom/Zicboz): FIOM, CBIE, CBCFE, CBZE */
#define SENVCFG_DEFINED 0xf1ULL

/* rows: struct kit_check_spec (kitcheck.h) */
static const struct kit_check_spec selftest_checks[] = {
	/* csr_rw: each S-mode CSR holds what it must (priv 1.12, 4.1) */
	{ "csr_rw", "sscratch_rw", 2, { 0x0123456789abcdefULL, 0 } },
	/* sepc holds any valid address; with C, sepc[1] holds (4.1.7) */
	{ "csr_rw", "sepc_rw", 3, { 0x80201234ULL, 0x80201232ULL, 0xffffffffc0201234ULL } },
	{ "csr_rw", "stval_rw", 2, { 0x80201234ULL, 0 } },
	{ "csr_rw", "scause_rw", 2, { 2, IRQ(5) } },
	{ "csr_rw", "stvec_rw", 2, { 0x80201000ULL, 0x80201101ULL } },
	{ "csr_rw", "satp_bare", 1, { 0 } },
	{ "csr_rw", "scounteren_rw", 2, { 7, 0 } },
	{ "csr_rw", "senvcfg_rw", 2, { 0, 0 } },

	/* csr_warl: fields that are fixed, read-only or masked (4.1.1 to 4.1.3, 4.1.11) */
	{ "csr_warl", "sstatus_spp", 2, { 1, 0 } },
	{ "csr_warl", "sstatus_spie", 2, { 1, 0 } },
	{ "csr_warl", "sstatus_sie", 2, { 1, 0 } },
	{ "csr_warl", "sstatus_uxl", 1, { 2 } },
	/* FS and SD = (FS == Dirty) (4.1.1.6) */
	{ "csr_warl", "sstatus_fs_sd", 6, { 1, 0, 3, 1, 0, 0 } },
	{ "csr_warl", "sstatus_wpri", 1, { 0 } },
	/* sie: SSIE, STIE, SEIE writable; no M-level bits */
	{ "csr_warl", "sie_mask", 3, { 0x222, 0, 0 } },
	/* sip: only SSIP is writable from S-mode; STIP is read-only */
	{ "csr_warl", "sip_ssip", 2, { 2, 0 } },
	{ "csr_warl", "sip_stip_readonly", 1, { 0 } },
	/* satp: a write with an unsupported MODE has no effect (4.1.11) */
	{ "csr_warl", "satp_mode_unsupported", 1, { 0 } },

	/* csr_forms: the six Zicsr instructions and their x0 rules (Zicsr 9.1) */
	{ "csr_forms", "csr_six_forms", 7, { 0xf0f0f0f0f0f0f0f0ULL, 0x1111000011110000ULL,
		0x1111000011112222ULL, 0x1111000001112022ULL, 0x15, 0x1f, 0x1c } },
	{ "csr_forms", "csr_x0_forms", 4, { 0xabcdef, 0xabcdef, 0xabcdef, 0x123 } },
	{ "csr_forms", "csr_rd_regs", 3, { 0xa7a7, 0x5b5b, 0x7676 } },

	/* compressed: 2-byte instructions trap with the right sepc (C ext., 16.1) */
	{ "compressed", "c_ebreak", 3, { 3, 1, 2 } },
	{ "compressed", "c_illegal", 3, { 2, 1, 2 } },
	{ "compressed", "ebreak_32", 3, { 3, 1, 4 } },
	{ "compressed", "csr_at_halfword", 2, { 0x4243, 0x4244 } },

	/* sret_user: sret and the trap from U (priv 4.1.1, 3.3.2) */
	{ "sret_user", "sret_to_user", 6, { 8, 0, 1, 0, 1, 0x5a } },
	{ "sret_user", "sret_to_super", 4, { 1, 0, 1, 0 } },
	{ "sret_user", "sret_spie_to_sie", 3, { 1, 1, 0 } },
	{ "sret_user", "user_csr_illegal", 3, { 2, 1, 1 } },
	{ "sret_user", "user_sret_illegal", 3, { 2, 1, 1 } },
	/* sfence.vma: executes in S-mode (a no-op with satp Bare), illegal in U (4.2.1) */
	{ "sret_user", "sfence_vma", 3, { 0, 2, 1 } },

	/* trap_reflect: traps arrive as hardware delivers them (4.1.2, 4.1.9) */
	{ "trap_reflect", "trap_sstatus", 5, { 3, 1, 1, 0, 1 } },
	{ "trap_reflect", "csr_readonly_write", 3, { 2, 1, 1 } },
	{ "trap_reflect", "csr_mmode_read", 3, { 2, 1, 1 } },
	{ "trap_reflect", "user_ebreak", 3, { 3, 0, 1 } },
	{ "trap_reflect", "user_illegal", 4, { 2, 0, 1, 1 } },
	{ "trap_reflect", "user_load_fault", 3, { 5, 0, 1 } },
	{ "trap_reflect", "kernel_store_fault", 3, { 7, 1, 1 } },
	{ "trap_reflect", "vectored_exception", 2, { 0, 3 } },
	{ "trap_reflect", "vectored_interrupt", 2, { 1, IRQ(1) } },
	{ "trap_reflect", "direct_interrupt", 2, { IRQ(1), 1 } },

	/* syscalls: a user program's ecalls reach the guest kernel */
	{ "syscalls", "user_write", 2, { 16, 1 } },
	{ "syscalls", "user_getpid", 1, { 1 } },
	{ "syscalls", "user_yield", 1, { 0 } },
	{ "syscalls", "user_bad_syscall", 1, { NEG(-1) } },
	{ "syscalls", "user_exit", 2, { 1, 5 } },

	/* timer_tick: SBI set_timer drives a preemptive scheduler */
	{ "timer_tick", "tick_cause", 1, { IRQ(5) } },
	{ "timer_tick", "tick_count", 1, { 1 } },
	{ "timer_tick", "tasks_preempted", 3, { 1, 1, 1 } },

	/* wfi: wakes on a pending, locally enabled interrupt (3.3.3) */
	{ "wfi", "wfi_wakes", 2, { 1, 1 } },
	{ "wfi", "wfi_idles", 1, { 1 } },
	{ "wfi", "stip_cleared", 1, { 0 } },
	/* rdtime in the kernel works and advances (Zicntr) */
	{ "wfi", "time_advances", 1, { 1 } },

	/* uart_out: the NS16550A by MMIO */
	{ "uart_out", "uart_lsr_idle", 1, { 0x60 } },
	{ "uart_out", "uart_lcr_rw", 1, { 0x03 } },
	{ "uart_out", "uart_scr_rw", 2, { 0xa5, 0x5a } },

	/* uart_in: uart_in values are computed by both sides (uart_in_line) */

	/* sbi_base: SBI spec 2.0, 3.2 and chapter 4 */
	{ "sbi_base", "sbi_spec_version", 2, { 0, 1 } },
	{ "sbi_base", "sbi_probe", 8, { 0, 1, 0, 1, 0, 1, 0, 0 } },
	{ "sbi_base", "sbi_not_supported", 2, { NEG(-2), NEG(-2) } },
	{ "sbi_base", "sbi_set_timer", 1, { 0 } },
};

#define SELFTEST_NCHECKS (sizeof selftest_checks / sizeof selftest_checks[0])

/*
 * uart_in: the line the host types, derived from the token, and the values
 * the guest digests for it: { length, FNV-1a of the bytes }.
 */
static inline void uart_in_line(const char *token, char out[16])
{
	uint64_t d = kit_check_digest(token, "uart_in_line", 0, 0);
	static const char hex[] = "0123456789abcdef";
	out[0] = 'k', out[1] = 'i', out[2] = 't', out[3] = '-';
	for (int i = 0; i < 8; i++)
		out[4 + i] = hex[(d >> (28 - 4 * i)) & 0xf];
	out[12] = '\0';
}

/* uart_out: the line the guest writes by MMIO: "KIT UART <digest>". */
static inline uint64_t uart_out_digest(const char *token)
{
	return kit_check_digest(token, "uart_out_line", 0, 0);
}

#endif
