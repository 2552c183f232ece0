/*
 * unit_rpc.h: lab01's unit tests and their student runner (common/test/
 * student_rpc.h). The test binaries link unit_stubs.c instead of the VMM's
 * files; the runner (build/lab01/tests/unit_runner) links the VMM's pure-C
 * files (the student's among them), unit_fakes.c and unit_runner.c, and
 * runs each call there. This header is what both sides agree on: the
 * functions a test may call and the regions kept in step.
 */
#ifndef LAB01_UNIT_RPC_H
#define LAB01_UNIT_RPC_H

#include <stdbool.h>

#include "student_rpc.h"

#define LAB01_RUNNER "unit_runner"

/* The VMM functions the unit tests call (one stub each in unit_stubs.c). */
enum lab01_fn {
	FN_insn_length,
	FN_insn_decode,
	FN_vcpu_reset,
	FN_vcpu_csr_read,
	FN_vcpu_csr_write,
	FN_vcpu_emulate_insn,
	FN_vcpu_wfi,
	FN_vcpu_inject_exception,
	FN_vcpu_interrupt_pending,
	FN_vcpu_inject_pending_interrupt,
	FN_vcpu_sret,
	FN_vcpu_timer_update,
	FN_vcpu_handle_exit,
	FN_vmm_sbi_call,
	FN_vcpu_ecall,
	FN_vcpu_set_timer,
	FN_uart_reset,
	FN_uart_read,
	FN_uart_write,
	FN_vcpu_mmio,
	FN_gmem_init,
};

/* The objects both sides have. */
enum lab01_region {
	R_FAKE_TIME,
	R_FAKE_TIMER,
	R_FAKE_TIMER_SETS,
	R_FAKE_WAITS,
	R_FAKE_OUT,
	R_FAKE_OUT_LEN,
	R_FAKE_IN,		/* a cursor */
	R_VM_UART,
	R_GMEM,			/* guest RAM, from gmem_init() on */
};

/* Register the fake machine and vm_uart (unit_fakes.c); runner: its side. */
void lab01_rpc_regions(bool runner, char *cursor_buf);

#endif
