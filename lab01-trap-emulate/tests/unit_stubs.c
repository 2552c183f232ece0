/*
 * unit_stubs.c: the VMM functions lab01's unit tests call, as the test
 * binary has them: each runs the real one in the student runner
 * (unit_rpc.h, common/test/student_rpc.h). Pointer arguments go over and
 * come back (struct vcpu, struct insn, out-parameters); the fake machine,
 * unit_vm's UART and guest RAM (once gmem_init() named it) are kept in step.
 */
#include <string.h>

#include "decode.h"
#include "csr.h"
#include "emulate.h"
#include "exit.h"
#include "gmem.h"
#include "mmio.h"
#include "trap.h"
#include "uart.h"
#include "unit_rpc.h"
#include "vcpu.h"
#include "vmm_sbi.h"

#include <criterion/criterion.h>

static void setup(void)
{
	lab01_rpc_regions(false, NULL);
}

static const struct rpc_lab lab01 = { LAB01_RUNNER, setup };
#define L (&lab01)

unsigned insn_length(uint16_t first_halfword)
{
	unsigned r;
	RPC_CALL(L, FN_insn_length, &r, RPC_S(first_halfword));
	return r;
}

int insn_decode(uint32_t raw, struct insn *out)
{
	int r;
	RPC_CALL(L, FN_insn_decode, &r, RPC_S(raw), RPC_P(out));
	return r;
}

void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t hartid, uint64_t dtb_gpa)
{
	RPC_CALL_VOID(L, FN_vcpu_reset, RPC_P(v), RPC_S(entry), RPC_S(hartid), RPC_S(dtb_gpa));
}

int vcpu_csr_read(struct vcpu *v, unsigned csr, uint64_t *val)
{
	int r;
	RPC_CALL(L, FN_vcpu_csr_read, &r, RPC_P(v), RPC_S(csr), RPC_P(val));
	return r;
}

int vcpu_csr_write(struct vcpu *v, unsigned csr, uint64_t val)
{
	int r;
	RPC_CALL(L, FN_vcpu_csr_write, &r, RPC_P(v), RPC_S(csr), RPC_S(val));
	return r;
}

int vcpu_emulate_insn(struct vcpu *v, uint32_t raw)
{
	int r;
	RPC_CALL(L, FN_vcpu_emulate_insn, &r, RPC_P(v), RPC_S(raw));
	return r;
}

void vcpu_wfi(struct vcpu *v)
{
	RPC_CALL_VOID(L, FN_vcpu_wfi, RPC_P(v));
}

void vcpu_inject_exception(struct vcpu *v, uint64_t cause, uint64_t tval)
{
	RPC_CALL_VOID(L, FN_vcpu_inject_exception, RPC_P(v), RPC_S(cause), RPC_S(tval));
}

bool vcpu_interrupt_pending(const struct vcpu *v, uint64_t *cause)
{
	bool r;
	RPC_CALL(L, FN_vcpu_interrupt_pending, &r, RPC_P(v), RPC_P(cause));
	return r;
}

bool vcpu_inject_pending_interrupt(struct vcpu *v)
{
	bool r;
	RPC_CALL(L, FN_vcpu_inject_pending_interrupt, &r, RPC_P(v));
	return r;
}

void vcpu_sret(struct vcpu *v)
{
	RPC_CALL_VOID(L, FN_vcpu_sret, RPC_P(v));
}

void vcpu_timer_update(struct vcpu *v)
{
	RPC_CALL_VOID(L, FN_vcpu_timer_update, RPC_P(v));
}

void vcpu_handle_exit(struct vcpu *v, uint64_t scause, uint64_t stval, int fs_dirty)
{
	RPC_CALL_VOID(L, FN_vcpu_handle_exit, RPC_P(v), RPC_S(scause), RPC_S(stval), RPC_S(fs_dirty));
}

struct sbiret vmm_sbi_call(struct vcpu *v)
{
	struct sbiret r;
	RPC_CALL(L, FN_vmm_sbi_call, &r, RPC_P(v));
	return r;
}

void vcpu_ecall(struct vcpu *v)
{
	RPC_CALL_VOID(L, FN_vcpu_ecall, RPC_P(v));
}

void vcpu_set_timer(struct vcpu *v, uint64_t deadline)
{
	RPC_CALL_VOID(L, FN_vcpu_set_timer, RPC_P(v), RPC_S(deadline));
}

void uart_reset(struct uart16550 *u)
{
	RPC_CALL_VOID(L, FN_uart_reset, RPC_P(u));
}

uint8_t uart_read(struct uart16550 *u, unsigned off)
{
	uint8_t r;
	RPC_CALL(L, FN_uart_read, &r, RPC_P(u), RPC_S(off));
	return r;
}

void uart_write(struct uart16550 *u, unsigned off, uint8_t val)
{
	RPC_CALL_VOID(L, FN_uart_write, RPC_P(u), RPC_S(off), RPC_S(val));
}

int vcpu_mmio(struct vcpu *v, uint64_t gpa, bool is_store)
{
	int r;
	RPC_CALL(L, FN_vcpu_mmio, &r, RPC_P(v), RPC_S(gpa), RPC_S(is_store));
	return r;
}

/* Guest RAM is the test's memory; the runner gets a copy of its own, kept
 * in step from here on (the runner's starts zeroed). */
void gmem_init(struct vm *vm, void *host, uint64_t gpa_base, uint64_t size)
{
	(void)vm;	/* the runner's unit_vm gets it */
	cr_assert_leq(size, RPC_REGION_MAX, "gmem_init(%#lx bytes): the unit tests' guest RAM holds at "
		      "most %u bytes (common/test/student_rpc.h)", (unsigned long)size, RPC_REGION_MAX);
	RPC_CALL_VOID(L, FN_gmem_init, RPC_S(gpa_base), RPC_S(size));
	rpc_region(R_GMEM, host, size, NULL, RPC_OTHER_ZERO);
}
