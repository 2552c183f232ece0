/*
 * kernel.h: the selftest guest kernel's internals. An ordinary small
 * S-mode kernel in the style of xv6: trap entry (trap.S), trap dispatch
 * (trap.c), user tasks and a round-robin tick scheduler (proc.c), and the
 * check groups (csr.c, sret.c, reflect.c, sched.c, dev.c).
 */
#ifndef SELFTEST_KERNEL_H
#define SELFTEST_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "guest.h"
#include "riscv.h"

/* Saved registers of an interrupted context (layout known to trap.S). */
struct trapframe {
	uint64_t x[32];		/* x[0] unused; x[2] is the interrupted sp */
	uint64_t sepc, sstatus, scause, stval;
};
#define REG_SP 2
#define REG_A0 10
#define REG_A1 11
#define REG_A7 17

/* trap.S */
extern char trap_vector[], trap_vector_table[];
void trap_return(struct trapframe *tf) __attribute__((noreturn));
/* index of the last vector-table entry taken (-1: none) */
extern volatile int64_t vec_last;

/*
 * The trap recorder: a check arms it, causes one exception, and reads what
 * arrived. A kernel-mode exception resumes after the trapping instruction;
 * a user-mode one ends the user run (run_user returns).
 */
struct trap_record {
	bool armed;		/* a check expects traps (main.c disarms per group) */
	volatile unsigned count;
	uint64_t scause, stval, sepc, sstatus;
	uint64_t a0;		/* user a0 at the trap */
	unsigned insn_len;	/* length of the instruction at sepc */
};
extern struct trap_record rec;
void rec_arm(void);
/* stval of the recorded illegal instruction is 0 or its bits (4.1.9) */
uint64_t illegal_tval_ok(void);
extern volatile unsigned irq_ssi_count;
extern volatile uint64_t irq_last_cause;

/* proc.c: run code in U-mode until it exits or traps into the recorder */
#define RUN_EXIT  1	/* user called exit */
#define RUN_TRAP  2	/* user exception or ecall caught by the recorder */
#define RUN_TICKS 3	/* the tick scheduler reached its tick budget */
int run_user(uint64_t entry, uint64_t a0, uint64_t a1);
void user_end(int why) __attribute__((noreturn));
extern uint64_t user_exit_code;
/* syscalls from U (trap.c calls it) */
void syscall(struct trapframe *tf);
extern bool user_probe;		/* ecall from U ends the run instead of being a syscall */
extern char user_output[64];
extern unsigned user_output_len, user_syscalls;

/* the tick scheduler (sched.c) */
extern bool sched_active;
void sched_tick(struct trapframe *tf);
#define TICK_INTERVAL 100000	/* 10 ms at the virt timebase of 10 MHz */

/* The embedded user program (user_blob.S, user/) */
extern char user_blob_start[], user_blob_end[];
#define USER_BASE 0x80400000UL
void user_load(void);

/* user-mode probes in the kernel image (trap.S): each ends in a trap */
extern char u_probe_ecall[], u_probe_ecall_at[], u_probe_csr[], u_probe_sret[];
extern char u_probe_ebreak[], u_probe_illegal[], u_probe_load[], u_probe_sfence[];

/* check groups */
void group_csr_rw(void);
void group_csr_warl(void);
void group_csr_forms(void);
void group_compressed(void);
void group_sret_user(void);
void group_trap_reflect(void);
void group_syscalls(void);
void group_timer_tick(void);
void group_wfi(void);
void group_uart_out(void);
void group_uart_in(void);
void group_sbi_base(void);

/* check.c: look up `want` in checks.h and report */
bool st_check(const char *name, const uint64_t *got, unsigned n);
#define CHECK(name, ...) do {                                   \
	uint64_t got_[] = { __VA_ARGS__ };                      \
	st_check(name, got_, sizeof got_ / sizeof got_[0]);     \
} while (0)

#endif
