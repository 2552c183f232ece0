/*
 * mmio.c: a guest load or store that missed guest RAM. The faulting
 * instruction is decoded and executed against the device model, as the
 * device would have answered it. Outside every device the guest gets the
 * access fault a real machine gives for an address with nothing behind it
 * (priv 1.12, 3.6 PMAs: cause 5 or 7, stval = the address).
 *
 * Devices: the NS16550A at 0x10000000 (UART_GPA). As on QEMU virt, only
 * its eight byte registers exist: an access must lie within offsets 0..7
 * (any width; the value is the register's byte, extended as the load says),
 * anything else in the 0x100-byte window faults like the real machine.
 */
#include "decode.h"
#include "gmem.h"
#include "mmio.h"
#include "todo.h"
#include "trap.h"
#include "uart.h"

static int access_fault(struct vcpu *v, uint64_t gpa, bool is_store)
{
	vcpu_inject_exception(v, is_store ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS, gpa);
	return -1;
}

/* A load's value as rd receives it: sign or zero extended from width bytes. */
static uint64_t extend(uint64_t val, unsigned width, bool is_unsigned)
{
	unsigned sh = 64 - 8 * width;

	if (width >= 8)
		return val;
	return is_unsigned ? (val << sh) >> sh : (uint64_t)((int64_t)(val << sh) >> sh);
}

int vcpu_mmio(struct vcpu *v, uint64_t gpa, bool is_store)
{
	// BEGIN SOLUTION: emulate a guest load/store on the UART
	struct insn in;
	uint32_t raw;
	uint64_t fault;

	if (gpa < UART_GPA || gpa - UART_GPA >= UART_SIZE)
		return access_fault(v, gpa, is_store);
	/* AMOs, LR/SC and FP loads/stores are not emulated: fault like a
	 * device that does not support them (priv 3.6.3) */
	if (gmem_fetch_insn(v, v->pc, &raw, &fault) != 0 || insn_decode(raw, &in) != 0 ||
	    in.kind != (is_store ? INSN_STORE : INSN_LOAD))
		return access_fault(v, gpa, is_store);

	unsigned off = (unsigned)(gpa - UART_GPA);
	if (off + in.width > UART_NREGS)
		return access_fault(v, gpa, is_store);
	if (is_store) {
		uart_write(&vm_uart, off, (uint8_t)vcpu_get_reg(v, in.rs2));
	} else {
		uint64_t val = uart_read(&vm_uart, off);
		vcpu_set_reg(v, in.rd, extend(val, in.width, in.is_unsigned));
	}
	v->pc += in.len;
	return 0;
	// STARTER:
	// TODO("vcpu_mmio", "lab01 handout, task 9");
	// (void)extend;
	// return access_fault(v, gpa, is_store);
	// END SOLUTION
}
