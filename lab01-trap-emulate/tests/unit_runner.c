/*
 * unit_runner.c: lab01's student runner (common/test/student_rpc.h): the
 * VMM's pure-C files (the student's among them) with the fake machine
 * below hw.h, answering the calls of a unit test (unit_stubs.c). Nothing
 * here judges: the test's cr_asserts do, in the test process.
 */
#include <string.h>

#include "decode.h"
#include "csr.h"
#include "emulate.h"
#include "exit.h"
#include "gmem.h"
#include "hw.h"
#include "mmio.h"
#include "trap.h"
#include "uart.h"
#include "unit_fakes_state.h"
#include "runner_vm.h"
#include "unit_rpc.h"
#include "vcpu.h"
#include "vm.h"
#include "vmm_sbi.h"

/* ---- the fake machine (state: unit_fakes.c) ---- */

uint64_t hw_time(void)
{
	return fake_time;
}

uint64_t hw_cycle(void)
{
	return 0x1234567;
}

uint64_t hw_instret(void)
{
	return 0x7654321;
}

void hw_set_timer(uint64_t deadline)
{
	fake_timer = deadline;
	fake_timer_sets++;
}

void hw_console_putc(char c)
{
	if (fake_out_len + 1 < sizeof fake_out)
		fake_out[fake_out_len++] = c;
}

int hw_console_getc(void)
{
	if (*fake_in == '\0')
		return -1;
	return (unsigned char)*fake_in++;
}

/* A real wfi returns at the next real interrupt: here, the armed timer. */
void hw_wait_for_interrupt(void)
{
	if (++fake_waits > 1000)
		rpc_fail("hw_wait_for_interrupt() called %u times: the vCPU waits for an interrupt "
			 "that never becomes pending (fix vcpu_wfi, handout task 8)", fake_waits);
	if (fake_timer != UINT64_MAX && fake_time < fake_timer)
		fake_time = fake_timer;
	else
		fake_time += 1;
}

void hw_map_guest_ram(uint64_t gpa, void *host, uint64_t size)
{
	(void)gpa, (void)host, (void)size;	/* the runner's guest RAM is plain memory */
}

void hw_shutdown(int failure)
{
	rpc_fail("hw_shutdown(%d) called from the VMM's pure-C core: a guest's reset request must "
		 "only mark the VM (v->state = VM_SHUTDOWN)", failure);
}

/* ---- the calls ---- */

/* guest RAM: static, the runner cannot allocate once strict */
static unsigned char guest_ram[RPC_REGION_MAX], guest_shadow[RPC_REGION_MAX];
static char fake_in_buf[RPC_CURSOR_MAX];

#define P(i) (f->p[i])
#define S(i) (f->s[i])

/* The calls whose first argument is a struct vcpu. */
static bool takes_vcpu(unsigned fn)
{
	return fn != FN_insn_length && fn != FN_insn_decode && fn != FN_uart_reset &&
	       fn != FN_uart_read && fn != FN_uart_write && fn != FN_gmem_init;
}

static void call(struct rpc_frame *f)
{
	switch (f->fn) {
	case FN_insn_length: RPC_RET(f, unsigned, insn_length((uint16_t)S(0))); break;
	case FN_insn_decode: RPC_RET(f, int, insn_decode((uint32_t)S(0), P(1))); break;
	case FN_vcpu_reset: vcpu_reset(P(0), S(1), S(2), S(3)); break;
	case FN_vcpu_csr_read: RPC_RET(f, int, vcpu_csr_read(P(0), (unsigned)S(1), P(2))); break;
	case FN_vcpu_csr_write: RPC_RET(f, int, vcpu_csr_write(P(0), (unsigned)S(1), S(2))); break;
	case FN_vcpu_emulate_insn: RPC_RET(f, int, vcpu_emulate_insn(P(0), (uint32_t)S(1))); break;
	case FN_vcpu_wfi: vcpu_wfi(P(0)); break;
	case FN_vcpu_inject_exception: vcpu_inject_exception(P(0), S(1), S(2)); break;
	case FN_vcpu_interrupt_pending: RPC_RET(f, bool, vcpu_interrupt_pending(P(0), P(1))); break;
	case FN_vcpu_inject_pending_interrupt: RPC_RET(f, bool, vcpu_inject_pending_interrupt(P(0))); break;
	case FN_vcpu_sret: vcpu_sret(P(0)); break;
	case FN_vcpu_timer_update: vcpu_timer_update(P(0)); break;
	case FN_vcpu_handle_exit: vcpu_handle_exit(P(0), S(1), S(2), (int)S(3)); break;
	case FN_vmm_sbi_call: RPC_RET(f, struct sbiret, vmm_sbi_call(P(0))); break;
	case FN_vcpu_ecall: vcpu_ecall(P(0)); break;
	case FN_vcpu_set_timer: vcpu_set_timer(P(0), S(1)); break;
	case FN_uart_reset: uart_reset(P(0)); break;
	case FN_uart_read: RPC_RET(f, uint8_t, uart_read(P(0), (unsigned)S(1))); break;
	case FN_uart_write: uart_write(P(0), (unsigned)S(1), (uint8_t)S(2)); break;
	case FN_vcpu_mmio: RPC_RET(f, int, vcpu_mmio(P(0), S(1), S(2) != 0)); break;
	case FN_gmem_init:
		if (S(1) > RPC_REGION_MAX)
			rpc_fail("gmem_init: %#lx bytes of guest RAM, the runner holds at most %#x",
				 (unsigned long)S(1), RPC_REGION_MAX);
		memset(guest_ram, 0, S(1));
		rpc_region(R_GMEM, guest_ram, S(1), guest_shadow, RPC_OTHER_ZERO);
		gmem_init(&unit_vm, guest_ram, S(0), S(1));
		break;
	default:
		rpc_fail("the student runner has no function %u (unit_rpc.h)", f->fn);
	}
}

/* the call on the runner's machine (runner_vm.h) */
static void dispatch(struct rpc_frame *f)
{
	runner_call_on(&unit_vm, takes_vcpu(f->fn) ? P(0) : 0, call, f);
}

int main(void)
{
	/* the machine of the tests: QEMU virt's devices (its UART is unit_vm.uart) */
	vm_add_virt_devices(&unit_vm);
	lab01_rpc_regions(true, fake_in_buf);
	rpc_serve(dispatch);
}
